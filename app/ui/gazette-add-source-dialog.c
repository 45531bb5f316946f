/* gazette-add-source-dialog.c — add a feed by its address, or one of the suggestions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwWindow rather than an AdwMessageDialog: the latter closes on every response, and this
 * dialog stays open while the feed is fetched so it can show why adding failed.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-add-source-dialog.h"
#include "gazette-error.h"

struct _GazetteAddSourceDialog
{
  AdwWindow        parent_instance;

  AdwEntryRow     *url_row;
  GtkLabel        *error_label;
  GtkButton       *add_button;
  GtkStack        *add_stack;
  GtkWidget       *suggestions_group;

  GazetteLibrary  *library;
  GCancellable    *cancellable;
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (GazetteAddSourceDialog, gazette_add_source_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SOURCE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
gazette_describe_source_error (const GError *error)
{
  if (error->domain == GAZETTE_ERROR)
    switch (error->code)
      {
      case GAZETTE_ERROR_NOT_A_FEED:
      case GAZETTE_ERROR_NOT_HTML:
      case GAZETTE_ERROR_PARSE:
        return g_strdup (_("There is no feed at this address, and the page does not point to one."));
      case GAZETTE_ERROR_EXISTS:
        return g_strdup (_("This feed is already in your library."));
      case GAZETTE_ERROR_NETWORK:
        return g_strdup_printf (_("Could not connect: %s"), error->message);
      case GAZETTE_ERROR_TIMEOUT:
        return g_strdup (_("The site took too long to answer. Try again later."));
      case GAZETTE_ERROR_GONE:
        return g_strdup (_("The site says this feed is gone for good."));
      case GAZETTE_ERROR_TOO_LARGE:
        return g_strdup (_("The feed is too large to be read."));
      case GAZETTE_ERROR_INVALID_ARGUMENT:
        return g_strdup (_("This is not a web address."));
      default:
        break;
      }
  if (error->domain == G_RESOLVER_ERROR)
    return g_strdup (_("Could not find the site. Check the address and your connection."));
  if (error->domain == G_IO_ERROR || error->domain == G_TLS_ERROR)
    return g_strdup_printf (_("Could not connect: %s"), error->message);
  return g_strdup (error->message);
}

static char *
normalize_url (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    return NULL;
  if (strstr (stripped, "://") == NULL)
    return g_strconcat ("https://", stripped, NULL);
  return g_steal_pointer (&stripped);
}

static void
set_busy (GazetteAddSourceDialog *self,
          gboolean                busy)
{
  self->busy = busy;
  /* An insensitive entry keeping the focus keeps blinking its cursor; GTK 4.8 then warns when
   * the window goes away. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->add_stack, busy ? "spinner" : "label");
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !busy);
  gtk_widget_set_sensitive (self->suggestions_group, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), !busy);
}

static void
show_error (GazetteAddSourceDialog *self,
            const char             *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
}

static void
add_feed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GazetteAddSourceDialog) self = user_data;
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GError) error = NULL;

  source = gazette_library_add_feed_finish (GAZETTE_LIBRARY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (source == NULL)
    {
      g_autofree char *message = gazette_describe_source_error (error);

      show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SOURCE_ADDED], 0, source);
  /* GTK 4.8 warns when a focused GtkText goes away with its window. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_url (GazetteAddSourceDialog *self,
         const char             *text)
{
  g_autofree char *url = normalize_url (text);

  if (self->busy)
    return;

  if (url == NULL)
    {
      show_error (self, _("Enter the address of a site or a feed."));
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  gazette_library_add_feed_async (self->library, url, 0, self->cancellable, add_feed_cb,
                                  g_object_ref (self));
}

void
gazette_add_source_dialog_add (GazetteAddSourceDialog *self,
                               const char             *url)
{
  g_return_if_fail (GAZETTE_IS_ADD_SOURCE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  add_url (self, url);
}

const char *
gazette_add_source_dialog_get_error (GazetteAddSourceDialog *self)
{
  g_return_val_if_fail (GAZETTE_IS_ADD_SOURCE_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

gboolean
gazette_add_source_dialog_get_busy (GazetteAddSourceDialog *self)
{
  g_return_val_if_fail (GAZETTE_IS_ADD_SOURCE_DIALOG (self), FALSE);
  return self->busy;
}

static void
add_clicked_cb (GazetteAddSourceDialog *self)
{
  add_url (self, gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
}

static void
entry_changed_cb (GazetteAddSourceDialog *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    show_error (self, NULL);
}

static void
suggestion_clicked_cb (GtkButton              *button,
                       GazetteAddSourceDialog *self)
{
  const char *url = g_object_get_data (G_OBJECT (button), "gazette-url");

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  add_url (self, url);
}

static void
load_suggestions (GazetteAddSourceDialog *self)
{
  g_autoptr(GPtrArray) feeds = gazette_library_get_suggested_feeds (self->library);

  for (guint i = 0; i < feeds->len; i++)
    {
      GazetteSuggestedFeed *feed = g_ptr_array_index (feeds, i);
      GtkWidget *row, *button;

      if (feed->title == NULL || feed->url == NULL)
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), feed->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), feed->url);

      button = gtk_button_new_with_label (C_("suggested feed", "Add"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "gazette-url", g_strdup (feed->url), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (suggestion_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->suggestions_group), row);
    }

  gtk_widget_set_visible (self->suggestions_group, feeds->len > 0);
}

GazetteAddSourceDialog *
gazette_add_source_dialog_new (GtkWindow      *parent,
                               GazetteLibrary *library)
{
  GazetteAddSourceDialog *self;

  g_return_val_if_fail (GAZETTE_IS_LIBRARY (library), NULL);

  self = g_object_new (GAZETTE_TYPE_ADD_SOURCE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->library = g_object_ref (library);
  load_suggestions (self);
  return self;
}

static gboolean
close_request_cb (GazetteAddSourceDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  return FALSE;
}

static void
gazette_add_source_dialog_dispose (GObject *object)
{
  GazetteAddSourceDialog *self = GAZETTE_ADD_SOURCE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_ADD_SOURCE_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (gazette_add_source_dialog_parent_class)->dispose (object);
}

static void
gazette_add_source_dialog_class_init (GazetteAddSourceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_add_source_dialog_dispose;

  signals[SIGNAL_SOURCE_ADDED] =
    g_signal_new ("source-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, GAZETTE_TYPE_SOURCE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gazette-add-source-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteAddSourceDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, GazetteAddSourceDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, GazetteAddSourceDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteAddSourceDialog, add_stack);
  gtk_widget_class_bind_template_child (widget_class, GazetteAddSourceDialog, suggestions_group);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gazette_add_source_dialog_init (GazetteAddSourceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

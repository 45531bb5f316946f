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
#include "gazette-feed.h"

struct _GazetteAddSourceDialog
{
  AdwWindow        parent_instance;

  AdwEntryRow     *url_row;
  GtkLabel        *error_label;
  GtkButton       *add_button;
  GtkStack        *add_stack;
  GtkWidget       *suggestions_group;
  GtkWidget       *choices_group;

  GazetteLibrary  *library;
  GCancellable    *cancellable;
  gboolean         busy;

  /* The feeds offered (GazetteFeedLink*), their rows and check buttons, for the address typed */
  GPtrArray       *links;
  GPtrArray       *choice_rows;
  GPtrArray       *checks;
  char            *links_for;
  char            *discovering;
  /* Adding the chosen ones, one after the other */
  GPtrArray       *to_add;         /* char* URLs */
  guint            n_added;
  char            *first_error;
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
  gtk_widget_set_sensitive (self->choices_group, !busy);
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
clear_choices (GazetteAddSourceDialog *self)
{
  for (guint i = 0; self->choice_rows != NULL && i < self->choice_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->choices_group),
                                  g_ptr_array_index (self->choice_rows, i));
  g_clear_pointer (&self->choice_rows, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->links_for, g_free);
  gtk_widget_set_visible (self->choices_group, FALSE);
}

static void
show_choices (GazetteAddSourceDialog *self,
              GPtrArray              *links,
              const char             *url)
{
  clear_choices (self);
  self->links = g_ptr_array_ref (links);
  self->links_for = g_strdup (url);
  self->choice_rows = g_ptr_array_new ();
  self->checks = g_ptr_array_new ();

  for (guint i = 0; i < links->len; i++)
    {
      GazetteFeedLink *link = g_ptr_array_index (links, i);
      g_autofree char *format = gazette_feed_format_name (link->format);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     link->title != NULL ? link->title : link->url);
      if (format != NULL)
        /* Translators: under a feed's title: its format, then its address */
        subtitle = g_strdup_printf (_("%s · %s"), format, link->url);
      else
        subtitle = g_strdup (link->url);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), i == 0);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      link->title != NULL ? link->title : link->url, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->choices_group), row);
      g_ptr_array_add (self->choice_rows, row);
      g_ptr_array_add (self->checks, check);
    }
  gtk_widget_set_visible (self->choices_group, TRUE);
}

static void add_next (GazetteAddSourceDialog *self);

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

  if (source != NULL)
    {
      self->n_added++;
      g_signal_emit (self, signals[SIGNAL_SOURCE_ADDED], 0, source);
    }
  else if (self->first_error == NULL)
    self->first_error = gazette_describe_source_error (error);
  add_next (self);
}

/* Adds the next of ->to_add; at the end closes, or shows why nothing could be added. */
static void
add_next (GazetteAddSourceDialog *self)
{
  if (self->to_add != NULL && self->to_add->len > 0)
    {
      g_autofree char *url = g_ptr_array_steal_index (self->to_add, 0);

      gazette_library_add_feed_async (self->library, url, 0, self->cancellable, add_feed_cb,
                                      g_object_ref (self));
      return;
    }

  set_busy (self, FALSE);
  if (self->n_added == 0)
    {
      show_error (self, self->first_error);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }
  /* GTK 4.8 warns when a focused GtkText goes away with its window. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_urls (GazetteAddSourceDialog *self,
          GPtrArray              *urls)
{
  g_clear_pointer (&self->to_add, g_ptr_array_unref);
  g_clear_pointer (&self->first_error, g_free);
  self->to_add = g_ptr_array_ref (urls);
  self->n_added = 0;
  set_busy (self, TRUE);
  add_next (self);
}

static void
discover_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GazetteAddSourceDialog) self = user_data;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;

  links = gazette_library_discover_finish (GAZETTE_LIBRARY (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (links == NULL)
    {
      g_autofree char *message = gazette_describe_source_error (error);

      set_busy (self, FALSE);
      show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  if (links->len == 1)
    {
      g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (urls, g_strdup (((GazetteFeedLink *) g_ptr_array_index (links, 0))->url));
      add_urls (self, urls);
      return;
    }

  /* Several: the user chooses, then presses Add again. */
  set_busy (self, FALSE);
  show_choices (self, links, self->discovering);
  gtk_widget_grab_focus (g_ptr_array_index (self->checks, 0));
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

  /* The feeds of this address are listed: add the checked ones. */
  if (self->links != NULL && g_strcmp0 (self->links_for, url) == 0)
    {
      g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < self->links->len; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
          g_ptr_array_add (urls, g_strdup (((GazetteFeedLink *)
                                            g_ptr_array_index (self->links, i))->url));
      if (urls->len == 0)
        {
          show_error (self, _("Choose at least one feed to add."));
          return;
        }
      add_urls (self, urls);
      return;
    }

  clear_choices (self);
  set_busy (self, TRUE);
  gazette_library_discover_async (self->library, url, self->cancellable, discover_cb,
                                  g_object_ref (self));
  g_free (self->discovering);
  self->discovering = g_steal_pointer (&url);
}

void
gazette_add_source_dialog_add (GazetteAddSourceDialog *self,
                               const char             *url)
{
  g_return_if_fail (GAZETTE_IS_ADD_SOURCE_DIALOG (self));

  /* Setting the same text again would clear and retype it, and with it the choices. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->url_row)), url) != 0)
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
  g_autofree char *url = normalize_url (gtk_editable_get_text (GTK_EDITABLE (self->url_row)));

  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    show_error (self, NULL);
  /* Another address: its own feeds will be looked up. */
  if (self->links != NULL && g_strcmp0 (url, self->links_for) != 0)
    clear_choices (self);
}

guint
gazette_add_source_dialog_get_n_choices (GazetteAddSourceDialog *self)
{
  g_return_val_if_fail (GAZETTE_IS_ADD_SOURCE_DIALOG (self), 0);

  return self->links != NULL ? self->links->len : 0;
}

void
gazette_add_source_dialog_set_chosen (GazetteAddSourceDialog *self,
                                      guint                   index,
                                      gboolean                chosen)
{
  g_return_if_fail (GAZETTE_IS_ADD_SOURCE_DIALOG (self));
  g_return_if_fail (self->checks != NULL && index < self->checks->len);

  gtk_check_button_set_active (g_ptr_array_index (self->checks, index), chosen);
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
  g_clear_pointer (&self->choice_rows, g_ptr_array_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->to_add, g_ptr_array_unref);
  g_free (self->links_for);
  g_free (self->discovering);
  g_free (self->first_error);

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
  gtk_widget_class_bind_template_child (widget_class, GazetteAddSourceDialog, choices_group);
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

/* gazette-window.c — the main window: sources, articles, the article
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette-add-source-dialog.h"
#include "gazette-opml.h"
#include "gazette-stall-monitor.h"
#include "gazette-window.h"

typedef struct {
  char *title;
  char *message;
} Failure;

struct _GazetteWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *refresh_stack;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkPaned             *outer_paned;
  GtkPaned             *inner_paned;
  GtkLabel             *list_title;
  GtkToggleButton      *unread_only_button;
  GazetteSidebar       *sidebar;
  GazetteArticleList   *article_list;
  GazetteArticleView   *article_view;

  GSettings            *settings;
  GazetteLibrary       *library;
  GCancellable         *cancellable;
  GPtrArray            *failures;     /* of Failure, during and after the last refresh */
  gboolean              refreshing;
  guint                 progress_timeout;  /* the subtitle follows the refresh at this pace */
  gboolean              ready;        /* the library is open: the panes may load */
  gboolean              first_load_done;
  AdwToast             *toast;        /* weak: the one shown last */
};

G_DEFINE_FINAL_TYPE (GazetteWindow, gazette_window, ADW_TYPE_APPLICATION_WINDOW)

static void
failure_free (Failure *failure)
{
  g_free (failure->title);
  g_free (failure->message);
  g_free (failure);
}

static void attach_library (GazetteWindow *self);

GazetteWindow *
gazette_window_new (GazetteApplication *application)
{
  GazetteWindow *self;

  g_return_val_if_fail (GAZETTE_IS_APPLICATION (application), NULL);

  /* :application is not a construct property, so it is not set yet in constructed(). */
  self = g_object_new (GAZETTE_TYPE_WINDOW, "application", application, NULL);
  attach_library (self);
  return self;
}

GazetteSidebar *
gazette_window_get_sidebar (GazetteWindow *self)
{
  g_return_val_if_fail (GAZETTE_IS_WINDOW (self), NULL);
  return self->sidebar;
}

GazetteArticleList *
gazette_window_get_article_list (GazetteWindow *self)
{
  g_return_val_if_fail (GAZETTE_IS_WINDOW (self), NULL);
  return self->article_list;
}

GazetteArticleView *
gazette_window_get_article_view (GazetteWindow *self)
{
  g_return_val_if_fail (GAZETTE_IS_WINDOW (self), NULL);
  return self->article_view;
}

const char *
gazette_window_get_banner_message (GazetteWindow *self)
{
  g_return_val_if_fail (GAZETTE_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;
  return gtk_label_get_text (self->banner_label);
}

/* One toast at a time: the last one shown is dismissed first. Queued behind one another, a
 * toast only appears once the earlier ones have timed out (an Undo would come too late), and
 * libadwaita 1.2 asserts when a displaced toast comes back while it is still animating out. */
static void
show_toast (GazetteWindow *self,
            AdwToast      *toast)
{
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_clear_weak_pointer (&self->toast);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
gazette_window_add_toast (GazetteWindow *self,
                          const char    *message)
{
  g_return_if_fail (GAZETTE_IS_WINDOW (self));
  show_toast (self, adw_toast_new (message));
}

/* Refresh progress and failures */

static void
update_refresh_state (GazetteWindow *self)
{
  g_autofree char *subtitle = NULL;
  const char *current = NULL;
  gboolean refreshing = FALSE;
  guint pending = 0;

  if (self->library != NULL)
    {
      refreshing = gazette_library_get_refreshing (self->library);
      current = gazette_library_get_refresh_current (self->library);
      pending = gazette_library_get_refresh_pending (self->library);
    }

  gtk_stack_set_visible_child_name (self->refresh_stack, refreshing ? "spinner" : "button");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", !refreshing);

  if (refreshing && current != NULL && pending > 1)
    /* Translators: the window subtitle while refreshing: a source's title, then how many are
     * left */
    subtitle = g_strdup_printf (ngettext ("Refreshing “%s” · %u more",
                                          "Refreshing “%s” · %u more", pending - 1),
                                current, pending - 1);
  else if (refreshing && current != NULL)
    subtitle = g_strdup_printf (_("Refreshing “%s”…"), current);
  else if (refreshing)
    subtitle = g_strdup (_("Refreshing…"));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  if (refreshing && !self->refreshing)
    {
      /* A new run: forget the last run's failures. */
      g_ptr_array_set_size (self->failures, 0);
      gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
    }
  else if (!refreshing && self->refreshing && self->failures->len > 0)
    {
      g_autofree char *text = NULL;

      if (self->failures->len == 1)
        {
          Failure *failure = g_ptr_array_index (self->failures, 0);
          /* Translators: banner when one source failed: its title, then the error */
          text = g_strdup_printf (_("“%s” could not be refreshed: %s"), failure->title,
                                  failure->message);
        }
      else
        text = g_strdup_printf (ngettext ("%u source could not be refreshed",
                                          "%u sources could not be refreshed",
                                          self->failures->len),
                                self->failures->len);
      gtk_label_set_text (self->banner_label, text);
      gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
    }

  self->refreshing = refreshing;
}

static gboolean
progress_timeout_cb (gpointer user_data)
{
  GazetteWindow *self = user_data;

  self->progress_timeout = 0;
  update_refresh_state (self);
  return G_SOURCE_REMOVE;
}

/* Which source, how many left: each fetch that starts or ends changes them, a thousand sources
 * thousands of times; ten times a second is as fast as anyone reads it. */
static void
refresh_progress_cb (GazetteWindow *self)
{
  if (self->progress_timeout == 0)
    self->progress_timeout = g_timeout_add (100, progress_timeout_cb, self);
}

static void
refreshing_changed_cb (GazetteWindow *self)
{
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  update_refresh_state (self);
}

static void
source_failed_cb (GazetteWindow *self,
                  GazetteSource *source,
                  GError        *error)
{
  Failure *failure;

  if (!self->refreshing)
    return;

  failure = g_new0 (Failure, 1);
  failure->title = g_strdup (gazette_source_get_title (source) != NULL
                             ? gazette_source_get_title (source)
                             : gazette_source_get_url (source));
  failure->message = gazette_describe_source_error (error);
  g_ptr_array_add (self->failures, failure);
}

static void
show_failures_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GazetteWindow *self = GAZETTE_WINDOW (widget);
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  for (guint i = 0; i < self->failures->len; i++)
    {
      Failure *failure = g_ptr_array_index (self->failures, i);

      if (body->len > 0)
        g_string_append (body, "\n\n");
      g_string_append_printf (body, "%s\n%s", failure->title, failure->message);
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Sources That Could Not Be Refreshed"),
                                   body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dismiss_banner_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (GAZETTE_WINDOW (widget)->banner_revealer, FALSE);
}

/* Actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  if (GAZETTE_IS_APPLICATION (app))
    gazette_application_refresh (GAZETTE_APPLICATION (app));
}

static void
source_added_cb (GazetteWindow *self,
                 GazetteSource *source)
{
  g_autofree char *message = NULL;
  g_autofree char *key = NULL;

  /* Translators: toast after adding a source, with its title */
  message = g_strdup_printf (_("Added “%s”"), gazette_source_get_title (source));
  gazette_window_add_toast (self, message);

  key = g_strdup_printf ("source:%" G_GINT64_FORMAT, gazette_source_get_id (source));
  gazette_sidebar_set_selection (self->sidebar, key);
  gazette_sidebar_reload (self->sidebar);
}

static void
add_source_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GazetteWindow *self = GAZETTE_WINDOW (widget);
  GazetteAddSourceDialog *dialog;

  if (self->library == NULL)
    return;

  dialog = gazette_add_source_dialog_new (GTK_WINDOW (self), self->library);
  g_signal_connect_object (dialog, "source-added", G_CALLBACK (source_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import and export of subscriptions (OPML) */

static void
import_refresh_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_library_refresh_finish (GAZETTE_LIBRARY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not refresh the imported sources: %s", error->message);
}

static void
opml_imported_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  g_autoptr(GazetteOpmlResult) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sources = NULL;
  g_autofree char *message = NULL;

  imported = gazette_opml_import_finish (GAZETTE_STORE (object), result, &error);
  if (imported == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: toast when an OPML file could not be imported, with the reason */
          message = g_strdup_printf (_("Could not import subscriptions: %s"), error->message);
          gazette_window_add_toast (self, message);
        }
      return;
    }

  for (guint i = 0; i < imported->warnings->len; i++)
    g_message ("Import: %s", (const char *) g_ptr_array_index (imported->warnings, i));

  /* Translators: part of "Imported 12 sources in 3 folders" */
  sources = g_strdup_printf (ngettext ("%u source", "%u sources", imported->added),
                             imported->added);
  if (imported->added == 0 && imported->skipped > 0)
    message = g_strdup (_("Every source in the file is already subscribed"));
  else if (imported->folders > 0)
    {
      g_autofree char *folders =
        /* Translators: part of "Imported 12 sources in 3 folders" */
        g_strdup_printf (ngettext ("%u folder", "%u folders", imported->folders),
                         imported->folders);

      /* Translators: "Imported 12 sources in 3 folders" */
      message = g_strdup_printf (_("Imported %s in %s"), sources, folders);
    }
  else
    /* Translators: "Imported 12 sources" */
    message = g_strdup_printf (_("Imported %s"), sources);
  gazette_window_add_toast (self, message);

  gazette_sidebar_reload (self->sidebar);
  if (imported->added > 0 && self->library != NULL)
    gazette_library_refresh_async (self->library, 0, self->cancellable, import_refresh_cb, NULL);
}

static void
opml_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *message = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          message = g_strdup_printf (_("Could not read the file: %s"), error->message);
          gazette_window_add_toast (self, message);
        }
      return;
    }
  if (self->library == NULL)
    return;
  gazette_opml_import_async (gazette_library_get_store (self->library), contents, length,
                             self->cancellable, opml_imported_cb, g_object_ref (self));
}

static void opml_exported_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

void
gazette_window_import_subscriptions (GazetteWindow *self,
                                     GFile         *file)
{
  g_return_if_fail (GAZETTE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_contents_async (file, self->cancellable, opml_loaded_cb, g_object_ref (self));
}

void
gazette_window_export_subscriptions (GazetteWindow *self,
                                     GFile         *file)
{
  g_return_if_fail (GAZETTE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->library == NULL)
    return;
  /* Kept on the window until the document is ready; a later export replaces it. */
  g_object_set_data_full (G_OBJECT (self), "gazette-export-file", g_object_ref (file),
                          g_object_unref);
  gazette_opml_export_async (gazette_library_get_store (self->library), self->cancellable,
                             opml_exported_cb, g_object_ref (self));
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file != NULL)
    gazette_window_import_subscriptions (self, file);
}

static void
add_opml_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) opml = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (opml, _("Subscription Lists (OPML)"));
  gtk_file_filter_add_mime_type (opml, "text/x-opml+xml");
  gtk_file_filter_add_mime_type (opml, "text/x-opml");
  gtk_file_filter_add_pattern (opml, "*.opml");
  gtk_file_filter_add_pattern (opml, "*.xml");
  gtk_file_chooser_add_filter (chooser, opml);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
import_opml_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GazetteWindow *self = GAZETTE_WINDOW (widget);
  GtkFileChooserNative *dialog;

  if (self->library == NULL)
    return;

  /* GTK 4.8 has no GtkFileDialog; the native chooser goes through the portal when sandboxed. */
  dialog = gtk_file_chooser_native_new (_("Import Subscriptions"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  add_opml_filters (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
opml_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          message = g_strdup_printf (_("Could not save the subscriptions: %s"), error->message);
          gazette_window_add_toast (self, message);
        }
      return;
    }
  gazette_window_add_toast (self, _("Subscriptions exported"));
}

static void
opml_exported_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  GFile *file = g_object_get_data (G_OBJECT (self), "gazette-export-file");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = NULL;
  char *opml;

  opml = gazette_opml_export_finish (GAZETTE_STORE (object), result, &error);
  if (opml == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          message = g_strdup_printf (_("Could not export the subscriptions: %s"), error->message);
          gazette_window_add_toast (self, message);
        }
      return;
    }
  bytes = g_bytes_new_take (opml, strlen (opml));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, opml_written_cb, g_object_ref (self));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file != NULL)
    gazette_window_export_subscriptions (self, file);
}

static void
export_opml_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GazetteWindow *self = GAZETTE_WINDOW (widget);
  GtkFileChooserNative *dialog;

  if (self->library == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export Subscriptions"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  add_opml_filters (GTK_FILE_CHOOSER (dialog));
  /* Translators: the suggested file name of exported subscriptions */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("subscriptions.opml"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
mark_all_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_store_mark_all_read_finish (GAZETTE_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not mark the articles as read: %s", error->message);
}

static void
mark_all_read_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GazetteWindow *self = GAZETTE_WINDOW (widget);
  GazetteArticleModel *model = gazette_article_list_get_model (self->article_list);
  GazetteArticleFilter filter;
  guint n;

  if (self->library == NULL)
    return;

  gazette_sidebar_get_filter (self->sidebar, &filter);

  /* The rows show it at once; the store's change reloads them anyway. */
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < n; i++)
    gazette_article_set_read (gazette_article_model_peek (model, i), TRUE);

  gazette_store_mark_all_read_async (gazette_library_get_store (self->library), &filter,
                                     self->cancellable, mark_all_read_cb, NULL);
}

static void
next_article_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GazetteWindow *self = GAZETTE_WINDOW (widget);

  if (!gazette_article_list_move (self->article_list, g_str_equal (action_name,
                                                                   "win.previous-article")
                                                      ? -1 : 1))
    gtk_widget_error_bell (widget);
}

static void
toggle_read_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gazette_article_view_toggle_read (GAZETTE_WINDOW (widget)->article_view);
}

static void
toggle_star_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gazette_article_view_toggle_star (GAZETTE_WINDOW (widget)->article_view);
}

/* Removing a source, with undo */

typedef struct {
  GazetteWindow *window;   /* weak */
  gint64         id;
  gboolean       undone;
} PendingRemoval;

static void
remove_source_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_library_remove_source_finish (GAZETTE_LIBRARY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not remove the source: %s", error->message);
}

static void
removal_undo_cb (AdwToast       *toast,
                 PendingRemoval *pending)
{
  pending->undone = TRUE;
  if (pending->window != NULL)
    gazette_sidebar_set_source_hidden (pending->window->sidebar, pending->id, FALSE);
}

static void
removal_dismissed_cb (AdwToast       *toast,
                      PendingRemoval *pending)
{
  if (pending->undone || pending->window == NULL || pending->window->library == NULL)
    return;

  /* Not cancellable with the window: the user chose to remove it, the window may be closing. */
  gazette_library_remove_source_async (pending->window->library, pending->id, NULL,
                                       remove_source_cb, NULL);
}

static void
pending_removal_free (gpointer data,
                      GClosure *closure)
{
  PendingRemoval *pending = data;

  g_clear_weak_pointer (&pending->window);
  g_free (pending);
}

static void
remove_source_requested_cb (GazetteWindow *self,
                            gint64         id,
                            const char    *title)
{
  g_autofree char *message = NULL;
  PendingRemoval *pending;
  AdwToast *toast;

  /* Translators: toast after removing a source, with its title; it offers Undo */
  message = g_strdup_printf (_("Removed “%s”"), title != NULL ? title : "");
  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));

  pending = g_new0 (PendingRemoval, 1);
  pending->id = id;
  g_set_weak_pointer (&pending->window, self);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (removal_undo_cb), pending);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (removal_dismissed_cb), pending,
                         pending_removal_free, 0);
  show_toast (self, toast);
}

/* Search and read later */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gazette_article_list_start_search (GAZETTE_WINDOW (widget)->article_list);
}

static char *
web_url_from_text (const char *text)
{
  g_autofree char *url = g_strstrip (g_strdup (text != NULL ? text : ""));

  /* One address only: a pasted paragraph is not a page to save. */
  if (strpbrk (url, " \t\n") != NULL ||
      !(g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://")) ||
      !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    return NULL;
  return g_steal_pointer (&url);
}

static void
url_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gazette_saver_save_url_finish (GAZETTE_SAVER (object), result, &error) <= 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: toast when a page could not be saved for later, with the reason */
      message = g_strdup_printf (_("Could not save the page: %s"), error->message);
    }
  else
    message = g_strdup (_("Page saved for offline reading"));
  gazette_window_add_toast (self, message);
}

/* "Read later": the page at @text (an address pasted or dropped on the window) is saved with its
 * images. Returns FALSE when @text is not a web address. */
gboolean
gazette_window_save_url (GazetteWindow *self,
                         const char    *text)
{
  g_autofree char *url = web_url_from_text (text);

  g_return_val_if_fail (GAZETTE_IS_WINDOW (self), FALSE);

  if (url == NULL || self->library == NULL)
    return FALSE;
  /* One toast, when it is done: two in quick succession trip libadwaita 1.2's toast animation. */
  gazette_saver_save_url_async (gazette_library_get_saver (self->library), url,
                                self->cancellable, url_saved_cb, g_object_ref (self));
  return TRUE;
}

static gboolean
url_dropped_cb (GtkDropTarget *target,
                const GValue  *value,
                double         x,
                double         y,
                GazetteWindow *self)
{
  return G_VALUE_HOLDS_STRING (value) && gazette_window_save_url (self, g_value_get_string (value));
}

static void
clipboard_text_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GazetteWindow) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  if (text != NULL)
    gazette_window_save_url (self, text);
}

static void
paste_url_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_text_cb,
                                 g_object_ref (widget));
}

static void
setup_read_later (GazetteWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY | GDK_ACTION_LINK);

  g_signal_connect_object (target, "drop", G_CALLBACK (url_dropped_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* Panes */

static void
sidebar_selection_cb (GazetteWindow *self)
{
  GazetteArticleFilter filter;
  const char *title = gazette_sidebar_get_selected_title (self->sidebar);

  gtk_label_set_text (self->list_title, title != NULL ? title : "");
  if (!self->ready)
    return;

  gazette_sidebar_get_filter (self->sidebar, &filter);
  filter.unread_only = g_settings_get_boolean (self->settings, "show-unread-only") &&
                       filter.kind != GAZETTE_ARTICLE_FILTER_UNREAD;
  gazette_article_list_set_filter (self->article_list, &filter);
}

/* bench/library: with GAZETTE_BENCH_FIRST_PAINT set, the first frame drawn after the list's model
 * got rows prints "first-paint <unix µs> rss-kib <resident KiB>" on stdout; "quit" then quits. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      gpointer       user_data)
{
  g_autofree char *status = NULL;
  const char *rss;
  long rss_kib = 0;

  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, user_data);
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (rss = strstr (status, "VmRSS:")) != NULL)
    rss_kib = strtol (rss + strlen ("VmRSS:"), NULL, 10);
  g_print ("first-paint %" G_GINT64_FORMAT " rss-kib %ld\n", g_get_real_time (), rss_kib);
  fflush (stdout);
  if (g_strcmp0 (g_getenv ("GAZETTE_BENCH_FIRST_PAINT"), "quit") == 0)
    g_application_quit (g_application_get_default ());
}

/* The frame that lays out the rows: its paint is the first with them. */
static gboolean
bench_first_frame_cb (GtkWidget     *widget,
                      GdkFrameClock *clock,
                      gpointer       user_data)
{
  g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), NULL);
  return G_SOURCE_REMOVE;
}

static void
bench_first_paint (GazetteWindow *self)
{
  static gboolean done;
  GazetteArticleModel *model = gazette_article_list_get_model (self->article_list);

  if (done || g_getenv ("GAZETTE_BENCH_FIRST_PAINT") == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return;
  done = TRUE;
  gtk_widget_add_tick_callback (GTK_WIDGET (self->article_list), bench_first_frame_cb, NULL, NULL);
}

/* On the very first run the reader is greeted by the Welcome article rather than by an empty
 * pane; later starts leave the choice to them. */
static void
article_list_loaded_cb (GazetteWindow *self)
{
  GazetteArticleModel *model = gazette_article_list_get_model (self->article_list);
  GazetteArticle *first;

  if (self->first_load_done)
    return;
  self->first_load_done = TRUE;

  first = gazette_article_model_peek (model, 0);
  if (first != NULL && gazette_article_list_get_selected (self->article_list) == NULL &&
      !gazette_article_get_read (first) &&
      g_str_has_prefix (gazette_article_get_guid (first) != NULL ? gazette_article_get_guid (first) : "",
                        "gazette-welcome:"))
    gazette_article_list_select (self->article_list, 0);
}

static void
selected_article_cb (GazetteWindow *self)
{
  gazette_article_view_show (self->article_view,
                             gazette_article_list_get_selected (self->article_list));
}

static void
library_ready (GazetteWindow *self)
{
  static gboolean bench_imported;
  const char *bench_import = g_getenv ("GAZETTE_BENCH_IMPORT");

  self->ready = TRUE;
  gazette_sidebar_reload (self->sidebar);
  sidebar_selection_cb (self);
  gazette_article_list_reload (self->article_list);

  /* bench/feeds-app-demo: an OPML file imported in the running app, as Import Subscriptions…
   * does once a file is chosen; the stall monitor covers the import and its refresh. */
  if (bench_import != NULL && !bench_imported)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (bench_import);

      bench_imported = TRUE;
      gazette_stall_monitor_begin ("import");
      gazette_window_import_subscriptions (self, file);
    }
}

static void
app_ready_cb (GazetteWindow      *self,
              GParamSpec         *pspec,
              GazetteApplication *app)
{
  if (gazette_application_get_ready (app))
    library_ready (self);
}

static void
attach_library (GazetteWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_return_if_fail (GAZETTE_IS_APPLICATION (app));

  self->library = g_object_ref (gazette_application_get_library (GAZETTE_APPLICATION (app)));
  gazette_sidebar_set_library (self->sidebar, self->library, self->cancellable);
  gazette_article_list_set_library (self->article_list, self->library, self->cancellable);
  gazette_article_view_set_library (self->article_view, self->library, self->cancellable);

  g_signal_connect_object (self->library, "notify::refreshing",
                           G_CALLBACK (refreshing_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "notify::refresh-current",
                           G_CALLBACK (refresh_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "notify::refresh-pending",
                           G_CALLBACK (refresh_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "source-failed", G_CALLBACK (source_failed_cb), self,
                           G_CONNECT_SWAPPED);
  update_refresh_state (self);

  if (gazette_application_get_ready (GAZETTE_APPLICATION (app)))
    library_ready (self);
  else
    g_signal_connect_object (app, "notify::ready", G_CALLBACK (app_ready_cb), self,
                             G_CONNECT_SWAPPED);
}

static gboolean
gazette_window_close_request (GtkWindow *window)
{
  GazetteWindow *self = GAZETTE_WINDOW (window);
  int width, height;

  /* Saved here rather than bound: GSettings rejects out-of-range values with a critical, and
   * the panes pass through small sizes while the window is mapped. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_int (self->settings, "sidebar-width",
                      CLAMP (gtk_paned_get_position (self->outer_paned), 120, 800));
  g_settings_set_int (self->settings, "list-width",
                      CLAMP (gtk_paned_get_position (self->inner_paned), 160, 1200));

  return GTK_WINDOW_CLASS (gazette_window_parent_class)->close_request (window);
}

static void
gazette_window_dispose (GObject *object)
{
  GazetteWindow *self = GAZETTE_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_WINDOW);
  g_clear_object (&self->library);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_weak_pointer (&self->toast);

  G_OBJECT_CLASS (gazette_window_parent_class)->dispose (object);
}

static void
gazette_window_class_init (GazetteWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gazette_window_dispose;
  window_class->close_request = gazette_window_close_request;

  g_type_ensure (GAZETTE_TYPE_SIDEBAR);
  g_type_ensure (GAZETTE_TYPE_ARTICLE_LIST);
  g_type_ensure (GAZETTE_TYPE_ARTICLE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/gazette-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, outer_paned);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, inner_paned);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, unread_only_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, article_list);
  gtk_widget_class_bind_template_child (widget_class, GazetteWindow, article_view);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_selection_cb);
  gtk_widget_class_bind_template_callback (widget_class, selected_article_cb);
  gtk_widget_class_bind_template_callback (widget_class, article_list_loaded_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_source_requested_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.add-source", NULL, add_source_action);
  gtk_widget_class_install_action (widget_class, "win.mark-all-read", NULL, mark_all_read_action);
  gtk_widget_class_install_action (widget_class, "win.import-opml", NULL, import_opml_action);
  gtk_widget_class_install_action (widget_class, "win.export-opml", NULL, export_opml_action);
  gtk_widget_class_install_action (widget_class, "win.next-article", NULL, next_article_action);
  gtk_widget_class_install_action (widget_class, "win.previous-article", NULL,
                                   next_article_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-star", NULL, toggle_star_action);
  gtk_widget_class_install_action (widget_class, "win.show-failures", NULL,
                                   show_failures_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL,
                                   dismiss_banner_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-source", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.mark-all-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_A,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.mark-all-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "win.next-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, 0, "win.next-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.previous-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, 0, "win.previous-article", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, 0, "win.toggle-read", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "win.toggle-star", NULL);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.paste-url", NULL, paste_url_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  /* Bubbling: an entry with the focus pastes into itself first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "win.paste-url", NULL);
}

static void
gazette_window_init (GazetteWindow *self)
{
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) failure_free);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  gtk_paned_set_position (self->outer_paned, g_settings_get_int (self->settings, "sidebar-width"));
  gtk_paned_set_position (self->inner_paned, g_settings_get_int (self->settings, "list-width"));

  g_settings_bind (self->settings, "show-unread-only", self->unread_only_button, "active",
                   G_SETTINGS_BIND_DEFAULT);
  setup_read_later (self);
  if (g_getenv ("GAZETTE_BENCH_FIRST_PAINT") != NULL)
    g_signal_connect_object (gazette_article_list_get_model (self->article_list), "items-changed",
                             G_CALLBACK (bench_first_paint), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::show-unread-only",
                           G_CALLBACK (sidebar_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->article_view, "message", G_CALLBACK (gazette_window_add_toast),
                           self, G_CONNECT_SWAPPED);
}

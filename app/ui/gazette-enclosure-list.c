/* gazette-enclosure-list.c — an article's podcast and media files, to open or download
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per enclosure: its file name, type and size, "Open" (the default application for the
 * URL: a podcast player, a browser) and "Download" (a save dialog, then the library's fetcher
 * writes the file, with progress and a way to stop). GTK 4.8: gtk_show_uri and
 * GtkFileChooserNative, not GtkUriLauncher and GtkFileDialog.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gazette-enclosure-list.h"
#include "gazette-feed.h"

struct _GazetteEnclosureList
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  GtkListBox     *list;

  GazetteLibrary *library;
  GCancellable   *load_cancellable;
  GCancellable   *cancellable;      /* downloads; cancelled with the widget */
  guint           n_items;
};

G_DEFINE_FINAL_TYPE (GazetteEnclosureList, gazette_enclosure_list, GTK_TYPE_WIDGET)

enum {
  SIGNAL_OPEN_URI,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a row needs once its buttons are pressed. */
typedef struct {
  GazetteEnclosureList *self;       /* weak: a download may outlive the widget's rows */
  char                 *url;
  char                 *name;
  char                 *subtitle;
  GtkWidget            *row;
  GtkWidget            *progress;
  GtkWidget            *download_button;
  GCancellable         *cancellable;  /* the running download, NULL when none */
  GtkFileChooserNative *chooser;
  GFile                *downloaded;   /* where it was saved; Open opens it then */
} Item;

static void
item_free (Item *item)
{
  if (item->self != NULL)
    g_object_remove_weak_pointer (G_OBJECT (item->self), (gpointer *) &item->self);
  if (item->cancellable != NULL)
    g_cancellable_cancel (item->cancellable);
  g_clear_object (&item->cancellable);
  if (item->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (item->chooser));
  g_clear_object (&item->chooser);
  g_clear_object (&item->downloaded);
  g_free (item->url);
  g_free (item->name);
  g_free (item->subtitle);
  g_free (item);
}

char *
gazette_enclosure_file_name (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL) : NULL;
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;
  const char *slash;
  g_autofree char *name = NULL;

  if (path == NULL)
    return g_strdup ("download");
  slash = strrchr (path, '/');
  name = g_uri_unescape_string (slash != NULL ? slash + 1 : path, "/");
  if (name == NULL || *name == '\0' || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return g_strdup ("download");
  return g_steal_pointer (&name);
}

static GtkWindow *
toplevel_of (GazetteEnclosureList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
open_clicked_cb (GtkButton *button,
                 Item      *item)
{
  g_autofree char *uri = NULL;
  gboolean handled = FALSE;

  if (item->self == NULL)
    return;
  /* Downloaded: the file on disk, not the stream again. */
  uri = item->downloaded != NULL ? g_file_get_uri (item->downloaded) : g_strdup (item->url);
  g_signal_emit (item->self, signals[SIGNAL_OPEN_URI], 0, uri, &handled);
}

static gboolean
gazette_enclosure_list_real_open_uri (GazetteEnclosureList *self,
                                      const char           *uri)
{
  gtk_show_uri (toplevel_of (self), uri, GDK_CURRENT_TIME);
  return TRUE;
}

static void
set_downloading (Item     *item,
                 gboolean  downloading)
{
  gtk_widget_set_visible (item->progress, downloading);
  gtk_button_set_label (GTK_BUTTON (item->download_button),
                        downloading ? _("_Stop") : _("_Download"));
  gtk_widget_set_tooltip_text (item->download_button,
                               downloading ? _("Stop downloading") : _("Save the file"));
}

static void
download_progress_cb (goffset  current,
                      goffset  total,
                      gpointer user_data)
{
  Item *item = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (item->progress),
                                   MIN ((double) current / (double) total, 1.0));
  else
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (item->progress));
}

static void
download_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  Item *item = g_object_get_data (G_OBJECT (row), "gazette-item");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  gazette_fetcher_download_finish (GAZETTE_FETCHER (object), result, &error);
  if (item == NULL)
    return;
  g_clear_object (&item->cancellable);
  set_downloading (item, FALSE);

  if (error == NULL)
    {
      g_set_object (&item->downloaded, g_object_get_data (G_OBJECT (row), "gazette-destination"));
      /* Translators: under an attachment once downloaded; %s is the file name */
      message = g_strdup_printf (_("Downloaded as %s"), item->name);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    message = g_strdup (item->subtitle);
  else
    /* Translators: under an attachment; %s says why the download failed */
    message = g_strdup_printf (_("Download failed: %s"), error->message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (item->row), message);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     Item            *item)
{
  g_autoptr(GFile) file = NULL;
  GazetteFetcher *fetcher;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&item->chooser);

  if (file == NULL || item->self == NULL || item->self->library == NULL)
    return;

  fetcher = gazette_library_get_fetcher (item->self->library);
  g_free (item->name);
  item->name = g_file_get_basename (file);
  g_clear_object (&item->downloaded);
  g_object_set_data_full (G_OBJECT (item->row), "gazette-destination", g_object_ref (file),
                          g_object_unref);
  item->cancellable = g_cancellable_new ();
  g_signal_connect_object (item->self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), item->cancellable,
                           G_CONNECT_SWAPPED);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (item->progress), 0.0);
  set_downloading (item, TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (item->row), item->subtitle);
  gazette_fetcher_download_async (fetcher, item->url, file, download_progress_cb, item,
                                  item->cancellable, download_done_cb,
                                  g_object_ref (item->row));
}

static void
download_clicked_cb (GtkButton *button,
                     Item      *item)
{
  if (item->self == NULL)
    return;

  /* Pressed again while it runs: stop. */
  if (item->cancellable != NULL)
    {
      g_cancellable_cancel (item->cancellable);
      return;
    }
  if (item->chooser != NULL)
    return;

  item->chooser = gtk_file_chooser_native_new (_("Download Attachment"),
                                               toplevel_of (item->self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Download"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (item->chooser), TRUE);
  /* The Downloads folder, where people look for what they downloaded. */
  {
    const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

    if (downloads != NULL && g_file_test (downloads, G_FILE_TEST_IS_DIR))
      {
        g_autoptr(GFile) folder = g_file_new_for_path (downloads);

        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (item->chooser), folder, NULL);
      }
  }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (item->chooser), item->name);
  g_signal_connect (item->chooser, "response", G_CALLBACK (chooser_response_cb), item);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (item->chooser));
}

static GtkWidget *
create_row (GazetteEnclosureList   *self,
            const GazetteEnclosure *enclosure)
{
  Item *item = g_new0 (Item, 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *open_button, *box;
  GString *subtitle = g_string_new (NULL);

  item->self = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &item->self);
  item->url = g_strdup (enclosure->url);
  item->name = gazette_enclosure_file_name (enclosure->url);
  item->row = row;

  if (enclosure->type != NULL && *enclosure->type != '\0')
    g_string_append (subtitle, enclosure->type);
  if (enclosure->length > 0)
    {
      g_autofree char *size = g_format_size ((guint64) enclosure->length);

      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, size);
    }
  item->subtitle = g_string_free (subtitle, FALSE);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), item->subtitle);
  gtk_widget_set_tooltip_text (row, item->url);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (
                               g_str_has_prefix (enclosure->type != NULL ? enclosure->type : "",
                                                 "audio/") ? "audio-x-generic-symbolic"
                               : g_str_has_prefix (enclosure->type != NULL ? enclosure->type : "",
                                                   "video/") ? "video-x-generic-symbolic"
                               : g_str_has_prefix (enclosure->type != NULL ? enclosure->type : "",
                                                   "image/") ? "image-x-generic-symbolic"
                               : "text-x-generic-symbolic"));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

  item->progress = gtk_progress_bar_new ();
  gtk_widget_set_valign (item->progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (item->progress, 96, -1);
  gtk_widget_set_visible (item->progress, FALSE);
  gtk_box_append (GTK_BOX (box), item->progress);

  open_button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_tooltip_text (open_button, _("Open with the default application"));
  g_signal_connect (open_button, "clicked", G_CALLBACK (open_clicked_cb), item);
  gtk_box_append (GTK_BOX (box), open_button);

  item->download_button = gtk_button_new_with_mnemonic (_("_Download"));
  gtk_widget_set_tooltip_text (item->download_button, _("Save the file"));
  g_signal_connect (item->download_button, "clicked", G_CALLBACK (download_clicked_cb), item);
  gtk_box_append (GTK_BOX (box), item->download_button);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "gazette-item", item, (GDestroyNotify) item_free);
  return row;
}

static void
item_forget_self (Item *item)
{
  if (item->self != NULL)
    g_object_remove_weak_pointer (G_OBJECT (item->self), (gpointer *) &item->self);
  item->self = NULL;
}

static void
clear_rows (GazetteEnclosureList *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    {
      Item *item = g_object_get_data (G_OBJECT (child), "gazette-item");

      /* A running download goes on: its row stays alive with it, out of the list. */
      if (item != NULL)
        item_forget_self (item);
      gtk_list_box_remove (self->list, child);
    }
}

void
gazette_enclosure_list_set_enclosures (GazetteEnclosureList *self,
                                       GPtrArray            *enclosures)
{
  g_return_if_fail (GAZETTE_IS_ENCLOSURE_LIST (self));

  clear_rows (self);
  self->n_items = 0;
  for (guint i = 0; enclosures != NULL && i < enclosures->len; i++)
    {
      const GazetteEnclosure *enclosure = g_ptr_array_index (enclosures, i);

      if (enclosure == NULL || enclosure->url == NULL)
        continue;
      gtk_list_box_append (self->list, create_row (self, enclosure));
      self->n_items++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->n_items > 0);
}

guint
gazette_enclosure_list_get_n_items (GazetteEnclosureList *self)
{
  g_return_val_if_fail (GAZETTE_IS_ENCLOSURE_LIST (self), 0);
  return self->n_items;
}

static void
enclosures_loaded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GazetteEnclosureList) self = user_data;
  g_autoptr(GPtrArray) enclosures = NULL;
  g_autoptr(GError) error = NULL;

  enclosures = gazette_store_list_enclosures_finish (GAZETTE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Could not list the attachments: %s", error->message);
  gazette_enclosure_list_set_enclosures (self, enclosures);
}

void
gazette_enclosure_list_set_article_id (GazetteEnclosureList *self,
                                       gint64                article_id)
{
  g_return_if_fail (GAZETTE_IS_ENCLOSURE_LIST (self));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gazette_enclosure_list_set_enclosures (self, NULL);
  if (article_id <= 0 || self->library == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  gazette_store_list_enclosures_async (gazette_library_get_store (self->library), article_id,
                                       self->load_cancellable, enclosures_loaded_cb,
                                       g_object_ref (self));
}

void
gazette_enclosure_list_set_library (GazetteEnclosureList *self,
                                    GazetteLibrary       *library)
{
  g_return_if_fail (GAZETTE_IS_ENCLOSURE_LIST (self));

  g_set_object (&self->library, library);
}

GtkWidget *
gazette_enclosure_list_new (void)
{
  return g_object_new (GAZETTE_TYPE_ENCLOSURE_LIST, NULL);
}

static void
gazette_enclosure_list_dispose (GObject *object)
{
  GazetteEnclosureList *self = GAZETTE_ENCLOSURE_LIST (object);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->list != NULL)
    clear_rows (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_ENCLOSURE_LIST);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (gazette_enclosure_list_parent_class)->dispose (object);
}

static void
gazette_enclosure_list_class_init (GazetteEnclosureListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_enclosure_list_dispose;

  /* "open-uri" (const char *uri) → gboolean: Open was pressed; the default handler shows @uri
   * (the enclosure's address, or the downloaded file) with the default application. */
  signals[SIGNAL_OPEN_URI] =
    g_signal_new_class_handler ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (gazette_enclosure_list_real_open_uri),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gazette-enclosure-list.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteEnclosureList, box);
  gtk_widget_class_bind_template_child (widget_class, GazetteEnclosureList, list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gazette-enclosure-list");
}

static void
gazette_enclosure_list_init (GazetteEnclosureList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* gazette-storage-page.c — Preferences › Storage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-storage-page.h"
#include "gazette-store-offline.h"

struct _GazetteStoragePage
{
  AdwPreferencesPage  parent_instance;

  AdwActionRow       *library_row;
  AdwActionRow       *images_row;
  GtkButton          *clean_button;
  GtkSpinButton      *days_spin;
  GtkSpinButton      *per_source_spin;
  GtkSwitch          *unread_switch;

  GSettings          *settings;
  GazetteStore       *store;
  GCancellable       *cancellable;
  char               *summary;
};

G_DEFINE_FINAL_TYPE (GazetteStoragePage, gazette_storage_page, ADW_TYPE_PREFERENCES_PAGE)

static void
space_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GazetteStoragePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *images = NULL;
  g_autofree char *images_size = NULL;
  g_autofree char *articles = NULL;
  GazetteSpaceUsage usage;

  if (!gazette_store_get_space_finish (GAZETTE_STORE (object), result, &usage, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->library_row, error->message);
      return;
    }

  size = g_format_size (usage.database_bytes);
  /* Translators: "1 234 articles, 12 saved" — the library's size follows in another string */
  articles = g_strdup_printf (ngettext ("%u article, %u saved", "%u articles, %u saved",
                                        usage.n_articles),
                              usage.n_articles, usage.n_saved);
  g_free (self->summary);
  /* Translators: the library's size on disk, then "N articles, M saved" */
  self->summary = g_strdup_printf (_("%s — %s"), size, articles);
  adw_action_row_set_subtitle (self->library_row, self->summary);

  images_size = g_format_size (usage.asset_bytes);
  /* Translators: the size of the stored images and how many there are; part of the library */
  images = g_strdup_printf (ngettext ("%s in %u image", "%s in %u images", usage.n_assets),
                            images_size, usage.n_assets);
  adw_action_row_set_subtitle (self->images_row, images);
}

static void
measure (GazetteStoragePage *self)
{
  if (self->store != NULL)
    gazette_store_get_space_async (self->store, self->cancellable, space_cb, g_object_ref (self));
}

static void
clean_up_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GazetteStoragePage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint removed = 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->clean_button), TRUE);
  if (!gazette_store_clean_up_finish (GAZETTE_STORE (object), result, &removed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->library_row, error->message);
      return;
    }
  {
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    g_autofree char *message = g_strdup_printf (ngettext ("Removed %u article",
                                                          "Removed %u articles", removed),
                                                removed);

    if (ADW_IS_PREFERENCES_WINDOW (root))
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
  }
  measure (self);
}

void
gazette_storage_page_clean_up (GazetteStoragePage *self)
{
  GazetteRetention retention;

  g_return_if_fail (GAZETTE_IS_STORAGE_PAGE (self));

  if (self->store == NULL)
    return;
  retention.keep_days = MAX (0, g_settings_get_int (self->settings, "keep-days"));
  retention.keep_per_source = MAX (0, g_settings_get_int (self->settings, "keep-per-source"));
  retention.keep_unread = g_settings_get_boolean (self->settings, "keep-unread");
  gtk_widget_set_sensitive (GTK_WIDGET (self->clean_button), FALSE);
  gazette_store_clean_up_async (self->store, &retention, self->cancellable, clean_up_cb,
                                g_object_ref (self));
}

const char *
gazette_storage_page_get_summary (GazetteStoragePage *self)
{
  g_return_val_if_fail (GAZETTE_IS_STORAGE_PAGE (self), NULL);
  return self->summary;
}

GtkWidget *
gazette_storage_page_new (GSettings    *settings,
                          GazetteStore *store)
{
  GazetteStoragePage *self = g_object_new (GAZETTE_TYPE_STORAGE_PAGE, NULL);

  self->settings = g_object_ref (settings);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  g_settings_bind (settings, "keep-days", gtk_spin_button_get_adjustment (self->days_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "keep-per-source",
                   gtk_spin_button_get_adjustment (self->per_source_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "keep-unread", self->unread_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clean_button), store != NULL);
  measure (self);
  return GTK_WIDGET (self);
}

static void
gazette_storage_page_dispose (GObject *object)
{
  GazetteStoragePage *self = GAZETTE_STORAGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_STORAGE_PAGE);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (gazette_storage_page_parent_class)->dispose (object);
}

static void
gazette_storage_page_class_init (GazetteStoragePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_storage_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gazette-storage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteStoragePage, library_row);
  gtk_widget_class_bind_template_child (widget_class, GazetteStoragePage, images_row);
  gtk_widget_class_bind_template_child (widget_class, GazetteStoragePage, clean_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteStoragePage, days_spin);
  gtk_widget_class_bind_template_child (widget_class, GazetteStoragePage, per_source_spin);
  gtk_widget_class_bind_template_child (widget_class, GazetteStoragePage, unread_switch);
  gtk_widget_class_bind_template_callback (widget_class, gazette_storage_page_clean_up);
}

static void
gazette_storage_page_init (GazetteStoragePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

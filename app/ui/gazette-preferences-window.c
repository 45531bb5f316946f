/* gazette-preferences-window.c — refresh interval, reader font and size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-clutter-preferences.h"
#include "gazette-preferences-window.h"
#include "gazette-storage-page.h"

struct _GazettePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *interval_spin;
  GtkSwitch            *refresh_on_start_switch;
  AdwComboRow          *font_row;
  GtkSpinButton        *font_size_spin;
};

G_DEFINE_FINAL_TYPE (GazettePreferencesWindow, gazette_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* The combo row lists the enum's values in order: serif, sans. */
static gboolean
font_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_value_set_uint (value, g_strcmp0 (g_variant_get_string (variant, NULL), "sans") == 0 ? 1 : 0);
  return TRUE;
}

static GVariant *
font_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "sans" : "serif");
}

GazettePreferencesWindow *
gazette_preferences_window_new (GSettings *settings)
{
  GazettePreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAZETTE_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "refresh-interval",
                   gtk_spin_button_get_adjustment (self->interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "refresh-on-start", self->refresh_on_start_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "reader-font", self->font_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, font_get_mapping, font_set_mapping,
                                NULL, NULL);
  g_settings_bind (settings, "reader-font-size",
                   gtk_spin_button_get_adjustment (self->font_size_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (gazette_clutter_preferences_new (
                                gazette_content_filter_get_default ())));

  return self;
}

void
gazette_preferences_window_add_storage (GazettePreferencesWindow *self,
                                        GazetteStore             *store)
{
  g_return_if_fail (GAZETTE_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (gazette_storage_page_new (self->settings,
                                                                              store)));
}

static void
gazette_preferences_window_dispose (GObject *object)
{
  GazettePreferencesWindow *self = GAZETTE_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gazette_preferences_window_parent_class)->dispose (object);
}

static void
gazette_preferences_window_class_init (GazettePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gazette-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GazettePreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, GazettePreferencesWindow,
                                        refresh_on_start_switch);
  gtk_widget_class_bind_template_child (widget_class, GazettePreferencesWindow, font_row);
  gtk_widget_class_bind_template_child (widget_class, GazettePreferencesWindow, font_size_spin);
}

static void
gazette_preferences_window_init (GazettePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* gazette-clutter-preferences.c — the "Clutter Filter" page of Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-clutter-preferences.h"

struct _GazetteClutterPreferences
{
  AdwPreferencesPage    parent_instance;

  GazetteContentFilter *filter;
  GSettings            *settings;
  GCancellable         *cancellable;

  AdwActionRow         *status_row;
  AdwActionRow         *easylist_row;
  GtkButton            *save_button;
  GtkTextView          *text_view;
  GtkLabel             *problems_label;
  GtkListBox           *sites_list;
  gboolean              loading_text;
  char                 *shown_text;  /* the list as last loaded into the view */
};

G_DEFINE_FINAL_TYPE (GazetteClutterPreferences, gazette_clutter_preferences,
                     ADW_TYPE_PREFERENCES_PAGE)

static void
update_status (GazetteClutterPreferences *self)
{
  GPtrArray *warnings = gazette_content_filter_get_warnings (self->filter);
  guint n = gazette_content_filter_get_n_rules (self->filter);
  g_autofree char *count = NULL;

  if (!gazette_content_filter_get_loaded (self->filter))
    adw_action_row_set_subtitle (self->status_row, _("Loading…"));
  else
    {
      /* Translators: how many filter rules (lines such as "##.donate-box") are in use */
      count = g_strdup_printf (ngettext ("%u rule in use", "%u rules in use", n), n);
      adw_action_row_set_subtitle (self->status_row, count);
    }
  adw_action_row_set_subtitle (self->easylist_row,
                               gazette_content_filter_get_easylist_found (self->filter)
                               ? _("Found and in use")
                               : _("Not found: install the webext-ublock-origin-firefox "
                                   "package to use it"));

  if (warnings != NULL && warnings->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      g_string_append (text, ngettext ("This line was skipped:", "These lines were skipped:",
                                       warnings->len));
      for (guint i = 0; i < warnings->len; i++)
        g_string_append_printf (text, "\n%s", (const char *) g_ptr_array_index (warnings, i));
      gtk_label_set_text (self->problems_label, text->str);
      gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
}

static void
load_text (GazetteClutterPreferences *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  self->loading_text = TRUE;
  g_free (self->shown_text);
  self->shown_text = g_strdup (gazette_content_filter_get_user_rules (self->filter));
  gtk_text_buffer_set_text (buffer, self->shown_text, -1);
  self->loading_text = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
}

static void
filter_loaded_cb (GazetteClutterPreferences *self)
{
  load_text (self);
  update_status (self);
}

/* The list changed elsewhere ("Hide Blocks Like This"): shown unless the user is editing it. */
static void
filter_changed_cb (GazetteClutterPreferences *self)
{
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)) &&
      g_strcmp0 (gazette_content_filter_get_user_rules (self->filter), self->shown_text) != 0)
    load_text (self);
  update_status (self);
}

static void
buffer_changed_cb (GazetteClutterPreferences *self)
{
  if (!self->loading_text)
    gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GazetteClutterPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gazette_content_filter_save_user_rules_finish (GAZETTE_CONTENT_FILTER (object), result,
                                                      &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->problems_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
      return;
    }
  update_status (self);
}

void
gazette_clutter_preferences_save (GazetteClutterPreferences *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_return_if_fail (GAZETTE_IS_CLUTTER_PREFERENCES (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  /* What the view shows is what gets saved: no reload when the filter reports the change. */
  g_free (self->shown_text);
  self->shown_text = g_strdup (text);
  gazette_content_filter_save_user_rules_async (self->filter, text, self->cancellable, save_cb,
                                                g_object_ref (self));
}

static void
save_clicked_cb (GazetteClutterPreferences *self)
{
  gazette_clutter_preferences_save (self);
}

GtkTextView *
gazette_clutter_preferences_get_text_view (GazetteClutterPreferences *self)
{
  g_return_val_if_fail (GAZETTE_IS_CLUTTER_PREFERENCES (self), NULL);
  return self->text_view;
}

/* Sites */

static void
site_enable_cb (GtkButton                 *button,
                GazetteClutterPreferences *self)
{
  const char *site = g_object_get_data (G_OBJECT (button), "site");

  gazette_content_filter_set_enabled_for (self->filter, site, TRUE);
}

static void
update_sites (GazetteClutterPreferences *self)
{
  g_auto(GStrv) sites = g_settings_get_strv (self->settings, "filter-disabled-sites");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sites_list))) != NULL)
    gtk_list_box_remove (self->sites_list, child);

  if (sites[0] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("None: the filter runs on every site"));
      gtk_list_box_append (self->sites_list, row);
      return;
    }

  for (guint i = 0; sites[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (_("Turn On"));
      g_autofree char *escaped = g_markup_escape_text (sites[i], -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* Translators: tooltip of a button beside a site in Preferences, %s is "example.com" */
      {
        g_autofree char *tooltip = g_strdup_printf (_("Hide clutter on %s again"), sites[i]);
        gtk_widget_set_tooltip_text (button, tooltip);
      }
      g_object_set_data_full (G_OBJECT (button), "site", g_strdup (sites[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (site_enable_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->sites_list, row);
    }
}

/* Object */

GtkWidget *
gazette_clutter_preferences_new (GazetteContentFilter *filter)
{
  GazetteClutterPreferences *self;

  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (filter), NULL);

  self = g_object_new (GAZETTE_TYPE_CLUTTER_PREFERENCES, NULL);
  self->filter = g_object_ref (filter);
  g_signal_connect_object (filter, "notify::loaded", G_CALLBACK (filter_loaded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (filter, "changed", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::filter-disabled-sites",
                           G_CALLBACK (update_sites), self, G_CONNECT_SWAPPED);
  load_text (self);
  update_status (self);
  update_sites (self);
  return GTK_WIDGET (self);
}

static void
gazette_clutter_preferences_dispose (GObject *object)
{
  GazetteClutterPreferences *self = GAZETTE_CLUTTER_PREFERENCES (object);

  /* A save in flight still finishes: the filter writes the file, only the page goes. */
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_CLUTTER_PREFERENCES);
  g_clear_object (&self->filter);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->shown_text, g_free);

  G_OBJECT_CLASS (gazette_clutter_preferences_parent_class)->dispose (object);
}

static void
gazette_clutter_preferences_class_init (GazetteClutterPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_clutter_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gazette-clutter-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteClutterPreferences, status_row);
  gtk_widget_class_bind_template_child (widget_class, GazetteClutterPreferences, easylist_row);
  gtk_widget_class_bind_template_child (widget_class, GazetteClutterPreferences, save_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteClutterPreferences, text_view);
  gtk_widget_class_bind_template_child (widget_class, GazetteClutterPreferences, problems_label);
  gtk_widget_class_bind_template_child (widget_class, GazetteClutterPreferences, sites_list);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
gazette_clutter_preferences_init (GazetteClutterPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
}

/* gazette-clutter-preferences.h — the "Clutter Filter" page of Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gazette-content-filter.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_CLUTTER_PREFERENCES (gazette_clutter_preferences_get_type ())
G_DECLARE_FINAL_TYPE (GazetteClutterPreferences, gazette_clutter_preferences, GAZETTE,
                      CLUTTER_PREFERENCES, AdwPreferencesPage)

/* The user's rules (editable, saved with the Save button), what was wrong with them, whether
 * EasyList was found, and the sites where the filter is off. */
GtkWidget *gazette_clutter_preferences_new (GazetteContentFilter *filter);

/* For tests: the rules text view, and saving it as the Save button does. */
GtkTextView *gazette_clutter_preferences_get_text_view (GazetteClutterPreferences *self);
void         gazette_clutter_preferences_save          (GazetteClutterPreferences *self);

G_END_DECLS

/* gazette-preferences-window.h — refresh interval, reader font and size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GAZETTE_TYPE_PREFERENCES_WINDOW (gazette_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (GazettePreferencesWindow, gazette_preferences_window, GAZETTE,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

GazettePreferencesWindow *gazette_preferences_window_new (GSettings *settings);

G_END_DECLS

/* gazette-preferences-window.h — refresh interval, reader font and size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gazette-store.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_PREFERENCES_WINDOW (gazette_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (GazettePreferencesWindow, gazette_preferences_window, GAZETTE,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

GazettePreferencesWindow *gazette_preferences_window_new (GSettings *settings);
/* Adds the Storage page (space used, retention, Clean Up Now) for @store. */
void                      gazette_preferences_window_add_storage (GazettePreferencesWindow *self,
                                                                  GazetteStore             *store);

G_END_DECLS

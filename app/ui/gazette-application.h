/* gazette-application.h — the Gazette application: one fetcher, one store, one library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gazette-library.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_APPLICATION (gazette_application_get_type ())
G_DECLARE_FINAL_TYPE (GazetteApplication, gazette_application, GAZETTE, APPLICATION,
                      AdwApplication)

/* Properties: data-dir (string, construct; NULL = $XDG_DATA_HOME/gazette; --data-dir overrides),
 *   library (GazetteLibrary, read-only, NULL until the store is open), ready (boolean, read-only:
 *   the store is open and the Welcome library ensured). */

/* @data_dir may be NULL. Tests pass a temporary directory and then call g_application_register
 * and g_application_activate instead of g_application_run. */
GazetteApplication *gazette_application_new          (const char         *data_dir);
const char         *gazette_application_get_data_dir (GazetteApplication *self);
GazetteLibrary     *gazette_application_get_library  (GazetteApplication *self);
gboolean            gazette_application_get_ready    (GazetteApplication *self);
GSettings          *gazette_application_get_settings (GazetteApplication *self);

/* Refreshes every source unless a refresh is already running. */
void                gazette_application_refresh      (GazetteApplication *self);

G_END_DECLS

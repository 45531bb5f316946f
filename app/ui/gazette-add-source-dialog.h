/* gazette-add-source-dialog.h — add a feed by its address, or one of the suggestions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gazette-library.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_ADD_SOURCE_DIALOG (gazette_add_source_dialog_get_type ())
G_DECLARE_FINAL_TYPE (GazetteAddSourceDialog, gazette_add_source_dialog, GAZETTE,
                      ADD_SOURCE_DIALOG, AdwWindow)

/* Signals: "source-added" (GazetteSource *source), once per feed added, then the dialog
 * closes. When the address offers several feeds, they are listed with check boxes (the first
 * checked) and Add adds the checked ones. */

GazetteAddSourceDialog *gazette_add_source_dialog_new (GtkWindow      *parent,
                                                       GazetteLibrary *library);

/* Starts adding @url as if it had been typed and Add pressed (also for tests). */
void                    gazette_add_source_dialog_add       (GazetteAddSourceDialog *self,
                                                             const char             *url);
/* The error shown under the address, NULL when none. */
const char             *gazette_add_source_dialog_get_error (GazetteAddSourceDialog *self);
gboolean                gazette_add_source_dialog_get_busy  (GazetteAddSourceDialog *self);
/* The feeds offered to choose from (0 when no choice is shown), and checking them (for tests). */
guint                   gazette_add_source_dialog_get_n_choices (GazetteAddSourceDialog *self);
void                    gazette_add_source_dialog_set_chosen    (GazetteAddSourceDialog *self,
                                                                 guint                   index,
                                                                 gboolean                chosen);

/* Plain words for an add or refresh failure (shared with the window's banner). */
char                   *gazette_describe_source_error (const GError   *error);

G_END_DECLS

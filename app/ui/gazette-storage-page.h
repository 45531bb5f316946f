/* gazette-storage-page.h — Preferences › Storage: space used, how long articles are kept,
 * Clean Up Now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gazette-store.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_STORAGE_PAGE (gazette_storage_page_get_type ())
G_DECLARE_FINAL_TYPE (GazetteStoragePage, gazette_storage_page, GAZETTE, STORAGE_PAGE,
                      AdwPreferencesPage)

/* @settings holds keep-days, keep-per-source and keep-unread; @store is measured and cleaned. */
GtkWidget *gazette_storage_page_new      (GSettings    *settings,
                                          GazetteStore *store);
/* Runs the clean-up as the button does (for tests); the page's labels follow. */
void       gazette_storage_page_clean_up (GazetteStoragePage *self);
/* "12.3 MB in 1 234 articles, 12 saved": what the page shows, NULL until measured. */
const char *gazette_storage_page_get_summary (GazetteStoragePage *self);

G_END_DECLS

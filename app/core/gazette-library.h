/* gazette-library.h — the reader's library: store + fetcher + feeds, the one path the UI, the CLI
 * and the tests use to add, refresh and remove sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gazette-fetcher.h"
#include "gazette-store.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_LIBRARY (gazette_library_get_type ())
G_DECLARE_FINAL_TYPE (GazetteLibrary, gazette_library, GAZETTE, LIBRARY, GObject)

/* Properties: store (GazetteStore, construct-only), fetcher (GazetteFetcher, construct-only),
 *   refreshing (boolean, read-only), refresh-pending (uint, read-only: sources left in this run),
 *   refresh-current (string, read-only: title of a source being fetched, NULL when idle).
 * Signals:
 *   "source-failed" (GazetteSource *source, GError *error)   a refresh or add failed */

GazetteLibrary *gazette_library_new             (GazetteStore   *store,
                                                 GazetteFetcher *fetcher);
GazetteStore   *gazette_library_get_store       (GazetteLibrary *self);
GazetteFetcher *gazette_library_get_fetcher     (GazetteLibrary *self);

/* On an empty library, adds the bundled Welcome source and its articles (from the GResource).
 * Does nothing when the library already has sources. */
void            gazette_library_ensure_welcome_async  (GazetteLibrary      *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        gazette_library_ensure_welcome_finish (GazetteLibrary      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* Adds the feed at @url: fetches it, parses it (a HTML page: discovers its first feed), stores
 * the source with the feed's title and merges its entries. Returns the new GazetteSource. */
void            gazette_library_add_feed_async   (GazetteLibrary      *self,
                                                  const char          *url,
                                                  gint64               folder_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GazetteSource  *gazette_library_add_feed_finish  (GazetteLibrary      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Refreshes one source (@source_id > 0) or every feed (0). Errors of single sources are stored
 * on the source (:error) and emitted as "source-failed"; the task itself fails only when
 * cancelled or when the store fails. */
void            gazette_library_refresh_async    (GazetteLibrary      *self,
                                                  gint64               source_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gazette_library_refresh_finish   (GazetteLibrary      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void            gazette_library_remove_source_async  (GazetteLibrary      *self,
                                                      gint64               source_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        gazette_library_remove_source_finish (GazetteLibrary      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS

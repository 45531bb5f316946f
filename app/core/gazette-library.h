/* gazette-library.h — the reader's library: store + fetcher + feeds, the one path the UI, the CLI
 * and the tests use to add, refresh and remove sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gazette-fetcher.h"
#include "gazette-filter-rules.h"
#include "gazette-saver.h"
#include "gazette-store.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_LIBRARY (gazette_library_get_type ())
G_DECLARE_FINAL_TYPE (GazetteLibrary, gazette_library, GAZETTE, LIBRARY, GObject)

/* Properties: store (GazetteStore, construct-only), fetcher (GazetteFetcher, construct-only),
 *   refreshing (boolean, read-only), refresh-pending (uint, read-only: sources left in this run),
 *   refresh-current (string, read-only: title of a source being fetched, NULL when idle),
 *   default-refresh-interval (uint, minutes: the base of the error back-off for sources whose
 *   refresh-interval is 0; 0 means 60; follow the refresh-interval setting).
 * Signals:
 *   "source-failed" (GazetteSource *source, GError *error)   a refresh of @source failed; emitted
 *                                   after the error is stored on it (add_feed reports its errors
 *                                   through its own task only) */

GazetteLibrary *gazette_library_new             (GazetteStore   *store,
                                                 GazetteFetcher *fetcher);
GazetteStore   *gazette_library_get_store       (GazetteLibrary *self);
GazetteFetcher *gazette_library_get_fetcher     (GazetteLibrary *self);
/* The saver for offline copies, on the library's store and fetcher (made on first use). A
 * refresh that adds entries to a source with :save-offline saves them through it. */
GazetteSaver   *gazette_library_get_saver       (GazetteLibrary *self);
gboolean        gazette_library_get_refreshing  (GazetteLibrary *self);
guint           gazette_library_get_refresh_pending (GazetteLibrary *self);
const char     *gazette_library_get_refresh_current (GazetteLibrary *self);

/* A feed the Welcome index suggests, for the UI's first-run page. */
typedef struct {
  char *title;
  char *url;
} GazetteSuggestedFeed;

void            gazette_suggested_feed_free     (GazetteSuggestedFeed *feed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteSuggestedFeed, gazette_suggested_feed_free)

/* The Welcome index's suggested feeds, in its order (of GazetteSuggestedFeed, transfer full;
 * empty, never NULL, when it cannot be read). */
GPtrArray      *gazette_library_get_suggested_feeds (GazetteLibrary *self);

/* For tests: read the Welcome index (and its articles, relative to it) from @index_uri, a file://
 * or resource:// URI; NULL restores the bundled one. */
void            gazette_library_set_welcome_uri_for_testing (GazetteLibrary *self,
                                                             const char     *index_uri);

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

/* The feeds @url offers, so the UI can let the user choose (GazetteFeedLink*, each read once so
 * it has a title when the feed has one, and its format): @url itself when it is a feed, else
 * the feeds its page advertises (document order), else those found at common paths (/feed,
 * /rss.xml, …). Fails with GAZETTE_ERROR_NOT_A_FEED when there are none. Nothing is stored. */
void            gazette_library_discover_async   (GazetteLibrary      *self,
                                                  const char          *url,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray      *gazette_library_discover_finish  (GazetteLibrary      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Refreshes one source (@source_id > 0) or every feed (0). Errors of single sources are stored
 * on the source (:error) and emitted as "source-failed"; the task itself fails only when
 * cancelled or when the store fails.
 *
 * Conditional GET with the stored ETag/Last-Modified (304: nothing changes but the fetch state).
 * At most 12 fetches run at once, 6 per host (as browsers); the rest wait. A failure increments the source's
 * error count and sets its next_fetch to now + interval × 2^errors (at most 24 h, at least
 * Retry-After); a success clears :error, resets the count and sets next_fetch to now + max-age
 * when the server sent one. A 301/308 updates :url. A 410 stores a plain error and sets
 * :refresh-interval to -1: the feed is not polled again. Refreshing every feed (0) skips
 * sources with refresh-interval -1 and those whose next_fetch is still ahead; a refresh by id
 * always fetches. */
void            gazette_library_refresh_async    (GazetteLibrary      *self,
                                                  gint64               source_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        gazette_library_refresh_finish   (GazetteLibrary      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Fetches the link of each unread article of @source_id not extracted yet, through the fetch queue,
 * extracts it in a thread and stores its reader view; a failed fetch or extraction stores an
 * empty reader view, so the entry keeps its feed content and is not tried again. Refreshing a
 * source with :full-article does this for the new entries. */
void            gazette_library_load_full_articles_async  (GazetteLibrary      *self,
                                                           gint64               source_id,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean        gazette_library_load_full_articles_finish (GazetteLibrary      *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The clutter filter that full articles are extracted with (@rules, NULL: the default filter)
 * and the sites where it is off; the app keeps it in step with the user's list and switches. */
void            gazette_library_set_clutter_filter  (GazetteLibrary      *self,
                                                     GazetteFilterRules  *rules,
                                                     const char * const  *disabled_sites);
void            gazette_library_remove_source_async  (GazetteLibrary      *self,
                                                      gint64               source_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        gazette_library_remove_source_finish (GazetteLibrary      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS

/* gazette-saver.h — saving an article for offline reading: its reader view and every image it
 * shows, stored once by hash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gazette-fetcher.h"
#include "gazette-filter-rules.h"
#include "gazette-store.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_SAVER (gazette_saver_get_type ())
G_DECLARE_FINAL_TYPE (GazetteSaver, gazette_saver, GAZETTE, SAVER, GObject)

/* Properties: store, fetcher (construct-only), max-article-bytes (uint64: the images of one
 * article together; past it the rest keep their web address; default 25 MiB). */

GazetteSaver *gazette_saver_new                 (GazetteStore   *store,
                                                 GazetteFetcher *fetcher);
void          gazette_saver_set_max_article_bytes (GazetteSaver *self,
                                                   guint64       bytes);
/* The clutter filter a page is extracted with: @rules (NULL: the default filter) except on
 * @disabled_sites (host names), where the filter is off. As the library's. */
void          gazette_saver_set_clutter_filter  (GazetteSaver        *self,
                                                 GazetteFilterRules  *rules,
                                                 const char * const  *disabled_sites);

/* Saves article @article_id: its reader view (the page is fetched and extracted, clutter filter
 * on, when it has none yet), every image that view shows (for a srcset, one candidate) and its
 * lead image; image addresses become gazette-asset: URLs. @mark_saved sets :saved (kept for
 * good); without it the copy goes with the article when retention removes it. */
void          gazette_saver_save_article_async  (GazetteSaver        *self,
                                                 gint64               article_id,
                                                 gboolean             mark_saved,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      gazette_saver_save_article_finish (GazetteSaver        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* "Read later": the page at @url (http, https or file) becomes an article of the Saved Pages
 * source (made when missing), saved as above. Returns the article's id. */
void          gazette_saver_save_url_async      (GazetteSaver        *self,
                                                 const char          *url,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gint64        gazette_saver_save_url_finish     (GazetteSaver        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* For gazette-cli and tests: runs the above on a private main context. */
gint64        gazette_saver_save_url_sync       (GazetteSaver        *self,
                                                 const char          *url,
                                                 GCancellable        *cancellable,
                                                 GError             **error);

/* Rewrites @html for offline use: each image address (resolved against @base_url) found in
 * @replacements (absolute URL → replacement) is replaced, srcset and <picture> sources of
 * replaced images dropped. Also lists, when @out_urls is not NULL, the absolute image URLs the
 * HTML shows (one per image: a srcset's chosen candidate). Pure; for the saver and the tests. */
char         *gazette_saver_rewrite_images      (const char          *html,
                                                 const char          *base_url,
                                                 GHashTable          *replacements,
                                                 GPtrArray          **out_urls);

G_END_DECLS

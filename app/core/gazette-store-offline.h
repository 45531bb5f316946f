/* gazette-store-offline.h — the offline library on top of GazetteStore: full-text search,
 * content-addressed image assets, saving, retention and space used
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Same threading as gazette-store.h: the work runs on the store's worker thread; _async calls
 * complete on the caller's thread-default main context; _sync variants are for gazette-cli and
 * tests, never the UI thread.
 */
#pragma once

#include <gio/gio.h>

#include "gazette-store.h"

G_BEGIN_DECLS

/* URLs of stored images in saved articles' HTML: "gazette-asset:" + 64 hex digits. */
#define GAZETTE_ASSET_SCHEME "gazette-asset"

/* Search ---------------------------------------------------------------------------------- */

/* Snippet markers around matched terms in GazetteSearchHit's raw strings (control characters,
 * which never occur in indexed text). */
#define GAZETTE_SEARCH_MARK_START "\x02"
#define GAZETTE_SEARCH_MARK_END   "\x03"

typedef struct {
  GazetteArticle *article;   /* list columns, like gazette_store_list_articles (no content) */
  char           *title;     /* with markers */
  char           *snippet;   /* a few words of the text around a match, with markers */
  double          score;     /* lower is better */
} GazetteSearchHit;

void  gazette_search_hit_free (GazetteSearchHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteSearchHit, gazette_search_hit_free)

/* Turns typed text into a valid FTS5 query: each word becomes a quoted phrase (so quotes,
 * operators and column names typed are just text), all must match, and the last word matches
 * as a prefix unless the text ends with a space. Words without a letter or digit are dropped.
 * Returns NULL when nothing searchable is left. */
char *gazette_search_build_query   (const char *text);
/* A marked string as Pango markup (or HTML): the text escaped, the matches in <b>…</b>. */
char *gazette_search_marked_to_markup (const char *marked);
/* A marked string without its markers. */
char *gazette_search_marked_to_plain  (const char *marked);

/* Searches title, author, site and text; ranked by bm25 (title weighs most) and recency (the
 * score halves for an article a year old). @scope narrows it like a list filter (a source, a
 * folder, unread, starred, saved; NULL = everything). At most @limit hits (0 = 100). Text with
 * nothing searchable gives an empty array. */
GPtrArray *gazette_store_search_sync    (GazetteStore               *self,
                                         const char                 *text,
                                         const GazetteArticleFilter *scope,
                                         guint                       limit,
                                         GCancellable               *cancellable,
                                         GError                    **error); /* of GazetteSearchHit */
void       gazette_store_search_async   (GazetteStore               *self,
                                         const char                 *text,
                                         const GazetteArticleFilter *scope,
                                         guint                       limit,
                                         GCancellable               *cancellable,
                                         GAsyncReadyCallback         callback,
                                         gpointer                    user_data);
GPtrArray *gazette_store_search_finish  (GazetteStore               *self,
                                         GAsyncResult               *result,
                                         GError                    **error);

/* Refills the search index from the articles (after a change in how text is extracted). */
gboolean   gazette_store_rebuild_search_sync (GazetteStore  *self,
                                              GCancellable  *cancellable,
                                              GError       **error);

/* Saving --------------------------------------------------------------------------------- */

typedef struct {
  char   *url;       /* where the article pointed */
  char   *sha256;    /* lower-case hex */
  char   *mime;
  GBytes *data;
} GazetteAsset;

GazetteAsset *gazette_asset_new  (const char *url,
                                  const char *mime,
                                  GBytes     *data);   /* computes sha256 */
void          gazette_asset_free (GazetteAsset *asset);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteAsset, gazette_asset_free)

/* Stores an article's offline copy in one transaction: its reader HTML (images already pointing
 * at gazette-asset: URLs), lead image, site name and every asset (each stored once, by hash,
 * linked to the article). @mark_saved sets :saved, which retention never removes. */
typedef struct {
  gint64      article_id;
  const char *reader_html;
  const char *lead_image;   /* NULL keeps the stored one */
  const char *site;         /* NULL keeps the stored one */
  const char *lang;
  const char *dir;
  GPtrArray  *assets;       /* of GazetteAsset; may be NULL */
  gboolean    mark_saved;
  const char *reader_removed;  /* what the clutter filter removed from @reader_html */
} GazetteOfflineCopy;

gboolean   gazette_store_store_offline_sync   (GazetteStore             *self,
                                               const GazetteOfflineCopy *copy,
                                               GCancellable             *cancellable,
                                               GError                  **error);
void       gazette_store_store_offline_async  (GazetteStore             *self,
                                               const GazetteOfflineCopy *copy,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
gboolean   gazette_store_store_offline_finish (GazetteStore             *self,
                                               GAsyncResult             *result,
                                               GError                  **error);

/* One stored asset by its hash (64 hex digits): its bytes and MIME type.
 * GAZETTE_ERROR_NOT_FOUND when there is none. */
GBytes    *gazette_store_load_asset_sync      (GazetteStore  *self,
                                               const char    *sha256,
                                               char         **out_mime,
                                               GCancellable  *cancellable,
                                               GError       **error);
void       gazette_store_load_asset_async     (GazetteStore        *self,
                                               const char          *sha256,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GBytes    *gazette_store_load_asset_finish    (GazetteStore  *self,
                                               GAsyncResult  *result,
                                               char         **out_mime,
                                               GError       **error);

/* Articles of @source_id added at or after @since (unix seconds) that have no offline copy yet,
 * newest first, at most @limit: for "Save new articles for offline". Of gint64 ids in a GArray. */
GArray    *gazette_store_list_unsaved_sync    (GazetteStore  *self,
                                               gint64         source_id,
                                               gint64         since,
                                               guint          limit,
                                               GCancellable  *cancellable,
                                               GError       **error);
void       gazette_store_list_unsaved_async   (GazetteStore        *self,
                                               gint64               source_id,
                                               gint64               since,
                                               guint                limit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GArray    *gazette_store_list_unsaved_finish  (GazetteStore  *self,
                                               GAsyncResult  *result,
                                               GError       **error);

/* Saved articles outlive their source: before a feed is removed, its saved articles move to the
 * Saved Pages source (made when missing), keeping the feed's title as their site. Nothing to do
 * for folders (their children stay) and for Saved Pages itself. */
gboolean   gazette_store_keep_saved_sync      (GazetteStore        *self,
                                               gint64               source_id,
                                               GCancellable        *cancellable,
                                               GError             **error);
void       gazette_store_keep_saved_async     (GazetteStore        *self,
                                               gint64               source_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean   gazette_store_keep_saved_finish    (GazetteStore        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Retention and space ----------------------------------------------------------------------- */

typedef struct {
  guint    keep_days;        /* remove articles older than this (published, else added); 0 = no limit */
  guint    keep_per_source;  /* keep at most this many newest per source; 0 = no limit */
  gboolean keep_unread;      /* never remove unread articles */
} GazetteRetention;

typedef struct {
  gint64 database_bytes;     /* the library file (pages in use) */
  gint64 asset_bytes;        /* stored images */
  guint  n_assets;
  guint  n_articles;
  guint  n_saved;
} GazetteSpaceUsage;

/* Removes articles by @retention (never saved or starred ones, nor the Welcome source's), then
 * every asset no article shows; their pages are reused by later writes. Returns how many
 * articles went in @out_removed. */
gboolean   gazette_store_clean_up_sync        (GazetteStore           *self,
                                               const GazetteRetention *retention,
                                               guint                  *out_removed,
                                               GCancellable           *cancellable,
                                               GError                **error);
void       gazette_store_clean_up_async       (GazetteStore           *self,
                                               const GazetteRetention *retention,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
gboolean   gazette_store_clean_up_finish      (GazetteStore           *self,
                                               GAsyncResult           *result,
                                               guint                  *out_removed,
                                               GError                **error);

gboolean   gazette_store_get_space_sync       (GazetteStore       *self,
                                               GazetteSpaceUsage  *out_usage,
                                               GCancellable       *cancellable,
                                               GError            **error);
void       gazette_store_get_space_async      (GazetteStore        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean   gazette_store_get_space_finish     (GazetteStore       *self,
                                               GAsyncResult       *result,
                                               GazetteSpaceUsage  *out_usage,
                                               GError            **error);

G_END_DECLS

/* gazette-store.h — the SQLite library of sources and articles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One database file, gazette.db, in the data directory ($XDG_DATA_HOME/gazette unless given).
 * WAL mode; a schema_version table and numbered migrations, each in one transaction; a database
 * written by a newer Gazette is refused with GAZETTE_ERROR_DATABASE_TOO_NEW and left untouched.
 *
 * Threading: the connection lives on one worker thread owned by the store, which runs jobs in the
 * order they were queued (FIFO). Every _async call returns at once and completes on the thread-
 * default main context of the caller. The _sync variants are for gazette-cli and tests and must
 * not be called from the UI thread. Signals are emitted on the main context the store was
 * created on, after the change is committed.
 */
#pragma once

#include <gio/gio.h>

#include "gazette-article.h"
#include "gazette-feed.h"
#include "gazette-source.h"

G_BEGIN_DECLS

typedef enum {
  GAZETTE_ARTICLE_FILTER_ALL,
  GAZETTE_ARTICLE_FILTER_UNREAD,
  GAZETTE_ARTICLE_FILTER_STARRED,
  GAZETTE_ARTICLE_FILTER_SAVED,
  GAZETTE_ARTICLE_FILTER_SOURCE,   /* articles of :source_id */
  GAZETTE_ARTICLE_FILTER_FOLDER,   /* articles of every source in folder :source_id */
} GazetteArticleFilterKind;

typedef struct {
  GazetteArticleFilterKind kind;
  gint64                   source_id;   /* for SOURCE and FOLDER */
  gboolean                 unread_only; /* narrows any kind */
} GazetteArticleFilter;

/* What a merge did, for unread counts and notifications. */
typedef struct {
  guint added;
  guint updated;
  guint unchanged;
} GazetteMergeResult;

#define GAZETTE_STORE_SCHEMA_VERSION_LATEST gazette_store_latest_schema_version ()

#define GAZETTE_TYPE_STORE (gazette_store_get_type ())
G_DECLARE_FINAL_TYPE (GazetteStore, gazette_store, GAZETTE, STORE, GObject)

/* Signals:
 *   "sources-changed" ()                       a source was added, removed, renamed, moved, or
 *                                              its error/refresh state changed
 *   "articles-changed" (gint64 source_id)      articles of @source_id were added, updated or
 *                                              removed, or changed read/starred/saved state;
 *                                              0 means "possibly several sources" */

GazetteStore *gazette_store_new                   (const char    *data_dir);
const char   *gazette_store_get_data_dir          (GazetteStore  *self);
const char   *gazette_store_get_path              (GazetteStore  *self);
int           gazette_store_latest_schema_version (void);
int           gazette_store_get_schema_version    (GazetteStore  *self);

/* Opening creates the directory and database, migrates, and checks integrity of the header. */
void          gazette_store_open_async            (GazetteStore        *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_open_finish           (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean      gazette_store_open_sync             (GazetteStore        *self,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
/* Waits for queued jobs, then closes the connection (checkpointing the WAL). */
void          gazette_store_close                 (GazetteStore        *self);

/* Sources. list_sources returns every source and folder, ordered by folder then position then
 * title, each with its unread and total counts filled in. */
void          gazette_store_list_sources_async    (GazetteStore        *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray    *gazette_store_list_sources_finish   (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error); /* of GazetteSource */
GPtrArray    *gazette_store_list_sources_sync     (GazetteStore        *self,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Inserts @source (its id is ignored) and sets its id. A feed whose URL is already present
 * fails with GAZETTE_ERROR_EXISTS. */
void          gazette_store_add_source_async      (GazetteStore        *self,
                                                   GazetteSource       *source,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gint64        gazette_store_add_source_finish     (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gint64        gazette_store_add_source_sync       (GazetteStore        *self,
                                                   GazetteSource       *source,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Writes every column of @source (by id): title, url, folder, position, error, options, … */
void          gazette_store_update_source_async   (GazetteStore        *self,
                                                   GazetteSource       *source,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_update_source_finish  (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean      gazette_store_update_source_sync    (GazetteStore        *self,
                                                   GazetteSource       *source,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Removes a source with its articles (a folder: its children move to the top level). */
void          gazette_store_remove_source_async   (GazetteStore        *self,
                                                   gint64               source_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_remove_source_finish  (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean      gazette_store_remove_source_sync    (GazetteStore        *self,
                                                   gint64               source_id,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* HTTP cache state of a feed source, for conditional GET. */
typedef struct {
  char   *etag;
  char   *last_modified;
  gint64  last_fetched;   /* unix seconds */
  gint64  next_fetch;     /* unix seconds, 0 = as soon as possible */
  guint   error_count;    /* consecutive failures, for back-off */
} GazetteFetchState;

void               gazette_fetch_state_free                (GazetteFetchState *state);
GazetteFetchState *gazette_store_get_fetch_state_sync      (GazetteStore      *self,
                                                            gint64             source_id,
                                                            GError           **error);
gboolean           gazette_store_set_fetch_state_sync      (GazetteStore      *self,
                                                            gint64             source_id,
                                                            const GazetteFetchState *state,
                                                            GError           **error);
void               gazette_store_get_fetch_state_async     (GazetteStore        *self,
                                                            gint64               source_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GazetteFetchState *gazette_store_get_fetch_state_finish    (GazetteStore        *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);
void               gazette_store_set_fetch_state_async     (GazetteStore        *self,
                                                            gint64               source_id,
                                                            const GazetteFetchState *state,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean           gazette_store_set_fetch_state_finish    (GazetteStore        *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* Merges a parsed feed into @source_id in one transaction: new entries are inserted unread;
 * entries already present (same guid) are updated when their content changed, keeping read,
 * starred and saved. @feed is not modified and may be freed after the call returns. */
void          gazette_store_merge_feed_async      (GazetteStore        *self,
                                                   gint64               source_id,
                                                   const GazetteFeed   *feed,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_merge_feed_finish     (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GazetteMergeResult  *out_result,
                                                   GError             **error);
gboolean      gazette_store_merge_feed_sync       (GazetteStore        *self,
                                                   gint64               source_id,
                                                   const GazetteFeed   *feed,
                                                   GazetteMergeResult  *out_result,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Article rows for a list, newest first (published, else added), without :content. */
void          gazette_store_list_articles_async   (GazetteStore        *self,
                                                   const GazetteArticleFilter *filter,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray    *gazette_store_list_articles_finish  (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error); /* of GazetteArticle */
GPtrArray    *gazette_store_list_articles_sync    (GazetteStore        *self,
                                                   const GazetteArticleFilter *filter,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* The enclosures (podcast episodes, media files) of an article, as the feed listed them
 * (GazetteEnclosure*, length -1 when unknown); empty when none. */
void            gazette_store_list_enclosures_async  (GazetteStore        *self,
                                                      gint64               article_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray      *gazette_store_list_enclosures_finish (GazetteStore        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* The newest @limit rows of the same list (finish with gazette_store_list_articles_finish): a
 * screenful to show while the whole list is read. */
void          gazette_store_list_articles_head_async (GazetteStore              *self,
                                                      const GazetteArticleFilter *filter,
                                                      guint                      limit,
                                                      GCancellable              *cancellable,
                                                      GAsyncReadyCallback        callback,
                                                      gpointer                   user_data);

/* One whole article, content included. GAZETTE_ERROR_NOT_FOUND when it is gone. */
void            gazette_store_load_article_async  (GazetteStore        *self,
                                                   gint64               article_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GazetteArticle *gazette_store_load_article_finish (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
GazetteArticle *gazette_store_load_article_sync   (GazetteStore        *self,
                                                   gint64               article_id,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Inserts one article (a saved page or a Welcome article) into @source_id; returns its id. An
 * article with the same guid in that source is updated instead. */
gint64        gazette_store_add_article_sync      (GazetteStore        *self,
                                                   gint64               source_id,
                                                   GazetteArticle      *article,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
void          gazette_store_add_article_async     (GazetteStore        *self,
                                                   gint64               source_id,
                                                   GazetteArticle      *article,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gint64        gazette_store_add_article_finish    (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Unread articles of @source_id whose link was never extracted (reader-html NULL): rows with only
 * :id, :source-id and :url (of GazetteArticle). */
void          gazette_store_list_unextracted_async  (GazetteStore        *self,
                                                     gint64               source_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray    *gazette_store_list_unextracted_finish (GazetteStore        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Stores the extracted reader view of an article (HTML, lead image, lang, dir) and what the
 * clutter filter removed from it (gazette_clutter_removals_to_string(), NULL for nothing). */
void          gazette_store_set_reader_html_async (GazetteStore        *self,
                                                   gint64               article_id,
                                                   const char          *html,
                                                   const char          *lead_image,
                                                   const char          *lang,
                                                   const char          *dir,
                                                   const char          *removed,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_set_reader_html_finish (GazetteStore       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean      gazette_store_set_reader_html_sync  (GazetteStore        *self,
                                                   gint64               article_id,
                                                   const char          *html,
                                                   const char          *lead_image,
                                                   const char          *lang,
                                                   const char          *dir,
                                                   const char          *removed,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

typedef enum {
  GAZETTE_ARTICLE_FLAG_READ,
  GAZETTE_ARTICLE_FLAG_STARRED,
  GAZETTE_ARTICLE_FLAG_SAVED,
} GazetteArticleFlag;

/* Sets a flag on several articles at once (one transaction). */
void          gazette_store_set_flag_async        (GazetteStore        *self,
                                                   const gint64        *article_ids,
                                                   guint                n_ids,
                                                   GazetteArticleFlag   flag,
                                                   gboolean             value,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_set_flag_finish       (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean      gazette_store_set_flag_sync         (GazetteStore        *self,
                                                   const gint64        *article_ids,
                                                   guint                n_ids,
                                                   GazetteArticleFlag   flag,
                                                   gboolean             value,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Marks every article matching @filter read. */
void          gazette_store_mark_all_read_async   (GazetteStore        *self,
                                                   const GazetteArticleFilter *filter,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_mark_all_read_finish  (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
gboolean      gazette_store_mark_all_read_sync    (GazetteStore        *self,
                                                   const GazetteArticleFilter *filter,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* Unread counts: global totals for the sidebar's All / Unread / Starred / Saved rows. */
typedef struct {
  guint all;
  guint unread;
  guint starred;
  guint saved;
} GazetteCounts;

void          gazette_store_get_counts_async      (GazetteStore        *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean      gazette_store_get_counts_finish     (GazetteStore        *self,
                                                   GAsyncResult        *result,
                                                   GazetteCounts       *out_counts,
                                                   GError             **error);
gboolean      gazette_store_get_counts_sync       (GazetteStore        *self,
                                                   GazetteCounts       *out_counts,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

G_END_DECLS

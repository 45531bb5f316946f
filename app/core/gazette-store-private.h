/* gazette-store-private.h — what the store's own files and tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "gazette-store.h"

G_BEGIN_DECLS

/* gazette-store-migrations.c */

/* Reads the schema version of an open connection without writing: 0 for an empty database.
 * A database that holds tables but no schema_version table is not a Gazette library. */
gboolean gazette_store_read_schema_version (sqlite3     *db,
                                            int         *out_version,
                                            GError     **error);
/* Applies every pending migration, each in its own BEGIN IMMEDIATE transaction that also
 * records its version. */
gboolean gazette_store_migrate             (sqlite3     *db,
                                            int         *out_version,
                                            GError     **error);
/* Maps a SQLite result code to a GAZETTE_ERROR; @what says what was being done. */
void     gazette_store_set_sqlite_error    (GError     **error,
                                            sqlite3     *db,
                                            int          rc,
                                            const char  *what);

/* gazette-store.c: small SQLite helpers every store file uses, errors in GAZETTE_ERROR. */
gboolean gazette_store_db_prepare          (sqlite3       *db,
                                            const char    *sql,
                                            sqlite3_stmt **out_stmt,
                                            const char    *what,
                                            GError       **error);
gboolean gazette_store_db_exec             (sqlite3       *db,
                                            const char    *sql,
                                            const char    *what,
                                            GError       **error);
/* Rolls back the open transaction, if any. */
void     gazette_store_db_rollback         (sqlite3       *db);
char    *gazette_store_column_dup          (sqlite3_stmt  *stmt,
                                            int            column);

/* Work for other core files (gazette-store-offline.c) on the store's worker thread.
 * @func runs with the open connection; on success it may set *out_result (freed with
 * *out_result_free when nobody takes it). */
typedef gboolean (*GazetteStoreDbFunc) (GazetteStore    *self,
                                        sqlite3         *db,
                                        gpointer         data,
                                        GCancellable    *cancellable,
                                        gpointer        *out_result,
                                        GDestroyNotify  *out_result_free,
                                        GError         **error);

void     gazette_store_run_async        (GazetteStore        *self,
                                         GazetteStoreDbFunc   func,
                                         gpointer             data,
                                         GDestroyNotify       data_free,
                                         GCancellable        *cancellable,
                                         gpointer             source_tag,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* Returns FALSE with @error set on failure; the result (maybe NULL) in @out_result. */
gboolean gazette_store_run_finish       (GazetteStore        *self,
                                         GAsyncResult        *result,
                                         gpointer             source_tag,
                                         gpointer            *out_result,
                                         GError             **error);
gboolean gazette_store_run_sync         (GazetteStore        *self,
                                         GazetteStoreDbFunc   func,
                                         gpointer             data,
                                         GDestroyNotify       data_free,
                                         GCancellable        *cancellable,
                                         gpointer            *out_result,
                                         GError             **error);
/* From a GazetteStoreDbFunc, after its commit: "articles-changed" on the main context. */
void     gazette_store_emit_articles_changed (GazetteStore   *self,
                                              gint64          source_id);

/* gazette-store-offline.c: SQL functions the schema's triggers call (gazette_plain_text),
 * registered on every connection before it is migrated. */
gboolean gazette_store_register_functions (sqlite3  *db,
                                           GError  **error);

/* Testing hooks. */

/* Appends one more migration (SQL run with sqlite3_exec) after the known ones, or removes it
 * when @sql is NULL. Process-wide; affects gazette_store_latest_schema_version(). */
void     gazette_store_set_extra_migration_for_testing (const char   *sql);

/* Limits the database to @max_pages pages (PRAGMA max_page_count), so writes fail as if the disk
 * were full; 0 lifts the limit. Applies now if open, and to later opens. Returns the page count
 * in effect. */
gint64   gazette_store_set_max_page_count_for_testing  (GazetteStore *self,
                                                        gint64        max_pages);

/* Runs @sql on the worker and returns the first column of the first row as text (NULL with no
 * rows). For PRAGMA integrity_check and checks on the raw tables. */
char    *gazette_store_query_for_testing               (GazetteStore *self,
                                                        const char   *sql,
                                                        GError      **error);

/* gazette-article.c: fills a fresh article without notifications, taking @strings
 * (guid, url, title, author, source_title, summary, content, reader_html, lead_image, lang, dir,
 * each may be NULL). For the store's row loops, where one notify per field adds up. */
typedef struct {
  gint64    id;
  gint64    source_id;
  gint64    published;
  gint64    updated;
  char     *guid;
  char     *url;
  char     *title;
  char     *author;
  char     *source_title;
  char     *summary;
  char     *content;
  char     *reader_html;
  char     *reader_removed;  /* what the clutter filter removed from reader_html, see the store */
  char     *lead_image;
  char     *lang;
  char     *dir;
  gboolean  read;
  gboolean  starred;
  gboolean  saved;
} GazetteArticleRow;

GazetteArticle *gazette_article_new_from_row (GazetteArticleRow *row);

G_END_DECLS

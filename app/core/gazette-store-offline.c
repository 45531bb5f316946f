/* gazette-store-offline.c — search, assets, offline copies and retention over gazette.db
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each public call copies its arguments, then runs one GazetteStoreDbFunc on the store's worker
 * (gazette_store_run_*). The schema (articles_fts, assets, article_assets) is migration 2.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gazette-error.h"
#include "gazette-sanitizer.h"
#include "gazette-store-offline.h"
#include "gazette-store-private.h"

#define DEFAULT_SEARCH_LIMIT 100
#define SECONDS_PER_YEAR     31536000.0
#define MAX_CANDIDATES       2000

/* SQL functions --------------------------------------------------------------------------- */

/* gazette_plain_text(html): what the search index holds for an article's text. */
static void
sql_plain_text (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  const char *html = (const char *) sqlite3_value_text (argv[0]);
  char *text;

  if (html == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  text = gazette_html_to_plain_text (html, sqlite3_value_bytes (argv[0]));
  sqlite3_result_text (context, text, -1, g_free);
}

gboolean
gazette_store_register_functions (sqlite3  *db,
                                  GError  **error)
{
  int rc = sqlite3_create_function_v2 (db, "gazette_plain_text", 1,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                       NULL, sql_plain_text, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, db, rc, _("Could not open the library"));
      return FALSE;
    }
  return TRUE;
}

/* Helpers -------------------------------------------------------------------------------- */

static gboolean
commit (sqlite3     *db,
        const char  *what,
        GError     **error)
{
  if (!gazette_store_db_exec (db, "COMMIT", what, error))
    {
      gazette_store_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static int
step_done (sqlite3_stmt *stmt)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
query_int64 (sqlite3     *db,
             const char  *sql,
             gint64      *out_value,
             const char  *what,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!gazette_store_db_prepare (db, sql, &stmt, what, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  *out_value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      gazette_store_set_sqlite_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
}

/* Search --------------------------------------------------------------------------------- */

void
gazette_search_hit_free (GazetteSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_clear_object (&hit->article);
  g_free (hit->title);
  g_free (hit->snippet);
  g_free (hit);
}

static gboolean
has_alnum (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

char *
gazette_search_build_query (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *valid = NULL;
  g_auto(GStrv) words = NULL;
  gboolean prefix;
  guint n = 0;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  /* Markers and other control characters are never indexed; treat them as spaces. */
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  prefix = *valid != '\0' && !g_ascii_isspace (valid[strlen (valid) - 1]);
  words = g_strsplit_set (valid, " \t\r\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      gboolean last = TRUE;

      if (!has_alnum (word))
        continue;
      for (guint j = i + 1; words[j] != NULL; j++)
        if (has_alnum (words[j]))
          last = FALSE;

      if (n++ > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = word; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append_c (query, '"');
      if (last && prefix)
        g_string_append_c (query, '*');
    }

  return n > 0 ? g_string_free (g_steal_pointer (&query), FALSE) : NULL;
}

static char *
marked_convert (const char *marked,
                gboolean    markup)
{
  GString *out = g_string_new (NULL);
  const char *p = marked;

  if (marked == NULL)
    return g_string_free (out, FALSE);

  while (*p != '\0')
    {
      gsize span = strcspn (p, GAZETTE_SEARCH_MARK_START GAZETTE_SEARCH_MARK_END);

      if (span > 0)
        {
          if (markup)
            {
              g_autofree char *escaped = g_markup_escape_text (p, span);

              g_string_append (out, escaped);
            }
          else
            g_string_append_len (out, p, span);
          p += span;
        }
      if (*p == GAZETTE_SEARCH_MARK_START[0])
        {
          if (markup)
            g_string_append (out, "<b>");
          p++;
        }
      else if (*p == GAZETTE_SEARCH_MARK_END[0])
        {
          if (markup)
            g_string_append (out, "</b>");
          p++;
        }
    }
  return g_string_free (out, FALSE);
}

char *
gazette_search_marked_to_markup (const char *marked)
{
  g_autofree char *valid = g_utf8_make_valid (marked != NULL ? marked : "", -1);
  int depth = 0;
  GString *balanced;

  /* snippet() always pairs its markers, but text may be cut in between: balance them so the
   * markup always parses. */
  balanced = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == GAZETTE_SEARCH_MARK_START[0])
        {
          if (depth++ > 0)
            continue;
        }
      else if (*p == GAZETTE_SEARCH_MARK_END[0])
        {
          if (depth == 0 || --depth > 0)
            continue;
        }
      g_string_append_c (balanced, *p);
    }
  if (depth > 0)
    g_string_append (balanced, GAZETTE_SEARCH_MARK_END);

  {
    g_autofree char *text = g_string_free (balanced, FALSE);

    return marked_convert (text, TRUE);
  }
}

char *
gazette_search_marked_to_plain (const char *marked)
{
  return marked_convert (marked, FALSE);
}

typedef struct {
  char                 *query;
  GazetteArticleFilter  scope;
  gboolean              has_scope;
  guint                 limit;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_free (search->query);
  g_free (search);
}

/* The articles @data is scoped to, as a condition on the index's rowid; ?2 is the source id. */
static const char *
scope_where (const SearchData *data)
{
  if (!data->has_scope)
    return "";

  switch (data->scope.kind)
    {
    case GAZETTE_ARTICLE_FILTER_UNREAD:
      return " AND rowid IN (SELECT id FROM articles WHERE read = 0)";
    case GAZETTE_ARTICLE_FILTER_STARRED:
      return " AND rowid IN (SELECT id FROM articles WHERE starred = 1)";
    case GAZETTE_ARTICLE_FILTER_SAVED:
      return " AND rowid IN (SELECT id FROM articles WHERE saved = 1)";
    case GAZETTE_ARTICLE_FILTER_SOURCE:
      return " AND rowid IN (SELECT id FROM articles WHERE source_id = ?2)";
    case GAZETTE_ARTICLE_FILTER_FOLDER:
      return " AND rowid IN (SELECT id FROM articles WHERE source_id IN"
             " (SELECT id FROM sources WHERE folder_id = ?2))";
    case GAZETTE_ARTICLE_FILTER_ALL:
    default:
      return "";
    }
}

static const char *
unread_where (const SearchData *data)
{
  return data->has_scope && data->scope.unread_only && data->scope.kind != GAZETTE_ARTICLE_FILTER_UNREAD
         ? " AND rowid IN (SELECT id FROM articles WHERE read = 0)" : "";
}

#define HIT_COLUMNS \
  "a.id, a.source_id, a.guid, a.url, a.title, a.author," \
  " CASE WHEN s.kind = 2 THEN COALESCE (a.site, s.title) ELSE s.title END," \
  " a.published, a.updated," \
  " a.summary, a.lead_image, a.lang, a.dir, a.read, a.starred, a.saved"

static char *
search_sql (const SearchData *data,
            gboolean          with_index)
{
  return g_strdup_printf ("WITH candidates (id, relevance) AS ("
                          "  SELECT rowid, bm25 (articles_fts, 10.0, 4.0, 3.0, 1.0)"
                          "  FROM articles_fts WHERE articles_fts MATCH ?1%s%s"
                          "  ORDER BY rowid DESC LIMIT %d),"
                          " ranked (id, score) AS ("
                          "  SELECT c.id, c.relevance"
                          "    / (1.0 + MAX (0, ?3 - COALESCE (d.published, d.added)) / %f)"
                          "  FROM candidates AS c"
                          "  JOIN articles AS d%s ON d.id = c.id"
                          "  ORDER BY 2 LIMIT ?4)"
                          " SELECT " HIT_COLUMNS ", r.score"
                          " FROM ranked AS r JOIN articles AS a ON a.id = r.id"
                          " LEFT JOIN sources AS s ON s.id = a.source_id"
                          " ORDER BY r.score",
                          scope_where (data), unread_where (data), MAX_CANDIDATES,
                          SECONDS_PER_YEAR, with_index ? " INDEXED BY articles_search_dates" : "");
}

static gboolean
db_search (GazetteStore    *self,
           sqlite3         *db,
           gpointer         user_data,
           GCancellable    *cancellable,
           gpointer        *out_result,
           GDestroyNotify  *out_result_free,
           GError         **error)
{
  SearchData *data = user_data;
  const char *what = _("Could not search the library");
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_search_hit_free);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *marks = NULL;
  int rc;

  if (data->query == NULL)
    {
      *out_result = g_steal_pointer (&hits);
      *out_result_free = (GDestroyNotify) g_ptr_array_unref;
      return TRUE;
    }

  /* Ranking reads only the index and the articles' dates (a small covering index); titles and
   * snippets are made for the rows shown, below. bm25 is negative (lower is better): dividing by
   * 1 + age in years moves older articles towards 0. Title weighs most, then author and site,
   * then the text. A word found in very many articles would make bm25 run over all of them
   * (hundreds of milliseconds at 200 000 articles): the newest MAX_CANDIDATES matches, by
   * rowid, are the ones ranked, and with recency in the score the older ones would rarely make
   * the first page anyway. */
  sql = search_sql (data, TRUE);
  /* Without that index (a library from a development build) the same query reads the rows. */
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_clear_pointer (&stmt, sqlite3_finalize);
      g_free (sql);
      sql = search_sql (data, FALSE);
      if (!gazette_store_db_prepare (db, sql, &stmt, what, error))
        return FALSE;
    }
  if (!gazette_store_db_prepare (db,
                "SELECT highlight (articles_fts, 0, '" GAZETTE_SEARCH_MARK_START "', '"
                GAZETTE_SEARCH_MARK_END "'),"
                " snippet (articles_fts, 3, '" GAZETTE_SEARCH_MARK_START "', '"
                GAZETTE_SEARCH_MARK_END "', '…', 16)"
                " FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid = ?2",
                &marks, what, error))
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, data->query, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, data->scope.source_id);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int (stmt, 4, data->limit > 0 ? data->limit : DEFAULT_SEARCH_LIMIT);
  sqlite3_bind_text (marks, 1, data->query, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GazetteSearchHit *hit = g_new0 (GazetteSearchHit, 1);
      GazetteArticleRow row = { 0 };

      row.id = sqlite3_column_int64 (stmt, 0);
      row.source_id = sqlite3_column_int64 (stmt, 1);
      row.guid = gazette_store_column_dup (stmt, 2);
      row.url = gazette_store_column_dup (stmt, 3);
      row.title = gazette_store_column_dup (stmt, 4);
      row.author = gazette_store_column_dup (stmt, 5);
      row.source_title = gazette_store_column_dup (stmt, 6);
      row.published = sqlite3_column_int64 (stmt, 7);
      row.updated = sqlite3_column_int64 (stmt, 8);
      row.summary = gazette_store_column_dup (stmt, 9);
      row.lead_image = gazette_store_column_dup (stmt, 10);
      row.lang = gazette_store_column_dup (stmt, 11);
      row.dir = gazette_store_column_dup (stmt, 12);
      row.read = sqlite3_column_int (stmt, 13);
      row.starred = sqlite3_column_int (stmt, 14);
      row.saved = sqlite3_column_int (stmt, 15);
      hit->score = sqlite3_column_double (stmt, 16);
      hit->article = gazette_article_new_from_row (&row);

      sqlite3_bind_int64 (marks, 2, row.id);
      if (sqlite3_step (marks) == SQLITE_ROW)
        {
          hit->title = gazette_store_column_dup (marks, 0);
          hit->snippet = gazette_store_column_dup (marks, 1);
        }
      sqlite3_reset (marks);
      g_ptr_array_add (hits, hit);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_finalize (stmt);
          sqlite3_finalize (marks);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_finalize (marks);
  if (rc != SQLITE_DONE)
    {
      gazette_store_set_sqlite_error (error, db, rc, what);
      return FALSE;
    }

  *out_result = g_steal_pointer (&hits);
  *out_result_free = (GDestroyNotify) g_ptr_array_unref;
  return TRUE;
}

static SearchData *
search_data_new (const char                 *text,
                 const GazetteArticleFilter *scope,
                 guint                       limit)
{
  SearchData *data = g_new0 (SearchData, 1);

  data->query = gazette_search_build_query (text);
  if (scope != NULL)
    {
      data->scope = *scope;
      data->has_scope = TRUE;
    }
  data->limit = limit;
  return data;
}

GPtrArray *
gazette_store_search_sync (GazetteStore               *self,
                           const char                 *text,
                           const GazetteArticleFilter *scope,
                           guint                       limit,
                           GCancellable               *cancellable,
                           GError                    **error)
{
  gpointer result = NULL;

  if (!gazette_store_run_sync (self, db_search, search_data_new (text, scope, limit),
                               search_data_free, cancellable, &result, error))
    return NULL;
  return result;
}

void
gazette_store_search_async (GazetteStore               *self,
                            const char                 *text,
                            const GazetteArticleFilter *scope,
                            guint                       limit,
                            GCancellable               *cancellable,
                            GAsyncReadyCallback         callback,
                            gpointer                    user_data)
{
  gazette_store_run_async (self, db_search, search_data_new (text, scope, limit),
                           search_data_free, cancellable, gazette_store_search_async,
                           callback, user_data);
}

GPtrArray *
gazette_store_search_finish (GazetteStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  gpointer value = NULL;

  if (!gazette_store_run_finish (self, result, gazette_store_search_async, &value, error))
    return NULL;
  return value;
}

static gboolean
db_rebuild_search (GazetteStore    *self,
                   sqlite3         *db,
                   gpointer         user_data,
                   GCancellable    *cancellable,
                   gpointer        *out_result,
                   GDestroyNotify  *out_result_free,
                   GError         **error)
{
  const char *what = _("Could not rebuild the search index");

  if (!gazette_store_db_exec (db, "BEGIN IMMEDIATE", what, error))
    return FALSE;
  if (!gazette_store_db_exec (db,
             "DELETE FROM articles_fts;"
             "INSERT INTO articles_fts (rowid, title, author, site, body)"
             "  SELECT a.id, a.title, a.author,"
             "    COALESCE (a.site, (SELECT title FROM sources WHERE id = a.source_id)),"
             "    gazette_plain_text (COALESCE (NULLIF (a.reader_html, ''), a.content, a.summary))"
             "  FROM articles AS a;"
             "INSERT INTO articles_fts (articles_fts) VALUES ('optimize');",
             what, error))
    {
      gazette_store_db_rollback (db);
      return FALSE;
    }
  return commit (db, what, error);
}

gboolean
gazette_store_rebuild_search_sync (GazetteStore  *self,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  return gazette_store_run_sync (self, db_rebuild_search, NULL, NULL, cancellable, NULL, error);
}

/* Assets and offline copies --------------------------------------------------------------- */

GazetteAsset *
gazette_asset_new (const char *url,
                   const char *mime,
                   GBytes     *data)
{
  GazetteAsset *asset = g_new0 (GazetteAsset, 1);
  gsize length = 0;
  const guchar *bytes = g_bytes_get_data (data, &length);

  asset->url = g_strdup (url);
  asset->mime = g_strdup (mime);
  asset->data = g_bytes_ref (data);
  asset->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes != NULL ? bytes : (const guchar *) "", length);
  return asset;
}

void
gazette_asset_free (GazetteAsset *asset)
{
  if (asset == NULL)
    return;
  g_free (asset->url);
  g_free (asset->sha256);
  g_free (asset->mime);
  g_clear_pointer (&asset->data, g_bytes_unref);
  g_free (asset);
}

typedef struct {
  gint64     article_id;
  char      *reader_html;
  char      *lead_image;
  char      *site;
  char      *lang;
  char      *dir;
  GPtrArray *assets;
  gboolean   mark_saved;
  char      *reader_removed;
} OfflineData;

static void
offline_data_free (gpointer data)
{
  OfflineData *copy = data;

  g_free (copy->reader_html);
  g_free (copy->lead_image);
  g_free (copy->site);
  g_free (copy->lang);
  g_free (copy->dir);
  g_free (copy->reader_removed);
  g_clear_pointer (&copy->assets, g_ptr_array_unref);
  g_free (copy);
}

static OfflineData *
offline_data_new (const GazetteOfflineCopy *copy)
{
  OfflineData *data = g_new0 (OfflineData, 1);

  data->article_id = copy->article_id;
  data->reader_html = g_strdup (copy->reader_html);
  data->lead_image = g_strdup (copy->lead_image);
  data->site = g_strdup (copy->site);
  data->lang = g_strdup (copy->lang);
  data->dir = g_strdup (copy->dir);
  data->mark_saved = copy->mark_saved;
  data->reader_removed = g_strdup (copy->reader_removed);
  data->assets = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_asset_free);
  /* Assets are immutable once made: share them. */
  for (guint i = 0; copy->assets != NULL && i < copy->assets->len; i++)
    {
      GazetteAsset *asset = g_ptr_array_index (copy->assets, i);

      g_ptr_array_add (data->assets, gazette_asset_new (asset->url, asset->mime, asset->data));
    }
  return data;
}

static gboolean
db_store_offline (GazetteStore    *self,
                  sqlite3         *db,
                  gpointer         user_data,
                  GCancellable    *cancellable,
                  gpointer        *out_result,
                  GDestroyNotify  *out_result_free,
                  GError         **error)
{
  OfflineData *data = user_data;
  const char *what = _("Could not save the article for offline reading");
  sqlite3_stmt *insert_asset = NULL;
  sqlite3_stmt *link = NULL;
  sqlite3_stmt *update = NULL;
  gint64 source_id = 0;
  gboolean ok = FALSE;
  int rc = SQLITE_OK;

  if (!gazette_store_db_exec (db, "BEGIN IMMEDIATE", what, error))
    return FALSE;

  if (!gazette_store_db_prepare (db,
                "INSERT INTO assets (sha256, mime, size, data) VALUES (?1, ?2, ?3, ?4)"
                " ON CONFLICT (sha256) DO UPDATE SET mime = mime RETURNING id",
                &insert_asset, what, error) ||
      !gazette_store_db_prepare (db,
                "INSERT OR REPLACE INTO article_assets (article_id, asset_id, url)"
                " VALUES (?1, ?2, ?3)",
                &link, what, error) ||
      !gazette_store_db_prepare (db,
                "UPDATE articles SET reader_html = ?2,"
                " lead_image = COALESCE (?3, lead_image), site = COALESCE (?4, site),"
                " lang = COALESCE (?5, lang), dir = COALESCE (?6, dir),"
                " saved = saved OR ?7, reader_removed = ?8,"
                " saved_at = strftime ('%s', 'now')"
                " WHERE id = ?1 RETURNING source_id",
                &update, what, error))
    goto out;

  /* The article first: links to a removed article would fail on the foreign key anyway. */
  sqlite3_bind_int64 (update, 1, data->article_id);
  bind_text (update, 2, data->reader_html);
  bind_text (update, 3, data->lead_image);
  bind_text (update, 4, data->site);
  bind_text (update, 5, data->lang);
  bind_text (update, 6, data->dir);
  sqlite3_bind_int (update, 7, !!data->mark_saved);
  bind_text (update, 8, data->reader_removed);
  rc = sqlite3_step (update);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                           _("The article no longer exists"));
      goto out;
    }
  if (rc != SQLITE_ROW)
    goto sql_error;
  source_id = sqlite3_column_int64 (update, 0);
  if ((rc = step_done (update)) != SQLITE_OK)
    goto sql_error;

  /* Saving again replaces the article's links; assets nobody shows go at the next clean-up. */
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM article_assets WHERE article_id = %"
                                            G_GINT64_FORMAT, data->article_id);

    if (!gazette_store_db_exec (db, sql, what, error))
      goto out;
  }

  for (guint i = 0; i < data->assets->len; i++)
    {
      GazetteAsset *asset = g_ptr_array_index (data->assets, i);
      gsize length = 0;
      gconstpointer bytes = g_bytes_get_data (asset->data, &length);
      gint64 asset_id;

      sqlite3_reset (insert_asset);
      bind_text (insert_asset, 1, asset->sha256);
      bind_text (insert_asset, 2, asset->mime != NULL ? asset->mime : "application/octet-stream");
      sqlite3_bind_int64 (insert_asset, 3, length);
      sqlite3_bind_blob64 (insert_asset, 4, bytes != NULL ? bytes : "", length, SQLITE_STATIC);
      rc = sqlite3_step (insert_asset);
      if (rc != SQLITE_ROW)
        goto sql_error;
      asset_id = sqlite3_column_int64 (insert_asset, 0);
      if ((rc = step_done (insert_asset)) != SQLITE_OK)
        goto sql_error;

      sqlite3_reset (link);
      sqlite3_bind_int64 (link, 1, data->article_id);
      sqlite3_bind_int64 (link, 2, asset_id);
      bind_text (link, 3, asset->url != NULL ? asset->url : asset->sha256);
      if ((rc = step_done (link)) != SQLITE_OK)
        goto sql_error;
    }

  ok = TRUE;
  goto out;

sql_error:
  gazette_store_set_sqlite_error (error, db, rc, what);
out:
  sqlite3_finalize (insert_asset);
  sqlite3_finalize (link);
  sqlite3_finalize (update);
  if (!ok)
    {
      gazette_store_db_rollback (db);
      return FALSE;
    }
  if (!commit (db, what, error))
    return FALSE;
  gazette_store_emit_articles_changed (self, source_id);
  return TRUE;
}

gboolean
gazette_store_store_offline_sync (GazetteStore             *self,
                                  const GazetteOfflineCopy *copy,
                                  GCancellable             *cancellable,
                                  GError                  **error)
{
  return gazette_store_run_sync (self, db_store_offline, offline_data_new (copy),
                                 offline_data_free, cancellable, NULL, error);
}

void
gazette_store_store_offline_async (GazetteStore             *self,
                                   const GazetteOfflineCopy *copy,
                                   GCancellable             *cancellable,
                                   GAsyncReadyCallback       callback,
                                   gpointer                  user_data)
{
  gazette_store_run_async (self, db_store_offline, offline_data_new (copy), offline_data_free,
                           cancellable, gazette_store_store_offline_async, callback, user_data);
}

gboolean
gazette_store_store_offline_finish (GazetteStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return gazette_store_run_finish (self, result, gazette_store_store_offline_async, NULL, error);
}

typedef struct {
  GBytes *data;
  char   *mime;
} AssetResult;

static void
asset_result_free (gpointer data)
{
  AssetResult *result = data;

  g_clear_pointer (&result->data, g_bytes_unref);
  g_free (result->mime);
  g_free (result);
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
db_load_asset (GazetteStore    *self,
               sqlite3         *db,
               gpointer         user_data,
               GCancellable    *cancellable,
               gpointer        *out_result,
               GDestroyNotify  *out_result_free,
               GError         **error)
{
  const char *sha256 = user_data;
  const char *what = _("Could not read a saved image");
  sqlite3_stmt *stmt = NULL;
  AssetResult *result;
  int rc;

  if (!gazette_store_db_prepare (db, "SELECT mime, data FROM assets WHERE sha256 = ?1", &stmt, what, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                             _("The saved image is not in the library"));
      else
        gazette_store_set_sqlite_error (error, db, rc, what);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  result = g_new0 (AssetResult, 1);
  result->mime = gazette_store_column_dup (stmt, 0);
  result->data = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  sqlite3_finalize (stmt);

  *out_result = result;
  *out_result_free = asset_result_free;
  return TRUE;
}

static char *
normalise_sha (const char *sha256)
{
  return is_sha256 (sha256) ? g_ascii_strdown (sha256, -1) : NULL;
}

GBytes *
gazette_store_load_asset_sync (GazetteStore  *self,
                               const char    *sha256,
                               char         **out_mime,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autofree char *sha = normalise_sha (sha256);
  AssetResult *result = NULL;
  GBytes *data;

  if (sha == NULL)
    {
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                           _("The saved image is not in the library"));
      return NULL;
    }
  if (!gazette_store_run_sync (self, db_load_asset, g_steal_pointer (&sha), g_free, cancellable,
                               (gpointer *) &result, error))
    return NULL;
  data = g_steal_pointer (&result->data);
  if (out_mime != NULL)
    *out_mime = g_steal_pointer (&result->mime);
  asset_result_free (result);
  return data;
}

void
gazette_store_load_asset_async (GazetteStore        *self,
                                const char          *sha256,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  char *sha = normalise_sha (sha256);

  if (sha == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, gazette_store_load_asset_async);
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND, "%s",
                               _("The saved image is not in the library"));
      return;
    }
  gazette_store_run_async (self, db_load_asset, sha, g_free, cancellable,
                           gazette_store_load_asset_async, callback, user_data);
}

GBytes *
gazette_store_load_asset_finish (GazetteStore  *self,
                                 GAsyncResult  *result,
                                 char         **out_mime,
                                 GError       **error)
{
  AssetResult *value = NULL;
  GBytes *data;

  if (!gazette_store_run_finish (self, result, gazette_store_load_asset_async,
                                 (gpointer *) &value, error))
    return NULL;
  data = g_steal_pointer (&value->data);
  if (out_mime != NULL)
    *out_mime = g_steal_pointer (&value->mime);
  asset_result_free (value);
  return data;
}

typedef struct {
  gint64 source_id;
  gint64 since;
  guint  limit;
} UnsavedData;

static gboolean
db_list_unsaved (GazetteStore    *self,
                 sqlite3         *db,
                 gpointer         user_data,
                 GCancellable    *cancellable,
                 gpointer        *out_result,
                 GDestroyNotify  *out_result_free,
                 GError         **error)
{
  UnsavedData *data = user_data;
  const char *what = _("Could not read the articles");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!gazette_store_db_prepare (db,
                "SELECT id FROM articles WHERE source_id = ?1 AND added >= ?2 AND saved_at IS NULL"
                " ORDER BY COALESCE (published, added) DESC, id DESC LIMIT ?3",
                &stmt, what, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->source_id);
  sqlite3_bind_int64 (stmt, 2, data->since);
  sqlite3_bind_int (stmt, 3, data->limit > 0 ? (int) data->limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gazette_store_set_sqlite_error (error, db, rc, what);
      return FALSE;
    }
  *out_result = g_steal_pointer (&ids);
  *out_result_free = (GDestroyNotify) g_array_unref;
  return TRUE;
}

static UnsavedData *
unsaved_data_new (gint64 source_id,
                  gint64 since,
                  guint  limit)
{
  UnsavedData *data = g_new0 (UnsavedData, 1);

  data->source_id = source_id;
  data->since = since;
  data->limit = limit;
  return data;
}

GArray *
gazette_store_list_unsaved_sync (GazetteStore  *self,
                                 gint64         source_id,
                                 gint64         since,
                                 guint          limit,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  gpointer result = NULL;

  if (!gazette_store_run_sync (self, db_list_unsaved, unsaved_data_new (source_id, since, limit),
                               g_free, cancellable, &result, error))
    return NULL;
  return result;
}

void
gazette_store_list_unsaved_async (GazetteStore        *self,
                                  gint64               source_id,
                                  gint64               since,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  gazette_store_run_async (self, db_list_unsaved, unsaved_data_new (source_id, since, limit),
                           g_free, cancellable, gazette_store_list_unsaved_async, callback,
                           user_data);
}

GArray *
gazette_store_list_unsaved_finish (GazetteStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  gpointer value = NULL;

  if (!gazette_store_run_finish (self, result, gazette_store_list_unsaved_async, &value, error))
    return NULL;
  return value;
}

/* Keeping saved articles ------------------------------------------------------------------- */

static gboolean
db_keep_saved (GazetteStore    *self,
               sqlite3         *db,
               gpointer         user_data,
               GCancellable    *cancellable,
               gpointer        *out_result,
               GDestroyNotify  *out_result_free,
               GError         **error)
{
  gint64 source_id = *(gint64 *) user_data;
  const char *what = _("Could not keep the saved articles");
  g_autofree char *sql = NULL;
  gint64 kind = -1, saved = 0, pages = 0;

  if (!gazette_store_db_exec (db, "BEGIN IMMEDIATE", what, error))
    return FALSE;

  sql = g_strdup_printf ("SELECT kind FROM sources WHERE id = %" G_GINT64_FORMAT, source_id);
  if (!query_int64 (db, sql, &kind, what, error))
    goto fail;
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM articles WHERE source_id = %" G_GINT64_FORMAT
                         " AND saved = 1", source_id);
  if (!query_int64 (db, sql, &saved, what, error))
    goto fail;
  if (saved == 0 || kind == GAZETTE_SOURCE_KIND_FOLDER || kind == GAZETTE_SOURCE_KIND_PAGES)
    return commit (db, what, error);

  if (!query_int64 (db, "SELECT id FROM sources WHERE kind = 2 ORDER BY id LIMIT 1", &pages,
                    what, error))
    goto fail;
  if (pages == 0)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (!gazette_store_db_prepare (db, "INSERT INTO sources (kind, title) VALUES (2, ?1)", &stmt, what, error))
        goto fail;
      sqlite3_bind_text (stmt, 1, _("Saved Pages"), -1, SQLITE_TRANSIENT);
      rc = step_done (stmt);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_OK)
        {
          gazette_store_set_sqlite_error (error, db, rc, what);
          goto fail;
        }
      pages = sqlite3_last_insert_rowid (db);
    }

  /* OR IGNORE: a page saved twice (same address in both) keeps the copy already there. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE OR IGNORE articles SET source_id = %" G_GINT64_FORMAT ","
                         " site = COALESCE (site, (SELECT title FROM sources WHERE id = %"
                         G_GINT64_FORMAT ")) WHERE source_id = %" G_GINT64_FORMAT
                         " AND saved = 1", pages, source_id, source_id);
  if (!gazette_store_db_exec (db, sql, what, error))
    goto fail;
  if (!commit (db, what, error))
    return FALSE;
  gazette_store_emit_articles_changed (self, 0);
  return TRUE;

fail:
  gazette_store_db_rollback (db);
  return FALSE;
}

gboolean
gazette_store_keep_saved_sync (GazetteStore  *self,
                               gint64         source_id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return gazette_store_run_sync (self, db_keep_saved, g_memdup2 (&source_id, sizeof source_id),
                                 g_free, cancellable, NULL, error);
}

void
gazette_store_keep_saved_async (GazetteStore        *self,
                                gint64               source_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  gazette_store_run_async (self, db_keep_saved, g_memdup2 (&source_id, sizeof source_id), g_free,
                           cancellable, gazette_store_keep_saved_async, callback, user_data);
}

gboolean
gazette_store_keep_saved_finish (GazetteStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return gazette_store_run_finish (self, result, gazette_store_keep_saved_async, NULL, error);
}

/* Retention and space --------------------------------------------------------------------- */

static gboolean
db_clean_up (GazetteStore    *self,
             sqlite3         *db,
             gpointer         user_data,
             GCancellable    *cancellable,
             gpointer        *out_result,
             GDestroyNotify  *out_result_free,
             GError         **error)
{
  GazetteRetention *retention = user_data;
  const char *what = _("Could not clean up the library");
  /* Never saved or starred ones, nor the bundled Welcome source's (kind 3). */
  g_autofree char *keep = g_strdup_printf ("a.saved = 0 AND a.starred = 0%s"
                                           " AND a.source_id NOT IN"
                                           " (SELECT id FROM sources WHERE kind = 3)",
                                           retention->keep_unread ? " AND a.read = 1" : "");
  guint removed = 0;

  if (!gazette_store_db_exec (db, "BEGIN IMMEDIATE", what, error))
    return FALSE;

  if (retention->keep_days > 0)
    {
      g_autofree char *sql = NULL;
      gint64 cutoff = g_get_real_time () / G_USEC_PER_SEC - (gint64) retention->keep_days * 86400;

      sql = g_strdup_printf ("DELETE FROM articles WHERE id IN (SELECT a.id FROM articles AS a"
                             " WHERE %s AND COALESCE (a.published, a.added) < %" G_GINT64_FORMAT ")",
                             keep, cutoff);
      if (!gazette_store_db_exec (db, sql, what, error))
        goto fail;
      removed += sqlite3_changes (db);
    }

  if (retention->keep_per_source > 0)
    {
      g_autofree char *sql = NULL;

      sql = g_strdup_printf ("DELETE FROM articles WHERE id IN (SELECT id FROM"
                             " (SELECT a.id, a.saved, a.starred, a.read, a.source_id,"
                             "   row_number () OVER (PARTITION BY a.source_id"
                             "     ORDER BY COALESCE (a.published, a.added) DESC, a.id DESC) AS n"
                             "  FROM articles AS a) AS a"
                             " WHERE n > %u AND %s)",
                             retention->keep_per_source, keep);
      if (!gazette_store_db_exec (db, sql, what, error))
        goto fail;
      removed += sqlite3_changes (db);
    }

  if (!gazette_store_db_exec (db,
             "DELETE FROM assets WHERE NOT EXISTS"
             " (SELECT 1 FROM article_assets WHERE asset_id = assets.id)",
             what, error))
    goto fail;

  if (!commit (db, what, error))
    return FALSE;

  /* Freed pages are reused by later writes; no VACUUM here, which would hold the library for
   * minutes on a large one. The WAL is folded back so the file stops growing. */
  sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

  if (removed > 0)
    gazette_store_emit_articles_changed (self, 0);
  *out_result = g_memdup2 (&removed, sizeof removed);
  *out_result_free = g_free;
  return TRUE;

fail:
  gazette_store_db_rollback (db);
  return FALSE;
}

gboolean
gazette_store_clean_up_sync (GazetteStore           *self,
                             const GazetteRetention *retention,
                             guint                  *out_removed,
                             GCancellable           *cancellable,
                             GError                **error)
{
  g_autofree guint *removed = NULL;

  if (!gazette_store_run_sync (self, db_clean_up, g_memdup2 (retention, sizeof *retention),
                               g_free, cancellable, (gpointer *) &removed, error))
    return FALSE;
  if (out_removed != NULL)
    *out_removed = removed != NULL ? *removed : 0;
  return TRUE;
}

void
gazette_store_clean_up_async (GazetteStore           *self,
                              const GazetteRetention *retention,
                              GCancellable           *cancellable,
                              GAsyncReadyCallback     callback,
                              gpointer                user_data)
{
  gazette_store_run_async (self, db_clean_up, g_memdup2 (retention, sizeof *retention), g_free,
                           cancellable, gazette_store_clean_up_async, callback, user_data);
}

gboolean
gazette_store_clean_up_finish (GazetteStore  *self,
                               GAsyncResult  *result,
                               guint         *out_removed,
                               GError       **error)
{
  g_autofree guint *removed = NULL;

  if (!gazette_store_run_finish (self, result, gazette_store_clean_up_async,
                                 (gpointer *) &removed, error))
    return FALSE;
  if (out_removed != NULL)
    *out_removed = removed != NULL ? *removed : 0;
  return TRUE;
}

static gboolean
db_get_space (GazetteStore    *self,
              sqlite3         *db,
              gpointer         user_data,
              GCancellable    *cancellable,
              gpointer        *out_result,
              GDestroyNotify  *out_result_free,
              GError         **error)
{
  const char *what = _("Could not measure the library");
  GazetteSpaceUsage *usage = g_new0 (GazetteSpaceUsage, 1);
  gint64 pages = 0, page_size = 0, freelist = 0, value = 0;

  if (!query_int64 (db, "PRAGMA page_count", &pages, what, error) ||
      !query_int64 (db, "PRAGMA page_size", &page_size, what, error) ||
      !query_int64 (db, "PRAGMA freelist_count", &freelist, what, error))
    goto fail;
  usage->database_bytes = (pages - freelist) * page_size;
  if (!query_int64 (db, "SELECT COALESCE (SUM (size), 0) FROM assets", &value, what, error))
    goto fail;
  usage->asset_bytes = value;
  if (!query_int64 (db, "SELECT count(*) FROM assets", &value, what, error))
    goto fail;
  usage->n_assets = value;
  if (!query_int64 (db, "SELECT count(*) FROM articles", &value, what, error))
    goto fail;
  usage->n_articles = value;
  if (!query_int64 (db, "SELECT count(*) FROM articles WHERE saved = 1", &value, what, error))
    goto fail;
  usage->n_saved = value;

  *out_result = usage;
  *out_result_free = g_free;
  return TRUE;

fail:
  g_free (usage);
  return FALSE;
}

gboolean
gazette_store_get_space_sync (GazetteStore       *self,
                              GazetteSpaceUsage  *out_usage,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autofree GazetteSpaceUsage *usage = NULL;

  if (!gazette_store_run_sync (self, db_get_space, NULL, NULL, cancellable,
                               (gpointer *) &usage, error))
    return FALSE;
  *out_usage = *usage;
  return TRUE;
}

void
gazette_store_get_space_async (GazetteStore        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  gazette_store_run_async (self, db_get_space, NULL, NULL, cancellable,
                           gazette_store_get_space_async, callback, user_data);
}

gboolean
gazette_store_get_space_finish (GazetteStore       *self,
                                GAsyncResult       *result,
                                GazetteSpaceUsage  *out_usage,
                                GError            **error)
{
  g_autofree GazetteSpaceUsage *usage = NULL;

  if (!gazette_store_run_finish (self, result, gazette_store_get_space_async,
                                 (gpointer *) &usage, error))
    return FALSE;
  *out_usage = *usage;
  return TRUE;
}

/* gazette-store-migrations.c — the numbered schema migrations of gazette.db
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Migration N brings the schema from version N-1 to N. Each runs in one BEGIN IMMEDIATE
 * transaction that also inserts N into schema_version, so a failure leaves the database exactly
 * as it was. Never edit a released migration: append a new one (FTS5 search, saved assets and
 * filter site rules will come this way).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "gazette-error.h"
#include "gazette-store-private.h"

/* A step is SQL, a function for what SQL cannot do (rewriting values in C), or both: the SQL
 * runs first. A function reports failure in @error and leaves the rollback to the caller. */
typedef struct {
  const char *description;
  const char *sql;
  gboolean  (*run) (sqlite3  *db,
                    GError  **error);
} Migration;

/* Version 1: sources, articles and enclosures.
 *
 * Dates are unix seconds UTC; an unknown published date is NULL, so the list orders by
 * COALESCE(published, added). folder_id is NULL at the top level. Booleans are 0/1. */
static const char migration_1[] =
  "CREATE TABLE sources ("
  "  id               INTEGER PRIMARY KEY,"
  "  kind             INTEGER NOT NULL DEFAULT 0,"
  "  folder_id        INTEGER REFERENCES sources (id) ON DELETE SET NULL,"
  "  position         INTEGER NOT NULL DEFAULT 0,"
  "  title            TEXT,"
  "  url              TEXT,"
  "  site_url         TEXT,"
  "  icon_url         TEXT,"
  "  error            TEXT,"
  "  etag             TEXT,"
  "  last_modified    TEXT,"
  "  last_fetched     INTEGER NOT NULL DEFAULT 0,"
  "  next_fetch       INTEGER NOT NULL DEFAULT 0,"
  "  error_count      INTEGER NOT NULL DEFAULT 0,"
  "  refresh_interval INTEGER NOT NULL DEFAULT 0,"
  "  full_article     INTEGER NOT NULL DEFAULT 0,"
  "  save_offline     INTEGER NOT NULL DEFAULT 0,"
  "  filter_enabled   INTEGER NOT NULL DEFAULT 0,"
  "  created          INTEGER NOT NULL DEFAULT (strftime ('%s', 'now'))"
  ");"
  /* One row per feed URL; folders and page collections have none or share nothing. */
  "CREATE UNIQUE INDEX sources_feed_url ON sources (url) WHERE kind = 0;"
  "CREATE INDEX sources_folder ON sources (folder_id);"

  "CREATE TABLE articles ("
  "  id           INTEGER PRIMARY KEY,"
  "  source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,"
  "  guid         TEXT NOT NULL,"
  "  url          TEXT,"
  "  title        TEXT,"
  "  author       TEXT,"
  "  published    INTEGER,"
  "  updated      INTEGER,"
  "  added        INTEGER NOT NULL,"
  "  summary      TEXT,"
  "  content      TEXT,"
  "  reader_html  TEXT,"
  "  lead_image   TEXT,"
  "  lang         TEXT,"
  "  dir          TEXT,"
  "  read         INTEGER NOT NULL DEFAULT 0,"
  "  starred      INTEGER NOT NULL DEFAULT 0,"
  "  saved        INTEGER NOT NULL DEFAULT 0,"
  "  content_hash TEXT,"
  "  categories   TEXT,"           /* JSON array of strings, NULL when none */
  "  comments     TEXT,"
  "  UNIQUE (source_id, guid)"
  ");"
  /* The list queries order by exactly this expression, so these indexes serve them without a
   * sort: everything, one source, and the partial ones for the sidebar's smart rows. */
  "CREATE INDEX articles_newest ON articles (COALESCE (published, added) DESC, id DESC);"
  "CREATE INDEX articles_source_newest"
  "  ON articles (source_id, COALESCE (published, added) DESC, id DESC);"
  "CREATE INDEX articles_unread_newest"
  "  ON articles (COALESCE (published, added) DESC, id DESC) WHERE read = 0;"
  "CREATE INDEX articles_source_unread"
  "  ON articles (source_id, COALESCE (published, added) DESC, id DESC) WHERE read = 0;"
  "CREATE INDEX articles_starred_newest"
  "  ON articles (COALESCE (published, added) DESC, id DESC) WHERE starred = 1;"
  "CREATE INDEX articles_saved_newest"
  "  ON articles (COALESCE (published, added) DESC, id DESC) WHERE saved = 1;"

  "CREATE TABLE enclosures ("
  "  id         INTEGER PRIMARY KEY,"
  "  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,"
  "  url        TEXT NOT NULL,"
  "  type       TEXT,"
  "  length     INTEGER"           /* bytes, NULL when unknown */
  ");"
  "CREATE INDEX enclosures_article ON enclosures (article_id);";

/* Version 2: full-text search and offline assets.
 *
 * articles_fts keeps its own copy of the plain text it indexes: on SQLite 3.40 only such a table
 * can drop a row by rowid alone (contentless_delete came in 3.43), and the text is computed by C
 * code (gazette_plain_text, registered on every connection) whose output may change between
 * versions, so an external-content "delete" that must repeat the old text exactly could not be
 * trusted. gazette_store_rebuild_search_sync() refills it.
 *
 * articles.site is the site name an extracted page gave (saved pages); the index falls back to
 * the source's title. Assets are images stored once by SHA-256, linked to the articles that show
 * them; an asset no article links to is removed by the clean-up. */
#define FTS_TEXT(a) \
  "gazette_plain_text (COALESCE (NULLIF (" a ".reader_html, ''), " a ".content, " a ".summary))"
#define FTS_SITE(a) \
  "COALESCE (" a ".site, (SELECT title FROM sources WHERE id = " a ".source_id))"

static const char migration_2[] =
  "ALTER TABLE articles ADD COLUMN site TEXT;"
  "ALTER TABLE articles ADD COLUMN saved_at INTEGER;"
  "CREATE VIRTUAL TABLE articles_fts USING fts5 ("
  "  title, author, site, body,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
  ");"
  "INSERT INTO articles_fts (rowid, title, author, site, body)"
  "  SELECT a.id, a.title, a.author, " FTS_SITE ("a") ", " FTS_TEXT ("a") " FROM articles AS a;"
  "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
  "  INSERT INTO articles_fts (rowid, title, author, site, body)"
  "    VALUES (new.id, new.title, new.author, " FTS_SITE ("new") ", " FTS_TEXT ("new") ");"
  "END;"
  "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
  "  DELETE FROM articles_fts WHERE rowid = old.id;"
  "END;"
  "CREATE TRIGGER articles_fts_update"
  "  AFTER UPDATE OF title, author, site, source_id, summary, content, reader_html ON articles"
  "  BEGIN"
  "  DELETE FROM articles_fts WHERE rowid = old.id;"
  "  INSERT INTO articles_fts (rowid, title, author, site, body)"
  "    VALUES (new.id, new.title, new.author, " FTS_SITE ("new") ", " FTS_TEXT ("new") ");"
  "END;"
  /* Search ranks by date too: this small covering index gives each hit's date without reading
   * its (large) article row. */
  "CREATE INDEX articles_search_dates ON articles (id, published, added, source_id);"
  /* Article rows carry their text (kilobytes each): listing every article read one page per
   * row. This index holds what a list row shows, in list order, so the All list (the one a
   * large library opens on) reads it alone. */
  "CREATE INDEX articles_list_cover ON articles (COALESCE (published, added) DESC, id DESC,"
  "  source_id, guid, url, title, author, site, published, updated, summary, lead_image, lang,"
  "  dir, read, starred, saved, added);"
  "CREATE TRIGGER sources_fts_title AFTER UPDATE OF title ON sources BEGIN"
  "  UPDATE articles_fts SET site = new.title"
  "    WHERE rowid IN (SELECT id FROM articles WHERE source_id = new.id AND site IS NULL);"
  "END;"

  "CREATE TABLE assets ("
  "  id       INTEGER PRIMARY KEY,"
  "  sha256   TEXT NOT NULL UNIQUE,"
  "  mime     TEXT NOT NULL,"
  "  size     INTEGER NOT NULL,"
  "  data     BLOB NOT NULL,"
  "  added    INTEGER NOT NULL DEFAULT (strftime ('%s', 'now'))"
  ");"
  /* One row per (article, image URL): the URL is what the article's HTML pointed at. */
  "CREATE TABLE article_assets ("
  "  article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,"
  "  asset_id   INTEGER NOT NULL REFERENCES assets (id),"
  "  url        TEXT NOT NULL,"
  "  PRIMARY KEY (article_id, url)"
  ") WITHOUT ROWID;"
  "CREATE INDEX article_assets_asset ON article_assets (asset_id);";

/* Version 3: what the clutter filter removed from an extracted article (a GVariant "a(sss)" in
 * text form, see gazette_clutter_removals_to_string()), so an article extracted during a
 * refresh still says what was hidden when it is opened. */
static const char migration_3[] =
  "ALTER TABLE articles ADD COLUMN reader_removed TEXT;";

static const Migration migrations[] = {
  { "sources, articles and enclosures", migration_1, NULL },
  { "full-text search and offline assets", migration_2, NULL },
  { "what the clutter filter removed", migration_3, NULL },
};

static char *extra_migration_sql;

void
gazette_store_set_extra_migration_for_testing (const char *sql)
{
  g_free (extra_migration_sql);
  extra_migration_sql = g_strdup (sql);
}

int
gazette_store_latest_schema_version (void)
{
  return G_N_ELEMENTS (migrations) + (extra_migration_sql != NULL ? 1 : 0);
}

void
gazette_store_set_sqlite_error (GError     **error,
                                sqlite3     *db,
                                int          rc,
                                const char  *what)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DISK_FULL,
                   _("%s: the disk is full"), what);
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                   _("%s: the library file is damaged or is not a Gazette library"), what);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                   _("%s: the library file cannot be written (%s)"), what, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                   _("%s: the library is in use by another program"), what);
      break;
    default:
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE, "%s: %s", what, detail);
      break;
    }
}

static int
query_int (sqlite3     *db,
           const char  *sql,
           gint64      *out_value)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_value = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *out_value = 0;
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return rc;
}

gboolean
gazette_store_read_schema_version (sqlite3  *db,
                                   int      *out_version,
                                   GError  **error)
{
  gint64 has_version_table = 0;
  gint64 n_tables = 0;
  gint64 version = 0;
  int rc;

  rc = query_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &n_tables);
  if (rc == SQLITE_OK)
    rc = query_int (db,
                    "SELECT count(*) FROM sqlite_master "
                    "WHERE type = 'table' AND name = 'schema_version'",
                    &has_version_table);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, db, rc, _("Could not read the library"));
      return FALSE;
    }

  if (!has_version_table)
    {
      if (n_tables > 0)
        {
          g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                       _("The library file is a database, but not one Gazette wrote"));
          return FALSE;
        }
      *out_version = 0;
      return TRUE;
    }

  rc = query_int (db, "SELECT COALESCE (MAX (version), 0) FROM schema_version", &version);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, db, rc, _("Could not read the library version"));
      return FALSE;
    }

  *out_version = (int) CLAMP (version, 0, G_MAXINT);
  return TRUE;
}

/* A full disk is worth telling apart: the user can do something about it. */
static GazetteError
migration_error_code (int rc)
{
  return (rc & 0xff) == SQLITE_FULL ? GAZETTE_ERROR_DISK_FULL : GAZETTE_ERROR_MIGRATION;
}

/* Applies migration @version inside the open transaction. */
static gboolean
apply_one (sqlite3  *db,
           int       version,
           GError  **error)
{
  const char *sql;
  const char *description;
  gboolean (*run) (sqlite3 *, GError **) = NULL;
  char *errmsg = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (version <= (int) G_N_ELEMENTS (migrations))
    {
      sql = migrations[version - 1].sql;
      run = migrations[version - 1].run;
      description = migrations[version - 1].description;
    }
  else
    {
      sql = extra_migration_sql;
      description = "testing";
    }

  rc = sql != NULL ? sqlite3_exec (db, sql, NULL, NULL, &errmsg) : SQLITE_OK;
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GAZETTE_ERROR, migration_error_code (rc),
                   _("Could not upgrade the library to version %d (%s): %s"),
                   version, description, errmsg != NULL ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }

  if (run != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!run (db, &local_error))
        {
          g_set_error (error, GAZETTE_ERROR,
                       g_error_matches (local_error, GAZETTE_ERROR, GAZETTE_ERROR_DISK_FULL)
                         ? GAZETTE_ERROR_DISK_FULL : GAZETTE_ERROR_MIGRATION,
                       _("Could not upgrade the library to version %d (%s): %s"),
                       version, description, local_error->message);
          return FALSE;
        }
    }

  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO schema_version (version, applied) "
                           "VALUES (?1, strftime ('%s', 'now'))",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, version);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, GAZETTE_ERROR, migration_error_code (rc),
                   _("Could not upgrade the library to version %d (%s): %s"),
                   version, description, sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

gboolean
gazette_store_migrate (sqlite3  *db,
                       int      *out_version,
                       GError  **error)
{
  int latest = gazette_store_latest_schema_version ();
  int current = 0;

  if (!gazette_store_read_schema_version (db, &current, error))
    return FALSE;

  while (current < latest)
    {
      int version = current + 1;
      int rc;

      rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          gazette_store_set_sqlite_error (error, db, rc, _("Could not upgrade the library"));
          return FALSE;
        }

      rc = sqlite3_exec (db,
                         "CREATE TABLE IF NOT EXISTS schema_version ("
                         "  version INTEGER PRIMARY KEY,"
                         "  applied INTEGER NOT NULL"
                         ")",
                         NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_MIGRATION,
                       _("Could not upgrade the library to version %d: %s"),
                       version, sqlite3_errmsg (db));
          gazette_store_db_rollback (db);
          return FALSE;
        }

      /* Another Gazette may have migrated between our read and the lock. */
      if (!gazette_store_read_schema_version (db, &current, error))
        {
          gazette_store_db_rollback (db);
          return FALSE;
        }
      if (current > latest)
        {
          gazette_store_db_rollback (db);
          g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE_TOO_NEW,
                       _("The library was written by a newer version of Gazette"));
          return FALSE;
        }
      if (current >= version)
        {
          gazette_store_db_rollback (db);
          continue;
        }

      if (!apply_one (db, version, error))
        {
          gazette_store_db_rollback (db);
          return FALSE;
        }

      rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          g_autoptr(GError) local_error = NULL;

          gazette_store_set_sqlite_error (&local_error, db, rc, _("Could not save"));
          gazette_store_db_rollback (db);
          g_set_error (error, GAZETTE_ERROR, migration_error_code (rc),
                       _("Could not upgrade the library to version %d: %s"),
                       version, local_error->message);
          return FALSE;
        }

      g_debug ("Library upgraded to version %d", version);
      current = version;
    }

  if (current > latest)
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE_TOO_NEW,
                   _("The library was written by a newer version of Gazette"));
      return FALSE;
    }

  *out_version = current;
  return TRUE;
}

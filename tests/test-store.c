/* test-store.c — GazetteStore: schema and migrations, merging, lists, flags, threads, crashes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "gazette-error.h"
#include "gazette-store-private.h"

#define KILL_CHILD_ARG   "--kill-during-write-child"
#define KILL_BATCH       20

/* Feeds built by hand: the store must not need the parser. */

static GazetteFeedEntry *
entry_new (const char *id,
           const char *title,
           const char *link,
           gint64      published,
           const char *content)
{
  GazetteFeedEntry *entry = g_new0 (GazetteFeedEntry, 1);

  entry->id = g_strdup (id);
  entry->title = g_strdup (title);
  entry->link = g_strdup (link);
  entry->published = published;
  entry->content = g_strdup (content);
  entry->categories = g_ptr_array_new_with_free_func (g_free);
  entry->enclosures = g_ptr_array_new ();
  return entry;
}

static void
entry_free (gpointer data)
{
  GazetteFeedEntry *entry = data;

  g_free (entry->id);
  g_free (entry->title);
  g_free (entry->link);
  g_free (entry->author);
  g_free (entry->summary);
  g_free (entry->content);
  g_free (entry->comments);
  g_ptr_array_unref (entry->categories);
  for (guint i = 0; i < entry->enclosures->len; i++)
    {
      GazetteEnclosure *enclosure = g_ptr_array_index (entry->enclosures, i);

      g_free (enclosure->url);
      g_free (enclosure->type);
      g_free (enclosure);
    }
  g_ptr_array_unref (entry->enclosures);
  g_free (entry);
}

static GazetteFeed *
feed_new (void)
{
  GazetteFeed *feed = g_new0 (GazetteFeed, 1);

  feed->title = g_strdup ("Test feed");
  feed->entries = g_ptr_array_new_with_free_func (entry_free);
  feed->warnings = g_ptr_array_new ();
  return feed;
}

static void
feed_free (GazetteFeed *feed)
{
  g_free (feed->title);
  g_ptr_array_unref (feed->entries);
  g_ptr_array_unref (feed->warnings);
  g_free (feed);
}

typedef GazetteFeed TestFeed;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestFeed, feed_free)

static GazetteFeedEntry *
feed_add (GazetteFeed *feed,
          const char  *id,
          const char  *title,
          gint64       published)
{
  g_autofree char *link = g_strdup_printf ("https://example.org/%s", id != NULL ? id : "none");
  g_autofree char *content = g_strdup_printf ("<p>Body of %s</p>", title);
  GazetteFeedEntry *entry = entry_new (id, title, link, published, content);

  g_ptr_array_add (feed->entries, entry);
  return entry;
}

/* Helpers */

static GazetteStore *
open_store (const char *data_dir)
{
  g_autoptr(GazetteStore) store = gazette_store_new (data_dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (gazette_store_open_sync (store, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static gint64
add_source (GazetteStore      *store,
            GazetteSourceKind  kind,
            const char        *title,
            const char        *url,
            gint64             folder_id)
{
  g_autoptr(GazetteSource) source = gazette_source_new (kind, title, url);
  g_autoptr(GError) error = NULL;
  gint64 id;

  gazette_source_set_folder_id (source, folder_id);
  id = gazette_store_add_source_sync (store, source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (gazette_source_get_id (source), ==, id);
  return id;
}

static void
merge (GazetteStore       *store,
       gint64              source_id,
       GazetteFeed        *feed,
       GazetteMergeResult *out_result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gazette_store_merge_feed_sync (store, source_id, feed, out_result, NULL, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list (GazetteStore             *store,
      GazetteArticleFilterKind  kind,
      gint64                    source_id,
      gboolean                  unread_only)
{
  GazetteArticleFilter filter = { kind, source_id, unread_only };
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  articles = gazette_store_list_articles_sync (store, &filter, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (articles);
  return articles;
}

static GazetteArticle *
find_by_guid (GPtrArray  *articles,
              const char *guid)
{
  for (guint i = 0; i < articles->len; i++)
    if (g_strcmp0 (gazette_article_get_guid (g_ptr_array_index (articles, i)), guid) == 0)
      return g_ptr_array_index (articles, i);
  return NULL;
}

static GazetteSource *
find_source (GPtrArray *sources,
             gint64     id)
{
  for (guint i = 0; i < sources->len; i++)
    if (gazette_source_get_id (g_ptr_array_index (sources, i)) == id)
      return g_ptr_array_index (sources, i);
  return NULL;
}

static char *
query (GazetteStore *store,
       const char   *sql)
{
  g_autoptr(GError) error = NULL;
  char *result = gazette_store_query_for_testing (store, sql, &error);

  g_assert_no_error (error);
  return result;
}

static GBytes *
file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static char *
db_path (const char *data_dir)
{
  return g_build_filename (data_dir, "gazette.db", NULL);
}

static char *
test_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "gazette", NULL);
}

/* A store with two feeds, one in a folder, and a few articles; ids in out parameters. */
static GazetteStore *
populated_store (gint64 *out_feed,
                 gint64 *out_folder,
                 gint64 *out_child)
{
  GazetteStore *store = open_store (NULL);
  g_autoptr(TestFeed) a = feed_new ();
  g_autoptr(TestFeed) b = feed_new ();

  *out_feed = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Alpha", "https://a.example/feed", 0);
  *out_folder = add_source (store, GAZETTE_SOURCE_KIND_FOLDER, "Folder", NULL, 0);
  *out_child = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Beta", "https://b.example/feed",
                           *out_folder);

  feed_add (a, "a1", "A one", 1000);
  feed_add (a, "a2", "A two", 3000);
  feed_add (a, "a3", "A three", 5000);
  feed_add (b, "b1", "B one", 2000);
  feed_add (b, "b2", "B two", 4000);
  merge (store, *out_feed, a, NULL);
  merge (store, *out_child, b, NULL);
  return store;
}

/* The value objects: every property notifies, and only when it changes. */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
check_properties (GObject *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  g_assert_cmpuint (n_pspecs, >, 0);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_autofree char *detailed = g_strconcat ("notify::", pspec->name, NULL);
      g_auto(GValue) value = G_VALUE_INIT;
      g_auto(GValue) read_back = G_VALUE_INIT;
      guint count = 0;
      gulong handler;

      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);
      g_assert_true ((pspec->flags & G_PARAM_STATIC_STRINGS) == G_PARAM_STATIC_STRINGS);
      g_assert_true (pspec->flags & G_PARAM_READWRITE);

      g_value_init (&value, pspec->value_type);
      switch (pspec->value_type)
        {
        case G_TYPE_STRING:
          g_value_set_string (&value, "changed");
          break;
        case G_TYPE_INT64:
          g_value_set_int64 (&value, 7);
          break;
        case G_TYPE_INT:
          g_value_set_int (&value, 1);
          break;
        case G_TYPE_UINT:
          g_value_set_uint (&value, 3);
          break;
        case G_TYPE_BOOLEAN:
          g_value_set_boolean (&value, TRUE);
          break;
        default:
          g_assert_not_reached ();
        }

      handler = g_signal_connect (object, detailed, G_CALLBACK (count_notify), &count);
      g_object_set_property (object, pspec->name, &value);
      g_assert_cmpuint (count, ==, 1);
      g_object_set_property (object, pspec->name, &value);
      g_assert_cmpuint (count, ==, 1);
      g_signal_handler_disconnect (object, handler);

      g_value_init (&read_back, pspec->value_type);
      g_object_get_property (object, pspec->name, &read_back);
      g_assert_true (g_param_values_cmp (pspec, &value, &read_back) == 0);
    }
}

static void
test_value_objects (void)
{
  g_autoptr(GazetteSource) source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, NULL, NULL);
  g_autoptr(GazetteArticle) article = gazette_article_new ();
  guint count = 0;

  check_properties (G_OBJECT (source));
  check_properties (G_OBJECT (article));

  /* Through the C setters too. */
  g_signal_connect (article, "notify::title", G_CALLBACK (count_notify), &count);
  gazette_article_set_title (article, "A");
  gazette_article_set_title (article, "A");
  gazette_article_set_title (article, NULL);
  gazette_article_set_title (article, NULL);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpint (gazette_source_get_kind (source), ==, 1);
  g_assert_cmpstr (gazette_source_get_title (source), ==, "changed");
}

/* Two stores on one file, as when gazette-cli runs beside the app. */
static void
test_two_stores (void)
{
  g_autoptr(GazetteStore) one = open_store (NULL);
  g_autoptr(GazetteStore) two = open_store (NULL);
  g_autoptr(TestFeed) feed_one = feed_new ();
  g_autoptr(TestFeed) feed_two = feed_new ();
  g_autoptr(GPtrArray) articles = NULL;
  gint64 a, b;

  a = add_source (one, GAZETTE_SOURCE_KIND_FEED, "One", "https://one.example/feed", 0);
  b = add_source (two, GAZETTE_SOURCE_KIND_FEED, "Two", "https://two.example/feed", 0);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *guid = g_strdup_printf ("e%u", i);

      feed_add (feed_one, guid, guid, i + 1);
      feed_add (feed_two, guid, guid, i + 1);
    }
  merge (one, a, feed_one, NULL);
  merge (two, b, feed_two, NULL);

  articles = list (one, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 100);
  gazette_store_close (one);
  gazette_store_close (two);
}

/* Opening and the schema */

static void
test_open_fresh (void)
{
  g_autofree char *dir = test_data_dir ();
  g_autofree char *path = db_path (dir);
  g_autoptr(GazetteStore) store = gazette_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *tables = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *foreign_keys = NULL;
  struct stat st;

  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (gazette_store_get_data_dir (store), ==, dir);
  g_assert_cmpstr (gazette_store_get_path (store), ==, path);

  g_assert_true (gazette_store_open_sync (store, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_assert_cmpint (gazette_store_get_schema_version (store), ==,
                   gazette_store_latest_schema_version ());
  g_assert_cmpint (gazette_store_latest_schema_version (), >=, 1);

  version = query (store, "SELECT MAX (version) FROM schema_version");
  g_assert_cmpint (atoi (version), ==, gazette_store_latest_schema_version ());
  tables = query (store,
                  "SELECT group_concat (name, ',') FROM (SELECT name FROM sqlite_master"
                  " WHERE type = 'table' AND name NOT LIKE 'articles\\_fts\\_%' ESCAPE '\\'"
                  " ORDER BY name)");
  /* articles_fts's own shadow tables (articles_fts_data, …) left out. */
  g_assert_cmpstr (tables, ==,
                   "article_assets,articles,articles_fts,assets,enclosures,schema_version,sources");
  journal = query (store, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  foreign_keys = query (store, "PRAGMA foreign_keys");
  g_assert_cmpstr (foreign_keys, ==, "1");
}

static void
test_open_reopen (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Kept", "https://kept.example/feed", 0);
  wal = g_strconcat (gazette_store_get_path (store), "-wal", NULL);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  gazette_store_close (store);
  /* Closing checkpointed the log into the database. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_clear_object (&store);

  for (guint i = 0; i < 2; i++)
    {
      store = open_store (NULL);
      g_assert_cmpint (gazette_store_get_schema_version (store), ==,
                       gazette_store_latest_schema_version ());
      g_clear_pointer (&rows, g_free);
      rows = query (store, "SELECT count (*) FROM schema_version");
      g_assert_cmpint (atoi (rows), ==, gazette_store_latest_schema_version ());
      g_clear_pointer (&sources, g_ptr_array_unref);
      sources = gazette_store_list_sources_sync (store, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sources->len, ==, 1);
      g_assert_cmpint (gazette_source_get_id (g_ptr_array_index (sources, 0)), ==, id);
      gazette_store_close (store);
      g_clear_object (&store);
    }

  /* Opening twice on one store is harmless, and so is closing twice. */
  store = open_store (NULL);
  g_assert_true (gazette_store_open_sync (store, NULL, &error));
  g_assert_no_error (error);
  integrity = query (store, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  gazette_store_close (store);
  gazette_store_close (store);

  /* Closed: calls fail cleanly. */
  g_assert_null (gazette_store_list_sources_sync (store, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE);
}

static void
test_migrate_success (void)
{
  g_autofree char *dir = test_data_dir ();
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *extra = NULL;
  int latest = gazette_store_latest_schema_version ();

  add_source (store, GAZETTE_SOURCE_KIND_FEED, "Kept", "https://kept.example/feed", 0);
  gazette_store_close (store);
  g_clear_object (&store);

  gazette_store_set_extra_migration_for_testing ("CREATE TABLE extra (x TEXT);"
                                                 "INSERT INTO extra VALUES ('hello');");
  g_assert_cmpint (gazette_store_latest_schema_version (), ==, latest + 1);
  store = open_store (NULL);
  g_assert_cmpint (gazette_store_get_schema_version (store), ==, latest + 1);
  extra = query (store, "SELECT x FROM extra");
  g_assert_cmpstr (extra, ==, "hello");
  gazette_store_close (store);
  g_clear_object (&store);

  /* Back to a Gazette that does not know that migration: the library is too new for it. */
  gazette_store_set_extra_migration_for_testing (NULL);
  store = gazette_store_new (NULL);
  g_assert_false (gazette_store_open_sync (store, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE_TOO_NEW);
}

static void
test_migrate_failure_keeps_old (void)
{
  g_autofree char *dir = test_data_dir ();
  g_autofree char *path = db_path (dir);
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(TestFeed) feed = feed_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autofree char *version = NULL;
  g_autofree char *extra = NULL;
  int latest = gazette_store_latest_schema_version ();
  gint64 id;

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Kept", "https://kept.example/feed", 0);
  feed_add (feed, "k1", "Kept one", 100);
  feed_add (feed, "k2", "Kept two", 200);
  merge (store, id, feed, NULL);
  gazette_store_close (store);
  g_clear_object (&store);
  before = file_bytes (path);

  /* The first statement works, the second fails: the first must be rolled back too. */
  gazette_store_set_extra_migration_for_testing ("CREATE TABLE extra (x TEXT);"
                                                 "INSERT INTO no_such_table VALUES (1);");
  store = gazette_store_new (NULL);
  g_assert_false (gazette_store_open_sync (store, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_MIGRATION);
  g_test_message ("Migration error: %s", error->message);
  {
    g_autofree char *which = g_strdup_printf ("version %d", latest + 1);

    g_assert_nonnull (strstr (error->message, which));
    g_assert_nonnull (strstr (error->message, "no_such_table"));
  }
  g_assert_cmpint (gazette_store_get_schema_version (store), ==, 0);
  g_clear_error (&error);
  g_clear_object (&store);
  gazette_store_set_extra_migration_for_testing (NULL);

  after = file_bytes (path);
  g_assert_true (g_bytes_equal (before, after));

  store = open_store (NULL);
  g_assert_cmpint (gazette_store_get_schema_version (store), ==, latest);
  version = query (store, "SELECT MAX (version) FROM schema_version");
  g_assert_cmpint (atoi (version), ==, latest);
  extra = query (store, "SELECT count (*) FROM sqlite_master WHERE name = 'extra'");
  g_assert_cmpstr (extra, ==, "0");
  articles = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 2);
}

static void
test_too_new (void)
{
  g_autofree char *dir = test_data_dir ();
  g_autofree char *path = db_path (dir);
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  add_source (store, GAZETTE_SOURCE_KIND_FEED, "Kept", "https://kept.example/feed", 0);
  gazette_store_close (store);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO schema_version (version, applied) VALUES (%d, 0)",
                         gazette_store_latest_schema_version () + 1);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  before = file_bytes (path);

  store = gazette_store_new (NULL);
  g_assert_false (gazette_store_open_sync (store, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE_TOO_NEW);
  g_test_message ("Too new: %s", error->message);
  g_assert_cmpint (gazette_store_get_schema_version (store), ==, 0);
  g_clear_object (&store);

  after = file_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_not_a_database (void)
{
  static const struct {
    const char *name;
    const char *contents;
    gsize       length;      /* 0: strlen */
  } cases[] = {
    { "text", "This is a shopping list, not a database.\nMilk\nBread\n", 0 },
    { "short", "SQLite", 0 },
    /* Right magic, garbage after it. */
    { "damaged-header", "SQLite format 3\0\xff\xff\xff\xff garbage garbage garbage garbage garbage "
      "garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage "
      "garbage garbage garbage garbage garbage garbage garbage", 160 },
  };
  g_autofree char *dir = test_data_dir ();
  g_autofree char *path = db_path (dir);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GazetteStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) after = NULL;
      gsize length = cases[i].length ? cases[i].length : strlen (cases[i].contents);

      g_test_message ("Case %s", cases[i].name);
      g_assert_true (g_file_set_contents (path, cases[i].contents, length, NULL));

      store = gazette_store_new (NULL);
      g_assert_false (gazette_store_open_sync (store, NULL, &error));
      g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE);
      g_test_message ("%s", error->message);
      g_clear_object (&store);

      after = file_bytes (path);
      g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                       cases[i].contents, length);
    }

  /* A SQLite database some other program wrote is not ours to migrate. */
  {
    g_autoptr(GazetteStore) store = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *tables = NULL;
    sqlite3 *db = NULL;

    g_assert_cmpint (g_unlink (path), ==, 0);
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT)", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);

    store = gazette_store_new (NULL);
    g_assert_false (gazette_store_open_sync (store, NULL, &error));
    g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE);
  }
}

static void
test_disk_full (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(TestFeed) small = feed_new ();
  g_autoptr(TestFeed) big = feed_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *filler = g_strnfill (8192, 'x');
  GazetteCounts counts;
  GazetteMergeResult result;
  gint64 id;

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Feed", "https://full.example/feed", 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *guid = g_strdup_printf ("small-%u", i);

      feed_add (small, guid, guid, 100 + i);
    }
  merge (store, id, small, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *guid = g_strdup_printf ("big-%u", i);
      GazetteFeedEntry *entry = feed_add (big, guid, guid, 1000 + i);

      g_free (entry->content);
      entry->content = g_strdup_printf ("<p>%s %u</p>", filler, i);
    }

  pages = query (store, "PRAGMA page_count");
  g_assert_cmpint (gazette_store_set_max_page_count_for_testing (store, atoi (pages)), ==,
                   atoi (pages));

  g_assert_false (gazette_store_merge_feed_sync (store, id, big, &result, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DISK_FULL);
  g_test_message ("Disk full: %s", error->message);
  g_clear_error (&error);

  /* Nothing lost, nothing half-written, and the store still works. */
  articles = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 5);
  g_assert_true (gazette_store_get_counts_sync (store, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.all, ==, 5);
  integrity = query (store, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  gazette_store_set_max_page_count_for_testing (store, 0);
  merge (store, id, big, &result);
  g_assert_cmpuint (result.added, ==, 200);
  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 205);
}

/* Sources */

static void
test_sources (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(GazetteSource) dup = NULL;
  g_autoptr(GazetteSource) update = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TestFeed) feed = feed_new ();
  g_autoptr(GPtrArray) articles = NULL;
  GazetteSource *s;
  gint64 beta, alpha, folder, child, pages, missing = 9999;

  beta = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Beta", "https://b.example/feed", 0);
  alpha = add_source (store, GAZETTE_SOURCE_KIND_FEED, "alpha", "https://a.example/feed", 0);
  folder = add_source (store, GAZETTE_SOURCE_KIND_FOLDER, "Folder", NULL, 0);
  child = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Child", "https://c.example/feed", folder);
  pages = add_source (store, GAZETTE_SOURCE_KIND_PAGES, "Read later", NULL, 0);

  /* Duplicate feed URL. */
  dup = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Again", "https://b.example/feed");
  g_assert_cmpint (gazette_store_add_source_sync (store, dup, NULL, &error), ==, 0);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS);
  g_clear_error (&error);

  /* Order: folder (top level first), position, title ignoring case. */
  sources = gazette_store_list_sources_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 5);
  g_assert_cmpint (gazette_source_get_id (g_ptr_array_index (sources, 0)), ==, alpha);
  g_assert_cmpint (gazette_source_get_id (g_ptr_array_index (sources, 1)), ==, beta);
  g_assert_cmpint (gazette_source_get_id (g_ptr_array_index (sources, 2)), ==, folder);
  g_assert_cmpint (gazette_source_get_id (g_ptr_array_index (sources, 3)), ==, pages);
  g_assert_cmpint (gazette_source_get_id (g_ptr_array_index (sources, 4)), ==, child);
  s = find_source (sources, child);
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, folder);
  g_assert_cmpint (gazette_source_get_kind (s), ==, GAZETTE_SOURCE_KIND_FEED);
  g_assert_cmpstr (gazette_source_get_url (s), ==, "https://c.example/feed");
  g_assert_cmpint (gazette_source_get_kind (find_source (sources, pages)), ==,
                   GAZETTE_SOURCE_KIND_PAGES);

  /* Update writes every column. */
  update = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Beta renamed", "https://b2.example/feed");
  gazette_source_set_id (update, beta);
  gazette_source_set_position (update, -1);
  gazette_source_set_site_url (update, "https://b2.example/");
  gazette_source_set_icon_url (update, "https://b2.example/icon.png");
  gazette_source_set_error (update, "Timed out");
  gazette_source_set_last_fetched (update, 12345);
  gazette_source_set_full_article (update, TRUE);
  gazette_source_set_save_offline (update, TRUE);
  gazette_source_set_refresh_interval (update, -1);
  gazette_source_set_filter_enabled (update, TRUE);
  g_assert_true (gazette_store_update_source_sync (store, update, NULL, &error));
  g_assert_no_error (error);

  g_clear_pointer (&sources, g_ptr_array_unref);
  sources = gazette_store_list_sources_sync (store, NULL, &error);
  g_assert_cmpint (gazette_source_get_id (g_ptr_array_index (sources, 0)), ==, beta);
  s = find_source (sources, beta);
  g_assert_cmpstr (gazette_source_get_title (s), ==, "Beta renamed");
  g_assert_cmpstr (gazette_source_get_url (s), ==, "https://b2.example/feed");
  g_assert_cmpstr (gazette_source_get_site_url (s), ==, "https://b2.example/");
  g_assert_cmpstr (gazette_source_get_icon_url (s), ==, "https://b2.example/icon.png");
  g_assert_cmpstr (gazette_source_get_error (s), ==, "Timed out");
  g_assert_cmpint (gazette_source_get_last_fetched (s), ==, 12345);
  g_assert_true (gazette_source_get_full_article (s));
  g_assert_true (gazette_source_get_save_offline (s));
  g_assert_cmpint (gazette_source_get_refresh_interval (s), ==, -1);
  g_assert_true (gazette_source_get_filter_enabled (s));

  /* Updating to another feed's URL, or a missing source, fails. */
  gazette_source_set_url (update, "https://a.example/feed");
  g_assert_false (gazette_store_update_source_sync (store, update, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS);
  g_clear_error (&error);
  gazette_source_set_id (update, missing);
  gazette_source_set_url (update, "https://new.example/feed");
  g_assert_false (gazette_store_update_source_sync (store, update, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Removing a feed removes its articles. */
  feed_add (feed, "c1", "Child one", 10);
  merge (store, child, feed, NULL);
  g_assert_true (gazette_store_remove_source_sync (store, child, NULL, &error));
  g_assert_no_error (error);
  articles = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 0);
  {
    g_autofree char *orphans = query (store, "SELECT count (*) FROM articles");

    g_assert_cmpstr (orphans, ==, "0");
  }

  /* Removing a folder moves its children to the top level. */
  child = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Child", "https://c.example/feed", folder);
  g_assert_true (gazette_store_remove_source_sync (store, folder, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&sources, g_ptr_array_unref);
  sources = gazette_store_list_sources_sync (store, NULL, &error);
  g_assert_cmpuint (sources->len, ==, 4);
  g_assert_null (find_source (sources, folder));
  g_assert_cmpint (gazette_source_get_folder_id (find_source (sources, child)), ==, 0);

  g_assert_false (gazette_store_remove_source_sync (store, folder, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
}

static void
test_fetch_state (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(GError) error = NULL;
  GazetteFetchState set = { (char *) "\"v1\"", (char *) "Sat, 28 Nov 2026 10:00:00 GMT",
                            1000, 2000, 3 };
  GazetteFetchState *state;
  gint64 id;

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Feed", "https://f.example/feed", 0);
  state = gazette_store_get_fetch_state_sync (store, id, &error);
  g_assert_no_error (error);
  g_assert_null (state->etag);
  g_assert_null (state->last_modified);
  g_assert_cmpint (state->next_fetch, ==, 0);
  g_assert_cmpuint (state->error_count, ==, 0);
  gazette_fetch_state_free (state);

  g_assert_true (gazette_store_set_fetch_state_sync (store, id, &set, &error));
  g_assert_no_error (error);
  state = gazette_store_get_fetch_state_sync (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state->etag, ==, set.etag);
  g_assert_cmpstr (state->last_modified, ==, set.last_modified);
  g_assert_cmpint (state->last_fetched, ==, 1000);
  g_assert_cmpint (state->next_fetch, ==, 2000);
  g_assert_cmpuint (state->error_count, ==, 3);
  gazette_fetch_state_free (state);

  g_assert_null (gazette_store_get_fetch_state_sync (store, id + 100, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gazette_store_set_fetch_state_sync (store, id + 100, &set, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
}

/* Merging */

static void
test_merge (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(TestFeed) feed = feed_new ();
  g_autoptr(TestFeed) again = feed_new ();
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GazetteArticle) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *categories = NULL;
  g_autofree char *enclosure = NULL;
  GazetteFeedEntry *entry;
  GazetteEnclosure *enc;
  GazetteMergeResult result;
  GazetteArticle *a;
  gint64 id, ids[2];

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Feed", "https://m.example/feed", 0);

  entry = feed_add (feed, "one", "One", 100);
  entry->author = g_strdup ("Ada");
  entry->summary = g_strdup ("<p>Summary one</p>");
  entry->comments = g_strdup ("https://example.org/one#comments");
  g_ptr_array_add (entry->categories, g_strdup ("news"));
  g_ptr_array_add (entry->categories, g_strdup ("say \"hi\""));
  enc = g_new0 (GazetteEnclosure, 1);
  enc->url = g_strdup ("https://example.org/one.mp3");
  enc->type = g_strdup ("audio/mpeg");
  enc->length = 1234;
  g_ptr_array_add (entry->enclosures, enc);
  feed_add (feed, "two", "Two", 200);
  feed_add (feed, "three", "Three", 0);   /* no date: ordered by when it was added */
  feed_add (feed, NULL, "No id", 300);     /* the parser never does this; skipped */
  feed_add (feed, "", "Empty id", 300);

  merge (store, id, feed, &result);
  g_assert_cmpuint (result.added, ==, 3);
  g_assert_cmpuint (result.updated, ==, 0);
  g_assert_cmpuint (result.unchanged, ==, 0);

  articles = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 3);
  /* "three" has no date, so it sorts by its added time, which is now. */
  g_assert_cmpstr (gazette_article_get_guid (g_ptr_array_index (articles, 0)), ==, "three");
  g_assert_cmpstr (gazette_article_get_guid (g_ptr_array_index (articles, 1)), ==, "two");
  g_assert_cmpstr (gazette_article_get_guid (g_ptr_array_index (articles, 2)), ==, "one");
  a = find_by_guid (articles, "one");
  g_assert_cmpstr (gazette_article_get_title (a), ==, "One");
  g_assert_cmpstr (gazette_article_get_author (a), ==, "Ada");
  g_assert_cmpstr (gazette_article_get_url (a), ==, "https://example.org/one");
  g_assert_cmpstr (gazette_article_get_source_title (a), ==, "Feed");
  g_assert_cmpstr (gazette_article_get_summary (a), ==, "<p>Summary one</p>");
  g_assert_cmpint (gazette_article_get_published (a), ==, 100);
  g_assert_cmpint (gazette_article_get_source_id (a), ==, id);
  g_assert_null (gazette_article_get_content (a));   /* lists leave content out */
  g_assert_false (gazette_article_get_read (a));
  g_assert_cmpint (gazette_article_get_published (find_by_guid (articles, "three")), ==, 0);

  categories = query (store, "SELECT categories FROM articles WHERE guid = 'one'");
  g_assert_cmpstr (categories, ==, "[\"news\",\"say \\\"hi\\\"\"]");
  enclosure = query (store,
                     "SELECT e.url || ' ' || e.type || ' ' || e.length FROM enclosures AS e"
                     " JOIN articles ON articles.id = e.article_id"
                     " WHERE articles.guid = 'one'");
  g_assert_cmpstr (enclosure, ==, "https://example.org/one.mp3 audio/mpeg 1234");

  loaded = gazette_store_load_article_sync (store, gazette_article_get_id (a), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gazette_article_get_content (loaded), ==, "<p>Body of One</p>");

  /* Read "one", star "two"; then the feed changes "one" and "two" keeps its text. */
  ids[0] = gazette_article_get_id (a);
  ids[1] = gazette_article_get_id (find_by_guid (articles, "two"));
  g_assert_true (gazette_store_set_flag_sync (store, ids, 1, GAZETTE_ARTICLE_FLAG_READ, TRUE,
                                              NULL, &error));
  g_assert_true (gazette_store_set_flag_sync (store, ids + 1, 1, GAZETTE_ARTICLE_FLAG_STARRED,
                                              TRUE, NULL, &error));
  g_assert_no_error (error);

  entry = feed_add (again, "one", "One, corrected", 100);
  feed_add (again, "two", "Two", 200);
  feed_add (again, "three", "Three", 0);
  feed_add (again, "four", "Four", 400);
  merge (store, id, again, &result);
  g_assert_cmpuint (result.added, ==, 1);
  g_assert_cmpuint (result.updated, ==, 1);
  g_assert_cmpuint (result.unchanged, ==, 2);

  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 4);
  a = find_by_guid (articles, "one");
  g_assert_cmpstr (gazette_article_get_title (a), ==, "One, corrected");
  g_assert_true (gazette_article_get_read (a));
  g_assert_cmpint (gazette_article_get_id (a), ==, ids[0]);
  a = find_by_guid (articles, "two");
  g_assert_true (gazette_article_get_starred (a));
  g_assert_false (gazette_article_get_read (a));
  g_assert_false (gazette_article_get_read (find_by_guid (articles, "four")));
  /* The corrected entry lost its enclosure and categories, as the feed did. */
  g_clear_pointer (&enclosure, g_free);
  enclosure = query (store, "SELECT count (*) FROM enclosures");
  g_assert_cmpstr (enclosure, ==, "0");

  /* The same feed again changes nothing. */
  merge (store, id, again, &result);
  g_assert_cmpuint (result.added, ==, 0);
  g_assert_cmpuint (result.updated, ==, 0);
  g_assert_cmpuint (result.unchanged, ==, 4);

  /* Merging into a source that is gone. */
  g_assert_false (gazette_store_merge_feed_sync (store, id + 100, again, &result, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
}

/* Lists, counts and flags */

typedef struct {
  const char               *name;
  GazetteArticleFilterKind  kind;
  int                       source;       /* 0 none, 1 the feed, 2 the folder, 3 the child */
  gboolean                  unread_only;
  const char               *expected;     /* guids, newest first */
} ListCase;

static void
test_list_filters (void)
{
  static const ListCase cases[] = {
    { "all", GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE, "a3 b2 a2 b1 a1" },
    { "unread", GAZETTE_ARTICLE_FILTER_UNREAD, 0, FALSE, "a3 b2 b1" },
    { "all-unread", GAZETTE_ARTICLE_FILTER_ALL, 0, TRUE, "a3 b2 b1" },
    { "starred", GAZETTE_ARTICLE_FILTER_STARRED, 0, FALSE, "b2 a1" },
    { "starred-unread", GAZETTE_ARTICLE_FILTER_STARRED, 0, TRUE, "b2" },
    { "saved", GAZETTE_ARTICLE_FILTER_SAVED, 0, FALSE, "a2" },
    { "source", GAZETTE_ARTICLE_FILTER_SOURCE, 1, FALSE, "a3 a2 a1" },
    { "source-unread", GAZETTE_ARTICLE_FILTER_SOURCE, 1, TRUE, "a3" },
    { "child", GAZETTE_ARTICLE_FILTER_SOURCE, 3, FALSE, "b2 b1" },
    { "folder", GAZETTE_ARTICLE_FILTER_FOLDER, 2, FALSE, "b2 b1" },
    { "folder-unread", GAZETTE_ARTICLE_FILTER_FOLDER, 2, TRUE, "b2 b1" },
    { "empty-source", GAZETTE_ARTICLE_FILTER_SOURCE, 2, FALSE, "" },
  };
  gint64 feed, folder, child;
  g_autoptr(GazetteStore) store = populated_store (&feed, &folder, &child);
  g_autoptr(GPtrArray) all = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_autoptr(GError) error = NULL;
  gint64 read_ids[2], star_ids[2], save_ids[1];

  read_ids[0] = gazette_article_get_id (find_by_guid (all, "a1"));
  read_ids[1] = gazette_article_get_id (find_by_guid (all, "a2"));
  star_ids[0] = gazette_article_get_id (find_by_guid (all, "a1"));
  star_ids[1] = gazette_article_get_id (find_by_guid (all, "b2"));
  save_ids[0] = gazette_article_get_id (find_by_guid (all, "a2"));
  g_assert_true (gazette_store_set_flag_sync (store, read_ids, 2, GAZETTE_ARTICLE_FLAG_READ,
                                              TRUE, NULL, &error));
  g_assert_true (gazette_store_set_flag_sync (store, star_ids, 2, GAZETTE_ARTICLE_FLAG_STARRED,
                                              TRUE, NULL, &error));
  g_assert_true (gazette_store_set_flag_sync (store, save_ids, 1, GAZETTE_ARTICLE_FLAG_SAVED,
                                              TRUE, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const gint64 ids[] = { 0, feed, folder, child };
      g_autoptr(GPtrArray) articles = NULL;
      g_autoptr(GString) got = g_string_new (NULL);

      articles = list (store, cases[i].kind, ids[cases[i].source], cases[i].unread_only);
      for (guint j = 0; j < articles->len; j++)
        g_string_append_printf (got, "%s%s", j ? " " : "",
                                gazette_article_get_guid (g_ptr_array_index (articles, j)));
      g_test_message ("Case %s: %s", cases[i].name, got->str);
      g_assert_cmpstr (got->str, ==, cases[i].expected);
    }
}

static void
test_counts_and_flags (void)
{
  gint64 feed, folder, child;
  g_autoptr(GazetteStore) store = populated_store (&feed, &folder, &child);
  g_autoptr(GPtrArray) all = list (store, GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) unread = NULL;
  g_autoptr(GError) error = NULL;
  GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_SOURCE, 0, FALSE };
  GazetteCounts counts;
  gint64 ids[3];

  g_assert_true (gazette_store_get_counts_sync (store, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.all, ==, 5);
  g_assert_cmpuint (counts.unread, ==, 5);
  g_assert_cmpuint (counts.starred, ==, 0);
  g_assert_cmpuint (counts.saved, ==, 0);

  /* Several ids, one transaction; unknown ids are ignored. */
  ids[0] = gazette_article_get_id (find_by_guid (all, "a1"));
  ids[1] = gazette_article_get_id (find_by_guid (all, "b1"));
  ids[2] = 987654;
  g_assert_true (gazette_store_set_flag_sync (store, ids, 3, GAZETTE_ARTICLE_FLAG_READ, TRUE,
                                              NULL, &error));
  g_assert_true (gazette_store_set_flag_sync (store, ids, 3, GAZETTE_ARTICLE_FLAG_STARRED, TRUE,
                                              NULL, &error));
  g_assert_true (gazette_store_set_flag_sync (store, ids, 1, GAZETTE_ARTICLE_FLAG_SAVED, TRUE,
                                              NULL, &error));
  g_assert_true (gazette_store_set_flag_sync (store, ids + 1, 1, GAZETTE_ARTICLE_FLAG_STARRED,
                                              FALSE, NULL, &error));
  g_assert_true (gazette_store_set_flag_sync (store, NULL, 0, GAZETTE_ARTICLE_FLAG_READ, TRUE,
                                              NULL, &error));
  g_assert_no_error (error);

  g_assert_true (gazette_store_get_counts_sync (store, &counts, NULL, &error));
  g_assert_cmpuint (counts.all, ==, 5);
  g_assert_cmpuint (counts.unread, ==, 3);
  g_assert_cmpuint (counts.starred, ==, 1);
  g_assert_cmpuint (counts.saved, ==, 1);

  sources = gazette_store_list_sources_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gazette_source_get_unread_count (find_source (sources, feed)), ==, 2);
  g_assert_cmpuint (gazette_source_get_total_count (find_source (sources, feed)), ==, 3);
  g_assert_cmpuint (gazette_source_get_unread_count (find_source (sources, child)), ==, 1);
  g_assert_cmpuint (gazette_source_get_total_count (find_source (sources, child)), ==, 2);
  /* Folders sum their children. */
  g_assert_cmpuint (gazette_source_get_unread_count (find_source (sources, folder)), ==, 1);
  g_assert_cmpuint (gazette_source_get_total_count (find_source (sources, folder)), ==, 2);

  /* Mark all read, one source at a time, then everything. */
  filter.source_id = feed;
  g_assert_true (gazette_store_mark_all_read_sync (store, &filter, NULL, &error));
  g_assert_no_error (error);
  unread = list (store, GAZETTE_ARTICLE_FILTER_UNREAD, 0, FALSE);
  g_assert_cmpuint (unread->len, ==, 1);
  g_assert_cmpstr (gazette_article_get_guid (g_ptr_array_index (unread, 0)), ==, "b2");

  filter.kind = GAZETTE_ARTICLE_FILTER_FOLDER;
  filter.source_id = folder;
  g_assert_true (gazette_store_mark_all_read_sync (store, &filter, NULL, &error));
  g_assert_true (gazette_store_get_counts_sync (store, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.unread, ==, 0);
  g_assert_cmpuint (counts.starred, ==, 1);
}

static void
test_add_article (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(GazetteArticle) article = gazette_article_new ();
  g_autoptr(GazetteArticle) again = gazette_article_new ();
  g_autoptr(GazetteArticle) loaded = NULL;
  g_autoptr(GazetteArticle) nameless = gazette_article_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  gint64 pages, id, id2;

  pages = add_source (store, GAZETTE_SOURCE_KIND_PAGES, "Read later", NULL, 0);

  gazette_article_set_guid (article, "https://page.example/story");
  gazette_article_set_url (article, "https://page.example/story");
  gazette_article_set_title (article, "A story");
  gazette_article_set_content (article, "<p>Once</p>");
  gazette_article_set_reader_html (article, "<article><p>Once</p></article>");
  gazette_article_set_lang (article, "en");
  gazette_article_set_dir (article, "ltr");
  gazette_article_set_published (article, 500);
  gazette_article_set_saved (article, TRUE);
  id = gazette_store_add_article_sync (store, pages, article, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* Star it, then save it again: same row, new text, still starred and saved. */
  g_assert_true (gazette_store_set_flag_sync (store, &id, 1, GAZETTE_ARTICLE_FLAG_STARRED, TRUE,
                                              NULL, &error));
  gazette_article_set_guid (again, "https://page.example/story");
  gazette_article_set_url (again, "https://page.example/story");
  gazette_article_set_title (again, "A story, updated");
  gazette_article_set_content (again, "<p>Twice</p>");
  id2 = gazette_store_add_article_sync (store, pages, again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id2, ==, id);

  loaded = gazette_store_load_article_sync (store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gazette_article_get_title (loaded), ==, "A story, updated");
  g_assert_cmpstr (gazette_article_get_content (loaded), ==, "<p>Twice</p>");
  g_assert_cmpstr (gazette_article_get_reader_html (loaded), ==, "<article><p>Once</p></article>");
  g_assert_cmpstr (gazette_article_get_lang (loaded), ==, "en");
  g_assert_cmpstr (gazette_article_get_source_title (loaded), ==, "Read later");
  g_assert_true (gazette_article_get_starred (loaded));
  g_assert_true (gazette_article_get_saved (loaded));
  g_clear_object (&loaded);

  /* The reader view, stored afterwards. */
  g_assert_true (gazette_store_set_reader_html_sync (store, id, "<article>New</article>",
                                                     "https://page.example/lead.jpg", NULL, "rtl",
                                                     "[('newsletter', '##.nl', 'Sign up')]",
                                                     NULL, &error));
  g_assert_no_error (error);
  loaded = gazette_store_load_article_sync (store, id, NULL, &error);
  g_assert_cmpstr (gazette_article_get_reader_html (loaded), ==, "<article>New</article>");
  g_assert_cmpstr (gazette_article_get_reader_removed (loaded), ==,
                   "[('newsletter', '##.nl', 'Sign up')]");
  g_assert_cmpstr (gazette_article_get_lead_image (loaded), ==, "https://page.example/lead.jpg");
  g_assert_cmpstr (gazette_article_get_lang (loaded), ==, "en");
  g_assert_cmpstr (gazette_article_get_dir (loaded), ==, "rtl");

  articles = list (store, GAZETTE_ARTICLE_FILTER_SAVED, 0, FALSE);
  g_assert_cmpuint (articles->len, ==, 1);
  g_assert_null (gazette_article_get_reader_html (g_ptr_array_index (articles, 0)));

  /* Errors. */
  g_assert_cmpint (gazette_store_add_article_sync (store, pages, nameless, NULL, &error), ==, 0);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (gazette_store_add_article_sync (store, pages + 50, article, NULL, &error),
                   ==, 0);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (gazette_store_load_article_sync (store, id + 50, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gazette_store_set_reader_html_sync (store, id + 50, "<p/>", NULL, NULL, NULL,
                                                      NULL, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
}

/* The async API from a main loop */

typedef struct {
  GThread      *main_thread;
  GAsyncResult *result;
  guint         sources_changed;
  GArray       *articles_changed;   /* of gint64 */
} AsyncState;

static void
on_result (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_null (state->result);
  state->result = g_object_ref (result);
}

static GAsyncResult *
await (AsyncState *state)
{
  while (state->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return state->result;
}

static void
on_sources_changed (GazetteStore *store,
                    AsyncState   *state)
{
  g_assert_true (g_thread_self () == state->main_thread);
  state->sources_changed++;
}

static void
on_articles_changed (GazetteStore *store,
                     gint64        source_id,
                     AsyncState   *state)
{
  g_assert_true (g_thread_self () == state->main_thread);
  g_array_append_val (state->articles_changed, source_id);
}

static void
test_async (void)
{
  AsyncState state = { g_thread_self (), NULL, 0, g_array_new (FALSE, FALSE, sizeof (gint64)) };
  g_autoptr(GazetteStore) store = gazette_store_new (NULL);
  g_autoptr(GazetteSource) source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Async",
                                                        "https://async.example/feed");
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(TestFeed) feed = feed_new ();
  GazetteMergeResult merged;
  GazetteCounts counts;
  gint64 id;

  g_signal_connect (store, "sources-changed", G_CALLBACK (on_sources_changed), &state);
  g_signal_connect (store, "articles-changed", G_CALLBACK (on_articles_changed), &state);

  gazette_store_open_async (store, NULL, on_result, &state);
  g_assert_true (gazette_store_open_finish (store, await (&state), &error));
  g_assert_no_error (error);
  g_clear_object (&state.result);

  gazette_store_add_source_async (store, source, NULL, on_result, &state);
  id = gazette_store_add_source_finish (store, await (&state), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (gazette_source_get_id (source), ==, id);
  g_clear_object (&state.result);

  feed_add (feed, "x1", "X one", 10);
  feed_add (feed, "x2", "X two", 20);
  gazette_store_merge_feed_async (store, id, feed, NULL, on_result, &state);
  g_clear_pointer (&feed, feed_free);   /* the store copied what it needs */
  g_assert_true (gazette_store_merge_feed_finish (store, await (&state), &merged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (merged.added, ==, 2);
  g_clear_object (&state.result);

  gazette_store_list_articles_async (store, NULL, NULL, on_result, &state);
  articles = gazette_store_list_articles_finish (store, await (&state), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 2);
  g_clear_object (&state.result);

  gazette_store_list_sources_async (store, NULL, on_result, &state);
  sources = gazette_store_list_sources_finish (store, await (&state), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gazette_source_get_unread_count (g_ptr_array_index (sources, 0)), ==, 2);
  g_clear_object (&state.result);

  gazette_store_mark_all_read_async (store, NULL, NULL, on_result, &state);
  g_assert_true (gazette_store_mark_all_read_finish (store, await (&state), &error));
  g_clear_object (&state.result);

  gazette_store_get_counts_async (store, NULL, on_result, &state);
  g_assert_true (gazette_store_get_counts_finish (store, await (&state), &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.all, ==, 2);
  g_assert_cmpuint (counts.unread, ==, 0);
  g_clear_object (&state.result);

  /* Cancelled before it ran. */
  g_cancellable_cancel (cancelled);
  gazette_store_list_articles_async (store, NULL, cancelled, on_result, &state);
  g_assert_null (gazette_store_list_articles_finish (store, await (&state), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&state.result);

  /* Errors come back through the callback too. */
  gazette_store_load_article_async (store, 424242, NULL, on_result, &state);
  g_assert_null (gazette_store_load_article_finish (store, await (&state), &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&state.result);

  /* Signals are queued after the commits; let them all arrive. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.sources_changed, ==, 1);
  g_assert_cmpuint (state.articles_changed->len, ==, 2);
  g_assert_cmpint (g_array_index (state.articles_changed, gint64, 0), ==, id);  /* merge */
  g_assert_cmpint (g_array_index (state.articles_changed, gint64, 1), ==, 0);   /* mark all */

  gazette_store_close (store);
  g_array_unref (state.articles_changed);
}

/* Jobs run in the order they were queued, whatever order their results are collected in. */
static void
test_fifo (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(TestFeed) feed = feed_new ();
  AsyncState states[4];
  GazetteArticleFilter unread = { GAZETTE_ARTICLE_FILTER_UNREAD, 0, FALSE };
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  GazetteMergeResult merged;
  gint64 id;

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    states[i] = (AsyncState) { g_thread_self (), NULL, 0, NULL };

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Feed", "https://fifo.example/feed", 0);
  feed_add (feed, "f1", "F one", 1);
  feed_add (feed, "f2", "F two", 2);
  feed_add (feed, "f3", "F three", 3);

  gazette_store_merge_feed_async (store, id, feed, NULL, on_result, &states[0]);
  gazette_store_list_articles_async (store, &unread, NULL, on_result, &states[1]);
  gazette_store_mark_all_read_async (store, NULL, NULL, on_result, &states[2]);
  gazette_store_list_articles_async (store, &unread, NULL, on_result, &states[3]);

  /* Collected backwards on purpose. */
  after = gazette_store_list_articles_finish (store, await (&states[3]), &error);
  g_assert_no_error (error);
  g_assert_true (gazette_store_mark_all_read_finish (store, await (&states[2]), &error));
  before = gazette_store_list_articles_finish (store, await (&states[1]), &error);
  g_assert_true (gazette_store_merge_feed_finish (store, await (&states[0]), &merged, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (merged.added, ==, 3);
  g_assert_cmpuint (before->len, ==, 3);
  g_assert_cmpuint (after->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_clear_object (&states[i].result);
}

/* A burst of refresh writes shares one transaction (each job in a savepoint): a job that fails
 * takes back only its own changes, the others are committed and seen by another connection. */
static void
test_batch (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "batch", NULL);
  g_autoptr(GazetteStore) store = open_store (dir);
  g_autoptr(GazetteStore) other = NULL;
  g_autoptr(TestFeed) feed_a = feed_new ();
  g_autoptr(TestFeed) feed_b = feed_new ();
  g_autoptr(GazetteSource) missing = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Gone",
                                                         "https://gone.example/feed");
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  GazetteFetchState state = { (char *) "\"etag-a\"", NULL, 100, 200, 0 };
  GazetteFetchState *stored;
  AsyncState states[6];
  GazetteMergeResult merged;
  gint64 a, b;

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    states[i] = (AsyncState) { g_thread_self (), NULL, 0, NULL };

  a = add_source (store, GAZETTE_SOURCE_KIND_FEED, "A", "https://a.example/feed", 0);
  b = add_source (store, GAZETTE_SOURCE_KIND_FEED, "B", "https://b.example/feed", 0);
  gazette_source_set_id (missing, 424242);
  feed_add (feed_a, "a1", "A one", 1);
  feed_add (feed_a, "a2", "A two", 2);
  feed_add (feed_a, "a3", "A three", 3);
  feed_add (feed_b, "b1", "B one", 4);
  feed_add (feed_b, "b2", "B two", 5);

  /* Queued together, so the worker finds the next one waiting after each. */
  gazette_store_merge_feed_async (store, a, feed_a, NULL, on_result, &states[0]);
  gazette_store_merge_feed_async (store, 424242, feed_b, NULL, on_result, &states[1]);
  gazette_store_update_source_async (store, missing, NULL, on_result, &states[2]);
  gazette_store_merge_feed_async (store, b, feed_b, NULL, on_result, &states[3]);
  gazette_store_set_fetch_state_async (store, a, &state, NULL, on_result, &states[4]);
  gazette_store_list_articles_async (store, NULL, NULL, on_result, &states[5]);

  g_assert_true (gazette_store_merge_feed_finish (store, await (&states[0]), &merged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (merged.added, ==, 3);
  g_assert_false (gazette_store_merge_feed_finish (store, await (&states[1]), &merged, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gazette_store_update_source_finish (store, await (&states[2]), &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (gazette_store_merge_feed_finish (store, await (&states[3]), &merged, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (merged.added, ==, 2);
  g_assert_true (gazette_store_set_fetch_state_finish (store, await (&states[4]), &error));
  g_assert_no_error (error);
  articles = gazette_store_list_articles_finish (store, await (&states[5]), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 5);
  g_clear_pointer (&articles, g_ptr_array_unref);

  /* Committed: another connection sees all of it. */
  other = open_store (dir);
  articles = gazette_store_list_articles_sync (other, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 5);
  stored = gazette_store_get_fetch_state_sync (other, a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->etag, ==, "\"etag-a\"");
  gazette_fetch_state_free (stored);

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_clear_object (&states[i].result);
}

/* Dropping the store with jobs queued: they finish, report, and then the store goes. */
static void
test_unref_while_busy (void)
{
  GazetteStore *store = open_store (NULL);
  g_autoptr(TestFeed) feed = feed_new ();
  AsyncState merged = { g_thread_self (), NULL, 0, NULL };
  AsyncState listed = { g_thread_self (), NULL, 0, NULL };
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  GWeakRef weak;
  gint64 id;

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Feed", "https://busy.example/feed", 0);
  feed_add (feed, "b1", "B one", 1);
  gazette_store_merge_feed_async (store, id, feed, NULL, on_result, &merged);
  gazette_store_list_articles_async (store, NULL, NULL, on_result, &listed);
  g_weak_ref_init (&weak, store);
  g_object_unref (store);

  /* The results hold the store until they are dropped. */
  await (&listed);
  store = GAZETTE_STORE (g_async_result_get_source_object (listed.result));
  articles = gazette_store_list_articles_finish (store, listed.result, &error);
  g_object_unref (store);   /* the reference get_source_object returned */
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 1);
  g_assert_nonnull (await (&merged));
  g_clear_object (&merged.result);
  g_clear_object (&listed.result);
  /* Gone. The worker may drop the last reference a moment after the callback ran (then the
   * store finalizes there and lets the thread end), so wait for it. */
  for (guint i = 0; i < 10000; i++)
    {
      GazetteStore *alive = g_weak_ref_get (&weak);

      if (alive == NULL)
        break;
      g_object_unref (alive);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
}

/* A writer killed mid-transaction loses nothing it reported as committed. */

static int
kill_child_main (const char *data_dir,
                 const char *source_arg)
{
  g_autoptr(GazetteStore) store = gazette_store_new (data_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *filler = g_strnfill (4000, 'k');
  gint64 source_id = g_ascii_strtoll (source_arg, NULL, 10);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (!gazette_store_open_sync (store, NULL, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }

  /* Until killed (or, should the parent be gone, for a minute at most). */
  for (guint i = 0; g_get_monotonic_time () < deadline; i++)
    {
      g_autoptr(TestFeed) feed = feed_new ();

      for (guint j = 0; j < KILL_BATCH; j++)
        {
          g_autofree char *guid = g_strdup_printf ("c-%u-%u", i, j);
          GazetteFeedEntry *entry = feed_add (feed, guid, guid, i * KILL_BATCH + j + 1);

          g_free (entry->content);
          entry->content = g_strdup_printf ("<p>%s</p>", filler);
        }
      if (!gazette_store_merge_feed_sync (store, source_id, feed, NULL, NULL, &error))
        {
          g_printerr ("child: %s\n", error->message);
          return 1;
        }
      g_print ("committed %u\n", i);
      fflush (stdout);
    }
  return 0;
}

static void
test_kill_during_write (void)
{
  g_autofree char *dir = test_data_dir ();
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *source_arg = NULL;
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GHashTable) guids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *integrity = NULL;
  int committed = -1;
  char *line;
  gint64 id;

  if (self_exe == NULL)
    {
      g_test_skip ("Needs /proc/self/exe to run itself");
      return;
    }

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Crash", "https://crash.example/feed", 0);
  gazette_store_close (store);
  g_clear_object (&store);

  source_arg = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_exe, KILL_CHILD_ARG, dir, source_arg, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  /* Wait until it is writing for sure, let it write a while, then kill it mid-flight. */
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "committed "));
  committed = atoi (line + strlen ("committed "));
  g_free (line);
  g_usleep (300 * 1000);
  g_subprocess_force_exit (child);

  /* Every full line was printed after a commit returned. A torn last line does not count. */
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, NULL)) != NULL)
    {
      if (g_str_has_prefix (line, "committed "))
        committed = MAX (committed, atoi (line + strlen ("committed ")));
      g_free (line);
    }
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  g_test_message ("The child committed %d batches before it was killed", committed + 1);

  store = open_store (NULL);
  integrity = query (store, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  articles = list (store, GAZETTE_ARTICLE_FILTER_SOURCE, id, FALSE);
  for (guint i = 0; i < articles->len; i++)
    g_hash_table_add (guids, (gpointer) gazette_article_get_guid (g_ptr_array_index (articles, i)));
  for (int i = 0; i <= committed; i++)
    for (guint j = 0; j < KILL_BATCH; j++)
      {
        g_autofree char *guid = g_strdup_printf ("c-%d-%u", i, j);

        if (!g_hash_table_contains (guids, guid))
          g_error ("Committed article %s is missing after the crash", guid);
      }
  /* Whole batches only: a merge is one transaction. */
  g_assert_cmpuint (articles->len % KILL_BATCH, ==, 0);
  g_assert_cmpuint (articles->len, >=, (guint) (committed + 1) * KILL_BATCH);
}

/* Big lists */

#define LARGE_N 100000

static void
test_large_list (void)
{
  g_autoptr(GazetteStore) store = open_store (NULL);
  g_autoptr(TestFeed) feed = feed_new ();
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) unread = NULL;
  g_autoptr(GError) error = NULL;
  GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE };
  GazetteMergeResult result;
  gint64 id, started;

  id = add_source (store, GAZETTE_SOURCE_KIND_FEED, "Big", "https://big.example/feed", 0);

  /* Published dates shuffled (a permutation), so the order comes from the query. */
  for (guint i = 0; i < LARGE_N; i++)
    {
      g_autofree char *guid = g_strdup_printf ("big-%u", i);
      guint published = 1 + (i * 7919u) % LARGE_N;

      feed_add (feed, guid, guid, published);
    }
  started = g_get_monotonic_time ();
  merge (store, id, feed, &result);   /* one transaction */
  g_test_message ("Merged %d entries in %.3f s", LARGE_N,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (result.added, ==, LARGE_N);

  started = g_get_monotonic_time ();
  articles = gazette_store_list_articles_sync (store, &filter, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("Listed %u articles in %.3f s", articles->len,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (articles->len, ==, LARGE_N);
  for (guint i = 0; i < articles->len; i++)
    g_assert_cmpint (gazette_article_get_published (g_ptr_array_index (articles, i)), ==,
                     LARGE_N - i);
  g_assert_cmpstr (gazette_article_get_source_title (g_ptr_array_index (articles, 0)), ==, "Big");

  {
    g_autoptr(GPtrArray) sources = NULL;
    GazetteCounts counts;

    started = g_get_monotonic_time ();
    sources = gazette_store_list_sources_sync (store, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (gazette_store_get_counts_sync (store, &counts, NULL, &error));
    g_assert_no_error (error);
    g_test_message ("Listed sources and counted in %.3f s",
                    (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
    g_assert_cmpuint (gazette_source_get_unread_count (g_ptr_array_index (sources, 0)), ==,
                      LARGE_N);
    g_assert_cmpuint (counts.all, ==, LARGE_N);
    g_assert_cmpuint (counts.unread, ==, LARGE_N);
  }

  /* Newest-first per source, read from its index, and a mark-all-read over all of them. */
  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = list (store, GAZETTE_ARTICLE_FILTER_SOURCE, id, TRUE);
  g_assert_cmpuint (articles->len, ==, LARGE_N);
  g_assert_true (gazette_store_mark_all_read_sync (store, &filter, NULL, &error));
  g_assert_no_error (error);
  unread = list (store, GAZETTE_ARTICLE_FILTER_UNREAD, 0, FALSE);
  g_assert_cmpuint (unread->len, ==, 0);
}

static void
test_query_plans (void)
{
  /* The list queries use an index for their order (no "USE TEMP B-TREE FOR ORDER BY"). */
  static const char * const queries[] = {
    "EXPLAIN QUERY PLAN SELECT a.id FROM articles AS a LEFT JOIN sources AS s"
    " ON s.id = a.source_id WHERE 1 ORDER BY COALESCE (a.published, a.added) DESC, a.id DESC",
    "EXPLAIN QUERY PLAN SELECT a.id FROM articles AS a LEFT JOIN sources AS s"
    " ON s.id = a.source_id WHERE a.read = 0 ORDER BY COALESCE (a.published, a.added) DESC,"
    " a.id DESC",
    "EXPLAIN QUERY PLAN SELECT a.id FROM articles AS a LEFT JOIN sources AS s"
    " ON s.id = a.source_id WHERE a.source_id = 1 ORDER BY COALESCE (a.published, a.added) DESC,"
    " a.id DESC",
    "EXPLAIN QUERY PLAN SELECT a.id FROM articles AS a LEFT JOIN sources AS s"
    " ON s.id = a.source_id WHERE a.starred = 1 ORDER BY COALESCE (a.published, a.added) DESC,"
    " a.id DESC",
  };
  g_autofree char *dir = test_data_dir ();
  g_autofree char *path = db_path (dir);
  g_autoptr(GazetteStore) store = open_store (NULL);
  sqlite3 *db = NULL;

  gazette_store_close (store);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = NULL;
      g_autoptr(GString) plan = g_string_new (NULL);

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (plan, "%s; ", sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      g_test_message ("%s", plan->str);
      g_assert_null (strstr (plan->str, "TEMP B-TREE"));
      /* A covering index (the All list's) counts too. */
      g_assert_true (strstr (plan->str, "USING INDEX") != NULL ||
                     strstr (plan->str, "USING COVERING INDEX") != NULL);
    }
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], KILL_CHILD_ARG))
    return kill_child_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/store/value-objects", test_value_objects);
  g_test_add_func ("/core/store/open/fresh", test_open_fresh);
  g_test_add_func ("/core/store/two-stores", test_two_stores);
  g_test_add_func ("/core/store/open/reopen", test_open_reopen);
  g_test_add_func ("/core/store/migrate/success", test_migrate_success);
  g_test_add_func ("/core/store/migrate/failure-keeps-old", test_migrate_failure_keeps_old);
  g_test_add_func ("/core/store/too-new", test_too_new);
  g_test_add_func ("/core/store/not-a-database", test_not_a_database);
  g_test_add_func ("/core/store/disk-full", test_disk_full);
  g_test_add_func ("/core/store/sources", test_sources);
  g_test_add_func ("/core/store/fetch-state", test_fetch_state);
  g_test_add_func ("/core/store/merge", test_merge);
  g_test_add_func ("/core/store/list/filters", test_list_filters);
  g_test_add_func ("/core/store/list/query-plans", test_query_plans);
  g_test_add_func ("/core/store/counts-and-flags", test_counts_and_flags);
  g_test_add_func ("/core/store/add-article", test_add_article);
  g_test_add_func ("/core/store/async", test_async);
  g_test_add_func ("/core/store/fifo", test_fifo);
  g_test_add_func ("/core/store/batch", test_batch);
  g_test_add_func ("/core/store/unref-while-busy", test_unref_while_busy);
  g_test_add_func ("/core/store/kill-during-write", test_kill_during_write);
  g_test_add_func ("/core/store/large-list", test_large_list);

  return g_test_run ();
}

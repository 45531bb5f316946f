/* test-full-article.c — GazetteLibrary's "Load full article": each new entry's link fetched once
 * and extracted, against a SoupServer on loopback and a real store in the test's data directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "gazette-test-utils.h"
#include "gazette-error.h"
#include "gazette-library.h"

typedef struct {
  SoupServer     *server;
  char           *base;            /* http://127.0.0.1:PORT */
  GazetteStore   *store;
  GazetteFetcher *fetcher;
  GazetteLibrary *library;
  guint           n_items;         /* entries /feed.xml lists, of ITEMS */
  GHashTable     *requests;        /* path → count */
} Fixture;

/* path, title; "/missing.html" answers 404 */
static const char *ITEMS[][2] = {
  { "/one.html", "Harbour cranes return" },
  { "/two.html", "The night ferry" },
  { "/missing.html", "A page that is gone" },
  { "/three.html", "Lighthouse keepers" },
};

static const char *PARAGRAPH =
  "The harbour master walked the length of the quay before dawn, counting the cranes that had "
  "come back from the yard over the winter, and writing each number in a small notebook that "
  "he has kept, one page a day, for twenty-two years of tides, storms and quiet mornings.";

static char *
feed_xml (Fixture *fixture)
{
  g_autoptr(GString) xml = g_string_new ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                                         "<title>Harbour Notes</title>");

  g_string_append_printf (xml, "<link>%s/</link>", fixture->base);
  for (guint i = 0; i < fixture->n_items; i++)
    g_string_append_printf (xml, "<item><title>%s</title><link>%s%s</link><guid>%s</guid>"
                            "<description>Summary only: %s.</description></item>",
                            ITEMS[i][1], fixture->base, ITEMS[i][0], ITEMS[i][0], ITEMS[i][1]);
  g_string_append (xml, "</channel></rss>");
  return g_string_free (g_steal_pointer (&xml), FALSE);
}

static char *
article_page (const char *path)
{
  g_autoptr(GString) html = g_string_new (NULL);

  g_string_append_printf (html, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>Article %s</title></head><body><nav><a href=\"/\">Home</a>"
                          "<a href=\"/about\">About</a></nav><main><article><h1>Article %s</h1>",
                          path, path);
  for (guint i = 0; i < 6; i++)
    g_string_append_printf (html, "<p>Paragraph %u of %s. %s</p>", i, path, PARAGRAPH);
  g_string_append (html, "</article></main><footer>Copyright the harbour</footer></body></html>");
  return g_string_free (g_steal_pointer (&html), FALSE);
}

static void
count (GHashTable *table,
       const char *path)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (table, path));

  g_hash_table_insert (table, g_strdup (path), GUINT_TO_POINTER (n + 1));
}

static guint
counted (Fixture    *fixture,
         const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->requests, path));
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *body = NULL;
  const char *type = "text/html; charset=utf-8";

  count (fixture->requests, path);
  if (g_str_equal (path, "/feed.xml"))
    {
      body = feed_xml (fixture);
      type = "application/rss+xml";
    }
  else if (g_str_has_suffix (path, ".html") && !g_str_equal (path, "/missing.html"))
    body = article_page (path);

  if (body == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "gazette", NULL);

  fixture->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_callback, fixture, NULL);
  fixture->base = gazette_test_server_listen (fixture->server);

  fixture->store = gazette_store_new (data_dir);
  gazette_store_open_sync (fixture->store, NULL, &error);
  g_assert_no_error (error);
  fixture->fetcher = gazette_fetcher_new ();
  fixture->library = gazette_library_new (fixture->store, fixture->fetcher);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->fetcher);
  gazette_store_close (fixture->store);
  g_clear_object (&fixture->store);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->base);
  g_hash_table_unref (fixture->requests);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GazetteSource *
add_feed (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (fixture->base, "/feed.xml", NULL);
  GazetteSource *source;

  gazette_library_add_feed_async (fixture->library, url, 0, NULL, gazette_test_store_result,
                                  &result);
  source = gazette_library_add_feed_finish (fixture->library, gazette_test_wait_result (&result),
                                            &error);
  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

static void
set_full_article (Fixture       *fixture,
                  GazetteSource *source)
{
  g_autoptr(GError) error = NULL;

  gazette_source_set_full_article (source, TRUE);
  g_assert_true (gazette_store_update_source_sync (fixture->store, source, NULL, &error));
  g_assert_no_error (error);
}

static void
refresh (Fixture *fixture,
         gint64   source_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gazette_library_refresh_async (fixture->library, source_id, NULL, gazette_test_store_result,
                                 &result);
  g_assert_true (gazette_library_refresh_finish (fixture->library,
                                                 gazette_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

/* The stored article whose link ends with @path, content included. */
static GazetteArticle *
load_by_path (Fixture    *fixture,
              gint64      source_id,
              const char *path)
{
  GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_SOURCE, source_id, FALSE };
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = gazette_store_list_articles_sync (fixture->store, &filter, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < articles->len; i++)
    {
      GazetteArticle *row = g_ptr_array_index (articles, i);

      if (g_str_has_suffix (gazette_article_get_url (row), path))
        {
          GazetteArticle *article;

          article = gazette_store_load_article_sync (fixture->store, gazette_article_get_id (row),
                                                     NULL, &error);
          g_assert_no_error (error);
          return article;
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static void
assert_extracted (Fixture    *fixture,
                  gint64      source_id,
                  const char *path)
{
  g_autoptr(GazetteArticle) article = load_by_path (fixture, source_id, path);
  g_autofree char *expected = g_strdup_printf ("Paragraph 3 of %s.", path);
  const char *html = gazette_article_get_reader_html (article);

  g_assert_nonnull (html);
  g_assert_nonnull (strstr (html, expected));
  g_assert_nonnull (strstr (html, "twenty-two years of tides"));
  g_assert_null (strstr (html, "Copyright the harbour"));
  g_assert_cmpstr (gazette_article_get_lang (article), ==, "en");
}

static void
assert_feed_content (Fixture    *fixture,
                     gint64      source_id,
                     const char *path)
{
  g_autoptr(GazetteArticle) article = load_by_path (fixture, source_id, path);
  const char *html = gazette_article_get_reader_html (article);
  const char *content = gazette_article_get_content (article);
  const char *summary = gazette_article_get_summary (article);

  /* No reader view: the view shows the feed's own text. */
  g_assert_true (html == NULL || *html == '\0');
  g_assert_true ((content != NULL && strstr (content, "Summary only") != NULL) ||
                 (summary != NULL && strstr (summary, "Summary only") != NULL));
}

static void
test_refresh_new_entries (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  gint64 id;

  fixture->n_items = 1;
  source = add_feed (fixture);
  id = gazette_source_get_id (source);
  /* Off by default: adding fetched the feed, not its links. */
  g_assert_cmpuint (counted (fixture, "/one.html"), ==, 0);
  set_full_article (fixture, source);

  fixture->n_items = 3;
  refresh (fixture, id);
  g_assert_cmpuint (counted (fixture, "/two.html"), ==, 1);
  g_assert_cmpuint (counted (fixture, "/missing.html"), ==, 1);
  assert_extracted (fixture, id, "/two.html");
  assert_feed_content (fixture, id, "/missing.html");

  /* The next refresh brings one more entry: only its link is fetched; the 404 is not retried. */
  fixture->n_items = 4;
  refresh (fixture, id);
  g_assert_cmpuint (counted (fixture, "/three.html"), ==, 1);
  g_assert_cmpuint (counted (fixture, "/two.html"), ==, 1);
  g_assert_cmpuint (counted (fixture, "/missing.html"), ==, 1);
  assert_extracted (fixture, id, "/three.html");
  assert_feed_content (fixture, id, "/missing.html");

  /* Nothing new: no article is fetched. */
  refresh (fixture, id);
  g_assert_cmpuint (counted (fixture, "/one.html") + counted (fixture, "/two.html") +
                    counted (fixture, "/three.html") + counted (fixture, "/missing.html"), ==,
                    counted (fixture, "/one.html") + 3);
}

static void
test_turned_on (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteArticle) two = NULL;
  gint64 id, two_id;

  fixture->n_items = 3;
  source = add_feed (fixture);
  id = gazette_source_get_id (source);

  /* A read entry is left alone: the toggle loads the unread ones. */
  two = load_by_path (fixture, id, "/two.html");
  two_id = gazette_article_get_id (two);
  gazette_store_set_flag_sync (fixture->store, &two_id, 1, GAZETTE_ARTICLE_FLAG_READ, TRUE,
                               NULL, &error);
  g_assert_no_error (error);

  set_full_article (fixture, source);
  gazette_library_load_full_articles_async (fixture->library, id, NULL, gazette_test_store_result,
                                            &result);
  g_assert_true (gazette_library_load_full_articles_finish (fixture->library,
                                                            gazette_test_wait_result (&result),
                                                            &error));
  g_assert_no_error (error);

  g_assert_cmpuint (counted (fixture, "/one.html"), ==, 1);
  g_assert_cmpuint (counted (fixture, "/two.html"), ==, 0);
  g_assert_cmpuint (counted (fixture, "/missing.html"), ==, 1);
  assert_extracted (fixture, id, "/one.html");
  assert_feed_content (fixture, id, "/missing.html");

  /* Once only. */
  g_clear_object (&result);
  gazette_library_load_full_articles_async (fixture->library, id, NULL, gazette_test_store_result,
                                            &result);
  g_assert_true (gazette_library_load_full_articles_finish (fixture->library,
                                                            gazette_test_wait_result (&result),
                                                            &error));
  g_assert_cmpuint (counted (fixture, "/one.html"), ==, 1);
  g_assert_cmpuint (counted (fixture, "/missing.html"), ==, 1);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  /* As in test-library: the isolated XDG dirs hide the GNOME proxy settings. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("/core/full-article/refresh", test_refresh_new_entries);
  ADD ("/core/full-article/turned-on", test_turned_on);

  return g_test_run ();
}

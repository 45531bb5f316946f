/* test-library.c — GazetteLibrary: adding, refreshing and the Welcome source, against a
 * SoupServer on loopback and a real store in the test's own data directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "gazette-test-utils.h"
#include "gazette-error.h"
#include "gazette-feed.h"
#include "gazette-library.h"

typedef struct {
  SoupServer     *server;
  char           *base;            /* http://127.0.0.1:PORT */
  GazetteStore   *store;
  GazetteFetcher *fetcher;
  GazetteLibrary *library;

  /* what the server does */
  guint           fail_status;     /* /flaky.xml answers this when non-zero */
  gboolean        moved;           /* /moving.xml answers 301 → /moved-here.xml */
  gboolean        gone;            /* /going.xml answers 410 */
  const char     *changing_file;   /* what /changing.xml serves */
  guint           hold_ms;         /* /slow-N.xml: answered after this long */

  /* what the server saw */
  GHashTable     *requests;        /* path → count */
  GHashTable     *downloads;       /* path → count of 200 answers */
  char           *last_if_none_match;
  guint           in_flight;
  guint           max_in_flight;
} Fixture;

static void
count (GHashTable *table,
       const char *path)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (table, path));

  g_hash_table_insert (table, g_strdup (path), GUINT_TO_POINTER (n + 1));
}

static guint
counted (GHashTable *table,
         const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (table, path));
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "library", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Serves a fixture with an ETag of its name, answering 304 to a matching If-None-Match. */
static void
serve_file (Fixture           *fixture,
            SoupServerMessage *msg,
            const char        *path,
            const char        *name,
            const char        *content_type)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", name);
  g_autofree char *body = read_fixture (name);
  const char *inm = soup_message_headers_get_one (req, "If-None-Match");

  g_free (fixture->last_if_none_match);
  fixture->last_if_none_match = g_strdup (inm);
  soup_message_headers_replace (resp, "ETag", etag);
  if (g_strcmp0 (inm, etag) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  count (fixture->downloads, path);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
on_held_finished (SoupServerMessage *msg,
                  Fixture           *fixture)
{
  fixture->in_flight--;
}

static gboolean
answer_held (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  g_autofree char *body = read_fixture ("rss.xml");

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/rss+xml", SOUP_MEMORY_COPY, body,
                                    strlen (body));
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;

  count (fixture->requests, path);

  if (g_str_equal (path, "/rss.xml") || g_str_equal (path, "/other-rss.xml") ||
      g_str_equal (path, "/moved-here.xml"))
    serve_file (fixture, msg, path, "rss.xml", "application/rss+xml; charset=utf-8");
  else if (g_str_equal (path, "/cached.xml"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Cache-Control", "max-age=3600");
      serve_file (fixture, msg, path, "rss.xml", "application/rss+xml");
    }
  else if (g_str_equal (path, "/atom.xml"))
    serve_file (fixture, msg, path, "atom.xml", "application/atom+xml");
  else if (g_str_equal (path, "/page.html"))
    serve_file (fixture, msg, path, "page.html", "text/html; charset=utf-8");
  else if (g_str_equal (path, "/site.html"))
    serve_file (fixture, msg, path, "site.html", "text/html; charset=utf-8");
  else if (g_str_equal (path, "/comments.xml"))
    serve_file (fixture, msg, path, "rss-more.xml", "application/rss+xml");
  else if (g_str_equal (path, "/feed"))
    serve_file (fixture, msg, path, "atom.xml", "application/atom+xml");
  else if (g_str_equal (path, "/plain.html"))
    serve_file (fixture, msg, path, "plain.html", "text/html; charset=utf-8");
  else if (g_str_equal (path, "/changing.xml"))
    serve_file (fixture, msg, path, fixture->changing_file, "application/rss+xml");
  else if (g_str_equal (path, "/flaky.xml") && fixture->fail_status != 0)
    {
      if (fixture->fail_status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", "172800");
      soup_server_message_set_status (msg, fixture->fail_status, NULL);
    }
  else if (g_str_equal (path, "/flaky.xml"))
    serve_file (fixture, msg, path, "rss.xml", "application/rss+xml");
  else if (g_str_equal (path, "/moving.xml") && fixture->moved)
    soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, "/moved-here.xml");
  else if (g_str_equal (path, "/moving.xml"))
    serve_file (fixture, msg, path, "rss.xml", "application/rss+xml");
  else if (g_str_equal (path, "/going.xml") && fixture->gone)
    soup_server_message_set_status (msg, SOUP_STATUS_GONE, NULL);
  else if (g_str_equal (path, "/going.xml"))
    serve_file (fixture, msg, path, "rss.xml", "application/rss+xml");
  else if (g_str_has_prefix (path, "/slow-"))
    {
      if (fixture->hold_ms == 0)
        {
          serve_file (fixture, msg, path, "rss.xml", "application/rss+xml");
          return;
        }
      fixture->in_flight++;
      fixture->max_in_flight = MAX (fixture->max_in_flight, fixture->in_flight);
      g_signal_connect (msg, "finished", G_CALLBACK (on_held_finished), fixture);
      soup_server_message_pause (msg);
      g_timeout_add (fixture->hold_ms, answer_held, g_object_ref (msg));
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "gazette", NULL);

  fixture->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->changing_file = "rss.xml";

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
  g_free (fixture->last_if_none_match);
  g_hash_table_unref (fixture->requests);
  g_hash_table_unref (fixture->downloads);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GazetteSource *
add_feed (Fixture     *fixture,
          const char  *path,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = g_strconcat (fixture->base, path, NULL);

  /* As the Add dialog does */
  gazette_library_add_feed_async (fixture->library, url, 0, NULL, gazette_test_store_result,
                                  &result);
  return gazette_library_add_feed_finish (fixture->library, gazette_test_wait_result (&result),
                                          error);
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

static GazetteSource *
find_source (Fixture *fixture,
             gint64   id)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;

  sources = gazette_store_list_sources_sync (fixture->store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sources->len; i++)
    if (gazette_source_get_id (g_ptr_array_index (sources, i)) == id)
      return g_object_ref (g_ptr_array_index (sources, i));
  return NULL;
}

static guint
n_sources (Fixture *fixture)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;

  sources = gazette_store_list_sources_sync (fixture->store, NULL, &error);
  g_assert_no_error (error);
  return sources->len;
}

static GPtrArray *
list_articles (Fixture *fixture,
               gint64   source_id)
{
  GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_SOURCE, source_id, FALSE };
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  articles = gazette_store_list_articles_sync (fixture->store, &filter, NULL, &error);
  g_assert_no_error (error);
  return articles;
}

static char *
url_of (Fixture    *fixture,
        const char *path)
{
  return g_strconcat (fixture->base, path, NULL);
}

static void
test_add_feed (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GazetteSource) rss = NULL;
  g_autoptr(GazetteSource) atom = NULL;
  g_autoptr(GazetteSource) stored = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rss_url = url_of (fixture, "/rss.xml");

  rss = add_feed (fixture, "/rss.xml", &error);
  g_assert_no_error (error);
  g_assert_nonnull (rss);
  g_assert_cmpint (gazette_source_get_id (rss), >, 0);
  g_assert_cmpint (gazette_source_get_kind (rss), ==, GAZETTE_SOURCE_KIND_FEED);
  g_assert_cmpstr (gazette_source_get_title (rss), ==, "Harbour Notes");
  g_assert_cmpstr (gazette_source_get_url (rss), ==, rss_url);
  g_assert_cmpstr (gazette_source_get_site_url (rss), ==, "https://harbour.example.org/");
  g_assert_null (gazette_source_get_error (rss));

  articles = list_articles (fixture, gazette_source_get_id (rss));
  g_assert_cmpuint (articles->len, ==, 5);
  for (guint i = 0; i < articles->len; i++)
    g_assert_false (gazette_article_get_read (g_ptr_array_index (articles, i)));

  stored = find_source (fixture, gazette_source_get_id (rss));
  g_assert_nonnull (stored);
  g_assert_cmpstr (gazette_source_get_title (stored), ==, "Harbour Notes");
  g_assert_cmpstr (gazette_source_get_url (stored), ==, rss_url);
  g_assert_cmpuint (gazette_source_get_unread_count (stored), ==, 5);
  g_assert_cmpuint (gazette_source_get_total_count (stored), ==, 5);

  atom = add_feed (fixture, "/atom.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gazette_source_get_title (atom), ==, "Lighthouse Log");
  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = list_articles (fixture, gazette_source_get_id (atom));
  g_assert_cmpuint (articles->len, ==, 3);
  g_assert_cmpuint (n_sources (fixture), ==, 2);
}

static void
test_add_feed_discover (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = url_of (fixture, "/page.html");
  g_autofree char *atom = url_of (fixture, "/atom.xml");
  g_autofree char *rss = url_of (fixture, "/rss.xml");

  /* The list the UI can offer */
  gazette_library_discover_async (fixture->library, page, NULL, gazette_test_store_result, &result);
  candidates = gazette_library_discover_finish (fixture->library,
                                                gazette_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 2);
  g_assert_cmpstr (((GazetteFeedLink *) g_ptr_array_index (candidates, 0))->url, ==, atom);
  g_assert_cmpstr (((GazetteFeedLink *) g_ptr_array_index (candidates, 1))->url, ==, rss);
  g_assert_cmpuint (n_sources (fixture), ==, 0);

  /* Adding the page adds its first feed */
  source = add_feed (fixture, "/page.html", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gazette_source_get_title (source), ==, "Lighthouse Log");
  g_assert_cmpstr (gazette_source_get_url (source), ==, atom);
  g_assert_cmpuint (n_sources (fixture), ==, 1);

  /* A feed URL discovers itself */
  g_clear_object (&result);
  g_clear_pointer (&candidates, g_ptr_array_unref);
  gazette_library_discover_async (fixture->library, rss, NULL, gazette_test_store_result, &result);
  candidates = gazette_library_discover_finish (fixture->library,
                                                gazette_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 1);
  g_assert_cmpstr (((GazetteFeedLink *) g_ptr_array_index (candidates, 0))->url, ==, rss);
  g_assert_cmpstr (((GazetteFeedLink *) g_ptr_array_index (candidates, 0))->title, ==,
                   "Harbour Notes");
  g_assert_cmpstr (((GazetteFeedLink *) g_ptr_array_index (candidates, 0))->format, ==,
                   "rss2.0");
}

static GPtrArray *
discover (Fixture    *fixture,
          const char *path,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = url_of (fixture, path);

  gazette_library_discover_async (fixture->library, url, NULL, gazette_test_store_result, &result);
  return gazette_library_discover_finish (fixture->library, gazette_test_wait_result (&result),
                                          error);
}

/* A page offering RSS, Atom and a comments feed: all three, read, with titles and formats. */
static void
test_discover_several (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rss = url_of (fixture, "/rss.xml");
  g_autofree char *atom = url_of (fixture, "/atom.xml");
  g_autofree char *comments = url_of (fixture, "/comments.xml");
  GazetteFeedLink *link;

  links = discover (fixture, "/site.html", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 3);

  link = g_ptr_array_index (links, 0);
  g_assert_cmpstr (link->url, ==, rss);
  g_assert_cmpstr (link->title, ==, "Harbour Notes (RSS)");
  g_assert_cmpstr (link->type, ==, "application/rss+xml");
  g_assert_cmpstr (link->format, ==, "rss2.0");

  link = g_ptr_array_index (links, 1);
  g_assert_cmpstr (link->url, ==, atom);
  g_assert_cmpstr (link->title, ==, "Lighthouse Log (Atom)");
  g_assert_cmpstr (link->format, ==, "atom1.0");

  /* No title on the link: the feed's own */
  link = g_ptr_array_index (links, 2);
  g_assert_cmpstr (link->url, ==, comments);
  g_assert_nonnull (link->title);
  g_assert_cmpstr (link->format, ==, "rss2.0");
  g_assert_cmpuint (n_sources (fixture), ==, 0);
}

/* As the Add dialog does: discover, then add what was found. A feed read by the discovery is
 * not fetched again (each feed: one request), a page's feeds neither; a later discovery
 * forgets the earlier one's. */
static void
test_discover_then_add (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  links = discover (fixture, "/rss.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_cmpuint (counted (fixture->requests, "/rss.xml"), ==, 1);
  source = add_feed (fixture, "/rss.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gazette_source_get_title (source), ==, "Harbour Notes");
  g_assert_cmpuint (counted (fixture->requests, "/rss.xml"), ==, 1);
  articles = list_articles (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (articles->len, ==, 5);
  g_clear_object (&source);
  g_clear_pointer (&links, g_ptr_array_unref);

  /* The page's feeds, each read once by the discovery, then added: no second request. */
  links = discover (fixture, "/site.html", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 3);
  g_assert_cmpuint (counted (fixture->requests, "/atom.xml"), ==, 1);
  source = add_feed (fixture, "/atom.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gazette_source_get_title (source), ==, "Lighthouse Log");
  g_assert_cmpuint (counted (fixture->requests, "/atom.xml"), ==, 1);
  g_assert_cmpuint (counted (fixture->requests, "/site.html"), ==, 1);
  g_clear_object (&source);

  /* Added already: said so, from what the discovery read. */
  source = add_feed (fixture, "/rss.xml", &error);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS);
  g_clear_error (&error);

  /* Not part of the latest discovery: fetched. */
  g_clear_pointer (&links, g_ptr_array_unref);
  links = discover (fixture, "/page.html", &error);
  g_assert_no_error (error);
  source = add_feed (fixture, "/comments.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counted (fixture->requests, "/comments.xml"), ==, 2);
}

/* A page that names no feed: the common paths are tried, and only what answers with a feed
 * is offered. */
static void
test_discover_common_paths (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *feed = url_of (fixture, "/feed");
  GazetteFeedLink *link;

  links = discover (fixture, "/plain.html", &error);
  g_assert_no_error (error);
  /* /feed and /rss.xml and /atom.xml answer with feeds here; /rss, /feed.xml … with 404 */
  g_assert_cmpuint (links->len, ==, 3);
  link = g_ptr_array_index (links, 0);
  g_assert_cmpstr (link->url, ==, feed);
  g_assert_cmpstr (link->title, ==, "Lighthouse Log");
  g_assert_cmpstr (link->format, ==, "atom1.0");
  g_assert_null (link->type);
}

static void
test_add_feed_not_a_feed (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GError) error = NULL;

  source = add_feed (fixture, "/plain.html", &error);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED);
  g_assert_null (source);
  g_assert_true (g_str_has_prefix (error->message, "No feed was found at "));
  g_assert_cmpuint (n_sources (fixture), ==, 0);
  g_clear_error (&error);

  /* A 404 is said plainly too */
  source = add_feed (fixture, "/nowhere.xml", &error);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The server answered 404 Not Found");
  g_assert_cmpuint (n_sources (fixture), ==, 0);
}

static void
test_add_feed_duplicate (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GazetteSource) first = NULL;
  g_autoptr(GazetteSource) again = NULL;
  g_autoptr(GError) error = NULL;

  first = add_feed (fixture, "/atom.xml", &error);
  g_assert_no_error (error);

  again = add_feed (fixture, "/atom.xml", &error);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS);
  g_assert_null (again);
  g_assert_nonnull (strstr (error->message, "Lighthouse Log"));
  g_clear_error (&error);

  /* Through the page that advertises it */
  again = add_feed (fixture, "/page.html", &error);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS);
  g_assert_cmpuint (n_sources (fixture), ==, 1);
}

static void
test_add_feed_cancel (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = url_of (fixture, "/slow-0.xml");

  fixture->hold_ms = 200;
  gazette_library_add_feed_async (fixture->library, url, 0, cancellable, gazette_test_store_result,
                                  &result);
  while (fixture->in_flight == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  source = gazette_library_add_feed_finish (fixture->library, gazette_test_wait_result (&result),
                                            &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (source);
  g_assert_cmpuint (n_sources (fixture), ==, 0);

  while (fixture->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_refresh_not_modified (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  source = add_feed (fixture, "/rss.xml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counted (fixture->downloads, "/rss.xml"), ==, 1);

  refresh (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (counted (fixture->requests, "/rss.xml"), ==, 2);
  g_assert_cmpstr (fixture->last_if_none_match, ==, "\"rss.xml\"");
  g_assert_cmpuint (counted (fixture->downloads, "/rss.xml"), ==, 1);

  /* And again through "refresh everything" */
  refresh (fixture, 0);
  g_assert_cmpuint (counted (fixture->requests, "/rss.xml"), ==, 3);
  g_assert_cmpuint (counted (fixture->downloads, "/rss.xml"), ==, 1);

  articles = list_articles (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (articles->len, ==, 5);
  g_assert_false (gazette_library_get_refreshing (fixture->library));
  g_assert_cmpuint (gazette_library_get_refresh_pending (fixture->library), ==, 0);
  g_assert_null (gazette_library_get_refresh_current (fixture->library));
}

static void
test_refresh_new_entries (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GazetteSource) stored = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  gint64 read_id = 0;
  g_autofree char *read_guid = NULL;
  gboolean found = FALSE;

  source = add_feed (fixture, "/changing.xml", &error);
  g_assert_no_error (error);
  articles = list_articles (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (articles->len, ==, 5);

  /* Read one */
  read_id = gazette_article_get_id (g_ptr_array_index (articles, 0));
  read_guid = g_strdup (gazette_article_get_guid (g_ptr_array_index (articles, 0)));
  g_assert_true (gazette_store_set_flag_sync (fixture->store, &read_id, 1,
                                              GAZETTE_ARTICLE_FLAG_READ, TRUE, NULL, &error));
  g_assert_no_error (error);

  fixture->changing_file = "rss-more.xml";
  refresh (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (counted (fixture->downloads, "/changing.xml"), ==, 2);

  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = list_articles (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (articles->len, ==, 7);
  for (guint i = 0; i < articles->len; i++)
    {
      GazetteArticle *article = g_ptr_array_index (articles, i);

      if (gazette_article_get_id (article) == read_id)
        {
          found = TRUE;
          g_assert_cmpstr (gazette_article_get_guid (article), ==, read_guid);
          g_assert_true (gazette_article_get_read (article));
        }
      else
        g_assert_false (gazette_article_get_read (article));
    }
  g_assert_true (found);

  stored = find_source (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (gazette_source_get_unread_count (stored), ==, 6);
  g_assert_cmpuint (gazette_source_get_total_count (stored), ==, 7);
}

typedef struct {
  guint   n;
  GError *error;
  char   *title;
} Failures;

static void
on_source_failed (GazetteLibrary *library,
                  GazetteSource  *source,
                  const GError   *error,
                  Failures       *failures)
{
  failures->n++;
  g_clear_error (&failures->error);
  failures->error = g_error_copy (error);
  g_free (failures->title);
  failures->title = g_strdup (gazette_source_get_title (source));
}

static void
test_refresh_error_stored (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GazetteSource) stored = NULL;
  g_autoptr(GError) error = NULL;
  Failures failures = { 0 };
  GazetteFetchState *state;
  gint64 now;
  gint64 id;

  g_signal_connect (fixture->library, "source-failed", G_CALLBACK (on_source_failed), &failures);

  source = add_feed (fixture, "/flaky.xml", &error);
  g_assert_no_error (error);
  id = gazette_source_get_id (source);

  fixture->fail_status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  now = g_get_real_time () / G_USEC_PER_SEC;
  refresh (fixture, id);
  g_assert_cmpuint (failures.n, ==, 1);
  g_assert_error (failures.error, GAZETTE_ERROR, GAZETTE_ERROR_HTTP);
  g_assert_cmpstr (failures.title, ==, "Harbour Notes");

  stored = find_source (fixture, id);
  g_assert_cmpstr (gazette_source_get_error (stored), ==,
                   "The server answered 500 Internal Server Error");
  g_assert_cmpuint (gazette_source_get_unread_count (stored), ==, 5);

  /* Backing off: the next fetch is at least one interval away */
  state = gazette_store_get_fetch_state_sync (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state->error_count, ==, 1);
  g_assert_cmpint (state->next_fetch, >=, now + 60 * 60);
  g_assert_cmpint (state->next_fetch, <=, now + 24 * 60 * 60 + 60);
  g_assert_nonnull (state->etag);
  gazette_fetch_state_free (state);

  /* "Refresh everything" leaves it alone while it backs off */
  refresh (fixture, 0);
  g_assert_cmpuint (counted (fixture->requests, "/flaky.xml"), ==, 2);

  /* A second failure doubles the wait */
  refresh (fixture, id);
  g_assert_cmpuint (failures.n, ==, 2);
  state = gazette_store_get_fetch_state_sync (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state->error_count, ==, 2);
  g_assert_cmpint (state->next_fetch, >=, now + 2 * 60 * 60);
  gazette_fetch_state_free (state);

  /* A success clears it */
  fixture->fail_status = 0;
  refresh (fixture, id);
  g_assert_cmpuint (failures.n, ==, 2);
  g_clear_object (&stored);
  stored = find_source (fixture, id);
  g_assert_null (gazette_source_get_error (stored));
  state = gazette_store_get_fetch_state_sync (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state->error_count, ==, 0);
  g_assert_cmpint (state->next_fetch, <=, g_get_real_time () / G_USEC_PER_SEC);
  gazette_fetch_state_free (state);

  /* Retry-After beyond the back-off wins */
  fixture->fail_status = SOUP_STATUS_SERVICE_UNAVAILABLE;
  now = g_get_real_time () / G_USEC_PER_SEC;
  refresh (fixture, id);
  g_assert_cmpuint (failures.n, ==, 3);
  state = gazette_store_get_fetch_state_sync (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state->error_count, ==, 1);
  g_assert_cmpint (state->next_fetch, >=, now + 172800);
  gazette_fetch_state_free (state);

  g_clear_error (&failures.error);
  g_free (failures.title);
}

static void
test_refresh_moved (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GazetteSource) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_url = url_of (fixture, "/moved-here.xml");

  source = add_feed (fixture, "/moving.xml", &error);
  g_assert_no_error (error);

  fixture->moved = TRUE;
  refresh (fixture, gazette_source_get_id (source));
  stored = find_source (fixture, gazette_source_get_id (source));
  g_assert_cmpstr (gazette_source_get_url (stored), ==, new_url);
  g_assert_null (gazette_source_get_error (stored));

  /* The next refresh goes straight to the new address */
  refresh (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (counted (fixture->requests, "/moving.xml"), ==, 2);
  g_assert_cmpuint (counted (fixture->requests, "/moved-here.xml"), ==, 2);
}

static void
test_refresh_moved_onto_other (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GazetteSource) target = NULL;
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GazetteSource) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_url = url_of (fixture, "/moving.xml");

  target = add_feed (fixture, "/moved-here.xml", &error);
  g_assert_no_error (error);
  source = add_feed (fixture, "/moving.xml", &error);
  g_assert_no_error (error);

  /* Moved to the address of a feed the user already has: it keeps its own address */
  fixture->moved = TRUE;
  refresh (fixture, gazette_source_get_id (source));
  stored = find_source (fixture, gazette_source_get_id (source));
  g_assert_cmpstr (gazette_source_get_url (stored), ==, old_url);
  g_assert_null (gazette_source_get_error (stored));
  g_assert_cmpuint (n_sources (fixture), ==, 2);
}

static void
test_refresh_gone (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GazetteSource) stored = NULL;
  g_autoptr(GError) error = NULL;
  Failures failures = { 0 };

  g_signal_connect (fixture->library, "source-failed", G_CALLBACK (on_source_failed), &failures);

  source = add_feed (fixture, "/going.xml", &error);
  g_assert_no_error (error);

  fixture->gone = TRUE;
  refresh (fixture, gazette_source_get_id (source));
  g_assert_cmpuint (failures.n, ==, 1);
  g_assert_error (failures.error, GAZETTE_ERROR, GAZETTE_ERROR_GONE);

  stored = find_source (fixture, gazette_source_get_id (source));
  g_assert_cmpstr (gazette_source_get_error (stored), ==,
                   "This feed no longer exists (410 Gone); Gazette stopped refreshing it");
  g_assert_cmpint (gazette_source_get_refresh_interval (stored), ==, -1);

  /* Not polled again; its articles stay */
  refresh (fixture, 0);
  g_assert_cmpuint (counted (fixture->requests, "/going.xml"), ==, 2);
  g_assert_cmpuint (gazette_source_get_total_count (stored), ==, 5);

  g_clear_error (&failures.error);
  g_free (failures.title);
}

static void
test_refresh_max_age (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GazetteSource) cached = NULL;
  g_autoptr(GazetteSource) plain = NULL;
  g_autoptr(GError) error = NULL;
  GazetteFetchState *state;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  cached = add_feed (fixture, "/cached.xml", &error);
  g_assert_no_error (error);
  plain = add_feed (fixture, "/rss.xml", &error);
  g_assert_no_error (error);

  state = gazette_store_get_fetch_state_sync (fixture->store, gazette_source_get_id (cached),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (state->next_fetch, >=, now + 3600);
  g_assert_cmpstr (state->etag, ==, "\"rss.xml\"");
  gazette_fetch_state_free (state);

  /* Everything: the server asked not to be asked again within the hour */
  refresh (fixture, 0);
  g_assert_cmpuint (counted (fixture->requests, "/cached.xml"), ==, 1);
  g_assert_cmpuint (counted (fixture->requests, "/rss.xml"), ==, 2);

  /* By id, as the user's own refresh of that source */
  refresh (fixture, gazette_source_get_id (cached));
  g_assert_cmpuint (counted (fixture->requests, "/cached.xml"), ==, 2);
}

typedef struct {
  guint    max_pending;
  gboolean saw_refreshing;
  gboolean saw_current;
} Progress;

static void
on_progress (GazetteLibrary *library,
             GParamSpec     *pspec,
             Progress       *progress)
{
  progress->max_pending = MAX (progress->max_pending,
                               gazette_library_get_refresh_pending (library));
  if (gazette_library_get_refreshing (library))
    progress->saw_refreshing = TRUE;
  if (gazette_library_get_refresh_current (library) != NULL)
    progress->saw_current = TRUE;
}

static void
test_refresh_queue (Fixture       *fixture,
                    gconstpointer  user_data)
{
  Progress progress = { 0 };

  for (guint i = 0; i < 9; i++)
    {
      g_autofree char *path = g_strdup_printf ("/slow-%u.xml", i);
      g_autoptr(GazetteSource) source = NULL;
      g_autoptr(GError) error = NULL;

      source = add_feed (fixture, path, &error);
      g_assert_no_error (error);
      /* Distinct URLs of one feed: give them distinct titles for refresh-current */
    }

  g_signal_connect (fixture->library, "notify::refresh-pending", G_CALLBACK (on_progress),
                    &progress);
  g_signal_connect (fixture->library, "notify::refreshing", G_CALLBACK (on_progress),
                    &progress);
  g_signal_connect (fixture->library, "notify::refresh-current", G_CALLBACK (on_progress),
                    &progress);

  /* Every request on this one host is held a while: several at once (one at a time would make
   * a thousand feeds on one server slow), never more than six, as browsers do. */
  fixture->hold_ms = 100;
  refresh (fixture, 0);
  g_assert_cmpuint (fixture->max_in_flight, >, 2);
  g_assert_cmpuint (fixture->max_in_flight, <=, 6);
  g_assert_cmpuint (progress.max_pending, ==, 9);
  g_assert_true (progress.saw_refreshing);
  g_assert_true (progress.saw_current);
  g_assert_false (gazette_library_get_refreshing (fixture->library));
  g_assert_cmpuint (gazette_library_get_refresh_pending (fixture->library), ==, 0);
  g_assert_null (gazette_library_get_refresh_current (fixture->library));
}

static void
test_refresh_cancel (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* More than run at once: some are still queued when cancelled. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *path = g_strdup_printf ("/slow-%u.xml", i);
      g_autoptr(GazetteSource) source = add_feed (fixture, path, &error);

      g_assert_no_error (error);
    }

  fixture->hold_ms = 200;
  gazette_library_refresh_async (fixture->library, 0, cancellable, gazette_test_store_result,
                                 &result);
  while (fixture->in_flight == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  g_assert_false (gazette_library_refresh_finish (fixture->library,
                                                  gazette_test_wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (gazette_library_get_refreshing (fixture->library));

  /* Let the held answers go before the server does */
  while (fixture->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  source = add_feed (fixture, "/rss.xml", &error);
  g_assert_no_error (error);
  gazette_library_remove_source_async (fixture->library, gazette_source_get_id (source), NULL,
                                       gazette_test_store_result, &result);
  g_assert_true (gazette_library_remove_source_finish (fixture->library,
                                                       gazette_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sources (fixture), ==, 0);
}

static gboolean
ensure_welcome (Fixture  *fixture,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gazette_library_ensure_welcome_async (fixture->library, NULL, gazette_test_store_result, &result);
  return gazette_library_ensure_welcome_finish (fixture->library,
                                                gazette_test_wait_result (&result), error);
}

static guint
bundled_welcome_articles (void)
{
  g_autoptr(GFile) file = g_file_new_for_uri (
    "resource:///org/gazette/Gazette/welcome/welcome.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  JsonObject *root;

  g_file_load_contents (file, NULL, &contents, &length, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, contents, length, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "articles"))
    return 0;
  return json_array_get_length (json_object_get_array_member (root, "articles"));
}

static void
test_welcome (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) suggested = NULL;
  g_autoptr(GError) error = NULL;
  GazetteSource *welcome;

  g_assert_true (ensure_welcome (fixture, &error));
  g_assert_no_error (error);

  sources = gazette_store_list_sources_sync (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  welcome = g_ptr_array_index (sources, 0);
  g_assert_cmpint (gazette_source_get_kind (welcome), ==, GAZETTE_SOURCE_KIND_BUILTIN);
  g_assert_cmpstr (gazette_source_get_title (welcome), ==, "Welcome to Gazette");

  /* Read after ensure_welcome ran, so the resource is registered */
  articles = list_articles (fixture, gazette_source_get_id (welcome));
  g_assert_cmpuint (articles->len, ==, bundled_welcome_articles ());
  g_assert_cmpuint (gazette_source_get_unread_count (welcome), ==, articles->len);

  /* Second call: the library is not empty, nothing is added */
  g_assert_true (ensure_welcome (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sources (fixture), ==, 1);

  suggested = gazette_library_get_suggested_feeds (fixture->library);
  g_assert_cmpuint (suggested->len, >, 0);
  for (guint i = 0; i < suggested->len; i++)
    {
      GazetteSuggestedFeed *feed = g_ptr_array_index (suggested, i);

      g_assert_nonnull (feed->title);
      g_assert_true (g_str_has_prefix (feed->url, "https://"));
    }
}

static void
test_welcome_custom (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "library", "welcome",
                                                 "index.json", NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) suggested = NULL;
  g_autoptr(GazetteArticle) one = NULL;
  g_autoptr(GError) error = NULL;
  GazetteSource *welcome;
  GazetteArticle *first = NULL;

  gazette_library_set_welcome_uri_for_testing (fixture->library, uri);
  g_assert_true (ensure_welcome (fixture, &error));
  g_assert_no_error (error);

  sources = gazette_store_list_sources_sync (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  welcome = g_ptr_array_index (sources, 0);
  g_assert_cmpstr (gazette_source_get_title (welcome), ==, "Test Welcome");
  g_assert_cmpstr (gazette_source_get_site_url (welcome), ==, "https://welcome.example.org/");
  g_assert_cmpuint (gazette_source_get_unread_count (welcome), ==, 2);

  articles = list_articles (fixture, gazette_source_get_id (welcome));
  g_assert_cmpuint (articles->len, ==, 2);
  for (guint i = 0; i < articles->len; i++)
    if (g_strcmp0 (gazette_article_get_guid (g_ptr_array_index (articles, i)),
                   "test-welcome:one") == 0)
      first = g_ptr_array_index (articles, i);
  g_assert_nonnull (first);
  g_assert_cmpstr (gazette_article_get_title (first), ==, "First test article");
  g_assert_cmpstr (gazette_article_get_author (first), ==, "Tester");
  g_assert_cmpint (gazette_article_get_published (first), ==, 1795856460);
  g_assert_false (gazette_article_get_read (first));

  one = gazette_store_load_article_sync (fixture->store, gazette_article_get_id (first), NULL,
                                         &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (gazette_article_get_content (one), "a link"));
  g_assert_null (strstr (gazette_article_get_content (one), "<script"));
  g_assert_null (strstr (gazette_article_get_content (one), "injected"));

  suggested = gazette_library_get_suggested_feeds (fixture->library);
  g_assert_cmpuint (suggested->len, ==, 2);
  g_assert_cmpstr (((GazetteSuggestedFeed *) g_ptr_array_index (suggested, 0))->title, ==,
                   "Harbour Notes");
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide org.gnome.system.proxy, which glib-networking's GNOME proxy
   * resolver needs; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("/core/library/add-feed", test_add_feed);
  ADD ("/core/library/add-feed/discover", test_add_feed_discover);
  ADD ("/core/library/add-feed/not-a-feed", test_add_feed_not_a_feed);
  ADD ("/core/library/discover/several", test_discover_several);
  ADD ("/core/library/discover/common-paths", test_discover_common_paths);
  ADD ("/core/library/discover/then-add", test_discover_then_add);
  ADD ("/core/library/add-feed/duplicate", test_add_feed_duplicate);
  ADD ("/core/library/add-feed/cancel", test_add_feed_cancel);
  ADD ("/core/library/refresh/not-modified", test_refresh_not_modified);
  ADD ("/core/library/refresh/new-entries", test_refresh_new_entries);
  ADD ("/core/library/refresh/error-stored", test_refresh_error_stored);
  ADD ("/core/library/refresh/moved", test_refresh_moved);
  ADD ("/core/library/refresh/moved/onto-other", test_refresh_moved_onto_other);
  ADD ("/core/library/refresh/gone", test_refresh_gone);
  ADD ("/core/library/refresh/max-age", test_refresh_max_age);
  ADD ("/core/library/refresh/queue", test_refresh_queue);
  ADD ("/core/library/refresh/cancel", test_refresh_cancel);
  ADD ("/core/library/remove", test_remove);
  ADD ("/core/library/welcome", test_welcome);
  ADD ("/core/library/welcome/custom", test_welcome_custom);

  return g_test_run ();
}

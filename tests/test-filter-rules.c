/* test-filter-rules.c — the clutter filter the app sets on the library: full articles fetched at
 * refresh are extracted with the user's rules, and without any filter on a site switched off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "gazette-filter-rules.h"
#include "gazette-library.h"
#include "gazette-saver.h"
#include "gazette-test-utils.h"

static char *base;   /* http://127.0.0.1:PORT */
static guint n_items;

static const char PAGE[] =
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quay lamps</title>"
  "</head><body><main><article><h1>Quay lamps</h1>"
  "<p>For the first time in twenty years the harbour lights were switched on again on Friday "
  "evening, after volunteers replaced every lamp along the north quay by hand.</p>"
  "<div class=\"mine\"><p>A note the reader asked to hide, long enough to be a paragraph of its "
  "own in the story about the lamps.</p></div>"
  "<p>The work took eleven weekends. Most of the lamps came from a scrapyard in the next town, "
  "and the glass was cut by a retired glazier who had fitted the originals.</p>"
  "<div class=\"c-a91\"><p>Support Harbour Notes! We have a small favor to ask: your "
  "donation keeps us independent. Donate now.</p></div>"
  "<p>The harbour master said the lights would stay on from dusk to midnight through the "
  "winter, and that the town would pay for the electricity from next year.</p>"
  "</article></main></body></html>";

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  g_autoptr(GString) body = g_string_new (NULL);
  const char *type = "text/html; charset=utf-8";

  if (g_str_equal (path, "/feed.xml"))
    {
      type = "application/rss+xml";
      g_string_append_printf (body, "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                              "<title>Quay</title><link>%s/</link>", base);
      for (guint i = 1; i <= n_items; i++)
        g_string_append_printf (body, "<item><title>Lamps %u</title><link>%s/%u.html</link>"
                                "<guid>%u</guid><description>Summary.</description></item>",
                                i, base, i, i);
      g_string_append (body, "</channel></rss>");
    }
  else if (g_str_has_suffix (path, ".html"))
    g_string_append (body, PAGE);
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body->str, body->len);
}

static void
test_hosts (void)
{
  const char *sites[] = { "example.org", "quay.example", NULL };
  char *host;

  host = gazette_filter_host_for_url ("https://www.Example.com/a");
  g_assert_cmpstr (host, ==, "example.com");
  g_free (host);
  host = gazette_filter_host_for_url ("example.net");
  g_assert_cmpstr (host, ==, "example.net");
  g_free (host);
  g_assert_null (gazette_filter_host_for_url ("about:blank"));
  g_assert_null (gazette_filter_host_for_url (""));

  g_assert_true (gazette_filter_sites_contain (sites, "https://news.example.org/1"));
  g_assert_true (gazette_filter_sites_contain (sites, "http://quay.example:8080/"));
  g_assert_false (gazette_filter_sites_contain (sites, "https://notexample.org/"));
  g_assert_false (gazette_filter_sites_contain (sites, NULL));
  g_assert_false (gazette_filter_sites_contain (NULL, "https://example.org/"));
}

/* The reader HTML stored for the @n-th entry, and what the filter removed from it. */
static char *
reader_html (GazetteStore *store,
             guint         n,
             char        **out_removed)
{
  GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE };
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *suffix = g_strdup_printf ("/%u.html", n);

  articles = gazette_store_list_articles_sync (store, &filter, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < articles->len; i++)
    {
      GazetteArticle *row = g_ptr_array_index (articles, i);

      if (g_str_has_suffix (gazette_article_get_url (row), suffix))
        {
          g_autoptr(GazetteArticle) article =
            gazette_store_load_article_sync (store, gazette_article_get_id (row), NULL, &error);

          g_assert_no_error (error);
          *out_removed = g_strdup (gazette_article_get_reader_removed (article));
          return g_strdup (gazette_article_get_reader_html (article));
        }
    }
  g_assert_not_reached ();
  return NULL;
}

/* How many blocks the stored removals @removed list, each with a reason, when @rule removed one
 * of them; 0 when it did not. */
static guint
removed_by_rule (const char *removed,
                 const char *rule)
{
  g_autoptr(GPtrArray) removals = gazette_clutter_removals_from_string (removed);
  gboolean by_rule = FALSE;

  for (guint i = 0; i < removals->len; i++)
    {
      GazetteClutterRemoval *removal = g_ptr_array_index (removals, i);

      g_assert_nonnull (removal->reason);
      by_rule |= g_strcmp0 (removal->rule, rule) == 0;
    }
  return by_rule ? removals->len : 0;
}

static void
refresh (GazetteLibrary *library,
         gint64          id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gazette_library_refresh_async (library, id, NULL, gazette_test_store_result, &result);
  g_assert_true (gazette_library_refresh_finish (library, gazette_test_wait_result (&result),
                                                 &error));
  g_assert_no_error (error);
}

static void
test_library (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "gazette", NULL);
  g_autoptr(GazetteStore) store = gazette_store_new (data_dir);
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteLibrary) library = NULL;
  g_autoptr(GazetteSource) source = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteFilterRules) rules = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first_removed = NULL;
  g_autofree char *second_removed = NULL;
  const char *off[] = { "127.0.0.1", NULL };

  soup_server_add_handler (server, NULL, server_callback, NULL, NULL);
  base = gazette_test_server_listen (server);
  gazette_store_open_sync (store, NULL, &error);
  g_assert_no_error (error);
  library = gazette_library_new (store, fetcher);

  n_items = 0;
  feed = g_strconcat (base, "/feed.xml", NULL);
  gazette_library_add_feed_async (library, feed, 0, NULL, gazette_test_store_result, &result);
  source = gazette_library_add_feed_finish (library, gazette_test_wait_result (&result), &error);
  g_assert_no_error (error);
  gazette_source_set_full_article (source, TRUE);
  g_assert_true (gazette_store_update_source_sync (store, source, NULL, &error));

  /* The user's rule for the site, with the default filter. */
  rules = gazette_filter_rules_new (gazette_content_rules_new ("127.0.0.1##.mine\n", NULL));
  gazette_library_set_clutter_filter (library, rules, NULL);
  n_items = 1;
  refresh (library, gazette_source_get_id (source));
  first = reader_html (store, 1, &first_removed);
  g_assert_nonnull (strstr (first, "harbour lights were switched on"));
  g_assert_null (strstr (first, "asked to hide"));
  g_assert_null (strstr (first, "small favor"));
  /* What was removed is kept beside it, for the line under the article when it is opened. */
  g_assert_cmpuint (removed_by_rule (first_removed, "127.0.0.1##.mine"), >=, 2);

  /* The site switched off: the page as extracted, appeal and all. */
  gazette_library_set_clutter_filter (library, rules, off);
  n_items = 2;
  refresh (library, gazette_source_get_id (source));
  second = reader_html (store, 2, &second_removed);
  g_assert_nonnull (strstr (second, "harbour lights were switched on"));
  g_assert_nonnull (strstr (second, "asked to hide"));
  g_assert_nonnull (strstr (second, "small favor"));
  g_assert_null (second_removed);

  g_clear_object (&library);
  gazette_store_close (store);
  soup_server_disconnect (server);
  g_clear_pointer (&base, g_free);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Saving a page for offline reading: the same rules and per-site switch as the reader view. */
static char *
save (GazetteLibrary *library,
      const char     *path,
      char          **out_removed)
{
  GazetteSaver *saver = gazette_library_get_saver (library);
  GazetteStore *store = gazette_library_get_store (library);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GazetteArticle) article = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  gazette_saver_save_url_async (saver, url, NULL, gazette_test_store_result, &result);
  id = gazette_saver_save_url_finish (saver, gazette_test_wait_result (&result), &error);
  g_assert_no_error (error);
  article = gazette_store_load_article_sync (store, id, NULL, &error);
  g_assert_no_error (error);
  *out_removed = g_strdup (gazette_article_get_reader_removed (article));
  return g_strdup (gazette_article_get_reader_html (article));
}

static void
test_saver (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "gazette", NULL);
  g_autoptr(GazetteStore) store = gazette_store_new (data_dir);
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteLibrary) library = NULL;
  g_autoptr(GazetteFilterRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *first_removed = NULL;
  g_autofree char *second = NULL;
  g_autofree char *second_removed = NULL;
  const char *off[] = { "127.0.0.1", NULL };

  soup_server_add_handler (server, NULL, server_callback, NULL, NULL);
  base = gazette_test_server_listen (server);
  gazette_store_open_sync (store, NULL, &error);
  g_assert_no_error (error);
  library = gazette_library_new (store, fetcher);
  rules = gazette_filter_rules_new (gazette_content_rules_new ("127.0.0.1##.mine\n", NULL));

  /* Rules set before the saver exists reach it. */
  gazette_library_set_clutter_filter (library, rules, NULL);
  first = save (library, "/saved-1.html", &first_removed);
  g_assert_nonnull (strstr (first, "harbour lights were switched on"));
  g_assert_null (strstr (first, "asked to hide"));
  g_assert_null (strstr (first, "small favor"));
  g_assert_cmpuint (removed_by_rule (first_removed, "127.0.0.1##.mine"), >=, 1);

  /* Switched off for the site afterwards: the page as it is. */
  gazette_library_set_clutter_filter (library, rules, off);
  second = save (library, "/saved-2.html", &second_removed);
  g_assert_nonnull (strstr (second, "asked to hide"));
  g_assert_nonnull (strstr (second, "small favor"));
  g_assert_null (second_removed);

  g_clear_object (&library);
  gazette_store_close (store);
  soup_server_disconnect (server);
  g_clear_pointer (&base, g_free);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GAZETTE_EASYLIST", "", TRUE);

  g_test_add_func ("/core/filter-rules/hosts", test_hosts);
  g_test_add_func ("/core/filter-rules/library", test_library);
  g_test_add_func ("/core/filter-rules/saver", test_saver);

  return g_test_run ();
}

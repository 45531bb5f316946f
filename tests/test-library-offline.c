/* test-library-offline.c — the offline library: saving with images from a loopback server,
 * full-text search, retention, and HTML/EPUB export checked structurally
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "gazette-error.h"
#include "gazette-export.h"
#include "gazette-library.h"
#include "gazette-saver.h"
#include "gazette-store-offline.h"
#include "gazette-store-private.h"
#include "gazette-test-utils.h"

/* Two small PNGs (40×30 red, 60×40 blue); red-copy.png serves the red bytes again. */
static const char red_png_b64[] =
  "iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAK0lEQVR4nO3NMQ0AAAgDsCmZfynIQgYcTfo3056IWCwW"
  "i8VisVgsFov/xgvk2cL9h1Oh3gAAAABJRU5ErkJggg==";
static const char blue_png_b64[] =
  "iVBORw0KGgoAAAANSUhEUgAAADwAAAAoCAIAAAAt2Q6oAAAAQUlEQVR4nO3OAQkAIBAAsU/y/aMYyxieMFiAze75zjwf"
  "SIdJS0sHSEtLB0hLSwdIS0sHSEtLB0hLSwdIS0sHfJm+jDOGCOWfiXkAAAAASUVORK5CYII=";

static const char page_html[] =
  "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
  "<title>Le café des crêpes</title>"
  "<meta property=\"og:site_name\" content=\"Crêpe Weekly\">"
  "<meta name=\"author\" content=\"Zoë Durand\"></head><body><article>"
  "<h1>Le café des crêpes</h1>"
  "<p>Once upon a time in a small café, a baker made crêpes every morning. The crêpes were "
  "famous across the whole town, and visitors came from far away to taste them.</p>"
  "<img src=\"/img/red.png\" alt=\"A red square\">"
  "<p>The baker used buckwheat flour, eggs, milk and salt. He cooked each crêpe on a cast-iron "
  "pan until the edges turned golden and crisp, and sold them with cider.</p>"
  "<img src=\"/img/blue-small.png\" srcset=\"/img/blue.png 800w, /img/huge.png 3000w\" alt=\"Blue\">"
  "<p>Later the café served galettes with ham and cheese, and the tourists thought they were "
  "pancakes. The same red square appears again below, from another address.</p>"
  "<img src=\"img/red-copy.png\" alt=\"Again red\">"
  "<p>In the end the café became a museum of crêpes, where every visitor could learn the recipe "
  "and try the pan themselves, which many of them did with great joy.</p>"
  "</article></body></html>";

typedef struct {
  SoupServer     *server;
  char           *base;
  GHashTable     *requests;   /* path → count */
  GBytes         *red;
  GBytes         *blue;
  GazetteStore   *store;
  GazetteFetcher *fetcher;
  GazetteSaver   *saver;
  char           *data_dir;
} Fixture;

static GBytes *
decode (const char *b64)
{
  gsize length = 0;
  guchar *data = g_base64_decode (b64, &length);

  return g_bytes_new_take (data, length);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;
  GBytes *body = NULL;
  const char *type = "image/png";
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->requests, path));

  g_hash_table_insert (fixture->requests, g_strdup (path), GUINT_TO_POINTER (n + 1));

  if (g_str_equal (path, "/feed.xml"))
    {
      g_autofree char *feed = g_strdup_printf ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                                               "<title>Crêpe feed</title><item><guid>p1</guid>"
                                               "<title>Crêpes</title><link>%s/page.html</link>"
                                               "<description>Short</description></item>"
                                               "</channel></rss>", fixture->base);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/rss+xml", SOUP_MEMORY_COPY, feed,
                                        strlen (feed));
      return;
    }
  if (g_str_equal (path, "/page.html"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        page_html, strlen (page_html));
      return;
    }
  if (g_str_equal (path, "/img/red.png") || g_str_equal (path, "/img/red-copy.png"))
    body = fixture->red;
  else if (g_str_equal (path, "/img/blue.png"))
    {
      body = fixture->blue;
      type = "application/octet-stream";   /* sniffed */
    }
  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, g_bytes_get_data (body, NULL),
                                    g_bytes_get_size (body));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fixture->red = decode (red_png_b64);
  fixture->blue = decode (blue_png_b64);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_callback, fixture, NULL);
  fixture->base = gazette_test_server_listen (fixture->server);

  fixture->data_dir = g_build_filename (g_get_user_data_dir (), "offline-test", NULL);
  fixture->store = gazette_store_new (fixture->data_dir);
  g_assert_true (gazette_store_open_sync (fixture->store, NULL, &error));
  g_assert_no_error (error);
  fixture->fetcher = gazette_fetcher_new ();
  fixture->saver = gazette_saver_new (fixture->store, fixture->fetcher);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->saver);
  g_clear_object (&fixture->fetcher);
  gazette_store_close (fixture->store);
  g_clear_object (&fixture->store);
  if (fixture->server != NULL)
    soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->base);
  g_bytes_unref (fixture->red);
  g_bytes_unref (fixture->blue);
  g_hash_table_unref (fixture->requests);
  g_free (fixture->data_dir);
}

static guint
requests (Fixture    *fixture,
          const char *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->requests, path));
}

static char *
query (Fixture    *fixture,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = gazette_store_query_for_testing (fixture->store, sql, &error);

  g_assert_no_error (error);
  return value;
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  g_autofree char *value = query (fixture, sql);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static gint64
save_page (Fixture *fixture)
{
  g_autofree char *url = g_strconcat (fixture->base, "/page.html", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  gazette_saver_save_url_async (fixture->saver, url, NULL, gazette_test_store_result, &result);
  id = gazette_saver_save_url_finish (fixture->saver, gazette_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Saving ------------------------------------------------------------------------------------ */

static void
test_save_url (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GazetteArticle) article = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *red_sha = NULL;
  g_autofree char *red_url = NULL;
  const char *html;
  gint64 id;

  id = save_page (fixture);

  /* Offline from here on. */
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);

  article = gazette_store_load_article_sync (fixture->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (gazette_article_get_saved (article));
  g_assert_cmpstr (gazette_article_get_title (article), ==, "Le café des crêpes");
  g_assert_cmpstr (gazette_article_get_author (article), ==, "Zoë Durand");
  /* A saved page names its site, not the "Saved Pages" collection. */
  g_assert_cmpstr (gazette_article_get_source_title (article), ==, "Crêpe Weekly");

  /* Every image points into the store; the srcset's 800w candidate was chosen, never huge.png. */
  html = gazette_article_get_reader_html (article);
  g_assert_null (strstr (html, "http://"));
  g_assert_null (strstr (html, "srcset"));
  g_assert_nonnull (strstr (html, "gazette-asset:"));
  g_assert_cmpuint (requests (fixture, "/img/blue.png"), ==, 1);
  g_assert_cmpuint (requests (fixture, "/img/blue-small.png"), ==, 0);
  g_assert_cmpuint (requests (fixture, "/img/huge.png"), ==, 0);
  g_assert_cmpuint (requests (fixture, "/img/red.png"), ==, 1);
  g_assert_cmpuint (requests (fixture, "/img/red-copy.png"), ==, 1);

  /* Three images shown, two different: stored twice, linked three times. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM assets"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM article_assets"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(DISTINCT asset_id) FROM article_assets"), ==, 2);

  red_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fixture->red);
  red_url = g_strconcat ("gazette-asset:", red_sha, NULL);
  g_assert_nonnull (strstr (html, red_url));
  stored = gazette_store_load_asset_sync (fixture->store, red_sha, &mime, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stored, fixture->red));
  g_assert_cmpstr (mime, ==, "image/png");

  /* The sniffed one is an image too. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM assets WHERE mime = 'image/png'"),
                   ==, 2);

  /* Saved articles are found by the Saved filter and by search. */
  {
    GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_SAVED, 0, FALSE };
    g_autoptr(GPtrArray) saved = gazette_store_list_articles_sync (fixture->store, &filter, NULL,
                                                                   &error);
    g_autoptr(GPtrArray) hits = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (saved->len, ==, 1);
    hits = gazette_store_search_sync (fixture->store, "cider", NULL, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    hits = gazette_store_search_sync (fixture->store, "weekly", NULL, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);   /* the site name is indexed */
  }

  /* A missing asset, and a name that is not a hash. */
  g_assert_null (gazette_store_load_asset_sync (fixture->store, "00", NULL, NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
}

static void
test_save_twice (Fixture       *fixture,
                 gconstpointer  data)
{
  gint64 first = save_page (fixture);
  gint64 second = save_page (fixture);

  g_assert_cmpint (first, ==, second);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM assets"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM article_assets"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles"), ==, 1);
}

static void
test_size_cap (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GazetteArticle) article = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* Room for the red image only (twice: the copy is the same bytes, but counts again). */
  gazette_saver_set_max_article_bytes (fixture->saver, g_bytes_get_size (fixture->red) + 10);
  id = save_page (fixture);
  article = gazette_store_load_article_sync (fixture->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM assets"), ==, 1);
  /* What did not fit keeps its address. */
  g_assert_nonnull (strstr (gazette_article_get_reader_html (article), "http://"));
}

static void
test_save_feed_article (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GazetteSource) source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Feed",
                                                        "http://feed.invalid/feed.xml");
  g_autoptr(GazetteArticle) article = gazette_article_new ();
  g_autoptr(GazetteArticle) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  gint64 source_id, id;

  source_id = gazette_store_add_source_sync (fixture->store, source, NULL, &error);
  g_assert_no_error (error);
  /* A feed entry with its own text: no page fetch needed, the image still is. */
  content = g_strdup_printf ("<p>Feed text about lighthouses.</p><img src=\"%s/img/blue.png\">",
                             fixture->base);
  gazette_article_set_guid (article, "entry-1");
  gazette_article_set_title (article, "Lighthouses");
  gazette_article_set_reader_html (article, content);
  id = gazette_store_add_article_sync (fixture->store, source_id, article, NULL, &error);
  g_assert_no_error (error);

  gazette_saver_save_article_async (fixture->saver, id, FALSE, NULL, gazette_test_store_result,
                                    &result);
  g_assert_true (gazette_saver_save_article_finish (fixture->saver,
                                                    gazette_test_wait_result (&result), &error));
  g_assert_no_error (error);
  loaded = gazette_store_load_article_sync (fixture->store, id, NULL, &error);
  g_assert_false (gazette_article_get_saved (loaded));   /* an offline copy, not kept for good */
  g_assert_null (strstr (gazette_article_get_reader_html (loaded), "http://"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM assets"), ==, 1);

  /* Retention removes it (read, unsaved), and the clean-up its image. */
  {
    GazetteRetention retention = { 0, 0, FALSE };
    gint64 ids[] = { id };
    guint removed = 0;
    g_autoptr(GArray) unsaved = NULL;

    unsaved = gazette_store_list_unsaved_sync (fixture->store, source_id, 0, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (unsaved->len, ==, 0);

    g_assert_true (gazette_store_set_flag_sync (fixture->store, ids, 1, GAZETTE_ARTICLE_FLAG_READ,
                                                TRUE, NULL, &error));
    retention.keep_per_source = 1;
    g_assert_true (gazette_store_clean_up_sync (fixture->store, &retention, &removed, NULL,
                                                &error));
    g_assert_cmpuint (removed, ==, 0);   /* the newest one of its source stays */
    retention.keep_per_source = 0;
    retention.keep_days = 1;
    g_assert_true (gazette_store_clean_up_sync (fixture->store, &retention, &removed, NULL,
                                                &error));
    g_assert_cmpuint (removed, ==, 0);   /* added today */
  }
}

static void
test_save_new_on_refresh (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *url = g_strconcat (fixture->base, "/feed.xml", NULL);
  g_autoptr(GazetteSource) source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Crêpes", url);
  g_autoptr(GazetteLibrary) library = gazette_library_new (fixture->store, fixture->fetcher);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 source_id, deadline;

  gazette_source_set_save_offline (source, TRUE);
  source_id = gazette_store_add_source_sync (fixture->store, source, NULL, &error);
  g_assert_no_error (error);

  gazette_library_refresh_async (library, source_id, NULL, gazette_test_store_result, &result);
  g_assert_true (gazette_library_refresh_finish (library, gazette_test_wait_result (&result),
                                                 &error));
  g_assert_no_error (error);

  /* The copy is made in the background after the merge. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (query_int (fixture, "SELECT count(*) FROM articles WHERE saved_at IS NOT NULL") == 0 &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles WHERE saved_at IS NOT NULL"),
                   ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM assets"), ==, 2);
  /* An offline copy, but not "saved": retention may remove it. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles WHERE saved = 1"), ==, 0);
  g_assert_cmpuint (requests (fixture, "/page.html"), ==, 1);
}

/* Rewriting ---------------------------------------------------------------------------------- */

static void
test_rewrite_images (void)
{
  g_autoptr(GHashTable) replacements = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) urls = NULL;
  g_autofree char *html = NULL;

  g_hash_table_insert (replacements, "https://example.org/a/800.jpg", "gazette-asset:aaa");
  html = gazette_saver_rewrite_images ("<p>x</p><picture><source srcset=\"800.webp\">"
                                       "<img src=\"400.jpg\" srcset=\"800.jpg 2x, 1200.jpg 3x\"></picture>"
                                       "<img src=\"data:image/png;base64,AAAA\">"
                                       "<img srcset=\"a.jpg 500w, b.jpg 1500w, c.jpg 2500w\">"
                                       "<img src=\"  \">",
                                       "https://example.org/a/page", replacements, &urls);
  g_assert_cmpuint (urls->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (urls, 0), ==, "https://example.org/a/800.jpg");
  g_assert_cmpstr (g_ptr_array_index (urls, 1), ==, "https://example.org/a/b.jpg");
  g_assert_nonnull (strstr (html, "src=\"gazette-asset:aaa\""));
  g_assert_null (strstr (html, "<source"));
  g_assert_null (strstr (html, "1200.jpg"));
  g_assert_nonnull (strstr (html, "data:image/png"));
}

/* Search ------------------------------------------------------------------------------------- */

static gint64
add_article (Fixture    *fixture,
             gint64      source_id,
             const char *guid,
             const char *title,
             const char *author,
             const char *html,
             gint64      published)
{
  g_autoptr(GazetteArticle) article = gazette_article_new ();
  g_autoptr(GError) error = NULL;
  gint64 id;

  gazette_article_set_guid (article, guid);
  gazette_article_set_title (article, title);
  gazette_article_set_author (article, author);
  gazette_article_set_content (article, html);
  gazette_article_set_published (article, published);
  id = gazette_store_add_article_sync (fixture->store, source_id, article, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
add_source (Fixture    *fixture,
            const char *title,
            const char *url,
            gint64      folder_id)
{
  g_autoptr(GazetteSource) source = gazette_source_new (url != NULL ? GAZETTE_SOURCE_KIND_FEED
                                                                    : GAZETTE_SOURCE_KIND_FOLDER,
                                                        title, url);
  g_autoptr(GError) error = NULL;
  gint64 id;

  gazette_source_set_folder_id (source, folder_id);
  id = gazette_store_add_source_sync (fixture->store, source, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static GPtrArray *
search (Fixture                    *fixture,
        const char                 *text,
        const GazetteArticleFilter *scope)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = gazette_store_search_sync (fixture->store, text, scope, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

static gint64
hit_id (GPtrArray *hits,
        guint      i)
{
  return gazette_article_get_id (((GazetteSearchHit *) g_ptr_array_index (hits, i))->article);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 folder = add_source (fixture, "Science", NULL, 0);
  gint64 astro = add_source (fixture, "Astronomy Daily", "http://a.invalid/feed", folder);
  gint64 cooking = add_source (fixture, "Kitchen", "http://k.invalid/feed", 0);
  gint64 title_hit, body_hit, old_hit, cafe, markup, id;
  g_autoptr(GPtrArray) hits = NULL;
  GazetteSearchHit *hit;
  g_autofree char *snippet = NULL;

  title_hit = add_article (fixture, astro, "1", "Telescope season opens", "Ana",
                           "<p>Clear skies are expected all week.</p>", now - 3600);
  body_hit = add_article (fixture, astro, "2", "Weekly sky notes", "Ben",
                          "<p>Bring a small telescope to the park; the moon is bright and the "
                          "planets are low.</p>", now - 7200);
  old_hit = add_article (fixture, astro, "3", "Telescope history", "Cy",
                         "<p>Galileo pointed his first telescope at Jupiter.</p>",
                         now - 20 * 365 * 86400);
  cafe = add_article (fixture, cooking, "4", "Crème brûlée at the café", "Zoë",
                      "<p>A naïve recipe for crème brûlée, with sugar burnt on top.</p>", now);
  markup = add_article (fixture, cooking, "5", "Tags & <b>markup</b>", NULL,
                        "<p>Use &lt;script&gt; &amp; sugar carefully: x &lt; y.</p>", now);

  /* Title beats body; a twenty-year-old article with the same title words ranks below. */
  hits = search (fixture, "telescope", NULL);
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_cmpint (hit_id (hits, 0), ==, title_hit);
  g_assert_cmpint (hit_id (hits, 2), ==, old_hit);
  g_assert_cmpint (hit_id (hits, 1), ==, body_hit);
  hit = g_ptr_array_index (hits, 1);
  snippet = gazette_search_marked_to_markup (hit->snippet);
  g_assert_nonnull (strstr (snippet, "<b>telescope</b>"));
  g_clear_pointer (&snippet, g_free);
  snippet = gazette_search_marked_to_plain (hit->snippet);
  g_assert_null (strchr (snippet, GAZETTE_SEARCH_MARK_START[0]));
  g_assert_nonnull (strstr (snippet, "small telescope to the park"));
  g_clear_pointer (&snippet, g_free);
  hit = g_ptr_array_index (hits, 0);
  snippet = gazette_search_marked_to_markup (hit->title);
  g_assert_cmpstr (snippet, ==, "<b>Telescope</b> season opens");
  g_clear_pointer (&snippet, g_free);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Prefixes: "tele" as typed, not yet finished. */
  hits = search (fixture, "tele", NULL);
  g_assert_cmpuint (hits->len, ==, 3);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "tele ", NULL);   /* a finished word matches whole words only */
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Diacritics either way. */
  hits = search (fixture, "creme brulee cafe", NULL);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (hit_id (hits, 0), ==, cafe);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "NAÏVE", NULL);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "zoe", NULL);   /* authors are indexed */
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (fixture, "astronomy", NULL);   /* and the site (source title) */
  g_assert_cmpuint (hits->len, ==, 3);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Markup in titles and text comes back escaped around the highlights. */
  hits = search (fixture, "sugar", NULL);
  g_assert_cmpuint (hits->len, ==, 2);
  for (guint i = 0; i < hits->len; i++)
    {
      GazetteSearchHit *h = g_ptr_array_index (hits, i);

      if (gazette_article_get_id (h->article) == markup)
        {
          g_autofree char *title = gazette_search_marked_to_markup (h->title);
          g_autofree char *text = gazette_search_marked_to_markup (h->snippet);

          g_assert_cmpstr (title, ==, "Tags &amp; &lt;b&gt;markup&lt;/b&gt;");
          g_assert_nonnull (strstr (text, "&lt;script&gt; &amp; <b>sugar</b>"));
          g_assert_nonnull (strstr (text, "x &lt; y"));
        }
    }
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Scopes: a source, a folder, starred. */
  {
    GazetteArticleFilter by_source = { GAZETTE_ARTICLE_FILTER_SOURCE, cooking, FALSE };
    GazetteArticleFilter by_folder = { GAZETTE_ARTICLE_FILTER_FOLDER, folder, FALSE };
    GazetteArticleFilter starred = { GAZETTE_ARTICLE_FILTER_STARRED, 0, FALSE };
    gint64 ids[] = { body_hit };
    g_autoptr(GError) error = NULL;

    hits = search (fixture, "telescope", &by_source);
    g_assert_cmpuint (hits->len, ==, 0);
    g_clear_pointer (&hits, g_ptr_array_unref);
    hits = search (fixture, "telescope", &by_folder);
    g_assert_cmpuint (hits->len, ==, 3);
    g_clear_pointer (&hits, g_ptr_array_unref);
    hits = search (fixture, "sugar", &by_source);
    g_assert_cmpuint (hits->len, ==, 2);
    g_clear_pointer (&hits, g_ptr_array_unref);
    g_assert_true (gazette_store_set_flag_sync (fixture->store, ids, 1,
                                                GAZETTE_ARTICLE_FLAG_STARRED, TRUE, NULL, &error));
    hits = search (fixture, "telescope", &starred);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpint (hit_id (hits, 0), ==, body_hit);
    g_clear_pointer (&hits, g_ptr_array_unref);
  }

  /* Anything typed is safe: FTS5 syntax is just text. */
  {
    const char *weird[] = {
      "\"", "\"\"", "'", "*", "-", "(", ")", "AND", "OR", "NOT", "telescope OR", "NEAR(a b)",
      "title:telescope", "{title}: x", "^telescope", "tele*scope", "a\"b", "   ", "", "…",
      "\x01\x02\x03", "telescope\x02", "\xff\xfe invalid utf-8", "-telescope", "+",
      "col:umn:", "a AND (b OR", "😀", "%", "_", "\\", "NEAR", "\"telescope",
    };

    for (guint i = 0; i < G_N_ELEMENTS (weird); i++)
      {
        hits = search (fixture, weird[i], NULL);
        g_clear_pointer (&hits, g_ptr_array_unref);
      }
    /* Operators typed are words: "telescope OR" needs the word "or" (prefix) too. */
    hits = search (fixture, "\"telescope", NULL);
    g_assert_cmpuint (hits->len, ==, 3);
    g_clear_pointer (&hits, g_ptr_array_unref);
    hits = search (fixture, "title:telescope", NULL);
    g_assert_cmpuint (hits->len, ==, 0);   /* "title" is not in the text */
    g_clear_pointer (&hits, g_ptr_array_unref);
  }

  /* The index follows edits and removals (triggers), and can be rebuilt. */
  {
    g_autoptr(GazetteArticle) article = gazette_article_new ();
    g_autoptr(GError) error = NULL;

    gazette_article_set_guid (article, "5");
    gazette_article_set_title (article, "Renamed entirely");
    gazette_article_set_content (article, "<p>Nothing sweet here.</p>");
    id = gazette_store_add_article_sync (fixture->store, cooking, article, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (id, ==, markup);
    hits = search (fixture, "sugar", NULL);
    g_assert_cmpuint (hits->len, ==, 1);
    g_clear_pointer (&hits, g_ptr_array_unref);
    hits = search (fixture, "renamed", NULL);
    g_assert_cmpuint (hits->len, ==, 1);
    g_clear_pointer (&hits, g_ptr_array_unref);

    g_assert_true (gazette_store_remove_source_sync (fixture->store, cooking, NULL, &error));
    hits = search (fixture, "renamed", NULL);
    g_assert_cmpuint (hits->len, ==, 0);
    g_clear_pointer (&hits, g_ptr_array_unref);

    g_assert_true (gazette_store_rebuild_search_sync (fixture->store, NULL, &error));
    g_assert_no_error (error);
    hits = search (fixture, "telescope", NULL);
    g_assert_cmpuint (hits->len, ==, 3);
    g_clear_pointer (&hits, g_ptr_array_unref);
    g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles_fts"), ==,
                     query_int (fixture, "SELECT count(*) FROM articles"));
    {
      g_autofree char *check = query (fixture, "PRAGMA integrity_check");

      g_assert_cmpstr (check, ==, "ok");
    }
    g_assert_null (query (fixture, "INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')"));
  }
}

static void
test_search_async (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 source = add_source (fixture, "Src", "http://s.invalid/feed", 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  add_article (fixture, source, "1", "Async lighthouse", NULL, "<p>Beam</p>", 0);
  gazette_store_search_async (fixture->store, "lightho", NULL, 10, NULL, gazette_test_store_result,
                              &result);
  hits = gazette_store_search_finish (fixture->store, gazette_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
}

static void
test_build_query (void)
{
  struct { const char *text; const char *query; } cases[] = {
    { "hello", "\"hello\"*" },
    { "hello ", "\"hello\"" },
    { "hello world", "\"hello\" \"world\"*" },
    { "say \"hi\"", "\"say\" \"\"\"hi\"\"\"*" },
    { "a OR b", "\"a\" \"OR\" \"b\"*" },
    { "title:x", "\"title:x\"*" },
    { "x -- ", "\"x\"" },
    { "-- x", "\"x\"*" },
    { "", NULL },
    { "  ", NULL },
    { "*", NULL },
    { "\"\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = gazette_search_build_query (cases[i].text);

      g_assert_cmpstr (query, ==, cases[i].query);
    }
}

static void
test_marked_markup (void)
{
  g_autofree char *a = gazette_search_marked_to_markup ("a \x02" "b\x03 c");
  g_autofree char *b = gazette_search_marked_to_markup ("\x02" "open <i>");
  g_autofree char *c = gazette_search_marked_to_markup ("close\x03 & \x03");
  g_autofree char *d = gazette_search_marked_to_markup (NULL);

  g_assert_cmpstr (a, ==, "a <b>b</b> c");
  g_assert_cmpstr (b, ==, "<b>open &lt;i&gt;</b>");
  g_assert_cmpstr (c, ==, "close &amp; ");
  g_assert_cmpstr (d, ==, "");
}

/* Retention ------------------------------------------------------------------------------------ */

static void
test_retention (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 old = now - 90 * 86400;
  gint64 source = add_source (fixture, "News", "http://n.invalid/feed", 0);
  gint64 old_read, old_unread, old_saved, old_starred, new_read;
  GazetteRetention retention = { 30, 0, TRUE };
  GazetteSpaceUsage usage = { 0 };
  g_autoptr(GError) error = NULL;
  guint removed = 0;

  old_read = add_article (fixture, source, "1", "Old read", NULL, "<p>a</p>", old);
  old_unread = add_article (fixture, source, "2", "Old unread", NULL, "<p>b</p>", old);
  old_saved = add_article (fixture, source, "3", "Old saved", NULL, "<p>c</p>", old);
  old_starred = add_article (fixture, source, "4", "Old starred", NULL, "<p>d</p>", old);
  new_read = add_article (fixture, source, "5", "New read", NULL, "<p>e</p>", now);
  {
    gint64 read[] = { old_read, old_saved, old_starred, new_read };
    gint64 saved[] = { old_saved };
    gint64 starred[] = { old_starred };

    g_assert_true (gazette_store_set_flag_sync (fixture->store, read, 4,
                                                GAZETTE_ARTICLE_FLAG_READ, TRUE, NULL, &error));
    g_assert_true (gazette_store_set_flag_sync (fixture->store, saved, 1,
                                                GAZETTE_ARTICLE_FLAG_SAVED, TRUE, NULL, &error));
    g_assert_true (gazette_store_set_flag_sync (fixture->store, starred, 1,
                                                GAZETTE_ARTICLE_FLAG_STARRED, TRUE, NULL, &error));
  }
  /* An image only the old read article shows, and one the saved article shares with it. */
  {
    g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_asset_free);
    GazetteOfflineCopy copy = { old_read, "<p>a</p>", NULL, NULL, NULL, NULL, assets, FALSE };

    g_ptr_array_add (assets, gazette_asset_new ("http://x/red.png", "image/png", fixture->red));
    g_ptr_array_add (assets, gazette_asset_new ("http://x/blue.png", "image/png", fixture->blue));
    g_assert_true (gazette_store_store_offline_sync (fixture->store, &copy, NULL, &error));
    g_ptr_array_set_size (assets, 1);   /* red only */
    copy.article_id = old_saved;
    copy.reader_html = "<p>c</p>";
    copy.mark_saved = TRUE;
    g_assert_true (gazette_store_store_offline_sync (fixture->store, &copy, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (gazette_store_get_space_sync (fixture->store, &usage, NULL, &error));
  g_assert_cmpuint (usage.n_assets, ==, 2);
  g_assert_cmpint (usage.asset_bytes, ==, g_bytes_get_size (fixture->red) +
                                          g_bytes_get_size (fixture->blue));
  g_assert_cmpuint (usage.n_articles, ==, 5);
  g_assert_cmpuint (usage.n_saved, ==, 1);
  g_assert_cmpint (usage.database_bytes, >, 0);

  g_assert_true (gazette_store_clean_up_sync (fixture->store, &retention, &removed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);   /* only the old read one */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles WHERE id = 1"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles"), ==, 4);
  /* Its own image went; the shared one stays for the saved article. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM assets"), ==, 1);
  g_assert_true (gazette_store_get_space_sync (fixture->store, &usage, NULL, &error));
  g_assert_cmpint (usage.asset_bytes, ==, g_bytes_get_size (fixture->red));

  /* The head of a list: its newest rows only. */
  {
    GazetteArticleFilter all = { GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE };
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) head = NULL;

    gazette_store_list_articles_head_async (fixture->store, &all, 2, NULL,
                                            gazette_test_store_result, &result);
    head = gazette_store_list_articles_finish (fixture->store, gazette_test_wait_result (&result),
                                               &error);
    g_assert_no_error (error);
    g_assert_cmpuint (head->len, ==, 2);
    g_assert_cmpint (gazette_article_get_id (g_ptr_array_index (head, 0)), ==, new_read);
  }

  /* Unread goes too when asked; saved and starred never. */
  retention.keep_unread = FALSE;
  g_assert_true (gazette_store_clean_up_sync (fixture->store, &retention, &removed, NULL, &error));
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles"), ==, 3);

  /* Per source: keep the newest one, but never the saved or starred. */
  retention.keep_days = 0;
  retention.keep_per_source = 1;
  g_assert_true (gazette_store_clean_up_sync (fixture->store, &retention, &removed, NULL, &error));
  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles WHERE saved = 1 OR starred = 1"),
                   ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles_fts"), ==, 3);
  (void) old_unread;
}

static void
test_remove_source_keeps_saved (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GazetteLibrary) library = gazette_library_new (fixture->store, fixture->fetcher);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  gint64 feed = add_source (fixture, "Harbour Weekly", "http://h.invalid/feed", 0);
  gint64 kept = add_article (fixture, feed, "1", "Kept lighthouse", NULL, "<p>kept</p>", 0);
  gint64 gone = add_article (fixture, feed, "2", "Gone lighthouse", NULL, "<p>gone</p>", 0);
  gint64 ids[] = { kept };

  g_assert_true (gazette_store_set_flag_sync (fixture->store, ids, 1, GAZETTE_ARTICLE_FLAG_SAVED,
                                              TRUE, NULL, &error));
  gazette_library_remove_source_async (library, feed, NULL, gazette_test_store_result, &result);
  g_assert_true (gazette_library_remove_source_finish (library, gazette_test_wait_result (&result),
                                                       &error));
  g_assert_no_error (error);

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM sources WHERE kind = 2"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM articles"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT site FROM articles WHERE id = %"
                                            G_GINT64_FORMAT, kept);
    g_autofree char *site = query (fixture, sql);

    g_assert_cmpstr (site, ==, "Harbour Weekly");
  }
  hits = gazette_store_search_sync (fixture->store, "lighthouse", NULL, 0, NULL, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (hit_id (hits, 0), ==, kept);
  (void) gone;
}

/* Export ---------------------------------------------------------------------------------------- */

static GHashTable *
read_zip (const char  *path,
          GPtrArray  **out_order,
          gboolean    *out_first_stored)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);
  struct archive *zip = archive_read_new ();
  struct archive_entry *entry;
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);

  archive_read_support_format_zip (zip);
  g_assert_cmpint (archive_read_open_filename (zip, path, 16384), ==, ARCHIVE_OK);
  while (archive_read_next_header (zip, &entry) == ARCHIVE_OK)
    {
      GByteArray *data = g_byte_array_new ();
      char buffer[8192];
      la_ssize_t n;

      if (order->len == 0)
        /* libarchive names the method in the format name of each entry:
         * "ZIP 1.0 (uncompressed)" for a stored one. */
        *out_first_stored = strstr (archive_format_name (zip), "uncompressed") != NULL;
      while ((n = archive_read_data (zip, buffer, sizeof buffer)) > 0)
        g_byte_array_append (data, (guint8 *) buffer, n);
      g_ptr_array_add (order, g_strdup (archive_entry_pathname (entry)));
      g_hash_table_insert (files, g_strdup (archive_entry_pathname (entry)),
                           g_byte_array_free_to_bytes (data));
    }
  archive_read_free (zip);
  *out_order = g_steal_pointer (&order);
  return files;
}

static xmlDocPtr
parse_xml (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return xmlReadMemory (data, length, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                  XML_PARSE_NOWARNING);
}

static void
test_export_epub (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "out.epub", NULL);
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  gsize raw_length = 0;
  gboolean first_stored = FALSE;
  gint64 ids[2];
  xmlDocPtr doc;
  xmlNodePtr root;
  g_autofree char *opf_path = NULL;
  guint n_items = 0, n_images = 0;

  ids[0] = save_page (fixture);
  {
    gint64 source = add_source (fixture, "Odd", "http://o.invalid/feed", 0);

    /* Text that is fine as HTML but not as XML, until serialised as XML. */
    ids[1] = add_article (fixture, source, "odd", "Odd <HTML> & entities", NULL,
                          "<p>Unclosed <b>bold <i>italic</p><br><hr>&nbsp;&copy; \x0c form feed"
                          "<img src=\"http://elsewhere.invalid/x.png\" alt=\"gone\">"
                          "<p foo:bar=\"1\" data-x=\"y\">attr</p>", 0);
  }
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);

  g_assert_true (gazette_export_sync (fixture->store, ids, 2, GAZETTE_EXPORT_EPUB, path, NULL,
                                      &error));
  g_assert_no_error (error);

  /* The raw bytes: a local header at 0 for "mimetype", method 0 (stored), no extra field, and
   * the media type right after the name. */
  g_assert_true (g_file_get_contents (path, &raw, &raw_length, NULL));
  g_assert_cmpuint (raw_length, >, 58);
  g_assert_cmpmem (raw, 4, "PK\x03\x04", 4);
  g_assert_cmpint (raw[8] | (raw[9] << 8), ==, 0);              /* compression: stored */
  g_assert_cmpint (raw[26] | (raw[27] << 8), ==, 8);            /* name length */
  g_assert_cmpint (raw[28] | (raw[29] << 8), ==, 0);            /* extra field length */
  g_assert_cmpmem (raw + 30, 8, "mimetype", 8);
  g_assert_cmpmem (raw + 38, 20, "application/epub+zip", 20);

  files = read_zip (path, &order, &first_stored);
  g_assert_cmpstr (g_ptr_array_index (order, 0), ==, "mimetype");
  g_assert_true (first_stored);
  g_assert_cmpmem (g_bytes_get_data (g_hash_table_lookup (files, "mimetype"), NULL),
                   g_bytes_get_size (g_hash_table_lookup (files, "mimetype")),
                   "application/epub+zip", 20);

  /* container.xml points at the package document. */
  doc = parse_xml (g_hash_table_lookup (files, "META-INF/container.xml"));
  g_assert_nonnull (doc);
  for (xmlNodePtr n = xmlDocGetRootElement (doc)->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && xmlStrEqual (n->name, BAD_CAST "rootfiles"))
      for (xmlNodePtr r = n->children; r != NULL; r = r->next)
        if (r->type == XML_ELEMENT_NODE && xmlStrEqual (r->name, BAD_CAST "rootfile"))
          opf_path = (char *) xmlGetProp (r, BAD_CAST "full-path");
  xmlFreeDoc (doc);
  g_assert_nonnull (opf_path);
  g_assert_true (g_hash_table_contains (files, opf_path));

  /* Every manifest item is in the zip; XHTML parses as XML; metadata is complete. */
  doc = parse_xml (g_hash_table_lookup (files, opf_path));
  g_assert_nonnull (doc);
  root = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) root->name, ==, "package");
  for (xmlNodePtr section = root->children; section != NULL; section = section->next)
    {
      if (section->type != XML_ELEMENT_NODE)
        continue;
      if (xmlStrEqual (section->name, BAD_CAST "metadata"))
        {
          guint found = 0;

          for (xmlNodePtr m = section->children; m != NULL; m = m->next)
            {
              g_autofree xmlChar *property = xmlGetProp (m, BAD_CAST "property");

              if (m->type != XML_ELEMENT_NODE)
                continue;
              if (xmlStrEqual (m->name, BAD_CAST "identifier") ||
                  xmlStrEqual (m->name, BAD_CAST "title") ||
                  xmlStrEqual (m->name, BAD_CAST "language") ||
                  (xmlStrEqual (m->name, BAD_CAST "meta") &&
                   xmlStrEqual (property, BAD_CAST "dcterms:modified")))
                found++;
            }
          g_assert_cmpuint (found, ==, 4);
        }
      if (!xmlStrEqual (section->name, BAD_CAST "manifest"))
        continue;
      for (xmlNodePtr item = section->children; item != NULL; item = item->next)
        {
          g_autofree xmlChar *href = NULL;
          g_autofree xmlChar *type = NULL;
          g_autofree char *full = NULL;
          GBytes *content;

          if (item->type != XML_ELEMENT_NODE)
            continue;
          href = xmlGetProp (item, BAD_CAST "href");
          type = xmlGetProp (item, BAD_CAST "media-type");
          full = g_strconcat ("OEBPS/", (const char *) href, NULL);
          content = g_hash_table_lookup (files, full);
          g_assert_nonnull (content);
          n_items++;
          if (xmlStrEqual (type, BAD_CAST "application/xhtml+xml"))
            {
              xmlDocPtr xhtml = parse_xml (content);
              gsize length = 0;
              const char *text = g_bytes_get_data (content, &length);
              g_autofree char *copy = g_strndup (text, length);

              g_assert_nonnull (xhtml);
              g_assert_null (strstr (copy, "elsewhere.invalid"));
              xmlFreeDoc (xhtml);
            }
          if (g_str_has_prefix ((const char *) type, "image/"))
            n_images++;
        }
    }
  xmlFreeDoc (doc);
  g_assert_cmpuint (n_images, ==, 2);   /* de-duplicated */
  g_assert_cmpuint (n_items, ==, 2 + 2 + 2);   /* nav, css, two articles, two images */
  g_assert_cmpuint (g_hash_table_size (files), ==, 1 + 1 + 1 + n_items);
  g_assert_true (g_hash_table_contains (files, "OEBPS/nav.xhtml"));
}

static void
test_export_html (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "out.html", NULL);
  g_autofree char *html = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) external = NULL;
  gint64 id = save_page (fixture);

  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);

  g_assert_true (gazette_export_sync (fixture->store, &id, 1, GAZETTE_EXPORT_HTML, path, NULL,
                                      &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "data:image/png;base64,"));
  g_assert_null (strstr (html, "gazette-asset:"));
  /* Nothing that loads: no src, srcset, href of a stylesheet or url() pointing outside. */
  external = g_regex_new ("(src|srcset|poster)\\s*=\\s*[\"']?\\s*(https?:|//)|url\\(|<link|<script",
                          G_REGEX_CASELESS, 0, NULL);
  g_assert_false (g_regex_match (external, html, 0, NULL));
  g_assert_nonnull (strstr (html, "Le café des crêpes"));
}

static void
test_export_async (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->data_dir, "async.epub", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = save_page (fixture);
  gint64 missing = 999;

  gazette_export_async (fixture->store, &id, 1, GAZETTE_EXPORT_EPUB, path, NULL,
                        gazette_test_store_result, &result);
  g_assert_true (gazette_export_finish (fixture->store, gazette_test_wait_result (&result),
                                        &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  g_assert_false (gazette_export_sync (fixture->store, &missing, 1, GAZETTE_EXPORT_HTML, path,
                                       NULL, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
}

/* gazette-cli ----------------------------------------------------------------------------------- */

/* Runs gazette-cli with @args while this process's server answers; returns its stdout. */
static char *
run_cli (Fixture     *fixture,
         int         *out_status,
         const char  *first,
         ...)
{
  const char *cli = g_getenv ("GAZETTE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, fixture->data_dir);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, gazette_test_store_result, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, gazette_test_wait_result (&result),
                                                       &out, NULL, &error));
  g_assert_no_error (error);
  *out_status = g_subprocess_get_exit_status (process);
  return out;
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *url = g_strconcat (fixture->base, "/page.html", NULL);
  g_autofree char *epub = g_build_filename (g_get_tmp_dir (), "cli.epub", NULL);
  g_autofree char *html = g_build_filename (g_get_tmp_dir (), "cli.html", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonArray *array;
  int status = -1;

  if (g_getenv ("GAZETTE_CLI") == NULL)
    {
      g_test_skip ("GAZETTE_CLI is not set");
      return;
    }
  /* The test's store must not hold the file while the CLI writes. */
  gazette_store_close (fixture->store);

  out = run_cli (fixture, &status, "save", url, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Saved article 1"));
  g_clear_pointer (&out, g_free);

  out = run_cli (fixture, &status, "list", "--saved", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "title"),
                   ==, "Le café des crêpes");
  g_clear_pointer (&out, g_free);

  out = run_cli (fixture, &status, "search", "--json", "CIDER", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                           "snippet_html"), "<b>cider</b>"));
  g_clear_pointer (&out, g_free);

  out = run_cli (fixture, &status, "search", "nothing-like-this", NULL);
  g_assert_cmpint (status, ==, 1);
  g_clear_pointer (&out, g_free);

  out = run_cli (fixture, &status, "export", "1", "--format", "epub", "-o", epub, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_test (epub, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  out = run_cli (fixture, &status, "export", "1", "--format", "html", "-o", html, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = run_cli (fixture, &status, "export", "1", "--format", "pdf", "-o", html, NULL);
  g_assert_cmpint (status, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/core/offline/save/url", test_save_url);
  ADD ("/core/offline/save/twice", test_save_twice);
  ADD ("/core/offline/save/size-cap", test_size_cap);
  ADD ("/core/offline/save/feed-article", test_save_feed_article);
  ADD ("/core/offline/save/new-on-refresh", test_save_new_on_refresh);
  g_test_add_func ("/core/offline/save/rewrite-images", test_rewrite_images);
  ADD ("/core/offline/search/ranking-snippets-scopes", test_search);
  ADD ("/core/offline/search/async", test_search_async);
  g_test_add_func ("/core/offline/search/build-query", test_build_query);
  g_test_add_func ("/core/offline/search/marked-markup", test_marked_markup);
  ADD ("/core/offline/retention", test_retention);
  ADD ("/core/offline/remove-source-keeps-saved", test_remove_source_keeps_saved);
  ADD ("/core/offline/export/epub", test_export_epub);
  ADD ("/core/offline/export/html", test_export_html);
  ADD ("/core/offline/export/async", test_export_async);
  ADD ("/core/offline/cli", test_cli);

  return g_test_run ();
}

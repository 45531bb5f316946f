/* test-offline-window.c — a saved article in the real window with the network gone: every image
 * loads from the store, no request reaches the server; search as you type; the Storage page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>
#include <jsc/jsc.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gazette-application.h"
#include "gazette-article-model.h"
#include "gazette-offline-view.h"
#include "gazette-storage-page.h"
#include "gazette-store-private.h"
#include "gazette-test-ui-utils.h"
#include "gazette-test-utils.h"
#include "gazette-window.h"

/* 40×30 red, 60×40 blue PNGs. */
static const char red_png_b64[] =
  "iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAK0lEQVR4nO3NMQ0AAAgDsCmZfynIQgYcTfo3056IWCwW"
  "i8VisVgsFov/xgvk2cL9h1Oh3gAAAABJRU5ErkJggg==";
static const char blue_png_b64[] =
  "iVBORw0KGgoAAAANSUhEUgAAADwAAAAoCAIAAAAt2Q6oAAAAQUlEQVR4nO3OAQkAIBAAsU/y/aMYyxieMFiAze75zjwf"
  "SIdJS0sHSEtLB0hLSwdIS0sHSEtLB0hLSwdIS0sHfJm+jDOGCOWfiXkAAAAASUVORK5CYII=";

static const char page_html[] =
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
  "<title>The Harbour Lighthouse at Night</title>"
  "<meta property=\"og:site_name\" content=\"Harbour Weekly\">"
  "<meta name=\"author\" content=\"Maren Solberg\"></head><body><article>"
  "<h1>The Harbour Lighthouse at Night</h1>"
  "<p>Every evening the keeper climbs the hundred and twelve steps of the old lighthouse and "
  "lights the lamp that guides the fishing boats home through the narrow channel.</p>"
  "<img src=\"/img/red.png\" alt=\"The red lamp room\" width=\"400\" height=\"300\">"
  "<p>The lens was made in 1893 and still turns on a bath of mercury, once every twenty "
  "seconds, throwing a beam that sailors can see thirty kilometres out at sea.</p>"
  "<img src=\"/img/blue.png\" alt=\"The blue channel at dusk\" width=\"600\" height=\"400\">"
  "<p>When fog rolls in, the keeper starts the horn as well, two long blasts a minute, and "
  "stays awake until the last boat has tied up at the pier.</p>"
  "<img src=\"/img/red-again.png\" alt=\"The lamp room again\" width=\"400\" height=\"300\">"
  "<p>Visitors may climb the tower on summer afternoons, when the lamp is cold and the keeper "
  "tells stories of storms, wrecks and rescues.</p>"
  "</article></body></html>";

static GazetteApplication *app;
static GazetteWindow *window;
static SoupServer *server;
static char *base_url;
static char *data_dir;
static GBytes *red_png, *blue_png;
static gboolean network_off;     /* the server refuses everything and counts it */
static guint leaked_requests;    /* requests while network_off */

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GBytes *image = NULL;

  if (network_off)
    {
      leaked_requests++;
      g_test_message ("request with the network off: %s", path);
      soup_server_message_set_status (msg, 503, NULL);
      return;
    }
  if (g_str_equal (path, "/page.html"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        page_html, strlen (page_html));
      return;
    }
  if (g_str_equal (path, "/img/red.png") || g_str_equal (path, "/img/red-again.png"))
    image = red_png;
  else if (g_str_equal (path, "/img/blue.png"))
    image = blue_png;
  if (image == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (image, NULL), g_bytes_get_size (image));
}

static GazetteStore *
store (void)
{
  return gazette_library_get_store (gazette_application_get_library (app));
}

static gint64
query_int (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = gazette_store_query_for_testing (store (), sql, &error);

  g_assert_no_error (error);
  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static gboolean
sidebar_loaded (gpointer data)
{
  gboolean loaded = FALSE;

  g_object_get (gazette_window_get_sidebar (window), "loaded", &loaded, NULL);
  return loaded;
}

static gboolean
page_saved (gpointer data)
{
  return query_int ("SELECT count(*) FROM articles WHERE saved = 1 AND saved_at IS NOT NULL") > 0;
}

static gboolean
list_has_rows (gpointer data)
{
  GazetteArticleList *list = gazette_window_get_article_list (window);

  return !gazette_article_list_get_loading (list) &&
         g_list_model_get_n_items (G_LIST_MODEL (gazette_article_list_get_model (list))) >=
         GPOINTER_TO_UINT (data);
}

static gboolean
article_shown (gpointer data)
{
  return gazette_article_view_get_shown_id (gazette_window_get_article_view (window)) ==
         *(gint64 *) data;
}

typedef struct {
  WebKitWebView *web_view;
  char          *state;     /* "images:loaded" */
} ImagesData;

static gboolean
images_loaded (gpointer user_data)
{
  ImagesData *data = user_data;
  g_auto(GStrv) parts = NULL;

  g_free (data->state);
  data->state = gazette_test_run_js (data->web_view,
                                     "(() => { const i = Array.from (document.images);"
                                     " i.forEach (x => x.loading = 'eager');"
                                     " return i.length + ':' +"
                                     "   i.filter (x => x.complete && x.naturalWidth > 0).length; }) ()",
                                     NULL);
  parts = g_strsplit (data->state, ":", 2);
  return g_strv_length (parts) == 2 && atoi (parts[0]) > 0 && g_str_equal (parts[0], parts[1]);
}

static void
test_offline_article (void)
{
  GazetteArticleList *list = gazette_window_get_article_list (window);
  GazetteArticleView *view = gazette_window_get_article_view (window);
  WebKitWebView *web_view = gazette_article_view_get_web_view (view);
  g_autofree char *url = g_strconcat (base_url, "page.html", NULL);
  g_autofree char *csp = NULL;
  g_autofree char *sources = NULL;
  g_autofree char *widths = NULL;
  ImagesData images = { web_view, NULL };
  GazetteArticle *article;
  guint served_before;
  gint64 id;

  g_assert_true (gazette_test_wait_for (sidebar_loaded, NULL, 30));

  /* Read later: the address pasted (or dropped) on the window. */
  g_assert_false (gazette_window_save_url (window, "not a web address"));
  g_assert_true (gazette_window_save_url (window, url));
  g_assert_true (gazette_test_wait_for (page_saved, NULL, 30));
  g_assert_cmpint (query_int ("SELECT count(*) FROM assets"), ==, 2);   /* red twice: once */

  /* The network goes away: the server still listens, to count what would leak. */
  network_off = TRUE;

  gazette_sidebar_set_selection (gazette_window_get_sidebar (window), "saved");
  g_assert_true (gazette_test_wait_for (list_has_rows, GUINT_TO_POINTER (1), 30));
  article = gazette_article_model_peek (gazette_article_list_get_model (list), 0);
  g_assert_cmpstr (gazette_article_get_title (article), ==, "The Harbour Lighthouse at Night");
  g_assert_true (gazette_article_get_saved (article));

  served_before = gazette_offline_view_get_served_for_testing ();
  id = gazette_article_get_id (article);
  gazette_article_list_select (list, 0);
  g_assert_true (gazette_test_wait_for (article_shown, &id, 30));

  /* Every image has loaded, from the store. */
  g_assert_true (gazette_test_wait_for (images_loaded, &images, 30));
  g_test_message ("images (shown:loaded) %s", images.state);
  g_assert_cmpstr (images.state, ==, "3:3");
  g_free (images.state);
  sources = gazette_test_run_js (web_view,
                                 "Array.from (document.images).map (i => i.src.split (':')[0])"
                                 ".join (',')", NULL);
  g_assert_cmpstr (sources, ==, "gazette-asset,gazette-asset,gazette-asset");
  widths = gazette_test_run_js (web_view,
                                "Array.from (document.images).map (i => i.naturalWidth).join (',')",
                                NULL);
  g_assert_cmpstr (widths, ==, "40,60,40");
  g_assert_cmpuint (gazette_offline_view_get_served_for_testing () - served_before, >=, 2);

  /* The page allows nothing but the store: an image from the web is refused, not fetched. */
  csp = gazette_test_run_js (web_view,
                             "document.querySelector ('meta[http-equiv=Content-Security-Policy]')"
                             ".content", NULL);
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_nonnull (strstr (csp, "img-src gazette-asset: data:"));
  {
    g_autofree char *probe = g_strdup_printf ("(() => { const i = new Image ();"
                                              " i.src = '%simg/red.png?probe';"
                                              " document.body.appendChild (i); return 1; }) ()",
                                              base_url);
    g_autofree char *ignored = gazette_test_run_js (web_view, probe, NULL);
  }
  gazette_test_spin (1500);
  g_assert_cmpuint (leaked_requests, ==, 0);
  {
    /* The red and the blue image on screen together. */
    g_autofree char *scrolled = gazette_test_run_js (web_view, "window.scrollTo (0, 330); 1", NULL);
  }
  gazette_test_screenshot ("offline-article", 700);
}

static void
test_search (void)
{
  GazetteArticleList *list = gazette_window_get_article_list (window);
  GazetteArticleModel *model = gazette_article_list_get_model (list);
  GazetteArticle *first;

  /* Everything, as typed, accents and all: the Welcome articles and the saved page. */
  gazette_sidebar_set_selection (gazette_window_get_sidebar (window), "all");
  g_assert_true (gazette_test_wait_for (list_has_rows, GUINT_TO_POINTER (2), 30));
  gazette_article_list_start_search (list);
  gazette_article_list_set_search_text (list, "lighth");
  g_assert_true (gazette_test_wait_for (list_has_rows, GUINT_TO_POINTER (1), 30));
  g_assert_cmpstr (gazette_article_list_get_search_text (list), ==, "lighth");
  first = gazette_article_model_peek (model, 0);
  g_assert_nonnull (strstr (gazette_article_get_title (first), "Lighthouse"));
  gazette_article_list_select (list, 0);
  gazette_test_screenshot ("search", 700);

  /* Scoped to the selected source: Saved holds only the page. */
  gazette_sidebar_set_selection (gazette_window_get_sidebar (window), "saved");
  gazette_test_spin (500);
  g_assert_true (gazette_test_wait_for (list_has_rows, GUINT_TO_POINTER (1), 30));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);

  /* Typed operators are words; nothing matches, nothing breaks. */
  gazette_article_list_set_search_text (list, "\"lighthouse OR (*");
  gazette_test_spin (500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  /* Closing the search lists the source again. */
  gazette_article_list_set_search_text (list, NULL);
  g_assert_true (gazette_test_wait_for (list_has_rows, GUINT_TO_POINTER (1), 30));
  g_assert_null (gazette_article_list_get_search_text (list));
}

static gboolean
row_saved (gpointer data)
{
  return gazette_article_get_saved (data) &&
         query_int ("SELECT count(*) FROM articles WHERE saved = 1") >= 2;
}

/* Save for Offline on an article of a feed-like source (the Welcome one): kept for good. */
static void
test_save_from_view (void)
{
  GazetteArticleList *list = gazette_window_get_article_list (window);
  GazetteArticleModel *model = gazette_article_list_get_model (list);
  GazetteArticleView *view = gazette_window_get_article_view (window);
  GazetteArticle *row = NULL;
  gint64 id;

  gazette_sidebar_set_selection (gazette_window_get_sidebar (window), "all");
  g_assert_true (gazette_test_wait_for (list_has_rows, GUINT_TO_POINTER (2), 30));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)) && row == NULL; i++)
    if (!gazette_article_get_saved (gazette_article_model_peek (model, i)))
      {
        row = gazette_article_model_peek (model, i);
        gazette_article_list_select (list, i);
      }
  g_assert_nonnull (row);
  id = gazette_article_get_id (row);
  g_assert_true (gazette_test_wait_for (article_shown, &id, 30));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.save-offline", NULL));
  g_assert_true (gazette_test_wait_for (row_saved, row, 30));
  g_assert_cmpint (query_int ("SELECT count(*) FROM articles WHERE saved_at IS NOT NULL"), >=, 2);
}

static gboolean
summary_known (gpointer data)
{
  return gazette_storage_page_get_summary (data) != NULL;
}

static void
test_storage_page (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *page = g_object_ref_sink (gazette_storage_page_new (settings, store ()));

  g_assert_true (gazette_test_wait_for (summary_known, page, 30));
  g_test_message ("storage: %s", gazette_storage_page_get_summary (GAZETTE_STORAGE_PAGE (page)));
  g_assert_nonnull (strstr (gazette_storage_page_get_summary (GAZETTE_STORAGE_PAGE (page)),
                            "2 saved"));
  gazette_storage_page_clean_up (GAZETTE_STORAGE_PAGE (page));
  gazette_test_spin (500);
  /* The saved page survives any clean-up. */
  g_assert_cmpint (query_int ("SELECT count(*) FROM articles WHERE saved = 1"), ==, 2);
  g_assert_cmpint (query_int ("SELECT count(*) FROM assets"), >=, 2);
  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  int status;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  gazette_test_init_isolated (&argc, &argv);
  if (!gazette_test_have_display ())
    return 0;

  gtk_init ();
  adw_init ();

  {
    guchar *data = g_base64_decode (red_png_b64, &length);

    red_png = g_bytes_new_take (data, length);
    data = g_base64_decode (blue_png_b64, &length);
    blue_png = g_bytes_new_take (data, length);
  }
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  {
    GSList *uris = soup_server_get_uris (server);

    base_url = g_uri_to_string (uris->data);
    g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  }

  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_boolean (settings, "refresh-on-start", FALSE);
    g_settings_set_int (settings, "refresh-interval", 0);
  }
  data_dir = g_dir_make_tmp ("gazette-test-offline-XXXXXX", &error);
  g_assert_no_error (error);
  app = gazette_application_new (data_dir);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_activate (G_APPLICATION (app));
  window = GAZETTE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (GAZETTE_IS_WINDOW (window));

  g_test_add_func ("/ui/offline/saved-article-without-network", test_offline_article);
  g_test_add_func ("/ui/offline/search-as-you-type", test_search);
  g_test_add_func ("/ui/offline/save-from-view", test_save_from_view);
  g_test_add_func ("/ui/offline/storage-page", test_storage_page);
  status = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  gazette_test_spin (200);
  gazette_store_close (store ());
  g_clear_object (&app);
  soup_server_disconnect (server);
  g_clear_object (&server);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (data_dir);

    gazette_test_remove_tree (dir);
  }
  g_free (data_dir);
  g_free (base_url);
  g_bytes_unref (red_png);
  g_bytes_unref (blue_png);
  return status;
}

/* test-content-filter.c — the clutter filter in the app: WebKit content filters in the original
 * view, the per-site switch, the user's list, the removed-blocks line, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <jsc/jsc.h>
#include <libsoup/soup.h>

#include "gazette-application.h"
#include "gazette-article-view.h"
#include "gazette-clutter-preferences.h"
#include "gazette-content-filter.h"
#include "gazette-test-utils.h"
#include "gazette-window.h"

static SoupServer *server;
static char *server_url;     /* "http://127.0.0.1:PORT" */
static char *data_dir;
static GazetteApplication *app;
static GazetteWindow *window;

/* A page with a donation box, a newsletter box and a story between them. */
static const char story_page[] =
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
  "<title>Harbour lights return - Harbour Notes</title>"
  "<meta property=\"og:title\" content=\"Harbour lights return\"></head><body>"
  "<header class=\"masthead\"><a href=\"/\">Harbour Notes</a></header>"
  "<main><article class=\"story\"><h1>Harbour lights return</h1>"
  "<div class=\"donate-box\"><p>Support Harbour Notes! We have a small favor to ask: your "
  "donation keeps us independent. Donate now.</p></div>"
  "<div class=\"story-body\">"
  "<p>For the first time in twenty years the harbour lights were switched on again on Friday "
  "evening, after volunteers replaced every lamp along the north quay by hand.</p>"
  "<p>The work took eleven weekends. Most of the lamps came from a scrapyard in the next town, "
  "and the glass was cut by a retired glazier who had fitted the originals as an apprentice.</p>"
  "<p>The harbour master said the lights would stay on from dusk to midnight through the "
  "winter, and that the town would pay for the electricity from next year.</p>"
  "<div class=\"tide-note\"><p>Tide tables for the week ahead are printed on the quay notice "
  "board every Monday morning by the harbour office.</p></div>"
  "<p>Boats returning late now have a lit path to the slipway, something the fishermen had "
  "asked for since the old lamps failed in a winter storm.</p>"
  "</div>"
  "<div class=\"signup-panel\"><p>Get the Harbour Notes newsletter: the week's stories in your "
  "inbox every Sunday. Sign up for our newsletter.</p></div>"
  "</article></main></body></html>";

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  if (g_str_equal (path, "/story.html"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        story_page, strlen (story_page));
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

/* Main loop helpers */

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  wait_for (flag_set, &done, 10 + ms / 1000);
}

/* Runs @script in an isolated world: page scripts are off in the view, ours still run. */
static char *
run_js (WebKitWebView *web_view,
        const char    *script)
{
  GAsyncResult *result = NULL;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  webkit_web_view_evaluate_javascript (web_view, script, -1, "gazette-test", NULL, NULL,
                                       gazette_test_store_result, &result);
  gazette_test_wait_result (&result);
  value = webkit_web_view_evaluate_javascript_finish (web_view, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  return jsc_value_to_string (value);
}

static void
screenshot (const char *name)
{
  const char *dir = g_getenv ("GAZETTE_TEST_SCREENSHOTS");
  g_autofree char *command = NULL;

  if (dir == NULL)
    return;
  spin (800);
  command = g_strdup_printf ("sh -c 'xwd -root -silent | convert xwd:- %s/%s.png'", dir, name);
  if (!g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL))
    g_test_message ("no screenshot %s", name);
}

static gboolean
filter_loaded (gpointer data)
{
  return gazette_content_filter_get_loaded (data);
}

static gboolean
filter_compiled (gpointer data)
{
  return gazette_content_filter_get_compiled (data) != NULL;
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 gboolean        *finished)
{
  if (event == WEBKIT_LOAD_FINISHED)
    *finished = TRUE;
}

static void
load_and_wait (WebKitWebView *web_view,
               const char    *uri)
{
  gboolean finished = FALSE;
  gulong handler = g_signal_connect (web_view, "load-changed", G_CALLBACK (on_load_changed),
                                     &finished);

  webkit_web_view_load_uri (web_view, uri);
  g_assert_true (wait_for (flag_set, &finished, 30));
  g_signal_handler_disconnect (web_view, handler);
}

static char *
display_of (WebKitWebView *web_view,
            const char    *selector)
{
  g_autofree char *script = g_strdup_printf (
    "getComputedStyle (document.querySelector ('%s')).display", selector);

  return run_js (web_view, script);
}

/* The removed-blocks line: plural forms, each reason once. */
static GazetteClutterRemoval *
removal (const char *reason)
{
  GazetteClutterRemoval *r = g_new0 (GazetteClutterRemoval, 1);

  r->reason = g_strdup (reason);
  r->rule = g_strdup ("##.x");
  r->excerpt = g_strdup ("Support <us> & donate");
  return r;
}

static void
test_removed_summary (void)
{
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func (
                                    (GDestroyNotify) gazette_clutter_removal_free);
  g_autofree char *none = gazette_content_filter_removed_summary (removals);
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;
  g_autofree char *html = NULL;

  g_assert_null (none);
  g_assert_null (gazette_content_filter_removed_summary (NULL));
  g_ptr_array_add (removals, removal ("donation appeal"));
  one = gazette_content_filter_removed_summary (removals);
  g_assert_cmpstr (one, ==, "1 block hidden: donation appeal");

  g_ptr_array_add (removals, removal ("newsletter sign-up"));
  g_ptr_array_add (removals, removal ("donation appeal"));
  g_ptr_array_add (removals, removal ("share buttons"));
  three = gazette_content_filter_removed_summary (removals);
  g_assert_cmpstr (three, ==,
                   "4 blocks hidden: donation appeal, newsletter sign-up, share buttons");

  /* The list under it is escaped. */
  html = gazette_content_filter_removed_html (removals);
  g_assert_true (g_str_has_prefix (html, "<details class=\"gazette-removed\"><summary>4 blocks"));
  g_assert_nonnull (strstr (html, "Support &lt;us&gt; &amp; donate"));
  g_assert_null (strstr (html, "<us>"));
}

static void
test_sites (void)
{
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(GStrv) sites = NULL;
  char *host;

  host = gazette_content_filter_host_for_url ("https://www.Example.com/a/b?c");
  g_assert_cmpstr (host, ==, "example.com");
  g_free (host);
  host = gazette_content_filter_host_for_url ("http://127.0.0.1:8080/story.html");
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_free (host);
  g_assert_null (gazette_content_filter_host_for_url ("resource:///org/gazette/x.html"));
  g_assert_null (gazette_content_filter_host_for_url (NULL));

  g_assert_true (gazette_content_filter_get_enabled_for (filter, "https://news.example.org/1"));
  gazette_content_filter_set_enabled_for (filter, "https://www.example.org/2", FALSE);
  sites = g_settings_get_strv (settings, "filter-disabled-sites");
  g_assert_cmpstr (sites[0], ==, "example.org");
  g_assert_null (sites[1]);
  /* Subdomains follow their site; other sites do not. */
  g_assert_false (gazette_content_filter_get_enabled_for (filter, "https://news.example.org/1"));
  g_assert_true (gazette_content_filter_get_enabled_for (filter, "https://example.com/1"));
  g_assert_true (gazette_content_filter_get_enabled_for (filter, "https://notexample.org/1"));
  g_assert_true (gazette_content_filter_get_enabled_for (filter, NULL));

  gazette_content_filter_set_enabled_for (filter, "https://news.example.org/1", TRUE);
  g_assert_true (gazette_content_filter_get_enabled_for (filter, "https://example.org/"));
  g_settings_reset (settings, "filter-disabled-sites");
}

/* The original view of a loopback page: the compiled content filter hides the donation box;
 * with the site switched off it shows again. */
static void
test_original_view (void)
{
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  g_autofree char *url = g_strconcat (server_url, "/story.html", NULL);
  g_autoptr(WebKitSettings) settings = webkit_settings_new ();
  GtkWidget *test_window = gtk_window_new ();
  WebKitWebView *web_view;
  g_autofree char *display = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *story = NULL;

  g_assert_true (wait_for (filter_loaded, filter, 60));
  g_assert_true (wait_for (filter_compiled, filter, 120));

  /* As in the article view: no page scripts. */
  webkit_settings_set_enable_javascript_markup (settings, FALSE);
  web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW, "settings", settings, NULL);
  gtk_window_set_child (GTK_WINDOW (test_window), GTK_WIDGET (web_view));
  gtk_window_set_default_size (GTK_WINDOW (test_window), 800, 600);
  gtk_window_present (GTK_WINDOW (test_window));

  gazette_content_filter_prepare_view (filter, web_view, url, TRUE);
  load_and_wait (web_view, url);
  display = display_of (web_view, ".donate-box");
  g_assert_cmpstr (display, ==, "none");
  story = display_of (web_view, ".story-body");
  g_assert_cmpstr (story, ==, "block");

  /* The reader view never gets the page rules. */
  gazette_content_filter_prepare_view (filter, web_view, url, FALSE);
  load_and_wait (web_view, url);
  g_free (display);
  display = display_of (web_view, ".donate-box");
  g_assert_cmpstr (display, ==, "block");

  /* Switched off for the site: shown as delivered. */
  gazette_content_filter_set_enabled_for (filter, url, FALSE);
  gazette_content_filter_prepare_view (filter, web_view, url, TRUE);
  load_and_wait (web_view, url);
  shown = display_of (web_view, ".donate-box");
  g_assert_cmpstr (shown, ==, "block");

  gazette_content_filter_set_enabled_for (filter, url, TRUE);
  gazette_content_filter_prepare_view (filter, web_view, url, TRUE);
  load_and_wait (web_view, url);
  g_free (display);
  display = display_of (web_view, ".donate-box");
  g_assert_cmpstr (display, ==, "none");

  gtk_window_destroy (GTK_WINDOW (test_window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", system_data_dirs != NULL ? system_data_dirs
                                                      : "/usr/local/share:/usr/share", TRUE);
  /* Gazette's own list, not whatever EasyList the machine has: the same rules everywhere. */
  g_setenv ("GAZETTE_EASYLIST", "", TRUE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }

  gtk_init ();
  adw_init ();

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  server_url = gazette_test_server_listen (server);

  /* One filter for the program, in folders that outlive each test's isolated ones. */
  data_dir = g_dir_make_tmp ("gazette-test-content-filter-XXXXXX", NULL);
  g_assert_nonnull (data_dir);
  {
    g_autofree char *rules = g_build_filename (data_dir, "filters.txt", NULL);
    g_autofree char *store = g_build_filename (data_dir, "cache", NULL);
    g_autoptr(GazetteContentFilter) filter = gazette_content_filter_new (rules, store);

    gazette_content_filter_set_default (filter);
  }

  g_test_add_func ("/ui/content-filter/removed-summary", test_removed_summary);
  g_test_add_func ("/ui/content-filter/sites", test_sites);
  g_test_add_func ("/ui/content-filter/original-view", test_original_view);

  status = g_test_run ();

  g_clear_object (&server);
  g_free (server_url);
  return status;
}

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
#include "gazette-article-list.h"
#include "gazette-article-model.h"
#include "gazette-article-view.h"
#include "gazette-clutter-preferences.h"
#include "gazette-content-filter.h"
#include "gazette-preferences-window.h"
#include "gazette-test-ui-utils.h"
#include "gazette-test-utils.h"
#include "gazette-window.h"

static SoupServer *server;
static char *server_url;     /* "http://127.0.0.1:PORT" */
static char *data_dir;
static GazetteApplication *app;
static GazetteWindow *window;

/* A page with a donation link in its header, and a story with an appeal and a newsletter box
 * inside it whose class names say nothing (only their text gives them away). */
static const char story_page[] =
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
  "<title>Harbour lights return - Harbour Notes</title>"
  "<meta property=\"og:title\" content=\"Harbour lights return\"></head><body>"
  "<header class=\"masthead\"><a href=\"/\">Harbour Notes</a>"
  "<div class=\"donate-box\"><a href=\"/donate\">Donate to Harbour Notes</a></div></header>"
  "<main><article class=\"story\"><h1>Harbour lights return</h1>"
  "<div class=\"story-body\">"
  "<p>For the first time in twenty years the harbour lights were switched on again on Friday "
  "evening, after volunteers replaced every lamp along the north quay by hand.</p>"
  "<div class=\"c-a91\"><p>Support Harbour Notes! We have a small favor to ask: your "
  "donation keeps us independent. Donate now.</p></div>"
  "<p>The work took eleven weekends. Most of the lamps came from a scrapyard in the next town, "
  "and the glass was cut by a retired glazier who had fitted the originals as an apprentice.</p>"
  "<p>The harbour master said the lights would stay on from dusk to midnight through the "
  "winter, and that the town would pay for the electricity from next year.</p>"
  "<div class=\"tide-note\"><p>Tide tables for the week ahead are printed on the quay notice "
  "board every Monday morning by the harbour office.</p></div>"
  "<p>Boats returning late now have a lit path to the slipway, something the fishermen had "
  "asked for since the old lamps failed in a winter storm.</p>"
  "<div class=\"c-b22\"><p>Get the Harbour Notes newsletter: the week's stories in your "
  "inbox every Sunday. Sign up for our newsletter.</p></div>"
  "</div>"
  "</article></main></body></html>";

/* The page behind a reader view kept from a refresh: "Hide Blocks Like This" fetches it again. */
static const char ferry_page[] =
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
  "<title>Ferry timetable changes</title></head><body><main><article>"
  "<h1>Ferry timetable changes</h1><div class=\"story-body\">"
  "<p>The ferry runs later from Monday, the port authority said, and the last boat now leaves "
  "the island at eleven in the evening instead of nine.</p>"
  "<div class=\"ferry-note\"><p>Ferry tickets can be bought at the kiosk on the pier from seven "
  "in the morning, or from the conductor on board.</p></div>"
  "<p>Islanders had asked for the change for years, saying the early last boat cut them off "
  "from evening classes, concerts and late shifts on the mainland.</p>"
  "<p>The authority will review the timetable after the summer, when it has counted how many "
  "passengers use the late crossings on weekdays and at weekends.</p>"
  "</div></article></main></body></html>";

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  if (g_str_equal (path, "/ferry.html"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        ferry_page, strlen (ferry_page));
    }
  else if (g_str_equal (path, "/story.html"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        story_page, strlen (story_page));
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static gboolean
filter_loaded (gpointer data)
{
  return gazette_content_filter_get_loaded (data);
}

static gboolean
filter_compiled (gpointer data)
{
  return gazette_content_filter_get_up_to_date (data);
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
  g_assert_true (gazette_test_wait_for (gazette_test_flag_set, &finished, 30));
  g_signal_handler_disconnect (web_view, handler);
}

static char *
display_of (WebKitWebView *web_view,
            const char    *selector)
{
  g_autofree char *script = g_strdup_printf (
    "getComputedStyle (document.querySelector ('%s')).display", selector);

  return gazette_test_run_js (web_view, script, "gazette-test");
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

  g_assert_true (gazette_test_wait_for (filter_loaded, filter, 60));
  {
    GAsyncResult *result = NULL;
    g_autoptr(GError) error = NULL;

    gazette_content_filter_save_user_rules_async (filter, "##.donate-box\n", NULL,
                                                  gazette_test_store_result, &result);
    g_assert_true (gazette_content_filter_save_user_rules_finish (
                     filter, gazette_test_wait_result (&result), &error));
    g_assert_no_error (error);
    g_object_unref (result);
  }
  g_assert_true (gazette_test_wait_for (filter_compiled, filter, 120));

  /* As in the article view: no page scripts. */
  webkit_settings_set_enable_javascript_markup (settings, FALSE);
  web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW, "settings", settings, NULL);
  gtk_window_set_child (GTK_WINDOW (test_window), GTK_WIDGET (web_view));
  gtk_window_set_default_size (GTK_WINDOW (test_window), 800, 600);
  gtk_window_present (GTK_WINDOW (test_window));

  gazette_content_filter_prepare_view (filter, web_view, url, TRUE, NULL);
  load_and_wait (web_view, url);
  display = display_of (web_view, ".donate-box");
  g_assert_cmpstr (display, ==, "none");
  story = display_of (web_view, ".story-body");
  g_assert_cmpstr (story, ==, "block");

  /* The compiled content filter alone hides it (the style sheet only bridges the compiling). */
  gazette_content_filter_prepare_view (filter, web_view, url, TRUE, NULL);
  webkit_user_content_manager_remove_all_style_sheets (
    webkit_web_view_get_user_content_manager (web_view));
  load_and_wait (web_view, url);
  g_free (display);
  display = display_of (web_view, ".donate-box");
  g_assert_cmpstr (display, ==, "none");

  /* The same for a page loaded from a string with the site's address as base, as the article
   * view shows a stored page. */
  {
    gboolean finished = FALSE;
    gulong handler = g_signal_connect (web_view, "load-changed", G_CALLBACK (on_load_changed),
                                       &finished);

    webkit_web_view_load_html (web_view, story_page, url);
    g_assert_true (gazette_test_wait_for (gazette_test_flag_set, &finished, 30));
    g_signal_handler_disconnect (web_view, handler);
    g_free (display);
    display = display_of (web_view, ".donate-box");
    g_assert_cmpstr (display, ==, "none");
  }

  /* The reader view never gets the page rules. */
  gazette_content_filter_prepare_view (filter, web_view, url, FALSE, NULL);
  load_and_wait (web_view, url);
  g_free (display);
  display = display_of (web_view, ".donate-box");
  g_assert_cmpstr (display, ==, "block");

  /* Switched off for the site: shown as delivered. */
  gazette_content_filter_set_enabled_for (filter, url, FALSE);
  gazette_content_filter_prepare_view (filter, web_view, url, TRUE, NULL);
  load_and_wait (web_view, url);
  shown = display_of (web_view, ".donate-box");
  g_assert_cmpstr (shown, ==, "block");

  gazette_content_filter_set_enabled_for (filter, url, TRUE);
  gazette_content_filter_prepare_view (filter, web_view, url, TRUE, NULL);
  load_and_wait (web_view, url);
  g_free (display);
  display = display_of (web_view, ".donate-box");
  g_assert_cmpstr (display, ==, "none");

  /* Persisted as written. */
  {
    g_autofree char *saved = NULL;

    g_assert_true (g_file_get_contents (gazette_content_filter_get_rules_path (filter), &saved,
                                        NULL, NULL));
    g_assert_cmpstr (saved, ==, "##.donate-box\n");
  }

  gtk_window_destroy (GTK_WINDOW (test_window));
}

/* The app: a stored page of a loopback site shown in the article view */

static gboolean
welcome_listed (gpointer data)
{
  GazetteArticleModel *model = gazette_article_list_get_model (
                                 gazette_window_get_article_list (window));

  return g_list_model_get_n_items (G_LIST_MODEL (model)) >= 4;
}

static void
count_shown (guint *count)
{
  (*count)++;
}

static gboolean
counted (gpointer data)
{
  return *(guint *) data > 0;
}

static gint64 source_id;

/* Stores @html as a page of @url and shows it; returns the row. */
static gint64 shown_row_id;

static void
record_shown (GazetteArticleView *view,
              GazetteArticle     *row,
              gint64             *out_id)
{
  *out_id = row != NULL ? gazette_article_get_id (row) : 0;
}

static gboolean
row_shown (gpointer data)
{
  return shown_row_id == *(gint64 *) data;
}

/* Adds @article to the library and shows it as a reader would; returns it. */
static GazetteArticle *
show_article (GazetteArticle *article)
{
  GazetteStore *store = gazette_library_get_store (gazette_application_get_library (app));
  GazetteArticleView *view = gazette_window_get_article_view (window);
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  gulong handler;
  gint64 id;

  g_assert_true (gazette_test_wait_for (welcome_listed, NULL, 60));
  if (source_id == 0)
    {
      g_autoptr(GazetteSource) source = gazette_source_new (GAZETTE_SOURCE_KIND_PAGES,
                                                            "Saved pages", NULL);

      gazette_store_add_source_async (store, source, NULL, gazette_test_store_result, &result);
      source_id = gazette_store_add_source_finish (store, gazette_test_wait_result (&result),
                                                   &error);
      g_clear_object (&result);
      g_assert_no_error (error);
    }

  gazette_store_add_article_async (store, source_id, article, NULL, gazette_test_store_result,
                                   &result);
  id = gazette_store_add_article_finish (store, gazette_test_wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  gazette_article_set_id (article, id);

  /* Waits for a load of this article that starts from here: ids are reused after a removal, so
   * the view may already show an earlier article with the same id. */
  shown_row_id = 0;
  handler = g_signal_connect (view, "shown", G_CALLBACK (record_shown), &shown_row_id);

  /* Selected in the list, as a reader would, once the list has it. */
  {
    GazetteArticleList *list = gazette_window_get_article_list (window);
    GazetteArticleModel *model = gazette_article_list_get_model (list);
    gboolean selected = FALSE;

    for (guint tries = 0; tries < 50 && !selected; tries++)
      {
        for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
          if (gazette_article_get_id (gazette_article_model_peek (model, i)) == id)
            {
              gazette_article_list_select (list, i);
              selected = TRUE;
              break;
            }
        if (!selected)
          gazette_test_spin (100);
      }
    if (!selected)
      gazette_article_view_show (view, article);
  }
  g_assert_true (gazette_test_wait_for (row_shown, &id, 60));
  g_signal_handler_disconnect (view, handler);
  return article;
}

static GazetteArticle *
show_page (const char *url,
           const char *title,
           const char *html)
{
  GazetteArticle *article = gazette_article_new ();

  gazette_article_set_guid (article, url);
  gazette_article_set_url (article, url);
  gazette_article_set_title (article, title);
  gazette_article_set_content (article, html);
  return show_article (article);
}

/* Waits for the view to show the article again (after a setting or the rules changed). */
typedef struct {
  guint   shown;
  gulong  handler;
} Reshow;

static void
reshow_begin (Reshow *reshow)
{
  reshow->shown = 0;
  reshow->handler = g_signal_connect_swapped (gazette_window_get_article_view (window), "shown",
                                              G_CALLBACK (count_shown), &reshow->shown);
}

static void
reshow_wait (Reshow *reshow)
{
  g_assert_true (gazette_test_wait_for (counted, &reshow->shown, 60));
  g_signal_handler_disconnect (gazette_window_get_article_view (window), reshow->handler);
  gazette_test_spin (100);
}

static char *
body_text (WebKitWebView *web_view)
{
  return gazette_test_run_js (web_view,
                              "document.querySelector ('.article-body').textContent",
                              "gazette-test");
}

static gboolean
file_contains (gpointer data)
{
  const char **args = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (args[0], &text, NULL, NULL) && strstr (text, args[1]) != NULL;
}

/* An article extracted during a refresh (its link fetched for the full text): the line under it
 * says what was hidden then, from what the store kept beside it. */
static void
test_full_article (void)
{
  GazetteArticleView *view = gazette_window_get_article_view (window);
  WebKitWebView *web_view = gazette_article_view_get_web_view (view);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = g_strconcat (server_url, "/full-article.html", NULL);
  g_autoptr(GazetteArticle) article = gazette_article_new ();
  g_autoptr(GazetteArticle) shown = NULL;
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   gazette_clutter_removal_free);
  g_autofree char *removed = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *items = NULL;
  g_autofree char *text = NULL;
  GazetteClutterRemoval *removal;

  g_settings_set_boolean (settings, "reader-view", TRUE);
  removal = g_new0 (GazetteClutterRemoval, 1);
  removal->reason = g_strdup ("donation appeal");
  removal->rule = g_strdup ("heuristic:appeal-text(en)");
  removal->excerpt = g_strdup ("We have a small favor to ask");
  g_ptr_array_add (removals, removal);
  removal = g_new0 (GazetteClutterRemoval, 1);
  removal->reason = g_strdup ("share buttons");
  removal->rule = g_strdup ("##.share-bar");
  g_ptr_array_add (removals, removal);
  removed = gazette_clutter_removals_to_string (removals);

  gazette_article_set_guid (article, url);
  gazette_article_set_url (article, url);
  gazette_article_set_title (article, "Ferry timetable changes");
  gazette_article_set_content (article, "<p>The ferry runs later from Monday.</p>");
  gazette_article_set_reader_html (article, "<p>The ferry runs later from Monday, the port "
                                   "authority said, and the last boat now leaves at eleven.</p>");
  gazette_article_set_reader_removed (article, removed);
  shown = show_article (g_object_ref (article));

  text = body_text (web_view);
  g_assert_nonnull (strstr (text, "the last boat now leaves at eleven"));
  summary = gazette_test_run_js (web_view,
                                 "document.querySelector ('.gazette-removed summary').textContent",
                                 "gazette-test");
  g_assert_cmpstr (summary, ==, "2 blocks hidden: donation appeal, share buttons");
  items = gazette_test_run_js (web_view,
                               "document.querySelector ('.gazette-removed ul').textContent",
                               "gazette-test");
  g_assert_nonnull (strstr (items, "We have a small favor to ask"));
  g_assert_nonnull (strstr (items, "##.share-bar"));
}

static void
record_message (GazetteArticleView *view,
                const char         *message,
                char              **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Points "Hide Blocks Like This" at the paragraph of the reader view that has @text. */
static void
hide_block_with_text (GazetteArticleView *view,
                      const char         *text)
{
  WebKitWebView *web_view = gazette_article_view_get_web_view (view);
  g_autofree char *script = g_strdup_printf (
    "(function () {"
    "  var p = [...document.querySelectorAll ('.article-body p')]"
    "            .find (p => p.textContent.includes ('%s'));"
    "  p.scrollIntoView ();"
    "  var r = p.getBoundingClientRect ();"
    "  return (r.left + 10) + ' ' + (r.top + r.height / 2);"
    "}) ()", text);
  g_autofree char *where = gazette_test_run_js (web_view, script, "gazette-test");
  g_auto(GStrv) xy = g_strsplit (where, " ", 2);

  gazette_article_view_hide_block_at (view, g_ascii_strtod (xy[0], NULL),
                                      g_ascii_strtod (xy[1], NULL));
}

/* A reader view kept from a refresh has no page stored with it: "Hide Blocks Like This"
 * fetches the page again, writes the rule, and the block goes at once; the kept view is
 * replaced. A page that cannot be fetched says so. */
static void
test_hide_block_refetched (void)
{
  GazetteArticleView *view = gazette_window_get_article_view (window);
  WebKitWebView *web_view = gazette_article_view_get_web_view (view);
  GazetteStore *store = gazette_library_get_store (gazette_application_get_library (app));
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = g_strconcat (server_url, "/ferry.html", NULL);
  g_autofree char *gone_url = g_strconcat (server_url, "/gone.html", NULL);
  g_autofree char *rules_path = g_strdup (gazette_content_filter_get_rules_path (filter));
  const char *args[] = { rules_path, "127.0.0.1##", NULL };
  const char *kept = "<p>The ferry runs later from Monday, the port authority said, and the "
                     "last boat now leaves the island at eleven in the evening instead of nine."
                     "</p><p>Ferry tickets can be bought at the kiosk on the pier from seven in "
                     "the morning, or from the conductor on board.</p><p>Islanders had asked "
                     "for the change for years.</p>";
  g_autoptr(GazetteArticle) article = gazette_article_new ();
  g_autoptr(GazetteArticle) gone = gazette_article_new ();
  g_autoptr(GazetteArticle) shown = NULL;
  g_autoptr(GazetteArticle) shown_gone = NULL;
  g_autoptr(GazetteArticle) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  GAsyncResult *result = NULL;
  gulong handler;
  Reshow reshow;

  g_settings_set_boolean (settings, "reader-view", TRUE);
  g_assert_true (gazette_test_wait_for (filter_loaded, filter, 60));
  handler = g_signal_connect (view, "message", G_CALLBACK (record_message), &message);

  gazette_article_set_guid (article, url);
  gazette_article_set_url (article, url);
  gazette_article_set_title (article, "Ferry timetable changes");
  gazette_article_set_content (article, "<p>The ferry runs later from Monday.</p>");
  gazette_article_set_reader_html (article, kept);
  shown = show_article (g_object_ref (article));
  text = body_text (web_view);
  g_assert_nonnull (strstr (text, "Ferry tickets can be bought"));

  reshow_begin (&reshow);
  hide_block_with_text (view, "Ferry tickets");
  g_assert_true (gazette_test_wait_for (file_contains, args, 30));
  reshow_wait (&reshow);
  g_free (text);
  text = body_text (web_view);
  g_assert_null (strstr (text, "Ferry tickets"));
  g_assert_nonnull (strstr (text, "the last boat now leaves the island at eleven"));
  g_assert_nonnull (strstr (text, "late crossings"));
  g_assert_true (gazette_test_wait_for (string_set, &message, 30));
  g_assert_cmpstr (message, ==, "Blocks like this are now hidden on 127.0.0.1");
  gazette_test_screenshot ("clutter-hide-block-refetched", 300);
  {
    g_autofree char *saved = NULL;

    g_assert_true (g_file_get_contents (rules_path, &saved, NULL, NULL));
    g_test_message ("user rules: %s", saved);
    g_assert_nonnull (strstr (saved, "ferry-note"));
  }
  /* The new view replaced the kept one. */
  for (guint tries = 0; tries < 50; tries++)
    {
      g_clear_object (&stored);
      gazette_store_load_article_async (store, gazette_article_get_id (shown), NULL,
                                        gazette_test_store_result, &result);
      stored = gazette_store_load_article_finish (store, gazette_test_wait_result (&result),
                                                  &error);
      g_clear_object (&result);
      g_assert_no_error (error);
      if (strstr (gazette_article_get_reader_html (stored), "Ferry tickets") == NULL)
        break;
      gazette_test_spin (100);
    }
  g_assert_null (strstr (gazette_article_get_reader_html (stored), "Ferry tickets"));
  g_assert_nonnull (strstr (gazette_article_get_reader_html (stored), "late crossings"));

  /* The page is gone: a message, and nothing else changes. */
  g_clear_pointer (&message, g_free);
  gazette_article_set_guid (gone, gone_url);
  gazette_article_set_url (gone, gone_url);
  gazette_article_set_title (gone, "Bus timetable changes");
  gazette_article_set_content (gone, "<p>Buses run later.</p>");
  gazette_article_set_reader_html (gone, "<p>Buses run later from Monday, the council said, and "
                                   "the last bus now leaves the station at midnight.</p>");
  shown_gone = show_article (g_object_ref (gone));
  hide_block_with_text (view, "Buses run later");
  g_assert_true (gazette_test_wait_for (string_set, &message, 30));
  g_test_message ("message: %s", message);
  g_assert_true (g_str_has_prefix (message, "Could not load the page to find that block: "));
  g_signal_handler_disconnect (view, handler);
}

static void
test_article_view (void)
{
  GazetteArticleView *view = gazette_window_get_article_view (window);
  WebKitWebView *web_view = gazette_article_view_get_web_view (view);
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = g_strconcat (server_url, "/story.html", NULL);
  g_autoptr(GazetteArticle) row = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *text = NULL;
  Reshow reshow;

  g_assert_true (gazette_test_wait_for (filter_loaded, filter, 60));
  row = show_page (url, "Harbour lights return", story_page);

  /* Reader view: the story without the appeal and the newsletter box, and a line saying so. */
  text = body_text (web_view);
  g_assert_nonnull (strstr (text, "harbour lights were switched on"));
  g_assert_null (strstr (text, "small favor to ask"));
  g_assert_null (strstr (text, "Sign up for our newsletter"));
  summary = gazette_test_run_js (web_view,
                                 "document.querySelector ('.gazette-removed summary').textContent",
                                 "gazette-test");
  g_test_message ("removed: %s", summary);
  g_assert_nonnull (strstr (summary, " blocks hidden: "));
  g_assert_nonnull (strstr (summary, "donation appeal"));
  g_assert_nonnull (strstr (summary, "newsletter sign-up"));

  /* The per-site switch: off, the page's blocks stay and nothing is listed. */
  reshow_begin (&reshow);
  gtk_widget_activate_action (GTK_WIDGET (view), "clutter.toggle-site", NULL);
  reshow_wait (&reshow);
  g_assert_false (gazette_content_filter_get_enabled_for (filter, url));
  g_free (text);
  text = body_text (web_view);
  g_assert_nonnull (strstr (text, "small favor to ask"));
  g_free (summary);
  summary = gazette_test_run_js (web_view,
                                 "String (document.querySelector ('.gazette-removed'))",
                                 "gazette-test");
  g_assert_cmpstr (summary, ==, "null");

  reshow_begin (&reshow);
  gtk_widget_activate_action (GTK_WIDGET (view), "clutter.toggle-site", NULL);
  reshow_wait (&reshow);
  g_assert_true (gazette_content_filter_get_enabled_for (filter, url));
  g_free (text);
  text = body_text (web_view);
  g_assert_null (strstr (text, "small favor to ask"));

  /* Hide Blocks Like This on the tide note, under the point the context menu would use. */
  {
    g_autofree char *rules_path = g_strdup (gazette_content_filter_get_rules_path (filter));
    const char *args[] = { rules_path, "127.0.0.1##", NULL };

    reshow_begin (&reshow);
    hide_block_with_text (view, "Tide tables");
    g_assert_true (gazette_test_wait_for (file_contains, args, 30));
    reshow_wait (&reshow);
    g_free (text);
    text = body_text (web_view);
    g_assert_null (strstr (text, "Tide tables"));
    g_assert_nonnull (strstr (text, "harbour lights were switched on"));
    g_assert_nonnull (strstr (text, "Boats returning late"));
    {
      g_autofree char *saved = NULL;

      g_assert_true (g_file_get_contents (rules_path, &saved, NULL, NULL));
      g_test_message ("user rules: %s", saved);
    }
  }

  /* Original view: the stored page with its classes; the user's rule hides the tide note
   * there too, through the compiled content filter and the site's style sheet. */
  reshow_begin (&reshow);
  g_settings_set_boolean (settings, "reader-view", FALSE);
  reshow_wait (&reshow);
  g_assert_true (gazette_test_wait_for (filter_compiled, filter, 120));
  {
    g_autofree char *tide = display_of (web_view, ".tide-note");
    g_autofree char *story = display_of (web_view, ".story-body");

    /* Only the heuristics know the appeal (its class says nothing): hidden there too. */
    g_autofree char *appeal = display_of (web_view, ".c-a91");

    g_assert_cmpstr (tide, ==, "none");
    g_assert_cmpstr (story, ==, "block");
    g_assert_cmpstr (appeal, ==, "none");
  }

  /* Switched off for the site, the original page is shown as stored. */
  reshow_begin (&reshow);
  gazette_content_filter_set_enabled_for (filter, url, FALSE);
  reshow_wait (&reshow);
  {
    g_autofree char *tide = display_of (web_view, ".tide-note");
    g_autofree char *appeal = display_of (web_view, ".c-a91");

    g_assert_cmpstr (tide, ==, "block");
    g_assert_cmpstr (appeal, ==, "block");
  }
  reshow_begin (&reshow);
  gazette_content_filter_set_enabled_for (filter, url, TRUE);
  reshow_wait (&reshow);
  reshow_begin (&reshow);
  g_settings_set_boolean (settings, "reader-view", TRUE);
  reshow_wait (&reshow);
}

/* Preferences: the user's list is written to the file, malformed lines are reported by number,
 * and the next render applies the list. */
static gboolean
filter_has_warnings (gpointer data)
{
  GPtrArray *warnings = gazette_content_filter_get_warnings (data);

  return warnings != NULL && warnings->len > 0;
}

static void
test_preferences (void)
{
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  GazetteArticleView *view = gazette_window_get_article_view (window);
  WebKitWebView *web_view = gazette_article_view_get_web_view (view);
  GtkWidget *page = gazette_clutter_preferences_new (filter);
  GtkTextBuffer *buffer;
  g_autofree char *url = g_strconcat (server_url, "/story.html", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *text = NULL;
  g_autofree char *rules = g_strdup_printf ("! mine\n127.0.0.1##.story-body > p:nth-child(4)\n"
                                            "127.0.0.1##div[\n");
  GPtrArray *warnings;
  Reshow reshow;

  g_object_ref_sink (page);
  buffer = gtk_text_view_get_buffer (gazette_clutter_preferences_get_text_view (
                                       GAZETTE_CLUTTER_PREFERENCES (page)));
  gtk_text_buffer_set_text (buffer, rules, -1);
  reshow_begin (&reshow);
  gazette_clutter_preferences_save (GAZETTE_CLUTTER_PREFERENCES (page));
  g_assert_true (gazette_test_wait_for (filter_has_warnings, filter, 30));
  reshow_wait (&reshow);

  g_assert_true (g_file_get_contents (gazette_content_filter_get_rules_path (filter), &saved,
                                      NULL, NULL));
  g_assert_cmpstr (saved, ==, rules);
  warnings = gazette_content_filter_get_warnings (filter);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_test_message ("warning: %s", (char *) g_ptr_array_index (warnings, 0));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "line 3"));

  /* Applied: the third paragraph of the story is gone from the reader view. */
  text = body_text (web_view);
  g_assert_null (strstr (text, "The harbour master said"));
  g_assert_nonnull (strstr (text, "harbour lights were switched on"));
  g_object_unref (page);

  /* Cleared again for the next tests. */
  reshow_begin (&reshow);
  {
    GAsyncResult *result = NULL;
    g_autoptr(GError) error = NULL;

    gazette_content_filter_save_user_rules_async (filter, "", NULL, gazette_test_store_result,
                                                  &result);
    g_assert_true (gazette_content_filter_save_user_rules_finish (
                     filter, gazette_test_wait_result (&result), &error));
    g_assert_no_error (error);
    g_object_unref (result);
  }
  reshow_wait (&reshow);
  (void) url;
}

static gboolean
find_page (GtkWidget *widget,
           GtkWidget **found)
{
  if (GAZETTE_IS_CLUTTER_PREFERENCES (widget))
    {
      *found = widget;
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_page (child, found))
      return TRUE;
  return FALSE;
}

static void
test_preferences_window (void)
{
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GazettePreferencesWindow *prefs = gazette_preferences_window_new (settings);
  GtkWidget *page = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  const char *rules = "! Hidden on every site\n##.newsletter-box\n"
                      "! Hidden on one site\nexample.com##.donate-box\n"
                      "example.org##div[\n";

  gazette_content_filter_save_user_rules_async (filter, rules, NULL, gazette_test_store_result,
                                                &result);
  g_assert_true (gazette_content_filter_save_user_rules_finish (
                   filter, gazette_test_wait_result (&result), &error));
  g_clear_object (&result);
  gazette_content_filter_set_enabled_for (filter, "https://news.example.net/", FALSE);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (prefs), 640, 820);
  gtk_window_present (GTK_WINDOW (prefs));
  g_assert_true (find_page (GTK_WIDGET (prefs), &page));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (page));
  /* The page shows the file's text and the skipped line by its number. */
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (gazette_clutter_preferences_get_text_view (
                                                        GAZETTE_CLUTTER_PREFERENCES (page)));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, rules);
  }
  gazette_test_screenshot_window (GTK_WINDOW (prefs), "clutter-preferences", 800);

  gtk_window_destroy (GTK_WINDOW (prefs));
  gazette_content_filter_set_enabled_for (filter, "https://news.example.net/", TRUE);
  gazette_content_filter_save_user_rules_async (filter, "", NULL, gazette_test_store_result,
                                                &result);
  g_assert_true (gazette_content_filter_save_user_rules_finish (
                   filter, gazette_test_wait_result (&result), &error));
  g_clear_object (&result);
}

/* Compiled filters are kept by a hash of their rules: a second start with the same rules finds
 * the one compiled before, and a filter of older rules is removed. */
static guint
count_compiled (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (strstr (name, "gazette-rules-") != NULL)
      n++;
  return n;
}

static gboolean
one_compiled (gpointer dir)
{
  return count_compiled (dir) == 1;
}

static void
test_cache (void)
{
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  g_autofree char *store = g_build_filename (data_dir, "content-filters", NULL);
  g_autofree char *rules = g_build_filename (data_dir, "filters.txt", NULL);
  g_autoptr(GazetteContentFilter) again = NULL;

  g_assert_true (gazette_test_wait_for (filter_compiled, filter, 120));
  g_assert_true (gazette_test_wait_for (one_compiled, store, 30));

  again = gazette_content_filter_new (rules, store);
  g_assert_true (gazette_test_wait_for (filter_compiled, again, 120));
  g_assert_cmpstr (webkit_user_content_filter_get_identifier (
                     gazette_content_filter_get_compiled (again)), ==,
                   webkit_user_content_filter_get_identifier (
                     gazette_content_filter_get_compiled (filter)));
  g_assert_cmpuint (count_compiled (store), ==, 1);
}

static gboolean
find_menu_button (GtkWidget  *widget,
                  GtkWidget **found)
{
  if (GTK_IS_MENU_BUTTON (widget))
    {
      *found = widget;
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_menu_button (child, found))
      return TRUE;
  return FALSE;
}

/* Screenshots of the Moscow Times seed page, served from loopback, in both views. */
static void
test_screenshots (void)
{
  const char *corpus = g_getenv ("GAZETTE_CORPUS_DIR");
  g_autofree char *path = NULL;
  g_autofree char *html = NULL;
  g_autofree char *url = g_strconcat (server_url, "/2019/12/07/minsk-protest", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GazetteArticle) row = NULL;
  GazetteContentFilter *filter = gazette_content_filter_get_default ();
  WebKitWebView *web_view = gazette_article_view_get_web_view (
                              gazette_window_get_article_view (window));
  const char *scroll_to_end =
    "(function () {"
    "  var p = [...document.querySelectorAll ('p')]"
    "            .find (p => p.textContent.includes ('Reuters contributed'));"
    "  if (p) { p.scrollIntoView (); window.scrollBy (0, -40); }"
    "  return 'ok';"
    "}) ()";
  Reshow reshow;

  if (g_getenv ("GAZETTE_TEST_SCREENSHOTS") == NULL || corpus == NULL)
    {
      g_test_skip ("GAZETTE_TEST_SCREENSHOTS and GAZETTE_CORPUS_DIR are not both set");
      return;
    }
  path = g_build_filename (corpus, "clutter", "moscow-times-belarus-protest", "source.html",
                           NULL);
  if (!g_file_get_contents (path, &html, NULL, NULL))
    {
      g_test_skip ("no corpus");
      return;
    }
  g_assert_true (gazette_test_wait_for (filter_compiled, filter, 120));
  row = show_page (url, "Hundreds Protest Russia-Belarus Integration Pact in Minsk", html);
  gazette_test_screenshot ("clutter-reader", 800);

  /* The article menu with the per-site switch. */
  {
    GtkWidget *button = NULL;

    if (find_menu_button (GTK_WIDGET (gazette_window_get_article_view (window)), &button))
      {
        gtk_menu_button_popup (GTK_MENU_BUTTON (button));
        gazette_test_screenshot ("clutter-menu", 800);
        gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
      }
  }

  /* The original page from the end of the story on, where the appeal and the newsletter box
   * sit. */
  reshow_begin (&reshow);
  g_settings_set_boolean (settings, "reader-view", FALSE);
  reshow_wait (&reshow);
  g_free (gazette_test_run_js (web_view, scroll_to_end, "gazette-test"));
  gazette_test_screenshot ("clutter-original-filtered", 800);

  reshow_begin (&reshow);
  gazette_content_filter_set_enabled_for (filter, url, FALSE);
  reshow_wait (&reshow);
  g_free (gazette_test_run_js (web_view, scroll_to_end, "gazette-test"));
  gazette_test_screenshot ("clutter-original-unfiltered", 800);

  gazette_content_filter_set_enabled_for (filter, url, TRUE);
  g_settings_set_boolean (settings, "reader-view", TRUE);
  gazette_test_spin (1000);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gazette_test_init_isolated (&argc, &argv);
  /* Gazette's own list, not whatever EasyList the machine has: the same rules everywhere (the
   * screenshots show the app as installed). */
  if (g_getenv ("GAZETTE_TEST_SCREENSHOTS") == NULL)
    g_setenv ("GAZETTE_EASYLIST", "", TRUE);

  if (!gazette_test_have_display ())
    return 0;

  gtk_init ();
  adw_init ();

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  server_url = gazette_test_server_listen (server);

  /* The application lives across the tests (their XDG folders do not): its library and the
   * user's filter list go in a folder of their own. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autoptr(GError) error = NULL;

    data_dir = g_dir_make_tmp ("gazette-test-content-filter-XXXXXX", &error);
    g_assert_no_error (error);
    g_settings_set_boolean (settings, "refresh-on-start", FALSE);
    g_settings_set_int (settings, "refresh-interval", 0);
    app = gazette_application_new (data_dir);
    g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
    g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
    g_assert_no_error (error);
    /* Outside a test case the isolated cache folder is /dev/null: compiled filters go with the
     * library. Set before the window (and its article view) exists. */
    {
      g_autofree char *rules = g_build_filename (data_dir, "filters.txt", NULL);
      g_autofree char *store = g_build_filename (data_dir, "content-filters", NULL);
      g_autoptr(GazetteContentFilter) filter = gazette_content_filter_new (rules, store);

      gazette_content_filter_set_default (filter);
    }
    g_application_activate (G_APPLICATION (app));
    window = GAZETTE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
    g_assert_true (GAZETTE_IS_WINDOW (window));
  }

  g_test_add_func ("/ui/content-filter/removed-summary", test_removed_summary);
  g_test_add_func ("/ui/content-filter/sites", test_sites);
  g_test_add_func ("/ui/content-filter/original-view", test_original_view);
  g_test_add_func ("/ui/content-filter/full-article", test_full_article);
  g_test_add_func ("/ui/content-filter/article-view", test_article_view);
  g_test_add_func ("/ui/content-filter/preferences", test_preferences);
  g_test_add_func ("/ui/content-filter/preferences-window", test_preferences_window);
  g_test_add_func ("/ui/content-filter/cache", test_cache);
  /* A tool for the docs, not a check: registered only when asked for, so it never counts as a
   * skipped test. */
  if (g_getenv ("GAZETTE_TEST_SCREENSHOTS") != NULL)
    g_test_add_func ("/ui/content-filter/screenshots", test_screenshots);
  /* Last: it shows other articles than the story the ones above look at, and leaves a toast. */
  g_test_add_func ("/ui/content-filter/hide-block-refetched", test_hide_block_refetched);

  status = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  gazette_test_spin (200);
  gazette_store_close (gazette_library_get_store (gazette_application_get_library (app)));
  g_clear_object (&app);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (data_dir);

    gazette_test_remove_tree (dir);
    g_free (data_dir);
  }
  g_clear_object (&server);
  g_free (server_url);
  return status;
}

/* test-window.c — the application and its window on a fresh library, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>
#include <jsc/jsc.h>

#include "gazette-application.h"
#include "gazette-article-model.h"
#include "gazette-window.h"

static GazetteApplication *app;
static GazetteWindow *window;

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
idle_quit (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Lets pending idles and signals run. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, idle_quit, &done);
  wait_for (flag_set, &done, 10 + ms / 1000);
}

typedef struct {
  GAsyncResult *result;
} EvalData;

static void
eval_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  EvalData *data = user_data;
  data->result = g_object_ref (result);
}

static gboolean
eval_done (gpointer data)
{
  return ((EvalData *) data)->result != NULL;
}

static char *
run_js (WebKitWebView *web_view,
        const char    *script)
{
  EvalData data = { NULL };
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  webkit_web_view_evaluate_javascript (web_view, script, -1, NULL, NULL, NULL, eval_cb, &data);
  g_assert_true (wait_for (eval_done, &data, 20));
  value = webkit_web_view_evaluate_javascript_finish (web_view, data.result, &error);
  g_object_unref (data.result);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  return jsc_value_to_string (value);
}

/* With GAZETTE_TEST_SCREENSHOTS=DIR, saves the screen as DIR/NAME.png (xwd and ImageMagick). */
static void
screenshot (const char *name)
{
  const char *dir = g_getenv ("GAZETTE_TEST_SCREENSHOTS");
  g_autofree char *command = NULL;

  if (dir == NULL)
    return;
  spin (500);
  command = g_strdup_printf ("sh -c 'xwd -root -silent | convert xwd:- %s/%s.png'", dir, name);
  if (!g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL))
    g_test_message ("no screenshot %s", name);
}

/* Article model, without a store */

static GazetteArticle *
make_article (gint64      id,
              const char *title)
{
  GazetteArticle *article = gazette_article_new ();

  gazette_article_set_id (article, id);
  gazette_article_set_title (article, title);
  return article;
}

static GPtrArray *
make_articles (guint        n,
               const gint64 *ids)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Article %" G_GINT64_FORMAT, ids ? ids[i] : i + 1);
      g_ptr_array_add (array, make_article (ids ? ids[i] : (gint64) i + 1, title));
    }
  return array;
}

typedef struct {
  guint calls;
  guint position, removed, added;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static void
test_article_model_replace (void)
{
  g_autoptr(GazetteArticleModel) model = gazette_article_model_new ();
  g_autoptr(GPtrArray) first = make_articles (5, (gint64[]) { 5, 4, 3, 2, 1 });
  g_autoptr(GPtrArray) second = make_articles (5, (gint64[]) { 6, 5, 4, 2, 1 });
  g_autoptr(GazetteArticle) kept = NULL;
  g_autoptr(GazetteArticle) item = NULL;
  Changes changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == GAZETTE_TYPE_ARTICLE);

  gazette_article_model_replace (model, first, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 5);

  kept = g_list_model_get_item (G_LIST_MODEL (model), 1); /* id 4 */
  g_assert_cmpint (gazette_article_get_id (kept), ==, 4);

  /* 6 is new at the top, 3 is gone: one change from 0 to 3, the rows of 4 keep their object. */
  gazette_article_set_read (g_ptr_array_index (second, 2), TRUE);
  gazette_article_model_replace (model, second, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpuint (changes.calls, ==, 2);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 3);
  g_assert_cmpuint (changes.added, ==, 3);
  item = g_list_model_get_item (G_LIST_MODEL (model), 2);
  g_assert_true (item == kept);
  g_assert_true (gazette_article_get_read (kept));
  g_assert_cmpuint (gazette_article_model_find (model, 2), ==, 3);
  g_assert_cmpuint (gazette_article_model_find (model, 3), ==, G_MAXUINT);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 5));

  /* The same rows again: no signal at all. */
  gazette_article_model_replace (model, second, 0);
  g_assert_cmpuint (changes.calls, ==, 2);

  gazette_article_model_clear (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (changes.removed, ==, 5);
}

static void
test_article_model_keep (void)
{
  g_autoptr(GazetteArticleModel) model = gazette_article_model_new ();
  g_autoptr(GPtrArray) first = make_articles (3, (gint64[]) { 3, 2, 1 });
  g_autoptr(GPtrArray) second = make_articles (2, (gint64[]) { 3, 1 });

  gazette_article_model_replace (model, first, 0);
  /* 2 was read in an Unread list: it stays where it was while it is being read. */
  gazette_article_model_replace (model, second, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpint (gazette_article_get_id (gazette_article_model_peek (model, 1)), ==, 2);
  gazette_article_model_replace (model, second, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
}

static void
test_article_model_large (void)
{
  g_autoptr(GazetteArticleModel) model = gazette_article_model_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fewer = g_ptr_array_new_with_free_func (g_object_unref);
  Changes changes = { 0 };
  gint64 start;

  for (guint i = 0; i < 100000; i++)
    {
      GazetteArticle *article = make_article (100000 - i, "Row");

      g_ptr_array_add (all, article);
      if (i != 50000)
        g_ptr_array_add (fewer, g_object_ref (article));
    }

  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  start = g_get_monotonic_time ();
  gazette_article_model_replace (model, all, 0);
  gazette_article_model_replace (model, fewer, 0);
  g_test_message ("two replaces of 100 000 rows: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpuint (changes.calls, ==, 2);
  g_assert_cmpuint (changes.position, ==, 50000);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 99999);
}

static void
test_relative_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 28, 15, 0, 0);
  gint64 t = g_date_time_to_unix (now);
  g_autofree char *just = gazette_format_relative_date (t - 10, now);
  g_autofree char *minutes = gazette_format_relative_date (t - 5 * 60, now);
  g_autofree char *one_minute = gazette_format_relative_date (t - 60, now);
  g_autofree char *hours = gazette_format_relative_date (t - 3 * 3600, now);
  g_autofree char *yesterday = gazette_format_relative_date (t - 20 * 3600, now);
  g_autofree char *days = gazette_format_relative_date (t - 3 * 86400, now);
  g_autofree char *unknown = gazette_format_relative_date (0, now);

  g_assert_cmpstr (just, ==, "Just now");
  g_assert_cmpstr (minutes, ==, "5 minutes ago");
  g_assert_cmpstr (one_minute, ==, "1 minute ago");
  g_assert_cmpstr (hours, ==, "3 hours ago");
  g_assert_cmpstr (yesterday, ==, "Yesterday");
  g_assert_cmpstr (days, ==, "3 days ago");
  g_assert_cmpstr (unknown, ==, "");
}

/* The window on a fresh library */

static gboolean
sidebar_loaded (gpointer data)
{
  gboolean loaded = FALSE;

  g_object_get (gazette_window_get_sidebar (window), "loaded", &loaded, NULL);
  return loaded && gazette_sidebar_get_counts (gazette_window_get_sidebar (window))->all >= 4;
}

static gboolean
welcome_listed (gpointer data)
{
  GazetteArticleList *list = gazette_window_get_article_list (window);

  return g_list_model_get_n_items (G_LIST_MODEL (gazette_article_list_get_model (list))) >= 4;
}

static gboolean
article_shown (gpointer data)
{
  GazetteArticleView *view = gazette_window_get_article_view (window);

  return gazette_article_view_get_shown_id (view) == *(gint64 *) data;
}

static void
setup_app (void)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "gazette-test", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;

  /* No network in tests: the Welcome source needs none. */
  g_settings_set_boolean (settings, "refresh-on-start", FALSE);
  g_settings_set_int (settings, "refresh-interval", 0);

  app = gazette_application_new (data_dir);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = GAZETTE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (GAZETTE_IS_WINDOW (window));
}

static void
test_window_welcome (void)
{
  GazetteSidebar *sidebar = gazette_window_get_sidebar (window);
  GazetteArticleList *list = gazette_window_get_article_list (window);
  GazetteArticleModel *model = gazette_article_list_get_model (list);
  GazetteArticleView *view = gazette_window_get_article_view (window);
  const GazetteCounts *counts;
  GPtrArray *sources;
  GazetteArticle *first;
  g_autofree char *h1 = NULL;
  g_autofree char *length = NULL;
  gint64 id;

  g_assert_true (wait_for (sidebar_loaded, NULL, 30));
  g_assert_true (wait_for (welcome_listed, NULL, 30));

  /* The sidebar: the fixed rows' counts and the Welcome source. */
  counts = gazette_sidebar_get_counts (sidebar);
  g_assert_cmpuint (counts->all, ==, 4);
  g_assert_cmpuint (counts->unread, ==, 4);
  g_assert_cmpuint (counts->starred, ==, 0);
  sources = gazette_sidebar_get_sources (sidebar);
  g_assert_nonnull (sources);
  g_assert_cmpuint (sources->len, ==, 1);
  g_assert_cmpint (gazette_source_get_kind (g_ptr_array_index (sources, 0)), ==,
                   GAZETTE_SOURCE_KIND_BUILTIN);
  g_assert_cmpuint (gazette_source_get_unread_count (g_ptr_array_index (sources, 0)), ==, 4);
  g_assert_cmpstr (gazette_sidebar_get_selection (sidebar), ==, "all");

  /* Newest first. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  first = gazette_article_model_peek (model, 0);
  g_assert_cmpstr (gazette_article_get_title (first), ==, "Welcome to Gazette");
  g_assert_false (gazette_article_get_read (first));

  id = gazette_article_get_id (first);
  gazette_article_list_select (list, 0);
  g_assert_true (wait_for (article_shown, &id, 30));

  h1 = run_js (gazette_article_view_get_web_view (view),
               "document.querySelector('h1').textContent");
  g_assert_cmpstr (h1, ==, gazette_article_get_title (first));
  length = run_js (gazette_article_view_get_web_view (view),
                   "document.querySelector('.article-body').textContent.trim().length");
  g_test_message ("body text length %s", length);
  g_assert_cmpint (g_ascii_strtoll (length, NULL, 10), >, 200);
  screenshot ("welcome");

  /* Shown means read: on the row at once, in the counts after the store's change. */
  g_assert_true (gazette_article_get_read (first));
  spin (800);
  g_assert_cmpuint (gazette_sidebar_get_counts (sidebar)->unread, ==, 3);
  g_assert_cmpuint (gazette_sidebar_get_counts (sidebar)->all, ==, 4);
}

static gboolean
has_title (gpointer data)
{
  GazetteArticleModel *model = gazette_article_list_get_model (gazette_window_get_article_list (window));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    if (g_strcmp0 (gazette_article_get_title (gazette_article_model_peek (model, i)), data) == 0)
      return TRUE;
  return FALSE;
}

static void
test_window_clutter_demo (void)
{
  const char *title = "The Lighthouse That the Town Rebuilt by Hand";
  GazetteArticleList *list = gazette_window_get_article_list (window);
  GazetteArticleModel *model = gazette_article_list_get_model (list);
  WebKitWebView *web_view = gazette_article_view_get_web_view (gazette_window_get_article_view (window));
  g_autofree char *text = NULL;
  g_autofree char *h1 = NULL;
  gint64 id = 0;

  g_assert_true (wait_for (has_title, (gpointer) title, 30));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    if (g_strcmp0 (gazette_article_get_title (gazette_article_model_peek (model, i)), title) == 0)
      {
        id = gazette_article_get_id (gazette_article_model_peek (model, i));
        gazette_article_list_select (list, i);
      }
  g_assert_true (wait_for (article_shown, &id, 30));

  h1 = run_js (web_view, "document.querySelector('h1').textContent");
  g_assert_cmpstr (h1, ==, title);
  text = run_js (web_view, "document.querySelector('.article-body').textContent");
  /* The story is there, the clutter is not, and the title is not repeated. */
  g_assert_nonnull (strstr (text, "For forty years the lighthouse"));
  g_assert_null (strstr (text, "Support independent local news!"));
  g_assert_null (strstr (text, "Share on Facebook"));
  g_assert_null (strstr (text, title));
  screenshot ("clutter-demo");
}

static gboolean
load_finished (gpointer data)
{
  return *(gboolean *) data;
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
test_view_no_page_scripts (void)
{
  g_autoptr(WebKitWebView) web_view = NULL;
  GtkWidget *test_window = gtk_window_new ();
  g_autofree char *title = NULL;
  gboolean finished = FALSE;

  /* The same settings as the article view: take its web view's. */
  web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                           "settings",
                           webkit_web_view_get_settings (gazette_article_view_get_web_view (
                             gazette_window_get_article_view (window))),
                           NULL);
  g_object_ref_sink (web_view);
  gtk_window_set_child (GTK_WINDOW (test_window), GTK_WIDGET (web_view));
  gtk_window_present (GTK_WINDOW (test_window));

  g_signal_connect (web_view, "load-changed", G_CALLBACK (on_load_changed), &finished);
  webkit_web_view_load_html (web_view,
                             "<html><head><title>kept</title></head><body>"
                             "<script>document.title = 'changed';</script>"
                             "<img src=x onerror=\"document.title='changed'\"></body></html>",
                             "https://example.org/");
  g_assert_true (wait_for (load_finished, &finished, 30));
  spin (300);
  title = run_js (web_view, "document.title");
  g_assert_cmpstr (title, ==, "kept");

  gtk_window_destroy (GTK_WINDOW (test_window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Isolation empties the system data directories too, and with them the MIME database (GTK
   * then cannot tell an SVG icon's format) and the icon themes: give those back, the user's
   * directories stay isolated. */
  g_setenv ("XDG_DATA_DIRS", system_data_dirs != NULL ? system_data_dirs
                                                      : "/usr/local/share:/usr/share", TRUE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }

  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/article-model/replace", test_article_model_replace);
  g_test_add_func ("/ui/article-model/keep-selected", test_article_model_keep);
  g_test_add_func ("/ui/article-model/large", test_article_model_large);
  g_test_add_func ("/ui/article-list/relative-date", test_relative_date);
  g_test_add_func ("/ui/window/welcome", test_window_welcome);
  g_test_add_func ("/ui/window/clutter-demo", test_window_clutter_demo);
  g_test_add_func ("/ui/article-view/no-page-scripts", test_view_no_page_scripts);

  setup_app ();
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  gazette_store_close (gazette_library_get_store (gazette_application_get_library (app)));
  g_clear_object (&app);
  return status;
}

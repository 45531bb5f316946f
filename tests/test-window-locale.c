/* test-window-locale.c — the window in Russian, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole application starts with LANGUAGE=ru under a real ru_RU.UTF-8 locale (compiled into
 * the build tree by build-aux/make-test-locales; gettext ignores LANGUAGE under C) and the build
 * tree's catalogs; the widget tree must then carry the Russian labels, not the English ones.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "gazette-application.h"
#include "gazette-test-utils.h"
#include "gazette-window.h"

static GazetteApplication *app;
static GazetteWindow *window;
static char *data_dir;

static gboolean
welcome_listed (gpointer data)
{
  GazetteSidebar *sidebar = gazette_window_get_sidebar (window);
  GazetteArticleList *list = gazette_window_get_article_list (window);
  gboolean loaded = FALSE;

  g_object_get (sidebar, "loaded", &loaded, NULL);
  return loaded && gazette_sidebar_get_counts (sidebar)->all >= 4 &&
         g_list_model_get_n_items (G_LIST_MODEL (gazette_article_list_get_model (list))) >= 4;
}

/* Every label and tooltip under @widget, one per line. */
static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (tooltip != NULL)
    g_string_append_printf (out, "%s\n", tooltip);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static gboolean
has_line (const char *text,
          const char *line)
{
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);
  g_autofree char *haystack = g_strconcat ("\n", text, NULL);

  return strstr (haystack, needle) != NULL;
}

static void
test_window_russian (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  static const char *const russian[] = {
    "Все статьи", "Непрочитанные", "Избранное", "Сохранённые", "Источники",
    "Добро пожаловать в Gazette", "Статья не выбрана", "Добавить источник (Ctrl+N)",
    "Обновить все источники (Ctrl+R)", "Главное меню", "Показывать только непрочитанные статьи",
  };
  /* ("Welcome to Gazette" stays: it is also the first Welcome article's title, in English.) */
  static const char *const english[] = {
    "All Articles", "Unread", "Starred", "Saved", "Sources", "No Article Selected",
    "Add Source (Ctrl+N)", "Main Menu", "Just now", "Yesterday",
  };

  g_assert_true (gazette_test_wait_for (welcome_listed, NULL, 30));
  gazette_test_spin (1000);
  collect_text (GTK_WIDGET (window), text);
  g_test_message ("labels and tooltips:\n%s", text->str);

  for (guint i = 0; i < G_N_ELEMENTS (russian); i++)
    if (!has_line (text->str, russian[i]))
      g_test_fail_printf ("no “%s” in the window", russian[i]);
  for (guint i = 0; i < G_N_ELEMENTS (english); i++)
    if (has_line (text->str, english[i]))
      g_test_fail_printf ("“%s” is still in English", english[i]);

  /* The Welcome source's count, with its plural form; rows dated in Russian. */
  g_assert_nonnull (strstr (text->str, " непрочитанн"));
  g_assert_nonnull (strstr (text->str, "Добро пожаловать в Gazette · "));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *locpath = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("GAZETTE_LOCALEDIR");
  int status;

  /* As in test-window: the system data directories for the MIME database and icon themes. */
  gazette_test_init_isolated (&argc, &argv);

  if (!gazette_test_have_display ())
    return 0;

  /* gtk_init() calls setlocale (LC_ALL, ""): the environment decides. */
  locpath = g_test_build_filename (G_TEST_BUILT, "locale", NULL);
  g_setenv ("LOCPATH", locpath, TRUE);
  g_setenv ("LC_ALL", "ru_RU.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "ru", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    {
      g_printerr ("ru_RU.UTF-8 is not in %s: build-aux/make-test-locales compiles it with "
                  "localedef from Debian's \"locales\" package (build-aux/install-deps test)\n",
                  locpath);
      return 1;
    }
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_init ();
  adw_init ();

  data_dir = g_dir_make_tmp ("gazette-test-window-locale-XXXXXX", &error);
  g_assert_no_error (error);
  settings = g_settings_new (APP_ID);
  g_settings_set_boolean (settings, "refresh-on-start", FALSE);
  g_settings_set_int (settings, "refresh-interval", 0);

  app = gazette_application_new (data_dir);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = GAZETTE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (GAZETTE_IS_WINDOW (window));

  g_test_add_func ("/ui/window/locale/ru", test_window_russian);
  status = g_test_run ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  gazette_test_spin (1000);
  gazette_store_close (gazette_library_get_store (gazette_application_get_library (app)));
  g_clear_object (&app);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (data_dir);

    gazette_test_remove_tree (dir);
    g_free (data_dir);
  }
  return status;
}

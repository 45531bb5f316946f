/* test-locale.c — Gazette in other languages, through the build tree's real catalogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plural forms, relative and absolute dates, the sources' collation and the reader page's
 * language attributes, under real UTF-8 locales (gettext ignores LANGUAGE under the C locale, and
 * month names and collation come from the locale). build-aux/make-test-locales compiles them
 * into the build tree with localedef; LOCPATH points there. No display is needed.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gazette-article-list.h"
#include "gazette-article-view.h"
#include "gazette-content-filter.h"
#include "gazette-source.h"

/* The reader page's template and styles: linking the UI library's resource registers it. */
GResource *gazette_ui_get_resource (void);

static char *locpath;

/* Switches the messages and the locale; fails the test, saying why, when the locale is missing. */
static gboolean
use_locale (const char *language,
            const char *locale)
{
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  if (setlocale (LC_ALL, locale) == NULL)
    {
      g_test_fail_printf ("the locale %s is not in %s: build-aux/make-test-locales compiles it "
                          "with localedef from Debian's \"locales\" package "
                          "(build-aux/install-deps test)", locale, locpath);
      return FALSE;
    }
  return TRUE;
}

/* Plural forms: the East Slavic rule picks the form from the last one or two digits. */

typedef struct {
  guint n;
  guint form;
} PluralCase;

static const PluralCase slavic_cases[] = {
  { 0, 2 }, { 1, 0 }, { 2, 1 }, { 3, 1 }, { 4, 1 }, { 5, 2 }, { 10, 2 }, { 11, 2 }, { 12, 2 },
  { 14, 2 }, { 20, 2 }, { 21, 0 }, { 22, 1 }, { 25, 2 }, { 101, 0 }, { 111, 2 }, { 112, 2 },
  { 122, 1 }, { 1001, 0 },
};

static void
check_unread_plurals (const char *const forms[3])
{
  for (guint i = 0; i < G_N_ELEMENTS (slavic_cases); i++)
    {
      guint n = slavic_cases[i].n;
      g_autofree char *text = g_strdup_printf (dngettext (GETTEXT_PACKAGE, "%u unread article",
                                                          "%u unread articles", n), n);
      g_autofree char *expected = g_strdup_printf (forms[slavic_cases[i].form], n);

      g_assert_cmpstr (text, ==, expected);
    }
}

static void
test_plural_ru (void)
{
  static const char *const forms[3] = {
    "%u непрочитанная статья", "%u непрочитанные статьи", "%u непрочитанных статей",
  };

  if (use_locale ("ru", "ru_RU.UTF-8"))
    check_unread_plurals (forms);
}

static void
test_plural_uk (void)
{
  static const char *const forms[3] = {
    "%u непрочитана стаття", "%u непрочитані статті", "%u непрочитаних статей",
  };

  if (use_locale ("uk", "uk_UA.UTF-8"))
    check_unread_plurals (forms);
}

static void
test_plural_be (void)
{
  static const char *const forms[3] = {
    "%u непрачытаны артыкул", "%u непрачытаныя артыкулы", "%u непрачытаных артыкулаў",
  };

  if (use_locale ("be", "be_BY.UTF-8"))
    check_unread_plurals (forms);
}

static void
test_plural_en (void)
{
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  use_locale (NULL, "C.UTF-8");
  one = g_strdup_printf (dngettext (GETTEXT_PACKAGE, "%u unread article", "%u unread articles",
                                    1), 1);
  two = g_strdup_printf (dngettext (GETTEXT_PACKAGE, "%u unread article", "%u unread articles",
                                    21), 21);
  g_assert_cmpstr (one, ==, "1 unread article");
  g_assert_cmpstr (two, ==, "21 unread articles");
}

/* Relative dates: a pure function of the article's time and "now". */

typedef struct {
  gint64      ago;        /* seconds before now, or an absolute time when < 0 */
  const char *expected;
} DateCase;

static void
check_dates (const DateCase *cases,
             guint           n_cases)
{
  /* Saturday 28 November 2026, 15:00 (TZ is UTC in this program). */
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 28, 15, 0, 0);
  gint64 t = g_date_time_to_unix (now);

  for (guint i = 0; i < n_cases; i++)
    {
      gint64 when = cases[i].ago >= 0 ? t - cases[i].ago : -cases[i].ago;
      g_autofree char *text = gazette_format_relative_date (when, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

#define MINUTE 60
#define HOUR 3600
#define DAY 86400
/* 5 March 2025, 12:00 UTC, written negative: an absolute time. */
#define LAST_YEAR (-G_GINT64_CONSTANT (1741176000))
/* Before 1970: no date known. */
#define NO_DATE G_MAXINT64

static void
test_dates_en (void)
{
  static const DateCase cases[] = {
    { 10, "Just now" }, { MINUTE, "1 minute ago" }, { 5 * MINUTE, "5 minutes ago" },
    { 3 * HOUR, "3 hours ago" }, { 20 * HOUR, "Yesterday" }, { 3 * DAY, "3 days ago" },
    { 10 * DAY, "18 November" }, { 25 * DAY, "3 November" }, { LAST_YEAR, "5 March 2025" },
    { NO_DATE, "" },
  };

  use_locale (NULL, "C.UTF-8");
  check_dates (cases, G_N_ELEMENTS (cases));
}

static void
test_dates_ru (void)
{
  /* Month names after a day are genitive: "18 ноября", not "18 ноябрь". */
  static const DateCase cases[] = {
    { 10, "Только что" }, { MINUTE, "1 минуту назад" }, { 2 * MINUTE, "2 минуты назад" },
    { 5 * MINUTE, "5 минут назад" }, { 11 * MINUTE, "11 минут назад" }, { 21 * MINUTE, "21 минуту назад" },
    { 22 * MINUTE, "22 минуты назад" }, { HOUR, "1 час назад" }, { 3 * HOUR, "3 часа назад" },
    { 11 * HOUR, "11 часов назад" }, { 20 * HOUR, "Вчера" }, { 2 * DAY, "2 дня назад" },
    { 5 * DAY, "5 дней назад" }, { 10 * DAY, "18 ноября" }, { 25 * DAY, "3 ноября" },
    { LAST_YEAR, "5 марта 2025" },
  };

  if (use_locale ("ru", "ru_RU.UTF-8"))
    check_dates (cases, G_N_ELEMENTS (cases));
}

static void
test_dates_uk (void)
{
  static const DateCase cases[] = {
    { 10, "Щойно" }, { MINUTE, "1 хвилину тому" }, { 2 * MINUTE, "2 хвилини тому" },
    { 5 * MINUTE, "5 хвилин тому" }, { 21 * MINUTE, "21 хвилину тому" }, { 3 * HOUR, "3 години тому" },
    { 20 * HOUR, "Учора" }, { 2 * DAY, "2 дні тому" }, { 5 * DAY, "5 днів тому" },
    { 10 * DAY, "18 листопада" }, { LAST_YEAR, "5 березня 2025" },
  };

  if (use_locale ("uk", "uk_UA.UTF-8"))
    check_dates (cases, G_N_ELEMENTS (cases));
}

static void
test_dates_be (void)
{
  static const DateCase cases[] = {
    { 10, "Толькі што" }, { 21 * MINUTE, "21 хвіліну таму" }, { 3 * HOUR, "3 гадзіны таму" },
    { 20 * HOUR, "Учора" }, { 5 * DAY, "5 дзён таму" }, { 10 * DAY, "18 лістапада" },
    { LAST_YEAR, "5 сакавіка 2025" },
  };

  if (use_locale ("be", "be_BY.UTF-8"))
    check_dates (cases, G_N_ELEMENTS (cases));
}

/* The sidebar's order: the locale's collation, not byte order. */

static char *
sorted_titles (const char *const *titles)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; titles[i] != NULL; i++)
    {
      GazetteSource *source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, titles[i],
                                                  "https://example.org/feed");

      gazette_source_set_id (source, i + 1);
      g_ptr_array_add (sources, source);
    }
  gazette_sources_sort (sources);
  for (guint i = 0; i < sources->len; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? " " : "",
                            gazette_source_get_title (g_ptr_array_index (sources, i)));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
test_collate_uk (void)
{
  /* Byte order puts Є, І, Ї and Ґ after Я (and "Ива" before "бук"). */
  static const char *const titles[] = {
    "Яр", "Ґанок", "Їжак", "бук", "Інше", "Абетка", "Єнот", "Гай", "Ива", NULL,
  };
  g_autofree char *sorted = NULL;

  if (!use_locale ("uk", "uk_UA.UTF-8"))
    return;
  sorted = sorted_titles (titles);
  g_assert_cmpstr (sorted, ==, "Абетка бук Гай Ґанок Єнот Ива Інше Їжак Яр");
}

static void
test_collate_ru (void)
{
  static const char *const titles[] = {
    "Ёж", "Юг", "ель", "Есенин", "Жук", "Zebra", "apple", "Éclair", NULL,
  };
  g_autofree char *sorted = NULL;

  if (!use_locale ("ru", "ru_RU.UTF-8"))
    return;
  sorted = sorted_titles (titles);
  /* Ё sorts with Е (byte order puts it last), "ель" among the capitals, É with E. */
  g_assert_cmpstr (sorted, ==, "apple Éclair Zebra Ёж ель Есенин Жук Юг");
}

static void
test_collate_c (void)
{
  static const char *const titles[] = { "banana", "Cherry", "apple", "Apple", NULL };
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *sorted = NULL;
  GazetteSource *untitled;

  /* Even without a locale's collation, case does not split the list. */
  use_locale (NULL, "C.UTF-8");
  sorted = sorted_titles (titles);
  g_assert_cmpstr (sorted, ==, "Apple apple banana Cherry");

  /* Numbers in titles count as numbers. */
  {
    static const char *const numbered[] = { "News 10", "News 2", "News 1", "News 101", NULL };
    g_autofree char *by_number = sorted_titles (numbered);

    g_assert_cmpstr (by_number, ==, "News 1 News 2 News 10 News 101");
  }

  /* Position first; a source without a title sorts by its address, as the sidebar shows it. */
  g_ptr_array_add (sources, gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Zulu", "https://z/"));
  untitled = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, NULL, "https://m.example/");
  g_ptr_array_add (sources, untitled);
  g_ptr_array_add (sources, gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Alpha", "https://a/"));
  gazette_source_set_position (g_ptr_array_index (sources, 2), 1);
  gazette_sources_sort (sources);
  g_assert_true (g_ptr_array_index (sources, 0) == untitled);
  g_assert_cmpstr (gazette_source_get_title (g_ptr_array_index (sources, 1)), ==, "Zulu");
  g_assert_cmpstr (gazette_source_get_title (g_ptr_array_index (sources, 2)), ==, "Alpha");
}

/* The reader page: Gazette's words in the UI language, the article in its own. */

static char *
render (const char *article_lang)
{
  g_autoptr(GazetteArticle) article = gazette_article_new ();

  gazette_article_set_title (article, "Le titre");
  gazette_article_set_author (article, "Camille");
  gazette_article_set_lang (article, article_lang);
  /* 28 November 2026, 10:00 UTC */
  gazette_article_set_published (article, G_GINT64_CONSTANT (1795860000));
  return gazette_article_view_render_page (article, "<p>Un « mot ».</p>", TRUE, "serif", 18,
                                           FALSE);
}

/* What the clutter filter removed is stored untranslated with an article: the line under it is
 * in the language of the moment, whatever it was when the article was extracted. */
static void
test_stored_reasons (void)
{
  g_autoptr(GPtrArray) removals = gazette_clutter_removals_from_string (
    "[('donation appeal', 'heuristic:appeal-text(en)', 'We have a small favor to ask'),"
    " ('share buttons', '##.share-bar', ''), ('donation appeal', '##.donate', '')]");
  g_autofree char *en = NULL;
  g_autofree char *ru = NULL;

  use_locale (NULL, "C.UTF-8");
  en = gazette_content_filter_removed_summary (removals);
  g_assert_cmpstr (en, ==, "3 blocks hidden: donation appeal, share buttons");
  if (!use_locale ("ru", "ru_RU.UTF-8"))
    return;
  ru = gazette_content_filter_removed_summary (removals);
  g_assert_cmpstr (ru, ==, "Скрыто 3 блока: просьба о пожертвовании, кнопки «Поделиться»");
  use_locale (NULL, "C.UTF-8");
}

static void
test_reader_lang (void)
{
  g_autofree char *en = NULL;
  g_autofree char *ru = NULL;
  g_autofree char *uk = NULL;

  use_locale (NULL, "C.UTF-8");
  en = render ("fr");
  g_assert_nonnull (strstr (en, "<html lang=\"en\""));
  g_assert_nonnull (strstr (en, "<article lang=\"fr\">"));
  g_assert_nonnull (strstr (en, "<p class=\"meta\" lang=\"en\">"));
  g_assert_nonnull (strstr (en, ">1 min read<"));
  g_assert_nonnull (strstr (en, ">28 November 2026, 10:00</time>"));

  if (!use_locale ("ru", "ru_RU.UTF-8"))
    return;
  ru = render ("fr-CA");
  g_assert_nonnull (strstr (ru, "<html lang=\"ru\""));
  g_assert_nonnull (strstr (ru, "<article lang=\"fr-CA\">"));
  g_assert_nonnull (strstr (ru, "<p class=\"meta\" lang=\"ru\">"));
  g_assert_nonnull (strstr (ru, ">1\u00a0минута\u00a0чтения<"));
  g_assert_nonnull (strstr (ru, ">28 ноября 2026, 10:00</time>"));

  if (!use_locale ("uk", "uk_UA.UTF-8"))
    return;
  uk = render (NULL);
  g_assert_nonnull (strstr (uk, "<html lang=\"uk\""));
  g_assert_nonnull (strstr (uk, "<article lang=\"\">"));
  g_assert_nonnull (strstr (uk, ">1\u00a0хвилина\u00a0читання<"));
  g_assert_nonnull (strstr (uk, ">28 листопада 2026, 10:00</time>"));
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("GAZETTE_LOCALEDIR");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  (void) gazette_ui_get_resource ();

  /* Dates are checked in UTC; the locales compiled for the tests are found through LOCPATH. */
  g_setenv ("TZ", "UTC", TRUE);
  locpath = g_test_build_filename (G_TEST_BUILT, "locale", NULL);
  g_setenv ("LOCPATH", locpath, TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANG");

  if (localedir == NULL)
    {
      g_printerr ("GAZETTE_LOCALEDIR is not set (meson test sets it to the build's po/)\n");
      return 1;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/locale/plural/unread/en", test_plural_en);
  g_test_add_func ("/locale/plural/unread/ru", test_plural_ru);
  g_test_add_func ("/locale/plural/unread/uk", test_plural_uk);
  g_test_add_func ("/locale/plural/unread/be", test_plural_be);
  g_test_add_func ("/locale/relative-date/en", test_dates_en);
  g_test_add_func ("/locale/relative-date/ru", test_dates_ru);
  g_test_add_func ("/locale/relative-date/uk", test_dates_uk);
  g_test_add_func ("/locale/relative-date/be", test_dates_be);
  g_test_add_func ("/locale/collate/sources/c", test_collate_c);
  g_test_add_func ("/locale/collate/sources/ru", test_collate_ru);
  g_test_add_func ("/locale/collate/sources/uk", test_collate_uk);
  g_test_add_func ("/locale/reader/lang", test_reader_lang);
  g_test_add_func ("/locale/clutter/stored-reasons", test_stored_reasons);

  return g_test_run ();
}

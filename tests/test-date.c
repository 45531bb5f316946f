/* test-date.c — the dates feeds write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gazette-date.h"

typedef struct {
  const char *text;
  gint64      expected;   /* unix seconds UTC; 0 = not a date */
} DateCase;

static const DateCase date_cases[] = {
  { "Sat, 07 Dec 2019 15:31:00 +0000", G_GINT64_CONSTANT (1575732660) },
  { "Sat, 07 Dec 2019 15:31:00 GMT", G_GINT64_CONSTANT (1575732660) },
  { "Sat, 7 Dec 2019 15:31:00 -0500", G_GINT64_CONSTANT (1575750660) },
  { "07 Dec 2019 15:31:00 +0100", G_GINT64_CONSTANT (1575729060) },
  { "Mon, 07 Dec 2019 15:31:00 GMT", G_GINT64_CONSTANT (1575732660) },
  { "Sat, 07 Dec 19 15:31:00 GMT", G_GINT64_CONSTANT (1575732660) },
  { "Thu, 01 Jan 04 19:48:21 GMT", G_GINT64_CONSTANT (1072986501) },
  { "Sat, 07 Dec 1999 15:31:00 UT", G_GINT64_CONSTANT (944580660) },
  { "Wed, 02 Oct 2002 08:00:00 EST", G_GINT64_CONSTANT (1033563600) },
  { "Wed, 02 Oct 2002 08:00:00 EDT", G_GINT64_CONSTANT (1033560000) },
  { "Wed, 02 Oct 2002 08:00:00 PDT", G_GINT64_CONSTANT (1033570800) },
  { "Wed, 02 Oct 2002 08:00:00 PST", G_GINT64_CONSTANT (1033574400) },
  { "Wed, 02 Oct 2002 08:00:00 CST", G_GINT64_CONSTANT (1033567200) },
  { "Wed, 02 Oct 2002 08:00:00 MDT", G_GINT64_CONSTANT (1033567200) },
  { "Wed, 02 Oct 2002 08:00:00 Z", G_GINT64_CONSTANT (1033545600) },
  { "Wed, 02 Oct 2002 08:00:00 A", G_GINT64_CONSTANT (1033549200) },
  { "Wed, 02 Oct 2002 08:00:00 N", G_GINT64_CONSTANT (1033542000) },
  { "Wed, 02 Oct 2002 08:00 +0000", G_GINT64_CONSTANT (1033545600) },
  { "Wed, 02 Oct 2002 08:00:00", G_GINT64_CONSTANT (1033545600) },
  { "Wed,02 Oct 2002 08:00:00 GMT", G_GINT64_CONSTANT (1033545600) },
  { "  Wed,  02  Oct  2002   08:00:00  GMT  ", G_GINT64_CONSTANT (1033545600) },
  { "Wed, 02 OCT 2002 08:00:00 gmt", G_GINT64_CONSTANT (1033545600) },
  { "Wednesday, 02 October 2002 08:00:00 GMT", G_GINT64_CONSTANT (1033545600) },
  { "Wed, 2 Sept 2002 08:00:00 GMT", G_GINT64_CONSTANT (1030953600) },
  { "Wed, 02 Oct 2002 08:00:00 +01:00", G_GINT64_CONSTANT (1033542000) },
  { "Wed, 02 Oct 2002 08:00:00 GMT+0200", G_GINT64_CONSTANT (1033538400) },
  { "Wed, 02 Oct 2002 08:00:00 +0000 (UTC)", G_GINT64_CONSTANT (1033545600) },
  { "Wed, 02 Oct 2002", G_GINT64_CONSTANT (1033516800) },
  { "02-Oct-2002 08:00:00 GMT", G_GINT64_CONSTANT (1033545600) },
  { "Wed Oct  2 08:00:00 2002", G_GINT64_CONSTANT (1033545600) },
  { "Sat, 7 Dec 2019 15:31", G_GINT64_CONSTANT (1575732660) },
  { "December 7, 2019", G_GINT64_CONSTANT (1575676800) },
  { "Dec 7, 2019 3:31 PM", G_GINT64_CONSTANT (1575732660) },
  { "7 December 2019", G_GINT64_CONSTANT (1575676800) },
  { "December 7th, 2019 12:05 am", G_GINT64_CONSTANT (1575677100) },
  { "2019-12-07T15:31:00Z", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07t15:31:00z", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07T15:31:00+01:00", G_GINT64_CONSTANT (1575729060) },
  { "2019-12-07T15:31:00-0800", G_GINT64_CONSTANT (1575761460) },
  { "2019-12-07T15:31:00+05", G_GINT64_CONSTANT (1575714660) },
  { "2019-12-07T15:31:00.123456Z", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07T15:31:00,5+00:00", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07T15:31Z", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07T15:31:00", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07 15:31:00", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07 15:31:00 +0200", G_GINT64_CONSTANT (1575725460) },
  { "2019-12-07 15:31:00 PST", G_GINT64_CONSTANT (1575761460) },
  { "20191207T153100Z", G_GINT64_CONSTANT (1575732660) },
  { "20191207", G_GINT64_CONSTANT (1575676800) },
  { "2019-12-07", G_GINT64_CONSTANT (1575676800) },
  { "2019-12", G_GINT64_CONSTANT (1575158400) },
  { "2019", G_GINT64_CONSTANT (1546300800) },
  { "2019-341", G_GINT64_CONSTANT (1575676800) },
  { "2020-02-29T00:00:00Z", G_GINT64_CONSTANT (1582934400) },
  { "2019-12-31T24:00:00Z", G_GINT64_CONSTANT (1577836800) },
  { "1969-07-20T20:17:40Z", G_GINT64_CONSTANT (-14182940) },
  { "2003-12-13T18:30:02.25+01:00", G_GINT64_CONSTANT (1071336602) },
  { "2019/12/07 15:31:00", G_GINT64_CONSTANT (1575732660) },
  { "12/07/2019", G_GINT64_CONSTANT (1575676800) },
  { "Sun Jan  4 16:29:06 PST 2004", G_GINT64_CONSTANT (1073262546) },
  { "Sat, 07 Dec 2019 15:31:00 +0000 GMT", G_GINT64_CONSTANT (1575732660) },
  { "2019-12-07T15:31:00+01:00 (CET)", G_GINT64_CONSTANT (1575729060) },
  { "2004-07-08 23:56:58.0", G_GINT64_CONSTANT (1089331018) },
  { "2004-05-25 오후 11:23:17", G_GINT64_CONSTANT (1085527397) },
  { "2004-05-25 오전 11:23:17", G_GINT64_CONSTANT (1085484197) },
  { "7.12.2019", G_GINT64_CONSTANT (1575676800) },
  { "Sat. 07 Dec. 2019 15:31:00 GMT", G_GINT64_CONSTANT (1575732660) },
  { "Tue, 18 Nov 2003 05:32:59 +0200 (EET)", G_GINT64_CONSTANT (1069126379) },
  { "Mo, 09 Dez 2019 10:00:00 +0100", G_GINT64_CONSTANT (1575882000) },
  { "lun., 9 déc. 2019 10:00:00 +0100", G_GINT64_CONSTANT (1575882000) },
  { "Di, 1 Mär 2016 08:00:00 GMT", G_GINT64_CONSTANT (1456819200) },
  { "mié, 14 ago 2019 12:00:00 +0000", G_GINT64_CONSTANT (1565784000) },
  { "14 agosto 2019", G_GINT64_CONSTANT (1565740800) },
  { "2 days ago", G_GINT64_CONSTANT (0) },
  { "mar., 10 déc. 2019 10:00:00 +0100", G_GINT64_CONSTANT (1575968400) },
  { "", G_GINT64_CONSTANT (0) },
  { "   ", G_GINT64_CONSTANT (0) },
  { "not a date", G_GINT64_CONSTANT (0) },
  { "2019-13-01", G_GINT64_CONSTANT (0) },
  { "2019-02-30", G_GINT64_CONSTANT (0) },
  { "Sat, 32 Dec 2019 15:31:00 GMT", G_GINT64_CONSTANT (0) },
  { "2019-12-07T25:00:00Z", G_GINT64_CONSTANT (0) },
  { "Decimal 7, 2019", G_GINT64_CONSTANT (0) },
  { "yesterday", G_GINT64_CONSTANT (0) },
  { "15:31:00", G_GINT64_CONSTANT (0) },
};

static void
test_parse (gconstpointer data)
{
  const DateCase *c = data;
  gint64 got = gazette_date_parse (c->text);

  if (got != c->expected)
    {
      g_autofree char *want = c->expected != 0 ? gazette_date_to_iso8601 (c->expected) : g_strdup ("0");
      g_autofree char *have = got != 0 ? gazette_date_to_iso8601 (got) : g_strdup ("0");

      g_test_fail_printf ("“%s”: expected %s, got %s", c->text, want, have);
    }
}

static void
test_to_iso8601 (void)
{
  g_autofree char *a = gazette_date_to_iso8601 (1575732660);
  g_autofree char *b = gazette_date_to_iso8601 (0);
  g_autofree char *c = gazette_date_to_iso8601 (-14182940);

  g_assert_cmpstr (a, ==, "2019-12-07T15:31:00Z");
  g_assert_cmpstr (b, ==, "1970-01-01T00:00:00Z");
  g_assert_cmpstr (c, ==, "1969-07-20T20:17:40Z");
}

static void
test_null (void)
{
  g_assert_cmpint (gazette_date_parse (NULL), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (date_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/date/parse/%02u", i);

      g_test_add_data_func (path, &date_cases[i], test_parse);
    }
  g_test_add_func ("/core/date/to-iso8601", test_to_iso8601);
  g_test_add_func ("/core/date/null", test_null);

  return g_test_run ();
}

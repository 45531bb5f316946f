/* test-encoding.c — which charset a page is in, and the page in UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "gazette-encoding.h"

#define S(x) x, sizeof (x) - 1

/* Each source of the charset, and the order they are trusted in. */
static void
test_detect (void)
{
  static const struct {
    const char *data;
    gsize       length;
    const char *content_type;
    const char *charset;
  } rows[] = {
    /* Byte-order marks beat everything, the HTTP header included. */
    { S("\xEF\xBB\xBF<p>x</p>"), "text/html; charset=koi8-r", "UTF-8" },
    { S("\xFF\xFE<\0p\0>\0"), NULL, "UTF-16LE" },
    { S("\xFE\xFF\0<\0p\0>"), NULL, "UTF-16BE" },
    /* The HTTP Content-Type, quoted or not, in any case. */
    { S("<p>x</p>"), "text/html; charset=\"Shift_JIS\"", "SHIFT_JIS" },
    { S("<p>x</p>"), "text/html;CHARSET=windows-1251", "WINDOWS-1251" },
    /* A label iconv does not know is no answer: the page's own is used. */
    { S("<meta charset=koi8-r><p>x</p>"), "text/html; charset=no-such-thing", "KOI8-R" },
    /* <meta charset>, quoted or bare, upper or lower case. */
    { S("<META CHARSET='ISO-8859-2'><p>x</p>"), NULL, "ISO-8859-2" },
    { S("<meta charset=euc-jp><p>x</p>"), NULL, "EUC-JP" },
    /* <meta http-equiv>, attributes in either order. */
    { S("<meta content=\"text/html; charset=windows-1250\" http-equiv=\"Content-Type\">"), NULL,
      "WINDOWS-1250" },
    /* Labels the web means otherwise, as the WHATWG Encoding standard maps them. */
    { S("<meta charset=\"us-ascii\"><p>caf\xE9</p>"), NULL, "WINDOWS-1252" },
    { S("<meta charset=\"gb2312\"><p>x</p>"), NULL, "GB18030" },
    /* A page claiming UTF-16 in ASCII bytes is not. */
    { S("<meta charset=\"utf-16\"><p>x</p>"), NULL, "UTF-8" },
    /* No label: valid UTF-8 is UTF-8, anything else windows-1252. */
    { S("<p>\xE6\x97\xA5\xE6\x9C\xAC</p>"), NULL, "UTF-8" },
    { S("<p>na\xEFve</p>"), NULL, "WINDOWS-1252" },
    { S("<p>plain ascii</p>"), NULL, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *charset = gazette_detect_charset (rows[i].data, rows[i].length,
                                                         rows[i].content_type);
      g_assert_cmpstr (charset, ==, rows[i].charset);
    }
}

static void
test_convert (void)
{
  static const struct {
    const char *data;
    gsize       length;
    const char *content_type;
    const char *utf8;
  } rows[] = {
    /* The BOM is not part of the page. */
    { S("\xEF\xBB\xBF<p>x</p>"), NULL, "<p>x</p>" },
    { S("\xFE\xFF\0<\0p\0>\0\xE9"), NULL, "<p>é" },
    { S("\xFF\xFE<\0p\0>\0\xE9\0"), NULL, "<p>é" },
    { S("<p>\x93quoted\x94 caf\xE9</p>"), NULL, "<p>“quoted” café</p>" },
    { S("<p>\x82\xB1\x82\xF1</p>"), "text/html; charset=Shift_JIS", "<p>こん</p>" },
    /* A byte windows-1252 leaves undefined costs that byte, not the page's accents. */
    { S("<p>caf\xE9 \x81 cr\xE8me</p>"), "text/html; charset=windows-1252", "<p>café \xEF\xBF\xBD crème</p>" },
    /* A multi-byte sequence cut short in a legacy charset likewise. */
    { S("<p>\x82\xB1\x82</p>"), "text/html; charset=Shift_JIS", "<p>こ\xEF\xBF\xBD</p>" },
    /* Broken UTF-8 is repaired, byte by byte. */
    { S("<p>ok \xC3 ok</p>"), "text/html; charset=utf-8", "<p>ok \xEF\xBF\xBD ok</p>" },
    { S(""), NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gsize length = 0;
      g_autofree char *utf8 = gazette_to_utf8 (rows[i].data, rows[i].length,
                                               rows[i].content_type, &length);

      g_assert_cmpstr (utf8, ==, rows[i].utf8);
      g_assert_cmpuint (length, ==, strlen (rows[i].utf8));
      g_assert_true (g_utf8_validate (utf8, length, NULL));
    }
}

/* NUL bytes inside a page (seen in the wild in broken CMS output) neither end the page early nor
 * survive into the UTF-8 text. */
static void
test_nul_bytes (void)
{
  gsize length = 0;
  g_autofree char *utf8 = gazette_to_utf8 (S ("<p>a\0b</p>"), "text/html; charset=utf-8", &length);

  g_assert_cmpuint (length, ==, strlen (utf8));
  g_assert_cmpstr (utf8, ==, "<p>a b</p>");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/reader/encoding/detect", test_detect);
  g_test_add_func ("/reader/encoding/convert", test_convert);
  g_test_add_func ("/reader/encoding/nul-bytes", test_nul_bytes);

  return g_test_run ();
}

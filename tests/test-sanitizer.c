/* test-sanitizer.c — every dangerous construct we know of goes; content stays
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "gazette-sanitizer.h"

typedef struct {
  const char *path;
  const char *html;
  const char *base;
  const char *must_contain[4];
  const char *must_not_contain[4];
} SanitizeCase;

static const SanitizeCase cases[] = {
  { "/reader/sanitizer/script", "<p>Hi</p><script>alert(1)</script>", NULL,
    { "<p>Hi</p>" }, { "script", "alert" } },
  { "/reader/sanitizer/script-in-head-of-page",
    "<!DOCTYPE html><html><head><script>evil()</script><title>T</title></head><body><p>Body</p></body></html>",
    NULL, { "<p>Body</p>" }, { "evil", "<title", ">T<" } },
  { "/reader/sanitizer/onerror", "<img src=\"x.png\" onerror=\"alert(1)\">", "https://a.example/",
    { "src=\"https://a.example/x.png\"" }, { "onerror", "alert" } },
  { "/reader/sanitizer/handler-any-case", "<p OnClick=\"steal()\" onmouseover='x()'>t</p>", NULL,
    { "<p>t</p>" }, { "steal", "x()", "onmouseover" } },
  { "/reader/sanitizer/javascript-href", "<a href=\"javascript:alert(1)\">link</a>", NULL,
    { ">link</a>" }, { "javascript", "alert" } },
  { "/reader/sanitizer/javascript-mixed-case", "<a href=\"JaVaScRiPt:alert(1)\">l</a>", NULL,
    { ">l</a>" }, { "alert", "JaVa" } },
  { "/reader/sanitizer/javascript-entity-colon", "<a href=\"javascript&#58;alert(1)\">l</a>", NULL,
    { ">l</a>" }, { "alert" } },
  { "/reader/sanitizer/javascript-whitespace", "<a href=\" java\tscr\nipt:alert(1)\">l</a>", NULL,
    { ">l</a>" }, { "alert" } },
  { "/reader/sanitizer/javascript-control-chars", "<a href=\"\x01javascript:alert(1)\">l</a>", NULL,
    { ">l</a>" }, { "alert" } },
  { "/reader/sanitizer/vbscript", "<a href=\"vbscript:msgbox(1)\">l</a>", NULL,
    { ">l</a>" }, { "vbscript", "msgbox" } },
  { "/reader/sanitizer/data-href", "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">l</a>", NULL,
    { ">l</a>" }, { "data:" } },
  { "/reader/sanitizer/data-image-allowed", "<img src=\"data:image/png;base64,iVBORw0KGgo=\">", NULL,
    { "src=\"data:image/png;base64,iVBORw0KGgo=\"" }, { NULL } },
  { "/reader/sanitizer/data-svg-refused", "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
    NULL, { NULL }, { "svg", "alert" } },
  { "/reader/sanitizer/formaction",
    "<form><button formaction=\"javascript:alert(1)\">go</button></form><p>ok</p>", NULL,
    { "<p>ok</p>" }, { "formaction", "alert", "button" } },
  { "/reader/sanitizer/xlink-href",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg><p>ok</p>", NULL,
    { "<p>ok</p>" }, { "xlink", "alert" } },
  { "/reader/sanitizer/srcdoc", "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe><p>ok</p>",
    NULL, { "<p>ok</p>" }, { "srcdoc", "alert", "iframe" } },
  { "/reader/sanitizer/svg-onload", "<svg onload=\"alert(1)\"><circle r=\"4\"/></svg><p>ok</p>",
    NULL, { "<p>ok</p>" }, { "svg", "alert" } },
  { "/reader/sanitizer/meta-refresh",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><p>ok</p>", NULL,
    { "<p>ok</p>" }, { "refresh", "meta" } },
  { "/reader/sanitizer/base-href", "<base href=\"https://evil.example/\"><a href=\"x\">l</a>",
    "https://good.example/dir/", { "href=\"https://good.example/dir/x\"" }, { "evil" } },
  { "/reader/sanitizer/css-expression",
    "<p style=\"width: expression(alert(1)); background:url(javascript:alert(2))\">t</p>", NULL,
    { "<p>t</p>" }, { "style", "expression", "alert" } },
  { "/reader/sanitizer/style-element", "<style>body{background:url(javascript:x)}</style><p>t</p>",
    NULL, { "<p>t</p>" }, { "style", "background" } },
  { "/reader/sanitizer/link-stylesheet", "<link rel=\"stylesheet\" href=\"https://x.example/a.css\"><p>t</p>",
    NULL, { "<p>t</p>" }, { "stylesheet", "a.css" } },
  { "/reader/sanitizer/object", "<object data=\"evil.swf\"><param name=a value=b></object><p>t</p>",
    NULL, { "<p>t</p>" }, { "object", "evil", "param" } },
  { "/reader/sanitizer/embed", "<embed src=\"evil.swf\"><p>t</p>", NULL,
    { "<p>t</p>" }, { "embed", "evil" } },
  { "/reader/sanitizer/comments-and-cdata",
    "<p>a<!-- <script>alert(1)</script> -->b</p><![CDATA[<script>x</script>]]>", NULL,
    { "<p>ab</p>" }, { "<script", "<!--" } },
  { "/reader/sanitizer/unclosed", "<p><b>bold <i>both</p><p>next", NULL,
    { "<b>bold <i>both</i></b>", "next" }, { NULL } },
  { "/reader/sanitizer/nested-script-in-attr", "<img src=x alt=\"\"><script>a</script>\">", NULL,
    { NULL }, { "<script" } },
  { "/reader/sanitizer/form-controls", "<form action=\"/x\"><input value=v><textarea>t</textarea>"
    "<select><option>o</option></select><p>kept</p></form>", NULL,
    { "<p>kept</p>" }, { "<input", "<textarea", "<select", "<form" } },
  { "/reader/sanitizer/relative-urls", "<a href=\"../b/c.html\">l</a><img src=\"/i.png\">",
    "https://site.example/a/x/page.html",
    { "href=\"https://site.example/a/b/c.html\"", "src=\"https://site.example/i.png\"" }, { NULL } },
  { "/reader/sanitizer/srcset", "<img src=\"a.jpg\" srcset=\"a.jpg 1x, javascript:x 2x, b.jpg 3x\">",
    "https://s.example/",
    { "srcset=\"https://s.example/a.jpg 1x, https://s.example/b.jpg 3x\"" }, { "javascript" } },
  { "/reader/sanitizer/link-rel", "<a href=\"https://x.example/\" target=\"_blank\">x</a>", NULL,
    { "rel=\"noopener noreferrer\"" }, { "target" } },
  { "/reader/sanitizer/video-iframe",
    "<iframe src=\"https://www.youtube.com/embed/abc123\" onload=\"x()\"></iframe>", NULL,
    { "href=\"https://www.youtube.com/embed/abc123\"" }, { "<iframe", "onload" } },
  { "/reader/sanitizer/other-iframe", "<iframe src=\"https://ads.example/\"></iframe><p>t</p>", NULL,
    { "<p>t</p>" }, { "ads.example" } },
  { "/reader/sanitizer/picture",
    "<picture><source srcset=\"big.webp 2x\"><img alt=\"p\"></picture>", "https://p.example/",
    { "<img", "src=\"https://p.example/big.webp\"", "alt=\"p\"" }, { "<source", "<picture" } },
  { "/reader/sanitizer/entities", "<p>Fish &amp; chips &lt;3 &eacute;t&eacute;</p>", NULL,
    { "Fish &amp; chips &lt;3 été" }, { NULL } },
  { "/reader/sanitizer/attribute-quotes", "<img src=\"a.png\" alt='say \"hi\" &amp; <go>'>",
    "https://q.example/", { "alt=\"say &quot;hi&quot; &amp; &lt;go&gt;\"" }, { NULL } },
  { "/reader/sanitizer/unknown-unwrapped", "<font color=red><center>Text</center></font>", NULL,
    { "Text" }, { "<font", "<center" } },
  { "/reader/sanitizer/audio-video", "<video src=\"v.mp4\" autoplay onplay=\"x()\"></video>",
    "https://v.example/", { "controls", "src=\"https://v.example/v.mp4\"" }, { "autoplay", "onplay" } },
};

static void
test_case (gconstpointer data)
{
  const SanitizeCase *c = data;
  g_autofree char *out = gazette_sanitize_html_fragment (c->html, -1, c->base);

  g_test_message ("in:  %s\nout: %s", c->html, out);
  for (guint i = 0; i < G_N_ELEMENTS (c->must_contain) && c->must_contain[i] != NULL; i++)
    if (strstr (out, c->must_contain[i]) == NULL)
      g_test_fail_printf ("“%s” missing from sanitised “%s”", c->must_contain[i], out);
  for (guint i = 0; i < G_N_ELEMENTS (c->must_not_contain) && c->must_not_contain[i] != NULL; i++)
    {
      g_autofree char *lower_out = g_ascii_strdown (out, -1);
      g_autofree char *lower_bad = g_ascii_strdown (c->must_not_contain[i], -1);

      if (strstr (lower_out, lower_bad) != NULL)
        g_test_fail_printf ("“%s” survived in sanitised “%s”", c->must_not_contain[i], out);
    }
}

static void
test_empty (void)
{
  g_autofree char *a = gazette_sanitize_html_fragment ("", -1, NULL);
  g_autofree char *b = gazette_sanitize_html_fragment (NULL, -1, NULL);
  g_autofree char *c = gazette_sanitize_html_fragment ("<script>x</script>", -1, NULL);

  g_assert_cmpstr (a, ==, "");
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpstr (c, ==, "");
}

static void
test_plain_text (void)
{
  static const struct { const char *html; const char *text; } rows[] = {
    { "<b>Bold</b> &amp; <i>italic</i>", "Bold & italic" },
    { "<p>One</p><p>Two</p>", "One Two" },
    { "  lots \n of\t space  ", "lots of space" },
    { "<script>x()</script>Text<style>p{}</style>", "Text" },
    { "Caf&eacute; &#8212; &lt;tag&gt;", "Café — <tag>" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *text = gazette_html_to_plain_text (rows[i].html, -1);
      g_assert_cmpstr (text, ==, rows[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/reader/sanitizer/empty", test_empty);
  g_test_add_func ("/reader/text/plain", test_plain_text);

  return g_test_run ();
}

/* test-selector.c — CSS selectors compiled to XPath, matched on a fixture document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>

#include "gazette-error.h"
#include "gazette-selector.h"

/* Every element that can match carries an id, so a result is a list of ids. */
static const char fixture[] =
  "<!DOCTYPE html><html id='html'><body id='body'>"
  "<div id='d1' class='box  ad-box' data-kind='Promo-Top' lang='en-GB'>"
  "  <p id='p1' class='lead'>one</p>"
  "  <p id='p2'>two</p>"
  "  <span id='s1' title=\"it's &quot;q&quot;\">x</span>"
  "  <p id='p3' class='lead last'>three</p>"
  "</div>"
  "<div id='d2' class='box'><p id='p4'></p></div>"
  "<ul id='ul'><li id='l1'>a</li><li id='l2'>b</li><li id='l3'>c</li><li id='l4'>d</li>"
  "<li id='l5'>e</li></ul>"
  "<section id='sec'><h2 id='h2'>t</h2><a id='a1' href='https://ads.example.com/x.png'>x</a>"
  "<a id='a2' href='/local'>y</a></section>"
  "</body></html>";

typedef struct
{
  const char *css;
  const char *ids;   /* space-separated, document order */
} Case;

static const Case cases[] = {
  { "p", "p1 p2 p3 p4" },
  { "*", "html body d1 p1 p2 s1 p3 d2 p4 ul l1 l2 l3 l4 l5 sec h2 a1 a2" },
  { "P", "p1 p2 p3 p4" },
  { ".lead", "p1 p3" },
  { ".ad-box", "d1" },
  { ".box.ad-box", "d1" },
  { "#p2", "p2" },
  { "p#p2.lead", "" },
  { "[title]", "s1" },
  { "[id=p1]", "p1" },
  { "[class~=last]", "p3" },
  { "[class~='']", "" },
  { "[lang|=en]", "d1" },
  { "[href^='https://ads.']", "a1" },
  { "[href$=\".png\"]", "a1" },
  { "[href*=example]", "a1" },
  { "[data-kind='promo-top' i]", "d1" },
  { "[data-kind='promo-top']", "" },
  { "[title='it\\'s \"q\"']", "s1" },
  { "div p", "p1 p2 p3 p4" },
  { "body > p", "" },
  { "div > p", "p1 p2 p3 p4" },
  { "#p1 + p", "p2" },
  { "#p1 ~ p", "p2 p3" },
  { "#p1 + span", "" },
  { "h2, #p4", "p4 h2" },
  { "p:not(.lead)", "p2 p4" },
  { "p:not(.lead, #p4)", "p2" },
  { "li:first-child", "l1" },
  { "li:last-child", "l5" },
  { "p:only-child", "p4" },
  { "li:nth-child(2)", "l2" },
  { "li:nth-child(odd)", "l1 l3 l5" },
  { "li:nth-child(even)", "l2 l4" },
  { "li:nth-child(2n+3)", "l3 l5" },
  { "li:nth-child(-n+2)", "l1 l2" },
  { "li:nth-last-child(1)", "l5" },
  { "p:nth-of-type(2)", "p2" },
  { "p:first-of-type", "p1 p4" },
  { "p:last-of-type", "p3 p4" },
  { "p:empty", "p4" },
  { ":root", "html" },
  { "div:has(> span)", "d1" },
  { "div:has(p.last)", "d1" },
  { "section:has(h2 + a)", "sec" },
  { "div:is(#d2, .ad-box)", "d1 d2" },
  { ".a\\:b, #d\\31", "d1" },
};

static const char * const unsupported[] = {
  "div:has-text(Sponsored)",
  "div:upward(2)",
  "div:style(display: none !important)",
  "div:-abp-contains(Ad)",
  "p::before",
  "svg|rect",
  "div:hover",
  "*:nth-of-type(2)",
  "div >",
  "div[",
  "[a=\"x]",
  "li:nth-child(n+)",
  "",
  "div)",
};

static htmlDocPtr
load_fixture (void)
{
  return htmlReadMemory (fixture, sizeof fixture - 1, NULL, "utf-8",
                         HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

static char *
ids_of (GPtrArray *nodes)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < nodes->len; i++)
    {
      xmlChar *id = xmlGetProp (g_ptr_array_index (nodes, i), (const xmlChar *) "id");

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, id != NULL ? (const char *) id : "?");
      xmlFree (id);
    }
  return g_string_free (out, FALSE);
}

static void
test_select_table (void)
{
  htmlDocPtr doc = load_fixture ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GazetteSelector) selector = gazette_selector_new (cases[i].css, &error);
      g_autoptr(GPtrArray) nodes = NULL;
      g_autofree char *ids = NULL;

      g_test_message ("%s → %s", cases[i].css, selector ? gazette_selector_get_xpath (selector) : "");
      g_assert_no_error (error);
      nodes = gazette_selector_select (selector, doc, NULL);
      ids = ids_of (nodes);
      g_assert_cmpstr (ids, ==, cases[i].ids);
    }
  xmlFreeDoc (doc);
}

static void
test_select_unsupported (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GazetteSelector) selector = gazette_selector_new (unsupported[i], &error);

      g_test_message ("%s: %s", unsupported[i], error ? error->message : "(no error)");
      g_assert_null (selector);
      g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_PARSE);
    }
}

static void
test_select_error_names_the_operator (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteSelector) selector = gazette_selector_new (".ad:has-text(Sponsored)", &error);

  g_assert_null (selector);
  g_assert_nonnull (strstr (error->message, ":has-text()"));
}

static void
test_select_scope_and_matches (void)
{
  htmlDocPtr doc = load_fixture ();
  g_autoptr(GazetteSelector) selector = gazette_selector_new ("body p", NULL);
  g_autoptr(GazetteSelector) root = gazette_selector_new (":root", NULL);
  xmlNodePtr d2 = NULL;
  g_autoptr(GPtrArray) all = gazette_selector_select (selector, doc, NULL);
  g_autoptr(GPtrArray) in_d2 = NULL;
  g_autofree char *ids = NULL;

  for (guint i = 0; i < all->len; i++)
    if (xmlHasProp (g_ptr_array_index (all, i), (const xmlChar *) "id"))
      {
        xmlChar *id = xmlGetProp (g_ptr_array_index (all, i), (const xmlChar *) "id");

        if (g_str_equal ((const char *) id, "p4"))
          d2 = ((xmlNodePtr) g_ptr_array_index (all, i))->parent;
        xmlFree (id);
      }
  g_assert_nonnull (d2);
  /* "body" is outside the scope, yet it counts for the combinator, as in CSS. */
  in_d2 = gazette_selector_select (selector, doc, d2);
  ids = ids_of (in_d2);
  g_assert_cmpstr (ids, ==, "p4");
  g_assert_true (gazette_selector_matches (selector, d2->children));
  g_assert_false (gazette_selector_matches (selector, d2));
  g_assert_true (gazette_selector_matches (root, xmlDocGetRootElement (doc)));
  xmlFreeDoc (doc);
}

static void
test_select_keys (void)
{
  g_autoptr(GazetteSelector) a = gazette_selector_new ("div.x > p#y.z", NULL);
  g_autoptr(GazetteSelector) b = gazette_selector_new (".ad-box .inner", NULL);
  g_autoptr(GazetteSelector) c = gazette_selector_new ("a[href^='http://ads.']", NULL);
  g_autoptr(GazetteSelector) d = gazette_selector_new (".one, #two", NULL);
  g_autoptr(GazetteSelector) e = gazette_selector_new (".one, p", NULL);
  const char * const *keys;

  keys = gazette_selector_get_keys (a);
  g_assert_cmpstr (keys[0], ==, "#y");
  g_assert_null (keys[1]);
  keys = gazette_selector_get_keys (b);
  g_assert_cmpstr (keys[0], ==, ".inner");
  g_assert_null (gazette_selector_get_keys (c));
  keys = gazette_selector_get_keys (d);
  g_assert_cmpstr (keys[0], ==, ".one");
  g_assert_cmpstr (keys[1], ==, "#two");
  g_assert_null (gazette_selector_get_keys (e));
}

static void
test_select_required_text (void)
{
  g_autoptr(GazetteSelector) a = gazette_selector_new ("a[href*=\"://ads.\"] > img[src$=x]", NULL);
  g_autoptr(GazetteSelector) b = gazette_selector_new ("div:not([id^=\"sponsor\"])", NULL);
  g_autoptr(GazetteSelector) c = gazette_selector_new ("[id^=ad-], [id^=promo-]", NULL);
  g_autoptr(GazetteSelector) d = gazette_selector_new ("[data-x='LONGER' i]", NULL);

  g_assert_cmpstr (gazette_selector_get_required_text (a), ==, "://ads.");
  g_assert_null (gazette_selector_get_required_text (b));   /* negated: not required */
  g_assert_null (gazette_selector_get_required_text (c));   /* a list: either will do */
  g_assert_null (gazette_selector_get_required_text (d));   /* case-insensitive */
}

static xmlNodePtr
find_by_attr (xmlNodePtr  node,
              const char *name,
              const char *value)
{
  for (; node != NULL; node = node->next)
    {
      xmlChar *v;
      xmlNodePtr found;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      v = xmlGetProp (node, (const xmlChar *) name);
      if (v != NULL && g_str_equal ((const char *) v, value))
        {
          xmlFree (v);
          return node;
        }
      xmlFree (v);
      if ((found = find_by_attr (node->children, name, value)) != NULL)
        return found;
    }
  return NULL;
}

static const char marked_page[] =
  "<html><body><div id='page-root'><main>"
  "<article class='story css-1x2y3z'><p>one</p>"
  "  <aside data-t='a' id='newsletter-signup'>x</aside>"
  "  <aside data-t='b' class='sc-bdVaJa donate-box promo'>y</aside>"
  "  <div data-t='c' class='css-9q8w7e Share_bar__3xYz1'>z</div>"
  "  <div data-t='d' id='post-123456' class='jsx-2841'><p>w</p></div>"
  "  <div data-t='e' id='dup'>v</div><div data-t='f' id='dup'>u</div>"
  "  <div data-t='g' class='story-part'><div data-t='h' class='story-part'>t</div></div>"
  "</article></main></div></body></html>";

static void
test_selector_for_node (void)
{
  static const struct { const char *mark; const char *expected; } cases[] = {
    { "a", "#newsletter-signup" },
    { "b", "aside.donate-box.promo" },
    { "c", "#page-root > main:nth-of-type(1) > article:nth-of-type(1) > div:nth-of-type(1)" },
    { "d", "#page-root > main:nth-of-type(1) > article:nth-of-type(1) > div:nth-of-type(2)" },
    { "e", "#page-root > main:nth-of-type(1) > article:nth-of-type(1) > div:nth-of-type(3)" },
    /* Its class is its ancestor's too: "blocks like this" would take the ancestor. */
    { "h", "#page-root > main:nth-of-type(1) > article:nth-of-type(1) > div:nth-of-type(5)"
           " > div:nth-of-type(1)" },
  };
  htmlDocPtr doc = htmlReadMemory (marked_page, strlen (marked_page), NULL, "utf-8",
                                   HTML_PARSE_RECOVER | HTML_PARSE_NOERROR
                                   | HTML_PARSE_NOWARNING);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      xmlNodePtr node = find_by_attr (xmlDocGetRootElement (doc), "data-t", cases[i].mark);
      g_autofree char *css = gazette_selector_for_node (node);
      g_autoptr(GazetteSelector) selector = gazette_selector_new (css, NULL);
      g_autoptr(GPtrArray) found = NULL;

      g_assert_cmpstr (css, ==, cases[i].expected);
      g_assert_nonnull (selector);
      found = gazette_selector_select (selector, doc, NULL);
      g_assert_true (g_ptr_array_find (found, node, NULL));
      /* The id kept its value after the uniqueness check. */
      g_assert_nonnull (find_by_attr (xmlDocGetRootElement (doc), "data-t", cases[i].mark));
    }
  xmlFreeDoc (doc);
}

static void
test_selector_generated_names (void)
{
  static const char * const generated[] = { "css-1x2y3z", "sc-bdVaJa", "Share_bar__3xYz1",
                                            "jsx-2841", "post-123456", "a1b2c3", "kYsVwX",
                                            "_3xYz1", "9col", "x:y", NULL };
  static const char * const stable[] = { "donate-box", "newsletter", "share_bar", "col-6",
                                         "h2", "shareBar", "article-body", "mt-4", NULL };

  for (guint i = 0; generated[i] != NULL; i++)
    g_assert_true (gazette_selector_name_looks_generated (generated[i]));
  for (guint i = 0; stable[i] != NULL; i++)
    g_assert_false (gazette_selector_name_looks_generated (stable[i]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/reader/selector/table", test_select_table);
  g_test_add_func ("/reader/selector/unsupported", test_select_unsupported);
  g_test_add_func ("/reader/selector/error-message", test_select_error_names_the_operator);
  g_test_add_func ("/reader/selector/scope", test_select_scope_and_matches);
  g_test_add_func ("/reader/selector/keys", test_select_keys);
  g_test_add_func ("/reader/selector/required-text", test_select_required_text);
  g_test_add_func ("/reader/selector/for-node", test_selector_for_node);
  g_test_add_func ("/reader/selector/generated-names", test_selector_generated_names);

  return g_test_run ();
}

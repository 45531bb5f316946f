/* test-filter-list.c — the cosmetic subset of Adblock Plus / uBlock Origin lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>

#include <json-glib/json-glib.h>

#include "gazette-filter-list.h"

static const char list_text[] =
  "[Adblock Plus 2.0]\n"                                   /* 1 */
  "! Title: test list\n"                                   /* 2 */
  "##.ad-box\n"                                            /* 3 generic, keyed .ad-box */
  "##div[id^=\"sponsor-\"]\n"                              /* 4 generic, no key */
  "example.com##.promo\n"                                  /* 5 domain */
  "a.com,b.org##.banner > p\n"                             /* 6 multi-domain */
  "~quiet.com##.social-bar\n"                              /* 7 generic except quiet.com */
  "example.com,~shop.example.com##.teaser\n"               /* 8 domain minus a subdomain */
  "example.com#@#.ad-box\n"                                /* 9 exception on one site */
  "#@#.legacy\n"                                           /* 10 generic exception */
  "##.legacy\n"                                            /* 11 never applies */
  "||ads.example.com^\n"                                   /* 12 network */
  "@@||cdn.example.com^$script\n"                          /* 13 network exception */
  "example.com#?#.x:has-text(Ad)\n"                        /* 14 procedural */
  "example.com#$#.x { display: none; }\n"                  /* 15 css injection */
  "example.com##+js(set-constant, x, 1)\n"                 /* 16 scriptlet */
  "example.com#%#window.x = 1;\n"                          /* 17 snippet */
  "##.ok:has-text(Sponsored)\n"                            /* 18 malformed */
  "\n"                                                     /* 19 */
  "##div >\n"                                              /* 20 malformed */
  "shop.*##.upsell\n";                                     /* 21 entity */

static GazetteFilterList *
load (GPtrArray **warnings)
{
  GazetteFilterList *list = gazette_filter_list_new ();

  *warnings = g_ptr_array_new_with_free_func (g_free);
  gazette_filter_list_add_text (list, list_text, -1, *warnings);
  return list;
}

static gboolean
has_rule (GPtrArray  *rules,
          const char *text)
{
  for (guint i = 0; i < rules->len; i++)
    if (g_str_equal (gazette_filter_rule_get_text (g_ptr_array_index (rules, i)), text))
      return TRUE;
  return FALSE;
}

static GHashTable *
keys_of (const char * const *keys)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (keys[i]));
  return set;
}

static void
test_filter_list_counts (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GazetteFilterList) list = load (&warnings);

  /* 3–11 and 21: ten cosmetic rules and exceptions */
  g_assert_cmpuint (gazette_filter_list_get_n_rules (list), ==, 10);
  /* 12–17: network, procedural, injection, scriptlet, snippet */
  g_assert_cmpuint (gazette_filter_list_get_n_skipped (list), ==, 6);
  g_assert_cmpuint (gazette_filter_list_get_n_invalid (list), ==, 2);
}

static void
test_filter_list_warnings (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GazetteFilterList) list = load (&warnings);

  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "line 18: "));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), ":has-text()"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 1), "line 20: "));
}

static void
test_filter_list_generic (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GazetteFilterList) list = load (&warnings);
  const char * const page[] = { ".ad-box", ".social-bar", ".legacy", ".promo", NULL };
  g_autoptr(GHashTable) keys = keys_of (page);
  g_autoptr(GPtrArray) rules = gazette_filter_list_lookup (list, "news.org", keys);

  g_assert_true (has_rule (rules, "##.ad-box"));
  g_assert_true (has_rule (rules, "##div[id^=\"sponsor-\"]"));  /* unkeyed: always tried */
  g_assert_true (has_rule (rules, "~quiet.com##.social-bar"));
  g_assert_false (has_rule (rules, "##.legacy"));               /* generic exception */
  g_assert_false (has_rule (rules, "example.com##.promo"));     /* another site */
  g_assert_cmpuint (rules->len, ==, 3);
}

static void
test_filter_list_index (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GazetteFilterList) list = load (&warnings);
  const char * const page[] = { ".unrelated", "#main", NULL };
  g_autoptr(GHashTable) keys = keys_of (page);
  g_autoptr(GPtrArray) rules = gazette_filter_list_lookup (list, NULL, keys);

  /* A page without .ad-box or .social-bar evaluates only the unkeyed rule. */
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_true (has_rule (rules, "##div[id^=\"sponsor-\"]"));
}

static void
test_filter_list_domains (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GazetteFilterList) list = load (&warnings);
  const char * const page[] = { ".ad-box", ".social-bar", NULL };
  g_autoptr(GHashTable) keys = keys_of (page);
  g_autoptr(GPtrArray) example = gazette_filter_list_lookup (list, "www.Example.com", keys);
  g_autoptr(GPtrArray) shop = gazette_filter_list_lookup (list, "shop.example.com", keys);
  g_autoptr(GPtrArray) quiet = gazette_filter_list_lookup (list, "blog.quiet.com", keys);
  g_autoptr(GPtrArray) b = gazette_filter_list_lookup (list, "b.org", keys);
  g_autoptr(GPtrArray) notb = gazette_filter_list_lookup (list, "bb.org", keys);
  g_autoptr(GPtrArray) entity = gazette_filter_list_lookup (list, "www.shop.co.uk", keys);

  /* subdomains match; the exception holds on example.com and below */
  g_assert_true (has_rule (example, "example.com##.promo"));
  g_assert_true (has_rule (example, "example.com,~shop.example.com##.teaser"));
  g_assert_false (has_rule (example, "##.ad-box"));
  g_assert_false (has_rule (shop, "example.com,~shop.example.com##.teaser"));
  g_assert_true (has_rule (shop, "example.com##.promo"));
  g_assert_false (has_rule (quiet, "~quiet.com##.social-bar"));
  g_assert_true (has_rule (quiet, "##.ad-box"));
  g_assert_true (has_rule (b, "a.com,b.org##.banner > p"));
  g_assert_false (has_rule (notb, "a.com,b.org##.banner > p"));
  g_assert_true (has_rule (entity, "shop.*##.upsell"));
}

static void
test_filter_list_collect_keys (void)
{
  static const char html[] =
    "<html><body><div id='a' class=' x  y '><p class='z'>t</p></div><p id='sib'>u</p></body></html>";
  htmlDocPtr doc = htmlReadMemory (html, sizeof html - 1, NULL, "utf-8",
                                   HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  xmlNodePtr body = xmlDocGetRootElement (doc)->children;
  g_autoptr(GHashTable) all = gazette_filter_list_collect_keys (xmlDocGetRootElement (doc));
  g_autoptr(GHashTable) div = gazette_filter_list_collect_keys (body->children);

  g_assert_cmpuint (g_hash_table_size (all), ==, 5);
  g_assert_true (g_hash_table_contains (all, "#sib"));
  g_assert_true (g_hash_table_contains (div, ".y"));
  g_assert_false (g_hash_table_contains (div, "#sib"));  /* siblings of the root are not in */
  xmlFreeDoc (doc);
}

/* Only the keys some rule of the lists is indexed by, site rules included. */
static void
test_filter_lists_collect_keys (void)
{
  static const char html[] =
    "<html><body><div id='a' class='x ad'><p class='z'>t</p><p class='site'>u</p></div>"
    "</body></html>";
  htmlDocPtr doc = htmlReadMemory (html, sizeof html - 1, NULL, "utf-8",
                                   HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  g_autoptr(GazetteFilterList) one = gazette_filter_list_new ();
  g_autoptr(GazetteFilterList) two = gazette_filter_list_new ();
  GazetteFilterList *lists[] = { one, two, NULL };
  g_autoptr(GHashTable) keys = NULL;

  gazette_filter_list_add_text (one, "##.ad\n##.missing\n", -1, NULL);
  gazette_filter_list_add_text (two, "example.com##.site\n##[id^='a']\n", -1, NULL);
  keys = gazette_filter_lists_collect_keys (lists, xmlDocGetRootElement (doc));
  g_assert_cmpuint (g_hash_table_size (keys), ==, 2);
  g_assert_true (g_hash_table_contains (keys, ".ad"));
  g_assert_true (g_hash_table_contains (keys, ".site"));
  g_assert_cmpuint (((GPtrArray *) g_hash_table_lookup (keys, ".ad"))->len, ==, 1);
  xmlFreeDoc (doc);
}

static void
test_filter_list_easylist (void)
{
  const char *path = "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/"
                     "uBlock0@raymondhill.net/assets/thirdparties/easylist/easylist.txt";
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr(GazetteFilterList) list = gazette_filter_list_new ();

  if (!g_file_get_contents (path, &text, &length, NULL))
    {
      g_test_skip ("EasyList (webext-ublock-origin-firefox) is not installed");
      return;
    }
  gazette_filter_list_add_text (list, text, length, NULL);
  /* Most of EasyList is network rules; its cosmetic part parses nearly whole. */
  g_assert_cmpuint (gazette_filter_list_get_n_rules (list), >, 10000);
  g_assert_cmpuint (gazette_filter_list_get_n_invalid (list) * 100, <,
                    gazette_filter_list_get_n_rules (list));
}

/* The entries of content-blocker JSON, checked for shape: every entry has a trigger with
 * url-filter ".*" and a css-display-none action with a selector. */
static JsonArray *
parse_blocker (const char  *json,
               JsonParser **parser_out)
{
  JsonParser *parser = json_parser_new ();
  JsonArray *entries;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  entries = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *trigger = json_object_get_object_member (entry, "trigger");
      JsonObject *action = json_object_get_object_member (entry, "action");

      g_assert_cmpstr (json_object_get_string_member (trigger, "url-filter"), ==, ".*");
      g_assert_false (json_object_has_member (trigger, "if-domain")
                      && json_object_has_member (trigger, "unless-domain"));
      g_assert_cmpstr (json_object_get_string_member (action, "type"), ==, "css-display-none");
      g_assert_nonnull (json_object_get_string_member (action, "selector"));
    }
  *parser_out = parser;
  return entries;
}

/* The entry whose selector list names @selector, or NULL. */
static JsonObject *
entry_with (JsonArray  *entries,
            const char *selector)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *list = json_object_get_string_member (json_object_get_object_member (entry,
                                                                                      "action"),
                                                        "selector");
      g_auto(GStrv) parts = g_strsplit (list, ", ", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if (g_str_equal (parts[j], selector))
          return entry;
    }
  return NULL;
}

static gboolean
domains_are (JsonObject *entry,
             const char *member,
             const char *expected)
{
  JsonObject *trigger = json_object_get_object_member (entry, "trigger");
  g_autoptr(GString) got = g_string_new (NULL);
  JsonArray *domains;

  if (!json_object_has_member (trigger, member))
    return expected == NULL;
  domains = json_object_get_array_member (trigger, member);
  for (guint i = 0; i < json_array_get_length (domains); i++)
    g_string_append_printf (got, "%s%s", i > 0 ? " " : "",
                            json_array_get_string_element (domains, i));
  if (g_strcmp0 (got->str, expected) != 0)
    g_test_message ("%s: got \"%s\", expected \"%s\"", member, got->str, expected);
  return g_strcmp0 (got->str, expected) == 0;
}

static void
test_filter_list_content_blocker (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GazetteFilterList) list = load (&warnings);
  GazetteFilterList *lists[] = { list, NULL };
  g_autofree char *json = gazette_filter_lists_to_content_blocker_json (lists, NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *entries = parse_blocker (json, &parser);
  JsonObject *e;

  /* Generic, batched together, no domains; the site exception turns .ad-box's trigger into
   * unless-domain. */
  g_assert_nonnull ((e = entry_with (entries, "div[id^=\"sponsor-\"]")));
  g_assert_true (domains_are (e, "if-domain", NULL) && domains_are (e, "unless-domain", NULL));
  g_assert_nonnull ((e = entry_with (entries, ".ad-box")));
  g_assert_true (domains_are (e, "unless-domain", "*example.com"));
  g_assert_nonnull ((e = entry_with (entries, ".social-bar")));
  g_assert_true (domains_are (e, "unless-domain", "*quiet.com"));
  g_assert_nonnull ((e = entry_with (entries, ".promo")));
  g_assert_true (domains_are (e, "if-domain", "*example.com"));
  g_assert_nonnull ((e = entry_with (entries, ".banner > p")));
  g_assert_true (domains_are (e, "if-domain", "*a.com *b.org"));
  /* The generic exception drops the rule; entity domains cannot be said in WebKit's terms. */
  g_assert_null (entry_with (entries, ".legacy"));
  g_assert_null (entry_with (entries, ".upsell"));
}

static void
test_filter_list_content_blocker_host (void)
{
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GazetteFilterList) list = load (&warnings);
  GazetteFilterList *lists[] = { list, NULL };
  g_autofree char *json = gazette_filter_lists_to_content_blocker_json (lists, "www.example.com");
  g_autofree char *shop = gazette_filter_lists_to_content_blocker_json (lists, "shop.example.com");
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) shop_parser = NULL;
  JsonArray *entries = parse_blocker (json, &parser);
  JsonArray *shop_entries = parse_blocker (shop, &shop_parser);
  GazetteFilterList *none[] = { NULL };
  g_autofree char *empty = gazette_filter_lists_to_content_blocker_json (none, NULL);

  /* Resolved for the host: one batch, no domain lists. */
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  g_assert_true (domains_are (json_array_get_object_element (entries, 0), "if-domain", NULL));
  g_assert_nonnull (entry_with (entries, ".promo"));
  g_assert_nonnull (entry_with (entries, ".teaser"));
  g_assert_nonnull (entry_with (entries, ".social-bar"));
  g_assert_null (entry_with (entries, ".ad-box"));
  g_assert_null (entry_with (entries, ".banner > p"));
  g_assert_null (entry_with (shop_entries, ".teaser"));
  g_assert_nonnull (entry_with (shop_entries, ".promo"));
  g_assert_cmpstr (empty, ==, "[]");
}

static void
test_filter_list_content_blocker_batches (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GazetteFilterList) list = gazette_filter_list_new ();
  GazetteFilterList *lists[] = { list, NULL };
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *entries;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (text, "##.box-%u\n", i);
  gazette_filter_list_add_text (list, text->str, -1, NULL);
  json = gazette_filter_lists_to_content_blocker_json (lists, NULL);
  entries = parse_blocker (json, &parser);
  /* A thousand generic rules: a handful of entries, each a selector list. */
  g_assert_cmpuint (json_array_get_length (entries), >=, 2);
  g_assert_cmpuint (json_array_get_length (entries), <=, 10);
  g_assert_nonnull (entry_with (entries, ".box-999"));
}

static void
test_filter_list_layered_exceptions (void)
{
  g_autoptr(GazetteFilterList) base = gazette_filter_list_new ();
  g_autoptr(GazetteFilterList) user = gazette_filter_list_new ();
  GazetteFilterList *lists[] = { user, base, NULL };
  g_autofree char *json = NULL;
  g_autofree char *sheet = NULL;
  g_autofree char *sheet_all = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *entries;

  gazette_filter_list_add_text (base, "##.sidebar\n##.promo\nnews.org##.teaser\n", -1, NULL);
  gazette_filter_list_add_text (user, "blog.net#@#.sidebar\n#@#.promo\nnews.org##.quiz\n", -1,
                                NULL);
  g_assert_true (gazette_filter_list_is_excepted (user, ".sidebar", "www.blog.net"));
  g_assert_false (gazette_filter_list_is_excepted (user, ".sidebar", "news.org"));
  g_assert_true (gazette_filter_list_is_excepted (user, ".promo", NULL));

  json = gazette_filter_lists_to_content_blocker_json (lists, NULL);
  entries = parse_blocker (json, &parser);
  g_assert_true (domains_are (entry_with (entries, ".sidebar"), "unless-domain", "*blog.net"));
  g_assert_null (entry_with (entries, ".promo"));
  g_assert_true (domains_are (entry_with (entries, ".quiz"), "if-domain", "*news.org"));

  sheet = gazette_filter_lists_to_style_sheet (lists, "news.org");
  g_assert_nonnull (strstr (sheet, ".sidebar"));
  g_assert_nonnull (strstr (sheet, ".quiz"));
  g_assert_nonnull (strstr (sheet, ".teaser"));
  g_assert_null (strstr (sheet, ".promo"));
  g_assert_nonnull (strstr (sheet, "{ display: none !important; }"));
  sheet_all = gazette_filter_lists_to_style_sheet (lists, NULL);
  g_assert_null (strstr (sheet_all, ".quiz"));
  g_assert_null (strstr (sheet_all, ".sidebar"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/reader/filter-list/counts", test_filter_list_counts);
  g_test_add_func ("/reader/filter-list/warnings", test_filter_list_warnings);
  g_test_add_func ("/reader/filter-list/generic", test_filter_list_generic);
  g_test_add_func ("/reader/filter-list/index", test_filter_list_index);
  g_test_add_func ("/reader/filter-list/domains", test_filter_list_domains);
  g_test_add_func ("/reader/filter-list/collect-keys", test_filter_list_collect_keys);
  g_test_add_func ("/reader/filter-list/collect-keys-of-lists", test_filter_lists_collect_keys);
  g_test_add_func ("/reader/filter-list/easylist", test_filter_list_easylist);
  g_test_add_func ("/reader/filter-list/content-blocker", test_filter_list_content_blocker);
  g_test_add_func ("/reader/filter-list/content-blocker-host",
                   test_filter_list_content_blocker_host);
  g_test_add_func ("/reader/filter-list/content-blocker-batches",
                   test_filter_list_content_blocker_batches);
  g_test_add_func ("/reader/filter-list/layered-exceptions", test_filter_list_layered_exceptions);

  return g_test_run ();
}

/* test-content-rules.c — the clutter filter's rules as WebKit content blocker JSON and style
 * sheets, the user's list over the defaults, the original page's hiding style sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>

#include "gazette-clutter.h"
#include "gazette-content-rules.h"

static const char user_rules[] =
  "! comments and section headers are skipped\n"
  "[Adblock Plus 2.0]\n"
  "example.com##.site-box\n"
  "##.generic-box\n"
  "example.com#@#.generic-box\n"
  "##.gone-box\n"
  "#@#.gone-box\n"
  "foo.org,~bar.foo.org##.two-domains\n"
  "~baz.net##.not-on-baz\n"
  "example.*##.entity-box\n"
  "##.x:has-text(appeal)\n"
  "example.org##div[\n"
  "||ads.example^\n";

/* The trigger of the entry hiding @selector, or NULL. */
static JsonObject *
find_trigger (JsonArray  *entries,
              const char *selector)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *action = json_object_get_object_member (entry, "action");

      g_auto(GStrv) selectors = NULL;

      g_assert_cmpstr (json_object_get_string_member (action, "type"), ==, "css-display-none");
      /* Generic rules come batched in selector lists. */
      selectors = g_strsplit (json_object_get_string_member (action, "selector"), ",", -1);
      for (guint j = 0; selectors[j] != NULL; j++)
        if (g_str_equal (g_strstrip (selectors[j]), selector))
          return json_object_get_object_member (entry, "trigger");
    }
  return NULL;
}

static char *
domains_of (JsonObject *trigger,
            const char *member)
{
  JsonArray *array;
  g_autoptr(GString) out = g_string_new (NULL);

  if (!json_object_has_member (trigger, member))
    return g_strdup ("");
  array = json_object_get_array_member (trigger, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", json_array_get_string_element (array, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_webkit_json (void)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GazetteContentRules) rules = gazette_content_rules_new (user_rules, warnings);
  g_autofree char *json = gazette_content_rules_to_webkit_json (rules);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *entries;
  JsonObject *trigger;
  char *domains;

  g_assert_false (gazette_content_rules_get_easylist_found (rules));
  /* The user's lines that cannot be used, by their numbers. */
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "line 11:"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 1), "line 12:"));

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  entries = json_node_get_array (json_parser_get_root (parser));
  /* Gazette's curated list is in. */
  g_assert_nonnull (find_trigger (entries, ".newsletter-signup"));

  trigger = find_trigger (entries, ".site-box");
  g_assert_nonnull (trigger);
  g_assert_cmpstr (json_object_get_string_member (trigger, "url-filter"), ==, ".*");
  domains = domains_of (trigger, "if-domain");
  g_assert_cmpstr (domains, ==, "*example.com");
  g_free (domains);

  trigger = find_trigger (entries, ".generic-box");
  g_assert_nonnull (trigger);
  domains = domains_of (trigger, "unless-domain");
  g_assert_cmpstr (domains, ==, "*example.com");
  g_free (domains);
  g_assert_false (json_object_has_member (trigger, "if-domain"));

  /* A generic exception takes the rule out everywhere. */
  g_assert_null (find_trigger (entries, ".gone-box"));

  trigger = find_trigger (entries, ".not-on-baz");
  domains = domains_of (trigger, "unless-domain");
  g_assert_cmpstr (domains, ==, "*baz.net");
  g_free (domains);

  /* What WebKit cannot say is left out: entity domains, procedural selectors. */
  g_assert_null (find_trigger (entries, ".entity-box"));
  g_assert_null (find_trigger (entries, ".x:has-text(appeal)"));
}

static void
test_style_sheet (void)
{
  g_autoptr(GazetteContentRules) rules = gazette_content_rules_new (user_rules, NULL);
  g_autofree char *css = gazette_content_rules_to_style_sheet (rules, "news.example.com");
  g_autofree char *baz = gazette_content_rules_to_style_sheet (rules, "baz.net");

  g_assert_nonnull (strstr (css, ".site-box"));
  g_assert_nonnull (strstr (css, "display: none !important"));
  g_assert_null (strstr (css, ".generic-box"));
  g_assert_null (strstr (css, ".gone-box"));
  g_assert_nonnull (strstr (css, ".not-on-baz"));
  g_assert_nonnull (strstr (css, ".newsletter-signup"));

  g_assert_null (strstr (baz, ".site-box"));
  g_assert_nonnull (strstr (baz, ".generic-box"));
  g_assert_null (strstr (baz, ".not-on-baz"));
}

static const char story[] =
  "<!DOCTYPE html><html><head><meta charset=\"windows-1252\"><title>Quay lamps</title></head>"
  "<body><main><article><h1>Quay lamps</h1><div class=\"story\">"
  "<p>For the first time in twenty years the harbour lights were switched on again on Friday "
  "evening, after volunteers replaced every lamp along the north quay by hand – café owners "
  "brought soup.</p>"
  "<div class=\"mine\"><p>A note the reader asked to hide, long enough to be a paragraph of its "
  "own in the story.</p></div>"
  "<p>The work took eleven weekends. Most of the lamps came from a scrapyard in the next town, "
  "and the glass was cut by a retired glazier who had fitted the originals.</p>"
  "<div class=\"c-a91\"><p>Support Harbour Notes! We have a small favor to ask: your "
  "donation keeps us independent. Donate now.</p></div>"
  "<p>The harbour master said the lights would stay on from dusk to midnight through the "
  "winter, and that the town would pay for the electricity from next year.</p>"
  "</div></article></main></body></html>";

static void
test_extract (void)
{
  g_autoptr(GazetteContentRules) rules = gazette_content_rules_new ("quay.example##.mine\n", NULL);
  g_autoptr(GazetteArticleContent) content = NULL;
  g_autoptr(GazetteArticleContent) other_site = NULL;
  g_autoptr(GazetteArticleContent) unfiltered = NULL;
  g_autoptr(GError) error = NULL;
  GazetteClutterRemoval *first;

  content = gazette_content_rules_extract (rules, story, sizeof story - 1,
                                           "https://quay.example/lamps", "text/html; charset=utf-8",
                                           &error);
  g_assert_no_error (error);
  g_assert_null (strstr (content->html, "asked to hide"));
  g_assert_null (strstr (content->html, "small favor"));
  g_assert_nonnull (strstr (content->html, "café owners"));
  g_assert_cmpuint (content->removed->len, >=, 2);
  /* The user's rule first, named as written. */
  first = g_ptr_array_index (content->removed, 0);
  g_assert_cmpstr (first->rule, ==, "quay.example##.mine");

  other_site = gazette_content_rules_extract (rules, story, sizeof story - 1,
                                              "https://other.example/lamps", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (other_site->html, "asked to hide"));
  g_assert_null (strstr (other_site->html, "small favor"));

  /* No rules: no filter at all. */
  unfiltered = gazette_content_rules_extract (NULL, story, sizeof story - 1,
                                              "https://quay.example/lamps", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (unfiltered->html, "small favor"));
  g_assert_cmpuint (unfiltered->removed->len, ==, 0);
}

static void
test_original_page (void)
{
  g_autoptr(GazetteContentRules) rules = gazette_content_rules_new ("quay.example##.mine\n", NULL);
  g_autofree char *css = NULL;
  g_autofree char *page = gazette_content_rules_original_page (rules, story,
                                                               "https://quay.example/lamps",
                                                               &css, NULL);
  g_autofree char *plain_css = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *appeal = NULL;
  const char *p;

  /* Class and id kept, every element numbered, the text unharmed (UTF-8 stays UTF-8). */
  g_assert_nonnull (strstr (page, "class=\"c-a91\""));
  g_assert_nonnull (strstr (page, "data-gz-id=\""));
  g_assert_nonnull (strstr (page, "café owners"));
  g_assert_null (strstr (page, "<script"));

  /* The style sheet hides the user's block and the appeal (heuristics) by number. */
  g_assert_nonnull (css);
  g_assert_true (g_str_has_suffix (css, "{ display: none !important; }\n"));
  p = strstr (page, "class=\"mine\" data-gz-id=\"");
  g_assert_nonnull (p);
  mine = g_strdup_printf ("[data-gz-id=\"%d\"]",
                          atoi (p + strlen ("class=\"mine\" data-gz-id=\"")));
  g_assert_nonnull (strstr (css, mine));
  p = strstr (page, "class=\"c-a91\" data-gz-id=\"");
  g_assert_nonnull (p);
  appeal = g_strdup_printf ("[data-gz-id=\"%d\"]",
                            atoi (p + strlen ("class=\"c-a91\" data-gz-id=\"")));
  g_assert_nonnull (strstr (css, appeal));

  /* Without a filter: the page as stored, nothing to hide. */
  plain = gazette_content_rules_original_page (NULL, story, "https://quay.example/lamps",
                                               &plain_css, NULL);
  g_assert_null (plain_css);
  g_assert_nonnull (strstr (plain, "class=\"c-a91\""));
  g_assert_null (strstr (plain, "data-gz-id"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Gazette's own list only, whatever the machine has installed. */
  g_setenv ("GAZETTE_EASYLIST", "", TRUE);

  g_test_add_func ("/reader/content-rules/webkit-json", test_webkit_json);
  g_test_add_func ("/reader/content-rules/style-sheet", test_style_sheet);
  g_test_add_func ("/reader/content-rules/extract", test_extract);
  g_test_add_func ("/reader/content-rules/original-page", test_original_page);

  return g_test_run ();
}

/* gazette-content-rules.c — the clutter filter's rules for the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One filter for both views: the default filter's rules with the user's list on top
 * (gazette_clutter_filter_new_with_user_rules()). The reader view runs it inside the
 * extractor; the original view is WebKit's, where the same rules become a content blocker and a
 * style sheet, and what only the heuristics find is hidden by numbering the page's elements.
 */
#include "config.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <stdlib.h>
#include <string.h>

#include "gazette-clutter.h"
#include "gazette-content-rules.h"

struct _GazetteContentRules
{
  GazetteClutterFilter *filter;   /* the default filter's rules with the user's on top */
};

GazetteContentRules *
gazette_content_rules_new (const char *user_text,
                           GPtrArray  *warnings)
{
  GazetteContentRules *rules = g_new0 (GazetteContentRules, 1);

  rules->filter = gazette_clutter_filter_new_with_user_rules (user_text, warnings);
  return rules;
}

void
gazette_content_rules_free (GazetteContentRules *rules)
{
  if (rules == NULL)
    return;
  gazette_clutter_filter_free (rules->filter);
  g_free (rules);
}

guint
gazette_content_rules_get_n_rules (GazetteContentRules *rules)
{
  g_return_val_if_fail (rules != NULL, 0);
  return gazette_clutter_filter_get_n_rules (rules->filter);
}

gboolean
gazette_content_rules_get_easylist_found (GazetteContentRules *rules)
{
  g_return_val_if_fail (rules != NULL, FALSE);
  return gazette_clutter_filter_get_easylist_loaded (rules->filter);
}

GazetteClutterFilter *
gazette_content_rules_get_filter (GazetteContentRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);
  return rules->filter;
}

char *
gazette_content_rules_to_webkit_json (GazetteContentRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);
  return gazette_clutter_filter_to_content_blocker_json (rules->filter, NULL);
}

char *
gazette_content_rules_to_style_sheet (GazetteContentRules *rules,
                                      const char          *host)
{
  char *css;

  g_return_val_if_fail (rules != NULL, NULL);
  css = gazette_clutter_filter_to_style_sheet (rules->filter, host);
  if (css != NULL && *css == '\0')
    g_clear_pointer (&css, g_free);
  return css;
}

GazetteArticleContent *
gazette_content_rules_extract (GazetteContentRules *rules,
                               const char          *html,
                               gsize                length,
                               const char          *url,
                               const char          *content_type,
                               GError             **error)
{
  GazetteExtractOptions options = { url, content_type, rules == NULL,
                                    rules != NULL ? rules->filter : NULL };

  return gazette_extract (html, length, &options, error);
}

/* The original view */

static void
number_elements (xmlNodePtr  node,
                 guint      *next)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        char value[16];

        g_snprintf (value, sizeof value, "%u", (*next)++);
        xmlSetProp (node, (const xmlChar *) "data-gz-id", (const xmlChar *) value);
        number_elements (node->children, next);
      }
}

static void
collect_numbers (xmlNodePtr  node,
                 GHashTable *present)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        xmlChar *value = xmlGetProp (node, (const xmlChar *) "data-gz-id");

        if (value != NULL)
          g_hash_table_add (present, GUINT_TO_POINTER (atoi ((const char *) value) + 1));
        xmlFree (value);
        collect_numbers (node->children, present);
      }
}

/* The removed elements whose parent stayed: hiding those hides the rest. */
static void
collect_removed (xmlNodePtr  node,
                 GHashTable *present,
                 gboolean    parent_present,
                 GString    *css)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        xmlChar *value = xmlGetProp (node, (const xmlChar *) "data-gz-id");
        gboolean here = value == NULL ||
                        g_hash_table_contains (present,
                                               GUINT_TO_POINTER (atoi ((const char *) value) + 1));

        if (!here && parent_present)
          g_string_append_printf (css, "%s[data-gz-id=\"%s\"]", css->len > 0 ? ",\n" : "",
                                  (const char *) value);
        xmlFree (value);
        collect_removed (node->children, present, here, css);
      }
}

char *
gazette_content_rules_original_page (GazetteContentRules *rules,
                                     const char          *html,
                                     const char          *url,
                                     char               **out_css,
                                     GPtrArray           *removals)
{
  const int parse_options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                            HTML_PARSE_NOWARNING;
  g_autoptr(GHashTable) present = NULL;
  g_autoptr(GString) css = NULL;
  xmlChar *numbered = NULL;
  int numbered_length = 0;
  xmlDocPtr doc, filtered;
  xmlNodePtr root;
  guint next = 0;
  char *page;

  g_return_val_if_fail (out_css != NULL, NULL);

  *out_css = NULL;
  if (html == NULL)
    return g_strdup ("");
  if (rules == NULL)
    return gazette_sanitize_html_page (html, -1, url);

  doc = htmlReadMemory (html, (int) MIN (strlen (html), G_MAXINT), url, "UTF-8", parse_options);
  if (doc == NULL || (root = xmlDocGetRootElement (doc)) == NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      return gazette_sanitize_html_page (html, -1, url);
    }

  /* Number every element, filter a copy as the reader view would (the page and article passes,
   * over the whole page), and hide by number what went missing. */
  number_elements (root, &next);
  /* Written out in UTF-8 whatever the page's <meta> said: it was read as UTF-8. */
  htmlSetMetaEncoding (doc, (const xmlChar *) "UTF-8");
  htmlDocDumpMemoryFormat (doc, &numbered, &numbered_length, 0);
  filtered = xmlCopyDoc (doc, 1);
  gazette_clutter_filter_apply (rules->filter, filtered, NULL, url, GAZETTE_CLUTTER_PHASE_PAGE,
                                removals);
  gazette_clutter_filter_apply (rules->filter, filtered, NULL, url,
                                GAZETTE_CLUTTER_PHASE_ARTICLE, removals);
  present = g_hash_table_new (NULL, NULL);
  collect_numbers (xmlDocGetRootElement (filtered), present);
  css = g_string_new (NULL);
  collect_removed (root, present, TRUE, css);
  xmlFreeDoc (filtered);
  xmlFreeDoc (doc);

  page = gazette_sanitize_html_page ((const char *) numbered, numbered_length, url);
  xmlFree (numbered);
  if (css->len > 0)
    {
      g_string_append (css, " { display: none !important; }\n");
      *out_css = g_string_free (g_steal_pointer (&css), FALSE);
    }
  return page;
}

/* gazette-content-rules.c — PROVISIONAL stubs until the reader API lands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gazette-content-rules.h"

GazetteClutterFilter *
gazette_content_rules_layer (GazetteClutterFilter *base,
                             const char           *user_text,
                             GPtrArray            *warnings)
{
  return gazette_clutter_filter_new_from_rules (user_text, warnings);
}

char *
gazette_content_rules_to_webkit_json (GazetteClutterFilter *filter)
{
  return g_strdup ("[{\"trigger\":{\"url-filter\":\".*\"},\"action\":{\"type\":\"css-display-none\",\"selector\":\".donate-box\"}}]");
}

char *
gazette_content_rules_to_style_sheet (GazetteClutterFilter *filter,
                                      const char           *host)
{
  return NULL;
}

guint
gazette_content_rules_get_n_rules (GazetteClutterFilter *filter)
{
  return 0;
}

gboolean
gazette_content_rules_have_easylist (GazetteClutterFilter *filter)
{
  return FALSE;
}

char *
gazette_content_rules_selector_for_node (xmlNodePtr node)
{
  return g_strdup ((const char *) node->name);
}

GazetteArticleContent *
gazette_content_rules_extract (GazetteClutterFilter *filter,
                               const char           *html,
                               gsize                 length,
                               const char           *url,
                               const char           *content_type,
                               GError              **error)
{
  GazetteExtractOptions options = { url, content_type, filter == NULL };

  return gazette_extract (html, length, &options, error);
}

/* gazette-content-rules.h — the clutter filter's rules for other engines: WebKit content
 * blocker JSON and user style sheets for the original view, a user list over the defaults, and
 * a selector for a block the user marks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "gazette-clutter.h"
#include "gazette-extractor.h"

G_BEGIN_DECLS

/* A filter with @base's rules (the defaults) plus those of @user_text (a user's list), whose
 * malformed lines are reported in @warnings ("line N: …", may be NULL). */
GazetteClutterFilter  *gazette_content_rules_layer           (GazetteClutterFilter *base,
                                                              const char           *user_text,
                                                              GPtrArray            *warnings);
/* WebKit content blocker JSON: one "css-display-none" entry per rule (site rules with
 * "if-domain", exceptions as "unless-domain" or left out). */
char                  *gazette_content_rules_to_webkit_json  (GazetteClutterFilter *filter);
/* "sel, sel { display: none !important; }" for the rules that apply on @host (may be NULL:
 * generic rules only); NULL when none do. */
char                  *gazette_content_rules_to_style_sheet  (GazetteClutterFilter *filter,
                                                              const char           *host);
guint                  gazette_content_rules_get_n_rules     (GazetteClutterFilter *filter);
gboolean               gazette_content_rules_have_easylist   (GazetteClutterFilter *filter);
/* A selector for @node that is likely to match the same block on other pages of its site. */
char                  *gazette_content_rules_selector_for_node (xmlNodePtr node);
/* gazette_extract() with @filter (NULL: no clutter filter). */
GazetteArticleContent *gazette_content_rules_extract         (GazetteClutterFilter *filter,
                                                              const char           *html,
                                                              gsize                 length,
                                                              const char           *url,
                                                              const char           *content_type,
                                                              GError              **error);

G_END_DECLS

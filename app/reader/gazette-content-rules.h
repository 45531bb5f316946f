/* gazette-content-rules.h — the clutter filter's rules for the app: Gazette's list, EasyList and
 * the user's list, as WebKit content blocker JSON and style sheets for the original view, the
 * user's list on top of the default filter for the reader view, and a selector for a block the
 * user marks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "gazette-extractor.h"
#include "gazette-sanitizer.h"

G_BEGIN_DECLS

typedef struct _GazetteContentRules GazetteContentRules;

/* Gazette's curated list, EasyList when installed (the same lists as the default clutter
 * filter) and @user_text, a user's list; its malformed lines are reported in @warnings
 * ("line N: …", may be NULL). Reads files: call it in a thread. */
GazetteContentRules   *gazette_content_rules_new              (const char          *user_text,
                                                               GPtrArray           *warnings);
void                   gazette_content_rules_free             (GazetteContentRules *rules);

/* Cosmetic rules and exceptions in use, over every list. */
guint                  gazette_content_rules_get_n_rules      (GazetteContentRules *rules);
gboolean               gazette_content_rules_get_easylist_found (GazetteContentRules *rules);

/* WebKit content blocker JSON: one "css-display-none" entry per rule, site rules with
 * "if-domain", generic rules with the sites that except them in "unless-domain". */
char                  *gazette_content_rules_to_webkit_json   (GazetteContentRules *rules);
/* "selector { display: none !important; }" for each rule of @host (and of Gazette's and the
 * user's generic rules not excepted there); NULL when there is none. EasyList's generic rules
 * are left to the content blocker. */
char                  *gazette_content_rules_to_style_sheet   (GazetteContentRules *rules,
                                                               const char          *host);

/* gazette_extract() with the user's list applied to the page first, its removals listed before
 * the default filter's. @rules NULL: without any clutter filter. */
GazetteArticleContent *gazette_content_rules_extract          (GazetteContentRules *rules,
                                                               const char          *html,
                                                               gsize                length,
                                                               const char          *url,
                                                               const char          *content_type,
                                                               GError             **error);

/* The stored page @html of @url for the original view: sanitised with class and id kept, and a
 * style sheet in @out_css hiding what the clutter filter (@rules; NULL: none) would remove from
 * it, heuristics included, which no selector of a list could say (NULL when nothing); what it
 * removed is appended to @removals when not NULL. */
char                  *gazette_content_rules_original_page    (GazetteContentRules *rules,
                                                               const char          *html,
                                                               const char          *url,
                                                               char               **out_css,
                                                               GPtrArray           *removals);

/* A selector for @node that is likely to match the same kind of block on other pages of its
 * site: its tag with its id or class names, under the nearest ancestor that has some when it
 * has none; NULL when nothing matches @node alone well enough. */
char                  *gazette_content_rules_selector_for_node (xmlNodePtr          node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteContentRules, gazette_content_rules_free)

G_END_DECLS

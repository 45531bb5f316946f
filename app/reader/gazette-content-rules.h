/* gazette-content-rules.h — the clutter filter's rules for the app: Gazette's list, EasyList and
 * the user's list on top, for the reader view's extraction and, as WebKit content blocker JSON,
 * style sheets and a numbered page, for the original view
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

/* The filter itself (owned by @rules), for gazette_clutter_filter_apply(). */
GazetteClutterFilter  *gazette_content_rules_get_filter       (GazetteContentRules *rules);
/* Cosmetic rules and exceptions in use, over every list. */
guint                  gazette_content_rules_get_n_rules      (GazetteContentRules *rules);
gboolean               gazette_content_rules_get_easylist_found (GazetteContentRules *rules);

/* WebKit content blocker JSON for every site (gazette_clutter_filter_to_content_blocker_json()). */
char                  *gazette_content_rules_to_webkit_json   (GazetteContentRules *rules);
/* A user style sheet hiding what the rules hide on @host; NULL when nothing. */
char                  *gazette_content_rules_to_style_sheet   (GazetteContentRules *rules,
                                                               const char          *host);

/* gazette_extract() with these rules; @rules NULL: without any clutter filter. */
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteContentRules, gazette_content_rules_free)

G_END_DECLS

/* gazette-clutter.h — removes what is not the article: appeals, paywall prompts, newsletter
 * boxes, cookie banners, share bars, related lists, comments, ads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two sources of knowledge: cosmetic filter rules (Adblock Plus / uBlock Origin syntax, see
 * gazette-filter-list.h) and heuristics (structure plus text signatures from a rules file in the
 * GResource). The filter only hides what the page delivered; it never fetches anything.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

typedef struct _GazetteClutterFilter GazetteClutterFilter;

typedef enum {
  /* On the whole document, before the extractor looks for the article: rules, overlays,
   * cookie/consent dialogs, hidden elements. */
  GAZETTE_CLUTTER_PHASE_PAGE,
  /* On the extracted article subtree: blocks inside or after the body (appeals, newsletter
   * boxes, share bars, "Read more" lists), judged by structure and text signatures. The
   * filter rules are not run again: the page phase, which must come first, ran them. */
  GAZETTE_CLUTTER_PHASE_ARTICLE,
} GazetteClutterPhase;

typedef struct {
  char *reason;    /* what it was, in plain words: "donation appeal", "newsletter", … Kept
                    * untranslated (it is stored with an article; the language may change) and
                    * shown through _(). */
  char *rule;      /* the filter rule or heuristic that matched, e.g. "##.donate-box" or
                    * "heuristic:appeal-text(en)" */
  char *excerpt;   /* the first words of the removed block */
} GazetteClutterRemoval;

void                  gazette_clutter_removal_free     (GazetteClutterRemoval *removal);
/* A removal record for @node (its first words as the excerpt), for what the extractor takes out
 * as clutter itself: @category as in the signatures file ("promo", "follow"), @rule the
 * heuristic ("heuristic:site-plug"). */
GazetteClutterRemoval *gazette_clutter_removal_new (xmlNodePtr  node,
                                                   const char *category,
                                                   const char *rule);
/* What was removed, as text to keep beside a stored article (a GVariant "a(sss)" in text form),
 * and back: NULL for none; parsing bad text gives an empty array, never NULL. */
char                 *gazette_clutter_removals_to_string   (GPtrArray  *removals);
GPtrArray            *gazette_clutter_removals_from_string (const char *text);

/* The filter with Gazette's curated rules and heuristics, plus EasyList's cosmetic rules when
 * Debian's webext-ublock-origin package is installed. Loaded once, immutable, thread-safe. */
GazetteClutterFilter *gazette_clutter_filter_get_default (void);

/* A filter from rule text (for tests and user lists), heuristics included. */
GazetteClutterFilter *gazette_clutter_filter_new_from_rules (const char *rules_text,
                                                            GPtrArray  *out_warnings);
/* A filter applying the default filter's rules (shared, not reloaded) plus the user's list
 * @user_text (may be NULL) on top: its rules add to the default's, and its exceptions
 * ("example.com#@#.sidebar", "#@#.x") spare the default's rules. Malformed lines of @user_text
 * are appended to @out_warnings as "line N: reason". */
GazetteClutterFilter *gazette_clutter_filter_new_with_user_rules (const char *user_text,
                                                                 GPtrArray  *out_warnings);
/* Adds the rules of @rules_text to a filter made by one of the _new functions (not the
 * default, which is shared and immutable). Not thread-safe against a concurrent _apply.
 * Returns how many rules and exceptions were added. */
guint                 gazette_clutter_filter_add_rules  (GazetteClutterFilter *filter,
                                                         const char           *rules_text,
                                                         GPtrArray            *out_warnings);
void                  gazette_clutter_filter_free       (GazetteClutterFilter *filter);
/* Cosmetic rules and exceptions in use: the filter's own plus those under it (the default's). */
guint                 gazette_clutter_filter_get_n_rules (GazetteClutterFilter *filter);

/* The filter's rules (user and default) as WebKit content-blocker JSON for
 * webkit_user_content_filter_store_save(): see gazette_filter_lists_to_content_blocker_json().
 * @host NULL: one list for every site (compile it once, again only when the rules change);
 * a host: only what hides there. Heuristics are not included: they need the page's text. */
char                 *gazette_clutter_filter_to_content_blocker_json (GazetteClutterFilter *filter,
                                                                     const char           *host);
/* The same rules as a user style sheet hiding them (display: none !important), for
 * webkit_user_style_sheet_new(): @host NULL gives the rules hiding on every site. */
char                 *gazette_clutter_filter_to_style_sheet (GazetteClutterFilter *filter,
                                                            const char           *host);

/* Removes clutter from @doc below @scope (NULL: the whole document) for a page at @url (its
 * host selects site rules; may be NULL). Appends one GazetteClutterRemoval per removed block to
 * @removals when not NULL. Returns how many blocks were removed. */
guint                 gazette_clutter_filter_apply      (GazetteClutterFilter *filter,
                                                         xmlDocPtr             doc,
                                                         xmlNodePtr            scope,
                                                         const char           *url,
                                                         GazetteClutterPhase   phase,
                                                         GPtrArray            *removals);

/* The site rule hiding blocks like @element on the site of @url (a URL or a bare host):
 * "example.com##aside.donate-box" (a leading "www." dropped, so the rule covers the site and its
 * subdomains), the selector from gazette_selector_for_node(). NULL when @url has no host. */
char                 *gazette_clutter_site_rule_for_node (const char *url,
                                                         xmlNodePtr  element);

/* The category ("follow", "promo", …) of the first text signature in @text, a paragraph of
 * plain text: a plain phrase anywhere but inside quotation marks, a "^" or "=" phrase heading
 * it. NULL when there is none. The signatures are the same for every filter. */
const char           *gazette_clutter_text_signature    (const char *text);

/* Whether EasyList's rules are in the filter (the default one, or the one under a user list). */
gboolean              gazette_clutter_filter_get_easylist_loaded (GazetteClutterFilter *filter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteClutterFilter, gazette_clutter_filter_free)

G_END_DECLS

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
   * boxes, share bars, "Read more" lists), judged by structure and text signatures. */
  GAZETTE_CLUTTER_PHASE_ARTICLE,
} GazetteClutterPhase;

typedef struct {
  char *reason;    /* what it was, translatable plain words: "donation appeal", "newsletter", … */
  char *rule;      /* the filter rule or heuristic that matched, e.g. "##.donate-box" or
                    * "heuristic:appeal-text(en)" */
  char *excerpt;   /* the first words of the removed block */
} GazetteClutterRemoval;

void                  gazette_clutter_removal_free     (GazetteClutterRemoval *removal);

/* The filter with Gazette's curated rules and heuristics, plus EasyList's cosmetic rules when
 * Debian's webext-ublock-origin package is installed. Loaded once, immutable, thread-safe. */
GazetteClutterFilter *gazette_clutter_filter_get_default (void);

/* A filter from rule text (for tests and user lists), heuristics included. */
GazetteClutterFilter *gazette_clutter_filter_new_from_rules (const char *rules_text,
                                                            GPtrArray  *out_warnings);
void                  gazette_clutter_filter_free       (GazetteClutterFilter *filter);

/* Removes clutter from @doc below @scope (NULL: the whole document) for a page at @url (its
 * host selects site rules; may be NULL). Appends one GazetteClutterRemoval per removed block to
 * @removals when not NULL. Returns how many blocks were removed. */
guint                 gazette_clutter_filter_apply      (GazetteClutterFilter *filter,
                                                         xmlDocPtr             doc,
                                                         xmlNodePtr            scope,
                                                         const char           *url,
                                                         GazetteClutterPhase   phase,
                                                         GPtrArray            *removals);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteClutterFilter, gazette_clutter_filter_free)

G_END_DECLS

/* gazette-filter-list.h — the cosmetic part of Adblock Plus / uBlock Origin filter lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "##sel" (every site), "a.com,b.org##sel" (those sites and their subdomains), "~c.com"
 * (except there), "#@#sel" (an exception). Network rules and procedural or scriptlet filters
 * (#?#, #$#, ##+js, #%#, ##^) are skipped and counted; a cosmetic line whose selector cannot be
 * compiled is reported as "line N: …" and skipped.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "gazette-selector.h"

G_BEGIN_DECLS

typedef struct _GazetteFilterList GazetteFilterList;
typedef struct _GazetteFilterRule GazetteFilterRule;

GazetteFilterList *gazette_filter_list_new            (void);
void               gazette_filter_list_free           (GazetteFilterList *list);

/* Adds the rules of @text (@length -1: NUL-terminated). Appends one translated
 * "line N: reason" (char*) to @warnings, when not NULL, per malformed cosmetic line. Returns
 * how many cosmetic rules and exceptions were added. */
/* Whether generic rules with no class or id to index them by (attribute tests such as
 * a[href^="https://ads…"]) are kept. Each costs a walk of every page; lists added while they are
 * refused skip them and count them as skipped. Accepted by default. */
void               gazette_filter_list_set_accept_unkeyed (GazetteFilterList *list,
                                                           gboolean           accept);
guint              gazette_filter_list_add_text       (GazetteFilterList *list,
                                                       const char        *text,
                                                       gssize             length,
                                                       GPtrArray         *warnings);

guint              gazette_filter_list_get_n_rules    (GazetteFilterList *list);
/* Lines that are not cosmetic filters (network, scriptlet, procedural, HTML filters). */
guint              gazette_filter_list_get_n_skipped  (GazetteFilterList *list);
guint              gazette_filter_list_get_n_invalid  (GazetteFilterList *list);

/* The ".class" and "#id" keys carried by @root and the elements below it, each with the
 * elements carrying it in document order (a GPtrArray of borrowed xmlNodePtr). */
GHashTable        *gazette_filter_list_collect_keys   (xmlNodePtr         root);

/* The rules to try on a page of @host (may be NULL) whose elements carry @keys (from
 * gazette_filter_list_collect_keys(); NULL: every generic rule): generic rules whose key the
 * page has, unkeyed generic rules, rules of @host and its parent domains, minus exclusions and
 * exceptions. Of borrowed GazetteFilterRule*. */
GPtrArray         *gazette_filter_list_lookup         (GazetteFilterList *list,
                                                       const char        *host,
                                                       GHashTable        *keys);

/* The line as written, "##.ad" or "example.com##.ad". */
const char        *gazette_filter_rule_get_text       (GazetteFilterRule *rule);
GazetteSelector   *gazette_filter_rule_get_selector   (GazetteFilterRule *rule);
gboolean           gazette_filter_rule_is_generic     (GazetteFilterRule *rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteFilterList, gazette_filter_list_free)

G_END_DECLS

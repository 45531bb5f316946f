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
/* The same, but only the keys that a rule of the NULL-terminated @lists is keyed by: a page
 * carries thousands of classes and a list names few of them. */
GHashTable        *gazette_filter_lists_collect_keys  (GazetteFilterList * const *lists,
                                                       xmlNodePtr                 root);

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

/* Whether an exception of @list ("#@#sel", or "a.com#@#sel" when @host is a.com or below it)
 * spares the selector @css on @host (NULL: generic exceptions only). */
gboolean           gazette_filter_list_is_excepted    (GazetteFilterList *list,
                                                       const char        *css,
                                                       const char        *host);

/* The rules of the NULL-terminated @lists as WebKit content-blocker JSON
 * (WebKitUserContentFilterStore): css-display-none actions whose trigger is url-filter ".*".
 * With @host NULL, one list for every site: generic rules batched by selector lists, generic
 * rules with "~domain" exclusions or site exceptions with "unless-domain", site rules with
 * "if-domain" ("*a.com": a.com and its subdomains); entity rules ("shop.*##…") are left out.
 * With @host, only the rules that hide on @host, resolved here, batched, without domains.
 * Exceptions in any of @lists spare rules of all of them. Returns "[]" when nothing hides. */
char              *gazette_filter_lists_to_content_blocker_json (GazetteFilterList * const *lists,
                                                                 const char                *host);
/* The same rules as a user style sheet, "sel, sel { display: none !important; }": with @host,
 * every rule that hides on @host; with @host NULL, the rules that hide on every site. */
char              *gazette_filter_lists_to_style_sheet (GazetteFilterList * const *lists,
                                                        const char                *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteFilterList, gazette_filter_list_free)

G_END_DECLS

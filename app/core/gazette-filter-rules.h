/* gazette-filter-rules.h — the clutter filter in use, shared with threads, and the sites
 * where it is off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "gazette-clutter.h"
#include "gazette-content-rules.h"
#include "gazette-extractor.h"

G_BEGIN_DECLS

/* A reference-counted hold on the rules in use: the app swaps them when the user's list
 * changes while a thread may still extract with the old ones. */
typedef struct _GazetteFilterRules GazetteFilterRules;

/* Takes @content_rules (NULL: the default filter alone). */
GazetteFilterRules   *gazette_filter_rules_new        (GazetteContentRules  *content_rules);
GazetteFilterRules   *gazette_filter_rules_ref        (GazetteFilterRules   *rules);
void                  gazette_filter_rules_unref      (GazetteFilterRules   *rules);
GazetteContentRules  *gazette_filter_rules_get_content_rules (GazetteFilterRules *rules);

/* Extracts the article of @html with @rules (NULL: without the clutter filter). */
GazetteArticleContent *gazette_filter_rules_extract   (GazetteFilterRules   *rules,
                                                       const char           *html,
                                                       gsize                 length,
                                                       const char           *url,
                                                       const char           *content_type,
                                                       GError              **error);

/* The rules a page at @url is extracted with: a new reference to @rules (NULL: the default
 * filter alone), or NULL — no filter — when the page is on one of @disabled_sites. For the
 * library's full articles and the saver, which keep both as the app gives them. */
GazetteFilterRules   *gazette_filter_rules_for_url    (GazetteFilterRules   *rules,
                                                       const char * const   *disabled_sites,
                                                       const char           *url);

/* "example.com" for "https://www.example.com/a"; a bare host name is taken as it is; NULL
 * for a URL without a host. */
char                 *gazette_filter_host_for_url     (const char           *url);
/* Whether the page at @url is on one of @sites (host names; a site covers its subdomains). */
gboolean              gazette_filter_sites_contain    (const char * const   *sites,
                                                       const char           *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteFilterRules, gazette_filter_rules_unref)

G_END_DECLS

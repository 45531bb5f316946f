/* gazette-metadata.h — what a page says about its article: title, byline, site, date, …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libxml/tree.h>

#include "gazette-extractor.h"

G_BEGIN_DECLS

/* Fills title, byline, site_name, published, lang, dir, lead_image and excerpt of @content from
 * @doc, trusting in this order: JSON-LD, OpenGraph, Twitter cards, other <meta>, microdata,
 * <time>, the document. Must run before anything is removed from @doc. Fields it cannot find
 * stay NULL. */
void  gazette_metadata_read         (xmlDocPtr              doc,
                                     const char            *url,
                                     GazetteArticleContent *content);

/* A date in any ISO-8601 / RFC 3339 form (or RFC 822 as some pages write it) as
 * "2019-12-07T15:31:00Z"; NULL when it cannot be read. */
char *gazette_metadata_normalize_date (const char *value);

/* Removes a " - Site Name" / " | Site" style suffix or prefix from a document title. */
char *gazette_metadata_clean_title  (const char *title,
                                     const char *site_name,
                                     const char *heading);

G_END_DECLS

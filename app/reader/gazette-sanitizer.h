/* gazette-sanitizer.h — HTML made safe to show: no scripts, handlers, styles, forms or frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Sanitises a HTML fragment (a feed entry's summary or content, an extracted article body):
 * keeps an allow-list of elements and attributes, drops scripts, styles, forms, frames (a known
 * video embed becomes a link), event handlers, inline styles and javascript:/data: URLs (data:
 * images excepted), and makes links and images absolute against @base_url (may be NULL).
 * Returns a newly allocated UTF-8 fragment; never NULL (empty input gives ""). */
char *gazette_sanitize_html_fragment (const char *html,
                                      gssize      length,
                                      const char *base_url);

/* The same, keeping class and id attributes (and data-gz-id, the clutter filter's numbering):
 * a stored page shown as the original, where the clutter filter's selectors (WebKit content
 * filters) must still find their blocks. */
char *gazette_sanitize_html_page     (const char *html,
                                      gssize      length,
                                      const char *base_url);

/* The same for the children of @node in a parsed document (the extractor's article subtree). */
char *gazette_sanitize_html_node     (xmlNodePtr  node,
                                      const char *base_url);

/* The text of a HTML fragment, entities decoded, whitespace folded; for titles and excerpts. */
char *gazette_html_to_plain_text     (const char *html,
                                      gssize      length);

/* The text content of @node with runs of ASCII whitespace folded to one space and trimmed;
 * never NULL. */
char *gazette_node_text              (xmlNodePtr  node);

G_END_DECLS

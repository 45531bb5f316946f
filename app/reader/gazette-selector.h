/* gazette-selector.h — CSS selectors (level 3, plus a simple :has()) compiled to XPath 1.0
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

typedef struct _GazetteSelector GazetteSelector;

/* Parses @css; fails with GAZETTE_ERROR_PARSE on anything unsupported (pseudo-elements,
 * namespaces, procedural operators such as :has-text() or :upward()). The XPath is compiled
 * lazily, once, on first use; a selector may then be shared between threads. */
GazetteSelector *gazette_selector_new        (const char       *css,
                                              GError          **error);
GazetteSelector *gazette_selector_ref        (GazetteSelector  *selector);
void             gazette_selector_unref      (GazetteSelector  *selector);

const char      *gazette_selector_get_css    (GazetteSelector  *selector);
/* The XPath that tests its context node ("self::…", a union for selector lists). */
const char      *gazette_selector_get_xpath  (GazetteSelector  *selector);
/* The index key of each selector of the list: "#id" or ".class" of its rightmost compound,
 * NULL-terminated; NULL when one of them has none (the selector must then be tried
 * everywhere). */
const char * const *gazette_selector_get_keys (GazetteSelector *selector);
/* Text that some attribute of every match (or of an element it depends on) contains, from
 * [a=v], [a^=v], [a$=v] or [a*=v] outside :not(); NULL when there is none. A page whose
 * attributes nowhere contain it cannot match. */
const char      *gazette_selector_get_required_text (GazetteSelector *selector);

/* The elements of @doc matching, in document order, that are @scope or below it (NULL: the
 * whole document). Ancestors outside @scope still count for combinators, as in CSS. */
GPtrArray       *gazette_selector_select     (GazetteSelector  *selector,
                                              xmlDocPtr         doc,
                                              xmlNodePtr        scope);
gboolean         gazette_selector_matches    (GazetteSelector  *selector,
                                              xmlNodePtr        element);

/* A selector for @element the user pointed at ("hide blocks like this"), stable across visits:
 * its id when unique and not generated ("#newsletter"), else its tag and up to two classes
 * that do not look generated ("aside.donate-box"; never css-1x2y3z, sc-bdVaJa, post-12345)
 * provided no ancestor matches, else a path of :nth-of-type() steps from the nearest ancestor
 * with such an id (or the root). It always matches @element. */
char            *gazette_selector_for_node   (xmlNodePtr        element);
/* Whether a class name or id looks made by a build tool or names a single page (hashes,
 * "css-…", "sc-…", long digit runs). */
gboolean         gazette_selector_name_looks_generated (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteSelector, gazette_selector_unref)

G_END_DECLS

/* gazette-article-view.h — one article, rendered in a WebKitWebView without page scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <webkit/webkit.h>

#include "gazette-library.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_ARTICLE_VIEW (gazette_article_view_get_type ())
G_DECLARE_FINAL_TYPE (GazetteArticleView, gazette_article_view, GAZETTE, ARTICLE_VIEW, GtkWidget)

/* Properties: article (GazetteArticle, read-only: the list row shown, NULL for none),
 *   shown-id (int64, read-only: id of the article whose page finished loading, 0 for none).
 * Signals: "shown" (GazetteArticle *row) once the page of the article finished loading; the view
 *   then marks it read.
 *   "open-link" (const char *uri) → gboolean: a link was followed (a click, a new window, Open in
 *   Browser); the default handler opens it in the default browser. The view never navigates. */

GtkWidget      *gazette_article_view_new           (void);
void            gazette_article_view_set_library   (GazetteArticleView *self,
                                                    GazetteLibrary     *library,
                                                    GCancellable       *cancellable);
/* Shows @row (an article list row; its content is loaded from the store). NULL clears. The
 * row's read/starred properties are updated when the view changes those flags. */
void            gazette_article_view_show          (GazetteArticleView *self,
                                                    GazetteArticle     *row);
GazetteArticle *gazette_article_view_get_article   (GazetteArticleView *self);
gint64          gazette_article_view_get_shown_id  (GazetteArticleView *self);
WebKitWebView  *gazette_article_view_get_web_view  (GazetteArticleView *self);

/* Flag changes of the shown article (the window's m and s keys). */
void            gazette_article_view_toggle_read   (GazetteArticleView *self);
void            gazette_article_view_toggle_star   (GazetteArticleView *self);
/* Saves the shown article for offline reading (text and images), then shows the stored copy. */
void            gazette_article_view_save_offline  (GazetteArticleView *self);

/* Sets a flag on @row in the store and on the object; shared with the window. */
void            gazette_article_set_flag           (GazetteStore       *store,
                                                    GazetteArticle     *row,
                                                    GazetteArticleFlag  flag,
                                                    gboolean            value,
                                                    GCancellable       *cancellable);

/* Builds the reader page (exposed for tests): every field escaped, @body_html inserted as is. */
char           *gazette_article_view_render_page   (GazetteArticle     *article,
                                                    const char         *body_html,
                                                    gboolean            with_header,
                                                    const char         *font_family,
                                                    int                 font_size,
                                                    gboolean            dark);

/* The same, with @removed_html (what the clutter filter removed, or NULL) after the body. */
char           *gazette_article_view_render_page_full (GazetteArticle *article,
                                                       const char     *body_html,
                                                       const char     *removed_html,
                                                       gboolean        with_header,
                                                       const char     *font_family,
                                                       int             font_size,
                                                       gboolean        dark);

/* Marks the block of the reader view at (@x, @y) (view coordinates) as clutter: a rule
 * "host##selector" joins the user's filter list and the article is shown again. Exposed for
 * tests; the context menu's "Hide Blocks Like This" does the same under the pointer. */
void            gazette_article_view_hide_block_at (GazetteArticleView *self,
                                                    double              x,
                                                    double              y);

G_END_DECLS

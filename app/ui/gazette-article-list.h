/* gazette-article-list.h — the list of articles of the selected source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gazette-article-model.h"
#include "gazette-library.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_ARTICLE_LIST (gazette_article_list_get_type ())
G_DECLARE_FINAL_TYPE (GazetteArticleList, gazette_article_list, GAZETTE, ARTICLE_LIST, GtkWidget)

/* Properties: selected-article (GazetteArticle, read-only: a row of the model, without
 *   content), loading (boolean, read-only).
 * Signals: "loaded" () after each (re)load of the rows. */

GtkWidget           *gazette_article_list_new          (void);
void                 gazette_article_list_set_library  (GazetteArticleList         *self,
                                                        GazetteLibrary             *library,
                                                        GCancellable               *cancellable);
/* Lists the articles of @filter (from an empty list when the filter changes). */
void                 gazette_article_list_set_filter   (GazetteArticleList         *self,
                                                        const GazetteArticleFilter *filter);
void                 gazette_article_list_get_filter   (GazetteArticleList         *self,
                                                        GazetteArticleFilter       *filter);
void                 gazette_article_list_reload       (GazetteArticleList         *self);
/* Search as you type (Ctrl+F): the rows become the hits of the typed words in the current
 * filter's scope, ranked, with the matches highlighted; an empty text lists the filter again. */
void                 gazette_article_list_start_search (GazetteArticleList         *self);
void                 gazette_article_list_set_search_text (GazetteArticleList      *self,
                                                           const char              *text);
const char          *gazette_article_list_get_search_text (GazetteArticleList      *self);
GazetteArticleModel *gazette_article_list_get_model    (GazetteArticleList         *self);
GazetteArticle      *gazette_article_list_get_selected (GazetteArticleList         *self);
gboolean             gazette_article_list_get_loading  (GazetteArticleList         *self);
void                 gazette_article_list_select       (GazetteArticleList         *self,
                                                        guint                       position);
/* Moves the selection by @delta rows (j/k); returns FALSE at either end. */
gboolean             gazette_article_list_move         (GazetteArticleList         *self,
                                                        int                         delta);

/* @when in a translated strftime-style @format (the locale's %x should GDateTime refuse it),
 * without the padding %e leaves before days 1 to 9. */
char                *gazette_format_date               (GDateTime                  *when,
                                                        const char                 *format);
/* "5 minutes ago", "Yesterday", "3 days ago", or the date; @now may be NULL. */
char                *gazette_format_relative_date      (gint64                      unix_time,
                                                        GDateTime                  *now);

G_END_DECLS

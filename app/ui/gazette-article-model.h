/* gazette-article-model.h — a GListModel of GazetteArticle rows for the article list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gazette-article.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_ARTICLE_MODEL (gazette_article_model_get_type ())
G_DECLARE_FINAL_TYPE (GazetteArticleModel, gazette_article_model, GAZETTE, ARTICLE_MODEL, GObject)

/* Properties: n-items (uint, read-only). */

GazetteArticleModel *gazette_article_model_new        (void);

/* Replaces the rows with @articles (of GazetteArticle, as gazette_store_list_articles_finish
 * returns them; the model takes its own references). Rows whose article id is unchanged
 * keep their object, updated in place (title, read, starred, saved…), so bound row widgets and
 * the selection survive; items-changed covers only the part that differs. When @keep_id > 0 and
 * that article is in the model but not in @articles (it was read in an Unread list), it stays at
 * its place until the next replace. */
void                 gazette_article_model_replace    (GazetteArticleModel *self,
                                                       GPtrArray           *articles,
                                                       gint64               keep_id);
void                 gazette_article_model_clear      (GazetteArticleModel *self);
/* The position of the article with @id, or G_MAXUINT. */
guint                gazette_article_model_find       (GazetteArticleModel *self,
                                                       gint64               id);
GazetteArticle      *gazette_article_model_peek       (GazetteArticleModel *self,
                                                       guint                position);

G_END_DECLS

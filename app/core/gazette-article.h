/* gazette-article.h — one article (a feed entry or a saved page)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A value object like GazetteSource. Rows for the article list are loaded without :content
 * (gazette_store_list_articles_async); gazette_store_load_article_async fills it in.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GAZETTE_TYPE_ARTICLE (gazette_article_get_type ())
G_DECLARE_FINAL_TYPE (GazetteArticle, gazette_article, GAZETTE, ARTICLE, GObject)

/* Properties (read-write, notify on change):
 *   id (int64), source-id (int64), guid, url, title, author, source-title (string, for lists),
 *   published (int64, unix seconds UTC, 0 = unknown), updated (int64), summary (sanitised HTML),
 *   content (sanitised HTML, may be NULL until loaded), reader-html (extracted article, may be NULL),
 *   lead-image, lang, dir, read (boolean), starred (boolean), saved (boolean). */

GazetteArticle *gazette_article_new              (void);

gint64          gazette_article_get_id           (GazetteArticle *self);
void            gazette_article_set_id           (GazetteArticle *self, gint64 id);
gint64          gazette_article_get_source_id    (GazetteArticle *self);
void            gazette_article_set_source_id    (GazetteArticle *self, gint64 source_id);
const char     *gazette_article_get_guid         (GazetteArticle *self);
void            gazette_article_set_guid         (GazetteArticle *self, const char *guid);
const char     *gazette_article_get_url          (GazetteArticle *self);
void            gazette_article_set_url          (GazetteArticle *self, const char *url);
const char     *gazette_article_get_title        (GazetteArticle *self);
void            gazette_article_set_title        (GazetteArticle *self, const char *title);
const char     *gazette_article_get_author       (GazetteArticle *self);
void            gazette_article_set_author       (GazetteArticle *self, const char *author);
const char     *gazette_article_get_source_title (GazetteArticle *self);
void            gazette_article_set_source_title (GazetteArticle *self, const char *title);
gint64          gazette_article_get_published    (GazetteArticle *self);
void            gazette_article_set_published    (GazetteArticle *self, gint64 published);
gint64          gazette_article_get_updated      (GazetteArticle *self);
void            gazette_article_set_updated      (GazetteArticle *self, gint64 updated);
const char     *gazette_article_get_summary      (GazetteArticle *self);
void            gazette_article_set_summary      (GazetteArticle *self, const char *summary);
const char     *gazette_article_get_content      (GazetteArticle *self);
void            gazette_article_set_content      (GazetteArticle *self, const char *content);
const char     *gazette_article_get_reader_html  (GazetteArticle *self);
void            gazette_article_set_reader_html  (GazetteArticle *self, const char *html);
const char     *gazette_article_get_reader_removed (GazetteArticle *self);
void            gazette_article_set_reader_removed (GazetteArticle *self, const char *removed);
const char     *gazette_article_get_lead_image   (GazetteArticle *self);
void            gazette_article_set_lead_image   (GazetteArticle *self, const char *url);
const char     *gazette_article_get_lang         (GazetteArticle *self);
void            gazette_article_set_lang         (GazetteArticle *self, const char *lang);
const char     *gazette_article_get_dir          (GazetteArticle *self);
void            gazette_article_set_dir          (GazetteArticle *self, const char *dir);
gboolean        gazette_article_get_read         (GazetteArticle *self);
void            gazette_article_set_read         (GazetteArticle *self, gboolean read);
gboolean        gazette_article_get_starred      (GazetteArticle *self);
void            gazette_article_set_starred      (GazetteArticle *self, gboolean starred);
gboolean        gazette_article_get_saved        (GazetteArticle *self);
void            gazette_article_set_saved        (GazetteArticle *self, gboolean saved);

G_END_DECLS

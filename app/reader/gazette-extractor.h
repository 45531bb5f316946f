/* gazette-extractor.h — a web page in, its article out (no I/O)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "gazette-clutter.h"

G_BEGIN_DECLS

typedef struct {
  char     *title;
  char     *byline;
  char     *site_name;
  char     *published;   /* ISO-8601 UTC, "2019-12-07T15:31:00Z", NULL when unknown */
  char     *lang;
  char     *dir;         /* "ltr" or "rtl", NULL when unknown */
  char     *lead_image;  /* absolute URL */
  char     *excerpt;
  gboolean  readerable;
  char     *html;        /* sanitised article body */
  char     *text;        /* plain text, paragraphs separated by blank lines */
  guint     words;
  GPtrArray *removed;    /* of GazetteClutterRemoval*, what the clutter filter took out; never NULL */
} GazetteArticleContent;

typedef struct {
  const char *url;           /* the page's URL, for relative links; may be NULL */
  const char *content_type;  /* HTTP Content-Type (charset hint), may be NULL */
  gboolean    no_filter;     /* turn the clutter filter off */
  GazetteClutterFilter *filter;  /* the clutter filter to use; NULL: the default one */
} GazetteExtractOptions;

/* Extracts the article of @html (raw bytes, any encoding). Fails with GAZETTE_ERROR_NOT_HTML or
 * GAZETTE_ERROR_NO_ARTICLE. */
GazetteArticleContent *gazette_extract            (const char                  *html,
                                                   gsize                        length,
                                                   const GazetteExtractOptions *options,
                                                   GError                     **error);
void                   gazette_article_content_free (GazetteArticleContent      *content);
char                  *gazette_article_content_to_json (const GazetteArticleContent *content,
                                                        gboolean                     pretty);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteArticleContent, gazette_article_content_free)

G_END_DECLS

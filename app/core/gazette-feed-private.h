/* gazette-feed-private.h — what the parts of the feed parser share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gazette-feed.h"

G_BEGIN_DECLS

GazetteFeed      *gazette_feed_new              (const char  *format);
GazetteFeedEntry *gazette_feed_entry_new        (void);
GazetteEnclosure *gazette_enclosure_new         (const char  *url,
                                                 const char  *type,
                                                 gint64       length);
void              gazette_feed_add_warning      (GazetteFeed *feed,
                                                 const char  *message);
/* Adds @enclosure unless one with the same URL is already there. Takes ownership. */
void              gazette_feed_entry_add_enclosure (GazetteFeedEntry *entry,
                                                    GazetteEnclosure *enclosure);
/* Adds a trimmed, non-empty category unless already present. */
void              gazette_feed_entry_add_category  (GazetteFeedEntry *entry,
                                                    const char       *category);
/* Entry ids, duplicate ids and date fallbacks, once every entry is in. */
void              gazette_feed_finish           (GazetteFeed *feed);

/* Text helpers (gazette-feed-text.c). */
char     *gazette_feed_decode           (const char  *data,
                                         gsize        length,
                                         const char  *content_type,
                                         gsize       *out_length,
                                         GPtrArray   *warnings);
/* ASCII without NUL: what gazette_feed_decode would copy unchanged, so read in place. */
gboolean  gazette_feed_is_ascii         (const char  *data,
                                         gsize        length);
/* Only spaces, tabs and line breaks (or nothing); @text need not end in NUL. */
gboolean  gazette_feed_is_blank         (const char  *text,
                                         gsize        length);
/* Appends @text escaped for HTML: & < > and, when @attribute, ". */
void      gazette_feed_append_escaped   (GString     *out,
                                         const char  *text,
                                         gsize        len,
                                         gboolean     attribute);
/* Before parsing: HTML entities, bare & and <, forbidden characters. NULL when all was well. */
char     *gazette_feed_repair_xml       (const char  *text,
                                         gsize        length,
                                         gsize       *out_length);
/* Once a strict parse failed: forbidden characters in CDATA, unquoted attribute values,
 * declarations inside the document. NULL when there was nothing to mend. */
char     *gazette_feed_repair_harder    (const char  *text,
                                         gsize        length,
                                         gsize       *out_length);
/* The document as libxml2 reads it fastest: each long run of character data (text between tags,
 * CDATA sections) that libxml2 would read without error is replaced by the processing
 * instruction <?gazette N?>, and its characters, references decoded, kept as run N. Reading the
 * runs from here spares libxml2 the bulk of a feed (escaped HTML is a reference every few
 * bytes); the parser hands run N to the same callback as libxml2 would have. */
typedef struct {
  const char *text;     /* into the source document, or NULL: at offset in ->decoded */
  gsize       offset;
  gsize       length;
} GazetteFeedRun;

typedef struct {
  GString *doc;
  GArray  *runs;        /* of GazetteFeedRun */
  GString *decoded;     /* the text of the runs that held references */
} GazetteFeedSkeleton;

#define GAZETTE_FEED_RUN_TARGET "gazette"

/* NULL when nothing is worth taking out, or when the document is one the shortcut does not
 * understand (an internal DTD subset, a processing instruction named like the markers). */
GazetteFeedSkeleton *gazette_feed_skeleton_new  (const char          *text,
                                                 gsize                length);
void                 gazette_feed_skeleton_free (GazetteFeedSkeleton *skeleton);
/* Run @index's characters; NULL when there is no such run. */
const char          *gazette_feed_skeleton_run  (GazetteFeedSkeleton *skeleton,
                                                 guint                index,
                                                 gsize               *length);
/* For tests: whether gazette_feed_parse may use the shortcuts above (default TRUE). */
void                 gazette_feed_set_shortcuts (gboolean             enabled);
gboolean             gazette_feed_get_shortcuts (void);

/* Sanitised HTML; NULL when nothing is left. Plain text skips the sanitiser. */
char     *gazette_feed_sanitize         (const char  *html,
                                         const char  *base_url);
/* The sanitiser's output for simple HTML, without the HTML parser; NULL when @html is not
 * simple enough (then gazette_sanitize_html_fragment is needed). */
char     *gazette_feed_sanitize_fast    (const char  *html,
                                         gsize        length);
char     *gazette_feed_text_to_html     (const char  *text);
char     *gazette_feed_fold_whitespace  (char        *text);
gboolean  gazette_feed_looks_like_html  (const char  *text);
char     *gazette_feed_resolve_url      (const char  *base,
                                         const char  *url);
gint64    gazette_feed_parse_length     (const char  *text);
void      gazette_feed_split_author     (const char  *text,
                                         char       **name,
                                         char       **email);

/* The formats. Each returns NULL and sets GAZETTE_ERROR_NOT_A_FEED when the document is not
 * one of its feeds. */
GazetteFeed *gazette_feed_parse_xml     (const char  *utf8,
                                         gsize        length,
                                         const char  *base_url,
                                         GPtrArray   *warnings,
                                         GError     **error);
GazetteFeed *gazette_feed_parse_json    (const char  *utf8,
                                         gsize        length,
                                         const char  *base_url,
                                         GError     **error);

G_END_DECLS

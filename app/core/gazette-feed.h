/* gazette-feed.h — a parsed feed (RSS, Atom, JSON Feed), independent of storage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char   *url;
  char   *type;      /* NULL when the feed does not say */
  gint64  length;    /* bytes, -1 when unknown */
} GazetteEnclosure;

typedef struct {
  char      *id;            /* guid/id, or a stable id derived from link, title and date */
  char      *title;         /* plain text */
  char      *link;          /* absolute */
  char      *author;
  char      *author_email;
  gint64     published;     /* unix seconds UTC, 0 = unknown */
  gint64     updated;       /* unix seconds UTC, 0 = unknown */
  char      *summary;       /* sanitised HTML, NULL when absent */
  char      *content;       /* sanitised HTML, NULL when absent */
  char      *comments;      /* URL */
  GPtrArray *categories;    /* of char*, never NULL */
  GPtrArray *enclosures;    /* of GazetteEnclosure*, never NULL */
} GazetteFeedEntry;

typedef struct {
  char      *format;        /* "rss0.90" … "rss0.94", "rss1.0", "rss2.0", "atom0.3", "atom1.0",
                             * "json1.0", "json1.1" */
  char      *title;         /* plain text */
  char      *link;          /* the site, absolute */
  char      *subtitle;
  char      *language;
  gint64     updated;       /* unix seconds UTC, 0 = unknown */
  char      *icon;
  char      *image;
  char      *author;
  char      *generator;
  char      *rights;
  GPtrArray *entries;       /* of GazetteFeedEntry*, document order, never NULL */
  GPtrArray *warnings;      /* of char*: what was recovered from, never NULL */
} GazetteFeed;

/* Parses @data as a feed. @base_url resolves relative links (the feed's own URL when fetched).
 * @content_type is the HTTP Content-Type when known (its charset is one hint among several).
 * Returns NULL with GAZETTE_ERROR_NOT_A_FEED when @data is not a feed at all; ill-formed XML is
 * recovered where possible and noted in ->warnings. Never touches the network. */
GazetteFeed *gazette_feed_parse       (const char   *data,
                                       gsize         length,
                                       const char   *base_url,
                                       const char   *content_type,
                                       GError      **error);
void         gazette_feed_free        (GazetteFeed  *feed);
void         gazette_feed_entry_free  (GazetteFeedEntry *entry);
void         gazette_enclosure_free   (GazetteEnclosure *enclosure);

/* Serialises as the JSON `gazette-cli parse-feed` prints (see issue "Feed engine"). */
char        *gazette_feed_to_json     (const GazetteFeed *feed,
                                       gboolean           pretty);

/* A feed a page offers, or that discovery found and read. */
typedef struct {
  char *url;       /* absolute */
  char *title;     /* the link's title, or the feed's own once read; may be NULL */
  char *type;      /* MIME type the page gave (application/rss+xml, …); may be NULL */
  char *format;    /* once read: "rss2.0", "atom1.0", … as GazetteFeed:format; else NULL */
} GazetteFeedLink;

GazetteFeedLink *gazette_feed_link_new   (const char      *url,
                                          const char      *title,
                                          const char      *type);
void             gazette_feed_link_free  (GazetteFeedLink *link);

/* Feed URLs a HTML page advertises (<link rel="alternate" type="application/rss+xml" …>),
 * absolute, in document order; empty when none. */
GPtrArray   *gazette_feed_discover    (const char   *html,
                                       gsize         length,
                                       const char   *base_url);
/* The same as GazetteFeedLink* with the links' titles and types. */
GPtrArray   *gazette_feed_discover_links (const char *html,
                                          gsize       length,
                                          const char *base_url);
/* "RSS 2.0", "Atom 1.0", "JSON Feed 1.1" for a GazetteFeed:format; NULL for NULL. */
char        *gazette_feed_format_name (const char   *format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteFeed, gazette_feed_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteFeedEntry, gazette_feed_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteFeedLink, gazette_feed_link_free)

G_END_DECLS

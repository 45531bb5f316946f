/* gazette-metadata.c — article metadata from JSON-LD, OpenGraph, Twitter cards, <meta>,
 * microdata, <time> and the document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <string.h>

#include "gazette-metadata.h"
#include "gazette-sanitizer.h"

/* Values found, by field, best source first: the first non-empty one wins. */
typedef struct {
  char *title[6];
  char *byline[6];
  char *site_name[3];
  char *published[6];
  char *lang[4];
  char *image[4];
  char *excerpt[4];
} Found;

#define SET_ONCE(slot, value) \
  G_STMT_START { if ((slot) == NULL && (value) != NULL && *(value) != '\0') (slot) = g_strdup (value); } G_STMT_END

static char *
fold (const char *text)
{
  if (text == NULL)
    return NULL;
  return gazette_html_to_plain_text (text, -1);
}

static char *
get_attr (xmlNodePtr  node,
          const char *name)
{
  return (char *) xmlGetProp (node, (const xmlChar *) name);
}

static gboolean
is_url (const char *s)
{
  return s != NULL && (g_str_has_prefix (s, "http://") || g_str_has_prefix (s, "https://") ||
                       g_str_has_prefix (s, "//"));
}

static char *
absolute (const char *url,
          const char *base)
{
  if (url == NULL || *url == '\0')
    return NULL;
  if (base == NULL)
    return g_strdup (url);
  if (g_str_has_prefix (url, "//"))
    {
      g_autofree char *scheme = g_uri_parse_scheme (base);
      return g_strconcat (scheme != NULL ? scheme : "https", ":", url, NULL);
    }
  {
    char *resolved = g_uri_resolve_relative (base, url, G_URI_FLAGS_PARSE_RELAXED, NULL);
    return resolved != NULL ? resolved : g_strdup (url);
  }
}

/* ---------- dates ---------- */

static const char *months[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                "jul", "aug", "sep", "oct", "nov", "dec" };

static char *
iso_from_datetime (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* "Sat, 07 Dec 2019 15:31:00 +0300" and "December 7, 2019" style dates. */
static char *
parse_textual_date (const char *value)
{
  g_autofree char *lower = g_ascii_strdown (value, -1);
  int day = 0, year = 0, month = 0, hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;
  g_auto(GStrv) tokens = g_strsplit_set (lower, " ,\t", -1);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *t = tokens[i];

      if (*t == '\0')
        continue;
      if (g_ascii_isalpha (*t))
        {
          for (guint m = 0; m < 12; m++)
            if (g_str_has_prefix (t, months[m]))
              month = m + 1;
          if (g_str_equal (t, "gmt") || g_str_equal (t, "utc") || g_str_equal (t, "z"))
            offset_minutes = 0;
          continue;
        }
      if (strchr (t, ':') != NULL)
        {
          sscanf (t, "%d:%d:%d", &hour, &minute, &second);
          continue;
        }
      if ((*t == '+' || *t == '-') && strlen (t) == 5 && g_ascii_isdigit (t[1]))
        {
          int v = atoi (t + 1);
          offset_minutes = (v / 100) * 60 + v % 100;
          if (*t == '-')
            offset_minutes = -offset_minutes;
          continue;
        }
      if (g_ascii_isdigit (*t))
        {
          int v = atoi (t);
          if (v > 31 && year == 0)
            year = v < 100 ? 2000 + v : v;
          else if (day == 0)
            day = v;
          else if (year == 0)
            year = v < 100 ? 2000 + v : v;
        }
    }

  if (year < 1970 || month == 0 || day < 1 || day > 31)
    return NULL;
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_offset (offset_minutes * 60);
    g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, hour, minute, second);
    return dt != NULL ? iso_from_datetime (dt) : NULL;
  }
}

char *
gazette_metadata_normalize_date (const char *value)
{
  g_autofree char *v = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (value == NULL)
    return NULL;
  v = g_strstrip (g_strdup (value));
  if (*v == '\0')
    return NULL;

  if (g_ascii_isdigit (v[0]) && strlen (v) >= 10 && v[4] == '-')
    {
      /* ISO 8601: a date alone means midnight UTC; a time without a zone is taken as UTC. */
      if (strlen (v) == 10)
        {
          g_autofree char *full = g_strconcat (v, "T00:00:00Z", NULL);
          dt = g_date_time_new_from_iso8601 (full, utc);
        }
      else
        {
          if (v[10] == ' ')
            v[10] = 'T';
          dt = g_date_time_new_from_iso8601 (v, utc);
          if (dt == NULL)
            {
              /* "+0300" offsets without a colon, as some CMSs write them. */
              gsize n = strlen (v);
              if (n > 5 && (v[n - 5] == '+' || v[n - 5] == '-') && g_ascii_isdigit (v[n - 1]))
                {
                  g_autofree char *fixed = g_strdup_printf ("%.*s:%s", (int) n - 2, v, v + n - 2);
                  dt = g_date_time_new_from_iso8601 (fixed, utc);
                }
            }
        }
      if (dt != NULL)
        return iso_from_datetime (dt);
    }
  return parse_textual_date (v);
}

/* ---------- titles ---------- */

static guint
count_words (const char *s)
{
  guint n = 0;
  gboolean in = FALSE;

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean w = g_unichar_isalnum (c);

      if (w && !in)
        n++;
      in = w;
    }
  return n;
}

static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *fa = NULL, *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  g_strstrip (fa);
  g_strstrip (fb);
  return g_str_equal (fa, fb);
}

char *
gazette_metadata_clean_title (const char *title,
                              const char *site_name,
                              const char *heading)
{
  static const char *separators[] = { " | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / ",
                                      " : ", " ~ " };
  g_autofree char *t = NULL;

  if (title == NULL)
    return NULL;
  t = g_strstrip (g_strdup (title));

  /* The heading on the page is the article's own title when the document title contains it. */
  if (heading != NULL && count_words (heading) >= 2 && !same_text (heading, t))
    {
      g_autofree char *ft = g_utf8_casefold (t, -1);
      g_autofree char *fh = g_utf8_casefold (heading, -1);

      /* …and is most of it: a heading that is only the site's part ("Site: Title" or
       * "Title — Site tagline") is not the article's. */
      if (strstr (ft, fh) != NULL &&
          (int) count_words (t) - (int) count_words (heading) < (int) count_words (heading))
        return g_strdup (heading);
    }

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    {
      const char *sep = separators[i];
      const char *last = g_strrstr (t, sep);
      const char *first = strstr (t, sep);

      if (last == NULL)
        continue;
      {
        g_autofree char *head = g_strndup (t, last - t);
        const char *tail = last + strlen (sep);
        g_autofree char *lead = g_strndup (t, first - t);
        const char *rest = first + strlen (sep);

        if (site_name != NULL && same_text (tail, site_name))
          return g_strstrip (g_steal_pointer (&head));
        if (site_name != NULL && same_text (lead, site_name))
          return g_strstrip (g_strdup (rest));
        /* No site name to compare with: a short tail after the last separator is the site's. */
        if (count_words (tail) <= 4 && count_words (head) >= 3 && count_words (tail) < count_words (head))
          return g_strstrip (g_steal_pointer (&head));
      }
    }
  return g_steal_pointer (&t);
}

/* ---------- JSON-LD ---------- */

static gboolean
is_article_type (JsonNode *type)
{
  static const char *types[] = {
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "TechArticle",
    "ScholarlyArticle", "SocialMediaPosting", "LiveBlogPosting", "Report", "WebPage",
    "MedicalWebPage", "Recipe", "HowTo", "APIReference", "DiscussionForumPosting", "Review",
  };

  if (type == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (type))
    {
      JsonArray *array = json_node_get_array (type);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (is_article_type (json_array_get_element (array, i)))
          return TRUE;
      return FALSE;
    }
  if (JSON_NODE_HOLDS_VALUE (type) && json_node_get_value_type (type) == G_TYPE_STRING)
    {
      const char *t = json_node_get_string (type);
      const char *slash = strrchr (t, '/');

      if (slash != NULL)
        t = slash + 1;
      for (guint i = 0; i < G_N_ELEMENTS (types); i++)
        if (g_str_equal (t, types[i]))
          return TRUE;
    }
  return FALSE;
}

static const char *
json_string_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* "name" of a Person/Organization, a string, or several joined with ", ". */
static char *
json_names (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return is_url (json_node_get_string (node)) ? NULL : g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *name = json_string_member (json_node_get_object (node), "name");
      return name != NULL ? g_strdup (name) : NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char *name = json_names (json_array_get_element (array, i));
          if (name != NULL)
            g_ptr_array_add (names, name);
        }
      g_ptr_array_add (names, NULL);
      return names->len > 1 ? g_strjoinv (", ", (char **) names->pdata) : NULL;
    }
  return NULL;
}

static char *
json_image (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *url = json_string_member (json_node_get_object (node), "url");
      if (url == NULL)
        url = json_string_member (json_node_get_object (node), "contentUrl");
      return url != NULL ? g_strdup (url) : NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    return json_image (json_array_get_element (json_node_get_array (node), 0));
  return NULL;
}

static gboolean
is_web_page_type (JsonNode *type)
{
  const char *t;

  if (type == NULL || !JSON_NODE_HOLDS_VALUE (type) ||
      json_node_get_value_type (type) != G_TYPE_STRING)
    return FALSE;
  t = json_node_get_string (type);
  return g_str_has_suffix (t, "WebPage");
}

/* Read in two passes: @web_pages FALSE takes the Article-like objects, TRUE the WebPage ones,
 * so that a page describing itself before its article does not lend the article its values. */
static void
read_json_ld_object (JsonObject *object,
                     gboolean    web_pages,
                     Found      *found,
                     gboolean   *found_article)
{
  JsonNode *graph = json_object_get_member (object, "@graph");

  if (graph != NULL && JSON_NODE_HOLDS_ARRAY (graph))
    {
      JsonArray *array = json_node_get_array (graph);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_OBJECT (item))
            read_json_ld_object (json_node_get_object (item), web_pages, found, found_article);
        }
    }

  if (is_article_type (json_object_get_member (object, "@type")) &&
      is_web_page_type (json_object_get_member (object, "@type")) != web_pages)
    return;
  if (!is_article_type (json_object_get_member (object, "@type")))
    {
      /* A WebSite object names the site even when the article is described elsewhere. */
      JsonNode *type = json_object_get_member (object, "@type");
      if (type != NULL && JSON_NODE_HOLDS_VALUE (type) &&
          g_strcmp0 (json_node_get_string (type), "WebSite") == 0)
        SET_ONCE (found->site_name[1], json_string_member (object, "name"));
      return;
    }

  /* A page may describe itself as a WebPage and its article as an Article: the Article wins,
   * which is why WebPage values only fill what is still empty. */
  {
    const char *headline = json_string_member (object, "headline");
    g_autofree char *author = json_names (json_object_get_member (object, "author"));
    g_autofree char *image = json_image (json_object_get_member (object, "image"));
    g_autofree char *publisher = NULL;
    JsonNode *pub = json_object_get_member (object, "publisher");
    JsonNode *lang = json_object_get_member (object, "inLanguage");

    if (headline == NULL)
      headline = json_string_member (object, "name");
    if (pub != NULL && JSON_NODE_HOLDS_OBJECT (pub))
      publisher = g_strdup (json_string_member (json_node_get_object (pub), "name"));

    SET_ONCE (found->title[0], headline);
    SET_ONCE (found->byline[0], author);
    SET_ONCE (found->published[0], json_string_member (object, "datePublished"));
    SET_ONCE (found->published[5], json_string_member (object, "dateCreated"));
    SET_ONCE (found->image[0], image);
    SET_ONCE (found->excerpt[0], json_string_member (object, "description"));
    SET_ONCE (found->site_name[1], publisher);
    if (lang != NULL && JSON_NODE_HOLDS_VALUE (lang))
      SET_ONCE (found->lang[1], json_node_get_string (lang));
    *found_article = TRUE;
  }
}

static void
read_json_ld (GPtrArray *scripts,
              Found     *found)
{
  gboolean found_article = FALSE;

  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < scripts->len; i++)
      {
        g_autofree char *text = (char *) xmlNodeGetContent (g_ptr_array_index (scripts, i));
        g_autoptr(JsonParser) parser = json_parser_new ();
        JsonNode *root;

        if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
          continue;
        root = json_parser_get_root (parser);
        /* An empty or blank script parses, to no node at all. */
        if (root == NULL)
          continue;
        if (JSON_NODE_HOLDS_OBJECT (root))
          read_json_ld_object (json_node_get_object (root), pass == 1, found, &found_article);
        else if (JSON_NODE_HOLDS_ARRAY (root))
          {
            JsonArray *array = json_node_get_array (root);

            for (guint j = 0; j < json_array_get_length (array); j++)
              if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, j)))
                read_json_ld_object (json_node_get_object (json_array_get_element (array, j)),
                                     pass == 1, found, &found_article);
          }
      }
}

/* ---------- <meta> ---------- */

/* One <meta> key (a property, name, itemprop or http-equiv, lowercased) and its content. */
static void
read_meta_key (Found      *found,
               const char *key,
               const char *content)
{
  if (g_str_equal (key, "og:title"))
    SET_ONCE (found->title[1], content);
  else if (g_str_equal (key, "twitter:title"))
    SET_ONCE (found->title[2], content);
  else if (g_str_equal (key, "dc.title") || g_str_equal (key, "dcterms.title") ||
           g_str_equal (key, "title") || g_str_equal (key, "sailthru.title") ||
           g_str_equal (key, "parsely-title") || g_str_equal (key, "citation_title"))
    SET_ONCE (found->title[3], content);
  else if (g_str_equal (key, "og:site_name"))
    SET_ONCE (found->site_name[0], content);
  else if (g_str_equal (key, "application-name") || g_str_equal (key, "apple-mobile-web-app-title"))
    SET_ONCE (found->site_name[2], content);
  else if ((g_str_equal (key, "dc.creator") || g_str_equal (key, "dcterms.creator") ||
            g_str_equal (key, "dc:creator") || g_str_equal (key, "dcterm:creator")) &&
           !is_url (content))
    SET_ONCE (found->byline[1], content);
  else if ((g_str_equal (key, "author") || g_str_equal (key, "article:author") ||
            g_str_equal (key, "sailthru.author") || g_str_equal (key, "parsely-author") ||
            g_str_equal (key, "citation_author") || g_str_equal (key, "byl")) &&
           !is_url (content))
    SET_ONCE (found->byline[2], content);
  else if (g_str_equal (key, "twitter:creator") && content[0] != '@')
    SET_ONCE (found->byline[4], content);
  else if (g_str_equal (key, "article:published_time") || g_str_equal (key, "og:published_time") ||
           g_str_equal (key, "published_time"))
    SET_ONCE (found->published[1], content);
  else if (g_str_equal (key, "date") || g_str_equal (key, "pubdate") ||
           g_str_equal (key, "publishdate") || g_str_equal (key, "publish-date") ||
           g_str_equal (key, "dc.date") || g_str_equal (key, "dc.date.issued") ||
           g_str_equal (key, "dcterms.created") || g_str_equal (key, "dcterms.date") ||
           g_str_equal (key, "citation_publication_date") || g_str_equal (key, "citation_date") ||
           g_str_equal (key, "sailthru.date") || g_str_equal (key, "parsely-pub-date") ||
           g_str_equal (key, "article.published") || g_str_equal (key, "datepublished") ||
           g_str_equal (key, "release_date"))
    SET_ONCE (found->published[2], content);
  else if (g_str_equal (key, "og:image") || g_str_equal (key, "og:image:url") ||
           g_str_equal (key, "og:image:secure_url"))
    SET_ONCE (found->image[1], content);
  else if (g_str_equal (key, "twitter:image") || g_str_equal (key, "twitter:image:src"))
    SET_ONCE (found->image[2], content);
  else if (g_str_equal (key, "og:description"))
    SET_ONCE (found->excerpt[1], content);
  else if (g_str_equal (key, "twitter:description"))
    SET_ONCE (found->excerpt[2], content);
  else if (g_str_equal (key, "description") || g_str_equal (key, "dc.description"))
    SET_ONCE (found->excerpt[3], content);
  else if (g_str_equal (key, "og:locale"))
    SET_ONCE (found->lang[2], content);
  else if (g_str_equal (key, "content-language") || g_str_equal (key, "language") ||
           g_str_equal (key, "dc.language"))
    SET_ONCE (found->lang[3], content);
}

static void
read_meta (GPtrArray *metas,
           Found     *found)
{
  for (guint i = 0; i < metas->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (metas, i);
      g_autofree char *prop = get_attr (node, "property");
      g_autofree char *name = get_attr (node, "name");
      g_autofree char *itemprop = get_attr (node, "itemprop");
      g_autofree char *equiv = get_attr (node, "http-equiv");
      g_autofree char *content = get_attr (node, "content");
      g_autofree char *key = NULL;

      if (content == NULL)
        continue;
      g_strstrip (content);
      key = g_ascii_strdown (prop != NULL ? prop : name != NULL ? name : itemprop != NULL ? itemprop
                             : equiv != NULL ? equiv : "", -1);

      /* RDFa allows several properties in one attribute: "dc:creator twitter:site_name". */
      {
        g_auto(GStrv) keys = g_strsplit_set (key, " \t\n", -1);

        for (guint k = 0; keys[k] != NULL; k++)
          if (*keys[k] != '\0')
            read_meta_key (found, keys[k], content);
      }
    }
}

/* ---------- microdata and the document ---------- */

/* What the metadata needs from the document, gathered in one walk rather than one XPath scan
 * of the page per question. Each list is in document order. */
typedef struct {
  GPtrArray *scripts;     /* <script type="application/ld+json"> */
  GPtrArray *metas;       /* <meta> */
  GPtrArray *headline;    /* [itemprop=headline] */
  GPtrArray *author;      /* [itemprop=author] and its [itemprop=name], [rel=author] */
  GPtrArray *byline;      /* class "byline", "…byline__author…", "…author-name…", "author" */
  GPtrArray *date;        /* [itemprop=datePublished] */
  GPtrArray *times;       /* <time datetime> */
  GPtrArray *image_src;   /* <link rel=image_src> */
  GPtrArray *h1;
  GPtrArray *title;
} Scan;

static gboolean
attr_equals (xmlNodePtr  node,
             const char *name,
             const char *value)
{
  g_autofree char *v = get_attr (node, name);
  return v != NULL && g_str_equal (v, value);
}

static gboolean
is_byline_class (const char *cls)
{
  g_auto(GStrv) tokens = NULL;

  if (cls == NULL)
    return FALSE;
  if (strstr (cls, "byline__author") != NULL || strstr (cls, "author-name") != NULL ||
      g_str_equal (cls, "author"))
    return TRUE;
  tokens = g_strsplit_set (cls, " \t\n\r", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (g_str_equal (tokens[i], "byline"))
      return TRUE;
  return FALSE;
}

static void
scan_walk (xmlNodePtr  node,
           gboolean    in_author,
           Scan       *scan)
{
  for (; node != NULL; node = node->next)
    {
      gboolean author = FALSE;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (xmlStrcasecmp (node->name, (const xmlChar *) "meta") == 0)
        g_ptr_array_add (scan->metas, node);
      else if (xmlStrcasecmp (node->name, (const xmlChar *) "script") == 0)
        {
          g_autofree char *type = get_attr (node, "type");
          if (type != NULL && g_ascii_strcasecmp (type, "application/ld+json") == 0)
            g_ptr_array_add (scan->scripts, node);
          continue;
        }
      else if (xmlStrcasecmp (node->name, (const xmlChar *) "time") == 0 &&
               xmlHasProp (node, (const xmlChar *) "datetime"))
        g_ptr_array_add (scan->times, node);
      else if (xmlStrcasecmp (node->name, (const xmlChar *) "link") == 0 &&
               attr_equals (node, "rel", "image_src"))
        g_ptr_array_add (scan->image_src, node);
      else if (xmlStrcasecmp (node->name, (const xmlChar *) "h1") == 0)
        g_ptr_array_add (scan->h1, node);
      else if (xmlStrcasecmp (node->name, (const xmlChar *) "title") == 0)
        g_ptr_array_add (scan->title, node);

      if (node->properties != NULL)
        {
          g_autofree char *itemprop = get_attr (node, "itemprop");
          g_autofree char *cls = get_attr (node, "class");

          if (itemprop != NULL)
            {
              if (g_str_equal (itemprop, "headline"))
                g_ptr_array_add (scan->headline, node);
              else if (g_str_equal (itemprop, "datePublished"))
                g_ptr_array_add (scan->date, node);
              author = g_str_equal (itemprop, "author");
            }
          if (author || attr_equals (node, "rel", "author") ||
              (in_author && g_strcmp0 (itemprop, "name") == 0))
            g_ptr_array_add (scan->author, node);
          if (is_byline_class (cls))
            g_ptr_array_add (scan->byline, node);
        }
      scan_walk (node->children, in_author || author, scan);
    }
}

static void
scan_init (Scan       *scan,
           xmlNodePtr  root)
{
  GPtrArray **lists = (GPtrArray **) scan;

  for (guint i = 0; i < sizeof (Scan) / sizeof (GPtrArray *); i++)
    lists[i] = g_ptr_array_new ();
  scan_walk (root, FALSE, scan);
}

static void
scan_clear (Scan *scan)
{
  GPtrArray **lists = (GPtrArray **) scan;

  for (guint i = 0; i < sizeof (Scan) / sizeof (GPtrArray *); i++)
    g_ptr_array_unref (lists[i]);
}

/* The first non-empty value among @nodes: @attr when set, else the text. */
static char *
first_value (GPtrArray  *nodes,
             const char *attr)
{
  char *value = NULL;

  for (guint i = 0; i < nodes->len && value == NULL; i++)
    {
      xmlNodePtr node = g_ptr_array_index (nodes, i);

      if (attr != NULL)
        value = get_attr (node, attr);
      if (value == NULL || *value == '\0')
        {
          g_free (value);
          value = gazette_node_text (node);
        }
      if (value != NULL && *value == '\0')
        g_clear_pointer (&value, g_free);
    }
  return value;
}

/* The first non-empty, whitespace-folded value of @attr among @nodes. */
static char *
first_attr (GPtrArray  *nodes,
            const char *attr)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      g_autofree char *value = get_attr (g_ptr_array_index (nodes, i), attr);
      g_autofree char *folded = value != NULL ? g_strstrip (g_strdup (value)) : NULL;

      if (folded != NULL && *folded != '\0')
        return g_steal_pointer (&folded);
    }
  return NULL;
}

static char *
clean_byline (const char *byline)
{
  g_autofree char *text = NULL;
  const char *p;

  if (byline == NULL)
    return NULL;
  text = fold (byline);
  p = text;
  if (g_ascii_strncasecmp (p, "by ", 3) == 0)
    p += 3;
  else if (g_ascii_strncasecmp (p, "by:", 3) == 0)
    p += 3;
  while (*p == ' ')
    p++;
  if (*p == '\0' || g_utf8_strlen (p, -1) > 100 || is_url (p))
    return NULL;
  /* A dash or bullet that led to the date or the reading time, now gone. */
  {
    char *end = (char *) p + strlen (p);

    while (end > p)
      {
        char *prev = g_utf8_find_prev_char (p, end);
        gunichar c = g_utf8_get_char (prev);

        if (c != ' ' && c != ',' && c != '|' && c != '-' && c != ':' && c != 0x2014 &&
            c != 0x2013 && c != 0x2022 && c != 0x00B7)
          break;
        end = prev;
      }
    *end = '\0';
    if (*p == '\0')
      return NULL;
  }
  {
    /* A "byline" block that holds only the date is not a byline. */
    g_autofree char *as_date = gazette_metadata_normalize_date (p);
    if (as_date != NULL)
      return NULL;
  }
  return g_strdup (p);
}

static char *
normalize_lang (const char *lang)
{
  g_autofree char *l = NULL;

  if (lang == NULL)
    return NULL;
  l = g_strstrip (g_strdup (lang));
  if (*l == '\0')
    return NULL;
  g_strdelimit (l, "_", '-');
  /* "en-us" → "en-US", as BCP 47 writes regions. */
  {
    char *dash = strchr (l, '-');
    for (char *p = l; dash != NULL && *p && p < dash; p++)
      *p = g_ascii_tolower (*p);
    if (dash != NULL && strlen (dash + 1) == 2)
      {
        dash[1] = g_ascii_toupper (dash[1]);
        dash[2] = g_ascii_toupper (dash[2]);
      }
    if (dash == NULL)
      for (char *p = l; *p; p++)
        *p = g_ascii_tolower (*p);
  }
  return g_steal_pointer (&l);
}

static gboolean
is_rtl_language (const char *lang)
{
  static const char *rtl[] = { "ar", "he", "iw", "fa", "ur", "ps", "yi", "dv", "sd", "ug", "ckb" };
  g_autofree char *primary = NULL;

  if (lang == NULL)
    return FALSE;
  primary = g_ascii_strdown (lang, strcspn (lang, "-_"));
  for (guint i = 0; i < G_N_ELEMENTS (rtl); i++)
    if (g_str_equal (primary, rtl[i]))
      return TRUE;
  return FALSE;
}

static char *
first_of (char **values,
          guint  n)
{
  for (guint i = 0; i < n; i++)
    if (values[i] != NULL && *values[i] != '\0')
      return g_strdup (values[i]);
  return NULL;
}

static void
found_clear (Found *found)
{
  char **all = (char **) found;

  for (guint i = 0; i < sizeof (Found) / sizeof (char *); i++)
    g_free (all[i]);
}

void
gazette_metadata_read (xmlDocPtr              doc,
                       const char            *url,
                       GazetteArticleContent *content)
{
  Found found = { { NULL } };
  Scan scan;
  xmlNodePtr root = xmlDocGetRootElement (doc);
  g_autofree char *h1 = NULL;
  g_autofree char *doc_title = NULL;
  g_autofree char *title = NULL;
  g_autofree char *published = NULL;

  if (root == NULL)
    return;
  scan_init (&scan, root);

  read_json_ld (scan.scripts, &found);
  read_meta (scan.metas, &found);

  found.title[4] = first_value (scan.headline, "content");
  found.byline[3] = first_value (scan.author, "content");
  found.byline[5] = first_value (scan.byline, NULL);
  found.published[3] = first_value (scan.date, "content");
  if (found.published[3] == NULL)
    found.published[3] = first_value (scan.date, "datetime");
  found.published[4] = first_attr (scan.times, "datetime");
  found.image[3] = first_value (scan.image_src, "href");
  found.lang[0] = get_attr (root, "lang");
  if (found.lang[0] == NULL)
    found.lang[0] = get_attr (root, "xml:lang");

  h1 = first_value (scan.h1, NULL);
  doc_title = first_value (scan.title, NULL);

  content->site_name = fold (first_of (found.site_name, G_N_ELEMENTS (found.site_name)));

  /* Structured titles are usually clean; the document title carries the site's name. */
  {
    g_autofree char *raw = first_of (found.title, G_N_ELEMENTS (found.title));
    g_autofree char *plain = NULL;

    if (raw == NULL)
      raw = g_strdup (doc_title != NULL ? doc_title : h1);
    plain = fold (raw);
    title = gazette_metadata_clean_title (plain, content->site_name, h1);
  }
  content->title = g_steal_pointer (&title);

  {
    g_autofree char *raw = first_of (found.byline, G_N_ELEMENTS (found.byline));
    content->byline = clean_byline (raw);
  }

  for (guint i = 0; i < G_N_ELEMENTS (found.published) && published == NULL; i++)
    published = gazette_metadata_normalize_date (found.published[i]);
  content->published = g_steal_pointer (&published);

  {
    g_autofree char *image = first_of (found.image, G_N_ELEMENTS (found.image));
    content->lead_image = absolute (image, url);
  }
  {
    g_autofree char *excerpt = first_of (found.excerpt, G_N_ELEMENTS (found.excerpt));
    content->excerpt = fold (excerpt);
  }
  {
    g_autofree char *lang = first_of (found.lang, G_N_ELEMENTS (found.lang));
    content->lang = normalize_lang (lang);
  }

  {
    g_autofree char *dir = get_attr (root, "dir");
    xmlNodePtr body = NULL;

    for (xmlNodePtr child = root->children; child != NULL; child = child->next)
      if (child->type == XML_ELEMENT_NODE && xmlStrcasecmp (child->name, (const xmlChar *) "body") == 0)
        body = child;
    if (dir == NULL && body != NULL)
      dir = get_attr (body, "dir");
    if (dir != NULL && (g_ascii_strcasecmp (dir, "rtl") == 0 || g_ascii_strcasecmp (dir, "ltr") == 0))
      content->dir = g_ascii_strdown (dir, -1);
    else if (is_rtl_language (content->lang))
      content->dir = g_strdup ("rtl");
  }

  scan_clear (&scan);
  found_clear (&found);
}

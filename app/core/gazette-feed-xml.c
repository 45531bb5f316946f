/* gazette-feed-xml.c — RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, from one libxml2 tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document is parsed once into a tree, strictly first and with recovery only when that
 * fails, and never with entity substitution, DTD loading or the network: entity references stay
 * nodes, and expanding them goes through a budget, so an entity bomb costs little. Element names
 * compare case-insensitively and namespaces are known by URI or, failing that, by their usual
 * prefix, because real feeds get both wrong.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/entities.h>

#include "gazette-date.h"
#include "gazette-error.h"
#include "gazette-feed-private.h"
#include "gazette-sanitizer.h"

typedef enum {
  NS_NONE,
  NS_ATOM,
  NS_DC,
  NS_DCTERMS,
  NS_CONTENT,
  NS_MEDIA,
  NS_ITUNES,
  NS_RDF,
  NS_XHTML,
  NS_ADMIN,
  NS_OTHER,
} Ns;

static const struct {
  const char *href;
  Ns ns;
} known_namespaces[] = {
  { "http://www.w3.org/2005/Atom", NS_ATOM },
  { "http://purl.org/atom/ns#", NS_ATOM },
  { "http://purl.org/rss/1.0/", NS_NONE },
  { "http://my.netscape.com/rdf/simple/0.9/", NS_NONE },
  { "http://backend.userland.com/rss2", NS_NONE },
  { "http://backend.userland.com/rss", NS_NONE },
  { "http://blogs.law.harvard.edu/tech/rss", NS_NONE },
  { "http://purl.org/net/rss1.1#", NS_NONE },
  { "http://purl.org/dc/elements/1.1/", NS_DC },
  { "http://purl.org/dc/elements/1.0/", NS_DC },
  { "http://purl.org/dc/terms/", NS_DCTERMS },
  { "http://purl.org/rss/1.0/modules/content/", NS_CONTENT },
  { "http://search.yahoo.com/mrss/", NS_MEDIA },
  { "http://search.yahoo.com/mrss", NS_MEDIA },
  { "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES },
  { "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF },
  { "http://www.w3.org/1999/xhtml", NS_XHTML },
  { "http://webns.net/mvcb/", NS_ADMIN },
};

static const struct {
  const char *prefix;
  Ns ns;
} known_prefixes[] = {
  { "atom", NS_ATOM }, { "atom10", NS_ATOM }, { "atom03", NS_ATOM }, { "dc", NS_DC },
  { "dcterms", NS_DCTERMS }, { "content", NS_CONTENT }, { "media", NS_MEDIA },
  { "itunes", NS_ITUNES }, { "rdf", NS_RDF }, { "xhtml", NS_XHTML }, { "admin", NS_ADMIN },
};

#define N_NS_CACHE 16
#define ENTITY_BUDGET (8 * 1024 * 1024)
#define RANK_NONE G_MAXINT

typedef struct {
  GazetteFeed *feed;
  gboolean     atom;          /* NS_NONE elements are Atom's, not RSS's */
  gssize       budget;        /* characters entity expansion may still produce */
  gboolean     budget_warned;
  gboolean     recovered;     /* the tree is libxml2's best guess: look for entries anywhere */
  struct {
    const xmlNs *ns;
    Ns           value;
  } ns_cache[N_NS_CACHE];
  guint        n_ns_cache;
  /* Ranks of the feed-level fields set so far: lower wins. */
  int          r_title, r_link, r_subtitle, r_language, r_updated, r_icon, r_image, r_author,
               r_generator, r_rights;
} Ctx;

typedef struct {
  GazetteFeedEntry *e;
  int r_id, r_title, r_link, r_author, r_published, r_updated, r_summary, r_content,
      r_comments;
  char *guid_link;
} EntryState;

static gboolean is_entry (Ctx     *ctx,
                          xmlNode *node);

static Ns
map_prefix (const char *prefix,
            gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_prefixes); i++)
    if (strlen (known_prefixes[i].prefix) == len &&
        g_ascii_strncasecmp (prefix, known_prefixes[i].prefix, len) == 0)
      return known_prefixes[i].ns;
  return NS_OTHER;
}

static Ns
map_namespace (const xmlNs *ns)
{
  const char *href = (const char *) ns->href;

  if (href != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (known_namespaces); i++)
      if (g_ascii_strcasecmp (href, known_namespaces[i].href) == 0)
        return known_namespaces[i].ns;
  if (href != NULL && (*href == '\0'))
    return NS_NONE;
  if (ns->prefix != NULL)
    return map_prefix ((const char *) ns->prefix, strlen ((const char *) ns->prefix));
  /* A default namespace nobody knows: most likely a mistyped RSS or Atom one. */
  return NS_NONE;
}

static Ns
node_ns (Ctx         *ctx,
         xmlNode     *node,
         const char **local)
{
  const char *name = (const char *) node->name;
  Ns value;

  *local = name;
  if (node->ns == NULL)
    {
      const char *colon = strchr (name, ':');

      if (colon == NULL)
        return NS_NONE;
      *local = colon + 1;
      return map_prefix (name, colon - name);
    }
  for (guint i = 0; i < ctx->n_ns_cache; i++)
    if (ctx->ns_cache[i].ns == node->ns)
      return ctx->ns_cache[i].value;
  value = map_namespace (node->ns);
  if (ctx->n_ns_cache < N_NS_CACHE)
    {
      ctx->ns_cache[ctx->n_ns_cache].ns = node->ns;
      ctx->ns_cache[ctx->n_ns_cache++].value = value;
    }
  return value;
}

static gboolean
eq (const char *a,
    const char *b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

static char *
attr (xmlNode    *node,
      const char *name)
{
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    {
      const char *local = (const char *) a->name;
      const char *colon = a->ns == NULL ? strchr (local, ':') : NULL;

      if (colon != NULL)
        local = colon + 1;
      if (eq (local, name))
        {
          xmlChar *value = xmlNodeListGetString (node->doc, a->children, 1);
          char *copy = g_strdup ((const char *) value);

          xmlFree (value);
          return copy;
        }
    }
  return NULL;
}

/* xml:base and xml:lang */
static char *
xml_attr (xmlNode    *node,
          const char *name)
{
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    {
      gboolean is_xml = (a->ns != NULL && a->ns->prefix != NULL &&
                         g_str_equal ((const char *) a->ns->prefix, "xml"));

      if ((is_xml && g_str_equal ((const char *) a->name, name)) ||
          (a->ns == NULL && g_str_has_prefix ((const char *) a->name, "xml:") &&
           g_str_equal ((const char *) a->name + 4, name)))
        {
          xmlChar *value = xmlNodeListGetString (node->doc, a->children, 1);
          char *copy = g_strdup ((const char *) value);

          xmlFree (value);
          return copy;
        }
    }
  return NULL;
}

static char *
node_base (xmlNode    *node,
           const char *parent_base)
{
  g_autofree char *base = xml_attr (node, "base");

  if (base == NULL)
    return g_strdup (parent_base);
  return gazette_feed_resolve_url (parent_base, base);
}

static gboolean
spend (Ctx   *ctx,
       gsize  amount)
{
  ctx->budget -= (gssize) amount;
  if (ctx->budget < 0)
    {
      if (!ctx->budget_warned)
        gazette_feed_add_warning (ctx->feed, _("The feed’s entities expand to too much text; "
                                               "the expansion was cut short"));
      ctx->budget_warned = TRUE;
      return FALSE;
    }
  return TRUE;
}

static void
append_text (Ctx     *ctx,
             xmlNode *first,
             GString *out,
             int      depth)
{
  for (xmlNode *c = first; c != NULL; c = c->next)
    {
      switch (c->type)
        {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (c->content != NULL)
            {
              gsize len = strlen ((const char *) c->content);

              if (depth > 0 && !spend (ctx, len + 1))
                return;
              g_string_append_len (out, (const char *) c->content, len);
            }
          break;

        case XML_ELEMENT_NODE:
          if (depth > 0 && !spend (ctx, 1))
            return;
          /* After recovery, a following entry may hang inside this one's fields. */
          if (ctx->recovered && is_entry (ctx, c))
            break;
          append_text (ctx, c->children, out, depth);
          break;

        case XML_ENTITY_REF_NODE:
          {
            xmlEntity *ent = (xmlEntity *) c->children;

            if (ent == NULL || ent->etype != XML_INTERNAL_GENERAL_ENTITY || depth >= 40 ||
                !spend (ctx, 1))
              break;
            if (ent->children != NULL)
              append_text (ctx, ent->children, out, depth + 1);
            else if (ent->content != NULL)
              {
                gsize len = strlen ((const char *) ent->content);

                if (!spend (ctx, len))
                  return;
                g_string_append_len (out, (const char *) ent->content, len);
              }
          }
          break;

        default:
          break;
        }
    }
}

static char *
node_text (Ctx     *ctx,
           xmlNode *node)
{
  GString *out = g_string_new (NULL);

  append_text (ctx, node->children, out, 0);
  return g_string_free (out, FALSE);
}

static char *
node_text_trimmed (Ctx     *ctx,
                   xmlNode *node)
{
  char *text = g_strstrip (node_text (ctx, node));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
append_escaped (GString    *out,
                const char *text,
                gboolean    in_attribute)
{
  const char *p = text, *run = text;

  for (; *p != '\0'; p++)
    {
      const char *rep = NULL;

      switch (*p)
        {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = in_attribute ? "&quot;" : NULL; break;
        default: break;
        }
      if (rep != NULL)
        {
          g_string_append_len (out, run, p - run);
          g_string_append (out, rep);
          run = p + 1;
        }
    }
  g_string_append_len (out, run, p - run);
}

static gboolean
is_void_element (const char *name)
{
  static const char *const voids[] = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "param",
  };

  for (guint i = 0; i < G_N_ELEMENTS (voids); i++)
    if (eq (name, voids[i]))
      return TRUE;
  return FALSE;
}

/* Inline XHTML (Atom type="xhtml", markup straight inside an RSS description) as HTML: local
 * names only, so prefixes and namespace declarations do not reach the HTML parser. */
static void
serialize (Ctx     *ctx,
           xmlNode *first,
           GString *out,
           int      depth)
{
  for (xmlNode *c = first; c != NULL; c = c->next)
    {
      switch (c->type)
        {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (c->content != NULL)
            {
              if (depth > 0 && !spend (ctx, strlen ((const char *) c->content) + 1))
                return;
              append_escaped (out, (const char *) c->content, FALSE);
            }
          break;

        case XML_ELEMENT_NODE:
          {
            const char *local = (const char *) c->name;
            const char *colon = c->ns == NULL ? strchr (local, ':') : NULL;

            if (colon != NULL)
              local = colon + 1;
            if (depth > 0 && !spend (ctx, 1))
              return;
            if (ctx->recovered && is_entry (ctx, c))
              break;
            g_string_append_c (out, '<');
            g_string_append (out, local);
            for (xmlAttr *a = c->properties; a != NULL; a = a->next)
              {
                xmlChar *value = xmlNodeListGetString (c->doc, a->children, 1);
                const char *aname = (const char *) a->name;
                const char *acolon = a->ns == NULL ? strchr (aname, ':') : NULL;

                if (acolon != NULL)
                  aname = acolon + 1;
                g_string_append_c (out, ' ');
                g_string_append (out, aname);
                g_string_append (out, "=\"");
                append_escaped (out, value != NULL ? (const char *) value : "", TRUE);
                g_string_append_c (out, '"');
                xmlFree (value);
              }
            g_string_append_c (out, '>');
            serialize (ctx, c->children, out, depth);
            /* A void element has no children, except in a recovered tree (an unclosed <br>
             * holding the rest): those follow it. */
            if (!is_void_element (local))
              {
                g_string_append (out, "</");
                g_string_append (out, local);
                g_string_append_c (out, '>');
              }
          }
          break;

        case XML_ENTITY_REF_NODE:
          {
            xmlEntity *ent = (xmlEntity *) c->children;

            if (ent == NULL || ent->etype != XML_INTERNAL_GENERAL_ENTITY || depth >= 40 ||
                !spend (ctx, 1))
              break;
            if (ent->children != NULL)
              serialize (ctx, ent->children, out, depth + 1);
            else if (ent->content != NULL && spend (ctx, strlen ((const char *) ent->content)))
              append_escaped (out, (const char *) ent->content, FALSE);
          }
          break;

        default:
          break;
        }
    }
}

static gboolean
has_element_children (xmlNode *node)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return TRUE;
  return FALSE;
}

typedef enum {
  KIND_TEXT,
  KIND_HTML,
} Kind;

/* A text construct's value and whether it is HTML or plain text. @default_html says what an
 * untyped one is (RSS descriptions are HTML; Atom's untyped text is text). NULL when empty. */
static char *
read_construct (Ctx      *ctx,
                xmlNode  *node,
                gboolean  default_html,
                Kind     *kind)
{
  g_autofree char *type = attr (node, "type");
  g_autofree char *mode = attr (node, "mode");
  gboolean html = default_html, plain_type = FALSE;
  char *value;

  if (type != NULL)
    {
      g_strstrip (type);
      if (eq (type, "text") || eq (type, "text/plain"))
        {
          html = FALSE;
          plain_type = TRUE;
        }
      else if (eq (type, "html") || eq (type, "text/html") || eq (type, "xhtml") ||
               eq (type, "application/xhtml+xml"))
        html = TRUE;
      else if (g_str_has_prefix (type, "text/"))
        html = FALSE;
      else if (strstr (type, "xml") != NULL)
        html = TRUE;
      else
        return NULL;   /* some binary type: not something to show as text */
    }

  if (has_element_children (node) && !plain_type)
    {
      GString *out = g_string_new (NULL);
      xmlNode *only = NULL;
      int n_elements = 0;
      gboolean other_text = FALSE;

      for (xmlNode *c = node->children; c != NULL; c = c->next)
        {
          if (c->type == XML_ELEMENT_NODE)
            {
              only = c;
              n_elements++;
            }
          else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                   c->content != NULL &&
                   strspn ((const char *) c->content, " \t\r\n") != strlen ((const char *) c->content))
            other_text = TRUE;
        }
      /* Atom's xhtml wraps the content in a div that is not part of it. */
      if (n_elements == 1 && !other_text && eq ((const char *) only->name, "div") &&
          type != NULL && (eq (type, "xhtml") || eq (type, "application/xhtml+xml")))
        serialize (ctx, only->children, out, 0);
      else
        serialize (ctx, node->children, out, 0);
      *kind = KIND_HTML;
      value = g_string_free (out, FALSE);
    }
  else
    {
      value = node_text (ctx, node);
      if (mode != NULL && eq (mode, "base64"))
        {
          gsize len = 0;
          guchar *decoded;

          g_strstrip (value);
          decoded = g_base64_decode (value, &len);
          g_free (value);
          value = g_strndup ((const char *) decoded, len);
          g_free (decoded);
          if (!g_utf8_validate (value, -1, NULL))
            {
              char *fixed = g_utf8_make_valid (value, -1);

              g_free (value);
              value = fixed;
            }
        }
      *kind = html ? KIND_HTML : KIND_TEXT;
    }

  if (*value == '\0' || strspn (value, " \t\r\n") == strlen (value))
    g_clear_pointer (&value, g_free);
  return value;
}

/* A one-line field (titles, subtitles, rights): plain text. RSS writes HTML in them without
 * saying so; @guess_html lets markup-looking text be read as HTML. */
static char *
read_plain (Ctx      *ctx,
            xmlNode  *node,
            gboolean  guess_html)
{
  Kind kind = KIND_TEXT;
  char *value = read_construct (ctx, node, FALSE, &kind);
  char *text;

  if (value == NULL)
    return NULL;
  if (guess_html)
    {
      g_autofree char *type = attr (node, "type");

      guess_html = type == NULL;
    }
  if (kind == KIND_HTML || (guess_html && gazette_feed_looks_like_html (value)))
    {
      text = gazette_html_to_plain_text (value, -1);
      g_free (value);
    }
  else
    text = gazette_feed_fold_whitespace (value);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* A summary or content: sanitised HTML. */
static char *
read_html (Ctx        *ctx,
           xmlNode    *node,
           const char *parent_base,
           gboolean    default_html)
{
  g_autofree char *base = node_base (node, parent_base);
  g_autofree char *value = NULL;
  Kind kind = KIND_TEXT;

  value = read_construct (ctx, node, default_html, &kind);
  if (value == NULL)
    return NULL;
  if (kind == KIND_TEXT)
    {
      char *html = gazette_feed_text_to_html (value);

      g_free (value);
      value = html;
    }
  return gazette_feed_sanitize (value, base);
}

static char *
read_url (Ctx        *ctx,
          xmlNode    *node,
          const char *parent_base)
{
  g_autofree char *base = node_base (node, parent_base);
  g_autofree char *text = node_text_trimmed (ctx, node);

  if (text == NULL)
    return NULL;
  return gazette_feed_resolve_url (base, text);
}

static char *
read_attr_url (xmlNode    *node,
               const char *name,
               const char *parent_base)
{
  g_autofree char *base = node_base (node, parent_base);
  g_autofree char *value = attr (node, name);

  if (value == NULL)
    return NULL;
  return gazette_feed_resolve_url (base, value);
}

static gint64
read_date (Ctx     *ctx,
           xmlNode *node)
{
  g_autofree char *text = node_text_trimmed (ctx, node);

  return gazette_date_parse (text);
}

/* Replaces *@field by @value when @rank beats *@current (lower wins); frees what loses. */
static void
offer (char **field,
       int   *current,
       int    rank,
       char  *value)
{
  if (value == NULL)
    return;
  if (rank < *current)
    {
      g_free (*field);
      *field = value;
      *current = rank;
    }
  else
    g_free (value);
}

static void
offer_date (gint64 *field,
            int    *current,
            int     rank,
            gint64  value)
{
  if (value != 0 && rank < *current)
    {
      *field = value;
      *current = rank;
    }
}

#define WANTS(current, rank) ((rank) < (current))

/* Atom person constructs: name, email, uri. */
static void
read_person (Ctx      *ctx,
             xmlNode  *node,
             char    **name,
             char    **email)
{
  const char *local;

  *name = NULL;
  *email = NULL;
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      node_ns (ctx, c, &local);
      if (eq (local, "name") && *name == NULL)
        *name = read_plain (ctx, c, FALSE);
      else if (eq (local, "email") && *email == NULL)
        *email = node_text_trimmed (ctx, c);
    }
  if (*name == NULL && *email == NULL && !has_element_children (node))
    {
      /* <author>Jo Doe</author> in an Atom feed that did not read the spec */
      g_autofree char *text = node_text_trimmed (ctx, node);

      gazette_feed_split_author (text, name, email);
    }
}

static gboolean
is_html_type (const char *type)
{
  gsize len;

  if (type == NULL)
    return TRUE;
  while (g_ascii_isspace (*type))
    type++;
  len = strcspn (type, "; \t");
  return (len == 9 && g_ascii_strncasecmp (type, "text/html", 9) == 0) ||
         (len == 21 && g_ascii_strncasecmp (type, "application/xhtml+xml", 21) == 0) ||
         (len == 4 && g_ascii_strncasecmp (type, "html", 4) == 0) || len == 0;
}

/* ----- entries ----- */

static void
entry_add_enclosure (GazetteFeedEntry *e,
                     xmlNode          *node,
                     const char       *url_attr,
                     const char       *length_attr,
                     const char       *base)
{
  g_autofree char *url = read_attr_url (node, url_attr, base);
  g_autofree char *type = attr (node, "type");
  g_autofree char *length = attr (node, length_attr);

  if (url == NULL || *url == '\0')
    return;
  if (type != NULL && *g_strstrip (type) == '\0')
    g_clear_pointer (&type, g_free);
  gazette_feed_entry_add_enclosure (e, gazette_enclosure_new (url, type,
                                                              gazette_feed_parse_length (length)));
}

static void
entry_atom_link (Ctx        *ctx,
                 EntryState *st,
                 xmlNode    *c,
                 const char *base,
                 int         rank)
{
  g_autofree char *rel = attr (c, "rel");
  g_autofree char *type = attr (c, "type");
  char *href;

  if (rel != NULL)
    g_strstrip (rel);
  if (rel == NULL || *rel == '\0' || eq (rel, "alternate") ||
      eq (rel, "http://www.iana.org/assignments/relation/alternate"))
    {
      /* The first alternate, unless a later one is the HTML page and this one is not. */
      int r = is_html_type (type) ? rank : rank + 1;

      if (WANTS (st->r_link, r) && (href = read_attr_url (c, "href", base)) != NULL)
        offer (&st->e->link, &st->r_link, r, href);
    }
  else if (eq (rel, "enclosure"))
    entry_add_enclosure (st->e, c, "href", "length", base);
  else if (eq (rel, "replies") && is_html_type (type))
    {
      if (WANTS (st->r_comments, 1) && (href = read_attr_url (c, "href", base)) != NULL)
        offer (&st->e->comments, &st->r_comments, 1, href);
    }
}

static void
entry_media (Ctx        *ctx,
             EntryState *st,
             xmlNode    *c,
             const char *local,
             const char *base)
{
  if (eq (local, "content"))
    {
      entry_add_enclosure (st->e, c, "url", "fileSize", base);
      /* media:content may carry its own media:title and media:description */
      for (xmlNode *g = c->children; g != NULL; g = g->next)
        if (g->type == XML_ELEMENT_NODE)
          {
            const char *glocal;

            if (node_ns (ctx, g, &glocal) == NS_MEDIA && !eq (glocal, "content"))
              entry_media (ctx, st, g, glocal, base);
          }
    }
  else if (eq (local, "group"))
    {
      for (xmlNode *g = c->children; g != NULL; g = g->next)
        if (g->type == XML_ELEMENT_NODE)
          {
            const char *glocal;

            if (node_ns (ctx, g, &glocal) == NS_MEDIA)
              entry_media (ctx, st, g, glocal, base);
          }
    }
  else if (eq (local, "title") && WANTS (st->r_title, 5))
    offer (&st->e->title, &st->r_title, 5, read_plain (ctx, c, FALSE));
  else if (eq (local, "description") && WANTS (st->r_summary, 6))
    offer (&st->e->summary, &st->r_summary, 6, read_html (ctx, c, base, FALSE));
  else if (eq (local, "category") || eq (local, "keywords"))
    {
      g_autofree char *text = node_text_trimmed (ctx, c);

      if (text != NULL && eq (local, "keywords"))
        {
          g_auto(GStrv) words = g_strsplit (text, ",", -1);

          for (guint i = 0; words[i] != NULL; i++)
            gazette_feed_entry_add_category (st->e, words[i]);
        }
      else if (text != NULL)
        gazette_feed_entry_add_category (st->e, text);
    }
}

static void
entry_author (Ctx        *ctx,
              EntryState *st,
              int         rank,
              char       *name,
              char       *email)
{
  if (name != NULL || email != NULL)
    {
      if (WANTS (st->r_author, rank))
        {
          /* Name and address come from the same place. */
          g_free (st->e->author);
          g_free (st->e->author_email);
          st->e->author = name != NULL ? name : g_strdup (email);
          st->e->author_email = email;
          st->r_author = rank;
          return;
        }
    }
  g_free (name);
  g_free (email);
}

static void
entry_child (Ctx        *ctx,
             EntryState *st,
             xmlNode    *c,
             const char *base)
{
  GazetteFeedEntry *e = st->e;
  const char *local;
  Ns ns = node_ns (ctx, c, &local);

  if (ns == NS_NONE && !ctx->atom)
    {
      /* RSS */
      if (eq (local, "title") && WANTS (st->r_title, 0))
        offer (&e->title, &st->r_title, 0, read_plain (ctx, c, TRUE));
      else if (eq (local, "link"))
        {
          g_autofree char *href = attr (c, "href");
          g_autofree char *text = node_text_trimmed (ctx, c);

          if (href != NULL && text == NULL)
            entry_atom_link (ctx, st, c, base, 0);
          else if (WANTS (st->r_link, 0))
            offer (&e->link, &st->r_link, 0, read_url (ctx, c, base));
        }
      else if (eq (local, "description") && WANTS (st->r_summary, 0))
        offer (&e->summary, &st->r_summary, 0, read_html (ctx, c, base, TRUE));
      else if (eq (local, "guid"))
        {
          g_autofree char *perma = attr (c, "isPermaLink");
          char *guid = node_text_trimmed (ctx, c);

          if (guid == NULL)
            return;
          if ((perma == NULL || !eq (g_strstrip (perma), "false")) && st->guid_link == NULL &&
              (strstr (guid, "://") != NULL || guid[0] == '/'))
            st->guid_link = gazette_feed_resolve_url (base, guid);
          offer (&e->id, &st->r_id, 0, guid);
        }
      else if (eq (local, "author"))
        {
          g_autofree char *text = node_text_trimmed (ctx, c);
          char *name = NULL, *email = NULL;

          if (has_element_children (c))
            read_person (ctx, c, &name, &email);
          else
            gazette_feed_split_author (text, &name, &email);
          entry_author (ctx, st, 0, name, email);
        }
      else if (eq (local, "pubDate"))
        offer_date (&e->published, &st->r_published, 0, read_date (ctx, c));
      else if (eq (local, "category"))
        {
          g_autofree char *text = node_text_trimmed (ctx, c);

          gazette_feed_entry_add_category (e, text);
        }
      else if (eq (local, "enclosure"))
        entry_add_enclosure (e, c, "url", "length", base);
      else if (eq (local, "comments") && WANTS (st->r_comments, 0))
        offer (&e->comments, &st->r_comments, 0, read_url (ctx, c, base));
      else if ((eq (local, "content") || eq (local, "body") || eq (local, "fullitem")) &&
               WANTS (st->r_content, 3))
        offer (&e->content, &st->r_content, 3, read_html (ctx, c, base, TRUE));
      else if (eq (local, "summary") && WANTS (st->r_summary, 2))
        offer (&e->summary, &st->r_summary, 2, read_html (ctx, c, base, TRUE));
      return;
    }

  if (ns == NS_ATOM || ns == NS_NONE)
    {
      int rank = ns == NS_ATOM && !ctx->atom ? 1 : 0;   /* atom:* inside RSS ranks below RSS */

      if (eq (local, "title") && WANTS (st->r_title, rank))
        offer (&e->title, &st->r_title, rank, read_plain (ctx, c, FALSE));
      else if (eq (local, "link"))
        entry_atom_link (ctx, st, c, base, rank);
      else if (eq (local, "id") && WANTS (st->r_id, rank))
        offer (&e->id, &st->r_id, rank, node_text_trimmed (ctx, c));
      else if (eq (local, "author"))
        {
          char *name, *email;

          read_person (ctx, c, &name, &email);
          entry_author (ctx, st, rank, name, email);
        }
      else if (eq (local, "published"))
        offer_date (&e->published, &st->r_published, rank, read_date (ctx, c));
      else if (eq (local, "issued"))
        offer_date (&e->published, &st->r_published, rank + 1, read_date (ctx, c));
      else if (eq (local, "created"))
        offer_date (&e->published, &st->r_published, rank + 2, read_date (ctx, c));
      else if (eq (local, "updated") || eq (local, "modified"))
        offer_date (&e->updated, &st->r_updated, rank, read_date (ctx, c));
      else if (eq (local, "summary") && WANTS (st->r_summary, rank))
        offer (&e->summary, &st->r_summary, rank, read_html (ctx, c, base, FALSE));
      else if (eq (local, "content") && WANTS (st->r_content, rank + 1))
        offer (&e->content, &st->r_content, rank + 1, read_html (ctx, c, base, FALSE));
      else if (eq (local, "category"))
        {
          g_autofree char *term = attr (c, "term");
          g_autofree char *label = attr (c, "label");
          g_autofree char *text = NULL;

          if (term == NULL || *g_strstrip (term) == '\0')
            {
              if (label == NULL)
                text = node_text_trimmed (ctx, c);
              gazette_feed_entry_add_category (e, label != NULL ? label : text);
            }
          else
            gazette_feed_entry_add_category (e, term);
        }
      return;
    }

  switch (ns)
    {
    case NS_CONTENT:
      /* content:encoded is RSS's full text; in an Atom entry, atom:content comes first. */
      if (eq (local, "encoded") && WANTS (st->r_content, ctx->atom ? 2 : 0))
        offer (&e->content, &st->r_content, ctx->atom ? 2 : 0, read_html (ctx, c, base, TRUE));
      break;

    case NS_XHTML:
      if (eq (local, "body") || eq (local, "div"))
        {
          if (WANTS (st->r_content, 2))
            {
              g_autofree char *cbase = node_base (c, base);
              GString *out = g_string_new (NULL);
              g_autofree char *html = NULL;

              serialize (ctx, c->children, out, 0);
              html = g_string_free (out, FALSE);
              offer (&e->content, &st->r_content, 2,
                     gazette_feed_sanitize (html, cbase));
            }
        }
      break;

    case NS_DC:
      if (eq (local, "creator") || eq (local, "author"))
        {
          g_autofree char *text = node_text_trimmed (ctx, c);
          char *name, *email;

          gazette_feed_split_author (text, &name, &email);
          entry_author (ctx, st, 1, name, email);
        }
      else if (eq (local, "date"))
        offer_date (&e->published, &st->r_published, 3, read_date (ctx, c));
      else if (eq (local, "subject"))
        {
          g_autofree char *text = node_text_trimmed (ctx, c);

          gazette_feed_entry_add_category (e, text);
        }
      else if (eq (local, "title") && WANTS (st->r_title, 2))
        offer (&e->title, &st->r_title, 2, read_plain (ctx, c, TRUE));
      else if (eq (local, "description") && WANTS (st->r_summary, 3))
        offer (&e->summary, &st->r_summary, 3, read_html (ctx, c, base, TRUE));
      else if (eq (local, "identifier") && WANTS (st->r_id, 3))
        offer (&e->id, &st->r_id, 3, node_text_trimmed (ctx, c));
      break;

    case NS_DCTERMS:
      if (eq (local, "modified"))
        offer_date (&e->updated, &st->r_updated, 2, read_date (ctx, c));
      else if (eq (local, "issued"))
        offer_date (&e->published, &st->r_published, 4, read_date (ctx, c));
      else if (eq (local, "created"))
        offer_date (&e->published, &st->r_published, 5, read_date (ctx, c));
      break;

    case NS_ITUNES:
      if (eq (local, "author"))
        {
          g_autofree char *text = node_text_trimmed (ctx, c);
          char *name, *email;

          gazette_feed_split_author (text, &name, &email);
          entry_author (ctx, st, 2, name, email);
        }
      else if (eq (local, "summary") && WANTS (st->r_summary, 4))
        offer (&e->summary, &st->r_summary, 4, read_html (ctx, c, base, FALSE));
      else if (eq (local, "subtitle") && WANTS (st->r_summary, 5))
        offer (&e->summary, &st->r_summary, 5, read_html (ctx, c, base, FALSE));
      else if (eq (local, "title") && WANTS (st->r_title, 3))
        offer (&e->title, &st->r_title, 3, read_plain (ctx, c, FALSE));
      break;

    case NS_MEDIA:
      entry_media (ctx, st, c, local, base);
      break;

    default:
      break;
    }
}

static void
parse_entry (Ctx        *ctx,
             xmlNode    *node,
             const char *parent_base)
{
  g_autofree char *base = node_base (node, parent_base);
  EntryState st = { 0 };

  st.e = gazette_feed_entry_new ();
  st.r_id = st.r_title = st.r_link = st.r_author = st.r_published = st.r_updated =
    st.r_summary = st.r_content = st.r_comments = RANK_NONE;

  /* RSS 1.0 names its items */
  {
    g_autofree char *about = NULL;

    for (xmlAttr *a = node->properties; a != NULL; a = a->next)
      if (eq ((const char *) a->name, "about") || eq ((const char *) a->name, "rdf:about"))
        {
          xmlChar *value = xmlNodeListGetString (node->doc, a->children, 1);

          about = g_strstrip (g_strdup ((const char *) value));
          xmlFree (value);
          break;
        }
    if (about != NULL && *about != '\0')
      offer (&st.e->id, &st.r_id, 4, g_steal_pointer (&about));
  }

  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      const char *local;

      if (c->type != XML_ELEMENT_NODE || is_entry (ctx, c))
        continue;
      /* An Atom entry's source is another feed's metadata, not this entry's. */
      if (ctx->atom && node_ns (ctx, c, &local) != NS_OTHER && eq (local, "source"))
        continue;
      entry_child (ctx, &st, c, base);
    }

  if (st.e->link == NULL && st.guid_link != NULL)
    st.e->link = g_steal_pointer (&st.guid_link);
  g_free (st.guid_link);
  g_ptr_array_add (ctx->feed->entries, st.e);
}

/* ----- the feed ----- */

static void
feed_author (Ctx  *ctx,
             int   rank,
             char *name,
             char *email)
{
  if (name == NULL)
    name = g_steal_pointer (&email);
  g_free (email);
  offer (&ctx->feed->author, &ctx->r_author, rank, name);
}

/* One child of an RSS channel or an Atom feed that is about the feed (entries excepted). */
static void
feed_child (Ctx        *ctx,
            xmlNode    *c,
            const char *base)
{
  GazetteFeed *f = ctx->feed;
  const char *local;
  Ns ns = node_ns (ctx, c, &local);

  if (ns == NS_NONE && !ctx->atom)
    {
      if (eq (local, "title") && WANTS (ctx->r_title, 0))
        offer (&f->title, &ctx->r_title, 0, read_plain (ctx, c, TRUE));
      else if (eq (local, "link"))
        {
          g_autofree char *href = attr (c, "href");
          g_autofree char *text = node_text_trimmed (ctx, c);

          if (text == NULL && href != NULL)
            {
              g_autofree char *rel = attr (c, "rel");

              if ((rel == NULL || eq (rel, "alternate")) && WANTS (ctx->r_link, 1))
                offer (&f->link, &ctx->r_link, 1, read_attr_url (c, "href", base));
            }
          else if (WANTS (ctx->r_link, 0))
            offer (&f->link, &ctx->r_link, 0, read_url (ctx, c, base));
        }
      else if (eq (local, "description") && WANTS (ctx->r_subtitle, 0))
        offer (&f->subtitle, &ctx->r_subtitle, 0, read_plain (ctx, c, TRUE));
      else if (eq (local, "language") && WANTS (ctx->r_language, 0))
        offer (&f->language, &ctx->r_language, 0, node_text_trimmed (ctx, c));
      else if (eq (local, "copyright") && WANTS (ctx->r_rights, 0))
        offer (&f->rights, &ctx->r_rights, 0, read_plain (ctx, c, TRUE));
      else if (eq (local, "managingEditor") || eq (local, "author"))
        {
          /* webMaster is who runs the site, not who writes: not the author. */
          int rank = 0;
          g_autofree char *text = node_text_trimmed (ctx, c);
          char *name, *email;

          if (WANTS (ctx->r_author, rank))
            {
              gazette_feed_split_author (text, &name, &email);
              feed_author (ctx, rank, name, email);
            }
        }
      else if (eq (local, "lastBuildDate"))
        offer_date (&f->updated, &ctx->r_updated, 0, read_date (ctx, c));
      else if (eq (local, "pubDate"))
        offer_date (&f->updated, &ctx->r_updated, 3, read_date (ctx, c));
      else if (eq (local, "generator") && WANTS (ctx->r_generator, 0))
        offer (&f->generator, &ctx->r_generator, 0, read_plain (ctx, c, FALSE));
      else if (eq (local, "image"))
        {
          for (xmlNode *i = c->children; i != NULL; i = i->next)
            {
              const char *ilocal;

              if (i->type == XML_ELEMENT_NODE && node_ns (ctx, i, &ilocal) == NS_NONE &&
                  eq (ilocal, "url") && WANTS (ctx->r_image, 0))
                offer (&f->image, &ctx->r_image, 0, read_url (ctx, i, base));
            }
          /* <image href> (RSS 0.9x oddities) or RSS 1.0's <image rdf:resource> */
          if (WANTS (ctx->r_image, 1))
            offer (&f->image, &ctx->r_image, 1, read_attr_url (c, "href", base));
          if (WANTS (ctx->r_image, 1))
            offer (&f->image, &ctx->r_image, 1, read_attr_url (c, "resource", base));
        }
      return;
    }

  if (ns == NS_ATOM || ns == NS_NONE)
    {
      int rank = ns == NS_ATOM && !ctx->atom ? 1 : 0;

      if (eq (local, "title") && WANTS (ctx->r_title, rank))
        offer (&f->title, &ctx->r_title, rank, read_plain (ctx, c, FALSE));
      else if ((eq (local, "subtitle") || eq (local, "tagline")) && WANTS (ctx->r_subtitle, rank))
        offer (&f->subtitle, &ctx->r_subtitle, rank, read_plain (ctx, c, FALSE));
      else if (eq (local, "link"))
        {
          g_autofree char *rel = attr (c, "rel");
          g_autofree char *type = attr (c, "type");

          if (rel != NULL)
            g_strstrip (rel);
          if (rel == NULL || *rel == '\0' || eq (rel, "alternate"))
            {
              int r = rank * 2 + (is_html_type (type) ? 0 : 1);

              if (WANTS (ctx->r_link, r))
                offer (&f->link, &ctx->r_link, r, read_attr_url (c, "href", base));
            }
        }
      else if (eq (local, "updated") || eq (local, "modified"))
        offer_date (&f->updated, &ctx->r_updated, rank, read_date (ctx, c));
      else if (eq (local, "icon") && WANTS (ctx->r_icon, rank))
        offer (&f->icon, &ctx->r_icon, rank, read_url (ctx, c, base));
      else if (eq (local, "logo") && WANTS (ctx->r_image, rank))
        offer (&f->image, &ctx->r_image, rank, read_url (ctx, c, base));
      else if (eq (local, "author") && WANTS (ctx->r_author, rank))
        {
          char *name, *email;

          read_person (ctx, c, &name, &email);
          feed_author (ctx, rank, name, email);
        }
      else if (eq (local, "generator") && WANTS (ctx->r_generator, rank))
        offer (&f->generator, &ctx->r_generator, rank, read_plain (ctx, c, FALSE));
      else if ((eq (local, "rights") || eq (local, "copyright")) && WANTS (ctx->r_rights, rank))
        offer (&f->rights, &ctx->r_rights, rank, read_plain (ctx, c, FALSE));
      return;
    }

  switch (ns)
    {
    case NS_DC:
      if (eq (local, "title") && WANTS (ctx->r_title, 2))
        offer (&f->title, &ctx->r_title, 2, read_plain (ctx, c, TRUE));
      else if (eq (local, "creator"))
        {
          int rank = 2;
          g_autofree char *text = node_text_trimmed (ctx, c);
          char *name, *email;

          if (WANTS (ctx->r_author, rank))
            {
              gazette_feed_split_author (text, &name, &email);
              feed_author (ctx, rank, name, email);
            }
        }
      else if (eq (local, "date"))
        offer_date (&f->updated, &ctx->r_updated, 2, read_date (ctx, c));
      else if (eq (local, "language") && WANTS (ctx->r_language, 1))
        offer (&f->language, &ctx->r_language, 1, node_text_trimmed (ctx, c));
      else if (eq (local, "rights") && WANTS (ctx->r_rights, 2))
        offer (&f->rights, &ctx->r_rights, 2, read_plain (ctx, c, TRUE));
      else if (eq (local, "description") && WANTS (ctx->r_subtitle, 2))
        offer (&f->subtitle, &ctx->r_subtitle, 2, read_plain (ctx, c, TRUE));
      break;

    case NS_DCTERMS:
      if (eq (local, "modified"))
        offer_date (&f->updated, &ctx->r_updated, 2, read_date (ctx, c));
      break;

    case NS_ITUNES:
      if (eq (local, "author") && WANTS (ctx->r_author, 3))
        {
          g_autofree char *text = node_text_trimmed (ctx, c);
          char *name, *email;

          gazette_feed_split_author (text, &name, &email);
          feed_author (ctx, 3, name, email);
        }
      else if (eq (local, "image") && WANTS (ctx->r_image, 2))
        offer (&f->image, &ctx->r_image, 2, read_attr_url (c, "href", base));
      else if ((eq (local, "summary") || eq (local, "subtitle")) && WANTS (ctx->r_subtitle, 3))
        offer (&f->subtitle, &ctx->r_subtitle, 3, read_plain (ctx, c, FALSE));
      break;

    case NS_ADMIN:
      if (eq (local, "generatorAgent") && WANTS (ctx->r_generator, 1))
        {
          char *agent = NULL;

          for (xmlAttr *a = c->properties; a != NULL && agent == NULL; a = a->next)
            if (eq ((const char *) a->name, "resource"))
              {
                xmlChar *value = xmlNodeListGetString (c->doc, a->children, 1);

                agent = g_strstrip (g_strdup ((const char *) value));
                xmlFree (value);
              }
          if (agent != NULL && *agent == '\0')
            g_clear_pointer (&agent, g_free);
          offer (&f->generator, &ctx->r_generator, 1, agent);
        }
      break;

    case NS_MEDIA:
      if (eq (local, "thumbnail") && WANTS (ctx->r_image, 3))
        offer (&f->image, &ctx->r_image, 3, read_attr_url (c, "url", base));
      break;

    default:
      break;
    }
}

static gboolean
is_entry (Ctx     *ctx,
          xmlNode *node)
{
  const char *local;
  Ns ns;

  if (node->type != XML_ELEMENT_NODE)
    return FALSE;
  ns = node_ns (ctx, node, &local);
  if (ctx->atom)
    return (ns == NS_ATOM || ns == NS_NONE) && eq (local, "entry");
  return ns == NS_NONE && eq (local, "item");
}

/* After recovery, entries may hang anywhere (an unclosed tag in one item swallows the next):
 * every entry element in document order, nested ones included. */
static void
collect_entries (Ctx       *ctx,
                 xmlNode   *node,
                 GPtrArray *out)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (is_entry (ctx, c))
        g_ptr_array_add (out, c);
      collect_entries (ctx, c, out);
    }
}

static void
parse_entries_recovered (Ctx        *ctx,
                         xmlNode    *root,
                         const char *base)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_entries (ctx, root, found);
  for (guint i = 0; i < found->len; i++)
    parse_entry (ctx, g_ptr_array_index (found, i), base);
}

static void
feed_language (Ctx     *ctx,
               xmlNode *node,
               int      rank)
{
  if (WANTS (ctx->r_language, rank))
    {
      char *lang = xml_attr (node, "lang");

      if (lang != NULL && *g_strstrip (lang) == '\0')
        g_clear_pointer (&lang, g_free);
      offer (&ctx->feed->language, &ctx->r_language, rank, lang);
    }
}

static void
parse_rss (Ctx        *ctx,
           xmlNode    *root,
           xmlNode    *channel,
           const char *base_url)
{
  g_autofree char *root_base = node_base (root, base_url);
  g_autofree char *base = channel != NULL ? node_base (channel, root_base) : g_strdup (root_base);
  g_autofree char *entry_base = NULL;

  feed_language (ctx, root, 3);
  if (channel != NULL)
    {
      feed_language (ctx, channel, 2);
      for (xmlNode *c = channel->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !is_entry (ctx, c))
          feed_child (ctx, c, base);
    }
  /* RSS 1.0 and 0.90 keep image (and items) beside the channel. */
  for (xmlNode *c = channel != root ? root->children : NULL; c != NULL; c = c->next)
    {
      const char *local;

      if (c != channel && c->type == XML_ELEMENT_NODE && node_ns (ctx, c, &local) == NS_NONE &&
          eq (local, "image"))
        feed_child (ctx, c, root_base);
    }

  /* Without a base from the document or its URL, the site's link is the best guess. */
  entry_base = g_strdup (base != NULL ? base : ctx->feed->link);

  if (ctx->recovered)
    {
      parse_entries_recovered (ctx, root, entry_base);
      return;
    }
  if (channel != NULL)
    for (xmlNode *c = channel->children; c != NULL; c = c->next)
      if (is_entry (ctx, c))
        parse_entry (ctx, c, entry_base);
  for (xmlNode *c = channel != root ? root->children : NULL; c != NULL; c = c->next)
    if (c != channel && is_entry (ctx, c))
      parse_entry (ctx, c, entry_base);
}

static void
parse_atom (Ctx        *ctx,
            xmlNode    *root,
            const char *base_url)
{
  g_autofree char *base = node_base (root, base_url);

  feed_language (ctx, root, 0);
  for (xmlNode *c = root->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !is_entry (ctx, c))
      feed_child (ctx, c, base);
  /* As for RSS: without a base, the site's link is the best guess for the entries. */
  if (base == NULL)
    base = g_strdup (ctx->feed->link);
  if (ctx->recovered)
    {
      parse_entries_recovered (ctx, root, base);
      return;
    }
  for (xmlNode *c = root->children; c != NULL; c = c->next)
    if (is_entry (ctx, c))
      parse_entry (ctx, c, base);
}

static const char *
rss_format (xmlNode *root)
{
  g_autofree char *version = attr (root, "version");

  if (version == NULL)
    return "rss2.0";
  g_strstrip (version);
  if (g_str_equal (version, "0.91"))
    return "rss0.91";
  if (g_str_equal (version, "0.92"))
    return "rss0.92";
  if (g_str_equal (version, "0.93"))
    return "rss0.93";
  if (g_str_equal (version, "0.94"))
    return "rss0.94";
  if (g_str_equal (version, "0.90") || g_str_equal (version, "0.9"))
    return "rss0.90";
  return "rss2.0";
}

static xmlNode *
find_child (Ctx        *ctx,
            xmlNode    *node,
            const char *name)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      const char *local;

      if (c->type == XML_ELEMENT_NODE && node_ns (ctx, c, &local) == NS_NONE && eq (local, name))
        return c;
    }
  return NULL;
}

static xmlDoc *
read_doc (const char *data,
          gsize       length,
          const char *base_url,
          int         extra_options)
{
  /* Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: no entity expansion in the
   * parser, no DTD fetching, and libxml2's size limits stay on. */
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_IGNORE_ENC | XML_PARSE_COMPACT | extra_options;

  if (length > G_MAXINT)
    return NULL;
  /* The text is UTF-8 already (gazette_feed_decode): naming no encoding lets libxml2 read it as
   * it is, where naming "UTF-8" would copy it through a UTF-8-to-UTF-8 converter. With
   * XML_PARSE_IGNORE_ENC the declaration's encoding is ignored either way. */
  return xmlReadMemory (data, (int) length, base_url, NULL, options);
}

static const char *
find_feed_start (const char *text,
                 gsize       length)
{
  static const char *const starts[] = { "<?xml", "<rss", "<feed", "<rdf:RDF", "<RDF" };
  const char *best = NULL;
  gsize limit = MIN (length, 64 * 1024);

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      gsize n = strlen (starts[i]);

      for (gsize j = 1; j + n <= limit; j++)
        if (text[j] == '<' && strncmp (text + j, starts[i], n) == 0)
          {
            if (best == NULL || text + j < best)
              best = text + j;
            break;
          }
    }
  return best;
}

GazetteFeed *
gazette_feed_parse_xml (const char  *utf8,
                        gsize        length,
                        const char  *base_url,
                        GPtrArray   *warnings,
                        GError     **error)
{
  g_autofree char *repaired = NULL;
  gsize repaired_length = 0;
  xmlDoc *doc = NULL;
  xmlNode *root;
  const char *local, *format = NULL;
  gboolean atom = FALSE, recovered = FALSE;
  Ctx ctx = { 0 };
  Ns ns;

  /* Whitespace before the XML declaration is a fatal error to libxml2, and common. */
  while (length > 0 && g_ascii_isspace (*utf8))
    {
      utf8++;
      length--;
    }

  repaired = gazette_feed_repair_xml (utf8, length, &repaired_length);
  if (repaired != NULL)
    {
      g_ptr_array_add (warnings, g_strdup (_("The feed uses entities or characters XML does not "
                                             "allow; they were read as text")));
      utf8 = repaired;
      length = repaired_length;
    }

  doc = read_doc (utf8, length, base_url, 0);
  if (doc == NULL)
    {
      doc = read_doc (utf8, length, base_url, XML_PARSE_RECOVER);
      if (doc != NULL)
        g_ptr_array_add (warnings, g_strdup (_("The feed is not well-formed XML; what could be "
                                               "read was kept")));
      recovered = TRUE;
    }
  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL)
    {
      /* Text before the document (a server's error message, a stray byte order mark in the
       * middle): start over where a feed starts. */
      const char *start = find_feed_start (utf8, length);

      if (start != NULL)
        {
          if (doc != NULL)
            xmlFreeDoc (doc);
          doc = read_doc (start, length - (start - utf8), base_url, XML_PARSE_RECOVER);
          root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
          if (root != NULL && !recovered)
            g_ptr_array_add (warnings, g_strdup (_("The feed is not well-formed XML; what could "
                                                   "be read was kept")));
          recovered = TRUE;
        }
    }
  if (root == NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                   _("This is not a feed: it could not be read as XML"));
      return NULL;
    }

  ctx.r_title = ctx.r_link = ctx.r_subtitle = ctx.r_language = ctx.r_updated = ctx.r_icon =
    ctx.r_image = ctx.r_author = ctx.r_generator = ctx.r_rights = RANK_NONE;
  ctx.budget = ENTITY_BUDGET;

  ns = node_ns (&ctx, root, &local);
  if (eq (local, "rss") && ns != NS_ATOM)
    format = rss_format (root);
  else if (eq (local, "RDF") && (ns == NS_RDF || ns == NS_NONE))
    {
      xmlNode *channel = find_child (&ctx, root, "channel");

      format = "rss1.0";
      if (channel != NULL && channel->ns != NULL &&
          g_str_equal ((const char *) channel->ns->href, "http://my.netscape.com/rdf/simple/0.9/"))
        format = "rss0.90";
    }
  else if (eq (local, "feed") && (ns == NS_ATOM || ns == NS_NONE))
    {
      g_autofree char *version = attr (root, "version");

      atom = TRUE;
      if (root->ns != NULL && root->ns->href != NULL &&
          g_str_equal ((const char *) root->ns->href, "http://www.w3.org/2005/Atom"))
        format = "atom1.0";
      else if ((root->ns != NULL && root->ns->href != NULL &&
                g_str_equal ((const char *) root->ns->href, "http://purl.org/atom/ns#")) ||
               (version != NULL && g_str_has_prefix (g_strstrip (version), "0.")))
        format = "atom0.3";
      else
        format = "atom1.0";
    }
  else if (eq (local, "channel") && ns == NS_NONE)
    format = rss_format (root);

  if (format == NULL)
    {
      gboolean page = eq (local, "html");

      xmlFreeDoc (doc);
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                           page ? _("This is not a feed: it is a web page")
                                : _("This is not a feed: it is XML, but not RSS or Atom"));
      return NULL;
    }

  ctx.feed = gazette_feed_new (format);
  ctx.atom = atom;
  ctx.recovered = recovered;
  for (guint i = 0; i < warnings->len; i++)
    gazette_feed_add_warning (ctx.feed, g_ptr_array_index (warnings, i));
  g_ptr_array_set_size (warnings, 0);

  if (atom)
    parse_atom (&ctx, root, base_url);
  else if (eq (local, "channel"))
    parse_rss (&ctx, root, root, base_url);
  else
    parse_rss (&ctx, root, find_child (&ctx, root, "channel"), base_url);

  xmlFreeDoc (doc);
  return ctx.feed;
}

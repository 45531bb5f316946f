/* gazette-sanitizer.c — HTML made safe to show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tree from libxml2's HTML parser is walked once and written out again through an allow-list:
 * what is not known to be harmless is dropped (with its content) or unwrapped (keeping its text).
 * Writing a new document rather than editing the parsed one means nothing we did not choose to
 * emit can survive, whatever the parser made of broken markup.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "gazette-sanitizer.h"

typedef enum {
  KIND_UNWRAP,   /* unknown or presentational: keep the children, drop the tag */
  KIND_KEEP,     /* allowed element */
  KIND_VOID,     /* allowed element without content or end tag */
  KIND_DROP,     /* dropped with everything inside */
} ElementKind;

typedef struct {
  const char  *name;
  ElementKind  kind;
} ElementRule;

static const ElementRule element_rules[] = {
  { "a", KIND_KEEP }, { "abbr", KIND_KEEP }, { "address", KIND_KEEP }, { "article", KIND_KEEP },
  { "aside", KIND_KEEP }, { "audio", KIND_KEEP }, { "b", KIND_KEEP }, { "bdi", KIND_KEEP },
  { "bdo", KIND_KEEP }, { "blockquote", KIND_KEEP }, { "br", KIND_VOID }, { "caption", KIND_KEEP },
  { "cite", KIND_KEEP }, { "code", KIND_KEEP }, { "col", KIND_VOID }, { "colgroup", KIND_KEEP },
  { "dd", KIND_KEEP }, { "del", KIND_KEEP }, { "details", KIND_KEEP }, { "dfn", KIND_KEEP },
  { "div", KIND_KEEP }, { "dl", KIND_KEEP }, { "dt", KIND_KEEP }, { "em", KIND_KEEP },
  { "figcaption", KIND_KEEP }, { "figure", KIND_KEEP }, { "h1", KIND_KEEP }, { "h2", KIND_KEEP },
  { "h3", KIND_KEEP }, { "h4", KIND_KEEP }, { "h5", KIND_KEEP }, { "h6", KIND_KEEP },
  { "hr", KIND_VOID }, { "i", KIND_KEEP }, { "img", KIND_VOID }, { "ins", KIND_KEEP },
  { "kbd", KIND_KEEP }, { "li", KIND_KEEP }, { "mark", KIND_KEEP }, { "ol", KIND_KEEP },
  { "p", KIND_KEEP }, { "pre", KIND_KEEP }, { "q", KIND_KEEP }, { "rp", KIND_KEEP },
  { "rt", KIND_KEEP }, { "ruby", KIND_KEEP }, { "s", KIND_KEEP }, { "samp", KIND_KEEP },
  { "section", KIND_KEEP }, { "small", KIND_KEEP }, { "source", KIND_VOID }, { "span", KIND_KEEP },
  { "strong", KIND_KEEP }, { "sub", KIND_KEEP }, { "summary", KIND_KEEP }, { "sup", KIND_KEEP },
  { "table", KIND_KEEP }, { "tbody", KIND_KEEP }, { "td", KIND_KEEP }, { "tfoot", KIND_KEEP },
  { "th", KIND_KEEP }, { "thead", KIND_KEEP }, { "time", KIND_KEEP }, { "tr", KIND_KEEP },
  { "track", KIND_VOID }, { "u", KIND_KEEP }, { "ul", KIND_KEEP }, { "var", KIND_KEEP },
  { "video", KIND_KEEP }, { "wbr", KIND_VOID },
  /* Active, embedding or page-level elements: gone with their content. */
  { "applet", KIND_DROP }, { "base", KIND_DROP }, { "button", KIND_DROP }, { "canvas", KIND_DROP },
  { "datalist", KIND_DROP }, { "dialog", KIND_DROP }, { "embed", KIND_DROP },
  { "frame", KIND_DROP }, { "frameset", KIND_DROP }, { "head", KIND_DROP },
  { "iframe", KIND_DROP }, { "input", KIND_DROP }, { "link", KIND_DROP }, { "map", KIND_DROP },
  { "math", KIND_DROP }, { "menu", KIND_DROP }, { "meta", KIND_DROP }, { "noembed", KIND_DROP },
  { "noframes", KIND_DROP }, { "noscript", KIND_DROP }, { "object", KIND_DROP },
  { "option", KIND_DROP }, { "param", KIND_DROP }, { "portal", KIND_DROP },
  { "script", KIND_DROP }, { "select", KIND_DROP }, { "slot", KIND_DROP }, { "style", KIND_DROP },
  { "svg", KIND_DROP }, { "template", KIND_DROP }, { "textarea", KIND_DROP },
  { "title", KIND_DROP }, { "xml", KIND_DROP }, { "xmp", KIND_DROP },
};

typedef enum {
  ATTR_TEXT,
  ATTR_URL,       /* resolved, scheme-checked */
  ATTR_SRCSET,    /* a list of URLs with descriptors */
  ATTR_NUMBER,
} AttrKind;

typedef struct {
  const char *element;   /* NULL: any element */
  const char *name;
  AttrKind    kind;
} AttrRule;

static const AttrRule attr_rules[] = {
  { NULL, "title", ATTR_TEXT }, { NULL, "lang", ATTR_TEXT }, { NULL, "dir", ATTR_TEXT },
  { "a", "href", ATTR_URL },
  { "img", "src", ATTR_URL }, { "img", "srcset", ATTR_SRCSET }, { "img", "alt", ATTR_TEXT },
  { "img", "width", ATTR_NUMBER }, { "img", "height", ATTR_NUMBER },
  { "img", "sizes", ATTR_TEXT },
  { "source", "src", ATTR_URL }, { "source", "srcset", ATTR_SRCSET },
  { "source", "type", ATTR_TEXT }, { "source", "media", ATTR_TEXT },
  { "audio", "src", ATTR_URL }, { "video", "src", ATTR_URL }, { "video", "poster", ATTR_URL },
  { "video", "width", ATTR_NUMBER }, { "video", "height", ATTR_NUMBER },
  { "track", "src", ATTR_URL }, { "track", "kind", ATTR_TEXT }, { "track", "srclang", ATTR_TEXT },
  { "track", "label", ATTR_TEXT },
  { "td", "colspan", ATTR_NUMBER }, { "td", "rowspan", ATTR_NUMBER },
  { "th", "colspan", ATTR_NUMBER }, { "th", "rowspan", ATTR_NUMBER }, { "th", "scope", ATTR_TEXT },
  { "col", "span", ATTR_NUMBER }, { "colgroup", "span", ATTR_NUMBER },
  { "ol", "start", ATTR_NUMBER }, { "ol", "type", ATTR_TEXT }, { "ol", "reversed", ATTR_TEXT },
  { "li", "value", ATTR_NUMBER },
  { "time", "datetime", ATTR_TEXT }, { "del", "datetime", ATTR_TEXT },
  { "ins", "datetime", ATTR_TEXT },
  { "blockquote", "cite", ATTR_URL }, { "q", "cite", ATTR_URL }, { "del", "cite", ATTR_URL },
  { "ins", "cite", ATTR_URL },
  { "details", "open", ATTR_TEXT }, { "abbr", "title", ATTR_TEXT },
};

static GHashTable *element_table;

static ElementKind
element_kind (const char *name)
{
  gpointer value;

  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < G_N_ELEMENTS (element_rules); i++)
        g_hash_table_insert (table, (gpointer) element_rules[i].name,
                             GINT_TO_POINTER (element_rules[i].kind + 1));
      element_table = table;
      g_once_init_leave (&initialized, 1);
    }

  value = g_hash_table_lookup (element_table, name);
  return value != NULL ? (ElementKind) (GPOINTER_TO_INT (value) - 1) : KIND_UNWRAP;
}

static const AttrRule *
attr_rule (const char *element,
           const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (attr_rules); i++)
    if (g_ascii_strcasecmp (attr_rules[i].name, name) == 0 &&
        (attr_rules[i].element == NULL || g_str_equal (attr_rules[i].element, element)))
      return &attr_rules[i];
  return NULL;
}

/* Browsers ignore ASCII whitespace and control characters inside a URL's scheme, so
 * "java\tscript:" runs script. Remove them all before looking at the scheme. */
static char *
strip_url (const char *value)
{
  GString *s = g_string_sized_new (strlen (value));

  for (const char *p = value; *p; p++)
    if ((guchar) *p > 0x20 && *p != 0x7f)
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static gboolean
is_safe_data_image (const char *url)
{
  static const char *types[] = { "data:image/png", "data:image/jpeg", "data:image/jpg",
                                 "data:image/gif", "data:image/webp", "data:image/avif" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strncasecmp (url, types[i], strlen (types[i])) == 0)
      {
        char next = url[strlen (types[i])];
        return next == ';' || next == ',';
      }
  return FALSE;
}

/* Returns the absolute URL to emit, or NULL when the URL must go. */
static char *
clean_url (const char *value,
           const char *base_url,
           gboolean    allow_data_image)
{
  g_autofree char *url = strip_url (value);
  g_autofree char *scheme = NULL;
  const char *colon;

  if (*url == '\0')
    return NULL;

  scheme = g_uri_parse_scheme (url);
  if (scheme == NULL)
    {
      /* "javascript:" hidden as "javascript&#58;" was decoded by the parser; anything with a colon
       * before the first slash that g_uri did not accept as a scheme is refused. */
      colon = strchr (url, ':');
      if (colon != NULL && (strchr (url, '/') == NULL || colon < strchr (url, '/')) &&
          url[0] != '#' && url[0] != '?')
        return NULL;
      if (base_url != NULL)
        {
          char *resolved = g_uri_resolve_relative (base_url, url, G_URI_FLAGS_PARSE_RELAXED, NULL);

          if (resolved != NULL)
            {
              g_autofree char *rscheme = g_uri_parse_scheme (resolved);

              if (rscheme != NULL && (g_ascii_strcasecmp (rscheme, "http") == 0 ||
                                      g_ascii_strcasecmp (rscheme, "https") == 0 ||
                                      g_ascii_strcasecmp (rscheme, "resource") == 0 ||
                                      g_ascii_strcasecmp (rscheme, "file") == 0))
                return resolved;
              g_free (resolved);
              return NULL;
            }
        }
      return g_strdup (value[0] != '\0' ? url : NULL);
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0 ||
      g_ascii_strcasecmp (scheme, "mailto") == 0 || g_ascii_strcasecmp (scheme, "ftp") == 0 ||
      g_ascii_strcasecmp (scheme, "tel") == 0 || g_ascii_strcasecmp (scheme, "geo") == 0 ||
      g_ascii_strcasecmp (scheme, "magnet") == 0 || g_ascii_strcasecmp (scheme, "xmpp") == 0)
    return g_steal_pointer (&url);
  if (allow_data_image && g_ascii_strcasecmp (scheme, "data") == 0 && is_safe_data_image (url))
    return g_steal_pointer (&url);
  return NULL;
}

static char *
clean_srcset (const char *value,
              const char *base_url)
{
  g_auto(GStrv) candidates = g_strsplit (value, ",", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_autofree char *candidate = g_strstrip (g_strdup (candidates[i]));
      g_autofree char *url = NULL;
      char *space;
      const char *descriptor = "";

      if (*candidate == '\0')
        continue;
      space = strpbrk (candidate, " \t\n\r");
      if (space != NULL)
        {
          *space = '\0';
          descriptor = g_strstrip (space + 1);
        }
      /* data: URLs contain commas; a srcset of them is not worth the risk. */
      url = clean_url (candidate, base_url, FALSE);
      if (url == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, url);
      if (*descriptor != '\0')
        g_string_append_printf (out, " %s", descriptor);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_number (const char *value)
{
  if (*value == '\0')
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '%' && *p != '.')
      return FALSE;
  return TRUE;
}

static void
append_escaped (GString    *out,
                const char *text,
                gboolean    attribute)
{
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"':
          if (attribute)
            g_string_append (out, "&quot;");
          else
            g_string_append_c (out, '"');
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

static const char *video_hosts[] = {
  "youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "dailymotion.com",
  "peertube", "rutube.ru", "vk.com", "bilibili.com",
};

static gboolean
host_matches (const char *host,
              const char *domain)
{
  gsize hl = strlen (host), dl = strlen (domain);

  if (strchr (domain, '.') == NULL)
    return strstr (host, domain) != NULL;
  if (hl < dl || g_ascii_strcasecmp (host + hl - dl, domain) != 0)
    return FALSE;
  return hl == dl || host[hl - dl - 1] == '.';
}

/* A known video embed becomes a link to the video; other frames vanish. */
static void
emit_frame_link (GString    *out,
                 xmlNodePtr  node,
                 const char *base_url)
{
  g_autofree char *src = (char *) xmlGetProp (node, (const xmlChar *) "src");
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (src == NULL)
    return;
  if (g_str_has_prefix (src, "//"))
    {
      char *with_scheme = g_strconcat ("https:", src, NULL);
      g_free (src);
      src = with_scheme;
    }
  url = clean_url (src, base_url, FALSE);
  if (url == NULL || (uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL)) == NULL)
    return;
  host = g_uri_get_host (uri);
  if (host == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (video_hosts); i++)
    if (host_matches (host, video_hosts[i]))
      {
        g_string_append (out, "<p class=\"gazette-video\"><a href=\"");
        append_escaped (out, url, TRUE);
        g_string_append (out, "\" rel=\"noopener noreferrer\">");
        /* Translators: a link that replaces a video embedded in an article */
        append_escaped (out, _("Video"), FALSE);
        g_string_append (out, ": ");
        append_escaped (out, url, FALSE);
        g_string_append (out, "</a></p>");
        return;
      }
}

static void sanitize_children (GString *out, xmlNodePtr parent, const char *base_url);

static gboolean
is_html_void (const char *name)
{
  static const char *voids[] = { "area", "base", "br", "col", "embed", "hr", "img", "input",
                                 "keygen", "link", "meta", "param", "source", "track", "wbr" };

  for (guint i = 0; i < G_N_ELEMENTS (voids); i++)
    if (g_str_equal (name, voids[i]))
      return TRUE;
  return FALSE;
}

/* Set by gazette_sanitize_html_page() for its own walk only, hence per thread. */
static GPrivate keep_class_and_id;

static void
emit_attributes (GString    *out,
                 xmlNodePtr  node,
                 const char *name,
                 const char *base_url)
{
  gboolean has_src = FALSE;
  gboolean keep_selectors = g_private_get (&keep_class_and_id) != NULL;

  for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
    {
      const AttrRule *rule;
      g_autofree char *value = NULL;
      g_autofree char *clean = NULL;

      if (attr->ns != NULL)
        continue;
      if (keep_selectors && (xmlStrEqual (attr->name, (const xmlChar *) "class") ||
                             xmlStrEqual (attr->name, (const xmlChar *) "id") ||
                             xmlStrEqual (attr->name, (const xmlChar *) "data-gz-id")))
        {
          value = (char *) xmlNodeGetContent ((xmlNodePtr) attr);
          g_string_append_printf (out, " %s=\"", (const char *) attr->name);
          append_escaped (out, value != NULL ? value : "", TRUE);
          g_string_append_c (out, '"');
          continue;
        }
      rule = attr_rule (name, (const char *) attr->name);
      if (rule == NULL)
        continue;
      value = (char *) xmlNodeGetContent ((xmlNodePtr) attr);
      if (value == NULL)
        continue;

      switch (rule->kind)
        {
        case ATTR_TEXT:
          clean = g_strdup (value);
          break;
        case ATTR_NUMBER:
          clean = is_number (value) ? g_strdup (value) : NULL;
          break;
        case ATTR_URL:
          clean = clean_url (value, base_url, g_str_equal (name, "img"));
          break;
        case ATTR_SRCSET:
          clean = clean_srcset (value, base_url);
          break;
        }
      if (clean == NULL)
        continue;
      if (rule->kind == ATTR_URL && g_str_equal (rule->name, "src"))
        has_src = TRUE;
      g_string_append_printf (out, " %s=\"", rule->name);
      append_escaped (out, clean, TRUE);
      g_string_append_c (out, '"');
    }

  if (g_str_equal (name, "a"))
    g_string_append (out, " rel=\"noopener noreferrer\"");
  else if (g_str_equal (name, "audio") || g_str_equal (name, "video"))
    g_string_append (out, " controls preload=\"none\"");
  else if (g_str_equal (name, "img") && has_src)
    g_string_append (out, " loading=\"lazy\"");
}

/* <picture> becomes its <img>, taking the first <source> candidate when the image has no src.
 * libxml2 2.9 does not know <source> is void and nests what follows inside it, so look through
 * the whole subtree. */
static void
find_picture_parts (xmlNodePtr   node,
                    xmlNodePtr  *img,
                    char       **fallback)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (xmlStrcasecmp (child->name, (const xmlChar *) "img") == 0)
        {
          if (*img == NULL)
            *img = child;
        }
      else if (xmlStrcasecmp (child->name, (const xmlChar *) "source") == 0 && *fallback == NULL)
        {
          g_autofree char *srcset = (char *) xmlGetProp (child, (const xmlChar *) "srcset");

          if (srcset != NULL)
            {
              g_auto(GStrv) parts = g_strsplit_set (g_strstrip (srcset), " ,", 2);
              *fallback = g_strdup (parts[0]);
            }
        }
      find_picture_parts (child, img, fallback);
    }
}

static void
emit_picture (GString    *out,
              xmlNodePtr  picture,
              const char *base_url)
{
  xmlNodePtr img = NULL;
  g_autofree char *fallback = NULL;

  find_picture_parts (picture, &img, &fallback);
  if (img == NULL)
    return;
  if (fallback != NULL && !xmlHasProp (img, (const xmlChar *) "src"))
    xmlSetProp (img, (const xmlChar *) "src", (const xmlChar *) fallback);
  g_string_append (out, "<img");
  emit_attributes (out, img, "img", base_url);
  g_string_append (out, ">");
}

static void
sanitize_node (GString    *out,
               xmlNodePtr  node,
               const char *base_url)
{
  g_autofree char *name = NULL;
  ElementKind kind;

  switch (node->type)
    {
    case XML_TEXT_NODE:
      if (node->content != NULL)
        append_escaped (out, (const char *) node->content, FALSE);
      return;
    case XML_CDATA_SECTION_NODE:
      if (node->content != NULL)
        append_escaped (out, (const char *) node->content, FALSE);
      return;
    case XML_ENTITY_REF_NODE:
      /* An entity the parser did not know: keep it visible, escaped. */
      g_string_append_printf (out, "&amp;%s;", (const char *) node->name);
      return;
    case XML_ELEMENT_NODE:
      break;
    default:
      return; /* comments, processing instructions, DTDs */
    }

  name = g_ascii_strdown ((const char *) node->name, -1);
  if (g_str_equal (name, "iframe"))
    {
      emit_frame_link (out, node, base_url);
      return;
    }
  if (g_str_equal (name, "picture"))
    {
      emit_picture (out, node, base_url);
      return;
    }

  kind = element_kind (name);
  switch (kind)
    {
    case KIND_DROP:
      /* HTML void elements cannot have children: what libxml2 nested inside one (it does so for
       * <embed>) is really its following content. */
      if (is_html_void (name))
        sanitize_children (out, node, base_url);
      return;
    case KIND_UNWRAP:
      sanitize_children (out, node, base_url);
      return;
    case KIND_VOID:
      if (g_str_equal (name, "img") && !xmlHasProp (node, (const xmlChar *) "src") &&
          !xmlHasProp (node, (const xmlChar *) "srcset"))
        return;
      if (g_str_equal (name, "source") &&
          (node->parent == NULL || (xmlStrcasecmp (node->parent->name, (const xmlChar *) "audio") != 0 &&
                                    xmlStrcasecmp (node->parent->name, (const xmlChar *) "video") != 0)))
        return;
      g_string_append_printf (out, "<%s", name);
      emit_attributes (out, node, name, base_url);
      g_string_append (out, ">");
      return;
    case KIND_KEEP:
      g_string_append_printf (out, "<%s", name);
      emit_attributes (out, node, name, base_url);
      g_string_append (out, ">");
      sanitize_children (out, node, base_url);
      g_string_append_printf (out, "</%s>", name);
      return;
    }
}

static void
sanitize_children (GString    *out,
                   xmlNodePtr  parent,
                   const char *base_url)
{
  for (xmlNodePtr child = parent->children; child != NULL; child = child->next)
    sanitize_node (out, child, base_url);
}

static gboolean
looks_like_document (const char *html,
                     gsize       length)
{
  gsize n = MIN (length, 1024);
  g_autofree char *head = g_ascii_strdown (html, n);

  return strstr (head, "<!doctype") != NULL || strstr (head, "<html") != NULL ||
         strstr (head, "<head") != NULL || strstr (head, "<body") != NULL;
}

/* Parses @html as UTF-8 (a whole page or a fragment) and returns its <body>, or NULL. */
static xmlNodePtr
parse_body (const char *html,
            gsize       length,
            xmlDocPtr  *out_doc)
{
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                      HTML_PARSE_NOWARNING;
  g_autoptr(GString) wrapped = NULL;
  xmlDocPtr doc;
  xmlNodePtr root;

  if (looks_like_document (html, length))
    doc = htmlReadMemory (html, (int) MIN (length, G_MAXINT), NULL, "UTF-8", options);
  else
    {
      /* Wrapping keeps leading text and inline elements inside <body> where libxml2 would
       * otherwise guess a structure of its own. */
      wrapped = g_string_sized_new (length + 96);
      g_string_append (wrapped, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>");
      g_string_append_len (wrapped, html, length);
      g_string_append (wrapped, "</body></html>");
      doc = htmlReadMemory (wrapped->str, (int) MIN (wrapped->len, G_MAXINT), NULL, "UTF-8",
                            options);
    }

  *out_doc = doc;
  if (doc == NULL || (root = xmlDocGetRootElement (doc)) == NULL)
    return NULL;
  for (xmlNodePtr child = root->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrcasecmp (child->name, (const xmlChar *) "body") == 0)
      return child;
  return root;
}

char *
gazette_sanitize_html_node (xmlNodePtr  node,
                            const char *base_url)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, g_string_free (out, FALSE));

  sanitize_children (out, node, base_url);
  return g_string_free (out, FALSE);
}

char *
gazette_sanitize_html_fragment (const char *html,
                                gssize      length,
                                const char *base_url)
{
  xmlDocPtr doc = NULL;
  xmlNodePtr body;
  char *result;

  if (html == NULL)
    return g_strdup ("");
  if (length < 0)
    length = strlen (html);
  if (length == 0)
    return g_strdup ("");

  body = parse_body (html, length, &doc);
  result = body != NULL ? gazette_sanitize_html_node (body, base_url) : g_strdup ("");
  if (doc != NULL)
    xmlFreeDoc (doc);
  return result;
}

char *
gazette_sanitize_html_page (const char *html,
                            gssize      length,
                            const char *base_url)
{
  char *result;

  g_private_set (&keep_class_and_id, GINT_TO_POINTER (1));
  result = gazette_sanitize_html_fragment (html, length, base_url);
  g_private_set (&keep_class_and_id, NULL);
  return result;
}

static gboolean
is_block (const xmlChar *name)
{
  static const char *blocks[] = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "tr", "table", "section", "article", "figure", "figcaption", "dd", "dt", "dl",
    "header", "footer", "hr", "address", "aside", "main", "nav", "td", "th",
  };

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    if (xmlStrcasecmp (name, (const xmlChar *) blocks[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
collect_text (GString    *out,
              xmlNodePtr  node)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        {
          if (child->content != NULL)
            g_string_append (out, (const char *) child->content);
        }
      else if (child->type == XML_ELEMENT_NODE)
        {
          g_autofree char *name = g_ascii_strdown ((const char *) child->name, -1);

          if (element_kind (name) == KIND_DROP)
            continue;
          if (is_block (child->name))
            g_string_append_c (out, ' ');
          collect_text (out, child);
          if (is_block (child->name))
            g_string_append_c (out, ' ');
        }
    }
}

/* Folds every run of Unicode whitespace into one space and trims. */
static char *
fold_whitespace (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean space = FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Invalid UTF-8: skip the byte rather than lose the rest of the text. */
          c = 0xFFFD;
        }
      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x200B)
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
gazette_html_to_plain_text (const char *html,
                            gssize      length)
{
  xmlDocPtr doc = NULL;
  xmlNodePtr body;
  g_autoptr(GString) text = g_string_new (NULL);

  if (html == NULL)
    return g_strdup ("");
  if (length < 0)
    length = strlen (html);
  if (length == 0)
    return g_strdup ("");

  body = parse_body (html, length, &doc);
  if (body != NULL)
    collect_text (text, body);
  if (doc != NULL)
    xmlFreeDoc (doc);
  return fold_whitespace (text->str);
}

char *
gazette_node_text (xmlNodePtr node)
{
  g_autofree char *raw = (char *) xmlNodeGetContent (node);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = raw; p != NULL && *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

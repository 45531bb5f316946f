/* gazette-feed-xml.c — RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, streamed through libxml2's SAX2 parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No tree: libxml2's push parser (one chunk: its CDATA path is much faster than the pull
 * parser's) calls back for every element and run of text, and only the elements a feed needs
 * are kept, one frame each, while they are open. Strictly first and with recovery only when
 * that fails (the same handlers, XML_PARSE_RECOVER); never with entity substitution, DTD loading
 * or the network. libxml2 hands internal entities' replacement text to the same callbacks and
 * stops exponential ones itself; what they add counts against a budget, so a bomb costs little.
 * Element names compare case-insensitively and namespaces are known by URI or, failing that, by
 * their usual prefix, because real feeds get both wrong.
 *
 * Each element a feed reads is read when it ends, from what its frame captured: its attributes,
 * its text (all of it, as libxml2's tree would give it) or, for text constructs that turn out to
 * hold elements, the markup serialised as HTML. After recovery, entries may hang anywhere (an
 * unclosed tag in one swallows the next): then every entry element starts an entry, and the
 * fields it interrupts do not see its text.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
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
#define MAX_ENTITY_DEPTH 40
/* libxml2's own limit when it builds a tree (xmlParserMaxDepth); its push parser with SAX
 * callbacks has none, and the frames would grow with the nesting. */
#define MAX_DEPTH 256

/* What an element's frame keeps of its content until it ends. */
typedef enum {
  CAP_NONE,
  CAP_TEXT,        /* all its text, as one string */
  CAP_CONSTRUCT,   /* its text, or once it holds an element, its content serialised as HTML */
} Capture;

/* How an element's children are read. */
typedef enum {
  KIDS_NONE,           /* not at all (a field's markup only feeds the captures) */
  KIDS_ROOT_RSS,       /* <rss>, <rdf:RDF>: the channel, entries, images */
  KIDS_CHANNEL,        /* feed fields and entries */
  KIDS_ROOT_ATOM,      /* feed fields and entries */
  KIDS_ENTRY,
  KIDS_PERSON,         /* name, email */
  KIDS_IMAGE,          /* url */
  KIDS_MEDIA_CONTENT,  /* media:* but content */
  KIDS_MEDIA_GROUP,    /* media:* */
} Kids;

typedef enum {
  ROLE_NONE,
  ROLE_ROOT,
  ROLE_CHANNEL,
  ROLE_ENTRY,
  ROLE_FIELD,      /* read when it ends, by its parent's kind */
} Role;

typedef struct _EntryState EntryState;

typedef struct {
  const char *local;   /* libxml2's dictionary keeps these for the whole parse */
  const char *prefix;
  gsize       value;   /* offset in the frame's attribute buffer */
} Attr;

typedef struct {
  Ns          ns;
  const char *local;
  gboolean    is_div;        /* its name is "div" as a tree would name it (no unbound prefix) */
  Role        role;
  Kids        kids;
  Capture     cap;
  guint       depth;
  EntryState *entry;         /* the entry it belongs to, NULL for the feed's fields */
  const char *parent_base;   /* the base its reader starts from (borrowed) */
  char       *base;          /* the base its children start from, when its own */
  GString    *text;          /* CAP_TEXT, CAP_CONSTRUCT */
  gboolean    markup;        /* CAP_CONSTRUCT holding elements: text is HTML */
  guint       n_elements;    /* element children */
  gboolean    first_is_div;
  gboolean    other_text;    /* text of its own beside white space */
  gssize      div_start, div_end;
  guint       saved_barrier; /* ROLE_ENTRY: the captures before it */
  GArray     *attrs;         /* of Attr */
  GString    *values;        /* attribute values, NUL-separated */
  char       *name, *email;  /* KIDS_PERSON: what its children said */
} Frame;

struct _EntryState {
  GazetteFeedEntry *e;
  int r_id, r_title, r_link, r_author, r_published, r_updated, r_summary, r_content,
      r_comments;
  char *guid_link;
};

typedef struct {
  xmlParserCtxt *parser;
  GazetteFeed   *feed;
  const char    *base_url;
  gboolean       atom;          /* NS_NONE elements are Atom's, not RSS's */
  gboolean       recovered;     /* libxml2's best guess: look for entries anywhere */
  gboolean       not_a_feed;
  gboolean       page;          /* not a feed, but a web page */
  gboolean       done;          /* the root element ended */
  gboolean       too_deep;      /* nested past MAX_DEPTH: the parse stopped there */
  gssize         budget;        /* characters entity expansion may still produce */
  gboolean       budget_warned;
  GazetteFeedSkeleton *skeleton;   /* this pass reads a skeleton's runs */
  gboolean       skeleton_failed;  /* a run outside the root element: read the document itself */
  struct {
    const xmlChar *uri, *prefix;
    Ns             value;
  } ns_cache[N_NS_CACHE];
  guint          n_ns_cache;

  Frame         *frames;
  guint          n_frames, frames_size;
  guint         *caps;          /* indexes of the frames that capture, outermost first */
  guint          n_caps, caps_size;
  guint          barrier;       /* captures below it are outside the innermost entry */

  gboolean       have_channel;
  char          *root_base;     /* RSS: the root's; Atom: the feed's */
  char          *rss_base;      /* RSS: the channel's, else the root's */
  GPtrArray     *entries;       /* in the order they are kept */
  GPtrArray     *root_entries;  /* RSS, strictly parsed: entries beside the channel, kept after */
  GPtrArray     *states;
  /* Entries start from the feed's base or, failing that, its link: which may come later. */
  gboolean       have_hint;
  char          *entry_base_hint;
  gboolean       entry_base_varied;
  gboolean       entry_base_seen;
  char          *entry_base_used;
  /* Ranks of the feed-level fields set so far: lower wins. */
  int            r_title, r_link, r_subtitle, r_language, r_updated, r_icon, r_image, r_author,
                 r_generator, r_rights;
} Ctx;

static inline char
ascii_lower (char c)
{
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Case-insensitive, as g_ascii_strcasecmp (a, b) == 0, inline: it runs for every element of
 * every feed. Most calls differ in the first byte: names equal but for case have equal first
 * bytes once bit 0x20 is set, so that check rejects them at once. */
static inline gboolean
eq (const char *a,
    const char *b)
{
  if ((*a | 0x20) != (*b | 0x20))
    return FALSE;
  for (;; a++, b++)
    {
      if (*a == *b)
        {
          if (*a == '\0')
            return TRUE;
        }
      else if (ascii_lower (*a) != ascii_lower (*b))
        return FALSE;
    }
}

/* ----- namespaces ----- */

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
map_namespace (const char *href,
               const char *prefix)
{
  if (href != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (known_namespaces); i++)
      if (g_ascii_strcasecmp (href, known_namespaces[i].href) == 0)
        return known_namespaces[i].ns;
  if (href != NULL && *href == '\0')
    return NS_NONE;
  if (prefix != NULL)
    return map_prefix (prefix, strlen (prefix));
  /* A default namespace nobody knows: most likely a mistyped RSS or Atom one. */
  return NS_NONE;
}

/* An element's namespace: by URI, or by prefix when the prefix is bound to none. */
static Ns
element_ns (Ctx           *ctx,
            const xmlChar *prefix,
            const xmlChar *uri)
{
  Ns value;

  if (uri == NULL)
    return prefix == NULL ? NS_NONE : map_prefix ((const char *) prefix,
                                                  strlen ((const char *) prefix));
  /* The dictionary interns both, so pointers compare. */
  for (guint i = 0; i < ctx->n_ns_cache; i++)
    if (ctx->ns_cache[i].uri == uri && ctx->ns_cache[i].prefix == prefix)
      return ctx->ns_cache[i].value;
  value = map_namespace ((const char *) uri, (const char *) prefix);
  if (ctx->n_ns_cache < N_NS_CACHE)
    {
      ctx->ns_cache[ctx->n_ns_cache].uri = uri;
      ctx->ns_cache[ctx->n_ns_cache].prefix = prefix;
      ctx->ns_cache[ctx->n_ns_cache++].value = value;
    }
  return value;
}

/* ----- entities ----- */

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

/* Replacement text as an attribute value reads it: references decoded, internal entities
 * expanded (within the budget), everything else as it is. libxml2 leaves "&name;" and writes
 * "&" as "&#38;" in the values it passes when it does not substitute entities. */
static void
append_attr_text (Ctx        *ctx,
                  const char *p,
                  const char *end,
                  GString    *out,
                  int         depth)
{
  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *semi;

      if (amp == NULL)
        {
          g_string_append_len (out, p, end - p);
          return;
        }
      g_string_append_len (out, p, amp - p);
      semi = memchr (amp, ';', MIN (end - amp, 64));
      if (semi == NULL || semi == amp + 1)
        {
          g_string_append_c (out, '&');
          p = amp + 1;
          continue;
        }
      if (amp[1] == '#')
        {
          gboolean hex = amp[2] == 'x' || amp[2] == 'X';
          const char *digits = amp + (hex ? 3 : 2);
          gunichar value = 0;
          const char *q;

          for (q = digits; q < semi && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)); q++)
            if (value < 0x110000)
              value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q)
                                                     : g_ascii_digit_value (*q));
          if (q == semi && q > digits && value > 0 && value < 0x110000)
            g_string_append_unichar (out, value);
          else
            g_string_append_len (out, amp, semi + 1 - amp);
        }
      else
        {
          g_autofree char *name = g_strndup (amp + 1, semi - amp - 1);
          xmlEntity *ent = xmlGetPredefinedEntity ((const xmlChar *) name);

          if (ent == NULL && ctx->parser->myDoc != NULL)
            ent = xmlGetDocEntity (ctx->parser->myDoc, (const xmlChar *) name);
          if (ent != NULL && ent->etype == XML_INTERNAL_PREDEFINED_ENTITY)
            g_string_append (out, (const char *) ent->content);
          else if (ent != NULL && ent->etype == XML_INTERNAL_GENERAL_ENTITY &&
                   ent->content != NULL && depth < MAX_ENTITY_DEPTH &&
                   ctx->parser->errNo != XML_ERR_ENTITY_LOOP &&
                   spend (ctx, strlen ((const char *) ent->content) + 16))
            append_attr_text (ctx, (const char *) ent->content,
                              (const char *) ent->content + strlen ((const char *) ent->content),
                              out, depth + 1);
        }
      p = semi + 1;
    }
}

/* ----- frames ----- */

static Frame *
top (Ctx *ctx)
{
  return ctx->n_frames > 0 ? &ctx->frames[ctx->n_frames - 1] : NULL;
}

static Frame *
parent_of (Ctx   *ctx,
           Frame *f)
{
  return f->depth > 0 ? &ctx->frames[f->depth - 1] : NULL;
}

static const char *
frame_attr_value (Frame      *f,
                  const Attr *a)
{
  return f->values->str + a->value;
}

/* An attribute by local name, whatever its prefix (as feeds write them). */
static const char *
attr (Frame      *f,
      const char *name)
{
  if (f->attrs == NULL)
    return NULL;
  for (guint i = 0; i < f->attrs->len; i++)
    {
      const Attr *a = &g_array_index (f->attrs, Attr, i);

      if (eq (a->local, name))
        return frame_attr_value (f, a);
    }
  return NULL;
}

static char *
attr_dup (Frame      *f,
          const char *name)
{
  return g_strdup (attr (f, name));
}

/* xml:base and xml:lang */
static const char *
xml_attr (Frame      *f,
          const char *name)
{
  if (f->attrs == NULL)
    return NULL;
  for (guint i = 0; i < f->attrs->len; i++)
    {
      const Attr *a = &g_array_index (f->attrs, Attr, i);

      if (a->prefix != NULL && strcmp (a->prefix, "xml") == 0 && strcmp (a->local, name) == 0)
        return frame_attr_value (f, a);
    }
  return NULL;
}

/* The base of @f's content: @parent_base unless it has an xml:base, in which case the result
 * is resolved into *@owned. */
static const char *
content_base (Frame      *f,
              const char *parent_base,
              char      **owned)
{
  const char *base = xml_attr (f, "base");

  if (base == NULL)
    return parent_base;
  *owned = gazette_feed_resolve_url (parent_base, base);
  return *owned;
}

static char *
node_base (Frame      *f,
           const char *parent_base)
{
  const char *base = xml_attr (f, "base");

  if (base == NULL)
    return g_strdup (parent_base);
  return gazette_feed_resolve_url (parent_base, base);
}

static void
keep_attributes (Ctx            *ctx,
                 Frame          *f,
                 int             n,
                 const xmlChar **attributes)
{
  if (f->attrs == NULL)
    {
      f->attrs = g_array_new (FALSE, FALSE, sizeof (Attr));
      f->values = g_string_new (NULL);
    }
  for (int i = 0; i < n; i++)
    {
      const char *value = (const char *) attributes[i * 5 + 3];
      const char *end = (const char *) attributes[i * 5 + 4];
      Attr a = { (const char *) attributes[i * 5], (const char *) attributes[i * 5 + 1],
                 f->values->len };

      if (memchr (value, '&', end - value) != NULL)
        append_attr_text (ctx, value, end, f->values, 0);
      else
        g_string_append_len (f->values, value, end - value);
      g_string_append_c (f->values, '\0');
      g_array_append_val (f->attrs, a);
    }
}

/* ----- text ----- */

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

static char *
text_trimmed (Frame *f)
{
  char *text;

  if (f->text == NULL || f->text->len == 0)
    return NULL;
  text = g_strstrip (g_strndup (f->text->str, f->text->len));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

typedef enum {
  KIND_TEXT,
  KIND_HTML,
} Kind;

typedef enum {
  TYPE_DEFAULT,
  TYPE_PLAIN,      /* type="text": its text, whatever markup it holds */
  TYPE_TEXT,       /* another text/… type */
  TYPE_HTML,
  TYPE_BINARY,     /* nothing to show as text */
} TypeKind;

static TypeKind
type_kind (const char *type_attr)
{
  g_autofree char *type = NULL;

  if (type_attr == NULL)
    return TYPE_DEFAULT;
  type = g_strstrip (g_strdup (type_attr));
  if (eq (type, "text") || eq (type, "text/plain"))
    return TYPE_PLAIN;
  if (eq (type, "html") || eq (type, "text/html") || eq (type, "xhtml") ||
      eq (type, "application/xhtml+xml"))
    return TYPE_HTML;
  if (g_str_has_prefix (type, "text/"))
    return TYPE_TEXT;
  if (strstr (type, "xml") != NULL)
    return TYPE_HTML;
  return TYPE_BINARY;
}

/* What a text construct's reader needs of it. */
static Capture
construct_capture (Frame *f)
{
  switch (type_kind (attr (f, "type")))
    {
    case TYPE_PLAIN:
      return CAP_TEXT;
    case TYPE_BINARY:
      return CAP_NONE;
    default:
      return CAP_CONSTRUCT;
    }
}

static gboolean
is_xhtml_type (const char *type_attr)
{
  g_autofree char *type = NULL;

  if (type_attr == NULL)
    return FALSE;
  type = g_strstrip (g_strdup (type_attr));
  return eq (type, "xhtml") || eq (type, "application/xhtml+xml");
}

/* A text construct's value and whether it is HTML or plain text. @default_html says what an
 * untyped one is (RSS descriptions are HTML; Atom's untyped text is text). NULL when empty. */
static char *
read_construct_full (Frame    *f,
                     gboolean  default_html,
                     Kind     *kind,
                     gboolean *borrowed)
{
  TypeKind type = type_kind (attr (f, "type"));
  const char *mode = attr (f, "mode");
  gboolean html = default_html;
  char *value;

  switch (type)
    {
    case TYPE_PLAIN:
    case TYPE_TEXT:
      html = FALSE;
      break;
    case TYPE_HTML:
      html = TRUE;
      break;
    case TYPE_BINARY:
      return NULL;
    case TYPE_DEFAULT:
    default:
      break;
    }
  if (f->text == NULL)
    return NULL;

  if (f->markup)
    {
      /* Atom's xhtml wraps the content in a div that is not part of it. */
      if (f->n_elements == 1 && !f->other_text && f->first_is_div && f->div_start >= 0 &&
          f->div_end >= f->div_start && is_xhtml_type (attr (f, "type")))
        value = g_strndup (f->text->str + f->div_start, f->div_end - f->div_start);
      else if (borrowed != NULL)
        {
          value = f->text->str;
          *borrowed = TRUE;
        }
      else
        value = g_strndup (f->text->str, f->text->len);
      *kind = KIND_HTML;
    }
  else if (borrowed != NULL && (mode == NULL || !eq (mode, "base64")))
    {
      value = f->text->str;
      *borrowed = TRUE;
      *kind = html ? KIND_HTML : KIND_TEXT;
    }
  else
    {
      value = g_strndup (f->text->str, f->text->len);
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

  if (*value == '\0' || gazette_feed_is_blank (value, strlen (value)))
    {
      if (borrowed == NULL || !*borrowed)
        g_free (value);
      value = NULL;
    }
  return value;
}

static char *
read_construct (Frame    *f,
                gboolean  default_html,
                Kind     *kind)
{
  return read_construct_full (f, default_html, kind, NULL);
}

/* Text without markup, references or anything but ASCII: the HTML parser would only fold its
 * white space. */
static gboolean
is_plain_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '<' || *p == '&' || (guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* A one-line field (titles, subtitles, rights): plain text. RSS writes HTML in them without
 * saying so; @guess_html lets markup-looking text be read as HTML. */
static char *
read_plain (Frame    *f,
            gboolean  guess_html)
{
  Kind kind = KIND_TEXT;
  char *value = read_construct (f, FALSE, &kind);
  char *text;

  if (value == NULL)
    return NULL;
  if (guess_html)
    guess_html = attr (f, "type") == NULL;
  if (kind == KIND_HTML && is_plain_ascii (value))
    text = gazette_feed_fold_whitespace (value);   /* what the HTML parser would leave of it */
  else if (kind == KIND_HTML || (guess_html && gazette_feed_looks_like_html (value)))
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

/* A summary or content: sanitised HTML, from the frame's own buffer when it is that already. */
static char *
read_html (Frame      *f,
           const char *parent_base,
           gboolean    default_html)
{
  g_autofree char *base = NULL;
  g_autofree char *owned = NULL;
  gboolean borrowed = FALSE;
  Kind kind = KIND_TEXT;
  const char *html;
  char *value;

  value = read_construct_full (f, default_html, &kind, &borrowed);
  if (value == NULL)
    return NULL;
  if (!borrowed)
    owned = value;
  if (kind == KIND_TEXT)
    {
      char *escaped = gazette_feed_text_to_html (value);

      g_free (owned);
      owned = escaped;
      html = owned;
    }
  else
    html = value;
  return gazette_feed_sanitize (html, content_base (f, parent_base, &base));
}

static char *
read_url (Frame      *f,
          const char *parent_base)
{
  g_autofree char *text = text_trimmed (f);
  g_autofree char *base = NULL;

  if (text == NULL)
    return NULL;
  return gazette_feed_resolve_url (content_base (f, parent_base, &base), text);
}

static char *
read_attr_url (Frame      *f,
               const char *name,
               const char *parent_base)
{
  const char *value = attr (f, name);
  g_autofree char *base = NULL;

  if (value == NULL)
    return NULL;
  return gazette_feed_resolve_url (content_base (f, parent_base, &base), value);
}

static gint64
read_date (Frame *f)
{
  g_autofree char *text = text_trimmed (f);

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

/* Atom person constructs: the name and email its children gave, else its text. */
static void
read_person (Frame  *f,
             char  **name,
             char  **email)
{
  *name = g_steal_pointer (&f->name);
  *email = g_steal_pointer (&f->email);
  if (*name == NULL && *email == NULL && f->n_elements == 0)
    {
      /* <author>Jo Doe</author> in an Atom feed that did not read the spec */
      g_autofree char *text = text_trimmed (f);

      gazette_feed_split_author (text, name, email);
    }
}

static void
person_child_start (Frame *f)
{
  if (eq (f->local, "name"))
    f->cap = construct_capture (f);
  else if (eq (f->local, "email"))
    f->cap = CAP_TEXT;
}

static void
person_child_end (Frame *person,
                  Frame *f)
{
  if (eq (f->local, "name") && person->name == NULL)
    person->name = read_plain (f, FALSE);
  else if (eq (f->local, "email") && person->email == NULL)
    person->email = text_trimmed (f);
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
                     Frame            *f,
                     const char       *url_attr,
                     const char       *length_attr,
                     const char       *base)
{
  g_autofree char *url = read_attr_url (f, url_attr, base);
  g_autofree char *type = attr_dup (f, "type");

  if (url == NULL || *url == '\0')
    return;
  if (type != NULL && *g_strstrip (type) == '\0')
    g_clear_pointer (&type, g_free);
  gazette_feed_entry_add_enclosure (e, gazette_enclosure_new (url, type,
                                                              gazette_feed_parse_length (
                                                                attr (f, length_attr))));
}

static void
entry_atom_link (EntryState *st,
                 Frame      *f,
                 const char *base,
                 int         rank)
{
  g_autofree char *rel = attr_dup (f, "rel");
  const char *type = attr (f, "type");
  char *href;

  if (rel != NULL)
    g_strstrip (rel);
  if (rel == NULL || *rel == '\0' || eq (rel, "alternate") ||
      eq (rel, "http://www.iana.org/assignments/relation/alternate"))
    {
      /* The first alternate, unless a later one is the HTML page and this one is not. */
      int r = is_html_type (type) ? rank : rank + 1;

      if (WANTS (st->r_link, r) && (href = read_attr_url (f, "href", base)) != NULL)
        offer (&st->e->link, &st->r_link, r, href);
    }
  else if (eq (rel, "enclosure"))
    entry_add_enclosure (st->e, f, "href", "length", base);
  else if (eq (rel, "replies") && is_html_type (type))
    {
      if (WANTS (st->r_comments, 1) && (href = read_attr_url (f, "href", base)) != NULL)
        offer (&st->e->comments, &st->r_comments, 1, href);
    }
}

/* media:content's enclosure comes before what its children say, as they follow it. */
static void
entry_media_start (Frame *f)
{
  const char *local = f->local;

  if (eq (local, "content"))
    {
      f->kids = KIDS_MEDIA_CONTENT;
      entry_add_enclosure (f->entry->e, f, "url", "fileSize", f->parent_base);
    }
  else if (eq (local, "group"))
    f->kids = KIDS_MEDIA_GROUP;
  else if (eq (local, "title") || eq (local, "description"))
    f->cap = construct_capture (f);
  else if (eq (local, "category") || eq (local, "keywords"))
    f->cap = CAP_TEXT;
}

static void
entry_media_end (Frame *f)
{
  EntryState *st = f->entry;
  const char *local = f->local;

  if (eq (local, "title") && WANTS (st->r_title, 5))
    offer (&st->e->title, &st->r_title, 5, read_plain (f, FALSE));
  else if (eq (local, "description") && WANTS (st->r_summary, 6))
    offer (&st->e->summary, &st->r_summary, 6, read_html (f, f->parent_base, FALSE));
  else if (eq (local, "category") || eq (local, "keywords"))
    {
      g_autofree char *text = text_trimmed (f);

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
entry_author (EntryState *st,
              int         rank,
              char       *name,
              char       *email)
{
  if ((name != NULL || email != NULL) && WANTS (st->r_author, rank))
    {
      /* Name and address come from the same place. */
      g_free (st->e->author);
      g_free (st->e->author_email);
      st->e->author = name != NULL ? name : g_strdup (email);
      st->e->author_email = email;
      st->r_author = rank;
      return;
    }
  g_free (name);
  g_free (email);
}

/* The names of text constructs: their readers want the markup they hold, when they hold some. */
static gboolean
is_construct_name (const char *local)
{
  static const char *const names[] = {
    "title", "subtitle", "tagline", "description", "content", "body", "fullitem", "summary",
    "rights", "copyright", "generator", "encoded",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (eq (local, names[i]))
      return TRUE;
  return FALSE;
}

/* What a child of the feed or of an entry needs kept until it ends, for feed_child_end and
 * entry_child_end: text constructs their markup, people their name and address, an RSS image
 * its url, media elements what entry_media_start says, the rest their text. */
static void
field_start (Ctx      *ctx,
             Frame    *f,
             gboolean  in_entry)
{
  f->role = ROLE_FIELD;
  switch (f->ns)
    {
    case NS_MEDIA:
      if (in_entry)
        entry_media_start (f);
      return;
    case NS_XHTML:
      /* Serialised whatever its type says. */
      f->cap = CAP_CONSTRUCT;
      return;
    case NS_RDF:
    case NS_OTHER:
      f->role = ROLE_NONE;
      return;
    default:
      break;
    }
  f->cap = is_construct_name (f->local) ? construct_capture (f) : CAP_TEXT;
  if ((f->ns == NS_NONE || f->ns == NS_ATOM) && eq (f->local, "author"))
    f->kids = KIDS_PERSON;
  else if (!in_entry && !ctx->atom && f->ns == NS_NONE && eq (f->local, "image"))
    {
      f->kids = KIDS_IMAGE;
      f->cap = CAP_NONE;
    }
}

static void
entry_child_end (Ctx   *ctx,
                 Frame *f)
{
  EntryState *st = f->entry;
  GazetteFeedEntry *e = st->e;
  const char *local = f->local;
  const char *base = f->parent_base;
  Ns ns = f->ns;

  if (ns == NS_NONE && !ctx->atom)
    {
      /* RSS */
      if (eq (local, "title") && WANTS (st->r_title, 0))
        offer (&e->title, &st->r_title, 0, read_plain (f, TRUE));
      else if (eq (local, "link"))
        {
          g_autofree char *text = text_trimmed (f);

          if (attr (f, "href") != NULL && text == NULL)
            entry_atom_link (st, f, base, 0);
          else if (WANTS (st->r_link, 0))
            offer (&e->link, &st->r_link, 0, read_url (f, base));
        }
      else if (eq (local, "description") && WANTS (st->r_summary, 0))
        offer (&e->summary, &st->r_summary, 0, read_html (f, base, TRUE));
      else if (eq (local, "guid"))
        {
          g_autofree char *perma = attr_dup (f, "isPermaLink");
          char *guid = text_trimmed (f);

          if (guid == NULL)
            return;
          if ((perma == NULL || !eq (g_strstrip (perma), "false")) && st->guid_link == NULL &&
              (strstr (guid, "://") != NULL || guid[0] == '/'))
            st->guid_link = gazette_feed_resolve_url (base, guid);
          offer (&e->id, &st->r_id, 0, guid);
        }
      else if (eq (local, "author"))
        {
          char *name = NULL, *email = NULL;

          if (f->n_elements > 0)
            read_person (f, &name, &email);
          else
            {
              g_autofree char *text = text_trimmed (f);

              gazette_feed_split_author (text, &name, &email);
            }
          entry_author (st, 0, name, email);
        }
      else if (eq (local, "pubDate"))
        offer_date (&e->published, &st->r_published, 0, read_date (f));
      else if (eq (local, "category"))
        {
          g_autofree char *text = text_trimmed (f);

          gazette_feed_entry_add_category (e, text);
        }
      else if (eq (local, "enclosure"))
        entry_add_enclosure (e, f, "url", "length", base);
      else if (eq (local, "comments") && WANTS (st->r_comments, 0))
        offer (&e->comments, &st->r_comments, 0, read_url (f, base));
      else if ((eq (local, "content") || eq (local, "body") || eq (local, "fullitem")) &&
               WANTS (st->r_content, 3))
        offer (&e->content, &st->r_content, 3, read_html (f, base, TRUE));
      else if (eq (local, "summary") && WANTS (st->r_summary, 2))
        offer (&e->summary, &st->r_summary, 2, read_html (f, base, TRUE));
      return;
    }

  if (ns == NS_ATOM || ns == NS_NONE)
    {
      int rank = ns == NS_ATOM && !ctx->atom ? 1 : 0;   /* atom:* inside RSS ranks below RSS */

      if (eq (local, "title") && WANTS (st->r_title, rank))
        offer (&e->title, &st->r_title, rank, read_plain (f, FALSE));
      else if (eq (local, "link"))
        entry_atom_link (st, f, base, rank);
      else if (eq (local, "id") && WANTS (st->r_id, rank))
        offer (&e->id, &st->r_id, rank, text_trimmed (f));
      else if (eq (local, "author"))
        {
          char *name, *email;

          read_person (f, &name, &email);
          entry_author (st, rank, name, email);
        }
      else if (eq (local, "published"))
        offer_date (&e->published, &st->r_published, rank, read_date (f));
      else if (eq (local, "issued"))
        offer_date (&e->published, &st->r_published, rank + 1, read_date (f));
      else if (eq (local, "created"))
        offer_date (&e->published, &st->r_published, rank + 2, read_date (f));
      else if (eq (local, "updated") || eq (local, "modified"))
        offer_date (&e->updated, &st->r_updated, rank, read_date (f));
      else if (eq (local, "summary") && WANTS (st->r_summary, rank))
        offer (&e->summary, &st->r_summary, rank, read_html (f, base, FALSE));
      else if (eq (local, "content") && WANTS (st->r_content, rank + 1))
        offer (&e->content, &st->r_content, rank + 1, read_html (f, base, FALSE));
      else if (eq (local, "category"))
        {
          g_autofree char *term = attr_dup (f, "term");
          const char *label = attr (f, "label");

          if (term == NULL || *g_strstrip (term) == '\0')
            {
              g_autofree char *text = label == NULL ? text_trimmed (f) : NULL;

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
        offer (&e->content, &st->r_content, ctx->atom ? 2 : 0, read_html (f, base, TRUE));
      break;

    case NS_XHTML:
      if ((eq (local, "body") || eq (local, "div")) && WANTS (st->r_content, 2))
        {
          g_autofree char *cbase = node_base (f, base);
          g_autofree char *html = NULL;

          if (f->markup)
            html = g_strndup (f->text->str, f->text->len);
          else
            {
              GString *out = g_string_new (NULL);

              gazette_feed_append_escaped (out, f->text->str, f->text->len, FALSE);
              html = g_string_free (out, FALSE);
            }
          offer (&e->content, &st->r_content, 2, gazette_feed_sanitize (html, cbase));
        }
      break;

    case NS_DC:
      if (eq (local, "creator") || eq (local, "author"))
        {
          g_autofree char *text = text_trimmed (f);
          char *name, *email;

          gazette_feed_split_author (text, &name, &email);
          entry_author (st, 1, name, email);
        }
      else if (eq (local, "date"))
        offer_date (&e->published, &st->r_published, 3, read_date (f));
      else if (eq (local, "subject"))
        {
          g_autofree char *text = text_trimmed (f);

          gazette_feed_entry_add_category (e, text);
        }
      else if (eq (local, "title") && WANTS (st->r_title, 2))
        offer (&e->title, &st->r_title, 2, read_plain (f, TRUE));
      else if (eq (local, "description") && WANTS (st->r_summary, 3))
        offer (&e->summary, &st->r_summary, 3, read_html (f, base, TRUE));
      else if (eq (local, "identifier") && WANTS (st->r_id, 3))
        offer (&e->id, &st->r_id, 3, text_trimmed (f));
      break;

    case NS_DCTERMS:
      if (eq (local, "modified"))
        offer_date (&e->updated, &st->r_updated, 2, read_date (f));
      else if (eq (local, "issued"))
        offer_date (&e->published, &st->r_published, 4, read_date (f));
      else if (eq (local, "created"))
        offer_date (&e->published, &st->r_published, 5, read_date (f));
      break;

    case NS_ITUNES:
      if (eq (local, "author"))
        {
          g_autofree char *text = text_trimmed (f);
          char *name, *email;

          gazette_feed_split_author (text, &name, &email);
          entry_author (st, 2, name, email);
        }
      else if (eq (local, "summary") && WANTS (st->r_summary, 4))
        offer (&e->summary, &st->r_summary, 4, read_html (f, base, FALSE));
      else if (eq (local, "subtitle") && WANTS (st->r_summary, 5))
        offer (&e->summary, &st->r_summary, 5, read_html (f, base, FALSE));
      else if (eq (local, "title") && WANTS (st->r_title, 3))
        offer (&e->title, &st->r_title, 3, read_plain (f, FALSE));
      break;

    case NS_MEDIA:
      entry_media_end (f);
      break;

    default:
      break;
    }
}

/* The base an entry starts from: the feed's, else its link, which may not be known yet; the
 * parse starts over with it (gazette_feed_parse_xml) when it turns out to differ. */
static const char *
entry_base (Ctx *ctx)
{
  const char *base;

  if (ctx->have_hint)
    return ctx->entry_base_hint;
  base = ctx->atom ? ctx->root_base : ctx->rss_base;
  if (base == NULL)
    base = ctx->feed->link;
  if (!ctx->entry_base_seen)
    {
      ctx->entry_base_seen = TRUE;
      ctx->entry_base_used = g_strdup (base);
    }
  else if (g_strcmp0 (ctx->entry_base_used, base) != 0)
    ctx->entry_base_varied = TRUE;
  return base;
}

static void
entry_start (Ctx   *ctx,
             Frame *f,
             Frame *parent)
{
  EntryState *st = g_new0 (EntryState, 1);
  const char *about = NULL;

  st->e = gazette_feed_entry_new ();
  st->r_id = st->r_title = st->r_link = st->r_author = st->r_published = st->r_updated =
    st->r_summary = st->r_content = st->r_comments = RANK_NONE;
  g_ptr_array_add (ctx->states, st);
  /* Strictly read, RSS keeps the channel's entries first, then those beside it. */
  g_ptr_array_add (!ctx->recovered && parent->kids == KIDS_ROOT_RSS ? ctx->root_entries
                                                                    : ctx->entries, st->e);
  f->role = ROLE_ENTRY;
  f->kids = KIDS_ENTRY;
  f->entry = st;
  f->base = node_base (f, entry_base (ctx));

  /* RSS 1.0 names its items */
  if (f->attrs != NULL)
    for (guint i = 0; i < f->attrs->len && about == NULL; i++)
      {
        const Attr *a = &g_array_index (f->attrs, Attr, i);

        if (eq (a->local, "about"))
          about = frame_attr_value (f, a);
      }
  if (about != NULL)
    {
      char *id = g_strstrip (g_strdup (about));

      if (*id != '\0')
        offer (&st->e->id, &st->r_id, 4, id);
      else
        g_free (id);
    }
  /* The fields it interrupts do not see its text. */
  f->saved_barrier = ctx->barrier;
  ctx->barrier = ctx->n_caps;
}

static void
entry_end (Ctx   *ctx,
           Frame *f)
{
  EntryState *st = f->entry;

  if (st->e->link == NULL && st->guid_link != NULL)
    st->e->link = g_steal_pointer (&st->guid_link);
  g_clear_pointer (&st->guid_link, g_free);
  ctx->barrier = f->saved_barrier;
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
feed_child_end (Ctx   *ctx,
                Frame *f)
{
  GazetteFeed *feed = ctx->feed;
  const char *local = f->local;
  const char *base = f->parent_base;
  Ns ns = f->ns;

  if (ns == NS_NONE && !ctx->atom)
    {
      if (eq (local, "title") && WANTS (ctx->r_title, 0))
        offer (&feed->title, &ctx->r_title, 0, read_plain (f, TRUE));
      else if (eq (local, "link"))
        {
          g_autofree char *text = text_trimmed (f);

          if (text == NULL && attr (f, "href") != NULL)
            {
              const char *rel = attr (f, "rel");

              if ((rel == NULL || eq (rel, "alternate")) && WANTS (ctx->r_link, 1))
                offer (&feed->link, &ctx->r_link, 1, read_attr_url (f, "href", base));
            }
          else if (WANTS (ctx->r_link, 0))
            offer (&feed->link, &ctx->r_link, 0, read_url (f, base));
        }
      else if (eq (local, "description") && WANTS (ctx->r_subtitle, 0))
        offer (&feed->subtitle, &ctx->r_subtitle, 0, read_plain (f, TRUE));
      else if (eq (local, "language") && WANTS (ctx->r_language, 0))
        offer (&feed->language, &ctx->r_language, 0, text_trimmed (f));
      else if (eq (local, "copyright") && WANTS (ctx->r_rights, 0))
        offer (&feed->rights, &ctx->r_rights, 0, read_plain (f, TRUE));
      else if (eq (local, "managingEditor") || eq (local, "author"))
        {
          /* webMaster is who runs the site, not who writes: not the author. */
          g_autofree char *text = text_trimmed (f);
          char *name, *email;

          if (WANTS (ctx->r_author, 0))
            {
              gazette_feed_split_author (text, &name, &email);
              feed_author (ctx, 0, name, email);
            }
        }
      else if (eq (local, "lastBuildDate"))
        offer_date (&feed->updated, &ctx->r_updated, 0, read_date (f));
      else if (eq (local, "pubDate"))
        offer_date (&feed->updated, &ctx->r_updated, 3, read_date (f));
      else if (eq (local, "generator") && WANTS (ctx->r_generator, 0))
        offer (&feed->generator, &ctx->r_generator, 0, read_plain (f, FALSE));
      else if (eq (local, "image"))
        {
          /* Its <url> children came first; <image href> (RSS 0.9x oddities) or RSS 1.0's
           * <image rdf:resource> after them. */
          if (WANTS (ctx->r_image, 1))
            offer (&feed->image, &ctx->r_image, 1, read_attr_url (f, "href", base));
          if (WANTS (ctx->r_image, 1))
            offer (&feed->image, &ctx->r_image, 1, read_attr_url (f, "resource", base));
        }
      return;
    }

  if (ns == NS_ATOM || ns == NS_NONE)
    {
      int rank = ns == NS_ATOM && !ctx->atom ? 1 : 0;

      if (eq (local, "title") && WANTS (ctx->r_title, rank))
        offer (&feed->title, &ctx->r_title, rank, read_plain (f, FALSE));
      else if ((eq (local, "subtitle") || eq (local, "tagline")) && WANTS (ctx->r_subtitle, rank))
        offer (&feed->subtitle, &ctx->r_subtitle, rank, read_plain (f, FALSE));
      else if (eq (local, "link"))
        {
          g_autofree char *rel = attr_dup (f, "rel");

          if (rel != NULL)
            g_strstrip (rel);
          if (rel == NULL || *rel == '\0' || eq (rel, "alternate"))
            {
              int r = rank * 2 + (is_html_type (attr (f, "type")) ? 0 : 1);

              if (WANTS (ctx->r_link, r))
                offer (&feed->link, &ctx->r_link, r, read_attr_url (f, "href", base));
            }
        }
      else if (eq (local, "updated") || eq (local, "modified"))
        offer_date (&feed->updated, &ctx->r_updated, rank, read_date (f));
      else if (eq (local, "icon") && WANTS (ctx->r_icon, rank))
        offer (&feed->icon, &ctx->r_icon, rank, read_url (f, base));
      else if (eq (local, "logo") && WANTS (ctx->r_image, rank))
        offer (&feed->image, &ctx->r_image, rank, read_url (f, base));
      else if (eq (local, "author") && WANTS (ctx->r_author, rank))
        {
          char *name, *email;

          read_person (f, &name, &email);
          feed_author (ctx, rank, name, email);
        }
      else if (eq (local, "generator") && WANTS (ctx->r_generator, rank))
        offer (&feed->generator, &ctx->r_generator, rank, read_plain (f, FALSE));
      else if ((eq (local, "rights") || eq (local, "copyright")) && WANTS (ctx->r_rights, rank))
        offer (&feed->rights, &ctx->r_rights, rank, read_plain (f, FALSE));
      return;
    }

  switch (ns)
    {
    case NS_DC:
      if (eq (local, "title") && WANTS (ctx->r_title, 2))
        offer (&feed->title, &ctx->r_title, 2, read_plain (f, TRUE));
      else if (eq (local, "creator"))
        {
          g_autofree char *text = text_trimmed (f);
          char *name, *email;

          if (WANTS (ctx->r_author, 2))
            {
              gazette_feed_split_author (text, &name, &email);
              feed_author (ctx, 2, name, email);
            }
        }
      else if (eq (local, "date"))
        offer_date (&feed->updated, &ctx->r_updated, 2, read_date (f));
      else if (eq (local, "language") && WANTS (ctx->r_language, 1))
        offer (&feed->language, &ctx->r_language, 1, text_trimmed (f));
      else if (eq (local, "rights") && WANTS (ctx->r_rights, 2))
        offer (&feed->rights, &ctx->r_rights, 2, read_plain (f, TRUE));
      else if (eq (local, "description") && WANTS (ctx->r_subtitle, 2))
        offer (&feed->subtitle, &ctx->r_subtitle, 2, read_plain (f, TRUE));
      break;

    case NS_DCTERMS:
      if (eq (local, "modified"))
        offer_date (&feed->updated, &ctx->r_updated, 2, read_date (f));
      break;

    case NS_ITUNES:
      if (eq (local, "author") && WANTS (ctx->r_author, 3))
        {
          g_autofree char *text = text_trimmed (f);
          char *name, *email;

          gazette_feed_split_author (text, &name, &email);
          feed_author (ctx, 3, name, email);
        }
      else if (eq (local, "image") && WANTS (ctx->r_image, 2))
        offer (&feed->image, &ctx->r_image, 2, read_attr_url (f, "href", base));
      else if ((eq (local, "summary") || eq (local, "subtitle")) && WANTS (ctx->r_subtitle, 3))
        offer (&feed->subtitle, &ctx->r_subtitle, 3, read_plain (f, FALSE));
      break;

    case NS_ADMIN:
      if (eq (local, "generatorAgent") && WANTS (ctx->r_generator, 1))
        {
          const char *resource = attr (f, "resource");
          char *agent = resource != NULL ? g_strstrip (g_strdup (resource)) : NULL;

          if (agent != NULL && *agent == '\0')
            g_clear_pointer (&agent, g_free);
          offer (&feed->generator, &ctx->r_generator, 1, agent);
        }
      break;

    case NS_MEDIA:
      if (eq (local, "thumbnail") && WANTS (ctx->r_image, 3))
        offer (&feed->image, &ctx->r_image, 3, read_attr_url (f, "url", base));
      break;

    default:
      break;
    }
}

static void
image_child_end (Ctx   *ctx,
                 Frame *image,
                 Frame *f)
{
  if (f->ns == NS_NONE && eq (f->local, "url") && WANTS (ctx->r_image, 0))
    offer (&ctx->feed->image, &ctx->r_image, 0, read_url (f, image->parent_base));
}

static void
feed_language (Ctx   *ctx,
               Frame *f,
               int    rank)
{
  if (WANTS (ctx->r_language, rank))
    {
      const char *value = xml_attr (f, "lang");
      char *lang = value != NULL ? g_strstrip (g_strdup (value)) : NULL;

      if (lang != NULL && *lang == '\0')
        g_clear_pointer (&lang, g_free);
      offer (&ctx->feed->language, &ctx->r_language, rank, lang);
    }
}

static const char *
rss_format (Frame *root)
{
  g_autofree char *version = attr_dup (root, "version");

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

/* The root says which format, if any. */
static void
root_start (Ctx           *ctx,
            Frame         *f,
            const xmlChar *uri)
{
  const char *local = f->local;
  const char *format = NULL;
  gboolean channel_root = FALSE;

  if (eq (local, "rss") && f->ns != NS_ATOM)
    format = rss_format (f);
  else if (eq (local, "RDF") && (f->ns == NS_RDF || f->ns == NS_NONE))
    format = "rss1.0";
  else if (eq (local, "feed") && (f->ns == NS_ATOM || f->ns == NS_NONE))
    {
      const char *version = attr (f, "version");
      g_autofree char *v = version != NULL ? g_strstrip (g_strdup (version)) : NULL;

      ctx->atom = TRUE;
      if (uri != NULL && g_str_equal ((const char *) uri, "http://www.w3.org/2005/Atom"))
        format = "atom1.0";
      else if ((uri != NULL && g_str_equal ((const char *) uri, "http://purl.org/atom/ns#")) ||
               (v != NULL && g_str_has_prefix (v, "0.")))
        format = "atom0.3";
      else
        format = "atom1.0";
    }
  else if (eq (local, "channel") && f->ns == NS_NONE)
    {
      format = rss_format (f);
      channel_root = TRUE;
    }

  if (format == NULL)
    {
      ctx->not_a_feed = TRUE;
      ctx->page = eq (local, "html");
      xmlStopParser (ctx->parser);
      return;
    }

  g_free (ctx->feed->format);
  ctx->feed->format = g_strdup (format);
  f->role = ROLE_ROOT;
  ctx->root_base = node_base (f, ctx->base_url);
  ctx->rss_base = g_strdup (ctx->root_base);
  if (ctx->atom)
    {
      f->kids = KIDS_ROOT_ATOM;
      feed_language (ctx, f, 0);
    }
  else if (channel_root)
    {
      f->kids = KIDS_CHANNEL;
      ctx->have_channel = TRUE;
      g_free (ctx->rss_base);
      ctx->rss_base = node_base (f, ctx->root_base);
      feed_language (ctx, f, 3);
      feed_language (ctx, f, 2);
    }
  else
    {
      f->kids = KIDS_ROOT_RSS;
      feed_language (ctx, f, 3);
    }
  f->base = g_strdup (channel_root ? ctx->rss_base : ctx->root_base);
}

static void
channel_start (Ctx           *ctx,
               Frame         *f,
               const xmlChar *uri)
{
  f->role = ROLE_CHANNEL;
  f->kids = KIDS_CHANNEL;
  ctx->have_channel = TRUE;
  g_free (ctx->rss_base);
  ctx->rss_base = node_base (f, ctx->root_base);
  f->base = g_strdup (ctx->rss_base);
  feed_language (ctx, f, 2);
  if (g_str_equal (ctx->feed->format, "rss1.0") && uri != NULL &&
      g_str_equal ((const char *) uri, "http://my.netscape.com/rdf/simple/0.9/"))
    {
      g_free (ctx->feed->format);
      ctx->feed->format = g_strdup ("rss0.90");
    }
}

/* ----- SAX ----- */

static gboolean
is_entry (Ctx   *ctx,
          Frame *f)
{
  if (ctx->atom)
    return (f->ns == NS_ATOM || f->ns == NS_NONE) && eq (f->local, "entry");
  return f->ns == NS_NONE && eq (f->local, "item");
}

static Frame *
push_frame (Ctx *ctx)
{
  Frame *f;

  if (ctx->n_frames == ctx->frames_size)
    {
      guint old = ctx->frames_size;

      ctx->frames_size = MAX (16, old * 2);
      ctx->frames = g_renew (Frame, ctx->frames, ctx->frames_size);
      memset (ctx->frames + old, 0, (ctx->frames_size - old) * sizeof (Frame));
    }
  f = &ctx->frames[ctx->n_frames];
  f->depth = ctx->n_frames++;
  f->role = ROLE_NONE;
  f->kids = KIDS_NONE;
  f->cap = CAP_NONE;
  f->entry = NULL;
  f->parent_base = NULL;
  f->markup = FALSE;
  f->n_elements = 0;
  f->first_is_div = FALSE;
  f->other_text = FALSE;
  f->div_start = f->div_end = -1;
  if (f->attrs != NULL)
    {
      g_array_set_size (f->attrs, 0);
      g_string_truncate (f->values, 0);
    }
  return f;
}

static void
pop_frame (Ctx *ctx)
{
  Frame *f = top (ctx);

  g_clear_pointer (&f->base, g_free);
  g_clear_pointer (&f->name, g_free);
  g_clear_pointer (&f->email, g_free);
  ctx->n_frames--;
}

static void
start_capture (Ctx   *ctx,
               Frame *f)
{
  if (f->cap == CAP_NONE)
    return;
  if (f->text == NULL)
    f->text = g_string_new (NULL);
  else
    g_string_truncate (f->text, 0);
  if (ctx->n_caps == ctx->caps_size)
    {
      ctx->caps_size = MAX (8, ctx->caps_size * 2);
      ctx->caps = g_renew (guint, ctx->caps, ctx->caps_size);
    }
  ctx->caps[ctx->n_caps++] = f->depth;
}

/* An element starts inside the captures: they count it and, once they hold markup, write it. */
static void
capture_element_start (Ctx            *ctx,
                       Frame          *f,
                       gboolean        entry,
                       int             n_attributes,
                       const xmlChar **attributes)
{
  for (guint i = ctx->barrier; i < ctx->n_caps; i++)
    {
      Frame *k = &ctx->frames[ctx->caps[i]];
      gboolean child = k->depth + 1 == f->depth;

      if (child)
        {
          if (++k->n_elements == 1)
            k->first_is_div = f->is_div;
          if (k->cap == CAP_CONSTRUCT && !k->markup)
            {
              /* What it had as text is now HTML. */
              GString *escaped = g_string_sized_new (k->text->len + 16);

              gazette_feed_append_escaped (escaped, k->text->str, k->text->len, FALSE);
              g_string_free (k->text, TRUE);
              k->text = escaped;
              k->markup = TRUE;
            }
        }
      if (!k->markup || entry)
        continue;
      /* Inline XHTML as HTML: local names only, so prefixes and namespace declarations do
       * not reach the HTML parser. */
      g_string_append_c (k->text, '<');
      g_string_append (k->text, f->local);
      for (int a = 0; a < n_attributes; a++)
        {
          const char *value = (const char *) attributes[a * 5 + 3];
          const char *end = (const char *) attributes[a * 5 + 4];

          g_string_append_c (k->text, ' ');
          g_string_append (k->text, (const char *) attributes[a * 5]);
          g_string_append (k->text, "=\"");
          if (memchr (value, '&', end - value) != NULL)
            {
              GString *decoded = g_string_new (NULL);

              append_attr_text (ctx, value, end, decoded, 0);
              gazette_feed_append_escaped (k->text, decoded->str, decoded->len, TRUE);
              g_string_free (decoded, TRUE);
            }
          else
            gazette_feed_append_escaped (k->text, value, end - value, TRUE);
          g_string_append_c (k->text, '"');
        }
      g_string_append_c (k->text, '>');
      if (child && k->n_elements == 1)
        k->div_start = k->text->len;
    }
}

static void
capture_element_end (Ctx   *ctx,
                     Frame *f)
{
  int void_element = -1;

  for (guint i = ctx->barrier; i < ctx->n_caps; i++)
    {
      Frame *k = &ctx->frames[ctx->caps[i]];

      if (k == f || !k->markup)
        continue;
      if (k->depth + 1 == f->depth && k->n_elements == 1 && k->div_end < 0)
        k->div_end = k->text->len;
      if (void_element == -1)
        void_element = is_void_element (f->local);
      /* A void element has no children, except in a recovered document (an unclosed <br>
       * holding the rest): those followed it. */
      if (!void_element)
        {
          g_string_append (k->text, "</");
          g_string_append (k->text, f->local);
          g_string_append_c (k->text, '>');
        }
    }
}

static void
on_start_element (void           *user_data,
                  const xmlChar  *localname,
                  const xmlChar  *prefix,
                  const xmlChar  *uri,
                  int             nb_namespaces,
                  const xmlChar **namespaces,
                  int             nb_attributes,
                  int             nb_defaulted,
                  const xmlChar **attributes)
{
  xmlParserCtxt *parser = user_data;
  Ctx *ctx = parser->_private;
  Frame *parent, *f;
  gboolean entry;
  /* As a tree would have it: DTD defaults only when asked for, which we do not. */
  int n_attributes = nb_attributes - nb_defaulted;

  if (ctx->done || ctx->not_a_feed || ctx->too_deep)
    return;
  if (ctx->n_frames >= MAX_DEPTH)
    {
      ctx->too_deep = TRUE;
      xmlStopParser (ctx->parser);
      return;
    }
  if (parser != ctx->parser)
    spend (ctx, 1);

  f = push_frame (ctx);   /* may move the frames: pointers into them come after */
  parent = parent_of (ctx, f);
  f->ns = element_ns (ctx, prefix, uri);
  f->local = (const char *) localname;
  f->is_div = (uri != NULL || prefix == NULL) && eq (f->local, "div");

  if (parent == NULL)
    {
      keep_attributes (ctx, f, n_attributes, attributes);
      root_start (ctx, f, uri);
      return;
    }

  f->entry = parent->entry;
  entry = is_entry (ctx, f) &&
          (ctx->recovered || parent->kids == KIDS_ROOT_RSS || parent->kids == KIDS_CHANNEL ||
           parent->kids == KIDS_ROOT_ATOM);
  if (ctx->barrier < ctx->n_caps)
    capture_element_start (ctx, f, entry, n_attributes, attributes);

  if (parent->kids == KIDS_NONE && !entry)
    return;
  keep_attributes (ctx, f, n_attributes, attributes);
  if (entry)
    {
      entry_start (ctx, f, parent);
      return;
    }

  switch (parent->kids)
    {
    case KIDS_ROOT_RSS:
      if (!ctx->have_channel && f->ns == NS_NONE && eq (f->local, "channel"))
        channel_start (ctx, f, uri);
      else if (f->ns == NS_NONE && eq (f->local, "image"))
        {
          /* RSS 1.0 and 0.90 keep the image beside the channel. */
          f->parent_base = parent->base;
          field_start (ctx, f, FALSE);
        }
      break;

    case KIDS_CHANNEL:
    case KIDS_ROOT_ATOM:
      f->parent_base = parent->base;
      field_start (ctx, f, FALSE);
      break;

    case KIDS_ENTRY:
      /* An Atom entry's source is another feed's metadata, not this entry's. */
      if (ctx->atom && f->ns != NS_OTHER && eq (f->local, "source"))
        break;
      f->parent_base = parent->base;
      field_start (ctx, f, TRUE);
      break;

    case KIDS_PERSON:
      f->role = ROLE_FIELD;
      person_child_start (f);
      break;

    case KIDS_IMAGE:
      if (f->ns == NS_NONE && eq (f->local, "url"))
        {
          f->role = ROLE_FIELD;
          f->cap = CAP_TEXT;
        }
      break;

    case KIDS_MEDIA_CONTENT:
    case KIDS_MEDIA_GROUP:
      if (f->ns == NS_MEDIA && (parent->kids == KIDS_MEDIA_GROUP || !eq (f->local, "content")))
        {
          f->role = ROLE_FIELD;
          f->parent_base = parent->parent_base;
          entry_media_start (f);
        }
      break;

    case KIDS_NONE:
    default:
      break;
    }
  start_capture (ctx, f);
}

static void
field_end (Ctx   *ctx,
           Frame *f)
{
  Frame *parent = parent_of (ctx, f);

  switch (parent->kids)
    {
    case KIDS_ROOT_RSS:
    case KIDS_CHANNEL:
    case KIDS_ROOT_ATOM:
      feed_child_end (ctx, f);
      break;
    case KIDS_ENTRY:
      entry_child_end (ctx, f);
      break;
    case KIDS_PERSON:
      person_child_end (parent, f);
      break;
    case KIDS_IMAGE:
      image_child_end (ctx, parent, f);
      break;
    case KIDS_MEDIA_CONTENT:
    case KIDS_MEDIA_GROUP:
      entry_media_end (f);
      break;
    case KIDS_NONE:
    default:
      break;
    }
}

static void
end_frame (Ctx *ctx)
{
  Frame *f = top (ctx);

  switch (f->role)
    {
    case ROLE_FIELD:
      field_end (ctx, f);
      break;
    case ROLE_ENTRY:
      entry_end (ctx, f);
      break;
    case ROLE_ROOT:
      ctx->done = TRUE;
      break;
    case ROLE_CHANNEL:
    case ROLE_NONE:
    default:
      break;
    }
  if (f->role != ROLE_ENTRY && ctx->barrier < ctx->n_caps)
    capture_element_end (ctx, f);
  if (f->cap != CAP_NONE && ctx->n_caps > 0 && ctx->caps[ctx->n_caps - 1] == f->depth)
    ctx->n_caps--;
  pop_frame (ctx);
}

static void
on_end_element (void          *user_data,
                const xmlChar *localname,
                const xmlChar *prefix,
                const xmlChar *uri)
{
  xmlParserCtxt *parser = user_data;
  Ctx *ctx = parser->_private;

  if (ctx->done || ctx->not_a_feed || ctx->too_deep || ctx->n_frames == 0)
    return;
  end_frame (ctx);
}

static void
on_characters (void          *user_data,
               const xmlChar *text,
               int            len)
{
  xmlParserCtxt *parser = user_data;
  Ctx *ctx = parser->_private;
  guint innermost = ctx->n_frames - 1;

  if (ctx->barrier >= ctx->n_caps || ctx->done)
    return;
  /* Replacement text of entities: within the budget. */
  if (parser != ctx->parser && !spend (ctx, (gsize) len + 1))
    return;
  for (guint i = ctx->barrier; i < ctx->n_caps; i++)
    {
      Frame *k = &ctx->frames[ctx->caps[i]];

      if (k->markup)
        gazette_feed_append_escaped (k->text, (const char *) text, len, FALSE);
      else if (k->text->len + len < k->text->allocated_len)
        {
          /* g_string_append_len without the call: runs of text come a few bytes at a time
           * between references. */
          memcpy (k->text->str + k->text->len, text, len);
          k->text->len += len;
          k->text->str[k->text->len] = '\0';
        }
      else
        g_string_append_len (k->text, (const char *) text, len);
      if (k->depth == innermost && !k->other_text &&
          !gazette_feed_is_blank ((const char *) text, len))
        k->other_text = TRUE;
    }
}

/* A run gazette_feed_skeleton_new took out of the document: its characters, as libxml2 would
 * have passed them here. */
static void
on_processing_instruction (void          *user_data,
                           const xmlChar *target,
                           const xmlChar *data)
{
  xmlParserCtxt *parser = user_data;
  Ctx *ctx = parser->_private;
  const char *text;
  gsize length = 0;

  if (ctx->skeleton == NULL || parser != ctx->parser ||
      strcmp ((const char *) target, GAZETTE_FEED_RUN_TARGET) != 0)
    return;
  /* Character data outside the root element is an error the document itself would show. */
  text = data != NULL ? gazette_feed_skeleton_run (ctx->skeleton,
                                                   (guint) g_ascii_strtoull ((const char *) data,
                                                                             NULL, 10),
                                                   &length)
                      : NULL;
  if (parser->nameNr == 0 || text == NULL)
    {
      ctx->skeleton_failed = TRUE;
      xmlStopParser (parser);
      return;
    }
  on_characters (user_data, (const xmlChar *) text, (int) length);
}

/* Entities an internal subset declares, and XML's own: never anything from outside. */
static xmlEntity *
on_get_entity (void          *user_data,
               const xmlChar *name)
{
  xmlParserCtxt *parser = user_data;
  xmlEntity *ent = xmlGetPredefinedEntity (name);

  if (ent == NULL && parser->myDoc != NULL)
    ent = xmlGetDocEntity (parser->myDoc, name);
  return ent;
}

static void
entry_state_free (EntryState *st)
{
  g_free (st->guid_link);
  g_free (st);
}

static void
ctx_clear (Ctx *ctx)
{
  while (ctx->n_frames > 0)
    pop_frame (ctx);
  for (guint i = 0; i < ctx->frames_size; i++)
    {
      if (ctx->frames[i].text != NULL)
        g_string_free (ctx->frames[i].text, TRUE);
      if (ctx->frames[i].attrs != NULL)
        {
          g_array_unref (ctx->frames[i].attrs);
          g_string_free (ctx->frames[i].values, TRUE);
        }
    }
  g_free (ctx->frames);
  g_free (ctx->caps);
  g_free (ctx->root_base);
  g_free (ctx->rss_base);
  g_free (ctx->entry_base_used);
  g_clear_pointer (&ctx->entries, g_ptr_array_unref);
  g_clear_pointer (&ctx->root_entries, g_ptr_array_unref);
  g_clear_pointer (&ctx->states, g_ptr_array_unref);
  g_clear_pointer (&ctx->feed, gazette_feed_free);
}

typedef enum {
  PASS_FEED,
  PASS_ILL_FORMED,   /* strictly read: not well-formed */
  PASS_NO_ROOT,
  PASS_NOT_A_FEED,
} PassResult;

/* One pass of the SAX parser over the document, into ctx->feed. */
static PassResult
parse_pass (Ctx                 *ctx,
            const char          *data,
            gsize                length,
            GazetteFeedSkeleton *skeleton,
            gboolean             recover,
            GPtrArray           *warnings)
{
  xmlSAXHandler sax = { 0 };
  xmlParserCtxt *parser;
  /* Never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: no entity substitution by
   * the parser, no DTD fetching, and libxml2's limits stay on. The text is UTF-8 already
   * (gazette_feed_decode): the declaration's encoding is ignored. */
  int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_IGNORE_ENC | (recover ? XML_PARSE_RECOVER : 0);
  PassResult result;

  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start_element;
  sax.endElementNs = on_end_element;
  sax.characters = on_characters;
  sax.ignorableWhitespace = on_characters;
  /* The internal subset's entities, kept in a document of libxml2's own. */
  sax.startDocument = xmlSAX2StartDocument;
  sax.internalSubset = xmlSAX2InternalSubset;
  sax.entityDecl = xmlSAX2EntityDecl;
  sax.getEntity = on_get_entity;
  sax.getParameterEntity = xmlSAX2GetParameterEntity;
  if (skeleton != NULL)
    {
      sax.processingInstruction = on_processing_instruction;
      data = skeleton->doc->str;
      length = skeleton->doc->len;
      ctx->skeleton = skeleton;
    }

  ctx->feed = gazette_feed_new ("rss2.0");
  for (guint i = 0; i < warnings->len; i++)
    gazette_feed_add_warning (ctx->feed, g_ptr_array_index (warnings, i));
  ctx->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_entry_free);
  ctx->root_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_entry_free);
  ctx->states = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_state_free);
  ctx->recovered = recover;
  ctx->budget = ENTITY_BUDGET;
  ctx->r_title = ctx->r_link = ctx->r_subtitle = ctx->r_language = ctx->r_updated = ctx->r_icon =
    ctx->r_image = ctx->r_author = ctx->r_generator = ctx->r_rights = RANK_NONE;

  parser = xmlCreatePushParserCtxt (&sax, NULL, NULL, 0, NULL);
  if (parser == NULL)
    return PASS_NO_ROOT;
  parser->_private = ctx;
  ctx->parser = parser;
  xmlCtxtUseOptions (parser, options);
  xmlParseChunk (parser, data, (int) length, 1);

  /* libxml2 stopped an entity's exponential expansion on its own, and the parse with it: the
   * fields it was filling keep none of it. */
  if (parser->errNo == XML_ERR_ENTITY_LOOP)
    {
      if (!ctx->budget_warned)
        {
          ctx->budget = 0;
          spend (ctx, 1);
        }
      for (guint i = ctx->barrier; i < ctx->n_caps; i++)
        {
          Frame *k = &ctx->frames[ctx->caps[i]];

          g_string_truncate (k->text, 0);
          k->markup = FALSE;
        }
    }
  if (ctx->skeleton_failed)
    result = PASS_ILL_FORMED;
  else if (ctx->not_a_feed)
    result = PASS_NOT_A_FEED;
  else if (!recover && (!parser->wellFormed || ctx->too_deep))
    result = PASS_ILL_FORMED;
  else if (ctx->n_frames == 0 && !ctx->done)
    result = PASS_NO_ROOT;
  else
    {
      /* A recovered document may end with elements open: they end here. */
      while (ctx->n_frames > 0 && !ctx->done)
        end_frame (ctx);
      result = PASS_FEED;
    }
  if (parser->myDoc != NULL)
    xmlFreeDoc (parser->myDoc);
  parser->myDoc = NULL;
  xmlFreeParserCtxt (parser);
  ctx->parser = NULL;
  return result;
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

static void
ctx_reset (Ctx *ctx)
{
  Ctx fresh = { 0 };

  fresh.base_url = ctx->base_url;
  fresh.have_hint = ctx->have_hint;
  fresh.entry_base_hint = ctx->entry_base_hint;
  ctx_clear (ctx);
  *ctx = fresh;
}

/* Parses strictly, then with recovery, then from where a feed starts (text before the document:
 * a server's error message, a stray byte order mark in the middle). What
 * gazette_feed_repair_harder mends is mended first (into *@scrubbed, which then replaces
 * *@utf8), and the strict parse tried again. */
static PassResult
parse_document (Ctx                 *ctx,
                const char         **utf8,
                gsize               *length,
                char               **scrubbed,
                GazetteFeedSkeleton *skeleton,
                GPtrArray           *warnings)
{
  const char *not_well_formed = _("The feed is not well-formed XML; what could be read was kept");
  PassResult result;
  const char *start;

  /* The skeleton is only ever read strictly: whatever does not parse so is read as it is. */
  if (skeleton != NULL && *scrubbed == NULL)
    {
      result = parse_pass (ctx, *utf8, *length, skeleton, FALSE, warnings);
      if (result == PASS_FEED || result == PASS_NOT_A_FEED)
        return result;
      ctx_reset (ctx);
    }
  result = parse_pass (ctx, *utf8, *length, NULL, FALSE, warnings);

  if (result == PASS_FEED || result == PASS_NOT_A_FEED)
    return result;
  if (*scrubbed == NULL)
    {
      gsize scrubbed_length = 0;

      *scrubbed = gazette_feed_repair_harder (*utf8, *length, &scrubbed_length);
      if (*scrubbed != NULL)
        {
          *utf8 = *scrubbed;
          *length = scrubbed_length;
          if (!g_ptr_array_find_with_equal_func (warnings, not_well_formed, g_str_equal, NULL))
            g_ptr_array_add (warnings, g_strdup (not_well_formed));
          ctx_reset (ctx);
          result = parse_pass (ctx, *utf8, *length, NULL, FALSE, warnings);
          if (result == PASS_FEED || result == PASS_NOT_A_FEED)
            return result;
        }
    }

  if (!g_ptr_array_find_with_equal_func (warnings, not_well_formed, g_str_equal, NULL))
    g_ptr_array_add (warnings, g_strdup (not_well_formed));
  ctx_reset (ctx);
  result = parse_pass (ctx, *utf8, *length, NULL, TRUE, warnings);
  if (result != PASS_NO_ROOT)
    return result;

  start = find_feed_start (*utf8, *length);
  if (start == NULL)
    return result;
  ctx_reset (ctx);
  return parse_pass (ctx, start, *length - (start - *utf8), NULL, TRUE, warnings);
}

GazetteFeed *
gazette_feed_parse_xml (const char  *utf8,
                        gsize        length,
                        const char  *base_url,
                        GPtrArray   *warnings,
                        GError     **error)
{
  g_autofree char *repaired = NULL;
  g_autofree char *scrubbed = NULL;
  g_autofree char *hint = NULL;
  GazetteFeedSkeleton *skeleton = NULL;
  gsize repaired_length = 0;
  g_autoptr(GPtrArray) initial = NULL;
  GazetteFeed *feed;
  PassResult result;
  Ctx ctx = { 0 };

  /* Whitespace before the XML declaration is a fatal error to libxml2, and common. */
  while (length > 0 && g_ascii_isspace (*utf8))
    {
      utf8++;
      length--;
    }
  if (length > G_MAXINT)
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                   _("This is not a feed: it could not be read as XML"));
      return NULL;
    }

  repaired = gazette_feed_repair_xml (utf8, length, &repaired_length);
  if (repaired != NULL)
    {
      g_ptr_array_add (warnings, g_strdup (_("The feed uses entities or characters XML does not "
                                             "allow; they were read as text")));
      utf8 = repaired;
      length = repaired_length;
    }

  /* A second parse may be needed; it starts from the same warnings. */
  initial = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (initial, g_strdup (g_ptr_array_index (warnings, i)));

  if (gazette_feed_get_shortcuts ())
    skeleton = gazette_feed_skeleton_new (utf8, length);
  ctx.base_url = base_url;
  result = parse_document (&ctx, &utf8, &length, &scrubbed, skeleton, warnings);

  if (result == PASS_FEED && !ctx.have_hint && ctx.entry_base_seen)
    {
      /* The entries' base was the feed's link, and the link the feed finally gave differs
       * from the one some entries started from: read them again knowing it. */
      const char *base = ctx.atom ? ctx.root_base : ctx.rss_base;
      const char *final = base != NULL ? base : ctx.feed->link;

      if (ctx.entry_base_varied || g_strcmp0 (final, ctx.entry_base_used) != 0)
        {
          Ctx again = { 0 };

          hint = g_strdup (final);
          ctx_clear (&ctx);
          again.base_url = base_url;
          again.have_hint = TRUE;
          again.entry_base_hint = hint;
          ctx = again;
          g_ptr_array_set_size (warnings, 0);
          for (guint i = 0; i < initial->len; i++)
            g_ptr_array_add (warnings, g_strdup (g_ptr_array_index (initial, i)));
          result = parse_document (&ctx, &utf8, &length, &scrubbed, skeleton, warnings);
        }
    }

  g_clear_pointer (&skeleton, gazette_feed_skeleton_free);
  if (result != PASS_FEED)
    {
      gboolean page = ctx.page;

      ctx_clear (&ctx);
      if (result == PASS_NOT_A_FEED)
        g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                             page ? _("This is not a feed: it is a web page")
                                  : _("This is not a feed: it is XML, but not RSS or Atom"));
      else
        g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                     _("This is not a feed: it could not be read as XML"));
      return NULL;
    }

  feed = g_steal_pointer (&ctx.feed);
  for (guint i = 0; i < ctx.entries->len; i++)
    g_ptr_array_add (feed->entries, g_ptr_array_index (ctx.entries, i));
  for (guint i = 0; i < ctx.root_entries->len; i++)
    g_ptr_array_add (feed->entries, g_ptr_array_index (ctx.root_entries, i));
  g_ptr_array_set_free_func (ctx.entries, NULL);
  g_ptr_array_set_free_func (ctx.root_entries, NULL);
  g_ptr_array_set_size (warnings, 0);
  ctx_clear (&ctx);
  return feed;
}

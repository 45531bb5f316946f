/* gazette-extractor.c — a web page in, its article out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is decoded, parsed with libxml2's HTML parser and read for metadata while it is whole.
 * Then what cannot be the article goes (scripts, hidden and unlikely blocks, clutter the filter
 * knows), every block of text scores its ancestors by length, punctuation and structure, the best
 * ancestor discounted by its link density wins, and its siblings that look like more of the same
 * article join it. The result is cleaned of leftovers and written out through the sanitizer.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <math.h>
#include <string.h>

#include "gazette-clutter.h"
#include "gazette-encoding.h"
#include "gazette-error.h"
#include "gazette-extractor.h"
#include "gazette-metadata.h"
#include "gazette-sanitizer.h"

typedef struct {
  GHashTable *scores;      /* xmlNodePtr → double* */
  GArray     *candidates;  /* xmlNodePtr, in the order they were first scored */
  double      readerable;  /* sum over long paragraphs, see is_readerable */
  GHashTable *prose;       /* xmlNodePtr → characters of prose paragraphs below it */
} Scoring;

/* GAZETTE_EXTRACT_DEBUG=1 traces each stage on stderr: how much text survives it. */
static gboolean
debugging (void)
{
  static int enabled = -1;

  if (enabled < 0)
    enabled = g_getenv ("GAZETTE_EXTRACT_DEBUG") != NULL;
  return enabled;
}

/* ---------- small DOM helpers ---------- */

static gboolean
is_tag (xmlNodePtr  node,
        const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         xmlStrcasecmp (node->name, (const xmlChar *) name) == 0;
}

static gboolean
is_one_of (xmlNodePtr   node,
           const char **names)
{
  if (node == NULL || node->type != XML_ELEMENT_NODE)
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    if (xmlStrcasecmp (node->name, (const xmlChar *) names[i]) == 0)
      return TRUE;
  return FALSE;
}

static char *
attr (xmlNodePtr  node,
      const char *name)
{
  return (char *) xmlGetProp (node, (const xmlChar *) name);
}

static void
remove_node (xmlNodePtr node)
{
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

/* Counts the characters of text below @node, folding whitespace, and those inside links. */
static void
measure_text (xmlNodePtr  node,
              gboolean    in_link,
              guint      *chars,
              guint      *link_chars,
              guint      *commas)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        {
          gboolean space = TRUE;

          for (const char *p = (const char *) child->content; p != NULL && *p; p++)
            {
              guchar c = (guchar) *p;

              if (g_ascii_isspace (c))
                {
                  space = TRUE;
                  continue;
                }
              if ((c & 0xC0) == 0x80)
                continue; /* a continuation byte: count each UTF-8 character once */
              if (space)
                {
                  (*chars)++;
                  if (in_link)
                    (*link_chars)++;
                }
              space = FALSE;
              (*chars)++;
              if (in_link)
                (*link_chars)++;
              if (c == ',')
                (*commas)++;
              else if (c == 0xEF && (guchar) p[1] == 0xBC && (guchar) p[2] == 0x8C)
                (*commas)++; /* fullwidth comma */
              else if (c == 0xE3 && (guchar) p[1] == 0x80 && (guchar) p[2] == 0x81)
                (*commas)++; /* ideographic comma */
              else if (c == 0xD8 && (guchar) p[1] == 0x8C)
                (*commas)++; /* Arabic comma */
            }
        }
      else if (child->type == XML_ELEMENT_NODE)
        measure_text (child, in_link || is_tag (child, "a"), chars, link_chars, commas);
    }
}

static guint
text_length (xmlNodePtr node)
{
  guint chars = 0, link_chars = 0, commas = 0;

  measure_text (node, FALSE, &chars, &link_chars, &commas);
  return chars;
}

static double
link_density (xmlNodePtr node)
{
  guint chars = 0, link_chars = 0, commas = 0;

  measure_text (node, is_tag (node, "a"), &chars, &link_chars, &commas);
  return chars > 0 ? (double) link_chars / chars : 0.0;
}

static guint
count_descendants (xmlNodePtr  node,
                   const char *name)
{
  guint n = 0;

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      n += (is_tag (child, name) ? 1 : 0) + count_descendants (child, name);
  return n;
}

static gboolean
has_ancestor (xmlNodePtr  node,
              const char *name,
              int         max_depth)
{
  int depth = 0;

  for (xmlNodePtr p = node->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent)
    {
      if (max_depth > 0 && ++depth > max_depth)
        return FALSE;
      if (is_tag (p, name))
        return TRUE;
    }
  return FALSE;
}

/* ---------- class and id hints ---------- */

static GRegex *unlikely_re, *maybe_re, *positive_re, *negative_re, *byline_re, *share_re, *edge_re,
              *date_re, *button_re;

static void
init_patterns (void)
{
  static gsize once = 0;

  if (!g_once_init_enter (&once))
    return;
  /* Tokens of class and id values that mark a block as not being the article. */
  unlikely_re = g_regex_new (
      "-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|"
      "header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|"
      "supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|cookie|consent|newsletter|"
      "subscribe|signup|promo|share|sharing|outbrain|taboola|recommend|trending|most-popular|"
      "paywall|donat|modal|overlay|toolbar|tags",
      G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  maybe_re = g_regex_new ("and|article|body|column|content|main|shadow|story|entry|post|text",
                          G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  positive_re = g_regex_new (
      "article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story|"
      "prose|rich-text|richtext",
      G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  negative_re = g_regex_new (
      "-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|"
      "media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|"
      "shopping|tags|social|newsletter|subscribe|cookie|recommend|byline|author|caption|"
      "nav|breadcrumb|donat|paywall|popular|trending|teaser|(^|[^a-z])cta([^a-z]|$)",
      G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  byline_re = g_regex_new ("byline|author|dateline|writtenby|p-author",
                           G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  /* Names of the blocks pages put just above or below an article, whatever else the class
   * says ("entry-meta", "post-cta", "single-content-author"). */
  edge_re = g_regex_new (
      "(^|[^a-z])(cta|author|meta|share|sharing|social|newsletter|subscribe|promo|related|comments?|"
      "breadcrumbs?|tags|disclaimer|disclosure|copyright|signup|nav|navigation)([^a-z]|$)",
      G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  date_re = g_regex_new ("(^|[^a-z])(date|pub-?date|published|posted-on|timestamp|updated)",
                         G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  button_re = g_regex_new ("(^|[^a-z])(button|btn)([^a-z]|$)", G_REGEX_CASELESS | G_REGEX_OPTIMIZE,
                           0, NULL);
  share_re = g_regex_new ("(\\b|_)(share|sharedaddy|social|sharing)(\\b|_)",
                          G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
  g_once_init_leave (&once, 1);
}

static char *
class_and_id (xmlNodePtr node)
{
  g_autofree char *cls = attr (node, "class");
  g_autofree char *id = attr (node, "id");

  return g_strconcat (cls != NULL ? cls : "", " ", id != NULL ? id : "", NULL);
}

/* The second, lenient attempt trusts no class or id hints (see gazette_extract). */
static _Thread_local gboolean ignore_hints;

static int
class_weight (xmlNodePtr node)
{
  int weight = 0;
  g_autofree char *cls = attr (node, "class");
  g_autofree char *id = attr (node, "id");
  g_autofree char *itemprop = attr (node, "itemprop");

  /* "type_rich_text" says what "type-rich-text" says. */
  if (cls != NULL)
    g_strdelimit (cls, "_", '-');
  if (id != NULL)
    g_strdelimit (id, "_", '-');

  if (cls != NULL && *cls != '\0')
    {
      if (g_regex_match (negative_re, cls, 0, NULL))
        weight -= 25;
      if (g_regex_match (positive_re, cls, 0, NULL))
        weight += 25;
    }
  if (id != NULL && *id != '\0')
    {
      if (g_regex_match (negative_re, id, 0, NULL))
        weight -= 25;
      if (g_regex_match (positive_re, id, 0, NULL))
        weight += 25;
    }
  if (itemprop != NULL && strstr (itemprop, "articleBody") != NULL)
    weight += 30;
  return ignore_hints ? 0 : weight;
}


/* GAZETTE_EXTRACT_TRACE=text prints the ancestors of the text nodes holding text, for
 * finding where a stray line sits in the article. */
static void
debug_trace (xmlNodePtr  node,
             const char *stage)
{
  const char *needle = g_getenv ("GAZETTE_EXTRACT_TRACE");

  if (needle == NULL || *needle == '\0')
    return;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE && child->content != NULL &&
          strstr ((const char *) child->content, needle) != NULL)
        {
          g_printerr ("%s:", stage);
          for (xmlNodePtr a = child->parent; a != NULL && a->type == XML_ELEMENT_NODE; a = a->parent)
            {
              g_autofree char *hints = class_and_id (a);
              g_printerr (" <%s \"%s\" %u>", a->name, hints, text_length (a));
            }
          g_printerr ("\n");
        }
      else if (child->type == XML_ELEMENT_NODE)
        debug_trace (child, stage);
    }
}

/* ---------- preparing the page ---------- */

static gboolean
is_placeholder_src (const char *src)
{
  if (src == NULL || *src == '\0')
    return TRUE;
  if (g_str_has_prefix (src, "data:"))
    return strlen (src) < 200; /* tiny inline GIFs and SVGs are lazy-loading placeholders */
  return strstr (src, "placeholder") != NULL || strstr (src, "blank.") != NULL ||
         strstr (src, "spacer") != NULL || strstr (src, "lazy") != NULL ||
         strstr (src, "1x1") != NULL || strstr (src, "pixel.") != NULL ||
         strstr (src, "loading.") != NULL;
}

/* Lazy-loaded images keep their real address in data-* attributes until a script swaps it in;
 * we are that script. */
static void
fix_lazy_image (xmlNodePtr img)
{
  static const char *src_attrs[] = { "data-src", "data-original", "data-lazy-src", "data-url",
                                     "data-hi-res-src", "data-full-src", "data-lazy", "data-echo",
                                     "data-orig-src", "data-image", "data-img-src", NULL };
  static const char *srcset_attrs[] = { "data-srcset", "data-lazy-srcset", "data-original-set",
                                        NULL };
  g_autofree char *src = attr (img, "src");

  if (is_placeholder_src (src))
    for (guint i = 0; src_attrs[i] != NULL; i++)
      {
        g_autofree char *value = attr (img, src_attrs[i]);

        if (value != NULL && *value != '\0' && !g_str_has_prefix (value, "data:"))
          {
            xmlSetProp (img, (const xmlChar *) "src", (const xmlChar *) value);
            break;
          }
      }

  for (guint i = 0; srcset_attrs[i] != NULL; i++)
    {
      g_autofree char *value = attr (img, srcset_attrs[i]);

      if (value != NULL && *value != '\0')
        {
          xmlSetProp (img, (const xmlChar *) "srcset", (const xmlChar *) value);
          break;
        }
    }

  /* Only a srcset: its first candidate becomes the src, so every viewer shows something. */
  {
    g_autofree char *now = attr (img, "src");
    g_autofree char *srcset = attr (img, "srcset");

    if (is_placeholder_src (now) && srcset != NULL && *srcset != '\0')
      {
        g_auto(GStrv) parts = g_strsplit_set (g_strstrip (srcset), " ,", 2);
        if (parts[0] != NULL && *parts[0] != '\0')
          xmlSetProp (img, (const xmlChar *) "src", (const xmlChar *) parts[0]);
      }
  }
}

static xmlNodePtr
first_element_descendant (xmlNodePtr  node,
                          const char *name)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      xmlNodePtr found;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (is_tag (child, name))
        return child;
      if ((found = first_element_descendant (child, name)) != NULL)
        return found;
    }
  return NULL;
}

static xmlNodePtr
previous_element (xmlNodePtr node)
{
  for (xmlNodePtr p = node->prev; p != NULL; p = p->prev)
    {
      if (p->type == XML_ELEMENT_NODE)
        return p;
      if (p->type == XML_TEXT_NODE && p->content != NULL)
        for (const char *c = (const char *) p->content; *c; c++)
          if (!g_ascii_isspace (*c))
            return NULL;
    }
  return NULL;
}

/* <noscript><img src=real></noscript> after a placeholder image: the real one replaces it. */
static void
use_noscript_image (xmlNodePtr noscript)
{
  xmlNodePtr img = first_element_descendant (noscript, "img");
  xmlNodePtr prev;
  xmlNodePtr prev_img;

  if (img == NULL)
    return;
  prev = previous_element (noscript);
  prev_img = prev == NULL ? NULL : is_tag (prev, "img") ? prev : first_element_descendant (prev, "img");
  xmlUnlinkNode (img);
  if (prev_img != NULL)
    {
      g_autofree char *src = attr (prev_img, "src");

      if (is_placeholder_src (src) || text_length (prev) == 0)
        {
          xmlReplaceNode (prev_img, img);
          xmlFreeNode (prev_img);
          return;
        }
    }
  else
    {
      xmlAddPrevSibling (noscript, img);
      return;
    }
  xmlFreeNode (img);
}

static gboolean
is_hidden (xmlNodePtr node)
{
  g_autofree char *style = NULL;
  g_autofree char *aria = NULL;

  if (xmlHasProp (node, (const xmlChar *) "hidden"))
    return TRUE;
  aria = attr (node, "aria-hidden");
  if (aria != NULL && g_ascii_strcasecmp (aria, "true") == 0 && !is_tag (node, "img") &&
      !is_tag (node, "figure"))
    return TRUE;
  style = attr (node, "style");
  if (style != NULL)
    {
      g_autofree char *s = g_ascii_strdown (style, -1);
      g_autofree char *compact = g_strdelimit (g_strdup (s), " \t\n", '\x01');
      GString *c = g_string_new (NULL);

      for (const char *p = compact; *p; p++)
        if (*p != '\x01')
          g_string_append_c (c, *p);
      if (strstr (c->str, "display:none") != NULL || strstr (c->str, "visibility:hidden") != NULL)
        {
          g_string_free (c, TRUE);
          return TRUE;
        }
      g_string_free (c, TRUE);
    }
  return FALSE;
}

static const char *always_drop[] = {
  "script", "style", "template", "link", "meta", "canvas", "object", "embed", "applet",
  "input", "select", "textarea", "option", "dialog", "svg", "math", "frame",
  "frameset", "noembed", "map", "title", NULL,
};

/* Dropped too, but after the page phase of the clutter filter: a box with a "Not now" or
 * "Remind me later" button is a prompt, and the filter needs to see the button to tell. */
static const char *controls[] = { "button", NULL };

/* Elements whose content is raw text to the parser, so nothing of the page can hide inside. */
static const char *raw_text[] = { "script", "style", "title", "textarea", "template", NULL };

/* libxml2 2.9 nests everything after an unclosed <button>, <select> or <svg> inside it: such an
 * element holding a page's worth of text is a parsing accident, and its content is kept. */
static gboolean
swallowed_content (xmlNodePtr node)
{
  return !is_one_of (node, raw_text) && text_length (node) > 400 &&
         (first_element_descendant (node, "p") != NULL ||
          first_element_descendant (node, "div") != NULL);
}

static void
unwrap_node (xmlNodePtr node)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      xmlUnlinkNode (child);
      xmlAddPrevSibling (node, child);
      child = next;
    }
  remove_node (node);
}

static const char *video_hosts[] = { "youtube.com", "youtube-nocookie.com", "youtu.be",
                                     "vimeo.com", "dailymotion.com", NULL };

static gboolean
is_video_frame (xmlNodePtr node)
{
  g_autofree char *src = attr (node, "src");

  if (src == NULL)
    return FALSE;
  for (guint i = 0; video_hosts[i] != NULL; i++)
    if (strstr (src, video_hosts[i]) != NULL)
      return TRUE;
  return FALSE;
}

static void
prepare (xmlNodePtr node)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_COMMENT_NODE || child->type == XML_PI_NODE)
        remove_node (child);
      else if (child->type == XML_ELEMENT_NODE)
        {
          if ((is_tag (child, "noscript") || is_one_of (child, always_drop) ||
               is_one_of (child, controls) || is_tag (child, "iframe")) &&
              swallowed_content (child))
            {
              /* Its children are visited where they now stand, as its following siblings. */
              next = child->children != NULL ? child->children : child->next;
              unwrap_node (child);
            }
          else if (is_tag (child, "noscript"))
            {
              if (G_UNLIKELY (debugging ()) && text_length (child) > 300)
                g_printerr ("prepare drops noscript %u chars\n", text_length (child));
              use_noscript_image (child);
              remove_node (child);
            }
          else if (is_tag (child, "select"))
            {
              /* A drop-down's options are no text of the page, but that it is there tells the
               * clutter filter about the block around it (a widget to compare products). */
              while (child->children != NULL)
                remove_node (child->children);
              while (child->properties != NULL)
                xmlRemoveProp (child->properties);
            }
          else if (is_one_of (child, always_drop) ||
                   /* Server-rendered pages stream the article into a hidden block that a script
                    * reveals: a hidden block with a page's worth of prose is kept. */
                   (is_hidden (child) && !(text_length (child) > 1000 &&
                                           first_element_descendant (child, "p") != NULL)) ||
                   (is_tag (child, "iframe") && !is_video_frame (child)))
            {
              if (G_UNLIKELY (debugging ()) && text_length (child) > 300)
                {
                  g_autofree char *hints = class_and_id (child);
                  g_printerr ("prepare drops <%s> \"%s\" %u chars\n", child->name, hints,
                              text_length (child));
                }
              remove_node (child);
            }
          else
            {
              if (is_tag (child, "img"))
                fix_lazy_image (child);
              prepare (child);
            }
        }
      child = next;
    }
}

static void
drop_controls (xmlNodePtr node)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE)
        {
          if (is_one_of (child, controls))
            remove_node (child);
          else
            drop_controls (child);
        }
      child = next;
    }
}

static const char *unlikely_roles[] = { "menu", "menubar", "complementary", "navigation",
                                        "alert", "alertdialog", "dialog", "banner", "contentinfo",
                                        "search", "toolbar", NULL };

/* Blocks whose class, id or role says they are not the article, unless they also say they
 * might be, and structural elements that never are. */
static void
remove_unlikely (xmlNodePtr node,
                 guint      page_chars)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE)
        {
          gboolean drop = FALSE;

          if (!is_tag (child, "body") && !is_tag (child, "article") && !is_tag (child, "main") &&
              !is_tag (child, "a") && !has_ancestor (child, "table", 0) &&
              !has_ancestor (child, "code", 0) && !has_ancestor (child, "pre", 0))
            {
              g_autofree char *hints = class_and_id (child);
              g_autofree char *role = attr (child, "role");
              g_autofree char *itemprop = attr (child, "itemprop");

              if (role != NULL)
                for (guint i = 0; unlikely_roles[i] != NULL; i++)
                  if (g_ascii_strcasecmp (role, unlikely_roles[i]) == 0)
                    drop = TRUE;
              if (!drop && hints[1] != '\0' && g_regex_match (unlikely_re, hints, 0, NULL) &&
                  !g_regex_match (maybe_re, hints, 0, NULL) &&
                  (itemprop == NULL || strstr (itemprop, "articleBody") == NULL))
                drop = TRUE;
              if (!drop && (is_tag (child, "nav") || is_tag (child, "aside") ||
                            is_tag (child, "footer")))
                drop = TRUE;
              /* A big block is never "unlikely" just because of a word in its class: whole pages
               * are wrapped in <div class="page-header-offset"> and the like. */
              if (drop && !is_tag (child, "nav") && role == NULL && text_length (child) > 2000 &&
                  link_density (child) < 0.3)
                drop = FALSE;
              /* Nor when it holds most of the page: an unclosed tag made it swallow the rest. */
              if (drop && text_length (child) * 2 > page_chars)
                drop = FALSE;
            }
          if (drop && G_UNLIKELY (debugging ()) && text_length (child) > 200)
            {
              g_autofree char *hints = class_and_id (child);
              g_printerr ("unlikely <%s> \"%s\" %u chars\n", child->name, hints, text_length (child));
            }
          if (drop)
            remove_node (child);
          else
            remove_unlikely (child, page_chars);
        }
      child = next;
    }
}

/* ---------- scoring ---------- */

static const char *block_children[] = {
  "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figure", "footer",
  "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
  "pre", "section", "table", "ul", NULL,
};

static gboolean
has_block_child (xmlNodePtr node)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (is_one_of (child, block_children))
      return TRUE;
  return FALSE;
}

/* Blocks wrapped in inline elements count too: CMSes put paragraphs in a <span>. */
static gboolean
has_block_inside (xmlNodePtr node)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE &&
        (is_one_of (child, block_children) || has_block_inside (child)))
      return TRUE;
  return FALSE;
}

static double *
score_of (Scoring    *s,
          xmlNodePtr  node)
{
  return g_hash_table_lookup (s->scores, node);
}

static double *
init_score (Scoring    *s,
            xmlNodePtr  node)
{
  double *score = score_of (s, node);
  static const char *plus5[] = { "div", "article", "main", NULL };
  static const char *plus3[] = { "pre", "td", "blockquote", "section", NULL };
  static const char *minus3[] = { "address", "ol", "ul", "dl", "dd", "dt", "li", "form", NULL };
  static const char *minus5[] = { "h1", "h2", "h3", "h4", "h5", "h6", "th", NULL };

  if (score != NULL)
    return score;
  score = g_new0 (double, 1);
  if (is_one_of (node, plus5))
    *score = 5;
  else if (is_one_of (node, plus3))
    *score = 3;
  else if (is_one_of (node, minus3))
    *score = -3;
  else if (is_one_of (node, minus5))
    *score = -5;
  if (is_tag (node, "article"))
    *score += 5;
  *score += class_weight (node);
  g_hash_table_insert (s->scores, node, score);
  g_array_append_val (s->candidates, node);
  return score;
}

static const char *scored_tags[] = { "p", "pre", "td", "blockquote", "dd", "li", NULL };

static gboolean
is_paragraph_like (xmlNodePtr node)
{
  if (is_one_of (node, scored_tags))
    {
      /* A list item or cell holding blocks is a container, not a paragraph. */
      return !(is_tag (node, "li") || is_tag (node, "td")) || !has_block_child (node);
    }
  if (is_tag (node, "div") || is_tag (node, "section") || is_tag (node, "article"))
    return !has_block_inside (node);
  return FALSE;
}

static gboolean
is_phrasing (xmlNodePtr node)
{
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    return TRUE;
  return node->type == XML_ELEMENT_NODE && !is_one_of (node, block_children) &&
         !is_tag (node, "table") && !has_block_inside (node);
}

/* Text written straight into a container between its blocks ("<div>Some text <a>link</a> more
 * <h2>…</h2> text</div>") is a paragraph the page did not mark: each run of it becomes a <p>,
 * so that it is scored like one. */
static void
wrap_phrasing_runs (xmlNodePtr node)
{
  static const char *containers[] = { "div", "section", "article", "main", "body", "td",
                                      "blockquote", NULL };
  xmlNodePtr child;

  if (!is_one_of (node, containers) || !has_block_child (node))
    return;
  child = node->children;
  while (child != NULL)
    {
      xmlNodePtr start = child, end = child;
      gboolean has_text = FALSE;

      if (!is_phrasing (child))
        {
          child = child->next;
          continue;
        }
      for (end = child; end != NULL && is_phrasing (end); end = end->next)
        if (!has_text)
          {
            g_autofree char *text = (char *) xmlNodeGetContent (end);

            for (const char *c = text; c != NULL && *c; c++)
              if (!g_ascii_isspace (*c))
                {
                  has_text = TRUE;
                  break;
                }
          }
      child = end;
      if (has_text)
        {
          xmlNodePtr p = xmlNewDocNode (node->doc, NULL, (const xmlChar *) "p", NULL);

          xmlAddPrevSibling (start, p);
          for (xmlNodePtr n = start; n != end;)
            {
              xmlNodePtr next = n->next;

              xmlUnlinkNode (n);
              xmlAddChild (p, n);
              n = next;
            }
        }
    }
}

static void
score_paragraphs (Scoring    *s,
                  xmlNodePtr  node)
{
  wrap_phrasing_runs (node);
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (is_paragraph_like (child))
        {
          guint chars = 0, link_chars = 0, commas = 0;
          double score;
          int level = 0;

          measure_text (child, FALSE, &chars, &link_chars, &commas);
          if (chars < 25)
            continue;
          if (chars > 140 && link_chars * 2 < chars)
            s->readerable += sqrt (chars - 140);
          if (chars >= 80 && link_chars * 4 < chars)
            for (xmlNodePtr a = child->parent; a != NULL && a->type == XML_ELEMENT_NODE; a = a->parent)
              g_hash_table_insert (s->prose, a, GUINT_TO_POINTER (
                  GPOINTER_TO_UINT (g_hash_table_lookup (s->prose, a)) + chars));

          /* Text with sentences and commas is prose; a short line is a caption or a label. */
          score = 1 + commas + MIN (chars / 100, 3);
          if (is_tag (child, "li"))
            score *= 0.5;
          if (link_chars > 0)
            score *= 1.0 - (double) link_chars / chars;

          for (xmlNodePtr a = child->parent; a != NULL && a->type == XML_ELEMENT_NODE && level < 5;
               a = a->parent, level++)
            {
              double *as = init_score (s, a);
              *as += level == 0 ? score : level == 1 ? score / 2 : score / (level * 3);
            }
          if (!is_tag (child, "li") && !is_tag (child, "td"))
            continue;
        }
      score_paragraphs (s, child);
    }
}

/* ---------- choosing the article ---------- */

static double
final_score (Scoring    *s,
             xmlNodePtr  node)
{
  double *score = score_of (s, node);

  return score != NULL ? *score * (1.0 - link_density (node)) : 0.0;
}

static xmlNodePtr
find_body (xmlDocPtr doc)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);

  if (root == NULL)
    return NULL;
  for (xmlNodePtr child = root->children; child != NULL; child = child->next)
    if (is_tag (child, "body"))
      return child;
  return root;
}

static gboolean
is_ancestor_of (xmlNodePtr ancestor,
                xmlNodePtr node)
{
  for (xmlNodePtr p = node->parent; p != NULL; p = p->parent)
    if (p == ancestor)
      return TRUE;
  return FALSE;
}

/* An <article> that is not one of several: where the page says its article ends. */
static gboolean
is_article_boundary (xmlNodePtr node)
{
  if (!is_tag (node, "article"))
    return FALSE;
  for (xmlNodePtr p = node->parent != NULL ? node->parent->children : NULL; p != NULL; p = p->next)
    if (p != node && p->type == XML_ELEMENT_NODE && xmlStrcasecmp (p->name, node->name) == 0)
      return FALSE;
  return TRUE;
}

static xmlNodePtr
choose_top (Scoring    *s,
            xmlNodePtr  body,
            double     *out_score)
{
  xmlNodePtr top[5] = { NULL };
  double top_score[5] = { 0 };
  xmlNodePtr best;
  double best_score;

  for (guint i = 0; i < s->candidates->len; i++)
    {
      xmlNodePtr node = g_array_index (s->candidates, xmlNodePtr, i);
      double score;

      if (node == body || is_tag (node, "html"))
        continue;
      score = final_score (s, node);
      *score_of (s, node) = score;
      for (guint t = 0; t < G_N_ELEMENTS (top); t++)
        if (top[t] == NULL || score > top_score[t])
          {
            memmove (&top[t + 1], &top[t], (G_N_ELEMENTS (top) - t - 1) * sizeof top[0]);
            memmove (&top_score[t + 1], &top_score[t], (G_N_ELEMENTS (top) - t - 1) * sizeof top_score[0]);
            top[t] = node;
            top_score[t] = score;
            break;
          }
    }

  if (top[0] == NULL)
    {
      *out_score = 0;
      return body;
    }
  best = top[0];
  best_score = top_score[0];
  if (G_UNLIKELY (debugging ()))
    for (guint t = 0; t < G_N_ELEMENTS (top) && top[t] != NULL; t++)
      {
        g_autofree char *hints = class_and_id (top[t]);
        g_printerr ("candidate %u: <%s> \"%.60s\" %.1f, %u chars\n", t, top[t]->name, hints,
                    top_score[t], text_length (top[t]));
      }

  /* Several strong candidates under one ancestor: the article was split into blocks (by ads,
   * figures or pull quotes) and the ancestor holds all of it. Candidates inside the best one are
   * its own paragraphs' holders counted again, not other parts. */
  for (xmlNodePtr a = best->parent; a != NULL && a != body && a->type == XML_ELEMENT_NODE; a = a->parent)
    {
      guint inside = 0;

      for (guint t = 1; t < G_N_ELEMENTS (top); t++)
        if (top[t] != NULL && top_score[t] >= best_score * 0.75 && is_ancestor_of (a, top[t]) &&
            !is_ancestor_of (best, top[t]))
          inside++;
      if (inside >= 2)
        {
          best = a;
          if (G_UNLIKELY (debugging ()))
            g_printerr ("choose: common ancestor <%s>\n", a->name);
          break;
        }
    }

  /* Climb while the parent scores better than what we have: it holds more of the article. */
  {
    double last = score_of (s, best) != NULL ? *score_of (s, best) : best_score;
    xmlNodePtr parent = best->parent;

    while (parent != NULL && parent != body && parent->type == XML_ELEMENT_NODE)
      {
        double *ps = score_of (s, parent);

        if (ps == NULL || *ps < best_score / 3)
          break;
        if (*ps > last)
          {
            best = parent;
            last = *ps;
            if (G_UNLIKELY (debugging ()))
              g_printerr ("choose: better parent <%s>\n", parent->name);
          }
        parent = parent->parent;
      }
  }

  /* Page builders cut an article into rows and sections, each a candidate of its own: climb
   * while the parent holds clearly more prose and is not mostly links. */
  /* A block that names itself the content ("entry-content", <article>) needs twice its prose. */
  {
    guint prose = GPOINTER_TO_UINT (g_hash_table_lookup (s->prose, best));
    gboolean named = class_weight (best) > 0 || is_tag (best, "article");

    /* Not past the <article> that holds it, nor to the <body>: more prose beyond those is other
     * pages' (teasers, an author's other posts, testimonials). */
    for (xmlNodePtr parent = is_article_boundary (best) ? NULL : best->parent;
         parent != NULL && parent != body && parent->type == XML_ELEMENT_NODE &&
         !is_tag (parent, "body");
         parent = parent->parent)
      {
        guint more = GPOINTER_TO_UINT (g_hash_table_lookup (s->prose, parent));

        if (more >= prose + (named ? prose : prose / 2) && more >= prose + 200)
          {
            if (link_density (parent) > 0.15 || more * 2 < text_length (parent))
              break;
            best = parent;
            prose = more;
            if (G_UNLIKELY (debugging ()))
              g_printerr ("choose: more prose <%s> %u\n", parent->name, more);
          }
        if (is_article_boundary (parent))
          break;
      }
  }

  /* A lone child carries no structure of its own. */
  while (best->parent != NULL && best->parent != body && best->parent->type == XML_ELEMENT_NODE)
    {
      guint elements = 0;

      for (xmlNodePtr c = best->parent->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
          elements++;
        else if (c->type == XML_TEXT_NODE && c->content != NULL)
          {
            for (const char *p = (const char *) c->content; *p; p++)
              if (!g_ascii_isspace (*p))
                elements += 2;
          }
      if (elements != 1)
        break;
      best = best->parent;
    }

  *out_score = score_of (s, best) != NULL ? *score_of (s, best) : best_score;
  return best;
}

static gboolean
ends_like_sentence (const char *text)
{
  gsize n = strlen (text);

  return n > 0 && (strstr (text, ". ") != NULL || text[n - 1] == '.' ||
                   g_str_has_suffix (text, "。") || g_str_has_suffix (text, "!") ||
                   g_str_has_suffix (text, "?"));
}

static gboolean
ends_with_sentence (xmlNodePtr node)
{
  g_autofree char *text = gazette_node_text (node);

  gsize n = strlen (g_strstrip (text));

  return n > 0 && (text[n - 1] == '.' || text[n - 1] == '!' || text[n - 1] == '?' ||
                   g_str_has_suffix (text, "。"));
}

/* The article's container: the top candidate and its siblings that belong with it. */
static xmlNodePtr
gather_article (Scoring    *s,
                xmlDocPtr   doc,
                xmlNodePtr  top,
                double      top_score,
                xmlNodePtr  body)
{
  xmlNodePtr article = xmlNewDocNode (doc, NULL, (const xmlChar *) "div", NULL);
  xmlNodePtr parent = top->parent;
  double threshold = MAX (10.0, top_score * 0.2);
  g_autofree char *top_class = attr (top, "class");

  if (top == body || parent == NULL || parent->type != XML_ELEMENT_NODE)
    {
      /* The whole body is the article: move its children, since the container goes back into
       * the body. */
      for (xmlNodePtr child = body->children; child != NULL;)
        {
          xmlNodePtr next = child->next;

          xmlUnlinkNode (child);
          xmlAddChild (article, child);
          child = next;
        }
      return article;
    }

  for (xmlNodePtr sib = parent->children; sib != NULL;)
    {
      xmlNodePtr next = sib->next;
      gboolean append = FALSE;

      if (sib == top)
        append = TRUE;
      else if (sib->type == XML_ELEMENT_NODE)
        {
          double bonus = 0;
          double *score = score_of (s, sib);
          g_autofree char *cls = attr (sib, "class");

          if (top_class != NULL && cls != NULL && *cls != '\0' && g_str_equal (cls, top_class))
            bonus = top_score * 0.2;
          /* A score from the class name alone does not make a few short lines (a label, a
           * date, a document number) part of the article; a standfirst is a sentence, and the
           * headline's block may hold one. */
          if (score != NULL && *score + bonus >= threshold &&
              (g_hash_table_lookup (s->prose, sib) != NULL || text_length (sib) >= 200 ||
               ends_with_sentence (sib) || first_element_descendant (sib, "h1") != NULL ||
               first_element_descendant (sib, "img") != NULL ||
               first_element_descendant (sib, "video") != NULL ||
               first_element_descendant (sib, "iframe") != NULL))
            append = TRUE;
          else if (is_tag (sib, "p") || (is_tag (sib, "div") && !has_block_child (sib)))
            {
              guint len = text_length (sib);
              double density = link_density (sib);
              g_autofree char *text = gazette_node_text (sib);

              if (len > 80 && density < 0.25)
                append = TRUE;
              else if (len > 0 && len <= 80 && density == 0 && ends_like_sentence (text))
                append = TRUE;
            }
        }
      if (append)
        {
          if (G_UNLIKELY (debugging ()) && sib != top)
            {
              g_autofree char *hints = class_and_id (sib);
              double *score = score_of (s, sib);
              g_printerr ("join <%s> \"%.60s\" score %.1f (threshold %.1f), %u chars\n",
                          sib->name, hints, score != NULL ? *score : -1.0, threshold,
                          text_length (sib));
            }
          xmlUnlinkNode (sib);
          xmlAddChild (article, sib);
        }
      sib = next;
    }
  return article;
}

/* ---------- cleaning the article ---------- */

static gboolean
is_data_table (xmlNodePtr table)
{
  g_autofree char *role = attr (table, "role");
  guint rows, cells;

  if (role != NULL && g_str_equal (role, "presentation"))
    return FALSE;
  if (first_element_descendant (table, "caption") != NULL ||
      first_element_descendant (table, "thead") != NULL ||
      first_element_descendant (table, "th") != NULL)
    return TRUE;
  if (first_element_descendant (table, "table") != NULL)
    return FALSE;
  rows = count_descendants (table, "tr");
  cells = count_descendants (table, "td");
  return rows >= 10 || (rows > 1 && cells / MAX (rows, 1) > 4) || cells > 20;
}

static const char *conditional_tags[] = { "table", "ul", "ol", "div", "section", "form",
                                          "fieldset", "aside", "header", "footer", "figure",
                                          "dl", NULL };

/* Blocks inside the article that look like lists of links, ad slots or forms go. */
static gboolean
should_remove_block (xmlNodePtr node)
{
  int weight = class_weight (node);
  guint chars = 0, link_chars = 0, commas = 0;
  guint p, img, li, inputs, embeds, figures;
  double density;
  gboolean is_list = is_tag (node, "ul") || is_tag (node, "ol");

  if (is_tag (node, "table") && is_data_table (node))
    return FALSE;
  if (has_ancestor (node, "code", 0) || has_ancestor (node, "pre", 0))
    return FALSE;
  if (is_tag (node, "figure"))
    return first_element_descendant (node, "img") == NULL &&
           first_element_descendant (node, "iframe") == NULL &&
           first_element_descendant (node, "video") == NULL && text_length (node) < 25;

  measure_text (node, FALSE, &chars, &link_chars, &commas);
  density = chars > 0 ? (double) link_chars / chars : 0;
  if (weight < 0 && chars < 400)
    return TRUE;
  /* A form says little of its own (its fields are gone by now): a sign-up, a download or a
   * comment form. A page wrapped whole in a <form> holds far more. */
  if (is_tag (node, "form") && chars < 600)
    return TRUE;
  if (commas >= 10)
    return FALSE;

  p = count_descendants (node, "p");
  img = count_descendants (node, "img");
  li = count_descendants (node, "li");
  inputs = count_descendants (node, "input");
  embeds = count_descendants (node, "iframe") + count_descendants (node, "video");
  figures = count_descendants (node, "figure") + count_descendants (node, "figcaption");

  if (is_list)
    {
      /* Lists of prose stay; lists of links (related stories, tags, share buttons) go. */
      return density > 0.5 && chars < 2000;
    }
  if (img > 1 && (double) p / img < 0.5 && figures == 0 && chars < 200)
    return TRUE;
  if (li > p + 10 && density > 0.3)
    return TRUE;
  if (inputs > p / 3 + 1)
    return TRUE;
  if (chars < 25 && (img == 0 || img > 2) && figures == 0 && embeds == 0 &&
      first_element_descendant (node, "pre") == NULL && !has_block_child (node))
    return chars == 0 ? img == 0 : FALSE;
  if (weight < 25 && density > 0.33 && chars < 1000)
    return TRUE;
  if (weight >= 25 && density > 0.6)
    return TRUE;
  if ((embeds == 1 && chars < 75 && img == 0 && p == 0) || embeds > 3)
    return embeds > 3 || first_element_descendant (node, "iframe") == NULL;
  return FALSE;
}

static void
clean_conditionally (xmlNodePtr node)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE)
        {
          /* Children first: cleaning them may save their parent. */
          clean_conditionally (child);
          if (is_one_of (child, conditional_tags) && should_remove_block (child))
            remove_node (child);
        }
      child = next;
    }
}

static gboolean
similar_text (const char *a,
              const char *b)
{
  g_autofree char *fa = NULL, *fb = NULL;
  gsize la, lb;

  if (a == NULL || b == NULL)
    return FALSE;
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  la = strlen (fa);
  lb = strlen (fb);
  if (la == 0 || lb == 0)
    return FALSE;
  if (g_str_equal (fa, fb))
    return TRUE;
  /* One contains the other and they are about the same length. */
  if ((strstr (fa, fb) != NULL || strstr (fb, fa) != NULL) && MIN (la, lb) * 4 >= MAX (la, lb) * 3)
    return TRUE;
  return FALSE;
}

static gboolean is_date_line (const char *text);

static gboolean
is_date_line_node (xmlNodePtr node)
{
  g_autofree char *text = NULL;

  if (text_length (node) > 80)
    return FALSE;
  text = gazette_node_text (node);
  return is_date_line (g_strstrip (text));
}

static gboolean
starts_with_title (const char *text,
                   const char *title)
{
  g_autofree char *ft = NULL, *fh = NULL;

  if (title == NULL || g_utf8_strlen (title, -1) < 15)
    return FALSE;
  ft = g_utf8_casefold (title, -1);
  fh = g_utf8_casefold (text, -1);
  return g_str_has_prefix (fh, ft) && strlen (fh) < strlen (ft) * 2;
}

/* Blocks named for a date that say only a date, below @node. */
static void
collect_date_blocks (xmlNodePtr  node,
                     GPtrArray  *found)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      g_autofree char *hints = NULL;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      hints = class_and_id (child);
      if (hints[1] != '\0' && !is_tag (child, "li") && g_regex_match (date_re, hints, 0, NULL) &&
          is_date_line_node (child))
        g_ptr_array_add (found, child);
      else
        collect_date_blocks (child, found);
    }
}

/* The publication date, wherever the page put it between the headline and the text, is in the
 * metadata. Only when the page has one: several are an itinerary's or a programme's. */
static void
remove_publication_date (xmlNodePtr article)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_date_blocks (article, found);
  if (found->len == 1)
    remove_node (g_ptr_array_index (found, 0));
}

/* The title and byline are shown apart from the body; headings that repeat the title, bylines
 * and share bars left inside the body go. */
static void
clean_headers (xmlNodePtr  node,
               const char *title,
               const char *byline,
               gboolean   *title_removed)
{
  xmlNodePtr child = node->children;
  static const char *headings[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE)
        {
          g_autofree char *hints = class_and_id (child);
          gboolean drop = FALSE;

          if (is_one_of (child, headings))
            {
              g_autofree char *text = gazette_node_text (child);

              if (*text == '\0' && first_element_descendant (child, "img") == NULL)
                drop = TRUE;
              else if (!*title_removed && (is_tag (child, "h1") || is_tag (child, "h2")) &&
                       similar_text (text, title))
                drop = *title_removed = TRUE;
              /* The headline with a tagline the page's title left out ("Ten apps compared -
               * personally tested"). */
              else if (!*title_removed && is_tag (child, "h1") && starts_with_title (text, title))
                drop = *title_removed = TRUE;
              else if (class_weight (child) < 0)
                drop = TRUE;
            }
          else if (is_tag (child, "h1"))
            drop = FALSE;
          else if (hints[1] != '\0' && g_regex_match (byline_re, hints, 0, NULL) &&
                   text_length (child) < 100 && first_element_descendant (child, "p") == NULL)
            drop = TRUE;
          else if (hints[1] != '\0' && g_regex_match (share_re, hints, 0, NULL) &&
                   text_length (child) < 500)
            drop = TRUE;
          else if (byline != NULL && text_length (child) < 120 && !is_tag (child, "p"))
            {
              g_autofree char *text = gazette_node_text (child);
              if (similar_text (text, byline) ||
                  (g_str_has_prefix (text, "By ") && similar_text (text + 3, byline)))
                drop = TRUE;
            }

          if (drop)
            remove_node (child);
          else
            clean_headers (child, title, byline, title_removed);
        }
      child = next;
    }
}

static gboolean
has_media (xmlNodePtr node)
{
  static const char *media[] = { "img", "picture", "video", "audio", "iframe", "table", "hr",
                                 "br", NULL };

  if (is_one_of (node, media))
    return TRUE;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && has_media (child))
      return TRUE;
  return FALSE;
}

static void
remove_empty (xmlNodePtr node)
{
  static const char *containers[] = { "p", "div", "section", "span", "li", "ul", "ol", "figure",
                                      "blockquote", "header", "a", "strong", "em", "b", "i",
                                      NULL };
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE)
        {
          remove_empty (child);
          if (is_one_of (child, containers) && !has_media (child) && text_length (child) == 0)
            remove_node (child);
        }
      child = next;
    }
}


/* ---------- the article's edges ---------- */

static gboolean
ends_with_punctuation (const char *text)
{
  gsize n = strlen (text);

  while (n > 0 && g_ascii_isspace (text[n - 1]))
    n--;
  return n > 0 && (text[n - 1] == '.' || text[n - 1] == '!' || text[n - 1] == '?');
}

/* A line that only says when: "15 Dec, 2025", "Posted by David at December 16, 2025 11:15 AM",
 * "Last updated on November 24, 2025". */
static gboolean
is_date_line (const char *text)
{
  g_autofree char *date = NULL;
  guint words = 0, digits = 0;
  gboolean year = FALSE;

  /* "Minutes of the meeting, 12 March 2024." in a list of sources is a line of the article. */
  if (strlen (text) > 80 || strstr (text, ". ") != NULL || ends_with_punctuation (text))
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (++digits == 4 && !g_ascii_isdigit (p[1]))
            year = TRUE;
        }
      else
        digits = 0;
      if (g_ascii_isspace (*p) && p[1] != '\0' && !g_ascii_isspace (p[1]))
        words++;
    }
  if (!year || words > 9)
    return FALSE;
  date = gazette_metadata_normalize_date (text);
  return date != NULL;
}

/* Text that shows nothing: spaces, no-break spaces, zero-width joiners. */
static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && c != 0x200B && c != 0x200C && c != 0x200D && c != 0x2060 &&
          c != 0xFEFF)
        return FALSE;
    }
  return TRUE;
}

/* Whether @node shows a reader anything: visible text, a picture, a video, a table. */
static gboolean
has_content (xmlNodePtr node)
{
  static const char *media[] = { "img", "picture", "video", "audio", "iframe", "table", NULL };

  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    return !is_blank ((const char *) node->content);
  if (node->type != XML_ELEMENT_NODE)
    return FALSE;
  if (is_one_of (node, media))
    return TRUE;
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (has_content (child))
      return TRUE;
  return FALSE;
}

static const char *heading_tags[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };

static guint count_words (const char *text);

/* A call to action: a link styled as a button, standing alone in its block, with the short
 * line that sells it just before ("Get the cash you need today", "Talk to our experts"). Both
 * go; a line that ends like a sentence is the article's and stays. */
#define CTA_MARK "data-gazette-call-to-action"

static void
mark_calls_to_action (xmlNodePtr node)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE && is_tag (child, "a"))
        {
          g_autofree char *hints = class_and_id (child);
          g_autofree char *role = attr (child, "role");
          guint chars = text_length (child);

          if (chars > 0 && chars <= 40 &&
              ((role != NULL && g_str_equal (role, "button")) ||
               g_regex_match (button_re, hints, 0, NULL)))
            {
              xmlNodePtr box = child, lead = NULL;

              while (box->parent != NULL && box->parent->type == XML_ELEMENT_NODE &&
                     !is_tag (box->parent, "body") && text_length (box->parent) == chars)
                box = box->parent;
              if (box != child)
                {
                  for (lead = box->prev; lead != NULL && lead->type != XML_ELEMENT_NODE; lead = lead->prev)
                    if (lead->type == XML_TEXT_NODE && !is_blank ((const char *) lead->content))
                      break;
                  if (lead != NULL && lead->type == XML_ELEMENT_NODE)
                    {
                      g_autofree char *text = gazette_node_text (lead);
                      gsize n = text != NULL ? strlen (g_strchomp (text)) : 0;
                      guint lead_chars = text_length (lead);

                      /* A pitch is a phrase of some words, not a product's name or a list. */
                      if (lead_chars < 30 || lead_chars > 120 || n == 0 || text[n - 1] == '.' ||
                          text[n - 1] == ':' || count_words (text) < 6 ||
                          is_one_of (lead, heading_tags) ||
                          first_element_descendant (lead, "img") != NULL ||
                          first_element_descendant (lead, "li") != NULL)
                        lead = NULL;
                    }
                  else
                    lead = NULL;
                  if (G_UNLIKELY (debugging ()))
                    {
                      g_autofree char *lt = lead != NULL ? gazette_node_text (lead) : NULL;
                      g_printerr ("call to action: <%s> \"%s\" %u chars, lead \"%s\"\n", box->name,
                                  hints, chars, lt != NULL ? lt : "");
                    }
                  /* Without its pitch, a button may be the article's own link. Marked here,
                   * removed after the walk: the box may hold the walk's own place. */
                  if (lead != NULL)
                    {
                      xmlSetProp (lead, (const xmlChar *) CTA_MARK,
                                  (const xmlChar *) "heuristic:call-to-action");
                      xmlSetProp (box, (const xmlChar *) CTA_MARK,
                                  (const xmlChar *) "heuristic:call-to-action");
                    }
                }
            }
        }
      if (child->type == XML_ELEMENT_NODE)
        mark_calls_to_action (child);
      child = next;
    }
}

static void
remove_marked (xmlNodePtr  node,
               GPtrArray  *removed)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE)
        {
          g_autofree xmlChar *kind = xmlGetProp (child, (const xmlChar *) CTA_MARK);

          if (kind != NULL)
            {
              g_ptr_array_add (removed, gazette_clutter_removal_new (child, "promo",
                                                                     (const char *) kind));
              remove_node (child);
            }
          else
            remove_marked (child, removed);
        }
      child = next;
    }
}

/* A paragraph that is only a link and says the same more than once in the article is a
 * widget repeated in every item ("Compare deals with …"), not the article's words. */
static void
collect_link_lines (xmlNodePtr  node,
                    GHashTable *counts,
                    GPtrArray  *lines)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (is_tag (child, "p"))
        {
          guint chars = text_length (child);

          g_autofree char *text = NULL;

          /* A label of a word or two ("Visit website") is each item's own link. */
          if (chars >= 10 && chars <= 150 && link_density (child) >= 0.9 &&
              count_words (text = gazette_node_text (child)) >= 3)
            {
              char *key = g_utf8_casefold (g_strstrip (text), -1);

              g_hash_table_insert (counts, key,
                                   GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1));
              g_ptr_array_add (lines, child);
            }
          continue;
        }
      collect_link_lines (child, counts, lines);
    }
}

static void
remove_repeated_link_lines (xmlNodePtr article)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  collect_link_lines (article, counts, lines);
  for (guint i = 0; i < lines->len; i++)
    {
      xmlNodePtr line = g_ptr_array_index (lines, i);
      g_autofree char *text = gazette_node_text (line);
      g_autofree char *key = g_utf8_casefold (g_strstrip (text), -1);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) >= 2)
        xmlSetProp (line, (const xmlChar *) CTA_MARK,
                    (const xmlChar *) "heuristic:repeated-link-line");
    }
}

/* Appends a GazetteClutterRemoval to @removed for each block it takes out. */
static void
remove_calls_to_action (xmlNodePtr  article,
                        GPtrArray  *removed)
{
  remove_repeated_link_lines (article);
  mark_calls_to_action (article);
  remove_marked (article, removed);
}

/* What stands at the start (@first) or end of @node: a block, or NULL when text does. Blocks
 * that show nothing are dropped on the way. */
static xmlNodePtr
edge_block (xmlNodePtr node,
            gboolean   first)
{
  xmlNodePtr c = first ? node->children : node->last;

  while (c != NULL)
    {
      xmlNodePtr after = first ? c->next : c->prev;

      if (has_content (c))
        {
          /* The lead picture, without words, is looked past, and kept. */
          if (first && c->type == XML_ELEMENT_NODE && text_length (c) == 0 && !is_tag (c, "table") &&
              first_element_descendant (c, "table") == NULL)
            {
              c = after;
              continue;
            }
          return c->type == XML_ELEMENT_NODE ? c : NULL;
        }
      if (c->type == XML_ELEMENT_NODE && !is_tag (c, "br") && !is_tag (c, "hr"))
        remove_node (c);
      c = after;
    }
  return NULL;
}

/* Blocks at an article's edge that belong to the page around it rather than to the article. */
/* The first word of a class attribute: the block's kind, what follows are its variants. */
static char *
class_kind (xmlNodePtr node)
{
  g_autofree char *cls = attr (node, "class");
  g_auto(GStrv) words = NULL;

  if (cls == NULL)
    return NULL;
  words = g_strsplit_set (g_strstrip (cls), " \t\n", 2);
  return words[0] != NULL && *words[0] != '\0' ? g_strdup (words[0]) : NULL;
}

/* One of a series of blocks of the same kind (cards, steps, sections): content, whatever the
 * class says. */
static gboolean
is_in_series (xmlNodePtr node)
{
  g_autofree char *kind = class_kind (node);

  if (kind == NULL)
    return FALSE;
  for (xmlNodePtr p = node->parent->children; p != NULL; p = p->next)
    if (p != node && p->type == XML_ELEMENT_NODE)
      {
        g_autofree char *other = class_kind (p);

        if (other != NULL && g_str_equal (kind, other))
          return TRUE;
      }
  return FALSE;
}


/* How many blocks below @node say only a date, up to @max. */
static guint
count_date_lines (xmlNodePtr node,
                  guint      max)
{
  guint n = 0;

  for (xmlNodePtr child = node->children; child != NULL && n < max; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (!is_tag (child, "li") && !has_block_child (child) && is_date_line_node (child))
        n++;
      else
        n += count_date_lines (child, max - n);
    }
  return n;
}

/* Whether @node is a box whose text is one heading and nothing else shows: a section or shelf
 * whose content was taken out, its title over nothing. A heading element on its own at the
 * end is left alone (the article's text under it may only be hidden), and so is a list item
 * dressed as a heading. */
static gboolean
is_bare_heading (xmlNodePtr node,
                 guint      chars)
{
  static const char *media[] = { "img", "picture", "video", "audio", "iframe", "table", NULL };
  /* Containers, not list items or paragraphs that hold a heading for its looks. */
  static const char *boxes[] = { "div", "section", "aside", "header", "footer", "article", NULL };
  xmlNodePtr heading = NULL;

  if (!is_one_of (node, boxes))
    return FALSE;
  for (guint i = 0; heading_tags[i] != NULL && heading == NULL; i++)
    heading = first_element_descendant (node, heading_tags[i]);
  if (heading == NULL || text_length (heading) != chars)
    return FALSE;
  for (guint i = 0; media[i] != NULL; i++)
    if (first_element_descendant (node, media[i]) != NULL)
      return FALSE;
  return TRUE;
}

/* ---------- the site's own plug at the article's end ---------- */

/* Pages end their articles with a word from the house: who the site is ("X is a nonprofit
 * organization with …"), where to meet it, where to follow it. Such a paragraph is told from
 * the article's last one by several signs together: it names the site (by its name or its
 * host's), speaks as "we", links to the site's own pages or to its profiles, says what the
 * text signatures know as follow, share or sign-up language, and is set apart. */
typedef struct {
  GPtrArray *names;   /* the site's names squashed (lower-case letters and digits), char* */
  char      *host;    /* the page's host, without "www." */
} Site;

static void
site_clear (Site *site)
{
  g_clear_pointer (&site->names, g_ptr_array_unref);
  g_clear_pointer (&site->host, g_free);
}

/* @text in lower-case letters and digits only. For each byte of the result, @words (may be
 * NULL) gets the index of its word in @text, with PLUG_WORD_START where a word starts, and
 * PLUG_CAPITAL too when it starts with a capital letter or a digit, as names do. */
#define PLUG_WORD_START 0x40000000u
#define PLUG_CAPITAL    0x80000000u
#define PLUG_WORD(w)    ((w) & ~(PLUG_WORD_START | PLUG_CAPITAL))

static char *
squash (const char *text,
        GArray     *words)
{
  GString *out = g_string_new (NULL);
  gboolean in_word = FALSE;
  guint word = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gsize before = out->len;

      /* "Baker's" is one word. */
      if (in_word && (c == '\'' || c == 0x2019))
        continue;
      if (!g_unichar_isalnum (c))
        {
          in_word = FALSE;
          continue;
        }
      if (!in_word && out->len > 0)
        word++;
      g_string_append_unichar (out, g_unichar_tolower (c));
      if (words != NULL)
        for (gsize i = before; i < out->len; i++)
          {
            guint w = word;

            if (i == before && !in_word)
              w |= PLUG_WORD_START | (g_unichar_islower (c) ? 0 : PLUG_CAPITAL);
            g_array_append_val (words, w);
          }
      in_word = TRUE;
    }
  return g_string_free (out, FALSE);
}

static void
add_site_name (Site       *site,
               const char *name,
               gsize       min_length)
{
  g_autofree char *squashed = squash (name, NULL);

  if (strlen (squashed) >= min_length && count_words (name) <= 5 &&
      !g_ptr_array_find_with_equal_func (site->names, squashed, g_str_equal, NULL))
    g_ptr_array_add (site->names, g_steal_pointer (&squashed));
}

/* The site's names: the parts of its name ("Acme - All-in-One Customer Engagement
 * Platform"), and the words of its host ("goodbooks.com", "studio.digital"). */
static void
site_init (Site       *site,
           const char *site_name,
           const char *url)
{
  static const char *separators[] = { " | ", " - ", " – ", " — ", ": ", " · ", " :: ", " » " };
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  site->names = g_ptr_array_new_with_free_func (g_free);
  site->host = NULL;
  if (site_name != NULL)
    {
      g_autofree char *joined = g_strdup (site_name);
      g_auto(GStrv) parts = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
        {
          g_auto(GStrv) split = g_strsplit (joined, separators[i], -1);

          g_free (joined);
          joined = g_strjoinv ("\n", split);
        }
      parts = g_strsplit (joined, "\n", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        add_site_name (site, parts[i], 5);
    }
  if (host != NULL && *host != '\0')
    {
      g_auto(GStrv) labels = NULL;
      g_autofree char *whole = NULL;
      guint n;

      site->host = g_ascii_strdown (g_str_has_prefix (host, "www.") ? host + 4 : host, -1);
      labels = g_strsplit (site->host, ".", -1);
      n = g_strv_length (labels);
      whole = g_strjoinv (" ", labels);
      /* The name the site registered: not the top-level domain, nor "co" in "co.uk", nor a
       * subdomain ("resources.", "business."). */
      if (n > 0)
        n--;
      if (n > 1 && strlen (labels[n - 1]) <= 3)
        n--;
      if (n > 0)
        add_site_name (site, labels[n - 1], 6);
      add_site_name (site, whole, 6);
    }
}

/* Whether @text names the site, as a name: from a word's start, capitalised when it is one
 * word ("Wired", not "wired"). *@word is then the index of the word the first name starts at. */
static gboolean
names_site (const Site *site,
            const char *text,
            guint      *word)
{
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *squashed = squash (text, words);
  guint best = G_MAXUINT;

  for (guint i = 0; i < site->names->len; i++)
    {
      const char *name = g_ptr_array_index (site->names, i);
      gsize n = strlen (name);

      for (const char *at = strstr (squashed, name); at != NULL; at = strstr (at + 1, name))
        {
          guint w = g_array_index (words, guint, at - squashed);
          guint last = g_array_index (words, guint, at - squashed + n - 1);

          if ((w & PLUG_WORD_START) && ((w & PLUG_CAPITAL) || PLUG_WORD (last) != PLUG_WORD (w)))
            {
              best = MIN (best, PLUG_WORD (w));
              break;
            }
        }
    }
  *word = best;
  return best != G_MAXUINT;
}

/* Words in which a page speaks of itself: "we", "our", in the languages the signatures have. */
static const char *self_words[] = {
  "we", "our", "ours", "us", "ourselves",
  "wir", "uns", "unser", "unsere", "unserer", "unseren", "unserem", "unseres",
  "nous", "notre", "nos",
  "nosotros", "nosotras", "nuestro", "nuestra", "nuestros", "nuestras",
  "nós", "nosso", "nossa", "nossos", "nossas",
  "noi", "nostro", "nostra", "nostri", "nostre",
  "nasz", "nasza", "nasze", "naszych", "naszym", "naszej", "nas", "nam",
  "мы", "нас", "нам", "наш", "наша", "наше", "наши", "нашей", "наших", "нашим",
  "ми", "наші", "нашої",
  "нашы", "нашай", "нашых",
  NULL,
};

static gboolean
speaks_as_we (const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalpha (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      start = p;
      while (*p != '\0' && g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      {
        g_autofree char *word = g_utf8_strdown (start, p - start);

        /* "US" is a country. */
        if (g_str_equal (word, "us") && strncmp (start, "US", 2) == 0)
          continue;
        if (g_strv_contains (self_words, word))
          return TRUE;
      }
    }
  return FALSE;
}

/* Words of a link's path that say it leads to a sale, a sign-up or a contact. */
static const char *conversion_words[] = {
  "contact", "contacts", "kontakt", "contacto", "contato", "contatti", "contactez",
  "quote", "quotes", "demo", "pricing", "prices", "preise", "tarifs", "precios",
  "services", "service", "leistungen", "servicios", "servizi", "uslugi",
  "subscribe", "subscription", "signup", "register", "join", "shop", "store", "order",
  "trial", "consultation", "consult", "hire", "plans", "membership", "partner", "booking",
  "appointment", "angebot", "donate", "donation", "spenden", "newsletter",
  NULL,
};

/* Hosts of profiles to follow and of pages taking support or subscriptions. */
static const char *social_hosts[] = {
  "facebook.com", "instagram.com", "twitter.com", "x.com", "tiktok.com", "linkedin.com",
  "youtube.com", "pinterest.com", "t.me", "threads.net", "bsky.app", "vk.com", "ok.ru",
  NULL,
};
static const char *support_hosts[] = {
  "patreon.com", "ko-fi.com", "buymeacoffee.com", "substack.com", "paypal.me", "gofundme.com",
  "liberapay.com", "opencollective.com", "steadyhq.com",
  NULL,
};

static gboolean
host_in (const char  *host,
         const char **hosts)
{
  for (guint i = 0; hosts[i] != NULL; i++)
    {
      gsize n = strlen (host), m = strlen (hosts[i]);

      if (g_str_equal (host, hosts[i]) ||
          (n > m && g_str_has_suffix (host, hosts[i]) && host[n - m - 1] == '.'))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  guint own;          /* links to the site's own pages */
  guint conversion;   /* … to its contact, quote, shop or sign-up pages, or to a support page */
  guint social;       /* links to profiles on social networks */
} PlugLinks;

static void
count_plug_links (xmlNodePtr  node,
                  const Site *site,
                  PlugLinks  *links)
{
  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    {
      g_autofree char *href = NULL;
      g_autoptr(GUri) uri = NULL;
      const char *host;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (!is_tag (c, "a") || (href = attr (c, "href")) == NULL || *href == '#')
        {
          count_plug_links (c, site, links);
          continue;
        }
      if (g_str_has_prefix (href, "//"))
        {
          char *absolute = g_strconcat ("https:", href, NULL);

          g_free (href);
          href = absolute;
        }
      uri = g_uri_parse (href, G_URI_FLAGS_PARSE_RELAXED, NULL);
      host = uri != NULL ? g_uri_get_host (uri) : NULL;
      if (uri != NULL && host != NULL && *host != '\0')
        {
          g_autofree char *lower = g_ascii_strdown (g_str_has_prefix (host, "www.") ? host + 4 : host, -1);

          if (host_in (lower, social_hosts))
            {
              links->social++;
              continue;
            }
          if (host_in (lower, support_hosts))
            {
              links->conversion++;
              continue;
            }
          if (site->host == NULL || !g_str_equal (lower, site->host))
            continue;
        }
      else if (g_str_has_prefix (href, "mailto:") || g_str_has_prefix (href, "tel:") ||
               g_str_has_prefix (href, "javascript:"))
        continue;
      links->own++;
      {
        const char *path = uri != NULL ? g_uri_get_path (uri) : href;
        g_auto(GStrv) parts = g_strsplit_set (path != NULL ? path : "", "/-_.", -1);

        for (guint i = 0; parts[i] != NULL; i++)
          {
            g_autofree char *part = g_ascii_strdown (parts[i], -1);

            if (g_strv_contains (conversion_words, part))
              {
                links->conversion++;
                break;
              }
          }
      }
    }
}

/* Characters of @node's text inside emphasis (italics, bold, small print). */
static guint
emphasised_chars (xmlNodePtr node)
{
  static const char *emphasis[] = { "em", "i", "strong", "b", "small", NULL };
  guint n = 0;

  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      n += is_one_of (c, emphasis) ? text_length (c) : emphasised_chars (c);
  return n;
}

/* The element before @node, past blank text and empty blocks (spacers), looking out of the
 * blocks @node starts. */
static xmlNodePtr
element_before (xmlNodePtr node)
{
  for (guint depth = 0; node != NULL && depth < 4; depth++)
    {
      for (xmlNodePtr p = node->prev; p != NULL; p = p->prev)
        {
          if (p->type == XML_ELEMENT_NODE && (is_tag (p, "hr") || has_content (p)))
            return p;
          if (p->type == XML_TEXT_NODE && !is_blank ((const char *) p->content))
            return NULL;
        }
      node = node->parent;
      if (node == NULL || node->type != XML_ELEMENT_NODE || is_tag (node, "body"))
        break;
    }
  return NULL;
}

/* Whether a rule sets @node apart from the text above it, or a heading under one does. */
static gboolean
after_rule (xmlNodePtr node)
{
  xmlNodePtr before = element_before (node);

  if (before != NULL && is_one_of (before, heading_tags))
    before = element_before (before);
  return before != NULL && is_tag (before, "hr");
}

/* Signature categories of a house's closing line: follow us, share, subscribe, get our app. */
static gboolean
is_plug_category (const char *category)
{
  static const char *plug[] = { "appeal", "paywall", "newsletter", "share", "follow", "app",
                                "push", NULL };

  return category != NULL && g_strv_contains (plug, category);
}

/* Verbs a line asking to follow the site starts with ("Follow X on …"). */
static const char *follow_verbs[] = {
  "follow", "folgen", "folgt", "suivez", "suivre", "síguenos", "sigue", "segui", "seguici",
  "siga", "obserwuj", "подписывайтесь", "следите", "стежте", "підписуйтесь", "сачыце", NULL,
};

static gboolean
starts_with_follow (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", 2);
  g_autofree char *first = words[0] != NULL ? g_utf8_strdown (words[0], -1) : NULL;

  return first != NULL && g_strv_contains (follow_verbs, first);
}

/* Why the block at the article's end is the site's own plug, or NULL. Annotated pages keep
 * a company blog's closing pitch ("Contact X today …") as the article's last paragraph more
 * often than not, so a name and sales words are not enough: the house's word is set apart
 * (a rule above it, all in italics), or a link line, or a line asking to follow. */
static const char *
plug_reason (xmlNodePtr  node,
             const char *text,
             const Site *site)
{
  guint chars = text_length (node);
  guint word = G_MAXUINT;
  gboolean named, lead, we, sales, apart;
  PlugLinks links = { 0 };

  if (chars == 0 || chars > 1500 || is_one_of (node, heading_tags) ||
      first_element_descendant (node, "h1") != NULL || first_element_descendant (node, "h2") != NULL ||
      first_element_descendant (node, "table") != NULL)
    return NULL;
  count_plug_links (node, site, &links);
  /* A paragraph, or a longer one that is mostly links to the site's pages. */
  if (chars > 800 && links.own < 5)
    return NULL;
  named = site->names->len > 0 && names_site (site, text, &word);
  /* The site is the subject: "X is a nonprofit …", "Note from X: …", "At X, we …". */
  lead = named && word <= 3;
  we = speaks_as_we (text);
  sales = is_plug_category (gazette_clutter_text_signature (text));
  apart = after_rule (node) || emphasised_chars (node) * 5 >= chars * 4;

  if (G_UNLIKELY (debugging ()))
    g_printerr ("plug?\tnamed %d word %d we %d sales %d own %u conversion %u social %u "
                "chars %u apart %d\t%.120s\n", named, word == G_MAXUINT ? -1 : (int) word, we,
                sales, links.own, links.conversion, links.social, chars, apart, text);

  /* The house's note, set apart from the article. */
  if (lead && apart && (we || sales || links.own + links.conversion + links.social > 0))
    return "plug-note";
  /* Who the site is, and its pages: "X ist eine Webagentur … Wir …: A / B / C / …". */
  if (lead && we && links.own >= 5)
    return "plug-note";
  /* A link line to the site's own page that names it: "Meet X at the summit in Berlin." */
  if (named && chars <= 150 && link_density (node) >= 0.9 && links.own > 0)
    return "plug-link";
  /* "Follow X", a line and not a sentence. */
  if (lead && chars <= 100 && !ends_with_punctuation (text) && starts_with_follow (text))
    return "plug-follow";
  /* "… and follow us on Facebook.", "Download our app …" */
  if (sales && we && chars <= 400)
    return "plug-follow";
  return NULL;
}

/* A paragraph anywhere in the article asking to follow the site on its networks, linked:
 * "Did you make one of my recipes? … Follow X on Facebook, Pinterest and YouTube". It
 * names the site or speaks as "we", and says what the signatures know as a plug. */
/* Whether @node has at least two links naming a social network's host: a cheap look before
 * count_plug_links() parses every link of every paragraph. */
static gboolean
has_social_links (xmlNodePtr node,
                  guint     *n)
{
  for (xmlNodePtr c = node->children; c != NULL && *n < 2; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (is_tag (c, "a"))
        {
          g_autofree char *href = attr (c, "href");

          for (guint i = 0; href != NULL && social_hosts[i] != NULL; i++)
            if (strstr (href, social_hosts[i]) != NULL)
              {
                (*n)++;
                break;
              }
        }
      else
        has_social_links (c, n);
    }
  return *n >= 2;
}

static void
remove_social_plugs (xmlNodePtr  node,
                     const Site *site,
                     GPtrArray  *removed)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE && is_tag (child, "p"))
        {
          PlugLinks links = { 0 };
          guint n_social = 0;
          guint chars = has_social_links (child, &n_social) ? text_length (child) : 0;

          if (chars > 0 && chars <= 600)
            count_plug_links (child, site, &links);
          if (links.social >= 2 && chars <= 600)
            {
              g_autofree char *text = gazette_node_text (child);
              const char *category = gazette_clutter_text_signature (text);
              guint word;

              if ((is_plug_category (category) || g_strcmp0 (category, "comments") == 0) &&
                  (speaks_as_we (text) || names_site (site, text, &word)))
                {
                  if (G_UNLIKELY (debugging ()))
                    g_printerr ("trim\tbody\tplug-social\t<p>\t%s\n", text);
                  g_ptr_array_add (removed, gazette_clutter_removal_new (
                                              child, "follow", "heuristic:social-plug"));
                  remove_node (child);
                }
            }
        }
      else if (child->type == XML_ELEMENT_NODE)
        remove_social_plugs (child, site, removed);
      child = next;
    }
}

/* Why the block at the article's start (@first) or end is not part of it, or NULL. @trimmed
 * says whether blocks after this one were trimmed already, @dated whether the article is a
 * series of dated entries. @site is NULL when the clutter filter is off: the site's own plugs
 * stay then. */
static const char *
edge_clutter_reason (xmlNodePtr  node,
                     gboolean    first,
                     gboolean    trimmed,
                     gboolean    dated,
                     const Site *site)
{
  g_autofree char *text = gazette_node_text (node);
  g_autofree char *hints = NULL;
  guint chars = text_length (node);
  const char *reason;

  if (chars == 0)
    return NULL;
  /* Dates were read into the metadata; pages repeat them above or below the text. */
  if (!dated && !is_tag (node, "li") && is_date_line (text))
    return "date";
  hints = class_and_id (node);
  if (chars < (first ? 600 : 1500) && hints[1] != '\0' && g_regex_match (edge_re, hints, 0, NULL) &&
      !is_in_series (node) && first_element_descendant (node, "h1") == NULL &&
      first_element_descendant (node, "h2") == NULL)
    return "named";
  /* The rest are what follows an article: the start of one has headings, links and named
   * blocks of its own too often. */
  if (first)
    return NULL;
  /* A heading over blocks just trimmed introduced them ("More from us", "Our services"); one
   * that ends the article heads nothing of it (a shelf of products the filter took). */
  if (trimmed && is_one_of (node, heading_tags))
    return "heading";
  if (is_bare_heading (node, chars))
    return "bare heading";
  /* A lone link that is not a sentence: "Comment via …", "Share this", a teaser's title. */
  if (chars <= 100 && link_density (node) > 0.5 && !ends_with_punctuation (text) &&
      !is_one_of (node, heading_tags))
    return "link";
  if (site != NULL && (reason = plug_reason (node, text, site)) != NULL)
    return reason;
  if (is_in_series (node))
    return NULL;
  /* A block named for what it is not (author box, post navigation, call to action); a name
   * that also says "entry" or "content" does not save an author box. */
  if (chars < 1500 && class_weight (node) < 0)
    return "class";
  if (chars < 1000 && hints[1] != '\0' && g_regex_match (byline_re, hints, 0, NULL))
    return "author";
  return NULL;
}

/* Trims what the article's container took in beside it: a run of blocks after the last
 * paragraph of the article (or before its first) that are dates, lone links, leftover headings
 * or named as not being content. Never more than a fifth of the text. */
static void
trim_edges (xmlNodePtr  article,
            const Site *site,
            GPtrArray  *removed)
{
  guint total = text_length (article);
  guint removed_chars = 0;
  gboolean trimmed = FALSE;
  /* Dated entries (a programme, a diary) are the article. */
  gboolean dated = count_date_lines (article, 3) >= 3;

  for (int first = 0; first <= 1; first++)
    {
      xmlNodePtr node = article;

      while (node != NULL)
        {
          xmlNodePtr edge = edge_block (node, first);
          const char *reason;
          guint chars;

          if (edge == NULL)
            break;
          chars = text_length (edge);
          if ((removed_chars + chars) * 5 <= total &&
              (reason = edge_clutter_reason (edge, first, trimmed && !first, dated,
                                             removed != NULL ? site : NULL)) != NULL)
            {
              if (G_UNLIKELY (debugging ()))
                {
                  g_autofree char *text = gazette_node_text (edge);
                  g_autofree char *hints = class_and_id (edge);
                  g_printerr ("trim\t%s\t%s\t<%s \"%s\">\t%s\n", first ? "head" : "tail", reason,
                              edge->name, hints, text);
                }
              removed_chars += chars;
              /* A title left over nothing introduces nothing above it. */
              trimmed = trimmed || !g_str_equal (reason, "bare heading");
              /* The site's own plugs are clutter, and listed; the rest is what an extractor
               * trims anyway (dates, leftover headings and links, furniture). */
              if (g_str_has_prefix (reason, "plug-"))
                {
                  g_autofree char *rule = g_strconcat ("heuristic:site-", reason, NULL);

                  g_ptr_array_add (removed, gazette_clutter_removal_new (
                                              edge, g_str_equal (reason, "plug-follow")
                                                    ? "follow" : "promo", rule));
                }
              remove_node (edge);
              continue;
            }
          if (G_UNLIKELY (debugging ()))
            {
              g_autofree char *text = gazette_node_text (edge);
              g_autofree char *hints = class_and_id (edge);
              g_printerr ("edge\t%s\tkept\t<%s \"%s\">\t%.200s\n", first ? "head" : "tail",
                          edge->name, hints, text);
            }
          if (is_paragraph_like (edge) || !has_block_inside (edge))
            break;
          node = edge;
        }
    }
}

/* ---------- text output ---------- */

static const char *text_blocks[] = {
  "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "table",
  "section", "article", "figure", "figcaption", "dd", "dt", "dl", "ul", "ol", "header",
  "footer", "address", "hr", "main", "aside", "caption", "details", "summary", NULL,
};

typedef struct {
  GString *out;    /* finished paragraphs */
  GString *line;   /* the paragraph being built */
  gboolean space;
} TextBuilder;

static void
text_flush (TextBuilder *b)
{
  while (b->line->len > 0 && b->line->str[b->line->len - 1] == ' ')
    g_string_truncate (b->line, b->line->len - 1);
  if (b->line->len > 0)
    {
      if (b->out->len > 0)
        g_string_append (b->out, "\n\n");
      g_string_append_len (b->out, b->line->str, b->line->len);
    }
  g_string_truncate (b->line, 0);
  b->space = FALSE;
}

static void
text_walk (TextBuilder *b,
           xmlNodePtr   node,
           gboolean     pre)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        {
          for (const char *p = (const char *) child->content; p != NULL && *p; p++)
            {
              if (pre && *p == '\n')
                {
                  g_string_append_c (b->line, '\n');
                  b->space = FALSE;
                }
              else if (g_ascii_isspace (*p))
                b->space = b->line->len > 0;
              else
                {
                  if (b->space)
                    g_string_append_c (b->line, ' ');
                  b->space = FALSE;
                  g_string_append_c (b->line, *p);
                }
            }
        }
      else if (child->type == XML_ELEMENT_NODE)
        {
          gboolean block = is_one_of (child, text_blocks);

          if (is_tag (child, "br"))
            {
              g_string_append_c (b->line, '\n');
              b->space = FALSE;
              continue;
            }
          if (is_tag (child, "td") || is_tag (child, "th"))
            b->space = b->line->len > 0;
          if (block)
            text_flush (b);
          text_walk (b, child, pre || is_tag (child, "pre"));
          if (block)
            text_flush (b);
        }
    }
}

static char *
article_text (xmlNodePtr node)
{
  TextBuilder b = { g_string_new (NULL), g_string_new (NULL), FALSE };

  text_walk (&b, node, FALSE);
  text_flush (&b);
  g_string_free (b.line, TRUE);
  return g_string_free (b.out, FALSE);
}

static guint
count_words (const char *text)
{
  guint n = 0;
  gboolean in = FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeScript script = g_unichar_get_script (c);

      /* Chinese and Japanese do not separate words: count their characters. */
      if (script == G_UNICODE_SCRIPT_HAN || script == G_UNICODE_SCRIPT_HIRAGANA ||
          script == G_UNICODE_SCRIPT_KATAKANA)
        {
          n++;
          in = FALSE;
          continue;
        }
      if (g_unichar_isalnum (c))
        {
          if (!in)
            n++;
          in = TRUE;
        }
      else
        in = FALSE;
    }
  return n;
}

/* ---------- the whole ---------- */

static gboolean
looks_like_html (const char *data,
                 gsize       length)
{
  gsize n = MIN (length, 4096);
  guint zeros = 0;

  for (gsize i = 0; i < n; i++)
    if (data[i] == '\0')
      zeros++;
  if (zeros > n / 10)
    return FALSE;
  return memchr (data, '<', n) != NULL;
}

/* libxml2 2.9 starts a second <html> element for content after a stray </html>: its children
 * belong to the page like the rest. */
static void
merge_roots (xmlDocPtr doc)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);
  xmlNodePtr next;

  if (root == NULL)
    return;
  for (xmlNodePtr other = root->next; other != NULL; other = next)
    {
      next = other->next;
      if (other->type != XML_ELEMENT_NODE)
        continue;
      for (xmlNodePtr child = other->children; child != NULL;)
        {
          xmlNodePtr after = child->next;

          xmlUnlinkNode (child);
          xmlAddChild (root, child);
          child = after;
        }
      remove_node (other);
    }
}

static char *
document_base (xmlDocPtr   doc,
               const char *url)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);
  xmlNodePtr head = NULL;

  for (xmlNodePtr c = root != NULL ? root->children : NULL; c != NULL; c = c->next)
    if (is_tag (c, "head"))
      head = c;
  if (head != NULL)
    {
      xmlNodePtr base = first_element_descendant (head, "base");

      if (base != NULL)
        {
          g_autofree char *href = attr (base, "href");

          if (href != NULL && *href != '\0')
            {
              if (url != NULL)
                {
                  char *resolved = g_uri_resolve_relative (url, href, G_URI_FLAGS_PARSE_RELAXED, NULL);
                  if (resolved != NULL)
                    return resolved;
                }
              else if (g_str_has_prefix (href, "http://") || g_str_has_prefix (href, "https://"))
                return g_steal_pointer (&href);
            }
        }
    }
  return g_strdup (url);
}

static void
apply_filter (const GazetteExtractOptions *options,
              xmlDocPtr                    doc,
              xmlNodePtr                   scope,
              GazetteClutterPhase          phase,
              GPtrArray                   *removed)
{
  if (options->no_filter)
    return;
  gazette_clutter_filter_apply (options->filter != NULL ? options->filter
                                                        : gazette_clutter_filter_get_default (),
                                doc, scope, options->url, phase, removed);
}

/* One attempt at the page in @utf8; @lenient keeps "unlikely" blocks and ignores class hints.
 * Sets @page_words to the words of the visible page. */
static GazetteArticleContent *
extract_attempt (const char                  *utf8,
                 gsize                        utf8_length,
                 const GazetteExtractOptions *options,
                 gboolean                     lenient,
                 guint                       *page_words,
                 GError                     **error)
{
  g_autoptr(GazetteArticleContent) content = NULL;
  g_autofree char *base = NULL;
  xmlDocPtr doc;
  xmlNodePtr body, top, article;
  Scoring scoring;
  double top_score = 0;
  gboolean title_removed = FALSE;

  ignore_hints = lenient;
  doc = htmlReadMemory (utf8, (int) MIN (utf8_length, G_MAXINT), options->url, "UTF-8",
                        HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                        HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
  if (doc == NULL || (body = find_body (doc)) == NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_HTML, _("The page could not be read as HTML"));
      return NULL;
    }

  merge_roots (doc);
  content = g_new0 (GazetteArticleContent, 1);
  content->removed = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_clutter_removal_free);
  gazette_metadata_read (doc, options->url, content);
  base = document_base (doc, options->url);

  if (G_UNLIKELY (debugging ()))
    g_printerr ("parsed: %u chars\n", text_length (xmlDocGetRootElement (doc)));
  prepare (xmlDocGetRootElement (doc));
  if (G_UNLIKELY (debugging ()))
    g_printerr ("prepared: %u chars\n", text_length (xmlDocGetRootElement (doc)));
  apply_filter (options, doc, NULL, GAZETTE_CLUTTER_PHASE_PAGE, content->removed);
  drop_controls (xmlDocGetRootElement (doc));
  /* libxml2 2.9 puts content that follows a stray </body> beside the body, under <html>: with
   * the head gone, the root is the page's whole visible content. */
  body = xmlDocGetRootElement (doc);
  if (G_UNLIKELY (debugging ()))
    g_printerr ("filtered: %u chars\n", text_length (body));
  {
    g_autofree char *page_text = article_text (body);
    *page_words = count_words (page_text);
  }
  if (!lenient)
    remove_unlikely (body, text_length (body));
  if (G_UNLIKELY (debugging ()))
    g_printerr ("likely: %u chars\n", text_length (body));

  scoring.scores = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  scoring.prose = g_hash_table_new (NULL, NULL);
  scoring.candidates = g_array_new (FALSE, FALSE, sizeof (xmlNodePtr));
  scoring.readerable = 0;
  score_paragraphs (&scoring, body);
  top = choose_top (&scoring, body, &top_score);
  if (G_UNLIKELY (debugging ()))
    {
      debug_trace (body, "page");
      g_autofree char *hints = class_and_id (top);
      g_printerr ("top: <%s> \"%s\" score %.1f, %u chars\n", top->name, hints, top_score,
                  text_length (top));
    }
  article = gather_article (&scoring, doc, top, top_score, body);
  if (G_UNLIKELY (debugging ()))
    {
      g_printerr ("gathered: %u chars\n", text_length (article));
      debug_trace (article, "gathered");
    }
  /* Keep the article inside the document so that it is freed with it. */
  xmlAddChild (body, article);
  content->readerable = scoring.readerable > 20;
  g_hash_table_unref (scoring.scores);
  g_hash_table_unref (scoring.prose);
  g_array_unref (scoring.candidates);

  apply_filter (options, doc, article, GAZETTE_CLUTTER_PHASE_ARTICLE, content->removed);
  clean_headers (article, content->title, content->byline, &title_removed);
  if (G_UNLIKELY (debugging ()))
    g_printerr ("after filter and headers: %u chars\n", text_length (article));
  /* What the extractor itself takes out as clutter goes only with the filter on, and is listed
   * with what the filter removed. */
  if (!options->no_filter)
    remove_calls_to_action (article, content->removed);
  clean_conditionally (article);
  remove_empty (article);
  {
    Site site;

    site_init (&site, content->site_name, base != NULL ? base : options->url);
    if (!options->no_filter)
      remove_social_plugs (article, &site, content->removed);
    trim_edges (article, &site, options->no_filter ? NULL : content->removed);
    site_clear (&site);
  }
  remove_publication_date (article);
  remove_empty (article);
  if (G_UNLIKELY (debugging ()))
    {
      g_printerr ("cleaned: %u chars\n", text_length (article));
      debug_trace (article, "cleaned");
    }

  content->text = article_text (article);
  content->words = count_words (content->text);
  if (content->words == 0)
    {
      xmlFreeDoc (doc);
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NO_ARTICLE,
                   _("No article was found on this page"));
      return NULL;
    }
  content->html = gazette_sanitize_html_node (article, base);

  if (content->excerpt == NULL)
    {
      /* The first paragraph long enough to say what the article is about. */
      g_auto(GStrv) paragraphs = g_strsplit (content->text, "\n\n", -1);

      for (guint i = 0; paragraphs[i] != NULL; i++)
        if (g_utf8_strlen (paragraphs[i], -1) >= 80)
          {
            content->excerpt = g_utf8_substring (paragraphs[i], 0, MIN (g_utf8_strlen (paragraphs[i], -1), 300));
            break;
          }
    }
  if (content->title == NULL)
    content->title = g_strdup ("");

  xmlFreeDoc (doc);
  return g_steal_pointer (&content);
}

GazetteArticleContent *
gazette_extract (const char                  *html,
                 gsize                        length,
                 const GazetteExtractOptions *options,
                 GError                     **error)
{
  static const GazetteExtractOptions no_options = { NULL, NULL, FALSE };
  g_autoptr(GazetteArticleContent) content = NULL;
  g_autoptr(GazetteArticleContent) second = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autofree char *utf8 = NULL;
  gsize utf8_length = 0;
  guint page_words = 0, ignored = 0;

  if (options == NULL)
    options = &no_options;
  init_patterns ();

  if (html == NULL || length == 0)
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_HTML, _("The page is empty"));
      return NULL;
    }
  if (!looks_like_html (html, length))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_HTML, _("This is not a web page"));
      return NULL;
    }

  utf8 = gazette_to_utf8 (html, length, options->content_type, &utf8_length);
  content = extract_attempt (utf8, utf8_length, options, FALSE, &page_words, &first_error);
  if (content == NULL && !g_error_matches (first_error, GAZETTE_ERROR, GAZETTE_ERROR_NO_ARTICLE))
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }

  /* Next to nothing found on a page with plenty of text: the hints misled us (a whole page
   * wrapped in class="sidebar-layout", a "widget" per paragraph). Try again trusting the text
   * alone, and keep that when it finds clearly more. */
  if ((content == NULL || content->words < 80) && page_words >= 150)
    {
      second = extract_attempt (utf8, utf8_length, options, TRUE, &ignored, NULL);
      if (second != NULL && (content == NULL || second->words >= content->words * 3))
        {
          g_clear_pointer (&content, gazette_article_content_free);
          content = g_steal_pointer (&second);
        }
    }
  if (content == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }
  return g_steal_pointer (&content);
}

void
gazette_article_content_free (GazetteArticleContent *content)
{
  if (content == NULL)
    return;
  g_free (content->title);
  g_free (content->byline);
  g_free (content->site_name);
  g_free (content->published);
  g_free (content->lang);
  g_free (content->dir);
  g_free (content->lead_image);
  g_free (content->excerpt);
  g_free (content->html);
  g_free (content->text);
  g_clear_pointer (&content->removed, g_ptr_array_unref);
  g_free (content);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

char *
gazette_article_content_to_json (const GazetteArticleContent *content,
                                 gboolean                     pretty)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_string (b, "title", content->title);
  add_string (b, "byline", content->byline);
  add_string (b, "site_name", content->site_name);
  add_string (b, "published", content->published);
  add_string (b, "lang", content->lang);
  add_string (b, "dir", content->dir);
  add_string (b, "lead_image", content->lead_image);
  add_string (b, "excerpt", content->excerpt);
  json_builder_set_member_name (b, "readerable");
  json_builder_add_boolean_value (b, content->readerable);
  add_string (b, "html", content->html);
  add_string (b, "text", content->text);
  json_builder_set_member_name (b, "words");
  json_builder_add_int_value (b, content->words);
  json_builder_set_member_name (b, "removed");
  json_builder_begin_array (b);
  for (guint i = 0; content->removed != NULL && i < content->removed->len; i++)
    {
      GazetteClutterRemoval *r = g_ptr_array_index (content->removed, i);

      json_builder_begin_object (b);
      add_string (b, "reason", r->reason);
      add_string (b, "rule", r->rule);
      add_string (b, "excerpt", r->excerpt);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  return json_generator_to_data (gen, NULL);
}

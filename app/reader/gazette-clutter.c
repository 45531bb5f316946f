/* gazette-clutter.c — removes what is not the article: appeals, paywall prompts, newsletter
 * boxes, cookie banners, share bars, related lists, comments, ads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three passes over the subtree, sharing one flattened, lower-cased copy of its text:
 *  - filter rules (ours, and EasyList's cosmetic rules when installed);
 *  - hidden elements and fixed overlays / dialogs;
 *  - blocks judged by structure (class/id/role/data-* tokens), shape (buttons, forms, link
 *    density, size) and text signatures (data/rules/signatures.txt).
 * The article's own text is protected: the "main run" (the element holding the most paragraph
 * text directly) and its ancestors are never removed, and one of its paragraphs goes only when
 * it is itself a call to action (mostly links, or a label such as "Advertisement").
 */
#include "config.h"

#include "gazette-clutter.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "gazette-filter-list.h"
#include "gazette-reader-resources.h"

#define RESOURCE_PREFIX "/org/gazette/Gazette/reader/rules/"

typedef enum {
  SIG_PLAIN,
  SIG_WHOLE,
  SIG_PREFIX,
} SigKind;

typedef struct
{
  char    *category;
  char    *lang;
  char    *phrase;
  SigKind  kind;
  gboolean cjk;
} Signature;

typedef struct
{
  GPtrArray  *all;      /* Signature*, owned */
  GPtrArray  *plain;
  GPtrArray  *prefix;
  GHashTable *whole;    /* normalised phrase → Signature* */
  GHashTable *tokens;   /* structural token → category */
} Signatures;

struct _GazetteClutterFilter
{
  GazetteFilterList *rules;
  /* The default filter's rules, under @rules (a user list); not owned. */
  GazetteFilterList *base;
  gboolean           is_default;
  gboolean           easylist_loaded;   /* the default filter's, or the one under @base */
};

/* Plain words for each category: GazetteClutterRemoval.reason. */
static const struct {
  const char *category;
  const char *reason;
} reasons[] = {
  { "appeal", N_("donation appeal") },
  { "paywall", N_("subscription prompt") },
  { "newsletter", N_("newsletter sign-up") },
  { "cookie", N_("cookie notice") },
  { "share", N_("share buttons") },
  { "follow", N_("social media links") },
  { "related", N_("related links") },
  { "comments", N_("comments") },
  { "ad", N_("advertisement") },
  { "app", N_("app promotion") },
  { "push", N_("notification prompt") },
  { "author", N_("author box") },
  { "login", N_("sign-up prompt") },
  { "tools", N_("article tools") },
  { "overlay", N_("overlay") },
  { "hidden", N_("hidden element") },
  { "rule", N_("blocked by a filter rule") },
};

/* Structural tokens (from class, id, role and data-* attributes, split on - _ and camelCase).
 * "overlay" and "fixed" only say where a block sits; they need text to go with them. */
static const struct {
  const char *token;
  const char *category;
} structural_tokens[] = {
  { "donate", "appeal" }, { "donation", "appeal" }, { "donations", "appeal" },
  { "contribute", "appeal" }, { "contribution", "appeal" }, { "contributions", "appeal" },
  { "support", "appeal" }, { "membership", "appeal" }, { "crowdfund", "appeal" },
  { "crowdfunding", "appeal" }, { "fundraising", "appeal" }, { "patreon", "appeal" },
  { "paywall", "paywall" }, { "regwall", "paywall" }, { "subscription", "paywall" },
  { "premium", "paywall" }, { "metered", "paywall" }, { "meter", "paywall" },
  { "newsletter", "newsletter" }, { "newsletters", "newsletter" }, { "signup", "newsletter" },
  { "optin", "newsletter" }, { "subscribe", "newsletter" }, { "mailing", "newsletter" },
  { "cookie", "cookie" }, { "cookies", "cookie" }, { "consent", "cookie" },
  { "gdpr", "cookie" },
  { "share", "share" }, { "shares", "share" }, { "sharing", "share" }, { "sharebar", "share" },
  { "social", "follow" }, { "follow", "follow" },
  { "related", "related" }, { "recommended", "related" }, { "recommendations", "related" },
  { "readmore", "related" }, { "popular", "related" }, { "trending", "related" },
  { "ranking", "related" }, { "outbrain", "related" }, { "taboola", "related" },
  { "comments", "comments" }, { "comment", "comments" }, { "discussion", "comments" },
  { "responses", "comments" }, { "disqus", "comments" },
  { "ad", "ad" }, { "ads", "ad" }, { "advert", "ad" }, { "advertisement", "ad" },
  { "adslot", "ad" }, { "adsbygoogle", "ad" }, { "sponsor", "ad" }, { "sponsored", "ad" },
  { "promo", "ad" }, { "banner", "ad" }, { "dfp", "ad" },
  { "push", "push" }, { "notification", "push" }, { "notifications", "push" },
  { "modal", "overlay" }, { "overlay", "overlay" }, { "popup", "overlay" },
  { "dialog", "overlay" }, { "interstitial", "overlay" }, { "lightbox", "overlay" },
  { "fixed", "overlay" }, { "toast", "overlay" },
};

static const char *
category_reason (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].category, category))
      return _(reasons[i].reason);
  return _("page clutter");
}

void
gazette_clutter_removal_free (GazetteClutterRemoval *removal)
{
  if (removal == NULL)
    return;
  g_free (removal->reason);
  g_free (removal->rule);
  g_free (removal->excerpt);
  g_free (removal);
}

/* --- text ------------------------------------------------------------------------------ */

static gboolean
is_cjk (gunichar c)
{
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF)
         || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF)
         || (c >= 0xAC00 && c <= 0xD7AF);
}

static gunichar
fold_char (gunichar c)
{
  if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x0060)
    return '\'';
  return g_unichar_tolower (c);
}

/* Appends @text folded: lower case, ’ as ', whitespace runs as one space. */
static void
append_folded (GString    *out,
               const char *text,
               gboolean   *pending_space)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isspace (c) || c == 0xA0 || c == 0x202F || c == 0x2009)
        {
          *pending_space = TRUE;
          continue;
        }
      if (*pending_space && out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
      *pending_space = FALSE;
      g_string_append_unichar (out, fold_char (c));
    }
}

/* For "=" and "^" signatures: letters only, other runs as one space. */
static char *
normalize_label (const char *text,
                 gssize      length)
{
  GString *out = g_string_new (NULL);
  const char *end = length < 0 ? text + strlen (text) : text + length;
  gboolean space = FALSE;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = fold_char (g_utf8_get_char (p));

      if (g_unichar_isalpha (c) || g_unichar_ismark (c) || c == '\'')
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
      else
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

/* --- signatures ------------------------------------------------------------------------ */

static void
signature_free (Signature *sig)
{
  g_free (sig->category);
  g_free (sig->lang);
  g_free (sig->phrase);
  g_free (sig);
}

static void
ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      /* Referencing the getter links the resource out of the static library; register it
       * unless a constructor already did. */
      GResource *resource = gazette_reader_get_resource ();

      if (!g_resources_get_info (RESOURCE_PREFIX "signatures.txt", G_RESOURCE_LOOKUP_FLAGS_NONE,
                                 NULL, NULL, NULL))
        g_resources_register (resource);
      g_once_init_leave (&registered, 1);
    }
}

static GBytes *
lookup_resource (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX, name, NULL);

  ensure_resources ();
  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

static Signatures *
signatures_load (void)
{
  Signatures *sigs = g_new0 (Signatures, 1);
  g_autoptr(GBytes) bytes = lookup_resource ("signatures.txt");
  g_auto(GStrv) lines = NULL;

  sigs->all = g_ptr_array_new_with_free_func ((GDestroyNotify) signature_free);
  sigs->plain = g_ptr_array_new ();
  sigs->prefix = g_ptr_array_new ();
  sigs->whole = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sigs->tokens = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (structural_tokens); i++)
    g_hash_table_insert (sigs->tokens, (gpointer) structural_tokens[i].token,
                         (gpointer) structural_tokens[i].category);

  if (bytes == NULL)
    {
      g_warning ("The clutter signatures are missing from the resources");
      return sigs;
    }
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

    lines = g_strsplit (text, "\n", -1);
  }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;
      Signature *sig;
      const char *phrase;
      gboolean pending = FALSE;
      g_autoptr(GString) folded = g_string_new (NULL);

      g_strstrip (lines[i]);
      if (*lines[i] == '\0' || *lines[i] == '#')
        continue;
      parts = g_strsplit_set (lines[i], " \t", 3);
      if (g_strv_length (parts) < 3 || *parts[2] == '\0')
        {
          g_warning ("signatures.txt line %u: expected CATEGORY LANG PHRASE", i + 1);
          continue;
        }
      sig = g_new0 (Signature, 1);
      sig->category = g_strdup (parts[0]);
      sig->lang = g_strdup (parts[1]);
      phrase = g_strstrip (parts[2]);
      sig->kind = *phrase == '=' ? SIG_WHOLE : *phrase == '^' ? SIG_PREFIX : SIG_PLAIN;
      if (sig->kind != SIG_PLAIN)
        sig->phrase = normalize_label (phrase + 1, -1);
      else
        {
          append_folded (folded, phrase, &pending);
          sig->phrase = g_strdup (folded->str);
        }
      sig->cjk = is_cjk (g_utf8_get_char (sig->phrase));
      if (*sig->phrase == '\0')
        {
          signature_free (sig);
          continue;
        }
      g_ptr_array_add (sigs->all, sig);
      if (sig->kind == SIG_PLAIN)
        g_ptr_array_add (sigs->plain, sig);
      else if (sig->kind == SIG_PREFIX)
        g_ptr_array_add (sigs->prefix, sig);
      else
        g_hash_table_insert (sigs->whole, g_strdup (sig->phrase), sig);
    }
  return sigs;
}

static Signatures *
get_signatures (void)
{
  static Signatures *sigs;

  if (g_once_init_enter (&sigs))
    g_once_init_leave (&sigs, signatures_load ());
  return sigs;
}

/* --- filters --------------------------------------------------------------------------- */

/* Debian's uBlock Origin packages carry EasyList; the path differs between builds. */
static const char * const easylist_paths[] = {
  "/usr/share/webext/ublock-origin/assets/thirdparties/easylist/easylist.txt",
  "/usr/share/chromium/extensions/ublock-origin/assets/thirdparties/easylist/easylist.txt",
  "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/uBlock0@raymondhill.net/assets/thirdparties/easylist/easylist.txt",
};

static GazetteClutterFilter *
filter_new (void)
{
  GazetteClutterFilter *filter = g_new0 (GazetteClutterFilter, 1);

  filter->rules = gazette_filter_list_new ();
  get_signatures ();
  return filter;
}

static GazetteClutterFilter *
load_default (void)
{
  GazetteClutterFilter *filter = filter_new ();
  g_autoptr(GBytes) ours = lookup_resource ("gazette-filters.txt");
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  const char *override = g_getenv ("GAZETTE_EASYLIST");

  filter->is_default = TRUE;
  if (ours != NULL)
    gazette_filter_list_add_text (filter->rules, g_bytes_get_data (ours, NULL),
                                  g_bytes_get_size (ours), warnings);
  for (guint i = 0; i < warnings->len; i++)
    g_warning ("gazette-filters.txt %s", (char *) g_ptr_array_index (warnings, i));

  /* GAZETTE_EASYLIST names another list; empty turns it off (tests). */
  for (guint i = 0; override == NULL ? i < G_N_ELEMENTS (easylist_paths) : i < 1; i++)
    {
      const char *path = override != NULL ? override : easylist_paths[i];
      g_autofree char *text = NULL;
      gsize length;

      if (*path == '\0' || !g_file_get_contents (path, &text, &length, NULL))
        continue;
      /* EasyList's unindexable generic rules test ad links and frames, which the extractor
       * drops anyway; each would cost a walk of every page. */
      gazette_filter_list_set_accept_unkeyed (filter->rules, FALSE);
      gazette_filter_list_add_text (filter->rules, text, length, NULL);
      gazette_filter_list_set_accept_unkeyed (filter->rules, TRUE);
      filter->easylist_loaded = TRUE;
      g_debug ("EasyList from %s: %u rules, %u skipped, %u invalid", path,
               gazette_filter_list_get_n_rules (filter->rules),
               gazette_filter_list_get_n_skipped (filter->rules),
               gazette_filter_list_get_n_invalid (filter->rules));
      break;
    }
  return filter;
}

GazetteClutterFilter *
gazette_clutter_filter_get_default (void)
{
  static GazetteClutterFilter *filter;

  if (g_once_init_enter (&filter))
    g_once_init_leave (&filter, load_default ());
  return filter;
}

GazetteClutterFilter *
gazette_clutter_filter_new_from_rules (const char *rules_text,
                                       GPtrArray  *out_warnings)
{
  GazetteClutterFilter *filter = filter_new ();

  if (rules_text != NULL)
    gazette_filter_list_add_text (filter->rules, rules_text, -1, out_warnings);
  return filter;
}

GazetteClutterFilter *
gazette_clutter_filter_new_with_user_rules (const char *user_text,
                                            GPtrArray  *out_warnings)
{
  GazetteClutterFilter *filter = gazette_clutter_filter_new_from_rules (user_text, out_warnings);

  filter->base = gazette_clutter_filter_get_default ()->rules;
  filter->easylist_loaded = gazette_clutter_filter_get_default ()->easylist_loaded;
  return filter;
}

gboolean
gazette_clutter_filter_get_easylist_loaded (GazetteClutterFilter *filter)
{
  g_return_val_if_fail (filter != NULL, FALSE);
  return filter->easylist_loaded;
}

guint
gazette_clutter_filter_add_rules (GazetteClutterFilter *filter,
                                  const char           *rules_text,
                                  GPtrArray            *out_warnings)
{
  g_return_val_if_fail (filter != NULL, 0);
  g_return_val_if_fail (!filter->is_default, 0);

  if (rules_text == NULL)
    return 0;
  return gazette_filter_list_add_text (filter->rules, rules_text, -1, out_warnings);
}

/* Own rules first: a user's exception then also spares the default rules after them. */
static void
get_lists (GazetteClutterFilter *filter,
           GazetteFilterList    *lists[3])
{
  lists[0] = filter->rules;
  lists[1] = filter->base;
  lists[2] = NULL;
}

char *
gazette_clutter_filter_to_content_blocker_json (GazetteClutterFilter *filter,
                                                const char           *host)
{
  GazetteFilterList *lists[3];

  g_return_val_if_fail (filter != NULL, NULL);
  get_lists (filter, lists);
  return gazette_filter_lists_to_content_blocker_json (lists, host);
}

char *
gazette_clutter_filter_to_style_sheet (GazetteClutterFilter *filter,
                                       const char           *host)
{
  GazetteFilterList *lists[3];

  g_return_val_if_fail (filter != NULL, NULL);
  get_lists (filter, lists);
  return gazette_filter_lists_to_style_sheet (lists, host);
}

char *
gazette_clutter_site_rule_for_node (const char *url,
                                    xmlNodePtr  element)
{
  g_autofree char *host = NULL;
  g_autofree char *selector = NULL;
  const char *h;

  g_return_val_if_fail (element != NULL, NULL);
  if (url == NULL)
    return NULL;
  if (strstr (url, "://") != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        return NULL;
      host = g_ascii_strdown (g_uri_get_host (uri), -1);
    }
  else
    host = g_ascii_strdown (url, -1);
  h = g_str_has_prefix (host, "www.") && strchr (host + 4, '.') != NULL ? host + 4 : host;
  if (*h == '\0')
    return NULL;
  selector = gazette_selector_for_node (element);
  return g_strconcat (h, "##", selector, NULL);
}

guint
gazette_clutter_filter_get_n_rules (GazetteClutterFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);
  return gazette_filter_list_get_n_rules (filter->rules) +
         (filter->base != NULL ? gazette_filter_list_get_n_rules (filter->base) : 0);
}

void
gazette_clutter_filter_free (GazetteClutterFilter *filter)
{
  /* The default filter lives as long as the process. */
  if (filter == NULL || filter->is_default)
    return;
  gazette_filter_list_free (filter->rules);
  g_free (filter);
}

/* --- one application ------------------------------------------------------------------- */

typedef struct
{
  xmlNodePtr node;
  guint      start, end;   /* byte range in Apply.flat */
  guint      links;        /* bytes of text inside links */
  guint      buttons;      /* buttons, submit inputs */
  guint      inputs;       /* text/e-mail inputs, selects, forms */
  guint      direct_prose; /* bytes of paragraphs that are direct children */
  guint      h1;           /* <h1> below */
  guint      prose;        /* bytes of paragraph and list-item text below, links excepted */
} Block;

typedef struct
{
  guint            start, end;
  const Signature *sig;
  xmlNodePtr       node;   /* the element a "=" or "^" signature matched, else NULL */
} Hit;

typedef struct
{
  Signatures  *sigs;
  GString     *flat;
  GArray      *blocks;      /* Block, in document order */
  GHashTable  *index;       /* node → index + 1 in blocks */
  GArray      *hits;        /* Hit, by start */
  GHashTable  *marked;      /* node → GazetteClutterRemoval* (not yet appended) */
  GPtrArray   *order;       /* marked nodes in marking order */
  GHashTable  *protected;   /* the main run and its ancestors */
  xmlNodePtr   scope;
  xmlNodePtr   main;
  guint        main_len;
  guint        scope_len;
} Apply;

static gboolean
name_is (xmlNodePtr  node,
         const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->name != NULL
         && g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static gboolean
name_in (xmlNodePtr         node,
         const char * const names[])
{
  for (guint i = 0; names[i] != NULL; i++)
    if (name_is (node, names[i]))
      return TRUE;
  return FALSE;
}

static const char * const skipped_tags[] = { "script", "style", "noscript", "template", "svg",
                                             "head", NULL };
static const char * const inline_tags[] = { "a", "span", "b", "i", "em", "strong", "small",
                                            "sup", "sub", "u", "mark", "abbr", "time", "code",
                                            "q", "cite", "s", "font", "label", NULL };
static const char * const prose_tags[] = { "p", "blockquote", "pre", "li", "h1", "h2", "h3",
                                           "h4", "h5", "h6", "figcaption", "td", "th", "dd",
                                           "dt", NULL };
static const char * const block_tags[] = { "div", "section", "aside", "form", "footer",
                                           "header", "nav", "ul", "ol", "dl", "table", "figure",
                                           "dialog", "details", "ins", "center", "menu",
                                           "article", NULL };

static char *
get_attr (xmlNodePtr  node,
          const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static Block *
block_of (Apply      *apply,
          xmlNodePtr  node)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (apply->index, node));

  return i == 0 ? NULL : &g_array_index (apply->blocks, Block, i - 1);
}

#define NO_PARENT G_MAXUINT

/* Fills apply->blocks; indices, not pointers, as the array grows meanwhile. */
static void
measure (Apply      *apply,
         xmlNodePtr  node,
         gboolean    in_link,
         gboolean   *pending_space,
         guint       parent_index)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        {
          gsize before = apply->flat->len;

          if (node->content != NULL)
            append_folded (apply->flat, (const char *) node->content, pending_space);
          if (in_link && parent_index != NO_PARENT)
            g_array_index (apply->blocks, Block, parent_index).links += apply->flat->len - before;
          continue;
        }
      if (node->type != XML_ELEMENT_NODE || name_in (node, skipped_tags))
        continue;
      {
        Block block = { 0 };
        guint i = apply->blocks->len;
        gboolean is_inline = name_in (node, inline_tags);
        gboolean link = in_link || name_is (node, "a");
        Block *self;

        if (!is_inline)
          *pending_space = TRUE;
        block.node = node;
        block.start = apply->flat->len;
        g_array_append_val (apply->blocks, block);
        g_hash_table_insert (apply->index, node, GUINT_TO_POINTER (i + 1));
        measure (apply, node->children, link, pending_space, i);
        if (!is_inline)
          *pending_space = TRUE;
        self = &g_array_index (apply->blocks, Block, i);
        self->end = apply->flat->len;
        if (name_is (node, "button") || xmlHasProp (node, (const xmlChar *) "onclick"))
          self->buttons++;
        else if (name_is (node, "input"))
          {
            g_autofree char *type = get_attr (node, "type");

            if (type != NULL && (g_ascii_strcasecmp (type, "submit") == 0
                                 || g_ascii_strcasecmp (type, "button") == 0))
              self->buttons++;
            else if (type == NULL || g_ascii_strcasecmp (type, "hidden") != 0)
              self->inputs++;
          }
        else if (name_is (node, "form") || name_is (node, "select")
                 || name_is (node, "textarea"))
          self->inputs++;
        else if (name_is (node, "h1"))
          self->h1++;
        if (name_is (node, "p") || name_is (node, "pre") || name_is (node, "blockquote")
            || name_is (node, "li") || name_is (node, "dd"))
          {
            guint len = self->end - self->start;

            if (len >= 40 && len > self->links + self->prose)
              self->prose = len - self->links;
          }
        if (parent_index != NO_PARENT)
          {
            Block *parent = &g_array_index (apply->blocks, Block, parent_index);

            parent->links += self->links;
            parent->buttons += self->buttons;
            parent->inputs += self->inputs;
            parent->h1 += self->h1;
            parent->prose += self->prose;
            if (name_is (node, "p") || name_is (node, "pre") || name_is (node, "blockquote"))
              {
                guint len = self->end - self->start;

                if (len >= 40 && len > self->links)
                  parent->direct_prose += len - self->links;
              }
          }
      }
    }
}

static gboolean
is_boundary (const char *flat,
             gsize       length,
             gssize      at,
             gboolean    before)
{
  gunichar c;

  if (at < 0 || (gsize) at >= length)
    return TRUE;
  if (before)
    c = g_utf8_get_char (g_utf8_find_prev_char (flat, flat + at + 1));
  else
    c = g_utf8_get_char (flat + at);
  return !g_unichar_isalnum (c);
}

static int
hit_compare (gconstpointer a,
             gconstpointer b)
{
  const Hit *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

static int
compare_guint64 (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
find_hits (Apply *apply)
{
  const char *flat = apply->flat->str;
  gsize length = apply->flat->len;
  GPtrArray *plain = apply->sigs->plain;
  g_autoptr(GHashTable) by_bigram = g_hash_table_new_full (NULL, NULL, NULL,
                                                           (GDestroyNotify) g_array_unref);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint64));

  /* One pass over the text for all phrases, each position looking up the phrases that start
   * with its two bytes, instead of a scan of the whole text per phrase. */
  for (guint i = 0; i < plain->len; i++)
    {
      const Signature *sig = g_ptr_array_index (plain, i);
      guint key;
      GArray *bucket;

      if (sig->phrase[0] == '\0' || sig->phrase[1] == '\0')
        continue;
      key = ((guchar) sig->phrase[0] << 8) | (guchar) sig->phrase[1];
      bucket = g_hash_table_lookup (by_bigram, GUINT_TO_POINTER (key + 1));
      if (bucket == NULL)
        {
          bucket = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_bigram, GUINT_TO_POINTER (key + 1), bucket);
        }
      g_array_append_val (bucket, i);
    }
  for (gsize at = 0; at + 1 < length; at++)
    {
      guint key = ((guchar) flat[at] << 8) | (guchar) flat[at + 1];
      GArray *bucket = g_hash_table_lookup (by_bigram, GUINT_TO_POINTER (key + 1));

      for (guint j = 0; bucket != NULL && j < bucket->len; j++)
        {
          guint index = g_array_index (bucket, guint, j);
          const Signature *sig = g_ptr_array_index (plain, index);
          gsize plen = strlen (sig->phrase);
          guint64 entry;

          if (at + plen > length || memcmp (flat + at, sig->phrase, plen) != 0)
            continue;
          if (!sig->cjk && (!is_boundary (flat, length, (gssize) at - 1, TRUE)
                            || !is_boundary (flat, length, at + plen, FALSE)))
            continue;
          entry = ((guint64) index << 40) | at;
          g_array_append_val (found, entry);
        }
    }
  /* Hits in the order the per-phrase scans gave them: by phrase, then by position. */
  g_array_sort (found, compare_guint64);
  for (guint i = 0; i < found->len; i++)
    {
      guint64 entry = g_array_index (found, guint64, i);
      const Signature *sig = g_ptr_array_index (plain, (guint) (entry >> 40));
      gssize at = (gssize) (entry & G_GUINT64_CONSTANT (0xFFFFFFFFFF));
      Hit hit = { at, at + (gssize) strlen (sig->phrase), sig, NULL };

      g_array_append_val (apply->hits, hit);
    }
  for (guint i = 0; i < apply->blocks->len; i++)
    {
      Block *b = &g_array_index (apply->blocks, Block, i);
      g_autofree char *label = NULL;
      const Signature *sig;

      if (b->end <= b->start || b->end - b->start > 240)
        continue;
      label = normalize_label (flat + b->start, b->end - b->start);
      if (*label == '\0')
        continue;
      sig = g_hash_table_lookup (apply->sigs->whole, label);
      if (sig == NULL && g_utf8_strlen (label, -1) <= 80)
        {
          guint words = 1;

          for (const char *p = label; *p != '\0'; p++)
            words += *p == ' ';
          for (guint j = 0; words <= 16 && j < apply->sigs->prefix->len; j++)
            {
              const Signature *s = g_ptr_array_index (apply->sigs->prefix, j);
              gsize plen = strlen (s->phrase);

              if (g_str_has_prefix (label, s->phrase)
                  && (s->cjk || label[plen] == '\0' || label[plen] == ' '))
                {
                  sig = s;
                  break;
                }
            }
        }
      /* A link or button saying a plain phrase ("Jetzt spenden") is a call to action. */
      if (sig == NULL && (name_is (b->node, "a") || name_is (b->node, "button")))
        {
          g_autofree char *text = g_strndup (flat + b->start, b->end - b->start);

          for (guint j = 0; sig == NULL && j < apply->sigs->plain->len; j++)
            {
              const Signature *s = g_ptr_array_index (apply->sigs->plain, j);

              if (strstr (text, s->phrase) != NULL)
                sig = s;
            }
        }
      if (sig != NULL)
        {
          Hit hit = { b->start, b->end, sig, b->node };

          g_array_append_val (apply->hits, hit);
        }
    }
  g_array_sort (apply->hits, hit_compare);
}

/* The element holding the most paragraph text directly: the article's main run. */
static void
find_main (Apply *apply)
{
  guint best = 0;

  for (guint i = 0; i < apply->blocks->len; i++)
    {
      Block *b = &g_array_index (apply->blocks, Block, i);

      if (b->direct_prose > best)
        {
          best = b->direct_prose;
          apply->main = b->node;
          apply->main_len = b->end - b->start;
        }
    }
  if (best < 200)
    {
      apply->main = NULL;
      apply->main_len = 0;
    }
  for (xmlNodePtr n = apply->main; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    g_hash_table_add (apply->protected, n);
  /* Articles split into sections have several runs: protect each substantial one too. */
  for (guint i = 0; apply->main != NULL && i < apply->blocks->len; i++)
    {
      Block *b = &g_array_index (apply->blocks, Block, i);

      if (b->direct_prose >= 300 && b->direct_prose * 10 >= best * 3)
        for (xmlNodePtr n = b->node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
          g_hash_table_add (apply->protected, n);
    }
  for (xmlNodePtr n = apply->scope; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    g_hash_table_add (apply->protected, n);
}

static gboolean
is_inside (xmlNodePtr node,
           xmlNodePtr ancestor)
{
  for (; node != NULL; node = node->parent)
    if (node == ancestor)
      return TRUE;
  return FALSE;
}

static gboolean
is_marked_or_below (Apply      *apply,
                    xmlNodePtr  node)
{
  for (; node != NULL && node != apply->scope->parent; node = node->parent)
    if (g_hash_table_contains (apply->marked, node))
      return TRUE;
  return FALSE;
}

static char *
excerpt_of (xmlNodePtr node)
{
  g_autoptr(GString) out = g_string_new (NULL);
  xmlChar *content = xmlNodeGetContent (node);
  g_auto(GStrv) words = NULL;
  guint n = 0;

  if (content == NULL)
    return g_strdup ("");
  words = g_strsplit_set ((const char *) content, " \t\n\r\f\v", -1);
  xmlFree (content);
  for (guint i = 0; words[i] != NULL && n < 12; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
      n++;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
mark (Apply      *apply,
      xmlNodePtr  node,
      const char *category,
      const char *rule)
{
  GazetteClutterRemoval *removal;

  if (g_hash_table_contains (apply->marked, node))
    return;
  removal = g_new0 (GazetteClutterRemoval, 1);
  removal->reason = g_strdup (category_reason (category));
  removal->rule = g_strdup (rule);
  removal->excerpt = excerpt_of (node);
  g_hash_table_insert (apply->marked, node, removal);
  g_ptr_array_add (apply->order, node);
}

/* The category of @node's own structural tokens, NULL when it has none. */
static const char *
structural_category (Apply      *apply,
                     xmlNodePtr  node)
{
  const char *found = NULL;

  for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
    {
      const char *name = (const char *) attr->name;
      g_autofree char *value = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      g_auto(GStrv) words = NULL;

      if (g_str_equal (name, "class") || g_str_equal (name, "id") || g_str_equal (name, "role"))
        ;
      else if (g_str_has_prefix (name, "data-"))
        g_string_append_printf (text, "%s ", name + 5);
      else
        continue;
      value = get_attr (node, name);
      if (value != NULL && strlen (value) < 300)
        g_string_append (text, value);
      words = g_strsplit_set (text->str, " \t\n\r\f_-:/.=,[]()", -1);
      for (guint i = 0; words[i] != NULL; i++)
        {
          const char *w = words[i];
          g_autofree char *lower = g_ascii_strdown (w, -1);
          const char *category = g_hash_table_lookup (apply->sigs->tokens, lower);
          g_autoptr(GPtrArray) parts = NULL;
          gboolean plausible = TRUE;
          const char *part_start = w;

          if (category != NULL && !g_str_equal (category, "overlay"))
            return category;
          if (category != NULL)
            found = category;
          /* camelCase ("AdSlot", "ShareButtons"), but not random names ("bXqPzR"): every
           * part must be a plausible word. */
          parts = g_ptr_array_new_with_free_func (g_free);
          for (const char *p = w; ; p++)
            {
              if (*p == '\0' || (g_ascii_isupper (*p) && p > w && g_ascii_islower (p[-1])))
                {
                  g_ptr_array_add (parts, g_ascii_strdown (part_start, p - part_start));
                  if (*p == '\0')
                    break;
                  part_start = p;
                }
            }
          if (parts->len < 2)
            continue;
          for (guint j = 0; j < parts->len; j++)
            {
              const char *part = g_ptr_array_index (parts, j);
              gsize len = strlen (part);

              if (len < 2 || (len == 2 && (j > 0 ? strlen (g_ptr_array_index (parts, j - 1)) < 3
                                                 : strlen (g_ptr_array_index (parts, j + 1)) < 3)))
                plausible = FALSE;
              for (const char *c = part; *c != '\0'; c++)
                if (g_ascii_isdigit (*c))
                  plausible = FALSE;
            }
          if (!plausible)
            continue;
          for (guint j = 0; j < parts->len; j++)
            {
              category = g_hash_table_lookup (apply->sigs->tokens, g_ptr_array_index (parts, j));
              if (category != NULL && !g_str_equal (category, "overlay"))
                return category;
              if (category != NULL)
                found = category;
            }
        }
    }
  return found;
}

static gboolean
is_hidden (xmlNodePtr node)
{
  g_autofree char *style = NULL;
  g_autofree char *aria = NULL;

  if (xmlHasProp (node, (const xmlChar *) "hidden"))
    return TRUE;
  style = get_attr (node, "style");
  if (style != NULL)
    {
      g_autofree char *compact = g_ascii_strdown (style, -1);
      char *w = compact;

      for (const char *r = compact; *r != '\0'; r++)
        if (!g_ascii_isspace (*r))
          *w++ = *r;
      *w = '\0';
      if (strstr (compact, "display:none") != NULL || strstr (compact, "visibility:hidden") != NULL)
        return TRUE;
    }
  aria = get_attr (node, "aria-hidden");
  return aria != NULL && g_ascii_strcasecmp (aria, "true") == 0 && name_in (node, block_tags);
}

static gboolean
is_overlay (xmlNodePtr node)
{
  g_autofree char *role = get_attr (node, "role");
  g_autofree char *modal = get_attr (node, "aria-modal");
  g_autofree char *style = get_attr (node, "style");

  if (name_is (node, "dialog"))
    return TRUE;
  if (role != NULL && (g_ascii_strcasecmp (role, "dialog") == 0
                       || g_ascii_strcasecmp (role, "alertdialog") == 0))
    return TRUE;
  if (modal != NULL && g_ascii_strcasecmp (modal, "true") == 0)
    return TRUE;
  if (style != NULL)
    {
      g_autofree char *compact = g_ascii_strdown (style, -1);
      char *w = compact;

      for (const char *r = compact; *r != '\0'; r++)
        if (!g_ascii_isspace (*r))
          *w++ = *r;
      *w = '\0';
      if (strstr (compact, "position:fixed") != NULL)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  guint            n;          /* hits */
  guint            distinct;   /* distinct signatures */
  gboolean         label;      /* a "=" or "^" hit */
  gboolean         covers;     /* a "=" hit on the block itself */
  gboolean         action;     /* a link or button that is a signature */
  guint            covered;    /* bytes of text inside plain hits (overlaps counted once) */
  const Signature *first;
} Hits;

static void
hits_in (Apply *apply,
         Block *b,
         Hits  *out)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  guint covered_to = 0;

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < apply->hits->len; i++)
    {
      Hit *h = &g_array_index (apply->hits, Hit, i);

      if (h->start < b->start)
        continue;
      if (h->start >= b->end)
        break;
      if (h->end > b->end)
        continue;
      if (h->node != NULL && is_marked_or_below (apply, h->node))
        continue;
      out->n++;
      if (h->node == NULL && h->end > covered_to)
        {
          out->covered += h->end - MAX (h->start, covered_to);
          covered_to = h->end;
        }
      if (out->first == NULL)
        out->first = h->sig;
      if (h->node != NULL)
        {
          out->label = TRUE;
          if (name_is (h->node, "a") || name_is (h->node, "button"))
            out->action = TRUE;
          /* The label is all the block says ("Advertisement" over an empty slot). */
          if (h->sig->kind == SIG_WHOLE && (h->end - h->start) + 2 >= b->end - b->start)
            out->covers = TRUE;
        }
      if (!g_ptr_array_find (seen, h->sig, NULL))
        g_ptr_array_add (seen, (gpointer) h->sig);
    }
  out->distinct = seen->len;
}

static char *
heuristic_rule (const char      *what,
                const Signature *sig)
{
  if (sig != NULL)
    return g_strdup_printf ("heuristic:%s-text(%s)", sig->category, sig->lang);
  return g_strdup_printf ("heuristic:%s", what);
}

/* Decides about one element; TRUE when it was marked (do not descend). */
static gboolean
judge (Apply      *apply,
       xmlNodePtr  node,
       gboolean    page)
{
  Block *b = block_of (apply, node);
  const char *structure;
  Hits hits;
  guint len;
  gboolean interactive, link_dense, in_main, flow;

  if (b == NULL || g_hash_table_contains (apply->protected, node))
    return FALSE;
  len = b->end - b->start;

  if (b->h1 > 0)
    return FALSE;

  structure = structural_category (apply, node);
  hits_in (apply, b, &hits);
  interactive = b->buttons + b->inputs > 0;
  link_dense = len > 0 && b->links * 2 >= len;

  /* Hidden menus, templates and prompts go; hidden prose (collapsed sections, tabs) is the
   * page's own text and stays. */
  if (is_hidden (node) && (b->prose < 200 || hits.n > 0 || structure != NULL))
    {
      mark (apply, node, "hidden", "heuristic:hidden");
      return TRUE;
    }

  if (is_overlay (node) && len * 2 <= MAX (apply->scope_len, 1))
    {
      g_autofree char *rule = NULL;
      const char *category = hits.first != NULL ? hits.first->category
                             : structure != NULL ? structure : "overlay";

      rule = heuristic_rule ("overlay", NULL);
      mark (apply, node, category, rule);
      return TRUE;
    }

  in_main = apply->main != NULL && is_inside (node, apply->main);
  flow = in_main && name_in (node, prose_tags);

  if (flow || name_in (node, prose_tags))
    {
      /* A paragraph of the article goes only when it is itself clutter: a label
       * ("Advertisement"), a call to action made of links, or one with a structural hint. */
      if (hits.n == 0)
        return FALSE;
      if (hits.covers || (structure != NULL && !g_str_equal (structure, "overlay"))
          || (link_dense && len < 300) || (!in_main && (interactive || link_dense))
          || (hits.action && hits.distinct >= 2 && len < 250)
          /* "Help me spread the word!": the paragraph is little but the phrase */
          || (len < 200 && hits.covered * 2 >= len))
        {
          g_autofree char *rule = heuristic_rule (NULL, hits.first);

          mark (apply, node, hits.first->category, rule);
          return TRUE;
        }
      return FALSE;
    }
  if (!name_in (node, block_tags))
    return FALSE;

  /* A self-contained block: small next to the article, and never most of the page. */
  if (len * 2 > apply->scope_len)
    return FALSE;
  if (in_main ? len * 2 > apply->main_len
              : len > MAX (apply->main_len * 3 / 2, 2000u) && apply->main != NULL)
    return FALSE;

  /* Prose-heavy blocks need more evidence: one "See also" line in a section of the article
   * is not enough, five appeal phrases in a box are; so is a structure that agrees. */
  if (hits.n > 0 && b->prose >= 150 && hits.distinct < 2 + b->prose / 600
      && !(structure != NULL && g_str_equal (structure, hits.first->category))
      && !(b->inputs > 0 && b->prose < 1000))
    return FALSE;
  if (hits.n > 0 && (structure != NULL || interactive || link_dense || hits.distinct >= 2
                     || hits.action || (b->links > 0 && len < 250)
                     || hits.covers || (hits.label && !in_main)))
    {
      g_autofree char *rule = heuristic_rule (NULL, hits.first);

      mark (apply, node, hits.first->category, rule);
      return TRUE;
    }
  if (structure != NULL && !g_str_equal (structure, "overlay") && b->prose < 300
      && (((interactive || link_dense) && len <= 1500) || (g_str_equal (structure, "ad")
                                                            && len < 120)))
    {
      g_autofree char *rule = g_strdup_printf ("heuristic:%s-structure", structure);

      mark (apply, node, structure, rule);
      return TRUE;
    }
  return FALSE;
}

static void
walk (Apply      *apply,
      xmlNodePtr  node,
      gboolean    page)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE || name_in (node, skipped_tags))
        continue;
      if (g_hash_table_contains (apply->marked, node))
        continue;
      if (!judge (apply, node, page))
        walk (apply, node->children, page);
    }
}

/* Every attribute value below @node, NUL-separated would hide matches across values, so
 * newline-separated (selectors' attribute texts have no newlines). */
static void
collect_attributes (xmlNodePtr  node,
                    GString    *out)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;
      for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
        for (xmlNodePtr text = attr->children; text != NULL; text = text->next)
          if (text->content != NULL)
            {
              g_string_append (out, (const char *) text->content);
              g_string_append_c (out, '\n');
            }
      collect_attributes (node->children, out);
    }
}

static xmlNodePtr
next_element (xmlNodePtr node)
{
  for (node = node->next; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE && !name_in (node, skipped_tags))
      return node;
  return NULL;
}

/* A heading that names a list ("You might also like", "Comments") goes with the list after
 * it: when the list was removed, or is made of links. */
static void
mark_list_headings (Apply *apply)
{
  static const char * const headings[] = { "h2", "h3", "h4", "h5", "h6", "p", "div", "span",
                                           "strong", NULL };

  for (guint i = 0; i < apply->hits->len; i++)
    {
      Hit *h = &g_array_index (apply->hits, Hit, i);
      xmlNodePtr next;
      Block *nb;
      Block *hb;

      if (h->node == NULL || h->sig->kind == SIG_PLAIN || !name_in (h->node, headings)
          || g_hash_table_contains (apply->protected, h->node)
          || is_marked_or_below (apply, h->node))
        continue;
      hb = block_of (apply, h->node);
      if (hb == NULL || hb->h1 > 0 || hb->links * 2 > hb->end - hb->start)
        continue;
      next = next_element (h->node);
      if (next == NULL || g_hash_table_contains (apply->protected, next))
        continue;
      nb = block_of (apply, next);
      if (g_hash_table_contains (apply->marked, next)
          || (nb != NULL && nb->end > nb->start && nb->links * 10 >= (nb->end - nb->start) * 7
              && nb->prose < 200 && (name_in (next, block_tags))))
        {
          g_autofree char *rule = heuristic_rule (NULL, h->sig);

          mark (apply, h->node, h->sig->category, rule);
          if (!g_hash_table_contains (apply->marked, next))
            mark (apply, next, h->sig->category, rule);
        }
    }
}

static void
apply_rules (GazetteClutterFilter *filter,
             Apply                *apply,
             xmlDocPtr             doc,
             const char           *url)
{
  g_autoptr(GHashTable) keyed = gazette_filter_list_collect_keys (apply->scope);
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GString) attributes = NULL;
  g_autofree char *host = NULL;

  if (url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        host = g_ascii_strdown (g_uri_get_host (uri), -1);
    }
  rules = gazette_filter_list_lookup (filter->rules, host, keyed);
  if (filter->base != NULL)
    {
      g_autoptr(GPtrArray) base_rules = gazette_filter_list_lookup (filter->base, host, keyed);

      /* A user's exception spares the default rules; the default's exceptions spare the
       * user's rules too, as they would in one list. */
      for (guint i = 0; i < rules->len;)
        if (gazette_filter_list_is_excepted (filter->base,
                                             gazette_selector_get_css (gazette_filter_rule_get_selector (g_ptr_array_index (rules, i))),
                                             host))
          g_ptr_array_remove_index (rules, i);
        else
          i++;
      for (guint i = 0; i < base_rules->len; i++)
        {
          GazetteFilterRule *rule = g_ptr_array_index (base_rules, i);

          if (!gazette_filter_list_is_excepted (filter->rules,
                                                gazette_selector_get_css (gazette_filter_rule_get_selector (rule)),
                                                host))
            g_ptr_array_add (rules, rule);
        }
    }
  for (guint i = 0; i < rules->len; i++)
    {
      GazetteFilterRule *rule = g_ptr_array_index (rules, i);
      GazetteSelector *selector = gazette_filter_rule_get_selector (rule);
      const char *required = gazette_selector_get_required_text (selector);
      const char * const *rule_keys = gazette_selector_get_keys (selector);
      g_autoptr(GPtrArray) nodes = NULL;

      if (rule_keys != NULL && rule_keys[0] != NULL)
        {
          /* Keyed: only elements carrying one of the keys can match. */
          g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

          nodes = g_ptr_array_new ();
          for (guint k = 0; rule_keys[k] != NULL; k++)
            {
              GPtrArray *candidates = g_hash_table_lookup (keyed, rule_keys[k]);

              for (guint c = 0; candidates != NULL && c < candidates->len; c++)
                {
                  xmlNodePtr node = g_ptr_array_index (candidates, c);

                  if (g_hash_table_add (seen, node) && gazette_selector_matches (selector, node))
                    g_ptr_array_add (nodes, node);
                }
            }
        }

      /* EasyList's unkeyed rules are mostly [href*=…] and the like: skip those whose text
       * no attribute of the page contains rather than walk the page for each. */
      if (required != NULL)
        {
          if (attributes == NULL)
            {
              attributes = g_string_new (NULL);
              collect_attributes (apply->scope, attributes);
            }
          if (strstr (attributes->str, required) == NULL)
            continue;
        }
      if (nodes == NULL)
        nodes = gazette_selector_select (selector, doc, apply->scope);

      for (guint j = 0; j < nodes->len; j++)
        {
          xmlNodePtr node = g_ptr_array_index (nodes, j);
          Block *b = block_of (apply, node);
          const char *category;

          /* A rule that would take the article with it is wrong for this page. */
          if (g_hash_table_contains (apply->protected, node) || (b != NULL && b->h1 > 0))
            continue;
          category = structural_category (apply, node);
          mark (apply, node, category != NULL && !g_str_equal (category, "overlay")
                             ? category : "rule", gazette_filter_rule_get_text (rule));
        }
    }
}

guint
gazette_clutter_filter_apply (GazetteClutterFilter *filter,
                              xmlDocPtr             doc,
                              xmlNodePtr            scope,
                              const char           *url,
                              GazetteClutterPhase   phase,
                              GPtrArray            *removals)
{
  Apply apply = { 0 };
  g_autoptr(GPtrArray) tops = g_ptr_array_new ();
  gboolean pending = FALSE;
  guint removed = 0;

  g_return_val_if_fail (filter != NULL, 0);
  g_return_val_if_fail (doc != NULL, 0);

  if (scope == NULL)
    scope = xmlDocGetRootElement (doc);
  if (scope == NULL)
    return 0;

  apply.sigs = get_signatures ();
  apply.scope = scope;
  apply.flat = g_string_new (NULL);
  apply.blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  apply.index = g_hash_table_new (NULL, NULL);
  apply.hits = g_array_new (FALSE, TRUE, sizeof (Hit));
  apply.marked = g_hash_table_new (NULL, NULL);
  apply.order = g_ptr_array_new ();
  apply.protected = g_hash_table_new (NULL, NULL);

  {
    /* Measure @scope alone, not its following siblings. */
    xmlNodePtr next = scope->next;

    scope->next = NULL;
    measure (&apply, scope, FALSE, &pending, NO_PARENT);
    scope->next = next;
  }
  apply.scope_len = apply.flat->len;
  find_hits (&apply);
  find_main (&apply);

  apply_rules (filter, &apply, doc, url);
  walk (&apply, scope->children, phase == GAZETTE_CLUTTER_PHASE_PAGE);
  mark_list_headings (&apply);

  for (guint i = 0; i < apply.order->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (apply.order, i);
      GazetteClutterRemoval *removal = g_hash_table_lookup (apply.marked, node);
      gboolean below = FALSE;

      /* A rule may have matched inside a block marked later, or the other way round. */
      for (xmlNodePtr n = node->parent; n != NULL && !below; n = n->parent)
        below = g_hash_table_contains (apply.marked, n);
      if (below)
        {
          gazette_clutter_removal_free (removal);
          continue;
        }
      g_ptr_array_add (tops, node);
      if (removals != NULL)
        g_ptr_array_add (removals, removal);
      else
        gazette_clutter_removal_free (removal);
      removed++;
    }
  /* Unlink only now, as the loop above still walks parents; freeing a marked node at the top
   * of its subtree frees the rest. */
  for (guint i = 0; i < tops->len; i++)
    {
      xmlNodePtr node = g_ptr_array_index (tops, i);

      xmlUnlinkNode (node);
      xmlFreeNode (node);
    }

  g_string_free (apply.flat, TRUE);
  g_array_unref (apply.blocks);
  g_hash_table_unref (apply.index);
  g_array_unref (apply.hits);
  g_hash_table_unref (apply.marked);
  g_ptr_array_unref (apply.order);
  g_hash_table_unref (apply.protected);
  return removed;
}

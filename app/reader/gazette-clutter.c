/* gazette-clutter.c — removes what is not the article: appeals, paywall prompts, newsletter
 * boxes, cookie banners, share bars, related lists, comments, ads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three passes over the subtree, sharing one flattened, lower-cased copy of its text:
 *  - filter rules (ours, and EasyList's cosmetic rules when installed);
 *  - hidden elements and fixed overlays / dialogs;
 *  - blocks judged by structure (class/id/role/data-* tokens), shape (buttons, forms, link
 *    density, size; cards that sell, widgets of drop-downs) and text signatures
 *    (data/rules/signatures.txt).
 * The article's own text is protected: the "main run" (the element holding the most paragraph
 * text directly) and its ancestors are never removed, and one of its paragraphs goes only when
 * it is itself clutter: a call to action (mostly links, or a label such as "Advertisement"), a
 * label line ("Written by …", "Image credit: …"), a date alone, a button-styled link alone, a
 * disclosure or copyright line, or a byline, author or call-to-action box by its class names.
 * The filter rules run in the page phase only; the article phase judges the article again.
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
  gsize    len;      /* of @phrase, in bytes */
  guint    order;    /* its line's rank in the file */
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
  /* Plain phrases by their first two bytes: the indices into @plain of those starting with
   * bytes (a, b) are plain_by_bigram[bigram_start[a << 8 | b] … bigram_start[… + 1]). */
  guint      *bigram_start;
  guint      *plain_by_bigram;
  /* The first word of every "=" and "^" phrase → the "^" phrases starting with it (a
   * GPtrArray, in the file's order; empty for "=" phrases only): a block whose text starts
   * with another word cannot be a label, and needs no normalising. */
  GHashTable *first_words;
  GPtrArray  *cjk_prefix;   /* "^" phrases in Chinese or Japanese, which have no words */
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
  { "promo", N_("promotion") },
  { "byline", N_("byline") },
  { "disclosure", N_("disclosure") },
  { "legal", N_("copyright notice") },
  { "credit", N_("image credit") },
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
  { "author", "author" }, { "authors", "author" }, { "bio", "author" },
  { "byline", "byline" }, { "dateline", "byline" }, { "timestamp", "byline" },
  { "meta", "byline" },
  { "cta", "promo" }, { "disclaimer", "disclosure" }, { "disclosure", "disclosure" },
  { "modal", "overlay" }, { "overlay", "overlay" }, { "popup", "overlay" },
  { "dialog", "overlay" }, { "interstitial", "overlay" }, { "lightbox", "overlay" },
  { "fixed", "overlay" }, { "toast", "overlay" },
};

static const char *
category_reason (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_str_equal (reasons[i].category, category))
      return reasons[i].reason;
  return N_("page clutter");
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

char *
gazette_clutter_removals_to_string (GPtrArray *removals)
{
  g_autoptr(GVariantBuilder) builder = NULL;
  g_autoptr(GVariant) variant = NULL;

  if (removals == NULL || removals->len == 0)
    return NULL;
  builder = g_variant_builder_new (G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < removals->len; i++)
    {
      GazetteClutterRemoval *removal = g_ptr_array_index (removals, i);

      /* GVariant strings must be valid UTF-8; an excerpt is cut on a character boundary, but
       * a rule comes from a user's file. */
      g_variant_builder_add (builder, "(sss)",
                             removal->reason != NULL && g_utf8_validate (removal->reason, -1, NULL)
                             ? removal->reason : "",
                             removal->rule != NULL && g_utf8_validate (removal->rule, -1, NULL)
                             ? removal->rule : "",
                             removal->excerpt != NULL && g_utf8_validate (removal->excerpt, -1,
                                                                          NULL)
                             ? removal->excerpt : "");
    }
  variant = g_variant_ref_sink (g_variant_builder_end (builder));
  return g_variant_print (variant, FALSE);
}

GPtrArray *
gazette_clutter_removals_from_string (const char *text)
{
  GPtrArray *removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                        gazette_clutter_removal_free);
  g_autoptr(GVariant) variant = NULL;
  GVariantIter iter;
  const char *reason, *rule, *excerpt;

  if (text == NULL || *text == '\0')
    return removals;
  variant = g_variant_parse (G_VARIANT_TYPE ("a(sss)"), text, NULL, NULL, NULL);
  if (variant == NULL)
    return removals;
  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &reason, &rule, &excerpt))
    {
      GazetteClutterRemoval *removal = g_new0 (GazetteClutterRemoval, 1);

      removal->reason = *reason ? g_strdup (reason) : NULL;
      removal->rule = *rule ? g_strdup (rule) : NULL;
      removal->excerpt = *excerpt ? g_strdup (excerpt) : NULL;
      g_ptr_array_add (removals, removal);
    }
  return removals;
}

/* --- text ------------------------------------------------------------------------------ */

/* g_ascii_tolower() is a function call, too slow for every byte of every class name. */
static inline char
lower_ascii (char c)
{
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

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
  gsize length = strlen (text);
  gsize start = out->len;
  char *w;

  /* Folding never more than doubles a character (a space before it, at most); the buffer
   * is written directly, as this runs over every character of every page. */
  g_string_set_size (out, start + 2 * length + 8);
  w = out->str + start;
  for (const char *p = text; *p != '\0';)
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        {
          char a = *p++;

          if (a == ' ' || a == '\t' || a == '\n' || a == '\r' || a == '\f' || a == '\v')
            {
              *pending_space = TRUE;
              continue;
            }
          if (*pending_space && w > out->str && w[-1] != ' ')
            *w++ = ' ';
          *pending_space = FALSE;
          *w++ = a == '`' ? '\'' : (a >= 'A' && a <= 'Z') ? a + ('a' - 'A') : a;
          continue;
        }
      c = g_utf8_get_char_validated (p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      p = g_utf8_next_char (p);
      if (g_unichar_isspace (c) || c == 0xA0 || c == 0x202F || c == 0x2009)
        {
          *pending_space = TRUE;
          continue;
        }
      if (*pending_space && w > out->str && w[-1] != ' ')
        *w++ = ' ';
      *pending_space = FALSE;
      /* A folded character may take more bytes than the original (rarely): make room. */
      if ((gsize) (w - out->str) + 8 > out->len)
        {
          gsize at = w - out->str;

          g_string_set_size (out, out->len * 2 + 16);
          w = out->str + at;
        }
      w += g_unichar_to_utf8 (fold_char (c), w);
    }
  g_string_truncate (out, w - out->str);
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

static guint
bigram_of (const char *text)
{
  return ((guchar) text[0] << 8) | (guchar) text[1];
}

/* A counting sort of the plain phrases by their first two bytes, once, so that the scan of a
 * page looks up each position's candidates in an array. */
static void
index_bigrams (Signatures *sigs)
{
  GPtrArray *plain = sigs->plain;
  g_autofree guint *fill = g_new0 (guint, 65537);

  memset (sigs->bigram_start, 0, 65537 * sizeof (guint));
  for (guint i = 0; i < plain->len; i++)
    {
      const Signature *sig = g_ptr_array_index (plain, i);

      if (sig->len >= 2)
        sigs->bigram_start[bigram_of (sig->phrase) + 1]++;
    }
  for (guint k = 1; k <= 65536; k++)
    sigs->bigram_start[k] += sigs->bigram_start[k - 1];
  g_free (sigs->plain_by_bigram);
  sigs->plain_by_bigram = g_new0 (guint, MAX (sigs->bigram_start[65536], 1u));
  memcpy (fill, sigs->bigram_start, 65537 * sizeof (guint));
  for (guint i = 0; i < plain->len; i++)
    {
      const Signature *sig = g_ptr_array_index (plain, i);

      if (sig->len >= 2)
        sigs->plain_by_bigram[fill[bigram_of (sig->phrase)]++] = i;
    }
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
  sigs->first_words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  sigs->cjk_prefix = g_ptr_array_new ();
  sigs->bigram_start = g_new0 (guint, 65537);
  sigs->plain_by_bigram = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (structural_tokens); i++)
    g_hash_table_insert (sigs->tokens, (gpointer) structural_tokens[i].token,
                         (gpointer) structural_tokens[i].category);

  if (bytes == NULL)
    {
      g_warning ("The clutter signatures are missing from the resources");
      index_bigrams (sigs);
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
      sig->len = strlen (sig->phrase);
      sig->order = sigs->all->len;
      g_ptr_array_add (sigs->all, sig);
      if (sig->kind == SIG_PLAIN)
        g_ptr_array_add (sigs->plain, sig);
      else
        {
          const char *space = strchr (sig->phrase, ' ');
          g_autofree char *first = space != NULL ? g_strndup (sig->phrase, space - sig->phrase)
                                                 : g_strdup (sig->phrase);
          GPtrArray *bucket = g_hash_table_lookup (sigs->first_words, first);

          if (bucket == NULL)
            {
              bucket = g_ptr_array_new ();
              g_hash_table_insert (sigs->first_words, g_steal_pointer (&first), bucket);
            }
          if (sig->kind == SIG_PREFIX)
            {
              g_ptr_array_add (sigs->prefix, sig);
              g_ptr_array_add (sig->cjk ? sigs->cjk_prefix : bucket, sig);
            }
          else
            g_hash_table_insert (sigs->whole, g_strdup (sig->phrase), sig);
        }
    }
  index_bigrams (sigs);
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
  guint      inputs;       /* text/e-mail inputs, text areas, forms */
  guint      direct_prose; /* bytes of paragraphs that are direct children */
  guint      h1;           /* <h1> below */
  guint      prose;        /* bytes of paragraph and list-item text below, links excepted */
  guint      share_links;  /* links to a network's share dialog, or a mailto: with no address */
  guint      email_inputs; /* <input type="email"> */
  guint      button_links; /* links drawn as buttons ("Buy now"), see is_button_link() */
  guint      sales_links;  /* those of them that lead to a sale, see is_sales_href() */
  guint      titles;       /* headings below h1, and elements with role="heading" */
  guint      title_text;   /* bytes of their text, links excepted */
  guint      pictures;     /* img, picture */
  guint      selects;      /* drop-down lists */
  guint      flags;        /* TAG_* of its name */
  gpointer   saved;        /* the node's _private, put back at the end */
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
  GArray      *hits;        /* Hit, by start */
  GHashTable  *marked;      /* node → GazetteClutterRemoval* (not yet appended) */
  GPtrArray   *order;       /* marked nodes in marking order */
  GHashTable  *protected;   /* the main run and its ancestors */
  xmlNodePtr   scope;
  xmlNodePtr   main;
  guint        main_len;
  guint        scope_len;
  GHashTable  *card_kinds;  /* "tag class" of card-shaped blocks → how many the page has */
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

enum {
  TAG_SKIPPED = 1 << 0,
  TAG_INLINE = 1 << 1,
  TAG_PROSE = 1 << 2,
  TAG_BLOCK = 1 << 3,
  TAG_A = 1 << 4,
  TAG_BUTTON = 1 << 5,
  TAG_INPUT = 1 << 6,
  TAG_FORM = 1 << 7,       /* form, select, textarea */
  TAG_H1 = 1 << 8,
  TAG_PARAGRAPH = 1 << 9,  /* p, pre, blockquote */
  TAG_ITEM = 1 << 10,      /* li, dd */
  TAG_TITLE = 1 << 11,     /* h2 … h6 */
  TAG_PICTURE = 1 << 12,   /* img, picture */
};

static const char * const a_tag[] = { "a", NULL };
static const char * const button_tag[] = { "button", NULL };
static const char * const input_tag[] = { "input", NULL };
static const char * const form_tags[] = { "form", "select", "textarea", NULL };
static const char * const h1_tag[] = { "h1", NULL };
static const char * const paragraph_tags[] = { "p", "pre", "blockquote", NULL };
static const char * const item_tags[] = { "li", "dd", NULL };
static const char * const title_tags[] = { "h2", "h3", "h4", "h5", "h6", NULL };
static const char * const picture_tags[] = { "img", "picture", NULL };

/* Which of the lists above @node's name is in: one lookup instead of a comparison per name. */
static guint
tag_flags (xmlNodePtr node)
{
  static GHashTable *flags;
  char lower[16];
  gsize len;
  gpointer found;

  if (g_once_init_enter (&flags))
    {
      GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);
      const struct { const char * const *names; guint flag; } lists[] = {
        { skipped_tags, TAG_SKIPPED }, { inline_tags, TAG_INLINE }, { prose_tags, TAG_PROSE },
        { block_tags, TAG_BLOCK }, { a_tag, TAG_A }, { button_tag, TAG_BUTTON },
        { input_tag, TAG_INPUT }, { form_tags, TAG_FORM }, { h1_tag, TAG_H1 },
        { paragraph_tags, TAG_PARAGRAPH }, { item_tags, TAG_ITEM }, { title_tags, TAG_TITLE },
        { picture_tags, TAG_PICTURE },
      };

      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; lists[l].names[i] != NULL; i++)
          {
            const char *name = lists[l].names[i];
            guint old = GPOINTER_TO_UINT (g_hash_table_lookup (table, name));

            g_hash_table_insert (table, (gpointer) name, GUINT_TO_POINTER (old | lists[l].flag));
          }
      g_once_init_leave (&flags, table);
    }
  if (node->type != XML_ELEMENT_NODE || node->name == NULL)
    return 0;
  /* The HTML parser writes names in lower case: one lookup, mostly. */
  found = g_hash_table_lookup (flags, node->name);
  if (found != NULL)
    return GPOINTER_TO_UINT (found);
  len = strlen ((const char *) node->name);
  if (len >= sizeof lower)
    return 0;
  for (gsize i = 0; i <= len; i++)
    lower[i] = lower_ascii (node->name[i]);
  return GPOINTER_TO_UINT (g_hash_table_lookup (flags, lower));
}

/* Whether @node has the attribute @name (lower case), without xmlHasProp()'s look at the
 * DTD's defaults. */
static gboolean
has_attribute (xmlNodePtr  node,
               const char *name)
{
  for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
    if (g_ascii_strcasecmp ((const char *) attr->name, name) == 0)
      return TRUE;
  return FALSE;
}

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

static gboolean is_button_link (xmlNodePtr node);
static const char *attr_text (xmlNodePtr node, const char *name, xmlChar **copy);

/* Whether @node says it is a heading with role="heading". */
static gboolean
has_heading_role (xmlNodePtr node)
{
  xmlChar *copy;
  const char *value;
  gboolean found;

  if (node->properties == NULL)
    return FALSE;
  value = attr_text (node, "role", &copy);
  found = value != NULL && g_ascii_strcasecmp (value, "heading") == 0;
  xmlFree (copy);
  return found;
}

/* Whether @href leads to a sale or a sign-up: a shop, product, pricing, checkout or sign-up
 * page, or an affiliate's link (a shop's short link, an affiliate parameter). Words of the
 * address, so that "/shopping-guide-to-…" or "?store=1" do not count. */
static gboolean
is_sales_href (const char *href)
{
  static const char * const path_words[] = {
    "product", "products", "shop", "store", "buy", "cart", "checkout", "pricing", "plans",
    "signup", "register", "registration", "subscribe", "optin", "trial", "order", "deals",
    "coupon", "affiliate", NULL
  };
  static const char * const hosts[] = { "amzn.to", "amazon.", "geni.us", "shareasale.com",
                                        "awin1.com", "linksynergy.com", "rstyle.me",
                                        "howl.me", "skimresources.com", NULL };
  static const char * const query_keys[] = { "af", "aff", "affid", "aff_id", "affiliate",
                                             "partner", "tag", NULL };
  g_autofree char *lower = NULL;
  const char *p, *host, *query;
  char previous[16] = "";

  if (href == NULL)
    return FALSE;
  lower = g_ascii_strdown (href, -1);
  host = strstr (lower, "://");
  host = host != NULL ? host + 3 : lower;
  p = host;
  if (host != lower)
    {
      gsize n = strcspn (host, "/?#");

      for (guint i = 0; hosts[i] != NULL; i++)
        {
          const char *at = g_strstr_len (host, n, hosts[i]);

          if (at != NULL && (at == host || at[-1] == '.'))
            return TRUE;
        }
      p = host + n;
    }
  query = strchr (p, '?');
  /* Words of the path: "/products/…", "/webinar-opt-in/", "/sign-up". */
  while (*p != '\0' && p != query && *p != '#')
    {
      const char *start;
      gsize n;

      while (*p != '\0' && p != query && *p != '#' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (g_ascii_isalnum (*p))
        p++;
      n = p - start;
      if (n == 0)
        break;
      for (guint i = 0; path_words[i] != NULL; i++)
        if (strlen (path_words[i]) == n && memcmp (start, path_words[i], n) == 0)
          return TRUE;
      if (n == 2 && ((memcmp (start, "in", 2) == 0 && g_str_equal (previous, "opt"))
                     || (memcmp (start, "up", 2) == 0 && g_str_equal (previous, "sign"))))
        return TRUE;
      if (n < sizeof previous)
        {
          memcpy (previous, start, n);
          previous[n] = '\0';
        }
      else
        previous[0] = '\0';
    }
  /* An affiliate's parameter: "?af=…", "&tag=…". */
  for (p = query; p != NULL && *p != '\0'; p = strchr (p, '&'))
    {
      gsize n;

      p++;
      n = strcspn (p, "=&#");
      for (guint i = 0; query_keys[i] != NULL; i++)
        if (strlen (query_keys[i]) == n && memcmp (p, query_keys[i], n) == 0 && p[n] == '=')
          return TRUE;
    }
  return FALSE;
}

static Block *
block_of (Apply      *apply,
          xmlNodePtr  node)
{
  /* A node's _private holds its index + 1 while the filter runs: no hash table lookup for
   * the most frequent question. */
  guint i = node->type == XML_ELEMENT_NODE ? GPOINTER_TO_UINT (node->_private) : 0;

  return i == 0 ? NULL : &g_array_index (apply->blocks, Block, i - 1);
}

#define NO_PARENT G_MAXUINT

/* Whether @href opens a social network's "share this page" dialog: a bar of such links is a
 * share bar whatever its labels (often only icons, or "Facebook X LinkedIn"). */
static gboolean
is_share_href (const char *href)
{
  static const char * const endpoints[] = {
    "facebook.com/sharer", "facebook.com/share.php", "facebook.com/dialog/share",
    "twitter.com/intent/", "twitter.com/share", "x.com/intent/", "linkedin.com/sharearticle",
    "linkedin.com/sharing/", "t.me/share", "telegram.me/share", "api.whatsapp.com/send",
    "wa.me/?text", "whatsapp://send", "vk.com/share.php", "connect.ok.ru/offer",
    "pinterest.com/pin/create", "reddit.com/submit", "tumblr.com/share", "bsky.app/intent/",
    "threads.net/intent/", "viber://forward", "getpocket.com/save", "xing.com/spi/shares",
    "service.weibo.com/share", "social-plugins.line.me/lineit/share", NULL
  };
  g_autofree char *lower = NULL;

  if (href == NULL)
    return FALSE;
  lower = g_ascii_strdown (href, -1);
  /* "mailto:?subject=…" has no recipient: it is "e-mail this article". */
  if (g_str_has_prefix (lower, "mailto:?"))
    return TRUE;
  for (guint i = 0; endpoints[i] != NULL; i++)
    if (strstr (lower, endpoints[i]) != NULL)
      return TRUE;
  return FALSE;
}

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
      if (node->type != XML_ELEMENT_NODE)
        continue;
      {
        guint flags = tag_flags (node);
        Block block = { 0 };
        guint i = apply->blocks->len;
        gboolean is_inline = (flags & TAG_INLINE) != 0;
        gboolean link = in_link || (flags & TAG_A);
        Block *self;

        if (flags & TAG_SKIPPED)
          continue;
        if (!is_inline)
          *pending_space = TRUE;
        block.node = node;
        block.start = apply->flat->len;
        block.flags = flags;
        block.saved = node->_private;
        g_array_append_val (apply->blocks, block);
        node->_private = GUINT_TO_POINTER (i + 1);
        measure (apply, node->children, link, pending_space, i);
        if (!is_inline)
          *pending_space = TRUE;
        self = &g_array_index (apply->blocks, Block, i);
        self->end = apply->flat->len;
        if ((flags & TAG_BUTTON) || has_attribute (node, "onclick"))
          self->buttons++;
        else if (flags & TAG_INPUT)
          {
            g_autofree char *type = get_attr (node, "type");

            if (type != NULL && (g_ascii_strcasecmp (type, "submit") == 0
                                 || g_ascii_strcasecmp (type, "button") == 0))
              self->buttons++;
            else if (type == NULL || g_ascii_strcasecmp (type, "hidden") != 0)
              self->inputs++;
            if (type != NULL && g_ascii_strcasecmp (type, "email") == 0)
              self->email_inputs++;
          }
        else if ((flags & TAG_FORM) && name_is (node, "select"))
          /* The extractor keeps drop-downs empty, for this count alone: see judge(). */
          self->selects++;
        else if (flags & TAG_FORM)
          self->inputs++;
        else if (flags & TAG_H1)
          self->h1++;
        if (flags & TAG_A)
          {
            g_autofree char *href = get_attr (node, "href");

            if (is_share_href (href))
              self->share_links++;
          }
        if ((flags & TAG_TITLE) || has_heading_role (node))
          {
            self->titles++;
            self->title_text = self->end - self->start - MIN (self->links, self->end - self->start);
          }
        if (flags & TAG_PICTURE)
          self->pictures++;
        /* A short link drawn as a button: "Buy on Amazon", not a whole teaser made a link. */
        if ((flags & TAG_A) && self->end - self->start <= 60 && self->end > self->start
            && is_button_link (node))
          {
            xmlChar *copy;

            self->button_links++;
            if (is_sales_href (attr_text (node, "href", &copy)))
              self->sales_links++;
            xmlFree (copy);
          }
        if (flags & (TAG_PARAGRAPH | TAG_ITEM))
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
            parent->share_links += self->share_links;
            parent->email_inputs += self->email_inputs;
            parent->button_links += self->button_links;
            parent->sales_links += self->sales_links;
            parent->titles += self->titles;
            parent->title_text += self->title_text;
            parent->pictures += self->pictures;
            parent->selects += self->selects;
            parent->prose += self->prose;
            if (flags & TAG_PARAGRAPH)
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

/* Whether the text in [@start, @end) of the flattened text may be a "=" or "^" label: its
 * first word (as normalize_label() would cut it) begins one of those phrases. Returns the "^"
 * phrases it may start with (perhaps none), NULL when it is no label. */
static GPtrArray *
label_candidates (Apply *apply,
                  guint  start,
                  guint  end)
{
  const char *flat = apply->flat->str;
  char word[64];
  gsize n = 0;
  const char *p = flat + start;

  for (; p < flat + end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalpha (c) || g_unichar_ismark (c) || c == '\'')
        break;
    }
  if (p >= flat + end)
    return NULL;
  for (const char *q = p; q < flat + end; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);
      gsize size = g_utf8_next_char (q) - q;

      /* Chinese and Japanese labels have no spaces: leave them to the full comparison. */
      if (is_cjk (c))
        {
          if (n > 0)
            break;
          return apply->sigs->cjk_prefix;
        }
      if (!(g_unichar_isalpha (c) || g_unichar_ismark (c) || c == '\''))
        break;
      if (n + size >= sizeof word)
        return NULL;
      memcpy (word + n, q, size);
      n += size;
    }
  word[n] = '\0';
  return g_hash_table_lookup (apply->sigs->first_words, word);
}

static int
compare_hit_start (gconstpointer a,
                   gconstpointer b)
{
  const Hit *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->sig->order < y->sig->order ? -1 : x->sig->order > y->sig->order ? 1 : 0;
}

static void
find_hits (Apply *apply)
{
  const char *flat = apply->flat->str;
  gsize length = apply->flat->len;
  Signatures *sigs = apply->sigs;
  GPtrArray *plain = sigs->plain;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) by_start = NULL;
  guint last_start = G_MAXUINT, last_end = G_MAXUINT;
  const Signature *last_sig = NULL;

  /* One pass over the text for all phrases, each position looking up the phrases that start
   * with its two bytes, instead of a scan of the whole text per phrase. */
  for (gsize at = 0; at + 1 < length; at++)
    {
      guint key;

      /* Inside an ASCII word no phrase can start: those that need no word boundary are
       * Chinese and Japanese, which start with a multi-byte character. */
      if (at > 0 && (guchar) flat[at] < 0x80 && g_ascii_isalnum (flat[at - 1]))
        continue;
      /* Nor in the middle of a character. */
      if (((guchar) flat[at] & 0xC0) == 0x80)
        continue;
      key = bigram_of (flat + at);

      for (guint j = sigs->bigram_start[key]; j < sigs->bigram_start[key + 1]; j++)
        {
          guint index = sigs->plain_by_bigram[j];
          const Signature *sig = g_ptr_array_index (plain, index);
          guint64 entry;

          if (at + sig->len > length || memcmp (flat + at, sig->phrase, sig->len) != 0)
            continue;
          if (!sig->cjk && (!is_boundary (flat, length, (gssize) at - 1, TRUE)
                            || !is_boundary (flat, length, at + sig->len, FALSE)))
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
      Hit hit = { at, at + (gssize) sig->len, sig, NULL };

      g_array_append_val (apply->hits, hit);
    }
  /* The same hits by position, for the links and buttons below. */
  by_start = g_array_copy (apply->hits);
  g_array_sort (by_start, compare_hit_start);

  for (guint i = 0; i < apply->blocks->len; i++)
    {
      Block *b = &g_array_index (apply->blocks, Block, i);
      const Signature *sig = NULL;
      GPtrArray *candidates;

      if (b->end <= b->start || b->end - b->start > 240)
        continue;
      /* Nested elements often hold the same text ("<a><span>Share</span></a>"). */
      if (b->start == last_start && b->end == last_end)
        sig = last_sig;
      else if ((candidates = label_candidates (apply, b->start, b->end)) != NULL)
        {
          g_autofree char *label = normalize_label (flat + b->start, b->end - b->start);

          if (*label != '\0')
            sig = g_hash_table_lookup (sigs->whole, label);
          if (*label != '\0' && sig == NULL && g_utf8_strlen (label, -1) <= 80)
            {
              guint words = 1;

              for (const char *p = label; *p != '\0'; p++)
                words += *p == ' ';
              for (guint j = 0; words <= 16 && j < candidates->len; j++)
                {
                  const Signature *s = g_ptr_array_index (candidates, j);

                  if (g_str_has_prefix (label, s->phrase)
                      && (s->cjk || label[s->len] == '\0' || label[s->len] == ' '))
                    {
                      sig = s;
                      break;
                    }
                }
            }
        }
      last_start = b->start;
      last_end = b->end;
      last_sig = sig;
      /* A link or button saying a plain phrase ("Jetzt spenden") is a call to action: the
       * first phrase (in the file's order) found inside it. */
      if (sig == NULL && (b->flags & (TAG_A | TAG_BUTTON)))
        {
          guint lo = 0, hi = by_start->len;

          while (lo < hi)
            {
              guint mid = (lo + hi) / 2;

              if (g_array_index (by_start, Hit, mid).start < b->start)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (guint j = lo; j < by_start->len; j++)
            {
              const Hit *h = &g_array_index (by_start, Hit, j);

              if (h->start >= b->end)
                break;
              if (h->end <= b->end && (sig == NULL || h->sig->order < sig->order))
                sig = h->sig;
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

/* Appends the words of the text below @node to @out until it holds @max of them. */
static void
append_words (xmlNodePtr  node,
              GString    *out,
              guint      *n,
              guint       max,
              gboolean   *space)
{
  for (; node != NULL && *n < max; node = node->next)
    {
      if (node->type == XML_ELEMENT_NODE)
        append_words (node->children, out, n, max, space);
      else if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
               && node->content != NULL)
        for (const char *p = (const char *) node->content; *p != '\0'; p++)
          {
            if (g_ascii_isspace (*p))
              {
                *space = TRUE;
                continue;
              }
            if (*space || out->len == 0)
              {
                if (*n == max)
                  return;
                if (out->len > 0)
                  g_string_append_c (out, ' ');
                (*n)++;
              }
            *space = FALSE;
            g_string_append_c (out, *p);
          }
      /* Words run across inline elements, as in the element's content. */
    }
}

/* The first twelve words of @node's text. */
static char *
excerpt_of (xmlNodePtr node)
{
  GString *out = g_string_new (NULL);
  guint n = 0;
  gboolean space = FALSE;

  append_words (node->children, out, &n, 12, &space);
  return g_string_free (out, FALSE);
}

GazetteClutterRemoval *
gazette_clutter_removal_new (xmlNodePtr  node,
                             const char *category,
                             const char *rule)
{
  GazetteClutterRemoval *removal = g_new0 (GazetteClutterRemoval, 1);

  removal->reason = g_strdup (category_reason (category));
  removal->rule = g_strdup (rule);
  removal->excerpt = excerpt_of (node);
  return removal;
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
  /* The excerpt only for what is removed in the end: most marks fall under others. */
  g_hash_table_insert (apply->marked, node, removal);
  g_ptr_array_add (apply->order, node);
}

/* The category of one word of an attribute (lower-cased into @lower), or of its camelCase
 * parts ("AdSlot", "ShareButtons"), but not of random names ("bXqPzR"): every part must be a
 * plausible word. Sets *@overlay when the only category is "overlay". */
static const char *
word_category (GHashTable *tokens,
               const char *word,
               gsize       len,
               gboolean   *overlay)
{
  char lower[64];
  gsize starts[16];
  guint n_parts = 0;
  const char *category;

  if (len == 0 || len >= sizeof lower)
    return NULL;
  for (gsize i = 0; i < len; i++)
    lower[i] = lower_ascii (word[i]);
  lower[len] = '\0';
  category = g_hash_table_lookup (tokens, lower);
  if (category != NULL && !g_str_equal (category, "overlay"))
    return category;
  if (category != NULL)
    *overlay = TRUE;

  starts[n_parts++] = 0;
  for (gsize i = 1; i < len; i++)
    if (g_ascii_isupper (word[i]) && g_ascii_islower (word[i - 1]))
      {
        if (n_parts == G_N_ELEMENTS (starts))
          return NULL;
        starts[n_parts++] = i;
      }
  if (n_parts < 2)
    return NULL;
  for (guint j = 0; j < n_parts; j++)
    {
      gsize part = (j + 1 < n_parts ? starts[j + 1] : len) - starts[j];
      gsize neighbour = j > 0 ? starts[j] - starts[j - 1]
                              : (n_parts > 2 ? starts[2] : len) - starts[1];

      if (part < 2 || (part == 2 && neighbour < 3))
        return NULL;
      for (gsize i = starts[j]; i < starts[j] + part; i++)
        if (g_ascii_isdigit (word[i]))
          return NULL;
    }
  for (guint j = 0; j < n_parts; j++)
    {
      gsize end = j + 1 < n_parts ? starts[j + 1] : len;
      char saved = lower[end];

      lower[end] = '\0';
      category = g_hash_table_lookup (tokens, lower + starts[j]);
      lower[end] = saved;
      if (category != NULL && !g_str_equal (category, "overlay"))
        return category;
      if (category != NULL)
        *overlay = TRUE;
    }
  return NULL;
}

/* The category of the words of @text (class, id, role or data-* name and value). */
static const char *
text_category (GHashTable *tokens,
               const char *text,
               gboolean   *overlay)
{
  static const char separators[] = " \t\n\r\f_-:/.=,[]()";
  static gsize initialised;
  static gboolean is_separator[256];
  const char *p = text;

  if (g_once_init_enter (&initialised))
    {
      for (const char *c = separators; *c != '\0'; c++)
        is_separator[(guchar) *c] = TRUE;
      g_once_init_leave (&initialised, 1);
    }
  while (*p != '\0')
    {
      const char *start;
      const char *category;

      while (*p != '\0' && is_separator[(guchar) *p])
        p++;
      start = p;
      while (*p != '\0' && !is_separator[(guchar) *p])
        p++;
      category = word_category (tokens, start, p - start, overlay);
      if (category != NULL)
        return category;
    }
  return NULL;
}

/* The category of @node's own structural tokens, NULL when it has none. */
static const char *
structural_category (Apply      *apply,
                     xmlNodePtr  node)
{
  gboolean overlay = FALSE;

  for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
    {
      const char *name = (const char *) attr->name;
      const char *category = NULL;
      const char *value = NULL;
      xmlChar *copy = NULL;

      if (g_str_equal (name, "class") || g_str_equal (name, "id") || g_str_equal (name, "role"))
        ;
      else if (g_str_has_prefix (name, "data-"))
        category = text_category (apply->sigs->tokens, name + 5, &overlay);
      else
        continue;
      if (category != NULL)
        return category;
      if (attr->children != NULL && attr->children->next == NULL
          && attr->children->type == XML_TEXT_NODE)
        value = (const char *) attr->children->content;
      else if (attr->children != NULL)
        value = (const char *) (copy = xmlNodeListGetString (node->doc, attr->children, 1));
      if (value != NULL && strlen (value) < 300)
        category = text_category (apply->sigs->tokens, value, &overlay);
      if (copy != NULL)
        xmlFree (copy);
      if (category != NULL)
        return category;
    }
  return overlay ? "overlay" : NULL;
}

/* The value of @node's attribute @name without a copy, when it is plain text (nearly
 * always); NULL when absent. *@copy holds a value that had to be built, to xmlFree(). */
static const char *
attr_text (xmlNodePtr   node,
           const char  *name,
           xmlChar    **copy)
{
  *copy = NULL;
  for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
    if (g_ascii_strcasecmp ((const char *) attr->name, name) == 0)
      {
        if (attr->children == NULL)
          return "";
        if (attr->children->next == NULL && attr->children->type == XML_TEXT_NODE)
          return attr->children->content != NULL ? (const char *) attr->children->content : "";
        *copy = xmlNodeListGetString (node->doc, attr->children, 1);
        return *copy != NULL ? (const char *) *copy : "";
      }
  return NULL;
}

/* Whether the inline style @style sets @property (written without spaces, lower case). */
static gboolean
style_has (const char *style,
           const char *property)
{
  char compact[512];
  gsize n = 0;

  for (const char *r = style; *r != '\0' && n + 1 < sizeof compact; r++)
    if (!g_ascii_isspace (*r))
      compact[n++] = lower_ascii (*r);
  compact[n] = '\0';
  return strstr (compact, property) != NULL;
}

static gboolean
is_hidden (xmlNodePtr node)
{
  xmlChar *copy;
  const char *value;
  gboolean hidden = FALSE;

  if (node->properties == NULL)
    return FALSE;
  if (xmlHasProp (node, (const xmlChar *) "hidden"))
    return TRUE;
  if ((value = attr_text (node, "style", &copy)) != NULL)
    hidden = style_has (value, "display:none") || style_has (value, "visibility:hidden");
  xmlFree (copy);
  if (hidden)
    return TRUE;
  if ((value = attr_text (node, "aria-hidden", &copy)) != NULL)
    hidden = g_ascii_strcasecmp (value, "true") == 0 && (tag_flags (node) & TAG_BLOCK);
  xmlFree (copy);
  return hidden;
}

static gboolean
is_overlay (xmlNodePtr node)
{
  xmlChar *copy;
  const char *value;
  gboolean overlay = FALSE;

  if (name_is (node, "dialog"))
    return TRUE;
  if (node->properties == NULL)
    return FALSE;
  if ((value = attr_text (node, "role", &copy)) != NULL)
    overlay = g_ascii_strcasecmp (value, "dialog") == 0
              || g_ascii_strcasecmp (value, "alertdialog") == 0;
  xmlFree (copy);
  if (!overlay && (value = attr_text (node, "aria-modal", &copy)) != NULL)
    overlay = g_ascii_strcasecmp (value, "true") == 0;
  xmlFree (copy);
  if (!overlay && (value = attr_text (node, "style", &copy)) != NULL)
    overlay = style_has (value, "position:fixed");
  xmlFree (copy);
  return overlay;
}

typedef struct
{
  guint            n;          /* hits */
  guint            distinct;   /* distinct signatures */
  gboolean         label;      /* a "=" or "^" hit */
  gboolean         covers;     /* a "=" hit on the block itself */
  const Signature *disclosure; /* a plain disclosure or copyright phrase, not quoted */
  gboolean         heads;      /* a "^" hit of several words (or an ad or credit label) on
                                * the whole of a short block: "Written by …", "Pin this" */
  gboolean         action;     /* a link or button that is a signature */
  guint            covered;    /* bytes of text inside plain hits (overlaps counted once) */
  const Signature *first;
} Hits;

/* Whether @at in @flat is inside a quotation opened in the 80 bytes before it (“…, „…,
 * «…, or right after a straight quote). */
static gboolean
after_quote (const char *flat,
             gsize       at)
{
  const char *start = flat + (at > 80 ? at - 80 : 0);
  const char *p = flat + at;
  gboolean open = FALSE;

  while (p > flat && p[-1] == ' ')
    p--;
  if (p > flat && (p[-1] == '"' || p[-1] == '\''))
    return TRUE;
  /* Start at a character boundary. */
  while (start < flat + at && ((guchar) *start & 0xC0) == 0x80)
    start++;
  for (const char *q = start; q < flat + at; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);

      if (c == 0x201C || c == 0x201E || c == 0x00AB || c == 0x2039 || c == 0x300C)
        open = TRUE;
      else if (c == 0x201D || c == 0x00BB || c == 0x203A || c == 0x300D)
        open = FALSE;
    }
  return open;
}

/* Whether the text of @h (a "^" hit) reads as a label line, "Written by Jane Doe", not as a
 * sentence that happens to start with the phrase ("Share this timeline with vendors …"): a
 * few words after the phrase and no full stop at the end. */
static gboolean
is_label_line (Apply     *apply,
               const Hit *h)
{
  const char *text = apply->flat->str + h->start;
  gsize len = h->end - h->start;
  guint words = 0;

  while (len > 0 && text[len - 1] == ' ')
    len--;
  if (len == 0 || text[len - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (text[i] == ' ' && i + 1 < len && text[i + 1] != ' ')
      words++;
  /* Words beyond the phrase's own. */
  for (const char *p = h->sig->phrase; *p != '\0'; p++)
    if (*p == ' ')
      words = words > 0 ? words - 1 : 0;
  return words <= 8;
}

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
      /* An image credit says nothing about the block around it, only about itself. */
      if (g_str_equal (h->sig->category, "credit") && (h->end - h->start) + 2 < b->end - b->start)
        continue;
      out->n++;
      if (h->node == NULL && h->end > covered_to)
        {
          out->covered += h->end - MAX (h->start, covered_to);
          covered_to = h->end;
        }
      if (out->first == NULL)
        out->first = h->sig;
      /* A disclosure quoted (“we may earn a commission”) is talked about, not made. */
      if (h->node == NULL && (g_str_equal (h->sig->category, "disclosure")
                              || g_str_equal (h->sig->category, "legal"))
          && !after_quote (apply->flat->str, h->start))
        out->disclosure = h->sig;
      if (h->node != NULL)
        {
          out->label = TRUE;
          if (name_is (h->node, "a") || name_is (h->node, "button"))
            out->action = TRUE;
          /* The label is all the block says ("Advertisement" over an empty slot). */
          if (h->sig->kind == SIG_WHOLE && (h->end - h->start) + 2 >= b->end - b->start)
            out->covers = TRUE;
          /* A single word only for labels that never start a sentence of the article:
           * "^donate" would take "Donate blood at …". */
          if (h->sig->kind == SIG_PREFIX && (h->end - h->start) + 2 >= b->end - b->start
              && b->end - b->start <= 100 && is_label_line (apply, h)
              && (strchr (h->sig->phrase, ' ') != NULL || h->sig->cjk
                  || g_str_equal (h->sig->category, "ad")
                  || g_str_equal (h->sig->category, "credit")))
            out->heads = TRUE;
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

/* Categories whose class names are enough for a small block: an author box, a call to action
 * or a disclosure is never the article, whatever its shape. */
static gboolean
is_boxed (const char *category)
{
  return g_str_equal (category, "author") || g_str_equal (category, "promo")
         || g_str_equal (category, "disclosure") || g_str_equal (category, "byline");
}

/* The @name element below @node holding (nearly) all of its @len bytes of text, or NULL. */
static xmlNodePtr
covered_by (Apply      *apply,
            xmlNodePtr  node,
            const char *name,
            guint       len)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      Block *cb;

      if (child->type != XML_ELEMENT_NODE || (cb = block_of (apply, child)) == NULL)
        continue;
      if (cb->end - cb->start == 0)
        continue;
      if (name_is (child, name))
        return (cb->end - cb->start) * 10 >= len * 9 ? child : NULL;
      /* One level of wrapping ("<p><strong><a>…</a></strong></p>"). */
      if ((cb->end - cb->start) * 10 >= len * 9)
        return covered_by (apply, child, name, len);
      return NULL;
    }
  return NULL;
}

/* Whether a word of @node's class is "btn" or "button": a link drawn as a button. */
static gboolean
is_button_link (xmlNodePtr node)
{
  xmlChar *copy;
  const char *value = attr_text (node, "class", &copy);
  gboolean found = FALSE;

  for (const char *p = value; p != NULL && *p != '\0' && !found;)
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (g_ascii_isalnum (*p))
        p++;
      found = (p - start == 3 && g_ascii_strncasecmp (start, "btn", 3) == 0)
              || (p - start == 6 && g_ascii_strncasecmp (start, "button", 6) == 0);
    }
  xmlFree (copy);
  return found;
}

/* A small box with a title or picture and a link drawn as a button: see judge(). */
static gboolean
is_card (Block *b)
{
  return b != NULL && b->button_links > 0 && (b->titles > 0 || b->pictures > 0)
         && b->prose < 300 && b->end - b->start <= 600;
}

static xmlNodePtr
sibling_element (xmlNodePtr node,
                 gboolean   forward)
{
  for (node = forward ? node->next : node->prev; node != NULL;
       node = forward ? node->next : node->prev)
    if (node->type == XML_ELEMENT_NODE && !(tag_flags (node) & TAG_SKIPPED))
      return node;
  return NULL;
}

static char *
card_kind (xmlNodePtr node)
{
  xmlChar *copy;
  const char *cls = attr_text (node, "class", &copy);
  char *kind = cls != NULL && *cls != '\0'
               ? g_strconcat ((const char *) node->name, " ", cls, NULL) : NULL;

  xmlFree (copy);
  return kind;
}

/* Counts the page's cards by their tag and class: a product box in every item of a list. */
static void
count_cards (Apply *apply)
{
  for (guint i = 0; i < apply->blocks->len; i++)
    {
      Block *b = &g_array_index (apply->blocks, Block, i);
      char *kind;

      if (!is_card (b) || (kind = card_kind (b->node)) == NULL)
        continue;
      g_hash_table_insert (apply->card_kinds, kind,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (apply->card_kinds, kind)) + 1));
    }
}

/* Whether the card proper in @node (the innermost card-shaped block: wrappers have names
 * that recur for anything) is one of three or more alike on the page. */
static gboolean
is_repeated_card (Apply      *apply,
                  xmlNodePtr  node)
{
  guint first = GPOINTER_TO_UINT (node->_private) - 1;
  guint last = first;
  guint end = g_array_index (apply->blocks, Block, first).end;

  /* Descendants follow in document order; an empty one may start at @end. */
  while (last + 1 < apply->blocks->len)
    {
      Block *b = &g_array_index (apply->blocks, Block, last + 1);

      if (b->start > end || !is_inside (b->node, node))
        break;
      last++;
    }
  for (guint i = first; i <= last; i++)
    {
      Block *b = &g_array_index (apply->blocks, Block, i);
      g_autofree char *kind = NULL;
      gboolean innermost = TRUE;

      if (!is_card (b))
        continue;
      for (guint j = i + 1; j <= last && innermost; j++)
        {
          Block *c = &g_array_index (apply->blocks, Block, j);

          innermost = !(is_card (c) && is_inside (c->node, b->node));
        }
      if (innermost && (kind = card_kind (b->node)) != NULL
          && GPOINTER_TO_UINT (g_hash_table_lookup (apply->card_kinds, kind)) >= 3)
        return TRUE;
    }
  return FALSE;
}

/* Whether @node holds a list of cards: two children or more alike (same tag and class, or
 * list items) that are cards each. */
static gboolean
holds_cards (Apply      *apply,
             xmlNodePtr  node)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      xmlChar *copy;
      const char *cls;
      char *kind;

      if (child->type != XML_ELEMENT_NODE || !is_card (block_of (apply, child)))
        continue;
      cls = attr_text (child, "class", &copy);
      /* Classless blocks are a card's parts (its title row, its buttons) as often as not. */
      kind = cls != NULL && *cls != '\0'
             ? g_strconcat ((const char *) child->name, " ", cls, NULL)
             : name_is (child, "li") ? g_strdup ("li") : NULL;
      xmlFree (copy);
      if (kind != NULL && !g_hash_table_add (seen, kind))
        return TRUE;
    }
  return FALSE;
}

/* Whether the card @node has another card beside it, at its level or at that of the
 * wrappers (list items, grid cells) that hold it alone. */
static gboolean
in_card_series (Apply      *apply,
                xmlNodePtr  node)
{
  guint len = block_of (apply, node)->end - block_of (apply, node)->start;

  for (xmlNodePtr n = node; n != NULL && n != apply->scope && n->type == XML_ELEMENT_NODE;
       n = n->parent)
    {
      Block *nb = block_of (apply, n);

      if (nb == NULL || nb->end - nb->start > len + 20)
        break;
      for (int forward = 0; forward <= 1; forward++)
        {
          xmlNodePtr s = sibling_element (n, forward);

          if (s != NULL && is_card (block_of (apply, s)))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
in_form (xmlNodePtr node)
{
  for (; node != NULL && node->type == XML_ELEMENT_NODE; node = node->parent)
    if (name_is (node, "form"))
      return TRUE;
  return FALSE;
}

/* Decides about one element; TRUE when it was marked (do not descend). */
/* Whether @node, an inline element, stands alone between blocks, as a label line does
 * ("<span>Subscribers only</span><h1>…"): no running text on either side of it. */
static gboolean
is_standalone_inline (xmlNodePtr node)
{
  if (node->parent == NULL || !(tag_flags (node->parent) & TAG_BLOCK))
    return FALSE;
  for (int side = 0; side < 2; side++)
    for (xmlNodePtr n = side == 0 ? node->prev : node->next; n != NULL;
         n = side == 0 ? n->prev : n->next)
      {
        if (n->type == XML_TEXT_NODE)
          {
            for (const xmlChar *c = n->content; c != NULL && *c != '\0'; c++)
              if (!g_ascii_isspace (*c))
                return FALSE;
            continue;
          }
        if (n->type != XML_ELEMENT_NODE || (tag_flags (n) & TAG_SKIPPED))
          continue;
        if (tag_flags (n) & TAG_INLINE)
          return FALSE;
        break;
      }
  return TRUE;
}

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

  /* A link to a place on the page labelled as a tool ("Jump to the list ⤵", "Back to top")
   * at the head of a paragraph: the link goes, the paragraph's sentence stays. */
  if ((b->flags & TAG_A) && hits.heads && g_str_equal (hits.first->category, "tools"))
    {
      xmlChar *copy;
      const char *href = attr_text (node, "href", &copy);
      gboolean in_page = href != NULL && href[0] == '#' && href[1] != '\0';

      xmlFree (copy);
      if (in_page)
        {
          mark (apply, node, "tools", "heuristic:tools-jump-link");
          return TRUE;
        }
    }

  in_main = apply->main != NULL && is_inside (node, apply->main);
  flow = in_main && (b->flags & TAG_PROSE);

  /* A label standing alone is judged as a paragraph is; not a span wrapping a whole post. */
  if (flow || (b->flags & TAG_PROSE)
      || ((b->flags & TAG_INLINE) && hits.n > 0 && len <= 200 && b->prose == 0
          && is_standalone_inline (node)))
    {
      /* A paragraph of the article goes only when it is itself clutter: a label
       * ("Advertisement"), a call to action made of links, or one with a structural hint. */
      /* A byline, author box, call to action or disclosure says so in its class names. */
      if (hits.n == 0 && structure != NULL && is_boxed (structure) && len < 400 && b->h1 == 0
          && !name_is (node, "td") && !name_is (node, "th"))
        {
          g_autofree char *rule = g_strdup_printf ("heuristic:%s-structure", structure);

          mark (apply, node, structure, rule);
          return TRUE;
        }
      /* A date on a line of its own ("<p><time>15 Dec, 2025</time></p>") is the byline's. */
      if (len > 0 && len <= 60 && covered_by (apply, node, "time", len) != NULL)
        {
          mark (apply, node, "byline", "heuristic:byline-time");
          return TRUE;
        }
      /* A paragraph that is one link drawn as a button ("Buy poster", "Start free trial"). */
      if (len > 0 && len <= 40 && name_is (node, "p"))
        {
          xmlNodePtr link = covered_by (apply, node, "a", len);

          if (link != NULL && is_button_link (link))
            {
              mark (apply, node, "promo", "heuristic:promo-button");
              return TRUE;
            }
        }
      if (hits.disclosure != NULL && len < 400)
        {
          g_autofree char *rule = heuristic_rule (NULL, hits.disclosure);

          mark (apply, node, hits.disclosure->category, rule);
          return TRUE;
        }
      if (hits.n == 0)
        return FALSE;
      if (hits.covers || hits.heads || (structure != NULL && !g_str_equal (structure, "overlay"))
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
  if (!(b->flags & TAG_BLOCK))
    return FALSE;

  /* A self-contained block: small next to the article, and never most of the page. */
  if (len * 2 > apply->scope_len)
    return FALSE;
  if (in_main ? len * 2 > apply->main_len
              : len > MAX (apply->main_len * 3 / 2, 2000u) && apply->main != NULL)
    return FALSE;

  if (hits.disclosure != NULL && len < 400)
    {
      g_autofree char *rule = heuristic_rule (NULL, hits.disclosure);

      mark (apply, node, hits.disclosure->category, rule);
      return TRUE;
    }
  /* Two or more share links and little else: a share bar, however it is labelled. */
  if (b->share_links >= 2 && b->prose < 100 && len < 300 && (b->links * 2 >= len || hits.n > 0))
    {
      mark (apply, node, "share", "heuristic:share-links");
      return TRUE;
    }
  /* A small box asking for an e-mail address and little else (a comment form asks for more)
   * is a sign-up, its lead line included: "The morning briefing, in your inbox". */
  if (b->email_inputs > 0 && b->inputs <= 3 && b->prose < 300 && len < 600)
    {
      mark (apply, node, "newsletter", "heuristic:newsletter-form");
      return TRUE;
    }
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
  /* A card that sells: a title or a picture, a line or two, and a link drawn as a button
   * ("Buy on Amazon", "Save your spot"). The article's sections have more prose than that, and
   * its buttons stand alone (see "promo-button" above). Cards side by side are the article's
   * list (the recipes, courses or products it rounds up); so are the words of a card that
   * recurs in every item of the list, though its bare buttons and titles are not. */
  if (is_card (b) && !name_is (node, "td") && !name_is (node, "table")
      && (b->sales_links > 0 || (structure != NULL && !g_str_equal (structure, "overlay")))
      && !in_card_series (apply, node) && !holds_cards (apply, node)
      && (b->links + b->title_text + 20 >= len || !is_repeated_card (apply, node)))
    {
      mark (apply, node, "promo", "heuristic:promo-card");
      return TRUE;
    }
  /* A widget to pick from lists ("Select up to 3" products to compare, a size, a region): the
   * page's controls with what they show, no prose of the article. Only beside an article
   * whose paragraphs were found, and not in a form (a sign-up form's fields have their own
   * rule, and a page may be one big form). */
  if (b->selects >= 2 && b->prose == 0 && len <= 5000 && apply->main != NULL
      && b->inputs == 0 && !in_form (node))
    {
      mark (apply, node, "tools", "heuristic:tools-choosers");
      return TRUE;
    }
  /* A form with fields to fill in (sign-up, comment, lead capture) is never the article. */
  if (name_is (node, "form") && b->inputs >= 2 && b->prose < 300 && len <= 1500)
    {
      mark (apply, node, "login", "heuristic:login-form");
      return TRUE;
    }
  if (structure != NULL && !g_str_equal (structure, "overlay")
      && ((b->prose < 300 && (((interactive || link_dense) && len <= 1500)
                              || (g_str_equal (structure, "ad") && len < 120)))
          || (is_boxed (structure) && b->prose < 300 && len < 600)
          /* An author's bio is prose, but no longer than a paragraph or two. */
          || (g_str_equal (structure, "author") && len < 600)))
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
      /* Elements not measured are skipped ones (scripts, styles, SVG) and all below them. */
      if (block_of (apply, node) == NULL)
        continue;
      if (g_hash_table_contains (apply->marked, node))
        continue;
      if (!judge (apply, node, page))
        walk (apply, node->children, page);
    }
}

/* Marks in @found (parallel to @texts) which of @texts some attribute value at or below
 * @node contains. */
static void
find_in_attributes (xmlNodePtr  node,
                    GPtrArray  *texts,
                    gboolean   *found,
                    guint      *left)
{
  for (; node != NULL && *left > 0; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;
      for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
        for (xmlNodePtr text = attr->children; text != NULL; text = text->next)
          if (text->content != NULL)
            for (guint i = 0; i < texts->len; i++)
              if (!found[i] && strstr ((const char *) text->content,
                                       g_ptr_array_index (texts, i)) != NULL)
                {
                  found[i] = TRUE;
                  (*left)--;
                }
      find_in_attributes (node->children, texts, found, left);
    }
}

static xmlNodePtr
next_element (xmlNodePtr node)
{
  for (node = node->next; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE && !(tag_flags (node) & TAG_SKIPPED))
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
              && nb->prose < 200 && ((tag_flags (next) & TAG_BLOCK))))
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
  GazetteFilterList *lists[3];
  g_autoptr(GHashTable) keyed = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) required_texts = g_ptr_array_new ();
  g_autofree gboolean *required_found = NULL;
  g_autofree char *host = NULL;

  if (url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        host = g_ascii_strdown (g_uri_get_host (uri), -1);
    }
  get_lists (filter, lists);
  keyed = gazette_filter_lists_collect_keys (lists, apply->scope);
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
  /* Unkeyed rules are mostly [href*=…] and the like: one walk over the page's attributes
   * tells which of their texts it has, rather than a walk of the page for each rule. */
  for (guint i = 0; i < rules->len; i++)
    {
      GazetteSelector *selector = gazette_filter_rule_get_selector (g_ptr_array_index (rules, i));
      const char *required = gazette_selector_get_required_text (selector);

      if (required != NULL
          && !g_ptr_array_find_with_equal_func (required_texts, required, g_str_equal, NULL))
        g_ptr_array_add (required_texts, (gpointer) required);
    }
  required_found = g_new0 (gboolean, required_texts->len + 1);
  if (required_texts->len > 0)
    {
      guint left = required_texts->len;

      find_in_attributes (apply->scope, required_texts, required_found, &left);
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

      /* Skip those whose text no attribute of the page contains. */
      if (required != NULL)
        {
          guint at;

          if (!g_ptr_array_find_with_equal_func (required_texts, required, g_str_equal, &at)
              || !required_found[at])
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

/* One pass over the text for the plain phrases (the bigram index, as find_hits does), a
 * lookup for the "=" phrases and a look at the "^" ones: the first signature in the file's
 * order that the text has, as a scan of every signature in turn would find. */
const char *
gazette_clutter_text_signature (const char *text)
{
  Signatures *sigs = get_signatures ();
  g_autoptr(GString) flat = g_string_new (NULL);
  g_autofree char *label = NULL;
  const Signature *best = NULL;
  gboolean pending = FALSE;
  guint words = 1;

  g_return_val_if_fail (text != NULL, NULL);

  append_folded (flat, text, &pending);
  label = normalize_label (text, -1);
  /* A label is a short line: "^join" must not take "Join the queue at dawn, …". */
  for (const char *p = label; *p != '\0' && words <= 16; p++)
    if (*p == ' ')
      words++;

  best = g_hash_table_lookup (sigs->whole, label);
  for (guint i = 0; words <= 16 && i < sigs->prefix->len; i++)
    {
      const Signature *sig = g_ptr_array_index (sigs->prefix, i);

      if (best != NULL && sig->order > best->order)
        break;
      if (g_str_has_prefix (label, sig->phrase) &&
          (label[sig->len] == '\0' || label[sig->len] == ' ' || sig->cjk))
        {
          best = sig;
          break;
        }
    }
  for (gsize at = 0; at + 1 < flat->len; at++)
    {
      guint key;

      if (at > 0 && (guchar) flat->str[at] < 0x80 && g_ascii_isalnum (flat->str[at - 1]))
        continue;
      if (((guchar) flat->str[at] & 0xC0) == 0x80)
        continue;
      key = bigram_of (flat->str + at);
      for (guint j = sigs->bigram_start[key]; j < sigs->bigram_start[key + 1]; j++)
        {
          const Signature *sig = g_ptr_array_index (sigs->plain, sigs->plain_by_bigram[j]);

          if ((best != NULL && sig->order > best->order) || at + sig->len > flat->len ||
              memcmp (flat->str + at, sig->phrase, sig->len) != 0)
            continue;
          if ((sig->cjk || (is_boundary (flat->str, flat->len, (gssize) at - 1, TRUE) &&
                            is_boundary (flat->str, flat->len, at + sig->len, FALSE))) &&
              !after_quote (flat->str, at))
            best = sig;
        }
    }
  return best != NULL ? best->category : NULL;
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
  apply.blocks = g_array_sized_new (FALSE, TRUE, sizeof (Block), 4096);
  apply.hits = g_array_new (FALSE, TRUE, sizeof (Hit));
  apply.marked = g_hash_table_new (NULL, NULL);
  apply.order = g_ptr_array_new ();
  apply.protected = g_hash_table_new (NULL, NULL);
  apply.card_kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

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
  count_cards (&apply);

  /* The page phase ran the rules over the whole page, the article included. */
  if (phase == GAZETTE_CLUTTER_PHASE_PAGE)
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
        {
          removal->excerpt = excerpt_of (node);
          g_ptr_array_add (removals, removal);
        }
      else
        gazette_clutter_removal_free (removal);
      removed++;
    }
  for (guint i = 0; i < apply.blocks->len; i++)
    {
      Block *b = &g_array_index (apply.blocks, Block, i);

      b->node->_private = b->saved;
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
  g_array_unref (apply.hits);
  g_hash_table_unref (apply.marked);
  g_ptr_array_unref (apply.order);
  g_hash_table_unref (apply.protected);
  g_hash_table_unref (apply.card_kinds);
  return removed;
}

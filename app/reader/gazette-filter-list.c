/* gazette-filter-list.c — cosmetic filter-list parser and index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EasyList has some twenty thousand cosmetic rules; a page only ever needs the few whose class
 * or id it carries. Generic rules are therefore indexed by the class or id of their rightmost
 * compound, site rules by domain, and a page looks up only its own keys and its host's domains.
 */
#include "config.h"

#include "gazette-filter-list.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "gazette-error.h"

struct _GazetteFilterRule
{
  char            *text;
  GazetteSelector *selector;
  char           **include;   /* NULL: every site */
  char           **exclude;   /* NULL: none */
};

/* A bit per hash of the keys rules are indexed by: most class names of a page are in no list,
 * and one bit test tells without building the key and looking it up. */
#define KEY_BITS (1u << 20)

/* FNV-1a over @prefix ('.' or '#') and @length bytes of @text. */
static guint32
key_hash (char        prefix,
          const char *text,
          gsize       length)
{
  guint32 hash = (2166136261u ^ (guchar) prefix) * 16777619u;

  for (gsize i = 0; i < length; i++)
    hash = (hash ^ (guchar) text[i]) * 16777619u;
  return hash & (KEY_BITS - 1);
}

struct _GazetteFilterList
{
  GPtrArray  *rules;               /* owns GazetteFilterRule* */
  GHashTable *generic_by_key;      /* ".class"/"#id" → GPtrArray of rules */
  GHashTable *all_keys;            /* the keys of every rule, generic or not (a set) */
  guint64    *key_bits;            /* KEY_BITS bits: key_hash() of each of @all_keys */
  GPtrArray  *generic_unkeyed;
  GHashTable *by_domain;           /* "example.com" or "example.*" → GPtrArray of rules */
  GHashTable *generic_exceptions;  /* selector text set */
  GHashTable *domain_exceptions;   /* domain → set of selector text */
  guint       n_rules;
  guint       n_skipped;
  gboolean    refuse_unkeyed;      /* see gazette_filter_list_set_accept_unkeyed () */
  guint       n_invalid;
};

static void
filter_rule_free (GazetteFilterRule *rule)
{
  g_free (rule->text);
  g_clear_pointer (&rule->selector, gazette_selector_unref);
  g_strfreev (rule->include);
  g_strfreev (rule->exclude);
  g_free (rule);
}

GazetteFilterList *
gazette_filter_list_new (void)
{
  GazetteFilterList *list = g_new0 (GazetteFilterList, 1);

  list->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) filter_rule_free);
  list->generic_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_ptr_array_unref);
  list->all_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->key_bits = g_new0 (guint64, KEY_BITS / 64);
  list->generic_unkeyed = g_ptr_array_new ();
  list->by_domain = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
  list->generic_exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  list->domain_exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify) g_hash_table_unref);
  return list;
}

void
gazette_filter_list_free (GazetteFilterList *list)
{
  if (list == NULL)
    return;
  g_hash_table_unref (list->generic_by_key);
  g_hash_table_unref (list->all_keys);
  g_free (list->key_bits);
  g_ptr_array_unref (list->generic_unkeyed);
  g_hash_table_unref (list->by_domain);
  g_hash_table_unref (list->generic_exceptions);
  g_hash_table_unref (list->domain_exceptions);
  g_ptr_array_unref (list->rules);
  g_free (list);
}

static void
add_to_bucket (GHashTable        *table,
               const char        *key,
               GazetteFilterRule *rule)
{
  GPtrArray *bucket = g_hash_table_lookup (table, key);

  if (bucket == NULL)
    {
      bucket = g_ptr_array_new ();
      g_hash_table_insert (table, g_strdup (key), bucket);
    }
  g_ptr_array_add (bucket, rule);
}

typedef enum {
  SEP_NONE,
  SEP_HIDE,       /* ## */
  SEP_EXCEPTION,  /* #@# */
  SEP_OTHER,      /* #?# #$# #%# and their exceptions: not plain cosmetic */
} Separator;

/* Finds the cosmetic separator of @line; @sep_start and @body point around it. */
static Separator
find_separator (const char  *line,
                const char **sep_start,
                const char **body)
{
  for (const char *p = strchr (line, '#'); p != NULL; p = strchr (p + 1, '#'))
    {
      const char *q = p + 1;
      gboolean at = FALSE;

      if (*q == '@')
        {
          at = TRUE;
          q++;
        }
      if (*q == '#')
        {
          *sep_start = p;
          *body = q + 1;
          return at ? SEP_EXCEPTION : SEP_HIDE;
        }
      if ((*q == '?' || *q == '$' || *q == '%') && q[1] == '#')
        {
          *sep_start = p;
          *body = q + 2;
          return SEP_OTHER;
        }
    }
  return SEP_NONE;
}

static gboolean
is_domain_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_' || c == '*' || c == '~'
         || c == ',' || (guchar) c >= 0x80;
}

/* Parses one line; returns TRUE when it added a rule or an exception. */
static gboolean
add_line (GazetteFilterList *list,
          const char        *line,
          guint              line_number,
          GPtrArray         *warnings)
{
  const char *sep_start = NULL;
  const char *body = NULL;
  Separator sep;
  g_autofree char *domains = NULL;
  g_autoptr(GPtrArray) include = NULL;
  g_autoptr(GPtrArray) exclude = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteSelector) selector = NULL;
  g_autofree char *selector_text = NULL;
  GazetteFilterRule *rule;
  const char * const *keys;

  if (*line == '\0' || *line == '!' || *line == '[')
    return FALSE;
  sep = find_separator (line, &sep_start, &body);
  if (sep == SEP_NONE || sep == SEP_OTHER)
    {
      list->n_skipped++;
      return FALSE;
    }
  for (const char *p = line; p < sep_start; p++)
    if (!is_domain_char (*p))
      {
        /* "||ads.example^$…#…" and the like: a network rule. */
        if (*line == '/')
          {
            list->n_invalid++;
            if (warnings != NULL)
              g_ptr_array_add (warnings,
                               g_strdup_printf (_("line %u: regular-expression domains are not supported"),
                                                line_number));
          }
        else
          list->n_skipped++;
        return FALSE;
      }
  /* Scriptlets and HTML filters are not cosmetic. */
  if (g_str_has_prefix (body, "+js(") || *body == '^')
    {
      list->n_skipped++;
      return FALSE;
    }
  selector_text = g_strstrip (g_strdup (body));
  if (*selector_text == '\0')
    {
      list->n_invalid++;
      if (warnings != NULL)
        g_ptr_array_add (warnings, g_strdup_printf (_("line %u: the selector is empty"),
                                                    line_number));
      return FALSE;
    }

  domains = g_ascii_strdown (line, sep_start - line);
  if (*domains != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (domains, ",", -1);

      include = g_ptr_array_new_with_free_func (g_free);
      exclude = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *d = g_strstrip (parts[i]);

          if (*d == '~' && d[1] != '\0')
            g_ptr_array_add (exclude, g_strdup (d + 1));
          else if (*d != '\0' && *d != '~')
            g_ptr_array_add (include, g_strdup (d));
        }
    }

  if (sep == SEP_EXCEPTION)
    {
      if (include == NULL || include->len == 0)
        g_hash_table_add (list->generic_exceptions, g_steal_pointer (&selector_text));
      else
        for (guint i = 0; i < include->len; i++)
          {
            const char *d = g_ptr_array_index (include, i);
            GHashTable *set = g_hash_table_lookup (list->domain_exceptions, d);

            if (set == NULL)
              {
                set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
                g_hash_table_insert (list->domain_exceptions, g_strdup (d), set);
              }
            g_hash_table_add (set, g_strdup (selector_text));
          }
      list->n_rules++;
      return TRUE;
    }

  selector = gazette_selector_new (selector_text, &error);
  if (selector == NULL)
    {
      list->n_invalid++;
      if (warnings != NULL)
        g_ptr_array_add (warnings, g_strdup_printf (_("line %u: %s"), line_number,
                                                    error->message));
      return FALSE;
    }

  rule = g_new0 (GazetteFilterRule, 1);
  rule->text = g_strdup (line);
  rule->selector = g_steal_pointer (&selector);
  if (include != NULL && include->len > 0)
    {
      g_ptr_array_add (include, NULL);
      rule->include = (char **) g_ptr_array_free (g_steal_pointer (&include), FALSE);
    }
  if (exclude != NULL && exclude->len > 0)
    {
      g_ptr_array_add (exclude, NULL);
      rule->exclude = (char **) g_ptr_array_free (g_steal_pointer (&exclude), FALSE);
    }
  g_ptr_array_add (list->rules, rule);
  list->n_rules++;
  if ((keys = gazette_selector_get_keys (rule->selector)) != NULL)
    for (guint i = 0; keys[i] != NULL; i++)
      if (!g_hash_table_contains (list->all_keys, keys[i]))
        {
          guint32 bit = key_hash (keys[i][0], keys[i] + 1, strlen (keys[i] + 1));

          g_hash_table_add (list->all_keys, g_strdup (keys[i]));
          list->key_bits[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
        }

  if (rule->include != NULL)
    for (guint i = 0; rule->include[i] != NULL; i++)
      add_to_bucket (list->by_domain, rule->include[i], rule);
  else if ((keys = gazette_selector_get_keys (rule->selector)) != NULL)
    {
      for (guint i = 0; keys[i] != NULL; i++)
        {
          /* "a.x, b.x" names .x twice; index the rule once per distinct key. */
          gboolean seen = FALSE;

          for (guint j = 0; j < i; j++)
            seen |= g_str_equal (keys[i], keys[j]);
          if (!seen)
            add_to_bucket (list->generic_by_key, keys[i], rule);
        }
    }
  else if (list->refuse_unkeyed)
    {
      list->n_rules--;
      list->n_skipped++;
      return FALSE;
    }
  else
    g_ptr_array_add (list->generic_unkeyed, rule);
  return TRUE;
}

void
gazette_filter_list_set_accept_unkeyed (GazetteFilterList *list,
                                        gboolean           accept)
{
  g_return_if_fail (list != NULL);
  list->refuse_unkeyed = !accept;
}

guint
gazette_filter_list_add_text (GazetteFilterList *list,
                              const char        *text,
                              gssize             length,
                              GPtrArray         *warnings)
{
  const char *p, *end;
  guint line_number = 0;
  guint added = 0;

  g_return_val_if_fail (list != NULL, 0);
  g_return_val_if_fail (text != NULL || length == 0, 0);

  if (length < 0)
    length = strlen (text);
  end = text + length;
  for (p = text; p < end;)
    {
      const char *eol = memchr (p, '\n', end - p);
      g_autofree char *line = NULL;

      if (eol == NULL)
        eol = end;
      line_number++;
      line = g_strstrip (g_strndup (p, eol - p));
      if (add_line (list, line, line_number, warnings))
        added++;
      p = eol + 1;
    }
  return added;
}

guint
gazette_filter_list_get_n_rules (GazetteFilterList *list)
{
  return list->n_rules;
}

guint
gazette_filter_list_get_n_skipped (GazetteFilterList *list)
{
  return list->n_skipped;
}

guint
gazette_filter_list_get_n_invalid (GazetteFilterList *list)
{
  return list->n_invalid;
}

/* Adds @node under @key (copied only when new). */
static void
add_keyed (GHashTable *keyed,
           const char *key,
           xmlNodePtr  node)
{
  GPtrArray *nodes = g_hash_table_lookup (keyed, key);

  if (nodes == NULL)
    {
      nodes = g_ptr_array_new ();
      g_hash_table_insert (keyed, g_strdup (key), nodes);
    }
  if (nodes->len == 0 || g_ptr_array_index (nodes, nodes->len - 1) != node)
    g_ptr_array_add (nodes, node);
}

/* The text of an attribute without a copy when it is one text node (as nearly always). */
static const char *
attribute_text (xmlNodePtr  node,
                xmlAttrPtr  attr,
                xmlChar   **copy)
{
  *copy = NULL;
  if (attr->children == NULL)
    return "";
  if (attr->children->next == NULL && attr->children->type == XML_TEXT_NODE)
    return attr->children->content != NULL ? (const char *) attr->children->content : "";
  *copy = xmlNodeListGetString (node->doc, attr->children, 1);
  return *copy != NULL ? (const char *) *copy : "";
}

/* Keys as "#id" and ".class", built in one buffer: a page has thousands of them. */
/* Whether one of @lists (NULL: no filtering) may have a rule keyed by @prefix and @length
 * bytes of @text; FALSE is sure, TRUE needs wanted_key(). */
static gboolean
maybe_wanted_key (GazetteFilterList * const *lists,
                  char                       prefix,
                  const char                *text,
                  gsize                      length)
{
  guint32 bit;

  if (lists == NULL)
    return TRUE;
  bit = key_hash (prefix, text, length);
  for (guint i = 0; lists[i] != NULL; i++)
    if (lists[i]->key_bits[bit / 64] & (G_GUINT64_CONSTANT (1) << (bit % 64)))
      return TRUE;
  return FALSE;
}

/* Whether one of @lists (NULL: no filtering) has a rule keyed by @key. */
static gboolean
wanted_key (GazetteFilterList * const *lists,
            const char                *key)
{
  if (lists == NULL)
    return TRUE;
  for (guint i = 0; lists[i] != NULL; i++)
    if (g_hash_table_contains (lists[i]->all_keys, key))
      return TRUE;
  return FALSE;
}

static void
collect_keyed (xmlNodePtr                 node,
               GHashTable                *keyed,
               GString                   *key,
               GazetteFilterList * const *lists)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;
      for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
        {
          gboolean is_id = xmlStrEqual (attr->name, (const xmlChar *) "id");
          xmlChar *copy;
          const char *value;

          if (!is_id && !xmlStrEqual (attr->name, (const xmlChar *) "class"))
            continue;
          value = attribute_text (node, attr, &copy);
          if (is_id)
            {
              const char *start = value, *end = value + strlen (value);

              while (start < end && g_ascii_isspace (*start))
                start++;
              while (end > start && g_ascii_isspace (end[-1]))
                end--;
              if (end > start && maybe_wanted_key (lists, '#', start, end - start))
                {
                  g_string_assign (key, "#");
                  g_string_append_len (key, start, end - start);
                  if (wanted_key (lists, key->str))
                    add_keyed (keyed, key->str, node);
                }
            }
          else
            for (const char *p = value; *p != '\0';)
              {
                const char *start;

                while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
                  p++;
                start = p;
                while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'
                       && *p != '\f')
                  p++;
                if (p > start && maybe_wanted_key (lists, '.', start, p - start))
                  {
                    g_string_assign (key, ".");
                    g_string_append_len (key, start, p - start);
                    if (wanted_key (lists, key->str))
                      add_keyed (keyed, key->str, node);
                  }
              }
          if (copy != NULL)
            xmlFree (copy);
        }
      collect_keyed (node->children, keyed, key, lists);
    }
}

static GHashTable *
collect_keys (xmlNodePtr                 root,
              GazetteFilterList * const *lists)
{
  GHashTable *keyed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);

  if (root != NULL)
    {
      xmlNodePtr next = root->next;
      g_autoptr(GString) key = g_string_new (NULL);

      /* Only @root and its subtree, not its following siblings. */
      root->next = NULL;
      collect_keyed (root, keyed, key, lists);
      root->next = next;
    }
  return keyed;
}

GHashTable *
gazette_filter_list_collect_keys (xmlNodePtr root)
{
  return collect_keys (root, NULL);
}

GHashTable *
gazette_filter_lists_collect_keys (GazetteFilterList * const *lists,
                                   xmlNodePtr                 root)
{
  g_return_val_if_fail (lists != NULL, NULL);
  return collect_keys (root, lists);
}

/* @host and its parent domains, plus "label.*" forms for entity rules ("example.*"). */
static GPtrArray *
host_domains (const char *host)
{
  GPtrArray *domains = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = host; p != NULL && *p != '\0';)
    {
      const char *dot = strchr (p, '.');

      g_ptr_array_add (domains, g_strdup (p));
      if (dot != NULL)
        g_ptr_array_add (domains, g_strdup_printf ("%.*s.*", (int) (dot - p), p));
      p = dot != NULL ? dot + 1 : NULL;
    }
  return domains;
}

static gboolean
domain_matches (const char *host,
                const char *domain)
{
  gsize hl = strlen (host), dl = strlen (domain);

  if (g_str_has_suffix (domain, ".*"))
    {
      g_autoptr(GPtrArray) candidates = host_domains (host);

      for (guint i = 0; i < candidates->len; i++)
        if (g_str_equal (g_ptr_array_index (candidates, i), domain))
          return TRUE;
      return FALSE;
    }
  return hl == dl ? g_str_equal (host, domain)
                  : hl > dl && host[hl - dl - 1] == '.' && g_str_equal (host + hl - dl, domain);
}

static gboolean
rule_applies (GazetteFilterList *list,
              GazetteFilterRule *rule,
              const char        *host,
              GPtrArray         *domains)
{
  const char *css = gazette_selector_get_css (rule->selector);

  if (rule->exclude != NULL && host != NULL)
    for (guint i = 0; rule->exclude[i] != NULL; i++)
      if (domain_matches (host, rule->exclude[i]))
        return FALSE;
  if (g_hash_table_contains (list->generic_exceptions, css))
    return FALSE;
  for (guint i = 0; domains != NULL && i < domains->len; i++)
    {
      GHashTable *set = g_hash_table_lookup (list->domain_exceptions,
                                             g_ptr_array_index (domains, i));

      if (set != NULL && g_hash_table_contains (set, css))
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
gazette_filter_list_lookup (GazetteFilterList *list,
                            const char        *host,
                            GHashTable        *keys)
{
  GPtrArray *result = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) domains = NULL;
  g_autofree char *lhost = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (list != NULL, result);

  if (host != NULL && *host != '\0')
    {
      lhost = g_ascii_strdown (host, -1);
      domains = host_domains (lhost);
    }

#define CONSIDER(bucket) \
  for (guint i_ = 0; (bucket) != NULL && i_ < (bucket)->len; i_++) \
    { \
      GazetteFilterRule *r_ = g_ptr_array_index ((bucket), i_); \
      if (g_hash_table_add (seen, r_) && rule_applies (list, r_, lhost, domains)) \
        g_ptr_array_add (result, r_); \
    }

  if (keys != NULL && g_hash_table_size (keys) < g_hash_table_size (list->generic_by_key))
    {
      g_hash_table_iter_init (&iter, keys);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          GPtrArray *bucket = g_hash_table_lookup (list->generic_by_key, key);

          CONSIDER (bucket);
        }
    }
  else
    {
      g_hash_table_iter_init (&iter, list->generic_by_key);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (keys == NULL || g_hash_table_contains (keys, key))
          {
            GPtrArray *bucket = value;

            CONSIDER (bucket);
          }
    }
  CONSIDER (list->generic_unkeyed);
  for (guint i = 0; domains != NULL && i < domains->len; i++)
    {
      GPtrArray *bucket = g_hash_table_lookup (list->by_domain, g_ptr_array_index (domains, i));

      CONSIDER (bucket);
    }
#undef CONSIDER
  return result;
}

const char *
gazette_filter_rule_get_text (GazetteFilterRule *rule)
{
  return rule->text;
}

GazetteSelector *
gazette_filter_rule_get_selector (GazetteFilterRule *rule)
{
  return rule->selector;
}

gboolean
gazette_filter_rule_is_generic (GazetteFilterRule *rule)
{
  return rule->include == NULL;
}

/* --- export to WebKit and CSS ----------------------------------------------------------- */

gboolean
gazette_filter_list_is_excepted (GazetteFilterList *list,
                                 const char        *css,
                                 const char        *host)
{
  g_autoptr(GPtrArray) domains = NULL;
  g_autofree char *lhost = NULL;

  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (css != NULL, FALSE);

  if (g_hash_table_contains (list->generic_exceptions, css))
    return TRUE;
  if (host == NULL || *host == '\0')
    return FALSE;
  lhost = g_ascii_strdown (host, -1);
  domains = host_domains (lhost);
  for (guint i = 0; i < domains->len; i++)
    {
      GHashTable *set = g_hash_table_lookup (list->domain_exceptions,
                                             g_ptr_array_index (domains, i));

      if (set != NULL && g_hash_table_contains (set, css))
        return TRUE;
    }
  return FALSE;
}

static gboolean
excepted_by_any (GazetteFilterList * const *lists,
                 const char                *css,
                 const char                *host)
{
  for (guint i = 0; lists[i] != NULL; i++)
    if (gazette_filter_list_is_excepted (lists[i], css, host))
      return TRUE;
  return FALSE;
}

/* The domains of every site exception of @css in @lists ("a.com" for "a.com#@#sel"). */
static void
collect_excepting_domains (GazetteFilterList * const *lists,
                           const char                *css,
                           GPtrArray                 *out)
{
  for (guint i = 0; lists[i] != NULL; i++)
    {
      GHashTableIter iter;
      gpointer domain, set;

      g_hash_table_iter_init (&iter, lists[i]->domain_exceptions);
      while (g_hash_table_iter_next (&iter, &domain, &set))
        if (g_hash_table_contains (set, css))
          g_ptr_array_add (out, domain);
    }
}

/* WebKit drops a whole css-display-none action when one selector of its list fails to parse;
 * batches keep such a loss small while keeping the number of entries low. */
#define SELECTORS_PER_ENTRY 200

static void
add_entry (JsonBuilder *builder,
           const char  *domain_key,
           GPtrArray   *domains,
           const char  *selector)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "trigger");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url-filter");
  json_builder_add_string_value (builder, ".*");
  if (domain_key != NULL)
    {
      json_builder_set_member_name (builder, domain_key);
      json_builder_begin_array (builder);
      for (guint i = 0; i < domains->len; i++)
        {
          /* "*a.com": a.com and its subdomains, as in filter lists. */
          g_autofree char *d = g_strconcat ("*", (char *) g_ptr_array_index (domains, i), NULL);

          json_builder_add_string_value (builder, d);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "css-display-none");
  json_builder_set_member_name (builder, "selector");
  json_builder_add_string_value (builder, selector);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
flush_batch (JsonBuilder *builder,
             GString     *batch,
             guint       *n_in_batch)
{
  if (*n_in_batch > 0)
    add_entry (builder, NULL, NULL, batch->str);
  g_string_truncate (batch, 0);
  *n_in_batch = 0;
}

static gboolean
is_entity_domain (const char *domain)
{
  return g_str_has_suffix (domain, ".*");
}

/* Whether @rule hides on @host when @host is given; with no @host, whether it is expressible. */
static gboolean
rule_for_export (GazetteFilterList * const *lists,
                 GazetteFilterRule         *rule,
                 const char                *host)
{
  const char *css = gazette_selector_get_css (rule->selector);

  if (host == NULL)
    return !excepted_by_any (lists, css, NULL);
  if (rule->include != NULL)
    {
      gboolean included = FALSE;

      for (guint i = 0; rule->include[i] != NULL && !included; i++)
        included = domain_matches (host, rule->include[i]);
      if (!included)
        return FALSE;
    }
  if (rule->exclude != NULL)
    for (guint i = 0; rule->exclude[i] != NULL; i++)
      if (domain_matches (host, rule->exclude[i]))
        return FALSE;
  return !excepted_by_any (lists, css, host);
}

char *
gazette_filter_lists_to_content_blocker_json (GazetteFilterList * const *lists,
                                              const char                *host)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *lhost = host != NULL && *host != '\0' ? g_ascii_strdown (host, -1) : NULL;
  guint n_in_batch = 0;

  g_return_val_if_fail (lists != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint l = 0; lists[l] != NULL; l++)
    for (guint i = 0; i < lists[l]->rules->len; i++)
      {
        GazetteFilterRule *rule = g_ptr_array_index (lists[l]->rules, i);
        const char *css = gazette_selector_get_css (rule->selector);
        g_autoptr(GPtrArray) unless = g_ptr_array_new ();

        if (!rule_for_export (lists, rule, lhost))
          continue;

        if (lhost == NULL)
          {
            if (rule->exclude != NULL)
              for (guint j = 0; rule->exclude[j] != NULL; j++)
                if (!is_entity_domain (rule->exclude[j]))
                  g_ptr_array_add (unless, rule->exclude[j]);
            collect_excepting_domains (lists, css, unless);
          }

        if (lhost == NULL && rule->include != NULL)
          {
            /* A site rule: its own entry. WebKit's trigger takes if-domain or unless-domain,
             * not both, so an excluded subdomain or a site exception drops the domain it
             * names from the list of sites (the rule then also spares its parent). */
            g_autoptr(GPtrArray) domains = g_ptr_array_new ();

            for (guint j = 0; rule->include[j] != NULL; j++)
              {
                const char *d = rule->include[j];
                gboolean spared = is_entity_domain (d);

                for (guint k = 0; k < unless->len && !spared; k++)
                  spared = domain_matches (g_ptr_array_index (unless, k), d);
                if (!spared)
                  g_ptr_array_add (domains, (char *) d);
              }
            if (domains->len > 0)
              add_entry (builder, "if-domain", domains, css);
            continue;
          }
        if (unless->len > 0)
          {
            add_entry (builder, "unless-domain", unless, css);
            continue;
          }
        /* Generic (or, with @host, applying here): batched into selector lists. */
        if (!g_hash_table_add (seen, (char *) css))
          continue;
        if (n_in_batch > 0)
          g_string_append (batch, ", ");
        g_string_append (batch, css);
        if (++n_in_batch == SELECTORS_PER_ENTRY)
          flush_batch (builder, batch, &n_in_batch);
      }
  flush_batch (builder, batch, &n_in_batch);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
gazette_filter_lists_to_style_sheet (GazetteFilterList * const *lists,
                                     const char                *host)
{
  GString *css = g_string_new (NULL);
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *lhost = host != NULL && *host != '\0' ? g_ascii_strdown (host, -1) : NULL;
  guint n_in_batch = 0;

  g_return_val_if_fail (lists != NULL, NULL);

  for (guint l = 0; lists[l] != NULL; l++)
    for (guint i = 0; i < lists[l]->rules->len; i++)
      {
        GazetteFilterRule *rule = g_ptr_array_index (lists[l]->rules, i);
        const char *sel = gazette_selector_get_css (rule->selector);

        /* Without a host, only rules that hide on every site. */
        if (lhost == NULL)
          {
            g_autoptr(GPtrArray) unless = g_ptr_array_new ();

            if (rule->include != NULL || rule->exclude != NULL)
              continue;
            collect_excepting_domains (lists, sel, unless);
            if (unless->len > 0)
              continue;
          }
        if (!rule_for_export (lists, rule, lhost)
            || !g_hash_table_add (seen, (char *) sel))
          continue;
        if (n_in_batch > 0)
          g_string_append (batch, ",\n");
        g_string_append (batch, sel);
        if (++n_in_batch == SELECTORS_PER_ENTRY)
          {
            g_string_append_printf (css, "%s { display: none !important; }\n", batch->str);
            g_string_truncate (batch, 0);
            n_in_batch = 0;
          }
      }
  if (n_in_batch > 0)
    g_string_append_printf (css, "%s { display: none !important; }\n", batch->str);
  return g_string_free (css, FALSE);
}

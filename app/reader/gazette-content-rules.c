/* gazette-content-rules.c — the clutter filter's rules for the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader view runs the default clutter filter (gazette-clutter.c) inside the extractor; the
 * user's list is applied to the page just before, as a filter of its own, so the default one is
 * loaded once and never rebuilt. The original view is WebKit's: the same cosmetic lines become
 * "css-display-none" content blocker entries. WebKit skips a selector it cannot parse; ours
 * (gazette-selector.c) must parse it too, so both views hide the same blocks.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <stdlib.h>
#include <string.h>

#include "gazette-clutter.h"
#include "gazette-content-rules.h"
#include "gazette-encoding.h"
#include "gazette-selector.h"

/* The same places gazette-clutter.c looks in (Debian's uBlock Origin packages). */
static const char * const easylist_paths[] = {
  "/usr/share/webext/ublock-origin/assets/thirdparties/easylist/easylist.txt",
  "/usr/share/chromium/extensions/ublock-origin/assets/thirdparties/easylist/easylist.txt",
  "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/uBlock0@raymondhill.net/assets/thirdparties/easylist/easylist.txt",
};

typedef enum {
  LIST_GAZETTE,
  LIST_EASYLIST,
  LIST_USER,
} ListKind;

typedef struct {
  char      *selector;
  GPtrArray *include;   /* domains, NULL: every site */
  GPtrArray *exclude;   /* "~domain" parts, NULL when none */
  ListKind   list;
} Entry;

struct _GazetteContentRules
{
  GPtrArray            *entries;            /* of Entry* */
  GHashTable           *generic_exceptions; /* selector → TRUE */
  GHashTable           *domain_exceptions;  /* domain → GHashTable of selectors */
  guint                 n_rules;
  gboolean              easylist_found;
  GazetteClutterFilter *user_filter;        /* NULL: the user's list has no rule */
};

static void
entry_free (Entry *entry)
{
  g_free (entry->selector);
  g_clear_pointer (&entry->include, g_ptr_array_unref);
  g_clear_pointer (&entry->exclude, g_ptr_array_unref);
  g_free (entry);
}

/* Parsing: only what the content blocker and style sheets need; gazette-filter-list.c is the
 * parser that reports problems. */

static gboolean
is_domain_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == ',' || c == '~' || c == '*' ||
         c == '_' || (guchar) c >= 0x80;
}

/* A selector safe inside a style sheet and understood by our selector engine. */
static gboolean
selector_usable (const char *selector)
{
  g_autoptr(GazetteSelector) parsed = NULL;

  if (*selector == '\0' || strpbrk (selector, "{}<>;\\") != NULL || strstr (selector, "/*"))
    return FALSE;
  parsed = gazette_selector_new (selector, NULL);
  return parsed != NULL;
}

static void
add_exception (GazetteContentRules *rules,
               GPtrArray           *include,
               const char          *selector)
{
  if (include == NULL || include->len == 0)
    {
      g_hash_table_add (rules->generic_exceptions, g_strdup (selector));
      return;
    }
  for (guint i = 0; i < include->len; i++)
    {
      const char *d = g_ptr_array_index (include, i);
      GHashTable *set = g_hash_table_lookup (rules->domain_exceptions, d);

      if (set == NULL)
        {
          set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (rules->domain_exceptions, g_strdup (d), set);
        }
      g_hash_table_add (set, g_strdup (selector));
    }
}

static void
add_line (GazetteContentRules *rules,
          const char          *line,
          ListKind             list)
{
  const char *hash;
  const char *body;
  gboolean exception;
  g_autofree char *domains = NULL;
  g_autofree char *selector = NULL;
  g_autoptr(GPtrArray) include = NULL;
  g_autoptr(GPtrArray) exclude = NULL;
  Entry *entry;

  if (*line == '\0' || *line == '!' || *line == '[')
    return;
  /* The first '#' that starts a separator: "##", "#@#"; "#?#", "#$#", "#%#", "#@?#" … are
   * procedural, scriptlet or snippet filters, not cosmetic ones. */
  hash = strchr (line, '#');
  if (hash == NULL)
    return;
  if (g_str_has_prefix (hash, "##"))
    {
      exception = FALSE;
      body = hash + 2;
    }
  else if (g_str_has_prefix (hash, "#@#"))
    {
      exception = TRUE;
      body = hash + 3;
    }
  else
    return;
  if (g_str_has_prefix (body, "+js(") || *body == '^')
    return;
  for (const char *p = line; p < hash; p++)
    if (!is_domain_char (*p))
      return;

  selector = g_strstrip (g_strdup (body));
  if (!selector_usable (selector))
    return;

  domains = g_ascii_strdown (line, hash - line);
  if (*domains != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (domains, ",", -1);
      gboolean had_include = FALSE;

      include = g_ptr_array_new_with_free_func (g_free);
      exclude = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *d = g_strstrip (parts[i]);
          gboolean negated = *d == '~';

          if (negated)
            d++;
          if (*d == '\0')
            continue;
          if (!negated)
            had_include = TRUE;
          /* WebKit knows no "example.*" entity domains. */
          if (g_str_has_suffix (d, ".*") || strchr (d, '*') != NULL)
            continue;
          g_ptr_array_add (negated ? exclude : include, g_strdup (d));
        }
      if (had_include && include->len == 0)
        return;
      if (include->len == 0)
        g_clear_pointer (&include, g_ptr_array_unref);
      if (exclude->len == 0)
        g_clear_pointer (&exclude, g_ptr_array_unref);
    }

  rules->n_rules++;
  if (exception)
    {
      add_exception (rules, include, selector);
      return;
    }
  entry = g_new0 (Entry, 1);
  entry->selector = g_steal_pointer (&selector);
  entry->include = g_steal_pointer (&include);
  entry->exclude = g_steal_pointer (&exclude);
  entry->list = list;
  g_ptr_array_add (rules->entries, entry);
}

static void
add_text (GazetteContentRules *rules,
          const char          *text,
          gsize                length,
          ListKind             list)
{
  const char *end = text + length;

  for (const char *p = text; p < end;)
    {
      const char *eol = memchr (p, '\n', end - p);
      g_autofree char *line = NULL;

      if (eol == NULL)
        eol = end;
      line = g_strstrip (g_strndup (p, eol - p));
      add_line (rules, line, list);
      p = eol + 1;
    }
}

/* Whether @user_text has a line that is a cosmetic rule at all. */
static gboolean
has_rules (const char *user_text)
{
  g_auto(GStrv) lines = g_strsplit (user_text != NULL ? user_text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '!' && *line != '[' && strchr (line, '#') != NULL)
        return TRUE;
    }
  return FALSE;
}

GazetteContentRules *
gazette_content_rules_new (const char *user_text,
                           GPtrArray  *warnings)
{
  GazetteContentRules *rules = g_new0 (GazetteContentRules, 1);
  const char *override = g_getenv ("GAZETTE_EASYLIST");
  g_autoptr(GBytes) ours = NULL;

  rules->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  rules->generic_exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rules->domain_exceptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    (GDestroyNotify) g_hash_table_unref);

  /* The default filter registers the reader's resources (and is needed for extraction). */
  (void) gazette_clutter_filter_get_default ();
  ours = g_resources_lookup_data ("/org/gazette/Gazette/reader/rules/gazette-filters.txt",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (ours != NULL)
    add_text (rules, g_bytes_get_data (ours, NULL), g_bytes_get_size (ours), LIST_GAZETTE);

  /* GAZETTE_EASYLIST names another list; empty turns it off, as for the default filter. */
  for (guint i = 0; override == NULL ? i < G_N_ELEMENTS (easylist_paths) : i < 1; i++)
    {
      const char *path = override != NULL ? override : easylist_paths[i];
      g_autofree char *text = NULL;
      gsize length;

      if (*path == '\0' || !g_file_get_contents (path, &text, &length, NULL))
        continue;
      rules->easylist_found = TRUE;
      add_text (rules, text, length, LIST_EASYLIST);
      break;
    }

  if (user_text != NULL)
    {
      add_text (rules, user_text, strlen (user_text), LIST_USER);
      /* Built even without rules, for its warnings. */
      rules->user_filter = gazette_clutter_filter_new_from_rules (user_text, warnings);
      if (!has_rules (user_text))
        g_clear_pointer (&rules->user_filter, gazette_clutter_filter_free);
    }
  return rules;
}

void
gazette_content_rules_free (GazetteContentRules *rules)
{
  if (rules == NULL)
    return;
  g_ptr_array_unref (rules->entries);
  g_hash_table_unref (rules->generic_exceptions);
  g_hash_table_unref (rules->domain_exceptions);
  gazette_clutter_filter_free (rules->user_filter);
  g_free (rules);
}

guint
gazette_content_rules_get_n_rules (GazetteContentRules *rules)
{
  g_return_val_if_fail (rules != NULL, 0);
  return rules->n_rules;
}

gboolean
gazette_content_rules_get_easylist_found (GazetteContentRules *rules)
{
  g_return_val_if_fail (rules != NULL, FALSE);
  return rules->easylist_found;
}

/* Output */

static gboolean
domain_excepts (GazetteContentRules *rules,
                const char          *domain,
                const char          *selector)
{
  GHashTable *set = g_hash_table_lookup (rules->domain_exceptions, domain);

  return set != NULL && g_hash_table_contains (set, selector);
}

static void
add_domains (JsonBuilder *builder,
             const char  *member,
             GPtrArray   *domains)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < domains->len; i++)
    {
      /* "*" takes in the subdomains, as the filter syntax does. */
      g_autofree char *d = g_strconcat ("*", (const char *) g_ptr_array_index (domains, i), NULL);

      json_builder_add_string_value (builder, d);
    }
  json_builder_end_array (builder);
}

/* selector → the domains that except it (a GPtrArray of borrowed strings), for generic rules. */
static GHashTable *
excepting_domains (GazetteContentRules *rules)
{
  GHashTable *by_selector = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                   (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer domain, set;

  g_hash_table_iter_init (&iter, rules->domain_exceptions);
  while (g_hash_table_iter_next (&iter, &domain, &set))
    {
      GHashTableIter inner;
      gpointer selector;

      g_hash_table_iter_init (&inner, set);
      while (g_hash_table_iter_next (&inner, &selector, NULL))
        {
          GPtrArray *domains = g_hash_table_lookup (by_selector, selector);

          if (domains == NULL)
            {
              domains = g_ptr_array_new ();
              g_hash_table_insert (by_selector, selector, domains);
            }
          g_ptr_array_add (domains, domain);
        }
    }
  return by_selector;
}

char *
gazette_content_rules_to_webkit_json (GazetteContentRules *rules)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) excepting = NULL;

  g_return_val_if_fail (rules != NULL, NULL);

  excepting = excepting_domains (rules);

  json_builder_begin_array (builder);
  for (guint i = 0; i < rules->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (rules->entries, i);
      g_autoptr(GPtrArray) include = NULL;
      g_autoptr(GPtrArray) unless = NULL;

      if (g_hash_table_contains (rules->generic_exceptions, entry->selector))
        continue;
      if (entry->include != NULL)
        {
          include = g_ptr_array_new ();
          for (guint j = 0; j < entry->include->len; j++)
            if (!domain_excepts (rules, g_ptr_array_index (entry->include, j), entry->selector))
              g_ptr_array_add (include, g_ptr_array_index (entry->include, j));
          if (include->len == 0)
            continue;
        }
      else
        {
          GPtrArray *excepted = g_hash_table_lookup (excepting, entry->selector);

          unless = g_ptr_array_new ();
          for (guint j = 0; excepted != NULL && j < excepted->len; j++)
            g_ptr_array_add (unless, g_ptr_array_index (excepted, j));
          for (guint j = 0; entry->exclude != NULL && j < entry->exclude->len; j++)
            g_ptr_array_add (unless, g_ptr_array_index (entry->exclude, j));
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "trigger");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url-filter");
      json_builder_add_string_value (builder, ".*");
      /* WebKit takes one of the two; a site rule's "~sub.site" parts are let go. */
      if (include != NULL)
        add_domains (builder, "if-domain", include);
      else if (unless != NULL && unless->len > 0)
        add_domains (builder, "unless-domain", unless);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "action");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "css-display-none");
      json_builder_set_member_name (builder, "selector");
      json_builder_add_string_value (builder, entry->selector);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Whether @host is @domain or below it. */
static gboolean
host_in (const char *host,
         const char *domain)
{
  gsize host_len = strlen (host), len = strlen (domain);

  return host_len >= len && g_ascii_strcasecmp (host + host_len - len, domain) == 0 &&
         (host_len == len || host[host_len - len - 1] == '.');
}

static gboolean
any_host_in (const char *host,
             GPtrArray  *domains)
{
  for (guint i = 0; domains != NULL && i < domains->len; i++)
    if (host_in (host, g_ptr_array_index (domains, i)))
      return TRUE;
  return FALSE;
}

/* Whether a domain exception on @host or a parent of it excepts @selector. */
static gboolean
host_excepts (GazetteContentRules *rules,
              const char          *host,
              const char          *selector)
{
  for (const char *h = host; h != NULL && *h; )
    {
      const char *dot;

      if (domain_excepts (rules, h, selector))
        return TRUE;
      dot = strchr (h, '.');
      h = dot != NULL ? dot + 1 : NULL;
    }
  return FALSE;
}

char *
gazette_content_rules_to_style_sheet (GazetteContentRules *rules,
                                      const char          *host)
{
  g_autoptr(GString) css = g_string_new (NULL);

  g_return_val_if_fail (rules != NULL, NULL);

  for (guint i = 0; i < rules->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (rules->entries, i);

      if (g_hash_table_contains (rules->generic_exceptions, entry->selector))
        continue;
      if (entry->include != NULL)
        {
          if (host == NULL || !any_host_in (host, entry->include))
            continue;
        }
      else if (entry->list == LIST_EASYLIST)
        continue;
      if (host != NULL && (host_excepts (rules, host, entry->selector) ||
                           any_host_in (host, entry->exclude)))
        continue;
      /* One rule a selector: a selector WebKit does not know spoils only its own rule. */
      g_string_append_printf (css, "%s { display: none !important; }\n", entry->selector);
    }
  if (css->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&css), FALSE);
}

/* Extraction with the user's list */

GazetteArticleContent *
gazette_content_rules_extract (GazetteContentRules *rules,
                               const char          *html,
                               gsize                length,
                               const char          *url,
                               const char          *content_type,
                               GError             **error)
{
  const int parse_options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                            HTML_PARSE_NOWARNING;
  GazetteExtractOptions options = { url, content_type, rules == NULL };
  g_autoptr(GPtrArray) removals = NULL;
  g_autofree char *utf8 = NULL;
  xmlChar *filtered = NULL;
  int filtered_length = 0;
  gsize utf8_length = 0;
  GazetteArticleContent *content;
  xmlDocPtr doc;

  if (rules == NULL || rules->user_filter == NULL)
    return gazette_extract (html, length, &options, error);

  /* The user's rules first, on the whole page, so the default filter and the extractor never
   * see what the user hid. */
  utf8 = gazette_to_utf8 (html, length, content_type, &utf8_length);
  doc = htmlReadMemory (utf8, (int) MIN (utf8_length, G_MAXINT), url, "UTF-8", parse_options);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      return gazette_extract (html, length, &options, error);
    }
  removals = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_clutter_removal_free);
  gazette_clutter_filter_apply (rules->user_filter, doc, NULL, url, GAZETTE_CLUTTER_PHASE_PAGE,
                                removals);
  htmlSetMetaEncoding (doc, (const xmlChar *) "UTF-8");
  htmlDocDumpMemoryFormat (doc, &filtered, &filtered_length, 0);
  xmlFreeDoc (doc);

  options.content_type = "text/html; charset=utf-8";
  content = gazette_extract ((const char *) filtered, filtered_length, &options, error);
  xmlFree (filtered);
  if (content != NULL && removals->len > 0)
    {
      /* Ours first: they were taken out first. */
      for (guint i = 0; i < content->removed->len; i++)
        g_ptr_array_add (removals, g_steal_pointer (&g_ptr_array_index (content->removed, i)));
      g_ptr_array_set_size (content->removed, 0);
      for (guint i = 0; i < removals->len; i++)
        g_ptr_array_add (content->removed, g_steal_pointer (&g_ptr_array_index (removals, i)));
    }
  return content;
}

/* The original view */

static void
number_elements (xmlNodePtr  node,
                 guint      *next)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        char value[16];

        g_snprintf (value, sizeof value, "%u", (*next)++);
        xmlSetProp (node, (const xmlChar *) "data-gz-id", (const xmlChar *) value);
        number_elements (node->children, next);
      }
}

static void
collect_numbers (xmlNodePtr  node,
                 GHashTable *present)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        xmlChar *value = xmlGetProp (node, (const xmlChar *) "data-gz-id");

        if (value != NULL)
          g_hash_table_add (present, GUINT_TO_POINTER (atoi ((const char *) value) + 1));
        xmlFree (value);
        collect_numbers (node->children, present);
      }
}

/* The removed elements whose parent stayed: hiding those hides the rest. */
static void
collect_removed (xmlNodePtr  node,
                 GHashTable *present,
                 gboolean    parent_present,
                 GString    *css)
{
  for (; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE)
      {
        xmlChar *value = xmlGetProp (node, (const xmlChar *) "data-gz-id");
        gboolean here = value == NULL ||
                        g_hash_table_contains (present,
                                               GUINT_TO_POINTER (atoi ((const char *) value) + 1));

        if (!here && parent_present)
          g_string_append_printf (css, "%s[data-gz-id=\"%s\"]", css->len > 0 ? ",\n" : "",
                                  (const char *) value);
        xmlFree (value);
        collect_removed (node->children, present, here, css);
      }
}

char *
gazette_content_rules_original_page (GazetteContentRules *rules,
                                     const char          *html,
                                     const char          *url,
                                     char               **out_css,
                                     GPtrArray           *removals)
{
  const int parse_options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                            HTML_PARSE_NOWARNING;
  g_autoptr(GHashTable) present = NULL;
  g_autoptr(GString) css = NULL;
  xmlChar *numbered = NULL;
  int numbered_length = 0;
  xmlDocPtr doc, filtered;
  xmlNodePtr root;
  guint next = 0;
  char *page;

  g_return_val_if_fail (out_css != NULL, NULL);

  *out_css = NULL;
  if (html == NULL)
    return g_strdup ("");
  if (rules == NULL)
    return gazette_sanitize_html_page (html, -1, url);

  doc = htmlReadMemory (html, (int) MIN (strlen (html), G_MAXINT), url, "UTF-8", parse_options);
  if (doc == NULL || (root = xmlDocGetRootElement (doc)) == NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      return gazette_sanitize_html_page (html, -1, url);
    }

  /* Number every element, filter a copy as the reader view would (the user's rules, then the
   * page and article passes over the whole page), and hide by number what went missing. */
  number_elements (root, &next);
  /* Written out in UTF-8 whatever the page's <meta> said: it was read as UTF-8. */
  htmlSetMetaEncoding (doc, (const xmlChar *) "UTF-8");
  htmlDocDumpMemoryFormat (doc, &numbered, &numbered_length, 0);
  filtered = xmlCopyDoc (doc, 1);
  if (rules->user_filter != NULL)
    gazette_clutter_filter_apply (rules->user_filter, filtered, NULL, url,
                                  GAZETTE_CLUTTER_PHASE_PAGE, removals);
  gazette_clutter_filter_apply (gazette_clutter_filter_get_default (), filtered, NULL, url,
                                GAZETTE_CLUTTER_PHASE_PAGE, removals);
  gazette_clutter_filter_apply (gazette_clutter_filter_get_default (), filtered, NULL, url,
                                GAZETTE_CLUTTER_PHASE_ARTICLE, removals);
  present = g_hash_table_new (NULL, NULL);
  collect_numbers (xmlDocGetRootElement (filtered), present);
  css = g_string_new (NULL);
  collect_removed (root, present, TRUE, css);
  xmlFreeDoc (filtered);
  xmlFreeDoc (doc);

  page = gazette_sanitize_html_page ((const char *) numbered, numbered_length, url);
  xmlFree (numbered);
  if (css->len > 0)
    {
      g_string_append (css, " { display: none !important; }\n");
      *out_css = g_string_free (g_steal_pointer (&css), FALSE);
    }
  return page;
}

/* Selectors for a marked block */

static gboolean
usable_name (const char *name)
{
  guint digits = 0;

  if (name == NULL || *name == '\0' || strlen (name) > 48)
    return FALSE;
  /* Names with numbers in them are usually generated per page or per build. */
  for (const char *p = name; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }
  return digits < 3 && !g_ascii_isdigit (*name) && !(name[0] == '-' && g_ascii_isdigit (name[1]));
}

/* "div#id" or "div.a.b" for @node, NULL when it has neither usable. */
static char *
compound_of (xmlNodePtr node)
{
  g_autoptr(GString) out = g_string_new ((const char *) node->name);
  xmlChar *id = xmlGetProp (node, (const xmlChar *) "id");
  xmlChar *classes = xmlGetProp (node, (const xmlChar *) "class");
  gboolean named = FALSE;

  if (id != NULL && usable_name ((const char *) id))
    {
      g_string_append_printf (out, "#%s", (const char *) id);
      named = TRUE;
    }
  else if (classes != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set ((const char *) classes, " \t\n\r\f", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (usable_name (parts[i]))
          {
            g_string_append_printf (out, ".%s", parts[i]);
            named = TRUE;
          }
    }
  xmlFree (id);
  xmlFree (classes);
  return named ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static guint
element_index (xmlNodePtr node)
{
  guint index = 1;

  for (xmlNodePtr sibling = node->prev; sibling != NULL; sibling = sibling->prev)
    if (sibling->type == XML_ELEMENT_NODE)
      index++;
  return index;
}

static gboolean
selector_matches (const char *css,
                  xmlNodePtr  node)
{
  g_autoptr(GazetteSelector) selector = gazette_selector_new (css, NULL);

  return selector != NULL && gazette_selector_matches (selector, node);
}

char *
gazette_content_rules_selector_for_node (xmlNodePtr node)
{
  g_autofree char *own = NULL;
  g_autoptr(GString) path = NULL;
  xmlNodePtr ancestor;

  g_return_val_if_fail (node != NULL, NULL);

  if (node->type != XML_ELEMENT_NODE)
    return NULL;
  own = compound_of (node);
  if (own != NULL && selector_matches (own, node))
    return g_steal_pointer (&own);

  /* No name of its own: its place under the nearest named ancestor, a few levels up at most. */
  path = g_string_new (NULL);
  g_string_printf (path, "%s:nth-child(%u)", (const char *) node->name, element_index (node));
  ancestor = node->parent;
  for (guint depth = 0; depth < 4 && ancestor != NULL && ancestor->type == XML_ELEMENT_NODE;
       depth++, ancestor = ancestor->parent)
    {
      g_autofree char *named = NULL;

      if (xmlStrEqual (ancestor->name, (const xmlChar *) "body") ||
          xmlStrEqual (ancestor->name, (const xmlChar *) "html"))
        break;
      named = compound_of (ancestor);
      if (named != NULL)
        {
          g_autofree char *css = g_strdup_printf ("%s > %s", named, path->str);

          return selector_matches (css, node) ? g_steal_pointer (&css) : NULL;
        }
      g_string_prepend (path, " > ");
      {
        g_autofree char *step = g_strdup_printf ("%s:nth-child(%u)",
                                                 (const char *) ancestor->name,
                                                 element_index (ancestor));
        g_string_prepend (path, step);
      }
    }
  return NULL;
}

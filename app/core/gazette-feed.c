/* gazette-feed.c — a parsed feed (RSS, Atom, JSON Feed): parsing entry point, JSON, discovery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The formats live in gazette-feed-xml.c and gazette-feed-json.c, the text conversions in
 * gazette-feed-text.c. Here: decoding the bytes, choosing the format, what every format shares
 * once parsed (stable ids, duplicates), the JSON of `gazette-cli parse-feed`, and feed discovery.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "gazette-date.h"
#include "gazette-error.h"
#include "gazette-feed-private.h"

GazetteFeed *
gazette_feed_new (const char *format)
{
  GazetteFeed *feed = g_new0 (GazetteFeed, 1);

  feed->format = g_strdup (format);
  feed->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_entry_free);
  feed->warnings = g_ptr_array_new_with_free_func (g_free);
  return feed;
}

GazetteFeedEntry *
gazette_feed_entry_new (void)
{
  GazetteFeedEntry *entry = g_new0 (GazetteFeedEntry, 1);

  entry->categories = g_ptr_array_new_with_free_func (g_free);
  entry->enclosures = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_enclosure_free);
  return entry;
}

GazetteEnclosure *
gazette_enclosure_new (const char *url,
                       const char *type,
                       gint64      length)
{
  GazetteEnclosure *enclosure = g_new0 (GazetteEnclosure, 1);

  enclosure->url = g_strdup (url);
  enclosure->type = g_strdup (type);
  enclosure->length = length;
  return enclosure;
}

void
gazette_enclosure_free (GazetteEnclosure *enclosure)
{
  if (enclosure == NULL)
    return;
  g_free (enclosure->url);
  g_free (enclosure->type);
  g_free (enclosure);
}

void
gazette_feed_entry_free (GazetteFeedEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->title);
  g_free (entry->link);
  g_free (entry->author);
  g_free (entry->author_email);
  g_free (entry->summary);
  g_free (entry->content);
  g_free (entry->comments);
  g_clear_pointer (&entry->categories, g_ptr_array_unref);
  g_clear_pointer (&entry->enclosures, g_ptr_array_unref);
  g_free (entry);
}

void
gazette_feed_free (GazetteFeed *feed)
{
  if (feed == NULL)
    return;
  g_free (feed->format);
  g_free (feed->title);
  g_free (feed->link);
  g_free (feed->subtitle);
  g_free (feed->language);
  g_free (feed->icon);
  g_free (feed->image);
  g_free (feed->author);
  g_free (feed->generator);
  g_free (feed->rights);
  g_clear_pointer (&feed->entries, g_ptr_array_unref);
  g_clear_pointer (&feed->warnings, g_ptr_array_unref);
  g_free (feed);
}

void
gazette_feed_add_warning (GazetteFeed *feed,
                          const char  *message)
{
  for (guint i = 0; i < feed->warnings->len; i++)
    if (g_str_equal (g_ptr_array_index (feed->warnings, i), message))
      return;
  g_ptr_array_add (feed->warnings, g_strdup (message));
}

void
gazette_feed_entry_add_enclosure (GazetteFeedEntry *entry,
                                  GazetteEnclosure *enclosure)
{
  for (guint i = 0; i < entry->enclosures->len; i++)
    {
      GazetteEnclosure *other = g_ptr_array_index (entry->enclosures, i);

      if (g_str_equal (other->url, enclosure->url))
        {
          /* The same file twice (enclosure and media:content): keep what each knows. */
          if (other->type == NULL)
            other->type = g_steal_pointer (&enclosure->type);
          if (other->length <= 0 && enclosure->length > 0)
            other->length = enclosure->length;
          gazette_enclosure_free (enclosure);
          return;
        }
    }
  g_ptr_array_add (entry->enclosures, enclosure);
}

void
gazette_feed_entry_add_category (GazetteFeedEntry *entry,
                                 const char       *category)
{
  g_autofree char *folded = NULL;

  if (category == NULL)
    return;
  folded = gazette_feed_fold_whitespace (g_strdup (category));
  if (*folded == '\0')
    return;
  for (guint i = 0; i < entry->categories->len; i++)
    if (g_str_equal (g_ptr_array_index (entry->categories, i), folded))
      return;
  g_ptr_array_add (entry->categories, g_steal_pointer (&folded));
}

static char *
stable_id (GazetteFeedEntry *entry,
           guint             index)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);

  if (entry->link != NULL)
    {
      g_checksum_update (sum, (const guchar *) "link\n", -1);
      g_checksum_update (sum, (const guchar *) entry->link, -1);
    }
  else if (entry->title != NULL)
    {
      char date[32];

      g_snprintf (date, sizeof date, "\n%" G_GINT64_FORMAT, entry->published);
      g_checksum_update (sum, (const guchar *) "title\n", -1);
      g_checksum_update (sum, (const guchar *) entry->title, -1);
      g_checksum_update (sum, (const guchar *) date, -1);
    }
  else if (entry->content != NULL || entry->summary != NULL)
    {
      g_checksum_update (sum, (const guchar *) "content\n", -1);
      g_checksum_update (sum, (const guchar *) (entry->content != NULL ? entry->content
                                                                        : entry->summary), -1);
    }
  else
    {
      char position[32];

      /* Nothing to tell it by but where it stands. */
      g_snprintf (position, sizeof position, "position\n%u", index);
      g_checksum_update (sum, (const guchar *) position, -1);
    }
  return g_strconcat ("gazette:", g_checksum_get_string (sum), NULL);
}

void
gazette_feed_finish (GazetteFeed *feed)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_duplicates = 0;
  guint kept = 0;

  /* Compacts in place: one pass, whatever the number of duplicates. */
  for (guint i = 0; i < feed->entries->len; i++)
    {
      GazetteFeedEntry *entry = g_ptr_array_index (feed->entries, i);

      if (entry->updated == 0)
        entry->updated = entry->published;
      if (entry->published == 0)
        entry->published = entry->updated;
      if (entry->id == NULL)
        entry->id = stable_id (entry, i);

      /* Not g_hash_table_add alone: it would swap in this entry's key, freed just below. */
      if (g_hash_table_contains (seen, entry->id))
        {
          n_duplicates++;
          gazette_feed_entry_free (entry);
          continue;
        }
      g_hash_table_add (seen, entry->id);
      feed->entries->pdata[kept++] = entry;
    }
  /* The entries past the end are freed or moved: let the array forget them without freeing. */
  g_ptr_array_set_free_func (feed->entries, NULL);
  g_ptr_array_set_size (feed->entries, kept);
  g_ptr_array_set_free_func (feed->entries, (GDestroyNotify) gazette_feed_entry_free);

  if (n_duplicates > 0)
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("%u entry repeated the id of an earlier one and was left out",
                                   "%u entries repeated the id of an earlier one and were left out",
                                   n_duplicates),
                         n_duplicates);

      gazette_feed_add_warning (feed, message);
    }
}

/* libxml2 wants its global state set up once before threads use it. */
static void
ensure_libxml (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

static gboolean
starts_like_json (const char *text,
                  gsize       length)
{
  gsize i = 0;

  while (i < length && g_ascii_isspace (text[i]))
    i++;
  return i < length && (text[i] == '{' || text[i] == '[');
}

GazetteFeed *
gazette_feed_parse (const char  *data,
                    gsize        length,
                    const char  *base_url,
                    const char  *content_type,
                    GError     **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *utf8 = NULL;
  gsize utf8_length = 0;
  const char *text;
  gsize text_length;
  GazetteFeed *feed;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  ensure_libxml ();
  if (base_url != NULL && *base_url == '\0')
    base_url = NULL;

  /* Most feeds are ASCII: nothing to decode, nothing to copy. */
  if (data != NULL && gazette_feed_is_ascii (data, length))
    {
      text = data;
      text_length = length;
    }
  else
    {
      utf8 = gazette_feed_decode (data != NULL ? data : "", length, content_type, &utf8_length,
                                  warnings);
      text = utf8;
      text_length = utf8_length;
    }
  if (text == NULL || gazette_feed_is_blank (text, text_length))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                   _("This is not a feed: it is empty"));
      return NULL;
    }

  if (starts_like_json (text, text_length))
    {
      feed = gazette_feed_parse_json (text, text_length, base_url, error);
      if (feed != NULL)
        for (guint i = 0; i < warnings->len; i++)
          g_ptr_array_insert (feed->warnings, i, g_strdup (g_ptr_array_index (warnings, i)));
    }
  else
    feed = gazette_feed_parse_xml (text, text_length, base_url, warnings, error);

  if (feed == NULL)
    return NULL;
  gazette_feed_finish (feed);
  return feed;
}

/* ----- JSON ----- */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       value)
{
  g_autofree char *iso = value != 0 ? gazette_date_to_iso8601 (value) : NULL;

  add_string (builder, name, iso);
}

char *
gazette_feed_to_json (const GazetteFeed *feed,
                      gboolean           pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (feed != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "format", feed->format);
  add_string (builder, "title", feed->title);
  add_string (builder, "link", feed->link);
  add_string (builder, "subtitle", feed->subtitle);
  add_string (builder, "language", feed->language);
  add_time (builder, "updated", feed->updated);
  add_string (builder, "icon", feed->icon);
  add_string (builder, "image", feed->image);
  add_string (builder, "author", feed->author);
  add_string (builder, "generator", feed->generator);
  add_string (builder, "rights", feed->rights);

  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < feed->entries->len; i++)
    {
      const GazetteFeedEntry *e = g_ptr_array_index (feed->entries, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", e->id);
      add_string (builder, "title", e->title);
      add_string (builder, "link", e->link);
      add_string (builder, "author", e->author);
      add_string (builder, "author_email", e->author_email);
      add_time (builder, "published", e->published);
      add_time (builder, "updated", e->updated);
      add_string (builder, "summary", e->summary);
      add_string (builder, "content", e->content);

      json_builder_set_member_name (builder, "categories");
      json_builder_begin_array (builder);
      for (guint j = 0; j < e->categories->len; j++)
        json_builder_add_string_value (builder, g_ptr_array_index (e->categories, j));
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "enclosures");
      json_builder_begin_array (builder);
      for (guint j = 0; j < e->enclosures->len; j++)
        {
          const GazetteEnclosure *enc = g_ptr_array_index (e->enclosures, j);

          json_builder_begin_object (builder);
          add_string (builder, "url", enc->url);
          add_string (builder, "type", enc->type);
          json_builder_set_member_name (builder, "length");
          if (enc->length >= 0)
            json_builder_add_int_value (builder, enc->length);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      add_string (builder, "comments", e->comments);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < feed->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (feed->warnings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

/* ----- discovery ----- */

static gboolean
is_feed_type (const char *type)
{
  static const char *const types[] = {
    "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
    "application/rdf+xml", "application/x-rss+xml", "application/x-atom+xml",
  };
  g_autofree char *bare = NULL;
  char *semicolon;

  if (type == NULL)
    return FALSE;
  bare = g_strstrip (g_ascii_strdown (type, -1));
  if ((semicolon = strchr (bare, ';')) != NULL)
    {
      *semicolon = '\0';
      g_strstrip (bare);
    }
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (bare, types[i]))
      return TRUE;
  return FALSE;
}

static gboolean
rel_has (const char *rel,
         const char *token)
{
  g_auto(GStrv) tokens = NULL;

  if (rel == NULL)
    return FALSE;
  tokens = g_strsplit_set (rel, " \t\r\n", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (g_ascii_strcasecmp (tokens[i], token) == 0)
      return TRUE;
  return FALSE;
}

static char *
html_attr (xmlNode    *node,
           const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

GazetteFeedLink *
gazette_feed_link_new (const char *url,
                       const char *title,
                       const char *type)
{
  GazetteFeedLink *link = g_new0 (GazetteFeedLink, 1);

  link->url = g_strdup (url);
  link->title = g_strdup (title);
  link->type = g_strdup (type);
  return link;
}

void
gazette_feed_link_free (GazetteFeedLink *link)
{
  if (link == NULL)
    return;
  g_free (link->url);
  g_free (link->title);
  g_free (link->type);
  g_free (link->format);
  g_free (link);
}

char *
gazette_feed_format_name (const char *format)
{
  if (format == NULL)
    return NULL;
  if (g_str_has_prefix (format, "rss"))
    return g_strdup_printf ("RSS %s", format + 3);
  if (g_str_has_prefix (format, "atom"))
    return g_strdup_printf ("Atom %s", format + 4);
  if (g_str_has_prefix (format, "json"))
    return g_strdup_printf ("JSON Feed %s", format + 4);
  return g_strdup (format);
}

static void
discover_element (xmlNode    *c,
                  char      **base,
                  gboolean   *have_base,
                  GHashTable *seen,
                  GPtrArray  *found)
{
  if (g_ascii_strcasecmp ((const char *) c->name, "base") == 0)
    {
      g_autofree char *href = html_attr (c, "href");

      /* Only the first <base> counts. */
      if (href != NULL && !*have_base)
        {
          char *resolved = gazette_feed_resolve_url (*base, href);

          if (resolved != NULL)
            {
              g_free (*base);
              *base = resolved;
            }
          *have_base = TRUE;
        }
    }
  else if (g_ascii_strcasecmp ((const char *) c->name, "link") == 0)
    {
      g_autofree char *rel = html_attr (c, "rel");
      g_autofree char *type = html_attr (c, "type");
      g_autofree char *href = html_attr (c, "href");

      if (href != NULL && rel_has (rel, "alternate") && is_feed_type (type))
        {
          g_autofree char *url = gazette_feed_resolve_url (*base, href);

          if (url != NULL && *url != '\0' && g_hash_table_add (seen, g_strdup (url)))
            {
              g_autofree char *title = html_attr (c, "title");
              g_autofree char *bare = g_strstrip (g_ascii_strdown (type, -1));
              char *semicolon = strchr (bare, ';');

              if (semicolon != NULL)
                *semicolon = '\0';
              if (title != NULL)
                gazette_feed_fold_whitespace (title);
              g_ptr_array_add (found, gazette_feed_link_new (url,
                                                             title != NULL && *title != '\0'
                                                               ? title : NULL,
                                                             g_strstrip (bare)));
            }
        }
    }
}

GPtrArray *
gazette_feed_discover (const char *html,
                       gsize       length,
                       const char *base_url)
{
  g_autoptr(GPtrArray) links = gazette_feed_discover_links (html, length, base_url);
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < links->len; i++)
    {
      GazetteFeedLink *link = g_ptr_array_index (links, i);

      g_ptr_array_add (urls, g_steal_pointer (&link->url));
    }
  return urls;
}

GPtrArray *
gazette_feed_discover_links (const char *html,
                             gsize       length,
                             const char *base_url)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_link_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *base = g_strdup (base_url);
  htmlDocPtr doc;

  if (html == NULL || length == 0 || length > G_MAXINT)
    return found;
  ensure_libxml ();
  doc = htmlReadMemory (html, (int) length, base_url, NULL,
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
  if (doc == NULL)
    return found;
  {
    /* Iteratively: a page may nest deeper than the stack would like. */
    xmlNode *root = xmlDocGetRootElement (doc);
    xmlNode *n = root;
    gboolean have_base = FALSE;

    while (n != NULL)
      {
        if (n->type == XML_ELEMENT_NODE)
          discover_element (n, &base, &have_base, seen, found);
        if (n->type == XML_ELEMENT_NODE && n->children != NULL)
          n = n->children;
        else
          {
            while (n != NULL && n != root && n->next == NULL)
              n = n->parent;
            n = (n == NULL || n == root) ? NULL : n->next;
          }
      }
  }
  xmlFreeDoc (doc);
  return found;
}

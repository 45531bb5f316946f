/* gazette-feed-json.c — JSON Feed 1.0 and 1.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gazette-date.h"
#include "gazette-error.h"
#include "gazette-feed-private.h"

/* A member as a string: strings as they are, numbers written out (ids are often numbers). */
static char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);
        char *copy;

        if (s == NULL)
          return NULL;
        copy = g_strstrip (g_strdup (s));
        if (*copy == '\0')
          g_clear_pointer (&copy, g_free);
        return copy;
      }
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, name)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, name)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static char *
member_text (JsonObject *object,
             const char *name)
{
  char *value = member_string (object, name);

  return value != NULL ? gazette_feed_fold_whitespace (value) : NULL;
}

static char *
member_url (JsonObject *object,
            const char *name,
            const char *base)
{
  g_autofree char *value = member_string (object, name);

  return gazette_feed_resolve_url (base, value);
}

/* 1.1's "authors" (the first one) or 1.0's "author". */
static void
read_author (JsonObject  *object,
             char       **name,
             char       **email)
{
  JsonArray *authors = member_array (object, "authors");
  JsonObject *author = NULL;
  g_autofree char *url = NULL;

  *name = NULL;
  *email = NULL;
  if (authors != NULL)
    for (guint i = 0; i < json_array_get_length (authors) && author == NULL; i++)
      {
        JsonNode *node = json_array_get_element (authors, i);

        if (JSON_NODE_HOLDS_OBJECT (node))
          author = json_node_get_object (node);
      }
  if (author == NULL)
    author = member_object (object, "author");
  if (author == NULL)
    return;
  *name = member_text (author, "name");
  url = member_string (author, "url");
  if (url != NULL && g_ascii_strncasecmp (url, "mailto:", 7) == 0)
    *email = g_strdup (url + 7);
}

static gint64
member_date (JsonObject *object,
             const char *name)
{
  g_autofree char *value = member_string (object, name);

  return gazette_date_parse (value);
}

static void
parse_item (GazetteFeed *feed,
            JsonObject  *item,
            const char  *base)
{
  GazetteFeedEntry *e = gazette_feed_entry_new ();
  g_autofree char *html = member_string (item, "content_html");
  g_autofree char *text = NULL;
  g_autofree char *summary = member_string (item, "summary");
  JsonArray *tags = member_array (item, "tags");
  JsonArray *attachments = member_array (item, "attachments");

  e->id = member_string (item, "id");
  e->title = member_text (item, "title");
  e->link = member_url (item, "url", base);
  if (e->link == NULL)
    e->link = member_url (item, "external_url", base);
  read_author (item, &e->author, &e->author_email);
  e->published = member_date (item, "date_published");
  e->updated = member_date (item, "date_modified");

  if (html != NULL)
    e->content = gazette_feed_sanitize (html, base);
  else if ((text = member_string (item, "content_text")) != NULL)
    {
      g_autofree char *escaped = gazette_feed_text_to_html (text);

      e->content = gazette_feed_sanitize (escaped, base);
    }
  if (summary != NULL)
    {
      g_autofree char *escaped = gazette_feed_text_to_html (summary);

      e->summary = gazette_feed_sanitize (escaped, base);
    }

  if (tags != NULL)
    for (guint i = 0; i < json_array_get_length (tags); i++)
      {
        JsonNode *node = json_array_get_element (tags, i);

        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
          gazette_feed_entry_add_category (e, json_node_get_string (node));
      }

  if (attachments != NULL)
    for (guint i = 0; i < json_array_get_length (attachments); i++)
      {
        JsonNode *node = json_array_get_element (attachments, i);
        JsonObject *a;
        g_autofree char *url = NULL;
        g_autofree char *size = NULL;

        if (!JSON_NODE_HOLDS_OBJECT (node))
          continue;
        a = json_node_get_object (node);
        url = member_url (a, "url", base);
        if (url == NULL)
          continue;
        size = member_string (a, "size_in_bytes");
        {
          g_autofree char *type = member_string (a, "mime_type");

          gazette_feed_entry_add_enclosure (e, gazette_enclosure_new (url, type,
                                                                      gazette_feed_parse_length (size)));
        }
      }

  g_ptr_array_add (feed->entries, e);
}

GazetteFeed *
gazette_feed_parse_json (const char  *utf8,
                         gsize        length,
                         const char  *base_url,
                         GError     **error)
{
  /* Not immutable: sealing hashes every node, which nothing here needs. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *version = NULL;
  g_autofree char *home = NULL;
  g_autofree char *feed_url = NULL;
  const char *format;
  const char *base;
  JsonNode *root;
  JsonObject *object;
  JsonArray *items;
  GazetteFeed *feed;

  if (length > G_MAXSSIZE || !json_parser_load_from_data (parser, utf8, (gssize) length, NULL))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                   _("This is not a feed: it could not be read as JSON"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  version = member_string (object, "version");
  items = member_array (object, "items");
  if (object == NULL || (items == NULL && (version == NULL || strstr (version, "jsonfeed") == NULL)))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                   _("This is not a feed: it is JSON, but not a JSON Feed"));
      return NULL;
    }
  format = version != NULL && strstr (version, "/version/1.1") != NULL ? "json1.1" : "json1.0";

  feed = gazette_feed_new (format);
  if (version == NULL || strstr (version, "jsonfeed.org/version/") == NULL)
    gazette_feed_add_warning (feed, _("The JSON Feed does not say its version; it was read as "
                                      "version 1"));

  home = member_string (object, "home_page_url");
  feed_url = member_string (object, "feed_url");
  base = base_url != NULL ? base_url : feed_url != NULL ? feed_url : home;

  feed->title = member_text (object, "title");
  feed->link = gazette_feed_resolve_url (base, home);
  {
    g_autofree char *description = member_string (object, "description");

    if (description != NULL)
      feed->subtitle = gazette_feed_fold_whitespace (g_steal_pointer (&description));
  }
  feed->language = member_string (object, "language");
  feed->icon = member_url (object, "favicon", base);
  feed->image = member_url (object, "icon", base);
  {
    g_autofree char *email = NULL;

    read_author (object, &feed->author, &email);
  }

  if (items != NULL)
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonNode *node = json_array_get_element (items, i);

        if (JSON_NODE_HOLDS_OBJECT (node))
          parse_item (feed, json_node_get_object (node), base);
      }

  return feed;
}

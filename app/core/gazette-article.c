/* gazette-article.c — one article (a feed entry or a saved page)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gazette-article.h"
#include "gazette-store-private.h"

struct _GazetteArticle
{
  GObject  parent_instance;

  gint64   id;
  gint64   source_id;
  char    *guid;
  char    *url;
  char    *title;
  char    *author;
  char    *source_title;
  gint64   published;
  gint64   updated;
  char    *summary;
  char    *content;
  char    *reader_html;
  char    *reader_removed;
  char    *lead_image;
  char    *lang;
  char    *dir;
  guint    read : 1;
  guint    starred : 1;
  guint    saved : 1;
};

G_DEFINE_FINAL_TYPE (GazetteArticle, gazette_article, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SOURCE_ID,
  PROP_GUID,
  PROP_URL,
  PROP_TITLE,
  PROP_AUTHOR,
  PROP_SOURCE_TITLE,
  PROP_PUBLISHED,
  PROP_UPDATED,
  PROP_SUMMARY,
  PROP_CONTENT,
  PROP_READER_HTML,
  PROP_LEAD_IMAGE,
  PROP_LANG,
  PROP_DIR,
  PROP_READ,
  PROP_STARRED,
  PROP_SAVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (GazetteArticle  *self,
            char           **field,
            const char      *value,
            int              prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
gazette_article_finalize (GObject *object)
{
  GazetteArticle *self = GAZETTE_ARTICLE (object);

  g_clear_pointer (&self->guid, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->author, g_free);
  g_clear_pointer (&self->source_title, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->reader_html, g_free);
  g_clear_pointer (&self->reader_removed, g_free);
  g_clear_pointer (&self->lead_image, g_free);
  g_clear_pointer (&self->lang, g_free);
  g_clear_pointer (&self->dir, g_free);

  G_OBJECT_CLASS (gazette_article_parent_class)->finalize (object);
}

static void
gazette_article_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GazetteArticle *self = GAZETTE_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_SOURCE_ID:
      g_value_set_int64 (value, self->source_id);
      break;
    case PROP_GUID:
      g_value_set_string (value, self->guid);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;
    case PROP_SOURCE_TITLE:
      g_value_set_string (value, self->source_title);
      break;
    case PROP_PUBLISHED:
      g_value_set_int64 (value, self->published);
      break;
    case PROP_UPDATED:
      g_value_set_int64 (value, self->updated);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_CONTENT:
      g_value_set_string (value, self->content);
      break;
    case PROP_READER_HTML:
      g_value_set_string (value, self->reader_html);
      break;
    case PROP_LEAD_IMAGE:
      g_value_set_string (value, self->lead_image);
      break;
    case PROP_LANG:
      g_value_set_string (value, self->lang);
      break;
    case PROP_DIR:
      g_value_set_string (value, self->dir);
      break;
    case PROP_READ:
      g_value_set_boolean (value, self->read);
      break;
    case PROP_STARRED:
      g_value_set_boolean (value, self->starred);
      break;
    case PROP_SAVED:
      g_value_set_boolean (value, self->saved);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_article_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GazetteArticle *self = GAZETTE_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_ID:
      gazette_article_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_SOURCE_ID:
      gazette_article_set_source_id (self, g_value_get_int64 (value));
      break;
    case PROP_GUID:
      gazette_article_set_guid (self, g_value_get_string (value));
      break;
    case PROP_URL:
      gazette_article_set_url (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      gazette_article_set_title (self, g_value_get_string (value));
      break;
    case PROP_AUTHOR:
      gazette_article_set_author (self, g_value_get_string (value));
      break;
    case PROP_SOURCE_TITLE:
      gazette_article_set_source_title (self, g_value_get_string (value));
      break;
    case PROP_PUBLISHED:
      gazette_article_set_published (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED:
      gazette_article_set_updated (self, g_value_get_int64 (value));
      break;
    case PROP_SUMMARY:
      gazette_article_set_summary (self, g_value_get_string (value));
      break;
    case PROP_CONTENT:
      gazette_article_set_content (self, g_value_get_string (value));
      break;
    case PROP_READER_HTML:
      gazette_article_set_reader_html (self, g_value_get_string (value));
      break;
    case PROP_LEAD_IMAGE:
      gazette_article_set_lead_image (self, g_value_get_string (value));
      break;
    case PROP_LANG:
      gazette_article_set_lang (self, g_value_get_string (value));
      break;
    case PROP_DIR:
      gazette_article_set_dir (self, g_value_get_string (value));
      break;
    case PROP_READ:
      gazette_article_set_read (self, g_value_get_boolean (value));
      break;
    case PROP_STARRED:
      gazette_article_set_starred (self, g_value_get_boolean (value));
      break;
    case PROP_SAVED:
      gazette_article_set_saved (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_article_class_init (GazetteArticleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = gazette_article_finalize;
  object_class->get_property = gazette_article_get_property;
  object_class->set_property = gazette_article_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SOURCE_ID] =
    g_param_spec_int64 ("source-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_GUID] =
    g_param_spec_string ("guid", NULL, NULL, NULL, flags);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE_TITLE] =
    g_param_spec_string ("source-title", NULL, NULL, NULL, flags);
  properties[PROP_PUBLISHED] =
    g_param_spec_int64 ("published", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED] =
    g_param_spec_int64 ("updated", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_CONTENT] =
    g_param_spec_string ("content", NULL, NULL, NULL, flags);
  properties[PROP_READER_HTML] =
    g_param_spec_string ("reader-html", NULL, NULL, NULL, flags);
  properties[PROP_LEAD_IMAGE] =
    g_param_spec_string ("lead-image", NULL, NULL, NULL, flags);
  properties[PROP_LANG] =
    g_param_spec_string ("lang", NULL, NULL, NULL, flags);
  properties[PROP_DIR] =
    g_param_spec_string ("dir", NULL, NULL, NULL, flags);
  properties[PROP_READ] =
    g_param_spec_boolean ("read", NULL, NULL, FALSE, flags);
  properties[PROP_STARRED] =
    g_param_spec_boolean ("starred", NULL, NULL, FALSE, flags);
  properties[PROP_SAVED] =
    g_param_spec_boolean ("saved", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gazette_article_init (GazetteArticle *self)
{
}

GazetteArticle *
gazette_article_new (void)
{
  return g_object_new (GAZETTE_TYPE_ARTICLE, NULL);
}

/* Nobody can be connected to a new object yet, so no notifications are owed. */
GazetteArticle *
gazette_article_new_from_row (GazetteArticleRow *row)
{
  GazetteArticle *self = g_object_new (GAZETTE_TYPE_ARTICLE, NULL);

  self->id = row->id;
  self->source_id = row->source_id;
  self->published = row->published;
  self->updated = row->updated;
  self->guid = g_steal_pointer (&row->guid);
  self->url = g_steal_pointer (&row->url);
  self->title = g_steal_pointer (&row->title);
  self->author = g_steal_pointer (&row->author);
  self->source_title = g_steal_pointer (&row->source_title);
  self->summary = g_steal_pointer (&row->summary);
  self->content = g_steal_pointer (&row->content);
  self->reader_html = g_steal_pointer (&row->reader_html);
  self->reader_removed = g_steal_pointer (&row->reader_removed);
  self->lead_image = g_steal_pointer (&row->lead_image);
  self->lang = g_steal_pointer (&row->lang);
  self->dir = g_steal_pointer (&row->dir);
  self->read = !!row->read;
  self->starred = !!row->starred;
  self->saved = !!row->saved;

  return self;
}

gint64
gazette_article_get_id (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), 0);

  return self->id;
}

void
gazette_article_set_id (GazetteArticle *self,
                       gint64          id)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
gazette_article_get_source_id (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), 0);

  return self->source_id;
}

void
gazette_article_set_source_id (GazetteArticle *self,
                              gint64          source_id)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  if (self->source_id == source_id)
    return;

  self->source_id = source_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_ID]);
}

const char *
gazette_article_get_guid (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->guid;
}

void
gazette_article_set_guid (GazetteArticle *self,
                         const char     *guid)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->guid, guid, PROP_GUID);
}

const char *
gazette_article_get_url (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->url;
}

void
gazette_article_set_url (GazetteArticle *self,
                        const char     *url)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->url, url, PROP_URL);
}

const char *
gazette_article_get_title (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->title;
}

void
gazette_article_set_title (GazetteArticle *self,
                          const char     *title)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->title, title, PROP_TITLE);
}

const char *
gazette_article_get_author (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->author;
}

void
gazette_article_set_author (GazetteArticle *self,
                           const char     *author)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->author, author, PROP_AUTHOR);
}

const char *
gazette_article_get_source_title (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->source_title;
}

void
gazette_article_set_source_title (GazetteArticle *self,
                                 const char     *title)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->source_title, title, PROP_SOURCE_TITLE);
}

gint64
gazette_article_get_published (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), 0);

  return self->published;
}

void
gazette_article_set_published (GazetteArticle *self,
                              gint64          published)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  if (self->published == published)
    return;

  self->published = published;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUBLISHED]);
}

gint64
gazette_article_get_updated (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), 0);

  return self->updated;
}

void
gazette_article_set_updated (GazetteArticle *self,
                            gint64          updated)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  if (self->updated == updated)
    return;

  self->updated = updated;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED]);
}

const char *
gazette_article_get_summary (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->summary;
}

void
gazette_article_set_summary (GazetteArticle *self,
                            const char     *summary)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->summary, summary, PROP_SUMMARY);
}

const char *
gazette_article_get_content (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->content;
}

void
gazette_article_set_content (GazetteArticle *self,
                            const char     *content)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->content, content, PROP_CONTENT);
}

const char *
gazette_article_get_reader_html (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->reader_html;
}

void
gazette_article_set_reader_html (GazetteArticle *self,
                                const char     *html)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->reader_html, html, PROP_READER_HTML);
}

/* What the clutter filter removed from the reader view, as the store keeps it
 * (gazette_clutter_removals_to_string()); NULL for nothing or unknown. */
const char *
gazette_article_get_reader_removed (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->reader_removed;
}

void
gazette_article_set_reader_removed (GazetteArticle *self,
                                    const char     *removed)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  g_free (self->reader_removed);
  self->reader_removed = g_strdup (removed);
}

const char *
gazette_article_get_lead_image (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->lead_image;
}

void
gazette_article_set_lead_image (GazetteArticle *self,
                               const char     *url)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->lead_image, url, PROP_LEAD_IMAGE);
}

const char *
gazette_article_get_lang (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->lang;
}

void
gazette_article_set_lang (GazetteArticle *self,
                         const char     *lang)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->lang, lang, PROP_LANG);
}

const char *
gazette_article_get_dir (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), NULL);

  return self->dir;
}

void
gazette_article_set_dir (GazetteArticle *self,
                        const char     *dir)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  set_string (self, &self->dir, dir, PROP_DIR);
}

gboolean
gazette_article_get_read (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), FALSE);

  return self->read;
}

void
gazette_article_set_read (GazetteArticle *self,
                         gboolean        read)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  read = !!read;
  if (self->read == read)
    return;

  self->read = read;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ]);
}

gboolean
gazette_article_get_starred (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), FALSE);

  return self->starred;
}

void
gazette_article_set_starred (GazetteArticle *self,
                            gboolean        starred)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  starred = !!starred;
  if (self->starred == starred)
    return;

  self->starred = starred;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARRED]);
}

gboolean
gazette_article_get_saved (GazetteArticle *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (self), FALSE);

  return self->saved;
}

void
gazette_article_set_saved (GazetteArticle *self,
                          gboolean        saved)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE (self));

  saved = !!saved;
  if (self->saved == saved)
    return;

  self->saved = saved;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED]);
}

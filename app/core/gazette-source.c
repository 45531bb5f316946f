/* gazette-source.c — one entry of the source list: a feed, a folder or a single saved page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gazette-source.h"

struct _GazetteSource
{
  GObject            parent_instance;

  gint64             id;
  GazetteSourceKind  kind;
  gint64             folder_id;
  int                position;
  char              *title;
  char              *url;
  char              *site_url;
  char              *icon_url;
  char              *error;
  guint              unread_count;
  guint              total_count;
  gint64             last_fetched;
  int                refresh_interval;
  guint              full_article : 1;
  guint              save_offline : 1;
  guint              filter_enabled : 1;
};

G_DEFINE_FINAL_TYPE (GazetteSource, gazette_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_FOLDER_ID,
  PROP_POSITION,
  PROP_TITLE,
  PROP_URL,
  PROP_SITE_URL,
  PROP_ICON_URL,
  PROP_ERROR,
  PROP_UNREAD_COUNT,
  PROP_TOTAL_COUNT,
  PROP_LAST_FETCHED,
  PROP_FULL_ARTICLE,
  PROP_SAVE_OFFLINE,
  PROP_REFRESH_INTERVAL,
  PROP_FILTER_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (GazetteSource  *self,
            char          **field,
            const char     *value,
            int             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
gazette_source_finalize (GObject *object)
{
  GazetteSource *self = GAZETTE_SOURCE (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->site_url, g_free);
  g_clear_pointer (&self->icon_url, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (gazette_source_parent_class)->finalize (object);
}

static void
gazette_source_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GazetteSource *self = GAZETTE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_FOLDER_ID:
      g_value_set_int64 (value, self->folder_id);
      break;
    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_SITE_URL:
      g_value_set_string (value, self->site_url);
      break;
    case PROP_ICON_URL:
      g_value_set_string (value, self->icon_url);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, self->unread_count);
      break;
    case PROP_TOTAL_COUNT:
      g_value_set_uint (value, self->total_count);
      break;
    case PROP_LAST_FETCHED:
      g_value_set_int64 (value, self->last_fetched);
      break;
    case PROP_FULL_ARTICLE:
      g_value_set_boolean (value, self->full_article);
      break;
    case PROP_SAVE_OFFLINE:
      g_value_set_boolean (value, self->save_offline);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_int (value, self->refresh_interval);
      break;
    case PROP_FILTER_ENABLED:
      g_value_set_boolean (value, self->filter_enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_source_set_kind (GazetteSource     *self,
                         GazetteSourceKind  kind)
{
  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

static void
gazette_source_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  GazetteSource *self = GAZETTE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      gazette_source_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_KIND:
      gazette_source_set_kind (self, g_value_get_int (value));
      break;
    case PROP_FOLDER_ID:
      gazette_source_set_folder_id (self, g_value_get_int64 (value));
      break;
    case PROP_POSITION:
      gazette_source_set_position (self, g_value_get_int (value));
      break;
    case PROP_TITLE:
      gazette_source_set_title (self, g_value_get_string (value));
      break;
    case PROP_URL:
      gazette_source_set_url (self, g_value_get_string (value));
      break;
    case PROP_SITE_URL:
      gazette_source_set_site_url (self, g_value_get_string (value));
      break;
    case PROP_ICON_URL:
      gazette_source_set_icon_url (self, g_value_get_string (value));
      break;
    case PROP_ERROR:
      gazette_source_set_error (self, g_value_get_string (value));
      break;
    case PROP_UNREAD_COUNT:
      gazette_source_set_unread_count (self, g_value_get_uint (value));
      break;
    case PROP_TOTAL_COUNT:
      gazette_source_set_total_count (self, g_value_get_uint (value));
      break;
    case PROP_LAST_FETCHED:
      gazette_source_set_last_fetched (self, g_value_get_int64 (value));
      break;
    case PROP_FULL_ARTICLE:
      gazette_source_set_full_article (self, g_value_get_boolean (value));
      break;
    case PROP_SAVE_OFFLINE:
      gazette_source_set_save_offline (self, g_value_get_boolean (value));
      break;
    case PROP_REFRESH_INTERVAL:
      gazette_source_set_refresh_interval (self, g_value_get_int (value));
      break;
    case PROP_FILTER_ENABLED:
      gazette_source_set_filter_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_source_class_init (GazetteSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = gazette_source_finalize;
  object_class->get_property = gazette_source_get_property;
  object_class->set_property = gazette_source_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      GAZETTE_SOURCE_KIND_FEED, GAZETTE_SOURCE_KIND_BUILTIN,
                      GAZETTE_SOURCE_KIND_FEED, flags);
  properties[PROP_FOLDER_ID] =
    g_param_spec_int64 ("folder-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_SITE_URL] =
    g_param_spec_string ("site-url", NULL, NULL, NULL, flags);
  properties[PROP_ICON_URL] =
    g_param_spec_string ("icon-url", NULL, NULL, NULL, flags);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, flags);
  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TOTAL_COUNT] =
    g_param_spec_uint ("total-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_LAST_FETCHED] =
    g_param_spec_int64 ("last-fetched", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FULL_ARTICLE] =
    g_param_spec_boolean ("full-article", NULL, NULL, FALSE, flags);
  properties[PROP_SAVE_OFFLINE] =
    g_param_spec_boolean ("save-offline", NULL, NULL, FALSE, flags);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_int ("refresh-interval", NULL, NULL, -1, G_MAXINT, 0, flags);
  properties[PROP_FILTER_ENABLED] =
    g_param_spec_boolean ("filter-enabled", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gazette_source_init (GazetteSource *self)
{
}

GazetteSource *
gazette_source_new (GazetteSourceKind  kind,
                    const char        *title,
                    const char        *url)
{
  return g_object_new (GAZETTE_TYPE_SOURCE,
                       "kind", kind,
                       "title", title,
                       "url", url,
                       NULL);
}

gint64
gazette_source_get_id (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), 0);

  return self->id;
}

void
gazette_source_set_id (GazetteSource *self,
                       gint64         id)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

GazetteSourceKind
gazette_source_get_kind (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), GAZETTE_SOURCE_KIND_FEED);

  return self->kind;
}

gint64
gazette_source_get_folder_id (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), 0);

  return self->folder_id;
}

void
gazette_source_set_folder_id (GazetteSource *self,
                              gint64         folder_id)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  if (self->folder_id == folder_id)
    return;

  self->folder_id = folder_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDER_ID]);
}

int
gazette_source_get_position (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), 0);

  return self->position;
}

void
gazette_source_set_position (GazetteSource *self,
                             int            position)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  if (self->position == position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

const char *
gazette_source_get_title (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), NULL);

  return self->title;
}

void
gazette_source_set_title (GazetteSource *self,
                          const char    *title)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  set_string (self, &self->title, title, PROP_TITLE);
}

const char *
gazette_source_get_url (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), NULL);

  return self->url;
}

void
gazette_source_set_url (GazetteSource *self,
                        const char    *url)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  set_string (self, &self->url, url, PROP_URL);
}

const char *
gazette_source_get_site_url (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), NULL);

  return self->site_url;
}

void
gazette_source_set_site_url (GazetteSource *self,
                             const char    *site_url)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  set_string (self, &self->site_url, site_url, PROP_SITE_URL);
}

const char *
gazette_source_get_icon_url (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), NULL);

  return self->icon_url;
}

void
gazette_source_set_icon_url (GazetteSource *self,
                             const char    *icon_url)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  set_string (self, &self->icon_url, icon_url, PROP_ICON_URL);
}

const char *
gazette_source_get_error (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), NULL);

  return self->error;
}

void
gazette_source_set_error (GazetteSource *self,
                          const char    *error)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  set_string (self, &self->error, error, PROP_ERROR);
}

guint
gazette_source_get_unread_count (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), 0);

  return self->unread_count;
}

void
gazette_source_set_unread_count (GazetteSource *self,
                                 guint          count)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  if (self->unread_count == count)
    return;

  self->unread_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

guint
gazette_source_get_total_count (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), 0);

  return self->total_count;
}

void
gazette_source_set_total_count (GazetteSource *self,
                                guint          count)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  if (self->total_count == count)
    return;

  self->total_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_COUNT]);
}

gint64
gazette_source_get_last_fetched (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), 0);

  return self->last_fetched;
}

void
gazette_source_set_last_fetched (GazetteSource *self,
                                 gint64         when)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  if (self->last_fetched == when)
    return;

  self->last_fetched = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_FETCHED]);
}

gboolean
gazette_source_get_full_article (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), FALSE);

  return self->full_article;
}

void
gazette_source_set_full_article (GazetteSource *self,
                                 gboolean       full_article)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  full_article = !!full_article;
  if (self->full_article == full_article)
    return;

  self->full_article = full_article;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FULL_ARTICLE]);
}

gboolean
gazette_source_get_save_offline (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), FALSE);

  return self->save_offline;
}

void
gazette_source_set_save_offline (GazetteSource *self,
                                 gboolean       save_offline)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  save_offline = !!save_offline;
  if (self->save_offline == save_offline)
    return;

  self->save_offline = save_offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVE_OFFLINE]);
}

int
gazette_source_get_refresh_interval (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), 0);

  return self->refresh_interval;
}

void
gazette_source_set_refresh_interval (GazetteSource *self,
                                     int            minutes)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  /* -1: never refreshed automatically (GazetteLibrary sets it for feeds that are gone). */
  minutes = MAX (minutes, -1);
  if (self->refresh_interval == minutes)
    return;

  self->refresh_interval = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

gboolean
gazette_source_get_filter_enabled (GazetteSource *self)
{
  g_return_val_if_fail (GAZETTE_IS_SOURCE (self), FALSE);

  return self->filter_enabled;
}

void
gazette_source_set_filter_enabled (GazetteSource *self,
                                   gboolean       enabled)
{
  g_return_if_fail (GAZETTE_IS_SOURCE (self));

  enabled = !!enabled;
  if (self->filter_enabled == enabled)
    return;

  self->filter_enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER_ENABLED]);
}

/* Sorting for display */

typedef struct {
  GazetteSource *source;
  char          *folded_key;   /* collation key of the case-folded title */
  char          *key;          /* collation key of the title as written, to break ties */
} SortEntry;

static int
sort_entry_compare (gconstpointer a,
                    gconstpointer b)
{
  const SortEntry *x = a, *y = b;
  int cmp;

  if (x->source->position != y->source->position)
    return x->source->position < y->source->position ? -1 : 1;
  cmp = strcmp (x->folded_key, y->folded_key);
  if (cmp == 0)
    cmp = strcmp (x->key, y->key);
  if (cmp == 0 && x->source->id != y->source->id)
    cmp = x->source->id < y->source->id ? -1 : 1;
  return cmp;
}

/**
 * gazette_sources_sort:
 * @sources: (element-type GazetteSource): sources
 *
 * Sorts @sources by position, then by title in the current locale's collation (LC_COLLATE):
 * byte order would put "Ґ", "Є", "І", "Ї" after "Я", and "Éclair" after "Zebra". A source
 * without a title sorts by its address, as the sidebar shows it. Folder grouping is left to the
 * caller, which walks the sorted array.
 */
void
gazette_sources_sort (GPtrArray *sources)
{
  g_autofree SortEntry *entries = NULL;

  g_return_if_fail (sources != NULL);

  if (sources->len < 2)
    return;

  entries = g_new0 (SortEntry, sources->len);
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *source = g_ptr_array_index (sources, i);
      const char *title = source->title != NULL && *source->title ? source->title
                          : source->url != NULL ? source->url : "";
      g_autofree char *folded = g_utf8_casefold (title, -1);

      entries[i].source = source;
      /* The file-name variant is the locale's collation too, but reads runs of digits as
       * numbers: "News 2" before "News 10", as people count. */
      entries[i].folded_key = g_utf8_collate_key_for_filename (folded, -1);
      entries[i].key = g_utf8_collate_key_for_filename (title, -1);
    }

  qsort (entries, sources->len, sizeof (SortEntry), sort_entry_compare);

  for (guint i = 0; i < sources->len; i++)
    {
      sources->pdata[i] = entries[i].source;
      g_free (entries[i].folded_key);
      g_free (entries[i].key);
    }
}

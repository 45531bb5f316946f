/* gazette-sidebar-item.c — one row of the sidebar's list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sidebar keeps one item per key across reloads and sets its properties; a row bound to it
 * listens to "notify", so a changed unread count redraws one row instead of re-measuring them
 * all (a library may have a thousand sources).
 */
#include "config.h"

#include "gazette-sidebar-item.h"

struct _GazetteSidebarItem
{
  GObject        parent_instance;

  char          *key;
  char          *icon_name;
  char          *title;
  guint          count;
  char          *error;
  int            indent;
  gboolean       hidden;
  gboolean       expandable;
  gboolean       expanded;
  GazetteSource *source;
};

G_DEFINE_FINAL_TYPE (GazetteSidebarItem, gazette_sidebar_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_ICON_NAME,
  PROP_TITLE,
  PROP_COUNT,
  PROP_ERROR,
  PROP_INDENT,
  PROP_HIDDEN,
  PROP_EXPANDABLE,
  PROP_EXPANDED,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GazetteSidebarItem *
gazette_sidebar_item_new (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_object_new (GAZETTE_TYPE_SIDEBAR_ITEM, "key", key, NULL);
}

const char *
gazette_sidebar_item_get_key (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), NULL);
  return self->key;
}

gboolean
gazette_sidebar_item_is_header (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), FALSE);
  return g_str_equal (self->key, "header");
}

static void
set_string (GazetteSidebarItem *self,
            char              **field,
            const char         *value,
            guint               prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

const char *
gazette_sidebar_item_get_icon_name (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), NULL);
  return self->icon_name;
}

void
gazette_sidebar_item_set_icon_name (GazetteSidebarItem *self,
                                    const char         *icon_name)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  set_string (self, &self->icon_name, icon_name, PROP_ICON_NAME);
}

const char *
gazette_sidebar_item_get_title (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), NULL);
  return self->title;
}

void
gazette_sidebar_item_set_title (GazetteSidebarItem *self,
                                const char         *title)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  set_string (self, &self->title, title, PROP_TITLE);
}

guint
gazette_sidebar_item_get_count (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), 0);
  return self->count;
}

void
gazette_sidebar_item_set_count (GazetteSidebarItem *self,
                                guint               count)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

const char *
gazette_sidebar_item_get_error (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), NULL);
  return self->error;
}

void
gazette_sidebar_item_set_error (GazetteSidebarItem *self,
                                const char         *error)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  set_string (self, &self->error, error, PROP_ERROR);
}

int
gazette_sidebar_item_get_indent (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), 0);
  return self->indent;
}

void
gazette_sidebar_item_set_indent (GazetteSidebarItem *self,
                                 int                 indent)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  if (self->indent == indent)
    return;
  self->indent = indent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDENT]);
}

gboolean
gazette_sidebar_item_get_hidden (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), FALSE);
  return self->hidden;
}

void
gazette_sidebar_item_set_hidden (GazetteSidebarItem *self,
                                 gboolean            hidden)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  hidden = !!hidden;
  if (self->hidden == hidden)
    return;
  self->hidden = hidden;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDDEN]);
}

gboolean
gazette_sidebar_item_get_expandable (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), FALSE);
  return self->expandable;
}

void
gazette_sidebar_item_set_expandable (GazetteSidebarItem *self,
                                     gboolean            expandable)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  expandable = !!expandable;
  if (self->expandable == expandable)
    return;
  self->expandable = expandable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDABLE]);
}

gboolean
gazette_sidebar_item_get_expanded (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), FALSE);
  return self->expanded;
}

void
gazette_sidebar_item_set_expanded (GazetteSidebarItem *self,
                                   gboolean            expanded)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  expanded = !!expanded;
  if (self->expanded == expanded)
    return;
  self->expanded = expanded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}

GazetteSource *
gazette_sidebar_item_get_source (GazetteSidebarItem *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self), NULL);
  return self->source;
}

/* Not notified: the row does not show the object itself, only what the sidebar copies out of
 * it; the context menu reads the latest one. */
void
gazette_sidebar_item_set_source (GazetteSidebarItem *self,
                                 GazetteSource      *source)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR_ITEM (self));
  g_set_object (&self->source, source);
}

static void
gazette_sidebar_item_dispose (GObject *object)
{
  GazetteSidebarItem *self = GAZETTE_SIDEBAR_ITEM (object);

  g_clear_object (&self->source);

  G_OBJECT_CLASS (gazette_sidebar_item_parent_class)->dispose (object);
}

static void
gazette_sidebar_item_finalize (GObject *object)
{
  GazetteSidebarItem *self = GAZETTE_SIDEBAR_ITEM (object);

  g_free (self->key);
  g_free (self->icon_name);
  g_free (self->title);
  g_free (self->error);

  G_OBJECT_CLASS (gazette_sidebar_item_parent_class)->finalize (object);
}

static void
gazette_sidebar_item_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GazetteSidebarItem *self = GAZETTE_SIDEBAR_ITEM (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_INDENT:
      g_value_set_int (value, self->indent);
      break;
    case PROP_HIDDEN:
      g_value_set_boolean (value, self->hidden);
      break;
    case PROP_EXPANDABLE:
      g_value_set_boolean (value, self->expandable);
      break;
    case PROP_EXPANDED:
      g_value_set_boolean (value, self->expanded);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_sidebar_item_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  GazetteSidebarItem *self = GAZETTE_SIDEBAR_ITEM (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;
    case PROP_ICON_NAME:
      gazette_sidebar_item_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      gazette_sidebar_item_set_title (self, g_value_get_string (value));
      break;
    case PROP_COUNT:
      gazette_sidebar_item_set_count (self, g_value_get_uint (value));
      break;
    case PROP_ERROR:
      gazette_sidebar_item_set_error (self, g_value_get_string (value));
      break;
    case PROP_INDENT:
      gazette_sidebar_item_set_indent (self, g_value_get_int (value));
      break;
    case PROP_HIDDEN:
      gazette_sidebar_item_set_hidden (self, g_value_get_boolean (value));
      break;
    case PROP_EXPANDABLE:
      gazette_sidebar_item_set_expandable (self, g_value_get_boolean (value));
      break;
    case PROP_EXPANDED:
      gazette_sidebar_item_set_expanded (self, g_value_get_boolean (value));
      break;
    case PROP_SOURCE:
      gazette_sidebar_item_set_source (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_sidebar_item_class_init (GazetteSidebarItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gazette_sidebar_item_dispose;
  object_class->finalize = gazette_sidebar_item_finalize;
  object_class->get_property = gazette_sidebar_item_get_property;
  object_class->set_property = gazette_sidebar_item_set_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INDENT] =
    g_param_spec_int ("indent", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIDDEN] =
    g_param_spec_boolean ("hidden", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPANDABLE] =
    g_param_spec_boolean ("expandable", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPANDED] =
    g_param_spec_boolean ("expanded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, GAZETTE_TYPE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gazette_sidebar_item_init (GazetteSidebarItem *self)
{
}

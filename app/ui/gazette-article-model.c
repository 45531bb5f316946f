/* gazette-article-model.c — a GListModel of GazetteArticle rows for the article list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gazette-article-model.h"

struct _GazetteArticleModel
{
  GObject     parent_instance;

  GPtrArray  *items;   /* of GazetteArticle */
  GHashTable *by_id;   /* id (as a pointer) → GazetteArticle*, borrowed from items */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GazetteArticleModel, gazette_article_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return GAZETTE_TYPE_ARTICLE;
}

static guint
get_n_items (GListModel *model)
{
  return GAZETTE_ARTICLE_MODEL (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  GazetteArticleModel *self = GAZETTE_ARTICLE_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

GazetteArticleModel *
gazette_article_model_new (void)
{
  return g_object_new (GAZETTE_TYPE_ARTICLE_MODEL, NULL);
}

/* Row ids as keys without an allocation each: a reload of a long list re-indexes every row. */
#define ID_KEY(id) GSIZE_TO_POINTER ((gsize) (id))

static inline gint64
item_id (GPtrArray *array,
         guint      i)
{
  return gazette_article_get_id (g_ptr_array_index (array, i));
}

/* Copies what a list row shows; each setter notifies only when the value changes. */
static void
update_in_place (GazetteArticle *old,
                 GazetteArticle *new)
{
  if (g_strcmp0 (gazette_article_get_title (old), gazette_article_get_title (new)) != 0)
    gazette_article_set_title (old, gazette_article_get_title (new));
  if (g_strcmp0 (gazette_article_get_source_title (old),
                 gazette_article_get_source_title (new)) != 0)
    gazette_article_set_source_title (old, gazette_article_get_source_title (new));
  if (g_strcmp0 (gazette_article_get_url (old), gazette_article_get_url (new)) != 0)
    gazette_article_set_url (old, gazette_article_get_url (new));
  if (g_strcmp0 (gazette_article_get_summary (old), gazette_article_get_summary (new)) != 0)
    gazette_article_set_summary (old, gazette_article_get_summary (new));
  if (gazette_article_get_published (old) != gazette_article_get_published (new))
    gazette_article_set_published (old, gazette_article_get_published (new));
  if (gazette_article_get_read (old) != gazette_article_get_read (new))
    gazette_article_set_read (old, gazette_article_get_read (new));
  if (gazette_article_get_starred (old) != gazette_article_get_starred (new))
    gazette_article_set_starred (old, gazette_article_get_starred (new));
  if (gazette_article_get_saved (old) != gazette_article_get_saved (new))
    gazette_article_set_saved (old, gazette_article_get_saved (new));
}

static void
rebuild_index (GazetteArticleModel *self)
{
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < self->items->len; i++)
    {
      GazetteArticle *article = g_ptr_array_index (self->items, i);

      g_hash_table_insert (self->by_id, ID_KEY (gazette_article_get_id (article)), article);
    }
}

void
gazette_article_model_replace (GazetteArticleModel *self,
                               GPtrArray           *articles,
                               gint64               keep_id)
{
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GPtrArray) new = NULL;
  guint old_len, new_len, prefix = 0, suffix = 0;

  g_return_if_fail (GAZETTE_IS_ARTICLE_MODEL (self));

  new = g_ptr_array_new_full (articles != NULL ? articles->len + 1 : 1, g_object_unref);
  if (articles != NULL)
    for (guint i = 0; i < articles->len; i++)
      {
        GazetteArticle *article = g_ptr_array_index (articles, i);
        gint64 id = gazette_article_get_id (article);
        GazetteArticle *existing = g_hash_table_lookup (self->by_id, ID_KEY (id));

        /* Keep the object a row or the selection may hold. */
        if (existing != NULL)
          {
            update_in_place (existing, article);
            g_ptr_array_add (new, g_object_ref (existing));
          }
        else
          g_ptr_array_add (new, g_object_ref (article));
      }

  if (keep_id > 0)
    {
      gboolean present = FALSE;

      for (guint i = 0; i < new->len && !present; i++)
        present = item_id (new, i) == keep_id;

      if (!present)
        {
          for (guint i = 0; i < self->items->len; i++)
            if (item_id (self->items, i) == keep_id)
              {
                g_ptr_array_insert (new, (int) MIN (i, new->len),
                                    g_object_ref (g_ptr_array_index (self->items, i)));
                break;
              }
        }
    }

  old = g_steal_pointer (&self->items);
  self->items = g_steal_pointer (&new);
  rebuild_index (self);

  old_len = old->len;
  new_len = self->items->len;
  while (prefix < old_len && prefix < new_len &&
         g_ptr_array_index (old, prefix) == g_ptr_array_index (self->items, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         g_ptr_array_index (old, old_len - 1 - suffix) ==
         g_ptr_array_index (self->items, new_len - 1 - suffix))
    suffix++;

  if (old_len - prefix - suffix > 0 || new_len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_len - prefix - suffix, new_len - prefix - suffix);
  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

void
gazette_article_model_clear (GazetteArticleModel *self)
{
  gazette_article_model_replace (self, NULL, 0);
}

guint
gazette_article_model_find (GazetteArticleModel *self,
                            gint64               id)
{
  GazetteArticle *article;

  g_return_val_if_fail (GAZETTE_IS_ARTICLE_MODEL (self), G_MAXUINT);

  article = g_hash_table_lookup (self->by_id, ID_KEY (id));
  if (article == NULL)
    return G_MAXUINT;

  for (guint i = 0; i < self->items->len; i++)
    if (g_ptr_array_index (self->items, i) == article)
      return i;
  return G_MAXUINT;
}

GazetteArticle *
gazette_article_model_peek (GazetteArticleModel *self,
                            guint                position)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_MODEL (self), NULL);

  if (position >= self->items->len)
    return NULL;
  return g_ptr_array_index (self->items, position);
}

static void
gazette_article_model_finalize (GObject *object)
{
  GazetteArticleModel *self = GAZETTE_ARTICLE_MODEL (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (gazette_article_model_parent_class)->finalize (object);
}

static void
gazette_article_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  GazetteArticleModel *self = GAZETTE_ARTICLE_MODEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_article_model_class_init (GazetteArticleModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gazette_article_model_finalize;
  object_class->get_property = gazette_article_model_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gazette_article_model_init (GazetteArticleModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (NULL, NULL);
}

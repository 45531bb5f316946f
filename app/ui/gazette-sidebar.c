/* gazette-sidebar.c — the source list: All, Unread, Starred, Saved, then folders and sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListBox: a reader follows tens of sources, not thousands, so rebuilding the rows on each
 * (coalesced) change is cheap and keeps the code plain.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-sidebar.h"

struct _GazetteSidebar
{
  GtkWidget       parent_instance;

  GtkWidget      *scrolled;
  GtkListBox     *list_box;
  GtkWidget      *popover;
  GSimpleActionGroup *source_actions;  /* "source.*": stateful actions of the menu's source */
  gint64          menu_source_id;

  GSettings      *settings;
  GazetteLibrary *library;
  GazetteStore   *store;
  GCancellable   *cancellable;

  GPtrArray      *sources;      /* of GazetteSource, display order */
  GHashTable     *hidden;       /* gint64* ids hidden while an undo toast is shown */
  GazetteCounts   counts;
  char           *selection;
  char           *pending_selection;  /* asked for before its row exists (a new source) */
  char           *selected_title;
  guint           reload_idle;
  gboolean        reloading;
  gboolean        reload_again;
  gboolean        loaded;
  gboolean        rebuilding;
};

G_DEFINE_FINAL_TYPE (GazetteSidebar, gazette_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTION,
  PROP_LOADED,
  N_PROPS
};

enum {
  SIGNAL_REMOVE_SOURCE,
  SIGNAL_RELOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
gazette_sidebar_new (void)
{
  return g_object_new (GAZETTE_TYPE_SIDEBAR, NULL);
}

static const char *
row_key (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "gazette-key") : NULL;
}

static GazetteSource *
find_source (GazetteSidebar *self,
             gint64          id)
{
  if (self->sources == NULL)
    return NULL;
  for (guint i = 0; i < self->sources->len; i++)
    if (gazette_source_get_id (g_ptr_array_index (self->sources, i)) == id)
      return g_ptr_array_index (self->sources, i);
  return NULL;
}

/* What the number beside a row counts: all articles in "All Articles", else unread ones. */
static char *
describe_count (const char *key,
                guint       count)
{
  if (g_str_equal (key, "all"))
    return g_strdup_printf (ngettext ("%u article", "%u articles", count), count);
  if (g_str_equal (key, "starred"))
    return g_strdup_printf (ngettext ("%u starred article", "%u starred articles", count), count);
  if (g_str_equal (key, "saved"))
    return g_strdup_printf (ngettext ("%u saved article", "%u saved articles", count), count);
  return g_strdup_printf (ngettext ("%u unread article", "%u unread articles", count), count);
}

static GtkWidget *
make_row (const char *key,
          const char *icon_name,
          const char *title,
          guint       count,
          const char *error,
          int         indent)
{
  GtkWidget *row, *box, *icon, *label;

  row = gtk_list_box_row_new ();
  g_object_set_data_full (G_OBJECT (row), "gazette-key", g_strdup (key), g_free);
  g_object_set_data_full (G_OBJECT (row), "gazette-title", g_strdup (title), g_free);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (box, 4 + indent * 18);
  gtk_widget_set_margin_end (box, 2);

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_box_append (GTK_BOX (box), icon);

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (label, title);
  gtk_box_append (GTK_BOX (box), label);

  if (error != NULL)
    {
      GtkWidget *warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (warning, "warning");
      gtk_widget_set_tooltip_text (warning, error);
      gtk_box_append (GTK_BOX (box), warning);
    }

  if (count > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", count);
      g_autofree char *description = describe_count (key, count);
      GtkWidget *pill = gtk_label_new (text);

      gtk_widget_set_tooltip_text (pill, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (pill), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      description, -1);

      gtk_widget_add_css_class (pill, "gazette-count");
      gtk_widget_add_css_class (pill, "dim-label");
      gtk_widget_add_css_class (pill, "numeric");
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), pill);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static const char *
source_icon (GazetteSource *source)
{
  switch (gazette_source_get_kind (source))
    {
    case GAZETTE_SOURCE_KIND_FOLDER:
      return "folder-symbolic";
    case GAZETTE_SOURCE_KIND_PAGES:
      return "user-bookmarks-symbolic";
    case GAZETTE_SOURCE_KIND_BUILTIN:
      return "emblem-documents-symbolic";
    case GAZETTE_SOURCE_KIND_FEED:
    default:
      return "application-rss+xml-symbolic";
    }
}

/* A row as it should be; rows are only rebuilt where this changed (see rebuild). */
typedef struct {
  char          *key;
  const char    *icon;
  char          *title;
  guint          count;
  char          *error;
  int            indent;
  gboolean       visible;
  GazetteSource *source;
} RowSpec;

static void
row_spec_free (RowSpec *spec)
{
  g_free (spec->key);
  g_free (spec->title);
  g_free (spec->error);
  g_clear_object (&spec->source);
  g_free (spec);
}

static char *
row_spec_signature (const RowSpec *spec)
{
  return g_strdup_printf ("%s\n%s\n%s\n%u\n%s\n%d", spec->key, spec->icon, spec->title,
                          spec->count, spec->error != NULL ? spec->error : "", spec->indent);
}

static void
add_spec (GPtrArray  *specs,
          const char *key,
          const char *icon,
          const char *title,
          guint       count)
{
  RowSpec *spec = g_new0 (RowSpec, 1);

  spec->key = g_strdup (key);
  spec->icon = icon;
  spec->title = g_strdup (title);
  spec->count = count;
  spec->visible = TRUE;
  g_ptr_array_add (specs, spec);
}

static void
add_source_spec (GazetteSidebar *self,
                 GPtrArray      *specs,
                 GazetteSource  *source,
                 guint           count,
                 int             indent)
{
  RowSpec *spec = g_new0 (RowSpec, 1);
  const char *title = gazette_source_get_title (source);
  gint64 id = gazette_source_get_id (source);

  if (gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FOLDER)
    spec->key = g_strdup_printf ("folder:%" G_GINT64_FORMAT, id);
  else
    spec->key = g_strdup_printf ("source:%" G_GINT64_FORMAT, id);

  if (title == NULL || *title == '\0')
    title = gazette_source_get_url (source) != NULL ? gazette_source_get_url (source)
                                                    : _("Untitled");
  spec->icon = source_icon (source);
  spec->title = g_strdup (title);
  spec->count = count;
  spec->error = g_strdup (gazette_source_get_error (source));
  spec->indent = indent;
  spec->visible = !g_hash_table_contains (self->hidden, &id);
  spec->source = g_object_ref (source);
  g_ptr_array_add (specs, spec);
}

static GtkWidget *
make_spec_row (const RowSpec *spec)
{
  GtkWidget *row = make_row (spec->key, spec->icon, spec->title, spec->count, spec->error,
                             spec->indent);

  g_object_set_data_full (G_OBJECT (row), "gazette-signature", row_spec_signature (spec),
                          g_free);
  if (spec->source != NULL)
    {
      g_object_set_data (G_OBJECT (row), "gazette-source-id", GINT_TO_POINTER (1));
      g_object_set_data_full (G_OBJECT (row), "gazette-source", g_object_ref (spec->source),
                              g_object_unref);
    }
  gtk_widget_set_visible (row, spec->visible);
  return row;
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  gboolean first_source = before != NULL &&
                          g_object_get_data (G_OBJECT (row), "gazette-source") != NULL &&
                          g_object_get_data (G_OBJECT (before), "gazette-source") == NULL;

  if (first_source)
    {
      if (gtk_list_box_row_get_header (row) == NULL)
        {
          GtkWidget *label = gtk_label_new (_("Sources"));

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "heading");
          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_set_margin_start (label, 12);
          gtk_widget_set_margin_top (label, 12);
          gtk_widget_set_margin_bottom (label, 6);
          gtk_list_box_row_set_header (row, label);
        }
    }
  else
    gtk_list_box_row_set_header (row, NULL);
}

static GtkListBoxRow *
find_row (GazetteSidebar *self,
          const char     *key)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && g_strcmp0 (row_key (GTK_LIST_BOX_ROW (child)), key) == 0)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
set_selection_internal (GazetteSidebar *self,
                        const char     *key,
                        const char     *title)
{
  if (g_strcmp0 (self->selection, key) == 0 && g_strcmp0 (self->selected_title, title) == 0)
    return;

  /* A renamed source notifies too, so the list's heading follows. */
  g_free (self->selected_title);
  self->selected_title = g_strdup (title);
  g_free (self->selection);
  self->selection = g_strdup (key);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-selection", key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

static void
rebuild (GazetteSidebar *self)
{
  GtkWidget *child;
  GtkListBoxRow *row;
  g_autoptr(GPtrArray) specs = NULL;
  g_autofree char *wanted = g_strdup (self->selection != NULL ? self->selection : "all");

  self->rebuilding = TRUE;

  /* A removed source's id may come back for a new source: forget ids no longer listed. */
  if (self->sources != NULL)
    {
      GHashTableIter iter;
      gint64 *id;

      g_hash_table_iter_init (&iter, self->hidden);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        if (find_source (self, *id) == NULL)
          g_hash_table_iter_remove (&iter);
    }

  specs = g_ptr_array_new_with_free_func ((GDestroyNotify) row_spec_free);
  add_spec (specs, "all", "view-list-symbolic", _("All Articles"), self->counts.all);
  add_spec (specs, "unread", "mail-unread-symbolic", C_("sidebar", "Unread"),
            self->counts.unread);
  add_spec (specs, "starred", "starred-symbolic", C_("sidebar", "Starred"),
            self->counts.starred);
  add_spec (specs, "saved", "user-bookmarks-symbolic", C_("sidebar", "Saved"),
            self->counts.saved);

  if (self->sources != NULL)
    {
      g_autoptr(GHashTable) children = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                              (GDestroyNotify) g_ptr_array_unref);

      /* Each folder's children and unread total, in one pass (a library may have thousands). */
      for (guint i = 0; i < self->sources->len; i++)
        {
          GazetteSource *source = g_ptr_array_index (self->sources, i);
          gint64 folder_id = gazette_source_get_folder_id (source);
          GPtrArray *list;

          if (folder_id == 0 || find_source (self, folder_id) == NULL)
            continue;
          list = g_hash_table_lookup (children, &folder_id);
          if (list == NULL)
            {
              gint64 *key = g_new (gint64, 1);

              *key = folder_id;
              list = g_ptr_array_new ();
              g_hash_table_insert (children, key, list);
            }
          g_ptr_array_add (list, source);
        }

      /* Top-level entries in title order; a folder's children right under it, indented. */
      for (guint i = 0; i < self->sources->len; i++)
        {
          GazetteSource *source = g_ptr_array_index (self->sources, i);
          gint64 id = gazette_source_get_id (source);

          if (gazette_source_get_folder_id (source) != 0 &&
              g_hash_table_contains (children, &(gint64) { gazette_source_get_folder_id (source) }))
            continue;

          if (gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FOLDER)
            {
              GPtrArray *list = g_hash_table_lookup (children, &id);
              guint unread = 0;

              for (guint j = 0; list != NULL && j < list->len; j++)
                unread += gazette_source_get_unread_count (g_ptr_array_index (list, j));
              add_source_spec (self, specs, source, unread, 0);
              for (guint j = 0; list != NULL && j < list->len; j++)
                {
                  GazetteSource *child_source = g_ptr_array_index (list, j);

                  add_source_spec (self, specs, child_source,
                                   gazette_source_get_unread_count (child_source), 1);
                }
            }
          else
            add_source_spec (self, specs, source, gazette_source_get_unread_count (source), 0);
        }
    }

  /* The same rows in the same order (a refresh changing counts): replace only the rows that
   * changed, since rebuilding a thousand rows stalls the window. Otherwise start over. */
  {
    gboolean same = TRUE;
    guint n = 0;

    for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        if (!GTK_IS_LIST_BOX_ROW (child))
          continue;
        if (n >= specs->len ||
            g_strcmp0 (row_key (GTK_LIST_BOX_ROW (child)),
                       ((RowSpec *) g_ptr_array_index (specs, n))->key) != 0)
          same = FALSE;
        n++;
      }
    if (n != specs->len)
      same = FALSE;

    if (!same)
      {
        while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
          gtk_list_box_remove (self->list_box, child);
        for (guint i = 0; i < specs->len; i++)
          gtk_list_box_append (self->list_box, make_spec_row (g_ptr_array_index (specs, i)));
      }
    else
      for (guint i = 0; i < specs->len; i++)
        {
          RowSpec *spec = g_ptr_array_index (specs, i);
          GtkListBoxRow *old = gtk_list_box_get_row_at_index (self->list_box, (int) i);
          g_autofree char *signature = row_spec_signature (spec);

          if (g_strcmp0 (g_object_get_data (G_OBJECT (old), "gazette-signature"),
                         signature) == 0)
            {
              /* Unchanged on screen; the menu reads the source's latest state. */
              if (spec->source != NULL)
                g_object_set_data_full (G_OBJECT (old), "gazette-source",
                                        g_object_ref (spec->source), g_object_unref);
              gtk_widget_set_visible (GTK_WIDGET (old), spec->visible);
              continue;
            }
          gtk_list_box_remove (self->list_box, GTK_WIDGET (old));
          gtk_list_box_insert (self->list_box, make_spec_row (spec), (int) i);
        }
  }

  row = NULL;
  if (self->pending_selection != NULL)
    {
      /* A reload started before the source was added may not list it yet: keep waiting. */
      row = find_row (self, self->pending_selection);
      if (row != NULL)
        g_clear_pointer (&self->pending_selection, g_free);
    }
  if (row == NULL)
    row = find_row (self, wanted);
  if (row == NULL || !gtk_widget_get_visible (GTK_WIDGET (row)))
    row = find_row (self, "all");
  gtk_list_box_select_row (self->list_box, row);

  self->rebuilding = FALSE;

  set_selection_internal (self, row_key (row), g_object_get_data (G_OBJECT (row), "gazette-title"));
  g_signal_emit (self, signals[SIGNAL_RELOADED], 0);
}

static void reload_now (GazetteSidebar *self);

static void
reload_done (GazetteSidebar *self)
{
  self->reloading = FALSE;

  if (!self->loaded)
    {
      self->loaded = TRUE;
      rebuild (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  else
    rebuild (self);

  if (self->reload_again)
    {
      self->reload_again = FALSE;
      reload_now (self);
    }
}

static void
list_sources_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GazetteSidebar) self = user_data;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;

  sources = gazette_store_list_sources_finish (GAZETTE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Could not list the sources: %s", error->message);
  else
    {
      /* SQLite's NOCASE order is byte order past ASCII; people read their own alphabet. */
      gazette_sources_sort (sources);
      g_clear_pointer (&self->sources, g_ptr_array_unref);
      self->sources = g_steal_pointer (&sources);
    }

  reload_done (self);
}

static void
get_counts_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GazetteSidebar) self = user_data;
  g_autoptr(GError) error = NULL;
  GazetteCounts counts = { 0, };

  if (!gazette_store_get_counts_finish (GAZETTE_STORE (object), result, &counts, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not count the articles: %s", error->message);
    }
  else
    self->counts = counts;

  gazette_store_list_sources_async (self->store, self->cancellable, list_sources_cb,
                                    g_object_ref (self));
}

static void
reload_now (GazetteSidebar *self)
{
  if (self->store == NULL)
    return;

  if (self->reloading)
    {
      self->reload_again = TRUE;
      return;
    }

  self->reloading = TRUE;
  gazette_store_get_counts_async (self->store, self->cancellable, get_counts_cb,
                                  g_object_ref (self));
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  GazetteSidebar *self = user_data;

  self->reload_idle = 0;
  reload_now (self);
  return G_SOURCE_REMOVE;
}

void
gazette_sidebar_reload (GazetteSidebar *self)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));

  /* Coalesces the bursts of signals a refresh or a merge emits. */
  if (self->reload_idle == 0)
    /* A timeout at default priority coalesces bursts of changes without being starved by
     * redraws while a refresh animates the header. While a refresh runs, once a second is
     * enough: each reload re-measures every row, which a thousand sources make slow. */
    self->reload_idle = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                            self->library != NULL &&
                                            gazette_library_get_refreshing (self->library)
                                              ? 1000 : 50,
                                            reload_idle_cb, self, NULL);
}

static void
store_changed_cb (GazetteSidebar *self)
{
  gazette_sidebar_reload (self);
}

void
gazette_sidebar_set_library (GazetteSidebar *self,
                             GazetteLibrary *library,
                             GCancellable   *cancellable)
{
  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));
  g_return_if_fail (GAZETTE_IS_LIBRARY (library));

  g_set_object (&self->library, library);
  g_set_object (&self->cancellable, cancellable);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, gazette_library_get_store (library));

  g_signal_connect_object (self->store, "sources-changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "articles-changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

const char *
gazette_sidebar_get_selection (GazetteSidebar *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR (self), NULL);
  return self->selection;
}

void
gazette_sidebar_set_selection (GazetteSidebar *self,
                               const char     *selection)
{
  GtkListBoxRow *row;

  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));

  g_clear_pointer (&self->pending_selection, g_free);
  row = find_row (self, selection);
  if (row != NULL)
    gtk_list_box_select_row (self->list_box, row);
  else
    /* Not listed yet (a source just added): selected by the rebuild that lists it. */
    self->pending_selection = g_strdup (selection);
}

void
gazette_sidebar_get_filter (GazetteSidebar       *self,
                            GazetteArticleFilter *filter)
{
  const char *key;

  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));
  g_return_if_fail (filter != NULL);

  key = self->selection != NULL ? self->selection : "all";
  filter->kind = GAZETTE_ARTICLE_FILTER_ALL;
  filter->source_id = 0;
  filter->unread_only = FALSE;

  if (g_str_equal (key, "unread"))
    filter->kind = GAZETTE_ARTICLE_FILTER_UNREAD;
  else if (g_str_equal (key, "starred"))
    filter->kind = GAZETTE_ARTICLE_FILTER_STARRED;
  else if (g_str_equal (key, "saved"))
    filter->kind = GAZETTE_ARTICLE_FILTER_SAVED;
  else if (g_str_has_prefix (key, "source:"))
    {
      filter->kind = GAZETTE_ARTICLE_FILTER_SOURCE;
      filter->source_id = g_ascii_strtoll (key + strlen ("source:"), NULL, 10);
    }
  else if (g_str_has_prefix (key, "folder:"))
    {
      filter->kind = GAZETTE_ARTICLE_FILTER_FOLDER;
      filter->source_id = g_ascii_strtoll (key + strlen ("folder:"), NULL, 10);
    }
}

const char *
gazette_sidebar_get_selected_title (GazetteSidebar *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR (self), NULL);
  return self->selected_title;
}

const GazetteCounts *
gazette_sidebar_get_counts (GazetteSidebar *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR (self), NULL);
  return &self->counts;
}

GPtrArray *
gazette_sidebar_get_sources (GazetteSidebar *self)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR (self), NULL);
  return self->sources;
}

void
gazette_sidebar_set_source_hidden (GazetteSidebar *self,
                                   gint64          source_id,
                                   gboolean        hidden)
{
  g_autofree char *key = NULL;
  GtkListBoxRow *row;

  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));

  if (hidden)
    {
      gint64 *id = g_new (gint64, 1);

      *id = source_id;
      g_hash_table_add (self->hidden, id);
    }
  else
    g_hash_table_remove (self->hidden, &source_id);

  key = g_strdup_printf ("source:%" G_GINT64_FORMAT, source_id);
  row = find_row (self, key);
  if (row == NULL)
    {
      g_free (key);
      key = g_strdup_printf ("folder:%" G_GINT64_FORMAT, source_id);
      row = find_row (self, key);
    }
  if (row == NULL)
    return;

  if (hidden && gtk_list_box_row_is_selected (row))
    gtk_list_box_select_row (self->list_box, find_row (self, "all"));
  gtk_widget_set_visible (GTK_WIDGET (row), !hidden);
}

static void
row_selected_cb (GazetteSidebar *self,
                 GtkListBoxRow  *row)
{
  if (self->rebuilding || row == NULL)
    return;
  g_clear_pointer (&self->pending_selection, g_free);
  set_selection_internal (self, row_key (row), g_object_get_data (G_OBJECT (row), "gazette-title"));
}

/* Context menu */

static void add_save_offline_item (GazetteSidebar *self,
                                   GMenu          *menu,
                                   GazetteSource  *source);

static gboolean
popup_menu (GazetteSidebar *self,
            GtkListBoxRow  *row,
            double          x,
            double          y)
{
  GazetteSource *source = row != NULL ? g_object_get_data (G_OBJECT (row), "gazette-source") : NULL;
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;
  gint64 id;

  if (source == NULL)
    return FALSE;

  id = gazette_source_get_id (source);
  menu = g_menu_new ();
  if (gazette_source_get_kind (source) != GAZETTE_SOURCE_KIND_FOLDER)
    {
      item = g_menu_item_new (_("_Refresh"), NULL);
      g_menu_item_set_action_and_target_value (item, "sidebar.refresh-source",
                                               g_variant_new_int64 (id));
      g_menu_append_item (menu, item);
      g_clear_object (&item);
    }
  if (gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FEED)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->source_actions),
                                                    "full-article");

      self->menu_source_id = id;
      g_simple_action_set_state (G_SIMPLE_ACTION (action),
                                 g_variant_new_boolean (gazette_source_get_full_article (source)));
      item = g_menu_item_new (_("Load _Full Articles"), "source.full-article");
      g_menu_append_item (menu, item);
      g_clear_object (&item);
      add_save_offline_item (self, menu, source);
    }
  item = g_menu_item_new (_("_Mark All as Read"), NULL);
  g_menu_item_set_action_and_target_value (item, "sidebar.mark-source-read",
                                           g_variant_new_int64 (id));
  g_menu_append_item (menu, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("Re_move"), NULL);
  g_menu_item_set_action_and_target_value (item, "sidebar.remove-source",
                                           g_variant_new_int64 (id));
  g_menu_append_item (menu, item);

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->popover), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->popover));
  return TRUE;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            GazetteSidebar  *self)
{
  graphene_point_t point;

  if (!gtk_widget_compute_point (GTK_WIDGET (self->list_box), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return;

  if (popup_menu (self, gtk_list_box_get_row_at_y (self->list_box, (int) y), point.x, point.y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Menu and Shift+F10: the same menu for the focused (or selected) row, from the keyboard. */
static gboolean
menu_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (user_data);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkListBoxRow *row = NULL;
  graphene_rect_t bounds;

  if (focus != NULL)
    row = GTK_LIST_BOX_ROW (gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW));
  if (row == NULL)
    row = gtk_list_box_get_selected_row (self->list_box);
  if (row == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self), &bounds))
    return FALSE;

  return popup_menu (self, row, bounds.origin.x + 24, bounds.origin.y + bounds.size.height / 2);
}

static void
refresh_source_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failing source reports through :error and "source-failed". */
  if (!gazette_library_refresh_finish (GAZETTE_LIBRARY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Refreshing failed: %s", error->message);
}

static void
refresh_source_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (widget);

  if (self->library != NULL)
    gazette_library_refresh_async (self->library, g_variant_get_int64 (parameter),
                                   self->cancellable, refresh_source_cb, NULL);
}

static void
load_full_articles_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_library_load_full_articles_finish (GAZETTE_LIBRARY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not load the full articles: %s", error->message);
}

typedef struct {
  GazetteSidebar *self;   /* owns a ref */
  gint64          source_id;
  gboolean        on;
} FullArticleToggle;

static void
full_article_stored_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  FullArticleToggle *toggle = user_data;
  GazetteSidebar *self = toggle->self;
  g_autoptr(GError) error = NULL;

  if (!gazette_store_update_source_finish (GAZETTE_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not save the source: %s", error->message);
    }
  /* Turned on: the entries already there, unread, get their full text too. */
  else if (toggle->on && self->library != NULL)
    gazette_library_load_full_articles_async (self->library, toggle->source_id,
                                              self->cancellable, load_full_articles_cb, NULL);

  g_object_unref (toggle->self);
  g_free (toggle);
}

static void
full_article_change_state (GSimpleAction *action,
                           GVariant      *value,
                           gpointer      user_data)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (user_data);
  GazetteSource *source = find_source (self, self->menu_source_id);
  FullArticleToggle *toggle;

  g_simple_action_set_state (action, value);
  if (source == NULL || self->store == NULL)
    return;

  toggle = g_new0 (FullArticleToggle, 1);
  toggle->self = g_object_ref (self);
  toggle->source_id = gazette_source_get_id (source);
  toggle->on = g_variant_get_boolean (value);
  gazette_source_set_full_article (source, toggle->on);
  gazette_store_update_source_async (self->store, source, self->cancellable,
                                     full_article_stored_cb, toggle);
}

/* "Save New Articles for Offline": a refresh that adds entries to the source saves them with
 * their images (GazetteLibrary does it). */
static void
save_offline_stored_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_store_update_source_finish (GAZETTE_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not save the source: %s", error->message);
}

static void
save_offline_change_state (GSimpleAction *action,
                           GVariant      *value,
                           gpointer      user_data)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (user_data);
  GazetteSource *source = find_source (self, self->menu_source_id);

  g_simple_action_set_state (action, value);
  if (source == NULL || self->store == NULL)
    return;
  gazette_source_set_save_offline (source, g_variant_get_boolean (value));
  gazette_store_update_source_async (self->store, source, self->cancellable,
                                     save_offline_stored_cb, NULL);
}

static void
add_save_offline_item (GazetteSidebar *self,
                       GMenu          *menu,
                       GazetteSource  *source)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->source_actions),
                                                "save-offline");
  g_autoptr(GMenuItem) item = NULL;

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (gazette_source_get_save_offline (source)));
  item = g_menu_item_new (_("Save New Articles for _Offline"), "source.save-offline");
  g_menu_append_item (menu, item);
}

static void
mark_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_store_mark_all_read_finish (GAZETTE_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not mark the articles as read: %s", error->message);
}

static void
mark_source_read_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (widget);
  gint64 id = g_variant_get_int64 (parameter);
  GazetteSource *source = find_source (self, id);
  GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_SOURCE, id, FALSE };

  if (self->store == NULL || source == NULL)
    return;

  if (gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FOLDER)
    filter.kind = GAZETTE_ARTICLE_FILTER_FOLDER;
  gazette_store_mark_all_read_async (self->store, &filter, self->cancellable, mark_read_cb, NULL);
}

static void
remove_source_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (widget);
  gint64 id = g_variant_get_int64 (parameter);
  GazetteSource *source = find_source (self, id);

  if (source == NULL)
    return;

  gazette_sidebar_set_source_hidden (self, id, TRUE);
  g_signal_emit (self, signals[SIGNAL_REMOVE_SOURCE], 0, id, gazette_source_get_title (source));
}

static void
gazette_sidebar_dispose (GObject *object)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_SIDEBAR);
  /* The template's root is not a bound child: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->library);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->source_actions);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->sources, g_ptr_array_unref);

  G_OBJECT_CLASS (gazette_sidebar_parent_class)->dispose (object);
}

static void
gazette_sidebar_finalize (GObject *object)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (object);

  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_free (self->selection);
  g_free (self->pending_selection);
  g_free (self->selected_title);

  G_OBJECT_CLASS (gazette_sidebar_parent_class)->finalize (object);
}

static void
gazette_sidebar_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      g_value_set_string (value, self->selection);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_sidebar_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_SELECTION:
      gazette_sidebar_set_selection (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_sidebar_class_init (GazetteSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_sidebar_dispose;
  object_class->finalize = gazette_sidebar_finalize;
  object_class->get_property = gazette_sidebar_get_property;
  object_class->set_property = gazette_sidebar_set_property;

  properties[PROP_SELECTION] =
    g_param_spec_string ("selection", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_REMOVE_SOURCE] =
    g_signal_new ("remove-source", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_RELOADED] =
    g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/gazette-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteSidebar, scrolled);
  gtk_widget_class_bind_template_child (widget_class, GazetteSidebar, list_box);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, pressed_cb);

  gtk_widget_class_install_action (widget_class, "sidebar.refresh-source", "x",
                                   refresh_source_action);
  gtk_widget_class_install_action (widget_class, "sidebar.mark-source-read", "x",
                                   mark_source_read_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-source", "x",
                                   remove_source_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gazette-sidebar");
}

static void
gazette_sidebar_init (GazetteSidebar *self)
{
  GtkEventController *controller;

  self->hidden = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->selection = g_settings_get_string (self->settings, "last-selection");

  gtk_list_box_set_header_func (self->list_box, header_func, NULL, NULL);

  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK)),
                      gtk_callback_action_new (menu_key_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->list_box), controller);

  {
    static const GActionEntry entries[] = {
      { "full-article", NULL, NULL, "false", full_article_change_state },
      { "save-offline", NULL, NULL, "false", save_offline_change_state },
    };

    self->source_actions = g_simple_action_group_new ();
    g_action_map_add_action_entries (G_ACTION_MAP (self->source_actions), entries,
                                     G_N_ELEMENTS (entries), self);
    gtk_widget_insert_action_group (GTK_WIDGET (self), "source",
                                    G_ACTION_GROUP (self->source_actions));
  }

  self->popover = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
}

/* gazette-sidebar.c — the source list: All, Unread, Starred, Saved, then folders and sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListView over a flat GListStore of GazetteSidebarItem (a folder's sources right under
 * it, indented), filtered for the rows hidden while an undo toast is shown. A library may have
 * a thousand sources: only the rows on screen have widgets, a reload keeps each row's item and
 * sets its properties (a bound row redraws when one of them changes), and adding or removing
 * sources splices only the range that differs. A collapsed folder's sources are simply left out
 * of the rows built, so collapsing or expanding one splices just its children; the folder row
 * keeps its unread total. Which folders are collapsed is kept in GSettings collapsed-folders.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-sidebar.h"
#include "gazette-sidebar-item.h"

struct _GazetteSidebar
{
  GtkWidget       parent_instance;

  GtkWidget      *scrolled;
  GtkListView    *list_view;
  GListStore     *items;        /* of GazetteSidebarItem, display order, hidden ones included */
  GtkFilter      *filter;       /* leaves out hidden items */
  GtkSingleSelection *selection_model;
  GtkWidget      *popover;
  GSimpleActionGroup *source_actions;  /* "source.*": stateful actions of the menu's source */
  gint64          menu_source_id;

  GSettings      *settings;
  GazetteLibrary *library;
  GazetteStore   *store;
  GCancellable   *cancellable;

  GPtrArray      *sources;      /* of GazetteSource, display order */
  GHashTable     *hidden;       /* gint64* id → its source's identity (source_identity), or
                                 * "" for any: hidden while an undo toast is shown */
  GHashTable     *collapsed;    /* gint64* folder id: its sources are not listed */
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

/* What tells a source from a new one given its id once it is removed (SQLite reuses ids, and a
 * source may be added before a reload shows the removal). */
static char *
source_identity (GazetteSource *source)
{
  return g_strdup_printf ("%d\n%s\n%s", gazette_source_get_kind (source),
                          gazette_source_get_url (source) != NULL ? gazette_source_get_url (source) : "",
                          gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FOLDER &&
                          gazette_source_get_title (source) != NULL
                            ? gazette_source_get_title (source) : "");
}

static gboolean
source_is_hidden (GazetteSidebar *self,
                  GazetteSource  *source)
{
  gint64 id = gazette_source_get_id (source);
  const char *identity = g_hash_table_lookup (self->hidden, &id);
  g_autofree char *own = NULL;

  if (identity == NULL)
    return FALSE;
  if (*identity == '\0')
    return TRUE;
  own = source_identity (source);
  return g_str_equal (own, identity);
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

/* Rows ----------------------------------------------------------------------------------------- */

/* The width a nesting level takes: the expander's, plus the box's spacing. */
#define EXPANDER_SIZE 16
#define ROW_SPACING 8
#define INDENT_WIDTH (EXPANDER_SIZE + ROW_SPACING)

typedef struct {
  GtkWidget *box;
  GtkWidget *expander;
  int        a11y_expanded;   /* what the row's accessible says: -1 nothing, else a boolean */
  GtkWidget *icon;
  GtkWidget *label;
  GtkWidget *warning;
  GtkWidget *pill;
} RowWidgets;

/* Each of these costs a round trip to the display or the accessibility bus when it changes
 * something: only when it does. */
static void
set_tooltip (GtkWidget  *widget,
             const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static void
set_label (GtkWidget  *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text != NULL ? text : "") != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
}

static void
set_class (GtkWidget  *widget,
           const char *name,
           gboolean    on)
{
  if (gtk_widget_has_css_class (widget, name) == on)
    return;
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static void
sync_row (GtkListItem *list_item)
{
  RowWidgets *row = g_object_get_data (G_OBJECT (list_item), "gazette-row");
  GazetteSidebarItem *item = gtk_list_item_get_item (list_item);
  gboolean header, expandable, expanded, is_folder;
  const char *title, *error;
  guint count;

  if (row == NULL || item == NULL)
    return;

  header = gazette_sidebar_item_is_header (item);
  title = gazette_sidebar_item_get_title (item);
  error = gazette_sidebar_item_get_error (item);
  count = header ? 0 : gazette_sidebar_item_get_count (item);

  gtk_list_item_set_selectable (list_item, !header);
  gtk_list_item_set_activatable (list_item, !header);

  expandable = gazette_sidebar_item_get_expandable (item);
  expanded = gazette_sidebar_item_get_expanded (item);
  is_folder = g_str_has_prefix (gazette_sidebar_item_get_key (item), "folder:");
  /* An empty folder keeps the expander's place, so folder icons line up. */
  gtk_widget_set_margin_start (row->box,
                               header ? 8 : 4 + gazette_sidebar_item_get_indent (item) * INDENT_WIDTH
                                            + (is_folder && !expandable ? INDENT_WIDTH : 0));
  gtk_widget_set_visible (row->expander, expandable);
  if (expandable)
    {
      const char *icon_name = expanded ? "pan-down-symbolic" : "pan-end-symbolic";
      const char *tip = expanded ? _("Collapse Folder") : _("Expand Folder");

      if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (row->expander)), icon_name) != 0)
        gtk_image_set_from_icon_name (GTK_IMAGE (row->expander), icon_name);
      if (g_strcmp0 (gtk_widget_get_tooltip_text (row->expander), tip) != 0)
        {
          gtk_widget_set_tooltip_text (row->expander, tip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row->expander),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
        }
    }
  if (row->a11y_expanded != (expandable ? expanded : -1))
    {
      /* GtkListView's own row widget is what a screen reader walks. */
      GtkWidget *row_widget = gtk_widget_get_parent (row->box);

      row->a11y_expanded = expandable ? expanded : -1;
      if (expandable)
        {
          gtk_accessible_update_state (GTK_ACCESSIBLE (row->expander),
                                       GTK_ACCESSIBLE_STATE_EXPANDED, expanded, -1);
          if (row_widget != NULL)
            gtk_accessible_update_state (GTK_ACCESSIBLE (row_widget),
                                         GTK_ACCESSIBLE_STATE_EXPANDED, expanded, -1);
        }
      else
        {
          gtk_accessible_reset_state (GTK_ACCESSIBLE (row->expander),
                                      GTK_ACCESSIBLE_STATE_EXPANDED);
          if (row_widget != NULL)
            gtk_accessible_reset_state (GTK_ACCESSIBLE (row_widget),
                                        GTK_ACCESSIBLE_STATE_EXPANDED);
        }
    }
  gtk_widget_set_margin_top (row->box, header ? 12 : 0);
  gtk_widget_set_margin_bottom (row->box, header ? 6 : 0);
  gtk_widget_set_visible (row->icon, !header);
  if (!header && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (row->icon)),
                            gazette_sidebar_item_get_icon_name (item)) != 0)
    gtk_image_set_from_icon_name (GTK_IMAGE (row->icon), gazette_sidebar_item_get_icon_name (item));

  set_label (row->label, title);
  gtk_widget_set_has_tooltip (row->label, !header);
  set_class (row->label, "heading", header);
  set_class (row->label, "dim-label", header);

  gtk_widget_set_visible (row->warning, error != NULL && !header);
  set_tooltip (row->warning, error);

  gtk_widget_set_visible (row->pill, count > 0);
  if (count > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", count);

      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (row->pill)), text) != 0)
        {
          g_autofree char *description = describe_count (gazette_sidebar_item_get_key (item),
                                                         count);

          gtk_label_set_text (GTK_LABEL (row->pill), text);
          gtk_widget_set_tooltip_text (row->pill, description);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row->pill),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
        }
    }
  else
    {
      set_label (row->pill, "");
      set_tooltip (row->pill, NULL);
    }
}

/* The title in full, for one cut short. Asked for when shown: setting a tooltip asks the
 * display where the pointer is, a round trip for each row a reload touches. */
static gboolean
title_tooltip_cb (GtkWidget  *label,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static GazetteSidebarItem *item_for_widget (GtkWidget *widget);

/* Claimed at once, so the row under it is not selected: the arrow only folds. */
static void
expander_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     gpointer         user_data)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
expander_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      GazetteSidebar  *self)
{
  GtkWidget *expander = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GazetteSidebarItem *item = item_for_widget (expander);
  GazetteSource *source = item != NULL ? gazette_sidebar_item_get_source (item) : NULL;

  if (source == NULL || !gtk_widget_contains (expander, x, y))
    return;
  gazette_sidebar_set_folder_expanded (self, gazette_source_get_id (source),
                                       !gazette_sidebar_item_get_expanded (item));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  RowWidgets *row = g_new0 (RowWidgets, 1);
  GtkGesture *gesture;

  row->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, ROW_SPACING);
  gtk_widget_set_margin_end (row->box, 2);
  /* The context menu finds its row through this. */
  g_object_set_data (G_OBJECT (row->box), "gazette-list-item", list_item);

  /* Not focusable: the row is, and Left and Right fold it from there, as in a tree. */
  row->expander = g_object_new (GTK_TYPE_IMAGE,
                                "accessible-role", GTK_ACCESSIBLE_ROLE_BUTTON,
                                "pixel-size", EXPANDER_SIZE,
                                "visible", FALSE,
                                NULL);
  gtk_widget_add_css_class (row->expander, "gazette-expander");
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (expander_pressed_cb), NULL);
  g_signal_connect (gesture, "released", G_CALLBACK (expander_released_cb), user_data);
  gtk_widget_add_controller (row->expander, GTK_EVENT_CONTROLLER (gesture));
  row->a11y_expanded = -1;
  gtk_box_append (GTK_BOX (row->box), row->expander);

  row->icon = gtk_image_new ();
  gtk_box_append (GTK_BOX (row->box), row->icon);

  row->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (row->label, TRUE);
  g_signal_connect (row->label, "query-tooltip", G_CALLBACK (title_tooltip_cb), NULL);
  gtk_box_append (GTK_BOX (row->box), row->label);

  row->warning = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (row->warning, "warning");
  gtk_widget_set_visible (row->warning, FALSE);
  gtk_box_append (GTK_BOX (row->box), row->warning);

  row->pill = gtk_label_new (NULL);
  gtk_widget_add_css_class (row->pill, "gazette-count");
  gtk_widget_add_css_class (row->pill, "dim-label");
  gtk_widget_add_css_class (row->pill, "numeric");
  gtk_widget_set_valign (row->pill, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (row->pill, FALSE);
  gtk_box_append (GTK_BOX (row->box), row->pill);

  g_object_set_data_full (G_OBJECT (list_item), "gazette-row", row, g_free);
  gtk_list_item_set_child (list_item, row->box);
}

static void
item_notify_cb (GazetteSidebarItem *item,
                GParamSpec         *pspec,
                GtkListItem        *list_item)
{
  sync_row (list_item);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  GazetteSidebarItem *item = gtk_list_item_get_item (list_item);

  g_signal_connect_object (item, "notify", G_CALLBACK (item_notify_cb), list_item, 0);
  sync_row (list_item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GazetteSidebarItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, item_notify_cb, list_item);
}

static gboolean
item_shown (gpointer item,
            gpointer user_data)
{
  return !gazette_sidebar_item_get_hidden (item);
}

/* The item of the row @widget is in (or is), for the context menu. */
static GazetteSidebarItem *
item_for_widget (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      GtkListItem *list_item = g_object_get_data (G_OBJECT (widget), "gazette-list-item");
      GtkWidget *child;

      /* The focus is on GtkListView's own row widget, our box's parent. */
      if (list_item == NULL && (child = gtk_widget_get_first_child (widget)) != NULL)
        list_item = g_object_get_data (G_OBJECT (child), "gazette-list-item");
      if (list_item != NULL)
        return gtk_list_item_get_item (list_item);
    }
  return NULL;
}

/* Selection ------------------------------------------------------------------------------------ */

/* The position of @key's row among the rows shown, or GTK_INVALID_LIST_POSITION. */
static guint
find_position (GazetteSidebar *self,
               const char     *key)
{
  GListModel *model = G_LIST_MODEL (self->selection_model);
  guint n = g_list_model_get_n_items (model);

  if (key == NULL)
    return GTK_INVALID_LIST_POSITION;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GazetteSidebarItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (gazette_sidebar_item_get_key (item), key))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static GazetteSidebarItem *
find_item (GazetteSidebar *self,
           const char     *key)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      GazetteSidebarItem *item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      g_object_unref (item);  /* the store keeps it */
      if (g_str_equal (gazette_sidebar_item_get_key (item), key))
        return item;
    }
  return NULL;
}

static void
select_position (GazetteSidebar *self,
                 guint           position)
{
  gtk_single_selection_set_selected (self->selection_model, position);
  if (position != GTK_INVALID_LIST_POSITION && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                position);
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
selected_cb (GazetteSidebar *self)
{
  GazetteSidebarItem *item = gtk_single_selection_get_selected_item (self->selection_model);

  if (self->rebuilding || item == NULL)
    return;
  g_clear_pointer (&self->pending_selection, g_free);
  set_selection_internal (self, gazette_sidebar_item_get_key (item),
                          gazette_sidebar_item_get_title (item));
}

/* Rebuilding ----------------------------------------------------------------------------------- */

/* A row as it should be. */
typedef struct {
  char          *key;
  const char    *icon;
  char          *title;
  guint          count;
  char          *error;
  int            indent;
  gboolean       hidden;
  gboolean       expandable;
  gboolean       expanded;
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
  spec->hidden = source_is_hidden (self, source);
  spec->source = g_object_ref (source);
  g_ptr_array_add (specs, spec);
}

/* Returns whether the item's hidden flag changed (the filter must run again). */
static gboolean
apply_spec (GazetteSidebarItem *item,
            const RowSpec      *spec)
{
  gboolean was_hidden = gazette_sidebar_item_get_hidden (item);

  gazette_sidebar_item_set_icon_name (item, spec->icon);
  gazette_sidebar_item_set_title (item, spec->title);
  gazette_sidebar_item_set_count (item, spec->count);
  gazette_sidebar_item_set_error (item, spec->error);
  gazette_sidebar_item_set_indent (item, spec->indent);
  gazette_sidebar_item_set_expandable (item, spec->expandable);
  gazette_sidebar_item_set_expanded (item, spec->expanded);
  gazette_sidebar_item_set_source (item, spec->source);
  gazette_sidebar_item_set_hidden (item, spec->hidden);
  return was_hidden != spec->hidden;
}

static const char *
item_key_at (GListModel *model,
             guint       position)
{
  g_autoptr(GazetteSidebarItem) item = g_list_model_get_item (model, position);

  /* The store holds a reference: the key outlives this one. */
  return gazette_sidebar_item_get_key (item);
}

static GPtrArray *
build_specs (GazetteSidebar *self)
{
  GPtrArray *specs = g_ptr_array_new_with_free_func ((GDestroyNotify) row_spec_free);

  add_spec (specs, "all", "view-list-symbolic", _("All Articles"), self->counts.all);
  add_spec (specs, "unread", "mail-unread-symbolic", C_("sidebar", "Unread"),
            self->counts.unread);
  add_spec (specs, "starred", "starred-symbolic", C_("sidebar", "Starred"),
            self->counts.starred);
  add_spec (specs, "saved", "user-bookmarks-symbolic", C_("sidebar", "Saved"),
            self->counts.saved);

  if (self->sources != NULL && self->sources->len > 0)
    {
      g_autoptr(GHashTable) children = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                              (GDestroyNotify) g_ptr_array_unref);
      g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);

      add_spec (specs, "header", NULL, _("Sources"), 0);

      for (guint i = 0; i < self->sources->len; i++)
        {
          GazetteSource *source = g_ptr_array_index (self->sources, i);

          g_hash_table_add (ids, GSIZE_TO_POINTER ((gsize) gazette_source_get_id (source)));
        }

      /* Each folder's children and unread total, in one pass (a library may have thousands). */
      for (guint i = 0; i < self->sources->len; i++)
        {
          GazetteSource *source = g_ptr_array_index (self->sources, i);
          gint64 folder_id = gazette_source_get_folder_id (source);
          GPtrArray *list;

          if (folder_id == 0 || !g_hash_table_contains (ids, GSIZE_TO_POINTER ((gsize) folder_id)))
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
              gboolean expanded = !g_hash_table_contains (self->collapsed, &id);
              RowSpec *folder_spec;
              guint unread = 0;

              /* Collapsed or not, the folder counts all its sources. */
              for (guint j = 0; list != NULL && j < list->len; j++)
                unread += gazette_source_get_unread_count (g_ptr_array_index (list, j));
              add_source_spec (self, specs, source, unread, 0);
              folder_spec = g_ptr_array_index (specs, specs->len - 1);
              folder_spec->expandable = list != NULL && list->len > 0;
              folder_spec->expanded = folder_spec->expandable && expanded;
              for (guint j = 0; expanded && list != NULL && j < list->len; j++)
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
  return specs;
}

/* Brings the store in line with @specs: items whose key stays at its place are updated in
 * place; only the range between the common head and tail is spliced. */
static void
apply_specs (GazetteSidebar *self,
             GPtrArray      *specs)
{
  GListModel *model = G_LIST_MODEL (self->items);
  guint n_old = g_list_model_get_n_items (model);
  guint head = 0, tail = 0;
  gboolean refilter = FALSE;

  while (head < n_old && head < specs->len &&
         g_str_equal (item_key_at (model, head),
                      ((RowSpec *) g_ptr_array_index (specs, head))->key))
    head++;
  while (tail < n_old - head && tail < specs->len - head &&
         g_str_equal (item_key_at (model, n_old - 1 - tail),
                      ((RowSpec *) g_ptr_array_index (specs, specs->len - 1 - tail))->key))
    tail++;

  for (guint i = 0; i < head; i++)
    {
      g_autoptr(GazetteSidebarItem) item = g_list_model_get_item (model, i);

      refilter |= apply_spec (item, g_ptr_array_index (specs, i));
    }
  for (guint i = 0; i < tail; i++)
    {
      g_autoptr(GazetteSidebarItem) item = g_list_model_get_item (model, n_old - 1 - i);

      refilter |= apply_spec (item, g_ptr_array_index (specs, specs->len - 1 - i));
    }

  if (head + tail < n_old || head + tail < specs->len)
    {
      guint n_new = specs->len - head - tail;
      g_autoptr(GPtrArray) added = g_ptr_array_new_full (n_new, g_object_unref);

      for (guint i = head; i < head + n_new; i++)
        {
          RowSpec *spec = g_ptr_array_index (specs, i);
          GazetteSidebarItem *item = gazette_sidebar_item_new (spec->key);

          apply_spec (item, spec);
          g_ptr_array_add (added, item);
        }
      g_list_store_splice (self->items, head, n_old - head - tail, added->pdata, added->len);
    }

  if (refilter)
    gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
}

/* Folders ------------------------------------------------------------------------------------- */

static GHashTable *
id_set_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
id_set_add (GHashTable *set,
            gint64      id)
{
  g_hash_table_add (set, g_memdup2 (&id, sizeof id));
}

static gboolean
id_sets_equal (GHashTable *a,
               GHashTable *b)
{
  GHashTableIter iter;
  gpointer id;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (b, id))
      return FALSE;
  return TRUE;
}

static GHashTable *
read_collapsed (GazetteSidebar *self)
{
  GHashTable *set = id_set_new ();
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "collapsed-folders");
  gsize n = 0;
  const gint64 *ids = g_variant_get_fixed_array (value, &n, sizeof (gint64));

  for (gsize i = 0; i < n; i++)
    id_set_add (set, ids[i]);
  return set;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Writes only a real change: each write reaches every window's sidebar. */
static void
save_collapsed (GazetteSidebar *self)
{
  g_autoptr(GHashTable) saved = read_collapsed (self);
  g_autoptr(GArray) ids = NULL;
  GHashTableIter iter;
  gpointer id;

  if (id_sets_equal (saved, self->collapsed))
    return;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_hash_table_size (self->collapsed));
  g_hash_table_iter_init (&iter, self->collapsed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_array_append_val (ids, *(gint64 *) id);
  g_array_sort (ids, compare_ids);
  g_settings_set_value (self->settings, "collapsed-folders",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids->data, ids->len,
                                                   sizeof (gint64)));
}

/* The folder a source row is listed under, or 0 at the top level. */
static gint64
parent_folder (GazetteSidebar *self,
               const char     *key)
{
  GazetteSource *source, *folder;

  if (key == NULL || !g_str_has_prefix (key, "source:"))
    return 0;
  source = find_source (self, g_ascii_strtoll (key + strlen ("source:"), NULL, 10));
  if (source == NULL || gazette_source_get_folder_id (source) == 0)
    return 0;
  folder = find_source (self, gazette_source_get_folder_id (source));
  if (folder == NULL || gazette_source_get_kind (folder) != GAZETTE_SOURCE_KIND_FOLDER)
    return 0;
  return gazette_source_get_id (folder);
}

/* A source asked for (or still selected) in a collapsed folder: the folder opens, since the
 * selected row is always one the user can see. */
static void
reveal (GazetteSidebar *self,
        const char     *key)
{
  gint64 folder_id = parent_folder (self, key);

  if (folder_id != 0 && g_hash_table_remove (self->collapsed, &folder_id))
    save_collapsed (self);
}

/* Folders no longer listed drop out of the setting (a few folders collapsed, each looked up). */
static void
prune_collapsed (GazetteSidebar *self)
{
  GHashTableIter iter;
  gpointer id;
  gboolean changed = FALSE;

  if (self->sources == NULL)
    return;
  g_hash_table_iter_init (&iter, self->collapsed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      GazetteSource *folder = find_source (self, *(gint64 *) id);

      if (folder == NULL || gazette_source_get_kind (folder) != GAZETTE_SOURCE_KIND_FOLDER)
        {
          g_hash_table_iter_remove (&iter);
          changed = TRUE;
        }
    }
  if (changed)
    save_collapsed (self);
}

static void
update_rows (GazetteSidebar *self)
{
  g_autoptr(GPtrArray) specs = NULL;
  g_autofree char *wanted = g_strdup (self->selection != NULL ? self->selection : "all");
  GazetteSidebarItem *selected;
  guint position = GTK_INVALID_LIST_POSITION;

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
  prune_collapsed (self);
  reveal (self, self->pending_selection);
  reveal (self, wanted);

  specs = build_specs (self);
  apply_specs (self, specs);

  if (self->pending_selection != NULL)
    {
      /* A reload started before the source was added may not list it yet: keep waiting. */
      position = find_position (self, self->pending_selection);
      if (position != GTK_INVALID_LIST_POSITION)
        g_clear_pointer (&self->pending_selection, g_free);
    }
  if (position == GTK_INVALID_LIST_POSITION)
    position = find_position (self, wanted);
  if (position == GTK_INVALID_LIST_POSITION)
    position = find_position (self, "all");
  if (position != gtk_single_selection_get_selected (self->selection_model))
    select_position (self, position);

  self->rebuilding = FALSE;

  selected = gtk_single_selection_get_selected_item (self->selection_model);
  if (selected != NULL)
    set_selection_internal (self, gazette_sidebar_item_get_key (selected),
                            gazette_sidebar_item_get_title (selected));
}

static void
rebuild (GazetteSidebar *self)
{
  update_rows (self);
  g_signal_emit (self, signals[SIGNAL_RELOADED], 0);
}

/* Takes @collapsed. A selected source in a folder that closes hands the selection to the
 * folder, which lists the same articles and more, before its row goes. */
static void
set_collapsed (GazetteSidebar *self,
               GHashTable     *collapsed)
{
  GazetteSidebarItem *selected = gtk_single_selection_get_selected_item (self->selection_model);
  gint64 folder_id = selected != NULL
                       ? parent_folder (self, gazette_sidebar_item_get_key (selected)) : 0;

  if (folder_id != 0 && g_hash_table_contains (collapsed, &folder_id))
    {
      g_autofree char *key = g_strdup_printf ("folder:%" G_GINT64_FORMAT, folder_id);
      guint position = find_position (self, key);

      g_clear_pointer (&self->pending_selection, g_free);
      if (position != GTK_INVALID_LIST_POSITION)
        select_position (self, position);
    }

  g_hash_table_unref (self->collapsed);
  self->collapsed = collapsed;
  save_collapsed (self);
  /* Only the folder's children are spliced; nothing was reloaded from the store. */
  if (self->loaded)
    update_rows (self);
}

static void
collapsed_changed_cb (GazetteSidebar *self)
{
  g_autoptr(GHashTable) collapsed = read_collapsed (self);

  /* Our own writes come back here too. */
  if (!id_sets_equal (collapsed, self->collapsed))
    set_collapsed (self, g_steal_pointer (&collapsed));
}

gboolean
gazette_sidebar_get_folder_expanded (GazetteSidebar *self,
                                     gint64          folder_id)
{
  g_return_val_if_fail (GAZETTE_IS_SIDEBAR (self), FALSE);
  return !g_hash_table_contains (self->collapsed, &folder_id);
}

void
gazette_sidebar_set_folder_expanded (GazetteSidebar *self,
                                     gint64          folder_id,
                                     gboolean        expanded)
{
  GHashTable *collapsed;
  GHashTableIter iter;
  gpointer id;

  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));

  if (gazette_sidebar_get_folder_expanded (self, folder_id) == !!expanded)
    return;
  collapsed = id_set_new ();
  g_hash_table_iter_init (&iter, self->collapsed);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (*(gint64 *) id != folder_id)
      id_set_add (collapsed, *(gint64 *) id);
  if (!expanded)
    id_set_add (collapsed, folder_id);
  set_collapsed (self, collapsed);
}

static void
toggle_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (widget);
  gint64 id = g_variant_get_int64 (parameter);

  gazette_sidebar_set_folder_expanded (self, id, !gazette_sidebar_get_folder_expanded (self, id));
}

/* The row widget GtkListView shows @item in, if it is on screen. */
static GtkWidget *
row_widget_for_item (GazetteSidebar     *self,
                     GazetteSidebarItem *item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (item_for_widget (child) == item)
      return child;
  return NULL;
}

/* Left and minus fold the focused folder row, Right and plus unfold it, as GtkTreeExpander's
 * do; Left on a source in a folder goes up to the folder, as in a tree. Other rows let the
 * keys through. */
static gboolean
fold_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (user_data);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GazetteSidebarItem *item = NULL;
  GazetteSource *source;
  const char *how = g_variant_get_string (args, NULL);
  gboolean arrow = g_str_equal (how, "left") || g_str_equal (how, "right");
  gboolean expand;
  gint64 folder_id;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    item = item_for_widget (focus);
  if (item == NULL)
    return FALSE;

  if (arrow)
    /* The arrow points the other way in a right-to-left layout. */
    expand = g_str_equal (how, "right") == (gtk_widget_get_direction (widget) != GTK_TEXT_DIR_RTL);
  else
    expand = g_str_equal (how, "expand");

  if (gazette_sidebar_item_get_expandable (item) &&
      (source = gazette_sidebar_item_get_source (item)) != NULL)
    {
      gazette_sidebar_set_folder_expanded (self, gazette_source_get_id (source), expand);
      return TRUE;
    }

  folder_id = parent_folder (self, gazette_sidebar_item_get_key (item));
  if (arrow && !expand && folder_id != 0)
    {
      g_autofree char *key = g_strdup_printf ("folder:%" G_GINT64_FORMAT, folder_id);
      guint position = find_position (self, key);
      GtkWidget *row;

      if (position == GTK_INVALID_LIST_POSITION)
        return FALSE;
      /* Focus and selection go together in the list, as with Up and Down. */
      select_position (self, position);
      row = row_widget_for_item (self, find_item (self, key));
      if (row != NULL)
        gtk_widget_grab_focus (row);
      return TRUE;
    }
  return FALSE;
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
     * enough: each reload lists every source with its unread count on the store's thread,
     * where the refresh's own writes queue. */
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
  guint position;

  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));

  g_clear_pointer (&self->pending_selection, g_free);
  position = find_position (self, selection);
  if (position == GTK_INVALID_LIST_POSITION && parent_folder (self, selection) != 0)
    {
      reveal (self, selection);
      update_rows (self);
      position = find_position (self, selection);
    }
  if (position != GTK_INVALID_LIST_POSITION)
    select_position (self, position);
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
  GazetteSidebarItem *item;

  g_return_if_fail (GAZETTE_IS_SIDEBAR (self));

  if (hidden)
    {
      gint64 *id = g_new (gint64, 1);
      GazetteSource *source = find_source (self, source_id);

      *id = source_id;
      g_hash_table_insert (self->hidden, id,
                           source != NULL ? source_identity (source) : g_strdup (""));
    }
  else
    g_hash_table_remove (self->hidden, &source_id);

  key = g_strdup_printf ("source:%" G_GINT64_FORMAT, source_id);
  item = find_item (self, key);
  if (item == NULL)
    {
      g_free (key);
      key = g_strdup_printf ("folder:%" G_GINT64_FORMAT, source_id);
      item = find_item (self, key);
    }
  if (item == NULL || gazette_sidebar_item_get_hidden (item) == hidden)
    return;

  if (hidden && gtk_single_selection_get_selected_item (self->selection_model) == item)
    select_position (self, find_position (self, "all"));
  gazette_sidebar_item_set_hidden (item, hidden);
  gtk_filter_changed (self->filter, hidden ? GTK_FILTER_CHANGE_MORE_STRICT
                                           : GTK_FILTER_CHANGE_LESS_STRICT);
}

/* Context menu */

static void add_save_offline_item (GazetteSidebar *self,
                                   GMenu          *menu,
                                   GazetteSource  *source);

static gboolean
popup_menu (GazetteSidebar     *self,
            GazetteSidebarItem *row,
            double              x,
            double              y)
{
  GazetteSource *source = row != NULL ? gazette_sidebar_item_get_source (row) : NULL;
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
  GtkWidget *picked;
  graphene_point_t point;

  if (!gtk_widget_compute_point (GTK_WIDGET (self->list_view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    return;

  picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  if (popup_menu (self, item_for_widget (picked), point.x, point.y))
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
  GazetteSidebarItem *item = NULL;
  graphene_rect_t bounds;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    item = item_for_widget (focus);
  if (item != NULL && gtk_widget_compute_bounds (focus, GTK_WIDGET (self), &bounds))
    return popup_menu (self, item, bounds.origin.x + 24,
                       bounds.origin.y + bounds.size.height / 2);

  /* No row has the focus: the selected one, wherever it is scrolled. */
  item = gtk_single_selection_get_selected_item (self->selection_model);
  if (item == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (self->list_view), GTK_WIDGET (self),
                                                  &bounds))
    return FALSE;
  return popup_menu (self, item, bounds.origin.x + 24, bounds.origin.y + 24);
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
  g_clear_object (&self->selection_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (gazette_sidebar_parent_class)->dispose (object);
}

static void
gazette_sidebar_finalize (GObject *object)
{
  GazetteSidebar *self = GAZETTE_SIDEBAR (object);

  g_clear_pointer (&self->hidden, g_hash_table_unref);
  g_clear_pointer (&self->collapsed, g_hash_table_unref);
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
  gtk_widget_class_bind_template_child (widget_class, GazetteSidebar, list_view);
  gtk_widget_class_bind_template_callback (widget_class, pressed_cb);

  gtk_widget_class_install_action (widget_class, "sidebar.refresh-source", "x",
                                   refresh_source_action);
  gtk_widget_class_install_action (widget_class, "sidebar.mark-source-read", "x",
                                   mark_source_read_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-source", "x",
                                   remove_source_action);
  gtk_widget_class_install_action (widget_class, "sidebar.toggle-folder", "x",
                                   toggle_folder_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gazette-sidebar");
}

static void
gazette_sidebar_init (GazetteSidebar *self)
{
  GtkEventController *controller;

  self->hidden = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->selection = g_settings_get_string (self->settings, "last-selection");
  self->collapsed = read_collapsed (self);
  g_signal_connect_object (self->settings, "changed::collapsed-folders",
                           G_CALLBACK (collapsed_changed_cb), self, G_CONNECT_SWAPPED);

  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
    GtkFilterListModel *filtered;

    g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
    g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
    gtk_list_view_set_factory (self->list_view, factory);
    g_object_unref (factory);

    self->items = g_list_store_new (GAZETTE_TYPE_SIDEBAR_ITEM);
    self->filter = GTK_FILTER (gtk_custom_filter_new (item_shown, NULL, NULL));
    filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->items)),
                                          g_object_ref (self->filter));
    self->selection_model = gtk_single_selection_new (G_LIST_MODEL (filtered));
    gtk_single_selection_set_autoselect (self->selection_model, FALSE);
    gtk_single_selection_set_can_unselect (self->selection_model, FALSE);
    g_signal_connect_object (self->selection_model, "notify::selected",
                             G_CALLBACK (selected_cb), self, G_CONNECT_SWAPPED);
    gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection_model));
  }

  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK)),
                      gtk_callback_action_new (menu_key_cb, self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), controller);

  /* Before the list's own arrow-key bindings see them. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  {
    static const struct { guint keyval; const char *how; } keys[] = {
      { GDK_KEY_Left, "left" }, { GDK_KEY_KP_Left, "left" },
      { GDK_KEY_Right, "right" }, { GDK_KEY_KP_Right, "right" },
      { GDK_KEY_minus, "collapse" }, { GDK_KEY_KP_Subtract, "collapse" },
      { GDK_KEY_plus, "expand" }, { GDK_KEY_KP_Add, "expand" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        GtkShortcut *shortcut =
          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval, 0),
                            gtk_callback_action_new (fold_key_cb, self, NULL));

        gtk_shortcut_set_arguments (shortcut, g_variant_new_string (keys[i].how));
        gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
      }
  }
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), controller);

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

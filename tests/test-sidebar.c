/* test-sidebar.c — the source list on its own, on a library with folders, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <gtk/gtk.h>

#include "gazette-feed.h"
#include "gazette-library.h"
#include "gazette-sidebar.h"
#include "gazette-sidebar-item.h"
#include "gazette-test-ui-utils.h"
#include "gazette-test-utils.h"

/* Links the UI resources in (templates, style.css): nothing else here refers to them. */
GResource *gazette_ui_get_resource (void);

typedef struct {
  char           *data_dir;
  GazetteStore   *store;
  GazetteLibrary *library;
  gint64          alpha, alpha_one, alpha_two, beta, beta_one, zeta;
} Library;

static gint64
add_source (GazetteStore      *store,
            GazetteSourceKind  kind,
            const char        *title,
            gint64             folder_id,
            guint              n_articles)
{
  g_autofree char *url = kind == GAZETTE_SOURCE_KIND_FOLDER
                           ? NULL : g_strdup_printf ("http://127.0.0.1:9/%s.xml", title);
  g_autoptr(GazetteSource) source = gazette_source_new (kind, title, url);
  g_autoptr(GazetteFeed) feed = g_new0 (GazetteFeed, 1);
  g_autoptr(GError) error = NULL;
  GazetteMergeResult result;
  gint64 id;

  gazette_source_set_folder_id (source, folder_id);
  id = gazette_store_add_source_sync (store, source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  if (n_articles == 0)
    return id;

  feed->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_entry_free);
  feed->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_articles; i++)
    {
      GazetteFeedEntry *entry = g_new0 (GazetteFeedEntry, 1);

      entry->id = g_strdup_printf ("%s-%u", title, i);
      entry->title = g_strdup_printf ("%s article %u", title, i + 1);
      entry->link = g_strdup_printf ("https://example.org/%s/%u", title, i);
      entry->published = 1795000000 + i;
      entry->content = g_strdup ("<p>Text.</p>");
      entry->categories = g_ptr_array_new_with_free_func (g_free);
      entry->enclosures = g_ptr_array_new ();
      g_ptr_array_add (feed->entries, entry);
    }
  g_assert_true (gazette_store_merge_feed_sync (store, id, feed, &result, NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* Alpha (One: 2 unread, Two: 1), Beta (One: 1), and Zeta at the top level. */
static void
library_init (Library *lib)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();

  lib->data_dir = g_dir_make_tmp ("gazette-test-sidebar-XXXXXX", &error);
  g_assert_no_error (error);
  lib->store = gazette_store_new (lib->data_dir);
  g_assert_true (gazette_store_open_sync (lib->store, NULL, &error));
  g_assert_no_error (error);

  lib->alpha = add_source (lib->store, GAZETTE_SOURCE_KIND_FOLDER, "Alpha", 0, 0);
  lib->alpha_one = add_source (lib->store, GAZETTE_SOURCE_KIND_FEED, "Alpha One", lib->alpha, 2);
  lib->alpha_two = add_source (lib->store, GAZETTE_SOURCE_KIND_FEED, "Alpha Two", lib->alpha, 1);
  lib->beta = add_source (lib->store, GAZETTE_SOURCE_KIND_FOLDER, "Beta", 0, 0);
  lib->beta_one = add_source (lib->store, GAZETTE_SOURCE_KIND_FEED, "Beta One", lib->beta, 1);
  lib->zeta = add_source (lib->store, GAZETTE_SOURCE_KIND_FEED, "Zeta", 0, 4);
  lib->library = gazette_library_new (lib->store, fetcher);
}

static void
library_clear (Library *lib)
{
  g_autoptr(GFile) dir = g_file_new_for_path (lib->data_dir);

  g_clear_object (&lib->library);
  gazette_store_close (lib->store);
  g_clear_object (&lib->store);
  gazette_test_remove_tree (dir);
  g_free (lib->data_dir);
}

static gboolean
sidebar_loaded (gpointer data)
{
  gboolean loaded = FALSE;

  g_object_get (data, "loaded", &loaded, NULL);
  return loaded;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (label == NULL || g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), label) == 0))
        return child;
      if ((found = find_descendant (child, type, label)) != NULL)
        return found;
    }
  return NULL;
}

/* GtkListView's own row widget for the row titled @title (the focusable, accessible one). */
static GtkWidget *
row_widget (GazetteSidebar *sidebar,
            const char     *title)
{
  GtkWidget *label = find_descendant (GTK_WIDGET (sidebar), GTK_TYPE_LABEL, title);

  return label != NULL ? gtk_widget_get_parent (gtk_widget_get_parent (label)) : NULL;
}

static GListModel *
rows (GazetteSidebar *sidebar)
{
  GtkWidget *list_view = find_descendant (GTK_WIDGET (sidebar), GTK_TYPE_LIST_VIEW, NULL);

  return G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
}

static GazetteSidebarItem *
row_item (GazetteSidebar *sidebar,
          const char     *key)
{
  GListModel *model = rows (sidebar);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GazetteSidebarItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (gazette_sidebar_item_get_key (item), key))
        return item;  /* the store keeps it */
    }
  return NULL;
}

static char *
collapsed_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) value = g_settings_get_value (settings, "collapsed-folders");

  return g_variant_print (value, FALSE);
}

/* Presses @keyval on the focused row as the list's shortcut for it would. */
static gboolean
press_key (GazetteSidebar *sidebar,
           guint           keyval)
{
  GtkWidget *list_view = find_descendant (GTK_WIDGET (sidebar), GTK_TYPE_LIST_VIEW, NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (list_view);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, list_view,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

static GtkWidget *
sidebar_window (GazetteLibrary  *library,
                GazetteSidebar **out)
{
  GtkWidget *toplevel = gtk_window_new ();
  GazetteSidebar *sidebar = GAZETTE_SIDEBAR (gazette_sidebar_new ());

  gtk_window_set_default_size (GTK_WINDOW (toplevel), 300, 420);
  gtk_window_set_child (GTK_WINDOW (toplevel), GTK_WIDGET (sidebar));
  gazette_sidebar_set_library (sidebar, library, NULL);
  gtk_window_present (GTK_WINDOW (toplevel));
  gazette_sidebar_reload (sidebar);
  g_assert_true (gazette_test_wait_for (sidebar_loaded, sidebar, 20));
  gazette_test_spin (100);
  *out = sidebar;
  return toplevel;
}

static void
reloaded_cb (GazetteSidebar *sidebar,
             gboolean       *flag)
{
  *flag = TRUE;
}

static void
test_folder_collapse (void)
{
  Library lib = { 0, };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *alpha_key = NULL, *alpha_one_key = NULL, *alpha_two_key = NULL;
  g_autofree char *setting = NULL, *expected = NULL;
  GazetteSidebar *sidebar, *second;
  GtkWidget *toplevel, *other, *alpha_row, *expander;
  GazetteSidebarItem *alpha;
  gboolean reloaded = FALSE;
  guint n_all;

  library_init (&lib);
  alpha_key = g_strdup_printf ("folder:%" G_GINT64_FORMAT, lib.alpha);
  alpha_one_key = g_strdup_printf ("source:%" G_GINT64_FORMAT, lib.alpha_one);
  alpha_two_key = g_strdup_printf ("source:%" G_GINT64_FORMAT, lib.alpha_two);
  toplevel = sidebar_window (lib.library, &sidebar);

  /* All, Unread, Starred, Saved, the heading, Alpha and its two, Beta and its one, Zeta. */
  n_all = g_list_model_get_n_items (rows (sidebar));
  g_assert_cmpuint (n_all, ==, 11);
  g_assert_true (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  alpha = row_item (sidebar, alpha_key);
  g_assert_true (gazette_sidebar_item_get_expandable (alpha));
  g_assert_true (gazette_sidebar_item_get_expanded (alpha));
  g_assert_cmpuint (gazette_sidebar_item_get_count (alpha), ==, 3);
  alpha_row = row_widget (sidebar, "Alpha");
  g_assert_nonnull (alpha_row);
  gtk_test_accessible_assert_state (alpha_row, GTK_ACCESSIBLE_STATE_EXPANDED, TRUE);
  expander = find_descendant (alpha_row, GTK_TYPE_IMAGE, NULL);
  g_assert_true (gtk_widget_has_css_class (expander, "gazette-expander"));
  g_assert_true (gtk_widget_get_visible (expander));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (expander), ==, "Collapse Folder");
  gtk_test_accessible_assert_role (expander, GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (expander, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Collapse Folder");
  /* Zeta is no folder: no arrow, no expanded state. */
  g_assert_false (gtk_widget_get_visible (find_descendant (row_widget (sidebar, "Zeta"),
                                                           GTK_TYPE_IMAGE, NULL)));
  g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (row_widget (sidebar, "Zeta")),
                                                 GTK_ACCESSIBLE_STATE_EXPANDED));

  /* Collapsing the folder of the selected source: its two rows go, the folder is selected and
   * still counts their unread articles. */
  gazette_sidebar_set_selection (sidebar, alpha_one_key);
  g_assert_cmpstr (gazette_sidebar_get_selection (sidebar), ==, alpha_one_key);
  gtk_widget_activate_action (GTK_WIDGET (sidebar), "sidebar.toggle-folder", "x", lib.alpha);
  g_assert_false (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  g_assert_cmpuint (g_list_model_get_n_items (rows (sidebar)), ==, n_all - 2);
  g_assert_null (row_item (sidebar, alpha_one_key));
  g_assert_null (row_item (sidebar, alpha_two_key));
  g_assert_cmpstr (gazette_sidebar_get_selection (sidebar), ==, alpha_key);
  g_assert_true (row_item (sidebar, alpha_key) == alpha);  /* the same item, updated in place */
  g_assert_false (gazette_sidebar_item_get_expanded (alpha));
  g_assert_cmpuint (gazette_sidebar_item_get_count (alpha), ==, 3);
  gazette_test_spin (100);
  alpha_row = row_widget (sidebar, "Alpha");
  gtk_test_accessible_assert_state (alpha_row, GTK_ACCESSIBLE_STATE_EXPANDED, FALSE);
  expander = find_descendant (alpha_row, GTK_TYPE_IMAGE, NULL);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (expander), ==, "Expand Folder");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_descendant (alpha_row, GTK_TYPE_LABEL,
                                                                   "3"))), ==, "3");

  /* Saved: a new sidebar starts with the folder collapsed. */
  setting = collapsed_setting ();
  expected = g_strdup_printf ("[%" G_GINT64_FORMAT "]", lib.alpha);
  g_assert_cmpstr (setting, ==, expected);
  other = sidebar_window (lib.library, &second);
  g_assert_false (gazette_sidebar_get_folder_expanded (second, lib.alpha));
  g_assert_true (gazette_sidebar_get_folder_expanded (second, lib.beta));
  g_assert_cmpuint (g_list_model_get_n_items (rows (second)), ==, n_all - 2);
  gtk_window_destroy (GTK_WINDOW (other));

  /* The keyboard, on the focused folder row: Right and plus unfold, Left and minus fold. */
  g_assert_true (gtk_widget_grab_focus (alpha_row));
  g_assert_true (press_key (sidebar, GDK_KEY_Right));
  g_assert_true (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  g_assert_cmpuint (g_list_model_get_n_items (rows (sidebar)), ==, n_all);
  g_assert_nonnull (row_item (sidebar, alpha_one_key));
  g_assert_true (press_key (sidebar, GDK_KEY_minus));
  g_assert_false (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  g_assert_cmpuint (g_list_model_get_n_items (rows (sidebar)), ==, n_all - 2);
  g_assert_true (press_key (sidebar, GDK_KEY_plus));
  g_assert_true (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  g_assert_true (press_key (sidebar, GDK_KEY_Left));
  g_assert_false (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  /* Folding keys on a row that is no folder go on to the list. */
  g_assert_true (gtk_widget_grab_focus (row_widget (sidebar, "Zeta")));
  g_assert_false (press_key (sidebar, GDK_KEY_Left));
  g_assert_false (press_key (sidebar, GDK_KEY_Right));
  g_assert_false (press_key (sidebar, GDK_KEY_minus));
  /* Left on a source in a folder goes up to the folder, focus and selection. */
  g_assert_true (gtk_widget_grab_focus (row_widget (sidebar, "Alpha")));
  g_assert_true (press_key (sidebar, GDK_KEY_Right));
  g_assert_true (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  gazette_test_spin (100);
  gazette_sidebar_set_selection (sidebar, alpha_two_key);
  g_assert_cmpstr (gazette_sidebar_get_selection (sidebar), ==, alpha_two_key);
  g_assert_true (gtk_widget_grab_focus (row_widget (sidebar, "Alpha Two")));
  g_assert_true (press_key (sidebar, GDK_KEY_Left));
  g_assert_cmpstr (gazette_sidebar_get_selection (sidebar), ==, alpha_key);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (toplevel)) == row_widget (sidebar, "Alpha"));
  g_assert_true (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  g_assert_true (press_key (sidebar, GDK_KEY_Left));
  g_assert_false (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  /* The row itself still selects the folder, whatever its state. */
  g_assert_cmpstr (gazette_sidebar_get_selection (sidebar), ==, alpha_key);

  /* Another window's change to the setting reaches this one. */
  g_settings_set_value (settings, "collapsed-folders",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, &lib.beta, 1,
                                                   sizeof (gint64)));
  g_assert_true (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  g_assert_false (gazette_sidebar_get_folder_expanded (sidebar, lib.beta));
  g_assert_cmpuint (g_list_model_get_n_items (rows (sidebar)), ==, n_all - 1);

  /* Asking for a source in a collapsed folder opens the folder. */
  gazette_sidebar_set_folder_expanded (sidebar, lib.alpha, FALSE);
  gazette_sidebar_set_selection (sidebar, alpha_two_key);
  g_assert_true (gazette_sidebar_get_folder_expanded (sidebar, lib.alpha));
  g_assert_cmpstr (gazette_sidebar_get_selection (sidebar), ==, alpha_two_key);

  /* For the docs: Alpha open, Beta folded. */
  gazette_test_screenshot_window (GTK_WINDOW (toplevel), "sidebar-folders", 500);

  /* Removed folders drop out of the setting on the next reload. */
  {
    gint64 ids[] = { lib.beta, 424242 };

    g_settings_set_value (settings, "collapsed-folders",
                          g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, 2,
                                                     sizeof (gint64)));
  }
  g_signal_connect (sidebar, "reloaded", G_CALLBACK (reloaded_cb), &reloaded);
  gazette_sidebar_reload (sidebar);
  g_assert_true (gazette_test_wait_for (gazette_test_flag_set, &reloaded, 20));
  g_free (setting);
  g_free (expected);
  setting = collapsed_setting ();
  expected = g_strdup_printf ("[%" G_GINT64_FORMAT "]", lib.beta);
  g_assert_cmpstr (setting, ==, expected);

  gtk_window_destroy (GTK_WINDOW (toplevel));
  gazette_test_spin (100);
  g_settings_reset (settings, "collapsed-folders");
  library_clear (&lib);
}


/* A thousand sources in twenty folders: folding one splices its fifty rows and nothing else,
 * and the rows around keep their items. */
static void
test_folder_collapse_large (void)
{
  Library lib = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  gint64 folders[20];
  GazetteSidebar *sidebar;
  GtkWidget *toplevel;
  GListModel *model;
  GazetteTestChanges changes = { 0, };
  g_autoptr(GazetteSidebarItem) last = NULL;
  g_autofree char *folder_key = NULL;
  guint n_all, folder_position = 0;
  gint64 start, one_us, first_us, all_us;

  lib.data_dir = g_dir_make_tmp ("gazette-test-sidebar-XXXXXX", &error);
  g_assert_no_error (error);
  lib.store = gazette_store_new (lib.data_dir);
  g_assert_true (gazette_store_open_sync (lib.store, NULL, &error));
  for (guint f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *title = g_strdup_printf ("Folder %02u", f);

      folders[f] = add_source (lib.store, GAZETTE_SOURCE_KIND_FOLDER, title, 0, 0);
      for (guint i = 0; i < 50; i++)
        {
          g_autofree char *name = g_strdup_printf ("Feed %02u-%02u", f, i);

          add_source (lib.store, GAZETTE_SOURCE_KIND_FEED, name, folders[f], 0);
        }
    }
  lib.library = gazette_library_new (lib.store, fetcher);
  toplevel = sidebar_window (lib.library, &sidebar);
  model = rows (sidebar);
  n_all = g_list_model_get_n_items (model);
  g_assert_cmpuint (n_all, ==, 4 + 1 + 20 + 1000);
  last = g_list_model_get_item (model, n_all - 1);
  folder_key = g_strdup_printf ("folder:%" G_GINT64_FORMAT, folders[10]);
  for (guint i = 0; i < n_all; i++)
    {
      g_autoptr(GazetteSidebarItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (gazette_sidebar_item_get_key (item), folder_key))
        folder_position = i;
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (gazette_test_record_changes), &changes);

  start = g_get_monotonic_time ();
  gazette_sidebar_set_folder_expanded (sidebar, folders[10], FALSE);
  one_us = g_get_monotonic_time () - start;
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, folder_position + 1);
  g_assert_cmpuint (changes.removed, ==, 50);
  g_assert_cmpuint (changes.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_all - 50);
  {
    g_autoptr(GazetteSidebarItem) now_last = g_list_model_get_item (model, n_all - 51);

    g_assert_true (now_last == last);
  }
  gazette_sidebar_set_folder_expanded (sidebar, folders[10], TRUE);
  g_assert_cmpuint (changes.calls, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 50);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_all);

  /* The first folder's rows are on screen. */
  start = g_get_monotonic_time ();
  gazette_sidebar_set_folder_expanded (sidebar, folders[0], FALSE);
  first_us = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  for (guint f = 1; f < G_N_ELEMENTS (folders); f++)
    gazette_sidebar_set_folder_expanded (sidebar, folders[f], FALSE);
  all_us = g_get_monotonic_time () - start;
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4 + 1 + 20);
  g_test_message ("1000 sources in 20 folders: the 11th folded in %.2f ms, the first (on screen) "
                  "in %.2f ms, the other 19 in %.2f ms", one_us / 1000.0, first_us / 1000.0,
                  all_us / 1000.0);

  g_signal_handlers_disconnect_by_func (model, gazette_test_record_changes, &changes);
  gtk_window_destroy (GTK_WINDOW (toplevel));
  gazette_test_spin (100);
  g_settings_reset (settings, "collapsed-folders");
  library_clear (&lib);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  gazette_test_init_isolated (&argc, &argv);

  if (!gazette_test_have_display ())
    return 0;

  gtk_init ();
  adw_init ();
  (void) gazette_ui_get_resource ();
  /* What AdwApplication would load for the app. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/ui/sidebar/folder-collapse", test_folder_collapse);
  g_test_add_func ("/ui/sidebar/folder-collapse-large", test_folder_collapse_large);

  return g_test_run ();
}

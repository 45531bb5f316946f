/* gazette-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gazette-test-utils.h"

char *
gazette_test_server_listen (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *base;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return base;
}

void
gazette_test_store_result (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
gazette_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
gazette_test_wait_for (GazetteTestCondition condition,
                       gpointer             data,
                       guint                seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, set_flag, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

gboolean
gazette_test_flag_set (gpointer data)
{
  return *(gboolean *) data;
}

void
gazette_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  gazette_test_wait_for (gazette_test_flag_set, &done, 10 + ms / 1000);
}

void
gazette_test_screenshot (const char *name,
                         guint       settle_ms)
{
  const char *dir = g_getenv ("GAZETTE_TEST_SCREENSHOTS");
  g_autofree char *command = NULL;

  if (dir == NULL)
    return;
  gazette_test_spin (settle_ms);
  command = g_strdup_printf ("sh -c 'xwd -root -silent | convert xwd:- %s/%s.png'", dir, name);
  if (!g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL))
    g_test_message ("no screenshot %s", name);
}

void
gazette_test_init_isolated (int    *argc,
                            char ***argv)
{
  g_autofree char *system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("XDG_DATA_DIRS", system_data_dirs != NULL ? system_data_dirs
                                                      : "/usr/local/share:/usr/share", TRUE);
}

gboolean
gazette_test_have_display (void)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }
  return TRUE;
}

void
gazette_test_remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      gazette_test_remove_tree (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

void
gazette_test_record_changes (GListModel         *model,
                             guint               position,
                             guint               removed,
                             guint               added,
                             GazetteTestChanges *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

/* gazette-cli-opml.c — `gazette-cli import-opml` and `gazette-cli export-opml`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both run the async OPML API on a main loop of their own, against the library in --data-dir.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gazette-cli.h"
#include "gazette-error.h"
#include "gazette-opml.h"

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static GazetteStore *
open_store (const GazetteCliGlobals *globals,
            const char              *command)
{
  g_autoptr(GazetteStore) store = gazette_store_new (globals->data_dir);
  g_autoptr(GError) error = NULL;

  if (!gazette_store_open_sync (store, NULL, &error))
    {
      gazette_cli_print_error (command, error);
      return NULL;
    }
  return g_steal_pointer (&store);
}

int
gazette_cli_import_opml (const GazetteCliGlobals *globals,
                         int                      argc,
                         char                   **argv)
{
  g_auto(GStrv) inputs = NULL;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("FILE|-") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GazetteStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GazetteOpmlResult) imported = NULL;
  const char *data;
  gsize length = 0;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Adds the feeds and folders of an OPML subscription "
                                           "list to the library. Nothing is fetched."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      gazette_cli_print_error ("import-opml", error);
      return 2;
    }
  if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL)
    {
      g_printerr ("%s\n", _("Usage: gazette-cli [--data-dir DIR] import-opml FILE|-"));
      return 2;
    }

  bytes = gazette_cli_read_input (inputs[0], NULL, NULL, &error);
  if (bytes == NULL)
    {
      gazette_cli_print_error ("import-opml", error);
      return 1;
    }
  store = open_store (globals, "import-opml");
  if (store == NULL)
    return 1;

  data = g_bytes_get_data (bytes, &length);
  gazette_opml_import_async (store, data != NULL ? data : "", length, NULL, on_done, &result);
  imported = gazette_opml_import_finish (store, wait_result (&result), &error);
  gazette_store_close (store);
  if (imported == NULL)
    {
      gazette_cli_print_error ("import-opml", error);
      return 1;
    }

  for (guint i = 0; i < imported->warnings->len; i++)
    g_printerr ("gazette-cli: %s\n", (const char *) g_ptr_array_index (imported->warnings, i));
  /* TRANSLATORS: "Added 12 feeds in 3 folders, skipped 2"; the three counts are one sentence. */
  g_print (_("Added %u feeds in %u folders, skipped %u\n"), imported->added, imported->folders,
           imported->skipped);
  return 0;
}

int
gazette_cli_export_opml (const GazetteCliGlobals *globals,
                         int                      argc,
                         char                   **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *opml = NULL;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Prints the library’s feeds and folders as an OPML 2.0 "
                                           "subscription list."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      gazette_cli_print_error ("export-opml", error);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("%s\n", _("Usage: gazette-cli [--data-dir DIR] export-opml [-o FILE]"));
      return 2;
    }

  store = open_store (globals, "export-opml");
  if (store == NULL)
    return 1;
  gazette_opml_export_async (store, NULL, on_done, &result);
  opml = gazette_opml_export_finish (store, wait_result (&result), &error);
  gazette_store_close (store);
  if (opml == NULL)
    {
      gazette_cli_print_error ("export-opml", error);
      return 1;
    }

  if (output != NULL && g_strcmp0 (output, "-") != 0)
    {
      if (!g_file_set_contents (output, opml, -1, &error))
        {
          gazette_cli_print_error ("export-opml", error);
          return 1;
        }
      return 0;
    }
  fputs (opml, stdout);
  return fflush (stdout) == 0 ? 0 : 1;
}

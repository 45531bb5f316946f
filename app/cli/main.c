/* main.c — gazette-cli: Gazette's reader and library without the GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "gazette-cli.h"

static void
print_usage (FILE *out)
{
  const GazetteCliCommand *commands;
  guint n_commands;

  commands = gazette_cli_get_commands (&n_commands);
  fprintf (out, "%s\n\n", _("Usage: gazette-cli [--data-dir DIR] COMMAND [OPTION…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < n_commands; i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “gazette-cli COMMAND --help” for a command’s options."));
}

int
main (int    argc,
      char **argv)
{
  GazetteCliGlobals globals = { NULL };
  const char *localedir;
  const GazetteCliCommand *commands;
  guint n_commands;
  int i;

  setlocale (LC_ALL, "");
  /* build-aux/run and the tests point this at the build tree's catalogs. */
  localedir = g_getenv ("GAZETTE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options come before the command. */
  for (i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--data-dir") && i + 1 < argc)
        globals.data_dir = argv[++i];
      else if (g_str_has_prefix (argv[i], "--data-dir="))
        globals.data_dir = argv[i] + strlen ("--data-dir=");
      else if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_usage (stdout);
          return 0;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          printf ("gazette-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      else
        break;
    }

  if (i >= argc)
    {
      print_usage (stderr);
      return 2;
    }

  commands = gazette_cli_get_commands (&n_commands);
  for (guint c = 0; c < n_commands; c++)
    if (g_str_equal (commands[c].name, argv[i]))
      return commands[c].func (&globals, argc - i, argv + i);

  g_printerr (_("gazette-cli: unknown command “%s”\n"), argv[i]);
  print_usage (stderr);
  return 2;
}

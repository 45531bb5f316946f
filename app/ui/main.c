/* main.c — the gazette executable: main() only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gazette-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GazetteApplication) app = NULL;
  const char *localedir;

  setlocale (LC_ALL, "");
  /* build-aux/run and the tests point this at the build tree's catalogs. */
  localedir = g_getenv ("GAZETTE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gazette_application_new (NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* gazette-cli-commands.c — the table of gazette-cli's commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-cli.h"

/* One line per command, alphabetical; each is implemented in gazette-cli-<name>.c. */
static const GazetteCliCommand commands[] = {
  { "export", N_("Write articles as one HTML file or an EPUB book"), gazette_cli_export },
  { "export-opml", N_("Write the library’s subscriptions as OPML"), gazette_cli_export_opml },
  { "extract", N_("Extract the article of a web page"), gazette_cli_extract },
  { "import-opml", N_("Add the subscriptions of an OPML file"), gazette_cli_import_opml },
  { "list", N_("List the library’s articles"), gazette_cli_list },
  { "parse-feed", N_("Parse a feed and print it as JSON"), gazette_cli_parse_feed },
  { "save", N_("Save web pages for reading offline"), gazette_cli_save },
  { "search", N_("Search the library’s articles"), gazette_cli_search },
  { NULL, NULL, NULL },
};

const GazetteCliCommand *
gazette_cli_get_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands) - 1;
  return commands;
}

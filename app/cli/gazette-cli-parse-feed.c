/* gazette-cli-parse-feed.c — `gazette-cli parse-feed`: a feed as JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gazette-cli.h"
#include "gazette-error.h"
#include "gazette-feed.h"

int
gazette_cli_parse_feed (const GazetteCliGlobals *globals,
                        int                      argc,
                        char                   **argv)
{
  g_autofree char *base_url = NULL;
  g_autofree char *given_type = NULL;
  gboolean compact = FALSE;
  g_auto(GStrv) inputs = NULL;
  const GOptionEntry entries[] = {
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
      N_("Resolve relative links against URL (default: the feed’s own URL)"), N_("URL") },
    { "content-type", 0, 0, G_OPTION_ARG_STRING, &given_type,
      N_("Read the input as served with this Content-Type (its charset is a hint)"),
      N_("TYPE") },
    { "compact", 0, 0, G_OPTION_ARG_NONE, &compact, N_("Print the JSON on one line"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("FILE|-|URL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GazetteFeed) feed = NULL;
  g_autofree char *fetched_url = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *json = NULL;
  const char *data;
  gsize length = 0;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Parses a feed (RSS, Atom or JSON Feed) from a file, "
                                           "standard input or a URL and prints it as JSON."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      gazette_cli_print_error ("parse-feed", error);
      return 2;
    }
  if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL)
    {
      g_printerr ("%s\n", _("Usage: gazette-cli parse-feed [--base-url URL] [--content-type TYPE] "
                             "FILE|-|URL"));
      return 2;
    }

  bytes = gazette_cli_read_input (inputs[0], &fetched_url, &content_type, &error);
  if (bytes == NULL)
    {
      gazette_cli_print_error ("parse-feed", error);
      return 1;
    }

  data = g_bytes_get_data (bytes, &length);
  feed = gazette_feed_parse (data, length, base_url != NULL ? base_url : fetched_url,
                             given_type != NULL ? given_type : content_type, &error);
  if (feed == NULL)
    {
      gazette_cli_print_error ("parse-feed", error);
      return 1;
    }

  json = gazette_feed_to_json (feed, !compact);
  fputs (json, stdout);
  fputc ('\n', stdout);
  return fflush (stdout) == 0 ? 0 : 1;
}

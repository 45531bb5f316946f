/* gazette-cli-extract.c — gazette-cli extract: the article of a web page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "gazette-clutter.h"
#include "gazette-cli.h"
#include "gazette-error.h"
#include "gazette-extractor.h"

int
gazette_cli_extract (const GazetteCliGlobals *globals,
                     int                      argc,
                     char                   **argv)
{
  g_autofree char *url = NULL;
  g_autofree char *format = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *fetched_url = NULL;
  g_autofree char *fetched_type = NULL;
  gboolean no_filter = FALSE;
  gboolean explain = FALSE;
  g_auto(GStrv) inputs = NULL;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_("The page’s address, for relative links and site rules"), N_("URL") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: html, text or json (default: html)"), N_("FORMAT") },
    { "content-type", 0, 0, G_OPTION_ARG_STRING, &content_type,
      N_("The HTTP Content-Type of a page read from a file (a charset hint)"), N_("TYPE") },
    { "no-filter", 0, 0, G_OPTION_ARG_NONE, &no_filter,
      N_("Keep the clutter (donation appeals, newsletter boxes, …)"), NULL },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain,
      N_("List every block the clutter filter removed, and why, on standard error"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &inputs, NULL, N_("FILE|-|URL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE|-|URL — extract the article of a web page"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GazetteArticleContent) content = NULL;
  GazetteExtractOptions options = { 0 };
  const char *data;
  gsize length;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      gazette_cli_print_error ("extract", error);
      return 2;
    }
  if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL)
    {
      g_printerr (_("gazette-cli extract: give one FILE, “-” or URL\n"));
      return 2;
    }
  if (format == NULL)
    format = g_strdup ("html");
  if (!g_str_equal (format, "html") && !g_str_equal (format, "text") && !g_str_equal (format, "json"))
    {
      g_printerr (_("gazette-cli extract: unknown format “%s” (html, text or json)\n"), format);
      return 2;
    }

  bytes = gazette_cli_read_input (inputs[0], &fetched_url, &fetched_type, &error);
  if (bytes == NULL)
    {
      gazette_cli_print_error ("extract", error);
      return 1;
    }

  options.url = url != NULL ? url : fetched_url;
  options.content_type = content_type != NULL ? content_type : fetched_type;
  options.no_filter = no_filter;
  data = g_bytes_get_data (bytes, &length);
  content = gazette_extract (data, length, &options, &error);
  if (content == NULL)
    {
      gazette_cli_print_error ("extract", error);
      return 1;
    }

  if (explain)
    {
      for (guint i = 0; i < content->removed->len; i++)
        {
          GazetteClutterRemoval *r = g_ptr_array_index (content->removed, i);
          g_printerr ("%s\t%s\t%s\n", r->reason != NULL ? _(r->reason) : "", r->rule,
                      r->excerpt != NULL ? r->excerpt : "");
        }
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u block removed\n", "%u blocks removed\n",
                               content->removed->len), content->removed->len);
    }

  if (g_str_equal (format, "json"))
    {
      g_autofree char *json = gazette_article_content_to_json (content, TRUE);
      g_print ("%s\n", json);
    }
  else if (g_str_equal (format, "text"))
    g_print ("%s\n", content->text);
  else
    g_print ("%s\n", content->html);
  return 0;
}

/* gazette-cli-library.c — `gazette-cli save`, `list`, `search` and `export`: the offline library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "gazette-cli.h"
#include "gazette-error.h"
#include "gazette-export.h"
#include "gazette-saver.h"
#include "gazette-store-offline.h"

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

static gboolean
parse_options (const char         *command,
               const char         *parameter,
               const char         *summary,
               const GOptionEntry *entries,
               int                *argc,
               char             ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      gazette_cli_print_error (command, error);
      return FALSE;
    }
  return TRUE;
}

static void
print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
add_article_members (JsonBuilder    *builder,
                     GazetteArticle *article)
{
  gint64 published = gazette_article_get_published (article);

  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, gazette_article_get_id (article));
  json_builder_set_member_name (builder, "source_id");
  json_builder_add_int_value (builder, gazette_article_get_source_id (article));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, gazette_article_get_title (article));
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, gazette_article_get_url (article));
  json_builder_set_member_name (builder, "author");
  json_builder_add_string_value (builder, gazette_article_get_author (article));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, gazette_article_get_source_title (article));
  json_builder_set_member_name (builder, "published");
  if (published > 0)
    {
      g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (published);
      g_autofree char *iso = g_date_time_format_iso8601 (date);

      json_builder_add_string_value (builder, iso);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "read");
  json_builder_add_boolean_value (builder, gazette_article_get_read (article));
  json_builder_set_member_name (builder, "starred");
  json_builder_add_boolean_value (builder, gazette_article_get_starred (article));
  json_builder_set_member_name (builder, "saved");
  json_builder_add_boolean_value (builder, gazette_article_get_saved (article));
}

/* save ---------------------------------------------------------------------------------------- */

int
gazette_cli_save (const GazetteCliGlobals *globals,
                  int                      argc,
                  char                   **argv)
{
  g_auto(GStrv) inputs = NULL;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, N_("URL|FILE") },
    { NULL }
  };
  g_autoptr(GazetteStore) store = NULL;
  g_autoptr(GazetteFetcher) fetcher = NULL;
  g_autoptr(GazetteSaver) saver = NULL;
  int status = 0;

  if (!parse_options ("save", NULL,
                      _("Saves web pages for reading offline: the article, its pictures, kept "
                        "until you remove it."), entries, &argc, &argv))
    return 2;
  if (inputs == NULL || inputs[0] == NULL)
    {
      g_printerr ("%s\n", _("Usage: gazette-cli [--data-dir DIR] save URL|FILE…"));
      return 2;
    }

  store = open_store (globals, "save");
  if (store == NULL)
    return 1;
  fetcher = gazette_fetcher_new ();
  saver = gazette_saver_new (store, fetcher);

  for (guint i = 0; inputs[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;
      gint64 id;

      if (g_str_has_prefix (inputs[i], "http://") || g_str_has_prefix (inputs[i], "https://") ||
          g_str_has_prefix (inputs[i], "file://"))
        url = g_strdup (inputs[i]);
      else
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (inputs[i]);

          url = g_file_get_uri (file);
        }

      id = gazette_saver_save_url_sync (saver, url, NULL, &error);
      if (id <= 0)
        {
          gazette_cli_print_error ("save", error);
          status = 1;
          continue;
        }
      {
        g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

        /* TRANSLATORS: "Saved article 12: https://example.org/page" */
        g_print (_("Saved article %s: %s\n"), number, inputs[i]);
      }
    }

  gazette_store_close (store);
  return status;
}

/* list ---------------------------------------------------------------------------------------- */

int
gazette_cli_list (const GazetteCliGlobals *globals,
                  int                      argc,
                  char                   **argv)
{
  gboolean saved = FALSE, starred = FALSE, unread = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    { "saved", 0, 0, G_OPTION_ARG_NONE, &saved, N_("Only articles saved for offline reading"), NULL },
    { "starred", 0, 0, G_OPTION_ARG_NONE, &starred, N_("Only starred articles"), NULL },
    { "unread", 0, 0, G_OPTION_ARG_NONE, &unread, N_("Only unread articles"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  GazetteArticleFilter filter = { GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE };
  g_autoptr(GazetteStore) store = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options ("list", NULL, _("Lists the library’s articles, newest first."), entries,
                      &argc, &argv))
    return 2;
  if (argc > 1)
    {
      g_printerr ("%s\n",
                  _("Usage: gazette-cli [--data-dir DIR] list [--saved|--starred|--unread] [--json]"));
      return 2;
    }

  if (saved)
    filter.kind = GAZETTE_ARTICLE_FILTER_SAVED;
  else if (starred)
    filter.kind = GAZETTE_ARTICLE_FILTER_STARRED;
  else if (unread)
    filter.kind = GAZETTE_ARTICLE_FILTER_UNREAD;
  filter.unread_only = unread;

  store = open_store (globals, "list");
  if (store == NULL)
    return 1;
  articles = gazette_store_list_articles_sync (store, &filter, NULL, &error);
  gazette_store_close (store);
  if (articles == NULL)
    {
      gazette_cli_print_error ("list", error);
      return 1;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < articles->len; i++)
        {
          json_builder_begin_object (builder);
          add_article_members (builder, g_ptr_array_index (articles, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }

  for (guint i = 0; i < articles->len; i++)
    {
      GazetteArticle *article = g_ptr_array_index (articles, i);

      /* Flags: U unread, * starred, S saved. */
      g_print ("%" G_GINT64_FORMAT "\t%c%c%c\t%s\n", gazette_article_get_id (article),
               gazette_article_get_read (article) ? '-' : 'U',
               gazette_article_get_starred (article) ? '*' : '-',
               gazette_article_get_saved (article) ? 'S' : '-',
               gazette_article_get_title (article) != NULL ? gazette_article_get_title (article) : "");
    }
  return 0;
}

/* search -------------------------------------------------------------------------------------- */

/* Matches in bold on a terminal, plain otherwise. */
static char *
marked_for_terminal (const char *marked,
                     gboolean    tty)
{
  GString *out;

  if (!tty)
    return gazette_search_marked_to_plain (marked);
  out = g_string_new (NULL);
  for (const char *p = marked != NULL ? marked : ""; *p != '\0'; p++)
    {
      if (*p == GAZETTE_SEARCH_MARK_START[0])
        g_string_append (out, "\033[1m");
      else if (*p == GAZETTE_SEARCH_MARK_END[0])
        g_string_append (out, "\033[0m");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

int
gazette_cli_search (const GazetteCliGlobals *globals,
                    int                      argc,
                    char                   **argv)
{
  g_auto(GStrv) words = NULL;
  gboolean json = FALSE;
  gint64 source_id = 0, folder_id = 0;
  int limit = 20;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "source", 0, 0, G_OPTION_ARG_INT64, &source_id, N_("Only articles of source ID"), N_("ID") },
    { "folder", 0, 0, G_OPTION_ARG_INT64, &folder_id, N_("Only articles of folder ID"), N_("ID") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("At most N results (20)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &words, NULL, N_("QUERY") },
    { NULL }
  };
  GazetteArticleFilter scope = { GAZETTE_ARTICLE_FILTER_ALL, 0, FALSE };
  g_autoptr(GazetteStore) store = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  gboolean tty = isatty (STDOUT_FILENO);

  if (!parse_options ("search", NULL,
                      _("Searches the titles, authors, sites and text of the library’s articles. "
                        "Every word must match; the last one may be the start of a word."),
                      entries, &argc, &argv))
    return 2;
  if (words == NULL || words[0] == NULL)
    {
      g_printerr ("%s\n", _("Usage: gazette-cli [--data-dir DIR] search QUERY [--json]"));
      return 2;
    }
  query = g_strjoinv (" ", words);
  if (source_id > 0)
    {
      scope.kind = GAZETTE_ARTICLE_FILTER_SOURCE;
      scope.source_id = source_id;
    }
  else if (folder_id > 0)
    {
      scope.kind = GAZETTE_ARTICLE_FILTER_FOLDER;
      scope.source_id = folder_id;
    }

  store = open_store (globals, "search");
  if (store == NULL)
    return 1;
  hits = gazette_store_search_sync (store, query, &scope, MAX (limit, 1), NULL, &error);
  gazette_store_close (store);
  if (hits == NULL)
    {
      gazette_cli_print_error ("search", error);
      return 1;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < hits->len; i++)
        {
          GazetteSearchHit *hit = g_ptr_array_index (hits, i);
          g_autofree char *snippet = gazette_search_marked_to_plain (hit->snippet);
          g_autofree char *snippet_html = gazette_search_marked_to_markup (hit->snippet);
          g_autofree char *title_html = gazette_search_marked_to_markup (hit->title);

          json_builder_begin_object (builder);
          add_article_members (builder, hit->article);
          json_builder_set_member_name (builder, "title_html");
          json_builder_add_string_value (builder, title_html);
          json_builder_set_member_name (builder, "snippet");
          json_builder_add_string_value (builder, snippet);
          json_builder_set_member_name (builder, "snippet_html");
          json_builder_add_string_value (builder, snippet_html);
          json_builder_set_member_name (builder, "score");
          json_builder_add_double_value (builder, hit->score);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return 0;
    }

  for (guint i = 0; i < hits->len; i++)
    {
      GazetteSearchHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *title = marked_for_terminal (hit->title, tty);
      g_autofree char *snippet = marked_for_terminal (hit->snippet, tty);

      g_print ("%" G_GINT64_FORMAT "\t%s\n\t%s\n", gazette_article_get_id (hit->article), title,
               snippet);
    }
  return hits->len > 0 ? 0 : 1;
}

/* export -------------------------------------------------------------------------------------- */

int
gazette_cli_export (const GazetteCliGlobals *globals,
                    int                      argc,
                    char                   **argv)
{
  g_auto(GStrv) ids = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("html (one file, pictures inside) or epub"),
      N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &ids, NULL, N_("ID…") },
    { NULL }
  };
  g_autoptr(GazetteStore) store = NULL;
  g_autoptr(GArray) article_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  GazetteExportFormat export_format;
  gboolean ok;

  if (!parse_options ("export", NULL,
                      _("Writes articles to one HTML file with its pictures inside, or to an "
                        "EPUB book."), entries, &argc, &argv))
    return 2;
  if (ids == NULL || ids[0] == NULL || output == NULL ||
      (g_strcmp0 (format, "html") != 0 && g_strcmp0 (format, "epub") != 0))
    {
      g_printerr ("%s\n",
                  _("Usage: gazette-cli [--data-dir DIR] export ID… --format html|epub -o FILE"));
      return 2;
    }
  export_format = g_str_equal (format, "epub") ? GAZETTE_EXPORT_EPUB : GAZETTE_EXPORT_HTML;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      gint64 id = 0;

      if (!g_ascii_string_to_signed (ids[i], 10, 1, G_MAXINT64, &id, NULL))
        {
          g_printerr (_("gazette-cli export: “%s” is not an article number\n"), ids[i]);
          return 2;
        }
      g_array_append_val (article_ids, id);
    }

  store = open_store (globals, "export");
  if (store == NULL)
    return 1;
  ok = gazette_export_sync (store, (const gint64 *) article_ids->data, article_ids->len,
                            export_format, output, NULL, &error);
  gazette_store_close (store);
  if (!ok)
    {
      gazette_cli_print_error ("export", error);
      return 1;
    }
  return 0;
}

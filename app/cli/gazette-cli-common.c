/* gazette-cli-common.c — input and error helpers shared by the commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "gazette-cli.h"
#include "gazette-error.h"
#include "gazette-fetcher.h"

static gboolean
is_web_url (const char *input)
{
  return g_str_has_prefix (input, "http://") || g_str_has_prefix (input, "https://");
}

GBytes *
gazette_cli_read_input (const char  *input,
                        char       **out_url,
                        char       **out_content_type,
                        GError     **error)
{
  if (out_url != NULL)
    *out_url = NULL;
  if (out_content_type != NULL)
    *out_content_type = NULL;

  if (g_strcmp0 (input, "-") == 0)
    {
      g_autoptr(GByteArray) buf = g_byte_array_new ();
      guint8 chunk[65536];
      ssize_t n;

      while ((n = read (STDIN_FILENO, chunk, sizeof chunk)) > 0)
        g_byte_array_append (buf, chunk, (guint) n);
      if (n < 0)
        {
          g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                       _("Could not read standard input: %s"), g_strerror (errno));
          return NULL;
        }
      return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
    }

  if (is_web_url (input))
    {
      g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
      g_autoptr(GazetteFetchResult) result = NULL;

      result = gazette_fetcher_fetch_sync (fetcher, input, NULL, NULL, error);
      if (result == NULL)
        return NULL;
      if (out_url != NULL)
        *out_url = g_strdup (result->url);
      if (out_content_type != NULL)
        *out_content_type = g_strdup (result->content_type);
      return result->body != NULL ? g_bytes_ref (result->body) : g_bytes_new (NULL, 0);
    }

  {
    char *contents = NULL;
    gsize length = 0;
    g_autoptr(GError) local_error = NULL;

    if (!g_file_get_contents (input, &contents, &length, &local_error))
      {
        g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                     _("Could not read “%s”: %s"), input, local_error->message);
        return NULL;
      }
    return g_bytes_new_take (contents, length);
  }
}

void
gazette_cli_print_error (const char   *command,
                         const GError *error)
{
  if (command != NULL)
    g_printerr ("gazette-cli %s: %s\n", command, error->message);
  else
    g_printerr ("gazette-cli: %s\n", error->message);
}

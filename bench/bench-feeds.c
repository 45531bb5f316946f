/* bench-feeds.c — the feed engine's side of bench/feeds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-feeds parse FILE…   reads every file first, then times gazette_feed_parse alone over
 *                             all of them; prints {"files", "bytes", "entries", "seconds",
 *                             "mb_per_second", "failed", "peak_rss_kib", "libxml2_mb_per_second"
 *                             (xmlReadMemory alone over the XML files: the floor of any tree
 *                             parser), "sax_mb_per_second" (libxml2's SAX2 push parser with
 *                             empty callbacks over the XML files: the floor of a streaming
 *                             parser such as ours), "sax_pull_mb_per_second" (the same through
 *                             its pull parser)} as JSON.
 *   bench-feeds repeat N FILE…
 *                             gazette_feed_parse alone over all files N times (for a profiler,
 *                             or a busy machine); prints each pass's MB/s and the best.
 *   bench-feeds refresh [N]   serves N (1000) small feeds from a SoupServer on 127.0.0.1, half of
 *                             which answer 304 to a matching If-None-Match; adds them to a store
 *                             in a temporary directory, refreshes everything twice through
 *                             GazetteLibrary and prints the second refresh as JSON:
 *                             {"feeds", "first_seconds", "second_seconds", "downloaded",
 *                             "not_modified", "max_concurrent" (requests being answered at once),
 *                             "connections" (TCP connections the second refresh used),
 *                             "failed", "peak_rss_kib"}.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/resource.h>

#include "gazette-feed.h"
#include "gazette-library.h"

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static void
on_start_element (void           *ctx,
                  const xmlChar  *localname,
                  const xmlChar  *prefix,
                  const xmlChar  *uri,
                  int             nb_namespaces,
                  const xmlChar **namespaces,
                  int             nb_attributes,
                  int             nb_defaulted,
                  const xmlChar **attributes)
{
}

static void
on_end_element (void          *ctx,
                const xmlChar *localname,
                const xmlChar *prefix,
                const xmlChar *uri)
{
}

static void
on_characters (void          *ctx,
               const xmlChar *text,
               int            len)
{
}

/* libxml2's SAX2 parser with callbacks that do nothing, over the XML files: what any streaming
 * parser built on it pays before doing anything. @push: its push parser given each file as one
 * chunk (as gazette_feed_parse does), else its pull parser (xmlCtxtReadMemory), whose CDATA
 * sections go character by character. */
static double
sax_floor (GPtrArray *bodies,
           gboolean   push,
           guint64   *xml_bytes)
{
  xmlSAXHandler sax = { 0 };
  xmlParserCtxt *pull = push ? NULL : xmlNewParserCtxt ();
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_NOCDATA;
  gint64 start = g_get_monotonic_time ();

  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start_element;
  sax.endElementNs = on_end_element;
  sax.characters = on_characters;
  *xml_bytes = 0;
  for (guint i = 0; i < bodies->len; i++)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (g_ptr_array_index (bodies, i), &length);

      if (length > 0 && data[0] == '{')
        continue;
      *xml_bytes += length;
      if (push)
        {
          xmlParserCtxt *ctxt = xmlCreatePushParserCtxt (&sax, NULL, NULL, 0, NULL);

          xmlCtxtUseOptions (ctxt, options);
          xmlParseChunk (ctxt, data, (int) length, 1);
          xmlFreeParserCtxt (ctxt);
        }
      else
        {
          memcpy (pull->sax, &sax, sizeof sax);
          xmlCtxtReadMemory (pull, data, (int) length, NULL, NULL, options);
        }
    }
  if (pull != NULL)
    xmlFreeParserCtxt (pull);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Reads the files of @argv into @bodies, adding their sizes to @bytes; FALSE, said, on a failure. */
static gboolean
read_bodies (int        argc,
             char     **argv,
             GPtrArray *bodies,
             guint64   *bytes)
{
  for (int i = 0; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        {
          g_printerr ("bench-feeds: %s\n", error->message);
          return FALSE;
        }
      g_ptr_array_add (bodies, g_bytes_new_take (contents, length));
      *bytes += length;
    }
  return TRUE;
}

static int
run_parse (int    argc,
           char **argv)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint64 bytes = 0, entries = 0;
  guint failed = 0;
  guint64 xml_bytes = 0;
  gint64 start, elapsed;
  guint64 sax_bytes = 0;
  double seconds, xml_seconds, sax_seconds, pull_seconds;

  if (!read_bodies (argc, argv, bodies, &bytes))
    return 1;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < bodies->len; i++)
    {
      g_autoptr(GError) error = NULL;
      gsize length = 0;
      const char *data = g_bytes_get_data (g_ptr_array_index (bodies, i), &length);
      GazetteFeed *feed = gazette_feed_parse (data, length, "https://example.org/feed", NULL,
                                              &error);

      if (feed == NULL)
        {
          failed++;
          continue;
        }
      entries += feed->entries->len;
      gazette_feed_free (feed);
    }
  elapsed = g_get_monotonic_time () - start;
  seconds = elapsed / 1e6;

  /* The floor under any tree-based XML feed parser: libxml2 building the document, nothing else
   * (JSON files are not counted). */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < bodies->len; i++)
    {
      gsize length = 0;
      const char *data = g_bytes_get_data (g_ptr_array_index (bodies, i), &length);
      xmlDoc *doc;

      if (length > 0 && data[0] == '{')
        continue;
      xml_bytes += length;
      doc = xmlReadMemory (data, (int) length, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                           XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
      if (doc != NULL)
        xmlFreeDoc (doc);
    }
  xml_seconds = (g_get_monotonic_time () - start) / 1e6;
  sax_seconds = sax_floor (bodies, TRUE, &sax_bytes);
  pull_seconds = sax_floor (bodies, FALSE, &sax_bytes);

  g_print ("{\"files\": %u, \"bytes\": %" G_GUINT64_FORMAT ", \"entries\": %" G_GUINT64_FORMAT
           ", \"seconds\": %.3f, \"mb_per_second\": %.2f, \"failed\": %u, \"peak_rss_kib\": %ld, "
           "\"libxml2_mb_per_second\": %.2f, \"sax_mb_per_second\": %.2f, "
           "\"sax_pull_mb_per_second\": %.2f}\n",
           bodies->len, bytes, entries, seconds, bytes / 1e6 / seconds, failed, peak_rss_kib (),
           xml_seconds > 0 ? xml_bytes / 1e6 / xml_seconds : 0.0,
           sax_seconds > 0 ? sax_bytes / 1e6 / sax_seconds : 0.0,
           pull_seconds > 0 ? sax_bytes / 1e6 / pull_seconds : 0.0);
  return failed == 0 ? 0 : 1;
}

static int
run_repeat (guint  passes,
            int    argc,
            char **argv)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint64 bytes = 0;
  double best = 0;

  if (!read_bodies (argc, argv, bodies, &bytes))
    return 1;
  for (guint pass = 0; pass < passes; pass++)
    {
      gint64 start = g_get_monotonic_time ();
      double mbs;

      for (guint i = 0; i < bodies->len; i++)
        {
          gsize length = 0;
          const char *data = g_bytes_get_data (g_ptr_array_index (bodies, i), &length);
          GazetteFeed *feed = gazette_feed_parse (data, length, "https://example.org/feed", NULL,
                                                  NULL);

          if (feed == NULL)
            {
              g_printerr ("bench-feeds: %s is not a feed\n", argv[i]);
              return 1;
            }
          gazette_feed_free (feed);
        }
      mbs = bytes / 1e6 / ((g_get_monotonic_time () - start) / 1e6);
      best = MAX (best, mbs);
      g_print ("pass %u: %.2f MB/s\n", pass + 1, mbs);
    }
  g_print ("best of %u: %.2f MB/s over %.1f MB\n", passes, best, bytes / 1e6);
  return 0;
}

/* Refresh -------------------------------------------------------------------------------------- */

typedef struct {
  guint   downloaded;
  guint   not_modified;
  guint   in_flight;
  guint   max_in_flight;
  GHashTable *ports;   /* client ports seen: one per TCP connection */
} Server;

static void
on_finished (SoupServerMessage *msg,
             gpointer           user_data)
{
  Server *server = user_data;

  server->in_flight--;
}

static void
handle_feed (SoupServer        *soup_server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *inm = soup_message_headers_get_one (req, "If-None-Match");
  guint n = 0;
  g_autofree char *etag = NULL;
  GString *body;

  {
    GSocketAddress *remote = soup_server_message_get_remote_address (msg);

    if (G_IS_INET_SOCKET_ADDRESS (remote))
      g_hash_table_add (server->ports, GUINT_TO_POINTER (
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote))));
  }
  server->in_flight++;
  server->max_in_flight = MAX (server->max_in_flight, server->in_flight);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), server);

  if (sscanf (path, "/feed/%u.xml", &n) != 1)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  etag = g_strdup_printf ("\"v%u\"", n);
  soup_message_headers_replace (resp, "ETag", etag);

  /* Even feeds honour conditional requests; odd ones send everything every time. */
  if (n % 2 == 0 && inm != NULL && g_str_equal (inm, etag))
    {
      server->not_modified++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  body = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>");
  g_string_append_printf (body, "<title>Feed %u</title><link>https://example.org/%u/</link>"
                                "<description>Bench feed</description>", n, n);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (body,
                            "<item><title>Story %u of feed %u</title>"
                            "<link>https://example.org/%u/%u</link><guid>feed-%u-%u</guid>"
                            "<pubDate>Mon, 02 Jan 2023 %02u:00:00 GMT</pubDate>"
                            "<description>&lt;p&gt;A paragraph of &lt;b&gt;news&lt;/b&gt; about "
                            "item %u, long enough to look like a summary of a real story with "
                            "a &lt;a href=\"https://example.org/\"&gt;link&lt;/a&gt;.&lt;/p&gt;"
                            "</description></item>", i, n, n, i, n, i, i, i);
  g_string_append (body, "</channel></rss>\n");
  server->downloaded++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/rss+xml", SOUP_MEMORY_TAKE, body->str,
                                    body->len);
  g_string_free (body, FALSE);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static double
refresh_all (GazetteLibrary *library)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  gazette_library_refresh_async (library, 0, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!gazette_library_refresh_finish (library, result, &error))
    g_printerr ("bench-feeds: refresh failed: %s\n", error->message);
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
on_source_failed (GazetteLibrary *library,
                  GazetteSource  *source,
                  GError         *error,
                  guint          *failures)
{
  if ((*failures)++ < 3)
    g_printerr ("bench-feeds: %s: %s\n", gazette_source_get_url (source), error->message);
}

static int
run_refresh (guint n_feeds)
{
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(GazetteStore) store = NULL;
  g_autoptr(GazetteFetcher) fetcher = NULL;
  g_autoptr(GazetteLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gazette-bench-XXXXXX", &error);
  g_autofree char *base = NULL;
  GSList *uris;
  Server server = { 0 };
  guint failures = 0;
  double first, second;

  if (dir == NULL)
    {
      g_printerr ("bench-feeds: %s\n", error->message);
      return 1;
    }
  server.ports = g_hash_table_new (NULL, NULL);
  soup_server_add_handler (soup_server, "/feed", handle_feed, &server, NULL);
  if (!soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("bench-feeds: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (soup_server);
  base = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  store = gazette_store_new (dir);
  if (!gazette_store_open_sync (store, NULL, &error))
    {
      g_printerr ("bench-feeds: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < n_feeds; i++)
    {
      g_autofree char *full = g_strdup_printf ("%s%sfeed/%u.xml", base,
                                               g_str_has_suffix (base, "/") ? "" : "/", i);
      g_autoptr(GazetteSource) source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, NULL, full);

      if (gazette_store_add_source_sync (store, source, NULL, &error) <= 0)
        {
          g_printerr ("bench-feeds: %s\n", error->message);
          return 1;
        }
    }

  fetcher = gazette_fetcher_new ();
  library = gazette_library_new (store, fetcher);
  g_signal_connect (library, "source-failed", G_CALLBACK (on_source_failed), &failures);

  first = refresh_all (library);
  server.downloaded = server.not_modified = server.max_in_flight = 0;
  g_hash_table_remove_all (server.ports);
  second = refresh_all (library);

  g_print ("{\"feeds\": %u, \"first_seconds\": %.3f, \"second_seconds\": %.3f, "
           "\"downloaded\": %u, \"not_modified\": %u, \"max_concurrent\": %u, \"connections\": %u, "
           "\"failed\": %u, "
           "\"peak_rss_kib\": %ld}\n",
           n_feeds, first, second, server.downloaded, server.not_modified, server.max_in_flight,
           g_hash_table_size (server.ports), failures, peak_rss_kib ());

  g_clear_object (&library);
  g_hash_table_unref (server.ports);
  gazette_store_close (store);
  g_clear_object (&store);
  {
    g_autofree char *cmd = NULL;
    g_autofree char *quoted = g_shell_quote (dir);

    /* The store's files are ours alone: remove the directory with them. */
    cmd = g_strdup_printf ("rm -rf %s", quoted);
    if (system (cmd) != 0)
      g_printerr ("bench-feeds: could not remove %s\n", dir);
  }
  return failures == 0 ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  if (argc >= 3 && g_str_equal (argv[1], "parse"))
    return run_parse (argc - 2, argv + 2);
  if (argc >= 4 && g_str_equal (argv[1], "repeat"))
    return run_repeat ((guint) g_ascii_strtoull (argv[2], NULL, 10), argc - 3, argv + 3);
  if (argc >= 2 && g_str_equal (argv[1], "refresh"))
    return run_refresh (argc >= 3 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000);

  g_printerr ("Usage: bench-feeds parse FILE…\n       bench-feeds repeat N FILE…\n"
              "       bench-feeds refresh [N]\n");
  return 2;
}

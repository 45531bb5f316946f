/* test-fetcher.c — GazetteFetcher against a SoupServer on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gazette-test-utils.h"
#include "gazette-error.h"
#include "gazette-fetcher.h"

typedef struct {
  SoupServer *server;
  char       *base;        /* http://127.0.0.1:PORT */
  GPtrArray  *paused;      /* SoupServerMessage* held by /never */
  guint       requests;
  GHashTable *ports;       /* client ports seen: one per TCP connection */
} Fixture;

static const char *BODY = "<rss version=\"2.0\"><channel><title>T</title></channel></rss>";

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);

  fixture->requests++;
  {
    GSocketAddress *remote = soup_server_message_get_remote_address (msg);

    if (G_IS_INET_SOCKET_ADDRESS (remote))
      g_hash_table_add (fixture->ports, GUINT_TO_POINTER (
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote))));
  }

  if (g_str_equal (path, "/feed"))
    {
      soup_message_headers_replace (resp, "ETag", "\"v1\"");
      soup_message_headers_replace (resp, "Last-Modified", "Sat, 28 Nov 2026 10:00:00 GMT");
      soup_message_headers_replace (resp, "Cache-Control", "public, max-age=600");
      respond (msg, SOUP_STATUS_OK, "application/rss+xml; charset=utf-8", BODY);
    }
  else if (g_str_equal (path, "/user-agent"))
    {
      const char *ua = soup_message_headers_get_one (req, "User-Agent");

      if (ua != NULL && strstr (ua, "Gazette/") != NULL)
        respond (msg, SOUP_STATUS_OK, "text/plain", ua);
      else
        respond (msg, SOUP_STATUS_BAD_REQUEST, "text/plain", "no user agent");
    }
  else if (g_str_equal (path, "/conditional"))
    {
      const char *inm = soup_message_headers_get_one (req, "If-None-Match");
      const char *ims = soup_message_headers_get_one (req, "If-Modified-Since");

      if (g_strcmp0 (inm, "\"v1\"") == 0 &&
          g_strcmp0 (ims, "Sat, 28 Nov 2026 10:00:00 GMT") == 0)
        respond (msg, SOUP_STATUS_NOT_MODIFIED, NULL, NULL);
      else
        respond (msg, SOUP_STATUS_OK, "application/rss+xml", BODY);
    }
  else if (g_str_equal (path, "/moved"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, "/moved-again");
    }
  else if (g_str_equal (path, "/moved-again"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_PERMANENT_REDIRECT, "/feed");
    }
  else if (g_str_equal (path, "/temporary"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/moved");
    }
  else if (g_str_equal (path, "/loop"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/loop");
    }
  else if (g_str_equal (path, "/gone"))
    {
      respond (msg, SOUP_STATUS_GONE, "text/plain", "gone");
    }
  else if (g_str_equal (path, "/busy"))
    {
      soup_message_headers_replace (resp, "Retry-After", "120");
      respond (msg, 429, "text/plain", "slow down");
    }
  else if (g_str_equal (path, "/unavailable"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
      g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

      soup_message_headers_replace (resp, "Retry-After", date);
      respond (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", "maintenance");
    }
  else if (g_str_equal (path, "/big"))
    {
      g_autofree char *big = g_strnfill (5000, 'x');

      respond (msg, SOUP_STATUS_OK, "text/plain", big);
    }
  else if (g_str_equal (path, "/big-chunked"))
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      g_autofree char *chunk = g_strnfill (1000, 'y');

      soup_message_headers_set_encoding (resp, SOUP_ENCODING_CHUNKED);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      for (guint i = 0; i < 5; i++)
        soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, strlen (chunk));
      soup_message_body_complete (body);
    }
  else if (g_str_equal (path, "/gzip"))
    {
      const char *accept = soup_message_headers_get_one (req, "Accept-Encoding");
      g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                     -1);
      g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
      g_autoptr(GOutputStream) gzip = g_converter_output_stream_new (memory,
                                                                     G_CONVERTER (compressor));
      g_autoptr(GBytes) compressed = NULL;

      if (accept == NULL || strstr (accept, "gzip") == NULL)
        {
          respond (msg, SOUP_STATUS_BAD_REQUEST, "text/plain", "gzip not accepted");
          return;
        }
      g_output_stream_write_all (gzip, BODY, strlen (BODY), NULL, NULL, NULL);
      g_output_stream_close (gzip, NULL, NULL);
      compressed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
      soup_message_headers_replace (resp, "Content-Encoding", "gzip");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/rss+xml", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (compressed, NULL),
                                        g_bytes_get_size (compressed));
    }
  else if (g_str_equal (path, "/never"))
    {
      /* Holds the request without an answer until the test ends. */
      g_ptr_array_add (fixture->paused, g_object_ref (msg));
      soup_server_message_pause (msg);
    }
  else
    {
      respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "not here");
    }
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->paused = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->ports = g_hash_table_new (NULL, NULL);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_callback, fixture, NULL);
  fixture->base = gazette_test_server_listen (fixture->server);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  for (guint i = 0; i < fixture->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (fixture->paused, i);

      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (msg);
    }
  g_clear_pointer (&fixture->paused, g_ptr_array_unref);
  g_clear_pointer (&fixture->ports, g_hash_table_unref);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->base);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_fetched (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Fetches @path (or an absolute URL) and returns what fetch_finish_full gives. */
static gboolean
fetch (Fixture                    *fixture,
       GazetteFetcher             *fetcher,
       const char                 *path,
       const GazetteFetchRequest  *request,
       GCancellable               *cancellable,
       GazetteFetchResult        **out_result,
       GError                    **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (strstr (path, "://") != NULL)
    url = g_strdup (path);
  else
    url = g_strconcat (fixture->base, path, NULL);

  gazette_fetcher_fetch_async (fetcher, url, request, cancellable, on_fetched, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return gazette_fetcher_fetch_finish_full (fetcher, result, out_result, error);
}

static void
test_ok (Fixture       *fixture,
         gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (fixture->base, "/feed", NULL);

  g_assert_true (fetch (fixture, fetcher, "/feed", NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (result->url, ==, url);
  g_assert_false (result->permanent_redirect);
  g_assert_nonnull (result->body);
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body),
                   BODY, strlen (BODY));
  g_assert_cmpstr (result->content_type, ==, "application/rss+xml; charset=utf-8");
  g_assert_cmpstr (result->etag, ==, "\"v1\"");
  g_assert_cmpstr (result->last_modified, ==, "Sat, 28 Nov 2026 10:00:00 GMT");
  g_assert_cmpint (result->max_age, ==, 600);
  g_assert_cmpint (result->retry_after, ==, -1);

  /* The plain finish gives the same. */
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GazetteFetchResult) again = NULL;

    gazette_fetcher_fetch_async (fetcher, url, NULL, NULL, on_fetched, &res);
    while (res == NULL)
      g_main_context_iteration (NULL, TRUE);
    again = gazette_fetcher_fetch_finish (fetcher, res, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->status, ==, 200);
  }
}

static void
test_gzip (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (fetch (fixture, fetcher, "/gzip", NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body),
                   BODY, strlen (BODY));
}

static void
test_user_agent (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  g_assert_true (g_str_has_prefix (gazette_fetcher_get_user_agent (fetcher),
                                   "Gazette/" PACKAGE_VERSION " "));
  g_assert_true (fetch (fixture, fetcher, "/user-agent", NULL, NULL, &result, &error));
  g_assert_no_error (error);
  sent = g_strndup (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body));
  g_assert_cmpstr (sent, ==, gazette_fetcher_get_user_agent (fetcher));
}

static void
test_not_modified (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GazetteFetchRequest request = {
    .etag = "\"v1\"",
    .last_modified = "Sat, 28 Nov 2026 10:00:00 GMT",
  };

  g_assert_true (fetch (fixture, fetcher, "/conditional", &request, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 304);
  g_assert_null (result->body);
  g_clear_pointer (&result, gazette_fetch_result_free);

  /* Without the validators the server sends the whole feed. */
  g_assert_true (fetch (fixture, fetcher, "/conditional", NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_nonnull (result->body);
}

static void
test_redirect_permanent (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *final = g_strconcat (fixture->base, "/feed", NULL);

  /* 301 then 308 */
  g_assert_true (fetch (fixture, fetcher, "/moved", NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_true (result->permanent_redirect);
  g_assert_cmpstr (result->url, ==, final);
  g_assert_nonnull (result->body);
}

static void
test_redirect_temporary (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *final = g_strconcat (fixture->base, "/feed", NULL);

  /* 302 then 301 then 308: one temporary hop, so the stored URL must stay */
  g_assert_true (fetch (fixture, fetcher, "/temporary", NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_false (result->permanent_redirect);
  g_assert_cmpstr (result->url, ==, final);
  g_clear_pointer (&result, gazette_fetch_result_free);

  g_assert_false (fetch (fixture, fetcher, "/loop", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "redirected too many times"));
  g_assert_null (result);
}

static void
test_http_error (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (fetch (fixture, fetcher, "/missing", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_HTTP);
  g_assert_cmpstr (error->message, ==, "The server answered 404 Not Found");
  g_assert_nonnull (result);
  g_assert_cmpuint (result->status, ==, 404);
  g_assert_null (result->body);
}

static void
test_gone (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (fetch (fixture, fetcher, "/gone", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_GONE);
  g_assert_cmpuint (result->status, ==, 410);
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (fetch (fixture, fetcher, "/busy", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "429"));
  g_assert_cmpuint (result->status, ==, 429);
  g_assert_cmpint (result->retry_after, ==, 120);
  g_clear_pointer (&result, gazette_fetch_result_free);
  g_clear_error (&error);

  /* An HTTP-date an hour ahead: some seconds under 3600, never more */
  g_assert_false (fetch (fixture, fetcher, "/unavailable", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_HTTP);
  g_assert_cmpuint (result->status, ==, 503);
  g_assert_cmpint (result->retry_after, >, 0);
  g_assert_cmpint (result->retry_after, <=, 3600);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gazette_fetcher_set_max_body_size (fetcher, 1000);

  /* Refused on Content-Length */
  g_assert_false (fetch (fixture, fetcher, "/big", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_TOO_LARGE);
  g_clear_pointer (&result, gazette_fetch_result_free);
  g_clear_error (&error);

  /* Chunked: stopped while reading */
  g_assert_false (fetch (fixture, fetcher, "/big-chunked", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_TOO_LARGE);
  g_clear_pointer (&result, gazette_fetch_result_free);
  g_clear_error (&error);

  /* Under the limit still works */
  gazette_fetcher_set_max_body_size (fetcher, 10000);
  g_assert_true (fetch (fixture, fetcher, "/big-chunked", NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (result->body), ==, 5000);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;

  gazette_fetcher_set_timeout (fetcher, 1);
  g_assert_false (fetch (fixture, fetcher, "/never", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (result);
}

static gboolean
cancel_when_held (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  g_autofree char *url = g_strconcat (fixture->base, "/never", NULL);
  g_autoptr(GAsyncResult) res = NULL;

  /* Cancelled while the server holds the request */
  gazette_fetcher_fetch_async (fetcher, url, NULL, cancellable, on_fetched, &res);
  while (fixture->paused->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_idle_add (cancel_when_held, cancellable);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gazette_fetcher_fetch_finish_full (fetcher, res, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled before it starts */
  g_cancellable_cancel (already);
  g_assert_false (fetch (fixture, fetcher, "/feed", NULL, already, &result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port the system gave us and that nobody listens on any more */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  url = g_strdup_printf ("http://127.0.0.1:%u/feed", port);
  g_assert_false (fetch (fixture, fetcher, url, NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NETWORK);
  g_assert_cmpstr (error->message, ==, "Could not connect to 127.0.0.1");
  g_assert_null (result);
  g_clear_error (&error);

  /* Not a web address at all */
  g_assert_false (fetch (fixture, fetcher, "gopher://example.org/", NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT);
}

static void
test_file_uri (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "feed.xml", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *missing = NULL;

  g_file_set_contents (path, BODY, -1, &error);
  g_assert_no_error (error);
  uri = g_filename_to_uri (path, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (fetch (fixture, fetcher, uri, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_cmpstr (result->url, ==, uri);
  g_assert_cmpmem (g_bytes_get_data (result->body, NULL), g_bytes_get_size (result->body),
                   BODY, strlen (BODY));
  g_assert_nonnull (result->content_type);
  g_clear_pointer (&result, gazette_fetch_result_free);

  missing = g_strconcat (uri, ".missing", NULL);
  g_assert_false (fetch (fixture, fetcher, missing, NULL, NULL, &result, &error));
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND);
}

typedef struct {
  char     *url;
  gint      done;
  guint     status;
  gsize     size;
  GError   *error;
} SyncThreadData;

static gpointer
sync_thread (gpointer user_data)
{
  SyncThreadData *data = user_data;
  /* Created in this thread, as gazette-cli does: a SoupSession belongs to one thread. */
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autoptr(GazetteFetchResult) result = NULL;

  /* Twice: the second may reuse the connection the first left open */
  result = gazette_fetcher_fetch_sync (fetcher, data->url, NULL, NULL, &data->error);
  if (result != NULL)
    {
      g_clear_pointer (&result, gazette_fetch_result_free);
      result = gazette_fetcher_fetch_sync (fetcher, data->url, NULL, NULL, &data->error);
    }
  if (result != NULL)
    {
      data->status = result->status;
      data->size = result->body != NULL ? g_bytes_get_size (result->body) : 0;
    }
  g_atomic_int_set (&data->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
test_sync (Fixture       *fixture,
           gconstpointer  user_data)
{
  SyncThreadData data = { 0 };
  GThread *thread;

  /* The server answers on this thread's context, so keep it running meanwhile. */
  data.url = g_strconcat (fixture->base, "/feed", NULL);
  thread = g_thread_new ("fetch-sync", sync_thread, &data);
  while (!g_atomic_int_get (&data.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  g_assert_no_error (data.error);
  g_assert_cmpuint (data.status, ==, 200);
  g_assert_cmpuint (data.size, ==, strlen (BODY));
  g_free (data.url);

  /* And from this thread against a file, with no server involved */
  {
    g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
    g_autoptr(GazetteFetchResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename (g_get_tmp_dir (), "sync.xml", NULL);
    g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);

    g_file_set_contents (path, BODY, -1, &error);
    g_assert_no_error (error);
    result = gazette_fetcher_fetch_sync (fetcher, uri, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (result->body), ==, strlen (BODY));
  }
}

/* Sequential fetches of one host, with bodies, 304s and redirects, share one connection. */
static void
test_connection_reuse (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  const char *const paths[] = { "/feed", "/conditional", "/big", "/big-chunked", "/moved",
                                "/gzip", "/conditional" };
  GazetteFetchRequest conditional = { "\"v1\"", "Sat, 28 Nov 2026 10:00:00 GMT", NULL };

  for (guint i = 0; i < 21; i++)
    {
      const char *path = paths[i % G_N_ELEMENTS (paths)];
      g_autofree char *url = g_strconcat (fixture->base, path, NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GazetteFetchResult) fetched = NULL;
      g_autoptr(GError) error = NULL;
      gboolean not_modified = g_str_equal (path, "/conditional");

      gazette_fetcher_fetch_async (fetcher, url, not_modified ? &conditional : NULL, NULL,
                                   gazette_test_store_result, &result);
      fetched = gazette_fetcher_fetch_finish (fetcher, gazette_test_wait_result (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (fetched->status, ==, not_modified ? 304 : 200);
    }
  g_assert_cmpuint (fixture->requests, ==, 27);
  g_assert_cmpuint (g_hash_table_size (fixture->ports), ==, 1);
}

static void
count_progress (goffset  current,
                goffset  total,
                gpointer user_data)
{
  goffset *last = user_data;

  g_assert_cmpint (current, >, last[0]);
  last[0] = current;
  last[1] = total;
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Downloads land complete under their name, or not at all. */
static void
test_download (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GazetteFetcher) fetcher = gazette_fetcher_new ();
  g_autofree char *dir = g_dir_make_tmp ("gazette-download-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "episode.mp3", NULL);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  goffset progress[2] = { 0, 0 };

  /* Complete, with progress */
  {
    g_autofree char *url = g_strconcat (fixture->base, "/big", NULL);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *contents = NULL;
    gsize length = 0;

    gazette_fetcher_download_async (fetcher, url, file, count_progress, progress, NULL,
                                    gazette_test_store_result, &result);
    g_assert_true (gazette_fetcher_download_finish (fetcher, gazette_test_wait_result (&result),
                                                    &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    g_assert_cmpuint (length, ==, 5000);
    g_assert_cmpint (progress[0], ==, 5000);
    g_assert_cmpint (progress[1], ==, 5000);
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
    g_unlink (path);
  }

  /* A 404: an error, no file */
  {
    g_autofree char *url = g_strconcat (fixture->base, "/missing", NULL);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    gazette_fetcher_download_async (fetcher, url, file, NULL, NULL, NULL,
                                    gazette_test_store_result, &result);
    g_assert_false (gazette_fetcher_download_finish (fetcher, gazette_test_wait_result (&result),
                                                     &error));
    g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_HTTP);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* Cancelled while the server holds the answer: cancelled, no file, no .part */
  {
    g_autofree char *url = g_strconcat (fixture->base, "/never", NULL);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    gazette_fetcher_download_async (fetcher, url, file, NULL, NULL, cancellable,
                                    gazette_test_store_result, &result);
    g_timeout_add (100, cancel_soon, cancellable);
    g_assert_false (gazette_fetcher_download_finish (fetcher, gazette_test_wait_result (&result),
                                                     &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }
  g_rmdir (dir);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide org.gnome.system.proxy, which glib-networking's GNOME proxy
   * resolver needs; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("/core/fetcher/ok", test_ok);
  ADD ("/core/fetcher/user-agent", test_user_agent);
  ADD ("/core/fetcher/gzip", test_gzip);
  ADD ("/core/fetcher/not-modified", test_not_modified);
  ADD ("/core/fetcher/redirect/permanent", test_redirect_permanent);
  ADD ("/core/fetcher/redirect/temporary", test_redirect_temporary);
  ADD ("/core/fetcher/http-error/404", test_http_error);
  ADD ("/core/fetcher/gone/410", test_gone);
  ADD ("/core/fetcher/retry-after", test_retry_after);
  ADD ("/core/fetcher/too-large", test_too_large);
  ADD ("/core/fetcher/timeout", test_timeout);
  ADD ("/core/fetcher/cancel", test_cancel);
  ADD ("/core/fetcher/connection-refused", test_connection_refused);
  ADD ("/core/fetcher/file-uri", test_file_uri);
  ADD ("/core/fetcher/sync", test_sync);
  ADD ("/core/fetcher/connection-reuse", test_connection_reuse);
  ADD ("/core/fetcher/download", test_download);

  return g_test_run ();
}

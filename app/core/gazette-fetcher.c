/* gazette-fetcher.c — HTTP for Gazette: one SoupSession, used from the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gazette-error.h"
#include "gazette-fetcher.h"

#define DEFAULT_TIMEOUT             60              /* seconds, whole request */
#define DEFAULT_CONNECT_TIMEOUT     20              /* seconds, also the I/O inactivity timeout */
#define DEFAULT_MAX_BODY_SIZE       (50 * 1024 * 1024)
#define DEFAULT_MAX_CONNS_PER_HOST  6
#define MAX_CONNS                   24              /* libsoup's default, 10, would queue a refresh */
#define MAX_REDIRECTS               10
#define READ_CHUNK_SIZE             (64 * 1024)
#define MAX_DRAIN_SIZE              (256 * 1024)    /* bodies of redirects and errors */

#define DEFAULT_ACCEPT \
  "application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, " \
  "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.8, " \
  "application/xhtml+xml;q=0.8, */*;q=0.5"

struct _GazetteFetcher
{
  GObject      parent_instance;

  SoupSession *session;
  char        *user_agent;
  guint        timeout;
  guint        connect_timeout;
  guint64      max_body_size;
  guint        max_conns_per_host;
};

G_DEFINE_FINAL_TYPE (GazetteFetcher, gazette_fetcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_MAX_BODY_SIZE,
  PROP_MAX_CONNS_PER_HOST,
  PROP_USER_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
gazette_fetch_result_free (GazetteFetchResult *result)
{
  if (result == NULL)
    return;

  g_free (result->url);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_free (result->content_type);
  g_free (result->etag);
  g_free (result->last_modified);
  g_free (result);
}

static GazetteFetchResult *
fetch_result_new (void)
{
  GazetteFetchResult *result = g_new0 (GazetteFetchResult, 1);

  result->max_age = -1;
  result->retry_after = -1;
  return result;
}

/* One fetch in flight. */
typedef struct {
  char               *url;             /* current URL, follows redirects */
  char               *etag;
  char               *last_modified;
  char               *accept;
  guint64             max_body_size;

  GCancellable       *cancellable;     /* child of the caller's; the total timeout cancels it */
  GCancellable       *parent;
  gulong              parent_handler;
  GSource            *timeout_source;
  gboolean            timed_out;

  SoupMessage        *msg;
  GInputStream       *stream;
  GByteArray         *buffer;
  GazetteFetchResult *result;          /* kept on HTTP errors for fetch_finish_full */

  guint               hops;
  gboolean            redirected;
  gboolean            all_permanent;
  gboolean            is_file;

  /* A body nobody wants (304, redirect, error page) is read to its end before the next step:
   * libsoup puts a connection back in its pool only when the body was read to the end. */
  GInputStream       *drain_stream;
  void              (*drain_then) (GTask *task);
  gsize               drained;
  GError             *pending_error;   /* returned once the body is drained */
} FetchData;

static void
fetch_data_stop (FetchData *data)
{
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_clear_pointer (&data->timeout_source, g_source_unref);
    }
  if (data->parent_handler != 0)
    {
      g_cancellable_disconnect (data->parent, data->parent_handler);
      data->parent_handler = 0;
    }
}

static void
fetch_data_free (FetchData *data)
{
  fetch_data_stop (data);
  g_free (data->url);
  g_free (data->etag);
  g_free (data->last_modified);
  g_free (data->accept);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->parent);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_pointer (&data->result, gazette_fetch_result_free);
  g_clear_object (&data->drain_stream);
  g_clear_error (&data->pending_error);
  g_free (data);
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    return g_strdup (g_uri_get_host (uri));
  return g_strdup (url);
}

static void
fetch_return_error (GTask  *task,
                    GError *error)
{
  FetchData *data = g_task_get_task_data (task);

  fetch_data_stop (data);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
fetch_return_result (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  fetch_data_stop (data);
  g_task_return_pointer (task, g_steal_pointer (&data->result),
                         (GDestroyNotify) gazette_fetch_result_free);
  g_object_unref (task);
}

/* Turns an error from GIO or libsoup into one in plain words. */
static GError *
map_transport_error (FetchData    *data,
                     const GError *error)
{
  g_autofree char *host = host_of (data->url);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (data->timed_out)
        return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_TIMEOUT,
                            _("%s took too long to answer"), host);
      return g_error_copy (error);
    }

  if (data->is_file)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                            _("The file %s does not exist"), data->url);
      return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                          _("Could not read %s: %s"), data->url, error->message);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_TIMEOUT,
                        _("%s took too long to answer"), host);
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                        _("Could not find the server %s"), host);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                        _("Could not make a secure connection to %s"), host);
  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                        _("%s sent an answer Gazette could not understand"), host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                        _("Could not connect to %s: the network is unreachable"), host);

  return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK, _("Could not connect to %s"), host);
}

static gint64
parse_retry_after (const char *value)
{
  const char *p;

  if (value == NULL)
    return -1;

  while (g_ascii_isspace (*value))
    value++;
  for (p = value; g_ascii_isdigit (*p); p++)
    ;
  if (p != value)
    return g_ascii_strtoll (value, NULL, 10);

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    gint64 seconds;

    if (when == NULL)
      return -1;
    seconds = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
    return MAX (seconds, 0);
  }
}

static gint64
parse_max_age (const char *cache_control)
{
  GHashTable *params;
  const char *value;
  gint64 max_age = -1;

  if (cache_control == NULL)
    return -1;

  params = soup_header_parse_param_list (cache_control);
  value = g_hash_table_lookup (params, "max-age");
  if (value != NULL && g_ascii_isdigit (*value))
    max_age = g_ascii_strtoll (value, NULL, 10);
  soup_header_free_param_list (params);
  return max_age;
}

static gboolean
body_over_limit (FetchData *data,
                 guint64    size)
{
  return data->max_body_size > 0 && size > data->max_body_size;
}

static GError *
too_large_error (FetchData *data)
{
  g_autofree char *limit = g_format_size (data->max_body_size);

  return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_TOO_LARGE,
                      _("The document at %s is larger than %s"), data->url, limit);
}

static void read_next_chunk (GTask *task);

static void
on_stream_closed (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  GTask *task = user_data;

  /* A failed close loses nothing that was read. */
  g_input_stream_close_finish (G_INPUT_STREAM (object), res, NULL);
  fetch_return_result (task);
}

static void
on_read_bytes (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), res, &error);
  if (bytes == NULL)
    {
      fetch_return_error (task, map_transport_error (data, error));
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      data->result->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));

      if (data->is_file)
        {
          gsize size;
          const guchar *bytes_data = g_bytes_get_data (data->result->body, &size);
          g_autofree char *type = g_content_type_guess (data->url, bytes_data, size, NULL);

          data->result->content_type = g_content_type_get_mime_type (type);
        }

      /* Answer once the stream is closed: only then is the connection back in the session's
       * pool, so the next request to the host reuses it instead of opening another. */
      g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed, task);
      return;
    }

  if (body_over_limit (data, (guint64) data->buffer->len + g_bytes_get_size (bytes)))
    {
      /* Stop reading; dropping the stream closes the connection. */
      g_cancellable_cancel (data->cancellable);
      fetch_return_error (task, too_large_error (data));
      return;
    }

  g_byte_array_append (data->buffer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_next_chunk (task);
}

static void
read_next_chunk (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->cancellable, on_read_bytes, task);
}

static void start_http_request (GTask *task);

static void drain_next (GTask *task);

static void
on_drain_closed (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);

  g_input_stream_close_finish (G_INPUT_STREAM (object), res, NULL);
  g_clear_object (&data->drain_stream);
  data->drain_then (task);
}

static void
on_drain_read (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), res, NULL);
  size = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  data->drained += size;
  /* At the end, on an error, or when too long to be worth it (the connection is dropped then):
   * close and go on. */
  if (size == 0 || data->drained > MAX_DRAIN_SIZE)
    g_input_stream_close_async (data->drain_stream, G_PRIORITY_DEFAULT, NULL, on_drain_closed,
                                task);
  else
    drain_next (task);
}

static void
drain_next (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->drain_stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   data->cancellable, on_drain_read, task);
}

/* Reads @stream to its end, closes it, then calls @then. */
static void
drain_then (GTask         *task,
            GInputStream  *stream,
            void         (*then) (GTask *task))
{
  FetchData *data = g_task_get_task_data (task);

  g_clear_object (&data->drain_stream);
  data->drain_stream = g_object_ref (stream);
  data->drain_then = then;
  data->drained = 0;
  drain_next (task);
}

static void
return_pending_error (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  fetch_return_error (task, g_steal_pointer (&data->pending_error));
}

static gboolean
is_redirect (guint status)
{
  return status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND ||
         status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT ||
         status == SOUP_STATUS_PERMANENT_REDIRECT;
}

static void
fill_result_from_response (FetchData *data)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  GazetteFetchResult *result;

  g_clear_pointer (&data->result, gazette_fetch_result_free);
  result = data->result = fetch_result_new ();

  result->status = soup_message_get_status (data->msg);
  result->url = g_strdup (data->url);
  result->permanent_redirect = data->redirected && data->all_permanent;
  result->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  result->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  result->last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  result->max_age = parse_max_age (soup_message_headers_get_list (headers, "Cache-Control"));
  result->retry_after = parse_retry_after (soup_message_headers_get_one (headers,
                                                                         "Retry-After"));
}

static void
on_sent (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  SoupMessageHeaders *headers;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), res, &error);
  if (stream == NULL)
    {
      fetch_return_error (task, map_transport_error (data, error));
      return;
    }

  status = soup_message_get_status (data->msg);
  headers = soup_message_get_response_headers (data->msg);

  /* Redirects are followed here rather than by libsoup, to know whether each was permanent. */
  if (is_redirect (status) && soup_message_headers_get_one (headers, "Location") != NULL)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_autoptr(GUri) target = NULL;
      const char *scheme;

      target = g_uri_parse_relative (soup_message_get_uri (data->msg), location,
                                     SOUP_HTTP_URI_FLAGS, NULL);
      scheme = target != NULL ? g_uri_get_scheme (target) : NULL;
      if (target == NULL ||
          (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
        {
          g_autofree char *host = host_of (data->url);

          fetch_return_error (task, g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                                                 _("%s redirected to an invalid address"),
                                                 host));
          return;
        }

      if (++data->hops > MAX_REDIRECTS)
        {
          g_autofree char *host = host_of (data->url);

          fetch_return_error (task, g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                                                 _("%s redirected too many times"), host));
          return;
        }

      data->redirected = TRUE;
      if (status != SOUP_STATUS_MOVED_PERMANENTLY && status != SOUP_STATUS_PERMANENT_REDIRECT)
        data->all_permanent = FALSE;

      g_free (data->url);
      data->url = g_uri_to_string (target);
      drain_then (task, stream, start_http_request);
      return;
    }

  fill_result_from_response (data);

  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      drain_then (task, stream, fetch_return_result);
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* The standard phrase where there is one: servers send anything, or nothing (HTTP/2). */
      const char *phrase = soup_status_get_phrase (status);

      if (g_strcmp0 (phrase, "Unknown Error") == 0)
        phrase = soup_message_get_reason_phrase (data->msg);
      if (phrase == NULL || *phrase == '\0')
        phrase = _("Unknown Error");

      if (status == SOUP_STATUS_GONE)
        data->pending_error = g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_GONE,
                                           _("The server answered %u %s"), status, phrase);
      else
        data->pending_error = g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_HTTP,
                                           _("The server answered %u %s"), status, phrase);
      drain_then (task, stream, return_pending_error);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      body_over_limit (data, (guint64) soup_message_headers_get_content_length (headers)))
    {
      g_cancellable_cancel (data->cancellable);
      fetch_return_error (task, too_large_error (data));
      return;
    }

  data->stream = g_steal_pointer (&stream);
  data->buffer = g_byte_array_new ();
  read_next_chunk (task);
}

static void
start_http_request (GTask *task)
{
  GazetteFetcher *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GUri) uri = g_uri_parse (data->url, SOUP_HTTP_URI_FLAGS, NULL);
  SoupMessageHeaders *headers;

  g_clear_object (&data->msg);
  data->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept",
                                data->accept != NULL ? data->accept : DEFAULT_ACCEPT);
  if (data->etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", data->etag);
  if (data->last_modified != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", data->last_modified);

  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT, data->cancellable,
                           on_sent, task);
}

static void
on_file_read (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GFileInputStream *stream;

  stream = g_file_read_finish (G_FILE (object), res, &error);
  if (stream == NULL)
    {
      fetch_return_error (task, map_transport_error (data, error));
      return;
    }

  data->stream = G_INPUT_STREAM (stream);
  data->buffer = g_byte_array_new ();
  data->result = fetch_result_new ();
  data->result->status = SOUP_STATUS_OK;
  data->result->url = g_strdup (data->url);
  read_next_chunk (task);
}

static gboolean
on_total_timeout (gpointer user_data)
{
  FetchData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  g_clear_pointer (&data->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
on_parent_cancelled (GCancellable *parent,
                     GCancellable *child)
{
  g_cancellable_cancel (child);
}

void
gazette_fetcher_fetch_async (GazetteFetcher            *self,
                             const char                *url,
                             const GazetteFetchRequest *request,
                             GCancellable              *cancellable,
                             GAsyncReadyCallback        callback,
                             gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  FetchData *data;
  const char *scheme = NULL;

  g_return_if_fail (GAZETTE_IS_FETCHER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_fetcher_fetch_async);

  data = g_new0 (FetchData, 1);
  data->url = g_strdup (url);
  data->all_permanent = TRUE;
  data->max_body_size = self->max_body_size;
  if (request != NULL)
    {
      data->etag = g_strdup (request->etag);
      data->last_modified = g_strdup (request->last_modified);
      data->accept = g_strdup (request->accept);
    }
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri != NULL)
    scheme = g_uri_get_scheme (uri);

  if (g_strcmp0 (scheme, "file") == 0)
    data->is_file = TRUE;
  else if ((g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
           g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a web address"), url);
      return;
    }
  else
    {
      /* Keep the normalised form, so the final URL compares equal to a stored one. */
      g_free (data->url);
      data->url = g_uri_to_string (uri);
    }

  if (cancellable != NULL)
    {
      data->parent = g_object_ref (cancellable);
      data->parent_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_parent_cancelled),
                                                    g_object_ref (data->cancellable),
                                                    g_object_unref);
    }

  if (self->timeout > 0)
    {
      data->timeout_source = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (data->timeout_source, on_total_timeout, data, NULL);
      g_source_set_static_name (data->timeout_source, "[gazette] fetch timeout");
      g_source_attach (data->timeout_source, g_task_get_context (task));
    }

  if (data->is_file)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (url);

      g_file_read_async (file, G_PRIORITY_DEFAULT, data->cancellable, on_file_read,
                         g_steal_pointer (&task));
    }
  else
    start_http_request (g_steal_pointer (&task));
}

gboolean
gazette_fetcher_fetch_finish_full (GazetteFetcher      *self,
                                   GAsyncResult        *result,
                                   GazetteFetchResult **out_result,
                                   GError             **error)
{
  GazetteFetchResult *ret;

  g_return_val_if_fail (GAZETTE_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gazette_fetcher_fetch_async,
                        FALSE);

  ret = g_task_propagate_pointer (G_TASK (result), error);
  if (ret == NULL)
    {
      FetchData *data = g_task_get_task_data (G_TASK (result));

      if (out_result != NULL)
        *out_result = g_steal_pointer (&data->result);
      return FALSE;
    }

  if (out_result != NULL)
    *out_result = ret;
  else
    gazette_fetch_result_free (ret);
  return TRUE;
}

GazetteFetchResult *
gazette_fetcher_fetch_finish (GazetteFetcher  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  GazetteFetchResult *ret = NULL;

  g_return_val_if_fail (GAZETTE_IS_FETCHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  ret = g_task_propagate_pointer (G_TASK (result), error);
  return ret;
}

typedef struct {
  GAsyncResult *result;
} SyncData;

static void
on_sync_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncData *sync = user_data;

  sync->result = g_object_ref (result);
}

GazetteFetchResult *
gazette_fetcher_fetch_sync (GazetteFetcher            *self,
                            const char                *url,
                            const GazetteFetchRequest *request,
                            GCancellable              *cancellable,
                            GError                   **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  SyncData sync = { NULL };
  GazetteFetchResult *ret;

  g_return_val_if_fail (GAZETTE_IS_FETCHER (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  g_main_context_push_thread_default (context);
  gazette_fetcher_fetch_async (self, url, request, cancellable, on_sync_done, &sync);
  while (sync.result == NULL)
    g_main_context_iteration (context, TRUE);
  ret = gazette_fetcher_fetch_finish (self, sync.result, error);
  g_clear_object (&sync.result);
  /* Let closes and connection clean-up queued on this context run before it goes away. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  return ret;
}

/* Downloads ------------------------------------------------------------------------------------ */

typedef struct {
  char                  *url;
  GFile                 *destination;
  GFile                 *part;
  GFileProgressCallback  progress;
  gpointer               progress_data;
  SoupMessage           *msg;
  GInputStream          *in;
  GOutputStream         *out;
  goffset                received;
  goffset                total;
} DownloadData;

static void
download_data_free (DownloadData *data)
{
  g_free (data->url);
  g_clear_object (&data->destination);
  g_clear_object (&data->part);
  g_clear_object (&data->msg);
  g_clear_object (&data->in);
  g_clear_object (&data->out);
  g_free (data);
}

/* Fails @task, after removing the partial file. */
static void
download_fail (GTask  *task,
               GError *error)
{
  DownloadData *data = g_task_get_task_data (task);

  if (data->out != NULL)
    g_output_stream_close (data->out, NULL, NULL);
  if (data->in != NULL)
    g_input_stream_close_async (data->in, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_file_delete_async (data->part, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
download_io_failed (GTask  *task,
                    GError *error)
{
  DownloadData *data = g_task_get_task_data (task);
  g_autofree char *name = g_file_get_parse_name (data->destination);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    download_fail (task, error);
  else
    {
      download_fail (task, g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                                        _("Could not download to %s: %s"), name,
                                        error->message));
      g_error_free (error);
    }
}

static void
on_download_moved (GObject      *object,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_file_move_finish (G_FILE (object), res, &error))
    {
      download_io_failed (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_download_closed (GObject      *object,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), res, &error))
    {
      g_clear_object (&data->out);
      download_io_failed (task, error);
      return;
    }
  g_clear_object (&data->out);
  g_file_move_async (data->part, data->destination, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     g_task_get_cancellable (task), NULL, NULL, on_download_moved, task);
}

static void download_read_next (GTask *task);

static void
on_download_written (GObject      *object,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), res, &written, &error))
    {
      download_io_failed (task, error);
      return;
    }
  data->received += written;
  if (data->progress != NULL)
    data->progress (data->received, data->total, data->progress_data);
  download_read_next (task);
}

static void
on_download_read (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;
  const void *chunk;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), res, &error);
  if (bytes == NULL)
    {
      download_io_failed (task, error);
      return;
    }
  chunk = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      g_input_stream_close_async (data->in, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_output_stream_close_async (data->out, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   on_download_closed, task);
      return;
    }
  /* The bytes stay alive with the task until the write is done. */
  g_object_set_data_full (G_OBJECT (task), "gazette-chunk", g_bytes_ref (bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (data->out, chunk, size, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_download_written, task);
}

static void
download_read_next (GTask *task)
{
  DownloadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->in, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_download_read, task);
}

static void
on_download_part_opened (GObject      *object,
                         GAsyncResult *res,
                         gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->out = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (object), res, &error));
  if (data->out == NULL)
    {
      download_io_failed (task, error);
      return;
    }
  download_read_next (task);
}

static void
on_download_sent (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  GTask *task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  guint status;

  data->in = soup_session_send_finish (SOUP_SESSION (object), res, &error);
  if (data->in == NULL)
    {
      g_autofree char *host = host_of (data->url);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                               _("Could not connect to %s: %s"), host, error->message);
      g_error_free (error);
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (data->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *phrase = soup_status_get_phrase (status);

      g_input_stream_close_async (data->in, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_new_error (task, GAZETTE_ERROR,
                               status == SOUP_STATUS_GONE ? GAZETTE_ERROR_GONE
                                                          : GAZETTE_ERROR_HTTP,
                               _("The server answered %u %s"), status,
                               phrase != NULL ? phrase : "");
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_response_headers (data->msg);
  data->total = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                ? soup_message_headers_get_content_length (headers) : -1;
  g_file_replace_async (data->part, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                        on_download_part_opened, task);
}

void
gazette_fetcher_download_async (GazetteFetcher        *self,
                                const char            *url,
                                GFile                 *destination,
                                GFileProgressCallback  progress,
                                gpointer               progress_data,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *part_path = NULL;
  GTask *task;
  DownloadData *data;

  g_return_if_fail (GAZETTE_IS_FETCHER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_fetcher_download_async);
  data = g_new0 (DownloadData, 1);
  data->url = g_strdup (url);
  data->destination = g_object_ref (destination);
  part_path = g_strconcat (g_file_peek_path (destination) != NULL
                             ? g_file_peek_path (destination) : "", ".part", NULL);
  data->part = g_file_new_for_path (part_path);
  data->progress = progress;
  data->progress_data = progress_data;
  data->total = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) download_data_free);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_file_peek_path (destination) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                               _("%s cannot be downloaded"), url);
      g_object_unref (task);
      return;
    }

  data->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_session_send_async (self->session, data->msg, G_PRIORITY_LOW, cancellable,
                           on_download_sent, task);
}

gboolean
gazette_fetcher_download_finish (GazetteFetcher  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (GAZETTE_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

SoupSession *
gazette_fetcher_get_session (GazetteFetcher *self)
{
  g_return_val_if_fail (GAZETTE_IS_FETCHER (self), NULL);

  return self->session;
}

const char *
gazette_fetcher_get_user_agent (GazetteFetcher *self)
{
  g_return_val_if_fail (GAZETTE_IS_FETCHER (self), NULL);

  return self->user_agent;
}

void
gazette_fetcher_set_timeout (GazetteFetcher *self,
                             guint           seconds)
{
  g_return_if_fail (GAZETTE_IS_FETCHER (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static void
gazette_fetcher_set_connect_timeout (GazetteFetcher *self,
                                     guint           seconds)
{
  if (self->connect_timeout == seconds)
    return;
  self->connect_timeout = seconds;
  /* libsoup has one socket timeout, used for connecting and then for each read and write. */
  if (self->session != NULL)
    soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

void
gazette_fetcher_set_max_body_size (GazetteFetcher *self,
                                   guint64         bytes)
{
  g_return_if_fail (GAZETTE_IS_FETCHER (self));

  if (self->max_body_size == bytes)
    return;
  self->max_body_size = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BODY_SIZE]);
}

GazetteFetcher *
gazette_fetcher_new (void)
{
  return g_object_new (GAZETTE_TYPE_FETCHER, NULL);
}

static void
gazette_fetcher_constructed (GObject *object)
{
  GazetteFetcher *self = GAZETTE_FETCHER (object);

  G_OBJECT_CLASS (gazette_fetcher_parent_class)->constructed (object);

  /* libsoup 3 adds its content decoder by default, so Accept-Encoding is handled there. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", self->user_agent,
                                "timeout", self->connect_timeout,
                                "max-conns-per-host", self->max_conns_per_host,
                                "max-conns", MAX (MAX_CONNS, self->max_conns_per_host),
                                NULL);
}

static void
gazette_fetcher_dispose (GObject *object)
{
  GazetteFetcher *self = GAZETTE_FETCHER (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (gazette_fetcher_parent_class)->dispose (object);
}

static void
gazette_fetcher_finalize (GObject *object)
{
  GazetteFetcher *self = GAZETTE_FETCHER (object);

  g_free (self->user_agent);

  G_OBJECT_CLASS (gazette_fetcher_parent_class)->finalize (object);
}

static void
gazette_fetcher_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GazetteFetcher *self = GAZETTE_FETCHER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_MAX_BODY_SIZE:
      g_value_set_uint64 (value, self->max_body_size);
      break;
    case PROP_MAX_CONNS_PER_HOST:
      g_value_set_uint (value, self->max_conns_per_host);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_fetcher_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GazetteFetcher *self = GAZETTE_FETCHER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      gazette_fetcher_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      gazette_fetcher_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_BODY_SIZE:
      gazette_fetcher_set_max_body_size (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_CONNS_PER_HOST:
      self->max_conns_per_host = MAX (g_value_get_uint (value), 1);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_fetcher_class_init (GazetteFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gazette_fetcher_constructed;
  object_class->dispose = gazette_fetcher_dispose;
  object_class->finalize = gazette_fetcher_finalize;
  object_class->get_property = gazette_fetcher_get_property;
  object_class->set_property = gazette_fetcher_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_CONNECT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY_SIZE] =
    g_param_spec_uint64 ("max-body-size", NULL, NULL, 0, G_MAXUINT64, DEFAULT_MAX_BODY_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONNS_PER_HOST] =
    g_param_spec_uint ("max-conns-per-host", NULL, NULL, 1, G_MAXUINT,
                       DEFAULT_MAX_CONNS_PER_HOST,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gazette_fetcher_init (GazetteFetcher *self)
{
  self->user_agent = g_strdup ("Gazette/" PACKAGE_VERSION " (+https://gazette.example.org/)");
  self->timeout = DEFAULT_TIMEOUT;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  self->max_body_size = DEFAULT_MAX_BODY_SIZE;
  self->max_conns_per_host = DEFAULT_MAX_CONNS_PER_HOST;
}

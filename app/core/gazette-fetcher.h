/* gazette-fetcher.h — HTTP for Gazette: one SoupSession, used from the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the application's only SoupSession: a User-Agent naming Gazette and its version, a connect
 * timeout, a total timeout per request, a maximum body size (GAZETTE_ERROR_TOO_LARGE past it),
 * conditional GET. Must be used from the thread that created it.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  const char *etag;            /* If-None-Match, NULL for none */
  const char *last_modified;   /* If-Modified-Since, NULL for none */
  const char *accept;          /* Accept header, NULL for a feed/HTML default */
} GazetteFetchRequest;

typedef struct {
  guint   status;              /* final HTTP status (200, 304, …) */
  char   *url;                 /* final URL after redirects */
  gboolean permanent_redirect; /* a 301/308 was followed: the stored URL should become ->url */
  GBytes *body;                /* NULL for 304 */
  char   *content_type;        /* with parameters, as sent */
  char   *etag;
  char   *last_modified;
  gint64  max_age;             /* Cache-Control max-age in seconds, -1 when absent */
  gint64  retry_after;         /* seconds, -1 when absent (429/503) */
} GazetteFetchResult;

void gazette_fetch_result_free (GazetteFetchResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteFetchResult, gazette_fetch_result_free)

#define GAZETTE_TYPE_FETCHER (gazette_fetcher_get_type ())
G_DECLARE_FINAL_TYPE (GazetteFetcher, gazette_fetcher, GAZETTE, FETCHER, GObject)

/* Properties: timeout (uint, seconds, whole request), connect-timeout (uint, seconds),
 * max-body-size (uint64, bytes), max-conns-per-host (uint), user-agent (string, read-only). */

GazetteFetcher *gazette_fetcher_new              (void);
SoupSession    *gazette_fetcher_get_session      (GazetteFetcher      *self);
const char     *gazette_fetcher_get_user_agent   (GazetteFetcher      *self);
void            gazette_fetcher_set_timeout      (GazetteFetcher      *self,
                                                  guint                seconds);
void            gazette_fetcher_set_max_body_size (GazetteFetcher     *self,
                                                  guint64              bytes);

/* Fetches @url (http or https; file:// too, for tests and the CLI). A status >= 400 other than
 * 429/503 fails with GAZETTE_ERROR_HTTP (410 with GAZETTE_ERROR_GONE); 304 succeeds with a NULL
 * body; 429/503 fail with GAZETTE_ERROR_HTTP and the result's retry_after available through
 * gazette_fetcher_fetch_finish_full. */
void                gazette_fetcher_fetch_async  (GazetteFetcher            *self,
                                                  const char                *url,
                                                  const GazetteFetchRequest *request,
                                                  GCancellable              *cancellable,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
GazetteFetchResult *gazette_fetcher_fetch_finish (GazetteFetcher            *self,
                                                  GAsyncResult              *result,
                                                  GError                   **error);

/* Like gazette_fetcher_fetch_finish, but on a HTTP error (a response arrived, e.g. 404, 410, 429,
 * 503) @out_result (may be NULL) is set to what the response said (status, url, retry_after, …,
 * body NULL) as well; it is NULL when no response arrived. On success it is the result. */
gboolean            gazette_fetcher_fetch_finish_full (GazetteFetcher        *self,
                                                  GAsyncResult              *result,
                                                  GazetteFetchResult       **out_result,
                                                  GError                   **error);

/* Downloads @url (http or https, redirects followed) into @destination, for files too large to
 * hold in memory (podcast episodes): written to "@destination.part" and renamed over
 * @destination only once complete, so a cancelled or failed download leaves no partial file
 * under the real name (the .part file is removed). @progress (may be NULL) is called on the
 * caller's context after each chunk with the bytes received and the total (-1 when the server
 * did not say). No size limit and no total timeout; the I/O inactivity timeout applies. */
void                gazette_fetcher_download_async  (GazetteFetcher         *self,
                                                     const char             *url,
                                                     GFile                  *destination,
                                                     GFileProgressCallback   progress,
                                                     gpointer                progress_data,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
gboolean            gazette_fetcher_download_finish (GazetteFetcher         *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);

/* Runs a fetch to completion on a private main context pushed as thread-default; for gazette-cli
 * and tests only. A SoupSession belongs to one thread: call this only from the thread that
 * created @self. It blocks that thread until the fetch is done: never use it on the UI thread. */
GazetteFetchResult *gazette_fetcher_fetch_sync   (GazetteFetcher            *self,
                                                  const char                *url,
                                                  const GazetteFetchRequest *request,
                                                  GCancellable              *cancellable,
                                                  GError                   **error);

G_END_DECLS

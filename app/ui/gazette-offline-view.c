/* gazette-offline-view.c — the gazette-asset: URI scheme and the offline page policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WebKit asks for gazette-asset:<sha256> on its network thread's behalf; we answer on the main
 * thread from the store's worker (gazette_store_load_asset_async). An offline copy's page gets a
 * Content-Security-Policy that allows images from this scheme and data: only, so a saved article
 * renders completely with the network off and never tries it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gazette-error.h"
#include "gazette-offline-view.h"
#include "gazette-store-offline.h"

#define STORE_KEY   "gazette-offline-store"
#define CONTEXT_KEY "gazette-offline-scheme"

static guint served;

static void
asset_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WebKitURISchemeRequest) request = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  SoupMessageHeaders *headers;

  bytes = gazette_store_load_asset_finish (GAZETTE_STORE (object), result, &mime, &error);
  if (bytes == NULL)
    {
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }

  served++;
  stream = g_memory_input_stream_new_from_bytes (bytes);
  response = webkit_uri_scheme_response_new (stream, g_bytes_get_size (bytes));
  webkit_uri_scheme_response_set_content_type (response, mime);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  /* An image is data, never a document with its own loads (an SVG opened on its own). */
  soup_message_headers_append (headers, "Content-Security-Policy", "default-src 'none'");
  soup_message_headers_append (headers, "X-Content-Type-Options", "nosniff");
  /* Content-addressed: the same name always means the same bytes. */
  soup_message_headers_append (headers, "Cache-Control", "max-age=31536000, immutable");
  webkit_uri_scheme_response_set_http_headers (response, headers);
  webkit_uri_scheme_request_finish_with_response (request, response);
}

static void
asset_request_cb (WebKitURISchemeRequest *request,
                  gpointer                user_data)
{
  WebKitWebView *web_view = webkit_uri_scheme_request_get_web_view (request);
  GazetteStore *store = web_view != NULL ? g_object_get_data (G_OBJECT (web_view), STORE_KEY)
                                         : NULL;
  const char *uri = webkit_uri_scheme_request_get_uri (request);
  const char *sha = uri + strlen (GAZETTE_ASSET_SCHEME ":");

  if (store == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                                                     _("The saved image is not in the library"));

      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }
  gazette_store_load_asset_async (store, sha, NULL, asset_loaded_cb, g_object_ref (request));
}

void
gazette_offline_view_setup (WebKitWebView *web_view,
                            GazetteStore  *store)
{
  WebKitWebContext *context;

  g_return_if_fail (WEBKIT_IS_WEB_VIEW (web_view));

  g_object_set_data_full (G_OBJECT (web_view), STORE_KEY,
                          store != NULL ? g_object_ref (store) : NULL, g_object_unref);

  context = webkit_web_view_get_context (web_view);
  if (g_object_get_data (G_OBJECT (context), CONTEXT_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (context), CONTEXT_KEY, GINT_TO_POINTER (1));
  webkit_web_context_register_uri_scheme (context, GAZETTE_ASSET_SCHEME, asset_request_cb,
                                          NULL, NULL);
  /* Secure, so an https page may show it without a mixed-content block. */
  webkit_security_manager_register_uri_scheme_as_secure (
    webkit_web_context_get_security_manager (context), GAZETTE_ASSET_SCHEME);
}

gboolean
gazette_offline_view_is_offline (GazetteArticle *article,
                                 const char     *body_html)
{
  const char *lead;

  if (article == NULL)
    return FALSE;
  lead = gazette_article_get_lead_image (article);
  return gazette_article_get_saved (article) ||
         (body_html != NULL && strstr (body_html, GAZETTE_ASSET_SCHEME ":") != NULL) ||
         (lead != NULL && g_str_has_prefix (lead, GAZETTE_ASSET_SCHEME ":"));
}

const char *
gazette_offline_view_csp (gboolean offline)
{
  if (offline)
    return "default-src 'none'; img-src " GAZETTE_ASSET_SCHEME ": data:; "
           "style-src 'unsafe-inline'; font-src data:";
  return "default-src 'none'; img-src * data: " GAZETTE_ASSET_SCHEME ":; media-src *; "
         "style-src 'unsafe-inline'; font-src * data:";
}

guint
gazette_offline_view_get_served_for_testing (void)
{
  return served;
}

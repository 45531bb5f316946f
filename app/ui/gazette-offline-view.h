/* gazette-offline-view.h — saved articles in the WebKit view: stored images through the
 * gazette-asset: URI scheme, and a page policy that lets nothing reach the network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

#include "gazette-store.h"

G_BEGIN_DECLS

/* Serves gazette-asset:<sha256> from @store to @web_view (the scheme is registered once on its
 * WebKitWebContext; each view answers from its own store). */
void        gazette_offline_view_setup       (WebKitWebView  *web_view,
                                              GazetteStore   *store);

/* Whether @article (with the body about to be shown) is an offline copy: saved, or showing
 * stored images. */
gboolean    gazette_offline_view_is_offline  (GazetteArticle *article,
                                              const char     *body_html);

/* The Content-Security-Policy of the reader page: for an offline copy, images only from the
 * store (and data:), nothing else loaded from anywhere. */
const char *gazette_offline_view_csp         (gboolean        offline);

/* Requests the scheme answered since the start, for tests. */
guint       gazette_offline_view_get_served_for_testing (void);

G_END_DECLS

/* gazette-test-ui-utils.h — what the window tests need beside gazette-test-utils: GTK and WebKit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <webkit/webkit.h>

G_BEGIN_DECLS

/* Runs @script in @web_view (in the script world @world, or the page's with NULL) and returns
 * its value as a string. */
char *gazette_test_run_js            (WebKitWebView *web_view,
                                      const char    *script,
                                      const char    *world);

/* With GAZETTE_TEST_SCREENSHOTS=DIR, waits @settle_ms and saves @toplevel's own widgets as
 * DIR/NAME.png: Xvfb has no window manager to raise a dialog above the main window. */
void  gazette_test_screenshot_window (GtkWindow     *toplevel,
                                      const char    *name,
                                      guint          settle_ms);

G_END_DECLS

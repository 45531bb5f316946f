/* gazette-test-utils.h — what several test programs need: a loopback server, waiting on a task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Starts @server on 127.0.0.1, on a port the system picks; returns "http://127.0.0.1:PORT". */
char         *gazette_test_server_listen (SoupServer    *server);

/* A GAsyncReadyCallback that stores a reference to the result in the GAsyncResult* slot given
 * as user data; gazette_test_wait_result iterates the default main context until it is set. */
void          gazette_test_store_result  (GObject       *object,
                                          GAsyncResult  *result,
                                          gpointer       user_data);
GAsyncResult *gazette_test_wait_result   (GAsyncResult **slot);

typedef gboolean (*GazetteTestCondition) (gpointer data);

/* Iterates the default main context until @condition holds or @seconds pass; returns whether
 * it holds. */
gboolean      gazette_test_wait_for      (GazetteTestCondition condition,
                                          gpointer             data,
                                          guint                seconds);

/* A GazetteTestCondition: whether the gboolean at @data is TRUE. */
gboolean      gazette_test_flag_set      (gpointer       data);

/* Lets pending idles and signals run for @ms milliseconds. */
void          gazette_test_spin          (guint          ms);

/* With GAZETTE_TEST_SCREENSHOTS=DIR, waits @settle_ms and saves the screen as DIR/NAME.png
 * (xwd and ImageMagick). */
void          gazette_test_screenshot    (const char    *name,
                                          guint          settle_ms);

/* g_test_init() with G_TEST_OPTION_ISOLATE_DIRS, then the system data directories back:
 * isolation empties them too, and with them the MIME database (GTK then cannot tell an SVG
 * icon's format) and the icon themes; the user's directories stay isolated. */
void          gazette_test_init_isolated (int           *argc,
                                          char        ***argv);

/* Whether there is a display to open; without one prints a TAP plan that skips everything. */
gboolean      gazette_test_have_display  (void);

/* Deletes @file and, for a directory, everything below it, without following links. */
void          gazette_test_remove_tree   (GFile         *file);

/* What a GListModel's "items-changed" said: how many times, and the last change. Connect
 * gazette_test_record_changes with a GazetteTestChanges* as user data. */
typedef struct {
  guint calls;
  guint position, removed, added;
} GazetteTestChanges;

void          gazette_test_record_changes (GListModel         *model,
                                           guint               position,
                                           guint               removed,
                                           guint               added,
                                           GazetteTestChanges *changes);

G_END_DECLS

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

G_END_DECLS

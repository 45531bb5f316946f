/* gazette-stall-monitor.h — measures how long the main loop goes without running (debugging)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gazette-library.h"

G_BEGIN_DECLS

/* With GAZETTE_DEBUG_STALLS set in the environment: a 10 ms timer on the main loop notes the
 * longest gap between its runs (how long the window could not draw or answer), and at the end
 * of every refresh of @library prints one line to stderr:
 *   "gazette-stall-monitor: refresh of N sources done in S s; longest main-loop stall M ms
 *    (K stalls over 100 ms); the main thread ran C ms of it, the rest it waited for a CPU; most
 *    CPU time in one stall B ms"
 * and at the start "gazette-stall-monitor: refresh started". Does nothing otherwise. */
void gazette_stall_monitor_watch (GazetteLibrary *library);
/* Starts the span measured now (an import, say "import"): the line at the end of the next
 * refresh then reads "import and refresh of N sources …" and covers both. */
void gazette_stall_monitor_begin (const char     *what);

G_END_DECLS

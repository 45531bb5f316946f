/* gazette-date.h — the dates feeds write, as UTC unix seconds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses RFC 822/2822 (and its many broken variants), RFC 3339/ISO 8601/W3C-DTF and a few other
 * common forms ("2019-12-07 15:31:00", "December 7, 2019"). A missing zone means UTC.
 * Returns unix seconds UTC, or 0 when @text is not a date. */
gint64  gazette_date_parse        (const char *text);

/* "2019-12-07T15:31:00Z"; newly allocated. */
char   *gazette_date_to_iso8601   (gint64      unix_seconds);

G_END_DECLS

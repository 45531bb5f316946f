/* gazette-encoding.h — which character set a web page is in, and the page in UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The charset of @data, in the order browsers trust: a byte-order mark, the HTTP Content-Type
 * charset (@content_type may be NULL), <meta charset>, <meta http-equiv="Content-Type">, then a
 * guess: valid UTF-8 is UTF-8, anything else windows-1252. Returns a canonical name. */
char *gazette_detect_charset (const char *data,
                              gsize       length,
                              const char *content_type);

/* @data converted to UTF-8 (BOM removed; invalid sequences replaced), NUL-terminated. */
char *gazette_to_utf8        (const char *data,
                              gsize       length,
                              const char *content_type,
                              gsize      *out_length);

G_END_DECLS

/* gazette-error.h — the one error domain every layer of Gazette reports in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GAZETTE_ERROR (gazette_error_quark ())

typedef enum {
  GAZETTE_ERROR_FAILED,
  GAZETTE_ERROR_INVALID_ARGUMENT,
  /* input */
  GAZETTE_ERROR_NOT_HTML,
  GAZETTE_ERROR_NO_ARTICLE,
  GAZETTE_ERROR_NOT_A_FEED,
  GAZETTE_ERROR_PARSE,
  /* storage */
  GAZETTE_ERROR_DATABASE,
  GAZETTE_ERROR_DATABASE_TOO_NEW,
  GAZETTE_ERROR_MIGRATION,
  GAZETTE_ERROR_DISK_FULL,
  GAZETTE_ERROR_NOT_FOUND,
  GAZETTE_ERROR_EXISTS,
  /* network */
  GAZETTE_ERROR_NETWORK,
  GAZETTE_ERROR_HTTP,
  GAZETTE_ERROR_TOO_LARGE,
  GAZETTE_ERROR_TIMEOUT,
  GAZETTE_ERROR_GONE,
} GazetteError;

GQuark gazette_error_quark (void);

G_END_DECLS

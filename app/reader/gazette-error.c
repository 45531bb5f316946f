/* gazette-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "gazette-error.h"

G_DEFINE_QUARK (gazette-error-quark, gazette_error)

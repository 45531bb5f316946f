/* gazette-export.h — articles out of the library: one self-contained HTML file, or EPUB 3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gazette-store.h"

G_BEGIN_DECLS

typedef enum {
  GAZETTE_EXPORT_HTML,   /* one HTML file, images inlined as data: URIs */
  GAZETTE_EXPORT_EPUB,   /* EPUB 3: one XHTML document per article, images in the package */
} GazetteExportFormat;

/* Writes the articles @ids (in that order) to @path. Images stored with the articles are
 * included; any other image is left out (its alternative text stays), so the file loads nothing
 * from the network. Reads the store with its _sync calls: run it off the UI thread (the _async
 * variant does). */
gboolean gazette_export_sync   (GazetteStore         *store,
                                const gint64         *ids,
                                guint                 n_ids,
                                GazetteExportFormat   format,
                                const char           *path,
                                GCancellable         *cancellable,
                                GError              **error);
void     gazette_export_async  (GazetteStore         *store,
                                const gint64         *ids,
                                guint                 n_ids,
                                GazetteExportFormat   format,
                                const char           *path,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
gboolean gazette_export_finish (GazetteStore         *store,
                                GAsyncResult         *result,
                                GError              **error);

G_END_DECLS

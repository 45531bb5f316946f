/* gazette-opml.h — subscription lists in and out: OPML 1.0 and 2.0 import, OPML 2.0 export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import: every <outline> with an xmlUrl becomes a feed source (title from title, else text;
 * htmlUrl is its site URL); an outline without xmlUrl that holds others becomes a folder. Gazette
 * folders do not nest, so deeper outlines go into the nearest folder. Feeds already in the store
 * or listed twice are skipped and counted. Ill-formed XML is recovered where libxml2 can, with a
 * warning per problem (with its line number). Nothing is fetched: refresh afterwards.
 *
 * Both operations parse or build the document and talk to the store from a GTask thread, so the
 * caller's thread never waits.
 */
#pragma once

#include <gio/gio.h>

#include "gazette-store.h"

G_BEGIN_DECLS

typedef struct {
  guint      added;      /* feed sources created */
  guint      folders;    /* folders created (an existing folder of the same name is reused) */
  guint      skipped;    /* feeds already subscribed, or listed twice in the file */
  GPtrArray *warnings;   /* of char*: what could not be read, plain words; never NULL */
} GazetteOpmlResult;

void               gazette_opml_result_free  (GazetteOpmlResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GazetteOpmlResult, gazette_opml_result_free)

/* Fails with GAZETTE_ERROR_PARSE when @data is not OPML at all (nothing could be read). */
void               gazette_opml_import_async  (GazetteStore        *store,
                                               const char          *data,
                                               gsize                length,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GazetteOpmlResult *gazette_opml_import_finish (GazetteStore        *store,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The store's feeds and folders as an OPML 2.0 document (UTF-8, NUL-terminated). */
void               gazette_opml_export_async  (GazetteStore        *store,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char              *gazette_opml_export_finish (GazetteStore        *store,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The pure halves, for tests and benchmarks: no store involved. */
char              *gazette_opml_build        (GPtrArray          *sources, /* of GazetteSource */
                                              const char         *title,
                                              GDateTime          *created);

G_END_DECLS

/* gazette-source.h — one entry of the source list: a feed, a folder or a single saved page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain value object: the store fills it from a row, the UI binds to its properties. Setting a
 * property does not write to the database; GazetteStore does that.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  GAZETTE_SOURCE_KIND_FEED,     /* RSS, Atom or JSON feed at :url */
  GAZETTE_SOURCE_KIND_FOLDER,   /* groups sources; :folder-id of its children is its :id */
  GAZETTE_SOURCE_KIND_PAGES,    /* single saved pages ("Read later") */
  GAZETTE_SOURCE_KIND_BUILTIN,  /* the bundled Welcome source, read from the GResource */
} GazetteSourceKind;

#define GAZETTE_TYPE_SOURCE (gazette_source_get_type ())
G_DECLARE_FINAL_TYPE (GazetteSource, gazette_source, GAZETTE, SOURCE, GObject)

/* Properties (all read-write, notify on change):
 *   id (int64), kind (int, GazetteSourceKind), folder-id (int64, 0 = top level), position (int),
 *   title, url, site-url, icon-url, error (string, NULL when the last refresh worked),
 *   unread-count (uint), total-count (uint), last-fetched (int64, unix seconds, 0 = never),
 *   full-article (boolean: fetch and extract each entry's link), save-offline (boolean),
 *   refresh-interval (int, minutes, 0 = global default), filter-enabled (boolean). */

GazetteSource     *gazette_source_new              (GazetteSourceKind  kind,
                                                    const char        *title,
                                                    const char        *url);
gint64             gazette_source_get_id           (GazetteSource     *self);
void               gazette_source_set_id           (GazetteSource     *self,
                                                    gint64             id);
GazetteSourceKind  gazette_source_get_kind         (GazetteSource     *self);
gint64             gazette_source_get_folder_id    (GazetteSource     *self);
void               gazette_source_set_folder_id    (GazetteSource     *self,
                                                    gint64             folder_id);
int                gazette_source_get_position     (GazetteSource     *self);
void               gazette_source_set_position     (GazetteSource     *self,
                                                    int                position);
const char        *gazette_source_get_title        (GazetteSource     *self);
void               gazette_source_set_title        (GazetteSource     *self,
                                                    const char        *title);
const char        *gazette_source_get_url          (GazetteSource     *self);
void               gazette_source_set_url          (GazetteSource     *self,
                                                    const char        *url);
const char        *gazette_source_get_site_url     (GazetteSource     *self);
void               gazette_source_set_site_url     (GazetteSource     *self,
                                                    const char        *site_url);
const char        *gazette_source_get_icon_url     (GazetteSource     *self);
void               gazette_source_set_icon_url     (GazetteSource     *self,
                                                    const char        *icon_url);
const char        *gazette_source_get_error        (GazetteSource     *self);
void               gazette_source_set_error        (GazetteSource     *self,
                                                    const char        *error);
guint              gazette_source_get_unread_count (GazetteSource     *self);
void               gazette_source_set_unread_count (GazetteSource     *self,
                                                    guint              count);
guint              gazette_source_get_total_count  (GazetteSource     *self);
void               gazette_source_set_total_count  (GazetteSource     *self,
                                                    guint              count);
gint64             gazette_source_get_last_fetched (GazetteSource     *self);
void               gazette_source_set_last_fetched (GazetteSource     *self,
                                                    gint64             when);
gboolean           gazette_source_get_full_article (GazetteSource     *self);
void               gazette_source_set_full_article (GazetteSource     *self,
                                                    gboolean           full_article);
gboolean           gazette_source_get_save_offline (GazetteSource     *self);
void               gazette_source_set_save_offline (GazetteSource     *self,
                                                    gboolean           save_offline);
int                gazette_source_get_refresh_interval (GazetteSource *self);
void               gazette_source_set_refresh_interval (GazetteSource *self,
                                                        int            minutes);
gboolean           gazette_source_get_filter_enabled (GazetteSource   *self);
void               gazette_source_set_filter_enabled (GazetteSource   *self,
                                                      gboolean         enabled);

void               gazette_sources_sort            (GPtrArray         *sources);

G_END_DECLS

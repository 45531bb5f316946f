/* gazette-sidebar.h — the source list: All, Unread, Starred, Saved, then folders and sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gazette-library.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_SIDEBAR (gazette_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (GazetteSidebar, gazette_sidebar, GAZETTE, SIDEBAR, GtkWidget)

/* Properties: selection (string, read-write: "all", "unread", "starred", "saved",
 *   "source:ID", "folder:ID"; restored from and saved to GSettings last-selection),
 *   loaded (boolean, read-only: the first reload has finished).
 * Signals:
 *   "remove-source" (gint64 id, const char *title)   the user asked to remove a source; the row
 *                                                    is hidden, the window offers undo
 *   "reloaded" ()                                    rows and counts were rebuilt
 * Actions (x: a source id): sidebar.refresh-source, sidebar.mark-source-read,
 *   sidebar.remove-source, sidebar.toggle-folder (what a folder row's arrow does). */

GtkWidget          *gazette_sidebar_new               (void);
/* Watches @library's store (sources-changed, articles-changed) and reloads. Every async call
 * gets @cancellable. */
void                gazette_sidebar_set_library       (GazetteSidebar       *self,
                                                       GazetteLibrary       *library,
                                                       GCancellable         *cancellable);
void                gazette_sidebar_reload            (GazetteSidebar       *self);
const char         *gazette_sidebar_get_selection     (GazetteSidebar       *self);
void                gazette_sidebar_set_selection     (GazetteSidebar       *self,
                                                       const char           *selection);
/* The filter of the selected row; a title for the article list's heading. */
void                gazette_sidebar_get_filter        (GazetteSidebar       *self,
                                                       GazetteArticleFilter *filter);
const char         *gazette_sidebar_get_selected_title (GazetteSidebar      *self);
/* The counts shown by the All, Unread, Starred and Saved rows. */
const GazetteCounts *gazette_sidebar_get_counts       (GazetteSidebar       *self);
/* The source rows, in display order (of GazetteSource; hidden ones included). */
GPtrArray          *gazette_sidebar_get_sources       (GazetteSidebar       *self);
void                gazette_sidebar_set_source_hidden (GazetteSidebar       *self,
                                                       gint64                source_id,
                                                       gboolean              hidden);
/* Whether @folder_id's sources are listed under it (GSettings collapsed-folders). Collapsing
 * the folder of the selected source selects the folder. */
gboolean            gazette_sidebar_get_folder_expanded (GazetteSidebar     *self,
                                                         gint64              folder_id);
void                gazette_sidebar_set_folder_expanded (GazetteSidebar     *self,
                                                         gint64              folder_id,
                                                         gboolean            expanded);

G_END_DECLS

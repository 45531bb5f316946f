/* gazette-sidebar-item.h — one row of the sidebar's list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "gazette-source.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_SIDEBAR_ITEM (gazette_sidebar_item_get_type ())
G_DECLARE_FINAL_TYPE (GazetteSidebarItem, gazette_sidebar_item, GAZETTE, SIDEBAR_ITEM, GObject)

/* A row of the sidebar: "all", "unread", "starred", "saved", "header" (the "Sources" heading,
 * not selectable), "source:ID" or "folder:ID". Its key never changes; everything else is a
 * property that notifies only when its value really changes, so a refresh updating counts
 * redraws just the rows it touched.
 *
 * Properties: key (string, construct-only), icon-name, title, count (uint), error (string or
 *   NULL), indent (int, nesting level), hidden (boolean: removed, pending undo), expandable
 *   (boolean: a folder with sources in it), expanded (boolean: its sources are listed under
 *   it), source (GazetteSource or NULL). */

GazetteSidebarItem *gazette_sidebar_item_new        (const char         *key);
const char         *gazette_sidebar_item_get_key    (GazetteSidebarItem *self);
gboolean            gazette_sidebar_item_is_header  (GazetteSidebarItem *self);
const char         *gazette_sidebar_item_get_icon_name (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_icon_name (GazetteSidebarItem *self,
                                                        const char         *icon_name);
const char         *gazette_sidebar_item_get_title  (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_title  (GazetteSidebarItem *self,
                                                     const char         *title);
guint               gazette_sidebar_item_get_count  (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_count  (GazetteSidebarItem *self,
                                                     guint               count);
const char         *gazette_sidebar_item_get_error  (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_error  (GazetteSidebarItem *self,
                                                     const char         *error);
int                 gazette_sidebar_item_get_indent (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_indent (GazetteSidebarItem *self,
                                                     int                 indent);
gboolean            gazette_sidebar_item_get_hidden (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_hidden (GazetteSidebarItem *self,
                                                     gboolean            hidden);
gboolean            gazette_sidebar_item_get_expandable (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_expandable (GazetteSidebarItem *self,
                                                         gboolean            expandable);
gboolean            gazette_sidebar_item_get_expanded (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_expanded (GazetteSidebarItem *self,
                                                       gboolean            expanded);
GazetteSource      *gazette_sidebar_item_get_source (GazetteSidebarItem *self);
void                gazette_sidebar_item_set_source (GazetteSidebarItem *self,
                                                     GazetteSource      *source);

G_END_DECLS

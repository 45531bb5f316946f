/* gazette-window.h — the main window: sources, articles, the article
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gazette-application.h"
#include "gazette-article-list.h"
#include "gazette-article-view.h"
#include "gazette-sidebar.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_WINDOW (gazette_window_get_type ())
G_DECLARE_FINAL_TYPE (GazetteWindow, gazette_window, GAZETTE, WINDOW, AdwApplicationWindow)

GazetteWindow      *gazette_window_new              (GazetteApplication *application);
GazetteSidebar     *gazette_window_get_sidebar      (GazetteWindow      *self);
GazetteArticleList *gazette_window_get_article_list (GazetteWindow      *self);
GazetteArticleView *gazette_window_get_article_view (GazetteWindow      *self);
/* The failing-sources banner's message, NULL while it is hidden. */
const char         *gazette_window_get_banner_message (GazetteWindow    *self);
void                gazette_window_add_toast        (GazetteWindow      *self,
                                                     const char         *message);
/* What Import/Export Subscriptions… do once a file is chosen: read (or write) @file as OPML,
 * then a toast with the counts (and a refresh of everything after an import). */
void                gazette_window_import_subscriptions (GazetteWindow  *self,
                                                         GFile          *file);
void                gazette_window_export_subscriptions (GazetteWindow  *self,
                                                         GFile          *file);
/* Read later: saves the page at @text (a web address, pasted or dropped) for offline reading,
 * with a toast; FALSE when @text is not a web address. */
gboolean            gazette_window_save_url         (GazetteWindow      *self,
                                                     const char         *text);

G_END_DECLS

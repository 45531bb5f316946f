/* gazette-enclosure-list.h — an article's podcast and media files, to open or download
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "gazette-library.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_ENCLOSURE_LIST (gazette_enclosure_list_get_type ())
G_DECLARE_FINAL_TYPE (GazetteEnclosureList, gazette_enclosure_list, GAZETTE, ENCLOSURE_LIST,
                      GtkWidget)

/* Hidden while the article has no enclosures. Downloads go through the library's fetcher, to a
 * file the user picks (in the Downloads folder unless they choose another); they go on when
 * another article is shown, and stop with the widget. Open shows the downloaded file once
 * there is one, else the enclosure's address.
 * Signal: "open-uri" (const char *uri) → gboolean, handled: the default handler calls
 *   gtk_show_uri. */
GtkWidget *gazette_enclosure_list_new             (void);
void       gazette_enclosure_list_set_library     (GazetteEnclosureList *self,
                                                   GazetteLibrary       *library);
/* Loads and lists the enclosures of article @article_id (0: none). */
void       gazette_enclosure_list_set_article_id  (GazetteEnclosureList *self,
                                                   gint64                article_id);
/* Lists @enclosures (GazetteEnclosure*; copied) as they are; for tests and the above. */
void       gazette_enclosure_list_set_enclosures  (GazetteEnclosureList *self,
                                                   GPtrArray            *enclosures);
guint      gazette_enclosure_list_get_n_items     (GazetteEnclosureList *self);
/* "episode.mp3", from the URL's path; "download" when it has none. */
char      *gazette_enclosure_file_name            (const char           *url);

G_END_DECLS

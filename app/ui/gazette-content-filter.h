/* gazette-content-filter.h — the clutter filter's rules for the app: the user's list, the
 * per-site switch, and WebKit content filters for the original view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <webkit/webkit.h>

#include "gazette-clutter.h"
#include "gazette-extractor.h"
#include "gazette-filter-rules.h"

G_BEGIN_DECLS

#define GAZETTE_TYPE_CONTENT_FILTER (gazette_content_filter_get_type ())

G_DECLARE_FINAL_TYPE (GazetteContentFilter, gazette_content_filter, GAZETTE, CONTENT_FILTER, GObject)

/* A filter reading and writing @rules_path (the user's list) and keeping compiled WebKit
 * filters in @store_dir. */
GazetteContentFilter *gazette_content_filter_new              (const char *rules_path,
                                                               const char *store_dir);

/* The app's filter: the one set with _set_default(), else one on the user's data and cache
 * directories, made on first use. */
GazetteContentFilter *gazette_content_filter_get_default      (void);
void                  gazette_content_filter_set_default      (GazetteContentFilter *filter);

/* "example.com" for "https://www.example.com/a"; NULL for a URL without a host. */
char                 *gazette_content_filter_host_for_url     (const char *url);

/* Per-site switch (GSettings "filter-disabled-sites"): whether the filter runs on pages of
 * @url's host (or @host); a site switched off covers its subdomains. */
gboolean              gazette_content_filter_get_enabled_for  (GazetteContentFilter *self,
                                                               const char           *url);
void                  gazette_content_filter_set_enabled_for  (GazetteContentFilter *self,
                                                               const char           *url,
                                                               gboolean              enabled);

/* The rules in use (defaults plus the user's list), for the extractor in a thread: hold the
 * reference while using them; the rules may change meanwhile. */
GazetteFilterRules   *gazette_content_filter_ref_rules        (GazetteContentFilter *self);

/* The user's list as last loaded or saved, and what was wrong with it ("line N: …"). */
const char           *gazette_content_filter_get_user_rules   (GazetteContentFilter *self);
GPtrArray            *gazette_content_filter_get_warnings     (GazetteContentFilter *self);
const char           *gazette_content_filter_get_rules_path   (GazetteContentFilter *self);
/* Whether EasyList was found; how many rules the default list plus the user's list hold. */
gboolean              gazette_content_filter_get_easylist_found (GazetteContentFilter *self);
guint                 gazette_content_filter_get_n_rules      (GazetteContentFilter *self);
/* Whether the user's list has been read (or found missing) and the rules built. */
gboolean              gazette_content_filter_get_loaded       (GazetteContentFilter *self);
/* The compiled WebKit filter, NULL until compiled. */
WebKitUserContentFilter *gazette_content_filter_get_compiled  (GazetteContentFilter *self);

/* Whether the compiled filter is that of the rules in use (not still compiling new ones). */
gboolean              gazette_content_filter_get_up_to_date   (GazetteContentFilter *self);

/* Replaces the user's list with @text: written atomically, then the rules are rebuilt and
 * recompiled; "changed" is emitted. */
void                  gazette_content_filter_save_user_rules_async  (GazetteContentFilter *self,
                                                                     const char           *text,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean              gazette_content_filter_save_user_rules_finish (GazetteContentFilter *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);
/* Appends one line ("example.com##.box") to the user's list, unless it is there already. */
void                  gazette_content_filter_add_user_rule_async    (GazetteContentFilter *self,
                                                                     const char           *line,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean              gazette_content_filter_add_user_rule_finish   (GazetteContentFilter *self,
                                                                     GAsyncResult         *result,
                                                                     GError              **error);

/* Sets up @web_view's content manager before it loads a page of @url: in the original view
 * (@original) with the filter on for the site, the compiled content filter plus a style sheet
 * for the site's rules and @page_css (from gazette_content_rules_original_page(), may be NULL);
 * otherwise none. */
void                  gazette_content_filter_prepare_view     (GazetteContentFilter *self,
                                                               WebKitWebView        *web_view,
                                                               const char           *url,
                                                               gboolean              original,
                                                               const char           *page_css);

/* "3 blocks hidden: donation appeal, newsletter sign-up, share buttons" for @removals (of
 * GazetteClutterRemoval*, may be NULL); NULL when nothing was removed. */
char                 *gazette_content_filter_removed_summary  (GPtrArray  *removals);
/* The same line as a <details> element listing each block (reason, excerpt, rule), for the
 * reader page; NULL when nothing was removed. */
char                 *gazette_content_filter_removed_html     (GPtrArray  *removals);

/* The rule "host##selector" hiding the block of the stored page @page_html (of @url) whose
 * text is @block_text (as the reader view shows it). Fails with GAZETTE_ERROR_NOT_FOUND when
 * no block of the page has that text. Thread-safe. */
char                 *gazette_content_filter_rule_for_block   (const char  *page_html,
                                                               const char  *url,
                                                               const char  *block_text,
                                                               GError     **error);

G_END_DECLS

/* gazette-article-view.c — one article, rendered in a WebKitWebView without page scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is built from data/reader/reader.html with every field escaped; the body is HTML the
 * sanitiser or the extractor produced. Page scripts are off (enable-javascript-markup), so only
 * our own webkit_web_view_evaluate_javascript calls run. Links never navigate the view: they open
 * in the default browser.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gazette-article-list.h"
#include "gazette-article-view.h"
#include "gazette-content-filter.h"
#include "gazette-enclosure-list.h"
#include "gazette-encoding.h"
#include "gazette-error.h"
#include "gazette-export.h"
#include "gazette-extractor.h"
#include "gazette-offline-view.h"
#include "gazette-sanitizer.h"
#include "gazette-store-offline.h"

struct _GazetteArticleView
{
  GtkWidget       parent_instance;

  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  AdwStatusPage  *error_page;
  GtkBox         *web_box;
  GtkToggleButton *reader_button;
  GtkToggleButton *original_button;
  GtkButton      *star_button;
  GtkButton      *read_button;
  GtkButton      *browser_button;
  GtkButton      *save_button;
  WebKitWebView  *web_view;
  GazetteEnclosureList *enclosures;

  GSettings      *settings;
  GazetteLibrary *library;
  GazetteStore   *store;
  GCancellable   *cancellable;
  GCancellable   *load_cancellable;
  gint64          saving_id;  /* Save for Offline in progress for this article, 0 for none */

  GazetteArticle *row;        /* the list's object: flags are mirrored on it */
  GazetteArticle *article;    /* loaded, with content */
  char           *body;       /* prepared body for the current mode */
  gboolean        body_is_page;
  char           *base_uri;
  gint64          shown_id;
  gint64          marked_id;  /* auto-marked read once per show, not on each re-render */
  char           *removed_html;  /* what the clutter filter took out, for the reader view */
  char           *page_css;      /* hides the clutter of the original page */
  gboolean        body_is_extracted;
  gboolean        body_is_stored_reader;  /* a reader view kept from an earlier extraction */
  /* The page fetched again for "Hide Blocks Like This" on such a view: extracted anew with the
   * new rule, so the block goes at once (and the kept view is replaced). */
  char           *refetched_page;
  gint64          refetched_id;
  GazetteContentFilter *content_filter;
  GSimpleActionGroup *clutter_actions;
  GMenu          *clutter_menu;
  double          menu_x, menu_y;
  guint           generation;
  guint           pending_generation;
};

G_DEFINE_FINAL_TYPE (GazetteArticleView, gazette_article_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ARTICLE,
  PROP_SHOWN_ID,
  N_PROPS
};

enum {
  SIGNAL_SHOWN,
  SIGNAL_OPEN_LINK,
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
gazette_article_view_new (void)
{
  return g_object_new (GAZETTE_TYPE_ARTICLE_VIEW, NULL);
}

/* Page rendering */

static char *
load_resource_text (const char *path)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

  if (bytes == NULL)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
replace_all (GString    *string,
             const char *placeholder,
             const char *value)
{
  g_string_replace (string, placeholder, value != NULL ? value : "", 0);
}

static char *
escape (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

static gboolean
valid_lang (const char *lang)
{
  if (lang == NULL || *lang == '\0' || strlen (lang) > 35)
    return FALSE;
  for (const char *p = lang; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The language of the words Gazette itself writes into the page (date, reading time): the
 * "Language:" header of the catalog in use, so it matches the labels shown; English without
 * one. The article's own language goes on <article>, for its hyphenation and quotes. */
static char *
ui_language (void)
{
  static const char header_key[] = "";   /* gettext's key for a catalog's header */
  const char *header = dgettext (GETTEXT_PACKAGE, header_key);
  const char *line;

  if (header != header_key && (line = strstr (header, "\nLanguage: ")) != NULL)
    {
      g_autofree char *code = NULL;

      line += strlen ("\nLanguage: ");
      code = g_strndup (line, strcspn (line, "\n"));
      g_strdelimit (code, "_", '-');
      if (valid_lang (code))
        return g_steal_pointer (&code);
    }
  return g_strdup ("en");
}

/* Words of @body_html, for the reading time: runs of letters and digits. */
static guint
count_words (const char *body_html)
{
  g_autofree char *text = gazette_html_to_plain_text (body_html, -1);
  gboolean in_word = FALSE;
  guint words = 0;

  if (text == NULL)
    return 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean word_char = g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '\'' ||
                           c == 0x2019 || c == '-';

      if (word_char && !in_word)
        words++;
      in_word = word_char;
    }
  return words;
}

/* Whether @body_html already shows @url: as written, with its &s escaped, or the same file name
 * (sites serve the og:image and the body's copy from different size folders). */
static gboolean
body_has_image (const char *body_html,
                const char *url)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  const char *name;

  if (body_html == NULL)
    return FALSE;
  if (strstr (body_html, url) != NULL)
    return TRUE;
  escaped = g_markup_escape_text (url, -1);
  if (strstr (body_html, escaped) != NULL)
    return TRUE;

  path = g_strndup (url, strcspn (url, "?#"));
  name = strrchr (path, '/');
  if (name != NULL && strlen (name) > 5 && strchr (name, '.') != NULL)
    {
      g_autofree char *quoted = g_strconcat (name, "\"", NULL);
      g_autofree char *with_query = g_strconcat (name, "?", NULL);

      return strstr (body_html, quoted) != NULL || strstr (body_html, with_query) != NULL;
    }
  return FALSE;
}

char *
gazette_article_view_render_page (GazetteArticle *article,
                                  const char     *body_html,
                                  gboolean        with_header,
                                  const char     *font_family,
                                  int             font_size,
                                  gboolean        dark)
{
  return gazette_article_view_render_page_full (article, body_html, NULL, with_header,
                                                font_family, font_size, dark);
}

char *
gazette_article_view_render_page_full (GazetteArticle *article,
                                       const char     *body_html,
                                       const char     *removed_html,
                                       gboolean        with_header,
                                       const char     *font_family,
                                       int             font_size,
                                       gboolean        dark)
{
  g_autoptr(GString) page = NULL;
  g_autofree char *template = load_resource_text (RESOURCE_BASE "/reader/reader.html");
  g_autofree char *css = load_resource_text (RESOURCE_BASE "/reader/reader.css");
  g_autofree char *vars = NULL;
  g_autofree char *header = NULL;
  g_autofree char *lead = NULL;
  const char *lead_image;
  g_autofree char *title = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *ui_lang = ui_language ();
  const char *dir = gazette_article_get_dir (article);
  char size[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (size, sizeof size, "%.0f", (double) CLAMP (font_size, 8, 64));
  vars = g_strdup_printf (":root { --reader-font: %s; --reader-font-size: %spx; }",
                          font_family, size);

  if (with_header)
    {
      g_autoptr(GString) meta = g_string_new (NULL);
      g_autofree char *h1 = escape (gazette_article_get_title (article));
      const char *author = gazette_article_get_author (article);
      const char *source_title = gazette_article_get_source_title (article);
      gint64 published = gazette_article_get_published (article);

      if (author != NULL && *author)
        {
          g_autofree char *text = escape (author);
          g_string_append_printf (meta, "<span class=\"byline\">%s</span>", text);
        }
      if (source_title != NULL && *source_title)
        {
          g_autofree char *text = escape (source_title);
          g_string_append_printf (meta, "<span class=\"source\">%s</span>", text);
        }
      if (published > 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (published);
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (published);
          /* Translators: the date of an article in the reader view, see strftime(3) */
          g_autofree char *text = when ? gazette_format_date (when, _("%e %B %Y, %H:%M")) : NULL;
          g_autofree char *iso = utc ? g_date_time_format_iso8601 (utc) : NULL;
          g_autofree char *etext = escape (text);
          g_autofree char *eiso = escape (iso);

          g_string_append_printf (meta, "<time datetime=\"%s\">%s</time>", eiso, etext);
        }

      /* About 230 words a minute, rounded up, at least a minute. */
      {
        guint minutes = MAX (1, (count_words (body_html) + 229) / 230);
        g_autofree char *text = g_strdup_printf (ngettext ("%u min read", "%u min read", minutes),
                                                 minutes);
        g_autofree char *etext = escape (text);

        g_string_append_printf (meta, "<span class=\"reading-time\">%s</span>", etext);
      }

      header = g_strdup_printf ("<header class=\"article-header\"><h1>%s</h1>"
                                "<p class=\"meta\" lang=\"%s\">%s</p></header>", h1, ui_lang,
                                meta->str);

      lead_image = gazette_article_get_lead_image (article);
      if (lead_image != NULL && (g_str_has_prefix (lead_image, "https://") ||
                                 g_str_has_prefix (lead_image, "http://") ||
                                 g_str_has_prefix (lead_image, GAZETTE_ASSET_SCHEME ":")) &&
          !body_has_image (body_html, lead_image))
        {
          g_autofree char *src = escape (lead_image);

          lead = g_strdup_printf ("<figure class=\"lead-image\"><img src=\"%s\" alt=\"\">"
                                  "</figure>", src);
        }
    }

  title = escape (gazette_article_get_title (article));
  lang = valid_lang (gazette_article_get_lang (article))
         ? g_strdup (gazette_article_get_lang (article)) : g_strdup ("");

  page = g_string_new (template);
  replace_all (page, "{{ui_lang}}", ui_lang);
  replace_all (page, "{{lang}}", lang);
  replace_all (page, "{{dir}}", g_strcmp0 (dir, "rtl") == 0 ? "rtl"
                                : g_strcmp0 (dir, "ltr") == 0 ? "ltr" : "auto");
  replace_all (page, "{{class}}", dark ? "dark" : "light");
  replace_all (page, "{{csp}}",
               gazette_offline_view_csp (gazette_offline_view_is_offline (article, body_html)));
  replace_all (page, "{{title}}", title);
  replace_all (page, "{{style}}", css);
  replace_all (page, "{{vars}}", vars);
  replace_all (page, "{{header}}", header);
  replace_all (page, "{{lead}}", lead);
  replace_all (page, "{{removed}}", removed_html);
  /* The body goes in last so a placeholder-like text inside it is never expanded. */
  replace_all (page, "{{body}}", body_html);

  return g_string_free (g_steal_pointer (&page), FALSE);
}

/* Whether stored content is a whole web page rather than a feed entry's body: a document, or
 * a fragment carrying a page's furniture (the Welcome pages and saved pages are stored that way,
 * sanitised). Feed entries rarely have a <h1>, navigation or a footer. */
static gboolean
looks_like_page (const char *html)
{
  g_autofree char *lower = NULL;

  if (html == NULL)
    return FALSE;
  while (g_ascii_isspace (*html))
    html++;
  lower = g_ascii_strdown (html, MIN (strlen (html), 65536));
  return g_str_has_prefix (lower, "<!doctype") || g_str_has_prefix (lower, "<html") ||
         strstr (lower, "<body") != NULL || strstr (lower, "<h1") != NULL ||
         strstr (lower, "<nav") != NULL || strstr (lower, "<footer") != NULL;
}

/* The header already shows the title: drop a leading <h1> (or <h2>) repeating it. */
static char *
drop_repeated_title (char       *body,
                     const char *title)
{
  g_autofree char *lower = NULL;
  g_autofree char *heading_text = NULL;
  g_autofree char *title_text = NULL;
  const char *open, *close, *first_p;
  char level;

  if (body == NULL || title == NULL)
    return body;

  lower = g_ascii_strdown (body, -1);
  open = strstr (lower, "<h1");
  if (open == NULL)
    open = strstr (lower, "<h2");
  if (open == NULL)
    return body;
  first_p = strstr (lower, "<p");
  if (first_p != NULL && first_p < open)
    return body;

  level = open[2];
  close = strstr (open, level == '1' ? "</h1>" : "</h2>");
  if (close == NULL)
    return body;

  heading_text = gazette_html_to_plain_text (body + (open - lower),
                                             (close - open) + 5);
  title_text = gazette_html_to_plain_text (title, -1);
  if (heading_text == NULL || title_text == NULL ||
      g_utf8_collate (g_strstrip (heading_text), g_strstrip (title_text)) != 0)
    return body;

  memmove (body + (open - lower), body + (close - lower) + 5,
           strlen (body + (close - lower) + 5) + 1);
  return body;
}

/* Body preparation, in a thread: extraction of a whole page takes tens of milliseconds. */

typedef struct {
  char     *content;
  char     *summary;
  char     *reader_html;
  char     *reader_removed;
  char     *url;
  char     *title;
  gboolean  reader_mode;
  GazetteFilterRules *rules;  /* NULL: the filter is off for the site */
  /* out */
  GPtrArray *removed;
  char      *removed_text;   /* @removed for the store, when extracted here */
  char      *page_css;
  char     *body;
  gboolean  is_page;         /* the body is a whole page shown as the original */
  gboolean  extracted;
  gboolean  stored_reader;
  char     *lead_image;
  char     *lang;
  char     *dir;
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_free (data->content);
  g_free (data->summary);
  g_free (data->reader_html);
  g_free (data->reader_removed);
  g_free (data->removed_text);
  g_free (data->url);
  g_free (data->title);
  g_free (data->body);
  g_free (data->lead_image);
  g_free (data->lang);
  g_free (data->dir);
  g_clear_pointer (&data->rules, gazette_filter_rules_unref);
  g_clear_pointer (&data->removed, g_ptr_array_unref);
  g_free (data->page_css);
  g_free (data);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;

  /* A stored page is extracted again each time: the user's rules and per-site switch may have
   * changed, and the reader view lists what the filter removed. */
  if (data->reader_mode && data->reader_html != NULL && *data->reader_html &&
      !looks_like_page (data->content))
    {
      /* Extracted during a refresh: what was removed then was kept beside it. */
      data->body = g_strdup (data->reader_html);
      data->removed = gazette_clutter_removals_from_string (data->reader_removed);
      data->stored_reader = TRUE;
    }
  else if (looks_like_page (data->content))
    {
      if (data->reader_mode)
        {
          g_autoptr(GazetteArticleContent) content = NULL;
          g_autoptr(GError) error = NULL;
          gint64 start = g_get_monotonic_time ();

          content = gazette_filter_rules_extract (data->rules, data->content,
                                                  strlen (data->content), data->url,
                                                  "text/html; charset=utf-8", &error);
          g_debug ("Article extracted in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
          if (content != NULL && content->html != NULL && *content->html)
            {
              data->body = g_strdup (content->html);
              data->removed = g_ptr_array_ref (content->removed);
              data->removed_text = gazette_clutter_removals_to_string (content->removed);
              data->extracted = TRUE;
              data->lead_image = g_strdup (content->lead_image);
              data->lang = g_strdup (content->lang);
              data->dir = g_strdup (content->dir);
            }
          else if (error != NULL)
            g_debug ("No article extracted from %s: %s", data->url, error->message);
        }

      if (data->body == NULL)
        {
          /* Class and id stay, so the original view's content filter finds the clutter; what
           * only the heuristics know is hidden by a style sheet of this page. */
          GazetteContentRules *rules = data->rules != NULL && !data->reader_mode
                                       ? gazette_filter_rules_get_content_rules (data->rules)
                                       : NULL;
          gint64 start = g_get_monotonic_time ();

          data->body = gazette_content_rules_original_page (rules, data->content, data->url,
                                                            &data->page_css, NULL);
          g_debug ("Original page prepared in %.1f ms",
                   (g_get_monotonic_time () - start) / 1000.0);
          data->is_page = !data->reader_mode;
        }
    }
  else if (data->content != NULL && *data->content)
    data->body = g_strdup (data->content);
  else if (data->summary != NULL)
    data->body = g_strdup (data->summary);
  else
    data->body = g_strdup ("");

  if (!data->is_page)
    data->body = drop_repeated_title (data->body, data->title);

  g_task_return_boolean (task, TRUE);
}

static const char *
font_family (GazetteArticleView *self)
{
  if (g_settings_get_enum (self->settings, "reader-font") == 1)
    return "\"Cantarell\", \"Noto Sans\", \"DejaVu Sans\", sans-serif";
  return "\"Source Serif 4\", \"Source Serif Pro\", \"Noto Serif\", \"DejaVu Serif\", Georgia, serif";
}

static void
render (GazetteArticleView *self)
{
  g_autofree char *page = NULL;
  gboolean dark;

  if (self->article == NULL || self->body == NULL)
    return;

  dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  /* The view's own background shows while the page loads: no white flash in dark mode. */
  {
    GdkRGBA background;

    gdk_rgba_parse (&background, dark ? "#1e1e1e" : "#ffffff");
    webkit_web_view_set_background_color (self->web_view, &background);
  }
  page = gazette_article_view_render_page_full (self->article, self->body, self->removed_html,
                                                !self->body_is_page, font_family (self),
                                                g_settings_get_int (self->settings,
                                                                    "reader-font-size"),
                                                dark);

  self->pending_generation = self->generation;
  g_free (self->base_uri);
  self->base_uri = g_strdup (gazette_article_get_url (self->article));
  if (self->base_uri == NULL || *self->base_uri == '\0')
    {
      g_free (self->base_uri);
      self->base_uri = g_strdup ("about:blank");
    }

  gtk_stack_set_visible_child_name (self->stack, "web");
  gazette_content_filter_prepare_view (self->content_filter, self->web_view, self->base_uri,
                                       self->body_is_page, self->page_css);
  webkit_web_view_load_html (self->web_view, page, self->base_uri);
}

static void
set_reader_html_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_store_set_reader_html_finish (GAZETTE_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not keep the reader view: %s", error->message);
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (object);
  PrepareData *data = g_task_get_task_data (G_TASK (result));
  guint generation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "generation"));

  if (g_task_had_error (G_TASK (result)) || generation != self->generation ||
      self->article == NULL)
    return;

  g_free (self->body);
  self->body = g_strdup (data->body);
  self->body_is_page = data->is_page;
  self->body_is_extracted = data->extracted;
  self->body_is_stored_reader = data->stored_reader;
  g_free (self->page_css);
  self->page_css = g_steal_pointer (&data->page_css);
  g_free (self->removed_html);
  self->removed_html = data->removed != NULL ? gazette_content_filter_removed_html (data->removed)
                                            : NULL;

  if (data->extracted)
    {
      if (gazette_article_get_lang (self->article) == NULL && data->lang != NULL)
        gazette_article_set_lang (self->article, data->lang);
      if (gazette_article_get_dir (self->article) == NULL && data->dir != NULL)
        gazette_article_set_dir (self->article, data->dir);
      /* Kept, so the article opens at once next time; a page is extracted again anyway (the
       * rules may have changed), so only a changed body is written. */
      if ((g_strcmp0 (gazette_article_get_reader_html (self->article), data->body) != 0 ||
           g_strcmp0 (gazette_article_get_reader_removed (self->article),
                      data->removed_text) != 0) &&
          self->store != NULL)
        gazette_store_set_reader_html_async (self->store, gazette_article_get_id (self->article),
                                             data->body, data->lead_image,
                                             gazette_article_get_lang (self->article),
                                             gazette_article_get_dir (self->article),
                                             data->removed_text,
                                             self->cancellable, set_reader_html_cb, NULL);
      gazette_article_set_reader_html (self->article, data->body);
      gazette_article_set_reader_removed (self->article, data->removed_text);
    }

  render (self);
}

static void
prepare_body (GazetteArticleView *self)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  if (self->article == NULL)
    return;

  data = g_new0 (PrepareData, 1);
  data->summary = g_strdup (gazette_article_get_summary (self->article));
  if (self->refetched_page != NULL &&
      self->refetched_id == gazette_article_get_id (self->article))
    data->content = g_strdup (self->refetched_page);
  else
    {
      data->content = g_strdup (gazette_article_get_content (self->article));
      data->reader_html = g_strdup (gazette_article_get_reader_html (self->article));
      data->reader_removed = g_strdup (gazette_article_get_reader_removed (self->article));
    }
  data->url = g_strdup (gazette_article_get_url (self->article));
  data->title = g_strdup (gazette_article_get_title (self->article));
  data->reader_mode = g_settings_get_boolean (self->settings, "reader-view");
  if (gazette_content_filter_get_enabled_for (self->content_filter, data->url))
    data->rules = gazette_content_filter_ref_rules (self->content_filter);

  task = g_task_new (self, self->load_cancellable, prepare_cb, NULL);
  g_task_set_source_tag (task, prepare_body);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_object_set_data (G_OBJECT (task), "generation", GUINT_TO_POINTER (self->generation));
  g_task_run_in_thread (task, prepare_thread);
}

/* Header buttons */

static void clutter_update (GazetteArticleView *self);

static void
update_save_button (GazetteArticleView *self)
{
  gboolean saved = self->row != NULL && gazette_article_get_saved (self->row);
  gboolean saving = self->row != NULL && self->saving_id == gazette_article_get_id (self->row);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.export", self->row != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.save-offline",
                                 self->row != NULL && self->library != NULL && !saved && !saving);
  gtk_button_set_icon_name (self->save_button, saved ? "folder-download-symbolic"
                                                     : "document-save-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button),
                               saved ? _("Saved for Offline Reading")
                                     : saving ? _("Saving for Offline Reading…")
                                              : _("Save for Offline Reading"));
}

static void
update_buttons (GazetteArticleView *self)
{
  gboolean have = self->row != NULL;
  gboolean starred = have && gazette_article_get_starred (self->row);
  gboolean read = have && gazette_article_get_read (self->row);
  const char *url = have ? gazette_article_get_url (self->row) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.toggle-star", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.toggle-read", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.open-in-browser",
                                 url != NULL && (g_str_has_prefix (url, "http://") ||
                                                 g_str_has_prefix (url, "https://")));

  if (self->clutter_actions != NULL)
    clutter_update (self);
  update_save_button (self);
  gtk_button_set_icon_name (self->star_button, starred ? "starred-symbolic"
                                                       : "non-starred-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->star_button),
                               starred ? _("Unstar (S)") : _("Star (S)"));
  gtk_button_set_icon_name (self->read_button, read ? "mail-unread-symbolic"
                                                    : "mail-read-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->read_button),
                               read ? _("Mark as Unread (M)") : _("Mark as Read (M)"));
}

static void
set_flag_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_store_set_flag_finish (GAZETTE_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not change the article: %s", error->message);
}

void
gazette_article_set_flag (GazetteStore       *store,
                          GazetteArticle     *row,
                          GazetteArticleFlag  flag,
                          gboolean            value,
                          GCancellable       *cancellable)
{
  gint64 id;

  g_return_if_fail (GAZETTE_IS_STORE (store));
  g_return_if_fail (GAZETTE_IS_ARTICLE (row));

  id = gazette_article_get_id (row);
  /* The row changes at once; the store follows. */
  switch (flag)
    {
    case GAZETTE_ARTICLE_FLAG_READ:
      gazette_article_set_read (row, value);
      break;
    case GAZETTE_ARTICLE_FLAG_STARRED:
      gazette_article_set_starred (row, value);
      break;
    case GAZETTE_ARTICLE_FLAG_SAVED:
      gazette_article_set_saved (row, value);
      break;
    default:
      break;
    }
  gazette_store_set_flag_async (store, &id, 1, flag, value, cancellable, set_flag_cb, NULL);
}

void
gazette_article_view_toggle_read (GazetteArticleView *self)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_VIEW (self));

  if (self->row == NULL || self->store == NULL)
    return;
  /* Once the reader chose, the view does not mark the article read again on its own. */
  self->marked_id = gazette_article_get_id (self->row);
  gazette_article_set_flag (self->store, self->row, GAZETTE_ARTICLE_FLAG_READ,
                            !gazette_article_get_read (self->row), self->cancellable);
}

void
gazette_article_view_toggle_star (GazetteArticleView *self)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_VIEW (self));

  if (self->row == NULL || self->store == NULL)
    return;
  gazette_article_set_flag (self->store, self->row, GAZETTE_ARTICLE_FLAG_STARRED,
                            !gazette_article_get_starred (self->row), self->cancellable);
}

static gboolean
gazette_article_view_real_open_link (GazetteArticleView *self,
                                     const char         *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

static void
open_uri (GazetteArticleView *self,
          const char         *uri)
{
  gboolean handled = FALSE;

  g_signal_emit (self, signals[SIGNAL_OPEN_LINK], 0, uri, &handled);
}

static void
toggle_star_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gazette_article_view_toggle_star (GAZETTE_ARTICLE_VIEW (widget));
}

static void
toggle_read_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gazette_article_view_toggle_read (GAZETTE_ARTICLE_VIEW (widget));
}

static void
open_in_browser_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (widget);

  if (self->row != NULL && gazette_article_get_url (self->row) != NULL)
    open_uri (self, gazette_article_get_url (self->row));
}

/* Save for Offline: text and images into the library, then shown from there. */

static void reload_article (GazetteArticleView *self);

static void
save_offline_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GazetteArticleView) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = self->saving_id;

  self->saving_id = 0;
  if (!gazette_saver_save_article_finish (GAZETTE_SAVER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: a toast; %s says why, in plain words */
          g_autofree char *message = g_strdup_printf (_("Could not save the article for offline "
                                                        "reading: %s"), error->message);

          g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
        }
      update_buttons (self);
      return;
    }

  if (self->row != NULL && gazette_article_get_id (self->row) == id)
    {
      gazette_article_set_saved (self->row, TRUE);
      reload_article (self);
    }
  update_buttons (self);
}

void
gazette_article_view_save_offline (GazetteArticleView *self)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_VIEW (self));

  if (self->row == NULL || self->library == NULL || self->saving_id != 0)
    return;
  self->saving_id = gazette_article_get_id (self->row);
  update_buttons (self);
  gazette_saver_save_article_async (gazette_library_get_saver (self->library), self->saving_id,
                                    TRUE, self->cancellable, save_offline_cb,
                                    g_object_ref (self));
}

static void
save_offline_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gazette_article_view_save_offline (GAZETTE_ARTICLE_VIEW (widget));
}

/* Export: the shown article as one HTML file (pictures inside) or an EPUB book. */

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GazetteArticleView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gazette_export_finish (GAZETTE_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: a toast; %s says why, in plain words */
      g_autofree char *message = g_strdup_printf (_("Could not export the article: %s"),
                                                  error->message);

      g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
    }
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    gpointer         user_data)
{
  g_autoptr(GazetteArticleView) self = user_data;
  GazetteExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser),
                                                                   "gazette-format"));
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (chooser), "gazette-id"));

  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gazette_export_async (self->store, &id, 1, format, path, self->cancellable, exported_cb,
                              g_object_ref (self));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (widget);
  gboolean epub = g_str_equal (g_variant_get_string (parameter, NULL), "epub");
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *title = self->row != NULL ? gazette_article_get_title (self->row) : NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->row == NULL)
    return;
  chooser = gtk_file_chooser_native_new (epub ? _("Export as EPUB") : _("Export as HTML"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  name = g_strdup_printf ("%s.%s", title != NULL && *title ? title : _("Article"),
                          epub ? "epub" : "html");
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "gazette-format",
                     GINT_TO_POINTER (epub ? GAZETTE_EXPORT_EPUB : GAZETTE_EXPORT_HTML));
  g_object_set_data (G_OBJECT (chooser), "gazette-id",
                     GSIZE_TO_POINTER ((gsize) gazette_article_get_id (self->row)));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Loading */

static void
load_article_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GazetteArticleView) self = user_data;
  g_autoptr(GazetteArticle) article = NULL;
  g_autoptr(GError) error = NULL;

  article = gazette_store_load_article_finish (GAZETTE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (article == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       g_error_matches (error, GAZETTE_ERROR,
                                                        GAZETTE_ERROR_NOT_FOUND)
                                       ? _("The article is no longer in your library.")
                                       : error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  /* The list row knows its source's title; the loaded article may not. */
  if (gazette_article_get_source_title (article) == NULL && self->row != NULL)
    gazette_article_set_source_title (article, gazette_article_get_source_title (self->row));

  g_set_object (&self->article, article);
  prepare_body (self);
}

static void
row_notify_cb (GazetteArticleView *self)
{
  update_buttons (self);
}

static void start_load (GazetteArticleView *self);

/* Loads the shown article again (its stored copy changed). */
static void
reload_article (GazetteArticleView *self)
{
  if (self->row == NULL)
    return;
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->generation++;
  start_load (self);
}

void
gazette_article_view_show (GazetteArticleView *self,
                           GazetteArticle     *row)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_VIEW (self));
  g_return_if_fail (row == NULL || GAZETTE_IS_ARTICLE (row));

  if (row == self->row)
    return;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->generation++;

  if (self->row != NULL)
    g_signal_handlers_disconnect_by_data (self->row, self);
  g_set_object (&self->row, row);
  g_clear_object (&self->article);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->refetched_page, g_free);
  self->shown_id = 0;
  self->marked_id = 0;

  update_buttons (self);
  gazette_enclosure_list_set_article_id (self->enclosures,
                                         row != NULL ? gazette_article_get_id (row) : 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ARTICLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN_ID]);

  if (row == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  g_signal_connect_object (row, "notify::read", G_CALLBACK (row_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "notify::starred", G_CALLBACK (row_notify_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (row, "notify::saved", G_CALLBACK (row_notify_cb), self,
                           G_CONNECT_SWAPPED);
  start_load (self);
}

static void
start_load (GazetteArticleView *self)
{
  if (self->store == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  if (self->cancellable != NULL)
    g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             self->load_cancellable, G_CONNECT_SWAPPED);
  gazette_store_load_article_async (self->store, gazette_article_get_id (self->row),
                                    self->load_cancellable, load_article_cb, g_object_ref (self));
}

GazetteArticle *
gazette_article_view_get_article (GazetteArticleView *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_VIEW (self), NULL);
  return self->row;
}

gint64
gazette_article_view_get_shown_id (GazetteArticleView *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_VIEW (self), 0);
  return self->shown_id;
}

WebKitWebView *
gazette_article_view_get_web_view (GazetteArticleView *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_VIEW (self), NULL);
  return self->web_view;
}

void
gazette_article_view_set_library (GazetteArticleView *self,
                                  GazetteLibrary     *library,
                                  GCancellable       *cancellable)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_VIEW (self));

  g_set_object (&self->library, library);
  g_set_object (&self->store, gazette_library_get_store (library));
  g_set_object (&self->cancellable, cancellable);
  gazette_enclosure_list_set_library (self->enclosures, library);
  gazette_offline_view_setup (self->web_view, self->store);
  update_buttons (self);
}

/* Web view */

static void
load_changed_cb (WebKitWebView      *web_view,
                 WebKitLoadEvent     event,
                 GazetteArticleView *self)
{
  if (event != WEBKIT_LOAD_FINISHED || self->row == NULL || self->article == NULL ||
      self->pending_generation != self->generation)
    return;

  self->shown_id = gazette_article_get_id (self->row);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN_ID]);

  if (self->marked_id != self->shown_id)
    {
      self->marked_id = self->shown_id;
      if (!gazette_article_get_read (self->row) && self->store != NULL)
        gazette_article_set_flag (self->store, self->row, GAZETTE_ARTICLE_FLAG_READ, TRUE,
                                  self->cancellable);
    }

  g_signal_emit (self, signals[SIGNAL_SHOWN], 0, self->row);
}

static gboolean
same_document (const char *base,
               const char *uri)
{
  gsize len;

  if (base == NULL || uri == NULL)
    return FALSE;
  len = strcspn (base, "#");
  return strncmp (base, uri, len) == 0 && (uri[len] == '#' || uri[len] == '\0');
}

static gboolean
is_external (const char *uri)
{
  return uri != NULL && (g_str_has_prefix (uri, "http://") || g_str_has_prefix (uri, "https://") ||
                         g_str_has_prefix (uri, "mailto:"));
}

static gboolean
decide_policy_cb (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  GazetteArticleView       *self)
{
  WebKitNavigationAction *action;
  WebKitNavigationType navigation;
  const char *uri;

  if (type != WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION &&
      type != WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (
             WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  navigation = webkit_navigation_action_get_navigation_type (action);
  uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    {
      webkit_policy_decision_ignore (decision);
      if (is_external (uri))
        open_uri (self, uri);
      return TRUE;
    }

  switch (navigation)
    {
    case WEBKIT_NAVIGATION_TYPE_LINK_CLICKED:
      /* In-page anchors (footnotes) scroll the view; every other link opens in the browser. */
      if (uri != NULL && strchr (uri, '#') != NULL && same_document (self->base_uri, uri))
        {
          webkit_policy_decision_use (decision);
          return TRUE;
        }
      webkit_policy_decision_ignore (decision);
      if (is_external (uri))
        open_uri (self, uri);
      return TRUE;

    case WEBKIT_NAVIGATION_TYPE_OTHER:
      /* Our own webkit_web_view_load_html. */
      if (same_document (self->base_uri, uri) || g_strcmp0 (uri, "about:blank") == 0)
        {
          webkit_policy_decision_use (decision);
          return TRUE;
        }
      webkit_policy_decision_ignore (decision);
      return TRUE;

    case WEBKIT_NAVIGATION_TYPE_FORM_SUBMITTED:
    case WEBKIT_NAVIGATION_TYPE_FORM_RESUBMITTED:
    case WEBKIT_NAVIGATION_TYPE_BACK_FORWARD:
    case WEBKIT_NAVIGATION_TYPE_RELOAD:
    default:
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
}

static gboolean
web_process_terminated_cb (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           GazetteArticleView                *self)
{
  g_warning ("The web process showing articles ended (reason %d)", reason);
  adw_status_page_set_description (self->error_page,
                                   _("The page could not be shown. Select the article again to "
                                     "retry."));
  gtk_stack_set_visible_child_name (self->stack, "error");
  return FALSE;
}

static void clutter_context_menu (GazetteArticleView *self,
                                  WebKitContextMenu  *menu);

static gboolean
context_menu_cb (WebKitWebView       *web_view,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit,
                 GazetteArticleView  *self)
{
  GList *items = webkit_context_menu_get_items (menu);

  /* Reload and back/forward would leave the article; links open in the browser anyway. */
  for (GList *l = items; l != NULL; )
    {
      WebKitContextMenuItem *item = l->data;
      WebKitContextMenuAction action = webkit_context_menu_item_get_stock_action (item);

      l = l->next;
      switch (action)
        {
        case WEBKIT_CONTEXT_MENU_ACTION_RELOAD:
        case WEBKIT_CONTEXT_MENU_ACTION_GO_BACK:
        case WEBKIT_CONTEXT_MENU_ACTION_GO_FORWARD:
        case WEBKIT_CONTEXT_MENU_ACTION_STOP:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_LINK:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_LINK_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_IMAGE_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_OPEN_FRAME_IN_NEW_WINDOW:
        case WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_LINK_TO_DISK:
        case WEBKIT_CONTEXT_MENU_ACTION_DOWNLOAD_IMAGE_TO_DISK:
        case WEBKIT_CONTEXT_MENU_ACTION_INSPECT_ELEMENT:
          webkit_context_menu_remove (menu, item);
          break;
        default:
          break;
        }
    }
  clutter_context_menu (self, menu);
  return FALSE;
}

static void
appearance_changed_cb (GazetteArticleView *self)
{
  render (self);
}

static void
reader_view_changed_cb (GazetteArticleView *self)
{
  /* In a group, turning one button off does not turn the other on. */
  gtk_toggle_button_set_active (self->original_button,
                                !g_settings_get_boolean (self->settings, "reader-view"));

  if (self->article == NULL)
    return;
  self->generation++;
  prepare_body (self);
}

/* Clutter filter controls: the per-site switch in the header's menu, "Hide Blocks Like This"
 * in the context menu, re-rendering when the rules change. */

static void
clutter_rules_changed_cb (GazetteArticleView *self)
{
  if (self->article == NULL)
    return;
  self->generation++;
  prepare_body (self);
}

static void
clutter_compiled_cb (GazetteArticleView *self)
{
  /* The compiled filter applies from the next load of an original page. */
  if (self->article != NULL && self->body_is_page)
    render (self);
}

static void
clutter_update (GazetteArticleView *self)
{
  const char *url = self->row != NULL ? gazette_article_get_url (self->row) : NULL;
  g_autofree char *host = gazette_content_filter_host_for_url (url);
  GAction *toggle = g_action_map_lookup_action (G_ACTION_MAP (self->clutter_actions),
                                                "toggle-site");
  g_autofree char *label = NULL;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (toggle), host != NULL);
  g_simple_action_set_state (G_SIMPLE_ACTION (toggle),
                             g_variant_new_boolean (
                               gazette_content_filter_get_enabled_for (self->content_filter, url)));
  g_menu_remove_all (self->clutter_menu);
  /* Translators: a switch in the article view's menu; %s is a site, "example.com" */
  label = host != NULL ? g_strdup_printf (_("Hide Clutter on %s"), host)
                       : g_strdup (_("Hide Clutter"));
  g_menu_append (self->clutter_menu, label, "clutter.toggle-site");
}

static void
clutter_toggle_site (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GazetteArticleView *self = user_data;
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  gboolean enabled = !g_variant_get_boolean (state);

  if (self->row == NULL)
    return;
  g_simple_action_set_state (action, g_variant_new_boolean (enabled));
  /* The settings change re-renders through the filter's "changed". */
  gazette_content_filter_set_enabled_for (self->content_filter,
                                          gazette_article_get_url (self->row), enabled);
}

static void
add_rule_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_content_filter_add_user_rule_finish (GAZETTE_CONTENT_FILTER (object), result,
                                                    &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("%s", error->message);
}

typedef struct {
  char   *page;          /* the stored page, UTF-8 */
  GBytes *fetched;       /* or the page as fetched now, in its own encoding */
  char   *content_type;
  char   *url;
  char   *block_text;
  gint64  article_id;
  GazetteArticleView *view;   /* held while the page is fetched */
} PickData;

static void
pick_data_free (PickData *data)
{
  g_free (data->page);
  g_clear_pointer (&data->fetched, g_bytes_unref);
  g_free (data->content_type);
  g_free (data->url);
  g_free (data->block_text);
  g_clear_object (&data->view);
  g_free (data);
}

static void
pick_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PickData *data = task_data;
  GError *error = NULL;
  char *rule;

  if (data->page == NULL && data->fetched != NULL)
    data->page = gazette_to_utf8 (g_bytes_get_data (data->fetched, NULL),
                                  g_bytes_get_size (data->fetched), data->content_type, NULL);
  rule = gazette_content_filter_rule_for_block (data->page, data->url, data->block_text, &error);

  if (rule == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rule, g_free);
}

static void
pick_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *rule = g_task_propagate_pointer (G_TASK (result), &error);

  if (rule == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, error->message);
      return;
    }
  g_debug ("Hiding blocks like this: %s", rule);
  {
    PickData *data = g_task_get_task_data (G_TASK (result));

    /* Kept before the rule is added: its "changed" re-renders from this page. */
    if (data->fetched != NULL && self->article != NULL &&
        gazette_article_get_id (self->article) == data->article_id)
      {
        g_free (self->refetched_page);
        self->refetched_page = g_steal_pointer (&data->page);
        self->refetched_id = data->article_id;
      }
  }
  gazette_content_filter_add_user_rule_async (self->content_filter, rule, self->cancellable,
                                              add_rule_cb, NULL);
  {
    g_autofree char *host = gazette_content_filter_host_for_url (self->row != NULL
                                                                 ? gazette_article_get_url (self->row)
                                                                 : NULL);
    /* Translators: a toast after "Hide Blocks Like This"; %s is a site, "example.com" */
    g_autofree char *message = g_strdup_printf (_("Blocks like this are now hidden on %s"),
                                                host != NULL ? host : "");

    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
  }
}

static void
pick_start (GazetteArticleView *self,
            PickData           *data)
{
  g_autoptr(GTask) task = g_task_new (self, self->load_cancellable, pick_cb, NULL);

  g_task_set_source_tag (task, pick_start);
  g_task_set_task_data (task, data, (GDestroyNotify) pick_data_free);
  g_task_run_in_thread (task, pick_thread);
}

/* An article shown from a reader view kept earlier (a full article fetched during a refresh, a
 * saved page) has no page stored with it: the page is fetched again to find the block. */
static void
pick_page_fetched_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PickData *data = user_data;
  g_autoptr(GazetteArticleView) self = g_steal_pointer (&data->view);
  g_autoptr(GazetteFetchResult) page = NULL;
  g_autoptr(GError) error = NULL;

  page = gazette_fetcher_fetch_finish (GAZETTE_FETCHER (object), result, &error);
  if (page == NULL || page->body == NULL || self->article == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: a toast after "Hide Blocks Like This"; %s says why */
          g_autofree char *message = g_strdup_printf (_("Could not load the page to find that "
                                                        "block: %s"), error->message);

          g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
        }
      pick_data_free (data);
      return;
    }
  data->fetched = g_bytes_ref (page->body);
  data->content_type = g_strdup (page->content_type);
  pick_start (self, data);
}

static void
block_text_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GazetteArticleView) self = user_data;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;
  PickData *data;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);
  if (value == NULL || !jsc_value_is_string (value) || self->article == NULL)
    {
      if (error != NULL)
        g_debug ("No block under the pointer: %s", error->message);
      return;
    }

  data = g_new0 (PickData, 1);
  data->url = g_strdup (gazette_article_get_url (self->article));
  data->block_text = jsc_value_to_string (value);
  data->article_id = gazette_article_get_id (self->article);
  if (looks_like_page (gazette_article_get_content (self->article)))
    data->page = g_strdup (gazette_article_get_content (self->article));
  else if (self->library != NULL && data->url != NULL &&
           (g_str_has_prefix (data->url, "http://") || g_str_has_prefix (data->url, "https://")))
    {
      data->view = g_object_ref (self);
      gazette_fetcher_fetch_async (gazette_library_get_fetcher (self->library), data->url, NULL,
                                   self->load_cancellable, pick_page_fetched_cb, data);
      return;
    }
  pick_start (self, data);
}

/* Whether the reader view shows blocks of a page that Hide Blocks Like This can trace: a page
 * extracted now, or a reader view kept from a refresh or a save (the page is fetched again). */
static gboolean
shows_page_blocks (GazetteArticleView *self)
{
  return self->body_is_extracted || self->body_is_stored_reader;
}

void
gazette_article_view_hide_block_at (GazetteArticleView *self,
                                    double              x,
                                    double              y)
{
  g_autofree char *script = NULL;
  char sx[G_ASCII_DTOSTR_BUF_SIZE], sy[G_ASCII_DTOSTR_BUF_SIZE];
  double zoom;

  g_return_if_fail (GAZETTE_IS_ARTICLE_VIEW (self));

  if (self->article == NULL || !shows_page_blocks (self))
    return;
  zoom = webkit_web_view_get_zoom_level (self->web_view);
  g_ascii_dtostr (sx, sizeof sx, x / (zoom > 0 ? zoom : 1));
  g_ascii_dtostr (sy, sizeof sy, y / (zoom > 0 ? zoom : 1));
  /* The nearest block of the article body under the point, by its text: the app finds that
   * text again in the stored page. Runs in a world of its own, apart from the page. */
  script = g_strdup_printf (
    "(function () {"
    "  var blocks = ['P','DIV','SECTION','ASIDE','UL','OL','DL','FIGURE','BLOCKQUOTE','TABLE',"
    "                'H2','H3','H4','H5','H6','LI','PRE','DETAILS'];"
    "  var e = document.elementFromPoint (%s, %s);"
    "  while (e && blocks.indexOf (e.tagName) < 0) e = e.parentElement;"
    "  if (!e || e.classList.contains ('article-body') || !e.closest ('.article-body'))"
    "    return null;"
    "  return e.textContent;"
    "}) ()", sx, sy);
  webkit_web_view_evaluate_javascript (self->web_view, script, -1, "gazette-clutter", NULL,
                                       self->load_cancellable, block_text_cb,
                                       g_object_ref (self));
}

static void
clutter_hide_block (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GazetteArticleView *self = user_data;

  gazette_article_view_hide_block_at (self, self->menu_x, self->menu_y);
}

static void
clutter_motion_cb (GtkEventControllerMotion *controller,
                   double                    x,
                   double                    y,
                   GazetteArticleView       *self)
{
  self->menu_x = x;
  self->menu_y = y;
}

static void
clutter_context_menu (GazetteArticleView *self,
                      WebKitContextMenu  *menu)
{
  const char *url = self->row != NULL ? gazette_article_get_url (self->row) : NULL;
  g_autofree char *host = gazette_content_filter_host_for_url (url);
  g_autofree char *label = NULL;
  GAction *action;

  if (host == NULL || !shows_page_blocks (self) ||
      !g_settings_get_boolean (self->settings, "reader-view"))
    return;
  action = g_action_map_lookup_action (G_ACTION_MAP (self->clutter_actions), "hide-block");
  /* Translators: context menu item in the reader view; %s is a site, "example.com" */
  label = g_strdup_printf (_("Hide Blocks Like This on %s"), host);
  webkit_context_menu_append (menu, webkit_context_menu_item_new_separator ());
  webkit_context_menu_append (menu, webkit_context_menu_item_new_from_gaction (action, label,
                                                                               NULL));
}

static void
clutter_setup (GazetteArticleView *self)
{
  static const GActionEntry entries[] = {
    { "toggle-site", clutter_toggle_site, NULL, "true", NULL },
    { "hide-block", clutter_hide_block, NULL, NULL, NULL },
  };
  GtkWidget *toolbar = gtk_widget_get_parent (GTK_WIDGET (self->browser_button));
  GtkWidget *button;
  GtkEventController *motion;

  self->content_filter = g_object_ref (gazette_content_filter_get_default ());
  g_signal_connect_object (self->content_filter, "changed",
                           G_CALLBACK (clutter_rules_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->content_filter, "notify::compiled",
                           G_CALLBACK (clutter_compiled_cb), self, G_CONNECT_SWAPPED);

  self->clutter_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->clutter_actions), entries,
                                   G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "clutter",
                                  G_ACTION_GROUP (self->clutter_actions));
  g_signal_connect_object (self->content_filter, "changed",
                           G_CALLBACK (clutter_update), self, G_CONNECT_SWAPPED);

  self->clutter_menu = g_menu_new ();
  button = g_object_new (GTK_TYPE_MENU_BUTTON,
                         "icon-name", "view-more-symbolic",
                         "valign", GTK_ALIGN_CENTER,
                         "tooltip-text", _("Article Menu"),
                         "menu-model", self->clutter_menu,
                         NULL);
  gtk_widget_add_css_class (button, "flat");
  gtk_box_append (GTK_BOX (toolbar), button);

  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect_object (motion, "motion", G_CALLBACK (clutter_motion_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->web_view), motion);

  clutter_update (self);
}

static WebKitWebView *
create_web_view (void)
{
  WebKitSettings *settings;
  WebKitWebView *web_view;

  settings = webkit_settings_new ();
  /* Page scripts off; webkit_web_view_evaluate_javascript (ours) still runs. */
  webkit_settings_set_enable_javascript_markup (settings, FALSE);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  webkit_settings_set_allow_file_access_from_file_urls (settings, FALSE);
  webkit_settings_set_allow_universal_access_from_file_urls (settings, FALSE);
  webkit_settings_set_allow_top_navigation_to_data_urls (settings, FALSE);
  webkit_settings_set_enable_html5_local_storage (settings, FALSE);
  webkit_settings_set_enable_html5_database (settings, FALSE);
  webkit_settings_set_enable_page_cache (settings, FALSE);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_enable_webgl (settings, FALSE);
  webkit_settings_set_enable_webaudio (settings, FALSE);
  webkit_settings_set_enable_media_stream (settings, FALSE);
  webkit_settings_set_enable_back_forward_navigation_gestures (settings, FALSE);
  webkit_settings_set_allow_modal_dialogs (settings, FALSE);

  web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW, "settings", settings, NULL);
  g_object_unref (settings);
  return web_view;
}

static void
gazette_article_view_dispose (GObject *object)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (object);
  GtkWidget *child;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->row != NULL)
    g_signal_handlers_disconnect_by_data (self->row, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_ARTICLE_VIEW);
  /* The template's root is not a bound child: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->web_view = NULL;
  g_clear_object (&self->row);
  g_clear_object (&self->article);
  g_clear_object (&self->settings);
  g_clear_object (&self->library);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->content_filter);
  g_clear_object (&self->clutter_actions);
  g_clear_object (&self->clutter_menu);

  G_OBJECT_CLASS (gazette_article_view_parent_class)->dispose (object);
}

static void
gazette_article_view_finalize (GObject *object)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (object);

  g_free (self->body);
  g_free (self->base_uri);
  g_free (self->removed_html);
  g_free (self->page_css);
  g_free (self->refetched_page);

  G_OBJECT_CLASS (gazette_article_view_parent_class)->finalize (object);
}

static void
gazette_article_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ARTICLE:
      g_value_set_object (value, self->row);
      break;
    case PROP_SHOWN_ID:
      g_value_set_int64 (value, self->shown_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_article_view_class_init (GazetteArticleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_article_view_dispose;
  object_class->finalize = gazette_article_view_finalize;
  object_class->get_property = gazette_article_view_get_property;

  properties[PROP_ARTICLE] =
    g_param_spec_object ("article", NULL, NULL, GAZETTE_TYPE_ARTICLE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOWN_ID] =
    g_param_spec_int64 ("shown-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SHOWN] =
    g_signal_new ("shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, GAZETTE_TYPE_ARTICLE);
  /* A message for the user (a toast): a failure, or what an action did. */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_OPEN_LINK] =
    g_signal_new_class_handler ("open-link", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (gazette_article_view_real_open_link),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gazette-article-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, stack);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, error_page);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, web_box);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, reader_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, original_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, star_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, read_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, browser_button);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleView, save_button);

  gtk_widget_class_install_action (widget_class, "view.toggle-star", NULL, toggle_star_action);
  gtk_widget_class_install_action (widget_class, "view.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "view.open-in-browser", NULL,
                                   open_in_browser_action);
  gtk_widget_class_install_action (widget_class, "view.save-offline", NULL, save_offline_action);
  gtk_widget_class_install_action (widget_class, "view.export", "s", export_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gazette-article-view");
}

static void
gazette_article_view_init (GazetteArticleView *self)
{
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  self->web_view = create_web_view ();
  gtk_widget_set_vexpand (GTK_WIDGET (self->web_view), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->web_view), TRUE);
  gtk_box_append (self->web_box, GTK_WIDGET (self->web_view));
  self->enclosures = GAZETTE_ENCLOSURE_LIST (gazette_enclosure_list_new ());
  gtk_box_append (self->web_box, GTK_WIDGET (self->enclosures));
  g_signal_connect_object (self->web_view, "load-changed", G_CALLBACK (load_changed_cb), self, 0);
  g_signal_connect_object (self->web_view, "decide-policy", G_CALLBACK (decide_policy_cb), self,
                           0);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (web_process_terminated_cb), self, 0);
  g_signal_connect_object (self->web_view, "context-menu", G_CALLBACK (context_menu_cb), self, 0);

  g_settings_bind (self->settings, "reader-view", self->reader_button, "active",
                   G_SETTINGS_BIND_DEFAULT);
  gtk_toggle_button_set_active (self->original_button,
                                !gtk_toggle_button_get_active (self->reader_button));
  g_signal_connect_object (self->settings, "changed::reader-view",
                           G_CALLBACK (reader_view_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::reader-font",
                           G_CALLBACK (appearance_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::reader-font-size",
                           G_CALLBACK (appearance_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (appearance_changed_cb), self, G_CONNECT_SWAPPED);

  clutter_setup (self);
  update_buttons (self);
}

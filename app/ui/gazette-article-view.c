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
#include "gazette-error.h"
#include "gazette-extractor.h"
#include "gazette-sanitizer.h"

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
  WebKitWebView  *web_view;

  GSettings      *settings;
  GazetteLibrary *library;
  GazetteStore   *store;
  GCancellable   *cancellable;
  GCancellable   *load_cancellable;

  GazetteArticle *row;        /* the list's object: flags are mirrored on it */
  GazetteArticle *article;    /* loaded, with content */
  char           *body;       /* prepared body for the current mode */
  gboolean        body_is_page;
  char           *base_uri;
  gint64          shown_id;
  gint64          marked_id;  /* auto-marked read once per show, not on each re-render */
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
                                 g_str_has_prefix (lead_image, "http://")) &&
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
  replace_all (page, "{{title}}", title);
  replace_all (page, "{{style}}", css);
  replace_all (page, "{{vars}}", vars);
  replace_all (page, "{{header}}", header);
  replace_all (page, "{{lead}}", lead);
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
  char     *url;
  char     *title;
  gboolean  reader_mode;
  /* out */
  char     *body;
  gboolean  is_page;         /* the body is a whole page shown as the original */
  gboolean  extracted;
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
  g_free (data->url);
  g_free (data->title);
  g_free (data->body);
  g_free (data->lead_image);
  g_free (data->lang);
  g_free (data->dir);
  g_free (data);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;

  if (data->reader_mode && data->reader_html != NULL && *data->reader_html)
    data->body = g_strdup (data->reader_html);
  else if (looks_like_page (data->content))
    {
      if (data->reader_mode)
        {
          GazetteExtractOptions options = { data->url, "text/html; charset=utf-8", FALSE };
          g_autoptr(GazetteArticleContent) content = NULL;
          g_autoptr(GError) error = NULL;

          content = gazette_extract (data->content, strlen (data->content), &options, &error);
          if (content != NULL && content->html != NULL && *content->html)
            {
              data->body = g_strdup (content->html);
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
          data->body = gazette_sanitize_html_fragment (data->content, -1, data->url);
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
  page = gazette_article_view_render_page (self->article, self->body, !self->body_is_page,
                                           font_family (self),
                                           g_settings_get_int (self->settings, "reader-font-size"),
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

  if (data->extracted)
    {
      if (gazette_article_get_lang (self->article) == NULL && data->lang != NULL)
        gazette_article_set_lang (self->article, data->lang);
      if (gazette_article_get_dir (self->article) == NULL && data->dir != NULL)
        gazette_article_set_dir (self->article, data->dir);
      gazette_article_set_reader_html (self->article, data->body);
      /* Kept, so the next time the article opens at once. */
      if (self->store != NULL)
        gazette_store_set_reader_html_async (self->store, gazette_article_get_id (self->article),
                                             data->body, data->lead_image,
                                             gazette_article_get_lang (self->article),
                                             gazette_article_get_dir (self->article),
                                             self->cancellable, set_reader_html_cb, NULL);
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
  data->content = g_strdup (gazette_article_get_content (self->article));
  data->summary = g_strdup (gazette_article_get_summary (self->article));
  data->reader_html = g_strdup (gazette_article_get_reader_html (self->article));
  data->url = g_strdup (gazette_article_get_url (self->article));
  data->title = g_strdup (gazette_article_get_title (self->article));
  data->reader_mode = g_settings_get_boolean (self->settings, "reader-view");

  task = g_task_new (self, self->load_cancellable, prepare_cb, NULL);
  g_task_set_source_tag (task, prepare_body);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_object_set_data (G_OBJECT (task), "generation", GUINT_TO_POINTER (self->generation));
  g_task_run_in_thread (task, prepare_thread);
}

/* Header buttons */

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
  self->shown_id = 0;
  self->marked_id = 0;

  update_buttons (self);
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

  if (self->store == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  if (self->cancellable != NULL)
    g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             self->load_cancellable, G_CONNECT_SWAPPED);
  gazette_store_load_article_async (self->store, gazette_article_get_id (row),
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

  G_OBJECT_CLASS (gazette_article_view_parent_class)->dispose (object);
}

static void
gazette_article_view_finalize (GObject *object)
{
  GazetteArticleView *self = GAZETTE_ARTICLE_VIEW (object);

  g_free (self->body);
  g_free (self->base_uri);

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

  gtk_widget_class_install_action (widget_class, "view.toggle-star", NULL, toggle_star_action);
  gtk_widget_class_install_action (widget_class, "view.toggle-read", NULL, toggle_read_action);
  gtk_widget_class_install_action (widget_class, "view.open-in-browser", NULL,
                                   open_in_browser_action);

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

  update_buttons (self);
}

/* gazette-article-list.c — the list of articles of the selected source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListView recycles a screenful of row widgets, so 100 000 articles scroll smoothly as long
 * as binding a row stays cheap: three labels and an icon, set from properties already loaded.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "gazette-article-list.h"
#include "gazette-store-offline.h"

struct _GazetteArticleList
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  GtkListView         *list_view;
  AdwStatusPage       *empty_page;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;

  GazetteArticleModel *model;
  GtkSingleSelection  *selection;
  GazetteLibrary      *library;
  GazetteStore        *store;
  GCancellable        *cancellable;
  GCancellable        *load_cancellable;
  GazetteArticleFilter filter;
  GazetteArticle      *selected;
  GHashTable          *bound_items;   /* GtkListItem* showing a row now */
  guint                reload_idle;
  guint                clock_source;
  gboolean             loading;
  gboolean             filter_set;

  /* Search: while search_text is set, the rows are the hits in the filter's scope. */
  char                *search_text;
  GHashTable          *snippets;      /* article id (gint64*) → SearchMarkup */
};

G_DEFINE_FINAL_TYPE (GazetteArticleList, gazette_article_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_ARTICLE,
  PROP_LOADING,
  N_PROPS
};

enum {
  SIGNAL_LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GtkWidget *
gazette_article_list_new (void)
{
  return g_object_new (GAZETTE_TYPE_ARTICLE_LIST, NULL);
}

char *
gazette_format_date (GDateTime  *when,
                     const char *format)
{
  g_autofree char *text = NULL;
  const char *start, *end;

  g_return_val_if_fail (when != NULL && format != NULL, NULL);

  text = g_date_time_format (when, format);
  if (text == NULL)
    text = g_date_time_format (when, "%x");
  if (text == NULL)
    return g_strdup ("");

  /* %e pads days 1 to 9 with a figure space (U+2007), which g_strstrip() keeps. */
  start = text;
  while (*start && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

char *
gazette_format_relative_date (gint64     unix_time,
                              GDateTime *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) today = NULL;
  GTimeSpan span;
  gint64 days;

  if (unix_time <= 0)
    return g_strdup ("");

  if (now == NULL)
    now = local_now = g_date_time_new_now_local ();
  when = g_date_time_new_from_unix_local (unix_time);
  if (when == NULL)
    return g_strdup ("");

  span = g_date_time_difference (now, when);
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (span < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (span / G_TIME_SPAN_MINUTE);
      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", minutes), minutes);
    }
  if (span < 12 * G_TIME_SPAN_HOUR)
    {
      int hours = (int) (span / G_TIME_SPAN_HOUR);
      return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", hours), hours);
    }

  /* Beyond a few hours, count calendar days: 23:50 yesterday is "Yesterday". */
  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);
  if (g_date_time_compare (when, today) >= 0)
    {
      int hours = (int) (span / G_TIME_SPAN_HOUR);
      return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", hours), hours);
    }

  days = 1 + g_date_time_difference (today, when) / G_TIME_SPAN_DAY;
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (days < 7)
    return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (int) days), (int) days);
  if (g_date_time_get_year (when) == g_date_time_get_year (now))
    /* Translators: a date in this year in the article list, see strftime(3) and
     * g_date_time_format(); %B is the month's name as it follows a day (genitive in many
     * languages), %OB the name standing alone, %-d the day without padding. */
    return gazette_format_date (when, _("%e %B"));
  /* Translators: a date in another year in the article list, see strftime(3) */
  return gazette_format_date (when, _("%e %B %Y"));
}

/* Rows */

typedef struct {
  GtkLabel  *title;
  GtkLabel  *meta;
  GtkLabel  *snippet;
  GtkWidget *star;
  GazetteArticleList *list;   /* unowned: the list outlives its rows */
} RowWidgets;

typedef struct {
  char *title;     /* Pango markup, escaped, matches in <b> */
  char *snippet;
} SearchMarkup;

static void
search_markup_free (SearchMarkup *markup)
{
  g_free (markup->title);
  g_free (markup->snippet);
  g_free (markup);
}

static gboolean
star_tooltip_cb (GtkWidget  *star,
                 int         x,
                 int         y,
                 gboolean    keyboard,
                 GtkTooltip *tooltip,
                 gpointer    user_data)
{
  /* Translators: tooltip of the star shown in a row of the article list */
  gtk_tooltip_set_text (tooltip, _("Starred"));
  return TRUE;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box, *line, *title, *meta, *star;
  RowWidgets *widgets = g_new0 (RowWidgets, 1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (box, "gazette-article-row");

  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (title), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 60);
  gtk_box_append (GTK_BOX (box), title);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  meta = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (meta, TRUE);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_add_css_class (meta, "caption");
  gtk_box_append (GTK_BOX (line), meta);

  star = gtk_image_new_from_icon_name ("starred-symbolic");
  gtk_widget_add_css_class (star, "gazette-star");
  /* Its tooltip is asked for when shown: setting one on each new row asks the display where
   * the pointer is, a round trip per row while a long list fills. */
  gtk_widget_set_has_tooltip (star, TRUE);
  g_signal_connect (star, "query-tooltip", G_CALLBACK (star_tooltip_cb), NULL);
  /* Translators: tooltip of the star shown in a row of the article list */
  gtk_accessible_update_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Starred"), -1);
  gtk_box_append (GTK_BOX (line), star);
  gtk_box_append (GTK_BOX (box), line);

  /* Search hits: a few words around the match. */
  widgets->snippet = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (widgets->snippet, 0);
  gtk_label_set_wrap (widgets->snippet, TRUE);
  gtk_label_set_wrap_mode (widgets->snippet, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (widgets->snippet, 3);
  gtk_label_set_ellipsize (widgets->snippet, PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (widgets->snippet, 20);
  gtk_label_set_max_width_chars (widgets->snippet, 60);
  gtk_widget_add_css_class (GTK_WIDGET (widgets->snippet), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (widgets->snippet), "gazette-search-snippet");
  gtk_widget_set_visible (GTK_WIDGET (widgets->snippet), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (widgets->snippet));

  widgets->list = user_data;
  widgets->title = GTK_LABEL (title);
  widgets->meta = GTK_LABEL (meta);
  widgets->star = star;
  g_object_set_data_full (G_OBJECT (item), "gazette-row", widgets, g_free);
  gtk_list_item_set_child (item, box);
}

static SearchMarkup *
row_search_markup (GazetteArticleList *list,
                   GazetteArticle     *article)
{
  gint64 id;

  if (list == NULL || list->search_text == NULL || list->snippets == NULL)
    return NULL;
  id = gazette_article_get_id (article);
  return g_hash_table_lookup (list->snippets, &id);
}

static void
update_row (GazetteArticle *article,
            GParamSpec     *pspec,
            GtkListItem    *item)
{
  RowWidgets *widgets = g_object_get_data (G_OBJECT (item), "gazette-row");
  g_autofree char *date = NULL;
  g_autofree char *meta = NULL;
  const char *title = gazette_article_get_title (article);
  const char *source_title = gazette_article_get_source_title (article);

  if (pspec == NULL || g_str_equal (pspec->name, "title"))
    {
      SearchMarkup *markup = row_search_markup (widgets->list, article);

      if (markup != NULL && markup->title != NULL && *markup->title)
        gtk_label_set_markup (widgets->title, markup->title);
      else
        gtk_label_set_text (widgets->title, title != NULL && *title ? title : _("Untitled"));
      gtk_label_set_markup (widgets->snippet, markup != NULL && markup->snippet != NULL
                                                ? markup->snippet : "");
      gtk_widget_set_visible (GTK_WIDGET (widgets->snippet),
                              markup != NULL && markup->snippet != NULL && *markup->snippet);
    }

  if (pspec == NULL || g_str_equal (pspec->name, "read"))
    {
      if (gazette_article_get_read (article))
        gtk_widget_remove_css_class (GTK_WIDGET (widgets->title), "gazette-unread");
      else
        gtk_widget_add_css_class (GTK_WIDGET (widgets->title), "gazette-unread");
    }

  if (pspec == NULL || g_str_equal (pspec->name, "starred"))
    gtk_widget_set_visible (widgets->star, gazette_article_get_starred (article));

  if (pspec == NULL || g_str_equal (pspec->name, "published") ||
      g_str_equal (pspec->name, "source-title"))
    {
      date = gazette_format_relative_date (gazette_article_get_published (article), NULL);
      if (source_title != NULL && *source_title && *date)
        /* Translators: source title · relative date in the article list */
        meta = g_strdup_printf (_("%s · %s"), source_title, date);
      else
        meta = g_strdup (source_title != NULL && *source_title ? source_title : date);
      gtk_label_set_text (widgets->meta, meta);
    }
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             GazetteArticleList       *self)
{
  GazetteArticle *article = gtk_list_item_get_item (item);

  update_row (article, NULL, item);
  g_signal_connect (article, "notify", G_CALLBACK (update_row), item);
  g_hash_table_add (self->bound_items, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               GazetteArticleList       *self)
{
  GazetteArticle *article = gtk_list_item_get_item (item);

  if (article != NULL)
    g_signal_handlers_disconnect_by_func (article, update_row, item);
  g_hash_table_remove (self->bound_items, item);
}

/* "5 minutes ago" ages: once a minute, the rows on screen (a few dozen) say it again. */
static gboolean
clock_cb (gpointer user_data)
{
  GazetteArticleList *self = user_data;
  GHashTableIter iter;
  GtkListItem *item;

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, (gpointer *) &item, NULL))
    {
      GazetteArticle *article = gtk_list_item_get_item (item);

      if (article != NULL)
        update_row (article, NULL, item);
    }
  return G_SOURCE_CONTINUE;
}

/* Loading */

static void
update_empty_page (GazetteArticleList *self)
{
  gboolean unread = self->filter.kind == GAZETTE_ARTICLE_FILTER_UNREAD || self->filter.unread_only;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  if (self->loading && !self->filter_set)
    return;

  if (self->search_text != NULL)
    {
      adw_status_page_set_title (self->empty_page, _("No Results"));
      adw_status_page_set_description (self->empty_page,
                                       _("No article here has all these words."));
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
    }
  else if (unread)
    {
      adw_status_page_set_title (self->empty_page, _("No Unread Articles"));
      adw_status_page_set_description (self->empty_page, _("You are all caught up."));
      adw_status_page_set_icon_name (self->empty_page, "object-select-symbolic");
    }
  else if (self->filter.kind == GAZETTE_ARTICLE_FILTER_STARRED)
    {
      adw_status_page_set_title (self->empty_page, _("No Starred Articles"));
      adw_status_page_set_description (self->empty_page,
                                       _("Press S on an article to star it for later."));
      adw_status_page_set_icon_name (self->empty_page, "non-starred-symbolic");
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Articles"));
      adw_status_page_set_description (self->empty_page, NULL);
      adw_status_page_set_icon_name (self->empty_page, "view-list-symbolic");
    }
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
set_loading (GazetteArticleList *self,
             gboolean            loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
apply_articles (GazetteArticleList *self,
                GPtrArray          *articles)
{
  gint64 keep_id;

  g_clear_object (&self->load_cancellable);

  /* The article being read stays listed while it no longer matches a flag filter (read in
   * Unread, unstarred in Starred); in the other lists, gone means removed. */
  keep_id = 0;
  if (self->selected != NULL &&
      (self->filter.unread_only || self->filter.kind == GAZETTE_ARTICLE_FILTER_UNREAD ||
       self->filter.kind == GAZETTE_ARTICLE_FILTER_STARRED ||
       self->filter.kind == GAZETTE_ARTICLE_FILTER_SAVED))
    keep_id = gazette_article_get_id (self->selected);
  gazette_article_model_replace (self->model, articles, keep_id);

  if (self->selected != NULL)
    {
      guint position = gazette_article_model_find (self->model, keep_id);

      if (position != G_MAXUINT &&
          gtk_single_selection_get_selected (self->selection) != position)
        gtk_single_selection_set_selected (self->selection, position);
    }

  set_loading (self, FALSE);
  update_empty_page (self);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

static void
free_articles (gpointer articles,
               gpointer user_data)
{
  g_ptr_array_unref (articles);
}

static gpointer
create_free_pool (gpointer data)
{
  return g_thread_pool_new (free_articles, NULL, 1, FALSE, NULL);
}

/* A reload of a long list gets every row again, most of them copies of rows the model keeps:
 * freeing twenty thousand of them takes the main loop away for tens of milliseconds. */
static void
free_in_background (GPtrArray *articles)
{
  static GOnce once = G_ONCE_INIT;

  if (articles == NULL)
    return;
  g_once (&once, create_free_pool, NULL);
  g_thread_pool_push (once.retval, articles, NULL);
}

static void
list_articles_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GazetteArticleList) self = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = gazette_store_list_articles_finish (GAZETTE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Could not list the articles: %s", error->message);
  apply_articles (self, articles);
  free_in_background (g_steal_pointer (&articles));
}

/* A list opened from empty shows its first screenful before the whole list is read: with a
 * large library that is most of the wait. */
#define HEAD_ROWS 100

static void
list_head_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GazetteArticleList) self = user_data;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = gazette_store_list_articles_finish (GAZETTE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (articles == NULL || articles->len < HEAD_ROWS)
    {
      /* That was all of it. */
      if (error != NULL)
        g_warning ("Could not list the articles: %s", error->message);
      apply_articles (self, articles);
      return;
    }

  gazette_article_model_replace (self->model, articles, 0);
  update_empty_page (self);
  gazette_store_list_articles_async (self->store, &self->filter, self->load_cancellable,
                                     list_articles_cb, g_object_ref (self));
}

/* Search ------------------------------------------------------------------------------------ */

#define SEARCH_LIMIT 100

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GazetteArticleList) self = user_data;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  hits = gazette_store_search_finish (GAZETTE_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Could not search the articles: %s", error->message);
  g_clear_object (&self->load_cancellable);

  g_hash_table_remove_all (self->snippets);
  for (guint i = 0; hits != NULL && i < hits->len; i++)
    {
      GazetteSearchHit *hit = g_ptr_array_index (hits, i);
      SearchMarkup *markup = g_new0 (SearchMarkup, 1);
      gint64 *id = g_new (gint64, 1);

      *id = gazette_article_get_id (hit->article);
      markup->title = gazette_search_marked_to_markup (hit->title);
      markup->snippet = gazette_search_marked_to_markup (hit->snippet);
      g_hash_table_insert (self->snippets, id, markup);
      g_ptr_array_add (articles, g_object_ref (hit->article));
    }

  /* Ranked, not dated: the model takes the hits' order. A new query starts from an empty model
   * (set_search_text), so its rows bind afresh with the new highlights; a reload of the same
   * query (an article was read) keeps the one being read. */
  {
    gint64 keep_id = self->selected != NULL ? gazette_article_get_id (self->selected) : 0;

    gazette_article_model_replace (self->model, articles, keep_id);
    if (keep_id > 0)
      {
        guint position = gazette_article_model_find (self->model, keep_id);

        if (position != G_MAXUINT &&
            gtk_single_selection_get_selected (self->selection) != position)
          gtk_single_selection_set_selected (self->selection, position);
      }
  }

  set_loading (self, FALSE);
  update_empty_page (self);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
}

static void
set_search_text (GazetteArticleList *self,
                 const char         *text)
{
  g_autofree char *query = gazette_search_build_query (text);
  const char *new_text = query != NULL ? text : NULL;

  if (g_strcmp0 (self->search_text, new_text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_strdup (new_text);
  g_hash_table_remove_all (self->snippets);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gazette_article_model_clear (self->model);
  gazette_article_list_reload (self);
}

static void
search_changed_cb (GazetteArticleList *self)
{
  set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_activate_cb (GazetteArticleList *self)
{
  /* Enter opens the best hit. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gazette_article_list_select (self, 0);
}

static void
search_stop_cb (GazetteArticleList *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
search_mode_cb (GazetteArticleList *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      set_search_text (self, NULL);
    }
}

void
gazette_article_list_start_search (GazetteArticleList *self)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_LIST (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
gazette_article_list_set_search_text (GazetteArticleList *self,
                                      const char         *text)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_LIST (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  set_search_text (self, text);
}

const char *
gazette_article_list_get_search_text (GazetteArticleList *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_LIST (self), NULL);
  return self->search_text;
}

void
gazette_article_list_reload (GazetteArticleList *self)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_LIST (self));

  g_clear_handle_id (&self->reload_idle, g_source_remove);

  if (self->store == NULL || !self->filter_set)
    return;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  if (self->cancellable != NULL)
    g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             self->load_cancellable, G_CONNECT_SWAPPED);

  set_loading (self, TRUE);
  if (self->search_text != NULL)
    gazette_store_search_async (self->store, self->search_text, &self->filter, SEARCH_LIMIT,
                                self->load_cancellable, search_cb, g_object_ref (self));
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    gazette_store_list_articles_head_async (self->store, &self->filter, HEAD_ROWS,
                                            self->load_cancellable, list_head_cb,
                                            g_object_ref (self));
  else
    gazette_store_list_articles_async (self->store, &self->filter, self->load_cancellable,
                                       list_articles_cb, g_object_ref (self));
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  GazetteArticleList *self = user_data;

  self->reload_idle = 0;
  gazette_article_list_reload (self);
  return G_SOURCE_REMOVE;
}

static void
articles_changed_cb (GazetteArticleList *self,
                     gint64              source_id)
{
  /* Another source's articles changed: this list is not concerned. */
  if (source_id > 0 && self->filter.kind == GAZETTE_ARTICLE_FILTER_SOURCE &&
      self->filter.source_id != source_id)
    return;

  /* Coalesces the bursts a refresh emits. While a refresh runs, a reload every two seconds is
   * enough: each one lists every article of the list on the store's thread, where the refresh's
   * merges queue. */
  if (self->reload_idle == 0)
    self->reload_idle = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                            self->library != NULL &&
                                            gazette_library_get_refreshing (self->library)
                                              ? 2000 : 150,
                                            reload_idle_cb, self, NULL);
}

static void
sources_changed_cb (GazetteArticleList *self)
{
  /* A renamed source changes the rows' source titles; a removed one takes its rows. */
  articles_changed_cb (self, 0);
}

void
gazette_article_list_set_library (GazetteArticleList *self,
                                  GazetteLibrary     *library,
                                  GCancellable       *cancellable)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_LIST (self));
  g_return_if_fail (GAZETTE_IS_LIBRARY (library));

  g_set_object (&self->library, library);
  g_set_object (&self->cancellable, cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, gazette_library_get_store (library));
  g_signal_connect_object (self->store, "articles-changed", G_CALLBACK (articles_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "sources-changed", G_CALLBACK (sources_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

void
gazette_article_list_set_filter (GazetteArticleList         *self,
                                 const GazetteArticleFilter *filter)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_LIST (self));
  g_return_if_fail (filter != NULL);

  if (self->filter_set && self->filter.kind == filter->kind &&
      self->filter.source_id == filter->source_id &&
      self->filter.unread_only == filter->unread_only)
    return;

  self->filter = *filter;
  self->filter_set = TRUE;

  /* Another source: start from an empty list rather than diffing unrelated rows. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gazette_article_model_clear (self->model);
  gazette_article_list_reload (self);
}

void
gazette_article_list_get_filter (GazetteArticleList   *self,
                                 GazetteArticleFilter *filter)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_LIST (self));
  *filter = self->filter;
}

GazetteArticleModel *
gazette_article_list_get_model (GazetteArticleList *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_LIST (self), NULL);
  return self->model;
}

GazetteArticle *
gazette_article_list_get_selected (GazetteArticleList *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_LIST (self), NULL);
  return self->selected;
}

gboolean
gazette_article_list_get_loading (GazetteArticleList *self)
{
  g_return_val_if_fail (GAZETTE_IS_ARTICLE_LIST (self), FALSE);
  return self->loading;
}

void
gazette_article_list_select (GazetteArticleList *self,
                             guint               position)
{
  g_return_if_fail (GAZETTE_IS_ARTICLE_LIST (self));

  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return;

  gtk_single_selection_set_selected (self->selection, position);
  /* The first row of a list at its top is in view. GTK 4.8's list view pins a row scrolled to
   * and, when a reload then inserts thousands of rows around it, shows nothing at all. */
  if (position == 0)
    {
      GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

      if (adjustment == NULL || gtk_adjustment_get_value (adjustment) <= 0.0)
        return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

gboolean
gazette_article_list_move (GazetteArticleList *self,
                           int                 delta)
{
  guint n, position;
  gint64 target;

  g_return_val_if_fail (GAZETTE_IS_ARTICLE_LIST (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  if (n == 0)
    return FALSE;

  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    target = delta > 0 ? 0 : (gint64) n - 1;
  else
    target = (gint64) position + delta;

  if (target < 0 || target >= n)
    return FALSE;

  gazette_article_list_select (self, (guint) target);
  return TRUE;
}

static void
selection_changed_cb (GazetteArticleList *self)
{
  GazetteArticle *article = gtk_single_selection_get_selected_item (self->selection);

  if (article == self->selected)
    return;

  g_set_object (&self->selected, article);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ARTICLE]);
}

static void
gazette_article_list_dispose (GObject *object)
{
  GazetteArticleList *self = GAZETTE_ARTICLE_LIST (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAZETTE_TYPE_ARTICLE_LIST);
  /* The template's root is not a bound child: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->selected);
  g_clear_object (&self->store);
  g_clear_object (&self->library);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gazette_article_list_parent_class)->dispose (object);
}

static void
gazette_article_list_finalize (GObject *object)
{
  GazetteArticleList *self = GAZETTE_ARTICLE_LIST (object);

  g_clear_pointer (&self->bound_items, g_hash_table_unref);
  g_clear_pointer (&self->snippets, g_hash_table_unref);
  g_free (self->search_text);

  G_OBJECT_CLASS (gazette_article_list_parent_class)->finalize (object);
}

static void
gazette_article_list_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GazetteArticleList *self = GAZETTE_ARTICLE_LIST (object);

  switch (prop_id)
    {
    case PROP_SELECTED_ARTICLE:
      g_value_set_object (value, self->selected);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_article_list_class_init (GazetteArticleListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gazette_article_list_dispose;
  object_class->finalize = gazette_article_list_finalize;
  object_class->get_property = gazette_article_list_get_property;

  properties[PROP_SELECTED_ARTICLE] =
    g_param_spec_object ("selected-article", NULL, NULL, GAZETTE_TYPE_ARTICLE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gazette-article-list.ui");
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleList, stack);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleList, list_view);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleList, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleList, search_bar);
  gtk_widget_class_bind_template_child (widget_class, GazetteArticleList, search_entry);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gazette-article-list");
}

static void
gazette_article_list_init (GazetteArticleList *self)
{
  GtkListItemFactory *factory;

  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_items = g_hash_table_new (NULL, NULL);
  self->snippets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) search_markup_free);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_cb), self, G_CONNECT_SWAPPED);
  self->clock_source = g_timeout_add_seconds (60, clock_cb, self);
  self->model = gazette_article_model_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

/* gazette-content-filter.c — the clutter filter's rules for the app: the user's list, the
 * per-site switch, and WebKit content filters for the original view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader view runs the clutter filter on the page itself (app/reader). The original view
 * is a page WebKit renders: there the same rules become a WebKit content filter
 * ("css-display-none" actions, compiled once and kept in the cache by a hash of the rules, so a
 * start with unchanged rules only loads it) plus a user style sheet with the site's own rules,
 * which works at once while the filter compiles. Everything slow (building the rules, EasyList
 * among them; compiling) happens off the main thread or inside WebKit.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libxml/HTMLparser.h>

#include "gazette-content-filter.h"
#include "gazette-content-rules.h"
#include "gazette-error.h"

#define IDENTIFIER_PREFIX "gazette-rules-"

struct _GazetteContentFilter
{
  GObject                       parent_instance;

  GSettings                    *settings;
  char                         *rules_path;
  char                         *store_dir;
  WebKitUserContentFilterStore *store;
  GCancellable                 *cancellable;

  GazetteFilterRules           *rules;       /* NULL until built */
  char                         *user_rules;
  GPtrArray                    *warnings;    /* of char* */
  guint                         n_rules;
  gboolean                      easylist_found;
  gboolean                      loaded;
  guint                         build_serial;

  gboolean                      no_store;    /* its folder cannot be made */
  WebKitUserContentFilter      *compiled;
  char                         *identifier;  /* of @compiled, or being compiled */
};

G_DEFINE_FINAL_TYPE (GazetteContentFilter, gazette_content_filter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_COMPILED,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GazetteContentFilter *default_filter;

/* Rules */

GazetteFilterRules *
gazette_content_filter_ref_rules (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), NULL);

  /* Before the user's list is read, the defaults alone. */
  if (self->rules == NULL)
    return gazette_filter_rules_new (NULL);
  return gazette_filter_rules_ref (self->rules);
}

/* Sites */

char *
gazette_content_filter_host_for_url (const char *url)
{
  return gazette_filter_host_for_url (url);
}

gboolean
gazette_content_filter_get_enabled_for (GazetteContentFilter *self,
                                        const char           *url)
{
  g_auto(GStrv) sites = NULL;

  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), TRUE);

  sites = g_settings_get_strv (self->settings, "filter-disabled-sites");
  return !gazette_filter_sites_contain ((const char * const *) sites, url);
}

void
gazette_content_filter_set_enabled_for (GazetteContentFilter *self,
                                        const char           *url,
                                        gboolean              enabled)
{
  g_autofree char *host = gazette_content_filter_host_for_url (url);
  g_auto(GStrv) sites = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  g_return_if_fail (GAZETTE_IS_CONTENT_FILTER (self));

  if (host == NULL)
    return;
  sites = g_settings_get_strv (self->settings, "filter-disabled-sites");
  for (guint i = 0; sites[i] != NULL; i++)
    {
      const char *one[] = { sites[i], NULL };

      /* Turning a site on also turns on the parents that covered it. */
      if (enabled ? gazette_filter_sites_contain (one, host) : g_str_equal (host, sites[i]))
        continue;
      g_strv_builder_add (builder, sites[i]);
    }
  if (!enabled)
    g_strv_builder_add (builder, host);
  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "filter-disabled-sites", (const char * const *) result);
}

static void
disabled_sites_changed_cb (GazetteContentFilter *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Compiling */

static void
set_compiled (GazetteContentFilter    *self,
              WebKitUserContentFilter *compiled)
{
  if (self->compiled == compiled)
    return;
  g_clear_pointer (&self->compiled, webkit_user_content_filter_unref);
  self->compiled = compiled != NULL ? webkit_user_content_filter_ref (compiled) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPILED]);
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!webkit_user_content_filter_store_remove_finish (WEBKIT_USER_CONTENT_FILTER_STORE (object),
                                                       result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not remove an old content filter: %s", error->message);
}

/* Filters compiled from earlier rules are of no more use. */
static void
fetch_identifiers_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GazetteContentFilter) self = user_data;
  WebKitUserContentFilterStore *store = WEBKIT_USER_CONTENT_FILTER_STORE (object);
  g_auto(GStrv) identifiers = webkit_user_content_filter_store_fetch_identifiers_finish (store,
                                                                                       result);

  for (guint i = 0; identifiers != NULL && identifiers[i] != NULL; i++)
    if (g_str_has_prefix (identifiers[i], IDENTIFIER_PREFIX) &&
        g_strcmp0 (identifiers[i], self->identifier) != 0)
      webkit_user_content_filter_store_remove (store, identifiers[i], self->cancellable,
                                               remove_cb, NULL);
}

static void
remove_old_filters (GazetteContentFilter *self)
{
  webkit_user_content_filter_store_fetch_identifiers (self->store, self->cancellable,
                                                      fetch_identifiers_cb, g_object_ref (self));
}

typedef struct {
  GazetteContentFilter *self;
  char                 *identifier;
  GBytes               *json;
  gint64                start;
} CompileData;

static void
compile_data_free (CompileData *data)
{
  g_object_unref (data->self);
  g_free (data->identifier);
  g_bytes_unref (data->json);
  g_free (data);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CompileData *data = user_data;
  GazetteContentFilter *self = data->self;
  WebKitUserContentFilterStore *store = WEBKIT_USER_CONTENT_FILTER_STORE (object);
  g_autoptr(WebKitUserContentFilter) compiled = NULL;
  g_autoptr(GError) error = NULL;

  compiled = webkit_user_content_filter_store_save_finish (store, result, &error);
  if (compiled == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not compile the clutter filter for the original view: %s",
                   error->message);
    }
  else
    {
      if (g_strcmp0 (data->identifier, self->identifier) == 0)
        {
          g_debug ("Content filter %s compiled in %.0f ms", data->identifier,
                   (g_get_monotonic_time () - data->start) / 1000.0);
          set_compiled (self, compiled);
        }
      /* Also when the rules changed while this one compiled: it is stale, and was written after
       * the clean-up of the current one may have run. */
      remove_old_filters (self);
    }
  compile_data_free (data);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CompileData *data = user_data;
  GazetteContentFilter *self = data->self;
  WebKitUserContentFilterStore *store = WEBKIT_USER_CONTENT_FILTER_STORE (object);
  g_autoptr(WebKitUserContentFilter) compiled = NULL;
  g_autoptr(GError) error = NULL;

  compiled = webkit_user_content_filter_store_load_finish (store, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_strcmp0 (data->identifier, self->identifier) != 0)
    {
      compile_data_free (data);
      return;
    }
  if (compiled != NULL)
    {
      g_debug ("Content filter %s loaded from the cache in %.0f ms", data->identifier,
               (g_get_monotonic_time () - data->start) / 1000.0);
      set_compiled (self, compiled);
      remove_old_filters (self);
      compile_data_free (data);
      return;
    }

  /* Not compiled yet for these rules. */
  data->start = g_get_monotonic_time ();
  webkit_user_content_filter_store_save (self->store, data->identifier, data->json,
                                         self->cancellable, save_cb, data);
}

static void
compile (GazetteContentFilter *self,
         const char           *json)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, json, -1);
  g_autofree char *identifier = g_strconcat (IDENTIFIER_PREFIX, hash, NULL);
  CompileData *data;

  if (g_strcmp0 (identifier, self->identifier) == 0 || self->no_store)
    return;
  g_free (self->identifier);
  self->identifier = g_steal_pointer (&identifier);

  if (self->store == NULL)
    self->store = webkit_user_content_filter_store_new (self->store_dir);

  data = g_new0 (CompileData, 1);
  data->self = g_object_ref (self);
  data->identifier = g_strdup (self->identifier);
  data->json = g_bytes_new (json, strlen (json));
  data->start = g_get_monotonic_time ();
  webkit_user_content_filter_store_load (self->store, data->identifier, self->cancellable,
                                         load_cb, data);
}

/* Building the rules */

typedef struct {
  char                 *user_rules;
  guint                 serial;
  /* out */
  GazetteContentRules  *rules;
  GPtrArray            *warnings;
  char                 *json;
  guint                 n_rules;
  gboolean              easylist_found;
} BuildData;

static void
build_data_free (BuildData *data)
{
  g_free (data->user_rules);
  gazette_content_rules_free (data->rules);
  g_clear_pointer (&data->warnings, g_ptr_array_unref);
  g_free (data->json);
  g_free (data);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *data = task_data;
  gint64 start = g_get_monotonic_time ();
  gint64 built;

  data->warnings = g_ptr_array_new_with_free_func (g_free);
  data->rules = gazette_content_rules_new (data->user_rules, data->warnings);
  built = g_get_monotonic_time ();
  data->json = gazette_content_rules_to_webkit_json (data->rules);
  data->n_rules = gazette_content_rules_get_n_rules (data->rules);
  data->easylist_found = gazette_content_rules_get_easylist_found (data->rules);
  g_debug ("Content rules: %u rules (EasyList %s) read in %.1f ms, %zu bytes of JSON in %.1f ms",
           data->n_rules, data->easylist_found ? "found" : "not found",
           (built - start) / 1000.0, strlen (data->json),
           (g_get_monotonic_time () - built) / 1000.0);
  g_task_return_boolean (task, TRUE);
}

static void
build_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GazetteContentFilter *self = GAZETTE_CONTENT_FILTER (object);
  BuildData *data = g_task_get_task_data (G_TASK (result));
  GTask *caller = user_data;
  GazetteFilterRules *rules;

  if (data->serial == self->build_serial && !g_cancellable_is_cancelled (self->cancellable))
    {
      rules = gazette_filter_rules_new (g_steal_pointer (&data->rules));
      gazette_filter_rules_unref (self->rules);
      self->rules = rules;

      g_clear_pointer (&self->warnings, g_ptr_array_unref);
      self->warnings = g_steal_pointer (&data->warnings);
      self->n_rules = data->n_rules;
      self->easylist_found = data->easylist_found;
      if (!self->loaded)
        {
          self->loaded = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
        }
      compile (self, data->json);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }

  if (caller != NULL)
    {
      g_task_return_boolean (caller, TRUE);
      g_object_unref (caller);
    }
}

/* Rebuilds the rules from self->user_rules; @caller (owned) returns when they are in use. */
static void
rebuild (GazetteContentFilter *self,
         GTask                *caller)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, build_cb, caller);
  BuildData *data = g_new0 (BuildData, 1);

  data->user_rules = g_strdup (self->user_rules);
  data->serial = ++self->build_serial;
  g_task_set_source_tag (task, rebuild);
  g_task_set_task_data (task, data, (GDestroyNotify) build_data_free);
  g_task_run_in_thread (task, build_thread);
}

/* The user's list */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GazetteContentFilter *self = source_object;
  const char *path = task_data;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  /* The folders must exist for saving the list and the compiled filters later. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("Could not create %s: %s", dir, g_strerror (errno));
  if (g_mkdir_with_parents (self->store_dir, 0700) != 0)
    {
      /* Then the original view makes do with the style sheet of the site's rules. */
      g_debug ("Could not create %s: %s; no content filter", self->store_dir, g_strerror (errno));
      self->no_store = TRUE;
    }
  if (!g_file_get_contents (path, &text, NULL, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("Could not read your filter list %s: %s", path, error->message);
  g_task_return_pointer (task, g_steal_pointer (&text), g_free);
}

static void
load_user_rules_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GazetteContentFilter *self = GAZETTE_CONTENT_FILTER (object);
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_task_had_error (G_TASK (result)))
    return;
  g_free (self->user_rules);
  self->user_rules = text != NULL ? g_steal_pointer (&text) : g_strdup ("");
  rebuild (self, NULL);
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteContentFilter *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *path = g_file_get_path (G_FILE (object));

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not save your filter list to "
                                                        "“%s”: %s"), path, error->message);
          g_clear_error (&error);
          error = g_error_new_literal (GAZETTE_ERROR, GAZETTE_ERROR_FAILED, message);
        }
      g_task_return_error (task, error);
      return;
    }

  g_free (self->user_rules);
  self->user_rules = g_strdup (g_task_get_task_data (task));
  rebuild (self, g_steal_pointer (&task));
}

void
gazette_content_filter_save_user_rules_async (GazetteContentFilter *self,
                                              const char           *text,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) file = NULL;
  char *copy;

  g_return_if_fail (GAZETTE_IS_CONTENT_FILTER (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_content_filter_save_user_rules_async);
  /* The task keeps the text alive while it is written. */
  copy = g_strdup (text);
  g_task_set_task_data (task, copy, g_free);

  file = g_file_new_for_path (self->rules_path);
  /* Written to a temporary file and renamed over the old one: never half a list. */
  g_file_replace_contents_async (file, copy, strlen (copy), NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                 cancellable, replace_cb, g_steal_pointer (&task));
}

gboolean
gazette_content_filter_save_user_rules_finish (GazetteContentFilter *self,
                                               GAsyncResult         *result,
                                               GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gazette_content_filter_add_user_rule_async (GazetteContentFilter *self,
                                            const char           *line,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GString) text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAZETTE_IS_CONTENT_FILTER (self));
  g_return_if_fail (line != NULL);

  text = g_string_new (self->user_rules != NULL ? self->user_rules : "");
  lines = g_strsplit (text->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_equal (g_strstrip (lines[i]), line))
      {
        /* Already there: nothing to write. */
        task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, gazette_content_filter_add_user_rule_async);
        g_task_return_boolean (task, TRUE);
        return;
      }
  if (text->len > 0 && text->str[text->len - 1] != '\n')
    g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s\n", line);
  gazette_content_filter_save_user_rules_async (self, text->str, cancellable, callback,
                                                user_data);
}

gboolean
gazette_content_filter_add_user_rule_finish (GazetteContentFilter *self,
                                             GAsyncResult         *result,
                                             GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Web views */

void
gazette_content_filter_prepare_view (GazetteContentFilter *self,
                                     WebKitWebView        *web_view,
                                     const char           *url,
                                     gboolean              original,
                                     const char           *page_css)
{
  WebKitUserContentManager *manager;
  g_autofree char *host = NULL;
  g_autofree char *css = NULL;

  g_return_if_fail (GAZETTE_IS_CONTENT_FILTER (self));
  g_return_if_fail (WEBKIT_IS_WEB_VIEW (web_view));

  manager = webkit_web_view_get_user_content_manager (web_view);
  /* The reader view shows our own markup: page rules would only hit it by accident. */
  webkit_user_content_manager_remove_all_filters (manager);
  webkit_user_content_manager_remove_all_style_sheets (manager);
  if (!original || !gazette_content_filter_get_enabled_for (self, url))
    return;

  if (self->compiled != NULL)
    webkit_user_content_manager_add_filter (manager, self->compiled);

  /* Until the filter of the rules in use is compiled (seconds, with EasyList), a style sheet of
   * what they hide on this site does the work. */
  if (self->rules != NULL && !gazette_content_filter_get_up_to_date (self))
    {
      g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL)
                                        : NULL;

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        host = g_ascii_strdown (g_uri_get_host (uri), -1);
      css = gazette_content_rules_to_style_sheet (
              gazette_filter_rules_get_content_rules (self->rules), host);
    }
  if (css != NULL && *css)
    {
      g_autoptr(WebKitUserStyleSheet) sheet = NULL;

      sheet = webkit_user_style_sheet_new (css, WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                           WEBKIT_USER_STYLE_LEVEL_USER, NULL, NULL);
      webkit_user_content_manager_add_style_sheet (manager, sheet);
    }
  if (page_css != NULL && *page_css)
    {
      g_autoptr(WebKitUserStyleSheet) sheet = NULL;

      sheet = webkit_user_style_sheet_new (page_css, WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                           WEBKIT_USER_STYLE_LEVEL_USER, NULL, NULL);
      webkit_user_content_manager_add_style_sheet (manager, sheet);
    }
}

/* Extraction and what it removed */

char *
gazette_content_filter_removed_summary (GPtrArray *removals)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  g_autoptr(GString) joined = g_string_new (NULL);

  if (removals == NULL || removals->len == 0)
    return NULL;

  /* Each reason once, in the order the blocks were found. */
  for (guint i = 0; i < removals->len; i++)
    {
      GazetteClutterRemoval *removal = g_ptr_array_index (removals, i);
      const char *reason = removal->reason != NULL ? _(removal->reason) : "";
      gboolean seen = FALSE;

      for (guint j = 0; j < reasons->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (reasons, j), reason);
      if (!seen && *reason)
        g_ptr_array_add (reasons, (gpointer) reason);
    }
  for (guint i = 0; i < reasons->len; i++)
    {
      if (i > 0)
        /* Translators: separates the reasons in "3 blocks hidden: donation appeal, comments" */
        g_string_append (joined, _(", "));
      g_string_append (joined, g_ptr_array_index (reasons, i));
    }

  /* Translators: a line under an article in the reader view; %u is a number of blocks (page
   * parts), %s the reasons, "donation appeal, newsletter sign-up, share buttons" */
  return g_strdup_printf (ngettext ("%u block hidden: %s", "%u blocks hidden: %s",
                                    removals->len),
                          removals->len, joined->str);
}

char *
gazette_content_filter_removed_html (GPtrArray *removals)
{
  g_autofree char *summary = gazette_content_filter_removed_summary (removals);
  g_autofree char *esummary = NULL;
  g_autoptr(GString) html = NULL;

  if (summary == NULL)
    return NULL;
  esummary = g_markup_escape_text (summary, -1);
  html = g_string_new (NULL);
  /* <details> opens and closes without scripts, which are off in the view. */
  g_string_append_printf (html, "<details class=\"gazette-removed\"><summary>%s</summary><ul>",
                          esummary);
  for (guint i = 0; i < removals->len; i++)
    {
      GazetteClutterRemoval *removal = g_ptr_array_index (removals, i);
      g_autofree char *reason = g_markup_escape_text (removal->reason ? _(removal->reason) : "",
                                                      -1);
      g_autofree char *excerpt = g_markup_escape_text (removal->excerpt ? removal->excerpt : "",
                                                       -1);
      g_autofree char *rule = g_markup_escape_text (removal->rule ? removal->rule : "", -1);

      g_string_append_printf (html, "<li><span class=\"reason\">%s</span>", reason);
      if (*excerpt)
        g_string_append_printf (html, " <q class=\"excerpt\">%s</q>", excerpt);
      if (*rule)
        g_string_append_printf (html, " <code class=\"rule\">%s</code>", rule);
      g_string_append (html, "</li>");
    }
  g_string_append (html, "</ul></details>");
  return g_string_free (g_steal_pointer (&html), FALSE);
}

/* Picking a block */

/* @text without any whitespace: the reader view and the page break lines differently. */
static char *
squash (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (!g_unichar_isspace (c) && c != 0x00A0 && c != 0x200B)
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static char *
node_squashed (xmlNodePtr node)
{
  g_autofree char *raw = (char *) xmlNodeGetContent (node);

  return squash (raw);
}

typedef struct {
  const char *key;
  xmlNodePtr  equal;      /* outermost element with exactly the text */
  xmlNodePtr  containing; /* deepest element containing it */
} Pick;

static void
pick_walk (Pick       *pick,
           xmlNodePtr  node)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      g_autofree char *text = NULL;

      if (child->type != XML_ELEMENT_NODE ||
          xmlStrEqual (child->name, (const xmlChar *) "script") ||
          xmlStrEqual (child->name, (const xmlChar *) "style"))
        continue;
      text = node_squashed (child);
      if (g_str_equal (text, pick->key))
        {
          if (pick->equal == NULL)
            pick->equal = child;
          return;
        }
      if (strstr (text, pick->key) != NULL)
        {
          pick->containing = child;
          pick_walk (pick, child);
          return;
        }
    }
}

char *
gazette_content_filter_rule_for_block (const char  *page_html,
                                       const char  *url,
                                       const char  *block_text,
                                       GError     **error)
{
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                      HTML_PARSE_NOWARNING;
  g_autofree char *host = gazette_content_filter_host_for_url (url);
  g_autofree char *key = squash (block_text);
  char *rule;
  g_autofree char *node_text = NULL;
  xmlDocPtr doc;
  xmlNodePtr node;
  Pick pick = { key, NULL, NULL };

  if (host == NULL || page_html == NULL || *key == '\0')
    {
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                           _("That block cannot be traced back to its page."));
      return NULL;
    }

  doc = htmlReadMemory (page_html, (int) MIN (strlen (page_html), G_MAXINT), url, "UTF-8",
                        options);
  if (doc != NULL && xmlDocGetRootElement (doc) != NULL)
    pick_walk (&pick, xmlDocGetRootElement (doc));
  node = pick.equal != NULL ? pick.equal : pick.containing;

  /* The widest wrapper that adds no text of its own is the block the page author made. */
  if (node != NULL)
    {
      node_text = node_squashed (node);
      while (node->parent != NULL && node->parent->type == XML_ELEMENT_NODE &&
             !xmlStrEqual (node->parent->name, (const xmlChar *) "body"))
        {
          g_autofree char *parent_text = node_squashed (node->parent);

          if (!g_str_equal (parent_text, node_text))
            break;
          node = node->parent;
        }
    }
  if (node == NULL || xmlStrEqual (node->name, (const xmlChar *) "body") ||
      xmlStrEqual (node->name, (const xmlChar *) "html"))
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                           _("That block was not found in the stored page."));
      return NULL;
    }

  rule = gazette_clutter_site_rule_for_node (url, node);
  xmlFreeDoc (doc);
  if (rule == NULL)
    {
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                           _("No rule can describe that block."));
      return NULL;
    }
  return rule;
}

/* Getters */

const char *
gazette_content_filter_get_user_rules (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), NULL);
  return self->user_rules != NULL ? self->user_rules : "";
}

GPtrArray *
gazette_content_filter_get_warnings (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), NULL);
  return self->warnings;
}

const char *
gazette_content_filter_get_rules_path (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), NULL);
  return self->rules_path;
}

gboolean
gazette_content_filter_get_easylist_found (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), FALSE);
  return self->easylist_found;
}

guint
gazette_content_filter_get_n_rules (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), 0);
  return self->n_rules;
}

gboolean
gazette_content_filter_get_loaded (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), FALSE);
  return self->loaded;
}

WebKitUserContentFilter *
gazette_content_filter_get_compiled (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), NULL);
  return self->compiled;
}

gboolean
gazette_content_filter_get_up_to_date (GazetteContentFilter *self)
{
  g_return_val_if_fail (GAZETTE_IS_CONTENT_FILTER (self), FALSE);
  return self->compiled != NULL &&
         g_strcmp0 (webkit_user_content_filter_get_identifier (self->compiled),
                    self->identifier) == 0;
}

/* Object */

GazetteContentFilter *
gazette_content_filter_new (const char *rules_path,
                            const char *store_dir)
{
  GazetteContentFilter *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (rules_path != NULL, NULL);
  g_return_val_if_fail (store_dir != NULL, NULL);

  self = g_object_new (GAZETTE_TYPE_CONTENT_FILTER, NULL);
  self->rules_path = g_strdup (rules_path);
  self->store_dir = g_strdup (store_dir);

  task = g_task_new (self, self->cancellable, load_user_rules_cb, NULL);
  g_task_set_source_tag (task, gazette_content_filter_new);
  g_task_set_task_data (task, g_strdup (rules_path), g_free);
  g_task_run_in_thread (task, load_thread);
  return self;
}

GazetteContentFilter *
gazette_content_filter_get_default (void)
{
  if (default_filter == NULL)
    {
      g_autofree char *rules = g_build_filename (g_get_user_data_dir (), "gazette",
                                                 "filters.txt", NULL);
      g_autofree char *store = g_build_filename (g_get_user_cache_dir (), "gazette",
                                                 "content-filters", NULL);

      default_filter = gazette_content_filter_new (rules, store);
    }
  return default_filter;
}

void
gazette_content_filter_set_default (GazetteContentFilter *filter)
{
  g_return_if_fail (filter == NULL || GAZETTE_IS_CONTENT_FILTER (filter));

  if (filter != NULL)
    g_object_ref (filter);
  /* The old one's reading and compiling are of no more use. */
  if (default_filter != NULL)
    g_cancellable_cancel (default_filter->cancellable);
  g_clear_object (&default_filter);
  default_filter = filter;
}

static void
gazette_content_filter_dispose (GObject *object)
{
  GazetteContentFilter *self = GAZETTE_CONTENT_FILTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->compiled, webkit_user_content_filter_unref);
  g_clear_pointer (&self->rules, gazette_filter_rules_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (gazette_content_filter_parent_class)->dispose (object);
}

static void
gazette_content_filter_finalize (GObject *object)
{
  GazetteContentFilter *self = GAZETTE_CONTENT_FILTER (object);

  g_free (self->rules_path);
  g_free (self->store_dir);
  g_free (self->user_rules);
  g_free (self->identifier);

  G_OBJECT_CLASS (gazette_content_filter_parent_class)->finalize (object);
}

static void
gazette_content_filter_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  GazetteContentFilter *self = GAZETTE_CONTENT_FILTER (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_COMPILED:
      g_value_set_boolean (value, self->compiled != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_content_filter_class_init (GazetteContentFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gazette_content_filter_dispose;
  object_class->finalize = gazette_content_filter_finalize;
  object_class->get_property = gazette_content_filter_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPILED] =
    g_param_spec_boolean ("compiled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The rules or the per-site switches changed: pages shown should be filtered again. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gazette_content_filter_init (GazetteContentFilter *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_object (self->settings, "changed::filter-disabled-sites",
                           G_CALLBACK (disabled_sites_changed_cb), self, G_CONNECT_SWAPPED);
}

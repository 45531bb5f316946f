/* gazette-application.c — the Gazette application: one fetcher, one store, one library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "gazette-add-source-dialog.h"
#include "gazette-application.h"
#include "gazette-content-filter.h"
#include "gazette-stall-monitor.h"
#include "gazette-store-offline.h"
#include "gazette-error.h"
#include "gazette-preferences-window.h"
#include "gazette-window.h"

/* The generated resource sources register themselves from a constructor, but a static library's
 * object is only linked in when one of its symbols is used: name them so they always are. */
GResource *gazette_ui_get_resource (void);
GResource *gazette_core_get_resource (void);
GResource *gazette_reader_get_resource (void);

struct _GazetteApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  GSettings      *settings;
  GazetteFetcher *fetcher;
  GazetteStore   *store;
  GazetteLibrary *library;
  GCancellable   *cancellable;
  guint           refresh_source;
  guint           clean_up_source;
  gboolean        ready;
  GPtrArray      *pending_urls;   /* feeds given on the command line, added once ready */
};

G_DEFINE_FINAL_TYPE (GazetteApplication, gazette_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_LIBRARY,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GazetteApplication *
gazette_application_new (const char *data_dir)
{
  return g_object_new (GAZETTE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_BASE,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "data-dir", data_dir,
                       NULL);
}

const char *
gazette_application_get_data_dir (GazetteApplication *self)
{
  g_return_val_if_fail (GAZETTE_IS_APPLICATION (self), NULL);
  return self->data_dir;
}

GazetteLibrary *
gazette_application_get_library (GazetteApplication *self)
{
  g_return_val_if_fail (GAZETTE_IS_APPLICATION (self), NULL);
  return self->library;
}

gboolean
gazette_application_get_ready (GazetteApplication *self)
{
  g_return_val_if_fail (GAZETTE_IS_APPLICATION (self), FALSE);
  return self->ready;
}

GSettings *
gazette_application_get_settings (GazetteApplication *self)
{
  g_return_val_if_fail (GAZETTE_IS_APPLICATION (self), NULL);
  return self->settings;
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_library_refresh_finish (GAZETTE_LIBRARY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Refreshing failed: %s", error->message);
}

void
gazette_application_refresh (GazetteApplication *self)
{
  g_return_if_fail (GAZETTE_IS_APPLICATION (self));

  if (!self->ready || gazette_library_get_refreshing (self->library))
    return;

  gazette_library_refresh_async (self->library, 0, self->cancellable, refresh_cb, NULL);
}

static gboolean
periodic_refresh_cb (gpointer user_data)
{
  gazette_application_refresh (GAZETTE_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
arm_periodic_refresh (GazetteApplication *self)
{
  int minutes;

  g_clear_handle_id (&self->refresh_source, g_source_remove);

  if (!self->ready)
    return;

  minutes = g_settings_get_int (self->settings, "refresh-interval");
  if (minutes > 0)
    self->refresh_source = g_timeout_add_seconds ((guint) minutes * 60, periodic_refresh_cb, self);
}

static void
refresh_interval_changed_cb (GazetteApplication *self)
{
  int minutes = g_settings_get_int (self->settings, "refresh-interval");

  /* 0 turns automatic refreshes off; the back-off keeps its last base then. */
  if (self->library != NULL && minutes > 0)
    g_object_set (self->library, "default-refresh-interval", (guint) minutes, NULL);
  arm_periodic_refresh (self);
}

static GtkWindow *
main_window (GazetteApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (GAZETTE_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* "feed:https://…", "feed://host/…" and "feeds://…" are how browsers hand feeds to readers. */
static char *
feed_url_from_uri (const char *uri)
{
  if (g_str_has_prefix (uri, "feed:http://") || g_str_has_prefix (uri, "feed:https://"))
    return g_strdup (uri + strlen ("feed:"));
  if (g_str_has_prefix (uri, "feed://"))
    return g_strconcat ("https://", uri + strlen ("feed://"), NULL);
  if (g_str_has_prefix (uri, "feeds://"))
    return g_strconcat ("https://", uri + strlen ("feeds://"), NULL);
  return g_strdup (uri);
}

/* Each feed given to `gazette URL…` goes through the Add Source dialog, as if typed there. */
static void
add_pending_feeds (GazetteApplication *self)
{
  GtkWindow *window;

  if (!self->ready || self->pending_urls == NULL || self->pending_urls->len == 0)
    return;
  window = main_window (self);
  for (guint i = 0; i < self->pending_urls->len; i++)
    {
      GazetteAddSourceDialog *dialog = gazette_add_source_dialog_new (window, self->library);

      gtk_window_present (GTK_WINDOW (dialog));
      gazette_add_source_dialog_add (dialog, g_ptr_array_index (self->pending_urls, i));
    }
  g_ptr_array_set_size (self->pending_urls, 0);
}

static void
gazette_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  GazetteApplication *self = GAZETTE_APPLICATION (app);

  g_application_activate (app);
  if (self->pending_urls == NULL)
    self->pending_urls = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_ptr_array_add (self->pending_urls, feed_url_from_uri (uri));
    }
  add_pending_feeds (self);
}

/* Retention: a minute after start, so it never competes with the first screen, articles past
 * the Storage settings go (never saved, starred or, by default, unread ones). */
#define CLEAN_UP_DELAY_SECONDS 60

static void
clean_up_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint removed = 0;

  if (!gazette_store_clean_up_finish (GAZETTE_STORE (object), result, &removed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not clean up the library: %s", error->message);
      return;
    }
  g_debug ("Clean-up removed %u articles", removed);
}

static gboolean
clean_up_timeout_cb (gpointer user_data)
{
  GazetteApplication *self = user_data;
  GazetteRetention retention;

  self->clean_up_source = 0;
  retention.keep_days = MAX (0, g_settings_get_int (self->settings, "keep-days"));
  retention.keep_per_source = MAX (0, g_settings_get_int (self->settings, "keep-per-source"));
  retention.keep_unread = g_settings_get_boolean (self->settings, "keep-unread");
  if (self->library != NULL && (retention.keep_days > 0 || retention.keep_per_source > 0))
    gazette_store_clean_up_async (gazette_library_get_store (self->library), &retention,
                                  self->cancellable, clean_up_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_clean_up (GazetteApplication *self)
{
  g_clear_handle_id (&self->clean_up_source, g_source_remove);
  self->clean_up_source = g_timeout_add_seconds_full (G_PRIORITY_LOW, CLEAN_UP_DELAY_SECONDS,
                                                      clean_up_timeout_cb, self, NULL);
}

static void
ensure_welcome_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GazetteApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gazette_library_ensure_welcome_finish (GAZETTE_LIBRARY (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_application_release (G_APPLICATION (self));
          return;
        }
      /* Not fatal: the library works without its Welcome articles. */
      g_warning ("Could not add the Welcome articles: %s", error->message);
    }

  self->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  add_pending_feeds (self);

  if (g_settings_get_boolean (self->settings, "refresh-on-start"))
    gazette_application_refresh (self);
  arm_periodic_refresh (self);
  schedule_clean_up (self);

  g_application_release (G_APPLICATION (self));
}

static void
open_failed_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  GazetteApplication *self = user_data;

  g_application_release (G_APPLICATION (self));
  g_application_quit (G_APPLICATION (self));
}

static void
show_open_error (GazetteApplication *self,
                 const GError       *error)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE_TOO_NEW))
    body = g_strdup_printf (_("Your library in “%s” was saved by a newer version of Gazette. "
                              "Update Gazette to open it. The library has been left untouched."),
                            self->data_dir);
  else if (g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_DISK_FULL))
    body = g_strdup_printf (_("There is no space left to open your library in “%s”. "
                              "Free some disk space and start Gazette again."),
                            self->data_dir);
  else
    body = g_strdup_printf (_("Your library in “%s” could not be opened: %s"),
                            self->data_dir, error->message);

  dialog = adw_message_dialog_new (parent, _("Cannot Open Your Library"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "quit");
  g_signal_connect_object (dialog, "response", G_CALLBACK (open_failed_response_cb), self, 0);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
store_open_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GazetteApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gazette_store_open_finish (GAZETTE_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_application_release (G_APPLICATION (self));
          return;
        }
      g_message ("Could not open the library: %s", error->message);
      /* The hold is kept until the user has read the dialog. */
      show_open_error (self, error);
      return;
    }

  gazette_library_ensure_welcome_async (self->library, self->cancellable,
                                        ensure_welcome_cb, g_object_ref (self));
}

/* Full articles fetched at refresh are extracted with the user's rules and switches too. */
static void
content_filter_changed_cb (GazetteApplication   *self,
                           GazetteContentFilter *filter)
{
  g_autoptr(GazetteFilterRules) rules = gazette_content_filter_ref_rules (filter);
  g_auto(GStrv) sites = g_settings_get_strv (self->settings, "filter-disabled-sites");

  if (self->library != NULL)
    gazette_library_set_clutter_filter (self->library, rules, (const char * const *) sites);
}

/* The user's filter list lives with the library (--data-dir moves both). */
static void
setup_content_filter (GazetteApplication *self)
{
  g_autofree char *rules = g_build_filename (self->data_dir, "filters.txt", NULL);
  g_autofree char *store = g_build_filename (g_get_user_cache_dir (), "gazette",
                                             "content-filters", NULL);
  g_autoptr(GazetteContentFilter) filter = gazette_content_filter_new (rules, store);

  gazette_content_filter_set_default (filter);
  g_signal_connect_object (filter, "changed", G_CALLBACK (content_filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  content_filter_changed_cb (self, filter);
}

static void
gazette_application_startup (GApplication *app)
{
  GazetteApplication *self = GAZETTE_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (gazette_application_parent_class)->startup (app);

  (void) gazette_ui_get_resource ();
  (void) gazette_core_get_resource ();
  (void) gazette_reader_get_resource ();

  gtk_window_set_default_icon_name (APP_ID);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.shortcuts", shortcuts_accels);
  /* The window's own keys (Ctrl+R, Ctrl+N, J, K, …) are bindings of GazetteWindow. */

  if (self->data_dir == NULL)
    self->data_dir = g_build_filename (g_get_user_data_dir (), "gazette", NULL);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::refresh-interval",
                           G_CALLBACK (refresh_interval_changed_cb), self, G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  self->fetcher = gazette_fetcher_new ();
  self->store = gazette_store_new (self->data_dir);
  self->library = gazette_library_new (self->store, self->fetcher);
  setup_content_filter (self);
  gazette_stall_monitor_watch (self->library);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIBRARY]);
  refresh_interval_changed_cb (self);

  /* Held until the library is ready (or its failure has been shown), so an early activation
   * that has not yet shown a window does not end the application. */
  g_application_hold (app);
  gazette_store_open_async (self->store, self->cancellable, store_open_cb, g_object_ref (self));
}

static void
gazette_application_activate (GApplication *app)
{
  GazetteApplication *self = GAZETTE_APPLICATION (app);
  GtkWindow *window = NULL;

  /* The active window may be a dialog: look for the main window. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (GAZETTE_IS_WINDOW (l->data))
      {
        window = l->data;
        break;
      }
  if (window == NULL)
    window = GTK_WINDOW (gazette_window_new (self));

  gtk_window_present (window);
}

static int
gazette_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  GazetteApplication *self = GAZETTE_APPLICATION (app);
  g_autofree char *data_dir = NULL;

  if (g_variant_dict_lookup (options, "data-dir", "^ay", &data_dir))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (data_dir);

      g_free (self->data_dir);
      self->data_dir = g_file_get_path (file);
      /* Another data directory is another library: do not hand over to a running instance. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
gazette_application_shutdown (GApplication *app)
{
  GazetteApplication *self = GAZETTE_APPLICATION (app);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->clean_up_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    gazette_store_close (self->store);

  G_APPLICATION_CLASS (gazette_application_parent_class)->shutdown (app);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GazetteApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows lets them save their size and panes. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GazetteApplication *self = user_data;
  static const char *developers[] = { "The Gazette team", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Gazette"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Gazette team"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Follow your feeds and read every article as a clean, "
                                      "quiet page"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GazetteApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *prefs = GTK_WINDOW (gazette_preferences_window_new (self->settings));

  if (self->library != NULL)
    gazette_preferences_window_add_storage (GAZETTE_PREFERENCES_WINDOW (prefs),
                                            gazette_library_get_store (self->library));
  gtk_window_set_transient_for (prefs, parent);
  gtk_window_present (prefs);
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GazetteApplication *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;

  builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gazette-shortcuts-window.ui");
  window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts"));
  gtk_window_set_transient_for (window,
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (window);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "shortcuts", shortcuts_action },
};

static void
gazette_application_dispose (GObject *object)
{
  GazetteApplication *self = GAZETTE_APPLICATION (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->clean_up_source, g_source_remove);
  g_clear_object (&self->library);
  g_clear_object (&self->store);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_urls, g_ptr_array_unref);

  G_OBJECT_CLASS (gazette_application_parent_class)->dispose (object);
}

static void
gazette_application_finalize (GObject *object)
{
  GazetteApplication *self = GAZETTE_APPLICATION (object);

  g_free (self->data_dir);

  G_OBJECT_CLASS (gazette_application_parent_class)->finalize (object);
}

static void
gazette_application_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GazetteApplication *self = GAZETTE_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_application_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GazetteApplication *self = GAZETTE_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_free (self->data_dir);
      self->data_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_application_class_init (GazetteApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gazette_application_dispose;
  object_class->finalize = gazette_application_finalize;
  object_class->get_property = gazette_application_get_property;
  object_class->set_property = gazette_application_set_property;

  app_class->startup = gazette_application_startup;
  app_class->activate = gazette_application_activate;
  app_class->open = gazette_application_open;
  app_class->shutdown = gazette_application_shutdown;
  app_class->handle_local_options = gazette_application_handle_local_options;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, GAZETTE_TYPE_LIBRARY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gazette_application_init (GazetteApplication *self)
{
  static const GOptionEntry options[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep the library in DIR instead of the user’s data directory"), N_("DIR") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
}

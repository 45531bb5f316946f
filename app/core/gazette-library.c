/* gazette-library.c — the reader's library: store + fetcher + feeds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here runs on the thread that created the library (the main thread in the app):
 * network I/O is asynchronous through GazetteFetcher, database work is queued on the store's
 * worker, and the CPU-heavy parts (parsing a feed, sanitising the Welcome articles) run in a
 * GTask thread.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gazette-core-resources.h"
#include "gazette-error.h"
#include "gazette-extractor.h"
#include "gazette-saver.h"
#include "gazette-store-offline.h"
#include "gazette-feed.h"
#include "gazette-library.h"
#include "gazette-filter-rules.h"
#include "gazette-sanitizer.h"

#define MAX_FETCHES            12
#define MAX_FETCHES_PER_HOST   6
#define DEFAULT_INTERVAL       60                 /* minutes, like the refresh-interval key */
#define MAX_BACKOFF            (24 * 60 * 60)     /* seconds */
#define WELCOME_INDEX_URI      "resource:///org/gazette/Gazette/welcome/welcome.json"

struct _GazetteLibrary
{
  GObject         parent_instance;

  GazetteStore   *store;
  GazetteFetcher *fetcher;

  /* Fetch scheduling: at most MAX_FETCHES at once, MAX_FETCHES_PER_HOST per host. */
  GQueue          queued;          /* of GTask (library_fetch_async) */
  GHashTable     *per_host;        /* host → GUINT_TO_POINTER (fetches in flight) */
  guint           active;

  /* Refresh progress */
  GHashTable     *refreshing_ids;  /* source ids with a refresh job in flight */

  /* Feeds the last discovery read (normalised URL → Discovered): adding one of them right
   * after uses what was read instead of fetching it again. */
  GHashTable     *discovered;
  GPtrArray      *current;         /* titles of sources being fetched, latest last */
  guint           pending;
  guint           default_interval;

  char           *welcome_uri;

  /* The clutter filter for full articles, as the app set it (NULL: the default filter). */
  GazetteFilterRules *filter_rules;
  GStrv           filter_disabled_sites;
  GazetteSaver   *saver;           /* made on first use */
};

G_DEFINE_FINAL_TYPE (GazetteLibrary, gazette_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FETCHER,
  PROP_REFRESHING,
  PROP_REFRESH_PENDING,
  PROP_REFRESH_CURRENT,
  PROP_DEFAULT_REFRESH_INTERVAL,
  N_PROPS
};

enum {
  SOURCE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      /* Referencing the getter links the resource object out of the static library; register
       * it unless a constructor already did. */
      GResource *resource = gazette_core_get_resource ();

      if (!g_resources_get_info ("/org/gazette/Gazette/welcome/welcome.json",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
        g_resources_register (resource);
      g_once_init_leave (&registered, 1);
    }
}

static char *
host_key (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL)
    return g_ascii_strdown (g_uri_get_host (uri), -1);
  return g_strdup ("");
}

/* Scheduled fetches ---------------------------------------------------------------------------- */

typedef struct {
  char               *url;
  char               *host;
  char               *etag;
  char               *last_modified;
  GSource            *cancel_source;
  GazetteFetchResult *result;
  void              (*started) (gpointer data);
  gpointer            started_data;
} QueuedFetch;

static void
queued_fetch_free (QueuedFetch *queued)
{
  if (queued->cancel_source != NULL)
    {
      g_source_destroy (queued->cancel_source);
      g_source_unref (queued->cancel_source);
    }
  g_free (queued->url);
  g_free (queued->host);
  g_free (queued->etag);
  g_free (queued->last_modified);
  g_clear_pointer (&queued->result, gazette_fetch_result_free);
  g_free (queued);
}

static void pump_queue (GazetteLibrary *self);

static void
on_scheduled_fetch_done (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  QueuedFetch *queued = g_task_get_task_data (task);
  GError *error = NULL;
  guint n;

  self->active--;
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_host, queued->host));
  if (n <= 1)
    g_hash_table_remove (self->per_host, queued->host);
  else
    g_hash_table_insert (self->per_host, g_strdup (queued->host), GUINT_TO_POINTER (n - 1));

  if (gazette_fetcher_fetch_finish_full (GAZETTE_FETCHER (object), result, &queued->result,
                                         &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  pump_queue (self);
}

static void
pump_queue (GazetteLibrary *self)
{
  gboolean started = TRUE;

  /* Starts one fetch at a time and looks again from the head: a notify handler run by
   * ->started may queue more. */
  while (started && self->active < MAX_FETCHES)
    {
      started = FALSE;

      for (GList *l = self->queued.head; l != NULL; l = l->next)
        {
          GTask *task = l->data;
          QueuedFetch *queued = g_task_get_task_data (task);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_host, queued->host));
          GazetteFetchRequest request = { queued->etag, queued->last_modified, NULL };

          if (n >= MAX_FETCHES_PER_HOST)
            continue;

          g_queue_delete_link (&self->queued, l);
          if (queued->cancel_source != NULL)
            {
              g_source_destroy (queued->cancel_source);
              g_clear_pointer (&queued->cancel_source, g_source_unref);
            }
          self->active++;
          g_hash_table_insert (self->per_host, g_strdup (queued->host), GUINT_TO_POINTER (n + 1));
          gazette_fetcher_fetch_async (self->fetcher, queued->url, &request,
                                       g_task_get_cancellable (task), on_scheduled_fetch_done,
                                       task);
          if (queued->started != NULL)
            queued->started (queued->started_data);
          started = TRUE;
          break;
        }
    }
}

static gboolean
on_queued_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  QueuedFetch *queued = g_task_get_task_data (task);

  /* Still waiting for a slot: leave the queue at once rather than when one frees up. */
  if (g_queue_remove (&self->queued, task))
    {
      g_clear_pointer (&queued->cancel_source, g_source_unref);
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

/* A fetch through the queue. @started (may be NULL) is called when it really begins. */
static void
library_fetch_async (GazetteLibrary            *self,
                     const char                *url,
                     const GazetteFetchRequest *request,
                     GCancellable              *cancellable,
                     void                     (*started) (gpointer data),
                     gpointer                   started_data,
                     GAsyncReadyCallback        callback,
                     gpointer                   user_data)
{
  GTask *task;
  QueuedFetch *queued;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, library_fetch_async);

  queued = g_new0 (QueuedFetch, 1);
  queued->url = g_strdup (url);
  queued->host = host_key (url);
  if (request != NULL)
    {
      queued->etag = g_strdup (request->etag);
      queued->last_modified = g_strdup (request->last_modified);
    }
  queued->started = started;
  queued->started_data = started_data;
  g_task_set_task_data (task, queued, (GDestroyNotify) queued_fetch_free);

  if (cancellable != NULL)
    {
      queued->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (queued->cancel_source, G_SOURCE_FUNC (on_queued_cancelled), task,
                             NULL);
      g_source_set_static_name (queued->cancel_source, "[gazette] queued fetch cancelled");
      g_source_attach (queued->cancel_source, g_task_get_context (task));
    }

  g_queue_push_tail (&self->queued, task);
  /* Those queued before it wait for their host's slots (or for any slot): when this one must
   * wait too, looking through them all again for each of a thousand feeds is what stalls. */
  if (self->active < MAX_FETCHES &&
      GPOINTER_TO_UINT (g_hash_table_lookup (self->per_host, queued->host)) <
        MAX_FETCHES_PER_HOST)
    pump_queue (self);
}

/* Returns the result as fetch_finish_full does: set on success and on HTTP errors. */
static gboolean
library_fetch_finish (GazetteLibrary      *self,
                      GAsyncResult        *result,
                      GazetteFetchResult **out_result,
                      GError             **error)
{
  QueuedFetch *queued = g_task_get_task_data (G_TASK (result));
  gboolean ret;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ret = g_task_propagate_boolean (G_TASK (result), error);
  if (out_result != NULL)
    *out_result = g_steal_pointer (&queued->result);
  return ret;
}

/* Parsing, in a thread ------------------------------------------------------------------------- */

typedef struct {
  GBytes      *body;
  char        *base_url;
  char        *content_type;
  gboolean     discover;      /* not a feed: look for <link rel=alternate> */
  GazetteFeed *feed;
  GPtrArray   *candidates;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->base_url);
  g_free (job->content_type);
  g_clear_pointer (&job->feed, gazette_feed_free);
  g_clear_pointer (&job->candidates, g_ptr_array_unref);
  g_free (job);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (job->body, &length);

  job->feed = gazette_feed_parse (data != NULL ? data : "", length, job->base_url,
                                  job->content_type, &error);
  if (job->feed == NULL && job->discover &&
      g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED))
    {
      job->candidates = gazette_feed_discover_links (data != NULL ? data : "", length,
                                                     job->base_url);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (job->feed == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
parse_async (GazetteLibrary      *self,
             GazetteFetchResult  *result,
             gboolean             discover,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ParseJob *job = g_new0 (ParseJob, 1);

  g_task_set_source_tag (task, parse_async);
  job->body = result->body != NULL ? g_bytes_ref (result->body) : g_bytes_new (NULL, 0);
  job->base_url = g_strdup (result->url);
  job->content_type = g_strdup (result->content_type);
  job->discover = discover;
  g_task_set_task_data (task, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (task, parse_thread);
}

/* Gives either the feed, or (with @discover) the feeds the page advertises (GazetteFeedLink*). */
static GazetteFeed *
parse_finish (GazetteLibrary  *self,
              GAsyncResult    *result,
              GPtrArray      **out_candidates,
              GError         **error)
{
  ParseJob *job = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  if (out_candidates != NULL)
    *out_candidates = g_steal_pointer (&job->candidates);
  return g_steal_pointer (&job->feed);
}

/* Progress properties -------------------------------------------------------------------------- */

static void
set_pending (GazetteLibrary *self,
             guint           pending)
{
  gboolean was_refreshing = self->pending > 0;

  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_PENDING]);
  if (was_refreshing != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

static void
push_current (GazetteLibrary *self,
              const char     *title)
{
  g_ptr_array_add (self->current, g_strdup (title != NULL ? title : ""));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_CURRENT]);
}

static void
pop_current (GazetteLibrary *self,
             const char     *title)
{
  const char *key = title != NULL ? title : "";

  for (guint i = 0; i < self->current->len; i++)
    if (g_str_equal (g_ptr_array_index (self->current, i), key))
      {
        gboolean was_last = i == self->current->len - 1;

        g_ptr_array_remove_index (self->current, i);
        if (was_last)
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_CURRENT]);
        return;
      }
}

/* Full articles: each entry's link fetched once and extracted -------------------------------- */

typedef struct {
  guint outstanding;         /* articles in flight, +1 while they are being queued */
} FullBatch;

typedef struct {
  GTask                 *batch;      /* owns a ref */
  gint64                 article_id;
  char                  *url;
  GazetteFetchResult    *result;
  GazetteArticleContent *content;
  GazetteFilterRules    *rules;      /* NULL: no clutter filter for this site */
} FullItem;

static void
full_item_free (FullItem *item)
{
  g_clear_object (&item->batch);
  g_free (item->url);
  g_clear_pointer (&item->result, gazette_fetch_result_free);
  g_clear_pointer (&item->content, gazette_article_content_free);
  g_clear_pointer (&item->rules, gazette_filter_rules_unref);
  g_free (item);
}

static void
full_batch_release (GTask *batch)
{
  FullBatch *data = g_task_get_task_data (batch);

  if (--data->outstanding > 0)
    return;
  if (!g_task_return_error_if_cancelled (batch))
    g_task_return_boolean (batch, TRUE);
}

static void
full_item_done (FullItem *item)
{
  g_autoptr(GTask) batch = g_object_ref (item->batch);

  full_item_free (item);
  full_batch_release (batch);
}

static void
on_full_stored (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FullItem *item = user_data;
  g_autoptr(GError) error = NULL;

  if (!gazette_store_set_reader_html_finish (GAZETTE_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND))
    g_warning ("Could not store the full article of %s: %s", item->url, error->message);
  full_item_done (item);
}

/* Stores what was extracted, or "" when nothing was: the entry keeps its feed content and its
 * link is not fetched again on the next refresh. */
static void
full_item_store (FullItem *item)
{
  GazetteLibrary *self = g_task_get_source_object (item->batch);
  GazetteArticleContent *content = item->content;
  gboolean ok = content != NULL && content->html != NULL && *content->html;
  g_autofree char *removed = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (item->batch)))
    {
      full_item_done (item);
      return;
    }
  /* Kept beside the article, so opening it later still says what was hidden. */
  if (ok)
    removed = gazette_clutter_removals_to_string (content->removed);
  gazette_store_set_reader_html_async (self->store, item->article_id,
                                       ok ? content->html : "",
                                       ok ? content->lead_image : NULL,
                                       ok ? content->lang : NULL,
                                       ok ? content->dir : NULL,
                                       removed, NULL, on_full_stored, item);
}

static void
full_extract_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  FullItem *item = task_data;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *body = g_bytes_get_data (item->result->body, &length);

  item->content = gazette_filter_rules_extract (item->rules, body, length, item->result->url,
                                                item->result->content_type, &error);
  if (item->content == NULL)
    g_debug ("No article in %s: %s", item->url, error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_full_extracted (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  full_item_store (user_data);
}

static void
on_full_fetched (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GazetteLibrary *self = GAZETTE_LIBRARY (object);
  FullItem *item = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (!library_fetch_finish (self, result, &item->result, &error) || item->result == NULL ||
      item->result->body == NULL)
    {
      if (error != NULL)
        g_debug ("Could not fetch the full article %s: %s", item->url, error->message);
      full_item_store (item);
      return;
    }

  /* Extraction walks the whole page: off the main thread. The item outlives the task. */
  task = g_task_new (self, NULL, on_full_extracted, item);
  g_task_set_source_tag (task, on_full_fetched);
  g_task_set_task_data (task, item, NULL);
  g_task_run_in_thread (task, full_extract_thread);
}

static void
on_unextracted_listed (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) batch = user_data;
  GazetteLibrary *self = g_task_get_source_object (batch);
  FullBatch *data = g_task_get_task_data (batch);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = gazette_store_list_unextracted_finish (GAZETTE_STORE (object), result, &error);
  if (articles == NULL)
    {
      g_task_return_error (batch, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < articles->len; i++)
    {
      GazetteArticle *article = g_ptr_array_index (articles, i);
      FullItem *item = g_new0 (FullItem, 1);

      item->batch = g_object_ref (batch);
      item->article_id = gazette_article_get_id (article);
      item->url = g_strdup (gazette_article_get_url (article));
      item->rules = gazette_filter_rules_for_url (self->filter_rules,
                                                  (const char * const *) self->filter_disabled_sites,
                                                  item->url);
      data->outstanding++;
      library_fetch_async (self, item->url, NULL, g_task_get_cancellable (batch), NULL, NULL,
                           on_full_fetched, item);
    }
  full_batch_release (batch);
}

void
gazette_library_load_full_articles_async (GazetteLibrary      *self,
                                          gint64               source_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FullBatch *data;

  g_return_if_fail (GAZETTE_IS_LIBRARY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_library_load_full_articles_async);
  data = g_new0 (FullBatch, 1);
  data->outstanding = 1;
  g_task_set_task_data (task, data, g_free);

  gazette_store_list_unextracted_async (self->store, source_id, cancellable,
                                        on_unextracted_listed, g_steal_pointer (&task));
}

void
gazette_library_set_clutter_filter (GazetteLibrary      *self,
                                    GazetteFilterRules  *rules,
                                    const char * const  *disabled_sites)
{
  g_return_if_fail (GAZETTE_IS_LIBRARY (self));

  if (rules != NULL)
    gazette_filter_rules_ref (rules);
  g_clear_pointer (&self->filter_rules, gazette_filter_rules_unref);
  self->filter_rules = rules;
  g_strfreev (self->filter_disabled_sites);
  self->filter_disabled_sites = g_strdupv ((char **) disabled_sites);
  if (self->saver != NULL)
    gazette_saver_set_clutter_filter (self->saver, rules, disabled_sites);
}

gboolean
gazette_library_load_full_articles_finish (GazetteLibrary  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Save new articles for offline ------------------------------------------------------------ */

/* New entries of a source with :save-offline get an offline copy (text and images), one after
 * another in the background; not marked saved, so retention may still remove them. */
#define SAVE_NEW_MAX 50

typedef struct {
  GazetteLibrary *library;
  GArray         *ids;
  guint           next;
} SaveNewRun;

static void
save_new_run_free (SaveNewRun *run)
{
  g_object_unref (run->library);
  g_clear_pointer (&run->ids, g_array_unref);
  g_free (run);
}

static void save_new_next (SaveNewRun *run);

static void
on_new_saved (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gazette_saver_save_article_finish (GAZETTE_SAVER (object), result, &error))
    g_debug ("Could not save a new article for offline reading: %s", error->message);
  save_new_next (user_data);
}

static void
save_new_next (SaveNewRun *run)
{
  if (run->library->store == NULL || run->next >= run->ids->len)
    {
      save_new_run_free (run);
      return;
    }
  gazette_saver_save_article_async (gazette_library_get_saver (run->library),
                                    g_array_index (run->ids, gint64, run->next++), FALSE, NULL,
                                    on_new_saved, run);
}

static void
on_new_listed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SaveNewRun *run = user_data;
  g_autoptr(GError) error = NULL;

  run->ids = gazette_store_list_unsaved_finish (GAZETTE_STORE (object), result, &error);
  if (run->ids == NULL)
    {
      g_debug ("Could not list new articles to save: %s", error->message);
      save_new_run_free (run);
      return;
    }
  save_new_next (run);
}

static void
library_save_new_offline (GazetteLibrary *self,
                          gint64          source_id)
{
  SaveNewRun *run = g_new0 (SaveNewRun, 1);
  /* Entries added by this refresh: a minute of slack for a slow merge. */
  gint64 since = g_get_real_time () / G_USEC_PER_SEC - 60;

  run->library = g_object_ref (self);
  gazette_store_list_unsaved_async (self->store, source_id, since, SAVE_NEW_MAX, NULL,
                                    on_new_listed, run);
}

GazetteSaver *
gazette_library_get_saver (GazetteLibrary *self)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), NULL);

  if (self->saver == NULL)
    {
      self->saver = gazette_saver_new (self->store, self->fetcher);
      gazette_saver_set_clutter_filter (self->saver, self->filter_rules,
                                        (const char * const *) self->filter_disabled_sites);
    }
  return self->saver;
}

/* Discovered feeds ----------------------------------------------------------------------------- */

#define DISCOVERED_MAX_AGE  (10 * 60 * G_USEC_PER_SEC)   /* a user choosing among the feeds */

typedef struct {
  GazetteFetchResult *result;   /* without its body */
  GazetteFeed        *feed;
  gint64              read_at;  /* monotonic µs */
} Discovered;

static void
discovered_free (Discovered *discovered)
{
  g_clear_pointer (&discovered->result, gazette_fetch_result_free);
  g_clear_pointer (&discovered->feed, gazette_feed_free);
  g_free (discovered);
}

static char *normalise_url (const char *input);

/* Takes @result and @feed. */
static void
discovered_add (GazetteLibrary     *self,
                GazetteFetchResult *result,
                GazetteFeed        *feed)
{
  Discovered *discovered = g_new0 (Discovered, 1);
  char *key = normalise_url (result->url);

  if (key == NULL)
    {
      gazette_fetch_result_free (result);
      gazette_feed_free (feed);
      g_free (discovered);
      return;
    }
  g_clear_pointer (&result->body, g_bytes_unref);
  discovered->result = result;
  discovered->feed = feed;
  discovered->read_at = g_get_monotonic_time ();
  g_hash_table_replace (self->discovered, key, discovered);
}

/* The feed a recent discovery read at @url, taken out of the cache; FALSE when there is none. */
static gboolean
discovered_take (GazetteLibrary      *self,
                 const char          *url,
                 GazetteFetchResult **out_result,
                 GazetteFeed        **out_feed)
{
  Discovered *discovered = g_hash_table_lookup (self->discovered, url);

  if (discovered == NULL)
    return FALSE;
  if (g_get_monotonic_time () - discovered->read_at > DISCOVERED_MAX_AGE)
    {
      g_hash_table_remove (self->discovered, url);
      return FALSE;
    }
  *out_result = g_steal_pointer (&discovered->result);
  *out_feed = g_steal_pointer (&discovered->feed);
  g_hash_table_remove (self->discovered, url);
  return TRUE;
}

/* Refresh -------------------------------------------------------------------------------------- */

typedef struct {
  guint    outstanding;
  GError  *fatal;            /* the store failed */
} RefreshRun;

static void
refresh_run_free (RefreshRun *run)
{
  g_clear_error (&run->fatal);
  g_free (run);
}

typedef struct {
  GTask              *run_task;   /* owns a ref */
  GazetteSource      *source;
  GazetteFetchState  *state;
  GazetteFetchResult *result;
  GError             *error;      /* the failure to record, if any */
  char               *fetching;   /* its title as pushed on ->current, NULL before */
  gint64              now;
  char               *old_url;    /* set when a permanent redirect changed :url */
} RefreshJob;

static void
refresh_job_free (RefreshJob *job)
{
  g_clear_object (&job->run_task);
  g_clear_object (&job->source);
  g_clear_pointer (&job->state, gazette_fetch_state_free);
  g_clear_pointer (&job->result, gazette_fetch_result_free);
  g_clear_error (&job->error);
  g_free (job->fetching);
  g_free (job->old_url);
  g_free (job);
}

static GazetteLibrary *
job_library (RefreshJob *job)
{
  return g_task_get_source_object (job->run_task);
}

static GCancellable *
job_cancellable (RefreshJob *job)
{
  return g_task_get_cancellable (job->run_task);
}

static void
refresh_run_check_done (GTask *run_task)
{
  RefreshRun *run = g_task_get_task_data (run_task);

  if (run->outstanding > 0)
    return;

  if (run->fatal != NULL)
    g_task_return_error (run_task, g_steal_pointer (&run->fatal));
  else if (!g_task_return_error_if_cancelled (run_task))
    g_task_return_boolean (run_task, TRUE);
}

static void
refresh_job_done (RefreshJob *job)
{
  GazetteLibrary *self = job_library (job);
  g_autoptr(GTask) run_task = g_object_ref (job->run_task);
  RefreshRun *run = g_task_get_task_data (run_task);

  if (job->fetching != NULL)
    pop_current (self, job->fetching);
  g_hash_table_remove (self->refreshing_ids,
                       GSIZE_TO_POINTER ((gsize) gazette_source_get_id (job->source)));
  set_pending (self, self->pending - 1);
  run->outstanding--;
  refresh_job_free (job);
  refresh_run_check_done (run_task);
}

static void
refresh_run_store_failed (RefreshRun *run,
                          GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (run->fatal == NULL)
    run->fatal = g_error_copy (error);
  g_warning ("Could not load full articles: %s", error->message);
}

static void
refresh_job_store_failed (RefreshJob *job,
                          GError     *error)
{
  RefreshRun *run = g_task_get_task_data (job->run_task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (run->fatal == NULL)
    run->fatal = g_error_copy (error);
  g_warning ("Could not store the refresh of “%s”: %s",
             gazette_source_get_title (job->source), error->message);
}

static gint64
interval_seconds (GazetteLibrary *self,
                  GazetteSource  *source)
{
  int minutes = gazette_source_get_refresh_interval (source);

  if (minutes <= 0)
    minutes = self->default_interval > 0 ? (int) self->default_interval : DEFAULT_INTERVAL;
  return (gint64) minutes * 60;
}

static void
on_job_fetch_state_stored (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  RefreshJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!gazette_store_set_fetch_state_finish (GAZETTE_STORE (object), result, &error))
    refresh_job_store_failed (job, error);

  /* Tell listeners once the failure is in the database, so a reload shows it. */
  if (job->error != NULL)
    g_signal_emit (job_library (job), signals[SOURCE_FAILED], 0, job->source, job->error);

  refresh_job_done (job);
}

static void
on_job_source_stored (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RefreshJob *job = user_data;
  GazetteLibrary *self = job_library (job);
  g_autoptr(GError) error = NULL;

  if (!gazette_store_update_source_finish (GAZETTE_STORE (object), result, &error))
    {
      /* Moved to the address of another source: keep this one where it was. */
      if (job->old_url != NULL && g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS))
        {
          gazette_source_set_url (job->source, job->old_url);
          g_clear_pointer (&job->old_url, g_free);
          gazette_store_update_source_async (self->store, job->source, NULL,
                                             on_job_source_stored, job);
          return;
        }
      refresh_job_store_failed (job, error);
    }

  gazette_store_set_fetch_state_async (self->store, gazette_source_get_id (job->source),
                                       job->state, NULL, on_job_fetch_state_stored, job);
}

/* Records the outcome (job->error NULL: success) on the source and its fetch state. */
static void
refresh_job_record (RefreshJob *job)
{
  GazetteLibrary *self = job_library (job);
  GazetteFetchState *state = job->state;
  GazetteFetchResult *result = job->result;
  gint64 next = 0;

  state->last_fetched = job->now;

  if (job->error == NULL)
    {
      state->error_count = 0;
      gazette_source_set_error (job->source, NULL);
      gazette_source_set_last_fetched (job->source, job->now);
      if (result != NULL)
        {
          /* A 304 may omit the validators: keep the ones we sent then. */
          if (result->status != 304 || result->etag != NULL)
            {
              g_free (state->etag);
              state->etag = g_strdup (result->etag);
            }
          if (result->status != 304 || result->last_modified != NULL)
            {
              g_free (state->last_modified);
              state->last_modified = g_strdup (result->last_modified);
            }
          if (result->max_age > 0)
            next = job->now + MIN (result->max_age, (gint64) MAX_BACKOFF);
          if (result->permanent_redirect && result->url != NULL)
            {
              job->old_url = g_strdup (gazette_source_get_url (job->source));
              gazette_source_set_url (job->source, result->url);
            }
        }
      state->next_fetch = next;
    }
  else if (g_error_matches (job->error, GAZETTE_ERROR, GAZETTE_ERROR_GONE))
    {
      state->error_count++;
      state->next_fetch = 0;
      gazette_source_set_error (job->source,
                                _("This feed no longer exists (410 Gone); Gazette stopped "
                                  "refreshing it"));
      /* -1: never polled again; refresh_async skips it unless asked for it by id. */
      gazette_source_set_refresh_interval (job->source, -1);
    }
  else
    {
      gint64 backoff;
      guint shift;

      state->error_count++;
      shift = MIN (state->error_count, 16);
      backoff = MIN (interval_seconds (self, job->source) << shift, (gint64) MAX_BACKOFF);
      if (result != NULL && result->retry_after > 0)
        backoff = MAX (backoff, MIN (result->retry_after, (gint64) 7 * MAX_BACKOFF));
      state->next_fetch = job->now + backoff;
      gazette_source_set_error (job->source, job->error->message);
    }

  gazette_store_update_source_async (self->store, job->source, NULL, on_job_source_stored, job);
}

static void
refresh_job_fail (RefreshJob *job,
                  GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      refresh_job_done (job);
      return;
    }

  job->error = error;
  refresh_job_record (job);
}

static void
on_run_full_articles (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) run_task = user_data;
  RefreshRun *run = g_task_get_task_data (run_task);
  g_autoptr(GError) error = NULL;

  if (!gazette_library_load_full_articles_finish (GAZETTE_LIBRARY (object), result, &error))
    refresh_run_store_failed (run, error);
  run->outstanding--;
  refresh_run_check_done (run_task);
}

static void
on_job_merged (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RefreshJob *job = user_data;
  g_autoptr(GError) error = NULL;
  GazetteMergeResult merge = { 0 };

  if (!gazette_store_merge_feed_finish (GAZETTE_STORE (object), result, &merge, &error))
    {
      refresh_job_store_failed (job, error);
      refresh_job_done (job);
      return;
    }

  g_debug ("Refreshed “%s”: %u new, %u updated, %u unchanged",
           gazette_source_get_title (job->source), merge.added, merge.updated, merge.unchanged);
  /* New entries (and those whose link changed) get their full text; the run waits for it. */
  if (gazette_source_get_full_article (job->source) && merge.added + merge.updated > 0)
    {
      RefreshRun *run = g_task_get_task_data (job->run_task);

      run->outstanding++;
      gazette_library_load_full_articles_async (job_library (job),
                                                gazette_source_get_id (job->source),
                                                job_cancellable (job), on_run_full_articles,
                                                g_object_ref (job->run_task));
    }
  if (gazette_source_get_save_offline (job->source) && merge.added > 0)
    library_save_new_offline (job_library (job), gazette_source_get_id (job->source));
  refresh_job_record (job);
}

static void
on_job_parsed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RefreshJob *job = user_data;
  GazetteLibrary *self = job_library (job);
  g_autoptr(GazetteFeed) feed = NULL;
  g_autoptr(GError) error = NULL;

  feed = parse_finish (self, result, NULL, &error);
  if (feed == NULL)
    {
      if (g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED))
        refresh_job_fail (job, g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                                            _("%s is no longer a feed"),
                                            job->result->url));
      else
        refresh_job_fail (job, g_steal_pointer (&error));
      return;
    }

  if (g_cancellable_is_cancelled (job_cancellable (job)))
    {
      refresh_job_done (job);
      return;
    }

  /* A feed that had no title gets one as soon as it says it. */
  if ((gazette_source_get_title (job->source) == NULL ||
       *gazette_source_get_title (job->source) == '\0') && feed->title != NULL)
    gazette_source_set_title (job->source, feed->title);
  if (gazette_source_get_site_url (job->source) == NULL && feed->link != NULL)
    gazette_source_set_site_url (job->source, feed->link);

  gazette_store_merge_feed_async (self->store, gazette_source_get_id (job->source), feed,
                                  NULL, on_job_merged, job);
}

static void
on_job_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RefreshJob *job = user_data;
  GazetteLibrary *self = job_library (job);
  GError *error = NULL;

  if (!library_fetch_finish (self, result, &job->result, &error))
    {
      refresh_job_fail (job, error);
      return;
    }

  if (job->result->status == 304 || job->result->body == NULL)
    {
      refresh_job_record (job);
      return;
    }

  parse_async (self, job->result, FALSE, job_cancellable (job), on_job_parsed, job);
}

static void
refresh_job_started (gpointer data)
{
  RefreshJob *job = data;

  job->fetching = g_strdup (gazette_source_get_title (job->source));
  push_current (job_library (job), job->fetching);
}

static void refresh_job_fetch (RefreshJob *job);

static void
on_job_fetch_state (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RefreshJob *job = user_data;
  g_autoptr(GError) error = NULL;

  job->state = gazette_store_get_fetch_state_finish (GAZETTE_STORE (object), result, &error);
  if (job->state == NULL)
    {
      if (error != NULL && !g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND))
        {
          refresh_job_store_failed (job, error);
          refresh_job_done (job);
          return;
        }
      job->state = g_new0 (GazetteFetchState, 1);
    }

  refresh_job_fetch (job);
}

static void
refresh_job_fetch (RefreshJob *job)
{
  GazetteLibrary *self = job_library (job);
  GazetteFetchRequest request = { NULL };

  if (g_cancellable_is_cancelled (job_cancellable (job)))
    {
      refresh_job_done (job);
      return;
    }

  request.etag = job->state->etag;
  request.last_modified = job->state->last_modified;
  library_fetch_async (self, gazette_source_get_url (job->source), &request,
                       job_cancellable (job), refresh_job_started, job, on_job_fetched, job);
}

static void
refresh_run_add_source (GTask             *run_task,
                        GazetteSource     *source,
                        GazetteFetchState *state)
{
  GazetteLibrary *self = g_task_get_source_object (run_task);
  RefreshRun *run = g_task_get_task_data (run_task);
  RefreshJob *job;
  gint64 id = gazette_source_get_id (source);

  if (g_hash_table_contains (self->refreshing_ids, GSIZE_TO_POINTER ((gsize) id)))
    {
      /* already being refreshed by another run */
      g_clear_pointer (&state, gazette_fetch_state_free);
      return;
    }
  g_hash_table_add (self->refreshing_ids, GSIZE_TO_POINTER ((gsize) id));

  job = g_new0 (RefreshJob, 1);
  job->run_task = g_object_ref (run_task);
  job->source = g_object_ref (source);
  job->now = g_get_real_time () / G_USEC_PER_SEC;
  run->outstanding++;
  set_pending (self, self->pending + 1);

  if (state != NULL)
    {
      job->state = state;
      refresh_job_fetch (job);
    }
  else
    gazette_store_get_fetch_state_async (self->store, id, NULL, on_job_fetch_state, job);
}

typedef struct {
  GTask  *run_task;
  gint64  source_id;
} RefreshListData;

static void
on_refresh_next_fetch (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data);

static gboolean
source_is_pollable (GazetteSource *source)
{
  return gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FEED &&
         gazette_source_get_refresh_interval (source) >= 0 &&
         gazette_source_get_url (source) != NULL;
}

typedef struct {
  GTask     *run_task;
  GPtrArray *sources;
  guint      index;
  GPtrArray *due;       /* of GazetteSource */
  GPtrArray *states;    /* of GazetteFetchState, parallel to ->due */
} RefreshAllData;

static void
refresh_all_data_free (RefreshAllData *data)
{
  g_clear_object (&data->run_task);
  g_clear_pointer (&data->sources, g_ptr_array_unref);
  g_clear_pointer (&data->due, g_ptr_array_unref);
  g_clear_pointer (&data->states, g_ptr_array_unref);
  g_free (data);
}

static void
refresh_all_next (RefreshAllData *data)
{
  GazetteLibrary *self = g_task_get_source_object (data->run_task);
  RefreshRun *run = g_task_get_task_data (data->run_task);

  while (data->index < data->sources->len)
    {
      GazetteSource *source = g_ptr_array_index (data->sources, data->index);

      if (source_is_pollable (source))
        {
          gazette_store_get_fetch_state_async (self->store, gazette_source_get_id (source), NULL,
                                               on_refresh_next_fetch, data);
          return;
        }
      data->index++;
    }

  /* Queued together, so refresh-pending says at once how many there are. */
  for (guint i = 0; i < data->due->len; i++)
    refresh_run_add_source (data->run_task, g_ptr_array_index (data->due, i),
                            g_steal_pointer (&g_ptr_array_index (data->states, i)));

  /* The run ends when its jobs do. */
  run->outstanding--;
  refresh_run_check_done (data->run_task);
  refresh_all_data_free (data);
}

/* Refreshing every feed skips those in a back-off, Retry-After or max-age window. */
static void
on_refresh_next_fetch (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RefreshAllData *data = user_data;
  GazetteSource *source = g_ptr_array_index (data->sources, data->index);
  g_autoptr(GError) error = NULL;
  GazetteFetchState *state;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  state = gazette_store_get_fetch_state_finish (GAZETTE_STORE (object), result, &error);
  if (state == NULL || state->next_fetch <= now)
    {
      g_ptr_array_add (data->due, g_object_ref (source));
      g_ptr_array_add (data->states, g_steal_pointer (&state));
    }
  else
    g_debug ("Not refreshing “%s” before %" G_GINT64_FORMAT,
             gazette_source_get_title (source), state->next_fetch);
  g_clear_pointer (&state, gazette_fetch_state_free);

  data->index++;
  refresh_all_next (data);
}

static void
on_refresh_sources_listed (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) run_task = user_data;
  RefreshRun *run = g_task_get_task_data (run_task);
  gint64 source_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (run_task), "source-id"));
  g_autoptr(GPtrArray) sources = NULL;
  GError *error = NULL;

  sources = gazette_store_list_sources_finish (GAZETTE_STORE (object), result, &error);
  if (sources == NULL)
    {
      g_task_return_error (run_task, error);
      return;
    }

  if (source_id > 0)
    {
      GazetteSource *found = NULL;

      for (guint i = 0; i < sources->len; i++)
        if (gazette_source_get_id (g_ptr_array_index (sources, i)) == source_id)
          found = g_ptr_array_index (sources, i);

      if (found == NULL)
        {
          g_task_return_new_error (run_task, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                                   _("This source no longer exists"));
          return;
        }
      /* Asked for by id: refreshed even when stopped or backing off. */
      if (gazette_source_get_kind (found) == GAZETTE_SOURCE_KIND_FEED &&
          gazette_source_get_url (found) != NULL)
        refresh_run_add_source (run_task, found, NULL);
      refresh_run_check_done (run_task);
      return;
    }

  {
    RefreshAllData *data = g_new0 (RefreshAllData, 1);

    data->run_task = g_object_ref (run_task);
    data->sources = g_steal_pointer (&sources);
    data->due = g_ptr_array_new_with_free_func (g_object_unref);
    data->states = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_fetch_state_free);
    run->outstanding++;  /* held while sources are being queued */
    refresh_all_next (data);
  }
}

void
gazette_library_refresh_async (GazetteLibrary      *self,
                               gint64               source_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAZETTE_IS_LIBRARY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_library_refresh_async);
  g_task_set_task_data (task, g_new0 (RefreshRun, 1), (GDestroyNotify) refresh_run_free);
  g_object_set_data (G_OBJECT (task), "source-id", GSIZE_TO_POINTER ((gsize) MAX (source_id, 0)));

  gazette_store_list_sources_async (self->store, cancellable, on_refresh_sources_listed,
                                    g_steal_pointer (&task));
}

gboolean
gazette_library_refresh_finish (GazetteLibrary  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Add a feed ----------------------------------------------------------------------------------- */

typedef struct {
  char               *url;            /* as asked, normalised */
  gint64              folder_id;
  GPtrArray          *existing;       /* sources at the start */
  GazetteFetchResult *result;         /* of the feed itself */
  GazetteFeed        *feed;
  GazetteSource      *source;
  gboolean            followed_page;  /* @url was a page; result is its first feed */
  GPtrArray          *candidates;     /* for discover_async */
  gboolean            discover_only;
  /* discover_async reads every candidate: GazetteFeedLink* to check, and those that are feeds */
  GPtrArray          *to_check;
  guint               next_check;
  gboolean            probing;        /* to_check holds guessed common paths */
  GazetteFetchResult *check_result;   /* of the candidate being read */
  GPtrArray          *found;
} AddData;

static void
add_data_free (AddData *data)
{
  g_free (data->url);
  g_clear_pointer (&data->existing, g_ptr_array_unref);
  g_clear_pointer (&data->result, gazette_fetch_result_free);
  g_clear_pointer (&data->feed, gazette_feed_free);
  g_clear_object (&data->source);
  g_clear_pointer (&data->candidates, g_ptr_array_unref);
  g_clear_pointer (&data->to_check, g_ptr_array_unref);
  g_clear_pointer (&data->found, g_ptr_array_unref);
  g_clear_pointer (&data->check_result, gazette_fetch_result_free);
  g_free (data);
}

/* What the user typed → a URL: "example.org/feed" means https. */
static char *
normalise_url (const char *input)
{
  g_autofree char *stripped = g_strstrip (g_strdup (input));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;

  if (strstr (stripped, "://") == NULL)
    with_scheme = g_strconcat ("https://", stripped, NULL);
  else
    with_scheme = g_steal_pointer (&stripped);

  uri = g_uri_parse (with_scheme, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    return NULL;
  return g_uri_to_string (uri);
}

static GazetteSource *
find_feed_source (GPtrArray  *sources,
                  const char *url)
{
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      GazetteSource *source = g_ptr_array_index (sources, i);

      if (gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FEED &&
          g_strcmp0 (gazette_source_get_url (source), url) == 0)
        return source;
    }
  return NULL;
}

static GError *
exists_error (GazetteSource *source)
{
  return g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_EXISTS,
                      _("You already follow this feed, as “%s”"),
                      gazette_source_get_title (source));
}

static void
on_add_merged (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AddData *data = g_task_get_task_data (task);
  GazetteMergeResult merge = { 0 };
  GError *error = NULL;

  if (!gazette_store_merge_feed_finish (GAZETTE_STORE (object), result, &merge, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  gazette_source_set_unread_count (data->source, merge.added);
  gazette_source_set_total_count (data->source, merge.added + merge.updated + merge.unchanged);
  g_task_return_pointer (task, g_object_ref (data->source), g_object_unref);
}

static void
on_add_fetch_state_stored (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Only conditional GET suffers from a lost fetch state; the feed itself is what matters. */
  if (!gazette_store_set_fetch_state_finish (GAZETTE_STORE (object), result, &error))
    g_warning ("Could not store the fetch state of “%s”: %s",
               gazette_source_get_title (data->source), error->message);

  gazette_store_merge_feed_async (self->store, gazette_source_get_id (data->source), data->feed,
                                  NULL, on_add_merged, g_steal_pointer (&task));
}

static void
on_add_source_added (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GazetteFetchState state = { NULL };
  gint64 id;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  id = gazette_store_add_source_finish (GAZETTE_STORE (object), result, &error);
  if (id <= 0)
    {
      if (error == NULL)
        error = g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                             _("Could not store the new source"));
      g_task_return_error (task, error);
      return;
    }
  gazette_source_set_id (data->source, id);

  state.etag = data->result->etag;
  state.last_modified = data->result->last_modified;
  state.last_fetched = now;
  state.next_fetch = data->result->max_age > 0 ? now + MIN (data->result->max_age, MAX_BACKOFF)
                                               : 0;
  state.error_count = 0;
  gazette_store_set_fetch_state_async (self->store, id, &state, NULL, on_add_fetch_state_stored,
                                       g_steal_pointer (&task));
}

static char *
title_from_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
    {
      const char *host = g_uri_get_host (uri);

      if (g_str_has_prefix (host, "www."))
        host += 4;
      return g_strdup (host);
    }
  return g_strdup (url);
}

static void
add_store_source (GTask *task)
{
  GazetteLibrary *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  GazetteSource *existing;
  g_autofree char *title = NULL;

  existing = find_feed_source (data->existing, data->result->url);
  if (existing != NULL)
    {
      g_task_return_error (task, exists_error (existing));
      g_object_unref (task);
      return;
    }

  if (data->feed->title != NULL && *data->feed->title != '\0')
    title = g_strdup (data->feed->title);
  else
    title = title_from_url (data->feed->link != NULL ? data->feed->link : data->result->url);

  data->source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, title, data->result->url);
  gazette_source_set_folder_id (data->source, MAX (data->folder_id, 0));
  gazette_source_set_site_url (data->source, data->feed->link);
  if (data->feed->icon != NULL)
    gazette_source_set_icon_url (data->source, data->feed->icon);
  gazette_source_set_last_fetched (data->source, g_get_real_time () / G_USEC_PER_SEC);

  gazette_store_add_source_async (self->store, data->source, g_task_get_cancellable (task),
                                  on_add_source_added, task);
}

static void add_fetch (GTask *task, const char *url);

/* Discovery ------------------------------------------------------------------------------------ */

/* Where sites put their feed when their pages do not say. */
static const char *const common_feed_paths[] = {
  "/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json",
};

static void check_next (GTask *task);

static void
on_check_parsed (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  GazetteFeedLink *link = g_ptr_array_index (data->to_check, data->next_check);
  g_autoptr(GazetteFeed) feed = parse_finish (self, result, NULL, NULL);
  ParseJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GazetteFetchResult) fetched = g_steal_pointer (&data->check_result);

  if (feed != NULL)
    {
      gboolean seen = FALSE;

      /* Two paths may lead to one feed (/rss redirecting to /feed). */
      g_free (link->url);
      link->url = g_strdup (job->base_url);
      for (guint i = 0; i < data->found->len; i++)
        if (g_str_equal (((GazetteFeedLink *) g_ptr_array_index (data->found, i))->url,
                         link->url))
          seen = TRUE;
      if (!seen)
        {
          if (link->title == NULL && feed->title != NULL)
            link->title = g_strdup (feed->title);
          g_free (link->format);
          link->format = g_strdup (feed->format);
          g_ptr_array_add (data->found, g_ptr_array_steal_index (data->to_check,
                                                                data->next_check));
          if (fetched != NULL)
            discovered_add (self, g_steal_pointer (&fetched), g_steal_pointer (&feed));
          check_next (task);
          return;
        }
    }
  data->next_check++;
  check_next (task);
}

static void
on_check_fetched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  g_autoptr(GazetteFetchResult) fetched = NULL;

  if (library_fetch_finish (self, result, &fetched, NULL) && fetched != NULL &&
      fetched->body != NULL)
    {
      parse_async (self, fetched, FALSE, g_task_get_cancellable (task), on_check_parsed, task);
      g_clear_pointer (&data->check_result, gazette_fetch_result_free);
      data->check_result = g_steal_pointer (&fetched);
      return;
    }
  data->next_check++;
  check_next (task);
}

/* Reads the candidates one after the other; what is a feed is kept, with its title. */
static void
check_next (GTask *task)
{
  AddData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (data->next_check < data->to_check->len)
    {
      GazetteFeedLink *link = g_ptr_array_index (data->to_check, data->next_check);

      library_fetch_async (g_task_get_source_object (task), link->url, NULL,
                           g_task_get_cancellable (task), NULL, NULL, on_check_fetched, task);
      return;
    }

  if (data->found->len == 0)
    g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                             _("No feed was found at %s"), data->url);
  else
    g_task_return_pointer (task, g_steal_pointer (&data->found),
                           (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
discover_check (GTask     *task,
                GPtrArray *candidates)
{
  AddData *data = g_task_get_task_data (task);

  data->found = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_link_free);
  data->next_check = 0;
  if (candidates != NULL && candidates->len > 0)
    data->to_check = g_ptr_array_ref (candidates);
  else
    {
      data->probing = TRUE;
      data->to_check = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_link_free);
      for (guint i = 0; i < G_N_ELEMENTS (common_feed_paths); i++)
        {
          g_autofree char *url = g_uri_resolve_relative (data->result->url, common_feed_paths[i],
                                                         G_URI_FLAGS_NONE, NULL);

          if (url != NULL)
            g_ptr_array_add (data->to_check, gazette_feed_link_new (url, NULL, NULL));
        }
    }
  check_next (task);
}

static void
on_add_parsed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;

  data->feed = parse_finish (self, result, &candidates, &error);
  if (data->feed != NULL)
    {
      if (data->discover_only)
        {
          g_autoptr(GPtrArray) list =
            g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_link_free);
          GazetteFeedLink *link = gazette_feed_link_new (data->result->url, data->feed->title,
                                                         NULL);

          link->format = g_strdup (data->feed->format);
          g_ptr_array_add (list, link);
          /* Adding it next (the usual case) uses this reading. */
          discovered_add (self, g_steal_pointer (&data->result), g_steal_pointer (&data->feed));
          g_task_return_pointer (task, g_steal_pointer (&list),
                                 (GDestroyNotify) g_ptr_array_unref);
          g_object_unref (task);
          return;
        }
      add_store_source (task);
      return;
    }

  if (error != NULL)
    {
      const char *url = data->result->url;

      if (data->followed_page)
        g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                                 _("The page at %s points to a feed Gazette could not read: %s"),
                                 data->url, error->message);
      else if (g_error_matches (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED))
        g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                                 _("%s is not a feed"), url);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* A page, not a feed. Discovery reads what it offers, or guesses common paths. */
  if (data->discover_only)
    {
      discover_check (task, candidates);
      return;
    }
  if (candidates == NULL || candidates->len == 0)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                               _("No feed was found at %s"), data->result->url);
      g_object_unref (task);
      return;
    }

  {
    GazetteFeedLink *link = g_ptr_array_index (candidates, 0);
    g_autofree char *first = normalise_url (link->url);
    GazetteSource *existing = find_feed_source (data->existing, first);

    if (existing != NULL)
      {
        g_task_return_error (task, exists_error (existing));
        g_object_unref (task);
        return;
      }

    data->followed_page = TRUE;
    add_fetch (task, first);
  }
}

static void
on_add_fetched (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  AddData *data = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&data->result, gazette_fetch_result_free);
  if (!library_fetch_finish (self, result, &data->result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (data->result->body == NULL)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED,
                               _("%s sent nothing"), data->result->url);
      g_object_unref (task);
      return;
    }

  /* Discovery is tried once: a page's feed that is a page again is not followed. */
  parse_async (self, data->result, !data->followed_page, g_task_get_cancellable (task),
               on_add_parsed, task);
}

static void
add_fetch (GTask      *task,
           const char *url)
{
  GazetteLibrary *self = g_task_get_source_object (task);

  library_fetch_async (self, url, NULL, g_task_get_cancellable (task), NULL, NULL,
                       on_add_fetched, task);
}

static void
on_add_sources_listed (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  AddData *data = g_task_get_task_data (task);
  GazetteSource *existing;
  GError *error = NULL;

  data->existing = gazette_store_list_sources_finish (GAZETTE_STORE (object), result, &error);
  if (data->existing == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  existing = find_feed_source (data->existing, data->url);
  if (existing != NULL && !data->discover_only)
    {
      g_task_return_error (task, exists_error (existing));
      g_object_unref (task);
      return;
    }

  /* Discovery just read this feed: store what it read rather than fetch it again. */
  if (!data->discover_only &&
      discovered_take (g_task_get_source_object (task), data->url, &data->result, &data->feed))
    {
      add_store_source (task);
      return;
    }

  add_fetch (task, data->url);
}

static GTask *
add_task_new (GazetteLibrary      *self,
              const char          *url,
              gint64               folder_id,
              gboolean             discover_only,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AddData *data = g_new0 (AddData, 1);

  g_task_set_source_tag (task, source_tag);
  data->url = normalise_url (url);
  data->folder_id = folder_id;
  data->discover_only = discover_only;
  g_task_set_task_data (task, data, (GDestroyNotify) add_data_free);

  if (data->url == NULL)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a web address"), url);
      g_object_unref (task);
      return NULL;
    }
  return task;
}

void
gazette_library_add_feed_async (GazetteLibrary      *self,
                                const char          *url,
                                gint64               folder_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GAZETTE_IS_LIBRARY (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = add_task_new (self, url, folder_id, FALSE, cancellable, callback, user_data,
                       gazette_library_add_feed_async);
  if (task != NULL)
    gazette_store_list_sources_async (self->store, cancellable, on_add_sources_listed, task);
}

GazetteSource *
gazette_library_add_feed_finish (GazetteLibrary  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gazette_library_discover_async (GazetteLibrary      *self,
                                const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GAZETTE_IS_LIBRARY (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = add_task_new (self, url, 0, TRUE, cancellable, callback, user_data,
                       gazette_library_discover_async);
  /* Only the latest discovery's feeds are kept for adding. */
  g_hash_table_remove_all (self->discovered);
  if (task != NULL)
    add_fetch (task, ((AddData *) g_task_get_task_data (task))->url);
}

GPtrArray *
gazette_library_discover_finish (GazetteLibrary  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Remove --------------------------------------------------------------------------------------- */

static void
on_source_removed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (gazette_store_remove_source_finish (GAZETTE_STORE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_saved_kept (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!gazette_store_keep_saved_finish (GAZETTE_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    gint64 source_id = *(gint64 *) g_task_get_task_data (task);
    GCancellable *cancellable = g_task_get_cancellable (task);

    gazette_store_remove_source_async (self->store, source_id, cancellable, on_source_removed,
                                       g_steal_pointer (&task));
  }
}

void
gazette_library_remove_source_async (GazetteLibrary      *self,
                                     gint64               source_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAZETTE_IS_LIBRARY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_library_remove_source_async);
  g_task_set_task_data (task, g_memdup2 (&source_id, sizeof source_id), g_free);
  /* Saved articles are kept for good: they move to Saved Pages first. */
  gazette_store_keep_saved_async (self->store, source_id, cancellable, on_saved_kept,
                                  g_steal_pointer (&task));
}

gboolean
gazette_library_remove_source_finish (GazetteLibrary  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Welcome -------------------------------------------------------------------------------------- */

void
gazette_suggested_feed_free (GazetteSuggestedFeed *feed)
{
  if (feed == NULL)
    return;
  g_free (feed->title);
  g_free (feed->url);
  g_free (feed);
}

static JsonNode *
load_welcome_index (const char  *index_uri,
                    GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_uri (index_uri);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  ensure_resources ();

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error) ||
      !json_parser_load_from_data (parser, contents, length, &local_error))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                   _("The Welcome articles could not be read: %s"), local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_PARSE,
                   _("The Welcome articles could not be read: %s"), _("not a JSON object"));
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

GPtrArray *
gazette_library_get_suggested_feeds (GazetteLibrary *self)
{
  g_autoptr(GPtrArray) feeds = g_ptr_array_new_with_free_func (
    (GDestroyNotify) gazette_suggested_feed_free);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), NULL);

  root = load_welcome_index (self->welcome_uri, &error);
  if (root == NULL)
    {
      g_warning ("%s", error->message);
      return g_steal_pointer (&feeds);
    }

  array = member_array (json_node_get_object (root), "suggested_feeds");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *title = member_string (object, "title");
      const char *url = member_string (object, "url");
      GazetteSuggestedFeed *feed;

      if (url == NULL)
        continue;
      feed = g_new0 (GazetteSuggestedFeed, 1);
      feed->title = g_strdup (title != NULL ? title : url);
      feed->url = g_strdup (url);
      g_ptr_array_add (feeds, feed);
    }

  return g_steal_pointer (&feeds);
}

typedef struct {
  char          *index_uri;
  GazetteSource *source;
  GPtrArray     *articles;   /* of GazetteArticle */
  guint          next;
} WelcomeData;

static void
welcome_data_free (WelcomeData *data)
{
  g_free (data->index_uri);
  g_clear_object (&data->source);
  g_clear_pointer (&data->articles, g_ptr_array_unref);
  g_free (data);
}

/* Reads the index and sanitises every article: pure work, in a thread. */
static void
welcome_load_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  WelcomeData *data = task_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GFile) index = NULL;
  g_autoptr(GFile) dir = NULL;
  GError *error = NULL;
  JsonObject *object;
  JsonObject *source;
  JsonArray *articles;
  const char *title;

  root = load_welcome_index (data->index_uri, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  index = g_file_new_for_uri (data->index_uri);
  dir = g_file_get_parent (index);
  object = json_node_get_object (root);
  source = json_object_has_member (object, "source") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "source"))
           ? json_object_get_object_member (object, "source") : NULL;

  /* The index is written in English; its title is the literal below, so the catalog has it
   * and the source is named in the language of the library's first start. */
  title = member_string (source, "title");
  data->source = gazette_source_new (GAZETTE_SOURCE_KIND_BUILTIN,
                                     title != NULL ? g_dgettext (GETTEXT_PACKAGE, title)
                                                   : _("Welcome to Gazette"),
                                     data->index_uri);
  gazette_source_set_site_url (data->source, member_string (source, "site_url"));

  data->articles = g_ptr_array_new_with_free_func (g_object_unref);
  articles = member_array (object, "articles");
  for (guint i = 0; articles != NULL && i < json_array_get_length (articles); i++)
    {
      JsonNode *node = json_array_get_element (articles, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *guid = member_string (entry, "guid");
      const char *file_name = member_string (entry, "file");
      const char *published = member_string (entry, "published");
      g_autoptr(GazetteArticle) article = NULL;
      g_autoptr(GFile) file = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *content = NULL;
      gsize length = 0;

      if (guid == NULL || file_name == NULL)
        {
          g_warning ("Welcome article %u has no guid or file; skipped", i);
          continue;
        }

      file = g_file_resolve_relative_path (dir, file_name);
      if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      /* Class and id stay: the original view hides the demo's clutter by them. */
      content = gazette_sanitize_html_page (contents, (gssize) length, NULL);

      article = gazette_article_new ();
      gazette_article_set_guid (article, guid);
      gazette_article_set_title (article, member_string (entry, "title"));
      gazette_article_set_author (article, member_string (entry, "author"));
      gazette_article_set_summary (article, member_string (entry, "summary"));
      gazette_article_set_content (article, content);
      gazette_article_set_read (article, FALSE);
      if (published != NULL)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (published, NULL);

          if (when != NULL)
            gazette_article_set_published (article, g_date_time_to_unix (when));
        }
      g_ptr_array_add (data->articles, g_steal_pointer (&article));
    }

  g_task_return_boolean (task, TRUE);
}

static void welcome_add_next_article (GTask *task);

static void
on_welcome_article_added (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (gazette_store_add_article_finish (GAZETTE_STORE (object), result, &error) <= 0 &&
      error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  welcome_add_next_article (task);
}

static void
welcome_add_next_article (GTask *task)
{
  GazetteLibrary *self = g_task_get_source_object (task);
  WelcomeData *data = g_task_get_task_data (task);

  if (data->next >= data->articles->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  gazette_store_add_article_async (self->store, gazette_source_get_id (data->source),
                                   g_ptr_array_index (data->articles, data->next++),
                                   NULL, on_welcome_article_added, task);
}

static void
on_welcome_source_added (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  WelcomeData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 id;

  id = gazette_store_add_source_finish (GAZETTE_STORE (object), result, &error);
  if (id <= 0)
    {
      if (error == NULL)
        error = g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                             _("Could not store the new source"));
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  gazette_source_set_id (data->source, id);
  welcome_add_next_article (task);
}

static void
on_welcome_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GazetteLibrary *self = g_task_get_source_object (task);
  WelcomeData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  gazette_store_add_source_async (self->store, data->source, g_task_get_cancellable (task),
                                  on_welcome_source_added, task);
}

static void
on_welcome_sources_listed (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GTask *task = user_data;
  WelcomeData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GTask) load = NULL;
  GError *error = NULL;

  sources = gazette_store_list_sources_finish (GAZETTE_STORE (object), result, &error);
  if (sources == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (sources->len > 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* The loading task shares the data; the outer task owns it. */
  load = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task),
                     on_welcome_loaded, task);
  g_task_set_task_data (load, data, NULL);
  g_task_run_in_thread (load, welcome_load_thread);
}

void
gazette_library_ensure_welcome_async (GazetteLibrary      *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  WelcomeData *data;

  g_return_if_fail (GAZETTE_IS_LIBRARY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_library_ensure_welcome_async);
  data = g_new0 (WelcomeData, 1);
  data->index_uri = g_strdup (self->welcome_uri);
  g_task_set_task_data (task, data, (GDestroyNotify) welcome_data_free);

  gazette_store_list_sources_async (self->store, cancellable, on_welcome_sources_listed, task);
}

gboolean
gazette_library_ensure_welcome_finish (GazetteLibrary  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
gazette_library_set_welcome_uri_for_testing (GazetteLibrary *self,
                                             const char     *index_uri)
{
  g_return_if_fail (GAZETTE_IS_LIBRARY (self));

  g_free (self->welcome_uri);
  self->welcome_uri = g_strdup (index_uri != NULL ? index_uri : WELCOME_INDEX_URI);
}

/* Object --------------------------------------------------------------------------------------- */

GazetteLibrary *
gazette_library_new (GazetteStore   *store,
                     GazetteFetcher *fetcher)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (store), NULL);
  g_return_val_if_fail (GAZETTE_IS_FETCHER (fetcher), NULL);

  return g_object_new (GAZETTE_TYPE_LIBRARY, "store", store, "fetcher", fetcher, NULL);
}

GazetteStore *
gazette_library_get_store (GazetteLibrary *self)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), NULL);

  return self->store;
}

GazetteFetcher *
gazette_library_get_fetcher (GazetteLibrary *self)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), NULL);

  return self->fetcher;
}

gboolean
gazette_library_get_refreshing (GazetteLibrary *self)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), FALSE);

  return self->pending > 0;
}

guint
gazette_library_get_refresh_pending (GazetteLibrary *self)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), 0);

  return self->pending;
}

const char *
gazette_library_get_refresh_current (GazetteLibrary *self)
{
  g_return_val_if_fail (GAZETTE_IS_LIBRARY (self), NULL);

  if (self->current->len == 0)
    return NULL;
  return g_ptr_array_index (self->current, self->current->len - 1);
}

static void
gazette_library_dispose (GObject *object)
{
  GazetteLibrary *self = GAZETTE_LIBRARY (object);

  g_clear_object (&self->saver);
  g_clear_object (&self->store);
  g_clear_object (&self->fetcher);

  G_OBJECT_CLASS (gazette_library_parent_class)->dispose (object);
}

static void
gazette_library_finalize (GObject *object)
{
  GazetteLibrary *self = GAZETTE_LIBRARY (object);

  /* Queued fetches hold a reference to the library, so the queue is empty here. */
  g_warn_if_fail (g_queue_is_empty (&self->queued));
  g_clear_pointer (&self->per_host, g_hash_table_unref);
  g_clear_pointer (&self->refreshing_ids, g_hash_table_unref);
  g_clear_pointer (&self->discovered, g_hash_table_unref);
  g_clear_pointer (&self->current, g_ptr_array_unref);
  g_free (self->welcome_uri);
  g_clear_pointer (&self->filter_rules, gazette_filter_rules_unref);
  g_strfreev (self->filter_disabled_sites);

  G_OBJECT_CLASS (gazette_library_parent_class)->finalize (object);
}

static void
gazette_library_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GazetteLibrary *self = GAZETTE_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FETCHER:
      g_value_set_object (value, self->fetcher);
      break;
    case PROP_REFRESHING:
      g_value_set_boolean (value, gazette_library_get_refreshing (self));
      break;
    case PROP_REFRESH_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_REFRESH_CURRENT:
      g_value_set_string (value, gazette_library_get_refresh_current (self));
      break;
    case PROP_DEFAULT_REFRESH_INTERVAL:
      g_value_set_uint (value, self->default_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_library_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GazetteLibrary *self = GAZETTE_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_FETCHER:
      self->fetcher = g_value_dup_object (value);
      break;
    case PROP_DEFAULT_REFRESH_INTERVAL:
      if (self->default_interval != g_value_get_uint (value))
        {
          self->default_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_library_class_init (GazetteLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gazette_library_dispose;
  object_class->finalize = gazette_library_finalize;
  object_class->get_property = gazette_library_get_property;
  object_class->set_property = gazette_library_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GAZETTE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FETCHER] =
    g_param_spec_object ("fetcher", NULL, NULL, GAZETTE_TYPE_FETCHER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_PENDING] =
    g_param_spec_uint ("refresh-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_CURRENT] =
    g_param_spec_string ("refresh-current", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_REFRESH_INTERVAL] =
    g_param_spec_uint ("default-refresh-interval", NULL, NULL, 0, 10080, DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SOURCE_FAILED] =
    g_signal_new ("source-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, GAZETTE_TYPE_SOURCE, G_TYPE_ERROR);
}

static void
gazette_library_init (GazetteLibrary *self)
{
  g_queue_init (&self->queued);
  self->per_host = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->refreshing_ids = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->discovered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) discovered_free);
  self->current = g_ptr_array_new_with_free_func (g_free);
  self->default_interval = DEFAULT_INTERVAL;
  self->welcome_uri = g_strdup (WELCOME_INDEX_URI);
}

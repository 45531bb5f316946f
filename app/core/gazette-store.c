/* gazette-store.c — the SQLite library of sources and articles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sqlite3 connection belongs to one worker thread. Every public call copies what it needs
 * from its arguments on the caller's thread, wraps it in a Job and queues it; the worker runs
 * jobs in order. Async jobs complete through their GTask on the caller's context; sync jobs
 * block on a condition variable. Signals go to the context the store was created on, through
 * idle sources queued after the commit.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "gazette-error.h"
#include "gazette-store-private.h"

#define BUSY_TIMEOUT_MS  10000
#define DB_FILE_NAME     "gazette.db"
#define SQLITE_MAGIC     "SQLite format 3"   /* the first 16 bytes, with its NUL */

typedef struct _Job Job;
typedef gboolean (*JobFunc) (GazetteStore  *self,
                             Job           *job,
                             GError       **error);

struct _Job
{
  GazetteStore   *self;
  JobFunc         func;
  gpointer        data;
  GDestroyNotify  data_free;
  GCancellable   *cancellable;

  /* Filled by func on success; async jobs with returns_pointer hand it to their GTask. */
  gpointer        result;
  GDestroyNotify  result_free;
  gboolean        returns_pointer;

  GTask          *task;           /* async */

  gboolean        sync;           /* sync: the caller waits on cond, then frees the job */
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gboolean        ok;
  GError         *error;

  gboolean        quit;           /* ends the worker */
  gboolean        batchable;      /* may share a transaction with the jobs queued after it */
};

struct _GazetteStore
{
  GObject       parent_instance;

  char         *data_dir;
  char         *path;
  GMainContext *main_context;     /* signals are emitted here */
  GThread      *thread;
  GAsyncQueue  *queue;            /* of Job*, popped by thread */
  int           schema_version;   /* atomic */

  /* Only touched on the worker thread. */
  sqlite3      *db;
  /* Group commit: consecutive batchable jobs (a refresh's merges and source updates) run in
   * one transaction, each in a savepoint; they complete when it commits. */
  gboolean      in_batch;
  gint64        batch_started;    /* monotonic µs */
  GPtrArray    *batch_done;       /* of Job*, run, waiting for the commit */
  gint64        max_page_count;   /* testing: 0 = no limit */
};

G_DEFINE_FINAL_TYPE (GazetteStore, gazette_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  N_PROPS
};

enum {
  SOURCES_CHANGED,
  ARTICLES_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Jobs and the worker */

static Job *
job_new (GazetteStore   *self,
         JobFunc         func,
         gpointer        data,
         GDestroyNotify  data_free,
         GCancellable   *cancellable)
{
  Job *job = g_new0 (Job, 1);

  job->self = self != NULL ? g_object_ref (self) : NULL;
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  return job;
}

/* For the refresh's writes, which come in bursts: see batch_begin. */
static Job *
job_batchable (Job *job)
{
  job->batchable = TRUE;
  return job;
}

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  if (job->result_free != NULL && job->result != NULL)
    job->result_free (job->result);
  g_clear_error (&job->error);
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  /* Last: this may finalize the store, on this thread (see finalize). */
  g_clear_object (&job->self);
  g_free (job);
}

static gboolean
job_execute (Job     *job,
             GError **error)
{
  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    return FALSE;

  return job->func (job->self, job, error);
}

static void
job_complete (Job     *job,
              gboolean ok,
              GError  *error)
{
  GTask *task;
  gpointer result;
  GDestroyNotify result_free;
  gboolean returns_pointer;

  /* Drop the job (and its reference on the store) first, so the task's references are the last
   * ones and usually go away on the caller's thread, after the callback. */
  task = g_steal_pointer (&job->task);
  result = g_steal_pointer (&job->result);
  result_free = job->result_free;
  returns_pointer = job->returns_pointer;
  job_free (job);

  if (!ok)
    g_task_return_error (task, error);
  else if (returns_pointer)
    g_task_return_pointer (task, result, result_free);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
job_run (Job *job)
{
  GError *error = NULL;
  gboolean ok;

  ok = job_execute (job, &error);

  if (job->sync)
    {
      g_mutex_lock (&job->mutex);
      job->ok = ok;
      job->error = error;
      job->done = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
      return;   /* the waiting caller owns the job now */
    }

  if (job->self != NULL && job->self->in_batch)
    {
      /* Done when its changes are: at the commit. */
      job->ok = ok;
      job->error = error;
      g_ptr_array_add (job->self->batch_done, job);
      return;
    }
  job_complete (job, ok, error);
}

/* Longest a batch stays open while jobs keep coming: what a crash could lose, and how late a
 * job of the batch completes. */
#define BATCH_MAX_USEC (250 * 1000)

static void
batch_begin (GazetteStore *self)
{
  if (self->db == NULL || sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return;
  self->in_batch = TRUE;
  self->batch_started = g_get_monotonic_time ();
  if (self->batch_done == NULL)
    self->batch_done = g_ptr_array_new ();
}

/* Commits and completes the batch's jobs; may drop the last reference on @self. */
static void
batch_end (GazetteStore *self)
{
  g_autoptr(GPtrArray) done = NULL;
  GError *commit_error = NULL;
  int rc;

  self->in_batch = FALSE;
  rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (&commit_error, self->db, rc,
                                      _("Could not save the changes"));
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }

  done = g_steal_pointer (&self->batch_done);
  for (guint i = 0; i < done->len; i++)
    {
      Job *job = g_ptr_array_index (done, i);

      if (job->ok && commit_error != NULL)
        job_complete (job, FALSE, g_error_copy (commit_error));
      else
        job_complete (job, job->ok, g_steal_pointer (&job->error));
    }
  g_clear_error (&commit_error);
}

/* The worker yields to the thread that draws the window when CPUs are short (Linux: a nice
 * value per thread): a refresh keeps it busy for seconds. */
#define BACKGROUND_NICE 5

static void
lower_thread_priority (void)
{
#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), BACKGROUND_NICE) != 0)
    g_debug ("Could not lower the store thread's priority: %s", g_strerror (errno));
#endif
}

static gpointer
worker_main (gpointer data)
{
  GAsyncQueue *queue = data;

  lower_thread_priority ();

  for (;;)
    {
      Job *job = g_async_queue_pop (queue);
      GazetteStore *self = job->self;
      gboolean batched;

      /* The batch's jobs keep the store alive; any other job sees their changes committed. */
      if (self != NULL && self->in_batch && !job->batchable)
        batch_end (self);
      if (job->quit)
        {
          job_free (job);
          break;
        }
      if (self != NULL && job->batchable && !job->sync && !self->in_batch &&
          g_async_queue_length (queue) > 0)
        batch_begin (self);
      batched = self != NULL && self->in_batch;
      job_run (job);
      if (batched && (g_async_queue_length (queue) <= 0 ||
                      g_get_monotonic_time () - self->batch_started > BATCH_MAX_USEC))
        batch_end (self);
    }

  g_async_queue_unref (queue);
  return NULL;
}

static void
store_push (GazetteStore *self,
            Job          *job)
{
  g_async_queue_push (self->queue, job);
}

static void
store_queue_async_full (GazetteStore        *self,
                        Job                 *job,
                        gboolean             returns_pointer,
                        gpointer             source_tag,
                        gpointer             task_data,
                        GDestroyNotify       task_data_free,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  job->returns_pointer = returns_pointer;
  job->task = g_task_new (self, job->cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  if (task_data != NULL)
    g_task_set_task_data (job->task, task_data, task_data_free);
  store_push (self, job);
}

static void
store_queue_async (GazetteStore        *self,
                   Job                 *job,
                   gboolean             returns_pointer,
                   gpointer             source_tag,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  store_queue_async_full (self, job, returns_pointer, source_tag, NULL, NULL, callback, user_data);
}

/* Runs @job on the worker and waits. Takes @job; returns its result in @out_result. */
static gboolean
store_run_sync (GazetteStore  *self,
                Job           *job,
                gpointer      *out_result,
                GError       **error)
{
  gboolean ok;

  job->sync = TRUE;

  if (g_thread_self () == self->thread)
    {
      /* Already on the worker (a handler inside a job): run it in place. */
      job->ok = job_execute (job, &job->error);
    }
  else
    {
      store_push (self, job);
      g_mutex_lock (&job->mutex);
      while (!job->done)
        g_cond_wait (&job->cond, &job->mutex);
      g_mutex_unlock (&job->mutex);
    }

  ok = job->ok;
  if (ok && out_result != NULL)
    *out_result = g_steal_pointer (&job->result);
  else if (!ok)
    g_propagate_error (error, g_steal_pointer (&job->error));

  job_free (job);
  return ok;
}

/* Work from other core files (gazette-store-private.h) */

static gboolean require_open (GazetteStore  *self,
                              GError       **error);

typedef struct {
  GazetteStoreDbFunc func;
  gpointer           data;
  GDestroyNotify     data_free;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  if (run->data_free != NULL && run->data != NULL)
    run->data_free (run->data);
  g_free (run);
}

static gboolean
job_run_func (GazetteStore  *self,
              Job           *job,
              GError       **error)
{
  RunData *run = job->data;

  if (!require_open (self, error))
    return FALSE;
  return run->func (self, self->db, run->data, job->cancellable, &job->result, &job->result_free,
                    error);
}

static Job *
run_job_new (GazetteStore       *self,
             GazetteStoreDbFunc  func,
             gpointer            data,
             GDestroyNotify      data_free,
             GCancellable       *cancellable)
{
  RunData *run = g_new0 (RunData, 1);

  run->func = func;
  run->data = data;
  run->data_free = data_free;
  return job_new (self, job_run_func, run, run_data_free, cancellable);
}

void
gazette_store_run_async (GazetteStore        *self,
                         GazetteStoreDbFunc   func,
                         gpointer             data,
                         GDestroyNotify       data_free,
                         GCancellable        *cancellable,
                         gpointer             source_tag,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self, run_job_new (self, func, data, data_free, cancellable), TRUE,
                     source_tag, callback, user_data);
}

gboolean
gazette_store_run_finish (GazetteStore  *self,
                          GAsyncResult  *result,
                          gpointer       source_tag,
                          gpointer      *out_result,
                          GError       **error)
{
  gpointer value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (g_task_had_error (G_TASK (result)))
    {
      g_task_propagate_pointer (G_TASK (result), error);
      return FALSE;
    }
  value = g_task_propagate_pointer (G_TASK (result), NULL);
  if (out_result != NULL)
    *out_result = value;
  return TRUE;
}

gboolean
gazette_store_run_sync (GazetteStore        *self,
                        GazetteStoreDbFunc   func,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GCancellable        *cancellable,
                        gpointer            *out_result,
                        GError             **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);

  return store_run_sync (self, run_job_new (self, func, data, data_free, cancellable),
                         out_result, error);
}

/* Signals, on the store's main context */

typedef struct {
  GWeakRef  self;     /* pending signals do not keep the store alive */
  guint     signal;
  gint64    source_id;
} Emission;

static gboolean
emit_in_main_context (gpointer user_data)
{
  Emission *emission = user_data;
  g_autoptr(GazetteStore) self = g_weak_ref_get (&emission->self);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  if (emission->signal == SOURCES_CHANGED)
    g_signal_emit (self, signals[SOURCES_CHANGED], 0);
  else
    g_signal_emit (self, signals[ARTICLES_CHANGED], 0, emission->source_id);

  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_weak_ref_clear (&emission->self);
  g_free (emission);
}

/* Called on the worker after a commit. An idle source, never g_main_context_invoke(): that
 * would run the handler right here when nobody owns the main context (gazette-cli). */
static void
store_emit (GazetteStore *self,
            guint         signal,
            gint64        source_id)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Emission *emission = g_new0 (Emission, 1);

  g_weak_ref_init (&emission->self, self);
  emission->signal = signal;
  emission->source_id = source_id;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_in_main_context, emission, emission_free);
  g_source_set_static_name (source, "[gazette] store signal");
  g_source_attach (source, self->main_context);
}

void
gazette_store_emit_articles_changed (GazetteStore *self,
                                     gint64        source_id)
{
  store_emit (self, ARTICLES_CHANGED, source_id);
}

/* SQL helpers, worker only */

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

/* 0 means "unknown" in the API and NULL in the database. */
static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           gint64        value)
{
  if (value != 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

char *
gazette_store_column_dup (sqlite3_stmt *stmt,
                          int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
gazette_store_db_prepare (sqlite3       *db,
                          const char    *sql,
                          sqlite3_stmt **out_stmt,
                          const char    *what,
                          GError       **error)
{
  int rc = sqlite3_prepare_v2 (db, sql, -1, out_stmt, NULL);

  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, db, rc, what);
      g_clear_pointer (out_stmt, sqlite3_finalize);
      return FALSE;
    }
  return TRUE;
}

gboolean
gazette_store_db_exec (sqlite3     *db,
                       const char  *sql,
                       const char  *what,
                       GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, db, rc, what);
      return FALSE;
    }
  return TRUE;
}

void
gazette_store_db_rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
store_prepare (GazetteStore  *self,
               const char    *sql,
               sqlite3_stmt **out_stmt,
               const char    *what,
               GError       **error)
{
  return gazette_store_db_prepare (self->db, sql, out_stmt, what, error);
}

static gboolean
store_exec (GazetteStore  *self,
            const char    *sql,
            const char    *what,
            GError       **error)
{
  return gazette_store_db_exec (self->db, sql, what, error);
}

/* Inside a batch a job's transaction is a savepoint of the batch's. */
static gboolean
store_begin (GazetteStore  *self,
             const char    *what,
             GError       **error)
{
  return store_exec (self, self->in_batch ? "SAVEPOINT job" : "BEGIN IMMEDIATE", what, error);
}

static void
store_rollback (GazetteStore *self)
{
  if (self->db == NULL || sqlite3_get_autocommit (self->db))
    return;
  if (self->in_batch)
    sqlite3_exec (self->db, "ROLLBACK TO job; RELEASE job", NULL, NULL, NULL);
  else
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
store_commit (GazetteStore  *self,
              const char    *what,
              GError       **error)
{
  int rc = sqlite3_exec (self->db, self->in_batch ? "RELEASE job" : "COMMIT", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Steps a statement that returns no rows (or whose rows do not matter). */
static int
step_done (sqlite3_stmt *stmt)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static gboolean
require_open (GazetteStore  *self,
              GError       **error)
{
  if (self->db != NULL)
    return TRUE;

  g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE, _("The library is not open"));
  return FALSE;
}

static void
not_found (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND, message);
}

/* Open and close */

static void
store_close_db (GazetteStore *self)
{
  if (self->db == NULL)
    return;

  /* Closing the last connection checkpoints the WAL and removes it; with another process still
   * connected, a passive checkpoint still moves what it can without waiting for anyone. */
  sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (sqlite3_close (self->db) != SQLITE_OK)
    {
      g_warning ("Closing the library: %s", sqlite3_errmsg (self->db));
      sqlite3_close_v2 (self->db);
    }
  self->db = NULL;
}

/* Checks an existing file without writing to it: that it is a SQLite database at all, and that
 * no newer Gazette wrote it. */
static gboolean
check_existing_file (GazetteStore  *self,
                     GError       **error)
{
  char header[16] = { 0 };
  GStatBuf st;
  FILE *file;
  size_t n_read;
  sqlite3 *db = NULL;
  int version = 0;
  int rc;

  if (g_stat (self->path, &st) != 0 || st.st_size == 0)
    return TRUE;   /* SQLite treats an empty file as an empty database */

  file = g_fopen (self->path, "rb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                   _("Could not read the library file %s: %s"),
                   self->path, g_strerror (saved_errno));
      return FALSE;
    }
  n_read = fread (header, 1, sizeof header, file);
  fclose (file);

  if (n_read != sizeof header || memcmp (header, SQLITE_MAGIC, sizeof header) != 0)
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                   _("The library file %s is not a database; Gazette left it as it is"),
                   self->path);
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, db, rc, _("Could not open the library"));
      sqlite3_close (db);
      return FALSE;
    }

  if (!gazette_store_read_schema_version (db, &version, error))
    {
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_close (db);

  if (version > gazette_store_latest_schema_version ())
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE_TOO_NEW,
                   _("The library was written by a newer version of Gazette (library version "
                     "%d, this version knows up to %d); Gazette did not change it"),
                   version, gazette_store_latest_schema_version ());
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_max_page_count (GazetteStore  *self,
                      GError       **error)
{
  g_autofree char *sql = NULL;

  /* No limit: ask for the most there is; SQLite clamps it to its own maximum. */
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                         self->max_page_count > 0 ? self->max_page_count
                                                  : G_GINT64_CONSTANT (4294967294));
  return store_exec (self, sql, _("Could not open the library"), error);
}

static gboolean
job_open (GazetteStore  *self,
          Job           *job,
          GError       **error)
{
  sqlite3 *db = NULL;
  int version = 0;
  int rc;

  if (self->db != NULL)
    return TRUE;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_DATABASE,
                   _("Could not create the folder %s: %s"),
                   self->data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!check_existing_file (self, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, db, rc, _("Could not open the library"));
      sqlite3_close (db);
      return FALSE;
    }

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  self->db = db;

  if (!store_exec (self,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = NORMAL;"
                   "PRAGMA foreign_keys = ON;"
                   /* Long lists read many pages: map them instead of a pread() each, and keep
                    * more of them cached than SQLite's 2 MB default. */
                   "PRAGMA mmap_size = 268435456;"
                   "PRAGMA cache_size = -16384;",
                   _("Could not open the library"), error) ||
      !apply_max_page_count (self, error) ||
      !gazette_store_register_functions (db, error) ||
      !gazette_store_migrate (db, &version, error))
    {
      store_close_db (self);
      return FALSE;
    }

  g_atomic_int_set (&self->schema_version, version);
  return TRUE;
}

static gboolean
job_close (GazetteStore  *self,
           Job           *job,
           GError       **error)
{
  store_close_db (self);
  return TRUE;
}

/* Sources */

typedef struct {
  gint64  id;
  int     kind;
  gint64  folder_id;
  int     position;
  char   *title;
  char   *url;
  char   *site_url;
  char   *icon_url;
  char   *error;
  gint64  last_fetched;
  int     refresh_interval;
  gboolean full_article;
  gboolean save_offline;
  gboolean filter_enabled;
} SourceRecord;

static SourceRecord *
source_record_new (GazetteSource *source)
{
  SourceRecord *record = g_new0 (SourceRecord, 1);

  record->id = gazette_source_get_id (source);
  record->kind = gazette_source_get_kind (source);
  record->folder_id = gazette_source_get_folder_id (source);
  record->position = gazette_source_get_position (source);
  record->title = g_strdup (gazette_source_get_title (source));
  record->url = g_strdup (gazette_source_get_url (source));
  record->site_url = g_strdup (gazette_source_get_site_url (source));
  record->icon_url = g_strdup (gazette_source_get_icon_url (source));
  record->error = g_strdup (gazette_source_get_error (source));
  record->last_fetched = gazette_source_get_last_fetched (source);
  record->refresh_interval = gazette_source_get_refresh_interval (source);
  record->full_article = gazette_source_get_full_article (source);
  record->save_offline = gazette_source_get_save_offline (source);
  record->filter_enabled = gazette_source_get_filter_enabled (source);
  return record;
}

static void
source_record_free (gpointer data)
{
  SourceRecord *record = data;

  g_free (record->title);
  g_free (record->url);
  g_free (record->site_url);
  g_free (record->icon_url);
  g_free (record->error);
  g_free (record);
}

/* Binds ?2 … ?14 in the column order of SOURCE_COLUMNS. */
#define SOURCE_COLUMNS \
  "kind, folder_id, position, title, url, site_url, icon_url, error, last_fetched, " \
  "refresh_interval, full_article, save_offline, filter_enabled"

static void
bind_source_record (sqlite3_stmt       *stmt,
                    const SourceRecord *record)
{
  sqlite3_bind_int (stmt, 2, record->kind);
  if (record->folder_id > 0)
    sqlite3_bind_int64 (stmt, 3, record->folder_id);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_int (stmt, 4, record->position);
  bind_text (stmt, 5, record->title);
  bind_text (stmt, 6, record->url);
  bind_text (stmt, 7, record->site_url);
  bind_text (stmt, 8, record->icon_url);
  bind_text (stmt, 9, record->error);
  sqlite3_bind_int64 (stmt, 10, record->last_fetched);
  sqlite3_bind_int (stmt, 11, record->refresh_interval);
  sqlite3_bind_int (stmt, 12, !!record->full_article);
  sqlite3_bind_int (stmt, 13, !!record->save_offline);
  sqlite3_bind_int (stmt, 14, !!record->filter_enabled);
}

static void
set_source_write_error (GError       **error,
                        sqlite3       *db,
                        int            rc,
                        const char    *what)
{
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS,
                         _("This feed is already in your library"));
  else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_FOUND,
                         _("The folder no longer exists"));
  else
    gazette_store_set_sqlite_error (error, db, rc, what);
}

static gboolean
job_list_sources (GazetteStore  *self,
                  Job           *job,
                  GError       **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) folders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const char *what = _("Could not read the list of sources");
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) ||
      !store_prepare (self,
                      "SELECT s.id, s.kind, s.folder_id, s.position, s.title, s.url, s.site_url,"
                      "       s.icon_url, s.error, s.last_fetched, s.refresh_interval,"
                      "       s.full_article, s.save_offline, s.filter_enabled,"
                      "       COALESCE (u.n, 0), COALESCE (t.n, 0)"
                      " FROM sources AS s"
                      " LEFT JOIN (SELECT source_id, count (*) AS n FROM articles"
                      "            GROUP BY source_id) AS t ON t.source_id = s.id"
                      " LEFT JOIN (SELECT source_id, count (*) AS n FROM articles WHERE read = 0"
                      "            GROUP BY source_id) AS u ON u.source_id = s.id"
                      " ORDER BY COALESCE (s.folder_id, 0), s.position, s.title COLLATE NOCASE,"
                      "          s.id",
                      &stmt, what, error))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GazetteSource *source;

      source = gazette_source_new (sqlite3_column_int (stmt, 1),
                                   (const char *) sqlite3_column_text (stmt, 4),
                                   (const char *) sqlite3_column_text (stmt, 5));
      gazette_source_set_id (source, sqlite3_column_int64 (stmt, 0));
      gazette_source_set_folder_id (source, sqlite3_column_int64 (stmt, 2));
      gazette_source_set_position (source, sqlite3_column_int (stmt, 3));
      gazette_source_set_site_url (source, (const char *) sqlite3_column_text (stmt, 6));
      gazette_source_set_icon_url (source, (const char *) sqlite3_column_text (stmt, 7));
      gazette_source_set_error (source, (const char *) sqlite3_column_text (stmt, 8));
      gazette_source_set_last_fetched (source, sqlite3_column_int64 (stmt, 9));
      gazette_source_set_refresh_interval (source, sqlite3_column_int (stmt, 10));
      gazette_source_set_full_article (source, sqlite3_column_int (stmt, 11));
      gazette_source_set_save_offline (source, sqlite3_column_int (stmt, 12));
      gazette_source_set_filter_enabled (source, sqlite3_column_int (stmt, 13));
      gazette_source_set_unread_count (source, sqlite3_column_int64 (stmt, 14));
      gazette_source_set_total_count (source, sqlite3_column_int64 (stmt, 15));
      g_ptr_array_add (sources, source);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }

  /* Folders show the sum of their children. */
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *source = g_ptr_array_index (sources, i);

      if (gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FOLDER)
        {
          gint64 id = gazette_source_get_id (source);

          g_hash_table_insert (folders, g_memdup2 (&id, sizeof id), source);
        }
    }
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *source = g_ptr_array_index (sources, i);
      gint64 folder_id = gazette_source_get_folder_id (source);
      GazetteSource *folder;

      if (folder_id == 0 || gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_FOLDER)
        continue;
      folder = g_hash_table_lookup (folders, &folder_id);
      if (folder == NULL)
        continue;
      gazette_source_set_unread_count (folder, gazette_source_get_unread_count (folder) +
                                               gazette_source_get_unread_count (source));
      gazette_source_set_total_count (folder, gazette_source_get_total_count (folder) +
                                              gazette_source_get_total_count (source));
    }
  job->result = g_steal_pointer (&sources);
  job->result_free = (GDestroyNotify) g_ptr_array_unref;
  return TRUE;
}

static gboolean
job_add_source (GazetteStore  *self,
                Job           *job,
                GError       **error)
{
  SourceRecord *record = job->data;
  const char *what = _("Could not add the source");
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) ||
      !store_prepare (self,
                      "INSERT INTO sources (id, " SOURCE_COLUMNS ")"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                      &stmt, what, error))
    return FALSE;

  sqlite3_bind_null (stmt, 1);
  bind_source_record (stmt, record);
  rc = step_done (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      set_source_write_error (error, self->db, rc, what);
      return FALSE;
    }

  job->result = g_new (gint64, 1);
  *(gint64 *) job->result = sqlite3_last_insert_rowid (self->db);
  job->result_free = g_free;
  store_emit (self, SOURCES_CHANGED, 0);
  return TRUE;
}

static gboolean
job_update_source (GazetteStore  *self,
                   Job           *job,
                   GError       **error)
{
  SourceRecord *record = job->data;
  const char *what = _("Could not save the source");
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* The title apart, and only when it changed: its trigger rewrites the search index of every
   * article of the source, and a refresh saves each source it fetched. */
  if (!require_open (self, error) ||
      !store_prepare (self,
                      "UPDATE sources SET (kind, folder_id, position, url, site_url, icon_url,"
                      " error, last_fetched, refresh_interval, full_article, save_offline,"
                      " filter_enabled) ="
                      " (?2, ?3, ?4, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
                      " WHERE id = ?1",
                      &stmt, what, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, record->id);
  bind_source_record (stmt, record);
  rc = step_done (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      set_source_write_error (error, self->db, rc, what);
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      not_found (error, _("The source no longer exists"));
      return FALSE;
    }

  if (!store_prepare (self, "UPDATE sources SET title = ?2 WHERE id = ?1 AND title IS NOT ?2",
                      &stmt, what, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->id);
  bind_text (stmt, 2, record->title);
  rc = step_done (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      set_source_write_error (error, self->db, rc, what);
      return FALSE;
    }

  store_emit (self, SOURCES_CHANGED, 0);
  return TRUE;
}

static gboolean
job_remove_source (GazetteStore  *self,
                   Job           *job,
                   GError       **error)
{
  gint64 source_id = *(gint64 *) job->data;
  const char *what = _("Could not remove the source");
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) || !store_begin (self, what, error))
    return FALSE;

  /* A folder's children go to the top level; their order is kept, after the others. */
  if (!store_prepare (self, "UPDATE sources SET folder_id = NULL WHERE folder_id = ?1",
                      &stmt, what, error))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, source_id);
  rc = step_done (stmt);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      goto fail;
    }

  /* Articles and their enclosures go with the source (ON DELETE CASCADE). */
  if (!store_prepare (self, "DELETE FROM sources WHERE id = ?1", &stmt, what, error))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, source_id);
  rc = step_done (stmt);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      goto fail;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      not_found (error, _("The source no longer exists"));
      goto fail;
    }

  if (!store_commit (self, what, error))
    return FALSE;

  store_emit (self, SOURCES_CHANGED, 0);
  store_emit (self, ARTICLES_CHANGED, source_id);
  return TRUE;

fail:
  store_rollback (self);
  return FALSE;
}

/* Fetch state */

void
gazette_fetch_state_free (GazetteFetchState *state)
{
  if (state == NULL)
    return;

  g_free (state->etag);
  g_free (state->last_modified);
  g_free (state);
}

static GazetteFetchState *
fetch_state_copy (const GazetteFetchState *state)
{
  GazetteFetchState *copy = g_new0 (GazetteFetchState, 1);

  if (state != NULL)
    {
      *copy = *state;
      copy->etag = g_strdup (state->etag);
      copy->last_modified = g_strdup (state->last_modified);
    }
  return copy;
}

typedef struct {
  gint64             source_id;
  GazetteFetchState *state;
} FetchStateData;

static void
fetch_state_data_free (gpointer data)
{
  FetchStateData *fsd = data;

  gazette_fetch_state_free (fsd->state);
  g_free (fsd);
}

static gboolean
job_get_fetch_state (GazetteStore  *self,
                     Job           *job,
                     GError       **error)
{
  FetchStateData *data = job->data;
  const char *what = _("Could not read the state of the source");
  sqlite3_stmt *stmt = NULL;
  GazetteFetchState *state;
  int rc;

  if (!require_open (self, error) ||
      !store_prepare (self,
                      "SELECT etag, last_modified, last_fetched, next_fetch, error_count"
                      " FROM sources WHERE id = ?1",
                      &stmt, what, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, data->source_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        not_found (error, _("The source no longer exists"));
      else
        gazette_store_set_sqlite_error (error, self->db, rc, what);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  state = g_new0 (GazetteFetchState, 1);
  state->etag = gazette_store_column_dup (stmt, 0);
  state->last_modified = gazette_store_column_dup (stmt, 1);
  state->last_fetched = sqlite3_column_int64 (stmt, 2);
  state->next_fetch = sqlite3_column_int64 (stmt, 3);
  state->error_count = (guint) CLAMP (sqlite3_column_int64 (stmt, 4), 0, G_MAXUINT);
  sqlite3_finalize (stmt);

  job->result = state;
  job->result_free = (GDestroyNotify) gazette_fetch_state_free;
  return TRUE;
}

static gboolean
job_set_fetch_state (GazetteStore  *self,
                     Job           *job,
                     GError       **error)
{
  FetchStateData *data = job->data;
  const char *what = _("Could not save the state of the source");
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) ||
      !store_prepare (self,
                      "UPDATE sources SET etag = ?2, last_modified = ?3, last_fetched = ?4,"
                      " next_fetch = ?5, error_count = ?6 WHERE id = ?1",
                      &stmt, what, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, data->source_id);
  bind_text (stmt, 2, data->state->etag);
  bind_text (stmt, 3, data->state->last_modified);
  sqlite3_bind_int64 (stmt, 4, data->state->last_fetched);
  sqlite3_bind_int64 (stmt, 5, data->state->next_fetch);
  sqlite3_bind_int64 (stmt, 6, data->state->error_count);
  rc = step_done (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      not_found (error, _("The source no longer exists"));
      return FALSE;
    }

  /* No signal: validators and schedules are the library's business, and the visible part
   * (error, last fetched) is written with update_source, which does emit. */
  return TRUE;
}

/* Merging feeds */

typedef struct {
  char      *id;
  char      *title;
  char      *link;
  char      *author;
  gint64     published;
  gint64     updated;
  char      *summary;
  char      *content;
  char      *comments;
  char      *categories;     /* JSON, NULL when none */
  GPtrArray *enclosures;     /* of GazetteEnclosure*, owned copies */
  char      *hash;
} EntryRecord;

typedef struct {
  gint64     source_id;
  GPtrArray *entries;        /* of EntryRecord* */
} MergeData;

static void
enclosure_copy_free (gpointer data)
{
  GazetteEnclosure *enclosure = data;

  g_free (enclosure->url);
  g_free (enclosure->type);
  g_free (enclosure);
}

static void
entry_record_free (gpointer data)
{
  EntryRecord *record = data;

  g_free (record->id);
  g_free (record->title);
  g_free (record->link);
  g_free (record->author);
  g_free (record->summary);
  g_free (record->content);
  g_free (record->comments);
  g_free (record->categories);
  g_clear_pointer (&record->enclosures, g_ptr_array_unref);
  g_free (record->hash);
  g_free (record);
}

static void
merge_data_free (gpointer data)
{
  MergeData *merge = data;

  g_ptr_array_unref (merge->entries);
  g_free (merge);
}

static void
hash_field (GChecksum  *checksum,
            const char *value)
{
  /* NULL and "" hash differently; the separator keeps fields from running together. */
  if (value == NULL)
    g_checksum_update (checksum, (const guchar *) "\1", 1);
  else
    g_checksum_update (checksum, (const guchar *) value, -1);
  g_checksum_update (checksum, (const guchar *) "\0", 1);
}

/* What decides whether a stored entry changed: its title, link, summary and content. */
static char *
content_hash (const char *title,
              const char *link,
              const char *summary,
              const char *content)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);

  hash_field (checksum, title);
  hash_field (checksum, link);
  hash_field (checksum, summary);
  hash_field (checksum, content);
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
categories_to_json (GPtrArray *categories)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (categories == NULL || categories->len == 0)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < categories->len; i++)
    {
      const char *category = g_ptr_array_index (categories, i);

      if (category != NULL)
        json_builder_add_string_value (builder, category);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static EntryRecord *
entry_record_new (const GazetteFeedEntry *entry)
{
  EntryRecord *record = g_new0 (EntryRecord, 1);

  record->id = g_strdup (entry->id);
  record->title = g_strdup (entry->title);
  record->link = g_strdup (entry->link);
  record->author = g_strdup (entry->author);
  record->published = entry->published;
  record->updated = entry->updated;
  record->summary = g_strdup (entry->summary);
  record->content = g_strdup (entry->content);
  record->comments = g_strdup (entry->comments);
  record->categories = categories_to_json (entry->categories);
  record->enclosures = g_ptr_array_new_with_free_func (enclosure_copy_free);
  if (entry->enclosures != NULL)
    {
      for (guint i = 0; i < entry->enclosures->len; i++)
        {
          const GazetteEnclosure *enclosure = g_ptr_array_index (entry->enclosures, i);
          GazetteEnclosure *copy;

          if (enclosure == NULL || enclosure->url == NULL)
            continue;
          copy = g_new0 (GazetteEnclosure, 1);
          copy->url = g_strdup (enclosure->url);
          copy->type = g_strdup (enclosure->type);
          copy->length = enclosure->length;
          g_ptr_array_add (record->enclosures, copy);
        }
    }
  record->hash = content_hash (record->title, record->link, record->summary, record->content);
  return record;
}

static MergeData *
merge_data_new (gint64             source_id,
                const GazetteFeed *feed)
{
  MergeData *merge = g_new0 (MergeData, 1);

  merge->source_id = source_id;
  merge->entries = g_ptr_array_new_with_free_func (entry_record_free);
  if (feed->entries != NULL)
    {
      for (guint i = 0; i < feed->entries->len; i++)
        {
          const GazetteFeedEntry *entry = g_ptr_array_index (feed->entries, i);

          /* The parser always gives an id; an entry without one cannot be merged. */
          if (entry == NULL || entry->id == NULL || entry->id[0] == '\0')
            {
              g_debug ("Skipping a feed entry without an id");
              continue;
            }
          g_ptr_array_add (merge->entries, entry_record_new (entry));
        }
    }
  return merge;
}

enum {
  MERGE_FIND,
  MERGE_INSERT,
  MERGE_UPDATE,
  MERGE_DELETE_ENCLOSURES,
  MERGE_INSERT_ENCLOSURE,
  N_MERGE_STATEMENTS
};

static const char * const merge_sql[N_MERGE_STATEMENTS] = {
  [MERGE_FIND] =
    "SELECT id, content_hash FROM articles WHERE source_id = ?1 AND guid = ?2",
  [MERGE_INSERT] =
    "INSERT INTO articles (source_id, guid, url, title, author, published, updated, added,"
    " summary, content, content_hash, categories, comments)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
  /* read, starred and saved stay; an extracted view stays unless the link moved. */
  [MERGE_UPDATE] =
    "UPDATE articles SET url = ?3, title = ?4, author = ?5, published = ?6, updated = ?7,"
    " summary = ?9, content = ?10, content_hash = ?11, categories = ?12, comments = ?13,"
    " reader_html = CASE WHEN url IS ?3 THEN reader_html ELSE NULL END,"
    " reader_removed = CASE WHEN url IS ?3 THEN reader_removed ELSE NULL END"
    " WHERE id = ?1",
  [MERGE_DELETE_ENCLOSURES] =
    "DELETE FROM enclosures WHERE article_id = ?1",
  [MERGE_INSERT_ENCLOSURE] =
    "INSERT INTO enclosures (article_id, url, type, length) VALUES (?1, ?2, ?3, ?4)",
};

static int
insert_enclosures (sqlite3_stmt      *stmt,
                   gint64             article_id,
                   const EntryRecord *record)
{
  for (guint i = 0; i < record->enclosures->len; i++)
    {
      const GazetteEnclosure *enclosure = g_ptr_array_index (record->enclosures, i);
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, article_id);
      bind_text (stmt, 2, enclosure->url);
      bind_text (stmt, 3, enclosure->type);
      if (enclosure->length >= 0)
        sqlite3_bind_int64 (stmt, 4, enclosure->length);
      else
        sqlite3_bind_null (stmt, 4);
      rc = step_done (stmt);
      if (rc != SQLITE_OK)
        return rc;
    }
  return SQLITE_OK;
}

/* Binds the columns INSERT and UPDATE share (?3 … ?7, ?9 … ?13). */
static void
bind_entry_record (sqlite3_stmt      *stmt,
                   const EntryRecord *record)
{
  bind_text (stmt, 3, record->link);
  bind_text (stmt, 4, record->title);
  bind_text (stmt, 5, record->author);
  bind_time (stmt, 6, record->published);
  bind_time (stmt, 7, record->updated);
  bind_text (stmt, 9, record->summary);
  bind_text (stmt, 10, record->content);
  bind_text (stmt, 11, record->hash);
  bind_text (stmt, 12, record->categories);
  bind_text (stmt, 13, record->comments);
}

static int
merge_one (sqlite3_stmt       **stmts,
           gint64               source_id,
           gint64               now,
           const EntryRecord   *record,
           GazetteMergeResult  *result)
{
  sqlite3_stmt *stmt;
  gint64 article_id;
  int rc;

  stmt = stmts[MERGE_FIND];
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, source_id);
  bind_text (stmt, 2, record->id);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      article_id = sqlite3_column_int64 (stmt, 0);
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), record->hash) == 0)
        {
          sqlite3_reset (stmt);
          result->unchanged++;
          return SQLITE_OK;
        }
      sqlite3_reset (stmt);

      stmt = stmts[MERGE_UPDATE];
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      sqlite3_bind_int64 (stmt, 1, article_id);
      bind_entry_record (stmt, record);
      if ((rc = step_done (stmt)) != SQLITE_OK)
        return rc;

      stmt = stmts[MERGE_DELETE_ENCLOSURES];
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, article_id);
      if ((rc = step_done (stmt)) != SQLITE_OK)
        return rc;

      if ((rc = insert_enclosures (stmts[MERGE_INSERT_ENCLOSURE], article_id, record)) != SQLITE_OK)
        return rc;

      result->updated++;
      return SQLITE_OK;
    }
  else if (rc != SQLITE_DONE)
    {
      return rc;
    }

  sqlite3_reset (stmt);
  stmt = stmts[MERGE_INSERT];
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, source_id);
  bind_text (stmt, 2, record->id);
  sqlite3_bind_int64 (stmt, 8, now);
  bind_entry_record (stmt, record);
  if ((rc = step_done (stmt)) != SQLITE_OK)
    return rc;

  article_id = sqlite3_last_insert_rowid (sqlite3_db_handle (stmt));
  if ((rc = insert_enclosures (stmts[MERGE_INSERT_ENCLOSURE], article_id, record)) != SQLITE_OK)
    return rc;

  result->added++;
  return SQLITE_OK;
}

static gboolean
source_exists (GazetteStore  *self,
               gint64         source_id,
               const char    *what,
               GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!store_prepare (self, "SELECT 1 FROM sources WHERE id = ?1", &stmt, what, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    not_found (error, _("The source no longer exists"));
  else
    gazette_store_set_sqlite_error (error, self->db, rc, what);
  return FALSE;
}

static gboolean
job_merge_feed (GazetteStore  *self,
                Job           *job,
                GError       **error)
{
  MergeData *data = job->data;
  const char *what = _("Could not save the new articles");
  sqlite3_stmt *stmts[N_MERGE_STATEMENTS] = { NULL };
  g_autofree GazetteMergeResult *result = g_new0 (GazetteMergeResult, 1);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ok = FALSE;
  int rc = SQLITE_OK;

  if (!require_open (self, error) || !store_begin (self, what, error))
    return FALSE;

  if (!source_exists (self, data->source_id, what, error))
    goto out;

  for (guint i = 0; i < N_MERGE_STATEMENTS; i++)
    if (!store_prepare (self, merge_sql[i], &stmts[i], what, error))
      goto out;

  for (guint i = 0; i < data->entries->len; i++)
    {
      if (i % 256 == 0 && g_cancellable_set_error_if_cancelled (job->cancellable, error))
        goto out;

      rc = merge_one (stmts, data->source_id, now, g_ptr_array_index (data->entries, i), result);
      if (rc != SQLITE_OK)
        {
          gazette_store_set_sqlite_error (error, self->db, rc, what);
          goto out;
        }
    }

  for (guint i = 0; i < N_MERGE_STATEMENTS; i++)
    g_clear_pointer (&stmts[i], sqlite3_finalize);

  ok = store_commit (self, what, error);

out:
  for (guint i = 0; i < N_MERGE_STATEMENTS; i++)
    g_clear_pointer (&stmts[i], sqlite3_finalize);
  if (!ok)
    {
      store_rollback (self);
      return FALSE;
    }

  if (result->added > 0 || result->updated > 0)
    store_emit (self, ARTICLES_CHANGED, data->source_id);

  job->result = g_steal_pointer (&result);
  job->result_free = g_free;
  return TRUE;
}

/* Listing and loading articles */

typedef struct {
  GazetteArticleFilter filter;
  guint                limit;   /* list_articles: at most this many, newest first; 0 = all */
} FilterData;

/* The WHERE clause for @filter over articles AS a; ?1 is filter->source_id. */
static char *
filter_where (const GazetteArticleFilter *filter)
{
  const char *base;

  switch (filter->kind)
    {
    case GAZETTE_ARTICLE_FILTER_UNREAD:
      base = "a.read = 0";
      break;
    case GAZETTE_ARTICLE_FILTER_STARRED:
      base = "a.starred = 1";
      break;
    case GAZETTE_ARTICLE_FILTER_SAVED:
      base = "a.saved = 1";
      break;
    case GAZETTE_ARTICLE_FILTER_SOURCE:
      base = "a.source_id = ?1";
      break;
    case GAZETTE_ARTICLE_FILTER_FOLDER:
      base = "a.source_id IN (SELECT id FROM sources WHERE folder_id = ?1)";
      break;
    case GAZETTE_ARTICLE_FILTER_ALL:
    default:
      base = "1";
      break;
    }

  return g_strconcat (base, filter->unread_only ? " AND a.read = 0" : "", NULL);
}

/* A saved page (a source of kind PAGES) shows the site it came from rather than "Saved Pages". */
#define ARTICLE_LIST_COLUMNS \
  "a.id, a.source_id, a.guid, a.url, a.title, a.author," \
  " CASE WHEN s.kind = 2 THEN COALESCE (a.site, s.title) ELSE s.title END," \
  " a.published, a.updated," \
  " a.summary, a.lead_image, a.lang, a.dir, a.read, a.starred, a.saved"

static void
read_article_row (sqlite3_stmt      *stmt,
                  GazetteArticleRow *row)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->source_id = sqlite3_column_int64 (stmt, 1);
  row->guid = gazette_store_column_dup (stmt, 2);
  row->url = gazette_store_column_dup (stmt, 3);
  row->title = gazette_store_column_dup (stmt, 4);
  row->author = gazette_store_column_dup (stmt, 5);
  row->source_title = gazette_store_column_dup (stmt, 6);
  row->published = sqlite3_column_int64 (stmt, 7);
  row->updated = sqlite3_column_int64 (stmt, 8);
  row->summary = gazette_store_column_dup (stmt, 9);
  row->lead_image = gazette_store_column_dup (stmt, 10);
  row->lang = gazette_store_column_dup (stmt, 11);
  row->dir = gazette_store_column_dup (stmt, 12);
  row->read = sqlite3_column_int (stmt, 13);
  row->starred = sqlite3_column_int (stmt, 14);
  row->saved = sqlite3_column_int (stmt, 15);
}

static gboolean
job_list_articles (GazetteStore  *self,
                   Job           *job,
                   GError       **error)
{
  FilterData *data = job->data;
  const char *what = _("Could not read the articles");
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *where = filter_where (&data->filter);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  int rc;

  /* articles drives the join so the ORDER BY is read straight off an index. */
  sql = g_strdup_printf ("SELECT " ARTICLE_LIST_COLUMNS
                         " FROM articles AS a LEFT JOIN sources AS s ON s.id = a.source_id"
                         " WHERE %s"
                         " ORDER BY COALESCE (a.published, a.added) DESC, a.id DESC"
                         " LIMIT %d",
                         where, data->limit > 0 ? (int) MIN (data->limit, G_MAXINT) : -1);
  if (!require_open (self, error) || !store_prepare (self, sql, &stmt, what, error))
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int64 (stmt, 1, data->filter.source_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GazetteArticleRow row = { 0 };

      if (++n % 4096 == 0 && g_cancellable_set_error_if_cancelled (job->cancellable, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      read_article_row (stmt, &row);
      g_ptr_array_add (articles, gazette_article_new_from_row (&row));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }

  job->result = g_steal_pointer (&articles);
  job->result_free = (GDestroyNotify) g_ptr_array_unref;
  return TRUE;
}

/* Unread articles of a source whose link was never extracted (reader_html NULL; a failed attempt
 * stores "" so it is not tried again). */
static gboolean
job_list_unextracted (GazetteStore  *self,
                      Job           *job,
                      GError       **error)
{
  gint64 source_id = *(gint64 *) job->data;
  const char *what = _("Could not read the articles");
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) ||
      !store_prepare (self,
                      "SELECT id, url FROM articles WHERE source_id = ?1 AND read = 0"
                      " AND reader_html IS NULL AND url IS NOT NULL"
                      " AND (url LIKE 'http://%' OR url LIKE 'https://%') ORDER BY id",
                      &stmt, what, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GazetteArticle *article = gazette_article_new ();

      gazette_article_set_id (article, sqlite3_column_int64 (stmt, 0));
      gazette_article_set_source_id (article, source_id);
      gazette_article_set_url (article, (const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (articles, article);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }

  job->result = g_steal_pointer (&articles);
  job->result_free = (GDestroyNotify) g_ptr_array_unref;
  return TRUE;
}

static gboolean
job_load_article (GazetteStore  *self,
                  Job           *job,
                  GError       **error)
{
  gint64 article_id = *(gint64 *) job->data;
  const char *what = _("Could not read the article");
  GazetteArticleRow row = { 0 };
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) ||
      !store_prepare (self,
                      "SELECT " ARTICLE_LIST_COLUMNS ", a.content, a.reader_html,"
                      " a.reader_removed"
                      " FROM articles AS a LEFT JOIN sources AS s ON s.id = a.source_id"
                      " WHERE a.id = ?1",
                      &stmt, what, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, article_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        not_found (error, _("The article no longer exists"));
      else
        gazette_store_set_sqlite_error (error, self->db, rc, what);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  read_article_row (stmt, &row);
  row.content = gazette_store_column_dup (stmt, 16);
  row.reader_html = gazette_store_column_dup (stmt, 17);
  row.reader_removed = gazette_store_column_dup (stmt, 18);
  sqlite3_finalize (stmt);

  job->result = gazette_article_new_from_row (&row);
  job->result_free = g_object_unref;
  return TRUE;
}

/* Enclosures */

static gboolean
job_list_enclosures (GazetteStore  *self,
                     Job           *job,
                     GError       **error)
{
  gint64 article_id = *(gint64 *) job->data;
  const char *what = _("Could not read the article’s attachments");
  g_autoptr(GPtrArray) enclosures = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) ||
      !store_prepare (self, "SELECT url, type, length FROM enclosures WHERE article_id = ?1"
                            " ORDER BY id", &stmt, what, error))
    return FALSE;

  enclosures = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_enclosure_free);
  sqlite3_bind_int64 (stmt, 1, article_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GazetteEnclosure *enclosure = g_new0 (GazetteEnclosure, 1);

      enclosure->url = gazette_store_column_dup (stmt, 0);
      enclosure->type = gazette_store_column_dup (stmt, 1);
      enclosure->length = sqlite3_column_type (stmt, 2) == SQLITE_NULL
                          ? -1 : sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (enclosures, enclosure);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }
  job->result = g_steal_pointer (&enclosures);
  job->result_free = (GDestroyNotify) g_ptr_array_unref;
  return TRUE;
}

/* Adding single articles */

typedef struct {
  gint64            source_id;
  GazetteArticleRow row;
} AddArticleData;

static void
article_row_clear (GazetteArticleRow *row)
{
  g_clear_pointer (&row->guid, g_free);
  g_clear_pointer (&row->url, g_free);
  g_clear_pointer (&row->title, g_free);
  g_clear_pointer (&row->author, g_free);
  g_clear_pointer (&row->source_title, g_free);
  g_clear_pointer (&row->summary, g_free);
  g_clear_pointer (&row->content, g_free);
  g_clear_pointer (&row->reader_html, g_free);
  g_clear_pointer (&row->reader_removed, g_free);
  g_clear_pointer (&row->lead_image, g_free);
  g_clear_pointer (&row->lang, g_free);
  g_clear_pointer (&row->dir, g_free);
}

static void
add_article_data_free (gpointer data)
{
  AddArticleData *add = data;

  article_row_clear (&add->row);
  g_free (add);
}

static AddArticleData *
add_article_data_new (gint64          source_id,
                      GazetteArticle *article)
{
  AddArticleData *add = g_new0 (AddArticleData, 1);

  add->source_id = source_id;
  add->row.guid = g_strdup (gazette_article_get_guid (article));
  add->row.url = g_strdup (gazette_article_get_url (article));
  add->row.title = g_strdup (gazette_article_get_title (article));
  add->row.author = g_strdup (gazette_article_get_author (article));
  add->row.published = gazette_article_get_published (article);
  add->row.updated = gazette_article_get_updated (article);
  add->row.summary = g_strdup (gazette_article_get_summary (article));
  add->row.content = g_strdup (gazette_article_get_content (article));
  add->row.reader_html = g_strdup (gazette_article_get_reader_html (article));
  add->row.reader_removed = g_strdup (gazette_article_get_reader_removed (article));
  add->row.lead_image = g_strdup (gazette_article_get_lead_image (article));
  add->row.lang = g_strdup (gazette_article_get_lang (article));
  add->row.dir = g_strdup (gazette_article_get_dir (article));
  add->row.read = gazette_article_get_read (article);
  add->row.starred = gazette_article_get_starred (article);
  add->row.saved = gazette_article_get_saved (article);
  return add;
}

static gboolean
job_add_article (GazetteStore  *self,
                 Job           *job,
                 GError       **error)
{
  AddArticleData *data = job->data;
  GazetteArticleRow *row = &data->row;
  const char *what = _("Could not save the article");
  const char *guid = row->guid != NULL && row->guid[0] != '\0' ? row->guid : row->url;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 id;
  int rc;

  if (guid == NULL || guid[0] == '\0')
    {
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                           _("The article has neither an id nor an address"));
      return FALSE;
    }

  /* Adding again updates the text but never clears a star or a save, nor marks unread. */
  if (!require_open (self, error) ||
      !store_prepare (self,
                      "INSERT INTO articles (source_id, guid, url, title, author, published,"
                      " updated, added, summary, content, reader_html, lead_image, lang, dir,"
                      " read, starred, saved, content_hash, reader_removed)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                      " ?15, ?16, ?17, ?18, ?19)"
                      " ON CONFLICT (source_id, guid) DO UPDATE SET"
                      " url = excluded.url, title = excluded.title, author = excluded.author,"
                      " published = excluded.published, updated = excluded.updated,"
                      " summary = excluded.summary, content = excluded.content,"
                      " reader_html = COALESCE (excluded.reader_html, reader_html),"
                      " reader_removed = CASE WHEN excluded.reader_html IS NULL"
                      "   THEN reader_removed ELSE excluded.reader_removed END,"
                      " lead_image = COALESCE (excluded.lead_image, lead_image),"
                      " lang = COALESCE (excluded.lang, lang),"
                      " dir = COALESCE (excluded.dir, dir),"
                      " read = read OR excluded.read,"
                      " starred = starred OR excluded.starred,"
                      " saved = saved OR excluded.saved,"
                      " content_hash = excluded.content_hash"
                      " RETURNING id",
                      &stmt, what, error))
    return FALSE;

  hash = content_hash (row->title, row->url, row->summary, row->content);
  sqlite3_bind_int64 (stmt, 1, data->source_id);
  bind_text (stmt, 2, guid);
  bind_text (stmt, 3, row->url);
  bind_text (stmt, 4, row->title);
  bind_text (stmt, 5, row->author);
  bind_time (stmt, 6, row->published);
  bind_time (stmt, 7, row->updated);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time () / G_USEC_PER_SEC);
  bind_text (stmt, 9, row->summary);
  bind_text (stmt, 10, row->content);
  bind_text (stmt, 11, row->reader_html);
  bind_text (stmt, 12, row->lead_image);
  bind_text (stmt, 13, row->lang);
  bind_text (stmt, 14, row->dir);
  sqlite3_bind_int (stmt, 15, !!row->read);
  sqlite3_bind_int (stmt, 16, !!row->starred);
  sqlite3_bind_int (stmt, 17, !!row->saved);
  bind_text (stmt, 18, hash);
  bind_text (stmt, 19, row->reader_removed);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        not_found (error, _("The source no longer exists"));
      else
        gazette_store_set_sqlite_error (error, self->db, rc, what);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  id = sqlite3_column_int64 (stmt, 0);
  rc = step_done (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }

  job->result = g_memdup2 (&id, sizeof id);
  job->result_free = g_free;
  store_emit (self, ARTICLES_CHANGED, data->source_id);
  return TRUE;
}

/* Reader view */

typedef struct {
  gint64  article_id;
  char   *html;
  char   *lead_image;
  char   *lang;
  char   *dir;
  char   *removed;
} ReaderData;

static void
reader_data_free (gpointer data)
{
  ReaderData *reader = data;

  g_free (reader->html);
  g_free (reader->lead_image);
  g_free (reader->lang);
  g_free (reader->dir);
  g_free (reader->removed);
  g_free (reader);
}

static gboolean
job_set_reader_html (GazetteStore  *self,
                     Job           *job,
                     GError       **error)
{
  ReaderData *data = job->data;
  const char *what = _("Could not save the article");
  sqlite3_stmt *stmt = NULL;
  gint64 source_id;
  int rc;

  /* What the extractor did not find keeps what the feed said. */
  if (!require_open (self, error) ||
      !store_prepare (self,
                      "UPDATE articles SET reader_html = ?2,"
                      " lead_image = COALESCE (?3, lead_image), lang = COALESCE (?4, lang),"
                      " dir = COALESCE (?5, dir), reader_removed = ?6"
                      " WHERE id = ?1 RETURNING source_id",
                      &stmt, what, error))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, data->article_id);
  bind_text (stmt, 2, data->html);
  bind_text (stmt, 3, data->lead_image);
  bind_text (stmt, 4, data->lang);
  bind_text (stmt, 5, data->dir);
  bind_text (stmt, 6, data->removed);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        not_found (error, _("The article no longer exists"));
      else
        gazette_store_set_sqlite_error (error, self->db, rc, what);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  source_id = sqlite3_column_int64 (stmt, 0);
  rc = step_done (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }

  store_emit (self, ARTICLES_CHANGED, source_id);
  return TRUE;
}

/* Flags */

typedef struct {
  gint64             *ids;
  guint               n_ids;
  GazetteArticleFlag  flag;
  gboolean            value;
} FlagData;

static void
flag_data_free (gpointer data)
{
  FlagData *flag = data;

  g_free (flag->ids);
  g_free (flag);
}

static gboolean
job_set_flag (GazetteStore  *self,
              Job           *job,
              GError       **error)
{
  FlagData *data = job->data;
  const char *what = _("Could not change the articles");
  const char *column;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 changed_source = -1;   /* -1 none yet, 0 several */
  int rc = SQLITE_OK;

  switch (data->flag)
    {
    case GAZETTE_ARTICLE_FLAG_READ:
      column = "read";
      break;
    case GAZETTE_ARTICLE_FLAG_STARRED:
      column = "starred";
      break;
    case GAZETTE_ARTICLE_FLAG_SAVED:
      column = "saved";
      break;
    default:
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                           "Unknown article flag");
      return FALSE;
    }

  if (!require_open (self, error))
    return FALSE;
  if (data->n_ids == 0)
    return TRUE;

  sql = g_strdup_printf ("UPDATE articles SET %s = ?1 WHERE id = ?2 AND %s <> ?1"
                         " RETURNING source_id", column, column);
  if (!store_begin (self, what, error))
    return FALSE;
  if (!store_prepare (self, sql, &stmt, what, error))
    {
      store_rollback (self);
      return FALSE;
    }

  sqlite3_bind_int (stmt, 1, !!data->value);
  for (guint i = 0; i < data->n_ids; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 2, data->ids[i]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 source_id = sqlite3_column_int64 (stmt, 0);

          if (changed_source == -1)
            changed_source = source_id;
          else if (changed_source != source_id)
            changed_source = 0;
        }
      if (rc != SQLITE_DONE)
        break;
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      store_rollback (self);
      return FALSE;
    }
  if (!store_commit (self, what, error))
    return FALSE;

  if (changed_source != -1)
    store_emit (self, ARTICLES_CHANGED, changed_source);
  return TRUE;
}

static gboolean
job_mark_all_read (GazetteStore  *self,
                   Job           *job,
                   GError       **error)
{
  FilterData *data = job->data;
  const char *what = _("Could not mark the articles as read");
  g_autofree char *where = filter_where (&data->filter);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int changes;
  int rc;

  sql = g_strdup_printf ("UPDATE articles AS a SET read = 1 WHERE a.read = 0 AND %s", where);
  if (!require_open (self, error) || !store_prepare (self, sql, &stmt, what, error))
    return FALSE;
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int64 (stmt, 1, data->filter.source_id);

  rc = step_done (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }

  changes = sqlite3_changes (self->db);
  if (changes > 0)
    store_emit (self, ARTICLES_CHANGED,
                data->filter.kind == GAZETTE_ARTICLE_FILTER_SOURCE ? data->filter.source_id : 0);
  return TRUE;
}

/* Counts */

static gboolean
job_get_counts (GazetteStore  *self,
                Job           *job,
                GError       **error)
{
  const char *what = _("Could not count the articles");
  g_autofree GazetteCounts *counts = g_new0 (GazetteCounts, 1);
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Separate sub-selects, so each count is answered by its (partial) index. */
  if (!require_open (self, error) ||
      !store_prepare (self,
                      "SELECT (SELECT count (*) FROM articles),"
                      " (SELECT count (*) FROM articles WHERE read = 0),"
                      " (SELECT count (*) FROM articles WHERE starred = 1),"
                      " (SELECT count (*) FROM articles WHERE saved = 1)",
                      &stmt, what, error))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      counts->all = sqlite3_column_int64 (stmt, 0);
      counts->unread = sqlite3_column_int64 (stmt, 1);
      counts->starred = sqlite3_column_int64 (stmt, 2);
      counts->saved = sqlite3_column_int64 (stmt, 3);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, what);
      return FALSE;
    }

  job->result = g_steal_pointer (&counts);
  job->result_free = g_free;
  return TRUE;
}

/* Testing hooks */

static gboolean
job_set_max_page_count (GazetteStore  *self,
                        Job           *job,
                        GError       **error)
{
  gint64 pages = 0;
  sqlite3_stmt *stmt = NULL;

  self->max_page_count = *(gint64 *) job->data;
  if (self->db != NULL)
    {
      if (!apply_max_page_count (self, error))
        return FALSE;
      if (!store_prepare (self, "PRAGMA max_page_count", &stmt, "max_page_count", error))
        return FALSE;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        pages = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }

  job->result = g_memdup2 (&pages, sizeof pages);
  job->result_free = g_free;
  return TRUE;
}

gint64
gazette_store_set_max_page_count_for_testing (GazetteStore *self,
                                              gint64        max_pages)
{
  gint64 *pages = NULL;
  gint64 value;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), 0);

  if (!store_run_sync (self,
                       job_new (self, job_set_max_page_count,
                                g_memdup2 (&max_pages, sizeof max_pages), g_free, NULL),
                       (gpointer *) &pages, NULL))
    return 0;
  value = *pages;
  g_free (pages);
  return value;
}

static gboolean
job_query (GazetteStore  *self,
           Job           *job,
           GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!require_open (self, error) || !store_prepare (self, job->data, &stmt, "query", error))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      job->result = gazette_store_column_dup (stmt, 0);
      job->result_free = g_free;
      rc = SQLITE_OK;
    }
  else if (rc == SQLITE_DONE)
    rc = SQLITE_OK;
  sqlite3_finalize (stmt);

  if (rc != SQLITE_OK)
    {
      gazette_store_set_sqlite_error (error, self->db, rc, "query");
      return FALSE;
    }
  return TRUE;
}

char *
gazette_store_query_for_testing (GazetteStore  *self,
                                 const char    *sql,
                                 GError       **error)
{
  char *result = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);

  if (!store_run_sync (self, job_new (self, job_query, g_strdup (sql), g_free, NULL),
                       (gpointer *) &result, error))
    return NULL;
  return result;
}

/* GObject */

static void
gazette_store_finalize (GObject *object)
{
  GazetteStore *self = GAZETTE_STORE (object);

  if (self->thread != NULL)
    {
      Job *quit = job_new (NULL, NULL, NULL, NULL, NULL);

      quit->quit = TRUE;
      if (g_thread_self () == self->thread)
        {
          /* The last reference went away inside a job: finish here, let the worker end. */
          store_close_db (self);
          g_async_queue_push (self->queue, quit);
          g_thread_unref (self->thread);
        }
      else
        {
          /* Queued jobs hold references, so the queue is empty but for this. Once the worker
           * is gone the connection may be used (closed) from this thread. */
          g_async_queue_push (self->queue, quit);
          g_thread_join (self->thread);
          store_close_db (self);
        }
      self->thread = NULL;
    }
  else
    {
      store_close_db (self);
    }

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (gazette_store_parent_class)->finalize (object);
}

static void
gazette_store_constructed (GObject *object)
{
  GazetteStore *self = GAZETTE_STORE (object);

  G_OBJECT_CLASS (gazette_store_parent_class)->constructed (object);

  if (self->data_dir == NULL)
    self->data_dir = g_build_filename (g_get_user_data_dir (), "gazette", NULL);
  self->path = g_build_filename (self->data_dir, DB_FILE_NAME, NULL);

  /* Started here rather than on first use, so no two callers can race to start it. */
  self->thread = g_thread_new ("gazette-store", worker_main, g_async_queue_ref (self->queue));
}

static void
gazette_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GazetteStore *self = GAZETTE_STORE (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_store_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GazetteStore *self = GAZETTE_STORE (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_store_class_init (GazetteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gazette_store_constructed;
  object_class->finalize = gazette_store_finalize;
  object_class->get_property = gazette_store_get_property;
  object_class->set_property = gazette_store_set_property;

  /* NULL: $XDG_DATA_HOME/gazette. */
  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SOURCES_CHANGED] =
    g_signal_new ("sources-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals[ARTICLES_CHANGED] =
    g_signal_new ("articles-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
gazette_store_init (GazetteStore *self)
{
  self->queue = g_async_queue_new ();
  self->main_context = g_main_context_ref_thread_default ();
}

/* Public API */

GazetteStore *
gazette_store_new (const char *data_dir)
{
  return g_object_new (GAZETTE_TYPE_STORE, "data-dir", data_dir, NULL);
}

const char *
gazette_store_get_data_dir (GazetteStore *self)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);

  return self->data_dir;
}

const char *
gazette_store_get_path (GazetteStore *self)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);

  return self->path;
}

int
gazette_store_get_schema_version (GazetteStore *self)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), 0);

  return g_atomic_int_get (&self->schema_version);
}

static gboolean
finish_boolean (GazetteStore  *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
finish_pointer (GazetteStore  *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* An int64 result boxed by the job; 0 on error. */
static gint64
finish_int64 (GazetteStore  *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              GError       **error)
{
  g_autofree gint64 *value = finish_pointer (self, result, source_tag, error);

  return value != NULL ? *value : 0;
}

static gint64
unbox_int64 (gint64 *value)
{
  gint64 v = value != NULL ? *value : 0;

  g_free (value);
  return v;
}

static gint64 *
box_int64 (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

/* Open / close */

void
gazette_store_open_async (GazetteStore        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  store_queue_async (self, job_new (self, job_open, NULL, NULL, cancellable), FALSE,
                     gazette_store_open_async, callback, user_data);
}

gboolean
gazette_store_open_finish (GazetteStore  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_boolean (self, result, gazette_store_open_async, error);
}

gboolean
gazette_store_open_sync (GazetteStore  *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);

  return store_run_sync (self, job_new (self, job_open, NULL, NULL, cancellable), NULL, error);
}

void
gazette_store_close (GazetteStore *self)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  /* FIFO: this runs after every job queued before it. */
  store_run_sync (self, job_new (self, job_close, NULL, NULL, NULL), NULL, NULL);
}

/* Sources */

void
gazette_store_list_sources_async (GazetteStore        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self, job_new (self, job_list_sources, NULL, NULL, cancellable), TRUE,
                     gazette_store_list_sources_async, callback, user_data);
}

GPtrArray *
gazette_store_list_sources_finish (GazetteStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, gazette_store_list_sources_async, error);
}

GPtrArray *
gazette_store_list_sources_sync (GazetteStore  *self,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  GPtrArray *sources = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);

  if (!store_run_sync (self, job_new (self, job_list_sources, NULL, NULL, cancellable),
                       (gpointer *) &sources, error))
    return NULL;
  return sources;
}

void
gazette_store_add_source_async (GazetteStore        *self,
                                GazetteSource       *source,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Job *job;

  g_return_if_fail (GAZETTE_IS_STORE (self));
  g_return_if_fail (GAZETTE_IS_SOURCE (source));

  job = job_new (self, job_add_source, source_record_new (source), source_record_free,
                 cancellable);
  /* finish sets the id, on the caller's thread. */
  store_queue_async_full (self, job, TRUE, gazette_store_add_source_async,
                          g_object_ref (source), g_object_unref, callback, user_data);
}

gint64
gazette_store_add_source_finish (GazetteStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  gint64 id = finish_int64 (self, result, gazette_store_add_source_async, error);

  if (id > 0)
    gazette_source_set_id (g_task_get_task_data (G_TASK (result)), id);
  return id;
}

gint64
gazette_store_add_source_sync (GazetteStore   *self,
                               GazetteSource  *source,
                               GCancellable   *cancellable,
                               GError        **error)
{
  gint64 *id = NULL;
  gint64 value;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), 0);
  g_return_val_if_fail (GAZETTE_IS_SOURCE (source), 0);

  if (!store_run_sync (self,
                       job_new (self, job_add_source, source_record_new (source),
                                source_record_free, cancellable),
                       (gpointer *) &id, error))
    return 0;

  value = unbox_int64 (id);
  gazette_source_set_id (source, value);
  return value;
}

void
gazette_store_update_source_async (GazetteStore        *self,
                                   GazetteSource       *source,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));
  g_return_if_fail (GAZETTE_IS_SOURCE (source));

  store_queue_async (self,
                     job_batchable (job_new (self, job_update_source,
                                             source_record_new (source), source_record_free,
                                             cancellable)),
                     FALSE, gazette_store_update_source_async, callback, user_data);
}

gboolean
gazette_store_update_source_finish (GazetteStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_boolean (self, result, gazette_store_update_source_async, error);
}

gboolean
gazette_store_update_source_sync (GazetteStore   *self,
                                  GazetteSource  *source,
                                  GCancellable   *cancellable,
                                  GError        **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (GAZETTE_IS_SOURCE (source), FALSE);

  return store_run_sync (self,
                         job_new (self, job_update_source, source_record_new (source),
                                  source_record_free, cancellable),
                         NULL, error);
}

void
gazette_store_remove_source_async (GazetteStore        *self,
                                   gint64               source_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_new (self, job_remove_source, box_int64 (source_id), g_free,
                              cancellable),
                     FALSE, gazette_store_remove_source_async, callback, user_data);
}

gboolean
gazette_store_remove_source_finish (GazetteStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_boolean (self, result, gazette_store_remove_source_async, error);
}

gboolean
gazette_store_remove_source_sync (GazetteStore  *self,
                                  gint64         source_id,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);

  return store_run_sync (self,
                         job_new (self, job_remove_source, box_int64 (source_id), g_free,
                                  cancellable),
                         NULL, error);
}

/* Fetch state */

static FetchStateData *
fetch_state_data_new (gint64                   source_id,
                      const GazetteFetchState *state)
{
  FetchStateData *data = g_new0 (FetchStateData, 1);

  data->source_id = source_id;
  data->state = state != NULL ? fetch_state_copy (state) : NULL;
  return data;
}

GazetteFetchState *
gazette_store_get_fetch_state_sync (GazetteStore  *self,
                                    gint64         source_id,
                                    GError       **error)
{
  GazetteFetchState *state = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);

  if (!store_run_sync (self,
                       job_new (self, job_get_fetch_state, fetch_state_data_new (source_id, NULL),
                                fetch_state_data_free, NULL),
                       (gpointer *) &state, error))
    return NULL;
  return state;
}

gboolean
gazette_store_set_fetch_state_sync (GazetteStore             *self,
                                    gint64                    source_id,
                                    const GazetteFetchState  *state,
                                    GError                  **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  return store_run_sync (self,
                         job_new (self, job_set_fetch_state,
                                  fetch_state_data_new (source_id, state),
                                  fetch_state_data_free, NULL),
                         NULL, error);
}

void
gazette_store_get_fetch_state_async (GazetteStore        *self,
                                     gint64               source_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_batchable (job_new (self, job_get_fetch_state,
                                             fetch_state_data_new (source_id, NULL),
                                             fetch_state_data_free, cancellable)),
                     TRUE, gazette_store_get_fetch_state_async, callback, user_data);
}

GazetteFetchState *
gazette_store_get_fetch_state_finish (GazetteStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, gazette_store_get_fetch_state_async, error);
}

void
gazette_store_set_fetch_state_async (GazetteStore            *self,
                                     gint64                   source_id,
                                     const GazetteFetchState *state,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));
  g_return_if_fail (state != NULL);

  store_queue_async (self,
                     job_batchable (job_new (self, job_set_fetch_state,
                                             fetch_state_data_new (source_id, state),
                                             fetch_state_data_free, cancellable)),
                     FALSE, gazette_store_set_fetch_state_async, callback, user_data);
}

gboolean
gazette_store_set_fetch_state_finish (GazetteStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_boolean (self, result, gazette_store_set_fetch_state_async, error);
}

/* Merging */

void
gazette_store_merge_feed_async (GazetteStore        *self,
                                gint64               source_id,
                                const GazetteFeed   *feed,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));
  g_return_if_fail (feed != NULL);

  store_queue_async (self,
                     job_batchable (job_new (self, job_merge_feed,
                                             merge_data_new (source_id, feed), merge_data_free,
                                             cancellable)),
                     TRUE, gazette_store_merge_feed_async, callback, user_data);
}

gboolean
gazette_store_merge_feed_finish (GazetteStore        *self,
                                 GAsyncResult        *result,
                                 GazetteMergeResult  *out_result,
                                 GError             **error)
{
  g_autofree GazetteMergeResult *merge = NULL;

  merge = finish_pointer (self, result, gazette_store_merge_feed_async, error);
  if (merge == NULL)
    return FALSE;
  if (out_result != NULL)
    *out_result = *merge;
  return TRUE;
}

gboolean
gazette_store_merge_feed_sync (GazetteStore        *self,
                               gint64               source_id,
                               const GazetteFeed   *feed,
                               GazetteMergeResult  *out_result,
                               GCancellable        *cancellable,
                               GError             **error)
{
  g_autofree GazetteMergeResult *merge = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (feed != NULL, FALSE);

  if (!store_run_sync (self,
                       job_new (self, job_merge_feed, merge_data_new (source_id, feed),
                                merge_data_free, cancellable),
                       (gpointer *) &merge, error))
    return FALSE;
  if (out_result != NULL)
    *out_result = *merge;
  return TRUE;
}

/* Articles */

static FilterData *
filter_data_new (const GazetteArticleFilter *filter)
{
  FilterData *data = g_new0 (FilterData, 1);

  if (filter != NULL)
    data->filter = *filter;
  else
    data->filter.kind = GAZETTE_ARTICLE_FILTER_ALL;
  return data;
}

void
gazette_store_list_articles_async (GazetteStore               *self,
                                   const GazetteArticleFilter *filter,
                                   GCancellable               *cancellable,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_new (self, job_list_articles, filter_data_new (filter), g_free,
                              cancellable),
                     TRUE, gazette_store_list_articles_async, callback, user_data);
}

/* The first @limit rows of a list, for a screenful before the whole list is read. */
void
gazette_store_list_articles_head_async (GazetteStore               *self,
                                        const GazetteArticleFilter *filter,
                                        guint                       limit,
                                        GCancellable               *cancellable,
                                        GAsyncReadyCallback         callback,
                                        gpointer                    user_data)
{
  FilterData *data;

  g_return_if_fail (GAZETTE_IS_STORE (self));

  data = filter_data_new (filter);
  data->limit = limit;
  store_queue_async (self, job_new (self, job_list_articles, data, g_free, cancellable),
                     TRUE, gazette_store_list_articles_async, callback, user_data);
}

GPtrArray *
gazette_store_list_articles_finish (GazetteStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_pointer (self, result, gazette_store_list_articles_async, error);
}

GPtrArray *
gazette_store_list_articles_sync (GazetteStore               *self,
                                  const GazetteArticleFilter *filter,
                                  GCancellable               *cancellable,
                                  GError                    **error)
{
  GPtrArray *articles = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);

  if (!store_run_sync (self,
                       job_new (self, job_list_articles, filter_data_new (filter), g_free,
                                cancellable),
                       (gpointer *) &articles, error))
    return NULL;
  return articles;
}

void
gazette_store_load_article_async (GazetteStore        *self,
                                  gint64               article_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_new (self, job_load_article, box_int64 (article_id), g_free,
                              cancellable),
                     TRUE, gazette_store_load_article_async, callback, user_data);
}

void
gazette_store_list_enclosures_async (GazetteStore        *self,
                                     gint64               article_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_new (self, job_list_enclosures, box_int64 (article_id), g_free,
                              cancellable),
                     TRUE, gazette_store_list_enclosures_async, callback, user_data);
}

GPtrArray *
gazette_store_list_enclosures_finish (GazetteStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (self, result, gazette_store_list_enclosures_async, error);
}

GazetteArticle *
gazette_store_load_article_finish (GazetteStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, gazette_store_load_article_async, error);
}

GazetteArticle *
gazette_store_load_article_sync (GazetteStore  *self,
                                 gint64         article_id,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  GazetteArticle *article = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), NULL);

  if (!store_run_sync (self,
                       job_new (self, job_load_article, box_int64 (article_id), g_free,
                                cancellable),
                       (gpointer *) &article, error))
    return NULL;
  return article;
}

gint64
gazette_store_add_article_sync (GazetteStore    *self,
                                gint64           source_id,
                                GazetteArticle  *article,
                                GCancellable    *cancellable,
                                GError         **error)
{
  gint64 *id = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), 0);
  g_return_val_if_fail (GAZETTE_IS_ARTICLE (article), 0);

  if (!store_run_sync (self,
                       job_new (self, job_add_article, add_article_data_new (source_id, article),
                                add_article_data_free, cancellable),
                       (gpointer *) &id, error))
    return 0;
  return unbox_int64 (id);
}

void
gazette_store_add_article_async (GazetteStore        *self,
                                 gint64               source_id,
                                 GazetteArticle      *article,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));
  g_return_if_fail (GAZETTE_IS_ARTICLE (article));

  store_queue_async (self,
                     job_new (self, job_add_article, add_article_data_new (source_id, article),
                              add_article_data_free, cancellable),
                     TRUE, gazette_store_add_article_async, callback, user_data);
}

gint64
gazette_store_add_article_finish (GazetteStore  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_int64 (self, result, gazette_store_add_article_async, error);
}

void
gazette_store_list_unextracted_async (GazetteStore        *self,
                                      gint64               source_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_new (self, job_list_unextracted, g_memdup2 (&source_id, sizeof source_id),
                              g_free, cancellable),
                     TRUE, gazette_store_list_unextracted_async, callback, user_data);
}

GPtrArray *
gazette_store_list_unextracted_finish (GazetteStore  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish_pointer (self, result, gazette_store_list_unextracted_async, error);
}

static ReaderData *
reader_data_new (gint64      article_id,
                 const char *html,
                 const char *lead_image,
                 const char *lang,
                 const char *dir,
                 const char *removed)
{
  ReaderData *data = g_new0 (ReaderData, 1);

  data->article_id = article_id;
  data->html = g_strdup (html);
  data->lead_image = g_strdup (lead_image);
  data->lang = g_strdup (lang);
  data->dir = g_strdup (dir);
  data->removed = g_strdup (removed);
  return data;
}

void
gazette_store_set_reader_html_async (GazetteStore        *self,
                                     gint64               article_id,
                                     const char          *html,
                                     const char          *lead_image,
                                     const char          *lang,
                                     const char          *dir,
                                     const char          *removed,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_new (self, job_set_reader_html,
                              reader_data_new (article_id, html, lead_image, lang, dir, removed),
                              reader_data_free, cancellable),
                     FALSE, gazette_store_set_reader_html_async, callback, user_data);
}

gboolean
gazette_store_set_reader_html_finish (GazetteStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_boolean (self, result, gazette_store_set_reader_html_async, error);
}

gboolean
gazette_store_set_reader_html_sync (GazetteStore  *self,
                                    gint64         article_id,
                                    const char    *html,
                                    const char    *lead_image,
                                    const char    *lang,
                                    const char    *dir,
                                    const char    *removed,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);

  return store_run_sync (self,
                         job_new (self, job_set_reader_html,
                                  reader_data_new (article_id, html, lead_image, lang, dir, removed),
                                  reader_data_free, cancellable),
                         NULL, error);
}

static FlagData *
flag_data_new (const gint64       *article_ids,
               guint               n_ids,
               GazetteArticleFlag  flag,
               gboolean            value)
{
  FlagData *data = g_new0 (FlagData, 1);

  data->ids = n_ids > 0 ? g_memdup2 (article_ids, sizeof (gint64) * n_ids) : NULL;
  data->n_ids = n_ids;
  data->flag = flag;
  data->value = value;
  return data;
}

void
gazette_store_set_flag_async (GazetteStore        *self,
                              const gint64        *article_ids,
                              guint                n_ids,
                              GazetteArticleFlag   flag,
                              gboolean             value,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));
  g_return_if_fail (article_ids != NULL || n_ids == 0);

  store_queue_async (self,
                     job_new (self, job_set_flag, flag_data_new (article_ids, n_ids, flag, value),
                              flag_data_free, cancellable),
                     FALSE, gazette_store_set_flag_async, callback, user_data);
}

gboolean
gazette_store_set_flag_finish (GazetteStore  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_boolean (self, result, gazette_store_set_flag_async, error);
}

gboolean
gazette_store_set_flag_sync (GazetteStore        *self,
                             const gint64        *article_ids,
                             guint                n_ids,
                             GazetteArticleFlag   flag,
                             gboolean             value,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);
  g_return_val_if_fail (article_ids != NULL || n_ids == 0, FALSE);

  return store_run_sync (self,
                         job_new (self, job_set_flag,
                                  flag_data_new (article_ids, n_ids, flag, value),
                                  flag_data_free, cancellable),
                         NULL, error);
}

void
gazette_store_mark_all_read_async (GazetteStore               *self,
                                   const GazetteArticleFilter *filter,
                                   GCancellable               *cancellable,
                                   GAsyncReadyCallback         callback,
                                   gpointer                    user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self,
                     job_new (self, job_mark_all_read, filter_data_new (filter), g_free,
                              cancellable),
                     FALSE, gazette_store_mark_all_read_async, callback, user_data);
}

gboolean
gazette_store_mark_all_read_finish (GazetteStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_boolean (self, result, gazette_store_mark_all_read_async, error);
}

gboolean
gazette_store_mark_all_read_sync (GazetteStore               *self,
                                  const GazetteArticleFilter *filter,
                                  GCancellable               *cancellable,
                                  GError                    **error)
{
  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);

  return store_run_sync (self,
                         job_new (self, job_mark_all_read, filter_data_new (filter), g_free,
                                  cancellable),
                         NULL, error);
}

/* Counts */

void
gazette_store_get_counts_async (GazetteStore        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (GAZETTE_IS_STORE (self));

  store_queue_async (self, job_new (self, job_get_counts, NULL, NULL, cancellable), TRUE,
                     gazette_store_get_counts_async, callback, user_data);
}

gboolean
gazette_store_get_counts_finish (GazetteStore   *self,
                                 GAsyncResult   *result,
                                 GazetteCounts  *out_counts,
                                 GError        **error)
{
  g_autofree GazetteCounts *counts = NULL;

  counts = finish_pointer (self, result, gazette_store_get_counts_async, error);
  if (counts == NULL)
    return FALSE;
  if (out_counts != NULL)
    *out_counts = *counts;
  return TRUE;
}

gboolean
gazette_store_get_counts_sync (GazetteStore   *self,
                               GazetteCounts  *out_counts,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_autofree GazetteCounts *counts = NULL;

  g_return_val_if_fail (GAZETTE_IS_STORE (self), FALSE);

  if (!store_run_sync (self, job_new (self, job_get_counts, NULL, NULL, cancellable),
                       (gpointer *) &counts, error))
    return FALSE;
  if (out_counts != NULL)
    *out_counts = *counts;
  return TRUE;
}

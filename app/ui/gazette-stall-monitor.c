/* gazette-stall-monitor.c — measures how long the main loop goes without running (debugging)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A timeout that should run every 10 ms; when the main loop is busy elsewhere (parsing on the
 * main thread, a slow store call, a model update of thousands of rows) it runs late, and how
 * late is the stall a user would feel. Only for measurements (bench/feeds-app-demo).
 */
#include "config.h"

#include "gazette-stall-monitor.h"

#include <time.h>

#define TICK_MS 10

typedef struct {
  gint64  last_tick;
  gint64  last_cpu;       /* the main thread's CPU time at last_tick */
  gint64  longest_cpu;    /* µs the main thread ran during the longest stall */
  gint64  busiest;        /* µs, the most CPU time the main thread used in one stall */
  gint64  started;        /* of the refresh, 0 when none */
  gint64  longest;        /* µs, during the refresh */
  guint   over_100ms;
  guint   sources;        /* the most pending seen */
  char   *what;           /* "import and refresh" once gazette_stall_monitor_begin ran */
} Monitor;

static Monitor *the_monitor;

/* A stall is either this thread working or this thread waiting for a CPU that other programs
 * use (a loaded machine): its CPU time tells which. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick_cb (gpointer user_data)
{
  Monitor *monitor = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();
  gint64 gap = now - monitor->last_tick - TICK_MS * 1000;
  gint64 busy = MIN (cpu - monitor->last_cpu, gap);

  if (monitor->started != 0 && gap > monitor->longest)
    {
      monitor->longest = gap;
      monitor->longest_cpu = MAX (busy, 0);
    }
  if (monitor->started != 0 && busy > monitor->busiest)
    monitor->busiest = busy;
  if (monitor->started != 0 && gap > 100 * 1000)
    monitor->over_100ms++;
  monitor->last_tick = now;
  monitor->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
pending_cb (GazetteLibrary *library,
            GParamSpec     *pspec,
            Monitor        *monitor)
{
  monitor->sources = MAX (monitor->sources, gazette_library_get_refresh_pending (library));
}

static void
refreshing_cb (GazetteLibrary *library,
               GParamSpec     *pspec,
               Monitor        *monitor)
{
  gint64 now = g_get_monotonic_time ();

  if (gazette_library_get_refreshing (library))
    {
      /* Begun earlier (an import): that span goes on. */
      if (monitor->what == NULL)
        {
          monitor->started = now;
          monitor->longest = 0;
          monitor->longest_cpu = 0;
          monitor->busiest = 0;
          monitor->over_100ms = 0;
        }
      monitor->sources = gazette_library_get_refresh_pending (library);
      g_printerr ("gazette-stall-monitor: refresh started\n");
    }
  else if (monitor->started != 0)
    {
      g_printerr ("gazette-stall-monitor: %s of %u sources done in %.2f s; longest "
                  "main-loop stall %.0f ms (%u stalls over 100 ms); the main thread ran %.0f ms "
                  "of it, the rest it waited for a CPU; most CPU time in one stall %.0f ms\n",
                  monitor->what != NULL ? monitor->what : "refresh",
                  monitor->sources, (now - monitor->started) / 1e6, monitor->longest / 1e3,
                  monitor->over_100ms, monitor->longest_cpu / 1e3, monitor->busiest / 1e3);
      monitor->started = 0;
      g_clear_pointer (&monitor->what, g_free);
    }
}

void
gazette_stall_monitor_begin (const char *what)
{
  Monitor *monitor = the_monitor;

  if (monitor == NULL)
    return;
  monitor->started = g_get_monotonic_time ();
  monitor->longest = 0;
  monitor->longest_cpu = 0;
  monitor->busiest = 0;
  monitor->over_100ms = 0;
  g_free (monitor->what);
  monitor->what = g_strdup_printf ("%s and refresh", what);
  g_printerr ("gazette-stall-monitor: %s started\n", what);
}

void
gazette_stall_monitor_watch (GazetteLibrary *library)
{
  Monitor *monitor;

  g_return_if_fail (GAZETTE_IS_LIBRARY (library));

  if (g_getenv ("GAZETTE_DEBUG_STALLS") == NULL)
    return;
  monitor = g_new0 (Monitor, 1);
  the_monitor = monitor;
  monitor->last_tick = g_get_monotonic_time ();
  monitor->last_cpu = thread_cpu_time ();
  g_timeout_add (TICK_MS, tick_cb, monitor);
  g_signal_connect (library, "notify::refreshing", G_CALLBACK (refreshing_cb), monitor);
  g_signal_connect (library, "notify::refresh-pending", G_CALLBACK (pending_cb), monitor);
}

/* bench-extract.c — times gazette_extract over a set of pages, in one process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-extract [--no-filter] [--rounds N] PAGE…
 * Every page is read into memory first; only extraction is timed. Prints one JSON object:
 * {"pages", "rounds", "seconds", "pages_per_second", "cpu_seconds", "pages_per_cpu_second",
 *  "failed", "peak_rss_kib", "filter_load_ms"}.
 */
#include "config.h"

#include <glib.h>
#include <sys/resource.h>

#include "gazette-clutter.h"
#include "gazette-extractor.h"

static double
cpu_seconds (const struct rusage *usage)
{
  return usage->ru_utime.tv_sec + usage->ru_utime.tv_usec / 1e6
         + usage->ru_stime.tv_sec + usage->ru_stime.tv_usec / 1e6;
}

int
main (int    argc,
      char **argv)
{
  gboolean no_filter = FALSE;
  int rounds = 3;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint failed = 0;
  double filter_load_ms = 0;
  gint64 start, elapsed;
  double cpu_start, cpu;
  struct rusage usage;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--no-filter"))
        no_filter = TRUE;
      else if (g_str_equal (argv[i], "--rounds") && i + 1 < argc)
        {
          rounds = atoi (argv[++i]);
          rounds = MAX (rounds, 1);
        }
      else
        {
          char *data = NULL;
          gsize len = 0;

          if (g_file_get_contents (argv[i], &data, &len, NULL))
            g_ptr_array_add (pages, g_bytes_new_take (data, len));
        }
    }

  if (pages->len == 0)
    {
      g_printerr ("bench-extract: no pages\n");
      return 1;
    }

  if (!no_filter)
    {
      /* Loading and indexing the rule lists happens once per process; time it apart. */
      start = g_get_monotonic_time ();
      gazette_clutter_filter_get_default ();
      filter_load_ms = (g_get_monotonic_time () - start) / 1000.0;
    }

  getrusage (RUSAGE_SELF, &usage);
  cpu_start = cpu_seconds (&usage);
  start = g_get_monotonic_time ();
  for (int r = 0; r < rounds; r++)
    for (guint i = 0; i < pages->len; i++)
      {
        GBytes *bytes = g_ptr_array_index (pages, i);
        GazetteExtractOptions options = { .url = NULL, .no_filter = no_filter };
        gsize len;
        const char *data = g_bytes_get_data (bytes, &len);
        g_autoptr(GazetteArticleContent) content = NULL;

        content = gazette_extract (data, len, &options, NULL);
        if (content == NULL && r == 0)
          failed++;
      }
  elapsed = g_get_monotonic_time () - start;

  getrusage (RUSAGE_SELF, &usage);
  /* CPU time as well as wall time: on a loaded machine the wall clock measures the others. */
  cpu = cpu_seconds (&usage) - cpu_start;
  g_print ("{\"pages\": %u, \"rounds\": %d, \"seconds\": %.3f, \"pages_per_second\": %.1f, "
           "\"cpu_seconds\": %.3f, \"pages_per_cpu_second\": %.1f, "
           "\"failed\": %u, \"peak_rss_kib\": %ld, \"filter_load_ms\": %.1f}\n",
           pages->len, rounds, elapsed / 1e6, pages->len * rounds / (elapsed / 1e6), cpu,
           pages->len * rounds / MAX (cpu, 1e-6), failed, usage.ru_maxrss, filter_load_ms);
  return 0;
}

/* bench-library.c — the offline library's side of bench/library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-library build DIR N   writes a library of N generated articles into DIR through the
 *                               refresh path (gazette_store_merge_feed_sync, 500 entries a merge,
 *                               60 sources in 6 folders): titles, authors, about 5 KB of text each
 *                               in paragraphs, words drawn from a Zipf distribution over a
 *                               60 000-word vocabulary; prints {"articles", "seconds",
 *                               "articles_per_second", "db_bytes", "bytes_per_article",
 *                               "text_bytes_per_article"} as JSON.
 *   bench-library search DIR    runs 100 queries (common, mid and rare words, two and three words,
 *                               prefixes, an author, a site) through gazette_store_search_sync
 *                               (ranked, 50 hits with snippets), then the same words as SQLite LIKE
 *                               over title, author and text (every word must match, newest 50),
 *                               in the same run, each query 3 times (best kept); prints {"queries", "fts_median_ms", "fts_p95_ms",
 *                               "like_median_ms", "like_p95_ms", "fts_hits", "like_hits"}.
 * The generator is seeded: the same N gives the same library.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "gazette-feed.h"
#include "gazette-store-offline.h"

#define VOCABULARY   60000
#define N_SOURCES    60
#define N_FOLDERS    6
#define PER_MERGE    500
#define N_AUTHORS    3000
#define RUNS         3     /* each query, best time kept */

static const char *syllables[] = {
  "ka", "lo", "mer", "tan", "si", "ver", "on", "da", "ri", "bel", "cor", "ni", "pa", "stu",
  "gra", "len", "mo", "ther", "wi", "ad", "fen", "qui", "ro", "sa", "ble", "tion", "ment", "har",
  "el", "vi", "tor", "pe", "lun", "dra", "ce", "mi", "no", "gan", "bri", "zu", "ty", "ous",
};

typedef struct {
  char    **words;
  double   *cumulative;   /* Zipf CDF over ranks */
  char    **authors;
  GRand    *rand;
} Generator;

static char *
make_word (GRand *rand,
           guint  rank)
{
  /* Frequent words are short, as in real text. */
  guint n = rank < 200 ? 1 + g_rand_int_range (rand, 0, 2)
            : rank < 5000 ? 2 + g_rand_int_range (rand, 0, 2)
            : 2 + g_rand_int_range (rand, 0, 3);
  GString *word = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (word, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
  return g_string_free (word, FALSE);
}

static Generator *
generator_new (void)
{
  Generator *gen = g_new0 (Generator, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  double total = 0;

  gen->rand = g_rand_new_with_seed (20261129);
  gen->words = g_new0 (char *, VOCABULARY + 1);
  for (guint i = 0; i < VOCABULARY; i++)
    {
      char *word;

      do
        {
          word = make_word (gen->rand, i);
          if (g_hash_table_contains (seen, word))
            {
              g_free (word);
              word = NULL;
            }
        }
      while (word == NULL);
      /* Some accents, for the unicode61 remove_diacritics path. */
      if (i % 97 == 13)
        {
          char *accented = g_strconcat (word, "é", NULL);

          g_free (word);
          word = accented;
        }
      g_hash_table_add (seen, word);
      gen->words[i] = word;
    }

  gen->cumulative = g_new (double, VOCABULARY);
  for (guint i = 0; i < VOCABULARY; i++)
    {
      total += 1.0 / pow (i + 1, 1.07);
      gen->cumulative[i] = total;
    }
  for (guint i = 0; i < VOCABULARY; i++)
    gen->cumulative[i] /= total;

  gen->authors = g_new0 (char *, N_AUTHORS + 1);
  for (guint i = 0; i < N_AUTHORS; i++)
    {
      g_autofree char *first = make_word (gen->rand, 10000);
      g_autofree char *last = make_word (gen->rand, 10000);

      first[0] = g_ascii_toupper (first[0]);
      last[0] = g_ascii_toupper (last[0]);
      gen->authors[i] = g_strdup_printf ("%s %s", first, last);
    }
  return gen;
}

static const char *
zipf_word (Generator *gen)
{
  double u = g_rand_double (gen->rand);
  guint lo = 0, hi = VOCABULARY - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (gen->cumulative[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
  return gen->words[lo];
}

/* About @bytes of text in paragraphs of 40–120 words, sentences of 6–20. */
static char *
make_body (Generator *gen,
           gsize      bytes)
{
  GString *html = g_string_sized_new (bytes + 1024);
  gsize text = 0;

  while (text < bytes)
    {
      guint words = g_rand_int_range (gen->rand, 40, 121);
      guint sentence = 0, sentence_len = g_rand_int_range (gen->rand, 6, 21);

      g_string_append (html, "<p>");
      for (guint i = 0; i < words; i++)
        {
          const char *word = zipf_word (gen);
          gsize start = html->len;

          g_string_append (html, word);
          if (sentence == 0)
            html->str[start] = g_ascii_toupper (html->str[start]);
          text += strlen (word) + 1;
          if (++sentence == sentence_len || i + 1 == words)
            {
              g_string_append (html, i + 1 == words ? "." : ". ");
              sentence = 0;
              sentence_len = g_rand_int_range (gen->rand, 6, 21);
            }
          else
            g_string_append_c (html, ' ');
        }
      g_string_append (html, "</p>\n");
    }
  return g_string_free (html, FALSE);
}

static char *
make_title (Generator *gen)
{
  guint n = g_rand_int_range (gen->rand, 5, 11);
  GString *title = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      /* Titles lean to rarer words than body text. */
      const char *word = g_rand_int_range (gen->rand, 0, 3) == 0
                         ? gen->words[g_rand_int_range (gen->rand, 100, 20000)]
                         : zipf_word (gen);

      if (i > 0)
        g_string_append_c (title, ' ');
      g_string_append (title, word);
    }
  title->str[0] = g_ascii_toupper (title->str[0]);
  return g_string_free (title, FALSE);
}

static int
run_build (const char *dir,
           guint       n)
{
  g_autoptr(GazetteStore) store = gazette_store_new (dir);
  g_autoptr(GError) error = NULL;
  Generator *gen = generator_new ();
  gint64 source_ids[N_SOURCES];
  gint64 folder_ids[N_FOLDERS];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 text_bytes = 0;
  gint64 start, elapsed = 0;
  guint made = 0;
  g_autofree char *path = NULL;
  GStatBuf st;

  if (!gazette_store_open_sync (store, NULL, &error))
    {
      g_printerr ("bench-library: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < N_FOLDERS; i++)
    {
      g_autofree char *title = g_strdup_printf ("Folder %u", i + 1);
      g_autoptr(GazetteSource) folder = gazette_source_new (GAZETTE_SOURCE_KIND_FOLDER, title, NULL);

      folder_ids[i] = gazette_store_add_source_sync (store, folder, NULL, &error);
    }
  for (guint i = 0; i < N_SOURCES; i++)
    {
      /* Loopback discard port: a refresh started by the app under test stays on this machine. */
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:9/site%u/feed.xml", i);
      g_autofree char *word = g_strdup (gen->words[200 + i * 37]);
      g_autofree char *title = NULL;
      g_autoptr(GazetteSource) source = NULL;

      word[0] = g_ascii_toupper (word[0]);
      title = g_strdup_printf ("The %s Chronicle", word);
      source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, title, url);
      gazette_source_set_folder_id (source, folder_ids[i % N_FOLDERS]);
      source_ids[i] = gazette_store_add_source_sync (store, source, NULL, &error);
      if (source_ids[i] <= 0)
        {
          g_printerr ("bench-library: %s\n", error->message);
          return 1;
        }
    }

  while (made < n)
    {
      guint source = (made / PER_MERGE) % N_SOURCES;
      g_autoptr(GazetteFeed) feed = g_new0 (GazetteFeed, 1);
      GazetteMergeResult result;

      feed->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_feed_entry_free);
      feed->warnings = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < PER_MERGE && made < n; i++, made++)
        {
          GazetteFeedEntry *entry = g_new0 (GazetteFeedEntry, 1);
          g_autofree char *plain = NULL;

          entry->id = g_strdup_printf ("article-%u", made);
          entry->title = make_title (gen);
          entry->link = g_strdup_printf ("https://site%u.example/%u", source, made);
          entry->author = g_strdup (gen->authors[g_rand_int_range (gen->rand, 0, N_AUTHORS)]);
          /* Three years back, newest last. */
          entry->published = now - (gint64) (n - made) * (3 * 365 * 86400LL / MAX (n, 1));
          entry->content = make_body (gen, g_rand_int_range (gen->rand, 4000, 6200));
          entry->summary = NULL;
          entry->categories = g_ptr_array_new_with_free_func (g_free);
          entry->enclosures = g_ptr_array_new ();
          text_bytes += strlen (entry->content);
          g_ptr_array_add (feed->entries, entry);
        }

      start = g_get_monotonic_time ();
      if (!gazette_store_merge_feed_sync (store, source_ids[source], feed, &result, NULL, &error))
        {
          g_printerr ("bench-library: %s\n", error->message);
          return 1;
        }
      elapsed += g_get_monotonic_time () - start;
      if (made % 20000 == 0)
        g_printerr ("  %u articles, %.0f/s\n", made, made / (elapsed / 1e6));
    }

  gazette_store_close (store);
  path = g_build_filename (dir, "gazette.db", NULL);
  g_stat (path, &st);

  g_print ("{\"articles\": %u, \"seconds\": %.2f, \"articles_per_second\": %.0f, "
           "\"db_bytes\": %" G_GINT64_FORMAT ", \"bytes_per_article\": %.0f, "
           "\"text_bytes_per_article\": %.0f}\n",
           n, elapsed / 1e6, n / (elapsed / 1e6), (gint64) st.st_size,
           (double) st.st_size / n, (double) text_bytes / n);
  return 0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  g_array_sort (values, compare_double);
  index = (guint) ceil (p * values->len) - 1;
  return g_array_index (values, double, MIN (index, values->len - 1));
}

/* The LIKE baseline: every word in title, author or text, newest first, like the list. */
static guint
like_query (sqlite3    *db,
            const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GString) sql = g_string_new ("SELECT a.id FROM articles AS a WHERE 1");
  sqlite3_stmt *stmt = NULL;
  guint n = 0, bind = 1;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i])
      g_string_append_printf (sql, " AND (a.title LIKE ?%u OR a.author LIKE ?%u"
                                   " OR a.content LIKE ?%u)", bind, bind, bind), bind++;
  g_string_append (sql, " ORDER BY COALESCE (a.published, a.added) DESC, a.id DESC LIMIT 50");
  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-library: %s\n", sqlite3_errmsg (db));
      return 0;
    }
  bind = 1;
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i])
      {
        g_autofree char *pattern = g_strdup_printf ("%%%s%%", words[i]);

        sqlite3_bind_text (stmt, bind++, pattern, -1, SQLITE_TRANSIENT);
      }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    n++;
  sqlite3_finalize (stmt);
  return n;
}

static int
run_search (const char *dir)
{
  g_autoptr(GazetteStore) store = gazette_store_new (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) fts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) like = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *path = g_build_filename (dir, "gazette.db", NULL);
  Generator *gen = generator_new ();
  GRand *rand = g_rand_new_with_seed (7);
  guint64 fts_hits = 0, like_hits = 0;
  sqlite3 *db = NULL;

  /* 100 queries: what people type. */
  for (guint i = 0; i < 20; i++)   /* one common word */
    g_ptr_array_add (queries, g_strdup (gen->words[g_rand_int_range (rand, 20, 300)]));
  for (guint i = 0; i < 20; i++)   /* one mid-frequency word */
    g_ptr_array_add (queries, g_strdup (gen->words[g_rand_int_range (rand, 300, 5000)]));
  for (guint i = 0; i < 15; i++)   /* one rare word */
    g_ptr_array_add (queries, g_strdup (gen->words[g_rand_int_range (rand, 5000, 40000)]));
  for (guint i = 0; i < 20; i++)   /* two words */
    g_ptr_array_add (queries, g_strdup_printf ("%s %s",
                                               gen->words[g_rand_int_range (rand, 50, 3000)],
                                               gen->words[g_rand_int_range (rand, 50, 3000)]));
  for (guint i = 0; i < 10; i++)   /* three words */
    g_ptr_array_add (queries, g_strdup_printf ("%s %s %s",
                                               gen->words[g_rand_int_range (rand, 20, 1000)],
                                               gen->words[g_rand_int_range (rand, 20, 1000)],
                                               gen->words[g_rand_int_range (rand, 1000, 8000)]));
  for (guint i = 0; i < 10; i++)   /* a word being typed: its first 3–5 letters */
    {
      const char *word = gen->words[g_rand_int_range (rand, 100, 10000)];

      g_ptr_array_add (queries, g_strndup (word, MIN (strlen (word), 3 + i % 3)));
    }
  for (guint i = 0; i < 4; i++)    /* an author */
    g_ptr_array_add (queries, g_strdup (gen->authors[g_rand_int_range (rand, 0, N_AUTHORS)]));
  g_ptr_array_add (queries, g_strdup ("Chronicle"));   /* a site */

  if (!gazette_store_open_sync (store, NULL, &error))
    {
      g_printerr ("bench-library: %s\n", error->message);
      return 1;
    }
  /* Warm the page cache as a running app would have it. */
  {
    g_autoptr(GPtrArray) warm = gazette_store_search_sync (store, gen->words[500], NULL, 50, NULL,
                                                           NULL);
  }

  for (guint i = 0; i < queries->len; i++)
    {
      const char *text = g_ptr_array_index (queries, i);
      /* Prefix queries are typed without a final space; the rest as finished words. */
      g_autofree char *typed = i >= 75 && i < 85 ? g_strdup (text) : g_strconcat (text, " ", NULL);
      double ms = G_MAXDOUBLE;

      /* Best of RUNS: the machine is shared, and a run that waited for a core says nothing
       * about the query. LIKE below gets the same. */
      for (guint run = 0; run < RUNS; run++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(GPtrArray) hits = gazette_store_search_sync (store, typed, NULL, 50, NULL,
                                                                 &error);

          ms = MIN (ms, (g_get_monotonic_time () - start) / 1000.0);
          if (hits == NULL)
            {
              g_printerr ("bench-library: “%s”: %s\n", text, error->message);
              return 1;
            }
          if (run == 0)
            fts_hits += hits->len;
        }
      g_array_append_val (fts, ms);
    }
  gazette_store_close (store);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return 1;
  sqlite3_exec (db, "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384;", NULL, NULL, NULL);
  for (guint i = 0; i < queries->len; i++)
    {
      double ms = G_MAXDOUBLE;

      for (guint run = 0; run < RUNS; run++)
        {
          gint64 start = g_get_monotonic_time ();
          guint n = like_query (db, g_ptr_array_index (queries, i));

          ms = MIN (ms, (g_get_monotonic_time () - start) / 1000.0);
          if (run == 0)
            like_hits += n;
        }
      g_array_append_val (like, ms);
    }
  sqlite3_close (db);

  g_print ("{\"queries\": %u, \"fts_median_ms\": %.2f, \"fts_p95_ms\": %.2f, "
           "\"like_median_ms\": %.2f, \"like_p95_ms\": %.2f, \"fts_hits\": %" G_GUINT64_FORMAT
           ", \"like_hits\": %" G_GUINT64_FORMAT "}\n",
           queries->len, percentile (fts, 0.5), percentile (fts, 0.95),
           percentile (like, 0.5), percentile (like, 0.95), fts_hits, like_hits);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_str_equal (argv[1], "build"))
    return run_build (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10));
  if (argc == 3 && g_str_equal (argv[1], "search"))
    return run_search (argv[2]);
  g_printerr ("usage: bench-library build DIR N | search DIR\n");
  return 2;
}

/* test-reader-corpus.c — the extractor against the shared corpora, scored like score-extraction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case folder holds source.html (or source.html.gz), expected.txt and maybe meta.json. The
 * score is the public benchmark's: 4-word shingles of the output against those of expected.txt,
 * per page counts normalised, precision and recall macro-averaged over pages, F1 of the two.
 * Pages whose meta.json says "readerable": false are not articles and are left out.
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gazette-extractor.h"

/* A little under what the extractor measured when the thresholds were set (readability 0.963,
 * clutter 0.976): a drop below means a change made extraction worse. */
typedef struct {
  const char *path;
  const char *corpus;
  double      min_f1;
} CorpusCase;

static const CorpusCase corpus_cases[] = {
  { "/reader/corpus/readability", "readability", 0.95 },
  { "/reader/corpus/clutter", "clutter", 0.96 },
};

/* Words as Python's \w+ finds them: letters, digits and the underscore. */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *start = NULL;

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;
      GUnicodeType type = g_unichar_type (c);
      gboolean word = c != 0 && (g_unichar_isalnum (c) || c == '_' ||
                                 type == G_UNICODE_LETTER_NUMBER ||
                                 type == G_UNICODE_OTHER_NUMBER);

      if (word && start == NULL)
        start = p;
      else if (!word && start != NULL)
        {
          /* Case matters, as in the scorer. */
          g_ptr_array_add (words, g_strndup (start, p - start));
          start = NULL;
        }
      if (*p == '\0')
        break;
    }
  return words;
}

/* Shingle → count. */
static GHashTable *
shingles (const char *text)
{
  g_autoptr(GPtrArray) words = split_words (text);
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = words->len;

  if (n == 0)
    return table;
  for (guint i = 0; i < MAX (1, n >= 4 ? n - 3 : 1); i++)
    {
      GString *key = g_string_new (NULL);

      for (guint j = i; j < MIN (i + 4, n); j++)
        {
          if (j > i)
            g_string_append_c (key, '\x1f');
          g_string_append (key, words->pdata[j]);
        }
      {
        gpointer old = g_hash_table_lookup (table, key->str);
        g_hash_table_insert (table, g_string_free (key, FALSE),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
      }
    }
  return table;
}

typedef struct {
  double precision_sum, recall_sum;
  guint  precision_pages, recall_pages;
  guint  pages;
} Totals;

static void
score_page (Totals     *totals,
            const char *truth,
            const char *predicted)
{
  g_autoptr(GHashTable) a = shingles (truth);
  g_autoptr(GHashTable) b = shingles (predicted);
  GHashTableIter iter;
  gpointer key, value;
  double tp = 0, fp = 0, fn = 0, s;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint ca = GPOINTER_TO_UINT (value);
      guint cb = GPOINTER_TO_UINT (g_hash_table_lookup (b, key));

      tp += MIN (ca, cb);
      fn += ca > cb ? ca - cb : 0;
    }
  g_hash_table_iter_init (&iter, b);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint cb = GPOINTER_TO_UINT (value);
      guint ca = GPOINTER_TO_UINT (g_hash_table_lookup (a, key));

      fp += cb > ca ? cb - ca : 0;
    }
  s = tp + fp + fn;
  if (s > 0)
    {
      tp /= s;
      fp /= s;
      fn /= s;
    }
  totals->pages++;
  if (tp + fp > 0)
    {
      totals->precision_sum += tp / (tp + fp);
      totals->precision_pages++;
    }
  if (tp + fn > 0)
    {
      totals->recall_sum += tp / (tp + fn);
      totals->recall_pages++;
    }
}

static GBytes *
read_page (const char *dir)
{
  g_autofree char *plain = g_build_filename (dir, "source.html", NULL);
  g_autofree char *gz = g_build_filename (dir, "source.html.gz", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length = 0;

  if (g_file_get_contents (plain, &data, &length, NULL))
    return g_bytes_new_take (data, length);
  file = g_file_new_for_path (gz);
  raw = G_INPUT_STREAM (g_file_read (file, NULL, &error));
  g_assert_no_error (error);
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  stream = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  out = g_memory_output_stream_new_resizable ();
  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The page's URL and whether it is an article at all, from meta.json when there is one. */
static char *
read_meta (const char *dir,
           gboolean   *readerable)
{
  g_autofree char *path = g_build_filename (dir, "meta.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  char *url = NULL;

  *readerable = TRUE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS) || !json_parser_load_from_file (parser, path, NULL))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "readerable") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "readerable")) &&
      json_node_get_value_type (json_object_get_member (object, "readerable")) == G_TYPE_BOOLEAN)
    *readerable = json_object_get_boolean_member (object, "readerable");
  if (json_object_has_member (object, "url") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "url")))
    url = g_strdup (json_object_get_string_member (object, "url"));
  return url;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
test_corpus (gconstpointer data)
{
  const CorpusCase *cc = data;
  const char *root = g_getenv ("GAZETTE_CORPUS_DIR");
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  Totals totals = { 0 };
  double p, r, f1;

  if (root == NULL || *root == '\0')
    {
      g_test_skip ("GAZETTE_CORPUS_DIR is not set: no corpus to score against");
      return;
    }
  dir = g_build_filename (root, cc->corpus, NULL);
  listing = g_dir_open (dir, 0, NULL);
  if (listing == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is absent: no corpus to score against", dir);
      g_test_skip (message);
      return;
    }
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *case_dir = g_build_filename (dir, names->pdata[i], NULL);
      g_autofree char *expected_path = g_build_filename (case_dir, "expected.txt", NULL);
      g_autofree char *expected = NULL;
      g_autofree char *url = NULL;
      g_autoptr(GBytes) page = NULL;
      g_autoptr(GazetteArticleContent) content = NULL;
      g_autoptr(GError) error = NULL;
      GazetteExtractOptions options = { 0 };
      gboolean readerable;
      gsize length;
      const char *bytes;

      if (!g_file_get_contents (expected_path, &expected, NULL, NULL))
        continue;
      url = read_meta (case_dir, &readerable);
      if (!readerable)
        continue;
      page = read_page (case_dir);
      bytes = g_bytes_get_data (page, &length);
      options.url = url;
      content = gazette_extract (bytes, length, &options, &error);
      score_page (&totals, expected, content != NULL ? content->text : "");
    }

  g_assert_cmpuint (totals.pages, >, 0);
  p = totals.precision_pages > 0 ? totals.precision_sum / totals.precision_pages : 0;
  r = totals.recall_pages > 0 ? totals.recall_sum / totals.recall_pages : 0;
  f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
  g_test_message ("%s: pages %u F1 %.3f P %.3f R %.3f", cc->corpus, totals.pages, f1, p, r);
  g_assert_cmpfloat (f1, >=, cc->min_f1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (corpus_cases); i++)
    g_test_add_data_func (corpus_cases[i].path, &corpus_cases[i], test_corpus);

  return g_test_run ();
}

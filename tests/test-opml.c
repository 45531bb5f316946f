/* test-opml.c — OPML import and export against a real store in the test's own data directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "gazette-test-utils.h"
#include "gazette-error.h"
#include "gazette-opml.h"

typedef struct {
  GazetteStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = gazette_store_new (NULL);
  g_assert_true (gazette_store_open_sync (fixture->store, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gazette_store_close (fixture->store);
  g_clear_object (&fixture->store);
}

static GazetteOpmlResult *
import_data (Fixture     *fixture,
             const char  *data,
             gsize        length,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gazette_opml_import_async (fixture->store, data, length, NULL, gazette_test_store_result,
                             &result);
  return gazette_opml_import_finish (fixture->store, gazette_test_wait_result (&result), error);
}

static GazetteOpmlResult *
import_fixture (Fixture     *fixture,
                const char  *name,
                GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "opml", name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return import_data (fixture, contents, length, error);
}

static char *
export (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *opml;

  gazette_opml_export_async (fixture->store, NULL, gazette_test_store_result, &result);
  opml = gazette_opml_export_finish (fixture->store, gazette_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (opml);
  return opml;
}

static GazetteSource *
find_url (GPtrArray  *sources,
          const char *url)
{
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *s = g_ptr_array_index (sources, i);

      if (g_strcmp0 (gazette_source_get_url (s), url) == 0)
        return s;
    }
  return NULL;
}

static GazetteSource *
find_folder (GPtrArray  *sources,
             const char *title)
{
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *s = g_ptr_array_index (sources, i);

      if (gazette_source_get_kind (s) == GAZETTE_SOURCE_KIND_FOLDER &&
          g_strcmp0 (gazette_source_get_title (s), title) == 0)
        return s;
    }
  return NULL;
}

static guint
count_kind (GPtrArray         *sources,
            GazetteSourceKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < sources->len; i++)
    if (gazette_source_get_kind (g_ptr_array_index (sources, i)) == kind)
      n++;
  return n;
}

static GPtrArray *
list (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *sources = gazette_store_list_sources_sync (fixture->store, NULL, &error);

  g_assert_no_error (error);
  return sources;
}

static void
test_opml1 (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteOpmlResult) result = import_fixture (fixture, "opml1.opml", &error);
  g_autoptr(GPtrArray) sources = NULL;
  GazetteSource *s;

  g_assert_no_error (error);
  g_assert_cmpuint (result->added, ==, 3);
  g_assert_cmpuint (result->folders, ==, 0);
  g_assert_cmpuint (result->skipped, ==, 0);
  g_assert_cmpuint (result->warnings->len, ==, 0);

  sources = list (fixture);
  s = find_url (sources, "http://news.com.com/2547-1_3-0-5.xml");
  g_assert_nonnull (s);
  g_assert_cmpstr (gazette_source_get_title (s), ==, "CNET News.com");
  g_assert_cmpstr (gazette_source_get_site_url (s), ==, "http://news.com.com/");
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, 0);
  s = find_url (sources, "http://www.scripting.com/rss.xml");
  g_assert_nonnull (s);
  g_assert_cmpstr (gazette_source_get_title (s), ==, "Scripting News");
  /* Latin-1 document, attribute name in another case */
  s = find_url (sources, "https://example.org/caf%C3%A9.xml");
  g_assert_nonnull (s);
  g_assert_cmpstr (gazette_source_get_title (s), ==, "Café Society");
}

static void
test_folders (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteOpmlResult) result = import_fixture (fixture, "opml2-folders.opml", &error);
  g_autoptr(GPtrArray) sources = NULL;
  GazetteSource *tech, *news, *s;

  g_assert_no_error (error);
  g_assert_cmpuint (result->added, ==, 6);
  /* Tech, News; an outline holding nothing is not one */
  g_assert_cmpuint (result->folders, ==, 2);
  g_assert_cmpuint (result->skipped, ==, 1);  /* LWN twice */

  sources = list (fixture);
  tech = find_folder (sources, "Tech");
  news = find_folder (sources, "News");
  g_assert_nonnull (tech);
  g_assert_nonnull (news);
  g_assert_null (find_folder (sources, "Deeper"));
  g_assert_null (find_folder (sources, "Deepest"));

  s = find_url (sources, "https://example.org/top.xml");
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, 0);
  g_assert_cmpstr (gazette_source_get_title (s), ==, "Top-level feed");
  g_assert_cmpstr (gazette_source_get_site_url (s), ==, "https://example.org/");
  s = find_url (sources, "https://lwn.net/headlines/rss");
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, gazette_source_get_id (tech));
  g_assert_cmpstr (gazette_source_get_title (s), ==, "LWN.net");
  s = find_url (sources, "https://planet.gnome.org/atom.xml");
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, gazette_source_get_id (tech));
  /* deeper nesting flattens into the nearest folder */
  s = find_url (sources, "https://example.org/deep.xml");
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, gazette_source_get_id (tech));
  s = find_url (sources, "https://example.org/deepest.json");
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, gazette_source_get_id (tech));
  s = find_url (sources, "https://feeds.bbci.co.uk/news/rss.xml");
  g_assert_cmpint (gazette_source_get_folder_id (s), ==, gazette_source_get_id (news));
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteOpmlResult) first = import_fixture (fixture, "opml2-folders.opml", &error);
  g_autoptr(GazetteOpmlResult) second = NULL;
  g_autoptr(GPtrArray) sources = NULL;

  g_assert_no_error (error);
  second = import_fixture (fixture, "opml2-folders.opml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->added, ==, 0);
  g_assert_cmpuint (second->folders, ==, 0);  /* existing folders are reused */
  g_assert_cmpuint (second->skipped, ==, 7);

  sources = list (fixture);
  g_assert_cmpuint (count_kind (sources, GAZETTE_SOURCE_KIND_FEED), ==, 6);
  g_assert_cmpuint (count_kind (sources, GAZETTE_SOURCE_KIND_FOLDER), ==, first->folders);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteOpmlResult) result = import_fixture (fixture, "malformed.opml", &error);
  g_autoptr(GPtrArray) sources = NULL;
  gboolean has_line = FALSE, has_address = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (result->added, >=, 1);
  g_assert_cmpuint (result->warnings->len, >=, 2);
  for (guint i = 0; i < result->warnings->len; i++)
    {
      const char *w = g_ptr_array_index (result->warnings, i);

      g_test_message ("warning: %s", w);
      has_line |= g_str_has_prefix (w, "Line ");
      has_address |= strstr (w, "javascript:") != NULL;
    }
  g_assert_true (has_line);
  g_assert_true (has_address);

  sources = list (fixture);
  g_assert_nonnull (find_url (sources, "https://example.org/good.xml"));
  g_assert_null (find_url (sources, "javascript:alert(1)"));
}

static void
test_not_opml (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteOpmlResult) result = import_fixture (fixture, "not-opml.xml", &error);
  g_autoptr(GazetteOpmlResult) garbage = NULL;
  g_autoptr(GazetteOpmlResult) empty = NULL;

  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_PARSE);
  g_assert_null (result);
  g_clear_error (&error);

  garbage = import_data (fixture, "\x89PNG\r\n\x1a\n\0\0binary", 16, &error);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_PARSE);
  g_assert_null (garbage);
  g_clear_error (&error);

  empty = import_data (fixture, "", 0, &error);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_PARSE);
  g_assert_null (empty);
}

static void
test_no_entities (Fixture       *fixture,
                  gconstpointer  data)
{
  /* An internal entity must not be expanded into attributes, an external one never loaded. */
  static const char doc[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE opml [<!ENTITY x SYSTEM \"file:///etc/passwd\"><!ENTITY y \"expanded\">]>\n"
    "<opml version=\"2.0\"><body>\n"
    "<outline text=\"&x;&y;\" type=\"rss\" xmlUrl=\"https://example.org/e.xml\"/>\n"
    "</body></opml>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteOpmlResult) result = import_data (fixture, doc, sizeof doc - 1, &error);
  g_autoptr(GPtrArray) sources = NULL;
  GazetteSource *s;

  g_assert_no_error (error);
  g_assert_cmpuint (result->added, ==, 1);
  sources = list (fixture);
  s = find_url (sources, "https://example.org/e.xml");
  g_assert_nonnull (s);
  g_test_message ("title: %s", gazette_source_get_title (s));
  g_assert_null (strstr (gazette_source_get_title (s), "root:"));
  g_assert_null (strstr (gazette_source_get_title (s), "expanded"));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteOpmlResult) first = import_fixture (fixture, "opml2-folders.opml", &error);
  g_autoptr(GazetteOpmlResult) again = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *opml = NULL;
  Fixture other = { 0 };

  g_assert_no_error (error);
  opml = export (fixture);
  g_assert_nonnull (strstr (opml, "<opml version=\"2.0\">"));
  g_assert_nonnull (strstr (opml, "<dateCreated>"));
  g_assert_nonnull (strstr (opml, "<title>"));

  /* a second store, as on another computer */
  {
    g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "other", NULL);

    other.store = gazette_store_new (dir);
    g_assert_true (gazette_store_open_sync (other.store, NULL, &error));
  }
  again = import_data (&other, opml, strlen (opml), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->added, ==, first->added);
  g_assert_cmpuint (again->folders, ==, 2);  /* the empty folder is not exported */
  g_assert_cmpuint (again->skipped, ==, 0);
  g_assert_cmpuint (again->warnings->len, ==, 0);

  before = list (fixture);
  after = list (&other);
  for (guint i = 0; i < before->len; i++)
    {
      GazetteSource *b = g_ptr_array_index (before, i);
      GazetteSource *a;

      if (gazette_source_get_kind (b) != GAZETTE_SOURCE_KIND_FEED)
        continue;
      a = find_url (after, gazette_source_get_url (b));
      g_assert_nonnull (a);
      g_assert_cmpstr (gazette_source_get_title (a), ==, gazette_source_get_title (b));
      g_assert_cmpstr (gazette_source_get_site_url (a), ==, gazette_source_get_site_url (b));
      if (gazette_source_get_folder_id (b) == 0)
        g_assert_cmpint (gazette_source_get_folder_id (a), ==, 0);
      else
        {
          GazetteSource *bf = NULL, *af = NULL;

          for (guint j = 0; j < before->len; j++)
            if (gazette_source_get_id (g_ptr_array_index (before, j)) ==
                gazette_source_get_folder_id (b))
              bf = g_ptr_array_index (before, j);
          for (guint j = 0; j < after->len; j++)
            if (gazette_source_get_id (g_ptr_array_index (after, j)) ==
                gazette_source_get_folder_id (a))
              af = g_ptr_array_index (after, j);
          g_assert_nonnull (bf);
          g_assert_nonnull (af);
          g_assert_cmpstr (gazette_source_get_title (af), ==, gazette_source_get_title (bf));
        }
    }
  gazette_store_close (other.store);
  g_clear_object (&other.store);
}

static void
test_escaping (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteSource) folder =
    gazette_source_new (GAZETTE_SOURCE_KIND_FOLDER, "R&D <\"lab\">", NULL);
  g_autoptr(GazetteSource) feed =
    gazette_source_new (GAZETTE_SOURCE_KIND_FEED, "Tom & Jerry's <b>\"news\"</b>\x01",
                        "https://example.org/feed?a=1&b=2");
  g_autoptr(GazetteOpmlResult) result = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *opml = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "escaped", NULL);
  Fixture other = { 0 };
  gint64 folder_id;
  GazetteSource *s;

  folder_id = gazette_store_add_source_sync (fixture->store, folder, NULL, &error);
  g_assert_no_error (error);
  gazette_source_set_folder_id (feed, folder_id);
  gazette_source_set_site_url (feed, "https://example.org/?x=<y>");
  gazette_store_add_source_sync (fixture->store, feed, NULL, &error);
  g_assert_no_error (error);

  opml = export (fixture);
  g_assert_nonnull (strstr (opml, "title=\"R&amp;D &lt;&quot;lab&quot;&gt;\""));
  g_assert_nonnull (strstr (opml, "xmlUrl=\"https://example.org/feed?a=1&amp;b=2\""));
  g_assert_nonnull (strstr (opml, "Tom &amp; Jerry&apos;s &lt;b&gt;&quot;news&quot;&lt;/b&gt;\""));
  g_assert_null (strchr (opml, '\x01'));

  /* and it reads back, strictly */
  other.store = gazette_store_new (dir);
  g_assert_true (gazette_store_open_sync (other.store, NULL, &error));
  result = import_data (&other, opml, strlen (opml), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->warnings->len, ==, 0);
  sources = list (&other);
  s = find_url (sources, "https://example.org/feed?a=1&b=2");
  g_assert_nonnull (s);
  g_assert_cmpstr (gazette_source_get_title (s), ==, "Tom & Jerry's <b>\"news\"</b>");
  g_assert_cmpstr (gazette_source_get_site_url (s), ==, "https://example.org/?x=<y>");
  g_assert_nonnull (find_folder (sources, "R&D <\"lab\">"));
  gazette_store_close (other.store);
  g_clear_object (&other.store);
}

static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) g_getenv ("GAZETTE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static void
test_cli (void)
{
  const char *cli = g_getenv ("GAZETTE_CLI");
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "cli", NULL);
  g_autofree char *folders = g_test_build_filename (G_TEST_DIST, "data", "opml",
                                                    "opml2-folders.opml", NULL);
  g_autofree char *malformed = g_test_build_filename (G_TEST_DIST, "data", "opml",
                                                      "malformed.opml", NULL);
  g_autofree char *not_opml = g_test_build_filename (G_TEST_DIST, "data", "opml",
                                                     "not-opml.xml", NULL);
  g_autofree char *exported = g_build_filename (g_get_user_data_dir (), "out.opml", NULL);
  g_autofree char *contents = NULL;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("GAZETTE_CLI is not set to the built gazette-cli");
      return;
    }
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  {
    const char *args[] = { "--data-dir", dir, "import-opml", folders, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_cmpstr (out, ==, "Added 6 feeds in 2 folders, skipped 1\n");
  }
  {
    const char *args[] = { "--data-dir", dir, "import-opml", malformed, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (err, "Line "));
  }
  {
    const char *args[] = { "--data-dir", dir, "import-opml", not_opml, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (args, &out, &err), ==, 1);
    g_assert_cmpstr (out, ==, "");
  }
  {
    const char *args[] = { "--data-dir", dir, "export-opml", NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "xmlUrl=\"https://lwn.net/headlines/rss\""));
  }
  {
    const char *args[] = { "--data-dir", dir, "export-opml", "-o", exported, NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (args, &out, &err), ==, 0);
    g_assert_true (g_file_get_contents (exported, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "<outline text=\"Tech\" title=\"Tech\">"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/core/opml/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("import/opml1", test_opml1);
  ADD ("import/folders", test_folders);
  ADD ("import/duplicates", test_duplicates);
  ADD ("import/malformed", test_malformed);
  ADD ("import/not-opml", test_not_opml);
  ADD ("import/no-entities", test_no_entities);
  ADD ("export/round-trip", test_round_trip);
  ADD ("export/escaping", test_escaping);
#undef ADD
  g_test_add_func ("/core/opml/cli", test_cli);

  return g_test_run ();
}

/* test-metadata.c — gazette_metadata_read on parsed pages, one source and one precedence rule at
 * a time; title cleaning and byline tidying
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libxml/HTMLparser.h>
#include <string.h>

#include "gazette-extractor.h"
#include "gazette-metadata.h"

static GazetteArticleContent *
read_metadata (const char *html)
{
  GazetteArticleContent *content = g_new0 (GazetteArticleContent, 1);
  htmlDocPtr doc = htmlReadMemory (html, strlen (html), "https://news.example/a/1", "UTF-8",
                                   HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                   HTML_PARSE_NOWARNING);

  g_assert_nonnull (doc);
  content->removed = g_ptr_array_new ();
  gazette_metadata_read (doc, "https://news.example/a/1", content);
  xmlFreeDoc (doc);
  return content;
}

typedef struct {
  const char *path;
  const char *html;
  const char *title;
  const char *byline;
  const char *site_name;
  const char *published;
} Case;

static const Case cases[] = {
  /* JSON-LD outranks OpenGraph, which outranks <meta name> and <title>. */
  { "/reader/metadata/source/json-ld-first",
    "<head><title>Doc title | Site</title><meta property='og:title' content='OG title'>"
    "<meta name='author' content='Meta Author'>"
    "<script type='application/ld+json'>{\"@type\":\"Article\",\"headline\":\"LD title\","
    "\"author\":{\"@type\":\"Person\",\"name\":\"LD Author\"},\"datePublished\":\"2020-02-03T04:05:06Z\"}"
    "</script></head><body></body>",
    "LD title", "LD Author", NULL, "2020-02-03T04:05:06Z" },
  /* A WebPage described before its Article does not lend the article its values. */
  { "/reader/metadata/source/json-ld-webpage-then-article",
    "<head><script type='application/ld+json'>[{\"@type\":\"WebPage\",\"name\":\"Page name\","
    "\"author\":{\"name\":\"Newsroom\"}},{\"@type\":\"NewsArticle\",\"headline\":\"Article headline\","
    "\"author\":[{\"@type\":\"Person\",\"name\":\"Stella Kim\"},{\"@type\":\"Person\",\"name\":\"Jennifer Jett\"}]}]"
    "</script></head><body></body>",
    "Article headline", "Stella Kim, Jennifer Jett", NULL, NULL },
  /* …but fills what the article leaves empty. */
  { "/reader/metadata/source/json-ld-webpage-only",
    "<head><script type='application/ld+json'>{\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"The Site\"},"
    "{\"@type\":\"WebPage\",\"name\":\"Only the page\",\"datePublished\":\"2021-01-01\"}]}</script>"
    "</head><body></body>",
    "Only the page", NULL, "The Site", "2021-01-01T00:00:00Z" },
  /* An empty script is no JSON-LD (it parses to no node); the next one still counts. */
  { "/reader/metadata/source/json-ld-empty",
    "<head><title>Doc</title><script type='application/ld+json'> </script>"
    "<script type='application/ld+json'></script>"
    "<script type='application/ld+json'>{\"@type\":\"Article\",\"headline\":\"After empty\"}"
    "</script></head><body></body>",
    "After empty", NULL, NULL, NULL },
  { "/reader/metadata/source/opengraph",
    "<head><title>Doc</title><meta property='og:title' content='OG title'>"
    "<meta property='og:site_name' content='OG Site'>"
    "<meta property='article:published_time' content='2019-12-07T18:31:00+03:00'></head><body></body>",
    "OG title", NULL, "OG Site", "2019-12-07T15:31:00Z" },
  { "/reader/metadata/source/twitter",
    "<head><title>Doc</title><meta name='twitter:title' content='Card title'>"
    "<meta name='twitter:creator' content='Card Author'></head><body></body>",
    "Card title", "Card Author", NULL, NULL },
  /* Dublin Core's creator is more specific than a generic author <meta>. */
  { "/reader/metadata/source/dublin-core",
    "<head><title>Doc</title><meta name='author' content='Meta name author'>"
    "<meta property='dc:creator' content='Dublin Core author'></head><body></body>",
    "Doc", "Dublin Core author", NULL, NULL },
  /* RDFa lets one attribute carry several properties. */
  { "/reader/metadata/source/space-separated-properties",
    "<head><title>Doc</title><meta property='dc:creator twitter:site_name' content='Creator Name'>"
    "<meta property='og:title twitter:title' content='Preferred title'></head><body></body>",
    "Preferred title", "Creator Name", NULL, NULL },
  { "/reader/metadata/source/microdata",
    "<head><title>Doc</title></head><body><div itemscope itemtype='https://schema.org/Article'>"
    "<span itemprop='author' itemscope><span itemprop='name'>Micro Author</span></span>"
    "<meta itemprop='datePublished' content='2018-08-09T10:00:00+00:00'></div></body>",
    "Doc", "Micro Author", NULL, "2018-08-09T10:00:00Z" },
  { "/reader/metadata/source/time",
    "<head><title>Doc</title></head><body><time datetime='2017-04-05T06:07:08+02:00'>5 April</time></body>",
    "Doc", NULL, NULL, "2017-04-05T04:07:08Z" },
  /* Bylines: "By" goes, and so does a separator that led to a date now removed; an address is
   * not a name. */
  { "/reader/metadata/byline/tidy",
    "<head><title>Doc</title></head><body><p class='byline'>By Nicolas Perriault —</p></body>",
    "Doc", "Nicolas Perriault", NULL, NULL },
  { "/reader/metadata/byline/not-a-url",
    "<head><title>Doc</title><meta name='author' content='https://plus.example/+Someone'></head><body></body>",
    "Doc", NULL, NULL, NULL },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  GazetteArticleContent *content = read_metadata (c->html);

  g_assert_cmpstr (content->title, ==, c->title);
  g_assert_cmpstr (content->byline, ==, c->byline);
  if (c->site_name != NULL)
    g_assert_cmpstr (content->site_name, ==, c->site_name);
  g_assert_cmpstr (content->published, ==, c->published);
  gazette_article_content_free (content);
}

static void
test_clean_title (void)
{
  static const struct { const char *title, *site, *heading, *out; } rows[] = {
    { "Ferry Keeps Its Morning Run - Harbour Courier", "Harbour Courier", NULL, "Ferry Keeps Its Morning Run" },
    { "Harbour Courier | Ferry Keeps Its Morning Run", "Harbour Courier", NULL, "Ferry Keeps Its Morning Run" },
    { "Ferry Keeps Its Morning Run | HC", NULL, NULL, "Ferry Keeps Its Morning Run" },
    { "Ferry Keeps Its Morning Run :: Harbour Courier", "Harbour Courier", NULL, "Ferry Keeps Its Morning Run" },
    /* The heading is the article's title when the document title holds it and it is most of it. */
    { "Breaking: Ferry Keeps Its Morning Run › News", NULL, "Ferry Keeps Its Morning Run",
      "Ferry Keeps Its Morning Run" },
    /* A heading that is only the site's tagline is not. */
    { "Evolve: Shared Mutable History — evolve extension for Mercurial", NULL,
      "evolve extension for Mercurial", "Evolve: Shared Mutable History — evolve extension for Mercurial" },
    /* Two short halves: nothing says which is the site's. */
    { "Cats - Dogs", NULL, NULL, "Cats - Dogs" },
    { "No separator at all", "Site", NULL, "No separator at all" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *out = gazette_metadata_clean_title (rows[i].title, rows[i].site, rows[i].heading);
      g_assert_cmpstr (out, ==, rows[i].out);
    }
  g_assert_null (gazette_metadata_clean_title (NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/reader/metadata/clean-title", test_clean_title);

  return g_test_run ();
}

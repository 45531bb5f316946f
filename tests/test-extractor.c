/* test-extractor.c — encoding detection, metadata, URL resolution, lazy images, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "gazette-encoding.h"
#include "gazette-error.h"
#include "gazette-extractor.h"
#include "gazette-metadata.h"

/* A body long enough to be an article, so the tests look at one thing at a time. */
#define S(x) x, sizeof (x) - 1

#define PROSE \
  "<p>The harbour committee met on Tuesday evening to discuss the winter timetable, and after a " \
  "long debate, with several members speaking twice, it agreed to keep the morning ferry.</p>" \
  "<p>Fishermen had asked for an earlier departure, since the catch must reach the market by " \
  "six, while teachers wanted a later one, because the school opens at nine and children wait.</p>" \
  "<p>A compromise was found: the first boat leaves at half past five on weekdays, and at seven " \
  "on Saturdays, when the market opens later and the school is closed for the weekend.</p>"

static GazetteArticleContent *
extract (const char *html,
         const char *url)
{
  GazetteExtractOptions options = { .url = url };
  g_autoptr(GError) error = NULL;
  GazetteArticleContent *content = gazette_extract (html, strlen (html), &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (content);
  return content;
}

/* ---------- encoding ---------- */

static void
test_encoding (void)
{
  static const struct {
    const char *data;
    gsize       length;
    const char *content_type;
    const char *charset;
  } rows[] = {
    { S("\xEF\xBB\xBF<p>x</p>"), NULL, "UTF-8" },
    { S("\xFF\xFE<\0p\0>\0"), NULL, "UTF-16LE" },
    { S("<p>caf\xE9</p>"), "text/html; charset=ISO-8859-1", "WINDOWS-1252" },
    { S("<meta charset=\"koi8-r\"><p>\xF0\xD2\xC9\xD7\xC5\xD4</p>"), NULL, "KOI8-R" },
    { S("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>x</p>"),
      NULL, "WINDOWS-1251" },
    { S("<p>caf\xC3\xA9</p>"), NULL, "UTF-8" },
    { S("<p>caf\xE9</p>"), NULL, "WINDOWS-1252" },
    /* Labelled Latin-1 but really UTF-8: the bytes win. */
    { S("<meta charset=\"iso-8859-1\"><p>caf\xC3\xA9</p>"), NULL, "UTF-8" },
    /* The HTTP header is trusted over the page. */
    { S("<meta charset=\"utf-8\"><p>x</p>"), "text/html; charset=koi8-r", "KOI8-R" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *charset = gazette_detect_charset (rows[i].data, rows[i].length,
                                                         rows[i].content_type);
      g_assert_cmpstr (charset, ==, rows[i].charset);
    }
}

static void
test_encoding_convert (void)
{
  gsize len;
  g_autofree char *latin = gazette_to_utf8 (S ("<p>caf\xE9 \x93quoted\x94</p>"), NULL, &len);
  g_autofree char *cyr = gazette_to_utf8 (S ("<meta charset=\"windows-1251\"><p>\xCF\xF0\xE8\xE2\xE5\xF2</p>"),
                                          NULL, &len);
  g_autofree char *broken = gazette_to_utf8 (S ("<p>ok \xC3</p>"), "text/html; charset=utf-8", &len);

  g_assert_cmpstr (latin, ==, "<p>café “quoted”</p>");
  g_assert_nonnull (strstr (cyr, "Привет"));
  g_assert_true (g_utf8_validate (broken, -1, NULL));
  g_assert_nonnull (strstr (broken, "ok"));
}

/* ---------- metadata ---------- */

typedef struct {
  const char *path;
  const char *head;
  const char *body_prefix;
  const char *title, *byline, *site_name, *published, *lang, *dir, *lead_image, *excerpt;
} MetaCase;

static const MetaCase meta_cases[] = {
  { "/reader/metadata/json-ld",
    "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\","
    "\"headline\":\"Ferry Keeps Its Morning Run\",\"author\":{\"@type\":\"Person\",\"name\":\"Ada Lovelace\"},"
    "\"datePublished\":\"2019-12-07T18:31:00+03:00\",\"publisher\":{\"name\":\"Harbour Courier\"},"
    "\"image\":{\"url\":\"/img/ferry.jpg\"},\"description\":\"A compromise on the timetable.\"}</script>"
    "<title>Something else | Harbour Courier</title>",
    "", "Ferry Keeps Its Morning Run", "Ada Lovelace", "Harbour Courier", "2019-12-07T15:31:00Z",
    NULL, NULL, "https://news.example/img/ferry.jpg", "A compromise on the timetable." },
  { "/reader/metadata/json-ld-graph",
    "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"Graph Site\"},"
    "{\"@type\":[\"BlogPosting\"],\"headline\":\"From the Graph\",\"author\":[{\"name\":\"A\"},{\"name\":\"B\"}],"
    "\"datePublished\":\"2020-01-02\"}]}</script>",
    "", "From the Graph", "A, B", "Graph Site", "2020-01-02T00:00:00Z", NULL, NULL, NULL, NULL },
  { "/reader/metadata/opengraph",
    "<meta property=\"og:title\" content=\"OG Title\"><meta property=\"og:site_name\" content=\"OG Site\">"
    "<meta property=\"article:published_time\" content=\"2021-05-06T07:08:09Z\">"
    "<meta property=\"og:image\" content=\"https://cdn.example/a.png\">"
    "<meta property=\"og:description\" content=\"OG description\"><meta property=\"og:locale\" content=\"de_DE\">",
    "", "OG Title", NULL, "OG Site", "2021-05-06T07:08:09Z", "de-DE", NULL,
    "https://cdn.example/a.png", "OG description" },
  { "/reader/metadata/twitter",
    "<meta name=\"twitter:title\" content=\"Card Title\"><meta name=\"twitter:image\" content=\"/t.png\">"
    "<meta name=\"twitter:description\" content=\"Card text\">",
    "", "Card Title", NULL, NULL, NULL, NULL, NULL, "https://news.example/t.png", "Card text" },
  { "/reader/metadata/meta",
    "<title>Plain Title</title><meta name=\"author\" content=\"Grace Hopper\">"
    "<meta name=\"description\" content=\"Meta description\"><meta name=\"date\" content=\"Tue, 10 Mar 2020 10:00:00 GMT\">",
    "", "Plain Title", "Grace Hopper", NULL, "2020-03-10T10:00:00Z", NULL, NULL, NULL, "Meta description" },
  { "/reader/metadata/microdata", "<title>Doc</title>",
    "<div itemscope itemtype=\"https://schema.org/Article\"><h1 itemprop=\"headline\">Micro Title</h1>"
    "<span itemprop=\"author\" itemscope><span itemprop=\"name\">Edsger Dijkstra</span></span>"
    "<meta itemprop=\"datePublished\" content=\"2018-08-09\"></div>",
    "Micro Title", "Edsger Dijkstra", NULL, "2018-08-09T00:00:00Z", NULL, NULL, NULL, NULL },
  { "/reader/metadata/time", "<title>Timed</title>",
    "<article><time datetime=\"2017-04-05T06:07:08+02:00\">5 April</time></article>",
    "Timed", NULL, NULL, "2017-04-05T04:07:08Z", NULL, NULL, NULL, NULL },
  { "/reader/metadata/title-suffix",
    "<title>Ferry Keeps Its Morning Run - Harbour Courier</title>"
    "<meta property=\"og:site_name\" content=\"Harbour Courier\">",
    "", "Ferry Keeps Its Morning Run", NULL, "Harbour Courier", NULL, NULL, NULL, NULL, NULL },
  { "/reader/metadata/title-prefix",
    "<title>Harbour Courier | Ferry Keeps Its Morning Run</title>"
    "<meta property=\"og:site_name\" content=\"Harbour Courier\">",
    "", "Ferry Keeps Its Morning Run", NULL, "Harbour Courier", NULL, NULL, NULL, NULL, NULL },
  { "/reader/metadata/title-from-heading", "<title>Breaking: Ferry Keeps Its Morning Run › News › HC</title>",
    "<h1>Ferry Keeps Its Morning Run</h1>",
    "Ferry Keeps Its Morning Run", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
  { "/reader/metadata/byline-not-a-date", "<title>T</title>",
    "<div class=\"byline\">Dec. 7, 2019</div>", "T", NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static void
test_metadata (gconstpointer data)
{
  const MetaCase *c = data;
  g_autofree char *html = g_strdup_printf ("<html><head>%s</head><body>%s%s</body></html>",
                                           c->head, c->body_prefix, PROSE);
  g_autoptr(GazetteArticleContent) content = extract (html, "https://news.example/story/1");

  g_assert_cmpstr (content->title, ==, c->title);
  g_assert_cmpstr (content->byline, ==, c->byline);
  g_assert_cmpstr (content->site_name, ==, c->site_name);
  g_assert_cmpstr (content->published, ==, c->published);
  g_assert_cmpstr (content->lang, ==, c->lang);
  g_assert_cmpstr (content->dir, ==, c->dir);
  g_assert_cmpstr (content->lead_image, ==, c->lead_image);
  if (c->excerpt != NULL)
    g_assert_cmpstr (content->excerpt, ==, c->excerpt);
}

static void
test_lang_dir (void)
{
  g_autoptr(GazetteArticleContent) ar = extract ("<html lang=\"ar\"><body>" PROSE "</body></html>", NULL);
  g_autoptr(GazetteArticleContent) he = extract ("<html lang=\"he\" dir=\"rtl\"><body>" PROSE "</body></html>", NULL);
  g_autoptr(GazetteArticleContent) en = extract ("<html lang=\"en_gb\"><body>" PROSE "</body></html>", NULL);

  g_assert_cmpstr (ar->lang, ==, "ar");
  g_assert_cmpstr (ar->dir, ==, "rtl");
  g_assert_cmpstr (he->dir, ==, "rtl");
  g_assert_cmpstr (en->lang, ==, "en-GB");
  g_assert_null (en->dir);
}

static void
test_dates (void)
{
  static const struct { const char *in, *out; } rows[] = {
    { "2019-12-07T18:31:00+03:00", "2019-12-07T15:31:00Z" },
    { "2019-12-07T15:31:00Z", "2019-12-07T15:31:00Z" },
    { "2019-12-07 15:31:00", "2019-12-07T15:31:00Z" },
    { "2019-12-07T15:31:00.123+0000", "2019-12-07T15:31:00Z" },
    { "2019-12-07", "2019-12-07T00:00:00Z" },
    { "Sat, 07 Dec 2019 15:31:00 GMT", "2019-12-07T15:31:00Z" },
    { "Sat, 07 Dec 2019 18:31:00 +0300", "2019-12-07T15:31:00Z" },
    { "December 7, 2019", "2019-12-07T00:00:00Z" },
    { "not a date", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *out = gazette_metadata_normalize_date (rows[i].in);
      g_assert_cmpstr (out, ==, rows[i].out);
    }
}

/* ---------- the body ---------- */

static void
test_urls (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><head><base href=\"/base/\"></head><body><article>" PROSE
      "<p>See <a href=\"more.html\">more</a> and <img src=\"pic.jpg\" alt=\"pic\"> and "
      "<a href=\"https://other.example/x\">this</a>, which are all part of the same article text.</p>"
      "</article></body></html>", "https://site.example/dir/page.html");

  g_assert_nonnull (strstr (c->html, "href=\"https://site.example/base/more.html\""));
  g_assert_nonnull (strstr (c->html, "src=\"https://site.example/base/pic.jpg\""));
  g_assert_nonnull (strstr (c->html, "href=\"https://other.example/x\""));
}

static void
test_lazy_images (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><body><article>" PROSE
      "<figure><img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" data-src=\"/real1.jpg\"></figure>"
      "<figure><img data-srcset=\"/real2-1x.jpg 1x, /real2-2x.jpg 2x\"></figure>"
      "<figure><img class=\"lazy\" src=\"/placeholder.png\" data-original=\"/real3.jpg\"></figure>"
      "<figure><img src=\"/blank.gif\"><noscript><img src=\"/real4.jpg\"></noscript></figure>"
      "<figure><picture><source srcset=\"/real5.webp\"><img alt=\"five\"></picture></figure>"
      PROSE "</article></body></html>", "https://img.example/a/");

  g_test_message ("%s", c->html);
  g_assert_nonnull (strstr (c->html, "https://img.example/real1.jpg"));
  g_assert_nonnull (strstr (c->html, "https://img.example/real2-1x.jpg"));
  g_assert_nonnull (strstr (c->html, "https://img.example/real3.jpg"));
  g_assert_nonnull (strstr (c->html, "https://img.example/real4.jpg"));
  g_assert_nonnull (strstr (c->html, "https://img.example/real5.webp"));
  g_assert_null (strstr (c->html, "placeholder.png"));
  g_assert_null (strstr (c->html, "blank.gif"));
}

static void
test_video_and_scripts (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><body><article>" PROSE
      "<iframe src=\"https://www.youtube.com/embed/xyz\"></iframe>"
      "<iframe src=\"https://ads.example/slot\"></iframe>"
      "<script>document.write('evil')</script><p onclick=\"evil()\">" PROSE "</p>"
      "</article></body></html>", NULL);

  g_assert_nonnull (strstr (c->html, "https://www.youtube.com/embed/xyz"));
  g_assert_null (strstr (c->html, "<iframe"));
  g_assert_null (strstr (c->html, "ads.example"));
  g_assert_null (strstr (c->html, "evil"));
  g_assert_null (strstr (c->text, "evil"));
}

static void
test_picks_article (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><head><title>Ferry | HC</title></head><body>"
      "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav>"
      "<div class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/1\">One story about things</a></li>"
      "<li><a href=\"/2\">Another story about other things</a></li></ul></div>"
      "<div class=\"main-content\"><h1>Ferry</h1>" PROSE PROSE "</div>"
      "<footer>© Harbour Courier · <a href=\"/privacy\">Privacy</a></footer>"
      "</body></html>", NULL);

  g_assert_nonnull (strstr (c->text, "The harbour committee met"));
  g_assert_null (strstr (c->text, "Most read"));
  g_assert_null (strstr (c->text, "Privacy"));
  g_assert_null (strstr (c->text, "Home"));
  g_assert_true (c->readerable);
  g_assert_cmpuint (c->words, >, 100);
  /* Paragraphs are separated by blank lines in the text form. */
  g_assert_nonnull (strstr (c->text, "ferry.\n\nFishermen"));
}

/* Paragraphs the page did not mark: text straight in a container between headings, and <p>s
 * wrapped in a <span> by a page builder. */
#define BARE_TEXT \
  "The harbour committee met on Tuesday evening to discuss the winter timetable, and after a " \
  "long debate, with several members speaking twice, it agreed to keep the morning ferry. " \
  "Fishermen had asked for an earlier departure, since the catch must reach the market by six."

static void
test_unmarked_paragraphs (void)
{
  g_autoptr(GazetteArticleContent) bare = extract (
      "<html><body><div class=\"menu-links\"><a href=\"/a\">A link</a> <a href=\"/b\">B link</a></div>"
      "<div class=\"entry\">" BARE_TEXT " <a href=\"/more\">A link in the prose</a>, and more words."
      "<h2>The compromise</h2>" BARE_TEXT "<h2>What comes next</h2>" BARE_TEXT "</div></body></html>", NULL);
  g_autoptr(GazetteArticleContent) spans = extract (
      "<html><body><div class=\"hero\"><h1>Ferry</h1><p>A short lead.</p></div>"
      "<div class=\"wrapper\"><span class=\"wrapper-inner\">" PROSE "</span></div>"
      "<div class=\"wrapper\"><span class=\"wrapper-inner\"><h3>Later</h3>" PROSE "</span></div>"
      "</body></html>", NULL);

  g_assert_nonnull (strstr (bare->text, "A link in the prose, and more words."));
  g_assert_nonnull (strstr (bare->text, "What comes next"));
  g_assert_null (strstr (bare->text, "B link"));
  g_assert_nonnull (strstr (spans->text, "The harbour committee met"));
  g_assert_nonnull (strstr (spans->text, "Later"));
}

/* A page builder's article: each section in its own row, the rows in sections of their own. The
 * whole article is taken, and a list of teasers beside it is not. */
static void
test_rows (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><body><div class=\"page\">"
      "<div class=\"section\"><div class=\"row\"><div class=\"col\"><h2>One</h2>" PROSE "</div></div></div>"
      "<div class=\"section\"><div class=\"row\"><div class=\"col\"><h2>Two</h2>"
      "<p>The second part tells how the ferry company answered, and why the council, which pays for "
      "the winter service, agreed to it at its next meeting without a vote.</p></div></div></div>"
      "<div class=\"section\"><div class=\"row\"><div class=\"col\"><h2>Three</h2>"
      "<p>The third part looks ahead to the summer timetable, when tourists fill the boats, and "
      "asks whether a second morning crossing could be added for them.</p></div></div></div>"
      "</div>"
      "<div class=\"more\"><h3>More stories</h3>"
      "<div><a href=\"/s1\">Lighthouse keeper retires</a><p>After forty years on the rock, the "
      "keeper hands over the lamp to an automatic system installed this spring.</p></div>"
      "<div><a href=\"/s2\">School roof repaired</a><p>Builders finished the work a week early, so "
      "the children return to their classrooms on Monday as planned.</p></div></div>"
      "</body></html>", NULL);

  g_assert_nonnull (strstr (c->text, "The harbour committee met"));
  g_assert_nonnull (strstr (c->text, "The second part"));
  g_assert_nonnull (strstr (c->text, "The third part"));
  g_assert_null (strstr (c->text, "Lighthouse"));
}

/* Class names that would each rule a block out, on every block of the page: the second,
 * lenient attempt still finds the prose. */
static void
test_misleading_hints (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><body><div class=\"sidebar-layout\"><div class=\"comment-widget\">" PROSE "</div>"
      "<div class=\"comment-widget\">" PROSE "</div></div>"
      "<div class=\"page-content\"><p>Powered by a content system.</p></div></body></html>", NULL);

  g_assert_nonnull (strstr (c->text, "The harbour committee met"));
  g_assert_cmpuint (c->words, >, 100);
}

/* More prose beyond the page's <article> is other pages' (an author's other posts, testimonials):
 * the article stops there. Several <article>s side by side are parts of one article, though. */
#define OTHER_POST \
  "<div class=\"teaser\"><p>Our reporter also spent a week on the night trawler, where the crew " \
  "hauls nets from dusk to dawn, sleeps in turns, and eats soup from a pot that never empties, " \
  "while the skipper watches the weather and the prices on a small screen in the wheelhouse.</p>" \
  "<p>She followed the catch from the quay to the auction hall, where buyers from three towns " \
  "bid in a language of nods and raised fingers, and the best fish leave on lorries by six.</p></div>"

static void
test_article_boundary (void)
{
  g_autoptr(GazetteArticleContent) one = extract (
      "<html><body><div class=\"wrap\"><article><h1>Ferry</h1><div class=\"entry-content\">"
      PROSE "</div></article><div class=\"more-by-author\">" OTHER_POST OTHER_POST OTHER_POST
      "</div></div></body></html>", NULL);
  g_autoptr(GazetteArticleContent) tabs = extract (
      "<html><body><div class=\"wrap\"><div class=\"tabs\">"
      "<article class=\"tab\"><h2>Winter</h2>" PROSE "</article>"
      "<article class=\"tab\"><h2>Summer</h2>" OTHER_POST "</article>"
      "<article class=\"tab\"><h2>Night</h2>" OTHER_POST "</article>"
      "</div></div></body></html>", NULL);

  g_assert_nonnull (strstr (one->text, "The harbour committee met"));
  g_assert_null (strstr (one->text, "night trawler"));
  g_assert_nonnull (strstr (tabs->text, "The harbour committee met"));
  g_assert_nonnull (strstr (tabs->text, "night trawler"));
}

/* Siblings of the article's block join it for their prose, not for a class name: a block of
 * labels named "text-…" stays out, the headline's block with its standfirst comes in. */
static void
test_joined_siblings (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><body><div class=\"wrap\">"
      "<header class=\"article-header\"><h4>Harbour news</h4><h1>Ferry timetable</h1>"
      "<p class=\"dek\">The morning boat stays, and leaves earlier.</p><p class=\"byline\">Ann Lee</p>"
      "</header>"
      "<div class=\"text-label\"><p>PROJECT: Ferry timetable</p><p>DOC. NO: F-2024</p>"
      "<p>DATE: 2024-03-12 - 2024-03-17</p></div>"
      "<div class=\"entry-content\">" PROSE PROSE "</div></div></body></html>", NULL);

  g_assert_nonnull (strstr (c->text, "The harbour committee met"));
  g_assert_nonnull (strstr (c->text, "The morning boat stays, and leaves earlier."));
  g_assert_null (strstr (c->text, "DOC. NO"));
  g_assert_null (strstr (c->text, "DATE: 2024"));
}

/* One long paragraph in blocks nested five deep, each a candidate for holding it: they are one
 * block counted again, not an article split into parts, so the article does not grow to the
 * page around them (a bar of shipping offers). An article that is split into parts still is. */
#define OFFER(n) \
  "<div class=\"slide\"><span><p>Free shipping on orders of " n " or more, for more information " \
  "on rates and timelines, please visit our <a href=\"/intl\">shipping page</a></p></span></div>"

static void
test_nested_candidates (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><body><div class=\"bar\"><div class=\"carousel\">" OFFER ("$40") OFFER ("60 CAD")
      OFFER ("65 EUR") OFFER ("480 SEK") "</div></div>"
      "<main class=\"page-wrap\" id=\"main\"><div class=\"section\">"
      "<section class=\"page\" id=\"page_terms\">"
      "<div class=\"page__container container\"><div class=\"page__header\"><h1>Ferry terms</h1>"
      "</div><div class=\"page__rte rte\"><p>Receive ten percent off a return ticket bought at "
      "the harbour office, or online, for crossings between March and May, excluding taxes, port "
      "fees and vehicle charges. The offer is personal, cannot be combined with other offers, is "
      "not valid on previous purchases, and may be withdrawn if a ticket is refunded. Holders of "
      "an island pass already pay less, and keep their own discount, which is larger.</p></div>"
      "</div></section></div></main></body></html>", NULL);

  g_assert_nonnull (strstr (c->text, "Receive ten percent off"));
  if (strstr (c->text, "Free shipping") != NULL)
    g_error ("the page around the article was taken:\n%s", c->text);
}

/* A form in the article says little of its own once its fields are gone: a download or sign-up
 * form goes. A page wrapped whole in a <form>, or a form holding a passage of prose, stays. */
static void
test_forms (void)
{
  g_autoptr(GazetteArticleContent) widget = extract (
      "<html><body><article class=\"post\"><h1>Ferry</h1>" PROSE
      "<form action=\"/lead\"><div><p>Fill this form to download every timetable.</p>"
      "<div>Your name*</div><input name=\"name\"><div>Your email*</div><input name=\"email\">"
      "<button>Send</button></div></form>" PROSE "</article></body></html>", NULL);
  g_autoptr(GazetteArticleContent) page = extract (
      "<html><body><form action=\"/page.aspx\" id=\"aspnetForm\"><div class=\"menu\">"
      "<a href=\"/\">Home</a></div><div class=\"article-body\">" PROSE PROSE "</div></form>"
      "</body></html>", NULL);
  g_autoptr(GazetteArticleContent) prose = extract (
      "<html><body><article class=\"post\"><h1>Ferry</h1>" PROSE
      "<form action=\"/vote\"><h2>Have your say</h2>" PROSE PROSE "<input type=\"radio\"></form>"
      "</article></body></html>", NULL);

  g_assert_nonnull (strstr (widget->text, "The harbour committee met"));
  g_assert_null (strstr (widget->text, "Fill this form"));
  g_assert_null (strstr (widget->text, "Your email"));
  g_assert_nonnull (strstr (page->text, "The harbour committee met"));
  g_assert_nonnull (strstr (prose->text, "Have your say"));
}

/* Buttons are dropped after the clutter filter's page phase, so it sees that an appeal with one
 * phrase in it also has a "Not now" button; the buttons are gone from the article all the same. */
static void
test_buttons_seen_by_filter (void)
{
  g_autoptr(GazetteArticleContent) content = extract (
      "<html><body><article class=\"post\"><h1>Ferry</h1>" PROSE
      "<div class=\"x9q\"><p>This article is free to read. If you value our work, please "
      "support us.</p><p>Local reporting is made by people: even a small contribution keeps our "
      "newsroom free and independent for every reader in the valley.</p>"
      "<a href=\"/give\">Give to the Ferry Gazette</a> <button>Not now</button></div>"
      PROSE "<p>Readers can <button>Print</button> the timetable at the terminal.</p>"
      "</article></body></html>", NULL);

  g_assert_nonnull (strstr (content->text, "The harbour committee met"));
  g_assert_null (strstr (content->text, "free to read"));
  g_assert_null (strstr (content->text, "Not now"));
  g_assert_null (strstr (content->text, "Print"));
}

/* A link styled as a button, alone in its block, goes with the short pitch just before it; a
 * product's name, a sentence, a heading or a list before a button stay, and so does a button
 * without a pitch. Each row sits between two runs of the article's prose. */
static void
test_calls_to_action (void)
{
  static const struct {
    const char *name;
    const char *block;
    const char *gone;
    const char *kept;
  } rows[] = {
    { "pitch and button",
      "<p><strong>Get the cash you need with a low-interest ferry loan today</strong></p>"
      "<div class=\"button-wrapper\"><a class=\"elementor-button\" href=\"/loan\">Check rate</a></div>",
      "Get the cash", NULL },
    { "pitch and button in two columns",
      "<div class=\"row\"><div class=\"col\"><p>Begin learning the island dialect with us! Up to "
      "55% off today!</p></div><div class=\"col\"><div><a class=\"btn btn-primary\" "
      "href=\"/go\">Try it</a></div></div></div>",
      "Begin learning", NULL },
    /* Traps. */
    { "product name", "<p>Oak armchair</p><div><a class=\"button\" href=\"/shop\">Check price</a></div>",
      NULL, "Oak armchair" },
    { "sentence", "<p>The timetable is printed in the harbour office and on the council's site.</p>"
      "<div><a class=\"wp-block-button__link\" href=\"/t.pdf\">Timetable</a></div>",
      NULL, "printed in the harbour office" },
    { "heading", "<h3>Download the winter timetable for all crossings</h3>"
      "<div><a class=\"btn\" href=\"/t.pdf\">Download</a></div>",
      NULL, "Download the winter timetable" },
    { "list", "<ul><li>Fast boats</li><li>Low fares for islanders</li><li>Bikes carried free</li>"
      "</ul><div><a class=\"btn\" href=\"/book\">Book</a></div>",
      NULL, "Bikes carried free" },
    { "button alone", "<div><a class=\"btn\" href=\"/report\">Read the full report</a></div>",
      NULL, "Read the full report" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *html = g_strconcat (
          "<html><body><article class=\"post\"><h1>Ferry</h1>", PROSE PROSE, rows[i].block,
          PROSE PROSE, "</article></body></html>", NULL);
      g_autoptr(GazetteArticleContent) c = extract (html, NULL);

      g_test_message ("%s", rows[i].name);
      g_assert_nonnull (strstr (c->text, "The harbour committee met"));
      if (rows[i].gone != NULL && strstr (c->text, rows[i].gone) != NULL)
        g_error ("%s: \"%s\" left in:\n%s", rows[i].name, rows[i].gone, c->text);
      if (rows[i].kept != NULL && strstr (c->text, rows[i].kept) == NULL)
        g_error ("%s: \"%s\" lost from:\n%s", rows[i].name, rows[i].kept, c->text);
    }
}

/* A link alone in a paragraph, the same in every item of the article, is a widget ("Compare
 * deals with …"); an item's own link, and a two-word label repeated in each item, stay. */
#define ITEM(name) \
  "<li><h3>" name "</h3>" PROSE "<p><a href=\"/review/" name "\">Read the full " name " review</a></p>" \
  "<p><a href=\"https://deals.example/\">Compare new ferry deals with deals.example</a></p>" \
  "<p><a href=\"https://" name ".example/\">Visit website</a></p></li>"

static void
test_repeated_link_lines (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><body><article class=\"post\"><h1>Best ferries</h1><ol>" ITEM ("Aurora")
      ITEM ("Boreas") ITEM ("Calypso") "</ol></article></body></html>", NULL);

  g_assert_nonnull (strstr (c->text, "The harbour committee met"));
  g_assert_null (strstr (c->text, "Compare new ferry deals"));
  g_assert_nonnull (strstr (c->text, "Read the full Boreas review"));
  g_assert_nonnull (strstr (c->text, "Visit website"));
}

/* The headline repeats the page's title with a tagline the title left out: it goes like the
 * title; a heading that merely starts like the title, deep in the text, stays. */
static void
test_headline_tagline (void)
{
  g_autoptr(GazetteArticleContent) c = extract (
      "<html><head><title>Ferry timetable for the winter</title></head><body><article>"
      "<h1>Ferry timetable for the winter - what changes</h1>" PROSE
      "<h2>Ferry timetable for the winter and the summer</h2>" PROSE "</article></body></html>",
      NULL);

  g_assert_cmpstr (c->title, ==, "Ferry timetable for the winter");
  g_assert_null (strstr (c->text, "what changes"));
  g_assert_nonnull (strstr (c->text, "Ferry timetable for the winter and the summer"));
}

/* The publication date between the standfirst and the text goes; a programme's dates, several
 * blocks of them, stay, the first at the article's start too. */
static void
test_publication_date (void)
{
  g_autoptr(GazetteArticleContent) one = extract (
      "<html><body><article><h1>Ferry</h1><p>The winter timetable, explained for passengers and "
      "for the people who work on the quay.</p><div class=\"pub-date\">Published June 23, 2025 "
      "10:39AM</div>" PROSE PROSE "</article></body></html>", NULL);
  g_autoptr(GazetteArticleContent) programme = extract (
      "<html><body><article><h1>Festival</h1>"
      "<div class=\"event\"><div class=\"event-date\">March 16, 2026</div>" PROSE "</div>"
      "<div class=\"event\"><div class=\"event-date\">March 17, 2026</div>" PROSE "</div>"
      "<div class=\"event\"><div class=\"event-date\">March 18, 2026</div>" PROSE "</div>"
      "</article></body></html>", NULL);

  g_assert_null (strstr (one->text, "Published June"));
  g_assert_nonnull (strstr (one->text, "The winter timetable, explained"));
  g_assert_nonnull (strstr (programme->text, "March 16, 2026"));
  g_assert_nonnull (strstr (programme->text, "March 17, 2026"));
  g_assert_nonnull (strstr (programme->text, "March 18, 2026"));
}

/* ---------- the article's edges ---------- */

/* What pages put just above or below an article goes; lines of the article that merely look
 * like it (a linked last sentence, a dated source, a series of cards) stay. Each row is a page:
 * @before and @after wrap the article's paragraphs inside its container. */
#define CARD \
  "Electric engines make the morning crossing quieter, so passengers can talk, read and sleep " \
  "on the way, and the crew no longer shout over the noise. The harbour hears the boat leave " \
  "only when its horn sounds, and the gulls on the breakwater stay where they are. Islanders " \
  "who feared the change now say they would not go back, and visitors ask how it is done. The " \
  "council will decide in spring whether the second boat is converted as well."

static void
test_edges (void)
{
  static const struct {
    const char *name;
    const char *before;
    const char *after;
    const char *gone[3];
    const char *kept[3];
  } rows[] = {
    { "date line below", "",
      "<p>Posted by David at December 16, 2025 11:15 AM</p>",
      { "Posted by David" }, { NULL } },
    { "date line above", "<p>15 Dec, 2025</p>", "",
      { "15 Dec, 2025" }, { NULL } },
    { "date under the lead picture",
      "<figure><img src=\"https://example.org/ferry.jpg\" alt=\"\"></figure><p>Published June 23, "
      "2025 10:39AM</p>", "",
      { "Published June" }, { NULL } },
    { "last updated below", "",
      "<div class=\"blog-meta-date\">Last updated on November 24, 2025</div>",
      { "Last updated" }, { NULL } },
    { "lone links below", "",
      "<p>Comment via: <a href=\"/fb\">facebook</a>, <a href=\"/ss\">substack</a></p>",
      { "Comment via" }, { NULL } },
    { "author box below", "",
      "<div class=\"entry-author author-box\"><p>Angela first became a writer in kindergarten, "
      "selling her poems to neighbours, and has written about harbours and boats ever since.</p>"
      "</div>",
      { "Angela first became" }, { NULL } },
    { "post navigation and a blank line below", "",
      "<div class=\"nav\"><p><a href=\"/prev\">Previous article</a></p><p>The lighthouse keeper "
      "retires after forty years on the rock, and an automatic lamp takes over the watch for "
      "good. A crowd gathered on the quay to wave him off, and the mayor gave a short speech "
      "about his many winters on the island, his logbooks, his garden and his famous soup. The "
      "harbour band played, children sang, and the keeper's daughter read out a poem she had "
      "written for him about the storms of the old days and the ships he had guided home.</p>"
      "</div><p>&nbsp;</p><p>\xE2\x80\x8D</p>",
      { "Previous article", "lighthouse keeper" }, { NULL } },
    { "heading over trimmed teasers", "",
      "<h2>More from us</h2><p><a href=\"/a\">School roof repaired</a></p>"
      "<p><a href=\"/b\">Lighthouse keeper retires</a></p>",
      { "More from us", "School roof", "Lighthouse" }, { NULL } },
    { "call to action above", "<div class=\"post-cta-wrapper\"><h4>Want to win more jobs?</h4>"
      "<p>Send quick quotes with our software.</p></div>", "",
      { "Want to win", "quick quotes" }, { NULL } },
    { "disclaimer above", "<div class=\"disclaimer-container\"><p>Products are chosen "
      "independently by our editors. Purchases made through our links may earn us a "
      "commission.</p></div>", "",
      { "Products are chosen" }, { NULL } },
    { "a shelf's title left over nothing below", "",
      "<section class=\"shelf\"><div class=\"shelf__title\"><h2>Essentials for happy "
      "plants:</h2></div><ul class=\"grid\"></ul></section>",
      { "Essentials for happy" }, { NULL } },
    { "a title over a removed follow bar below", "",
      "<p>Do you remember your first crossing? Tell us about it below!</p>"
      "<div class=\"post-sig\"><h3>Follow:</h3><div class=\"icons\"></div></div>",
      { "Follow:" }, { "Do you remember your first crossing?" } },
    { "a widget of drop-downs below", "",
      "<section class=\"k\"><h2>Compare ferries</h2><div><span>Select up to 3</span><select>"
      "<option>Islander</option><option>Harbour Star</option></select><select><option>Harbour "
      "Star</option></select></div><div>Our pick</div><div>Rating 4.5 Outstanding</div>"
      "</section>",
      { "Select up to 3", "Islander" }, { NULL } },
    /* Traps: the article's own last lines. */
    { "a last heading whose text is hidden", "",
      "<h2>Timetable changes</h2><p style=\"display: none\">" CARD "</p>",
      { NULL }, { "Timetable changes" } },
    { "a last section with a picture under its title", "",
      "<div class=\"gallery\"><h2>The new ferry</h2><img src=\"https://example.org/f.jpg\" "
      "alt=\"The ferry\"></div>",
      { NULL }, { "The new ferry" } },
    { "a last list of headed items", "",
      "<ul><li><h4>Spring timetable</h4></li><li><h4>Summer timetable</h4></li></ul>",
      { NULL }, { "Spring timetable", "Summer timetable" } },
    { "linked last sentence", "",
      "<p><a href=\"/report\">Read the full report on the council's site.</a></p>",
      { NULL }, { "Read the full report on the council's site." } },
    { "dated sources", "",
      "<h2>Sources</h2><ul><li>Harbour committee minutes, 12 March 2024</li>"
      "<li>Ferry company timetable, 1 April 2024</li></ul>"
      "<p>Minutes of the meeting, 12 March 2024.</p>",
      { NULL }, { "Sources", "12 March 2024", "Minutes of the meeting" } },
    { "short closing line", "", "<p>Thanks for reading</p>",
      { NULL }, { "Thanks for reading" } },
    { "a series of cards named like clutter", "",
      "<div class=\"benefit-item scroll-target\"><h3>Quiet crossings</h3><p>" CARD "</p></div>"
      "<div class=\"benefit-item scroll-target\"><h3>Cheaper tickets</h3><p>The fuel saved goes "
      "into lower fares for the islanders. " CARD "</p></div>",
      { NULL }, { "Quiet crossings", "Cheaper tickets", "lower fares" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *html = g_strconcat (
          "<html><head><title>Ferry timetable</title></head><body><div class=\"menu\">"
          "<a href=\"/\">Home</a></div><article class=\"post\"><h1>Ferry timetable</h1>",
          rows[i].before, PROSE PROSE PROSE PROSE, rows[i].after, "</article></body></html>", NULL);
      g_autoptr(GazetteArticleContent) c = extract (html, NULL);

      g_test_message ("%s", rows[i].name);
      g_assert_nonnull (strstr (c->text, "The harbour committee met"));
      g_assert_nonnull (strstr (c->text, "weekend."));
      for (guint j = 0; j < G_N_ELEMENTS (rows[i].gone) && rows[i].gone[j] != NULL; j++)
        if (strstr (c->text, rows[i].gone[j]) != NULL)
          g_error ("%s: \"%s\" left in:\n%s", rows[i].name, rows[i].gone[j], c->text);
      for (guint j = 0; j < G_N_ELEMENTS (rows[i].kept) && rows[i].kept[j] != NULL; j++)
        if (strstr (c->text, rows[i].kept[j]) == NULL)
          g_error ("%s: \"%s\" lost from:\n%s", rows[i].name, rows[i].kept[j], c->text);
    }
}

/* The site's own word at the article's end ("X is a nonprofit …", "Follow X", "follow us on
 * Facebook") goes; closing paragraphs of the article that name the site, speak as "we" or
 * quote a company's self-description stay. */
static void
test_site_plugs (void)
{
  static const struct {
    const char *name;
    const char *middle;   /* between the article's paragraphs */
    const char *after;    /* after its last paragraph */
    const char *gone;
    const char *kept;
  } rows[] = {
    { "house note under a rule", "",
      "<hr><h2>More from us</h2><p>Harbour Times is a nonprofit newsroom with twelve reporters "
      "across the islands. Whether you need a tide table or a ferry strike explained, our "
      "journalists are here to help.</p>",
      "nonprofit newsroom", NULL },
    { "house note in italics", "",
      "<p><em>Harbour Times is a production of the Island Press. If you liked this article, "
      "please consider liking, sharing, and subscribing to <a href=\"https://harbourtimes.substack"
      ".com/\">the newsletter</a>.</em></p>",
      "production of the Island Press", NULL },
    { "self-description with the site's pages", "",
      "<p>Harbour Times ist eine Redaktion aus Kiel. Wir berichten für unsere Leser über: "
      "<a href=\"/faehren\">Fähren</a> / <a href=\"/haefen\">Häfen</a> / <a href=\"/inseln\">"
      "Inseln</a> / <a href=\"/wetter\">Wetter</a> / <a href=\"/fischerei\">Fischerei</a></p>",
      "ist eine Redaktion", NULL },
    { "link line to the site's page", "",
      "<p><a href=\"https://www.harbourtimes.example/events/summit\">Meet Harbour Times at the "
      "Island Summit in Kiel on 27 November.</a></p>",
      "Meet Harbour Times", NULL },
    { "follow line", "", "<p>Follow Harbour Times</p>", "Follow Harbour Times", NULL },
    { "follow us", "",
      "<p>Catch up on our coverage of the islands, and follow us on Facebook and Instagram to "
      "stay up to date.</p>",
      "Catch up on our coverage", NULL },
    { "social plug inside the article",
      "<p>Did you cook one of my recipes? Please take a moment to leave a star rating. Follow "
      "Harbour Times on <a href=\"https://www.facebook.com/harbourtimes\">Facebook</a> and "
      "<a href=\"https://www.pinterest.com/harbourtimes\">Pinterest</a>!</p>", "",
      "leave a star rating", NULL },
    /* Traps: the article's own last paragraphs. */
    { "a company's self-description, set apart", "",
      "<hr><p><em>Island Ferries is a nonprofit company with over 80 crew members, according to "
      "its website; our reporter could not reach its director.</em></p>",
      NULL, "Island Ferries is a nonprofit company" },
    { "the site as the subject, speaking as we", "",
      "<p>Harbour Times asked the ferry company for comment; we will update this story when it "
      "replies.</p>",
      NULL, "we will update this story" },
    { "the site's reporters under a rule", "",
      "<hr><p>Harbour Times reporters counted 412 passengers on the first morning boat.</p>",
      NULL, "counted 412 passengers" },
    { "a linked sentence naming the site, to another site", "",
      "<p><a href=\"https://council.example/report\">Harbour Times obtained the council's "
      "report.</a></p>",
      NULL, "obtained the council's report" },
    { "a quoted follow us", "",
      "<p>The crew ended its statement with “follow us on Facebook and Instagram”, and the "
      "<a href=\"https://www.facebook.com/crew/posts/1\">post</a> was shared by <a "
      "href=\"https://twitter.com/crew\">us</a> and thousands of islanders.</p>",
      NULL, "ended its statement" },
    { "social links inside the article",
      "<p>The ferry company posted the new timetable on <a href=\"https://www.facebook.com/ferry"
      "\">Facebook</a> and <a href=\"https://twitter.com/ferry\">X</a>, and we checked it against "
      "the printed one.</p>", "",
      NULL, "we checked it against the printed one" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *html = g_strconcat (
          "<html><head><title>Ferry timetable | Harbour Times</title><meta property=\"og:site_name\" "
          "content=\"Harbour Times\"></head><body><article class=\"post\"><h1>Ferry timetable</h1>",
          PROSE PROSE, rows[i].middle, PROSE PROSE, rows[i].after, "</article></body></html>", NULL);
      g_autoptr(GazetteArticleContent) c = extract (html, "https://www.harbourtimes.example/news/ferry");

      g_test_message ("%s", rows[i].name);
      g_assert_nonnull (strstr (c->text, "The harbour committee met"));
      g_assert_nonnull (strstr (c->text, "weekend."));
      if (rows[i].gone != NULL && strstr (c->text, rows[i].gone) != NULL)
        g_error ("%s: \"%s\" left in:\n%s", rows[i].name, rows[i].gone, c->text);
      if (rows[i].kept != NULL && strstr (c->text, rows[i].kept) == NULL)
        g_error ("%s: \"%s\" lost from:\n%s", rows[i].name, rows[i].kept, c->text);
    }
}

/* What the extractor takes out as clutter itself (a call to action, the site's own plugs) is
 * listed with the filter's removals, for --explain and the reader view's line; with the filter
 * off, it stays. */
static void
test_listed_removals (void)
{
  const char *html =
    "<html><head><title>Ferry timetable | Harbour Times</title><meta property=\"og:site_name\" "
    "content=\"Harbour Times\"></head><body><article class=\"post\"><h1>Ferry timetable</h1>"
    PROSE PROSE
    "<p><strong>Get the cash you need with a low-interest ferry loan today</strong></p>"
    "<div class=\"button-wrapper\"><a class=\"elementor-button\" href=\"/loan\">Check rate</a>"
    "</div>"
    "<p>Did you cook one of my recipes? Please take a moment to leave a star rating. Follow "
    "Harbour Times on <a href=\"https://www.facebook.com/harbourtimes\">Facebook</a> and "
    "<a href=\"https://www.pinterest.com/harbourtimes\">Pinterest</a>!</p>"
    PROSE PROSE
    "<p>Follow Harbour Times</p></article></body></html>";
  const char *url = "https://www.harbourtimes.example/news/ferry";
  const char *rules[] = { "heuristic:call-to-action", "heuristic:social-plug",
                          "heuristic:site-plug-follow" };
  GazetteExtractOptions off = { .url = url, .no_filter = TRUE };
  g_autoptr(GazetteArticleContent) c = extract (html, url);
  g_autoptr(GazetteArticleContent) unfiltered = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (strstr (c->text, "Get the cash"));
  g_assert_null (strstr (c->text, "leave a star rating"));
  g_assert_null (strstr (c->text, "Follow Harbour Times"));
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < c->removed->len; j++)
        {
          GazetteClutterRemoval *r = g_ptr_array_index (c->removed, j);

          if (g_strcmp0 (r->rule, rules[i]) == 0)
            {
              listed = TRUE;
              g_assert_nonnull (r->reason);
              g_assert_nonnull (r->excerpt);
              g_assert_cmpstr (r->excerpt, !=, "");
            }
        }
      if (!listed)
        g_error ("%s is not listed among the removals", rules[i]);
    }

  unfiltered = gazette_extract (html, strlen (html), &off, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (unfiltered->text, "Get the cash"));
  g_assert_nonnull (strstr (unfiltered->text, "leave a star rating"));
  g_assert_nonnull (strstr (unfiltered->text, "Follow Harbour Times"));
  g_assert_cmpuint (unfiltered->removed->len, ==, 0);
}

static void
test_errors (void)
{
  static const struct { const char *data; gsize len; GazetteError code; } rows[] = {
    { S(""), GAZETTE_ERROR_NOT_HTML },
    { S("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\0\0\0\0\0\0\0\0"), GAZETTE_ERROR_NOT_HTML },
    { S("just some words without any markup"), GAZETTE_ERROR_NOT_HTML },
    { S("<html><body><script>x()</script></body></html>"), GAZETTE_ERROR_NO_ARTICLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      GazetteArticleContent *c = gazette_extract (rows[i].data, rows[i].len, NULL, &error);

      g_assert_null (c);
      g_assert_error (error, GAZETTE_ERROR, (int) rows[i].code);
    }
}

static void
test_json (void)
{
  g_autoptr(GazetteArticleContent) c = extract ("<html><head><title>J</title></head><body>" PROSE "</body></html>", NULL);
  g_autofree char *json = gazette_article_content_to_json (c, FALSE);
  static const char *keys[] = { "\"title\"", "\"byline\"", "\"site_name\"", "\"published\"",
                                "\"lang\"", "\"dir\"", "\"lead_image\"", "\"excerpt\"",
                                "\"readerable\"", "\"html\"", "\"text\"", "\"words\"" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_nonnull (strstr (json, keys[i]));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/reader/encoding/detect", test_encoding);
  g_test_add_func ("/reader/encoding/convert", test_encoding_convert);
  for (guint i = 0; i < G_N_ELEMENTS (meta_cases); i++)
    g_test_add_data_func (meta_cases[i].path, &meta_cases[i], test_metadata);
  g_test_add_func ("/reader/metadata/lang-dir", test_lang_dir);
  g_test_add_func ("/reader/metadata/dates", test_dates);
  g_test_add_func ("/reader/extractor/urls", test_urls);
  g_test_add_func ("/reader/extractor/lazy-images", test_lazy_images);
  g_test_add_func ("/reader/extractor/video-and-scripts", test_video_and_scripts);
  g_test_add_func ("/reader/extractor/picks-article", test_picks_article);
  g_test_add_func ("/reader/extractor/unmarked-paragraphs", test_unmarked_paragraphs);
  g_test_add_func ("/reader/extractor/misleading-hints", test_misleading_hints);
  g_test_add_func ("/reader/extractor/rows", test_rows);
  g_test_add_func ("/reader/extractor/article-boundary", test_article_boundary);
  g_test_add_func ("/reader/extractor/joined-siblings", test_joined_siblings);
  g_test_add_func ("/reader/extractor/nested-candidates", test_nested_candidates);
  g_test_add_func ("/reader/extractor/forms", test_forms);
  g_test_add_func ("/reader/extractor/calls-to-action", test_calls_to_action);
  g_test_add_func ("/reader/extractor/buttons-seen-by-filter", test_buttons_seen_by_filter);
  g_test_add_func ("/reader/extractor/repeated-link-lines", test_repeated_link_lines);
  g_test_add_func ("/reader/extractor/headline-tagline", test_headline_tagline);
  g_test_add_func ("/reader/extractor/publication-date", test_publication_date);
  g_test_add_func ("/reader/extractor/edges", test_edges);
  g_test_add_func ("/reader/extractor/site-plugs", test_site_plugs);
  g_test_add_func ("/reader/extractor/listed-removals", test_listed_removals);
  g_test_add_func ("/reader/extractor/errors", test_errors);
  g_test_add_func ("/reader/extractor/json", test_json);

  return g_test_run ();
}

/* test-feed.c — the feed parser, over the fixtures in tests/data/feeds/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case parses one fixture and checks values in the JSON `gazette-cli parse-feed` prints,
 * by path: "entries.0.title=Text" (equal; "=null" for JSON null), "~text" (contains),
 * "!~text" (does not contain), "#3" (array length).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "gazette-date.h"
#include "gazette-error.h"
#include "gazette-feed.h"
#include "gazette-feed-private.h"
#include "gazette-sanitizer.h"

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

typedef struct {
  const char *path;
  const char *fixture;
  const char *base_url;
  const char *content_type;
  const char *checks[32];
} FeedCase;

static const FeedCase feed_cases[] = {
  { "/core/feed/rss2/basic", "rss2-basic.xml", "https://harbour.example.org/feed.xml", NULL, {
      "format=rss2.0", "title=Harbour Notes", "link=https://harbour.example.org/",
      "subtitle=Tides, boats & weather", "language=en-GB", "updated=2019-12-07T15:31:00Z",
      "image=https://harbour.example.org/images/logo.png", "author=Mira Quay",
      "generator=Handwritten 1.0", "rights=© 2019 Harbour Notes", "icon=null", "entries#2",
      "warnings#0",
      "entries.0.id=harbour-2019-12-07-1", "entries.0.title=Low tide at noon",
      "entries.0.link=https://harbour.example.org/2019/12/low-tide",
      "entries.0.author=Mira Quay", "entries.0.author_email=mira@harbour.example.org",
      "entries.0.published=2019-12-07T12:00:00Z", "entries.0.categories#2",
      "entries.0.categories.1=Weather",
      "entries.0.comments=https://harbour.example.org/2019/12/low-tide#comments",
      "entries.0.enclosures.0.url=https://harbour.example.org/audio/tide.mp3",
      "entries.0.enclosures.0.type=audio/mpeg", "entries.0.enclosures.0.length=123456",
      NULL } },
  { "/core/feed/rss2/content-encoded", "rss2-basic.xml", "https://harbour.example.org/feed.xml",
    NULL, {
      "entries.0.summary~<b>out</b>", "entries.0.summary!~&lt;",
      "entries.0.content~far out", "entries.0.content~https://harbour.example.org/img/tide.jpg",
      NULL } },
  { "/core/feed/rss2/dc", "rss2-basic.xml", NULL, NULL, {
      "entries.1.author=Olu Pier", "entries.1.published=2019-12-06T07:00:00Z",
      "entries.1.updated=2019-12-06T07:00:00Z", "entries.1.categories.0=Boats",
      "entries.1.link=https://harbour.example.org/2019/12/second", "entries.1.summary=null",
      NULL } },
  { "/core/feed/rss2/media-itunes", "rss2-media-itunes.xml", NULL, NULL, {
      "author=Radio Collective", "image=https://radio.example.com/cover.jpg",
      "entries.0.author=Sam Host", "entries.0.summary~owls", "entries.0.summary!~<b>",
      "entries.0.enclosures#3", "entries.0.enclosures.0.length=5000",
      "entries.0.enclosures.1.url=https://radio.example.com/ep1.ogg",
      "entries.0.enclosures.1.length=4000", "entries.0.enclosures.2.length=null",
      "entries.0.link=null", NULL } },
  { "/core/feed/rss2/quirks", "rss2-quirks.xml", NULL, NULL, {
      "format=rss2.0", "title=Quirks Feed", "entries#4",
      "entries.0.title=AT&T & friends", "entries.0.author=Undeclared Prefix",
      "entries.0.link=https://quirks.example.com/permalink/1",
      "entries.0.published=2019-12-07T20:31:00Z", "entries.0.summary~inline markup",
      "entries.0.summary~<a", "entries.1.link=null", "entries.1.author=Just A Name",
      "entries.1.id~gazette:", "entries.2.title=null", "entries.2.summary~Only content",
      "entries.3.title=a < b and c > d", "entries.3.author=Name",
      "entries.3.author_email=name@quirks.example.com", NULL } },
  { "/core/feed/rss2/relative-links", "rss2-quirks.xml", "https://quirks.example.com/feeds/rss",
    NULL, {
      "link=https://quirks.example.com/relative/home", NULL } },
  { "/core/feed/rss2/atom-elements", "rss2-atom-elements.xml", NULL, NULL, {
      "format=rss2.0", "link=https://mixed.example.com/", "icon=https://mixed.example.com/icon.png",
      "updated=2020-02-02T02:02:02Z", "entries.0.id=urn:uuid:6b1b1f4e-0000-4000-8000-000000000001",
      "entries.0.link=https://mixed.example.com/1", "entries.0.author=Mix Author",
      "entries.0.author_email=mix@mixed.example.com", "entries.0.published=2020-02-01T00:00:00Z",
      "entries.0.updated=2020-02-03T00:00:00Z", "entries.0.summary~<i>Atom summary</i>",
      "entries.0.categories.0=mixed", "entries.0.enclosures.0.type=video/mp4",
      "entries.0.enclosures.0.length=999", NULL } },
  { "/core/feed/rss1.0/basic", "rss10-basic.xml", NULL, NULL, {
      "format=rss1.0", "title=Meadow Log", "subtitle=Grass, mostly", "language=de",
      "rights=Public domain", "author=Hanna Wiese", "updated=2019-12-07T15:31:00Z",
      "image=https://meadow.example.org/logo.gif", "entries#2",
      "entries.0.id=https://meadow.example.org/1", "entries.0.title=Clover",
      "entries.0.summary~Three leaves", "entries.0.content~<em>leaves</em>",
      "entries.0.published=2019-12-05T08:00:00Z", "entries.0.categories.0=Plants",
      "entries.1.title=Bees", NULL } },
  { "/core/feed/rss0.90/basic", "rss090-basic.xml", NULL, NULL, {
      "format=rss0.90", "title=Old Netscape Channel", "image=http://old.example.com/old.gif",
      "entries#2", "entries.1.title=Second story", "entries.1.link=http://old.example.com/2",
      NULL } },
  { "/core/feed/rss0.91/netscape", "rss091-netscape.xml", NULL, NULL, {
      "format=rss0.91", "title=Netscape\xc2\xa0" "Style", "subtitle=With éntities & a © sign",
      "updated=1999-07-08T07:00:00Z", "author=ed@ns.example.com", "entries#1",
      "entries.0.title=Café opens…", "entries.0.summary~more", "entries.0.summary~bogus",
      NULL } },
  { "/core/feed/rss0.91/userland", "rss091-userland.xml", NULL, NULL, {
      "format=rss0.91", "language=en-us", "entries.0.summary~Body one", NULL } },
  { "/core/feed/rss0.92/basic", "rss092-basic.xml", NULL, NULL, {
      "format=rss0.92", "entries.0.title=null", "entries.0.summary~<b>bold</b>",
      "entries.0.categories.0=Cat/Sub", "entries.0.enclosures.0.length=12216320", NULL } },
  { "/core/feed/rss0.93/basic", "rss093-basic.xml", NULL, NULL, {
      "format=rss0.93", "entries.0.published=2002-12-02T15:00:00Z", NULL } },
  { "/core/feed/rss0.94/plain-description", "rss094-basic.xml", NULL, NULL, {
      "format=rss0.94", "subtitle=Plain <not a tag>", "entries.0.summary~&lt; 2",
      "entries.0.summary!~<not", "entries.0.link=http://p94.example.com/1",
      "entries.0.id=http://p94.example.com/1#guid", NULL } },
  { "/core/feed/atom/basic", "atom10-basic.xml", NULL, NULL, {
      "format=atom1.0", "title=L’atelier du soir", "subtitle=Bois & fer", "language=fr",
      "updated=2019-12-07T14:31:00Z", "author=Jeanne Forge", "generator=Générateur",
      "rights=CC BY 4.0", "entries#2",
      "entries.0.id=tag:atelier.example.net,2019:rabots", "entries.0.title=Rabots <et> ciseaux",
      "entries.0.author=Paul Établi", "entries.0.published=2019-12-01T10:00:00Z",
      "entries.0.updated=2019-12-02T16:30:00Z", "entries.0.categories#2",
      "entries.0.categories.0=outils", "entries.0.summary~&lt;pas du HTML&gt;",
      "entries.0.enclosures.0.length=2048", "entries.1.title=Deux gras",
      "entries.1.content~<p>Un", NULL } },
  { "/core/feed/atom/xml-base", "atom10-basic.xml", "https://ignored.example.com/feed", NULL, {
      "link=https://atelier.example.net/blog/", "icon=https://atelier.example.net/favicon.ico",
      "image=https://atelier.example.net/blog/images/logo.svg",
      "entries.0.link=https://atelier.example.net/blog/2019/rabots",
      "entries.0.enclosures.0.url=https://atelier.example.net/media/rabot.jpg",
      "entries.0.comments=https://atelier.example.net/blog/2019/rabots#commentaires",
      "entries.0.content~https://cdn.example.net/assets/rabot.html",
      "entries.0.content~https://cdn.example.net/assets/rabot.png",
      "entries.1.link=https://atelier.example.net/autre/page",
      "entries.1.content~https://atelier.example.net/autre/lien", NULL } },
  { "/core/feed/atom/xhtml", "atom10-basic.xml", NULL, NULL, {
      "entries.0.content~<p>Voir", "entries.0.content!~<div", "entries.0.content!~xmlns",
      NULL } },
  { "/core/feed/atom/0.3", "atom03-basic.xml", NULL, NULL, {
      "format=atom0.3", "title=Zero & Three", "subtitle=Old Atom", "language=en",
      "updated=2004-01-02T03:04:05Z", "author=Ann Old", "rights=Copyright 2004", "entries#3",
      "entries.0.published=2004-01-01T05:00:00Z", "entries.0.updated=2004-01-02T00:00:00Z",
      "entries.0.summary~Plain summary", "entries.0.content~<b>HTML</b>",
      "entries.2.content~<em>XHTML</em>", NULL } },
  { "/core/feed/atom/0.3-base64", "atom03-basic.xml", NULL, NULL, {
      "entries.1.content~<i>sixty-four</i>", NULL } },
  { "/core/feed/json/1.1-authors", "json11-authors.json", NULL, NULL, {
      "format=json1.1", "title=Orchard Daily", "link=https://orchard.example.com/",
      "subtitle=Apples and pears", "language=en-NZ", "author=Rua Apple",
      "icon=https://orchard.example.com/favicon-64.png",
      "image=https://orchard.example.com/icon-512.png", "entries#2",
      "entries.0.id=1", "entries.0.author=Tane Pear",
      "entries.0.author_email=tane@orchard.example.com",
      "entries.0.published=2019-12-07T02:31:00Z", "entries.0.updated=2019-12-08T09:00:00Z",
      "entries.0.content~https://orchard.example.com/tools", "entries.0.summary~When &amp; how",
      "entries.0.categories#2", "entries.0.enclosures#2",
      "entries.0.enclosures.0.url=https://orchard.example.com/audio/pruning.m4a",
      "entries.0.enclosures.0.type=audio/x-m4a", "entries.0.enclosures.0.length=89970236",
      "entries.0.enclosures.1.length=null", "entries.1.id=42",
      "entries.1.link=https://elsewhere.example.com/story", "entries.1.content~&lt;not html&gt;",
      "entries.1.content~Second &amp; last", NULL } },
  { "/core/feed/json/1.0-author", "json10-author.json", NULL, NULL, {
      "format=json1.0", "author=Single Author", "entries.0.author=Item Author",
      "entries.0.published=2017-05-17T17:00:00Z", "entries.0.content~<p>Hi</p>",
      "entries.1.content~No title here", "entries.1.title=null", NULL } },
  { "/core/feed/encoding/windows-1252-mislabelled", "encoding-windows-1252-mislabelled.xml",
    NULL, NULL, {
      "title=Café “quoted” €5", "entries.0.summary~quoted", "warnings#1", NULL } },
  { "/core/feed/encoding/windows-1252", "encoding-windows-1252.xml", NULL, NULL, {
      "title=Café “quoted” €5", "warnings#0", NULL } },
  { "/core/feed/encoding/iso-8859-1", "encoding-iso-8859-1.xml", NULL, NULL, {
      "title=Café crème", NULL } },
  { "/core/feed/encoding/iso-8859-1-really-utf-8", "encoding-iso-8859-1-really-utf8.xml", NULL,
    NULL, { "title=Café crème", NULL } },
  { "/core/feed/encoding/koi8-r", "encoding-koi8-r.xml", NULL, NULL, {
      "title=Новости дня", NULL } },
  { "/core/feed/encoding/shift-jis", "encoding-shift-jis.xml", NULL, NULL, {
      "title=日本語のニュース", NULL } },
  { "/core/feed/encoding/utf-16le-bom", "encoding-utf16le-bom.xml", NULL, NULL, {
      "title=Новости дня", NULL } },
  { "/core/feed/encoding/utf-16be-no-bom", "encoding-utf16be-nobom.xml", NULL, NULL, {
      "title=Новости дня", NULL } },
  { "/core/feed/encoding/utf-32le-bom", "encoding-utf32le-bom.xml", NULL, NULL, {
      "title=Новости дня", NULL } },
  { "/core/feed/encoding/utf-8-bom", "encoding-utf8-bom.xml", NULL, NULL, {
      "title=Новости дня", NULL } },
  { "/core/feed/encoding/undeclared", "encoding-undeclared-utf8.xml", NULL, NULL, {
      "title=Новости дня", NULL } },
  { "/core/feed/encoding/http-charset", "encoding-http-windows-1251.xml", NULL,
    "application/rss+xml; charset=windows-1251", { "title=Привет", "warnings#0", NULL } },
  { "/core/feed/encoding/http-charset-wrong", "encoding-koi8-r.xml", NULL,
    "text/xml; charset=utf-8", { "title=Новости дня", "warnings#1", NULL } },
  { "/core/feed/encoding/http-latin-1-but-utf-8", "encoding-undeclared-utf8.xml", NULL,
    "text/xml; charset=ISO-8859-1", { "title=Новости дня", NULL } },
  { "/core/feed/malformed/recover", "malformed-recover.xml", NULL, NULL, {
      "title=Broken Feed", "entries#2", "entries.0.title=Kept entry",
      "entries.0.link=https://broken.example.com/1?a=1&b=2", "entries.0.summary~unclosed bold",
      "entries.1.title=Second kept", "warnings~The feed is not well-formed XML", NULL } },
  { "/core/feed/malformed/leading-junk", "malformed-leading-junk.xml", NULL, NULL, {
      "title=After junk", "entries#1", "entries.0.title=Survivor", "warnings#1", NULL } },
  { "/core/feed/malformed/raw-html", "malformed-raw-html.xml", NULL, NULL, {
      "entries#3", "entries.0.summary~Line two", "entries.0.summary~para",
      "entries.0.summary!~Fine", "entries.1.title=Two", "entries.1.summary~Fine",
      "entries.2.title=Three", "entries.2.link=https://raw.example.com/3", NULL } },
  { "/core/feed/atom/no-namespace", "atom-no-namespace.xml", NULL, NULL, {
      "format=atom1.0", "title=No namespace", "link=http://nons.example.com/",
      "entries.0.id=nons-1", "entries.0.content~<p>x</p>", NULL } },
  { "/core/feed/malformed/entities", "malformed-entities.xml", NULL, NULL, {
      "title=Entities\xc2\xa0&\xc2\xa0" "Ampersands", "link=https://ents.example.com/?a=1&b=2",
      "entries.0.title=Fish & Chips — été “quoted” – dash",
      "entries.0.link=https://ents.example.com/1?x=1&y=2", "entries.0.summary~Tom",
      "entries.0.summary~Jerry", "entries.0.summary~unknownentity", "warnings#1", NULL } },
  { "/core/feed/ids/duplicate", "ids-duplicate.xml", NULL, NULL, {
      "entries#3", "entries.0.title=First", "entries.1.title=Third", "entries.2.title=Fifth",
      "entries.1.id~gazette:", "warnings#1", NULL } },
  { "/core/feed/security/billion-laughs", "security-billion-laughs.xml", NULL, NULL, {
      "title=Bomb", NULL } },
  { "/core/feed/security/external-entity-fixture", "security-external-entity.xml", NULL, NULL, {
      "title=Outside in", "entries.0.title=Entry", NULL } },
  { "/core/feed/security/billion-laughs-warns", "security-billion-laughs.xml", NULL, NULL, {
      "title=Bomb", "link=https://bomb.example.org/", "entries#1", "entries.0.title=null",
      "warnings~The feed’s entities expand to too much text", NULL } },
  { "/core/feed/security/quadratic-entities", "../feeds-edge/entities-quadratic.xml", NULL, NULL, {
      "entries#2", "entries.1.title=after",
      "warnings~The feed’s entities expand to too much text", NULL } },
  { "/core/feed/security/attribute-entity-bomb", "../feeds-edge/entities-billion-laughs-attr.xml",
    NULL, NULL, {
      "entries#2", "entries.1.title=after",
      "warnings~The feed’s entities expand to too much text", NULL } },
  /* Internal entities: text, markup (serialised with the rest) and in attribute values. */
  { "/core/feed/entities/internal", "../feeds-edge/entities-internal.xml", NULL, NULL, {
      "title=Harbour & Co news\xc2\xa0" "daily", "link=http://ent.example.com/",
      "entries.0.summary=Some <b>bold Harbour &amp; Co</b> text  end",
      "entries.0.enclosures.0.url=http://ent.example.com/a.mp3",
      "entries.0.categories.0=Harbour & Co", "entries.1.link=http://ent.example.com/2?a=1&b=2",
      "warnings#0", NULL } },
  { "/core/feed/malformed/cdata-control-characters", "../feeds-edge/broken-control-chars.xml",
    NULL, NULL, {
      "entries#2", "entries.0.summary=in cdata  here", "entries.0.id=c",
      "entries.1.title=After", "warnings#2", "warnings.1~not well-formed XML", NULL } },
  { "/core/feed/malformed/unquoted-attributes", "../feeds-edge/broken-unquoted-attr.xml", NULL,
    NULL, {
      "entries#2", "entries.0.enclosures.0.url=http://a.example.com/a.mp3",
      "entries.0.enclosures.0.length=12", "entries.1.id=y", "warnings#1",
      "warnings.0~not well-formed XML", NULL } },
  { "/core/feed/malformed/item-in-description", "../feeds-edge/broken-item-in-description.xml",
    NULL, NULL, {
      "entries#3", "entries.0.title=Outer", "entries.0.summary~before <p>para after",
      "entries.0.summary!~Inner", "entries.1.title=Inner",
      "entries.1.link=http://s.example.com/inner", "entries.2.title=Last", NULL } },
  { "/core/feed/malformed/declaration-in-document", "../feeds-edge/recover-doctype-late.xml",
    NULL, NULL, {
      "entries#2", "entries.0.title=a", "entries.1.title=b", NULL } },
  /* Well-formed: an entry inside content is the content's markup, not an entry. */
  { "/core/feed/atom/entry-in-content", "../feeds-edge/recover-atom-entry-in-content.xml",
    NULL, NULL, {
      "entries#1", "entries.0.id=1", "entries.0.content~text", "warnings#0", NULL } },
  { "/core/feed/malformed/deep-nesting", "../feeds-edge/broken-deep-nesting.xml", NULL, NULL, {
      "entries#1", "entries.0.title=D", "entries.0.summary~<div><div>",
      "warnings~not well-formed XML", NULL } },
  /* Without a base URL, entries resolve against the feed's link, wherever it stands. */
  { "/core/feed/rss2/link-after-items", "../feeds-edge/link-after-items.xml", NULL, NULL, {
      "link=http://late.example.com/site/", "entries.0.link=http://late.example.com/site/rel/1",
      "entries.0.summary~http://late.example.com/site/x.html", NULL } },
  { "/core/feed/rss2/link-rank-change", "../feeds-edge/link-rank-change.xml", NULL, NULL, {
      "link=http://second.example.com/", "entries.0.link=http://second.example.com/rel", NULL } },
  { "/core/feed/atom/link-after-entries", "../feeds-edge/atom-link-after-entries.xml", NULL,
    NULL, {
      "entries.0.link=http://late.example.org/home/e1",
      "entries.0.content~http://late.example.org/home/pic.png", NULL } },
  { "/core/feed/atom/xml-base-chain", "../feeds-edge/xmlbase-chain.xml", NULL, NULL, {
      "link=http://base.example.org/a/home/", "icon=http://base.example.org/a/b/icons/fav.ico",
      "entries.0.link=http://base.example.org/a/b/entries/one.html",
      "entries.0.enclosures.0.url=http://base.example.org/a/b/media/x.mp3",
      "entries.0.comments=http://base.example.org/comments/c1",
      "entries.0.content~http://base.example.org/a/b/content/deep.html",
      "entries.0.summary~http://other.example.net/s.html",
      "entries.1.link=http://abs.example.com/x/two",
      "entries.2.link=http://base.example.org/a/b/?q=1",
      NULL } },
  { "/core/feed/atom/xhtml-namespaces", "../feeds-edge/xhtml-namespaces.xml", NULL, NULL, {
      "entries.0.title=Title bold & it", "entries.0.content~<p title=\"t\">Para",
      "entries.0.content~http://x.example.com/blog/post/1", "entries.0.content!~xmlns",
      "entries.0.content!~h:", "entries.1.content=<p>bare p</p><p>second</p>",
      "entries.2.content=before <div>in div</div> after", NULL } },
  { "/core/feed/rss1.0/items-before-channel", "../feeds-edge/rss10-items-before-channel.xml",
    NULL, NULL, {
      "title=Late channel", "entries#2", "entries.0.title=zero",
      "entries.1.link=http://r.example.com/base/rel1", NULL } },
  { "/core/feed/cdata/odd-places", "../feeds-edge/cdata-odd.xml", NULL, NULL, {
      "title=CDATA split", "link=http://odd.example.com/", "entries.0.id=g1",
      "entries.0.summary=a ]]> b", "entries.0.author_email=jo@example.com",
      "entries.0.published=2003-06-10T04:00:00Z", "entries.1.categories.0=Cat", NULL } },
};

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "feeds", name, NULL);
}

static JsonNode *
lookup (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index = g_ascii_strtoull (parts[i], NULL, 10);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index)
                                                       : NULL;
        }
      else
        node = NULL;
    }
  return node;
}

static char *
node_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("(missing)");
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return json_to_string (node, FALSE);
}

static void
check_json (const char         *json,
            const char * const *checks)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);

  for (guint i = 0; checks[i] != NULL; i++)
    {
      const char *check = checks[i];
      gsize path_len = strcspn (check, "=~!#");
      g_autofree char *path = g_strndup (check, path_len);
      const char *op = check + path_len;
      JsonNode *node = lookup (root, path);
      g_autofree char *have = node_to_string (node);

      if (*op == '=')
        {
          if (g_strcmp0 (have, op + 1) != 0)
            g_test_fail_printf ("%s: expected “%s”, got “%s”", path, op + 1, have);
        }
      else if (*op == '~')
        {
          if (strstr (have, op + 1) == NULL)
            g_test_fail_printf ("%s: expected to contain “%s”, got “%s”", path, op + 1, have);
        }
      else if (g_str_has_prefix (op, "!~"))
        {
          if (strstr (have, op + 2) != NULL)
            g_test_fail_printf ("%s: expected not to contain “%s”, got “%s”", path, op + 2, have);
        }
      else if (*op == '#')
        {
          guint want = (guint) g_ascii_strtoull (op + 1, NULL, 10);

          if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
              json_array_get_length (json_node_get_array (node)) != want)
            g_test_fail_printf ("%s: expected %u items, got %s", path, want, have);
        }
      else
        g_assert_not_reached ();
    }
}

static GazetteFeed *
parse_fixture (const char  *name,
               const char  *base_url,
               const char  *content_type,
               GError     **error)
{
  g_autofree char *path = fixture_path (name);
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return gazette_feed_parse (data, length, base_url, content_type, error);
}

static void
test_feed_case (gconstpointer user_data)
{
  const FeedCase *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteFeed) feed = NULL;
  g_autofree char *json = NULL;

  feed = parse_fixture (c->fixture, c->base_url, c->content_type, &error);
  g_assert_no_error (error);
  g_assert_nonnull (feed);
  json = gazette_feed_to_json (feed, TRUE);
  if (g_test_verbose ())
    g_test_message ("%s", json);
  check_json (json, c->checks);
}

/* The bytes need not end in NUL: ASCII feeds are read in place. */
static void
test_unterminated (void)
{
  g_autofree char *path = fixture_path ("rss2-basic.xml");
  g_autofree char *data = NULL;
  g_autofree char *padded = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GazetteFeed) whole = NULL;
  g_autoptr(GazetteFeed) in_place = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  padded = g_malloc (length + 64);
  memcpy (padded, data, length);
  memset (padded + length, 'x', 64);
  whole = gazette_feed_parse (data, length, NULL, NULL, NULL);
  in_place = gazette_feed_parse (padded, length, NULL, NULL, NULL);
  g_assert_nonnull (whole);
  g_assert_nonnull (in_place);
  a = gazette_feed_to_json (whole, FALSE);
  b = gazette_feed_to_json (in_place, FALSE);
  g_assert_cmpstr (a, ==, b);
  {
    /* Blank for the length given, whatever follows. */
    g_autoptr(GError) error = NULL;

    g_assert_null (gazette_feed_parse ("  \n xxxx", 4, NULL, NULL, &error));
    g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED);
  }
}

/* The ASCII check that lets feeds be read in place: any NUL or high byte, wherever it falls in
 * the blocks it reads, means no. */
static void
test_is_ascii (void)
{
  char buffer[48];

  memset (buffer, 'a', sizeof buffer);
  for (gsize length = 0; length <= sizeof buffer; length++)
    g_assert_true (gazette_feed_is_ascii (buffer, length));
  for (gsize at = 0; at < sizeof buffer; at++)
    {
      buffer[at] = '\0';
      g_assert_false (gazette_feed_is_ascii (buffer, sizeof buffer));
      buffer[at] = (char) 0xC3;
      g_assert_false (gazette_feed_is_ascii (buffer, sizeof buffer));
      g_assert_true (gazette_feed_is_ascii (buffer, at));
      buffer[at] = 'a';
    }
}

/* Every entry has an id, and the ids a feed without guids gets do not change between parses. */
static void
test_ids_stable (void)
{
  g_autoptr(GazetteFeed) a = parse_fixture ("rss090-basic.xml", NULL, NULL, NULL);
  g_autoptr(GazetteFeed) b = parse_fixture ("rss090-basic.xml", NULL, NULL, NULL);

  g_assert_cmpuint (a->entries->len, ==, 2);
  for (guint i = 0; i < a->entries->len; i++)
    {
      GazetteFeedEntry *ea = g_ptr_array_index (a->entries, i);
      GazetteFeedEntry *eb = g_ptr_array_index (b->entries, i);

      g_assert_true (g_str_has_prefix (ea->id, "gazette:"));
      g_assert_cmpstr (ea->id, ==, eb->id);
    }
  g_assert_cmpstr (((GazetteFeedEntry *) g_ptr_array_index (a->entries, 0))->id, !=,
                   ((GazetteFeedEntry *) g_ptr_array_index (a->entries, 1))->id);
}

static void
expect_not_a_feed (const char *data,
                   gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteFeed) feed = NULL;

  feed = gazette_feed_parse (data, length < 0 ? strlen (data) : (gsize) length, NULL, NULL,
                             &error);
  g_assert_null (feed);
  g_assert_error (error, GAZETTE_ERROR, GAZETTE_ERROR_NOT_A_FEED);
}

static void
test_not_a_feed (void)
{
  g_autofree char *path = fixture_path ("not-a-feed.html");
  g_autofree char *html = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &html, &length, NULL));
  expect_not_a_feed (html, length);
  expect_not_a_feed ("", 0);
  expect_not_a_feed ("   \n ", -1);
  expect_not_a_feed ("just some text, no markup", -1);
  expect_not_a_feed ("<?xml version=\"1.0\"?><opml version=\"2.0\"><body/></opml>", -1);
  expect_not_a_feed ("{\"name\": \"not a feed\"}", -1);
  expect_not_a_feed ("[1, 2, 3]", -1);
  expect_not_a_feed ("{\"items\": ", -1);
  expect_not_a_feed ("\0\0\0\0\0\0", 6);
}

/* An external entity naming a real file: the file's text must not appear anywhere. */
static void
test_external_entity (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gazette-feed-XXXXXX", NULL);
  g_autofree char *secret = g_build_filename (dir, "secret.txt", NULL);
  g_autofree char *uri = g_filename_to_uri (secret, NULL, NULL);
  g_autofree char *xml = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GazetteFeed) feed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (secret, "TOP-SECRET-CONTENTS", -1, NULL));
  xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE rss [ <!ENTITY xxe SYSTEM \"%s\"> ]>\n"
                         "<rss version=\"2.0\"><channel><title>T &xxe;</title>"
                         "<item><title>I &xxe;</title><description>D &xxe;</description>"
                         "<guid>1</guid></item></channel></rss>", uri);
  feed = gazette_feed_parse (xml, strlen (xml), NULL, NULL, &error);
  if (feed != NULL)
    {
      json = gazette_feed_to_json (feed, FALSE);
      g_assert_null (strstr (json, "TOP-SECRET"));
    }
  else
    g_assert_nonnull (error);
  g_unlink (secret);
  g_rmdir (dir);
}

/* Exponential entities: refused or cut short, never expanded in full. */
static void
test_billion_laughs (void)
{
  g_autoptr(GazetteFeed) feed = NULL;
  g_autoptr(GError) error = NULL;
  GString *xml = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY l0 \"ha\">\n");
  g_autofree char *data = NULL;

  /* 2^40 copies in theory: each entity names the previous one twice. */
  for (int i = 1; i <= 40; i++)
    g_string_append_printf (xml, "<!ENTITY l%d \"&l%d;&l%d;\">\n", i, i - 1, i - 1);
  g_string_append (xml, "]>\n<rss version=\"2.0\"><channel><title>Bomb</title>"
                        "<item><title>&l40;</title><description>&l40;</description></item>"
                        "</channel></rss>");
  data = g_string_free (xml, FALSE);

  feed = gazette_feed_parse (data, strlen (data), NULL, NULL, &error);
  if (feed != NULL)
    {
      g_autofree char *json = gazette_feed_to_json (feed, FALSE);

      g_assert_cmpuint (strlen (json), <, 64 * 1024 * 1024);
    }
  else
    g_assert_nonnull (error);

  g_clear_pointer (&feed, gazette_feed_free);
  g_clear_error (&error);
  feed = parse_fixture ("security-billion-laughs.xml", NULL, NULL, &error);
  if (feed != NULL)
    {
      g_autofree char *json = gazette_feed_to_json (feed, FALSE);

      g_assert_cmpuint (strlen (json), <, 64 * 1024 * 1024);
    }
}

static void
test_discover (void)
{
  g_autofree char *path = fixture_path ("not-a-feed.html");
  g_autofree char *html = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &html, &length, NULL));
  found = gazette_feed_discover (html, length, "https://site.example.com/page/");
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (found, 0), ==, "https://site.example.com/feed.xml");
  g_assert_cmpstr (g_ptr_array_index (found, 1), ==, "https://site.example.com/atom.xml");
  g_assert_cmpstr (g_ptr_array_index (found, 2), ==, "https://site.example.com/page/feed.json");

  none = gazette_feed_discover ("<html><body>nothing</body></html>", 33, NULL);
  g_assert_cmpuint (none->len, ==, 0);

  {
    const char *page = "<html><head><base href=\"https://cdn.example.com/blog/\">"
                       "<link rel=\"ALTERNATE\" type=\"Application/Atom+XML\" href=\"atom\">"
                       "<link rel=\"alternate\" type=\"text/html\" href=\"page.html\">"
                       "</head><body><link rel=\"alternate\" type=\"application/rss+xml\" "
                       "href=\"javascript:alert(1)\"></body></html>";
    g_autoptr(GPtrArray) based = gazette_feed_discover (page, strlen (page),
                                                        "https://www.example.com/");

    g_assert_cmpuint (based->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (based, 0), ==, "https://cdn.example.com/blog/atom");
  }
}

static void
test_json_shape (void)
{
  g_autoptr(GazetteFeed) feed = parse_fixture ("rss2-basic.xml", NULL, NULL, NULL);
  g_autofree char *json = gazette_feed_to_json (feed, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  static const char *const feed_keys[] = {
    "format", "title", "link", "subtitle", "language", "updated", "icon", "image", "author",
    "generator", "rights", "entries", "warnings",
  };
  static const char *const entry_keys[] = {
    "id", "title", "link", "author", "author_email", "published", "updated", "summary",
    "content", "categories", "enclosures", "comments",
  };
  JsonObject *root, *entry;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (root), ==, G_N_ELEMENTS (feed_keys));
  for (guint i = 0; i < G_N_ELEMENTS (feed_keys); i++)
    g_assert_true (json_object_has_member (root, feed_keys[i]));
  entry = json_array_get_object_element (json_object_get_array_member (root, "entries"), 0);
  g_assert_cmpuint (json_object_get_size (entry), ==, G_N_ELEMENTS (entry_keys));
  for (guint i = 0; i < G_N_ELEMENTS (entry_keys); i++)
    g_assert_true (json_object_has_member (entry, entry_keys[i]));
}

static void
run_cli (const char * const *args,
         int                *status,
         char              **out,
         char              **err)
{
  const char *cli = g_getenv ("GAZETTE_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) "parse-feed");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static void
test_cli (void)
{
  const char *cli = g_getenv ("GAZETTE_CLI");
  g_autofree char *feed_path = fixture_path ("atom10-basic.xml");
  g_autofree char *page_path = fixture_path ("not-a-feed.html");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("GAZETTE_CLI is not set to the built gazette-cli");
      return;
    }

  {
    const char *args[] = { "--base-url", "https://example.com/x", feed_path, NULL };
    const char *checks[] = { "format=atom1.0", "entries#2", "entries.1.title=Deux gras", NULL };

    run_cli (args, &status, &out, &err);
    g_assert_cmpint (status, ==, 0);
    check_json (out, checks);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { page_path, NULL };

    run_cli (args, &status, &out, &err);
    g_assert_cmpint (status, ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "not a feed"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "/nonexistent/feed.xml", NULL };

    run_cli (args, &status, &out, &err);
    g_assert_cmpint (status, ==, 1);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { NULL };

    run_cli (args, &status, &out, &err);
    g_assert_cmpint (status, ==, 2);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *args[] = { "--no-such-option", feed_path, NULL };

    run_cli (args, &status, &out, &err);
    g_assert_cmpint (status, ==, 2);
  }
}

/* The fast path writes what the sanitiser would, or gives up. */
static guint
check_fast_path (const char *html)
{
  g_autofree char *fast = gazette_feed_sanitize_fast (html, strlen (html));
  g_autofree char *slow = NULL;

  if (fast == NULL)
    return 0;
  slow = gazette_sanitize_html_fragment (html, -1, NULL);
  if (!g_str_equal (fast, slow))
    g_test_message ("fast path differs on: %s", html);
  g_assert_cmpstr (fast, ==, slow);
  return 1;
}

static void
collect_fragments (xmlNode   *node,
                   GPtrArray *fragments)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (c->children != NULL)
        {
          xmlBuffer *buffer = xmlBufferCreate ();

          for (xmlNode *k = c->children; k != NULL; k = k->next)
            htmlNodeDump (buffer, c->doc, k);
          if (xmlBufferLength (buffer) > 0 && xmlBufferLength (buffer) < 50000 &&
              g_utf8_validate ((const char *) xmlBufferContent (buffer), -1, NULL))
            g_ptr_array_add (fragments, g_strdup ((const char *) xmlBufferContent (buffer)));
          xmlBufferFree (buffer);
        }
      collect_fragments (c, fragments);
    }
}

static void
test_sanitize_fast_path (void)
{
  static const char *const cases[] = {
    "<p>Plain <em>text</em> and <a href=\"https://example.org/a?b=1&amp;c=2\" class=\"x\">a link</a>.</p>",
    "<p>One</p>\n<p>Two &amp; three &lt;four&gt; &quot;five&quot; &#8217; &#x2014; &nbsp;&eacute;</p>\n",
    "  <h2 id=\"h\">Title</h2><ul>\n<li>a</li>\n<li><p>b</p></li></ul>",
    "<figure><img src=\"https://example.org/i.jpg\" alt=\"A &quot;b&quot;\" width=\"640\" height=\"auto\"><figcaption>c</figcaption></figure>",
    "<blockquote><p>q</p></blockquote><hr><p>a<br>b<br/>c</p>",
    "<div><div><p>x</p></div>text <b>bold</b></div>",
    "<p title='single \"quoted\"' lang=\"en\" dir=\"ltr\">x</p>", "<ul>text</ul>",
    /* What the fast path leaves to the parser. */
    "<p>unclosed", "<p>a<p>b</p>", "<b><p>x</p></b>", "<p><div>x</div></p>", "<li>x</li>",
    "<a href=\"/relative\">x</a>", "<a href=\"javascript:alert(1)\">x</a>", "<!-- c --><p>x</p>",
    "<script>x</script>", "<p>a &unknown; b</p>", "<p>a &amp b</p>", "<P>upper</P>",
    "<img src=\"x.jpg\">", "<img alt=\"no src\">", "<p class=x>unquoted</p>",
    "<a href=\"https://a\"><a href=\"https://b\">x</a></a>", "<p>a < b</p>", "<p>&#128;</p>",
    "<table><tr><td>x</td></tr></table>", "<p a=\"1\" a=\"2\">x</p>", "<p>\r\n</p>",
    "<img src=\"https://e/i.jpg\" srcset=\"https://e/i2.jpg 2x\">", "<ol start=\"3\"><li>x</li></ol>",
  };
  guint handled = 0;
  const char *corpus = g_getenv ("GAZETTE_CORPUS_DIR");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint h = check_fast_path (cases[i]);

      if (h && i >= 8)
        g_test_message ("handled: %s", cases[i]);
      handled += h;
    }
  g_assert_cmpuint (handled, ==, 8);

  /* Every fragment of the real pages in the shared corpus, when it is there. */
  if (corpus != NULL)
    {
      g_autofree char *dir_path = g_build_filename (corpus, "readability", NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;
      guint fragments_seen = 0, pages = 0;

      handled = 0;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, "source.html", NULL);
          g_autofree char *contents = NULL;
          g_autoptr(GPtrArray) fragments = g_ptr_array_new_with_free_func (g_free);
          gsize length;
          htmlDocPtr doc;

          if (!g_file_get_contents (path, &contents, &length, NULL))
            continue;
          doc = htmlReadMemory (contents, (int) length, NULL, "UTF-8",
                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                HTML_PARSE_NONET);
          if (doc == NULL)
            continue;
          pages++;
          if (xmlDocGetRootElement (doc) != NULL)
            collect_fragments (xmlDocGetRootElement (doc), fragments);
          xmlFreeDoc (doc);
          for (guint i = 0; i < fragments->len; i++)
            handled += check_fast_path (g_ptr_array_index (fragments, i));
          fragments_seen += fragments->len;
        }
      g_test_message ("fast path: %u of %u fragments of %u pages, all as the sanitiser writes them",
                      handled, fragments_seen, pages);
    }
}

/* A long run of character data, so that the skeleton takes it out. */
#define LONG_TEXT "Council budget &amp; the harbour &lt;p&gt;plans&lt;/p&gt; for next year, " \
                  "said on Monday that the roads and schools would get new money &#8217;s."

/* What gazette_feed_fold_whitespace did before its shortcut for text folded already. */
static char *
fold_reference (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *r = text; *r != '\0'; r++)
    {
      if (g_ascii_isspace (*r))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *r);
        }
    }
  return g_string_free (out, FALSE);
}

static void
test_fold_whitespace (void)
{
  static const char *const cases[] = {
    "", " ", "a", "a b", "a  b", "a \tb", "a\tb", " a b", "a b ", "a b  ", "a b\n", "a  ",
    "a b c d", "a b\r\nc", "\n\na b", "ab cd  ef gh", "x \x0b y", "a b\xc2\xa0" "c",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *want = fold_reference (cases[i]);
      g_autofree char *have = gazette_feed_fold_whitespace (g_strdup (cases[i]));

      g_assert_cmpstr (have, ==, want);
    }
}

/* XML's own entities are stepped over; anything that only looks like one is still repaired. */
static void
test_repair_predefined (void)
{
  static const struct {
    const char *in, *out;   /* out NULL: nothing to repair */
  } cases[] = {
    { "<t>a &lt; b &gt; c &amp; d &quot; e &apos;</t>", NULL },
    { "<t>a &lt b</t>", "<t>a &amp;lt b</t>" },
    { "<t>&ltx; &gtr; &amp</t>", "<t>&amp;ltx; &amp;gtr; &amp;amp</t>" },
    { "<t>&quot &apos</t>", "<t>&amp;quot &amp;apos</t>" },
    { "<t>&nbsp;&lt;</t>", "<t>&#160;&lt;</t>" },
    { "<t>&lt;&amp;nbsp;</t>", NULL },
    { "<t>&g", "<t>&amp;g" },
    { "<t>&lt", "<t>&amp;lt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = 0;
      g_autofree char *have = gazette_feed_repair_xml (cases[i].in, strlen (cases[i].in),
                                                       &length);

      g_assert_cmpstr (have, ==, cases[i].out);
    }
}

/* Which runs the skeleton takes out, and what it keeps of them. */
static void
test_skeleton (void)
{
  const char *doc = "<?xml version=\"1.0\"?><rss><t>" LONG_TEXT "</t><c><![CDATA[<p>"
                    "cdata long enough to be taken out</p>]]></c><s>short &amp; kept</s>"
                    "<r>" LONG_TEXT "\r\n</r><b>" LONG_TEXT "]]>" "</b><n>" LONG_TEXT "&nbsp;</n>"
                    "<u>Caf\xc3\xa9 &amp; " LONG_TEXT "</u><a x='a>b'>" LONG_TEXT "</a>"
                    "<m><![CDATA[cdata with\r\nline ends\rof all kinds]]></m>"
                    "<k>line ends of all kinds: a\r\r\nb\rc&#13;d\r</k></rss>";
  GazetteFeedSkeleton *skeleton = gazette_feed_skeleton_new (doc, strlen (doc));
  const char *run;
  gsize length = 0;

  g_assert_nonnull (skeleton);
  g_assert_cmpstr (skeleton->doc->str, ==,
                   "<?xml version=\"1.0\"?><rss><t><?gazette 0?></t><c><?gazette 1?></c>"
                   "<s>short &amp; kept</s><r><?gazette 2?></r><b>" LONG_TEXT "]]></b><n>"
                   LONG_TEXT "&nbsp;</n><u><?gazette 3?></u><a x='a>b'><?gazette 4?></a>"
                   "<m><?gazette 5?></m><k><?gazette 6?></k></rss>");
  run = gazette_feed_skeleton_run (skeleton, 0, &length);
  g_assert_cmpmem (run, length, "Council budget & the harbour <p>plans</p> for next year, said "
                   "on Monday that the roads and schools would get new money \xe2\x80\x99s.",
                   strlen ("Council budget & the harbour <p>plans</p> for next year, said on "
                           "Monday that the roads and schools would get new money "
                           "\xe2\x80\x99s."));
  run = gazette_feed_skeleton_run (skeleton, 1, &length);
  g_assert_cmpmem (run, length, "<p>cdata long enough to be taken out</p>",
                   strlen ("<p>cdata long enough to be taken out</p>"));
  /* Line ends as libxml2's push parser passes them: normalised in text, as they are in CDATA. */
  run = gazette_feed_skeleton_run (skeleton, 2, &length);
  g_assert_cmpuint (length, >, 2);
  g_assert_cmpmem (run + length - 2, 2, ".\n", 2);
  run = gazette_feed_skeleton_run (skeleton, 3, &length);
  g_assert_true (g_str_has_prefix (run, "Caf\xc3\xa9 & Council"));
  run = gazette_feed_skeleton_run (skeleton, 5, &length);
  g_assert_cmpmem (run, length, "cdata with\r\nline ends\rof all kinds",
                   strlen ("cdata with\r\nline ends\rof all kinds"));
  run = gazette_feed_skeleton_run (skeleton, 6, &length);
  g_assert_cmpmem (run, length, "line ends of all kinds: a\n\nb\nc\rd\n",
                   strlen ("line ends of all kinds: a\n\nb\nc\rd\n"));
  g_assert_null (gazette_feed_skeleton_run (skeleton, 7, &length));
  gazette_feed_skeleton_free (skeleton);

  /* Documents it leaves alone. */
  doc = "<!DOCTYPE rss [<!ENTITY e \"x\">]><rss><t>" LONG_TEXT "</t></rss>";
  g_assert_null (gazette_feed_skeleton_new (doc, strlen (doc)));
  doc = "<rss><?gazette 0?><t>" LONG_TEXT "</t></rss>";
  g_assert_null (gazette_feed_skeleton_new (doc, strlen (doc)));
  doc = "<rss><t>short</t></rss>";
  g_assert_null (gazette_feed_skeleton_new (doc, strlen (doc)));
}

/* The parse as it comes out with and without the shortcuts (gazette_feed_skeleton_new and the
 * like): JSON, or the error. */
static char *
parse_both_ways (const char *data,
                 gsize       length,
                 const char *base_url,
                 gboolean    shortcuts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GazetteFeed) feed = NULL;

  gazette_feed_set_shortcuts (shortcuts);
  feed = gazette_feed_parse (data, length, base_url, NULL, &error);
  gazette_feed_set_shortcuts (TRUE);
  if (feed == NULL)
    return g_strdup_printf ("error: %s", error->message);
  return gazette_feed_to_json (feed, TRUE);
}

static void
check_shortcuts (const char *label,
                 const char *data,
                 gsize       length)
{
  static const char *const bases[] = { NULL, "https://example.org/feeds/main.xml" };

  for (guint b = 0; b < G_N_ELEMENTS (bases); b++)
    {
      g_autofree char *slow = parse_both_ways (data, length, bases[b], FALSE);
      g_autofree char *fast = parse_both_ways (data, length, bases[b], TRUE);

      if (g_strcmp0 (slow, fast) != 0)
        g_test_fail_printf ("%s: with shortcuts\n%s\nwithout\n%s", label, fast, slow);
    }
}


/* The shortcuts give what libxml2 itself gives, on every fixture and on the corner cases where
 * they must step aside. */
static void
test_shortcuts (void)
{
  static const char *const cases[] = {
    /* Escaped HTML, CDATA, plain text: taken out. */
    "<rss version=\"2.0\"><channel><title>T</title><item><title>" LONG_TEXT "</title>"
    "<description>" LONG_TEXT LONG_TEXT "</description><content:encoded xmlns:content="
    "\"http://purl.org/rss/1.0/modules/content/\"><![CDATA[<p>" LONG_TEXT "</p>]]>"
    "</content:encoded></item></channel></rss>",
    /* An entity in otherwise plain text, next to elements in an xhtml construct. */
    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><entry><id>1</id>"
    "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">" LONG_TEXT "<b>"
    LONG_TEXT "</b>" LONG_TEXT "</div></content><summary>" LONG_TEXT "&#x1F600;" LONG_TEXT
    "</summary></entry></feed>",
    /* Carriage returns (normalised by libxml2), as a reference (kept), and in CDATA. */
    "<rss version=\"2.0\"><channel><item><description>" LONG_TEXT "\r\n" LONG_TEXT "\r"
    LONG_TEXT "</description><title>" LONG_TEXT "&#13;" LONG_TEXT "</title><content:encoded "
    "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><![CDATA[" LONG_TEXT "\r\n"
    LONG_TEXT "]]></content:encoded></item></channel></rss>",
    /* Line ends where nothing folds them: ids are kept as they are. */
    "<rss version=\"2.0\"><channel><item><guid>" LONG_TEXT "\r\n" LONG_TEXT "\r\r\n" LONG_TEXT
    "\r&#13;\r</guid></item><item><guid><![CDATA[" LONG_TEXT "\r\n" LONG_TEXT "\r]]></guid></item>"
    "<item><guid>Plain text without references, long enough to be taken out of the document "
    "all the same,\r\nwith line ends\rof every kind\r\r\nfrom Windows and older Macs alike, "
    "and then some more words to pass the length that plain text needs to be taken out of "
    "the document it came in.\r"
    "</guid></item></channel></rss>",
    /* References libxml2 rejects or does not know. */
    "<rss version=\"2.0\"><channel><item><title>" LONG_TEXT "&#X41;" LONG_TEXT "</title>"
    "<description>" LONG_TEXT "&#xD800;" LONG_TEXT "</description></item></channel></rss>",
    "<rss version=\"2.0\"><channel><item><title>" LONG_TEXT "&eacute;&nbsp;&bogus;"
    LONG_TEXT "</title></item></channel></rss>",
    /* An internal subset, with entities used in long text. */
    "<!DOCTYPE rss [<!ENTITY co \"Council\">]><rss version=\"2.0\"><channel><item><title>"
    "&co; " LONG_TEXT "</title></item></channel></rss>",
    /* A DOCTYPE without one (RSS 0.91's). */
    "<?xml version=\"1.0\"?><!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\""
    " \"http://my.netscape.com/publish/formats/rss-0.91.dtd\"><rss version=\"0.91\"><channel>"
    "<item><title>" LONG_TEXT "</title><description>" LONG_TEXT "</description></item></channel>"
    "</rss>",
    /* "]]>" in text; a processing instruction named like the markers. */
    "<rss version=\"2.0\"><channel><item><title>" LONG_TEXT "]]>" LONG_TEXT "</title></item>"
    "</channel></rss>",
    "<rss version=\"2.0\"><channel><?gazette 0?><item><title>" LONG_TEXT "</title></item>"
    "</channel></rss>",
    /* Character data and CDATA outside the root element: errors libxml2 recovers from. */
    LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT "<rss version=\"2.0\"><channel><item><title>"
    LONG_TEXT "</title></item></channel></rss>",
    "<rss version=\"2.0\"><channel><item><title>" LONG_TEXT "</title></item></channel></rss>"
    LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT,
    "<![CDATA[" LONG_TEXT "]]><rss version=\"2.0\"><channel><item><title>" LONG_TEXT
    "</title></item></channel></rss>",
    "<rss version=\"2.0\"><channel><item><title>" LONG_TEXT "</title></item></channel></rss>"
    "<![CDATA[" LONG_TEXT "]]>",
    /* Ill-formed: recovery reads the document itself. */
    "<rss version=\"2.0\"><channel><item><title>" LONG_TEXT "</titl></item><item><description>"
    LONG_TEXT "</description></item></channel></rss>",
    "<rss version=\"2.0\"><channel><item><title a=\"x>y\">" LONG_TEXT "</title></item>"
    "<item><title a='\">'>" LONG_TEXT "</title><!-- " LONG_TEXT " --></item></channel></rss>",
    /* Attribute values holding '>' and comments holding markup-like text. */
    "<rss version=\"2.0\"><channel><item><title>" LONG_TEXT "<!-- <![CDATA[ x ]]> --></title>"
    "<description><![CDATA[" LONG_TEXT "]]>" LONG_TEXT "<![CDATA[" LONG_TEXT "]]></description>"
    "</item></channel></rss>",
    /* Control characters and non-characters inside CDATA (scrubbed after a failed parse). */
    "<rss version=\"2.0\"><channel><item><description><![CDATA[" LONG_TEXT "\x01" LONG_TEXT
    "]]></description><title><![CDATA[" LONG_TEXT "\xef\xbf\xbf" LONG_TEXT "]]></title></item>"
    "</channel></rss>",
    /* Non-ASCII text, and white space only. */
    "<rss version=\"2.0\"><channel><item><title>Caf\xc3\xa9 \xe2\x80\x94 " LONG_TEXT
    "</title><description>                                                                    "
    "                                                                                         "
    "                                                                                         "
    "</description></item></channel></rss>",
    /* Entities in a summary whose text is HTML, and an RDF feed. */
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\""
    "http://purl.org/rss/1.0/\"><channel rdf:about=\"x\"><title>T</title></channel><item "
    "rdf:about=\"https://example.org/1\"><title>" LONG_TEXT "</title><description>" LONG_TEXT
    "</description></item></rdf:RDF>",
  };
  const char *dirs[] = { "feeds", "feeds-edge" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = g_strdup_printf ("case %u", i);

      check_shortcuts (label, cases[i], strlen (cases[i]));
    }
  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", dirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *data = NULL;
          gsize length = 0;

          if (g_file_get_contents (path, &data, &length, NULL))
            check_shortcuts (name, data, length);
        }
    }
}

/* Random edits of the fixtures, each parsed with and without the shortcuts; by hand:
 * GAZETTE_FEED_FUZZ=N (edits per fixture). */
static void
test_shortcuts_fuzz (void)
{
  static const char *const inserts[] = {
    "&amp;", "&#38;", "&#x26;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&copy;", "\r\n",
    "\r", "\n", "]]>", "<![CDATA[x & y]]>", "\xc3\xa9", "\xe9", "\x01", "<", ">", "'", "\"",
    "<!-- c -->", "&#0;", "&#xD;", "&#13;", "\t", "&", "&#", "&#x;", "<?gazette 1?>", "<b>",
    "</b>", "\xef\xbb\xbf", "\xe2\x80\xa8", "&#x1F600;", "\xf0\x9f\x98\x80", "\r\r\n",
  };
  static const char *const dirs[] = { "feeds", "feeds-edge" };
  const char *env = g_getenv ("GAZETTE_FEED_FUZZ");
  guint per_file = env != NULL ? (guint) atoi (env) : 0;
  g_autoptr(GString) filler = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  guint total = 0;

  for (guint i = 0; i < 60; i++)
    g_string_append (filler, "plain words of a long run ");
  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", dirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *data = NULL;
          gsize length = 0;

          if (!g_file_get_contents (path, &data, &length, NULL) || length == 0)
            continue;
          for (guint k = 0; k < per_file; k++)
            {
              g_autoptr(GString) m = g_string_new_len (data, length);
              guint edits = 1 + g_rand_int_range (rand, 0, 4);
              g_autofree char *label = NULL;

              for (guint e = 0; e < edits; e++)
                {
                  gsize at = g_rand_int_range (rand, 0, (gint32) m->len + 1);
                  int what = g_rand_int_range (rand, 0, 10);

                  if (what < 6)
                    g_string_insert (m, at, inserts[g_rand_int_range (rand, 0, G_N_ELEMENTS (inserts))]);
                  else if (what < 8)
                    g_string_insert (m, at, filler->str);
                  else if (m->len > 0)
                    {
                      gsize from = MIN (at, m->len - 1);
                      gsize n = (gsize) g_rand_int_range (rand, 1, 8);

                      g_string_erase (m, from, MIN (n, m->len - from));
                    }
                }
              label = g_strdup_printf ("%s mutant %u", name, k);
              check_shortcuts (label, m->str, m->len);
              total++;
            }
        }
    }
  g_rand_free (rand);
  g_test_message ("%u mutants compared", total);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (feed_cases); i++)
    g_test_add_data_func (feed_cases[i].path, &feed_cases[i], test_feed_case);
  g_test_add_func ("/core/feed/ids/stable", test_ids_stable);
  g_test_add_func ("/core/feed/unterminated", test_unterminated);
  g_test_add_func ("/core/feed/is-ascii", test_is_ascii);
  g_test_add_func ("/core/feed/not-a-feed", test_not_a_feed);
  g_test_add_func ("/core/feed/security/external-entity", test_external_entity);
  g_test_add_func ("/core/feed/security/billion-laughs-generated", test_billion_laughs);
  g_test_add_func ("/core/feed/discover", test_discover);
  g_test_add_func ("/core/feed/json-shape", test_json_shape);
  g_test_add_func ("/core/feed/cli", test_cli);
  g_test_add_func ("/core/feed/sanitize/fast-path", test_sanitize_fast_path);
  g_test_add_func ("/core/feed/shortcuts", test_shortcuts);
  if (g_getenv ("GAZETTE_FEED_FUZZ") != NULL)
    g_test_add_func ("/core/feed/shortcuts-fuzz", test_shortcuts_fuzz);
  g_test_add_func ("/core/feed/skeleton", test_skeleton);
  g_test_add_func ("/core/feed/fold-whitespace", test_fold_whitespace);
  g_test_add_func ("/core/feed/repair/predefined-entities", test_repair_predefined);

  return g_test_run ();
}

/* gazette-export.c — self-contained HTML and EPUB 3 from saved articles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each article's HTML is parsed once (libxml2's HTML parser), its images rewritten (stored assets
 * become data: URIs or package files; anything else is dropped so nothing loads from the
 * network), then serialised: as HTML for the single file, as XML for EPUB so every content
 * document is well-formed XHTML. The EPUB zip is written with libarchive: "mimetype" first and
 * stored, the rest deflated.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <string.h>

#include "gazette-error.h"
#include "gazette-export.h"
#include "gazette-store-offline.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define EPUB_NS  "http://www.idpf.org/2007/ops"
#define OPF_NS   "http://www.idpf.org/2007/opf"
#define DC_NS    "http://purl.org/dc/elements/1.1/"

static const char export_css[] =
  "body { font-family: serif; line-height: 1.5; margin: 1em auto; max-width: 40em;"
  " padding: 0 1em; }\n"
  "img { max-width: 100%; height: auto; }\n"
  "header p { color: #666; }\n"
  "article + article { border-top: 1px solid #ccc; margin-top: 2em; }\n";

typedef struct {
  char   *sha256;
  char   *mime;
  GBytes *data;
  char   *file;    /* EPUB: "images/<sha>.<ext>" */
} ExportAsset;

static void
export_asset_free (ExportAsset *asset)
{
  g_free (asset->sha256);
  g_free (asset->mime);
  g_clear_pointer (&asset->data, g_bytes_unref);
  g_free (asset->file);
  g_free (asset);
}

typedef struct {
  GazetteStore        *store;
  GazetteExportFormat  format;
  GHashTable          *assets;       /* sha256 → ExportAsset */
  GPtrArray           *asset_order;  /* of ExportAsset, borrowed: manifest order */
} Exporter;

static const char *
extension_for (const char *mime)
{
  static const struct { const char *mime; const char *ext; } table[] = {
    { "image/jpeg", "jpg" }, { "image/png", "png" }, { "image/gif", "gif" },
    { "image/svg+xml", "svg" }, { "image/webp", "webp" }, { "image/avif", "avif" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (mime, table[i].mime) == 0)
      return table[i].ext;
  return "img";
}

/* The stored asset a gazette-asset: URL names, loaded once per export; NULL when absent. */
static ExportAsset *
exporter_asset (Exporter   *exporter,
                const char *url)
{
  const char *sha;
  ExportAsset *asset;
  g_autofree char *mime = NULL;
  g_autoptr(GBytes) data = NULL;

  if (url == NULL || !g_str_has_prefix (url, GAZETTE_ASSET_SCHEME ":"))
    return NULL;
  sha = url + strlen (GAZETTE_ASSET_SCHEME ":");
  asset = g_hash_table_lookup (exporter->assets, sha);
  if (asset != NULL)
    return asset;

  data = gazette_store_load_asset_sync (exporter->store, sha, &mime, NULL, NULL);
  if (data == NULL)
    return NULL;
  asset = g_new0 (ExportAsset, 1);
  asset->sha256 = g_ascii_strdown (sha, -1);
  asset->mime = g_steal_pointer (&mime);
  asset->data = g_steal_pointer (&data);
  asset->file = g_strdup_printf ("images/%s.%s", asset->sha256, extension_for (asset->mime));
  g_hash_table_insert (exporter->assets, asset->sha256, asset);
  g_ptr_array_add (exporter->asset_order, asset);
  return asset;
}

static char *
asset_reference (Exporter    *exporter,
                 ExportAsset *asset)
{
  if (exporter->format == GAZETTE_EXPORT_EPUB)
    return g_strdup (asset->file);
  else
    {
      gsize length = 0;
      gconstpointer data = g_bytes_get_data (asset->data, &length);
      g_autofree char *base64 = g_base64_encode (data, length);

      return g_strdup_printf ("data:%s;base64,%s", asset->mime, base64);
    }
}

/* Characters XML 1.0 forbids (most C0 controls) would make the XHTML ill-formed. */
static void
strip_controls (xmlNodePtr node)
{
  xmlChar *content;
  gboolean bad = FALSE;

  if (node->content == NULL)
    return;
  for (const xmlChar *p = node->content; *p != '\0'; p++)
    if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      bad = TRUE;
  if (!bad)
    return;

  content = xmlStrdup (node->content);
  for (xmlChar *p = content; *p != '\0'; p++)
    if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      *p = ' ';
  xmlNodeSetContent (node, content);
  xmlFree (content);
}

static gboolean
is_element (xmlNodePtr  node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && xmlStrcasecmp (node->name, BAD_CAST name) == 0;
}

/* Rewrites images under @node; anything that would load from elsewhere goes. */
static void
rewrite_tree (Exporter   *exporter,
              xmlNodePtr  node)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_TEXT_NODE)
        strip_controls (child);
      else if (child->type == XML_COMMENT_NODE || child->type == XML_PI_NODE)
        {
          xmlUnlinkNode (child);
          xmlFreeNode (child);
        }
      else if (child->type == XML_ELEMENT_NODE)
        {
          if (is_element (child, "source"))
            {
              /* libxml2 2.9 nests what follows a <source> inside it: keep that. */
              rewrite_tree (exporter, child);
              while (child->children != NULL)
                {
                  xmlNodePtr inner = child->children;

                  xmlUnlinkNode (inner);
                  xmlAddPrevSibling (child, inner);
                }
              xmlUnlinkNode (child);
              xmlFreeNode (child);
              child = next;
              continue;
            }
          if (is_element (child, "script") ||
              is_element (child, "style") || is_element (child, "link") ||
              is_element (child, "iframe") || is_element (child, "video") ||
              is_element (child, "audio") || is_element (child, "object") ||
              is_element (child, "embed"))
            {
              xmlUnlinkNode (child);
              xmlFreeNode (child);
              child = next;
              continue;
            }
          if (is_element (child, "img"))
            {
              g_autofree xmlChar *src = xmlGetProp (child, BAD_CAST "src");
              ExportAsset *asset = exporter_asset (exporter, (const char *) src);

              xmlUnsetProp (child, BAD_CAST "srcset");
              xmlUnsetProp (child, BAD_CAST "sizes");
              if (asset != NULL)
                {
                  g_autofree char *reference = asset_reference (exporter, asset);

                  xmlSetProp (child, BAD_CAST "src", BAD_CAST reference);
                  if (!xmlHasProp (child, BAD_CAST "alt"))
                    xmlSetProp (child, BAD_CAST "alt", BAD_CAST "");
                }
              else
                {
                  /* Not stored: keep its words, not its address. */
                  g_autofree xmlChar *alt = xmlGetProp (child, BAD_CAST "alt");

                  if (alt != NULL && *alt != '\0')
                    xmlAddPrevSibling (child, xmlNewDocText (child->doc, alt));
                  xmlUnlinkNode (child);
                  xmlFreeNode (child);
                  child = next;
                  continue;
                }
            }
          /* Whatever else points at a resource to load. */
          xmlUnsetProp (child, BAD_CAST "poster");
          xmlUnsetProp (child, BAD_CAST "background");
          xmlUnsetProp (child, BAD_CAST "style");
          rewrite_tree (exporter, child);
        }
      child = next;
    }
}

static htmlDocPtr
parse_article_html (const char *html)
{
  g_autofree char *wrapped = g_strconcat ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                                          "</head><body>", html != NULL ? html : "",
                                          "</body></html>", NULL);

  return htmlReadMemory (wrapped, strlen (wrapped), NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_NONET);
}

static xmlNodePtr
html_body (htmlDocPtr doc)
{
  xmlNodePtr root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;

  for (xmlNodePtr child = root != NULL ? root->children : NULL; child != NULL; child = child->next)
    if (is_element (child, "body"))
      return child;
  return NULL;
}

static const char *
article_html (GazetteArticle *article)
{
  const char *html = gazette_article_get_reader_html (article);

  if (html == NULL || *html == '\0')
    html = gazette_article_get_content (article);
  if (html == NULL || *html == '\0')
    html = gazette_article_get_summary (article);
  return html;
}

/* "Author · Site · 29 November 2026", plain text. */
static char *
article_byline (GazetteArticle *article)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *author = gazette_article_get_author (article);
  const char *site = gazette_article_get_source_title (article);
  gint64 published = gazette_article_get_published (article);

  if (author != NULL && *author != '\0')
    g_ptr_array_add (parts, g_strdup (author));
  if (site != NULL && *site != '\0')
    g_ptr_array_add (parts, g_strdup (site));
  if (published > 0)
    {
      g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (published);

      g_ptr_array_add (parts, g_date_time_format (date, "%Y-%m-%d"));
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* The body of @article, images rewritten: a parsed document whose <body> holds it. The lead image
 * comes first when it is stored and the text does not show it. */
static htmlDocPtr
prepare_article (Exporter       *exporter,
                 GazetteArticle *article)
{
  htmlDocPtr doc = parse_article_html (article_html (article));
  xmlNodePtr body = html_body (doc);
  const char *lead = gazette_article_get_lead_image (article);

  if (body == NULL)
    return doc;
  if (lead != NULL && g_str_has_prefix (lead, GAZETTE_ASSET_SCHEME ":"))
    {
      const char *html = article_html (article);

      if (html == NULL || strstr (html, lead) == NULL)
        {
          xmlNodePtr img = xmlNewDocNode (doc, NULL, BAD_CAST "img", NULL);

          xmlSetProp (img, BAD_CAST "src", BAD_CAST lead);
          xmlSetProp (img, BAD_CAST "alt", BAD_CAST "");
          if (body->children != NULL)
            xmlAddPrevSibling (body->children, img);
          else
            xmlAddChild (body, img);
        }
    }
  rewrite_tree (exporter, body);
  return doc;
}

/* HTML -------------------------------------------------------------------------------------- */

static char *
export_html (Exporter    *exporter,
             GPtrArray   *articles)
{
  GString *out = g_string_new (NULL);
  GazetteArticle *first = g_ptr_array_index (articles, 0);
  const char *lang = gazette_article_get_lang (first);
  g_autofree char *title = g_markup_escape_text (articles->len == 1 && gazette_article_get_title (first) != NULL
                                                   ? gazette_article_get_title (first)
                                                   : _("Articles from Gazette"), -1);

  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                          "<meta charset=\"utf-8\">\n"
                          /* The file carries everything; say so to the browser too. */
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                          " img-src data:; style-src 'unsafe-inline'\">\n"
                          "<meta name=\"generator\" content=\"Gazette %s\">\n"
                          "<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n",
                          lang != NULL ? lang : "und", PACKAGE_VERSION, title, export_css);

  for (guint i = 0; i < articles->len; i++)
    {
      GazetteArticle *article = g_ptr_array_index (articles, i);
      htmlDocPtr doc = prepare_article (exporter, article);
      xmlNodePtr body = html_body (doc);
      g_autofree char *heading = g_markup_escape_text (gazette_article_get_title (article) != NULL
                                                         ? gazette_article_get_title (article) : "",
                                                       -1);
      g_autofree char *byline_text = article_byline (article);
      g_autofree char *byline = g_markup_escape_text (byline_text, -1);
      const char *dir = gazette_article_get_dir (article);
      const char *article_lang = gazette_article_get_lang (article);
      xmlBufferPtr buffer = xmlBufferCreate ();

      g_string_append (out, "<article");
      if (article_lang != NULL && g_regex_match_simple ("^[A-Za-z0-9-]+$", article_lang, 0, 0))
        g_string_append_printf (out, " lang=\"%s\"", article_lang);
      if (g_strcmp0 (dir, "rtl") == 0)
        g_string_append (out, " dir=\"rtl\"");
      g_string_append_printf (out, ">\n<header>\n<h1>%s</h1>\n", heading);
      if (*byline != '\0')
        g_string_append_printf (out, "<p>%s</p>\n", byline);
      g_string_append (out, "</header>\n");
      for (xmlNodePtr child = body != NULL ? body->children : NULL; child != NULL; child = child->next)
        htmlNodeDump (buffer, doc, child);
      g_string_append_len (out, (const char *) xmlBufferContent (buffer), xmlBufferLength (buffer));
      g_string_append (out, "\n</article>\n");
      xmlBufferFree (buffer);
      if (doc != NULL)
        xmlFreeDoc (doc);
    }
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

/* EPUB -------------------------------------------------------------------------------------- */

static void
set_namespace (xmlNodePtr node,
               xmlNsPtr   ns)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;
      node->ns = ns;
      /* Attributes such as xml:lang from the HTML parser are plain names; leave them be. */
      set_namespace (node->children, ns);
    }
}

/* Attributes the HTML parser accepted that XML would not (a name with odd characters). */
static void
drop_bad_attributes (xmlNodePtr node)
{
  for (; node != NULL; node = node->next)
    {
      xmlAttrPtr attr;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      attr = node->properties;
      while (attr != NULL)
        {
          xmlAttrPtr next = attr->next;

          if (xmlValidateNCName (attr->name, 0) != 0)
            xmlRemoveProp (attr);
          attr = next;
        }
      drop_bad_attributes (node->children);
    }
}

static xmlDocPtr
xhtml_new (const char  *title,
           const char  *lang,
           xmlNodePtr  *out_body)
{
  xmlDocPtr doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNodePtr html = xmlNewDocNode (doc, NULL, BAD_CAST "html", NULL);
  xmlNsPtr ns = xmlNewNs (html, BAD_CAST XHTML_NS, NULL);
  xmlNodePtr head;
  xmlNodePtr link;

  xmlSetNs (html, ns);
  xmlNewNs (html, BAD_CAST EPUB_NS, BAD_CAST "epub");
  xmlDocSetRootElement (doc, html);
  xmlCreateIntSubset (doc, BAD_CAST "html", NULL, NULL);
  if (lang != NULL)
    {
      xmlSetProp (html, BAD_CAST "lang", BAD_CAST lang);
      xmlNodeSetLang (html, BAD_CAST lang);
    }
  head = xmlNewChild (html, ns, BAD_CAST "head", NULL);
  xmlSetProp (xmlNewChild (head, ns, BAD_CAST "meta", NULL), BAD_CAST "charset", BAD_CAST "utf-8");
  xmlNewTextChild (head, ns, BAD_CAST "title", BAD_CAST (title != NULL ? title : ""));
  link = xmlNewChild (head, ns, BAD_CAST "link", NULL);
  xmlSetProp (link, BAD_CAST "rel", BAD_CAST "stylesheet");
  xmlSetProp (link, BAD_CAST "type", BAD_CAST "text/css");
  xmlSetProp (link, BAD_CAST "href", BAD_CAST "style.css");
  *out_body = xmlNewChild (html, ns, BAD_CAST "body", NULL);
  return doc;
}

static GBytes *
xml_to_bytes (xmlDocPtr doc)
{
  xmlChar *memory = NULL;
  int size = 0;
  GBytes *bytes;

  xmlDocDumpFormatMemoryEnc (doc, &memory, &size, "UTF-8", 0);
  bytes = g_bytes_new (memory, size);
  xmlFree (memory);
  return bytes;
}

static GBytes *
article_xhtml (Exporter       *exporter,
               GazetteArticle *article)
{
  htmlDocPtr source = prepare_article (exporter, article);
  xmlNodePtr source_body = html_body (source);
  const char *title = gazette_article_get_title (article);
  const char *lang = gazette_article_get_lang (article);
  g_autofree char *byline = article_byline (article);
  xmlNodePtr body;
  xmlNodePtr header;
  xmlDocPtr doc;
  GBytes *bytes;

  if (lang != NULL && !g_regex_match_simple ("^[A-Za-z0-9-]+$", lang, 0, 0))
    lang = NULL;
  doc = xhtml_new (title, lang, &body);
  if (g_strcmp0 (gazette_article_get_dir (article), "rtl") == 0)
    xmlSetProp (body, BAD_CAST "dir", BAD_CAST "rtl");
  header = xmlNewChild (body, body->ns, BAD_CAST "header", NULL);
  xmlNewTextChild (header, body->ns, BAD_CAST "h1", BAD_CAST (title != NULL ? title : ""));
  if (*byline != '\0')
    xmlNewTextChild (header, body->ns, BAD_CAST "p", BAD_CAST byline);

  for (xmlNodePtr child = source_body != NULL ? source_body->children : NULL; child != NULL;
       child = child->next)
    {
      xmlNodePtr copy = xmlDocCopyNode (child, doc, 1);

      if (copy == NULL)
        continue;
      set_namespace (copy, body->ns);
      drop_bad_attributes (copy);
      xmlAddChild (body, copy);
    }

  bytes = xml_to_bytes (doc);
  xmlFreeDoc (doc);
  if (source != NULL)
    xmlFreeDoc (source);
  return bytes;
}

static GBytes *
nav_xhtml (GPtrArray *articles)
{
  xmlNodePtr body;
  xmlDocPtr doc = xhtml_new (_("Contents"), NULL, &body);
  xmlNodePtr nav = xmlNewChild (body, body->ns, BAD_CAST "nav", NULL);
  xmlNsPtr epub = xmlSearchNs (doc, xmlDocGetRootElement (doc), BAD_CAST "epub");
  xmlNodePtr list;
  GBytes *bytes;

  xmlSetNsProp (nav, epub, BAD_CAST "type", BAD_CAST "toc");
  xmlNewTextChild (nav, body->ns, BAD_CAST "h1", BAD_CAST _("Contents"));
  list = xmlNewChild (nav, body->ns, BAD_CAST "ol", NULL);
  for (guint i = 0; i < articles->len; i++)
    {
      GazetteArticle *article = g_ptr_array_index (articles, i);
      const char *title = gazette_article_get_title (article);
      xmlNodePtr item = xmlNewChild (list, body->ns, BAD_CAST "li", NULL);
      g_autofree char *href = g_strdup_printf ("article-%u.xhtml", i + 1);
      xmlNodePtr a = xmlNewTextChild (item, body->ns, BAD_CAST "a",
                                      BAD_CAST (title != NULL && *title != '\0'
                                                  ? title : _("Untitled")));

      xmlSetProp (a, BAD_CAST "href", BAD_CAST href);
    }
  bytes = xml_to_bytes (doc);
  xmlFreeDoc (doc);
  return bytes;
}

static GBytes *
package_opf (Exporter  *exporter,
             GPtrArray *articles)
{
  GazetteArticle *first = g_ptr_array_index (articles, 0);
  const char *lang = gazette_article_get_lang (first);
  xmlDocPtr doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNodePtr package = xmlNewDocNode (doc, NULL, BAD_CAST "package", NULL);
  xmlNsPtr opf = xmlNewNs (package, BAD_CAST OPF_NS, NULL);
  xmlNsPtr dc = xmlNewNs (package, BAD_CAST DC_NS, BAD_CAST "dc");
  xmlNodePtr metadata, manifest, spine, node;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *modified = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *random = g_uuid_string_random ();
  g_autofree char *uuid = g_strconcat ("urn:uuid:", random, NULL);
  const char *title = articles->len == 1 && gazette_article_get_title (first) != NULL
                        ? gazette_article_get_title (first) : _("Articles from Gazette");
  GBytes *bytes;

  if (lang == NULL || !g_regex_match_simple ("^[A-Za-z0-9-]+$", lang, 0, 0))
    lang = "und";
  xmlSetNs (package, opf);
  xmlDocSetRootElement (doc, package);
  xmlSetProp (package, BAD_CAST "version", BAD_CAST "3.0");
  xmlSetProp (package, BAD_CAST "unique-identifier", BAD_CAST "uid");

  metadata = xmlNewChild (package, opf, BAD_CAST "metadata", NULL);
  node = xmlNewTextChild (metadata, dc, BAD_CAST "identifier", BAD_CAST uuid);
  xmlSetProp (node, BAD_CAST "id", BAD_CAST "uid");
  xmlNewTextChild (metadata, dc, BAD_CAST "title", BAD_CAST title);
  xmlNewTextChild (metadata, dc, BAD_CAST "language", BAD_CAST lang);
  if (articles->len == 1 && gazette_article_get_author (first) != NULL)
    xmlNewTextChild (metadata, dc, BAD_CAST "creator", BAD_CAST gazette_article_get_author (first));
  if (articles->len == 1 && gazette_article_get_url (first) != NULL)
    xmlNewTextChild (metadata, dc, BAD_CAST "source", BAD_CAST gazette_article_get_url (first));
  node = xmlNewTextChild (metadata, opf, BAD_CAST "meta", BAD_CAST modified);
  xmlSetProp (node, BAD_CAST "property", BAD_CAST "dcterms:modified");

  manifest = xmlNewChild (package, opf, BAD_CAST "manifest", NULL);
  node = xmlNewChild (manifest, opf, BAD_CAST "item", NULL);
  xmlSetProp (node, BAD_CAST "id", BAD_CAST "nav");
  xmlSetProp (node, BAD_CAST "href", BAD_CAST "nav.xhtml");
  xmlSetProp (node, BAD_CAST "media-type", BAD_CAST "application/xhtml+xml");
  xmlSetProp (node, BAD_CAST "properties", BAD_CAST "nav");
  node = xmlNewChild (manifest, opf, BAD_CAST "item", NULL);
  xmlSetProp (node, BAD_CAST "id", BAD_CAST "css");
  xmlSetProp (node, BAD_CAST "href", BAD_CAST "style.css");
  xmlSetProp (node, BAD_CAST "media-type", BAD_CAST "text/css");
  for (guint i = 0; i < articles->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("article-%u", i + 1);
      g_autofree char *href = g_strdup_printf ("article-%u.xhtml", i + 1);

      node = xmlNewChild (manifest, opf, BAD_CAST "item", NULL);
      xmlSetProp (node, BAD_CAST "id", BAD_CAST id);
      xmlSetProp (node, BAD_CAST "href", BAD_CAST href);
      xmlSetProp (node, BAD_CAST "media-type", BAD_CAST "application/xhtml+xml");
    }
  for (guint i = 0; i < exporter->asset_order->len; i++)
    {
      ExportAsset *asset = g_ptr_array_index (exporter->asset_order, i);
      g_autofree char *id = g_strdup_printf ("image-%s", asset->sha256);

      node = xmlNewChild (manifest, opf, BAD_CAST "item", NULL);
      xmlSetProp (node, BAD_CAST "id", BAD_CAST id);
      xmlSetProp (node, BAD_CAST "href", BAD_CAST asset->file);
      xmlSetProp (node, BAD_CAST "media-type", BAD_CAST asset->mime);
    }

  spine = xmlNewChild (package, opf, BAD_CAST "spine", NULL);
  for (guint i = 0; i < articles->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("article-%u", i + 1);

      node = xmlNewChild (spine, opf, BAD_CAST "itemref", NULL);
      xmlSetProp (node, BAD_CAST "idref", BAD_CAST id);
    }

  bytes = xml_to_bytes (doc);
  xmlFreeDoc (doc);
  return bytes;
}

static const char container_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
  "  <rootfiles>\n"
  "    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
  "  </rootfiles>\n"
  "</container>\n";

static gboolean
zip_add (struct archive  *zip,
         const char      *name,
         gconstpointer    data,
         gsize            length,
         GError         **error)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok = TRUE;

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, length);
  /* No time for "mimetype": libarchive then writes no extra field, which OCF forbids there. */
  if (!g_str_equal (name, "mimetype"))
    archive_entry_set_mtime (entry, g_get_real_time () / G_USEC_PER_SEC, 0);
  if (archive_write_header (zip, entry) != ARCHIVE_OK ||
      (length > 0 && archive_write_data (zip, data, length) != (la_ssize_t) length))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                   _("Could not write the EPUB file: %s"), archive_error_string (zip));
      ok = FALSE;
    }
  archive_entry_free (entry);
  return ok;
}

static gboolean
zip_add_bytes (struct archive  *zip,
               const char      *name,
               GBytes          *bytes,
               GError         **error)
{
  gsize length = 0;
  gconstpointer data = g_bytes_get_data (bytes, &length);

  return zip_add (zip, name, data, length, error);
}

static guint
get_u16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
get_u32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static void
put_u16 (guint8 *p,
         guint   value)
{
  p[0] = value & 0xff;
  p[1] = (value >> 8) & 0xff;
}

static void
put_u32 (guint8  *p,
         guint32  value)
{
  for (guint i = 0; i < 4; i++)
    p[i] = (value >> (8 * i)) & 0xff;
}

/* OCF forbids an extra field in the mimetype entry's headers, and libarchive always writes one
 * (a timestamp and the owner). Takes them out of the first local header and its central
 * directory record, and moves every offset after them back. Only for the archives written here:
 * no zip64, the first entry at offset 0. */
static GBytes *
strip_mimetype_extra (GByteArray  *zip,
                      GError     **error)
{
  const guint8 *data = zip->data;
  gsize length = zip->len;
  g_autoptr(GByteArray) out = NULL;
  gsize eocd = 0, cd_offset, cd_size, local_extra_start;
  guint name_len, local_extra, entries;
  gsize p;

  if (length < 30 + 22 || get_u32 (data) != 0x04034b50)
    goto bad;
  for (p = length - 22; ; p--)
    {
      if (get_u32 (data + p) == 0x06054b50)
        {
          eocd = p;
          break;
        }
      if (p == 0 || length - p > 22 + 65535)
        goto bad;
    }
  name_len = get_u16 (data + 26);
  local_extra = get_u16 (data + 28);
  local_extra_start = 30 + name_len;
  entries = get_u16 (data + eocd + 10);
  cd_size = get_u32 (data + eocd + 12);
  cd_offset = get_u32 (data + eocd + 16);
  if (cd_offset + cd_size > eocd || local_extra_start + local_extra > cd_offset)
    goto bad;

  out = g_byte_array_sized_new (length);
  /* The first local header without its extra field, then everything up to the directory. */
  g_byte_array_append (out, data, local_extra_start);
  put_u16 (out->data + 28, 0);
  g_byte_array_append (out, data + local_extra_start + local_extra,
                       cd_offset - local_extra_start - local_extra);

  p = cd_offset;
  for (guint i = 0; i < entries; i++)
    {
      guint n, e, c;
      guint32 offset;
      gsize start = out->len;

      if (p + 46 > eocd || get_u32 (data + p) != 0x02014b50)
        goto bad;
      n = get_u16 (data + p + 28);
      e = get_u16 (data + p + 30);
      c = get_u16 (data + p + 32);
      offset = get_u32 (data + p + 42);
      if (p + 46 + n + e + c > eocd)
        goto bad;
      if (offset == 0)
        {
          g_byte_array_append (out, data + p, 46 + n);
          put_u16 (out->data + start + 30, 0);
          g_byte_array_append (out, data + p + 46 + n + e, c);
        }
      else
        {
          g_byte_array_append (out, data + p, 46 + n + e + c);
          put_u32 (out->data + start + 42, offset - local_extra);
        }
      p += 46 + n + e + c;
    }

  {
    gsize new_cd_offset = cd_offset - local_extra;
    gsize new_cd_size = out->len - new_cd_offset;
    gsize end = out->len;

    g_byte_array_append (out, data + eocd, length - eocd);
    put_u32 (out->data + end + 12, new_cd_size);
    put_u32 (out->data + end + 16, new_cd_offset);
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

bad:
  g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                       _("Could not write the EPUB file: the archive is malformed"));
  return NULL;
}

static la_ssize_t
zip_write_cb (struct archive *archive,
              void           *user_data,
              const void     *buffer,
              size_t          length)
{
  g_byte_array_append (user_data, buffer, length);
  return length;
}

static gboolean
export_epub (Exporter    *exporter,
             GPtrArray   *articles,
             const char  *path,
             GError     **error)
{
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(GBytes) nav = NULL;
  g_autoptr(GBytes) opf = NULL;
  g_autoptr(GBytes) epub = NULL;
  g_autoptr(GError) local_error = NULL;
  struct archive *zip;
  gboolean ok = FALSE;

  /* Documents first: they decide which images the manifest lists. */
  for (guint i = 0; i < articles->len; i++)
    g_ptr_array_add (documents, article_xhtml (exporter, g_ptr_array_index (articles, i)));
  nav = nav_xhtml (articles);
  opf = package_opf (exporter, articles);

  zip = archive_write_new ();
  if (archive_write_set_format_zip (zip) != ARCHIVE_OK ||
      archive_write_zip_set_compression_store (zip) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block (zip, 1) != ARCHIVE_OK ||
      archive_write_open (zip, buffer, NULL, zip_write_cb, NULL) != ARCHIVE_OK)
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                   _("Could not write the EPUB file: %s"), archive_error_string (zip));
      archive_write_free (zip);
      return FALSE;
    }

  /* OCF: the first entry is "mimetype", stored, so the type can be read at a fixed offset. */
  if (!zip_add (zip, "mimetype", "application/epub+zip", strlen ("application/epub+zip"), error))
    goto out;
  /* The compression may change between entries, once the last one is finished. */
  if (archive_write_finish_entry (zip) != ARCHIVE_OK ||
      archive_write_zip_set_compression_deflate (zip) != ARCHIVE_OK)
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                   _("Could not write the EPUB file: %s"), archive_error_string (zip));
      goto out;
    }
  if (!zip_add (zip, "META-INF/container.xml", container_xml, strlen (container_xml), error) ||
      !zip_add_bytes (zip, "OEBPS/content.opf", opf, error) ||
      !zip_add_bytes (zip, "OEBPS/nav.xhtml", nav, error) ||
      !zip_add (zip, "OEBPS/style.css", export_css, strlen (export_css), error))
    goto out;
  for (guint i = 0; i < documents->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("OEBPS/article-%u.xhtml", i + 1);

      if (!zip_add_bytes (zip, name, g_ptr_array_index (documents, i), error))
        goto out;
    }
  for (guint i = 0; i < exporter->asset_order->len; i++)
    {
      ExportAsset *asset = g_ptr_array_index (exporter->asset_order, i);
      g_autofree char *name = g_strconcat ("OEBPS/", asset->file, NULL);

      if (!zip_add_bytes (zip, name, asset->data, error))
        goto out;
    }
  ok = TRUE;

out:
  if (archive_write_close (zip) != ARCHIVE_OK && ok)
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                   _("Could not write the EPUB file: %s"), archive_error_string (zip));
      ok = FALSE;
    }
  archive_write_free (zip);
  if (!ok)
    return FALSE;

  epub = strip_mimetype_extra (buffer, error);
  if (epub == NULL)
    return FALSE;
  if (!g_file_set_contents (path, g_bytes_get_data (epub, NULL), g_bytes_get_size (epub),
                            &local_error))
    {
      g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                   _("Could not write %s: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Entry points ------------------------------------------------------------------------------- */

gboolean
gazette_export_sync (GazetteStore         *store,
                     const gint64         *ids,
                     guint                 n_ids,
                     GazetteExportFormat   format,
                     const char           *path,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_object_unref);
  Exporter exporter = { store, format, NULL, NULL };
  gboolean ok;

  g_return_val_if_fail (GAZETTE_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (n_ids == 0)
    {
      g_set_error_literal (error, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                           _("No articles to export"));
      return FALSE;
    }
  for (guint i = 0; i < n_ids; i++)
    {
      GazetteArticle *article = gazette_store_load_article_sync (store, ids[i], cancellable, error);

      if (article == NULL)
        return FALSE;
      g_ptr_array_add (articles, article);
    }

  exporter.assets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) export_asset_free);
  exporter.asset_order = g_ptr_array_new ();

  if (format == GAZETTE_EXPORT_EPUB)
    ok = export_epub (&exporter, articles, path, error);
  else
    {
      g_autofree char *html = export_html (&exporter, articles);
      g_autoptr(GError) local_error = NULL;

      ok = g_file_set_contents (path, html, -1, &local_error);
      if (!ok)
        g_set_error (error, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                     _("Could not write %s: %s"), path, local_error->message);
    }

  g_ptr_array_unref (exporter.asset_order);
  g_hash_table_unref (exporter.assets);
  return ok;
}

typedef struct {
  GArray              *ids;
  GazetteExportFormat  format;
  char                *path;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_array_unref (data->ids);
  g_free (data->path);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (gazette_export_sync (GAZETTE_STORE (source_object), (const gint64 *) data->ids->data,
                           data->ids->len, data->format, data->path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
gazette_export_async (GazetteStore         *store,
                      const gint64         *ids,
                      guint                 n_ids,
                      GazetteExportFormat   format,
                      const char           *path,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  ExportData *data = g_new0 (ExportData, 1);

  g_task_set_source_tag (task, gazette_export_async);
  data->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (data->ids, ids, n_ids);
  data->format = format;
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
gazette_export_finish (GazetteStore  *store,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

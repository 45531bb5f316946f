/* gazette-saver.c — saving articles for offline reading
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One save is a chain on the caller's main context: load the article (or fetch and extract the
 * page, in a thread), list the images its reader HTML shows, fetch them one after another through
 * the app's fetcher (one SoupSession), then hand HTML and images to the store in one transaction.
 * Images are fetched one at a time: a saved article is rarely urgent, and this keeps the fetcher's
 * per-host limits for the feeds.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <string.h>

#include "gazette-error.h"
#include "gazette-extractor.h"
#include "gazette-saver.h"
#include "gazette-store-offline.h"

#define DEFAULT_MAX_ARTICLE_BYTES (25 * 1024 * 1024)
/* srcset: the widest candidate up to this many pixels (a reading column on a HiDPI screen). */
#define SRCSET_MAX_WIDTH          1600
#define IMAGE_ACCEPT \
  "image/avif,image/webp,image/png,image/jpeg,image/gif,image/svg+xml,image/*;q=0.8"

struct _GazetteSaver
{
  GObject         parent_instance;

  GazetteStore   *store;
  GazetteFetcher *fetcher;
  guint64         max_article_bytes;
  GazetteFilterRules *filter_rules;  /* NULL: the default filter */
  char          **filter_disabled_sites;
};

G_DEFINE_FINAL_TYPE (GazetteSaver, gazette_saver, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_FETCHER,
  PROP_MAX_ARTICLE_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Image URLs and rewriting ----------------------------------------------------------------- */

static char *
resolve (const char *base_url,
         const char *url)
{
  g_autofree char *stripped = g_strstrip (g_strdup (url));

  if (*stripped == '\0' || g_str_has_prefix (stripped, "data:") ||
      g_str_has_prefix (stripped, GAZETTE_ASSET_SCHEME ":"))
    return NULL;
  if (base_url == NULL)
    return g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL) ? g_steal_pointer (&stripped) : NULL;
  return g_uri_resolve_relative (base_url, stripped, G_URI_FLAGS_NONE, NULL);
}

/* One candidate of a srcset: the widest up to SRCSET_MAX_WIDTH ("w"), else the narrowest wider
 * one; with density descriptors, the highest up to 2x. */
static char *
srcset_pick (const char *srcset)
{
  g_auto(GStrv) candidates = g_strsplit (srcset, ",", -1);
  g_autofree char *best = NULL;
  double best_value = -1;
  gboolean best_fits = FALSE;

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      g_autofree char *candidate = g_strstrip (g_strdup (candidates[i]));
      char *space = strpbrk (candidate, " \t\n");
      double value = 1;
      double limit = 2;
      gboolean fits;

      if (*candidate == '\0')
        continue;
      if (space != NULL)
        {
          char *descriptor = g_strstrip (space + 1);
          gsize len = strlen (descriptor);

          *space = '\0';
          if (len > 1 && (descriptor[len - 1] == 'w' || descriptor[len - 1] == 'W'))
            {
              value = g_ascii_strtod (descriptor, NULL);
              limit = SRCSET_MAX_WIDTH;
            }
          else if (len > 1 && (descriptor[len - 1] == 'x' || descriptor[len - 1] == 'X'))
            value = g_ascii_strtod (descriptor, NULL);
        }
      fits = value <= limit;
      if (best == NULL ||
          (fits && (!best_fits || value > best_value)) ||
          (!fits && !best_fits && value < best_value))
        {
          g_free (best);
          best = g_strdup (candidate);
          best_value = value;
          best_fits = fits;
        }
    }
  return g_steal_pointer (&best);
}

static char *
image_url (xmlNodePtr  img,
           const char *base_url)
{
  g_autofree xmlChar *srcset = xmlGetProp (img, BAD_CAST "srcset");
  g_autofree xmlChar *src = xmlGetProp (img, BAD_CAST "src");
  char *url = NULL;

  if (srcset != NULL)
    {
      g_autofree char *picked = srcset_pick ((const char *) srcset);

      if (picked != NULL)
        url = resolve (base_url, picked);
    }
  if (url == NULL && src != NULL)
    url = resolve (base_url, (const char *) src);
  return url;
}

static void
collect_images (xmlNodePtr  node,
                GPtrArray  *imgs)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (xmlStrcasecmp (child->name, BAD_CAST "img") == 0)
        g_ptr_array_add (imgs, child);
      collect_images (child, imgs);
    }
}

static htmlDocPtr
parse_fragment (const char *html)
{
  g_autofree char *wrapped = g_strconcat ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                                          "</head><body>", html, "</body></html>", NULL);

  return htmlReadMemory (wrapped, strlen (wrapped), NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                         HTML_PARSE_NONET);
}

static xmlNodePtr
find_body (htmlDocPtr doc)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);

  for (xmlNodePtr child = root != NULL ? root->children : NULL; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrcasecmp (child->name, BAD_CAST "body") == 0)
      return child;
  return NULL;
}

/* Replaces every <source> under @node by its children. */
static void
unwrap_sources (xmlNodePtr node)
{
  xmlNodePtr child = node->children;

  while (child != NULL)
    {
      xmlNodePtr next = child->next;

      if (child->type == XML_ELEMENT_NODE)
        {
          unwrap_sources (child);
          if (xmlStrcasecmp (child->name, BAD_CAST "source") == 0)
            {
              while (child->children != NULL)
                {
                  xmlNodePtr inner = child->children;

                  xmlUnlinkNode (inner);
                  xmlAddPrevSibling (child, inner);
                }
              xmlUnlinkNode (child);
              xmlFreeNode (child);
            }
        }
      child = next;
    }
}

char *
gazette_saver_rewrite_images (const char  *html,
                              const char  *base_url,
                              GHashTable  *replacements,
                              GPtrArray  **out_urls)
{
  g_autoptr(GPtrArray) imgs = g_ptr_array_new ();
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  htmlDocPtr doc;
  xmlNodePtr body;
  xmlBufferPtr buffer;
  char *result;

  doc = parse_fragment (html != NULL ? html : "");
  body = doc != NULL ? find_body (doc) : NULL;
  if (body == NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      if (out_urls != NULL)
        *out_urls = g_steal_pointer (&urls);
      return g_strdup (html != NULL ? html : "");
    }

  collect_images (body, imgs);
  for (guint i = 0; i < imgs->len; i++)
    {
      xmlNodePtr img = g_ptr_array_index (imgs, i);
      g_autofree char *url = image_url (img, base_url);
      const char *replacement;

      if (url == NULL)
        continue;
      if (!g_hash_table_contains (seen, url))
        {
          g_ptr_array_add (urls, g_strdup (url));
          g_hash_table_add (seen, g_ptr_array_index (urls, urls->len - 1));
        }

      replacement = replacements != NULL ? g_hash_table_lookup (replacements, url) : NULL;
      if (replacement == NULL)
        continue;

      xmlSetProp (img, BAD_CAST "src", BAD_CAST replacement);
      xmlUnsetProp (img, BAD_CAST "srcset");
      xmlUnsetProp (img, BAD_CAST "sizes");
      /* A <picture>'s <source>s would win over the stored src. libxml2 2.9 does not know
       * <source> is empty and nests what follows inside it: unwrap, keeping the children. */
      {
        xmlNodePtr picture = img->parent;

        while (picture != NULL && picture->type == XML_ELEMENT_NODE &&
               xmlStrcasecmp (picture->name, BAD_CAST "picture") != 0)
          picture = picture->parent;
        if (picture != NULL && picture->type == XML_ELEMENT_NODE)
          unwrap_sources (picture);
      }
    }

  buffer = xmlBufferCreate ();
  for (xmlNodePtr child = body->children; child != NULL; child = child->next)
    htmlNodeDump (buffer, doc, child);
  result = g_strndup ((const char *) xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);
  xmlFreeDoc (doc);

  if (out_urls != NULL)
    *out_urls = g_steal_pointer (&urls);
  return result;
}

/* A save in progress ------------------------------------------------------------------------ */

typedef struct {
  gint64              article_id;
  gboolean            mark_saved;
  char               *url;          /* the article's (or the page's) address */
  char               *html;         /* reader HTML before rewriting */
  char               *lead_image;
  char               *site;
  char               *lang;
  char               *dir;
  GazetteFetchResult *page;
  GazetteArticleContent *content;   /* extracted, for save_url */
  GazetteFilterRules *rules;        /* the saver's when the job began */
  char              **disabled_sites;
  char               *removed;      /* what the clutter filter removed from @html */
  GPtrArray          *urls;         /* image URLs to fetch */
  guint               next;
  guint64             total;
  GPtrArray          *assets;       /* of GazetteAsset */
  GHashTable         *replacements; /* image URL → gazette-asset: URL */
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->url);
  g_free (job->html);
  g_free (job->lead_image);
  g_free (job->site);
  g_free (job->lang);
  g_free (job->dir);
  g_clear_pointer (&job->page, gazette_fetch_result_free);
  g_clear_pointer (&job->content, gazette_article_content_free);
  g_clear_pointer (&job->rules, gazette_filter_rules_unref);
  g_strfreev (job->disabled_sites);
  g_free (job->removed);
  g_clear_pointer (&job->urls, g_ptr_array_unref);
  g_clear_pointer (&job->assets, g_ptr_array_unref);
  g_clear_pointer (&job->replacements, g_hash_table_unref);
  g_free (job);
}

static SaveJob *
save_job_new (void)
{
  SaveJob *job = g_new0 (SaveJob, 1);

  job->assets = g_ptr_array_new_with_free_func ((GDestroyNotify) gazette_asset_free);
  job->replacements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return job;
}

static gboolean
is_fetchable (const char *url)
{
  return url != NULL && (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://") ||
                         g_str_has_prefix (url, "file://"));
}

static void fetch_next_image (GTask *task);

static void
on_offline_stored (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!gazette_store_store_offline_finish (GAZETTE_STORE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_task_get_source_tag (task) == gazette_saver_save_url_async)
    g_task_return_int (task, job->article_id);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_copy (GTask *task)
{
  GazetteSaver *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);
  g_autofree char *html = NULL;
  const char *lead = NULL;
  GazetteOfflineCopy copy = { 0 };

  html = gazette_saver_rewrite_images (job->html, job->url, job->replacements, NULL);
  if (job->lead_image != NULL)
    {
      g_autofree char *lead_url = resolve (job->url, job->lead_image);

      lead = lead_url != NULL ? g_hash_table_lookup (job->replacements, lead_url) : NULL;
    }

  copy.article_id = job->article_id;
  copy.reader_html = html;
  copy.lead_image = lead;
  copy.site = job->site;
  copy.lang = job->lang;
  copy.dir = job->dir;
  copy.assets = job->assets;
  copy.mark_saved = job->mark_saved;
  copy.reader_removed = job->removed;
  gazette_store_store_offline_async (self->store, &copy, g_task_get_cancellable (task),
                                     on_offline_stored, g_object_ref (task));
}

/* The image formats a reader view shows, by their first bytes: servers often send images as
 * application/octet-stream, and the shared MIME database may be missing (tests, sandboxes). */
static const char *
sniff_image (const guchar *data,
             gsize         length)
{
  if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (length >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (length >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (length >= 12 && memcmp (data + 4, "ftypavi", 7) == 0)
    return "image/avif";
  if (length >= 2 && memcmp (data, "BM", 2) == 0)
    return "image/bmp";
  if (length >= 4 && memcmp (data, "\0\0\1\0", 4) == 0)
    return "image/x-icon";
  {
    g_autofree char *head = g_strndup ((const char *) data, MIN (length, 512));

    if (strstr (head, "<svg") != NULL)
      return "image/svg+xml";
  }
  return NULL;
}

static char *
image_mime (GazetteFetchResult *result)
{
  gsize length = 0;
  const guchar *data = g_bytes_get_data (result->body, &length);
  const char *sniffed = sniff_image (data, length);
  g_autofree char *type = NULL;

  /* The bytes decide when they are known; a declared image type otherwise. */
  if (sniffed != NULL)
    return g_strdup (sniffed);
  if (result->content_type != NULL)
    {
      const char *semicolon = strchr (result->content_type, ';');

      type = g_ascii_strdown (result->content_type,
                              semicolon != NULL ? semicolon - result->content_type : -1);
      g_strstrip (type);
      /* Never SVG unseen: it is XML that could be anything. */
      if (g_str_has_prefix (type, "image/") && !g_str_equal (type, "image/svg+xml"))
        return g_steal_pointer (&type);
    }
  return NULL;
}

static void
on_image_fetched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteSaver *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);
  const char *url = g_ptr_array_index (job->urls, job->next);
  g_autoptr(GazetteFetchResult) fetched = NULL;
  g_autoptr(GError) error = NULL;

  job->next++;
  fetched = gazette_fetcher_fetch_finish (GAZETTE_FETCHER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (fetched != NULL && fetched->body != NULL && g_bytes_get_size (fetched->body) > 0)
    {
      g_autofree char *mime = image_mime (fetched);
      gsize size = g_bytes_get_size (fetched->body);

      if (mime == NULL)
        g_debug ("Not an image: %s", url);
      else if (job->total + size > self->max_article_bytes)
        g_debug ("Over the size limit for one article, not saved: %s", url);
      else
        {
          GazetteAsset *asset = gazette_asset_new (url, mime, fetched->body);

          job->total += size;
          g_hash_table_insert (job->replacements, g_strdup (url),
                               g_strconcat (GAZETTE_ASSET_SCHEME ":", asset->sha256, NULL));
          g_ptr_array_add (job->assets, asset);
        }
    }
  else if (error != NULL)
    g_debug ("Could not fetch the image %s: %s", url, error->message);

  fetch_next_image (task);
}

static void
fetch_next_image (GTask *task)
{
  GazetteSaver *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);
  GazetteFetchRequest request = { NULL, NULL, IMAGE_ACCEPT };

  while (job->next < job->urls->len &&
         !is_fetchable (g_ptr_array_index (job->urls, job->next)))
    job->next++;

  if (job->next >= job->urls->len)
    {
      store_copy (task);
      return;
    }
  gazette_fetcher_fetch_async (self->fetcher, g_ptr_array_index (job->urls, job->next), &request,
                               g_task_get_cancellable (task), on_image_fetched,
                               g_object_ref (task));
}

/* With the reader HTML known: list its images (and the lead image) and fetch them. */
static void
fetch_images (GTask *task)
{
  SaveJob *job = g_task_get_task_data (task);
  g_autofree char *unused = NULL;

  unused = gazette_saver_rewrite_images (job->html, job->url, NULL, &job->urls);
  if (job->lead_image != NULL)
    {
      char *lead_url = resolve (job->url, job->lead_image);

      if (lead_url != NULL && !g_ptr_array_find_with_equal_func (job->urls, lead_url,
                                                                 g_str_equal, NULL))
        g_ptr_array_add (job->urls, lead_url);
      else
        g_free (lead_url);
    }
  fetch_next_image (task);
}

static void
take_content (SaveJob *job)
{
  GazetteArticleContent *content = job->content;

  g_free (job->html);
  job->html = g_strdup (content->html);
  g_free (job->removed);
  job->removed = gazette_clutter_removals_to_string (content->removed);
  if (content->lead_image != NULL)
    {
      g_free (job->lead_image);
      job->lead_image = g_strdup (content->lead_image);
    }
  g_free (job->site);
  job->site = g_strdup (content->site_name);
  g_free (job->lang);
  job->lang = g_strdup (content->lang);
  g_free (job->dir);
  job->dir = g_strdup (content->dir);
}

static void
extract_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SaveJob *job = task_data;
  gsize length = 0;
  const char *body = g_bytes_get_data (job->page->body, &length);
  GError *error = NULL;
  /* The filter the reader view would use for this site (the page's address after redirects). */
  g_autoptr(GazetteFilterRules) rules =
    gazette_filter_rules_for_url (job->rules, (const char * const *) job->disabled_sites,
                                  job->page->url);

  job->content = gazette_filter_rules_extract (rules, body, length, job->page->url,
                                               job->page->content_type, &error);
  if (job->content == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Runs extract_thread for @task's job and calls @callback with @task. */
static void
extract_page (GTask               *task,
              GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) thread_task = g_task_new (g_task_get_source_object (task),
                                             g_task_get_cancellable (task), callback,
                                             g_object_ref (task));

  g_task_set_source_tag (thread_task, extract_page);
  g_task_set_task_data (thread_task, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (thread_task, extract_thread);
}

/* The job extracts in a thread with the rules of the moment: the app may swap them meanwhile. */
static void
job_take_filter (GazetteSaver *self,
                 SaveJob      *job)
{
  if (self->filter_rules != NULL)
    job->rules = gazette_filter_rules_ref (self->filter_rules);
  job->disabled_sites = g_strdupv (self->filter_disabled_sites);
}

/* save_article ------------------------------------------------------------------------------ */

static void
on_article_extracted (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* No article in the page: the feed's own text is still worth keeping. */
      if (job->html == NULL || *job->html == '\0')
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    take_content (job);
  fetch_images (task);
}

static void
on_article_page_fetched (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->page = gazette_fetcher_fetch_finish (GAZETTE_FETCHER (object), result, &error);
  if (job->page == NULL || job->page->body == NULL)
    {
      if (job->html == NULL || *job->html == '\0' ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (error == NULL)
            error = g_error_new (GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                                 _("Could not load %s"), job->url);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      fetch_images (task);
      return;
    }
  g_free (job->url);
  job->url = g_strdup (job->page->url);
  extract_page (task, on_article_extracted);
}

static void
on_article_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteSaver *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);
  g_autoptr(GazetteArticle) article = NULL;
  g_autoptr(GError) error = NULL;
  const char *reader_html;

  article = gazette_store_load_article_finish (GAZETTE_STORE (object), result, &error);
  if (article == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->url = g_strdup (gazette_article_get_url (article));
  job->lead_image = g_strdup (gazette_article_get_lead_image (article));
  job->lang = g_strdup (gazette_article_get_lang (article));
  job->dir = g_strdup (gazette_article_get_dir (article));
  reader_html = gazette_article_get_reader_html (article);
  if (reader_html != NULL && *reader_html != '\0')
    {
      job->html = g_strdup (reader_html);
      job->removed = g_strdup (gazette_article_get_reader_removed (article));
      fetch_images (task);
      return;
    }

  /* The feed's text is the fallback when the page cannot be had. */
  job->html = g_strdup (gazette_article_get_content (article) != NULL
                          ? gazette_article_get_content (article)
                          : gazette_article_get_summary (article));
  if (is_fetchable (job->url))
    {
      gazette_fetcher_fetch_async (self->fetcher, job->url, NULL, g_task_get_cancellable (task),
                                   on_article_page_fetched, g_object_ref (task));
      return;
    }
  if (job->html == NULL)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NO_ARTICLE, "%s",
                               _("The article has no text to save"));
      return;
    }
  fetch_images (task);
}

void
gazette_saver_save_article_async (GazetteSaver        *self,
                                  gint64               article_id,
                                  gboolean             mark_saved,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (GAZETTE_IS_SAVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_saver_save_article_async);
  job = save_job_new ();
  job_take_filter (self, job);
  job->article_id = article_id;
  job->mark_saved = mark_saved;
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);

  gazette_store_load_article_async (self->store, article_id, cancellable, on_article_loaded,
                                    g_steal_pointer (&task));
}

gboolean
gazette_saver_save_article_finish (GazetteSaver  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* save_url ---------------------------------------------------------------------------------- */

static void
on_page_article_added (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->article_id = gazette_store_add_article_finish (GAZETTE_STORE (object), result, &error);
  if (job->article_id <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fetch_images (task);
}

static void
add_page_article (GTask  *task,
                  gint64  source_id)
{
  GazetteSaver *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);
  GazetteArticleContent *content = job->content;
  g_autoptr(GazetteArticle) article = gazette_article_new ();

  gazette_article_set_guid (article, job->url);
  gazette_article_set_url (article, job->url);
  gazette_article_set_title (article, content->title != NULL && *content->title != '\0'
                                        ? content->title : job->url);
  gazette_article_set_author (article, content->byline);
  gazette_article_set_summary (article, content->excerpt);
  gazette_article_set_reader_html (article, content->html);
  gazette_article_set_reader_removed (article, job->removed);
  gazette_article_set_lang (article, content->lang);
  gazette_article_set_dir (article, content->dir);
  gazette_article_set_saved (article, TRUE);
  if (content->published != NULL)
    {
      g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (content->published, NULL);

      if (date != NULL)
        gazette_article_set_published (article, g_date_time_to_unix (date));
    }
  gazette_store_add_article_async (self->store, source_id, article,
                                   g_task_get_cancellable (task), on_page_article_added,
                                   g_object_ref (task));
}

static void
on_pages_source_added (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = gazette_store_add_source_finish (GAZETTE_STORE (object), result, &error);
  if (id <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  add_page_article (task, id);
}

static void
on_sources_listed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteSaver *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GazetteSource) pages = NULL;
  g_autoptr(GError) error = NULL;

  sources = gazette_store_list_sources_finish (GAZETTE_STORE (object), result, &error);
  if (sources == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *source = g_ptr_array_index (sources, i);

      if (gazette_source_get_kind (source) == GAZETTE_SOURCE_KIND_PAGES)
        {
          add_page_article (task, gazette_source_get_id (source));
          return;
        }
    }

  pages = gazette_source_new (GAZETTE_SOURCE_KIND_PAGES, _("Saved Pages"), NULL);
  gazette_store_add_source_async (self->store, pages, g_task_get_cancellable (task),
                                  on_pages_source_added, g_object_ref (task));
}

static void
on_page_extracted (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GazetteSaver *self = g_task_get_source_object (task);
  SaveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  take_content (job);
  gazette_store_list_sources_async (self->store, g_task_get_cancellable (task), on_sources_listed,
                                    g_object_ref (task));
}

static void
on_page_fetched (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SaveJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->page = gazette_fetcher_fetch_finish (GAZETTE_FETCHER (object), result, &error);
  if (job->page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->page->body == NULL)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_NETWORK,
                               _("Could not load %s"), job->url);
      return;
    }
  g_free (job->url);
  job->url = g_strdup (job->page->url);
  extract_page (task, on_page_extracted);
}

void
gazette_saver_save_url_async (GazetteSaver        *self,
                              const char          *url,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (GAZETTE_IS_SAVER (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_saver_save_url_async);
  job = save_job_new ();
  job_take_filter (self, job);
  job->url = g_strdup (url);
  job->mark_saved = TRUE;
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);

  if (!is_fetchable (url))
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a web address"), url);
      return;
    }
  gazette_fetcher_fetch_async (self->fetcher, url, NULL, cancellable, on_page_fetched,
                               g_steal_pointer (&task));
}

gint64
gazette_saver_save_url_finish (GazetteSaver  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
on_sync_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gint64
gazette_saver_save_url_sync (GazetteSaver  *self,
                             const char    *url,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  GAsyncResult *result = NULL;
  gint64 id;

  g_main_context_push_thread_default (context);
  gazette_saver_save_url_async (self, url, cancellable, on_sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  id = gazette_saver_save_url_finish (self, result, error);
  g_object_unref (result);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
  return id;
}

/* GObject ----------------------------------------------------------------------------------- */

GazetteSaver *
gazette_saver_new (GazetteStore   *store,
                   GazetteFetcher *fetcher)
{
  return g_object_new (GAZETTE_TYPE_SAVER, "store", store, "fetcher", fetcher, NULL);
}

void
gazette_saver_set_clutter_filter (GazetteSaver       *self,
                                  GazetteFilterRules *rules,
                                  const char * const *disabled_sites)
{
  g_return_if_fail (GAZETTE_IS_SAVER (self));

  if (rules != NULL)
    gazette_filter_rules_ref (rules);
  g_clear_pointer (&self->filter_rules, gazette_filter_rules_unref);
  self->filter_rules = rules;
  g_strfreev (self->filter_disabled_sites);
  self->filter_disabled_sites = g_strdupv ((char **) disabled_sites);
}

void
gazette_saver_set_max_article_bytes (GazetteSaver *self,
                                     guint64       bytes)
{
  g_return_if_fail (GAZETTE_IS_SAVER (self));

  if (self->max_article_bytes == bytes)
    return;
  self->max_article_bytes = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ARTICLE_BYTES]);
}

static void
gazette_saver_dispose (GObject *object)
{
  GazetteSaver *self = GAZETTE_SAVER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->fetcher);
  g_clear_pointer (&self->filter_rules, gazette_filter_rules_unref);
  g_clear_pointer (&self->filter_disabled_sites, g_strfreev);
  G_OBJECT_CLASS (gazette_saver_parent_class)->dispose (object);
}

static void
gazette_saver_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GazetteSaver *self = GAZETTE_SAVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_FETCHER:
      g_value_set_object (value, self->fetcher);
      break;
    case PROP_MAX_ARTICLE_BYTES:
      g_value_set_uint64 (value, self->max_article_bytes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_saver_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GazetteSaver *self = GAZETTE_SAVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_FETCHER:
      self->fetcher = g_value_dup_object (value);
      break;
    case PROP_MAX_ARTICLE_BYTES:
      gazette_saver_set_max_article_bytes (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gazette_saver_class_init (GazetteSaverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = gazette_saver_dispose;
  object_class->get_property = gazette_saver_get_property;
  object_class->set_property = gazette_saver_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GAZETTE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FETCHER] =
    g_param_spec_object ("fetcher", NULL, NULL, GAZETTE_TYPE_FETCHER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_ARTICLE_BYTES] =
    g_param_spec_uint64 ("max-article-bytes", NULL, NULL, 0, G_MAXUINT64,
                         DEFAULT_MAX_ARTICLE_BYTES, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gazette_saver_init (GazetteSaver *self)
{
  self->max_article_bytes = DEFAULT_MAX_ARTICLE_BYTES;
}

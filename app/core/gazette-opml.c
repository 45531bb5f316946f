/* gazette-opml.c — OPML import and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "gazette-error.h"
#include "gazette-opml.h"

void
gazette_opml_result_free (GazetteOpmlResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_free (result);
}

/* Import --------------------------------------------------------------------------------------- */

typedef struct {
  GBytes            *data;
  GazetteOpmlResult *result;
  GHashTable        *urls;       /* feed URLs present or already imported */
  GHashTable        *folders;    /* folder title → GINT64 id (heap gint64) */
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_clear_pointer (&job->data, g_bytes_unref);
  g_clear_pointer (&job->result, gazette_opml_result_free);
  g_clear_pointer (&job->urls, g_hash_table_unref);
  g_clear_pointer (&job->folders, g_hash_table_unref);
  g_free (job);
}

static void
on_xml_error (void        *user_data,
              xmlErrorPtr  err)
{
  /* libxml2 passes ctxt->userData, which is the parser context itself. */
  xmlParserCtxtPtr ctxt = user_data;
  GPtrArray *warnings = ctxt != NULL ? ctxt->_private : NULL;
  g_autofree char *message = NULL;

  if (warnings == NULL || err == NULL || err->level == XML_ERR_WARNING || err->message == NULL)
    return;
  /* One document can report thousands of errors; the first few say enough. */
  if (warnings->len >= 20)
    return;
  message = g_strstrip (g_strdup (err->message));
  if (err->line > 0)
    g_ptr_array_add (warnings, g_strdup_printf (_("Line %d: %s"), err->line, message));
  else
    g_ptr_array_add (warnings, g_strdup (message));
}

static char *
attr (xmlNode    *node,
      const char *name)
{
  /* OPML in the wild spells attributes in any case (xmlURL, xmlurl). */
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    if (g_ascii_strcasecmp ((const char *) a->name, name) == 0)
      {
        GString *value = g_string_new (NULL);
        char *ret;

        /* Text as is; an entity reference stays "&name;" rather than being expanded here, out of
         * reach of libxml2's amplification limits. */
        for (xmlNode *c = a->children; c != NULL; c = c->next)
          {
            if (c->type == XML_TEXT_NODE && c->content != NULL)
              g_string_append (value, (const char *) c->content);
            else if (c->type == XML_ENTITY_REF_NODE)
              g_string_append_printf (value, "&%s;", (const char *) c->name);
          }
        ret = g_strstrip (g_string_free (value, FALSE));
        if (*ret == '\0')
          g_clear_pointer (&ret, g_free);
        return ret;
      }
  return NULL;
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static gboolean
has_outlines (xmlNode *node)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (is_element (c, "outline"))
      return TRUE;
  return FALSE;
}

static char *
outline_title (xmlNode *node)
{
  char *title = attr (node, "title");

  if (title == NULL)
    title = attr (node, "text");
  return title;
}

static gboolean
import_outlines (ImportJob     *job,
                 GazetteStore  *store,
                 xmlNode       *parent,
                 gint64         folder_id,
                 GCancellable  *cancellable,
                 GError       **error)
{
  for (xmlNode *node = parent->children; node != NULL; node = node->next)
    {
      g_autofree char *url = NULL;
      g_autofree char *title = NULL;

      if (!is_element (node, "outline"))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      url = attr (node, "xmlUrl");
      title = outline_title (node);

      if (url != NULL)
        {
          g_autoptr(GazetteSource) source = NULL;
          g_autofree char *site = attr (node, "htmlUrl");
          g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
          g_autoptr(GError) local_error = NULL;
          const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

          if (scheme == NULL ||
              (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0
               && g_ascii_strcasecmp (scheme, "file") != 0))
            {
              g_ptr_array_add (job->result->warnings,
                               g_strdup_printf (_("Line %d: “%s” is not a web address"),
                                                (int) xmlGetLineNo (node), url));
              continue;
            }
          if (g_hash_table_contains (job->urls, url))
            {
              job->result->skipped++;
              continue;
            }

          source = gazette_source_new (GAZETTE_SOURCE_KIND_FEED, title != NULL ? title : url, url);
          gazette_source_set_folder_id (source, folder_id);
          if (site != NULL)
            gazette_source_set_site_url (source, site);
          if (gazette_store_add_source_sync (store, source, cancellable, &local_error) <= 0)
            {
              if (g_error_matches (local_error, GAZETTE_ERROR, GAZETTE_ERROR_EXISTS))
                job->result->skipped++;
              else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                       job->result->added == 0)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              else
                g_ptr_array_add (job->result->warnings, g_strdup (local_error->message));
            }
          else
            job->result->added++;
          g_hash_table_add (job->urls, g_strdup (url));

          /* A feed outline holding others is unusual; keep its children where it is. */
          if (has_outlines (node) &&
              !import_outlines (job, store, node, folder_id, cancellable, error))
            return FALSE;
        }
      else if (has_outlines (node))
        {
          gint64 id = folder_id;

          /* Folders do not nest: deeper levels flatten into the nearest one. */
          if (folder_id == 0)
            {
              const char *name = title != NULL ? title : _("Imported");
              gint64 *known = g_hash_table_lookup (job->folders, name);

              if (known != NULL)
                id = *known;
              else
                {
                  g_autoptr(GazetteSource) folder =
                    gazette_source_new (GAZETTE_SOURCE_KIND_FOLDER, name, NULL);

                  id = gazette_store_add_source_sync (store, folder, cancellable, error);
                  if (id <= 0)
                    return FALSE;
                  job->result->folders++;
                  g_hash_table_insert (job->folders, g_strdup (name), g_memdup2 (&id, sizeof id));
                }
            }
          if (!import_outlines (job, store, node, id, cancellable, error))
            return FALSE;
        }
    }
  return TRUE;
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GazetteStore *store = source_object;
  ImportJob *job = task_data;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;
  xmlParserCtxtPtr ctxt;
  xmlDoc *doc = NULL;
  xmlNode *root, *body = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (job->data, &length);
  guint parse_warnings;

  if (length > G_MAXINT)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_TOO_LARGE,
                               _("The subscription list is too large"));
      return;
    }

  /* No entity substitution, no DTD loading, no network; recover what ill-formed input allows. */
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_FAILED,
                               _("Out of memory reading the subscription list"));
      return;
    }
  ctxt->sax->serror = on_xml_error;
  ctxt->sax->error = NULL;
  ctxt->sax->warning = NULL;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;
  ctxt->_private = job->result->warnings;
  doc = xmlCtxtReadMemory (ctxt, data != NULL ? data : "", (int) length, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOCDATA);
  xmlFreeParserCtxt (ctxt);
  parse_warnings = job->result->warnings->len;

  root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL || !is_element (root, "opml"))
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_PARSE,
                               _("This is not a subscription list (OPML)"));
      return;
    }
  if (parse_warnings > 0)
    g_ptr_array_insert (job->result->warnings, 0,
                        g_strdup (_("The file is not well-formed; what could be read was kept")));

  for (xmlNode *c = root->children; c != NULL; c = c->next)
    if (is_element (c, "body"))
      {
        body = c;
        break;
      }

  sources = gazette_store_list_sources_sync (store, cancellable, &error);
  if (sources == NULL)
    {
      xmlFreeDoc (doc);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *s = g_ptr_array_index (sources, i);

      if (gazette_source_get_kind (s) == GAZETTE_SOURCE_KIND_FEED &&
          gazette_source_get_url (s) != NULL)
        g_hash_table_add (job->urls, g_strdup (gazette_source_get_url (s)));
      else if (gazette_source_get_kind (s) == GAZETTE_SOURCE_KIND_FOLDER &&
               gazette_source_get_folder_id (s) == 0 && gazette_source_get_title (s) != NULL)
        {
          gint64 id = gazette_source_get_id (s);

          g_hash_table_insert (job->folders, g_strdup (gazette_source_get_title (s)),
                               g_memdup2 (&id, sizeof id));
        }
    }

  if (body != NULL && !import_outlines (job, store, body, 0, cancellable, &error))
    {
      xmlFreeDoc (doc);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  xmlFreeDoc (doc);

  if (job->result->added == 0 && job->result->skipped == 0 && job->result->folders == 0 &&
      parse_warnings > 0)
    {
      g_task_return_new_error (task, GAZETTE_ERROR, GAZETTE_ERROR_PARSE,
                               _("The subscription list could not be read"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&job->result),
                         (GDestroyNotify) gazette_opml_result_free);
}

void
gazette_opml_import_async (GazetteStore        *store,
                           const char          *data,
                           gsize                length,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (GAZETTE_IS_STORE (store));
  g_return_if_fail (data != NULL || length == 0);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_opml_import_async);
  job = g_new0 (ImportJob, 1);
  job->data = g_bytes_new (data, length);
  job->result = g_new0 (GazetteOpmlResult, 1);
  job->result->warnings = g_ptr_array_new_with_free_func (g_free);
  job->urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job->folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
}

GazetteOpmlResult *
gazette_opml_import_finish (GazetteStore  *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, gazette_opml_import_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Export --------------------------------------------------------------------------------------- */

static void
append_attr (GString    *out,
             const char *name,
             const char *value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, " %s=\"", name);
  /* g_markup_escape_text writes &#x1; for control characters, which XML 1.0 forbids: drop them. */
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        case '\t': g_string_append (out, "&#9;"); break;
        case '\n': g_string_append (out, "&#10;"); break;
        case '\r': g_string_append (out, "&#13;"); break;
        default:
          if ((guchar) *p >= 0x20)
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_feed (GString       *out,
             GazetteSource *source,
             const char    *indent)
{
  const char *title = gazette_source_get_title (source);

  g_string_append_printf (out, "%s<outline type=\"rss\"", indent);
  append_attr (out, "text", title != NULL ? title : gazette_source_get_url (source));
  append_attr (out, "title", title);
  append_attr (out, "xmlUrl", gazette_source_get_url (source));
  append_attr (out, "htmlUrl", gazette_source_get_site_url (source));
  g_string_append (out, "/>\n");
}

static char *
rfc822_date (GDateTime *when)
{
  /* Not strftime: day and month names must be English whatever the locale. */
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d GMT",
                          days[g_date_time_get_day_of_week (utc) - 1],
                          g_date_time_get_day_of_month (utc),
                          months[g_date_time_get_month (utc) - 1], g_date_time_get_year (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

char *
gazette_opml_build (GPtrArray  *sources,
                    const char *title,
                    GDateTime  *created)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_autofree char *date = rfc822_date (created);

  g_string_append (out, "<opml version=\"2.0\">\n  <head>\n    <title>");
  {
    g_autofree char *escaped = g_markup_escape_text (title, -1);
    g_string_append (out, escaped);
  }
  g_string_append_printf (out, "</title>\n    <dateCreated>%s</dateCreated>\n"
                               "    <docs>http://opml.org/spec2.opml</docs>\n  </head>\n  <body>\n",
                          date);

  /* Top-level feeds and folders in the store's order, each folder with its feeds. */
  for (guint i = 0; i < sources->len; i++)
    {
      GazetteSource *source = g_ptr_array_index (sources, i);
      GazetteSourceKind kind = gazette_source_get_kind (source);

      if (gazette_source_get_folder_id (source) != 0)
        {
          gboolean parent_exists = FALSE;

          /* A feed whose folder is gone is exported at the top level rather than lost. */
          for (guint j = 0; j < sources->len && !parent_exists; j++)
            {
              GazetteSource *p = g_ptr_array_index (sources, j);

              parent_exists = gazette_source_get_kind (p) == GAZETTE_SOURCE_KIND_FOLDER &&
                              gazette_source_get_id (p) == gazette_source_get_folder_id (source);
            }
          if (parent_exists)
            continue;
        }

      if (kind == GAZETTE_SOURCE_KIND_FEED && gazette_source_get_url (source) != NULL)
        append_feed (out, source, "    ");
      else if (kind == GAZETTE_SOURCE_KIND_FOLDER)
        {
          gint64 id = gazette_source_get_id (source);

          g_string_append (out, "    <outline");
          append_attr (out, "text", gazette_source_get_title (source));
          append_attr (out, "title", gazette_source_get_title (source));
          g_string_append (out, ">\n");
          for (guint j = 0; j < sources->len; j++)
            {
              GazetteSource *child = g_ptr_array_index (sources, j);

              if (gazette_source_get_folder_id (child) == id &&
                  gazette_source_get_kind (child) == GAZETTE_SOURCE_KIND_FEED &&
                  gazette_source_get_url (child) != NULL)
                append_feed (out, child, "      ");
            }
          g_string_append (out, "    </outline>\n");
        }
    }

  g_string_append (out, "  </body>\n</opml>\n");
  return g_string_free (out, FALSE);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GazetteStore *store = source_object;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GError *error = NULL;

  sources = gazette_store_list_sources_sync (store, cancellable, &error);
  if (sources == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, gazette_opml_build (sources, _("Gazette Subscriptions"), now),
                         g_free);
}

void
gazette_opml_export_async (GazetteStore        *store,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAZETTE_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, gazette_opml_export_async);
  g_task_run_in_thread (task, export_thread);
}

char *
gazette_opml_export_finish (GazetteStore  *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, gazette_opml_export_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

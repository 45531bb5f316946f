/* gazette-filter-rules.c — the clutter filter in use, shared with threads, and the sites
 * where it is off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "gazette-filter-rules.h"

struct _GazetteFilterRules
{
  GazetteContentRules *content;
};

GazetteFilterRules *
gazette_filter_rules_new (GazetteContentRules *content_rules)
{
  GazetteFilterRules *rules = g_atomic_rc_box_new0 (GazetteFilterRules);

  rules->content = content_rules;
  return rules;
}

GazetteFilterRules *
gazette_filter_rules_ref (GazetteFilterRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);
  return g_atomic_rc_box_acquire (rules);
}

static void
rules_clear (GazetteFilterRules *rules)
{
  gazette_content_rules_free (rules->content);
}

void
gazette_filter_rules_unref (GazetteFilterRules *rules)
{
  if (rules != NULL)
    g_atomic_rc_box_release_full (rules, (GDestroyNotify) rules_clear);
}

GazetteContentRules *
gazette_filter_rules_get_content_rules (GazetteFilterRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);
  return rules->content;
}

GazetteFilterRules *
gazette_filter_rules_for_url (GazetteFilterRules *rules,
                              const char * const *disabled_sites,
                              const char         *url)
{
  if (gazette_filter_sites_contain (disabled_sites, url))
    return NULL;
  return rules != NULL ? gazette_filter_rules_ref (rules) : gazette_filter_rules_new (NULL);
}

GazetteArticleContent *
gazette_filter_rules_extract (GazetteFilterRules *rules,
                              const char         *html,
                              gsize               length,
                              const char         *url,
                              const char         *content_type,
                              GError            **error)
{
  GazetteExtractOptions options = { url, content_type, rules == NULL };

  if (rules == NULL || rules->content == NULL)
    return gazette_extract (html, length, &options, error);
  return gazette_content_rules_extract (rules->content, html, length, url, content_type, error);
}

char *
gazette_filter_host_for_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (url == NULL || *url == '\0')
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_PARSE_RELAXED, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (host == NULL || *host == '\0')
    {
      /* A bare host name, as typed. */
      if (uri == NULL && strpbrk (url, "/:?#@ ") == NULL)
        host = url;
      else
        return NULL;
    }
  if (g_str_has_prefix (host, "www.") && strchr (host + 4, '.') != NULL)
    host += 4;
  return g_ascii_strdown (host, -1);
}

/* Whether @host is @site or below it. */
static gboolean
host_in_site (const char *host,
              const char *site)
{
  gsize host_len = strlen (host), site_len = strlen (site);

  if (site_len == 0 || host_len < site_len)
    return FALSE;
  return g_ascii_strcasecmp (host + host_len - site_len, site) == 0 &&
         (host_len == site_len || host[host_len - site_len - 1] == '.');
}

gboolean
gazette_filter_sites_contain (const char * const *sites,
                              const char         *url)
{
  g_autofree char *host = gazette_filter_host_for_url (url);

  if (host == NULL || sites == NULL)
    return FALSE;
  for (guint i = 0; sites[i] != NULL; i++)
    if (host_in_site (host, sites[i]))
      return TRUE;
  return FALSE;
}

/* gazette-clutter.c — removes what is not the article (first cut: the API only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gazette-clutter.h"

struct _GazetteClutterFilter
{
  int unused;
};

void
gazette_clutter_removal_free (GazetteClutterRemoval *removal)
{
  if (removal == NULL)
    return;
  g_free (removal->reason);
  g_free (removal->rule);
  g_free (removal->excerpt);
  g_free (removal);
}

GazetteClutterFilter *
gazette_clutter_filter_get_default (void)
{
  static GazetteClutterFilter *filter;

  if (g_once_init_enter (&filter))
    g_once_init_leave (&filter, g_new0 (GazetteClutterFilter, 1));
  return filter;
}

GazetteClutterFilter *
gazette_clutter_filter_new_from_rules (const char *rules_text,
                                       GPtrArray  *out_warnings)
{
  return g_new0 (GazetteClutterFilter, 1);
}

void
gazette_clutter_filter_free (GazetteClutterFilter *filter)
{
  if (filter == NULL || filter == gazette_clutter_filter_get_default ())
    return;
  g_free (filter);
}

guint
gazette_clutter_filter_apply (GazetteClutterFilter *filter,
                              xmlDocPtr             doc,
                              xmlNodePtr            scope,
                              const char           *url,
                              GazetteClutterPhase   phase,
                              GPtrArray            *removals)
{
  return 0;
}

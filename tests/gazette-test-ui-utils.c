/* gazette-test-ui-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gazette-test-ui-utils.h"
#include "gazette-test-utils.h"

typedef struct {
  GAsyncResult *result;
} EvalData;

static void
eval_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((EvalData *) user_data)->result = g_object_ref (result);
}

static gboolean
eval_done (gpointer data)
{
  return ((EvalData *) data)->result != NULL;
}

char *
gazette_test_run_js (WebKitWebView *web_view,
                     const char    *script,
                     const char    *world)
{
  EvalData data = { NULL };
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  webkit_web_view_evaluate_javascript (web_view, script, -1, world, NULL, NULL, eval_cb, &data);
  g_assert_true (gazette_test_wait_for (eval_done, &data, 20));
  value = webkit_web_view_evaluate_javascript_finish (web_view, data.result, &error);
  g_object_unref (data.result);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  return jsc_value_to_string (value);
}

void
gazette_test_screenshot_window (GtkWindow  *toplevel,
                                const char *name,
                                guint       settle_ms)
{
  const char *dir = g_getenv ("GAZETTE_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  gazette_test_spin (settle_ms);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (toplevel));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (GTK_WIDGET (toplevel)),
                          gtk_widget_get_height (GTK_WIDGET (toplevel)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (toplevel)), node,
                                         NULL);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (texture, path);
}

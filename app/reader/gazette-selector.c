/* gazette-selector.c — CSS selectors compiled to XPath 1.0 for libxml2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A selector is turned into a test on its subject element, read right to left: "A > B" becomes
 * "B[parent::A]". The same step then serves both to search a subtree (descendant-or-self::) and
 * to test one element (self::), and combinators may look at ancestors outside the subtree, as
 * CSS does. Only :has() looks forward, so it is written the other way round.
 */
#include "config.h"

#include "gazette-selector.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "gazette-error.h"

struct _GazetteSelector
{
  gatomicrefcount   ref_count;
  char             *css;
  char             *xpath_self;
  char             *xpath_select;
  char            **keys;
  char             *required;
  xmlXPathCompExpr *comp_self;
  xmlXPathCompExpr *comp_select;
};

typedef struct
{
  const char *start;
  const char *p;
  GError     *error;
  guint       depth;      /* inside :not(), :is(), :has() */
  char       *required;   /* the longest attribute text any match must carry */
} Parser;

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER "abcdefghijklmnopqrstuvwxyz"

static gboolean parse_list (Parser *parser, gboolean forward, GString *out, GPtrArray *keys,
                            GString *select);

static gboolean
fail (Parser     *parser,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (Parser     *parser,
      const char *format,
      ...)
{
  va_list args;

  if (parser->error != NULL)
    return FALSE;
  va_start (args, format);
  parser->error = g_error_new_valist (GAZETTE_ERROR, GAZETTE_ERROR_PARSE, format, args);
  va_end (args);
  return FALSE;
}

static void
skip_space (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r'
         || *parser->p == '\f')
    parser->p++;
}

static gboolean
is_name_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c >= 0x80 || c == '\\';
}

/* One escape after a backslash: hex digits (and one optional space) or the next character. */
static gboolean
parse_escape (Parser  *parser,
              GString *out)
{
  guint value = 0;
  int n = 0;

  parser->p++;
  if (*parser->p == '\0' || *parser->p == '\n')
    return fail (parser, _("a selector ends in a backslash"));
  while (n < 6 && g_ascii_isxdigit (*parser->p))
    {
      value = value * 16 + g_ascii_xdigit_value (*parser->p);
      parser->p++;
      n++;
    }
  if (n > 0)
    {
      if (*parser->p == ' ')
        parser->p++;
      if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        value = 0xFFFD;
      g_string_append_unichar (out, value);
      return TRUE;
    }
  g_string_append_c (out, *parser->p);
  parser->p++;
  return TRUE;
}

static char *
parse_ident (Parser *parser)
{
  g_autoptr(GString) out = g_string_new (NULL);

  while (is_name_char (*parser->p))
    {
      if (*parser->p == '\\')
        {
          if (!parse_escape (parser, out))
            return NULL;
        }
      else
        g_string_append_c (out, *parser->p++);
    }
  if (out->len == 0)
    {
      if (*parser->p == '\0')
        fail (parser, _("a selector ends too early"));
      else
        fail (parser, _("unexpected “%c” in a selector"), *parser->p);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
parse_string (Parser *parser)
{
  g_autoptr(GString) out = g_string_new (NULL);
  char quote = *parser->p++;

  while (*parser->p != quote)
    {
      if (*parser->p == '\0')
        {
          fail (parser, _("a quoted string in a selector is not closed"));
          return NULL;
        }
      if (*parser->p == '\\')
        {
          if (!parse_escape (parser, out))
            return NULL;
        }
      else
        g_string_append_c (out, *parser->p++);
    }
  parser->p++;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* An XPath 1.0 string literal; it has no escapes, so a value with both quotes is a concat(). */
static void
append_literal (GString    *out,
                const char *value)
{
  if (strchr (value, '\'') == NULL)
    g_string_append_printf (out, "'%s'", value);
  else if (strchr (value, '"') == NULL)
    g_string_append_printf (out, "\"%s\"", value);
  else
    {
      g_auto(GStrv) parts = g_strsplit (value, "'", -1);

      g_string_append (out, "concat(");
      for (guint i = 0; parts[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (out, ", \"'\", ");
          g_string_append_printf (out, "'%s'", parts[i]);
        }
      g_string_append (out, ")");
    }
}

static void
append_class_test (GString    *out,
                   const char *attr,
                   const char *value)
{
  g_string_append_printf (out, "contains(concat(' ', normalize-space(%s), ' '), ", attr);
  {
    g_autofree char *padded = g_strdup_printf (" %s ", value);
    append_literal (out, padded);
  }
  g_string_append (out, ")");
}

static gboolean
parse_attribute (Parser  *parser,
                 GString *preds)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  g_autofree char *lname = NULL;
  g_autofree char *attr = NULL;
  char op = 0;
  gboolean icase = FALSE;

  parser->p++;
  skip_space (parser);
  if (*parser->p == '|' || *parser->p == '*')
    return fail (parser, _("namespaces in attribute selectors are not supported"));
  name = parse_ident (parser);
  if (name == NULL)
    return FALSE;
  if (*parser->p == '|' && parser->p[1] != '=')
    return fail (parser, _("namespaces in attribute selectors are not supported"));
  lname = g_ascii_strdown (name, -1);
  skip_space (parser);
  if (*parser->p == ']')
    {
      parser->p++;
      g_string_append_printf (preds, "[@%s]", lname);
      return TRUE;
    }
  if (*parser->p == '=')
    op = '=';
  else if (strchr ("~|^$*", *parser->p) != NULL && parser->p[1] == '=')
    op = *parser->p++;
  else
    return fail (parser, _("unexpected “%c” in an attribute selector"), *parser->p);
  parser->p++;
  skip_space (parser);
  if (*parser->p == '"' || *parser->p == '\'')
    value = parse_string (parser);
  else
    value = parse_ident (parser);
  if (value == NULL)
    return FALSE;
  skip_space (parser);
  if (*parser->p == 'i' || *parser->p == 'I')
    {
      icase = TRUE;
      parser->p++;
      skip_space (parser);
    }
  else if (*parser->p == 's' || *parser->p == 'S')
    {
      parser->p++;
      skip_space (parser);
    }
  if (*parser->p != ']')
    return fail (parser, _("an attribute selector is not closed"));
  parser->p++;

  /* Outside :not() and friends, a match's attribute holds @value verbatim: a page whose
   * attributes nowhere contain it cannot match, which saves evaluating the rule at all. */
  if (!icase && parser->depth == 0 && op != '~' && op != '|'
      && strlen (value) > (parser->required != NULL ? strlen (parser->required) : 2))
    {
      g_free (parser->required);
      parser->required = g_strdup (value);
    }

  if (icase)
    {
      char *lower = g_ascii_strdown (value, -1);

      g_free (value);
      value = lower;
      attr = g_strdup_printf ("translate(@%s, '" UPPER "', '" LOWER "')", lname);
    }
  else
    attr = g_strdup_printf ("@%s", lname);

  g_string_append (preds, "[");
  switch (op)
    {
    case '=':
      g_string_append_printf (preds, "%s = ", attr);
      append_literal (preds, value);
      break;
    case '~':
      if (*value == '\0' || strpbrk (value, " \t\n\r\f") != NULL)
        g_string_append (preds, "false()");
      else
        append_class_test (preds, attr, value);
      break;
    case '|':
      {
        g_autofree char *dash = g_strconcat (value, "-", NULL);

        g_string_append_printf (preds, "%s = ", attr);
        append_literal (preds, value);
        g_string_append_printf (preds, " or starts-with(%s, ", attr);
        append_literal (preds, dash);
        g_string_append (preds, ")");
      }
      break;
    case '^':
    case '$':
    case '*':
      if (*value == '\0')
        g_string_append (preds, "false()");
      else if (op == '^')
        {
          g_string_append_printf (preds, "starts-with(%s, ", attr);
          append_literal (preds, value);
          g_string_append (preds, ")");
        }
      else if (op == '*')
        {
          g_string_append_printf (preds, "contains(%s, ", attr);
          append_literal (preds, value);
          g_string_append (preds, ")");
        }
      else
        {
          /* string-length counts characters, as substring() does. */
          g_string_append_printf (preds, "substring(%s, string-length(%s) - %ld) = ", attr, attr,
                                  g_utf8_strlen (value, -1) - 1);
          append_literal (preds, value);
        }
      break;
    default:
      g_assert_not_reached ();
    }
  g_string_append (preds, "]");
  return TRUE;
}

/* an+b of :nth-child() and friends; odd, even, "3", "-n+2", "2n-1". */
static gboolean
parse_nth (Parser *parser,
           int    *a,
           int    *b)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *q;
  char *end;

  while (*parser->p != ')' && *parser->p != '\0')
    {
      if (!g_ascii_isspace (*parser->p))
        g_string_append_c (s, g_ascii_tolower (*parser->p));
      parser->p++;
    }
  if (*parser->p != ')')
    return fail (parser, _("a pseudo-class argument is not closed"));
  parser->p++;

  if (g_str_equal (s->str, "odd"))
    {
      *a = 2, *b = 1;
      return TRUE;
    }
  if (g_str_equal (s->str, "even"))
    {
      *a = 2, *b = 0;
      return TRUE;
    }
  q = strchr (s->str, 'n');
  if (q == NULL)
    {
      *a = 0;
      *b = (int) strtol (s->str, &end, 10);
      if (end == s->str || *end != '\0')
        return fail (parser, _("“%s” is not a valid an+b expression"), s->str);
      return TRUE;
    }
  if (q == s->str || (q == s->str + 1 && s->str[0] == '+'))
    *a = 1;
  else if (q == s->str + 1 && s->str[0] == '-')
    *a = -1;
  else
    {
      *a = (int) strtol (s->str, &end, 10);
      if (end != q)
        return fail (parser, _("“%s” is not a valid an+b expression"), s->str);
    }
  if (q[1] == '\0')
    *b = 0;
  else
    {
      if (q[1] != '+' && q[1] != '-')
        return fail (parser, _("“%s” is not a valid an+b expression"), s->str);
      *b = (int) strtol (q + 1, &end, 10);
      if (end == q + 2 || *end != '\0')
        return fail (parser, _("“%s” is not a valid an+b expression"), s->str);
    }
  return TRUE;
}

static void
append_nth (GString    *preds,
            const char *position,
            int         a,
            int         b)
{
  if (a == 0)
    g_string_append_printf (preds, "[%s = %d]", position, b);
  else if (a > 0)
    g_string_append_printf (preds, "[%s >= %d and (%s - %d) mod %d = 0]",
                            position, b, position, b, a);
  else
    g_string_append_printf (preds, "[%s <= %d and (%d - %s) mod %d = 0]",
                            position, b, b, position, -a);
}

static gboolean
parse_pseudo (Parser     *parser,
              const char *type,
              GString    *preds)
{
  g_autofree char *raw = NULL;
  g_autofree char *name = NULL;
  gboolean has_args;

  parser->p++;
  if (*parser->p == ':')
    return fail (parser, _("pseudo-elements are not supported"));
  raw = parse_ident (parser);
  if (raw == NULL)
    return FALSE;
  name = g_ascii_strdown (raw, -1);
  has_args = *parser->p == '(';
  if (has_args)
    parser->p++;

#define NO_ARGS() if (has_args) return fail (parser, _("unsupported selector :%s()"), name)
  if (g_str_equal (name, "first-child"))
    {
      NO_ARGS ();
      g_string_append (preds, "[not(preceding-sibling::*)]");
    }
  else if (g_str_equal (name, "last-child"))
    {
      NO_ARGS ();
      g_string_append (preds, "[not(following-sibling::*)]");
    }
  else if (g_str_equal (name, "only-child"))
    {
      NO_ARGS ();
      g_string_append (preds, "[not(preceding-sibling::*) and not(following-sibling::*)]");
    }
  else if (g_str_equal (name, "empty"))
    {
      NO_ARGS ();
      g_string_append (preds, "[not(*) and not(text())]");
    }
  else if (g_str_equal (name, "root"))
    {
      NO_ARGS ();
      g_string_append (preds, "[not(parent::*)]");
    }
  else if (g_str_equal (name, "first-of-type") || g_str_equal (name, "last-of-type")
           || g_str_equal (name, "only-of-type"))
    {
      NO_ARGS ();
      /* XPath 1.0 cannot name "the same type as me"; without a type it is unsupported. */
      if (g_str_equal (type, "*"))
        return fail (parser, _("unsupported selector :%s without an element name"), name);
      if (name[0] != 'l')
        g_string_append_printf (preds, "[not(preceding-sibling::%s)]", type);
      if (name[0] != 'f')
        g_string_append_printf (preds, "[not(following-sibling::%s)]", type);
    }
  else if (g_str_has_prefix (name, "nth-"))
    {
      g_autofree char *position = NULL;
      const char *axis;
      const char *test = "*";
      int a = 0, b = 0;

      if (!has_args)
        return fail (parser, _("unsupported selector :%s"), name);
      if (g_str_equal (name, "nth-child"))
        axis = "preceding-sibling";
      else if (g_str_equal (name, "nth-last-child"))
        axis = "following-sibling";
      else if (g_str_equal (name, "nth-of-type") || g_str_equal (name, "nth-last-of-type"))
        {
          if (g_str_equal (type, "*"))
            return fail (parser, _("unsupported selector :%s without an element name"), name);
          axis = g_str_equal (name, "nth-of-type") ? "preceding-sibling" : "following-sibling";
          test = type;
        }
      else
        return fail (parser, _("unsupported selector :%s()"), name);
      if (!parse_nth (parser, &a, &b))
        return FALSE;
      position = g_strdup_printf ("(count(%s::%s) + 1)", axis, test);
      append_nth (preds, position, a, b);
    }
  else if (g_str_equal (name, "not") || g_str_equal (name, "is") || g_str_equal (name, "where")
           || g_str_equal (name, "matches") || g_str_equal (name, "has")
           || g_str_equal (name, "-abp-has"))
    {
      g_autoptr(GString) inner = g_string_new (NULL);
      gboolean forward = g_str_equal (name, "has") || g_str_equal (name, "-abp-has");

      if (!has_args)
        return fail (parser, _("unsupported selector :%s"), name);
      parser->depth++;
      if (!parse_list (parser, forward, inner, NULL, NULL))
        return FALSE;
      parser->depth--;
      skip_space (parser);
      if (*parser->p != ')')
        return fail (parser, _("unsupported selector :%s()"), name);
      parser->p++;
      if (g_str_equal (name, "not"))
        g_string_append_printf (preds, "[not(%s)]", inner->str);
      else
        g_string_append_printf (preds, "[%s]", inner->str);
    }
  else
    return fail (parser, has_args ? _("unsupported selector :%s()") : _("unsupported selector :%s"),
                 name);
#undef NO_ARGS
  return TRUE;
}

/* A compound ("div.a#b[c]:first-child") as "name[predicates]". */
static gboolean
parse_compound (Parser   *parser,
                GString  *step,
                char    **key)
{
  g_autofree char *type = NULL;
  g_autoptr(GString) preds = g_string_new (NULL);
  g_autofree char *id_key = NULL;
  g_autofree char *class_key = NULL;
  const char *begin = parser->p;

  if (*parser->p == '*')
    {
      parser->p++;
      type = g_strdup ("*");
    }
  else if (is_name_char (*parser->p))
    {
      g_autofree char *raw = parse_ident (parser);

      if (raw == NULL)
        return FALSE;
      type = g_ascii_strdown (raw, -1);
    }
  else
    type = g_strdup ("*");
  if (*parser->p == '|')
    return fail (parser, _("namespaces in selectors are not supported"));

  for (;;)
    {
      char c = *parser->p;

      if (c == '#' || c == '.')
        {
          g_autofree char *ident = NULL;

          parser->p++;
          ident = parse_ident (parser);
          if (ident == NULL)
            return FALSE;
          g_string_append (preds, "[");
          if (c == '#')
            {
              g_string_append (preds, "@id = ");
              append_literal (preds, ident);
              if (id_key == NULL)
                id_key = g_strconcat ("#", ident, NULL);
            }
          else
            {
              append_class_test (preds, "@class", ident);
              if (class_key == NULL)
                class_key = g_strconcat (".", ident, NULL);
            }
          g_string_append (preds, "]");
        }
      else if (c == '[')
        {
          if (!parse_attribute (parser, preds))
            return FALSE;
        }
      else if (c == ':')
        {
          if (!parse_pseudo (parser, type, preds))
            return FALSE;
        }
      else
        break;
    }
  if (parser->p == begin)
    {
      if (*parser->p == '\0')
        return fail (parser, _("a selector ends too early"));
      return fail (parser, _("unexpected “%c” in a selector"), *parser->p);
    }
  g_string_append (step, type);
  g_string_append (step, preds->str);
  if (key != NULL)
    *key = id_key != NULL ? g_steal_pointer (&id_key) : g_steal_pointer (&class_key);
  return TRUE;
}

/* A combinator between compounds, or 0 at the end of the complex selector. */
static char
parse_combinator (Parser *parser)
{
  const char *before = parser->p;

  skip_space (parser);
  if (*parser->p == '>' || *parser->p == '+' || *parser->p == '~')
    {
      char c = *parser->p++;

      skip_space (parser);
      return c;
    }
  if (*parser->p == '\0' || *parser->p == ',' || *parser->p == ')')
    return 0;
  return parser->p > before ? ' ' : 0;
}

/* A complex selector right to left: each compound's step gets the left part as a predicate. */
static gboolean
parse_complex (Parser   *parser,
               GString  *out,
               char    **key)
{
  g_autoptr(GString) cur = g_string_new (NULL);

  skip_space (parser);
  if (!parse_compound (parser, cur, key))
    return FALSE;
  for (;;)
    {
      g_autoptr(GString) next = g_string_new (NULL);
      char comb = parse_combinator (parser);

      if (comb == 0)
        break;
      if (key != NULL)
        g_clear_pointer (key, g_free);
      if (!parse_compound (parser, next, key))
        return FALSE;
      switch (comb)
        {
        case ' ':
          g_string_append_printf (next, "[ancestor::%s]", cur->str);
          break;
        case '>':
          g_string_append_printf (next, "[parent::%s]", cur->str);
          break;
        case '+':
          g_string_append_printf (next, "[preceding-sibling::*[1]/self::%s]", cur->str);
          break;
        case '~':
          g_string_append_printf (next, "[preceding-sibling::%s]", cur->str);
          break;
        default:
          g_assert_not_reached ();
        }
      g_string_assign (cur, next->str);
    }
  g_string_append (out, cur->str);
  return TRUE;
}

/* The argument of :has(): a relative selector, read left to right from the subject. */
static gboolean
parse_relative (Parser  *parser,
                GString *out)
{
  char comb = ' ';

  skip_space (parser);
  if (*parser->p == '>' || *parser->p == '+' || *parser->p == '~')
    {
      comb = *parser->p++;
      skip_space (parser);
    }
  for (;;)
    {
      switch (comb)
        {
        case ' ':
          g_string_append (out, "descendant::");
          break;
        case '>':
          g_string_append (out, "child::");
          break;
        case '+':
          g_string_append (out, "following-sibling::*[1]/self::");
          break;
        case '~':
          g_string_append (out, "following-sibling::");
          break;
        default:
          g_assert_not_reached ();
        }
      if (!parse_compound (parser, out, NULL))
        return FALSE;
      comb = parse_combinator (parser);
      if (comb == 0)
        return TRUE;
      g_string_append (out, "/");
    }
}

/* A selector list as a union: "self::A | self::B" (forward: relative paths for :has()); at the
 * top level also as "descendant-or-self::A | …" in @select. */
static gboolean
parse_list (Parser    *parser,
            gboolean   forward,
            GString   *out,
            GPtrArray *keys,
            GString   *select)
{
  for (;;)
    {
      g_autofree char *key = NULL;

      if (out->len > 0)
        g_string_append (out, " | ");
      if (forward)
        {
          if (!parse_relative (parser, out))
            return FALSE;
        }
      else
        {
          g_autoptr(GString) step = g_string_new (NULL);

          if (!parse_complex (parser, step, keys != NULL ? &key : NULL))
            return FALSE;
          g_string_append_printf (out, "self::%s", step->str);
          if (select != NULL)
            g_string_append_printf (select, "%sdescendant-or-self::%s",
                                    select->len > 0 ? " | " : "", step->str);
        }
      if (keys != NULL)
        g_ptr_array_add (keys, g_steal_pointer (&key));
      skip_space (parser);
      if (*parser->p != ',')
        return TRUE;
      parser->p++;
    }
}

GazetteSelector *
gazette_selector_new (const char  *css,
                      GError     **error)
{
  g_autoptr(GString) xpath = g_string_new (NULL);
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  Parser parser = { css, css, NULL, 0, NULL };
  GazetteSelector *selector;
  gboolean keyed = TRUE;

  g_return_val_if_fail (css != NULL, NULL);

  if (!parse_list (&parser, FALSE, xpath, keys, select))
    {
      g_free (parser.required);
      g_propagate_error (error, parser.error);
      return NULL;
    }
  skip_space (&parser);
  if (*parser.p != '\0')
    {
      if (*parser.p == ')')
        fail (&parser, _("unexpected “)” in a selector"));
      else
        fail (&parser, _("unexpected “%c” in a selector"), *parser.p);
      g_free (parser.required);
      g_propagate_error (error, parser.error);
      return NULL;
    }

  selector = g_new0 (GazetteSelector, 1);
  /* In a list, each branch needs its own text; keep it only for a single selector. */
  if (keys->len == 1)
    selector->required = g_steal_pointer (&parser.required);
  g_free (parser.required);
  g_atomic_ref_count_init (&selector->ref_count);
  selector->css = g_strdup (css);
  selector->xpath_self = g_string_free (g_steal_pointer (&xpath), FALSE);
  selector->xpath_select = g_string_free (g_steal_pointer (&select), FALSE);
  for (guint i = 0; i < keys->len; i++)
    if (g_ptr_array_index (keys, i) == NULL)
      keyed = FALSE;
  if (keyed && keys->len > 0)
    {
      g_ptr_array_add (keys, NULL);
      selector->keys = (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
    }
  return selector;
}

GazetteSelector *
gazette_selector_ref (GazetteSelector *selector)
{
  g_return_val_if_fail (selector != NULL, NULL);
  g_atomic_ref_count_inc (&selector->ref_count);
  return selector;
}

void
gazette_selector_unref (GazetteSelector *selector)
{
  if (selector == NULL || !g_atomic_ref_count_dec (&selector->ref_count))
    return;
  g_free (selector->css);
  g_free (selector->xpath_self);
  g_free (selector->xpath_select);
  g_strfreev (selector->keys);
  g_free (selector->required);
  g_clear_pointer (&selector->comp_self, xmlXPathFreeCompExpr);
  g_clear_pointer (&selector->comp_select, xmlXPathFreeCompExpr);
  g_free (selector);
}

const char *
gazette_selector_get_css (GazetteSelector *selector)
{
  return selector->css;
}

const char *
gazette_selector_get_xpath (GazetteSelector *selector)
{
  return selector->xpath_self;
}

const char *
gazette_selector_get_required_text (GazetteSelector *selector)
{
  return selector->required;
}

const char * const *
gazette_selector_get_keys (GazetteSelector *selector)
{
  return (const char * const *) selector->keys;
}

/* Compiled once; a race compiles twice and keeps the first. */
static xmlXPathCompExpr *
get_compiled (xmlXPathCompExpr **slot,
              const char        *xpath)
{
  xmlXPathCompExpr *comp = g_atomic_pointer_get (slot);

  if (comp != NULL)
    return comp;
  comp = xmlXPathCompile ((const xmlChar *) xpath);
  if (comp == NULL)
    {
      g_warning ("Cannot compile the XPath %s", xpath);
      return NULL;
    }
  if (!g_atomic_pointer_compare_and_exchange (slot, NULL, comp))
    {
      xmlXPathFreeCompExpr (comp);
      comp = g_atomic_pointer_get (slot);
    }
  return comp;
}

static xmlXPathObjectPtr
evaluate (xmlXPathCompExpr *comp,
          xmlDocPtr         doc,
          xmlNodePtr        node)
{
  xmlXPathContextPtr ctx;
  xmlXPathObjectPtr result;

  if (comp == NULL)
    return NULL;
  ctx = xmlXPathNewContext (doc);
  ctx->node = node;
  result = xmlXPathCompiledEval (comp, ctx);
  xmlXPathFreeContext (ctx);
  return result;
}

GPtrArray *
gazette_selector_select (GazetteSelector *selector,
                         xmlDocPtr        doc,
                         xmlNodePtr       scope)
{
  GPtrArray *nodes = g_ptr_array_new ();
  xmlXPathObjectPtr result;

  g_return_val_if_fail (selector != NULL, nodes);
  g_return_val_if_fail (doc != NULL, nodes);

  if (scope == NULL)
    scope = xmlDocGetRootElement (doc);
  if (scope == NULL)
    return nodes;
  result = evaluate (get_compiled (&selector->comp_select, selector->xpath_select), doc, scope);
  if (result != NULL && result->type == XPATH_NODESET && result->nodesetval != NULL)
    for (int i = 0; i < result->nodesetval->nodeNr; i++)
      {
        xmlNodePtr node = result->nodesetval->nodeTab[i];

        if (node->type == XML_ELEMENT_NODE)
          g_ptr_array_add (nodes, node);
      }
  xmlXPathFreeObject (result);
  return nodes;
}

gboolean
gazette_selector_matches (GazetteSelector *selector,
                          xmlNodePtr       element)
{
  xmlXPathObjectPtr result;
  gboolean matches;

  g_return_val_if_fail (selector != NULL, FALSE);
  if (element == NULL || element->type != XML_ELEMENT_NODE)
    return FALSE;
  result = evaluate (get_compiled (&selector->comp_self, selector->xpath_self), element->doc,
                     element);
  matches = result != NULL && result->type == XPATH_NODESET && result->nodesetval != NULL
            && result->nodesetval->nodeNr > 0;
  xmlXPathFreeObject (result);
  return matches;
}

/* --- a selector for a node the user points at ------------------------------------------- */

/* Class names and ids made by build tools change with every deploy: "css-1x2y3z",
 * "sc-bdVaJa", "Share_bar__3xYz1", "jsx-123456"; per-article ones ("post-12345") name one page. */
gboolean
gazette_selector_name_looks_generated (const char *name)
{
  static const char * const prefixes[] = { "css-", "sc-", "jsx-", "svelte-", "emotion-",
                                           "jss", "makeStyles-", "tw-", NULL };
  g_auto(GStrv) parts = NULL;

  if (name == NULL || *name == '\0' || g_ascii_isdigit (*name) || strlen (name) > 48)
    return TRUE;
  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_str_has_prefix (name, prefixes[i]))
      return TRUE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return TRUE;
  parts = g_strsplit_set (name, "-_", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];
      gsize len = strlen (part);
      guint digits = 0, letters = 0, inner_upper = 0;

      for (gsize j = 0; j < len; j++)
        {
          if (g_ascii_isdigit (part[j]))
            digits++;
          else
            letters++;
          if (j > 0 && g_ascii_isupper (part[j]))
            inner_upper++;
        }
      if (digits >= 3 && letters == 0)
        return TRUE;
      if (len >= 4 && digits > 0 && letters > 0)
        return TRUE;
      if (len >= 5 && len <= 8 && digits == 0 && inner_upper >= 2)
        return TRUE;
    }
  return FALSE;
}

static void
append_ident (GString    *out,
              const char *ident)
{
  for (const char *p = ident; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (guchar) *p >= 0x80)
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "\\%c", *p);
    }
}

static gboolean
id_is_unique (xmlNodePtr  node,
              const char *id)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;
      {
        xmlChar *value = xmlGetProp (node, (const xmlChar *) "id");
        gboolean same = value != NULL && g_str_equal ((const char *) value, id);

        xmlFree (value);
        if (same || !id_is_unique (node->children, id))
          return FALSE;
      }
    }
  return TRUE;
}

static char *
stable_id (xmlNodePtr node)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) "id");
  char *id = NULL;

  if (value != NULL && !gazette_selector_name_looks_generated ((const char *) value))
    {
      xmlNodePtr root = xmlDocGetRootElement (node->doc);
      xmlChar *own = value;
      gboolean unique;

      /* Unique apart from @node itself. */
      xmlUnsetProp (node, (const xmlChar *) "id");
      unique = id_is_unique (root, (const char *) own);
      xmlSetProp (node, (const xmlChar *) "id", own);
      if (unique)
        id = g_strdup ((const char *) own);
    }
  xmlFree (value);
  return id;
}

/* "tag.a.b" from the stable classes of @node (at most two), NULL when it has none. */
static char *
class_selector (xmlNodePtr node)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) "class");
  g_auto(GStrv) classes = NULL;
  GString *out;
  guint n = 0;

  if (value == NULL)
    return NULL;
  classes = g_strsplit_set ((const char *) value, " \t\n\r\f", -1);
  xmlFree (value);
  out = g_string_new ((const char *) node->name);
  for (guint i = 0; classes[i] != NULL && n < 2; i++)
    if (*classes[i] != '\0' && !gazette_selector_name_looks_generated (classes[i]))
      {
        g_string_append_c (out, '.');
        append_ident (out, classes[i]);
        n++;
      }
  if (n == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
matches_an_ancestor (GazetteSelector *selector,
                     xmlNodePtr       node)
{
  for (xmlNodePtr n = node->parent; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    if (gazette_selector_matches (selector, n))
      return TRUE;
  return FALSE;
}

static guint
nth_of_type (xmlNodePtr node)
{
  guint n = 1;

  for (xmlNodePtr s = node->prev; s != NULL; s = s->prev)
    if (s->type == XML_ELEMENT_NODE && xmlStrEqual (s->name, node->name))
      n++;
  return n;
}

char *
gazette_selector_for_node (xmlNodePtr node)
{
  g_autofree char *id = NULL;
  g_autofree char *by_class = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  GString *path;

  g_return_val_if_fail (node != NULL && node->type == XML_ELEMENT_NODE, NULL);

  if ((id = stable_id (node)) != NULL)
    {
      GString *out = g_string_new ("#");

      append_ident (out, id);
      return g_string_free (out, FALSE);
    }
  if ((by_class = class_selector (node)) != NULL)
    {
      g_autoptr(GazetteSelector) selector = gazette_selector_new (by_class, NULL);

      /* "Blocks like this" must not take the article that holds it. */
      if (selector != NULL && !matches_an_ancestor (selector, node))
        return g_steal_pointer (&by_class);
    }

  /* A path of tags from the nearest ancestor with a stable id, or from the root. */
  steps = g_ptr_array_new_with_free_func (g_free);
  for (xmlNodePtr n = node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    {
      g_autofree char *anchor = n != node ? stable_id (n) : NULL;
      GString *step;

      if (anchor != NULL)
        {
          step = g_string_new ("#");
          append_ident (step, anchor);
          g_ptr_array_add (steps, g_string_free (step, FALSE));
          break;
        }
      if (n->parent == NULL || n->parent->type != XML_ELEMENT_NODE)
        {
          g_ptr_array_add (steps, g_strdup ((const char *) n->name));
          break;
        }
      g_ptr_array_add (steps, g_strdup_printf ("%s:nth-of-type(%u)", (const char *) n->name,
                                               nth_of_type (n)));
    }
  path = g_string_new (NULL);
  for (guint i = steps->len; i > 0; i--)
    {
      if (path->len > 0)
        g_string_append (path, " > ");
      g_string_append (path, g_ptr_array_index (steps, i - 1));
    }
  return g_string_free (path, FALSE);
}

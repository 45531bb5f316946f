/* gazette-feed-text.c — bytes to UTF-8, XML repairs, and the small text conversions of feeds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gazette-feed-private.h"
#include "gazette-sanitizer.h"

/* Windows-1252's 0x80–0x9F; the five holes keep their C1 code points. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static gunichar
cp1252_to_unichar (guchar c)
{
  return c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
}

static void
append_unichar (GString  *out,
                gunichar  c)
{
  char buf[6];

  g_string_append_len (out, buf, g_unichar_to_utf8 (c, buf));
}

/* UTF-8, with every byte that is not part of a valid sequence read as Windows-1252: declared
 * UTF-8 that is really Windows-1252 (or a mix of both) loses nothing. */
static char *
decode_utf8_lenient (const char *data,
                     gsize       length,
                     gsize      *out_length,
                     gboolean   *had_invalid)
{
  const char *p = data, *end = data + length, *bad;
  GString *out;

  *had_invalid = FALSE;
  if (g_utf8_validate_len (data, length, &bad) && memchr (data, '\0', length) == NULL)
    {
      *out_length = length;
      return g_strndup (data, length);
    }

  out = g_string_sized_new (length + length / 8);
  while (p < end)
    {
      if (!g_utf8_validate_len (p, end - p, &bad))
        {
          g_string_append_len (out, p, bad - p);
          if (*bad != '\0')
            {
              append_unichar (out, cp1252_to_unichar ((guchar) *bad));
              *had_invalid = TRUE;
            }
          p = bad + 1;
        }
      else
        {
          g_string_append_len (out, p, end - p);
          p = end;
        }
    }
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

static char *
decode_cp1252 (const char *data,
               gsize       length,
               gsize      *out_length)
{
  GString *out = g_string_sized_new (length + length / 4);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) data[i];

      if (c < 0x80)
        {
          if (c != 0)
            g_string_append_c (out, (char) c);
        }
      else
        append_unichar (out, cp1252_to_unichar (c));
    }
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* The value of charset=… in a Content-Type, or of encoding=… in an XML declaration. */
static char *
find_param (const char *text,
            gsize       length,
            const char *name)
{
  gsize name_len = strlen (name);

  for (gsize i = 0; i + name_len < length; i++)
    {
      if (g_ascii_strncasecmp (text + i, name, name_len) == 0)
        {
          gsize j = i + name_len, start;
          char quote = 0;

          while (j < length && (text[j] == ' ' || text[j] == '\t'))
            j++;
          if (j >= length || text[j] != '=')
            continue;
          j++;
          while (j < length && (text[j] == ' ' || text[j] == '\t'))
            j++;
          if (j < length && (text[j] == '"' || text[j] == '\''))
            quote = text[j++];
          start = j;
          while (j < length && text[j] != quote && text[j] != ';' && text[j] != ' ' &&
                 text[j] != '?' && text[j] != '>' && (quote != 0 || text[j] != '"'))
            j++;
          if (j > start)
            return g_ascii_strdown (text + start, j - start);
          return NULL;
        }
    }
  return NULL;
}

static char *
declared_encoding (const char *data,
                   gsize       length)
{
  const char *end;

  if (length < 6 || strncmp (data, "<?xml", 5) != 0)
    return NULL;
  end = memchr (data, '>', MIN (length, 512));
  if (end == NULL)
    return NULL;
  return find_param (data, end - data, "encoding");
}

typedef enum {
  CHARSET_UTF8,
  CHARSET_CP1252,
  CHARSET_OTHER,
  CHARSET_WIDE,       /* UTF-16/32 named where the bytes are not: a wrong label */
} CharsetKind;

static CharsetKind
charset_kind (const char *charset)
{
  static const char *const utf8[] = { "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968",
                                      "unicode-1-1-utf-8", "x-unicode20utf8" };
  static const char *const latin[] = { "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1",
                                       "windows-1252", "cp1252", "iso_8859-1", "x-cp1252",
                                       "cp819", "ibm819", "iso-ir-100" };

  for (guint i = 0; i < G_N_ELEMENTS (utf8); i++)
    if (g_str_equal (charset, utf8[i]))
      return CHARSET_UTF8;
  for (guint i = 0; i < G_N_ELEMENTS (latin); i++)
    if (g_str_equal (charset, latin[i]))
      return CHARSET_CP1252;
  if (g_str_has_prefix (charset, "utf-16") || g_str_has_prefix (charset, "utf-32") ||
      g_str_has_prefix (charset, "ucs-") || g_str_equal (charset, "unicode"))
    return CHARSET_WIDE;
  return CHARSET_OTHER;
}

static const char *
iconv_name (const char *charset)
{
  /* Labels that servers use for a superset. */
  if (g_str_equal (charset, "gb2312") || g_str_equal (charset, "gbk") ||
      g_str_equal (charset, "x-gbk") || g_str_equal (charset, "gb_2312-80"))
    return "GB18030";
  if (g_str_equal (charset, "shift_jis") || g_str_equal (charset, "sjis") ||
      g_str_equal (charset, "x-sjis") || g_str_equal (charset, "ms_kanji"))
    return "CP932";
  if (g_str_equal (charset, "euc-kr") || g_str_equal (charset, "ks_c_5601-1987"))
    return "CP949";
  if (g_str_equal (charset, "tis-620") || g_str_equal (charset, "iso-8859-11"))
    return "CP874";
  return charset;
}

static gboolean
has_non_ascii (const char *data,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) data[i] >= 0x80)
      return TRUE;
  return FALSE;
}

/* UTF-16 and UTF-32, by hand: bad surrogates and stray NULs become U+FFFD or nothing instead
 * of failing the whole document as iconv would. */
static char *
convert_wide (const char *data,
              gsize       length,
              const char *from,
              gsize      *out_length,
              GPtrArray  *warnings)
{
  const guchar *d = (const guchar *) data;
  gsize unit = strstr (from, "32") != NULL ? 4 : 2;
  gboolean be = strstr (from, "BE") != NULL;
  gboolean bad = length % unit != 0;
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i + unit <= length; i += unit)
    {
      gunichar c;

      if (unit == 4)
        c = be ? ((gunichar) d[i] << 24 | (gunichar) d[i + 1] << 16 | d[i + 2] << 8 | d[i + 3])
               : ((gunichar) d[i + 3] << 24 | (gunichar) d[i + 2] << 16 | d[i + 1] << 8 | d[i]);
      else
        {
          c = be ? (d[i] << 8 | d[i + 1]) : (d[i + 1] << 8 | d[i]);
          if (c >= 0xD800 && c <= 0xDBFF && i + 4 <= length)
            {
              gunichar lo = be ? (d[i + 2] << 8 | d[i + 3]) : (d[i + 3] << 8 | d[i + 2]);

              if (lo >= 0xDC00 && lo <= 0xDFFF)
                {
                  c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                  i += 2;
                }
              else
                {
                  c = 0xFFFD;
                  bad = TRUE;
                }
            }
          else if (c >= 0xD800 && c <= 0xDFFF)
            {
              c = 0xFFFD;
              bad = TRUE;
            }
        }
      if (c == 0)
        {
          bad = TRUE;
          continue;
        }
      if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        {
          c = 0xFFFD;
          bad = TRUE;
        }
      append_unichar (out, c);
    }
  if (bad)
    g_ptr_array_add (warnings, g_strdup (_("The feed’s text could not all be decoded; what "
                                           "could be read was kept")));
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* Whether @data is ASCII without NUL bytes, which gazette_feed_decode would copy unchanged:
 * sixteen or eight bytes at a time, as this looks at every byte of every feed. */
gboolean
gazette_feed_is_blank (const char *text,
                       gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n')
      return FALSE;
  return TRUE;
}

gboolean
gazette_feed_is_ascii (const char *data,
                       gsize       length)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;

#ifdef __SSE2__
  {
    const __m128i zero = _mm_setzero_si128 ();

    for (; i + 16 <= length; i += 16)
      {
        __m128i v = _mm_loadu_si128 ((const __m128i *) (data + i));

        /* High bits, or zero bytes. */
        if (_mm_movemask_epi8 (_mm_or_si128 (v, _mm_cmpeq_epi8 (v, zero))) != 0)
          return FALSE;
      }
  }
#endif
  for (; i + 8 <= length; i += 8)
    {
      guint64 w;

      memcpy (&w, data + i, 8);
      /* A high bit, or a zero byte. */
      if ((w & highs) != 0 || ((w - ones) & ~w & highs) != 0)
        return FALSE;
    }
  for (; i < length; i++)
    if (data[i] == '\0' || (guchar) data[i] >= 0x80)
      return FALSE;
  return TRUE;
}

char *
gazette_feed_decode (const char *data,
                     gsize       length,
                     const char *content_type,
                     gsize      *out_length,
                     GPtrArray  *warnings)
{
  const guchar *u = (const guchar *) data;
  g_autofree char *http_charset = NULL;
  g_autofree char *declared = NULL;
  const char *charset = NULL;   /* set by a byte order mark */
  gboolean had_invalid = FALSE;
  char *out;

  /* Byte order marks, then the bytes of "<?" in a wide encoding without one. */
  if (length >= 4 && u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0)
    return convert_wide (data + 4, length - 4, "UTF-32LE", out_length, warnings);
  if (length >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF)
    return convert_wide (data + 4, length - 4, "UTF-32BE", out_length, warnings);
  if (length >= 2 && u[0] == 0xFF && u[1] == 0xFE)
    return convert_wide (data + 2, length - 2, "UTF-16LE", out_length, warnings);
  if (length >= 2 && u[0] == 0xFE && u[1] == 0xFF)
    return convert_wide (data + 2, length - 2, "UTF-16BE", out_length, warnings);
  if (length >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    {
      data += 3;
      length -= 3;
      charset = "utf-8";
    }
  else if (length >= 4 && u[0] == '<' && u[1] == 0 && u[2] == 0 && u[3] == 0)
    return convert_wide (data, length, "UTF-32LE", out_length, warnings);
  else if (length >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0 && u[3] == '<')
    return convert_wide (data, length, "UTF-32BE", out_length, warnings);
  else if (length >= 4 && u[0] == '<' && u[1] == 0 && u[3] == 0)
    return convert_wide (data, length, "UTF-16LE", out_length, warnings);
  else if (length >= 4 && u[0] == 0 && u[1] == '<' && u[2] == 0)
    return convert_wide (data, length, "UTF-16BE", out_length, warnings);
  else if (length >= 4 && u[0] == '{' && u[1] == 0 && u[3] == 0)
    return convert_wide (data, length, "UTF-16LE", out_length, warnings);
  else if (length >= 4 && u[0] == 0 && u[1] == '{' && u[2] == 0)
    return convert_wide (data, length, "UTF-16BE", out_length, warnings);

  if (charset == NULL)
    {
      if (content_type != NULL)
        http_charset = find_param (content_type, strlen (content_type), "charset");
      declared = declared_encoding (data, length);
    }

  /* Nothing to decide for pure ASCII (most feeds in English). */
  if (!has_non_ascii (data, length))
    return decode_utf8_lenient (data, length, out_length, &had_invalid);

  {
    const char *candidates[3];
    guint n_candidates = 0;
    gboolean valid_utf8 = g_utf8_validate_len (data, length, NULL) &&
                          memchr (data, '\0', length) == NULL;
    const char *failed = NULL;

    /* The server's word first, then the document's, then UTF-8; the first that reads the
     * bytes without error wins. */
    if (charset != NULL)
      candidates[n_candidates++] = charset;
    if (http_charset != NULL && charset_kind (http_charset) != CHARSET_WIDE)
      candidates[n_candidates++] = http_charset;
    if (declared != NULL && charset_kind (declared) != CHARSET_WIDE &&
        (http_charset == NULL || !g_str_equal (declared, http_charset)))
      candidates[n_candidates++] = declared;

    for (guint i = 0; i < n_candidates; i++)
      {
        switch (charset_kind (candidates[i]))
          {
          case CHARSET_UTF8:
            if (valid_utf8)
              goto utf8;
            break;

          case CHARSET_CP1252:
            if (valid_utf8)
              {
                /* Valid multi-byte UTF-8 is almost never meant as Latin-1: a wrong label. */
                g_ptr_array_add (warnings, g_strdup_printf (_("The feed says its text is %s "
                                                              "but it is UTF-8; it was read as "
                                                              "UTF-8"), candidates[i]));
                goto utf8;
              }
            if (failed != NULL)
              g_ptr_array_add (warnings, g_strdup_printf (_("The feed’s text could not be read "
                                                            "as %s; it was read as %s"),
                                                          failed, candidates[i]));
            return decode_cp1252 (data, length, out_length);

          case CHARSET_OTHER:
            {
              gsize read = 0;

              out = g_convert (data, length, "UTF-8", iconv_name (candidates[i]), &read,
                               out_length, NULL);
              if (out != NULL && memchr (out, '\0', *out_length) == NULL)
                {
                  if (failed != NULL)
                    g_ptr_array_add (warnings,
                                     g_strdup_printf (_("The feed’s text could not be read as "
                                                        "%s; it was read as %s"),
                                                      failed, candidates[i]));
                  return out;
                }
              g_free (out);
            }
            break;

          case CHARSET_WIDE:
          default:
            break;
          }
        if (failed == NULL)
          failed = candidates[i];
      }

    if (valid_utf8)
      {
      utf8:
        *out_length = length;
        return g_strndup (data, length);
      }
  }

  out = decode_utf8_lenient (data, length, out_length, &had_invalid);
  if (had_invalid)
    g_ptr_array_add (warnings, g_strdup (_("The feed’s text is not valid UTF-8; the bytes that "
                                           "were not were read as Windows-1252")));
  return out;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.' || c == ':' || (guchar) c >= 0x80;
}

static gboolean
is_xml_char (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static const char *
find_str (const char *p,
          const char *end,
          const char *needle)
{
  gsize n = strlen (needle);

  while (p + n <= end)
    {
      const char *q = memchr (p, needle[0], end - p);

      if (q == NULL || q + n > end)
        return NULL;
      if (memcmp (q, needle, n) == 0)
        return q;
      p = q + 1;
    }
  return NULL;
}

/* Entity names an internal DTD subset declares: those stay references. */
static void
collect_declared_entities (const char *p,
                           const char *end,
                           GHashTable *names)
{
  while ((p = find_str (p, end, "<!ENTITY")) != NULL)
    {
      const char *start;

      p += 8;
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '%')
        continue;
      start = p;
      while (p < end && is_name_char (*p))
        p++;
      if (p > start)
        g_hash_table_add (names, g_strndup (start, p - start));
    }
}

/* The first byte from @p on that @special marks, or @end. @special marks the control characters
 * but tab, newline and (when @cr_plain) carriage return, plus @s1…@s4 and nothing else. These
 * loops see every byte of every feed: sixteen at a time where the CPU can. */
static inline const char *
skip_plain (const char     *p,
            const char     *end,
            const gboolean *special,
            char            s1,
            char            s2,
            char            s3,
            char            s4,
            gboolean        cr_plain)
{
#ifdef __SSE2__
  const __m128i c1 = _mm_set1_epi8 (s1), c2 = _mm_set1_epi8 (s2), c3 = _mm_set1_epi8 (s3),
                c4 = _mm_set1_epi8 (s4), ctrl_max = _mm_set1_epi8 (0x1F),
                tab = _mm_set1_epi8 ('\t'), nl = _mm_set1_epi8 ('\n'),
                cr = _mm_set1_epi8 (cr_plain ? '\r' : '\n');

  while (end - p >= 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) p);
      __m128i ctrl = _mm_cmpeq_epi8 (_mm_min_epu8 (v, ctrl_max), v);
      __m128i plain = _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, tab),
                                                  _mm_cmpeq_epi8 (v, nl)),
                                    _mm_cmpeq_epi8 (v, cr));
      __m128i stop = _mm_or_si128 (_mm_andnot_si128 (plain, ctrl),
                                   _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, c1),
                                                               _mm_cmpeq_epi8 (v, c2)),
                                                 _mm_or_si128 (_mm_cmpeq_epi8 (v, c3),
                                                               _mm_cmpeq_epi8 (v, c4))));
      int bits = _mm_movemask_epi8 (stop);

      if (bits != 0)
        return p + __builtin_ctz ((unsigned) bits);
      p += 16;
    }
#endif
  while (p < end && !special[(guchar) *p])
    p++;
  return p;
}

/* Makes common ill-formedness well-formed before libxml2 sees it, in one pass: HTML entities
 * XML does not define (&nbsp; — real feeds are full of them), bare “&” and “<”, characters XML
 * forbids, and numeric references to Windows-1252's C1 range. CDATA, comments and processing
 * instructions are left alone. Returns NULL when nothing needed repair. */
char *
gazette_feed_repair_xml (const char *text,
                         gsize       length,
                         gsize      *out_length)
{
  const char *p = text, *end = text + length, *copied = text;
  g_autoptr(GHashTable) declared = NULL;
  GString *out = NULL;

#define FLUSH_TO(ptr) G_STMT_START { \
    if (out == NULL) out = g_string_sized_new (length + 256); \
    g_string_append_len (out, copied, (ptr) - copied); \
  } G_STMT_END

  static gboolean special[256];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* The bytes the loop below looks at; everything else is skipped in a tight loop. */
      for (guint c = 0; c < 0x20; c++)
        special[c] = c != '\t' && c != '\n' && c != '\r';
      special['<'] = special['&'] = special[']'] = special[0xEF] = TRUE;
      g_once_init_leave (&initialized, 1);
    }

  while (p < end)
    {
      guchar c;

      p = skip_plain (p, end, special, '<', '&', ']', (char) 0xEF, TRUE);
      if (p == end)
        break;
      c = (guchar) *p;

      if (c == '<')
        {
          const char *skip_end = NULL;

          if (p + 1 < end && (g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '_' ||
                              p[1] == ':' || (guchar) p[1] >= 0x80))
            {
              p++;
              continue;
            }
          if (end - p >= 9 && memcmp (p, "<![CDATA[", 9) == 0)
            skip_end = find_str (p + 9, end, "]]>");
          else if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
            skip_end = find_str (p + 4, end, "-->");
          else if (end - p >= 2 && p[1] == '?')
            skip_end = find_str (p + 2, end, "?>");
          else if (end - p >= 9 && g_ascii_strncasecmp (p, "<!DOCTYPE", 9) == 0)
            {
              /* Up to the '>' that closes it, past an internal subset in brackets. */
              const char *q = p + 9;
              const char *subset = NULL;
              char quote = 0;
              int depth = 0;

              for (; q < end; q++)
                {
                  if (quote != 0)
                    {
                      if (*q == quote)
                        quote = 0;
                    }
                  else if (*q == '"' || *q == '\'')
                    quote = *q;
                  else if (*q == '[')
                    {
                      if (depth++ == 0)
                        subset = q;
                    }
                  else if (*q == ']')
                    depth--;
                  else if (*q == '>' && depth <= 0)
                    break;
                }
              if (subset != NULL)
                {
                  if (declared == NULL)
                    declared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
                  collect_declared_entities (subset, q, declared);
                }
              skip_end = q < end ? q : NULL;
            }
          else if (p + 1 < end && p[1] == '!')
            {
              p++;
              continue;
            }
          else
            {
              /* "a < b" in text. */
              FLUSH_TO (p);
              g_string_append (out, "&lt;");
              copied = ++p;
              continue;
            }
          if (skip_end == NULL)
            break;   /* unterminated: libxml2 will say so */
          p = skip_end + 1;
          continue;
        }

      if (c == '&')
        {
          const char *q = p + 1;

          if (q < end && *q == '#')
            {
              gunichar value = 0;
              gboolean hex = FALSE, ok = FALSE;

              q++;
              if (q < end && (*q == 'x' || *q == 'X'))
                {
                  hex = TRUE;
                  q++;
                }
              while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
                {
                  if (value < 0x110000)
                    value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q)
                                                           : g_ascii_digit_value (*q));
                  ok = TRUE;
                  q++;
                }
              if (ok && q < end && *q == ';')
                {
                  if (value >= 0x80 && value < 0xA0)
                    {
                      FLUSH_TO (p);
                      g_string_append_printf (out, "&#%u;", cp1252_to_unichar ((guchar) value));
                      copied = p = q + 1;
                    }
                  else if (!is_xml_char (value))
                    {
                      FLUSH_TO (p);
                      copied = p = q + 1;
                    }
                  else
                    p = q + 1;
                  continue;
                }
              FLUSH_TO (p);
              g_string_append (out, "&amp;");
              copied = ++p;
              continue;
            }
          else
            {
              /* XML's own entities, most of the references in escaped HTML: nothing to do. */
              if (end - q >= 3 && (q[0] == 'l' || q[0] == 'g') && q[1] == 't' && q[2] == ';')
                {
                  p = q + 3;
                  continue;
                }
              if ((end - q >= 4 && memcmp (q, "amp;", 4) == 0) ||
                  (end - q >= 5 && (memcmp (q, "quot;", 5) == 0 || memcmp (q, "apos;", 5) == 0)))
                {
                  p = (const char *) memchr (q, ';', 5) + 1;
                  continue;
                }
              while (q < end && q - p < 64 && is_name_char (*q))
                q++;
              if (q < end && *q == ';' && q > p + 1)
                {
                  char name[64];
                  const htmlEntityDesc *entity;
                  gsize name_len = q - p - 1;

                  memcpy (name, p + 1, name_len);
                  name[name_len] = '\0';
                  if (g_str_equal (name, "amp") || g_str_equal (name, "lt") ||
                      g_str_equal (name, "gt") || g_str_equal (name, "quot") ||
                      g_str_equal (name, "apos") ||
                      (declared != NULL && g_hash_table_contains (declared, name)))
                    {
                      p = q + 1;
                      continue;
                    }
                  entity = htmlEntityLookup ((const xmlChar *) name);
                  FLUSH_TO (p);
                  if (entity != NULL)
                    g_string_append_printf (out, "&#%u;", entity->value);
                  else
                    {
                      g_string_append (out, "&amp;");
                      g_string_append_len (out, p + 1, q - p);
                    }
                  copied = p = q + 1;
                  continue;
                }
              FLUSH_TO (p);
              g_string_append (out, "&amp;");
              copied = ++p;
              continue;
            }
        }

      if (c == ']' && end - p >= 3 && p[1] == ']' && p[2] == '>')
        {
          /* "]]>" outside a CDATA section */
          FLUSH_TO (p + 2);
          g_string_append (out, "&gt;");
          copied = p += 3;
          continue;
        }
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        {
          FLUSH_TO (p);
          copied = ++p;
          continue;
        }
      if (c == 0xEF && end - p >= 3 && (guchar) p[1] == 0xBF &&
          ((guchar) p[2] == 0xBE || (guchar) p[2] == 0xBF))
        {
          /* U+FFFE, U+FFFF */
          FLUSH_TO (p);
          copied = p += 3;
          continue;
        }
      p++;
    }
#undef FLUSH_TO

  if (out == NULL)
    return NULL;
  g_string_append_len (out, copied, end - copied);
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* Skips a start tag's attributes from @p (after its name), quoting the values written without
 * quotes (an HTML habit) into *@out. Returns where the tag ends. */
static const char *
quote_attributes (const char  *p,
                  const char  *end,
                  const char **copied,
                  GString    **out,
                  gsize        length)
{
  while (p < end && *p != '>' && *p != '<')
    {
      const char *value;

      if (*p == '"' || *p == '\'')
        {
          const char *close = memchr (p + 1, *p, end - p - 1);

          if (close == NULL)
            return end;
          p = close + 1;
          continue;
        }
      if (*p != '=')
        {
          p++;
          continue;
        }
      for (value = p + 1; value < end && (*value == ' ' || *value == '\t'); value++)
        ;
      if (value >= end || *value == '"' || *value == '\'' || *value == '>' || *value == '<' ||
          g_ascii_isspace (*value))
        {
          p = value;
          continue;
        }
      for (p = value; p < end && !g_ascii_isspace (*p) && *p != '>' && *p != '<' &&
                      *p != '"' && *p != '\''; p++)
        ;
      /* "length=12/>": the slash ends the tag. */
      if (p < end && *p == '>' && p - value > 1 && p[-1] == '/')
        p--;
      if (*out == NULL)
        *out = g_string_sized_new (length + 64);
      g_string_append_len (*out, *copied, value - *copied);
      g_string_append_c (*out, '"');
      g_string_append_len (*out, value, p - value);
      g_string_append_c (*out, '"');
      *copied = p;
    }
  return p;
}

/* Repairs only worth a pass once a strict parse failed: characters XML forbids inside CDATA
 * sections (which gazette_feed_repair_xml leaves alone), attribute values without quotes and
 * declarations after the root element started. Returns NULL when there was nothing to repair. */
char *
gazette_feed_repair_harder (const char *text,
                            gsize       length,
                            gsize      *out_length)
{
  const char *p = text, *end = text + length, *copied = text;
  gboolean in_document = FALSE;
  GString *out = NULL;

  while ((p = memchr (p, '<', end - p)) != NULL)
    {
      if (end - p >= 9 && memcmp (p, "<![CDATA[", 9) == 0)
        {
          const char *close = find_str (p + 9, end, "]]>");
          const char *stop = close != NULL ? close : end;

          for (p += 9; p < stop; p++)
            {
              guchar c = (guchar) *p;
              gsize drop = 0;

              if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                drop = 1;
              else if (c == 0xEF && stop - p >= 3 && (guchar) p[1] == 0xBF &&
                       ((guchar) p[2] == 0xBE || (guchar) p[2] == 0xBF))
                drop = 3;
              if (drop == 0)
                continue;
              if (out == NULL)
                out = g_string_sized_new (length);
              g_string_append_len (out, copied, p - copied);
              copied = p + drop;
              p += drop - 1;
            }
          if (close == NULL)
            break;
          p = close + 3;
        }
      else if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        {
          const char *close = find_str (p + 4, end, "-->");

          if (close == NULL)
            break;
          p = close + 3;
        }
      else if (end - p >= 2 && (p[1] == '?' || p[1] == '!'))
        {
          /* Processing instructions and declarations (a DOCTYPE's subset holds no tags). */
          const char *close = find_str (p + 2, end, p[1] == '?' ? "?>" : ">");

          if (p[1] == '!' && end - p >= 9 && g_ascii_strncasecmp (p, "<!DOCTYPE", 9) == 0 &&
              close != NULL && memchr (p, '[', close - p) != NULL)
            close = find_str (p, end, "]>");
          if (close == NULL)
            break;
          if (p[1] == '!' && in_document && end - p >= 3 && g_ascii_isalpha (p[2]))
            {
              /* A declaration inside the document (two feeds run together): libxml2's push
               * parser would stop there. */
              if (out == NULL)
                out = g_string_sized_new (length);
              g_string_append_len (out, copied, p - copied);
              copied = close + 1;
            }
          p = close + 1;
        }
      else if (end - p >= 2 && g_ascii_isalpha (p[1]))
        {
          in_document = TRUE;
          for (p++; p < end && (g_ascii_isalnum (*p) || *p == ':' || *p == '-' || *p == '_' ||
                                *p == '.'); p++)
            ;
          p = quote_attributes (p, end, &copied, &out, length);
        }
      else
        p++;
    }
  if (out == NULL)
    return NULL;
  g_string_append_len (out, copied, end - copied);
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* ----- character data without libxml2 ----- */

/* Runs shorter than these stay in the document: the marker costs libxml2 about as much. */
#define RUN_MIN_REFS   24    /* text holding references (escaped HTML) */
#define RUN_MIN_TEXT   256   /* text without */
#define RUN_MIN_CDATA  32
/* libxml2 refuses text nodes past XML_MAX_TEXT_LENGTH without XML_PARSE_HUGE: leave those
 * runs, well below it, to libxml2. */
#define RUN_MAX        (1024 * 1024)

static gint shortcuts_disabled = 0;

void
gazette_feed_set_shortcuts (gboolean enabled)
{
  g_atomic_int_set (&shortcuts_disabled, !enabled);
}

gboolean
gazette_feed_get_shortcuts (void)
{
  return !g_atomic_int_get (&shortcuts_disabled);
}

/* Decodes the reference at @p ('&') into *@w as libxml2 would in content: the five predefined
 * entities and character references to characters XML allows (never longer than the reference
 * itself). Returns the position after it, or NULL for anything else (libxml2 then reads it). */
static const char *
decode_xml_reference (const char  *p,
                      const char  *end,
                      char       **w)
{
  const char *q = p + 1;
  gsize left = end - q;

  switch (left > 0 ? *q : '\0')
    {
    case 'l':
      if (left >= 3 && q[1] == 't' && q[2] == ';')
        {
          *(*w)++ = '<';
          return q + 3;
        }
      return NULL;
    case 'g':
      if (left >= 3 && q[1] == 't' && q[2] == ';')
        {
          *(*w)++ = '>';
          return q + 3;
        }
      return NULL;
    case 'a':
      if (left >= 4 && memcmp (q, "amp;", 4) == 0)
        {
          *(*w)++ = '&';
          return q + 4;
        }
      if (left >= 5 && memcmp (q, "apos;", 5) == 0)
        {
          *(*w)++ = '\'';
          return q + 5;
        }
      return NULL;
    case 'q':
      if (left >= 5 && memcmp (q, "quot;", 5) == 0)
        {
          *(*w)++ = '"';
          return q + 5;
        }
      return NULL;
    case '#':
      {
        /* XML writes hexadecimal references with a lower-case x only. */
        gboolean hex = left > 1 && q[1] == 'x';
        const char *digits = q + (hex ? 2 : 1);
        gunichar value = 0;

        for (q = digits; q < end && q - digits < 8 &&
                         (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)); q++)
          value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q)
                                                 : g_ascii_digit_value (*q));
        /* (A carriage return written as a reference stays one: libxml2 passes it as it is.) */
        if (q == digits || q >= end || *q != ';' || !is_xml_char (value))
          return NULL;
        *w += g_unichar_to_utf8 (value, *w);
        return q + 1;
      }
    default:
      return NULL;
    }
}

/* Whether UTF-8 @p … @end holds U+FFFE or U+FFFF, which XML does not allow. */
static gboolean
has_non_character (const char *p,
                   const char *end)
{
  while ((p = memchr (p, 0xEF, end - p)) != NULL)
    {
      if (end - p >= 3 && (guchar) p[1] == 0xBF &&
          ((guchar) p[2] == 0xBE || (guchar) p[2] == 0xBF))
        return TRUE;
      p++;
    }
  return FALSE;
}

/* The first byte from @p on that is a control character but tab and newline (so carriage
 * returns too), @c1 or @c2 (NUL for none) or, when @high, not ASCII; @end when none is. */
static inline const char *
find_run_special (const char *p,
                  const char *end,
                  char        c1,
                  char        c2,
                  gboolean    high)
{
#ifdef __SSE2__
  const __m128i k1 = _mm_set1_epi8 (c1), k2 = _mm_set1_epi8 (c2),
                ctrl_max = _mm_set1_epi8 (0x1F), tab = _mm_set1_epi8 ('\t'),
                nl = _mm_set1_epi8 ('\n');

  for (; end - p >= 16; p += 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) p);
      __m128i ctrl = _mm_cmpeq_epi8 (_mm_min_epu8 (v, ctrl_max), v);
      __m128i plain = _mm_or_si128 (_mm_cmpeq_epi8 (v, tab), _mm_cmpeq_epi8 (v, nl));
      __m128i stop = _mm_or_si128 (_mm_andnot_si128 (plain, ctrl),
                                   _mm_or_si128 (_mm_cmpeq_epi8 (v, k1),
                                                 _mm_cmpeq_epi8 (v, k2)));
      int bits = _mm_movemask_epi8 (stop) | (high ? _mm_movemask_epi8 (v) : 0);

      if (bits != 0)
        return p + __builtin_ctz ((unsigned) bits);
    }
#endif
  for (; p < end; p++)
    {
      guchar c = (guchar) *p;

      if ((c < 0x20 && c != '\t' && c != '\n') || (c == (guchar) c1 && c1 != '\0') ||
          (c == (guchar) c2 && c2 != '\0') || (high && c >= 0x80))
        return p;
    }
  return end;
}

/* Whether libxml2 reads [@p, @end) as UTF-8 characters XML allows (control characters are
 * looked at by the caller). */
static gboolean
is_xml_utf8 (const char *p,
             const char *end)
{
  return g_utf8_validate_len (p, end - p, NULL) && !has_non_character (p, end);
}

/* Whether libxml2 would read [@p, @end) — character data between tags, or a CDATA section's
 * content when @cdata — without an error, and which characters it would pass on. Text with
 * references (@decode) or carriage returns has its characters written to @decoded, from
 * *@decoded_from on (else -1: the run is passed as it is). As libxml2's push parser does,
 * carriage returns in text become line feeds (CR LF one), and stay in CDATA sections. Control
 * characters, "]]>" in text, bytes that are not UTF-8 and references other than XML's own
 * leave the run to libxml2. */
static gboolean
scan_run (const char *p,
          const char *end,
          gboolean    cdata,
          gboolean    decode,
          GString    *decoded,
          gssize     *decoded_from)
{
  const char *start = p;
  char *w = NULL;
  /* Most runs are ASCII: the scan looks for other bytes too until it meets one, and then checks
   * the whole run once. */
  gboolean high = TRUE;

  *decoded_from = -1;
  if (cdata)
    {
      for (;;)
        {
          p = find_run_special (p, end, '\0', '\0', high);
          if (p == end)
            return TRUE;
          if (*p == '\r')
            p++;
          else if ((guchar) *p < 0x80 || !high || !is_xml_utf8 (start, end))
            return FALSE;
          else
            high = FALSE;
        }
    }

again:
  if (decode)
    {
      /* References and line ends only ever shrink. */
      if (decoded->allocated_len <= decoded->len + (end - p))
        {
          gsize len = decoded->len;

          g_string_set_size (decoded, len + (end - p));
          g_string_truncate (decoded, len);
        }
      w = decoded->str + decoded->len;
    }
  for (;;)
    {
      const char *stop = find_run_special (p, end, '&', ']', high);

      if (w != NULL)
        {
          memcpy (w, p, stop - p);
          w += stop - p;
        }
      p = stop;
      if (p == end)
        break;
      if ((guchar) *p >= 0x80)
        {
          if (!is_xml_utf8 (start, end))
            return FALSE;
          high = FALSE;
          continue;
        }
      if (*p == ']')
        {
          if (end - p >= 3 && p[1] == ']' && p[2] == '>')
            return FALSE;
          if (w != NULL)
            *w++ = ']';
          p++;
          continue;
        }
      if (*p == '\r' && w == NULL)
        {
          /* Line ends to normalise: the run is written out after all. */
          decode = TRUE;
          p = start;
          high = TRUE;
          goto again;
        }
      if (*p == '\r')
        {
          *w++ = '\n';
          if (++p < end && *p == '\n')
            p++;
          continue;
        }
      if (*p != '&' || w == NULL)
        return FALSE;   /* a control character */
      p = decode_xml_reference (p, end, &w);
      if (p == NULL)
        return FALSE;
    }
  if (w != NULL)
    {
      *decoded_from = (gssize) decoded->len;
      decoded->len = w - decoded->str;
      decoded->str[decoded->len] = '\0';
    }
  return TRUE;
}

static void
skeleton_add_run (GazetteFeedSkeleton *skeleton,
                  const char          *text,
                  gsize                length,
                  gssize               decoded_from)
{
  GazetteFeedRun run = { text, 0, length };
  char digits[16];
  guint n = 0, index = skeleton->runs->len;

  if (decoded_from >= 0)
    {
      run.text = NULL;
      run.offset = decoded_from;
      run.length = skeleton->decoded->len - decoded_from;
    }
  /* "<?gazette N?>" without printf: there is one per run. */
  do
    digits[n++] = '0' + index % 10;
  while ((index /= 10) > 0);
  g_string_append_len (skeleton->doc, "<?" GAZETTE_FEED_RUN_TARGET " ",
                       strlen ("<?" GAZETTE_FEED_RUN_TARGET " "));
  while (n > 0)
    g_string_append_c (skeleton->doc, digits[--n]);
  g_string_append_len (skeleton->doc, "?>", 2);
  g_array_append_val (skeleton->runs, run);
}

/* The first '>', '"' or '\'' from @p on, or @end. */
static inline const char *
find_tag_special (const char *p,
                  const char *end)
{
#ifdef __SSE2__
  const __m128i gt = _mm_set1_epi8 ('>'), dq = _mm_set1_epi8 ('"'), sq = _mm_set1_epi8 ('\'');

  for (; end - p >= 16; p += 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) p);
      int bits = _mm_movemask_epi8 (_mm_or_si128 (_mm_cmpeq_epi8 (v, gt),
                                                  _mm_or_si128 (_mm_cmpeq_epi8 (v, dq),
                                                                _mm_cmpeq_epi8 (v, sq))));

      if (bits != 0)
        return p + __builtin_ctz ((unsigned) bits);
    }
#endif
  for (; p < end; p++)
    if (*p == '>' || *p == '"' || *p == '\'')
      return p;
  return end;
}

GazetteFeedSkeleton *
gazette_feed_skeleton_new (const char *text,
                           gsize       length)
{
  const char *p = text, *end = text + length, *copied = text;
  GazetteFeedSkeleton *skeleton = g_new0 (GazetteFeedSkeleton, 1);
  const gsize target_len = strlen (GAZETTE_FEED_RUN_TARGET);

  /* Room for all of it: growing would copy it over and over. */
  skeleton->doc = g_string_sized_new (length + 64);
  skeleton->runs = g_array_new (FALSE, FALSE, sizeof (GazetteFeedRun));
  skeleton->decoded = g_string_sized_new (length / 2 + 64);

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);

      if (lt == NULL)
        break;
      /* Character data up to the next markup. */
      if (lt - p >= RUN_MIN_REFS && lt - p <= RUN_MAX)
        {
          gboolean refs = memchr (p, '&', lt - p) != NULL;
          gssize from;

          if ((refs || lt - p >= RUN_MIN_TEXT) &&
              scan_run (p, lt, FALSE, refs, skeleton->decoded, &from))
            {
              g_string_append_len (skeleton->doc, copied, p - copied);
              skeleton_add_run (skeleton, p, lt - p, from);
              copied = lt;
            }
        }
      p = lt;

      if (end - p >= 9 && memcmp (p, "<![CDATA[", 9) == 0)
        {
          const char *close = find_str (p + 9, end, "]]>");

          if (close == NULL)
            break;
          gssize from;

          if (close - (p + 9) >= RUN_MIN_CDATA && close - (p + 9) <= RUN_MAX &&
              scan_run (p + 9, close, TRUE, FALSE, NULL, &from))
            {
              g_string_append_len (skeleton->doc, copied, p - copied);
              skeleton_add_run (skeleton, p + 9, close - (p + 9), -1);
              copied = close + 3;
            }
          p = close + 3;
        }
      else if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        {
          const char *close = find_str (p + 4, end, "-->");

          if (close == NULL)
            break;
          p = close + 3;
        }
      else if (end - p >= 2 && p[1] == '?')
        {
          const char *close = find_str (p + 2, end, "?>");

          /* A processing instruction of the document's own with the markers' name. */
          if ((gsize) (end - p - 2) >= target_len &&
              g_ascii_strncasecmp (p + 2, GAZETTE_FEED_RUN_TARGET, target_len) == 0)
            goto give_up;
          if (close == NULL)
            break;
          p = close + 2;
        }
      else if (end - p >= 9 && memcmp (p, "<!DOCTYPE", 9) == 0)
        {
          /* Up to its end, past quoted literals; an internal subset (entities) gives up. */
          const char *q = p + 9;
          char quote = 0;

          for (; q < end; q++)
            {
              if (quote != 0)
                {
                  if (*q == quote)
                    quote = 0;
                }
              else if (*q == '"' || *q == '\'')
                quote = *q;
              else if (*q == '[')
                goto give_up;
              else if (*q == '>')
                break;
            }
          if (q >= end)
            break;
          p = q + 1;
        }
      else if (end - p >= 2 && p[1] == '!')
        goto give_up;
      else
        {
          /* A tag: up to its '>', past quoted attribute values (which may hold one). */
          const char *q = p + 1;

          for (;;)
            {
              const char *quote_end;

              q = find_tag_special (q, end);
              if (q == end || *q == '>')
                break;
              quote_end = memchr (q + 1, *q, end - (q + 1));
              if (quote_end == NULL)
                {
                  q = end;
                  break;
                }
              q = quote_end + 1;
            }
          if (q >= end)
            break;
          p = q + 1;
        }
    }

  if (skeleton->runs->len == 0)
    goto give_up;
  g_string_append_len (skeleton->doc, copied, end - copied);
  return skeleton;

give_up:
  gazette_feed_skeleton_free (skeleton);
  return NULL;
}

void
gazette_feed_skeleton_free (GazetteFeedSkeleton *skeleton)
{
  if (skeleton == NULL)
    return;
  g_string_free (skeleton->doc, TRUE);
  g_array_unref (skeleton->runs);
  g_string_free (skeleton->decoded, TRUE);
  g_free (skeleton);
}

const char *
gazette_feed_skeleton_run (GazetteFeedSkeleton *skeleton,
                           guint                index,
                           gsize               *length)
{
  const GazetteFeedRun *run;

  if (index >= skeleton->runs->len)
    return NULL;
  run = &g_array_index (skeleton->runs, GazetteFeedRun, index);
  *length = run->length;
  return run->text != NULL ? run->text : skeleton->decoded->str + run->offset;
}

/* Decodes one character reference or entity at @p (pointing at '&'); appends it and returns
 * the position after it, or NULL when it is not one. */
static const char *
decode_entity (const char *p,
               GString    *out)
{
  const char *q = p + 1;

  if (*q == '#')
    {
      gunichar value = 0;
      gboolean hex = FALSE, ok = FALSE;

      q++;
      if (*q == 'x' || *q == 'X')
        {
          hex = TRUE;
          q++;
        }
      while (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q))
        {
          if (value < 0x110000)
            value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q)
                                                   : g_ascii_digit_value (*q));
          ok = TRUE;
          q++;
        }
      if (!ok)
        return NULL;
      if (*q == ';')
        q++;
      if (value >= 0x80 && value < 0xA0)
        value = cp1252_to_unichar ((guchar) value);
      if (is_xml_char (value) && value != 0)
        append_unichar (out, value);
      return q;
    }
  else
    {
      char name[40];
      gsize n = 0;
      const htmlEntityDesc *entity;

      while (g_ascii_isalnum (*q) && n < sizeof name - 1)
        name[n++] = *q++;
      name[n] = '\0';
      if (n == 0 || *q != ';')
        return NULL;
      if (g_str_equal (name, "apos"))
        {
          g_string_append_c (out, '\'');
          return q + 1;
        }
      entity = htmlEntityLookup ((const xmlChar *) name);
      if (entity == NULL)
        return NULL;
      append_unichar (out, entity->value);
      return q + 1;
    }
}

static gboolean
is_inline_tag (const char *name,
               gsize       len)
{
  static const char *const inline_tags[] = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt",
    "u", "var", "wbr", "del", "ins", "big", "nobr",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inline_tags); i++)
    if (strlen (inline_tags[i]) == len && g_ascii_strncasecmp (name, inline_tags[i], len) == 0)
      return TRUE;
  return FALSE;
}


/* ----- the common case of feed HTML without the HTML parser ----- */

/* Feed content is mostly simple, well-formed HTML: paragraphs, headings, lists, links, images.
 * For that subset the sanitiser's output is known from the text alone, so it is written here
 * in one pass; anything outside it (comments, unknown or dropped elements, tags libxml2 would
 * close or move on its own, relative URLs, unusual references) makes the fast path give up and
 * the full parser and sanitiser run instead. The test /core/feed/sanitize/fast-path checks both
 * give the same output. */

typedef enum {
  FAST_INLINE,        /* phrasing content: anywhere */
  FAST_BLOCK,         /* may only open inside the root or a FAST_CONTAINER */
  FAST_CONTAINER,     /* a block that may hold blocks */
  FAST_LIST,          /* ul, ol: holds li */
  FAST_ITEM,          /* li: only in a list, holds blocks */
  FAST_VOID,          /* inline, no end tag */
  FAST_VOID_BLOCK,    /* hr */
} FastKind;

static const struct {
  const char *name;
  FastKind    kind;
} fast_elements[] = {
  { "a", FAST_INLINE }, { "abbr", FAST_INLINE }, { "b", FAST_INLINE }, { "cite", FAST_INLINE },
  { "code", FAST_INLINE }, { "em", FAST_INLINE }, { "i", FAST_INLINE }, { "mark", FAST_INLINE },
  { "q", FAST_INLINE }, { "small", FAST_INLINE }, { "span", FAST_INLINE },
  { "strong", FAST_INLINE }, { "sub", FAST_INLINE }, { "sup", FAST_INLINE },
  { "time", FAST_INLINE }, { "kbd", FAST_INLINE }, { "var", FAST_INLINE },
  { "samp", FAST_INLINE }, { "dfn", FAST_INLINE },
  { "p", FAST_BLOCK }, { "h1", FAST_BLOCK }, { "h2", FAST_BLOCK }, { "h3", FAST_BLOCK },
  { "h4", FAST_BLOCK }, { "h5", FAST_BLOCK }, { "h6", FAST_BLOCK },
  { "div", FAST_CONTAINER }, { "blockquote", FAST_CONTAINER }, { "figure", FAST_CONTAINER },
  { "figcaption", FAST_CONTAINER },
  { "ul", FAST_LIST }, { "ol", FAST_LIST }, { "li", FAST_ITEM },
  { "img", FAST_VOID }, { "br", FAST_VOID }, { "hr", FAST_VOID_BLOCK },
};

#define FAST_IMG 33   /* fast_elements[FAST_IMG] is "img" */

/* The index in fast_elements of @name (@n bytes), or -1: a first look by first letter, as this
 * runs for every tag of every feed. */
static int
fast_lookup (const char *name,
             gsize       n)
{
  static gint8 first[26][8];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      memset (first, -1, sizeof first);
      for (guint i = 0; i < G_N_ELEMENTS (fast_elements); i++)
        {
          guint letter = fast_elements[i].name[0] - 'a';
          guint j = 0;

          while (first[letter][j] >= 0)
            j++;
          first[letter][j] = (gint8) i;
        }
      g_once_init_leave (&initialized, 1);
    }
  if (name[0] < 'a' || name[0] > 'z')
    return -1;
  for (guint j = 0; j < 8 && first[name[0] - 'a'][j] >= 0; j++)
    {
      int i = first[name[0] - 'a'][j];

      const char *known = fast_elements[i].name;
      gsize k = 0;

      /* Names of a few bytes: no memcmp call. */
      while (k < n && known[k] == name[k])
        k++;
      if (k == n && known[n] == '\0')
        return i;
    }
  return -1;
}

/* Attributes the sanitiser keeps on the elements above (gazette-sanitizer.c); every other one
 * is dropped there, so here too. Those whose cleaning is not done here give up. */
typedef enum {
  FAST_ATTR_DROP,
  FAST_ATTR_TEXT,
  FAST_ATTR_URL,
  FAST_ATTR_NUMBER,
  FAST_ATTR_GIVE_UP,
} FastAttr;

static FastAttr
fast_attr (const char *element,
           const char *name)
{
  if (g_str_equal (name, "title") || g_str_equal (name, "lang") || g_str_equal (name, "dir"))
    return FAST_ATTR_TEXT;
  if (g_str_equal (element, "a"))
    return g_str_equal (name, "href") ? FAST_ATTR_URL : FAST_ATTR_DROP;
  if (g_str_equal (element, "img"))
    {
      if (g_str_equal (name, "src"))
        return FAST_ATTR_URL;
      if (g_str_equal (name, "alt") || g_str_equal (name, "sizes"))
        return FAST_ATTR_TEXT;
      if (g_str_equal (name, "width") || g_str_equal (name, "height"))
        return FAST_ATTR_NUMBER;
      if (g_str_equal (name, "srcset"))
        return FAST_ATTR_GIVE_UP;
      return FAST_ATTR_DROP;
    }
  if (g_str_equal (element, "ol") &&
      (g_str_equal (name, "start") || g_str_equal (name, "type") ||
       g_str_equal (name, "reversed")))
    return FAST_ATTR_GIVE_UP;
  if (g_str_equal (element, "time") && g_str_equal (name, "datetime"))
    return FAST_ATTR_TEXT;
  if (g_str_equal (element, "li") && g_str_equal (name, "value"))
    return FAST_ATTR_GIVE_UP;
  if ((g_str_equal (element, "blockquote") || g_str_equal (element, "q")) &&
      g_str_equal (name, "cite"))
    return FAST_ATTR_GIVE_UP;
  return FAST_ATTR_DROP;
}

/* g_string_append and friends without the call where the room is there: the HTML fast path
 * and the escaper write every feed's HTML a few bytes at a time. */
static inline void
out_append_len (GString    *out,
                const char *text,
                gsize       len)
{
  if (out->len + len < out->allocated_len)
    {
      memcpy (out->str + out->len, text, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, len);
}

static inline void
out_append (GString    *out,
            const char *text)
{
  out_append_len (out, text, strlen (text));
}

static inline void
out_append_c (GString *out,
              char     c)
{
  if (out->len + 1 < out->allocated_len)
    {
      out->str[out->len++] = c;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_c (out, c);
}

/* Appends @text (@len bytes, references already decoded) escaped as the sanitiser does: & < >
 * and, in an attribute, ". */
void
gazette_feed_append_escaped (GString    *out,
                             const char *text,
                             gsize       len,
                             gboolean    attribute)
{
  const char *p = text, *end = text + len, *run = text;

  for (; p < end; p++)
    {
      const char *rep;

      switch (*p)
        {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = attribute ? "&quot;" : NULL; break;
        default: rep = NULL; break;
        }
      if (rep != NULL)
        {
          out_append_len (out, run, p - run);
          out_append (out, rep);
          run = p + 1;
        }
    }
  out_append_len (out, run, end - run);
}

/* Decodes text or an attribute value between @p and @end into @out; FALSE for what the fast
 * path does not read (control characters, references it does not know, unterminated ones). */
static gboolean
fast_decode (const char *p,
             const char *end,
             GString    *out)
{
  const char *run = p;

  for (; p < end; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 && c != '\t' && c != '\n')
        return FALSE;
      if (c == 0x7F)
        return FALSE;
      if (c != '&')
        continue;

      g_string_append_len (out, run, p - run);
      {
        const char *q = p + 1;
        gunichar value = 0;

        if (q < end && *q == '#')
          {
            gboolean hex = FALSE;
            const char *digits;

            q++;
            if (q < end && (*q == 'x' || *q == 'X'))
              {
                hex = TRUE;
                q++;
              }
            digits = q;
            while (q < end && q - digits < 7 && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
              {
                value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q)
                                                       : g_ascii_digit_value (*q));
                q++;
              }
            if (q == digits || q >= end || *q != ';')
              return FALSE;
            /* Printable ASCII and Unicode past the C1 controls, nothing doubtful. */
            if (!((value >= 0x20 && value < 0x7F) ||
                  (value >= 0xA0 && value < 0xD800) ||
                  (value >= 0xE000 && value < 0xFFFE) ||
                  (value >= 0x10000 && value <= 0x10FFFF)))
              return FALSE;
          }
        else
          {
            char name[16];
            gsize n = 0;
            const htmlEntityDesc *entity;

            while (q < end && g_ascii_isalnum (*q) && n < sizeof name - 1)
              name[n++] = *q++;
            name[n] = '\0';
            if (n == 0 || q >= end || *q != ';')
              return FALSE;
            entity = htmlEntityLookup ((const xmlChar *) name);
            if (entity == NULL || entity->value < 0x20 ||
                (entity->value >= 0x7F && entity->value < 0xA0))
              return FALSE;
            value = entity->value;
          }
        append_unichar (out, value);
        p = q;
        run = q + 1;
      }
    }
  g_string_append_len (out, run, end - run);
  return TRUE;
}

/* The first byte from @p on that the sanitiser would not write back as it is (a reference, a
 * character to escape, a control character) or that ends the text (@stop); @end when none. */
static inline const char *
fast_find_special (const char *p,
                   const char *end,
                   char        stop)
{
#ifdef __SSE2__
  const __m128i amp = _mm_set1_epi8 ('&'), lt = _mm_set1_epi8 ('<'), gt = _mm_set1_epi8 ('>'),
                del = _mm_set1_epi8 (0x7F), k = _mm_set1_epi8 (stop),
                ctrl_max = _mm_set1_epi8 (0x1F), tab = _mm_set1_epi8 ('\t'),
                nl = _mm_set1_epi8 ('\n');

  for (; end - p >= 16; p += 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) p);
      __m128i ctrl = _mm_cmpeq_epi8 (_mm_min_epu8 (v, ctrl_max), v);
      __m128i plain = _mm_or_si128 (_mm_cmpeq_epi8 (v, tab), _mm_cmpeq_epi8 (v, nl));
      __m128i hit = _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, amp), _mm_cmpeq_epi8 (v, lt)),
                                  _mm_or_si128 (_mm_cmpeq_epi8 (v, gt), _mm_cmpeq_epi8 (v, del)));
      int bits = _mm_movemask_epi8 (_mm_or_si128 (_mm_or_si128 (hit, _mm_cmpeq_epi8 (v, k)),
                                                  _mm_andnot_si128 (plain, ctrl)));

      if (bits != 0)
        return p + __builtin_ctz ((unsigned) bits);
    }
#endif
  for (; p < end; p++)
    {
      guchar c = (guchar) *p;

      if (c == '&' || c == '<' || c == '>' || c == 0x7F || c == (guchar) stop ||
          (c < 0x20 && c != '\t' && c != '\n'))
        return p;
    }
  return end;
}

/* An absolute http(s) URL the sanitiser keeps as it is. */
static gboolean
fast_is_plain_url (const char *url,
                   gsize       len)
{
  if (!(len >= 7 && memcmp (url, "http://", 7) == 0) &&
      !(len >= 8 && memcmp (url, "https://", 8) == 0))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((guchar) url[i] <= 0x20 || url[i] == 0x7F)
      return FALSE;
  return TRUE;
}

#define FAST_MAX_DEPTH 32

char *
gazette_feed_sanitize_fast (const char *html,
                            gsize       length)
{
  const char *p = html, *end = html + length;
  struct {
    const char *name;
    FastKind    kind;
  } stack[FAST_MAX_DEPTH];
  guint depth = 0;
  gboolean in_link = FALSE;
  GString *out = g_string_sized_new (length + length / 8);
  GString *scratch = NULL;   /* only for text that is not written back as it is */

  while (p < end)
    {
      /* Most text is written back as it is: one look for the tag that ends it. */
      const char *special = fast_find_special (p, end, '<');
      const char *text_end = special < end && *special == '<'
                             ? special : memchr (special, '<', end - special);

      if (text_end == NULL)
        text_end = end;
      if (text_end > p)
        {
          if (special == text_end)
            out_append_len (out, p, text_end - p);
          else
            {
              if (scratch == NULL)
                scratch = g_string_sized_new (64);
              g_string_truncate (scratch, 0);
              if (!fast_decode (p, text_end, scratch))
                goto give_up;
              gazette_feed_append_escaped (out, scratch->str, scratch->len, FALSE);
            }
          p = text_end;
          if (p == end)
            break;
        }

      /* A tag at p. */
      {
        gboolean closing = FALSE;
        const char *name_start, *q = p + 1;
        char name[16];
        gsize n = 0;
        FastKind kind = FAST_INLINE;
        gboolean known = FALSE, is_a;

        if (q < end && *q == '/')
          {
            closing = TRUE;
            q++;
          }
        name_start = q;
        while (q < end && (g_ascii_islower (*q) || g_ascii_isdigit (*q)) && n < sizeof name - 1)
          name[n++] = *q++;
        name[n] = '\0';
        if (n == 0 || !g_ascii_islower (*name_start) || q >= end)
          goto give_up;
        {
          int i = fast_lookup (name, n);

          if (i >= 0)
            {
              kind = fast_elements[i].kind;
              name_start = fast_elements[i].name;   /* static storage for the stack */
              known = TRUE;
            }
        }
        if (!known)
          goto give_up;
        is_a = n == 1 && name[0] == 'a';

        if (closing)
          {
            if (*q != '>' || depth == 0 || stack[depth - 1].name != name_start)
              goto give_up;
            depth--;
            if (is_a)
              in_link = FALSE;
            out_append_len (out, "</", 2);
            out_append_len (out, name, n);
            out_append_c (out, '>');
            p = q + 1;
            continue;
          }

        /* Where it may open without libxml2 closing or moving anything. */
        {
          FastKind parent = depth > 0 ? stack[depth - 1].kind : FAST_CONTAINER;

          switch (kind)
            {
            case FAST_INLINE:
            case FAST_VOID:
              if (parent == FAST_LIST || (in_link && is_a))
                goto give_up;
              break;
            case FAST_BLOCK:
            case FAST_CONTAINER:
            case FAST_LIST:
            case FAST_VOID_BLOCK:
              if (parent != FAST_CONTAINER && parent != FAST_ITEM)
                goto give_up;
              break;
            case FAST_ITEM:
              if (parent != FAST_LIST)
                goto give_up;
              break;
            }
        }

        /* Attributes: name="value" or name='value', lower-case names, each once. */
        {
          gboolean is_img = name_start == fast_elements[FAST_IMG].name;
          gboolean has_src = FALSE;
          const char *seen[8];
          gsize seen_len[8];
          guint n_seen = 0;

          out_append_c (out, '<');
          out_append_len (out, name, n);
          for (;;)
            {
              const char *aname;
              char attr_name[24];
              gsize an = 0;
              char quote;
              const char *value_start, *value_end;
              FastAttr how;

              if (q < end && !g_ascii_isspace (*q) && *q != '>' && *q != '/')
                goto give_up;
              while (q < end && (*q == ' ' || *q == '\n' || *q == '\t'))
                q++;
              if (q >= end)
                goto give_up;
              if (*q == '>')
                {
                  q++;
                  break;
                }
              if (*q == '/' && (kind == FAST_VOID || kind == FAST_VOID_BLOCK) &&
                  q + 1 < end && q[1] == '>')
                {
                  q += 2;
                  break;
                }
              aname = q;
              while (q < end && (g_ascii_islower (*q) || *q == '-') && an < sizeof attr_name - 1)
                attr_name[an++] = *q++;
              attr_name[an] = '\0';
              if (an == 0 || q + 2 >= end || *q != '=' || (q[1] != '"' && q[1] != '\''))
                goto give_up;
              quote = q[1];
              value_start = q + 2;
              value_end = memchr (value_start, quote, end - value_start);
              if (value_end == NULL || memchr (value_start, '<', value_end - value_start) != NULL)
                goto give_up;
              q = value_end + 1;
              if (n_seen == G_N_ELEMENTS (seen))
                goto give_up;
              for (guint i = 0; i < n_seen; i++)
                if (seen_len[i] == an && memcmp (seen[i], aname, an) == 0)
                  goto give_up;
              seen[n_seen] = aname;
              seen_len[n_seen++] = an;

              switch (how = fast_attr (name, attr_name))
                {
                case FAST_ATTR_DROP:
                  break;
                case FAST_ATTR_GIVE_UP:
                  goto give_up;
                case FAST_ATTR_TEXT:
                case FAST_ATTR_URL:
                case FAST_ATTR_NUMBER:
                  {
                    const char *value = value_start;
                    gsize value_len = value_end - value_start;
                    /* Nothing to decode or escape (most values): written as they are. */
                    gboolean verbatim = fast_find_special (value_start, value_end, '"') ==
                                        value_end;

                    if (!verbatim)
                      {
                        if (scratch == NULL)
                          scratch = g_string_sized_new (64);
                        g_string_truncate (scratch, 0);
                        if (!fast_decode (value_start, value_end, scratch) ||
                            strlen (scratch->str) != scratch->len)
                          goto give_up;
                        value = scratch->str;
                        value_len = scratch->len;
                      }
                    if (how == FAST_ATTR_URL && !fast_is_plain_url (value, value_len))
                      goto give_up;
                    if (how == FAST_ATTR_NUMBER)
                      {
                        gboolean number = value_len > 0;

                        for (gsize i = 0; i < value_len && number; i++)
                          number = g_ascii_isdigit (value[i]) || value[i] == '%' ||
                                   value[i] == '.';
                        if (!number)
                          break;
                      }
                    if (how == FAST_ATTR_URL && an == 3 && memcmp (attr_name, "src", 3) == 0)
                      has_src = TRUE;
                    out_append_c (out, ' ');
                    out_append_len (out, attr_name, an);
                    out_append_len (out, "=\"", 2);
                    if (verbatim)
                      out_append_len (out, value, value_len);
                    else
                      gazette_feed_append_escaped (out, value, value_len, TRUE);
                    out_append_c (out, '"');
                  }
                  break;
                }
            }
          if (is_img && !has_src)
            goto give_up;
          if (is_a)
            out_append (out, " rel=\"noopener noreferrer\"");
          else if (is_img)
            out_append (out, " loading=\"lazy\"");
          out_append_c (out, '>');
        }
        p = q;

        if (kind == FAST_VOID || kind == FAST_VOID_BLOCK)
          continue;
        if (depth == FAST_MAX_DEPTH)
          goto give_up;
        stack[depth].name = name_start;
        stack[depth].kind = kind;
        depth++;
        if (is_a)
          in_link = TRUE;
      }
    }

  if (depth != 0)
    goto give_up;
  if (scratch != NULL)
    g_string_free (scratch, TRUE);
  return g_string_free (out, FALSE);

give_up:
  if (scratch != NULL)
    g_string_free (scratch, TRUE);
  g_string_free (out, TRUE);
  return NULL;
}

char *
gazette_feed_sanitize (const char *html,
                       const char *base_url)
{
  char *out;

  if (html == NULL)
    return NULL;
  /* Without markup or references there is nothing to sanitise (most short summaries). */
  if (strpbrk (html, "<&") == NULL)
    out = g_strstrip (g_strdup (html));
  else if ((out = gazette_feed_sanitize_fast (html, strlen (html))) == NULL)
    out = gazette_sanitize_html_fragment (html, -1, base_url);
  if (out != NULL && *out == '\0')
    g_clear_pointer (&out, g_free);
  return out;
}

/* Trims and folds runs of white space to one space, in place. */
char *
gazette_feed_fold_whitespace (char *text)
{
  char *r, *w;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;
  /* Most text is folded already: what needs no change is stepped over first. */
  r = text;
  if (!g_ascii_isspace (*r))
    while (*r != '\0')
      {
        if (!g_ascii_isspace (*r))
          r++;
        else if (r[0] == ' ' && r[1] != '\0' && !g_ascii_isspace (r[1]))
          r += 2;
        else
          break;
      }
  for (w = r; *r != '\0'; r++)
    {
      if (g_ascii_isspace (*r))
        space = TRUE;
      else
        {
          if (space && w != text)
            *w++ = ' ';
          space = FALSE;
          *w++ = *r;
        }
    }
  *w = '\0';
  return text;
}

/* Plain text as HTML: escaped, blank lines as paragraph breaks. */
char *
gazette_feed_text_to_html (const char *text)
{
  g_autofree char *escaped = NULL;
  g_auto(GStrv) paragraphs = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  escaped = g_markup_escape_text (text, -1);
  g_strstrip (escaped);
  if (strstr (escaped, "\n\n") == NULL && strstr (escaped, "\r\n\r\n") == NULL)
    return g_steal_pointer (&escaped);

  out = g_string_new (NULL);
  paragraphs = g_regex_split_simple ("\\r?\\n[ \\t]*\\r?\\n", escaped, 0, 0);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_strstrip (paragraphs[i]);
      if (*paragraphs[i] == '\0')
        continue;
      g_string_append_printf (out, "<p>%s</p>", paragraphs[i]);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_known_tag (const char *name,
              gsize       len)
{
  static const char *const tags[] = {
    "p", "br", "div", "img", "li", "ul", "ol", "blockquote", "pre", "hr", "h1", "h2", "h3", "h4",
    "h5", "h6", "table", "tr", "td", "th", "dl", "dt", "dd", "figure", "iframe", "script",
    "style", "object", "embed", "video", "audio", "source",
  };

  if (is_inline_tag (name, len))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (tags); i++)
    if (strlen (tags[i]) == len && g_ascii_strncasecmp (name, tags[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* As feedparser judges: an end tag, a known HTML element or a character reference mean that
 * text is HTML. */
gboolean
gazette_feed_looks_like_html (const char *text)
{
  const char *p;

  if (text == NULL)
    return FALSE;
  for (p = text; (p = strpbrk (p, "<&")) != NULL; p++)
    {
      const char *q = p + 1;

      if (*p == '<')
        {
          gboolean closing = *q == '/';
          const char *name;

          if (closing)
            q++;
          name = q;
          while (g_ascii_isalnum (*q))
            q++;
          if (q == name)
            continue;
          if (closing && *q == '>')
            return TRUE;
          if (!closing && (*q == '>' || *q == ' ' || *q == '/') && is_known_tag (name, q - name))
            return TRUE;
        }
      else
        {
          GString *scratch;
          const char *next;

          if (*q != '#' && !g_ascii_isalpha (*q))
            continue;
          scratch = g_string_new (NULL);
          next = decode_entity (p, scratch);
          g_string_free (scratch, TRUE);
          if (next != NULL && next[-1] == ';')
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_unsafe_scheme (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  return scheme != NULL && (g_ascii_strcasecmp (scheme, "javascript") == 0 ||
                            g_ascii_strcasecmp (scheme, "vbscript") == 0 ||
                            g_ascii_strcasecmp (scheme, "data") == 0);
}

/* @url made absolute against @base when it can be; NULL for empty or script URLs. */
char *
gazette_feed_resolve_url (const char *base,
                          const char *url)
{
  g_autofree char *trimmed = NULL;
  char *resolved;

  if (url == NULL)
    return NULL;
  /* The common case: an absolute web URL, as it is. */
  if ((g_ascii_strncasecmp (url, "http://", 7) == 0 ||
       g_ascii_strncasecmp (url, "https://", 8) == 0) &&
      !g_ascii_isspace (url[strlen (url) - 1]))
    return g_strdup (url);
  trimmed = g_strstrip (g_strdup (url));
  if (*trimmed == '\0' && (base == NULL || *base == '\0'))
    return NULL;
  if (is_unsafe_scheme (trimmed))
    return NULL;
  if (base == NULL || *base == '\0' || g_uri_peek_scheme (trimmed) != NULL)
    return g_steal_pointer (&trimmed);
  resolved = g_uri_resolve_relative (base, trimmed, G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (resolved == NULL)
    return g_steal_pointer (&trimmed);
  return resolved;
}

gint64
gazette_feed_parse_length (const char *text)
{
  gint64 value = 0;
  const char *p = text;

  if (p == NULL)
    return -1;
  while (g_ascii_isspace (*p))
    p++;
  if (!g_ascii_isdigit (*p))
    return -1;
  while (g_ascii_isdigit (*p))
    {
      if (value > G_MAXINT64 / 10 - 10)
        return -1;
      value = value * 10 + (*p++ - '0');
    }
  while (g_ascii_isspace (*p))
    p++;
  return *p == '\0' ? value : -1;
}

static gboolean
is_email_char (char c)
{
  return c != '\0' && !g_ascii_isspace (c) && strchr ("<>()[],;\"'", c) == NULL;
}

/* "jo@example.com (Jo Doe)", "Jo Doe <jo@example.com>", "jo@example.com", "Jo Doe". */
void
gazette_feed_split_author (const char  *text,
                           char       **name,
                           char       **email)
{
  const char *at, *start, *stop;
  GString *rest;

  *name = NULL;
  *email = NULL;
  if (text == NULL)
    return;
  at = strchr (text, '@');
  if (at == NULL || at == text || !is_email_char (at[-1]) || !is_email_char (at[1]))
    {
      char *plain = gazette_feed_fold_whitespace (g_strdup (text));

      if (*plain != '\0')
        *name = plain;
      else
        g_free (plain);
      return;
    }
  for (start = at; start > text && is_email_char (start[-1]); start--)
    ;
  for (stop = at; is_email_char (*stop); stop++)
    ;
  if (g_ascii_strncasecmp (start, "mailto:", 7) == 0)
    start += 7;
  *email = g_strndup (start, stop - start);

  rest = g_string_new (NULL);
  g_string_append_len (rest, text, start - text);
  g_string_append (rest, stop);
  /* What is left, without the brackets that held either part. */
  for (gsize i = 0; i < rest->len; i++)
    if (strchr ("<>()[]\"", rest->str[i]) != NULL)
      rest->str[i] = ' ';
  g_string_replace (rest, "mailto:", "", 0);
  gazette_feed_fold_whitespace (rest->str);
  {
    gsize len = strlen (rest->str);

    while (len > 0 && (rest->str[len - 1] == ',' || rest->str[len - 1] == '-'))
      rest->str[--len] = '\0';
    gazette_feed_fold_whitespace (rest->str);
  }
  if (rest->str[0] != '\0')
    *name = g_string_free (rest, FALSE);
  else
    g_string_free (rest, TRUE);
}

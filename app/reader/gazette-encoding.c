/* gazette-encoding.c — character set detection and conversion for web pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "gazette-encoding.h"

/* Labels pages use for the same encodings, mapped as the WHATWG Encoding standard does for the
 * ones that matter: latin1 and ascii really mean windows-1252 on the web. */
static char *
canonical_charset (const char *label)
{
  g_autofree char *l = g_ascii_strdown (label, -1);

  g_strstrip (l);
  if (*l == '\0')
    return NULL;
  if (g_str_equal (l, "utf8") || g_str_equal (l, "unicode-1-1-utf-8") || g_str_equal (l, "utf-8"))
    return g_strdup ("UTF-8");
  if (g_str_equal (l, "iso-8859-1") || g_str_equal (l, "latin1") || g_str_equal (l, "l1") ||
      g_str_equal (l, "ascii") || g_str_equal (l, "us-ascii") || g_str_equal (l, "iso8859-1") ||
      g_str_equal (l, "cp1252") || g_str_equal (l, "windows-1252") || g_str_equal (l, "x-cp1252"))
    return g_strdup ("WINDOWS-1252");
  if (g_str_equal (l, "gb2312") || g_str_equal (l, "gbk") || g_str_equal (l, "x-gbk"))
    return g_strdup ("GB18030");
  if (g_str_equal (l, "iso-8859-9") || g_str_equal (l, "latin5"))
    return g_strdup ("WINDOWS-1254");
  if (g_str_equal (l, "tis-620") || g_str_equal (l, "iso-8859-11"))
    return g_strdup ("WINDOWS-874");
  if (g_str_equal (l, "shift_jis") || g_str_equal (l, "sjis") || g_str_equal (l, "x-sjis") ||
      g_str_equal (l, "ms_kanji"))
    return g_strdup ("SHIFT_JIS");
  if (g_str_equal (l, "ks_c_5601-1987") || g_str_equal (l, "euc-kr"))
    return g_strdup ("CP949");
  if (g_str_equal (l, "utf-16"))
    return g_strdup ("UTF-16LE");
  return g_ascii_strup (l, -1);
}

static gboolean
charset_known (const char *charset)
{
  GIConv cd = g_iconv_open ("UTF-8", charset);

  if (cd == (GIConv) -1)
    return FALSE;
  g_iconv_close (cd);
  return TRUE;
}

static char *
charset_from_content_type (const char *value)
{
  const char *p;
  g_autofree char *lower = NULL;
  gsize n;

  if (value == NULL)
    return NULL;
  lower = g_ascii_strdown (value, -1);
  p = strstr (lower, "charset");
  if (p == NULL)
    return NULL;
  p += strlen ("charset");
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '=')
    return NULL;
  p++;
  while (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
    p++;
  n = strcspn (p, " \t\"';,>/");
  if (n == 0)
    return NULL;
  {
    g_autofree char *label = g_strndup (p, n);
    return canonical_charset (label);
  }
}

/* Looks for <meta charset> and <meta http-equiv=content-type content=…> in the first 8 KiB,
 * like a browser's prescan, without parsing the document. */
static char *
charset_from_meta (const char *data,
                   gsize       length)
{
  gsize n = MIN (length, 8192);
  g_autofree char *head = g_ascii_strdown (data, n);
  const char *p = head;

  while ((p = strstr (p, "<meta")) != NULL)
    {
      const char *end = strchr (p, '>');
      g_autofree char *tag = NULL;
      const char *c;

      if (end == NULL)
        break;
      tag = g_strndup (p, end - p);
      p = end;
      if ((c = strstr (tag, "charset")) != NULL)
        {
          const char *q = c + strlen ("charset");
          char *found;

          while (*q == ' ')
            q++;
          if (*q == '=')
            {
              /* <meta charset=x> and content="text/html; charset=x" both end up here. */
              g_autofree char *as_ct = g_strconcat ("charset", q, NULL);
              found = charset_from_content_type (as_ct);
              if (found != NULL)
                return found;
            }
        }
    }
  return NULL;
}

char *
gazette_detect_charset (const char *data,
                        gsize       length,
                        const char *content_type)
{
  const guchar *u = (const guchar *) data;
  char *charset;

  if (length >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    return g_strdup ("UTF-8");
  if (length >= 2 && u[0] == 0xFF && u[1] == 0xFE)
    return g_strdup ("UTF-16LE");
  if (length >= 2 && u[0] == 0xFE && u[1] == 0xFF)
    return g_strdup ("UTF-16BE");

  charset = charset_from_content_type (content_type);
  if (charset != NULL && charset_known (charset))
    return charset;
  g_free (charset);

  charset = charset_from_meta (data, length);
  /* A page that says it is UTF-16 in ASCII bytes is not; browsers read it as UTF-8. */
  if (charset != NULL && g_str_has_prefix (charset, "UTF-16"))
    {
      g_free (charset);
      charset = g_strdup ("UTF-8");
    }
  if (charset != NULL && charset_known (charset))
    {
      /* A page labelled with a legacy charset that is valid UTF-8 with non-ASCII bytes was almost
       * certainly converted without fixing its label. */
      if (!g_str_equal (charset, "UTF-8") && g_utf8_validate (data, length, NULL))
        {
          for (gsize i = 0; i < length; i++)
            if (u[i] >= 0x80)
              {
                g_free (charset);
                return g_strdup ("UTF-8");
              }
        }
      return charset;
    }
  g_free (charset);

  if (g_utf8_validate (data, length, NULL))
    return g_strdup ("UTF-8");
  return g_strdup ("WINDOWS-1252");
}

/* UTF-8 with every invalid byte replaced by U+FFFD, so one bad byte never costs the page. */
static char *
make_valid_utf8 (const char *data,
                 gsize       length,
                 gsize      *out_length)
{
  GString *out = g_string_sized_new (length + 16);
  const char *p = data, *end = data + length;

  while (p < end)
    {
      const char *valid_end;

      if (g_utf8_validate (p, end - p, &valid_end))
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, valid_end - p);
      if (*valid_end == '\0')
        g_string_append_c (out, ' ');
      else
        g_string_append (out, "\xEF\xBF\xBD");
      p = valid_end + 1;
    }
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

/* @data from @charset to UTF-8, each byte the converter rejects (a stray byte, a sequence cut
 * short) becoming U+FFFD: g_convert() gives up on the whole page at the first one, and glibc's
 * windows-1252 has no mapping for 0x81, 0x8D, 0x8F, 0x90 and 0x9D. NULL when @charset is
 * unknown. */
static char *
convert_lossy (const char *data,
               gsize       length,
               const char *charset,
               gsize      *out_length)
{
  GIConv cd = g_iconv_open ("UTF-8", charset);
  GString *out;
  char buffer[4096];
  char *in = (char *) data;
  gsize in_left = length;

  if (cd == (GIConv) -1)
    return NULL;
  out = g_string_sized_new (length + length / 2 + 16);
  while (in_left > 0)
    {
      char *o = buffer;
      gsize o_left = sizeof buffer;
      gsize r = g_iconv (cd, &in, &in_left, &o, &o_left);

      g_string_append_len (out, buffer, o - buffer);
      if (r == (gsize) -1)
        {
          if (errno == E2BIG)
            continue;
          /* EILSEQ or EINVAL: one byte is lost, not the page. */
          g_string_append (out, "\xEF\xBF\xBD");
          in++;
          in_left--;
          g_iconv (cd, NULL, NULL, NULL, NULL);
        }
    }
  g_iconv_close (cd);
  *out_length = out->len;
  return g_string_free (out, FALSE);
}

char *
gazette_to_utf8 (const char *data,
                 gsize       length,
                 const char *content_type,
                 gsize      *out_length)
{
  g_autofree char *charset = gazette_detect_charset (data, length, content_type);
  const guchar *u = (const guchar *) data;

  if (length >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
    {
      data += 3;
      length -= 3;
    }
  else if (length >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    {
      data += 2;
      length -= 2;
    }

  if (!g_str_equal (charset, "UTF-8"))
    {
      gsize written = 0;
      g_autofree char *converted = convert_lossy (data, length, charset, &written);

      if (converted != NULL)
        return make_valid_utf8 (converted, written, out_length);
      /* A label iconv does not know: windows-1252 maps nearly every byte. */
      converted = convert_lossy (data, length, "WINDOWS-1252", &written);
      if (converted != NULL)
        return make_valid_utf8 (converted, written, out_length);
    }
  return make_valid_utf8 (data, length, out_length);
}

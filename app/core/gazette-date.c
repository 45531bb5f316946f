/* gazette-date.c — the dates feeds write, as UTC unix seconds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds write dates every way imaginable. Two parsers: a strict-ish ISO 8601/RFC 3339 one, and a
 * tolerant token-based one for RFC 822 and its relatives ("Sat,07 Dec 19 15:31 EST",
 * "December 7, 2019", asctime). No locale, no allocation, no GDateTime: this runs for every
 * entry of every feed.
 */
#include "config.h"

#include <string.h>

#include "gazette-date.h"

static const char *const month_names[12] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

static const char *const day_names[7] = {
  "mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

/* Minutes east of UTC. RFC 822's military zones are taken as RFC 822 wrote them (A = -1),
 * as most parsers do. */
static const struct {
  const char *name;
  int offset;
} zone_names[] = {
  { "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "wet", 0 },
  { "est", -5 * 60 }, { "edt", -4 * 60 }, { "cst", -6 * 60 }, { "cdt", -5 * 60 },
  { "mst", -7 * 60 }, { "mdt", -6 * 60 }, { "pst", -8 * 60 }, { "pdt", -7 * 60 },
  { "ast", -4 * 60 }, { "adt", -3 * 60 }, { "akst", -9 * 60 }, { "akdt", -8 * 60 },
  { "hst", -10 * 60 }, { "nst", -3 * 60 - 30 }, { "ndt", -2 * 60 - 30 },
  { "bst", 60 }, { "ist", 5 * 60 + 30 }, { "cet", 60 }, { "cest", 120 }, { "met", 60 },
  { "mest", 120 }, { "west", 60 }, { "eet", 120 }, { "eest", 180 }, { "msk", 180 },
  { "jst", 9 * 60 }, { "kst", 9 * 60 }, { "hkt", 8 * 60 }, { "sgt", 8 * 60 },
  { "aest", 10 * 60 }, { "aedt", 11 * 60 }, { "acst", 9 * 60 + 30 }, { "awst", 8 * 60 },
  { "nzst", 12 * 60 }, { "nzdt", 13 * 60 },
};

static gboolean
is_leap (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  return month == 2 && is_leap (year) ? 29 : days[month - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static gint64
days_from_civil (gint64 y,
                 int    m,
                 int    d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static gboolean
make_time (int     year,
           int     month,
           int     day,
           int     hour,
           int     minute,
           int     second,
           int     offset_minutes,
           gint64 *out)
{
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month (year, month) || hour < 0 || hour > 24 || minute < 0 || minute > 59 ||
      second < 0 || second > 60 || (hour == 24 && (minute != 0 || second != 0)) ||
      offset_minutes < -18 * 60 || offset_minutes > 18 * 60)
    return FALSE;

  *out = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
         (gint64) offset_minutes * 60;
  return TRUE;
}

static int
read_digits (const char **p,
             int          max_digits,
             int         *value)
{
  int n = 0;

  *value = 0;
  while (n < max_digits && g_ascii_isdigit (**p))
    {
      *value = *value * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  return n;
}

static gboolean
lookup_zone_name (const char *word,
                  gsize       len,
                  int        *offset)
{
  if (len == 0 || len > 5)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (zone_names); i++)
    if (strlen (zone_names[i].name) == len && g_ascii_strncasecmp (word, zone_names[i].name, len) == 0)
      {
        *offset = zone_names[i].offset;
        return TRUE;
      }
  if (len == 1 && g_ascii_isalpha (word[0]))
    {
      char c = g_ascii_tolower (word[0]);

      if (c >= 'a' && c <= 'i')
        *offset = -(c - 'a' + 1) * 60;
      else if (c >= 'k' && c <= 'm')
        *offset = -(c - 'a') * 60;
      else if (c >= 'n' && c <= 'y')
        *offset = (c - 'n' + 1) * 60;
      else
        return FALSE;   /* 'j' is not a zone */
      return TRUE;
    }
  return FALSE;
}

/* "+0100", "-08:00", "+01", "+5", "+05:30". @p points at the sign. */
static gboolean
read_numeric_zone (const char **p,
                   int         *offset)
{
  const char *q = *p;
  int sign = *q == '-' ? -1 : 1;
  int hours = 0, minutes = 0, n, value;

  q++;
  n = read_digits (&q, 4, &value);
  if (n == 4 || n == 3)
    {
      hours = value / 100;
      minutes = value % 100;
    }
  else if (n == 2 || n == 1)
    {
      hours = value;
      if (*q == ':' && g_ascii_isdigit (q[1]))
        {
          q++;
          if (read_digits (&q, 2, &minutes) != 2)
            return FALSE;
        }
    }
  else
    return FALSE;
  if (hours > 18 || minutes > 59)
    return FALSE;
  *offset = sign * (hours * 60 + minutes);
  *p = q;
  return TRUE;
}

/* ISO 8601 / RFC 3339 / W3C-DTF: 2019-12-07T15:31:00.5+01:00, 20191207T153100Z, 2019-12-07,
 * 2019-12, 2019, 2019-341, "2019-12-07 15:31:00 GMT". */
static gboolean
parse_iso8601 (const char *s,
               gint64     *out)
{
  const char *p = s;
  int year, month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0, n;
  gboolean basic = FALSE;

  if (read_digits (&p, 4, &year) != 4 ||
      (!g_ascii_isdigit (*p) && *p != '-' && *p != '\0' && *p != 'T' && *p != 't' && *p != ' '))
    return FALSE;

  if (*p == '-')
    {
      const char *q = p + 1;
      int value;

      n = read_digits (&q, 3, &value);
      if (n == 3)
        {
          /* Ordinal date. */
          if (value < 1 || value > (is_leap (year) ? 366 : 365))
            return FALSE;
          month = 1;
          while (value > days_in_month (year, month))
            value -= days_in_month (year, month++);
          day = value;
          p = q;
        }
      else if (n >= 1)
        {
          month = value;
          p = q;
          if (*p == '-')
            {
              p++;
              if (read_digits (&p, 2, &day) < 1)
                return FALSE;
            }
        }
      else
        return FALSE;
    }
  else if (g_ascii_isdigit (*p))
    {
      if (read_digits (&p, 2, &month) != 2 || read_digits (&p, 2, &day) != 2)
        return FALSE;
      basic = TRUE;
    }

  if ((*p == 'T' || *p == 't' || *p == ' ') && g_ascii_isdigit (p[1]))
    {
      p++;
      n = read_digits (&p, 2, &hour);
      if (n != 2 && !(n == 1 && *p == ':'))
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (read_digits (&p, 2, &minute) != 2)
            return FALSE;
          if (*p == ':')
            {
              p++;
              if (read_digits (&p, 2, &second) != 2)
                return FALSE;
            }
        }
      else if (g_ascii_isdigit (*p))
        {
          if (read_digits (&p, 2, &minute) != 2)
            return FALSE;
          if (g_ascii_isdigit (*p) && read_digits (&p, 2, &second) != 2)
            return FALSE;
        }
      if ((*p == '.' || *p == ',') && g_ascii_isdigit (p[1]))
        {
          p++;
          while (g_ascii_isdigit (*p))
            p++;
        }
      while (*p == ' ')
        p++;
      if (*p == 'Z' || *p == 'z')
        p++;
      else if (*p == '+' || *p == '-')
        {
          if (!read_numeric_zone (&p, &offset))
            return FALSE;
        }
      else if (g_ascii_isalpha (*p))
        {
          const char *w = p;

          while (g_ascii_isalpha (*p))
            p++;
          if (!lookup_zone_name (w, p - w, &offset))
            return FALSE;
          if (*p == '+' || *p == '-')
            {
              int extra;

              if (!read_numeric_zone (&p, &extra))
                return FALSE;
              offset += extra;
            }
        }
    }
  else if (basic && *p != '\0' && !g_ascii_isspace (*p))
    return FALSE;

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  return make_time (year, month, day, hour, minute, second, offset, out);
}

static int
match_month (const char *word,
             gsize       len)
{
  if (len < 3)
    return 0;
  for (int i = 0; i < 12; i++)
    if (g_ascii_strncasecmp (word, month_names[i], 3) == 0)
      {
        /* "Sept", "June", "December", "Dec." all fine; "Decimal" is not a month. */
        static const char *const full[12] = {
          "january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december",
        };
        if (len == 3 || (len <= strlen (full[i]) && g_ascii_strncasecmp (word, full[i], len) == 0))
          return i + 1;
      }
  return 0;
}

/* Month names of the languages feeds most often localise their RFC 822 dates into (German,
 * French, Spanish, Italian, Portuguese, Dutch), full and abbreviated. */
static int
match_foreign_month (const char *word,
                     gsize       len)
{
  static const struct {
    const char *name;
    int month;
  } names[] = {
    { "januar", 1 }, { "janvier", 1 }, { "janv", 1 }, { "enero", 1 }, { "ene", 1 },
    { "gennaio", 1 }, { "gen", 1 }, { "janeiro", 1 }, { "januari", 1 },
    { "februar", 2 }, { "février", 2 }, { "févr", 2 }, { "fév", 2 }, { "fevr", 2 },
    { "febrero", 2 }, { "febbraio", 2 }, { "fevereiro", 2 }, { "fev", 2 }, { "februari", 2 },
    { "märz", 3 }, { "mär", 3 }, { "mrz", 3 }, { "mars", 3 }, { "marzo", 3 }, { "março", 3 },
    { "maart", 3 }, { "mrt", 3 },
    { "avril", 4 }, { "avr", 4 }, { "abril", 4 }, { "abr", 4 }, { "aprile", 4 },
    { "mai", 5 }, { "mayo", 5 }, { "maggio", 5 }, { "mag", 5 }, { "maio", 5 }, { "mei", 5 },
    { "juin", 6 }, { "junio", 6 }, { "giugno", 6 }, { "giu", 6 }, { "junho", 6 },
    { "juillet", 7 }, { "juil", 7 }, { "julio", 7 }, { "luglio", 7 }, { "lug", 7 },
    { "julho", 7 },
    { "août", 8 }, { "aoû", 8 }, { "aout", 8 }, { "agosto", 8 }, { "ago", 8 }, { "augustus", 8 },
    { "septembre", 9 }, { "septiembre", 9 }, { "setiembre", 9 }, { "settembre", 9 },
    { "set", 9 }, { "setembro", 9 },
    { "oktober", 10 }, { "okt", 10 }, { "octobre", 10 }, { "octubre", 10 }, { "ottobre", 10 },
    { "ott", 10 }, { "outubro", 10 }, { "out", 10 },
    { "novembre", 11 }, { "noviembre", 11 }, { "novembro", 11 },
    { "dezember", 12 }, { "dez", 12 }, { "décembre", 12 }, { "déc", 12 }, { "diciembre", 12 },
    { "dic", 12 }, { "dicembre", 12 }, { "dezembro", 12 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i].name) == len && g_ascii_strncasecmp (word, names[i].name, len) == 0)
      return names[i].month;
  return 0;
}

static gboolean
match_day (const char *word,
           gsize       len)
{
  static const char *const full[7] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  };

  if (len < 2)
    return FALSE;
  for (int i = 0; i < 7; i++)
    if (g_ascii_strncasecmp (word, day_names[i], MIN (len, 3)) == 0 &&
        len <= strlen (full[i]) && g_ascii_strncasecmp (word, full[i], len) == 0)
      return TRUE;
  /* "Thur", "Tues" */
  return (len == 4 && (g_ascii_strncasecmp (word, "thur", 4) == 0 ||
                       g_ascii_strncasecmp (word, "tues", 4) == 0));
}

/* RFC 822 and everything that looks like it: tokens in a forgiving order. */
static gboolean
parse_loose (const char *s,
             gint64     *out)
{
  const char *p = s;
  int month = 0, hour = -1, minute = 0, second = 0, offset = 0;
  int nums[3], num_len[3], n_nums = 0;
  gboolean have_zone = FALSE, pm = FALSE, am = FALSE;
  char num_sep = 0;
  int year = -1, day = -1;

  while (*p != '\0')
    {
      if (g_ascii_isspace (*p) || *p == ',')
        {
          p++;
          continue;
        }
      if (*p == '(')
        {
          /* "+0000 (UTC)": a comment */
          while (*p != '\0' && *p != ')')
            p++;
          if (*p == ')')
            p++;
          continue;
        }
      if (g_ascii_isdigit (*p))
        {
          int value, n;

          n = read_digits (&p, 9, &value);
          if (n > 4)
            return FALSE;
          if (*p == ':' && g_ascii_isdigit (p[1]) && hour < 0 && n <= 2)
            {
              hour = value;
              p++;
              if (read_digits (&p, 2, &minute) < 1)
                return FALSE;
              if (*p == ':' && g_ascii_isdigit (p[1]))
                {
                  p++;
                  if (read_digits (&p, 2, &second) < 1)
                    return FALSE;
                }
              if ((*p == '.' || *p == ',') && g_ascii_isdigit (p[1]))
                {
                  p++;
                  while (g_ascii_isdigit (*p))
                    p++;
                }
              continue;
            }
          if (n_nums == 3)
            return FALSE;
          /* "7th", "1st" */
          if (n <= 2 && (g_ascii_strncasecmp (p, "st", 2) == 0 || g_ascii_strncasecmp (p, "nd", 2) == 0 ||
                         g_ascii_strncasecmp (p, "rd", 2) == 0 || g_ascii_strncasecmp (p, "th", 2) == 0) &&
              !g_ascii_isalpha (p[2]))
            p += 2;
          nums[n_nums] = value;
          num_len[n_nums++] = n;
          if ((*p == '/' || *p == '.' || *p == '-') && g_ascii_isdigit (p[1]))
            {
              if (num_sep == 0)
                num_sep = *p;
              p++;
            }
          continue;
        }
      if ((*p == '+' || *p == '-') && g_ascii_isdigit (p[1]) && (hour >= 0 || have_zone))
        {
          int extra;

          if (!read_numeric_zone (&p, &extra))
            return FALSE;
          offset += extra;
          have_zone = TRUE;
          continue;
        }
      /* Korean afternoon and morning, as some Korean blog hosts write them. */
      if (strncmp (p, "\xec\x98\xa4\xed\x9b\x84", 6) == 0 ||
          strncmp (p, "\xec\x98\xa4\xec\xa0\x84", 6) == 0)
        {
          if ((guchar) p[3] == 0xED)
            pm = TRUE;   /* 오후 */
          else
            am = TRUE;   /* 오전 */
          p += 6;
          continue;
        }
      /* The T between date and time when the ISO parser gave up on the rest. */
      if ((*p == 'T' || *p == 't') && g_ascii_isdigit (p[1]) && n_nums > 0 && hour < 0)
        {
          p++;
          continue;
        }
      if (g_ascii_isalpha (*p) || (guchar) *p >= 0x80)
        {
          const char *w = p;
          gsize len;
          int m, z;

          while (g_ascii_isalpha (*p) || (guchar) *p >= 0x80)
            p++;
          len = p - w;
          if (*p == '.')
            p++;
          if (*p == ',' && n_nums == 0 && month == 0)
            ;   /* "Word," before the date is the day's name ("mar.," is a French Tuesday) */
          else if (month == 0 && ((m = match_month (w, len)) != 0 ||
                             (m = match_foreign_month (w, len)) != 0))
            month = m;
          else if (match_day (w, len))
            ;
          else if (len == 2 && g_ascii_strncasecmp (w, "am", 2) == 0)
            am = TRUE;
          else if (len == 2 && g_ascii_strncasecmp (w, "pm", 2) == 0)
            pm = TRUE;
          else if (len == 1 && (*w == 'a' || *w == 'p' || *w == 'A' || *w == 'P') &&
                   (*p == 'm' || *p == 'M') && p[-1] == '.')
            {
              /* "a.m." */
              if (g_ascii_tolower (*w) == 'a')
                am = TRUE;
              else
                pm = TRUE;
              p++;
              if (*p == '.')
                p++;
            }
          else if ((len == 2 && g_ascii_strncasecmp (w, "at", 2) == 0) ||
                   (len == 2 && g_ascii_strncasecmp (w, "on", 2) == 0) ||
                   (len == 2 && g_ascii_strncasecmp (w, "of", 2) == 0))
            ;
          else if ((hour >= 0 || n_nums >= 2) && lookup_zone_name (w, len, &z))
            {
              /* "+0000 GMT": the first zone given counts. */
              if (!have_zone)
                offset = z;
              have_zone = TRUE;
            }
          else if (n_nums == 0 && month == 0 && hour < 0)
            ;   /* a day name in another language: "Mo,", "lun." */
          else
            return FALSE;
          continue;
        }
      if (*p == '-' || *p == '/' || *p == '.')
        {
          p++;
          continue;
        }
      return FALSE;
    }

  if (month != 0)
    {
      int other[3], other_len[3], n_other = 0;

      for (int i = 0; i < n_nums; i++)
        {
          if (num_len[i] >= 3 && year < 0)
            year = nums[i];
          else
            {
              other[n_other] = nums[i];
              other_len[n_other++] = num_len[i];
            }
        }
      if (n_other == 0)
        return FALSE;
      day = other[0];
      if (year < 0)
        {
          if (n_other < 2)
            return FALSE;
          year = other[1];
          if (other_len[1] <= 2)
            year += year < 50 ? 2000 : 1900;
        }
      else if (n_other > 1)
        return FALSE;
    }
  else
    {
      if (n_nums != 3)
        return FALSE;
      if (num_len[0] == 4)
        {
          year = nums[0];
          month = nums[1];
          day = nums[2];
        }
      else
        {
          year = nums[2];
          if (num_len[2] <= 2)
            year += year < 50 ? 2000 : 1900;
          if (nums[0] > 12 || num_sep != '/')
            {
              day = nums[0];
              month = nums[1];
            }
          else
            {
              month = nums[0];
              day = nums[1];
            }
        }
    }

  if (year >= 0 && year < 1000 && year >= 100)
    year += 1900;   /* RFC 2822's obsolete three-digit years */

  if (hour < 0)
    hour = 0;
  else if (pm && hour < 12)
    hour += 12;
  else if (am && hour == 12)
    hour = 0;

  return make_time (year, month, day, hour, minute, second, offset, out);
}

gint64
gazette_date_parse (const char *text)
{
  gint64 result = 0;

  if (text == NULL)
    return 0;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return 0;

  if (parse_iso8601 (text, &result) || parse_loose (text, &result))
    return result;
  return 0;
}

char *
gazette_date_to_iso8601 (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

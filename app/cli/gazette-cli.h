/* gazette-cli.h — the commands of gazette-cli, one file each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command gets argv from its own name on (argv[0] is the command) and returns the process
 * exit status: 0 on success, 1 when the input is bad or nothing was found, 2 on a usage error.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  const char *data_dir;   /* --data-dir, NULL for the default */
} GazetteCliGlobals;

typedef int (*GazetteCliCommandFunc) (const GazetteCliGlobals *globals,
                                      int                      argc,
                                      char                   **argv);

typedef struct {
  const char            *name;
  const char            *summary;   /* translatable, N_() */
  GazetteCliCommandFunc  func;
} GazetteCliCommand;

/* Reads a whole input: a file path, "-" for standard input, or an http(s) URL fetched with the
 * app's fetcher. @out_url receives the URL when one was fetched (else NULL). */
GBytes *gazette_cli_read_input   (const char  *input,
                                  char       **out_url,
                                  char       **out_content_type,
                                  GError     **error);
/* Prints "gazette-cli: <message>" on stderr. */
void    gazette_cli_print_error  (const char  *command,
                                  const GError *error);

const GazetteCliCommand *gazette_cli_get_commands (guint *n_commands);

int gazette_cli_export (const GazetteCliGlobals *globals, int argc, char **argv);
int gazette_cli_export_opml (const GazetteCliGlobals *globals, int argc, char **argv);
int gazette_cli_extract (const GazetteCliGlobals *globals, int argc, char **argv);
int gazette_cli_import_opml (const GazetteCliGlobals *globals, int argc, char **argv);
int gazette_cli_list (const GazetteCliGlobals *globals, int argc, char **argv);
int gazette_cli_parse_feed (const GazetteCliGlobals *globals, int argc, char **argv);
int gazette_cli_save (const GazetteCliGlobals *globals, int argc, char **argv);
int gazette_cli_search (const GazetteCliGlobals *globals, int argc, char **argv);

G_END_DECLS

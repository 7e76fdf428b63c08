/* cli.h - the subcommands of the headsup program and their exit statuses.
 *
 * main() picks a subcommand from hs_commands[]; each one lives in
 * src/cmd_<name>.c, parses its own options and returns an exit status.
 */
#ifndef HEADSUP_CLI_H
#define HEADSUP_CLI_H

#include "headsup/advice.h"
#include "headsup/calibration.h"

#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>

/* Exit statuses, documented in --help, the man page and the README. */
enum {
	HS_EXIT_OK = 0,      /* success */
	HS_EXIT_FAILURE = 1, /* runtime failure (camera, file, database, ...) */
	HS_EXIT_USAGE = 2,   /* usage or configuration error */
};

typedef struct hs_command {
	const char *name;
	const char *args; /* synopsis after the name, e.g. "[--json] PATH..." */
	const char *summary; /* one line for `headsup --help` */
	int (*main)(int argc, char **argv);
} hs_command;

extern const hs_command hs_commands[];
extern const int hs_command_count;

int hs_cmd_run(int argc, char **argv);
int hs_cmd_calibrate(int argc, char **argv);
int hs_cmd_analyze(int argc, char **argv);
int hs_cmd_report(int argc, char **argv);
int hs_cmd_advice(int argc, char **argv);
int hs_cmd_pause(int argc, char **argv);
int hs_cmd_resume(int argc, char **argv);
int hs_cmd_stop(int argc, char **argv);
int hs_cmd_status(int argc, char **argv);
int hs_cmd_cameras(int argc, char **argv);

/* hs_disclaimer, which every help text ends with, is advice.h's. */

/* Print "Usage: headsup <cmd> ..." plus a --help hint on stderr; returns
 * HS_EXIT_USAGE. */
int hs_cli_usage_error(const char *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* hs_cli_usage_error() for the option getopt_long() just refused in argv
 * (read from optind and optopt): one cmd does not know, even inside a
 * bundle such as "-5m", or one that lacks its value.  A global option
 * given after the command (`headsup run -v`) is named as such, with where
 * it goes.  opts, the table given to getopt_long(), names the options an
 * ambiguous abbreviation ("--c") could be, or the one a typo is near. */
int hs_cli_bad_option(const char *cmd, char *const *argv,
                      const struct option *opts);

/* Has all that was printed reached standard output?  When not (a full
 * disk, a closed pipe, a closed descriptor), says so with the reason, once
 * per process, and returns false.  Ask right after printing, for the
 * reason to be that write's. */
bool hs_cli_stdout_ok(void);

/* Paths given on the command line that cannot be used as given: '' (a
 * variable that was not set) names nothing, and is not taken for the
 * default; one of PATH_MAX bytes or more would be cut where it is kept,
 * and name another file.  The arguments after cmd are pairs of an option
 * and its value (NULL when not given), ended by NULL.  For the first such
 * option, hs_cli_usage_error() ("<option> needs the path of a file, not
 * ''") and its status; 0 when there is none. */
int hs_cli_check_paths(const char *cmd, ...);

/* Say why the baseline file could not be loaded (err and rc from
 * hs_calibration_load()) with what to do about it, and return the exit
 * status: HS_EXIT_USAGE when the file is the user's to fix (damaged,
 * another program's, not there, a folder), HS_EXIT_FAILURE when it could
 * not be read (its permissions, the disk).  For `run` and `analyze`. */
int hs_cli_baseline_error(int rc, const char *err);
/* A baseline read from path in an older format (hs_baseline.version)
 * still works; say once that recording it again is better. */
void hs_cli_baseline_warn_old(const char *path, const hs_baseline *b);

/* Option parsing for a command whose only options are -h/--help and, when
 * announce is not NULL, --announce (which sets *announce; see
 * announce.h): returns the index of the first operand, or -1 with *status
 * set (help printed: 0; unknown option: 2). */
int hs_cli_help_only(int argc, char **argv, void (*help)(FILE *out),
                     bool *announce, int *status);

#endif

/* cli.c - the subcommand table and shared usage helpers. */
#include "headsup/cli.h"

#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/typo.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const hs_command hs_commands[] = {
	{ "run",
	  "[--source S] [--rate HZ] [--config F] [--set KEY=VALUE]... "
	  "[--calibration F] [--journal F] [--clock-start T] "
	  "[--realtime] [--preview] [--announce[=errors]]",
	  "watch posture from the webcam (or a video) and warn when it lasts",
	  hs_cmd_run },
	{ "calibrate", "[--source S] [--seconds N] [--config F] [--output F]",
	  "record your upright posture as the baseline", hs_cmd_calibrate },
	{ "analyze",
	  "[--json] [--calibration FILE] [--config F] [--fov DEG] [--fps N] "
	  "[--model FILE] PATH...",
	  "print head pose for every frame of images, folders or videos",
	  hs_cmd_analyze },
	{ "report",
	  "[--date today|yesterday|YYYY-MM-DD] [--days N] "
	  "[--format text|html|json] [--output FILE] [--journal FILE]",
	  "summarise a day of the posture journal", hs_cmd_report },
	{ "advice", "[--html | --url] [TOPIC]", "print the posture advice",
	  hs_cmd_advice },
	{ "pause", "[--announce] [DURATION]",
	  "pause the running monitor and release the camera", hs_cmd_pause },
	{ "resume", "[--announce]", "resume a paused monitor", hs_cmd_resume },
	{ "stop", "[--announce]", "end the running monitor", hs_cmd_stop },
	{ "status", "", "say whether the monitor runs, and what it sees",
	  hs_cmd_status },
	{ "cameras", "", "list the video devices and say which one is watched",
	  hs_cmd_cameras },
};
const int hs_command_count = (int)(sizeof hs_commands / sizeof hs_commands[0]);

/* "Usage: headsup CMD ARGS", ARGS wrapped within 80 columns under their
 * first one; a bracketed group ("[--date today|...]") is not split. */
static void print_synopsis(FILE *out, const char *cmd, const char *args)
{
	const int indent = fprintf(out, "Usage: headsup %s", cmd);
	int col = indent;
	for (const char *p = args; *p;) {
		/* The next word: up to a space outside brackets. */
		size_t len = 0;
		for (int depth = 0; p[len] && (depth > 0 || p[len] != ' ');
		     len++)
			depth += p[len] == '[' ? 1 : p[len] == ']' ? -1 : 0;
		if (col > indent && col + 1 + (int)len > 79) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		}
		col += fprintf(out, " %.*s", (int)len, p);
		p += len;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

int hs_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	fputs("headsup: ", stderr);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	for (int i = 0; i < hs_command_count; i++) {
		if (cmd && hs_commands[i].name[0] == cmd[0] &&
		    !__builtin_strcmp(hs_commands[i].name, cmd)) {
			print_synopsis(stderr, cmd, hs_commands[i].args);
			fprintf(stderr, "Try 'headsup %s --help'.\n", cmd);
			return HS_EXIT_USAGE;
		}
	}
	fputs("Usage: headsup [OPTION]... COMMAND [ARG]...\n"
	      "Try 'headsup --help'.\n",
	      stderr);
	return HS_EXIT_USAGE;
}

/* The long options of the command being parsed, for option_name(). */
static const struct option *known_options;

static const char *option_name(size_t i)
{
	return known_options[i].name;
}

/* "--c": more than one of opts starts so (a value of its own "--c=x" is
 * not part of the name).  The names it could be, in list; 0 when it could
 * be only one or none. */
static int ambiguous(const char *word, const struct option *opts, char *list,
                     size_t size)
{
	const char *name = word + 2;
	const size_t len = strcspn(name, "=");
	if (len == 0)
		return 0; /* "--=x" names no option at all */
	int n = 0, first = -1;
	size_t used = 0;
	list[0] = '\0';
	for (int i = 0; opts[i].name; i++) {
		if (strncmp(opts[i].name, name, len) != 0)
			continue;
		if (first >= 0 && opts[i].val == opts[first].val &&
		    opts[i].has_arg == opts[first].has_arg)
			continue; /* another name for the same option */
		if (first < 0)
			first = i;
		n++;
		int w = snprintf(list + used, size - used, "%s--%s",
		                 used ? ", " : "", opts[i].name);
		if (w > 0 && (size_t)w < size - used)
			used += (size_t)w;
	}
	return n > 1 ? n : 0;
}

int hs_cli_bad_option(const char *cmd, char *const *argv,
                      const struct option *opts)
{
	/* getopt leaves optopt at the short option it refused (inside a
	 * bundle such as "-5m", whose word argv[optind - 1] is not), at a
	 * known long option's value when its argument is missing, and at 0
	 * for an unknown long option. */
	char shortopt[3] = { '-', (char)optopt, '\0' };
	const bool is_short = optopt > 0 && optopt < 128;
	const char *arg = is_short ? shortopt : argv[optind - 1];
	/* A long option given a value it takes none of ("--help=x",
	 * "--json=1"): getopt has moved past its word and names the option
	 * by its value, a short letter or not.  A letter refused inside a
	 * bundle ("-Zv") leaves the word before it in argv[optind - 1]. */
	const char *word = optind > 0 ? argv[optind - 1] : "";
	const char *eq = strchr(word, '=');
	const char *next = argv[optind];
	const bool in_bundle = is_short && next && next[0] == '-' && next[1] &&
	                       next[1] != '-' && strchr(next + 1, optopt);
	if (optopt != 0 && !in_bundle && word[0] == '-' && word[1] == '-' && eq)
		return hs_cli_usage_error(cmd, "option '%.*s' takes no value",
		                          (int)(eq - word), word);
	if (optopt >= 128)
		return hs_cli_usage_error(cmd, "option '%s' needs a value",
		                          arg);
	static const char *const global[] = {
		"-v", "-vv", "-q", "-V", "--verbose", "--quiet", "--version"
	};
	for (size_t i = 0; i < sizeof global / sizeof global[0]; i++)
		if (!__builtin_strcmp(arg, global[i]))
			return hs_cli_usage_error(cmd,
			                          "'%s' goes before the "
			                          "command, as in 'headsup %s "
			                          "%s'",
			                          arg, arg, cmd);
	if (opts && !is_short && arg[0] == '-' && arg[1] == '-') {
		char list[512];
		if (ambiguous(arg, opts, list, sizeof list))
			return hs_cli_usage_error(cmd,
			                          "option '%.*s' is ambiguous: "
			                          "it could be %s",
			                          (int)strcspn(arg, "="), arg,
			                          list);
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="),
		         arg + 2);
		size_t n = 0;
		while (opts[n].name)
			n++;
		known_options = opts;
		const char *near = hs_typo_nearest(name, option_name, n);
		if (near)
			return hs_cli_usage_error(
			        cmd,
			        "unknown option '%s'; did you "
			        "mean '--%s'?",
			        arg, near);
	}
	return hs_cli_usage_error(cmd, "unknown option '%s'", arg);
}

void hs_cli_baseline_warn_old(const char *path, const hs_baseline *b)
{
	if (b->version > 0 && b->version < HS_CALIBRATION_VERSION)
		hs_warn("the baseline in '%s' was recorded by an earlier "
		        "headsup, which took a tilted camera's error into the "
		        "pitch; it is used, but recording it again ('headsup "
		        "calibrate') makes looking down read truer",
		        path);
}

int hs_cli_check_paths(const char *cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	const char *option, *value, *bad = NULL, *bad_value = NULL;
	while (!bad && (option = va_arg(ap, const char *))) {
		value = va_arg(ap, const char *);
		if (value && (!value[0] || strlen(value) >= PATH_MAX)) {
			bad = option;
			bad_value = value;
		}
	}
	va_end(ap);
	if (!bad)
		return 0;
	/* Cut to fit a buffer, a path would name another file. */
	if (bad_value[0])
		return hs_cli_usage_error(
		        cmd,
		        "%s '%.40s...' is too long for a path "
		        "(%zu bytes; at most %d)",
		        bad, bad_value, strlen(bad_value), PATH_MAX - 1);
	if (strcmp(bad, "--source") == 0)
		return hs_cli_usage_error(cmd,
		                          "--source needs a camera, a video "
		                          "file or a folder of images, not ''; "
		                          "leave it out for the first webcam");
	return hs_cli_usage_error(cmd, "%s needs the path of a file, not ''",
	                          bad);
}

int hs_cli_help_only(int argc, char **argv, void (*help)(FILE *out),
                     bool *announce, int *status)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "announce", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'A' && announce) {
			*announce = true;
			continue;
		}
		if (c == 'h') {
			help(stdout);
			*status = HS_EXIT_OK;
		} else {
			*status = hs_cli_bad_option(argv[0], argv, opts);
		}
		return -1;
	}
	return optind;
}

int hs_cli_baseline_error(int rc, const char *err)
{
	const char *advice = "";
	if (rc == HS_EFORMAT && !strstr(err, "calibrate"))
		advice = "; run 'headsup calibrate' to record a new baseline";
	else if (rc == HS_EACCES)
		advice = "; check the file's permissions, or run 'headsup "
		         "calibrate' to record a new baseline";
	else if (rc == HS_ENOENT)
		advice = "; check the name, or run 'headsup calibrate "
		         "--output FILE' to record a baseline there";
	hs_error("%s%s", err, advice);
	/* HS_EINVAL: a pipe or a device (hs_path_open_file()) */
	const bool theirs = rc == HS_EFORMAT || rc == HS_ENOENT ||
	                    rc == HS_EISDIR || rc == HS_ENOTDIR ||
	                    rc == HS_EINVAL;
	return theirs ? HS_EXIT_USAGE : HS_EXIT_FAILURE;
}

static bool stdout_failure_said;

bool hs_cli_stdout_ok(void)
{
	/* Asked right after a print that failed, errno is its write's. */
	const int write_errno = errno;
	if (stdout_failure_said)
		return false;
	if (!ferror(stdout)) {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return true;
	} else {
		errno = write_errno;
	}
	hs_error("cannot write standard output: %s",
	         errno ? strerror(errno) : "write error");
	stdout_failure_said = true;
	return false;
}

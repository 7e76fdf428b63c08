/* main.c - global options and subcommand dispatch. */
#include "headsup/cli.h"
#include "headsup/doc.h"
#include "headsup/log.h"
#include "headsup/typo.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static void print_help(FILE *out)
{
	fputs("Usage: headsup [OPTION]... COMMAND [ARG]...\n"
	      "Watch how you sit through the webcam and warn, kindly and "
	      "rarely,\n"
	      "when you have been looking down or hunched for too long.\n\n"
	      "Commands:\n",
	      out);
	for (int i = 0; i < hs_command_count; i++)
		fprintf(out, "  %-10s %s\n", hs_commands[i].name,
		        hs_commands[i].summary);
	fputs("\nOptions:\n"
	      "  -v, --verbose  more messages (repeat for debug output)\n"
	      "  -q, --quiet    errors only\n"
	      "  -h, --help     show this help and exit\n"
	      "  -V, --version  show the version and exit\n\n"
	      "Run 'headsup COMMAND --help' (or 'headsup help COMMAND') for "
	      "a\ncommand's options.\n\n"
	      "Exit status: 0 success, 1 runtime failure (camera, file, "
	      "database,\n"
	      "output), 2 usage or configuration error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
	fputs("\nSee headsup(1) for files, settings and privacy.\n", out);
}

/* The commands' names, and "help" after them. */
static const char *command_name(size_t i)
{
	return i < (size_t)hs_command_count ? hs_commands[i].name : "help";
}

static int dispatch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "man", no_argument, NULL,
		  'M' }, /* hidden: the build makes headsup.1 */
		{ NULL, 0, NULL, 0 },
	};
	int verbosity = HS_LOG_WARN;
	int c;
	opterr = 0; /* said once, by hs_cli_bad_option() */
	/* '+' stops at the first non-option: the subcommand. */
	while ((c = getopt_long(argc, argv, "+vqhV", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbosity++;
			break;
		case 'q':
			verbosity = HS_LOG_ERROR;
			break;
		case 'h':
			print_help(stdout);
			return HS_EXIT_OK;
		case 'M':
			/* A failed write is said by main(). */
			hs_doc_write_man(stdout);
			return HS_EXIT_OK;
		case 'V':
			printf("headsup %s\n", HS_VERSION);
			return HS_EXIT_OK;
		default:
			return hs_cli_bad_option(NULL, argv, opts);
		}
	}
	hs_log_set_level((hs_log_level)verbosity);
	if (optind >= argc) {
		print_help(stderr);
		return HS_EXIT_USAGE;
	}
	/* `headsup help [COMMAND]`, as git and systemctl have it: the
	 * command's own --help. */
	const bool help = strcmp(argv[optind], "help") == 0;
	if (help && optind + 2 < argc)
		return hs_cli_usage_error(NULL,
		                          "help takes one COMMAND, not "
		                          "'%s' too",
		                          argv[optind + 2]);
	char *name =
	        help && optind + 1 < argc ? argv[optind + 1] : argv[optind];
	/* "help", "help help", "help --help" and "help -h" */
	if (strcmp(name, "help") == 0 ||
	    (help &&
	     (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0))) {
		print_help(stdout);
		return HS_EXIT_OK;
	}
	for (int i = 0; i < hs_command_count; i++) {
		if (strcmp(hs_commands[i].name, name) != 0)
			continue;
		char opt[] = "--help";
		char *for_help[] = { name, opt, NULL };
		const int sub = optind;
		optind = 0; /* let the command run getopt afresh */
		return help ? hs_commands[i].main(2, for_help)
		            : hs_commands[i].main(argc - sub, argv + sub);
	}
	const char *near = hs_typo_nearest(name, command_name,
	                                   (size_t)hs_command_count + 1);
	if (near)
		return hs_cli_usage_error(NULL,
		                          "unknown command '%s'; did you mean "
		                          "'%s'?",
		                          name, near);
	return hs_cli_usage_error(NULL, "unknown command '%s'", name);
}

/* Whatever a command printed must have reached standard output: a full
 * disk or a closed descriptor is a failure (status 1), not a silent loss.
 * A command that failed has said why already. */
int main(int argc, char **argv)
{
	/* A crash leaves no core file: it would hold camera frames (and a
	 * report's journal) on disk, where systemd-coredump keeps them.  The
	 * limit is for handlers that heed it; not being dumpable is for
	 * those that do not, and keeps other programs of the user from
	 * reading the process's memory (ptrace, /proc/PID/mem). */
	struct rlimit core;
	if (getrlimit(RLIMIT_CORE, &core) == 0) {
		core.rlim_cur = 0;
		setrlimit(RLIMIT_CORE, &core);
	}
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/* Over a file-size limit (ulimit -f), a write fails with EFBIG and
	 * is said like a full disk, instead of SIGXFSZ killing the monitor
	 * without a word and with what it had not yet written. */
	signal(SIGXFSZ, SIG_IGN);
	/* Started with standard input, output or error closed (2>&-), the
	 * next file opened would take its number: the lock file would get
	 * the log lines meant for stderr, a report file the errors.
	 * Standard output is held by a placeholder opened read-only: what is
	 * printed to a closed output fails, and is said, as on a full disk;
	 * standard error's goes nowhere, as asked. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY) != fd)
			return HS_EXIT_FAILURE;
	int status = dispatch(argc, argv);
	if (!hs_cli_stdout_ok() && status == HS_EXIT_OK)
		status = HS_EXIT_FAILURE;
	return status;
}

/* cmd_stop.c - `headsup stop`: end the running monitor through its control
 * socket (see control.h), and wait until it has finished.
 */
#include "headsup/cli.h"
#include "headsup/clock.h"
#include "headsup/control.h"
#include "headsup/err.h"
#include "headsup/lock.h"
#include "headsup/log.h"

#include <limits.h>
#include <stdio.h>

/* The monitor stops within a second (its last journal write included);
 * this leaves room for a slow disk. */
#define STOP_WAIT_S 10.0

static void print_help(FILE *out)
{
	fputs("Usage: headsup stop\n"
	      "End the running monitor, as Ctrl+C or SIGTERM would: it "
	      "writes the\n"
	      "journal, releases the camera and exits.  This waits until it "
	      "has.\n"
	      "Under the systemd unit, 'systemctl --user stop headsup' does "
	      "the\n"
	      "same and keeps systemd informed.\n\n"
	      "Options:\n"
	      "  -h, --help  show this help and exit\n\n"
	      "The monitor is reached through its control socket,\n"
	      "$XDG_RUNTIME_DIR/headsup/control.sock.\n\n"
	      "Exit status: 0 the monitor stopped, 1 headsup is not running, "
	      "did\n"
	      "not answer or still runs after 10 seconds, 2 usage error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

int hs_cmd_stop(int argc, char **argv)
{
	int status;
	const int first = hs_cli_help_only(argc, argv, print_help, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return hs_cli_usage_error("stop",
		                          "stop takes no arguments, got '%s'",
		                          argv[first]);
	status = hs_control_command("stop"); /* prints "stopping" */
	if (status != HS_EXIT_OK)
		return status;
	/* The monitor gives up its single-instance lock last, once the
	 * journal is closed and the camera released. */
	char path[PATH_MAX];
	int rc = hs_lock_default_path(path, sizeof path);
	const double until = hs_clock_steady() + STOP_WAIT_S;
	while (rc == 0) {
		hs_lock *lock = NULL;
		rc = hs_lock_acquire(path, &lock, NULL);
		if (rc == 0) {
			hs_lock_release(lock);
			break;
		}
		if (rc != HS_ELOCKED)
			break;
		if (hs_clock_steady() >= until) {
			hs_error("the monitor said it would stop, but it still "
			         "runs after %.0f seconds",
			         STOP_WAIT_S);
			return HS_EXIT_FAILURE;
		}
		hs_clock_sleep(0.05);
		rc = 0;
	}
	if (rc < 0) {
		hs_error("cannot tell whether the monitor has stopped: "
		         "its lock '%s': %s",
		         path, hs_strerror(rc));
		return HS_EXIT_FAILURE;
	}
	puts("stopped");
	return fflush(stdout) == 0 ? HS_EXIT_OK : HS_EXIT_FAILURE;
}

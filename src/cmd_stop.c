/* cmd_stop.c - `headsup stop`: end the running monitor through its control
 * socket (see control.h), and wait until it has finished.
 */
#include "headsup/announce.h"
#include "headsup/cli.h"
#include "headsup/clock.h"
#include "headsup/control.h"
#include "headsup/err.h"
#include "headsup/lock.h"
#include "headsup/log.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The monitor stops within a second (its last journal write included);
 * this leaves room for a slow disk. */
#define STOP_WAIT_S 10.0

static void print_help(FILE *out)
{
	fputs("Usage: headsup stop [--announce]\n"
	      "End the running monitor, as Ctrl+C or SIGTERM would: it "
	      "writes the\n"
	      "journal, releases the camera and exits.  This waits until it "
	      "has.\n"
	      "Under the systemd unit, 'systemctl --user stop headsup' does "
	      "the\n"
	      "same and keeps systemd informed.\n\n"
	      "Options:\n"
	      "  --announce  say the answer on the desktop too (the menu "
	      "entry's\n"
	      "              choice: it has no terminal)\n"
	      "  -h, --help  show this help and exit\n\n"
	      "The monitor is reached through its control socket,\n"
	      "$XDG_RUNTIME_DIR/headsup/control.sock.\n\n"
	      "Exit status: 0 the monitor stopped, 1 headsup is not running, "
	      "did\n"
	      "not answer or still runs after 10 seconds, 2 usage error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

/* The monitor still runs after STOP_WAIT_S: say why that may be. */
static void say_still_runs(int unsaid, long pid, const char *sock)
{
	char kill_it[64] = "";
	if (pid > 0)
		snprintf(kill_it, sizeof kill_it,
		         "; 'kill %ld' ends it as "
		         "'headsup stop' would",
		         pid);
	if (unsaid == HS_ENOENT)
		hs_error("a monitor runs but does not listen on '%s', and it "
		         "did not stop within %.0f seconds%s",
		         sock, STOP_WAIT_S, kill_it);
	else if (unsaid == HS_EIO)
		hs_error(
		        "the monitor did not answer on '%s', and it still runs "
		        "after %.0f seconds%s",
		        sock, STOP_WAIT_S, kill_it);
	else
		hs_error("the monitor said it would stop, but it still runs "
		         "after %.0f seconds%s",
		         STOP_WAIT_S, kill_it);
}

/* Ask the monitor to stop and wait until it has. */
static int stop(void)
{
	int status;
	/* Prints "stopping".  A monitor already on its way out (another
	 * `headsup stop`, a SIGTERM) may have closed its socket, or close it
	 * unread: whether one is on its way out shows by its lock. */
	int unsaid = 0;
	status = hs_control_command_or_silence("stop", &unsaid);
	if (status != HS_EXIT_OK && unsaid == 0)
		return status;
	char sock[PATH_MAX] = "", path[PATH_MAX] = "";
	int rc = hs_control_default_path(sock, sizeof sock);
	if (rc == 0)
		rc = hs_lock_default_path(path, sizeof path);
	/* The monitor gives up its single-instance lock last, once the
	 * journal is closed and the camera released.  No lock file: no
	 * monitor ever ran here (and nothing is made to find that out). */
	const double until = hs_clock_steady() + STOP_WAIT_S;
	bool held = false;
	long pid = 0;
	bool look = unsaid != HS_ENOENT || access(path, F_OK) == 0;
	while (rc == 0 && look) {
		hs_lock *lock = NULL;
		rc = hs_lock_acquire(path, &lock, &pid);
		if (rc == 0) {
			hs_lock_release(lock);
			break;
		}
		if (rc != HS_ELOCKED)
			break;
		held = true;
		if (hs_clock_steady() >= until) {
			say_still_runs(unsaid, pid, sock);
			return HS_EXIT_FAILURE;
		}
		hs_clock_sleep(0.05);
		rc = 0;
		/* A monitor that is starting takes its lock before it
		 * listens: ask it again. */
		char reply[HS_CONTROL_LINE_MAX + 2];
		if (unsaid &&
		    hs_control_send(sock, "stop", reply, sizeof reply) == 0 &&
		    strcmp(reply, "stopping") == 0) {
			puts("stopping");
			unsaid = 0;
		}
	}
	if (rc < 0) {
		hs_error("cannot tell whether the monitor has stopped: "
		         "its lock '%s': %s",
		         path, hs_strerror(rc));
		return HS_EXIT_FAILURE;
	}
	if (unsaid == HS_ENOENT && !held) {
		hs_control_say_not_running(sock);
		return HS_EXIT_FAILURE;
	}
	puts("stopped");
	return hs_cli_stdout_ok() ? HS_EXIT_OK : HS_EXIT_FAILURE;
}

int hs_cmd_stop(int argc, char **argv)
{
	int status;
	bool announce = false;
	const int first =
	        hs_cli_help_only(argc, argv, print_help, &announce, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return hs_cli_usage_error("stop",
		                          "stop takes no arguments, got '%s'",
		                          argv[first]);
	hs_announce *said = hs_announce_begin(announce);
	status = stop();
	/* Its lines, "stopping" then "stopped", are progress on a terminal;
	 * on the desktop they would read "stopping stopped". */
	hs_announce_end(said, status, "headsup stopped",
	                "headsup could not stop",
	                "The monitor has ended: its journal is written and the "
	                "camera released.");
	return status;
}

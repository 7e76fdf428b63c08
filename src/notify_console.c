/* notify_console.c - alerts as lines on the terminal (stderr), for when no
 * notification server is reachable or the user asked for the terminal.
 *
 *   14:05:59 headsup: Hunched for 45 seconds - <advice sentence> <advice url>
 *
 * The local time it was shown comes first, as on the monitor's log lines,
 * for whoever reads the terminal later.  There is nothing to click, so it never
 * reports a snooze or an advice request.
 */
#include "headsup/notify.h"

#include <stdio.h>

#include "headsup/clock.h"
#include "headsup/err.h"

static int console_open(void **state)
{
	*state = NULL;
	return 0;
}

static int console_send(void *state, const hs_alert_msg *msg)
{
	(void)state;
	char line[HS_NOTIFY_SUMMARY_MAX + HS_NOTIFY_ADVICE_MAX +
	          HS_NOTIFY_URL_MAX + 32];
	int rc = hs_notify_format_line(msg, hs_clock_wall(), line, sizeof line);
	if (rc < 0)
		return rc;
	if (fputs(line, stderr) < 0)
		return HS_EIO;
	fflush(stderr);
	return 0;
}

static void console_poll(void *state)
{
	(void)state;
}

static bool console_take_nothing(void *state)
{
	(void)state;
	return false;
}

/* A line on the terminal cannot be taken back. */
static int console_withdraw(void *state)
{
	(void)state;
	return 0;
}

static void console_close(void *state)
{
	(void)state;
}

const hs_notifier_ops hs_notifier_console = {
	.name = "console",
	.open = console_open,
	.send = console_send,
	.poll = console_poll,
	.take_snooze = console_take_nothing,
	.take_show_advice = console_take_nothing,
	.close = console_close,
	.withdraw = console_withdraw,
};

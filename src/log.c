/* log.c - leveled messages on stderr. */
#include "headsup/log.h"

#include "headsup/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static hs_log_level current_level = HS_LOG_WARN;
static bool with_timestamps;

static const char *const level_names[] = {
	[HS_LOG_ERROR] = "error",
	[HS_LOG_WARN] = "warning",
	[HS_LOG_INFO] = "info",
	[HS_LOG_DEBUG] = "debug",
};

void hs_log_set_level(hs_log_level level)
{
	if (level > HS_LOG_DEBUG)
		level = HS_LOG_DEBUG;
	current_level = level;
}

hs_log_level hs_log_get_level(void)
{
	return current_level;
}

void hs_log_set_timestamps(bool on)
{
	with_timestamps = on;
}

void hs_log_(hs_log_level level, const char *fmt, ...)
{
	if (level > current_level)
		return;
	if (with_timestamps) {
		char stamp[32];
		time_t now = (time_t)hs_clock_wall();
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%H:%M:%S ", &tm);
		fputs(stamp, stderr);
	}
	char buf[8192], *msg = buf;
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	const int n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (n >= (int)sizeof buf && (msg = malloc((size_t)n + 1)) != NULL)
		vsnprintf(msg, (size_t)n + 1, fmt, again);
	else if (!msg)
		msg = buf; /* truncated, rather than lost */
	va_end(again);
	va_end(ap);
	/* Names come from outside (files, devices, programs): their control
	 * characters would move the cursor or recolour the terminal. */
	for (unsigned char *p = (unsigned char *)msg; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "headsup: %s: %s\n", level_names[level],
	        n < 0 ? fmt : msg);
	if (msg != buf)
		free(msg);
}

/* log.c - leveled messages on stderr. */
#include "headsup/log.h"

#include "headsup/clock.h"

#include <stdarg.h>
#include <stdio.h>
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
	fprintf(stderr, "headsup: %s: ", level_names[level]);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* log.c - leveled messages on stderr. */
#include "headsup/log.h"

#include "headsup/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static hs_log_level current_level = HS_LOG_WARN;
static bool with_timestamps;
static char last_error[1024];

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

const char *hs_log_last_error(void)
{
	return last_error;
}

void hs_log_set_timestamps(bool on)
{
	with_timestamps = on;
}

void hs_log_clean(char *text)
{
	for (unsigned char *p = (unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p[0] = p[1] = '?', p++; /* C1: U+0080 to U+009F */
}

void hs_log_(hs_log_level level, const char *fmt, ...)
{
	if (level > current_level)
		return;
	char buf[8192], *msg = buf;
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	const int n = vsnprintf(buf, sizeof buf, fmt, ap);
	if (n >= (int)sizeof buf) {
		char *big = malloc((size_t)n + 1);
		if (big) { /* else it is said cut short, rather than lost */
			vsnprintf(big, (size_t)n + 1, fmt, again);
			msg = big;
		}
	}
	va_end(again);
	va_end(ap);
	/* Names come from outside (files, devices, programs): a control
	 * character would move the cursor, recolour the terminal or, as a
	 * line break, forge a message of its own. */
	hs_log_clean(msg);
	if (level == HS_LOG_ERROR) { /* cut short when long */
		const char *text = n < 0 ? fmt : msg;
		size_t len = strlen(text);
		if (len >= sizeof last_error)
			len = sizeof last_error - 1;
		memcpy(last_error, text, len);
		last_error[len] = '\0';
	}
	char stamp[32] = "";
	if (with_timestamps) {
		time_t now = (time_t)hs_clock_wall();
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%H:%M:%S ", &tm);
	}
	fprintf(stderr, "%sheadsup: %s: %s\n", stamp, level_names[level],
	        n < 0 ? fmt : msg);
	if (msg != buf)
		free(msg);
}

/* log.h - the one logging helper.
 *
 * Messages go to stderr as "headsup: <level>: <text>".  The level shown is
 * set once from -v/--verbose (or -q); errors are always shown.
 */
#ifndef HEADSUP_LOG_H
#define HEADSUP_LOG_H

#include <stdbool.h>

typedef enum hs_log_level {
	HS_LOG_ERROR = 0,
	HS_LOG_WARN,
	HS_LOG_INFO,
	HS_LOG_DEBUG,
} hs_log_level;

void hs_log_set_level(hs_log_level level);
hs_log_level hs_log_get_level(void);

/* Prefix messages with a wall-clock time stamp (for long-running `run`). */
void hs_log_set_timestamps(bool on);

/* Each message is one line with no control characters: those of names
 * from outside (a file called "a\nheadsup: error: ...") become '?'. */
void hs_log_(hs_log_level level, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* The text of the last error message (after "headsup: error: "), whether
 * or not it was printed; "" when there was none. */
const char *hs_log_last_error(void);

/* Replace text's control characters (C0, DEL, and C1 in UTF-8) with '?',
 * in place: for names printed to a terminal. */
void hs_log_clean(char *text);

#define hs_error(...) hs_log_(HS_LOG_ERROR, __VA_ARGS__)
#define hs_warn(...) hs_log_(HS_LOG_WARN, __VA_ARGS__)
#define hs_info(...) hs_log_(HS_LOG_INFO, __VA_ARGS__)
#define hs_debug(...) hs_log_(HS_LOG_DEBUG, __VA_ARGS__)

#endif

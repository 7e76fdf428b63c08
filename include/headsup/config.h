/* config.h - every setting of headsup, in one table.
 *
 * Each row of HS_SETTINGS is one setting: INI section, key, type, default,
 * minimum, maximum and help text.  The table yields the hs_config struct
 * (one field per key), the INI parser, the settings list in `headsup run
 * --help` and the SETTINGS section of the man page.
 *
 * Precedence: built-in default < config file < command line.
 */
#ifndef HEADSUP_CONFIG_H
#define HEADSUP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Types: INT (long), DOUBLE, STRING (at most HS_CONFIG_STR_MAX-1 bytes).
 * For STRING rows min and max are unused (0). */
#define HS_CONFIG_STR_MAX 512

/* Why the hunched thresholds are what they are (shared/fixtures/desk/neck,
 * one person filmed from the front, calibrated on class 3 = upright; measure
 * with `headsup calibrate --source DIR_OF_CLASS3 --output c.ini` then
 * `headsup analyze --json --calibration c.ini ../shared/fixtures/desk/neck`):
 *   eye drop in baseline eye-distances (IOD), per class, min..max:
 *     0 (worst forward head)  0.89..1.05     must read hunched
 *     1 (marked forward head) 0.49..0.68     must read hunched
 *     2 (limit of acceptable) 0.11..0.37     must not
 *     3 (upright)            -0.08..0.07     must not
 *     4, 5 (neck extension)  -0.33..-0.03    must not
 *   The enter threshold 0.43 sits midway between class 2's highest and
 *   class 1's lowest drop, so either side has the same margin (0.06 IOD,
 *   about 4 mm of eye movement at a desk) for people we have not measured.
 *   Exit at 0.30: well under the enter level so a hunch that eases a little
 *   does not flicker, above where acceptable posture (class 2) mostly sits.
 *   Leaning in (face 15% larger) with a smaller drop (0.20) also counts:
 *   the head pushed toward the screen; class 2 peaks at 1.09 with drop 0.11.
 *   A lowered head (looking down) also drops the eyes; the pitch rule is
 *   checked first so that reads looking_down, not hunched. */
/* clang-format off */
#define HS_SETTINGS(X)                                                                       \
	X(monitor, source, STRING, "", 0, 0,                                                     \
	  "camera device, video file or image folder to watch; empty = first webcam")            \
	X(monitor, rate_hz, DOUBLE, 2.0, 0.1, 30.0,                                              \
	  "frames analysed per second; the rest are skipped")                                     \
	X(monitor, camera_fps, DOUBLE, 5.0, 1.0, 60.0,                                           \
	  "frame rate asked of the camera (low spares CPU)")                                     \
	X(monitor, camera_width, INT, 640, 160, 3840, "frame width asked of the camera")        \
	X(monitor, camera_height, INT, 480, 120, 2160, "frame height asked of the camera")      \
	X(monitor, lend_camera_s, INT, 30, 0, 3600,                                              \
	  "when another program opens the camera (a video call), let go of it this long, "      \
	  "then take it back once it is free; 0 = keep it")                                      \
	X(pose, fov_deg, DOUBLE, 60.0, 20.0, 150.0,                                              \
	  "horizontal field of view of the camera in degrees")                                   \
	X(pose, model, STRING, "", 0, 0,                                                         \
	  "face model file, a copy of the BlazeFace model headsup was built for; empty = the installed one")  \
	X(posture, smooth_s, DOUBLE, 3.0, 0.0, 30.0,                                             \
	  "features are the median of this many seconds of frames")                              \
	X(posture, looking_down_enter_deg, DOUBLE, 15.0, 3.0, 60.0,                              \
	  "looking this much further down than calibrated enters looking_down")                  \
	X(posture, looking_down_exit_deg, DOUBLE, 10.0, 0.0, 60.0,                               \
	  "looking_down ends below this many degrees")                                           \
	X(posture, head_share, DOUBLE, 0.6, 0.2, 1.0,                                            \
	  "share of a downward look the head makes (the eyes do the rest)")                      \
	X(posture, hunched_drop_enter_iod, DOUBLE, 0.43, 0.05, 5.0,                              \
	  "eyes this many calibrated eye-distances lower enters hunched")                        \
	X(posture, hunched_drop_exit_iod, DOUBLE, 0.30, 0.0, 5.0,                                \
	  "hunched (by drop) ends below this drop")                                              \
	X(posture, hunched_lean_enter, DOUBLE, 1.15, 1.0, 3.0,                                   \
	  "face this much larger than calibrated (leaning in) ...")                              \
	X(posture, hunched_lean_drop_iod, DOUBLE, 0.20, 0.0, 5.0,                                \
	  "... together with at least this drop enters hunched")                                 \
	X(posture, hunched_lean_exit, DOUBLE, 1.08, 1.0, 3.0,                                    \
	  "hunched (by lean) ends below this size ratio")                                        \
	X(alerts, sustain_s, DOUBLE, 30.0, 1.0, 7200.0,                                          \
	  "looking down or hunched (in any mix) must last this long before an alert")            \
	X(alerts, cooldown_s, DOUBLE, 600.0, 0.0, 86400.0,                                       \
	  "no second alert of the same kind within this time, across restarts, nor of either "   \
	  "kind after only a moment (under sustain_s) upright")                                  \
	X(alerts, snooze_min, DOUBLE, 30.0, 1.0, 1440.0,                                         \
	  "how long \"Snooze\" silences alerts, in minutes")                                     \
	X(alerts, notify, STRING, "auto", 0, 0,                                                  \
	  "auto (desktop, else terminal), desktop or terminal")                                  \
	X(journal, commit_s, DOUBLE, 60.0, 1.0, 60.0,                                            \
	  "journal commits at least this often, in seconds")                                     \
	X(journal, keep_days, INT, 0, 0, 36500,                                                  \
	  "forget journal days older than this many days; 0 keeps everything. The days "         \
	  "count to a day past the newest data already kept at most, so a clock set ahead "      \
	  "forgets nothing (after a long break, the old days go from the next start)")           \
	X(calibration, calibrate_s, DOUBLE, 5.0, 1.0, 120.0,                                     \
	  "seconds of upright posture recorded by calibrate")
/* clang-format on */

typedef struct hs_config {
#define HS_CFG_FIELD_INT(key) long key;
#define HS_CFG_FIELD_DOUBLE(key) double key;
#define HS_CFG_FIELD_STRING(key) char key[HS_CONFIG_STR_MAX];
#define HS_CFG_FIELD(section, key, type, def, min, max, help) \
	HS_CFG_FIELD_##type(key)
	HS_SETTINGS(HS_CFG_FIELD)
#undef HS_CFG_FIELD
} hs_config;

typedef enum hs_setting_type {
	HS_SETTING_INT,
	HS_SETTING_DOUBLE,
	HS_SETTING_STRING
} hs_setting_type;

/* One row of the table, for code that walks every setting (help, man page,
 * parser). */
typedef struct hs_setting {
	const char *section;
	const char *key;
	hs_setting_type type;
	const char *default_text; /* the default as written in a config file */
	double min, max;
	const char *help;
	size_t offset; /* of the field in hs_config */
} hs_setting;

extern const hs_setting hs_settings[];
extern const size_t hs_setting_count;

/* The built-in defaults, the default column of HS_SETTINGS: modules that
 * need a default of their own (the camera's size, the commit interval)
 * take it from here. */
extern const hs_config hs_config_builtin;

/* Fill cfg with the built-in defaults. */
void hs_config_defaults(hs_config *cfg);

/* Parse an INI stream over cfg.  name is used in messages ("file:line").
 * On an unknown section or key, a key set twice (even under a repeated
 * section header), a bad value or a value out of range, write
 * "name:line: what is wrong" into err (size errsize) and return HS_ECONFIG;
 * cfg is then left unchanged (parsing is all or nothing). */
int hs_config_parse(hs_config *cfg, FILE *in, const char *name, char *err,
                    size_t errsize);

/* s without the white space around it, cut in place: how the settings
 * file, the baseline file and `--set` read a key or a value. */
char *hs_config_trim(char *s);

/* Read a number as every number headsup is given is read (settings, the
 * baseline file, options): plain decimal notation, a sign, and for a
 * non-integer a point and an exponent; no blanks, hex, "inf" or "nan".
 * 0 and *out; HS_EINVAL when text is not such a number, HS_ERANGE when
 * it is too large for a double (or, integer, beyond 2^53, where a double
 * no longer holds every whole number). */
int hs_config_number(const char *text, bool integer, double *out);

/* Set one setting from text ("section.key" or "key"), as the command line
 * does.  HS_ECONFIG with a message in err on failure. */
int hs_config_set(hs_config *cfg, const char *key, const char *value, char *err,
                  size_t errsize);

/* The value part of a settings-file line as the parser reads it, in place:
 * a comment cut off, blanks around it trimmed, double quotes taken off.
 * NULL when a quote is not matched.  --set reads its values so. */
char *hs_config_value_as_in_file(char *text);

/* Check what no single setting can: every exit threshold of a posture
 * state must not be above its enter threshold (hysteresis).  hs_config_parse
 * checks this itself; call it after the last hs_config_set, since one
 * override may only make sense together with the next.  HS_ECONFIG with a
 * message in err when broken. */
int hs_config_check(const hs_config *cfg, char *err, size_t errsize);

/* Load the config: path when given (must exist), else
 * $XDG_CONFIG_HOME/headsup/config.ini when it exists, else defaults only.
 * Same error contract as hs_config_parse; a missing explicit path is
 * HS_ECONFIG too ("cannot open config 'F': No such file or directory"). */
int hs_config_load(hs_config *cfg, const char *path, char *err, size_t errsize);

/* Is s read only when the monitor starts (the source, the camera's size
 * and rate, the models, the field of view, the notifier)?  A reload
 * (SIGHUP) keeps such a setting's old value. */
bool hs_setting_at_start(const hs_setting *s);

/* For a reload: put back into cfg the old value of every setting read only
 * at start-up, and list those that differed in names (size bytes), as
 * "[monitor] source, [pose] fov_deg"; "" when none did. */
void hs_config_keep_start(hs_config *cfg, const hs_config *old, char *names,
                          size_t size);

/* Print the settings table for --help, grouped by section: per setting a
 * line "key = default  (range)" and the help text wrapped under it, all
 * within 78 columns. */
void hs_config_print_help(FILE *out);
/* Print the settings as man page (roff) text, for the SETTINGS section. */
void hs_config_print_man(FILE *out);

#endif

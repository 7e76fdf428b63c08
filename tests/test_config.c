/* test_config.c - the settings table, the INI parser, overrides and help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "headsup/config.h"
#include "headsup/err.h"
#include "runenv.h"
#include "testutil.h"

/* Parse text as if it were the file "test.ini". */
static int parse_text(hs_config *cfg, const char *text, char *err,
                      size_t errsize)
{
	FILE *in = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	assert_non_null(in);
	int rc = hs_config_parse(cfg, in, "test.ini", err, errsize);
	fclose(in);
	return rc;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void every_default_lies_within_its_own_range(void **state)
{
	(void)state;
	hs_config cfg;
	hs_config_defaults(&cfg);
	char err[512] = "";
	assert_int_equal(hs_config_check(&cfg, err, sizeof err), 0);
	for (size_t i = 0; i < hs_setting_count; i++) {
		const hs_setting *s = &hs_settings[i];
		const char *field = (const char *)&cfg + s->offset;
		hs_config again;
		hs_config_defaults(&again);
		/* The default as written in a file is accepted as it is... */
		int rc = hs_config_set(&again, s->key, s->default_text, err,
		                       sizeof err);
		if (rc != 0)
			fail_msg("default of %s.%s rejected: %s", s->section,
			         s->key, err);
		/* ... and means what the struct holds. */
		assert_memory_equal(&again, &cfg, sizeof cfg);
		if (s->type == HS_SETTING_DOUBLE) {
			double v;
			memcpy(&v, field, sizeof v);
			assert_true(v >= s->min && v <= s->max);
		} else if (s->type == HS_SETTING_INT) {
			long v;
			memcpy(&v, field, sizeof v);
			assert_true((double)v >= s->min && (double)v <= s->max);
		}
		assert_non_null(s->help);
		assert_true(strlen(s->help) > 10);
	}
	assert_string_equal(cfg.notify, "auto");
	assert_true(cfg.sustain_s == 30.0);
	assert_true(cfg.cooldown_s == 600.0);
	assert_int_equal(cfg.camera_width, 640);
}

/* The table every loop here, the help, the man page and the completion
 * walk: it holds (at least) each setting the issue asks to be configurable,
 * under its section, so none of those loops can pass on a short table. */
static void the_table_holds_every_required_setting(void **state)
{
	(void)state;
	static const char *const required[][2] = {
		{ "alerts", "sustain_s" },
		{ "alerts", "cooldown_s" },
		{ "monitor", "rate_hz" },
		{ "monitor", "source" },
		{ "pose", "fov_deg" },
		{ "posture", "looking_down_enter_deg" },
		{ "posture", "looking_down_exit_deg" },
		{ "posture", "hunched_drop_enter_iod" },
		{ "posture", "hunched_drop_exit_iod" },
		{ "posture", "hunched_lean_enter" },
		{ "posture", "hunched_lean_exit" },
	};
	const size_t n = sizeof required / sizeof required[0];
	assert_true(hs_setting_count >= n);
	for (size_t r = 0; r < n; r++) {
		size_t found = 0;
		for (size_t i = 0; i < hs_setting_count; i++)
			if (strcmp(hs_settings[i].section, required[r][0]) ==
			            0 &&
			    strcmp(hs_settings[i].key, required[r][1]) == 0)
				found++;
		if (found != 1)
			fail_msg("[%s] %s: %zu entries in the table, want 1",
			         required[r][0], required[r][1], found);
	}
}

static void a_good_file_sets_what_it_says(void **state)
{
	(void)state;
	hs_config cfg;
	hs_config_defaults(&cfg);
	char err[512] = "";
	const char *text = "# headsup settings\n"
	                   "; another comment\n"
	                   "\n"
	                   "[alerts]\n"
	                   "  sustain_s=45   # seconds\n"
	                   "cooldown_s = 120 ; two minutes\n"
	                   "notify = \"terminal\"\n"
	                   "[ monitor ]\r\n"
	                   "source = \"/home/me/clip #2.avi\"\n"
	                   "camera_width = 1280\n"
	                   "rate_hz = 1.5e0\n";
	assert_int_equal(parse_text(&cfg, text, err, sizeof err), 0);
	assert_true(cfg.sustain_s == 45.0);
	assert_true(cfg.cooldown_s == 120.0);
	assert_string_equal(cfg.notify, "terminal");
	assert_string_equal(cfg.source, "/home/me/clip #2.avi");
	assert_int_equal(cfg.camera_width, 1280);
	assert_true(cfg.rate_hz == 1.5);
	/* Untouched settings keep their defaults. */
	assert_true(cfg.looking_down_enter_deg == 15.0);
	assert_int_equal(cfg.camera_height, 480);

	/* A state may be left at the value that enters it. */
	hs_config_defaults(&cfg);
	assert_int_equal(parse_text(&cfg,
	                            "[posture]\nlooking_down_enter_deg = 12\n"
	                            "looking_down_exit_deg = 12\n",
	                            err, sizeof err),
	                 0);
	assert_true(cfg.looking_down_enter_deg == 12.0);
	assert_true(cfg.looking_down_exit_deg == 12.0);

	/* Saved by an editor that starts the file with a byte-order mark
	 * and ends lines with CR LF. */
	hs_config_defaults(&cfg);
	assert_int_equal(
	        parse_text(&cfg, "\xEF\xBB\xBF[alerts]\r\nsustain_s = 50\r\n",
	                   err, sizeof err),
	        0);
	assert_true(cfg.sustain_s == 50.0);
	/* Only at the very start: elsewhere it is not a key. */
	assert_int_equal(parse_text(&cfg,
	                            "[alerts]\n\xEF\xBB\xBFsustain_s = 50\n",
	                            err, sizeof err),
	                 HS_ECONFIG);
	assert_non_null(strstr(err, "test.ini:2:"));
}

/* Parsing text (case i of a table) is refused with exactly message, and
 * all or nothing: the config is as it was, even the lines before. */
static void assert_refused(size_t i, const char *text, const char *message)
{
	hs_config cfg, before;
	hs_config_defaults(&cfg);
	cfg.cooldown_s = 77.0; /* not a default: must survive */
	before = cfg;
	char err[512] = "";
	int rc = parse_text(&cfg, text, err, sizeof err);
	if (rc != HS_ECONFIG || strcmp(err, message) != 0)
		fail_msg("case %zu: rc %d, message\n  got  '%s'\n  want '%s'",
		         i, rc, err, message);
	assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void bad_files_name_the_line_the_key_and_the_range(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "[alerts]\nsustain_s = abc\n",
		  "test.ini:2: alerts.sustain_s: 'abc' is not a number "
		  "(allowed: 1 to 7200)" },
		{ "[alerts]\ncooldown_s = 5\nsustain_s = 12x\n",
		  "test.ini:3: alerts.sustain_s: '12x' is not a number "
		  "(allowed: 1 to 7200)" },
		{ "[alerts]\nsustain_s =\n",
		  "test.ini:2: alerts.sustain_s: '' is not a number (allowed: "
		  "1 to 7200)" },
		{ "[alerts]\nsustain_s = nan\n",
		  "test.ini:2: alerts.sustain_s: 'nan' is not a number "
		  "(allowed: 1 to 7200)" },
		{ "[alerts]\nsustain_s = inf\n",
		  "test.ini:2: alerts.sustain_s: 'inf' is not a number "
		  "(allowed: 1 to 7200)" },
		{ "[alerts]\nsustain_s = 0x10\n",
		  "test.ini:2: alerts.sustain_s: '0x10' is not a number "
		  "(allowed: 1 to 7200)" },
		{ "[alerts]\nsustain_s = 1e999\n",
		  "test.ini:2: alerts.sustain_s: '1e999' is out of range "
		  "(allowed: 1 to 7200)" },
		{ "[alerts]\nsustain_s = 0\n",
		  "test.ini:2: alerts.sustain_s: 0 is out of range (allowed: 1 "
		  "to 7200)" },
		{ "[alerts]\nsustain_s = 7200.5\n",
		  "test.ini:2: alerts.sustain_s: 7200.5 is out of range "
		  "(allowed: 1 to 7200)" },
		{ "[monitor]\ncamera_width = 640.5\n",
		  "test.ini:2: monitor.camera_width: '640.5' is not a whole "
		  "number (allowed: 160 to 3840)" },
		{ "[monitor]\ncamera_width = 99999999999999999999999\n",
		  "test.ini:2: monitor.camera_width: '99999999999999999999999' "
		  "is out of range (allowed: 160 to 3840)" },
		{ "[monitor]\ncamera_width = 100\n",
		  "test.ini:2: monitor.camera_width: 100 is out of range "
		  "(allowed: 160 to 3840)" },
		{ "\n[monitor]\ncamera_width = 99999\n",
		  "test.ini:3: monitor.camera_width: 99999 is out of range "
		  "(allowed: 160 to 3840)" },
		{ "[alerts]\nnotify = email\n",
		  "test.ini:2: alerts.notify: 'email' is not allowed (allowed: "
		  "auto, desktop or terminal)" },
		{ "\n[alerts]\nsource = x\n",
		  "test.ini:3: unknown key 'source' in [alerts]; it belongs in "
		  "[monitor]" },
		{ "[alerts]\nsustain = 30\n",
		  "test.ini:2: unknown key 'sustain' in [alerts] (known: "
		  "sustain_s, cooldown_s, snooze_min, notify)" },
		{ "[alert]\nsustain_s = 30\n",
		  "test.ini:1: unknown section [alert] (known: monitor, pose, "
		  "posture, alerts, journal, calibration)" },
		{ "sustain_s = 30\n", "test.ini:1: 'sustain_s' is outside any "
		                      "section; put it under [alerts]" },
		{ "[alerts]\nsustain_s 30\n",
		  "test.ini:2: expected 'key = value' or '[section]', got "
		  "'sustain_s 30'" },
		{ "[alerts\n",
		  "test.ini:1: expected '[section]', got '[alerts'" },
		{ "[monitor]\nsource = \"/tmp/x\n",
		  "test.ini:2: monitor.source: unmatched '\"' in value" },
		{ "[posture]\nlooking_down_enter_deg = 8\n",
		  "test.ini:2: posture.looking_down_exit_deg = 10 is above "
		  "posture.looking_down_enter_deg = 8; a state must be left "
		  "below "
		  "the value that enters it" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_refused(i, cases[i].text, cases[i].message);
}

/* A key written twice in one file is refused, naming both lines, rather
 * than the later line silently winning: the user may well be editing the
 * first one and wondering why nothing changes. */
static void a_key_set_twice_names_both_lines(void **state)
{
	(void)state;
	static const struct {
		const char *text, *message;
	} cases[] = {
		/* Twice in one section. */
		{ "[alerts]\nsustain_s = 5\ncooldown_s = 60\nsustain_s = 6\n",
		  "test.ini:4: [alerts] sustain_s is already set at line 2; "
		  "keep only one of the two" },
		/* The same section header twice, the key under each. */
		{ "# mine\n[alerts]\nsustain_s = 5\n\n[monitor]\nrate_hz = "
		  "1\n[alerts]\nsustain_s = 6\n",
		  "test.ini:8: [alerts] sustain_s is already set at line 3; "
		  "keep only one of the two" },
		/* Even with the same value, and spelt differently. */
		{ "[monitor]\nsource = /dev/video2\nsource=\"/dev/video2\"\n",
		  "test.ini:3: [monitor] source is already set at line 2; "
		  "keep only one of the two" },
		/* Said before anything about the second value. */
		{ "[alerts]\nsustain_s = 5\nsustain_s = abc\n",
		  "test.ini:3: [alerts] sustain_s is already set at line 2; "
		  "keep only one of the two" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_refused(i, cases[i].text, cases[i].message);

	/* The same key name in two sections is two settings, and a section
	 * may come back for other keys. */
	hs_config cfg;
	hs_config_defaults(&cfg);
	char err[512] = "";
	assert_int_equal(parse_text(&cfg,
	                            "[alerts]\nsustain_s = 5\n[monitor]\n"
	                            "rate_hz = 1\n[alerts]\ncooldown_s = 9\n",
	                            err, sizeof err),
	                 0);
	assert_true(cfg.sustain_s == 5.0);
	assert_true(cfg.cooldown_s == 9.0);
	assert_true(cfg.rate_hz == 1.0);
}

/* `headsup run` with such a file: status 2, the file and both lines, and
 * nothing started (no journal, lock or socket), as for an unknown key; a
 * --set of the same key does not excuse the file. */
static void run_refuses_a_file_with_a_key_set_twice(void **state)
{
	(void)state;
	char out[8192], want[512];
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_write(&e, "config/headsup/config.ini",
	                "[alerts]\nsustain_s = 5\n[pose]\nfov_deg = 70\n"
	                "[alerts]\nsustain_s = 6\n");
	static const char *const args[] = {
		"run --source x.avi",
		"run --source x.avi --set sustain_s=7",
	};
	for (size_t i = 0; i < sizeof args / sizeof args[0]; i++) {
		assert_int_equal(hs_runenv_run(&e, args[i], out, sizeof out),
		                 2);
		hs_runenv_fmt(want, sizeof want,
		              "%s/config/headsup/config.ini:6: [alerts] "
		              "sustain_s is already set at line 2",
		              e.dir);
		assert_non_null(strstr(out, want));
		hs_runenv_fmt(want, sizeof want,
		              "find '%s/data' '%s/run' -mindepth 1", e.dir,
		              e.dir);
		assert_int_equal(hs_test_run(want, out, sizeof out), 0);
		assert_string_equal(out, "");
	}
	/* The same with --config FILE. */
	hs_runenv_write(&e, "other.ini",
	                "[alerts]\nnotify = terminal\nnotify = desktop\n");
	assert_int_equal(hs_runenv_run(&e,
	                               "run --config other.ini --source x.avi",
	                               out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "other.ini:3: [alerts] notify is already "
	                            "set at line 2"));
	hs_runenv_free(&e);
}

static void odd_bytes_are_errors_not_crashes(void **state)
{
	(void)state;
	hs_config cfg;
	hs_config_defaults(&cfg);
	char err[512] = "";
	static const char nul[] = "[alerts]\nsustain_s = 3\0 0\n";
	FILE *in = fmemopen((void *)(uintptr_t)nul, sizeof nul - 1, "r");
	assert_non_null(in);
	assert_int_equal(hs_config_parse(&cfg, in, "n.ini", err, sizeof err),
	                 HS_ECONFIG);
	fclose(in);
	assert_string_equal(err, "n.ini:2: line holds a NUL byte");

	/* A value one byte too long for the struct. */
	size_t n = HS_CONFIG_STR_MAX;
	char *text = malloc(n + 32);
	assert_non_null(text);
	int len = snprintf(text, n + 32, "[monitor]\nsource = ");
	memset(text + len, 'a', n);
	text[(size_t)len + n] = '\0';
	assert_int_equal(parse_text(&cfg, text, err, sizeof err), HS_ECONFIG);
	assert_string_equal(err,
	                    "test.ini:2: monitor.source: value is 512 bytes "
	                    "long (allowed: at most 511)");
	free(text);
	/* A "line" that never ends, as /dev/zero gives: refused once it is
	 * too long for any setting, not read into memory whole. */
	FILE *zero = fopen("/dev/zero", "r");
	assert_non_null(zero);
	assert_int_equal(
	        hs_config_parse(&cfg, zero, "/dev/zero", err, sizeof err),
	        HS_ECONFIG);
	fclose(zero);
	assert_non_null(strstr(err, "/dev/zero:1: line is longer than"));
	/* A tiny error buffer truncates but still terminates. */
	char small[8];
	assert_int_equal(parse_text(&cfg, "[x]\n", small, sizeof small),
	                 HS_ECONFIG);
	assert_string_equal(small, "test.in");
}

/* Every number headsup is given is read one way: the settings file,
 * --set, the baseline file and the options of analyze and report.  A
 * blank, hex or a word is refused wherever it is typed. */
static void numbers_are_read_alike_everywhere(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool integer;
		int rc;
		double v;
	} cases[] = {
		{ "2", false, 0, 2 },
		{ "+2.5", false, 0, 2.5 },
		{ "-0.5e1", false, 0, -5 },
		{ "07", true, 0, 7 },
		{ "-3", true, 0, -3 },
		{ " 2", false, HS_EINVAL, 0 },
		{ "2 ", false, HS_EINVAL, 0 },
		{ "0x10", false, HS_EINVAL, 0 },
		{ "inf", false, HS_EINVAL, 0 },
		{ "nan", false, HS_EINVAL, 0 },
		{ "", false, HS_EINVAL, 0 },
		{ "2.5", true, HS_EINVAL, 0 },
		{ "1e3", true, HS_EINVAL, 0 },
		{ "--2", false, HS_EINVAL, 0 },
		{ "1e999", false, HS_ERANGE, 0 },
		{ "99999999999999999999", true, HS_ERANGE, 0 },
		/* found by fuzz_config: LONG_MAX made a double that did not
		 * convert back to a long */
		{ "9223372036854775807", true, HS_ERANGE, 0 },
		{ "9007199254740992", true, 0, 9007199254740992.0 },
		{ "-9007199254740993", true, HS_ERANGE, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double v = -42;
		int rc = hs_config_number(cases[i].text, cases[i].integer, &v);
		if (rc != cases[i].rc)
			fail_msg("'%s': %d, want %d", cases[i].text, rc,
			         cases[i].rc);
		assert_true(rc == 0 ? v == cases[i].v : v == -42);
	}
}

static void defaults_then_file_then_command_line(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 32], sub[PATH_MAX + 32];
	char err[512] = "";
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/mine.ini", dir);
	write_file(path, "[alerts]\nsustain_s = 45\ncooldown_s = 60\n");

	hs_config cfg;
	memset(&cfg, 0x55, sizeof cfg); /* load starts from the defaults */
	assert_int_equal(hs_config_load(&cfg, path, err, sizeof err), 0);
	assert_true(cfg.sustain_s == 45.0);
	assert_true(cfg.cooldown_s == 60.0);
	assert_true(cfg.rate_hz == 2.0);
	assert_int_equal(
	        hs_config_set(&cfg, "sustain_s", "10", err, sizeof err), 0);
	assert_int_equal(
	        hs_config_set(&cfg, "monitor.rate_hz", "4", err, sizeof err),
	        0);
	assert_true(cfg.sustain_s == 10.0);
	assert_true(cfg.cooldown_s == 60.0);
	assert_true(cfg.rate_hz == 4.0);

	/* Command-line mistakes name the setting. */
	hs_config before = cfg;
	assert_int_equal(
	        hs_config_set(&cfg, "monitor.sustain_s", "3", err, sizeof err),
	        HS_ECONFIG);
	assert_string_equal(err,
	                    "unknown setting 'monitor.sustain_s': "
	                    "sustain_s is in [alerts] ('alerts.sustain_s', "
	                    "or just 'sustain_s')");
	assert_int_equal(
	        hs_config_set(&cfg, "susatin_s", "45", err, sizeof err),
	        HS_ECONFIG);
	assert_string_equal(err, "unknown setting 'susatin_s'; did you mean "
	                         "'sustain_s'? ('run --help' lists the "
	                         "settings)");
	assert_int_equal(hs_config_set(&cfg, "banana", "1", err, sizeof err),
	                 HS_ECONFIG);
	assert_string_equal(err, "unknown setting 'banana' ('run --help' lists "
	                         "the settings)");
	/* Numbers too large for a double are out of range, not "no
	 * number". */
	assert_int_equal(
	        hs_config_set(&cfg, "sustain_s", "1e309", err, sizeof err),
	        HS_ECONFIG);
	assert_string_equal(err, "alerts.sustain_s: '1e309' is out of range "
	                         "(allowed: 1 to 7200)");
	assert_int_equal(hs_config_set(&cfg, "camera_width",
	                               "99999999999999999999", err, sizeof err),
	                 HS_ECONFIG);
	assert_non_null(strstr(err, "is out of range"));
	assert_int_equal(
	        hs_config_set(&cfg, "rate_hz", "fast", err, sizeof err),
	        HS_ECONFIG);
	assert_string_equal(err, "monitor.rate_hz: 'fast' is not a number "
	                         "(allowed: 0.1 to 30)");
	assert_memory_equal(&cfg, &before, sizeof cfg);
	/* Overrides may pass through a broken pair; the check sees it. */
	assert_int_equal(hs_config_set(&cfg, "looking_down_exit_deg", "20", err,
	                               sizeof err),
	                 0);
	assert_int_equal(hs_config_check(&cfg, err, sizeof err), HS_ECONFIG);
	assert_string_equal(err, "posture.looking_down_exit_deg = 20 is above "
	                         "posture.looking_down_enter_deg = 15; a state "
	                         "must be left below the value that enters it");

	/* Without --config: $XDG_CONFIG_HOME/headsup/config.ini if present. */
	setenv("XDG_CONFIG_HOME", dir, 1);
	hs_config_defaults(&before);
	assert_int_equal(hs_config_load(&cfg, NULL, err, sizeof err), 0);
	assert_memory_equal(&cfg, &before, sizeof cfg);
	snprintf(sub, sizeof sub, "%s/headsup", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof sub, "%s/headsup/config.ini", dir);
	write_file(sub, "[pose]\nfov_deg = 70\n");
	assert_int_equal(hs_config_load(&cfg, NULL, err, sizeof err), 0);
	assert_true(cfg.fov_deg == 70.0);
	write_file(sub, "[pose]\nfov_deg = 7\n");
	before = cfg;
	assert_int_equal(hs_config_load(&cfg, NULL, err, sizeof err),
	                 HS_ECONFIG);
	char want[PATH_MAX + 128];
	snprintf(want, sizeof want,
	         "%s:2: pose.fov_deg: 7 is out of range (allowed: 20 to 150)",
	         sub);
	assert_string_equal(err, want);
	assert_memory_equal(&cfg, &before, sizeof cfg);

	/* --set reads a value as the file's line would be read. */
	char value[64] = "  \"terminal\"  # for now";
	assert_string_equal(hs_config_value_as_in_file(value), "terminal");
	snprintf(value, sizeof value, "clip#2.avi ; the second");
	assert_string_equal(hs_config_value_as_in_file(value), "clip#2.avi");
	snprintf(value, sizeof value, "\"half");
	assert_null(hs_config_value_as_in_file(value));

	/* The default file a link to nothing (dotfiles moved): said, not
	 * taken for "no settings". */
	char to[PATH_MAX + 32];
	snprintf(to, sizeof to, "%s/dotfiles/headsup.ini", dir);
	assert_int_equal(unlink(sub), 0);
	assert_int_equal(symlink(to, sub), 0);
	assert_int_equal(hs_config_load(&cfg, NULL, err, sizeof err),
	                 HS_ECONFIG);
	char said[2 * PATH_MAX + 160];
	snprintf(said, sizeof said,
	         "cannot open config '%s': it links to '%s', which is not "
	         "there",
	         sub, to);
	assert_string_equal(err, said);
	assert_int_equal(unlink(sub), 0);

	/* $XDG_CONFIG_HOME too long to make a path of: the user's settings
	 * are somewhere, so that is said, not run on the defaults. */
	char *deep = malloc(PATH_MAX + 64);
	assert_non_null(deep);
	memset(deep, 'a', PATH_MAX + 63);
	deep[0] = '/';
	deep[PATH_MAX + 63] = '\0';
	setenv("XDG_CONFIG_HOME", deep, 1);
	free(deep);
	assert_int_equal(hs_config_load(&cfg, NULL, err, sizeof err),
	                 HS_ECONFIG);
	assert_non_null(strstr(err, "$XDG_CONFIG_HOME (or $HOME) makes too "
	                            "long a path"));
	setenv("XDG_CONFIG_HOME", dir, 1);

	/* An explicit file must exist. */
	snprintf(path, sizeof path, "%s/missing.ini", dir);
	assert_int_equal(hs_config_load(&cfg, path, err, sizeof err),
	                 HS_ECONFIG);
	snprintf(want, sizeof want,
	         "cannot open config '%s': No such file or directory", path);
	assert_string_equal(err, want);
	/* A folder given as the config is an error too, not an empty file. */
	assert_int_equal(hs_config_load(&cfg, dir, err, sizeof err),
	                 HS_ECONFIG);
	snprintf(want, sizeof want, "cannot open config '%s': Is a directory",
	         dir);
	assert_string_equal(err, want);
	unsetenv("XDG_CONFIG_HOME");
	hs_test_rmtree(dir);
}

static void help_lists_every_setting_within_80_columns(void **state)
{
	(void)state;
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	assert_non_null(out);
	hs_config_print_help(out);
	assert_int_equal(fclose(out), 0);
	for (size_t i = 0; i < hs_setting_count; i++) {
		char want[128];
		snprintf(want, sizeof want, "[%s]", hs_settings[i].section);
		assert_non_null(strstr(text, want));
		snprintf(want, sizeof want, " %s = ", hs_settings[i].key);
		if (!strstr(text, want))
			fail_msg("help does not show '%s'", want);
	}
	assert_non_null(strstr(text, "sustain_s = 30.0"));
	assert_non_null(strstr(text, "(1 to 7200)"));
	/* Settings a reload cannot change say so, and only those: the
	 * source, the camera, the models and the notifier. */
	int at_start = 0;
	for (size_t i = 0; i < hs_setting_count; i++) {
		const char *k = hs_settings[i].key;
		const bool want = !strcmp(k, "source") ||
		                  !strncmp(k, "camera_", 7) ||
		                  !strcmp(k, "fov_deg") ||
		                  !strcmp(k, "model") || !strcmp(k, "notify");
		if (hs_setting_at_start(&hs_settings[i]) != want)
			fail_msg("'%s' is%s read only at start", k,
			         want ? " not" : "");
		at_start += want;
	}
	/* The help as one line of words, however it was wrapped. */
	char *flat = strdup(text), *w = flat;
	assert_non_null(flat);
	for (const char *r = text; *r; r++)
		if (!(*r == '\n' || *r == ' ') || (w > flat && w[-1] != ' '))
			*w++ = *r == '\n' ? ' ' : *r;
	*w = '\0';
	int marks = 0;
	for (const char *p = flat;
	     (p = strstr(p, "read when the monitor starts (a reload keeps "
	                    "the old value)"));
	     p++)
		marks++;
	free(flat);
	assert_int_equal(marks, at_start);
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len > 80)
			fail_msg("help line of %zu columns: %.*s", len,
			         (int)len, line);
		line += len + (nl ? 1 : 0);
	}
	free(text);
}

/* A reload (SIGHUP) takes new thresholds at once, but keeps the source,
 * the camera and the field of view the monitor started with, and names
 * what it kept so the user knows to restart. */
static void a_reload_keeps_what_is_read_only_at_start(void **state)
{
	(void)state;
	hs_config old, cfg;
	char names[256];
	hs_config_defaults(&old);
	cfg = old;
	hs_config_keep_start(&cfg, &old, names, sizeof names);
	assert_string_equal(names, "");

	snprintf(cfg.source, sizeof cfg.source, "/dev/video4");
	cfg.fov_deg = old.fov_deg + 10;
	cfg.camera_width = old.camera_width * 2;
	cfg.sustain_s = old.sustain_s + 15;
	hs_config_keep_start(&cfg, &old, names, sizeof names);
	assert_string_equal(cfg.source, old.source);
	assert_true(cfg.fov_deg == old.fov_deg);
	assert_int_equal(cfg.camera_width, old.camera_width);
	assert_true(cfg.sustain_s == old.sustain_s + 15); /* taken at once */
	assert_string_equal(names, "[monitor] source, [monitor] camera_width, "
	                           "[pose] fov_deg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_default_lies_within_its_own_range),
		cmocka_unit_test(the_table_holds_every_required_setting),
		cmocka_unit_test(a_good_file_sets_what_it_says),
		cmocka_unit_test(bad_files_name_the_line_the_key_and_the_range),
		cmocka_unit_test(a_key_set_twice_names_both_lines),
		cmocka_unit_test(run_refuses_a_file_with_a_key_set_twice),
		cmocka_unit_test(odd_bytes_are_errors_not_crashes),
		cmocka_unit_test(numbers_are_read_alike_everywhere),
		cmocka_unit_test(defaults_then_file_then_command_line),
		cmocka_unit_test(help_lists_every_setting_within_80_columns),
		cmocka_unit_test(a_reload_keeps_what_is_read_only_at_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

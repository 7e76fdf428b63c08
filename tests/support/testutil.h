/* testutil.h - small helpers shared by the cmocka tests and benchmarks. */
#ifndef HEADSUP_TESTUTIL_H
#define HEADSUP_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Path of a file under ../shared/fixtures into buf; false (after printing
 * why) when the fixtures folder is not there.  Tests call skip() then. */
bool hs_test_fixture(const char *rel, char *buf, size_t size);

/* Make a fresh private temporary folder; returns its path (static buffer
 * per call site is the caller's: buf). */
void hs_test_tmpdir(char *buf, size_t size);

/* Remove a folder tree made by hs_test_tmpdir(). */
void hs_test_rmtree(const char *dir);

/* A cmocka setup and teardown giving each test a fresh temporary folder
 * ("/tmp/headsup-test-XXXXXX"), its path in hs_test_tmp. */
extern char hs_test_tmp[64];
int hs_test_tmp_setup(void **state);
int hs_test_tmp_teardown(void **state);

/* Run a shell command, capture up to size-1 bytes of its stdout into out
 * (may be NULL) and return its exit status (-1 when it did not exit). */
int hs_test_run(const char *cmd, char *out, size_t size);

/* Send this process's stderr into the file at path (made or emptied)
 * until hs_test_stderr_end(); returns what to give that, or -1. */
int hs_test_stderr_begin(const char *path);
/* Put stderr back and read what went to path into got (size-1 bytes at
 * most, NUL-terminated). */
void hs_test_stderr_end(int saved, const char *path, char *got, size_t size);

/* A cmocka group setup: local time is Europe/Berlin (UTC+1, UTC+2 in
 * summer), where the tests' days and clock changes are written. */
int hs_test_tz_berlin(void **state);
/* Local time is zone ("Pacific/Apia") when the time zone database has
 * it; false, TZ unchanged, when not (the caller skips loudly).  Give the
 * test hs_test_tz_berlin as its teardown. */
bool hs_test_tz(const char *zone);

/* The headsup binary under test ($HEADSUP_BIN, else the build tree's). */
const char *hs_test_bin(void);

struct hs_pose;
/* The pose a camera turned camera_roll_deg about its optical axis (+ =
 * clockwise on screen) reads of a head at pose level (as a level camera
 * reads it): the head's rotation pre-multiplied by Rz(camera_roll_deg),
 * composed here by hand rather than by the code under test. */
void hs_test_pose_tilted(const struct hs_pose *level, double camera_roll_deg,
                         struct hs_pose *seen);

/* Is |a - b| <= eps?  When not, prints "line <line>: <expr> = a, want b
 * (within eps)" and returns false.  For assert_near(). */
bool hs_test_near(double a, double b, double eps, const char *expr, int line);

/* cmocka's assert_float_equal() compares floats; these are doubles.  For
 * files that include <cmocka.h> (fail() is cmocka's). */
#define assert_near(a, b, eps)                                    \
	do {                                                      \
		if (!hs_test_near((a), (b), (eps), #a, __LINE__)) \
			fail();                                   \
	} while (0)

/* Skip the cmocka test, saying why on stderr ("SKIPPED: ..."), so that
 * the suite's summary can list it.  For files that include <cmocka.h>. */
#define SKIP_LOUDLY(...)                                  \
	do {                                              \
		fprintf(stderr, "SKIPPED: " __VA_ARGS__); \
		fputc('\n', stderr);                      \
		skip();                                   \
		return;                                   \
	} while (0)

#endif

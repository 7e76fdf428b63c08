/* test_paths.c - where headsup keeps things: the folders it makes for the
 * user's data, state and runtime files. */
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
#include <unistd.h>

#include "headsup/calibration.h"
#include "headsup/err.h"
#include "headsup/journal.h"
#include "headsup/lock.h"
#include "headsup/paths.h"
#include "testutil.h"

/* The mode bits of path, or -1 when it is not there. */
static int mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* Every folder from hs_test_tmp down to path (hs_test_tmp not included) has
 * mode 0700. */
static void assert_private_down_to(const char *path)
{
	char part[PATH_MAX];
	snprintf(part, sizeof part, "%s", path);
	size_t keep = strlen(hs_test_tmp);
	for (char *p = part + keep + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mode_of(part) != 0700)
			fail_msg("folder '%s' has mode %04o, want 0700", part,
			         (unsigned)mode_of(part));
		*p = c;
		if (c == '\0')
			break;
	}
}

/* The folder made, and each parent made on the way, is private (0700) to
 * the user: not more open under a permissive umask (000, 022), nor closed
 * to the user under a strange one (0277 would leave 0500, where nothing
 * can be written).  A folder already there is left as it is. */
static void made_folders_are_private_whatever_the_umask(void **state)
{
	(void)state;
	static const mode_t masks[] = { 0000, 0022, 0077, 0277 };
	for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s/u%04o/home/.local/share/headsup",
		         hs_test_tmp, (unsigned)masks[i]);
		const mode_t old = umask(masks[i]);
		int rc = hs_path_mkdirs(dir, 0700);
		umask(old);
		assert_int_equal(rc, 0);
		assert_private_down_to(dir);
	}

	char home[128], dir[PATH_MAX];
	snprintf(home, sizeof home, "%s/mine", hs_test_tmp);
	assert_int_equal(mkdir(home, 0700), 0);
	assert_int_equal(chmod(home, 0755), 0);
	snprintf(dir, sizeof dir, "%s/.local/state/headsup", home);
	const mode_t old = umask(0);
	int rc = hs_path_mkdirs(dir, 0700);
	umask(old);
	assert_int_equal(rc, 0);
	assert_int_equal(mode_of(home), 0755);
	assert_int_equal(mode_of(dir), 0700);
	snprintf(dir, sizeof dir, "%s/.local", home);
	assert_int_equal(mode_of(dir), 0700);
}

/* What the monitor and calibrate make, through their own entry points,
 * under a umask that would leave folders open to everyone: the journal's
 * folder (data), the baseline's (state) and the lock's (runtime), each
 * with the parents made for it. */
static void the_users_folders_are_private_under_umask_000(void **state)
{
	(void)state;
	char journal[PATH_MAX], cal[PATH_MAX], lock_path[PATH_MAX];
	snprintf(journal, sizeof journal,
	         "%s/home/.local/share/headsup/"
	         "journal.db",
	         hs_test_tmp);
	snprintf(cal, sizeof cal,
	         "%s/home/.local/state/headsup/"
	         "calibration.ini",
	         hs_test_tmp);
	snprintf(lock_path, sizeof lock_path, "%s/run/headsup/run.lock",
	         hs_test_tmp);
	char err[512] = "";
	hs_journal *j = NULL;
	hs_lock *lock = NULL;
	const mode_t old = umask(0);
	int rc_journal = hs_journal_open(journal, NULL, &j);
	int rc_cal = hs_calibration_check_writable(cal, err, sizeof err);
	int rc_lock = hs_lock_acquire(lock_path, &lock, NULL);
	umask(old);
	hs_journal_close(j);
	hs_lock_release(lock);
	assert_int_equal(rc_journal, 0);
	assert_int_equal(rc_cal, 0);
	assert_int_equal(rc_lock, 0);
	*strrchr(journal, '/') = '\0';
	*strrchr(cal, '/') = '\0';
	*strrchr(lock_path, '/') = '\0';
	assert_private_down_to(journal);
	assert_private_down_to(cal);
	assert_private_down_to(lock_path);
}

/* Under a umask that takes even the owner's write bit (0277), the journal
 * and the lock file are still made 0600: 0400 would lock the user out of
 * them at the next start. */
static void the_users_files_are_0600_whatever_the_umask(void **state)
{
	(void)state;
	char journal[PATH_MAX], lock_path[PATH_MAX];
	snprintf(journal, sizeof journal, "%s/data/journal.db", hs_test_tmp);
	snprintf(lock_path, sizeof lock_path, "%s/run/headsup/run.lock",
	         hs_test_tmp);
	hs_journal *j = NULL;
	hs_lock *lock = NULL;
	const mode_t old = umask(0277);
	int rc_journal = hs_journal_open(journal, NULL, &j);
	int rc_lock = hs_lock_acquire(lock_path, &lock, NULL);
	umask(old);
	assert_int_equal(rc_journal, 0);
	assert_int_equal(rc_lock, 0);
	assert_int_equal(hs_journal_close(j), 0);
	hs_lock_release(lock);
	assert_int_equal(mode_of(journal), 0600);
	assert_int_equal(mode_of(lock_path), 0600);
	/* A file already there keeps the mode it has. */
	assert_int_equal(chmod(lock_path, 0644), 0);
	assert_int_equal(hs_lock_acquire(lock_path, &lock, NULL), 0);
	hs_lock_release(lock);
	assert_int_equal(mode_of(lock_path), 0644);
}

/* Without an absolute $XDG_DATA_HOME or $HOME there is nowhere to keep
 * the journal; the message says what each variable holds, not only to
 * "set" one that is set. */
static void a_relative_home_is_named(void **state)
{
	(void)state;
	char buf[PATH_MAX];
	assert_int_equal(setenv("XDG_DATA_HOME", "/abs/data", 1), 0);
	assert_int_equal(setenv("HOME", "relhome", 1), 0);
	assert_int_equal(
	        hs_path_xdg(HS_XDG_DATA, "journal.db", buf, sizeof buf), 0);
	assert_string_equal(buf, "/abs/data/headsup/journal.db");

	assert_int_equal(unsetenv("XDG_DATA_HOME"), 0);
	int rc = hs_path_xdg(HS_XDG_DATA, "journal.db", buf, sizeof buf);
	assert_int_equal(rc, HS_ENOENT);
	assert_string_equal(hs_path_xdg_advice(HS_XDG_DATA, rc),
	                    "$HOME ('relhome') is not an absolute path; set "
	                    "$XDG_DATA_HOME or $HOME to an absolute path");

	assert_int_equal(setenv("XDG_STATE_HOME", "state", 1), 0);
	assert_int_equal(unsetenv("HOME"), 0);
	rc = hs_path_xdg(HS_XDG_STATE, NULL, buf, sizeof buf);
	assert_int_equal(rc, HS_ENOENT);
	assert_string_equal(hs_path_xdg_advice(HS_XDG_STATE, rc),
	                    "$XDG_STATE_HOME ('state') is not an absolute "
	                    "path, and $HOME is not set; set $XDG_STATE_HOME "
	                    "or $HOME to an absolute path");

	/* relative XDG values do not count: $HOME's fallback does */
	assert_int_equal(setenv("HOME", "/home/u", 1), 0);
	assert_int_equal(hs_path_xdg(HS_XDG_STATE, NULL, buf, sizeof buf), 0);
	assert_string_equal(buf, "/home/u/.local/state/headsup");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        made_folders_are_private_whatever_the_umask,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        the_users_folders_are_private_under_umask_000,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        the_users_files_are_0600_whatever_the_umask,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
		cmocka_unit_test(a_relative_home_is_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

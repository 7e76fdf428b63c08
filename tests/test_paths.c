/* test_paths.c - where headsup keeps things: the folders it makes for the
 * user's data, state and runtime files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
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

/* Another user's uid for files the test hands over (as root), or skip. */
#define OTHER_UID 65534
#define REQUIRE_ROOT()                                                       \
	do {                                                                 \
		if (geteuid() != 0) {                                        \
			fprintf(stderr, "SKIPPED: giving a file to another " \
			                "user needs root\n");                \
			skip();                                              \
		}                                                            \
	} while (0)

/* A file another user made first where the user's data is to go (a
 * shared folder, /tmp) would let that user read all that is written:
 * refused, judged by the file opened (through a link of the user's too),
 * not by the path.  The user's own file is opened as before. */
static void another_users_file_is_refused(void **state)
{
	(void)state;
	REQUIRE_ROOT();
	char theirs[PATH_MAX], mine[PATH_MAX], link[PATH_MAX];
	snprintf(theirs, sizeof theirs, "%s/theirs.db", hs_test_tmp);
	snprintf(mine, sizeof mine, "%s/mine.db", hs_test_tmp);
	snprintf(link, sizeof link, "%s/link.db", hs_test_tmp);
	FILE *f = fopen(theirs, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(theirs, 0666), 0);
	assert_int_equal(chown(theirs, OTHER_UID, OTHER_UID), 0);
	struct stat st;
	assert_int_equal(hs_path_open_private(theirs, O_RDWR, &st),
	                 HS_ENOTOWNER);
	assert_int_equal(symlink(theirs, link), 0);
	assert_int_equal(hs_path_open_private(link, O_RDWR, NULL),
	                 HS_ENOTOWNER);
	assert_int_equal(stat(theirs, &st), 0);
	assert_int_equal(st.st_uid, OTHER_UID);
	assert_int_equal(st.st_mode & 07777, 0666); /* left as it was */

	int fd = hs_path_open_private(mine, O_RDWR, &st);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(st.st_uid, geteuid());
	fd = hs_path_open_private(mine, O_RDWR, NULL); /* there already */
	assert_true(fd >= 0);
	close(fd);

	char who[96];
	assert_non_null(strstr(hs_path_user_name(OTHER_UID, who, sizeof who),
	                       "uid 65534"));
}

/* A symbolic link planted by another user in a folder others may write
 * (a report's --output in /tmp, pointing at the user's ~/.bashrc) is
 * found, on the last part of the path or on the way; a link of the
 * user's, of the folder's owner, or in a folder only its owner writes is
 * not. */
static void planted_links_are_found(void **state)
{
	(void)state;
	REQUIRE_ROOT();
	char shared[128], closed[128], path[PATH_MAX], link[PATH_MAX],
	        got[PATH_MAX], want[PATH_MAX];
	unsigned owner = 0;
	snprintf(shared, sizeof shared, "%s/shared", hs_test_tmp);
	snprintf(closed, sizeof closed, "%s/closed", hs_test_tmp);
	assert_int_equal(mkdir(shared, 0700), 0);
	assert_int_equal(chmod(shared, 01777), 0);
	assert_int_equal(mkdir(closed, 0755), 0);

	/* The last part. */
	snprintf(link, sizeof link, "%s/report.txt", shared);
	assert_int_equal(symlink("../closed/bashrc", link), 0);
	assert_int_equal(lchown(link, OTHER_UID, OTHER_UID), 0);
	assert_int_equal(hs_path_check_links(link, got, sizeof got, &owner),
	                 HS_ENOTOWNER);
	assert_string_equal(got, link);
	assert_int_equal(owner, OTHER_UID);
	/* Also named relative to the current folder, and without the
	 * sticky bit (which the kernel's own rule needs). */
	assert_int_equal(chmod(shared, 0777), 0);
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(hs_test_tmp), 0);
	got[0] = '\0';
	int rc = hs_path_check_links("./shared/../shared/report.txt", got,
	                             sizeof got, &owner);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, HS_ENOTOWNER);
	assert_string_equal(got, link);

	/* On the way: a planted link to a folder. */
	snprintf(link, sizeof link, "%s/dir", shared);
	assert_int_equal(symlink(closed, link), 0);
	assert_int_equal(lchown(link, OTHER_UID, OTHER_UID), 0);
	snprintf(path, sizeof path, "%s/dir/out.html", shared);
	assert_int_equal(hs_path_check_links(path, got, sizeof got, &owner),
	                 HS_ENOTOWNER);
	assert_string_equal(got, link);

	/* Reached through a link of the user's. */
	snprintf(path, sizeof path, "%s/mine", closed);
	snprintf(want, sizeof want, "%s/report.txt", shared);
	assert_int_equal(symlink(want, path), 0);
	assert_int_equal(hs_path_check_links(path, got, sizeof got, &owner),
	                 HS_ENOTOWNER);
	assert_string_equal(got, want);

	/* Not planted: the user's own link in the shared folder, a link of
	 * the folder's owner, another user's link in a folder nobody else
	 * may write, and a path not there yet. */
	snprintf(link, sizeof link, "%s/own", shared);
	assert_int_equal(symlink("../closed/x", link), 0);
	assert_int_equal(hs_path_check_links(link, got, sizeof got, &owner), 0);
	snprintf(link, sizeof link, "%s/theirs", closed);
	assert_int_equal(symlink("x", link), 0);
	assert_int_equal(lchown(link, OTHER_UID, OTHER_UID), 0);
	assert_int_equal(hs_path_check_links(link, got, sizeof got, &owner), 0);
	assert_int_equal(chown(shared, OTHER_UID, OTHER_UID), 0);
	snprintf(link, sizeof link, "%s/report.txt", shared);
	assert_int_equal(hs_path_check_links(link, got, sizeof got, &owner), 0);
	snprintf(path, sizeof path, "%s/none/at/all", hs_test_tmp);
	assert_int_equal(hs_path_check_links(path, got, sizeof got, &owner), 0);
}

/* What file holds, or "" when it cannot be read. */
static const char *contents(const char *file, char *buf, size_t size)
{
	buf[0] = '\0';
	FILE *f = fopen(file, "r");
	if (f) {
		buf[fread(buf, 1, size - 1, f)] = '\0';
		fclose(f);
	}
	return buf;
}

static void put_file(const char *file, const char *text, mode_t mode)
{
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(file, mode), 0);
}

/* Nothing but the named files in the folder: no temporary file left. */
static void assert_only(const char *dir, size_t n)
{
	char cmd[256], out[64];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, sizeof out, p));
	pclose(p);
	assert_int_equal(strtoul(out, NULL, 10), n);
}

/* A report or a baseline replaced: the new file is private (0600) even
 * over a file others could read, a link to it stays a link, and a write
 * that fails (given up, or a rename that cannot be made) leaves the old
 * content whole and no temporary file behind.  What no rename can replace
 * is refused, or written in place when asked. */
static void a_private_file_is_replaced_whole(void **state)
{
	(void)state;
	char file[PATH_MAX], link[PATH_MAX], dangling[PATH_MAX], buf[64];
	snprintf(file, sizeof file, "%s/report.txt", hs_test_tmp);
	snprintf(link, sizeof link, "%s/link.txt", hs_test_tmp);
	snprintf(dangling, sizeof dangling, "%s/later.txt", hs_test_tmp);
	put_file(file, "old", 0644);
	assert_int_equal(symlink("report.txt", link), 0);

	hs_replace r;
	assert_int_equal(hs_path_replace_begin(&r, link, 0), 0);
	fputs("new", r.f);
	assert_int_equal(hs_path_replace_commit(&r), 0);
	assert_string_equal(contents(file, buf, sizeof buf), "new");
	assert_int_equal(mode_of(file), 0600);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_only(hs_test_tmp, 2);

	/* The caller's write failed: given up. */
	assert_int_equal(hs_path_replace_begin(&r, file, 0), 0);
	fputs("half", r.f);
	hs_path_replace_abort(&r);
	assert_string_equal(contents(file, buf, sizeof buf), "new");
	assert_only(hs_test_tmp, 2);
	/* The rename fails (the temporary file went away). */
	assert_int_equal(hs_path_replace_begin(&r, file, 0), 0);
	fputs("lost", r.f);
	assert_int_equal(unlink(r.tmp), 0);
	assert_int_equal(hs_path_replace_commit(&r), HS_ENOENT);
	assert_string_equal(contents(file, buf, sizeof buf), "new");
	assert_only(hs_test_tmp, 2);

	/* A device, a folder, a link to nothing: refused unless written in
	 * place. */
	assert_int_equal(hs_path_replace_begin(&r, "/dev/null", 0),
	                 HS_ENOTFILE);
	assert_int_equal(hs_path_replace_begin(&r, hs_test_tmp, 0), HS_EISDIR);
	assert_int_equal(symlink("made-later.txt", dangling), 0);
	assert_int_equal(hs_path_replace_begin(&r, dangling, 0), HS_ENOENT);
	assert_int_equal(
	        hs_path_replace_begin(&r, dangling, HS_REPLACE_IN_PLACE), 0);
	assert_string_equal(r.tmp, "");
	fputs("in place", r.f);
	assert_int_equal(hs_path_replace_commit(&r), 0);
	snprintf(file, sizeof file, "%s/made-later.txt", hs_test_tmp);
	assert_string_equal(contents(file, buf, sizeof buf), "in place");
	assert_int_equal(mode_of(file), 0600);
}

/* A link another user planted in a folder others may write, leading to a
 * file of the user's, is not followed: the file keeps its content, and
 * what belongs to whom is given for the message. */
static void a_planted_link_is_not_replaced_through(void **state)
{
	(void)state;
	REQUIRE_ROOT();
	char shared[128], mine[PATH_MAX], link[PATH_MAX], buf[64];
	snprintf(shared, sizeof shared, "%s/shared", hs_test_tmp);
	snprintf(mine, sizeof mine, "%s/bashrc", hs_test_tmp);
	snprintf(link, sizeof link, "%s/report.txt", shared);
	assert_int_equal(mkdir(shared, 0700), 0);
	assert_int_equal(chmod(shared, 01777), 0);
	put_file(mine, "mine", 0644);
	assert_int_equal(symlink(mine, link), 0);
	assert_int_equal(lchown(link, OTHER_UID, OTHER_UID), 0);

	hs_replace r;
	for (unsigned flags = 0; flags <= HS_REPLACE_IN_PLACE; flags++) {
		assert_int_equal(hs_path_replace_begin(&r, link, flags),
		                 HS_ENOTOWNER);
		assert_string_equal(r.link, link);
		assert_int_equal(r.owner, OTHER_UID);
	}
	assert_string_equal(contents(mine, buf, sizeof buf), "mine");
	assert_int_equal(mode_of(mine), 0644);
	assert_only(shared, 1);
}

/* $XDG_RUNTIME_DIR must be a folder of the user's that nobody else may
 * enter (the XDG Base Directory specification): one others may write or
 * look into, or another user's, is passed over for /tmp/headsup-UID, as
 * an unset one is.  One not there yet is used (made private). */
static void an_open_runtime_dir_is_passed_over(void **state)
{
	(void)state;
	char *old = getenv("XDG_RUNTIME_DIR");
	old = old ? strdup(old) : NULL;
	char dir[128], buf[PATH_MAX], used[PATH_MAX], fallback[64], why[256];
	snprintf(dir, sizeof dir, "%s/rt", hs_test_tmp);
	snprintf(used, sizeof used, "%s/headsup/run.lock", dir);
	snprintf(fallback, sizeof fallback, "/tmp/headsup-%u/run.lock",
	         (unsigned)getuid());
	setenv("XDG_RUNTIME_DIR", dir, 1);

	assert_int_equal(
	        hs_path_xdg(HS_XDG_RUNTIME, "run.lock", buf, sizeof buf), 0);
	assert_string_equal(buf, used); /* not there yet */
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(
	        hs_path_xdg(HS_XDG_RUNTIME, "run.lock", buf, sizeof buf), 0);
	assert_string_equal(buf, used);

	static const struct {
		unsigned mode;
		const char *why;
	} open_modes[] = {
		{ 0777, "mode 0777, not 0700, so other users may remove" },
		{ 01777, "mode 1777" },
		{ 0755, "mode 0755, not 0700, so other users may look" },
	};
	for (size_t i = 0; i < sizeof open_modes / sizeof open_modes[0]; i++) {
		assert_int_equal(chmod(dir, open_modes[i].mode), 0);
		assert_int_equal(hs_path_xdg(HS_XDG_RUNTIME, "run.lock", buf,
		                             sizeof buf),
		                 0);
		assert_string_equal(buf, fallback);
		assert_false(hs_path_runtime_dir_ok(dir, why, sizeof why));
		assert_non_null(strstr(why, open_modes[i].why));
	}
	if (geteuid() == 0) {
		assert_int_equal(chmod(dir, 0700), 0);
		assert_int_equal(chown(dir, OTHER_UID, OTHER_UID), 0);
		assert_int_equal(hs_path_xdg(HS_XDG_RUNTIME, "run.lock", buf,
		                             sizeof buf),
		                 0);
		assert_string_equal(buf, fallback);
		assert_false(hs_path_runtime_dir_ok(dir, why, sizeof why));
		assert_non_null(strstr(why, "belongs to"));
		assert_non_null(strstr(why, "uid 65534"));
	}
	if (old)
		setenv("XDG_RUNTIME_DIR", old, 1);
	else
		unsetenv("XDG_RUNTIME_DIR");
	free(old);
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
		cmocka_unit_test_setup_teardown(another_users_file_is_refused,
		                                hs_test_tmp_setup,
		                                hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(planted_links_are_found,
		                                hs_test_tmp_setup,
		                                hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        a_private_file_is_replaced_whole, hs_test_tmp_setup,
		        hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        a_planted_link_is_not_replaced_through,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        an_open_runtime_dir_is_passed_over, hs_test_tmp_setup,
		        hs_test_tmp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

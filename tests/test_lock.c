/* test_lock.c - one monitor per user: the run lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "headsup/err.h"
#include "headsup/lock.h"
#include "testutil.h"

static void read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Start a child that takes the lock and sleeps; returns its pid once it
 * holds the lock. */
static pid_t spawn_holder(const char *path)
{
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		hs_lock *lock = NULL;
		if (hs_lock_acquire(path, &lock, NULL) != 0)
			_exit(1);
		if (write(ready[1], "L", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char c = 0;
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'L');
	close(ready[0]);
	return pid;
}

static void second_run_is_refused_with_the_first_ones_pid(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/runtime/headsup/run.lock", hs_test_tmp);
	pid_t holder = spawn_holder(path);

	hs_lock *lock = (hs_lock *)&holder; /* sentinel: must stay untouched */
	long pid = -1;
	assert_int_equal(hs_lock_acquire(path, &lock, &pid), HS_ELOCKED);
	assert_int_equal(pid, holder);
	assert_ptr_equal(lock, (hs_lock *)&holder);

	/* A holder killed outright leaves its file, not its lock. */
	assert_int_equal(kill(holder, SIGKILL), 0);
	assert_int_equal(waitpid(holder, NULL, 0), holder);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(hs_lock_acquire(path, &lock, &pid), 0);
	assert_ptr_not_equal(lock, (hs_lock *)&holder);

	char text[64], want[64];
	read_file(path, text, sizeof text);
	snprintf(want, sizeof want, "%ld\n", (long)getpid());
	assert_string_equal(text, want);
	hs_lock_release(lock);
}

static void files_are_private(void **state)
{
	(void)state;
	char path[256], dir[128];
	snprintf(dir, sizeof dir, "%s/headsup", hs_test_tmp);
	snprintf(path, sizeof path, "%s/run.lock", dir);
	assert_int_equal(mkdir(dir, 0755), 0); /* too open: gets tightened */
	hs_lock *lock = NULL;
	assert_int_equal(hs_lock_acquire(path, &lock, NULL), 0);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	hs_lock_release(lock);
}

static void stale_file_of_a_dead_process_does_not_block(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/run.lock", hs_test_tmp);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("4194303\n", f);
	fclose(f);
	hs_lock *lock = NULL;
	assert_int_equal(hs_lock_acquire(path, &lock, NULL), 0);
	hs_lock_release(lock);
	/* Released: the next run gets it, and the stale pid is gone. */
	assert_int_equal(hs_lock_acquire(path, &lock, NULL), 0);
	hs_lock_release(lock);
	char text[64];
	read_file(path, text, sizeof text);
	assert_string_equal(text, "");
	hs_lock_release(NULL);
}

static void same_process_cannot_take_it_twice(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/run.lock", hs_test_tmp);
	hs_lock *first = NULL, *second = NULL;
	assert_int_equal(hs_lock_acquire(path, &first, NULL), 0);
	long pid = 0;
	assert_int_equal(hs_lock_acquire(path, &second, &pid), HS_ELOCKED);
	assert_null(second);
	assert_int_equal(pid, getpid());
	hs_lock_release(first);
}

static void symlinked_folder_is_refused(void **state)
{
	(void)state;
	char real[128], link[128], path[256];
	snprintf(real, sizeof real, "%s/real", hs_test_tmp);
	snprintf(link, sizeof link, "%s/link", hs_test_tmp);
	snprintf(path, sizeof path, "%s/run.lock", link);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, link), 0);
	hs_lock *lock = NULL;
	assert_int_equal(hs_lock_acquire(path, &lock, NULL), HS_EACCES);
	assert_null(lock);
}

/* Without $XDG_RUNTIME_DIR the lock and the socket go to
 * /hs_test_tmp/headsup-UID, in a folder every user may write to; 'shared'
 * stands for /hs_test_tmp (mode 1777), and dir (PATH_MAX bytes) gets
 * "<shared>/headsup-UID". */
static void shared_runtime_dir(char *dir)
{
	char shared[96];
	snprintf(shared, sizeof shared, "%s/tmp", hs_test_tmp);
	assert_int_equal(mkdir(shared, 0700), 0);
	assert_int_equal(chmod(shared, 01777), 0);
	snprintf(dir, PATH_MAX, "%s/headsup-%u", shared, (unsigned)getuid());
}

/* hs_lock_acquire() in dir, refused: HS_EACCES, an error that names dir
 * and says 'why', and no file made there. */
static void assert_refused(const char *dir, const char *why)
{
	char path[PATH_MAX + 16], log[PATH_MAX], got[1024];
	snprintf(path, sizeof path, "%s/run.lock", dir);
	snprintf(log, sizeof log, "%s/stderr", hs_test_tmp);
	hs_lock *lock = NULL;
	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	int rc = hs_lock_acquire(path, &lock, NULL);
	hs_test_stderr_end(saved, log, got, sizeof got);
	assert_int_equal(rc, HS_EACCES);
	assert_null(lock);
	assert_non_null(strstr(got, dir));
	assert_non_null(strstr(got, why));
	assert_int_not_equal(access(path, F_OK), 0);
}

/* The fallback folder is made private when missing; one already there is
 * used only when it is a real folder of ours with mode 0700.  One of ours
 * left open (0777) may hold files another user put there (a socket to
 * answer in the monitor's place, a lock file to hold): it is refused, not
 * tightened and used. */
static void shared_runtime_folder_must_be_ours_and_private(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 16];
	shared_runtime_dir(dir);
	snprintf(path, sizeof path, "%s/run.lock", dir);
	hs_lock *lock = NULL;
	assert_int_equal(hs_lock_acquire(path, &lock, NULL), 0);
	hs_lock_release(lock);
	struct stat st;
	assert_int_equal(lstat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(unlink(path), 0);

	assert_int_equal(chmod(dir, 0777), 0);
	assert_refused(dir, "mode 0777");
	assert_int_equal(lstat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0777); /* left as it was */

	/* A link to a private folder of ours is refused all the same. */
	char real[PATH_MAX + 8], file[PATH_MAX + 32];
	snprintf(real, sizeof real, "%s-real", dir);
	assert_int_equal(rename(dir, real), 0);
	assert_int_equal(chmod(real, 0700), 0);
	assert_int_equal(symlink(real, dir), 0);
	assert_refused(dir, "symbolic link");
	snprintf(file, sizeof file, "%s/run.lock", real);
	assert_int_not_equal(access(file, F_OK), 0);
	assert_int_equal(unlink(dir), 0);

	/* Another user's folder (made as root; otherwise /hs_test_tmp itself,
	 * which is root's, stands for it). */
	if (getuid() == 0) {
		assert_int_equal(mkdir(dir, 0700), 0);
		assert_int_equal(chown(dir, 65534, 65534), 0);
		assert_refused(dir, "belongs to uid 65534");
	} else {
		assert_refused("/tmp", "belongs to uid 0");
	}
}

static void default_path_is_in_the_runtime_folder(void **state)
{
	(void)state;
	setenv("XDG_RUNTIME_DIR", hs_test_tmp, 1);
	char path[PATH_MAX], want[PATH_MAX];
	assert_int_equal(hs_lock_default_path(path, sizeof path), 0);
	snprintf(want, sizeof want, "%s/headsup/run.lock", hs_test_tmp);
	assert_string_equal(path, want);
	assert_int_equal(hs_lock_default_path(path, 8), HS_ERANGE);
	/* Without it (or with a relative one): in /hs_test_tmp, whose folders
	 * are checked as shared_runtime_folder_must_be_ours_and_private says.
	 */
	snprintf(want, sizeof want, "/tmp/headsup-%u/run.lock",
	         (unsigned)getuid());
	setenv("XDG_RUNTIME_DIR", "run", 1);
	assert_int_equal(hs_lock_default_path(path, sizeof path), 0);
	assert_string_equal(path, want);
	unsetenv("XDG_RUNTIME_DIR");
	assert_int_equal(hs_lock_default_path(path, sizeof path), 0);
	assert_string_equal(path, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		        second_run_is_refused_with_the_first_ones_pid,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(files_are_private,
		                                hs_test_tmp_setup,
		                                hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        stale_file_of_a_dead_process_does_not_block,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        same_process_cannot_take_it_twice, hs_test_tmp_setup,
		        hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(symlinked_folder_is_refused,
		                                hs_test_tmp_setup,
		                                hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        shared_runtime_folder_must_be_ours_and_private,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(
		        default_path_is_in_the_runtime_folder,
		        hs_test_tmp_setup, hs_test_tmp_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

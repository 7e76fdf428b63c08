/* test_camwatch.c - seeing another program open the camera, and finding
 * who holds it, on real files and a real device node opened by real
 * processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "headsup/camwatch.h"
#include "headsup/err.h"
#include "testutil.h"

static char tmp[64]; /* "/tmp/headsup-test-XXXXXX" */
static char cam[PATH_MAX];
static pid_t children[4];
static int n_children;

static void touch(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	hs_test_tmpdir(tmp, sizeof tmp);
	snprintf(cam, sizeof cam, "%s/video0", tmp);
	touch(cam);
	n_children = 0;
	return 0;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	for (int i = 0; i < n_children; i++)
		if (children[i] == pid)
			children[i] = 0;
}

/* Also after a failed assertion: no child outlives its test. */
static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < n_children; i++)
		if (children[i] > 0)
			stop(children[i]);
	hs_test_rmtree(tmp);
	return 0;
}

/* A child process named name (its command name, as a video call's would
 * be "zoom") that opens path, keeps it open until it is killed, and dies
 * with this test; returns once it holds path. */
static pid_t spawn_holder(const char *path, const char *name)
{
	assert_true(n_children < 4);
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	const pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, name);
		for (int fd = 3; fd < 1024; fd++)
			if (fd != ready[1])
				close(fd); /* ours, such as our camera */
		const int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		const int fd = open(path, O_RDONLY);
		if (fd < 0 || write(ready[1], "o", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	children[n_children++] = pid;
	close(ready[1]);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

static bool holds(const char *path, pid_t pid)
{
	hs_camwatch_holder h[64];
	const int n = hs_camwatch_holders(path, h, 64);
	for (int i = 0; i < n && i < 64; i++)
		if (h[i].pid == (long)pid)
			return true;
	return false;
}

/* What the monitor relies on: its own open, made before the watch starts,
 * is not seen; another program's open after it is. */
static void another_programs_open_is_seen(void **state)
{
	(void)state;
	const int mine = open(cam, O_RDONLY);
	assert_true(mine >= 0);
	hs_camwatch *w = NULL;
	assert_int_equal(hs_camwatch_create(cam, &w), 0);
	assert_int_equal(hs_camwatch_poll(w), 0);

	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "cat '%s' >/dev/null", cam);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(hs_camwatch_poll(w),
	                 HS_CAMWATCH_OPENED | HS_CAMWATCH_CLOSED);
	assert_int_equal(hs_camwatch_poll(w), 0); /* taken */

	/* Reading from the camera already open is no new open; closing it
	 * is a close; the device node going away (unplugged) is neither. */
	char buf[8];
	assert_true(read(mine, buf, sizeof buf) >= 0);
	assert_int_equal(hs_camwatch_poll(w), 0);
	close(mine);
	assert_int_equal(hs_camwatch_poll(w), HS_CAMWATCH_CLOSED);
	assert_int_equal(unlink(cam), 0);
	assert_int_equal(hs_camwatch_poll(w), 0);
	hs_camwatch_destroy(w);
}

/* Who holds the camera: other processes, never this one; gone once they
 * close it; and only those holding this very file. */
static void holders_are_the_other_processes(void **state)
{
	(void)state;
	const int mine = open(cam, O_RDONLY);
	assert_true(mine >= 0);
	hs_camwatch_holder h[4];
	assert_int_equal(hs_camwatch_holders(cam, h, 4), 0);

	const pid_t call = spawn_holder(cam, "videocall");
	assert_int_equal(hs_camwatch_holders(cam, h, 4), 1);
	assert_int_equal(h[0].pid, call);
	assert_true(h[0].fd > 2);
	char name[64] = "x";
	hs_camwatch_name(call, name, sizeof name);
	assert_string_equal(name, "videocall");
	stop(call);
	assert_int_equal(hs_camwatch_holders(cam, h, 4), 0);
	hs_camwatch_name(call, name, sizeof name);
	assert_string_equal(name, "");

	/* A file next to it is another camera. */
	close(mine);
	char other[PATH_MAX];
	snprintf(other, sizeof other, "%s/video1", tmp);
	touch(other);
	const pid_t elsewhere = spawn_holder(other, "elsewhere");
	assert_int_equal(hs_camwatch_holders(cam, h, 4), 0);
	assert_true(holds(other, elsewhere));

	/* More holders than room: all are counted. */
	const pid_t a = spawn_holder(cam, "a"), b = spawn_holder(cam, "b");
	assert_int_equal(hs_camwatch_holders(cam, h, 1), 2);
	assert_true(h[0].pid == a || h[0].pid == b);
	assert_int_equal(hs_camwatch_holders("/nonexistent/x", h, 4), 0);
}

/* What the monitor waits for after lending the camera: descriptors that
 * were not there when it last opened the camera, even in a process that
 * held it idle then (PipeWire, or a call app open since the morning). */
static void new_holders_are_new_descriptors(void **state)
{
	(void)state;
	const hs_camwatch_holder idle[] = { { 100, 5 }, { 200, 9 } };
	const hs_camwatch_holder now[] = {
		{ 100, 5 }, { 100, 6 }, { 300, 4 }, { 200, 9 }
	};
	long pid = -1;
	assert_int_equal(hs_camwatch_new_holders(now, 4, idle, 2, &pid), 2);
	assert_int_equal(pid, 300);
	assert_int_equal(hs_camwatch_new_holders(now, 1, idle, 2, &pid), 0);
	assert_int_equal(pid, 0);
	assert_int_equal(hs_camwatch_new_holders(now, 4, idle, 0, &pid), 4);

	/* The same with real processes: an idle holder opening the camera
	 * again is a new holder. */
	const pid_t daemon = spawn_holder(cam, "pipewire");
	hs_camwatch_holder was[4], is[4];
	const int n_was = hs_camwatch_holders(cam, was, 4);
	assert_int_equal(n_was, 1);
	const pid_t call = spawn_holder(cam, "videocall");
	int n = hs_camwatch_holders(cam, is, 4);
	assert_int_equal(n, 2);
	assert_int_equal(hs_camwatch_new_holders(is, n, was, n_was, &pid), 1);
	assert_int_equal(pid, call);
	stop(call);
	n = hs_camwatch_holders(cam, is, 4);
	assert_int_equal(hs_camwatch_new_holders(is, n, was, n_was, &pid), 0);
	stop(daemon);
}

/* A camera named by a link (/dev/v4l/by-id/...) is watched and matched as
 * the device it leads to, whichever name the other program opens. */
static void a_device_is_followed_through_its_link(void **state)
{
	(void)state;
	char link[PATH_MAX];
	snprintf(link, sizeof link, "%s/by-id-camera", tmp);
	/* /dev/full: a character device few programs open (other tests may:
	 * so this looks for its own child among the holders). */
	assert_int_equal(symlink("/dev/full", link), 0);
	hs_camwatch *w = NULL;
	assert_int_equal(hs_camwatch_create(link, &w), 0);
	(void)hs_camwatch_poll(w);
	const pid_t call = spawn_holder(link, "videocall");
	assert_true(hs_camwatch_poll(w) & HS_CAMWATCH_OPENED);
	assert_true(holds(link, call));
	assert_true(holds("/dev/full", call));
	stop(call);
	assert_true(hs_camwatch_poll(w) & HS_CAMWATCH_CLOSED);
	assert_false(holds(link, call));
	hs_camwatch_destroy(w);
}

static void a_missing_camera_cannot_be_watched(void **state)
{
	(void)state;
	char missing[PATH_MAX];
	snprintf(missing, sizeof missing, "%s/video9", tmp);
	hs_camwatch *w = (hs_camwatch *)&w; /* must stay untouched */
	assert_int_equal(hs_camwatch_create(missing, &w), HS_ENOENT);
	assert_ptr_equal(w, (hs_camwatch *)&w);
	hs_camwatch_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(another_programs_open_is_seen,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(holders_are_the_other_processes,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(new_holders_are_new_descriptors,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        a_device_is_followed_through_its_link, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        a_missing_camera_cannot_be_watched, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

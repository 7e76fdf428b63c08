/* test_hardening.c - `headsup run` against bad input, faults, long runs,
 * and the privacy promises, with the real binary and real fixtures.
 *
 * Each row of the README's troubleshooting table is one test here (bad
 * configuration files and the missing notification server are in
 * test_run.c); they check the message the user gets, that it names the
 * thing, and the exit status.  Then: the soak (10,000 frames, RSS flat),
 * a valgrind memcheck, and an strace of the sockets the monitor opens.
 *
 * Under AddressSanitizer the soak and valgrind tests skip themselves (ASan
 * keeps freed memory in quarantine, and cannot run under valgrind).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <unistd.h>

#include "headsup/cameras.h"
#include "headsup/control.h"
#include "headsup/journal.h"
#include "headsup/paths.h"
#include "runenv.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define HS_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HS_TEST_ASAN 1
#endif
#endif
#ifndef HS_TEST_ASAN
#define HS_TEST_ASAN 0
#endif

#define DESK "video/desk-session.avi"
#define DAY "2026-11-20"

static bool have_tool(const char *name)
{
	char cmd[256];
	hs_runenv_fmt(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
	return hs_test_run(cmd, NULL, 0) == 0;
}

/* ---- the bad-input matrix ----------------------------------------------- */

/* A status reply while paused: "<want>HH:MM); 0 frames analysed". */
static void assert_paused_status(const char *out, const char *want)
{
	int hh, mm;
	char rest[64];
	const size_t n = strlen(want);
	if (strncmp(out, want, n) != 0 ||
	    sscanf(out + n, "%2d:%2d%63[^\n]", &hh, &mm, rest) != 3 ||
	    strcmp(rest, "); 0 frames analysed") != 0 || hh > 23 || mm > 59)
		fail_msg("status while paused says '%s'", out);
}

/* Missing camera: says so once, keeps retrying, answers status, pause and
 * resume meanwhile, and a SIGTERM while it waits is a clean stop. */
static void missing_camera_is_named_and_retried(void **state)
{
	(void)state;
	hs_runenv e;
	hs_runenv_make(&e, false);
	/* Named by number, as users often do; said by its device. */
	pid_t pid =
	        hs_runenv_spawn(&e, "run --source 99 --set notify=terminal");
	assert_true(hs_runenv_wait_log(
	        &e, "cannot open camera '/dev/video99': no such device", 10));
	hs_runenv_sleep(3.0); /* past a few retries: still waiting */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
	char *log = hs_runenv_slurp(e.log);
	assert_int_equal(hs_runenv_count(log, "cannot open camera"), 1);
	free(log);
	/* SIGHUP while it waits (`systemctl --user reload`) is answered at
	 * once, not when a camera comes. */
	hs_runenv_write(&e, "config/headsup/config.ini",
	                "[alerts]\nsustain_s = banana\n");
	kill(pid, SIGHUP);
	assert_true(hs_runenv_wait_log(&e,
	                               "settings not reloaded, the old "
	                               "ones stay",
	                               5));
	hs_runenv_write(&e, "config/headsup/config.ini", "");

	/* While it waits, it answers: status says so, and a pause (before
	 * a video call ends, say) holds the retries until resumed. */
	char out[1024];
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	assert_string_equal(out, "running: waiting for camera '/dev/video99'; "
	                         "0 frames analysed\n");
	assert_int_equal(hs_runenv_run(&e, "pause 1h", out, sizeof out), 0);
	assert_string_equal(out, "paused for 1 hour\n");
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	assert_paused_status(out, "paused for 1 hour more (until ");
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);
	assert_string_equal(out, "resumed\n");
	/* The reply names the pause asked for; the time left is never more
	 * than that, and under two minutes it is said to the second (a
	 * whole minute more would be most of it). */
	assert_int_equal(hs_runenv_run(&e, "pause 90", out, sizeof out), 0);
	assert_string_equal(out, "paused for 1 minute 30 seconds\n");
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	if (strncmp(out, "paused for 1 minute 2", 21) != 0 &&
	    strncmp(out, "paused for 1 minute 30 seconds more", 35) != 0)
		fail_msg("status says '%s'", out);
	assert_non_null(strstr(out, " seconds more (until "));
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	assert_non_null(strstr(out, "running: waiting for camera"));
	kill(pid, SIGTERM);
	const double t0 = hs_runenv_now();
	assert_int_equal(hs_runenv_wait(pid, 5), 0);
	assert_true(hs_runenv_now() - t0 < 1.0);
	hs_runenv_free(&e);
}

/* With no webcam plugged in at all, status has no device to name: it says
 * what the monitor waits for. */
static void no_webcam_at_all_is_said_so(void **state)
{
	(void)state;
	char dev[256];
	if (hs_cameras_default(dev, sizeof dev) == 0) {
		SKIP_LOUDLY("this machine has a webcam ('%s'): waiting for "
		            "none cannot be shown",
		            dev);
	}
	hs_runenv e;
	hs_runenv_make(&e, false);
	pid_t pid = hs_runenv_spawn(&e, "run --set notify=terminal");
	assert_true(hs_runenv_wait_log(&e, "cannot find a webcam", 10));
	char out[1024];
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	assert_string_equal(out, "running: waiting for a webcam to be plugged "
	                         "in; 0 frames analysed\n");
	kill(pid, SIGTERM);
	assert_int_equal(hs_runenv_wait(pid, 5), 0);
	hs_runenv_free(&e);
}

/* How often pid went to sleep in the next 'seconds' (the voluntary
 * context switches of all its threads): how often it wakes up. */
static long wakeups_in(pid_t pid, double seconds)
{
	long total[2] = { 0, 0 };
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			hs_runenv_sleep(seconds);
		char path[300], line[256];
		snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
		DIR *d = opendir(path);
		assert_non_null(d);
		const struct dirent *t;
		while ((t = readdir(d))) {
			snprintf(path, sizeof path, "/proc/%ld/task/%s/status",
			         (long)pid, t->d_name);
			FILE *f = t->d_name[0] != '.' ? fopen(path, "r") : NULL;
			long n;
			while (f && fgets(line, sizeof line, f))
				if (sscanf(line, "voluntary_ctxt_switches: %ld",
				           &n) == 1)
					total[pass] += n;
			if (f)
				fclose(f);
		}
		closedir(d);
	}
	return total[1] - total[0];
}

/* An idle monitor sleeps until it has something to do: waiting for a
 * missing camera it wakes for each retry (1, 2, 4 ... 30 s apart), and
 * paused it looks around once a second (it used to wake four or five
 * times a second in both); a request is still answered at once. */
static void an_idle_monitor_sleeps(void **state)
{
	(void)state;
	char src[4096], args[4300], out[1024];
	REQUIRE_FIXTURE(DESK, src);
	/* The count sees a sleep: this process's own, in it.  A count that
	 * read nothing would pass the bounds below whatever the monitor
	 * does. */
	if (wakeups_in(getpid(), 0.1) < 1)
		fail_msg("the count saw none of this process's sleeps");
	hs_runenv e;
	hs_runenv_make(&e, false);
	pid_t pid =
	        hs_runenv_spawn(&e, "run --source 98 --set notify=terminal");
	assert_true(hs_runenv_wait_log(&e, "cannot open camera", 10));
	hs_runenv_sleep(1.5); /* past the first retry */
	long n = wakeups_in(pid, 3.0);
	if (n > 4)
		fail_msg("waiting for the camera, it woke %ld times in 3 s", n);
	double t0 = hs_runenv_now();
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	assert_true(hs_runenv_now() - t0 < 1.0);
	kill(pid, SIGTERM);
	assert_int_equal(hs_runenv_wait(pid, 5), 0);

	hs_runenv_fmt(args, sizeof args,
	              "run --realtime --source '%s' --set notify=terminal",
	              src);
	pid = hs_runenv_spawn(&e, args);
	t0 = hs_runenv_now();
	while (hs_runenv_frames_analysed(&e) < 1 && hs_runenv_now() - t0 < 20)
		hs_runenv_sleep(0.1);
	assert_int_equal(hs_runenv_run(&e, "pause", out, sizeof out), 0);
	n = wakeups_in(pid, 3.0);
	if (n > 6)
		fail_msg("paused, it woke %ld times in 3 s", n);
	t0 = hs_runenv_now();
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);
	assert_true(hs_runenv_now() - t0 < 1.0);
	kill(pid, SIGTERM);
	assert_int_equal(hs_runenv_wait(pid, 5), 0);
	hs_runenv_free(&e);
}

/* Busy camera: cannot be made without a device; the EBUSY message is in
 * source.c ("device or resource busy") and the retry path is the one the
 * missing-camera test drives. */

static void truncated_video_is_an_error_and_keeps_what_was_read(void **state)
{
	(void)state;
	char src[4096], cmd[20000], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	/* The first 2 MB of 7.4: a download cut short. */
	hs_runenv_fmt(cmd, sizeof cmd, "head -c 2000000 '%s' > '%s/cut.avi'",
	              src, e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	hs_runenv_fmt(cmd, sizeof cmd, "%s/cut.avi", e.dir);
	assert_int_equal(hs_runenv_run_desk(&e, cmd, DAY, "", out, sizeof out),
	                 1);
	assert_non_null(strstr(out, "cut.avi' ends after "));
	assert_non_null(strstr(out, "looks truncated"));
	/* What was read before the cut is in the journal. */
	const double monitored =
	        hs_runenv_report_number(&e, DAY, "monitored_s");
	assert_true(monitored > 30 && monitored < 100);
	hs_runenv_free(&e);
}

/* A file-size limit (ulimit -f) the journal outgrows: the monitor is not
 * killed by SIGXFSZ without a word; it says so, monitors and alerts to the
 * end, and ends with status 1 for what the journal could not keep. */
static void a_file_size_limit_is_said_not_fatal(void **state)
{
	(void)state;
	char src[4096], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	struct rlimit was, lim;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
	lim = was;
	lim.rlim_cur = 40 * 1024; /* a journal outgrows it in a few minutes */
	void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	const int st = hs_runenv_run_desk(&e, src, DAY, "--set commit_s=1", out,
	                                  sizeof out);
	setrlimit(RLIMIT_FSIZE, &was);
	signal(SIGXFSZ, handler);
	if (st != 1)
		fprintf(stderr, "status %d, said:\n%s\n", st, out);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "file-size limit (ulimit -f)"));
	assert_int_equal(
	        hs_runenv_count(out, "headsup: Hunched for 30 seconds"), 1);
	hs_runenv_free(&e);
}

static void unreadable_video_is_an_error(void **state)
{
	(void)state;
	char out[8192];
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_write(&e, "garbage.avi", "this is not a video at all\n");
	assert_int_equal(
	        hs_runenv_run_desk(&e, "garbage.avi", DAY, "", out, sizeof out),
	        1);
	assert_non_null(strstr(out, "cannot open video 'garbage.avi': not a "
	                            "video that can be decoded"));
	assert_int_equal(
	        hs_runenv_run_desk(&e, "missing.avi", DAY, "", out, sizeof out),
	        1);
	assert_non_null(strstr(out, "cannot open video 'missing.avi': no such "
	                            "file"));
	/* With no notification server either (the test's bus is none), the
	 * file is the one thing said: nothing would be notified anyway. */
	assert_int_equal(
	        hs_runenv_run(&e, "run --source missing.avi", out, sizeof out),
	        1);
	assert_non_null(strstr(out, "cannot open video 'missing.avi'"));
	assert_null(strstr(out, "notification"));
	assert_int_equal(hs_runenv_count(out, "\n"), 1);
	hs_runenv_free(&e);
}

static void file_that_is_not_an_image_is_an_error(void **state)
{
	(void)state;
	char out[8192];
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_write(&e, "photo.png", "just text\n");
	assert_int_equal(
	        hs_runenv_run_desk(&e, "photo.png", DAY, "", out, sizeof out),
	        1);
	assert_non_null(strstr(out, "cannot read image 'photo.png': not an "
	                            "image"));
	assert_non_null(strstr(out, "nothing in 'photo.png' could be read"));
	hs_runenv_free(&e);
}

/* In a folder, one bad image is skipped (and named); the rest is used. */
static void bad_image_in_a_folder_is_skipped(void **state)
{
	(void)state;
	char neck[4096], cmd[20000], out[8192];
	REQUIRE_FIXTURE("desk/neck", neck);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(
	        cmd, sizeof cmd,
	        "mkdir '%s/imgs' && ln -s '%s'/class3_*.jpg '%s/imgs/' && "
	        "echo text > '%s/imgs/class3_zzz.jpg'",
	        e.dir, neck, e.dir, e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(
	        hs_runenv_run_desk(&e, "imgs", DAY, "", out, sizeof out), 0);
	assert_non_null(
	        strstr(out, "cannot read image 'imgs/class3_zzz.jpg': "
	                    "not an image that can be decoded; skipping it"));
	assert_non_null(strstr(out, "1 of 9 analysed frames of 'imgs' could "
	                            "not be read"));
	hs_runenv_free(&e);
}

/* Replay src with $HEADSUP_DATA_DIR pointing at a share/ folder of e's
 * own: a copy of each build-tree data file named in keep (space-separated,
 * may be ""), and when broken is not NULL the first 5 kB of that model, a
 * damaged copy.  headsup must warn, not fail, and watch the whole 10.5 s
 * clip.  Its output is in out. */
static void run_with_own_data_dir(hs_runenv *e, const char *keep,
                                  const char *broken, const char *src,
                                  char *out, size_t size)
{
	char cmd[20000], *p = cmd, *end = cmd + sizeof cmd;
	p += snprintf(p, (size_t)(end - p), "mkdir '%s/share'", e->dir);
	char names[256];
	snprintf(names, sizeof names, "%s", keep);
	for (char *n = strtok(names, " "); n; n = strtok(NULL, " "))
		p += snprintf(p, (size_t)(end - p),
		              " && cp '%s/%s' '%s/share/'", HS_BUILD_DATA_DIR,
		              n, e->dir);
	if (broken)
		snprintf(p, (size_t)(end - p),
		         " && head -c 5000 '%s/%s' > '%s/share/%s'",
		         HS_BUILD_DATA_DIR, broken, e->dir, broken);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	char var[300];
	hs_runenv_fmt(var, sizeof var, "HEADSUP_DATA_DIR=%s/share", e->dir);
	hs_runenv_set(e, var);
	assert_int_equal(hs_runenv_run_desk(e, src, DAY, "", out, size), 0);
	assert_true(hs_runenv_report_number(e, DAY, "monitored_s") > 9);
}

/* Replay the steady-gaze clip twice, with model a broken copy and then
 * absent, and the data files in keep beside it: each time a warning names
 * the file and the fallback, never the text absent, and monitoring goes
 * on. */
static void model_falls_back(const char *keep, const char *model,
                             const char *fallback, const char *absent)
{
	char src[4096], out[16384], named[128];
	/* The short clip: the Haar cascades are slow. */
	REQUIRE_FIXTURE("video/steady-gaze.avi", src);
	snprintf(named, sizeof named, "/share/%s", model);
	for (int corrupt = 1; corrupt >= 0; corrupt--) {
		hs_runenv e;
		hs_runenv_make(&e, false);
		run_with_own_data_dir(&e, keep, corrupt ? model : NULL, src,
		                      out, sizeof out);
		assert_non_null(strstr(out, corrupt ? "fails its checksum"
		                                    : "is missing"));
		assert_non_null(strstr(out, named));
		assert_non_null(strstr(out, fallback));
		if (absent)
			assert_null(strstr(out, absent));
		hs_runenv_free(&e);
	}
}

/* A data folder holding a damaged face model (or none): Haar, and
 * monitoring goes on. */
static void corrupt_or_missing_model_falls_back_to_haar(void **state)
{
	(void)state;
	model_falls_back("", "blazeface-front-128.onnx",
	                 "falling back to the Haar cascades", NULL);
}

/* A model the user names is not the installed one falling back: a path
 * typed wrong, or another file, is a usage error that starts nothing
 * (going on without pitch would miss every look down). */
static void a_model_named_wrong_is_a_usage_error(void **state)
{
	(void)state;
	char out[8192], cmd[1200];
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_write(&e, "image.jpg", "not decoded: refused before\n");
	assert_int_equal(hs_runenv_run(&e,
	                               "analyze --model nowhere.onnx "
	                               "image.jpg",
	                               out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "cannot read face model 'nowhere.onnx'"));
	assert_null(strstr(out, "image.jpg"));
	hs_runenv_fmt(cmd, sizeof cmd,
	              "run --source image.jpg --set notify=terminal --set "
	              "model='%s/facemesh-192.onnx'",
	              HS_BUILD_DATA_DIR);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "facemesh-192.onnx' fails its checksum"));
	assert_non_null(strstr(out, "must be a copy of the one headsup was "
	                            "built for"));
	assert_null(strstr(out, "Haar"));
	hs_runenv_write(&e, "config/headsup/config.ini",
	                "[pose]\nmodel = typo.onnx\n");
	assert_int_equal(hs_runenv_run(&e, "calibrate --source image.jpg", out,
	                               sizeof out),
	                 2);
	assert_non_null(strstr(out, "'typo.onnx'"));
	assert_null(strstr(out, "Recording"));
	/* A copy of the model itself is taken. */
	hs_runenv_fmt(cmd, sizeof cmd,
	              "analyze --json --model '%s/blazeface-front-128.onnx' "
	              "image.jpg",
	              HS_BUILD_DATA_DIR);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 1);
	assert_non_null(strstr(out, "cannot read image 'image.jpg'"));
	assert_null(strstr(out, "face model"));
	hs_runenv_free(&e);
}

/* The face-mesh model damaged or absent: BlazeFace still finds the face
 * and the pose falls back to PnP on its keypoints. */
static void corrupt_or_missing_mesh_model_falls_back_to_pnp(void **state)
{
	(void)state;
	model_falls_back(
	        "blazeface-front-128.onnx face3d.csv", "facemesh-192.onnx",
	        "falls back to the face detector's six keypoints", "Haar");
}

static void missing_cascades_are_a_clear_error(void **state)
{
	(void)state;
	char src[4096], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_set(&e, "HEADSUP_DATA_DIR=/nonexistent/share");
	hs_runenv_set(&e, "HEADSUP_CASCADE_DIR=/nonexistent/cascades");
	assert_int_equal(hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out),
	                 1);
	assert_non_null(strstr(out, "cannot load the Haar cascades from "
	                            "'/nonexistent/cascades'"));
	hs_runenv_free(&e);
}

/* Make 'path' read-only: a read-only bind mount when we are root (root
 * ignores permission bits), chmod otherwise.  False when impossible. */
static bool make_read_only(const char *path, bool *mounted)
{
	*mounted = false;
	if (geteuid() != 0)
		return chmod(path, 0500) == 0;
	if (mount(path, path, NULL, MS_BIND, NULL) != 0)
		return false;
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) !=
	    0) {
		umount(path);
		return false;
	}
	*mounted = true;
	return true;
}

static void read_only_journal_folder_warns_once_and_goes_on(void **state)
{
	(void)state;
	char src[4096], path[512], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	hs_runenv_fmt(path, sizeof path, "%s/data", e.dir);
	bool mounted;
	if (!make_read_only(path, &mounted)) {
		hs_runenv_free(&e);
		SKIP_LOUDLY("cannot make '%s' read-only here", path);
	}
	int st = hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out);
	if (mounted)
		umount(path);
	else
		chmod(path, 0700);
	/* It went on, and at the end says what the journal missed: status
	 * 1, not a silent success. */
	assert_int_equal(st, 1);
	assert_int_equal(hs_runenv_count(out, "monitoring and alerts go on"),
	                 1);
	assert_non_null(strstr(out, "/data/headsup/journal.db"));
	assert_non_null(strstr(out, "could not be written, and are lost"));
	/* The alert still came. */
	assert_int_equal(
	        hs_runenv_count(out, "headsup: Hunched for 30 seconds"), 1);
	hs_runenv_free(&e);
}

/* Replay steady-gaze.avi (10 s) with the options given, its journal made
 * first and then held locked (an sqlite3 session left open, here in the
 * test itself) from before the monitor starts until the monitor's log says
 * 'release_on' and 'lock_s' more seconds have passed.  The run must end
 * well with all 10 s in the journal; what it said into out.  With stop,
 * `headsup stop` is asked instead once the log says 'release_on', and the
 * lock held until the monitor has ended: it must end at once, and say
 * what it could not write. */
static void replay_locked_run(const char *options, const char *release_on,
                              double lock_s, bool stop, char *out, size_t size)
{
	char src[4096], path[600], args[4800];
	REQUIRE_FIXTURE("video/steady-gaze.avi", src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(path, sizeof path, "%s/data/headsup", e.dir);
	assert_int_equal(hs_path_mkdirs(path, 0700), 0);
	hs_runenv_fmt(path, sizeof path, "%s/data/headsup/journal.db", e.dir);
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(path, NULL, &j), 0);
	assert_int_equal(hs_journal_close(j), 0);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
	                 SQLITE_OK);
	hs_runenv_fmt(args, sizeof args,
	              "-v run %s --source '%s' --set notify=terminal "
	              "--clock-start " DAY "T09:00:00",
	              options, src);
	pid_t run = hs_runenv_spawn(&e, args);
	const bool said = hs_runenv_wait_log(&e, release_on, 60);
	int stop_st = 0, st;
	double stop_took = 0;
	if (stop) {
		const double t0 = hs_runenv_now();
		char answer[512];
		stop_st = hs_runenv_run(&e, "stop", answer, sizeof answer);
		st = hs_runenv_wait(run, 10);
		stop_took = hs_runenv_now() - t0;
	}
	hs_runenv_sleep(lock_s);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	if (!stop)
		st = hs_runenv_wait(run, 60);
	char *log = hs_runenv_slurp(e.log);
	snprintf(out, size, "%s", log);
	free(log);
	if (!said || st != 0)
		fprintf(stderr, "status %d, said:\n%s\n", st, out);
	assert_true(said);
	if (stop) {
		assert_int_equal(stop_st, 0);
		assert_true(stop_took < 6); /* `stop` waits up to 10 s */
		assert_int_equal(st, 1);    /* ...and it said what is lost */
		assert_non_null(strstr(out, "could not be written, and are "
		                            "lost"));
		hs_runenv_free(&e);
		return;
	}
	assert_int_equal(st, 0);
	const double monitored =
	        hs_runenv_report_number(&e, DAY, "monitored_s");
	assert_true(monitored >= 9 && monitored <= 11);
	hs_runenv_free(&e);
}

/* A journal locked by another program when the monitor starts (a sqlite3
 * session left open for a few seconds): what is watched meanwhile is kept
 * in memory and written once the lock goes, and the run ends well.
 * Before, it was lost ("... of monitoring are not in the journal"). */
static void a_journal_locked_at_start_loses_nothing(void **state)
{
	(void)state;
	char out[16384];
	replay_locked_run("--realtime --set commit_s=1",
	                  "cannot be opened (locked by another ", 3, false, out,
	                  sizeof out);
	assert_non_null(strstr(out, "is writable again"));
}

/* A replay that ends, flat out, while another program still holds the
 * journal locked waits for the lock (up to 15 s) instead of losing all it
 * watched. */
static void a_replay_ending_while_the_journal_is_locked_waits(void **state)
{
	(void)state;
	char out[16384];
	replay_locked_run("", "is locked by another program; waiting", 2, false,
	                  out, sizeof out);
	assert_non_null(strstr(out, "stopped at 10.0 s"));
}

/* `headsup stop` during that wait ends it at once: the monitor answers,
 * and ends saying what it could not write. */
static void headsup_stop_ends_the_wait_for_a_locked_journal(void **state)
{
	(void)state;
	char out[16384];
	replay_locked_run("", "is locked by another program; waiting", 0, true,
	                  out, sizeof out);
}

/* A folder given where a file belongs (say, a tab-completed path cut one
 * level short) is named as such, before anything starts. */
static void folder_given_for_a_file_is_named(void **state)
{
	(void)state;
	hs_runenv e;
	hs_runenv_make(&e, false);
	char args[1200], out[8192];
	/* The command, the folder in place of the file, the rest. */
	static const struct {
		const char *cmd, *rest, *says;
		int status;
	} cases[] = {
		{ "run --journal", "--source x.avi",
		  "is a folder: give the path of a file, such as", 2 },
		{ "report --journal", "", "is a folder, not a journal file",
		  2 },
		{ "run --calibration", "--source x.avi", "Is a directory", 2 },
		{ "run --config", "--source x.avi", "Is a directory", 2 },
		/* analyze as run: the baseline is the user's to fix */
		{ "analyze --calibration", "x.png", "Is a directory", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hs_runenv_fmt(args, sizeof args, "%s '%s' %s", cases[i].cmd,
		              e.dir, cases[i].rest);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out),
		                 cases[i].status);
		assert_non_null(strstr(out, cases[i].says));
		assert_non_null(strstr(out, e.dir));
	}
	/* A folder where the default journal belongs: the user named no
	 * path, so none is suggested inside it. */
	hs_runenv_write(&e, "data/headsup/journal.db/x", "");
	assert_int_equal(
	        hs_runenv_run(&e, "run --source x.avi", out, sizeof out), 2);
	assert_non_null(strstr(out, "journal.db' is a folder, where headsup "
	                            "keeps its journal file: move the folder "
	                            "away"));
	assert_int_equal(hs_runenv_run(&e, "report", out, sizeof out), 2);
	assert_non_null(strstr(out, "is a folder, not a journal file"));
	/* A FIFO there: the same, at once (it was retried every minute and
	 * the run ended with status 1). */
	char journal_at[600], fifo_cmd[1300];
	hs_runenv_fmt(journal_at, sizeof journal_at,
	              "%s/data/headsup/journal.db", e.dir);
	hs_runenv_fmt(fifo_cmd, sizeof fifo_cmd, "rm -r '%s' && mkfifo '%s'",
	              journal_at, journal_at);
	assert_int_equal(hs_test_run(fifo_cmd, NULL, 0), 0);
	assert_int_equal(
	        hs_runenv_run(&e, "run --source x.avi", out, sizeof out), 2);
	assert_non_null(strstr(out, "journal.db' is a named pipe (FIFO), not "
	                            "a file: move it away"));
	/* A FIFO nobody writes to in place of the settings or the baseline:
	 * refused at once (the settings' open hung until Ctrl+C). */
	char fifo[600], line[2000];
	hs_runenv_fmt(fifo, sizeof fifo, "%s/fifo", e.dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	static const char *const opts[] = { "run --source x.avi --config",
		                            "run --source x.avi --calibration",
		                            "analyze x.png --calibration" };
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
		hs_runenv_fmt(line, sizeof line, "timeout 20 '%s' %s fifo",
		              hs_test_bin(), opts[i]);
		assert_int_equal(hs_runenv_shell(&e, line, out, sizeof out), 2);
		assert_non_null(strstr(out, "'fifo': not a regular file (a "
		                            "pipe or a device)"));
	}
	/* An empty name: a usage error, nothing started (the journal's was
	 * "retried every minute", the baseline's ignored, the settings'
	 * "No such file", and an empty source opened the webcam). */
	static const char *const empty[] = {
		"run --source x.avi --journal",
		"run --source x.avi --calibration",
		"run --source x.avi --config",
		"calibrate --source x.avi --config",
		"analyze x.png --calibration",
		"analyze x.png --config",
		"analyze x.png --model",
	};
	/* A path too long to keep: it would be cut, and name another file
	 * (a journal or a baseline written somewhere else). */
	static char longer[PATH_MAX + 2];
	memset(longer, 'a', PATH_MAX);
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		hs_runenv_fmt(args, sizeof args, "%s ''", empty[i]);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
		assert_non_null(
		        strstr(out, "needs the path of a file, not ''"));
		char *cmd = malloc(PATH_MAX + 200);
		assert_non_null(cmd);
		snprintf(cmd, PATH_MAX + 200, "%s %s", empty[i], longer);
		assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
		assert_non_null(strstr(out, "...' is too long for a path"));
		free(cmd);
	}
	static const char *const no_source[] = {
		"run --source '' --set notify=terminal",
		"calibrate --source ''",
	};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(
		        hs_runenv_run(&e, no_source[i], out, sizeof out), 2);
		assert_non_null(strstr(out, "--source needs a camera, a video "
		                            "file or a folder of images, not "
		                            "''; leave it out for the first "
		                            "webcam"));
		assert_null(strstr(out, "webcam:"));
	}
	hs_runenv_free(&e);
}

/* A --calibration file that is not there, or is no baseline, is the
 * user's to fix: `run` and `analyze` both say what to do and exit 2. */
static void a_wrong_baseline_file_says_what_to_do(void **state)
{
	(void)state;
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_write(&e, "junk.ini", "this is no baseline\n");
	char args[1200], out[8192];
	static const char *const cmds[] = { "run --source x.avi",
		                            "analyze x.png" };
	for (int i = 0; i < 2; i++) {
		hs_runenv_fmt(args, sizeof args, "%s --calibration nothere.ini",
		              cmds[i]);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
		assert_non_null(strstr(out, "cannot open calibration "
		                            "'nothere.ini'"));
		assert_non_null(strstr(out, "check the name, or run 'headsup "
		                            "calibrate --output FILE'"));
		hs_runenv_fmt(args, sizeof args, "%s --calibration junk.ini",
		              cmds[i]);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
		assert_non_null(strstr(out, "junk.ini"));
		assert_non_null(strstr(out, "headsup calibrate"));
	}
	hs_runenv_free(&e);
}

/* Another program's SQLite database given as the journal: `run` refuses
 * it as a configuration error (status 2) and `report` as unreadable
 * (status 1); neither adds a table or changes its schema version. */
static void another_programs_database_is_not_a_journal(void **state)
{
	(void)state;
	char cmd[1400], out[8192];
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && sqlite3 notes.db \"CREATE TABLE notes (body "
	              "TEXT); INSERT INTO notes VALUES ('buy milk');\" && "
	              "convert -size 64x48 xc:gray face.png",
	              e.dir);
	if (hs_test_run(cmd, NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: sqlite3 or convert missing\n");
		hs_runenv_free(&e);
		skip();
	}
	assert_int_equal(
	        hs_runenv_run(&e,
	                      "run --journal notes.db --source face.png "
	                      "--set notify=terminal",
	                      out, sizeof out),
	        2);
	assert_non_null(strstr(out, "'notes.db' is an SQLite database of "
	                            "another program, not a headsup journal"));
	/* The same status as `run`'s: the user's to change. */
	assert_int_equal(
	        hs_runenv_run(&e, "report --journal notes.db", out, sizeof out),
	        2);
	assert_non_null(strstr(out, "not a headsup journal"));
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && sqlite3 notes.db '.tables' 'PRAGMA "
	              "user_version' 'PRAGMA journal_mode'",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_string_equal(out, "notes\n0\ndelete\n");
	hs_runenv_free(&e);
}

static void corrupt_journal_is_kept_aside(void **state)
{
	(void)state;
	char src[4096], cmd[1024], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	static const char junk[] = "not a database, but somebody's data\n";
	hs_runenv_write(&e, "data/headsup/journal.db", junk);
	/* A report first: it says what the next run will do, and does not
	 * do it itself. */
	assert_int_equal(hs_runenv_run(&e, "report", out, sizeof out), 1);
	assert_non_null(strstr(out, "/journal.db' is corrupt; the next "
	                            "'headsup run' moves it aside"));
	assert_int_equal(hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out),
	                 0);
	/* The user is told where the old file went ... */
	const char *p = strstr(out, "it was kept as '");
	assert_non_null(p);
	p += strlen("it was kept as '");
	char kept[512];
	hs_runenv_fmt(kept, sizeof kept, "%.*s", (int)strcspn(p, "'"), p);
	assert_non_null(strstr(kept, "corrupt"));
	/* ... and it is there, untouched. */
	char *old = hs_runenv_slurp(kept);
	assert_string_equal(old, junk);
	free(old);
	/* The new journal has this run. */
	assert_true(fabs(hs_runenv_report_number(&e, DAY, "monitored_s") -
	                 200) <= 1);
	hs_runenv_fmt(cmd, sizeof cmd, "ls '%s/data/headsup' | grep -c corrupt",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_int_equal(atoi(out), 1);

	/* Damaged past its first page, which opening it reads: a report
	 * says the same (it said only "cannot build the report"). */
	char path[600];
	hs_runenv_fmt(path, sizeof path, "%s/data/headsup/journal.db", e.dir);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	static char pages[5 * 4096]; /* 2 to 6 */
	memset(pages, 0x5a, sizeof pages);
	assert_int_equal(fseek(f, 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(pages, 1, sizeof pages, f), sizeof pages);
	assert_int_equal(fclose(f), 0);
	hs_runenv_fmt(cmd, sizeof cmd, "report --date %s", DAY);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 1);
	assert_non_null(strstr(out, "/journal.db' is corrupt; the next "
	                            "'headsup run' moves it aside"));
	assert_int_equal(hs_runenv_count(out, "error:"), 1);
	/* Named, it is the user's: one message, which does not call it
	 * "no database" (it said both). */
	hs_runenv_fmt(cmd, sizeof cmd, "report --date %s --journal '%s'", DAY,
	              path);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "/journal.db' is damaged and cannot be "
	                            "read; it was left as it is"));
	assert_int_equal(hs_runenv_count(out, "error:"), 1);
	hs_runenv_free(&e);
}

/* A journal whose tables are not what its version says (a table dropped
 * by hand, a version changed by hand) is found when it opens: the default
 * one is moved aside and a new one started, one the user named is left as
 * it is.  Before, each write failed, and the whole session, kept in
 * memory, was lost at the end.  A negative version crashed both. */
static void a_journal_with_wrong_tables_is_found_at_once(void **state)
{
	(void)state;
	char src[4096], cmd[1200], out[16384], args[4600];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	assert_int_equal(hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out),
	                 0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && cp data/headsup/journal.db named.db && "
	              "sqlite3 named.db 'DROP TABLE minutes' && "
	              "sqlite3 data/headsup/journal.db 'DROP TABLE alerts'",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(
	        hs_runenv_run_desk(&e, src, "2026-11-21", "", out, sizeof out),
	        0);
	assert_non_null(strstr(out, "it was kept as '"));
	assert_null(strstr(out, "are lost"));
	assert_true(
	        fabs(hs_runenv_report_number(&e, "2026-11-21", "monitored_s") -
	             200) <= 1);
	hs_runenv_fmt(args, sizeof args, "--journal '%s/named.db'", e.dir);
	assert_int_equal(hs_runenv_run_desk(&e, src, "2026-11-22", args, out,
	                                    sizeof out),
	                 2);
	assert_non_null(strstr(out, "named.db' is corrupt; it was left as it "
	                            "is"));
	/* A version no headsup writes: said, for run and report alike. */
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && sqlite3 data/headsup/journal.db "
	              "'PRAGMA user_version = -100000'",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(hs_runenv_run(&e, "report", out, sizeof out), 2);
	assert_non_null(strstr(out, "has schema version -100000, which no "
	                            "headsup writes"));
	assert_int_equal(
	        hs_runenv_run_desk(&e, src, "2026-11-23", "", out, sizeof out),
	        2);
	assert_non_null(strstr(out, "has schema version -100000"));
	hs_runenv_free(&e);
}

/* A journal the user names with --journal is taken as typed: a file there
 * that is no database is left alone (not moved aside as a damaged
 * default journal is), and a folder that does not exist is not made. */
static void a_journal_named_by_the_user_is_left_alone(void **state)
{
	(void)state;
	char src[4096], args[4600], out[16384], cmd[1024];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	static const char notes[] = "my notes, not a journal\n";
	hs_runenv_write(&e, "notes.txt", notes);
	hs_runenv_fmt(args, sizeof args,
	              "run --source '%s' --journal notes.txt", src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_non_null(strstr(out, "'notes.txt' is not a headsup journal "
	                            "(nor any database); it was left as it "
	                            "is"));
	char path[600];
	hs_runenv_fmt(path, sizeof path, "%s/notes.txt", e.dir);
	char *kept = hs_runenv_slurp(path);
	assert_non_null(kept);
	assert_string_equal(kept, notes);
	free(kept);
	/* A report on it says the same, and does not promise that `run`
	 * moves it aside, as it would the default journal. */
	assert_int_equal(hs_runenv_run(&e, "report --journal notes.txt", out,
	                               sizeof out),
	                 2);
	assert_non_null(strstr(out, "'notes.txt' is not a headsup journal "
	                            "(nor any readable database)"));
	assert_null(strstr(out, "aside"));
	/* A database cut short (a copy that stopped) is called damaged, not
	 * "not a journal", and is left as it is. */
	hs_runenv_fmt(cmd, sizeof cmd,
	              "printf 'SQLite format 3\\000' > '%s/cut.db' && "
	              "head -c 5000 /dev/zero >> '%s/cut.db'",
	              e.dir, e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(
	        hs_runenv_run(&e, "report --journal cut.db", out, sizeof out),
	        2);
	assert_non_null(strstr(out, "'cut.db' is a damaged database (a "
	                            "journal cut short?) and cannot be read"));
	hs_runenv_fmt(cmd, sizeof cmd, "ls '%s' | grep -c corrupt", e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 1); /* none */
	/* A typo in the folder: said, and nothing is created. */
	hs_runenv_fmt(args, sizeof args,
	              "run --source '%s' --journal '%s/typo/j.db'", src, e.dir);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_non_null(strstr(out, "/typo' does not exist; create it, or "
	                            "give another path"));
	hs_runenv_fmt(path, sizeof path, "%s/typo", e.dir);
	assert_int_not_equal(access(path, F_OK), 0);
	/* A new file in an existing folder, and an empty one, are fine. */
	hs_runenv_write(&e, "empty.db", "");
	for (int i = 0; i < 2; i++) {
		hs_runenv_fmt(args, sizeof args,
		              "run --source '%s' --journal %s", src,
		              i ? "empty.db" : "new.db");
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	}
	/* A journal of its own, damaged: left as it is too (it was moved
	 * aside and a new journal put in its place), status 2. */
	hs_runenv_fmt(path, sizeof path, "%s/new.db", e.dir);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	static char junk[4096];
	memset(junk, 0x5a, sizeof junk);
	assert_int_equal(fseek(f, 4096, SEEK_SET), 0); /* page 2 */
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	assert_int_equal(fclose(f), 0);
	char *damaged = hs_runenv_slurp(path);
	assert_non_null(damaged);
	hs_runenv_fmt(args, sizeof args, "run --source '%s' --journal new.db",
	              src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_non_null(strstr(out, "journal 'new.db' is corrupt; it was left "
	                            "as it is"));
	kept = hs_runenv_slurp(path);
	assert_non_null(kept);
	assert_memory_equal(kept, damaged, 8192);
	free(kept);
	free(damaged);
	hs_runenv_fmt(cmd, sizeof cmd, "ls '%s' | grep -c corrupt", e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 1); /* none */
	hs_runenv_free(&e);
}

/* Output that cannot be written says why, in the system's words. */
static void advice_to_a_full_disk_says_so(void **state)
{
	(void)state;
	char out[4096], line[1024];
	hs_runenv e;
	hs_runenv_make(&e, false);
	/* In a shell of its own: the run's own 2>&1 then applies to it. */
	hs_runenv_fmt(line, sizeof line, "sh -c \"'%s' advice >/dev/full\"",
	              hs_test_bin());
	assert_int_equal(hs_runenv_shell(&e, line, out, sizeof out), 1);
	assert_non_null(strstr(out, "cannot write standard output: No "
	                            "space left on device"));
	assert_int_equal(hs_runenv_count(out, "cannot write"), 1);
	/* A report too, once (it was said twice: as the report's, then
	 * as standard output's). */
	hs_runenv_fmt(line, sizeof line, "sh -c \"'%s' report >/dev/full\"",
	              hs_test_bin());
	assert_int_equal(hs_runenv_shell(&e, line, out, sizeof out), 1);
	assert_non_null(strstr(out, "cannot write standard output: No "
	                            "space left on device"));
	assert_int_equal(hs_runenv_count(out, "cannot write"), 1);
	/* The manual page too (it failed without a word). */
	hs_runenv_fmt(line, sizeof line, "sh -c \"'%s' --man >/dev/full\"",
	              hs_test_bin());
	assert_int_equal(hs_runenv_shell(&e, line, out, sizeof out), 1);
	assert_non_null(strstr(out, "cannot write standard output: No "
	                            "space left on device"));
	hs_runenv_free(&e);
}

/* `report --output` naming the journal itself (directly, through a link,
 * or the journal given with --journal) is refused: the report would have
 * replaced the days it reports on.  A report written through a link
 * replaces the file linked to and leaves the link. */
static void report_output_never_erases_the_journal(void **state)
{
	(void)state;
	char src[4096], cmd[2048], args[1024], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	assert_int_equal(hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out),
	                 0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && cp data/headsup/journal.db keep.db && "
	              "ln -s data/headsup/journal.db today.json && "
	              "echo old > old.html && chmod 600 old.html && "
	              "ln -s old.html latest.html",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	static const char *const refused[] = {
		"report --date " DAY " --output data/headsup/journal.db",
		"report --date " DAY " --output today.json",
		"report --date " DAY " --journal keep.db --output ./keep.db",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(hs_runenv_run(&e, refused[i], out, sizeof out),
		                 2);
		assert_non_null(strstr(out, "is the journal the report is made "
		                            "from; writing there would erase "
		                            "it: choose another file"));
	}
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && cmp data/headsup/journal.db keep.db", e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_true(fabs(hs_runenv_report_number(&e, DAY, "monitored_s") -
	                 200) <= 1);
	/* Through a link: old.html gets the report, keeps its private
	 * mode, and the link stays. */
	hs_runenv_fmt(args, sizeof args,
	              "report --date " DAY " --output latest.html");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && test -L latest.html && grep -c '<svg' "
	              "old.html && test \"$(stat -c %%a old.html)\" = 600 && "
	              "ls | grep -c tmp-",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 1); /* no tmp */
	assert_true(atoi(out) >= 1);
	/* A new report is private, as the journal is, whatever the umask. */
	hs_runenv_fmt(args, sizeof args,
	              "report --date " DAY " --output new.html");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && test \"$(stat -c %%a new.html)\" = 600",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	hs_runenv_free(&e);
}

static void fill_disk(const char *data, bool full);

/* A report that cannot be written whole (a full disk) leaves the report
 * already there as it was, and no temporary file behind. */
static void a_failed_report_keeps_the_old_one(void **state)
{
	(void)state;
	char src[4096], dir[512], path[600], args[1024], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	assert_int_equal(hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out),
	                 0);
	hs_runenv_fmt(dir, sizeof dir, "%s/reports", e.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	if (mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0700") != 0) {
		const int saved = errno;
		hs_runenv_free(&e);
		SKIP_LOUDLY("cannot mount a small tmpfs (%s); the full-disk "
		            "case needs root",
		            strerror(saved));
	}
	/* No assertion until the tmpfs is unmounted again. */
	hs_runenv_fmt(path, sizeof path, "%s/day.html", dir);
	FILE *f = fopen(path, "w");
	const bool made = f && fputs("yesterday's report\n", f) >= 0;
	if (f)
		fclose(f);
	fill_disk(dir, true);
	hs_runenv_fmt(args, sizeof args, "report --date " DAY " --output '%s'",
	              path);
	const int st = hs_runenv_run(&e, args, out, sizeof out);
	char *kept = hs_runenv_slurp(path);
	char listing[1024];
	hs_runenv_fmt(args, sizeof args, "ls '%s'", dir);
	hs_test_run(args, listing, sizeof listing);
	umount(dir);
	assert_true(made);
	assert_int_equal(st, 1);
	assert_non_null(strstr(out, "cannot write report"));
	assert_non_null(strstr(out, "No space left on device"));
	assert_non_null(kept);
	assert_string_equal(kept, "yesterday's report\n");
	free(kept);
	assert_string_equal(listing, "day.html\nfill\n");
	hs_runenv_free(&e);
}

/* A calibrated environment whose data folder (its path into data) is a
 * 1 MB tmpfs; false, with errno set and e freed, when it cannot be
 * mounted. */
static bool calibrated_on_a_small_disk(hs_runenv *e, const char *src,
                                       char *data, size_t size)
{
	hs_runenv_make_calibrated(e, src, 30);
	hs_runenv_fmt(data, size, "%s/data", e->dir);
	if (mount("tmpfs", data, "tmpfs", 0, "size=1m,mode=0700") == 0)
		return true;
	int saved = errno;
	hs_runenv_free(e);
	errno = saved;
	return false;
}

/* Fill the small disk at data up (full) or make room on it again (!full).
 * No assertion: the tests call it while the tmpfs is mounted. */
static void fill_disk(const char *data, bool full)
{
	char cmd[1024];
	if (full)
		hs_runenv_fmt(
		        cmd, sizeof cmd,
		        "dd if=/dev/zero of='%s/fill' bs=4k 2>/dev/null; true",
		        data);
	else
		hs_runenv_fmt(cmd, sizeof cmd, "rm -f '%s/fill'", data);
	hs_test_run(cmd, NULL, 0);
}

/* The report's monitored_s of DAY into *monitored (0 when it could not be
 * run); the report's exit status.  No assertion, as for fill_disk(). */
static int monitored_on_day(const hs_runenv *e, double *monitored)
{
	char *report = malloc(1 << 16);
	int st =
	        report ? hs_runenv_run(e, "report --date " DAY " --format json",
	                               report, 1 << 16)
	               : -1;
	*monitored = report ? hs_runenv_json_number(report, "monitored_s") : 0;
	free(report);
	return st;
}

/* A full disk: a 1 MB tmpfs as the data folder, filled up after a first
 * run.  The second run warns, still alerts, and at its end says what the
 * journal could not keep and exits 1 (a runtime failure, not a silent
 * success); once there is room again the first day's journal is all
 * there. */
static void full_disk_warns_and_keeps_monitoring(void **state)
{
	(void)state;
	char src[4096], data[512], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	if (!calibrated_on_a_small_disk(&e, src, data, sizeof data))
		SKIP_LOUDLY("cannot mount a small tmpfs (%s); the full-disk "
		            "case needs root",
		            strerror(errno));
	/* No assertion until the tmpfs is unmounted again. */
	int st1 = hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out);
	fill_disk(data, true);
	/* The report is read while the disk is full, and leaves no file of
	 * its own behind. */
	double full_day1;
	int st_full = monitored_on_day(&e, &full_day1);
	char companion[600];
	hs_runenv_fmt(companion, sizeof companion, "%s/headsup/journal.db-shm",
	              data);
	const bool left = access(companion, F_OK) == 0;
	int st2 =
	        hs_runenv_run_desk(&e, src, "2026-11-21", "", out, sizeof out);
	fill_disk(data, false);
	double day1;
	int st3 = monitored_on_day(&e, &day1);
	umount(data);
	assert_int_equal(st_full, 0);
	assert_true(fabs(full_day1 - 200) <= 1);
	assert_false(left);
	assert_int_equal(st3, 0);
	assert_int_equal(st1, 0);
	assert_int_equal(st2, 1);
	assert_non_null(strstr(out, "no space left on device"));
	assert_non_null(strstr(out, "could not be written, and are lost"));
	assert_int_equal(hs_runenv_count(out, "monitoring and alerts go on"),
	                 1);
	assert_int_equal(
	        hs_runenv_count(out, "headsup: Hunched for 30 seconds"), 1);
	assert_true(fabs(day1 - 200) <= 1);
	hs_runenv_free(&e);
}

/* The disk fills up while the monitor runs (commits every second here, so
 * the test need not wait a minute): a warning, monitoring goes on, the
 * journal catches up once there is room, and nothing is lost. */
static void disk_filling_up_mid_run_loses_nothing(void **state)
{
	(void)state;
	char src[4096], data[512], args[4600];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	if (!calibrated_on_a_small_disk(&e, src, data, sizeof data))
		SKIP_LOUDLY("cannot mount a small tmpfs (%s); the full-disk "
		            "case needs root",
		            strerror(errno));
	/* No assertion until the tmpfs is unmounted again. */
	hs_runenv_fmt(args, sizeof args,
	              "-v run --realtime --source '%s' --set commit_s=1 "
	              "--set notify=terminal --clock-start " DAY "T09:00:00",
	              src);
	pid_t pid = hs_runenv_spawn(&e, args);
	bool opened = hs_runenv_wait_log(&e, "watching '", 20);
	hs_runenv_sleep(2.0);
	fill_disk(data, true);
	bool warned = hs_runenv_wait_log(&e, "no space left on device", 10);
	fill_disk(data, false);
	bool recovered = hs_runenv_wait_log(&e, "is writable again", 10);
	kill(pid, SIGTERM);
	int st = hs_runenv_wait(pid, 5);
	double monitored;
	int st_report = monitored_on_day(&e, &monitored);
	umount(data);
	assert_true(opened);
	assert_true(warned);
	assert_true(recovered);
	assert_int_equal(st, 0);
	assert_int_equal(st_report, 0);

	char *log = hs_runenv_slurp(e.log);
	assert_int_equal(hs_runenv_count(log, "cannot write journal"), 1);
	const char *p = strstr(log, "analysed)");
	assert_non_null(p);
	while (p > log && p[-1] != '(')
		p--;
	const long analysed = strtol(p, NULL, 10);
	free(log);
	fprintf(stderr, "%ld frames analysed, %.1f s in the journal\n",
	        analysed, monitored);
	/* 2 Hz: every analysed frame is half a second in the journal. */
	assert_true(fabs(monitored - (double)analysed * 0.5) <= 0.5);
	hs_runenv_free(&e);
}

/* ---- privacy ------------------------------------------------------------ */

/* After a calibration and a run, headsup's folders hold the baseline, the
 * journal and the lock: no frame, nothing else; files 0600, folders
 * 0700. */
static void only_baseline_and_journal_are_stored_privately(void **state)
{
	(void)state;
	char src[4096], cmd[1024], out[4096];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	assert_int_equal(hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out),
	                 0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && find config data state run -mindepth 1 "
	              "-printf '%%m %%y %%p\\n' | sort",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	fprintf(stderr, "stored:\n%s", out);
	/* What the user relies on being kept is there. */
	assert_non_null(strstr(out, " f state/headsup/calibration.ini\n"));
	assert_non_null(strstr(out, " f data/headsup/journal.db\n"));
	char *line = out;
	int n = 0;
	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		unsigned mode = 0;
		char type = 0, path[512] = "";
		assert_int_equal(
		        sscanf(line, "%o %c %511s", &mode, &type, path), 3);
		if (type == 'd') {
			assert_string_equal(path + strcspn(path, "/"),
			                    "/headsup");
			assert_int_equal(mode, 0700);
		} else {
			static const char *const allowed[] = {
				"state/headsup/calibration.ini",
				"data/headsup/journal.db",
				"data/headsup/journal.db-wal",
				"data/headsup/journal.db-shm",
				"run/headsup/run.lock",
			};
			bool ok = false;
			for (size_t i = 0; i < 5; i++)
				ok = ok || strcmp(path, allowed[i]) == 0;
			if (!ok)
				fail_msg("unexpected file '%s' stored", path);
			assert_int_equal(mode, 0600);
		}
		n++;
		line = nl ? nl + 1 : line + strlen(line);
	}
	assert_true(n >= 5); /* 3 folders, baseline, journal */
	/* The journal's folder made open by someone else first (a per-user
	 * install into ~/.local puts the program's files there) is made
	 * private too; the files in it stay as they are. */
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && chmod 0755 data/headsup && touch "
	              "data/headsup/advice.html && chmod 0644 "
	              "data/headsup/advice.html",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(
	        hs_runenv_run_desk(&e, src, "2026-11-21", "", out, sizeof out),
	        0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "cd '%s' && stat -c '%%a' data/headsup "
	              "data/headsup/advice.html",
	              e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_string_equal(out, "700\n644\n");
	hs_runenv_free(&e);
}

/* Where the last "quoted" argument of an strace line starts (after its
 * quote), or NULL. */
static const char *last_quoted(const char *line)
{
	const char *last = NULL;
	for (const char *p = line; (p = strchr(p, '"'));) {
		const char *e = p + 1;
		while (*e && *e != '"')
			e += e[0] == '\\' && e[1] ? 2 : 1;
		if (!*e)
			break;
		last = p + 1;
		p = e + 1;
	}
	return last;
}

/* Is this strace line a successful open for writing, creation, rename or
 * link of a file outside headsup's own folders? */
static bool writes_elsewhere(const char *line, const char *dir)
{
	const char *call = line + strspn(line, "0123456789 ");
	const bool opens = strncmp(call, "open", 4) == 0 &&
	                   (strstr(line, "O_WRONLY") ||
	                    strstr(line, "O_RDWR") || strstr(line, "O_CREAT"));
	/* These name the file they make last: creat's only path, the new
	 * name of a rename or link. */
	const bool makes = strncmp(call, "creat(", 6) == 0 ||
	                   strncmp(call, "rename", 6) == 0 ||
	                   strncmp(call, "link", 4) == 0 ||
	                   strncmp(call, "symlink", 7) == 0;
	if (!opens && !makes)
		return false;
	const char *ret = strrchr(line, '=');
	if (!ret || strtol(ret + 1, NULL, 10) < 0)
		return false; /* failed: nothing written */
	const char *q = opens ? strchr(line, '"') : last_quoted(line);
	if (!q)
		return true;
	if (opens)
		q++;
	if (strncmp(q, "/dev/null\"", 10) == 0)
		return false;
	static const char *const mine[] = { "/data/headsup/", "/state/headsup/",
		                            "/run/headsup/" };
	const size_t n = strlen(dir);
	for (size_t i = 0; i < 3; i++)
		if (strncmp(q, dir, n) == 0 &&
		    strncmp(q + n, mine[i], strlen(mine[i])) == 0)
			return false;
	return true;
}

/* Privacy, watched from outside with strace: every socket the running
 * monitor opens is a local (AF_UNIX) one - the D-Bus session bus and its
 * control socket - so no network at all; and the only files it creates
 * or writes are its journal and lock (no frame, no cache). */
static void monitor_uses_only_local_sockets_and_its_own_files(void **state)
{
	(void)state;
	char src[4096], line[9000], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	if (!have_tool("strace"))
		SKIP_LOUDLY("strace is not installed (apt-get install strace)");
	hs_runenv e;
	hs_runenv_make(&e, false);
	/* LeakSanitizer cannot work under ptrace; leaks are not the point
	 * here (the ASan run of every other test checks them). */
	if (HS_TEST_ASAN)
		hs_runenv_set(&e, "ASAN_OPTIONS=detect_leaks=0");
	assert_int_equal(hs_runenv_calibrate(&e, src, 30), 0);
	/* notify=auto so the D-Bus path is taken (the bus is absent here,
	 * so glib tries and falls back). */
	hs_runenv_fmt(
	        line, sizeof line,
	        "strace -f -qq -o '%s/strace.txt' "
	        "-e trace=socket,connect,open,openat,creat,rename,renameat,"
	        "renameat2,link,linkat,symlink,symlinkat "
	        "'%s' run --source '%s' --set sustain_s=30 "
	        "--clock-start " DAY "T09:00:00",
	        e.dir, hs_test_bin(), src);
	assert_int_equal(hs_runenv_shell(&e, line, out, sizeof out), 0);
	assert_non_null(strstr(out, "Hunched for 30 seconds"));
	hs_runenv_fmt(line, sizeof line, "%s/strace.txt", e.dir);
	char *trace = hs_runenv_slurp(line);
	int sockets = 0, journal_writes = 0;
	for (char *l = trace; *l;) {
		char *nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		const char *sock = strstr(l, "socket(");
		if (sock) {
			sockets++;
			if (strncmp(sock, "socket(AF_UNIX", 14) != 0 &&
			    strncmp(sock, "socket(AF_LOCAL", 15) != 0)
				fail_msg("a non-local socket: %s", l);
		}
		if (strstr(l, "AF_INET") || strstr(l, "AF_NETLINK"))
			fail_msg("network: %s", l);
		if (writes_elsewhere(l, e.dir))
			fail_msg("writes outside its folders: %s", l);
		if (strstr(l, "/data/headsup/journal.db\"") &&
		    strstr(l, "O_CREAT"))
			journal_writes++;
		l = nl ? nl + 1 : l + strlen(l);
	}
	fprintf(stderr, "%d sockets, all AF_UNIX\n", sockets);
	/* The trace did see the run: its control socket, its journal. */
	assert_true(sockets >= 1);
	assert_true(journal_writes >= 1);
	free(trace);
	hs_runenv_free(&e);
}

/* A crash of the running monitor would write its memory, camera frames
 * included, to a core file (or to systemd-coredump): whatever limit the
 * session allows, the monitor runs with a core size limit of 0. */
static void a_crash_leaves_no_core_file(void **state)
{
	(void)state;
	char src[4096], args[4300], path[64], line[256];
	REQUIRE_FIXTURE(DESK, src);
	struct rlimit core, saved;
	assert_int_equal(getrlimit(RLIMIT_CORE, &saved), 0);
	if (saved.rlim_max == 0)
		SKIP_LOUDLY("the hard core size limit here is 0 already, so a "
		            "limit set by headsup cannot be told apart");
	core = saved;
	core.rlim_cur = saved.rlim_max; /* the session allows core files */
	assert_int_equal(setrlimit(RLIMIT_CORE, &core), 0);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(args, sizeof args,
	              "-v run --source '%s' --realtime --set "
	              "notify=terminal",
	              src);
	const pid_t pid = hs_runenv_spawn(&e, args);
	assert_int_equal(setrlimit(RLIMIT_CORE, &saved), 0);
	assert_true(pid > 0);
	assert_true(hs_runenv_wait_log(&e, "watching", 60));
	hs_runenv_fmt(path, sizeof path, "/proc/%ld/limits", (long)pid);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char soft[32] = "";
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Max core file size %31s", soft) == 1)
			break;
	fclose(f);
	fprintf(stderr, "the monitor's core size limit: %s\n", soft);
	assert_string_equal(soft, "0");
	kill(pid, SIGTERM);
	assert_int_equal(hs_runenv_wait(pid, 30), 0);
	hs_runenv_free(&e);
}

/* A report written through a link to a file not there yet is made
 * private (0600) like any new report, whatever the umask. */
static void a_report_through_a_link_is_private(void **state)
{
	(void)state;
	char src[4096], args[4300], path[4200], out[4096];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	assert_int_equal(hs_runenv_run_desk(&e, src, DAY, "", out, sizeof out),
	                 0);
	hs_runenv_fmt(path, sizeof path, "%s/link.html", e.dir);
	assert_int_equal(symlink("target.html", path), 0);
	const mode_t old = umask(0);
	hs_runenv_fmt(args, sizeof args,
	              "report --date " DAY " --format html --output link.html");
	const int st = hs_runenv_run(&e, args, out, sizeof out);
	umask(old);
	assert_int_equal(st, 0);
	struct stat target;
	hs_runenv_fmt(path, sizeof path, "%s/target.html", e.dir);
	assert_int_equal(stat(path, &target), 0);
	assert_int_equal(target.st_mode & 0777, 0600);
	/* A report written over an old one is private too, whatever mode
	 * the old one had: it tells how its reader sat all day. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(stat(path, &target), 0);
	assert_int_equal(target.st_mode & 0777, 0600);
	hs_runenv_fmt(args, sizeof args,
	              "report --date " DAY " --output target.html");
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(stat(path, &target), 0);
	assert_int_equal(target.st_mode & 0777, 0600);
	hs_runenv_free(&e);
}

/* A folder every user may write to (as /tmp), in e's folder: its path
 * into dir. */
static void make_shared_folder(const hs_runenv *e, char *dir, size_t size)
{
	hs_runenv_fmt(dir, size, "%s/shared", e->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 01777), 0);
}

/* A journal file another user made first in a shared folder, for the
 * user to name with --journal (a shared demo folder), would let that
 * user read every session headsup keeps: `run` refuses it as a usage
 * error, naming the file and its owner, and leaves it as it is.  Needs
 * root, to make a file of another user. */
static void a_journal_another_user_made_is_refused(void **state)
{
	(void)state;
	char src[4096], shared[256], path[512], extra[600], out[8192];
	REQUIRE_FIXTURE(DESK, src);
	if (geteuid() != 0)
		SKIP_LOUDLY("a file of another user can only be made as root");
	hs_runenv e;
	hs_runenv_make(&e, false);
	make_shared_folder(&e, shared, sizeof shared);
	hs_runenv_fmt(path, sizeof path, "%s/demo.db", shared);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(path, 0666), 0);
	assert_int_equal(chown(path, 65534, 65534), 0);
	hs_runenv_fmt(extra, sizeof extra, "--journal '%s'", path);
	assert_int_equal(
	        hs_runenv_run_desk(&e, src, DAY, extra, out, sizeof out), 2);
	assert_non_null(strstr(out, path));
	assert_non_null(strstr(out, "uid 65534"));
	assert_non_null(strstr(out, "not to you"));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & 07777, 0666);
	hs_runenv_free(&e);
}

/* A symbolic link another user put in a shared folder, under the name
 * the user gives to --output, would have the report or the baseline
 * replace the file it points to (the user's ~/.bashrc): `report` and
 * `calibrate` refuse it as a usage error naming the link and its owner,
 * and the file pointed to is left as it is.  A link of the user's own
 * there is followed as before.  Needs root, to make a link of another
 * user. */
static void a_link_another_user_planted_is_not_followed(void **state)
{
	(void)state;
	if (geteuid() != 0)
		SKIP_LOUDLY("a link of another user can only be made as root");
	char shared[256], victim[512], link[512], args[1400], out[8192];
	hs_runenv e;
	hs_runenv_make(&e, false);
	make_shared_folder(&e, shared, sizeof shared);
	hs_runenv_fmt(victim, sizeof victim, "%s/bashrc", e.dir);
	FILE *f = fopen(victim, "w");
	assert_non_null(f);
	fputs("alias ll='ls -l'\n", f);
	fclose(f);
	assert_int_equal(chmod(victim, 0644), 0);
	static const char *const names[] = { "report.txt", "cal.ini" };
	for (size_t i = 0; i < 2; i++) {
		hs_runenv_fmt(link, sizeof link, "%s/%s", shared, names[i]);
		assert_int_equal(symlink(victim, link), 0);
		assert_int_equal(lchown(link, 65534, 65534), 0);
		if (i == 0)
			hs_runenv_fmt(args, sizeof args,
			              "report --date " DAY " --output '%s'",
			              link);
		else
			hs_runenv_fmt(args, sizeof args,
			              "calibrate --source '%s/none.avi' "
			              "--output '%s'",
			              e.dir, link);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
		assert_non_null(strstr(out, link));
		assert_non_null(strstr(out, "uid 65534"));
		assert_non_null(strstr(out, "not followed"));
		char *text = hs_runenv_slurp(victim);
		assert_non_null(text);
		assert_string_equal(text, "alias ll='ls -l'\n");
		free(text);
		struct stat st;
		assert_int_equal(lstat(link, &st), 0);
		assert_true(S_ISLNK(st.st_mode));
	}
	/* The user's own link there leads where the user meant. */
	hs_runenv_fmt(link, sizeof link, "%s/mine.txt", shared);
	assert_int_equal(symlink(victim, link), 0);
	hs_runenv_fmt(args, sizeof args, "report --date " DAY " --output '%s'",
	              link);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	struct stat st;
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	hs_runenv_free(&e);
}

/* ---- long runs ------------------------------------------------------------
 */

static long vm_rss_kb(pid_t pid)
{
	char path[64], line[256];
	hs_runenv_fmt(path, sizeof path, "/proc/%ld/status", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long kb = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static long rss_after(const hs_runenv *e, pid_t pid, long frames)
{
	const double end = hs_runenv_now() + 150;
	while (hs_runenv_now() < end) {
		long n = hs_runenv_frames_analysed(e);
		if (n >= frames) {
			long kb = vm_rss_kb(pid);
			fprintf(stderr, "%ld frames analysed: VmRSS %ld kB\n",
			        n, kb);
			return kb;
		}
		hs_runenv_sleep(0.2);
	}
	fail_msg("fewer than %ld frames analysed in time", frames);
	return -1;
}

/* 10,000+ frames through one run (Pointing'04 faces in every pose, so
 * every state, alerts and the journal are exercised): RSS grows less than
 * 1 MB between an early sample and a late one. */
static void soak_10000_frames_keeps_memory_flat(void **state)
{
	(void)state;
	char p04[4096], cmd[20000], out[8192];
	REQUIRE_FIXTURE("headpose/pointing04/person01", p04);
	if (HS_TEST_ASAN)
		SKIP_LOUDLY("soak under AddressSanitizer (its quarantine grows "
		            "by design); run it in a plain build");
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "mkdir '%s/front' '%s/soak' && ln -s '%s'/*+0+0.jpg "
	              "'%s/front/' "
	              "&& cd '%s/soak' && i=0; while [ $i -lt 10100 ]; do "
	              "for f in '%s'/*.jpg; do i=$((i+1)); "
	              "ln -s \"$f\" $(printf %%05d $i).jpg; done; done",
	              e.dir, e.dir, p04, e.dir, e.dir, p04);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "calibrate --source '%s/front' --seconds 2", e.dir);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 0);
	hs_runenv_fmt(
	        cmd, sizeof cmd,
	        "run --source '%s/soak' --set sustain_s=5 --set cooldown_s=60 "
	        "--set notify=terminal --clock-start " DAY "T00:00:00",
	        e.dir);
	pid_t pid = hs_runenv_spawn(&e, cmd);
	const long early = rss_after(&e, pid, 1500);
	const long late = rss_after(&e, pid, 9500);
	assert_int_equal(hs_runenv_wait(pid, 120), 0);
	fprintf(stderr, "RSS growth %ld kB over 8000 frames\n", late - early);
	assert_true(early > 0 && late > 0);
	assert_true(late - early < 1024);
	char *log = hs_runenv_slurp(e.log);
	/* It did alert along the way (the alert path was soaked too): the
	 * terminal's alert lines, not any line of headsup's (a warning). */
	const int alerts = hs_runenv_count(log, "headsup: Hunched for ") +
	                   hs_runenv_count(log, "headsup: Looking down for ");
	free(log);
	if (alerts < 1)
		fail_msg("no alert in the soak's 10,000 frames (log: %s)",
		         e.log);
	hs_runenv_free(&e);
}

/* valgrind memcheck of a short replay that goes through calibration,
 * every state change, an alert, the D-Bus attempt and the journal: no
 * definite or indirect leak, no invalid access. */
static void valgrind_finds_no_leak(void **state)
{
	(void)state;
	char neck[4096], cmd[20000], out[65536];
	REQUIRE_FIXTURE("desk/neck", neck);
	if (HS_TEST_ASAN)
		SKIP_LOUDLY("valgrind cannot run an AddressSanitizer build; "
		            "run this test in a plain build");
	if (!have_tool("valgrind"))
		SKIP_LOUDLY("valgrind is not installed (apt-get install "
		            "valgrind)");
	hs_runenv e;
	hs_runenv_make(&e, false);
	/* Upright, then worst forward head: an alert after 3 s. */
	hs_runenv_fmt(
	        cmd, sizeof cmd,
	        "mkdir '%s/up' '%s/seq' && ln -s '%s'/class3_*.jpg '%s/up/' && "
	        "for f in '%s'/class3_00*.jpg; do ln -s \"$f\" "
	        "'%s/seq/a'$(basename $f); done && "
	        "for f in '%s'/class0_*.jpg; do ln -s \"$f\" "
	        "'%s/seq/b'$(basename $f); done",
	        e.dir, e.dir, neck, e.dir, neck, e.dir, neck, e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	hs_runenv_fmt(cmd, sizeof cmd, "calibrate --source '%s/up' --seconds 5",
	              e.dir);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 0);
	hs_runenv_fmt(
	        cmd, sizeof cmd,
	        "valgrind -q --leak-check=full "
	        "--show-leak-kinds=definite,indirect "
	        "--errors-for-leak-kinds=definite,indirect --error-exitcode=99 "
	        "--suppressions='%s/tests/support/valgrind.supp' "
	        "--num-callers=30 '%s' run --source '%s/seq' --set sustain_s=3 "
	        "--clock-start " DAY "T09:00:00",
	        HS_SOURCE_DIR, hs_test_bin(), e.dir);
	const int st = hs_runenv_shell(&e, cmd, out, sizeof out);
	assert_int_equal(st, 0);
	/* The replay did what it should under valgrind, too. */
	assert_non_null(strstr(out, "headsup: Hunched for"));
	hs_runenv_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_camera_is_named_and_retried),
		cmocka_unit_test(no_webcam_at_all_is_said_so),
		cmocka_unit_test(an_idle_monitor_sleeps),
		cmocka_unit_test(
		        truncated_video_is_an_error_and_keeps_what_was_read),
		cmocka_unit_test(unreadable_video_is_an_error),
		cmocka_unit_test(file_that_is_not_an_image_is_an_error),
		cmocka_unit_test(bad_image_in_a_folder_is_skipped),
		cmocka_unit_test(corrupt_or_missing_model_falls_back_to_haar),
		cmocka_unit_test(
		        corrupt_or_missing_mesh_model_falls_back_to_pnp),
		cmocka_unit_test(a_model_named_wrong_is_a_usage_error),
		cmocka_unit_test(missing_cascades_are_a_clear_error),
		cmocka_unit_test(
		        read_only_journal_folder_warns_once_and_goes_on),
		cmocka_unit_test(folder_given_for_a_file_is_named),
		cmocka_unit_test(a_wrong_baseline_file_says_what_to_do),
		cmocka_unit_test(another_programs_database_is_not_a_journal),
		cmocka_unit_test(corrupt_journal_is_kept_aside),
		cmocka_unit_test(a_journal_with_wrong_tables_is_found_at_once),
		cmocka_unit_test(a_journal_named_by_the_user_is_left_alone),
		cmocka_unit_test(advice_to_a_full_disk_says_so),
		cmocka_unit_test(report_output_never_erases_the_journal),
		cmocka_unit_test(a_failed_report_keeps_the_old_one),
		cmocka_unit_test(full_disk_warns_and_keeps_monitoring),
		cmocka_unit_test(a_file_size_limit_is_said_not_fatal),
		cmocka_unit_test(a_journal_locked_at_start_loses_nothing),
		cmocka_unit_test(
		        a_replay_ending_while_the_journal_is_locked_waits),
		cmocka_unit_test(
		        headsup_stop_ends_the_wait_for_a_locked_journal),
		cmocka_unit_test(disk_filling_up_mid_run_loses_nothing),
		cmocka_unit_test(
		        only_baseline_and_journal_are_stored_privately),
		cmocka_unit_test(
		        monitor_uses_only_local_sockets_and_its_own_files),
		cmocka_unit_test(a_crash_leaves_no_core_file),
		cmocka_unit_test(a_report_through_a_link_is_private),
		cmocka_unit_test(a_journal_another_user_made_is_refused),
		cmocka_unit_test(a_link_another_user_planted_is_not_followed),
		cmocka_unit_test(soak_10000_frames_keeps_memory_flat),
		cmocka_unit_test(valgrind_finds_no_leak),
	};
	return cmocka_run_group_tests_name("hardening", tests, NULL, NULL);
}

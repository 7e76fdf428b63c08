/* test_control.c - the control socket behind `headsup pause` and
 * `headsup resume`: requests, replies, privacy of the socket, and the real
 * CLI against a small server run by the test (standing in for `run`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "headsup/control.h"
#include "headsup/source.h"
#include "headsup/timeparse.h"
#include "headsup/err.h"
#include "testutil.h"

static char tmp[64];   /* "/tmp/headsup-test-XXXXXX" */
static char sock[100]; /* fits sun_path */

static int setup(void **state)
{
	(void)state;
	hs_test_tmpdir(tmp, sizeof tmp);
	snprintf(sock, sizeof sock, "%s/headsup/control.sock", tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hs_test_rmtree(tmp);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What the stand-in monitor answers; it keeps a paused flag like `run`. */
static void answer(hs_control *srv, const hs_control_request *req, int *paused)
{
	char words[64], text[128];
	switch (req->cmd) {
	case HS_CONTROL_PAUSE:
		*paused = 1;
		if (req->pause_s == 0) {
			hs_control_reply(
			        srv, "paused until resumed; camera released");
			return;
		}
		hs_duration_format(req->pause_s, words, sizeof words);
		snprintf(text, sizeof text, "paused for %s; camera released",
		         words);
		hs_control_reply(srv, text);
		return;
	case HS_CONTROL_RESUME:
		if (!*paused) {
			hs_control_reply(srv,
			                 "error: the monitor is not paused");
			return;
		}
		*paused = 0;
		hs_control_reply(srv, "resumed; watching again");
		return;
	case HS_CONTROL_STATUS:
		hs_control_reply(srv, *paused ? "paused" : "watching");
		return;
	case HS_CONTROL_RELOAD:
		hs_control_reply(srv, "baseline reloaded");
		return;
	case HS_CONTROL_STOP:
		hs_control_reply(srv, "stopping");
		return;
	}
}

/* Fork a server on 'path' that answers 'count' requests (polling like the
 * monitor loop does, never blocking) and exits 0; returns once it listens. */
static pid_t spawn_server(const char *path, int count)
{
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		hs_control *srv = NULL;
		if (hs_control_create(path, &srv) != 0)
			_exit(3);
		if (write(ready[1], "R", 1) != 1)
			_exit(3);
		int paused = 0, handled = 0;
		double end = now_s() + 20;
		while (handled < count && now_s() < end) {
			hs_control_request req;
			if (hs_control_poll(srv, &req) == 1) {
				answer(srv, &req, &paused);
				handled++;
			}
			struct timespec frame = { 0, 5 * 1000 * 1000 };
			nanosleep(&frame, NULL);
		}
		hs_control_destroy(srv);
		_exit(handled == count ? 0 : 4);
	}
	close(ready[1]);
	char c = 0;
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

static void wait_server(pid_t pid)
{
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* `headsup cameras` leaves alone the camera a running monitor watches,
 * found in the monitor's status: what the monitor says is read back
 * whole, with the rest of its sentence after it, and no other reply (a
 * video watched, the camera lent or waited for, a pause) names one. */
static void the_watched_camera_is_read_from_the_status(void **state)
{
	(void)state;
	char reply[HS_CONTROL_LINE_MAX + 1], name[64];
	const char *cam = hs_source_camera.name;
	int n = hs_control_status_watching(reply, sizeof reply, cam,
	                                   "/dev/v4l/by-id/usb-cam-index0");
	assert_true(n > 0 && (size_t)n < sizeof reply);
	snprintf(reply + n, sizeof reply - (size_t)n,
	         ", posture upright; 12 frames analysed");
	assert_true(hs_control_status_watched(reply, cam, name, sizeof name));
	assert_string_equal(name, "/dev/v4l/by-id/usb-cam-index0");
	/* What `headsup status` prints for a camera. */
	assert_true(strncmp(reply, "running: watching camera '", 26) == 0);

	static const char *const others[] = {
		"running: watching video '/home/me/camera.mp4', posture away",
		"running: camera '/dev/video0' lent to zoom until it is free",
		"running: waiting for camera '/dev/video0'",
		"running: taking camera '/dev/video0' back",
		"paused until 'headsup resume'",
		"",
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(name, sizeof name, "untouched");
		if (hs_control_status_watched(others[i], cam, name,
		                              sizeof name))
			fail_msg("'%s' read as watching camera '%s'", others[i],
			         name);
	}
}

/* A control socket that cannot be made is named in the message, whatever
 * stops it: here, no file descriptor left for it. */
static void a_socket_that_cannot_be_made_is_named(void **state)
{
	(void)state;
	char log[PATH_MAX], said[2048] = "";
	snprintf(log, sizeof log, "%s/stderr.txt", tmp);
	const pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(2);
		close(fd);
		/* The lowest free descriptor is the limit: none is left. */
		const int next = dup(STDIN_FILENO);
		if (next < 0)
			_exit(2);
		close(next);
		const struct rlimit none = { (rlim_t)next, (rlim_t)next };
		if (setrlimit(RLIMIT_NOFILE, &none) != 0)
			_exit(2);
		hs_control *srv = NULL;
		_exit(hs_control_create(sock, &srv) < 0 ? 0 : 1);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	FILE *f = fopen(log, "r");
	assert_non_null(f);
	said[fread(said, 1, sizeof said - 1, f)] = '\0';
	fclose(f);
	char want[256];
	snprintf(want, sizeof want, "cannot make control socket '%s': ", sock);
	if (!strstr(said, want))
		fail_msg("said '%s', not '%s...'", said, want);
}

static void requests_parse_strictly(void **state)
{
	(void)state;
	hs_control_request req = { .cmd = HS_CONTROL_STATUS, .pause_s = -1 };
	assert_int_equal(hs_control_parse("pause 1800", &req), 0);
	assert_int_equal(req.cmd, HS_CONTROL_PAUSE);
	assert_true(req.pause_s == 1800);
	assert_int_equal(hs_control_parse("pause 0", &req), 0);
	assert_true(req.pause_s == 0); /* until resumed */
	assert_int_equal(hs_control_parse("resume", &req), 0);
	assert_int_equal(req.cmd, HS_CONTROL_RESUME);
	assert_int_equal(hs_control_parse("status", &req), 0);
	assert_int_equal(req.cmd, HS_CONTROL_STATUS);
	assert_false(req.calibrate);
	assert_int_equal(hs_control_parse("stop", &req), 0);
	assert_int_equal(req.cmd, HS_CONTROL_STOP);
	/* calibrate's own requests */
	assert_int_equal(hs_control_parse("pause 65 calibrate", &req), 0);
	assert_int_equal(req.cmd, HS_CONTROL_PAUSE);
	assert_true(req.pause_s == 65);
	assert_true(req.calibrate);
	assert_int_equal(hs_control_parse("resume calibrate", &req), 0);
	assert_int_equal(req.cmd, HS_CONTROL_RESUME);
	assert_true(req.calibrate);
	assert_int_equal(hs_control_parse("resume", &req), 0);
	assert_false(req.calibrate);
	assert_int_equal(
	        hs_control_parse("reload /home/a b/.local/state/c.ini", &req),
	        0);
	assert_int_equal(req.cmd, HS_CONTROL_RELOAD);
	assert_string_equal(req.path, "/home/a b/.local/state/c.ini");

	static const char *const bad[] = {
		"",
		"pause",
		"pause ",
		"pause -5",
		"pause 1e3",
		"pause 30m",
		"pause 604801",
		"pause 99999999999999999999",
		"pause 10 ",
		"resume now",
		"Resume",
		"stop now",
		"Stop",
		"status\r",
		"reload",
		"reload ",
		"reload relative/c.ini",
		"reload /a\tb",
		"pause 0900",
		"pause 60 calibrated",
		"pause 60  calibrate",
		"pause calibrate",
		"resume calibrate now",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		req = (hs_control_request){ .cmd = HS_CONTROL_STATUS,
			                    .pause_s = -1 };
		assert_int_equal(hs_control_parse(bad[i], &req), HS_EINVAL);
		assert_true(req.pause_s == -1); /* untouched */
	}
	assert_int_equal(hs_control_parse("pause 604800", &req), 0);
}

static void pause_status_resume_round_trip(void **state)
{
	(void)state;
	pid_t server = spawn_server(sock, 5);
	char reply[HS_CONTROL_LINE_MAX + 2];
	assert_int_equal(
	        hs_control_send(sock, "pause 1800", reply, sizeof reply), 0);
	assert_string_equal(reply, "paused for 30 minutes; camera released");
	assert_int_equal(hs_control_send(sock, "status", reply, sizeof reply),
	                 0);
	assert_string_equal(reply, "paused");
	assert_int_equal(hs_control_send(sock, "resume", reply, sizeof reply),
	                 0);
	assert_string_equal(reply, "resumed; watching again");
	assert_int_equal(hs_control_send(sock, "status", reply, sizeof reply),
	                 0);
	assert_string_equal(reply, "watching");

	/* A malformed request is answered by the module, not the caller. */
	assert_int_equal(hs_control_send(sock, "jump", reply, sizeof reply), 0);
	assert_string_equal(reply, "error: unknown request 'jump'");
	assert_int_equal(hs_control_send(sock, "pause 60", reply, sizeof reply),
	                 0);
	assert_string_equal(reply, "paused for 1 minute; camera released");
	wait_server(server);

	/* The server removed its socket on the way out. */
	struct stat st;
	assert_int_equal(stat(sock, &st), -1);
	assert_int_equal(hs_control_send(sock, "status", reply, sizeof reply),
	                 HS_ENOENT);
}

static void socket_and_folder_are_private(void **state)
{
	(void)state;
	hs_control *srv = NULL;
	assert_int_equal(hs_control_create(sock, &srv), 0);
	struct stat st;
	assert_int_equal(lstat(sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	char dir[128];
	snprintf(dir, sizeof dir, "%s/headsup", tmp);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* A second monitor cannot take over a live socket. */
	hs_control *other = NULL;
	assert_int_equal(hs_control_create(sock, &other), HS_ELOCKED);
	assert_null(other);
	hs_control_destroy(srv);
	hs_control_destroy(NULL);
}

static void nothing_listening_means_not_running(void **state)
{
	(void)state;
	char reply[64] = "untouched";
	assert_int_equal(hs_control_send(sock, "status", reply, sizeof reply),
	                 HS_ENOENT);

	/* A socket file left by a killed monitor: still "not running", and it
	 * does not stop the next monitor from listening. */
	char dir[128];
	snprintf(dir, sizeof dir, "%s/headsup", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	close(fd);
	assert_int_equal(hs_control_send(sock, "status", reply, sizeof reply),
	                 HS_ENOENT);
	hs_control *srv = NULL;
	assert_int_equal(hs_control_create(sock, &srv), 0);
	hs_control_destroy(srv);
}

static void poll_never_blocks(void **state)
{
	(void)state;
	hs_control *srv = NULL;
	assert_int_equal(hs_control_create(sock, &srv), 0);
	hs_control_request req;
	double t0 = now_s();
	assert_int_equal(hs_control_poll(srv, &req), 0); /* nobody there */

	/* A client that connects and says nothing must not hold the loop. */
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	for (int i = 0; i < 20; i++)
		assert_int_equal(hs_control_poll(srv, &req), 0);
	assert_true(now_s() - t0 < 0.5);

	/* It may finish its line later, in pieces. */
	assert_int_equal(write(fd, "pau", 3), 3);
	assert_int_equal(hs_control_poll(srv, &req), 0);
	assert_int_equal(write(fd, "se 90\n", 6), 6);
	assert_int_equal(hs_control_poll(srv, &req), 1);
	assert_int_equal(req.cmd, HS_CONTROL_PAUSE);
	assert_true(req.pause_s == 90);
	assert_int_equal(hs_control_reply(srv, "ok"), 0);
	char got[16] = { 0 };
	assert_int_equal(read(fd, got, sizeof got - 1), 3);
	assert_string_equal(got, "ok\n");
	close(fd);
	/* No request pending: nothing to reply to. */
	assert_int_equal(hs_control_reply(srv, "late"), HS_EINVAL);
	hs_control_destroy(srv);
}

static int run_cli(const char *args, char *out, size_t size)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "XDG_RUNTIME_DIR='%s' '%s' %s 2>&1", tmp,
	         hs_test_bin(), args);
	return hs_test_run(cmd, out, size);
}

/* An $XDG_RUNTIME_DIR that other users may write to (1777, as /tmp; or
 * 0777) is no runtime folder: another user could have put a socket in it
 * to answer in the monitor's place, or remove the monitor's.  `headsup
 * status` does not even connect to the socket there: it says which
 * folder it passes over and why, and looks in /tmp/headsup-UID, as
 * without the variable (where hs_lock_check_dir() refuses a folder left
 * open: tests/test_lock.c).  A monitor makes nothing there either. */
static void client_never_connects_into_an_open_folder(void **state)
{
	(void)state;
	char shared[72], dir[88], path[104], cmd[512], out[1024];
	snprintf(shared, sizeof shared, "%s/tmp", tmp);
	snprintf(dir, sizeof dir, "%s/headsup", shared);
	snprintf(path, sizeof path, "%s/control.sock", dir);
	assert_int_equal(mkdir(shared, 0700), 0);
	assert_int_equal(chmod(shared, 01777), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(fd, 4), 0);

	char fallback[64];
	snprintf(fallback, sizeof fallback, "/tmp/headsup-%u",
	         (unsigned)getuid());
	static const unsigned modes[] = { 01777, 0777, 0750 };
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		char mode[16];
		assert_int_equal(chmod(shared, modes[i]), 0);
		snprintf(mode, sizeof mode, "mode %04o", modes[i]);
		snprintf(cmd, sizeof cmd,
		         "XDG_RUNTIME_DIR='%s' '%s' status 2>&1", shared,
		         hs_test_bin());
		hs_test_run(cmd, out, sizeof out);
		int taken = accept(fd, NULL, NULL);
		if (taken >= 0)
			close(taken);
		assert_int_equal(taken, -1); /* nobody connected */
		assert_non_null(strstr(out, shared));
		assert_non_null(strstr(out, mode));
		assert_non_null(strstr(out, fallback));
		assert_null(strstr(out, path));
	}

	/* A monitor takes its lock elsewhere too, saying why. */
	assert_int_equal(chmod(shared, 01777), 0);
	snprintf(cmd, sizeof cmd,
	         "XDG_RUNTIME_DIR='%s' XDG_CONFIG_HOME='%s/config' "
	         "XDG_STATE_HOME='%s/state' XDG_DATA_HOME='%s/data' '%s' run "
	         "--source '%s/no-such.avi' 2>&1",
	         shared, tmp, tmp, tmp, hs_test_bin(), tmp);
	hs_test_run(cmd, out, sizeof out);
	close(fd);
	assert_non_null(strstr(out, shared));
	assert_non_null(strstr(out, "mode 1777"));
	snprintf(path, sizeof path, "%s/run.lock", dir);
	assert_int_not_equal(access(path, F_OK), 0);
}

/* A client that connects to 'path' and, until the test writes, says
 * nothing; connecting and reading on it give up after 'timeout_s'. */
static int connect_silent(const char *path, int timeout_s)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct timeval tv = { timeout_s, 0 };
	assert_int_equal(
	        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
	assert_int_equal(
	        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	return fd;
}

/* Send "status" as `headsup status` does; the seconds it took to answer. */
static double timed_status(void)
{
	char reply[HS_CONTROL_LINE_MAX + 2];
	double t0 = now_s();
	assert_int_equal(hs_control_send(sock, "status", reply, sizeof reply),
	                 0);
	double took = now_s() - t0;
	assert_string_equal(reply, "watching");
	return took;
}

/* Wait for the server to close 'fd' without an answer; the seconds from
 * 'since' until it did. */
static double seconds_until_dropped(int fd, double since)
{
	char got[64];
	assert_int_equal(recv(fd, got, sizeof got, 0), 0); /* EOF, no reply */
	return now_s() - since;
}

/* A monitor with nothing to do sleeps in hs_control_wait() for the whole
 * time it gives, yet a client connecting meanwhile ends the sleep at once,
 * and one that connects and stays silent ends it at its deadline; so does
 * a signal. */
static void wait_sleeps_until_a_client_comes(void **state)
{
	(void)state;
	hs_control *srv = NULL;
	assert_int_equal(hs_control_create(sock, &srv), 0);
	double t0 = now_s();
	hs_control_wait(srv, 0.3);
	double took = now_s() - t0;
	assert_true(took > 0.25 && took < 1.0);

	/* `headsup status` 0.3 s into a 10 s sleep. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct timespec later = { 0, 300 * 1000 * 1000 };
		nanosleep(&later, NULL);
		char reply[HS_CONTROL_LINE_MAX + 2];
		int rc = hs_control_send(sock, "status", reply, sizeof reply);
		_exit(rc == 0 && strcmp(reply, "watching") == 0 ? 0 : 1);
	}
	hs_control_request req;
	int n;
	t0 = now_s();
	while ((n = hs_control_poll(srv, &req)) != 1 && now_s() - t0 < 5)
		hs_control_wait(srv, 10);
	took = now_s() - t0;
	assert_int_equal(n, 1);
	assert_int_equal(req.cmd, HS_CONTROL_STATUS);
	assert_true(took > 0.25 && took < 1.5);
	assert_int_equal(hs_control_reply(srv, "watching"), 0);
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* A client that says nothing wakes the sleep when it connects, and
	 * again when its time for a line is up; then it is dropped. */
	int fd = connect_silent(sock, 5);
	t0 = now_s();
	hs_control_wait(srv, 10);
	assert_true(now_s() - t0 < 0.5);
	assert_int_equal(hs_control_poll(srv, &req), 0);
	hs_control_wait(srv, 10);
	took = now_s() - t0;
	assert_true(took > HS_CONTROL_READ_DEADLINE_S - 0.5);
	assert_true(took < HS_CONTROL_READ_DEADLINE_S + 1.0);
	assert_int_equal(hs_control_poll(srv, &req), 0);
	char got[8];
	assert_int_equal(recv(fd, got, sizeof got, 0), 0); /* dropped */
	close(fd);

	/* A signal handler's hs_control_wake() ends the wait, also when it
	 * came before the wait began (after the loop tested its flag): the
	 * wait returns at once, once. */
	hs_control_wake();
	t0 = now_s();
	hs_control_wait(srv, 10);
	assert_true(now_s() - t0 < 0.5);
	t0 = now_s();
	hs_control_wait(srv, 0.3);
	assert_true(now_s() - t0 > 0.25);
	hs_control_destroy(srv);
}

static void idle_clients_do_not_hold_up_a_request(void **state)
{
	(void)state;
	pid_t server = spawn_server(sock, 3);
	int idle[3];
	double connected = now_s();
	for (int i = 0; i < 3; i++)
		idle[i] = connect_silent(sock, 5);
	struct timespec settle = { 0, 100 * 1000 * 1000 };
	nanosleep(&settle, NULL); /* the server has taken them all by now */

	/* Answered at once, not after the silent ones' deadlines. */
	assert_true(timed_status() < HS_CONTROL_READ_DEADLINE_S / 4);
	char out[1024];
	double t0 = now_s();
	assert_int_equal(run_cli("status", out, sizeof out), 0);
	assert_string_equal(out, "watching\n");
	assert_true(now_s() - t0 < HS_CONTROL_READ_DEADLINE_S / 2);

	/* Each silent client is let go after its own deadline. */
	for (int i = 0; i < 3; i++) {
		double after = seconds_until_dropped(idle[i], connected);
		assert_true(after > HS_CONTROL_READ_DEADLINE_S - 0.5);
		assert_true(after < HS_CONTROL_READ_DEADLINE_S + 1.5);
		close(idle[i]);
	}
	assert_true(timed_status() < HS_CONTROL_READ_DEADLINE_S / 4);
	wait_server(server);
}

static void more_idle_clients_than_connections(void **state)
{
	(void)state;
	pid_t server = spawn_server(sock, 1);
	enum {
		N = HS_CONTROL_CLIENTS + 4
	};
	int idle[N];
	for (int i = 0; i < N; i++)
		idle[i] = connect_silent(sock, 5);
	struct timespec settle = { 0, 100 * 1000 * 1000 };
	nanosleep(&settle, NULL);

	/* A newcomer takes the place of the client silent longest. */
	assert_true(timed_status() < HS_CONTROL_READ_DEADLINE_S / 4);
	char got[8];
	assert_int_equal(recv(idle[0], got, sizeof got, MSG_DONTWAIT), 0);
	assert_int_equal(recv(idle[N - 1], got, sizeof got, MSG_DONTWAIT), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK); /* still on */
	for (int i = 0; i < N; i++)
		close(idle[i]);
	wait_server(server);
}

/* Connections taken in the same poll read the same clock; the one that
 * has waited longest is still the one accepted first.  One poll takes a
 * first client, the next fills the other slots and drops that one for a
 * newcomer (all of them accepted at one time), the third drops the oldest
 * of those, not the newcomer that took the first slot. */
static void ties_in_time_drop_the_first_accepted(void **state)
{
	(void)state;
	hs_control *srv = NULL;
	assert_int_equal(hs_control_create(sock, &srv), 0);
	enum {
		N = HS_CONTROL_CLIENTS + 2
	};
	int idle[N];
	hs_control_request req;
	idle[0] = connect_silent(sock, 5);
	assert_int_equal(hs_control_poll(srv, &req), 0);
	for (int i = 1; i <= HS_CONTROL_CLIENTS; i++)
		idle[i] = connect_silent(sock, 5);
	assert_int_equal(hs_control_poll(srv, &req), 0);
	idle[N - 1] = connect_silent(sock, 5);
	assert_int_equal(hs_control_poll(srv, &req), 0);

	char got[8];
	for (int i = 0; i < N; i++) {
		ssize_t n = recv(idle[i], got, sizeof got, MSG_DONTWAIT);
		if (i < 2) {
			assert_int_equal(n, 0); /* dropped, oldest first */
		} else {
			assert_int_equal(n, -1); /* kept its place */
			assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
		}
		close(idle[i]);
	}
	hs_control_destroy(srv);
}

static void half_a_line_holds_up_nobody(void **state)
{
	(void)state;
	pid_t server = spawn_server(sock, 4);
	int slow = connect_silent(sock, 5);
	assert_int_equal(write(slow, "stat", 4), 4);
	struct timespec settle = { 0, 100 * 1000 * 1000 };
	nanosleep(&settle, NULL);

	assert_true(timed_status() < HS_CONTROL_READ_DEADLINE_S / 4);
	/* The slow client's half line was kept apart, and it may finish. */
	assert_int_equal(write(slow, "us\n", 3), 3);
	char got[32] = { 0 };
	assert_int_equal(recv(slow, got, sizeof got - 1, 0), 9);
	assert_string_equal(got, "watching\n");
	close(slow);

	/* One that never finishes is dropped after its deadline, unanswered,
	 * and others are answered meanwhile. */
	double connected = now_s();
	int stalled = connect_silent(sock, 5);
	assert_int_equal(write(stalled, "pau", 3), 3);
	nanosleep(&settle, NULL);
	assert_true(timed_status() < HS_CONTROL_READ_DEADLINE_S / 4);
	double after = seconds_until_dropped(stalled, connected);
	assert_true(after > HS_CONTROL_READ_DEADLINE_S - 0.5);
	assert_true(after < HS_CONTROL_READ_DEADLINE_S + 1.5);
	close(stalled);
	assert_true(timed_status() < HS_CONTROL_READ_DEADLINE_S / 4);
	wait_server(server);
}

static void pause_and_resume_commands_reach_the_monitor(void **state)
{
	(void)state;
	char out[1024];
	pid_t server = spawn_server(sock, 5);
	assert_int_equal(run_cli("pause 30m", out, sizeof out), 0);
	assert_string_equal(out, "paused for 30 minutes; camera released\n");
	assert_int_equal(run_cli("pause 1h30m", out, sizeof out), 0);
	assert_string_equal(out,
	                    "paused for 1 hour 30 minutes; camera released\n");
	assert_int_equal(run_cli("pause", out, sizeof out), 0);
	assert_string_equal(out, "paused until resumed; camera released\n");
	assert_int_equal(run_cli("resume", out, sizeof out), 0);
	assert_string_equal(out, "resumed; watching again\n");
	/* The monitor's refusal is shown, and is a failure. */
	assert_int_equal(run_cli("resume", out, sizeof out), 1);
	assert_string_equal(out, "headsup: the monitor is not paused\n");
	wait_server(server);

	assert_int_equal(run_cli("pause 10m", out, sizeof out), 1);
	assert_non_null(strstr(out, "headsup is not running"));
	assert_int_equal(run_cli("resume", out, sizeof out), 1);
	assert_non_null(strstr(out, "headsup is not running"));
	assert_int_equal(run_cli("status", out, sizeof out), 1);
	assert_non_null(strstr(out, "headsup is not running"));
}

static void bad_arguments_are_usage_errors(void **state)
{
	(void)state;
	char out[1024];
	static const char *const bad[] = {
		"pause 5x",   "pause 0",       "pause 8d",   "pause 30m 1h",
		"pause -1h",  "pause --fast",  "resume now", "resume --fast",
		"status now", "status --fast",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(run_cli(bad[i], out, sizeof out), 2);
		assert_non_null(strstr(out, "Usage: headsup "));
	}
	assert_int_equal(run_cli("pause 5x", out, sizeof out), 2);
	assert_non_null(strstr(out, "bad duration '5x'"));
	/* a negative duration is named whole, not taken for options */
	assert_int_equal(run_cli("pause -5m", out, sizeof out), 2);
	assert_non_null(strstr(out, "bad duration '-5m'"));

	assert_int_equal(run_cli("pause --help", out, sizeof out), 0);
	assert_non_null(
	        strstr(out, "Usage: headsup pause [--announce] [DURATION]"));
	assert_non_null(strstr(out, "Exit status:"));
	assert_non_null(strstr(out, "not a diagnosis"));
	assert_int_equal(run_cli("resume --help", out, sizeof out), 0);
	assert_non_null(strstr(out, "Usage: headsup resume"));
	assert_non_null(strstr(out, "Exit status:"));
	assert_int_equal(run_cli("status --help", out, sizeof out), 0);
	assert_non_null(strstr(out, "Usage: headsup status\n"));
	assert_non_null(strstr(out, "Exit status:"));
	/* A command without arguments shows no dangling blank. */
	assert_int_equal(run_cli("status now", out, sizeof out), 2);
	assert_non_null(strstr(out, "Usage: headsup status\n"));

	/* A global option after the command says where it goes; nothing
	 * is started. */
	static const char *const late[][2] = {
		{ "run -v",
		  "'-v' goes before the command, as in 'headsup -v run'" },
		{ "status --quiet", "as in 'headsup --quiet status'" },
		{ "report --verbose", "as in 'headsup --verbose report'" },
	};
	for (size_t i = 0; i < sizeof late / sizeof late[0]; i++) {
		assert_int_equal(run_cli(late[i][0], out, sizeof out), 2);
		assert_non_null(strstr(out, late[i][1]));
	}
	/* The refused option is named: a long one, one inside a bundle of
	 * short ones (not the command, which getopt's optind points at),
	 * and one whose value is missing. */
	static const char *const refused[][2] = {
		{ "analyze --bogus x.png", "unknown option '--bogus'" },
		{ "status -5m", "unknown option '-5'" },
		{ "report -ab", "unknown option '-a'" },
		{ "run -vx", "'-v' goes before the command" },
		{ "run --source", "option '--source' needs a value" },
		{ "report --date", "option '--date' needs a value" },
		/* a value given to an option that takes none */
		{ "run --help=x", "option '--help' takes no value" },
		{ "analyze --json=1 x.png", "option '--json' takes no value" },
		{ "run --source=x -Zv", "unknown option '-Z'" },
		{ "--help=1", "option '--help' takes no value" },
		{ "report --date 1969-12-31", "a real day from 1970 on" },
		/* an abbreviation that fits more than one option names them
		 * (glibc's getopt only refuses it), a typo the one meant */
		{ "run --c x", "option '--c' is ambiguous: it could be "
		               "--config, --calibration, --clock-start" },
		{ "report --d=today", "option '--d' is ambiguous: it could "
		                      "be --date, --days" },
		{ "--v", "it could be --verbose, --version" },
		{ "run --sorce x", "unknown option '--sorce'; did you mean "
		                   "'--source'?" },
		{ "run --=x", "unknown option '--=x'" },
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(run_cli(refused[i][0], out, sizeof out), 2);
		assert_non_null(strstr(out, refused[i][1]));
	}
}

static void extra_argument_names_the_command(void **state)
{
	(void)state;
	char out[1024];
	assert_int_equal(run_cli("status extra", out, sizeof out), 2);
	assert_string_equal(out, "headsup: status takes no arguments, got "
	                         "'extra'\n"
	                         "Usage: headsup status\n"
	                         "Try 'headsup status --help'.\n");
	assert_int_equal(run_cli("resume now", out, sizeof out), 2);
	assert_non_null(
	        strstr(out, "headsup: resume takes no arguments, got 'now'\n"));
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(requests_parse_strictly),
		cmocka_unit_test(the_watched_camera_is_read_from_the_status),
		cmocka_unit_test_setup_teardown(
		        a_socket_that_cannot_be_made_is_named, setup, teardown),
		cmocka_unit_test_setup_teardown(pause_status_resume_round_trip,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(socket_and_folder_are_private,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        nothing_listening_means_not_running, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        client_never_connects_into_an_open_folder, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(poll_never_blocks, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		        wait_sleeps_until_a_client_comes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        pause_and_resume_commands_reach_the_monitor, setup,
		        teardown),
		cmocka_unit_test_setup_teardown(bad_arguments_are_usage_errors,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        idle_clients_do_not_hold_up_a_request, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        more_idle_clients_than_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(
		        ties_in_time_drop_the_first_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(half_a_line_holds_up_nobody,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(
		        extra_argument_names_the_command, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

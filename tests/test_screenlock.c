/* test_screenlock.c - the screen-lock watcher against real D-Bus daemons.
 *
 * The test re-runs itself under dbus-run-session, so it has a private
 * session bus, and starts a second private dbus-daemon that stands in for
 * the system bus (DBUS_SYSTEM_BUS_ADDRESS).  On them the same program, run
 * again with --fake-screensaver or --fake-logind, plays the screen saver
 * or logind: it owns the name, answers GetActive / LockedHint, and emits
 * ActiveChanged / PropertiesChanged when told "lock" or "unlock" on its
 * stdin.  Without dbus-run-session the bus tests are skipped, loudly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "headsup/screenlock.h"
#include "testutil.h"

static char self[PATH_MAX];
static bool have_buses;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ==== the fake services (run in their own process) ====================== */

static bool fake_active;
static GDBusConnection *fake_conn;
static const char *fake_name, *fake_path;
static GMainLoop *fake_loop;

static const char saver_xml_fmt[] =
        "<node><interface name='%s'>"
        "<method name='GetActive'><arg type='b' direction='out'/></method>"
        "<signal name='ActiveChanged'><arg type='b'/></signal>"
        "</interface></node>";

static const char logind_xml[] =
        "<node>"
        "<interface name='org.freedesktop.login1.Manager'>"
        "<method name='GetSession'><arg type='s' direction='in'/>"
        "<arg type='o' direction='out'/></method>"
        "</interface>"
        "<interface name='org.freedesktop.login1.Session'>"
        "<property name='LockedHint' type='b' access='read'/>"
        "</interface>"
        "</node>";

#define FAKE_SESSION_PATH "/org/freedesktop/login1/session/c7"

static void fake_call(GDBusConnection *conn, const char *sender,
                      const char *path, const char *iface, const char *method,
                      GVariant *params, GDBusMethodInvocation *inv,
                      gpointer data)
{
	(void)conn;
	(void)sender;
	(void)path;
	(void)iface;
	(void)data;
	if (strcmp(method, "GetActive") == 0) {
		g_dbus_method_invocation_return_value(
		        inv, g_variant_new("(b)", fake_active));
		return;
	}
	/* GetSession: only the session the watcher should ask for. */
	const char *id = NULL;
	g_variant_get(params, "(&s)", &id);
	const char *want = getenv("XDG_SESSION_ID");
	if (strcmp(id, want && want[0] ? want : "auto") != 0) {
		g_dbus_method_invocation_return_dbus_error(
		        inv, "org.freedesktop.login1.NoSuchSession", id);
		return;
	}
	g_dbus_method_invocation_return_value(
	        inv, g_variant_new("(o)", FAKE_SESSION_PATH));
}

static GVariant *fake_property(GDBusConnection *conn, const char *sender,
                               const char *path, const char *iface,
                               const char *prop, GError **err, gpointer data)
{
	(void)conn;
	(void)sender;
	(void)path;
	(void)iface;
	(void)prop;
	(void)err;
	(void)data;
	return g_variant_new_boolean(fake_active);
}

static const GDBusInterfaceVTable fake_vtable = {
	.method_call = fake_call,
	.get_property = fake_property,
};

static void fake_emit(void)
{
	GError *err = NULL;
	bool ok;
	if (strcmp(fake_name, "org.freedesktop.login1") == 0) {
		GVariantBuilder changed;
		g_variant_builder_init(&changed, G_VARIANT_TYPE("a{sv}"));
		g_variant_builder_add(&changed, "{sv}", "LockedHint",
		                      g_variant_new_boolean(fake_active));
		ok = g_dbus_connection_emit_signal(
		        fake_conn, NULL, FAKE_SESSION_PATH,
		        "org.freedesktop.DBus.Properties", "PropertiesChanged",
		        g_variant_new("(sa{sv}as)",
		                      "org.freedesktop.login1.Session",
		                      &changed, NULL),
		        &err);
	} else {
		ok = g_dbus_connection_emit_signal(
		        fake_conn, NULL, fake_path, fake_name, "ActiveChanged",
		        g_variant_new("(b)", fake_active), &err);
	}
	if (!ok) {
		fprintf(stderr, "fake: emit failed: %s\n", err->message);
		exit(1);
	}
	g_dbus_connection_flush_sync(fake_conn, NULL, NULL);
}

static gboolean fake_command(gint fd, GIOCondition cond, gpointer data)
{
	(void)cond;
	(void)data;
	char line[64];
	ssize_t n = read(fd, line, sizeof line - 1);
	if (n <= 0) {
		g_main_loop_quit(fake_loop);
		return G_SOURCE_REMOVE;
	}
	line[n] = '\0';
	for (char *cmd = strtok(line, "\n"); cmd; cmd = strtok(NULL, "\n")) {
		if (strcmp(cmd, "quit") == 0) {
			g_main_loop_quit(fake_loop);
			return G_SOURCE_REMOVE;
		}
		fake_active = strcmp(cmd, "lock") == 0;
		fake_emit();
		printf("done\n");
		fflush(stdout);
	}
	return G_SOURCE_CONTINUE;
}

static void fake_acquired(GDBusConnection *conn, const char *name,
                          gpointer data)
{
	(void)conn;
	(void)name;
	(void)data;
	printf("ready\n");
	fflush(stdout);
}

static void fake_lost(GDBusConnection *conn, const char *name, gpointer data)
{
	(void)conn;
	(void)data;
	fprintf(stderr, "fake: could not own %s\n", name);
	exit(1);
}

/* argv: --fake-screensaver NAME PATH locked|unlocked, or
 *       --fake-logind locked|unlocked */
static int fake_main(int argc, char **argv)
{
	bool logind = strcmp(argv[1], "--fake-logind") == 0;
	if (argc < (logind ? 3 : 5))
		return 2;
	fake_name = logind ? "org.freedesktop.login1" : argv[2];
	fake_path = logind ? "/org/freedesktop/login1" : argv[3];
	fake_active = strcmp(argv[logind ? 2 : 4], "locked") == 0;
	GError *err = NULL;
	fake_conn = g_bus_get_sync(
	        logind ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION, NULL, &err);
	if (!fake_conn) {
		fprintf(stderr, "fake: no bus: %s\n", err->message);
		return 1;
	}
	char xml[1024];
	if (logind)
		snprintf(xml, sizeof xml, "%s", logind_xml);
	else
		snprintf(xml, sizeof xml, saver_xml_fmt, fake_name);
	GDBusNodeInfo *node = g_dbus_node_info_new_for_xml(xml, &err);
	if (!node) {
		fprintf(stderr, "fake: bad XML: %s\n", err->message);
		return 1;
	}
	if (!g_dbus_connection_register_object(
	            fake_conn, fake_path, node->interfaces[0], &fake_vtable,
	            NULL, NULL, &err) ||
	    (logind &&
	     !g_dbus_connection_register_object(
	             fake_conn, FAKE_SESSION_PATH, node->interfaces[1],
	             &fake_vtable, NULL, NULL, &err))) {
		fprintf(stderr, "fake: cannot export: %s\n", err->message);
		return 1;
	}
	fake_loop = g_main_loop_new(NULL, FALSE);
	g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP, fake_command, NULL);
	guint own = g_bus_own_name_on_connection(
	        fake_conn, fake_name, G_BUS_NAME_OWNER_FLAGS_NONE,
	        fake_acquired, fake_lost, NULL, NULL);
	g_main_loop_run(fake_loop);
	g_bus_unown_name(own);
	g_dbus_connection_flush_sync(fake_conn, NULL, NULL);
	g_main_loop_unref(fake_loop);
	g_dbus_node_info_unref(node);
	g_object_unref(fake_conn);
	return 0;
}

/* ==== probe: a watcher in a process of its own ========================== */

/* Create a watcher, poll it for a second, print what it found. */
static int probe_main(void)
{
	double t0 = now_s();
	hs_screenlock *w = NULL;
	if (hs_screenlock_create(&w) != 0)
		return 1;
	while (now_s() - t0 < 1.0) {
		hs_screenlock_poll(w);
		struct timespec frame = { 0, 20 * 1000 * 1000 };
		nanosleep(&frame, NULL);
	}
	printf("source=%s locked=%s\n", hs_screenlock_source(w),
	       hs_screenlock_locked(w) ? "yes" : "no");
	hs_screenlock_destroy(w);
	return 0;
}

/* ==== the test side ===================================================== */

typedef struct fake {
	pid_t pid;
	int to, from;
} fake;

static bool read_line_timeout(int fd, char *buf, size_t size, int timeout_ms)
{
	size_t n = 0;
	double end = now_s() + timeout_ms / 1000.0;
	while (n + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)((end - now_s()) * 1000);
		if (left <= 0 || poll(&p, 1, left) <= 0)
			return false;
		if (read(fd, buf + n, 1) != 1)
			return false;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return true;
}

static fake start_fake(const char *const args[])
{
	int to[2], from[2];
	assert_int_equal(pipe(to), 0);
	assert_int_equal(pipe(from), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(to[0], STDIN_FILENO);
		dup2(from[1], STDOUT_FILENO);
		close(to[0]);
		close(to[1]);
		close(from[0]);
		close(from[1]);
		char *argv[8] = { self };
		for (int i = 0; args[i] && i < 6; i++)
			argv[i + 1] = strdup(args[i]); /* exec follows */
		execv(self, argv);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	fake f = { pid, to[1], from[0] };
	char line[64];
	assert_true(read_line_timeout(f.from, line, sizeof line, 5000));
	assert_string_equal(line, "ready");
	return f;
}

static void tell_fake(fake *f, const char *cmd)
{
	char line[64];
	snprintf(line, sizeof line, "%s\n", cmd);
	assert_int_equal(write(f->to, line, strlen(line)),
	                 (ssize_t)strlen(line));
	assert_true(read_line_timeout(f->from, line, sizeof line, 5000));
	assert_string_equal(line, "done");
}

static void stop_fake(fake *f)
{
	assert_int_equal(write(f->to, "quit\n", 5), 5);
	close(f->to);
	int st = 0;
	assert_int_equal(waitpid(f->pid, &st, 0), f->pid);
	close(f->from);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Poll the watcher like the monitor loop until it reports the expected
 * state, for at most 5 s. */
static bool wait_for(hs_screenlock *w, const char *source, bool locked)
{
	double end = now_s() + 5;
	while (now_s() < end) {
		hs_screenlock_poll(w);
		if (strcmp(hs_screenlock_source(w), source) == 0 &&
		    hs_screenlock_locked(w) == locked)
			return true;
		struct timespec frame = { 0, 10 * 1000 * 1000 };
		nanosleep(&frame, NULL);
	}
	fprintf(stderr, "watcher says source=%s locked=%d, wanted %s %d\n",
	        hs_screenlock_source(w), hs_screenlock_locked(w), source,
	        locked);
	return false;
}

static void need_buses(void)
{
	/* Inside dbus-run-session, dbus is there: a system bus that would
	 * not start is a failure, not a missing package. */
	if (!have_buses && getenv("HS_TEST_PRIVATE_BUS") &&
	    getenv("DBUS_SESSION_BUS_ADDRESS"))
		fail_msg("the private system bus (dbus-daemon) did not start");
	if (!have_buses) {
		fprintf(stderr,
		        "SKIPPED: no private D-Bus session "
		        "(install dbus: dbus-run-session, dbus-daemon)\n");
		skip();
	}
}

static void freedesktop_screensaver_lock_and_unlock(void **state)
{
	(void)state;
	need_buses();
	static const char *const args[] = { "--fake-screensaver",
		                            "org.freedesktop.ScreenSaver",
		                            "/org/freedesktop/ScreenSaver",
		                            "unlocked", NULL };
	fake f = start_fake(args);
	hs_screenlock *w = NULL;
	assert_int_equal(hs_screenlock_create(&w), 0);
	assert_true(wait_for(w, "org.freedesktop.ScreenSaver", false));
	tell_fake(&f, "lock");
	assert_true(wait_for(w, "org.freedesktop.ScreenSaver", true));
	tell_fake(&f, "unlock");
	assert_true(wait_for(w, "org.freedesktop.ScreenSaver", false));
	tell_fake(&f, "lock");
	assert_true(wait_for(w, "org.freedesktop.ScreenSaver", true));
	/* The screen saver goes away: its last word no longer counts. */
	stop_fake(&f);
	assert_true(wait_for(w, "none", false));
	hs_screenlock_destroy(w);
}

static void screensaver_started_later_is_followed(void **state)
{
	(void)state;
	need_buses();
	hs_screenlock *w = NULL;
	assert_int_equal(hs_screenlock_create(&w), 0);
	for (int i = 0; i < 20; i++) {
		hs_screenlock_poll(w);
		struct timespec frame = { 0, 10 * 1000 * 1000 };
		nanosleep(&frame, NULL);
	}
	assert_string_equal(hs_screenlock_source(w), "none");
	assert_false(hs_screenlock_locked(w));

	static const char *const args[] = { "--fake-screensaver",
		                            "org.gnome.ScreenSaver",
		                            "/org/gnome/ScreenSaver", "locked",
		                            NULL };
	fake f = start_fake(args);
	assert_true(wait_for(w, "org.gnome.ScreenSaver", true));
	tell_fake(&f, "unlock");
	assert_true(wait_for(w, "org.gnome.ScreenSaver", false));
	stop_fake(&f);
	hs_screenlock_destroy(w);
}

static void logind_locked_hint_is_followed(void **state)
{
	(void)state;
	need_buses();
	setenv("XDG_SESSION_ID", "c7", 1);
	static const char *const args[] = { "--fake-logind", "unlocked", NULL };
	fake f = start_fake(args);
	hs_screenlock *w = NULL;
	assert_int_equal(hs_screenlock_create(&w), 0);
	assert_true(wait_for(w, "logind", false));
	tell_fake(&f, "lock");
	assert_true(wait_for(w, "logind", true));
	tell_fake(&f, "unlock");
	assert_true(wait_for(w, "logind", false));

	/* A screen saver, once there, is preferred over logind. */
	static const char *const saver_args[] = {
		"--fake-screensaver", "org.freedesktop.ScreenSaver",
		"/org/freedesktop/ScreenSaver", "locked", NULL
	};
	fake s = start_fake(saver_args);
	assert_true(wait_for(w, "org.freedesktop.ScreenSaver", true));
	stop_fake(&s);
	assert_true(wait_for(w, "logind", false));
	stop_fake(&f);
	hs_screenlock_destroy(w);
	unsetenv("XDG_SESSION_ID");
}

/* Run the probe with the given bus addresses; its output in out. */
static double run_probe(const char *session, const char *system, char *out,
                        size_t size)
{
	char cmd[PATH_MAX + 512];
	snprintf(cmd, sizeof cmd,
	         "env -u DISPLAY -u XDG_RUNTIME_DIR "
	         "DBUS_SESSION_BUS_ADDRESS='%s' "
	         "DBUS_SYSTEM_BUS_ADDRESS='%s' '%s' --probe",
	         session, system, self);
	double t0 = now_s();
	assert_int_equal(hs_test_run(cmd, out, size), 0);
	return now_s() - t0;
}

static void without_a_bus_it_carries_on(void **state)
{
	(void)state;
	char out[256];
	double took =
	        run_probe("unix:path=/nonexistent/bus",
	                  "unix:path=/nonexistent/system", out, sizeof out);
	assert_string_equal(out, "source=none locked=no\n");
	assert_true(took < 3.0);
}

static void a_bus_that_never_answers_does_not_hang(void **state)
{
	(void)state;
	/* A socket that accepts connections but never says a word. */
	char dir[64];
	hs_test_tmpdir(dir, sizeof dir);
	char path[100];
	snprintf(path, sizeof path, "%s/mute", dir);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(fd, 8), 0);
	char bus[128], out[256];
	snprintf(bus, sizeof bus, "unix:path=%s", path);
	double took = run_probe(bus, bus, out, sizeof out);
	assert_string_equal(out, "source=none locked=no\n");
	assert_true(took < 3.0);
	close(fd);
	hs_test_rmtree(dir);
}

/* Start a dbus-daemon to stand in for the system bus; its pid. */
static pid_t start_system_bus(void)
{
	int out[2];
	if (pipe(out) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execlp("dbus-daemon", "dbus-daemon", "--session", "--nofork",
		       "--nosyslog", "--print-address=1", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char addr[512];
	bool ok = pid > 0 && read_line_timeout(out[0], addr, sizeof addr, 5000);
	close(out[0]);
	if (!ok) {
		fprintf(stderr,
		        "cannot start a dbus-daemon for the system bus\n");
		return -1;
	}
	setenv("DBUS_SYSTEM_BUS_ADDRESS", addr, 1);
	return pid;
}

int main(int argc, char **argv)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	if (argc > 1 && strncmp(argv[1], "--fake-", 7) == 0)
		return fake_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		return probe_main();

	/* Onto a private session bus, and no real desktop's screen saver. */
	if (!getenv("HS_TEST_PRIVATE_BUS")) {
		setenv("HS_TEST_PRIVATE_BUS", "1", 1);
		execlp("dbus-run-session", "dbus-run-session", "--", self,
		       (char *)NULL);
		fprintf(stderr,
		        "SKIPPED: cannot run dbus-run-session (%s); the "
		        "screen-lock "
		        "tests against D-Bus need the dbus package\n",
		        strerror(errno));
	}
	pid_t system_bus = -1;
	if (getenv("HS_TEST_PRIVATE_BUS") &&
	    getenv("DBUS_SESSION_BUS_ADDRESS")) {
		system_bus = start_system_bus();
		have_buses = system_bus > 0;
	}
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(without_a_bus_it_carries_on),
		cmocka_unit_test(a_bus_that_never_answers_does_not_hang),
		cmocka_unit_test(freedesktop_screensaver_lock_and_unlock),
		cmocka_unit_test(screensaver_started_later_is_followed),
		cmocka_unit_test(logind_locked_hint_is_followed),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	if (system_bus > 0) {
		kill(system_bus, SIGTERM);
		waitpid(system_bus, NULL, 0);
	}
	return failed;
}

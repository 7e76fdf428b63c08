/* test_display.c - hs_display_check(): which displays --preview may use;
 * hs_display_session_bus(): which session bus notifications may use.
 *
 * The displays are real sockets made here: an X server's in the abstract
 * namespace (where Xorg and Xvfb listen too), a Wayland compositor's in a
 * temporary XDG_RUNTIME_DIR.  Nothing is drawn; only whether a window may
 * be tried, and why not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "headsup/display.h"
#include "headsup/err.h"
#include "testutil.h"

static char dir[256];
static int x_fd = -1, wl_fd = -1;
static int x_number;

/* A listening Unix socket at path (abstract: in the abstract namespace). */
static int listen_at(const char *path, int abstract)
{
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	size_t len = strlen(path);
	memcpy(a.sun_path + abstract, path, len);
	const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a,
	         (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len +
	                     (size_t)abstract)) != 0 ||
	    listen(fd, 4) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int setup(void **state)
{
	(void)state;
	hs_test_tmpdir(dir, sizeof dir);
	/* An X server on the first free display number from 300. */
	char path[64];
	for (x_number = 300; x_number < 400 && x_fd < 0; x_number++) {
		snprintf(path, sizeof path, "/tmp/.X11-unix/X%d", x_number);
		if (access(path, F_OK) != 0)
			x_fd = listen_at(path, 1);
	}
	x_number--;
	char wl[300];
	snprintf(wl, sizeof wl, "%s/wayland-test", dir);
	wl_fd = listen_at(wl, 0);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	return x_fd >= 0 && wl_fd >= 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	close(x_fd);
	close(wl_fd);
	hs_test_rmtree(dir);
	return 0;
}

/* hs_display_check() with these variables (NULL: unset). */
static int check(const char *qpa, const char *display, const char *wayland,
                 char *why, size_t size)
{
	const char *names[] = { "QT_QPA_PLATFORM", "DISPLAY",
		                "WAYLAND_DISPLAY" };
	const char *values[] = { qpa, display, wayland };
	for (int i = 0; i < 3; i++) {
		if (values[i])
			setenv(names[i], values[i], 1);
		else
			unsetenv(names[i]);
	}
	why[0] = '\0';
	return hs_display_check(why, size);
}

static void an_x_display_here_is_used(void **state)
{
	(void)state;
	char d[32], why[512];
	snprintf(d, sizeof d, ":%d", x_number);
	assert_int_equal(check(NULL, d, NULL, why, sizeof why), 0);
	snprintf(d, sizeof d, ":%d.0", x_number);
	assert_int_equal(check("xcb", d, NULL, why, sizeof why), 0);
	snprintf(d, sizeof d, "unix:%d", x_number);
	assert_int_equal(check("XCB:nograb", d, NULL, why, sizeof why), 0);
}

static void no_display_says_why(void **state)
{
	(void)state;
	char why[512];
	assert_int_equal(check(NULL, NULL, NULL, why, sizeof why), HS_ENOENT);
	assert_string_equal(why, "DISPLAY is not set (no graphical session)");
	assert_int_equal(check(NULL, "nonsense", NULL, why, sizeof why),
	                 HS_ENOENT);
	assert_non_null(strstr(why, "'nonsense' is not a display name"));
}

/* Pictures on another host's screen, or through ssh -X's TCP tunnel,
 * would cross a network: refused, whether or not anything answers. */
static void a_display_over_the_network_is_refused(void **state)
{
	(void)state;
	char why[512];
	static const char *const remote[] = { "localhost:10.0", "host:0",
		                              "192.0.2.7:0.0", "[::1]:3" };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(check(NULL, remote[i], NULL, why, sizeof why),
		                 HS_EINVAL);
		assert_non_null(strstr(why, "over the network"));
	}
}

/* Qt's platforms other than xcb and wayland draw off screen or serve the
 * window over VNC; one of them anywhere in a ';' list (Qt falls back to
 * the next entry) is refused too. */
static void other_qt_platforms_are_refused(void **state)
{
	(void)state;
	char d[32], why[512];
	snprintf(d, sizeof d, ":%d", x_number);
	static const char *const bad[] = {
		"vnc",         "vnc:size=800x600",  "offscreen", "xcbx",
		"wayland;vnc", "xcb;vnc:port=5901", "eglfs",     ";",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (check(bad[i], d, "wayland-test", why, sizeof why) !=
		    HS_EINVAL)
			fail_msg("QT_QPA_PLATFORM '%s' was not refused",
			         bad[i]);
		assert_non_null(strstr(why, "is not a window on this screen"));
	}
}

static void a_wayland_compositor_here_is_used(void **state)
{
	(void)state;
	char why[512], path[400];
	assert_int_equal(
	        check("wayland", NULL, "wayland-test", why, sizeof why), 0);
	snprintf(path, sizeof path, "%s/wayland-test", dir);
	assert_int_equal(check("wayland-egl", NULL, path, why, sizeof why), 0);
	/* None answers: said, rather than Qt aborting the process. */
	assert_int_equal(check("wayland", NULL, "wayland-9", why, sizeof why),
	                 HS_ENOENT);
	assert_non_null(strstr(why, "no Wayland compositor answers on"));
	/* Qt falls back to xcb: usable when the X display is. */
	char d[32];
	snprintf(d, sizeof d, ":%d", x_number);
	assert_int_equal(check("wayland;xcb", d, "wayland-9", why, sizeof why),
	                 0);
	assert_int_equal(
	        check("wayland;xcb", NULL, "wayland-9", why, sizeof why),
	        HS_ENOENT);
}

/* The session bus (notifications, the screen saver) is used only through
 * a local socket: a list with any other transport is refused; without an
 * address, the default bus socket in $XDG_RUNTIME_DIR counts only when
 * that folder is private (another user could have put it there). */
static void only_a_local_session_bus_is_used(void **state)
{
	(void)state;
	char *old = getenv("DBUS_SESSION_BUS_ADDRESS");
	old = old ? strdup(old) : NULL;
	setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1/bus", 1);
	assert_int_equal(hs_display_session_bus(), 1);
	setenv("DBUS_SESSION_BUS_ADDRESS",
	       "unix:abstract=/tmp/dbus-x;unix:path=/run/user/1/bus", 1);
	assert_int_equal(hs_display_session_bus(), 1);
	static const char *const remote[] = {
		"tcp:host=127.0.0.1,port=18081",
		"unix:path=/run/user/1/bus;tcp:host=example.org,port=1",
		"nonce-tcp:host=localhost,port=1",
		"unixexec:path=ssh,argv1=host",
		"autolaunch:",
		"uni",
	};
	for (size_t i = 0; i < sizeof remote / sizeof remote[0]; i++) {
		setenv("DBUS_SESSION_BUS_ADDRESS", remote[i], 1);
		if (hs_display_session_bus() != HS_ENOTLOCAL)
			fail_msg("'%s' was taken as local", remote[i]);
	}
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	char bus[300];
	snprintf(bus, sizeof bus, "%s/bus", dir);
	const int fd = listen_at(bus, 0);
	assert_true(fd >= 0);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(hs_display_session_bus(), 1);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(hs_display_session_bus(), 0);
	assert_int_equal(chmod(dir, 0700), 0);
	close(fd);
	unlink(bus);
	if (old)
		setenv("DBUS_SESSION_BUS_ADDRESS", old, 1);
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_x_display_here_is_used),
		cmocka_unit_test(no_display_says_why),
		cmocka_unit_test(a_display_over_the_network_is_refused),
		cmocka_unit_test(other_qt_platforms_are_refused),
		cmocka_unit_test(a_wayland_compositor_here_is_used),
		cmocka_unit_test(only_a_local_session_bus_is_used),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* display.c - see display.h. */
#include "headsup/display.h"

#include "headsup/err.h"
#include "headsup/paths.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Connect to a Unix socket by path, or in the abstract namespace when
 * abstract is set (where Xorg and Xvfb listen too). */
static bool can_connect(const char *path, bool abstract)
{
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	size_t len = strlen(path);
	if (len + 1 >= sizeof addr.sun_path)
		return false;
	memcpy(addr.sun_path + (abstract ? 1 : 0), path, len);
	socklen_t size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	                             len + (abstract ? 1 : 0));
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool ok = connect(fd, (const struct sockaddr *)&addr, size) == 0;
	close(fd);
	return ok;
}

/* An X display on this machine: DISPLAY is [unix]:N[.screen] and its
 * server answers. */
static int check_x11(char *why, size_t size)
{
	const char *display = getenv("DISPLAY");
	if (!display || !*display) {
		snprintf(why, size,
		         "DISPLAY is not set (no graphical session)");
		return HS_ENOENT;
	}
	/* [host]:N[.screen]; only a local display ("" or "unix" host) is
	 * used: to another host, or to localhost over TCP (ssh -X), the
	 * pictures would cross a network. */
	const char *colon = strrchr(display, ':');
	if (!colon || !isdigit((unsigned char)colon[1])) {
		snprintf(why, size, "DISPLAY '%s' is not a display name",
		         display);
		return HS_ENOENT;
	}
	size_t host_len = (size_t)(colon - display);
	if (!(host_len == 0 ||
	      (host_len == 4 && strncmp(display, "unix", 4) == 0))) {
		snprintf(why, size,
		         "DISPLAY '%s' is reached over the network (ssh -X?), "
		         "and camera pictures never leave this machine; run "
		         "it in the desktop session itself",
		         display);
		return HS_EINVAL;
	}
	char path[64];
	snprintf(path, sizeof path, "/tmp/.X11-unix/X%ld",
	         strtol(colon + 1, NULL, 10));
	if (can_connect(path, false) || can_connect(path, true))
		return 0;
	snprintf(why, size, "no X server answers on display '%s'", display);
	return HS_ENOENT;
}

/* A Wayland compositor: $WAYLAND_DISPLAY (default wayland-0), a name in
 * $XDG_RUNTIME_DIR or an absolute path, accepts a connection. */
static int check_wayland(char *why, size_t size)
{
	const char *name = getenv("WAYLAND_DISPLAY");
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	char path[PATH_MAX];
	if (!name || !*name)
		name = "wayland-0";
	if (name[0] == '/')
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%s/%s", runtime ? runtime : "",
		         name);
	if (can_connect(path, false))
		return 0;
	snprintf(why, size, "no Wayland compositor answers on '%s'", path);
	return HS_ENOENT;
}

/* QT_QPA_PLATFORM is a ';'-separated list of "name[:options]" that Qt
 * tries in turn.  Whether every name is one that draws on this machine's
 * screen (xcb, wayland, wayland-egl; Qt ignores their case); which of
 * them are named goes to *x11 and *wayland. */
static bool platforms_local(const char *qpa, bool *x11, bool *wayland)
{
	*x11 = *wayland = false;
	for (const char *p = qpa; *p;) {
		const size_t len = strcspn(p, ";");
		const size_t name = strcspn(p, ";:");
		if (name == 3 && strncasecmp(p, "xcb", 3) == 0)
			*x11 = true;
		else if ((name == 7 && strncasecmp(p, "wayland", 7) == 0) ||
		         (name == 11 && strncasecmp(p, "wayland-egl", 11) == 0))
			*wayland = true;
		else if (len > 0)
			return false;
		p += len + (p[len] == ';');
	}
	return *x11 || *wayland;
}

int hs_display_check(char *why, size_t size)
{
	/* Qt's other platforms draw off screen, on a console, or for a VNC
	 * client over the network (vnc: a server with no password): none
	 * shows the camera on this machine's screen alone. */
	const char *qpa = getenv("QT_QPA_PLATFORM");
	if (!qpa || !*qpa)
		return check_x11(why, size); /* Qt 5's choice: xcb */
	bool x11, wayland;
	if (!platforms_local(qpa, &x11, &wayland)) {
		snprintf(why, size,
		         "QT_QPA_PLATFORM '%s' is not a window on this screen "
		         "(only xcb and wayland are used, so that camera "
		         "pictures stay on this machine)",
		         qpa);
		return HS_EINVAL;
	}
	/* Qt takes the first that works; each is checked, as Qt would
	 * abort the process when none does. */
	if (wayland && check_wayland(why, size) == 0)
		return 0;
	return x11 ? check_x11(why, size) : HS_ENOENT;
}

/* Is every address in the list (';'-separated, tried in turn) a local
 * socket, "unix:..."?  Any other transport (tcp:, nonce-tcp:, unixexec:
 * running a command such as ssh, autolaunch:) may reach another machine. */
static bool addresses_local(const char *list)
{
	for (const char *p = list; *p;) {
		const size_t len = strcspn(p, ";");
		if (len > 0 && (len < 5 || strncmp(p, "unix:", 5) != 0))
			return false;
		p += len + (p[len] == ';');
	}
	return true;
}

int hs_display_session_bus(void)
{
	const char *addr = getenv("DBUS_SESSION_BUS_ADDRESS");
	if (addr && addr[0])
		return addresses_local(addr) ? 1 : HS_ENOTLOCAL;
	/* The default bus, unless another user could have put it there. */
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	char path[PATH_MAX], why[256];
	if (!runtime || runtime[0] != '/' ||
	    !hs_path_runtime_dir_ok(runtime, why, sizeof why) ||
	    snprintf(path, sizeof path, "%s/bus", runtime) >= (int)sizeof path)
		return 0;
	struct stat st;
	return stat(path, &st) == 0 && S_ISSOCK(st.st_mode) ? 1 : 0;
}

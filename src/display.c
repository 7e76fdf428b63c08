/* display.c - see display.h. */
#include "headsup/display.h"

#include "headsup/err.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

int hs_display_check(char *why, size_t size)
{
	/* Qt's other platforms draw off screen, on a console, or for a VNC
	 * client over the network (vnc: a server with no password): none
	 * shows the camera on this machine's screen alone. */
	const char *qpa = getenv("QT_QPA_PLATFORM");
	if (qpa && *qpa && strncmp(qpa, "wayland", 7) == 0)
		return 0; /* a local socket, always */
	if (qpa && *qpa && strncmp(qpa, "xcb", 3) != 0) {
		snprintf(why, size,
		         "QT_QPA_PLATFORM '%s' is not a window on this screen "
		         "(only xcb and wayland are used, so that camera "
		         "pictures stay on this machine)",
		         qpa);
		return HS_EINVAL;
	}
	const char *display = getenv("DISPLAY");
	if (!display || !*display) {
		snprintf(why, size,
		         "DISPLAY is not set (no graphical session)");
		return HS_ENOENT;
	}
	/* [host]:N[.screen]; only a local display ("" or "unix" host) is
	 * used: to another host, the pictures would cross the network. */
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

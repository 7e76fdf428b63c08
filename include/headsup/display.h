/* display.h - is there a graphical display for the --preview window?
 *
 * OpenCV's window (Qt in Debian's build) aborts the whole process when it
 * cannot reach a display, so `run --preview` asks here first.  Only what
 * can be known without a toolkit is checked: that DISPLAY is set and its
 * X server accepts a connection (or, for QT_QPA_PLATFORM=wayland, that the
 * compositor does).  Camera pictures stay on this machine, so a display on
 * another host (ssh -X) is refused, and of Qt's platforms only xcb and
 * wayland are used: vnc, say, would serve the window to the network.
 *
 * The same rule holds for the D-Bus session bus, which carries the alerts'
 * text to the notification server: only a local socket is used.
 */
#ifndef HEADSUP_DISPLAY_H
#define HEADSUP_DISPLAY_H

#include <stddef.h>

/* 0 when a window can be tried; HS_ENOENT (no display) or HS_EINVAL (one
 * that is not this machine's screen) with the reason in why, a sentence
 * fragment such as "DISPLAY is not set", when it cannot. */
int hs_display_check(char *why, size_t size);

/* Is there a session bus to use (desktop notifications, the screen
 * saver)?  1 when $DBUS_SESSION_BUS_ADDRESS names one, or when unset,
 * $XDG_RUNTIME_DIR (a private folder of the user's) holds the default
 * "bus" socket; 0 when none is (GLib would then start a bus of its own,
 * which a background program must not do); HS_ENOTLOCAL, not to be
 * connected to, when any address in the list is not a local socket
 * (unix:), since what is sent would cross the network. */
int hs_display_session_bus(void);

#endif

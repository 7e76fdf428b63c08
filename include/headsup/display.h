/* display.h - is there a graphical display for the --preview window?
 *
 * OpenCV's window (Qt in Debian's build) aborts the whole process when it
 * cannot reach a display, so `run --preview` asks here first.  Only what
 * can be known without a toolkit is checked: that DISPLAY is set and, for
 * a display on this machine, that its X server accepts a connection.  A
 * remote display, or a Qt platform chosen with QT_QPA_PLATFORM, is
 * trusted.
 */
#ifndef HEADSUP_DISPLAY_H
#define HEADSUP_DISPLAY_H

#include <stddef.h>

/* 0 when a window can be tried; HS_ENOENT with the reason in why (a
 * sentence fragment such as "DISPLAY is not set") when it cannot. */
int hs_display_check(char *why, size_t size);

#endif

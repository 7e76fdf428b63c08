/* screenlock.h - is the screen locked?  The monitor releases the camera
 * while it is, and takes it again on unlock.
 *
 * Watches whichever the session has, over D-Bus:
 *   - org.freedesktop.ScreenSaver or org.gnome.ScreenSaver on the session
 *     bus (GetActive, and the ActiveChanged signal);
 *   - logind's LockedHint property of this login session on the system bus
 *     (the session named by $XDG_SESSION_ID, else logind's "auto" session:
 *     the caller's, or the user's graphical one).
 * A screen saver, when one answers, wins over logind.  Services that
 * start, stop or restart later are followed.
 *
 * Nothing here blocks: connecting and asking happen asynchronously on the
 * GLib default main context, which hs_screenlock_poll() turns a bounded
 * number of times.  Without a bus or any of these services the watcher
 * says "not locked" and the source is "none".
 */
#ifndef HEADSUP_SCREENLOCK_H
#define HEADSUP_SCREENLOCK_H

#include <stdbool.h>

typedef struct hs_screenlock hs_screenlock;

/* Start watching.  Fails only with HS_ENOMEM: a missing bus or service is
 * not an error.  *out is set only on success. */
int hs_screenlock_create(hs_screenlock **out);

/* Handle what arrived from the buses; never blocks.  Call it each frame
 * (it also serves other users of the default main context, such as the
 * libnotify notifier). */
void hs_screenlock_poll(hs_screenlock *w);

/* The screen is locked, as far as the current source knows. */
bool hs_screenlock_locked(const hs_screenlock *w);

/* Where the answer comes from: "org.freedesktop.ScreenSaver",
 * "org.gnome.ScreenSaver", "logind", or "none" (not known yet, or
 * nothing to ask). */
const char *hs_screenlock_source(const hs_screenlock *w);

/* Stop watching.  Accepts NULL. */
void hs_screenlock_destroy(hs_screenlock *w);

#endif

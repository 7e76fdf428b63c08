/* announce.h - say on the desktop what a command said, for a command run
 * with no terminal to print on: the menu entry's actions ("Pause for an
 * Hour", "Resume", "Stop Watching") pass --announce.
 *
 * What the command prints, on standard output and error alike, is kept
 * while it runs; at the end it is printed as usual and shown in one
 * low-urgency desktop notice.  Without a notification server only the
 * printing happens.
 */
#ifndef HEADSUP_ANNOUNCE_H
#define HEADSUP_ANNOUNCE_H

#include <stdbool.h>

typedef struct hs_announce hs_announce;

/* Start keeping what is printed, when wanted (--announce given).  NULL when
 * not wanted or it cannot be kept: the command then prints as usual, and
 * hs_announce_end() does nothing. */
hs_announce *hs_announce_begin(bool wanted);

/* Stop keeping it, print it (on standard output when status is 0, else on
 * standard error) and show it in a notice headed done (status 0) or failed
 * (any other), the text of the messages as its body; or, on success, body
 * when not NULL (for a command whose lines read as progress, not as a
 * sentence). */
void hs_announce_end(hs_announce *a, int status, const char *done,
                     const char *failed, const char *body);

#endif

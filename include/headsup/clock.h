/* clock.h - the two clocks the program reads, in seconds.
 *
 * The pure core never reads a clock: times come in as arguments.  The
 * commands read them here, so that every part agrees on which clock it is.
 *
 *   - hs_clock_steady(): never jumps with the wall clock and keeps counting
 *     while the machine is suspended (CLOCK_BOOTTIME).  Camera frame times,
 *     pauses, snoozes and alert timing use it, so a `pause 30m` is over
 *     when the lid opens two hours later, and a hunch before a suspend is
 *     not joined to one after it.
 *   - hs_clock_wall(): the calendar time (CLOCK_REALTIME), for the journal
 *     and the report.
 */
#ifndef HEADSUP_CLOCK_H
#define HEADSUP_CLOCK_H

double hs_clock_steady(void);
double hs_clock_wall(void);

/* Sleep up to s seconds (nothing when s <= 0); returns early when a signal
 * arrives. */
void hs_clock_sleep(double s);

#endif

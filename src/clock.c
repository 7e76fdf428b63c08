/* clock.c - the steady and wall clocks (clock.h). */
#include "headsup/clock.h"

#include <math.h>
#include <time.h>

static double seconds(const struct timespec *ts)
{
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

double hs_clock_steady(void)
{
	struct timespec ts;
	/* CLOCK_BOOTTIME is in every Linux since 2.6.39; should a kernel
	 * refuse it, the monotonic clock only misses suspended time. */
	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return seconds(&ts);
}

double hs_clock_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return seconds(&ts);
}

void hs_clock_sleep(double s)
{
	if (!(s > 0))
		return;
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };
	nanosleep(&ts, NULL);
}

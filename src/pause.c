/* pause.c - the monitor's pause bookkeeping (see pause.h). */
#include "headsup/pause.h"

#include <math.h>

void hs_pause_init(hs_pause *p)
{
	p->user_until = p->calib_until = -INFINITY;
	p->calib_holds = 0;
}

double hs_pause_end(const hs_pause *p)
{
	return fmax(p->user_until,
	            p->calib_holds > 0 ? p->calib_until : -INFINITY);
}

bool hs_pause_active(const hs_pause *p)
{
	return hs_pause_end(p) > -INFINITY;
}

bool hs_pause_calibrating_only(const hs_pause *p, double now)
{
	return p->calib_holds > 0 && !(p->user_until > now);
}

bool hs_pause_start(hs_pause *p, double now, double seconds, bool calibrate)
{
	const double until = seconds > 0 ? now + seconds : INFINITY;
	const bool was = hs_pause_active(p);
	if (calibrate) {
		p->calib_holds++;
		p->calib_until = fmax(p->calib_until, until);
	} else {
		p->user_until = until;
	}
	return was;
}

hs_pause_hold hs_pause_release_calibrate(hs_pause *p, double now)
{
	if (p->calib_holds > 0 && --p->calib_holds == 0)
		p->calib_until = -INFINITY;
	if (p->user_until > now)
		return HS_PAUSE_HELD_BY_USER;
	if (p->calib_holds > 0)
		return HS_PAUSE_HELD_BY_CALIBRATE;
	return HS_PAUSE_RESUMED;
}

hs_pause_hold hs_pause_release_user(hs_pause *p, double now)
{
	p->user_until = -INFINITY;
	if (p->calib_holds > 0 && now < p->calib_until)
		return HS_PAUSE_HELD_BY_CALIBRATE;
	return HS_PAUSE_RESUMED;
}

bool hs_pause_expire(hs_pause *p, double now)
{
	if (!hs_pause_active(p))
		return false;
	if (now >= p->user_until)
		p->user_until = -INFINITY;
	if (p->calib_holds > 0 && now >= p->calib_until) {
		p->calib_holds = 0;
		p->calib_until = -INFINITY;
	}
	return !hs_pause_active(p);
}

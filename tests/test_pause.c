/* test_pause.c - the monitor's pauses: the user's, and calibrate's holds
 * alongside it, on timelines of steady-clock seconds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "headsup/pause.h"
#include "testutil.h"

static void a_timed_pause_ends_on_time(void **state)
{
	(void)state;
	hs_pause p;
	hs_pause_init(&p);
	assert_false(hs_pause_active(&p));
	assert_true(hs_pause_end(&p) == -INFINITY);
	assert_false(hs_pause_expire(&p, 0)); /* nothing to end */

	assert_false(hs_pause_start(&p, 100, 600, false));
	assert_true(hs_pause_active(&p));
	assert_true(hs_pause_end(&p) == 700);
	assert_false(hs_pause_calibrating_only(&p, 100));
	assert_false(hs_pause_expire(&p, 699.9));
	assert_true(hs_pause_expire(&p, 700));
	assert_false(hs_pause_active(&p));

	/* A second `headsup pause` replaces the first, even a shorter one. */
	hs_pause_start(&p, 0, 600, false);
	assert_true(hs_pause_start(&p, 10, 60, false));
	assert_true(hs_pause_end(&p) == 70);
}

static void a_pause_without_a_time_waits_for_resume(void **state)
{
	(void)state;
	hs_pause p;
	hs_pause_init(&p);
	hs_pause_start(&p, 5, 0, false);
	assert_true(hs_pause_end(&p) == INFINITY);
	assert_false(hs_pause_expire(&p, 1e9));
	assert_true(hs_pause_active(&p));
	hs_pause_init(&p); /* `headsup resume` */
	assert_false(hs_pause_active(&p));
}

/* `headsup calibrate` while the user has paused the monitor: the
 * calibration's end leaves the user's pause as it was. */
static void calibrate_never_ends_the_users_pause(void **state)
{
	(void)state;
	hs_pause p;
	hs_pause_init(&p);
	hs_pause_start(&p, 0, 600, false);
	assert_true(hs_pause_start(&p, 10, 20, true)); /* already paused */
	assert_true(hs_pause_end(&p) == 600);
	assert_int_equal(hs_pause_release_calibrate(&p, 25),
	                 HS_PAUSE_HELD_BY_USER);
	assert_true(hs_pause_end(&p) == 600);
	assert_true(hs_pause_expire(&p, 600));
}

/* `headsup resume` while `headsup calibrate` records ends the user's pause
 * only: the camera stays the recording's until calibrate is done. */
static void resume_never_ends_a_calibrate_hold(void **state)
{
	(void)state;
	hs_pause p;
	hs_pause_init(&p);
	hs_pause_start(&p, 0, 600, false);
	hs_pause_start(&p, 10, 20, true);
	assert_int_equal(hs_pause_release_user(&p, 15),
	                 HS_PAUSE_HELD_BY_CALIBRATE);
	assert_true(hs_pause_active(&p));
	assert_true(hs_pause_calibrating_only(&p, 15));
	assert_true(hs_pause_end(&p) == 30);
	assert_int_equal(hs_pause_release_calibrate(&p, 25), HS_PAUSE_RESUMED);

	/* without a recording, resume resumes */
	hs_pause_init(&p);
	hs_pause_start(&p, 0, 0, false);
	assert_int_equal(hs_pause_release_user(&p, 5), HS_PAUSE_RESUMED);
	/* a hold past its time holds nothing */
	hs_pause_init(&p);
	hs_pause_start(&p, 0, 20, true);
	assert_int_equal(hs_pause_release_user(&p, 21), HS_PAUSE_RESUMED);
}

/* Two calibrate runs at once: the monitor resumes after the second is
 * done, and only calibrating is said while the user has no pause. */
static void overlapping_calibrations_each_hold_it(void **state)
{
	(void)state;
	hs_pause p;
	hs_pause_init(&p);
	assert_false(hs_pause_start(&p, 0, 20, true));
	assert_true(hs_pause_start(&p, 5, 20, true));
	assert_true(hs_pause_calibrating_only(&p, 6));
	assert_true(hs_pause_end(&p) == 25);
	assert_int_equal(hs_pause_release_calibrate(&p, 10),
	                 HS_PAUSE_HELD_BY_CALIBRATE);
	assert_true(hs_pause_active(&p));
	assert_int_equal(hs_pause_release_calibrate(&p, 12), HS_PAUSE_RESUMED);
	assert_false(hs_pause_active(&p));

	/* A user's pause that ran out meanwhile does not hold it. */
	hs_pause_init(&p);
	hs_pause_start(&p, 0, 10, false);
	hs_pause_start(&p, 5, 60, true);
	assert_false(hs_pause_calibrating_only(&p, 9));
	assert_true(hs_pause_calibrating_only(&p, 11));
	assert_int_equal(hs_pause_release_calibrate(&p, 30), HS_PAUSE_RESUMED);
}

/* A calibrate run killed before it said it was done holds the monitor
 * only until the time it asked for. */
static void a_calibrate_that_never_reports_back_runs_out(void **state)
{
	(void)state;
	hs_pause p;
	hs_pause_init(&p);
	hs_pause_start(&p, 0, 20, true);
	assert_false(hs_pause_expire(&p, 19));
	assert_true(hs_pause_expire(&p, 20));
	assert_false(hs_pause_active(&p));
	assert_int_equal(p.calib_holds, 0);
	/* ...and its late "done" changes nothing. */
	assert_int_equal(hs_pause_release_calibrate(&p, 21), HS_PAUSE_RESUMED);
	assert_false(hs_pause_active(&p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_timed_pause_ends_on_time),
		cmocka_unit_test(a_pause_without_a_time_waits_for_resume),
		cmocka_unit_test(calibrate_never_ends_the_users_pause),
		cmocka_unit_test(resume_never_ends_a_calibrate_hold),
		cmocka_unit_test(overlapping_calibrations_each_hold_it),
		cmocka_unit_test(a_calibrate_that_never_reports_back_runs_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

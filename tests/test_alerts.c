/* test_alerts.c - when alerts fire, on timelines of smoothed states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "headsup/alerts.h"
#include "testutil.h"

#define U HS_STATE_UPRIGHT
#define L HS_STATE_LOOKING_DOWN
#define H HS_STATE_HUNCHED
#define A HS_STATE_AWAY
#define C HS_STATE_UNCALIBRATED

#define MAX_FIRED 64

/* Alerts seen while feeding a timeline. */
typedef struct fired {
	size_t n;
	double t[MAX_FIRED];
	hs_alert alert[MAX_FIRED];
} fired;

/* Feed 'state' from t0 (inclusive) to t1 (exclusive) every step seconds. */
static void feed(hs_alerts *a, fired *log, double t0, double t1, double step,
                 hs_state state)
{
	for (long i = 0;; i++) {
		double t = t0 + (double)i * step;
		if (t >= t1)
			break;
		hs_alert out;
		if (hs_alerts_update(a, t, state, &out)) {
			assert_true(log->n < MAX_FIRED);
			log->t[log->n] = t;
			log->alert[log->n++] = out;
		}
	}
}

static void expect(const fired *log, size_t i, double t, hs_state kind,
                   double lasted_s)
{
	if (i >= log->n)
		fail_msg("alert %zu missing (only %zu fired)", i, log->n);
	assert_near(log->t[i], t, 1e-9);
	assert_int_equal(log->alert[i].kind, kind);
	assert_near(log->alert[i].lasted_s, lasted_s, 1e-9);
}

static void a_bad_state_alerts_exactly_at_sustain(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 30, 1, H);
	assert_int_equal(log.n, 0); /* 0..29: not yet */
	feed(&a, &log, 30, 31, 1, H);
	assert_int_equal(log.n, 1);
	expect(&log, 0, 30, H, 30);

	/* At 2 Hz from 0.5: the first update at or after 30.5. */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	feed(&a, &log, 100.5, 140, 0.5, L);
	assert_int_equal(log.n, 1);
	expect(&log, 0, 130.5, L, 30);
}

static void upright_resets_the_sustain_timer(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 29, 1, H);   /* 29 s hunched */
	feed(&a, &log, 29, 30, 1, U);  /* one upright frame */
	feed(&a, &log, 30, 100, 1, H); /* hunched again from 30 */
	assert_int_equal(log.n, 1);
	expect(&log, 0, 60, H, 30);
}

static void uncalibrated_never_alerts_and_resets(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 1000, 1, C);
	assert_int_equal(log.n, 0);
	feed(&a, &log, 1000, 1020, 1, H);
	feed(&a, &log, 1020, 1021, 1, C);
	feed(&a, &log, 1021, 1060, 1, H);
	assert_int_equal(log.n, 1);
	expect(&log, 0, 1051, H, 30);
}

static void away_never_alerts(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 3600, 0.5, A);
	assert_int_equal(log.n, 0);
}

static void a_short_away_does_not_reset_a_long_hunch(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 20, 1, H);  /* last hunched frame at 19 */
	feed(&a, &log, 20, 29, 1, A); /* 9 s of missed face */
	feed(&a, &log, 29, 40, 1, H); /* 29 - 19 = 10 = grace: continues */
	assert_int_equal(log.n, 1);
	expect(&log, 0, 30, H, 30);
}

static void a_long_away_resets(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 20, 1, H);   /* last hunched frame at 19 */
	feed(&a, &log, 20, 30, 1, A);  /* away until 29 ... */
	feed(&a, &log, 30, 100, 1, H); /* 30 - 19 = 11 > grace: restarts */
	assert_int_equal(log.n, 1);
	expect(&log, 0, 60, H, 30);

	/* A gap without any update counts the same. */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	feed(&a, &log, 0, 20, 1, H);
	feed(&a, &log, 40, 100, 1, H);
	assert_int_equal(log.n, 1);
	expect(&log, 0, 70, H, 30);

	/* A smaller grace, as set by the caller. */
	hs_alerts_init(&a, 30, 600);
	hs_alerts_set_grace(&a, 2);
	log = (fired){ 0 };
	feed(&a, &log, 0, 20, 1, H);
	feed(&a, &log, 20, 23, 1, A);
	feed(&a, &log, 23, 100, 1, H); /* 23 - 19 = 4 > 2 */
	expect(&log, 0, 53, H, 30);
}

static void no_second_alert_within_cooldown(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	/* One hunch lasting 700 s: alerts at 30, then at 630 exactly. */
	feed(&a, &log, 0, 700, 1, H);
	assert_int_equal(log.n, 2);
	expect(&log, 0, 30, H, 30);
	expect(&log, 1, 630, H, 630);

	/* Separate hunches: the second is due at 81 but waits for the
	 * cooldown of the first alert (30 + 600). */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	feed(&a, &log, 0, 40, 1, H);
	feed(&a, &log, 40, 51, 1, U);
	feed(&a, &log, 51, 629, 1, H);
	assert_int_equal(log.n, 1);
	feed(&a, &log, 629, 631, 1, H);
	assert_int_equal(log.n, 2);
	expect(&log, 1, 630, H, 630 - 51);
}

static void the_cooldown_is_per_kind(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 40, 1, H);   /* hunched alert at 30 */
	feed(&a, &log, 40, 71, 1, U);  /* sat up (sustain_s and more) */
	feed(&a, &log, 71, 110, 1, L); /* looking_down alert at 101 */
	feed(&a, &log, 110, 141, 1, U);
	feed(&a, &log, 141, 260, 1, H);
	assert_int_equal(log.n, 2);
	expect(&log, 0, 30, H, 30);
	expect(&log, 1, 101, L, 30);
}

/* Upright for a moment between a hunch and a look down is one slump:
 * no second alert 38 s after the first (as before), but one when the
 * first alert's cooldown is over, naming the look down. */
static void a_moment_upright_does_not_split_a_slump(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 35, 1, H); /* hunched alert at 30 */
	feed(&a, &log, 35, 38, 1, U);
	feed(&a, &log, 38, 700, 1, L);
	assert_int_equal(log.n, 2);
	expect(&log, 0, 30, H, 30);
	expect(&log, 1, 630, L, 630 - 38);
	/* A pause forgets it: after one, a look down is a slump of its own. */
	hs_alerts_init(&a, 30, 600);
	log.n = 0;
	feed(&a, &log, 0, 35, 1, H);
	hs_alerts_pause(&a, 35, 2);
	feed(&a, &log, 37, 38, 1, U);
	feed(&a, &log, 38, 100, 1, L);
	assert_int_equal(log.n, 2);
	expect(&log, 1, 68, L, 30);
}

/* A monitor restarted 100 s after a hunched alert (the journal has it)
 * keeps that alert's cooldown: no hunched alert until 600 s after it.
 * Other kinds, and alerts older than the cooldown, change nothing. */
static void an_alert_before_a_restart_keeps_its_cooldown(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	hs_alerts_note_sent(&a, H, -100);
	hs_alerts_note_sent(&a, H, -700); /* older: the latest counts */
	hs_alerts_note_sent(&a, A, -5);   /* not an alert kind */
	hs_alerts_note_sent(&a, L, NAN);
	fired log = { 0 };
	feed(&a, &log, 0, 40, 1, L); /* looking down: due at 30 as usual */
	feed(&a, &log, 40, 71, 1, U);
	feed(&a, &log, 71, 520, 1, H);
	assert_int_equal(log.n, 2);
	expect(&log, 0, 30, L, 30);
	expect(&log, 1, 500, H, 429); /* 600 s after the one at -100 */

	hs_alerts_init(&a, 30, 600);
	hs_alerts_note_sent(&a, H, -600); /* cooled down by t = 0 */
	log = (fired){ 0 };
	feed(&a, &log, 0, 40, 1, H);
	assert_int_equal(log.n, 1);
	expect(&log, 0, 30, H, 30);
}

/* Hunched over the keyboard, then a look down at notes, then hunched
 * again: one stretch of bad posture, not three short ones. */
static void switching_kind_keeps_the_stretch(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 20, 1, H);
	feed(&a, &log, 20, 29, 1, L);
	feed(&a, &log, 29, 60, 1, H);
	assert_int_equal(log.n, 1);
	expect(&log, 0, 30, H, 30); /* 21 s hunched, 9 s looking down */

	/* The name goes by time, not by the frame at hand. */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	feed(&a, &log, 0, 12, 1, H);
	feed(&a, &log, 12, 29, 1, L);
	feed(&a, &log, 29, 31, 1, H); /* 12 s hunched, 18 s looking down */
	assert_int_equal(log.n, 1);
	expect(&log, 0, 30, L, 30);

	/* Every frame the other kind: alerts like a steady stretch, the
	 * name from the frame at hand on a tie. */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	for (int i = 0; i < 1000; i++)
		feed(&a, &log, i, i + 1, 1, i % 2 ? H : L);
	assert_int_equal(log.n, 2);
	expect(&log, 0, 30, L, 30);
	expect(&log, 1, 630, L, 630);

	/* Still the same one stretch after an alert: the next one waits
	 * for the cooldown, whatever its kind, and names what came since. */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	feed(&a, &log, 0, 40, 1, H);
	feed(&a, &log, 40, 700, 1, L);
	assert_int_equal(log.n, 2);
	expect(&log, 0, 30, H, 30);
	expect(&log, 1, 630, L, 630); /* since 30: 10 s hunched, 590 down */
}

static void zero_cooldown_alerts_once_per_sustain(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 0);
	fired log = { 0 };
	feed(&a, &log, 0, 100, 1, H);
	assert_int_equal(log.n, 3);
	expect(&log, 0, 30, H, 30);
	expect(&log, 1, 60, H, 60);
	expect(&log, 2, 90, H, 90);
	/* the same time again fires nothing */
	hs_alert out;
	assert_false(hs_alerts_update(&a, 90, H, &out));
}

static void snooze_silences_until_its_end(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 10, 1, H);
	hs_alerts_snooze(&a, 10, 60);
	hs_alerts_snooze(&a, 11, 5); /* cannot shorten it */
	assert_true(hs_alerts_quiet(&a, 69.9));
	feed(&a, &log, 10, 70, 1, H);
	assert_int_equal(log.n, 0);
	assert_false(hs_alerts_quiet(&a, 70));
	feed(&a, &log, 70, 71, 1, H); /* still hunched at the end: due */
	expect(&log, 0, 70, H, 70);

	/* A pause and its resume (a `headsup calibrate` in between) leave
	 * a snooze chosen before to run to its own end. */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	hs_alerts_snooze(&a, 0, 120);
	hs_alerts_pause(&a, 10, 30);
	hs_alerts_resume(&a);
	double left = 0;
	assert_true(hs_alerts_snoozed(&a, 20, &left));
	assert_true(left == 100);
	feed(&a, &log, 20, 120, 1, H);
	assert_int_equal(log.n, 0);
	assert_false(hs_alerts_snoozed(&a, 120, NULL));
	feed(&a, &log, 120, 121, 1, H);
	expect(&log, 0, 120, H, 100);

	/* Resume ends a pause early, without waiting for its end. */
	hs_alerts_init(&a, 30, 600);
	log = (fired){ 0 };
	hs_alerts_pause(&a, 0, INFINITY);
	assert_true(hs_alerts_quiet(&a, 1e6));
	assert_false(hs_alerts_snoozed(&a, 1, NULL));
	hs_alerts_resume(&a);
	assert_false(hs_alerts_quiet(&a, 1));
	feed(&a, &log, 1, 32, 1, H);
	expect(&log, 0, 31, H, 30);
}

static void pause_silences_and_forgets(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	feed(&a, &log, 0, 25, 1, H);
	hs_alerts_pause(&a, 25, 100); /* camera off: no updates */
	feed(&a, &log, 125, 154, 1, H);
	assert_int_equal(log.n, 0); /* the 25 s before do not count */
	feed(&a, &log, 154, 156, 1, H);
	expect(&log, 0, 155, H, 30);
}

static void time_going_backwards_is_ignored(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	hs_alert out;
	feed(&a, &log, 0, 29, 1, H);
	assert_false(hs_alerts_update(&a, 5, U, &out)); /* ignored */
	assert_false(hs_alerts_update(&a, NAN, U, &out));
	assert_false(hs_alerts_update(&a, -INFINITY, U, &out));
	assert_false(hs_alerts_update(&a, 29.5, H, &out));
	assert_true(hs_alerts_update(&a, 30, H, &out));
	assert_int_equal(out.kind, H);
	assert_near(out.lasted_s, 30, 1e-9);
	/* out is left alone when nothing fires */
	hs_alert before = { .kind = U, .lasted_s = -1 };
	out = before;
	assert_false(hs_alerts_update(&a, 31, H, &out));
	assert_memory_equal(&out, &before, sizeof out);
	/* a state outside the enum is treated like upright */
	assert_false(hs_alerts_update(&a, 32, (hs_state)99, &out));
	assert_false(hs_alerts_update(&a, 33, HS_STATE_COUNT, &out));
}

/* ---- every short timeline against a reference ---------------------------
 *
 * The reference decides from the whole history, the way the rules read:
 * the stretch reaches back over bad updates of either kind (and away), as
 * long as no two consecutive bad updates are more than grace apart; it
 * alerts when it has lasted sustain and none of its alerts, nor those of
 * the stretches before it that each ended less than sustain before the
 * next began, came within sustain or cooldown, naming the kind whose
 * updates held most of the time since the stretch began or last alerted,
 * when no alert of that kind came within cooldown.
 */
#define STEPS 9

static bool is_bad(hs_state s)
{
	return s == H || s == L;
}

static bool reference(const double *t, const hs_state *st, int i,
                      const hs_state *fired_as, double sustain, double cooldown,
                      double grace, hs_state *kind)
{
	if (!is_bad(st[i]))
		return false;
	int start = i, seen = i;
	for (int k = i - 1; k >= 0; k--) {
		if (st[k] == A)
			continue;
		if (!is_bad(st[k]) || t[seen] - t[k] > grace)
			break;
		start = seen = k;
	}
	if (t[i] - t[start] < sustain)
		return false;
	/* Its alerts reach back over the stretches before it that each
	 * ended less than sustain before the next began. */
	int chain = start;
	for (;;) {
		int before = chain - 1;
		while (before >= 0 && !is_bad(st[before]))
			before--;
		if (before < 0 || !(t[chain] - t[before] < sustain))
			break;
		chain = seen = before;
		for (int k = before - 1; k >= 0; k--) {
			if (st[k] == A)
				continue;
			if (!is_bad(st[k]) || t[seen] - t[k] > grace)
				break;
			chain = seen = k;
		}
	}
	int last = -1;
	for (int k = chain; k < i; k++)
		if (fired_as[k] != U)
			last = k;
	if (last >= 0 &&
	    (t[i] - t[last] < sustain || t[i] - t[last] < cooldown))
		return false;
	const int from = last > start ? last : start;
	double held[HS_STATE_COUNT] = { 0 };
	for (int k = from; k < i; k++)
		if (is_bad(st[k]))
			held[st[k]] += t[k + 1] - t[k];
	*kind = held[H] > held[L] ? H : held[L] > held[H] ? L : st[i];
	for (int k = 0; k < i; k++)
		if (fired_as[k] == *kind && t[i] - t[k] < cooldown)
			return false;
	return true;
}

static void every_short_timeline_follows_the_rules(void **state)
{
	(void)state;
	static const hs_state alphabet[] = { U, L, H, A };
	/* Time steps of 1 s, with one 3 s gap somewhere; away frames make
	 * gaps of exactly grace and beyond it, and whole seconds hit the
	 * sustain and cooldown edges exactly. */
	/* sustain 2.5: one upright step between bad ones (2 s) is a moment,
	 * and nine steps fit an alert, a moment upright and a second slump */
	const double sustain = 2.5, cooldown = 6, grace = 2;
	long cases = 0, alerts = 0;
	for (int gap_at = 0; gap_at < STEPS; gap_at++) {
		for (unsigned code = 0; code < (1u << (2 * STEPS)); code++) {
			double t[STEPS];
			hs_state st[STEPS];
			hs_state fired_as[STEPS]; /* U: none */
			hs_alerts a;
			hs_alerts_init(&a, sustain, cooldown);
			hs_alerts_set_grace(&a, grace);
			double now = 0;
			for (int i = 0; i < STEPS; i++) {
				now += (i == gap_at) ? 3 : 1;
				t[i] = now;
				st[i] = alphabet[(code >> (2 * i)) & 3u];
				hs_alert out;
				hs_state kind = U;
				bool got =
				        hs_alerts_update(&a, t[i], st[i], &out);
				bool want =
				        reference(t, st, i, fired_as, sustain,
				                  cooldown, grace, &kind);
				if (got != want)
					fail_msg("timeline %#x gap %d step %d: "
					         "got %d, want %d",
					         code, gap_at, i, got, want);
				fired_as[i] = got ? kind : U;
				if (got) {
					assert_int_equal(out.kind, kind);
					alerts++;
				}
				cases++;
			}
		}
	}
	assert_int_equal(cases, (long)STEPS * STEPS * (1L << (2 * STEPS)));
	assert_true(alerts > 0);
}

/* The update that ends a stretch that alerted says so, once: the run loop
 * then takes the stale reminder off the screen.  A short away does not end
 * it, a long one does; a stretch without an alert ends without a word. */
/* The slump an alert warned of is over once no bad state has come for
 * sustain_s: said once, so its reminder can be taken back.  A moment
 * upright within the slump leaves it (the slump still waits out its
 * cooldown, and no new reminder would come). */
static void the_end_of_an_alerted_slump_is_told_once(void **state)
{
	(void)state;
	hs_alerts a;
	hs_alerts_init(&a, 30, 600);
	fired log = { 0 };
	bool told = false;
	feed(&a, &log, 0, 40, 1, H);
	assert_int_equal(log.n, 1);
	assert_false(a.alert_stale);
	feed(&a, &log, 40, 45, 1, A); /* within the grace */
	assert_false(a.alert_stale);
	feed(&a, &log, 45, 50, 1, U); /* a moment upright */
	assert_false(a.alert_stale);
	feed(&a, &log, 50, 60, 1, H); /* the same slump */
	assert_false(a.alert_stale);
	assert_int_equal(log.n, 1);
	for (double t = 60; t < 120; t++) {
		hs_alert out;
		hs_alerts_update(&a, t, U, &out);
		if (a.alert_stale) {
			assert_false(told); /* once */
			told = true;
			assert_true(t - 59 >= 30); /* sat up for sustain_s */
			assert_true(t - 59 < 31);
		}
	}
	assert_true(told);

	/* 20 s hunched, no alert: its end says nothing. */
	told = false;
	feed(&a, &log, 200, 220, 1, H);
	for (double t = 220; t < 300; t++) {
		hs_alert out;
		hs_alerts_update(&a, t, U, &out);
		told = told || a.alert_stale;
	}
	assert_false(told);

	/* Away ends an alerted slump too, after as long. */
	hs_alerts_init(&a, 30, 600);
	feed(&a, &log, 0, 40, 1, L);
	for (double t = 40; t < 100; t++) {
		hs_alert out;
		hs_alerts_update(&a, t, A, &out);
		if (a.alert_stale) {
			assert_false(told);
			told = true;
			assert_true(t - 39 >= 30);
		}
	}
	assert_true(told);

	/* A pause takes it back itself: nothing more is said after. */
	hs_alerts_init(&a, 30, 600);
	feed(&a, &log, 0, 40, 1, H);
	hs_alerts_pause(&a, 40, 60);
	told = false;
	for (double t = 100; t < 200; t++) {
		hs_alert out;
		hs_alerts_update(&a, t, U, &out);
		told = told || a.alert_stale;
	}
	assert_false(told);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_bad_state_alerts_exactly_at_sustain),
		cmocka_unit_test(upright_resets_the_sustain_timer),
		cmocka_unit_test(uncalibrated_never_alerts_and_resets),
		cmocka_unit_test(away_never_alerts),
		cmocka_unit_test(a_short_away_does_not_reset_a_long_hunch),
		cmocka_unit_test(a_long_away_resets),
		cmocka_unit_test(no_second_alert_within_cooldown),
		cmocka_unit_test(the_cooldown_is_per_kind),
		cmocka_unit_test(a_moment_upright_does_not_split_a_slump),
		cmocka_unit_test(an_alert_before_a_restart_keeps_its_cooldown),
		cmocka_unit_test(switching_kind_keeps_the_stretch),
		cmocka_unit_test(zero_cooldown_alerts_once_per_sustain),
		cmocka_unit_test(snooze_silences_until_its_end),
		cmocka_unit_test(pause_silences_and_forgets),
		cmocka_unit_test(time_going_backwards_is_ignored),
		cmocka_unit_test(every_short_timeline_follows_the_rules),
		cmocka_unit_test(the_end_of_an_alerted_slump_is_told_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

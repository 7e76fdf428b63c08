/* report.c - the figures of a report (see report.h).  The renderers live
 * in report_text.c, report_html.c and report_json.c. */
#include "headsup/report.h"

#include "headsup/err.h"
#include "headsup/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A minute that is mostly this posture extends a stretch of it. */
typedef enum stretch_kind {
	RUN_NONE,
	RUN_UPRIGHT,
	RUN_BAD
} stretch_kind;

/* Long or frequent bad posture: the "active" advice rather than the
 * advice for one posture. */
#define ACTIVE_STRETCH_S (20 * 60.0)
#define ACTIVE_BAD_SHARE 0.40
/* The share only says "across the day" once there is a day's worth: a
 * few minutes at the desk tell nothing about it. */
#define ACTIVE_MIN_PRESENT_S (60 * 60.0)

double hs_report_neck_load_kg(double pitch_deg)
{
	/* Hansraj, "Assessment of stresses in the cervical spine caused by
	 * posture and position of the head", Surg Technol Int 25 (2014). */
	static const double deg[] = { 0, 15, 30, 45, 60 };
	static const double kg[] = { 5, 12, 18, 22, 27 };
	const int n = (int)(sizeof deg / sizeof deg[0]);
	if (!(pitch_deg > deg[0]))
		return kg[0];
	if (pitch_deg >= deg[n - 1])
		return kg[n - 1];
	int i = 1;
	while (pitch_deg > deg[i])
		i++;
	double f = (pitch_deg - deg[i - 1]) / (deg[i] - deg[i - 1]);
	return kg[i - 1] + f * (kg[i] - kg[i - 1]);
}

/* Durations shown together are to the second under this, in whole
 * minutes from it up. */
#define SECONDS_BELOW_S 600

hs_report_unit hs_report_unit_for(double total_s)
{
	return total_s >= 0 && lround(total_s) >= SECONDS_BELOW_S
	               ? HS_REPORT_UNIT_MIN
	               : HS_REPORT_UNIT_S;
}

/* parts_s[i] in units, never below 0. */
static double in_units(const double *parts_s, size_t i, hs_report_unit unit)
{
	return parts_s[i] > 0 ? parts_s[i] / (double)unit : 0;
}

void hs_report_round_parts(const double *parts_s, size_t n, long total,
                           hs_report_unit unit, long *units)
{
	long sum = 0;
	for (size_t i = 0; i < n; i++) {
		units[i] = (long)floor(in_units(parts_s, i, unit));
		sum += units[i];
	}
	/* One unit at a time to the part furthest below its exact value:
	 * the largest remainder, ties to the larger part, then the earlier
	 * one.  A part that had one has a remainder below 0, so it comes
	 * again only when every part has had one.  Taking away (a total
	 * below the parts, from rounding of the caller's sum) goes the
	 * other way. */
	for (; sum < total && n > 0; sum++) {
		size_t best = 0;
		double best_rem = -INFINITY;
		for (size_t i = 0; i < n; i++) {
			double q = in_units(parts_s, i, unit);
			double rem = q - (double)units[i];
			if (rem > best_rem ||
			    (rem == best_rem &&
			     q > in_units(parts_s, best, unit))) {
				best = i;
				best_rem = rem;
			}
		}
		units[best]++;
	}
	for (; sum > total; sum--) {
		size_t worst = n;
		double worst_rem = INFINITY;
		for (size_t i = 0; i < n; i++) {
			double rem =
			        in_units(parts_s, i, unit) - (double)units[i];
			if (units[i] > 0 && rem < worst_rem) {
				worst = i;
				worst_rem = rem;
			}
		}
		if (worst == n)
			break; /* every part is 0 already */
		units[worst]--;
	}
}

void hs_report_format_units(long n, hs_report_unit unit, char *buf, size_t size)
{
	if (unit == HS_REPORT_UNIT_S) {
		if (n < 60)
			snprintf(buf, size, "%ld s", n);
		else if (n % 60)
			snprintf(buf, size, "%ld min %ld s", n / 60, n % 60);
		else
			snprintf(buf, size, "%ld min", n / 60);
		return;
	}
	if (n < 60)
		snprintf(buf, size, "%ld min", n);
	else
		snprintf(buf, size, "%ld h %02ld min", n / 60, n % 60);
}

void hs_report_format_duration(double s, char *buf, size_t size)
{
	hs_report_unit unit = hs_report_unit_for(s);
	hs_report_format_units(s > 0 ? lround(s / (double)unit) : 0, unit, buf,
	                       size);
}

int hs_report_percent(double share)
{
	return share >= 0 ? (int)lround(100 * share) : -1;
}

/* s seconds, part of all_s shown as 'most' units: to the nearest unit,
 * but no more than 'most', and 'most' itself when s is all of all_s. */
static long round_within(double s, double all_s, hs_report_unit unit, long most)
{
	if (s > 0 && s >= all_s - 1e-6)
		return most;
	long n = s > 0 ? lround(s / (double)unit) : 0;
	return n < most ? n : most;
}

void hs_report_format_part(double s, long n, hs_report_unit unit, char *buf,
                           size_t size)
{
	if (n == 0 && s > 0)
		snprintf(buf, size, "under 1 %s",
		         unit == HS_REPORT_UNIT_S ? "s" : "min");
	else
		hs_report_format_units(n, unit, buf, size);
}

void hs_report_format_iso(double t_unix, char *buf, size_t size)
{
	time_t t = (time_t)floor(t_unix);
	struct tm tm;
	localtime_r(&t, &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	off = labs(off);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, sign, off / 3600, off % 3600 / 60);
}

void hs_report_format_clock(double t_unix, char *buf, size_t size)
{
	time_t t = (time_t)floor(t_unix);
	struct tm tm;
	localtime_r(&t, &tm);
	snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

void hs_report_format_clock_zoned(double t_unix, char *buf, size_t size)
{
	const double start = hs_date_start(hs_date_from_unix(t_unix));
	const double next =
	        hs_date_start(hs_date_add_days(hs_date_from_unix(t_unix), 1));
	time_t t = (time_t)floor(t_unix), a = (time_t)start,
	       b = (time_t)next - 1;
	struct tm tm, tm_a, tm_b;
	localtime_r(&t, &tm);
	localtime_r(&a, &tm_a);
	localtime_r(&b, &tm_b);
	char clock[8];
	hs_report_format_clock(t_unix, clock, sizeof clock);
	/* Only on a day the clocks change: 02:30 then means two times. */
	if (tm_a.tm_gmtoff != tm_b.tm_gmtoff && tm.tm_zone)
		snprintf(buf, size, "%s %s", clock, tm.tm_zone);
	else
		snprintf(buf, size, "%s", clock);
}

void hs_report_format_when(const hs_report *r, double t_unix, char *buf,
                           size_t size)
{
	char clock[24];
	hs_report_format_clock_zoned(t_unix, clock, sizeof clock);
	if (r->days == 1) {
		snprintf(buf, size, "%s", clock);
		return;
	}
	char date[16];
	hs_date_format(hs_date_from_unix(t_unix), date, sizeof date);
	snprintf(buf, size, "%s %s", date, clock);
}

void hs_report_format_stretch(const hs_report *r, const hs_report_shown *f,
                              bool bad, char *buf, size_t size)
{
	const hs_report_stretch *s =
	        bad ? &r->longest_bad : &r->longest_upright;
	if (s->duration_s <= 0) {
		/* Stretches are built of minutes mostly in the state, so a
		 * day can have such seconds and still no stretch. */
		snprintf(buf, size, "none: no minute was mostly %s",
		         bad ? "looking down or hunched" : "upright");
		return;
	}
	char dur[32], at[32];
	hs_report_format_part(s->duration_s,
	                      bad ? f->longest_bad : f->longest_upright,
	                      f->unit, dur, sizeof dur);
	hs_report_format_when(r, s->start, at, sizeof at);
	snprintf(buf, size, "%s, from %s", dur, at);
}

void hs_report_format_alerts(const hs_report *r, char *buf, size_t size)
{
	snprintf(buf, size, "%zu (%d looking down, %d hunched)", r->n_alerts,
	         r->alerts_by_kind[HS_STATE_LOOKING_DOWN],
	         r->alerts_by_kind[HS_STATE_HUNCHED]);
}

bool hs_report_format_worst_hour(const hs_report *r, const hs_report_shown *f,
                                 const char *dash, char *buf, size_t size)
{
	if (r->worst_hour < 0)
		return false;
	const double *h = r->hours[r->worst_hour];
	char bad[32];
	hs_report_format_part(h[HS_STATE_LOOKING_DOWN] + h[HS_STATE_HUNCHED],
	                      f->worst_hour_bad, f->unit, bad, sizeof bad);
	snprintf(buf, size, "%02d:00%s%02d:00, %s looking down or hunched",
	         r->worst_hour, dash, (r->worst_hour + 1) % 24, bad);
	return true;
}

void hs_report_format_previous(const hs_report_shown *f, char *buf, size_t size)
{
	const int was = f->prev_share_upright, now = f->share_upright;
	if (was < 0)
		snprintf(buf, size, "no time at the desk to compare");
	else if (now < 0)
		snprintf(buf, size, "upright %d%% of desk time", was);
	else if (now == was)
		snprintf(buf, size,
		         "upright %d%% of desk time; now %d%% (no change)", was,
		         now);
	else
		snprintf(buf, size,
		         "upright %d%% of desk time; now %d%% (%+d points)",
		         was, now, now - was);
}

static double sum_states(const double s[HS_STATE_COUNT])
{
	double sum = 0;
	for (int i = 0; i < HS_STATE_COUNT; i++)
		sum += s[i];
	return sum;
}

static double present(const double s[HS_STATE_COUNT])
{
	return s[HS_STATE_UPRIGHT] + s[HS_STATE_LOOKING_DOWN] +
	       s[HS_STATE_HUNCHED];
}

static double share_upright(const double s[HS_STATE_COUNT])
{
	double p = present(s);
	return p > 0 ? s[HS_STATE_UPRIGHT] / p : -1;
}

void hs_report_round(const hs_report *r, hs_report_shown *out)
{
	hs_report_shown f;
	memset(&f, 0, sizeof f);
	f.unit = hs_report_unit_for(r->monitored_s);
	f.monitored = r->monitored_s > 0
	                      ? lround(r->monitored_s / (double)f.unit)
	                      : 0;
	hs_report_round_parts(r->state_s, HS_STATE_COUNT, f.monitored, f.unit,
	                      f.state);
	/* Hours are read side by side: two alike must read alike, which
	 * shares of a common total cannot promise. */
	for (int h = 0; h < 24; h++)
		f.hour[h] = lround(sum_states(r->hours[h]) / (double)f.unit);

	const long bad =
	        f.state[HS_STATE_LOOKING_DOWN] + f.state[HS_STATE_HUNCHED];
	const double bad_s = r->state_s[HS_STATE_LOOKING_DOWN] +
	                     r->state_s[HS_STATE_HUNCHED];
	f.longest_upright = round_within(r->longest_upright.duration_s,
	                                 r->state_s[HS_STATE_UPRIGHT], f.unit,
	                                 f.state[HS_STATE_UPRIGHT]);
	f.longest_bad =
	        round_within(r->longest_bad.duration_s, bad_s, f.unit, bad);
	if (r->worst_hour >= 0) {
		const double *h = r->hours[r->worst_hour];
		long hour = f.hour[r->worst_hour];
		f.worst_hour_bad = round_within(
		        h[HS_STATE_LOOKING_DOWN] + h[HS_STATE_HUNCHED], bad_s,
		        f.unit, bad < hour ? bad : hour);
	}
	f.share_upright = hs_report_percent(r->share_upright);
	f.prev_share_upright = hs_report_percent(r->prev_share_upright);
	*out = f;
}

static stretch_kind minute_kind(const hs_journal_minute *m, double *secs)
{
	int best = 0;
	for (int s = 1; s < HS_STATE_COUNT; s++)
		if (m->state_s[s] > m->state_s[best])
			best = s;
	if (m->state_s[best] <= 0)
		return RUN_NONE;
	if (best == HS_STATE_UPRIGHT) {
		*secs = m->state_s[HS_STATE_UPRIGHT];
		return RUN_UPRIGHT;
	}
	if (best == HS_STATE_LOOKING_DOWN || best == HS_STATE_HUNCHED) {
		*secs = m->state_s[HS_STATE_LOOKING_DOWN] +
		        m->state_s[HS_STATE_HUNCHED];
		return RUN_BAD;
	}
	return RUN_NONE;
}

/* Seconds of minute m in the posture of a run of kind k. */
static double run_secs(const hs_journal_minute *m, stretch_kind k)
{
	if (k == RUN_UPRIGHT)
		return m->state_s[HS_STATE_UPRIGHT];
	if (k == RUN_BAD)
		return m->state_s[HS_STATE_LOOKING_DOWN] +
		       m->state_s[HS_STATE_HUNCHED];
	return 0;
}

/* Does minute b follow minute a with no gap? */
static bool adjoins(const hs_journal_minute *a, const hs_journal_minute *b)
{
	return b->start > a->start && b->start - a->start <= 60.5;
}

/* Longest runs of consecutive minutes that are mostly upright, and mostly
 * looking down or hunched.  A gap in the minutes ends a run.  The minutes
 * just before and after a run add their time in its posture, taken to
 * adjoin it: a 90 s hunch from 09:00:30 is minute 09:00 mostly upright
 * with 30 s hunched, then minute 09:01 all hunched, so one stretch of
 * 90 s from 09:00:30 wherever the minutes fall. */
static void find_stretches(hs_report *r)
{
	stretch_kind run = RUN_NONE;
	hs_report_stretch cur = { 0, 0 };
	for (size_t i = 0; i <= r->n_minutes; i++) {
		stretch_kind k = RUN_NONE;
		double secs = 0;
		const hs_journal_minute *m =
		        i < r->n_minutes ? &r->minutes[i] : NULL;
		const hs_journal_minute *prev =
		        i > 0 ? &r->minutes[i - 1] : NULL;
		if (m)
			k = minute_kind(m, &secs);
		const bool next_to_prev = m && prev && adjoins(prev, m);
		if (!(next_to_prev && k == run)) {
			hs_report_stretch *best =
			        run == RUN_UPRIGHT ? &r->longest_upright
			        : run == RUN_BAD   ? &r->longest_bad
			                           : NULL;
			if (best && next_to_prev)
				cur.duration_s += run_secs(m, run);
			if (best && cur.duration_s > best->duration_s)
				*best = cur;
			run = k;
			cur = (hs_report_stretch){ m ? m->start : 0, 0 };
			if (k != RUN_NONE && next_to_prev) {
				const double lead = run_secs(prev, k);
				cur.start -= lead;
				cur.duration_s = lead;
			}
		}
		cur.duration_s += secs;
	}
}

static hs_advice_topic choose_advice(const hs_report *r)
{
	double bad = r->state_s[HS_STATE_LOOKING_DOWN] +
	             r->state_s[HS_STATE_HUNCHED];
	if (r->present_s <= 0 || bad <= 0)
		return HS_ADVICE_GENERAL;
	if (r->longest_bad.duration_s >= ACTIVE_STRETCH_S ||
	    (r->present_s >= ACTIVE_MIN_PRESENT_S &&
	     bad / r->present_s >= ACTIVE_BAD_SHARE))
		return HS_ADVICE_ACTIVE;
	return hs_advice_for_state(
	        r->state_s[HS_STATE_HUNCHED] >=
	                        r->state_s[HS_STATE_LOOKING_DOWN]
	                ? HS_STATE_HUNCHED
	                : HS_STATE_LOOKING_DOWN);
}

static hs_advice_topic alert_topic(const hs_journal_alert *a)
{
	int t = a->topic[0] ? hs_advice_from_id(a->topic) : -1;
	return t >= 0 ? (hs_advice_topic)t : hs_advice_for_state(a->kind);
}

int hs_report_build(const hs_report_input *in, hs_report *out)
{
	if (!in || !out || hs_date_cmp(in->first, in->last) > 0)
		return HS_EINVAL;
	hs_report r;
	memset(&r, 0, sizeof r);
	r.first = in->first;
	r.last = in->last;
	r.days = 1;
	for (hs_date d = in->first; hs_date_cmp(d, in->last) < 0;
	     d = hs_date_add_days(d, 1)) {
		if (++r.days > HS_REPORT_MAX_DAYS)
			return HS_EINVAL;
	}
	r.start = hs_date_start(in->first);
	r.end = hs_date_start(hs_date_add_days(in->last, 1));
	r.worst_hour = -1;
	r.neck_load_kg = -1;
	r.mean_pitch_deg = -1;

	r.n_daily = (size_t)(HS_REPORT_BASELINE_DAYS + r.days);
	r.daily = calloc(r.n_daily, sizeof *r.daily);
	size_t first_covered = 0;
	while (first_covered < in->n_minutes &&
	       in->minutes[first_covered].start < r.start)
		first_covered++;
	size_t end_covered = first_covered;
	while (end_covered < in->n_minutes &&
	       in->minutes[end_covered].start < r.end)
		end_covered++;
	r.n_minutes = end_covered - first_covered;
	r.minutes =
	        r.n_minutes ? malloc(r.n_minutes * sizeof *r.minutes) : NULL;
	r.alerts = in->n_alerts ? calloc(in->n_alerts, sizeof *r.alerts) : NULL;
	if (!r.daily || (r.n_minutes && !r.minutes) ||
	    (in->n_alerts && !r.alerts)) {
		hs_report_finish(&r);
		return HS_ENOMEM;
	}
	if (r.n_minutes)
		memcpy(r.minutes, in->minutes + first_covered,
		       r.n_minutes * sizeof *r.minutes);

	/* Daily totals, baseline days first; the minutes are in order. */
	hs_date d = hs_date_add_days(in->first, -HS_REPORT_BASELINE_DAYS);
	double day_end = hs_date_start(d);
	size_t mi = 0;
	while (mi < in->n_minutes && in->minutes[mi].start < day_end)
		mi++;
	for (size_t k = 0; k < r.n_daily; k++, d = hs_date_add_days(d, 1)) {
		hs_report_day *day = &r.daily[k];
		day->date = d;
		day_end = hs_date_start(hs_date_add_days(d, 1));
		for (; mi < in->n_minutes && in->minutes[mi].start < day_end;
		     mi++)
			for (int s = 0; s < HS_STATE_COUNT; s++)
				day->state_s[s] += in->minutes[mi].state_s[s];
		day->monitored_s = sum_states(day->state_s);
		day->share_upright = share_upright(day->state_s);
		if (k < HS_REPORT_BASELINE_DAYS) {
			r.prev_monitored_s += day->monitored_s;
			r.prev_days_with_data += day->monitored_s > 0;
		}
	}
	double prev_states[HS_STATE_COUNT] = { 0 };
	for (size_t k = 0; k < HS_REPORT_BASELINE_DAYS; k++)
		for (int s = 0; s < HS_STATE_COUNT; s++)
			prev_states[s] += r.daily[k].state_s[s];
	r.prev_share_upright = share_upright(prev_states);

	/* The covered minutes: totals, hours and neck load. */
	double load_sum = 0, pitch_sum = 0, weight = 0;
	for (size_t i = 0; i < r.n_minutes; i++) {
		const hs_journal_minute *m = &r.minutes[i];
		time_t t = (time_t)m->start;
		struct tm tm;
		localtime_r(&t, &tm);
		for (int s = 0; s < HS_STATE_COUNT; s++) {
			r.state_s[s] += m->state_s[s];
			r.hours[tm.tm_hour][s] += m->state_s[s];
		}
		double w = present(m->state_s);
		if (m->pitch_frames > 0 && w > 0) {
			double pitch =
			        m->pitch_mean_deg > 0 ? m->pitch_mean_deg : 0;
			load_sum += w * hs_report_neck_load_kg(pitch);
			pitch_sum += w * pitch;
			weight += w;
		}
	}
	r.monitored_s = sum_states(r.state_s);
	r.present_s = present(r.state_s);
	r.share_upright = share_upright(r.state_s);
	r.no_data = !(r.monitored_s > 0);
	if (weight > 0) {
		r.neck_load_kg = load_sum / weight;
		r.mean_pitch_deg = pitch_sum / weight;
	}
	/* The worst hour by bad time per real hour in its slot: the night
	 * the clocks go back, 02:00-03:00 holds two hours and would win for
	 * that alone (and the hour skipped in spring holds none). */
	int real_hours[24] = { 0 };
	for (double t = r.start; t < r.end; t += 3600) {
		time_t tt = (time_t)t;
		struct tm tm;
		if (localtime_r(&tt, &tm))
			real_hours[tm.tm_hour]++;
	}
	double worst = 0;
	for (int h = 0; h < 24; h++) {
		double bad = r.hours[h][HS_STATE_LOOKING_DOWN] +
		             r.hours[h][HS_STATE_HUNCHED];
		double per_hour = bad / (real_hours[h] > 0 ? real_hours[h] : 1);
		if (per_hour > worst) {
			worst = per_hour;
			r.worst_hour = h;
		}
	}
	find_stretches(&r);

	for (size_t i = 0; i < in->n_alerts; i++) {
		const hs_journal_alert *a = &in->alerts[i];
		if (a->t < r.start || a->t >= r.end)
			continue;
		r.alerts[r.n_alerts++] = (hs_report_alert){
			.t = a->t,
			.kind = a->kind,
			.after_s = a->after_s,
			.topic = alert_topic(a),
		};
		if ((unsigned)a->kind < HS_STATE_COUNT)
			r.alerts_by_kind[a->kind]++;
	}
	r.advice = choose_advice(&r);
	*out = r;
	return 0;
}

void hs_report_finish(hs_report *r)
{
	if (!r)
		return;
	free(r->alerts);
	free(r->daily);
	free(r->minutes);
	r->alerts = NULL;
	r->daily = NULL;
	r->minutes = NULL;
	r->n_alerts = r->n_daily = r->n_minutes = 0;
}

void hs_report_set_links(hs_report *r)
{
	for (int t = 0; t < HS_ADVICE_COUNT; t++) {
		/* HS_ENOENT still gives the installed location: keep it. */
		int rc = hs_advice_url((hs_advice_topic)t, r->advice_url[t],
		                       sizeof r->advice_url[t]);
		if (rc < 0 && rc != HS_ENOENT)
			r->advice_url[t][0] = '\0';
	}
}

int hs_report_load(hs_journal *j, hs_date last, int days, hs_report *out)
{
	if (!out || days < 1 || days > HS_REPORT_MAX_DAYS)
		return HS_EINVAL;
	hs_report_input in = {
		.first = hs_date_add_days(last, 1 - days),
		.last = last,
	};
	hs_journal_minute *minutes = NULL;
	hs_journal_alert *alerts = NULL;
	int rc = 0;
	if (j) {
		double from = hs_date_start(
		        hs_date_add_days(in.first, -HS_REPORT_BASELINE_DAYS));
		double start = hs_date_start(in.first);
		double end = hs_date_start(hs_date_add_days(last, 1));
		rc = hs_journal_read_minutes(j, from, end, &minutes,
		                             &in.n_minutes);
		if (rc == 0)
			rc = hs_journal_read_alerts(j, start, end, &alerts,
			                            &in.n_alerts);
	}
	in.minutes = minutes;
	in.alerts = alerts;
	if (rc == 0)
		rc = hs_report_build(&in, out);
	if (rc == 0)
		hs_report_set_links(out);
	free(minutes);
	free(alerts);
	return rc;
}

/* fuzz_report.c - libFuzzer target for the report (report.h): any day's
 * journal rows, as hs_journal_read_minutes() and hs_journal_read_alerts()
 * can give them from a file where anything may have been written, go
 * through hs_report_build() and all three renderers.  The rows keep only
 * what the journal's readers promise: minutes in time order, one a minute
 * at most, inside the range asked for, each second count in [0, 86400],
 * means in their ranges, counts not negative; alerts in time order, inside
 * the report's days, looking down or hunched, after_s in [0, 86400], any
 * topic text.  The start of a minute need not be a multiple of 60, and
 * the sums need not make sense.  Each call must:
 *   - build (0), and render text (UTF-8 at 24 columns and ASCII at 79),
 *     HTML and JSON with 0;
 *   - give JSON that SQLite's json_valid() accepts (no "inf" or "nan");
 *   - never crash, read out of bounds or leak.
 *
 * The clock is Europe/Berlin's, whose days of 23 and 25 hours the input
 * can reach.  Built only with clang and -DHS_FUZZ=ON; seeds in
 * corpus/report/.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "headsup/journal.h"
#include "headsup/report.h"
#include "headsup/timeparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	MAX_MINUTES = 400,
	MAX_ALERTS = 40
};

typedef struct reader {
	const uint8_t *p;
	size_t n;
} reader;

static unsigned byte(reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static unsigned u16(reader *r)
{
	unsigned hi = byte(r);
	return hi << 8 | byte(r);
}

/* A value in [lo, hi]: often an edge (lo, hi, 60), else spread along. */
static double value_in(reader *r, double lo, double hi)
{
	const unsigned k = byte(r);
	if (k < 16)
		return lo;
	if (k < 32)
		return hi;
	if (k < 48 && lo <= 60 && hi >= 60)
		return 60;
	return lo + (hi - lo) * (u16(r) / 65535.0);
}

static hs_report_input in;
static hs_journal_minute minutes[MAX_MINUTES];
static hs_journal_alert alerts[MAX_ALERTS];

/* Render r with f into memory; abort unless it says 0.  The text, which
 * the caller frees. */
static char *render(const hs_report *r, int (*f)(const hs_report *, FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out || f(r, out) != 0 || fclose(out) != 0)
		abort();
	return text;
}

static int text_ascii(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, HS_REPORT_ASCII, 79);
}

static int text_utf8(const hs_report *r, FILE *out)
{
	/* a narrow terminal's layout: values under their labels, the
	 * bars on lines of their own */
	return hs_report_write_text_in(r, out, HS_REPORT_UTF8, 24);
}

static void check_json(const char *doc)
{
	static sqlite3 *db;
	static sqlite3_stmt *st;
	if (!db && (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	            sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &st,
	                               NULL) != SQLITE_OK))
		abort();
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 1) {
		fprintf(stderr, "fuzz_report: not JSON:\n%s\n", doc);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	if (!once) {
		setenv("TZ", "Europe/Berlin", 1);
		tzset();
		once = 1;
	}
	reader r = { data, size };
	/* The last day: within 2026, which has both of Berlin's changes;
	 * 1 to 14 days, as `report --days` allows and more. */
	hs_date last = { 2026, 1, 1 };
	last = hs_date_add_days(last, (int)(u16(&r) % 365));
	const int days = 1 + (int)(byte(&r) % 14);
	memset(&in, 0, sizeof in);
	in.first = hs_date_add_days(last, 1 - days);
	in.last = last;
	const double from = hs_date_start(
	        hs_date_add_days(in.first, -HS_REPORT_BASELINE_DAYS));
	const double start = hs_date_start(in.first);
	const double end = hs_date_start(hs_date_add_days(last, 1));

	/* Minutes: each a step of 1 s to about 11 days after the last. */
	size_t n = 0;
	double t = from + byte(&r) % 60;
	while (n < MAX_MINUTES && r.n > 0) {
		hs_journal_minute *m = &minutes[n];
		memset(m, 0, sizeof *m);
		const unsigned step = u16(&r);
		t += step < 60000 ? 60.0 * (1 + step % 4) : 1 + step * 15.0;
		if (t >= end)
			break;
		m->start = byte(&r) & 1 ? floor(t / 60) * 60 : t;
		for (int s = 0; s < HS_STATE_COUNT; s++)
			m->state_s[s] =
			        byte(&r) & 1 ? value_in(&r, 0, 86400) : 0;
		m->pitch_mean_deg = value_in(&r, -180, 180);
		m->drop_mean_iod = value_in(&r, -100, 100);
		m->frames = (long)u16(&r);
		m->face_frames = (long)u16(&r);
		m->pitch_frames = byte(&r) & 1 ? (long)u16(&r) : 0;
		m->drop_frames = byte(&r) & 1 ? (long)u16(&r) : 0;
		n++;
	}
	in.minutes = minutes;
	in.n_minutes = n;

	/* Alerts, in time order inside the report's days. */
	size_t k = 0;
	double at = start;
	while (k < MAX_ALERTS && r.n > 0) {
		hs_journal_alert *a = &alerts[k];
		memset(a, 0, sizeof *a);
		at += 1 + u16(&r) * 7.0;
		if (at >= end)
			break;
		a->t = at;
		a->kind =
		        byte(&r) & 1 ? HS_STATE_LOOKING_DOWN : HS_STATE_HUNCHED;
		a->after_s = value_in(&r, 0, 86400);
		const size_t len = byte(&r) % HS_JOURNAL_TOPIC_MAX;
		for (size_t i = 0; i < len; i++)
			a->topic[i] = (char)(1 + byte(&r) % 255);
		k++;
	}
	in.alerts = alerts;
	in.n_alerts = k;

	hs_report rep;
	if (hs_report_build(&in, &rep) != 0)
		abort();
	hs_report_set_links(&rep);
	free(render(&rep, text_utf8));
	free(render(&rep, text_ascii));
	free(render(&rep, hs_report_write_html));
	char *json = render(&rep, hs_report_write_json);
	check_json(json);
	free(json);
	hs_report_finish(&rep);
	return 0;
}

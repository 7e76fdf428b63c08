/* report_text.c - the terminal report, 80 columns wide, in UTF-8 or, for a
 * terminal in another character set, in ASCII. */
#include "headsup/report.h"

#include "headsup/advice.h"
#include "headsup/err.h"
#include "headsup/text.h"

#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BAR_COLS 50
#define WIDTH 80

/* The characters the report draws with.  Each bar glyph is one column
 * wide in either set, so the bars and their durations line up the same. */
typedef struct glyphs {
	const char *bar[HS_STATE_COUNT];
	const char *degree; /* after a number of degrees */
} glyphs;

/* One block per state, darkest for upright so the good part reads solid. */
static const glyphs utf8_glyphs = {
	.bar = {
		[HS_STATE_UPRIGHT] = "\u2588",      /* full block */
		[HS_STATE_LOOKING_DOWN] = "\u2593", /* dark shade */
		[HS_STATE_HUNCHED] = "\u2592",      /* medium shade */
		[HS_STATE_AWAY] = "\u2591",         /* light shade */
		[HS_STATE_UNCALIBRATED] = "\u00b7", /* middle dot */
	},
	.degree = "\u00b0",
};

/* The same from dense to light in ASCII, for terminals that would show
 * UTF-8 as garbage. */
static const glyphs ascii_glyphs = {
	.bar = {
		[HS_STATE_UPRIGHT] = "#",
		[HS_STATE_LOOKING_DOWN] = "=",
		[HS_STATE_HUNCHED] = "+",
		[HS_STATE_AWAY] = "-",
		[HS_STATE_UNCALIBRATED] = ".",
	},
	.degree = " deg",
};

const char *hs_report_degree(hs_report_charset charset)
{
	return charset == HS_REPORT_UTF8 ? utf8_glyphs.degree
	                                 : ascii_glyphs.degree;
}

hs_report_charset hs_report_locale_charset(void)
{
	/* A locale object of its own: the program's locale stays "C", so
	 * numbers keep their decimal point in JSON, settings and logs. */
	locale_t loc = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	if (loc == (locale_t)0)
		return HS_REPORT_ASCII; /* not installed: as the C library */
	const char *codeset = nl_langinfo_l(CODESET, loc);
	const bool utf8 = codeset && (strcasecmp(codeset, "UTF-8") == 0 ||
	                              strcasecmp(codeset, "UTF8") == 0);
	freelocale(loc);
	return utf8 ? HS_REPORT_UTF8 : HS_REPORT_ASCII;
}

static void line(FILE *out, const char *label, const char *value)
{
	fprintf(out, "  %-20s %s\n", label, value);
}

static void day_title(const hs_report *r, char *buf, size_t size)
{
	if (r->days == 1) {
		time_t t = (time_t)r->start;
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(buf, size, "%A %e %B %Y", &tm);
		/* %e pads single digits with a space: drop it. */
		char *dbl = strstr(buf, "  ");
		if (dbl)
			memmove(dbl, dbl + 1, strlen(dbl));
		return;
	}
	char a[16], b[16];
	hs_date_format(r->first, a, sizeof a);
	hs_date_format(r->last, b, sizeof b);
	snprintf(buf, size, "%s to %s (%d days)", a, b, r->days);
}

static void stretch_line(FILE *out, const hs_report *r,
                         const hs_report_shown *f, const char *label, bool bad)
{
	char value[80];
	hs_report_format_stretch(r, f, bad, value, sizeof value);
	line(out, label, value);
}

/* The durations are f's: the states add up to the time monitored as
 * printed (report.h). */
static void summary(const hs_report *r, const hs_report_shown *f,
                    const glyphs *g, FILE *out)
{
	char a[64], value[128];
	hs_report_format_part(r->monitored_s, f->monitored, f->unit, a,
	                      sizeof a);
	line(out, "Time monitored", a);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (s == HS_STATE_UNCALIBRATED && r->state_s[s] <= 0)
			continue;
		hs_report_format_part(r->state_s[s], f->state[s], f->unit, a,
		                      sizeof a);
		if (s == HS_STATE_UPRIGHT && f->share_upright >= 0) {
			snprintf(value, sizeof value,
			         "%-12s %d%% of the time at the desk", a,
			         f->share_upright);
			line(out, hs_report_state_label((hs_state)s), value);
		} else {
			line(out, hs_report_state_label((hs_state)s), a);
		}
	}

	if (r->n_alerts == 0) {
		line(out, "Alerts", "none");
	} else {
		hs_report_format_alerts(r, value, sizeof value);
		line(out, "Alerts", value);
	}
	stretch_line(out, r, f, "Longest upright", false);
	stretch_line(out, r, f, "Longest bad stretch", true);
	if (hs_report_format_worst_hour(r, f, "-", value, sizeof value))
		line(out, "Worst hour", value);
	else
		line(out, "Worst hour", "none");
	if (r->neck_load_kg >= 0) {
		snprintf(value, sizeof value,
		         "about %.0f kg on average (head %.0f%s below "
		         "upright)",
		         r->neck_load_kg, r->mean_pitch_deg, g->degree);
		line(out, "Neck load", value);
		line(out, "", "from the head's tilt only, not from hunching;");
		line(out, "",
		     "an estimate after Hansraj 2014, not a diagnosis");
	}
	hs_report_format_previous(f, value, sizeof value);
	line(out, "Previous 7 days", value);
}

/* Each hour's label is f's, rounded on its own (report.h). */
static void hour_bars(const hs_report *r, const hs_report_shown *f,
                      const glyphs *g, FILE *out)
{
	int lo = -1, hi = -1;
	/* One day: the whole hour is the full bar.  Several days: the
	 * busiest hour is, or a week with a few days at the desk would draw
	 * bars too short to read (as the HTML report does). */
	double scale = r->days > 1 ? 0 : 3600.0;
	for (int h = 0; h < 24; h++) {
		double total = 0;
		for (int s = 0; s < HS_STATE_COUNT; s++)
			total += r->hours[h][s];
		if (total > 0) {
			if (lo < 0)
				lo = h;
			hi = h;
		}
		if (total > scale)
			scale = total;
	}
	if (lo < 0)
		return;
	fprintf(out,
	        "\nHour by hour: %s upright  %s looking down  %s hunched  %s "
	        "away  %s uncalibrated\n",
	        g->bar[HS_STATE_UPRIGHT], g->bar[HS_STATE_LOOKING_DOWN],
	        g->bar[HS_STATE_HUNCHED], g->bar[HS_STATE_AWAY],
	        g->bar[HS_STATE_UNCALIBRATED]);
	if (r->days > 1)
		fprintf(out,
		        "  (time in each hour over all %d days; the longest "
		        "bar is the busiest hour)\n",
		        r->days);
	for (int h = lo; h <= hi; h++) {
		fprintf(out, "  %02d ", h);
		double cum = 0;
		int col = 0;
		for (int s = 0; s < HS_STATE_COUNT; s++) {
			cum += r->hours[h][s];
			int upto = (int)lround(cum / scale * BAR_COLS);
			for (; col < upto; col++)
				fputs(g->bar[s], out);
		}
		char dur[32];
		hs_report_format_part(cum, f->hour[h], f->unit, dur,
		                      sizeof dur);
		fprintf(out, "%*s %s\n", BAR_COLS - col, "",
		        cum > 0 ? dur : "");
	}
}

int hs_report_write_text(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, hs_report_locale_charset());
}

int hs_report_write_text_in(const hs_report *r, FILE *out,
                            hs_report_charset charset)
{
	const glyphs *g =
	        charset == HS_REPORT_UTF8 ? &utf8_glyphs : &ascii_glyphs;
	char title[96];
	day_title(r, title, sizeof title);
	fprintf(out, "headsup report for %s\n\n", title);
	if (r->no_data) {
		fprintf(out,
		        "No posture data for %s.\n"
		        "Monitoring writes the journal: start it with "
		        "'headsup run'.\n",
		        r->days == 1 ? "this day" : "these days");
		/* A monitor stopped short can have written an alert and
		 * not yet the minute it came in. */
		if (r->n_alerts > 0) {
			char value[96];
			hs_report_format_alerts(r, value, sizeof value);
			fprintf(out,
			        "Alerts: %s, from minutes the journal does not "
			        "hold (the monitor stopped before it wrote "
			        "them).\n",
			        value);
		}
		return ferror(out) ? HS_EIO : 0;
	}
	hs_report_shown f;
	hs_report_round(r, &f);
	summary(r, &f, g, out);
	hour_bars(r, &f, g, out);

	const hs_advice *adv = hs_advice_get(r->advice);
	if (adv) {
		fprintf(out, "\nWhat to try: %s\n", adv->title);
		hs_text_wrap(out, adv->sentence, strlen(adv->sentence), 2,
		             WIDTH - 1);
		/* The advice speaks of "the article": say which. */
		char credit[128];
		snprintf(credit, sizeof credit,
		         "Advice in our own words from the article "
		         "\"%s\".",
		         hs_advice_source_title);
		hs_text_wrap(out, credit, strlen(credit), 2, WIDTH - 1);
		if (r->advice_url[r->advice][0])
			fprintf(out, "  %s\n", r->advice_url[r->advice]);
	}
	fputc('\n', out);
	fputs(hs_disclaimer, out);
	return ferror(out) ? HS_EIO : 0;
}

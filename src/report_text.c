/* report_text.c - the terminal report, 80 columns wide, in UTF-8 or, for a
 * terminal in another character set, in ASCII. */
#include "headsup/report.h"

#include "headsup/advice.h"
#include "headsup/err.h"
#include "headsup/text.h"

#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The hour bars are at most this long, and at least BAR_MIN. */
#define BAR_MAX 50
#define BAR_MIN 10
/* Under this width the summary's labels and values take a line each. */
#define NARROW 50
/* "under 1 min", the widest label of an hour */
#define HOUR_LABEL 11

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

/* "  Label                value", the values in a column from 23.  A
 * value too long for the line is wrapped under itself; on a terminal too
 * narrow for that column, each label has a line of its own, with its
 * value under it. */
static void line(FILE *out, int width, const char *label, const char *value)
{
	const size_t len = strlen(value);
	int col = 4;
	if (width >= NARROW) {
		col = fprintf(out, "  %-20s ", label);
	} else {
		hs_text_wrap(out, label, strlen(label), 2, width);
		fputs("    ", out);
	}
	if (col + hs_text_columns(value, len) <= width)
		fprintf(out, "%s\n", value); /* as it is, spaces and all */
	else
		hs_text_wrap_from(out, value, len, col, col, width);
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

static void stretch_line(FILE *out, int width, const hs_report *r,
                         const hs_report_shown *f, const char *label, bool bad)
{
	char value[80];
	hs_report_format_stretch(r, f, bad, value, sizeof value);
	line(out, width, label, value);
}

/* The durations are f's: the states add up to the time monitored as
 * printed (report.h). */
static void summary(const hs_report *r, const hs_report_shown *f,
                    const glyphs *g, FILE *out, int width)
{
	char a[64], value[128];
	hs_report_format_part(r->monitored_s, f->monitored, f->unit, a,
	                      sizeof a);
	line(out, width, "Time monitored", a);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (s == HS_STATE_UNCALIBRATED && r->state_s[s] <= 0)
			continue;
		hs_report_format_part(r->state_s[s], f->state[s], f->unit, a,
		                      sizeof a);
		if (s == HS_STATE_UPRIGHT && f->share_upright >= 0) {
			/* in a column of its own where the line has room */
			snprintf(value, sizeof value,
			         "%-12s %d%% of the time at the desk", a,
			         f->share_upright);
			if (width < NARROW ||
			    23 + hs_text_columns(value, strlen(value)) > width)
				snprintf(value, sizeof value,
				         "%s (%d%% of the time at the desk)", a,
				         f->share_upright);
			line(out, width, hs_state_label((hs_state)s), value);
		} else if (s == HS_STATE_UNCALIBRATED) {
			/* a word the rest of the report does not explain */
			snprintf(value, sizeof value,
			         "%s, before your upright posture was known",
			         a);
			line(out, width, hs_state_label((hs_state)s), value);
		} else {
			line(out, width, hs_state_label((hs_state)s), a);
		}
	}

	if (r->n_alerts == 0) {
		line(out, width, "Alerts", "none");
	} else {
		hs_report_format_alerts(r, value, sizeof value);
		line(out, width, "Alerts", value);
	}
	stretch_line(out, width, r, f, "Longest upright", false);
	stretch_line(out, width, r, f, "Longest bad stretch", true);
	if (hs_report_format_worst_hour(r, f, "-", value, sizeof value))
		line(out, width, "Worst hour", value);
	else
		line(out, width, "Worst hour", "none");
	if (r->neck_load_kg >= 0) {
		snprintf(value, sizeof value,
		         "about %.0f kg on average (head %.0f%s below "
		         "upright)",
		         r->neck_load_kg, r->mean_pitch_deg, g->degree);
		line(out, width, "Neck load", value);
		line(out, width, "",
		     "from the head's tilt only, not from hunching;");
		line(out, width, "",
		     "an estimate after Hansraj 2014, not a diagnosis");
	}
	hs_report_format_previous(f, value, sizeof value);
	line(out, width, "Previous 7 days", value);
}

/* One line an hour: the time in it, then a bar of its postures.  The
 * figure comes first, so that a screen reader says it before the bar's
 * glyphs, and an hour with no time ends after its number.  Each hour's
 * figure is f's, rounded on its own (report.h). */
static void hour_bars(const hs_report *r, const hs_report_shown *f,
                      const glyphs *g, FILE *out, int width)
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
	/* The key, wrapped between its entries, the names in lower case. */
	int col = fprintf(out, "\nHour by hour:");
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		const char *name = hs_state_label((hs_state)s);
		/* "  # upright": each glyph is one column */
		const int w = (s ? 2 : 1) + 2 + (int)strlen(name);
		if (col + w > width) {
			fputs("\n ", out);
			col = 1;
		}
		fprintf(out, "%s%s %c%s", s ? "  " : " ", g->bar[s],
		        tolower((unsigned char)name[0]), name + 1);
		col += w;
	}
	fputc('\n', out);
	if (r->days > 1) {
		char note[128];
		snprintf(note, sizeof note,
		         "(time in each hour over all %d days; the longest "
		         "bar is the busiest hour)",
		         r->days);
		hs_text_wrap(out, note, strlen(note), 2, width);
	}
	/* "  09  3 min 20 s   " then the bar; where that leaves no room for
	 * one, the bar goes on a line of its own under the time */
	const int lead = 2 + 2 + 2 + HOUR_LABEL + 2;
	const bool own_line = width - lead < BAR_MIN;
	int bar_max = own_line ? width - 6 : width - lead;
	bar_max = bar_max > BAR_MAX ? BAR_MAX : bar_max;
	for (int h = lo; h <= hi; h++) {
		double hour_s = 0;
		for (int s = 0; s < HS_STATE_COUNT; s++)
			hour_s += r->hours[h][s];
		if (!(hour_s > 0)) {
			fprintf(out, "  %02d\n", h);
			continue;
		}
		char dur[32];
		hs_report_format_part(hour_s, f->hour[h], f->unit, dur,
		                      sizeof dur);
		if (own_line)
			fprintf(out, "  %02d  %s\n      ", h, dur);
		else
			fprintf(out, "  %02d  %-*s  ", h, HOUR_LABEL, dur);
		double cum = 0;
		int bar = 0;
		int most = 0;
		for (int s = 0; s < HS_STATE_COUNT; s++) {
			cum += r->hours[h][s];
			int upto = (int)lround(cum / scale * bar_max);
			for (; bar < upto; bar++)
				fputs(g->bar[s], out);
			if (r->hours[h][s] > r->hours[h][most])
				most = s;
		}
		/* time too short for a glyph of a short bar still shows */
		if (bar == 0)
			fputs(g->bar[most], out);
		fputc('\n', out);
	}
}

int hs_report_write_text(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, hs_report_locale_charset(),
	                               HS_REPORT_TEXT_WIDTH);
}

int hs_report_write_text_in(const hs_report *r, FILE *out,
                            hs_report_charset charset, int width)
{
	const glyphs *g =
	        charset == HS_REPORT_UTF8 ? &utf8_glyphs : &ascii_glyphs;
	char title[96];
	day_title(r, title, sizeof title);
	char heading[128];
	snprintf(heading, sizeof heading, "headsup report for %s", title);
	hs_text_wrap(out, heading, strlen(heading), 0, width);
	fputc('\n', out);
	if (r->no_data) {
		fprintf(out,
		        "No posture data for %s.\n"
		        "Monitoring writes the journal: start it with "
		        "'headsup run'.\n",
		        r->days == 1 ? "this day" : "these days");
		/* A monitor stopped short can have written an alert and
		 * not yet the minute it came in. */
		if (r->n_alerts > 0) {
			char value[96], said[256];
			hs_report_format_alerts(r, value, sizeof value);
			snprintf(said, sizeof said,
			         "Alerts: %s, from minutes the journal does "
			         "not hold (the monitor stopped before it "
			         "wrote them).",
			         value);
			hs_text_wrap(out, said, strlen(said), 0, width);
		}
		return ferror(out) ? HS_EIO : 0;
	}
	hs_report_shown f;
	hs_report_round(r, &f);
	summary(r, &f, g, out, width);
	hour_bars(r, &f, g, out, width);

	const hs_advice *adv = hs_advice_get(r->advice);
	if (adv) {
		snprintf(heading, sizeof heading, "What to try: %s",
		         adv->title);
		fputc('\n', out);
		hs_text_wrap(out, heading, strlen(heading), 0, width);
		hs_text_wrap(out, adv->sentence, strlen(adv->sentence), 2,
		             width);
		/* The advice speaks of "the article": say which. */
		char credit[128];
		snprintf(credit, sizeof credit,
		         "Advice in our own words from the article "
		         "\"%s\".",
		         hs_advice_source_title);
		hs_text_wrap(out, credit, strlen(credit), 2, width);
		if (r->advice_url[r->advice][0])
			fprintf(out, "  %s\n", r->advice_url[r->advice]);
	}
	fputc('\n', out);
	hs_text_wrap(out, hs_disclaimer, strlen(hs_disclaimer), 0, width);
	return ferror(out) ? HS_EIO : 0;
}

/* report_html.c - the report as one self-contained HTML page: inline CSS,
 * inline SVG charts, no script and no external resource; links go only to
 * the local advice page.  Readable on screen and on paper, and without
 * seeing the charts: each chart has its figures in a table beside it, and
 * tells its postures apart by pattern as well as by colour. */
#include "headsup/report.h"
#include "headsup/html.h"

#include "headsup/advice.h"
#include "headsup/err.h"

#include <math.h>
#include <string.h>
#include <time.h>

#define CHART_W 960
#define LABEL_W 96
/* Pixels from one axis label to the next, at the least. */
#define MIN_LABEL_GAP 60

static const char *const state_colour[HS_STATE_COUNT] = {
	/* Okabe and Ito's palette, told apart with the common colour
	 * blindnesses and by lightness alone (printed in grey): dark blue
	 * upright against orange and vermilion, a mid grey for away that
	 * stands out from the empty track. */
	[HS_STATE_UPRIGHT] = "#0072b2",
	[HS_STATE_LOOKING_DOWN] = "#e69f00",
	[HS_STATE_HUNCHED] = "#d55e00",
	[HS_STATE_AWAY] = "#999999",
	[HS_STATE_UNCALIBRATED] = "#56b4e9",
};

/* The page's neutral colours, light first.  The charts draw theirs as SVG
 * attributes (the light ones), each element with a class that the dark
 * sheet restyles: "track" the empty day row, "gap" the hour lines cut
 * through it (the page's own background), "grid" a value's line across a
 * chart and "axis" a chart's base line and ticks.  The states keep their
 * fills in both: on the dark background every one of them stands out by
 * at least 3:1 (upright, the darkest, 3.6:1 on the page and 3.1:1 on the
 * track), as WCAG asks of parts of a chart.  On the light page the lighter
 * states do not reach 3:1, and colour alone would not tell the states
 * apart for everyone: each state but upright is also drawn with a pattern
 * of dark lines or dots ("st-<state>", the patterns' ids "hs-<state>"),
 * and each chart has its figures in a table.  Dark is for the screen only;
 * paper stays white.  With forced colours (a high-contrast theme) the
 * browser recolours the page but not the SVG, so the neutral parts of the
 * charts take the theme's colours there, and the states keep theirs. */
/* The text follows the size the reader set in the browser (15 px at the
 * usual 16). */
static const char css[] =
        "body{font:93.75%/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
        "max-width:1000px;margin:2em auto;padding:0 1em;color:#222;"
        "background:#fff}"
        "h1{font-size:1.5em;margin-bottom:.2em}"
        "h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}"
        "table{border-collapse:collapse}"
        "td,th{padding:3px 14px 3px 0;text-align:left;vertical-align:top}"
        "th{font-weight:600}"
        "caption{text-align:left;font-weight:600;padding:.3em 0}"
        ".fig td{text-align:right;white-space:nowrap}"
        /* a wide table's caption stays in view as the table scrolls */
        ".scroll caption{position:sticky;left:0;max-width:calc(100vw - 3em)}"
        "details{margin:.5em 0}summary{cursor:pointer}"
        ".legend{margin:.4em 0}"
        ".legend span{display:inline-block;margin-right:1.2em}"
        ".sw{display:inline-block;margin-right:5px;vertical-align:-2px;"
        "border:1px solid #0003}"
        ".defs{position:absolute;width:0;height:0;overflow:hidden}"
        ".st-looking_down{fill:url(#hs-looking_down)}"
        ".st-hunched{fill:url(#hs-hunched)}"
        ".st-away{fill:url(#hs-away)}"
        ".st-uncalibrated{fill:url(#hs-uncalibrated)}"
        "svg.chart{display:block;max-width:100%;height:auto}"
        /* on a narrow window (or zoomed in) a chart scrolls rather than
         * shrinking its labels out of reach; the keyboard can scroll it
         * too, as the box takes the focus */
        ".scroll{overflow-x:auto}svg.chart{min-width:720px}"
        /* the trend's box starts at its right end, where the report's own
         * days are: a reversed flex row puts the start of the scroll
         * there, with no script */
        ".scroll.at-end{display:flex;flex-direction:row-reverse;"
        "align-items:flex-start}"
        ".scroll:focus-visible{outline:2px solid;outline-offset:2px}"
        "svg text{font:12px system-ui,sans-serif;fill:#444}"
        /* the shorthand above would undo the trend's bold dates (a style
         * sheet outranks an SVG attribute) */
        "svg text[font-weight=bold]{font-weight:bold}"
        ".note{background:#f5f5ef;border-left:4px solid #999;padding:.6em 1em}"
        ".muted{color:#666}"
        "@media screen and (prefers-color-scheme:dark){"
        "body{color:#e6e6e6;background:#121212}h2{border-color:#333}"
        "a{color:#8ab4f8}a:visited{color:#c58af9}.sw{border-color:#fff4}"
        "svg text{fill:#c8c8c8}.note{background:#1e1e1a;border-color:#777}"
        ".muted{color:#a0a0a0}.track{fill:#222}.gap{stroke:#121212}"
        ".grid{stroke:#333}.axis{stroke:#777}}"
        "@media (forced-colors:active){svg text{fill:CanvasText}"
        ".track{fill:Canvas;stroke:CanvasText}.gap{stroke:Canvas}"
        ".grid{stroke:GrayText}.axis{stroke:CanvasText}"
        ".st,.sw{forced-color-adjust:none}}"
        /* on paper a chart shrinks to the page instead of being cut off
         * at its right edge, and the tables of the charts' figures are
         * printed open, as paper has no button to open them: the content
         * of a <details> is its ::details-content, which browsers without
         * that selector drop (they print the summaries alone).  A long
         * table may break across pages, between its rows; a chart and
         * its key do not. */
        "@media print{body{max-width:none;margin:0;font-size:10pt}"
        "h2,summary{break-after:avoid}"
        "svg.chart,.legend,tr{break-inside:avoid}"
        ".scroll{overflow:visible}svg.chart{min-width:0}"
        "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        "a{color:inherit}summary{list-style:none;font-weight:600}"
        "details::details-content{content-visibility:visible}}";

/* The patterns of the states after upright (solid, as the good part
 * should read): stripes for looking down, a cross-hatch for hunched,
 * level lines for away and dots for uncalibrated, each dark over the
 * state's colour.  Tiles in the page's own pixels, so that adjacent bars
 * of one state join up. */
static const char *const state_pattern[HS_STATE_COUNT] = {
	[HS_STATE_LOOKING_DOWN] = "<path d=\"M-1,1 l2,-2 M0,8 l8,-8 M7,9 "
	                          "l2,-2\"/>",
	[HS_STATE_HUNCHED] = "<path d=\"M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2 "
	                     "M-1,7 l2,2 M0,0 l8,8 M7,-1 l2,2\"/>",
	[HS_STATE_AWAY] = "<path d=\"M0,4 h8\"/>",
	[HS_STATE_UNCALIBRATED] = "<circle cx=\"4\" cy=\"4\" r=\"1.4\" "
	                          "stroke=\"none\" fill=\"#000\" "
	                          "fill-opacity=\".5\"/>",
};

/* The patterns, once per page, in an SVG of no size that the charts and
 * the legends refer to. */
static void pattern_defs(FILE *out)
{
	fputs("<svg class=\"defs\" width=\"0\" height=\"0\" "
	      "aria-hidden=\"true\" focusable=\"false\"><defs>\n",
	      out);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (!state_pattern[s])
			continue;
		fprintf(out,
		        "<pattern id=\"hs-%s\" width=\"8\" height=\"8\" "
		        "patternUnits=\"userSpaceOnUse\"><rect width=\"8\" "
		        "height=\"8\" fill=\"%s\"/><g stroke=\"#000\" "
		        "stroke-opacity=\".5\" stroke-width=\"1.5\">%s</g>"
		        "</pattern>\n",
		        hs_state_name((hs_state)s), state_colour[s],
		        state_pattern[s]);
	}
	fputs("</defs></svg>\n", out);
}

/* A bar of state s: its colour as an attribute (what a reader without the
 * page's style sheet sees) and its class (the pattern). */
static void state_rect(FILE *out, double x, double y, double w, double h, int s)
{
	fprintf(out,
	        "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
	        "fill=\"%s\" class=\"st st-%s\"/>\n",
	        x, y, w, h, state_colour[s], hs_state_name((hs_state)s));
}

static void row(FILE *out, const char *label, const char *value)
{
	fputs("<tr><th>", out);
	hs_html_escape(out, label);
	fputs("</th><td>", out);
	hs_html_escape(out, value);
	fputs("</td></tr>\n", out);
}

static void stretch_row(FILE *out, const hs_report *r, const hs_report_shown *f,
                        const char *label, bool bad)
{
	char value[96];
	hs_report_format_stretch(r, f, bad, value, sizeof value);
	row(out, label, value);
}

/* The same figures as the text report, rounded the same way (report.h):
 * the states add up to the time monitored as printed. */
static void summary(const hs_report *r, FILE *out)
{
	hs_report_shown f;
	hs_report_round(r, &f);
	char a[64], value[256];
	fputs("<section><h2>Summary</h2><table>\n", out);
	hs_report_format_part(r->monitored_s, f.monitored, f.unit, a, sizeof a);
	row(out, "Time monitored", a);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (s == HS_STATE_UNCALIBRATED && r->state_s[s] <= 0)
			continue;
		hs_report_format_part(r->state_s[s], f.state[s], f.unit, a,
		                      sizeof a);
		if (s == HS_STATE_UPRIGHT && f.share_upright >= 0)
			snprintf(value, sizeof value,
			         "%s (%d%% of the time at the desk)", a,
			         f.share_upright);
		else if (s == HS_STATE_UNCALIBRATED)
			snprintf(value, sizeof value,
			         "%s, before your upright posture was known",
			         a);
		else
			snprintf(value, sizeof value, "%s", a);
		row(out, hs_state_label((hs_state)s), value);
	}
	hs_report_format_alerts(r, value, sizeof value);
	row(out, "Alerts", value);
	stretch_row(out, r, &f, "Longest upright stretch", false);
	stretch_row(out, r, &f, "Longest bad stretch", true);
	if (hs_report_format_worst_hour(r, &f, "\u2013", value, sizeof value))
		row(out, "Worst hour", value);
	if (r->neck_load_kg >= 0) {
		snprintf(value, sizeof value,
		         "about %.0f kg on average, head %.0f\u00b0 below "
		         "upright (from the head's tilt only, not from "
		         "hunching; an estimate, not a diagnosis)",
		         r->neck_load_kg, r->mean_pitch_deg);
		row(out, "Neck load", value);
	}
	/* As the text report words it: the week before has its share even
	 * when the report's days have no desk time to set against it. */
	hs_report_format_previous(&f, value, sizeof value);
	row(out, "Previous 7 days", value);
	fputs("</table></section>\n", out);
}

/* The key to a chart: each state's colour and pattern, with its name.  The
 * swatches are drawn in SVG as the bars are, so that they keep their
 * colours where a high-contrast theme repaints the page's backgrounds. */
static void legend(FILE *out)
{
	/* A space between the keys, so that copied text and a browser's
	 * reading mode do not run the names together. */
	fputs("<p class=\"legend\">", out);
	for (int s = 0; s < HS_STATE_COUNT; s++)
		fprintf(out,
		        "%s<span><svg class=\"sw\" width=\"14\" height=\"14\" "
		        "aria-hidden=\"true\" focusable=\"false\"><rect "
		        "width=\"14\" height=\"14\" fill=\"%s\" "
		        "class=\"st st-%s\"/></svg>%s</span>",
		        s ? " " : "", state_colour[s],
		        hs_state_name((hs_state)s),
		        hs_state_label((hs_state)s));
	fputs("</p>\n", out);
}

static int dominant(const double s[HS_STATE_COUNT])
{
	int best = 0;
	for (int i = 1; i < HS_STATE_COUNT; i++)
		if (s[i] > s[best])
			best = i;
	return best;
}

static int second_of_day(double t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	return tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

/* First and last hour (local) with any monitored time. */
static void hour_span(const hs_report *r, int *lo, int *hi)
{
	*lo = -1;
	*hi = -1;
	for (int h = 0; h < 24; h++) {
		double total = 0;
		for (int s = 0; s < HS_STATE_COUNT; s++)
			total += r->hours[h][s];
		if (total > 0) {
			if (*lo < 0)
				*lo = h;
			*hi = h;
		}
	}
}

/* Minutes between two labels of a clock axis with px_per_hour pixels to an
 * hour: the fewest that keep "00:00" labels (about 30 px wide) apart.  A
 * divisor of a day, so that the labels fall on the same times every day.
 * Quarter and half hours only with twice the room, so that a short day
 * reads in finer steps without a label at every finger's width. */
static int label_step_min(double px_per_hour)
{
	static const int steps[] = { 15, 30, 60, 120, 180, 240, 360, 720 };
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		double gap = steps[i] / 60.0 * px_per_hour;
		if (gap >= (steps[i] < 60 ? 2 : 1) * MIN_LABEL_GAP)
			return steps[i];
	}
	return 24 * 60;
}

/* A value axis in minutes for a bar as tall as most_min: returns its top,
 * a round number of minutes, and sets *step_min to the distance between
 * its lines, the finest of a few round steps that needs at most four of
 * them.  The tallest bar then reaches two thirds of the way up or more
 * (once it is a few minutes tall). */
static double axis_scale(double most_min, double *step_min)
{
	static const double steps[] = { 1,  2,   5,   10,  15,  30,
		                        60, 120, 240, 480, 720, 1440 };
	const double eps = 1e-9; /* sums of seconds are not exact */
	double step = 1440 * ceil(most_min / (4 * 1440) - eps);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (ceil(most_min / steps[i] - eps) <= 4) {
			step = steps[i];
			break;
		}
	*step_min = step;
	return fmax(1, ceil(most_min / step - eps)) * step;
}

/* The value axis of a bar chart whose bars stand on base_y and reach
 * plot_h pixels up at scale_min: the base line and a grid line at each
 * step, each labelled in its unit, minutes under an hour's step and hours
 * from there (so "120 min" but "3 h").  The labels are at the left end of
 * the lines, and with 'both_sides' at the right end as well, for a chart
 * that may be seen scrolled to either end. */
static void value_axis(FILE *out, int left, int right, int base_y, int plot_h,
                       double scale_min, double step_min, bool both_sides)
{
	for (int i = 0; i * step_min <= scale_min + 1e-9; i++) {
		double v = i * step_min;
		double y = base_y - v / scale_min * plot_h;
		char label[32] = "0";
		if (i > 0 && step_min < 60)
			snprintf(label, sizeof label, "%.0f min", v);
		else if (i > 0)
			snprintf(label, sizeof label, "%.0f h", v / 60);
		fprintf(out,
		        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		        "stroke=\"%s\" class=\"%s\"/><text x=\"%d\" "
		        "y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
		        left, y, right, y, i ? "#ddd" : "#999",
		        i ? "grid" : "axis", left - 6, y + 4, label);
		if (both_sides)
			fprintf(out,
			        "<text x=\"%d\" y=\"%.1f\" "
			        "text-anchor=\"start\">%s</text>\n",
			        right + 6, y + 4, label);
	}
}

/* A chart's figures in words, for screen readers: <desc> is its SVG's
 * accessible description; the table after the chart has the rest. */
static void states_desc(const hs_report *r, FILE *out)
{
	hs_report_shown f;
	hs_report_round(r, &f);
	const char *sep = "";
	fputs("<desc>", out);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (!(r->state_s[s] > 0))
			continue;
		char dur[32];
		hs_report_format_part(r->state_s[s], f.state[s], f.unit, dur,
		                      sizeof dur);
		fprintf(out, "%s%s %s", sep, hs_state_label((hs_state)s), dur);
		sep = ", ";
	}
	fputs(". The table after the chart lists each stretch.</desc>\n", out);
}

/* A scroll box around a chart or a wide table: it scrolls sideways on a
 * narrow window, and takes the keyboard focus so that arrow keys scroll
 * it; it is named by the element with id 'label'.  It opens at its left
 * end, or with 'at_end' at its right end (a chart whose last bars matter
 * most). */
static void scroll_box_open(FILE *out, const char *label, bool at_end)
{
	fprintf(out,
	        "<div class=\"scroll%s\" tabindex=\"0\" role=\"group\" "
	        "aria-labelledby=\"%s\">\n",
	        at_end ? " at-end" : "", label);
}

static void scroll_open(FILE *out, const char *label)
{
	scroll_box_open(out, label, false);
}

/* "09:05" for a second of the day; the end of the day is "24:00". */
static void clock_of(int second_of_day, char *buf, size_t size)
{
	snprintf(buf, size, "%02d:%02d", second_of_day / 3600,
	         second_of_day / 60 % 60);
}

/* A run of minutes with the same main state on one day: one bar of the
 * timeline, one row of its table. */
typedef struct minute_run {
	int day; /* from the report's first day */
	int state;
	int from_s, to_s; /* seconds of the local day */
	double start;     /* when it begins */
} minute_run;

typedef struct run_iter {
	size_t i;
	int day;
	double next_day;
} run_iter;

static void runs_begin(const hs_report *r, run_iter *it)
{
	it->i = 0;
	it->day = 0;
	it->next_day = hs_date_start(hs_date_add_days(r->first, 1));
}

/* A minute row without a second in any posture (written so by another
 * program, or emptied by the reader's checks) is not drawn. */
static bool empty_minute(const hs_journal_minute *m)
{
	for (int s = 0; s < HS_STATE_COUNT; s++)
		if (m->state_s[s] > 0)
			return false;
	return true;
}

/* The next run, each placed at its local time of day.  A run ends where
 * the clock does not go on by a minute: at a gap, and where it jumps on a
 * day the clocks change (the hour skipped in spring stays empty; the hour
 * repeated in autumn is drawn over itself). */
static bool runs_next(const hs_report *r, run_iter *it, minute_run *out)
{
	while (it->i < r->n_minutes && empty_minute(&r->minutes[it->i]))
		it->i++;
	if (it->i >= r->n_minutes)
		return false;
	const hs_journal_minute *m = &r->minutes[it->i];
	while (m->start >= it->next_day && it->day < r->days - 1) {
		it->day++;
		it->next_day =
		        hs_date_start(hs_date_add_days(r->first, it->day + 1));
	}
	int state = dominant(m->state_s);
	int from_s = second_of_day(m->start), to_s = from_s + 60;
	size_t k = it->i + 1;
	while (k < r->n_minutes && r->minutes[k].start < it->next_day &&
	       r->minutes[k].start - r->minutes[k - 1].start <= 60.5 &&
	       second_of_day(r->minutes[k].start) == to_s &&
	       !empty_minute(&r->minutes[k]) &&
	       dominant(r->minutes[k].state_s) == state) {
		to_s += 60;
		k++;
	}
	it->i = k;
	*out = (minute_run){ it->day, state, from_s, to_s, m->start };
	return true;
}

/* The timeline's runs as a table, behind a disclosure (a long day has
 * many), for whoever cannot see or tell apart the bars.  Each row is
 * headed by when its run starts, which a screen reader says before each
 * cell of the row: over several days that is the date and the time
 * ("2026-03-01 08:16"), in one cell, as a time alone would not tell the
 * days apart. */
static void timeline_table(const hs_report *r, FILE *out)
{
	fputs("<details><summary>The timeline as a table</summary>\n"
	      "<table class=\"runs\"><caption>Each stretch of minutes in one "
	      "posture (a minute counts as the posture it was mostly "
	      "in)</caption>\n<thead><tr><th scope=\"col\">From</th>"
	      "<th scope=\"col\">To</th><th scope=\"col\">Posture</th>"
	      "</tr></thead>\n<tbody>\n",
	      out);
	run_iter it;
	minute_run run;
	runs_begin(r, &it);
	while (runs_next(r, &it, &run)) {
		char date[16], from[24], to[16];
		hs_report_format_clock_zoned(run.start, from, sizeof from);
		clock_of(run.to_s, to, sizeof to);
		fputs("<tr><th scope=\"row\">", out);
		if (r->days > 1) {
			hs_date_format(hs_date_add_days(r->first, run.day),
			               date, sizeof date);
			fprintf(out, "%s ", date);
		}
		fprintf(out, "%s</th><td>%s</td><td>%s</td></tr>\n", from, to,
		        hs_state_label((hs_state)run.state));
	}
	fputs("</tbody></table></details>\n", out);
}

static void timeline(const hs_report *r, FILE *out, int lo, int hi)
{
	const int row_h = 26, gap = 6, top = 6;
	int rows = r->days;
	int plot_w = CHART_W - LABEL_W - 10;
	int height = top + rows * (row_h + gap) + 22;
	double span_s = (hi + 1 - lo) * 3600.0;
	fputs("<section><h2 id=\"timeline\">Timeline</h2>\n", out);
	scroll_open(out, "timeline");
	fprintf(out,
	        "<svg role=\"img\" aria-label=\"posture timeline\" "
	        "class=\"chart\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\">\n",
	        CHART_W, height, CHART_W, height);
	states_desc(r, out);
	for (int d = 0; d < rows; d++) {
		char date[16];
		hs_date_format(hs_date_add_days(r->first, d), date,
		               sizeof date);
		int y = top + d * (row_h + gap);
		fprintf(out,
		        "<text x=\"0\" y=\"%d\">%s</text><rect x=\"%d\" "
		        "y=\"%d\" width=\"%d\" height=\"%d\" "
		        "fill=\"#f1f1f1\" class=\"track\"/>\n",
		        y + row_h / 2 + 4, date, LABEL_W, y, plot_w, row_h);
	}
	/* One rectangle per run, cut to the hours on the axis. */
	run_iter it;
	minute_run run;
	runs_begin(r, &it);
	while (runs_next(r, &it, &run)) {
		double from = run.from_s - lo * 3600.0;
		double to = run.to_s - lo * 3600.0;
		double x0 = LABEL_W + from / span_s * plot_w;
		double x1 = LABEL_W + to / span_s * plot_w;
		if (x0 < LABEL_W)
			x0 = LABEL_W;
		if (x1 > LABEL_W + plot_w)
			x1 = LABEL_W + plot_w;
		if (x1 > x0)
			state_rect(out, x0, top + run.day * (row_h + gap),
			           x1 - x0, row_h, run.state);
	}
	/* The hours cut through the rows; below them a tick and a label at
	 * each step of the clock. */
	int rows_end = top + rows * (row_h + gap) - gap;
	for (int h = lo; h <= hi + 1; h++) {
		double x = LABEL_W + (h - lo) * 3600.0 / span_s * plot_w;
		fprintf(out,
		        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		        "stroke=\"#fff\" class=\"gap\"/>\n",
		        x, top, x, rows_end);
	}
	int every = label_step_min(plot_w / (span_s / 3600));
	int first = lo * 60, last = (hi + 1) * 60;
	for (int m = (first + every - 1) / every * every; m <= last;
	     m += every) {
		double x = LABEL_W + (m - first) * 60.0 / span_s * plot_w;
		const char *anchor = m == first  ? "start"
		                     : m == last ? "end"
		                                 : "middle";
		fprintf(out,
		        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		        "stroke=\"#999\" class=\"axis\"/><text x=\"%.1f\" "
		        "y=\"%d\" text-anchor=\"%s\">%02d:%02d</text>\n",
		        x, rows_end, x, rows_end + 5, x, rows_end + 18, anchor,
		        m / 60 % 24, m % 60);
	}
	fputs("</svg>\n</div>\n", out);
	legend(out);
	timeline_table(r, out);
	fputs("</section>\n", out);
}

/* Stacked bars: one per entry, states bottom-up from upright. */
static void stacked_bar(FILE *out, double x, double w, double base_y,
                        double plot_h, double scale,
                        const double s[HS_STATE_COUNT])
{
	double y = base_y;
	bool below = false; /* a part drawn under this one */
	for (int i = 0; i < HS_STATE_COUNT; i++) {
		double h = s[i] / scale * plot_h;
		if (h <= 0)
			continue;
		y -= h;
		state_rect(out, x, y, w, h, i);
		/* a line of the page's colour over the border with the part
		 * below, as some neighbours differ little in lightness
		 * (upright and hunched 1.3:1) */
		if (below)
			fprintf(out,
			        "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" "
			        "y2=\"%.2f\" stroke=\"#fff\" class=\"gap\"/>\n",
			        x, y + h, x + w, y + h);
		below = true;
	}
}

/* A table of times has a column for each state, but for uncalibrated only
 * when some of its rows have any (as the summary): 'uncalibrated'. */
static bool state_column(int s, bool uncalibrated)
{
	return s != HS_STATE_UNCALIBRATED || uncalibrated;
}

static void state_headers(FILE *out, bool uncalibrated)
{
	for (int s = 0; s < HS_STATE_COUNT; s++)
		if (state_column(s, uncalibrated))
			fprintf(out, "<th scope=\"col\">%s</th>",
			        hs_state_label((hs_state)s));
}

/* The cells of one row: parts_s in 'unit', rounded to add up to total
 * (report.h), so that a row reads as the bar it stands for. */
static void state_cells(FILE *out, const double parts_s[HS_STATE_COUNT],
                        long total, hs_report_unit unit, bool uncalibrated)
{
	long units[HS_STATE_COUNT];
	hs_report_round_parts(parts_s, HS_STATE_COUNT, total, unit, units);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (!state_column(s, uncalibrated))
			continue;
		char dur[32];
		hs_report_format_part(parts_s[s], units[s], unit, dur,
		                      sizeof dur);
		fprintf(out, "<td>%s</td>", dur);
	}
}

/* The hour chart's figures: for each hour from the first to the last at
 * the desk, the time in each posture.  The hour's total is rounded on its
 * own, as the text report's hour bars are, and its postures are rounded to
 * add up to it; so a posture's column, or the totals, need not add up to
 * the summary's figure: both margins cannot always hold at once with each
 * cell rounded up or down (9 min 30 s hunched in one hour and as much
 * upright in the next).  The caption says so, rather than a reader finding
 * out. */
static void hourly_table(const hs_report *r, FILE *out)
{
	hs_report_shown f;
	hs_report_round(r, &f);
	int lo, hi;
	hour_span(r, &lo, &hi);
	fputs("<details><summary>The hours as a table</summary>\n", out);
	scroll_open(out, "hours-table");
	fprintf(out,
	        "<table class=\"fig\"><caption id=\"hours-table\">Time in "
	        "each posture, hour by hour%s. Each hour is rounded on its "
	        "own, so a column can add up to a little more or less than "
	        "the summary's figure.</caption>\n<thead><tr>"
	        "<th scope=\"col\">Hour</th>",
	        r->days > 1 ? ", over all the days of this report" : "");
	const bool uncalibrated = r->state_s[HS_STATE_UNCALIBRATED] > 0;
	state_headers(out, uncalibrated);
	fputs("<th scope=\"col\">In all</th></tr></thead>\n<tbody>\n", out);
	for (int h = lo; h <= hi; h++) {
		char dur[32];
		fprintf(out, "<tr><th scope=\"row\">%02d:00\u2013%02d:00</th>",
		        h, (h + 1) % 24);
		state_cells(out, r->hours[h], f.hour[h], f.unit, uncalibrated);
		double hour_s = 0;
		for (int s = 0; s < HS_STATE_COUNT; s++)
			hour_s += r->hours[h][s];
		hs_report_format_part(hour_s, f.hour[h], f.unit, dur,
		                      sizeof dur);
		fprintf(out, "<td>%s</td></tr>\n", dur);
	}
	fputs("</tbody></table>\n</div></details>\n", out);
}

/* One bar per hour of the day: the minutes spent in each posture in that
 * hour, over all the days of the report, as the text report and the JSON
 * give them.  For one day the scale is the whole hour; for several, a
 * round number that the tallest bar mostly fills. */
static void hourly(const hs_report *r, FILE *out, int lo, int hi)
{
	const int height = 260, left = 56, bottom = 24, top = 10;
	int plot_w = CHART_W - left - 10;
	int plot_h = height - top - bottom;
	/* At least eight hours on the axis, widened on both sides, so the
	 * bars of a short day are as wide as those of a long one. */
	int first = lo, last = hi;
	while (hi - lo + 1 < 8) {
		if (lo > 0)
			lo--;
		if (hi - lo + 1 < 8 && hi < 23)
			hi++;
	}
	int n = hi - lo + 1;
	int days = r->days > 1 ? r->days : 1;
	double total[24], tallest = 0;
	for (int h = 0; h < 24; h++) {
		total[h] = 0;
		for (int s = 0; s < HS_STATE_COUNT; s++)
			total[h] += r->hours[h][s];
		tallest = fmax(tallest, total[h]);
	}
	/* More than an hour on the day the clocks go back. */
	double step_min;
	double scale_min = axis_scale(
	        days == 1 ? fmax(60, tallest / 60) : tallest / 60, &step_min);
	double slot = (double)plot_w / n;
	fputs("<section><h2 id=\"hours\">Hour by hour</h2>\n", out);
	if (days > 1)
		fprintf(out,
		        "<p class=\"muted\">Time in each hour of the day, "
		        "added up over the %d days of this report.</p>\n",
		        days);
	scroll_open(out, "hours");
	fprintf(out,
	        "<svg role=\"img\" aria-label=\"time per hour by posture\" "
	        "class=\"chart\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\">\n<desc>Bars of the time in each "
	        "posture for each hour from %02d:00 to %02d:00. The table "
	        "after the chart gives the figures.</desc>\n",
	        CHART_W, height, CHART_W, height, first, (last + 1) % 24);
	value_axis(out, left, left + plot_w, top + plot_h, plot_h, scale_min,
	           step_min, false);
	for (int h = lo; h <= hi; h++) {
		double x = left + (h - lo) * slot;
		stacked_bar(out, x + slot * 0.15, slot * 0.7, top + plot_h,
		            plot_h, scale_min * 60, r->hours[h]);
		fprintf(out,
		        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%02d"
		        "</text>\n",
		        x + slot / 2, height - 6, h);
	}
	fputs("</svg>\n</div>\n", out);
	legend(out);
	hourly_table(r, out);
	fputs("</section>\n", out);
}

/* The trend's figures: each day's time monitored, share upright and time
 * in each posture, rounded within the day (a duration of its own length,
 * its parts adding up to it). */
static void trend_table(const hs_report *r, FILE *out)
{
	fputs("<details><summary>The days as a table</summary>\n", out);
	scroll_open(out, "trend-table");
	fprintf(out,
	        "<table class=\"fig\"><caption id=\"trend-table\">Each day: "
	        "the "
	        "%d days before, then the days of this report</caption>\n"
	        "<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Time "
	        "monitored</th><th scope=\"col\">Upright share of desk "
	        "time</th>",
	        HS_REPORT_BASELINE_DAYS);
	bool uncalibrated = false;
	for (size_t i = 0; i < r->n_daily; i++)
		uncalibrated |= r->daily[i].state_s[HS_STATE_UNCALIBRATED] > 0;
	state_headers(out, uncalibrated);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < r->n_daily; i++) {
		const hs_report_day *d = &r->daily[i];
		hs_report_unit unit = hs_report_unit_for(d->monitored_s);
		long total = d->monitored_s > 0
		                     ? lround(d->monitored_s / (double)unit)
		                     : 0;
		char date[16], dur[32], share[32] = "no time at the desk";
		hs_date_format(d->date, date, sizeof date);
		hs_report_format_part(d->monitored_s, total, unit, dur,
		                      sizeof dur);
		if (d->share_upright >= 0)
			snprintf(share, sizeof share, "%d%%",
			         hs_report_percent(d->share_upright));
		fprintf(out,
		        "<tr><th scope=\"row\">%s%s</th><td>%s</td><td>%s</td>",
		        date,
		        i >= HS_REPORT_BASELINE_DAYS ? " (this report)" : "",
		        dur, share);
		state_cells(out, d->state_s, total, unit, uncalibrated);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n</div></details>\n", out);
}

/* Room a trend label needs: a date ("03-02") and a share ("100%"). */
#define TREND_DATE_PX 44.0
#define TREND_SHARE_PX 32.0

/* One bar a day, the report's days last.  On a narrow window the chart
 * opens scrolled to its right end, so that the report's own days are in
 * view rather than the oldest of the week before; its value axis is
 * labelled at that end too. */
static void trend(const hs_report *r, FILE *out)
{
	const int height = 240, left = 56, right = 56, bottom = 24, top = 22;
	int plot_w = CHART_W - left - right;
	int plot_h = height - top - bottom;
	double longest = 3600;
	for (size_t i = 0; i < r->n_daily; i++)
		longest = fmax(longest, r->daily[i].monitored_s);
	double step_min;
	double scale = 60 * axis_scale(longest / 60, &step_min);
	double slot = (double)plot_w / (double)r->n_daily;
	/* Over a few weeks the bars are too narrow for a label each: a
	 * date every few days, and the shares only in the table. */
	const int every =
	        slot >= TREND_DATE_PX ? 1 : (int)ceil(TREND_DATE_PX / slot);
	const bool shares = slot >= TREND_SHARE_PX;
	fprintf(out,
	        "<section><h2 id=\"trend\">Trend</h2>\n<p class=\"muted\">The "
	        "%d days before, then the days of this report (their dates in "
	        "bold%s). %s</p>\n",
	        HS_REPORT_BASELINE_DAYS,
	        every > 1 ? "; a date under every few days" : "",
	        shares ? "Above each bar: the share of desk time spent "
	                 "upright."
	               : "The share of desk time spent upright on each day "
	                 "is in the table after the chart.");
	scroll_box_open(out, "trend", true);
	fprintf(out,
	        "<svg role=\"img\" aria-label=\"daily trend\" class=\"chart\" "
	        "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
	        "<desc>Bars of the time in each posture on each of the %zu "
	        "days, with the share of desk time spent upright. The table "
	        "after the chart gives the figures.</desc>\n",
	        CHART_W, height, CHART_W, height, r->n_daily);
	value_axis(out, left, left + plot_w, top + plot_h, plot_h, scale / 60,
	           step_min, true);
	for (size_t i = 0; i < r->n_daily; i++) {
		const hs_report_day *d = &r->daily[i];
		double x = left + (double)i * slot;
		bool covered = i >= HS_REPORT_BASELINE_DAYS;
		stacked_bar(out, x + slot * 0.2, slot * 0.6, top + plot_h,
		            plot_h, scale, d->state_s);
		double bar_top = top + plot_h - d->monitored_s / scale * plot_h;
		/* Rounded as the summary's share, so a day of its own
		 * reads the same here. */
		if (shares && d->share_upright >= 0)
			fprintf(out,
			        "<text x=\"%.1f\" y=\"%.1f\" "
			        "text-anchor=\"middle\">%d%%</text>\n",
			        x + slot / 2, bar_top - 4,
			        hs_report_percent(d->share_upright));
		if (i % (size_t)every != 0)
			continue;
		fprintf(out,
		        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\"%s>"
		        "%02d-%02d</text>\n",
		        x + slot / 2, height - 6,
		        covered ? " font-weight=\"bold\"" : "", d->date.month,
		        d->date.day);
	}
	fputs("</svg>\n</div>\n", out);
	legend(out);
	trend_table(r, out);
	fputs("</section>\n", out);
}

static void alert_list(const hs_report *r, FILE *out)
{
	fputs("<section><h2>Alerts</h2>\n", out);
	if (r->n_alerts == 0) {
		fputs("<p>No alerts.</p></section>\n", out);
		return;
	}
	fputs("<table><thead><tr><th scope=\"col\">Time</th>"
	      "<th scope=\"col\">Posture</th><th scope=\"col\">Had "
	      "lasted</th><th scope=\"col\">Advice</th></tr></thead>\n"
	      "<tbody>\n",
	      out);
	for (size_t i = 0; i < r->n_alerts; i++) {
		const hs_report_alert *a = &r->alerts[i];
		char at[32], dur[32];
		hs_report_format_when(r, a->t, at, sizeof at);
		/* rounded down, as the notification said it: "Hunched for
		 * 10 minutes" at 630 s reads 10 min here too, not 11 */
		const double said = a->after_s >= 60
		                            ? floor(a->after_s / 60) * 60
		                            : floor(a->after_s);
		hs_report_format_duration(said, dur, sizeof dur);
		const hs_advice *adv = hs_advice_get(a->topic);
		fprintf(out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", at,
		        hs_state_label(a->kind), dur);
		if (adv && r->advice_url[a->topic][0]) {
			/* "Advice: Hunched", as a list of the page's links
			 * gives it, rather than the posture's name again */
			fputs("<a href=\"", out);
			hs_html_escape(out, r->advice_url[a->topic]);
			fputs("\">Advice: ", out);
			hs_html_escape(out, adv->title);
			fputs("</a>", out);
		} else if (adv) {
			hs_html_escape(out, adv->title);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void advice(const hs_report *r, FILE *out)
{
	const hs_advice *adv = hs_advice_get(r->advice);
	if (!adv)
		return;
	fputs("<section><h2>What to try</h2>\n<p><strong>", out);
	if (r->advice_url[r->advice][0]) {
		fputs("<a href=\"", out);
		hs_html_escape(out, r->advice_url[r->advice]);
		fputs("\">", out);
		hs_html_escape(out, adv->title);
		fputs("</a>", out);
	} else {
		hs_html_escape(out, adv->title);
	}
	fputs("</strong>: ", out);
	hs_html_escape(out, adv->sentence);
	/* The advice speaks of "the article": say which, here, where the
	 * reader meets it. */
	fputs("</p>\n<p class=\"muted\">Advice in our own words from "
	      "the article <cite>",
	      out);
	hs_html_escape(out, hs_advice_source_title);
	fputs("</cite>.</p></section>\n", out);
}

static void note(const hs_report *r, FILE *out)
{
	fputs("<section><h2>Not a diagnosis</h2>\n<div class=\"note\"><p>",
	      out);
	hs_html_escape(out, hs_disclaimer);
	if (r->no_data || r->neck_load_kg < 0) { /* no neck load shown */
		fputs("</p></div></section>\n", out);
		return;
	}
	fputs("</p><p>The neck load is an estimate from the head's forward "
	      "tilt, after Hansraj, &ldquo;Assessment of stresses in the "
	      "cervical spine caused by posture and position of the "
	      "head&rdquo;, Surgical Technology International 25 (2014): about "
	      "5&nbsp;kg upright, 12&nbsp;kg at 15&deg;, 18&nbsp;kg at "
	      "30&deg;, "
	      "22&nbsp;kg at 45&deg; and 27&nbsp;kg at 60&deg;. It counts "
	      "the tilt only: a head pushed forward when hunched also loads "
	      "the neck, and that is not in this figure.</p></div>"
	      "</section>\n",
	      out);
}

static void title_text(const hs_report *r, char *buf, size_t size)
{
	char a[16], b[16];
	hs_date_format(r->first, a, sizeof a);
	hs_date_format(r->last, b, sizeof b);
	if (r->days == 1)
		snprintf(buf, size, "%s", b);
	else
		snprintf(buf, size, "%s to %s (%d days)", a, b, r->days);
}

int hs_report_write_html(const hs_report *r, FILE *out)
{
	char title[64];
	title_text(r, title, sizeof title);
	fprintf(out,
	        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	        "charset=\"utf-8\">\n<meta name=\"viewport\" "
	        "content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"color-scheme\" content=\"light dark\">\n"
	        "<title>headsup report %s</title>\n<style>%s</style>\n"
	        "</head><body>\n<main>\n<h1>Posture report: %s</h1>\n",
	        title, css, title);
	if (r->no_data) {
		fprintf(out,
		        "<p>No posture data for %s. Monitoring writes the "
		        "journal: start it with <code>headsup "
		        "run</code>.</p>\n",
		        r->days == 1 ? "this day" : "these days");
		/* as the text report, from minutes not written */
		if (r->n_alerts > 0)
			alert_list(r, out);
	} else {
		int lo, hi;
		hour_span(r, &lo, &hi);
		pattern_defs(out);
		summary(r, out);
		timeline(r, out, lo, hi);
		hourly(r, out, lo, hi);
		trend(r, out);
		alert_list(r, out);
		advice(r, out);
	}
	note(r, out);
	fputs("</main>\n</body></html>\n", out);
	return ferror(out) ? HS_EIO : 0;
}

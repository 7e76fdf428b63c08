/* report_html.c - the report as one self-contained HTML page: inline CSS,
 * inline SVG charts, no script and no external resource; links go only to
 * the local advice page.  Readable on screen and on paper. */
#include "headsup/report.h"
#include "headsup/html.h"

#include "headsup/cli.h"
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
 * track), as WCAG asks of parts of a chart.  Dark is for the screen only;
 * paper stays white. */
static const char css[] =
        "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
        "max-width:1000px;margin:2em auto;padding:0 1em;color:#222;"
        "background:#fff}"
        "h1{font-size:1.5em;margin-bottom:.2em}"
        "h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}"
        "table{border-collapse:collapse}"
        "td,th{padding:3px 14px 3px 0;text-align:left;vertical-align:top}"
        "th{font-weight:600}"
        ".legend{margin:.4em 0}"
        ".legend span{display:inline-block;margin-right:1.2em}"
        ".sw{display:inline-block;width:12px;height:12px;margin-right:5px;"
        "vertical-align:-1px;border:1px solid #0002}"
        "svg{display:block;max-width:100%;height:auto}"
        /* on a narrow window a chart scrolls rather than shrinking its
         * labels out of reach */
        "section{overflow-x:auto}svg.chart{min-width:720px}"
        "svg text{font:12px system-ui,sans-serif;fill:#444}"
        ".note{background:#f5f5ef;border-left:4px solid #999;padding:.6em 1em}"
        ".muted{color:#666}"
        "@media screen and (prefers-color-scheme:dark){"
        "body{color:#e6e6e6;background:#121212}h2{border-color:#333}"
        "a{color:#8ab4f8}a:visited{color:#c58af9}.sw{border-color:#fff4}"
        "svg text{fill:#c8c8c8}.note{background:#1e1e1a;border-color:#777}"
        ".muted{color:#a0a0a0}.track{fill:#222}.gap{stroke:#121212}"
        ".grid{stroke:#333}.axis{stroke:#777}}"
        /* on paper a chart shrinks to the page instead of being cut off
         * at its right edge */
        "@media print{body{max-width:none;margin:0;font-size:10pt}"
        "h2{break-after:avoid}section{break-inside:avoid;overflow:visible}"
        "svg.chart{min-width:0}"
        "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        "a{color:inherit}}";

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
	hs_report_format_units(f.monitored, f.unit, a, sizeof a);
	row(out, "Time monitored", a);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (s == HS_STATE_UNCALIBRATED && r->state_s[s] <= 0)
			continue;
		hs_report_format_units(f.state[s], f.unit, a, sizeof a);
		if (s == HS_STATE_UPRIGHT && f.share_upright >= 0)
			snprintf(value, sizeof value,
			         "%s (%d%% of the time at the desk)", a,
			         f.share_upright);
		else
			snprintf(value, sizeof value, "%s", a);
		row(out, hs_report_state_label((hs_state)s), value);
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

static void legend(FILE *out)
{
	fputs("<div class=\"legend\">", out);
	for (int s = 0; s < HS_STATE_COUNT; s++)
		fprintf(out,
		        "<span><i class=\"sw\" style=\"background:%s\"></i>%s"
		        "</span>",
		        state_colour[s], hs_report_state_label((hs_state)s));
	fputs("</div>\n", out);
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
 * from there (so "120 min" but "3 h"). */
static void value_axis(FILE *out, int left, int right, int base_y, int plot_h,
                       double scale_min, double step_min)
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
	}
}

/* A chart's figures in words, for screen readers: <desc> is its SVG's
 * accessible description. */
static void states_desc(const hs_report *r, FILE *out)
{
	hs_report_shown f;
	hs_report_round(r, &f);
	const char *sep = "";
	fputs("<desc>", out);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (f.state[s] <= 0)
			continue;
		char dur[32];
		hs_report_format_units(f.state[s], f.unit, dur, sizeof dur);
		fprintf(out, "%s%s %s", sep, hs_report_state_label((hs_state)s),
		        dur);
		sep = ", ";
	}
	fputs(".</desc>\n", out);
}

static void timeline(const hs_report *r, FILE *out, int lo, int hi)
{
	const int row_h = 26, gap = 6, top = 6;
	int rows = r->days;
	int plot_w = CHART_W - LABEL_W - 10;
	int height = top + rows * (row_h + gap) + 22;
	double span_s = (hi + 1 - lo) * 3600.0;
	fprintf(out,
	        "<section><h2>Timeline</h2>\n<svg role=\"img\" "
	        "aria-label=\"posture timeline\" class=\"chart\" width=\"%d\" "
	        "height=\"%d\" viewBox=\"0 0 %d %d\">\n",
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
	/* One rectangle per run of minutes with the same main state, each
	 * placed at its local time of day.  A run ends where the clock does
	 * not go on by a minute: at a gap, and where it jumps on a day the
	 * clocks change (the hour skipped in spring stays empty; the hour
	 * repeated in autumn is drawn over itself). */
	int day = 0;
	double next_day = hs_date_start(hs_date_add_days(r->first, 1));
	for (size_t i = 0; i < r->n_minutes;) {
		const hs_journal_minute *m = &r->minutes[i];
		while (m->start >= next_day && day < rows - 1) {
			day++;
			next_day = hs_date_start(
			        hs_date_add_days(r->first, day + 1));
		}
		int state = dominant(m->state_s);
		int from_s = second_of_day(m->start), to_s = from_s + 60;
		size_t k = i + 1;
		while (k < r->n_minutes && r->minutes[k].start < next_day &&
		       r->minutes[k].start - r->minutes[k - 1].start <= 60.5 &&
		       second_of_day(r->minutes[k].start) == to_s &&
		       dominant(r->minutes[k].state_s) == state) {
			to_s += 60;
			k++;
		}
		double from = from_s - lo * 3600.0;
		double to = to_s - lo * 3600.0;
		double x0 = LABEL_W + from / span_s * plot_w;
		double x1 = LABEL_W + to / span_s * plot_w;
		if (x0 < LABEL_W)
			x0 = LABEL_W;
		if (x1 > LABEL_W + plot_w)
			x1 = LABEL_W + plot_w;
		if (x1 > x0)
			fprintf(out,
			        "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
			        "height=\"%d\" fill=\"%s\"/>\n",
			        x0, top + day * (row_h + gap), x1 - x0, row_h,
			        state_colour[state]);
		i = k;
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
	fputs("</svg>\n", out);
	legend(out);
	fputs("</section>\n", out);
}

/* Stacked bars: one per entry, states bottom-up from upright. */
static void stacked_bar(FILE *out, double x, double w, double base_y,
                        double plot_h, double scale,
                        const double s[HS_STATE_COUNT])
{
	double y = base_y;
	for (int i = 0; i < HS_STATE_COUNT; i++) {
		double h = s[i] / scale * plot_h;
		if (h <= 0)
			continue;
		y -= h;
		fprintf(out,
		        "<rect x=\"%.1f\" y=\"%.2f\" width=\"%.1f\" "
		        "height=\"%.2f\" "
		        "fill=\"%s\"/>\n",
		        x, y, w, h, state_colour[i]);
	}
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
	fputs("<section><h2>Hour by hour</h2>\n", out);
	if (days > 1)
		fprintf(out,
		        "<p class=\"muted\">Time in each hour of the day, "
		        "added up over the %d days of this report.</p>\n",
		        days);
	fprintf(out,
	        "<svg role=\"img\" aria-label=\"time per hour by posture\" "
	        "class=\"chart\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\">\n<desc>",
	        CHART_W, height, CHART_W, height);
	for (int h = 0; h < 24; h++)
		if (total[h] > 0)
			fprintf(out,
			        "%02d:00, %.0f min, %.0f min of it looking "
			        "down "
			        "or hunched. ",
			        h, total[h] / 60,
			        (r->hours[h][HS_STATE_LOOKING_DOWN] +
			         r->hours[h][HS_STATE_HUNCHED]) /
			                60);
	fputs("</desc>\n", out);
	value_axis(out, left, left + plot_w, top + plot_h, plot_h, scale_min,
	           step_min);
	for (int h = lo; h <= hi; h++) {
		double x = left + (h - lo) * slot;
		stacked_bar(out, x + slot * 0.15, slot * 0.7, top + plot_h,
		            plot_h, scale_min * 60, r->hours[h]);
		fprintf(out,
		        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%02d"
		        "</text>\n",
		        x + slot / 2, height - 6, h);
	}
	fputs("</svg>\n</section>\n", out);
}

static void trend(const hs_report *r, FILE *out)
{
	const int height = 240, left = 56, bottom = 24, top = 22;
	int plot_w = CHART_W - left - 10;
	int plot_h = height - top - bottom;
	double longest = 3600;
	for (size_t i = 0; i < r->n_daily; i++)
		longest = fmax(longest, r->daily[i].monitored_s);
	double step_min;
	double scale = 60 * axis_scale(longest / 60, &step_min);
	double slot = (double)plot_w / (double)r->n_daily;
	fprintf(out,
	        "<section><h2>Trend</h2>\n<p class=\"muted\">The %d days "
	        "before, "
	        "then the days of this report. Above each bar: the share of "
	        "desk time spent upright.</p>\n<svg role=\"img\" "
	        "aria-label=\"daily trend\" class=\"chart\" width=\"%d\" "
	        "height=\"%d\" viewBox=\"0 0 %d %d\">\n",
	        HS_REPORT_BASELINE_DAYS, CHART_W, height, CHART_W, height);
	fputs("<desc>", out);
	for (size_t i = 0; i < r->n_daily; i++) {
		const hs_report_day *d = &r->daily[i];
		char dur[32];
		if (d->share_upright < 0)
			continue;
		hs_report_format_duration(d->monitored_s, dur, sizeof dur);
		fprintf(out, "%02d-%02d, %s at the desk, %d%% upright. ",
		        d->date.month, d->date.day, dur,
		        hs_report_percent(d->share_upright));
	}
	fputs("</desc>\n", out);
	value_axis(out, left, left + plot_w, top + plot_h, plot_h, scale / 60,
	           step_min);
	for (size_t i = 0; i < r->n_daily; i++) {
		const hs_report_day *d = &r->daily[i];
		double x = left + (double)i * slot;
		bool covered = i >= HS_REPORT_BASELINE_DAYS;
		stacked_bar(out, x + slot * 0.2, slot * 0.6, top + plot_h,
		            plot_h, scale, d->state_s);
		double bar_top = top + plot_h - d->monitored_s / scale * plot_h;
		/* Rounded as the summary's share, so a day of its own
		 * reads the same here. */
		if (d->share_upright >= 0)
			fprintf(out,
			        "<text x=\"%.1f\" y=\"%.1f\" "
			        "text-anchor=\"middle\">%d%%</text>\n",
			        x + slot / 2, bar_top - 4,
			        hs_report_percent(d->share_upright));
		fprintf(out,
		        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\"%s>"
		        "%02d-%02d</text>\n",
		        x + slot / 2, height - 6,
		        covered ? " font-weight=\"bold\"" : "", d->date.month,
		        d->date.day);
	}
	fputs("</svg>\n</section>\n", out);
}

static void alert_list(const hs_report *r, FILE *out)
{
	fputs("<section><h2>Alerts</h2>\n", out);
	if (r->n_alerts == 0) {
		fputs("<p>No alerts.</p></section>\n", out);
		return;
	}
	fputs("<table><tr><th>Time</th><th>Posture</th><th>Had lasted</th>"
	      "<th>Advice</th></tr>\n",
	      out);
	for (size_t i = 0; i < r->n_alerts; i++) {
		const hs_report_alert *a = &r->alerts[i];
		char at[32], dur[32];
		hs_report_format_when(r, a->t, at, sizeof at);
		hs_report_format_duration(a->after_s, dur, sizeof dur);
		const hs_advice *adv = hs_advice_get(a->topic);
		fprintf(out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", at,
		        hs_report_state_label(a->kind), dur);
		if (adv && r->advice_url[a->topic][0]) {
			fputs("<a href=\"", out);
			hs_html_escape(out, r->advice_url[a->topic]);
			fputs("\">", out);
			hs_html_escape(out, adv->title);
			fputs("</a>", out);
		} else if (adv) {
			hs_html_escape(out, adv->title);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table></section>\n", out);
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
	fputs("</p></section>\n", out);
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
	        "</head><body>\n<h1>Posture report: %s</h1>\n",
	        title, css, title);
	if (r->no_data) {
		fprintf(out,
		        "<p>No posture data for %s. Monitoring writes the "
		        "journal: start it with <code>headsup "
		        "run</code>.</p>\n",
		        r->days == 1 ? "this day" : "these days");
	} else {
		int lo, hi;
		hour_span(r, &lo, &hi);
		summary(r, out);
		timeline(r, out, lo, hi);
		hourly(r, out, lo, hi);
		trend(r, out);
		alert_list(r, out);
		advice(r, out);
	}
	note(r, out);
	fputs("</body></html>\n", out);
	return ferror(out) ? HS_EIO : 0;
}

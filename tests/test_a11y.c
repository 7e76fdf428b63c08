/* test_a11y.c - the HTML report and the advice page as people meet them
 * who do not see them as their author does.
 *
 * Each page is opened in real headless Chromium with axe-core (pinned and
 * fetched by models/fetch-model.sh --test-tools) inlined into a copy of
 * it, and must show no violation of WCAG 2.1 A and AA, nor of axe's best
 * practices: in light and in dark, at a desktop's width, at 640 CSS pixels
 * (a 1280-pixel laptop zoomed to 200%) and at 320 (zoomed to 400%, where
 * WCAG asks that nothing but a chart or a table scroll sideways), and with
 * forced colours (a high-contrast theme).  Beside axe, the page reports
 * what axe does not check: that the page as a whole does not scroll
 * sideways, that the trend opens on the report's own day where it
 * scrolls, that each <details> prints open under the page's print rules
 * (applied to the screen for the check: headless Chromium has no print
 * media to emulate from its command line), that every chart has a table
 * of its figures, that the postures of a chart's key are told apart by
 * more than colour and still apart under forced colours, that the charts'
 * own text stands out from the page, that nothing on it moves, and that
 * every link within the page leads to a heading.  Every <details> is then
 * opened, so that what it holds is checked too.
 *
 * The page runs in an iframe of the width wanted (a headless window is at
 * least 500 pixels wide) and posts what it found to the frame around it,
 * which --dump-dom prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "headsup/advice.h"
#include "headsup/report.h"
#include "headsup/timeparse.h"
#include "testutil.h"

/* Where models/fetch-model.sh --test-tools puts axe-core. */
#define AXE_JS HS_SOURCE_DIR "/models/cache/axe-core/axe.min.js"

/* Monday 2026-03-02 09:00 in Europe/Berlin (UTC+1). */
#define DAY_0900 1772438400.0
#define MIN 60.0
#define DAY (24 * 3600.0)

/* ---- the pages ------------------------------------------------------------
 */

typedef struct block {
	double start;
	int minutes;
	hs_state state;
	double pitch_deg;
} block;

/* Every posture, alerts, and the week before: each part of the page. */
static const block day_blocks[] = {
	{ DAY_0900 - 3 * DAY, 120, HS_STATE_UPRIGHT, 1 },
	{ DAY_0900 - 3 * DAY + 120 * MIN, 90, HS_STATE_HUNCHED, 5 },
	{ DAY_0900 - 3 * DAY + 210 * MIN, 10, HS_STATE_UNCALIBRATED, 0 },
	{ DAY_0900, 5, HS_STATE_UNCALIBRATED, 0 },
	{ DAY_0900 + 5 * MIN, 55, HS_STATE_UPRIGHT, 2 },
	{ DAY_0900 + 60 * MIN, 30, HS_STATE_LOOKING_DOWN, 30 },
	{ DAY_0900 + 90 * MIN, 30, HS_STATE_UPRIGHT, 2 },
	{ DAY_0900 + 120 * MIN, 20, HS_STATE_HUNCHED, 10 },
	{ DAY_0900 + 140 * MIN, 20, HS_STATE_AWAY, 0 },
	{ DAY_0900 + 160 * MIN, 20, HS_STATE_UPRIGHT, -3 },
};

static const hs_journal_alert day_alerts[] = {
	{ DAY_0900 + 65 * MIN, HS_STATE_LOOKING_DOWN, 300, "looking-down" },
	{ DAY_0900 + 123 * MIN, HS_STATE_HUNCHED, 180, "" },
};

/* A week of desk days at different hours, with a day off. */
static const block week_blocks[] = {
	{ DAY_0900 - 6 * DAY, 90, HS_STATE_UPRIGHT, 0 },
	{ DAY_0900 - 6 * DAY + 90 * MIN, 45, HS_STATE_HUNCHED, 6 },
	{ DAY_0900 - 5 * DAY - 60 * MIN, 60, HS_STATE_LOOKING_DOWN, 25 },
	{ DAY_0900 - 5 * DAY, 120, HS_STATE_UPRIGHT, 0 },
	{ DAY_0900 - 3 * DAY + 240 * MIN, 200, HS_STATE_UPRIGHT, 0 },
	{ DAY_0900 - 3 * DAY + 440 * MIN, 30, HS_STATE_AWAY, 0 },
	{ DAY_0900 - 1 * DAY, 30, HS_STATE_HUNCHED, 8 },
	{ DAY_0900 - 1 * DAY + 30 * MIN, 150, HS_STATE_UPRIGHT, 1 },
	{ DAY_0900, 240, HS_STATE_UPRIGHT, 0 },
};

static size_t minutes_of(const block *bs, size_t n, hs_journal_minute *out,
                         size_t max)
{
	size_t k = 0;
	for (size_t b = 0; b < n; b++)
		for (int i = 0; i < bs[b].minutes; i++) {
			assert_true(k < max);
			hs_journal_minute *m = &out[k++];
			memset(m, 0, sizeof *m);
			m->start = bs[b].start + i * MIN;
			m->state_s[bs[b].state] = 60;
			m->frames = 120;
			if (bs[b].state != HS_STATE_AWAY &&
			    bs[b].state != HS_STATE_UNCALIBRATED) {
				m->face_frames = m->pitch_frames =
				        m->drop_frames = 120;
				m->pitch_mean_deg = bs[b].pitch_deg;
			}
		}
	return k;
}

/* The report of these minutes for the 'days' days ending 2026-03-02 as
 * headsup writes it, into path. */
static void write_report(const char *path, int days, const block *bs,
                         size_t n_blocks, const hs_journal_alert *alerts,
                         size_t n_alerts)
{
	static hs_journal_minute m[4000];
	hs_date last = { 2026, 3, 2 };
	hs_report_input in = {
		.first = hs_date_add_days(last, 1 - days),
		.last = last,
		.minutes = m,
		.n_minutes = minutes_of(bs, n_blocks, m, 4000),
		.alerts = alerts,
		.n_alerts = n_alerts,
	};
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	hs_report_set_links(&r);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(hs_report_write_html(&r, f), 0);
	assert_int_equal(fclose(f), 0);
	hs_report_finish(&r);
}

static void write_advice(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(hs_advice_write_html(f), 0);
	assert_int_equal(fclose(f), 0);
}

/* ---- the browser ----------------------------------------------------------
 */

/* What the page reports, one item a line, after axe has run: "axe
 * VERSION", "dark 0|1", "forced 0|1", "width PX", then one "problem TEXT"
 * for each thing found.  The markers are put together at run time, so that
 * the script's own text never reads as its result. */
static const char runner_js[] =
        "(function () {\n"
        "var problems = [];\n"
        "function problem(text) { problems.push(text.replace(/\\s+/g, ' ')); "
        "}\n"
        "function send() {\n"
        "  var text = ['axe ' + axe.version,\n"
        "    'dark ' + (matchMedia('(prefers-color-scheme: dark)').matches "
        "? 1 : 0),\n"
        "    'forced ' + (matchMedia('(forced-colors: active)').matches ? 1 "
        ": 0),\n"
        "    'width ' + innerWidth].concat(problems.map(function (p) {\n"
        "      return 'problem ' + p; })).join('\\n');\n"
        "  if (window.parent !== window) window.parent.postMessage(text, "
        "'*');\n"
        "}\n"
        "function rgb(c) {\n"
        "  var m = /rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(, ([\\d.]+))?\\)/"
        ".exec(c);\n"
        "  return m ? [+m[1], +m[2], +m[3], m[5] === undefined ? 1 : +m[5]] "
        ": null;\n"
        "}\n"
        "function luminance(c) {\n"
        "  var l = c.slice(0, 3).map(function (v) { v /= 255;\n"
        "    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, "
        "2.4); });\n"
        "  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];\n"
        "}\n"
        "function contrast(a, b) {\n"
        "  var x = luminance(a), y = luminance(b);\n"
        "  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);\n"
        "}\n"
        "function background(el) {\n"
        "  for (; el && el.nodeType === 1; el = el.parentNode) {\n"
        "    var c = rgb(getComputedStyle(el).backgroundColor);\n"
        "    if (c && c[3] > 0) return c;\n"
        "  }\n"
        "  return [255, 255, 255, 1];\n"
        "}\n"
        "function name(el) { return (el.textContent || '').trim().slice(0, "
        "40); }\n"
        /* the trend opens on the report's own day, drawn last at the
         * right, and on a value axis to read it by, also where its box
         * scrolls: the last bar, the last date in bold and a "0" of the
         * axis lie within the box as the page opens */
        "document.querySelectorAll('svg[aria-label=\"daily trend\"]')"
        ".forEach(function (svg) {\n"
        "  var box = svg.parentNode.getBoundingClientRect();\n"
        "  function seen(el) { var b = el && el.getBoundingClientRect();\n"
        "    return b && b.left >= box.left - 1 && b.right <= box.right + "
        "1; }\n"
        "  var bars = svg.querySelectorAll('rect.st'), days = "
        "svg.querySelectorAll('text[font-weight=bold]');\n"
        "  if (!seen(bars[bars.length - 1])) problem('the trend opens "
        "with the bar of the report\\'s day out of view');\n"
        "  if (!seen(days[days.length - 1])) problem('the trend opens "
        "with the date of the report\\'s day out of view');\n"
        "  [].forEach.call(days, function (t) { if "
        "(+getComputedStyle(t).fontWeight < 600) problem('the trend\\'s "
        "date ' + name(t) + ' is not bold as its caption says'); });\n"
        "  if (![].some.call(svg.querySelectorAll('text'), function (t) {\n"
        "      return t.textContent === '0' && seen(t); }))\n"
        "    problem('the trend opens with its value axis out of view');\n"
        "});\n"
        /* on paper every closed <details> prints what it holds: the page's
         * print rules, set for a moment to apply on the screen, show it
         * (a rule the browser cannot parse is not among them) */
        "var paper = document.createElement('style');\n"
        "paper.textContent = [].map.call(document.styleSheets, function (sh) "
        "{\n"
        "  return [].map.call(sh.cssRules, function (r) {\n"
        "    return r.media && /\\bprint\\b/.test(r.media.mediaText) ?\n"
        "      [].map.call(r.cssRules, function (x) { return x.cssText; "
        "}).join('\\n') : ''; }).join('\\n'); }).join('\\n');\n"
        "document.head.appendChild(paper);\n"
        "document.querySelectorAll('details:not([open])').forEach(function "
        "(d) {\n"
        "  [].forEach.call(d.children, function (c) {\n"
        "    if (c.tagName !== 'SUMMARY' && !c.checkVisibility())\n"
        "      problem('printed, \"' + name(d.querySelector('summary')) + "
        "'\" stays closed'); }); });\n"
        "paper.remove();\n"
        "document.querySelectorAll('details').forEach(function (d) { d.open "
        "= true; });\n"
        /* the page itself never scrolls sideways */
        "var wide = document.documentElement.scrollWidth;\n"
        "if (wide > innerWidth + 1) problem('the page is ' + wide + ' px "
        "wide in a window of ' + innerWidth + ' px: it scrolls sideways as "
        "a whole');\n"
        /* a chart has its figures in a table in its section */
        "document.querySelectorAll('svg[role=img]').forEach(function (svg) "
        "{\n"
        "  var s = svg.closest('section') || document.body;\n"
        "  if (!s.querySelector('table')) problem('the chart \"' + "
        "svg.getAttribute('aria-label') + '\" has no table of its "
        "figures');\n"
        "});\n";

/* ...continued: C99 compilers need take no string over 4095 bytes. */
static const char runner_js_more[] =
        /* a key tells its postures apart by more than colour, also when
         * the theme forces its own colours */
        "document.querySelectorAll('.legend').forEach(function (legend, i) "
        "{\n"
        "  var paints = {}, plain = [], items = "
        "legend.querySelectorAll('.sw');\n"
        "  items.forEach(function (sw) {\n"
        "    var shape = sw.querySelector('rect') || sw, st = "
        "getComputedStyle(shape);\n"
        "    var paint = shape === sw ? st.backgroundColor + ' ' + "
        "st.backgroundImage : st.fill;\n"
        "    paints[paint] = true;\n"
        "    if (!/url\\(|gradient/.test(paint)) "
        "plain.push(name(sw.parentNode));\n"
        "  });\n"
        "  var n = Object.keys(paints).length;\n"
        "  if (n < items.length) problem('key ' + (i + 1) + ' paints its ' "
        "+ items.length + ' postures in only ' + n + ' different ways');\n"
        "  if (plain.length > 1) problem('key ' + (i + 1) + ' tells ' + "
        "plain.join(', ') + ' apart by colour alone');\n"
        "});\n"
        /* the charts' text stands out from the page as text must */
        "document.querySelectorAll('svg text').forEach(function (t) {\n"
        "  var c = rgb(getComputedStyle(t).fill), bg = background(t);\n"
        "  if (c && contrast(c, bg) < 4.5) problem('chart text \"' + name(t) "
        "+ '\" is ' + getComputedStyle(t).fill + ' on rgb(' + bg.slice(0, "
        "3).join(', ') + '): ' + contrast(c, bg).toFixed(2) + ':1');\n"
        "});\n"
        /* nothing moves (there is no prefers-reduced-motion to honour) */
        "if (document.getAnimations().length) problem(document.getAnimations()"
        ".length + ' animations run on the page');\n"
        "if (getComputedStyle(document.documentElement).scrollBehavior === "
        "'smooth') problem('the page scrolls smoothly to its links');\n"
        /* a link within the page leads to a heading */
        "document.querySelectorAll('a[href^=\"#\"]').forEach(function (a) "
        "{\n"
        "  var id = decodeURIComponent(a.getAttribute('href').slice(1));\n"
        "  var to = document.getElementById(id);\n"
        "  var first = to && (/^H[1-6]$/.test(to.tagName) ? to : "
        "to.firstElementChild);\n"
        "  if (!to) problem('the link \"' + name(a) + '\" leads to #' + id + "
        "', which is not on the page');\n"
        "  else if (!first || !/^H[1-6]$/.test(first.tagName)) "
        "problem('the link \"' + name(a) + '\" leads to #' + id + ', which "
        "starts with no heading');\n"
        "});\n"
        /* with forced colours the browser paints the text in the theme's
         * colours, which axe does not see: it would set the page's own
         * colours against the theme's background */
        "var forced = matchMedia('(forced-colors: active)').matches;\n"
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', "
        "'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },\n"
        "  rules: { 'color-contrast': { enabled: !forced } },\n"
        "  resultTypes: ['violations'] }).then(function (r) {\n"
        "  r.violations.forEach(function (v) { v.nodes.forEach(function (n) "
        "{\n"
        "    problem('axe ' + v.id + ' (' + v.impact + ', ' + v.help + '): ' "
        "+ n.target.join(' ') + ': ' + n.failureSummary); }); });\n"
        "  send();\n"
        "}, function (e) { problem('axe failed: ' + e); send(); });\n"
        "})();\n";

/* The frame around the page: as wide as asked, and it writes what the
 * page posts between two markers. */
static const char harness_html[] =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>harness</title></head><body style=\"margin:0\">\n"
        "<iframe title=\"page\" src=\"%s\" style=\"border:0;width:%dpx;"
        "height:900px\"></iframe><pre id=\"out\"></pre>\n<script>\n"
        "addEventListener('message', function (e) {\n"
        "  document.getElementById('out').textContent = 'HS-A11Y-' + "
        "'BEGIN\\n' + e.data + '\\nHS-A11Y-' + 'END';\n"
        "});\n</script></body></html>\n";

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t size = 0, n = 0, got;
	do {
		if (n + 4096 > size) {
			size = size ? 2 * size : 1 << 16;
			buf = realloc(buf, size + 1);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, size - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Whether Chromium and axe-core are here; says why not on stderr (the
 * caller skips the test then). */
static bool have_tools(void)
{
	if (hs_test_run("command -v chromium >/dev/null", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: chromium is not installed; the HTML "
		                "pages were not checked for accessibility\n");
		return false;
	}
	FILE *f = fopen(AXE_JS, "rb");
	if (!f) {
		fprintf(stderr,
		        "SKIPPED: axe-core is not fetched (no %s; run "
		        "models/fetch-model.sh --test-tools); the HTML pages "
		        "were not checked for accessibility\n",
		        AXE_JS);
		return false;
	}
	fclose(f);
	return true;
}

/* A copy of the page at path with axe and the runner inlined before its
 * </body>, as dir/name. */
static void inline_axe(const char *path, const char *dir, const char *name)
{
	size_t axe_len;
	char *axe = slurp(AXE_JS, &axe_len);
	assert_non_null(axe);
	for (const char *p = axe; (p = strchr(p, '<')); p++)
		if (strncasecmp(p, "</script", 8) == 0)
			fail_msg("%s holds '</script' and cannot be inlined",
			         AXE_JS);
	char *page = slurp(path, NULL);
	assert_non_null(page);
	char *body = strstr(page, "</body>");
	if (!body)
		fail_msg("%s has no </body>", path);
	char copy[700];
	snprintf(copy, sizeof copy, "%s/%s", dir, name);
	FILE *f = fopen(copy, "w");
	assert_non_null(f);
	fwrite(page, 1, (size_t)(body - page), f);
	fputs("<script>", f);
	fwrite(axe, 1, axe_len, f);
	fprintf(f, "</script>\n<script>\n%s%s</script>\n%s", runner_js,
	        runner_js_more, body);
	assert_int_equal(fclose(f), 0);
	free(page);
	free(axe);
}

typedef struct mode {
	const char *what;
	int width; /* CSS pixels */
	bool dark, forced;
	const char *flags;
} mode;

static const mode modes[] = {
	{ "light, 1000 px", 1000, false, false, "" },
	{ "dark, 1000 px", 1000, true, false,
	  "--blink-settings=preferredColorScheme=0" },
	/* a 1280-pixel laptop zoomed to 200% */
	{ "light, 640 px", 640, false, false, "" },
	{ "light, 320 px", 320, false, false, "" },
	{ "dark, 320 px", 320, true, false,
	  "--blink-settings=preferredColorScheme=0" },
	/* a high-contrast theme on a desktop that prefers dark */
	{ "forced colours, 1000 px", 1000, true, true,
	  "--force-high-contrast --blink-settings=preferredColorScheme=0" },
};

/* --dump-dom escapes what the page wrote: back to plain text, in place. */
static void unescape(char *text)
{
	static const char *const entities[][2] = {
		{ "&lt;", "<" },  { "&gt;", ">" },   { "&quot;", "\"" },
		{ "&#39;", "'" }, { "&nbsp;", " " }, { "&amp;", "&" },
	};
	char *w = text;
	for (const char *r = text; *r;) {
		size_t i = 0, n = sizeof entities / sizeof entities[0];
		while (i < n &&
		       strncmp(r, entities[i][0], strlen(entities[i][0])) != 0)
			i++;
		if (i < n) {
			*w++ = entities[i][1][0];
			r += strlen(entities[i][0]);
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* The value of the result line "key VALUE" into buf; false when there is
 * none. */
static bool result_line(const char *result, const char *key, char *buf,
                        size_t size)
{
	size_t n = strlen(key);
	for (const char *p = result; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, key, n) == 0 && p[n] == ' ') {
			snprintf(buf, size, "%.*s",
			         (int)strcspn(p + n + 1, "\n"), p + n + 1);
			return true;
		}
	}
	return false;
}

/* As the page reports it. */
static char axe_version[32];

/* Open the page (already with axe inlined, in dir) in Chromium in mode m;
 * append what it found to 'found'.  Fails when the page could not be
 * checked at all. */
static void check_in(const char *dir, const char *name, const mode *m,
                     char *found, size_t size)
{
	char harness[700], cmd[4096];
	snprintf(harness, sizeof harness, "%s/harness-%d.html", dir, m->width);
	FILE *f = fopen(harness, "w");
	assert_non_null(f);
	fprintf(f, harness_html, name, m->width);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof cmd,
	         "profile=$(mktemp -d) && timeout 120 chromium --headless "
	         "--no-sandbox --disable-gpu --disable-quic --no-first-run "
	         "--disable-background-networking --disable-component-update "
	         "--disable-sync --user-data-dir=\"$profile\" "
	         "--window-size=%d,1000 %s --virtual-time-budget=60000 "
	         "--dump-dom 'file://%s' 2>/dev/null; rc=$?; "
	         "rm -rf \"$profile\"; exit $rc",
	         m->width + 40 > 500 ? m->width + 40 : 500, m->flags, harness);
	static char dom[1 << 20];
	int rc = hs_test_run(cmd, dom, sizeof dom);
	char *begin = strstr(dom, "HS-A11Y-BEGIN\n");
	char *end = begin ? strstr(begin, "\nHS-A11Y-END") : NULL;
	if (rc != 0 || !end)
		fail_msg("%s, %s: Chromium (exit %d) gave no result; the page "
		         "was not checked",
		         name, m->what, rc);
	*end = '\0';
	char *result = begin + strlen("HS-A11Y-BEGIN\n");
	unescape(result);
	char v[64];
	if (!result_line(result, "axe", axe_version, sizeof axe_version) ||
	    !axe_version[0])
		fail_msg("%s, %s: axe did not run:\n%s", name, m->what, result);
	/* The browser did as asked, or this would check one mode twice. */
	char want[64];
	snprintf(want, sizeof want, "%d", m->width);
	if (!result_line(result, "width", v, sizeof v) || strcmp(v, want))
		fail_msg("%s, %s: the page was %s px wide", name, m->what, v);
	char forced[16];
	if (!result_line(result, "dark", v, sizeof v) || atoi(v) != m->dark ||
	    !result_line(result, "forced", forced, sizeof forced) ||
	    atoi(forced) != m->forced)
		fail_msg("%s, %s: Chromium did not take the colour "
		         "scheme asked for:\n%s",
		         name, m->what, result);
	size_t used = strlen(found);
	for (const char *p = result; (p = strstr(p, "\nproblem ")); p++) {
		int len = (int)strcspn(p + 9, "\n");
		int n = snprintf(found + used, size - used, "  %s, %s: %.*s\n",
		                 name, m->what, len, p + 9);
		if (n > 0 && (size_t)n < size - used)
			used += (size_t)n;
	}
}

/* Check the page at path in every mode; fails listing every problem. */
static void check_page(const char *path, const char *name)
{
	char dir[256];
	hs_test_tmpdir(dir, sizeof dir);
	inline_axe(path, dir, name);
	static char found[1 << 16];
	found[0] = '\0';
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		check_in(dir, name, &modes[i], found, sizeof found);
	hs_test_rmtree(dir);
	if (found[0]) {
		/* in full: cmocka cuts a long failure message short */
		fprintf(stderr, "%s is not accessible:\n%s", name, found);
		fail_msg("%s is not accessible (above)", name);
	}
	fprintf(stderr,
	        "%s: axe-core %s and the page's own checks found nothing, in "
	        "%zu modes\n",
	        name, axe_version, sizeof modes / sizeof modes[0]);
}

/* ---- the tests ------------------------------------------------------------
 */

/* The checks find what they look for: a page with faults that axe and the
 * page's own checks know (an image without a text alternative, grey text
 * on grey, a link to nowhere, a page wider than the window) is found out,
 * each fault by name.  Without it, a harness that reported nothing (axe
 * running no rule, its findings not read) would pass every page below. */
static void a_page_with_known_faults_is_caught(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	char dir[256], path[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/faulty.html", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	      "charset=\"utf-8\"><title>faults</title></head>\n<body><main>\n"
	      "<h1>Faults</h1>\n<img src=\"missing.png\" width=\"20\" "
	      "height=\"20\">\n<p style=\"color:#888;background:#999\">faint "
	      "text</p>\n<p><a href=\"#nowhere\">a link to nowhere</a></p>\n"
	      "<div style=\"width:3000px\">wide</div>\n</main></body></html>\n",
	      f);
	assert_int_equal(fclose(f), 0);
	inline_axe(path, dir, "faulty.html");
	static char found[1 << 16];
	found[0] = '\0';
	check_in(dir, "faulty.html", &modes[0], found, sizeof found);
	hs_test_rmtree(dir);
	static const char *const faults[] = {
		"axe image-alt (",
		"axe color-contrast (",
		"leads to #nowhere, which is not on the page",
		"it scrolls sideways as a whole",
	};
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		if (!strstr(found, faults[i])) {
			fprintf(stderr, "found in faulty.html:\n%s", found);
			fail_msg("the fault '%s' was not found", faults[i]);
		}
}

static void day_report_is_accessible(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	char dir[256], path[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/day.html", dir);
	write_report(path, 1, day_blocks,
	             sizeof day_blocks / sizeof day_blocks[0], day_alerts,
	             sizeof day_alerts / sizeof day_alerts[0]);
	check_page(path, "day-report.html");
	hs_test_rmtree(dir);
}

static void week_report_is_accessible(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	char dir[256], path[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/week.html", dir);
	write_report(path, 7, week_blocks,
	             sizeof week_blocks / sizeof week_blocks[0], NULL, 0);
	check_page(path, "week-report.html");
	hs_test_rmtree(dir);
}

static void empty_report_is_accessible(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	char dir[256], path[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/empty.html", dir);
	write_report(path, 1, NULL, 0, NULL, 0);
	check_page(path, "empty-report.html");
	hs_test_rmtree(dir);
}

static void advice_page_is_accessible(void **state)
{
	(void)state;
	if (!have_tools())
		skip();
	char dir[256], path[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/advice.html", dir);
	write_advice(path);
	check_page(path, "advice.html");
	hs_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_page_with_known_faults_is_caught),
		cmocka_unit_test(day_report_is_accessible),
		cmocka_unit_test(week_report_is_accessible),
		cmocka_unit_test(empty_report_is_accessible),
		cmocka_unit_test(advice_page_is_accessible),
	};
	return cmocka_run_group_tests(tests, hs_test_tz_berlin, NULL);
}

/* test_advice.c - the advice texts, the HTML page, the URL and
 * `headsup advice`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "headsup/advice.h"
#include "headsup/err.h"
#include "testutil.h"

static const char *const ids[] = { "looking-down", "hunched", "active",
	                           "general", "clinician" };

/* Newlines as spaces, so a phrase is found wherever the text wrapped. */
static const char *flat(char *text)
{
	for (char *p = text; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return text;
}

static char *capture_html(void)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	assert_non_null(out);
	assert_int_equal(hs_advice_write_html(out), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static char *capture_print(int topic, int width)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	assert_non_null(out);
	assert_int_equal(hs_advice_print(out, topic, width), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void ids_round_trip(void **state)
{
	(void)state;
	assert_int_equal(HS_ADVICE_COUNT, sizeof ids / sizeof ids[0]);
	for (int i = 0; i < HS_ADVICE_COUNT; i++) {
		const hs_advice *a = hs_advice_get((hs_advice_topic)i);
		assert_non_null(a);
		assert_string_equal(a->id, ids[i]);
		assert_int_equal(hs_advice_from_id(a->id), i);
	}
	/* the posture's own name, as the report's JSON gives it */
	assert_int_equal(hs_advice_from_id("looking_down"),
	                 HS_ADVICE_LOOKING_DOWN);
	assert_int_equal(hs_advice_from_id("Hunched"), HS_ADVICE_HUNCHED);
	assert_int_equal(hs_advice_from_id("looking"), -1);
	assert_int_equal(hs_advice_from_id("looking-down-"), -1);
	assert_int_equal(hs_advice_from_id(""), -1);
	assert_int_equal(hs_advice_from_id(NULL), -1);
	assert_null(hs_advice_get(HS_ADVICE_COUNT));
	assert_int_equal(hs_advice_for_state(HS_STATE_LOOKING_DOWN),
	                 HS_ADVICE_LOOKING_DOWN);
	assert_int_equal(hs_advice_for_state(HS_STATE_HUNCHED),
	                 HS_ADVICE_HUNCHED);
	assert_int_equal(hs_advice_for_state(HS_STATE_AWAY), HS_ADVICE_GENERAL);
	assert_int_equal(hs_advice_for_state(HS_STATE_UPRIGHT),
	                 HS_ADVICE_GENERAL);
}

static void every_topic_has_a_title_a_sentence_and_a_body(void **state)
{
	(void)state;
	for (int i = 0; i < HS_ADVICE_COUNT; i++) {
		const hs_advice *a = hs_advice_get((hs_advice_topic)i);
		assert_true(strlen(a->title) > 3);
		/* One short sentence, fit for a notification body. */
		size_t n = strlen(a->sentence);
		assert_true(n > 20 && n <= 120);
		assert_true(a->sentence[n - 1] == '.');
		assert_null(strchr(a->sentence, '\n'));
		assert_null(strstr(a->sentence, ". "));
		/* A body of a few paragraphs. */
		assert_true(strlen(a->body) > 150);
		assert_non_null(strstr(a->body, "\n\n"));
	}
	/* Each topic carries the advice the article gives for it. */
	assert_non_null(strstr(hs_advice_get(HS_ADVICE_LOOKING_DOWN)->body,
	                       "eye level"));
	assert_non_null(strstr(hs_advice_get(HS_ADVICE_LOOKING_DOWN)->body,
	                       "trapezius"));
	assert_non_null(
	        strstr(hs_advice_get(HS_ADVICE_HUNCHED)->body, "letter S"));
	assert_non_null(
	        strstr(hs_advice_get(HS_ADVICE_HUNCHED)->body, "stomach in"));
	assert_non_null(strstr(hs_advice_get(HS_ADVICE_ACTIVE)->body,
	                       "15 to 30 minutes"));
	assert_non_null(strstr(hs_advice_get(HS_ADVICE_ACTIVE)->body, "yoga"));
	assert_non_null(
	        strstr(hs_advice_get(HS_ADVICE_GENERAL)->body, "electrolytes"));
	assert_non_null(strstr(hs_advice_get(HS_ADVICE_CLINICIAN)->body,
	                       "physiotherapist"));
	/* Each form says "not a diagnosis" once: the clinician topic on its
	 * own, and the whole advice. */
	const int forms[] = { -1, HS_ADVICE_CLINICIAN };
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const int topic = forms[i];
		char *text = capture_print(topic, 78);
		const char *first = strstr(flat(text), "not a diagnosis");
		if (!first || strstr(first + 1, "not a diagnosis"))
			fail_msg("topic %d says 'not a diagnosis' %s", topic,
			         first ? "twice" : "nowhere");
		free(text);
	}
	assert_string_equal(hs_advice_source_title,
	                    "Treatment of Upper Back Spasms");
}

static void html_page_is_self_contained(void **state)
{
	(void)state;
	char *html = capture_html();
	assert_memory_equal(html, "<!DOCTYPE html>\n", 16);
	assert_non_null(strstr(html, "</html>\n"));
	static const char *const banned[] = {
		"<script", "http:", "https:",  "src=", "@import",
		"url(",    "<link", "<iframe", "<img",
	};
	for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
		if (strstr(html, banned[i]))
			fail_msg("advice page holds '%s'", banned[i]);
	for (int i = 0; i < HS_ADVICE_COUNT; i++) {
		char want[128];
		snprintf(want, sizeof want, "<section id=\"%s\">", ids[i]);
		assert_non_null(strstr(html, want));
		snprintf(want, sizeof want, "<a href=\"#%s\">", ids[i]);
		assert_non_null(strstr(html, want));
	}
	assert_non_null(
	        strstr(html, "<cite>Treatment of Upper Back Spasms</cite>"));
	assert_non_null(strstr(html, "id=\"not-a-diagnosis\""));
	assert_non_null(strstr(html, "prefers-color-scheme:dark"));
	assert_non_null(strstr(html, "@media print"));
	free(html);
}

/* The sections speak of "the article": the lead paragraph, above them,
 * names it, as well as the footer at the bottom of the page. */
static void html_lead_names_the_article(void **state)
{
	(void)state;
	char *html = capture_html();
	const char *lead = strstr(html, "<p class=\"lead\">");
	assert_non_null(lead);
	char want[128];
	snprintf(want, sizeof want, "the article <cite>%s</cite>",
	         hs_advice_source_title);
	const char *named = strstr(lead, want);
	if (!named || named > strstr(lead, "</p>"))
		fail_msg("the lead does not name the article: %.200s", lead);
	assert_true(named < strstr(html, "<section"));
	free(html);
}

/* Every link within the page leads to a section that starts with its
 * heading, the note that it is not a diagnosis as well: a reader who
 * follows one, or a screen reader's list of headings, finds it by name.
 * The credit is the page's footer, outside its main part. */
static void html_links_lead_to_headings(void **state)
{
	(void)state;
	char *html = capture_html();
	int links = 0;
	for (const char *p = html; (p = strstr(p, "<a href=\"#")); p++) {
		char id[64], want[96];
		assert_int_equal(sscanf(p, "<a href=\"#%63[^\"]", id), 1);
		snprintf(want, sizeof want, "id=\"%s\">", id);
		const char *to = strstr(html, want);
		if (!to)
			fail_msg("the link to #%s leads nowhere", id);
		to += strlen(want);
		while (*to == '\n')
			to++;
		if (strncmp(to, "<h2>", 4) != 0)
			fail_msg("#%s starts with no heading: %.40s", id, to);
		links++;
	}
	assert_int_equal(links, HS_ADVICE_COUNT + 1);
	assert_non_null(strstr(html, "<h2>Not a diagnosis</h2>"));
	const char *main_end = strstr(html, "</main>");
	const char *footer = strstr(html, "<footer>");
	assert_true(main_end && footer && main_end < footer);
	free(html);
}

static void terminal_text_wraps_and_credits(void **state)
{
	(void)state;
	for (int width = 30; width <= 100; width += 35) {
		char *text = capture_print(-1, width);
		for (int i = 0; i < HS_ADVICE_COUNT; i++)
			assert_non_null(strstr(
			        text,
			        hs_advice_get((hs_advice_topic)i)->title));
		for (char *line = text; *line;) {
			char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			if (len > (size_t)width)
				fail_msg("line wider than %d: %.*s", width,
				         (int)len, line);
			line += len + (nl ? 1 : 0);
		}
		assert_non_null(strstr(flat(text), "not a diagnosis"));
		assert_non_null(
		        strstr(text, "\"Treatment of Upper Back Spasms\""));
		free(text);
	}
	char *one = capture_print(HS_ADVICE_HUNCHED, 78);
	assert_memory_equal(one, "Hunched\n-------\n", 16);
	assert_null(strstr(one, "Looking down"));
	assert_non_null(strstr(one, "headsup advice clinician"));
	free(one);
	FILE *sink = fopen("/dev/null", "w");
	assert_non_null(sink);
	assert_int_equal(hs_advice_print(sink, HS_ADVICE_COUNT, 78), HS_EINVAL);
	fclose(sink);
}

static void url_points_at_the_page_and_the_anchor(void **state)
{
	(void)state;
	char dir[PATH_MAX], data[PATH_MAX + 16], page[PATH_MAX + 32];
	char url[PATH_MAX * 3], want[PATH_MAX * 3];
	hs_test_tmpdir(dir, sizeof dir);
	/* A space in the folder must be percent-encoded in the URL. */
	snprintf(data, sizeof data, "%s/my data", dir);
	assert_int_equal(mkdir(data, 0700), 0);
	setenv("HEADSUP_DATA_DIR", data, 1);

	assert_int_equal(hs_advice_url(HS_ADVICE_HUNCHED, url, sizeof url),
	                 HS_ENOENT);
	snprintf(want, sizeof want, "file://%s/my%%20data/advice.html#hunched",
	         dir);
	assert_string_equal(url, want);

	snprintf(page, sizeof page, "%s/advice.html", data);
	FILE *f = fopen(page, "w");
	assert_non_null(f);
	assert_int_equal(hs_advice_write_html(f), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(hs_advice_url(HS_ADVICE_LOOKING_DOWN, url, sizeof url),
	                 0);
	snprintf(want, sizeof want,
	         "file://%s/my%%20data/advice.html#looking-down", dir);
	assert_string_equal(url, want);
	assert_int_equal(hs_advice_url(HS_ADVICE_COUNT, url, sizeof url), 0);
	snprintf(want, sizeof want, "file://%s/my%%20data/advice.html", dir);
	assert_string_equal(url, want);
	assert_int_equal(hs_advice_url(HS_ADVICE_HUNCHED, url, 20), HS_ERANGE);

	unsetenv("HEADSUP_DATA_DIR");
	hs_test_rmtree(dir);
}

static void advice_command_prints_lists_and_fails_clearly(void **state)
{
	(void)state;
	static char out[1 << 16];
	char cmd[PATH_MAX * 3];
	const char *bin = hs_test_bin();

	snprintf(cmd, sizeof cmd, "COLUMNS=60 '%s' advice", bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	for (int i = 0; i < HS_ADVICE_COUNT; i++)
		assert_non_null(
		        strstr(out, hs_advice_get((hs_advice_topic)i)->title));
	for (char *line = out; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		assert_true(len <= 59); /* COLUMNS less the last column */
		line += len + (nl ? 1 : 0);
	}
	assert_non_null(strstr(flat(out), "Treatment of Upper Back Spasms"));

	snprintf(cmd, sizeof cmd, "'%s' advice looking-down", bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_memory_equal(out, "Looking down\n", 13);
	assert_null(strstr(out, "Hunched"));

	/* An unknown topic lists the valid ones on stderr and exits 2. */
	snprintf(cmd, sizeof cmd, "'%s' advice posture 2>&1 >/dev/null", bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 2);
	assert_string_equal(out, "headsup: unknown advice topic 'posture'\n"
	                         "Topics: looking-down hunched active general "
	                         "clinician\n");
	snprintf(cmd, sizeof cmd, "'%s' advice hunched active 2>/dev/null",
	         bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 2);
	snprintf(cmd, sizeof cmd, "'%s' advice --loud 2>/dev/null", bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 2);
	snprintf(cmd, sizeof cmd, "'%s' advice --html hunched 2>/dev/null",
	         bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 2);

	snprintf(cmd, sizeof cmd, "'%s' advice --help", bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, "Usage: headsup advice"));
	assert_non_null(strstr(out, "Exit status"));
	assert_non_null(strstr(out, "clinician"));
	assert_non_null(strstr(out, "not a diagnosis"));

	/* --html writes the page; --url then finds it where it was put. */
	char dir[PATH_MAX], want[PATH_MAX * 2];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(cmd, sizeof cmd, "'%s' advice --html > '%s/advice.html'", bin,
	         dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(cmd, sizeof cmd,
	         "HEADSUP_DATA_DIR='%s' '%s' advice --url clinician", dir, bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	snprintf(want, sizeof want, "file://%s/advice.html#clinician\n", dir);
	assert_string_equal(out, want);
	snprintf(cmd, sizeof cmd,
	         "HEADSUP_DATA_DIR='%s/none' '%s' advice --url 2>&1 >/dev/null",
	         dir, bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 1);
	assert_non_null(strstr(out, "advice page is not installed"));
	/* A relative folder without the page: the URL it names is still
	 * a whole path ("file://none/..." would name a host "none"). */
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && HEADSUP_DATA_DIR=none '%s' advice --url hunched "
	         "2>&1",
	         dir, bin);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 1);
	snprintf(want, sizeof want, "file://%s/none/advice.html#hunched", dir);
	if (!strstr(out, want))
		fail_msg("printed '%s', not '%s'", out, want);
	hs_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_round_trip),
		cmocka_unit_test(every_topic_has_a_title_a_sentence_and_a_body),
		cmocka_unit_test(html_page_is_self_contained),
		cmocka_unit_test(html_lead_names_the_article),
		cmocka_unit_test(html_links_lead_to_headings),
		cmocka_unit_test(terminal_text_wraps_and_credits),
		cmocka_unit_test(url_points_at_the_page_and_the_anchor),
		cmocka_unit_test(advice_command_prints_lists_and_fails_clearly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

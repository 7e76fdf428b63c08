/* test_doc.c - the generated man page, headsup(1), and the bash completion
 * (dist/headsup.bash) run by a real bash against the real binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/advice.h"
#include "headsup/cli.h"
#include "headsup/config.h"
#include "headsup/doc.h"
#include "testutil.h"

static char *man_page(void)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	assert_non_null(out);
	assert_int_equal(hs_doc_write_man(out), 0);
	assert_int_equal(fclose(out), 0);
	return text;
}

/* roff source for a word as hs_doc_roff writes it (dashes as \-). */
static void roff_word(const char *word, char *buf, size_t size, bool dashes)
{
	char *text = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&text, &n);
	assert_non_null(out);
	hs_doc_roff(out, word, dashes);
	assert_int_equal(fclose(out), 0);
	snprintf(buf, size, "%s", text);
	free(text);
}

static void page_has_every_section_command_and_setting(void **state)
{
	(void)state;
	char *man = man_page();
	static const char *const sections[] = {
		".TH HEADSUP 1 ",    ".SH NAME\n",     ".SH SYNOPSIS\n",
		".SH DESCRIPTION\n", ".SH COMMANDS\n", ".SH OPTIONS\n",
		".SH SETTINGS\n",    ".SH FILES\n",    ".SH EXIT STATUS\n",
		".SH PRIVACY\n",     ".SH ADVICE\n",   ".SH NOTES\n",
		".SH SEE ALSO\n",
	};
	const char *at = man;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		const char *found = strstr(at, sections[i]);
		if (!found)
			fail_msg("man page lacks '%s' (in this order)",
			         sections[i]);
		at = found;
	}
	/* The table walked below holds every command users are told of. */
	static const char *const commands[] = { "run",     "calibrate",
		                                "analyze", "report",
		                                "pause",   "resume",
		                                "status",  "advice" };
	for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
		int found = 0;
		for (int i = 0; i < hs_command_count; i++)
			found += strcmp(hs_commands[i].name, commands[c]) == 0;
		if (found != 1)
			fail_msg("'%s': %d entries in the command table",
			         commands[c], found);
	}
	for (int i = 0; i < hs_command_count; i++) {
		char name[64], want[256];
		roff_word(hs_commands[i].name, name, sizeof name, true);
		snprintf(want, sizeof want, ".B headsup %s\n", name);
		if (!strstr(man, want))
			fail_msg("SYNOPSIS lacks '%s'", want);
		snprintf(want, sizeof want, ".TP\n.B %s\n", name);
		if (!strstr(man, want))
			fail_msg("COMMANDS lacks '%s'", want);
		assert_non_null(strstr(man, hs_commands[i].summary));
	}
	for (size_t i = 0; i < hs_setting_count; i++) {
		char want[128];
		snprintf(want, sizeof want, ".SS [%s]\n",
		         hs_settings[i].section);
		assert_non_null(strstr(man, want));
		snprintf(want, sizeof want, ".BR %s \" = ", hs_settings[i].key);
		if (!strstr(man, want))
			fail_msg("SETTINGS lacks '%s'", want);
	}
	static const char *const files[] = {
		"$XDG_CONFIG_HOME/headsup/config.ini",
		"$XDG_STATE_HOME/headsup/calibration.ini",
		"$XDG_DATA_HOME/headsup/journal.db",
		"$XDG_RUNTIME_DIR/headsup/",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		assert_non_null(strstr(man, files[i]));
	assert_non_null(strstr(man, ".B 0\nSuccess."));
	assert_non_null(strstr(man, ".B 1\nRuntime failure"));
	assert_non_null(strstr(man, ".B 2\nUsage or configuration error"));
	assert_non_null(strstr(man, hs_advice_source_title));
	assert_non_null(strstr(man, "heuristic, not a diagnosis"));
	assert_non_null(strstr(man, "No camera frame is ever written"));
	free(man);
}

static void roff_escaping_keeps_text_literal(void **state)
{
	(void)state;
	char buf[128];
	roff_word(".. a\\b", buf, sizeof buf, false);
	assert_string_equal(buf, "\\&.. a\\eb");
	roff_word("--source x-y", buf, sizeof buf, true);
	assert_string_equal(buf, "\\-\\-source x\\-y");
	roff_word("sets sustain_s in ~/.config", buf, sizeof buf, false);
	assert_string_equal(buf, "sets \\%sustain_s in \\%~/.config");
}

static void groff_renders_it_without_warnings(void **state)
{
	(void)state;
	if (hs_test_run("command -v groff >/dev/null 2>&1", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: groff is not installed "
		                "(apt-get install groff-base)\n");
		skip();
	}
	char dir[PATH_MAX], path[PATH_MAX + 16], cmd[2 * PATH_MAX];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/headsup.1", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(hs_doc_write_man(f), 0);
	assert_int_equal(fclose(f), 0);

	static char out[1 << 16];
	/* Warnings only: the rendered page goes to /dev/null. */
	snprintf(cmd, sizeof cmd, "groff -man -Tutf8 -ww '%s' 2>&1 >/dev/null",
	         path);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	if (out[0])
		fail_msg("groff warns:\n%s", out);

	/* The rendered text reads as a man page should. */
	snprintf(cmd, sizeof cmd, "groff -man -Tascii -P-cbou '%s' 2>/dev/null",
	         path);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, "headsup - watch your sitting posture"));
	assert_non_null(strstr(out, "sustain_s = 30.0 (1 to 7200)"));
	assert_non_null(strstr(out, "headsup run [--source S]"));
	assert_null(strstr(out, "\\-"));
	hs_test_rmtree(dir);
}

/* What bash offers after the words of line (the last one being completed),
 * one per line in out. */
static void complete(const char *line, char *out, size_t size)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "bash --norc --noprofile -c 'source \"%s/dist/headsup.bash\" "
	         "&& "
	         "COMP_WORDS=(\"%s\" %s) && "
	         "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && { _headsup; } ; "
	         "printf \"%%s\\n\" \"${COMPREPLY[@]}\"' 2>&1",
	         HS_SOURCE_DIR, hs_test_bin(), line);
	if (hs_test_run(cmd, out, size) != 0)
		fail_msg("%s\nsays:\n%s", cmd, out);
}

static bool offers(const char *out, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = out; (p = strstr(p, word)) != NULL; p++)
		if ((p == out || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static void bash_completes_commands_options_settings_and_topics(void **state)
{
	(void)state;
	if (hs_test_run("command -v bash >/dev/null 2>&1", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: bash is not installed\n");
		skip();
	}
	static char out[1 << 14];

	/* Every command, and only commands, for the first word. */
	complete("\"\"", out, sizeof out);
	for (int i = 0; i < hs_command_count; i++)
		if (!offers(out, hs_commands[i].name))
			fail_msg("no '%s' among the commands:\n%s",
			         hs_commands[i].name, out);
	complete("re", out, sizeof out);
	assert_string_equal(out, "report\nresume\n");

	/* A command's own options, global options before it skipped. */
	complete("-v report --f", out, sizeof out);
	assert_string_equal(out, "--format\n");
	complete("report --format h", out, sizeof out);
	assert_string_equal(out, "html\n");
	complete("run --", out, sizeof out);
	static const char *const run_opts[] = { "--source",      "--rate",
		                                "--config",      "--set",
		                                "--clock-start", "--realtime",
		                                "--preview" };
	for (size_t i = 0; i < sizeof run_opts / sizeof run_opts[0]; i++)
		if (!offers(out, run_opts[i]))
			fail_msg("'run --' lacks '%s':\n%s", run_opts[i], out);

	/* Every setting after --set, as key=. */
	complete("run --set \"\"", out, sizeof out);
	for (size_t i = 0; i < hs_setting_count; i++) {
		char want[96];
		snprintf(want, sizeof want, "%s=", hs_settings[i].key);
		if (!offers(out, want))
			fail_msg("'--set' lacks '%s':\n%s", want, out);
	}

	/* Every advice topic. */
	complete("advice \"\"", out, sizeof out);
	for (int t = 0; t < HS_ADVICE_COUNT; t++)
		if (!offers(out, hs_advice_get(t)->id))
			fail_msg("'advice' lacks '%s':\n%s",
			         hs_advice_get(t)->id, out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_has_every_section_command_and_setting),
		cmocka_unit_test(roff_escaping_keeps_text_literal),
		cmocka_unit_test(groff_renders_it_without_warnings),
		cmocka_unit_test(
		        bash_completes_commands_options_settings_and_topics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

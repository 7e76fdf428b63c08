/* test_doc.c - the generated man page, headsup(1), and the bash completion
 * (dist/headsup.bash) run by a real bash against the real binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/advice.h"
#include "headsup/cli.h"
#include "headsup/config.h"
#include "headsup/control.h"
#include "headsup/doc.h"
#include "headsup/report.h"
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

/* The part of the page from the line start (".SS run\n") up to the next
 * heading of the same or a higher level; NULL when start is not there. */
static char *part(const char *man, const char *start)
{
	const char *from = strstr(man, start);
	if (!from)
		return NULL;
	const char *to = from + strlen(start);
	const char *ss = strstr(to, "\n.SS ");
	const char *sh = strstr(to, "\n.SH ");
	if (strncmp(start, ".SS ", 4) != 0)
		ss = NULL; /* a section holds its subsections */
	if (!sh || (ss && ss < sh))
		sh = ss;
	return strndup(from, sh ? (size_t)(sh + 1 - from) : strlen(from));
}

/* One option from the "Options:" section of a --help text. */
typedef struct help_option {
	char name[32]; /* "--source" */
	char arg[32];  /* "S", or "" for none */
} help_option;

/* The options `headsup cmd --help` lists in its "Options:" section,
 * -h/--help left out: an option's line starts with at most six blanks
 * and a dash, and its placeholder follows it after one blank. */
static int help_options(const char *cmd, help_option *opts, int max)
{
	static char out[1 << 16];
	char command[PATH_MAX + 64];
	snprintf(command, sizeof command, "'%s' %s --help", hs_test_bin(), cmd);
	assert_int_equal(hs_test_run(command, out, sizeof out), 0);
	const char *line = strstr(out, "\nOptions:\n");
	if (!line)
		fail_msg("'%s' has no Options: section:\n%s", command, out);
	line += strlen("\nOptions:\n");
	int n = 0;
	for (; *line && *line != '\n'; line = strchr(line, '\n') + 1) {
		size_t indent = strspn(line, " ");
		const char *p = line + indent;
		if (indent < 1 || indent > 6 || p[0] != '-')
			continue;
		if (p[1] != '-' && strncmp(p + 2, ", --", 4) == 0)
			p += 4; /* "-h, --help" */
		size_t len = strspn(p, "-abcdefghijklmnopqrstuvwxyz");
		if (len == 6 && strncmp(p, "--help", 6) == 0)
			continue;
		assert_true(n < max);
		snprintf(opts[n].name, sizeof opts[n].name, "%.*s", (int)len,
		         p);
		p += len;
		opts[n].arg[0] = '\0';
		if (p[0] == ' ' && isupper((unsigned char)p[1]))
			snprintf(opts[n].arg, sizeof opts[n].arg, "%.*s",
			         (int)strspn(p + 1,
			                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ="),
			         p + 1);
		n++;
	}
	return n;
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
	/* Dated by its version, not by when it was built. */
	const char *date = strstr(man, ".TH HEADSUP 1 ") + 14;
	for (int k = 0; k < 10; k++)
		if (k == 4 || k == 7 ? date[k] != '-'
		                     : !isdigit((unsigned char)date[k]))
			fail_msg("'.TH' has no date YYYY-MM-DD: %.40s", date);
	assert_int_equal(date[10], ' ');
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
		snprintf(want, sizeof want, ".SY \"headsup %s\"\n", name);
		if (!strstr(man, want))
			fail_msg("SYNOPSIS lacks '%s'", want);
		snprintf(want, sizeof want, ".SS %s\n", name);
		if (!strstr(man, want))
			fail_msg("COMMANDS lacks '%s'", want);
		/* The summary of `headsup --help`, as a sentence. */
		snprintf(want, sizeof want, "%c%s.\n",
		         toupper((unsigned char)hs_commands[i].summary[0]),
		         hs_commands[i].summary + 1);
		if (!strstr(man, want))
			fail_msg("COMMANDS lacks '%s'", want);
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
	/* Every file, the runtime ones with the folder used without
	 * $XDG_RUNTIME_DIR. */
	char *files = part(man, ".SH FILES\n");
	assert_non_null(files);
	static const char *const paths[] = {
		"$XDG_CONFIG_HOME/headsup/config.ini",
		"$XDG_STATE_HOME/headsup/calibration.ini",
		"$XDG_DATA_HOME/headsup/journal.db",
		"$XDG_RUNTIME_DIR/headsup/control.sock",
		"$XDG_RUNTIME_DIR/headsup/run.lock",
		"/tmp/headsup\\-UID/",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		char want[128];
		snprintf(want, sizeof want, ".TP\n.I \\%%%s\n", paths[i]);
		if (!strstr(files, want))
			fail_msg("FILES lacks '%s'", want);
	}
	free(files);
	/* The general meaning of each status (each command's own follows
	 * it). */
	char *status = part(man, ".SH EXIT STATUS\n");
	assert_non_null(status);
	assert_non_null(strstr(status, ".TP\n.B 0\nSuccess.\n"));
	assert_non_null(strstr(status, ".TP\n.B 1\nA runtime failure (camera, "
	                               "file, database, output).\n"));
	assert_non_null(
	        strstr(status, ".TP\n.B 2\nA usage or configuration error.\n"));
	free(status);
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
	/* Nor mandoc (man-db may render with it), style notes aside. */
	const bool have_mandoc =
	        hs_test_run("command -v mandoc >/dev/null 2>&1", NULL, 0) == 0;
	if (have_mandoc) {
		snprintf(cmd, sizeof cmd,
		         "mandoc -T lint -W warning '%s' 2>&1 >/dev/null",
		         path);
		if (hs_test_run(cmd, out, sizeof out) != 0 || out[0])
			fail_msg("mandoc warns:\n%s", out);
	}

	/* The rendered text reads as a man page should. */
	snprintf(cmd, sizeof cmd, "groff -man -Tascii -P-cbou '%s' 2>/dev/null",
	         path);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, "headsup - watch your sitting posture"));
	assert_non_null(strstr(out, "sustain_s = 30.0 (1 to 7200)"));
	assert_non_null(strstr(out, "headsup run [--source S]"));
	assert_null(strstr(out, "\\-"));
	hs_test_rmtree(dir);
	/* The part without mandoc makes the test a skip, not a pass. */
	if (!have_mandoc)
		SKIP_LOUDLY("mandoc is not installed; the page was not linted "
		            "with it (apt-get install mandoc)");
}

/* Whether a ".B" line of text names cmd, alone or in a list ("pause,
 * resume, status"). */
static bool names_command(const char *text, const char *cmd)
{
	size_t n = strlen(cmd);
	for (const char *p = text; (p = strstr(p, "\n.B ")) != NULL; p++) {
		const char *q = p + 4;
		while (*q && *q != '\n') {
			if (strncmp(q, cmd, n) == 0 &&
			    (q[n] == '\n' || q[n] == ','))
				return true;
			q += strcspn(q, ",\n");
			q += strspn(q, ", ");
		}
	}
	return false;
}

static void each_command_has_the_options_and_statuses_of_its_help(void **state)
{
	(void)state;
	char *man = man_page();
	char *status = part(man, ".SH EXIT STATUS\n");
	assert_non_null(status);
	for (int i = 0; i < hs_command_count; i++) {
		const char *cmd = hs_commands[i].name;
		help_option opts[16];
		const int n = help_options(cmd, opts, 16);
		char start[64];
		snprintf(start, sizeof start, ".SS %s\n", cmd);
		char *sub = part(man, start);
		assert_non_null(sub);
		/* As many options as --help has, spelt as it spells them. */
		int tags = 0;
		for (const char *p = sub; (p = strstr(p, ".TP\n")); p++)
			tags++;
		if (tags != n)
			fail_msg("'%s': %d options in the man page, %d in "
			         "--help:\n%s",
			         cmd, tags, n, sub);
		snprintf(start, sizeof start, ".SY \"headsup %s\"\n", cmd);
		const char *sy = strstr(man, start);
		assert_non_null(sy);
		const char *ys = strstr(sy, ".YS\n");
		assert_non_null(ys);
		for (int o = 0; o < n; o++) {
			char name[64], arg[64], want[192];
			roff_word(opts[o].name, name, sizeof name, true);
			roff_word(opts[o].arg, arg, sizeof arg, true);
			if (opts[o].arg[0])
				snprintf(want, sizeof want,
				         ".TP\n.BI %s \" %s\"\n", name, arg);
			else
				snprintf(want, sizeof want, ".TP\n.B %s\n",
				         name);
			if (!strstr(sub, want))
				fail_msg("'%s' lacks '%s':\n%s", cmd, want,
				         sub);
			/* The synopsis names it with the same placeholder
			 * (or with the choices it takes). */
			snprintf(want, sizeof want, "\\fB%s\\fR", name);
			const char *at = strstr(sy, want);
			if (!at || at > ys)
				fail_msg("'%s' synopsis lacks '%s'", cmd, want);
			at += strlen(want);
			snprintf(want, sizeof want, "\\ \\fI%s\\fR", arg);
			const bool same = strncmp(at, want, strlen(want)) == 0;
			const bool choices = strncmp(at, "\\ \\fB", 5) == 0;
			const bool italic = strncmp(at, "\\ \\fI", 5) == 0;
			if (opts[o].arg[0] ? !same && !choices : italic)
				fail_msg("'%s' synopsis: '%s' is not '%s %s' "
				         "as in --help: %.40s",
				         cmd, name, opts[o].name, opts[o].arg,
				         at);
		}
		free(sub);
		/* Every --help says what 1 means for the command. */
		if (!names_command(status, cmd))
			fail_msg("EXIT STATUS says nothing of '%s':\n%s", cmd,
			         status);
	}
	/* An option standing in for a setting has the setting's default. */
	static const char *const keys[] = { "rate_hz", "calibrate_s",
		                            "fov_deg" };
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		for (size_t i = 0; i < hs_setting_count; i++) {
			const hs_setting *s = &hs_settings[i];
			char want[160];
			if (strcmp(s->key, keys[k]) != 0)
				continue;
			snprintf(want, sizeof want,
			         ".B [%s] \\%%%s\nsetting applies (built-in "
			         "default %s;",
			         s->section, s->key, s->default_text);
			if (!strstr(man, want))
				fail_msg("no '%s' under its option", want);
		}
	}
	/* The limits the commands check, as the page gives them. */
	char want[64];
	snprintf(want, sizeof want, "from 1 to %d", HS_REPORT_MAX_DAYS);
	assert_non_null(strstr(man, want));
	assert_true(HS_CONTROL_PAUSE_MAX_S == 7 * 24 * 3600);
	assert_non_null(strstr(man, "at most 7 days"));
	free(status);
	free(man);
}

/* Every variable the program reads with getenv() in src/ and shim/ is in
 * ENVIRONMENT. */
static void every_variable_read_is_in_environment(void **state)
{
	(void)state;
	char *man = man_page();
	char *env = part(man, ".SH ENVIRONMENT\n");
	assert_non_null(env);
	int found = 0;
	static const char *const dirs[] = { "src", "shim" };
	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s/%s", HS_SOURCE_DIR, dirs[d]);
		DIR *folder = opendir(dir);
		assert_non_null(folder);
		struct dirent *e;
		while ((e = readdir(folder)) != NULL) {
			const char *dot = strrchr(e->d_name, '.');
			if (!dot || (strcmp(dot, ".c") && strcmp(dot, ".cpp")))
				continue;
			char path[PATH_MAX + 256];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			FILE *f = fopen(path, "r");
			assert_non_null(f);
			char line[1024];
			while (fgets(line, sizeof line, f)) {
				const char *p = strstr(line, "getenv(\"");
				if (!p)
					continue;
				p += strlen("getenv(\"");
				char name[64];
				snprintf(name, sizeof name, "%.*s",
				         (int)strspn(p,
				                     "ABCDEFGHIJKLMNOPQRSTUVW"
				                     "XYZ0123456789_"),
				         p);
				found++;
				if (!strstr(env, name))
					fail_msg("%s reads $%s, which "
					         "ENVIRONMENT lacks",
					         e->d_name, name);
			}
			fclose(f);
		}
		closedir(folder);
	}
	assert_true(found >= 10);
	free(env);
	free(man);
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
	/* `headsup help COMMAND`, which --help names. */
	complete("he", out, sizeof out);
	assert_string_equal(out, "help\n");
	complete("help ca", out, sizeof out);
	assert_string_equal(out, "calibrate\ncameras\n");
	complete("help run \"\"", out, sizeof out);
	assert_string_equal(out, "\n");

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

	/* Every advice topic, once, and none for the whole page. */
	complete("advice \"\"", out, sizeof out);
	for (int t = 0; t < HS_ADVICE_COUNT; t++)
		if (!offers(out, hs_advice_get(t)->id))
			fail_msg("'advice' lacks '%s':\n%s",
			         hs_advice_get(t)->id, out);
	complete("advice --url \"\"", out, sizeof out);
	assert_true(offers(out, hs_advice_get(0)->id));
	complete("advice --html \"\"", out, sizeof out);
	assert_string_equal(out, "\n");
	complete("advice hunched \"\"", out, sizeof out);
	assert_string_equal(out, "\n");
}

/* Each command's options are those of the Options: section of its --help,
 * not every word with two dashes in its text. */
static void bash_offers_only_the_options_of_each_help(void **state)
{
	(void)state;
	if (hs_test_run("command -v bash >/dev/null 2>&1", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: bash is not installed\n");
		skip();
	}
	static char out[1 << 14];
	for (int i = 0; i < hs_command_count; i++) {
		help_option opts[16];
		const int n = help_options(hs_commands[i].name, opts, 16);
		char line[64];
		snprintf(line, sizeof line, "%s --", hs_commands[i].name);
		complete(line, out, sizeof out);
		int offered = 0;
		for (const char *p = out; (p = strchr(p, '\n')); p++)
			offered++;
		if (!offers(out, "--help") || offered != n + 1)
			fail_msg("'%s' offers %d options, --help lists %d "
			         "and --help:\n%s",
			         line, offered, n, out);
		for (int o = 0; o < n; o++)
			if (!offers(out, opts[o].name))
				fail_msg("'%s' lacks '%s':\n%s", line,
				         opts[o].name, out);
	}
	complete("cameras --", out, sizeof out);
	assert_string_equal(out, "--help\n");
	complete("--", out, sizeof out);
	assert_string_equal(out, "--verbose\n--quiet\n--help\n--version\n");
	/* A number or a time has nothing to offer. */
	complete("report --days \"\"", out, sizeof out);
	assert_string_equal(out, "\n");
	complete("analyze --fov \"\"", out, sizeof out);
	assert_string_equal(out, "\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_has_every_section_command_and_setting),
		cmocka_unit_test(
		        each_command_has_the_options_and_statuses_of_its_help),
		cmocka_unit_test(every_variable_read_is_in_environment),
		cmocka_unit_test(roff_escaping_keeps_text_literal),
		cmocka_unit_test(groff_renders_it_without_warnings),
		cmocka_unit_test(
		        bash_completes_commands_options_settings_and_topics),
		cmocka_unit_test(bash_offers_only_the_options_of_each_help),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* config.c - the settings table, the INI parser and the settings help. */
#include "headsup/config.h"

#include "headsup/doc.h"
#include "headsup/err.h"
#include "headsup/paths.h"
#include "headsup/text.h"
#include "headsup/typo.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- the table ------------------------------------------------------------ */

#define DEFAULT_TEXT_INT(def) #def
#define DEFAULT_TEXT_DOUBLE(def) #def
#define DEFAULT_TEXT_STRING(def) def

const hs_setting hs_settings[] = {
#define ROW(section, key, type, def, min, max, help) \
	{ #section,                                  \
	  #key,                                      \
	  HS_SETTING_##type,                         \
	  DEFAULT_TEXT_##type(def),                  \
	  (min),                                     \
	  (max),                                     \
	  help,                                      \
	  offsetof(hs_config, key) },
	HS_SETTINGS(ROW)
#undef ROW
};
const size_t hs_setting_count = sizeof hs_settings / sizeof hs_settings[0];

const hs_config hs_config_builtin = {
#define DEFAULT(section, key, type, def, min, max, help) .key = def,
	HS_SETTINGS(DEFAULT)
#undef DEFAULT
};

void hs_config_defaults(hs_config *cfg)
{
	*cfg = hs_config_builtin;
}

/* Settings whose text must be one of a few words. */
static const struct {
	const char *key;
	const char *const words[4];
} choices[] = {
	{ "notify", { "auto", "desktop", "terminal", NULL } },
};

/* Hysteresis pairs: a state is left below 'exit', entered at 'enter', so
 * exit must not be above enter or the state would flicker. */
static const struct {
	size_t enter, exit;
	const char *enter_key, *exit_key;
} hysteresis[] = {
	{ offsetof(hs_config, looking_down_enter_deg),
	  offsetof(hs_config, looking_down_exit_deg), "looking_down_enter_deg",
	  "looking_down_exit_deg" },
	{ offsetof(hs_config, hunched_drop_enter_iod),
	  offsetof(hs_config, hunched_drop_exit_iod), "hunched_drop_enter_iod",
	  "hunched_drop_exit_iod" },
	{ offsetof(hs_config, hunched_lean_enter),
	  offsetof(hs_config, hunched_lean_exit), "hunched_lean_enter",
	  "hunched_lean_exit" },
};

static double *double_field(hs_config *cfg, size_t offset)
{
	return (double *)(void *)((char *)cfg + offset);
}

static long *long_field(hs_config *cfg, size_t offset)
{
	return (long *)(void *)((char *)cfg + offset);
}

static char *string_field(hs_config *cfg, size_t offset)
{
	return (char *)cfg + offset;
}

static const hs_setting *find_setting(const char *section, const char *key)
{
	for (size_t i = 0; i < hs_setting_count; i++) {
		if ((!section ||
		     strcmp(hs_settings[i].section, section) == 0) &&
		    strcmp(hs_settings[i].key, key) == 0)
			return &hs_settings[i];
	}
	return NULL;
}

static bool known_section(const char *section)
{
	for (size_t i = 0; i < hs_setting_count; i++)
		if (strcmp(hs_settings[i].section, section) == 0)
			return true;
	return false;
}

/* "1 to 7200" for a numeric row. */
static void format_range(const hs_setting *s, char *buf, size_t size)
{
	snprintf(buf, size, "%g to %g", s->min, s->max);
}

/* Only plain decimal numbers: no hex, no "nan" or "inf", no spaces. */
static bool plain_number(const char *text, bool integer)
{
	if (!*text)
		return false;
	for (const char *p = text; *p; p++) {
		if ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-')
			continue;
		if (!integer && (*p == '.' || *p == 'e' || *p == 'E'))
			continue;
		return false;
	}
	return true;
}

int hs_config_number(const char *text, bool integer, double *out)
{
	if (!text || !plain_number(text, integer))
		return HS_EINVAL;
	char *end = NULL;
	errno = 0;
	double v;
	if (integer) {
		long n = strtol(text, &end, 10);
		/* exact as a double, so it converts back to a long */
		if (n > (1L << 53) || n < -(1L << 53))
			errno = ERANGE;
		v = (double)n;
	} else {
		v = strtod(text, &end);
	}
	if (end == text || *end)
		return HS_EINVAL;
	if (errno == ERANGE || !isfinite(v))
		return HS_ERANGE;
	*out = v;
	return 0;
}

/* Convert text for setting s and store it in cfg.  On failure write what
 * is wrong (without position) into why. */
static int assign(hs_config *cfg, const hs_setting *s, const char *text,
                  char *why, size_t whysize)
{
	char range[64];
	format_range(s, range, sizeof range);
	switch (s->type) {
	case HS_SETTING_INT: {
		double number = 0;
		const int rc = hs_config_number(text, true, &number);
		if (rc < 0) {
			hs_say(why, whysize, "%s.%s: '%s' is %s (allowed: %s)",
			       s->section, s->key, text,
			       rc == HS_ERANGE ? "out of range"
			                       : "not a whole number",
			       range);
			return HS_ECONFIG;
		}
		const long v = (long)number;
		if (number < s->min || number > s->max) {
			hs_say(why, whysize,
			       "%s.%s: %ld is out of range (allowed: %s)",
			       s->section, s->key, v, range);
			return HS_ECONFIG;
		}
		*long_field(cfg, s->offset) = v;
		return 0;
	}
	case HS_SETTING_DOUBLE: {
		double v = 0;
		const int rc = hs_config_number(text, false, &v);
		if (rc < 0) {
			hs_say(why, whysize, "%s.%s: '%s' is %s (allowed: %s)",
			       s->section, s->key, text,
			       rc == HS_ERANGE ? "out of range"
			                       : "not a number",
			       range);
			return HS_ECONFIG;
		}
		if (v < s->min || v > s->max) {
			hs_say(why, whysize,
			       "%s.%s: %s is out of range (allowed: %s)",
			       s->section, s->key, text, range);
			return HS_ECONFIG;
		}
		*double_field(cfg, s->offset) = v;
		return 0;
	}
	case HS_SETTING_STRING: {
		size_t len = strlen(text);
		if (len >= HS_CONFIG_STR_MAX) {
			hs_say(why, whysize,
			       "%s.%s: value is %zu bytes long (allowed: at "
			       "most "
			       "%d)",
			       s->section, s->key, len, HS_CONFIG_STR_MAX - 1);
			return HS_ECONFIG;
		}
		for (size_t i = 0; i < sizeof choices / sizeof choices[0];
		     i++) {
			if (strcmp(choices[i].key, s->key) != 0)
				continue;
			bool ok = false;
			for (const char *const *w = choices[i].words; *w; w++)
				ok = ok || strcmp(*w, text) == 0;
			if (!ok) {
				hs_say(why, whysize,
				       "%s.%s: '%s' is not allowed (allowed: "
				       "%s, "
				       "%s or %s)",
				       s->section, s->key, text,
				       choices[i].words[0], choices[i].words[1],
				       choices[i].words[2]);
				return HS_ECONFIG;
			}
		}
		memcpy(string_field(cfg, s->offset), text, len + 1);
		return 0;
	}
	}
	return HS_EINVAL;
}

/* Which hysteresis pair is broken, or -1. */
static int broken_pair(hs_config *cfg)
{
	for (size_t i = 0; i < sizeof hysteresis / sizeof hysteresis[0]; i++) {
		if (*double_field(cfg, hysteresis[i].exit) >
		    *double_field(cfg, hysteresis[i].enter))
			return (int)i;
	}
	return -1;
}

static void say_pair(hs_config *cfg, int pair, const char *prefix, char *err,
                     size_t errsize)
{
	hs_say(err, errsize,
	       "%sposture.%s = %g is above posture.%s = %g; "
	       "a state must be left below the value that enters it",
	       prefix, hysteresis[pair].exit_key,
	       *double_field(cfg, hysteresis[pair].exit),
	       hysteresis[pair].enter_key,
	       *double_field(cfg, hysteresis[pair].enter));
}

int hs_config_check(const hs_config *cfg, char *err, size_t errsize)
{
	hs_config copy = *cfg;
	int pair = broken_pair(&copy);
	if (pair < 0)
		return 0;
	say_pair(&copy, pair, "", err, errsize);
	return HS_ECONFIG;
}

/* --- the INI parser ------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

char *hs_config_trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Cut a comment off: '#' or ';' at the start of the line or after a space,
 * outside double quotes.  A '#' inside a word ("clip#2.avi") is kept. */
static void cut_comment(char *line)
{
	bool quoted = false;
	for (char *p = line; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '#' || *p == ';') &&
		         (p == line || is_space(p[-1]))) {
			*p = '\0';
			return;
		}
	}
}

/* Comma-separated list of the known sections, or of the keys in one. */
static void list_names(const char *section, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < hs_setting_count; i++) {
		const hs_setting *s = &hs_settings[i];
		const char *name = section ? s->key : s->section;
		if (section && strcmp(s->section, section) != 0)
			continue;
		if (!section && i > 0 &&
		    strcmp(hs_settings[i - 1].section, s->section) == 0)
			continue;
		int n = snprintf(buf + used, size - used, "%s%s",
		                 used ? ", " : "", name);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}

/* Take the double quotes off a value ("a b" is a b); false when only one
 * end has one. */
static bool unquote(char **value)
{
	char *v = *value;
	const size_t n = strlen(v);
	if (n == 0 || v[0] != '"')
		return true;
	if (n < 2 || v[n - 1] != '"')
		return false;
	v[n - 1] = '\0';
	*value = v + 1;
	return true;
}

static const char *key_at(size_t i)
{
	return hs_settings[i].key;
}

/* One "key = value" line inside [section]. */
static int parse_assignment(hs_config *cfg, const char *section, char *line,
                            const char *where, char *err, size_t errsize,
                            unsigned *set_line, unsigned lineno)
{
	char *eq = strchr(line, '=');
	if (!eq) {
		hs_say(err, errsize,
		       "%s: expected 'key = value' or '[section]', got '%s'",
		       where, line);
		return HS_ECONFIG;
	}
	*eq = '\0';
	char *key = hs_config_trim(line);
	char *value = hs_config_trim(eq + 1);
	if (!*key) {
		hs_say(err, errsize, "%s: missing key before '='", where);
		return HS_ECONFIG;
	}
	const hs_setting *s = section ? find_setting(section, key) : NULL;
	if (!s) {
		const hs_setting *elsewhere = find_setting(NULL, key);
		if (!section && elsewhere)
			hs_say(err, errsize,
			       "%s: '%s' is outside any section; put it under "
			       "[%s]",
			       where, key, elsewhere->section);
		else if (!section)
			hs_say(err, errsize,
			       "%s: unknown key '%s' outside any section",
			       where, key);
		else if (elsewhere)
			hs_say(err, errsize,
			       "%s: unknown key '%s' in [%s]; it belongs in "
			       "[%s]",
			       where, key, section, elsewhere->section);
		else {
			char names[512];
			list_names(section, names, sizeof names);
			hs_say(err, errsize,
			       "%s: unknown key '%s' in [%s] (known: %s)",
			       where, key, section, names);
		}
		return HS_ECONFIG;
	}
	/* A second line for the same key is a mistake, not an override:
	 * which of the two the user meant cannot be told. */
	const unsigned first = set_line[s - hs_settings];
	if (first) {
		hs_say(err, errsize,
		       "%s: [%s] %s is already set at line %u; keep only one "
		       "of "
		       "the two",
		       where, s->section, s->key, first);
		return HS_ECONFIG;
	}
	if (!unquote(&value)) {
		hs_say(err, errsize, "%s: %s.%s: unmatched '\"' in value",
		       where, s->section, s->key);
		return HS_ECONFIG;
	}
	char why[HS_WHY_MAX];
	int rc = assign(cfg, s, value, why, sizeof why);
	if (rc < 0) {
		hs_say(err, errsize, "%s: %s", where, why);
		return rc;
	}
	set_line[s - hs_settings] = lineno;
	return 0;
}

/* A "[section]" line; the section name is copied into section. */
static int parse_section(char *line, char *section, size_t size,
                         const char *where, char *err, size_t errsize)
{
	char *close = strchr(line, ']');
	if (!close || *hs_config_trim(close + 1)) {
		hs_say(err, errsize, "%s: expected '[section]', got '%s'",
		       where, line);
		return HS_ECONFIG;
	}
	*close = '\0';
	char *name = hs_config_trim(line + 1);
	if (!known_section(name)) {
		char names[256];
		list_names(NULL, names, sizeof names);
		hs_say(err, errsize, "%s: unknown section [%s] (known: %s)",
		       where, name, names);
		return HS_ECONFIG;
	}
	snprintf(section, size, "%s", name);
	return 0;
}

/* The longest line a settings file may have: room for the longest value
 * with its key, comment and spaces.  A file with no line end at all
 * (/dev/zero, say) is not read into memory whole. */
#define LINE_MAX_BYTES (HS_CONFIG_STR_MAX + 1024)

/* One line of in into line (LINE_MAX_BYTES + 1 bytes), newline kept; its
 * length, 0 at the end of the file, -1 when it is longer than
 * LINE_MAX_BYTES.  *nul: whether it holds a NUL byte. */
static long read_line(FILE *in, char *line, bool *nul)
{
	long n = 0;
	int ch;
	*nul = false;
	while ((ch = getc(in)) != EOF) {
		if (n == LINE_MAX_BYTES)
			return -1;
		*nul |= ch == '\0';
		line[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	line[n] = '\0';
	return n;
}

int hs_config_parse(hs_config *cfg, FILE *in, const char *name, char *err,
                    size_t errsize)
{
	hs_config *work = malloc(sizeof *work);
	unsigned *set_line = calloc(hs_setting_count, sizeof *set_line);
	char *line = malloc(LINE_MAX_BYTES + 1);
	int rc = HS_ENOMEM;
	if (!work || !set_line || !line)
		goto cleanup;
	*work = *cfg;

	char section[64] = "";
	char where[PATH_MAX + 32];
	unsigned lineno = 0;
	long len;
	bool nul;
	errno = 0;
	while ((len = read_line(in, line, &nul)) != 0) {
		lineno++;
		snprintf(where, sizeof where, "%s:%u", name, lineno);
		if (len < 0) {
			hs_say(err, errsize,
			       "%s: line is longer than %d bytes; is this a "
			       "settings file?",
			       where, LINE_MAX_BYTES);
			rc = HS_ECONFIG;
			goto cleanup;
		}
		if (nul) {
			hs_say(err, errsize, "%s: line holds a NUL byte",
			       where);
			rc = HS_ECONFIG;
			goto cleanup;
		}
		char *start = line;
		/* A byte-order mark that some editors put before the first
		 * line is not text. */
		if (lineno == 1 && strncmp(start, "\xEF\xBB\xBF", 3) == 0)
			start += 3;
		cut_comment(start);
		char *text = hs_config_trim(start);
		if (!*text)
			continue;
		if (text[0] == '[')
			rc = parse_section(text, section, sizeof section, where,
			                   err, errsize);
		else
			rc = parse_assignment(work, section[0] ? section : NULL,
			                      text, where, err, errsize,
			                      set_line, lineno);
		if (rc < 0)
			goto cleanup;
	}
	if (ferror(in)) {
		hs_say(err, errsize, "%s: cannot read: %s", name,
		       strerror(errno));
		rc = HS_ECONFIG;
		goto cleanup;
	}

	int pair = broken_pair(work);
	if (pair >= 0) {
		/* Point at the later of the two lines that set the pair; if
		 * neither was in this file, at the file. */
		unsigned at = 0;
		const hs_setting *e =
		        find_setting("posture", hysteresis[pair].enter_key);
		const hs_setting *x =
		        find_setting("posture", hysteresis[pair].exit_key);
		if (e && set_line[e - hs_settings] > at)
			at = set_line[e - hs_settings];
		if (x && set_line[x - hs_settings] > at)
			at = set_line[x - hs_settings];
		if (at)
			snprintf(where, sizeof where, "%s:%u: ", name, at);
		else
			snprintf(where, sizeof where, "%s: ", name);
		say_pair(work, pair, where, err, errsize);
		rc = HS_ECONFIG;
		goto cleanup;
	}
	*cfg = *work;
	rc = 0;
cleanup:
	if (rc == HS_ENOMEM)
		hs_say(err, errsize, "%s: out of memory", name);
	free(line);
	free(set_line);
	free(work);
	return rc;
}

int hs_config_set(hs_config *cfg, const char *key, const char *value, char *err,
                  size_t errsize)
{
	char section[64] = "";
	const char *name = key;
	const char *dot = strchr(key, '.');
	if (dot) {
		size_t n = (size_t)(dot - key);
		if (n >= sizeof section) {
			hs_say(err, errsize, "unknown setting '%s'", key);
			return HS_ECONFIG;
		}
		memcpy(section, key, n);
		section[n] = '\0';
		name = dot + 1;
	}
	const hs_setting *s = find_setting(dot ? section : NULL, name);
	if (!s) {
		const hs_setting *elsewhere = find_setting(NULL, name);
		const char *near =
		        hs_typo_nearest(name, key_at, hs_setting_count);
		if (dot && elsewhere)
			hs_say(err, errsize,
			       "unknown setting '%s': %s is in [%s] ('%s.%s', "
			       "or "
			       "just '%s')",
			       key, name, elsewhere->section,
			       elsewhere->section, name, name);
		else if (near)
			hs_say(err, errsize,
			       "unknown setting '%s'; did you mean '%s'? ('run "
			       "--help' lists the settings)",
			       key, near);
		else
			hs_say(err, errsize,
			       "unknown setting '%s' ('run --help' lists the "
			       "settings)",
			       key);
		return HS_ECONFIG;
	}
	return assign(cfg, s, value, err, errsize);
}

char *hs_config_value_as_in_file(char *text)
{
	cut_comment(text);
	char *v = hs_config_trim(text);
	return unquote(&v) ? v : NULL;
}

int hs_config_load(hs_config *cfg, const char *path, char *err, size_t errsize)
{
	char found[PATH_MAX];
	if (!path) {
		int rc = hs_path_xdg(HS_XDG_CONFIG, "config.ini", found,
		                     sizeof found);
		if (rc == HS_ERANGE) {
			/* the user's settings are somewhere: not the defaults
			 */
			hs_say(err, errsize, "cannot find the settings: %s",
			       hs_path_xdg_advice(HS_XDG_CONFIG, rc));
			return HS_ECONFIG;
		}
		if (rc < 0) {
			/* No $XDG_CONFIG_HOME nor $HOME: nothing to read. */
			hs_config_defaults(cfg);
			return 0;
		}
	}
	FILE *in = hs_path_open_file(path ? path : found);
	if (!in) {
		struct stat link;
		char to[PATH_MAX];
		ssize_t n;
		/* A link to nothing is a file the user means to have (one
		 * kept with their dotfiles, moved): not "no settings". */
		if (!path && errno == ENOENT && lstat(found, &link) == 0 &&
		    S_ISLNK(link.st_mode) &&
		    (n = readlink(found, to, sizeof to - 1)) >= 0) {
			to[n] = '\0';
			hs_say(err, errsize,
			       "cannot open config '%s': it links to '%s', "
			       "which "
			       "is not there",
			       found, to);
			return HS_ECONFIG;
		}
		if (!path && errno == ENOENT) {
			hs_config_defaults(cfg);
			return 0;
		}
		hs_say(err, errsize, "cannot open config '%s': %s",
		       path ? path : found, hs_path_open_error(errno));
		return HS_ECONFIG;
	}
	hs_config fresh;
	hs_config_defaults(&fresh);
	int rc = hs_config_parse(&fresh, in, path ? path : found, err, errsize);
	fclose(in);
	if (rc == 0)
		*cfg = fresh;
	return rc;
}

/* --- help and man page ------------------------------------------------------
 */

static void describe_range(const hs_setting *s, char *buf, size_t size)
{
	if (s->type == HS_SETTING_STRING) {
		for (size_t i = 0; i < sizeof choices / sizeof choices[0];
		     i++) {
			if (strcmp(choices[i].key, s->key) == 0) {
				snprintf(buf, size, "%s, %s or %s",
				         choices[i].words[0],
				         choices[i].words[1],
				         choices[i].words[2]);
				return;
			}
		}
		snprintf(buf, size, "text");
		return;
	}
	snprintf(buf, size, "%s%g to %g",
	         s->type == HS_SETTING_INT ? "whole, " : "", s->min, s->max);
}

bool hs_setting_at_start(const hs_setting *s)
{
	/* The frame source and the camera opened with it, the models and
	 * the camera model built from the field of view, and the notifier:
	 * all made once, when the monitor starts. */
	static const char *const keys[] = { "source",       "camera_fps",
		                            "camera_width", "camera_height",
		                            "fov_deg",      "model",
		                            "notify" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(s->key, keys[i]) == 0)
			return true;
	return false;
}

void hs_config_keep_start(hs_config *cfg, const hs_config *old, char *names,
                          size_t size)
{
	names[0] = '\0';
	for (size_t i = 0; i < hs_setting_count; i++) {
		const hs_setting *s = &hs_settings[i];
		if (!hs_setting_at_start(s))
			continue;
		char *now = (char *)cfg + s->offset;
		const char *was = (const char *)old + s->offset;
		const size_t n = s->type == HS_SETTING_INT ? sizeof(long)
		                 : s->type == HS_SETTING_DOUBLE
		                         ? sizeof(double)
		                         : strlen(was) + 1;
		if (memcmp(now, was, n) == 0)
			continue;
		memcpy(now, was, n);
		const size_t used = strlen(names);
		snprintf(names + used, size - used, "%s[%s] %s",
		         used ? ", " : "", s->section, s->key);
	}
}

/* A setting's help, and when it is read if only at start-up. */
static void help_text(const hs_setting *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", s->help,
	         hs_setting_at_start(s) ? "; read when the monitor starts "
	                                  "(a reload keeps the old value)"
	                                : "");
}

void hs_config_print_help(FILE *out)
{
	fputs("Settings (config.ini sections and keys; default, allowed "
	      "range):\n",
	      out);
	const char *section = "";
	for (size_t i = 0; i < hs_setting_count; i++) {
		const hs_setting *s = &hs_settings[i];
		if (strcmp(section, s->section) != 0) {
			section = s->section;
			fprintf(out, "  [%s]\n", section);
		}
		char head[128], range[64];
		if (s->type == HS_SETTING_STRING)
			snprintf(head, sizeof head, "%s = \"%s\"", s->key,
			         s->default_text);
		else
			snprintf(head, sizeof head, "%s = %s", s->key,
			         s->default_text);
		describe_range(s, range, sizeof range);
		fprintf(out, "    %-34s (%s)\n", head, range);
		char help[512];
		help_text(s, help, sizeof help);
		hs_text_wrap(out, help, strlen(help), 8, 78);
	}
}

void hs_config_print_man(FILE *out)
{
	const char *section = "";
	for (size_t i = 0; i < hs_setting_count; i++) {
		const hs_setting *s = &hs_settings[i];
		if (strcmp(section, s->section) != 0) {
			section = s->section;
			fprintf(out, ".SS [%s]\n", section);
		}
		char range[64];
		describe_range(s, range, sizeof range);
		fprintf(out, ".TP\n.BR %s \" = ", s->key);
		if (s->type == HS_SETTING_STRING)
			fputs("\\(dq", out);
		hs_doc_roff(out, s->default_text, false);
		if (s->type == HS_SETTING_STRING)
			fputs("\\(dq", out);
		fprintf(out, " (%s)\"\n", range);
		char help[512];
		help_text(s, help, sizeof help);
		hs_doc_roff(out, help, false);
		fputc('\n', out);
	}
}

/* cmd_report.c - `headsup report`: summarise days of the posture journal
 * as text, HTML or JSON. */
#include "headsup/advice.h"
#include "headsup/cli.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/err.h"
#include "headsup/journal.h"
#include "headsup/log.h"
#include "headsup/paths.h"
#include "headsup/report.h"
#include "headsup/text.h"
#include "headsup/timeparse.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef enum report_format {
	FORMAT_TEXT,
	FORMAT_HTML,
	FORMAT_JSON
} report_format;

static void print_help(FILE *out)
{
	fprintf(out,
	        "Usage: headsup report [--date today|yesterday|YYYY-MM-DD] "
	        "[--days N]\n"
	        "         [--format text|html|json] [--output FILE] [--journal "
	        "FILE]\n"
	        "Summarise the posture journal: time monitored and upright, "
	        "time looking down,\n"
	        "hunched and away, alerts, the longest stretches, the worst "
	        "hour, "
	        "hour-by-hour\n"
	        "bars, the change against the previous 7 days, an estimated "
	        "neck "
	        "load and the\n"
	        "advice that matters most.  Times are local.\n\n"
	        "Options:\n"
	        "  --date D      the (last) day to report: today (default), "
	        "yesterday or\n"
	        "                YYYY-MM-DD\n"
	        "  --days N      cover the N days ending at --date (1-%d, "
	        "default 1)\n"
	        "  --format F    text (default, fits 80 columns), html (one "
	        "self-contained\n"
	        "                page with charts) or json (stable keys, "
	        "listed in the\n"
	        "                README, installed in share/doc/headsup)\n"
	        "  --output FILE write to FILE instead of standard output; "
	        "without --format,\n"
	        "                a name ending in .html, .htm or .json picks "
	        "that format;\n"
	        "                the file is made private to you (0600)\n"
	        "  --journal FILE\n"
	        "                read this journal (it must exist) instead "
	        "of\n"
	        "                $XDG_DATA_HOME/headsup/journal.db; a report "
	        "only reads\n"
	        "                it (but upgrades an older headsup's "
	        "journal)\n"
	        "  -h, --help    show this help and exit\n\n"
	        "Exit status: 0 report written (also when the days have no "
	        "data), 1 the\n"
	        "journal or the output file cannot be read or written, 2 usage "
	        "error,\n"
	        "or a journal that is not one headsup reads (another "
	        "program's, a\n"
	        "newer headsup's, a folder; with --journal, also one missing "
	        "or\n"
	        "damaged), or an --output through another user's link or of "
	        "another\n"
	        "user.\n\n",
	        HS_REPORT_MAX_DAYS);
	fputs(hs_disclaimer, out);
}

static int parse_days(const char *text, int *days)
{
	double v = 0;
	if (hs_config_number(text, true, &v) < 0 || v < 1 ||
	    v > HS_REPORT_MAX_DAYS)
		return HS_EINVAL;
	*days = (int)v;
	return 0;
}

/* The format a file name asks for by its ending (.html, .htm, .json, in
 * any case), or text. */
static report_format format_of_name(const char *name)
{
	static const char *const html[] = { ".html", ".htm" };
	static const char *const json[] = { ".json" };
	if (hs_path_has_ext(name, html, sizeof html / sizeof html[0]))
		return FORMAT_HTML;
	if (hs_path_has_ext(name, json, sizeof json / sizeof json[0]))
		return FORMAT_JSON;
	return FORMAT_TEXT;
}

/* Is output (followed through links) the journal, or its write-ahead log?
 * Writing the report there would destroy the days it reports on. */
static bool is_journal_file(const char *output, const char *journal)
{
	struct stat o, j;
	if (stat(output, &o) != 0)
		return false;
	static const char *const ends[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		char name[PATH_MAX + 8];
		snprintf(name, sizeof name, "%s%s", journal, ends[i]);
		if (stat(name, &j) == 0 && j.st_dev == o.st_dev &&
		    j.st_ino == o.st_ino)
			return true;
	}
	return false;
}

/* The planted link found on the way to output (see
 * hs_path_check_links()), said. */
static void say_planted_link(const char *output, const char *link, unsigned uid)
{
	char owner[96];
	hs_error(
	        "--output '%s': '%s' is a symbolic link of %s in a folder "
	        "others may write; it could lead anywhere (to a file of yours, "
	        "which the report would replace), so it was not followed: "
	        "give another path",
	        output, link, hs_path_user_name(uid, owner, sizeof owner));
}

/* Is output reached through a link another user may have put in a folder
 * open to others, to have the report replace a file of the user's (their
 * ~/.bashrc)?  Said, with true. */
static bool through_planted_link(const char *output)
{
	char link[PATH_MAX];
	unsigned uid = 0;
	if (hs_path_check_links(output, link, sizeof link, &uid) !=
	    HS_ENOTOWNER)
		return false;
	say_planted_link(output, link, uid);
	return true;
}

/* Write the report to output, or standard output when NULL.  A file is
 * replaced by hs_path_replace_begin(), so a failed write (a full disk)
 * leaves the old report whole, and the report is private (0600) whatever
 * the old file's mode: it tells how its reader sat all day.  Devices and
 * pipes (/dev/stdout, a FIFO), a link to a file not made yet, and a file
 * in a folder where no new file may be made are written in place; a file
 * there of another user's is refused. */
static int write_report(const hs_report *r, report_format format,
                        const char *output)
{
	FILE *out = stdout;
	hs_replace file;
	if (output) {
		errno = 0;
		const int rc = hs_path_replace_begin(&file, output,
		                                     HS_REPLACE_IN_PLACE);
		if (rc == HS_ENOTOWNER && file.link[0]) {
			say_planted_link(output, file.link, file.owner);
			return HS_EXIT_USAGE;
		}
		if (rc == HS_ENOTOWNER) {
			char owner[96];
			hs_error("report '%s' belongs to %s, not to you: they "
			         "could read it, so it was left as it is; give "
			         "another path",
			         output,
			         hs_path_user_name(file.owner, owner,
			                           sizeof owner));
			return HS_EXIT_USAGE;
		}
		if (rc < 0) {
			hs_error("cannot write report '%s': %s", output,
			         errno ? strerror(errno) : hs_strerror(rc));
			return HS_EXIT_FAILURE;
		}
		out = file.f;
	}
	/* on a terminal, its width, up to a file's */
	const int width = output ? HS_REPORT_TEXT_WIDTH : hs_text_width();
	errno = 0;
	int rc = format == FORMAT_HTML ? hs_report_write_html(r, out)
	         : format == FORMAT_JSON
	                 ? hs_report_write_json(r, out)
	                 : hs_report_write_text_in(
	                           r, out, hs_report_locale_charset(),
	                           width < HS_REPORT_TEXT_WIDTH
	                                   ? width
	                                   : HS_REPORT_TEXT_WIDTH);
	int saved = errno;
	if (output) {
		if (rc < 0) {
			hs_path_replace_abort(&file);
		} else {
			rc = hs_path_replace_commit(&file);
			saved = errno;
		}
	} else if (fflush(out) != 0 && rc == 0) {
		rc = HS_EIO;
		saved = errno;
	}
	if (rc < 0 && !output) {
		/* said as any command's output that fails, and once */
		errno = saved;
		(void)hs_cli_stdout_ok();
		return HS_EXIT_FAILURE;
	}
	if (rc < 0) {
		hs_error("cannot write report '%s': %s", output,
		         saved ? strerror(saved) : hs_strerror(rc));
		return HS_EXIT_FAILURE;
	}
	return HS_EXIT_OK;
}

/* A journal that cannot be read as a database: the default one is moved
 * aside by the next `run`; one the user named is theirs, and `run` leaves
 * it alone too.  opened: it was opened as a headsup journal, and is
 * damaged further in; else it may be no database at all. */
static void say_corrupt(const char *path, bool named, bool opened)
{
	if (named && opened)
		hs_error("journal '%s' is damaged and cannot be read; it was "
		         "left as it is",
		         path);
	else if (named && hs_journal_file_kind(path) == HS_JOURNAL_FILE_SQLITE)
		hs_error("'%s' is a damaged database (a journal cut short?) "
		         "and cannot be read; it was left as it is",
		         path);
	else if (named)
		hs_error("'%s' is not a headsup journal (nor any readable "
		         "database): give the path of a journal",
		         path);
	else
		hs_error("journal '%s' is corrupt; the next 'headsup run' "
		         "moves it aside and starts a new one",
		         path);
}

int hs_cmd_report(int argc, char **argv)
{
	enum {
		OPT_DATE = 256,
		OPT_DAYS,
		OPT_FORMAT,
		OPT_OUTPUT,
		OPT_JOURNAL
	};
	static const struct option opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "days", required_argument, NULL, OPT_DAYS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *date_text = "today", *output = NULL, *journal = NULL;
	int days = 1;
	report_format format = FORMAT_TEXT;
	bool format_given = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DATE:
			date_text = optarg;
			break;
		case OPT_DAYS:
			if (parse_days(optarg, &days) < 0)
				return hs_cli_usage_error(
				        "report",
				        "invalid --days '%s': give a whole "
				        "number from 1 to %d",
				        optarg, HS_REPORT_MAX_DAYS);
			break;
		case OPT_FORMAT:
			format_given = true;
			if (strcmp(optarg, "text") == 0)
				format = FORMAT_TEXT;
			else if (strcmp(optarg, "html") == 0)
				format = FORMAT_HTML;
			else if (strcmp(optarg, "json") == 0)
				format = FORMAT_JSON;
			else
				return hs_cli_usage_error(
				        "report",
				        "invalid --format '%s': use text, "
				        "html or json",
				        optarg);
			break;
		case OPT_OUTPUT:
			output = optarg;
			break;
		case OPT_JOURNAL:
			journal = optarg;
			break;
		case 'h':
			print_help(stdout);
			return HS_EXIT_OK;
		case ':':
			return hs_cli_usage_error("report",
			                          "option '%s' needs a value",
			                          argv[optind - 1]);
		default:
			return hs_cli_bad_option("report", argv, opts);
		}
	}
	if (optind < argc)
		return hs_cli_usage_error("report", "unexpected argument '%s'",
		                          argv[optind]);
	/* An empty or over-long name names no file, as in `run`. */
	const int unusable = hs_cli_check_paths("report", "--output", output,
	                                        "--journal", journal, NULL);
	if (unusable)
		return unusable;
	if (output && !format_given)
		format = format_of_name(output);

	hs_date date;
	if (hs_date_parse(date_text, hs_clock_wall(), &date) < 0)
		return hs_cli_usage_error(
		        "report",
		        "invalid --date '%s': use today, yesterday or a real "
		        "day from 1970 on as YYYY-MM-DD",
		        date_text);
	if (!hs_date_exists(date)) {
		char day[16];
		hs_date_format(date, day, sizeof day);
		return hs_cli_usage_error("report",
		                          "there was no %s in this time zone: "
		                          "its clocks skipped that day",
		                          day);
	}

	char path[PATH_MAX];
	int rc;
	if (journal) {
		snprintf(path, sizeof path, "%s", journal);
	} else if ((rc = hs_journal_default_path(path, sizeof path)) < 0) {
		hs_error("cannot find the journal: %s%s",
		         hs_path_xdg_advice(HS_XDG_DATA, rc),
		         rc == HS_ERANGE ? "; use --journal FILE" : "");
		return HS_EXIT_FAILURE;
	}
	if (output && through_planted_link(output))
		return HS_EXIT_USAGE;
	if (output && is_journal_file(output, path))
		return hs_cli_usage_error(
		        "report",
		        "--output '%s' is the journal the report is made from; "
		        "writing there would erase it: choose another file",
		        output);
	hs_journal *j = NULL;
	rc = hs_journal_open_existing(path, &j);
	if (rc == HS_ENOENT && journal && access(path, F_OK) != 0) {
		/* A journal the user named must be there: a typo is not an
		 * empty day. */
		hs_error("no journal at '%s'", path);
		return HS_EXIT_USAGE;
	} else if (rc == HS_ENOENT) {
		hs_info("no journal at '%s' yet", path);
	} else if (rc == HS_ECORRUPT) {
		say_corrupt(path, journal != NULL, false);
		return journal ? HS_EXIT_USAGE : HS_EXIT_FAILURE;
	} else if (rc == HS_EFORMAT || rc == HS_EISDIR || rc == HS_ENOTFILE) {
		/* Not a journal this headsup reads: as for `run`, the
		 * setting (or the folder) is the user's to change. */
		return HS_EXIT_USAGE;
	} else if (rc < 0) {
		return HS_EXIT_FAILURE; /* the journal said why */
	}

	hs_report report;
	rc = hs_report_load(j, date, days, &report);
	hs_journal_close(j);
	if (rc == HS_ECORRUPT) { /* damaged past what opening it reads */
		say_corrupt(path, journal != NULL, true);
		return journal ? HS_EXIT_USAGE : HS_EXIT_FAILURE;
	}
	if (rc < 0) {
		hs_error("cannot build the report from '%s': %s", path,
		         hs_strerror(rc));
		return HS_EXIT_FAILURE;
	}
	hs_advice_check_page("the report links");
	int status = write_report(&report, format, output);
	hs_report_finish(&report);
	return status;
}

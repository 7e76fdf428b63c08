/* cmd_advice.c - `headsup advice [TOPIC]`: the posture advice on the
 * terminal, as the HTML page, or as the URL a notification links to.
 */
#include "headsup/advice.h"
#include "headsup/cli.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/text.h"

#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_help(FILE *out)
{
	fputs("Usage: headsup advice [--html | --url] [TOPIC]\n"
	      "Print the posture advice headsup's reminders link to: every "
	      "topic,\n"
	      "or the one named.\n\n"
	      "Topics:\n",
	      out);
	for (int i = 0; i < HS_ADVICE_COUNT; i++) {
		const hs_advice *a = hs_advice_get((hs_advice_topic)i);
		fprintf(out, "  %-13s %s\n", a->id, a->title);
	}
	fputs("\nOptions:\n"
	      "      --html  write the whole advice page as HTML to standard "
	      "output\n"
	      "      --url   print the file:// URL of the advice page (at "
	      "TOPIC)\n"
	      "  -h, --help  show this help and exit\n\n"
	      "The text is wrapped to the terminal width ($COLUMNS when "
	      "set), less\nits last column, between 20 and 100 columns.\n\n"
	      "Exit status: 0 success, 1 the advice page is not installed "
	      "(--url)\n"
	      "or output failed, 2 unknown topic or usage error.\n\n",
	      out);
	fprintf(out,
	        "The advice is written in our own words from the "
	        "article\n\"%s\".\n\n",
	        hs_advice_source_title);
	fputs(hs_disclaimer, out);
}

static void list_topics(FILE *out)
{
	fputs("Topics:", out);
	for (int i = 0; i < HS_ADVICE_COUNT; i++)
		fprintf(out, " %s", hs_advice_get((hs_advice_topic)i)->id);
	fputc('\n', out);
}

static int print_url(hs_advice_topic topic)
{
	char url[8192];
	int rc = hs_advice_url(topic, url, sizeof url);
	if (rc == HS_ENOENT) {
		fprintf(stderr,
		        "headsup: the advice page is not installed; expected "
		        "'%s'\n",
		        url);
		return HS_EXIT_FAILURE;
	}
	if (rc < 0) {
		fprintf(stderr, "headsup: cannot make the advice URL: %s\n",
		        hs_strerror(rc));
		return HS_EXIT_FAILURE;
	}
	printf("%s\n", url);
	return HS_EXIT_OK;
}

int hs_cmd_advice(int argc, char **argv)
{
	enum {
		OPT_HTML = 256,
		OPT_URL
	};
	static const struct option opts[] = {
		{ "html", no_argument, NULL, OPT_HTML },
		{ "url", no_argument, NULL, OPT_URL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool html = false, url = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_HTML:
			html = true;
			break;
		case OPT_URL:
			url = true;
			break;
		case 'h':
			print_help(stdout);
			return HS_EXIT_OK;
		default:
			return hs_cli_bad_option("advice", argv, opts);
		}
	}
	if (html && url)
		return hs_cli_usage_error(
		        "advice", "--html and --url exclude each other");
	if (argc - optind > 1)
		return hs_cli_usage_error("advice",
		                          "one topic at most, got '%s' too",
		                          argv[optind + 1]);
	int topic = -1;
	if (optind < argc) {
		topic = hs_advice_from_id(argv[optind]);
		if (topic < 0) {
			fprintf(stderr, "headsup: unknown advice topic '%s'\n",
			        argv[optind]);
			list_topics(stderr);
			return HS_EXIT_USAGE;
		}
		if (html)
			return hs_cli_usage_error(
			        "advice",
			        "--html writes the whole page; give no topic");
	}

	int rc;
	if (url)
		return print_url(topic < 0 ? HS_ADVICE_COUNT
		                           : (hs_advice_topic)topic);
	errno = 0;
	if (html)
		rc = hs_advice_write_html(stdout);
	else
		rc = hs_advice_print(stdout, topic, hs_text_width());
	/* The writers fail with the stream's errno (a full disk, a closed
	 * pipe) still set, which this says. */
	if (!hs_cli_stdout_ok())
		return HS_EXIT_FAILURE;
	if (rc < 0) {
		hs_error("cannot write the advice: %s", hs_strerror(rc));
		return HS_EXIT_FAILURE;
	}
	return HS_EXIT_OK;
}

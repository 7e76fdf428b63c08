/* advice.c - the posture advice: its text, the HTML page and the terminal
 * form.
 *
 * The advice is written in our own words from the article "Treatment of
 * Upper Back Spasms" (shared/article/upper-back-spasms.txt).  Bodies are
 * plain ASCII paragraphs separated by blank lines, so the terminal and the
 * HTML page render the same text.
 */
#include "headsup/advice.h"
#include "headsup/text.h"
#include "headsup/html.h"

#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/paths.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char hs_advice_source_title[] = "Treatment of Upper Back Spasms";

const char hs_disclaimer[] = "headsup is a heuristic, not a diagnosis: it "
                             "estimates head pose from a\n"
                             "webcam and cannot see your spine. If pain "
                             "spreads, or turning, bending or\n"
                             "walking becomes hard, see a clinician.\n";

static const char not_a_diagnosis[] =
        "headsup is a heuristic, not a diagnosis. It guesses how you sit from "
        "the position of your head in a webcam image; it cannot see your spine "
        "and cannot tell why something hurts. If pain spreads, or turning, "
        "bending or walking becomes hard, see a clinician.";

/* Every claim below is the article's, except where a body says the
 * advice is ours (the clinician topic's last step, and headsup's own
 * limits). */
static const hs_advice topics[HS_ADVICE_COUNT] = {
	[HS_ADVICE_LOOKING_DOWN] = { "looking-down", "Looking down",
	                             "Try bringing your screen, book or papers "
	                             "up to eye level "
	                             "instead of looking down at them.",
	                             "Looking down at something low for long "
	                             "strains the neck and "
	                             "the trapezius, the broad muscle across "
	                             "the top of the back "
	                             "and shoulders, and the article counts "
	                             "that strain among the "
	                             "things to avoid.\n"
	                             "\n"
	                             "Bring the work up to your eyes rather "
	                             "than your eyes down to "
	                             "the work. Raise the screen to eye level, "
	                             "and hold a book or "
	                             "papers up at the height of your eyes (a "
	                             "holder or a pile of "
	                             "books does it) instead of laying them "
	                             "flat on the desk." },
	[HS_ADVICE_HUNCHED] = { "hunched", "Hunched",
	                        "Sit tall for a moment: stomach in, chest out, "
	                        "and let your "
	                        "back find its natural S shape again.",
	                        "Seen from the side, a healthy back is not "
	                        "straight: it "
	                        "curves gently, like the letter S. The article "
	                        "names working "
	                        "at a desk as one of the main habits that "
	                        "distort that "
	                        "shape.\n"
	                        "\n"
	                        "Once the shape is lost, a lot of strain falls "
	                        "on the back "
	                        "muscles, and that strain ends in back spasms; "
	                        "the article "
	                        "calls poor posture their biggest cause.\n"
	                        "\n"
	                        "When you sit, keep your stomach in and your "
	                        "chest out." },
	[HS_ADVICE_ACTIVE] = { "active", "Keep your back strong",
	                       "Regular exercise, such as strength training or "
	                       "yoga, is the "
	                       "article's best way to keep back spasms away.",
	                       "Exercising regularly is the best way the "
	                       "article gives to "
	                       "prevent back spasms in future, and it counts "
	                       "strength "
	                       "training and yoga among the helpful kinds. "
	                       "Muscle-building "
	                       "exercises can be done at home, ideally under "
	                       "the guidance "
	                       "of a trainer.\n"
	                       "\n"
	                       "Massage is one of the easiest ways to ease "
	                       "spasms that are "
	                       "already there: working on the sore spots and "
	                       "knots brings "
	                       "them more blood, and so more oxygen to the "
	                       "tired muscles. A "
	                       "session usually takes 15 to 30 minutes and is "
	                       "best given by "
	                       "a qualified massage therapist.\n"
	                       "\n"
	                       "Between sessions, trigger-point tools let you "
	                       "work on knots "
	                       "yourself at home.\n"
	                       "\n"
	                       "If your back or neck hurts now, ask a "
	                       "clinician which exercise suits you before "
	                       "you start, and stop any that makes the pain "
	                       "worse." },
	[HS_ADVICE_GENERAL] = { "general", "Beyond the desk",
	                        "How you sit is only part of it; sleep, weight "
	                        "and what you "
	                        "eat count too.",
	                        "Desk posture is not the only thing that "
	                        "matters. The "
	                        "article also names the way you sit elsewhere "
	                        "and the way "
	                        "you sleep, carrying extra weight, and a diet "
	                        "that runs short "
	                        "of important nutrients and minerals, "
	                        "including the "
	                        "electrolytes your body needs.\n"
	                        "\n"
	                        "Strain from lifting, sport or an accident is "
	                        "a common cause "
	                        "of back spasms as well, and age plays a "
	                        "part." },
	[HS_ADVICE_CLINICIAN] = { "clinician", "When to see a clinician",
	                          "If the pain spreads, or turning, bending or "
	                          "walking gets "
	                          "hard, please see a clinician.",
	                          "The article describes how the pain of a "
	                          "back spasm can "
	                          "spread to other parts of the body along the "
	                          "nerves, and "
	                          "names trouble turning, bending or moving "
	                          "the spine, and in "
	                          "bad cases running or walking, among its "
	                          "symptoms. Our advice, "
	                          "not the article's: if that is what you "
	                          "feel, see a doctor or "
	                          "a physiotherapist rather than relying on "
	                          "posture tips.\n"
	                          "\n"
	                          "headsup's reminders are only reminders: a "
	                          "quiet day is no "
	                          "proof that nothing is wrong, so trust how "
	                          "you feel." },
};

const hs_advice *hs_advice_get(hs_advice_topic topic)
{
	if ((unsigned)topic >= HS_ADVICE_COUNT)
		return NULL;
	return &topics[topic];
}

int hs_advice_from_id(const char *id)
{
	for (int i = 0; id && i < HS_ADVICE_COUNT; i++) {
		/* "looking_down", as the report's JSON names the posture,
		 * is the topic "looking-down" */
		const char *t = topics[i].id, *p = id;
		while (*t && (tolower((unsigned char)*p) == *t ||
		              (*p == '_' && *t == '-')))
			p++, t++;
		if (!*t && !*p)
			return i;
	}
	return -1;
}

hs_advice_topic hs_advice_for_state(hs_state state)
{
	switch (state) {
	case HS_STATE_LOOKING_DOWN:
		return HS_ADVICE_LOOKING_DOWN;
	case HS_STATE_HUNCHED:
		return HS_ADVICE_HUNCHED;
	default:
		return HS_ADVICE_GENERAL;
	}
}

/* --- the URL ----------------------------------------------------------------
 */

int hs_advice_url(hs_advice_topic topic, char *buf, size_t size)
{
	if ((unsigned)topic > HS_ADVICE_COUNT || size == 0)
		return HS_EINVAL;
	char path[PATH_MAX];
	int found = hs_path_data_file("advice.html", path, sizeof path);
	if (found < 0 && found != HS_ENOENT)
		return found;
	char clean[PATH_MAX];
	if (found == 0 && realpath(path, clean)) {
		memcpy(path, clean, strlen(clean) + 1);
	} else if (path[0] != '/') {
		/* Not there, under a relative $HEADSUP_DATA_DIR: a file URL
		 * needs the whole path ("file://dir/..." names a host). */
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd) ||
		    snprintf(clean, sizeof clean, "%s/%s", cwd, path) >=
		            (int)sizeof clean)
			return HS_ERANGE;
		memcpy(path, clean, strlen(clean) + 1);
	}

	static const char scheme[] = "file://";
	if (sizeof scheme >= size)
		return HS_ERANGE;
	memcpy(buf, scheme, sizeof scheme);
	size_t used = sizeof scheme - 1;
	int rc = hs_path_put_uri(buf, size, &used, path);
	if (rc < 0)
		return rc;
	if (topic < HS_ADVICE_COUNT) {
		int n = snprintf(buf + used, size - used, "#%s",
		                 topics[topic].id);
		if (n < 0 || (size_t)n >= size - used)
			return HS_ERANGE;
	}
	return found;
}

void hs_advice_check_page(const char *uses)
{
	char path[PATH_MAX];
	if (hs_path_data_file("advice.html", path, sizeof path) != HS_ENOENT)
		return;
	hs_warn("advice page '%s' is missing (reinstall headsup): %s to it "
	        "all the same, and 'headsup advice' prints the advice",
	        path, uses);
}

/* --- the HTML page
 * ------------------------------------------------------------ */

/* One <p> per blank-line separated paragraph of body. */
static void html_paragraphs(FILE *out, const char *body)
{
	const char *p = body;
	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		fputs("<p>", out);
		hs_html_escape_n(out, p, len);
		fputs("</p>\n", out);
		p += len;
		while (*p == '\n')
			p++;
	}
}

static const char page_style[] =
        ":root{color-scheme:light "
        "dark;--fg:#1d1d1f;--bg:#fdfdfb;--muted:#5a5a5e;"
        "--accent:#1f5f8b;--box:#eef3f7;--rule:#d4d9de}\n"
        "@media (prefers-color-scheme:dark){:root{--fg:#e8e8e6;--bg:#17181a;"
        "--muted:#a4a6ab;--accent:#8cc4ec;--box:#23282d;--rule:#3a3f45}}\n"
        "*{box-sizing:border-box}\n"
        "body{margin:0;background:var(--bg);color:var(--fg);"
        "font:1.05rem/1.6 system-ui,-apple-system,\"Segoe UI\",sans-serif}\n"
        "main{max-width:40rem;margin:0 auto;padding:2rem 1.25rem 1rem}\n"
        "h1{font-size:1.7rem;margin:0 0 .25rem}\n"
        "h2{font-size:1.25rem;margin:2.2rem 0 .5rem}\n"
        ".lead{color:var(--muted);margin-top:0}\n"
        "a{color:var(--accent)}\n"
        "nav{border-top:1px solid var(--rule);border-bottom:1px solid "
        "var(--rule);"
        "margin:1.5rem 0;padding:.5rem 0}\n"
        "nav h2{margin:.5rem 0;font-size:1rem}\n"
        "nav ol{margin:.25rem 0 .5rem;padding-left:1.5rem}\n"
        "section{scroll-margin-top:1rem}\n"
        "section:target h2{color:var(--accent)}\n"
        ".short{font-weight:600}\n"
        ".note{background:var(--box);border-left:4px solid var(--accent);"
        "padding:.75rem 1rem;margin:2.5rem 0 1rem;border-radius:4px}\n"
        ".note h2{margin:0 0 .25rem;font-size:1.05rem}\n"
        "footer{color:var(--muted);font-size:.9rem;max-width:40rem;"
        "margin:0 auto;padding:0 1.25rem 2rem}\n"
        "footer p{border-top:1px solid var(--rule);margin:0;"
        "padding-top:.75rem}\n"
        "@media print{:root{--fg:#000;--bg:#fff;--muted:#333;--accent:#000;"
        "--box:#fff;--rule:#999}body{font-size:11pt}main,footer{max-width:none;"
        "padding:0}nav a{text-decoration:none}section{break-inside:avoid}"
        ".note{border:1px solid #000}}\n";

int hs_advice_write_html(FILE *out)
{
	fputs("<!DOCTYPE html>\n"
	      "<html lang=\"en\">\n"
	      "<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n"
	      "<title>headsup: posture advice</title>\n"
	      "<style>\n",
	      out);
	fputs(page_style, out);
	fputs("</style>\n"
	      "</head>\n"
	      "<body>\n"
	      "<main>\n"
	      "<h1>Posture advice</h1>\n"
	      "<p class=\"lead\">What headsup's reminders mean, and what may "
	      "help, in our own words from the article <cite>",
	      out);
	/* Named here, above the sections that speak of "the article", and
	 * not only in the footer at the bottom of the page. */
	hs_html_escape(out, hs_advice_source_title);
	fputs("</cite>. Each reminder links to its section below.</p>\n"
	      "<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n",
	      out);
	for (int i = 0; i < HS_ADVICE_COUNT; i++) {
		fprintf(out, "<li><a href=\"#%s\">", topics[i].id);
		hs_html_escape_n(out, topics[i].title, strlen(topics[i].title));
		fputs("</a></li>\n", out);
	}
	fputs("<li><a href=\"#not-a-diagnosis\">Not a diagnosis</a></li>\n"
	      "</ol>\n</nav>\n",
	      out);
	for (int i = 0; i < HS_ADVICE_COUNT; i++) {
		fprintf(out, "<section id=\"%s\">\n<h2>", topics[i].id);
		hs_html_escape_n(out, topics[i].title, strlen(topics[i].title));
		fputs("</h2>\n<p class=\"short\">", out);
		hs_html_escape_n(out, topics[i].sentence,
		                 strlen(topics[i].sentence));
		fputs("</p>\n", out);
		html_paragraphs(out, topics[i].body);
		fputs("</section>\n", out);
	}
	/* A section with its heading, as the topics: the contents link here,
	 * and a screen reader's list of headings finds it too. */
	fputs("<section class=\"note\" id=\"not-a-diagnosis\">\n"
	      "<h2>Not a diagnosis</h2>\n<p>",
	      out);
	hs_html_escape_n(out, not_a_diagnosis, strlen(not_a_diagnosis));
	fputs("</p>\n</section>\n</main>\n<footer>\n<p>This advice is written "
	      "in our own words from the article <cite>",
	      out);
	hs_html_escape_n(out, hs_advice_source_title,
	                 strlen(hs_advice_source_title));
	fputs("</cite>.</p>\n</footer>\n</body>\n</html>\n", out);
	return ferror(out) ? HS_EIO : 0;
}

/* --- the terminal form
 * -------------------------------------------------------- */

/* One paragraph (len bytes) wrapped to width columns. */
static void wrap(FILE *out, const char *text, size_t len, int width)
{
	hs_text_wrap(out, text, len, 0, width);
}

static void print_paragraphs(FILE *out, const char *body, int width)
{
	const char *p = body;
	bool first = true;
	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!first)
			fputc('\n', out);
		wrap(out, p, len, width);
		first = false;
		p += len;
		while (*p == '\n')
			p++;
	}
}

static void print_topic(FILE *out, const hs_advice *a, int width)
{
	fprintf(out, "%s\n", a->title);
	for (int i = hs_text_columns(a->title, strlen(a->title)); i > 0; i--)
		fputc('-', out);
	fputs("\n", out);
	wrap(out, a->sentence, strlen(a->sentence), width);
	fputc('\n', out);
	print_paragraphs(out, a->body, width);
}

int hs_advice_print(FILE *out, int topic, int width)
{
	if (topic >= HS_ADVICE_COUNT)
		return HS_EINVAL;
	if (width < 20)
		width = 20;
	if (topic < 0) {
		fputs("POSTURE ADVICE\n\n", out);
		for (int i = 0; i < HS_ADVICE_COUNT; i++) {
			print_topic(out, &topics[i], width);
			fputc('\n', out);
		}
		wrap(out, not_a_diagnosis, strlen(not_a_diagnosis), width);
	} else {
		static const char note[] =
		        "headsup is a heuristic, not a diagnosis; see "
		        "'headsup advice clinician'.";
		const bool clinician = topic == HS_ADVICE_CLINICIAN;
		print_topic(out, &topics[topic], width);
		fputc('\n', out);
		wrap(out, clinician ? not_a_diagnosis : note,
		     strlen(clinician ? not_a_diagnosis : note), width);
	}
	char credit[128];
	snprintf(credit, sizeof credit,
	         "Written in our own words from the article \"%s\".",
	         hs_advice_source_title);
	fputc('\n', out);
	wrap(out, credit, strlen(credit), width);
	return ferror(out) ? HS_EIO : 0;
}

/* doc.c - the headsup(1) man page, built from the command and settings
 * tables, with each command's options and exit statuses as its --help
 * gives them (tests/test_doc.c holds the two together).
 */
#include "headsup/doc.h"

#include "headsup/advice.h"
#include "headsup/cli.h"
#include "headsup/config.h"
#include "headsup/err.h"

#include <ctype.h>
#include <string.h>

#ifndef HS_VERSION
#define HS_VERSION "unknown"
#endif
/* The date of this version, for the page's header: fixed, so that the
 * page built from one version is the same byte for byte whenever it is
 * built.  The build sets it beside HS_VERSION. */
#ifndef HS_RELEASE_DATE
#error "HS_RELEASE_DATE (YYYY-MM-DD) comes from CMakeLists.txt"
#endif
#ifndef HS_CASCADE_DIR
#define HS_CASCADE_DIR "/usr/share/opencv4/haarcascades"
#endif

/* Whether the word starting at p holds a '_' or '/': a key or a path,
 * which roff must not hyphenate. */
static bool unbreakable(const char *p)
{
	for (; *p && *p != ' ' && *p != '\n'; p++)
		if (*p == '_' || *p == '/')
			return true;
	return false;
}

void hs_doc_roff(FILE *out, const char *text, bool dashes)
{
	if (text[0] == '.' || text[0] == '\'')
		fputs("\\&", out);
	for (const char *p = text; *p; p++) {
		if ((p == text || p[-1] == ' ') && unbreakable(p))
			fputs("\\%", out);
		if (*p == '\\')
			fputs("\\e", out);
		else if (*p == '-' && dashes)
			fputs("\\-", out);
		else if (*p == '\n')
			fputc(' ', out);
		else
			fputc(*p, out);
	}
}

/* Whether the '-' at p begins a word ("--format", "-h", "-HH:MM"): a
 * minus sign there, where a hyphen joins the words of "self-contained". */
static bool dash_starts_word(const char *text, const char *p)
{
	while (p > text && p[-1] == '-')
		p--;
	return p == text || strchr(" \n([{*\"'/", p[-1]) != NULL;
}

/* Prose of the tables below as roff text: escaped as hs_doc_roff() does,
 * with a '-' that begins a word written as a minus, each '\n' starting a
 * new input line (one sentence a line, as roff likes it), and *bold* and
 * {italic} marked so. */
static void prose(FILE *out, const char *text)
{
	bool bold = false;
	for (const char *p = text; *p; p++) {
		const bool line_start = p == text || p[-1] == '\n';
		if (line_start && (*p == '.' || *p == '\''))
			fputs("\\&", out);
		if ((line_start || p[-1] == ' ') && unbreakable(p))
			fputs("\\%", out);
		switch (*p) {
		case '\\':
			fputs("\\e", out);
			break;
		case '*':
			fputs(bold ? "\\fR" : "\\fB", out);
			bold = !bold;
			break;
		case '{':
			fputs("\\fI", out);
			break;
		case '}':
			fputs("\\fR", out);
			break;
		case '-':
			fputs(dash_starts_word(text, p) ? "\\-" : "-", out);
			break;
		default:
			fputc(*p, out);
		}
	}
	fputc('\n', out);
}

/* ---- the commands, as their --help texts describe them ---------------- */

/* One option of a command, named and with its placeholder as the
 * command's --help spells them. */
typedef struct doc_option {
	const char *name;    /* "--source" */
	const char *arg;     /* its value's placeholder ("S"); NULL: none */
	const char *setting; /* the setting it stands in for, by key; or NULL */
	const char *text;    /* prose */
} doc_option;

enum {
	DOC_MAX_OPTIONS = 10
};

typedef struct doc_command {
	const char *name;
	const char *about; /* prose, after the summary of hs_commands[] */
	doc_option options[DOC_MAX_OPTIONS]; /* ended by a NULL name */
	/* What exit statuses 0, 1 and 2 mean for this command (prose, as
	 * its --help says); NULL where it is just the general meaning. */
	const char *status[3];
} doc_command;

#define SOURCE_TEXT                                                          \
	"The camera device ({/dev/video2}, or just its number), video file " \
	"or folder of images to watch.\n"                                    \
	"When neither this option nor the *[monitor] source* setting names " \
	"one, the first webcam is watched (see *headsup cameras*)."
#define CONFIG_TEXT                                                      \
	"Read the settings from {F} instead of "                         \
	"{$XDG_CONFIG_HOME/headsup/config.ini}; a file named here must " \
	"exist."

/* Status 1 of the commands that talk to the running monitor. */
#define NO_MONITOR "No monitor runs, or it did not answer."

static const doc_command doc_commands[] = {
	{ "run",
	  "It runs until the end of a file, or until it is interrupted "
	  "(Ctrl+C, SIGTERM).\n"
	  "A video file or a folder of images (one image a second) is "
	  "monitored in its own time: its time stamps are the clock, so a "
	  "200-second clip is 200 seconds "
	  "of monitoring however fast it is read, analysed at the same rate "
	  "as a camera.  Where a video's time stamps go back (files joined "
	  "end to end, a stream whose clock was reset), the frames after "
	  "are taken as following on, and a warning says so.\n"
	  "SIGHUP reads the settings file again; the settings read only at "
	  "start (marked under SETTINGS) keep their value until the monitor "
	  "is started again, and a warning names those that changed.\n"
	  "Only one monitor runs at a time.",
	  {
	          { "--source", "S", NULL, SOURCE_TEXT },
	          { "--rate", "HZ", "rate_hz",
	            "Frames analysed per second; the others are skipped." },
	          { "--config", "F", NULL, CONFIG_TEXT },
	          { "--set", "KEY=VALUE", NULL,
	            "Change one setting for this run, as the line {KEY} *=* "
	            "{VALUE} in the settings file would (spaces around *=* "
	            "are allowed); {KEY} is a key of SETTINGS, alone or after "
	            "its section and a dot (*alerts.sustain_s*).\n"
	            "It may be given again for other settings; the command "
	            "line wins over the file." },
	          { "--calibration", "F", NULL,
	            "Compare with the baseline in {F} instead of "
	            "{$XDG_STATE_HOME/headsup/calibration.ini}.\n"
	            "A file named here must exist; without one, the monitor "
	            "calibrates itself." },
	          { "--journal", "F", NULL,
	            "Keep the journal in {F} instead of "
	            "{$XDG_DATA_HOME/headsup/journal.db}.\n"
	            "Its folder must exist, and a file already there must be "
	            "a headsup journal (any other file is left alone) of your "
	            "own: one of another user's (made first in a shared "
	            "folder) could be read by its owner, and is refused.  A "
	            "journal of yours that others may read is made private "
	            "(mode 0600), with a warning." },
	          { "--clock-start", "T", NULL,
	            "For a file: the wall-clock time of its start, which the "
	            "journal dates the monitoring from, in ISO 8601: "
	            "{YYYY-MM-DD}*T*{HH:MM}[*:*{SS}[*.*{fff}]] in local time, "
	            "or followed by *Z* (UTC) or an offset *+*{HH:MM}, "
	            "*+*{HHMM} or *+*{HH} (or *-*), as *date --iso-8601=ns* "
	            "and *date +%FT%T%z* print them; a space may stand for "
	            "the *T*, a comma for the point, and *t* and *z* in lower "
	            "case are read too.  A date alone is its local midnight.\n"
	            "A value that names no time is refused saying why: no such "
	            "day, an offset beyond 14:00 or with 60 minutes or more, "
	            "a local time the clocks skipped.\n"
	            "The default is now.\n"
	            "It may lie at most a day ahead, and is refused for a "
	            "camera, whose frames are dated as they are taken." },
	          { "--realtime", NULL, NULL,
	            "Replay a file at its own speed, as a camera would give "
	            "it (for demonstrations), rather than as fast as it can "
	            "be read." },
	          { "--preview", NULL, NULL,
	            "Show the camera image in a window, with the face's "
	            "keypoints, the head angles and the posture state, to "
	            "help place the camera; *q* or Esc in the window stops "
	            "the monitor.\n"
	            "It needs a graphical display on this machine (see "
	            "PRIVACY)." },
	          { "--announce", NULL, NULL,
	            "Say on the desktop, in a low-urgency notification, that "
	            "the monitor watches now, that it waits for the camera, or "
	            "why it could not start (one already runs, a setting is "
	            "wrong).  The menu entry starts it so, since it has no "
	            "terminal to print on.  With *--announce=errors* only a "
	            "usage or configuration error that keeps it from starting "
	            "(status 2) is told: the systemd unit starts it so, at "
	            "each "
	            "log-in, and does not try again after such an error." },
	  },
	  {
	          [HS_EXIT_OK] = "At the end of a file, or when stopped.",
	          [HS_EXIT_FAILURE] =
	                  "The source or the baseline file cannot be read, "
	                  "*--preview* finds no "
	                  "display, *notify = desktop* is set and no "
	                  "notification server answers (or the session bus "
	                  "is not on this machine), or some of the "
	                  "monitoring could not be kept in the journal "
	                  "(said when it ends).",
	          [HS_EXIT_USAGE] = "Also when another monitor is already "
	                            "running, and when the journal is not "
	                            "one headsup can keep: another "
	                            "program's database, a newer headsup's, "
	                            "a folder, a file of another user's, or "
	                            "a file named with "
	                            "*--journal* that is damaged or no "
	                            "journal.",
	  } },
	{ "calibrate",
	  "Sit upright, facing the screen, as you would like to sit, and hold "
	  "still until the countdown ends.\n"
	  "The recording is refused, and the old baseline kept, when there is "
	  "no face in most frames, the head is turned more than about 25 "
	  "degrees from the camera (a webcam a little to one side of the "
	  "screen is fine, one far to the side is not) or tilted more than 30 "
	  "degrees to one side, the face is too small to measure or far from "
	  "the middle of the picture, the head moved, sank or tipped down "
	  "while it recorded, or the frames changed size.\n"
	  "A webcam that is not level is fine: the roll recorded here is "
	  "taken for its tilt and turned out of every frame's head angles, "
	  "so a head turned to a second screen does not read as looking up "
	  "or down.  Hold your head level while it records.\n"
	  "Record it again after moving the camera or changing the angle of "
	  "a laptop's screen: the baseline holds where your face was in the "
	  "picture, and turning the camera up or down by two or three "
	  "degrees moves it there as much as a slump does.\n"
	  "A running monitor is paused while it records, so that the camera "
	  "is free and no reminder interrupts, then takes up the new baseline "
	  "at once; a pause or a snooze of your own stays as it was.\n"
	  "With *--output* naming another file than the monitor's baseline, "
	  "the monitor keeps its own.\n"
	  "Ctrl+C ends the recording and resumes the monitor.",
	  {
	          { "--source", "S", NULL, SOURCE_TEXT },
	          { "--seconds", "N", "calibrate_s",
	            "How long to record, in seconds; for a file, {N} seconds "
	            "of the file's own time." },
	          { "--config", "F", NULL, CONFIG_TEXT },
	          { "--output", "F", NULL,
	            "Store the baseline in {F} instead of "
	            "{$XDG_STATE_HOME/headsup/calibration.ini}.\n"
	            "A symbolic link on the way that another user put in a "
	            "folder others may write (such as */tmp*) is not "
	            "followed: it could lead to any file of yours." },
	  },
	  {
	          [HS_EXIT_OK] = "The baseline was stored.",
	          [HS_EXIT_FAILURE] = "The recording was refused or "
	                              "interrupted, or the camera or file "
	                              "failed.",
	          [HS_EXIT_USAGE] = "Also when *--output* can hold no "
	                            "baseline (a folder, a device, a pipe) "
	                            "or holds something else (the journal, "
	                            "the settings), or is reached through "
	                            "another user's link, said before "
	                            "recording; that file is left as it is.",
	  } },
	{ "analyze",
	  "Each {PATH} is an image, a folder of images (read in name order) "
	  "or a video file; the frames are read with the settings *headsup "
	  "run* uses.\n"
	  "Angles are in degrees: *pitch_down_deg* above 0 means the head is "
	  "tilted down, *yaw_deg* above 0 turned toward the image's right, "
	  "*roll_deg* above 0 tilted toward the subject's left shoulder.\n"
	  "Positions are in pixels of the frame.",
	  {
	          { "--json", NULL, NULL,
	            "One JSON object per frame, a line each (JSON Lines), "
	            "instead of a table; the README lists the keys." },
	          { "--calibration", "FILE", NULL,
	            "Also classify each frame against the baseline in "
	            "{FILE} (see *headsup calibrate*), with the posture "
	            "thresholds of *headsup run*." },
	          { "--config", "F", NULL,
	            "Read the settings (thresholds, field of view, model) "
	            "from {F} instead of "
	            "{$XDG_CONFIG_HOME/headsup/config.ini}." },
	          { "--fov", "DEG", "fov_deg",
	            "The camera's horizontal field of view, in degrees." },
	          { "--fps", "N", NULL,
	            "The time base of a folder of images: frame {i} is at "
	            "{i}/{N} seconds; {N} from 0.001 to 1000 (default 1)." },
	          { "--model", "FILE", NULL,
	            "The face detector model; without it, the *[pose] model* "
	            "setting, and when that is empty, the installed one.  "
	            "A model named must be a copy of the one headsup was "
	            "built for (its checksum is checked); another file is a "
	            "usage error." },
	  },
	  {
	          [HS_EXIT_OK] = "Every {PATH} was read (a damaged image "
	                         "its decoder could still read is analysed, "
	                         "with a warning).",
	          [HS_EXIT_FAILURE] = "One {PATH} could not be read (the "
	                              "others are still analysed), or the "
	                              "*--calibration* file cannot be read.",
	          [HS_EXIT_USAGE] = "Also when the *--calibration* file is "
	                            "damaged or not there.",
	  } },
	{ "report",
	  "It gives the time monitored and upright, the time looking down, "
	  "hunched and away, the reminders, the longest stretches, the worst "
	  "hour, bars hour by hour, the change against the 7 days before, an "
	  "estimated load on the neck and the advice that matters most.\n"
	  "Times are local. On a terminal the text fits its width "
	  "(*$COLUMNS* when set), up to 79 columns.",
	  {
	          { "--date", "D", NULL,
	            "The day to report, or the last of *--days*: *today* "
	            "(the default), *yesterday* or a date {YYYY-MM-DD}." },
	          { "--days", "N", NULL,
	            "Cover the {N} days ending at *--date*, from 1 to 366 "
	            "(default 1)." },
	          { "--format", "F", NULL,
	            "*text* (the default; it fits 80 columns), *html* (one "
	            "self-contained page with charts) or *json* (stable keys, "
	            "listed in the README installed in "
	            "{share/doc/headsup})." },
	          { "--output", "FILE", NULL,
	            "Write to {FILE} instead of standard output; without "
	            "*--format*, a name ending in *.html*, *.htm* or *.json* "
	            "picks that format.\n"
	            "The file is private to you (mode 0600), also when it "
	            "replaces an older one.  A symbolic link on the way that "
	            "another user put in a folder others may write (such as "
	            "*/tmp*) is not followed: it could lead to any file of "
	            "yours." },
	          { "--journal", "FILE", NULL,
	            "Read this journal, which must exist, instead of "
	            "{$XDG_DATA_HOME/headsup/journal.db}.\n"
	            "A report only reads the journal, except that it "
	            "upgrades one written by an older headsup." },
	  },
	  {
	          [HS_EXIT_OK] = "The report was written, also when the days "
	                         "hold no data.",
	          [HS_EXIT_FAILURE] = "The journal or the output file cannot "
	                              "be read or written.",
	          [HS_EXIT_USAGE] = "Also when the journal is not one "
	                            "headsup reads (another program's "
	                            "database, a newer headsup's, a folder), "
	                            "or one named with *--journal* is "
	                            "missing, damaged or no journal, and "
	                            "when *--output* goes through another "
	                            "user's link or names a file of another "
	                            "user's.",
	  } },
	{ "advice",
	  "Without a {TOPIC}, every topic is printed; the text is wrapped to "
	  "the terminal's width (*$COLUMNS* when set), less its last column, "
	  "between 20 and 100 columns.",
	  {
	          { "--html", NULL, NULL,
	            "Write the whole advice page as HTML to standard output "
	            "(no {TOPIC} then)." },
	          { "--url", NULL, NULL,
	            "Print the *file://* URL of the installed advice page, "
	            "at {TOPIC} when one is named." },
	  },
	  {
	          [HS_EXIT_FAILURE] = "The advice page is not installed "
	                              "(*--url*), or the output failed.",
	          [HS_EXIT_USAGE] = "Also for an unknown topic.",
	  } },
	{ "pause",
	  "No reminders are given until {DURATION} has passed or *headsup "
	  "resume* is run; without {DURATION}, until *headsup resume*.\n"
	  "{DURATION} is a number of seconds (*90*), or parts of a whole "
	  "number and a unit, *d*, *h*, *m* or *s*, largest first: *90s*, "
	  "*30m*, *1h*, *1h30m*, *2d*; from 1 second to at most 7 days.\n"
	  "The monitor's answer is printed.",
	  { { "--announce", NULL, NULL,
	      "Say the monitor's answer on the desktop too, in a "
	      "low-urgency notification (also when no monitor answers).  "
	      "The menu entry's actions run it so, since they have no "
	      "terminal." } },
	  {
	          [HS_EXIT_OK] = "The monitor paused.",
	          [HS_EXIT_FAILURE] = NO_MONITOR,
	          [HS_EXIT_USAGE] = "Also for a bad {DURATION}.",
	  } },
	{ "resume",
	  "It takes the camera again and watches your posture.\n"
	  "A snooze chosen from a reminder runs on to its own end.",
	  { { "--announce", NULL, NULL,
	      "Say the monitor's answer on the desktop too, in a "
	      "low-urgency notification (also when no monitor answers).  "
	      "The menu entry's actions run it so, since they have no "
	      "terminal." } },
	  {
	          [HS_EXIT_OK] = "The monitor answered.",
	          [HS_EXIT_FAILURE] = NO_MONITOR,
	  } },
	{ "stop",
	  "It ends as on *SIGTERM*: the journal is written, the camera "
	  "released, and the monitor exits; *headsup stop* prints "
	  "*stopping*, waits until it has, then prints *stopped*.\n"
	  "Under the systemd unit, *systemctl --user stop headsup* does the "
	  "same and keeps systemd informed.",
	  { { "--announce", NULL, NULL,
	      "Say the monitor's answer on the desktop too, in a "
	      "low-urgency notification (also when no monitor answers).  "
	      "The menu entry's actions run it so, since they have no "
	      "terminal." } },
	  {
	          [HS_EXIT_OK] = "The monitor stopped.",
	          [HS_EXIT_FAILURE] =
	                  NO_MONITOR " Also when it still runs "
	                             "10 seconds after it was asked to "
	                             "stop.",
	  } },
	{ "status",
	  "The answer tells what the monitor is doing: paused (and until "
	  "when), waiting for the camera or lending it to another program, "
	  "idle while the screen is locked, or watching. While it watches, it "
	  "also tells what it watches, the posture it sees now, the baseline "
	  "it compares with (when that was recorded, or that the monitor "
	  "calibrated itself) and a snooze that holds reminders back. Then "
	  "how many frames it has analysed.",
	  { { .name = NULL } }, /* no options */
	  {
	          [HS_EXIT_OK] = "The monitor answered, running or paused.",
	          [HS_EXIT_FAILURE] = NO_MONITOR,
	  } },
	{ "cameras",
	  "For each device it says what it is (a webcam, an infrared camera, "
	  "a virtual camera, or a node that is no camera) and its stable name "
	  "under {/dev/v4l/by-id/}, which keeps naming it when its number "
	  "changes: the name to give to *--source* or *[monitor] source*.\n"
	  "The one watched when no source is set is the first webcam, in "
	  "{/dev/videoN} order.\n"
	  "Asking a device what it is starts no stream, so no camera light "
	  "comes on; the camera a running monitor watches is not asked (the "
	  "monitor would take that for a video call starting).",
	  { { .name = NULL } }, /* no options */
	  {
	          [HS_EXIT_OK] = "A webcam to watch was found.",
	          [HS_EXIT_FAILURE] = "No webcam to watch was found, or it "
	                              "cannot be opened.",
	  } },
};

static const doc_command *doc_command_get(const char *name)
{
	for (size_t i = 0; i < sizeof doc_commands / sizeof doc_commands[0];
	     i++)
		if (strcmp(doc_commands[i].name, name) == 0)
			return &doc_commands[i];
	return NULL;
}

/* The arguments of a synopsis, "[--source S] PATH...", as roff: literal
 * words (options, and lower-case choices such as "today") bold,
 * placeholders italic, each bracketed group held together on one output
 * line and starting an input line of its own. */
static void synopsis_args(FILE *out, const char *args)
{
	int depth = 0;
	for (const char *p = args; *p;) {
		if (*p == ' ') {
			fputs(depth > 0 ? "\\ " : "\n", out);
			p++;
			continue;
		}
		if (strchr("[]|.", *p)) {
			if (*p == '.' && (p == args || p[-1] == ' '))
				fputs("\\&", out);
			depth += *p == '[' ? 1 : *p == ']' ? -1 : 0;
			fputc(*p, out);
			/* "..." ends no sentence: no wider space after it. */
			if (*p == '.' && p[1] != '.')
				fputs("\\&", out);
			p++;
			continue;
		}
		size_t n = strcspn(p, "[]|. ");
		bool literal = p[0] == '-';
		for (size_t k = 0; k < n; k++)
			literal = literal || islower((unsigned char)p[k]);
		fputs(literal ? "\\fB" : "\\fI", out);
		for (size_t k = 0; k < n; k++, p++) {
			if (*p == '-')
				fputs("\\-", out);
			else
				fputc(*p, out);
		}
		fputs("\\fR", out);
	}
	fputc('\n', out);
}

static void synopsis(FILE *out)
{
	fputs(".SH SYNOPSIS\n"
	      ".SY headsup\n",
	      out);
	synopsis_args(out, "[OPTION]... COMMAND [ARG]...");
	fputs(".YS\n", out);
	for (int i = 0; i < hs_command_count; i++) {
		fputs(".SY \"headsup ", out);
		hs_doc_roff(out, hs_commands[i].name, true);
		fputs("\"\n", out);
		if (hs_commands[i].args[0])
			synopsis_args(out, hs_commands[i].args);
		fputs(".YS\n", out);
	}
}

/* After an option that stands in for a setting: which, and its default
 * and range, since the default is the setting's. */
static void setting_note(FILE *out, const char *key)
{
	for (size_t i = 0; i < hs_setting_count; i++) {
		const hs_setting *s = &hs_settings[i];
		if (strcmp(s->key, key) != 0)
			continue;
		fprintf(out, "Without this option, the\n.B [%s] \\%%%s\n",
		        s->section, s->key);
		if (s->type == HS_SETTING_STRING) {
			fputs("setting applies.\n", out);
			return;
		}
		fputs("setting applies (built-in default ", out);
		hs_doc_roff(out, s->default_text, false);
		fprintf(out, "; allowed %g to %g).\n", s->min, s->max);
		return;
	}
}

static void command_options(FILE *out, const doc_command *d)
{
	for (int o = 0; o < DOC_MAX_OPTIONS && d->options[o].name; o++) {
		const doc_option *opt = &d->options[o];
		fputs(".TP\n", out);
		fputs(opt->arg ? ".BI " : ".B ", out);
		hs_doc_roff(out, opt->name, true);
		if (opt->arg) {
			fputs(" \" ", out);
			hs_doc_roff(out, opt->arg, true);
			fputc('"', out);
		}
		fputc('\n', out);
		prose(out, opt->text);
		if (opt->setting)
			setting_note(out, opt->setting);
	}
}

static void advice_topics(FILE *out)
{
	fputs(".PP\n"
	      "The topics are:\n",
	      out);
	for (int i = 0; i < HS_ADVICE_COUNT; i++) {
		const hs_advice *a = hs_advice_get((hs_advice_topic)i);
		fputs(".BR ", out);
		hs_doc_roff(out, a->id, true);
		fputs(" \" (", out);
		hs_doc_roff(out, a->title, false);
		fputs(i + 1 < HS_ADVICE_COUNT ? ")," : ").", out);
		fputs("\"\n", out);
	}
}

static void commands(FILE *out)
{
	fputs(".SH COMMANDS\n"
	      "Each command takes its own options, after its name;\n"
	      ".B headsup\n.I COMMAND\n.B \\-\\-help\n"
	      "(or\n.BR \\-h ,\n"
	      "or\n.B headsup help\n.IR COMMAND )\n"
	      "lists them.\n",
	      out);
	for (int i = 0; i < hs_command_count; i++) {
		const hs_command *c = &hs_commands[i];
		const doc_command *d = doc_command_get(c->name);
		fputs(".SS ", out);
		hs_doc_roff(out, c->name, true);
		fputc('\n', out);
		/* The summary of `headsup --help`, as a sentence. */
		fputc(toupper((unsigned char)c->summary[0]), out);
		hs_doc_roff(out, c->summary + 1, false);
		fputs(".\n", out);
		if (!d)
			continue;
		prose(out, d->about);
		if (strcmp(c->name, "advice") == 0)
			advice_topics(out);
		command_options(out, d);
	}
}

/* What status s means for each command that says more than its general
 * meaning, commands saying the same in a row named together. */
static void status_by_command(FILE *out, int s)
{
	bool listed = false;
	for (int i = 0; i < hs_command_count; i++) {
		const doc_command *d = doc_command_get(hs_commands[i].name);
		const char *text = d ? d->status[s] : NULL;
		if (!text)
			continue;
		const doc_command *prev =
		        i > 0 ? doc_command_get(hs_commands[i - 1].name) : NULL;
		if (prev && prev->status[s] &&
		    strcmp(prev->status[s], text) == 0)
			continue; /* named with the first of the row */
		if (!listed)
			fputs(".RS\n", out);
		listed = true;
		fputs(".TP\n.B ", out);
		hs_doc_roff(out, hs_commands[i].name, true);
		for (int j = i + 1; j < hs_command_count; j++) {
			const doc_command *e =
			        doc_command_get(hs_commands[j].name);
			if (!e || !e->status[s] || strcmp(e->status[s], text))
				break;
			fputs(", ", out);
			hs_doc_roff(out, hs_commands[j].name, true);
		}
		fputc('\n', out);
		prose(out, text);
	}
	if (listed)
		fputs(".RE\n", out);
}

static void exit_status(FILE *out)
{
	static const char *const meaning[] = {
		[HS_EXIT_OK] = "Success.",
		[HS_EXIT_FAILURE] = ("A runtime failure (camera, file, "
		                     "database, output)."),
		[HS_EXIT_USAGE] = "A usage or configuration error.",
	};
	fputs(".SH EXIT STATUS\n"
	      "Under each status are the commands whose\n"
	      ".B \\-\\-help\n"
	      "says what it means for them.\n",
	      out);
	for (int s = HS_EXIT_OK; s <= HS_EXIT_USAGE; s++) {
		fprintf(out, ".TP\n.B %d\n%s\n", s, meaning[s]);
		status_by_command(out, s);
	}
}

static void files(FILE *out)
{
	fputs(".SH FILES\n"
	      ".TP\n.I \\%$XDG_CONFIG_HOME/headsup/config.ini\n"
	      "The settings (default folder\n.IR \\%~/.config ).\n"
	      ".TP\n.I \\%$XDG_STATE_HOME/headsup/calibration.ini\n"
	      "The baseline recorded by\n.B headsup calibrate\n"
	      "(default folder\n.IR \\%~/.local/state ).\n"
	      "It is scaled to a camera giving frames of another size but "
	      "the same shape; for another shape it is set aside and the "
	      "monitor calibrates itself, until you run\n"
	      ".B headsup calibrate\n"
	      "again.\n"
	      ".TP\n.I \\%$XDG_DATA_HOME/headsup/journal.db\n"
	      "The posture journal, an SQLite database (default folder\n"
	      ".IR \\%~/.local/share ).\n"
	      ".TP\n.I \\%$XDG_RUNTIME_DIR/headsup/control.sock\n"
	      "The control socket through which\n.BR \"headsup pause\" ,\n"
	      ".BR \"headsup resume\" ,\n"
	      ".BR \"headsup status\" ,\n"
	      ".BR \"headsup stop\" ,\n"
	      ".B headsup cameras\n"
	      "(which asks which camera it watches, so as not to open that "
	      "one) and\n"
	      ".B headsup calibrate\n"
	      "(which pauses a running monitor while it records, then hands "
	      "it the new baseline)\n"
	      "reach the running monitor.\n"
	      ".TP\n.I \\%$XDG_RUNTIME_DIR/headsup/run.lock\n"
	      "The lock that keeps a second monitor from starting.\n"
	      ".TP\n.I \\%/tmp/headsup\\-UID/\n"
	      "Where the control socket and the lock are kept when\n"
	      ".B XDG_RUNTIME_DIR\n"
	      "is unset, not an absolute path, or not a folder of your own "
	      "that nobody else may enter (mode 0700, as the XDG Base "
	      "Directory specification requires; a warning says what is "
	      "wrong with it);\n"
	      ".I UID\n"
	      "is your numeric user id.\n"
	      "Either folder is made private to you (mode 0700).\n"
	      "One already in\n.I /tmp\n"
	      "is used only when it is a folder of your own (not a link to "
	      "one) with mode 0700; otherwise headsup says why and does not "
	      "use it.\n"
	      ".TP\n.I advice.html\n"
	      "The advice page, installed in the headsup data folder;\n"
	      ".B headsup advice \\-\\-url\n"
	      "prints where it is.\n",
	      out);
}

static void environment(FILE *out)
{
	fputs(".SH ENVIRONMENT\n"
	      ".TP\n.BR XDG_CONFIG_HOME \", \" XDG_STATE_HOME \", \" "
	      "XDG_DATA_HOME \", \" XDG_RUNTIME_DIR\n"
	      "Where the files above are kept, as the XDG Base Directory "
	      "specification describes; a value that is not an absolute "
	      "path is ignored.\n"
	      ".TP\n.B HOME\n"
	      "The home folder, under which the first three default to\n"
	      ".IR \\%~/.config ,\n"
	      ".I \\%~/.local/state\n"
	      "and\n"
	      ".IR \\%~/.local/share .\n"
	      ".TP\n.B HEADSUP_DATA_DIR\n"
	      "Look for the data files (face models, advice page) only in this "
	      "folder.\n"
	      ".TP\n.B HEADSUP_VISION_MODULE\n"
	      "The vision module to load, the part of headsup built on OpenCV "
	      "(camera and video input, image decoding), "
	      "instead of\n"
	      ".I \\%headsup\\-vision.so\n"
	      "beside the program or in the\n"
	      ".I \\%lib/headsup\n"
	      "folder of its installation.\n"
	      "The preview window's module,\n"
	      ".IR \\%headsup\\-preview.so ,\n"
	      "is taken from the same folder as the vision module.\n"
	      ".TP\n.B HEADSUP_CASCADE_DIR\n"
	      "The folder of OpenCV's Haar cascade files, the face detector "
	      "used when the face model is missing or cannot be loaded "
	      "(default\n",
	      out);
	fputs(".IR \\%", out);
	hs_doc_roff(out, HS_CASCADE_DIR, true);
	fputs(" ).\n"
	      ".TP\n.B DBUS_SESSION_BUS_ADDRESS\n"
	      "The session bus, for desktop notifications and the screen "
	      "saver; when it is unset,\n"
	      ".I \\%$XDG_RUNTIME_DIR/bus\n"
	      "is used if it exists and that folder is private to you (your "
	      "own, mode 0700).\n"
	      "No bus is ever started, and only a local socket is used "
	      "(every address in the list a\n"
	      ".B unix:\n"
	      "one): over any other, such as\n"
	      ".BR tcp: ,\n"
	      "the alerts' text would cross the network, so desktop "
	      "notifications are off and alerts go to the terminal.\n"
	      ".TP\n.B XDG_SESSION_ID\n"
	      "The login session whose lock, as logind reports it, makes the "
	      "monitor release the camera while the screen is locked "
	      "(default: logind's own choice, the session of the process or "
	      "the user's graphical one).\n"
	      ".TP\n.BR DISPLAY \", \" WAYLAND_DISPLAY \", \" QT_QPA_PLATFORM\n"
	      "The display of the\n.B \\-\\-preview\nwindow; see PRIVACY.\n"
	      ".TP\n.B COLUMNS\n"
	      "Width to which\n.B headsup advice\nwraps its text, less the "
	      "last column, between 20 and 100; the text of\n.B headsup "
	      "report\nkeeps within it too, up to 79.\n"
	      ".TP\n.BR OPENCV_LOG_LEVEL \", \" OPENCV_FFMPEG_LOGLEVEL \", \" "
	      "OPENCV_FFMPEG_DEBUG\n"
	      "OpenCV's, FFmpeg's and the image decoders' (libjpeg, libpng) "
	      "own messages are kept off standard error (headsup says what "
	      "failed in its words, with a decoder's reason) unless the "
	      "first is set; the other two let FFmpeg's alone speak;\n"
	      ".B \\-vv\n"
	      "sets the first to\n"
	      ".BR WARNING .\n"
	      ".TP\n.BR OPENCV_IO_MAX_IMAGE_PIXELS \", \" "
	      "OPENCV_IO_MAX_IMAGE_WIDTH \", \" OPENCV_IO_MAX_IMAGE_HEIGHT\n"
	      "OpenCV's limits on the size of an image it decodes; an image "
	      "over them is refused, naming its size and the limit.\n",
	      out);
}

int hs_doc_write_man(FILE *out)
{
	fprintf(out,
	        ".\\\" headsup(1): generated by headsup from its own tables; "
	        "do not edit.\n"
	        ".TH HEADSUP 1 %s \"headsup %s\" \"User Commands\"\n"
	        /* Ragged right: a long path would stretch the line
	         * before it. */
	        ".ad l\n"
	        ".SH NAME\n"
	        "headsup \\- watch your sitting posture through the webcam and "
	        "warn kindly when it lasts\n",
	        HS_RELEASE_DATE, HS_VERSION);
	synopsis(out);
	fputs(".SH DESCRIPTION\n"
	      ".B headsup\n"
	      "runs in the background during desk work.\n"
	      "Twice a second (by default) it finds your face in the webcam "
	      "image, "
	      "estimates the pose of your head and compares it with a baseline "
	      "recorded while you sat upright\n"
	      ".RB ( \"headsup calibrate\" ).\n"
	      "When you have been looking down, or hunched towards the screen, "
	      "for longer than a set time, it shows a desktop notification "
	      "with "
	      "one sentence of advice and a link to the advice page; the same "
	      "kind of reminder is not repeated for a while.\n"
	      ".PP\n"
	      "Every posture state is written to a journal, from which\n"
	      ".B headsup report\n"
	      "makes daily summaries.\n"
	      "When no notification server is reachable, reminders are printed "
	      "on the terminal instead.\n"
	      ".PP\n"
	      "Before a baseline is recorded, the monitor calibrates itself "
	      "from "
	      "a few seconds of a steady, frontal face (a baseline kept for "
	      "that run only, never saved), and says so: on the "
	      "terminal, and in one low-urgency desktop notice for each start "
	      "(the monitor is usually started by the session, where nobody "
	      "reads its terminal).  Those seconds may be a slouch: once in "
	      "its "
	      "first 10 minutes, such a baseline gives way to a posture with "
	      "the eyes clearly higher (the head about as near, and not "
	      "tipped), held steady for 20 s, when that is where you mostly "
	      "sat since; this is said in the same way.  A baseline you "
	      "recorded is never changed.\n"
	      ".PP\n"
	      "Without a source setting, the camera watched is the first "
	      "webcam: the first\n"
	      ".I /dev/videoN\n"
	      "that captures colour, looked for again each time the camera is "
	      "opened, so a camera plugged in again under another number is "
	      "still found.\n"
	      "Metadata nodes and infrared face-unlock cameras are passed "
	      "over, and a virtual camera is taken only when there is no "
	      "other.\n"
	      ".B headsup cameras\n"
	      "lists the devices, and each one's stable name under\n"
	      ".IR /dev/v4l/by-id ,\n"
	      "which is the name to set when another camera should be "
	      "watched.\n"
	      ".PP\n"
	      "A webcam streams to one program at a time.\n"
	      "While the monitor holds the camera it watches the device for "
	      "another program opening it (a video call starting); it then "
	      "lets go of the camera, leaves it alone for\n"
	      ".B [monitor] lend_camera_s\n"
	      "seconds and then for as long as that program keeps it open, "
	      "and takes it back once it is free.\n",
	      out);
	commands(out);
	fputs(".SH OPTIONS\n"
	      "These options come before the command.\n"
	      ".TP\n.BR \\-v \", \" \\-\\-verbose\n"
	      "Print more messages; give it twice for debugging output.\n"
	      ".TP\n.BR \\-q \", \" \\-\\-quiet\n"
	      "Print errors only.\n"
	      ".TP\n.BR \\-h \", \" \\-\\-help\n"
	      "Show a summary of the commands and exit.\n"
	      ".TP\n.BR \\-V \", \" \\-\\-version\n"
	      "Show the version and exit.\n"
	      ".SH SETTINGS\n"
	      "Settings are read from\n"
	      ".I \\%$XDG_CONFIG_HOME/headsup/config.ini\n"
	      "(or the file given with\n"
	      ".B \\-\\-config\n"
	      "to\n"
	      ".BR run ,\n"
	      ".B calibrate\n"
	      "or\n"
	      ".BR analyze ),\n"
	      "an INI file with\n"
	      ".B [section]\n"
	      "headers and\n"
	      ".I key\n"
	      ".B =\n"
	      ".I value\n"
	      "lines.\n"
	      "Lines starting with\n"
	      ".B #\n"
	      "or\n"
	      ".B ;\n"
	      "are comments, as is the rest of a line after a space and one of "
	      "these; text values may be put in double quotes.\n"
	      "Command-line options override the file, which overrides the "
	      "built-in defaults.\n"
	      "An unknown section or key, a key set twice, or a value that is "
	      "not a number or is out of its range, is an error that names "
	      "the file and line; nothing is started then (exit status 2).\n"
	      "Each setting is shown with its default and its allowed range.\n",
	      out);
	hs_config_print_man(out);
	files(out);
	environment(out);
	exit_status(out);
	fputs(".SH PRIVACY\n"
	      "No camera frame is ever written anywhere: images are analysed "
	      "in memory and dropped.\n"
	      ".B headsup\n"
	      "makes no network connections; every socket it opens is a local "
	      "one: the session D-Bus (notifications, screen saver), the "
	      "system D-Bus (logind, for the screen lock), the X display for\n"
	      ".BR \\-\\-preview ,\n"
	      "and its own control socket.\n"
	      ".B \\-\\-preview\n"
	      "uses this machine's own screen only: a display on another "
	      "host (ssh \\-X), and Qt platforms other than xcb and wayland "
	      "(vnc would serve the window to the network), are refused.\n"
	      "Video files are read as files, never as URLs.\n"
	      "The core size limit is set to 0, so a crash leaves no core "
	      "file (which would hold camera frames) where the kernel or "
	      "systemd-coredump writes it.\n"
	      "Messages go to standard error; under the systemd unit the user "
	      "journal keeps them (warnings by default, and the reminders only "
	      "when no notification server answers).\n"
	      ".PP\n"
	      "What is stored: the calibration baseline (head angles, eye "
	      "position and distance in pixels, face box, frame size, the "
	      "name of the source and when it was recorded) and the journal "
	      "(sessions with their source and baseline file, times of posture "
	      "states, their measured angles and distances, and the reminders "
	      "shown).\n"
	      "Both files are readable by you only (mode 0600) and stay until "
	      "you delete them; with\n"
	      ".B [journal] keep_days\n"
	      "set, days older than that are forgotten from the journal (the "
	      "rows overwritten, not just unlinked); counted to a day past "
	      "the newest data already kept at most, so that a system clock "
	      "set ahead forgets nothing.\n",
	      out);
	fputs(".SH ADVICE\n"
	      "The advice in the reminders, in\n"
	      ".B headsup advice\n"
	      "and on the advice page is written in our own words from the "
	      "article\n\\(lq",
	      out);
	hs_doc_roff(out, hs_advice_source_title, false);
	fputs("\\(rq.\n"
	      "The advice to see a clinician is ours, drawn from the "
	      "symptoms the article describes.\n"
	      ".SH NOTES\n"
	      ".B headsup\n"
	      "is a heuristic, not a diagnosis.\n"
	      "It estimates the pose of your head from a webcam image and "
	      "cannot "
	      "see your spine.\n"
	      "If pain spreads, or turning, bending or walking becomes hard, "
	      "see "
	      "a clinician.\n"
	      ".SH SEE ALSO\n"
	      ".BR systemctl (1),\n"
	      ".BR sqlite3 (1)\n"
	      ".PP\n"
	      "The user service is started with\n"
	      ".BR \"systemctl \\-\\-user enable \\-\\-now headsup\" .\n",
	      out);
	return ferror(out) ? HS_EIO : 0;
}

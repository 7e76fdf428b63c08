/* cmd_calibrate.c - `headsup calibrate`: record the upright baseline. */
#include "headsup/analyzer.h"
#include "headsup/calibration.h"
#include "headsup/cli.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/control.h"
#include "headsup/detector.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/monitor.h"
#include "headsup/paths.h"
#include "headsup/report.h"
#include "headsup/source.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 1200
#define SAMPLE_RATE_HZ 5.0

/* A monitor (`headsup run`) running while this records: it is paused for
 * the recording, so that the camera is free and no reminder interrupts,
 * then told to read the new baseline, then resumed.  The requests are
 * marked as calibrate's (control.h): a pause of the user's own is never
 * ended by us, and a snooze goes on to its own end. */
typedef struct running_monitor {
	char path[PATH_MAX]; /* its control socket */
	bool running;
} running_monitor;

/* Margin on the pause asked for: if this process dies mid-way, the
 * monitor resumes by itself that long after the recording was due to end. */
#define PAUSE_MARGIN_S 60.0

static void pause_running_monitor(running_monitor *m, double seconds)
{
	char reply[HS_CONTROL_LINE_MAX + 1], line[64];
	memset(m, 0, sizeof *m);
	if (hs_control_default_path(m->path, sizeof m->path) < 0)
		return;
	snprintf(line, sizeof line, "pause %.0f calibrate", ceil(seconds));
	int rc = hs_control_send(m->path, line, reply, sizeof reply);
	if (rc == HS_ENOENT || rc == HS_EACCES)
		return; /* none runs, or none we may reach */
	/* Even without an answer in time it may act on the request, so it
	 * is asked to resume afterwards all the same (harmless if not
	 * paused by us). */
	m->running = true;
	if (rc == 0 && strncmp(reply, "paused for ", 11) == 0)
		fputs("The running monitor is paused while you calibrate.\n",
		      stderr);
	else if (rc == 0 && strncmp(reply, "error: ", 7) == 0)
		hs_warn("the running monitor was not paused: %s", reply + 7);
}

/* Is the camera device that spec names there at all?  Asked before a
 * running monitor is paused for it. */
static bool device_exists(const char *spec)
{
	char dev[PATH_MAX];
	struct stat st;
	hs_source_name(spec, dev, sizeof dev);
	return stat(dev, &st) == 0 || hs_err_from_errno(errno) != HS_ENOENT;
}

/* Why the frame just grabbed from src could not be read (rc), into buf:
 * "cannot read image 'a.png': too large to decode: 40000x40000 pixels,
 * over the limit of ...", "a frame cannot be decoded (...)". */
static void describe_unread(hs_source *src, int rc, char *buf, size_t size)
{
	const char *image = hs_source_frame_name(src);
	if (!image) {
		snprintf(buf, size, "a frame cannot be decoded (%s)",
		         hs_strerror(rc));
		return;
	}
	char why[HS_WHY_MAX];
	hs_source_unreadable_words(rc, why, sizeof why);
	snprintf(buf, size, "cannot read image '%s': %s", image, why);
}

/* Why the first frame read could not be analysed (the detector failed on
 * it), into buf: said when no frame could be. */
static void describe_unanalysed(hs_source *src, long frame, int rc, char *buf,
                                size_t size)
{
	const char *image = hs_source_frame_name(src);
	const char *detail = hs_shim_last_error(); /* OpenCV's words */
	if (!detail)
		detail = "";
	if (image)
		snprintf(buf, size, "cannot analyse image '%s': %s%s%s", image,
		         hs_strerror(rc), detail[0] ? " " : "", detail);
	else
		snprintf(buf, size, "cannot analyse frame %ld: %s%s%s", frame,
		         hs_strerror(rc), detail[0] ? " " : "", detail);
}

/* From the first quote on ("'<file>'"), or all of text without one. */
static const char *after_quote(const char *text)
{
	const char *q = strchr(text, '\'');
	return q ? q : text;
}

/* After the recording: a stored baseline (at stored_path) is taken up by
 * the monitor when it is the monitor's own file, and the monitor resumes
 * unless the user paused it. */
static void release_running_monitor(const running_monitor *m,
                                    const char *stored_path)
{
	char reply[HS_CONTROL_LINE_MAX + 1], line[HS_CONTROL_LINE_MAX + 2];
	char full[PATH_MAX];
	if (!m->running)
		return;
	fflush(stdout); /* what was stored, before what the monitor says */
	if (stored_path) {
		int rc = HS_ERANGE;
		if (realpath(stored_path, full) &&
		    strlen(full) + 8 <= HS_CONTROL_LINE_MAX) {
			/* (the check above: the whole path fits) */
			snprintf(line, sizeof line, "reload %.248s", full);
			rc = hs_control_send(m->path, line, reply,
			                     sizeof reply);
		}
		if (rc < 0)
			hs_warn("the running monitor was not told of the new "
			        "baseline (%s); restart it to use it",
			        hs_strerror(rc));
		else if (strncmp(reply, "baseline reloaded", 17) == 0)
			printf("The running monitor now uses it.\n");
		else if (strncmp(reply, "error: this monitor reads", 25) == 0)
			/* "... from '<its file>'": the quoted name */
			printf("The running monitor reads another baseline "
			       "(%s), and keeps it.\n",
			       after_quote(reply));
		else if (strncmp(reply, "error: the new baseline was recorded",
		                 36) == 0)
			/* Another camera, or the same at another size:
			 * restarting would not help. */
			hs_warn("the running monitor cannot use it and keeps "
			        "the baseline it has until it stops: %s. The "
			        "file now holds the new one, which the monitor "
			        "will not fit when it starts again: calibrate "
			        "from the camera it watches",
			        reply + 7);
		else
			hs_warn("the running monitor kept its baseline (%s); "
			        "restart it to use the new one",
			        reply);
	}
	if (hs_control_send(m->path, "resume calibrate", reply, sizeof reply) <
	    0)
		hs_warn("the running monitor did not answer 'resume'; it "
		        "resumes by itself within %.0f s",
		        PAUSE_MARGIN_S);
}

/* Ctrl+C, SIGTERM or a closed terminal ends the recording cleanly, so
 * that a monitor paused for it is resumed at once; a second signal kills as
 * usual (SA_RESETHAND), should the camera hang.  Killed outright, this
 * leaves the monitor paused until PAUSE_MARGIN_S after the recording was
 * due to end. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Open the frame source spec into *src, or say why not (kept: what a
 * failure leaves of the baseline). */
static int open_source(const char *spec, const hs_source_opts *so,
                       const char *kept, hs_source **src)
{
	char err[HS_MSG_MAX];
	int rc = hs_source_open(spec, so, src, err, sizeof err);
	if (rc < 0 && interrupted) /* the signal cut the opening short */
		hs_error("calibration interrupted. %s", kept);
	else if (rc < 0)
		hs_error("%s", err);
	return rc;
}

static void usage(FILE *out)
{
	fputs("Usage: headsup calibrate [OPTION]...\n"
	      "Record your upright posture as the baseline that 'headsup run'\n"
	      "compares against.  Sit upright, facing the screen, as you "
	      "would\n"
	      "like to sit, and hold still until the countdown ends.\n\n"
	      "Options:\n"
	      "  --source S       camera device, video file or image folder\n"
	      "                   (default: the [monitor] source setting, "
	      "else\n"
	      "                   the first webcam: see 'headsup cameras')\n"
	      "  --seconds N      how long to record (default: [calibration]\n"
	      "                   calibrate_s, 5); for a file, N seconds of\n"
	      "                   the file's own time\n"
	      "  --config F       settings file (default\n"
	      "                   $XDG_CONFIG_HOME/headsup/config.ini)\n"
	      "  --output F       where to store the baseline (default\n"
	      "                   $XDG_STATE_HOME/headsup/calibration.ini)\n"
	      "  -h, --help       show this help\n\n"
	      "The old baseline is kept when calibration is refused: no face\n"
	      "in most frames, the head turned more than about 25 degrees\n"
	      "from the camera (a webcam a little to one side of the screen\n"
	      "is fine, one far to the side is not) or tilted more than 30\n"
	      "to one side, a face too small to measure, a head that moved,\n"
	      "sank or tipped down while it recorded, frames of two sizes,\n"
	      "or the face far from the middle of the picture.\n\n"
	      "Record it again after moving the camera or tilting a laptop's\n"
	      "screen: turning the camera up or down by two or three degrees\n"
	      "moves your face in the picture as much as a slump does.\n\n"
	      "While 'headsup run' is running, it is paused for the "
	      "recording\n"
	      "(so the camera is free and no reminder interrupts), then it "
	      "takes\n"
	      "up the new baseline at once and watches again.  A pause of "
	      "your\n"
	      "own stays as it is, and so does a snooze.  With --output "
	      "naming\n"
	      "another file than the monitor's baseline, the monitor keeps "
	      "its\n"
	      "own.  Ctrl+C ends the recording and resumes the monitor.\n\n"
	      "Exit status: 0 stored, 1 refused, interrupted, or the "
	      "camera/file\n"
	      "failed, 2 usage or configuration error (an --output that can "
	      "hold\nno baseline, such as a folder or a device, "
	      "included; a file that\nholds something else, such as the "
	      "journal, is left as it is, and a path\nthrough a link "
	      "another user put in a shared folder is refused).\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

/* The command line, as given. */
typedef struct calib_args {
	const char *source, *seconds, *config, *output;
} calib_args;

/* Read the options into *a: -1 to go on, else the exit status (--help,
 * or a usage error said here). */
static int parse_args(int argc, char **argv, calib_args *a)
{
	enum {
		OPT_SOURCE = 256,
		OPT_SECONDS,
		OPT_CONFIG,
		OPT_OUTPUT
	};
	static const struct option opts[] = {
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "seconds", required_argument, NULL, OPT_SECONDS },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*a = (calib_args){ .source = NULL };
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SOURCE:
			a->source = optarg;
			break;
		case OPT_SECONDS:
			a->seconds = optarg;
			break;
		case OPT_CONFIG:
			a->config = optarg;
			break;
		case OPT_OUTPUT:
			a->output = optarg;
			break;
		case 'h':
			usage(stdout);
			return HS_EXIT_OK;
		default:
			return hs_cli_bad_option("calibrate", argv, opts);
		}
	}
	if (optind < argc)
		return hs_cli_usage_error(
		        "calibrate", "unexpected argument '%s'", argv[optind]);
	const int unusable = hs_cli_check_paths(
	        "calibrate", "--source", a->source, "--config", a->config,
	        "--output", a->output, NULL);
	return unusable ? unusable : -1;
}

/* The settings, with the command line's source and seconds over them:
 * -1 to go on, else the exit status (said). */
static int load_settings(const calib_args *a, hs_config *cfg)
{
	char err[HS_MSG_MAX];
	if (hs_config_load(cfg, a->config, err, sizeof err) < 0) {
		hs_error("%s", err);
		return HS_EXIT_USAGE;
	}
	if (a->source &&
	    hs_config_set(cfg, "source", a->source, err, sizeof err) < 0)
		return hs_cli_usage_error("calibrate", "%s", err);
	if (a->seconds &&
	    hs_config_set(cfg, "calibrate_s", a->seconds, err, sizeof err) < 0)
		return hs_cli_usage_error("calibrate", "--seconds: %s", err);
	if (hs_detector_check_model(cfg->model, err, sizeof err) < 0) {
		hs_error("%s", err);
		return HS_EXIT_USAGE;
	}
	return -1;
}

/* Where the baseline goes, checked before the user sits through the
 * recording: -1 to go on, else the exit status (said). */
static int baseline_path(const char *output, char *path, size_t size)
{
	char err[HS_MSG_MAX];
	int rc;
	if (output)
		snprintf(path, size, "%s", output);
	else if ((rc = hs_calibration_default_path(path, size)) < 0) {
		hs_error("cannot tell where to store the baseline: %s%s",
		         hs_path_xdg_advice(HS_XDG_STATE, rc),
		         rc == HS_ERANGE ? "; use --output F" : "");
		return HS_EXIT_FAILURE;
	}
	rc = hs_calibration_check_writable(path, err, sizeof err);
	if (rc < 0) {
		hs_error("%s", err);
		/* A path that can never hold a baseline is a usage error;
		 * one that cannot now (permissions, the disk), a failure. */
		return rc == HS_EISDIR || rc == HS_ENOTFILE ||
		                       rc == HS_EINVAL || rc == HS_ENOENT ||
		                       rc == HS_EFORMAT || rc == HS_ENOTOWNER
		               ? HS_EXIT_USAGE
		               : HS_EXIT_FAILURE;
	}
	return -1;
}

/* What the recording gathered, and why it stopped. */
typedef struct recording {
	hs_calib_sample *samples; /* MAX_SAMPLES of them */
	size_t n;                 /* samples kept */
	long frames;              /* frames read, analysed or not */
	double t0, t_last;        /* the first and last frame's time */
	int frame_w, frame_h;     /* the samples' frame size */
	int resized_w, resized_h; /* a frame of another size, which ended it */
	int rc;                   /* the last hs_source_grab() */
	/* why the first unreadable frame was, and the first that could not
	 * be analysed: said if no frame gives a sample */
	char unread[PATH_MAX + 1100], unanalysed[PATH_MAX + 1100];
} recording;

/* Sample the source at SAMPLE_RATE_HZ for 'seconds' of its own time, with
 * a countdown on a terminal, until it ends, changes size or a signal
 * comes. */
static void record(hs_source *src, hs_analyzer *az, hs_image *img,
                   double seconds, recording *r)
{
	const bool tty = isatty(STDERR_FILENO);
	double t, next_t = -INFINITY;
	int last_shown = -1;
	r->t0 = r->t_last = NAN;
	while (!interrupted && (r->rc = hs_source_grab(src, &t)) == 0) {
		r->frames++;
		if (isnan(r->t0))
			r->t0 = t;
		r->t_last = t;
		if (t - r->t0 >= seconds)
			break;
		if (!hs_monitor_frame_due(&next_t, t, SAMPLE_RATE_HZ))
			continue;
		int read_rc = hs_source_retrieve(src, img);
		if (read_rc < 0) {
			if (!r->unread[0])
				describe_unread(src, read_rc, r->unread,
				                sizeof r->unread);
			continue;
		}
		hs_analysis an;
		const int an_rc = hs_analyzer_run(az, img, &an);
		if (an_rc < 0) {
			if (!r->unanalysed[0])
				describe_unanalysed(src, r->frames - 1, an_rc,
				                    r->unanalysed,
				                    sizeof r->unanalysed);
			continue;
		}
		/* Eye positions and distances are in pixels of the frame:
		 * frames of two sizes cannot make one baseline. */
		if (r->n > 0 &&
		    (an.frame_w != r->frame_w || an.frame_h != r->frame_h)) {
			r->resized_w = an.frame_w;
			r->resized_h = an.frame_h;
			break;
		}
		r->frame_w = an.frame_w;
		r->frame_h = an.frame_h;
		if (r->n < MAX_SAMPLES) {
			hs_calib_sample *smp = &r->samples[r->n++];
			smp->face = an.face;
			smp->pose = an.pose;
			smp->has_pose = an.has_pose;
		}
		int left = (int)ceil(seconds - (t - r->t0));
		if (tty && left != last_shown) {
			fprintf(stderr, "\r  hold still: %2d s ", left);
			last_shown = left;
		}
	}
	if (tty)
		fputs("\r                    \r", stderr);
}

/* Whether what was recorded can make a baseline, said when not ('kept'
 * tells what the refusal leaves); a file shorter than asked is warned
 * of. */
static bool recording_usable(const recording *r, hs_source *src,
                             const char *name, double seconds, const char *kept)
{
	if (interrupted) {
		hs_error("calibration interrupted. %s", kept);
		return false;
	}
	if (r->resized_w) {
		hs_error("the frames of '%s' change size (%dx%d, then %dx%d); "
		         "calibrate on frames of one size. %s",
		         name, r->frame_w, r->frame_h, r->resized_w,
		         r->resized_h, kept);
		return false;
	}
	if (r->rc < 0 && r->rc != HS_EEOF) {
		hs_error("reading '%s' failed: %s. %s", name,
		         hs_strerror(r->rc), kept);
		return false;
	}
	if (r->rc == HS_EEOF && hs_source_cut_short(src, r->frames)) {
		hs_error(
		        "video '%s' ends after %ld of its %ld frames: the file "
		        "looks truncated or damaged. %s",
		        name, r->frames, hs_source_frame_count(src), kept);
		return false;
	}
	if (r->n == 0) {
		const bool both = r->unread[0] && r->unanalysed[0];
		hs_error("no frames to calibrate on from '%s'%s%s%s%s. %s",
		         name, r->unread[0] || r->unanalysed[0] ? ": " : "",
		         r->unread, both ? "; " : "", r->unanalysed, kept);
		return false;
	}
	/* A file shorter than asked: its last frame lasts a frame period
	 * (taken as the mean one), so 5 images at 1 fps cover 5 s. */
	const double period =
	        r->frames > 1 ? (r->t_last - r->t0) / (double)(r->frames - 1)
	                      : 0;
	const double covered = r->t_last - r->t0 + period;
	if (r->rc == HS_EEOF && r->frames == 1) {
		hs_warn("'%s' gives a single frame, not %g s of them; the "
		        "baseline rests on that one",
		        name, seconds);
	} else if (r->rc == HS_EEOF && covered + 0.01 < seconds) {
		hs_warn("'%s' ends %.1f s in, before the %g s asked for; the "
		        "baseline uses the %zu frame%s there %s",
		        name, covered, seconds, r->n, r->n == 1 ? "" : "s",
		        r->n == 1 ? "is" : "are");
	}
	return true;
}

/* What was stored, on stdout. */
static void print_stored(const char *path, const hs_baseline *b,
                         const recording *r)
{
	printf("Baseline stored in %s\n", path);
	/* Degrees as the terminal report writes them (report.h). */
	const char *deg = hs_report_degree(hs_report_locale_charset());
	size_t with_face = 0;
	for (size_t i = 0; i < r->n; i++)
		with_face += r->samples[i].face.found;
	printf("  frames used: %zu", with_face);
	if (with_face < r->n)
		printf(" (of %zu; the others show no face)", r->n);
	printf(", eye distance %.0f px", b->iod_px);
	if (b->has_pitch)
		printf(", head pitch %.1f%s", b->pitch_deg, deg);
	printf(", roll %.1f%s\n", b->roll_deg, deg);
}

int hs_cmd_calibrate(int argc, char **argv)
{
	calib_args args;
	hs_config cfg;
	char path[PATH_MAX], err[HS_MSG_MAX];
	int rc;
	if ((rc = parse_args(argc, argv, &args)) >= 0 ||
	    (rc = load_settings(&args, &cfg)) >= 0 ||
	    (rc = baseline_path(args.output, path, sizeof path)) >= 0)
		return rc;
	/* What a refusal leaves: the old baseline, or none. */
	const char *kept = access(path, F_OK) == 0
	                           ? "The previous baseline was kept."
	                           : "No baseline was stored.";

	hs_source_opts so;
	hs_source_opts_default(&so);
	so.width = (int)cfg.camera_width;
	so.height = (int)cfg.camera_height;
	so.camera_fps = cfg.camera_fps;
	hs_source *src = NULL;
	hs_analyzer *az = NULL;
	hs_image *img = NULL;
	recording *rec = calloc(1, sizeof *rec);
	hs_calib_sample *samples = calloc(MAX_SAMPLES, sizeof *samples);
	running_monitor monitor = { .running = false };
	int status = HS_EXIT_FAILURE;
	if (!rec || !samples)
		goto out;
	rec->samples = samples;
	hs_cv_set_threads(1);
	struct sigaction sa = { .sa_handler = on_interrupt,
		                .sa_flags = SA_RESETHAND };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL); /* the terminal closed */
	/* A file is opened before the monitor hears of this, so that a bad
	 * path fails at once and leaves it alone; a camera once the monitor
	 * let go of it (the default camera is looked for then), unless the
	 * device named is not there at all. */
	const bool camera = hs_source_pick(cfg.source) == &hs_source_camera;
	if (camera && cfg.source[0] && !device_exists(cfg.source)) {
		hs_source_describe_error(cfg.source, HS_ENOENT, err,
		                         sizeof err);
		hs_error("%s", err);
		goto out;
	}
	if (!camera && open_source(cfg.source, &so, kept, &src) < 0)
		goto out;
	pause_running_monitor(&monitor, cfg.calibrate_s + PAUSE_MARGIN_S);
	if (camera && open_source(cfg.source, &so, kept, &src) < 0)
		goto out;
	const char *name = hs_source_device(src);
	if (hs_analyzer_create(cfg.model, cfg.fov_deg, &az) < 0)
		goto out;
	if ((rc = hs_image_create(&img)) < 0) {
		hs_error("cannot make a frame buffer: %s", hs_strerror(rc));
		goto out;
	}

	fprintf(stderr,
	        "Sit upright and face the screen, as you would like to sit.\n"
	        "Recording %g second%s...\n",
	        cfg.calibrate_s, cfg.calibrate_s == 1 ? "" : "s");
	record(src, az, img, cfg.calibrate_s, rec);
	if (!recording_usable(rec, src, name, cfg.calibrate_s, kept))
		goto out;
	hs_baseline b;
	char why[HS_MSG_MAX];
	if (hs_calibration_from_samples(samples, rec->n, rec->frame_w,
	                                rec->frame_h, &b, why,
	                                sizeof why) < 0) {
		hs_error("calibration refused: %s. %s", why, kept);
		goto out;
	}
	snprintf(b.source, sizeof b.source, "%.255s",
	         cfg.source[0] ? cfg.source : name);
	b.created_unix = hs_clock_wall();
	if (hs_calibration_save(path, &b, err, sizeof err) < 0) {
		hs_error("%s", err);
		goto out;
	}
	print_stored(path, &b, rec);
	status = HS_EXIT_OK;
out:
	hs_image_destroy(img);
	hs_analyzer_destroy(az);
	hs_source_destroy(src); /* the camera is free before the monitor
	                           takes it back */
	release_running_monitor(&monitor, status == HS_EXIT_OK ? path : NULL);
	free(samples);
	free(rec);
	return status;
}

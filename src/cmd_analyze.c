/* cmd_analyze.c - `headsup analyze`: head pose for every frame of images,
 * folders and videos, as a table or JSON Lines. */
#include "headsup/analyzer.h"
#include "headsup/calibration.h"
#include "headsup/cli.h"
#include "headsup/config.h"
#include "headsup/detector.h"
#include "headsup/err.h"
#include "headsup/json.h"
#include "headsup/log.h"
#include "headsup/text.h"
#include "headsup/posture.h"
#include "headsup/source.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct analyze_opts {
	bool json;
	double fov_deg;
	double image_fps;
	const char *model;
	const char *calibration;
	bool has_base; /* calibration loaded into base */
	hs_baseline base;
	hs_posture_thresholds th;
} analyze_opts;

static void usage(FILE *out)
{
	fputs("Usage: headsup analyze [OPTION]... PATH...\n"
	      "Print the face and head pose found in every frame of each "
	      "PATH:\n"
	      "an image, a folder of images (in name order) or a video "
	      "file.\n\n"
	      "Options:\n"
	      "  --json               one JSON object per frame (JSON Lines;\n"
	      "                       the keys are listed in the README)\n"
	      "  --calibration FILE   also classify each frame against this\n"
	      "                       baseline (see 'headsup calibrate'),\n"
	      "                       with the posture thresholds 'headsup\n"
	      "                       run' uses\n"
	      "  --config F           settings file (default\n"
	      "                       $XDG_CONFIG_HOME/headsup/config.ini):\n"
	      "                       thresholds, field of view and model\n"
	      "  --fov DEG            camera's horizontal field of view\n"
	      "                       (default: [pose] fov_deg, 60)\n"
	      "  --fps N              time base of image folders: frame i is "
	      "at\n"
	      "                       i/N seconds (default 1)\n"
	      "  --model FILE         face detector model (default: [pose] "
	      "model,\n"
	      "                       else the installed one); a copy of\n"
	      "                       the model headsup was built for\n"
	      "  -h, --help           show this help\n\n"
	      "Angles are in degrees: pitch_down_deg > 0 means the head is "
	      "tilted\n"
	      "down, yaw_deg > 0 turned toward the image's right, roll_deg > "
	      "0\n"
	      "tilted toward the subject's left shoulder.  Positions are in "
	      "frame\n"
	      "pixels.\n\n"
	      "Exit status: 0 when every path was read (a damaged image its\n"
	      "decoder could still read is analysed, with a warning), 1 when\n"
	      "one could not be (the others are still processed) or the\n"
	      "--calibration file cannot be read (permissions, the disk), 2 "
	      "on\na usage or configuration error (a --calibration file that "
	      "is\ndamaged or not there "
	      "included).\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

static void print_row_body(const char *source, long frame, double t,
                           const hs_analysis *an);

/* A frame's single-frame posture against the baseline (--calibration). */
typedef struct frame_posture {
	hs_state state;
	bool has_f; /* f holds the features behind it */
	hs_features f;
} frame_posture;

/* p: NULL without --calibration. */
static void print_posture_json(FILE *o, const frame_posture *p)
{
	if (!p)
		return;
	fputs(", \"posture\": ", o);
	hs_json_string(o, hs_state_name(p->state));
	if (!p->has_f)
		return;
	const hs_features *f = &p->f;
	fputs(", \"features\": {\"pitch_delta_deg\": ", o);
	hs_json_number(o, f->has_pitch ? f->pitch_delta_deg : NAN, 2);
	fputs(", \"drop_iod\": ", o);
	hs_json_number(o, f->drop_iod, 3);
	fputs(", \"lean_ratio\": ", o);
	hs_json_number(o, f->lean_ratio, 3);
	fputs(", \"roll_deg\": ", o);
	hs_json_number(o, f->roll_deg, 2);
	fputc('}', o);
}

static void print_json(const char *source, long frame, double t,
                       const hs_analysis *an, const frame_posture *p)
{
	FILE *o = stdout;
	fputs("{\"source\": ", o);
	hs_json_string(o, source);
	fprintf(o, ", \"frame\": %ld, \"time_s\": ", frame);
	hs_json_number(o, t, 3);
	if (!an->face.found) {
		fputs(", \"face\": false", o);
		print_posture_json(o, p);
		fputs("}\n", o);
		return;
	}
	const hs_face *f = &an->face;
	fputs(", \"face\": true, \"detector\": ", o);
	hs_json_string(o, f->detector);
	if (strcmp(f->detector, "haar") != 0) {
		fputs(", \"score\": ", o);
		hs_json_number(o, f->score, 3);
	}
	fputs(", \"box\": [", o);
	for (int i = 0; i < 4; i++) {
		hs_json_number(o, f->box[i], 1);
		fputs(i < 3 ? ", " : "]", o);
	}
	if (f->kp_valid) {
		fputs(", \"landmarks\": {", o);
		bool first = true;
		for (int k = 0; k < HS_KP_COUNT; k++) {
			if (!(f->kp_valid & HS_KP_BIT(k)))
				continue;
			fprintf(o, "%s\"%s\": [", first ? "" : ", ",
			        hs_keypoint_names[k]);
			hs_json_number(o, f->kp[k].x, 1);
			fputs(", ", o);
			hs_json_number(o, f->kp[k].y, 1);
			fputc(']', o);
			first = false;
		}
		fputc('}', o);
	}
	if (an->has_pose && an->pose.has_pitch) {
		fputs(", \"pitch_down_deg\": ", o);
		hs_json_number(o, an->pose.pitch_down_deg, 2);
		fputs(", \"yaw_deg\": ", o);
		hs_json_number(o, an->pose.yaw_deg, 2);
	}
	if (an->has_pose) {
		fputs(", \"roll_deg\": ", o);
		hs_json_number(o, an->pose.roll_deg, 2);
	}
	print_posture_json(o, p);
	fputs("}\n", o);
}

static void print_row(const char *source, long frame, double t,
                      const hs_analysis *an, const frame_posture *p,
                      bool *header_done)
{
	if (!*header_done) {
		printf("%-32s %6s %8s %-9s %5s %7s %7s %7s%s\n", "source",
		       "frame", "time_s", "detector", "score", "pitch", "yaw",
		       "roll", p ? "  posture" : "");
		*header_done = true;
	}
	print_row_body(source, frame, t, an);
	if (p)
		printf("  %s", hs_state_name(p->state));
	putchar('\n');
}

static void print_row_body(const char *source, long frame, double t,
                           const hs_analysis *an)
{
	/* A long path keeps its end, the file's name, and shows it was
	 * cut; control characters in it are not sent to the terminal. */
	char shown[PATH_MAX];
	snprintf(shown, sizeof shown, "%s", source);
	hs_log_clean(shown);
	source = shown;
	/* Padded by characters, not bytes: a name in UTF-8 ("ünïcödé.jpg")
	 * keeps the columns after it in line. */
	size_t len = (size_t)hs_text_columns(source, strlen(source));
	if (len > 32) {
		const char *end = source + strlen(source);
		for (size_t kept = 0; kept < 29; kept++)
			do
				end--;
			while ((*end & 0xc0) == 0x80);
		printf("...%s", end);
		len = 32;
	} else {
		fputs(source, stdout);
	}
	printf("%*s", (int)(32 - len), "");
	printf(" %6ld %8.2f ", frame, t);
	if (!an->face.found) {
		printf("%-9s %5s %7s %7s %7s", "no face", "", "", "", "");
		return;
	}
	printf("%-9s ", an->face.detector);
	if (strcmp(an->face.detector, "haar") != 0)
		printf("%5.2f ", (double)an->face.score);
	else
		printf("%5s ", "-");
	if (an->has_pose && an->pose.has_pitch)
		printf("%7.1f %7.1f ", an->pose.pitch_down_deg,
		       an->pose.yaw_deg);
	else
		printf("%7s %7s ", "-", "-");
	if (an->has_pose)
		printf("%7.1f", an->pose.roll_deg);
	else
		printf("%7s", "-");
}

/* The frame's posture for --calibration.  base is the baseline scaled to
 * the frames of this path so far; a frame of another shape reads
 * uncalibrated, which is said once per path (*warned). */
static const frame_posture *posture_of(const analyze_opts *o, hs_baseline *base,
                                       const char *path, const hs_analysis *an,
                                       bool *warned, frame_posture *out)
{
	bool fits = hs_baseline_fit_frame(base, an->frame_w, an->frame_h) >= 0;
	if (!fits && !*warned) {
		hs_warn("the calibration '%s' was recorded from %dx%d frames, "
		        "but '%s' gives %dx%d, another shape: its frames read "
		        "\"uncalibrated\"",
		        o->calibration, base->frame_w, base->frame_h, path,
		        an->frame_w, an->frame_h);
		*warned = true;
	}
	/* Once a run: frames give a pitch the baseline lacks. */
	static bool pitchless_told;
	if (fits && !pitchless_told &&
	    hs_baseline_lacks_pitch(base, an->has_pose ? &an->pose : NULL)) {
		hs_warn("the calibration '%s' %s", o->calibration,
		        hs_baseline_pitchless_advice);
		pitchless_told = true;
	}
	out->has_f = fits && an->face.found &&
	             hs_posture_features(base, &an->face,
	                                 an->has_pose ? &an->pose : NULL,
	                                 &out->f) == 0;
	out->state =
	        fits ? hs_posture_classify(&o->th, out->has_f ? &out->f : NULL)
	             : HS_STATE_UNCALIBRATED;
	return out;
}

/* Analyse every frame of one path; false when something could not be
 * read. */
static bool analyze_path(hs_analyzer *az, hs_image *img, const char *path,
                         const analyze_opts *o, bool *header_done)
{
	hs_source_opts so;
	hs_source_opts_default(&so);
	so.image_fps = o->image_fps;
	/* analyze reads no camera: a folder or file named with digits only
	 * ("2024") is read as "./2024" would be. */
	char dotted[PATH_MAX];
	struct stat sb;
	const bool exists = stat(path, &sb) == 0;
	const char *open_as = path;
	if (exists && strspn(path, "0123456789") == strlen(path) &&
	    snprintf(dotted, sizeof dotted, "./%s", path) < (int)sizeof dotted)
		open_as = dotted;
	if (hs_source_pick(open_as) == &hs_source_camera) {
		if (!exists)
			hs_error("cannot open '%s': %s", path,
			         hs_strerror(hs_err_from_errno(errno)));
		else
			hs_error("'%s' is a device, not a file; analyze reads "
			         "image and video files and folders of images "
			         "(a camera is watched with 'headsup run "
			         "--source %s')",
			         path, path);
		return false;
	}
	char err[HS_MSG_MAX];
	hs_source *src = NULL;
	if (hs_source_open(open_as, &so, &src, err, sizeof err) < 0) {
		hs_error("%s", err);
		return false;
	}
	bool ok = true, warned = false;
	/* The baseline, scaled to each frame's size as it changes. */
	hs_baseline base = o->base;
	long frame = 0;
	double t;
	int rc;
	while ((rc = hs_source_grab(src, &t)) == 0) {
		rc = hs_source_retrieve(src, img);
		if (rc < 0) {
			const char *name = hs_source_frame_name(src);
			char why[HS_WHY_MAX];
			hs_source_unreadable_words(rc, why, sizeof why);
			hs_error("cannot read %s '%s': %s",
			         name ? "image" : "frame", name ? name : path,
			         why);
			ok = false;
			frame++;
			continue;
		}
		if (rc == HS_IMAGE_DAMAGED)
			hs_warn("image '%s' may be damaged (%s); what could be "
			        "decoded of it is analysed",
			        hs_source_frame_name(src),
			        hs_shim_last_error());
		hs_analysis an;
		rc = hs_analyzer_run(az, img, &an);
		if (rc < 0) {
			hs_error("cannot analyse frame %ld of '%s': %s %s",
			         frame, path, hs_strerror(rc),
			         hs_shim_last_error());
			ok = false;
			frame++;
			continue;
		}
		frame_posture posture;
		const frame_posture *p =
		        o->has_base ? posture_of(o, &base, path, &an, &warned,
		                                 &posture)
		                    : NULL;
		/* The table names the image a row is about (a folder's
		 * file); JSON keeps "source" the path as given. */
		const char *image = hs_source_frame_name(src);
		if (o->json)
			print_json(path, frame, t, &an, p);
		else
			print_row(image ? image : path, frame, t, &an, p,
			          header_done);
		frame++;
		/* Nobody reads the rest: a full disk, a closed pipe. */
		if (ferror(stdout) && !hs_cli_stdout_ok()) {
			hs_source_destroy(src);
			return false;
		}
	}
	if (rc != HS_EEOF) {
		hs_error("reading '%s' failed after %ld frames: %s", path,
		         frame, hs_strerror(rc));
		ok = false;
	}
	if (hs_source_backend(src) == &hs_source_video && frame == 0) {
		hs_error("video '%s' has no frames that can be decoded", path);
		ok = false;
	} else if (hs_source_cut_short(src, frame)) {
		hs_error("video '%s' ended after %ld of %ld frames; the file "
		         "looks truncated or damaged",
		         path, frame, hs_source_frame_count(src));
		ok = false;
	}
	hs_source_destroy(src);
	return hs_cli_stdout_ok() && ok;
}

static bool parse_positive(const char *s, double min, double max, double *out)
{
	double v = 0;
	if (hs_config_number(s, false, &v) < 0 || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int hs_cmd_analyze(int argc, char **argv)
{
	enum {
		OPT_JSON = 256,
		OPT_CAL,
		OPT_FOV,
		OPT_FPS,
		OPT_MODEL,
		OPT_CONFIG
	};
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "calibration", required_argument, NULL, OPT_CAL },
		{ "fov", required_argument, NULL, OPT_FOV },
		{ "fps", required_argument, NULL, OPT_FPS },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	analyze_opts o = { .fov_deg = NAN, .image_fps = 1.0 };
	const char *config = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_CAL:
			o.calibration = optarg;
			break;
		case OPT_FOV:
			if (!parse_positive(optarg, 20, 150, &o.fov_deg))
				return hs_cli_usage_error(
				        "analyze",
				        "--fov takes degrees from 20 to 150, "
				        "not '%s'",
				        optarg);
			break;
		case OPT_FPS:
			if (!parse_positive(optarg, 0.001, 1000, &o.image_fps))
				return hs_cli_usage_error(
				        "analyze",
				        "--fps takes images per second from "
				        "0.001 to 1000, not '%s'",
				        optarg);
			break;
		case OPT_MODEL:
			o.model = optarg;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case 'h':
			usage(stdout);
			return HS_EXIT_OK;
		default:
			return hs_cli_bad_option("analyze", argv, opts);
		}
	}
	if (optind >= argc)
		return hs_cli_usage_error("analyze", "no PATH given");
	for (int i = optind; i < argc; i++)
		if (!argv[i][0])
			return hs_cli_usage_error(
			        "analyze",
			        "a PATH given as '' names nothing; give image "
			        "or video files, or folders of images");
	const int unusable = hs_cli_check_paths(
	        "analyze", "--calibration", o.calibration, "--config", config,
	        "--model", o.model, NULL);
	if (unusable)
		return unusable;
	/* The settings `headsup run` uses, so that both read frames alike;
	 * the options given here win. */
	hs_config cfg;
	char why[HS_MSG_MAX];
	hs_config_defaults(&cfg);
	if (hs_config_load(&cfg, config, why, sizeof why) < 0) {
		hs_error("%s", why);
		return HS_EXIT_USAGE;
	}
	if (isnan(o.fov_deg))
		o.fov_deg = cfg.fov_deg;
	if (!o.model)
		o.model = cfg.model;
	if (hs_detector_check_model(o.model, why, sizeof why) < 0) {
		hs_error("%s", why);
		return HS_EXIT_USAGE;
	}

	if (o.calibration) {
		char err[HS_MSG_MAX];
		int rc = hs_calibration_load(o.calibration, &o.base, err,
		                             sizeof err);
		if (rc < 0)
			return hs_cli_baseline_error(rc, err);
		hs_cli_baseline_warn_old(o.calibration, &o.base);
		o.has_base = true;
		hs_posture_thresholds_from_config(&cfg, &o.th);
	}
	hs_cv_set_threads(1);
	hs_analyzer *az = NULL;
	hs_image *img = NULL;
	int rc = hs_analyzer_create(o.model, o.fov_deg, &az);
	if (rc < 0)
		return HS_EXIT_FAILURE;
	/* every frame gets its own whole answer, small faces included */
	hs_analyzer_thorough(az, true);
	if ((rc = hs_image_create(&img)) < 0) {
		hs_error("cannot make a frame buffer: %s", hs_strerror(rc));
		hs_analyzer_destroy(az);
		return HS_EXIT_FAILURE;
	}
	bool ok = true, header_done = false;
	for (int i = optind; i < argc && hs_cli_stdout_ok(); i++)
		ok = analyze_path(az, img, argv[i], &o, &header_done) && ok;
	hs_image_destroy(img);
	hs_analyzer_destroy(az);
	return ok ? HS_EXIT_OK : HS_EXIT_FAILURE;
}

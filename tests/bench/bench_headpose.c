/* bench_headpose.c - how well and how fast headsup reads head pose.
 *
 * Runs the real analyzer (detector + face mesh + pose, as installed in the
 * build tree; --pnp for PnP on BlazeFace's keypoints instead) on
 * ../shared/fixtures and prints every figure of the Accuracy and
 * Speed sections:
 *   Pointing'04  detection rate over |pitch| <= 30, |pan| <= 30; pitch
 *                relative to each series' pitch 0 / pan 0 image (taken
 *                as the monitor does: a baseline calibrated on that image,
 *                and the pitch delta of the features against it): its mean
 *                absolute error at pan 0, pitch +-15 and +-30, and the
 *                "looking down" call the monitor makes (head pitch change /
 *                posture.head_share >= 15, src/posture.c) as true-positive
 *                rate on pitch >= 30 and false-positive rate on pitch <= 0,
 *                both over |pan| <= 30 (no face = not looking down).
 *                Then the same three figures held out: each person read
 *                with the head share fitted (least squares) on the other
 *                people only, as a guide to people the share never saw.
 *                And the looking-down rates over |pan| <= 60 (a second
 *                screen to the side), where a tilted camera tells most.
 *   AFLW2000     absolute pitch MAE over |yaw| <= 30, every angle within 99.
 *   Speed        median ms per 640x480 frame (Pointing'04 images scaled up)
 *                for detect + pose on one thread, and in the same run the
 *                same frames through OpenCV's Haar frontal-face cascade
 *                (detectMultiScale, scaleFactor 1.1, minNeighbors 4, minimum
 *                face 48 px = frame height / 10, after grey + equalizeHist:
 *                the fallback detector's settings), and the ratio.
 *   Forward      median ms of one BlazeFace forward pass on the same frames
 *                (letterboxed once, untimed): the C engine headsup runs
 *                (src/nn.c) and OpenCV's cv::dnn, its reference, each on
 *                one thread in passes of their own, and the ratio.
 *   Start-up     median wall time of `headsup analyze --json IMAGE`.
 *
 * Usage: bench_headpose [--json] [--frames N] [--runs N] [--fov DEG]
 *                       [--head-model FILE] [--pnp] [--tilt DEG]
 * --tilt turns every Pointing'04 image DEG degrees clockwise about its
 * centre first (black corners): a webcam clipped on crookedly.
 * A benchmark, not a test: it exits 0 once it has run, whatever the
 * figures, and 1 when it cannot run (fixtures, labels, models or the Haar
 * cascade missing), saying which.
 */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "headsup/analyzer.h"
#include "headsup/detector.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/nn.h"
#include "headsup/paths.h"
#include "headsup/pose.h"
#include "headsup/posture.h"
#include "headsup/resample.h"
#include "headsup/shim.h"
#include "testutil.h"

extern char **environ;

#define MAX_ROWS 1024
#define SPEED_W 640
#define SPEED_H 480

typedef struct sample {
	char file[128];
	int person, series;
	double pitch, yaw_or_pan, roll; /* labels */
	bool found, has_pitch, from_mesh;
	double est_pitch;    /* pitch_down_deg as headsup reads it */
	hs_calib_sample cal; /* the analysis, as calibration takes it */
	int frame_w, frame_h;
	/* The head's pitch change against its series' frontal image, as the
	 * monitor measures it; has_rel false without one. */
	bool has_rel;
	double rel_pitch;
} sample;

/* Pointing'04 counts for one set of thresholds over one person (0: all). */
typedef struct tally {
	double err, head_err; /* sums of absolute error, look and head */
	int n;                /* pan 0, pitch +-15/+-30 */
	int tp, pos, fp, neg;
} tally;

/* Mean absolute error of a tally's looking-down estimate (head / share) or
 * of the head's own pitch change; NAN when it has none. */
static double tally_mae(const tally *t, bool head)
{
	return t->n ? (head ? t->head_err : t->err) / t->n : NAN;
}

typedef struct figures {
	int det_n, det_total;
	tally all;  /* the default thresholds, every person */
	tally ho;   /* each person with the share fitted on the others */
	tally wide; /* the default thresholds, |pan| <= 60 */
	double head_share;
	double fit_share;   /* least-squares share over every person */
	int mesh_n, pose_n; /* poses from the face mesh, of all poses */
	double abs_mae;
	int abs_n;
	double ours_ms, haar_ms;
	int speed_frames;
	double nn_ms, dnn_ms; /* one forward pass: C engine, cv::dnn */
	const char *nn_isa;
	double startup_ms;
	int startup_runs;
	const char *detector;
	double tilt_deg; /* --tilt */
} figures;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (n <= 0)
		return NAN;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Read a labels.csv: Pointing'04 (file,person,series,pitch,pan,...) when
 * p04, else AFLW2000 (file,pitch,yaw,roll).  Returns rows read, -1 when
 * the file cannot be opened. */
static int read_labels(const char *path, bool p04, sample *rows, int max)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[512];
	int n = 0;
	if (!fgets(line, sizeof line, f)) { /* header */
		fclose(f);
		return 0;
	}
	while (n < max && fgets(line, sizeof line, f)) {
		sample *s = &rows[n];
		memset(s, 0, sizeof *s);
		int got;
		if (p04)
			got = sscanf(line, "%127[^,],%d,%d,%lf,%lf", s->file,
			             &s->person, &s->series, &s->pitch,
			             &s->yaw_or_pan);
		else
			got = sscanf(line, "%127[^,],%lf,%lf,%lf", s->file,
			             &s->pitch, &s->yaw_or_pan, &s->roll);
		if (got == 5 || (!p04 && got == 4))
			n++;
	}
	fclose(f);
	return n;
}

/* Turn img deg degrees clockwise on screen about its centre, in place,
 * through the resampler the face mesh uses (bilinear, black outside). */
static int tilt_image(hs_image *img, double deg)
{
	hs_pixels px;
	int rc = hs_image_pixels(img, &px);
	if (rc < 0)
		return rc;
	const size_t n = (size_t)px.w * (size_t)px.h * 3;
	float *rgb = malloc(n * sizeof *rgb);
	unsigned char *bgr = malloc(n);
	rc = HS_ENOMEM;
	if (!rgb || !bgr)
		goto out;
	/* Output pixel q shows the frame at c + Rot(-deg) (q - c), c the
	 * centre (pixel centres on whole coordinates). */
	const double t = deg * M_PI / 180, co = cos(t), si = sin(t);
	const double cx = (px.w - 1) / 2.0, cy = (px.h - 1) / 2.0;
	const double A[6] = { co,  si, cx - co * cx - si * cy,
		              -si, co, cy + si * cx - co * cy };
	rc = hs_resample_affine(&px, A, px.w, px.h, 1, 0, rgb);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i += 3)
		for (int k = 0; k < 3; k++) {
			const float v = rgb[i + 2 - k] + 0.5f;
			bgr[i + k] = (unsigned char)(v < 0     ? 0
			                             : v > 255 ? 255
			                                       : v);
		}
	rc = hs_image_from_bgr(img, bgr, px.w, px.h);
out:
	free(rgb);
	free(bgr);
	return rc;
}

/* Run the analyzer on every row's image, turned tilt degrees first when
 * not 0. */
static void analyse_rows(hs_analyzer *az, hs_image *img, const char *dir,
                         sample *rows, int n, double tilt)
{
	char path[PATH_MAX];
	for (int i = 0; i < n; i++) {
		hs_analysis an;
		if (snprintf(path, sizeof path, "%s/%s", dir, rows[i].file) >=
		    (int)sizeof path)
			continue;
		if (hs_image_load(img, path) < 0 ||
		    (tilt != 0 && tilt_image(img, tilt) < 0) ||
		    hs_analyzer_run(az, img, &an) < 0) {
			fprintf(stderr, "bench_headpose: cannot analyse '%s'\n",
			        path);
			continue;
		}
		rows[i].found = an.face.found;
		rows[i].has_pitch = an.has_pose && an.pose.has_pitch;
		rows[i].est_pitch = an.pose.pitch_down_deg;
		rows[i].from_mesh = an.has_pose && an.pose_from_mesh;
		rows[i].cal.face = an.face;
		rows[i].cal.pose = an.pose;
		rows[i].cal.has_pose = an.has_pose;
		rows[i].frame_w = an.frame_w;
		rows[i].frame_h = an.frame_h;
	}
}

static const sample *baseline_of(const sample *rows, int n, int person,
                                 int series)
{
	for (int i = 0; i < n; i++)
		if (rows[i].person == person && rows[i].series == series &&
		    rows[i].pitch == 0 && rows[i].yaw_or_pan == 0)
			return rows[i].has_pitch ? &rows[i] : NULL;
	return NULL;
}

/* Each row's pitch change the way the monitor takes it: a baseline
 * calibrated on the series' frontal image alone (hs_calibration_from_samples)
 * and the features against it (hs_posture_features), so the head's pitch
 * change is measured as a level camera would read it. */
static void relate_rows(sample *rows, int n)
{
	for (int i = 0; i < n; i++) {
		sample *s = &rows[i];
		s->has_rel = false;
		const sample *fr = baseline_of(rows, n, s->person, s->series);
		if (!fr || !s->has_pitch)
			continue;
		hs_baseline b;
		hs_features f;
		char why[256];
		if (hs_calibration_from_samples(&fr->cal, 1, fr->frame_w,
		                                fr->frame_h, &b, why,
		                                sizeof why) < 0) {
			fprintf(stderr,
			        "bench_headpose: no baseline from '%s': %s\n",
			        fr->file, why);
			continue;
		}
		if (hs_posture_features(&b, &s->cal.face, &s->cal.pose, &f) <
		            0 ||
		    !f.has_pitch)
			continue;
		s->has_rel = true;
		s->rel_pitch = f.pitch_delta_deg;
	}
}

/* The head's pitch change against s's series baseline; false without one. */
static bool head_delta(const sample *s, double *d)
{
	if (!s->has_rel)
		return false;
	*d = s->rel_pitch;
	return true;
}

static bool in_error_set(const sample *s)
{
	return s->yaw_or_pan == 0 &&
	       (fabs(s->pitch) == 15 || fabs(s->pitch) == 30);
}

static void pointing04_tally(const sample *rows, int n,
                             const hs_posture_thresholds *th, int person,
                             double max_pan, tally *t)
{
	for (int i = 0; i < n; i++) {
		const sample *s = &rows[i];
		if (fabs(s->yaw_or_pan) > max_pan ||
		    (person && s->person != person))
			continue;
		double d = 0;
		bool has_rel = head_delta(s, &d);
		const hs_features f = { .has_pitch = has_rel,
			                .pitch_delta_deg = d };
		const double look = hs_posture_gaze_delta(th, &f);
		if (in_error_set(s)) {
			/* A miss counts as reading 0 (no change). */
			t->err += fabs(look - s->pitch);
			t->head_err += fabs(d - s->pitch);
			t->n++;
		}
		bool down = has_rel && look >= th->looking_down_enter_deg;
		if (s->pitch >= 30) {
			t->pos++;
			t->tp += down;
		}
		if (s->pitch <= 0) {
			t->neg++;
			t->fp += down;
		}
	}
}

/* The head share that fits the error set best (least squares of label =
 * head change / share), over every person but skip. */
static double fit_share(const sample *rows, int n, int skip)
{
	double hh = 0, hl = 0;
	for (int i = 0; i < n; i++) {
		const sample *s = &rows[i];
		double d;
		if (s->person == skip || !in_error_set(s) || !head_delta(s, &d))
			continue;
		hh += d * d;
		hl += d * s->pitch;
	}
	return hl > 0 ? hh / hl : NAN;
}

static void pointing04_figures(const sample *rows, int n, figures *fg)
{
	/* The call the monitor makes: the default posture thresholds on the
	 * head's pitch change against the series' frontal image. */
	hs_posture_thresholds th;
	hs_posture_thresholds_default(&th);
	fg->head_share = th.head_share;
	int max_person = 0;
	for (int i = 0; i < n; i++) {
		const sample *s = &rows[i];
		if (s->has_pitch) {
			fg->pose_n++;
			fg->mesh_n += s->from_mesh;
		}
		if (fabs(s->yaw_or_pan) <= 30 && fabs(s->pitch) <= 30) {
			fg->det_total++;
			fg->det_n += s->found;
		}
		if (s->person > max_person)
			max_person = s->person;
	}
	pointing04_tally(rows, n, &th, 0, 30, &fg->all);
	pointing04_tally(rows, n, &th, 0, 60, &fg->wide);

	/* Held out: each person read with the share fitted on the others, as
	 * the default was fitted on everyone.  What to expect of a person
	 * the share has not seen. */
	for (int p = 1; p <= max_person; p++) {
		hs_posture_thresholds fold = th;
		fold.head_share = fit_share(rows, n, p);
		if (!isfinite(fold.head_share))
			continue;
		pointing04_tally(rows, n, &fold, p, 30, &fg->ho);
	}
	fg->fit_share = fit_share(rows, n, -1);
}

static void aflw_figures(const sample *rows, int n, figures *fg)
{
	double sum = 0;
	for (int i = 0; i < n; i++) {
		const sample *s = &rows[i];
		if (fabs(s->yaw_or_pan) > 30 || fabs(s->pitch) > 99 ||
		    fabs(s->yaw_or_pan) > 99 || fabs(s->roll) > 99)
			continue;
		/* A face not found counts as reading 0. */
		sum += fabs((s->has_pitch ? s->est_pitch : 0) - s->pitch);
		fg->abs_n++;
	}
	fg->abs_mae = fg->abs_n ? sum / fg->abs_n : NAN;
}

/* Time fn over the frames, appending to t[*k]. */
typedef void (*timed_fn)(void *ctx, const hs_image *frame);

static void time_pass(hs_image **frames, int n, timed_fn fn, void *ctx,
                      double *t, int *k)
{
	fn(ctx, frames[0]); /* warm up: first calls allocate buffers */
	for (int i = 0; i < n; i++) {
		double t0 = now_ms();
		fn(ctx, frames[i]);
		t[(*k)++] = now_ms() - t0;
	}
}

static void run_ours(void *ctx, const hs_image *frame)
{
	hs_analysis an;
	hs_analyzer_run(ctx, frame, &an);
}

static void run_haar(void *ctx, const hs_image *frame)
{
	hs_rect box;
	hs_haar_detect(ctx, frame, &box, NULL, NULL);
}

/* One forward pass on input i of ctx's inputs. */
typedef struct forward_ctx {
	hs_nn *nn;
	hs_facenet *dnn;
	const float *inputs; /* n x HS_FACENET_INPUT_FLOATS */
} forward_ctx;

static void run_nn(void *ctx, int i)
{
	forward_ctx *c = ctx;
	hs_nn_run(c->nn, c->inputs + (size_t)i * HS_FACENET_INPUT_FLOATS,
	          HS_FACENET_INPUT_FLOATS);
}

static void run_dnn(void *ctx, int i)
{
	forward_ctx *c = ctx;
	const float *scores, *regs;
	hs_facenet_forward(c->dnn,
	                   c->inputs + (size_t)i * HS_FACENET_INPUT_FLOATS,
	                   &scores, &regs);
}

static void time_inputs(int n, void (*fn)(void *ctx, int i), void *ctx,
                        double *t, int *k)
{
	fn(ctx, 0); /* warm up */
	for (int i = 0; i < n; i++) {
		double t0 = now_ms();
		fn(ctx, i);
		t[(*k)++] = now_ms() - t0;
	}
}

/* Median ms per forward pass of the C engine and of cv::dnn over the
 * frames, letterboxed beforehand; the engine runs before and after
 * cv::dnn, as in speed_figures(). */
static void forward_figures(hs_image **frames, int nf, figures *fg)
{
	char model[PATH_MAX], err[512];
	forward_ctx c = { NULL, NULL, NULL };
	float *inputs =
	        calloc((size_t)nf * HS_FACENET_INPUT_FLOATS, sizeof *inputs);
	double *tn = calloc(2 * (size_t)nf, sizeof *tn);
	double *td = calloc((size_t)nf, sizeof *td);
	float *scratch = NULL;
	size_t scratch_n = 0;
	if (!inputs || !tn || !td)
		goto cleanup;
	if (hs_path_data_file("blazeface-front-128.onnx", model, sizeof model) <
	            0 ||
	    hs_nn_create(model, &c.nn, err, sizeof err) < 0 ||
	    hs_facenet_create(model, &c.dnn) < 0) {
		fprintf(stderr,
		        "bench_headpose: cannot load '%s' in both engines: "
		        "%s\n",
		        model, err);
		goto cleanup;
	}
	for (int i = 0; i < nf; i++) {
		hs_letterbox lb;
		hs_pixels px;
		if (hs_image_pixels(frames[i], &px) < 0 ||
		    hs_resample_reserve(&px, &scratch, &scratch_n) < 0 ||
		    hs_resample_letterbox(
		            &px, HS_FACENET_INPUT, 2.0f / 255.0f, -1.0f,
		            scratch, scratch_n,
		            inputs + (size_t)i * HS_FACENET_INPUT_FLOATS,
		            &lb) < 0)
			goto cleanup;
	}
	c.inputs = inputs;
	int kn = 0, kd = 0;
	time_inputs(nf, run_nn, &c, tn, &kn);
	time_inputs(nf, run_dnn, &c, td, &kd);
	time_inputs(nf, run_nn, &c, tn, &kn);
	fg->nn_ms = median(tn, kn);
	fg->dnn_ms = median(td, kd);
	fg->nn_isa = hs_nn_isa(c.nn);
cleanup:
	hs_facenet_destroy(c.dnn);
	hs_nn_destroy(c.nn);
	free(inputs);
	free(tn);
	free(td);
	free(scratch);
}

/* Median ms per 640x480 frame: ours (detect + pose) and Haar's face
 * search.  Each runs over all frames in a pass of its own (interleaving
 * frame by frame would let Haar's large working set evict ours from the
 * caches); ours runs before and after Haar, so both see the same load. */
static void speed_figures(hs_analyzer *az, hs_haar *haar, hs_image *img,
                          const char *dir, const sample *rows, int n,
                          int max_frames, figures *fg)
{
	hs_image **frames = calloc((size_t)max_frames, sizeof *frames);
	double *ours = calloc(2 * (size_t)max_frames, sizeof *ours);
	double *base = calloc((size_t)max_frames, sizeof *base);
	int nf = 0;
	if (!frames || !ours || !base)
		goto cleanup;
	char path[PATH_MAX];
	for (int i = 0; i < n && nf < max_frames; i++) {
		const sample *s = &rows[i];
		if (fabs(s->yaw_or_pan) > 30 || fabs(s->pitch) > 30)
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, s->file) >=
		    (int)sizeof path)
			continue;
		if (hs_image_create(&frames[nf]) < 0)
			break;
		if (hs_image_load(img, path) < 0 ||
		    hs_image_resize(img, SPEED_W, SPEED_H, frames[nf]) < 0) {
			hs_image_destroy(frames[nf]);
			frames[nf] = NULL;
			continue;
		}
		nf++;
	}
	if (nf == 0)
		goto cleanup;
	int ko = 0, kh = 0;
	time_pass(frames, nf, run_ours, az, ours, &ko);
	time_pass(frames, nf, run_haar, haar, base, &kh);
	time_pass(frames, nf, run_ours, az, ours, &ko);
	fg->speed_frames = nf;
	fg->ours_ms = median(ours, ko);
	fg->haar_ms = median(base, kh);
	forward_figures(frames, nf, fg);
cleanup:
	for (int i = 0; frames && i < nf; i++)
		hs_image_destroy(frames[i]);
	free(frames);
	free(ours);
	free(base);
}

/* Median wall time of `headsup analyze --json image`, output discarded. */
static void startup_figures(const char *image, int runs, figures *fg)
{
	double *t = calloc((size_t)runs, sizeof *t);
	if (!t)
		return;
	int k = 0;
	for (int i = 0; i < runs; i++) {
		char bin[PATH_MAX], cmd[] = "analyze", opt[] = "--json",
		                    arg[PATH_MAX + 256];
		snprintf(bin, sizeof bin, "%s", hs_test_bin());
		snprintf(arg, sizeof arg, "%s", image);
		char *argv[] = { bin, cmd, opt, arg, NULL };
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
		                                 0);
		pid_t pid;
		double t0 = now_ms();
		int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		int st;
		if (rc != 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			continue;
		t[k++] = now_ms() - t0;
	}
	fg->startup_runs = k;
	fg->startup_ms = median(t, k);
	free(t);
}

static double pct(int a, int b)
{
	return b ? 100.0 * a / b : NAN;
}

static void print_text(const figures *f, const char *model_note)
{
	printf("headsup head-pose benchmark (detector %s, %s", f->detector,
	       model_note);
	if (f->tilt_deg != 0)
		printf(", Pointing'04 turned %g degrees", f->tilt_deg);
	printf(")\n\n");
	printf("%-52s %10s %10s\n", "measure", "value", "target");
	printf("%-52s %9.1f%% %10s   (%d/%d)\n",
	       "Pointing'04 detection, |pitch|,|pan| <= 30",
	       pct(f->det_n, f->det_total), ">= 99%", f->det_n, f->det_total);
	printf("%-52s %9.2f  %10s   (n=%d, head pitch / %.2f)\n",
	       "Pointing'04 relative pitch MAE, pan 0, +-15/+-30",
	       tally_mae(&f->all, false), "<= 5", f->all.n, f->head_share);
	printf("%-52s %9.2f  %10s   (n=%d)\n",
	       "  the same, head pitch change alone", tally_mae(&f->all, true),
	       "", f->all.n);
	printf("%-52s %9.1f%% %10s   (%d/%d)\n",
	       "looking-down TPR, pitch >= 30, |pan| <= 30",
	       pct(f->all.tp, f->all.pos), ">= 97%", f->all.tp, f->all.pos);
	printf("%-52s %9.1f%% %10s   (%d/%d)\n",
	       "looking-down FPR, pitch <= 0, |pan| <= 30",
	       pct(f->all.fp, f->all.neg), "<= 2%", f->all.fp, f->all.neg);
	printf("%-52s %9.1f%% %10s   (%d/%d)\n", "  the same, |pan| <= 60",
	       pct(f->wide.tp, f->wide.pos), "", f->wide.tp, f->wide.pos);
	printf("%-52s %9.1f%% %10s   (%d/%d)\n", "  FPR, |pan| <= 60",
	       pct(f->wide.fp, f->wide.neg), "", f->wide.fp, f->wide.neg);
	printf("%-52s %9.2f  %10s   (n=%d, share fitted on the others)\n",
	       "  held out: each person, MAE", tally_mae(&f->ho, false), "",
	       f->ho.n);
	printf("%-52s %9.1f%% %10s   (%d/%d)\n", "  held out: each person, TPR",
	       pct(f->ho.tp, f->ho.pos), "", f->ho.tp, f->ho.pos);
	printf("%-52s %9.1f%% %10s   (%d/%d)\n", "  held out: each person, FPR",
	       pct(f->ho.fp, f->ho.neg), "", f->ho.fp, f->ho.neg);
	printf("%-52s %9.2f  %10s\n",
	       "  head share, least squares over every person", f->fit_share,
	       "");
	printf("%-52s %9.2f  %10s   (n=%d)\n",
	       "AFLW2000 absolute pitch MAE, |yaw| <= 30", f->abs_mae, "<= 4.5",
	       f->abs_n);
	printf("%-52s %9.1f%% %10s   (%d/%d)\n",
	       "poses from the face mesh (others: PnP)",
	       pct(f->mesh_n, f->pose_n), "", f->mesh_n, f->pose_n);
	printf("%-52s %9.2f  %10s   (%d frames)\n",
	       "median ms/frame 640x480, detect + pose, 1 thread", f->ours_ms,
	       "<= 3.5", f->speed_frames);
	printf("%-52s %9.2f  %10s\n", "median ms/frame, Haar detectMultiScale",
	       f->haar_ms, "");
	printf("%-52s %9.1fx %10s\n", "speed-up over Haar",
	       f->haar_ms / f->ours_ms, ">= 15x");
	char what[64];
	snprintf(what, sizeof what, "median ms/forward, C engine (%s)",
	         f->nn_isa ? f->nn_isa : "-");
	printf("%-52s %9.2f  %10s\n", what, f->nn_ms, "");
	printf("%-52s %9.2f  %10s\n", "median ms/forward, cv::dnn (reference)",
	       f->dnn_ms, "");
	printf("%-52s %9.1fx %10s\n", "C engine speed-up over cv::dnn",
	       f->dnn_ms / f->nn_ms, "");
	printf("%-52s %9.1f  %10s   (%d runs)\n",
	       "start-up: `headsup analyze --json IMAGE`, ms", f->startup_ms,
	       "low", f->startup_runs);
}

static void json_num(const char *key, double v, int prec, bool comma)
{
	if (isfinite(v))
		printf("\"%s\": %.*f%s", key, prec, v, comma ? ", " : "");
	else
		printf("\"%s\": null%s", key, comma ? ", " : "");
}

static void print_json(const figures *f)
{
	printf("{\"detector\": \"%s\", ", f->detector);
	json_num("detection_rate", pct(f->det_n, f->det_total) / 100, 4, true);
	printf("\"detection_n\": %d, ", f->det_total);
	json_num("relative_pitch_mae_deg", tally_mae(&f->all, false), 3, true);
	json_num("relative_head_pitch_mae_deg", tally_mae(&f->all, true), 3,
	         true);
	json_num("head_share", f->head_share, 2, true);
	json_num("mesh_pose_share", pct(f->mesh_n, f->pose_n) / 100, 4, true);
	printf("\"relative_pitch_n\": %d, ", f->all.n);
	json_num("looking_down_tpr", pct(f->all.tp, f->all.pos) / 100, 4, true);
	printf("\"looking_down_tpr_n\": %d, ", f->all.pos);
	json_num("looking_down_fpr", pct(f->all.fp, f->all.neg) / 100, 4, true);
	printf("\"looking_down_fpr_n\": %d, ", f->all.neg);
	json_num("looking_down_tpr_pan60", pct(f->wide.tp, f->wide.pos) / 100,
	         4, true);
	json_num("looking_down_fpr_pan60", pct(f->wide.fp, f->wide.neg) / 100,
	         4, true);
	json_num("held_out_relative_pitch_mae_deg", tally_mae(&f->ho, false), 3,
	         true);
	json_num("held_out_looking_down_tpr", pct(f->ho.tp, f->ho.pos) / 100, 4,
	         true);
	json_num("held_out_looking_down_fpr", pct(f->ho.fp, f->ho.neg) / 100, 4,
	         true);
	json_num("fitted_head_share", f->fit_share, 3, true);
	json_num("aflw2000_abs_pitch_mae_deg", f->abs_mae, 3, true);
	printf("\"aflw2000_n\": %d, ", f->abs_n);
	json_num("ms_per_frame", f->ours_ms, 3, true);
	json_num("haar_ms_per_frame", f->haar_ms, 3, true);
	json_num("speedup_vs_haar", f->haar_ms / f->ours_ms, 2, true);
	printf("\"speed_frames\": %d, ", f->speed_frames);
	printf("\"nn_isa\": \"%s\", ", f->nn_isa ? f->nn_isa : "");
	json_num("nn_forward_ms", f->nn_ms, 3, true);
	json_num("cvdnn_forward_ms", f->dnn_ms, 3, true);
	json_num("nn_speedup_vs_cvdnn", f->dnn_ms / f->nn_ms, 2, true);
	json_num("startup_ms", f->startup_ms, 1, true);
	printf("\"startup_runs\": %d}\n", f->startup_runs);
}

static void usage(void)
{
	puts("Usage: bench_headpose [--json] [--frames N] [--runs N] [--fov "
	     "DEG]\n"
	     "                      [--head-model FILE] [--pnp] [--tilt DEG]\n"
	     "  --json             one JSON object instead of the table\n"
	     "  --frames N         frames timed for speed (default 120)\n"
	     "  --runs N           runs of `headsup analyze` for start-up "
	     "(default 9)\n"
	     "  --fov DEG          assumed horizontal field of view (default "
	     "60)\n"
	     "  --head-model FILE  head model + pitch correction to use "
	     "instead\n"
	     "                     of the installed models/face3d.csv\n"
	     "  --pnp              pose by PnP on BlazeFace's keypoints, not "
	     "the face mesh\n"
	     "  --tilt DEG         turn the Pointing'04 images DEG degrees "
	     "clockwise\n"
	     "                     first, as a camera clipped on crookedly");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "frames", required_argument, NULL, 'f' },
		{ "runs", required_argument, NULL, 'r' },
		{ "fov", required_argument, NULL, 'v' },
		{ "head-model", required_argument, NULL, 'm' },
		{ "pnp", no_argument, NULL, 'p' },
		{ "tilt", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int frames = 120, runs = 9;
	double fov = 60;
	const char *head_path = NULL;
	bool pnp = false;
	double tilt = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'f':
			frames = (int)strtol(optarg, NULL, 10);
			break;
		case 'r':
			runs = (int)strtol(optarg, NULL, 10);
			break;
		case 'v':
			fov = strtod(optarg, NULL);
			break;
		case 'm':
			head_path = optarg;
			break;
		case 'p':
			pnp = true;
			break;
		case 't':
			tilt = strtod(optarg, NULL);
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return 2;
		}
	}
	if (!(fabs(tilt) <= 90)) {
		fprintf(stderr,
		        "bench_headpose: --tilt %s is not within "
		        "-90..90\n",
		        argv[optind - 1]);
		return 2;
	}
	if (frames < 1)
		frames = 1;
	if (runs < 1)
		runs = 1;
	if (!(fov >= 20 && fov <= 150))
		fov = 60;

	char p04_dir[PATH_MAX], aflw_dir[PATH_MAX], lab[PATH_MAX + 16];
	if (!hs_test_fixture("headpose/pointing04", p04_dir, sizeof p04_dir) ||
	    !hs_test_fixture("headpose/aflw2000", aflw_dir, sizeof aflw_dir))
		return 1;
	static sample p04[MAX_ROWS], aflw[MAX_ROWS];
	snprintf(lab, sizeof lab, "%s/labels.csv", p04_dir);
	int n_p04 = read_labels(lab, true, p04, MAX_ROWS);
	snprintf(lab, sizeof lab, "%s/labels.csv", aflw_dir);
	int n_aflw = read_labels(lab, false, aflw, MAX_ROWS);
	if (n_p04 <= 0 || n_aflw <= 0) {
		fprintf(stderr,
		        "bench_headpose: cannot read the labels under "
		        "'%s' and '%s'\n",
		        p04_dir, aflw_dir);
		return 1;
	}

	hs_cv_set_threads(1);
	int status = 1;
	hs_analyzer *az = NULL;
	hs_image *img = NULL;
	hs_haar *haar = NULL;
	char model_note[PATH_MAX + 64] = "installed head model";
	char cascade[PATH_MAX];
	snprintf(cascade, sizeof cascade,
	         "%s/haarcascade_frontalface_default.xml",
	         hs_detector_cascade_dir());
	if (hs_analyzer_create(NULL, fov, &az) < 0 ||
	    hs_image_create(&img) < 0 ||
	    hs_haar_create(cascade, NULL, &haar) < 0) {
		fprintf(stderr,
		        "bench_headpose: cannot set up the analyzer, "
		        "the image or the Haar cascade '%s'\n",
		        cascade);
		goto cleanup;
	}
	hs_analyzer_thorough(az, true); /* stills, as `analyze` reads them */
	if (head_path) {
		hs_head_model m;
		char err[PATH_MAX + 128];
		if (hs_head_model_read(&m, head_path, err, sizeof err) < 0) {
			fprintf(stderr, "bench_headpose: %s\n", err);
			goto cleanup;
		}
		hs_analyzer_set_head_model(az, &m);
		snprintf(model_note, sizeof model_note, "head model %s",
		         head_path);
	}
	bool mesh = hs_analyzer_use_mesh(az, !pnp);
	size_t len = strlen(model_note);
	snprintf(model_note + len, sizeof model_note - len,
	         ", fov %g, pose by %s", fov,
	         mesh ? "face mesh" : "PnP on six keypoints");

	figures fg = { .detector = hs_analyzer_detector(az),
		       .tilt_deg = tilt,
		       .nn_ms = NAN,
		       .dnn_ms = NAN };
	analyse_rows(az, img, p04_dir, p04, n_p04, tilt);
	relate_rows(p04, n_p04);
	analyse_rows(az, img, aflw_dir, aflw, n_aflw, 0);
	pointing04_figures(p04, n_p04, &fg);
	aflw_figures(aflw, n_aflw, &fg);
	speed_figures(az, haar, img, p04_dir, p04, n_p04, frames, &fg);
	char one[PATH_MAX + 160];
	const sample *front =
	        baseline_of(p04, n_p04, p04[0].person, p04[0].series);
	snprintf(one, sizeof one, "%s/%s", p04_dir,
	         front ? front->file : p04[0].file);
	startup_figures(one, runs, &fg);
	if (json)
		print_json(&fg);
	else
		print_text(&fg, model_note);
	status = 0;
cleanup:
	hs_haar_destroy(haar);
	hs_image_destroy(img);
	hs_analyzer_destroy(az);
	return status;
}

/* test_analyze.c - `headsup analyze` as users run it: the real binary on
 * images, folders, videos, and on paths that cannot be read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "testutil.h"

static char tmp[256];
static char out[1 << 20];
static char err[1 << 16];

static int make_tmp(void **state)
{
	(void)state;
	hs_test_tmpdir(tmp, sizeof tmp);
	return 0;
}

static int remove_tmp(void **state)
{
	(void)state;
	hs_test_rmtree(tmp);
	return 0;
}

/* Run `headsup analyze ARGS` with stdout into out, stderr into err;
 * returns the exit status. */
static int analyze(const char *args)
{
	char cmd[8192], errpath[300];
	snprintf(errpath, sizeof errpath, "%s/stderr.txt", tmp);
	snprintf(cmd, sizeof cmd, "'%s' analyze %s 2>'%s'", hs_test_bin(), args,
	         errpath);
	int rc = hs_test_run(cmd, out, sizeof out);
	err[0] = '\0';
	FILE *f = fopen(errpath, "r");
	if (f) {
		size_t n = fread(err, 1, sizeof err - 1, f);
		err[n] = '\0';
		fclose(f);
	}
	return rc;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The keys of the object at the top level of one JSON line (or of the
 * object value of key 'inside' when not NULL), comma-separated, in
 * order. */
static void keys_of(const char *line, const char *inside, char *keys,
                    size_t size)
{
	keys[0] = '\0';
	if (inside) {
		char pat[64];
		snprintf(pat, sizeof pat, "\"%s\": {", inside);
		const char *p = strstr(line, pat);
		if (!p)
			return;
		line = p + strlen(pat) - 1;
	}
	int depth = 0;
	for (const char *p = line; *p && *p != '\n'; p++) {
		if (*p == '"') {
			const char *end = p + 1;
			while (*end && *end != '"')
				end += *end == '\\' ? 2 : 1;
			if (depth == 1 && end[0] == '"' && end[1] == ':') {
				size_t len = strlen(keys);
				snprintf(keys + len, size - len, "%s%.*s",
				         len ? "," : "", (int)(end - p - 1),
				         p + 1);
			}
			p = end;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		if (*p == '}' || *p == ']') {
			depth--;
			if (depth == 0)
				return;
		}
	}
}

#define FACE_KEYS                                                \
	"source,frame,time_s,face,detector,score,box,landmarks," \
	"pitch_down_deg,yaw_deg,roll_deg"
#define LANDMARK_KEYS "right_eye,left_eye,nose,mouth,right_ear,left_ear"

static double number_after(const char *line, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\": ", key);
	const char *p = strstr(line, pat);
	return p ? strtod(p + strlen(pat), NULL) : NAN;
}

static void missing_file_is_named_and_others_still_run(void **state)
{
	(void)state;
	char img[PATH_MAX], args[PATH_MAX + 512];
	if (!hs_test_fixture("headpose/aflw2000/image00050.jpg", img,
	                     sizeof img))
		skip();
	snprintf(args, sizeof args, "--json '%s/missing.jpg' '%s'", tmp, img);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "missing.jpg"));
	assert_non_null(strstr(err, tmp));
	/* The readable image still got its line. */
	assert_int_equal(count_lines(out), 1);
	assert_non_null(strstr(out, "image00050.jpg"));
	assert_non_null(strstr(out, "\"face\": true"));
}

static void non_image_is_refused_clearly(void **state)
{
	(void)state;
	char path[300], args[400];
	snprintf(path, sizeof path, "%s/x.jpg", tmp);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is text, not a picture\n", f);
	fclose(f);
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "not an image"));
	assert_int_equal(count_lines(out), 0);
	/* A device is no file to analyse; a camera is for `run`. */
	assert_int_equal(analyze("/dev/null"), 1);
	assert_non_null(strstr(err, "'/dev/null' is a device, not a file"));
}

/* A folder and file named in Latin-1 (or any bytes): the JSON stays valid
 * UTF-8, with U+FFFD for the stray byte, and the face is still read. */
static void json_is_utf8_whatever_the_file_name(void **state)
{
	(void)state;
	char img[PATH_MAX], cmd[2 * PATH_MAX + 64], args[400];
	if (!hs_test_fixture("headpose/aflw2000/image00050.jpg", img,
	                     sizeof img))
		skip();
	snprintf(cmd, sizeof cmd, "cp '%s' '%s/caf\xe9 \"1\".jpg'", img, tmp);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(args, sizeof args, "--json '%s/caf\xe9 \"1\".jpg'", tmp);
	assert_int_equal(analyze(args), 0);
	assert_int_equal(count_lines(out), 1);
	assert_non_null(
	        strstr(out, "/caf\\ufffd \\\"1\\\".jpg\", \"frame\": 0"));
	assert_null(strchr(out, '\xe9'));
	assert_non_null(strstr(out, "\"face\": true"));
}

/* Output that cannot be written (a full disk: /dev/full) is a failure,
 * status 1 with the reason, not a silent success. */
static void unwritable_output_is_a_failure(void **state)
{
	(void)state;
	char img[PATH_MAX], args[PATH_MAX + 64];
	if (!hs_test_fixture("headpose/aflw2000/image00050.jpg", img,
	                     sizeof img))
		skip();
	snprintf(args, sizeof args, "--json '%s' >/dev/full", img);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "cannot write standard output"));
	snprintf(args, sizeof args, "'%s' >/dev/full", img);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "cannot write standard output"));
}

static void video_gives_one_line_per_frame(void **state)
{
	(void)state;
	char video[PATH_MAX], args[PATH_MAX + 32];
	if (!hs_test_fixture("video/steady-gaze.avi", video, sizeof video))
		skip();
	snprintf(args, sizeof args, "--json '%s'", video);
	assert_int_equal(analyze(args), 0);
	/* About 10 s at 24 fps. */
	int n = count_lines(out);
	assert_true(n >= 230 && n <= 260);
	long frame = 0;
	double last_t = -1;
	char keys[512], want_source[PATH_MAX + 16];
	snprintf(want_source, sizeof want_source, "\"source\": \"%s\"", video);
	for (char *line = out; *line; frame++) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		assert_non_null(strstr(line, want_source));
		assert_int_equal((long)number_after(line, "frame"), frame);
		/* The file's own time stamps (millisecond ones): frame i at
		 * about i / 24 s, always later than the one before. */
		double t = number_after(line, "time_s");
		assert_true(frame == 0 || t > last_t);
		last_t = t;
		if (fabs(t - (double)frame / 24) > 0.01)
			fail_msg("frame %ld at %.3f s, expected %.3f", frame, t,
			         (double)frame / 24);
		/* The man faces the camera throughout. */
		keys_of(line, NULL, keys, sizeof keys);
		assert_string_equal(keys, FACE_KEYS);
		keys_of(line, "landmarks", keys, sizeof keys);
		assert_string_equal(keys, LANDMARK_KEYS);
		assert_non_null(strstr(line, "\"detector\": \"blazeface\""));
		line = nl + 1;
	}
}

static void folder_in_name_order_as_json_and_table(void **state)
{
	(void)state;
	char dir[PATH_MAX], args[PATH_MAX + 32], keys[512];
	if (!hs_test_fixture("headpose/aflw2000", dir, sizeof dir))
		skip();
	snprintf(args, sizeof args, "--json '%s'", dir);
	assert_int_equal(analyze(args), 0);
	assert_int_equal(count_lines(out), 16);
	static char by_folder[1 << 16];
	const size_t out_len = strlen(out);
	assert_true(out_len < sizeof by_folder);
	memcpy(by_folder, out, out_len + 1);
	long frame = 0;
	for (char *line = out; *line; frame++) {
		char *nl = strchr(line, '\n');
		*nl = '\0';
		assert_int_equal((long)number_after(line, "frame"), frame);
		/* Images at 1 fps unless --fps says otherwise. */
		assert_true(fabs(number_after(line, "time_s") - (double)frame) <
		            1e-9);
		keys_of(line, NULL, keys, sizeof keys);
		if (strcmp(keys, FACE_KEYS) != 0 &&
		    strcmp(keys, "source,frame,time_s,face") != 0)
			fail_msg("line %ld has keys %s", frame, keys);
		line = nl + 1;
	}

	/* Name order: each line reads the same as the image of that rank
	 * in the sorted list of the folder's images, given one by one. */
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	assert_true(n > 0);
	static char files[1 << 14];
	size_t used = snprintf(files, sizeof files, "--json");
	for (int i = 0; i < n; i++) {
		if (strstr(names[i]->d_name, ".jpg"))
			used += snprintf(files + used, sizeof files - used,
			                 " '%s/%s'", dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	assert_true(used < sizeof files);
	assert_int_equal(analyze(files), 0);
	assert_int_equal(count_lines(out), 16);
	const char *a = by_folder, *b = out;
	for (int i = 0; i < 16; i++) {
		const char *fa = strstr(a, "\"face\""),
		           *fb = strstr(b, "\"face\"");
		assert_true(fa && fb);
		size_t la = strcspn(fa, "\n"), lb = strcspn(fb, "\n");
		if (la != lb || strncmp(fa, fb, la) != 0)
			fail_msg(
			        "frame %d of the folder is not its image %d in "
			        "name order",
			        i, i);
		a = fa + la;
		b = fb + lb;
	}

	/* The table: a header and one row per image. */
	snprintf(args, sizeof args, "'%s'", dir);
	assert_int_equal(analyze(args), 0);
	assert_int_equal(count_lines(out), 17);
	char *nl = strchr(out, '\n');
	*nl = '\0';
	assert_non_null(strstr(out, "frame"));
	assert_non_null(strstr(out, "pitch"));
	assert_non_null(strstr(out, "yaw"));
	assert_non_null(strstr(out, "roll"));
	assert_non_null(strstr(nl + 1, "blazeface"));
}

static void truncated_video_fails_cleanly(void **state)
{
	(void)state;
	char video[PATH_MAX], cut[300], args[400];
	if (!hs_test_fixture("video/desk-session.avi", video, sizeof video))
		skip();
	struct stat st;
	assert_int_equal(stat(video, &st), 0);
	snprintf(cut, sizeof cut, "%s/cut.avi", tmp);
	FILE *in = fopen(video, "rb"), *o = fopen(cut, "wb");
	assert_true(in && o);
	char buf[65536];
	long left = (long)st.st_size / 2;
	while (left > 0) {
		size_t want =
		        left < (long)sizeof buf ? (size_t)left : sizeof buf;
		size_t got = fread(buf, 1, want, in);
		assert_true(got > 0);
		fwrite(buf, 1, got, o);
		left -= (long)got;
	}
	fclose(in);
	fclose(o);
	snprintf(args, sizeof args, "--json '%s'", cut);
	/* Exit 1 (not a crash: hs_test_run() gives -1 for a signal). */
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, cut));
	assert_non_null(strstr(err, "truncated"));
	/* The frames before the cut were still reported. */
	assert_true(count_lines(out) > 0);
}

/* Count the JSON lines of out whose time_s is in [t0, t1) and that
 * contain needle; *all counts every line in that range. */
static int lines_with(double t0, double t1, const char *needle, int *all)
{
	int n = 0;
	*all = 0;
	for (const char *l = out; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		const char *ts = strstr(l, "\"time_s\": ");
		if (ts && ts < l + len) {
			double t = strtod(ts + 10, NULL);
			if (t >= t0 && t < t1) {
				(*all)++;
				const char *hit = strstr(l, needle);
				n += hit && hit < l + len;
			}
		}
		l += len + (nl != NULL);
	}
	return n;
}

/* --calibration: each frame also gets its single-frame posture and the
 * features behind it, against the user's own baseline. */
static void calibration_adds_posture_and_features(void **state)
{
	(void)state;
	char video[PATH_MAX], cmd[8192], args[PATH_MAX + 400];
	if (!hs_test_fixture("video/desk-session.avi", video, sizeof video))
		skip();
	snprintf(cmd, sizeof cmd,
	         "'%s' calibrate --source '%s' --seconds 30 --output "
	         "'%s/cal.ini' >/dev/null 2>&1",
	         hs_test_bin(), video, tmp);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(args, sizeof args, "--json --calibration '%s/cal.ini' '%s'",
	         tmp, video);
	assert_int_equal(analyze(args), 0);
	int all, faces, n;
	/* Every frame has a posture; every frame with a face carries the
	 * four features. */
	n = lines_with(0, 1e9, "\"posture\": \"", &all);
	assert_int_equal(n, all);
	assert_true(all > 100);
	faces = lines_with(0, 1e9, "\"face\": true", &all);
	assert_true(faces > 100); /* the man faces the camera throughout */
	n = lines_with(0, 1e9, "\"features\": {\"pitch_delta_deg\": ", &all);
	assert_int_equal(n, faces);
	n = lines_with(0, 1e9, "\"lean_ratio\": ", &all);
	assert_int_equal(n, faces);
	/* Upright at the start, hunched in the forward-head segment
	 * (30-120 s, desk-session.csv), frame by frame and unsmoothed, so
	 * most rather than all. */
	n = lines_with(0, 30, "\"posture\": \"upright\"", &all);
	assert_true(all > 0 && n * 10 >= all * 9);
	n = lines_with(40, 120, "\"posture\": \"hunched\"", &all);
	assert_true(all > 0 && n * 10 >= all * 8);

	/* A baseline from frames of another shape: said once, on stderr,
	 * and no frame is judged against it. */
	snprintf(cmd, sizeof cmd,
	         "sed 's/^frame_h = .*/frame_h = 480/' '%s/cal.ini' > "
	         "'%s/cal43.ini'",
	         tmp, tmp);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(args, sizeof args, "--json --calibration '%s/cal43.ini' '%s'",
	         tmp, video);
	assert_int_equal(analyze(args), 0);
	assert_non_null(strstr(err, "cal43.ini"));
	const char *said = strstr(err, "another shape");
	assert_non_null(said);
	assert_null(strstr(said + 1, "another shape"));
	n = lines_with(0, 1e9, "\"posture\": \"uncalibrated\"", &all);
	assert_int_equal(n, all);
	assert_true(all > 100);
	n = lines_with(0, 1e9, "\"features\"", &all);
	assert_int_equal(n, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, make_tmp, remove_tmp)
	const struct CMUnitTest tests[] = {
		T(missing_file_is_named_and_others_still_run),
		T(non_image_is_refused_clearly),
		T(json_is_utf8_whatever_the_file_name),
		T(unwritable_output_is_a_failure),
		T(video_gives_one_line_per_frame),
		T(folder_in_name_order_as_json_and_table),
		T(truncated_video_fails_cleanly),
		T(calibration_adds_posture_and_features),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}

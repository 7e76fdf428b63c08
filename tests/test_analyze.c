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
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* The file at path (up to size-1 bytes) into buf, "" when unreadable. */
static void read_into(const char *path, char *buf, size_t size)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f) {
		size_t n = fread(buf, 1, size - 1, f);
		buf[n] = '\0';
		fclose(f);
	}
}

/* Run `ENV headsup analyze ARGS` (ENV: variables for the shell, or "")
 * with stdout into out, stderr into err; returns the exit status. */
static int analyze_env(const char *env, const char *args)
{
	char cmd[8192], errpath[300];
	snprintf(errpath, sizeof errpath, "%s/stderr.txt", tmp);
	/* analyze reads the user's settings as run does: none here. */
	snprintf(cmd, sizeof cmd,
	         "XDG_CONFIG_HOME='%s/no-config' %s '%s' analyze %s 2>'%s'",
	         tmp, env, hs_test_bin(), args, errpath);
	int rc = hs_test_run(cmd, out, sizeof out);
	read_into(errpath, err, sizeof err);
	return rc;
}

static int analyze(const char *args)
{
	return analyze_env("", args);
}

/* Every line on stderr is headsup's own ("headsup: error: ..."), none
 * printed by OpenCV ("[ WARN:0@0.02] global ...", "imread_(...)") or
 * FFmpeg ("[mjpeg @ 0x55...] overread 8"). */
static void assert_only_headsup_spoke(void)
{
	for (const char *l = err; *l;) {
		size_t len = strcspn(l, "\n");
		if (strncmp(l, "headsup: ", 9) != 0)
			fail_msg("a line on stderr is not headsup's: %.*s",
			         (int)len, l);
		l += len + (l[len] == '\n');
	}
}

static int count_of(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
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

/* --fov and --fps are read as every number is (hs_config_number): a
 * blank or hex is a usage error naming the option, as in --set. */
static void odd_numbers_are_usage_errors(void **state)
{
	(void)state;
	assert_int_equal(analyze("--fov 0x3c x.jpg"), 2);
	assert_non_null(strstr(err, "--fov takes degrees from 20 to 150, "
	                            "not '0x3c'"));
	assert_int_equal(analyze("--fps ' 2' x.jpg"), 2);
	assert_non_null(strstr(err, "--fps takes images per second"));
	assert_int_equal(analyze("--fov 1e9 x.jpg"), 2);
	assert_int_equal(count_lines(out), 0);
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
	/* A path given as '' (a variable not set) is a usage error. */
	assert_int_equal(analyze("''"), 2);
	assert_non_null(strstr(err, "a PATH given as '' names nothing"));
}

/* A folder named with digits only, or a file in /dev/shm, is read like
 * any other by analyze, which reads no camera (they were taken for
 * cameras: "'2024' is a device"); digits that name nothing here are said
 * to be missing. */
static void digits_and_dev_shm_are_files_when_they_are(void **state)
{
	(void)state;
	char img[PATH_MAX], cmd[3 * PATH_MAX + 256], shm[64];
	if (!hs_test_fixture("headpose/aflw2000/image00050.jpg", img,
	                     sizeof img))
		SKIP_LOUDLY("needs the fixtures (headpose/aflw2000)");
	snprintf(shm, sizeof shm, "/dev/shm/headsup-test-%d.jpg",
	         (int)getpid());
	snprintf(cmd, sizeof cmd,
	         "mkdir -p '%s/2024' && cp '%s' '%s/2024/a.jpg' && cp '%s' "
	         "'%s'",
	         tmp, img, tmp, img, shm);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && XDG_CONFIG_HOME='%s/no-config' '%s' analyze "
	         "--json 2024 '%s' 2>&1",
	         tmp, tmp, hs_test_bin(), shm);
	const int rc = hs_test_run(cmd, out, sizeof out);
	unlink(shm);
	assert_int_equal(rc, 0);
	assert_int_equal(count_lines(out), 2);
	assert_non_null(strstr(out, "\"source\": \"2024\", \"frame\": 0"));
	const char *second = strstr(out, "\"face\": true");
	assert_non_null(second);
	assert_non_null(strstr(second + 1, "\"face\": true"));
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && XDG_CONFIG_HOME='%s/no-config' '%s' analyze 2025 "
	         "2>&1",
	         tmp, tmp, hs_test_bin());
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 1);
	assert_non_null(strstr(out, "cannot open '2025': no such file"));
}

/* The character (not byte) at which needle starts in line s. */
static long char_column(const char *s, const char *needle)
{
	const char *at = strstr(s, needle);
	if (!at)
		return -1;
	long n = 0;
	for (const char *p = s; p < at; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

/* The table keeps its columns in line after a name in UTF-8, long or
 * short (it padded by bytes: "ünïcödé.jpg" pushed its row right). */
static void table_columns_stay_in_line_after_utf8_names(void **state)
{
	(void)state;
	char img[PATH_MAX], cmd[4 * PATH_MAX], args[PATH_MAX];
	if (!hs_test_fixture("headpose/aflw2000/image00050.jpg", img,
	                     sizeof img))
		SKIP_LOUDLY("needs the fixtures (headpose/aflw2000)");
	/* "ünïcödé.jpg", and twelve "ü": longer in bytes than the column */
	static const char short_name[] = "\xc3\xbc"
	                                 "n\xc3\xaf"
	                                 "c\xc3\xb6"
	                                 "d\xc3\xa9.jpg";
	char long_name[64] = "";
	for (int i = 0; i < 12; i++)
		strcat(long_name, "\xc3\xbc");
	strcat(long_name, ".jpg");
	snprintf(cmd, sizeof cmd,
	         "mkdir '%s/t' && cp '%s' '%s/t/a.jpg' && cp '%s' '%s/t/%s' && "
	         "cp '%s' '%s/t/%s'",
	         tmp, img, tmp, img, tmp, short_name, img, tmp, long_name);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(args, sizeof args, "'%s/t'", tmp);
	assert_int_equal(analyze(args), 0);
	assert_int_equal(count_lines(out), 4); /* the header and 3 rows */
	long col = -1;
	for (const char *line = strchr(out, '\n') + 1; *line;) {
		const char *nl = strchr(line, '\n');
		char row[512];
		snprintf(row, sizeof row, "%.*s", (int)(nl - line), line);
		const long c = char_column(row, "blazeface");
		assert_true(c > 32);
		if (col >= 0 && c != col)
			fail_msg("'blazeface' at %ld, not %ld, in: %s", c, col,
			         row);
		col = c;
		line = nl + 1;
	}
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
	assert_non_null(strstr(err, "No space left on device"));
	snprintf(args, sizeof args, "'%s' >/dev/full", img);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "cannot write standard output: No space "
	                            "left on device"));
	/* Standard output closed: all of it lost, which is said (it was a
	 * silent success). */
	snprintf(args, sizeof args, "--json '%s' >&-", img);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "cannot write standard output: Bad file "
	                            "descriptor"));
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
	static char files[1 << 14], images[16][256];
	size_t used = snprintf(files, sizeof files, "--json");
	int n_images = 0;
	for (int i = 0; i < n; i++) {
		if (strstr(names[i]->d_name, ".jpg")) {
			used += snprintf(files + used, sizeof files - used,
			                 " '%s/%s'", dir, names[i]->d_name);
			assert_true(n_images < 16);
			snprintf(images[n_images++], sizeof images[0], "%s",
			         names[i]->d_name);
		}
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

	/* The table: a header and one row per image, which names its image
	 * file, not only the folder (a long path keeps its end). */
	assert_int_equal(n_images, 16);
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
	char *row = nl + 1;
	for (int i = 0; i < 16; i++) {
		char want[300];
		nl = strchr(row, '\n');
		assert_non_null(nl);
		*nl = '\0';
		snprintf(want, sizeof want, "/%.255s ", images[i]);
		if (!strstr(row, want))
			fail_msg("row %d does not name its image %s: %s", i,
			         images[i], row);
		row = nl + 1;
	}
	/* A short path is shown whole: run from the folder's parent. */
	char cmd[2 * PATH_MAX + 64], *slash = strrchr(dir, '/');
	*slash = '\0';
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && XDG_CONFIG_HOME='%s/no-config' '%s' analyze "
	         "'%s'",
	         dir, tmp, hs_test_bin(), slash + 1);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	snprintf(args, sizeof args, "\n%s/%s ", slash + 1, images[0]);
	assert_non_null(strstr(out, args));
	/* Given as "folder/", it is still "folder/image", not "folder//". */
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && XDG_CONFIG_HOME='%s/no-config' '%s' analyze "
	         "'%s/'",
	         dir, tmp, hs_test_bin(), slash + 1);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, args));
	assert_null(strstr(out, "//"));
}

/* A video's path is a file's, however it reads: one that looks like a URL
 * is read from the disk, never fetched (FFmpeg would connect to the host),
 * and a colon in a name does not make it a protocol. */
static void video_path_like_a_url_is_a_file(void **state)
{
	(void)state;
	char video[PATH_MAX], cmd[3 * PATH_MAX];
	if (!hs_test_fixture("video/steady-gaze.avi", video, sizeof video))
		skip();
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && mkdir -p 'http:/127.0.0.1:9' && "
	         "cp '%s' 'http:/127.0.0.1:9/clip.avi' && cp '%s' take:1.avi",
	         tmp, video, video);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	static const char *const names[] = { "http://127.0.0.1:9/clip.avi",
		                             "take:1.avi" };
	for (size_t i = 0; i < 2; i++) {
		/* Relative, as a user types it. */
		snprintf(cmd, sizeof cmd, "cd '%s' && '%s' analyze --json '%s'",
		         tmp, hs_test_bin(), names[i]);
		assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
		const int n = count_lines(out);
		if (n < 230 || n > 260)
			fail_msg("'%s': %d frames read, not the clip's 250",
			         names[i], n);
	}
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
	/* Said once, by headsup; FFmpeg's "[mjpeg @ ...] overread" is not. */
	assert_only_headsup_spoke();
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

/* analyze --json the video against tmp/cal.ini edited by the sed
 * expression into tmp/name. */
static void analyze_with_edited_baseline(const char *expr, const char *name,
                                         const char *video)
{
	char cmd[PATH_MAX + 400], args[2 * PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "sed '%s' '%s/cal.ini' > '%s/%s'", expr, tmp,
	         tmp, name);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(args, sizeof args, "--json --calibration '%s/%s' '%s'", tmp,
	         name, video);
	assert_int_equal(analyze(args), 0);
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
	analyze_with_edited_baseline("s/^frame_h = .*/frame_h = 480/",
	                             "cal43.ini", video);
	assert_non_null(strstr(err, "cal43.ini"));
	const char *said = strstr(err, "another shape");
	assert_non_null(said);
	assert_null(strstr(said + 1, "another shape"));
	n = lines_with(0, 1e9, "\"posture\": \"uncalibrated\"", &all);
	assert_int_equal(n, all);
	assert_true(all > 100);
	n = lines_with(0, 1e9, "\"features\"", &all);
	assert_int_equal(n, 0);

	/* A baseline of the first format (before the camera's tilt was
	 * allowed for) is used, with a word to record it again. */
	assert_null(strstr(err, "earlier headsup"));
	analyze_with_edited_baseline("s/^version = .*/version = 1/", "cal1.ini",
	                             video);
	assert_non_null(strstr(err, "recorded by an earlier headsup"));
	n = lines_with(40, 120, "\"posture\": \"hunched\"", &all);
	assert_true(all > 0 && n * 10 >= all * 8);
}

/* Copy the first n bytes of the file from into to, each "MJPG" in them
 * replaced by rep (a codec tag no decoder knows, say). */
static void copy_head(const char *from, const char *to, size_t n,
                      const char *rep)
{
	static char buf[1 << 20];
	assert_true(n <= sizeof buf);
	FILE *in = fopen(from, "rb"), *o = fopen(to, "wb");
	assert_true(in && o);
	size_t got = fread(buf, 1, n, in);
	assert_int_equal(got, n);
	for (size_t i = 0; rep && i + 4 <= n; i++)
		if (memcmp(buf + i, "MJPG", 4) == 0)
			memcpy(buf + i, rep, 4);
	assert_int_equal(fwrite(buf, 1, n, o), n);
	fclose(in);
	assert_int_equal(fclose(o), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* When a file cannot be read, headsup says why in its own words, and the
 * libraries' own lines (OpenCV's logger, cv::imread on std::cerr,
 * FFmpeg) stay off stderr; with OpenCV's OPENCV_LOG_LEVEL set, someone
 * debugging still gets them. */
static void only_headsup_speaks_on_stderr(void **state)
{
	(void)state;
	char video[PATH_MAX], path[300], args[400];
	if (!hs_test_fixture("video/steady-gaze.avi", video, sizeof video))
		skip();
	/* Text named .jpg, and a BMP cut after its signature: cv::imread
	 * printed "imread_('x.bmp'): can't read header: ..." for this. */
	snprintf(path, sizeof path, "%s/x.jpg", tmp);
	write_file(path, "this is text, not a picture\n");
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "not an image that can be decoded"));
	assert_only_headsup_spoke();
	snprintf(path, sizeof path, "%s/x.bmp", tmp);
	write_file(path, "BM");
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "not an image that can be decoded"));
	assert_only_headsup_spoke();

	/* A video in a codec FFmpeg has no decoder for: OpenCV's logger
	 * said "[ERROR:0@0.03] ... Could not find decoder for codec_id=0". */
	snprintf(path, sizeof path, "%s/unknown-codec.avi", tmp);
	copy_head(video, path, 300000, "ZZZZ");
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "not a video that can be decoded"));
	assert_only_headsup_spoke();

	/* A video cut short (head -c): FFmpeg said "[mjpeg @ 0x..]". */
	snprintf(path, sizeof path, "%s/cut.avi", tmp);
	copy_head(video, path, 200000, NULL);
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "truncated"));
	assert_only_headsup_spoke();

	/* Debugging: OpenCV's own variable lets both libraries speak. */
	assert_int_equal(analyze_env("OPENCV_LOG_LEVEL=INFO", args), 1);
	assert_non_null(strstr(err, "[mjpeg @ "));
	snprintf(args, sizeof args, "--json '%s/unknown-codec.avi'", tmp);
	assert_int_equal(analyze_env("OPENCV_LOG_LEVEL=INFO", args), 1);
	assert_non_null(strstr(err, "Could not find decoder"));
}

/* Run `headsup analyze --json path` as a user who may not read the test's
 * unreadable files, without a shell: ourselves, or, when we are root
 * (who reads any file), a child that becomes 'nobody' first.  Returns
 * the exit status, 125 when the child could not become 'nobody'. */
static int analyze_as_user(const char *path, uid_t uid, gid_t gid)
{
	char outpath[300], errpath[300];
	snprintf(outpath, sizeof outpath, "%s/stdout.txt", tmp);
	snprintf(errpath, sizeof errpath, "%s/stderr.txt", tmp);
	int fo = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int fe = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fo >= 0 && fe >= 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(125);
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) != 0 || setgid(gid) != 0 ||
		     setuid(uid) != 0 || getuid() != uid || geteuid() != uid))
			_exit(125);
		/* No settings: as analyze_env(), and root's would be
		 * unreadable to 'nobody'. */
		if (setenv("XDG_CONFIG_HOME", "/nonexistent/headsup-config",
		           1) != 0)
			_exit(125);
		const char *bin = hs_test_bin();
		execl(bin, bin, "analyze", "--json", path, (char *)NULL);
		_exit(126);
	}
	close(fo);
	close(fe);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		assert_true(errno == EINTR);
	read_into(outpath, out, sizeof out);
	read_into(errpath, err, sizeof err);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* An image or video the user may not read (mode 000, or another user's
 * with 0600) is "permission denied", named, alone or in a folder; not
 * "not an image", the reason cv::imread gave. */
static void unreadable_files_say_permission_denied(void **state)
{
	(void)state;
	char img[PATH_MAX], video[PATH_MAX], path[400], want[600];
	if (!hs_test_fixture("headpose/aflw2000/image00050.jpg", img,
	                     sizeof img) ||
	    !hs_test_fixture("video/steady-gaze.avi", video, sizeof video))
		skip();
	const bool root = geteuid() == 0;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (root) {
		/* root as another user, to whom our 0600 files are closed */
		const struct passwd *pw = getpwnam("nobody");
		uid = pw ? pw->pw_uid : 65534;
		gid = pw ? pw->pw_gid : 65534;
		assert_int_equal(chmod(tmp, 0711), 0);
	}
	const mode_t closed = root ? 0600 : 0000;
	struct stat st;
	assert_int_equal(stat(img, &st), 0);
	const size_t img_size = (size_t)st.st_size;
	snprintf(path, sizeof path, "%s/ok.jpg", tmp);
	copy_head(img, path, img_size, NULL);
	assert_int_equal(chmod(path, 0644), 0);
	snprintf(path, sizeof path, "%s/locked.jpg", tmp);
	copy_head(img, path, img_size, NULL);
	snprintf(path, sizeof path, "%s/folder", tmp);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(chmod(path, 0755), 0); /* whatever the umask */
	snprintf(path, sizeof path, "%s/folder/locked.jpg", tmp);
	copy_head(img, path, img_size, NULL);
	snprintf(path, sizeof path, "%s/locked.avi", tmp);
	copy_head(video, path, 65536, NULL);

	/* First a readable image: this user can run headsup here at all. */
	snprintf(path, sizeof path, "%s/ok.jpg", tmp);
	int rc = analyze_as_user(path, uid, gid);
	if (rc != 0)
		SKIP_LOUDLY("as uid %d, headsup cannot analyse a readable "
		            "image here (exit %d%s), so no file can be tested "
		            "as unreadable: %s",
		            (int)uid, rc,
		            rc == 125   ? ": cannot drop root's privileges"
		            : rc == 126 ? ": cannot run the program"
		                        : "",
		            err);
	assert_non_null(strstr(out, "\"face\": true"));

	snprintf(path, sizeof path, "%s/locked.jpg", tmp);
	assert_int_equal(chmod(path, closed), 0);
	assert_int_equal(analyze_as_user(path, uid, gid), 1);
	snprintf(want, sizeof want, "cannot read image '%s': permission denied",
	         path);
	assert_non_null(strstr(err, want));
	assert_only_headsup_spoke();

	snprintf(path, sizeof path, "%s/folder/locked.jpg", tmp);
	assert_int_equal(chmod(path, closed), 0);
	snprintf(path, sizeof path, "%s/folder", tmp);
	assert_int_equal(analyze_as_user(path, uid, gid), 1);
	snprintf(want, sizeof want,
	         "cannot read image '%s/folder/locked.jpg': permission denied",
	         tmp);
	assert_non_null(strstr(err, want));
	assert_only_headsup_spoke();

	snprintf(path, sizeof path, "%s/locked.avi", tmp);
	assert_int_equal(chmod(path, closed), 0);
	assert_int_equal(analyze_as_user(path, uid, gid), 1);
	snprintf(want, sizeof want, "cannot open video '%s': permission denied",
	         path);
	assert_non_null(strstr(err, want));
	assert_only_headsup_spoke();
}

/* A path longer than the system takes (a name over 255 bytes) is said to
 * be that, naming the whole path, not "input/output error". */
static void over_long_path_is_said_so(void **state)
{
	(void)state;
	char path[600], args[700], want[800];
	int n = snprintf(path, sizeof path, "%s/", tmp);
	memset(path + n, 'a', 300);
	strcpy(path + n + 300, ".avi");
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	snprintf(want, sizeof want,
	         "cannot open video '%s': file name too long", path);
	assert_non_null(strstr(err, want));
	/* The same for a folder name too long on the way to the file. */
	strcpy(path + n + 300, "/clip.avi");
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	snprintf(want, sizeof want,
	         "cannot open video '%s': file name too long", path);
	assert_non_null(strstr(err, want));
}

/* CRC-32 of the PNG chunk type and data in p (n bytes). */
static unsigned long png_crc(const unsigned char *p, size_t n)
{
	unsigned long c = 0xffffffffUL;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320UL & (0UL - (c & 1)));
	}
	return c ^ 0xffffffffUL;
}

static void put_be32(unsigned char *p, unsigned long v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (24 - 8 * i));
}

static void write_bytes(const char *path, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* The header of a w x h PNG (RGB, 8 bits), with an empty image data chunk:
 * all OpenCV reads before it refuses a size. */
static void write_png_header(const char *path, unsigned long w, unsigned long h)
{
	unsigned char png[8 + 25 + 12 + 12] = "\x89PNG\r\n\x1a\n";
	unsigned char *ihdr = png + 8;
	put_be32(ihdr, 13);
	memcpy(ihdr + 4, "IHDR", 4);
	put_be32(ihdr + 8, w);
	put_be32(ihdr + 12, h);
	memcpy(ihdr + 16, "\x08\x02\x00\x00\x00", 5);
	put_be32(ihdr + 21, png_crc(ihdr + 4, 17));
	unsigned char *idat = ihdr + 25, *iend = idat + 12;
	memcpy(idat + 4, "IDAT", 4);
	put_be32(idat + 8, png_crc(idat + 4, 4));
	memcpy(iend + 4, "IEND", 4);
	put_be32(iend + 8, png_crc(iend + 4, 4));
	write_bytes(path, png, sizeof png);
}

/* A PNG whose image data is missing: libpng's reason is given in
 * headsup's message ("libpng error: Not enough image data"), not on a
 * line of libpng's own; status 1. */
static void damaged_png_gives_its_decoders_reason(void **state)
{
	(void)state;
	char png[300], args[400], want[600];
	snprintf(png, sizeof png, "%s/empty.png", tmp);
	write_png_header(png, 64, 64);
	snprintf(args, sizeof args, "--json '%s'", png);
	assert_int_equal(analyze(args), 1);
	snprintf(want, sizeof want,
	         "headsup: error: cannot read image '%s': not an image that "
	         "can be decoded (libpng error: ",
	         png);
	assert_non_null(strstr(err, want));
	assert_int_equal(count_lines(err), 1);
	assert_only_headsup_spoke();
	assert_string_equal(out, "");
}

/* The reason given is the image's own, and its decoder's last word: not
 * the previous image's (a header of width 0 repeated "libpng error"
 * from the file before), nor a line from the start of a long complaint
 * (after 200 warnings it gave the first). */
static void decoder_reason_is_this_images_last_word(void **state)
{
	(void)state;
	char dir[300], path[340], args[400], want[700];
	snprintf(dir, sizeof dir, "%s/imgs", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/a.png", dir);
	write_png_header(path, 64, 64); /* "Not enough image data" */
	snprintf(path, sizeof path, "%s/b.pnm", dir);
	write_file(path, "PF\n0 5\n-1.0\n"); /* a float map 0 wide */
	snprintf(args, sizeof args, "--json '%s'", dir);
	assert_int_equal(analyze(args), 1);
	snprintf(want, sizeof want,
	         "headsup: error: cannot read image '%s/b.pnm': not an image "
	         "that can be decoded (the header gives no usable size)\n",
	         dir);
	assert_non_null(strstr(err, want));
	assert_int_equal(count_lines(err), 2);
	/* A pipe and a folder named like images, after a damaged one: no
	 * reason of the image before theirs. */
	snprintf(path, sizeof path, "%s/c.jpg", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	snprintf(path, sizeof path, "%s/d.png", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(args, sizeof args, "--json '%s'", dir);
	assert_int_equal(analyze(args), 1);
	snprintf(want, sizeof want,
	         "headsup: error: cannot read image '%s/c.jpg': not a regular "
	         "file (a folder, a pipe or a device)\n",
	         dir);
	assert_non_null(strstr(err, want));
	assert_int_equal(count_lines(err), 4);
	assert_int_equal(count_of(err, "Not enough image data"), 1);
	snprintf(path, sizeof path, "%s/c.jpg", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/d.png", dir);
	rmdir(path);

	/* 200 text chunks whose checksums are wrong (a warning each), then
	 * no image data: the error is what is said. */
	static unsigned char png[8 + 25 + 200 * 17 + 12 + 12];
	unsigned char *p = png;
	write_png_header(path, 64, 64);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(png, 1, 33, f), 33); /* signature and IHDR */
	fclose(f);
	p += 33;
	for (int i = 0; i < 200; i++, p += 17) {
		put_be32(p, 5);
		memcpy(p + 4, "tEXtk\0abc", 9);
		put_be32(p + 13, 0xdeadbeef);
	}
	put_be32(p, 0);
	memcpy(p + 4, "IDAT", 4);
	put_be32(p + 8, png_crc(p + 4, 4));
	p += 12;
	put_be32(p, 0);
	memcpy(p + 4, "IEND", 4);
	put_be32(p + 8, png_crc(p + 4, 4));
	p += 12;
	snprintf(path, sizeof path, "%s/text.png", tmp);
	write_bytes(path, png, (size_t)(p - png));
	snprintf(args, sizeof args, "--json '%s'", path);
	assert_int_equal(analyze(args), 1);
	assert_non_null(strstr(err, "(libpng error: "));
	assert_int_equal(count_lines(err), 1);
	assert_only_headsup_spoke();
}

/* A JPEG cut off halfway decodes, its missing part grey: it is analysed,
 * with a warning that names it and gives libjpeg's words, and status 0.
 * libjpeg printed "Premature end of JPEG file" on its own line before;
 * with OPENCV_LOG_LEVEL set it still does. */
static void cut_jpeg_is_analysed_with_a_warning(void **state)
{
	(void)state;
	char img[PATH_MAX], cut[300], args[PATH_MAX + 20], want[600];
	if (!hs_test_fixture("headpose/aflw2000/image00050.jpg", img,
	                     sizeof img))
		skip();
	struct stat st;
	assert_int_equal(stat(img, &st), 0);
	snprintf(cut, sizeof cut, "%s/cut.jpg", tmp);
	copy_head(img, cut, (size_t)st.st_size / 2, NULL);
	snprintf(args, sizeof args, "--json '%s'", cut);
	assert_int_equal(analyze(args), 0);
	snprintf(
	        want, sizeof want,
	        "headsup: warning: image '%s' may be damaged (Premature end of "
	        "JPEG file)",
	        cut);
	assert_non_null(strstr(err, want));
	assert_int_equal(count_lines(err), 1);
	assert_only_headsup_spoke();
	assert_int_equal(count_lines(out), 1);
	assert_non_null(strstr(out, "\"frame\": 0"));

	/* The whole file: no warning. */
	snprintf(args, sizeof args, "--json '%s'", img);
	assert_int_equal(analyze(args), 0);
	assert_string_equal(err, "");

	snprintf(args, sizeof args, "--json '%s'", cut);
	assert_int_equal(analyze_env("OPENCV_LOG_LEVEL=INFO", args), 0);
	assert_non_null(strstr(err, "Premature end of JPEG file\n"));
	assert_null(strstr(err, "headsup: warning"));
}

/* An image larger than OpenCV decodes is named, with its size and the
 * limit it passes (not "OpenCV error"), status 1; the other paths are
 * still read.  OpenCV refuses the size from the header alone, so the
 * files here are headers. */
static void too_large_image_says_its_size_and_the_limit(void **state)
{
	(void)state;
	char png[300], jpg[300], ppm[300], img[PATH_MAX], args[2 * PATH_MAX];
	char want[2 * PATH_MAX];
	snprintf(png, sizeof png, "%s/huge.png", tmp);
	write_png_header(png, 40000, 40000);
	/* a JFIF 1.01 header, a 65000 x 65000 frame, a scan */
	static const unsigned char jpeg[] = {
		0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J',  'F',  'I',  'F',
		0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
		0xff, 0xc0, 0x00, 0x11, 0x08, 0xfd, 0xe8, 0xfd, 0xe8, 0x03,
		0x01, 0x11, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00, 0xff,
		0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11,
		0x00, 0x3f, 0x00, 0x00, 0xff, 0xd9,
	};
	snprintf(jpg, sizeof jpg, "%s/huge.jpg", tmp);
	write_bytes(jpg, jpeg, sizeof jpeg);
	snprintf(ppm, sizeof ppm, "%s/wide.ppm", tmp);
	write_file(ppm, "P6\n# one row\n2000000 1\n255\n");
	const bool have_img = hs_test_fixture(
	        "headpose/aflw2000/image00050.jpg", img, sizeof img);
	snprintf(args, sizeof args, "--json '%s' '%s' '%s' %s%s%s", png, jpg,
	         ppm, have_img ? "'" : "", have_img ? img : "",
	         have_img ? "'" : "");
	assert_int_equal(analyze(args), 1);
	snprintf(want, sizeof want,
	         "headsup: error: cannot read image '%s': too large to "
	         "decode: 40000x40000 pixels, over the limit of 250000000 "
	         "pixels in all (OPENCV_IO_MAX_IMAGE_PIXELS)\n"
	         "headsup: error: cannot read image '%s': too large to "
	         "decode: 65000x65000 pixels, over the limit of 250000000 "
	         "pixels in all (OPENCV_IO_MAX_IMAGE_PIXELS)\n"
	         "headsup: error: cannot read image '%s': too large to "
	         "decode: 2000000x1 pixels, over the limit of 1048576 pixels "
	         "wide (OPENCV_IO_MAX_IMAGE_WIDTH)\n",
	         png, jpg, ppm);
	assert_string_equal(err, want);
	assert_int_equal(count_lines(out), have_img ? 1 : 0);
	/* The rest needs the fixture image: without it the test is skipped
	 * (hs_test_fixture() said why), not passed on the part above. */
	if (!have_img)
		skip();
	assert_non_null(strstr(out, "image00050.jpg"));

	/* A limit lowered in the environment is the one said. */
	snprintf(args, sizeof args, "'%s'", img);
	assert_int_equal(analyze_env("OPENCV_IO_MAX_IMAGE_PIXELS=1000", args),
	                 1);
	snprintf(want, sizeof want,
	         "headsup: error: cannot read image '%s': too large to "
	         "decode: 450x450 pixels, over the limit of 1000 pixels in "
	         "all (OPENCV_IO_MAX_IMAGE_PIXELS)\n",
	         img);
	assert_string_equal(err, want);
}

int main(void)
{
	/* The libraries' own variables, when the caller has them, would let
	 * OpenCV and FFmpeg speak (only_headsup_speaks_on_stderr). */
	unsetenv("OPENCV_LOG_LEVEL");
	unsetenv("OPENCV_FFMPEG_LOGLEVEL");
	unsetenv("OPENCV_FFMPEG_DEBUG");
	/* OpenCV's size limits, at their defaults (too_large_image_...). */
	unsetenv("OPENCV_IO_MAX_IMAGE_PIXELS");
	unsetenv("OPENCV_IO_MAX_IMAGE_WIDTH");
	unsetenv("OPENCV_IO_MAX_IMAGE_HEIGHT");
#define T(f) cmocka_unit_test_setup_teardown(f, make_tmp, remove_tmp)
	const struct CMUnitTest tests[] = {
		T(missing_file_is_named_and_others_still_run),
		T(odd_numbers_are_usage_errors),
		T(non_image_is_refused_clearly),
		T(digits_and_dev_shm_are_files_when_they_are),
		T(json_is_utf8_whatever_the_file_name),
		T(table_columns_stay_in_line_after_utf8_names),
		T(unwritable_output_is_a_failure),
		T(video_gives_one_line_per_frame),
		T(folder_in_name_order_as_json_and_table),
		T(video_path_like_a_url_is_a_file),
		T(truncated_video_fails_cleanly),
		T(calibration_adds_posture_and_features),
		T(only_headsup_speaks_on_stderr),
		T(unreadable_files_say_permission_denied),
		T(over_long_path_is_said_so),
		T(too_large_image_says_its_size_and_the_limit),
		T(damaged_png_gives_its_decoders_reason),
		T(cut_jpeg_is_analysed_with_a_warning),
		T(decoder_reason_is_this_images_last_word),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}

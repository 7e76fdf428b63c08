/* testutil.c - see testutil.h. */
#include "testutil.h"

#include "headsup/pose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/wait.h>
#include <time.h>

bool hs_test_fixture(const char *rel, char *buf, size_t size)
{
	const char *root = getenv("HEADSUP_FIXTURES");
	if (!root || !root[0])
		root = HS_FIXTURES_DIR;
	snprintf(buf, size, "%s/%s", root, rel);
	struct stat st;
	if (stat(buf, &st) != 0) {
		fprintf(stderr,
		        "SKIPPED: fixture '%s' not found; put the shared "
		        "fixtures at ../shared/fixtures or set "
		        "HEADSUP_FIXTURES\n",
		        buf);
		return false;
	}
	return true;
}

void hs_test_tmpdir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/headsup-test-XXXXXX");
	if (!mkdtemp(buf)) {
		perror("mkdtemp");
		abort();
	}
}

void hs_test_rmtree(const char *dir)
{
	char cmd[4200];
	if (strncmp(dir, "/tmp/headsup-test-", 18) != 0)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

int hs_test_run(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t n = 0;
	if (out && size) {
		size_t got;
		while (n + 1 < size &&
		       (got = fread(out + n, 1, size - 1 - n, p)) > 0)
			n += got;
		out[n] = '\0';
	}
	char sink[4096];
	while (fread(sink, 1, sizeof sink, p) > 0) {
	}
	int st = pclose(p);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

const char *hs_test_bin(void)
{
	const char *bin = getenv("HEADSUP_BIN");
	return bin && bin[0] ? bin : HS_BINARY_DIR "/headsup";
}

bool hs_test_near(double a, double b, double eps, const char *expr, int line)
{
	if (fabs(a - b) <= eps)
		return true;
	fprintf(stderr, "line %d: %s = %.17g, want %.17g (within %g)\n", line,
	        expr, a, b, eps);
	return false;
}

int hs_test_stderr_begin(const char *path)
{
	fflush(stderr);
	const int saved = dup(2);
	const int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (saved < 0 || fd < 0 || dup2(fd, 2) < 0) {
		if (saved >= 0)
			close(saved);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return saved;
}

void hs_test_stderr_end(int saved, const char *path, char *got, size_t size)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	got[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f) {
		got[fread(got, 1, size - 1, f)] = '\0';
		fclose(f);
	}
}

int hs_test_tz_berlin(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
}

bool hs_test_tz(const char *zone)
{
	/* glibc falls back to UTC for a zone it cannot find, silently: a
	 * test of that zone's calendar would then pass for nothing. */
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s",
	         dir && dir[0] ? dir : "/usr/share/zoneinfo", zone);
	if (access(path, R_OK) != 0)
		return false;
	setenv("TZ", zone, 1);
	tzset();
	return true;
}

char hs_test_tmp[64];

int hs_test_tmp_setup(void **state)
{
	(void)state;
	hs_test_tmpdir(hs_test_tmp, sizeof hs_test_tmp);
	return 0;
}

int hs_test_tmp_teardown(void **state)
{
	(void)state;
	hs_test_rmtree(hs_test_tmp);
	return 0;
}

void hs_test_pose_tilted(const hs_pose *level, double camera_roll_deg,
                         hs_pose *seen)
{
	const double c = cos(camera_roll_deg * M_PI / 180),
	             s = sin(camera_roll_deg * M_PI / 180);
	double R[9], T[9];
	hs_pose_to_matrix(level->pitch_down_deg, level->yaw_deg,
	                  level->roll_deg, R);
	/* Rz rotates the rows x (image right) and y (down) into each other;
	 * z, the optical axis, stays. */
	for (int j = 0; j < 3; j++) {
		T[j] = c * R[j] - s * R[3 + j];
		T[3 + j] = s * R[j] + c * R[3 + j];
		T[6 + j] = R[6 + j];
	}
	*seen = *level;
	hs_pose_from_matrix(T, &seen->pitch_down_deg, &seen->yaw_deg,
	                    &seen->roll_deg);
}

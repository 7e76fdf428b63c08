/* fuzz_calibration.c - libFuzzer target: any bytes into the calibration
 * reader.  It must return 0 or HS_EFORMAT, never crash or read out of
 * bounds, and whatever it accepts must write and read back the same.
 *
 * Build with -DHS_FUZZ=ON and clang; run:
 *   build/fuzz_calibration tests/fuzz/corpus/calibration
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/calibration.h"
#include "headsup/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *open_bytes(const uint8_t *data, size_t size, char **copy)
{
	/* fmemopen() wants a mutable buffer and at least one byte. */
	*copy = malloc(size ? size : 1);
	if (!*copy)
		return NULL;
	if (size)
		memcpy(*copy, data, size);
	FILE *f = fmemopen(*copy, size ? size : 1, "r");
	if (f && size == 0)
		fseek(f, 0, SEEK_END);
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = NULL;
	FILE *in = open_bytes(data, size, &copy);
	if (!in) {
		free(copy);
		return 0;
	}
	hs_baseline b;
	char err[512];
	int rc = hs_calibration_read(in, "fuzz.ini", &b, err, sizeof err);
	fclose(in);
	free(copy);
	if (rc != 0 && rc != HS_EFORMAT)
		abort();
	if (rc != 0)
		return 0;

	/* Accepted: it must survive a write and read back unchanged. */
	char text[4096];
	FILE *out = fmemopen(text, sizeof text, "w");
	if (!out)
		return 0;
	if (hs_calibration_write(out, &b) != 0)
		abort();
	long len = ftell(out);
	fclose(out);
	if (len <= 0 || (size_t)len >= sizeof text)
		abort();
	FILE *again = fmemopen(text, (size_t)len, "r");
	if (!again)
		return 0;
	hs_baseline back;
	rc = hs_calibration_read(again, "again.ini", &back, err, sizeof err);
	fclose(again);
	if (rc != 0 || back.iod_px != b.iod_px ||
	    back.eye_mid_y != b.eye_mid_y || back.frame_w != b.frame_w ||
	    back.has_pitch != b.has_pitch || strcmp(back.source, b.source) != 0)
		abort();
	return 0;
}

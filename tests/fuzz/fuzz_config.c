/* fuzz_config.c - libFuzzer target for the INI parser (hs_config_parse).
 *
 * Feeds the input as a config file and checks the parser's promises: it
 * never crashes, a success leaves every setting within its range, and a
 * failure leaves the config untouched with a "fuzz.ini..." message.
 * Built only with clang and -DHS_FUZZ=ON; seeds in corpus/config/.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ranges(const hs_config *cfg)
{
	for (size_t i = 0; i < hs_setting_count; i++) {
		const hs_setting *s = &hs_settings[i];
		const char *field = (const char *)cfg + s->offset;
		if (s->type == HS_SETTING_DOUBLE) {
			double v;
			memcpy(&v, field, sizeof v);
			if (!isfinite(v) || v < s->min || v > s->max)
				__builtin_trap();
		} else if (s->type == HS_SETTING_INT) {
			long v;
			memcpy(&v, field, sizeof v);
			if ((double)v < s->min || (double)v > s->max)
				__builtin_trap();
		} else if (memchr(field, '\0', HS_CONFIG_STR_MAX) == NULL) {
			__builtin_trap();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0; /* fmemopen wants at least one byte */
	char *copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	FILE *in = fmemopen(copy, size, "r");
	if (!in) {
		free(copy);
		return 0;
	}
	static hs_config cfg, before;
	hs_config_defaults(&cfg);
	before = cfg;
	char err[512] = "";
	int rc = hs_config_parse(&cfg, in, "fuzz.ini", err, sizeof err);
	fclose(in);
	free(copy);
	if (rc == 0) {
		check_ranges(&cfg);
		if (hs_config_check(&cfg, err, sizeof err) != 0)
			__builtin_trap();
	} else if (memcmp(&cfg, &before, sizeof cfg) != 0 ||
	           strncmp(err, "fuzz.ini", 8) != 0) {
		__builtin_trap();
	}
	return 0;
}

/* fuzz_control.c - libFuzzer target for the control socket's request parser
 * (control.h): a request line comes from another process.  The input, cut
 * at its first NUL, must either be refused with HS_EINVAL and the request
 * left untouched, or be accepted as exactly one of the documented requests:
 * the line written back from what was parsed is the input itself.
 *
 * Built only with clang and -DHS_FUZZ=ON; seeds in corpus/control/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/control.h"
#include "headsup/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[4097];
	size_t n = size < sizeof line - 1 ? size : sizeof line - 1;
	memcpy(line, data, n);
	line[n] = '\0';

	hs_control_request req, sentinel;
	memset(&sentinel, 0xa5, sizeof sentinel);
	req = sentinel;
	int rc = hs_control_parse(line, &req);
	if (rc == HS_EINVAL) {
		if (memcmp(&req, &sentinel, sizeof req) != 0)
			__builtin_trap();
		return 0;
	}
	if (rc != 0)
		__builtin_trap();

	char again[4200];
	switch (req.cmd) {
	case HS_CONTROL_PAUSE:
		if (!(req.pause_s >= 0 &&
		      req.pause_s <= HS_CONTROL_PAUSE_MAX_S))
			__builtin_trap();
		snprintf(again, sizeof again, "pause %.0f%s", req.pause_s,
		         req.calibrate ? " calibrate" : "");
		break;
	case HS_CONTROL_RESUME:
		snprintf(again, sizeof again, "resume%s",
		         req.calibrate ? " calibrate" : "");
		break;
	case HS_CONTROL_STATUS:
		snprintf(again, sizeof again, "status");
		break;
	case HS_CONTROL_STOP:
		snprintf(again, sizeof again, "stop");
		break;
	case HS_CONTROL_RELOAD:
		if (memchr(req.path, '\0', sizeof req.path) == NULL ||
		    req.path[0] != '/')
			__builtin_trap();
		for (const char *p = req.path; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				__builtin_trap();
		snprintf(again, sizeof again, "reload %s", req.path);
		break;
	default:
		__builtin_trap();
	}
	if (strcmp(again, line) != 0)
		__builtin_trap();
	return 0;
}

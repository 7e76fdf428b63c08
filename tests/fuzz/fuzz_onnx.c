/* fuzz_onnx.c - libFuzzer target for the ONNX reader (hs_onnx_parse) and
 * the engine's planner (hs_nn_create_from_buffer).
 *
 * Feeds the input as model bytes and checks the promises: no crash, an
 * error is HS_EFORMAT, HS_ENOTSUP or HS_ENOMEM and leaves the out-parameter
 * untouched, and a model the engine accepts also runs (when it is small
 * enough to run quickly).  Built only with clang and -DHS_FUZZ=ON; seeds in
 * corpus/onnx/.
 */
#include <stdint.h>
#include <stdlib.h>

#include "headsup/err.h"
#include "headsup/nn.h"
#include "headsup/onnx.h"

#define RUN_MAX_BYTES ((size_t)256 << 10) /* keeps a run well under 1 s */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int expected(int rc)
{
	return rc == 0 || rc == HS_EFORMAT || rc == HS_ENOTSUP ||
	       rc == HS_ENOMEM;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hs_onnx_model *m = (hs_onnx_model *)&m; /* a sentinel */
	int rc = hs_onnx_parse(data, size, &m);
	if (!expected(rc) || (rc < 0 && m != (hs_onnx_model *)&m))
		__builtin_trap();
	if (rc == 0)
		hs_onnx_destroy(m);

	char err[256];
	hs_nn *nn = (hs_nn *)&nn;
	rc = hs_nn_create_from_buffer(data, size, &nn, err, sizeof err);
	if (!expected(rc) || (rc < 0 && nn != (hs_nn *)&nn))
		__builtin_trap();
	if (rc < 0)
		return 0;
	size_t n = hs_nn_input_count(nn);
	if (hs_nn_memory(nn) <= RUN_MAX_BYTES && n <= RUN_MAX_BYTES / 4) {
		float *in = calloc(n, sizeof *in);
		if (in && hs_nn_run(nn, in, n) != 0)
			__builtin_trap();
		free(in);
	}
	hs_nn_destroy(nn);
	return 0;
}

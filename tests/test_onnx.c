/* test_onnx.c - the ONNX reader: what it reads back from hand-made models
 * and the real BlazeFace file, and how it refuses broken bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/err.h"
#include "headsup/onnx.h"
#include "onnxwriter.h"
#include "testutil.h"

#define MODEL "face_detection_front_128x128_barracuda.onnx"

/* A ModelProto of one Conv node with one attribute of every kind. */
static void build_conv_model(pbw *out)
{
	tmodel m = { { 0 } };
	const int64_t xdims[] = { 1, 3, 4, 5 }, wdims[] = { 2, 3, 1, 1 };
	const float w[6] = { 1, 2, 3, 4, 5, 6 };
	const int64_t shape[3] = { 1, -1, 16 }, strides[2] = { 2, 1 };
	tm_input(&m, "x", 4, xdims);
	tm_float(&m, "w", 4, wdims, w);
	tm_int64(&m, "shape", 3, shape);
	pbw a = { 0 };
	ta_ints(&a, "strides", 2, strides);
	ta_int(&a, "group", 1);
	ta_float(&a, "alpha", 0.5f);
	ta_string(&a, "auto_pad", "VALID");
	ta_tensor1(&a, "value", -2.5f);
	tm_node(&m, "Conv", "x,w,", "y", &a);
	pbw_free(&a);
	tm_output(&m, "y");
	tm_finish(&m, out);
}

static void hand_made_model_reads_back(void **state)
{
	(void)state;
	pbw bytes = { 0 };
	build_conv_model(&bytes);
	hs_onnx_model *m = NULL;
	assert_int_equal(hs_onnx_parse(bytes.buf, bytes.len, &m), 0);
	pbw_free(&bytes); /* the model keeps copies */
	assert_int_equal(m->ir_version, 7);
	assert_int_equal(m->opset, 12);

	assert_int_equal(m->n_inputs, 1);
	assert_string_equal(m->inputs[0].name, "x");
	assert_int_equal(m->inputs[0].elem_type, HS_ONNX_FLOAT);
	assert_int_equal(m->inputs[0].ndims, 4);
	assert_int_equal(m->inputs[0].dims[3], 5);
	assert_int_equal(m->n_outputs, 1);
	assert_string_equal(m->outputs[0].name, "y");
	assert_int_equal(m->outputs[0].ndims, -1); /* no shape given */

	const hs_onnx_tensor *w = hs_onnx_initializer(m, "w");
	assert_non_null(w);
	assert_int_equal(w->data_type, HS_ONNX_FLOAT);
	assert_int_equal(w->ndims, 4);
	assert_int_equal(w->count, 6);
	assert_true(w->f[5] == 6.f);
	const hs_onnx_tensor *shape = hs_onnx_initializer(m, "shape");
	assert_non_null(shape);
	assert_int_equal(shape->data_type, HS_ONNX_INT64);
	assert_int_equal(shape->i64[1], -1); /* a 10-byte varint */
	assert_null(hs_onnx_initializer(m, "nothing"));

	assert_int_equal(m->n_nodes, 1);
	const hs_onnx_node *n = &m->nodes[0];
	assert_string_equal(n->op_type, "Conv");
	assert_string_equal(n->domain, "");
	assert_int_equal(n->n_inputs, 3);
	assert_string_equal(n->inputs[1], "w");
	assert_string_equal(n->inputs[2], ""); /* an omitted input */
	assert_int_equal(n->n_outputs, 1);
	assert_string_equal(n->outputs[0], "y");
	const hs_onnx_attr *a = hs_onnx_attr_find(n, "strides");
	assert_non_null(a);
	assert_int_equal(a->type, HS_ONNX_ATTR_INTS);
	assert_int_equal(a->n, 2);
	assert_int_equal(a->ints[0], 2);
	a = hs_onnx_attr_find(n, "group");
	assert_int_equal(a->type, HS_ONNX_ATTR_INT);
	assert_int_equal(a->i, 1);
	a = hs_onnx_attr_find(n, "alpha");
	assert_int_equal(a->type, HS_ONNX_ATTR_FLOAT);
	assert_true(a->f == 0.5f);
	a = hs_onnx_attr_find(n, "auto_pad");
	assert_string_equal(a->s, "VALID");
	a = hs_onnx_attr_find(n, "value");
	assert_int_equal(a->type, HS_ONNX_ATTR_TENSOR);
	assert_int_equal(a->t->count, 1);
	assert_true(a->t->f[0] == -2.5f);
	assert_null(hs_onnx_attr_find(n, "pads"));
	hs_onnx_destroy(m);
	hs_onnx_destroy(NULL);
}

/* Parse bytes expecting rc, and *out untouched on failure. */
static void expect_parse(const void *data, size_t size, int rc)
{
	hs_onnx_model *m = (hs_onnx_model *)&m; /* a sentinel */
	int got = hs_onnx_parse(data, size, &m);
	if (got != rc)
		fail_msg("parse gave %s, expected %s", hs_err_name(got),
		         hs_err_name(rc));
	if (rc == 0)
		hs_onnx_destroy(m);
	else
		assert_ptr_equal(m, (hs_onnx_model *)&m);
}

static void broken_bytes_are_format_errors(void **state)
{
	(void)state;
	expect_parse("", 0, HS_EFORMAT);         /* no graph */
	expect_parse("\x08\x07", 2, HS_EFORMAT); /* still none */
	expect_parse("\x00", 1, HS_EFORMAT);     /* field 0 */
	expect_parse("\x08", 1, HS_EFORMAT);     /* no value */
	expect_parse("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12,
	             HS_EFORMAT);                    /* 11-byte varint */
	expect_parse("\x0b\x00", 2, HS_EFORMAT);     /* a group */
	expect_parse("\x3a\x05\x0a", 3, HS_EFORMAT); /* graph: 5 of 1 */
	expect_parse("\x3a\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10,
	             HS_EFORMAT);                            /* length 2^63 */
	expect_parse("\x3a\x02\x0a\x05", 4, HS_EFORMAT);     /* node: 5 of 0 */
	expect_parse("\x3d\x00\x00\x00\x00", 5, HS_EFORMAT); /* graph as i32 */
	expect_parse("\x3a\x00", 2, 0); /* an empty graph is well-formed */
}

/* A model whose one initializer is the TensorProto t. */
static int parse_with_tensor(const pbw *t)
{
	pbw graph = { 0 }, model = { 0 };
	pbw_msg(&graph, 5, t);
	pbw_msg(&model, 7, &graph);
	hs_onnx_model *m = NULL;
	int rc = hs_onnx_parse(model.buf, model.len, &m);
	hs_onnx_destroy(m);
	pbw_free(&graph);
	pbw_free(&model);
	return rc;
}

static const float four_floats[4] = { 1, 2, 3, 4 };

/* parse_with_tensor() of a TensorProto of ndims dims and data_type type,
 * with the first bytes of four_floats as raw_data (none when 0). */
static int parse_raw_tensor(int ndims, const int64_t *dims, int type,
                            size_t bytes)
{
	pbw t = { 0 };
	for (int i = 0; i < ndims; i++)
		pbw_int(&t, 1, dims[i]);
	pbw_int(&t, 2, type);
	if (bytes)
		pbw_bytes(&t, 9, four_floats, bytes);
	int rc = parse_with_tensor(&t);
	pbw_free(&t);
	return rc;
}

static void tensor_data_must_match_its_shape(void **state)
{
	(void)state;
	const float *f = four_floats;
	const int64_t two = 2, four = 4, negative = -4;
	const int64_t huge = (int64_t)1 << 40;
	const int64_t nine[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	/* raw_data of 3 floats for a shape of 4 */
	assert_int_equal(parse_raw_tensor(1, &four, HS_ONNX_FLOAT, 12),
	                 HS_EFORMAT);

	/* packed float_data, then one more float unpacked: 5 for 4 */
	pbw t = { 0 };
	pbw_int(&t, 1, 4);
	pbw_int(&t, 2, HS_ONNX_FLOAT);
	pbw_bytes(&t, 4, f, 16);
	assert_int_equal(parse_with_tensor(&t), 0);
	pbw_key(&t, 4, 5);
	pbw_raw(&t, f, 4);
	assert_int_equal(parse_with_tensor(&t), HS_EFORMAT);
	pbw_free(&t);

	/* int64_data one varint at a time */
	pbw_int(&t, 1, 2);
	pbw_int(&t, 2, HS_ONNX_INT64);
	pbw_int(&t, 7, 5);
	pbw_int(&t, 7, -5);
	assert_int_equal(parse_with_tensor(&t), 0);
	pbw_free(&t);

	/* a negative dimension; a huge one (refused before allocating) */
	assert_int_equal(parse_raw_tensor(1, &negative, HS_ONNX_FLOAT, 0),
	                 HS_EFORMAT);
	assert_int_equal(parse_raw_tensor(1, &huge, HS_ONNX_FLOAT, 0),
	                 HS_EFORMAT);

	/* data of 4 floats with no shape (a scalar) */
	assert_int_equal(parse_raw_tensor(0, NULL, HS_ONNX_FLOAT, 16),
	                 HS_EFORMAT);

	/* nine dimensions: more than the engine handles */
	assert_int_equal(parse_raw_tensor(9, nine, HS_ONNX_FLOAT, 4),
	                 HS_ENOTSUP);

	/* an unknown data type (10, FLOAT16) is kept, undecoded */
	assert_int_equal(parse_raw_tensor(1, &two, 10, 4), 0);
}

/* The real model's bytes, or NULL (after saying why) when it is missing. */
static unsigned char *read_model(size_t *size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/models/cache/%s", HS_SOURCE_DIR, MODEL);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr,
		        "SKIPPED: model '%s' not found; run "
		        "models/fetch-model.sh\n",
		        path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static void real_model_has_the_blazeface_graph(void **state)
{
	(void)state;
	size_t size;
	unsigned char *buf = read_model(&size);
	if (!buf)
		skip();
	hs_onnx_model *m = NULL;
	assert_int_equal(hs_onnx_parse(buf, size, &m), 0);
	free(buf);
	assert_int_equal(m->opset, 12);
	assert_int_equal(m->n_nodes, 104);
	assert_int_equal(m->n_initializers, 71);
	assert_int_equal(m->n_inputs, 1);
	assert_string_equal(m->inputs[0].name, "input:0");
	const int64_t in[4] = { 1, 128, 128, 3 };
	assert_int_equal(m->inputs[0].ndims, 4);
	assert_memory_equal(m->inputs[0].dims, in, sizeof in);
	assert_int_equal(m->n_outputs, 4);
	assert_string_equal(m->outputs[3].name, "Identity_3:0");
	assert_string_equal(m->nodes[0].op_type, "Transpose");
	const hs_onnx_tensor *w = hs_onnx_initializer(
	        m, "StatefulPartitionedCall/functional_1/conv2d/Conv2D/"
	           "ReadVariableOp:0");
	assert_non_null(w);
	const int64_t wd[4] = { 24, 3, 5, 5 };
	assert_memory_equal(w->dims, wd, sizeof wd);
	assert_int_equal(w->count, 24 * 3 * 5 * 5);
	hs_onnx_destroy(m);
}

/* Every prefix of the file ends inside the graph (or before it). */
static void truncated_model_is_a_format_error(void **state)
{
	(void)state;
	size_t size;
	unsigned char *buf = read_model(&size);
	if (!buf)
		skip();
	const size_t graph_end = size - 6; /* the opset_import follows */
	for (size_t n = 0; n < graph_end; n += n < 256 ? 1 : 1009) {
		hs_onnx_model *m = NULL;
		int rc = hs_onnx_parse(buf, n, &m);
		if (rc != HS_EFORMAT)
			fail_msg("%zu bytes of %zu gave %s", n, size,
			         hs_err_name(rc));
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hand_made_model_reads_back),
		cmocka_unit_test(broken_bytes_are_format_errors),
		cmocka_unit_test(tensor_data_must_match_its_shape),
		cmocka_unit_test(real_model_has_the_blazeface_graph),
		cmocka_unit_test(truncated_model_is_a_format_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* onnxwriter.h - builds small ONNX models in memory for the parser and
 * engine tests (test_onnx.c, test_nn.c).
 *
 * pbw is a growing protobuf buffer; tm_* add graph parts; tm_finish()
 * wraps the graph in a ModelProto.  Allocation failures abort: these are
 * tests.
 */
#ifndef HEADSUP_ONNXWRITER_H
#define HEADSUP_ONNXWRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct pbw {
	unsigned char *buf;
	size_t len, cap;
} pbw;

void pbw_free(pbw *w);
void pbw_raw(pbw *w, const void *data, size_t n);
void pbw_varint(pbw *w, uint64_t v);
/* A key: field number and wire type (0 varint, 2 bytes, 5 fixed32). */
void pbw_key(pbw *w, unsigned field, unsigned wire);
void pbw_int(pbw *w, unsigned field, int64_t v);
void pbw_bytes(pbw *w, unsigned field, const void *data, size_t n);
void pbw_str(pbw *w, unsigned field, const char *s);
/* sub as an embedded message. */
void pbw_msg(pbw *w, unsigned field, const pbw *sub);

/* Attributes of one node, appended to attrs (NodeProto fields). */
void ta_int(pbw *attrs, const char *name, int64_t v);
void ta_ints(pbw *attrs, const char *name, int n, const int64_t *v);
void ta_float(pbw *attrs, const char *name, float v);
void ta_string(pbw *attrs, const char *name, const char *s);
/* A one-value float tensor attribute (ConstantOfShape's "value"). */
void ta_tensor1(pbw *attrs, const char *name, float v);

/* A TensorProto message. */
void tensor_float(pbw *t, const char *name, int ndims, const int64_t *dims,
                  const float *data);
void tensor_int64(pbw *t, const char *name, int n, const int64_t *data);

typedef struct tmodel {
	pbw graph;
} tmodel;

/* A float input of the given shape (ValueInfoProto with dims). */
void tm_input(tmodel *m, const char *name, int ndims, const int64_t *dims);
void tm_output(tmodel *m, const char *name);
void tm_float(tmodel *m, const char *name, int ndims, const int64_t *dims,
              const float *data);
void tm_int64(tmodel *m, const char *name, int n, const int64_t *data);
/* A node: inputs as one comma-separated list ("x,w,b"); attrs may be
 * NULL. */
void tm_node(tmodel *m, const char *op, const char *inputs, const char *output,
             const pbw *attrs);
/* The serialised ModelProto (opset 12) into out; frees m's graph. */
void tm_finish(tmodel *m, pbw *out);

#endif

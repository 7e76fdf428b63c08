/* onnxwriter.c - see onnxwriter.h. */
#include "onnxwriter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pbw_free(pbw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

void pbw_raw(pbw *w, const void *data, size_t n)
{
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		while (cap < w->len + n)
			cap *= 2;
		unsigned char *p = realloc(w->buf, cap);
		if (!p) {
			perror("onnxwriter");
			abort();
		}
		w->buf = p;
		w->cap = cap;
	}
	if (n)
		memcpy(w->buf + w->len, data, n);
	w->len += n;
}

void pbw_varint(pbw *w, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	pbw_raw(w, b, n);
}

void pbw_key(pbw *w, unsigned field, unsigned wire)
{
	pbw_varint(w, (uint64_t)field << 3 | wire);
}

void pbw_int(pbw *w, unsigned field, int64_t v)
{
	pbw_key(w, field, 0);
	pbw_varint(w, (uint64_t)v);
}

void pbw_bytes(pbw *w, unsigned field, const void *data, size_t n)
{
	pbw_key(w, field, 2);
	pbw_varint(w, n);
	pbw_raw(w, data, n);
}

void pbw_str(pbw *w, unsigned field, const char *s)
{
	pbw_bytes(w, field, s, strlen(s));
}

void pbw_msg(pbw *w, unsigned field, const pbw *sub)
{
	pbw_bytes(w, field, sub->buf, sub->len);
}

/* AttributeProto: name 1, f 2, i 3, s 4, t 5, ints 8, type 20; a node's
 * attribute is its field 5. */
static void attr_done(pbw *attrs, pbw *a)
{
	pbw_msg(attrs, 5, a);
	pbw_free(a);
}

void ta_int(pbw *attrs, const char *name, int64_t v)
{
	pbw a = { 0 };
	pbw_str(&a, 1, name);
	pbw_int(&a, 3, v);
	pbw_int(&a, 20, 2);
	attr_done(attrs, &a);
}

void ta_ints(pbw *attrs, const char *name, int n, const int64_t *v)
{
	pbw a = { 0 }, packed = { 0 };
	pbw_str(&a, 1, name);
	for (int i = 0; i < n; i++)
		pbw_varint(&packed, (uint64_t)v[i]);
	pbw_msg(&a, 8, &packed);
	pbw_int(&a, 20, 7);
	pbw_free(&packed);
	attr_done(attrs, &a);
}

void ta_float(pbw *attrs, const char *name, float v)
{
	pbw a = { 0 };
	pbw_str(&a, 1, name);
	pbw_key(&a, 2, 5);
	pbw_raw(&a, &v, 4);
	pbw_int(&a, 20, 1);
	attr_done(attrs, &a);
}

void ta_string(pbw *attrs, const char *name, const char *s)
{
	pbw a = { 0 };
	pbw_str(&a, 1, name);
	pbw_str(&a, 4, s);
	pbw_int(&a, 20, 3);
	attr_done(attrs, &a);
}

void ta_tensor1(pbw *attrs, const char *name, float v)
{
	pbw a = { 0 }, t = { 0 };
	const int64_t one = 1;
	tensor_float(&t, "", 1, &one, &v);
	pbw_str(&a, 1, name);
	pbw_msg(&a, 5, &t);
	pbw_int(&a, 20, 4);
	pbw_free(&t);
	attr_done(attrs, &a);
}

/* TensorProto: dims 1, data_type 2, float_data 4, int64_data 7, name 8,
 * raw_data 9.  Floats go as raw_data, int64s as packed int64_data, so the
 * parser sees both kinds. */
void tensor_float(pbw *t, const char *name, int ndims, const int64_t *dims,
                  const float *data)
{
	size_t count = 1;
	for (int i = 0; i < ndims; i++) {
		pbw_int(t, 1, dims[i]);
		count *= (size_t)dims[i];
	}
	pbw_int(t, 2, 1);
	if (name[0])
		pbw_str(t, 8, name);
	pbw_bytes(t, 9, data, count * sizeof *data);
}

void tensor_int64(pbw *t, const char *name, int n, const int64_t *data)
{
	pbw packed = { 0 };
	pbw_int(t, 1, n);
	pbw_int(t, 2, 7);
	pbw_str(t, 8, name);
	for (int i = 0; i < n; i++)
		pbw_varint(&packed, (uint64_t)data[i]);
	pbw_msg(t, 7, &packed);
	pbw_free(&packed);
}

/* ValueInfoProto: name 1, type 2 -> TypeProto.tensor_type 1 -> elem_type
 * 1, shape 2 -> dim 1 -> dim_value 1. */
void tm_input(tmodel *m, const char *name, int ndims, const int64_t *dims)
{
	pbw vi = { 0 }, type = { 0 }, tt = { 0 }, shape = { 0 };
	for (int i = 0; i < ndims; i++) {
		pbw dim = { 0 };
		pbw_int(&dim, 1, dims[i]);
		pbw_msg(&shape, 1, &dim);
		pbw_free(&dim);
	}
	pbw_int(&tt, 1, 1);
	pbw_msg(&tt, 2, &shape);
	pbw_msg(&type, 1, &tt);
	pbw_str(&vi, 1, name);
	pbw_msg(&vi, 2, &type);
	pbw_msg(&m->graph, 11, &vi);
	pbw_free(&shape);
	pbw_free(&tt);
	pbw_free(&type);
	pbw_free(&vi);
}

void tm_output(tmodel *m, const char *name)
{
	pbw vi = { 0 };
	pbw_str(&vi, 1, name);
	pbw_msg(&m->graph, 12, &vi);
	pbw_free(&vi);
}

void tm_float(tmodel *m, const char *name, int ndims, const int64_t *dims,
              const float *data)
{
	pbw t = { 0 };
	tensor_float(&t, name, ndims, dims, data);
	pbw_msg(&m->graph, 5, &t);
	pbw_free(&t);
}

void tm_int64(tmodel *m, const char *name, int n, const int64_t *data)
{
	pbw t = { 0 };
	tensor_int64(&t, name, n, data);
	pbw_msg(&m->graph, 5, &t);
	pbw_free(&t);
}

/* NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
void tm_node(tmodel *m, const char *op, const char *inputs, const char *output,
             const pbw *attrs)
{
	pbw n = { 0 };
	for (const char *p = inputs; *inputs;) {
		size_t len = strcspn(p, ","); /* "a,,b" has an empty input */
		pbw_bytes(&n, 1, p, len);
		p += len;
		if (*p++ != ',')
			break;
	}
	pbw_str(&n, 2, output);
	pbw_str(&n, 3, output);
	pbw_str(&n, 4, op);
	if (attrs)
		pbw_raw(&n, attrs->buf, attrs->len);
	pbw_msg(&m->graph, 1, &n);
	pbw_free(&n);
}

/* ModelProto: ir_version 1, graph 7, opset_import 8 (version 2). */
void tm_finish(tmodel *m, pbw *out)
{
	pbw opset = { 0 };
	pbw_int(&opset, 2, 12);
	pbw_int(out, 1, 7);
	pbw_msg(out, 7, &m->graph);
	pbw_msg(out, 8, &opset);
	pbw_free(&opset);
	pbw_free(&m->graph);
}

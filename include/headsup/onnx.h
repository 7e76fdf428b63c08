/* onnx.h - reads an ONNX model (a protobuf ModelProto) from memory.
 *
 * Only the subset an inference engine needs: the graph's nodes (op type,
 * inputs, outputs, attributes), its initializers (float32 and int64
 * tensors) and the names and shapes of its inputs and outputs.  Every
 * length and varint is checked against the buffer: corrupt bytes give
 * HS_EFORMAT, never a read outside it.  Everything parsed is copied, so the
 * buffer may be freed once hs_onnx_parse() returns.
 */
#ifndef HEADSUP_ONNX_H
#define HEADSUP_ONNX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_ONNX_MAX_DIMS 8

/* TensorProto.DataType values this reader decodes. */
enum {
	HS_ONNX_FLOAT = 1,
	HS_ONNX_INT64 = 7,
};

/* AttributeProto.AttributeType values. */
typedef enum hs_onnx_attr_type {
	HS_ONNX_ATTR_UNDEFINED = 0,
	HS_ONNX_ATTR_FLOAT = 1,
	HS_ONNX_ATTR_INT = 2,
	HS_ONNX_ATTR_STRING = 3,
	HS_ONNX_ATTR_TENSOR = 4,
	HS_ONNX_ATTR_GRAPH = 5,
	HS_ONNX_ATTR_FLOATS = 6,
	HS_ONNX_ATTR_INTS = 7,
} hs_onnx_attr_type;

typedef struct hs_onnx_tensor {
	const char *name; /* "" when unnamed */
	int data_type;    /* HS_ONNX_FLOAT, HS_ONNX_INT64 or another code */
	int ndims;
	int64_t dims[HS_ONNX_MAX_DIMS];
	size_t count;       /* elements: the product of dims */
	const float *f;     /* count values when data_type is HS_ONNX_FLOAT */
	const int64_t *i64; /* count values when data_type is HS_ONNX_INT64 */
	bool external;      /* data kept in another file (not supported) */
} hs_onnx_tensor;

typedef struct hs_onnx_attr {
	const char *name;
	hs_onnx_attr_type type;
	float f;
	int64_t i;
	const char *s;           /* STRING, NUL-terminated */
	const int64_t *ints;     /* INTS */
	const float *floats;     /* FLOATS */
	int n;                   /* number of ints or floats */
	const hs_onnx_tensor *t; /* TENSOR */
} hs_onnx_attr;

typedef struct hs_onnx_node {
	const char *name;
	const char *op_type;
	const char *domain;  /* "" for the default ONNX domain */
	const char **inputs; /* "" marks an omitted optional input */
	int n_inputs;
	const char **outputs;
	int n_outputs;
	const hs_onnx_attr *attrs;
	int n_attrs;
} hs_onnx_node;

/* A graph input or output: name, element type and shape.  A dimension
 * given by name (dim_param) or not at all reads as -1. */
typedef struct hs_onnx_value {
	const char *name;
	int elem_type; /* 0 when not given */
	int ndims;     /* -1 when the shape is not given */
	int64_t dims[HS_ONNX_MAX_DIMS];
} hs_onnx_value;

typedef struct hs_onnx_model {
	int64_t ir_version;
	int64_t opset; /* version of the default domain, 0 when not given */
	const hs_onnx_node *nodes;
	int n_nodes;
	const hs_onnx_tensor *initializers;
	int n_initializers;
	const hs_onnx_value *inputs; /* may include initializers (old IR) */
	int n_inputs;
	const hs_onnx_value *outputs;
	int n_outputs;
	struct hs_onnx_arena *arena_; /* everything above lives here */
} hs_onnx_model;

/* Parse size bytes of a serialised ModelProto.  HS_EFORMAT when the bytes
 * are not a well-formed model with a graph, HS_ENOTSUP for a tensor of more
 * than HS_ONNX_MAX_DIMS dimensions, HS_ENOMEM.  On failure *out is left
 * untouched. */
int hs_onnx_parse(const void *data, size_t size, hs_onnx_model **out);
void hs_onnx_destroy(hs_onnx_model *model);

/* The initializer called name, or NULL. */
const hs_onnx_tensor *hs_onnx_initializer(const hs_onnx_model *model,
                                          const char *name);
/* The node's attribute called name, or NULL. */
const hs_onnx_attr *hs_onnx_attr_find(const hs_onnx_node *node,
                                      const char *name);

#endif

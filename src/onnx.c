/* onnx.c - a bounds-checked reader for the ONNX protobuf subset in onnx.h.
 *
 * Protobuf wire format: each field is a varint key (field number << 3 |
 * wire type) followed by a varint (type 0), 8 bytes (1), a varint length
 * and that many bytes (2), or 4 bytes (5).  Every message is read twice:
 * once to count its repeated fields, once to fill the arrays sized by that
 * count.  All memory comes from one arena freed with the model.
 */
#include "headsup/onnx.h"

#include "headsup/err.h"

#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "raw_data is little-endian: this reader copies it as it is"
#endif

/* Largest tensor accepted, in elements: far above any model headsup runs,
 * far below what would overflow a size_t of bytes. */
#define MAX_ELEMENTS ((size_t)1 << 30)

/* ---- arena --------------------------------------------------------------- */

#define ARENA_BLOCK ((size_t)64 * 1024)

typedef struct block {
	struct block *next;
	size_t used, size;
	_Alignas(64) unsigned char data[];
} block;

struct hs_onnx_arena {
	block *head;
};

static void *arena_alloc(struct hs_onnx_arena *a, size_t size)
{
	size = (size + 63) & ~(size_t)63;
	if (size == 0)
		size = 64;
	block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->size = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

static void arena_free(struct hs_onnx_arena *a)
{
	block *b = a->head;
	while (b) {
		block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ---- wire format --------------------------------------------------------- */

enum {
	WIRE_VARINT = 0,
	WIRE_I64 = 1,
	WIRE_LEN = 2,
	WIRE_I32 = 5
};

typedef struct pb {
	const unsigned char *p, *end;
} pb;

typedef struct field {
	unsigned num;
	int wire;
	uint64_t v; /* varint, or the raw bits of a fixed 4/8-byte value */
	pb sub;     /* WIRE_LEN: the bytes */
} field;

static int read_varint(pb *b, uint64_t *out)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (b->p >= b->end)
			return HS_EFORMAT;
		unsigned c = *b->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (c < 0x80) {
			*out = v;
			return 0;
		}
	}
	return HS_EFORMAT; /* more than 10 bytes */
}

/* Read the next field of b; 1 when one was read, 0 at the end. */
static int next_field(pb *b, field *f)
{
	if (b->p >= b->end)
		return 0;
	uint64_t key;
	int rc = read_varint(b, &key);
	if (rc < 0)
		return rc;
	if (key >> 3 == 0 || key >> 3 > 0x1fffffff)
		return HS_EFORMAT;
	f->num = (unsigned)(key >> 3);
	f->wire = (int)(key & 7);
	size_t left;
	switch (f->wire) {
	case WIRE_VARINT:
		return read_varint(b, &f->v) < 0 ? HS_EFORMAT : 1;
	case WIRE_I64:
	case WIRE_I32: {
		size_t n = f->wire == WIRE_I64 ? 8 : 4;
		if ((size_t)(b->end - b->p) < n)
			return HS_EFORMAT;
		f->v = 0;
		for (size_t i = 0; i < n; i++)
			f->v |= (uint64_t)b->p[i] << (8 * i);
		b->p += n;
		return 1;
	}
	case WIRE_LEN:
		if (read_varint(b, &f->v) < 0)
			return HS_EFORMAT;
		left = (size_t)(b->end - b->p);
		if (f->v > left)
			return HS_EFORMAT;
		f->sub.p = b->p;
		f->sub.end = b->p + f->v;
		b->p += f->v;
		return 1;
	default: /* groups (3, 4) are deprecated; 6 and 7 do not exist */
		return HS_EFORMAT;
	}
}

static float bits_to_float(uint64_t v)
{
	uint32_t u = (uint32_t)v;
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* A string field (which must be length-delimited), copied into the
 * arena. */
static int copy_string(struct hs_onnx_arena *a, const field *f,
                       const char **out)
{
	if (f->wire != WIRE_LEN)
		return HS_EFORMAT;
	size_t n = (size_t)(f->sub.end - f->sub.p);
	char *str = arena_alloc(a, n + 1);
	if (!str)
		return HS_ENOMEM;
	memcpy(str, f->sub.p, n);
	str[n] = '\0';
	*out = str;
	return 0;
}

/* A repeated int64 field arrives packed (one WIRE_LEN of varints) or as one
 * WIRE_VARINT per value.  Count or store (when out is not NULL) its values,
 * *n counting up. */
static int repeated_ints(const field *f, int64_t *out, int *n, int max)
{
	if (f->wire == WIRE_VARINT) {
		if (*n >= max)
			return HS_EFORMAT;
		if (out)
			out[*n] = (int64_t)f->v;
		(*n)++;
		return 0;
	}
	if (f->wire != WIRE_LEN)
		return HS_EFORMAT;
	pb s = f->sub;
	while (s.p < s.end) {
		uint64_t v;
		if (read_varint(&s, &v) < 0 || *n >= max)
			return HS_EFORMAT;
		if (out)
			out[*n] = (int64_t)v;
		(*n)++;
	}
	return 0;
}

/* The same for a repeated float field: packed fixed32 or WIRE_I32 each. */
static int repeated_floats(const field *f, float *out, int *n, int max)
{
	if (f->wire == WIRE_I32) {
		if (*n >= max)
			return HS_EFORMAT;
		if (out)
			out[*n] = bits_to_float(f->v);
		(*n)++;
		return 0;
	}
	if (f->wire != WIRE_LEN)
		return HS_EFORMAT;
	size_t bytes = (size_t)(f->sub.end - f->sub.p);
	if (bytes % 4 != 0 || bytes / 4 > (size_t)(max - *n))
		return HS_EFORMAT;
	if (out)
		memcpy(out + *n, f->sub.p, bytes);
	*n += (int)(bytes / 4);
	return 0;
}

/* Second pass over msg: store the n values of its repeated float field
 * float_num into floats, or of its repeated int64 field int_num into ints
 * (the other pointer NULL), once the first pass has counted them. */
static int fill_repeated(pb msg, unsigned float_num, float *floats,
                         unsigned int_num, int64_t *ints, int n)
{
	field f;
	int rc, k = 0;
	while ((rc = next_field(&msg, &f)) > 0) {
		if (floats && f.num == float_num)
			rc = repeated_floats(&f, floats, &k, n);
		else if (ints && f.num == int_num)
			rc = repeated_ints(&f, ints, &k, n);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* Fail unless field f has the wire type a field of its kind must have. */
#define EXPECT_WIRE(f, w)                  \
	do {                               \
		if ((f)->wire != (w))      \
			return HS_EFORMAT; \
	} while (0)

/* ---- TensorProto --------------------------------------------------------- */

enum {
	TENSOR_DIMS = 1,
	TENSOR_DATA_TYPE = 2,
	TENSOR_FLOAT_DATA = 4,
	TENSOR_INT64_DATA = 7,
	TENSOR_NAME = 8,
	TENSOR_RAW_DATA = 9,
	TENSOR_EXTERNAL_DATA = 13,
	TENSOR_DATA_LOCATION = 14,
};

static int element_count(const hs_onnx_tensor *t, size_t *count)
{
	size_t n = 1;
	for (int i = 0; i < t->ndims; i++) {
		if (t->dims[i] < 0 || (uint64_t)t->dims[i] > MAX_ELEMENTS)
			return HS_EFORMAT;
		n *= (size_t)t->dims[i];
		if (n > MAX_ELEMENTS)
			return HS_EFORMAT;
	}
	*count = n;
	return 0;
}

static int parse_tensor(struct hs_onnx_arena *a, pb msg, hs_onnx_tensor *t)
{
	field f;
	int rc, n_floats = 0, n_ints = 0;
	const pb *raw = NULL;
	pb raw_buf;
	t->name = "";
	/* Pass 1: the scalars, the shape, and how many values are inline. */
	pb b = msg;
	while ((rc = next_field(&b, &f)) > 0) {
		switch (f.num) {
		case TENSOR_DIMS: {
			/* count first: a tensor of too many dimensions is
			 * refused as unsupported, not as corrupt */
			int k = 0;
			rc = repeated_ints(&f, NULL, &k, INT32_MAX);
			if (rc < 0)
				return rc;
			if (k > HS_ONNX_MAX_DIMS - t->ndims)
				return HS_ENOTSUP;
			rc = repeated_ints(&f, t->dims, &t->ndims,
			                   HS_ONNX_MAX_DIMS);
			break;
		}
		case TENSOR_DATA_TYPE:
			EXPECT_WIRE(&f, WIRE_VARINT);
			t->data_type = (int)(f.v & 0x7fffffff);
			break;
		case TENSOR_FLOAT_DATA:
			rc = repeated_floats(&f, NULL, &n_floats,
			                     (int)MAX_ELEMENTS);
			break;
		case TENSOR_INT64_DATA:
			rc = repeated_ints(&f, NULL, &n_ints,
			                   (int)MAX_ELEMENTS);
			break;
		case TENSOR_NAME:
			rc = copy_string(a, &f, &t->name);
			break;
		case TENSOR_RAW_DATA:
			EXPECT_WIRE(&f, WIRE_LEN);
			raw_buf = f.sub;
			raw = &raw_buf;
			break;
		case TENSOR_EXTERNAL_DATA:
			t->external = true;
			break;
		case TENSOR_DATA_LOCATION:
			EXPECT_WIRE(&f, WIRE_VARINT);
			if (f.v == 1)
				t->external = true;
			break;
		default:
			break;
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if ((rc = element_count(t, &t->count)) < 0)
		return rc;
	if (t->external)
		return 0; /* the engine refuses it by name */

	size_t elem;
	int inline_n;
	if (t->data_type == HS_ONNX_FLOAT) {
		elem = sizeof(float);
		inline_n = n_floats;
	} else if (t->data_type == HS_ONNX_INT64) {
		elem = sizeof(int64_t);
		inline_n = n_ints;
	} else {
		return 0; /* other types are kept undecoded */
	}
	/* all the data must be there before memory is given to it */
	if (raw && inline_n != 0)
		return HS_EFORMAT; /* both forms at once */
	size_t bytes =
	        raw ? (size_t)(raw->end - raw->p) : (size_t)inline_n * elem;
	if (bytes != t->count * elem)
		return HS_EFORMAT;
	void *data = arena_alloc(a, t->count * elem);
	if (!data)
		return HS_ENOMEM;
	if (raw) {
		memcpy(data, raw->p, t->count * elem); /* little-endian */
	} else {
		/* Pass 2: the inline values. */
		const bool fl = t->data_type == HS_ONNX_FLOAT;
		rc = fill_repeated(msg, TENSOR_FLOAT_DATA, fl ? data : NULL,
		                   TENSOR_INT64_DATA, fl ? NULL : data,
		                   inline_n);
		if (rc < 0)
			return rc;
	}
	if (t->data_type == HS_ONNX_FLOAT)
		t->f = data;
	else
		t->i64 = data;
	return 0;
}

/* ---- AttributeProto ------------------------------------------------------ */

enum {
	ATTR_NAME = 1,
	ATTR_F = 2,
	ATTR_I = 3,
	ATTR_S = 4,
	ATTR_T = 5,
	ATTR_FLOATS = 7,
	ATTR_INTS = 8,
	ATTR_TYPE = 20,
};

static int parse_attr(struct hs_onnx_arena *a, pb msg, hs_onnx_attr *at)
{
	field f;
	int rc, n_ints = 0, n_floats = 0;
	at->name = "";
	pb b = msg;
	while ((rc = next_field(&b, &f)) > 0) {
		switch (f.num) {
		case ATTR_NAME:
			rc = copy_string(a, &f, &at->name);
			break;
		case ATTR_F:
			EXPECT_WIRE(&f, WIRE_I32);
			at->f = bits_to_float(f.v);
			break;
		case ATTR_I:
			EXPECT_WIRE(&f, WIRE_VARINT);
			at->i = (int64_t)f.v;
			break;
		case ATTR_S:
			rc = copy_string(a, &f, &at->s);
			break;
		case ATTR_T: {
			EXPECT_WIRE(&f, WIRE_LEN);
			hs_onnx_tensor *t = arena_alloc(a, sizeof *t);
			if (!t)
				return HS_ENOMEM;
			rc = parse_tensor(a, f.sub, t);
			at->t = t;
			break;
		}
		case ATTR_FLOATS:
			rc = repeated_floats(&f, NULL, &n_floats, INT32_MAX);
			break;
		case ATTR_INTS:
			rc = repeated_ints(&f, NULL, &n_ints, INT32_MAX);
			break;
		case ATTR_TYPE:
			EXPECT_WIRE(&f, WIRE_VARINT);
			at->type = (hs_onnx_attr_type)(f.v & 0xff);
			break;
		default:
			break;
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (n_ints > 0 && n_floats > 0)
		return HS_EFORMAT;
	if (n_ints == 0 && n_floats == 0)
		return 0;
	int64_t *ints = NULL;
	float *floats = NULL;
	if (n_ints > 0 && !(ints = arena_alloc(a, (size_t)n_ints * 8)))
		return HS_ENOMEM;
	if (n_floats > 0 && !(floats = arena_alloc(a, (size_t)n_floats * 4)))
		return HS_ENOMEM;
	rc = fill_repeated(msg, ATTR_FLOATS, floats, ATTR_INTS, ints,
	                   n_ints > 0 ? n_ints : n_floats);
	if (rc < 0)
		return rc;
	at->ints = ints;
	at->floats = floats;
	at->n = n_ints > 0 ? n_ints : n_floats;
	return 0;
}

/* ---- NodeProto ----------------------------------------------------------- */

enum {
	NODE_INPUT = 1,
	NODE_OUTPUT = 2,
	NODE_NAME = 3,
	NODE_OP_TYPE = 4,
	NODE_ATTRIBUTE = 5,
	NODE_DOMAIN = 7,
};

static int parse_node(struct hs_onnx_arena *a, pb msg, hs_onnx_node *nd)
{
	field f;
	int rc, n_in = 0, n_out = 0, n_attr = 0;
	nd->name = nd->op_type = nd->domain = "";
	pb b = msg;
	while ((rc = next_field(&b, &f)) > 0) {
		if (f.num == NODE_INPUT)
			n_in++;
		else if (f.num == NODE_OUTPUT)
			n_out++;
		else if (f.num == NODE_ATTRIBUTE)
			n_attr++;
	}
	if (rc < 0)
		return rc;
	const char **in = arena_alloc(a, (size_t)n_in * sizeof *in);
	const char **out = arena_alloc(a, (size_t)n_out * sizeof *out);
	hs_onnx_attr *attrs = arena_alloc(a, (size_t)n_attr * sizeof *attrs);
	if (!in || !out || !attrs)
		return HS_ENOMEM;
	b = msg;
	while ((rc = next_field(&b, &f)) > 0) {
		switch (f.num) {
		case NODE_INPUT:
			rc = copy_string(a, &f, &in[nd->n_inputs++]);
			break;
		case NODE_OUTPUT:
			rc = copy_string(a, &f, &out[nd->n_outputs++]);
			break;
		case NODE_NAME:
			rc = copy_string(a, &f, &nd->name);
			break;
		case NODE_OP_TYPE:
			rc = copy_string(a, &f, &nd->op_type);
			break;
		case NODE_ATTRIBUTE:
			EXPECT_WIRE(&f, WIRE_LEN);
			rc = parse_attr(a, f.sub, &attrs[nd->n_attrs++]);
			break;
		case NODE_DOMAIN:
			rc = copy_string(a, &f, &nd->domain);
			break;
		default:
			break;
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	nd->inputs = in;
	nd->outputs = out;
	nd->attrs = attrs;
	return 0;
}

/* ---- ValueInfoProto ------------------------------------------------------ */

/* TensorShapeProto.Dimension: dim_value (1) or dim_param (2). */
static int parse_dim(pb msg, int64_t *dim)
{
	field f;
	int rc;
	*dim = -1;
	while ((rc = next_field(&msg, &f)) > 0)
		if (f.num == 1 && f.wire == WIRE_VARINT)
			*dim = (int64_t)f.v;
	return rc;
}

/* TypeProto.tensor_type (1): elem_type (1), shape (2) of dims (1). */
static int parse_tensor_type(pb msg, hs_onnx_value *v)
{
	field f, g;
	int rc, rc2;
	while ((rc = next_field(&msg, &f)) > 0) {
		if (f.num == 1) {
			EXPECT_WIRE(&f, WIRE_VARINT);
			v->elem_type = (int)(f.v & 0x7fffffff);
		} else if (f.num == 2) {
			EXPECT_WIRE(&f, WIRE_LEN);
			v->ndims = 0;
			pb shape = f.sub;
			while ((rc2 = next_field(&shape, &g)) > 0) {
				if (g.num != 1)
					continue;
				EXPECT_WIRE(&g, WIRE_LEN);
				if (v->ndims >= HS_ONNX_MAX_DIMS)
					return HS_ENOTSUP;
				rc2 = parse_dim(g.sub, &v->dims[v->ndims++]);
				if (rc2 < 0)
					return rc2;
			}
			if (rc2 < 0)
				return rc2;
		}
	}
	return rc;
}

static int parse_value(struct hs_onnx_arena *a, pb msg, hs_onnx_value *v)
{
	field f, g;
	int rc, rc2;
	v->name = "";
	v->ndims = -1;
	while ((rc = next_field(&msg, &f)) > 0) {
		if (f.num == 1) {
			if ((rc = copy_string(a, &f, &v->name)) < 0)
				return rc;
		} else if (f.num == 2) {
			EXPECT_WIRE(&f, WIRE_LEN);
			pb type = f.sub;
			while ((rc2 = next_field(&type, &g)) > 0) {
				if (g.num != 1)
					continue;
				EXPECT_WIRE(&g, WIRE_LEN);
				if ((rc2 = parse_tensor_type(g.sub, v)) < 0)
					return rc2;
			}
			if (rc2 < 0)
				return rc2;
		}
	}
	return rc;
}

/* ---- GraphProto and ModelProto ------------------------------------------- */

enum {
	GRAPH_NODE = 1,
	GRAPH_INITIALIZER = 5,
	GRAPH_INPUT = 11,
	GRAPH_OUTPUT = 12,
};

static int parse_graph(struct hs_onnx_arena *a, pb msg, hs_onnx_model *m)
{
	field f;
	int rc, n_node = 0, n_init = 0, n_in = 0, n_out = 0;
	pb b = msg;
	while ((rc = next_field(&b, &f)) > 0) {
		if (f.num == GRAPH_NODE)
			n_node++;
		else if (f.num == GRAPH_INITIALIZER)
			n_init++;
		else if (f.num == GRAPH_INPUT)
			n_in++;
		else if (f.num == GRAPH_OUTPUT)
			n_out++;
	}
	if (rc < 0)
		return rc;
	hs_onnx_node *nodes = arena_alloc(a, (size_t)n_node * sizeof *nodes);
	hs_onnx_tensor *inits = arena_alloc(a, (size_t)n_init * sizeof *inits);
	hs_onnx_value *ins = arena_alloc(a, (size_t)n_in * sizeof *ins);
	hs_onnx_value *outs = arena_alloc(a, (size_t)n_out * sizeof *outs);
	if (!nodes || !inits || !ins || !outs)
		return HS_ENOMEM;
	b = msg;
	while ((rc = next_field(&b, &f)) > 0) {
		if (f.num != GRAPH_NODE && f.num != GRAPH_INITIALIZER &&
		    f.num != GRAPH_INPUT && f.num != GRAPH_OUTPUT)
			continue;
		EXPECT_WIRE(&f, WIRE_LEN);
		if (f.num == GRAPH_NODE)
			rc = parse_node(a, f.sub, &nodes[m->n_nodes++]);
		else if (f.num == GRAPH_INITIALIZER)
			rc = parse_tensor(a, f.sub,
			                  &inits[m->n_initializers++]);
		else if (f.num == GRAPH_INPUT)
			rc = parse_value(a, f.sub, &ins[m->n_inputs++]);
		else
			rc = parse_value(a, f.sub, &outs[m->n_outputs++]);
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	m->nodes = nodes;
	m->initializers = inits;
	m->inputs = ins;
	m->outputs = outs;
	return 0;
}

enum {
	MODEL_IR_VERSION = 1,
	MODEL_GRAPH = 7,
	MODEL_OPSET_IMPORT = 8,
};

/* OperatorSetIdProto: domain (1), version (2). */
static int parse_opset(pb msg, hs_onnx_model *m)
{
	field f;
	int rc;
	bool default_domain = true;
	int64_t version = 0;
	while ((rc = next_field(&msg, &f)) > 0) {
		if (f.num == 1) {
			EXPECT_WIRE(&f, WIRE_LEN);
			size_t n = (size_t)(f.sub.end - f.sub.p);
			default_domain =
			        n == 0 ||
			        (n == 7 && !memcmp(f.sub.p, "ai.onnx", 7));
		} else if (f.num == 2) {
			EXPECT_WIRE(&f, WIRE_VARINT);
			version = (int64_t)f.v;
		}
	}
	if (rc == 0 && default_domain)
		m->opset = version;
	return rc;
}

int hs_onnx_parse(const void *data, size_t size, hs_onnx_model **out)
{
	if (!data || size == 0)
		return data || size == 0 ? HS_EFORMAT : HS_EINVAL;
	struct hs_onnx_arena arena = { NULL };
	int rc = HS_ENOMEM;
	hs_onnx_model *m = arena_alloc(&arena, sizeof *m);
	struct hs_onnx_arena *home = arena_alloc(&arena, sizeof *home);
	if (!m || !home)
		goto fail;
	pb b = { data, (const unsigned char *)data + size };
	pb graph = { NULL, NULL };
	bool has_graph = false;
	field f;
	while ((rc = next_field(&b, &f)) > 0) {
		if (f.num == MODEL_IR_VERSION) {
			if (f.wire != WIRE_VARINT)
				goto corrupt;
			m->ir_version = (int64_t)f.v;
		} else if (f.num == MODEL_GRAPH) {
			if (f.wire != WIRE_LEN)
				goto corrupt;
			graph = f.sub;
			has_graph = true;
		} else if (f.num == MODEL_OPSET_IMPORT) {
			if (f.wire != WIRE_LEN)
				goto corrupt;
			if ((rc = parse_opset(f.sub, m)) < 0)
				goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	if (!has_graph)
		goto corrupt;
	if ((rc = parse_graph(&arena, graph, m)) < 0)
		goto fail;
	/* The arena describes itself: its head block holds the model. */
	*home = arena;
	m->arena_ = home;
	*out = m;
	return 0;

corrupt:
	rc = HS_EFORMAT;
fail:
	arena_free(&arena);
	return rc;
}

void hs_onnx_destroy(hs_onnx_model *model)
{
	if (!model)
		return;
	struct hs_onnx_arena arena = *model->arena_;
	arena_free(&arena); /* frees model itself too */
}

const hs_onnx_tensor *hs_onnx_initializer(const hs_onnx_model *model,
                                          const char *name)
{
	for (int i = 0; i < model->n_initializers; i++)
		if (strcmp(model->initializers[i].name, name) == 0)
			return &model->initializers[i];
	return NULL;
}

const hs_onnx_attr *hs_onnx_attr_find(const hs_onnx_node *node,
                                      const char *name)
{
	for (int i = 0; i < node->n_attrs; i++)
		if (strcmp(node->attrs[i].name, name) == 0)
			return &node->attrs[i];
	return NULL;
}

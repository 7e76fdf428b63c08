/* nn.h - a small inference engine for convolutional ONNX models.
 *
 * Runs the float32 graph of a model such as BlazeFace or MediaPipe's face
 * mesh on one thread, with no allocation after hs_nn_create().  Supported
 * operators: Conv (plain, depthwise and 1x1, any strides and pads), Add,
 * Relu, PRelu (a slope that varies along one axis at most, broadcast as
 * ONNX does), Sigmoid, MaxPool, Pad (constant zeros; not of the batch),
 * Concat, Transpose, Reshape, Identity, Constant and ConstantOfShape.
 * Anything else, or another form of these, is refused with HS_ENOTSUP and
 * a message naming the node.
 *
 * Inside, 4-D activations are kept channels-last (NHWC) with the channel
 * count rounded up to a whole SIMD vector; weights are repacked to match
 * when the model is loaded, and a convolution absorbs the Add and the
 * Relu or PRelu that follow it.  The kernels come in AVX-512, AVX2+FMA and
 * generic builds; the best one the CPU supports is chosen at load time.
 */
#ifndef HEADSUP_NN_H
#define HEADSUP_NN_H

#include <stddef.h>
#include <stdint.h>

typedef struct hs_nn hs_nn;

/* Load the model at path.  HS_ENOENT / HS_EIO when the file cannot be
 * read, HS_EFORMAT when it is not a well-formed ONNX model, HS_ENOTSUP
 * when it uses an operator or a form of one this engine lacks.  On failure
 * a message naming the file and what failed goes to err (when not NULL),
 * and *out is left untouched. */
int hs_nn_create(const char *path, hs_nn **out, char *err, size_t err_size);
/* The same from size bytes of a serialised ModelProto. */
int hs_nn_create_from_buffer(const void *data, size_t size, hs_nn **out,
                             char *err, size_t err_size);
void hs_nn_destroy(hs_nn *nn);

/* Elements of the single input, in the row-major order of the shape the
 * graph declares (NHWC [1,128,128,3] for BlazeFace). */
size_t hs_nn_input_count(const hs_nn *nn);

/* Run the graph on count input values (count must equal
 * hs_nn_input_count()).  The outputs stay valid until the next run. */
int hs_nn_run(hs_nn *nn, const float *input, size_t count);

/* The graph's outputs, in the order it declares them. */
int hs_nn_output_count(const hs_nn *nn);
/* Index of the output called name, or HS_ENOENT. */
int hs_nn_output_index(const hs_nn *nn, const char *name);
const char *hs_nn_output_name(const hs_nn *nn, int index);
/* Output index after the last run, row-major, with its element count in
 * *count (may be NULL); NULL when index is out of range. */
const float *hs_nn_output(const hs_nn *nn, int index, size_t *count);

/* Bytes allocated for tensors: activations, packed weights, constants. */
size_t hs_nn_memory(const hs_nn *nn);

/* Which kernels run: "avx512", "avx2" or "generic". */
const char *hs_nn_isa(const hs_nn *nn);
/* Choose the kernels by that name (tests and benchmarks compare them).
 * HS_EINVAL for an unknown name, HS_ENOTSUP when this CPU lacks them. */
int hs_nn_set_isa(hs_nn *nn, const char *isa);

#endif

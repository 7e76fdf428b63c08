// facenet.cpp - the BlazeFace input letterbox, and the model through
// cv::dnn (the reference for the C engine in src/nn.c).
//
// The ONNX export takes NHWC float32 [1,128,128,3], RGB scaled to [-1,1].
// Its outputs are the score logits and the 16 regressors for the stride-8
// (16x16 cells, 2 anchors) and stride-16 (8x8 cells, 6 anchors) layers.
#include "image.hpp"

#include <cstring>
#include <memory>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

struct hs_facenet {
	cv::dnn::Net net;
	std::vector<cv::String> out_names;
	std::vector<cv::Mat> outs;
	cv::Mat input; // [1,128,128,3] float32, continuous
	float scores[HS_FACENET_ANCHORS];
	float regressors[HS_FACENET_ANCHORS * 16];
};

static const int N8 = 16 * 16 * 2; // anchors on the stride-8 layer

extern "C" int hsv_facenet_create(const char *onnx_path, hs_facenet **out)
{
	return hs::guarded([&] {
		auto f = std::make_unique<hs_facenet>();
		f->net = cv::dnn::readNetFromONNX(onnx_path);
		if (f->net.empty())
			return (int)HS_EFORMAT;
		f->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
		f->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
		f->out_names = { "Identity:0", "Identity_1:0", "Identity_2:0",
			         "Identity_3:0" };
		int sz[4] = { 1, HS_FACENET_INPUT, HS_FACENET_INPUT, 3 };
		f->input.create(4, sz, CV_32F);
		*out = f.release();
		return 0;
	});
}

// cannot throw: destructors are noexcept.
extern "C" void hsv_facenet_destroy(hs_facenet *net)
{
	delete net;
}

// Copy one output tensor (any shape with 'count' elements) into dst.
static int copy_out(const cv::Mat &m, float *dst, size_t count)
{
	if (m.type() != CV_32F || m.total() != count || !m.isContinuous())
		return HS_EFORMAT;
	std::memcpy(dst, m.ptr<float>(), count * sizeof(float));
	return 0;
}

// cv::dnn on f->input, outputs copied into f->scores and f->regressors.
static int forward(hs_facenet *f, const float **scores,
                   const float **regressors)
{
	f->net.setInput(f->input);
	f->net.forward(f->outs, f->out_names);
	if (f->outs.size() != 4)
		return (int)HS_EFORMAT;
	int rc;
	if ((rc = copy_out(f->outs[0], f->scores, N8)) < 0 ||
	    (rc = copy_out(f->outs[1], f->scores + N8,
	                   HS_FACENET_ANCHORS - N8)) < 0 ||
	    (rc = copy_out(f->outs[2], f->regressors, N8 * 16)) < 0 ||
	    (rc = copy_out(f->outs[3], f->regressors + N8 * 16,
	                   (HS_FACENET_ANCHORS - N8) * 16)) < 0)
		return rc;
	*scores = f->scores;
	*regressors = f->regressors;
	return 0;
}

extern "C" int hsv_facenet_forward(hs_facenet *f, const float *input,
                                   const float **scores,
                                   const float **regressors)
{
	return hs::guarded([&] {
		if (!input)
			return (int)HS_EINVAL;
		std::memcpy(f->input.ptr<float>(), input,
		            HS_FACENET_INPUT_FLOATS * sizeof(float));
		return forward(f, scores, regressors);
	});
}

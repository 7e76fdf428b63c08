/* test_hotpath.c - a frame through detection, face mesh and pose
 * allocates nothing.
 *
 * The monitor analyses a frame twice a second all day; issue 3 asks that
 * the detector's hot path take no heap memory per frame.  This program
 * counts every allocation made while hs_analyzer_run() works on frames it
 * has seen the like of, whichever library makes it (OpenCV, the C++
 * runtime, our own code):
 * - in a plain build by defining malloc and its relatives here, which the
 *   dynamic linker prefers over the C library's for every library in the
 *   process, each forwarding to glibc's own (__libc_malloc, ...);
 * - in a sanitizer build through the sanitizer's allocation hook, as the
 *   sanitizer owns malloc there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/analyzer.h"
#include "headsup/shim.h"
#include "testutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define HS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HS_SANITIZED 1
#endif
#endif

static volatile int counting;
static volatile long allocations;

static void count(void)
{
	if (counting)
		allocations++;
}

#ifdef HS_SANITIZED
int __sanitizer_install_malloc_and_free_hooks(
        void (*malloc_hook)(const volatile void *, size_t),
        void (*free_hook)(const volatile void *));

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	count();
}

static void on_free(const volatile void *p)
{
	(void)p;
}

/* Once: each call adds another hook.  The runtime wants both. */
static int install_counter(void)
{
	return __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free)
	               ? 0
	               : -1;
}
#else
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void *__libc_memalign(size_t align, size_t n);

void *malloc(size_t n)
{
	count();
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	count();
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	count();
	return __libc_realloc(p, n);
}

void *memalign(size_t align, size_t n)
{
	count();
	return __libc_memalign(align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	count();
	return __libc_memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	count();
	void *p = __libc_memalign(align, n);
	if (!p)
		return 12; /* ENOMEM */
	*out = p;
	return 0;
}

static int install_counter(void)
{
	return 0;
}
#endif

/* Allocations while the analyzer works on each of n frames, after one
 * pass over them all to warm up (the first frame of a new size may size
 * buffers, once). */
static long allocations_per_pass(hs_analyzer *a, hs_image **frames, int n,
                                 hs_analysis *last)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(hs_analyzer_run(a, frames[i], last), 0);
	allocations = 0;
	counting = 1;
	int rc = 0;
	for (int pass = 0; pass < 3 && rc == 0; pass++)
		for (int i = 0; i < n && rc == 0; i++)
			rc = hs_analyzer_run(a, frames[i], &last[i]);
	counting = 0;
	assert_int_equal(rc, 0);
	return allocations;
}

/* The counter sees what it is there to count: an allocation made inside
 * the vision module (a C++ new in the library loaded at run time), as the
 * analyzer's would be.  A counter that saw nothing would let every test
 * here pass whatever the code allocates. */
static void the_counter_sees_the_modules_allocations(void **state)
{
	(void)state;
	hs_image *img = NULL;
	/* Once first, so that loading the module is not what is counted. */
	assert_int_equal(hs_image_create(&img), 0);
	hs_image_destroy(img);
	img = NULL;
	allocations = 0;
	counting = 1;
	const int rc = hs_image_create(&img);
	counting = 0;
	assert_int_equal(rc, 0);
	hs_image_destroy(img);
	if (allocations < 1)
		fail_msg("the counter saw no allocation in hs_image_create()");
}

/* Nobody in view: the letterbox and BlazeFace, at two frame sizes in
 * turn (a camera's 640 x 480 and a video's 1280 x 720).  Needs no
 * fixture. */
static void an_empty_frame_allocates_nothing(void **state)
{
	(void)state;
	hs_image *frames[2];
	static const int sizes[2][2] = { { 640, 480 }, { 1280, 720 } };
	for (int i = 0; i < 2; i++) {
		const int w = sizes[i][0], h = sizes[i][1];
		unsigned char *bgr = malloc((size_t)w * h * 3);
		assert_non_null(bgr);
		for (size_t k = 0; k < (size_t)w * h * 3; k++)
			bgr[k] = (unsigned char)(k * 2654435761u >> 24);
		assert_int_equal(hs_image_create(&frames[i]), 0);
		assert_int_equal(hs_image_from_bgr(frames[i], bgr, w, h), 0);
		free(bgr);
	}
	hs_analyzer *a = NULL;
	assert_int_equal(hs_analyzer_create(NULL, 60, &a), 0);
	assert_string_equal(hs_analyzer_detector(a), "blazeface");
	hs_analysis an[2];
	const long n = allocations_per_pass(a, frames, 2, an);
	assert_false(an[0].face.found);
	assert_false(an[1].face.found);
	if (n != 0)
		fail_msg("%ld allocations in 6 frames without a face", n);
	hs_analyzer_destroy(a);
	for (int i = 0; i < 2; i++)
		hs_image_destroy(frames[i]);
}

/* A face: BlazeFace, the face mesh on its rotated crop, and the 3-D fit
 * that gives the pose, on photos of two people, one of them looking
 * down. */
static void a_frame_with_a_face_allocates_nothing(void **state)
{
	(void)state;
	static const char *const photos[] = {
		"headpose/pointing04/person01/person01146+0+0.jpg",
		"headpose/pointing04/person03/person03120-30+0.jpg",
	};
	enum {
		N = sizeof photos / sizeof photos[0]
	};
	hs_image *frames[N];
	char path[PATH_MAX];
	for (int i = 0; i < N; i++)
		if (!hs_test_fixture(photos[i], path, sizeof path))
			skip();
	for (int i = 0; i < N; i++) {
		assert_true(hs_test_fixture(photos[i], path, sizeof path));
		assert_int_equal(hs_image_create(&frames[i]), 0);
		assert_int_equal(hs_image_load(frames[i], path), 0);
	}
	hs_analyzer *a = NULL;
	assert_int_equal(hs_analyzer_create(NULL, 60, &a), 0);
	hs_analysis an[N];
	const long n = allocations_per_pass(a, frames, N, an);
	for (int i = 0; i < N; i++) {
		assert_true(an[i].face.found);
		assert_true(an[i].has_pose);
		assert_true(an[i].pose_from_mesh);
	}
	if (n != 0)
		fail_msg("%ld allocations in %d frames with a face", n, 3 * N);
	hs_analyzer_destroy(a);
	for (int i = 0; i < N; i++)
		hs_image_destroy(frames[i]);
}

int main(void)
{
	hs_cv_set_threads(1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_counter_sees_the_modules_allocations),
		cmocka_unit_test(an_empty_frame_allocates_nothing),
		cmocka_unit_test(a_frame_with_a_face_allocates_nothing),
	};
	if (install_counter() < 0) {
		fprintf(stderr, "test_hotpath: cannot install the sanitizer's "
		                "allocation hook\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* failing_vision.c - a vision module for tests in which no frame can be
 * analysed: the real module (HS_REAL_VISION_MODULE), except that a
 * frame's pixels cannot be had (HS_ENOMEM, as when memory runs out), so
 * every image is read but the detector fails on it.  Given to headsup by
 * $HEADSUP_VISION_MODULE. */
#include "headsup/err.h"
#include "headsup/shim_table.h"

#include <dlfcn.h>
#include <stddef.h>

const hs_shim_table *hs_shim_table_v1(void);

static hs_shim_table table;

static int no_pixels(const hs_image *img, hs_pixels *out)
{
	(void)img;
	(void)out;
	return HS_ENOMEM;
}

__attribute__((visibility("default"))) const hs_shim_table *
hs_shim_table_v1(void)
{
	if (table.version)
		return &table;
	void *h = dlopen(HS_REAL_VISION_MODULE, RTLD_NOW | RTLD_LOCAL);
	const hs_shim_table *(*get)(void) = NULL;
	if (h)
		*(void **)&get = dlsym(h, HS_SHIM_TABLE_SYMBOL);
	const hs_shim_table *real = get ? get() : NULL;
	if (!real)
		return NULL;
	table = *real;
	table.image_pixels = no_pixels;
	return &table;
}

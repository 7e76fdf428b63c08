/* shim_loader.c - loads headsup-vision.so on first use and implements
 * shim.h by calling through its table, and likewise headsup-preview.so for
 * the preview window (see shim_table.h). */
#include "headsup/shim_table.h"

#include "headsup/err.h"
#include "headsup/log.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef HS_INSTALL_LIBDIR
#define HS_INSTALL_LIBDIR "/usr/local/lib/headsup"
#endif
#ifndef HS_REL_LIBDIR
#define HS_REL_LIBDIR "lib"
#endif
#define MODULE_NAME "headsup-vision.so"
#define PREVIEW_NAME "headsup-preview.so"

static void *module; /* the vision module's handle */
static const hs_shim_table *table;
static bool tried;
static char load_error[PATH_MAX + 256];
static const hs_preview_table *preview;
static bool preview_tried;

static void *open_module(const char *path)
{
	if (access(path, R_OK) != 0)
		return NULL;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		snprintf(load_error, sizeof load_error, "%s", dlerror());
	return h;
}

/* $HEADSUP_VISION_MODULE, then beside the binary (build tree), then the
 * install location.  Never the build tree by its path: the installed
 * binary would carry it, and load whatever is found there once the build
 * is gone (in /tmp, anyone's). */
static void *find_module(void)
{
	const char *env = getenv("HEADSUP_VISION_MODULE");
	if (env && env[0])
		return open_module(env);
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	void *h = NULL;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof path, "%s/%s", exe, MODULE_NAME);
			if ((h = open_module(path)))
				return h;
			/* an installed tree moved elsewhere as a whole */
			snprintf(path, sizeof path, "%s/../%s/headsup/%s", exe,
			         HS_REL_LIBDIR, MODULE_NAME);
			if ((h = open_module(path)))
				return h;
		}
	}
	return open_module(HS_INSTALL_LIBDIR "/" MODULE_NAME);
}

/* Why a module was not found, said with what to do; load_error keeps the
 * detail (open_module()'s, else 'where'). */
static void say_missing(const char *what, const char *name, const char *where)
{
	if (!load_error[0])
		snprintf(load_error, sizeof load_error, "%s not found %s", name,
		         where);
	hs_error("cannot load the %s module: %s (reinstall headsup)", what,
	         load_error);
}

/* The table module h exports under symbol, when it is of the version this
 * headsup was built with (every table starts with its version); else said,
 * h closed, and NULL. */
static const void *table_of(void *h, const char *what, const char *symbol,
                            int version)
{
	const void *(*get)(void);
	*(void **)&get = dlsym(h, symbol);
	const void *t = get ? get() : NULL;
	if (!t || *(const int *)t != version) {
		hs_error("the %s module does not match this headsup (reinstall "
		         "headsup)",
		         what);
		dlclose(h);
		return NULL;
	}
	return t;
}

static int load(void)
{
	if (table)
		return 0;
	if (tried)
		return HS_ENOTSUP;
	tried = true;
	/* The module silences OpenCV's and FFmpeg's own messages (headsup
	 * says what failed in its words) unless OPENCV_LOG_LEVEL is set:
	 * with -vv they speak, for debugging. */
	if (hs_log_get_level() >= HS_LOG_DEBUG)
		setenv("OPENCV_LOG_LEVEL", "WARNING", 0);
	void *h = find_module();
	if (!h) {
		say_missing("vision", MODULE_NAME,
		            "beside the program or in " HS_INSTALL_LIBDIR);
		return HS_ENOTSUP;
	}
	const hs_shim_table *t = table_of(h, "vision", HS_SHIM_TABLE_SYMBOL,
	                                  HS_SHIM_TABLE_VERSION);
	if (!t)
		return HS_ENOTSUP;
	module = h;
	table = t; /* the module stays loaded until exit */
	return 0;
}

/* The preview module, from the folder the vision module came from. */
static int load_preview(void)
{
	if (preview)
		return 0;
	if (preview_tried)
		return HS_ENOTSUP;
	preview_tried = true;
	int rc = load();
	if (rc < 0)
		return rc;
	char dir[PATH_MAX], path[PATH_MAX + 64];
	void *h = NULL;
	load_error[0] = '\0';
	if (dlinfo(module, RTLD_DI_ORIGIN, dir) == 0) {
		snprintf(path, sizeof path, "%s/%s", dir, PREVIEW_NAME);
		h = open_module(path);
	}
	if (!h) {
		say_missing("preview", PREVIEW_NAME,
		            "beside the vision module");
		return HS_ENOTSUP;
	}
	const hs_preview_table *t =
	        table_of(h, "preview", HS_PREVIEW_TABLE_SYMBOL,
	                 HS_PREVIEW_TABLE_VERSION);
	if (!t)
		return HS_ENOTSUP;
	preview = t; /* stays loaded until exit, as the vision module */
	return 0;
}

const char *hs_shim_last_error(void)
{
	return table ? table->last_error() : load_error;
}

#define HS_SHIM_FORWARD(name, params, args)              \
	int hs_##name params                             \
	{                                                \
		int rc_ = load();                        \
		return rc_ < 0 ? rc_ : table->name args; \
	}
#define HS_SHIM_VFORWARD(name, params, args) \
	void hs_##name params                \
	{                                    \
		if (load() == 0)             \
			table->name args;    \
	}
HS_SHIM_FUNCS(HS_SHIM_FORWARD, HS_SHIM_VFORWARD)
#undef HS_SHIM_FORWARD
#undef HS_SHIM_VFORWARD

#define HS_PREVIEW_FORWARD(name, params, args)             \
	int hs_##name params                               \
	{                                                  \
		int rc_ = load_preview();                  \
		return rc_ < 0 ? rc_ : preview->name args; \
	}
#define HS_PREVIEW_VFORWARD(name, params, args) \
	void hs_##name params                   \
	{                                       \
		if (load_preview() == 0)        \
			preview->name args;     \
	}
HS_PREVIEW_FUNCS(HS_PREVIEW_FORWARD, HS_PREVIEW_VFORWARD)
#undef HS_PREVIEW_FORWARD
#undef HS_PREVIEW_VFORWARD

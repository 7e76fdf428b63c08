// table.cpp - the one symbol headsup-vision.so exports: the function table
// the C core calls through (include/headsup/shim_table.h).
extern "C" {
#include "headsup/shim_table.h"

const char *hsv_shim_last_error(void);
#define HS_SHIM_DECL(name, params, args) int hsv_##name params;
#define HS_SHIM_VDECL(name, params, args) void hsv_##name params;
HS_SHIM_FUNCS(HS_SHIM_DECL, HS_SHIM_VDECL)
#undef HS_SHIM_DECL
#undef HS_SHIM_VDECL
}

static const hs_shim_table table = { HS_SHIM_TABLE_VERSION, hsv_shim_last_error,
#define HS_SHIM_ENTRY(name, params, args) hsv_##name,
	                             HS_SHIM_FUNCS(HS_SHIM_ENTRY, HS_SHIM_ENTRY)
#undef HS_SHIM_ENTRY
};

// cannot throw: returns a static table's address (and is noexcept).
extern "C" __attribute__((visibility("default"))) const hs_shim_table *
hs_shim_table_v1(void) noexcept
{
	return &table;
}

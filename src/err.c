/* err.c - messages for the codes in err.h. */
#include "headsup/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

const char *hs_strerror(int err)
{
	switch (err) {
	case HS_OK:
		return "success";
#define HS_ERR_MSG(name, msg) \
	case HS_E##name:      \
		return msg;
		HS_ERR_MAP(HS_ERR_MSG)
#undef HS_ERR_MSG
	default:
		return "unknown error";
	}
}

const char *hs_err_name(int err)
{
	switch (err) {
	case HS_OK:
		return "OK";
#define HS_ERR_NAME(name, msg) \
	case HS_E##name:       \
		return #name;
		HS_ERR_MAP(HS_ERR_NAME)
#undef HS_ERR_NAME
	default:
		return "UNKNOWN";
	}
}

int hs_err_from_errno(int errnum)
{
	switch (errnum) {
	case 0:
		return HS_OK;
	case ENOMEM:
		return HS_ENOMEM;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return HS_ENOENT;
	case ENOTDIR:
		return HS_ENOTDIR;
	case EACCES:
	case EPERM:
	case EROFS:
		return HS_EACCES;
	case EBUSY:
		return HS_EBUSY;
	case ENOSPC:
	case EDQUOT:
		return HS_ENOSPC;
	case EFBIG:
		return HS_EFBIG;
	case EINVAL:
		return HS_EINVAL;
	case EINTR:
		return HS_EINTERRUPTED;
	case EISDIR:
		return HS_EISDIR;
	case ENAMETOOLONG:
		return HS_ENAMETOOLONG;
	case ELOOP:
		return HS_ELOOP;
	default:
		return HS_EIO;
	}
}

void hs_say(char *buf, unsigned long size, const char *fmt, ...)
{
	if (!buf || size == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

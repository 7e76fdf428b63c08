/* err.h - error codes shared by every headsup module.
 *
 * Functions return 0 on success or a negative hs_err.  The list below is the
 * only place a code is defined; HS_ERR_MAP expands into the enum and into the
 * messages hs_strerror() returns.
 */
#ifndef HEADSUP_ERR_H
#define HEADSUP_ERR_H

#define HS_ERR_MAP(X)                                           \
	X(NOMEM, "out of memory")                               \
	X(INVAL, "invalid argument")                            \
	X(IO, "input/output error")                             \
	X(NOENT, "no such file or device")                      \
	X(ACCES, "permission denied")                           \
	X(BUSY, "device or resource busy")                      \
	X(EOF, "end of input")                                  \
	X(FORMAT, "unrecognised or corrupt data")               \
	X(CHECKSUM, "checksum mismatch")                        \
	X(OPENCV, "OpenCV error")                               \
	X(NOFACE, "no face found")                              \
	X(CONFIG, "configuration error")                        \
	X(RANGE, "value out of range")                          \
	X(LOCKED, "locked by another process")                  \
	X(CORRUPT, "database is corrupt")                       \
	X(NOSPC, "no space left on device")                     \
	X(DB, "database error")                                 \
	X(NOTSUP, "not supported")                              \
	X(NOSERVER, "no notification server")                   \
	X(INTERRUPTED, "interrupted")                           \
	X(ISDIR, "is a folder, not a file")                     \
	X(NOTDIR, "a part of the path is a file, not a folder") \
	X(NAMETOOLONG, "file name too long")                    \
	X(NOTFILE, "not a regular file")                        \
	X(LOOP, "a loop of symbolic links")                     \
	X(TOOLARGE, "too large to decode")                      \
	X(NOTOWNER, "belongs to another user")                  \
	X(NOTLOCAL, "not on this machine")                      \
	X(FBIG, "file too large for the file-size limit (ulimit -f)")

typedef enum hs_err {
	HS_OK = 0,
#define HS_ERR_ENUM(name, msg) HS_E##name,
	HS_ERR_FIRST_ = -1000,
	HS_ERR_MAP(HS_ERR_ENUM)
#undef HS_ERR_ENUM
	HS_ERR_LAST_
} hs_err;

/* Room for one message: a sentence that names a path of up to PATH_MAX
 * (4096) bytes, and why.  The buffers given to functions that take
 * (char *err, size_t errsize) are this large. */
#define HS_MSG_MAX 4200
/* Room for a reason that names no path. */
#define HS_WHY_MAX 1024

/* printf into a message buffer, which may be NULL or of size 0 (the
 * caller does not want the message). */
void hs_say(char *buf, unsigned long size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Message for an hs_err (or 0); never NULL. */
const char *hs_strerror(int err);

/* Short name of an hs_err such as "NOENT"; never NULL. */
const char *hs_err_name(int err);

/* Map an errno value to the closest hs_err. */
int hs_err_from_errno(int errnum);

#endif

/* sha256.h - SHA-256 (FIPS 180-4), used to check the model files. */
#ifndef HEADSUP_SHA256_H
#define HEADSUP_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct hs_sha256 {
	uint32_t h[8];
	uint64_t length; /* bytes hashed so far */
	uint8_t block[64];
	size_t used;
} hs_sha256;

void hs_sha256_init(hs_sha256 *s);
void hs_sha256_update(hs_sha256 *s, const void *data, size_t size);
/* Finish and write the digest as 64 lowercase hex digits plus NUL. */
void hs_sha256_final_hex(hs_sha256 *s, char hex[65]);
/* Hash a whole file; HS_ENOENT/HS_EACCES/HS_EIO on failure. */
int hs_sha256_file(const char *path, char hex[65]);
/* Does the file at path have the sha256 expect (64 lowercase hex digits)?
 * 0 when it does.  Otherwise the error of hs_sha256_file(), or HS_ECHECKSUM
 * for another checksum, and why says so, naming the file as "<what>
 * '<path>'" (what: "face model", ...). */
int hs_sha256_check_file(const char *path, const char *expect, const char *what,
                         char *why, size_t whysize);

#endif

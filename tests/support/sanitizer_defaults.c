/* sanitizer_defaults.c - options compiled into every sanitizer build
 * (HS_SANITIZE), so a test run needs no environment to be right.
 *
 * intercept_tls_get_addr=0: the runtimes of GCC 12 and LLVM 14 (Debian 12)
 * mistake a dynamic TLS block that happens to start 16 bytes into a page
 * for a pre-2.25 glibc header; LeakSanitizer's tracer then crashes at exit
 * ("Tracer caught signal 11") without having found a leak.  Whether it
 * happens depends only on where malloc puts things.  Leak checking itself
 * is unaffected.  ASAN_OPTIONS in the environment still adds to this.
 */
const char *__asan_default_options(void);

__attribute__((visibility("default"), used)) const char *
__asan_default_options(void)
{
	return "intercept_tls_get_addr=0";
}

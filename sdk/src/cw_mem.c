/* The C memory functions contracts need (memcpy, memmove, memset, memcmp, strlen), defined by
 * the SDK for wasm builds because contracts link no libc; native builds use the C library's.
 * Test hook: with CW_MEM_TEST defined (tests/test_mem.c includes this file that way) the same
 * code is compiled natively under the names cw_test_memcpy, cw_test_memmove, and so on. Also
 * the two stack-protector symbols compiler-rt's wasm32 builtins reference (wasm only). */
#if defined(__wasm__) || defined(CW_MEM_TEST)

#include <stddef.h>
#include <stdint.h>

#ifdef CW_MEM_TEST
#define CW_MEM_NAME(name) cw_test_##name
#else
#include "cw_base.h"
#define CW_MEM_NAME(name) name
#endif

/* The compiler must not recognise the loops below as memcpy/memset idioms and turn them into
 * calls to the very functions being defined (infinite recursion). */
#if defined(__clang__)
#define CW_MEM_NO_BUILTIN __attribute__((no_builtin))
#elif defined(__GNUC__)
#define CW_MEM_NO_BUILTIN __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define CW_MEM_NO_BUILTIN
#endif

/* Word-at-a-time copying (memmove) when both pointers share alignment; bytes otherwise.
 * uintptr_t-sized words are 4 bytes on wasm32. may_alias keeps the word accesses legal for any
 * object type. */
typedef uintptr_t __attribute__((may_alias)) cw_mem_word;
#define CW_MEM_WORD sizeof(cw_mem_word)
#define CW_MEM_ALIGNED(p) (((uintptr_t)(p) & (CW_MEM_WORD - 1)) == 0)

/* Copies forwards when dst is below src and backwards otherwise, so overlapping ranges in
 * either direction are handled. Words are used when both ends of the copy are word aligned
 * (allocator payloads are 16-byte aligned, so buffer copies usually are); bytes otherwise. */
CW_MEM_NO_BUILTIN void *CW_MEM_NAME(memmove)(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((uintptr_t)d < (uintptr_t)s) {
        if (CW_MEM_ALIGNED((uintptr_t)d | (uintptr_t)s)) {
            for (; n >= CW_MEM_WORD; n -= CW_MEM_WORD) {
                *(cw_mem_word *)(void *)d = *(const cw_mem_word *)(const void *)s;
                d += CW_MEM_WORD;
                s += CW_MEM_WORD;
            }
        }
        while (n--) *d++ = *s++;
    } else if (d != s) {
        d += n;
        s += n;
        if (CW_MEM_ALIGNED((uintptr_t)d | (uintptr_t)s)) {
            for (; n >= CW_MEM_WORD; n -= CW_MEM_WORD) {
                d -= CW_MEM_WORD;
                s -= CW_MEM_WORD;
                *(cw_mem_word *)(void *)d = *(const cw_mem_word *)(const void *)s;
            }
        }
        while (n--) *--d = *--s;
    }
    return dst;
}

/* memmove's forward path already copies word-at-a-time; one copy loop keeps contracts small. */
CW_MEM_NO_BUILTIN void *CW_MEM_NAME(memcpy)(void *restrict dst, const void *restrict src,
                                            size_t n) {
    return CW_MEM_NAME(memmove)(dst, src, n);
}

/* Bytes at a time: contracts clear small structs, where a word loop's setup costs more code
 * than it saves in gas. */
CW_MEM_NO_BUILTIN void *CW_MEM_NAME(memset)(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

CW_MEM_NO_BUILTIN int CW_MEM_NAME(memcmp)(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) {
        if (*x != *y) return (int)*x - (int)*y;
    }
    return 0;
}

CW_MEM_NO_BUILTIN size_t CW_MEM_NAME(strlen)(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

#endif

#ifdef __wasm__
/* Debian's wasm32 compiler-rt builtins are built with the stack protector, so some of them
 * (__umodti3 for u128 `%`) reference these two; the SDK supplies them so every builtin links.
 * The names are fixed by that ABI. */
uintptr_t __stack_chk_guard = 0x5eba11a5u;
_Noreturn void __stack_chk_fail(void) {
    cw_abort("stack smashing detected");
}
#endif

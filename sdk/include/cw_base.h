/* Ballast SDK basics shared by every other SDK header: byte slices, the growable buffer,
 * formatted messages, contract errors, abort, and the memory functions the SDK defines. */
#ifndef CW_BASE_H
#define CW_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Unsigned 128-bit integer (CosmWasm Uint128). clang supports it on wasm32; division and
 * multiplication helpers come statically from compiler-rt's wasm32 builtins. */
typedef unsigned __int128 cw_u128;

/* A non-owning byte slice (not NUL-terminated). Strings and raw bytes alike. */
typedef struct cw_str {
    const char *ptr;
    size_t len;
} cw_str;

/* A slice of a string literal. */
#define CW_LIT(s) ((cw_str){(s), sizeof(s) - 1})

cw_str cw_cstr(const char *s);             /* slice of a NUL-terminated string */
bool cw_str_eq(cw_str a, cw_str b);        /* byte equality */
bool cw_str_eq_c(cw_str a, const char *s); /* equality with a NUL-terminated string */
int cw_str_cmp(cw_str a, cw_str b);        /* lexicographic byte order, shorter first on tie */

/* Memory functions. The SDK defines these for wasm builds (contracts link no libc);
 * native builds use the C library's. memmove handles overlapping ranges. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* Heap allocation through the SDK allocator (sdk/src/cw_alloc.c). cw_alloc never returns
 * NULL: exhaustion aborts. cw_free(NULL) is a no-op; a double free or a pointer the
 * allocator did not hand out aborts with a message instead of corrupting the heap. */
void *cw_alloc(size_t size);
void *cw_realloc(void *ptr, size_t size);
void cw_free(void *ptr);

/* Abort the whole call with a message (wasm: the env.abort import, which traps; native:
 * the mock catches it). Used for bugs and arithmetic overflow, not for user errors. */
_Noreturn void cw_abort(const char *msg);
_Noreturn void cw_abort_str(cw_str msg);

/* A growable byte buffer owned by its user; free with cw_buf_free. Zero-initialised
 * ({0}) is a valid empty buffer. */
typedef struct cw_buf {
    char *ptr;
    size_t len;
    size_t cap;
} cw_buf;

void cw_buf_free(cw_buf *b);
void cw_buf_reserve(cw_buf *b, size_t extra);
void cw_buf_put(cw_buf *b, const void *data, size_t n);
void cw_buf_puts(cw_buf *b, const char *s);
void cw_buf_putc(cw_buf *b, char c);
void cw_buf_put_str(cw_buf *b, cw_str s);
cw_str cw_buf_view(const cw_buf *b);
/* Take ownership of the bytes (NUL-terminated, not counted in len); the buffer is left empty. */
char *cw_buf_take(cw_buf *b, size_t *len_out);

/* Formatting (a small printf subset, no floats):
 *   %s  const char*      %S  cw_str (by value)     %c  char (int)
 *   %d  int              %u  unsigned int
 *   %ld long / %lu unsigned long    %lld long long / %llu unsigned long long
 *   %Q  cw_u128 (by value), decimal                %%  a percent sign
 *   %J  cw_str (by value) as a JSON string: quoted and escaped like cw_json_escape, or
 *       null when its ptr is NULL (an Option<String> that is None). Builds stored records
 *       and query answers from one format string: "{\"name\":%J,\"supply\":\"%Q\"}".
 * Unknown directives abort (a bug in the caller). */
void cw_buf_printf(cw_buf *b, const char *fmt, ...);

/* Write the decimal form of v into out (at least 40 bytes); returns the length. */
size_t cw_u128_to_dec(cw_u128 v, char *out);
size_t cw_u64_to_dec(uint64_t v, char *out);

/* A contract error: NULL means success. Otherwise an allocated, NUL-terminated message
 * that the SDK turns into {"error":"<message>"}. Handlers return it; whoever receives a
 * non-NULL error owns it (cw_error_free). */
typedef struct cw_error {
    size_t len;
    char msg[];
} cw_error;

cw_error *cw_errorf(const char *fmt, ...); /* same directives as cw_buf_printf */
cw_error *cw_error_str(cw_str msg);
void cw_error_free(cw_error *e);

/* A native-token amount, as in cosmwasm-std's Coin. */
typedef struct cw_coin {
    cw_str denom;
    cw_u128 amount;
} cw_coin;

/* Propagate an error: CW_TRY(expr) returns the error from the enclosing function. */
#define CW_TRY(expr)                                                                               \
    do {                                                                                           \
        cw_error *cw_try_err_ = (expr);                                                            \
        if (cw_try_err_) return cw_try_err_;                                                       \
    } while (0)

#endif

/* Byte slices, the growable buffer, the small printf (cw_buf_printf), decimal conversion of
 * u64/u128 without 128-bit division, and contract errors — the cw_base.h helpers that are not
 * memory functions (sdk/src/cw_mem.c) or the allocator (sdk/src/cw_alloc.c). */
#include <stdarg.h>

#include "cw_base.h"
#include "cw_json.h" /* cw_json_escape, for %J */

/* --- Slices --------------------------------------------------------------------------------- */

cw_str cw_cstr(const char *s) {
    return (cw_str){s, s ? strlen(s) : 0};
}

bool cw_str_eq(cw_str a, cw_str b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool cw_str_eq_c(cw_str a, const char *s) {
    return cw_str_eq(a, cw_cstr(s));
}

int cw_str_cmp(cw_str a, cw_str b) {
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* --- Buffer --------------------------------------------------------------------------------- */

void cw_buf_free(cw_buf *b) {
    cw_free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

void cw_buf_reserve(cw_buf *b, size_t extra) {
    if (extra > (size_t)-1 - b->len - 1) cw_abort("cw_buf: size overflow");
    size_t need = b->len + extra + 1; /* +1 keeps room for cw_buf_take's terminator */
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 32;
    while (cap < need) cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    b->ptr = cw_realloc(b->ptr, cap);
    b->cap = cap;
}

void cw_buf_put(cw_buf *b, const void *data, size_t n) {
    if (n == 0) return;
    cw_buf_reserve(b, n);
    memcpy(b->ptr + b->len, data, n);
    b->len += n;
}

void cw_buf_puts(cw_buf *b, const char *s) {
    cw_buf_put(b, s, strlen(s));
}

void cw_buf_putc(cw_buf *b, char c) {
    cw_buf_reserve(b, 1);
    b->ptr[b->len++] = c;
}

void cw_buf_put_str(cw_buf *b, cw_str s) {
    cw_buf_put(b, s.ptr, s.len);
}

cw_str cw_buf_view(const cw_buf *b) {
    return (cw_str){b->ptr ? b->ptr : "", b->len};
}

char *cw_buf_take(cw_buf *b, size_t *len_out) {
    cw_buf_reserve(b, 0);
    b->ptr[b->len] = 0;
    char *p = b->ptr;
    if (len_out) *len_out = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

/* --- Decimal conversion --------------------------------------------------------------------- */

size_t cw_u64_to_dec(uint64_t v, char *out) {
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
    return n;
}

/* Repeated long division of the four 32-bit limbs by 10^9: every step divides a value below
 * 10^9 * 2^32 < 2^62, so only 64-bit arithmetic is needed (no __udivti3 on wasm32). */
size_t cw_u128_to_dec(cw_u128 v, char *out) {
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
    if (hi == 0) return cw_u64_to_dec(lo, out);
    uint32_t limbs[4] = {(uint32_t)(hi >> 32), (uint32_t)hi, (uint32_t)(lo >> 32), (uint32_t)lo};
    uint32_t chunks[5]; /* base-10^9 digits, least significant first; 2^128 < 10^45 */
    size_t n_chunks = 0;
    for (;;) {
        uint64_t rem = 0;
        bool zero = true;
        for (int i = 0; i < 4; i++) {
            uint64_t cur = (rem << 32) | limbs[i];
            limbs[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
            if (limbs[i]) zero = false;
        }
        chunks[n_chunks++] = (uint32_t)rem;
        if (zero) break;
    }
    size_t n = cw_u64_to_dec(chunks[n_chunks - 1], out);
    for (size_t c = n_chunks - 1; c-- > 0;) {
        uint32_t x = chunks[c];
        for (int i = 8; i >= 0; i--) {
            out[n + (size_t)i] = (char)('0' + x % 10);
            x /= 10;
        }
        n += 9;
    }
    out[n] = 0;
    return n;
}

/* --- Formatting ----------------------------------------------------------------------------- */

/* Read a cw_u128 variadic argument. clang 14 on wasm32 stores an i128 vararg at 8-byte
 * alignment but its va_arg reads it at 16-byte alignment, so after an odd number of 4-byte
 * arguments the two disagree; reading two 8-byte halves matches what the caller wrote. */
static cw_u128 va_arg_u128(va_list *ap) {
#ifdef __wasm__
    uint64_t lo = va_arg(*ap, uint64_t);
    uint64_t hi = va_arg(*ap, uint64_t);
    return ((cw_u128)hi << 64) | lo;
#else
    return va_arg(*ap, cw_u128);
#endif
}

static void buf_vprintf(cw_buf *b, const char *fmt, va_list ap) {
    va_list args; /* a local copy: a va_list parameter may be an array type */
    va_copy(args, ap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            const char *q = p;
            while (q[1] && q[1] != '%') q++;
            cw_buf_put(b, p, (size_t)(q - p) + 1);
            p = q;
            continue;
        }
        const char *start = p++;
        int longs = 0; /* 'l' modifiers: 0 int, 1 long, 2 long long */
        while (*p == 'l' && longs < 2) longs++, p++;
        char tmp[48];
        uint64_t mag;
        if (longs && *p != 'd' && *p != 'u') goto unknown;
        switch (*p) {
        case 's': {
            const char *s = va_arg(args, const char *);
            cw_buf_puts(b, s ? s : "(null)");
            break;
        }
        case 'S':
            cw_buf_put_str(b, va_arg(args, cw_str));
            break;
        case 'c':
            cw_buf_putc(b, (char)va_arg(args, int));
            break;
        case 'J': {
            cw_str s = va_arg(args, cw_str);
            if (!s.ptr) {
                cw_buf_put(b, "null", 4);
                break;
            }
            cw_buf_putc(b, '"');
            cw_json_escape(b, s);
            cw_buf_putc(b, '"');
            break;
        }
        case 'Q':
            cw_buf_put(b, tmp, cw_u128_to_dec(va_arg_u128(&args), tmp));
            break;
        case '%':
            cw_buf_putc(b, '%');
            break;
        case 'd':
        case 'u':
            /* Read as unsigned of the argument's width, then sign-extend for %d. */
            mag = longs == 2 ? va_arg(args, unsigned long long)
                  : longs    ? va_arg(args, unsigned long)
                             : va_arg(args, unsigned int);
            if (*p == 'd') {
                int64_t v = longs == 2 ? (int64_t)mag : longs ? (int64_t)(long)mag : (int)mag;
                if (v < 0) {
                    cw_buf_putc(b, '-');
                    mag = 0 - (uint64_t)v;
                }
            }
            cw_buf_put(b, tmp, cw_u64_to_dec(mag, tmp));
            break;
        default:
        unknown : {
            /* Name the directive: "cw_buf_printf: unknown directive %x". */
            cw_buf msg = {0};
            cw_buf_puts(&msg, "cw_buf_printf: unknown directive ");
            cw_buf_put(&msg, start, (size_t)(p - start) + (*p != 0));
            cw_abort_str(cw_buf_view(&msg));
        }
        }
    }
    va_end(args);
}

void cw_buf_printf(cw_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* --- Errors --------------------------------------------------------------------------------- */

cw_error *cw_error_str(cw_str msg) {
    cw_error *e = cw_alloc(sizeof(cw_error) + msg.len + 1);
    e->len = msg.len;
    if (msg.len) memcpy(e->msg, msg.ptr, msg.len);
    e->msg[msg.len] = 0;
    return e;
}

cw_error *cw_errorf(const char *fmt, ...) {
    cw_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cw_error *e = cw_error_str(cw_buf_view(&b));
    cw_buf_free(&b);
    return e;
}

void cw_error_free(cw_error *e) {
    cw_free(e);
}

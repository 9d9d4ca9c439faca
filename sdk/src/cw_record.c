/* The binary record encoding of cw_record.h: little-endian integers, u16-length strings, and a
 * bounds-checked read cursor. */
#include "cw_record.h"

void cw_record_put_u64(cw_buf *b, uint64_t v) {
    for (int i = 0; i < 8; i++) cw_buf_putc(b, (char)(v >> (8 * i)));
}

void cw_record_put_u128(cw_buf *b, cw_u128 v) {
    cw_record_put_u64(b, (uint64_t)v);
    cw_record_put_u64(b, (uint64_t)(v >> 64));
}

void cw_record_put_u256(cw_buf *b, cw_u256 v) {
    for (int i = 0; i < 4; i++) cw_record_put_u64(b, v.limb[i]);
}

void cw_record_put_str(cw_buf *b, cw_str s) {
    if (s.len > 0xFFFF) cw_abort("string too long for a record");
    cw_buf_putc(b, (char)(s.len & 0xFF));
    cw_buf_putc(b, (char)(s.len >> 8));
    cw_buf_put(b, s.ptr, s.len);
}

static const unsigned char *take(cw_record *r, size_t n) {
    if (r->s.len - r->pos < n) cw_abort("corrupt record");
    const unsigned char *p = (const unsigned char *)r->s.ptr + r->pos;
    r->pos += n;
    return p;
}

uint64_t cw_record_get_u64(cw_record *r) {
    const unsigned char *p = take(r, 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

cw_u128 cw_record_get_u128(cw_record *r) {
    cw_u128 lo = cw_record_get_u64(r);
    return lo | ((cw_u128)cw_record_get_u64(r) << 64);
}

cw_u256 cw_record_get_u256(cw_record *r) {
    cw_u256 v;
    for (int i = 0; i < 4; i++) v.limb[i] = cw_record_get_u64(r);
    return v;
}

cw_str cw_record_get_str(cw_record *r) {
    const unsigned char *p = take(r, 2);
    size_t n = (size_t)p[0] | ((size_t)p[1] << 8);
    return (cw_str){(const char *)take(r, n), n};
}

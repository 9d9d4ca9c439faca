/* The backstop pool's binary record encoding (little-endian integers, strings as u16 length +
 * bytes; SPEC.md §8), keys and number texts. Loaded values live in the per-call arena. */
#include "pool.h"

void bp_put_u64(cw_buf *b, uint64_t v) {
    for (int i = 0; i < 8; i++) cw_buf_putc(b, (char)(v >> (8 * i)));
}

void bp_put_u128(cw_buf *b, cw_u128 v) {
    bp_put_u64(b, (uint64_t)v);
    bp_put_u64(b, (uint64_t)(v >> 64));
}

void bp_put_u256(cw_buf *b, cw_u256 v) {
    for (int i = 0; i < 4; i++) bp_put_u64(b, v.limb[i]);
}

void bp_put_str(cw_buf *b, cw_str s) {
    if (s.len > 0xFFFF) cw_abort("backstop_pool: string too long for a record");
    cw_buf_putc(b, (char)(s.len & 0xFF));
    cw_buf_putc(b, (char)(s.len >> 8));
    cw_buf_put(b, s.ptr, s.len);
}

static const unsigned char *take(bp_rd *r, size_t n) {
    if (r->s.len - r->pos < n) cw_abort("backstop_pool: corrupt record");
    const unsigned char *p = (const unsigned char *)r->s.ptr + r->pos;
    r->pos += n;
    return p;
}

uint64_t bp_get_u64(bp_rd *r) {
    const unsigned char *p = take(r, 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

cw_u128 bp_get_u128(bp_rd *r) {
    cw_u128 lo = bp_get_u64(r);
    return lo | ((cw_u128)bp_get_u64(r) << 64);
}

cw_u256 bp_get_u256(bp_rd *r) {
    cw_u256 v;
    for (int i = 0; i < 4; i++) v.limb[i] = bp_get_u64(r);
    return v;
}

cw_str bp_get_str(bp_rd *r) {
    const unsigned char *p = take(r, 2);
    size_t n = (size_t)p[0] | ((size_t)p[1] << 8);
    return (cw_str){(const char *)take(r, n), n};
}

bool bp_load(cw_str key, cw_str *value) {
    if (!cw_db_read(key, value)) return false;
    cw_hold((void *)value->ptr);
    return true;
}

void bp_save(cw_str key, cw_buf *b) {
    cw_db_write(key, cw_buf_view(b));
    cw_buf_free(b);
}

const char *bp_u(cw_u128 v) {
    char *s = cw_hold(cw_alloc(40));
    s[cw_u128_to_dec(v, s)] = '\0';
    return s;
}

const char *bp_u256(cw_u256 v) {
    char *s = cw_hold(cw_alloc(CW_U256_DEC_MAX));
    cw_u256_to_dec(v, s);
    return s;
}

cw_str bp_key1(const char *ns, cw_str part) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last(&k, part);
    return cw_hold_buf(&k);
}

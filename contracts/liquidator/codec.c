/* The liquidator's binary record encoding (little-endian integers, u16-length strings; SPEC.md
 * §9), map keys, and held texts for numbers. Everything loaded during a call is held in the
 * SDK's per-call arena (cw_arena.h) until the entry point returns. */
#include "liquidator.h"

void lq_put_u64(cw_buf *b, uint64_t v) {
    for (int i = 0; i < 8; i++) cw_buf_putc(b, (char)(v >> (8 * i)));
}

void lq_put_u128(cw_buf *b, cw_u128 v) {
    lq_put_u64(b, (uint64_t)v);
    lq_put_u64(b, (uint64_t)(v >> 64));
}

void lq_put_str(cw_buf *b, cw_str s) {
    if (s.len > 0xFFFF) cw_abort("liquidator: string too long for a record");
    cw_buf_putc(b, (char)(s.len & 0xFF));
    cw_buf_putc(b, (char)(s.len >> 8));
    cw_buf_put(b, s.ptr, s.len);
}

static const unsigned char *take_bytes(lq_rd *r, size_t n) {
    if (r->s.len - r->pos < n) cw_abort("liquidator: corrupt record");
    const unsigned char *p = (const unsigned char *)r->s.ptr + r->pos;
    r->pos += n;
    return p;
}

uint64_t lq_get_u64(lq_rd *r) {
    const unsigned char *p = take_bytes(r, 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

cw_u128 lq_get_u128(lq_rd *r) {
    cw_u128 lo = lq_get_u64(r);
    return lo | ((cw_u128)lq_get_u64(r) << 64);
}

cw_str lq_get_str(lq_rd *r) {
    const unsigned char *p = take_bytes(r, 2);
    size_t n = (size_t)p[0] | ((size_t)p[1] << 8);
    return (cw_str){(const char *)take_bytes(r, n), n};
}

bool lq_load(cw_str key, cw_str *value) {
    if (!cw_db_read(key, value)) return false;
    cw_hold((void *)value->ptr);
    return true;
}

cw_str lq_key(const char *ns, cw_str part) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last(&k, part);
    return cw_hold_buf(&k);
}

cw_str lq_key_id(const char *ns, uint64_t id) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last_u64(&k, id);
    return cw_hold_buf(&k);
}

/* A Uint128's decimal text (held). Passed with %s: a cw_u128 after a narrower vararg is read
 * from the wrong offset by %Q on wasm32. */
const char *lq_u(cw_u128 v) {
    char *s = cw_hold(cw_alloc(40));
    s[cw_u128_to_dec(v, s)] = '\0';
    return s;
}

const char *lq_dstr(cw_decimal d) {
    char *s = cw_hold(cw_alloc(CW_DECIMAL_STR_MAX));
    cw_decimal_to_str(d, s);
    return s;
}

cw_str lq_copy(cw_str s) {
    cw_buf b = {0};
    cw_buf_put_str(&b, s);
    return cw_hold_buf(&b);
}

/* The engine's binary record encoding: little-endian fields and length-prefixed strings
 * (SPEC.md §9). Everything loaded during a call is held in the SDK's per-call arena
 * (cw_arena.h) until the entry point returns. */
#include "engine.h"

/* --- Writer -------------------------------------------------------------------------------- */

void ve_put_u64(cw_buf *b, uint64_t v) {
    for (int i = 0; i < 8; i++) cw_buf_putc(b, (char)(v >> (8 * i)));
}

void ve_put_u128(cw_buf *b, cw_u128 v) {
    ve_put_u64(b, (uint64_t)v);
    ve_put_u64(b, (uint64_t)(v >> 64));
}

void ve_put_d27(cw_buf *b, cw_decimal27 v) {
    for (int i = 0; i < 4; i++) ve_put_u64(b, v.atomics.limb[i]);
}

void ve_put_str(cw_buf *b, cw_str s) {
    if (s.len > 0xFFFF) cw_abort("vault_engine: string too long for a record");
    cw_buf_putc(b, (char)(s.len & 0xFF));
    cw_buf_putc(b, (char)(s.len >> 8));
    cw_buf_put(b, s.ptr, s.len);
}

void ve_put_raw(cw_buf *b, const void *p, size_t n) {
    cw_buf_put(b, p, n);
}

/* --- Reader -------------------------------------------------------------------------------- */

static const unsigned char *take(ve_rd *r, size_t n) {
    if (r->s.len - r->pos < n) cw_abort("vault_engine: corrupt record");
    const unsigned char *p = (const unsigned char *)r->s.ptr + r->pos;
    r->pos += n;
    return p;
}

uint64_t ve_get_u64(ve_rd *r) {
    const unsigned char *p = take(r, 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

cw_u128 ve_get_u128(ve_rd *r) {
    cw_u128 lo = ve_get_u64(r);
    return lo | ((cw_u128)ve_get_u64(r) << 64);
}

cw_decimal27 ve_get_d27(ve_rd *r) {
    cw_decimal27 d;
    for (int i = 0; i < 4; i++) d.atomics.limb[i] = ve_get_u64(r);
    return d;
}

void ve_get_raw(ve_rd *r, void *p, size_t n) {
    memcpy(p, take(r, n), n);
}

cw_str ve_get_str(ve_rd *r) {
    const unsigned char *p = take(r, 2);
    size_t n = (size_t)p[0] | ((size_t)p[1] << 8);
    return (cw_str){(const char *)take(r, n), n};
}

/* --- Keys and loads ------------------------------------------------------------------------- */

bool ve_load(cw_str key, cw_str *value) {
    if (!cw_db_read(key, value)) return false;
    cw_hold((void *)value->ptr);
    return true;
}

cw_str ve_key1(const char *ns, cw_str part) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last(&k, part);
    return cw_hold_buf(&k);
}

cw_str ve_key2(const char *ns, cw_str a, cw_str b) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_push(&k, a);
    cw_key_last(&k, b);
    return cw_hold_buf(&k);
}

cw_str ve_key_id(const char *ns, uint64_t id) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last_u64(&k, id);
    return cw_hold_buf(&k);
}

/* --- Text ---------------------------------------------------------------------------------- */

const char *ve_dstr(cw_decimal d) {
    char *s = cw_hold(cw_alloc(CW_DECIMAL_STR_MAX));
    cw_decimal_to_str(d, s);
    return s;
}

/* A Uint128's decimal text (held). Formatting through %s sidesteps a wasm32 varargs hazard: a
 * cw_u128 passed after a 4- or 8-byte argument is read from the wrong offset by %Q. */
const char *ve_u(cw_u128 v) {
    char *s = cw_hold(cw_alloc(40));
    s[cw_u128_to_dec(v, s)] = '\0';
    return s;
}

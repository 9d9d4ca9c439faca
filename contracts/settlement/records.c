/* The settlement's stored records (SPEC.md §7): config, status and the collateral assets with
 * their pools, in little-endian binary with u16-length strings; plus number texts. */
#include "settlement.h"

static void put_u64(cw_buf *b, uint64_t v) {
    for (int i = 0; i < 8; i++) cw_buf_putc(b, (char)(v >> (8 * i)));
}

static void put_u128(cw_buf *b, cw_u128 v) {
    put_u64(b, (uint64_t)v);
    put_u64(b, (uint64_t)(v >> 64));
}

static void put_str(cw_buf *b, cw_str s) {
    if (s.len > 0xFFFF) cw_abort("settlement: string too long for a record");
    cw_buf_putc(b, (char)(s.len & 0xFF));
    cw_buf_putc(b, (char)(s.len >> 8));
    cw_buf_put(b, s.ptr, s.len);
}

typedef struct rd {
    cw_str s;
    size_t pos;
} rd;

static const unsigned char *take(rd *r, size_t n) {
    if (r->s.len - r->pos < n) cw_abort("settlement: corrupt record");
    const unsigned char *p = (const unsigned char *)r->s.ptr + r->pos;
    r->pos += n;
    return p;
}

static uint64_t get_u64(rd *r) {
    const unsigned char *p = take(r, 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static cw_u128 get_u128(rd *r) {
    cw_u128 lo = get_u64(r);
    return lo | ((cw_u128)get_u64(r) << 64);
}

static cw_str get_str(rd *r) {
    const unsigned char *p = take(r, 2);
    size_t n = (size_t)p[0] | ((size_t)p[1] << 8);
    return (cw_str){(const char *)take(r, n), n};
}

static bool load(cw_str key, rd *r) {
    cw_str v;
    if (!cw_db_read(key, &v)) return false;
    cw_hold((void *)v.ptr);
    *r = (rd){v, 0};
    return true;
}

static void save(cw_str key, cw_buf *b) {
    cw_db_write(key, cw_buf_view(b));
    cw_buf_free(b);
}

const char *sm_u(cw_u128 v) {
    char *s = cw_hold(cw_alloc(40));
    s[cw_u128_to_dec(v, s)] = '\0';
    return s;
}

cw_error *sm_config_load(sm_config *c) {
    rd r;
    if (!load(CW_LIT("config"), &r)) return cw_errorf("settlement: config not found");
    c->engine = get_str(&r);
    c->stable_token = get_str(&r);
    return NULL;
}

void sm_config_save(const sm_config *c) {
    cw_buf b = {0};
    put_str(&b, c->engine);
    put_str(&b, c->stable_token);
    save(CW_LIT("config"), &b);
}

cw_error *sm_status_load(sm_status *s) {
    rd r;
    if (!load(CW_LIT("status"), &r)) return cw_errorf("settlement: status not found");
    s->finalized = get_u64(&r) != 0;
    s->finalized_at = get_u64(&r);
    s->supply = get_u128(&r);
    s->redeemed = get_u128(&r);
    s->n_assets = get_u64(&r);
    return NULL;
}

void sm_status_save(const sm_status *s) {
    cw_buf b = {0};
    put_u64(&b, s->finalized);
    put_u64(&b, s->finalized_at);
    put_u128(&b, s->supply);
    put_u128(&b, s->redeemed);
    put_u64(&b, s->n_assets);
    save(CW_LIT("status"), &b);
}

static cw_str asset_key(uint32_t index) {
    cw_buf k = {0};
    cw_key_map(&k, "asset");
    cw_key_last_u32(&k, index);
    return cw_hold_buf(&k);
}

void sm_asset_load(uint32_t index, sm_asset *a) {
    rd r;
    if (!load(asset_key(index), &r)) cw_abort("settlement: asset record missing");
    a->asset = get_str(&r);
    a->kind = (uint8_t)get_u64(&r);
    a->pool = get_u128(&r);
    a->paid = get_u128(&r);
}

void sm_asset_save(uint32_t index, const sm_asset *a) {
    cw_buf b = {0};
    put_str(&b, a->asset);
    put_u64(&b, a->kind);
    put_u128(&b, a->pool);
    put_u128(&b, a->paid);
    save(asset_key(index), &b);
}

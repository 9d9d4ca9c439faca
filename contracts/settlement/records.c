/* The settlement's stored records (SPEC.md §7): config, status and the collateral assets with
 * their pools, encoded with cw_record.h (little-endian, u16-length strings); plus number texts. */
#include "cw_record.h"
#include "settlement.h"

static bool load(cw_str key, cw_record *r) {
    cw_str v;
    if (!cw_db_read(key, &v)) return false;
    cw_hold((void *)v.ptr);
    *r = (cw_record){v, 0};
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
    cw_record r;
    if (!load(CW_LIT("config"), &r)) return cw_errorf("settlement: config not found");
    c->engine = cw_record_get_str(&r);
    c->stable_token = cw_record_get_str(&r);
    return NULL;
}

void sm_config_save(const sm_config *c) {
    cw_buf b = {0};
    cw_record_put_str(&b, c->engine);
    cw_record_put_str(&b, c->stable_token);
    save(CW_LIT("config"), &b);
}

cw_error *sm_status_load(sm_status *s) {
    cw_record r;
    if (!load(CW_LIT("status"), &r)) return cw_errorf("settlement: status not found");
    s->finalized = cw_record_get_u64(&r) != 0;
    s->finalized_at = cw_record_get_u64(&r);
    s->supply = cw_record_get_u128(&r);
    s->redeemed = cw_record_get_u128(&r);
    s->n_assets = cw_record_get_u64(&r);
    return NULL;
}

void sm_status_save(const sm_status *s) {
    cw_buf b = {0};
    cw_record_put_u64(&b, s->finalized);
    cw_record_put_u64(&b, s->finalized_at);
    cw_record_put_u128(&b, s->supply);
    cw_record_put_u128(&b, s->redeemed);
    cw_record_put_u64(&b, s->n_assets);
    save(CW_LIT("status"), &b);
}

static cw_str asset_key(uint32_t index) {
    cw_buf k = {0};
    cw_key_map(&k, "asset");
    cw_key_last_u32(&k, index);
    return cw_hold_buf(&k);
}

void sm_asset_load(uint32_t index, sm_asset *a) {
    cw_record r;
    if (!load(asset_key(index), &r)) cw_abort("settlement: asset record missing");
    a->asset = cw_record_get_str(&r);
    a->kind = (uint8_t)cw_record_get_u64(&r);
    a->pool = cw_record_get_u128(&r);
    a->paid = cw_record_get_u128(&r);
}

void sm_asset_save(uint32_t index, const sm_asset *a) {
    cw_buf b = {0};
    cw_record_put_str(&b, a->asset);
    cw_record_put_u64(&b, a->kind);
    cw_record_put_u128(&b, a->pool);
    cw_record_put_u128(&b, a->paid);
    save(asset_key(index), &b);
}

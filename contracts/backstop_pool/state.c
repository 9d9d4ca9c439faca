/* The backstop pool's stored records: config, pool state, collateral assets (by id and by
 * name), per-asset sums S per (epoch, scale), and deposits with their snapshots (SPEC.md §8). */
#include "pool.h"

/* --- Config and state ------------------------------------------------------------------------ */

cw_error *bp_config_load(bp_config *c) {
    cw_str v;
    if (!bp_load(CW_LIT("config"), &v)) return cw_errorf("backstop_pool: config not found");
    cw_record r = {v, 0};
    c->governance = cw_record_get_str(&r);
    c->stable_token = cw_record_get_str(&r);
    c->engine = cw_record_get_str(&r);
    c->liquidator = cw_record_get_str(&r);
    return NULL;
}

void bp_config_save(const bp_config *c) {
    cw_buf b = {0};
    cw_record_put_str(&b, c->governance);
    cw_record_put_str(&b, c->stable_token);
    cw_record_put_str(&b, c->engine);
    cw_record_put_str(&b, c->liquidator);
    bp_save(CW_LIT("config"), &b);
}

cw_error *bp_state_load(bp_state *s) {
    cw_str v;
    if (!bp_load(CW_LIT("state"), &v)) return cw_errorf("backstop_pool: state not found");
    cw_record r = {v, 0};
    s->total_deposits = cw_record_get_u128(&r);
    s->product = cw_record_get_u128(&r);
    s->deposited = cw_record_get_u128(&r);
    s->withdrawn = cw_record_get_u128(&r);
    s->spent = cw_record_get_u128(&r);
    s->epoch = cw_record_get_u64(&r);
    s->scale = cw_record_get_u64(&r);
    s->depositors = cw_record_get_u64(&r);
    s->n_assets = cw_record_get_u64(&r);
    return NULL;
}

void bp_state_save(const bp_state *s) {
    cw_buf b = {0};
    cw_record_put_u128(&b, s->total_deposits);
    cw_record_put_u128(&b, s->product);
    cw_record_put_u128(&b, s->deposited);
    cw_record_put_u128(&b, s->withdrawn);
    cw_record_put_u128(&b, s->spent);
    cw_record_put_u64(&b, s->epoch);
    cw_record_put_u64(&b, s->scale);
    cw_record_put_u64(&b, s->depositors);
    cw_record_put_u64(&b, s->n_assets);
    bp_save(CW_LIT("state"), &b);
}

/* --- Assets ---------------------------------------------------------------------------------- */

static cw_str asset_key(uint32_t id) {
    cw_buf k = {0};
    cw_key_map(&k, "asset");
    cw_key_last_u32(&k, id);
    return cw_hold_buf(&k);
}

void bp_asset_load(uint32_t id, bp_asset *a) {
    cw_str v;
    if (!bp_load(asset_key(id), &v)) cw_abort("backstop_pool: asset record missing");
    cw_record r = {v, 0};
    *a = (bp_asset){0};
    a->id = id;
    a->asset = cw_record_get_str(&r);
    a->kind = (uint8_t)cw_record_get_u64(&r);
    a->received = a->received_before = cw_record_get_u128(&r);
    a->paid = a->paid_before = cw_record_get_u128(&r);
}

bool bp_asset_find(cw_str asset, bp_asset *a) {
    cw_str v;
    if (!bp_load(bp_key1("asset_id", asset), &v)) return false;
    cw_record r = {v, 0};
    bp_asset_load((uint32_t)cw_record_get_u64(&r), a);
    return true;
}

void bp_asset_save(const bp_asset *a) {
    cw_buf b = {0};
    cw_record_put_str(&b, a->asset);
    cw_record_put_u64(&b, a->kind);
    cw_record_put_u128(&b, a->received);
    cw_record_put_u128(&b, a->paid);
    bp_save(asset_key(a->id), &b);
    if (a->received_before == 0 && a->paid_before == 0) { /* new: index it by name */
        cw_record_put_u64(&b, a->id);
        bp_save(bp_key1("asset_id", a->asset), &b);
    }
}

/* --- Sums ------------------------------------------------------------------------------------ */

static cw_str sum_key(uint32_t id, uint64_t epoch, uint64_t scale) {
    cw_buf k = {0};
    char be[4], be_epoch[8];
    cw_key_map(&k, "sum");
    cw_key_push(&k, cw_be_u32(id, be));
    cw_key_push(&k, cw_be_u64(epoch, be_epoch));
    cw_key_last_u64(&k, scale);
    return cw_hold_buf(&k);
}

cw_u256 bp_sum_load(uint32_t id, uint64_t epoch, uint64_t scale) {
    cw_str v;
    if (!bp_load(sum_key(id, epoch, scale), &v)) return cw_u256_zero();
    cw_record r = {v, 0};
    return cw_record_get_u256(&r);
}

void bp_sum_save(uint32_t id, uint64_t epoch, uint64_t scale, cw_u256 s) {
    cw_buf b = {0};
    cw_record_put_u256(&b, s);
    bp_save(sum_key(id, epoch, scale), &b);
}

/* --- Deposits -------------------------------------------------------------------------------- */

bool bp_deposit_load(cw_str owner, bp_deposit *d) {
    cw_str v;
    *d = (bp_deposit){0};
    if (!bp_load(bp_key1("deposit", owner), &v)) return false;
    cw_record r = {v, 0};
    d->found = true;
    d->amount = cw_record_get_u128(&r);
    d->product = cw_record_get_u128(&r);
    d->epoch = cw_record_get_u64(&r);
    d->scale = cw_record_get_u64(&r);
    d->n = (uint32_t)cw_record_get_u64(&r);
    if (d->n > BP_MAX_ASSETS) cw_abort("backstop_pool: corrupt deposit");
    for (uint32_t i = 0; i < d->n; i++) {
        d->snap[i].asset_id = (uint32_t)cw_record_get_u64(&r);
        d->snap[i].sum = cw_record_get_u256(&r);
    }
    return true;
}

void bp_deposit_save(cw_str owner, const bp_deposit *d) {
    cw_buf b = {0};
    cw_record_put_u128(&b, d->amount);
    cw_record_put_u128(&b, d->product);
    cw_record_put_u64(&b, d->epoch);
    cw_record_put_u64(&b, d->scale);
    cw_record_put_u64(&b, d->n);
    for (uint32_t i = 0; i < d->n; i++) {
        cw_record_put_u64(&b, d->snap[i].asset_id);
        cw_record_put_u256(&b, d->snap[i].sum);
    }
    bp_save(bp_key1("deposit", owner), &b);
}

void bp_deposit_remove(cw_str owner) {
    cw_db_remove(bp_key1("deposit", owner));
}

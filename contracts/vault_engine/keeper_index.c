/* The keeper index (SOLVENCY.md §5): positions with debt, so that {"liquidatable":{}} finds the
 * unhealthy ones without scanning every position. A position holding exactly one asset is keyed
 * per (market, asset) by n / amount, an order that prices, thresholds and fees never change;
 * positions holding several assets (or none) are kept in a per-market basket set. */
#include "engine.h"

/* 10^36: the scale of the single-asset key floor(n · 10^36 / amount). */
#define VE_E36 ((cw_u128)CW_DECIMAL_FRACTIONAL * CW_DECIMAL_FRACTIONAL)

void ve_index_of(const ve_position *p, ve_index_entry *e) {
    *e = (ve_index_entry){0};
    if (p->normalised_debt == 0) return;
    uint32_t held = 0, which = 0;
    for (uint32_t i = 0; i < p->n; i++)
        if (p->coll[i].amount) held++, which = i;
    if (held != 1) {
        e->kind = VE_BASKET;
        return;
    }
    e->kind = VE_SINGLE;
    e->asset = p->coll[which].asset;
    /* n < 2^128 and 10^36 < 2^120: the product fits 256 bits; big-endian so that storage order
     * is numeric order. */
    cw_u256 ratio =
        cw_u256_mul_div(cw_u256_from_u128(p->normalised_debt), cw_u256_from_u128(VE_E36),
                        cw_u256_from_u128(p->coll[which].amount), CW_ROUND_FLOOR);
    for (int limb = 0; limb < 4; limb++)
        for (int b = 0; b < 8; b++)
            e->key[8 * (3 - limb) + (7 - b)] = (unsigned char)(ratio.limb[limb] >> (8 * b));
}

/* Map "risk" (market, asset, be256(ratio) ‖ be64(id)) and Map "basket" (market, be64(id)). */
static cw_str entry_key(const ve_position *p, const ve_index_entry *e) {
    char last[40];
    cw_buf k = {0};
    cw_key_map(&k, e->kind == VE_SINGLE ? "risk" : "basket");
    cw_key_push(&k, p->market);
    if (e->kind == VE_SINGLE) {
        cw_key_push(&k, e->asset);
        memcpy(last, e->key, 32);
        cw_be_u64(p->id, last + 32);
        cw_key_last(&k, (cw_str){last, 40});
    } else {
        cw_key_last_u64(&k, p->id);
    }
    return cw_hold_buf(&k);
}

static bool same_entry(const ve_index_entry *a, const ve_index_entry *b) {
    if (a->kind != b->kind) return false;
    if (a->kind != VE_SINGLE) return true;
    return cw_str_eq(a->asset, b->asset) && memcmp(a->key, b->key, 32) == 0;
}

void ve_index_update(const ve_position *p, const ve_index_entry *now) {
    const ve_index_entry none = {0}, *old = &p->indexed;
    if (!now) now = &none;
    if (same_entry(old, now)) return;
    if (old->kind != VE_UNINDEXED) cw_db_remove(entry_key(p, old));
    if (now->kind != VE_UNINDEXED) cw_db_write(entry_key(p, now), CW_LIT("1"));
}

/* --- The query ------------------------------------------------------------------------------ */

typedef struct candidate {
    uint64_t id;
    cw_str owner;
    cw_u128 debt;
    cw_decimal health;
} candidate;

typedef struct found {
    candidate list[30];
    uint32_t n, limit;
} found;

/* Keep the `limit` riskiest (lowest health, then lowest id), sorted. */
static void keep(found *f, const ve_position *p, cw_u128 debt, cw_decimal health) {
    uint32_t at = f->n;
    while (at > 0 &&
           (cw_decimal_lt(health, f->list[at - 1].health) ||
            (cw_decimal_eq(health, f->list[at - 1].health) && p->id < f->list[at - 1].id)))
        at--;
    if (at >= f->limit) return;
    uint32_t end = f->n < f->limit ? f->n : f->limit - 1;
    for (uint32_t i = end; i > at; i--) f->list[i] = f->list[i - 1];
    cw_buf owner = {0};
    cw_buf_put_str(&owner, p->owner);
    f->list[at] = (candidate){p->id, cw_hold_buf(&owner), debt, health};
    if (f->n < f->limit) f->n++;
}

/* Health of a position from cached prices; false when a held asset has no price. */
static bool health_of(const ve_position *p, const ve_collateral *cols, const cw_decimal *prices,
                      uint32_t n_cols, cw_decimal27 acc, cw_u128 *debt, cw_decimal *health) {
    cw_u128 value = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t k = 0;
        while (k < n_cols && !cw_str_eq(cols[k].asset, p->coll[i].asset)) k++;
        if (k == n_cols || cw_decimal_is_zero(prices[k])) return false;
        value = cw_u128_saturating_add(
            value, ve_value_at(p->coll[i].amount, prices[k], cols[k].liquidation_threshold));
    }
    *debt = ve_debt_of(p->normalised_debt, acc);
    *health = ve_health(value, *debt);
    return true;
}

cw_error *ve_query_liquidatable(const cw_env *env, const ve_config *cfg, cw_str market,
                                uint32_t limit, cw_jw *w) {
    static found f;
    f.n = 0;
    f.limit = limit;
    ve_market mk;
    CW_TRY(ve_market_load(market, &mk));
    ve_accrue(&mk, ve_accrual_time(cfg, env->time_ns / 1000000000u));
    /* The market's collaterals, each priced once (0: no valid price, its positions skipped). */
    ve_collateral cols[VE_MAX_BASKET];
    cw_decimal prices[VE_MAX_BASKET];
    uint32_t n_cols = 0;
    cw_range r;
    cw_str key, value;
    cw_map_range_begin(&r, "collateral", &market, 1, NULL);
    while (n_cols < VE_MAX_BASKET && cw_range_next(&r, &key, &value)) {
        cw_buf a = {0};
        cw_buf_put_str(&a, key);
        bool listed;
        CW_TRY(ve_collateral_load(market, cw_hold_buf(&a), &cols[n_cols], &listed));
        cw_error *err = ve_price(cfg, &cols[n_cols], &prices[n_cols]);
        if (err) {
            cw_error_free(err);
            prices[n_cols] = cw_decimal_zero();
        }
        n_cols++;
    }
    cw_range_end(&r);
    ve_position p;
    cw_u128 debt;
    cw_decimal health;
    if (!cfg->shut_down) {
        /* Single-asset positions: riskiest first, up to the first healthy one. */
        for (uint32_t k = 0; k < n_cols; k++) {
            if (cw_decimal_is_zero(prices[k])) continue;
            cw_str parts[2] = {market, cols[k].asset};
            cw_map_range_begin(&r, "risk", parts, 2, &(cw_range_opts){.order = CW_ORDER_DESC});
            uint32_t taken = 0;
            while (taken < limit && cw_range_next(&r, &key, &value)) {
                uint64_t id = 0;
                for (size_t b = key.len - 8; b < key.len; b++)
                    id = (id << 8) | (unsigned char)key.ptr[b];
                CW_TRY(ve_position_load(id, &p));
                if (!health_of(&p, cols, prices, n_cols, mk.accumulator, &debt, &health) ||
                    !cw_decimal_lt(health, cw_decimal_one()))
                    break;
                keep(&f, &p, debt, health);
                taken++;
            }
            cw_range_end(&r);
        }
        /* Basket positions: every one is checked (O(basket positions of the market)). */
        cw_map_range_begin(&r, "basket", &market, 1, NULL);
        while (cw_range_next(&r, &key, &value)) {
            uint64_t id;
            if (!cw_key_u64(key, &id)) continue;
            CW_TRY(ve_position_load(id, &p));
            if (health_of(&p, cols, prices, n_cols, mk.accumulator, &debt, &health) &&
                cw_decimal_lt(health, cw_decimal_one()))
                keep(&f, &p, debt, health);
        }
        cw_range_end(&r);
    }
    cw_jw_obj_begin(w);
    cw_jw_key(w, "positions");
    cw_jw_arr_begin(w);
    for (uint32_t i = 0; i < f.n; i++) {
        cw_jw_obj_begin(w);
        cw_jw_key(w, "position_id");
        cw_jw_u64(w, f.list[i].id);
        cw_jw_key(w, "owner");
        cw_jw_str(w, f.list[i].owner);
        cw_jw_key(w, "debt");
        cw_jw_u128_str(w, f.list[i].debt);
        cw_jw_key(w, "health");
        ve_write_decimal(w, f.list[i].health);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return NULL;
}

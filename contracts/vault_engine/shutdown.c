/* Emergency shutdown (SOLVENCY.md §4, the engine's steps 1-3): governance stops the system at a
 * recorded time (accrual stops there), anyone fixes each collateral's final price once, and
 * anyone settles a position's debt from its collateral at final prices into settlement; plus the
 * {"shutdown_status":{}} query settlement reads before it finalizes. */
#include "engine.h"

static cw_error *require_shut_down(const ve_ctx *c) {
    if (!c->cfg.shut_down) return cw_errorf("system is not shut down");
    return NULL;
}

cw_error *ve_exec_shutdown(ve_ctx *c, const ve_msg *m) {
    (void)m;
    CW_TRY(ve_require_governance(c));
    CW_TRY(ve_require_running(c));
    c->cfg.shut_down = 1;
    c->cfg.shutdown_time = c->now;
    ve_config_save(&c->cfg);
    cw_res_attr_c(c->res, "action", "shutdown");
    cw_res_attr_u64(c->res, "shutdown_time", c->now);
    if (c->cfg.liquidator.len) {
        /* The liquidator stops takes, redos and new auctions; cancelled lots go to settlement. */
        cw_buf body = {0}, msg = {0};
        cw_jw w;
        cw_jw_init(&w, &body);
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "shutdown");
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "settlement");
        if (c->cfg.settlement.len)
            cw_jw_str(&w, c->cfg.settlement);
        else
            cw_jw_null(&w);
        cw_jw_obj_end(&w);
        cw_jw_obj_end(&w);
        cw_msg_wasm_execute(&msg, c->cfg.liquidator, cw_buf_view(&body), NULL, 0);
        cw_res_message(c->res, cw_buf_view(&msg));
        cw_buf_free(&body);
        cw_buf_free(&msg);
    }
    return NULL;
}

cw_error *ve_exec_fix_price(ve_ctx *c, const ve_msg *m) {
    CW_TRY(require_shut_down(c));
    CW_TRY(ve_touch_market(c, m->market));
    ve_collateral *col;
    CW_TRY(ve_coll(c, m->asset, &col));
    if (!cw_decimal_is_zero(col->final_price))
        return cw_errorf("final price already fixed: %s (market %S, collateral %S)",
                         ve_dstr(col->final_price), m->market, m->asset);
    CW_TRY(ve_price(&c->cfg, col, &col->final_price));
    col->dirty = true;
    cw_res_attr_c(c->res, "action", "fix_price");
    cw_res_attr(c->res, "market", m->market);
    cw_res_attr(c->res, "asset", m->asset);
    cw_res_attr_c(c->res, "price", ve_dstr(col->final_price));
    return NULL;
}

/* Collateral that covers `remaining` at `price`: ceil(remaining / price), capped by `held`. */
static cw_u128 cover(cw_u128 remaining, cw_decimal price, cw_u128 held) {
    cw_u128 need;
    if (!cw_u128_try_mul_div_ceil(remaining, CW_DECIMAL_FRACTIONAL, price.atomics, &need) ||
        need > held)
        return held;
    return need;
}

cw_error *ve_exec_settle_position(ve_ctx *c, const ve_msg *m) {
    CW_TRY(require_shut_down(c));
    cw_str settlement = c->cfg.settlement;
    if (!settlement.len) return cw_errorf("settlement not configured");
    ve_position p;
    CW_TRY(ve_position_for(c, m->position_id, false, &p));
    cw_u128 debt = ve_debt_of(p.normalised_debt, c->market.accumulator);
    if (debt == 0)
        return cw_errorf("nothing to settle: position %llu has no debt (market %S)",
                         (unsigned long long)p.id, p.market);
    ve_position_attrs(c, "settle_position", &p);
    cw_res_attr_u128(c->res, "debt", debt);
    /* In holding order: each asset covers what it can at its final price. */
    cw_u128 remaining = debt;
    for (uint32_t i = 0; i < p.n && remaining; i++) {
        cw_u128 amount = p.coll[i].amount;
        if (amount == 0) continue;
        ve_collateral *col;
        CW_TRY(ve_coll(c, p.coll[i].asset, &col));
        cw_decimal price = col->final_price;
        if (cw_decimal_is_zero(price))
            return cw_errorf("no final price for %S (market %S): call fix_price first", col->asset,
                             p.market);
        cw_u128 take = cover(remaining, price, amount);
        /* Whole cover when the ceiling fits; otherwise all of it, valued down. */
        cw_u128 value = take < amount ? remaining : ve_value_at(take, price, cw_decimal_one());
        remaining = cw_u128_saturating_sub(remaining, value);
        CW_TRY(ve_take_collateral(c, &p, col->asset, take, &col));
        ve_collateral_msg(c, col, take, settlement);
        cw_res_attr(c->res, "asset", col->asset);
        cw_res_attr_u128(c->res, "amount", take);
    }
    ve_remove_debt(c, &p, debt);
    cw_u128 covered = debt - remaining;
    c->totals.settled = cw_u128_add(c->totals.settled, covered);
    c->ledger.settled = cw_u128_add(c->ledger.settled, covered);
    c->totals.bad_debt = cw_u128_add(c->totals.bad_debt, remaining);
    c->ledger.bad_debt = cw_u128_add(c->ledger.bad_debt, remaining);
    cw_res_attr_u128(c->res, "settled", covered);
    cw_res_attr_u128(c->res, "shortfall", remaining);
    cw_res_attr(c->res, "recipient", settlement);
    uint32_t held = 0;
    for (uint32_t i = 0; i < p.n; i++) held += p.coll[i].amount != 0;
    if (held == 0) {
        ve_position_delete(c, &p);
        cw_res_attr_c(c->res, "position_deleted", "true");
    } else {
        ve_position_save(&p);
    }
    return NULL;
}

cw_error *ve_query_shutdown_status(const ve_config *cfg, cw_jw *w) {
    ve_totals t;
    CW_TRY(ve_totals_load(&t));
    /* Σ N over markets (O(markets)): zero once every position's debt is settled. */
    cw_u128 outstanding = 0;
    cw_range r;
    cw_str key, value;
    cw_map_range_begin(&r, "market", NULL, 0, NULL);
    while (cw_range_next(&r, &key, &value)) {
        ve_market mk;
        ve_rd rd = {value, 0};
        ve_get_raw(&rd, &mk.stability_fee,
                   offsetof(ve_market, n_collaterals) - offsetof(ve_market, stability_fee));
        outstanding = cw_u128_saturating_add(outstanding, mk.normalised_debt);
    }
    cw_range_end(&r);
    cw_jw_obj_begin(w);
    cw_jw_key(w, "shut_down");
    cw_jw_bool(w, cfg->shut_down);
    cw_jw_key(w, "shutdown_time");
    if (cfg->shut_down)
        cw_jw_u64(w, cfg->shutdown_time);
    else
        cw_jw_null(w);
    cw_jw_key(w, "normalised_debt_outstanding");
    cw_jw_u128_str(w, outstanding);
    cw_jw_key(w, "auction_debt");
    cw_jw_u128_str(w, t.auction_debt);
    cw_jw_key(w, "settlement");
    if (cfg->settlement.len)
        cw_jw_str(w, cfg->settlement);
    else
        cw_jw_null(w);
    cw_jw_obj_end(w);
    return NULL;
}

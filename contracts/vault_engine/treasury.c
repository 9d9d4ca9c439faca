/* The treasury ledger (SOLVENCY.md §3): auction proceeds and donations received as stable (burned
 * whole), the liquidator's write-offs, keeper rewards on auction resets and cancelled auctions,
 * and the {"treasury":{}} query with surplus netted against spending and bad debt. */
#include "engine.h"

/* Take `amount` out of the market's and the global auction debt; error if more than is there. */
static cw_error *reduce_auction_debt(ve_ctx *c, cw_str market, cw_u128 amount, const char *what) {
    CW_TRY(ve_touch_market(c, market));
    ve_market *mk = &c->market;
    if (amount > mk->auction_debt)
        return cw_errorf("%s exceeds auction debt: %s > %s (market %S)", what, ve_u(amount),
                         ve_u(mk->auction_debt), market);
    mk->auction_debt -= amount;
    c->totals.auction_debt = cw_u128_sub(c->totals.auction_debt, amount);
    return NULL;
}

static void treasury_attrs(ve_ctx *c, const char *action, cw_str market) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "market", market);
}

static void auction_debt_attr(ve_ctx *c) {
    cw_res_attr_u128(c->res, "auction_debt", c->market.auction_debt);
}

static void add_surplus(ve_ctx *c, cw_u128 amount) {
    if (c->has_market) c->market.surplus = cw_u128_add(c->market.surplus, amount);
    c->totals.surplus = cw_u128_add(c->totals.surplus, amount);
}

/* --- Stable received through the Receive hook --------------------------------------------- */

cw_error *ve_auction_proceeds(ve_ctx *c, cw_str sender, cw_u128 amount, cw_str market,
                              cw_u128 debt) {
    const ve_config *cfg = &c->cfg;
    bool from_liquidator = cfg->liquidator.len && cw_str_eq(sender, cfg->liquidator);
    bool from_pool = cfg->backstop_pool.len && cw_str_eq(sender, cfg->backstop_pool);
    if (!from_liquidator && !from_pool)
        return cw_errorf("unauthorized: auction proceeds only from the liquidator or the backstop "
                         "pool (sender %S)",
                         sender);
    if (amount == 0) return cw_errorf("zero amount");
    if (debt > amount)
        return cw_errorf("invalid auction proceeds: debt %s > amount %s (market %S)", ve_u(debt),
                         ve_u(amount), market);
    CW_TRY(reduce_auction_debt(c, market, debt, "covered debt"));
    c->ledger.covered = cw_u128_add(c->ledger.covered, debt);
    add_surplus(c, amount - debt); /* the penalty part */
    c->totals.burned = cw_u128_add(c->totals.burned, amount);
    ve_emit_burn(c, amount);
    treasury_attrs(c, "auction_proceeds", market);
    cw_res_attr(c->res, "sender", sender);
    cw_res_attr_u128(c->res, "amount", amount);
    cw_res_attr_u128(c->res, "debt_covered", debt);
    cw_res_attr_u128(c->res, "penalty", amount - debt);
    auction_debt_attr(c);
    return NULL;
}

cw_error *ve_recapitalize(ve_ctx *c, cw_str sender, cw_u128 amount) {
    if (amount == 0) return cw_errorf("zero amount");
    add_surplus(c, amount);
    c->totals.burned = cw_u128_add(c->totals.burned, amount);
    ve_emit_burn(c, amount);
    cw_res_attr_c(c->res, "action", "recapitalize");
    cw_res_attr(c->res, "sender", sender);
    cw_res_attr_u128(c->res, "amount", amount);
    cw_res_attr_u128(c->res, "surplus", c->totals.surplus);
    return NULL;
}

/* --- Liquidator messages -------------------------------------------------------------------- */

cw_error *ve_exec_write_off(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_liquidator(c));
    if (m->amount == 0) return cw_errorf("zero amount");
    CW_TRY(reduce_auction_debt(c, m->market, m->amount, "write-off"));
    c->totals.bad_debt = cw_u128_add(c->totals.bad_debt, m->amount);
    c->ledger.written_off = cw_u128_add(c->ledger.written_off, m->amount);
    c->ledger.bad_debt = cw_u128_add(c->ledger.bad_debt, m->amount);
    treasury_attrs(c, "write_off", m->market);
    cw_res_attr_u128(c->res, "amount", m->amount);
    cw_res_attr_u128(c->res, "bad_debt", c->totals.bad_debt);
    auction_debt_attr(c);
    return NULL;
}

cw_error *ve_exec_keeper_reward(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_liquidator(c));
    CW_TRY(ve_require_running(c));
    CW_TRY(ve_touch_market(c, m->market));
    treasury_attrs(c, "keeper_reward", m->market);
    cw_res_attr_u128(c->res, "debt", m->debt);
    ve_pay_keeper(c, m->keeper, m->debt);
    return NULL;
}

cw_error *ve_exec_auction_cancelled(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_liquidator(c));
    if (!c->cfg.shut_down) return cw_errorf("system is not shut down");
    CW_TRY(reduce_auction_debt(c, m->market, m->debt, "cancelled debt"));
    c->totals.settled = cw_u128_add(c->totals.settled, m->debt);
    c->ledger.cancelled = cw_u128_add(c->ledger.cancelled, m->debt);
    c->ledger.settled = cw_u128_add(c->ledger.settled, m->debt);
    treasury_attrs(c, "auction_cancelled", m->market);
    cw_res_attr_u128(c->res, "debt", m->debt);
    cw_res_attr_u128(c->res, "settled", c->totals.settled);
    auction_debt_attr(c);
    return NULL;
}

/* --- Query ---------------------------------------------------------------------------------- */

static void key_u128(cw_jw *w, const char *key, cw_u128 v) {
    cw_jw_key(w, key);
    cw_jw_u128_str(w, v);
}

void ve_query_treasury(const ve_config *cfg, const ve_totals *t, cw_jw *w) {
    /* net = surplus − spent − bad_debt, split into its positive and negative parts. */
    cw_u128 costs = cw_u128_saturating_add(t->spent, t->bad_debt);
    cw_jw_obj_begin(w);
    key_u128(w, "surplus", t->surplus);
    key_u128(w, "spent", t->spent);
    key_u128(w, "bad_debt", t->bad_debt);
    key_u128(w, "surplus_available", cw_u128_saturating_sub(t->surplus, costs));
    key_u128(w, "deficit", cw_u128_saturating_sub(costs, t->surplus));
    key_u128(w, "auction_debt", t->auction_debt);
    key_u128(w, "global_auction_debt_limit", cfg->global_auction_debt_limit);
    key_u128(w, "settled", t->settled);
    cw_jw_obj_end(w);
}

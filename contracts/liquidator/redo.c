/* redo: reset an auction that ran max_duration or whose price fell below reset_threshold ×
 * oracle price: the backstop pool first absorbs what its deposits cover, the rest restarts at
 * a new top and the engine pays the keeper again (SPEC.md §6, SOLVENCY.md §2 steps 4-5). */
#include "liquidator.h"

typedef struct redo_msg {
    uint64_t auction_id;
    cw_str keeper;
    bool has_keeper;
} redo_msg;
static const cw_field REDO[] = {CW_REQ(redo_msg, "auction_id", LQ_U64, auction_id),
                                CW_OPT(redo_msg, "keeper", LQ_ADDR, keeper, has_keeper)};

/* The pool absorbs min(deposits, debt) for the lot share floor(lot · covered / debt) (all of
 * it when it covers the whole debt); the penalty on the covered part, floor(penalty · covered /
 * debt), is forgiven. Nothing when the share would be zero. */
static void absorb_part(lq_ctx *c, lq_auction *a) {
    if (!c->cfg.backstop_pool.len || a->debt == 0) return;
    cw_u128 deposits = lq_pool_deposits(c);
    cw_u128 covered = deposits < a->debt ? deposits : a->debt;
    if (covered == 0) return;
    bool whole = covered == a->debt;
    cw_u128 share = whole ? a->lot : cw_u128_mul_div_floor(a->lot, covered, a->debt);
    if (share == 0) return;
    cw_u128 penalty = a->tab - a->debt;
    cw_u128 forgiven = whole ? penalty : cw_u128_mul_div_floor(penalty, covered, a->debt);
    lq_absorb(c, a, share, covered);
    cw_res_attr_u128(c->res, "penalty_forgiven", forgiven);
    a->lot -= share;
    a->debt -= covered;
    a->tab -= covered + forgiven;
}

cw_error *lq_exec_redo(lq_ctx *c, cw_json body) {
    redo_msg m = {0};
    CW_TRY(lq_parse(body, REDO, 2, &m));
    CW_TRY(lq_require_running(c, 2, "resets"));
    lq_auction a;
    lq_params p;
    cw_decimal oracle;
    CW_TRY(lq_auction_load(m.auction_id, &a));
    CW_TRY(lq_params_load(a.market, &p));
    CW_TRY(lq_oracle_price(&c->cfg, a.oracle_denom, &oracle));
    cw_decimal price = lq_price_at(&a, &p, c->now);
    const char *reason = lq_reset_reason(&a, &p, c->now, &oracle, price);
    if (!reason && cw_decimal_is_zero(price)) reason = "price is zero";
    if (!reason)
        return cw_errorf("auction does not need a reset: price %s >= reset_threshold %s x oracle "
                         "price %s and ran %llus < max_duration %llus (auction %llu)",
                         lq_dstr(price), lq_dstr(p.reset_threshold), lq_dstr(oracle),
                         (unsigned long long)(c->now - a.started_at),
                         (unsigned long long)p.max_duration, (unsigned long long)a.id);
    lq_touch_auction(c, &a);
    lq_auction_attrs(c, "redo", &a);
    cw_res_attr_c(c->res, "reason", reason);
    cw_res_attr_c(c->res, "price", lq_dstr(price));
    cw_res_attr_c(c->res, "oracle_price", lq_dstr(oracle));
    absorb_part(c, &a);
    bool ended = a.debt == 0 && a.lot == 0;
    if (!ended) {
        cw_str keeper = m.has_keeper ? m.keeper : c->info->sender;
        a.top = lq_top_price(oracle, &p);
        a.started_at = c->now;
        a.resets++;
        cw_buf r = {0};
        cw_buf_printf(&r, "{\"keeper_reward\":{\"keeper\":%J,\"market\":%J,\"debt\":\"%s\"}}",
                      keeper, a.market, lq_u(a.debt));
        lq_engine_exec(c, cw_hold_buf(&r));
        cw_res_attr(c->res, "keeper", keeper);
        cw_res_attr_c(c->res, "top", lq_dstr(a.top));
        cw_res_attr_u64(c->res, "resets", a.resets);
    }
    cw_res_attr_u128(c->res, "lot_left", a.lot);
    cw_res_attr_u128(c->res, "tab_left", a.tab);
    cw_res_attr_u128(c->res, "debt_left", a.debt);
    cw_res_attr_c(c->res, "finished", ended ? "true" : "false");
    lq_auction_done(c, &a, ended);
    return NULL;
}

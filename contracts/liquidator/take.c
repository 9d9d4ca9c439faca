/* take: buy collateral from a live auction at its current price, with Maker clip's dust rule,
 * an optional callback run after the collateral is delivered and before payment, payment by
 * the buyer's stable allowance (send_from to the engine with the auction_proceeds hook), and
 * the auction's end: leftover collateral to the owner or a write-off (SPEC.md §5). */
#include "liquidator.h"

typedef struct take_msg {
    uint64_t auction_id;
    cw_u128 max_amount;
    cw_decimal max_price;
    cw_str recipient;
    cw_json callback;
    bool has_recipient, has_callback;
} take_msg;
static const cw_field TAKE[] = {
    CW_REQ(take_msg, "auction_id", LQ_U64, auction_id),
    CW_REQ(take_msg, "max_amount", LQ_U128, max_amount),
    CW_REQ(take_msg, "max_price", LQ_DEC, max_price),
    CW_OPT(take_msg, "recipient", LQ_ADDR, recipient, has_recipient),
    CW_OPT(take_msg, "callback", LQ_RAW, callback, has_callback),
};

typedef struct callback_msg {
    cw_str contract, msg;
} callback_msg;
static const cw_field CALLBACK[] = {CW_REQ(callback_msg, "contract", LQ_ADDR, contract),
                                    CW_REQ(callback_msg, "msg", LQ_STR, msg)};

/* The callback runs with the liquidator as sender: it may not reach a contract that trusts the
 * liquidator or holds its assets (SPEC.md §5). */
static cw_error *check_callback(lq_ctx *c, cw_str target) {
    const lq_config *cfg = &c->cfg;
    const char *role = NULL;
    uint64_t kind;
    bool held;
    if (cw_str_eq(target, c->env->contract_address))
        role = "the liquidator";
    else if (cw_str_eq(target, cfg->engine))
        role = "the engine";
    else if (cw_str_eq(target, cfg->stable_token))
        role = "the stable token";
    else if (cw_str_eq(target, cfg->oracle))
        role = "the oracle";
    else if (cfg->backstop_pool.len && cw_str_eq(target, cfg->backstop_pool))
        role = "the backstop pool";
    else if (cfg->settlement.len && cw_str_eq(target, cfg->settlement))
        role = "settlement";
    else if ((lq_held_load(target, &kind, &held), held))
        role = "a collateral token";
    if (role) return cw_errorf("callback not allowed: %S is %s", target, role);
    return NULL;
}

static cw_error *emit_callback(lq_ctx *c, cw_json v) {
    callback_msg cb = {0};
    CW_TRY(lq_parse(v, CALLBACK, 2, &cb));
    CW_TRY(check_callback(c, cb.contract));
    cw_buf decoded = {0}, msg = {0};
    cw_error *err = cw_base64_decode(cb.msg, &decoded);
    if (err) {
        cw_buf_free(&decoded);
        cw_error_free(err);
        return cw_errorf("invalid callback: `msg` must be base64");
    }
    cw_msg_wasm_execute(&msg, cb.contract, cw_buf_view(&decoded), NULL, 0);
    cw_res_message(c->res, cw_buf_view(&msg));
    cw_buf_free(&decoded);
    cw_buf_free(&msg);
    cw_res_attr(c->res, "callback", cb.contract);
    return NULL;
}

/* T send_from{owner: buyer, contract: engine, amount: owe, msg: auction_proceeds}. */
static void emit_payment(lq_ctx *c, const lq_auction *a, cw_u128 owe, cw_u128 debt_part) {
    cw_buf hook = {0}, hook64 = {0}, inner = {0}, msg = {0};
    cw_buf_printf(&hook, "{\"auction_proceeds\":{\"market\":%J,\"debt\":\"%s\"}}", a->market,
                  lq_u(debt_part));
    cw_base64_encode(&hook64, cw_buf_view(&hook));
    cw_buf_printf(&inner, "{\"send_from\":{\"owner\":%J,\"contract\":%J,\"amount\":\"%s\",",
                  c->info->sender, c->cfg.engine, lq_u(owe));
    cw_buf_printf(&inner, "\"msg\":\"%S\"}}", cw_buf_view(&hook64));
    cw_msg_wasm_execute(&msg, c->cfg.stable_token, cw_buf_view(&inner), NULL, 0);
    cw_res_message(c->res, cw_buf_view(&msg));
    cw_buf_free(&hook);
    cw_buf_free(&hook64);
    cw_buf_free(&inner);
    cw_buf_free(&msg);
    c->ledger.debt_out = cw_u128_add(c->ledger.debt_out, debt_part);
}

/* The slice bought and what it costs (SPEC.md §5, rounding for the protocol). */
static cw_error *size_take(const lq_auction *a, const lq_params *p, cw_decimal price,
                           cw_u128 max_amount, cw_u128 *slice_out, cw_u128 *owe_out) {
    cw_u128 slice = max_amount < a->lot ? max_amount : a->lot;
    cw_u128 owe = cw_decimal_mul_uint_ceil(slice, price);
    if (owe > a->tab) {
        /* The whole tab: the buyer gets what it pays for at this price, rounded down (at
         * least one unit: the tab is then below one unit's price). */
        owe = a->tab;
        slice = cw_uint_div_decimal_floor(owe, price);
        if (slice == 0) slice = 1;
    } else if (owe < a->tab && slice < a->lot && a->tab - owe < p->dust) {
        /* A partial take may not leave less than dust: it takes tab − dust instead. */
        if (a->tab <= p->dust)
            return cw_errorf("no partial purchase: tab %s <= dust %s; take the whole lot %s "
                             "(auction %llu)",
                             lq_u(a->tab), lq_u(p->dust), lq_u(a->lot), (unsigned long long)a->id);
        owe = a->tab - p->dust;
        slice = cw_uint_div_decimal_floor(owe, price);
        if (slice == 0)
            return cw_errorf("take too small: tab %s - dust %s buys no collateral at price %s",
                             lq_u(a->tab), lq_u(p->dust), lq_dstr(price));
    }
    *slice_out = slice;
    *owe_out = owe;
    return NULL;
}

cw_error *lq_exec_take(lq_ctx *c, cw_json body) {
    take_msg m = {0};
    CW_TRY(lq_parse(body, TAKE, 5, &m));
    CW_TRY(lq_require_running(c, 3, "takes"));
    if (m.max_amount == 0) return cw_errorf("zero amount: max_amount must be > 0");
    lq_auction a;
    lq_params p;
    cw_decimal oracle;
    CW_TRY(lq_auction_load(m.auction_id, &a));
    CW_TRY(lq_params_load(a.market, &p));
    /* Without an oracle price the reset rule is judged by time alone: an oracle outage does
     * not stop takes. */
    cw_error *oracle_err = lq_oracle_price(&c->cfg, a.oracle_denom, &oracle);
    if (oracle_err) cw_error_free(oracle_err);
    cw_decimal price = lq_price_at(&a, &p, c->now);
    const char *reason = lq_reset_reason(&a, &p, c->now, oracle_err ? NULL : &oracle, price);
    if (!reason && cw_decimal_is_zero(price)) reason = "price is zero";
    if (reason)
        return cw_errorf("auction needs a reset: %s (auction %llu); call redo", reason,
                         (unsigned long long)a.id);
    if (cw_decimal_gt(price, m.max_price))
        return cw_errorf("too expensive: price %s > max_price %s (auction %llu)", lq_dstr(price),
                         lq_dstr(m.max_price), (unsigned long long)a.id);
    cw_u128 slice, owe;
    CW_TRY(size_take(&a, &p, price, m.max_amount, &slice, &owe));
    lq_touch_auction(c, &a);
    cw_u128 debt_part = owe < a.debt ? owe : a.debt;
    a.lot -= slice;
    a.tab -= owe;
    a.debt -= debt_part;
    cw_str recipient = m.has_recipient ? m.recipient : c->info->sender;
    if (cw_str_eq(recipient, c->env->contract_address))
        return cw_errorf("invalid recipient: the liquidator itself");
    lq_auction_attrs(c, "take", &a);
    cw_res_attr(c->res, "buyer", c->info->sender);
    cw_res_attr(c->res, "recipient", recipient);
    cw_res_attr_c(c->res, "price", lq_dstr(price));
    cw_res_attr_u128(c->res, "amount", slice);
    cw_res_attr_u128(c->res, "owe", owe);
    cw_res_attr_u128(c->res, "debt_covered", debt_part);
    cw_res_attr_u128(c->res, "penalty_paid", owe - debt_part);
    /* Order: collateral, callback, payment, then the auction's end. */
    lq_send_collateral(c, &a, recipient, slice);
    if (m.has_callback) CW_TRY(emit_callback(c, m.callback));
    emit_payment(c, &a, owe, debt_part);
    bool ended = a.tab == 0 || a.lot == 0;
    if (a.tab == 0) {
        cw_res_attr_u128(c->res, "returned_to_owner", a.lot);
        lq_send_collateral(c, &a, a.owner, a.lot);
        a.lot = 0;
    } else if (a.lot == 0) {
        cw_res_attr_u128(c->res, "written_off", a.debt);
        cw_res_attr_u128(c->res, "penalty_forgiven", a.tab - a.debt);
        if (a.debt) {
            cw_buf w = {0};
            cw_buf_printf(&w, "{\"write_off\":{\"market\":%J,\"amount\":\"%s\"}}", a.market,
                          lq_u(a.debt));
            lq_engine_exec(c, cw_hold_buf(&w));
            c->ledger.debt_out = cw_u128_add(c->ledger.debt_out, a.debt);
            a.debt = 0;
        }
    }
    cw_res_attr_u128(c->res, "lot_left", a.lot);
    cw_res_attr_u128(c->res, "tab_left", a.tab);
    cw_res_attr_u128(c->res, "debt_left", a.debt);
    cw_res_attr_c(c->res, "finished", ended ? "true" : "false");
    lq_auction_done(c, &a, ended);
    return NULL;
}

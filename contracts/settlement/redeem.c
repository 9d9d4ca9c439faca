/* Redemption (SOLVENCY.md §4 step 6): stable received through stable_token's `send` with
 * {"redeem":{}} is burned and pays floor(amount · pool / supply) of every asset; and the
 * accounting check run before every execute returns (SPEC.md §4, §5). */
#include "settlement.h"

cw_u128 sm_share(const sm_status *s, const sm_asset *a, cw_u128 amount) {
    return s->supply ? cw_u128_mul_div_floor(amount, a->pool, s->supply) : 0;
}

static void load_assets(sm_ctx *c) {
    for (uint32_t i = 0; i < c->status.n_assets; i++) {
        sm_asset_load(i, &c->assets[i]);
        c->paid_before[i] = c->assets[i].paid;
    }
    c->assets_loaded = true;
}

static void message(sm_ctx *c, cw_str contract, cw_str msg) {
    cw_buf out = {0};
    cw_msg_wasm_execute(&out, contract, msg, NULL, 0);
    cw_res_message(c->res, cw_buf_view(&out));
    cw_buf_free(&out);
}

static void pay(sm_ctx *c, const sm_asset *a, cw_str to, cw_u128 amount) {
    cw_buf out = {0};
    if (a->kind == SM_NATIVE) {
        cw_coin coin = {a->asset, amount};
        cw_msg_bank_send(&out, to, &coin, 1);
        cw_res_message(c->res, cw_buf_view(&out));
    } else {
        cw_buf_printf(&out, "{\"transfer\":{\"recipient\":%J,\"amount\":\"%s\"}}", to,
                      sm_u(amount));
        message(c, a->asset, cw_buf_view(&out));
    }
    cw_buf_free(&out);
}

cw_error *sm_redeem(sm_ctx *c, cw_str redeemer, cw_u128 amount) {
    sm_status *s = &c->status;
    if (!s->finalized) return cw_errorf("not finalized: redemption opens after finalize");
    if (amount == 0) return cw_errorf("zero amount");
    if (amount > s->supply - s->redeemed)
        return cw_errorf("redemption exceeds the supply at finalize: redeemed %s + amount %s > "
                         "supply %s",
                         sm_u(s->redeemed), sm_u(amount), sm_u(s->supply));
    load_assets(c);
    cw_buf paid = {0};
    for (uint32_t i = 0; i < s->n_assets; i++) {
        sm_asset *a = &c->assets[i];
        cw_u128 share = sm_share(s, a, amount);
        if (!share) continue;
        pay(c, a, redeemer, share);
        a->paid = cw_u128_add(a->paid, share);
        c->paid_now[i] = share;
        sm_asset_save(i, a);
        cw_buf_printf(&paid, "%s%S:%s", paid.len ? "," : "", a->asset, sm_u(share));
    }
    cw_buf burn = {0};
    cw_buf_printf(&burn, "{\"burn\":{\"amount\":\"%s\"}}", sm_u(amount));
    message(c, c->cfg.stable_token, cw_buf_view(&burn));
    cw_buf_free(&burn);
    c->burned_now = amount;
    s->redeemed += amount;
    cw_res_attr_c(c->res, "action", "redeem");
    cw_res_attr(c->res, "redeemer", redeemer);
    cw_res_attr_u128(c->res, "amount", amount);
    if (paid.len) cw_res_attr(c->res, "paid", cw_buf_view(&paid));
    cw_buf_free(&paid);
    cw_res_attr_u128(c->res, "redeemed", s->redeemed);
    return NULL;
}

/* --- The check ------------------------------------------------------------------------------- */

cw_error *sm_balance_of(const cw_env *env, cw_str asset, uint8_t kind, cw_u128 *out) {
    cw_str self = env->contract_address;
    if (kind == SM_NATIVE) return cw_query_bank_balance(self, asset, out);
    cw_buf q = {0};
    cw_buf_printf(&q, "{\"balance\":{\"address\":%J}}", self);
    cw_json answer;
    cw_error *err = sm_query_json(asset, cw_buf_view(&q), &answer);
    cw_buf_free(&q);
    if (err) return err;
    return cw_u128_parse_json(cw_json_get(answer, "balance").text, out);
}

static cw_error *violated(const char *what, cw_u128 a, cw_u128 b) {
    return cw_errorf("accounting identity violated: %s (%s, %s)", what, sm_u(a), sm_u(b));
}

cw_error *sm_finish(sm_ctx *c) {
    const sm_status *s = &c->status, *b = &c->before;
    sm_status_save(s);
    /* S1: redeemed ≤ supply; Δredeemed == the burn message. */
    if (s->redeemed > s->supply) return violated("redeemed > supply", s->redeemed, s->supply);
    if (s->redeemed != b->redeemed + c->burned_now)
        return violated("redeemed vs burned", s->redeemed, b->redeemed + c->burned_now);
    if (!c->assets_loaded) return NULL;
    cw_u128 redeemable = s->supply - s->redeemed;
    for (uint32_t i = 0; i < s->n_assets; i++) {
        const sm_asset *a = &c->assets[i];
        cw_u128 balance;
        /* S2: Δpaid == payout messages; paid ≤ pool; what later redemptions can take stays. */
        if (a->paid != c->paid_before[i] + c->paid_now[i])
            return violated("paid vs payouts", a->paid, c->paid_before[i] + c->paid_now[i]);
        if (a->paid > a->pool) return violated("paid > pool", a->paid, a->pool);
        if (s->supply && sm_share(s, a, redeemable) > a->pool - a->paid)
            return violated("pool left < share of the unredeemed supply", a->pool - a->paid,
                            sm_share(s, a, redeemable));
        /* S3: the balance covers what is left of the pool plus this call's payouts. */
        CW_TRY(sm_balance_of(c->env, a->asset, a->kind, &balance));
        if (cw_u128_saturating_add(a->pool - a->paid, c->paid_now[i]) > balance)
            return cw_errorf("accounting identity violated: %S pool left %s + paying %s > "
                             "balance %s",
                             a->asset, sm_u(a->pool - a->paid), sm_u(c->paid_now[i]),
                             sm_u(balance));
    }
    return NULL;
}

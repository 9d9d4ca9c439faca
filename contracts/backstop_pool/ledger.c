/* The per-call ledger and the accounting identity (SPEC.md §6): the messages that move stable
 * and collateral out of the pool are emitted here and counted, and bp_finish saves the state and
 * checks, in O(touched assets), that the stored totals moved exactly as the messages did and
 * that the pool's balances cover what it owes. */
#include "pool.h"

bp_asset *bp_asset_at(bp_ctx *c, uint32_t id) {
    if (id >= BP_MAX_ASSETS) cw_abort("backstop_pool: asset id out of range");
    if (!c->loaded[id]) {
        bp_asset_load(id, &c->assets[id]);
        c->loaded[id] = true;
    }
    c->assets[id].touched = true;
    return &c->assets[id];
}

/* --- Messages -------------------------------------------------------------------------------- */

static void wasm_exec(bp_ctx *c, cw_str contract, cw_str msg) {
    cw_buf out = {0};
    cw_msg_wasm_execute(&out, contract, msg, NULL, 0);
    cw_res_message(c->res, cw_buf_view(&out));
    cw_buf_free(&out);
}

static void cw20_transfer(bp_ctx *c, cw_str token, cw_str to, cw_u128 amount) {
    cw_buf msg = {0};
    cw_buf_printf(&msg, "{\"transfer\":{\"recipient\":%J,\"amount\":\"%s\"}}", to, bp_u(amount));
    wasm_exec(c, token, cw_buf_view(&msg));
    cw_buf_free(&msg);
}

void bp_pay_collateral(bp_ctx *c, bp_asset *a, cw_str to, cw_u128 amount) {
    if (a->kind == BP_NATIVE) {
        cw_buf out = {0};
        cw_coin coin = {a->asset, amount};
        cw_msg_bank_send(&out, to, &coin, 1);
        cw_res_message(c->res, cw_buf_view(&out));
        cw_buf_free(&out);
    } else {
        cw20_transfer(c, a->asset, to, amount);
    }
    a->paid = cw_u128_add(a->paid, amount);
    a->paid_now = cw_u128_add(a->paid_now, amount);
    cw_buf_printf(&c->gains_attr, "%s%S:%s", c->gains_attr.len ? "," : "", a->asset, bp_u(amount));
}

void bp_pay_stable(bp_ctx *c, cw_str to, cw_u128 amount) {
    cw20_transfer(c, c->cfg.stable_token, to, amount);
    c->stable_to_users = cw_u128_add(c->stable_to_users, amount);
}

void bp_send_to_engine(bp_ctx *c, cw_str market, cw_u128 debt) {
    cw_buf hook = {0}, b64 = {0}, msg = {0};
    cw_buf_printf(&hook, "{\"auction_proceeds\":{\"market\":%J,\"debt\":\"%s\"}}", market,
                  bp_u(debt));
    cw_base64_encode(&b64, cw_buf_view(&hook));
    cw_buf_printf(&msg, "{\"send\":{\"contract\":%J,\"amount\":\"%s\",\"msg\":\"%S\"}}",
                  c->cfg.engine, bp_u(debt), cw_buf_view(&b64));
    wasm_exec(c, c->cfg.stable_token, cw_buf_view(&msg));
    cw_buf_free(&hook);
    cw_buf_free(&b64);
    cw_buf_free(&msg);
    c->stable_to_engine = cw_u128_add(c->stable_to_engine, debt);
}

/* --- Balances -------------------------------------------------------------------------------- */

cw_error *bp_balance_of(const cw_env *env, cw_str asset, uint8_t kind, cw_u128 *out) {
    cw_str self = env->contract_address;
    if (kind == BP_NATIVE) return cw_query_bank_balance(self, asset, out);
    cw_buf q = {0};
    cw_buf_printf(&q, "{\"balance\":{\"address\":%J}}", self);
    cw_str answer;
    cw_error *err = cw_query_wasm_smart(asset, cw_buf_view(&q), &answer);
    cw_buf_free(&q);
    if (err) return err;
    cw_hold((void *)answer.ptr);
    cw_json root;
    CW_TRY(cw_json_parse(answer, &root));
    return cw_u128_parse_json(cw_json_get(root, "balance").text, out);
}

/* --- The check ------------------------------------------------------------------------------- */

static cw_error *violated(const char *what, cw_u128 a, cw_u128 b) {
    return cw_errorf("accounting identity violated: %s (%s != %s)", what, bp_u(a), bp_u(b));
}

static cw_error *check_stable(bp_ctx *c) {
    const bp_state *s = &c->state, *b = &c->before;
    /* I1: T == deposited − withdrawn − spent, in unsigned form. */
    if (s->total_deposits + s->withdrawn + s->spent != s->deposited)
        return violated("total_deposits + withdrawn + spent vs deposited",
                        s->total_deposits + s->withdrawn + s->spent, s->deposited);
    if (s->deposited != b->deposited + c->stable_in)
        return violated("deposited vs stable received", s->deposited, b->deposited + c->stable_in);
    if (s->withdrawn != b->withdrawn + c->stable_to_users)
        return violated("withdrawn vs transfers", s->withdrawn, b->withdrawn + c->stable_to_users);
    if (s->spent != b->spent + c->stable_to_engine)
        return violated("spent vs sends to the engine", s->spent, b->spent + c->stable_to_engine);
    if (s->product < BP_P_MIN || s->product > BP_P_START)
        return violated("product out of range", s->product, BP_P_START);
    if (s->deposited == b->deposited && s->withdrawn == b->withdrawn && s->spent == b->spent)
        return NULL; /* no stable moved: the balance check below would be the same as before */
    /* I2: the pool's stable balance covers T after this call's outgoing messages. */
    cw_u128 balance, sending = c->stable_to_users + c->stable_to_engine;
    CW_TRY(bp_balance_of(c->env, c->cfg.stable_token, BP_CW20, &balance));
    if (cw_u128_saturating_add(s->total_deposits, sending) > balance)
        return cw_errorf("accounting identity violated: stable owed %s + sending %s > balance %s",
                         bp_u(s->total_deposits), bp_u(sending), bp_u(balance));
    return NULL;
}

static cw_error *check_assets(bp_ctx *c) {
    const cw_u128 *received_now = c->received_now;
    for (uint32_t id = 0; id < BP_MAX_ASSETS; id++) {
        bp_asset *a = &c->assets[id];
        if (!c->loaded[id] || !a->touched) continue;
        bp_asset_save(a);
        /* I3: Δreceived == absorbed this call; Δpaid == payout messages; paid ≤ received. */
        if (a->received != a->received_before + received_now[id])
            return violated("collateral received vs absorbed", a->received,
                            a->received_before + received_now[id]);
        if (a->paid != a->paid_before + a->paid_now)
            return violated("collateral paid vs payouts", a->paid, a->paid_before + a->paid_now);
        if (a->paid > a->received)
            return violated("collateral paid > received", a->paid, a->received);
        /* I4: what is owed (received − paid) plus this call's payouts ≤ balance. */
        cw_u128 balance, held = a->received - a->paid;
        CW_TRY(bp_balance_of(c->env, a->asset, a->kind, &balance));
        if (cw_u128_saturating_add(held, a->paid_now) > balance)
            return cw_errorf("accounting identity violated: %S held %s + sending %s > balance %s",
                             a->asset, bp_u(held), bp_u(a->paid_now), bp_u(balance));
    }
    return NULL;
}

cw_error *bp_finish(bp_ctx *c) {
    bp_state_save(&c->state);
    if (c->gains_attr.len) cw_res_attr(c->res, "gains", cw_buf_view(&c->gains_attr));
    cw_buf_free(&c->gains_attr);
    cw_res_attr_u128(c->res, "total_deposits", c->state.total_deposits);
    CW_TRY(check_assets(c));
    return check_stable(c);
}

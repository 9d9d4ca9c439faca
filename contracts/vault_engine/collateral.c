/* Collateral in positions: native deposits (funds), CW20 deposits (Receive hook), withdrawals
 * (bank send or CW20 transfer) with the borrow-limit check, and the supply caps. */
#include "engine.h"

static const char *kind_name(uint8_t kind) {
    return kind == VE_CW20 ? "cw20" : "native";
}

/* --- Deposits ------------------------------------------------------------------------------- */

cw_error *ve_deposit(ve_ctx *c, ve_position *p, cw_str asset, uint8_t kind, cw_u128 amount) {
    CW_TRY(ve_require_running(c));
    if (amount == 0) return cw_errorf("zero amount");
    ve_collateral *col;
    CW_TRY(ve_coll(c, asset, &col));
    if (col->kind != kind)
        return cw_errorf("asset %S is a %s collateral of market %S, not %s", asset,
                         kind_name(col->kind), col->market, kind_name(kind));
    cw_u128 total;
    if (!cw_u128_try_add(col->total, amount, &total) || total > col->supply_cap)
        return cw_errorf("supply cap exceeded: total %Q > cap %Q (market %S, collateral %S)",
                         cw_u128_saturating_add(col->total, amount), col->supply_cap, col->market,
                         asset);
    col->total = total;
    col->dirty = true;
    uint32_t i = 0;
    while (i < p->n && !cw_str_eq(p->coll[i].asset, asset)) i++;
    if (i == p->n) {
        if (p->n == VE_MAX_BASKET) cw_abort("vault_engine: basket full");
        p->coll[p->n++] = (ve_holding){asset, 0};
    }
    p->coll[i].amount = cw_u128_add(p->coll[i].amount, amount);
    ve_flow *f = ve_flow_for(c, asset, kind);
    f->received = cw_u128_add(f->received, amount);
    f->pos_plus = cw_u128_add(f->pos_plus, amount);
    cw_res_attr(c->res, "asset", asset);
    cw_res_attr_u128(c->res, "amount", amount);
    cw_res_attr_u128(c->res, "collateral_total", total);
    return NULL;
}

cw_error *ve_deposit_funds(ve_ctx *c, ve_position *p) {
    for (size_t i = 0; i < c->info->n_funds; i++)
        CW_TRY(ve_deposit(c, p, c->info->funds[i].denom, VE_NATIVE, c->info->funds[i].amount));
    return NULL;
}

cw_error *ve_exec_deposit(ve_ctx *c, const ve_msg *m) {
    ve_position p;
    CW_TRY(ve_position_for(c, m->position_id, false, &p));
    if (c->info->n_funds == 0) return cw_errorf("zero amount: deposit needs funds");
    ve_position_attrs(c, "deposit", &p);
    CW_TRY(ve_deposit_funds(c, &p));
    ve_position_save(&p);
    return NULL;
}

cw_error *ve_cw20_deposit(ve_ctx *c, cw_str token, cw_u128 amount, uint64_t position_id) {
    ve_position p;
    CW_TRY(ve_position_for(c, position_id, false, &p));
    ve_position_attrs(c, "deposit", &p);
    CW_TRY(ve_deposit(c, &p, token, VE_CW20, amount));
    ve_position_save(&p);
    return NULL;
}

/* --- Withdrawals ---------------------------------------------------------------------------- */

cw_error *ve_take_collateral(ve_ctx *c, ve_position *p, cw_str asset, cw_u128 amount,
                             ve_collateral **out) {
    uint32_t i = 0;
    while (i < p->n && !cw_str_eq(p->coll[i].asset, asset)) i++;
    cw_u128 have = i < p->n ? p->coll[i].amount : 0;
    if (amount > have)
        return cw_errorf("insufficient collateral: position %llu holds %s %S, requested %s",
                         (unsigned long long)p->id, ve_u(have), asset, ve_u(amount));
    ve_collateral *col;
    CW_TRY(ve_coll(c, asset, &col));
    p->coll[i].amount -= amount;
    col->total = cw_u128_sub(col->total, amount);
    col->dirty = true;
    ve_flow *f = ve_flow_for(c, asset, col->kind);
    f->sent = cw_u128_add(f->sent, amount);
    f->pos_minus = cw_u128_add(f->pos_minus, amount);
    *out = col;
    return NULL;
}

void ve_collateral_msg(ve_ctx *c, const ve_collateral *col, cw_u128 amount, cw_str to) {
    cw_buf msg = {0};
    if (col->kind == VE_NATIVE) {
        cw_coin coin = {col->asset, amount};
        cw_msg_bank_send(&msg, to, &coin, 1);
    } else {
        cw_buf inner = {0};
        cw_buf_puts(&inner, "{\"transfer\":{\"recipient\":\"");
        cw_buf_put_str(&inner, to);
        cw_buf_printf(&inner, "\",\"amount\":\"%s\"}}", ve_u(amount));
        cw_msg_wasm_execute(&msg, col->asset, cw_buf_view(&inner), NULL, 0);
        cw_buf_free(&inner);
    }
    cw_res_message(c->res, cw_buf_view(&msg));
    cw_buf_free(&msg);
}

cw_error *ve_send_collateral(ve_ctx *c, ve_position *p, cw_str asset, cw_u128 amount, cw_str to) {
    ve_collateral *col;
    CW_TRY(ve_take_collateral(c, p, asset, amount, &col));
    ve_collateral_msg(c, col, amount, to);
    cw_res_attr(c->res, "asset", asset);
    cw_res_attr_u128(c->res, "amount", amount);
    cw_res_attr(c->res, "recipient", to);
    return NULL;
}

cw_error *ve_check_borrow_limit(ve_ctx *c, const ve_position *p) {
    cw_u128 debt = ve_debt_of(p->normalised_debt, c->market.accumulator);
    if (debt == 0) return NULL; /* nothing can become unsafe: no price needed */
    for (uint32_t i = 0; i < p->n; i++) {
        ve_collateral *col;
        CW_TRY(ve_coll(c, p->coll[i].asset, &col));
    }
    ve_valuation v;
    CW_TRY(ve_value_position(&c->cfg, p, c->colls, c->n_colls, &v));
    if (debt > v.borrow_limit)
        return cw_errorf("borrow limit exceeded: debt %Q > limit %Q (market %S, position %llu)",
                         debt, v.borrow_limit, p->market, (unsigned long long)p->id);
    cw_res_attr_u128(c->res, "borrow_limit", v.borrow_limit);
    return NULL;
}

cw_error *ve_exec_withdraw(ve_ctx *c, const ve_msg *m) {
    ve_position p;
    CW_TRY(ve_position_for(c, m->position_id, true, &p));
    if (m->amount == 0) return cw_errorf("zero amount");
    if (c->cfg.shut_down && p.normalised_debt)
        return cw_errorf("system is shut down: settle position %llu first (market %S)",
                         (unsigned long long)p.id, p.market);
    ve_position_attrs(c, "withdraw", &p);
    CW_TRY(
        ve_send_collateral(c, &p, m->asset, m->amount, m->has_recipient ? m->recipient : p.owner));
    CW_TRY(ve_check_borrow_limit(c, &p));
    ve_position_save(&p);
    return NULL;
}

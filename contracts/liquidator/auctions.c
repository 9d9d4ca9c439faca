/* Auctions: the record, start_auction from the engine (lot check, absorption into the backstop
 * pool when the position is very unhealthy and the pool can cover it, otherwise a new Dutch
 * auction), and the messages that move collateral out (SPEC.md §4, SOLVENCY.md §2). */
#include "liquidator.h"

/* --- Record ---------------------------------------------------------------------------------- */

cw_error *lq_auction_load(uint64_t id, lq_auction *a) {
    cw_str v;
    if (!lq_load(lq_key_id("auction", id), &v))
        return cw_errorf("auction not found: %llu", (unsigned long long)id);
    cw_record r = {v, 0};
    a->id = id;
    a->position_id = cw_record_get_u64(&r);
    a->owner = cw_record_get_str(&r);
    a->market = cw_record_get_str(&r);
    a->asset = cw_record_get_str(&r);
    a->oracle_denom = cw_record_get_str(&r);
    a->keeper = cw_record_get_str(&r);
    a->kind = cw_record_get_u64(&r);
    a->lot = cw_record_get_u128(&r);
    a->debt = cw_record_get_u128(&r);
    a->tab = cw_record_get_u128(&r);
    a->top.atomics = cw_record_get_u128(&r);
    a->started_at = cw_record_get_u64(&r);
    a->resets = cw_record_get_u64(&r);
    return NULL;
}

void lq_auction_save(const lq_auction *a) {
    cw_buf b = {0};
    cw_record_put_u64(&b, a->position_id);
    cw_record_put_str(&b, a->owner);
    cw_record_put_str(&b, a->market);
    cw_record_put_str(&b, a->asset);
    cw_record_put_str(&b, a->oracle_denom);
    cw_record_put_str(&b, a->keeper);
    cw_record_put_u64(&b, a->kind);
    cw_record_put_u128(&b, a->lot);
    cw_record_put_u128(&b, a->debt);
    cw_record_put_u128(&b, a->tab);
    cw_record_put_u128(&b, a->top.atomics);
    cw_record_put_u64(&b, a->started_at);
    cw_record_put_u64(&b, a->resets);
    cw_db_write(lq_key_id("auction", a->id), cw_buf_view(&b));
    cw_buf_free(&b);
}

void lq_auction_delete(uint64_t id) {
    cw_db_remove(lq_key_id("auction", id));
}

void lq_touch_auction(lq_ctx *c, const lq_auction *a) {
    lq_ledger *l = &c->ledger;
    if (l->has_auction) cw_abort("liquidator: two auctions in one call");
    l->has_auction = true;
    l->auction_debt_before = a->debt;
    l->auction_lot_before = a->lot;
    lq_touch(c, a->market, a->asset, a->kind);
}

void lq_auction_done(lq_ctx *c, lq_auction *a, bool ended) {
    c->ledger.auction_debt_after = ended ? 0 : a->debt;
    c->ledger.auction_lot_after = ended ? 0 : a->lot;
    if (ended) {
        lq_auction_delete(a->id);
        c->ledger.live_delta -= 1;
    } else {
        lq_auction_save(a);
    }
}

void lq_auction_attrs(lq_ctx *c, const char *action, const lq_auction *a) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr_u64(c->res, "auction_id", a->id);
    cw_res_attr_u64(c->res, "position_id", a->position_id);
    cw_res_attr(c->res, "market", a->market);
    cw_res_attr(c->res, "asset", a->asset);
}

/* --- Outgoing messages -------------------------------------------------------------------------
 */

static void wasm_exec(lq_ctx *c, cw_str contract, cw_str json, const cw_coin *funds, size_t n) {
    cw_buf msg = {0};
    cw_msg_wasm_execute(&msg, contract, json, funds, n);
    cw_res_message(c->res, cw_buf_view(&msg));
    cw_buf_free(&msg);
}

static void cw20_transfer(lq_ctx *c, cw_str token, cw_str to, cw_u128 amount) {
    cw_buf inner = {0};
    cw_buf_printf(&inner, "{\"transfer\":{\"recipient\":%J,\"amount\":\"%s\"}}", to, lq_u(amount));
    wasm_exec(c, token, cw_buf_view(&inner), NULL, 0);
    cw_buf_free(&inner);
}

void lq_send_collateral(lq_ctx *c, const lq_auction *a, cw_str to, cw_u128 amount) {
    if (amount == 0) return;
    c->ledger.lot_out = cw_u128_add(c->ledger.lot_out, amount);
    if (a->kind == LQ_CW20) {
        cw20_transfer(c, a->asset, to, amount);
        return;
    }
    cw_buf msg = {0};
    cw_coin coin = {a->asset, amount};
    cw_msg_bank_send(&msg, to, &coin, 1);
    cw_res_message(c->res, cw_buf_view(&msg));
    cw_buf_free(&msg);
}

void lq_engine_exec(lq_ctx *c, cw_str json) {
    wasm_exec(c, c->cfg.engine, json, NULL, 0);
}

void lq_absorb(lq_ctx *c, const lq_auction *a, cw_u128 amount, cw_u128 covered) {
    lq_ledger *l = &c->ledger;
    l->lot_out = cw_u128_add(l->lot_out, amount);
    l->debt_out = cw_u128_add(l->debt_out, covered);
    cw_buf inner = {0};
    cw_buf_printf(&inner, "{\"absorb\":{\"market\":%J,\"asset\":%J,\"kind\":\"%s\",", a->market,
                  a->asset, a->kind == LQ_CW20 ? "cw20" : "native");
    cw_buf_printf(&inner, "\"amount\":\"%s\",\"debt\":\"%s\"}}", lq_u(amount), lq_u(covered));
    cw_coin coin = {a->asset, amount};
    if (a->kind == LQ_CW20) cw20_transfer(c, a->asset, c->cfg.backstop_pool, amount);
    wasm_exec(c, c->cfg.backstop_pool, cw_buf_view(&inner), &coin, a->kind == LQ_CW20 ? 0 : 1);
    cw_buf_free(&inner);
    cw_res_attr(c->res, "backstop_pool", c->cfg.backstop_pool);
    cw_res_attr_u128(c->res, "absorbed_amount", amount);
    cw_res_attr_u128(c->res, "absorbed_debt", covered);
}

/* --- start_auction ---------------------------------------------------------------------------- */

typedef struct start_msg {
    cw_str owner, market, asset, kind, oracle_denom, keeper;
    cw_u128 amount, debt, tab;
    cw_decimal health;
    uint64_t position_id;
    bool has_keeper;
} start_msg;
#define F(name, kind, member) CW_REQ(start_msg, name, kind, member)
static const cw_field START[] = {
    F("position_id", LQ_U64, position_id),
    F("owner", LQ_ADDR, owner),
    F("market", LQ_STR, market),
    F("asset", LQ_STR, asset),
    F("kind", LQ_STR, kind),
    F("oracle_denom", LQ_STR, oracle_denom),
    F("amount", LQ_U128, amount),
    F("debt", LQ_U128, debt),
    F("tab", LQ_U128, tab),
    CW_OPT(start_msg, "keeper", LQ_ADDR, keeper, has_keeper),
    F("health", LQ_DEC, health),
};

/* The lot must be here: native as this call's funds, CW20 transferred to us just before. */
static cw_error *check_lot(lq_ctx *c, const start_msg *m, uint64_t kind) {
    const cw_info *info = c->info;
    if (kind == LQ_NATIVE) {
        if (info->n_funds != 1 || !cw_str_eq(info->funds[0].denom, m->asset) ||
            info->funds[0].amount != m->amount) {
            cw_buf got = {0};
            for (size_t i = 0; i < info->n_funds; i++)
                cw_buf_printf(&got, "%s%s%S", i ? "," : "", lq_u(info->funds[i].amount),
                              info->funds[i].denom);
            if (!info->n_funds) cw_buf_puts(&got, "no funds");
            return cw_errorf("lot not received: expected funds %s%S, got %S", lq_u(m->amount),
                             m->asset, cw_hold_buf(&got));
        }
        return NULL;
    }
    if (info->n_funds) return cw_errorf("lot not received: a cw20 lot takes no funds");
    uint64_t held_kind;
    bool found;
    cw_u128 held = lq_held_load(m->asset, &held_kind, &found), balance;
    CW_TRY(lq_balance_of(c->env, m->asset, LQ_CW20, &balance));
    if (cw_u128_saturating_add(held, m->amount) > balance)
        return cw_errorf("lot not received: cw20 balance %s < held %s + lot %s (%S)", lq_u(balance),
                         lq_u(held), lq_u(m->amount), m->asset);
    return NULL;
}

cw_error *lq_exec_start_auction(lq_ctx *c, cw_json body) {
    start_msg m = {0};
    CW_TRY(lq_parse(body, START, 11, &m));
    CW_TRY(lq_require_engine(c));
    CW_TRY(lq_require_running(c, 1, "new auctions"));
    lq_params p;
    CW_TRY(lq_params_load(m.market, &p));
    uint64_t kind = LQ_NATIVE;
    if (cw_str_eq_c(m.kind, "cw20")) {
        kind = LQ_CW20;
        CW_TRY(cw_addr_validate(m.asset));
    } else if (!cw_str_eq_c(m.kind, "native") || m.asset.len == 0) {
        return cw_errorf("invalid lot: kind '%S' must be native or cw20 and asset non-empty",
                         m.kind);
    }
    if (m.amount == 0 || m.debt == 0)
        return cw_errorf("invalid lot: amount %s and debt %s must be > 0", lq_u(m.amount),
                         lq_u(m.debt));
    if (m.tab < m.debt)
        return cw_errorf("invalid lot: tab %s must be >= debt %s", lq_u(m.tab), lq_u(m.debt));
    CW_TRY(check_lot(c, &m, kind));
    lq_auction a = {0};
    a.position_id = m.position_id;
    a.owner = m.owner;
    a.market = m.market;
    a.asset = m.asset;
    a.oracle_denom = m.oracle_denom;
    a.keeper = m.has_keeper ? m.keeper : CW_LIT("");
    a.kind = kind;
    a.lot = m.amount;
    a.debt = m.debt;
    a.tab = m.tab;
    lq_touch(c, a.market, a.asset, kind);
    c->ledger.has_auction = true; /* a new auction: nothing before */
    c->ledger.debt_in = m.debt;
    c->ledger.lot_in = m.amount;
    cw_decimal oracle;
    CW_TRY(lq_oracle_price(&c->cfg, m.oracle_denom, &oracle));
    bool absorb = cw_decimal_lt(m.health, p.backstop_health) && c->cfg.backstop_pool.len;
    if (absorb && lq_pool_deposits(c) >= m.debt) {
        cw_res_attr_c(c->res, "action", "start_auction");
        cw_res_attr_c(c->res, "outcome", "absorbed");
        cw_res_attr_u64(c->res, "position_id", a.position_id);
        cw_res_attr(c->res, "market", a.market);
        cw_res_attr(c->res, "asset", a.asset);
        cw_res_attr_c(c->res, "health", lq_dstr(m.health));
        cw_res_attr_u128(c->res, "tab", a.tab);
        cw_res_attr_u128(c->res, "penalty_forgiven", a.tab - a.debt);
        lq_absorb(c, &a, a.lot, a.debt);
        return NULL;
    }
    a.id = c->cfg.next_auction_id++;
    lq_config_save(&c->cfg);
    a.top = lq_top_price(oracle, &p);
    a.started_at = c->now;
    c->ledger.live_delta = 1;
    lq_auction_done(c, &a, false);
    lq_auction_attrs(c, "start_auction", &a);
    cw_res_attr_c(c->res, "outcome", "auction");
    cw_res_attr(c->res, "owner", a.owner);
    cw_res_attr_u128(c->res, "lot", a.lot);
    cw_res_attr_u128(c->res, "debt", a.debt);
    cw_res_attr_u128(c->res, "tab", a.tab);
    cw_res_attr_c(c->res, "oracle_price", lq_dstr(oracle));
    cw_res_attr_c(c->res, "top", lq_dstr(a.top));
    cw_res_attr_c(c->res, "health", lq_dstr(m.health));
    if (a.keeper.len) cw_res_attr(c->res, "keeper", a.keeper);
    return NULL;
}

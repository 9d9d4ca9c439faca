/* Liquidation (SOLVENCY.md §2 step 1): seize debt and collateral of a position with health < 1
 * within the market and global room for debt in auction, hand each seized asset to the
 * liquidator with its share of the debt and the penalty (its tab), and pay the keeper. */
#include "engine.h"

cw_u128 ve_pay_keeper(ve_ctx *c, cw_str keeper, cw_u128 debt) {
    const ve_config *cfg = &c->cfg;
    cw_u128 reward =
        cw_u128_saturating_add(cfg->keeper_tip, cw_decimal_mul_uint_floor(debt, cfg->keeper_fee));
    if (reward > cfg->keeper_reward_cap) reward = cfg->keeper_reward_cap;
    if (reward) {
        ve_emit_mint(c, keeper, reward);
        c->totals.minted = cw_u128_add(c->totals.minted, reward);
        c->totals.spent = cw_u128_add(c->totals.spent, reward);
        c->ledger.rewards = cw_u128_add(c->ledger.rewards, reward);
    }
    cw_res_attr(c->res, "keeper", keeper);
    cw_res_attr_u128(c->res, "keeper_reward", reward);
    return reward;
}

/* One seized asset: what leaves the position and what the liquidator must recover for it. */
typedef struct seizure {
    ve_collateral *col;
    cw_u128 amount, value, debt, tab;
} seizure;

/* The message to the liquidator for one seized asset: CW20s are transferred first, native coins
 * travel as funds of the start_auction execute. */
static void start_auction(ve_ctx *c, const ve_position *p, const seizure *s, cw_str keeper,
                          cw_decimal health) {
    const ve_collateral *col = s->col;
    cw_str liquidator = c->cfg.liquidator;
    if (col->kind == VE_CW20) ve_collateral_msg(c, col, s->amount, liquidator);
    cw_buf body = {0}, msg = {0};
    cw_jw w;
    cw_jw_init(&w, &body);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "start_auction");
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "position_id");
    cw_jw_u64(&w, p->id);
    cw_jw_key(&w, "owner");
    cw_jw_str(&w, p->owner);
    cw_jw_key(&w, "market");
    cw_jw_str(&w, p->market);
    cw_jw_key(&w, "asset");
    cw_jw_str(&w, col->asset);
    cw_jw_key(&w, "kind");
    cw_jw_cstr(&w, col->kind == VE_CW20 ? "cw20" : "native");
    cw_jw_key(&w, "oracle_denom");
    cw_jw_str(&w, col->oracle_denom);
    cw_jw_key(&w, "amount");
    cw_jw_u128_str(&w, s->amount);
    cw_jw_key(&w, "debt");
    cw_jw_u128_str(&w, s->debt);
    cw_jw_key(&w, "tab");
    cw_jw_u128_str(&w, s->tab);
    cw_jw_key(&w, "keeper");
    cw_jw_str(&w, keeper);
    cw_jw_key(&w, "health");
    ve_write_decimal(&w, health);
    cw_jw_obj_end(&w);
    cw_jw_obj_end(&w);
    cw_coin coin = {col->asset, s->amount};
    bool native = col->kind == VE_NATIVE;
    cw_msg_wasm_execute(&msg, liquidator, cw_buf_view(&body), native ? &coin : NULL, native);
    cw_res_message(c->res, cw_buf_view(&msg));
    cw_buf_free(&body);
    cw_buf_free(&msg);
}

/* Debt seized: whole when it fits the room, else partial so that both the seized part and the
 * rest are >= min_debt. */
static cw_error *debt_to_seize(ve_ctx *c, const ve_position *p, cw_u128 debt, cw_u128 *x) {
    const ve_market *mk = &c->market;
    cw_u128 market_room = cw_u128_saturating_sub(mk->auction_debt_limit, mk->auction_debt);
    cw_u128 global_room =
        cw_u128_saturating_sub(c->cfg.global_auction_debt_limit, c->totals.auction_debt);
    cw_u128 room = market_room < global_room ? market_room : global_room;
    if (debt <= room) {
        *x = debt;
        return NULL;
    }
    cw_u128 partial = cw_u128_saturating_sub(debt, mk->min_debt);
    if (room < partial) partial = room;
    if (partial == 0 || partial < mk->min_debt)
        return cw_errorf("auction debt limit reached: room %s (market %s, global %s) for debt %s "
                         "with min_debt %s (market %S, position %llu)",
                         ve_u(room), ve_u(market_room), ve_u(global_room), ve_u(debt),
                         ve_u(mk->min_debt), p->market, (unsigned long long)p->id);
    *x = partial;
    return NULL;
}

cw_error *ve_exec_liquidate(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_running(c));
    if (!c->cfg.liquidator.len) return cw_errorf("liquidator not configured");
    ve_position p;
    CW_TRY(ve_position_for(c, m->position_id, false, &p));
    ve_market *mk = &c->market;
    cw_u128 debt = ve_debt_of(p.normalised_debt, mk->accumulator);
    if (debt == 0)
        return cw_errorf("position is healthy: no debt (market %S, position %llu)", p.market,
                         (unsigned long long)p.id);
    for (uint32_t i = 0; i < p.n; i++) {
        ve_collateral *col;
        CW_TRY(ve_coll(c, p.coll[i].asset, &col));
    }
    ve_valuation v;
    CW_TRY(ve_value_position(&c->cfg, &p, c->colls, c->n_colls, &v));
    cw_decimal health = ve_health(v.liquidation_value, debt);
    if (v.liquidation_value >= debt)
        return cw_errorf("position is healthy: health %s >= 1 (market %S, position %llu)",
                         ve_dstr(health), p.market, (unsigned long long)p.id);
    cw_str keeper = m->has_keeper ? m->keeper : c->info->sender;
    uint32_t held = 0;
    for (uint32_t i = 0; i < p.n; i++) held += p.coll[i].amount != 0;

    cw_u128 x = debt;
    if (held) CW_TRY(debt_to_seize(c, &p, debt, &x));
    ve_position_attrs(c, "liquidate", &p);
    cw_res_attr_c(c->res, "health", ve_dstr(health));
    cw_res_attr_u128(c->res, "debt_seized", x);

    /* Collateral: ceil(amount · x / debt) per asset (all of it when whole), valued at price. */
    seizure s[VE_MAX_BASKET];
    uint32_t n = 0;
    cw_u128 total_value = 0;
    for (uint32_t i = 0; i < p.n; i++) {
        cw_u128 amount = p.coll[i].amount;
        if (amount == 0) continue;
        cw_u128 take = x == debt ? amount : cw_u128_mul_div_ceil(amount, x, debt);
        if (take > amount) take = amount;
        s[n] = (seizure){0};
        s[n].amount = take;
        s[n].value = ve_value_at(take, v.price[i], cw_decimal_one());
        total_value = cw_u128_saturating_add(total_value, s[n].value);
        CW_TRY(ve_take_collateral(c, &p, p.coll[i].asset, take, &s[n].col));
        n++;
    }
    ve_remove_debt(c, &p, x);
    if (n == 0) {
        /* Nothing to auction: the debt is bad debt at once. */
        c->totals.bad_debt = cw_u128_add(c->totals.bad_debt, x);
        c->ledger.bad_debt = cw_u128_add(c->ledger.bad_debt, x);
        cw_res_attr_u128(c->res, "bad_debt", x);
    } else {
        mk->auction_debt = cw_u128_add(mk->auction_debt, x);
        c->totals.auction_debt = cw_u128_add(c->totals.auction_debt, x);
        c->ledger.seized = cw_u128_add(c->ledger.seized, x);
    }
    /* x split over the seized assets by value (floor, the remainder to the last); each tab adds
     * that asset's penalty, rounded up. */
    cw_u128 assigned = 0;
    for (uint32_t k = 0; k < n; k++) {
        cw_u128 part = k + 1 == n    ? x - assigned
                       : total_value ? cw_u128_mul_div_floor(x, s[k].value, total_value)
                                     : 0;
        assigned += part;
        s[k].debt = part;
        s[k].tab = cw_decimal_mul_uint_ceil(
            part, cw_decimal_add(cw_decimal_one(), s[k].col->liquidation_penalty));
        start_auction(c, &p, &s[k], keeper, health);
        cw_res_attr(c->res, "asset", s[k].col->asset);
        cw_res_attr_u128(c->res, "amount", s[k].amount);
        cw_res_attr_u128(c->res, "asset_debt", part);
        cw_res_attr_u128(c->res, "tab", s[k].tab);
    }
    cw_res_attr_u128(c->res, "normalised_debt", p.normalised_debt);
    cw_res_attr_u128(c->res, "debt", ve_debt_of(p.normalised_debt, mk->accumulator));
    ve_pay_keeper(c, keeper, x);
    cw_res_attr_u128(c->res, "auction_debt", mk->auction_debt);
    held = 0;
    for (uint32_t i = 0; i < p.n; i++) held += p.coll[i].amount != 0;
    if (p.normalised_debt == 0 && held == 0) {
        ve_position_delete(c, &p);
        cw_res_attr_c(c->res, "position_deleted", "true");
    } else {
        ve_position_save(&p);
    }
    return NULL;
}

/* Queries: config, market(s), position, positions by owner, position health (with the prices
 * used), totals and accounting (SPEC.md §6). Time-dependent values are accrued to the query's
 * block time without being stored. */
#include "engine.h"

void ve_write_decimal(cw_jw *w, cw_decimal d) {
    cw_jw_cstr(w, ve_dstr(d));
}

void ve_write_d27(cw_jw *w, cw_decimal27 d) {
    char s[CW_DECIMAL27_STR_MAX];
    cw_decimal27_to_str(d, s);
    cw_jw_cstr(w, s);
}

static void key_u128(cw_jw *w, const char *key, cw_u128 v) {
    cw_jw_key(w, key);
    cw_jw_u128_str(w, v);
}

static void key_dec(cw_jw *w, const char *key, cw_decimal d) {
    cw_jw_key(w, key);
    ve_write_decimal(w, d);
}

static void key_str(cw_jw *w, const char *key, cw_str s) {
    cw_jw_key(w, key);
    cw_jw_str(w, s);
}

static void key_addr(cw_jw *w, const char *key, cw_str s) {
    cw_jw_key(w, key);
    if (s.len)
        cw_jw_str(w, s);
    else
        cw_jw_null(w);
}

static cw_str held_copy(cw_str s) {
    cw_buf b = {0};
    cw_buf_put_str(&b, s);
    return cw_hold_buf(&b);
}

/* --- Writers -------------------------------------------------------------------------------- */

/* `now` in the writers below is already the accrual time (ve_accrual_time). */
static cw_error *write_market(cw_jw *w, cw_str id, uint64_t now) {
    ve_market mk;
    CW_TRY(ve_market_load(id, &mk));
    ve_accrue(&mk, now);
    cw_jw_obj_begin(w);
    key_str(w, "id", mk.id);
    key_dec(w, "stability_fee", mk.stability_fee);
    cw_jw_key(w, "rate_per_second");
    ve_write_d27(w, mk.rate);
    cw_jw_key(w, "accumulator");
    ve_write_d27(w, mk.accumulator);
    cw_jw_key(w, "last_accrued");
    cw_jw_u64(w, mk.last_accrued);
    key_u128(w, "total_normalised_debt", mk.normalised_debt);
    key_u128(w, "debt", mk.debt);
    key_u128(w, "debt_ceiling", mk.debt_ceiling);
    key_u128(w, "min_debt", mk.min_debt);
    key_u128(w, "surplus", mk.surplus);
    key_u128(w, "auction_debt_limit", mk.auction_debt_limit);
    key_u128(w, "auction_debt", mk.auction_debt);
    cw_jw_key(w, "collaterals");
    cw_jw_arr_begin(w);
    cw_range r;
    cw_str asset, value;
    cw_map_range_begin(&r, "collateral", &id, 1, NULL);
    while (cw_range_next(&r, &asset, &value)) {
        ve_collateral col;
        bool found;
        CW_TRY(ve_collateral_load(id, held_copy(asset), &col, &found));
        cw_jw_obj_begin(w);
        key_str(w, "asset", col.asset);
        cw_jw_key(w, "kind");
        cw_jw_cstr(w, col.kind == VE_CW20 ? "cw20" : "native");
        key_str(w, "oracle_denom", col.oracle_denom);
        key_dec(w, "max_ltv", col.max_ltv);
        key_dec(w, "liquidation_threshold", col.liquidation_threshold);
        key_dec(w, "liquidation_penalty", col.liquidation_penalty);
        key_u128(w, "supply_cap", col.supply_cap);
        key_u128(w, "total", col.total);
        cw_jw_key(w, "final_price");
        if (cw_decimal_is_zero(col.final_price))
            cw_jw_null(w);
        else
            ve_write_decimal(w, col.final_price);
        cw_jw_obj_end(w);
    }
    cw_range_end(&r);
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return NULL;
}

/* The position with its market accrued to `now`; *debt its current debt. */
static cw_error *load_position_now(uint64_t id, uint64_t now, ve_position *p, ve_market *mk,
                                   cw_u128 *debt) {
    CW_TRY(ve_position_load(id, p));
    CW_TRY(ve_market_load(p->market, mk));
    ve_accrue(mk, now);
    *debt = ve_debt_of(p->normalised_debt, mk->accumulator);
    return NULL;
}

static cw_error *write_position(cw_jw *w, uint64_t id, uint64_t now) {
    ve_position p;
    ve_market mk;
    cw_u128 debt;
    CW_TRY(load_position_now(id, now, &p, &mk, &debt));
    cw_jw_obj_begin(w);
    cw_jw_key(w, "id");
    cw_jw_u64(w, p.id);
    key_str(w, "owner", p.owner);
    key_str(w, "market", p.market);
    key_u128(w, "normalised_debt", p.normalised_debt);
    key_u128(w, "debt", debt);
    cw_jw_key(w, "collateral");
    cw_jw_arr_begin(w);
    for (uint32_t i = 0; i < p.n; i++) {
        cw_jw_obj_begin(w);
        key_str(w, "asset", p.coll[i].asset);
        key_u128(w, "amount", p.coll[i].amount);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return NULL;
}

static cw_error *write_health(cw_jw *w, const ve_config *cfg, uint64_t id, uint64_t now) {
    ve_position p;
    ve_market mk;
    cw_u128 debt;
    CW_TRY(load_position_now(id, now, &p, &mk, &debt));
    ve_collateral cols[VE_MAX_BASKET];
    for (uint32_t i = 0; i < p.n; i++) {
        bool found;
        CW_TRY(ve_collateral_load(p.market, p.coll[i].asset, &cols[i], &found));
    }
    ve_valuation v;
    CW_TRY(ve_value_position(cfg, &p, cols, p.n, &v));
    cw_jw_obj_begin(w);
    cw_jw_key(w, "position_id");
    cw_jw_u64(w, p.id);
    key_str(w, "market", p.market);
    key_u128(w, "debt", debt);
    key_u128(w, "borrow_limit", v.borrow_limit);
    key_u128(w, "liquidation_value", v.liquidation_value);
    cw_jw_key(w, "health");
    if (debt == 0)
        cw_jw_null(w);
    else
        ve_write_decimal(w, ve_health(v.liquidation_value, debt));
    cw_jw_key(w, "within_borrow_limit");
    cw_jw_bool(w, debt <= v.borrow_limit);
    cw_jw_key(w, "collateral");
    cw_jw_arr_begin(w);
    for (uint32_t i = 0; i < p.n; i++) {
        cw_jw_obj_begin(w);
        key_str(w, "asset", p.coll[i].asset);
        key_u128(w, "amount", p.coll[i].amount);
        key_str(w, "oracle_denom", v.coll[i]->oracle_denom);
        key_dec(w, "price", v.price[i]);
        key_u128(w, "value", v.value[i]);
        key_u128(w, "borrow_value", v.borrow_value[i]);
        key_u128(w, "liquidation_value", v.liq_value[i]);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return NULL;
}

/* --- Dispatch ------------------------------------------------------------------------------- */

static const char *const QUERIES[] = {
    "config", "market",     "markets",  "position",     "positions_by_owner", "position_health",
    "totals", "accounting", "treasury", "liquidatable", "shutdown_status",    NULL};
static const ve_field Q_ID[] = {VE_REQ("id", VE_STR, id)};
static const ve_field Q_MARKETS[] = {
    VE_OPT("start_after", VE_STR, start_after_str, has_start_after),
    VE_OPT("limit", VE_U64, limit, has_limit)};
static const ve_field Q_POSITION[] = {VE_REQ("position_id", VE_U64, position_id)};
static const ve_field Q_LIQUIDATABLE[] = {VE_REQ("market", VE_STR, market),
                                          VE_OPT("limit", VE_U64, limit, has_limit)};
static const ve_field Q_BY_OWNER[] = {VE_REQ("owner", VE_STR, owner),
                                      VE_OPT("start_after", VE_U64, start_after, has_start_after),
                                      VE_OPT("limit", VE_U64, limit, has_limit)};
static const struct {
    const ve_field *fields;
    uint8_t n;
} Q_FIELDS[] = {{NULL, 0},       {Q_ID, 1},           {Q_MARKETS, 2}, {Q_POSITION, 1},
                {Q_BY_OWNER, 3}, {Q_POSITION, 1},     {NULL, 0},      {NULL, 0},
                {NULL, 0},       {Q_LIQUIDATABLE, 2}, {NULL, 0}};

static cw_error *run_query(const cw_env *env, cw_json msg, cw_jw *w) {
    size_t which;
    cw_json body;
    ve_msg m = {0};
    CW_TRY(ve_parse_enum(msg, QUERIES, &which, &body));
    CW_TRY(ve_parse(body, Q_FIELDS[which].fields, Q_FIELDS[which].n, &m));
    ve_config cfg;
    CW_TRY(ve_config_load(&cfg));
    uint64_t now = ve_accrual_time(&cfg, env->time_ns / 1000000000u);
    uint32_t limit = cw_page_limit(m.has_limit, m.limit, 10, 30);
    cw_range r;
    cw_str key, value;
    switch (which) {
    case 0:
        cw_jw_obj_begin(w);
        key_str(w, "governance", cfg.governance);
        key_str(w, "stable_token", cfg.stable_token);
        key_str(w, "oracle", cfg.oracle);
        key_u128(w, "global_debt_ceiling", cfg.global_debt_ceiling);
        cw_jw_key(w, "next_position_id");
        cw_jw_u64(w, cfg.next_position_id);
        key_addr(w, "liquidator", cfg.liquidator);
        key_addr(w, "backstop_pool", cfg.backstop_pool);
        key_addr(w, "settlement", cfg.settlement);
        key_u128(w, "global_auction_debt_limit", cfg.global_auction_debt_limit);
        key_u128(w, "keeper_tip", cfg.keeper_tip);
        key_dec(w, "keeper_fee", cfg.keeper_fee);
        key_u128(w, "keeper_reward_cap", cfg.keeper_reward_cap);
        cw_jw_obj_end(w);
        return NULL;
    case 1:
        return write_market(w, m.id, now);
    case 2:
        cw_jw_obj_begin(w);
        cw_jw_key(w, "markets");
        cw_jw_arr_begin(w);
        cw_map_range_begin(&r, "market", NULL, 0,
                           &(cw_range_opts){.min = m.has_start_after
                                                       ? cw_bound_exclusive(m.start_after_str)
                                                       : (cw_bound){0},
                                            .limit = limit});
        while (cw_range_next(&r, &key, &value)) CW_TRY(write_market(w, held_copy(key), now));
        cw_range_end(&r);
        cw_jw_arr_end(w);
        cw_jw_obj_end(w);
        return NULL;
    case 3:
        return write_position(w, m.position_id, now);
    case 4: {
        char be[8];
        cw_jw_obj_begin(w);
        cw_jw_key(w, "positions");
        cw_jw_arr_begin(w);
        cw_map_range_begin(&r, "by_owner", &m.owner, 1,
                           &(cw_range_opts){.min = m.has_start_after ? cw_bound_exclusive(cw_be_u64(
                                                                           m.start_after, be))
                                                                     : (cw_bound){0},
                                            .limit = limit});
        uint64_t id;
        while (cw_range_next(&r, &key, &value))
            if (cw_key_u64(key, &id)) CW_TRY(write_position(w, id, now));
        cw_range_end(&r);
        cw_jw_arr_end(w);
        cw_jw_obj_end(w);
        return NULL;
    }
    case 5:
        return write_health(w, &cfg, m.position_id, now);
    case 6:
    case 8: {
        ve_totals t;
        CW_TRY(ve_totals_load(&t));
        if (which == 8) {
            ve_query_treasury(&cfg, &t, w);
            return NULL;
        }
        cw_jw_obj_begin(w);
        key_u128(w, "total_debt", t.total_debt);
        key_u128(w, "minted", t.minted);
        key_u128(w, "burned", t.burned);
        key_u128(w, "surplus", t.surplus);
        cw_jw_key(w, "open_positions");
        cw_jw_u64(w, t.open_positions);
        key_u128(w, "global_debt_ceiling", cfg.global_debt_ceiling);
        key_u128(w, "auction_debt", t.auction_debt);
        key_u128(w, "bad_debt", t.bad_debt);
        key_u128(w, "spent", t.spent);
        key_u128(w, "settled", t.settled);
        key_u128(w, "redeemed", t.redeemed);
        cw_jw_obj_end(w);
        return NULL;
    }
    case 9:
        return ve_query_liquidatable(env, &cfg, m.market, limit, w);
    case 10:
        return ve_query_shutdown_status(&cfg, w);
    default:
        return ve_query_accounting(env, w);
    }
}

cw_error *ve_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_jw w;
    cw_jw_init(&w, answer);
    return run_query(env, msg, &w);
}

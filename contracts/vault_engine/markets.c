/* Markets (isolation pools) and their collaterals: records, the call's touched market and
 * collateral cache, and governance's create_market / update_market / add_collateral /
 * update_collateral with parameter validation and old/new attributes (SPEC.md §5). */
#include "engine.h"

/* --- Records ------------------------------------------------------------------------------- */

#define BLOCK(type, first, last)                                                                   \
    (offsetof(type, last) + sizeof(((type *)0)->last) - offsetof(type, first))
#define MARKET_BLOCK BLOCK(ve_market, stability_fee, n_collaterals)
#define COLLATERAL_BLOCK BLOCK(ve_collateral, max_ltv, kind)

cw_error *ve_market_load(cw_str id, ve_market *mk) {
    cw_str v;
    if (!ve_load(ve_key1("market", id), &v)) return cw_errorf("market not found: %S", id);
    ve_rd r = {v, 0};
    mk->id = id;
    ve_get_raw(&r, &mk->stability_fee, MARKET_BLOCK);
    return NULL;
}

void ve_market_save(const ve_market *mk) {
    cw_buf b = {0};
    ve_put_raw(&b, &mk->stability_fee, MARKET_BLOCK);
    cw_db_write(ve_key1("market", mk->id), cw_buf_view(&b));
    cw_buf_free(&b);
}

cw_error *ve_collateral_load(cw_str market, cw_str asset, ve_collateral *col, bool *found) {
    cw_str v;
    *found = ve_load(ve_key2("collateral", market, asset), &v);
    if (!*found) return NULL;
    ve_rd r = {v, 0};
    col->market = market;
    col->asset = asset;
    col->oracle_denom = ve_get_str(&r);
    ve_get_raw(&r, &col->max_ltv, COLLATERAL_BLOCK);
    col->total_before = col->total;
    col->dirty = false;
    return NULL;
}

void ve_collateral_save(const ve_collateral *col) {
    cw_buf b = {0};
    ve_put_str(&b, col->oracle_denom);
    ve_put_raw(&b, &col->max_ltv, COLLATERAL_BLOCK);
    cw_db_write(ve_key2("collateral", col->market, col->asset), cw_buf_view(&b));
    cw_buf_free(&b);
}

/* --- The call's market and collaterals ------------------------------------------------------ */

cw_error *ve_touch_market(ve_ctx *c, cw_str id) {
    if (c->has_market) {
        if (!cw_str_eq(c->market.id, id)) cw_abort("vault_engine: two markets in one call");
        return NULL;
    }
    CW_TRY(ve_market_load(id, &c->market));
    c->has_market = true;
    c->ledger.n_before = c->market.normalised_debt;
    c->ledger.d_before = c->market.debt;
    c->ledger.surplus_before = c->market.surplus;
    c->ledger.auction_before = c->market.auction_debt;
    cw_u128 fees = ve_accrue(&c->market, ve_accrual_time(&c->cfg, c->now));
    c->totals.total_debt = cw_u128_add(c->totals.total_debt, fees);
    c->totals.surplus = cw_u128_add(c->totals.surplus, fees);
    c->accrued = fees;
    return NULL;
}

cw_error *ve_coll(ve_ctx *c, cw_str asset, ve_collateral **out) {
    for (uint32_t i = 0; i < c->n_colls; i++) {
        if (cw_str_eq(c->colls[i].asset, asset)) {
            *out = &c->colls[i];
            return NULL;
        }
    }
    if (c->n_colls == VE_MAX_BASKET) cw_abort("vault_engine: too many collaterals in one call");
    bool found;
    ve_collateral *col = &c->colls[c->n_colls];
    CW_TRY(ve_collateral_load(c->market.id, asset, col, &found));
    if (!found) return cw_errorf("asset %S is not a collateral of market %S", asset, c->market.id);
    c->n_colls++;
    *out = col;
    return NULL;
}

/* --- Validation ------------------------------------------------------------------------------ */

static bool valid_market_id(cw_str id) {
    if (id.len < 1 || id.len > 32) return false;
    for (size_t i = 0; i < id.len; i++) {
        char ch = id.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

/* 0 < max_ltv < liquidation_threshold < 1, penalty <= 0.5, threshold·(1 + penalty) <= 1. */
static cw_error *check_risk(const ve_collateral *col) {
    cw_decimal ltv = col->max_ltv, lt = col->liquidation_threshold, lp = col->liquidation_penalty;
    if (cw_decimal_is_zero(ltv)) return cw_errorf("invalid parameters: max_ltv must be > 0");
    if (!cw_decimal_lt(ltv, lt))
        return cw_errorf("invalid parameters: max_ltv %s must be < liquidation_threshold %s",
                         ve_dstr(ltv), ve_dstr(lt));
    if (!cw_decimal_lt(lt, cw_decimal_one()))
        return cw_errorf("invalid parameters: liquidation_threshold %s must be < 1", ve_dstr(lt));
    if (cw_decimal_gt(lp, cw_decimal_percent(50)))
        return cw_errorf("invalid parameters: liquidation_penalty %s must be <= 0.5", ve_dstr(lp));
    cw_decimal one_plus = cw_decimal_add(cw_decimal_one(), lp);
    if (cw_decimal_gt(cw_decimal_mul_ceil(lt, one_plus), cw_decimal_one()))
        return cw_errorf("invalid parameters: liquidation_threshold %s * (1 + liquidation_penalty "
                         "%s) must be <= 1",
                         ve_dstr(lt), ve_dstr(lp));
    return NULL;
}

static cw_error *check_ceiling(const char *what, cw_u128 value, cw_u128 current, bool force,
                               cw_str market) {
    if (value < current && !force)
        return cw_errorf("invalid parameters: %s %s < current %s %s (market %S); set force to "
                         "override",
                         what, ve_u(value), what[0] == 'd' ? "debt" : "total", ve_u(current),
                         market);
    return NULL;
}

static void attr_old_new_dec(cw_response *res, const char *old_key, const char *new_key,
                             cw_decimal old, cw_decimal now) {
    cw_res_attr_c(res, old_key, ve_dstr(old));
    cw_res_attr_c(res, new_key, ve_dstr(now));
}

/* --- Governance: markets -------------------------------------------------------------------- */

cw_error *ve_exec_create_market(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_governance(c));
    if (!valid_market_id(m->id))
        return cw_errorf("invalid parameters: market id '%S' must match [a-z0-9_-]{1,32}", m->id);
    cw_str existing;
    if (ve_load(ve_key1("market", m->id), &existing))
        return cw_errorf("market already exists: %S", m->id);
    ve_market mk = {0};
    mk.id = m->id;
    mk.stability_fee = m->stability_fee;
    CW_TRY(ve_rate_from_fee(m->stability_fee, &mk.rate));
    mk.accumulator = cw_decimal27_one();
    mk.last_accrued = c->now;
    mk.debt_ceiling = m->debt_ceiling;
    mk.min_debt = m->min_debt;
    mk.auction_debt_limit = m->has_adl ? m->auction_debt_limit : m->debt_ceiling;
    ve_market_save(&mk);
    CW_TRY(ve_touch_market(c, m->id));
    cw_res_attr_c(c->res, "action", "create_market");
    cw_res_attr(c->res, "market", m->id);
    cw_res_attr_c(c->res, "stability_fee", ve_dstr(m->stability_fee));
    char rate[CW_DECIMAL27_STR_MAX];
    cw_decimal27_to_str(mk.rate, rate);
    cw_res_attr_c(c->res, "rate_per_second", rate);
    cw_res_attr_u128(c->res, "debt_ceiling", m->debt_ceiling);
    cw_res_attr_u128(c->res, "min_debt", m->min_debt);
    cw_res_attr_u128(c->res, "auction_debt_limit", mk.auction_debt_limit);
    return NULL;
}

cw_error *ve_exec_update_market(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_governance(c));
    CW_TRY(ve_touch_market(c, m->id)); /* accrues at the old rate first */
    ve_market *mk = &c->market;
    cw_res_attr_c(c->res, "action", "update_market");
    cw_res_attr(c->res, "market", m->id);
    if (m->has_fee) {
        CW_TRY(ve_rate_from_fee(m->stability_fee, &mk->rate));
        attr_old_new_dec(c->res, "old_stability_fee", "new_stability_fee", mk->stability_fee,
                         m->stability_fee);
        mk->stability_fee = m->stability_fee;
        char rate[CW_DECIMAL27_STR_MAX];
        cw_decimal27_to_str(mk->rate, rate);
        cw_res_attr_c(c->res, "rate_per_second", rate);
    }
    if (m->has_dc) {
        CW_TRY(check_ceiling("debt_ceiling", m->debt_ceiling, mk->debt, m->force, mk->id));
        cw_res_attr_u128(c->res, "old_debt_ceiling", mk->debt_ceiling);
        cw_res_attr_u128(c->res, "new_debt_ceiling", m->debt_ceiling);
        mk->debt_ceiling = m->debt_ceiling;
    }
    if (m->has_md) {
        cw_res_attr_u128(c->res, "old_min_debt", mk->min_debt);
        cw_res_attr_u128(c->res, "new_min_debt", m->min_debt);
        mk->min_debt = m->min_debt;
    }
    if (m->has_adl) {
        cw_res_attr_u128(c->res, "old_auction_debt_limit", mk->auction_debt_limit);
        cw_res_attr_u128(c->res, "new_auction_debt_limit", m->auction_debt_limit);
        mk->auction_debt_limit = m->auction_debt_limit;
    }
    return NULL;
}

/* --- Governance: collaterals ---------------------------------------------------------------- */

static void collateral_attrs(cw_response *res, const ve_collateral *col) {
    cw_res_attr(res, "oracle_denom", col->oracle_denom);
    cw_res_attr_c(res, "max_ltv", ve_dstr(col->max_ltv));
    cw_res_attr_c(res, "liquidation_threshold", ve_dstr(col->liquidation_threshold));
    cw_res_attr_c(res, "liquidation_penalty", ve_dstr(col->liquidation_penalty));
    cw_res_attr_u128(res, "supply_cap", col->supply_cap);
}

cw_error *ve_exec_add_collateral(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_governance(c));
    CW_TRY(ve_touch_market(c, m->market));
    bool found;
    ve_collateral *col = &c->colls[c->n_colls];
    CW_TRY(ve_collateral_load(m->market, m->asset, col, &found));
    if (found) return cw_errorf("collateral already listed: %S in market %S", m->asset, m->market);
    if (c->market.n_collaterals >= VE_MAX_BASKET)
        return cw_errorf("invalid parameters: market %S already has %u collaterals (max %u)",
                         m->market, (unsigned)c->market.n_collaterals, (unsigned)VE_MAX_BASKET);
    *col = (ve_collateral){0};
    col->market = m->market;
    col->asset = m->asset;
    if (cw_str_eq(m->asset, c->cfg.stable_token))
        return cw_errorf("invalid parameters: the stablecoin cannot be collateral");
    if (cw_str_eq_c(m->kind, "cw20")) {
        col->kind = VE_CW20;
        CW_TRY(cw_addr_validate(m->asset));
    } else if (!cw_str_eq_c(m->kind, "native")) {
        return cw_errorf("invalid parameters: kind '%S' must be native or cw20", m->kind);
    }
    if (m->asset.len == 0 || m->oracle_denom.len == 0)
        return cw_errorf("invalid parameters: asset and oracle_denom must not be empty");
    col->oracle_denom = m->oracle_denom;
    col->max_ltv = m->max_ltv;
    col->liquidation_threshold = m->liquidation_threshold;
    col->liquidation_penalty = m->liquidation_penalty;
    col->supply_cap = m->supply_cap;
    CW_TRY(check_risk(col));
    col->dirty = true;
    c->n_colls++;
    c->market.n_collaterals++;
    cw_res_attr_c(c->res, "action", "add_collateral");
    cw_res_attr(c->res, "market", m->market);
    cw_res_attr(c->res, "asset", m->asset);
    cw_res_attr(c->res, "kind", m->kind);
    collateral_attrs(c->res, col);
    return NULL;
}

cw_error *ve_exec_update_collateral(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_governance(c));
    CW_TRY(ve_touch_market(c, m->market));
    ve_collateral *col, old;
    CW_TRY(ve_coll(c, m->asset, &col));
    old = *col;
    if (m->has_od) col->oracle_denom = m->oracle_denom;
    if (m->has_ltv) col->max_ltv = m->max_ltv;
    if (m->has_lt) col->liquidation_threshold = m->liquidation_threshold;
    if (m->has_lp) col->liquidation_penalty = m->liquidation_penalty;
    if (m->has_cap) {
        CW_TRY(check_ceiling("supply_cap", m->supply_cap, col->total, m->force, m->market));
        col->supply_cap = m->supply_cap;
    }
    if (col->oracle_denom.len == 0)
        return cw_errorf("invalid parameters: asset and oracle_denom must not be empty");
    CW_TRY(check_risk(col));
    col->dirty = true;
    cw_res_attr_c(c->res, "action", "update_collateral");
    cw_res_attr(c->res, "market", m->market);
    cw_res_attr(c->res, "asset", m->asset);
    if (m->has_od) {
        cw_res_attr(c->res, "old_oracle_denom", old.oracle_denom);
        cw_res_attr(c->res, "new_oracle_denom", col->oracle_denom);
    }
    if (m->has_ltv)
        attr_old_new_dec(c->res, "old_max_ltv", "new_max_ltv", old.max_ltv, col->max_ltv);
    if (m->has_lt)
        attr_old_new_dec(c->res, "old_liquidation_threshold", "new_liquidation_threshold",
                         old.liquidation_threshold, col->liquidation_threshold);
    if (m->has_lp)
        attr_old_new_dec(c->res, "old_liquidation_penalty", "new_liquidation_penalty",
                         old.liquidation_penalty, col->liquidation_penalty);
    if (m->has_cap) {
        cw_res_attr_u128(c->res, "old_supply_cap", old.supply_cap);
        cw_res_attr_u128(c->res, "new_supply_cap", col->supply_cap);
    }
    return NULL;
}

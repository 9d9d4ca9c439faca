/* Oracle prices and collateral valuation: the smart query {"price":{"denom"}} to the configured
 * oracle, and a position's borrow limit and liquidation value, each term rounded down in one
 * step (SPEC.md §2). */
#include "engine.h"

/* 10^36: a price's and a ratio's fractional scale multiplied. */
#define VE_E36 ((cw_u128)CW_DECIMAL_FRACTIONAL * CW_DECIMAL_FRACTIONAL)

static cw_error *no_price(const ve_collateral *col, const char *why, cw_str detail) {
    return cw_errorf("no valid price for %S (market %S, collateral %S): %s%S", col->oracle_denom,
                     col->market, col->asset, why, detail);
}

cw_error *ve_price(const ve_config *cfg, const ve_collateral *col, cw_decimal *price) {
    cw_buf q = {0};
    cw_jw w;
    cw_jw_init(&w, &q);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "price");
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "denom");
    cw_jw_str(&w, col->oracle_denom);
    cw_jw_obj_end(&w);
    cw_jw_obj_end(&w);
    cw_str answer;
    cw_error *err = cw_query_wasm_smart(cfg->oracle, cw_buf_view(&q), &answer);
    cw_buf_free(&q);
    if (err) {
        cw_error *e = no_price(col, "", cw_cstr(err->msg));
        cw_error_free(err);
        return e;
    }
    cw_hold((void *)answer.ptr);
    cw_json root, p;
    cw_str s;
    bool owned = false;
    if (cw_json_parse(answer, &root) || (p = cw_json_get(root, "price")).type != CW_JSON_STRING ||
        cw_json_string(p, &s, &owned))
        return no_price(col, "malformed oracle answer ", answer);
    if (owned) cw_hold((void *)s.ptr);
    if ((err = cw_decimal_parse(s, price))) {
        cw_hold(err);
        return no_price(col, "malformed oracle answer ", answer);
    }
    if (cw_decimal_is_zero(*price)) return no_price(col, "price is zero", CW_LIT(""));
    return NULL;
}

cw_u128 ve_value_at(cw_u128 amount, cw_decimal price, cw_decimal ratio) {
    cw_u256 v =
        cw_u256_mul_div(cw_u128_full_mul(amount, price.atomics), cw_u256_from_u128(ratio.atomics),
                        cw_u256_from_u128(VE_E36), CW_ROUND_FLOOR);
    cw_u128 out;
    return cw_u256_try_to_u128(v, &out) ? out : CW_U128_MAX; /* absurd values saturate */
}

cw_error *ve_value_position(const ve_config *cfg, const ve_position *p, ve_collateral *cols,
                            uint32_t n_cols, ve_valuation *v) {
    *v = (ve_valuation){0};
    for (uint32_t i = 0; i < p->n; i++) {
        const ve_collateral *col = NULL;
        for (uint32_t k = 0; k < n_cols; k++)
            if (cw_str_eq(cols[k].asset, p->coll[i].asset)) col = &cols[k];
        if (!col) cw_abort("vault_engine: position holds an unlisted collateral");
        v->coll[i] = col;
        if (p->coll[i].amount == 0) continue;
        CW_TRY(ve_price(cfg, col, &v->price[i]));
        cw_u128 amt = p->coll[i].amount;
        v->value[i] = ve_value_at(amt, v->price[i], cw_decimal_one());
        v->borrow_value[i] = ve_value_at(amt, v->price[i], col->max_ltv);
        v->liq_value[i] = ve_value_at(amt, v->price[i], col->liquidation_threshold);
        v->borrow_limit = cw_u128_saturating_add(v->borrow_limit, v->borrow_value[i]);
        v->liquidation_value = cw_u128_saturating_add(v->liquidation_value, v->liq_value[i]);
    }
    return NULL;
}

cw_decimal ve_health(cw_u128 liquidation_value, cw_u128 debt) {
    cw_u128 h;
    if (cw_u128_try_mul_div_floor(liquidation_value, CW_DECIMAL_FRACTIONAL, debt, &h))
        return cw_decimal_raw(h);
    return cw_decimal_max();
}

/* Prices: the oracle's price of a collateral, the backstop pool's deposits, an auction's start
 * price and its price at a time along the market's curve (linear or stair-step exponential),
 * and the reset rule (SPEC.md §3). Every price rounds down except the start price (up). */
#include "liquidator.h"

/* --- Peers ------------------------------------------------------------------------------------ */

/* A smart query answering an object; *root is its parsed answer (held). */
static cw_error *smart(cw_str contract, cw_str query, cw_json *root, const char *what) {
    cw_str answer;
    cw_error *err = cw_query_wasm_smart(contract, query, &answer);
    if (err) {
        cw_error *e = cw_errorf("%s: %s", what, err->msg);
        cw_error_free(err);
        return e;
    }
    cw_hold((void *)answer.ptr);
    if (cw_json_parse(answer, root) || root->type != CW_JSON_OBJECT)
        return cw_errorf("%s: malformed answer %S", what, answer);
    return NULL;
}

/* The string member `key` of `root` (held). */
static cw_error *member(cw_json root, const char *key, cw_str *out, const char *what) {
    cw_json v = cw_json_get(root, key);
    bool owned = false;
    if (v.type != CW_JSON_STRING || cw_json_string(v, out, &owned))
        return cw_errorf("%s: malformed answer %S", what, root.text);
    if (owned) cw_hold((void *)out->ptr);
    return NULL;
}

cw_error *lq_oracle_price(const lq_config *cfg, cw_str denom, cw_decimal *price) {
    cw_buf q = {0}, what = {0};
    cw_buf_printf(&q, "{\"price\":{\"denom\":%J}}", denom);
    cw_buf_printf(&what, "no valid price for %S", denom);
    cw_str query = cw_hold_buf(&q), label = cw_hold_buf(&what);
    cw_json root;
    cw_str s;
    CW_TRY(smart(cfg->oracle, query, &root, label.ptr));
    CW_TRY(member(root, "price", &s, label.ptr));
    cw_error *err = cw_decimal_parse(s, price);
    if (err) {
        cw_hold(err);
        return cw_errorf("%s: malformed answer %S", label.ptr, root.text);
    }
    if (cw_decimal_is_zero(*price)) return cw_errorf("%s: price is zero", label.ptr);
    return NULL;
}

static cw_error *pool_query(const lq_config *cfg, cw_u128 *deposits) {
    cw_json root;
    cw_str s;
    const char *what = "backstop pool query failed";
    CW_TRY(smart(cfg->backstop_pool, CW_LIT("{\"pool\":{}}"), &root, what));
    CW_TRY(member(root, "total_deposits", &s, what));
    cw_error *err = cw_u128_parse(s, deposits);
    if (err) {
        cw_hold(err);
        return cw_errorf("%s: malformed answer %S", what, root.text);
    }
    return NULL;
}

cw_u128 lq_pool_deposits(lq_ctx *c) {
    cw_u128 deposits = 0;
    if (!c->cfg.backstop_pool.len) return 0;
    cw_error *err = pool_query(&c->cfg, &deposits);
    if (!err) return deposits;
    cw_hold(err);
    cw_res_attr_c(c->res, "backstop_pool_unavailable", err->msg);
    return 0;
}

/* --- Curves ----------------------------------------------------------------------------------- */

cw_decimal lq_top_price(cw_decimal oracle, const lq_params *p) {
    return cw_decimal_mul_ceil(oracle, p->start_buffer);
}

cw_decimal lq_price_at(const lq_auction *a, const lq_params *p, uint64_t now) {
    uint64_t t = now > a->started_at ? now - a->started_at : 0;
    if (p->curve == LQ_LINEAR) {
        if (t >= p->duration) return cw_decimal_zero();
        return cw_decimal_raw(cw_u128_mul_div_floor(a->top.atomics, p->duration - t, p->duration));
    }
    cw_decimal27 factor =
        cw_decimal27_pow(cw_decimal27_from_decimal(p->cut), t / p->step, CW_ROUND_FLOOR);
    cw_decimal27 price = cw_decimal27_mul_floor(cw_decimal27_from_decimal(a->top), factor);
    return cw_decimal27_to_decimal_floor(price);
}

const char *lq_reset_reason(const lq_auction *a, const lq_params *p, uint64_t now,
                            const cw_decimal *oracle, cw_decimal price) {
    uint64_t t = now > a->started_at ? now - a->started_at : 0;
    cw_buf b = {0};
    if (t >= p->max_duration) {
        cw_buf_printf(&b, "ran %llus >= max_duration %llus", (unsigned long long)t,
                      (unsigned long long)p->max_duration);
    } else if (oracle) {
        cw_decimal floor_price = cw_decimal_mul_floor(*oracle, p->reset_threshold);
        if (!cw_decimal_lt(price, floor_price)) return NULL;
        cw_buf_printf(&b, "price %s < reset_threshold %s x oracle price %s = %s", lq_dstr(price),
                      lq_dstr(p->reset_threshold), lq_dstr(*oracle), lq_dstr(floor_price));
    } else {
        return NULL;
    }
    return cw_hold_buf(&b).ptr;
}

/* finalize (SOLVENCY.md §4 step 5): once the engine reports no debt left in positions or in
 * auctions, fix the stable supply (stable_token token_info) and the settlement's balance of every
 * collateral asset the engine lists (its markets, paginated, deduplicated) — SPEC.md §3. */
#include "settlement.h"

cw_error *sm_query_json(cw_str contract, cw_str msg, cw_json *answer) {
    cw_str text;
    CW_TRY(cw_query_wasm_smart(contract, msg, &text));
    cw_hold((void *)text.ptr);
    return cw_json_parse(text, answer);
}

static cw_error *malformed(const char *what, cw_json v) {
    return cw_errorf("malformed %s answer: %S", what, v.text);
}

/* A Uint128 string member of an engine or token answer. */
static cw_error *u128_member(cw_json obj, const char *key, const char *what, cw_u128 *out) {
    cw_json v = cw_json_get(obj, key);
    if (v.type != CW_JSON_STRING) return malformed(what, obj);
    cw_error *err = cw_u128_parse_json(v.text, out);
    if (!err) return NULL;
    cw_error_free(err);
    return malformed(what, obj);
}

static cw_error *check_shutdown(const sm_config *cfg) {
    cw_json s;
    CW_TRY(sm_query_json(cfg->engine, CW_LIT("{\"shutdown_status\":{}}"), &s));
    bool down = false;
    cw_json flag = cw_json_get(s, "shut_down");
    cw_u128 debt, auction;
    if (flag.type != CW_JSON_TRUE && flag.type != CW_JSON_FALSE)
        return malformed("shutdown_status", s);
    down = flag.type == CW_JSON_TRUE;
    CW_TRY(u128_member(s, "normalised_debt_outstanding", "shutdown_status", &debt));
    CW_TRY(u128_member(s, "auction_debt", "shutdown_status", &auction));
    if (!down) return cw_errorf("not ready: the engine is not shut down");
    if (debt)
        return cw_errorf("not ready: normalised debt outstanding %s (settle every position first)",
                         sm_u(debt));
    if (auction)
        return cw_errorf("not ready: auction debt %s (cancel every auction first)", sm_u(auction));
    return NULL;
}

/* Add one collateral {"asset","kind",…} unless already listed. */
static cw_error *add_asset(sm_ctx *c, cw_json col) {
    cw_json a = cw_json_get(col, "asset"), k = cw_json_get(col, "kind");
    if (a.type != CW_JSON_STRING || k.type != CW_JSON_STRING) return malformed("markets", col);
    cw_str asset, kind;
    bool owned = false;
    CW_TRY(cw_json_string(a, &asset, &owned));
    if (owned) cw_hold((void *)asset.ptr);
    CW_TRY(cw_json_string(k, &kind, &owned));
    if (owned) cw_hold((void *)kind.ptr);
    uint8_t kind_id = cw_str_eq_c(kind, "cw20") ? SM_CW20 : SM_NATIVE;
    if (kind_id == SM_NATIVE && !cw_str_eq_c(kind, "native")) return malformed("markets", col);
    for (uint64_t i = 0; i < c->status.n_assets; i++)
        if (cw_str_eq(c->assets[i].asset, asset)) return NULL;
    if (c->status.n_assets == SM_MAX_ASSETS)
        return cw_errorf("too many assets: the settlement records at most %d", SM_MAX_ASSETS);
    c->assets[c->status.n_assets++] = (sm_asset){asset, kind_id, 0, 0};
    return NULL;
}

/* Every collateral of every market, page by page ({"markets":{"start_after","limit"}}). */
static cw_error *collect_assets(sm_ctx *c) {
    cw_str last = {0};
    for (;;) {
        cw_buf q = {0};
        if (last.ptr)
            cw_buf_printf(&q, "{\"markets\":{\"start_after\":%J,\"limit\":%d}}", last, SM_PAGE);
        else
            cw_buf_printf(&q, "{\"markets\":{\"limit\":%d}}", SM_PAGE);
        cw_json answer;
        cw_error *err = sm_query_json(c->cfg.engine, cw_buf_view(&q), &answer);
        cw_buf_free(&q);
        if (err) return err;
        cw_json markets = cw_json_get(answer, "markets"), market;
        if (markets.type != CW_JSON_ARRAY) return malformed("markets", answer);
        cw_json_iter it = cw_json_iter_begin(markets);
        size_t n = 0;
        while (cw_json_next(&it, NULL, &market)) {
            cw_json id = cw_json_get(market, "id"), cols = cw_json_get(market, "collaterals"), col;
            bool owned = false;
            if (id.type != CW_JSON_STRING || cols.type != CW_JSON_ARRAY)
                return malformed("markets", market);
            CW_TRY(cw_json_string(id, &last, &owned));
            if (owned) cw_hold((void *)last.ptr);
            cw_json_iter ci = cw_json_iter_begin(cols);
            while (cw_json_next(&ci, NULL, &col)) CW_TRY(add_asset(c, col));
            n++;
        }
        if (n < SM_PAGE) return NULL;
    }
}

cw_error *sm_exec_finalize(sm_ctx *c) {
    if (c->status.finalized)
        return cw_errorf("already finalized: supply %s at %llu", sm_u(c->status.supply),
                         (unsigned long long)c->status.finalized_at);
    CW_TRY(check_shutdown(&c->cfg));
    cw_json info;
    CW_TRY(sm_query_json(c->cfg.stable_token, CW_LIT("{\"token_info\":{}}"), &info));
    CW_TRY(u128_member(info, "total_supply", "token_info", &c->status.supply));
    CW_TRY(collect_assets(c));
    cw_buf pools = {0};
    for (uint32_t i = 0; i < c->status.n_assets; i++) {
        sm_asset *a = &c->assets[i];
        CW_TRY(sm_balance_of(c->env, a->asset, a->kind, &a->pool));
        sm_asset_save(i, a);
        cw_buf_printf(&pools, "%s%S:%s", i ? "," : "", a->asset, sm_u(a->pool));
    }
    c->status.finalized = true;
    c->status.finalized_at = c->env->time_ns / 1000000000u;
    c->assets_loaded = true;
    cw_res_attr_c(c->res, "action", "finalize");
    cw_res_attr_u128(c->res, "supply", c->status.supply);
    cw_res_attr_u64(c->res, "assets", c->status.n_assets);
    if (pools.len) cw_res_attr(c->res, "pools", cw_buf_view(&pools));
    cw_buf_free(&pools);
    return NULL;
}

/* Queries: config, status (supply, redeemed, every asset's pool and paid), redemption (what
 * redeeming an amount now pays) and accounting (the stored ledger against the balances, with
 * whether the identity holds) — SPEC.md §6. */
#include "settlement.h"

static void key_u128(cw_jw *w, const char *key, cw_u128 v) {
    cw_jw_key(w, key);
    cw_jw_u128_str(w, v);
}

static void key_str(cw_jw *w, const char *key, cw_str s) {
    cw_jw_key(w, key);
    cw_jw_str(w, s);
}

/* The accounting answer (SPEC.md §6): before finalize nothing is recorded; after it, redeemed ≤
 * supply and per asset paid ≤ pool, pool − paid ≥ reserved (the unredeemed supply's share) and
 * pool − paid ≤ balance. O(assets) balance queries. */
static cw_error *write_accounting(cw_jw *w, const cw_env *env, const sm_status *s) {
    bool holds = s->finalized ? s->redeemed <= s->supply
                              : !s->supply && !s->redeemed && !s->n_assets && !s->finalized_at;
    cw_jw_key(w, "finalized");
    cw_jw_bool(w, s->finalized);
    key_u128(w, "supply", s->supply);
    key_u128(w, "redeemed", s->redeemed);
    cw_jw_key(w, "assets");
    cw_jw_arr_begin(w);
    for (uint32_t i = 0; i < s->n_assets; i++) {
        sm_asset a;
        cw_u128 balance, reserved = 0;
        sm_asset_load(i, &a);
        CW_TRY(sm_balance_of(env, a.asset, a.kind, &balance));
        if (s->redeemed <= s->supply) reserved = sm_share(s, &a, s->supply - s->redeemed);
        holds =
            holds && a.paid <= a.pool && a.pool - a.paid >= reserved && a.pool - a.paid <= balance;
        cw_jw_obj_begin(w);
        key_str(w, "asset", a.asset);
        cw_jw_key(w, "kind");
        cw_jw_cstr(w, a.kind == SM_CW20 ? "cw20" : "native");
        key_u128(w, "pool", a.pool);
        key_u128(w, "paid", a.paid);
        key_u128(w, "reserved", reserved);
        key_u128(w, "balance", balance);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_key(w, "identity_holds");
    cw_jw_bool(w, holds);
    cw_jw_obj_end(w);
    return NULL;
}

static const char *const QUERIES[] = {"config", "status", "redemption", "accounting", NULL};
static const cw_field AMOUNT[] = {CW_REQ(sm_msg, "amount", CW_KIND_U128, amount)};

cw_error *sm_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    size_t which;
    cw_json body;
    sm_msg m = {0};
    CW_TRY(cw_parse_enum(msg, QUERIES, &which, &body));
    CW_TRY(cw_parse_struct(body, AMOUNT, which == 2 ? 1 : 0, &m, sm_parse_value));
    sm_config cfg;
    sm_status s;
    CW_TRY(sm_config_load(&cfg));
    CW_TRY(sm_status_load(&s));
    cw_jw w;
    cw_jw_init(&w, answer);
    cw_jw_obj_begin(&w);
    if (which == 0) {
        key_str(&w, "engine", cfg.engine);
        key_str(&w, "stable_token", cfg.stable_token);
        cw_jw_obj_end(&w);
        return NULL;
    }
    if (which == 3) return write_accounting(&w, env, &s);
    if (which == 1) {
        cw_jw_key(&w, "finalized");
        cw_jw_bool(&w, s.finalized);
        key_u128(&w, "supply", s.supply);
        key_u128(&w, "redeemed", s.redeemed);
    } else if (!s.finalized) {
        return cw_errorf("not finalized: redemption opens after finalize");
    } else if (m.amount > s.supply - s.redeemed) {
        return cw_errorf("redemption exceeds the supply at finalize: redeemed %s + amount %s > "
                         "supply %s",
                         sm_u(s.redeemed), sm_u(m.amount), sm_u(s.supply));
    }
    cw_jw_key(&w, "assets");
    cw_jw_arr_begin(&w);
    for (uint32_t i = 0; i < s.n_assets; i++) {
        sm_asset a;
        sm_asset_load(i, &a);
        cw_jw_obj_begin(&w);
        key_str(&w, "asset", a.asset);
        if (which == 1) {
            cw_jw_key(&w, "kind");
            cw_jw_cstr(&w, a.kind == SM_CW20 ? "cw20" : "native");
            key_u128(&w, "pool", a.pool);
            key_u128(&w, "paid", a.paid);
        } else {
            key_u128(&w, "amount", sm_share(&s, &a, m.amount));
        }
        cw_jw_obj_end(&w);
    }
    cw_jw_arr_end(&w);
    cw_jw_obj_end(&w);
    return NULL;
}

/* Queries: config, status (supply, redeemed, every asset's pool and paid) and redemption (what
 * redeeming an amount now pays) — SPEC.md §6. */
#include "settlement.h"

static void key_u128(cw_jw *w, const char *key, cw_u128 v) {
    cw_jw_key(w, key);
    cw_jw_u128_str(w, v);
}

static void key_str(cw_jw *w, const char *key, cw_str s) {
    cw_jw_key(w, key);
    cw_jw_str(w, s);
}

static const char *const QUERIES[] = {"config", "status", "redemption", NULL};
static const cw_field AMOUNT[] = {CW_REQ(sm_msg, "amount", SM_U128, amount)};

cw_error *sm_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    size_t which;
    cw_json body;
    sm_msg m = {0};
    CW_TRY(sm_parse_enum(msg, QUERIES, &which, &body));
    CW_TRY(sm_parse_struct(body, AMOUNT, which == 2 ? 1 : 0, &m));
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

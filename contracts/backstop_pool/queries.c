/* Queries: config, pool (totals, P, epoch, scale, assets), deposit (compounded deposit and
 * gains of one depositor) and accounting (the identity's terms with balances) — SPEC.md §5. */
#include "pool.h"

static void key_u128(cw_jw *w, const char *key, cw_u128 v) {
    cw_jw_key(w, key);
    cw_jw_u128_str(w, v);
}

static void key_str(cw_jw *w, const char *key, cw_str s) {
    cw_jw_key(w, key);
    cw_jw_str(w, s);
}

static void asset_head(cw_jw *w, const bp_asset *a) {
    cw_jw_obj_begin(w);
    key_str(w, "asset", a->asset);
    cw_jw_key(w, "kind");
    cw_jw_cstr(w, a->kind == BP_NATIVE ? "native" : "cw20");
}

static void write_pool(cw_jw *w, const bp_state *s) {
    cw_jw_obj_begin(w);
    key_u128(w, "total_deposits", s->total_deposits);
    cw_jw_key(w, "depositors");
    cw_jw_u64(w, s->depositors);
    key_u128(w, "product", s->product);
    cw_jw_key(w, "epoch");
    cw_jw_u64(w, s->epoch);
    cw_jw_key(w, "scale");
    cw_jw_u64(w, s->scale);
    cw_jw_key(w, "assets");
    cw_jw_arr_begin(w);
    for (uint32_t id = 0; id < s->n_assets; id++) {
        bp_asset a;
        bp_asset_load(id, &a);
        asset_head(w, &a);
        key_u128(w, "total_gains", a.received - a.paid);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
}

static cw_error *write_deposit(cw_jw *w, const bp_state *s, cw_str address) {
    bp_deposit d;
    bp_deposit_load(address, &d);
    cw_u128 compounded, gains[BP_MAX_ASSETS];
    CW_TRY(bp_position_of(s, &d, &compounded, gains));
    cw_jw_obj_begin(w);
    key_u128(w, "deposit", d.amount);
    key_u128(w, "compounded_deposit", compounded);
    cw_jw_key(w, "gains");
    cw_jw_arr_begin(w);
    for (uint32_t id = 0; id < s->n_assets; id++) {
        bp_asset a;
        bp_asset_load(id, &a);
        cw_jw_obj_begin(w);
        key_str(w, "asset", a.asset);
        key_u128(w, "amount", gains[id]);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return NULL;
}

static cw_error *write_accounting(cw_jw *w, const cw_env *env, const bp_config *cfg,
                                  const bp_state *s) {
    cw_u128 stable;
    CW_TRY(bp_balance_of(env, cfg->stable_token, BP_CW20, &stable));
    bool holds =
        s->total_deposits + s->withdrawn + s->spent == s->deposited && s->total_deposits <= stable;
    cw_jw_obj_begin(w);
    key_u128(w, "total_deposits", s->total_deposits);
    key_u128(w, "deposited", s->deposited);
    key_u128(w, "withdrawn", s->withdrawn);
    key_u128(w, "spent", s->spent);
    key_u128(w, "stable_balance", stable);
    cw_jw_key(w, "assets");
    cw_jw_arr_begin(w);
    for (uint32_t id = 0; id < s->n_assets; id++) {
        bp_asset a;
        cw_u128 balance;
        bp_asset_load(id, &a);
        CW_TRY(bp_balance_of(env, a.asset, a.kind, &balance));
        holds = holds && a.paid <= a.received && a.received - a.paid <= balance;
        asset_head(w, &a);
        key_u128(w, "received", a.received);
        key_u128(w, "paid", a.paid);
        key_u128(w, "held", a.received - a.paid);
        key_u128(w, "balance", balance);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_key(w, "identity_holds");
    cw_jw_bool(w, holds);
    cw_jw_obj_end(w);
    return NULL;
}

static const char *const QUERIES[] = {"config", "pool", "deposit", "accounting", NULL};
static const cw_field Q_ADDRESS[] = {CW_REQ(bp_msg, "address", CW_KIND_ADDR, address)};

cw_error *bp_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    size_t which;
    cw_json body;
    bp_msg m = {0};
    CW_TRY(cw_parse_enum(msg, QUERIES, &which, &body));
    CW_TRY(cw_parse_struct(body, Q_ADDRESS, which == 2 ? 1 : 0, &m, bp_parse_value));
    bp_config cfg;
    bp_state s;
    CW_TRY(bp_config_load(&cfg));
    CW_TRY(bp_state_load(&s));
    cw_jw w;
    cw_jw_init(&w, answer);
    switch (which) {
    case 0:
        cw_jw_obj_begin(&w);
        key_str(&w, "governance", cfg.governance);
        key_str(&w, "stable_token", cfg.stable_token);
        key_str(&w, "engine", cfg.engine);
        key_str(&w, "liquidator", cfg.liquidator);
        cw_jw_obj_end(&w);
        return NULL;
    case 1:
        write_pool(&w, &s);
        return NULL;
    case 2:
        return write_deposit(&w, &s, m.address);
    default:
        return write_accounting(&w, env, &cfg, &s);
    }
}

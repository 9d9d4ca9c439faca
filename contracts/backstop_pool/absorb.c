/* Absorption (SOLVENCY.md §2 step 5): the liquidator hands the pool a collateral lot and the
 * debt it covers; the pool sends that much of its deposits' stable to the engine with the
 * auction_proceeds hook and shares the collateral among depositors pro rata (SPEC.md §2.3). */
#include "pool.h"

static cw_error *parse_kind(cw_str kind, uint8_t *out) {
    if (cw_str_eq_c(kind, "native"))
        *out = BP_NATIVE;
    else if (cw_str_eq_c(kind, "cw20"))
        *out = BP_CW20;
    else
        return cw_errorf("invalid kind `%S`: expected `native` or `cw20`", kind);
    return NULL;
}

/* Native lots arrive as the call's funds (exactly the lot); CW20 lots were transferred before
 * the call, which the balance check in bp_finish confirms. */
static cw_error *check_funds(const bp_ctx *c, const bp_msg *m, uint8_t kind) {
    const cw_info *info = c->info;
    bool exact = kind == BP_NATIVE && m->amount
                     ? info->n_funds == 1 && cw_str_eq(info->funds[0].denom, m->asset) &&
                           info->funds[0].amount == m->amount
                     : info->n_funds == 0;
    if (exact) return NULL;
    cw_buf got = {0};
    for (size_t i = 0; i < info->n_funds; i++)
        cw_buf_printf(&got, "%s%s%S", i ? "," : "", bp_u(info->funds[i].amount),
                      info->funds[i].denom);
    cw_error *e = cw_errorf("funds mismatch: expected %s%S, got %S",
                            kind == BP_NATIVE && m->amount ? bp_u(m->amount) : "no funds",
                            kind == BP_NATIVE && m->amount ? m->asset : CW_LIT(""),
                            got.len ? cw_buf_view(&got) : CW_LIT("none"));
    cw_buf_free(&got);
    return e;
}

/* The asset's record (created with the next id the first time it is absorbed). */
static cw_error *asset_for(bp_ctx *c, cw_str name, uint8_t kind, bp_asset **out) {
    bp_asset found;
    if (bp_asset_find(name, &found)) {
        bp_asset *a = bp_asset_at(c, found.id);
        if (a->kind != kind)
            return cw_errorf("asset %S is %s in the pool, not %s", name,
                             a->kind == BP_NATIVE ? "native" : "cw20",
                             kind == BP_NATIVE ? "native" : "cw20");
        *out = a;
        return NULL;
    }
    if (c->state.n_assets >= BP_MAX_ASSETS)
        return cw_errorf("too many assets: the pool holds at most %d", BP_MAX_ASSETS);
    uint32_t id = (uint32_t)c->state.n_assets++;
    c->assets[id] = (bp_asset){.id = id, .asset = name, .kind = kind, .touched = true};
    c->loaded[id] = true;
    *out = &c->assets[id];
    return NULL;
}

cw_error *bp_exec_absorb(bp_ctx *c, const bp_msg *m) {
    if (!cw_str_eq(c->info->sender, c->cfg.liquidator))
        return cw_errorf("unauthorized: liquidator only (sender %S)", c->info->sender);
    uint8_t kind;
    CW_TRY(parse_kind(m->kind, &kind));
    if (m->market.len == 0 || m->asset.len == 0) return cw_errorf("empty market or asset");
    if (cw_str_eq(m->asset, c->cfg.stable_token))
        return cw_errorf("invalid asset: the stablecoin cannot be absorbed as collateral");
    if (kind == BP_CW20) CW_TRY(cw_addr_validate(m->asset));
    CW_TRY(check_funds(c, m, kind));
    if (m->debt == 0) return cw_errorf("zero amount: debt");
    bp_state *s = &c->state;
    if (s->depositors == 0)
        return cw_errorf("insufficient deposits: debt %s > total deposits %s (no depositors)",
                         bp_u(m->debt), bp_u(s->total_deposits));
    if (m->debt > s->total_deposits)
        return cw_errorf("insufficient deposits: debt %s > total deposits %s", bp_u(m->debt),
                         bp_u(s->total_deposits));
    bp_asset *a;
    CW_TRY(asset_for(c, m->asset, kind, &a));
    a->received = cw_u128_add(a->received, m->amount);
    c->received_now[a->id] = m->amount;
    CW_TRY(bp_absorb_update(s, a->id, m->amount, m->debt));
    s->spent = cw_u128_add(s->spent, m->debt);
    bp_send_to_engine(c, m->market, m->debt);
    cw_res_attr_c(c->res, "action", "absorb");
    cw_res_attr(c->res, "market", m->market);
    cw_res_attr(c->res, "asset", m->asset);
    cw_res_attr(c->res, "kind", m->kind);
    cw_res_attr_u128(c->res, "amount", m->amount);
    cw_res_attr_u128(c->res, "debt", m->debt);
    cw_res_attr_u128(c->res, "product", s->product);
    cw_res_attr_u64(c->res, "epoch", s->epoch);
    cw_res_attr_u64(c->res, "scale", s->scale);
    return NULL;
}

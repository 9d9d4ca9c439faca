/* The accounting identity (SPEC.md §7): the per-call ledger of mints, burns, normalised-debt and
 * collateral movements, the messages that move stable, and the O(1) check run before every
 * execute returns; plus the {"accounting":{}} query. */
#include "engine.h"

/* --- Held totals (Map "held" asset → kind, Σ totals over markets) -------------------------- */

static cw_u128 held_load(cw_str asset) {
    cw_str v;
    if (!ve_load(ve_key1("held", asset), &v)) return 0;
    ve_rd r = {v, 0};
    ve_get_u64(&r);
    return ve_get_u128(&r);
}

static void held_save(cw_str asset, uint8_t kind, cw_u128 amount) {
    cw_buf b = {0};
    ve_put_u64(&b, kind);
    ve_put_u128(&b, amount);
    cw_db_write(ve_key1("held", asset), cw_buf_view(&b));
    cw_buf_free(&b);
}

ve_flow *ve_flow_for(ve_ctx *c, cw_str asset, uint8_t kind) {
    ve_ledger *l = &c->ledger;
    for (uint32_t i = 0; i < l->n_flows; i++)
        if (cw_str_eq(l->flows[i].asset, asset)) return &l->flows[i];
    if (l->n_flows == VE_MAX_BASKET + 1) cw_abort("vault_engine: too many assets in one call");
    ve_flow *f = &l->flows[l->n_flows++];
    *f = (ve_flow){0};
    f->asset = asset;
    f->kind = kind;
    f->held_before = f->held = held_load(asset);
    return f;
}

/* --- Stable messages ------------------------------------------------------------------------ */

static void stable_exec(ve_ctx *c, const char *fmt, cw_str who, cw_u128 amount) {
    cw_buf inner = {0}, msg = {0};
    cw_buf_printf(&inner, fmt, who, ve_u(amount));
    cw_msg_wasm_execute(&msg, c->cfg.stable_token, cw_buf_view(&inner), NULL, 0);
    cw_res_message(c->res, cw_buf_view(&msg));
    cw_buf_free(&inner);
    cw_buf_free(&msg);
}

void ve_emit_mint(ve_ctx *c, cw_str recipient, cw_u128 amount) {
    stable_exec(c, "{\"mint\":{\"recipient\":\"%S\",\"amount\":\"%s\"}}", recipient, amount);
    c->ledger.minted = cw_u128_add(c->ledger.minted, amount);
}

void ve_emit_burn(ve_ctx *c, cw_u128 amount) {
    stable_exec(c, "{\"burn\":{%S\"amount\":\"%s\"}}", CW_LIT(""), amount);
    c->ledger.burned = cw_u128_add(c->ledger.burned, amount);
}

void ve_emit_stable_transfer(ve_ctx *c, cw_str recipient, cw_u128 amount) {
    stable_exec(c, "{\"transfer\":{\"recipient\":\"%S\",\"amount\":\"%s\"}}", recipient, amount);
}

/* --- The check ------------------------------------------------------------------------------ */

static cw_error *violated(const char *what, cw_u128 a, cw_u128 b) {
    return cw_errorf("accounting identity violated: %s (%s != %s)", what, ve_u(a), ve_u(b));
}

/* The engine's balance of an asset: bank balance or CW20 {"balance":{"address"}}. */
static cw_error *balance_of(ve_ctx *c, cw_str asset, uint8_t kind, cw_u128 *out) {
    cw_str self = c->env->contract_address;
    if (kind == VE_NATIVE) return cw_query_bank_balance(self, asset, out);
    cw_buf q = {0};
    cw_buf_printf(&q, "{\"balance\":{\"address\":\"%S\"}}", self);
    cw_str answer;
    cw_error *err = cw_query_wasm_smart(asset, cw_buf_view(&q), &answer);
    cw_buf_free(&q);
    if (err) return err;
    cw_hold((void *)answer.ptr);
    cw_json root;
    CW_TRY(cw_json_parse(answer, &root));
    return cw_u128_parse_json(cw_json_get(root, "balance").text, out);
}

static cw_error *check_collateral(ve_ctx *c) {
    ve_ledger *l = &c->ledger;
    for (uint32_t i = 0; i < c->n_colls; i++) {
        ve_collateral *col = &c->colls[i];
        if (col->dirty) ve_collateral_save(col);
        ve_flow none = {0}, *f = &none;
        for (uint32_t k = 0; k < l->n_flows; k++)
            if (cw_str_eq(l->flows[k].asset, col->asset)) f = &l->flows[k];
        /* I3: Δtotal == Σ Δ position holdings == received − sent (unsigned form). */
        if (col->total + f->pos_minus != col->total_before + f->pos_plus)
            return violated("collateral total vs positions", col->total + f->pos_minus,
                            col->total_before + f->pos_plus);
        if (f->received + f->pos_minus != f->sent + f->pos_plus)
            return violated("collateral moved vs positions", f->received + f->pos_minus,
                            f->sent + f->pos_plus);
        if (f != &none) f->held = cw_u128_sub(cw_u128_add(f->held, col->total), col->total_before);
    }
    /* I4: what the engine holds covers the recorded collateral after this call's sends. */
    for (uint32_t k = 0; k < l->n_flows; k++) {
        ve_flow *f = &l->flows[k];
        held_save(f->asset, f->kind, f->held);
        cw_u128 balance;
        CW_TRY(balance_of(c, f->asset, f->kind, &balance));
        if (cw_u128_saturating_add(f->held, f->sent) > balance)
            return cw_errorf("accounting identity violated: %S held %s + sending %s > balance %s",
                             f->asset, ve_u(f->held), ve_u(f->sent), ve_u(balance));
    }
    return NULL;
}

/* I1' (SOLVENCY.md §3): the debt side and the backing side of the ledger. */
static cw_u128 ve_claims(const ve_totals *t) {
    return t->total_debt + t->auction_debt + t->bad_debt + t->spent + t->settled + t->burned;
}

static cw_u128 ve_backing(const ve_totals *t) {
    return t->minted + t->surplus + t->redeemed;
}

static cw_error *check_debt(ve_ctx *c) {
    const ve_ledger *l = &c->ledger;
    const ve_totals *t = &c->totals, *b = &l->totals_before;
    /* I1' on the stored totals. */
    if (ve_claims(t) != ve_backing(t))
        return violated("I1' debt side vs minted + surplus + redeemed", ve_claims(t),
                        ve_backing(t));
    /* Each treasury term moved exactly as the call's operations say. */
    if (t->auction_debt + l->covered + l->written_off + l->cancelled != b->auction_debt + l->seized)
        return violated("auction debt vs seized - covered - written off - cancelled",
                        t->auction_debt + l->covered + l->written_off + l->cancelled,
                        b->auction_debt + l->seized);
    if (t->bad_debt != b->bad_debt + l->bad_debt)
        return violated("bad debt vs write-offs", t->bad_debt, b->bad_debt + l->bad_debt);
    if (t->spent != b->spent + l->rewards)
        return violated("spent vs keeper rewards", t->spent, b->spent + l->rewards);
    if (t->settled != b->settled + l->settled)
        return violated("settled vs settlements", t->settled, b->settled + l->settled);
    if (t->redeemed != b->redeemed) return violated("redeemed", t->redeemed, b->redeemed);
    if (t->minted != b->minted + l->minted)
        return violated("minted vs mint messages", t->minted, b->minted + l->minted);
    if (t->burned != b->burned + l->burned)
        return violated("burned vs burn messages", t->burned, b->burned + l->burned);
    if (t->surplus < b->surplus) return violated("surplus decreased", t->surplus, b->surplus);
    if (!c->has_market) {
        if (t->total_debt != b->total_debt || l->dn_plus || l->dn_minus)
            return violated("debt changed without a market", t->total_debt, b->total_debt);
        return NULL;
    }
    const ve_market *mk = &c->market;
    cw_u128 recomputed = ve_debt_of(mk->normalised_debt, mk->accumulator);
    if (mk->debt != recomputed) return violated("market debt vs ceil(N*A)", mk->debt, recomputed);
    /* I2: ΔN == Σ Δn written to positions. */
    if (mk->normalised_debt + l->dn_minus != l->n_before + l->dn_plus)
        return violated("normalised debt vs positions", mk->normalised_debt + l->dn_minus,
                        l->n_before + l->dn_plus);
    if (mk->auction_debt + b->auction_debt != l->auction_before + t->auction_debt)
        return violated("auction debt vs market auction debt", mk->auction_debt + b->auction_debt,
                        l->auction_before + t->auction_debt);
    if (t->total_debt + l->d_before != b->total_debt + mk->debt)
        return violated("total debt vs market debt", t->total_debt + l->d_before,
                        b->total_debt + mk->debt);
    if (t->surplus + l->surplus_before != b->surplus + mk->surplus)
        return violated("surplus vs market surplus", t->surplus + l->surplus_before,
                        b->surplus + mk->surplus);
    return NULL;
}

cw_error *ve_finish(ve_ctx *c) {
    if (c->has_market) {
        ve_market_save(&c->market);
        if (c->accrued) {
            char acc[CW_DECIMAL27_STR_MAX];
            cw_decimal27_to_str(c->market.accumulator, acc);
            cw_res_attr_u128(c->res, "accrued_fees", c->accrued);
            cw_res_attr_c(c->res, "accumulator", acc);
        }
    }
    ve_totals_save(&c->totals);
    CW_TRY(check_collateral(c));
    return check_debt(c);
}

/* --- Query ---------------------------------------------------------------------------------- */

cw_error *ve_query_accounting(const cw_env *env, cw_jw *w) {
    ve_totals t;
    CW_TRY(ve_totals_load(&t));
    cw_jw_obj_begin(w);
    cw_jw_key(w, "total_debt");
    cw_jw_u128_str(w, t.total_debt);
    cw_jw_key(w, "minted");
    cw_jw_u128_str(w, t.minted);
    cw_jw_key(w, "burned");
    cw_jw_u128_str(w, t.burned);
    cw_jw_key(w, "surplus");
    cw_jw_u128_str(w, t.surplus);
    const char *const names[] = {"auction_debt", "bad_debt", "spent", "settled", "redeemed"};
    const cw_u128 *terms[] = {&t.auction_debt, &t.bad_debt, &t.spent, &t.settled, &t.redeemed};
    for (int i = 0; i < 5; i++) {
        cw_jw_key(w, names[i]);
        cw_jw_u128_str(w, *terms[i]);
    }
    bool holds = ve_claims(&t) == ve_backing(&t);
    cw_u128 sum = 0, auctions = 0;
    cw_jw_key(w, "markets");
    cw_jw_arr_begin(w);
    cw_range r;
    cw_str key, value;
    cw_map_range_begin(&r, "market", NULL, 0, NULL);
    while (cw_range_next(&r, &key, &value)) {
        ve_market mk;
        cw_buf id = {0};
        cw_buf_put_str(&id, key);
        CW_TRY(ve_market_load(cw_hold_buf(&id), &mk));
        cw_u128 re = ve_debt_of(mk.normalised_debt, mk.accumulator);
        holds = holds && re == mk.debt;
        sum += mk.debt;
        auctions += mk.auction_debt;
        cw_jw_obj_begin(w);
        cw_jw_key(w, "id");
        cw_jw_str(w, mk.id);
        cw_jw_key(w, "normalised_debt");
        cw_jw_u128_str(w, mk.normalised_debt);
        cw_jw_key(w, "accumulator");
        ve_write_d27(w, mk.accumulator);
        cw_jw_key(w, "debt");
        cw_jw_u128_str(w, mk.debt);
        cw_jw_key(w, "debt_recomputed");
        cw_jw_u128_str(w, re);
        cw_jw_key(w, "auction_debt");
        cw_jw_u128_str(w, mk.auction_debt);
        cw_jw_obj_end(w);
    }
    cw_range_end(&r);
    cw_jw_arr_end(w);
    holds = holds && sum == t.total_debt && auctions == t.auction_debt;
    cw_jw_key(w, "assets");
    cw_jw_arr_begin(w);
    cw_map_range_begin(&r, "held", NULL, 0, NULL);
    while (cw_range_next(&r, &key, &value)) {
        ve_rd rd = {value, 0};
        uint8_t kind = (uint8_t)ve_get_u64(&rd);
        cw_u128 held = ve_get_u128(&rd), balance;
        cw_buf a = {0};
        cw_buf_put_str(&a, key);
        cw_str asset = cw_hold_buf(&a);
        cw_jw_obj_begin(w);
        cw_jw_key(w, "asset");
        cw_jw_str(w, asset);
        cw_jw_key(w, "held");
        cw_jw_u128_str(w, held);
        ve_ctx q = {0};
        q.env = env;
        CW_TRY(balance_of(&q, asset, kind, &balance));
        holds = holds && held <= balance;
        cw_jw_key(w, "balance");
        cw_jw_u128_str(w, balance);
        cw_jw_key(w, "unrecorded");
        cw_jw_u128_str(w, balance > held ? balance - held : 0);
        cw_jw_obj_end(w);
    }
    cw_range_end(&r);
    cw_jw_arr_end(w);
    cw_jw_key(w, "identity_holds");
    cw_jw_bool(w, holds);
    cw_jw_obj_end(w);
    return NULL;
}

/* The accounting identity (SPEC.md §8): the per-call ledger of debt and collateral moved by
 * messages, the stored per-market debt totals and per-asset held totals updated from it, and
 * the O(1) check run before every execute returns: the touched market's and asset's totals
 * move exactly as the touched auction does, and what is held stays covered by the balance. */
#include "liquidator.h"

/* --- Stored totals -----------------------------------------------------------------------------
 */

cw_error *lq_market_total_load(cw_str market, lq_market_total *t) {
    cw_str v;
    *t = (lq_market_total){0};
    if (!lq_load(lq_key("market_debt", market), &v)) return NULL;
    cw_record r = {v, 0};
    t->debt = cw_record_get_u128(&r);
    t->live = cw_record_get_u64(&r);
    return NULL;
}

static void market_total_save(cw_str market, const lq_market_total *t) {
    cw_buf b = {0};
    cw_record_put_u128(&b, t->debt);
    cw_record_put_u64(&b, t->live);
    cw_db_write(lq_key("market_debt", market), cw_buf_view(&b));
    cw_buf_free(&b);
}

cw_u128 lq_held_load(cw_str asset, uint64_t *kind, bool *found) {
    cw_str v;
    *found = lq_load(lq_key("held", asset), &v);
    if (!*found) return 0;
    cw_record r = {v, 0};
    *kind = cw_record_get_u64(&r);
    return cw_record_get_u128(&r);
}

static void held_save(cw_str asset, uint64_t kind, cw_u128 held) {
    cw_buf b = {0};
    cw_record_put_u64(&b, kind);
    cw_record_put_u128(&b, held);
    cw_db_write(lq_key("held", asset), cw_buf_view(&b));
    cw_buf_free(&b);
}

/* Item "totals": Σ over markets (debt in auction, live auctions). */
static lq_market_total totals_load(void) {
    cw_str v;
    lq_market_total t = {0};
    if (!lq_load(CW_LIT("totals"), &v)) return t;
    cw_record r = {v, 0};
    t.debt = cw_record_get_u128(&r);
    t.live = cw_record_get_u64(&r);
    return t;
}

static void totals_save(const lq_market_total *t) {
    cw_buf b = {0};
    cw_record_put_u128(&b, t->debt);
    cw_record_put_u64(&b, t->live);
    cw_db_write(CW_LIT("totals"), cw_buf_view(&b));
    cw_buf_free(&b);
}

cw_error *lq_balance_of(const cw_env *env, cw_str asset, uint64_t kind, cw_u128 *out) {
    cw_str self = env->contract_address;
    if (kind == LQ_NATIVE) return cw_query_bank_balance(self, asset, out);
    cw_buf q = {0};
    cw_buf_printf(&q, "{\"balance\":{\"address\":%J}}", self);
    cw_str answer;
    cw_error *err = cw_query_wasm_smart(asset, cw_buf_view(&q), &answer);
    cw_buf_free(&q);
    if (err) return err;
    cw_hold((void *)answer.ptr);
    cw_json root;
    CW_TRY(cw_json_parse(answer, &root));
    return cw_u128_parse_json(cw_json_get(root, "balance").text, out);
}

/* --- The call's market and asset ----------------------------------------------------------------
 */

void lq_touch(lq_ctx *c, cw_str market, cw_str asset, uint64_t kind) {
    lq_ledger *l = &c->ledger;
    if (l->has_market) {
        if (!cw_str_eq(l->market, market) || !cw_str_eq(l->asset, asset))
            cw_abort("liquidator: two markets or assets in one call");
        return;
    }
    l->has_market = l->has_asset = true;
    l->market = market;
    l->asset = asset;
    l->kind = kind;
}

/* --- The check -----------------------------------------------------------------------------------
 */

static cw_error *violated(const char *what, cw_u128 a, cw_u128 b) {
    return cw_errorf("accounting identity violated: %s (%s != %s)", what, lq_u(a), lq_u(b));
}

cw_error *lq_finish(lq_ctx *c) {
    const lq_ledger *l = &c->ledger;
    if (!l->has_market) {
        if (l->debt_in || l->debt_out || l->lot_in || l->lot_out || l->live_delta)
            return violated("debt or collateral moved without an auction", l->debt_out, l->debt_in);
        return NULL;
    }
    /* I1: the market's debt in auction moves by what messages brought in and took out, and
     * that equals the touched auction's change. */
    lq_market_total before, after, tot = totals_load();
    CW_TRY(lq_market_total_load(l->market, &before));
    cw_u128 plus = before.debt + l->debt_in;
    if (plus < l->debt_out) return violated("market debt below zero", plus, l->debt_out);
    after.debt = plus - l->debt_out;
    after.live = before.live + (uint64_t)l->live_delta;
    if (after.debt + l->auction_debt_before != before.debt + l->auction_debt_after)
        return violated("market debt vs auction debt", after.debt + l->auction_debt_before,
                        before.debt + l->auction_debt_after);
    tot.debt = tot.debt + after.debt - before.debt;
    tot.live = tot.live + after.live - before.live;
    market_total_save(l->market, &after);
    totals_save(&tot);
    /* I2: the asset's held total moves by the collateral received and sent, equal to the
     * auction's lot change; held plus what this call sends never exceeds the balance. */
    uint64_t kind;
    bool found;
    cw_u128 held_before = lq_held_load(l->asset, &kind, &found);
    if (found && kind != l->kind) cw_abort("liquidator: asset kind changed");
    cw_u128 in = held_before + l->lot_in;
    if (in < l->lot_out) return violated("held below zero", in, l->lot_out);
    cw_u128 held = in - l->lot_out, balance;
    if (held + l->auction_lot_before != held_before + l->auction_lot_after)
        return violated("held vs auction lot", held + l->auction_lot_before,
                        held_before + l->auction_lot_after);
    held_save(l->asset, l->kind, held);
    CW_TRY(lq_balance_of(c->env, l->asset, l->kind, &balance));
    if (cw_u128_saturating_add(held, l->lot_out) > balance)
        return cw_errorf("accounting identity violated: %S held %s + sending %s > balance %s",
                         l->asset, lq_u(held), lq_u(l->lot_out), lq_u(balance));
    return NULL;
}

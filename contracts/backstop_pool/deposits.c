/* Depositors: deposits through the stable_token Receive hook, withdrawals and claims. Every
 * touch settles the deposit first — its collateral gains are paid and the compounded deposit
 * becomes the new deposit with a fresh snapshot (SPEC.md §2, §3). */
#include "pool.h"

/* Pay the deposit's gains of every asset to `owner`; *compounded = its compounded deposit. */
static cw_error *settle(bp_ctx *c, cw_str owner, const bp_deposit *d, cw_u128 *compounded) {
    *compounded = bp_compounded(&c->state, d);
    for (uint32_t id = 0; id < c->state.n_assets; id++) {
        cw_u128 gain;
        CW_TRY(bp_gain(d, id, &gain));
        if (gain) bp_pay_collateral(c, bp_asset_at(c, id), owner, gain);
    }
    return NULL;
}

/* Keep `amount` as the owner's deposit with a fresh snapshot; remove the record at 0. */
static void restake(bp_ctx *c, cw_str owner, bp_deposit *d, cw_u128 amount) {
    if (amount == 0) {
        if (d->found) {
            bp_deposit_remove(owner);
            c->state.depositors--;
        }
    } else {
        if (!d->found) c->state.depositors++;
        d->amount = amount;
        bp_snapshot_take(&c->state, d);
        bp_deposit_save(owner, d);
    }
    cw_res_attr_u128(c->res, "deposit", amount);
}

static void begin(bp_ctx *c, const char *action, cw_str depositor) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "depositor", depositor);
}

cw_error *bp_deposit_received(bp_ctx *c, cw_str depositor, cw_u128 amount) {
    if (amount == 0) return cw_errorf("zero amount");
    bp_deposit d;
    cw_u128 compounded;
    bp_deposit_load(depositor, &d);
    begin(c, "deposit", depositor);
    CW_TRY(settle(c, depositor, &d, &compounded));
    c->state.total_deposits = cw_u128_add(c->state.total_deposits, amount);
    c->state.deposited = cw_u128_add(c->state.deposited, amount);
    c->stable_in = amount;
    cw_res_attr_u128(c->res, "amount", amount);
    cw_res_attr_u128(c->res, "compounded_deposit", compounded);
    restake(c, depositor, &d, cw_u128_add(compounded, amount));
    return NULL;
}

static cw_error *load_own(bp_ctx *c, bp_deposit *d) {
    if (!bp_deposit_load(c->info->sender, d))
        return cw_errorf("no deposit: %S has nothing in the pool", c->info->sender);
    return NULL;
}

cw_error *bp_exec_withdraw(bp_ctx *c, const bp_msg *m) {
    bp_deposit d;
    cw_u128 compounded;
    cw_str owner = c->info->sender;
    if (m->has_amount && m->amount == 0) return cw_errorf("zero amount");
    CW_TRY(load_own(c, &d));
    begin(c, "withdraw", owner);
    CW_TRY(settle(c, owner, &d, &compounded));
    cw_u128 paid = m->has_amount && m->amount < compounded ? m->amount : compounded;
    if (paid) {
        bp_pay_stable(c, owner, paid);
        c->state.total_deposits = cw_u128_sub(c->state.total_deposits, paid);
        c->state.withdrawn = cw_u128_add(c->state.withdrawn, paid);
    }
    cw_res_attr_u128(c->res, "amount", paid);
    cw_res_attr_u128(c->res, "compounded_deposit", compounded);
    restake(c, owner, &d, compounded - paid);
    return NULL;
}

cw_error *bp_exec_claim(bp_ctx *c, const bp_msg *m) {
    (void)m;
    bp_deposit d;
    cw_u128 compounded;
    cw_str owner = c->info->sender;
    CW_TRY(load_own(c, &d));
    begin(c, "claim", owner);
    CW_TRY(settle(c, owner, &d, &compounded));
    cw_res_attr_u128(c->res, "compounded_deposit", compounded);
    restake(c, owner, &d, compounded);
    return NULL;
}

cw_error *bp_position_of(const bp_state *s, const bp_deposit *d, cw_u128 *compounded,
                         cw_u128 *gains) {
    *compounded = bp_compounded(s, d);
    for (uint32_t id = 0; id < s->n_assets; id++) CW_TRY(bp_gain(d, id, &gains[id]));
    return NULL;
}

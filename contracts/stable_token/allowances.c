/* Allowances: increase/decrease by the owner, and spending them with transfer_from, send_from
 * and burn_from. cw20-base allowances.rs semantics (SPEC.md §4); every change is written to
 * both the owner-keyed map and its spender-keyed mirror. */
#include "token.h"

/* increase_allowance / decrease_allowance {spender, amount, expires?}. Increase: add to the
 * allowance (missing = 0, never expiring). Decrease: the entry must exist; an amount below it
 * is subtracted, anything else deletes the entry (without the expiry check). A new `expires`,
 * when given, must not be expired already. */
static cw_error *change_allowance(st_ctx *c, const st_msg *m, bool increase) {
    CW_TRY(cw_addr_validate(m->who));
    if (cw_str_eq(m->who, c->info->sender)) return cw_errorf("Cannot set to own account");
    st_allowance a;
    bool found;
    CW_TRY(st_allowance_load(c->info->sender, m->who, &a, &found));
    if (!increase && !found) return cw_errorf("cw20::query::AllowanceResponse not found");
    if (!increase && m->amount >= a.allowance) {
        st_allowance_remove(c->info->sender, m->who);
    } else {
        if (m->has_expires) {
            if (st_expired(&m->expires, c->env)) return cw_errorf("Invalid expiration value");
            a.expires = m->expires;
        }
        if (!increase)
            a.allowance -= m->amount;
        else if (a.allowance + m->amount < a.allowance)
            cw_abort("attempt to add with overflow (allowance)");
        else
            a.allowance += m->amount;
        st_allowance_save(c->info->sender, m->who, &a);
    }
    cw_res_attr_c(c->res, "action", increase ? "increase_allowance" : "decrease_allowance");
    cw_res_attr(c->res, "owner", c->info->sender);
    cw_res_attr(c->res, "spender", m->who);
    cw_res_attr_u128(c->res, "amount", m->amount);
    return NULL;
}

cw_error *st_exec_increase_allowance(st_ctx *c, const st_msg *m) {
    return change_allowance(c, m, true);
}

cw_error *st_exec_decrease_allowance(st_ctx *c, const st_msg *m) {
    return change_allowance(c, m, false);
}

/* cw20-base's deduct_allowance: the sender spends `amount` of owner's allowance. */
static cw_error *deduct_allowance(st_ctx *c, cw_str owner, cw_u128 amount) {
    st_allowance a;
    bool found;
    CW_TRY(st_allowance_load(owner, c->info->sender, &a, &found));
    if (!found) return cw_errorf("No allowance for this account");
    if (st_expired(&a.expires, c->env)) return cw_errorf("Allowance is expired");
    if (a.allowance < amount)
        return cw_errorf("Overflow: Cannot Sub with %Q and %Q", a.allowance, amount);
    a.allowance -= amount;
    st_allowance_save(owner, c->info->sender, &a);
    return NULL;
}

/* transfer_from and send_from: validate recipient then owner, spend, move, report. */
static cw_error *move_from(st_ctx *c, const st_msg *m, const char *action) {
    CW_TRY(cw_addr_validate(m->to));
    CW_TRY(cw_addr_validate(m->who));
    CW_TRY(deduct_allowance(c, m->who, m->amount));
    CW_TRY(st_debit(&c->ledger, m->who, m->amount));
    CW_TRY(st_credit(&c->ledger, m->to, m->amount));
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "from", m->who);
    cw_res_attr(c->res, "to", m->to);
    cw_res_attr(c->res, "by", c->info->sender);
    cw_res_attr_u128(c->res, "amount", m->amount);
    return NULL;
}

/* {owner, recipient, amount} */
cw_error *st_exec_transfer_from(st_ctx *c, const st_msg *m) {
    return move_from(c, m, "transfer_from");
}

/* {owner, contract, amount, msg}: the hook names the spender as sender. */
cw_error *st_exec_send_from(st_ctx *c, const st_msg *m) {
    CW_TRY(move_from(c, m, "send_from"));
    st_add_receive_msg(c->res, m->to, c->info->sender, m->amount, m->binary);
    return NULL;
}

/* {owner, amount} */
cw_error *st_exec_burn_from(st_ctx *c, const st_msg *m) {
    CW_TRY(cw_addr_validate(m->who));
    CW_TRY(deduct_allowance(c, m->who, m->amount));
    CW_TRY(st_burn_from_balance(c, m->who, m->amount));
    cw_res_attr_c(c->res, "action", "burn_from");
    cw_res_attr(c->res, "from", m->who);
    cw_res_attr(c->res, "by", c->info->sender);
    cw_res_attr_u128(c->res, "amount", m->amount);
    return NULL;
}

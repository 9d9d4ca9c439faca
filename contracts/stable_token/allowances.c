/* Allowances: increase/decrease by the owner, and spending them with transfer_from, send_from
 * and burn_from. cw20-base allowances.rs semantics (SPEC.md §4); every change is written to
 * both the owner-keyed map and its spender-keyed mirror. */
#include "token.h"

#define EXEC_MSG "cw20::msg::Cw20ExecuteMsg"

/* increase_allowance and decrease_allowance take the same fields. */
typedef struct allowance_change {
    cw_str spender;
    cw_u128 amount;
    bool has_expires;
    st_expiration expires;
} allowance_change;

static cw_error *parse_change(cw_json body, const char *what, allowance_change *m) {
    m->has_expires = false;
    const st_field fields[] = {
        {"spender", ST_STRING, false, &m->spender, NULL},
        {"amount", ST_U128, false, &m->amount, NULL},
        {"expires", ST_EXPIRATION, true, &m->expires, &m->has_expires},
    };
    return st_parse_error(EXEC_MSG, st_parse_struct(body, what, fields, 3));
}

static cw_error *check_spender(st_ctx *c, cw_str spender) {
    CW_TRY(st_addr_validate(spender));
    if (cw_str_eq(spender, c->info->sender)) return cw_errorf("Cannot set to own account");
    return NULL;
}

static void change_attributes(st_ctx *c, const char *action, const allowance_change *m) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "owner", c->info->sender);
    cw_res_attr(c->res, "spender", m->spender);
    cw_res_attr_u128(c->res, "amount", m->amount);
}

cw_error *st_exec_increase_allowance(st_ctx *c, cw_json body) {
    allowance_change m;
    CW_TRY(parse_change(body, "variant Cw20ExecuteMsg::IncreaseAllowance", &m));
    CW_TRY(check_spender(c, m.spender));
    st_allowance a;
    bool found;
    CW_TRY(st_allowance_load(c->info->sender, m.spender, &a, &found));
    if (m.has_expires) {
        if (st_expired(&m.expires, c->env)) return cw_errorf("Invalid expiration value");
        a.expires = m.expires;
    }
    if (a.allowance + m.amount < a.allowance) cw_abort("attempt to add with overflow (allowance)");
    a.allowance += m.amount;
    st_allowance_save(c->info->sender, m.spender, &a);
    change_attributes(c, "increase_allowance", &m);
    return NULL;
}

cw_error *st_exec_decrease_allowance(st_ctx *c, cw_json body) {
    allowance_change m;
    CW_TRY(parse_change(body, "variant Cw20ExecuteMsg::DecreaseAllowance", &m));
    CW_TRY(check_spender(c, m.spender));
    st_allowance a;
    bool found;
    CW_TRY(st_allowance_load(c->info->sender, m.spender, &a, &found));
    if (!found) return cw_errorf("cw20::query::AllowanceResponse not found");
    if (m.amount < a.allowance) {
        a.allowance -= m.amount;
        if (m.has_expires) {
            if (st_expired(&m.expires, c->env)) return cw_errorf("Invalid expiration value");
            a.expires = m.expires;
        }
        st_allowance_save(c->info->sender, m.spender, &a);
    } else {
        st_allowance_remove(c->info->sender, m.spender);
    }
    change_attributes(c, "decrease_allowance", &m);
    return NULL;
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

/* transfer_from and send_from: validate recipient then owner, spend, move. */
static cw_error *move_from(st_ctx *c, cw_str owner, cw_str to, cw_u128 amount) {
    CW_TRY(st_addr_validate(to));
    CW_TRY(st_addr_validate(owner));
    CW_TRY(deduct_allowance(c, owner, amount));
    CW_TRY(st_debit(&c->ledger, owner, amount));
    return st_credit(&c->ledger, to, amount);
}

static void from_attributes(st_ctx *c, const char *action, cw_str owner, const cw_str *to,
                            cw_u128 amount) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "from", owner);
    if (to) cw_res_attr(c->res, "to", *to);
    cw_res_attr(c->res, "by", c->info->sender);
    cw_res_attr_u128(c->res, "amount", amount);
}

cw_error *st_exec_transfer_from(st_ctx *c, cw_json body) {
    cw_str owner, recipient;
    cw_u128 amount;
    const st_field fields[] = {
        {"owner", ST_STRING, false, &owner, NULL},
        {"recipient", ST_STRING, false, &recipient, NULL},
        {"amount", ST_U128, false, &amount, NULL},
    };
    CW_TRY(st_parse_error(
        EXEC_MSG, st_parse_struct(body, "variant Cw20ExecuteMsg::TransferFrom", fields, 3)));
    CW_TRY(move_from(c, owner, recipient, amount));
    from_attributes(c, "transfer_from", owner, &recipient, amount);
    return NULL;
}

cw_error *st_exec_send_from(st_ctx *c, cw_json body) {
    cw_str owner, contract, msg;
    cw_u128 amount;
    const st_field fields[] = {
        {"owner", ST_STRING, false, &owner, NULL},
        {"contract", ST_STRING, false, &contract, NULL},
        {"amount", ST_U128, false, &amount, NULL},
        {"msg", ST_BINARY, false, &msg, NULL},
    };
    CW_TRY(st_parse_error(EXEC_MSG,
                          st_parse_struct(body, "variant Cw20ExecuteMsg::SendFrom", fields, 4)));
    CW_TRY(move_from(c, owner, contract, amount));
    from_attributes(c, "send_from", owner, &contract, amount);
    st_add_receive_msg(c->res, contract, c->info->sender, amount, msg);
    return NULL;
}

cw_error *st_exec_burn_from(st_ctx *c, cw_json body) {
    cw_str owner;
    cw_u128 amount;
    const st_field fields[] = {
        {"owner", ST_STRING, false, &owner, NULL},
        {"amount", ST_U128, false, &amount, NULL},
    };
    CW_TRY(st_parse_error(EXEC_MSG,
                          st_parse_struct(body, "variant Cw20ExecuteMsg::BurnFrom", fields, 2)));
    CW_TRY(st_addr_validate(owner));
    CW_TRY(deduct_allowance(c, owner, amount));
    CW_TRY(st_burn_from_balance(c, owner, amount));
    from_attributes(c, "burn_from", owner, NULL, amount);
    return NULL;
}

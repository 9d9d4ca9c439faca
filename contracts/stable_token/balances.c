/* Moving and destroying the holder's own tokens: transfer, burn, send (with the Cw20ReceiveMsg
 * hook on the receiving contract). cw20-base contract.rs semantics, SPEC.md §4. */
#include "token.h"

void st_add_receive_msg(cw_response *res, cw_str contract, cw_str sender, cw_u128 amount,
                        cw_str msg) {
    /* {"receive":{"sender":…,"amount":"…","msg":"<base64>"}} (ReceiverExecuteMsg::Receive) */
    cw_buf hook = {0}, cosmos = {0};
    cw_buf_printf(&hook, "{\"receive\":{\"sender\":%J,\"amount\":\"%Q\",\"msg\":\"", sender,
                  amount);
    cw_base64_encode(&hook, msg);
    cw_buf_puts(&hook, "\"}}");
    cw_msg_wasm_execute(&cosmos, contract, cw_buf_view(&hook), NULL, 0);
    cw_res_message(res, cw_buf_view(&cosmos));
    cw_buf_free(&hook);
    cw_buf_free(&cosmos);
}

cw_error *st_burn_from_balance(st_ctx *c, cw_str owner, cw_u128 amount) {
    CW_TRY(st_debit(&c->ledger, owner, amount));
    st_token_info ti;
    CW_TRY(st_token_info_load(&ti));
    st_ledger_saw_supply(&c->ledger, ti.total_supply);
    if (ti.total_supply < amount)
        return cw_errorf("Overflow: Cannot Sub with %Q and %Q", ti.total_supply, amount);
    ti.total_supply -= amount;
    c->ledger.burned += amount;
    st_token_info_save(&ti);
    return NULL;
}

/* transfer and send share everything but the hook message and the action name. */
static cw_error *move_own(st_ctx *c, const st_msg *m, const char *action) {
    CW_TRY(cw_addr_validate(m->who));
    CW_TRY(st_debit(&c->ledger, c->info->sender, m->amount));
    CW_TRY(st_credit(&c->ledger, m->who, m->amount));
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "from", c->info->sender);
    cw_res_attr(c->res, "to", m->who);
    cw_res_attr_u128(c->res, "amount", m->amount);
    return NULL;
}

/* {recipient, amount} */
cw_error *st_exec_transfer(st_ctx *c, const st_msg *m) {
    return move_own(c, m, "transfer");
}

/* {amount} */
cw_error *st_exec_burn(st_ctx *c, const st_msg *m) {
    CW_TRY(st_burn_from_balance(c, c->info->sender, m->amount));
    cw_res_attr_c(c->res, "action", "burn");
    cw_res_attr(c->res, "from", c->info->sender);
    cw_res_attr_u128(c->res, "amount", m->amount);
    return NULL;
}

/* {contract, amount, msg} */
cw_error *st_exec_send(st_ctx *c, const st_msg *m) {
    CW_TRY(move_own(c, m, "send"));
    st_add_receive_msg(c->res, m->who, c->info->sender, m->amount, m->binary);
    return NULL;
}

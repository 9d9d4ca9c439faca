/* Moving and destroying the holder's own tokens: transfer, burn, send (with the Cw20ReceiveMsg
 * hook on the receiving contract). cw20-base contract.rs semantics, SPEC.md §4. */
#include "token.h"

void st_add_receive_msg(cw_response *res, cw_str contract, cw_str sender, cw_u128 amount,
                        cw_str msg) {
    /* {"receive":{"sender":…,"amount":"…","msg":"<base64>"}} (ReceiverExecuteMsg::Receive) */
    cw_buf hook = {0}, cosmos = {0};
    cw_jw w;
    cw_jw_init(&w, &hook);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "receive");
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "sender");
    cw_jw_str(&w, sender);
    cw_jw_key(&w, "amount");
    cw_jw_u128_str(&w, amount);
    cw_jw_key(&w, "msg");
    cw_jw_base64(&w, msg);
    cw_jw_obj_end(&w);
    cw_jw_obj_end(&w);
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
static cw_error *move_own(st_ctx *c, cw_str to, cw_u128 amount) {
    CW_TRY(st_addr_validate(to));
    CW_TRY(st_debit(&c->ledger, c->info->sender, amount));
    return st_credit(&c->ledger, to, amount);
}

cw_error *st_exec_transfer(st_ctx *c, cw_json body) {
    cw_str recipient;
    cw_u128 amount;
    const st_field fields[] = {
        {"recipient", ST_STRING, false, &recipient, NULL},
        {"amount", ST_U128, false, &amount, NULL},
    };
    CW_TRY(st_parse_error("cw20::msg::Cw20ExecuteMsg",
                          st_parse_struct(body, "variant Cw20ExecuteMsg::Transfer", fields, 2)));
    CW_TRY(move_own(c, recipient, amount));
    cw_res_attr_c(c->res, "action", "transfer");
    cw_res_attr(c->res, "from", c->info->sender);
    cw_res_attr(c->res, "to", recipient);
    cw_res_attr_u128(c->res, "amount", amount);
    return NULL;
}

cw_error *st_exec_burn(st_ctx *c, cw_json body) {
    cw_u128 amount;
    const st_field fields[] = {{"amount", ST_U128, false, &amount, NULL}};
    CW_TRY(st_parse_error("cw20::msg::Cw20ExecuteMsg",
                          st_parse_struct(body, "variant Cw20ExecuteMsg::Burn", fields, 1)));
    CW_TRY(st_burn_from_balance(c, c->info->sender, amount));
    cw_res_attr_c(c->res, "action", "burn");
    cw_res_attr(c->res, "from", c->info->sender);
    cw_res_attr_u128(c->res, "amount", amount);
    return NULL;
}

cw_error *st_exec_send(st_ctx *c, cw_json body) {
    cw_str contract, msg;
    cw_u128 amount;
    const st_field fields[] = {
        {"contract", ST_STRING, false, &contract, NULL},
        {"amount", ST_U128, false, &amount, NULL},
        {"msg", ST_BINARY, false, &msg, NULL},
    };
    CW_TRY(st_parse_error("cw20::msg::Cw20ExecuteMsg",
                          st_parse_struct(body, "variant Cw20ExecuteMsg::Send", fields, 3)));
    CW_TRY(move_own(c, contract, amount));
    cw_res_attr_c(c->res, "action", "send");
    cw_res_attr(c->res, "from", c->info->sender);
    cw_res_attr(c->res, "to", contract);
    cw_res_attr_u128(c->res, "amount", amount);
    st_add_receive_msg(c->res, contract, c->info->sender, amount, msg);
    return NULL;
}

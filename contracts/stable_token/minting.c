/* The "mintable" extension: mint by the minter within the cap, and handing the minter role on
 * (or dropping it forever). cw20-base contract.rs semantics, SPEC.md §4. */
#include "token.h"

#define EXEC_MSG "cw20::msg::Cw20ExecuteMsg"

static bool is_minter(const st_token_info *ti, cw_str sender) {
    return ti->has_minter && cw_str_eq(ti->minter, sender);
}

cw_error *st_exec_mint(st_ctx *c, cw_json body) {
    cw_str recipient;
    cw_u128 amount;
    const st_field fields[] = {
        {"recipient", ST_STRING, false, &recipient, NULL},
        {"amount", ST_U128, false, &amount, NULL},
    };
    CW_TRY(
        st_parse_error(EXEC_MSG, st_parse_struct(body, "variant Cw20ExecuteMsg::Mint", fields, 2)));
    st_token_info ti;
    if (st_token_info_load(&ti) || !is_minter(&ti, c->info->sender))
        return cw_errorf("Unauthorized");
    st_ledger_saw_supply(&c->ledger, ti.total_supply);
    if (ti.total_supply + amount < ti.total_supply)
        cw_abort("attempt to add with overflow (supply)");
    ti.total_supply += amount;
    if (ti.has_cap && ti.total_supply > ti.cap) return cw_errorf("Minting cannot exceed the cap");
    st_token_info_save(&ti);
    c->ledger.minted += amount;
    CW_TRY(st_addr_validate(recipient));
    CW_TRY(st_credit(&c->ledger, recipient, amount));
    cw_res_attr_c(c->res, "action", "mint");
    cw_res_attr(c->res, "to", recipient);
    cw_res_attr_u128(c->res, "amount", amount);
    return NULL;
}

cw_error *st_exec_update_minter(st_ctx *c, cw_json body) {
    cw_str new_minter = {0};
    bool has_new = false;
    const st_field fields[] = {{"new_minter", ST_STRING, true, &new_minter, &has_new}};
    CW_TRY(st_parse_error(
        EXEC_MSG, st_parse_struct(body, "variant Cw20ExecuteMsg::UpdateMinter", fields, 1)));
    st_token_info ti;
    if (st_token_info_load(&ti) || !is_minter(&ti, c->info->sender))
        return cw_errorf("Unauthorized");
    if (has_new) {
        CW_TRY(st_addr_validate(new_minter));
        ti.minter = new_minter; /* the cap stays */
    } else {
        ti.has_minter = false;
        ti.has_cap = false;
        ti.cap = 0;
    }
    st_token_info_save(&ti);
    cw_res_attr_c(c->res, "action", "update_minter");
    if (has_new)
        cw_res_attr(c->res, "new_minter", new_minter);
    else
        cw_res_attr_c(c->res, "new_minter", "None");
    return NULL;
}

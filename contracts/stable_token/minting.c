/* The "mintable" extension: mint by the minter within the cap, and handing the minter role on
 * (or dropping it forever). cw20-base contract.rs semantics, SPEC.md §4. */
#include "token.h"

static cw_error *load_as_minter(st_ctx *c, st_token_info *ti) {
    if (st_token_info_load(ti) || !ti->has_minter || !cw_str_eq(ti->minter, c->info->sender))
        return cw_errorf("Unauthorized");
    return NULL;
}

/* {recipient, amount} */
cw_error *st_exec_mint(st_ctx *c, const st_msg *m) {
    st_token_info ti;
    CW_TRY(load_as_minter(c, &ti));
    st_ledger_saw_supply(&c->ledger, ti.total_supply);
    if (ti.total_supply + m->amount < ti.total_supply)
        cw_abort("attempt to add with overflow (supply)");
    ti.total_supply += m->amount;
    if (ti.has_cap && ti.total_supply > ti.cap) return cw_errorf("Minting cannot exceed the cap");
    st_token_info_save(&ti);
    c->ledger.minted += m->amount;
    CW_TRY(cw_addr_validate(m->who));
    CW_TRY(st_credit(&c->ledger, m->who, m->amount));
    cw_res_attr_c(c->res, "action", "mint");
    cw_res_attr(c->res, "to", m->who);
    cw_res_attr_u128(c->res, "amount", m->amount);
    return NULL;
}

/* {new_minter?}: the cap stays with a new minter; None drops the role (and cap) forever. */
cw_error *st_exec_update_minter(st_ctx *c, const st_msg *m) {
    st_token_info ti;
    CW_TRY(load_as_minter(c, &ti));
    if (m->has_who) CW_TRY(cw_addr_validate(m->who));
    ti.minter = m->who;
    ti.has_minter = m->has_who;
    st_token_info_save(&ti);
    cw_res_attr_c(c->res, "action", "update_minter");
    cw_res_attr(c->res, "new_minter", m->has_who ? m->who : CW_LIT("None"));
    return NULL;
}

/* Debt in positions: borrow (mint to the owner or a recipient) under the borrow limit, min_debt
 * and the market and global debt ceilings; repay and close with stable received through the
 * CW20 Receive hook (burn the debt part, refund any excess). */
#include "engine.h"

static cw_error *check_min_debt(ve_ctx *c, const ve_position *p, cw_u128 debt) {
    if (debt != 0 && debt < c->market.min_debt)
        return cw_errorf("debt below min_debt: debt %Q < min_debt %Q (market %S, position %llu)",
                         debt, c->market.min_debt, p->market, (unsigned long long)p->id);
    return NULL;
}

static void debt_attrs(ve_ctx *c, const ve_position *p, cw_u128 debt) {
    cw_res_attr_u128(c->res, "normalised_debt", p->normalised_debt);
    cw_res_attr_u128(c->res, "debt", debt);
    cw_res_attr_u128(c->res, "market_debt", c->market.debt);
}

cw_error *ve_exec_borrow(ve_ctx *c, const ve_msg *m) {
    ve_position p;
    CW_TRY(ve_require_running(c));
    CW_TRY(ve_position_for(c, m->position_id, true, &p));
    if (m->amount == 0) return cw_errorf("zero amount");
    cw_str to = m->has_recipient ? m->recipient : p.owner;
    ve_position_attrs(c, "borrow", &p);
    ve_add_debt(c, &p, m->amount);
    cw_u128 debt = ve_debt_of(p.normalised_debt, c->market.accumulator);
    CW_TRY(check_min_debt(c, &p, debt));
    if (c->market.debt > c->market.debt_ceiling)
        return cw_errorf("market debt ceiling exceeded: debt %Q > ceiling %Q (market %S)",
                         c->market.debt, c->market.debt_ceiling, p.market);
    if (c->totals.total_debt > c->cfg.global_debt_ceiling)
        return cw_errorf("global debt ceiling exceeded: debt %Q > ceiling %Q", c->totals.total_debt,
                         c->cfg.global_debt_ceiling);
    CW_TRY(ve_check_borrow_limit(c, &p));
    ve_emit_mint(c, to, m->amount);
    ve_position_save(&p);
    cw_res_attr_u128(c->res, "amount", m->amount);
    cw_res_attr(c->res, "recipient", to);
    debt_attrs(c, &p, debt);
    return NULL;
}

cw_error *ve_stable_received(ve_ctx *c, cw_str sender, cw_u128 amount, uint64_t position_id,
                             bool close) {
    ve_position p;
    CW_TRY(ve_require_running(c)); /* debt is frozen at shutdown and settled, not repaid */
    CW_TRY(ve_position_for(c, position_id, false, &p));
    if (close && !cw_str_eq(sender, p.owner))
        return cw_errorf("unauthorized: %S is not the owner of position %llu", sender,
                         (unsigned long long)p.id);
    if (amount == 0) return cw_errorf("zero amount");
    cw_u128 debt = ve_debt_of(p.normalised_debt, c->market.accumulator);
    if (close && amount < debt)
        return cw_errorf("insufficient repayment: debt %Q > received %Q (market %S, position %llu)",
                         debt, amount, p.market, (unsigned long long)p.id);
    if (!close && debt == 0)
        return cw_errorf("nothing to repay: position %llu has no debt (market %S)",
                         (unsigned long long)p.id, p.market);
    cw_u128 repaid = amount < debt ? amount : debt, refund = amount - repaid;
    ve_position_attrs(c, close ? "close" : "repay", &p);
    if (repaid) {
        ve_remove_debt(c, &p, repaid);
        c->totals.burned = cw_u128_add(c->totals.burned, repaid);
        ve_emit_burn(c, repaid);
    }
    cw_u128 after = ve_debt_of(p.normalised_debt, c->market.accumulator);
    CW_TRY(check_min_debt(c, &p, after));
    if (refund) ve_emit_stable_transfer(c, sender, refund);
    cw_res_attr_u128(c->res, "repaid", repaid);
    cw_res_attr_u128(c->res, "refund", refund);
    debt_attrs(c, &p, after);
    if (close)
        ve_close_position(c, &p, p.owner);
    else
        ve_position_save(&p);
    return NULL;
}

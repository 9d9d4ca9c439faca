/* Stability fees and debt arithmetic: the per-second rate from the annual fee, accrual of a
 * market's accumulator, and adding/removing debt so that every rounding favours the protocol and
 * the rounding dust lands in surplus (SPEC.md §2, §7). */
#include "engine.h"

/* --- Rates and accrual --------------------------------------------------------------------- */

cw_error *ve_rate_from_fee(cw_decimal fee, cw_decimal27 *rate) {
    if (cw_decimal_gt(fee, cw_decimal_one()))
        return cw_errorf("invalid parameters: stability_fee %s must be <= 1", ve_dstr(fee));
    cw_decimal27 factor = cw_decimal27_from_decimal(cw_decimal_add(cw_decimal_one(), fee));
    /* CEIL: the smallest rate whose yearly compounding reaches at least 1 + fee. */
    return cw_decimal27_rate_per_period(factor, CW_SECONDS_PER_YEAR, CW_ROUND_CEIL, rate);
}

cw_u128 ve_debt_of(cw_u128 normalised, cw_decimal27 acc) {
    return cw_decimal27_mul_uint_ceil(normalised, acc);
}

cw_u128 ve_accrue(ve_market *mk, uint64_t now) {
    if (now <= mk->last_accrued) return 0;
    uint64_t dt = now - mk->last_accrued;
    mk->last_accrued = now;
    if (cw_decimal27_eq(mk->rate, cw_decimal27_one())) return 0;
    /* Both roundings up: the accumulator never lags the exact compounding. */
    cw_decimal27 growth = cw_decimal27_pow(mk->rate, dt, CW_ROUND_CEIL);
    mk->accumulator = cw_decimal27_mul_ceil(mk->accumulator, growth);
    cw_u128 debt = ve_debt_of(mk->normalised_debt, mk->accumulator);
    cw_u128 fees = cw_u128_sub(debt, mk->debt); /* A' >= A, so never negative */
    mk->debt = debt;
    mk->surplus = cw_u128_add(mk->surplus, fees);
    return fees;
}

/* --- Debt changes --------------------------------------------------------------------------- */

/* Market aggregate moves from D to D' = ceil(N'·A); the global totals follow. */
static void set_market_debt(ve_ctx *c, cw_u128 new_debt, cw_u128 dust) {
    ve_market *mk = &c->market;
    c->totals.total_debt = cw_u128_add(cw_u128_sub(c->totals.total_debt, mk->debt), new_debt);
    mk->debt = new_debt;
    mk->surplus = cw_u128_add(mk->surplus, dust);
    c->totals.surplus = cw_u128_add(c->totals.surplus, dust);
}

void ve_add_debt(ve_ctx *c, ve_position *p, cw_u128 x) {
    ve_market *mk = &c->market;
    cw_u128 dn = cw_uint_div_decimal27_ceil(x, mk->accumulator); /* up: more debt */
    p->normalised_debt = cw_u128_add(p->normalised_debt, dn);
    c->ledger.dn_plus = cw_u128_add(c->ledger.dn_plus, dn);
    mk->normalised_debt = cw_u128_add(mk->normalised_debt, dn);
    cw_u128 d2 = ve_debt_of(mk->normalised_debt, mk->accumulator);
    /* ceil(N·A + dn·A) >= ceil(N·A) + x: the dust is >= 0. */
    set_market_debt(c, d2, cw_u128_sub(cw_u128_sub(d2, mk->debt), x));
    c->totals.minted = cw_u128_add(c->totals.minted, x);
}

void ve_remove_debt(ve_ctx *c, ve_position *p, cw_u128 x) {
    ve_market *mk = &c->market;
    cw_u128 debt = ve_debt_of(p->normalised_debt, mk->accumulator);
    /* Full repayment clears n exactly; a partial one removes floor(x / A) (down: less debt
     * removed), which is < n because x < ceil(n·A). */
    cw_u128 dn = x >= debt ? p->normalised_debt : cw_uint_div_decimal27_floor(x, mk->accumulator);
    p->normalised_debt = cw_u128_sub(p->normalised_debt, dn);
    c->ledger.dn_minus = cw_u128_add(c->ledger.dn_minus, dn);
    mk->normalised_debt = cw_u128_sub(mk->normalised_debt, dn);
    cw_u128 d2 = ve_debt_of(mk->normalised_debt, mk->accumulator);
    /* N'·A >= N·A − x, so D' + x >= D: the dust is >= 0. */
    set_market_debt(c, d2, cw_u128_sub(cw_u128_add(d2, x), mk->debt));
}

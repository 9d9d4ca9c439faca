/* The supply ledger: every balance change of an execute goes through st_debit/st_credit, and
 * st_ledger_check proves in O(1) before the call returns that total_supply still equals the sum
 * of all balances (SPEC.md §8). */
#include "token.h"

cw_error *st_debit(st_ledger *l, cw_str addr, cw_u128 amount) {
    cw_u128 balance;
    CW_TRY(st_balance_load(addr, &balance));
    if (balance < amount) return cw_errorf("Overflow: Cannot Sub with %Q and %Q", balance, amount);
    st_balance_save(addr, balance - amount);
    l->debits += amount; /* ≤ total supply, cannot wrap */
    return NULL;
}

cw_error *st_credit(st_ledger *l, cw_str addr, cw_u128 amount) {
    cw_u128 balance;
    CW_TRY(st_balance_load(addr, &balance));
    if (balance + amount < balance) cw_abort("attempt to add with overflow (balance)");
    st_balance_save(addr, balance + amount);
    l->credits += amount;
    return NULL;
}

void st_ledger_saw_supply(st_ledger *l, cw_u128 supply) {
    if (l->supply_loaded) return;
    l->supply_loaded = true;
    l->supply_before = supply;
}

/* The leading phrase of every violation (passed as %s: one copy of the text). */
static const char VIOLATED[] = "accounting identity violated: ";

cw_error *st_ledger_check(const st_ledger *l) {
    /* Balances moved by exactly the supply change: credits − debits == minted − burned,
     * rearranged to avoid negative intermediates. */
    if (l->credits + l->burned != l->debits + l->minted)
        return cw_errorf("%sbalances +%Q -%Q but supply +%Q -%Q", VIOLATED, l->credits, l->debits,
                         l->minted, l->burned);
    if (!l->supply_loaded) {
        if (l->minted || l->burned)
            return cw_errorf("%ssupply changed without being read", VIOLATED);
        return NULL;
    }
    st_token_info ti;
    CW_TRY(st_token_info_load(&ti));
    if (ti.total_supply + l->burned != l->supply_before + l->minted)
        return cw_errorf("%stotal_supply %Q != %Q + %Q - %Q", VIOLATED, ti.total_supply,
                         l->supply_before, l->minted, l->burned);
    if (ti.has_minter && ti.has_cap && ti.total_supply > ti.cap)
        return cw_errorf("%stotal_supply %Q exceeds cap %Q", VIOLATED, ti.total_supply, ti.cap);
    return NULL;
}

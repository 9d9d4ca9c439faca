/* test_chain_bank.c — Criterion tests of host-sim's bank module: mint/send/burn, supplies,
 * x/bank error texts, u128 bounds, denom rules, sorted balances and transaction rollback. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "chain_bank.h"

static hs_kv *backing;
static hs_txc *txc;
static uint8_t alice[20], bob[20], contract[32];
static char err[256];

static void setup(void) {
    backing = hs_kv_new();
    txc = hs_txc_new(backing);
    cr_assert(backing && txc);
    for (int i = 0; i < 20; i++) {
        alice[i] = (uint8_t)(0xa0 + i);
        bob[i] = (uint8_t)(0xb0 + i);
    }
    hs_addr_contract_classic(1, 1, contract);
    cr_assert_eq(hs_txc_begin(txc), HS_STATE_OK);
    err[0] = '\0';
}
static void teardown(void) {
    hs_txc_free(txc);
    hs_kv_free(backing);
}
TestSuite(chain_bank, .init = setup, .fini = teardown);

static hs_bank_coin coin(const char *denom, hs_u128 amount) {
    hs_bank_coin c;
    memset(&c, 0, sizeof c);
    strcpy(c.denom, denom);
    c.amount = amount;
    return c;
}
static hs_u128 bal(const uint8_t *addr, size_t alen, const char *denom) {
    hs_u128 v;
    cr_assert_eq(hs_bank_balance(txc, addr, alen, denom, &v), HS_STATE_OK);
    return v;
}
static hs_u128 supply(const char *denom) {
    hs_u128 v;
    cr_assert_eq(hs_bank_supply(txc, denom, &v), HS_STATE_OK);
    return v;
}
static void mint(const uint8_t *addr, size_t alen, const char *denom, hs_u128 amount) {
    hs_bank_coin c = coin(denom, amount);
    cr_assert_eq(hs_bank_mint(txc, addr, alen, &c, 1, err, sizeof err), HS_STATE_OK, "%s", err);
}

Test(chain_bank, mint_increases_balance_and_supply) {
    mint(alice, 20, "uatom", 1000);
    mint(bob, 20, "uatom", 5);
    cr_assert(bal(alice, 20, "uatom") == 1000);
    cr_assert(bal(bob, 20, "uatom") == 5);
    cr_assert(supply("uatom") == 1005);
    cr_assert(bal(alice, 20, "uosmo") == 0);
    cr_assert(supply("uosmo") == 0);
}

Test(chain_bank, send_moves_coins_between_accounts_and_contracts) {
    mint(alice, 20, "uatom", 1000);
    hs_bank_coin c = coin("uatom", 300);
    cr_assert_eq(hs_bank_send(txc, alice, 20, contract, 32, &c, 1, err, sizeof err), HS_STATE_OK);
    cr_assert(bal(alice, 20, "uatom") == 700);
    cr_assert(bal(contract, 32, "uatom") == 300);
    cr_assert(supply("uatom") == 1000, "send keeps the supply");
    c.amount = 700;
    cr_assert_eq(hs_bank_send(txc, alice, 20, alice, 20, &c, 1, err, sizeof err), HS_STATE_OK);
    cr_assert(bal(alice, 20, "uatom") == 700, "self-send is a no-op");
}

Test(chain_bank, insufficient_funds_uses_cosmos_sdk_text) {
    mint(alice, 20, "uatom", 5);
    hs_bank_coin c = coin("uatom", 10);
    cr_assert_eq(hs_bank_send(txc, alice, 20, bob, 20, &c, 1, err, sizeof err),
                 HS_STATE_INSUFFICIENT);
    cr_assert_str_eq(err, "spendable balance 5uatom is smaller than 10uatom: insufficient funds");
    cr_assert_eq(hs_bank_send(txc, bob, 20, alice, 20, &c, 1, err, sizeof err),
                 HS_STATE_INSUFFICIENT);
    cr_assert_str_eq(err, "spendable balance 0uatom is smaller than 10uatom: insufficient funds");
    cr_assert(bal(alice, 20, "uatom") == 5);
}

Test(chain_bank, multi_coin_send_is_all_or_nothing) {
    mint(alice, 20, "uatom", 100);
    mint(alice, 20, "uosmo", 1);
    hs_bank_coin cs[2] = {coin("uatom", 50), coin("uosmo", 2)};
    cr_assert_eq(hs_bank_send(txc, alice, 20, bob, 20, cs, 2, err, sizeof err),
                 HS_STATE_INSUFFICIENT);
    cr_assert_str_eq(err, "spendable balance 1uosmo is smaller than 2uosmo: insufficient funds");
    cr_assert(bal(alice, 20, "uatom") == 100, "first coin not moved");
    cr_assert(bal(bob, 20, "uatom") == 0);
    cr_assert_eq(hs_txc_pending(txc), 4, "only the two mints' keys are in the tx layer");
}

Test(chain_bank, duplicate_denoms_rejected) {
    mint(alice, 20, "uatom", 100);
    hs_bank_coin cs[2] = {coin("uatom", 1), coin("uatom", 2)};
    cr_assert_eq(hs_bank_send(txc, alice, 20, bob, 20, cs, 2, err, sizeof err), HS_STATE_INVALID);
    cr_assert_str_eq(err, "duplicate denomination uatom: invalid coins");
}

Test(chain_bank, zero_amount_coins_are_skipped) {
    hs_bank_coin c = coin("uatom", 0);
    cr_assert_eq(hs_bank_send(txc, alice, 20, bob, 20, &c, 1, err, sizeof err), HS_STATE_OK);
    cr_assert_eq(hs_txc_pending(txc), 0);
}

Test(chain_bank, burn_reduces_balance_and_supply) {
    mint(alice, 20, "uatom", 100);
    hs_bank_coin c = coin("uatom", 40);
    cr_assert_eq(hs_bank_burn(txc, alice, 20, &c, 1, err, sizeof err), HS_STATE_OK);
    cr_assert(bal(alice, 20, "uatom") == 60);
    cr_assert(supply("uatom") == 60);
    c.amount = 61;
    cr_assert_eq(hs_bank_burn(txc, alice, 20, &c, 1, err, sizeof err), HS_STATE_INSUFFICIENT);
    cr_assert_str_eq(err, "spendable balance 60uatom is smaller than 61uatom: insufficient funds");
    c.amount = 60;
    cr_assert_eq(hs_bank_burn(txc, alice, 20, &c, 1, err, sizeof err), HS_STATE_OK);
    hs_bank_coin *all;
    size_t n;
    cr_assert_eq(hs_bank_all_balances(txc, alice, 20, &all, &n), HS_STATE_OK);
    cr_assert_eq(n, 0, "zero balances are deleted");
    free(all);
    cr_assert(supply("uatom") == 0);
}

Test(chain_bank, u128_overflow_is_refused) {
    const hs_u128 max = ~(hs_u128)0;
    mint(alice, 20, "uatom", max);
    hs_bank_coin c = coin("uatom", 1);
    cr_assert_eq(hs_bank_mint(txc, bob, 20, &c, 1, err, sizeof err), HS_STATE_OVERFLOW);
    cr_assert_str_eq(err, "amount overflow: supply 340282366920938463463374607431768211455uatom + "
                          "1uatom exceeds 2^128-1");
    cr_assert(bal(bob, 20, "uatom") == 0);
    cr_assert(bal(alice, 20, "uatom") == max);
}

Test(chain_bank, denom_validation_follows_cosmos_sdk) {
    const char *good[] = {"uatom",
                          "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
                          "factory/wasm1abc/ust",
                          "a.b",
                          "Abc",
                          "x:y_z-1"};
    const char *bad[] = {"", "ab", "1atom", "/atom", "u atom", "uat~om", "üatom"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        cr_assert_eq(hs_bank_validate_denom(good[i]), HS_STATE_OK, "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(hs_bank_validate_denom(bad[i]), HS_STATE_BAD_DENOM, "%s", bad[i]);
    char longest[130];
    memset(longest, 'a', 129);
    longest[128] = '\0';
    cr_assert_eq(hs_bank_validate_denom(longest), HS_STATE_OK);
    hs_bank_coin c = coin("9x", 1);
    cr_assert_eq(hs_bank_mint(txc, alice, 20, &c, 1, err, sizeof err), HS_STATE_BAD_DENOM);
    cr_assert_str_eq(err, "invalid denom: 9x");
}

Test(chain_bank, all_balances_sorted_by_denom_and_per_address) {
    mint(alice, 20, "uosmo", 2);
    mint(alice, 20, "ibc/ABC", 3);
    mint(alice, 20, "uatom", 1);
    mint(bob, 20, "aaa", 9);
    uint8_t alice_longer[21];
    memcpy(alice_longer, alice, 20);
    alice_longer[20] = 0;
    mint(alice_longer, 21, "zzz", 9); /* a longer address with alice as a prefix */
    hs_bank_coin *all;
    size_t n;
    cr_assert_eq(hs_bank_all_balances(txc, alice, 20, &all, &n), HS_STATE_OK);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(all[0].denom, "ibc/ABC");
    cr_assert_str_eq(all[1].denom, "uatom");
    cr_assert_str_eq(all[2].denom, "uosmo");
    cr_assert(all[0].amount == 3 && all[1].amount == 1 && all[2].amount == 2);
    free(all);
}

Test(chain_bank, failed_transaction_rolls_back_bank_state) {
    mint(alice, 20, "uatom", 100);
    cr_assert_eq(hs_txc_commit(txc), HS_STATE_OK);
    cr_assert_eq(hs_txc_begin(txc), HS_STATE_OK);
    hs_bank_coin c = coin("uatom", 70);
    cr_assert_eq(hs_bank_send(txc, alice, 20, bob, 20, &c, 1, err, sizeof err), HS_STATE_OK);
    mint(bob, 20, "uosmo", 5);
    hs_txc_discard(txc); /* e.g. the contract call after it failed */
    cr_assert(bal(alice, 20, "uatom") == 100);
    cr_assert(bal(bob, 20, "uatom") == 0);
    cr_assert(supply("uosmo") == 0);
}

Test(chain_bank, writes_need_an_open_transaction) {
    hs_txc_discard(txc);
    hs_bank_coin c = coin("uatom", 1);
    cr_assert_eq(hs_bank_mint(txc, alice, 20, &c, 1, err, sizeof err), HS_STATE_INVALID);
    cr_assert_str_eq(err, "bank: no open transaction");
}

Test(chain_bank, u128_format_and_parse) {
    char buf[HS_U128_DEC_CAP];
    hs_u128 v;
    cr_assert_eq(hs_u128_format(0, buf), 1);
    cr_assert_str_eq(buf, "0");
    hs_u128_format(~(hs_u128)0, buf);
    cr_assert_str_eq(buf, "340282366920938463463374607431768211455");
    cr_assert_eq(hs_u128_parse("340282366920938463463374607431768211455", &v), HS_STATE_OK);
    cr_assert(v == ~(hs_u128)0);
    cr_assert_eq(hs_u128_parse("340282366920938463463374607431768211456", &v), HS_STATE_OVERFLOW);
    cr_assert_eq(hs_u128_parse("007", &v), HS_STATE_OK);
    cr_assert(v == 7);
    cr_assert_eq(hs_u128_parse("", &v), HS_STATE_INVALID);
    cr_assert_eq(hs_u128_parse("-1", &v), HS_STATE_INVALID);
    cr_assert_eq(hs_u128_parse("1.5", &v), HS_STATE_INVALID);
}

Test(chain_bank, u128_and_decimal_text) {
    hs_u128 v;
    char buf[HS_DECIMAL_CAP];
    cr_assert(hs_u128_from_text("42", &v) && v == 42);
    cr_assert_not(hs_u128_from_text(NULL, &v));
    cr_assert_not(hs_u128_from_text("340282366920938463463374607431768211456", &v));
    cr_assert(hs_decimal_from_text("9.75", &v) && v == (hs_u128)9750000000000000000ull);
    cr_assert(hs_decimal_from_text("10", &v) && v == 10 * HS_DECIMAL_ONE);
    cr_assert(hs_decimal_from_text("0.000000000000000001", &v) && v == 1);
    cr_assert_not(hs_decimal_from_text("0.0000000000000000001", &v)); /* 19 digits */
    cr_assert_not(hs_decimal_from_text("1.", &v));
    cr_assert_not(hs_decimal_from_text(".5", &v));
    cr_assert_not(hs_decimal_from_text("1.2x", &v));
    /* The largest Decimal: (2^128 - 1) atomics; one more atomic does not fit. */
    cr_assert(hs_decimal_from_text("340282366920938463463.374607431768211455", &v));
    cr_assert(v == ~(hs_u128)0);
    cr_assert_not(hs_decimal_from_text("340282366920938463463.374607431768211456", &v));
    cr_assert_eq(hs_decimal_format(9750000000000000000ull, buf), 4);
    cr_assert_str_eq(buf, "9.75");
    hs_decimal_format(10 * HS_DECIMAL_ONE, buf);
    cr_assert_str_eq(buf, "10");
    hs_decimal_format(1, buf);
    cr_assert_str_eq(buf, "0.000000000000000001");
    hs_decimal_format(~(hs_u128)0, buf);
    cr_assert_str_eq(buf, "340282366920938463463.374607431768211455");
}

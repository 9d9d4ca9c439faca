/* chain_bank.h — the bank module of the simulated chain: native-denom balances and supplies
 * kept in the layered chain state (so a failed transaction rolls them back with the rest),
 * with Cosmos SDK x/bank semantics and error texts.
 *
 * Storage (see the key layout in tx_cache.h), amounts as 16-byte big-endian u128:
 *   0x10 ‖ denom                        → total supply of denom
 *   0x11 ‖ u8(len(addr)) ‖ addr ‖ denom → balance of canonical address addr
 * Zero balances and supplies are deleted, as x/bank does, so "all balances" lists only
 * non-zero coins, sorted by denom (byte order, like sdk.Coins).
 *
 * Rules: denoms match Cosmos SDK's default [a-zA-Z][a-zA-Z0-9/:._-]{2,127}; amounts are u128
 * with overflow checks; a coin list may not name a denom twice; zero-amount coins are skipped
 * (wasmd builds sdk.Coins with NewCoins, which drops zero coins). Every write needs an open
 * tx_cache layer. On failure nothing is written and err (capacity errlen, may be NULL) gets one
 * line in x/bank's words, e.g. "spendable balance 5uatom is smaller than 10uatom: insufficient
 * funds", "invalid denom: 9x".
 */
#ifndef HS_CHAIN_BANK_H
#define HS_CHAIN_BANK_H

#include "tx_cache.h"

#include "hs_u128.h" /* hs_u128, hs_u128_format */

/* Largest denom length (Cosmos SDK: 3..128) and a buffer size for one with its NUL. */
#define HS_DENOM_MAX 128
#define HS_DENOM_CAP (HS_DENOM_MAX + 1)

/* A coin: denom and amount. */
typedef struct hs_bank_coin {
    char denom[HS_DENOM_CAP];
    hs_u128 amount;
} hs_bank_coin;

/* Parse a decimal Uint128 string (digits only, like cosmwasm Uint128's JSON form; leading
 * zeros allowed). HS_STATE_OK, HS_STATE_INVALID (empty or non-digit), HS_STATE_OVERFLOW. */
HS_STATE_MUST_USE hs_state_result hs_u128_parse(const char *s, hs_u128 *out);

/* HS_STATE_OK when denom is valid, HS_STATE_BAD_DENOM otherwise. */
hs_state_result hs_bank_validate_denom(const char *denom);

/* Balance of addr (canonical bytes, 1..255) in denom; 0 when none. HS_STATE_OK,
 * HS_STATE_BAD_DENOM, HS_STATE_INVALID (address length) or HS_STATE_CORRUPT (a stored amount
 * that is not 16 bytes). */
HS_STATE_MUST_USE hs_state_result hs_bank_balance(const hs_txc *c, const uint8_t *addr, size_t alen,
                                                  const char *denom, hs_u128 *out);

/* Total supply of denom (0 when none). Failures as hs_bank_balance(). */
HS_STATE_MUST_USE hs_state_result hs_bank_supply(const hs_txc *c, const char *denom, hs_u128 *out);

/* All non-zero balances of addr, sorted by denom. On HS_STATE_OK *out is a malloc'd array of
 * *n coins (NULL when *n == 0) that the caller frees with free(). HS_STATE_NOMEM,
 * HS_STATE_INVALID, HS_STATE_CORRUPT otherwise. */
HS_STATE_MUST_USE hs_state_result hs_bank_all_balances(hs_txc *c, const uint8_t *addr, size_t alen,
                                                       hs_bank_coin **out, size_t *n);

/* Create coins: add to addr's balances and to the supplies (the test faucet). Fails with
 * HS_STATE_BAD_DENOM, HS_STATE_OVERFLOW, HS_STATE_INVALID (duplicate denom, address length, no
 * layer), HS_STATE_NOMEM; nothing written then. */
HS_STATE_MUST_USE hs_state_result hs_bank_mint(hs_txc *c, const uint8_t *addr, size_t alen,
                                               const hs_bank_coin *coins, size_t n, char *err,
                                               size_t errlen);

/* Destroy coins held by addr (balances and supplies decrease). HS_STATE_INSUFFICIENT when a
 * balance is too small, else as hs_bank_mint(). */
HS_STATE_MUST_USE hs_state_result hs_bank_burn(hs_txc *c, const uint8_t *addr, size_t alen,
                                               const hs_bank_coin *coins, size_t n, char *err,
                                               size_t errlen);

/* Move coins from one address to another (all or nothing). HS_STATE_INSUFFICIENT with
 * "spendable balance 5uatom is smaller than 10uatom: insufficient funds" for the first coin
 * that does not fit, else as hs_bank_mint(). */
HS_STATE_MUST_USE hs_state_result hs_bank_send(hs_txc *c, const uint8_t *from, size_t flen,
                                               const uint8_t *to, size_t tlen,
                                               const hs_bank_coin *coins, size_t n, char *err,
                                               size_t errlen);

#endif

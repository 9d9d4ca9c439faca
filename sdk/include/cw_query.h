/* Typed chain queries over cw_query_chain: bank balance, wasm smart and raw queries, custom
 * queries and the Ballast oracle price. Each builds the QueryRequest JSON exactly as
 * cosmwasm-std serialises it (packages/std/src/query/{bank,wasm}.rs) and decodes the answer.
 * Implementation: sdk/src/cw_query.c. */
#ifndef CW_QUERY_H
#define CW_QUERY_H

#include "cw_base.h"

/* {"bank":{"balance":{"address":…,"denom":…}}} → BalanceResponse {"amount":{"denom","amount"}}.
 * *amount is the balance (0 when the account holds none). Errors: the chain's query error, or
 * "Querier response parse error: …" for a malformed answer. */
cw_error *cw_query_bank_balance(cw_str address, cw_str denom, cw_u128 *amount);

/* {"wasm":{"smart":{"contract_addr":…,"msg":"<base64 of msg_json>"}}}. On success *answer is
 * the contract's answer (JSON bytes), cw_alloc'd: free with cw_free((void *)answer->ptr). The
 * contract's own error comes back as an error. */
cw_error *cw_query_wasm_smart(cw_str contract_addr, cw_str msg_json, cw_str *answer);

/* {"wasm":{"raw":{"contract_addr":…,"key":"<base64 of key>"}}}: the raw value stored under
 * `key` in the other contract (build the key with cw_storage.h). The chain answers an empty
 * value when the key is absent, so *found is value->len > 0. *value is cw_alloc'd as above
 * (possibly with len 0; free it either way). */
cw_error *cw_query_wasm_raw(cw_str contract_addr, cw_str key, cw_str *value, bool *found);

/* {"custom":<custom_json>} (custom_json inserted verbatim; it must be a JSON value). *answer as
 * for cw_query_wasm_smart. */
cw_error *cw_query_custom(cw_str custom_json, cw_str *answer);

/* The oracle of ARCHITECTURE §4: {"custom":{"oracle":{"price":{"denom":…}}}} →
 * {"price":"9.75","updated_at":"<ns>"}. The decimal price string (e.g. "9.75", at most 18
 * fractional digits, as cosmwasm_std::Decimal) is appended to `price`; *updated_at_ns is the
 * time of the last update in nanoseconds since the Unix epoch. */
cw_error *cw_query_oracle_price(cw_str denom, cw_buf *price, uint64_t *updated_at_ns);

#endif

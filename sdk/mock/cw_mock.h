/* The native mock chain for contract unit tests, like cosmwasm-std's mock_dependencies /
 * mock_env / mock_info: an in-memory ordered store behind cw_db_*, mock addresses, a mock bank
 * and wasm querier behind cw_query_chain, aborts caught with setjmp/longjmp, and transactional
 * calls (an error or abort leaves storage as it was). Implementation: sdk/mock/cw_mock.c.
 *
 * A test defines (or links) a contract with CW_CONTRACT(...) and drives it:
 *
 *     cw_mock_reset();
 *     cw_mock_result r = cw_mock_instantiate("alice", "[]", "{\"count\":1}");
 *     cr_assert(r.ok, "%s", r.error);
 *     cw_mock_result_free(&r);
 *     r = cw_mock_query("{\"get_count\":{}}");   // r.answer_json == "{\"count\":1}"
 *     cw_mock_result_free(&r);
 */
#ifndef CW_MOCK_H
#define CW_MOCK_H

#include "cw_base.h"
#include "cw_entry.h"

/* --- Calls ---------------------------------------------------------------------------------- */

/* The outcome of one call. All strings are malloc'd (libc) and NUL-terminated, or NULL;
 * release them with cw_mock_result_free.
 *   ok            the handler returned success
 *   aborted       the call aborted (cw_abort, allocator misuse, ...); `error` is the message
 *   error         the error message (unescaped) when !ok
 *   response_json the Response JSON exactly as the contract returned it (exec-like calls)
 *   answer_json   the query answer, base64-decoded (query calls) */
typedef struct cw_mock_result {
    bool ok;
    bool aborted;
    char *error;
    char *response_json;
    char *answer_json;
} cw_mock_result;

void cw_mock_result_free(cw_mock_result *r);

/* Clear storage, bank, queriers and iterators; restore the default env: height 12345, time
 * 1571797419879305533 ns, chain_id "cosmos-testnet-14002", transaction index 3, contract
 * address "cosmos2contract". Does not reset the allocator (see cw_mock_alloc_reset). */
void cw_mock_reset(void);

void cw_mock_set_block(uint64_t height, uint64_t time_ns);
void cw_mock_set_chain_id(const char *chain_id);
void cw_mock_set_contract_address(const char *address);
/* has = false sends "transaction":null. */
void cw_mock_set_transaction(bool has, uint32_t index);
/* The Env JSON the next call receives (malloc'd). */
char *cw_mock_env_json(void);

/* Run the contract's entry points (found through CW_CONTRACT's cw_native_* symbols).
 * `funds_json` is a JSON array of coins such as "[{\"denom\":\"uatom\",\"amount\":\"5\"}]";
 * NULL means "[]". A call whose entry point is missing returns an error result. */
cw_mock_result cw_mock_instantiate(const char *sender, const char *funds_json,
                                   const char *msg_json);
cw_mock_result cw_mock_execute(const char *sender, const char *funds_json, const char *msg_json);
/* Storage is read-only during a query: a write aborts the query. */
cw_mock_result cw_mock_query(const char *msg_json);
cw_mock_result cw_mock_migrate(const char *msg_json);
cw_mock_result cw_mock_sudo(const char *msg_json);
cw_mock_result cw_mock_reply(const char *msg_json);

/* Run fn(ctx) and catch a cw_abort: returns NULL when fn returned normally, otherwise the
 * abort message (malloc'd). Outside such a wrapper (and outside mock calls) cw_abort prints
 * the message to stderr and calls abort(). */
char *cw_mock_catch_abort(void (*fn)(void *ctx), void *ctx);

/* --- Storage access for tests (not transactional, mock-owned memory) ------------------------ */

/* On success *out points to the stored bytes, valid until the next storage change. */
bool cw_mock_storage_get(const void *key, size_t key_len, cw_str *out);
void cw_mock_storage_set(const void *key, size_t key_len, const void *value, size_t value_len);
size_t cw_mock_storage_count(void);
/* The i-th entry in ascending key order (i < cw_mock_storage_count()). */
void cw_mock_storage_at(size_t i, cw_str *key, cw_str *value);

/* --- Chain queries -------------------------------------------------------------------------- */

/* Mock bank balances answer {"bank":{"balance":{"address","denom"}}} with
 * {"amount":{"denom":…,"amount":"…"}} (0 when unset) and {"bank":{"all_balances":{…}}} with
 * {"amount":[…]} (non-zero coins by denom). */
void cw_mock_set_balance(const char *address, const char *denom, cw_u128 amount);

/* {"wasm":{"smart":{"contract_addr":…,"msg":"<base64>"}}} is answered by this callback with
 * the decoded msg JSON; it appends the answer JSON to `answer` or returns an error (sent back
 * as a contract error, "Querier contract error: <msg>"). Without a callback the query fails
 * with a system error {"no_such_contract":{"addr":…}}. */
typedef cw_error *(*cw_mock_wasm_query_fn)(void *ctx, cw_str contract_addr, cw_str msg_json,
                                           cw_buf *answer);
void cw_mock_set_wasm_querier(cw_mock_wasm_query_fn fn, void *ctx);

/* Any other request (custom queries such as the oracle's) goes to this callback with the whole
 * QueryRequest JSON; without one it fails with {"unsupported_request":{"kind":…}}. */
typedef cw_error *(*cw_mock_custom_query_fn)(void *ctx, cw_str request_json, cw_buf *answer);
void cw_mock_set_custom_querier(cw_mock_custom_query_fn fn, void *ctx);

/* --- Allocator test hooks (defined in sdk/src/cw_alloc.c, native builds only) --------------- */

/* Forget the whole heap: every outstanding cw_alloc pointer becomes invalid. */
void cw_mock_alloc_reset(void);
/* Live (allocated, not freed) blocks, their requested bytes, and the heap's extent. Any
 * argument may be NULL. */
void cw_mock_alloc_stats(size_t *live_blocks, size_t *live_bytes, size_t *heap_bytes);
/* Verify the heap's invariants; NULL when consistent, else a description of the violation. */
const char *cw_mock_alloc_check(void);

#endif

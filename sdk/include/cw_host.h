/* The portable host layer: storage, addresses, crypto, debug and chain queries. In wasm
 * builds (sdk/src/cw_host_wasm.c) each call marshals Regions to a CosmWasm `env` import;
 * in native builds (sdk/mock/cw_mock.c) the same functions run against an in-memory mock. */
#ifndef CW_HOST_H
#define CW_HOST_H

#include "cw_base.h"

/* --- Storage ----------------------------------------------------------------------------- */

/* Read a key. Returns false when absent. On success *value points to a cw_alloc'd copy the
 * caller frees with cw_free((void *)value->ptr). */
bool cw_db_read(cw_str key, cw_str *value);
void cw_db_write(cw_str key, cw_str value);
void cw_db_remove(cw_str key);

/* Iteration (the `iterator` feature): keys in [start, end) in the given order; a NULL bound
 * is unbounded. The handle is opaque. Ascending = 1, descending = 2, as in cosmwasm-std. */
typedef uint32_t cw_iter;
enum { CW_ORDER_ASC = 1, CW_ORDER_DESC = 2 };
cw_iter cw_db_scan(const cw_str *start, const cw_str *end, int order);
/* Next pair, or false at the end. key/value are cw_alloc'd; free both ptrs with cw_free. */
bool cw_db_next(cw_iter it, cw_str *key, cw_str *value);

/* --- Addresses --------------------------------------------------------------------------- */

/* NULL when `addr` is a valid, normalised address of this chain; an error otherwise, worded as
 * cosmwasm-std displays it: "Generic error: addr_validate errored: <host message>" (or
 * "Generic error: input too long for addr_validate" above 256 bytes). */
cw_error *cw_addr_validate(cw_str addr);
/* Human → canonical bytes and back; appended to `out`. */
cw_error *cw_addr_canonicalize(cw_str human, cw_buf *out);
cw_error *cw_addr_humanize(cw_str canonical, cw_buf *out);

/* --- Crypto (results as in cosmwasm-std: true = valid; errors abort) --------------------- */

bool cw_secp256k1_verify(cw_str message_hash, cw_str signature, cw_str public_key);
/* Recover a 65-byte uncompressed public key into `out`; an error for bad input. */
cw_error *cw_secp256k1_recover_pubkey(cw_str message_hash, cw_str signature, uint8_t recovery,
                                      cw_buf *out);
bool cw_ed25519_verify(cw_str message, cw_str signature, cw_str public_key);
bool cw_ed25519_batch_verify(const cw_str *messages, size_t n_messages, const cw_str *signatures,
                             size_t n_signatures, const cw_str *public_keys, size_t n_keys);

/* --- Debug and queries ------------------------------------------------------------------- */

void cw_debug(cw_str msg);

/* Send a QueryRequest (JSON) to the chain. On success `*answer` is the binary answer (the
 * decoded bytes of the query result, usually JSON), cw_alloc'd, freed by the caller with
 * cw_free((void *)answer->ptr). System and contract errors come back as an error. */
cw_error *cw_query_chain(cw_str request, cw_str *answer);

/* The same query without decoding: the VM's SystemResult JSON as it comes back, such as
 * {"ok":{"ok":"<base64 of the answer>"}}, {"ok":{"error":"<contract error>"}} or
 * {"error":{…}}. cw_alloc'd; the caller frees it with cw_free((void *)ptr). For a contract
 * that reads one answer itself and would rather not link cw_query_chain's strict decoding
 * (base64 and error texts, ~1.7 KB): the oracle's chain prices. */
cw_str cw_query_chain_raw(cw_str request);

#endif

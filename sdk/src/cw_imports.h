/* The CosmWasm `env` imports (private to the SDK), with the signatures of cosmwasm-std's
 * exports/imports.rs and the semantics of cosmwasm-vm's imports.rs. Every pointer argument or
 * result is the address of a Region (cw_region.h); region results are allocated in contract
 * memory by the host (through `allocate`) and owned by the contract. Wasm builds only. */
#ifndef CW_IMPORTS_H
#define CW_IMPORTS_H

#include <stdint.h>

#ifdef __wasm__
#define CW_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

/* Traps with the message in the region (UTF-8). Does not return. */
CW_IMPORT(abort) void cw_env_abort(uint32_t msg);

/* --- Storage --- */
/* Region with the value, or 0 when the key does not exist. */
CW_IMPORT(db_read) uint32_t cw_env_db_read(uint32_t key);
CW_IMPORT(db_write) void cw_env_db_write(uint32_t key, uint32_t value);
CW_IMPORT(db_remove) void cw_env_db_remove(uint32_t key);

/* --- Iterators (`iterator` capability; the _key/_value forms need cosmwasm_1_4) --- */
/* start/end: Regions or 0 for unbounded; order 1 ascending, 2 descending. Returns an opaque
 * iterator id, valid for the rest of the call. */
CW_IMPORT(db_scan) uint32_t cw_env_db_scan(uint32_t start, uint32_t end, int32_t order);
/* Region with `key ‖ be32(key_len) ‖ value ‖ be32(value_len)`; the end is an empty key
 * (8 zero bytes). */
CW_IMPORT(db_next) uint32_t cw_env_db_next(uint32_t iterator_id);
/* Region with the next key / value alone, or 0 at the end. */
CW_IMPORT(db_next_key) uint32_t cw_env_db_next_key(uint32_t iterator_id);
CW_IMPORT(db_next_value) uint32_t cw_env_db_next_value(uint32_t iterator_id);

/* --- Addresses --- */
/* 0 when valid; otherwise a Region holding the error message (UTF-8). */
CW_IMPORT(addr_validate) uint32_t cw_env_addr_validate(uint32_t source);
/* Writes into the destination Region (capacity provided by the contract, 64 for canonical and
 * 90 for human addresses in cosmwasm-std); 0 on success, else a Region with the error. */
CW_IMPORT(addr_canonicalize) uint32_t cw_env_addr_canonicalize(uint32_t source, uint32_t dest);
CW_IMPORT(addr_humanize) uint32_t cw_env_addr_humanize(uint32_t source, uint32_t dest);

/* --- Crypto: 0 = valid, 1 = invalid, > 1 = error code (3 invalid hash format, 4 invalid
 * signature format, 5 invalid pubkey format, 6 invalid recovery param, 10 generic) --- */
CW_IMPORT(secp256k1_verify)
uint32_t cw_env_secp256k1_verify(uint32_t message_hash, uint32_t signature, uint32_t public_key);
/* High 32 bits: error code (0 = ok); low 32 bits: Region with the 65-byte public key. */
CW_IMPORT(secp256k1_recover_pubkey)
uint64_t cw_env_secp256k1_recover_pubkey(uint32_t message_hash, uint32_t signature,
                                         uint32_t recovery_param);
CW_IMPORT(ed25519_verify)
uint32_t cw_env_ed25519_verify(uint32_t message, uint32_t signature, uint32_t public_key);
/* Each argument is a Region of sections: `item ‖ be32(item_len)` repeated. */
CW_IMPORT(ed25519_batch_verify)
uint32_t cw_env_ed25519_batch_verify(uint32_t messages, uint32_t signatures, uint32_t public_keys);

/* --- Debug and queries --- */
CW_IMPORT(debug) void cw_env_debug(uint32_t msg);
/* Region with the JSON SystemResult<ContractResult<Binary>>: {"ok":{"ok":"<base64>"}},
 * {"ok":{"error":"…"}} or {"error":{<system error>}}. */
CW_IMPORT(query_chain) uint32_t cw_env_query_chain(uint32_t request);

#undef CW_IMPORT
#endif

#endif

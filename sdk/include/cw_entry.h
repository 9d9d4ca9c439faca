/* Entry points: a contract writes plain handler functions and names them once with the
 * CW_CONTRACT macros; the SDK (sdk/src/cw_entry.c) decodes Env/MessageInfo/msg, calls the
 * handler and encodes {"ok":…} or {"error":"…"}. The same source builds natively, where the
 * macros register the handlers with the mock (sdk/mock/cw_mock.h) instead of exporting. */
#ifndef CW_ENTRY_H
#define CW_ENTRY_H

#include "cw_base.h"
#include "cw_json.h"
#include "cw_response.h"

/* Env as cosmwasm-std 2.x sends it. */
typedef struct cw_env {
    uint64_t height;
    uint64_t time_ns; /* block time, nanoseconds since the Unix epoch */
    cw_str chain_id;
    bool has_transaction;
    uint32_t transaction_index;
    cw_str contract_address;
} cw_env;

/* MessageInfo. `funds` is valid for the duration of the call. */
typedef struct cw_info {
    cw_str sender;
    const cw_coin *funds;
    size_t n_funds;
} cw_info;

/* Handlers. Return NULL on success (and fill `res`/`answer`), or an error. On error the
 * response is discarded; the chain reverts all state the call wrote. */
typedef cw_error *(*cw_instantiate_fn)(const cw_env *env, const cw_info *info, cw_json msg,
                                       cw_response *res);
typedef cw_error *(*cw_execute_fn)(const cw_env *env, const cw_info *info, cw_json msg,
                                   cw_response *res);
/* `answer` receives the query's answer bytes (JSON); the SDK base64-encodes them. */
typedef cw_error *(*cw_query_fn)(const cw_env *env, cw_json msg, cw_buf *answer);
/* migrate, sudo and reply: (env, msg, response). For reply, msg is the Reply JSON. */
typedef cw_error *(*cw_env_msg_fn)(const cw_env *env, cw_json msg, cw_response *res);

/* Parse Env / MessageInfo JSON (strings point into `json`; funds are cw_alloc'd). */
cw_error *cw_env_parse(cw_str json, cw_env *env);
cw_error *cw_info_parse(cw_str json, cw_info *info);

/* Run a handler on serialised inputs and return the complete result JSON, cw_alloc'd
 * (*len_out set). These are what the wasm exports and the native mock both call. */
char *cw_entry_run_instantiate(cw_instantiate_fn fn, cw_str env, cw_str info, cw_str msg,
                               size_t *len_out);
char *cw_entry_run_execute(cw_execute_fn fn, cw_str env, cw_str info, cw_str msg, size_t *len_out);
char *cw_entry_run_query(cw_query_fn fn, cw_str env, cw_str msg, size_t *len_out);
char *cw_entry_run_env_msg(cw_env_msg_fn fn, cw_str env, cw_str msg, size_t *len_out);

/* The native mock looks these up (weak, NULL when the contract has no such entry point). */
typedef struct cw_contract_entries {
    cw_instantiate_fn instantiate;
    cw_execute_fn execute;
    cw_query_fn query;
} cw_contract_entries;

/* CW_CONTRACT(instantiate, execute, query) exports the three handlers.
 * CW_CONTRACT_IGNORING_FUNDS(...) is the same for a contract that never reads info->funds (a
 * cw20 token: funds sent along are simply kept, as cw20-base does): in wasm builds the funds
 * array is only checked to be an array, info->funds stays NULL and n_funds 0, and the funds
 * parser is not linked (~0.5 KB). Natively it is CW_CONTRACT (funds parsed as usual). */
#ifdef __wasm__
uint32_t cw_entry_wasm_instantiate(cw_instantiate_fn fn, uint32_t env, uint32_t info, uint32_t msg);
uint32_t cw_entry_wasm_execute(cw_execute_fn fn, uint32_t env, uint32_t info, uint32_t msg);
uint32_t cw_entry_wasm_query(cw_query_fn fn, uint32_t env, uint32_t msg);
uint32_t cw_entry_wasm_env_msg(cw_env_msg_fn fn, uint32_t env, uint32_t msg);
uint32_t cw_entry_wasm_instantiate_ignoring_funds(cw_instantiate_fn fn, uint32_t env, uint32_t info,
                                                  uint32_t msg);
uint32_t cw_entry_wasm_execute_ignoring_funds(cw_execute_fn fn, uint32_t env, uint32_t info,
                                              uint32_t msg);

#define CW_CONTRACT(instantiate_fn, execute_fn, query_fn)                                          \
    __attribute__((export_name("instantiate"))) uint32_t cw_export_instantiate(                    \
        uint32_t cw_env_region_, uint32_t cw_info_region_, uint32_t cw_msg_region_) {              \
        return cw_entry_wasm_instantiate(instantiate_fn, cw_env_region_, cw_info_region_,          \
                                         cw_msg_region_);                                          \
    }                                                                                              \
    __attribute__((export_name("execute"))) uint32_t cw_export_execute(                            \
        uint32_t cw_env_region_, uint32_t cw_info_region_, uint32_t cw_msg_region_) {              \
        return cw_entry_wasm_execute(execute_fn, cw_env_region_, cw_info_region_, cw_msg_region_); \
    }                                                                                              \
    __attribute__((export_name("query"))) uint32_t cw_export_query(uint32_t cw_env_region_,        \
                                                                   uint32_t cw_msg_region_) {      \
        return cw_entry_wasm_query(query_fn, cw_env_region_, cw_msg_region_);                      \
    }
#define CW_CONTRACT_IGNORING_FUNDS(instantiate_fn, execute_fn, query_fn)                           \
    __attribute__((export_name("instantiate"))) uint32_t cw_export_instantiate(                    \
        uint32_t cw_env_region_, uint32_t cw_info_region_, uint32_t cw_msg_region_) {              \
        return cw_entry_wasm_instantiate_ignoring_funds(instantiate_fn, cw_env_region_,            \
                                                        cw_info_region_, cw_msg_region_);          \
    }                                                                                              \
    __attribute__((export_name("execute"))) uint32_t cw_export_execute(                            \
        uint32_t cw_env_region_, uint32_t cw_info_region_, uint32_t cw_msg_region_) {              \
        return cw_entry_wasm_execute_ignoring_funds(execute_fn, cw_env_region_, cw_info_region_,   \
                                                    cw_msg_region_);                               \
    }                                                                                              \
    __attribute__((export_name("query"))) uint32_t cw_export_query(uint32_t cw_env_region_,        \
                                                                   uint32_t cw_msg_region_) {      \
        return cw_entry_wasm_query(query_fn, cw_env_region_, cw_msg_region_);                      \
    }
#define CW_CONTRACT_ENV_MSG_(name, fn)                                                             \
    __attribute__((export_name(#name)))                                                            \
    uint32_t cw_export_##name(uint32_t cw_env_region_, uint32_t cw_msg_region_) {                  \
        return cw_entry_wasm_env_msg(fn, cw_env_region_, cw_msg_region_);                          \
    }
#define CW_CONTRACT_MIGRATE(fn) CW_CONTRACT_ENV_MSG_(migrate, fn)
#define CW_CONTRACT_SUDO(fn) CW_CONTRACT_ENV_MSG_(sudo, fn)
#define CW_CONTRACT_REPLY(fn) CW_CONTRACT_ENV_MSG_(reply, fn)
#else
#define CW_CONTRACT(instantiate_fn, execute_fn, query_fn)                                          \
    const cw_contract_entries cw_native_entries = {instantiate_fn, execute_fn, query_fn};
#define CW_CONTRACT_IGNORING_FUNDS(instantiate_fn, execute_fn, query_fn)                           \
    CW_CONTRACT(instantiate_fn, execute_fn, query_fn)
#define CW_CONTRACT_MIGRATE(fn) const cw_env_msg_fn cw_native_migrate = fn;
#define CW_CONTRACT_SUDO(fn) const cw_env_msg_fn cw_native_sudo = fn;
#define CW_CONTRACT_REPLY(fn) const cw_env_msg_fn cw_native_reply = fn;
#endif

#endif

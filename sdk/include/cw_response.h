/* Building a contract's Response: attributes, events, messages and submessages (CosmosMsg
 * JSON), and data, serialised exactly as cosmwasm-std serialises Response. Implementation:
 * sdk/src/cw_response.c. All inputs are copied; the response owns its memory. */
#ifndef CW_RESPONSE_H
#define CW_RESPONSE_H

#include "cw_base.h"

/* When a submessage's result is sent back to the contract's reply entry point. */
typedef enum cw_reply_on {
    CW_REPLY_NEVER = 0,
    CW_REPLY_SUCCESS,
    CW_REPLY_ERROR,
    CW_REPLY_ALWAYS
} cw_reply_on;

typedef struct cw_response {
    cw_buf messages;   /* comma-separated SubMsg JSON objects */
    cw_buf attributes; /* comma-separated {"key","value"} objects */
    cw_buf events;     /* comma-separated {"type","attributes"} objects */
    cw_buf data;       /* raw bytes (serialised as base64) */
    bool has_data;
    bool event_open; /* between cw_res_event_begin and cw_res_event_end */
    size_t n_messages, n_attributes, n_events, n_event_attributes;
} cw_response;

/* Zero-initialised ({0}) is an empty response. */
void cw_response_free(cw_response *res);

/* Attributes on the contract's `wasm` event. Keys are NUL-terminated literals. */
void cw_res_attr(cw_response *res, const char *key, cw_str value);
void cw_res_attr_c(cw_response *res, const char *key, const char *value);
void cw_res_attr_u128(cw_response *res, const char *key, cw_u128 value);
void cw_res_attr_u64(cw_response *res, const char *key, uint64_t value);

/* A custom event (`wasm-<type>` on chain): begin, add attributes, end. */
void cw_res_event_begin(cw_response *res, const char *type);
void cw_res_event_attr(cw_response *res, const char *key, cw_str value);
void cw_res_event_end(cw_response *res);

/* A message whose result is not reported back (reply_on never, id 0). `cosmos_msg` is a
 * CosmosMsg JSON value such as cw_msg_bank_send writes. */
void cw_res_message(cw_response *res, cw_str cosmos_msg);
/* A submessage: the reply entry point receives the result per `reply_on`. gas_limit 0 means
 * no limit (serialised as null). */
void cw_res_submessage(cw_response *res, uint64_t id, cw_reply_on reply_on, cw_str cosmos_msg,
                       uint64_t gas_limit);
void cw_res_data(cw_response *res, cw_str bytes);

/* The Response JSON: {"messages":[…],"attributes":[…],"events":[…],"data":null|"<b64>"}.
 * SubMsg: {"id":N,"msg":{…},"gas_limit":null|N,"reply_on":"never|success|error|always"}. */
void cw_response_write_json(const cw_response *res, cw_buf *out);

/* --- CosmosMsg builders (append one CosmosMsg JSON value to `out`) ------------------------ */

/* {"bank":{"send":{"to_address":…,"amount":[{"denom":…,"amount":"…"}]}}} */
void cw_msg_bank_send(cw_buf *out, cw_str to_address, const cw_coin *coins, size_t n_coins);
/* {"bank":{"burn":{"amount":[…]}}} */
void cw_msg_bank_burn(cw_buf *out, const cw_coin *coins, size_t n_coins);
/* {"wasm":{"execute":{"contract_addr":…,"msg":"<base64 of msg_json>","funds":[…]}}} */
void cw_msg_wasm_execute(cw_buf *out, cw_str contract_addr, cw_str msg_json, const cw_coin *funds,
                         size_t n_funds);
/* {"wasm":{"instantiate":{"admin":null|…,"code_id":N,"msg":"<b64>","funds":[…],"label":…}}};
 * admin.ptr == NULL means no admin. */
void cw_msg_wasm_instantiate(cw_buf *out, cw_str admin, uint64_t code_id, cw_str msg_json,
                             const cw_coin *funds, size_t n_funds, cw_str label);
/* {"wasm":{"migrate":{"contract_addr":…,"new_code_id":N,"msg":"<b64>"}}} */
void cw_msg_wasm_migrate(cw_buf *out, cw_str contract_addr, uint64_t new_code_id, cw_str msg_json);

#endif

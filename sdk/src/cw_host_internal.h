/* Host-layer helpers shared by the wasm host layer (cw_host_wasm.c) and the native mock
 * (sdk/mock/cw_mock.c), so both turn host answers into the same results and messages.
 * Private to the SDK. */
#ifndef CW_HOST_INTERNAL_H
#define CW_HOST_INTERNAL_H

#include "cw_base.h"

/* Decode query_chain's JSON SystemResult<ContractResult<Binary>>:
 *   {"ok":{"ok":"<base64>"}}  → NULL, *answer = the decoded bytes (cw_alloc'd, caller frees)
 *   {"ok":{"error":"msg"}}    → error "Querier contract error: msg"
 *   {"error":{…}}             → error "Querier system error: {…}" (the JSON as sent)
 * Anything else is an error "Querier system error: invalid response: …". */
cw_error *cw_host_query_result(cw_str json, cw_str *answer);

/* Messages for addr_* failures, prefixed as cosmwasm-std does: "<op> errored: <msg>". */
cw_error *cw_host_addr_error(const char *op, cw_str msg);

/* cosmwasm-std's addr_validate reports failures as StdError::GenericErr, displayed as
 * "Generic error: addr_validate errored: <host message>" (op passed to cw_host_addr_error) and
 * "Generic error: input too long for addr_validate". */
#define CW_ADDR_VALIDATE_OP "Generic error: addr_validate"
#define CW_ADDR_VALIDATE_TOO_LONG "Generic error: input too long for addr_validate"

/* The maximum human address length the VM reads (MAX_LENGTH_HUMAN_ADDRESS); longer inputs are
 * rejected in the contract with "input too long for <op>". */
#define CW_MAX_HUMAN_ADDRESS 256

/* RecoverPubkeyError texts by host error code. */
cw_error *cw_host_recover_error(uint32_t code);

#endif

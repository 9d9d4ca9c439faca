/* gas_inject.h — wasm-level gas metering: rewrites a module so that running it charges
 * CosmWasm gas exactly as wasmvm 2.2 does (wasmer's metering middleware with cosmwasm-vm's cost
 * function), against a counter the host reads and writes between calls.
 *
 * Cost model (cosmwasm-vm packages/vm/src/wasm_backend/engine.rs `cost`): every operator costs
 * HS_GAS_PER_OPERATION = 115; "accounting" operators (wasmer-middlewares `is_accounting`: loop,
 * end, if, else, br, br_if, br_table, call, call_indirect, return, and the branch operators of
 * the exceptions/tail-call/GC proposals) cost 115 × 14 = 1610.
 * Placement (wasmer `FunctionMetering::feed`): costs accumulate operator by operator; just before
 * each accounting operator the accumulated cost (that operator's included) is checked and
 * subtracted, then the accumulator restarts. So the gas used by a call, and the point where it
 * runs out, match wasmvm exactly.
 *
 * Rewrite: the module gains
 *   - global `hs_gas_left` (mut i64, exported under HS_GAS_EXPORT_LEFT): remaining gas;
 *   - global `hs_gas_exhausted` (mut i32, exported under HS_GAS_EXPORT_EXHAUSTED): set to 1 when
 *     a check fails (wasmer's "points exhausted" flag);
 *   - one function $charge (param $cost i64) appended after all others, exported under
 *     HS_GAS_EXPORT_CHARGE:
 *       if (left < cost) { left = 0; exhausted = 1; unreachable }  left -= cost
 *   - after it, one "tick" function () -> () per distinct cost c the module charges, numbered in
 *     order of first use:  i64.const c  call $charge
 * Before each accounting operator with accumulated cost c it inserts
 *     call $tick_c
 * A call rather than the inline sequence keeps the module and the generated C small; one tick
 * per cost rather than `i64.const c; call $charge` at every site takes a further ~15 % off the
 * metered module and ~13 % off wasm2c's C for cw20-base (a few hundred distinct costs at most;
 * 86 there against ~21,000 sites). The engine rewrites $charge and the ticks in the C as inline
 * checks, so a metered block costs one call in tcc code and none in gcc code. Nothing is
 * renumbered (globals, functions and types are appended; no import is added), so the user's
 * module cannot reach the counter except through the exports; run the upload validator on the
 * original bytes, before injection. */
#ifndef HS_GAS_INJECT_H
#define HS_GAS_INJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm_parse.h"

/* Gas per operator and the multiplier for accounting operators (wasmvm 2.2). */
#define HS_GAS_PER_OPERATION 115u
#define HS_GAS_ACCOUNTING_MULTIPLIER 14u

/* Export names of the injected globals and of the charge function (exported so that wasm2c
 * names it predictably, w2c_hs_gas_charge: the engine replaces its C body with an inline one). */
#define HS_GAS_EXPORT_LEFT "hs_gas_left"
#define HS_GAS_EXPORT_EXHAUSTED "hs_gas_exhausted"
#define HS_GAS_EXPORT_CHARGE "hs_gas_charge"

typedef enum hs_gas_result {
    HS_GAS_OK = 0,
    HS_GAS_ERR_PARSE,    /* the input is not a module the parser accepts */
    HS_GAS_ERR_RESERVED, /* the module already exports one of the injected names */
    HS_GAS_ERR_LIMIT,    /* a count would overflow (e.g. 2^32 - 1 functions) */
    HS_GAS_ERR_NOMEM     /* allocation failed */
} hs_gas_result;

/* Static English name of a result code; never NULL. */
const char *hs_gas_strerror(hs_gas_result r);

/* True for the operators wasmer's metering treats as basic-block boundaries (see above). */
bool hs_gas_is_accounting(const hs_wasm_op *op);

/* Gas charged for one execution of `op`: 115, or 1610 for accounting operators. */
uint64_t hs_gas_operator_cost(const hs_wasm_op *op);

/* Rewrite `size` bytes of wasm at `wasm` with metering as described above.
 * On HS_GAS_OK, *out is a malloc'd module the caller frees with free(), *out_size its length.
 * On failure *out is NULL and `err` (if non-NULL, errlen > 0) holds a one-line message.
 * Deterministic: the same input always gives the same output. The output keeps every section
 * of the input in order, custom sections included, except the "name" section (debug names only;
 * without it wasm2c's names for the charge and tick functions cannot clash with the module's). */
__attribute__((warn_unused_result)) hs_gas_result hs_gas_inject(const uint8_t *wasm, size_t size,
                                                                uint8_t **out, size_t *out_size,
                                                                char *err, size_t errlen);

#endif /* HS_GAS_INJECT_H */

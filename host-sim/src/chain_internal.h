/* chain_internal.h — what the chain modules (chain.c, chain_wasm.c, chain_oracle.c, host_env.c)
 * share behind the public hostsim.h: the hs_chain struct, the transaction/gas context, error
 * reporting with wasmd codespaces, and the per-call context the `env` imports work on.
 *
 * Gas: one counter per transaction in CosmWasm gas (gas_used ≤ gas_limit). A contract call runs
 * its instance with gas = gas_limit - gas_used and adds what the instance used afterwards; host
 * charges made while an instance runs (storage, crypto, queries) go through
 * hs_instance_charge_gas so they are part of that figure; charges between calls (bank transfers,
 * wasmd's per-instance cost) use hs_gas_charge(). Nested frames (a submessage with gas_limit, a
 * query from a contract) temporarily lower gas_limit; see hs_gas_frame_push/pop.
 */
#ifndef HS_CHAIN_INTERNAL_H
#define HS_CHAIN_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "address.h"
#include "engine.h"
#include "store_sqlite.h"
#include "tx_cache.h"
/* chain_bank.h and hostsim.h both name a type hs_coin (the bank's holds a parsed u128, the public
 * one two strings). Inside the chain the bank's is spelled hs_bank_coin; the layout and the
 * bank's symbols are unchanged. */
#define hs_coin hs_bank_coin
#include "chain_bank.h"
#undef hs_coin
#include "hostsim.h"

#if defined(__GNUC__) || defined(__clang__)
#define HS_CHAIN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HS_CHAIN_PRINTF(a, b)
#endif

/* --- Gas constants (CosmWasm gas unless noted) ------------------------------------------------
 * wasmd (x/wasm/keeper/gas_register.go), in SDK gas, multiplied by HS_GAS_MULTIPLIER: */
#define HS_GAS_SDK_INSTANCE_COST 60000u /* DefaultInstanceCost: each contract call or query */
#define HS_GAS_SDK_COMPILE_PER_BYTE 3u  /* DefaultCompileCost: per byte of stored wasm */
#define HS_GAS_SDK_HUMANIZE 5u          /* DefaultGasCostHumanAddress */
#define HS_GAS_SDK_CANONICALIZE 4u      /* DefaultGasCostCanonicalAddress */
/* Cosmos SDK store/types KVGasConfig (SDK gas): */
#define HS_GAS_SDK_READ_FLAT 1000u
#define HS_GAS_SDK_READ_PER_BYTE 3u
#define HS_GAS_SDK_WRITE_FLAT 2000u
#define HS_GAS_SDK_WRITE_PER_BYTE 30u
#define HS_GAS_SDK_DELETE 1000u
#define HS_GAS_SDK_ITER_NEXT_FLAT 30u
/* cosmwasm-vm GasConfig (CosmWasm gas). The crypto costs are cosmwasm-vm 1.5's table (µs of
 * benchmark × 10^9) rescaled to the 2.x unit (÷ 1000, the same factor by which wasmd's
 * multiplier went from 140,000,000 to 140,000); the host-call cost is ARCHITECTURE §4's. */
#define HS_GAS_HOST_CALL 18000u
#define HS_GAS_REGION_READ_PER_BYTE 1u
#define HS_GAS_SECP256K1_VERIFY 154000000u
#define HS_GAS_SECP256K1_RECOVER 162000000u
#define HS_GAS_ED25519_VERIFY 63000000u
#define HS_GAS_ED25519_BATCH_PER_SIG (63000000u / 2)
#define HS_GAS_ED25519_BATCH_ONE_PUBKEY_PER_SIG (63000000u / 4)
/* wasmd: DefaultSmartQueryGasLimit (SDK gas) for queries made from outside the chain. */
#define HS_GAS_SDK_QUERY_LIMIT 3000000u

/* Nesting limits: submessage dispatch depth (a guard for the host stack; wasmd has only gas)
 * and wasmd's query stack (ErrExceedMaxQueryStackSize, 10). */
#define HS_MAX_DISPATCH_DEPTH 64
#define HS_MAX_QUERY_DEPTH 10

/* A loaded code: checksum → engine module (shared by every contract of that code). */
typedef struct hs_code_module {
    uint8_t checksum[32];
    hs_module *mod;
} hs_code_module;

/* Memo of an address conversion, both ways pure functions of the chain's fixed prefix:
 * hs_resolve (name → canonical) and hs_human (canonical → bech32). Direct-mapped, small. */
#define HS_ADDR_MEMO_SLOTS 64
#define HS_ADDR_MEMO_CANON 32 /* longest canonical address memoised (contracts) */
typedef struct hs_addr_memo {
    char text[HS_ADDR_HUMAN_CAP]; /* the name (resolve) or the bech32 (human); "" when unused */
    uint8_t canon[HS_ADDR_MEMO_CANON];
    uint8_t len;
} hs_addr_memo;

/* Memo of a parsed code info or contract info value: the result is a function of the stored
 * bytes alone, so a value equal to `val` needs no JSON parse (chain_wasm.c). */
#define HS_INFO_MEMO_SLOTS 8
typedef struct hs_info_memo {
    uint8_t *val; /* copy of the stored value (malloc'd), NULL when unused */
    size_t len;
    uint64_t code_id; /* contract info: its code_id */
    hs_module *mod;   /* code info: the loaded module of its checksum */
} hs_info_memo;

/* A snapshot: a copy of the whole state keyspace. */
typedef struct hs_snap {
    uint64_t id;
    hs_kv *kv;
} hs_snap;

struct hs_chain {
    char *chain_id, *prefix, *state_dir, *cache_dir;
    uint64_t block_time_seconds;
    uint64_t tx_gas_limit; /* per transaction, CosmWasm gas */
    bool trace;

    hs_kv *kv;     /* the committed state */
    hs_txc *txc;   /* layers over kv */
    hs_sqlite *db; /* NULL when in memory only */
    hs_engine *eng;

    hs_code_module *mods;
    size_t n_mods, cap_mods;

    hs_info_memo contract_memo[HS_INFO_MEMO_SLOTS], code_memo[HS_INFO_MEMO_SLOTS];
    unsigned contract_memo_next, code_memo_next; /* round-robin replacement */
    hs_addr_memo resolve_memo[HS_ADDR_MEMO_SLOTS], human_memo[HS_ADDR_MEMO_SLOTS];

    hs_snap *snaps;
    size_t n_snaps, cap_snaps;
    uint64_t next_snap;

    /* Block (mirrors 0x20‖"block" in the state). */
    uint64_t height, time_ns;

    /* Gas of the running transaction or query. */
    uint64_t gas_limit, gas_used;
    uint64_t last_gas;
    int query_depth;    /* nested query_chain depth */
    int dispatch_depth; /* nested contract calls through messages */

    /* The failure of the running operation (see hs_fail). */
    char *err;
    const char *err_codespace; /* "wasm", "sdk", or NULL for a system failure */
    uint32_t err_code;
};

/* --- Errors -------------------------------------------------------------------------------- */

/* Record the failure of the current operation (replacing any earlier one) and return -1.
 * codespace/code are what wasmd would report (used when the error is redacted for a reply or a
 * contract's query: "codespace: wasm, code: 5"). */
int hs_fail(hs_chain *c, const char *codespace, uint32_t code, const char *fmt, ...)
    HS_CHAIN_PRINTF(4, 5);
/* Prefix the recorded error: "<prefix>: <error>" (keeps codespace/code). Returns -1. */
int hs_fail_wrap_suffix(hs_chain *c, const char *suffix);
/* Take ownership of the recorded error text (NULL if none) and clear it. */
char *hs_fail_take(hs_chain *c);
/* wasmd's redactError text for the recorded error ("codespace: wasm, code: 5"), malloc'd. */
char *hs_fail_redacted(hs_chain *c);

/* wasmd x/wasm error codes (types/errors.go) and Cosmos SDK ones used here. */
enum {
    HS_WASMD_ERR_CREATE = 2,
    HS_WASMD_ERR_INSTANTIATE = 4,
    HS_WASMD_ERR_EXECUTE = 5,
    HS_WASMD_ERR_GAS_LIMIT = 6,
    HS_WASMD_ERR_NOT_FOUND = 8,
    HS_WASMD_ERR_QUERY = 9,
    HS_WASMD_ERR_INVALID_MSG = 10,
    HS_WASMD_ERR_MIGRATION = 11,
    HS_WASMD_ERR_EMPTY = 12,
    HS_WASMD_ERR_LIMIT = 13,
    HS_WASMD_ERR_INVALID = 14,
    HS_WASMD_ERR_UNKNOWN_MSG = 20,
    HS_WASMD_ERR_INVALID_EVENT = 21,
    HS_SDK_ERR_UNAUTHORIZED = 4,
    HS_SDK_ERR_INSUFFICIENT_FUNDS = 5,
    HS_SDK_ERR_INVALID_ADDRESS = 7,
    HS_SDK_ERR_INVALID_COINS = 10,
    HS_SDK_ERR_OUT_OF_GAS = 11,
    HS_SDK_ERR_INVALID_REQUEST = 18,
};

/* --- Transactions and gas -------------------------------------------------------------------- */

/* Start a transaction: a tx_cache layer, gas counter 0 with the chain's limit. 0 or -1. */
int hs_tx_begin(hs_chain *c);
/* Commit (persisting when state_dir is set) or, on ok == false or a failed commit, roll back.
 * Records gas in last_gas. Returns 0 when committed, -1 otherwise (error recorded). */
int hs_tx_end(hs_chain *c, bool ok);

/* Charge gas outside a running instance. 0, or -1 with "out of gas" recorded (gas_used is then
 * gas_limit). */
int hs_gas_charge(hs_chain *c, uint64_t amount);
/* The out-of-gas failure ("out of gas: used N of limit L (SDK gas)"). Returns -1. */
int hs_fail_out_of_gas(hs_chain *c);

/* A nested gas frame: remembers (limit, used) and starts counting from 0 against `limit`. */
typedef struct hs_gas_frame {
    uint64_t limit, used;
} hs_gas_frame;
void hs_gas_frame_push(hs_chain *c, hs_gas_frame *saved, uint64_t limit);
/* Restore the outer frame; returns the gas the inner frame used. */
uint64_t hs_gas_frame_pop(hs_chain *c, const hs_gas_frame *saved);

/* --- State helpers ------------------------------------------------------------------------- */

/* Big-endian u64. */
void hs_put_be64(uint8_t *p, uint64_t v);
uint64_t hs_get_be64(const uint8_t *p);
/* Read/write a u64 sequence 0x04‖name (0 when absent). */
uint64_t hs_seq_get(hs_chain *c, const char *name);
int hs_seq_set(hs_chain *c, const char *name, uint64_t v);
/* Set/delete through the tx cache, recording a system error on failure. 0 or -1. */
int hs_state_set(hs_chain *c, const void *key, size_t klen, const void *val, size_t vlen);
int hs_state_delete(hs_chain *c, const void *key, size_t klen);
/* Read; returns a pointer valid until the next write, or NULL when absent. */
const uint8_t *hs_state_get(hs_chain *c, const void *key, size_t klen, size_t *vlen);

/* Resolve a name (bech32 of this chain, else alias) to canonical bytes (out ≥ 64). 0 or -1
 * (recorded). Contract addresses are 32 bytes, aliases 20. */
int hs_resolve(hs_chain *c, const char *name, uint8_t *out, size_t *len);
/* Human form of canonical bytes into out (≥ HS_ADDR_HUMAN_CAP). */
void hs_human(hs_chain *c, const uint8_t *canon, size_t len, char *out);

/* Parse public coins into bank coins (malloc'd array, caller frees). 0 or -1 (recorded). */
int hs_coins_parse(hs_chain *c, const hs_coin *in, size_t n, hs_bank_coin **out);
/* Parse a JSON array [{"denom","amount"}] into bank coins. 0 or -1 (recorded). */
int hs_coins_from_json(hs_chain *c, json_t *arr, hs_bank_coin **out, size_t *n);
/* JSON array of coins ([{"denom":…,"amount":"…"}]). */
json_t *hs_coins_to_json(const hs_bank_coin *coins, size_t n);
/* sdk.Coins string: "10uatom,5ufoo" (malloc'd). */
char *hs_coins_string(const hs_bank_coin *coins, size_t n);

/* Write the block to the state (inside a layer). 0 or -1. */
int hs_block_store(hs_chain *c);

/* --- Wasm module (chain_wasm.c) -------------------------------------------------------------- */

/* Answer a QueryRequest (JSON bytes) as wasmvm's querier does: the SystemResult JSON
 * ({"ok":{"ok":"<b64>"}}, {"ok":{"error":"…"}}, {"error":{…}}), malloc'd. Gas is charged to the
 * current frame. `redact` hides contract and module errors as wasmd does for contracts. */
char *hs_chain_query(hs_chain *c, const uint8_t *req, size_t len, bool redact);

/* Free the module cache. */
void hs_wasm_free_modules(hs_chain *c);

/* --- Oracle (chain_oracle.c) ----------------------------------------------------------------- */

/* Price of denom as a decimal string (malloc'd) and when it was set (ns). 0, or -1 with a
 * message recorded when there is no price. */
int hs_oracle_price(hs_chain *c, const char *denom, char **price, uint64_t *updated_at);
/* Advance every price path to the current block time (inside a layer). 0 or -1. */
int hs_oracle_advance(hs_chain *c);

/* --- Contract calls (host_env.c) ------------------------------------------------------------- */

/* The context of one instance call, given to the imports as the instance's user pointer. */
typedef struct hs_call {
    hs_chain *chain;
    uint8_t contract[HS_CONTRACT_ADDR_LEN];
    bool readonly;       /* a query: db_write/db_remove trap */
    hs_txc_iter **iters; /* iterators opened by this call; id = index + 1 */
    size_t n_iters, cap_iters;
} hs_call;

/* The import table (wasmvm semantics). */
extern const hs_host_imports hs_host_env_imports;

/* Release what a call opened (iterators). */
void hs_call_cleanup(hs_call *call);

/* Copy a region's bytes out of guest memory: *out malloc'd (NUL-terminated for convenience),
 * *len its length. 0, or -1 with err for an invalid region or one longer than max. */
int hs_region_read_checked(hs_instance *inst, uint32_t ptr, size_t max, uint8_t **out, size_t *len,
                           char *err, size_t errlen);
/* Allocate a region in the guest (through its `allocate`) holding data; *ptr its pointer. 0, or
 * -1 with err (and *trap the engine code when `allocate` itself trapped). */
int hs_region_write_new(hs_instance *inst, const void *data, size_t len, uint32_t *ptr,
                        hs_engine_result *trap, char *err, size_t errlen);

#endif

/* hostsim.h — the public C API of host-sim, Ballast's local CosmWasm chain: store code,
 * instantiate, execute, query, migrate, sudo, bank, blocks, oracle prices, snapshots. Used by
 * the `host-sim run` script runner, the tests and cdp-deploy. Implementation:
 * host-sim/src/chain*.c.
 *
 * Every transaction (store, instantiate, execute, migrate, sudo) is atomic: on error nothing
 * it wrote remains (contract storage, balances, code, contracts, events). Queries never write.
 *
 *     hs_chain_config cfg;  hs_chain_config_default(&cfg);
 *     hs_chain *chain;  char *err = NULL;
 *     if (hs_chain_open(&cfg, &chain, &err)) { fprintf(stderr, "%s\n", err); free(err); }
 *     uint64_t code;  hs_result r = hs_store_code(chain, "alice", wasm, len, &code);
 *     hs_result_free(&r);
 *     r = hs_instantiate(chain, code, "alice", "{\"count\":0}", NULL, 0, "counter", NULL);
 *     if (r.ok) printf("%s\n", r.address);
 *     hs_result_free(&r);
 *     hs_chain_close(chain);
 */
#ifndef HOSTSIM_H
#define HOSTSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct hs_chain hs_chain;

typedef struct hs_chain_config {
    const char *chain_id;      /* default "ballast-local" */
    const char *bech32_prefix; /* default "wasm" */
    /* Directory of the persistent state (SQLite, WAL; committed per transaction). NULL: the
     * chain lives in memory only. Opening an existing DIR continues where it stopped. */
    const char *state_dir;
    const char *cache_dir;       /* compiled-contract cache, default "build/cache" */
    uint64_t genesis_height;     /* default 1 */
    uint64_t genesis_time_ns;    /* default 1700000000000000000 (2023-11-14T22:13:20Z) */
    uint64_t block_time_seconds; /* seconds per block for hs_block_advance(…, 0), default 5 */
    /* Gas limit per transaction in CosmWasm gas units (SDK gas × 140,000).
     * default 100,000,000 SDK gas = 14,000,000,000,000 CosmWasm gas. */
    uint64_t tx_gas_limit;
    bool trace; /* print contract debug() messages and call traces to stderr */
    /* Never start a background `gcc -O2` compile (tier 2, 30–70 s of CPU per 300 KB contract):
     * a contract whose tier-2 object is already in cache_dir uses it, any other runs on tcc code
     * (same results and gas, calls ~5× slower). Meant for test suites, whose many short runs
     * otherwise start compiles that compete with the tests for the CPUs. Default false; the
     * environment variable HOSTSIM_TIER2=0 also turns it on (read by hs_chain_open). */
    bool tcc_only;
} hs_chain_config;

void hs_chain_config_default(hs_chain_config *cfg);

/* Open a chain. Returns 0, or nonzero with *err a malloc'd message (caller frees). */
int hs_chain_open(const hs_chain_config *cfg, hs_chain **out, char **err);
void hs_chain_close(hs_chain *chain);

/* The chain's id, owned by the chain (valid until hs_chain_close). A persistent state keeps the
 * id it was created with: reopening its state_dir answers that id whatever cfg.chain_id says; a
 * new or in-memory chain answers cfg.chain_id (default "ballast-local"). */
const char *hs_chain_id(const hs_chain *chain);

/* A native coin. `amount` is a decimal Uint128 string. */
typedef struct hs_coin {
    const char *denom;
    const char *amount;
} hs_coin;

/* The result of one transaction or query. Strings are malloc'd, owned by the result, freed by
 * hs_result_free. Fields that do not apply are NULL. */
typedef struct hs_result {
    bool ok;
    char *error;       /* !ok: the error message (contract error, trap, out of gas, …) */
    char *address;     /* instantiate: the new contract's bech32 address */
    char *data;        /* base64 of the top-level result data, or NULL when none */
    char *events;      /* JSON array of wasmd-format events */
    char *response;    /* the top-level contract's Response JSON as the contract returned it */
    char *answer;      /* query: the decoded answer JSON */
    char *checksum;    /* store: hex SHA-256 of the wasm */
    uint64_t code_id;  /* store */
    uint64_t gas_used; /* CosmWasm gas units used by the whole transaction */
    uint64_t
        sdk_gas_used; /* the same in Cosmos SDK gas: gas_used / HS_GAS_MULTIPLIER, rounded up */
} hs_result;

/* CosmWasm gas units per Cosmos SDK gas unit (wasmd DefaultGasMultiplier). */
#define HS_GAS_MULTIPLIER 140000u

void hs_result_free(hs_result *r);

/* Addresses: `name` may be a bech32 address of this chain or an alias; aliases map to
 * bech32(prefix, sha256(name)[0..20]). Writes the address into out (≥ 128 bytes). */
void hs_address(hs_chain *chain, const char *name, char *out, size_t out_len);
/* The address the next instantiation of `code_id` gets (wasmd's classic derivation from the code
 * id and the chain's contract sequence + 1), e.g. to name a contract in the messages of one
 * instantiated before it. Any instantiation in between, of any code (also by a contract),
 * consumes that sequence number. The code need not exist. 0, or -1 when out (≥ 128 bytes is
 * enough) is too small. */
int hs_next_contract_address(hs_chain *chain, uint64_t code_id, char *out, size_t out_len);

/* --- Transactions ------------------------------------------------------------------------- */

/* Validate (CosmWasm rules), instrument and compile; the code id is returned in r.code_id. */
hs_result hs_store_code(hs_chain *chain, const char *sender, const uint8_t *wasm, size_t len);
/* admin NULL: no admin. funds are moved from sender to the contract before the call. */
hs_result hs_instantiate(hs_chain *chain, uint64_t code_id, const char *sender, const char *msg,
                         const hs_coin *funds, size_t n_funds, const char *label,
                         const char *admin);
hs_result hs_execute(hs_chain *chain, const char *contract, const char *sender, const char *msg,
                     const hs_coin *funds, size_t n_funds);
/* Only the contract's admin may migrate. */
hs_result hs_migrate(hs_chain *chain, const char *contract, const char *sender,
                     uint64_t new_code_id, const char *msg);
hs_result hs_sudo(hs_chain *chain, const char *contract, const char *msg);
/* A smart query (no gas limit beyond the query limit, no state change). */
hs_result hs_query(hs_chain *chain, const char *contract, const char *msg);
/* Any QueryRequest as a contract would send it through query_chain, e.g.
 * {"wasm":{"raw":{"contract_addr":"…","key":"<base64>"}}}, {"bank":{"balance":{…}}},
 * {"custom":{"oracle":{"price":{"denom":"uatom"}}}}. r.ok with r.answer the decoded Binary
 * (JSON for smart/contract_info/bank/oracle, the stored bytes for raw) and r.data its base64
 * (raw values need not be text); !r.ok with
 * r.error for a system error (its wasmvm JSON, e.g. {"no_such_contract":{"addr":"…"}}) or a
 * contract error (unredacted, unlike what a contract sees). */
hs_result hs_query_request(hs_chain *chain, const char *request_json);

/* --- Bank, blocks, oracle ----------------------------------------------------------------- */

/* Create coins out of thin air (a test faucet), as its own transaction. 0, or nonzero with *err
 * a malloc'd message (caller frees). (Named hs_mint, not hs_bank_mint: that symbol belongs to
 * the internal bank module, chain_bank.h.) */
int hs_mint(hs_chain *chain, const char *to, const hs_coin *coins, size_t n, char **err);
/* Balance of `address` (bech32 or alias) in `denom` as a decimal string written into out
 * (≥ 40 bytes). 0, or nonzero (bad address or denom; out then holds "0"). */
int hs_balance(hs_chain *chain, const char *address, const char *denom, char *out, size_t out_len);

/* Advance `blocks` blocks and `seconds` seconds (seconds 0: blocks × block_time_seconds).
 * Oracle price paths advance with the block time. */
void hs_block_advance(hs_chain *chain, uint64_t blocks, uint64_t seconds);
uint64_t hs_block_height(const hs_chain *chain);
uint64_t hs_block_time_ns(const hs_chain *chain);

/* Set a denom's price (decimal string, ≤ 18 fractional digits) now. */
int hs_oracle_set_price(hs_chain *chain, const char *denom, const char *price, char **err);
/* A price path that advances with block time, as JSON:
 *   {"kind":"step","points":[[t_seconds,"price"],…]}          (relative to now)
 *   {"kind":"linear","points":[[t_seconds,"price"],…]}
 *   {"kind":"gbm","start":"10","drift":"0.0","volatility":"0.8","seed":7,"step_seconds":60}
 *   {"kind":"csv","file":"path.csv"}                          (lines: seconds,price)   */
int hs_oracle_set_path(hs_chain *chain, const char *denom, const char *path_json, char **err);

/* --- Snapshots ---------------------------------------------------------------------------- */

/* Capture the whole chain state; revert to it later (any number of times). */
uint64_t hs_snapshot(hs_chain *chain);
int hs_revert(hs_chain *chain, uint64_t snapshot, char **err);

/* CosmWasm gas used by the last transaction or query. */
uint64_t hs_last_gas_used(const hs_chain *chain);

#endif

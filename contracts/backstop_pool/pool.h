/* backstop_pool internals shared by its source files: strict message parsing, binary records,
 * the stored state (config, pool state, assets, per-asset sums, deposits), the product–sum
 * arithmetic, the per-call ledger and the handlers. Behaviour: contracts/backstop_pool/SPEC.md.
 * Everything here is prefixed bp_. */
#ifndef BACKSTOP_POOL_POOL_H
#define BACKSTOP_POOL_POOL_H

#include <stddef.h>

#include "cw_arena.h"
#include "cw_base.h"
#include "cw_entry.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_math.h"
#include "cw_parse.h"
#include "cw_query.h"
#include "cw_record.h"
#include "cw_response.h"
#include "cw_storage.h"

#define BP_MAX_ASSETS 32 /* distinct collateral assets the pool can ever hold */

/* --- Message parsing: cw_parse_struct / cw_parse_enum with the SDK's standard kinds ------- */

/* Every message's fields, filled from a cw_field table (CW_REQ / CW_OPT over bp_msg) by
 * cw_parse_struct(…, bp_parse_value). */
typedef struct bp_msg {
    cw_str governance, stable_token, engine, liquidator, market, asset, kind, address, sender;
    cw_u128 amount, debt;
    cw_json msg;
    bool has_governance, has_engine, has_liquidator, has_amount;
} bp_msg;
/* cw_parse_kinds over the kinds this contract uses (string, address, Uint128, raw JSON). */
cw_error *bp_parse_value(const cw_field *f, cw_json v, void *out);

/* --- Records (codec.c): encoded with cw_record.h (little-endian, u16-length strings) ------- */

/* Load a stored value (held); false when absent. */
bool bp_load(cw_str key, cw_str *value);
/* Store a buffer's bytes under key and free the buffer. */
void bp_save(cw_str key, cw_buf *b);
/* A Uint128's decimal text (held); formatted with %s (cw_u128 after other varargs is unsafe). */
const char *bp_u(cw_u128 v);
/* A Uint256's decimal text (held). */
const char *bp_u256(cw_u256 v);
/* Key of Map `ns` with one string part (held). */
cw_str bp_key1(const char *ns, cw_str part);

/* --- Stored state (state.c) ------------------------------------------------------------------ */

/* Item "config". */
typedef struct bp_config {
    cw_str governance;   /* may change engine, liquidator and itself */
    cw_str stable_token; /* the CW20 stablecoin deposited (fixed at instantiate) */
    cw_str engine;       /* receives the stable that covers absorbed debt */
    cw_str liquidator;   /* the only caller of absorb */
} bp_config;

/* Item "state": the pool's running totals and the product P (SPEC.md §3). */
typedef struct bp_state {
    cw_u128 total_deposits; /* T: stable owed to depositors, Σ compounded deposits + dust */
    cw_u128 product;        /* P ∈ [10^18, 10^36]; the real product is P / 10^36 / 10^18^scale */
    cw_u128 deposited;      /* Σ stable received by deposits */
    cw_u128 withdrawn;      /* Σ stable paid to depositors */
    cw_u128 spent;          /* Σ stable sent to the engine for absorbed debt */
    uint64_t epoch;         /* number of times the pool was emptied exactly */
    uint64_t scale;         /* number of times P was multiplied by 10^18 in this epoch */
    uint64_t depositors;    /* deposit records */
    uint64_t n_assets;      /* collateral assets seen (ids 0..n_assets-1) */
} bp_state;

enum { BP_NATIVE = 0, BP_CW20 = 1 };

/* Map "asset" be32(id) and Map "asset_id" asset → be32(id). */
typedef struct bp_asset {
    uint32_t id;
    cw_str asset;     /* native denom or CW20 address */
    uint8_t kind;     /* BP_NATIVE / BP_CW20 */
    cw_u128 received; /* Σ collateral absorbed [asset base units] */
    cw_u128 paid;     /* Σ collateral paid to depositors */
    /* per call */
    cw_u128 received_before, paid_before, paid_now;
    bool touched;
} bp_asset;

/* Map "deposit" address: a depositor's amount and snapshots. */
typedef struct bp_snapshot {
    uint32_t asset_id;
    cw_u256 sum; /* S of the asset at (epoch, scale) when the deposit was last touched */
} bp_snapshot;
typedef struct bp_deposit {
    bool found;
    cw_u128 amount;  /* d: the deposit when last touched [stable] */
    cw_u128 product; /* P then */
    uint64_t epoch, scale;
    uint32_t n; /* snapshots with S ≠ 0 (an absent asset's S snapshot is 0) */
    bp_snapshot snap[BP_MAX_ASSETS];
} bp_deposit;

cw_error *bp_config_load(bp_config *c);
void bp_config_save(const bp_config *c);
cw_error *bp_state_load(bp_state *s);
void bp_state_save(const bp_state *s);
/* Asset by id (must exist), by name (found false when new). */
void bp_asset_load(uint32_t id, bp_asset *a);
bool bp_asset_find(cw_str asset, bp_asset *a);
void bp_asset_save(const bp_asset *a);
bool bp_deposit_load(cw_str owner, bp_deposit *d);
void bp_deposit_save(cw_str owner, const bp_deposit *d);
void bp_deposit_remove(cw_str owner);
/* S of asset `id` at (epoch, scale); 0 when never written. */
cw_u256 bp_sum_load(uint32_t id, uint64_t epoch, uint64_t scale);
void bp_sum_save(uint32_t id, uint64_t epoch, uint64_t scale, cw_u256 s);

/* --- Product–sum arithmetic (product_sum.c, SPEC.md §3) ------------------------------------ */

#define BP_P_START ((cw_u128)1000000000000000000ull * 1000000000000000000ull) /* 10^36 */
#define BP_P_MIN ((cw_u128)1000000000000000000ull)                            /* 10^18 */
#define BP_SCALE ((cw_u128)1000000000000000000ull)                            /* 10^18 */

/* floor(d · P / (P_snapshot · SCALE^(scale − scale_snapshot))); 0 for an older epoch or three
 * or more scale changes. */
cw_u128 bp_compounded(const bp_state *s, const bp_deposit *d);
/* The deposit's gain of asset `id`: Σ_{k=0..2} floor(d · (S[e][s+k] − snap_k) / (P_snap · SCALE^k))
 * with snap_0 the snapshot and snap_1 = snap_2 = 0. */
cw_error *bp_gain(const bp_deposit *d, uint32_t id, cw_u128 *gain);
/* Take a fresh snapshot of the state into d (amount is set by the caller). */
void bp_snapshot_take(const bp_state *s, bp_deposit *d);
/* Absorb `debt` ≤ T with `amount` of asset `id`: S[epoch][scale] += floor(amount·P/T), then
 * P and T updated (a new epoch when debt == T, scale changes while P < 10^18). */
cw_error *bp_absorb_update(bp_state *s, uint32_t id, cw_u128 amount, cw_u128 debt);

/* --- Per-call context and ledger (ledger.c) ------------------------------------------------- */

typedef struct bp_ctx {
    const cw_env *env;
    const cw_info *info;
    cw_response *res;
    bp_config cfg;
    bp_state state, before;
    cw_u128 stable_in;       /* stable received through the hook this call */
    cw_u128 stable_to_users; /* in transfer messages to depositors */
    cw_u128 stable_to_engine;
    bp_asset assets[BP_MAX_ASSETS]; /* loaded on demand, by id */
    bool loaded[BP_MAX_ASSETS];
    cw_u128 received_now[BP_MAX_ASSETS]; /* collateral absorbed this call, by asset id */
    cw_buf gains_attr;                   /* "asset:amount,…" of this call's payouts */
} bp_ctx;

/* The call's copy of asset `id` (loaded once, marked touched). */
bp_asset *bp_asset_at(bp_ctx *c, uint32_t id);
/* Messages: pay collateral, transfer stable to a depositor, send stable to the engine. */
void bp_pay_collateral(bp_ctx *c, bp_asset *a, cw_str to, cw_u128 amount);
void bp_pay_stable(bp_ctx *c, cw_str to, cw_u128 amount);
void bp_send_to_engine(bp_ctx *c, cw_str market, cw_u128 debt);
/* Save the state and touched assets, then check the identities (SPEC.md §6). */
cw_error *bp_finish(bp_ctx *c);
cw_error *bp_balance_of(const cw_env *env, cw_str asset, uint8_t kind, cw_u128 *out);

/* --- Handlers -------------------------------------------------------------------------------- */
cw_error *bp_instantiate_config(const bp_msg *m, cw_response *res);      /* config.c */
cw_error *bp_exec_update_config(bp_ctx *c, const bp_msg *m);             /* config.c */
cw_error *bp_deposit_received(bp_ctx *c, cw_str depositor, cw_u128 amt); /* deposits.c */
cw_error *bp_exec_withdraw(bp_ctx *c, const bp_msg *m);                  /* deposits.c */
cw_error *bp_exec_claim(bp_ctx *c, const bp_msg *m);                     /* deposits.c */
/* The depositor's compounded deposit and gains of every asset (for the deposit query). */
cw_error *bp_position_of(const bp_state *s, const bp_deposit *d, cw_u128 *compounded,
                         cw_u128 *gains);
cw_error *bp_exec_absorb(bp_ctx *c, const bp_msg *m);               /* absorb.c */
cw_error *bp_query(const cw_env *env, cw_json msg, cw_buf *answer); /* queries.c */

#endif

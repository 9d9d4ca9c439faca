/* liquidator internals shared by its source files: stored records (config, market parameters,
 * auctions, per-market and per-asset totals), message records, the per-call context and
 * ledger, and every module's functions. Behaviour: contracts/liquidator/SPEC.md. Prefix lq_. */
#ifndef LIQUIDATOR_H
#define LIQUIDATOR_H

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

/* --- Records and text (codec.c) -------------------------------------------------------------- */

/* Records are encoded with cw_record.h (little-endian integers, u16-length strings). */
/* Load a stored value (held); false when absent. */
bool lq_load(cw_str key, cw_str *value);
/* Map keys (held): one string part, or one u64 part. */
cw_str lq_key(const char *ns, cw_str part);
cw_str lq_key_id(const char *ns, uint64_t id);
/* Held texts for messages and attributes. */
const char *lq_u(cw_u128 v);
const char *lq_dstr(cw_decimal d);
cw_str lq_copy(cw_str s);

/* --- Message parsing (msg.c) ------------------------------------------------------------------ */

/* The SDK's standard kinds (cw_parse.h) under this contract's names, plus its own address. */
enum {
    LQ_STR = CW_KIND_STRING,
    LQ_U128 = CW_KIND_U128,
    LQ_DEC = CW_KIND_DECIMAL,
    LQ_U64 = CW_KIND_U64,
    LQ_BOOL = CW_KIND_BOOL,
    LQ_RAW = CW_KIND_JSON,
    LQ_ADDR = CW_KIND_CUSTOM /* a valid address; a non-string is "expected a string" */
};
/* Read a struct body strictly (cw_parse_struct with the kinds above). Enums: cw_parse_enum. */
cw_error *lq_parse(cw_json obj, const cw_field *fields, size_t n, void *record);

/* --- Stored records ------------------------------------------------------------------------- */

/* Item "config" (config.c). Empty strings mean "not set". */
typedef struct lq_config {
    cw_str governance;        /* may change parameters, the circuit breaker and the config */
    cw_str engine;            /* vault_engine: starts auctions, receives proceeds, shuts down */
    cw_str stable_token;      /* the CW20 stablecoin buyers pay with (send_from) */
    cw_str oracle;            /* answers {"price":{"denom"}} */
    cw_str backstop_pool;     /* absorbs auctions; empty: none */
    cw_str settlement;        /* receives cancelled lots after shutdown; empty: not set */
    uint64_t circuit_breaker; /* 0 none, 1 no new auctions, 2 also no redo, 3 also no take */
    uint64_t shut_down;       /* 1 after the engine's shutdown */
    uint64_t next_auction_id; /* first 1 */
} lq_config;

enum { LQ_LINEAR = 0, LQ_EXPONENTIAL = 1 };
enum { LQ_NATIVE = 0, LQ_CW20 = 1 };

/* Map "params" market (market_params.c). */
typedef struct lq_params {
    uint64_t curve;             /* LQ_LINEAR or LQ_EXPONENTIAL */
    uint64_t duration;          /* linear: seconds from top to zero */
    uint64_t step;              /* exponential: seconds per cut */
    cw_decimal cut;             /* exponential: price factor per step, 0 < cut < 1 */
    cw_decimal start_buffer;    /* top = oracle price × start_buffer, ≥ 1 */
    uint64_t max_duration;      /* seconds after which redo is allowed */
    cw_decimal reset_threshold; /* redo when price < reset_threshold × oracle price */
    cw_u128 dust;               /* smallest tab a partial take may leave [stable] */
    cw_decimal backstop_health; /* absorb at start when health < this (≤ 1) */
} lq_params;

/* Map "auction" be64(id) (auctions.c). */
typedef struct lq_auction {
    uint64_t id, position_id;
    cw_str owner, market, asset, oracle_denom, keeper;
    uint64_t kind;       /* LQ_NATIVE or LQ_CW20 */
    cw_u128 lot;         /* collateral left [collateral base units] */
    cw_u128 debt;        /* debt not yet covered [stable] */
    cw_u128 tab;         /* debt + penalty still to raise, ≥ debt [stable] */
    cw_decimal top;      /* start price of the current round [stable per collateral unit] */
    uint64_t started_at; /* block time the current round started [s] */
    uint64_t resets;     /* redo count */
} lq_auction;

/* Map "market_debt" market and Map "held" asset (ledger.c): the identity's stored totals. */
typedef struct lq_market_total {
    cw_u128 debt;  /* Σ live auctions' debt in this market [stable] */
    uint64_t live; /* live auctions in this market */
} lq_market_total;

/* --- Per-call context and ledger (ledger.c) -------------------------------------------------- */

/* What this call did, recorded where messages are built, checked at the end (SPEC §8). */
typedef struct lq_ledger {
    bool has_market, has_asset, has_auction;
    cw_str market, asset;
    uint64_t kind;
    cw_u128 debt_in;    /* debt handed over by start_auction */
    cw_u128 debt_out;   /* covered by proceeds, absorbed, written off or cancelled */
    cw_u128 lot_in;     /* collateral received */
    cw_u128 lot_out;    /* collateral sent (buyers, owners, pool, settlement) */
    int64_t live_delta; /* auctions created (+1) or ended (−1) */
    cw_u128 auction_debt_before, auction_lot_before; /* the touched auction (0 when new) */
    cw_u128 auction_debt_after, auction_lot_after;   /* (0 when ended) */
} lq_ledger;

typedef struct lq_ctx lq_ctx;
struct lq_ctx {
    const cw_env *env;
    const cw_info *info;
    cw_response *res;
    uint64_t now; /* block time [s] */
    lq_config cfg;
    lq_ledger ledger;
};

/* --- config.c ------------------------------------------------------------------------------- */
cw_error *lq_config_load(lq_config *c);
void lq_config_save(const lq_config *c);
cw_error *lq_instantiate(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res);
cw_error *lq_exec_update_config(lq_ctx *c, cw_json body);
cw_error *lq_exec_set_circuit_breaker(lq_ctx *c, cw_json body);
cw_error *lq_require_governance(lq_ctx *c);
cw_error *lq_require_engine(lq_ctx *c);
/* Refuse when shut down, or when the circuit breaker is at `level` or above. */
cw_error *lq_require_running(lq_ctx *c, uint64_t level, const char *what);

/* --- market_params.c ------------------------------------------------------------------------ */
cw_error *lq_params_load(cw_str market, lq_params *p);
cw_error *lq_exec_set_market_params(lq_ctx *c, cw_json body);
void lq_write_params(cw_jw *w, cw_str market, const lq_params *p);

/* --- pricing.c: oracle, pool deposits, the price curves ------------------------------------- */
cw_error *lq_oracle_price(const lq_config *cfg, cw_str denom, cw_decimal *price);
/* The pool's total_deposits; 0 when no pool is configured or its query fails (then the
 * attribute backstop_pool_unavailable carries the error: auctions go on without the pool). */
cw_u128 lq_pool_deposits(lq_ctx *c);
/* top = ceil(oracle × start_buffer). */
cw_decimal lq_top_price(cw_decimal oracle, const lq_params *p);
/* The auction's price at `now` (rounded down; SPEC §3). */
cw_decimal lq_price_at(const lq_auction *a, const lq_params *p, uint64_t now);
/* Why the auction needs a reset at `now` (NULL: it does not); `oracle` may be NULL (unknown). */
const char *lq_reset_reason(const lq_auction *a, const lq_params *p, uint64_t now,
                            const cw_decimal *oracle, cw_decimal price);

/* --- auctions.c: records, start, absorption, sends ----------------------------------------- */
cw_error *lq_auction_load(uint64_t id, lq_auction *a);
void lq_auction_save(const lq_auction *a);
void lq_auction_delete(uint64_t id);
cw_error *lq_exec_start_auction(lq_ctx *c, cw_json body);
/* Send `amount` of the auction's asset to `to` (bank send or CW20 transfer; ledger lot_out). */
void lq_send_collateral(lq_ctx *c, const lq_auction *a, cw_str to, cw_u128 amount);
/* Hand `amount` of collateral and `covered` debt to the pool (SOLVENCY §2 step 5). */
void lq_absorb(lq_ctx *c, const lq_auction *a, cw_u128 amount, cw_u128 covered);
/* An execute of the engine (no funds) with `json` as its message. */
void lq_engine_exec(lq_ctx *c, cw_str json);
void lq_auction_attrs(lq_ctx *c, const char *action, const lq_auction *a);
/* Record the auction's state before the call changes it. */
void lq_touch_auction(lq_ctx *c, const lq_auction *a);
/* Store the auction after the call (deleted when `ended`) and note its final state. */
void lq_auction_done(lq_ctx *c, lq_auction *a, bool ended);

/* --- take.c, redo.c, shutdown.c ------------------------------------------------------------- */
cw_error *lq_exec_take(lq_ctx *c, cw_json body);
cw_error *lq_exec_redo(lq_ctx *c, cw_json body);
cw_error *lq_exec_shutdown(lq_ctx *c, cw_json body);
cw_error *lq_exec_cancel_auction(lq_ctx *c, cw_json body);

/* --- ledger.c ------------------------------------------------------------------------------- */
cw_error *lq_market_total_load(cw_str market, lq_market_total *t);
/* The held total of an asset (0 when never held); *kind set when found. */
cw_u128 lq_held_load(cw_str asset, uint64_t *kind, bool *found);
cw_error *lq_balance_of(const cw_env *env, cw_str asset, uint64_t kind, cw_u128 *out);
/* Name the one market / asset this call touches (a second one aborts). */
void lq_touch(lq_ctx *c, cw_str market, cw_str asset, uint64_t kind);
/* Update the stored totals from the ledger, then check the identity (SPEC §8). */
cw_error *lq_finish(lq_ctx *c);

/* --- queries.c ------------------------------------------------------------------------------ */
cw_error *lq_query(const cw_env *env, cw_json msg, cw_buf *answer);

#endif

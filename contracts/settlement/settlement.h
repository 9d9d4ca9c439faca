/* settlement internals shared by its source files: strict message parsing, binary records, the
 * stored state (config, status, collateral assets), finalize, redemption and the accounting
 * check. Behaviour: contracts/settlement/SPEC.md. Everything here is prefixed sm_. */
#ifndef SETTLEMENT_SETTLEMENT_H
#define SETTLEMENT_SETTLEMENT_H

#include <stddef.h>

#include "cw_arena.h"
#include "cw_base.h"
#include "cw_entry.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_math.h"
#include "cw_parse.h"
#include "cw_query.h"
#include "cw_response.h"
#include "cw_storage.h"

#define SM_MAX_ASSETS 64 /* distinct collateral assets recorded at finalize */
#define SM_PAGE 30       /* markets per engine query (the engine's maximum) */

/* --- Message parsing: cw_parse_struct / cw_parse_enum with the SDK's standard kinds ------- */

/* Every message's fields, filled from a cw_field table over sm_msg by
 * cw_parse_struct(…, sm_parse_value). */
typedef struct sm_msg {
    cw_str engine, stable_token, sender;
    cw_u128 amount;
    cw_json msg;
} sm_msg;
/* cw_parse_kinds over the kinds this contract uses (string, address, Uint128, raw JSON). */
cw_error *sm_parse_value(const cw_field *f, cw_json v, void *out);

/* --- Records (records.c): little-endian integers, strings as u16 length + bytes ------------- */

/* A Uint128's decimal text (held), for %s (cw_u128 after other varargs is unsafe with %Q). */
const char *sm_u(cw_u128 v);

/* Item "config". */
typedef struct sm_config {
    cw_str engine;       /* answers shutdown_status and markets; sends collateral here */
    cw_str stable_token; /* the CW20 redeemed (and burned) */
} sm_config;

/* Item "status". */
typedef struct sm_status {
    bool finalized;
    uint64_t finalized_at; /* block time [s] */
    cw_u128 supply;        /* stable_token total_supply at finalize [stable] */
    cw_u128 redeemed;      /* Σ stable redeemed (and burned) [stable] */
    uint64_t n_assets;
} sm_status;

enum { SM_NATIVE = 0, SM_CW20 = 1 };

/* Map "asset" be32(index): a collateral asset and its redemption pool. */
typedef struct sm_asset {
    cw_str asset;
    uint8_t kind;
    cw_u128 pool; /* balance at finalize [asset base units] */
    cw_u128 paid; /* Σ paid to redeemers */
} sm_asset;

cw_error *sm_config_load(sm_config *c);
void sm_config_save(const sm_config *c);
cw_error *sm_status_load(sm_status *s);
void sm_status_save(const sm_status *s);
void sm_asset_load(uint32_t index, sm_asset *a);
void sm_asset_save(uint32_t index, const sm_asset *a);

/* --- Per-call context ------------------------------------------------------------------------ */

typedef struct sm_ctx {
    const cw_env *env;
    const cw_info *info;
    cw_response *res;
    sm_config cfg;
    sm_status status, before;
    cw_u128 burned_now;              /* in burn messages */
    cw_u128 paid_now[SM_MAX_ASSETS]; /* in payout messages, by asset index */
    sm_asset assets[SM_MAX_ASSETS];  /* all assets, loaded by redeem / written by finalize */
    cw_u128 paid_before[SM_MAX_ASSETS];
    bool assets_loaded;
} sm_ctx;

cw_error *sm_balance_of(const cw_env *env, cw_str asset, uint8_t kind, cw_u128 *out);
/* A smart query of `contract` whose answer is parsed (held). */
cw_error *sm_query_json(cw_str contract, cw_str msg, cw_json *answer);

/* --- Handlers -------------------------------------------------------------------------------- */
cw_error *sm_exec_finalize(sm_ctx *c);                           /* finalize.c */
cw_error *sm_redeem(sm_ctx *c, cw_str redeemer, cw_u128 amount); /* redeem.c */
/* floor(amount · pool / supply) for asset `a`. */
cw_u128 sm_share(const sm_status *s, const sm_asset *a, cw_u128 amount); /* redeem.c */
cw_error *sm_finish(sm_ctx *c);                                          /* redeem.c */
cw_error *sm_query(const cw_env *env, cw_json msg, cw_buf *answer);      /* queries.c */

#endif

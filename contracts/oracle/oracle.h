/* oracle internals shared by its source files: per-call memory, strict message parsing, the
 * stored records, the accounting ledger, price reading and the handlers. Behaviour:
 * contracts/oracle/SPEC.md. Everything here is prefixed or_. */
#ifndef ORACLE_ORACLE_H
#define ORACLE_ORACLE_H

#include <stddef.h>

#include "cw_arena.h"
#include "cw_base.h"
#include "cw_entry.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_math.h"
#include "cw_parse.h"
#include "cw_response.h"

/* --- Per-call memory (cw_arena.h; the entry points call cw_release_all) ---------------------- */

/* The text form of a Decimal ("9.75"), held. */
cw_str or_dec_str(cw_decimal d);
/* The decimal form of a u64, held (checks.c, with the attribute helpers). */
cw_str or_u64_str(uint64_t v);

/* --- Message parsing (msg_parse.c) ---------------------------------------------------------- */

typedef enum or_kind {
    OR_STRING,  /* JSON string → cw_str (unescaped, held) */
    OR_DECIMAL, /* Decimal string → cw_decimal */
    OR_U64,     /* JSON number → uint64_t */
    OR_RAW      /* any JSON value → cw_json */
} or_kind;

/* A struct with deny_unknown_fields (cw_parse_fields with the kinds above, tables built with
 * CW_REQ / CW_OPT): unknown, duplicate, missing fields and bad values fail. */
cw_error *or_parse_struct(cw_json obj, const cw_field *fields, size_t n, void *base);
/* An externally tagged enum {"variant": body}; *index is its position in `variants`
 * (NULL-terminated). */
cw_error *or_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body);
/* Prefix "Error parsing into type oracle::msg::<type>: " (err is consumed). */
cw_error *or_parse_error(const char *type, cw_error *err);
/* A JSON string value, unescaped (held). */
cw_error *or_json_string(cw_json v, cw_str *out);

/* --- Stored records (state.c) --------------------------------------------------------------- */

typedef enum or_source { OR_SRC_FEEDERS = 0, OR_SRC_CHAIN = 1 } or_source;

/* Sizes of the feeder set, the asset list and all submissions; see SPEC.md §6. */
typedef struct or_totals {
    uint64_t feeders, assets, submissions;
} or_totals;

/* An asset as the config lists it. */
typedef struct or_listing {
    cw_str denom;
    uint8_t source; /* or_source */
} or_listing;

/* Item "config": parameters, the feeder set, the asset list and the counters. Arrays are
 * held, sorted (feeders by address, assets by denom), with room for one more entry. */
typedef struct or_config {
    cw_str governance;   /* the only address allowed to change parameters */
    uint64_t quorum;     /* fresh submissions needed for a median, 1..feeder count */
    uint64_t max_age;    /* seconds a submission or price stays fresh, 1..OR_MAX_SECONDS */
    cw_decimal max_move; /* largest accepted move per update, ratio of the current price */
    uint64_t delay;      /* seconds between pokes of the delayed price; 0 = undelayed */
    or_totals totals;    /* counters kept by the handlers (the identity's left side) */
    cw_str *feeders;
    size_t n_feeders;
    or_listing *assets;
    size_t n_assets;
} or_config;

/* A price and when it was set (block time, ns); `set` false = none. */
typedef struct or_quote {
    bool set;
    cw_decimal price;
    uint64_t at;
} or_quote;

typedef struct or_submission {
    cw_str feeder;
    or_quote quote; /* price and submission time */
} or_submission;

/* Map "asset" (key: denom): an asset's price state. An asset without a record has none. */
typedef struct or_asset {
    uint8_t source;         /* from the config listing */
    or_quote live;          /* the accepted median (feeders): what the undelayed price serves */
    or_quote pending;       /* a median that moved more than max_move, awaiting confirmation */
    cw_str pending_by;      /* the feeder whose submission made it pending */
    or_quote current, next; /* delayed mode: served now / served after the next poke */
    uint64_t poked_at;      /* block time (ns) of the last poke, 0 = never */
    or_submission *subs;    /* latest submission per feeder, sorted by feeder (room for +1) */
    size_t n_subs;
    size_t n_subs_stored; /* n_subs as last loaded or saved (for the ledger) */
} or_asset;

/* Allocate the config's arrays for n feeders and m assets (plus one each). */
void or_config_alloc(or_config *cfg, size_t n_feeders, size_t n_assets);
cw_error *or_config_load(or_config *cfg);
void or_config_save(const or_config *cfg);

const char *or_source_name(uint8_t source);
/* "feeders" / "chain" → source; `invalid source: x (expected feeders or chain)`. */
cw_error *or_source_parse(cw_str s, uint8_t *out);
/* The Cosmos SDK denom rule; `invalid denom: …`. */
cw_error *or_denom_validate(cw_str denom);

/* Position of `key` in a sorted array, or where it would go; *found tells which. */
size_t or_feeder_find(const or_config *cfg, cw_str addr, bool *found);
size_t or_asset_find(const or_config *cfg, cw_str denom, bool *found);
void or_feeder_insert(or_config *cfg, size_t at, cw_str addr);
void or_feeder_delete(or_config *cfg, size_t at);
void or_asset_insert(or_config *cfg, size_t at, cw_str denom, uint8_t source);
void or_asset_delete(or_config *cfg, size_t at);

/* Load an asset's record (empty when it has none), or `unknown asset: <denom>`. */
cw_error *or_asset_load(const or_config *cfg, cw_str denom, or_asset *a);
void or_asset_save(cw_str denom, or_asset *a);
void or_asset_remove(cw_str denom, const or_asset *a);
/* The submission of `feeder`: its index, or where it would be inserted (*found false). */
size_t or_submission_find(const or_asset *a, cw_str feeder, bool *found);
void or_submission_insert(or_asset *a, size_t at, cw_str feeder);
void or_submission_delete(or_asset *a, size_t at);

/* --- Accounting ledger: the O(1) identity (ledger.c) --------------------------------------- */

/* Net change of stored submissions seen by the storage layer during this call. */
extern int64_t or_stored_submissions_delta;

/* totals.feeders == feeder set size, totals.assets == asset list size, totals.submissions ==
 * before + stored delta, and 1 ≤ quorum ≤ feeders. */
cw_error *or_ledger_check(const or_totals *before, const or_config *cfg);

/* --- Reading prices (price_read.c) ---------------------------------------------------------- */

/* Age in whole seconds, rounded up: ceil((now − t) / 1 s), 0 when t ≥ now. */
uint64_t or_age_seconds(uint64_t now_ns, uint64_t t_ns);
/* |to − from| / from rounded up to 18 digits (saturating), from > 0: the `move` figure. */
cw_decimal or_move_ratio(cw_decimal from, cw_decimal to);
/* Exactly |to − from| ≤ max_move × from (256-bit products, no rounding). */
bool or_within_move(cw_decimal from, cw_decimal to, cw_decimal max_move);
/* Number of fresh submissions (age ≤ max_age) of an asset. */
size_t or_count_fresh(const or_asset *a, const or_config *cfg, uint64_t now);
/* The undelayed price with every check of SPEC.md §4: the feeders' live median or the chain
 * oracle's price. Errors `no valid price for <denom>: …`. */
cw_error *or_live_price(cw_str denom, const or_asset *a, const or_config *cfg, uint64_t now,
                        or_quote *out);
/* The price the `price` query serves: live when delay = 0, otherwise the delayed current. */
cw_error *or_served_price(cw_str denom, const or_asset *a, const or_config *cfg, uint64_t now,
                          or_quote *out);

/* --- Execute handlers ----------------------------------------------------------------------- */

/* Every execute message's fields (which ones a variant uses: contract.c). */
typedef struct or_msg {
    cw_str denom, address, source;
    cw_decimal price, max_move;
    uint64_t quorum, max_age, delay;
    bool has_quorum, has_max_age, has_max_move, has_delay;
} or_msg;

/* The state every execute handler gets; config and totals are saved by the dispatcher. */
typedef struct or_ctx {
    const cw_env *env;
    const cw_info *info;
    cw_response *res;
    or_config cfg;
} or_ctx;

typedef cw_error *(*or_exec_fn)(or_ctx *c, const or_msg *m);

/* Attribute helpers: a Decimal, or a quote's price ("none" when unset). */
void or_attr_dec(cw_response *res, const char *key, cw_decimal d);
void or_attr_quote(cw_response *res, const char *key, const or_quote *q);
/* `unauthorized: <sender> is not governance`. */
cw_error *or_require_governance(const or_ctx *c);
/* or_asset_load plus `asset <denom> is chain-sourced: <action> needs a feeders asset`. */
cw_error *or_load_feeders_asset(const or_config *cfg, cw_str denom, const char *action,
                                or_asset *a);
/* `invalid price: 0 (must be positive)`. */
cw_error *or_require_positive(cw_decimal price);
/* Upper bound of max_age and delay: one year of seconds. */
#define OR_MAX_SECONDS 31536000u
/* Quorum, max_age, max_move and delay rules shared by instantiate and update_config. */
cw_error *or_config_validate(const or_config *cfg, uint64_t feeder_count);

/* price_feed.c */
cw_error *or_exec_submit_price(or_ctx *c, const or_msg *m);
cw_error *or_exec_confirm_price(or_ctx *c, const or_msg *m);
cw_error *or_exec_set_price(or_ctx *c, const or_msg *m);

/* governance.c */
cw_error *or_exec_update_config(or_ctx *c, const or_msg *m);
cw_error *or_exec_set_asset(or_ctx *c, const or_msg *m);
cw_error *or_exec_remove_asset(or_ctx *c, const or_msg *m);
cw_error *or_exec_add_feeder(or_ctx *c, const or_msg *m);
cw_error *or_exec_remove_feeder(or_ctx *c, const or_msg *m);
cw_error *or_exec_update_governance(or_ctx *c, const or_msg *m);

/* delay.c */
cw_error *or_exec_poke(or_ctx *c, const or_msg *m);
/* Clear every asset's delayed slots (a change of delay). */
void or_delay_reset_all(const or_config *cfg);

/* queries.c */
cw_error *or_query(const cw_env *env, cw_json msg, cw_buf *answer);

#endif

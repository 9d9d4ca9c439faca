/* vault_engine internals shared by its source files: per-call memory and record encoding, the
 * stored records (config, totals, markets, collaterals, positions), the per-call context and
 * ledger, and every module's functions. Behaviour: contracts/vault_engine/SPEC.md. Prefix ve_. */
#ifndef VAULT_ENGINE_ENGINE_H
#define VAULT_ENGINE_ENGINE_H

#include <stddef.h>

#include "cw_arena.h"
#include "cw_base.h"
#include "cw_entry.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_math.h"
#include "cw_query.h"
#include "cw_response.h"
#include "cw_storage.h"

#define VE_MAX_BASKET 16 /* collaterals per market, hence per position */

/* --- Binary records (codec.c); per-call memory is cw_arena.h (cw_release_all per entry) ----- */

/* Writer: append fields to a cw_buf. Integers little-endian; strings as u16 length + bytes. */
void ve_put_u64(cw_buf *b, uint64_t v);
void ve_put_u128(cw_buf *b, cw_u128 v);
void ve_put_d27(cw_buf *b, cw_decimal27 v);
void ve_put_str(cw_buf *b, cw_str s);

/* Reader over a stored value; a short value aborts (the record is corrupt). */
typedef struct ve_rd {
    cw_str s;
    size_t pos;
} ve_rd;
uint64_t ve_get_u64(ve_rd *r);
cw_u128 ve_get_u128(ve_rd *r);
cw_decimal27 ve_get_d27(ve_rd *r);
cw_str ve_get_str(ve_rd *r);
/* A block of `n` bytes copied verbatim (numeric struct members, wasm32 layout). */
void ve_put_raw(cw_buf *b, const void *p, size_t n);
void ve_get_raw(ve_rd *r, void *p, size_t n);

/* Load a stored value (held); false when absent. */
bool ve_load(cw_str key, cw_str *value);
/* Key of a map entry with one (or two) string parts, held. */
cw_str ve_key1(const char *ns, cw_str part);
cw_str ve_key2(const char *ns, cw_str a, cw_str b);
cw_str ve_key_id(const char *ns, uint64_t id);
/* A Decimal's text form (held), for error messages. */
const char *ve_dstr(cw_decimal d);
/* A Uint128's decimal text (held); use with %s (see codec.c). */
const char *ve_u(cw_u128 v);

/* --- Message parsing (msg.c) ----------------------------------------------------------------- */

typedef enum ve_kind { VE_STR, VE_U128, VE_U64, VE_DEC, VE_BOOL, VE_ADDR, VE_RAW } ve_kind;
/* One field at byte `offset` of the caller's record; optional fields set the bool at `present`
 * (offset, 0 = none) when given and not null. */
typedef struct ve_field {
    const char *name;
    uint8_t kind;
    uint8_t optional;
    uint16_t offset;
    uint16_t present;
} ve_field;
#define VE_REQ(name, kind, member)                                                                 \
    { name, kind, 0, offsetof(ve_msg, member), 0 }
#define VE_OPT(name, kind, member, flag)                                                           \
    { name, kind, 1, offsetof(ve_msg, member), offsetof(ve_msg, flag) }

/* Every message's fields (execute, receive hook and queries), filled from a field table. */
typedef struct ve_msg {
    cw_str market, asset, recipient, new_owner, governance, oracle, stable_token, id, kind,
        oracle_denom, owner, start_after_str, sender, liquidator, backstop_pool, settlement, keeper;
    uint64_t position_id, limit, start_after;
    cw_u128 amount, debt_ceiling, min_debt, supply_cap, global_debt_ceiling,
        global_auction_debt_limit, keeper_tip, keeper_reward_cap, auction_debt_limit, debt;
    cw_decimal stability_fee, max_ltv, liquidation_threshold, liquidation_penalty, keeper_fee;
    bool force;
    bool has_recipient, has_governance, has_oracle, has_gdc, has_fee, has_dc, has_md, has_ltv,
        has_lt, has_lp, has_cap, has_od, has_force, has_limit, has_start_after, has_liquidator,
        has_pool, has_settlement, has_gadl, has_tip, has_kfee, has_kcap, has_keeper, has_adl;
    cw_json msg; /* receive: the raw base64 string value */
} ve_msg;

/* Parse a struct body strictly (unknown, duplicate, missing fields; types). */
cw_error *ve_parse(cw_json obj, const ve_field *fields, size_t n, ve_msg *m);
/* An externally tagged enum {"variant":{…}}: index into NULL-terminated `variants`. */
cw_error *ve_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body);

/* --- Stored records ------------------------------------------------------------------------- */

/* Item "config" (config.c). Addresses left empty are not configured. */
typedef struct ve_config {
    cw_str governance;    /* address allowed to change parameters (a timelock later) */
    cw_str stable_token;  /* the CW20 stablecoin; the engine is its minter */
    cw_str oracle;        /* contract answering {"price":{"denom"}} */
    cw_str liquidator;    /* runs the auctions; receives seized collateral (SOLVENCY.md) */
    cw_str backstop_pool; /* may pay auction proceeds too */
    cw_str settlement;    /* receives collateral of settled debt after shutdown */
    /* stored as one block, global_debt_ceiling .. shutdown_time (wasm32 layout) */
    cw_u128 global_debt_ceiling;       /* max Σ market debt [stable base units] */
    cw_u128 global_auction_debt_limit; /* max Σ debt in auction [stable] */
    cw_u128 keeper_tip;                /* flat keeper reward per liquidation [stable] */
    cw_decimal keeper_fee;             /* keeper reward per unit of seized debt, <= 1 */
    cw_u128 keeper_reward_cap;         /* max keeper reward per liquidation [stable] */
    uint64_t next_position_id;         /* id of the next opened position (first 1) */
    uint64_t shut_down;                /* 1 after emergency shutdown */
    uint64_t shutdown_time;            /* block time of the shutdown [s] */
} ve_config;

/* Item "totals" (config.c): the accounting identity's global terms (SPEC §7, SOLVENCY §3). */
typedef struct ve_totals {
    cw_u128 total_debt;      /* Σ_m ceil(N_m·A_m) at each market's last accrual [stable] */
    cw_u128 minted;          /* Σ stable minted by the engine [stable] */
    cw_u128 burned;          /* Σ stable burned by the engine [stable] */
    cw_u128 surplus;         /* fees, penalties, donations, rounding dust [stable] */
    uint64_t open_positions; /* positions not closed */
    cw_u128 auction_debt;    /* debt seized and not yet covered, written off or cancelled */
    cw_u128 bad_debt;        /* debt written off (no collateral left to cover it) */
    cw_u128 spent;           /* keeper rewards minted */
    cw_u128 settled;         /* debt moved to settlement at shutdown */
    cw_u128 redeemed;        /* always 0 in the engine (redemption lives in settlement) */
} ve_totals;

/* Map "market" id (markets.c). */
typedef struct ve_market {
    cw_str id;
    /* stored as one block, stability_fee .. n_collaterals (wasm32 layout) */
    cw_decimal stability_fee;   /* annual fee, 0.05 = 5 %/yr */
    cw_decimal27 rate;          /* per-second factor, r^year >= 1 + fee [ray] */
    cw_decimal27 accumulator;   /* debt per unit of normalised debt [ray], starts at 1 */
    uint64_t last_accrued;      /* block time of the last accrual [s] */
    cw_u128 normalised_debt;    /* N = Σ positions' normalised debt [stable / ray] */
    cw_u128 debt;               /* D = ceil(N·A) at last_accrued [stable] */
    cw_u128 debt_ceiling;       /* max D [stable] */
    cw_u128 min_debt;           /* smallest nonzero position debt [stable] */
    cw_u128 surplus;            /* fees and penalties of this market + rounding dust [stable] */
    cw_u128 auction_debt_limit; /* max debt of this market in auction at once [stable] */
    cw_u128 auction_debt;       /* debt of this market in auction [stable] */
    uint32_t n_collaterals;     /* collaterals listed */
} ve_market;

enum { VE_NATIVE = 0, VE_CW20 = 1 };

/* Map "collateral" (market, asset) (markets.c). */
typedef struct ve_collateral {
    cw_str market, asset;
    cw_str oracle_denom; /* denom asked of the oracle */
    /* stored as one block, max_ltv .. kind (wasm32 layout) */
    cw_decimal max_ltv;               /* borrow value per unit of collateral value */
    cw_decimal liquidation_threshold; /* liquidation value per unit of value, > max_ltv */
    cw_decimal liquidation_penalty;   /* charged on liquidation, ≤ 0.5 */
    cw_u128 supply_cap;               /* max total [collateral base units] */
    cw_u128 total;                    /* Σ positions' amounts [collateral base units] */
    cw_decimal final_price;           /* fixed after shutdown (fix_price); 0 = not fixed */
    uint32_t kind;                    /* VE_NATIVE or VE_CW20 */
    /* per call: */
    cw_u128 total_before;
    bool dirty;
} ve_collateral;

/* Map "position" be64(id) (positions.c). */
typedef struct ve_holding {
    cw_str asset;
    cw_u128 amount; /* [collateral base units] */
} ve_holding;
/* A position's place in the keeper index (keeper_index.c, SOLVENCY.md §5). */
enum { VE_UNINDEXED = 0, VE_SINGLE = 1, VE_BASKET = 2 };
typedef struct ve_index_entry {
    uint8_t kind;          /* VE_UNINDEXED (no debt), VE_SINGLE (one asset held), VE_BASKET */
    cw_str asset;          /* VE_SINGLE: the asset held */
    unsigned char key[32]; /* VE_SINGLE: be256(floor(n · 10^36 / amount)) */
} ve_index_entry;

typedef struct ve_position {
    uint64_t id;
    cw_str owner, market;
    cw_u128 normalised_debt; /* n; debt = ceil(n·A) [stable / ray] */
    uint32_t n;
    ve_holding coll[VE_MAX_BASKET];
    ve_index_entry indexed; /* per call: the index entry of the stored record */
} ve_position;

/* --- Per-call context and ledger (accounting.c) -------------------------------------------- */

/* Coins of one asset moving this call. */
typedef struct ve_flow {
    cw_str asset;
    uint8_t kind;
    cw_u128 received, sent;      /* into / out of the engine's balance by this call */
    cw_u128 pos_plus, pos_minus; /* added to / taken from positions' holdings */
    cw_u128 held_before, held;   /* Map "held" before and after */
} ve_flow;

/* What this call did, recorded where it happens, checked at the end (SPEC §7). */
typedef struct ve_ledger {
    cw_u128 minted, burned;    /* in mint / burn messages emitted */
    cw_u128 dn_plus, dn_minus; /* normalised debt added to / removed from positions */
    cw_u128 seized;            /* debt sent to auction by liquidations */
    cw_u128 covered;           /* auction debt covered by proceeds */
    cw_u128 written_off;       /* auction debt written off */
    cw_u128 cancelled;         /* auction debt cancelled at shutdown (to settled) */
    cw_u128 bad_debt;          /* debt moved to bad_debt (write-offs and shortfalls) */
    cw_u128 rewards;           /* keeper rewards minted */
    cw_u128 settled;           /* debt moved to settled (settle_position, cancelled auctions) */
    ve_totals totals_before;
    cw_u128 n_before, d_before, surplus_before, auction_before; /* touched market before */
    ve_flow flows[VE_MAX_BASKET + 1];
    uint32_t n_flows;
} ve_ledger;

typedef struct ve_ctx {
    const cw_env *env;
    const cw_info *info;
    cw_response *res;
    uint64_t now; /* block time [s] */
    ve_config cfg;
    ve_totals totals;
    bool has_market;
    ve_market market; /* the one market this call touches (loaded, accrued) */
    cw_u128 accrued;  /* fees accrued when the market was touched */
    ve_collateral colls[VE_MAX_BASKET];
    uint32_t n_colls;
    ve_ledger ledger;
} ve_ctx;

/* --- config.c ------------------------------------------------------------------------------- */
cw_error *ve_config_load(ve_config *c);
void ve_config_save(const ve_config *c);
cw_error *ve_totals_load(ve_totals *t);
void ve_totals_save(const ve_totals *t);
cw_error *ve_instantiate_config(const cw_env *env, const ve_msg *m, cw_response *res);
cw_error *ve_exec_update_config(ve_ctx *c, const ve_msg *m);
cw_error *ve_require_governance(ve_ctx *c);
/* "unauthorized: liquidator only" unless the sender is the configured liquidator. */
cw_error *ve_require_liquidator(ve_ctx *c);
/* "system is shut down" after the emergency shutdown. */
cw_error *ve_require_running(const ve_ctx *c);
/* The time markets accrue to: now, or the shutdown time once shut down (accrual stops). */
uint64_t ve_accrual_time(const ve_config *cfg, uint64_t now);

/* --- markets.c ------------------------------------------------------------------------------ */
cw_error *ve_market_load(cw_str id, ve_market *mk);
void ve_market_save(const ve_market *mk);
cw_error *ve_collateral_load(cw_str market, cw_str asset, ve_collateral *col, bool *found);
void ve_collateral_save(const ve_collateral *col);
/* Load the call's market (once), accrue it to now and note its "before" values. */
cw_error *ve_touch_market(ve_ctx *c, cw_str id);
/* The call's cached collateral `asset` of the touched market; error if not listed. */
cw_error *ve_coll(ve_ctx *c, cw_str asset, ve_collateral **out);
cw_error *ve_exec_create_market(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_update_market(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_add_collateral(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_update_collateral(ve_ctx *c, const ve_msg *m);

/* --- fees.c: stability fees and debt arithmetic --------------------------------------------- */
cw_error *ve_rate_from_fee(cw_decimal fee, cw_decimal27 *rate);
/* Accumulator and debt of `mk` accrued to `now` (no storage); returns the accrued fees. */
cw_u128 ve_accrue(ve_market *mk, uint64_t now);
cw_u128 ve_debt_of(cw_u128 normalised, cw_decimal27 acc); /* ceil(n·A) */
/* Add borrowed `x` to position and market; returns Δn. Surplus takes the rounding dust. */
void ve_add_debt(ve_ctx *c, ve_position *p, cw_u128 x);
/* Remove `x` ≤ debt from position and market (repay, liquidation, settlement); x == debt clears
 * n exactly, otherwise floor(x / A) is removed. Surplus takes the dust; the caller records where
 * x went (burned, auction_debt, settled). */
void ve_remove_debt(ve_ctx *c, ve_position *p, cw_u128 x);

/* --- prices.c: oracle prices and valuation -------------------------------------------------- */
typedef struct ve_valuation {
    cw_u128 borrow_limit, liquidation_value;
    cw_decimal price[VE_MAX_BASKET];
    cw_u128 value[VE_MAX_BASKET], borrow_value[VE_MAX_BASKET], liq_value[VE_MAX_BASKET];
    const ve_collateral *coll[VE_MAX_BASKET];
} ve_valuation;
cw_error *ve_price(const ve_config *cfg, const ve_collateral *col, cw_decimal *price);
/* Price every held collateral of `p` (cols: its market's collaterals, looked up by asset). */
cw_error *ve_value_position(const ve_config *cfg, const ve_position *p, ve_collateral *cols,
                            uint32_t n_cols, ve_valuation *v);
/* floor(amount · price · ratio) in one rounding. */
cw_u128 ve_value_at(cw_u128 amount, cw_decimal price, cw_decimal ratio);
/* floor18(liquidation_value / debt), saturating; debt > 0. */
cw_decimal ve_health(cw_u128 liquidation_value, cw_u128 debt);

/* --- positions.c ---------------------------------------------------------------------------- */
cw_error *ve_position_load(uint64_t id, ve_position *p);
void ve_position_save(const ve_position *p);
cw_error *ve_position_for(ve_ctx *c, uint64_t id, bool owner_only, ve_position *p);
cw_error *ve_exec_open_position(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_transfer_position(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_close(ve_ctx *c, const ve_msg *m);
/* Return all collateral to `to`, delete the position (debt must be 0). */
void ve_close_position(ve_ctx *c, ve_position *p, cw_str to);
/* Delete the record and its owner index entry; open_positions − 1. */
void ve_position_delete(ve_ctx *c, const ve_position *p);
void ve_position_attrs(ve_ctx *c, const char *action, const ve_position *p);

/* --- keeper_index.c: index of positions with debt for keepers (SOLVENCY.md §5) ------------- */
/* The entry a position with these holdings and debt belongs to. */
void ve_index_of(const ve_position *p, ve_index_entry *e);
/* Move the position's entry from p->indexed to `now` (NULL: delete it). */
void ve_index_update(const ve_position *p, const ve_index_entry *now);
cw_error *ve_query_liquidatable(const cw_env *env, const ve_config *cfg, cw_str market,
                                uint32_t limit, cw_jw *w);

/* --- collateral.c --------------------------------------------------------------------------- */
cw_error *ve_deposit(ve_ctx *c, ve_position *p, cw_str asset, uint8_t kind, cw_u128 amount);
cw_error *ve_exec_deposit(ve_ctx *c, const ve_msg *m);
cw_error *ve_deposit_funds(ve_ctx *c, ve_position *p);
cw_error *ve_exec_withdraw(ve_ctx *c, const ve_msg *m);
cw_error *ve_cw20_deposit(ve_ctx *c, cw_str token, cw_u128 amount, uint64_t position_id);
/* Take `amount` of `asset` from the position and send it to `to` (message + ledger). */
cw_error *ve_send_collateral(ve_ctx *c, ve_position *p, cw_str asset, cw_u128 amount, cw_str to);
/* Take `amount` of `asset` out of the position: holdings, collateral total, ledger flow (sent). */
cw_error *ve_take_collateral(ve_ctx *c, ve_position *p, cw_str asset, cw_u128 amount,
                             ve_collateral **col);
/* The message moving `amount` of a collateral to `to`: bank send or CW20 transfer. */
void ve_collateral_msg(ve_ctx *c, const ve_collateral *col, cw_u128 amount, cw_str to);
/* Borrow-limit check for p (debt > 0): prices every held collateral. */
cw_error *ve_check_borrow_limit(ve_ctx *c, const ve_position *p);

/* --- debt.c --------------------------------------------------------------------------------- */
cw_error *ve_exec_borrow(ve_ctx *c, const ve_msg *m);
/* Stable received through Receive: repay (or close) position_id. */
cw_error *ve_stable_received(ve_ctx *c, cw_str sender, cw_u128 amount, uint64_t position_id,
                             bool close);

/* --- liquidation.c: liquidate and the keeper reward (SOLVENCY.md §2) ----------------------- */
cw_error *ve_exec_liquidate(ve_ctx *c, const ve_msg *m);
/* min(keeper_tip + floor(keeper_fee · debt), keeper_reward_cap), minted to keeper when > 0. */
cw_u128 ve_pay_keeper(ve_ctx *c, cw_str keeper, cw_u128 debt);

/* --- treasury.c: the treasury ledger's messages (SOLVENCY.md §3) ---------------------------- */
cw_error *ve_auction_proceeds(ve_ctx *c, cw_str sender, cw_u128 amount, cw_str market,
                              cw_u128 debt);
cw_error *ve_recapitalize(ve_ctx *c, cw_str sender, cw_u128 amount);
cw_error *ve_exec_write_off(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_keeper_reward(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_auction_cancelled(ve_ctx *c, const ve_msg *m);
void ve_query_treasury(const ve_config *cfg, const ve_totals *t, cw_jw *w);

/* --- shutdown.c: emergency shutdown, final prices, settlement (SOLVENCY.md §4) ------------- */
cw_error *ve_exec_shutdown(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_fix_price(ve_ctx *c, const ve_msg *m);
cw_error *ve_exec_settle_position(ve_ctx *c, const ve_msg *m);
cw_error *ve_query_shutdown_status(const ve_config *cfg, cw_jw *w);

/* --- accounting.c --------------------------------------------------------------------------- */
ve_flow *ve_flow_for(ve_ctx *c, cw_str asset, uint8_t kind);
void ve_emit_mint(ve_ctx *c, cw_str recipient, cw_u128 amount);
void ve_emit_burn(ve_ctx *c, cw_u128 amount);
void ve_emit_stable_transfer(ve_ctx *c, cw_str recipient, cw_u128 amount);
/* Save the touched market, collaterals, held totals and totals; then check the identity. */
cw_error *ve_finish(ve_ctx *c);
cw_error *ve_query_accounting(const cw_env *env, cw_jw *w);

/* --- queries.c ------------------------------------------------------------------------------ */
cw_error *ve_query(const cw_env *env, cw_json msg, cw_buf *answer);
void ve_write_decimal(cw_jw *w, cw_decimal d);
void ve_write_d27(cw_jw *w, cw_decimal27 d);

#endif

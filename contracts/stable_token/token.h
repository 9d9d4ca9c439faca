/* stable_token internals shared by its source files: per-call memory, serde-like message
 * parsing, the stored records (cw20-base's layout), the supply ledger, and the handlers.
 * Behaviour and sources: contracts/stable_token/SPEC.md. Everything here is prefixed st_. */
#ifndef STABLE_TOKEN_TOKEN_H
#define STABLE_TOKEN_TOKEN_H

#include <stddef.h>

#include "cw_arena.h"
#include "cw_base.h"
#include "cw_entry.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_math.h"
#include "cw_parse.h"
#include "cw_response.h"
#include "cw_storage.h"

/* Per-call memory: cw_arena.h. Strings parsed from messages and loaded from storage are held
 * for the whole call (cw_hold), so handlers pass plain cw_str; the entry points call
 * cw_release_all once before returning. */

/* --- Message parsing (msg_parse.c) ---------------------------------------------------------- */

/* Kinds of struct fields, each parsed as serde parses the matching Rust type. */
typedef enum st_kind {
    ST_STRING,     /* String → cw_str */
    ST_U128,       /* Uint128 (decimal string) → cw_u128 */
    ST_U8,         /* u8 (JSON number) → uint32_t */
    ST_U32,        /* u32 (JSON number) → uint32_t */
    ST_BINARY,     /* Binary (base64 string) → cw_str of the decoded bytes */
    ST_EXPIRATION, /* cw_utils::Expiration → st_expiration */
    ST_RAW         /* any JSON value → cw_json (nested structs, arrays) */
} st_kind;

/* Struct fields are cw_field tables (cw_parse.h) built with CW_REQ / CW_OPT; `kind` is an
 * st_kind. */
/* Parse `obj` into the record at `base` as a struct with `deny_unknown_fields`: members in
 * document order (unknown or duplicate field errors), then the first missing required field
 * in declaration order. Errors are serde's texts without a type prefix; `what` names the
 * struct in type errors. */
cw_error *st_parse_struct(cw_json obj, const char *what, const cw_field *fields, size_t n,
                          void *base);

/* The body of a struct variant of an enum: st_parse_struct, but a non-object is reported as
 * expecting "<enum_path><Variant>" (enum_path e.g. "struct variant QueryMsg::"; `variant` is
 * the snake_case name from the wire, written in CamelCase). */
cw_error *st_parse_variant(cw_json body, const char *enum_path, const char *variant,
                           const cw_field *fields, size_t n, void *base);

/* An externally tagged enum value: {"variant": body}. `variants` lists the accepted names,
 * a NULL, then names that are recognised but omitted from this contract, and a second NULL.
 * Sets *index to the position of the name in `variants` (past the first NULL for an omitted
 * one, which the caller refuses with ST_OMITTED) or fails with serde's unknown-variant text,
 * which lists the accepted names only. */
cw_error *st_parse_enum(cw_json v, const char *what, const char *const *variants, size_t *index,
                        cw_json *body);

/* Prefix a parse error with "Error parsing into type <type_name>: " (cosmwasm-std 1.x). */
cw_error *st_parse_error(const char *type_name, cw_error *err);

/* A JSON string value, unescaped (held). */
cw_error *st_json_string(cw_json v, cw_str *out);
/* A Binary value: base64 (padding optional), decoded (held). */
cw_error *st_parse_binary(cw_json v, cw_str *out);

/* --- Expiration and stored records (state.c) ------------------------------------------------ */

typedef enum st_exp_kind { ST_EXP_NEVER = 0, ST_EXP_AT_HEIGHT, ST_EXP_AT_TIME } st_exp_kind;
typedef struct st_expiration {
    st_exp_kind kind;
    uint64_t value; /* block height, or block time in nanoseconds */
} st_expiration;

/* cw_utils::Expiration::is_expired: height ≥ at_height / time ≥ at_time; never is false. */
bool st_expired(const st_expiration *e, const cw_env *env);
/* {"at_height":N} | {"at_time":"N"} | {"never":{}} */
void st_write_expiration(cw_buf *b, const st_expiration *e);
cw_error *st_parse_expiration(cw_json v, st_expiration *e);

/* TokenInfo (Item "token_info"). */
typedef struct st_token_info {
    cw_str name;
    cw_str symbol;
    uint32_t decimals;
    cw_u128 total_supply; /* Σ balances, in base units */
    bool has_minter;
    cw_str minter; /* who may mint */
    bool has_cap;
    cw_u128 cap; /* hard ceiling on total_supply reachable by minting */
} st_token_info;

/* MinterData / MinterResponse fields ("minter", "cap") into an st_token_info. */
extern const cw_field st_minter_fields[2];
/* Load; "cw20_base::state::TokenInfo not found" when absent. */
cw_error *st_token_info_load(st_token_info *ti);
void st_token_info_save(const st_token_info *ti);
/* {"name","symbol","decimals","total_supply"} (TokenInfoResponse); with_mint adds "mint" (the
 * stored TokenInfo). */
void st_write_token_info(cw_buf *b, const st_token_info *ti, bool with_mint);
/* {"minter":A,"cap":null|"C"} (MinterData / MinterResponse), or null without a minter. */
void st_write_minter(cw_buf *b, const st_token_info *ti);

/* Balances (Map "balance", key = address string). Absent reads as 0. */
cw_error *st_balance_load(cw_str addr, cw_u128 *out);
void st_balance_save(cw_str addr, cw_u128 v);

/* Allowances (Map "allowance" (owner, spender) and its mirror "allowance_spender"
 * (spender, owner); both hold the same AllowanceResponse JSON). */
typedef struct st_allowance {
    cw_u128 allowance; /* base units the spender may still move */
    st_expiration expires;
} st_allowance;

/* *found false (and a zero, never-expiring allowance) when absent. */
cw_error *st_allowance_load(cw_str owner, cw_str spender, st_allowance *a, bool *found);
void st_allowance_save(cw_str owner, cw_str spender, const st_allowance *a); /* both maps */
void st_allowance_remove(cw_str owner, cw_str spender);                      /* both maps */
/* Parse a stored AllowanceResponse value. */
cw_error *st_allowance_parse(cw_str json, st_allowance *a);
/* {"allowance":"A","expires":E} (AllowanceResponse); with a `key`, {"<key>":name,…} first
 * (AllowanceInfo / SpenderAllowanceInfo). */
void st_write_allowance(cw_buf *b, const char *key, cw_str name, const st_allowance *a);

/* Uint128 string (Uint64 when `narrow`; serde's rule and error text) and a Uint128 JSON value. */
cw_error *st_parse_uint(cw_str s, bool narrow, cw_u128 *out);
cw_error *st_parse_u128_value(cw_json v, cw_u128 *out);
/* The same for a Uint64 (`narrow`) or Uint128 string value. */
cw_error *st_parse_uint_value(cw_json v, bool narrow, cw_u128 *out);
/* A JSON integer within [0, max] (serde's u8/u32/u64 visitors): "invalid value: integer `-1`,
 * expected <type_name>" for a negative or too large integer, "invalid type: …" otherwise. */
cw_error *st_parse_json_uint(cw_json v, const char *type_name, uint64_t max, uint64_t *out);

/* --- Ledger: the O(1) supply identity (ledger.c) ------------------------------------------- */

/* What one execute did to balances and supply; see SPEC.md §8. */
typedef struct st_ledger {
    cw_u128 credits, debits; /* Σ added to / taken from balances by this call */
    cw_u128 minted, burned;  /* supply created / destroyed by this call */
    bool supply_loaded;      /* supply_before is known */
    cw_u128 supply_before;   /* total_supply when this call first read it */
} st_ledger;

/* Take `amount` from addr's balance: "Overflow: Cannot Sub with <balance> and <amount>". */
cw_error *st_debit(st_ledger *l, cw_str addr, cw_u128 amount);
/* Add `amount` to addr's balance (overflow aborts, as Rust's `+` panics). */
cw_error *st_credit(st_ledger *l, cw_str addr, cw_u128 amount);
/* Record the supply as loaded before this call changed it. */
void st_ledger_saw_supply(st_ledger *l, cw_u128 supply);
/* Check credits − debits == minted − burned, and when supply was touched, that the stored
 * total equals supply_before + minted − burned and stays within the cap. */
cw_error *st_ledger_check(const st_ledger *l);

/* --- Handlers --------------------------------------------------------------------------------- */

/* Every execute message's fields, parsed by the dispatcher from the variant's field table
 * (contract.c) before its handler runs. Which members a variant uses is listed there. */
typedef struct st_msg {
    cw_str who; /* recipient / contract / spender / owner (of *_from) / new_minter */
    cw_str to;  /* recipient / contract of *_from */
    bool has_who;
    cw_u128 amount;
    cw_str binary; /* the `msg` of send / send_from, decoded */
    st_expiration expires;
    bool has_expires;
} st_msg;

/* The state every execute handler gets. */
typedef struct st_ctx {
    const cw_env *env;
    const cw_info *info;
    cw_response *res;
    st_ledger ledger;
} st_ctx;

typedef cw_error *(*st_exec_fn)(st_ctx *c, const st_msg *m);

/* balances.c */
cw_error *st_exec_transfer(st_ctx *c, const st_msg *m);
cw_error *st_exec_burn(st_ctx *c, const st_msg *m);
cw_error *st_exec_send(st_ctx *c, const st_msg *m);
/* Append the Receive hook message to `contract` (shared by send and send_from). */
void st_add_receive_msg(cw_response *res, cw_str contract, cw_str sender, cw_u128 amount,
                        cw_str msg);
/* Burn from an account: debit + total_supply decrease (shared by burn and burn_from). */
cw_error *st_burn_from_balance(st_ctx *c, cw_str owner, cw_u128 amount);

/* allowances.c */
cw_error *st_exec_increase_allowance(st_ctx *c, const st_msg *m);
cw_error *st_exec_decrease_allowance(st_ctx *c, const st_msg *m);
cw_error *st_exec_transfer_from(st_ctx *c, const st_msg *m);
cw_error *st_exec_send_from(st_ctx *c, const st_msg *m);
cw_error *st_exec_burn_from(st_ctx *c, const st_msg *m);

/* minting.c */
cw_error *st_exec_mint(st_ctx *c, const st_msg *m);
cw_error *st_exec_update_minter(st_ctx *c, const st_msg *m);

/* marketing.c */
/* The refusal of a variant of cw20's marketing extension (update_marketing, upload_logo,
 * download_logo), a cw_errorf format taking the variant name (%s). */
#define ST_OMITTED "%s is not supported by stable_token (marketing extension omitted)"
/* Instantiate's `marketing` field, parsed with the rest of the message, applied after the
 * token info is saved. A NULL ptr is None. */
typedef struct st_marketing_init {
    cw_str project, description, marketing;
    bool has_project, has_description, has_marketing, has_logo;
    bool embedded_logo; /* refused by st_marketing_instantiate */
    cw_json logo;
    cw_str logo_url;
} st_marketing_init;
cw_error *st_marketing_parse(cw_json v, st_marketing_init *m);
cw_error *st_marketing_instantiate(const st_marketing_init *m);
cw_error *st_query_marketing_info(cw_buf *answer);

/* queries.c */
cw_error *st_query(const cw_env *env, cw_json msg, cw_buf *answer);

#endif

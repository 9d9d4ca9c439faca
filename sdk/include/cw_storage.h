/* Typed storage in cw-storage-plus's layout, so a C contract reads and writes the same keys and
 * values as a Rust contract using Item/Map (e.g. cw20-base's state). Implementation:
 * sdk/src/cw_storage.c, on top of cw_db_* from cw_host.h.
 *
 * Key layout (cw-storage-plus helpers.rs `nested_namespaces_with_key`, path.rs, item.rs):
 *   Item "config"                  → "config"                         (namespace bytes, raw)
 *   Map  "balance", key "alice"    → "\x00\x07" "balance" "alice"
 *   Map  "allowance", ("ab", "cd") → "\x00\x09" "allowance" "\x00\x02" "ab" "cd"
 *   Map  "pos", (a, b, 7u64)       → len16(ns) ns len16(a) a len16(b) b be64(7)
 * i.e. the namespace and every key part but the last carry a 2-byte big-endian length; the
 * last part is raw. String, &str and &Addr keys are their UTF-8 bytes; u32/u64 keys are
 * big-endian; i32/i64 keys are big-endian with the sign bit flipped (int_key.rs).
 *
 * Values are JSON, as cosmwasm-std's to_json_vec writes them: a Uint128 is stored as the JSON
 * string "123" (with the quotes), a u64 as the bare number 123.
 *
 * Example (cw20-base's BALANCES: Map<&Addr, Uint128> = Map::new("balance")):
 *   cw_u128 bal;
 *   CW_TRY(cw_map_load_u128("balance", info->sender, &bal));
 *   cw_map_save_u128("balance", info->sender, bal - amount);
 */
#ifndef CW_STORAGE_H
#define CW_STORAGE_H

#include "cw_base.h"
#include "cw_host.h"

/* --- Key building ---------------------------------------------------------------------------- */

/* Start a Map key in `key` (appending): the namespace with its 2-byte length. Namespaces and
 * non-final parts longer than 0xFFFF bytes abort, as in cw-storage-plus. */
void cw_key_map(cw_buf *key, const char *ns);
/* Append a non-final key part (length-prefixed) — also how a prefix() is built. */
void cw_key_push(cw_buf *key, cw_str part);
/* Append the final key part (raw). */
void cw_key_last(cw_buf *key, cw_str part);
/* Integer key parts (big-endian; signed with the sign bit flipped), non-final and final. */
void cw_key_push_u64(cw_buf *key, uint64_t v);
void cw_key_last_u64(cw_buf *key, uint64_t v);
void cw_key_push_u32(cw_buf *key, uint32_t v);
void cw_key_last_u32(cw_buf *key, uint32_t v);
void cw_key_last_i64(cw_buf *key, int64_t v);

/* A full Map key in one call: namespace, then parts[0..n-1] length-prefixed, parts[n-1] raw.
 * With n_parts == 0 this is the map's prefix (namespace only). Appends to `key`. */
void cw_key_map_parts(cw_buf *key, const char *ns, const cw_str *parts, size_t n_parts);

/* Big-endian integer bytes into `out`, returned as a slice of it (for a one-part u64 key:
 * `char b[8]; cw_map_load("pos", cw_be_u64(id, b), &v)`). */
cw_str cw_be_u64(uint64_t v, char out[8]);
cw_str cw_be_u32(uint32_t v, char out[4]);

/* Decoding keys returned by iteration. cw_key_take_part splits one length-prefixed part off
 * the front of *rest (false if *rest is too short); the remaining *rest is the next part(s).
 * cw_key_u64/u32 decode an exactly-8/4-byte big-endian part (false on any other length). */
bool cw_key_take_part(cw_str *rest, cw_str *part);
bool cw_key_u64(cw_str part, uint64_t *out);
bool cw_key_u32(cw_str part, uint32_t *out);

/* --- Raw values at a namespace / map key ----------------------------------------------------- */

/* Item: the value at key `ns`. load returns false when absent; otherwise *value is a
 * cw_alloc'd copy the caller frees with cw_free((void *)value->ptr). */
bool cw_item_load(const char *ns, cw_str *value);
void cw_item_save(const char *ns, cw_str value);
void cw_item_remove(const char *ns);
bool cw_item_exists(const char *ns);

/* Map with a one-part key (String, &str, &Addr, or a cw_be_u64 slice). Same ownership as
 * cw_item_load. For composite keys build the key with cw_key_* and use cw_db_* or cw_store_*. */
bool cw_map_load(const char *ns, cw_str key, cw_str *value);
void cw_map_save(const char *ns, cw_str key, cw_str value);
void cw_map_remove(const char *ns, cw_str key);
bool cw_map_has(const char *ns, cw_str key);

/* --- Typed values (JSON as cosmwasm-std serialises them) -------------------------------------- */

/* Uint128 stored as a JSON string ("123"). Loading an absent key gives 0 and NULL (like
 * cw20-base's `may_load(..)?.unwrap_or_default()`); set *found (may be NULL) to tell the cases
 * apart. A stored value that is not a Uint128 string gives an error naming the key. */
cw_error *cw_store_load_u128(cw_str key, cw_u128 *out, bool *found);
void cw_store_save_u128(cw_str key, cw_u128 v);
/* u64 stored as a JSON number (123), e.g. an Item<u64> counter. Same absent/error rules. */
cw_error *cw_store_load_u64(cw_str key, uint64_t *out, bool *found);
void cw_store_save_u64(cw_str key, uint64_t v);

cw_error *cw_item_load_u128(const char *ns, cw_u128 *out);
void cw_item_save_u128(const char *ns, cw_u128 v);
cw_error *cw_item_load_u64(const char *ns, uint64_t *out);
void cw_item_save_u64(const char *ns, uint64_t v);
cw_error *cw_map_load_u128(const char *ns, cw_str key, cw_u128 *out);
void cw_map_save_u128(const char *ns, cw_str key, cw_u128 v);

/* Parse a Uint128 JSON value ("123", surrounding whitespace allowed) with serde's rules
 * (cw_u128_parse in cw_math.h for the digits); for query and message code too. */
cw_error *cw_u128_parse_json(cw_str json, cw_u128 *out);

/* --- Range iteration ------------------------------------------------------------------------- */

/* One end of a range over key suffixes (the part of the key after the prefix), as
 * cw-storage-plus's Bound::inclusive / Bound::exclusive. A bound whose key has a NULL ptr is
 * unbounded, so an optional `start_after` can be passed straight to cw_bound_exclusive. */
typedef enum cw_bound_kind {
    CW_BOUND_NONE = 0,
    CW_BOUND_INCLUSIVE,
    CW_BOUND_EXCLUSIVE
} cw_bound_kind;
typedef struct cw_bound {
    cw_bound_kind kind;
    cw_str key;
} cw_bound;
cw_bound cw_bound_inclusive(cw_str key);
cw_bound cw_bound_exclusive(cw_str key);

/* Options for cw_range_begin. Zero-initialised: everything, ascending, no limit. */
typedef struct cw_range_opts {
    cw_bound min;   /* lower bound (both orders) */
    cw_bound max;   /* upper bound (both orders) */
    int order;      /* CW_ORDER_ASC (also 0) or CW_ORDER_DESC */
    uint32_t limit; /* stop after this many items; 0 = no limit */
} cw_range_opts;

/* An iteration over every key under `prefix`, in key order, yielding (suffix, value) exactly
 * as cw-storage-plus's `prefix(..).range(store, min, max, order)` / `Map::range` does:
 * storage range [prefix ‖ min (‖ 0x00 if exclusive), prefix ‖ max (‖ 0x00 if inclusive)),
 * unbounded ends clamped to the prefix. Owned by the caller; finish with cw_range_end. */
typedef struct cw_range {
    cw_iter it;
    size_t prefix_len;
    uint32_t limit, count;
    bool done;
    char *raw_key, *raw_value; /* current item, freed on the next step */
} cw_range;

/* `prefix` is a storage key prefix: cw_key_map(ns) for a whole Map (suffixes are then the full
 * encoded keys), plus cw_key_push(part) per leading part of a composite key for a prefix()
 * (suffixes are then the remaining parts, e.g. the spender in an (owner, spender) map).
 * opts may be NULL. `prefix` and the bounds are only read during this call.
 *
 * Example, cw20-base's all_accounts (start_after exclusive, at most `limit` accounts):
 *   cw_range r;
 *   cw_map_range_begin(&r, "balance", NULL, 0,
 *                      &(cw_range_opts){.min = cw_bound_exclusive(start_after), .limit = limit});
 *   cw_str addr, value;
 *   while (cw_range_next(&r, &addr, &value)) cw_jw_str(&w, addr);
 *   cw_range_end(&r);
 */
void cw_range_begin(cw_range *r, cw_str prefix, const cw_range_opts *opts);
/* Shorthand: prefix = namespace + the first n_prefix_parts of a composite key. */
void cw_map_range_begin(cw_range *r, const char *ns, const cw_str *prefix_parts,
                        size_t n_prefix_parts, const cw_range_opts *opts);
/* The next item, or false at the end (or when the limit is reached). *key is the suffix,
 * *value the raw stored value; both stay valid until the next call or cw_range_end. */
bool cw_range_next(cw_range *r, cw_str *key, cw_str *value);
/* Release the current item. Safe to call twice. (The host has no iterator close: a scan lives
 * until the end of the contract call.) */
void cw_range_end(cw_range *r);

/* Pagination limit as cw20-base computes it: `limit.unwrap_or(default).min(max)`. */
uint32_t cw_page_limit(bool has_limit, uint64_t limit, uint32_t default_limit, uint32_t max_limit);

#endif

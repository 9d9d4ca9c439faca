/* kv_store.h — in-memory ordered map from byte-string keys to byte-string values: the storage
 * backend of the simulator's chain state and the building block of tx_cache layers.
 *
 * Design: a skip list (doubly linked on level 0, so both iteration orders cost O(1) per step)
 * plus an open-addressing hash index over the same nodes, so point reads (the common case in
 * contract execution) are O(1) and ordered seeks are O(log n). Keys compare as unsigned bytes
 * (memcmp), a shorter key sorting before its extensions — the order of Cosmos SDK stores.
 *
 * Example:
 *     hs_kv *kv = hs_kv_new();
 *     if (!kv || hs_kv_set(kv, "a", 1, "1", 1) != HS_STATE_OK) abort();
 *     hs_kv_iter it;
 *     hs_kv_iter_init(&it, kv, NULL, 0, NULL, 0, HS_ASCENDING);
 *     const uint8_t *k, *v;
 *     size_t kl, vl;
 *     while (hs_kv_iter_next(&it, &k, &kl, &v, &vl)) printf("%.*s\n", (int)kl, (const char *)k);
 *     hs_kv_free(kv);
 */
#ifndef HS_KV_STORE_H
#define HS_KV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define HS_STATE_MUST_USE __attribute__((warn_unused_result))
#else
#define HS_STATE_MUST_USE
#endif

/* Result codes shared by the chain-state layer (kv_store, tx_cache, store_sqlite, chain_bank).
 * HS_STATE_OK is 0; hs_state_strerror() names each one. */
typedef enum hs_state_result {
    HS_STATE_OK = 0,
    HS_STATE_NOT_FOUND,    /* key absent (a normal outcome of a read, not a failure) */
    HS_STATE_NOMEM,        /* allocation failed; the operation had no effect */
    HS_STATE_INVALID,      /* caller misuse: bad argument, no open layer, too long a key, ... */
    HS_STATE_IO,           /* the persistence backend failed (disk full, I/O error, locked) */
    HS_STATE_CORRUPT,      /* a state file that is not a Ballast state database, or damaged */
    HS_STATE_VERSION,      /* a state database written by an incompatible schema version */
    HS_STATE_INSUFFICIENT, /* bank: balance smaller than the amount to send or burn */
    HS_STATE_OVERFLOW,     /* bank: a balance or supply would exceed 2^128 - 1 */
    HS_STATE_BAD_DENOM     /* bank: denom does not match [a-zA-Z][a-zA-Z0-9/:._-]{2,127} */
} hs_state_result;

/* Static English text for a result code ("not found", "out of memory", ...); never NULL. */
const char *hs_state_strerror(hs_state_result r);

/* Iteration order. */
typedef enum hs_order { HS_ASCENDING = 1, HS_DESCENDING = 2 } hs_order;

/* Largest key or value accepted (bytes). CosmWasm limits keys to 64 KiB and values to 128 KiB;
 * this bound only protects the 32-bit length fields. */
#define HS_KV_MAX_LEN (1u << 30)

/* The map. Opaque; not thread-safe (the simulator is single-threaded per chain). */
typedef struct hs_kv hs_kv;

/* A stored entry. Opaque handle, valid until that key is deleted or the map cleared/freed. */
typedef struct hs_kv_node hs_kv_node;

/* Create an empty map. Returns NULL when out of memory. Free with hs_kv_free(). */
hs_kv *hs_kv_new(void);

/* Free the map and every key and value in it. NULL is allowed. */
void hs_kv_free(hs_kv *kv);

/* Remove every entry (keeps the map usable; releases their memory). */
void hs_kv_clear(hs_kv *kv);

/* Number of entries. */
size_t hs_kv_count(const hs_kv *kv);

/* Point read. On HS_STATE_OK, *val and *vlen point at the stored value (owned by the map, valid
 * until this key is next written or deleted or the map is cleared); either out pointer may be
 * NULL. Returns HS_STATE_NOT_FOUND when absent. A zero-length value is a present value. */
hs_state_result hs_kv_get(const hs_kv *kv, const void *key, size_t klen, const uint8_t **val,
                          size_t *vlen);

/* Insert or overwrite. The map copies key and value. Returns HS_STATE_OK, HS_STATE_NOMEM (map
 * unchanged) or HS_STATE_INVALID (a length above HS_KV_MAX_LEN). */
HS_STATE_MUST_USE hs_state_result hs_kv_set(hs_kv *kv, const void *key, size_t klen,
                                            const void *val, size_t vlen);

/* Like hs_kv_set() with the value p1 ‖ p2 (saves the caller a concatenation copy). */
HS_STATE_MUST_USE hs_state_result hs_kv_set_parts(hs_kv *kv, const void *key, size_t klen,
                                                  const void *p1, size_t l1, const void *p2,
                                                  size_t l2);

/* Delete. Returns HS_STATE_OK when the key was present, HS_STATE_NOT_FOUND otherwise. */
hs_state_result hs_kv_delete(hs_kv *kv, const void *key, size_t klen);

/* --- Node-level navigation (for merging iterators; see tx_cache.c) -------------------------- */

/* Smallest node with key >= key (ascending) or largest node with key < key (descending; with
 * key == NULL, the last node). With key == NULL ascending, the first node. NULL when none. */
hs_kv_node *hs_kv_seek(const hs_kv *kv, const void *key, size_t klen, hs_order order);

/* Neighbour of a node in the given order, or NULL at the end. */
hs_kv_node *hs_kv_node_step(const hs_kv_node *n, hs_order order);

/* Key and value of a node (owned by the map). */
const uint8_t *hs_kv_node_key(const hs_kv_node *n, size_t *klen);
const uint8_t *hs_kv_node_value(const hs_kv_node *n, size_t *vlen);

/* --- Range iteration ------------------------------------------------------------------------ */

/* Iterator over [start, end) in either order; start == NULL means unbounded below, end == NULL
 * unbounded above. Lives on the caller's stack. Any write or delete on the map invalidates it
 * (tx_cache provides iterators that stay valid under writes). The bounds are copied by pointer:
 * they must outlive the iterator. */
typedef struct hs_kv_iter {
    const hs_kv *kv;
    hs_kv_node *next;
    const uint8_t *start, *end;
    size_t start_len, end_len;
    hs_order order;
} hs_kv_iter;

/* Position an iterator at the first entry of the range in the given order. */
void hs_kv_iter_init(hs_kv_iter *it, const hs_kv *kv, const void *start, size_t start_len,
                     const void *end, size_t end_len, hs_order order);

/* Next entry: true with key/value pointers (owned by the map), false at the end. */
bool hs_kv_iter_next(hs_kv_iter *it, const uint8_t **key, size_t *klen, const uint8_t **val,
                     size_t *vlen);

/* Compare two byte strings the way the map orders keys (<0, 0, >0). */
int hs_key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

#endif

/* tx_cache.h — the transaction context: a stack of write-buffering cache layers over the
 * backing hs_kv store, giving atomic transactions and nested submessage scopes; plus the key
 * layout of the whole chain state, which lives in this one keyspace.
 *
 * Model (like Cosmos SDK cachekv stacked per tx and per submessage):
 *   hs_txc_begin()   push a layer (one per transaction, one more per submessage);
 *   hs_txc_get()     reads fall through the layers top-down, then the backing store;
 *   hs_txc_set/delete buffer in the top layer (a delete is a tombstone hiding lower values);
 *   hs_txc_commit()  merges the top layer into the one below; committing the last layer writes
 *                    its changes to the backing store, after the commit hook (SQLite, see
 *                    store_sqlite.h) has made them durable;
 *   hs_txc_discard() drops the top layer: nothing it wrote is visible any more.
 * Reads at depth 0 see the backing store; writes need an open layer.
 *
 * Iterators (hs_txc_iter_*) merge the visible layers and the backing store: deleted keys are
 * hidden, the topmost value of a key wins, both orders, half-open bounds [start, end).
 * Semantics: an iterator is a SNAPSHOT of its range as of hs_txc_iter_open(). Writes made
 * afterwards — by the contract between db_next calls, by a commit or a discard — never change
 * what it yields and never invalidate it. This is what cosmwasm-vm's MockStorage does (it
 * collects the range at db_scan) and what Cosmos SDK's cachekv approximates (it copies its dirty
 * cache when the iterator is created; writes during iteration are unsupported there). It is
 * implemented lazily: an iterator walks the live layers until a write lands inside the part of
 * its range it has not yet returned (or a commit/discard changes a layer it reads), and only
 * then copies its remaining entries. So plain scans cost no copy, and a write to the entry just
 * returned (read-modify-write loops) costs none either.
 *
 * Key layout of the chain state (one byte module prefix, then fixed-width fields; wasmd's own
 * prefixes where it has them so state dumps read alike):
 *   0x01 ‖ be64(code_id)                     → code info          (wasmd CodeKeyPrefix)
 *   0x02 ‖ contract_addr(32)                 → contract info      (wasmd ContractKeyPrefix)
 *   0x03 ‖ contract_addr(32) ‖ key           → contract storage   (wasmd ContractStorePrefix)
 *   0x04 ‖ name                              → sequences: last code id, last instance id
 *   0x05 ‖ contract_addr(32) ‖ be64(seq)     → contract code history
 *   0x10 ‖ denom                             → bank supply (16-byte big-endian u128)
 *   0x11 ‖ u8(len(addr)) ‖ addr ‖ denom      → bank balance (16-byte big-endian u128)
 *   0x20 ‖ name                              → block info (height, time, chain id)
 *   0x30 ‖ denom                             → oracle price
 *   0x40 ‖ name                              → simulator metadata (aliases, config)
 * A contract's storage is thus one contiguous, prefix-free range: its iteration never sees
 * another contract's keys, since contract addresses are all 32 bytes.
 */
#ifndef HS_TX_CACHE_H
#define HS_TX_CACHE_H

#include "kv_store.h"

/* Module prefixes of the chain state keyspace (see the layout above). */
enum {
    HS_KEY_CODE = 0x01,
    HS_KEY_CONTRACT = 0x02,
    HS_KEY_CONTRACT_STORE = 0x03,
    HS_KEY_SEQUENCE = 0x04,
    HS_KEY_CODE_HISTORY = 0x05,
    HS_KEY_BANK_SUPPLY = 0x10,
    HS_KEY_BANK_BALANCE = 0x11,
    HS_KEY_BLOCK = 0x20,
    HS_KEY_ORACLE = 0x30,
    HS_KEY_META = 0x40,
};

/* Length of a contract address in the keyspace (wasmd classic and predictable addresses). */
#define HS_CONTRACT_ADDR_LEN 32

/* Write 0x03 ‖ addr(32) ‖ key into out (capacity out_cap) and return the length, or 0 when
 * out_cap < 33 + klen. A contract's key `key` is stored under this full key. */
size_t hs_key_contract_store(uint8_t *out, size_t out_cap, const uint8_t addr[32], const void *key,
                             size_t klen);

/* The transaction context. Opaque; single-threaded. */
typedef struct hs_txc hs_txc;

/* A contract-style iterator; see "Iterators" above. Owned by the hs_txc that opened it. */
typedef struct hs_txc_iter hs_txc_iter;

/* One changed key handed to the commit hook: a new value, or deleted == true. */
typedef struct hs_txc_change {
    const uint8_t *key;
    size_t klen;
    const uint8_t *val; /* NULL when deleted */
    size_t vlen;
    bool deleted;
} hs_txc_change;

/* Called by the outermost hs_txc_commit() with that transaction's changes (sorted by key, each
 * key once) before they are applied to the backing store. Returning anything but HS_STATE_OK
 * aborts the commit: the backing store stays untouched and the layer stays open. The arrays
 * are valid only during the call. */
typedef hs_state_result (*hs_txc_commit_fn)(void *ctx, const hs_txc_change *changes, size_t n);

/* Create a context over `backing` (not owned: it must outlive the context and must not be
 * written by anyone else while the context exists). NULL when out of memory. */
hs_txc *hs_txc_new(hs_kv *backing);

/* Free the context: discards open layers and closes every open iterator. NULL is allowed. */
void hs_txc_free(hs_txc *c);

/* Install (or with fn == NULL remove) the hook run by each outermost commit. */
void hs_txc_set_commit_hook(hs_txc *c, hs_txc_commit_fn fn, void *ctx);

/* Number of open layers (0 = none: reads see the backing store, writes are refused). */
size_t hs_txc_depth(const hs_txc *c);

/* Number of keys written or deleted in the top layer (0 at depth 0). */
size_t hs_txc_pending(const hs_txc *c);

/* The backing store (read-only use: e.g. to count entries). */
const hs_kv *hs_txc_backing(const hs_txc *c);

/* Open a layer. HS_STATE_OK or HS_STATE_NOMEM (nothing changed). */
HS_STATE_MUST_USE hs_state_result hs_txc_begin(hs_txc *c);

/* Merge the top layer into its parent (or, for the last layer, run the commit hook and then
 * write the changes to the backing store) and close it. Returns HS_STATE_OK; HS_STATE_INVALID
 * at depth 0; the hook's failure code (the layer is still open, backing store unchanged: the
 * caller should discard); or HS_STATE_NOMEM, after which the state below the top layer may hold
 * part of its writes — treat it as fatal (with SQLite, the database stays the truth). */
HS_STATE_MUST_USE hs_state_result hs_txc_commit(hs_txc *c);

/* Drop the top layer and everything written in it. No-op at depth 0. */
void hs_txc_discard(hs_txc *c);

/* Read through the layers. HS_STATE_OK with *val and *vlen pointing at the value (owned by the
 * context; valid until the next set, delete, commit or discard), or HS_STATE_NOT_FOUND. */
hs_state_result hs_txc_get(const hs_txc *c, const void *key, size_t klen, const uint8_t **val,
                           size_t *vlen);

/* Write into the top layer (copies key and value). HS_STATE_OK, HS_STATE_INVALID (no layer, or
 * an oversized key/value) or HS_STATE_NOMEM (nothing changed). */
HS_STATE_MUST_USE hs_state_result hs_txc_set(hs_txc *c, const void *key, size_t klen,
                                             const void *val, size_t vlen);

/* Delete in the top layer (a tombstone; deleting an absent key is fine). HS_STATE_OK,
 * HS_STATE_INVALID (no layer) or HS_STATE_NOMEM (nothing changed). */
HS_STATE_MUST_USE hs_state_result hs_txc_delete(hs_txc *c, const void *key, size_t klen);

/* Open a snapshot iterator over [start, end) in `order`; a NULL bound is unbounded (an empty,
 * non-NULL bound is the empty key). Bounds are copied. On HS_STATE_OK *out is the iterator,
 * to be closed with hs_txc_iter_close() (or freed with the context). HS_STATE_NOMEM otherwise. */
HS_STATE_MUST_USE hs_state_result hs_txc_iter_open(hs_txc *c, const void *start, size_t start_len,
                                                   const void *end, size_t end_len, hs_order order,
                                                   hs_txc_iter **out);

/* Next entry of the snapshot: HS_STATE_OK with key and value pointers (valid until the next
 * call on this iterator or the next write/commit/discard on the context), or
 * HS_STATE_NOT_FOUND at the end (and on every later call). */
hs_state_result hs_txc_iter_next(hs_txc_iter *it, const uint8_t **key, size_t *klen,
                                 const uint8_t **val, size_t *vlen);

/* Close an iterator. NULL is allowed. */
void hs_txc_iter_close(hs_txc_iter *it);

/* Number of open iterators (the host caps them per call like wasmvm does). */
size_t hs_txc_iter_count(const hs_txc *c);

#endif

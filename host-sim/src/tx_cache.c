/* tx_cache.c — nested write-buffering cache layers over the backing store, with snapshot
 * iterators that copy their remaining range only when a write would change it. See tx_cache.h.
 *
 * A layer is an hs_kv whose values carry a one-byte tag: TAG_VALUE ‖ value, or TAG_DELETED (a
 * tombstone). Layers are pooled: closing one clears it for the next transaction. */
#include "tx_cache.h"

#include <stdlib.h>
#include <string.h>

enum { TAG_DELETED = 0, TAG_VALUE = 1 };

typedef struct snap_item {
    uint8_t *key; /* key ‖ value in one allocation */
    size_t klen, vlen;
} snap_item;

struct hs_txc_iter {
    hs_txc *c;
    hs_txc_iter *prev_open, *next_open;
    size_t level; /* layers visible: layers[0..level-1], then the backing store */
    hs_order order;
    uint8_t *start, *end; /* owned copies; NULL = unbounded */
    size_t start_len, end_len;
    bool done;
    /* live mode: one cursor per source, source 0 = top layer ... source level = backing */
    hs_kv_node **cur;
    uint8_t *last; /* copy of the last key returned (live mode) */
    size_t last_len, last_cap;
    bool has_last;
    /* snapshot mode */
    bool snap;
    snap_item *items;
    size_t nitems, pos;
};

struct hs_txc {
    hs_kv *backing;
    hs_kv **layers; /* pool: layers[0..depth-1] open, the rest cleared spares */
    size_t depth, cap;
    hs_txc_commit_fn hook;
    void *hook_ctx;
    hs_txc_change *changes; /* scratch for the commit hook */
    size_t changes_cap;
    hs_txc_iter *iters; /* open iterators */
    size_t niters;
};

size_t hs_key_contract_store(uint8_t *out, size_t out_cap, const uint8_t addr[32], const void *key,
                             size_t klen) {
    if (out_cap < 1 + HS_CONTRACT_ADDR_LEN || klen > out_cap - 1 - HS_CONTRACT_ADDR_LEN) return 0;
    out[0] = HS_KEY_CONTRACT_STORE;
    memcpy(out + 1, addr, HS_CONTRACT_ADDR_LEN);
    if (klen) memcpy(out + 1 + HS_CONTRACT_ADDR_LEN, key, klen);
    return 1 + HS_CONTRACT_ADDR_LEN + klen;
}

hs_txc *hs_txc_new(hs_kv *backing) {
    hs_txc *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->backing = backing;
    return c;
}

void hs_txc_free(hs_txc *c) {
    if (!c) return;
    while (c->iters) hs_txc_iter_close(c->iters);
    for (size_t i = 0; i < c->cap; i++) hs_kv_free(c->layers[i]);
    free(c->layers);
    free(c->changes);
    free(c);
}

void hs_txc_set_commit_hook(hs_txc *c, hs_txc_commit_fn fn, void *ctx) {
    c->hook = fn;
    c->hook_ctx = ctx;
}

size_t hs_txc_depth(const hs_txc *c) {
    return c->depth;
}

size_t hs_txc_pending(const hs_txc *c) {
    return c->depth ? hs_kv_count(c->layers[c->depth - 1]) : 0;
}

const hs_kv *hs_txc_backing(const hs_txc *c) {
    return c->backing;
}

size_t hs_txc_iter_count(const hs_txc *c) {
    return c->niters;
}

/* --- Iterator internals ---------------------------------------------------------------------- */

static hs_kv *source_kv(const hs_txc_iter *it, size_t s) {
    return s == it->level ? it->c->backing : it->c->layers[it->level - 1 - s];
}

/* Is `key` in the part of the range the iterator has not returned yet? */
static bool in_remaining(const hs_txc_iter *it, const uint8_t *key, size_t klen) {
    if (it->order == HS_ASCENDING) {
        if (it->end && hs_key_cmp(key, klen, it->end, it->end_len) >= 0) return false;
        if (it->has_last) return hs_key_cmp(key, klen, it->last, it->last_len) > 0;
        return !it->start || hs_key_cmp(key, klen, it->start, it->start_len) >= 0;
    }
    if (it->start && hs_key_cmp(key, klen, it->start, it->start_len) < 0) return false;
    if (it->has_last) return hs_key_cmp(key, klen, it->last, it->last_len) < 0;
    return !it->end || hs_key_cmp(key, klen, it->end, it->end_len) < 0;
}

/* One merged step in live mode: the next visible entry, or false at the end. */
static bool live_next(hs_txc_iter *it, const uint8_t **key, size_t *klen, const uint8_t **val,
                      size_t *vlen) {
    size_t nsrc = it->level + 1;
    for (;;) {
        size_t best = nsrc;
        const uint8_t *bk = NULL;
        size_t bkl = 0;
        for (size_t s = 0; s < nsrc; s++) {
            if (!it->cur[s]) continue;
            size_t kl;
            const uint8_t *k = hs_kv_node_key(it->cur[s], &kl);
            int cmp = best == nsrc ? -1 : hs_key_cmp(k, kl, bk, bkl);
            if (it->order == HS_DESCENDING) cmp = -cmp;
            if (best == nsrc || cmp < 0) { /* ties keep the earlier (higher) source */
                best = s;
                bk = k;
                bkl = kl;
            }
        }
        if (best == nsrc) return false;
        bool out_of_range = it->order == HS_ASCENDING
                                ? it->end && hs_key_cmp(bk, bkl, it->end, it->end_len) >= 0
                                : it->start && hs_key_cmp(bk, bkl, it->start, it->start_len) < 0;
        if (out_of_range) {
            for (size_t s = 0; s < nsrc; s++) it->cur[s] = NULL;
            return false;
        }
        hs_kv_node *win = it->cur[best];
        for (size_t s = best; s < nsrc; s++) {
            if (!it->cur[s]) continue;
            size_t kl;
            const uint8_t *k = hs_kv_node_key(it->cur[s], &kl);
            if (s == best || hs_key_cmp(k, kl, bk, bkl) == 0)
                it->cur[s] = hs_kv_node_step(it->cur[s], it->order);
        }
        size_t vl;
        const uint8_t *v = hs_kv_node_value(win, &vl);
        if (best != it->level) { /* a layer entry: tagged */
            if (v[0] == TAG_DELETED) continue;
            v++;
            vl--;
        }
        *key = bk;
        *klen = bkl;
        *val = v;
        *vlen = vl;
        return true;
    }
}

static void free_snapshot(hs_txc_iter *it) {
    for (size_t i = 0; i < it->nitems; i++) free(it->items[i].key);
    free(it->items);
    it->items = NULL;
    it->nitems = 0;
}

/* Copy the rest of a live iterator's range so later writes cannot change it. */
static hs_state_result materialize(hs_txc_iter *it) {
    if (it->snap) return HS_STATE_OK;
    snap_item *items = NULL;
    size_t n = 0, cap = 0;
    const uint8_t *k, *v;
    size_t kl, vl;
    /* Walk a copy of the cursors so a failure leaves the iterator as it was. */
    size_t nsrc = it->level + 1;
    hs_kv_node **saved = malloc(nsrc * sizeof *saved);
    if (!saved) return HS_STATE_NOMEM;
    memcpy(saved, it->cur, nsrc * sizeof *saved);
    while (live_next(it, &k, &kl, &v, &vl)) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            snap_item *ni = realloc(items, ncap * sizeof *ni);
            if (!ni) goto nomem;
            items = ni;
            cap = ncap;
        }
        uint8_t *buf = malloc(kl + vl + 1);
        if (!buf) goto nomem;
        memcpy(buf, k, kl);
        if (vl) memcpy(buf + kl, v, vl);
        items[n].key = buf;
        items[n].klen = kl;
        items[n].vlen = vl;
        n++;
    }
    free(saved);
    free(it->cur);
    it->cur = NULL;
    it->snap = true;
    it->items = items;
    it->nitems = n;
    it->pos = 0;
    return HS_STATE_OK;
nomem:
    memcpy(it->cur, saved, nsrc * sizeof *saved);
    free(saved);
    for (size_t i = 0; i < n; i++) free(items[i].key);
    free(items);
    return HS_STATE_NOMEM;
}

/* Snapshot every live iterator that reads at least `min_level` layers. */
static hs_state_result materialize_from(hs_txc *c, size_t min_level) {
    for (hs_txc_iter *it = c->iters; it; it = it->next_open) {
        if (it->snap || it->done || it->level < min_level) continue;
        hs_state_result r = materialize(it);
        if (r != HS_STATE_OK) return r;
    }
    return HS_STATE_OK;
}

/* Snapshot the live iterators of the top layer whose remaining range holds `key`. */
static hs_state_result before_write(hs_txc *c, const void *key, size_t klen) {
    for (hs_txc_iter *it = c->iters; it; it = it->next_open) {
        if (it->snap || it->done || it->level != c->depth) continue;
        if (!in_remaining(it, key, klen)) continue;
        hs_state_result r = materialize(it);
        if (r != HS_STATE_OK) return r;
    }
    return HS_STATE_OK;
}

/* --- Layers ---------------------------------------------------------------------------------- */

hs_state_result hs_txc_begin(hs_txc *c) {
    if (c->depth == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 4;
        hs_kv **nl = realloc(c->layers, ncap * sizeof *nl);
        if (!nl) return HS_STATE_NOMEM;
        c->layers = nl;
        for (size_t i = c->cap; i < ncap; i++) c->layers[i] = NULL;
        c->cap = ncap;
    }
    if (!c->layers[c->depth]) {
        c->layers[c->depth] = hs_kv_new();
        if (!c->layers[c->depth]) return HS_STATE_NOMEM;
    }
    c->depth++;
    return HS_STATE_OK;
}

void hs_txc_discard(hs_txc *c) {
    if (!c->depth) return;
    /* Iterators reading the dropped layer keep their snapshot; if that copy cannot be made
     * they end early rather than read freed memory. */
    for (hs_txc_iter *it = c->iters; it; it = it->next_open) {
        if (it->snap || it->done || it->level != c->depth) continue;
        if (materialize(it) != HS_STATE_OK) it->done = true;
    }
    c->depth--;
    hs_kv_clear(c->layers[c->depth]);
}

static hs_state_result commit_to_backing(hs_txc *c, hs_kv *top) {
    size_t n = hs_kv_count(top);
    if (c->hook && n) {
        if (n > c->changes_cap) {
            hs_txc_change *nc = realloc(c->changes, n * sizeof *nc);
            if (!nc) return HS_STATE_NOMEM;
            c->changes = nc;
            c->changes_cap = n;
        }
        hs_kv_iter kit;
        hs_kv_iter_init(&kit, top, NULL, 0, NULL, 0, HS_ASCENDING);
        const uint8_t *k, *v;
        size_t kl, vl, i = 0;
        while (hs_kv_iter_next(&kit, &k, &kl, &v, &vl)) {
            hs_txc_change *ch = &c->changes[i++];
            ch->key = k;
            ch->klen = kl;
            ch->deleted = v[0] == TAG_DELETED;
            ch->val = ch->deleted ? NULL : v + 1;
            ch->vlen = ch->deleted ? 0 : vl - 1;
        }
        hs_state_result r = c->hook(c->hook_ctx, c->changes, n);
        if (r != HS_STATE_OK) return r;
    }
    hs_kv_iter kit;
    hs_kv_iter_init(&kit, top, NULL, 0, NULL, 0, HS_ASCENDING);
    const uint8_t *k, *v;
    size_t kl, vl;
    while (hs_kv_iter_next(&kit, &k, &kl, &v, &vl)) {
        if (v[0] == TAG_DELETED) {
            (void)hs_kv_delete(c->backing, k, kl);
        } else if (hs_kv_set(c->backing, k, kl, v + 1, vl - 1) != HS_STATE_OK) {
            return HS_STATE_NOMEM;
        }
    }
    return HS_STATE_OK;
}

hs_state_result hs_txc_commit(hs_txc *c) {
    if (!c->depth) return HS_STATE_INVALID;
    hs_kv *top = c->layers[c->depth - 1];
    /* Every iterator reading the parent (or the top layer, which goes away) must stop reading
     * live data: the parent changes now. */
    hs_state_result r = materialize_from(c, c->depth - 1);
    if (r != HS_STATE_OK) return r;
    if (c->depth == 1) {
        r = commit_to_backing(c, top);
        if (r != HS_STATE_OK) return r;
        hs_kv_clear(top);
        c->depth = 0;
        return HS_STATE_OK;
    }
    hs_kv *parent = c->layers[c->depth - 2];
    if (hs_kv_count(parent) == 0) { /* common for submessages: adopt the child's map */
        c->layers[c->depth - 2] = top;
        c->layers[c->depth - 1] = parent;
    } else {
        hs_kv_iter kit;
        hs_kv_iter_init(&kit, top, NULL, 0, NULL, 0, HS_ASCENDING);
        const uint8_t *k, *v;
        size_t kl, vl;
        while (hs_kv_iter_next(&kit, &k, &kl, &v, &vl))
            if (hs_kv_set(parent, k, kl, v, vl) != HS_STATE_OK) return HS_STATE_NOMEM;
        hs_kv_clear(top);
    }
    c->depth--;
    return HS_STATE_OK;
}

/* --- Reads and writes ------------------------------------------------------------------------ */

hs_state_result hs_txc_get(const hs_txc *c, const void *key, size_t klen, const uint8_t **val,
                           size_t *vlen) {
    for (size_t i = c->depth; i-- > 0;) {
        const uint8_t *v;
        size_t vl;
        if (hs_kv_get(c->layers[i], key, klen, &v, &vl) == HS_STATE_OK) {
            if (v[0] == TAG_DELETED) return HS_STATE_NOT_FOUND;
            if (val) *val = v + 1;
            if (vlen) *vlen = vl - 1;
            return HS_STATE_OK;
        }
    }
    return hs_kv_get(c->backing, key, klen, val, vlen);
}

hs_state_result hs_txc_set(hs_txc *c, const void *key, size_t klen, const void *val, size_t vlen) {
    if (!c->depth || klen > HS_KV_MAX_LEN || vlen >= HS_KV_MAX_LEN) return HS_STATE_INVALID;
    if (c->iters) {
        hs_state_result r = before_write(c, key, klen);
        if (r != HS_STATE_OK) return r;
    }
    static const uint8_t tag = TAG_VALUE;
    return hs_kv_set_parts(c->layers[c->depth - 1], key, klen, &tag, 1, val, vlen);
}

hs_state_result hs_txc_delete(hs_txc *c, const void *key, size_t klen) {
    if (!c->depth || klen > HS_KV_MAX_LEN) return HS_STATE_INVALID;
    if (c->iters) {
        hs_state_result r = before_write(c, key, klen);
        if (r != HS_STATE_OK) return r;
    }
    static const uint8_t tag = TAG_DELETED;
    return hs_kv_set(c->layers[c->depth - 1], key, klen, &tag, 1);
}

/* --- Iterators ------------------------------------------------------------------------------- */

static uint8_t *dup_bound(const void *p, size_t len) {
    uint8_t *d = malloc(len ? len : 1);
    if (d && len) memcpy(d, p, len);
    return d;
}

hs_state_result hs_txc_iter_open(hs_txc *c, const void *start, size_t start_len, const void *end,
                                 size_t end_len, hs_order order, hs_txc_iter **out) {
    *out = NULL;
    if (order != HS_ASCENDING && order != HS_DESCENDING) return HS_STATE_INVALID;
    hs_txc_iter *it = calloc(1, sizeof *it);
    if (!it) return HS_STATE_NOMEM;
    it->c = c;
    it->level = c->depth;
    it->order = order;
    it->start_len = start_len;
    it->end_len = end_len;
    if ((start && !(it->start = dup_bound(start, start_len))) ||
        (end && !(it->end = dup_bound(end, end_len))) ||
        !(it->cur = calloc(it->level + 1, sizeof *it->cur))) {
        free(it->start);
        free(it->end);
        free(it);
        return HS_STATE_NOMEM;
    }
    /* An empty or inverted range yields nothing. */
    if (it->start && it->end && hs_key_cmp(it->start, start_len, it->end, end_len) >= 0) {
        it->done = true;
    } else {
        for (size_t s = 0; s <= it->level; s++) {
            hs_kv *kv = source_kv(it, s);
            it->cur[s] = order == HS_ASCENDING ? hs_kv_seek(kv, it->start, start_len, order)
                                               : hs_kv_seek(kv, it->end, end_len, order);
        }
    }
    it->next_open = c->iters;
    if (c->iters) c->iters->prev_open = it;
    c->iters = it;
    c->niters++;
    *out = it;
    return HS_STATE_OK;
}

hs_state_result hs_txc_iter_next(hs_txc_iter *it, const uint8_t **key, size_t *klen,
                                 const uint8_t **val, size_t *vlen) {
    if (it->done) return HS_STATE_NOT_FOUND;
    if (it->snap) {
        if (it->pos == it->nitems) {
            it->done = true;
            return HS_STATE_NOT_FOUND;
        }
        snap_item *si = &it->items[it->pos++];
        *key = si->key;
        *klen = si->klen;
        *val = si->key + si->klen;
        *vlen = si->vlen;
        return HS_STATE_OK;
    }
    if (!live_next(it, key, klen, val, vlen)) {
        it->done = true;
        return HS_STATE_NOT_FOUND;
    }
    if (*klen > it->last_cap) {
        size_t ncap = *klen < 64 ? 64 : *klen;
        uint8_t *nl = realloc(it->last, ncap);
        if (!nl) { /* cannot track the position: fall back to a snapshot of the rest */
            if (materialize(it) != HS_STATE_OK) it->done = true;
            it->has_last = false;
            return HS_STATE_OK;
        }
        it->last = nl;
        it->last_cap = ncap;
    }
    memcpy(it->last, *key, *klen);
    it->last_len = *klen;
    it->has_last = true;
    return HS_STATE_OK;
}

void hs_txc_iter_close(hs_txc_iter *it) {
    if (!it) return;
    hs_txc *c = it->c;
    if (it->prev_open)
        it->prev_open->next_open = it->next_open;
    else
        c->iters = it->next_open;
    if (it->next_open) it->next_open->prev_open = it->prev_open;
    c->niters--;
    free_snapshot(it);
    free(it->cur);
    free(it->last);
    free(it->start);
    free(it->end);
    free(it);
}

/* kv_store.c — the in-memory ordered byte map: a skip list for order (level 0 doubly linked)
 * plus a linear-probing hash index of the same nodes for O(1) point reads. See kv_store.h. */
#include "kv_store.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LEVEL 24 /* p = 1/4: enough for 4^24 entries */

struct hs_kv_node {
    uint8_t *val; /* malloc'd value buffer (NULL when vcap == 0) */
    uint32_t vlen, vcap;
    uint32_t klen;
    uint8_t level; /* number of forward pointers */
    uint64_t hash;
    hs_kv_node *prev;   /* level-0 predecessor, NULL for the first node */
    hs_kv_node *next[]; /* `level` forward pointers, then the key bytes */
};

struct hs_kv {
    hs_kv_node *head; /* sentinel with MAX_LEVEL forward pointers, no key */
    hs_kv_node *tail; /* last node or NULL */
    int level;        /* highest level in use (>= 1) */
    size_t count;
    uint64_t rng;
    hs_kv_node **table; /* hash index: capacity slots, NULL = empty */
    size_t capacity;    /* power of two, or 0 before the first insert */
};

static inline uint8_t *node_key(const hs_kv_node *n) {
    return (uint8_t *)&n->next[n->level];
}

const char *hs_state_strerror(hs_state_result r) {
    switch (r) {
    case HS_STATE_OK:
        return "ok";
    case HS_STATE_NOT_FOUND:
        return "not found";
    case HS_STATE_NOMEM:
        return "out of memory";
    case HS_STATE_INVALID:
        return "invalid argument";
    case HS_STATE_IO:
        return "state database I/O error";
    case HS_STATE_CORRUPT:
        return "not a valid Ballast state database";
    case HS_STATE_VERSION:
        return "unsupported state database schema version";
    case HS_STATE_INSUFFICIENT:
        return "insufficient funds";
    case HS_STATE_OVERFLOW:
        return "amount overflow";
    case HS_STATE_BAD_DENOM:
        return "invalid denom";
    }
    return "unknown state error";
}

int hs_key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0;
    if (c) return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static uint64_t hash_bytes(const uint8_t *p, size_t len) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xff51afd7ed558ccdull);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 29;
        p += 8;
        len -= 8;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++) w |= (uint64_t)p[i] << (8 * i);
    h = (h ^ w) * 0x94d049bb133111ebull;
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return h;
}

hs_kv *hs_kv_new(void) {
    hs_kv *kv = calloc(1, sizeof *kv);
    if (!kv) return NULL;
    kv->head = calloc(1, sizeof(hs_kv_node) + MAX_LEVEL * sizeof(hs_kv_node *));
    if (!kv->head) {
        free(kv);
        return NULL;
    }
    kv->head->level = MAX_LEVEL;
    kv->level = 1;
    kv->rng = 0x2545F4914F6CDD1Dull;
    return kv;
}

static void free_nodes(hs_kv *kv) {
    hs_kv_node *n = kv->head->next[0];
    while (n) {
        hs_kv_node *next = n->next[0];
        free(n->val);
        free(n);
        n = next;
    }
    memset(kv->head->next, 0, MAX_LEVEL * sizeof(hs_kv_node *));
    kv->tail = NULL;
    kv->level = 1;
    kv->count = 0;
}

void hs_kv_free(hs_kv *kv) {
    if (!kv) return;
    free_nodes(kv);
    free(kv->head);
    free(kv->table);
    free(kv);
}

void hs_kv_clear(hs_kv *kv) {
    if (kv->count == 0) return;
    free_nodes(kv);
    if (kv->capacity > 1024) { /* do not keep a large index for a map reused small */
        free(kv->table);
        kv->table = NULL;
        kv->capacity = 0;
    } else if (kv->table) {
        memset(kv->table, 0, kv->capacity * sizeof *kv->table);
    }
}

size_t hs_kv_count(const hs_kv *kv) {
    return kv->count;
}

/* --- Hash index ------------------------------------------------------------------------------ */

static hs_kv_node *index_find(const hs_kv *kv, const uint8_t *key, size_t klen, uint64_t h,
                              size_t *slot) {
    if (!kv->capacity) return NULL;
    size_t mask = kv->capacity - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        hs_kv_node *n = kv->table[i];
        if (!n) {
            if (slot) *slot = i;
            return NULL;
        }
        if (n->hash == h && n->klen == klen && (klen == 0 || memcmp(node_key(n), key, klen) == 0)) {
            if (slot) *slot = i;
            return n;
        }
    }
}

static void index_put(hs_kv_node **table, size_t capacity, hs_kv_node *n) {
    size_t mask = capacity - 1;
    size_t i = n->hash & mask;
    while (table[i]) i = (i + 1) & mask;
    table[i] = n;
}

/* Make room for one more entry (load factor <= 1/2). */
static hs_state_result index_reserve(hs_kv *kv) {
    if ((kv->count + 1) * 2 <= kv->capacity) return HS_STATE_OK;
    size_t cap = kv->capacity ? kv->capacity * 2 : 16;
    hs_kv_node **t = calloc(cap, sizeof *t);
    if (!t) return HS_STATE_NOMEM;
    for (hs_kv_node *n = kv->head->next[0]; n; n = n->next[0]) index_put(t, cap, n);
    free(kv->table);
    kv->table = t;
    kv->capacity = cap;
    return HS_STATE_OK;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void index_remove(hs_kv *kv, size_t slot) {
    size_t mask = kv->capacity - 1;
    size_t hole = slot;
    for (size_t i = (slot + 1) & mask; kv->table[i]; i = (i + 1) & mask) {
        size_t home = kv->table[i]->hash & mask;
        /* move entry i into the hole when its home is not in (hole, i] cyclically */
        bool in_range = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!in_range) {
            kv->table[hole] = kv->table[i];
            hole = i;
        }
    }
    kv->table[hole] = NULL;
}

/* --- Map operations -------------------------------------------------------------------------- */

hs_state_result hs_kv_get(const hs_kv *kv, const void *key, size_t klen, const uint8_t **val,
                          size_t *vlen) {
    hs_kv_node *n = index_find(kv, key, klen, hash_bytes(key, klen), NULL);
    if (!n) return HS_STATE_NOT_FOUND;
    if (val) *val = n->val ? n->val : (const uint8_t *)"";
    if (vlen) *vlen = n->vlen;
    return HS_STATE_OK;
}

static hs_state_result set_value(hs_kv_node *n, const void *p1, size_t l1, const void *p2,
                                 size_t l2) {
    size_t vlen = l1 + l2;
    if (vlen > n->vcap || (n->vcap > 256 && vlen < n->vcap / 4)) {
        size_t cap = vlen ? vlen : 1;
        uint8_t *buf = malloc(cap);
        if (!buf) return HS_STATE_NOMEM;
        free(n->val);
        n->val = buf;
        n->vcap = (uint32_t)cap;
    }
    if (l1) memcpy(n->val, p1, l1);
    if (l2) memcpy(n->val + l1, p2, l2);
    n->vlen = (uint32_t)vlen;
    return HS_STATE_OK;
}

static int random_level(hs_kv *kv) {
    /* xorshift64; two bits per level gives p = 1/4 */
    uint64_t x = kv->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    kv->rng = x;
    int lvl = 1;
    while (lvl < MAX_LEVEL && (x & 3) == 0) {
        lvl++;
        x >>= 2;
    }
    return lvl;
}

/* Fill update[] with the last node before `key` on every level; returns the level-0 successor. */
static hs_kv_node *find_preds(const hs_kv *kv, const uint8_t *key, size_t klen,
                              hs_kv_node **update) {
    hs_kv_node *x = kv->head;
    for (int l = kv->level - 1; l >= 0; l--) {
        hs_kv_node *nx;
        while ((nx = x->next[l]) && hs_key_cmp(node_key(nx), nx->klen, key, klen) < 0) x = nx;
        if (update) update[l] = x;
    }
    return x->next[0];
}

hs_state_result hs_kv_set(hs_kv *kv, const void *key, size_t klen, const void *val, size_t vlen) {
    return hs_kv_set_parts(kv, key, klen, val, vlen, NULL, 0);
}

hs_state_result hs_kv_set_parts(hs_kv *kv, const void *key, size_t klen, const void *p1, size_t l1,
                                const void *p2, size_t l2) {
    if (klen > HS_KV_MAX_LEN || l1 > HS_KV_MAX_LEN || l2 > HS_KV_MAX_LEN - l1 || (klen && !key) ||
        (l1 && !p1) || (l2 && !p2))
        return HS_STATE_INVALID;
    uint64_t h = hash_bytes(key, klen);
    hs_kv_node *n = index_find(kv, key, klen, h, NULL);
    if (n) return set_value(n, p1, l1, p2, l2);

    if (index_reserve(kv) != HS_STATE_OK) return HS_STATE_NOMEM;
    hs_kv_node *update[MAX_LEVEL];
    find_preds(kv, key, klen, update);
    int lvl = random_level(kv);
    n = malloc(sizeof *n + (size_t)lvl * sizeof(hs_kv_node *) + klen);
    if (!n) return HS_STATE_NOMEM;
    n->val = NULL;
    n->vcap = 0;
    n->klen = (uint32_t)klen;
    n->level = (uint8_t)lvl;
    n->hash = h;
    if (klen) memcpy(node_key(n), key, klen);
    if (set_value(n, p1, l1, p2, l2) != HS_STATE_OK) {
        free(n);
        return HS_STATE_NOMEM;
    }
    if (lvl > kv->level) {
        for (int l = kv->level; l < lvl; l++) update[l] = kv->head;
        kv->level = lvl;
    }
    for (int l = 0; l < lvl; l++) {
        n->next[l] = update[l]->next[l];
        update[l]->next[l] = n;
    }
    n->prev = update[0] == kv->head ? NULL : update[0];
    if (n->next[0])
        n->next[0]->prev = n;
    else
        kv->tail = n;
    index_put(kv->table, kv->capacity, n);
    kv->count++;
    return HS_STATE_OK;
}

hs_state_result hs_kv_delete(hs_kv *kv, const void *key, size_t klen) {
    size_t slot;
    hs_kv_node *n = index_find(kv, key, klen, hash_bytes(key, klen), &slot);
    if (!n) return HS_STATE_NOT_FOUND;
    index_remove(kv, slot);
    hs_kv_node *update[MAX_LEVEL];
    find_preds(kv, key, klen, update);
    for (int l = 0; l < n->level; l++) update[l]->next[l] = n->next[l];
    if (n->next[0])
        n->next[0]->prev = n->prev;
    else
        kv->tail = n->prev;
    while (kv->level > 1 && !kv->head->next[kv->level - 1]) kv->level--;
    free(n->val);
    free(n);
    kv->count--;
    return HS_STATE_OK;
}

/* --- Navigation ------------------------------------------------------------------------------ */

hs_kv_node *hs_kv_seek(const hs_kv *kv, const void *key, size_t klen, hs_order order) {
    if (!key) return order == HS_ASCENDING ? kv->head->next[0] : kv->tail;
    hs_kv_node *succ = find_preds(kv, key, klen, NULL);
    if (order == HS_ASCENDING) return succ;
    return succ ? succ->prev : kv->tail;
}

hs_kv_node *hs_kv_node_step(const hs_kv_node *n, hs_order order) {
    return order == HS_ASCENDING ? n->next[0] : n->prev;
}

const uint8_t *hs_kv_node_key(const hs_kv_node *n, size_t *klen) {
    *klen = n->klen;
    return node_key(n);
}

const uint8_t *hs_kv_node_value(const hs_kv_node *n, size_t *vlen) {
    *vlen = n->vlen;
    return n->val ? n->val : (const uint8_t *)"";
}

void hs_kv_iter_init(hs_kv_iter *it, const hs_kv *kv, const void *start, size_t start_len,
                     const void *end, size_t end_len, hs_order order) {
    it->kv = kv;
    it->start = start;
    it->start_len = start_len;
    it->end = end;
    it->end_len = end_len;
    it->order = order;
    if (order == HS_ASCENDING)
        it->next = hs_kv_seek(kv, start, start_len, HS_ASCENDING);
    else
        it->next = hs_kv_seek(kv, end, end_len, HS_DESCENDING);
}

bool hs_kv_iter_next(hs_kv_iter *it, const uint8_t **key, size_t *klen, const uint8_t **val,
                     size_t *vlen) {
    hs_kv_node *n = it->next;
    if (!n) return false;
    if (it->order == HS_ASCENDING) {
        if (it->end && hs_key_cmp(node_key(n), n->klen, it->end, it->end_len) >= 0) {
            it->next = NULL;
            return false;
        }
    } else if (it->start && hs_key_cmp(node_key(n), n->klen, it->start, it->start_len) < 0) {
        it->next = NULL;
        return false;
    }
    it->next = hs_kv_node_step(n, it->order);
    size_t kl, vl;
    const uint8_t *k = hs_kv_node_key(n, &kl), *v = hs_kv_node_value(n, &vl);
    if (key) *key = k;
    if (klen) *klen = kl;
    if (val) *val = v;
    if (vlen) *vlen = vl;
    return true;
}

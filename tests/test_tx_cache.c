/* test_tx_cache.c — Criterion tests of host-sim's transaction context (tx_cache): read-through,
 * tombstones, nested commit/discard, the commit hook, snapshot iterators under writes, the
 * contract key layout, and a long seeded random run against a stack-of-maps reference. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tx_cache.h"

static hs_kv *backing;
static hs_txc *txc;
static void setup(void) {
    backing = hs_kv_new();
    txc = hs_txc_new(backing);
    cr_assert(backing && txc);
}
static void teardown(void) {
    hs_txc_free(txc);
    hs_kv_free(backing);
}
TestSuite(tx_cache, .init = setup, .fini = teardown);

static void set(const char *k, const char *v) {
    cr_assert_eq(hs_txc_set(txc, k, strlen(k), v, strlen(v)), HS_STATE_OK);
}
static void del(const char *k) {
    cr_assert_eq(hs_txc_delete(txc, k, strlen(k)), HS_STATE_OK);
}
static const char *get(const char *k) {
    static char buf[256];
    const uint8_t *v;
    size_t vl;
    if (hs_txc_get(txc, k, strlen(k), &v, &vl) != HS_STATE_OK) return NULL;
    memcpy(buf, v, vl);
    buf[vl] = '\0';
    return buf;
}
static void begin(void) {
    cr_assert_eq(hs_txc_begin(txc), HS_STATE_OK);
}
static void commit(void) {
    cr_assert_eq(hs_txc_commit(txc), HS_STATE_OK);
}

/* Drain an iterator into "k=v k=v ". */
static char *drain(hs_txc_iter *it) {
    static char buf[4096];
    buf[0] = '\0';
    const uint8_t *k, *v;
    size_t kl, vl;
    while (hs_txc_iter_next(it, &k, &kl, &v, &vl) == HS_STATE_OK) {
        strncat(buf, (const char *)k, kl);
        strcat(buf, "=");
        strncat(buf, (const char *)v, vl);
        strcat(buf, " ");
    }
    return buf;
}
static hs_txc_iter *open_it(const char *s, const char *e, hs_order o) {
    hs_txc_iter *it;
    cr_assert_eq(hs_txc_iter_open(txc, s, s ? strlen(s) : 0, e, e ? strlen(e) : 0, o, &it),
                 HS_STATE_OK);
    return it;
}
static char *scan(const char *s, const char *e, hs_order o) {
    hs_txc_iter *it = open_it(s, e, o);
    char *r = drain(it);
    hs_txc_iter_close(it);
    return r;
}

Test(tx_cache, writes_need_a_layer) {
    cr_assert_eq(hs_txc_set(txc, "k", 1, "v", 1), HS_STATE_INVALID);
    cr_assert_eq(hs_txc_delete(txc, "k", 1), HS_STATE_INVALID);
    cr_assert_eq(hs_txc_commit(txc), HS_STATE_INVALID);
    hs_txc_discard(txc); /* no-op */
    cr_assert_eq(hs_txc_depth(txc), 0);
}

Test(tx_cache, reads_fall_through_and_commit_reaches_backing) {
    cr_assert_eq(hs_kv_set(backing, "a", 1, "base", 4), HS_STATE_OK);
    begin();
    cr_assert_str_eq(get("a"), "base");
    set("a", "tx");
    set("b", "new");
    cr_assert_str_eq(get("a"), "tx");
    cr_assert_eq(hs_txc_pending(txc), 2);
    const uint8_t *v;
    cr_assert_eq(hs_kv_get(backing, "a", 1, &v, NULL), HS_STATE_OK);
    cr_assert_eq(memcmp(v, "base", 4), 0, "backing untouched before commit");
    commit();
    cr_assert_eq(hs_txc_depth(txc), 0);
    cr_assert_str_eq(get("a"), "tx");
    cr_assert_eq(hs_kv_count(backing), 2);
}

Test(tx_cache, discard_rolls_back_everything) {
    cr_assert_eq(hs_kv_set(backing, "a", 1, "base", 4), HS_STATE_OK);
    begin();
    set("a", "x");
    del("a");
    set("c", "y");
    hs_txc_discard(txc);
    cr_assert_str_eq(get("a"), "base");
    cr_assert_null(get("c"));
    cr_assert_eq(hs_kv_count(backing), 1);
}

Test(tx_cache, tombstone_hides_lower_value) {
    cr_assert_eq(hs_kv_set(backing, "a", 1, "base", 4), HS_STATE_OK);
    begin();
    del("a");
    cr_assert_null(get("a"));
    begin();
    cr_assert_null(get("a"));
    set("a", "again");
    cr_assert_str_eq(get("a"), "again");
    hs_txc_discard(txc);
    cr_assert_null(get("a"));
    commit();
    cr_assert_eq(hs_kv_count(backing), 0);
}

Test(tx_cache, nested_commit_merges_into_parent_only) {
    begin();
    set("tx", "1");
    begin(); /* submessage */
    set("sub", "2");
    commit();
    cr_assert_eq(hs_txc_depth(txc), 1);
    cr_assert_str_eq(get("sub"), "2");
    cr_assert_eq(hs_kv_count(backing), 0);
    begin(); /* failing submessage */
    set("tx", "overwritten");
    del("sub");
    hs_txc_discard(txc);
    cr_assert_str_eq(get("tx"), "1");
    cr_assert_str_eq(get("sub"), "2");
    commit();
    cr_assert_eq(hs_kv_count(backing), 2);
}

Test(tx_cache, iteration_merges_layers_and_hides_deletes) {
    cr_assert_eq(hs_kv_set(backing, "a", 1, "0", 1), HS_STATE_OK);
    cr_assert_eq(hs_kv_set(backing, "b", 1, "0", 1), HS_STATE_OK);
    cr_assert_eq(hs_kv_set(backing, "d", 1, "0", 1), HS_STATE_OK);
    begin();
    set("b", "1");
    del("d");
    set("e", "1");
    begin();
    set("c", "2");
    del("a");
    set("e", "2");
    cr_assert_str_eq(scan(NULL, NULL, HS_ASCENDING), "b=1 c=2 e=2 ");
    cr_assert_str_eq(scan(NULL, NULL, HS_DESCENDING), "e=2 c=2 b=1 ");
    cr_assert_str_eq(scan("b", "e", HS_ASCENDING), "b=1 c=2 ");
    cr_assert_str_eq(scan("b", "e", HS_DESCENDING), "c=2 b=1 ");
    cr_assert_str_eq(scan("a", "b", HS_DESCENDING), "");
    cr_assert_str_eq(scan("c", "c", HS_ASCENDING), "");
}

Test(tx_cache, iterator_is_snapshot_under_writes) {
    begin();
    set("a", "1");
    set("b", "1");
    set("c", "1");
    hs_txc_iter *it = open_it(NULL, NULL, HS_ASCENDING);
    const uint8_t *k, *v;
    size_t kl, vl;
    cr_assert_eq(hs_txc_iter_next(it, &k, &kl, &v, &vl), HS_STATE_OK);
    cr_assert_eq(k[0], 'a');
    set("a", "2");    /* behind the cursor: no copy needed */
    set("bb", "new"); /* ahead: the iterator must not see it */
    del("c");         /* ahead: the iterator still yields c */
    set("b", "changed");
    cr_assert_str_eq(drain(it), "b=1 c=1 ");
    hs_txc_iter_close(it);
    cr_assert_str_eq(scan(NULL, NULL, HS_ASCENDING), "a=2 b=changed bb=new ");
}

Test(tx_cache, iterator_survives_commit_and_discard) {
    cr_assert_eq(hs_kv_set(backing, "a", 1, "0", 1), HS_STATE_OK);
    begin();
    set("b", "1");
    begin();
    set("c", "2");
    hs_txc_iter *inner = open_it(NULL, NULL, HS_DESCENDING);
    hs_txc_discard(txc); /* the layer the iterator read is gone */
    hs_txc_iter *outer = open_it(NULL, NULL, HS_ASCENDING);
    commit(); /* backing changes under `outer` */
    begin();
    set("z", "9");
    cr_assert_str_eq(drain(inner), "c=2 b=1 a=0 ");
    cr_assert_str_eq(drain(outer), "a=0 b=1 ");
    cr_assert_eq(hs_txc_iter_count(txc), 2);
    hs_txc_iter_close(inner);
    hs_txc_iter_close(outer);
    cr_assert_eq(hs_txc_iter_count(txc), 0);
}

Test(tx_cache, iterator_end_is_sticky) {
    begin();
    set("a", "1");
    hs_txc_iter *it = open_it(NULL, NULL, HS_ASCENDING);
    cr_assert_str_eq(drain(it), "a=1 ");
    set("b", "2");
    const uint8_t *k, *v;
    size_t kl, vl;
    cr_assert_eq(hs_txc_iter_next(it, &k, &kl, &v, &vl), HS_STATE_NOT_FOUND);
    hs_txc_iter_close(it);
}

Test(tx_cache, free_closes_open_iterators) {
    begin();
    set("a", "1");
    hs_txc_iter *it = open_it(NULL, NULL, HS_ASCENDING);
    (void)it; /* freed by teardown's hs_txc_free (checked by ASan) */
}

typedef struct {
    int calls;
    size_t n;
    char keys[64];
    hs_state_result result;
} hook_log;

static hs_state_result hook(void *ctx, const hs_txc_change *ch, size_t n) {
    hook_log *log = ctx;
    log->calls++;
    log->n = n;
    log->keys[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(log->keys, (const char *)ch[i].key, ch[i].klen);
        strcat(log->keys, ch[i].deleted ? "- " : "+ ");
    }
    return log->result;
}

Test(tx_cache, commit_hook_gets_sorted_changes_once_per_tx) {
    hook_log log = {0};
    hs_txc_set_commit_hook(txc, hook, &log);
    cr_assert_eq(hs_kv_set(backing, "a", 1, "0", 1), HS_STATE_OK);
    begin();
    set("c", "1");
    del("a");
    begin();
    set("b", "2");
    commit();
    cr_assert_eq(log.calls, 0, "no hook for a submessage commit");
    commit();
    cr_assert_eq(log.calls, 1);
    cr_assert_str_eq(log.keys, "a- b+ c+ ");
    begin();
    commit(); /* empty transaction: nothing to persist */
    cr_assert_eq(log.calls, 1);
}

Test(tx_cache, failed_hook_leaves_backing_untouched) {
    hook_log log = {.result = HS_STATE_IO};
    hs_txc_set_commit_hook(txc, hook, &log);
    begin();
    set("k", "v");
    cr_assert_eq(hs_txc_commit(txc), HS_STATE_IO);
    cr_assert_eq(hs_txc_depth(txc), 1, "layer stays open");
    cr_assert_eq(hs_kv_count(backing), 0);
    hs_txc_discard(txc);
    cr_assert_null(get("k"));
}

Test(tx_cache, contract_store_key_layout) {
    uint8_t addr[32], out[64];
    for (int i = 0; i < 32; i++) addr[i] = (uint8_t)i;
    size_t n = hs_key_contract_store(out, sizeof out, addr, "bal", 3);
    cr_assert_eq(n, 36);
    cr_assert_eq(out[0], 0x03);
    cr_assert_eq(memcmp(out + 1, addr, 32), 0);
    cr_assert_eq(memcmp(out + 33, "bal", 3), 0);
    cr_assert_eq(hs_key_contract_store(out, 35, addr, "bal", 3), 0, "too small a buffer");
}

/* --- Random run against a stack-of-maps reference ----------------------------------------- */

#define MAXK 128
typedef struct {
    uint8_t k[3];
    uint8_t kl;
    uint32_t v;
} ent;
typedef struct {
    ent e[MAXK];
    size_t n;
} map;
static map models[8]; /* models[0] = backing, models[d] = view at depth d */

static int ent_cmp(const ent *a, const uint8_t *k, size_t kl) {
    return hs_key_cmp(a->k, a->kl, k, kl);
}
static size_t m_find(const map *m, const uint8_t *k, size_t kl, bool *found) {
    size_t i = 0;
    while (i < m->n && ent_cmp(&m->e[i], k, kl) < 0) i++;
    *found = i < m->n && ent_cmp(&m->e[i], k, kl) == 0;
    return i;
}
static void m_set(map *m, const uint8_t *k, size_t kl, uint32_t v) {
    bool f;
    size_t i = m_find(m, k, kl, &f);
    if (!f) {
        memmove(&m->e[i + 1], &m->e[i], (m->n - i) * sizeof(ent));
        m->n++;
        memcpy(m->e[i].k, k, kl);
        m->e[i].kl = (uint8_t)kl;
    }
    m->e[i].v = v;
}
static void m_del(map *m, const uint8_t *k, size_t kl) {
    bool f;
    size_t i = m_find(m, k, kl, &f);
    if (!f) return;
    memmove(&m->e[i], &m->e[i + 1], (m->n - i - 1) * sizeof(ent));
    m->n--;
}

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)(rs % n);
}
static void rkey(uint8_t *k, size_t *kl) {
    static const uint8_t al[] = {0x00, 'a', 'b', 0xff};
    *kl = 1 + rnd(3); /* 4 + 16 + 64 = 84 keys */
    for (size_t i = 0; i < *kl; i++) k[i] = al[rnd(4)];
}

typedef struct {
    hs_txc_iter *it;
    ent want[MAXK];
    size_t n, pos;
} open_iter;

Test(tx_cache, random_nested_ops_match_reference) {
    open_iter its[4] = {0};
    size_t depth = 0;
    memset(models, 0, sizeof models);
    for (int step = 0; step < 60000; step++) {
        uint32_t op = rnd(100);
        uint8_t k[3];
        size_t kl;
        rkey(k, &kl);
        map *view = &models[depth];
        if (op < 8) { /* begin */
            if (depth < 6) {
                begin();
                models[depth + 1] = models[depth];
                depth++;
            }
        } else if (op < 14) { /* commit */
            if (depth) {
                commit();
                models[depth - 1] = models[depth];
                depth--;
            }
        } else if (op < 18) { /* discard */
            if (depth) {
                hs_txc_discard(txc);
                depth--;
            }
        } else if (op < 45) { /* set */
            uint32_t v = (uint32_t)step;
            hs_state_result r = hs_txc_set(txc, k, kl, &v, sizeof v);
            if (!depth) {
                cr_assert_eq(r, HS_STATE_INVALID);
            } else {
                cr_assert_eq(r, HS_STATE_OK);
                m_set(view, k, kl, v);
            }
        } else if (op < 58) { /* delete */
            hs_state_result r = hs_txc_delete(txc, k, kl);
            cr_assert_eq(r, depth ? HS_STATE_OK : HS_STATE_INVALID);
            if (depth) m_del(view, k, kl);
        } else if (op < 78) { /* get */
            bool f;
            size_t i = m_find(view, k, kl, &f);
            const uint8_t *v;
            size_t vl;
            hs_state_result r = hs_txc_get(txc, k, kl, &v, &vl);
            cr_assert_eq(r, f ? HS_STATE_OK : HS_STATE_NOT_FOUND, "step %d", step);
            if (f) {
                cr_assert_eq(vl, 4);
                cr_assert_eq(memcmp(v, &view->e[i].v, 4), 0, "step %d", step);
            }
        } else if (op < 84) { /* open an iterator with random bounds and order */
            size_t slot = rnd(4);
            if (its[slot].it) continue;
            uint8_t e[3];
            size_t el;
            rkey(e, &el);
            bool has_s = rnd(4) != 0, has_e = rnd(4) != 0;
            hs_order order = rnd(2) ? HS_ASCENDING : HS_DESCENDING;
            cr_assert_eq(hs_txc_iter_open(txc, has_s ? k : NULL, kl, has_e ? e : NULL, el, order,
                                          &its[slot].it),
                         HS_STATE_OK);
            open_iter *oi = &its[slot];
            oi->n = oi->pos = 0;
            for (size_t i = 0; i < view->n; i++) {
                size_t idx = order == HS_ASCENDING ? i : view->n - 1 - i;
                const ent *x = &view->e[idx];
                if (has_s && ent_cmp(x, k, kl) < 0) continue;
                if (has_e && ent_cmp(x, e, el) >= 0) continue;
                oi->want[oi->n++] = *x;
            }
        } else if (op < 97) { /* step an open iterator */
            open_iter *oi = &its[rnd(4)];
            if (!oi->it) continue;
            const uint8_t *ik, *iv;
            size_t ikl, ivl;
            hs_state_result r = hs_txc_iter_next(oi->it, &ik, &ikl, &iv, &ivl);
            if (oi->pos == oi->n) {
                cr_assert_eq(r, HS_STATE_NOT_FOUND, "step %d", step);
            } else {
                const ent *w = &oi->want[oi->pos++];
                cr_assert_eq(r, HS_STATE_OK, "step %d", step);
                cr_assert_eq(hs_key_cmp(ik, ikl, w->k, w->kl), 0, "step %d", step);
                cr_assert_eq(ivl, 4);
                cr_assert_eq(memcmp(iv, &w->v, 4), 0, "step %d", step);
            }
        } else { /* close */
            open_iter *oi = &its[rnd(4)];
            hs_txc_iter_close(oi->it);
            oi->it = NULL;
        }
        cr_assert_eq(hs_txc_depth(txc), depth);
        if (step % 1000 == 0) { /* the backing store equals the committed model */
            cr_assert_eq(hs_kv_count(backing), models[0].n, "step %d", step);
            hs_kv_iter kit;
            hs_kv_iter_init(&kit, backing, NULL, 0, NULL, 0, HS_ASCENDING);
            const uint8_t *bk, *bv;
            size_t bkl, bvl;
            for (size_t i = 0; hs_kv_iter_next(&kit, &bk, &bkl, &bv, &bvl); i++) {
                cr_assert_eq(hs_key_cmp(bk, bkl, models[0].e[i].k, models[0].e[i].kl), 0);
                cr_assert_eq(memcmp(bv, &models[0].e[i].v, 4), 0);
            }
        }
    }
}

/* test_kv_store.c — Criterion tests of host-sim's ordered in-memory map (kv_store): point
 * operations, byte ordering, bounded iteration in both orders, and a random run against a
 * sorted-array reference. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv_store.h"

static hs_kv *kv;
static void setup(void) {
    kv = hs_kv_new();
    cr_assert_not_null(kv);
}
static void teardown(void) {
    hs_kv_free(kv);
}
TestSuite(kv_store, .init = setup, .fini = teardown);

static void put(const char *k, const char *v) {
    cr_assert_eq(hs_kv_set(kv, k, strlen(k), v, strlen(v)), HS_STATE_OK);
}

static char *collect(const char *start, const char *end, hs_order order) {
    static char buf[4096];
    buf[0] = '\0';
    hs_kv_iter it;
    hs_kv_iter_init(&it, kv, start, start ? strlen(start) : 0, end, end ? strlen(end) : 0, order);
    const uint8_t *k, *v;
    size_t kl, vl;
    while (hs_kv_iter_next(&it, &k, &kl, &v, &vl)) {
        strncat(buf, (const char *)k, kl);
        strcat(buf, "=");
        strncat(buf, (const char *)v, vl);
        strcat(buf, " ");
    }
    return buf;
}

Test(kv_store, get_missing_is_not_found) {
    cr_assert_eq(hs_kv_get(kv, "x", 1, NULL, NULL), HS_STATE_NOT_FOUND);
    cr_assert_eq(hs_kv_delete(kv, "x", 1), HS_STATE_NOT_FOUND);
    cr_assert_eq(hs_kv_count(kv), 0);
}

Test(kv_store, set_get_overwrite_delete) {
    put("alpha", "1");
    put("beta", "2");
    const uint8_t *v;
    size_t vl;
    cr_assert_eq(hs_kv_get(kv, "alpha", 5, &v, &vl), HS_STATE_OK);
    cr_assert_eq(vl, 1);
    cr_assert_eq(v[0], '1');
    put("alpha", "a much longer value than before");
    cr_assert_eq(hs_kv_get(kv, "alpha", 5, &v, &vl), HS_STATE_OK);
    cr_assert_eq(vl, 31);
    cr_assert_eq(memcmp(v, "a much longer value than before", 31), 0);
    cr_assert_eq(hs_kv_count(kv), 2);
    cr_assert_eq(hs_kv_delete(kv, "alpha", 5), HS_STATE_OK);
    cr_assert_eq(hs_kv_get(kv, "alpha", 5, &v, &vl), HS_STATE_NOT_FOUND);
    cr_assert_eq(hs_kv_count(kv), 1);
}

Test(kv_store, empty_value_and_empty_key_are_present) {
    cr_assert_eq(hs_kv_set(kv, "k", 1, NULL, 0), HS_STATE_OK);
    cr_assert_eq(hs_kv_set(kv, "", 0, "e", 1), HS_STATE_OK);
    size_t vl = 99;
    const uint8_t *v;
    cr_assert_eq(hs_kv_get(kv, "k", 1, &v, &vl), HS_STATE_OK);
    cr_assert_eq(vl, 0);
    cr_assert_eq(hs_kv_get(kv, "", 0, &v, &vl), HS_STATE_OK);
    cr_assert_eq(vl, 1);
    cr_assert_str_eq(collect(NULL, NULL, HS_ASCENDING), "=e k= ");
}

Test(kv_store, bytes_order_unsigned_and_prefix_first) {
    uint8_t keys[][3] = {{0xff}, {0x00}, {'a', 0x00}, {'a'}, {0x80}, {'a', 'b'}};
    size_t lens[] = {1, 1, 2, 1, 1, 2};
    for (int i = 0; i < 6; i++) cr_assert_eq(hs_kv_set(kv, keys[i], lens[i], "", 0), HS_STATE_OK);
    /* expected ascending: 00, 61, 61 00, 61 62, 80, ff */
    const uint8_t want[][3] = {{0x00}, {'a'}, {'a', 0x00}, {'a', 'b'}, {0x80}, {0xff}};
    const size_t wl[] = {1, 1, 2, 2, 1, 1};
    hs_kv_iter it;
    hs_kv_iter_init(&it, kv, NULL, 0, NULL, 0, HS_ASCENDING);
    const uint8_t *k;
    size_t kl;
    for (int i = 0; i < 6; i++) {
        cr_assert(hs_kv_iter_next(&it, &k, &kl, NULL, NULL));
        cr_assert_eq(kl, wl[i]);
        cr_assert_eq(memcmp(k, want[i], kl), 0, "position %d", i);
    }
    cr_assert_not(hs_kv_iter_next(&it, &k, &kl, NULL, NULL));
    hs_kv_iter_init(&it, kv, NULL, 0, NULL, 0, HS_DESCENDING);
    for (int i = 5; i >= 0; i--) {
        cr_assert(hs_kv_iter_next(&it, &k, &kl, NULL, NULL));
        cr_assert_eq(kl, wl[i]);
        cr_assert_eq(memcmp(k, want[i], kl), 0, "position %d", i);
    }
}

Test(kv_store, iterate_bounds_half_open_both_orders) {
    put("a", "1");
    put("b", "2");
    put("c", "3");
    put("d", "4");
    cr_assert_str_eq(collect("b", "d", HS_ASCENDING), "b=2 c=3 ");
    cr_assert_str_eq(collect("b", "d", HS_DESCENDING), "c=3 b=2 ");
    cr_assert_str_eq(collect("bb", "cc", HS_ASCENDING), "c=3 ");
    cr_assert_str_eq(collect("bb", "cc", HS_DESCENDING), "c=3 ");
    cr_assert_str_eq(collect(NULL, "c", HS_DESCENDING), "b=2 a=1 ");
    cr_assert_str_eq(collect("c", NULL, HS_ASCENDING), "c=3 d=4 ");
    cr_assert_str_eq(collect("c", NULL, HS_DESCENDING), "d=4 c=3 ");
    cr_assert_str_eq(collect("x", NULL, HS_ASCENDING), "");
    cr_assert_str_eq(collect(NULL, "a", HS_DESCENDING), "");
    cr_assert_str_eq(collect("c", "b", HS_ASCENDING), "");
}

Test(kv_store, clear_then_reuse) {
    for (int i = 0; i < 3000; i++) {
        char k[16];
        int n = snprintf(k, sizeof k, "key%05d", i);
        cr_assert_eq(hs_kv_set(kv, k, (size_t)n, k, (size_t)n), HS_STATE_OK);
    }
    cr_assert_eq(hs_kv_count(kv), 3000);
    hs_kv_clear(kv);
    cr_assert_eq(hs_kv_count(kv), 0);
    cr_assert_eq(hs_kv_get(kv, "key00001", 8, NULL, NULL), HS_STATE_NOT_FOUND);
    cr_assert_str_eq(collect(NULL, NULL, HS_ASCENDING), "");
    put("z", "9");
    cr_assert_str_eq(collect(NULL, NULL, HS_DESCENDING), "z=9 ");
}

Test(kv_store, set_parts_concatenates) {
    cr_assert_eq(hs_kv_set_parts(kv, "k", 1, "ab", 2, "cd", 2), HS_STATE_OK);
    cr_assert_str_eq(collect(NULL, NULL, HS_ASCENDING), "k=abcd ");
}

Test(kv_store, seek_and_step_navigation) {
    put("b", "");
    put("d", "");
    size_t kl;
    hs_kv_node *n = hs_kv_seek(kv, "c", 1, HS_ASCENDING);
    cr_assert_eq(*hs_kv_node_key(n, &kl), 'd');
    n = hs_kv_seek(kv, "c", 1, HS_DESCENDING);
    cr_assert_eq(*hs_kv_node_key(n, &kl), 'b');
    cr_assert_null(hs_kv_node_step(n, HS_DESCENDING));
    cr_assert_eq(*hs_kv_node_key(hs_kv_node_step(n, HS_ASCENDING), &kl), 'd');
    cr_assert_null(hs_kv_seek(kv, "b", 1, HS_DESCENDING));
    cr_assert_null(hs_kv_seek(kv, "e", 1, HS_ASCENDING));
    cr_assert_eq(*hs_kv_node_key(hs_kv_seek(kv, NULL, 0, HS_DESCENDING), &kl), 'd');
}

Test(kv_store, rejects_oversized_lengths) {
    cr_assert_eq(hs_kv_set(kv, "k", (size_t)HS_KV_MAX_LEN + 1, "", 0), HS_STATE_INVALID);
    cr_assert_eq(hs_kv_set(kv, "k", 1, "v", (size_t)HS_KV_MAX_LEN + 1), HS_STATE_INVALID);
    cr_assert_eq(hs_kv_count(kv), 0);
}

/* --- Random run against a reference -------------------------------------------------------- */

typedef struct {
    uint8_t k[4];
    size_t kl;
    uint32_t v;
} ref_entry;
static ref_entry ref[1 << 12];
static size_t nref;

static size_t ref_find(const uint8_t *k, size_t kl, bool *found) {
    size_t lo = 0, hi = nref;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = hs_key_cmp(ref[mid].k, ref[mid].kl, k, kl);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < nref && hs_key_cmp(ref[lo].k, ref[lo].kl, k, kl) == 0;
    return lo;
}

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void random_key(uint8_t *k, size_t *kl) {
    static const uint8_t alphabet[] = {0x00, 0x01, 'a', 'b', 0x7f, 0x80, 0xfe, 0xff};
    *kl = rnd(4); /* 0..3 bytes: 1 + 8 + 64 + 512 keys */
    for (size_t i = 0; i < *kl; i++) k[i] = alphabet[rnd(8)];
}

Test(kv_store, random_ops_match_reference) {
    for (int step = 0; step < 40000; step++) {
        uint8_t k[4];
        size_t kl;
        random_key(k, &kl);
        bool found;
        size_t pos = ref_find(k, kl, &found);
        uint32_t op = rnd(10);
        if (op < 5) { /* set */
            uint32_t v = (uint32_t)step;
            cr_assert_eq(hs_kv_set(kv, k, kl, &v, sizeof v), HS_STATE_OK);
            if (!found) {
                memmove(&ref[pos + 1], &ref[pos], (nref - pos) * sizeof *ref);
                nref++;
                memcpy(ref[pos].k, k, kl);
                ref[pos].kl = kl;
            }
            ref[pos].v = v;
        } else if (op < 7) { /* delete */
            cr_assert_eq(hs_kv_delete(kv, k, kl), found ? HS_STATE_OK : HS_STATE_NOT_FOUND);
            if (found) {
                memmove(&ref[pos], &ref[pos + 1], (nref - pos - 1) * sizeof *ref);
                nref--;
            }
        } else if (op < 9) { /* get */
            const uint8_t *v;
            size_t vl;
            hs_state_result r = hs_kv_get(kv, k, kl, &v, &vl);
            cr_assert_eq(r, found ? HS_STATE_OK : HS_STATE_NOT_FOUND, "step %d", step);
            if (found) cr_assert_eq(memcmp(v, &ref[pos].v, 4), 0, "step %d", step);
        } else { /* bounded scan in a random order */
            uint8_t e[4];
            size_t el;
            random_key(e, &el);
            hs_order order = rnd(2) ? HS_ASCENDING : HS_DESCENDING;
            bool b1, b2;
            size_t lo = ref_find(k, kl, &b1), hi = ref_find(e, el, &b2);
            hs_kv_iter it;
            hs_kv_iter_init(&it, kv, k, kl, e, el, order);
            const uint8_t *ik, *iv;
            size_t ikl, ivl;
            if (lo < hi) {
                for (size_t i = 0; i < hi - lo; i++) {
                    size_t idx = order == HS_ASCENDING ? lo + i : hi - 1 - i;
                    cr_assert(hs_kv_iter_next(&it, &ik, &ikl, &iv, &ivl), "step %d", step);
                    cr_assert_eq(hs_key_cmp(ik, ikl, ref[idx].k, ref[idx].kl), 0, "step %d", step);
                    cr_assert_eq(memcmp(iv, &ref[idx].v, 4), 0);
                }
            }
            cr_assert_not(hs_kv_iter_next(&it, &ik, &ikl, &iv, &ivl), "step %d", step);
        }
        cr_assert_eq(hs_kv_count(kv), nref);
    }
}

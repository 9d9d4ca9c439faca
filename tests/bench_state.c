/* bench_state.c — micro-benchmark of host-sim's chain-state layer: kv_store get/set/iterate,
 * a CW20-transfer-shaped transaction through tx_cache, and SQLite commit latency and load time.
 * Run with `make bench-state`; prints one table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_sqlite.h"

#define NKEYS 100000
#define KEYLEN 1 + 32 + 9 + 20 /* 0x03 ‖ contract ‖ "balances/" ‖ account */

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rs = 0x123456789abcdefull;
static uint64_t rnd(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

static uint8_t keys[NKEYS][KEYLEN];
static uint32_t order[NKEYS];

static void make_keys(void) {
    for (uint32_t i = 0; i < NKEYS; i++) {
        uint8_t *k = keys[i];
        k[0] = 0x03;
        memset(k + 1, 0x5a, 32);
        memcpy(k + 33, "balances/", 9);
        for (int j = 0; j < 20; j++) k[42 + j] = (uint8_t)rnd();
        order[i] = i;
    }
    for (uint32_t i = NKEYS - 1; i > 0; i--) { /* shuffled access order */
        uint32_t j = (uint32_t)(rnd() % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

#define ORD(i) (order[i] % n)
static void row(const char *what, double ns, const char *unit) {
    printf("%-52s %10.1f %s\n", what, ns, unit);
}

static void check(hs_state_result r) {
    if (r != HS_STATE_OK) {
        fprintf(stderr, "bench_state: %s\n", hs_state_strerror(r));
        exit(1);
    }
}

/* In-memory store and tx cache with n keys; labels carry the size. */
static void bench_mem(uint32_t n) {
    uint8_t val[16] = {0};
    size_t hits = 0;
    double t0;
    printf("-- %u keys\n", n);
    /* --- kv_store --- */
    hs_kv *kv = hs_kv_new();
    t0 = now_ns();
    for (uint32_t i = 0; i < n; i++) check(hs_kv_set(kv, keys[i], KEYLEN, val, sizeof val));
    row("kv_store set (insert, random keys)", (now_ns() - t0) / n, "ns/op");
    t0 = now_ns();
    for (uint32_t i = 0; i < n; i++) check(hs_kv_set(kv, keys[ORD(i)], KEYLEN, val, sizeof val));
    row("kv_store set (overwrite)", (now_ns() - t0) / n, "ns/op");
    t0 = now_ns();
    for (int rep = 0; rep < 5; rep++)
        for (uint32_t i = 0; i < n; i++)
            hits += hs_kv_get(kv, keys[ORD(i)], KEYLEN, NULL, NULL) == HS_STATE_OK;
    row("kv_store get (hit, shuffled)", (now_ns() - t0) / (5.0 * n), "ns/op");
    t0 = now_ns();
    for (uint32_t i = 0; i < n; i++) {
        uint8_t miss[KEYLEN];
        memcpy(miss, keys[ORD(i)], KEYLEN);
        miss[KEYLEN - 1] ^= 0x55;
        hits += hs_kv_get(kv, miss, KEYLEN, NULL, NULL) == HS_STATE_OK;
    }
    row("kv_store get (miss)", (now_ns() - t0) / n, "ns/op");
    for (int o = 0; o < 2; o++) {
        hs_kv_iter it;
        t0 = now_ns();
        hs_kv_iter_init(&it, kv, NULL, 0, NULL, 0, o ? HS_DESCENDING : HS_ASCENDING);
        size_t n = 0;
        while (hs_kv_iter_next(&it, NULL, NULL, NULL, NULL)) n++;
        row(o ? "kv_store iterate descending" : "kv_store iterate ascending", (now_ns() - t0) / n,
            "ns/entry");
    }
    t0 = now_ns();
    for (uint32_t i = 0; i < 1000; i++) {
        hs_kv_iter it;
        hs_kv_iter_init(&it, kv, keys[ORD(i)], KEYLEN, NULL, 0, HS_ASCENDING);
        for (int j = 0; j < 10 && hs_kv_iter_next(&it, NULL, NULL, NULL, NULL); j++) {
        }
    }
    row("kv_store seek + 10 entries (a paginated query)", (now_ns() - t0) / 1000, "ns/op");

    /* --- tx_cache over the 100k-key store --- */
    hs_txc *txc = hs_txc_new(kv);
    const int NTX = 200000;
    t0 = now_ns();
    for (int i = 0; i < NTX; i++) {
        const uint8_t *a = keys[ORD((2 * i) % n)], *b = keys[ORD((2 * i + 1) % n)];
        check(hs_txc_begin(txc));
        for (int r = 0; r < 5; r++) hs_txc_get(txc, r & 1 ? b : a, KEYLEN, NULL, NULL);
        val[0] = (uint8_t)i;
        check(hs_txc_set(txc, a, KEYLEN, val, sizeof val));
        check(hs_txc_set(txc, b, KEYLEN, val, sizeof val));
        check(hs_txc_commit(txc));
    }
    row("tx: begin, 5 get, 2 set, commit (CW20 transfer shape)", (now_ns() - t0) / NTX, "ns/tx");
    t0 = now_ns();
    for (int i = 0; i < NTX; i++) {
        const uint8_t *a = keys[ORD((2 * i) % n)], *b = keys[ORD((2 * i + 1) % n)];
        check(hs_txc_begin(txc));
        check(hs_txc_set(txc, a, KEYLEN, val, sizeof val));
        check(hs_txc_begin(txc)); /* submessage */
        for (int r = 0; r < 5; r++) hs_txc_get(txc, r & 1 ? b : a, KEYLEN, NULL, NULL);
        check(hs_txc_set(txc, b, KEYLEN, val, sizeof val));
        check(hs_txc_commit(txc));
        check(hs_txc_commit(txc));
    }
    row("tx with one submessage layer (5 get, 2 set)", (now_ns() - t0) / NTX, "ns/tx");
    check(hs_txc_begin(txc));
    for (int i = 0; i < 100; i++) check(hs_txc_set(txc, keys[ORD(i)], KEYLEN, val, 4));
    check(hs_txc_begin(txc));
    for (int i = 100; i < 200; i++) check(hs_txc_delete(txc, keys[ORD(i)], KEYLEN));
    for (int o = 0; o < 2; o++) {
        hs_txc_iter *it;
        t0 = now_ns();
        check(hs_txc_iter_open(txc, NULL, 0, NULL, 0, o ? HS_DESCENDING : HS_ASCENDING, &it));
        const uint8_t *k, *v;
        size_t kl, vl, n = 0;
        while (hs_txc_iter_next(it, &k, &kl, &v, &vl) == HS_STATE_OK) n++;
        hs_txc_iter_close(it);
        row(o ? "tx_cache iterate, 2 layers + store, descending"
              : "tx_cache iterate, 2 layers + store, ascending",
            (now_ns() - t0) / n, "ns/entry");
    }
    hs_txc_discard(txc);
    hs_txc_discard(txc);
    hs_txc_free(txc);
    hs_kv_free(kv);

    if (!hits) exit(1); /* keep the lookups observable */
}

int main(void) {
    make_keys();
    uint8_t val[16] = {0};
    printf("%-52s %10s\n", "operation (62-byte keys, 16-byte values)", "time");

    bench_mem(1000);
    bench_mem(NKEYS);

    /* --- SQLite --- */
    double t0;
    char dir[] = "/tmp/hs_bench_state_XXXXXX";
    if (!mkdtemp(dir)) return 1;
    for (int mode = 0; mode < 2; mode++) {
        hs_kv *m = hs_kv_new();
        hs_txc *t = hs_txc_new(m);
        hs_sqlite *db;
        char err[512];
        char sub[64];
        snprintf(sub, sizeof sub, "%s/%d", dir, mode);
        check(hs_sqlite_open(sub, mode ? HS_SQLITE_SYNC_FULL : HS_SQLITE_SYNC_NORMAL, m, &db, err,
                             sizeof err));
        hs_txc_set_commit_hook(t, hs_sqlite_commit, db);
        check(hs_txc_begin(t)); /* seed 100k keys in one transaction */
        for (uint32_t i = 0; i < NKEYS; i++) check(hs_txc_set(t, keys[i], KEYLEN, val, 16));
        t0 = now_ns();
        check(hs_txc_commit(t));
        if (mode == 0) row("sqlite commit of 100k new keys (one tx)", (now_ns() - t0) / 1e6, "ms");
        int ntx = mode ? 200 : 5000;
        t0 = now_ns();
        for (int i = 0; i < ntx; i++) {
            check(hs_txc_begin(t));
            val[1] = (uint8_t)i;
            check(hs_txc_set(t, keys[order[(2 * i) % NKEYS]], KEYLEN, val, 16));
            check(hs_txc_set(t, keys[order[(2 * i + 1) % NKEYS]], KEYLEN, val, 16));
            check(hs_txc_commit(t));
        }
        row(mode ? "sqlite tx commit, 2 keys, synchronous=FULL"
                 : "sqlite tx commit, 2 keys, synchronous=NORMAL",
            (now_ns() - t0) / ntx / 1000, "us/tx");
        hs_txc_free(t);
        hs_sqlite_close(db);
        hs_kv_free(m);
        if (mode == 0) {
            m = hs_kv_new();
            t0 = now_ns();
            check(hs_sqlite_open(sub, HS_SQLITE_SYNC_NORMAL, m, &db, err, sizeof err));
            row("sqlite open + load 100k keys", (now_ns() - t0) / 1e6, "ms");
            hs_sqlite_close(db);
            hs_kv_free(m);
        }
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 1;
    return 0;
}

/* test_store_sqlite.c — Criterion tests of host-sim's SQLite persistence: persist, reopen and
 * continue; refusal of foreign, damaged, newer or locked databases; and crash safety — a child
 * committing transactions is SIGKILLed at random moments and the reopened state must be exactly
 * the state after some prefix of its transactions, including every one it reported committed. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store_sqlite.h"

static char dir[256];
static char err[512];

static void setup(void) {
    strcpy(dir, "/tmp/hs_sqlite_test_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    err[0] = '\0';
}
static void teardown(void) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
TestSuite(store_sqlite, .init = setup, .fini = teardown);

/* An open chain state: memory store, tx context, database. */
typedef struct {
    hs_kv *kv;
    hs_txc *txc;
    hs_sqlite *db;
} chain;

static hs_state_result chain_open(chain *c, const char *path) {
    c->kv = hs_kv_new();
    c->txc = hs_txc_new(c->kv);
    if (!c->kv || !c->txc) return HS_STATE_NOMEM;
    hs_state_result r = hs_sqlite_open(path, HS_SQLITE_SYNC_NORMAL, c->kv, &c->db, err, sizeof err);
    if (r == HS_STATE_OK) hs_txc_set_commit_hook(c->txc, hs_sqlite_commit, c->db);
    return r;
}
static void chain_close(chain *c) {
    hs_txc_free(c->txc);
    hs_sqlite_close(c->db);
    hs_kv_free(c->kv);
    memset(c, 0, sizeof *c);
}

static void tx_set(chain *c, const char *k, const char *v) {
    cr_assert_eq(hs_txc_set(c->txc, k, strlen(k), v, strlen(v)), HS_STATE_OK);
}
static const char *get(chain *c, const char *k) {
    static char buf[256];
    const uint8_t *v;
    size_t vl;
    if (hs_txc_get(c->txc, k, strlen(k), &v, &vl) != HS_STATE_OK) return NULL;
    memcpy(buf, v, vl);
    buf[vl] = '\0';
    return buf;
}

Test(store_sqlite, fresh_directory_is_created_empty) {
    char sub[300];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    chain c;
    cr_assert_eq(chain_open(&c, sub), HS_STATE_OK, "%s", err);
    cr_assert_eq(hs_kv_count(c.kv), 0);
    chain_close(&c);
    char f[400];
    snprintf(f, sizeof f, "%s/%s", sub, HS_SQLITE_FILE);
    cr_assert_eq(access(f, F_OK), 0);
}

Test(store_sqlite, persist_reopen_continue) {
    chain c;
    cr_assert_eq(chain_open(&c, dir), HS_STATE_OK, "%s", err);
    cr_assert_eq(hs_txc_begin(c.txc), HS_STATE_OK);
    tx_set(&c, "a", "1");
    tx_set(&c, "b", "2");
    cr_assert_eq(hs_txc_begin(c.txc), HS_STATE_OK); /* submessage */
    tx_set(&c, "c", "3");
    cr_assert_eq(hs_txc_commit(c.txc), HS_STATE_OK);
    cr_assert_eq(hs_txc_commit(c.txc), HS_STATE_OK);
    cr_assert_eq(hs_txc_begin(c.txc), HS_STATE_OK); /* a failed transaction */
    tx_set(&c, "a", "lost");
    hs_txc_discard(c.txc);
    cr_assert_eq(hs_sqlite_commit_count(c.db), 1);
    chain_close(&c);

    cr_assert_eq(chain_open(&c, dir), HS_STATE_OK, "%s", err);
    cr_assert_eq(hs_kv_count(c.kv), 3);
    cr_assert_str_eq(get(&c, "a"), "1");
    cr_assert_str_eq(get(&c, "c"), "3");
    cr_assert_eq(hs_txc_begin(c.txc), HS_STATE_OK);
    cr_assert_eq(hs_txc_delete(c.txc, "b", 1), HS_STATE_OK);
    tx_set(&c, "a", "updated");
    uint8_t bin[3] = {0, 0xff, 0};
    cr_assert_eq(hs_txc_set(c.txc, bin, 3, bin, 0), HS_STATE_OK); /* binary key, empty value */
    cr_assert_eq(hs_txc_commit(c.txc), HS_STATE_OK);
    chain_close(&c);

    cr_assert_eq(chain_open(&c, dir), HS_STATE_OK, "%s", err);
    cr_assert_eq(hs_kv_count(c.kv), 3);
    cr_assert_null(get(&c, "b"));
    cr_assert_str_eq(get(&c, "a"), "updated");
    size_t vl = 9;
    cr_assert_eq(hs_txc_get(c.txc, bin, 3, NULL, &vl), HS_STATE_OK);
    cr_assert_eq(vl, 0);
    chain_close(&c);
}

Test(store_sqlite, not_a_database_is_refused) {
    char f[400];
    snprintf(f, sizeof f, "%s/%s", dir, HS_SQLITE_FILE);
    FILE *fp = fopen(f, "w");
    cr_assert_not_null(fp);
    for (int i = 0; i < 200; i++) fputs("this is not a database, just text\n", fp);
    fclose(fp);
    chain c;
    cr_assert_eq(chain_open(&c, dir), HS_STATE_CORRUPT);
    cr_assert_not_null(strstr(err, "not a SQLite database"), "%s", err);
    cr_assert_not_null(strstr(err, HS_SQLITE_FILE), "%s", err);
    chain_close(&c);
}

static void make_db(const char *sql) {
    char f[400];
    snprintf(f, sizeof f, "%s/%s", dir, HS_SQLITE_FILE);
    sqlite3 *db;
    cr_assert_eq(sqlite3_open(f, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);
}

Test(store_sqlite, foreign_sqlite_database_is_refused) {
    make_db(
        "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES(1,'x');");
    chain c;
    cr_assert_eq(chain_open(&c, dir), HS_STATE_CORRUPT);
    cr_assert_not_null(strstr(err, "not a Ballast host-sim state database (no meta table)"), "%s",
                       err);
    chain_close(&c);
}

Test(store_sqlite, newer_schema_version_is_refused) {
    chain c;
    cr_assert_eq(chain_open(&c, dir), HS_STATE_OK, "%s", err);
    chain_close(&c);
    make_db("UPDATE meta SET value='2' WHERE name='schema_version';");
    cr_assert_eq(chain_open(&c, dir), HS_STATE_VERSION);
    cr_assert_not_null(strstr(err, "schema version 2; this build reads version 1"), "%s", err);
    chain_close(&c);
}

Test(store_sqlite, second_opener_is_refused_while_locked) {
    chain a, b;
    cr_assert_eq(chain_open(&a, dir), HS_STATE_OK, "%s", err);
    cr_assert_eq(chain_open(&b, dir), HS_STATE_IO);
    cr_assert_not_null(strstr(err, "locked by another process"), "%s", err);
    chain_close(&b);
    chain_close(&a);
    cr_assert_eq(chain_open(&b, dir), HS_STATE_OK, "%s", err);
    chain_close(&b);
}

Test(store_sqlite, state_dir_that_is_a_file_is_refused) {
    char f[400];
    snprintf(f, sizeof f, "%s/file", dir);
    FILE *fp = fopen(f, "w");
    cr_assert_not_null(fp);
    fclose(fp);
    chain c;
    cr_assert_eq(chain_open(&c, f), HS_STATE_IO);
    cr_assert_not_null(strstr(err, "cannot create state directory"), "%s", err);
    chain_close(&c);
}

/* --- Crash safety ---------------------------------------------------------------------------- */

/* Transaction i (1-based) of the deterministic workload: overwrite, insert, delete, a large
 * value now and then, and the sequence number itself. */
static hs_state_result apply_tx(hs_txc *txc, uint32_t i) {
    char k[32], v[64];
    hs_state_result r;
    uint8_t seq[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
    if ((r = hs_txc_set(txc, "seq", 3, seq, 4)) != HS_STATE_OK) return r;
    int kl = snprintf(k, sizeof k, "k%03u", i % 97);
    int vl = snprintf(v, sizeof v, "value of tx %u", i);
    if ((r = hs_txc_set(txc, k, (size_t)kl, v, (size_t)vl)) != HS_STATE_OK) return r;
    kl = snprintf(k, sizeof k, "k%03u", (i * 31 + 7) % 97);
    if (i % 97 != (i * 31 + 7) % 97 && (r = hs_txc_delete(txc, k, (size_t)kl)) != HS_STATE_OK)
        return r;
    if (i % 10 == 0) {
        static uint8_t big[4000];
        memset(big, (int)(i & 0xff), sizeof big);
        if ((r = hs_txc_set(txc, "big", 3, big, sizeof big)) != HS_STATE_OK) return r;
    }
    return HS_STATE_OK;
}

static uint32_t read_seq(hs_txc *txc) {
    const uint8_t *v;
    size_t vl;
    if (hs_txc_get(txc, "seq", 3, &v, &vl) != HS_STATE_OK || vl != 4) return 0;
    return (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
}

/* Child: continue the workload from the stored sequence number, reporting each commit. */
static void child_run(int wfd) {
    chain c;
    if (chain_open(&c, dir) != HS_STATE_OK) _exit(2);
    for (uint32_t i = read_seq(c.txc) + 1; i < 1000000; i++) {
        if (hs_txc_begin(c.txc) != HS_STATE_OK || apply_tx(c.txc, i) != HS_STATE_OK ||
            hs_txc_commit(c.txc) != HS_STATE_OK)
            _exit(3);
        if (write(wfd, &i, sizeof i) != sizeof i) _exit(4);
    }
    _exit(0);
}

/* The expected state after transactions 1..n, built through the same layers in memory. */
static hs_kv *model_after(uint32_t n) {
    hs_kv *m = hs_kv_new();
    hs_txc *t = hs_txc_new(m);
    cr_assert(m && t);
    cr_assert_eq(hs_txc_begin(t), HS_STATE_OK);
    for (uint32_t i = 1; i <= n; i++) cr_assert_eq(apply_tx(t, i), HS_STATE_OK);
    cr_assert_eq(hs_txc_commit(t), HS_STATE_OK);
    hs_txc_free(t);
    return m;
}

static void assert_same(const hs_kv *a, const hs_kv *b, uint32_t n) {
    cr_assert_eq(hs_kv_count(a), hs_kv_count(b), "after %u txs", n);
    hs_kv_iter ia, ib;
    hs_kv_iter_init(&ia, a, NULL, 0, NULL, 0, HS_ASCENDING);
    hs_kv_iter_init(&ib, b, NULL, 0, NULL, 0, HS_ASCENDING);
    const uint8_t *ka, *va, *kb, *vb;
    size_t kal, val, kbl, vbl;
    while (hs_kv_iter_next(&ia, &ka, &kal, &va, &val)) {
        cr_assert(hs_kv_iter_next(&ib, &kb, &kbl, &vb, &vbl));
        cr_assert_eq(hs_key_cmp(ka, kal, kb, kbl), 0, "after %u txs", n);
        cr_assert_eq(val, vbl);
        cr_assert_eq(memcmp(va, vb, val), 0, "after %u txs", n);
    }
}

Test(store_sqlite, sigkill_at_random_points_keeps_a_committed_prefix, .timeout = 120) {
    uint64_t rng = 0xC0FFEEull;
    uint32_t acked_total = 0;
    for (int round = 0; round < 16; round++) {
        int fds[2];
        cr_assert_eq(pipe(fds), 0);
        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0) {
            close(fds[0]);
            child_run(fds[1]);
        }
        close(fds[1]);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        uint32_t want_acks = 1 + (uint32_t)(rng % 300); /* commits to see before the kill */
        uint32_t spin = (uint32_t)((rng >> 20) % 200000);
        uint32_t last = acked_total, got = 0, seq;
        while (got < want_acks) {
            ssize_t n = read(fds[0], &seq, sizeof seq);
            if (n < 0 && errno == EINTR) continue;
            cr_assert_eq(n, (ssize_t)sizeof seq, "child ended early (round %d)", round);
            last = seq;
            got++;
        }
        for (volatile uint32_t s = 0; s < spin; s++) {
        } /* land the kill at an arbitrary point of a later commit */
        kill(pid, SIGKILL);
        int status;
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        cr_assert(WIFSIGNALED(status), "child exited with %d", WEXITSTATUS(status));
        ssize_t n;
        while ((n = read(fds[0], &seq, sizeof seq)) == (ssize_t)sizeof seq) last = seq;
        close(fds[0]);

        chain c;
        cr_assert_eq(chain_open(&c, dir), HS_STATE_OK, "round %d: %s", round, err);
        uint32_t stored = read_seq(c.txc);
        cr_assert(stored >= last && stored <= last + 1,
                  "round %d: %u transactions stored, %u reported committed", round, stored, last);
        cr_log_info("round %d: killed after %u reported commits, %u stored", round, last, stored);
        hs_kv *m = model_after(stored);
        assert_same(c.kv, m, stored);
        hs_kv_free(m);
        chain_close(&c);
        acked_total = stored;
    }
    cr_assert_gt(acked_total, 16);
}

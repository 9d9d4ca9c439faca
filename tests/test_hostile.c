/* test_hostile.c — hostile contracts (tests/wasm/hostile_*.wat) against host-sim: each misbehaves
 * on {"boom":{}} after writing storage and receiving funds; the call must end in an error result,
 * leave balances and storage as they were, and the next transaction must work. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hostsim.h"

#define WASM_DIR "build/tests/wasm/"
/* Per-transaction gas for these tests (CosmWasm gas; ≈ 214,000 SDK gas): enough for any benign
 * call, small enough that the infinite loop ends quickly. */
#define HOSTILE_GAS_LIMIT 30000000000ull

typedef struct world {
    hs_chain *chain;
    char alice[128];
    char contract[128];
    uint64_t code;
} world;

static uint8_t *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static hs_result store_fixture(hs_chain *chain, const char *name) {
    char path[256];
    snprintf(path, sizeof path, WASM_DIR "%s.wasm", name);
    size_t len;
    uint8_t *wasm = slurp(path, &len);
    char sender[128];
    hs_address(chain, "deployer", sender, sizeof sender);
    hs_result r = hs_store_code(chain, sender, wasm, len);
    free(wasm);
    return r;
}

/* A chain with the fixture stored and instantiated, alice holding 1000uatom. */
static world setup(const char *name) {
    world w = {0};
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.tx_gas_limit = HOSTILE_GAS_LIMIT;
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &w.chain, &err), 0, "%s", err ? err : "?");
    hs_address(w.chain, "alice", w.alice, sizeof w.alice);
    hs_result r = store_fixture(w.chain, name);
    cr_assert(r.ok, "store %s: %s", name, r.error);
    w.code = r.code_id;
    hs_result_free(&r);
    r = hs_instantiate(w.chain, w.code, w.alice, "{}", NULL, 0, name, NULL);
    cr_assert(r.ok, "instantiate %s: %s", name, r.error);
    snprintf(w.contract, sizeof w.contract, "%s", r.address);
    hs_result_free(&r);
    hs_coin coins[] = {{"uatom", "1000"}};
    cr_assert_eq(hs_mint(w.chain, w.alice, coins, 1, &err), 0, "%s", err ? err : "?");
    return w;
}

static void assert_balance(world *w, const char *who, const char *want) {
    char out[64];
    cr_assert_eq(hs_balance(w->chain, who, "uatom", out, sizeof out), 0);
    cr_assert_str_eq(out, want, "balance of %s: %s, want %s", who, out, want);
}

/* The contract's query answers "null" until a committed execute wrote its key. */
static void assert_storage_untouched(world *w) {
    hs_result r = hs_query(w->chain, w->contract, "{}");
    cr_assert(r.ok, "query: %s", r.error);
    cr_assert_str_eq(r.answer, "null", "storage was written: %s", r.answer);
    hs_result_free(&r);
}

/* Run {"boom":…} with 100uatom: it must fail with `want` in the error, and change nothing; then
 * a benign execute with funds must work. */
static void expect_contained(world *w, const char *msg, const char *want) {
    hs_coin funds[] = {{"uatom", "100"}};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hs_result r = hs_execute(w->chain, w->contract, w->alice, msg, funds, 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_assert(!r.ok, "%s succeeded", msg);
    cr_assert(r.error && strstr(r.error, want), "%s: error \"%s\" lacks \"%s\"", msg,
              r.error ? r.error : "(null)", want);
    cr_assert_leq(r.gas_used, HOSTILE_GAS_LIMIT, "gas_used %llu above the limit",
                  (unsigned long long)r.gas_used);
    cr_assert_lt(secs, 20.0, "%s took %.1f s", msg, secs);
    hs_result_free(&r);
    assert_balance(w, w->alice, "1000");
    assert_balance(w, w->contract, "0");
    assert_storage_untouched(w);

    r = hs_execute(w->chain, w->contract, w->alice, "{\"ok\":{}}", funds, 1);
    cr_assert(r.ok, "benign execute after %s: %s", msg, r.error);
    cr_assert_gt(r.gas_used, 0);
    hs_result_free(&r);
    assert_balance(w, w->alice, "900");
    assert_balance(w, w->contract, "100");
    assert_storage_untouched(w);

    /* And it fails the same way again (fresh instance per call). */
    r = hs_execute(w->chain, w->contract, w->alice, msg, funds, 1);
    cr_assert(!r.ok && strstr(r.error, want), "second %s: %s", msg, r.ok ? "ok" : r.error);
    hs_result_free(&r);
    assert_balance(w, w->alice, "900");
}

Test(hostile, infinite_loop_runs_out_of_gas, .timeout = 120) {
    world w = setup("hostile_infinite_loop");
    expect_contained(&w, "{\"boom\":{}}", "out of gas");
    hs_chain_close(w.chain);
}

Test(hostile, memory_grow_bomb_stops_at_limit, .timeout = 120) {
    world w = setup("hostile_memory_grow");
    /* "unreachable" is reached only when memory.grow was refused at ≤ 512 pages. */
    expect_contained(&w, "{\"boom\":{}}", "unreachable");
    hs_chain_close(w.chain);
}

Test(hostile, unbounded_recursion_traps, .timeout = 120) {
    world w = setup("hostile_recursion");
    expect_contained(&w, "{\"boom\":{}}", "call stack exhausted");
    hs_chain_close(w.chain);
}

Test(hostile, out_of_bounds_load_traps, .timeout = 120) {
    world w = setup("hostile_oob_load");
    expect_contained(&w, "{\"boom\":{}}", "out of bounds");
    hs_chain_close(w.chain);
}

Test(hostile, bad_region_offset_zero, .timeout = 120) {
    world w = setup("hostile_bad_region");
    expect_contained(&w, "{\"boom\":{\"zero\":{}}}", "zero Wasm address");
    hs_chain_close(w.chain);
}

Test(hostile, bad_region_length_over_capacity, .timeout = 120) {
    world w = setup("hostile_bad_region");
    expect_contained(&w, "{\"boom\":{\"long\":{}}}", "exceeds capacity");
    hs_chain_close(w.chain);
}

Test(hostile, bad_region_pointer_out_of_memory, .timeout = 120) {
    world w = setup("hostile_bad_region");
    expect_contained(&w, "{\"boom\":{\"out\":{}}}", "Region");
    hs_chain_close(w.chain);
}

Test(hostile, bad_region_data_out_of_memory, .timeout = 120) {
    world w = setup("hostile_bad_region");
    expect_contained(&w, "{\"boom\":{\"data\":{}}}", "Region");
    hs_chain_close(w.chain);
}

Test(hostile, huge_db_key_rejected, .timeout = 120) {
    world w = setup("hostile_huge_key");
    expect_contained(&w, "{\"boom\":{}}", "too big");
    hs_chain_close(w.chain);
}

Test(hostile, unknown_import_rejected_at_store, .timeout = 120) {
    world w = setup("hostile_oob_load");
    hs_result r = store_fixture(w.chain, "hostile_unknown_import");
    cr_assert(!r.ok, "storing a module importing env.host_exec succeeded");
    cr_assert(r.error && strstr(r.error, "host_exec"), "error: %s", r.error ? r.error : "(null)");
    hs_result_free(&r);
    /* The chain goes on: the next store gets the next code id, other contracts still work. */
    r = store_fixture(w.chain, "hostile_recursion");
    cr_assert(r.ok, "%s", r.error);
    cr_assert_eq(r.code_id, w.code + 1, "a failed store used up code id %llu",
                 (unsigned long long)w.code + 1);
    hs_result_free(&r);
    hs_coin funds[] = {{"uatom", "1"}};
    r = hs_execute(w.chain, w.contract, w.alice, "{\"ok\":{}}", funds, 1);
    cr_assert(r.ok, "%s", r.error);
    hs_result_free(&r);
    hs_chain_close(w.chain);
}

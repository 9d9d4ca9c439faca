/* test_engine.c — tests of host-sim's execution engine (host-sim/src/engine.h): exact results,
 * every kind of trap as an error with the instance still usable, memory limits, gas exhaustion,
 * stack exhaustion, fresh-instance isolation over many instances, host imports (re-entrant
 * allocate, host abort, gas charged by imports), the two tiers (cache, same results), and tier 1
 * built from parallel units (same results and gas, stitched source equal to wasm2c's).
 * Fixtures: tests/wasm/engine_*.wat, assembled into HS_TEST_WASM_DIR by tests/engine.mk. */
#define _GNU_SOURCE
#include "engine.h"
#include "gas_inject.h"
#include "w2c_units.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef HS_TEST_WASM_DIR
#define HS_TEST_WASM_DIR "build/tests/wasm"
#endif

/* cw20-base from the npm lock (tests that need it are skipped when it is not installed). */
#define CW20_PATH "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"

/* --- Helpers ------------------------------------------------------------------------------- */

static uint8_t *load_fixture(const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.wasm", HS_TEST_WASM_DIR, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "missing fixture %s (run make build/tests/wasm/...)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *buf = malloc((size_t)n);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Replace *wasm by its metered form. */
static void meter(uint8_t **wasm, size_t *len) {
    uint8_t *out;
    size_t out_len;
    char err[256];
    cr_assert_eq(hs_gas_inject(*wasm, *len, &out, &out_len, err, sizeof err), HS_GAS_OK, "%s", err);
    free(*wasm);
    *wasm = out;
    *len = out_len;
}

static hs_engine *engine_units(hs_engine_tiers tiers, const char *cache_dir, uint32_t units) {
    hs_engine_config cfg;
    hs_engine_config_default(&cfg);
    cfg.tiers = tiers;
    cfg.cache_dir = cache_dir;
    cfg.tier1_units = units;
    hs_engine *eng;
    char err[256];
    cr_assert_eq(hs_engine_new(&cfg, &eng, err, sizeof err), HS_ENGINE_OK, "%s", err);
    return eng;
}

static hs_engine *engine(hs_engine_tiers tiers, const char *cache_dir) {
    return engine_units(tiers, cache_dir, 0);
}

static hs_module *load(hs_engine *eng, const char *fixture, bool metered) {
    size_t len;
    uint8_t *wasm = load_fixture(fixture, &len);
    if (metered) meter(&wasm, &len);
    hs_module *mod;
    char err[256];
    hs_engine_result rc = hs_module_load(eng, wasm, len, &mod, err, sizeof err);
    cr_assert_eq(rc, HS_ENGINE_OK, "load %s: %s: %s", fixture, hs_engine_strerror(rc), err);
    free(wasm);
    return mod;
}

static hs_instance *instance(hs_module *mod, const hs_host_imports *imports, void *user) {
    hs_instance *inst;
    char err[256];
    hs_engine_result rc = hs_instance_new(mod, imports, user, &inst, err, sizeof err);
    cr_assert_eq(rc, HS_ENGINE_OK, "instance: %s", err);
    return inst;
}

/* Call an export and require success; returns the result. */
static uint64_t call_ok(hs_instance *inst, const char *name, uint32_t nargs, uint64_t a0,
                        uint64_t a1) {
    uint64_t args[2] = {a0, a1}, result = 0;
    hs_engine_result rc = hs_instance_call(inst, name, args, nargs, &result);
    cr_assert_eq(rc, HS_ENGINE_OK, "%s: %s: %s", name, hs_engine_strerror(rc),
                 hs_instance_error(inst));
    return result;
}

static hs_engine_result call_rc(hs_instance *inst, const char *name, uint32_t nargs, uint64_t a0) {
    uint64_t args[1] = {a0}, result = 0;
    return hs_instance_call(inst, name, args, nargs, &result);
}

/* A fresh private directory for a tier-2 cache; removed by rm_cache. */
static char *temp_cache(void) {
    char *dir = strdup("/tmp/hs-test-cache-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static void rm_cache(char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    free(dir);
}

/* --- Exact results ------------------------------------------------------------------------- */

Test(engine, call_exports_exact_results) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_basic", false);
    cr_assert_eq(hs_module_tier(mod), 1);
    cr_assert_not(hs_module_metered(mod));
    hs_instance *inst = instance(mod, NULL, NULL);
    cr_assert_eq(call_ok(inst, "add", 2, 40, 2), 42);
    cr_assert_eq(call_ok(inst, "add", 2, 0xFFFFFFFFu, 2), 1); /* i32 wraps */
    cr_assert_eq(call_ok(inst, "add64", 2, 0x100000000ull, 5), 0x100000005ull);
    cr_assert_eq(call_ok(inst, "fact", 1, 20, 0), 2432902008176640000ull);
    cr_assert_eq(call_ok(inst, "load8", 1, 1024, 0), 'b'); /* data segment */
    cr_assert_eq(call_ok(inst, "call_table", 2, 0, 21), 42);
    cr_assert_eq(call_ok(inst, "size", 0, 0, 0), 1);
    cr_assert_eq(call_ok(inst, "bump", 0, 0, 0), 1);
    cr_assert_eq(call_ok(inst, "bump", 0, 0, 0), 2); /* same instance keeps its globals */
    uint32_t size = 0;
    const uint8_t *mem = hs_instance_memory(inst, &size);
    cr_assert_eq(size, 65536);
    cr_assert_eq(memcmp(mem + 1024, "ballast", 7), 0);
    hs_instance_free(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

Test(engine, fail_missing_export_and_wrong_arity) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_basic", false);
    hs_instance *inst = instance(mod, NULL, NULL);
    cr_assert_eq(call_rc(inst, "nope", 0, 0), HS_ENGINE_ERR_NO_EXPORT);
    cr_assert_eq(call_rc(inst, "add", 1, 0), HS_ENGINE_ERR_SIGNATURE);
    cr_assert(strstr(hs_instance_error(inst), "takes 2 arguments"));
    cr_assert_eq(call_ok(inst, "add", 2, 1, 2), 3);
    hs_instance_free(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

/* --- Traps --------------------------------------------------------------------------------- */

Test(engine, every_trap_is_an_error_and_the_next_call_works) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_basic", false);
    hs_instance *inst = instance(mod, NULL, NULL);
    const struct {
        const char *name;
        uint32_t nargs;
        uint64_t arg;
        hs_engine_result expect;
    } cases[] = {
        {"trap_unreachable", 0, 0, HS_ENGINE_TRAP_UNREACHABLE},
        {"trap_div_zero", 1, 0, HS_ENGINE_TRAP_DIV_BY_ZERO},
        {"trap_overflow", 0, 0, HS_ENGINE_TRAP_INT_OVERFLOW},
        {"trap_oob", 0, 0, HS_ENGINE_TRAP_OOB},
        {"load8", 1, 65536, HS_ENGINE_TRAP_OOB},
        {"store8", 2, 0xFFFFFFFFu, HS_ENGINE_TRAP_OOB},
        {"call_table", 2, 1, HS_ENGINE_TRAP_CALL_INDIRECT},  /* null entry */
        {"call_table", 2, 99, HS_ENGINE_TRAP_CALL_INDIRECT}, /* out of range */
        {"call_table_wrong_type", 1, 0, HS_ENGINE_TRAP_CALL_INDIRECT},
        {"recurse", 1, 0, HS_ENGINE_TRAP_STACK_EXHAUSTED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t args[2] = {cases[i].arg, 0}, result;
        hs_engine_result rc = hs_instance_call(inst, cases[i].name, args, cases[i].nargs, &result);
        cr_assert_eq(rc, cases[i].expect, "%s(%llu): got %s (%s)", cases[i].name,
                     (unsigned long long)cases[i].arg, hs_engine_strerror(rc),
                     hs_instance_error(inst));
        cr_assert(hs_instance_error(inst)[0], "%s: no message", cases[i].name);
        cr_assert_eq(call_ok(inst, "add", 2, 2, 3), 5, "after %s", cases[i].name);
    }
    /* Deep but bounded recursion still works after exhaustion (the depth counter was reset). */
    cr_assert_eq(call_ok(inst, "fact", 1, 10, 0), 3628800);
    hs_instance_free(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

Test(engine, stack_exhaustion_reports_the_limit) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_basic", false);
    hs_instance *inst = instance(mod, NULL, NULL);
    cr_assert_eq(call_rc(inst, "recurse", 1, 0), HS_ENGINE_TRAP_STACK_EXHAUSTED);
    cr_assert(strstr(hs_instance_error(inst), "call stack exhausted"), "%s",
              hs_instance_error(inst));
    hs_instance_free(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

Test(engine, fail_instantiate_data_segment_out_of_bounds) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_bad_data", false);
    hs_instance *inst = NULL;
    char err[256];
    cr_assert_eq(hs_instance_new(mod, NULL, NULL, &inst, err, sizeof err), HS_ENGINE_TRAP_OOB);
    cr_assert_null(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

Test(engine, fail_load_unknown_import_or_wrong_signature) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    const char *fixtures[] = {"engine_bad_import", "engine_bad_signature"};
    for (int i = 0; i < 2; i++) {
        size_t len;
        uint8_t *wasm = load_fixture(fixtures[i], &len);
        hs_module *mod = NULL;
        char err[256];
        cr_assert_eq(hs_module_load(eng, wasm, len, &mod, err, sizeof err), HS_ENGINE_ERR_MODULE);
        cr_assert_null(mod);
        cr_assert(strstr(err, i == 0 ? "env.memcpy" : "env.db_read"), "%s", err);
        free(wasm);
    }
    hs_engine_free(eng);
}

/* --- Memory -------------------------------------------------------------------------------- */

Test(engine, memory_grow_beyond_512_pages_fails) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_basic", false);
    hs_instance *inst = instance(mod, NULL, NULL);
    cr_assert_eq(call_ok(inst, "grow", 1, 511, 0), 1); /* old size */
    cr_assert_eq(call_ok(inst, "size", 0, 0, 0), 512);
    cr_assert_eq((uint32_t)call_ok(inst, "grow", 1, 1, 0), 0xFFFFFFFFu); /* -1 */
    cr_assert_eq((uint32_t)call_ok(inst, "grow", 1, 0x10000, 0), 0xFFFFFFFFu);
    cr_assert_eq(call_ok(inst, "size", 0, 0, 0), 512);
    /* The last byte of 32 MiB is usable, the next one is not. */
    call_ok(inst, "store8", 2, 512u * 65536 - 1, 7);
    cr_assert_eq(call_ok(inst, "load8", 1, 512u * 65536 - 1, 0), 7);
    cr_assert_eq(call_rc(inst, "load8", 1, 512u * 65536), HS_ENGINE_TRAP_OOB);
    hs_instance_free(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

Test(engine, fresh_instances_10000_in_a_row_start_clean) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_basic", false);
    for (int i = 0; i < 10000; i++) {
        hs_instance *inst = instance(mod, NULL, NULL);
        /* Globals, memory contents and data segments are those of a new instance. */
        cr_assert_eq(call_ok(inst, "bump", 0, 0, 0), 1, "instance %d", i);
        uint32_t addr = (uint32_t)(i * 4099) % 65536;
        if (addr >= 1024 && addr < 1031) addr = 2000;
        cr_assert_eq(call_ok(inst, "touch", 1, addr, 0), 0, "instance %d addr %u", i, addr);
        cr_assert_eq(call_ok(inst, "load8", 1, 1024, 0), 0x58);
        if (i % 1000 == 0) call_ok(inst, "grow", 1, 3, 0); /* grown pages are zero too */
        hs_instance_free(inst);
        inst = instance(mod, NULL, NULL);
        cr_assert_eq(call_ok(inst, "load8", 1, 1024, 0), 'b', "data segment restored");
        cr_assert_eq(call_ok(inst, "size", 0, 0, 0), 1);
        hs_instance_free(inst);
    }
    hs_module_free(mod);
    hs_engine_free(eng);
}

/* --- Gas ----------------------------------------------------------------------------------- */

Test(engine, infinite_loop_runs_out_of_gas) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_basic", true);
    cr_assert(hs_module_metered(mod));
    hs_instance *inst = instance(mod, NULL, NULL);
    hs_instance_set_gas(inst, 50000000);
    cr_assert_eq(call_rc(inst, "spin", 0, 0), HS_ENGINE_TRAP_OUT_OF_GAS);
    cr_assert_eq(hs_instance_gas(inst), 0);
    cr_assert_str_eq(hs_instance_error(inst), "out of gas");
    /* A genuine `unreachable` with gas left is not out of gas. */
    hs_instance_set_gas(inst, 1000000);
    cr_assert_eq(call_rc(inst, "trap_unreachable", 0, 0), HS_ENGINE_TRAP_UNREACHABLE);
    hs_instance_set_gas(inst, 1000000);
    cr_assert_eq(call_ok(inst, "add", 2, 1, 1), 2);
    cr_assert_lt(hs_instance_gas(inst), 1000000);
    hs_instance_free(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

/* --- Host imports -------------------------------------------------------------------------- */

typedef struct host_ctx {
    int debug_calls;
    char debug_text[64];
} host_ctx;

/* db_read: allocate a region in the guest (re-entrant call) and fill it with "value". */
static uint32_t host_db_read(hs_instance *inst, uint32_t key) {
    (void)key;
    uint64_t arg = 5, region = 0;
    hs_engine_result rc = hs_instance_call(inst, "allocate", &arg, 1, &region);
    if (rc != HS_ENGINE_OK) hs_instance_trap(inst, "allocate failed: %s", hs_engine_strerror(rc));
    uint8_t r[12];
    if (!hs_instance_read(inst, (uint32_t)region, r, 12)) hs_instance_trap(inst, "bad region");
    uint32_t offset = r[0] | r[1] << 8 | r[2] << 16 | (uint32_t)r[3] << 24;
    uint8_t len[4] = {5, 0, 0, 0};
    if (!hs_instance_write(inst, offset, "value", 5) ||
        !hs_instance_write(inst, (uint32_t)region + 8, len, 4))
        hs_instance_trap(inst, "write failed");
    hs_instance_charge_gas(inst, 1000);
    return (uint32_t)region;
}

static void host_debug(hs_instance *inst, uint32_t msg) {
    host_ctx *ctx = hs_instance_user(inst);
    ctx->debug_calls++;
    uint32_t size;
    const uint8_t *mem = hs_instance_memory(inst, &size);
    snprintf(ctx->debug_text, sizeof ctx->debug_text, "%.5s", (const char *)mem + msg);
}

static void host_abort(hs_instance *inst, uint32_t msg) {
    hs_instance_trap(inst, "Aborted: code %u", msg);
}

Test(engine, host_imports_reentrant_allocate_abort_and_gas) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod = load(eng, "engine_imports", true);
    host_ctx ctx = {0};
    hs_host_imports imports = {.db_read = host_db_read, .debug = host_debug, .abort = host_abort};
    hs_instance *inst = instance(mod, &imports, &ctx);
    cr_assert_eq(hs_instance_user(inst), &ctx);
    hs_instance_set_gas(inst, 10000000);

    uint64_t region = call_ok(inst, "read", 1, 0, 0);
    uint8_t r[12];
    cr_assert(hs_instance_read(inst, (uint32_t)region, r, 12));
    uint32_t offset = r[0] | r[1] << 8 | r[2] << 16 | (uint32_t)r[3] << 24;
    cr_assert_eq(r[8], 5);
    char value[6] = {0};
    cr_assert(hs_instance_read(inst, offset, value, 5));
    cr_assert_str_eq(value, "value");

    call_ok(inst, "log", 1, offset, 0);
    cr_assert_eq(ctx.debug_calls, 1);
    cr_assert_str_eq(ctx.debug_text, "value");

    cr_assert_eq(call_rc(inst, "fail", 1, 77), HS_ENGINE_TRAP_HOST);
    cr_assert_str_eq(hs_instance_error(inst), "Aborted: code 77");

    /* An import that is not provided traps with its name. */
    cr_assert_eq(call_rc(inst, "recover", 0, 0), HS_ENGINE_TRAP_HOST);
    cr_assert_str_eq(hs_instance_error(inst), "env.secp256k1_recover_pubkey is not available");

    /* Gas charged by the import: 1000 on top of the wasm operators; too little gas traps. */
    hs_instance_set_gas(inst, 500);
    cr_assert_eq(call_rc(inst, "read", 1, 0), HS_ENGINE_TRAP_OUT_OF_GAS);
    cr_assert_eq(hs_instance_gas(inst), 0);

    cr_assert_not(hs_instance_read(inst, 65530, r, 12));
    cr_assert_not(hs_instance_write(inst, 0xFFFFFFF0u, r, 12));
    hs_instance_free(inst);
    hs_module_free(mod);
    hs_engine_free(eng);
}

/* --- Tiers --------------------------------------------------------------------------------- */

/* Results and gas of a fixed set of calls, to compare tiers. */
static void run_suite(hs_module *mod, uint64_t out[16]) {
    hs_instance *inst = instance(mod, NULL, NULL);
    int k = 0;
    hs_instance_set_gas(inst, 1u << 30);
    out[k++] = call_ok(inst, "add", 2, 40, 2);
    out[k++] = call_ok(inst, "fact", 1, 15, 0);
    out[k++] = call_ok(inst, "call_table", 2, 0, 9);
    out[k++] = call_ok(inst, "grow", 1, 2, 0);
    out[k++] = (uint64_t)call_rc(inst, "trap_div_zero", 1, 0);
    hs_instance_set_gas(inst, 1u << 30);
    out[k++] = (uint64_t)call_rc(inst, "recurse", 1, 0);
    out[k++] = hs_instance_gas(inst); /* gas at the point of stack exhaustion */
    hs_instance_set_gas(inst, 1u << 30);
    out[k++] = call_ok(inst, "fact", 1, 20, 0);
    out[k++] = hs_instance_gas(inst);
    hs_instance_set_gas(inst, 123456);
    out[k++] = (uint64_t)call_rc(inst, "spin", 0, 0);
    out[k++] = hs_instance_gas(inst);
    hs_instance_free(inst);
    while (k < 16) out[k++] = 0;
}

Test(engine, tier2_so_is_cached_and_gives_the_same_results, .timeout = 300) {
    char *cache = temp_cache();
    /* Tier 1 alone. */
    hs_engine *eng1 = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *m1 = load(eng1, "engine_basic", true);
    uint64_t r1[16];
    run_suite(m1, r1);
    hs_module_free(m1);
    hs_engine_free(eng1);

    /* Both tiers: tier 1 first, tier 2 after the background compile. */
    hs_engine *eng2 = engine(HS_TIERS_BOTH, cache);
    hs_module *m2 = load(eng2, "engine_basic", true);
    char err[256];
    cr_assert_eq(hs_module_wait_tier2(m2, err, sizeof err), HS_ENGINE_OK, "%s", err);
    cr_assert_eq(hs_module_tier(m2), 2);
    uint64_t r2[16];
    run_suite(m2, r2);
    hs_module_timings t2;
    hs_module_get_timings(m2, &t2);
    cr_assert_gt(t2.tier2, 0.0);
    hs_module_free(m2);
    hs_engine_free(eng2);
    for (int i = 0; i < 16; i++)
        cr_assert_eq(r1[i], r2[i], "result %d: tier 1 %llu, tier 2 %llu", i,
                     (unsigned long long)r1[i], (unsigned long long)r2[i]);

    /* A second load (new engine) takes the .so from the cache: no translation, tier 2 at once. */
    hs_engine *eng3 = engine(HS_TIERS_BOTH, cache);
    hs_module *m3 = load(eng3, "engine_basic", true);
    cr_assert_eq(hs_module_tier(m3), 2);
    hs_module_timings t3;
    hs_module_get_timings(m3, &t3);
    cr_assert_eq(t3.translate, 0.0);
    cr_assert_eq(t3.tier1, 0.0);
    uint64_t r3[16];
    run_suite(m3, r3);
    for (int i = 0; i < 16; i++) cr_assert_eq(r1[i], r3[i], "result %d (cached .so)", i);
    hs_module_free(m3);
    hs_engine_free(eng3);
    rm_cache(cache);
}

/* Number of entries in a directory besides . and .. */
static int dir_entries(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    int n = -1;
    cr_assert_eq(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

Test(engine, tcc_cached_never_compiles_tier2_but_uses_a_cached_one, .timeout = 300) {
    char *cache = temp_cache();
    char err[256];
    /* Empty cache: tier 1, no tier 2 coming, nothing written to the cache. */
    hs_engine *eng = engine(HS_TIERS_TCC_CACHED, cache);
    hs_module *m = load(eng, "engine_basic", true);
    cr_assert_eq(hs_module_tier(m), 1);
    cr_assert_eq(hs_module_wait_tier2(m, err, sizeof err), HS_ENGINE_ERR_BUSY);
    uint64_t r1[16];
    run_suite(m, r1);
    hs_module_free(m);
    hs_engine_free(eng);
    cr_assert_eq(dir_entries(cache), 0);
    /* Once a tier-2 object is cached (here by a gcc-only engine), it is used at once. */
    eng = engine(HS_TIERS_GCC_ONLY, cache);
    m = load(eng, "engine_basic", true);
    hs_module_free(m);
    hs_engine_free(eng);
    eng = engine(HS_TIERS_TCC_CACHED, cache);
    m = load(eng, "engine_basic", true);
    cr_assert_eq(hs_module_tier(m), 2);
    hs_module_timings t;
    hs_module_get_timings(m, &t);
    cr_assert_eq(t.translate, 0.0);
    uint64_t r2[16];
    run_suite(m, r2);
    for (int i = 0; i < 16; i++) cr_assert_eq(r1[i], r2[i], "result %d", i);
    hs_module_free(m);
    hs_engine_free(eng);
    rm_cache(cache);
}

Test(engine, same_module_loaded_twice_is_shared) {
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *a = load(eng, "engine_basic", false);
    hs_module *b = load(eng, "engine_basic", false);
    cr_assert_eq(a, b);
    hs_module_free(a);
    hs_instance *inst = instance(b, NULL, NULL); /* still alive: one reference left */
    cr_assert_eq(call_ok(inst, "add", 2, 1, 1), 2);
    hs_instance_free(inst);
    hs_module_free(b);
    hs_engine_free(eng);
}

Test(engine, cw20_base_allocate_deallocate_metered) {
    FILE *f = fopen(CW20_PATH, "rb");
    if (!f) cr_skip_test("%s not installed", CW20_PATH);
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    rewind(f);
    uint8_t *wasm = malloc(len);
    cr_assert_eq(fread(wasm, 1, len, f), len);
    fclose(f);
    meter(&wasm, &len);
    hs_engine *eng = engine(HS_TIERS_TCC_ONLY, NULL);
    hs_module *mod;
    char err[256];
    cr_assert_eq(hs_module_load(eng, wasm, len, &mod, err, sizeof err), HS_ENGINE_OK, "%s", err);
    free(wasm);
    for (int i = 0; i < 100; i++) {
        hs_instance *inst = instance(mod, NULL, NULL);
        hs_instance_set_gas(inst, 1000000000);
        uint64_t ptr = call_ok(inst, "allocate", 1, 100, 0);
        cr_assert_neq(ptr, 0);
        call_ok(inst, "deallocate", 1, ptr, 0);
        cr_assert_lt(hs_instance_gas(inst), 1000000000);
        hs_instance_free(inst);
    }
    hs_module_free(mod);
    hs_engine_free(eng);
}

/* --- Tier 1 from parallel units (w2c_units.h) ---------------------------------------------- */

Test(engine, split_tier1_gives_the_same_results_and_gas) {
    hs_engine *eng1 = engine_units(HS_TIERS_TCC_ONLY, NULL, 1);
    hs_module *m1 = load(eng1, "engine_basic", true);
    hs_module_timings t;
    hs_module_get_timings(m1, &t);
    cr_assert_eq(t.tier1_units, 1);
    uint64_t r1[16];
    run_suite(m1, r1);
    hs_module_free(m1);
    hs_engine_free(eng1);
    /* 2 and 3 units: calls, call_indirect into another unit, traps, the recursion depth limit
     * (one counter for all units) and gas at every point are those of the one-unit build. */
    for (uint32_t units = 2; units <= 3; units++) {
        hs_engine *eng = engine_units(HS_TIERS_TCC_ONLY, NULL, units);
        hs_module *m = load(eng, "engine_basic", true);
        hs_module_get_timings(m, &t);
        cr_assert_eq(t.tier1_units, units, "built from %u units, expected %u", t.tier1_units,
                     units);
        uint64_t r[16];
        run_suite(m, r);
        for (int i = 0; i < 16; i++)
            cr_assert_eq(r1[i], r[i], "%u units, result %d: %llu, one unit %llu", units, i,
                         (unsigned long long)r[i], (unsigned long long)r1[i]);
        hs_instance *inst = instance(m, NULL, NULL);
        hs_instance_set_gas(inst, 1u << 30);
        cr_assert_eq(call_rc(inst, "trap_unreachable", 0, 0), HS_ENGINE_TRAP_UNREACHABLE);
        cr_assert_eq(call_rc(inst, "call_table_wrong_type", 1, 0), HS_ENGINE_TRAP_CALL_INDIRECT);
        cr_assert_eq(call_ok(inst, "touch", 1, 1024, 0), 'b');
        hs_instance_free(inst);
        hs_module_free(m);
        hs_engine_free(eng);
    }
}

Test(engine, split_tier1_then_tier2_from_the_stitched_source, .timeout = 300) {
    hs_engine *eng1 = engine_units(HS_TIERS_TCC_ONLY, NULL, 1);
    hs_module *m1 = load(eng1, "engine_basic", true);
    uint64_t r1[16];
    run_suite(m1, r1);
    hs_module_free(m1);
    hs_engine_free(eng1);
    char *cache = temp_cache();
    hs_engine *eng = engine_units(HS_TIERS_BOTH, cache, 2);
    hs_module *m = load(eng, "engine_basic", true);
    hs_module_timings t;
    hs_module_get_timings(m, &t);
    cr_assert_eq(t.tier1_units, 2);
    uint64_t r[16];
    run_suite(m, r); /* tier 1 (or tier 2 if already swapped in) */
    char err[256];
    cr_assert_eq(hs_module_wait_tier2(m, err, sizeof err), HS_ENGINE_OK, "%s", err);
    uint64_t r2[16];
    run_suite(m, r2);
    for (int i = 0; i < 16; i++) {
        cr_assert_eq(r[i], r1[i], "result %d before tier 2", i);
        cr_assert_eq(r2[i], r1[i], "result %d on tier 2", i);
    }
    hs_module_free(m);
    hs_engine_free(eng);
    rm_cache(cache);
}

static char *slurp_text(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void write_bytes(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Translate `wasm` whole and as `units` units; the stitched units must equal the whole. */
static void check_stitch(const uint8_t *wasm, size_t len, uint32_t units) {
    hs_wasm_module m;
    char err[256];
    cr_assert_eq(hs_wasm_parse(wasm, len, &m, err, sizeof err), HS_WASM_OK, "%s", err);
    const hs_wasm_export *charge = hs_wasm_find_export(&m, HS_GAS_EXPORT_CHARGE);
    cr_assert_not_null(charge);
    hs_w2c_plan plan;
    cr_assert_eq(hs_w2c_plan_units(&m, units, charge->index - m.num_imported_funcs, &plan), units);
    char *dir = temp_cache(), path[700], cmd[2200];
    snprintf(cmd, sizeof cmd, "mkdir '%s/whole'", dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/whole/m.wasm", dir);
    write_bytes(path, wasm, len);
    snprintf(cmd, sizeof cmd, "wasm2c '%s' -n m -o '%s/whole/m.c'", path, dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/whole/m.c", dir);
    size_t whole_len;
    char *whole = slurp_text(path, &whole_len);
    char *texts[HS_W2C_MAX_UNITS];
    size_t lens[HS_W2C_MAX_UNITS];
    hs_w2c_func *funcs[HS_W2C_MAX_UNITS];
    for (uint32_t k = 0; k < units; k++) {
        size_t ulen;
        uint8_t *unit = hs_w2c_unit_module(&m, &plan, k, &ulen);
        cr_assert_not_null(unit);
        snprintf(path, sizeof path, "%s/u%u.wasm", dir, k);
        write_bytes(path, unit, ulen);
        free(unit);
        char name[16];
        hs_w2c_unit_name(k, name, sizeof name);
        snprintf(cmd, sizeof cmd, "wasm2c '%s' -n %s -o '%s/%s.c'", path, name, dir,
                 k ? name : "m");
        cr_assert_eq(system(cmd), 0);
        snprintf(path, sizeof path, "%s/%s.c", dir, k ? name : "m");
        texts[k] = slurp_text(path, &lens[k]);
        funcs[k] = calloc(m.num_defined_funcs, sizeof *funcs[k]);
        cr_assert(hs_w2c_scan(texts[k], lens[k], name, m.num_defined_funcs, funcs[k]),
                  "scan unit %u", k);
        /* Every unit links: its stubs are recognised as stubs. */
        hs_wbuf linked;
        hs_wbuf_init(&linked);
        cr_assert(hs_w2c_link_unit(texts[k], lens[k], funcs[k], &plan, k, &linked), "link %u", k);
        hs_wbuf_free(&linked);
    }
    hs_wbuf out;
    hs_wbuf_init(&out);
    cr_assert(hs_w2c_stitch((const char *const *)texts, lens, funcs, &plan, &out));
    cr_assert_eq(out.len, whole_len, "stitched %zu bytes, wasm2c %zu", out.len, whole_len);
    cr_assert(memcmp(out.data, whole, whole_len) == 0, "stitched text differs from wasm2c's");
    hs_wbuf_free(&out);
    for (uint32_t k = 0; k < units; k++) {
        free(texts[k]);
        free(funcs[k]);
    }
    free(whole);
    hs_wasm_module_free(&m);
    rm_cache(dir);
}

Test(engine, split_units_stitch_to_the_one_unit_translation) {
    size_t len;
    uint8_t *wasm = load_fixture("engine_basic", &len);
    meter(&wasm, &len);
    check_stitch(wasm, len, 2);
    check_stitch(wasm, len, 3);
    free(wasm);
}

/* --- A real contract (cw20-base from the npm lock, when installed) --------------------------- */

static uint8_t *cw20_metered(size_t *len) {
    FILE *f = fopen(CW20_PATH, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    uint8_t *wasm = malloc(*len);
    cr_assert_eq(fread(wasm, 1, *len, f), *len);
    fclose(f);
    meter(&wasm, len);
    return wasm;
}

Test(engine, cw20_base_split_units_stitch_to_the_one_unit_translation, .timeout = 120) {
    size_t len;
    uint8_t *wasm = cw20_metered(&len);
    if (!wasm) cr_skip_test("%s not installed", CW20_PATH);
    check_stitch(wasm, len, 2);
    free(wasm);
}

/* A small storage host for cw20-base: an unordered key-value list, identity addresses. */
typedef struct kv_entry {
    uint8_t *key, *value;
    uint32_t klen, vlen;
} kv_entry;
typedef struct kv_host {
    kv_entry e[64];
    int n;
} kv_host;

static uint32_t rd32(const uint8_t *p) {
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint8_t *region_bytes(hs_instance *inst, uint32_t ptr, uint32_t *len) {
    uint8_t r[12];
    if (!hs_instance_read(inst, ptr, r, 12)) hs_instance_trap(inst, "bad region");
    *len = rd32(r + 8);
    uint8_t *buf = malloc(*len + 1);
    if (!buf || !hs_instance_read(inst, rd32(r), buf, *len)) hs_instance_trap(inst, "bad data");
    buf[*len] = 0;
    return buf;
}

static uint32_t region_alloc(hs_instance *inst, const void *data, uint32_t len) {
    uint64_t arg = len, ptr = 0;
    if (hs_instance_call(inst, "allocate", &arg, 1, &ptr) != HS_ENGINE_OK)
        hs_instance_trap(inst, "allocate failed");
    uint8_t r[12], l[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), 0};
    if (!hs_instance_read(inst, (uint32_t)ptr, r, 12) ||
        !hs_instance_write(inst, rd32(r), data, len) ||
        !hs_instance_write(inst, (uint32_t)ptr + 8, l, 4))
        hs_instance_trap(inst, "write failed");
    return (uint32_t)ptr;
}

static kv_entry *kv_find(kv_host *h, const uint8_t *k, uint32_t klen) {
    for (int i = 0; i < h->n; i++)
        if (h->e[i].klen == klen && !memcmp(h->e[i].key, k, klen)) return &h->e[i];
    return NULL;
}

static uint32_t cw_db_read(hs_instance *inst, uint32_t key) {
    uint32_t klen;
    uint8_t *k = region_bytes(inst, key, &klen);
    kv_entry *e = kv_find(hs_instance_user(inst), k, klen);
    free(k);
    hs_instance_charge_gas(inst, 1000);
    return e ? region_alloc(inst, e->value, e->vlen) : 0;
}

static void cw_db_write(hs_instance *inst, uint32_t key, uint32_t value) {
    kv_host *h = hs_instance_user(inst);
    uint32_t klen, vlen;
    uint8_t *k = region_bytes(inst, key, &klen), *v = region_bytes(inst, value, &vlen);
    kv_entry *e = kv_find(h, k, klen);
    if (e) {
        free(k);
        free(e->value);
    } else {
        if (h->n == 64) hs_instance_trap(inst, "store full");
        e = &h->e[h->n++];
        e->key = k;
        e->klen = klen;
    }
    e->value = v;
    e->vlen = vlen;
    hs_instance_charge_gas(inst, 2000);
}

static uint32_t cw_addr_validate(hs_instance *inst, uint32_t src) {
    (void)inst;
    (void)src;
    return 0;
}

static uint32_t cw_addr_canonicalize(hs_instance *inst, uint32_t src, uint32_t dst) {
    uint32_t len;
    uint8_t *s = region_bytes(inst, src, &len);
    uint8_t r[12], l[4] = {(uint8_t)len, (uint8_t)(len >> 8), 0, 0};
    if (!hs_instance_read(inst, dst, r, 12) || rd32(r + 4) < len ||
        !hs_instance_write(inst, rd32(r), s, len) || !hs_instance_write(inst, dst + 8, l, 4))
        hs_instance_trap(inst, "small region");
    free(s);
    return 0;
}

static void cw_abort(hs_instance *inst, uint32_t msg) {
    uint32_t len;
    uint8_t *s = region_bytes(inst, msg, &len);
    hs_instance_trap(inst, "abort: %.100s", (char *)s);
}

static const hs_host_imports cw_imports = {
    .db_read = cw_db_read,
    .db_write = cw_db_write,
    .addr_validate = cw_addr_validate,
    .addr_canonicalize = cw_addr_canonicalize,
    .addr_humanize = cw_addr_canonicalize,
    .abort = cw_abort,
};

/* One entry point call on a fresh instance; `out` gets the result code, gas used and the
 * returned JSON (or the error message). */
static void cw_call(hs_module *mod, kv_host *h, const char *entry, const char *msg, char *out,
                    size_t outlen) {
    static const char env[] = "{\"block\":{\"height\":7,\"time\":\"1700000000000000000\","
                              "\"chain_id\":\"t\"},\"contract\":{\"address\":\"contract0\"}}";
    static const char info[] = "{\"sender\":\"alice\",\"funds\":[]}";
    hs_instance *inst = instance(mod, &cw_imports, h);
    hs_instance_set_gas(inst, 500000000000ull);
    const char *args[3] = {env, strcmp(entry, "query") ? info : msg, msg};
    uint32_t nargs = strcmp(entry, "query") ? 3 : 2;
    uint64_t a[3], result = 0;
    hs_engine_result rc = HS_ENGINE_OK;
    for (uint32_t i = 0; i < nargs && rc == HS_ENGINE_OK; i++) {
        uint64_t len = strlen(args[i]);
        rc = hs_instance_call(inst, "allocate", &len, 1, &a[i]);
        uint8_t r[12], l[4] = {(uint8_t)len, (uint8_t)(len >> 8), 0, 0};
        if (rc == HS_ENGINE_OK)
            cr_assert(hs_instance_read(inst, (uint32_t)a[i], r, 12) &&
                      hs_instance_write(inst, rd32(r), args[i], len) &&
                      hs_instance_write(inst, (uint32_t)a[i] + 8, l, 4));
    }
    if (rc == HS_ENGINE_OK) rc = hs_instance_call(inst, entry, a, nargs, &result);
    uint64_t gas = 500000000000ull - hs_instance_gas(inst);
    if (rc != HS_ENGINE_OK) {
        snprintf(out, outlen, "rc %d gas %llu: %s", rc, (unsigned long long)gas,
                 hs_instance_error(inst));
    } else {
        uint32_t len;
        uint8_t r[12];
        cr_assert(hs_instance_read(inst, (uint32_t)result, r, 12));
        len = rd32(r + 8) < outlen - 64 ? rd32(r + 8) : (uint32_t)(outlen - 64);
        int n = snprintf(out, outlen, "ok gas %llu: ", (unsigned long long)gas);
        cr_assert(hs_instance_read(inst, rd32(r), out + n, len));
        out[n + len] = '\0';
    }
    hs_instance_free(inst);
}

/* instantiate, transfer, balance query, a transfer beyond the balance, out of gas. */
static void cw20_script(hs_module *mod, char out[5][1024]) {
    kv_host *h = calloc(1, sizeof *h);
    cw_call(mod, h, "instantiate",
            "{\"name\":\"Split\",\"symbol\":\"SPLT\",\"decimals\":6,\"initial_balances\":"
            "[{\"address\":\"alice\",\"amount\":\"1000\"}]}",
            out[0], 1024);
    cw_call(mod, h, "execute", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"250\"}}", out[1],
            1024);
    cw_call(mod, h, "query", "{\"balance\":{\"address\":\"alice\"}}", out[2], 1024);
    cw_call(mod, h, "execute", "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"5000\"}}", out[3],
            1024);
    hs_instance *inst = instance(mod, &cw_imports, h);
    hs_instance_set_gas(inst, 20000);
    uint64_t len = 100, ptr;
    hs_engine_result rc = hs_instance_call(inst, "allocate", &len, 1, &ptr);
    snprintf(out[4], 1024, "rc %d gas left %llu", rc, (unsigned long long)hs_instance_gas(inst));
    hs_instance_free(inst);
    for (int i = 0; i < h->n; i++) {
        free(h->e[i].key);
        free(h->e[i].value);
    }
    free(h);
}

Test(engine, cw20_base_split_tier1_same_results_and_gas, .timeout = 120) {
    size_t len;
    uint8_t *wasm = cw20_metered(&len);
    if (!wasm) cr_skip_test("%s not installed", CW20_PATH);
    static char want[5][1024], got[5][1024];
    for (uint32_t units = 1; units <= 2; units++) {
        hs_engine *eng = engine_units(HS_TIERS_TCC_ONLY, NULL, units);
        hs_module *mod;
        char err[256];
        cr_assert_eq(hs_module_load(eng, wasm, len, &mod, err, sizeof err), HS_ENGINE_OK, "%s",
                     err);
        hs_module_timings t;
        hs_module_get_timings(mod, &t);
        cr_assert_eq(t.tier1_units, units);
        cw20_script(mod, units == 1 ? want : got);
        hs_module_free(mod);
        hs_engine_free(eng);
    }
    free(wasm);
    cr_assert(strncmp(want[0], "ok gas ", 7) == 0, "instantiate: %s", want[0]);
    cr_assert(strstr(want[1], "\"transfer\""), "transfer: %s", want[1]);
    /* {"ok": base64 of {"balance":"750"}} */
    cr_assert(strstr(want[2], "{\"ok\":\"eyJiYWxhbmNlIjoiNzUwIn0=\"}"), "query: %s", want[2]);
    cr_assert(strstr(want[3], "Cannot Sub"), "overdraft: %s", want[3]);
    cr_assert(strncmp(want[4], "rc 16 gas left 0", 16) == 0, "out of gas: %s", want[4]);
    for (int i = 0; i < 5; i++)
        cr_assert_str_eq(got[i], want[i], "call %d: split %s, one unit %s", i, got[i], want[i]);
}

/* bench_engine.c — measures host-sim's engine on a real contract (cw20-base from the npm lock):
 * gas injection, wasm2c, tcc and gcc compile times, fresh-instance cost, and per-call times of
 * allocate/deallocate, instantiate, a transfer and a token_info query on both tiers, with stub
 * storage and address imports. Usage: bench_engine [cw20-base.wasm] (make bench-engine). */
#define _GNU_SOURCE
#include "engine.h"
#include "gas_inject.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_WASM "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"
#define GAS_LIMIT 500000000000ull

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --- Stub host: a tiny linear key-value store, identity addresses -------------------------- */

typedef struct kv {
    uint8_t *key, *value;
    uint32_t klen, vlen;
} kv;

static kv store[256];
static int store_n;

static void fail(hs_instance *inst, const char *what) {
    hs_instance_trap(inst, "bench host: %s", what);
}

static uint32_t le32(const uint8_t *p) {
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Copy a Region's bytes out of guest memory (malloc'd). */
static uint8_t *region_read(hs_instance *inst, uint32_t ptr, uint32_t *len) {
    uint8_t r[12];
    if (!hs_instance_read(inst, ptr, r, 12)) fail(inst, "bad region");
    *len = le32(r + 8);
    uint8_t *buf = malloc(*len + 1);
    if (!buf || !hs_instance_read(inst, le32(r), buf, *len)) fail(inst, "bad region data");
    buf[*len] = 0;
    return buf;
}

/* Allocate a Region in the guest and fill it. */
static uint32_t region_new(hs_instance *inst, const void *data, uint32_t len) {
    uint64_t arg = len, ptr = 0;
    if (hs_instance_call(inst, "allocate", &arg, 1, &ptr) != HS_ENGINE_OK) fail(inst, "allocate");
    uint8_t r[12];
    if (!hs_instance_read(inst, (uint32_t)ptr, r, 12)) fail(inst, "bad region");
    uint8_t l[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
    if (!hs_instance_write(inst, le32(r), data, len) ||
        !hs_instance_write(inst, (uint32_t)ptr + 8, l, 4))
        fail(inst, "write");
    return (uint32_t)ptr;
}

static kv *find(const uint8_t *k, uint32_t klen) {
    for (int i = 0; i < store_n; i++)
        if (store[i].klen == klen && memcmp(store[i].key, k, klen) == 0) return &store[i];
    return NULL;
}

static uint32_t h_db_read(hs_instance *inst, uint32_t key) {
    uint32_t klen;
    uint8_t *k = region_read(inst, key, &klen);
    kv *e = find(k, klen);
    free(k);
    hs_instance_charge_gas(inst, 18000);
    return e ? region_new(inst, e->value, e->vlen) : 0;
}

static void h_db_write(hs_instance *inst, uint32_t key, uint32_t value) {
    uint32_t klen, vlen;
    uint8_t *k = region_read(inst, key, &klen), *v = region_read(inst, value, &vlen);
    kv *e = find(k, klen);
    if (!e) {
        if (store_n == 256) fail(inst, "store full");
        e = &store[store_n++];
        e->key = k;
        e->klen = klen;
    } else {
        free(k);
        free(e->value);
    }
    e->value = v;
    e->vlen = vlen;
    hs_instance_charge_gas(inst, 18000);
}

static void h_db_remove(hs_instance *inst, uint32_t key) {
    uint32_t klen;
    uint8_t *k = region_read(inst, key, &klen);
    kv *e = find(k, klen);
    free(k);
    if (e) {
        free(e->key);
        free(e->value);
        *e = store[--store_n];
    }
}

static uint32_t h_addr_validate(hs_instance *inst, uint32_t src) {
    (void)inst;
    (void)src;
    return 0;
}

/* Canonical form = the human string's bytes. */
static uint32_t h_addr_canonicalize(hs_instance *inst, uint32_t src, uint32_t dst) {
    uint32_t len;
    uint8_t *s = region_read(inst, src, &len);
    uint8_t r[12];
    if (!hs_instance_read(inst, dst, r, 12) || le32(r + 4) < len) fail(inst, "small region");
    uint8_t l[4] = {(uint8_t)len, (uint8_t)(len >> 8), 0, 0};
    if (!hs_instance_write(inst, le32(r), s, len) || !hs_instance_write(inst, dst + 8, l, 4))
        fail(inst, "write");
    free(s);
    return 0;
}

static void h_debug(hs_instance *inst, uint32_t msg) {
    (void)inst;
    (void)msg;
}

static void h_abort(hs_instance *inst, uint32_t msg) {
    uint32_t len;
    uint8_t *s = region_read(inst, msg, &len);
    hs_instance_trap(inst, "abort: %s", (char *)s);
}

static const hs_host_imports imports = {
    .db_read = h_db_read,
    .db_write = h_db_write,
    .db_remove = h_db_remove,
    .addr_validate = h_addr_validate,
    .addr_canonicalize = h_addr_canonicalize,
    .addr_humanize = h_addr_canonicalize,
    .debug = h_debug,
    .abort = h_abort,
};

/* --- Entry points -------------------------------------------------------------------------- */

static const char *ENV = "{\"block\":{\"height\":12345,\"time\":\"1700000000000000000\","
                         "\"chain_id\":\"bench\"},\"transaction\":{\"index\":0},"
                         "\"contract\":{\"address\":\"contract0\"}}";

typedef struct call_result {
    hs_engine_result rc;
    uint64_t gas;
    char out[160];
} call_result;

/* Fresh instance, call `entry` with JSON arguments, read the result region. */
static call_result call_entry(hs_module *mod, const char *entry, const char *a1, const char *a2) {
    call_result res = {0};
    hs_instance *inst;
    char err[256];
    res.rc = hs_instance_new(mod, &imports, NULL, &inst, err, sizeof err);
    if (res.rc) {
        snprintf(res.out, sizeof res.out, "%.150s", err);
        return res;
    }
    hs_instance_set_gas(inst, GAS_LIMIT);
    uint64_t args[3];
    uint32_t n = 0;
    /* Allocation of the arguments happens inside a guarded call of its own. */
    const char *jsons[3] = {ENV, a1, a2};
    for (int i = 0; i < 3 && jsons[i]; i++) {
        uint64_t len = strlen(jsons[i]), ptr = 0;
        res.rc = hs_instance_call(inst, "allocate", &len, 1, &ptr);
        if (res.rc) break;
        uint8_t r[12];
        uint8_t l[4] = {(uint8_t)len, (uint8_t)(len >> 8), 0, 0};
        if (!hs_instance_read(inst, (uint32_t)ptr, r, 12) ||
            !hs_instance_write(inst, le32(r), jsons[i], len) ||
            !hs_instance_write(inst, (uint32_t)ptr + 8, l, 4))
            res.rc = HS_ENGINE_TRAP_OOB;
        args[n++] = ptr;
    }
    uint64_t out = 0;
    if (!res.rc) res.rc = hs_instance_call(inst, entry, args, n, &out);
    res.gas = GAS_LIMIT - hs_instance_gas(inst);
    if (res.rc) {
        snprintf(res.out, sizeof res.out, "%s", hs_instance_error(inst));
    } else {
        uint8_t r[12];
        if (hs_instance_read(inst, (uint32_t)out, r, 12)) {
            uint32_t len = le32(r + 8) < sizeof res.out - 1 ? le32(r + 8) : sizeof res.out - 1;
            if (!hs_instance_read(inst, le32(r), res.out, len)) len = 0;
            res.out[len] = 0;
        }
    }
    hs_instance_free(inst);
    return res;
}

static double time_calls(hs_module *mod, int n, const char *entry, const char *a1, const char *a2,
                         call_result *last) {
    double t0 = now();
    for (int i = 0; i < n; i++) *last = call_entry(mod, entry, a1, a2);
    return (now() - t0) / n * 1e6;
}

static void bench_tier(hs_module *mod, const char *label) {
    /* Fresh instance alone, and allocate/deallocate on one instance. */
    int n = 20000;
    double t0 = now();
    for (int i = 0; i < n; i++) {
        hs_instance *inst;
        char err[256];
        if (hs_instance_new(mod, &imports, NULL, &inst, err, sizeof err)) {
            printf("instance: %s\n", err);
            exit(1);
        }
        hs_instance_free(inst);
    }
    double fresh = (now() - t0) / n * 1e6;
    hs_instance *inst;
    char err[256];
    if (hs_instance_new(mod, &imports, NULL, &inst, err, sizeof err)) exit(1);
    t0 = now();
    for (int i = 0; i < n; i++) {
        hs_instance_set_gas(inst, GAS_LIMIT);
        uint64_t a = 100, p = 0;
        if (hs_instance_call(inst, "allocate", &a, 1, &p) ||
            hs_instance_call(inst, "deallocate", &p, 1, NULL)) {
            printf("allocate: %s\n", hs_instance_error(inst));
            exit(1);
        }
    }
    double alloc = (now() - t0) / n * 1e6;
    hs_instance_free(inst);

    for (int i = 0; i < store_n; i++) free(store[i].key), free(store[i].value);
    store_n = 0;
    call_result r;
    const char *init =
        "{\"name\":\"Bench\",\"symbol\":\"BNCH\",\"decimals\":6,\"initial_balances\":"
        "[{\"address\":\"alice\",\"amount\":\"1000000000\"}],\"mint\":null}";
    const char *info = "{\"sender\":\"alice\",\"funds\":[]}";
    double t_init = time_calls(mod, 1, "instantiate", info, init, &r);
    printf("  %-6s instantiate: %s gas %llu (%.1f us)\n", label, r.rc ? "ERROR" : "ok",
           (unsigned long long)r.gas, t_init);
    if (r.rc || strncmp(r.out, "{\"ok\"", 5)) printf("         -> %s\n", r.out);
    int calls = 2000;
    double t_tx = time_calls(mod, calls, "execute", info,
                             "{\"transfer\":{\"recipient\":\"bob\",\"amount\":\"1\"}}", &r);
    printf("  %-6s transfer: %s gas %llu\n", label, r.rc ? "ERROR" : "ok",
           (unsigned long long)r.gas);
    if (r.rc || strncmp(r.out, "{\"ok\"", 5)) printf("         -> %s\n", r.out);
    double t_q = time_calls(mod, calls, "query", "{\"token_info\":{}}", NULL, &r);
    printf("  %-6s token_info: %s gas %llu -> %.80s\n", label, r.rc ? "ERROR" : "ok",
           (unsigned long long)r.gas, r.out);
    printf("  %-6s fresh instance %.2f us | allocate+deallocate %.3f us | transfer (fresh "
           "instance, metered, stub host) %.2f us | token_info query %.2f us\n",
           label, fresh, alloc, t_tx, t_q);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : DEFAULT_WASM;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_engine: cannot open %s (npm ci installs it)\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    rewind(f);
    uint8_t *wasm = malloc(len);
    if (!wasm || fread(wasm, 1, len, f) != len) return 1;
    fclose(f);

    double t0 = now();
    uint8_t *metered;
    size_t mlen;
    char err[256];
    if (getenv("HS_BENCH_UNMETERED")) { /* to see what metering costs */
        metered = malloc(len);
        if (!metered) return 1;
        memcpy(metered, wasm, len);
        mlen = len;
    } else if (hs_gas_inject(wasm, len, &metered, &mlen, err, sizeof err)) {
        fprintf(stderr, "gas_inject: %s\n", err);
        return 1;
    }
    double t_inject = now() - t0;
    printf("%s: %zu bytes, metered %zu bytes (gas injection %.1f ms)\n", path, len, mlen,
           t_inject * 1e3);

    /* A fresh cache each run (so both tiers are measured), or HS_BENCH_CACHE to reuse one. */
    char cache[] = "/tmp/hs-bench-cache-XXXXXX";
    const char *keep = getenv("HS_BENCH_CACHE");
    if (!keep && !mkdtemp(cache)) return 1;
    hs_engine_config cfg;
    hs_engine_config_default(&cfg);
    cfg.cache_dir = keep ? keep : cache;
    if (getenv("HS_BENCH_OPT")) cfg.cc_opt = getenv("HS_BENCH_OPT"); /* e.g. -O1 */
    bool tcc_only = getenv("HS_BENCH_TCC_ONLY") != NULL; /* tier 1 without gcc running */
    if (tcc_only) cfg.tiers = HS_TIERS_TCC_ONLY;
    hs_engine *eng;
    if (hs_engine_new(&cfg, &eng, err, sizeof err)) return 1;
    hs_module *mod;
    t0 = now();
    if (hs_module_load(eng, metered, mlen, &mod, err, sizeof err)) {
        fprintf(stderr, "load: %s\n", err);
        return 1;
    }
    double t_load = now() - t0;
    hs_module_timings tm;
    hs_module_get_timings(mod, &tm);
    printf("load to tier 1: %.3f s (wasm2c %.3f s, tcc %.3f s)\n", t_load, tm.translate, tm.tier1);
    if (hs_module_tier(mod) == 1) bench_tier(mod, "tcc");
    if (tcc_only) {
        hs_module_free(mod);
        hs_engine_free(eng);
        free(metered);
        free(wasm);
        return 0;
    }
    t0 = now();
    if (hs_module_wait_tier2(mod, err, sizeof err)) {
        fprintf(stderr, "tier 2: %s\n", err);
        return 1;
    }
    hs_module_get_timings(mod, &tm);
    printf("tier 2 ready after a further %.1f s (gcc %s %.1f s, dlopen %.1f ms)\n", now() - t0,
           cfg.cc_opt, tm.tier2, tm.load2 * 1e3);
    bench_tier(mod, "gcc");
    hs_module_free(mod);
    hs_engine_free(eng);

    /* Second load: from the cache. */
    if (hs_engine_new(&cfg, &eng, err, sizeof err)) return 1;
    t0 = now();
    if (hs_module_load(eng, metered, mlen, &mod, err, sizeof err)) return 1;
    printf("second load (cached .so): %.1f ms, tier %d\n", (now() - t0) * 1e3, hs_module_tier(mod));
    hs_module_free(mod);
    hs_engine_free(eng);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", cache);
    if (!keep && system(cmd) != 0) return 1;
    free(metered);
    free(wasm);
    return 0;
}

/* test_gas_inject.c — tests of host-sim's gas metering (host-sim/src/gas_inject.h): exact
 * wasmvm 2.2 gas for hand-written functions (straight-line code, loops, calls, br_table,
 * if/else), out of gas at the exact boundary, and the shape of the rewritten module.
 * Expected numbers are worked out by hand in the comments from the cost model: 115 per
 * operator, 1610 for accounting operators, charged before each accounting operator for the
 * operators since the previous one; a branch to a block label skips that block's `end` charge. */
#define _GNU_SOURCE
#include "engine.h"
#include "gas_inject.h"
#include "wasm_parse.h"
#include "wasm_write.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_TEST_WASM_DIR
#define HS_TEST_WASM_DIR "build/tests/wasm"
#endif

static uint8_t *load_fixture(const char *name, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.wasm", HS_TEST_WASM_DIR, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "missing fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *buf = malloc((size_t)n);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static hs_engine *eng;
static hs_module *mod;

/* A tcc-only engine built from `units` tier-1 units (0: automatic), with `wasm` loaded. */
static hs_module *load_metered(const uint8_t *wasm, size_t len, uint32_t units, hs_engine **e) {
    hs_engine_config cfg;
    hs_engine_config_default(&cfg);
    cfg.tiers = HS_TIERS_TCC_ONLY;
    cfg.cache_dir = NULL;
    cfg.tier1_units = units;
    hs_module *md;
    char err[256];
    cr_assert_eq(hs_engine_new(&cfg, e, err, sizeof err), HS_ENGINE_OK, "%s", err);
    cr_assert_eq(hs_module_load(*e, wasm, len, &md, err, sizeof err), HS_ENGINE_OK, "%s", err);
    return md;
}

static void setup(void) {
    size_t len, out_len;
    uint8_t *wasm = load_fixture("engine_gas", &len), *out;
    char err[256];
    cr_assert_eq(hs_gas_inject(wasm, len, &out, &out_len, err, sizeof err), HS_GAS_OK, "%s", err);
    free(wasm);
    mod = load_metered(out, out_len, 0, &eng);
    free(out);
}

static void teardown(void) {
    hs_module_free(mod);
    hs_engine_free(eng);
}

/* Gas used by one call of module `md` on a fresh instance with `limit` gas; *rc receives the
 * result code. */
static uint64_t gas_of_in(hs_module *md, const char *name, uint32_t nargs, uint64_t arg,
                          uint64_t limit, hs_engine_result *rc, uint64_t *result) {
    hs_instance *inst;
    char err[256];
    cr_assert_eq(hs_instance_new(md, NULL, NULL, &inst, err, sizeof err), HS_ENGINE_OK);
    hs_instance_set_gas(inst, limit);
    uint64_t r = 0;
    *rc = hs_instance_call(inst, name, &arg, nargs, &r);
    if (result) *result = r;
    uint64_t used = limit - hs_instance_gas(inst);
    hs_instance_free(inst);
    return used;
}

/* The same on the fixture module. */
static uint64_t gas_of(const char *name, uint32_t nargs, uint64_t arg, uint64_t limit,
                       hs_engine_result *rc, uint64_t *result) {
    return gas_of_in(mod, name, nargs, arg, limit, rc, result);
}

static uint64_t gas_ok(const char *name, uint32_t nargs, uint64_t arg, uint64_t *result) {
    hs_engine_result rc;
    uint64_t used = gas_of(name, nargs, arg, 1ull << 40, &rc, result);
    cr_assert_eq(rc, HS_ENGINE_OK, "%s: %s", name, hs_engine_strerror(rc));
    return used;
}

TestSuite(gas_inject, .init = setup, .fini = teardown);

Test(gas_inject, cost_function_matches_wasmvm) {
    hs_wasm_op op = {0};
    op.code = 0x6A; /* i32.add */
    cr_assert_eq(hs_gas_operator_cost(&op), 115);
    const uint8_t accounting[] = {0x03, 0x0B, 0x04, 0x05, 0x0C, 0x0D, 0x0E, 0x10, 0x11, 0x0F};
    for (size_t i = 0; i < sizeof accounting; i++) {
        op.code = accounting[i];
        cr_assert_eq(hs_gas_operator_cost(&op), 1610, "opcode 0x%02x", accounting[i]);
    }
    const uint8_t plain[] = {0x00, 0x01, 0x02, 0x1A, 0x1B, 0x20, 0x23, 0x28, 0x36, 0x3F, 0x40};
    for (size_t i = 0; i < sizeof plain; i++) {
        op.code = plain[i];
        cr_assert_not(hs_gas_is_accounting(&op), "opcode 0x%02x", plain[i]);
    }
}

Test(gas_inject, straight_line_function) {
    uint64_t r;
    /* i32.const, i32.const, i32.add (3 × 115) + end (1610). */
    cr_assert_eq(gas_ok("straight", 0, 0, &r), 1955);
    cr_assert_eq(r, 3);
}

Test(gas_inject, loop_iterating_n_times) {
    /* block + loop: 115 + 1610 = 1725 before the loop;
     * each iteration that continues: local.get, i32.eqz, br_if = 1840, then
     * local.get, i32.const, i32.sub, local.set, br = 4 × 115 + 1610 = 2070 → 3910;
     * the last iteration: 1840, branch out past the block's end, then local.get + end = 1725.
     * Total 1725 + 3910 n + 1840 + 1725 = 5290 + 3910 n. */
    for (uint64_t n = 0; n <= 100; n += 25) {
        uint64_t r;
        cr_assert_eq(gas_ok("countdown", 1, n, &r), 5290 + 3910 * n, "n = %llu",
                     (unsigned long long)n);
    }
}

Test(gas_inject, call_charges_caller_and_callee) {
    uint64_t r;
    /* call (1610) + callee's i32.const + end (1725) + caller's end (1610). */
    cr_assert_eq(gas_ok("caller", 0, 0, &r), 4945);
    cr_assert_eq(r, 7);
    /* Recursion n deep: caller: local.get, call = 1725, end = 1610;
     * each level with x > 0: local.get, i32.eqz, if = 1840; local.get, i32.const, i32.sub,
     * call = 1955; after return: end of if + end of function... */
    uint64_t d0 = gas_ok("deep", 1, 0, &r), d1 = gas_ok("deep", 1, 1, &r);
    uint64_t d5 = gas_ok("deep", 1, 5, &r);
    cr_assert_eq(d5 - d0, 5 * (d1 - d0), "linear in depth");
}

Test(gas_inject, br_table_targets) {
    uint64_t r;
    /* block, block, local.get, br_table = 2 × 115 + 115 + 1610 = 1955; then
     * target 0: i32.const, i32.const, i32.add, return = 3 × 115 + 1610 = 1955 → 3910;
     * target 1 (and the default): i32.const + end = 1725 → 3680. */
    cr_assert_eq(gas_ok("table", 1, 0, &r), 3910);
    cr_assert_eq(r, 11);
    cr_assert_eq(gas_ok("table", 1, 1, &r), 3680);
    cr_assert_eq(r, 20);
    cr_assert_eq(gas_ok("table", 1, 9, &r), 3680);
    cr_assert_eq(r, 20);
}

Test(gas_inject, if_else_branches) {
    uint64_t r;
    /* local.get + if = 1725; i32.const + else (or + end) = 1725; function end = 1610. */
    cr_assert_eq(gas_ok("choose", 1, 1, &r), 5060);
    cr_assert_eq(r, 1);
    cr_assert_eq(gas_ok("choose", 1, 0, &r), 5060);
    cr_assert_eq(r, 2);
}

Test(gas_inject, out_of_gas_at_the_exact_boundary) {
    hs_engine_result rc;
    uint64_t r;
    /* Exactly enough: succeeds with 0 left. */
    cr_assert_eq(gas_of("straight", 0, 0, 1955, &rc, &r), 1955);
    cr_assert_eq(rc, HS_ENGINE_OK);
    /* One less: the block's charge fails; all gas is consumed. */
    cr_assert_eq(gas_of("straight", 0, 0, 1954, &rc, &r), 1954);
    cr_assert_eq(rc, HS_ENGINE_TRAP_OUT_OF_GAS);
    /* Loop: enough for exactly 3 iterations' worth fails inside the 4th, not before. */
    uint64_t need = 5290 + 3910 * 4;
    cr_assert_eq(gas_of("countdown", 1, 4, need, &rc, &r), need);
    cr_assert_eq(rc, HS_ENGINE_OK);
    cr_assert_eq(gas_of("countdown", 1, 4, need - 1, &rc, &r), need - 1);
    cr_assert_eq(rc, HS_ENGINE_TRAP_OUT_OF_GAS);
    /* Infinite loop. */
    cr_assert_eq(gas_of("spin", 0, 0, 10000000, &rc, &r), 10000000);
    cr_assert_eq(rc, HS_ENGINE_TRAP_OUT_OF_GAS);
}

/* (module (func (export "blocks") BODY) (func (export "small"))) where BODY is, for k = 1..n,
 * `block <k nops> end`:
 * block k costs (1 + k) × 115 + 1610, so there are n + 1 distinct costs with the final `end`
 * (1610) — many more than one cost table allocation holds. */
static uint8_t *blocks_module(uint32_t n, size_t *len) {
    hs_wbuf body, m;
    hs_wbuf_init(&body);
    hs_wbuf_init(&m);
    hs_wbuf_u32(&body, 0); /* no locals */
    for (uint32_t k = 1; k <= n; k++) {
        hs_wbuf_byte(&body, 0x02); /* block */
        hs_wbuf_byte(&body, 0x40);
        for (uint32_t j = 0; j < k; j++) hs_wbuf_byte(&body, 0x01); /* nop */
        hs_wbuf_byte(&body, 0x0B);
    }
    hs_wbuf_byte(&body, 0x0B);
    /* Two functions, so that a split build has a function per unit: "blocks" and "small"
     * (an empty body: its `end` costs 1610, a cost "blocks" has too). */
    const uint8_t head[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, /* magic, version */
                            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,             /* type () -> () */
                            0x03, 0x03, 0x02, 0x00, 0x00,                   /* funcs 0, 1: type 0 */
                            0x07, 0x12, 0x02,                               /* two exports */
                            0x06, 'b',  'l',  'o',  'c',  'k',  's',  0x00, 0x00,
                            0x05, 's',  'm',  'a',  'l',  'l',  0x00, 0x01};
    hs_wbuf_bytes(&m, head, sizeof head);
    hs_wbuf code;
    hs_wbuf_init(&code);
    hs_wbuf_u32(&code, 2);
    hs_wbuf_u32(&code, (uint32_t)body.len);
    hs_wbuf_bytes(&code, body.data, body.len);
    const uint8_t small[] = {2, 0, 0x0B};
    hs_wbuf_bytes(&code, small, sizeof small);
    hs_wbuf_section(&m, HS_WASM_SEC_CODE, &code);
    hs_wbuf_free(&code);
    hs_wbuf_free(&body);
    cr_assert_not(m.failed);
    return hs_wbuf_take(&m, len);
}

Test(gas_inject, many_distinct_costs) {
    const uint32_t n = 600;
    size_t len, out_len;
    uint8_t *wasm = blocks_module(n, &len), *out;
    char err[256];
    cr_assert_eq(hs_gas_inject(wasm, len, &out, &out_len, err, sizeof err), HS_GAS_OK, "%s", err);
    hs_wasm_module b;
    cr_assert_eq(hs_wasm_parse(out, out_len, &b, err, sizeof err), HS_WASM_OK, "%s", err);
    cr_assert_eq(b.num_defined_funcs, 2 + 1 + (n + 1)); /* the functions, $charge, the ticks */
    hs_wasm_module_free(&b);
    /* Exact gas on the one-unit and the split tier-1 builds. */
    uint64_t want = 1610;
    for (uint64_t k = 1; k <= n; k++) want += (1 + k) * 115 + 1610;
    for (uint32_t units = 1; units <= 2; units++) {
        hs_engine *e;
        hs_module *md = load_metered(out, out_len, units, &e);
        hs_module_timings t;
        hs_module_get_timings(md, &t);
        cr_assert_eq(t.tier1_units, units);
        hs_engine_result rc;
        cr_assert_eq(gas_of_in(md, "blocks", 0, 0, 1ull << 40, &rc, NULL), want, "units %u", units);
        cr_assert_eq(rc, HS_ENGINE_OK);
        /* One short: out of gas at the last charge, all gas used. */
        cr_assert_eq(gas_of_in(md, "blocks", 0, 0, want - 1, &rc, NULL), want - 1);
        cr_assert_eq(rc, HS_ENGINE_TRAP_OUT_OF_GAS);
        cr_assert_eq(gas_of_in(md, "small", 0, 0, 10000, &rc, NULL), 1610);
        cr_assert_eq(rc, HS_ENGINE_OK);
        hs_module_free(md);
        hs_engine_free(e);
    }
    free(out);
    free(wasm);
}

Test(gas_inject, names_cannot_clash) {
    /* The fixture's name section calls a function of its own hs_gas_charge. The metered module
     * goes without the name section, so wasm2c cannot confuse that function with the charge
     * function: it loads, and gas is exact. run: i64.const + call = 1725; callee: nop + end =
     * 1725; i32.const + end = 1725. */
    size_t len, out_len;
    uint8_t *wasm = load_fixture("engine_gas_names", &len), *out;
    hs_wasm_module a, b;
    char err[256];
    cr_assert_eq(hs_wasm_parse(wasm, len, &a, err, sizeof err), HS_WASM_OK, "%s", err);
    cr_assert_eq(a.num_customs, 1, "the fixture has its name section");
    cr_assert_eq(hs_gas_inject(wasm, len, &out, &out_len, err, sizeof err), HS_GAS_OK, "%s", err);
    cr_assert_eq(hs_wasm_parse(out, out_len, &b, err, sizeof err), HS_WASM_OK, "%s", err);
    cr_assert_eq(b.num_customs, 0);
    hs_engine *e;
    hs_module *md = load_metered(out, out_len, 0, &e);
    hs_engine_result rc;
    uint64_t r = 0;
    cr_assert_eq(gas_of_in(md, "run", 0, 0, 100000, &rc, &r), 5175);
    cr_assert_eq(rc, HS_ENGINE_OK);
    cr_assert_eq(r, 7);
    hs_module_free(md);
    hs_engine_free(e);
    hs_wasm_module_free(&a);
    hs_wasm_module_free(&b);
    free(out);
    free(wasm);
}

Test(gas_inject, rewritten_module_shape) {
    size_t len, out_len;
    uint8_t *wasm = load_fixture("engine_gas", &len), *out;
    char err[256];
    cr_assert_eq(hs_gas_inject(wasm, len, &out, &out_len, err, sizeof err), HS_GAS_OK);
    hs_wasm_module a, b;
    cr_assert_eq(hs_wasm_parse(wasm, len, &a, err, sizeof err), HS_WASM_OK);
    cr_assert_eq(hs_wasm_parse(out, out_len, &b, err, sizeof err), HS_WASM_OK, "%s", err);
    cr_assert_eq(b.num_imports, a.num_imports);
    cr_assert_eq(b.num_globals, a.num_globals + 2);
    cr_assert_eq(b.num_exports, a.num_exports + 3);
    const hs_wasm_export *charge = hs_wasm_find_export(&b, HS_GAS_EXPORT_CHARGE);
    cr_assert_not_null(charge);
    /* $charge is appended right after the module's own functions, then the ticks. */
    cr_assert_eq(charge->index, a.num_imported_funcs + a.num_defined_funcs);
    uint32_t ticks = b.num_defined_funcs - a.num_defined_funcs - 1;
    cr_assert_gt(ticks, 1);
    /* Each tick is `i64.const cost; call $charge` with its own cost, a multiple of 115 of at
     * least 1610 (every charge ends at an accounting operator); every call the metered bodies
     * make to a tick is counted, and every tick is called. */
    uint64_t *costs = calloc(ticks, sizeof *costs);
    uint32_t *calls = calloc(ticks, sizeof *calls);
    for (uint32_t k = 0; k < ticks; k++) {
        uint32_t f = a.num_defined_funcs + 1 + k;
        const hs_wasm_functype *t = hs_wasm_func_type(&b, b.num_imported_funcs + f);
        cr_assert(t->num_params == 0 && t->num_results == 0, "tick %u type", k);
        hs_wasm_op_iter it;
        hs_wasm_op op[3];
        hs_wasm_op_iter_init_func(&it, &b, f);
        for (int j = 0; j < 3; j++) cr_assert_eq(hs_wasm_op_next(&it, &op[j]), HS_WASM_OK);
        cr_assert(it.done);
        cr_assert_eq(op[0].code, 0x42); /* i64.const */
        cr_assert_eq(op[1].code, 0x10); /* call */
        cr_assert_eq(op[1].index, charge->index);
        cr_assert_eq(op[2].code, 0x0B);
        costs[k] = op[0].value;
        cr_assert_eq(costs[k] % 115, 0, "tick %u cost %llu", k, (unsigned long long)costs[k]);
        cr_assert_geq(costs[k], 1610);
        for (uint32_t j = 0; j < k; j++) cr_assert_neq(costs[j], costs[k], "ticks %u, %u", j, k);
    }
    for (uint32_t i = 0; i < a.num_defined_funcs; i++) {
        hs_wasm_op_iter it;
        hs_wasm_op op;
        hs_wasm_op_iter_init_func(&it, &b, i);
        while (!it.done) {
            cr_assert_eq(hs_wasm_op_next(&it, &op), HS_WASM_OK, "%s", it.err);
            if (op.code == 0x10 && op.index > charge->index) calls[op.index - charge->index - 1]++;
            cr_assert(op.code != 0x10 || op.index != charge->index, "direct call of $charge");
        }
    }
    for (uint32_t k = 0; k < ticks; k++) cr_assert_gt(calls[k], 0, "tick %u unused", k);
    free(costs);
    free(calls);
    cr_assert_not_null(hs_wasm_find_export(&b, HS_GAS_EXPORT_LEFT));
    cr_assert_not_null(hs_wasm_find_export(&b, HS_GAS_EXPORT_EXHAUSTED));
    /* Every body still decodes. */
    for (uint32_t i = 0; i < b.num_defined_funcs; i++) {
        hs_wasm_op_iter it;
        hs_wasm_op op;
        hs_wasm_op_iter_init_func(&it, &b, i);
        while (!it.done) cr_assert_eq(hs_wasm_op_next(&it, &op), HS_WASM_OK, "%s", it.err);
    }
    /* Deterministic. */
    uint8_t *again;
    size_t again_len;
    cr_assert_eq(hs_gas_inject(wasm, len, &again, &again_len, err, sizeof err), HS_GAS_OK);
    cr_assert_eq(again_len, out_len);
    cr_assert_eq(memcmp(again, out, out_len), 0);
    /* Metering twice is refused (the names are taken). */
    uint8_t *twice;
    size_t twice_len;
    cr_assert_eq(hs_gas_inject(out, out_len, &twice, &twice_len, err, sizeof err),
                 HS_GAS_ERR_RESERVED);
    cr_assert_null(twice);
    hs_wasm_module_free(&a);
    hs_wasm_module_free(&b);
    free(again);
    free(out);
    free(wasm);
}

Test(gas_inject, module_without_globals_exports_or_types) {
    /* (module (func)) — the injector must create the missing sections in order. */
    const uint8_t wasm[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
                            0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
    uint8_t *out;
    size_t out_len;
    char err[256];
    cr_assert_eq(hs_gas_inject(wasm, sizeof wasm, &out, &out_len, err, sizeof err), HS_GAS_OK, "%s",
                 err);
    hs_wasm_module m;
    cr_assert_eq(hs_wasm_parse(out, out_len, &m, err, sizeof err), HS_WASM_OK, "%s", err);
    cr_assert_eq(m.num_types, 2); /* () -> () was there (the ticks use it); (i64) -> () added */
    cr_assert_eq(m.num_globals, 2);
    cr_assert_eq(m.num_exports, 3);
    cr_assert_eq(m.num_defined_funcs, 3); /* the function, $charge, one tick (the `end`: 1610) */
    hs_wasm_module_free(&m);
    free(out);
}

Test(gas_inject, fail_invalid_module) {
    const uint8_t junk[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x05};
    uint8_t *out = (uint8_t *)1;
    size_t out_len;
    char err[256];
    cr_assert_eq(hs_gas_inject(junk, sizeof junk, &out, &out_len, err, sizeof err),
                 HS_GAS_ERR_PARSE);
    cr_assert_null(out);
    cr_assert(err[0]);
}

/* test_wasm_check.c — Criterion tests for host-sim's wasm parser and CosmWasm validator: exact
 * violation lines for hand-made bad modules (tests/wasm/NAME.wat, built into HS_TEST_WASM_DIR, and
 * byte arrays assembled here), truncation/garbage robustness, and the `check` CLI. Operator
 * offsets are those of wabt 1.0.32's wat2wasm output. */
#include "wasm_check.h"
#include "wasm_parse.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#ifndef HS_TEST_WASM_DIR
#define HS_TEST_WASM_DIR "build/tests/wasm"
#endif
#ifndef HS_TEST_HOST_SIM_BIN
#define HS_TEST_HOST_SIM_BIN "build/bin/host-sim"
#endif

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                      */

typedef struct bytes {
    uint8_t *data;
    size_t len;
    size_t cap;
} bytes;

static void put(bytes *b, uint8_t v) {
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 256;
        b->data = realloc(b->data, b->cap);
        cr_assert_not_null(b->data);
    }
    b->data[b->len++] = v;
}

static void put_raw(bytes *b, const void *p, size_t n) {
    for (size_t i = 0; i < n; i++) put(b, ((const uint8_t *)p)[i]);
}

static void put_u32(bytes *b, uint32_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        put(b, byte | (v ? 0x80 : 0));
    } while (v);
}

static void put_name(bytes *b, const char *s) {
    put_u32(b, (uint32_t)strlen(s));
    put_raw(b, s, strlen(s));
}

static void put_section(bytes *module, uint8_t id, bytes *content) {
    put(module, id);
    put_u32(module, (uint32_t)content->len);
    put_raw(module, content->data, content->len);
    free(content->data);
    memset(content, 0, sizeof *content);
}

static void put_header(bytes *b) {
    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    put_raw(b, header, sizeof header);
}

static uint8_t *read_whole_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s (run `make test-wasm-check` to build fixtures)", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = malloc(size > 0 ? (size_t)size : 1);
    cr_assert_not_null(data);
    *len = fread(data, 1, (size_t)size, f);
    fclose(f);
    return data;
}

static uint8_t *fixture(const char *name, size_t *len) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s.wasm", HS_TEST_WASM_DIR, name);
    return read_whole_file(path, len);
}

/* Check `data` and require exactly the NULL-terminated list of lines, in order. */
static void expect_lines_v(const uint8_t *data, size_t len, const hs_check_limits *limits,
                           const char *const *want) {
    hs_check_report r;
    int n = hs_wasm_check_with(data, len, limits, &r);
    size_t nwant = 0;
    while (want[nwant]) nwant++;
    char got[4096] = "";
    for (size_t i = 0; i < r.count; i++) {
        strncat(got, r.lines[i], sizeof got - strlen(got) - 2);
        strncat(got, "\n", sizeof got - strlen(got) - 1);
    }
    cr_assert_eq((size_t)n, nwant, "expected %zu violations, got %d:\n%s", nwant, n, got);
    for (size_t i = 0; i < nwant; i++)
        cr_assert_str_eq(r.lines[i], want[i], "line %zu differs; all lines:\n%s", i, got);
    hs_check_report_free(&r);
}

#define EXPECT_LINES(data, len, ...)                                                               \
    do {                                                                                           \
        const char *const want_[] = {__VA_ARGS__, NULL};                                           \
        expect_lines_v((data), (len), NULL, want_);                                                \
    } while (0)

#define EXPECT_VALID(data, len)                                                                    \
    do {                                                                                           \
        const char *const want_[] = {NULL};                                                        \
        expect_lines_v((data), (len), NULL, want_);                                                \
    } while (0)

#define EXPECT_FIXTURE(name, ...)                                                                  \
    do {                                                                                           \
        size_t len_;                                                                               \
        uint8_t *data_ = fixture(name, &len_);                                                     \
        EXPECT_LINES(data_, len_, __VA_ARGS__);                                                    \
        free(data_);                                                                               \
    } while (0)

/* A contract skeleton assembled from bytes, for what wat2wasm cannot or should not write.
 * Types: 0 = () -> (), 1 = (i32) -> i32, 2 = (i32) -> (), 3 = extra_type (if given).
 * Functions: imports (env.db_read, type 1), then allocate, deallocate, interface_version_8,
 * then `extra_funcs` functions of type `extra_func_type` with body `extra_body`. */
typedef struct skeleton {
    uint32_t imports;
    const uint8_t *extra_type; /* encoded functype (starting 0x60) */
    size_t extra_type_len;
    uint32_t extra_funcs;
    uint32_t extra_func_type;
    const uint8_t *extra_body; /* locals + code, without the size */
    size_t extra_body_len;
    const uint8_t *memory_section; /* content; NULL = one memory of 1 page */
    size_t memory_section_len;
    size_t custom_bytes; /* add a custom section with this much payload */
} skeleton;

static bytes build(const skeleton *s) {
    bytes m = {0}, sec = {0};
    put_header(&m);
    /* types */
    put_u32(&sec, s->extra_type ? 4 : 3);
    put_raw(&sec, "\x60\x00\x00", 3);
    put_raw(&sec, "\x60\x01\x7f\x01\x7f", 5);
    put_raw(&sec, "\x60\x01\x7f\x00", 4);
    if (s->extra_type) put_raw(&sec, s->extra_type, s->extra_type_len);
    put_section(&m, 1, &sec);
    /* imports */
    if (s->imports) {
        put_u32(&sec, s->imports);
        for (uint32_t i = 0; i < s->imports; i++) {
            put_name(&sec, "env");
            put_name(&sec, "db_read");
            put(&sec, 0x00);
            put_u32(&sec, 1);
        }
        put_section(&m, 2, &sec);
    }
    /* functions */
    put_u32(&sec, 3 + s->extra_funcs);
    put_raw(&sec, "\x01\x02\x00", 3);
    for (uint32_t i = 0; i < s->extra_funcs; i++) put_u32(&sec, s->extra_func_type);
    put_section(&m, 3, &sec);
    /* memory */
    if (s->memory_section)
        put_raw(&sec, s->memory_section, s->memory_section_len);
    else
        put_raw(&sec, "\x01\x00\x01", 3);
    put_section(&m, 5, &sec);
    /* exports */
    put_u32(&sec, 4);
    put_name(&sec, "memory");
    put(&sec, 0x02);
    put_u32(&sec, 0);
    put_name(&sec, "allocate");
    put(&sec, 0x00);
    put_u32(&sec, s->imports + 0);
    put_name(&sec, "deallocate");
    put(&sec, 0x00);
    put_u32(&sec, s->imports + 1);
    put_name(&sec, "interface_version_8");
    put(&sec, 0x00);
    put_u32(&sec, s->imports + 2);
    put_section(&m, 7, &sec);
    /* code */
    put_u32(&sec, 3 + s->extra_funcs);
    put_raw(&sec, "\x04\x00\x20\x00\x0b", 5); /* allocate: local.get 0; end */
    put_raw(&sec, "\x02\x00\x0b", 3);         /* deallocate */
    put_raw(&sec, "\x02\x00\x0b", 3);         /* interface_version_8 */
    for (uint32_t i = 0; i < s->extra_funcs; i++) {
        put_u32(&sec, (uint32_t)s->extra_body_len);
        put_raw(&sec, s->extra_body, s->extra_body_len);
    }
    put_section(&m, 10, &sec);
    if (s->custom_bytes) {
        put_name(&sec, "padding");
        for (size_t i = 0; i < s->custom_bytes; i++) put(&sec, 0);
        put_section(&m, 0, &sec);
    }
    return m;
}

/* ------------------------------------------------------------------------------------------ */
/* Valid modules                                                                                */

Test(wasm_check, passes_valid_minimal) {
    size_t len;
    uint8_t *data = fixture("valid_minimal", &len);
    EXPECT_VALID(data, len);
    free(data);
}

Test(wasm_check, passes_sign_ext_and_mutable_global) {
    size_t len;
    uint8_t *data = fixture("valid_sign_ext_mutable_global", &len);
    EXPECT_VALID(data, len);
    free(data);
}

Test(wasm_check, passes_start_section) {
    size_t len;
    uint8_t *data = fixture("valid_start_section", &len);
    EXPECT_VALID(data, len);
    free(data);
}

Test(wasm_check, passes_table_with_max_at_limit) {
    size_t len;
    uint8_t *data = fixture("valid_table_bounded", &len);
    EXPECT_VALID(data, len);
    free(data);
}

Test(wasm_check, passes_hand_built_skeleton) {
    skeleton s = {.imports = 1};
    bytes m = build(&s);
    EXPECT_VALID(m.data, m.len);
    free(m.data);
}

Test(wasm_check, passes_floats_when_allowed) {
    size_t len;
    uint8_t *data = fixture("float_op", &len);
    hs_check_limits limits;
    hs_check_limits_default(&limits);
    limits.allow_floats = true;
    const char *const none[] = {NULL};
    expect_lines_v(data, len, &limits, none);
    free(data);
}

/* ------------------------------------------------------------------------------------------ */
/* Feature set: MVP + sign-ext + mutable-globals only, no floats                                */

Test(wasm_check, fail_bulk_memory_copy) {
    EXPECT_FIXTURE("bulk_memory_copy",
                   "bulk-memory operator memory.copy in function 5 at offset 0xa5");
}

Test(wasm_check, fail_bulk_memory_fill) {
    EXPECT_FIXTURE("bulk_memory_fill",
                   "bulk-memory operator memory.fill in function 5 at offset 0xa5");
}

Test(wasm_check, fail_passive_data_segment) {
    EXPECT_FIXTURE("passive_data", "bulk-memory data count section",
                   "bulk-memory passive data segment 0",
                   "bulk-memory operator data.drop in function 5 at offset 0x9c");
}

Test(wasm_check, fail_float_operator) {
    EXPECT_FIXTURE("float_op", "float type f64 in type 4",
                   "float operator f64.add in function 5 at offset 0xa3");
}

Test(wasm_check, fail_float_local_and_global) {
    EXPECT_FIXTURE("float_local_global", "float global f32 in global 0",
                   "float local f32 in function 5");
}

Test(wasm_check, fail_saturating_trunc_is_float) {
    EXPECT_FIXTURE("saturating_trunc", "float operator f64.const in function 5 at offset 0x99",
                   "float operator i32.trunc_sat_f64_s in function 5 at offset 0xa2");
}

Test(wasm_check, fail_simd) {
    EXPECT_FIXTURE("simd_op", "simd value type v128 in function 5",
                   "simd operator v128.const in function 5 at offset 0x9b",
                   "simd operator i8x16.add in function 5 at offset 0xaf");
}

Test(wasm_check, fail_reference_types) {
    EXPECT_FIXTURE("reference_types", "reference-types value type externref in type 4",
                   "reference-types value type funcref in type 5",
                   "reference-types element segment 0 (flags 0x3)",
                   "reference-types operator ref.is_null in function 5 at offset 0xb3",
                   "reference-types operator ref.func in function 6 at offset 0xb7");
}

Test(wasm_check, fail_threads) {
    EXPECT_FIXTURE("threads_op", "threads shared memory 0",
                   "memory 0 has a maximum (must be unset)",
                   "threads operator i32.atomic.load in function 5 at offset 0x9c");
}

Test(wasm_check, fail_tail_call) {
    EXPECT_FIXTURE("tail_call", "tail-call operator return_call in function 5 at offset 0x9b");
}

Test(wasm_check, fail_multi_value_block) {
    EXPECT_FIXTURE("multi_value_block",
                   "multi-value block type (type 0) on block in function 5 at offset 0x9b");
}

Test(wasm_check, fail_exceptions) {
    EXPECT_FIXTURE("exceptions", "exceptions operator try in function 5 at offset 0x99",
                   "exceptions operator catch_all in function 5 at offset 0x9c");
}

Test(wasm_check, fail_many_float_operators_are_summarised) {
    /* 60 x (f32.const 0; drop) in one function: 50 listed, then one summary line. */
    uint8_t body[1 + 60 * 6 + 1];
    size_t n = 0;
    body[n++] = 0x00; /* no locals */
    for (int i = 0; i < 60; i++) {
        body[n++] = 0x43;
        body[n++] = 0;
        body[n++] = 0;
        body[n++] = 0;
        body[n++] = 0;
        body[n++] = 0x1a;
    }
    body[n++] = 0x0b;
    skeleton s = {.extra_funcs = 1, .extra_func_type = 0, .extra_body = body, .extra_body_len = n};
    bytes m = build(&s);
    hs_check_report r;
    int count = hs_wasm_check(m.data, m.len, &r);
    cr_assert_eq(count, 51);
    cr_assert_str_eq(r.lines[0], "float operator f32.const in function 3 at offset 0x6f");
    cr_assert_str_eq(r.lines[50], "float operator lines truncated: 10 more not listed");
    hs_check_report_free(&r);
    free(m.data);
}

/* ------------------------------------------------------------------------------------------ */
/* Imports                                                                                      */

Test(wasm_check, fail_foreign_imports) {
    EXPECT_FIXTURE("foreign_import", "import env.foo is not supported",
                   "import wasi_snapshot_preview1.fd_write is not supported",
                   "import env.memcpy is not supported");
}

Test(wasm_check, fail_import_not_a_function) {
    EXPECT_FIXTURE("import_not_function", "0 memories (exactly one required)",
                   "import env.db_read is not a function (only function imports are supported)",
                   "import env.memory is not supported");
}

Test(wasm_check, fail_too_many_imports) {
    skeleton s = {.imports = 101};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len, "too many imports: 101 (limit 100)");
    free(m.data);
    s.imports = 100;
    m = build(&s);
    EXPECT_VALID(m.data, m.len);
    free(m.data);
}

/* ------------------------------------------------------------------------------------------ */
/* Memories and tables                                                                          */

Test(wasm_check, fail_memory_maximum_set) {
    EXPECT_FIXTURE("memory_max", "memory 0 has a maximum (must be unset)");
}

Test(wasm_check, fail_memory_too_large) {
    EXPECT_FIXTURE("memory_too_large", "memory 0 initial size 513 pages exceeds limit 512");
}

Test(wasm_check, fail_two_memories) {
    /* wat2wasm refuses two memories without multi-memory; write the section by hand. */
    static const uint8_t two[] = {0x02, 0x00, 0x09, 0x00, 0x09};
    skeleton s = {.memory_section = two, .memory_section_len = sizeof two};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len, "2 memories (exactly one required)");
    free(m.data);
}

Test(wasm_check, fail_zero_memories) {
    static const uint8_t none[] = {0x00};
    skeleton s = {.memory_section = none, .memory_section_len = sizeof none};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len, "0 memories (exactly one required)",
                 "invalid wasm: export memory refers to memory 0 (only 0)");
    free(m.data);
}

Test(wasm_check, fail_table_too_large) {
    EXPECT_FIXTURE("table_too_large", "table 0 maximum 3000 exceeds limit 2500");
}

Test(wasm_check, fail_table_unbounded) {
    EXPECT_FIXTURE("table_unbounded", "table 0 has no maximum (must be bounded)");
}

Test(wasm_check, fail_two_tables) {
    EXPECT_FIXTURE("two_tables", "2 tables (at most one allowed)");
}

/* ------------------------------------------------------------------------------------------ */
/* Exports                                                                                      */

Test(wasm_check, fail_missing_exports) {
    EXPECT_FIXTURE("missing_exports", "missing export interface_version_8",
                   "missing export allocate", "missing export deallocate", "missing export memory");
}

Test(wasm_check, fail_old_interface_version) {
    EXPECT_FIXTURE("interface_version_7", "unsupported interface version export "
                                          "interface_version_7 (only interface_version_8 is "
                                          "supported)");
}

Test(wasm_check, fail_two_interface_versions_and_allocate_not_function) {
    EXPECT_FIXTURE("interface_version_twice",
                   "multiple interface_version_* exports (exactly one required)",
                   "export allocate is not a function");
}

/* ------------------------------------------------------------------------------------------ */
/* Function limits                                                                              */

Test(wasm_check, fail_too_many_functions) {
    static const uint8_t body[] = {0x00, 0x0b};
    /* allocate, deallocate, interface_version_8 + extra functions = 20000, then 20001. */
    skeleton s = {.extra_funcs = 20000 - 3, .extra_body = body, .extra_body_len = sizeof body};
    bytes m = build(&s);
    EXPECT_VALID(m.data, m.len);
    free(m.data);
    s.extra_funcs = 20001 - 3;
    m = build(&s);
    EXPECT_LINES(m.data, m.len, "too many functions: 20001 (limit 20000)");
    free(m.data);
}

Test(wasm_check, fail_too_many_params) {
    uint8_t type[2 + 101 + 1];
    type[0] = 0x60;
    type[1] = 101;
    memset(type + 2, 0x7f, 101);
    type[2 + 101] = 0x00;
    skeleton s = {.extra_type = type, .extra_type_len = sizeof type};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len, "type 3 has 101 params (limit 100)");
    free(m.data);
}

Test(wasm_check, fail_too_many_results) {
    static const uint8_t type[] = {0x60, 0x00, 0x02, 0x7f, 0x7f};
    skeleton s = {.extra_type = type, .extra_type_len = sizeof type};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len, "type 3 has 2 results (limit 1)");
    free(m.data);
}

Test(wasm_check, fail_too_many_params_in_total) {
    /* 101 functions with 100 params each = 10100 (+ allocate's and deallocate's 2). */
    uint8_t type[2 + 100 + 1];
    type[0] = 0x60;
    type[1] = 100;
    memset(type + 2, 0x7f, 100);
    type[2 + 100] = 0x00;
    static const uint8_t body[] = {0x00, 0x0b};
    skeleton s = {.extra_type = type,
                  .extra_type_len = sizeof type,
                  .extra_funcs = 101,
                  .extra_func_type = 3,
                  .extra_body = body,
                  .extra_body_len = sizeof body};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len, "total function params 10102 exceeds limit 10000");
    free(m.data);
}

Test(wasm_check, fail_module_too_large) {
    skeleton s = {.custom_bytes = 820000};
    bytes m = build(&s);
    char want[128];
    snprintf(want, sizeof want, "module size %zu bytes exceeds 819200 (wasmd upload limit)", m.len);
    EXPECT_LINES(m.data, m.len, want);
    free(m.data);
}

/* ------------------------------------------------------------------------------------------ */
/* Malformed input                                                                              */

Test(wasm_check, fail_bad_magic) {
    static const uint8_t data[] = {0x7f, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00};
    EXPECT_LINES(data, sizeof data,
                 "invalid wasm: malformed: bad magic number: not a wasm binary (expected 00 61 "
                 "73 6d)");
}

Test(wasm_check, fail_wrong_version) {
    static const uint8_t data[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
    EXPECT_LINES(data, sizeof data,
                 "invalid wasm: unsupported: binary version 2 is not supported (expected 1)");
}

Test(wasm_check, fail_empty_and_short_files) {
    EXPECT_LINES((const uint8_t *)"", 0,
                 "invalid wasm: truncated: empty file (expected the wasm header 00 61 73 6d)");
    static const uint8_t short_header[] = {0x00, 0x61, 0x73};
    EXPECT_LINES(short_header, sizeof short_header,
                 "invalid wasm: truncated: header at offset 0: need 8 bytes, file has 3");
}

Test(wasm_check, fail_garbage) {
    static const char text[] = "this is not a wasm module at all";
    EXPECT_LINES((const uint8_t *)text, sizeof text - 1,
                 "invalid wasm: malformed: bad magic number: not a wasm binary (expected 00 61 "
                 "73 6d)");
    static const uint8_t after_header[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00,
                                           0x00, 0x00, 0xff, 0x13, 0x37, 0x00};
    EXPECT_LINES(after_header, sizeof after_header,
                 "invalid wasm: malformed: unknown section id 255 at offset 8");
}

Test(wasm_check, fail_truncated_at_several_points) {
    size_t len;
    uint8_t *data = fixture("valid_minimal", &len);
    /* Inside the first section's size, inside the type section, inside the code section. */
    EXPECT_LINES(data, 9,
                 "invalid wasm: truncated: section 1 (type) at offset 8: section size at offset "
                 "9 runs past the end");
    EXPECT_LINES(data, 14,
                 "invalid wasm: truncated: section 1 (type) at offset 8: declares 20 bytes but "
                 "only 4 remain");
    EXPECT_LINES(data, len - 1,
                 "invalid wasm: truncated: section 10 (code) at offset 131: declares 17 bytes "
                 "but only 16 remain");
    /* Every prefix must be rejected without crashing, with a truncation message whenever the
     * cut falls inside a section. */
    for (size_t cut = 0; cut < len; cut++) {
        hs_check_report r;
        int n = hs_wasm_check(data, cut, &r);
        cr_assert_gt(n, 0, "prefix of %zu bytes was accepted", cut);
        hs_check_report_free(&r);
    }
    free(data);
}

Test(wasm_check, fail_truncated_function_body) {
    /* A body whose size covers only `local.get 0` (no final end). */
    static const uint8_t body[] = {0x00, 0x20, 0x00};
    skeleton s = {
        .extra_funcs = 1, .extra_func_type = 2, .extra_body = body, .extra_body_len = sizeof body};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len,
                 "invalid wasm: truncated: missing final end at offset 0x6f in function 3");
    free(m.data);
}

Test(wasm_check, fail_unknown_opcode_and_bad_index) {
    static const uint8_t body[] = {0x00, 0xd7, 0x0b};
    skeleton s = {.extra_funcs = 1, .extra_body = body, .extra_body_len = sizeof body};
    bytes m = build(&s);
    EXPECT_LINES(m.data, m.len,
                 "invalid wasm: malformed: unknown opcode 0xd7 at offset 0x6d in function 3");
    free(m.data);
    static const uint8_t body2[] = {0x00, 0x20, 0x05, 0x1a, 0x10, 0x63, 0x0b};
    s.extra_body = body2;
    s.extra_body_len = sizeof body2;
    m = build(&s);
    EXPECT_LINES(m.data, m.len, "invalid wasm: local 5 out of range in function 3 at offset 0x6d",
                 "invalid wasm: function 99 out of range in function 3 at offset 0x70");
    free(m.data);
}

Test(wasm_check, fail_overlong_leb) {
    /* Section size written in 6 bytes; then a 5-byte u32 with unused high bits set. */
    static const uint8_t six[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                  0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    EXPECT_LINES(six, sizeof six,
                 "invalid wasm: malformed: section 1 (type) at offset 8: bad LEB128 section size "
                 "at offset 9 (too long or too large)");
    static const uint8_t high[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00,
                                   0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0x1f};
    EXPECT_LINES(high, sizeof high,
                 "invalid wasm: malformed: section 1 (type) at offset 8: bad LEB128 section size "
                 "at offset 9 (too long or too large)");
}

Test(wasm_check, fail_sections_out_of_order) {
    static const uint8_t data[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                   0x05, 0x03, 0x01, 0x00, 0x01, 0x01, 0x01, 0x00};
    EXPECT_LINES(data, sizeof data,
                 "invalid wasm: malformed: section 1 (type) at offset 13: section out of order "
                 "or repeated");
}

Test(wasm_check, survives_random_corruption) {
    const char *names[] = {"valid_minimal", "simd_op", "reference_types", "passive_data"};
    uint32_t seed = 12345;
    for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
        size_t len;
        uint8_t *orig = fixture(names[f], &len);
        uint8_t *copy = malloc(len);
        for (int iter = 0; iter < 3000; iter++) {
            memcpy(copy, orig, len);
            int flips = 1 + iter % 4;
            for (int k = 0; k < flips; k++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = 8 + (seed >> 8) % (len - 8);
                seed = seed * 1103515245u + 12345u;
                copy[at] ^= (uint8_t)(1u << ((seed >> 16) % 8));
            }
            seed = seed * 1103515245u + 12345u;
            size_t cut = iter % 3 == 0 ? (seed >> 4) % (len + 1) : len;
            hs_check_report r;
            int n = hs_wasm_check(copy, cut, &r);
            cr_assert_geq(n, 0);
            cr_assert_eq((size_t)n, r.count);
            hs_check_report_free(&r);
        }
        free(copy);
        free(orig);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Parser API                                                                                   */

Test(wasm_parse, leb128_limits) {
    size_t pos = 0;
    uint32_t u;
    int32_t s;
    static const uint8_t padded_zero[] = {0x80, 0x80, 0x80, 0x80, 0x00};
    cr_assert(hs_wasm_read_u32(padded_zero, sizeof padded_zero, &pos, &u));
    cr_assert_eq(u, 0);
    cr_assert_eq(pos, 5);
    static const uint8_t max_u32[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    pos = 0;
    cr_assert(hs_wasm_read_u32(max_u32, sizeof max_u32, &pos, &u));
    cr_assert_eq(u, UINT32_MAX);
    static const uint8_t too_big[] = {0xff, 0xff, 0xff, 0xff, 0x1f};
    pos = 0;
    cr_assert_not(hs_wasm_read_u32(too_big, sizeof too_big, &pos, &u));
    cr_assert_eq(pos, 0);
    static const uint8_t too_long[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    cr_assert_not(hs_wasm_read_u32(too_long, sizeof too_long, &pos, &u));
    cr_assert_not(hs_wasm_read_u32(too_long, 3, &pos, &u)); /* truncated */
    static const uint8_t minus_one[] = {0xff, 0xff, 0xff, 0xff, 0x7f};
    pos = 0;
    cr_assert(hs_wasm_read_s32(minus_one, sizeof minus_one, &pos, &s));
    cr_assert_eq(s, -1);
    static const uint8_t bad_sign[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    pos = 0;
    cr_assert_not(hs_wasm_read_s32(bad_sign, sizeof bad_sign, &pos, &s));
    static const uint8_t min_s64[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
    int64_t s64;
    pos = 0;
    cr_assert(hs_wasm_read_s64(min_s64, sizeof min_s64, &pos, &s64));
    cr_assert_eq(s64, INT64_MIN);
}

Test(wasm_parse, module_structure_and_operator_iterator) {
    size_t len;
    uint8_t *data = fixture("valid_table_bounded", &len);
    hs_wasm_module m;
    char err[256];
    cr_assert_eq(hs_wasm_parse(data, len, &m, err, sizeof err), HS_WASM_OK, "%s", err);
    cr_assert_eq(m.num_imports, 1);
    cr_assert_str_eq(m.imports[0].module.str, "env");
    cr_assert_str_eq(m.imports[0].field.str, "db_read");
    cr_assert_eq(m.num_imported_funcs, 1);
    cr_assert_eq(m.num_defined_funcs, 4);
    cr_assert_eq(hs_wasm_num_funcs(&m), 5);
    cr_assert_eq(m.num_tables, 1);
    cr_assert_eq(m.tables[0].limits.max, 2500);
    cr_assert_eq(m.num_memories, 1);
    cr_assert_eq(m.num_elems, 1);
    cr_assert_eq(m.elems[0].num_elems, 2);
    cr_assert_eq(m.elems[0].func_indices[1], 2);
    const hs_wasm_export *e = hs_wasm_find_export(&m, "instantiate");
    cr_assert_not_null(e);
    cr_assert_eq(e->index, 4);
    const hs_wasm_functype *t = hs_wasm_func_type(&m, 4);
    cr_assert_eq(t->num_params, 3);
    cr_assert_eq(t->num_results, 1);
    /* allocate = local.get 0; end */
    hs_wasm_op_iter it;
    hs_wasm_op op;
    hs_wasm_op_iter_init_func(&it, &m, 0);
    cr_assert_eq(hs_wasm_op_next(&it, &op), HS_WASM_OK);
    cr_assert_str_eq(op.name, "local.get");
    cr_assert_eq(op.imm, HS_WASM_IMM_LOCAL);
    cr_assert_eq(op.length, 2);
    cr_assert_eq(op.offset, m.funcs[0].code_offset);
    cr_assert_not(it.done);
    cr_assert_eq(hs_wasm_op_next(&it, &op), HS_WASM_OK);
    cr_assert_str_eq(op.name, "end");
    cr_assert(it.done);
    hs_wasm_module_free(&m);
    free(data);
}

Test(wasm_parse, br_table_targets_and_block_depth) {
    /* block block (br_table 0 1 1) end end end */
    static const uint8_t body[] = {0x00, 0x02, 0x40, 0x02, 0x40, 0x41, 0x00, 0x0e,
                                   0x02, 0x00, 0x01, 0x01, 0x0b, 0x0b, 0x0b};
    skeleton s = {.extra_funcs = 1, .extra_body = body, .extra_body_len = sizeof body};
    bytes b = build(&s);
    hs_wasm_module m;
    char err[256];
    cr_assert_eq(hs_wasm_parse(b.data, b.len, &m, err, sizeof err), HS_WASM_OK, "%s", err);
    hs_wasm_op_iter it;
    hs_wasm_op op;
    hs_wasm_op_iter_init_func(&it, &m, 3);
    int ops = 0;
    bool saw_table = false;
    while (!it.done) {
        cr_assert_eq(hs_wasm_op_next(&it, &op), HS_WASM_OK, "%s", it.err);
        ops++;
        if (op.imm == HS_WASM_IMM_BR_TABLE) {
            uint32_t targets[4];
            cr_assert_eq(hs_wasm_br_table_targets(&m, &op, targets, 4), 2);
            cr_assert_eq(targets[0], 0);
            cr_assert_eq(targets[1], 1);
            cr_assert_eq(op.br_default, 1);
            cr_assert_eq(it.depth, 2);
            saw_table = true;
        }
    }
    cr_assert(saw_table);
    cr_assert_eq(ops, 7);
    hs_wasm_module_free(&m);
    free(b.data);
}

Test(wasm_parse, error_message_names_section_and_offset) {
    size_t len;
    uint8_t *data = fixture("valid_minimal", &len);
    hs_wasm_module m;
    char err[256];
    cr_assert_eq(hs_wasm_parse(data, len - 1, &m, err, sizeof err), HS_WASM_ERR_TRUNCATED);
    cr_assert_str_eq(err, "truncated: section 10 (code) at offset 131: declares 17 bytes but only "
                          "16 remain");
    cr_assert_str_eq(hs_wasm_strerror(HS_WASM_ERR_TRUNCATED), "truncated");
    hs_wasm_module_free(&m); /* harmless after failure */
    free(data);
}

/* ------------------------------------------------------------------------------------------ */
/* CLI                                                                                          */

static int run_cli(const char *args, char *out, size_t outlen) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", HS_TEST_HOST_SIM_BIN, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(cli, check_prints_ok_and_violations) {
    FILE *f = fopen(HS_TEST_HOST_SIM_BIN, "rb");
    if (!f) cr_skip_test("%s not built", HS_TEST_HOST_SIM_BIN);
    fclose(f);
    char out[2048];
    cr_assert_eq(run_cli(HS_TEST_WASM_DIR "/valid_minimal.wasm", out, sizeof out), 2);
    cr_assert_eq(run_cli("check " HS_TEST_WASM_DIR "/valid_minimal.wasm", out, sizeof out), 0);
    cr_assert_str_eq(out, "ok valid_minimal.wasm 150\n");
    cr_assert_eq(run_cli("check " HS_TEST_WASM_DIR "/valid_minimal.wasm " HS_TEST_WASM_DIR
                         "/memory_max.wasm",
                         out, sizeof out),
                 1);
    cr_assert_str_eq(out, "ok valid_minimal.wasm 150\n" HS_TEST_WASM_DIR
                          "/memory_max.wasm: memory 0 has a maximum (must be unset)\n");
    cr_assert_eq(run_cli("check /nonexistent/x.wasm", out, sizeof out), 1);
    cr_assert_str_eq(out, "/nonexistent/x.wasm: cannot read file: No such file or directory\n");
}

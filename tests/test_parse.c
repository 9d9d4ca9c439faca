/* Tests for the strict struct-field walk (sdk/src/cw_parse.c, cw_parse.h): values land at
 * their offsets, optional fields set their present flags (not for null), unknown, duplicate
 * and missing fields fail with serde's texts, escaped keys match, and the contract's own
 * value parser and unknown-field text are used. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cw_arena.h"
#include "cw_parse.h"

enum { K_STRING, K_U64 };

typedef struct rec {
    cw_json name;
    uint64_t count;
    bool has_count;
} rec;

static const cw_field FIELDS[] = {
    CW_REQ(rec, "name", K_STRING, name),
    CW_OPT(rec, "count", K_U64, count, has_count),
};

static cw_error *parse_value(const cw_field *f, cw_json v, void *out) {
    if (f->kind == K_U64) return cw_json_u64(v, (uint64_t *)out);
    if (v.type != CW_JSON_STRING) return cw_errorf("expected a string for `%s`", f->name);
    *(cw_json *)out = v;
    return NULL;
}

static cw_error *unknown(cw_str name, const cw_field *fields, size_t n) {
    return cw_errorf("unknown field `%S` (%s of %u)", name, fields[0].name, (unsigned)n);
}

/* Parse `json` into *r; returns the error text (static) or NULL. */
static const char *parse(const char *json, rec *r) {
    static char text[256];
    cw_json root;
    cr_assert_null(cw_json_parse(cw_cstr(json), &root));
    memset(r, 0, sizeof *r);
    cw_error *e = cw_parse_fields(root, FIELDS, 2, r, parse_value, unknown);
    cw_release_all();
    if (!e) return NULL;
    snprintf(text, sizeof text, "%s", e->msg);
    cw_error_free(e);
    return text;
}

Test(parse, fields_land_at_their_offsets) {
    rec r;
    cr_assert_null(parse("{\"count\":7,\"name\":\"a\"}", &r));
    cr_assert_eq(r.count, 7);
    cr_assert(r.has_count);
    cr_assert_eq(r.name.type, CW_JSON_STRING);
    cr_assert_null(parse("{\"name\":\"a\"}", &r));
    cr_assert(!r.has_count);
}

Test(parse, optional_null_is_absent) {
    rec r;
    cr_assert_null(parse("{\"name\":\"a\",\"count\":null}", &r));
    cr_assert(!r.has_count);
    cr_assert_eq(r.count, 0);
}

Test(parse, unknown_duplicate_missing) {
    rec r;
    cr_assert_str_eq(parse("{\"name\":\"a\",\"x\":1}", &r), "unknown field `x` (name of 2)");
    cr_assert_str_eq(parse("{\"name\":\"a\",\"name\":\"b\"}", &r), "duplicate field `name`");
    cr_assert_str_eq(parse("{\"count\":1}", &r), "missing field `name`");
    cr_assert_str_eq(parse("{\"name\":null}", &r), "expected a string for `name`");
}

Test(parse, escaped_keys_are_unescaped) {
    rec r;
    cr_assert_null(parse("{\"n\\u0061me\":\"a\"}", &r));
    cr_assert_str_eq(parse("{\"name\":\"a\",\"\\u0078\":1}", &r), "unknown field `x` (name of 2)");
}

Test(parse, json_key_copies_only_when_escaped) {
    const char *raw = "plain";
    cw_str k = cw_json_key(cw_cstr(raw));
    cr_assert_eq(k.ptr, raw);
    cw_str e = cw_json_key(cw_cstr("a\\tb"));
    cr_assert_eq(e.len, 3);
    cr_assert_eq(memcmp(e.ptr, "a\tb", 3), 0);
    cw_release_all();
}

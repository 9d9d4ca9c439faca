/* Tests for the JSON reader and writer (sdk/src/cw_json.c): a table of valid and invalid
 * documents with exact errors, depth limits, lookups, typed accessors, every writer function,
 * a seeded random write/parse roundtrip and a mutation cross-check against jansson. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_json.h"
#include "cw_mock.h"

/* --- Helpers ----------------------------------------------------------------------------- */

static cw_str S(const char *s) {
    return (cw_str){s, strlen(s)};
}

/* Take the message out of an error (NULL stays NULL); the caller frees the copy. */
static char *take_msg(cw_error *e) {
    if (!e) return NULL;
    char *m = malloc(e->len + 1);
    memcpy(m, e->msg, e->len + 1);
    cw_error_free(e);
    return m;
}

static cw_json parse_ok(const char *doc) {
    cw_json v;
    char *m = take_msg(cw_json_parse(S(doc), &v));
    cr_assert_null(m, "parse of %s failed: %s", doc, m);
    return v;
}

static cw_json parse_buf(const cw_buf *b) {
    cw_json v;
    char *m = take_msg(cw_json_parse(cw_buf_view(b), &v));
    cr_assert_null(m, "parse of %.*s failed: %s", (int)b->len, b->ptr, m);
    return v;
}

static void expect_text(cw_json v, const char *text) {
    cr_assert_eq(v.text.len, strlen(text), "text %.*s, expected %s", (int)v.text.len, v.text.ptr,
                 text);
    cr_assert_eq(memcmp(v.text.ptr, text, v.text.len), 0, "text %.*s, expected %s", (int)v.text.len,
                 v.text.ptr, text);
}

static void expect_err(cw_error *e, const char *expected) {
    char *m = take_msg(e);
    cr_assert_not_null(m, "expected error \"%s\", got success", expected);
    cr_assert_str_eq(m, expected);
    free(m);
}

static void expect_buf(cw_buf *b, const char *expected, size_t len) {
    cr_assert_eq(b->len, len, "output %.*s (%zu bytes), expected %s (%zu bytes)", (int)b->len,
                 b->ptr, b->len, expected, len);
    cr_assert_eq(memcmp(b->ptr, expected, len), 0, "output %.*s, expected %s", (int)b->len, b->ptr,
                 expected);
}
#define EXPECT_BUF(b, lit) expect_buf((b), (lit), sizeof(lit) - 1)

/* jansson's verdict on a document: NULL if valid, else its error text (static). */
static const char *jansson_error(const char *doc, size_t len) {
    static json_error_t err;
    json_t *j = json_loadb(doc, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (j) {
        json_decref(j);
        return NULL;
    }
    return err.text;
}

/* The only disagreements with jansson the cross-checks accept, all jansson limitations:
 * it converts numbers (integers beyond long long and reals beyond double are errors), it
 * cannot store NUL in object keys, and it stops reading at a NUL byte after the value. */
static bool known_jansson_difference(const char *doc, size_t len, const char *ours,
                                     const char *jerr) {
    if (!ours && jerr)
        return strstr(jerr, "too big") || strstr(jerr, "overflow") ||
               strstr(jerr, "NUL byte in object key");
    if (ours && !jerr)
        return memchr(doc, 0, len) && strstr(ours, "trailing characters after the JSON value");
    return false;
}

/* --- The document table ------------------------------------------------------------------ */

typedef struct doc_case {
    const char *doc;
    size_t len;
    long err_at; /* -1: valid */
    const char *err;
} doc_case;

#define Y(s)                                                                                       \
    { s, sizeof(s) - 1, -1, NULL }
#define N(s, at, e)                                                                                \
    { s, sizeof(s) - 1, at, e }

static const doc_case cases[] = {
    /* y_: numbers */
    Y("0"),
    Y("-0"),
    Y("1"),
    Y("-1"),
    Y("123"),
    Y("0.5"),
    Y("-0.0e+0"),
    Y("1E10"),
    Y("1e-10"),
    Y("1.5E+3"),
    Y("12345678901234567890123456789"),
    Y("1e400"),
    Y("[1e5,-2.25E-3,0,\"s\"]"),
    /* y_: literals and whitespace */
    Y("true"),
    Y("false"),
    Y("null"),
    Y(" true "),
    Y("\t\n\r null \n"),
    /* y_: strings */
    Y("\"\""),
    Y("\"abc\""),
    Y("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
    Y("\"\\u0000\""),
    Y("\"\\u00e9\\u00E9\""),
    Y("\"\\uD834\\uDD1E\""),
    Y("\"\\udbff\\udfff\""),
    Y("\"\\uFFFF\""),
    Y("\"\\u20AC\""),
    Y("\"\xc3\xa9\""),
    Y("\"\xe2\x82\xac\""),
    Y("\"\xf0\x9f\x98\x80\""),
    Y("\"\xf4\x8f\xbf\xbf\""),
    Y("\"\xef\xbf\xbf\""),
    Y("\"\xed\x9f\xbf\""),
    Y("\"\xee\x80\x80\""),
    Y("\"\xc2\x80\""),
    Y("\"\x7f\""),
    Y("\"/*not a comment*/\""),
    /* y_: containers */
    Y("[]"),
    Y("{}"),
    Y("[ ]"),
    Y("{ }"),
    Y("[1,2,3]"),
    Y("[[],[[]]]"),
    Y("{\"a\":1}"),
    Y("{\"a\":{\"b\":[true,false,null]}}"),
    Y("{\"\":0}"),
    Y("{\"a\":1,\"a\":2}"),
    Y(" [ 1 , { \"x\" : \"y\" } ] "),
    Y("{\"}\":\"]\",\"[\":[\"{\"]}"),
    /* n_: empty and structure */
    N("", 0, "unexpected end of input, expected a value"),
    N("   ", 3, "unexpected end of input, expected a value"),
    N("[", 1, "unexpected end of input, expected a value"),
    N("{", 1, "unexpected end of input, expected an object key"),
    N("[1", 2, "expected ',' or ']' after array element"),
    N("{\"a\":1", 6, "expected ',' or '}' after object member"),
    N("[1,]", 3, "trailing comma in array"),
    N("[\"a\",]", 5, "trailing comma in array"),
    N("[,1]", 1, "expected a value"),
    N("[1,,2]", 3, "expected a value"),
    N("[1 2]", 3, "expected ',' or ']' after array element"),
    N("[1}", 2, "expected ',' or ']' after array element"),
    N("{\"a\":1,}", 7, "trailing comma in object"),
    N("{\"a\" 1}", 5, "expected ':' after object key"),
    N("{\"a\"}", 4, "expected ':' after object key"),
    N("{\"a\":1,\"b\"}", 10, "expected ':' after object key"),
    N("{\"a\":}", 5, "expected a value"),
    N("{a:1}", 1, "expected a string as object key"),
    N("{1:1}", 1, "expected a string as object key"),
    N("{\"a\":1 \"b\":2}", 7, "expected ',' or '}' after object member"),
    N("{\"a\":1]", 6, "expected ',' or '}' after object member"),
    N("]", 0, "expected a value"),
    N("1 2", 2, "trailing characters after the JSON value"),
    N("{}}", 2, "trailing characters after the JSON value"),
    N("{\"a\":1}x", 7, "trailing characters after the JSON value"),
    N("['a']", 1, "expected a value"),
    /* n_: numbers */
    N("01", 1, "invalid number: leading zero"),
    N("-01", 2, "invalid number: leading zero"),
    N("00", 1, "invalid number: leading zero"),
    N("-", 1, "invalid number: expected a digit"),
    N("-a", 1, "invalid number: expected a digit"),
    N("+1", 0, "expected a value"),
    N(".5", 0, "expected a value"),
    N("1.", 2, "invalid number: expected a digit after '.'"),
    N("1.e5", 2, "invalid number: expected a digit after '.'"),
    N("1e", 2, "invalid number: expected a digit in the exponent"),
    N("1e+", 3, "invalid number: expected a digit in the exponent"),
    N("1E-x", 3, "invalid number: expected a digit in the exponent"),
    N("0x10", 1, "trailing characters after the JSON value"),
    N("NaN", 0, "expected a value"),
    N("Infinity", 0, "expected a value"),
    N("-Infinity", 1, "invalid number: expected a digit"),
    N("[1.5.3]", 4, "expected ',' or ']' after array element"),
    /* n_: literals */
    N("nul", 0, "invalid literal (expected true, false or null)"),
    N("True", 0, "expected a value"),
    N("truex", 4, "trailing characters after the JSON value"),
    N("[tru]", 1, "invalid literal (expected true, false or null)"),
    N("nulll", 4, "trailing characters after the JSON value"),
    /* n_: strings and escapes */
    N("\"abc", 4, "unexpected end of input in string"),
    N("\"\\", 2, "unexpected end of input in string"),
    N("\"\\x\"", 1, "invalid escape in string"),
    N("\"\\'\"", 1, "invalid escape in string"),
    N("\"\\U0041\"", 1, "invalid escape in string"),
    N("\"\\u12\"", 1, "invalid \\u escape (expected 4 hex digits)"),
    N("\"\\u12G4\"", 1, "invalid \\u escape (expected 4 hex digits)"),
    N("\"\\u", 1, "invalid \\u escape (expected 4 hex digits)"),
    N("\"\\uD800\"", 1, "lone leading surrogate in \\u escape"),
    N("\"\\uD800\\u0041\"", 1, "lone leading surrogate in \\u escape"),
    N("\"\\uD800\\uD800\"", 1, "lone leading surrogate in \\u escape"),
    N("\"\\uD800x\"", 1, "lone leading surrogate in \\u escape"),
    N("\"\\uD800\\n\"", 1, "lone leading surrogate in \\u escape"),
    N("\"a\\uD83D\"", 2, "lone leading surrogate in \\u escape"),
    N("\"\\uDC00\"", 1, "lone trailing surrogate in \\u escape"),
    N("\"\\uDFFF\\uD800\"", 1, "lone trailing surrogate in \\u escape"),
    N("\"\x01\"", 1, "control character in string (must be escaped)"),
    N("\"a\tb\"", 2, "control character in string (must be escaped)"),
    N("\"\n\"", 1, "control character in string (must be escaped)"),
    N("\"\x1f\"", 1, "control character in string (must be escaped)"),
    N("\"\0\"", 1, "control character in string (must be escaped)"),
    /* n_: UTF-8 */
    N("\"\x80\"", 1, "invalid UTF-8 in string"),
    N("\"\xc0\xaf\"", 1, "invalid UTF-8 in string"),
    N("\"\xc1\xbf\"", 1, "invalid UTF-8 in string"),
    N("\"\xe0\x80\xaf\"", 1, "invalid UTF-8 in string"),
    N("\"\xe0\x9f\xbf\"", 1, "invalid UTF-8 in string"),
    N("\"\xed\xa0\x80\"", 1, "invalid UTF-8 in string"),
    N("\"\xed\xbf\xbf\"", 1, "invalid UTF-8 in string"),
    N("\"\xf0\x80\x80\xaf\"", 1, "invalid UTF-8 in string"),
    N("\"\xf0\x8f\xbf\xbf\"", 1, "invalid UTF-8 in string"),
    N("\"\xf4\x90\x80\x80\"", 1, "invalid UTF-8 in string"),
    N("\"\xf5\x80\x80\x80\"", 1, "invalid UTF-8 in string"),
    N("\"\xf8\x88\x80\x80\x80\"", 1, "invalid UTF-8 in string"),
    N("\"\xfe\"", 1, "invalid UTF-8 in string"),
    N("\"\xff\"", 1, "invalid UTF-8 in string"),
    N("\"\xc3\"", 1, "invalid UTF-8 in string"),
    N("\"\xe2\x82\"", 1, "invalid UTF-8 in string"),
    N("\"\xf0\x9f\x98\"", 1, "invalid UTF-8 in string"),
    N("\"ab\xc3\"", 3, "invalid UTF-8 in string"),
    N("\"\xc3\xa9\xa9\"", 3, "invalid UTF-8 in string"),
    N("\"\xc3", 1, "invalid UTF-8 in string"),
    N("\xc3\xa9", 0, "expected a value"),
    /* n_: things other parsers accept */
    N("\xef\xbb\xbf{}", 0, "expected a value"),
    N("[1]//c", 3, "trailing characters after the JSON value"),
    N("/*c*/1", 0, "expected a value"),
    N("[1/*c*/]", 2, "expected ',' or ']' after array element"),
    N("[\f1]", 1, "expected a value"),
    N("[1\v]", 2, "expected ',' or ']' after array element"),
    N("\xc2\xa0"
      "1",
      0, "expected a value"),
    N("1\0", 1, "trailing characters after the JSON value"),
    N("undefined", 0, "expected a value"),
    N("{\"a\":1;\"b\":2}", 6, "expected ',' or '}' after object member"),
    N("{\"a\"=1}", 4, "expected ':' after object key"),
};

Test(json, table_exact_outcomes) {
    size_t n_valid = 0, n_invalid = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const doc_case *c = &cases[i];
        cw_json v;
        char *m = take_msg(cw_json_parse((cw_str){c->doc, c->len}, &v));
        if (c->err_at < 0) {
            cr_expect_null(m, "case %zu (%.*s) should be valid, got: %s", i, (int)c->len, c->doc,
                           m);
            n_valid++;
        } else {
            char expected[256];
            snprintf(expected, sizeof expected, "invalid JSON at byte %ld: %s", c->err_at, c->err);
            cr_expect(m && strcmp(m, expected) == 0, "case %zu (%.*s): got \"%s\", expected \"%s\"",
                      i, (int)c->len, c->doc, m ? m : "(valid)", expected);
            n_invalid++;
        }
        free(m);
    }
    cr_assert_gt(n_valid, 40);
    cr_assert_gt(n_invalid, 100);
}

Test(json, table_agrees_with_jansson) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const doc_case *c = &cases[i];
        const char *jerr = jansson_error(c->doc, c->len);
        bool ours = c->err_at < 0;
        if (known_jansson_difference(c->doc, c->len, ours ? NULL : c->err, jerr)) continue;
        cr_expect_eq(ours, jerr == NULL, "case %zu (%.*s): ours %s, jansson %s", i, (int)c->len,
                     c->doc, ours ? "valid" : "invalid", jerr ? jerr : "valid");
    }
}

/* --- Root values and depth --------------------------------------------------------------- */

Test(json, root_type_and_trimmed_text) {
    static const struct {
        const char *doc, *text;
        cw_json_type type;
    } r[] = {
        {"  {\"a\":1} \n", "{\"a\":1}", CW_JSON_OBJECT},
        {"\t[ ]", "[ ]", CW_JSON_ARRAY},
        {" \"x\" ", "\"x\"", CW_JSON_STRING},
        {"-1.5e3 ", "-1.5e3", CW_JSON_NUMBER},
        {"true", "true", CW_JSON_TRUE},
        {"\nfalse", "false", CW_JSON_FALSE},
        {" null", "null", CW_JSON_NULL},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        cw_json v = parse_ok(r[i].doc);
        cr_assert_eq(v.type, r[i].type, "doc %s", r[i].doc);
        expect_text(v, r[i].text);
    }
}

static char *nested(const char *open, const char *close, int depth) {
    size_t lo = strlen(open), lc = strlen(close);
    char *s = malloc(depth * (lo + lc) + 2);
    char *p = s;
    for (int i = 0; i < depth; i++, p += lo) memcpy(p, open, lo);
    *p++ = '1';
    for (int i = 0; i < depth; i++, p += lc) memcpy(p, close, lc);
    *p = 0;
    return s;
}

Test(json, depth_64_arrays_ok_65_rejected) {
    char *ok = nested("[", "]", 64);
    cw_json v = parse_ok(ok);
    cr_assert_eq(v.type, CW_JSON_ARRAY);
    free(ok);
    char *bad = nested("[", "]", 65);
    cw_json w;
    expect_err(cw_json_parse(S(bad), &w), "invalid JSON at byte 64: nesting deeper than 64 levels");
    free(bad);
}

Test(json, depth_64_objects_ok_65_rejected) {
    char *ok = nested("{\"k\":", "}", 64);
    parse_ok(ok);
    free(ok);
    char *bad = nested(" {\"k\":", "}", 65); /* 6 bytes per level: the 65th '{' is at 385 */
    cw_json w;
    expect_err(cw_json_parse(S(bad), &w),
               "invalid JSON at byte 385: nesting deeper than 64 levels");
    free(bad);
}

Test(json, depth_counts_containers_not_siblings) {
    /* 64 levels deep twice in a row, and many siblings at depth 1. */
    char *a = nested("[", "]", 63);
    size_t la = strlen(a);
    char *doc = malloc(2 * la + 4);
    sprintf(doc, "[%s,%s]", a, a);
    parse_ok(doc);
    free(doc);
    free(a);
    char big[3 * 1000 + 3];
    char *p = big;
    *p++ = '[';
    for (int i = 0; i < 1000; i++) p += sprintf(p, "%s[]", i ? "," : "");
    *p++ = ']';
    *p = 0;
    cw_json v = parse_ok(big);
    cr_assert_eq(cw_json_len(v), 1000);
}

Test(json, deep_nesting_is_not_recursive) {
    /* 100000 '[' must fail fast at the limit, not overflow the stack. */
    size_t n = 100000;
    char *s = malloc(n);
    memset(s, '[', n);
    cw_json v;
    expect_err(cw_json_parse((cw_str){s, n}, &v),
               "invalid JSON at byte 64: nesting deeper than 64 levels");
    free(s);
}

/* --- Lookups ----------------------------------------------------------------------------- */

Test(json, get_plain_and_nested) {
    cw_json o = parse_ok(" { \"a\" : [ 1 , 2 ] , \"b\" : 3 ,\"c\":{\"d\":\"e\"}} ");
    cw_json a = cw_json_get(o, "a");
    cr_assert_eq(a.type, CW_JSON_ARRAY);
    expect_text(a, "[ 1 , 2 ]");
    cw_json b = cw_json_get(o, "b");
    cr_assert_eq(b.type, CW_JSON_NUMBER);
    expect_text(b, "3");
    cw_json d = cw_json_get(cw_json_get(o, "c"), "d");
    cr_assert_eq(d.type, CW_JSON_STRING);
    expect_text(d, "\"e\"");
    cr_assert_eq(cw_json_get(o, "z").type, CW_JSON_MISSING);
    cr_assert_eq(cw_json_get(o, "").type, CW_JSON_MISSING);
    cr_assert_eq(cw_json_get(a, "a").type, CW_JSON_MISSING);
    cr_assert_eq(cw_json_get(cw_json_get(o, "z"), "a").type, CW_JSON_MISSING);
}

Test(json, get_compares_unescaped_keys) {
    cw_json o = parse_ok("{\"a\\u0062c\":1,\"a\\\"b\":2,\"\\u00e9\":3,\"\\uD83D\\uDE00\":4,"
                         "\"\\/\\n\":5,\"x\\u0000y\":6,\"ab\":7}");
    expect_text(cw_json_get(o, "abc"), "1");
    expect_text(cw_json_get(o, "a\"b"), "2");
    expect_text(cw_json_get(o, "\xc3\xa9"), "3");
    expect_text(cw_json_get(o, "\xf0\x9f\x98\x80"), "4");
    expect_text(cw_json_get(o, "/\n"), "5");
    expect_text(cw_json_get(o, "ab"), "7");
    cr_assert_eq(cw_json_get(o, "a").type, CW_JSON_MISSING);
    cr_assert_eq(cw_json_get(o, "abcd").type, CW_JSON_MISSING);
    cr_assert_eq(cw_json_get(o, "a\\u0062c").type, CW_JSON_MISSING);
    cr_assert_eq(cw_json_get(o, "x").type, CW_JSON_MISSING); /* "x\0y" is not "x" */
}

Test(json, get_last_duplicate_wins) {
    cw_json o = parse_ok("{\"a\":1,\"b\":2,\"a\":3,\"\\u0061\":[4]}");
    expect_text(cw_json_get(o, "a"), "[4]");
    expect_text(cw_json_get(o, "b"), "2");
}

Test(json, get_skips_tricky_strings_and_containers) {
    cw_json o = parse_ok("{\"x\":\"}]\\\"{[\\\\\",\"y\":[{\"z\":\"]\"},[]],\"q\":{\"k\":{}},"
                         "\"n\":-1.5e-3,\"k\":5}");
    expect_text(cw_json_get(o, "k"), "5");
    expect_text(cw_json_get(o, "y"), "[{\"z\":\"]\"},[]]");
    expect_text(cw_json_get(o, "x"), "\"}]\\\"{[\\\\\"");
    expect_text(cw_json_get(o, "q"), "{\"k\":{}}");
    expect_text(cw_json_get(o, "n"), "-1.5e-3");
}

Test(json, iterate_array_and_object) {
    cw_json a = parse_ok("[ 1 ,\"two\", [3], {\"4\":4} , true,false,null ]");
    static const struct {
        cw_json_type t;
        const char *text;
    } want[] = {{CW_JSON_NUMBER, "1"},  {CW_JSON_STRING, "\"two\""},
                {CW_JSON_ARRAY, "[3]"}, {CW_JSON_OBJECT, "{\"4\":4}"},
                {CW_JSON_TRUE, "true"}, {CW_JSON_FALSE, "false"},
                {CW_JSON_NULL, "null"}};
    cw_json_iter it = cw_json_iter_begin(a);
    cw_json v;
    size_t i = 0;
    while (cw_json_next(&it, NULL, &v)) {
        cr_assert_lt(i, 7);
        cr_assert_eq(v.type, want[i].t);
        expect_text(v, want[i].text);
        i++;
    }
    cr_assert_eq(i, 7);
    cr_assert_eq(cw_json_len(a), 7);
    cr_assert(!cw_json_next(&it, NULL, &v), "iterator stays at the end");

    cw_json o = parse_ok("{ \"a\\n\" : 1 , \"b\":{} }");
    it = cw_json_iter_begin(o);
    cw_str k;
    cr_assert(cw_json_next(&it, &k, &v));
    cr_assert_eq(k.len, 3);
    cr_assert_eq(memcmp(k.ptr, "a\\n", 3), 0, "keys are raw (escaped)");
    expect_text(v, "1");
    cr_assert(cw_json_next(&it, &k, &v));
    cr_assert_eq(k.len, 1);
    expect_text(v, "{}");
    cr_assert(!cw_json_next(&it, &k, &v));
    cr_assert_eq(cw_json_len(o), 2);
}

Test(json, len_of_empty_and_scalars) {
    cr_assert_eq(cw_json_len(parse_ok("[]")), 0);
    cr_assert_eq(cw_json_len(parse_ok("{ }")), 0);
    cr_assert_eq(cw_json_len(parse_ok("[[],[],{}]")), 3);
    cr_assert_eq(cw_json_len(parse_ok("\"[1,2]\"")), 0);
    cr_assert_eq(cw_json_len(parse_ok("5")), 0);
    cw_json missing = {CW_JSON_MISSING, {NULL, 0}};
    cr_assert_eq(cw_json_len(missing), 0);
    cw_json_iter it = cw_json_iter_begin(parse_ok("true"));
    cr_assert(!cw_json_next(&it, NULL, NULL));
}

/* --- Strings ----------------------------------------------------------------------------- */

Test(json, string_zero_copy_without_escapes) {
    cw_json v = parse_ok("\"h\xc3\xa9llo\"");
    cw_str s;
    bool owned = true;
    cr_assert_null(cw_json_string(v, &s, &owned));
    cr_assert(!owned);
    cr_assert_eq(s.ptr, v.text.ptr + 1);
    cr_assert_eq(s.len, 6);
    v = parse_ok("\"\"");
    cr_assert_null(cw_json_string(v, &s, &owned));
    cr_assert(!owned);
    cr_assert_eq(s.len, 0);
}

Test(json, string_unescapes_into_owned_copy) {
    static const struct {
        const char *doc;
        const char *want;
        size_t len;
    } r[] = {
        {"\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "a\"b\\c/d\b\f\n\r\t", 12},
        {"\"\\u00e9\\u00C9\"", "\xc3\xa9\xc3\x89", 4},
        {"\"\\u0041\\u007f\\u0080\\u07ff\\u0800\\uffff\"",
         "A\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 12},
        {"\"\\uD834\\uDD1E\"", "\xf0\x9d\x84\x9e", 4},
        {"\"\\uD800\\uDC00\\uDBFF\\uDFFF\"", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 8},
        {"\"x\\u0000y\"", "x\0y", 3},
        {"\"\\u20ac1\"",
         "\xe2\x82\xac"
         "1",
         4},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        cw_json v = parse_ok(r[i].doc);
        cw_str s;
        bool owned = false;
        cr_assert_null(cw_json_string(v, &s, &owned));
        cr_assert(owned, "%s", r[i].doc);
        cr_assert_eq(s.len, r[i].len, "%s: length %zu", r[i].doc, s.len);
        cr_assert_eq(memcmp(s.ptr, r[i].want, r[i].len), 0, "%s", r[i].doc);
        cw_free((void *)s.ptr);
    }
}

Test(json, string_rejects_other_types) {
    cw_str s;
    bool owned;
    expect_err(cw_json_string(parse_ok("5"), &s, &owned), "expected a string, got a number");
    expect_err(cw_json_string(parse_ok("null"), &s, &owned), "expected a string, got null");
    expect_err(cw_json_string(parse_ok("[\"a\"]"), &s, &owned), "expected a string, got an array");
    cw_json missing = {CW_JSON_MISSING, {NULL, 0}};
    expect_err(cw_json_string(missing, &s, &owned), "expected a string, got a missing value");
}

Test(json, unescape_appends) {
    cw_buf b = {0};
    cw_buf_puts(&b, ">");
    cw_json_unescape(S("a\\tb\\u0020c"), &b);
    EXPECT_BUF(&b, ">a\tb c");
    cw_buf_free(&b);
}

/* --- Numbers and booleans ---------------------------------------------------------------- */

Test(json, u64_boundaries) {
    uint64_t x = 1;
    cr_assert_null(cw_json_u64(parse_ok("0"), &x));
    cr_assert_eq(x, 0);
    cr_assert_null(cw_json_u64(parse_ok("18446744073709551615"), &x));
    cr_assert_eq(x, UINT64_MAX);
    cr_assert_null(cw_json_u64(parse_ok("18446744073709551614"), &x));
    cr_assert_eq(x, UINT64_MAX - 1);
    cr_assert_null(cw_json_u64(parse_ok("4294967296"), &x));
    cr_assert_eq(x, 4294967296ull);
    cr_assert_null(cw_json_u64(cw_json_get(parse_ok("{\"n\": 12345 }"), "n"), &x));
    cr_assert_eq(x, 12345);
    expect_err(cw_json_u64(parse_ok("18446744073709551616"), &x),
               "invalid u64 `18446744073709551616`: out of range (max 18446744073709551615)");
    expect_err(cw_json_u64(parse_ok("18446744073709551620"), &x),
               "invalid u64 `18446744073709551620`: out of range (max 18446744073709551615)");
    expect_err(cw_json_u64(parse_ok("99999999999999999999"), &x),
               "invalid u64 `99999999999999999999`: out of range (max 18446744073709551615)");
    expect_err(cw_json_u64(parse_ok("123456789012345678901234567890123456789012345"), &x),
               "invalid u64 `1234567890123456789012345678901234567890...`: out of range "
               "(max 18446744073709551615)");
}

Test(json, u64_rejects_negatives_fractions_exponents_and_types) {
    uint64_t x;
    expect_err(cw_json_u64(parse_ok("-1"), &x), "invalid u64 `-1`: negative number");
    expect_err(cw_json_u64(parse_ok("-0"), &x), "invalid u64 `-0`: negative number");
    expect_err(cw_json_u64(parse_ok("1.0"), &x), "invalid u64 `1.0`: fraction not allowed");
    expect_err(cw_json_u64(parse_ok("0.5"), &x), "invalid u64 `0.5`: fraction not allowed");
    expect_err(cw_json_u64(parse_ok("1e3"), &x), "invalid u64 `1e3`: exponent not allowed");
    expect_err(cw_json_u64(parse_ok("1E0"), &x), "invalid u64 `1E0`: exponent not allowed");
    expect_err(cw_json_u64(parse_ok("\"5\""), &x), "expected a u64 number, got a string");
    expect_err(cw_json_u64(parse_ok("true"), &x), "expected a u64 number, got a boolean");
    expect_err(cw_json_u64(parse_ok("{}"), &x), "expected a u64 number, got an object");
    expect_err(cw_json_u64(cw_json_get(parse_ok("{}"), "n"), &x),
               "expected a u64 number, got a missing value");
}

Test(json, bool_values) {
    bool b = false;
    cr_assert_null(cw_json_bool(parse_ok("true"), &b));
    cr_assert(b);
    cr_assert_null(cw_json_bool(parse_ok(" false "), &b));
    cr_assert(!b);
    expect_err(cw_json_bool(parse_ok("1"), &b), "expected a boolean, got a number");
    expect_err(cw_json_bool(parse_ok("\"true\""), &b), "expected a boolean, got a string");
    expect_err(cw_json_bool(parse_ok("null"), &b), "expected a boolean, got null");
}

/* --- Enums and unknown fields ------------------------------------------------------------ */

static void expect_enum(const char *doc, const char *variant, const char *body) {
    cw_str var;
    cw_json b;
    char *m = take_msg(cw_json_enum(parse_ok(doc), &var, &b));
    cr_assert_null(m, "%s: %s", doc, m);
    cr_assert_eq(var.len, strlen(variant));
    cr_assert_eq(memcmp(var.ptr, variant, var.len), 0);
    if (body)
        expect_text(b, body);
    else
        cr_assert_eq(b.type, CW_JSON_MISSING);
}

Test(json, enum_shapes) {
    expect_enum("\"transfer\"", "transfer", NULL);
    expect_enum("{\"transfer\":{\"amount\":\"5\"}}", "transfer", "{\"amount\":\"5\"}");
    expect_enum(" { \"burn\" : {} } ", "burn", "{}");
    expect_enum("{\"x\":[1,2]}", "x", "[1,2]");
    expect_enum("{\"x\":null}", "x", "null");
}

Test(json, enum_errors) {
    cw_str var;
    cw_json body;
    expect_err(cw_json_enum(parse_ok("{\"a\":1,\"b\":2}"), &var, &body),
               "expected an enum object with exactly one member, got 2 members");
    expect_err(cw_json_enum(parse_ok("{}"), &var, &body),
               "expected an enum object with exactly one member, got 0 members");
    expect_err(cw_json_enum(parse_ok("5"), &var, &body),
               "expected an enum (a string or an object with one member), got a number");
    expect_err(cw_json_enum(parse_ok("[\"a\"]"), &var, &body),
               "expected an enum (a string or an object with one member), got an array");
    expect_err(cw_json_enum(parse_ok("\"tr\\u0061nsfer\""), &var, &body),
               "enum variant name must not contain escapes");
    expect_err(cw_json_enum(parse_ok("{\"a\\nb\":{}}"), &var, &body),
               "enum variant name must not contain escapes");
    cr_assert_eq(body.type, CW_JSON_MISSING);
}

Test(json, deny_unknown_accepts_known_fields) {
    static const char *const ab[] = {"a", "b", NULL};
    static const char *const a[] = {"a", NULL};
    cr_assert_null(cw_json_deny_unknown(parse_ok("{\"a\":1,\"b\":2}"), ab));
    cr_assert_null(cw_json_deny_unknown(parse_ok("{}"), ab));
    cr_assert_null(cw_json_deny_unknown(parse_ok("{\"\\u0061\":1}"), a));
}

Test(json, deny_unknown_messages_match_serde) {
    static const char *const abc[] = {"a", "b", "c", NULL};
    static const char *const ab[] = {"a", "b", NULL};
    static const char *const a[] = {"a", NULL};
    static const char *const none[] = {NULL};
    cw_json o = parse_ok("{\"a\":1,\"x\":2,\"y\":3}");
    expect_err(cw_json_deny_unknown(o, abc), "unknown field `x`, expected one of `a`, `b`, `c`");
    expect_err(cw_json_deny_unknown(o, ab), "unknown field `x`, expected `a` or `b`");
    expect_err(cw_json_deny_unknown(o, a), "unknown field `x`, expected `a`");
    expect_err(cw_json_deny_unknown(o, none), "unknown field `a`, there are no fields");
    expect_err(cw_json_deny_unknown(parse_ok("{\"x\\ny\\u00e9\":1}"), a),
               "unknown field `x\ny\xc3\xa9`, expected `a`");
    expect_err(cw_json_deny_unknown(parse_ok("[1]"), a), "expected an object, got an array");
}

/* --- Writer ------------------------------------------------------------------------------ */

Test(json, writer_nested_document_exact_bytes) {
    cw_buf b = {0};
    cw_jw w;
    cw_jw_init(&w, &b);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "a");
    cw_jw_u64(&w, 1);
    cw_jw_key(&w, "b");
    cw_jw_arr_begin(&w);
    cw_jw_bool(&w, true);
    cw_jw_bool(&w, false);
    cw_jw_null(&w);
    cw_jw_cstr(&w, "x");
    cw_jw_arr_begin(&w);
    cw_jw_arr_end(&w);
    cw_jw_obj_begin(&w);
    cw_jw_obj_end(&w);
    cw_jw_arr_end(&w);
    cw_jw_key(&w, "c");
    cw_jw_obj_begin(&w);
    cw_jw_obj_end(&w);
    cw_jw_key_str(&w, CW_LIT("d\"q"));
    cw_jw_u128_str(&w, ~(cw_u128)0);
    cw_jw_key(&w, "e");
    cw_jw_raw(&w, CW_LIT("{\"k\":[1]}"));
    cw_jw_key(&w, "f");
    cw_jw_base64(&w, CW_LIT("hi"));
    cw_jw_key(&w, "g");
    cw_jw_str(&w, CW_LIT("tab\there"));
    cw_jw_key(&w, "h");
    cw_jw_u64(&w, UINT64_MAX);
    cw_jw_key(&w, "i");
    cw_jw_u128_str(&w, 0);
    cw_jw_obj_end(&w);
    EXPECT_BUF(&b, "{\"a\":1,\"b\":[true,false,null,\"x\",[],{}],\"c\":{},"
                   "\"d\\\"q\":\"340282366920938463463374607431768211455\",\"e\":{\"k\":[1]},"
                   "\"f\":\"aGk=\",\"g\":\"tab\\there\",\"h\":18446744073709551615,\"i\":\"0\"}");
    cr_assert_eq(w.depth, 0);
    cw_json v = parse_buf(&b);
    cr_assert_eq(cw_json_len(v), 9);
    cw_buf_free(&b);
}

Test(json, writer_top_level_scalars) {
    static const char *const want[] = {
        "0",    "18446744073709551615", "true",   "false", "null",
        "\"\"", "\"a\\\\b\"",           "[1, 2]", "\"\"",  "\"AAEC\""};
    for (int i = 0; i < 10; i++) {
        cw_buf b = {0};
        cw_jw w;
        cw_jw_init(&w, &b);
        switch (i) {
        case 0:
            cw_jw_u64(&w, 0);
            break;
        case 1:
            cw_jw_u64(&w, UINT64_MAX);
            break;
        case 2:
            cw_jw_bool(&w, true);
            break;
        case 3:
            cw_jw_bool(&w, false);
            break;
        case 4:
            cw_jw_null(&w);
            break;
        case 5:
            cw_jw_str(&w, (cw_str){NULL, 0});
            break;
        case 6:
            cw_jw_cstr(&w, "a\\b");
            break;
        case 7:
            cw_jw_raw(&w, CW_LIT("[1, 2]"));
            break;
        case 8:
            cw_jw_base64(&w, (cw_str){NULL, 0});
            break;
        case 9:
            cw_jw_base64(&w, CW_LIT("\x00\x01\x02"));
            break;
        }
        expect_buf(&b, want[i], strlen(want[i]));
        cw_buf_free(&b);
    }
}

Test(json, writer_appends_to_existing_buffer) {
    cw_buf b = {0};
    cw_buf_puts(&b, "prefix:");
    cw_jw w;
    cw_jw_init(&w, &b);
    cw_jw_arr_begin(&w);
    cw_jw_u64(&w, 7);
    cw_jw_arr_end(&w);
    EXPECT_BUF(&b, "prefix:[7]");
    cw_buf_free(&b);
}

Test(json, writer_nests_to_exactly_64) {
    cw_buf b = {0};
    cw_jw w;
    cw_jw_init(&w, &b);
    for (int i = 0; i < 32; i++) {
        cw_jw_arr_begin(&w);
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "k");
    }
    cw_jw_u64(&w, 1);
    for (int i = 0; i < 32; i++) {
        cw_jw_obj_end(&w);
        cw_jw_arr_end(&w);
    }
    cr_assert_eq(w.depth, 0);
    char *want = nested("[{\"k\":", "}]", 32);
    expect_buf(&b, want, strlen(want));
    parse_ok(want);
    free(want);
    cw_buf_free(&b);
}

Test(json, escape_matches_serde_json) {
    char in[40];
    size_t n = 0;
    for (int c = 0; c < 0x20; c++) in[n++] = (char)c;
    in[n++] = '"';
    in[n++] = '\\';
    in[n++] = '/';
    in[n++] = 0x7f;
    in[n++] = (char)0xc3;
    in[n++] = (char)0xa9;
    in[n++] = 'z';
    cw_buf b = {0};
    cw_json_escape(&b, (cw_str){in, n});
    EXPECT_BUF(&b,
               "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f"
               "\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
               "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\x7f\xc3\xa9z");
    cw_buf_free(&b);
}

Test(json, escape_roundtrips_every_ascii_byte_and_unicode) {
    for (int c = 0; c < 0x80; c++) {
        char s[3] = {'a', (char)c, 'b'};
        cw_buf b = {0};
        cw_jw w;
        cw_jw_init(&w, &b);
        cw_jw_str(&w, (cw_str){s, 3});
        cw_json v;
        char *m = take_msg(cw_json_parse(cw_buf_view(&b), &v));
        cr_assert_null(m, "byte %d: %s", c, m);
        cw_str out;
        bool owned;
        cr_assert_null(cw_json_string(v, &out, &owned));
        cr_assert_eq(out.len, 3);
        cr_assert_eq(memcmp(out.ptr, s, 3), 0, "byte %d", c);
        if (owned) cw_free((void *)out.ptr);
        cw_buf_free(&b);
    }
    const char *u = "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf";
    cw_buf b = {0};
    cw_jw w;
    cw_jw_init(&w, &b);
    cw_jw_cstr(&w, u);
    expect_buf(&b, "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"",
               strlen(u) + 2);
    parse_buf(&b);
    cw_buf_free(&b);
}

/* Writer misuse is a bug in the caller: it aborts with a message naming the rule. */
typedef struct misuse {
    int scenario;
    cw_buf out;
} misuse;

static void misuse_run(void *ctx) {
    misuse *m = ctx;
    cw_jw w;
    cw_jw_init(&w, &m->out);
    switch (m->scenario) {
    case 0:
        cw_jw_key(&w, "k");
        break;
    case 1:
        cw_jw_arr_begin(&w);
        cw_jw_key(&w, "k");
        break;
    case 2:
        cw_jw_obj_begin(&w);
        cw_jw_u64(&w, 1);
        break;
    case 3:
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "a");
        cw_jw_key(&w, "b");
        break;
    case 4:
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "a");
        cw_jw_obj_end(&w);
        break;
    case 5:
        cw_jw_obj_begin(&w);
        cw_jw_arr_end(&w);
        break;
    case 6:
        cw_jw_arr_begin(&w);
        cw_jw_obj_end(&w);
        break;
    case 7:
        cw_jw_arr_end(&w);
        break;
    case 8:
        for (int i = 0; i < 65; i++) cw_jw_arr_begin(&w);
        break;
    case 9:
        cw_jw_null(&w);
        cw_jw_null(&w);
        break;
    }
}

Test(json, writer_misuse_aborts_with_message) {
    static const char *const want[] = {
        "cw_jw: key outside object", "cw_jw: key outside object",
        "cw_jw: value without key",  "cw_jw: two keys",
        "cw_jw: key without value",  "cw_jw: mismatched end",
        "cw_jw: mismatched end",     "cw_jw: end without begin",
        "cw_jw: too deep",           "cw_jw: two top-level values",
    };
    for (int i = 0; i < 10; i++) {
        misuse m = {i, {0}};
        char *msg = cw_mock_catch_abort(misuse_run, &m);
        cr_assert_not_null(msg, "scenario %d did not abort", i);
        cr_assert_str_eq(msg, want[i], "scenario %d", i);
        free(msg);
        cw_buf_free(&m.out);
    }
}

/* --- Randomized roundtrip ---------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void) {
    uint64_t x = rng_state; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}
static size_t rnd_below(size_t n) {
    return (size_t)(rnd() % n);
}

typedef struct node {
    cw_json_type type;
    uint64_t num;
    cw_buf str; /* string value */
    size_t n;
    struct node *kids;
    cw_buf *keys; /* objects: key per kid (no NUL bytes, so cw_json_get can look them up) */
} node;

/* A random valid UTF-8 string: ASCII, controls, quotes, backslashes, multi-byte forms. */
static void random_string(cw_buf *s, bool allow_nul) {
    static const char *const pieces[] = {"a",
                                         "Z",
                                         " ",
                                         "\"",
                                         "\\",
                                         "/",
                                         "\b",
                                         "\f",
                                         "\n",
                                         "\r",
                                         "\t",
                                         "\x01",
                                         "\x1f",
                                         "\x7f",
                                         "\xc3\xa9",
                                         "\xc2\x80",
                                         "\xdf\xbf",
                                         "\xe2\x82\xac",
                                         "\xe0\xa0\x80",
                                         "\xed\x9f\xbf",
                                         "\xee\x80\x80",
                                         "\xef\xbf\xbf",
                                         "\xf0\x9f\x98\x80",
                                         "\xf0\x90\x80\x80",
                                         "\xf4\x8f\xbf\xbf",
                                         "{",
                                         "}",
                                         "[",
                                         "]",
                                         ",",
                                         ":",
                                         "u",
                                         "\\u0041"};
    size_t len = rnd_below(4) == 0 ? 0 : rnd_below(12);
    for (size_t i = 0; i < len; i++) {
        if (allow_nul && rnd_below(30) == 0) {
            cw_buf_putc(s, 0);
            continue;
        }
        cw_buf_puts(s, pieces[rnd_below(sizeof pieces / sizeof pieces[0])]);
    }
}

static void random_node(node *nd, int depth) {
    memset(nd, 0, sizeof *nd);
    size_t pick = rnd_below(depth >= 6 ? 6 : 9);
    switch (pick) {
    case 0:
        nd->type = CW_JSON_NULL;
        break;
    case 1:
        nd->type = CW_JSON_TRUE;
        break;
    case 2:
        nd->type = CW_JSON_FALSE;
        break;
    case 3:
    case 4:
        nd->type = CW_JSON_NUMBER;
        nd->num = rnd() >> (1 + rnd_below(63)); /* fits jansson's long long */
        break;
    case 5:
        nd->type = CW_JSON_STRING;
        random_string(&nd->str, true);
        break;
    case 6:
    case 7:
    case 8:
        nd->type = pick == 8 ? CW_JSON_ARRAY : CW_JSON_OBJECT;
        nd->n = rnd_below(6);
        nd->kids = calloc(nd->n ? nd->n : 1, sizeof(node));
        nd->keys = calloc(nd->n ? nd->n : 1, sizeof(cw_buf));
        for (size_t i = 0; i < nd->n; i++) {
            if (nd->type == CW_JSON_OBJECT) {
                if (i > 0 && rnd_below(5) == 0) /* a duplicate key */
                    cw_buf_put_str(&nd->keys[i], cw_buf_view(&nd->keys[rnd_below(i)]));
                else
                    random_string(&nd->keys[i], false);
            }
            random_node(&nd->kids[i], depth + 1);
        }
        break;
    }
}

static void free_node(node *nd) {
    cw_buf_free(&nd->str);
    for (size_t i = 0; i < nd->n; i++) {
        free_node(&nd->kids[i]);
        cw_buf_free(&nd->keys[i]);
    }
    free(nd->kids);
    free(nd->keys);
}

static void write_node(cw_jw *w, const node *nd) {
    switch (nd->type) {
    case CW_JSON_NULL:
        cw_jw_null(w);
        break;
    case CW_JSON_TRUE:
        cw_jw_bool(w, true);
        break;
    case CW_JSON_FALSE:
        cw_jw_bool(w, false);
        break;
    case CW_JSON_NUMBER:
        cw_jw_u64(w, nd->num);
        break;
    case CW_JSON_STRING:
        cw_jw_str(w, cw_buf_view(&nd->str));
        break;
    case CW_JSON_ARRAY:
        cw_jw_arr_begin(w);
        for (size_t i = 0; i < nd->n; i++) write_node(w, &nd->kids[i]);
        cw_jw_arr_end(w);
        break;
    default:
        cw_jw_obj_begin(w);
        for (size_t i = 0; i < nd->n; i++) {
            if (rnd_below(2))
                cw_jw_key_str(w, cw_buf_view(&nd->keys[i]));
            else {
                char *k = strndup(nd->keys[i].ptr ? nd->keys[i].ptr : "", nd->keys[i].len);
                cw_jw_key(w, k);
                free(k);
            }
            write_node(w, &nd->kids[i]);
        }
        cw_jw_obj_end(w);
    }
}

static bool same_bytes(cw_str a, const cw_buf *b) {
    return a.len == b->len && (a.len == 0 || memcmp(a.ptr, b->ptr, a.len) == 0);
}

/* Compare a parsed value with the model it was written from. */
static void check_node(cw_json v, const node *nd) {
    cr_assert_eq(v.type, nd->type, "type %d, expected %d at %.*s", v.type, nd->type,
                 (int)v.text.len, v.text.ptr);
    if (nd->type == CW_JSON_NUMBER) {
        uint64_t x;
        cr_assert_null(cw_json_u64(v, &x));
        cr_assert_eq(x, nd->num);
    } else if (nd->type == CW_JSON_STRING) {
        cw_str s;
        bool owned;
        cr_assert_null(cw_json_string(v, &s, &owned));
        cr_assert(same_bytes(s, &nd->str), "string mismatch at %.*s", (int)v.text.len, v.text.ptr);
        if (owned) cw_free((void *)s.ptr);
    } else if (nd->type == CW_JSON_ARRAY || nd->type == CW_JSON_OBJECT) {
        cr_assert_eq(cw_json_len(v), nd->n);
        cw_json_iter it = cw_json_iter_begin(v);
        cw_str k;
        cw_json kid;
        for (size_t i = 0; i < nd->n; i++) {
            cr_assert(cw_json_next(&it, &k, &kid));
            if (nd->type == CW_JSON_OBJECT) {
                cw_buf key = {0};
                cw_json_unescape(k, &key);
                cr_assert(same_bytes(cw_buf_view(&key), &nd->keys[i]));
                cw_buf_free(&key);
                /* Lookup by key finds the last member with that key. */
                size_t last = i;
                for (size_t j = i + 1; j < nd->n; j++)
                    if (same_bytes(cw_buf_view(&nd->keys[j]), &nd->keys[i])) last = j;
                char *ck = strndup(nd->keys[i].ptr ? nd->keys[i].ptr : "", nd->keys[i].len);
                cw_json got = cw_json_get(v, ck);
                free(ck);
                cr_assert_eq(got.type, nd->kids[last].type);
                if (last == i) cr_assert_eq(got.text.ptr, kid.text.ptr);
            }
            check_node(kid, &nd->kids[i]);
        }
        cr_assert(!cw_json_next(&it, &k, &kid));
    }
}

/* Compare jansson's reading of the same text with the model (last duplicate wins). */
static void check_jansson(json_t *j, const node *nd) {
    switch (nd->type) {
    case CW_JSON_NULL:
        cr_assert(json_is_null(j));
        break;
    case CW_JSON_TRUE:
        cr_assert(json_is_true(j));
        break;
    case CW_JSON_FALSE:
        cr_assert(json_is_false(j));
        break;
    case CW_JSON_NUMBER:
        cr_assert(json_is_integer(j));
        cr_assert_eq((uint64_t)json_integer_value(j), nd->num);
        break;
    case CW_JSON_STRING:
        cr_assert(json_is_string(j));
        cr_assert_eq(json_string_length(j), nd->str.len);
        cr_assert_eq(memcmp(json_string_value(j), nd->str.ptr ? nd->str.ptr : "", nd->str.len), 0);
        break;
    case CW_JSON_ARRAY:
        cr_assert(json_is_array(j));
        cr_assert_eq(json_array_size(j), nd->n);
        for (size_t i = 0; i < nd->n; i++) check_jansson(json_array_get(j, i), &nd->kids[i]);
        break;
    default:
        cr_assert(json_is_object(j));
        for (size_t i = 0; i < nd->n; i++) {
            size_t last = i;
            for (size_t k = i + 1; k < nd->n; k++)
                if (same_bytes(cw_buf_view(&nd->keys[k]), &nd->keys[i])) last = k;
            if (last != i) continue;
            json_t *m =
                json_object_getn(j, nd->keys[i].ptr ? nd->keys[i].ptr : "", nd->keys[i].len);
            cr_assert_not_null(m);
            check_jansson(m, &nd->kids[i]);
        }
    }
}

#define ROUNDTRIP_DOCS 3000

Test(json, random_roundtrip_against_model_and_jansson) {
    rng_state = 0x9E3779B97F4A7C15ull;
    for (int d = 0; d < ROUNDTRIP_DOCS; d++) {
        node root;
        random_node(&root, 0);
        cw_buf b = {0};
        cw_jw w;
        cw_jw_init(&w, &b);
        write_node(&w, &root);
        cr_assert_eq(w.depth, 0);
        cw_json v;
        char *m = take_msg(cw_json_parse(cw_buf_view(&b), &v));
        cr_assert_null(m, "doc %d: %s\n%.*s", d, m, (int)b.len, b.ptr);
        cr_assert_eq(v.text.len, b.len);
        check_node(v, &root);
        json_error_t err;
        json_t *j = json_loadb(b.ptr, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
        cr_assert_not_null(j, "jansson rejects doc %d: %s", d, err.text);
        check_jansson(j, &root);
        json_decref(j);
        cw_buf_free(&b);
        free_node(&root);
    }
}

/* --- Mutation cross-check against jansson ------------------------------------------------ */

#define MUTATED_DOCS 40000

Test(json, mutated_documents_agree_with_jansson) {
    static const char interesting[] = "{}[],:\"\\/ \t\n0123456789-+.eEtrufalsn\x01\x1f\x7f\x80\xbf"
                                      "\xc3\xe2\xed\xf0\xf4\xff";
    rng_state = 0xC0FFEE1234567ull;
    size_t agree_valid = 0, agree_invalid = 0, jansson_limits = 0;
    for (int d = 0; d < MUTATED_DOCS; d++) {
        node root;
        random_node(&root, 0);
        cw_buf b = {0};
        cw_jw w;
        cw_jw_init(&w, &b);
        write_node(&w, &root);
        free_node(&root);
        size_t muts = 1 + rnd_below(3);
        for (size_t k = 0; k < muts; k++) {
            size_t at = b.len ? rnd_below(b.len + 1) : 0;
            char c = interesting[rnd_below(sizeof interesting - 1)];
            switch (rnd_below(3)) {
            case 0: /* replace */
                if (at < b.len) b.ptr[at] = c;
                break;
            case 1: /* insert */
                cw_buf_putc(&b, 0);
                memmove(b.ptr + at + 1, b.ptr + at, b.len - 1 - at);
                b.ptr[at] = c;
                break;
            default: /* delete */
                if (at < b.len) {
                    memmove(b.ptr + at, b.ptr + at + 1, b.len - at - 1);
                    b.len--;
                }
            }
        }
        cw_json v;
        char *m = take_msg(cw_json_parse(cw_buf_view(&b), &v));
        const char *jerr = jansson_error(b.ptr, b.len);
        if (known_jansson_difference(b.ptr, b.len, m, jerr)) {
            jansson_limits++;
        } else {
            cr_assert_eq(m == NULL, jerr == NULL, "disagreement on %.*s: ours %s, jansson %s",
                         (int)b.len, b.ptr, m ? m : "valid", jerr ? jerr : "valid");
            if (m)
                agree_invalid++;
            else
                agree_valid++;
        }
        free(m);
        cw_buf_free(&b);
    }
    cr_log_info("mutations: %zu valid, %zu invalid agreed; %zu jansson limitations", agree_valid,
                agree_invalid, jansson_limits);
    cr_assert_gt(agree_valid, MUTATED_DOCS / 10);
    cr_assert_gt(agree_invalid, MUTATED_DOCS / 4);
}

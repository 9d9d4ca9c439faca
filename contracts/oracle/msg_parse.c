/* Strict, serde-like parsing of the oracle's messages: structs with deny_unknown_fields,
 * externally tagged enums, and the field types the messages use (String, Decimal, u64). */
#include "oracle.h"

/* serde's description of an unexpected JSON value. */
static cw_error *invalid_type(cw_json v, const char *expected) {
    static const char *const names[] = {"",       "null",   "boolean",  "boolean",
                                        "number", "string", "sequence", "map"};
    if (v.type == CW_JSON_STRING || v.type == CW_JSON_NUMBER)
        return cw_errorf("invalid type: %s %S, expected %s", names[v.type], v.text, expected);
    return cw_errorf("invalid type: %s, expected %s", names[v.type], expected);
}

/* serde adds the expected names ("expected one of `a`, `b`"); the oracle names only the
 * unknown one (SPEC.md §1), which keeps the list-writing code out of the contract. */
static cw_error *unknown_name(const char *what, cw_str name) {
    return cw_errorf("unknown %s `%S`", what, name);
}

cw_error *or_parse_error(const char *type, cw_error *err) {
    if (!err) return NULL;
    cw_error *e = cw_errorf("Error parsing into type oracle::msg::%s: %s", type, err->msg);
    cw_error_free(err);
    return e;
}

cw_error *or_json_string(cw_json v, cw_str *out) {
    if (v.type != CW_JSON_STRING) return invalid_type(v, "a string");
    bool owned = false;
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) cw_hold((void *)out->ptr);
    return NULL;
}

cw_error *or_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body) {
    if (v.type != CW_JSON_OBJECT || cw_json_len(v) != 1) return invalid_type(v, "an enum variant");
    cw_json_iter it = cw_json_iter_begin(v);
    cw_str raw;
    cw_json_next(&it, &raw, body);
    cw_str name = cw_json_key(raw);
    for (size_t n = 0; variants[n]; n++) {
        if (cw_str_eq_c(name, variants[n])) {
            *index = n;
            return NULL;
        }
    }
    return unknown_name("variant", name);
}

static cw_error *parse_field(const cw_field *f, cw_json v, void *out) {
    switch (f->kind) {
    case OR_STRING:
        return or_json_string(v, (cw_str *)out);
    case OR_DECIMAL: {
        if (v.type != CW_JSON_STRING) return invalid_type(v, "a decimal string");
        cw_str s;
        CW_TRY(or_json_string(v, &s));
        return cw_decimal_parse(s, (cw_decimal *)out);
    }
    case OR_U64:
        if (v.type != CW_JSON_NUMBER) return invalid_type(v, "u64");
        return cw_json_u64(v, (uint64_t *)out);
    default:
        *(cw_json *)out = v;
        return NULL;
    }
}

/* The oracle's unknown_field text (see unknown_name). */
static cw_error *unknown_field(cw_str name, const cw_field *fields, size_t n) {
    (void)fields, (void)n;
    return unknown_name("field", name);
}

cw_error *or_parse_struct(cw_json obj, const cw_field *fields, size_t n, void *base) {
    if (obj.type != CW_JSON_OBJECT) return invalid_type(obj, "a struct");
    return cw_parse_fields(obj, fields, n, base, parse_field, unknown_field);
}

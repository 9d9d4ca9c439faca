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

/* The key of a member, unescaped when needed (held). */
static cw_str member_name(cw_str raw) {
    for (size_t i = 0; i < raw.len; i++) {
        if (raw.ptr[i] == '\\') {
            cw_buf b = {0};
            cw_json_unescape(raw, &b);
            return cw_hold_buf(&b);
        }
    }
    return raw;
}

cw_error *or_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body) {
    if (v.type != CW_JSON_OBJECT || cw_json_len(v) != 1) return invalid_type(v, "an enum variant");
    cw_json_iter it = cw_json_iter_begin(v);
    cw_str raw;
    cw_json_next(&it, &raw, body);
    cw_str name = member_name(raw);
    for (size_t n = 0; variants[n]; n++) {
        if (cw_str_eq_c(name, variants[n])) {
            *index = n;
            return NULL;
        }
    }
    return unknown_name("variant", name);
}

static cw_error *parse_field(const or_field *f, cw_json v, char *base) {
    void *out = base + f->offset;
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

cw_error *or_parse_struct(cw_json obj, const or_field *fields, size_t n, void *base) {
    if (obj.type != CW_JSON_OBJECT) return invalid_type(obj, "a struct");
    uint32_t seen = 0; /* bit i: field i was given (the tables have at most 7 fields) */
    cw_json_iter it = cw_json_iter_begin(obj);
    cw_str raw;
    cw_json v;
    while (cw_json_next(&it, &raw, &v)) {
        cw_str name = member_name(raw);
        size_t i = 0;
        while (i < n && !cw_str_eq_c(name, fields[i].name)) i++;
        if (i == n) return unknown_name("field", name);
        if (seen >> i & 1) return cw_errorf("duplicate field `%s`", fields[i].name);
        seen |= 1u << i;
        if (fields[i].optional && v.type == CW_JSON_NULL) continue;
        CW_TRY(parse_field(&fields[i], v, base));
        if (fields[i].present) *(bool *)((char *)base + fields[i].present) = true;
    }
    for (size_t i = 0; i < n; i++)
        if (!(seen >> i & 1) && !fields[i].optional)
            return cw_errorf("missing field `%s`", fields[i].name);
    return NULL;
}

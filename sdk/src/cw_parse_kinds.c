/* The standard value kinds of cw_parse.h (string, address, Uint128, Decimal, u64, bool, raw
 * JSON) with their serde-like type errors, the unknown-field text and externally tagged enums. */
#include "cw_arena.h"
#include "cw_host.h"
#include "cw_math.h"
#include "cw_parse.h"

cw_error *cw_parse_type_error(const char *field, const char *expected, cw_json v) {
    return cw_errorf("invalid type for `%s`: expected %s, got %S", field, expected, v.text);
}

cw_error *cw_parse_string(cw_json v, const char *field, const char *expected, cw_str *out) {
    if (v.type != CW_JSON_STRING) return cw_parse_type_error(field, expected, v);
    bool owned = false;
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) cw_hold((void *)out->ptr);
    return NULL;
}

cw_error *cw_parse_string_value(const cw_field *f, cw_json v, void *out) {
    return cw_parse_string(v, f->name, "a string", (cw_str *)out);
}

cw_error *cw_parse_addr_value(const cw_field *f, cw_json v, void *out) {
    CW_TRY(cw_parse_string(v, f->name, "an address", (cw_str *)out));
    return cw_addr_validate(*(cw_str *)out);
}

cw_error *cw_parse_u128_value(const cw_field *f, cw_json v, void *out) {
    cw_str s;
    CW_TRY(cw_parse_string(v, f->name, "a Uint128 string", &s));
    return cw_u128_parse(s, (cw_u128 *)out);
}

cw_error *cw_parse_decimal_value(const cw_field *f, cw_json v, void *out) {
    cw_str s;
    CW_TRY(cw_parse_string(v, f->name, "a Decimal string", &s));
    return cw_decimal_parse(s, (cw_decimal *)out);
}

cw_error *cw_parse_u64_value(const cw_field *f, cw_json v, void *out) {
    if (v.type == CW_JSON_NUMBER) {
        cw_error *err = cw_json_u64(v, (uint64_t *)out);
        if (!err) return NULL;
        cw_error_free(err); /* replaced by the field's own text */
    }
    return cw_parse_type_error(f->name, "an unsigned integer", v);
}

cw_error *cw_parse_bool_value(const cw_field *f, cw_json v, void *out) {
    if (v.type != CW_JSON_TRUE && v.type != CW_JSON_FALSE)
        return cw_parse_type_error(f->name, "a boolean", v);
    *(bool *)out = v.type == CW_JSON_TRUE;
    return NULL;
}

cw_error *cw_parse_json_value(const cw_field *f, cw_json v, void *out) {
    (void)f;
    *(cw_json *)out = v;
    return NULL;
}

cw_error *cw_parse_value(const cw_field *f, cw_json v, void *out) {
    return cw_parse_kinds(CW_KINDS_ALL, f, v, out);
}

/* "unknown <what> `x`, expected one of `a`, `b`" (or "expected `a`", "expected no fields");
 * names[k] is at byte k * stride, so both field tables and variant lists fit. */
static cw_error *unknown_name(const char *what, cw_str name, const char *const *names,
                              size_t stride, size_t n) {
    cw_buf b = {0};
    cw_buf_printf(&b, "unknown %s `%S`, expected ", what, name);
    if (n == 0) cw_buf_puts(&b, "no fields");
    for (size_t k = 0; k < n; k++) {
        const char *each = *(const char *const *)(const void *)((const char *)names + k * stride);
        cw_buf_printf(&b, "%s`%s`", k ? ", " : (n > 1 ? "one of " : ""), each);
    }
    cw_error *e = cw_error_str(cw_buf_view(&b));
    cw_buf_free(&b);
    return e;
}

cw_error *cw_parse_unknown_field(cw_str name, const cw_field *fields, size_t n) {
    return unknown_name("field", name, n ? &fields[0].name : NULL, sizeof *fields, n);
}

cw_error *cw_parse_struct(cw_json obj, const cw_field *fields, size_t n, void *base,
                          cw_field_fn parse) {
    if (obj.type != CW_JSON_OBJECT) return cw_errorf("invalid type: expected an object");
    return cw_parse_fields(obj, fields, n, base, parse, cw_parse_unknown_field);
}

cw_error *cw_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body) {
    if (v.type != CW_JSON_OBJECT || cw_json_len(v) != 1)
        return cw_errorf("invalid message: expected an object with exactly one key, got %S",
                         v.text);
    cw_json_iter it = cw_json_iter_begin(v);
    cw_str raw;
    cw_json_next(&it, &raw, body);
    cw_str name = cw_json_key(raw);
    size_t n = 0;
    for (; variants[n]; n++) {
        if (cw_str_eq_c(name, variants[n])) {
            *index = n;
            return NULL;
        }
    }
    return unknown_name("variant", name, variants, sizeof *variants, n);
}

cw_error *cw_parse_receive_msg(cw_json msg_field, cw_json *out) {
    if (msg_field.type != CW_JSON_STRING)
        return cw_errorf("invalid type for `msg`: expected base64");
    cw_str b64;
    bool owned = false;
    CW_TRY(cw_json_string(msg_field, &b64, &owned));
    if (owned) cw_hold((void *)b64.ptr);
    cw_buf decoded = {0};
    CW_TRY(cw_base64_decode(b64, &decoded));
    return cw_json_parse(cw_hold_buf(&decoded), out);
}

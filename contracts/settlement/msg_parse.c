/* Strict message parsing for the settlement: externally tagged enums and struct bodies from
 * cw_field tables (deny_unknown_fields, duplicate and missing fields refused, types checked). */
#include "settlement.h"

static cw_error *type_error(const char *field, const char *expected, cw_json v) {
    return cw_errorf("invalid type for `%s`: expected %s, got %S", field, expected, v.text);
}

static cw_error *string_of(cw_json v, const char *field, const char *expected, cw_str *out) {
    if (v.type != CW_JSON_STRING) return type_error(field, expected, v);
    bool owned = false;
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) cw_hold((void *)out->ptr);
    return NULL;
}

static cw_error *parse_field(const cw_field *f, cw_json v, void *out) {
    cw_str s;
    switch (f->kind) {
    case SM_STRING:
        return string_of(v, f->name, "a string", (cw_str *)out);
    case SM_ADDR:
        CW_TRY(string_of(v, f->name, "an address", (cw_str *)out));
        return cw_addr_validate(*(cw_str *)out);
    case SM_U128:
        CW_TRY(string_of(v, f->name, "a Uint128 string", &s));
        return cw_u128_parse(s, (cw_u128 *)out);
    default:
        *(cw_json *)out = v;
        return NULL;
    }
}

/* "unknown <what> `x`, expected one of `a`, `b`" (or "expected no fields"). */
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

static cw_error *unknown_field(cw_str name, const cw_field *fields, size_t n) {
    return unknown_name("field", name, &fields[0].name, sizeof *fields, n);
}

cw_error *sm_parse_struct(cw_json obj, const cw_field *fields, size_t n, sm_msg *m) {
    if (obj.type != CW_JSON_OBJECT) return cw_errorf("invalid type: expected an object");
    return cw_parse_fields(obj, fields, n, m, parse_field, unknown_field);
}

cw_error *sm_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body) {
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

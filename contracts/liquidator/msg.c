/* Strict message parsing for the liquidator: struct bodies through the SDK's field walk
 * (cw_parse.h: unknown, duplicate and missing fields) with this contract's value kinds and
 * error texts, and externally tagged enums. */
#include "liquidator.h"

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

static cw_error *parse_value(const cw_field *f, cw_json v, void *out) {
    cw_str s;
    switch (f->kind) {
    case LQ_STR:
        return string_of(v, f->name, "a string", (cw_str *)out);
    case LQ_ADDR:
        CW_TRY(string_of(v, f->name, "a string", (cw_str *)out));
        return cw_addr_validate(*(cw_str *)out);
    case LQ_U128:
        CW_TRY(string_of(v, f->name, "a Uint128 string", &s));
        return cw_u128_parse(s, (cw_u128 *)out);
    case LQ_DEC:
        CW_TRY(string_of(v, f->name, "a Decimal string", &s));
        return cw_decimal_parse(s, (cw_decimal *)out);
    case LQ_U64:
        if (v.type == CW_JSON_NUMBER) {
            cw_error *err = cw_json_u64(v, (uint64_t *)out);
            if (!err) return NULL;
            cw_error_free(err); /* replaced by the field's own text */
        }
        return type_error(f->name, "an unsigned integer", v);
    case LQ_BOOL:
        if (v.type == CW_JSON_TRUE || v.type == CW_JSON_FALSE) {
            *(bool *)out = v.type == CW_JSON_TRUE;
            return NULL;
        }
        return type_error(f->name, "a boolean", v);
    default:
        *(cw_json *)out = v;
        return NULL;
    }
}

static cw_error *unknown_field(cw_str name, const cw_field *fields, size_t n) {
    cw_buf b = {0};
    cw_buf_printf(&b, "unknown field `%S`, expected ", name);
    if (n == 0) cw_buf_puts(&b, "no fields");
    for (size_t k = 0; k < n; k++)
        cw_buf_printf(&b, "%s`%s`", k ? ", " : (n > 1 ? "one of " : ""), fields[k].name);
    cw_error *e = cw_error_str(cw_buf_view(&b));
    cw_buf_free(&b);
    return e;
}

cw_error *lq_parse(cw_json obj, const cw_field *fields, size_t n, void *record) {
    if (obj.type != CW_JSON_OBJECT) return cw_errorf("invalid type: expected an object");
    return cw_parse_fields(obj, fields, n, record, parse_value, unknown_field);
}

cw_error *lq_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body) {
    if (v.type != CW_JSON_OBJECT || cw_json_len(v) != 1)
        return cw_errorf("invalid message: expected an object with exactly one key, got %S",
                         v.text);
    cw_json_iter it = cw_json_iter_begin(v);
    cw_str raw;
    cw_json_next(&it, &raw, body);
    cw_str name = cw_json_key(raw);
    for (size_t i = 0; variants[i]; i++) {
        if (cw_str_eq_c(name, variants[i])) {
            *index = i;
            return NULL;
        }
    }
    cw_buf b = {0};
    cw_buf_printf(&b, "unknown variant `%S`, expected one of ", name);
    for (size_t i = 0; variants[i]; i++) cw_buf_printf(&b, "%s`%s`", i ? ", " : "", variants[i]);
    cw_error *e = cw_error_str(cw_buf_view(&b));
    cw_buf_free(&b);
    return e;
}

/* Strict, serde-like parsing of the timelock's messages: structs with deny_unknown_fields,
 * externally tagged enums, and the field types the messages use (String, Addr, Option<Addr>,
 * u64, raw JSON). */
#include "governance.h"

static cw_error *type_error(const char *field, const char *expected, cw_json v) {
    return cw_errorf("invalid type for `%s`: expected %s, got %S", field, expected, v.text);
}

cw_error *gv_json_string(cw_json v, const char *field, cw_str *out) {
    if (v.type != CW_JSON_STRING) return type_error(field, "a string", v);
    bool owned = false;
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) cw_hold((void *)out->ptr);
    return NULL;
}

static cw_error *parse_field(const cw_field *f, cw_json v, void *out) {
    switch (f->kind) {
    case GV_STR:
        return gv_json_string(v, f->name, (cw_str *)out);
    case GV_ADDR_NULL:
        if (v.type == CW_JSON_NULL) return NULL;
        /* fall through */
    case GV_ADDR:
        if (v.type != CW_JSON_STRING) return type_error(f->name, "an address string", v);
        CW_TRY(gv_json_string(v, f->name, (cw_str *)out));
        return cw_addr_validate(*(cw_str *)out);
    case GV_U64: {
        if (v.type != CW_JSON_NUMBER) return type_error(f->name, "an unsigned integer", v);
        cw_error *err = cw_json_u64(v, (uint64_t *)out);
        if (!err) return NULL;
        cw_error_free(err); /* the reader's own text is replaced by the field's type error */
        return type_error(f->name, "an unsigned integer", v);
    }
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

cw_error *gv_parse_struct(cw_json obj, const cw_field *fields, size_t n, void *base) {
    if (obj.type != CW_JSON_OBJECT)
        return cw_errorf("invalid type: expected an object, got %S", obj.text);
    return cw_parse_fields(obj, fields, n, base, parse_field, unknown_field);
}

cw_error *gv_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body) {
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

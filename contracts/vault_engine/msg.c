/* Strict message parsing for the engine: externally tagged enums and struct bodies from field
 * tables (unknown, duplicate and missing fields refused, types checked), into one ve_msg. */
#include "engine.h"

#define VE_MAX_FIELDS 12

static cw_error *type_error(const char *field, const char *expected, cw_json v) {
    return cw_errorf("invalid type for `%s`: expected %s, got %S", field, expected, v.text);
}

static cw_error *string_of(cw_json v, const char *field, cw_str *out) {
    if (v.type != CW_JSON_STRING) return type_error(field, "a string", v);
    bool owned = false;
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) cw_hold((void *)out->ptr);
    return NULL;
}

static cw_error *parse_field(const ve_field *f, cw_json v, char *base) {
    void *out = base + f->offset;
    cw_str s;
    cw_error *err;
    const char *expected;
    switch (f->kind) {
    case VE_STR:
        return string_of(v, f->name, (cw_str *)out);
    case VE_ADDR:
        CW_TRY(string_of(v, f->name, (cw_str *)out));
        return cw_addr_validate(*(cw_str *)out);
    case VE_U128:
        if (v.type != CW_JSON_STRING) return type_error(f->name, "a Uint128 string", v);
        CW_TRY(string_of(v, f->name, &s));
        return cw_u128_parse(s, (cw_u128 *)out);
    case VE_DEC:
        if (v.type != CW_JSON_STRING) return type_error(f->name, "a Decimal string", v);
        CW_TRY(string_of(v, f->name, &s));
        return cw_decimal_parse(s, (cw_decimal *)out);
    case VE_U64:
        expected = "an unsigned integer";
        err = v.type == CW_JSON_NUMBER ? cw_json_u64(v, (uint64_t *)out)
                                       : NULL; /* NULL: a non-number */
        if (v.type == CW_JSON_NUMBER && !err) return NULL;
        break;
    case VE_RAW:
        *(cw_json *)out = v;
        return NULL;
    default:
        expected = "a boolean";
        if (!(err = cw_json_bool(v, (bool *)out))) return NULL;
        break;
    }
    cw_error_free(err); /* the reader's own text is replaced by the field's type error */
    return type_error(f->name, expected, v);
}

cw_error *ve_parse(cw_json obj, const ve_field *fields, size_t n, ve_msg *m) {
    if (obj.type != CW_JSON_OBJECT) return cw_errorf("invalid type: expected an object");
    bool seen[VE_MAX_FIELDS] = {false};
    cw_json_iter it = cw_json_iter_begin(obj);
    cw_str raw;
    cw_json v;
    while (cw_json_next(&it, &raw, &v)) {
        size_t i = 0;
        while (i < n && !cw_str_eq_c(raw, fields[i].name)) i++;
        if (i == n) {
            cw_buf b = {0};
            cw_buf_printf(&b, "unknown field `%S`, expected ", raw);
            if (n == 0) cw_buf_puts(&b, "no fields");
            for (size_t k = 0; k < n; k++)
                cw_buf_printf(&b, "%s`%s`", k ? ", " : (n > 1 ? "one of " : ""), fields[k].name);
            cw_error *e = cw_error_str(cw_buf_view(&b));
            cw_buf_free(&b);
            return e;
        }
        if (seen[i]) return cw_errorf("duplicate field `%s`", fields[i].name);
        seen[i] = true;
        if (fields[i].optional && v.type == CW_JSON_NULL) continue;
        CW_TRY(parse_field(&fields[i], v, (char *)m));
        if (fields[i].present) *(bool *)((char *)m + fields[i].present) = true;
    }
    for (size_t i = 0; i < n; i++)
        if (!seen[i] && !fields[i].optional) return cw_errorf("missing field `%s`", fields[i].name);
    return NULL;
}

cw_error *ve_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body) {
    if (v.type != CW_JSON_OBJECT || cw_json_len(v) != 1)
        return cw_errorf("invalid message: expected an object with exactly one key, got %S",
                         v.text);
    cw_json_iter it = cw_json_iter_begin(v);
    cw_str name;
    cw_json_next(&it, &name, body);
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

/* Strict, serde-like parsing of stable_token's messages: structs with deny_unknown_fields,
 * externally tagged enums, and the scalar types cw20-base uses (String, Uint128, u8, u32,
 * Binary, Expiration), with serde's error wording where SPEC.md §7 says so. */
#include "token.h"

/* --- Error texts ----------------------------------------------------------------------------- */

/* A JSON number with a fraction or an exponent (serde reads it as a float). */
static bool fractional(cw_str num) {
    for (size_t i = 0; i < num.len; i++)
        if (num.ptr[i] == '.' || num.ptr[i] == 'e' || num.ptr[i] == 'E') return true;
    return false;
}

/* serde's Unexpected description of a JSON value. */
static void put_unexpected(cw_buf *b, cw_json v) {
    switch (v.type) {
    case CW_JSON_NULL:
        cw_buf_puts(b, "null");
        break;
    case CW_JSON_TRUE:
        cw_buf_puts(b, "boolean `true`");
        break;
    case CW_JSON_FALSE:
        cw_buf_puts(b, "boolean `false`");
        break;
    case CW_JSON_NUMBER:
        cw_buf_printf(b, "%s `%S`", fractional(v.text) ? "floating point" : "integer", v.text);
        break;
    case CW_JSON_STRING:
        cw_buf_printf(b, "string %S", v.text);
        break;
    case CW_JSON_ARRAY:
        cw_buf_puts(b, "sequence");
        break;
    default:
        cw_buf_puts(b, "map");
        break;
    }
}

static cw_error *invalid_type(cw_json v, const char *expected) {
    cw_buf b = {0};
    cw_buf_puts(&b, "invalid type: ");
    put_unexpected(&b, v);
    cw_buf_printf(&b, ", expected %s", expected);
    cw_error *e = cw_error_str(cw_buf_view(&b));
    cw_buf_free(&b);
    return e;
}

/* serde's unknown_variant / unknown_field: "unknown <kind> `x`, expected `a`" (`a` or `b`; one
 * of `a`, `b`, `c`; "there are no <kind>s"). names[i] is the first member of an element of
 * `stride` bytes, so both a string list and an cw_field table serve. */
static cw_error *unknown_name(const char *kind, cw_str name, const void *names, size_t stride,
                              size_t n) {
    cw_buf b = {0};
    cw_buf_printf(&b, "unknown %s `%S`, ", kind, name);
    if (n == 0) cw_buf_printf(&b, "there are no %ss", kind);
    if (n > 0) cw_buf_puts(&b, n > 2 ? "expected one of " : "expected ");
    for (size_t i = 0; i < n; i++) {
        const char *each = *(const char *const *)(const void *)((const char *)names + i * stride);
        cw_buf_printf(&b, "%s`%s`", i == 0 ? "" : n == 2 ? " or " : ", ", each);
    }
    cw_error *e = cw_error_str(cw_buf_view(&b));
    cw_buf_free(&b);
    return e;
}

cw_error *st_parse_error(const char *type_name, cw_error *err) {
    if (!err) return NULL;
    cw_error *e = cw_errorf("Error parsing into type %s: %s", type_name, err->msg);
    cw_error_free(err);
    return e;
}

/* --- Scalars --------------------------------------------------------------------------------- */

cw_error *st_json_string(cw_json v, cw_str *out) {
    if (v.type != CW_JSON_STRING) return invalid_type(v, "a string");
    bool owned = false;
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) cw_hold((void *)out->ptr);
    return NULL;
}

/* Rust's `str::parse::<u128>()` (or u64 when `narrow`), wrapped as cosmwasm-std's visitors
 * word it: "invalid Uint128 '<s>' - <ParseIntError>". */
cw_error *st_parse_uint(cw_str s, bool narrow, cw_u128 *out) {
    uint64_t v64 = 0;
    cw_parse_status st = narrow ? cw_u64_from_dec(s, &v64) : cw_u128_from_dec(s, out);
    if (st)
        return cw_errorf("invalid %s '%S' - %s", narrow ? "Uint64" : "Uint128", s,
                         cw_parse_strerror(st));
    if (narrow) *out = v64;
    return NULL;
}

cw_error *st_parse_uint_value(cw_json v, bool narrow, cw_u128 *out) {
    if (v.type != CW_JSON_STRING) return invalid_type(v, "string-encoded integer");
    cw_str s;
    CW_TRY(st_json_string(v, &s));
    return st_parse_uint(s, narrow, out);
}

cw_error *st_parse_u128_value(cw_json v, cw_u128 *out) {
    return st_parse_uint_value(v, false, out);
}

cw_error *st_parse_json_uint(cw_json v, const char *type_name, uint64_t max, uint64_t *out) {
    bool negative_int = v.type == CW_JSON_NUMBER && v.text.ptr[0] == '-' && !fractional(v.text);
    *out = 0;
    cw_error *err = NULL; /* cw_json_u64's own text is replaced by serde's: freed here */
    if (!negative_int && (v.type != CW_JSON_NUMBER || (err = cw_json_u64(v, out)))) {
        cw_error_free(err);
        return invalid_type(v, type_name);
    }
    if (negative_int || *out > max)
        return cw_errorf("invalid value: integer `%S`, expected %s", v.text, type_name);
    return NULL;
}

/* A u8/u32 field (stored as uint32_t). */
static cw_error *parse_small_uint(cw_json v, const char *type_name, uint64_t max, uint32_t *out) {
    uint64_t n;
    CW_TRY(st_parse_json_uint(v, type_name, max, &n));
    *out = (uint32_t)n;
    return NULL;
}

/* Binary: base64 (standard alphabet). cosmwasm-std 1.x accepts missing padding, so pad
 * before the SDK's strict decoder. The decoded bytes are held. */
cw_error *st_parse_binary(cw_json v, cw_str *out) {
    if (v.type != CW_JSON_STRING) return invalid_type(v, "base64-encoded string");
    cw_str s;
    CW_TRY(st_json_string(v, &s));
    cw_buf padded = {0}, bytes = {0};
    cw_buf_put_str(&padded, s);
    while (padded.len % 4) cw_buf_putc(&padded, '=');
    cw_error *err = cw_base64_decode(cw_buf_view(&padded), &bytes);
    cw_buf_free(&padded);
    if (err) {
        cw_buf_free(&bytes);
        cw_error *e = cw_errorf("Invalid base64: %s", err->msg);
        cw_error_free(err);
        return e;
    }
    *out = cw_hold_buf(&bytes);
    return NULL;
}

/* --- Enums and structs ----------------------------------------------------------------------- */

cw_error *st_parse_enum(cw_json v, const char *what, const char *const *variants, size_t *index,
                        cw_json *body) {
    cw_str name;
    if (v.type == CW_JSON_STRING) {
        CW_TRY(st_json_string(v, &name));
        *body = (cw_json){CW_JSON_MISSING, {NULL, 0}};
    } else if (v.type == CW_JSON_OBJECT && cw_json_len(v) == 1) {
        cw_json_iter it = cw_json_iter_begin(v);
        cw_str raw;
        cw_json_next(&it, &raw, body);
        name = cw_json_key(raw);
    } else {
        return invalid_type(v, what);
    }
    size_t n = 0; /* the variants before the first NULL; the ones after it are omitted */
    for (size_t i = 0;; i++) {
        if (!variants[i]) {
            if (n) break;
            n = i;
        } else if (cw_str_eq_c(name, variants[i])) {
            *index = i;
            if (body->type == CW_JSON_MISSING)
                return cw_errorf("invalid type: unit variant, expected struct variant");
            return NULL;
        }
    }
    return unknown_name("variant", name, variants, sizeof *variants, n);
}

static cw_error *parse_field(const cw_field *f, cw_json v, void *out) {
    switch (f->kind) {
    case ST_STRING:
        return st_json_string(v, (cw_str *)out);
    case ST_U128:
        return st_parse_u128_value(v, (cw_u128 *)out);
    case ST_U8:
        return parse_small_uint(v, "u8", 0xFF, (uint32_t *)out);
    case ST_U32:
        return parse_small_uint(v, "u32", 0xFFFFFFFFu, (uint32_t *)out);
    case ST_BINARY:
        return st_parse_binary(v, (cw_str *)out);
    case ST_EXPIRATION:
        return st_parse_expiration(v, (st_expiration *)out);
    default:
        *(cw_json *)out = v;
        return NULL;
    }
}

/* serde's "invalid type: …, expected <kind><name>"; with `camel`, a snake_case variant name is
 * written as its Rust CamelCase (update_minter → UpdateMinter). */
static cw_error *not_a_struct(cw_json v, const char *kind, const char *name, bool camel) {
    cw_buf exp = {0};
    cw_buf_puts(&exp, kind);
    bool upper = camel;
    for (const char *p = name; *p; p++) {
        if (camel && *p == '_') {
            upper = true;
            continue;
        }
        cw_buf_putc(&exp, upper ? (char)(*p - 'a' + 'A') : *p);
        upper = false;
    }
    cw_buf_putc(&exp, '\0');
    cw_error *e = invalid_type(v, exp.ptr);
    cw_buf_free(&exp);
    return e;
}

cw_error *st_parse_variant(cw_json body, const char *enum_path, const char *variant,
                           const cw_field *fields, size_t n, void *base) {
    if (body.type != CW_JSON_OBJECT) return not_a_struct(body, enum_path, variant, true);
    return st_parse_struct(body, variant, fields, n, base);
}

static cw_error *unknown_field(cw_str name, const cw_field *fields, size_t n) {
    return unknown_name("field", name, fields, sizeof *fields, n);
}

cw_error *st_parse_struct(cw_json obj, const char *what, const cw_field *fields, size_t n,
                          void *base) {
    if (obj.type != CW_JSON_OBJECT) return not_a_struct(obj, "struct ", what, false);
    return cw_parse_fields(obj, fields, n, base, parse_field, unknown_field);
}

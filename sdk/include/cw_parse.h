/* Strict, serde-like parsing of message structs for contracts: a table of fields (name,
 * kind, optional, where the value goes in the caller's record) read from a JSON object with
 * deny_unknown_fields semantics, keys unescaped into the per-call arena (cw_arena.h). The
 * member walk, the duplicate/missing checks and the optional/present handling are in
 * sdk/src/cw_parse.c; the standard value kinds, their error texts and externally tagged enums
 * in sdk/src/cw_parse_kinds.c. A contract wraps cw_parse_kinds in its own cw_field_fn. */
#ifndef CW_PARSE_H
#define CW_PARSE_H

#include <stddef.h>

#include "cw_base.h"
#include "cw_json.h"

/* One struct field: its value is stored at byte `offset` of the caller's record; an optional
 * field (Option<T>) may be absent or null, and then the bool at offset `present` (0 = none)
 * stays false. `kind` is the contract's own value type, handed back to its cw_field_fn.
 * Tables are static const, built with CW_REQ / CW_OPT. */
typedef struct cw_field {
    const char *name;
    uint8_t kind;
    uint8_t optional;
    uint8_t offset; /* records keep every parsed field in their first 256 bytes */
    uint8_t present;
} cw_field;

/* offsetof(type, member), or a compile error (negative array size) when it exceeds 255. */
#define CW_FIELD_OFFSET(type, member)                                                              \
    (offsetof(type, member) + 0 * sizeof(char[offsetof(type, member) < 256 ? 1 : -1]))
#define CW_REQ(type, name, kind, member)                                                           \
    { name, kind, 0, CW_FIELD_OFFSET(type, member), 0 }
#define CW_OPT(type, name, kind, member, flag)                                                     \
    { name, kind, 1, CW_FIELD_OFFSET(type, member), CW_FIELD_OFFSET(type, flag) }

/* Parse one field's value `v` (never null for an optional field) into `out`. */
typedef cw_error *(*cw_field_fn)(const cw_field *f, cw_json v, void *out);
/* The error for a member named `name` that is not in the table (serde: unknown_field). */
typedef cw_error *(*cw_unknown_field_fn)(cw_str name, const cw_field *fields, size_t n);

/* Read the object `obj` (the caller checks that it is one) into the record at `base`:
 * members in document order (an unknown member → unknown(); a repeated one → "duplicate field
 * `x`"; each value → parse()), then the first missing required field in table order
 * ("missing field `x`"). At most 32 fields. Returns NULL or the first error; on error the
 * record may be partly filled. Example:
 *     static const cw_field F[] = {CW_REQ(msg, "denom", K_STRING, denom)};
 *     CW_TRY(cw_parse_fields(body, F, 1, &m, parse_value, unknown_field)); */
cw_error *cw_parse_fields(cw_json obj, const cw_field *fields, size_t n, void *base,
                          cw_field_fn parse, cw_unknown_field_fn unknown);

/* A member key as cw_json_next gives it (raw, escaped) in its unescaped form: the slice
 * itself when it has no escapes, else an unescaped copy held in the per-call arena. */
cw_str cw_json_key(cw_str raw);

/* --- Standard value kinds (cw_parse_kinds.c) ----------------------------------------------- */

/* The kinds cw_parse_value knows; a contract numbers its own from CW_KIND_CUSTOM. A value of
 * the wrong JSON type fails with "invalid type for `field`: expected <what>, got <json>". */
enum cw_kind {
    CW_KIND_STRING,  /* JSON string → cw_str (unescaped, held); "a string" */
    CW_KIND_ADDR,    /* JSON string, cw_addr_validate'd → cw_str; "an address" */
    CW_KIND_U128,    /* Uint128 string → cw_u128; "a Uint128 string" */
    CW_KIND_DECIMAL, /* Decimal string → cw_decimal; "a Decimal string" */
    CW_KIND_U64,     /* JSON number → uint64_t; "an unsigned integer" (also out of range) */
    CW_KIND_BOOL,    /* true / false → bool; "a boolean" */
    CW_KIND_JSON,    /* any JSON value → cw_json, unchecked */
    CW_KIND_CUSTOM = 16
};

/* "invalid type for `field`: expected <expected>, got <v's text>". */
cw_error *cw_parse_type_error(const char *field, const char *expected, cw_json v);
/* A JSON string into *out (unescaped copy held), else cw_parse_type_error(field, expected). */
cw_error *cw_parse_string(cw_json v, const char *field, const char *expected, cw_str *out);
/* One standard kind each (cw_field_fn); cw_parse_kinds picks among them. */
cw_error *cw_parse_string_value(const cw_field *f, cw_json v, void *out);
cw_error *cw_parse_addr_value(const cw_field *f, cw_json v, void *out);
cw_error *cw_parse_u128_value(const cw_field *f, cw_json v, void *out);
cw_error *cw_parse_decimal_value(const cw_field *f, cw_json v, void *out);
cw_error *cw_parse_u64_value(const cw_field *f, cw_json v, void *out);
cw_error *cw_parse_bool_value(const cw_field *f, cw_json v, void *out);
cw_error *cw_parse_json_value(const cw_field *f, cw_json v, void *out);

#define CW_KIND_BIT(kind) (1u << (kind))
#define CW_KINDS_ALL 0x7fu /* every standard kind */

/* Parse a value of one of the standard kinds set in `kinds` (an OR of CW_KIND_BIT, constant at
 * the call), any other kind as CW_KIND_JSON. With a constant `kinds` only the parsers of those
 * kinds are linked, so a contract wraps this in its own cw_field_fn:
 *     return cw_parse_kinds(CW_KIND_BIT(CW_KIND_STRING) | CW_KIND_BIT(CW_KIND_U128), f, v, out); */
static inline cw_error *cw_parse_kinds(uint32_t kinds, const cw_field *f, cw_json v, void *out) {
    uint32_t bit = kinds & (f->kind < 32 ? CW_KIND_BIT(f->kind) : 0);
    if (bit == CW_KIND_BIT(CW_KIND_STRING)) return cw_parse_string_value(f, v, out);
    if (bit == CW_KIND_BIT(CW_KIND_ADDR)) return cw_parse_addr_value(f, v, out);
    if (bit == CW_KIND_BIT(CW_KIND_U128)) return cw_parse_u128_value(f, v, out);
    if (bit == CW_KIND_BIT(CW_KIND_DECIMAL)) return cw_parse_decimal_value(f, v, out);
    if (bit == CW_KIND_BIT(CW_KIND_U64)) return cw_parse_u64_value(f, v, out);
    if (bit == CW_KIND_BIT(CW_KIND_BOOL)) return cw_parse_bool_value(f, v, out);
    return cw_parse_json_value(f, v, out);
}
/* The cw_field_fn of every standard kind (links them all; contracts prefer cw_parse_kinds). */
cw_error *cw_parse_value(const cw_field *f, cw_json v, void *out);
/* The cw_unknown_field_fn: "unknown field `x`, expected `a`" / "expected one of `a`, `b`" /
 * "expected no fields". */
cw_error *cw_parse_unknown_field(cw_str name, const cw_field *fields, size_t n);
/* A struct with deny_unknown_fields: "invalid type: expected an object" unless `obj` is one,
 * then cw_parse_fields with `parse` (cw_parse_value or a contract's wrapper of it) and
 * cw_parse_unknown_field. */
cw_error *cw_parse_struct(cw_json obj, const cw_field *fields, size_t n, void *base,
                          cw_field_fn parse);
/* An externally tagged enum {"variant": body}: *index is the variant's position in the
 * NULL-terminated `variants` and *body its value. Errors: "invalid message: expected an object
 * with exactly one key, got <json>", "unknown variant `x`, expected `a`" (one variant) or
 * "expected one of `a`, `b`". */
cw_error *cw_parse_enum(cw_json v, const char *const *variants, size_t *index, cw_json *body);
/* A CW20 Receive hook's `msg` field (base64 of JSON) decoded and parsed; the decoded text is
 * held in the per-call arena. Errors: "invalid type for `msg`: expected base64", the base64
 * decoder's and the JSON reader's. */
cw_error *cw_parse_receive_msg(cw_json msg_field, cw_json *out);

#endif

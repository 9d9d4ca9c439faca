/* Strict, serde-like parsing of message structs for contracts: a table of fields (name,
 * kind, optional, where the value goes in the caller's record) read from a JSON object with
 * deny_unknown_fields semantics, keys unescaped into the per-call arena (cw_arena.h). Each
 * contract keeps its own value kinds and error texts (callbacks); the member walk, the
 * duplicate/missing checks and the optional/present handling are here. Implementation:
 * sdk/src/cw_parse.c. */
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

#endif

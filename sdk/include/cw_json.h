/* JSON for contracts: a validating, zero-copy reader (values are slices of the input) with a
 * depth limit, a streaming writer with exact string escaping, and base64 (standard alphabet,
 * padded) as CosmWasm's Binary uses. Implementation: sdk/src/cw_json.c, sdk/src/cw_base64.c. */
#ifndef CW_JSON_H
#define CW_JSON_H

#include "cw_base.h"

#define CW_JSON_MAX_DEPTH 64

typedef enum cw_json_type {
    CW_JSON_MISSING = 0, /* a lookup that found nothing */
    CW_JSON_NULL,
    CW_JSON_FALSE,
    CW_JSON_TRUE,
    CW_JSON_NUMBER,
    CW_JSON_STRING,
    CW_JSON_ARRAY,
    CW_JSON_OBJECT
} cw_json_type;

/* A validated JSON value: `text` is the exact slice of the input (a string includes its
 * quotes). Only values obtained from cw_json_parse (or from walking one) are valid. */
typedef struct cw_json {
    cw_json_type type;
    cw_str text;
} cw_json;

/* --- Reader ------------------------------------------------------------------------------ */

/* Validate a complete document (RFC 8259: one value, surrounding whitespace allowed, UTF-8
 * checked in strings, escapes checked, nesting ≤ CW_JSON_MAX_DEPTH). Returns NULL and sets
 * *root, or an error such as "invalid JSON at byte 17: expected ':'". */
cw_error *cw_json_parse(cw_str text, cw_json *root);

/* Member of an object by key (keys compared after unescaping); CW_JSON_MISSING if absent or
 * if `obj` is not an object. The last duplicate wins, as in serde_json. */
cw_json cw_json_get(cw_json obj, const char *key);

/* Walk an object's members or an array's elements in order. */
typedef struct cw_json_iter {
    cw_json container;
    size_t pos;
} cw_json_iter;
cw_json_iter cw_json_iter_begin(cw_json container);
/* Next member (objects: *key is the raw key slice *without* quotes, still escaped; use
 * cw_json_unescape for the value) or element (arrays: key may be NULL). false at the end. */
bool cw_json_next(cw_json_iter *it, cw_str *key, cw_json *value);
size_t cw_json_len(cw_json container); /* number of members/elements */

/* An externally tagged enum value as serde writes it: {"variant":{...}} (exactly one
 * member) or "variant" (a string, for unit variants). Sets *variant and *body (body is
 * CW_JSON_MISSING for the string form). Error if the shape is wrong. */
cw_error *cw_json_enum(cw_json v, cw_str *variant, cw_json *body);

/* Decode a string value. Zero-copy when the string has no escapes (then *out points into
 * the input and *owned is false); otherwise an unescaped cw_alloc'd copy (*owned true,
 * caller frees). Error if v is not a string. */
cw_error *cw_json_string(cw_json v, cw_str *out, bool *owned);
/* Unescape the body of a JSON string (without quotes) into `out`. */
void cw_json_unescape(cw_str raw, cw_buf *out);

/* Non-negative integer value that fits in 64 bits (JSON numbers only, no fraction or
 * exponent). Error names the problem. */
cw_error *cw_json_u64(cw_json v, uint64_t *out);
cw_error *cw_json_bool(cw_json v, bool *out);

/* serde-style strictness: error "unknown field `x`, expected one of `a`, `b`" when `obj`
 * has a member whose key is not in the NULL-terminated `allowed` list. */
cw_error *cw_json_deny_unknown(cw_json obj, const char *const *allowed);

/* --- Writer ------------------------------------------------------------------------------ */

/* Streaming writer into a cw_buf; commas and colons are inserted automatically. Nesting
 * beyond CW_JSON_MAX_DEPTH or a key outside an object aborts (a bug in the caller). */
typedef struct cw_jw {
    cw_buf *out;
    uint32_t depth;
    uint8_t need_comma[CW_JSON_MAX_DEPTH + 1];
    uint8_t after_key;
} cw_jw;

void cw_jw_init(cw_jw *w, cw_buf *out);
void cw_jw_obj_begin(cw_jw *w);
void cw_jw_obj_end(cw_jw *w);
void cw_jw_arr_begin(cw_jw *w);
void cw_jw_arr_end(cw_jw *w);
void cw_jw_key(cw_jw *w, const char *key);
void cw_jw_key_str(cw_jw *w, cw_str key);
void cw_jw_str(cw_jw *w, cw_str s);       /* escaped string */
void cw_jw_cstr(cw_jw *w, const char *s); /* escaped string */
void cw_jw_u64(cw_jw *w, uint64_t v);     /* bare number */
void cw_jw_u128_str(cw_jw *w, cw_u128 v); /* Uint128 as a decimal string: "123" */
void cw_jw_bool(cw_jw *w, bool v);
void cw_jw_null(cw_jw *w);
void cw_jw_raw(cw_jw *w, cw_str json);     /* pre-serialised JSON value, inserted verbatim */
void cw_jw_base64(cw_jw *w, cw_str bytes); /* Binary: base64 string */

/* Escape as serde_json does: \" \\ \n \r \t \b \f, other control characters as \u00XX,
 * everything else (including non-ASCII UTF-8 and '/') verbatim. */
void cw_json_escape(cw_buf *out, cw_str s);

/* --- Base64 ------------------------------------------------------------------------------ */

void cw_base64_encode(cw_buf *out, cw_str bytes);
/* Strict decoding (standard alphabet, padding required, no whitespace). */
cw_error *cw_base64_decode(cw_str text, cw_buf *out);

#endif

/* The strict struct-field walk of cw_parse.h, shared by the contracts' message parsers:
 * unknown, duplicate and missing fields, optional fields with their present flags. */
#include "cw_parse.h"

#include "cw_arena.h"

cw_str cw_json_key(cw_str raw) {
    for (size_t i = 0; i < raw.len; i++) {
        if (raw.ptr[i] == '\\') {
            cw_buf b = {0};
            cw_json_unescape(raw, &b);
            return cw_hold_buf(&b);
        }
    }
    return raw;
}

cw_error *cw_parse_fields(cw_json obj, const cw_field *fields, size_t n, void *base,
                          cw_field_fn parse, cw_unknown_field_fn unknown) {
    uint32_t seen = 0; /* bit i: field i was given */
    cw_json_iter it = cw_json_iter_begin(obj);
    cw_str raw;
    cw_json v;
    while (cw_json_next(&it, &raw, &v)) {
        cw_str name = cw_json_key(raw);
        size_t i = 0;
        while (i < n && !cw_str_eq_c(name, fields[i].name)) i++;
        if (i == n) return unknown(name, fields, n);
        if (seen >> i & 1) return cw_errorf("duplicate field `%s`", fields[i].name);
        seen |= 1u << i;
        if (fields[i].optional && v.type == CW_JSON_NULL) continue;
        CW_TRY(parse(&fields[i], v, (char *)base + fields[i].offset));
        if (fields[i].present) *(bool *)((char *)base + fields[i].present) = true;
    }
    for (size_t i = 0; i < n; i++)
        if (!(seen >> i & 1) && !fields[i].optional)
            return cw_errorf("missing field `%s`", fields[i].name);
    return NULL;
}

/* Strict message parsing for the liquidator: the SDK's standard value kinds (cw_parse.h), with
 * an address whose type error reads "expected a string" as this contract always has. */
#include "liquidator.h"

#define LQ_KINDS                                                                                   \
    (CW_KIND_BIT(CW_KIND_STRING) | CW_KIND_BIT(CW_KIND_U128) | CW_KIND_BIT(CW_KIND_DECIMAL) |      \
     CW_KIND_BIT(CW_KIND_U64) | CW_KIND_BIT(CW_KIND_BOOL))

static cw_error *parse_value(const cw_field *f, cw_json v, void *out) {
    if (f->kind != LQ_ADDR) return cw_parse_kinds(LQ_KINDS, f, v, out);
    CW_TRY(cw_parse_string(v, f->name, "a string", (cw_str *)out));
    return cw_addr_validate(*(cw_str *)out);
}

cw_error *lq_parse(cw_json obj, const cw_field *fields, size_t n, void *record) {
    return cw_parse_struct(obj, fields, n, record, parse_value);
}

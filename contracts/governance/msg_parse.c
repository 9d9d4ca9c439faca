/* Strict, serde-like parsing of the timelock's messages: the SDK's standard value kinds and
 * enums (cw_parse.h) plus this contract's Addr ("an address string") and Option<Addr>. */
#include "governance.h"

#define GV_KINDS (CW_KIND_BIT(CW_KIND_STRING) | CW_KIND_BIT(CW_KIND_U64))

static cw_error *parse_field(const cw_field *f, cw_json v, void *out) {
    if (f->kind != GV_ADDR && f->kind != GV_ADDR_NULL) return cw_parse_kinds(GV_KINDS, f, v, out);
    if (f->kind == GV_ADDR_NULL && v.type == CW_JSON_NULL) return NULL;
    CW_TRY(cw_parse_string(v, f->name, "an address string", (cw_str *)out));
    return cw_addr_validate(*(cw_str *)out);
}

cw_error *gv_parse_struct(cw_json obj, const cw_field *fields, size_t n, void *base) {
    if (obj.type != CW_JSON_OBJECT)
        return cw_errorf("invalid type: expected an object, got %S", obj.text);
    return cw_parse_struct(obj, fields, n, base, parse_field);
}

/* What a proposal or an emergency call may send, and its canonical form (SPEC.md §4): each
 * CosmosMsg is parsed strictly, checked against the allowed kinds (and, for emergency, the
 * allow-list of execute variants) and written back exactly as cosmwasm-std serialises it, with
 * the inner message re-encoded in canonical base64; the SHA-256 of that array is msgs_hash. */
#include "governance.h"

typedef struct wasm_fields {
    cw_str contract_addr, msg, admin;
    uint64_t new_code_id;
    cw_json funds;
} wasm_fields;

static const cw_field EXECUTE[] = {
    CW_REQ(wasm_fields, "contract_addr", GV_ADDR, contract_addr),
    CW_REQ(wasm_fields, "msg", GV_STR, msg),
    CW_REQ(wasm_fields, "funds", GV_RAW, funds),
};
static const cw_field MIGRATE[] = {
    CW_REQ(wasm_fields, "contract_addr", GV_ADDR, contract_addr),
    CW_REQ(wasm_fields, "new_code_id", GV_U64, new_code_id),
    CW_REQ(wasm_fields, "msg", GV_STR, msg),
};
static const cw_field UPDATE_ADMIN[] = {
    CW_REQ(wasm_fields, "contract_addr", GV_ADDR, contract_addr),
    CW_REQ(wasm_fields, "admin", GV_ADDR, admin),
};

static const char PROPOSAL_RULE[] = "a proposal takes only wasm execute, migrate and update_admin";
static const char EMERGENCY_RULE[] = "emergency takes only wasm execute of an allowed action";

/* The Binary `msg`: strict base64 whose bytes are a JSON document (held). */
static cw_error *inner_msg(cw_str b64, cw_str *bytes, cw_json *doc) {
    cw_buf decoded = {0};
    cw_error *err = cw_base64_decode(b64, &decoded);
    if (err) {
        cw_buf_free(&decoded);
        cw_error_free(err);
        return cw_errorf("`msg` is not valid base64");
    }
    *bytes = cw_hold_buf(&decoded);
    err = cw_json_parse(*bytes, doc);
    if (!err) return NULL;
    cw_error *e = cw_errorf("`msg` is not JSON: %s", err->msg);
    cw_error_free(err);
    return e;
}

static cw_error *allowed_action(const gv_config *cfg, cw_json doc, cw_buf *variants) {
    if (doc.type != CW_JSON_OBJECT || cw_json_len(doc) != 1)
        return cw_errorf("emergency `msg` must be {\"<action>\":{…}}");
    cw_json_iter it = cw_json_iter_begin(doc);
    cw_str raw;
    cw_json body;
    cw_json_next(&it, &raw, &body);
    cw_str name = cw_json_key(raw);
    for (uint32_t i = 0; i < cfg->n_actions; i++) {
        if (cw_str_eq(name, cfg->actions[i])) {
            cw_buf_printf(variants, "%s%S", variants->len ? "," : "", name);
            return NULL;
        }
    }
    cw_buf b = {0};
    cw_buf_printf(&b, "`%S` is not an emergency action (allowed:", name);
    for (uint32_t i = 0; i < cfg->n_actions; i++)
        cw_buf_printf(&b, "%s %S", i ? "," : "", cfg->actions[i]);
    cw_buf_puts(&b, cfg->n_actions ? ")" : " none)");
    cw_error *e = cw_error_str(cw_buf_view(&b));
    cw_buf_free(&b);
    return e;
}

/* One CosmosMsg, checked and written canonically to `out`. */
static cw_error *one_msg(cw_json v, bool emergency, const gv_config *cfg, cw_buf *out,
                         cw_buf *variants) {
    const char *rule = emergency ? EMERGENCY_RULE : PROPOSAL_RULE;
    if (v.type != CW_JSON_OBJECT || cw_json_len(v) != 1)
        return cw_errorf("invalid CosmosMsg: expected an object with exactly one key, got %S",
                         v.text);
    cw_json_iter it = cw_json_iter_begin(v);
    cw_str raw;
    cw_json wasm;
    cw_json_next(&it, &raw, &wasm);
    cw_str kind = cw_json_key(raw);
    if (!cw_str_eq_c(kind, "wasm")) return cw_errorf("%S messages are not allowed: %s", kind, rule);
    if (wasm.type != CW_JSON_OBJECT || cw_json_len(wasm) != 1)
        return cw_errorf("invalid WasmMsg: expected an object with exactly one key, got %S",
                         wasm.text);
    cw_json body;
    it = cw_json_iter_begin(wasm);
    cw_json_next(&it, &raw, &body);
    cw_str variant = cw_json_key(raw);
    wasm_fields f = {0};
    cw_str bytes;
    cw_json doc;
    if (cw_str_eq_c(variant, "execute")) {
        CW_TRY(gv_parse_struct(body, EXECUTE, 3, &f));
        if (f.funds.type != CW_JSON_ARRAY)
            return cw_errorf("invalid type for `funds`: expected an array, got %S", f.funds.text);
        if (cw_json_len(f.funds))
            return cw_errorf("wasm execute funds must be empty: the timelock holds no funds");
        CW_TRY(inner_msg(f.msg, &bytes, &doc));
        if (emergency) CW_TRY(allowed_action(cfg, doc, variants));
        cw_msg_wasm_execute(out, f.contract_addr, bytes, NULL, 0);
        return NULL;
    }
    if (!emergency && cw_str_eq_c(variant, "migrate")) {
        CW_TRY(gv_parse_struct(body, MIGRATE, 3, &f));
        CW_TRY(inner_msg(f.msg, &bytes, &doc));
        cw_msg_wasm_migrate(out, f.contract_addr, f.new_code_id, bytes);
        return NULL;
    }
    if (!emergency && cw_str_eq_c(variant, "update_admin")) {
        CW_TRY(gv_parse_struct(body, UPDATE_ADMIN, 2, &f));
        cw_buf_printf(out, "{\"wasm\":{\"update_admin\":{\"contract_addr\":%J,\"admin\":%J}}}",
                      f.contract_addr, f.admin);
        return NULL;
    }
    return cw_errorf("wasm %S is not allowed: %s", variant, rule);
}

cw_error *gv_canonical_msgs(cw_json msgs, bool emergency, const gv_config *cfg, cw_buf *out,
                            uint32_t *count, cw_buf *variants) {
    if (msgs.type != CW_JSON_ARRAY)
        return cw_errorf("invalid type for `msgs`: expected an array, got %S", msgs.text);
    size_t n = cw_json_len(msgs);
    if (n < 1 || n > GV_MAX_MSGS)
        return cw_errorf("invalid msgs: expected 1 to %u messages, got %u", (unsigned)GV_MAX_MSGS,
                         (unsigned)n);
    cw_buf_putc(out, '[');
    cw_json_iter it = cw_json_iter_begin(msgs);
    cw_json v;
    for (unsigned i = 0; cw_json_next(&it, NULL, &v); i++) {
        if (i) cw_buf_putc(out, ',');
        cw_error *err = one_msg(v, emergency, cfg, out, variants);
        if (err) {
            cw_error *e = cw_errorf("msgs[%u]: %s", i, err->msg);
            cw_error_free(err);
            return e;
        }
    }
    cw_buf_putc(out, ']');
    *count = (uint32_t)n;
    return NULL;
}

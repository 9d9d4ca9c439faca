/* relay — a test stand-in for any contract: {"relay":{"msgs":[CosmosMsg…]}} returns those
 * messages unchanged (so a test can make "the liquidator" or "the pool" send anything), and
 * every other execute is accepted and recorded (variant, body, funds) for {"last":{}}. */
#include "cw_entry.h"
#include "cw_host.h"

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    (void)env;
    (void)info;
    (void)msg;
    cw_res_attr_c(res, "action", "instantiate");
    return NULL;
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    (void)env;
    cw_str variant;
    cw_json body;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    if (cw_str_eq_c(variant, "relay")) {
        cw_json msgs = cw_json_get(body, "msgs");
        if (msgs.type != CW_JSON_ARRAY) return cw_errorf("relay: `msgs` must be an array");
        cw_json_iter it = cw_json_iter_begin(msgs);
        cw_str key;
        cw_json item;
        while (cw_json_next(&it, &key, &item)) cw_res_message(res, item.text);
        cw_res_attr_c(res, "action", "relay");
        return NULL;
    }
    cw_buf funds = {0};
    cw_buf_puts(&funds, "[");
    for (size_t i = 0; i < info->n_funds; i++)
        cw_buf_printf(&funds, "%s{\"denom\":%J,\"amount\":\"%Q\"}", i ? "," : "",
                      info->funds[i].denom, info->funds[i].amount);
    cw_buf_puts(&funds, "]");
    cw_db_write(CW_LIT("last_variant"), variant);
    cw_db_write(CW_LIT("last_body"), body.text);
    cw_db_write(CW_LIT("last_funds"), cw_buf_view(&funds));
    cw_db_write(CW_LIT("last_sender"), info->sender);
    cw_buf_free(&funds);
    cw_res_attr_c(res, "action", "recorded");
    cw_res_attr(res, "variant", variant);
    return NULL;
}

/* {"last":{}} → {"variant":"…","body":{…},"funds":[…],"sender":"…"} or all null. */
static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    (void)msg;
    static const char *const keys[] = {"variant", "body", "funds", "sender"};
    static const char *const stored[] = {"last_variant", "last_body", "last_funds", "last_sender"};
    cw_jw w;
    cw_jw_init(&w, answer);
    cw_jw_obj_begin(&w);
    for (int i = 0; i < 4; i++) {
        cw_str v;
        cw_jw_key(&w, keys[i]);
        if (!cw_db_read(cw_cstr(stored[i]), &v)) {
            cw_jw_null(&w);
            continue;
        }
        if (i == 0 || i == 3)
            cw_jw_str(&w, v);
        else
            cw_jw_raw(&w, v);
        cw_free((void *)v.ptr);
    }
    cw_jw_obj_end(&w);
    return NULL;
}

CW_CONTRACT(instantiate, execute, query)

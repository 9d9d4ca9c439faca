/* receiver — a test contract for the compatibility suite: a CW20 Receive hook that records the
 * last `receive` call (token contract and the Cw20ReceiveMsg body) in storage; rejects when the
 * decoded inner msg is "reject", so a cw20 `send` into it must roll back. */
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

/* {"receive":{"sender":"…","amount":"…","msg":"<base64>"}} */
static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    (void)env;
    cw_str variant;
    cw_json body;
    cw_error *err = cw_json_enum(msg, &variant, &body);
    if (err) return err;
    if (!cw_str_eq_c(variant, "receive") || body.type != CW_JSON_OBJECT)
        return cw_errorf("receiver: unknown message %S", variant);
    cw_json inner = cw_json_get(body, "msg");
    cw_str b64;
    bool owned = false;
    if ((err = cw_json_string(inner, &b64, &owned))) return err;
    cw_buf decoded = {0};
    err = cw_base64_decode(b64, &decoded);
    if (owned) cw_free((void *)b64.ptr);
    if (err) return err;
    bool reject = cw_str_eq_c(cw_buf_view(&decoded), "\"reject\"") ||
                  cw_str_eq_c(cw_buf_view(&decoded), "reject");
    cw_buf_free(&decoded);
    if (reject) return cw_errorf("receiver: rejected transfer from %S", info->sender);
    cw_db_write(CW_LIT("last_token"), info->sender);
    cw_db_write(CW_LIT("last_receive"), body.text);
    cw_res_attr_c(res, "action", "receive");
    cw_res_attr(res, "token", info->sender);
    return NULL;
}

/* {"last":{}} → {"token":"…"|null,"receive":{…}|null} */
static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    (void)msg;
    cw_str token, receive;
    bool has_token = cw_db_read(CW_LIT("last_token"), &token);
    bool has_receive = cw_db_read(CW_LIT("last_receive"), &receive);
    cw_jw w;
    cw_jw_init(&w, answer);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "token");
    if (has_token)
        cw_jw_str(&w, token);
    else
        cw_jw_null(&w);
    cw_jw_key(&w, "receive");
    if (has_receive)
        cw_jw_raw(&w, receive);
    else
        cw_jw_null(&w);
    cw_jw_obj_end(&w);
    if (has_token) cw_free((void *)token.ptr);
    if (has_receive) cw_free((void *)receive.ptr);
    return NULL;
}

CW_CONTRACT(instantiate, execute, query)

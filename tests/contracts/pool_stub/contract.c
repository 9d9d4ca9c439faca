/* pool_stub — a test stand-in for the backstop pool: {"set_deposits":{"amount":"N"}} sets what
 * the query {"pool":{}} answers as total_deposits; every other execute is accepted and recorded
 * (variant, body, funds) for {"last":{}}, as tests/contracts/relay does. */
#include "cw_entry.h"
#include "cw_host.h"

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    (void)env;
    (void)info;
    (void)msg;
    cw_db_write(CW_LIT("deposits"), CW_LIT("0"));
    cw_res_attr_c(res, "action", "instantiate");
    return NULL;
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    (void)env;
    cw_str variant, amount;
    cw_json body;
    bool owned;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    if (cw_str_eq_c(variant, "set_deposits")) {
        CW_TRY(cw_json_string(cw_json_get(body, "amount"), &amount, &owned));
        cw_db_write(CW_LIT("deposits"), amount);
        cw_res_attr_c(res, "action", "set_deposits");
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
    cw_buf_free(&funds);
    cw_res_attr_c(res, "action", "recorded");
    cw_res_attr(res, "variant", variant);
    return NULL;
}

/* {"pool":{}} → {"total_deposits":"N"}; {"last":{}} → {"variant","body","funds"} or nulls. */
static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    cw_str variant, v;
    cw_json body;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    cw_jw w;
    cw_jw_init(&w, answer);
    cw_jw_obj_begin(&w);
    if (cw_str_eq_c(variant, "pool")) {
        cw_db_read(CW_LIT("deposits"), &v);
        cw_jw_key(&w, "total_deposits");
        cw_jw_str(&w, v);
        cw_free((void *)v.ptr);
        cw_jw_obj_end(&w);
        return NULL;
    }
    static const char *const keys[] = {"variant", "body", "funds"};
    static const char *const stored[] = {"last_variant", "last_body", "last_funds"};
    for (int i = 0; i < 3; i++) {
        cw_jw_key(&w, keys[i]);
        if (!cw_db_read(cw_cstr(stored[i]), &v)) {
            cw_jw_null(&w);
            continue;
        }
        if (i == 0)
            cw_jw_str(&w, v);
        else
            cw_jw_raw(&w, v);
        cw_free((void *)v.ptr);
    }
    cw_jw_obj_end(&w);
    return NULL;
}

CW_CONTRACT(instantiate, execute, query)

/* engine_stub — a test stand-in for a contract that must answer queries (relay cannot):
 * {"set":{"query":Q,"answer":A}} stores A as the answer to the query whose JSON text is exactly
 * Q (as written in the set message); a query returns its stored answer or fails with
 * "engine_stub: no answer for <query>". Every other execute, and any funds, are accepted. */
#include "cw_entry.h"
#include "cw_host.h"

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    (void)env, (void)info, (void)msg;
    cw_res_attr_c(res, "action", "instantiate");
    return NULL;
}

static cw_str answer_key(cw_buf *k, cw_str query) {
    cw_buf_puts(k, "q:");
    cw_buf_put(k, query.ptr, query.len);
    return cw_buf_view(k);
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    (void)env, (void)info;
    cw_str variant;
    cw_json body;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    cw_res_attr_c(res, "action", "recorded");
    if (!cw_str_eq_c(variant, "set")) return NULL;
    cw_json q = cw_json_get(body, "query"), a = cw_json_get(body, "answer");
    if (q.type == CW_JSON_MISSING || a.type == CW_JSON_MISSING)
        return cw_errorf("engine_stub: set needs `query` and `answer`");
    cw_buf k = {0};
    cw_db_write(answer_key(&k, q.text), a.text);
    cw_buf_free(&k);
    return NULL;
}

static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    cw_buf k = {0};
    cw_str v;
    bool found = cw_db_read(answer_key(&k, msg.text), &v);
    cw_buf_free(&k);
    if (!found) return cw_errorf("engine_stub: no answer for %S", msg.text);
    cw_buf_put(answer, v.ptr, v.len);
    cw_free((void *)v.ptr);
    return NULL;
}

CW_CONTRACT(instantiate, execute, query)

/* settlement entry points: instantiate, the execute dispatcher (finalize, and redeem through the
 * stable_token Receive hook) ending every successful execute with the accounting check, and the
 * query entry. Collateral arrives by plain bank sends and CW20 transfers, which need no
 * entry point. Behaviour: SPEC.md. */
#include "settlement.h"

cw_error *sm_parse_value(const cw_field *f, cw_json v, void *out) {
    return cw_parse_kinds(CW_KIND_BIT(CW_KIND_STRING) | CW_KIND_BIT(CW_KIND_ADDR) |
                              CW_KIND_BIT(CW_KIND_U128),
                          f, v, out);
}

#define F(name, kind, member) CW_REQ(sm_msg, name, kind, member)

static const cw_field INIT[] = {F("engine", CW_KIND_ADDR, engine),
                                F("stable_token", CW_KIND_ADDR, stable_token)};

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    (void)env, (void)info;
    sm_msg m = {0};
    cw_error *err = cw_parse_struct(msg, INIT, 2, &m, sm_parse_value);
    if (!err) {
        sm_config cfg = {m.engine, m.stable_token};
        sm_status s = {0};
        sm_config_save(&cfg);
        sm_status_save(&s);
        cw_res_attr_c(res, "action", "instantiate");
        cw_res_attr(res, "engine", cfg.engine);
        cw_res_attr(res, "stable_token", cfg.stable_token);
    }
    cw_release_all();
    return err;
}

/* --- Execute --------------------------------------------------------------------------------- */

static const cw_field RECEIVE[] = {F("sender", CW_KIND_ADDR, sender),
                                   F("amount", CW_KIND_U128, amount), F("msg", CW_KIND_JSON, msg)};
static const char *const EXECS[] = {"receive", "finalize", NULL};
static const char *const HOOKS[] = {"redeem", NULL};

/* The Receive hook: only stable_token's `send` with {"redeem":{}} redeems for its `sender`. */
static cw_error *exec_receive(sm_ctx *c, const sm_msg *m) {
    if (!cw_str_eq(c->info->sender, c->cfg.stable_token))
        return cw_errorf("unauthorized: only the stable token %S can be redeemed (sender %S)",
                         c->cfg.stable_token, c->info->sender);
    cw_json hook, body;
    CW_TRY(cw_parse_receive_msg(m->msg, &hook));
    size_t which;
    sm_msg none = {0};
    CW_TRY(cw_parse_enum(hook, HOOKS, &which, &body));
    CW_TRY(cw_parse_struct(body, NULL, 0, &none, sm_parse_value));
    return sm_redeem(c, m->sender, m->amount);
}

static cw_error *dispatch(sm_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    sm_msg m = {0};
    CW_TRY(cw_parse_enum(msg, EXECS, &which, &body));
    CW_TRY(
        cw_parse_struct(body, which == 0 ? RECEIVE : NULL, which == 0 ? 3 : 0, &m, sm_parse_value));
    if (c->info->n_funds)
        return cw_errorf("this message takes no funds: got %s%S", sm_u(c->info->funds[0].amount),
                         c->info->funds[0].denom);
    CW_TRY(sm_config_load(&c->cfg));
    CW_TRY(sm_status_load(&c->status));
    c->before = c->status;
    CW_TRY(which == 0 ? exec_receive(c, &m) : sm_exec_finalize(c));
    return sm_finish(c);
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    static sm_ctx c; /* large; one call per instance */
    c = (sm_ctx){0};
    c.env = env;
    c.info = info;
    c.res = res;
    cw_error *err = dispatch(&c, msg);
    cw_release_all();
    return err;
}

static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = sm_query(env, msg, answer);
    cw_release_all();
    return err;
}

CW_CONTRACT(instantiate, execute, query)

/* backstop_pool entry points: instantiate, the execute dispatcher (deposit through the
 * stable_token Receive hook, withdraw, claim, absorb, update_config) ending every successful
 * execute with the accounting check, and the query entry. Behaviour: SPEC.md. */
#include "pool.h"

cw_error *bp_parse_value(const cw_field *f, cw_json v, void *out) {
    return cw_parse_kinds(CW_KIND_BIT(CW_KIND_STRING) | CW_KIND_BIT(CW_KIND_ADDR) |
                              CW_KIND_BIT(CW_KIND_U128),
                          f, v, out);
}

#define F(name, kind, member) CW_REQ(bp_msg, name, kind, member)
#define OPT(name, kind, member, flag) CW_OPT(bp_msg, name, kind, member, flag)

static const cw_field INIT[] = {
    F("governance", CW_KIND_ADDR, governance),
    F("stable_token", CW_KIND_ADDR, stable_token),
    F("engine", CW_KIND_ADDR, engine),
    F("liquidator", CW_KIND_ADDR, liquidator),
};

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    (void)env, (void)info;
    bp_msg m = {0};
    cw_error *err = cw_parse_struct(msg, INIT, 4, &m, bp_parse_value);
    if (!err) err = bp_instantiate_config(&m, res);
    cw_release_all();
    return err;
}

/* --- Execute --------------------------------------------------------------------------------- */

static const cw_field WITHDRAW[] = {OPT("amount", CW_KIND_U128, amount, has_amount)};
static const cw_field ABSORB[] = {
    F("market", CW_KIND_STRING, market), F("asset", CW_KIND_STRING, asset),
    F("kind", CW_KIND_STRING, kind),     F("amount", CW_KIND_U128, amount),
    F("debt", CW_KIND_U128, debt),
};
static const cw_field RECEIVE[] = {F("sender", CW_KIND_ADDR, sender),
                                   F("amount", CW_KIND_U128, amount), F("msg", CW_KIND_JSON, msg)};
static const cw_field UPDATE_CONFIG[] = {
    OPT("governance", CW_KIND_ADDR, governance, has_governance),
    OPT("engine", CW_KIND_ADDR, engine, has_engine),
    OPT("liquidator", CW_KIND_ADDR, liquidator, has_liquidator),
};

typedef cw_error *(*bp_exec_fn)(bp_ctx *c, const bp_msg *m);
static cw_error *exec_receive(bp_ctx *c, const bp_msg *m);

static const char *const EXECS[] = {"receive", "withdraw",      "claim",
                                    "absorb",  "update_config", NULL};
static const struct {
    const cw_field *fields;
    uint8_t n;
    bp_exec_fn run;
} EXEC_TABLE[] = {
    {RECEIVE, 3, exec_receive},
    {WITHDRAW, 1, bp_exec_withdraw},
    {NULL, 0, bp_exec_claim},
    {ABSORB, 5, bp_exec_absorb},
    {UPDATE_CONFIG, 3, bp_exec_update_config},
};
enum { EXEC_ABSORB = 3 };

/* The Receive hook: only stable_token's `send` with {"deposit":{}} credits its `sender`. */
static const char *const HOOKS[] = {"deposit", NULL};

static cw_error *exec_receive(bp_ctx *c, const bp_msg *m) {
    if (!cw_str_eq(c->info->sender, c->cfg.stable_token))
        return cw_errorf("unauthorized: only the stable token %S can be deposited (sender %S)",
                         c->cfg.stable_token, c->info->sender);
    cw_json hook, body;
    CW_TRY(cw_parse_receive_msg(m->msg, &hook));
    size_t which;
    bp_msg none = {0};
    CW_TRY(cw_parse_enum(hook, HOOKS, &which, &body));
    CW_TRY(cw_parse_struct(body, NULL, 0, &none, bp_parse_value));
    return bp_deposit_received(c, m->sender, m->amount);
}

static cw_error *dispatch(bp_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    bp_msg m = {0};
    CW_TRY(cw_parse_enum(msg, EXECS, &which, &body));
    CW_TRY(
        cw_parse_struct(body, EXEC_TABLE[which].fields, EXEC_TABLE[which].n, &m, bp_parse_value));
    if (which != EXEC_ABSORB && c->info->n_funds)
        return cw_errorf("this message takes no funds: got %s%S", bp_u(c->info->funds[0].amount),
                         c->info->funds[0].denom);
    CW_TRY(bp_config_load(&c->cfg));
    CW_TRY(bp_state_load(&c->state));
    c->before = c->state;
    CW_TRY(EXEC_TABLE[which].run(c, &m));
    return bp_finish(c);
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    static bp_ctx c; /* large; one call per instance */
    c = (bp_ctx){0};
    c.env = env;
    c.info = info;
    c.res = res;
    cw_error *err = dispatch(&c, msg);
    cw_buf_free(&c.gains_attr);
    cw_release_all();
    return err;
}

/* --- Query ----------------------------------------------------------------------------------- */

static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = bp_query(env, msg, answer);
    cw_release_all();
    return err;
}

CW_CONTRACT(instantiate, execute, query)

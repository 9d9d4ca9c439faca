/* governance entry points: instantiate, the execute dispatcher (queue, execute_proposal,
 * cancel, emergency, update_config) which ends every successful execute with the identity
 * check, migrate (for upgrading the timelock itself) and the query entry. See SPEC.md. */
#include "governance.h"

#define M(name, kind, member) CW_REQ(gv_msg, name, kind, member)
#define O(name, kind, member, flag) CW_OPT(gv_msg, name, kind, member, flag)

/* instantiate and update_config: the whole configuration. */
static const cw_field CONFIG[] = {
    M("proposer", GV_ADDR, proposer),
    M("guardian", GV_ADDR_NULL, guardian),
    M("emergency", GV_ADDR_NULL, emergency),
    M("min_delay", GV_U64, min_delay),
    M("max_delay", GV_U64, max_delay),
    M("grace_period", GV_U64, grace_period),
    O("emergency_actions", GV_RAW, emergency_actions, has_actions),
};
static const cw_field QUEUE[] = {
    M("title", GV_STR, title),
    O("description", GV_STR, description, has_description),
    M("msgs", GV_RAW, msgs),
    O("delay", GV_U64, delay, has_delay),
};
static const cw_field BY_ID[] = {M("id", GV_U64, id)};
static const cw_field MSGS[] = {M("msgs", GV_RAW, msgs)};

/* --- Instantiate ---------------------------------------------------------------------------- */

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    (void)env;
    gv_msg m = {0};
    gv_config cfg;
    cw_error *err = info->n_funds ? cw_errorf("instantiate takes no funds") : NULL;
    if (!err) err = gv_parse_struct(msg, CONFIG, 7, &m);
    if (!err) err = gv_config_from_msg(&m, &cfg);
    if (!err) {
        gv_config_save(&cfg);
        gv_counts_save(&(gv_counts){.next_id = 1});
        cw_res_attr_c(res, "action", "instantiate");
        gv_config_attrs(res, &cfg);
    }
    cw_release_all();
    return err;
}

/* --- Execute -------------------------------------------------------------------------------- */

static const char *const EXECS[] = {"queue",     "execute_proposal", "cancel",
                                    "emergency", "update_config",    NULL};
static const struct {
    const cw_field *fields;
    uint8_t n;
    gv_exec_fn run;
} EXEC_TABLE[] = {
    {QUEUE, 4, gv_exec_queue},    {BY_ID, 1, gv_exec_execute_proposal}, {BY_ID, 1, gv_exec_cancel},
    {MSGS, 1, gv_exec_emergency}, {CONFIG, 7, gv_exec_update_config},
};

static cw_error *dispatch(gv_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    gv_msg m = {0};
    CW_TRY(cw_parse_enum(msg, EXECS, &which, &body));
    CW_TRY(gv_parse_struct(body, EXEC_TABLE[which].fields, EXEC_TABLE[which].n, &m));
    if (c->info->n_funds) {
        char amount[40];
        amount[cw_u128_to_dec(c->info->funds[0].amount, amount)] = '\0';
        return cw_errorf("this message takes no funds: got %s%S", amount, c->info->funds[0].denom);
    }
    CW_TRY(gv_config_load(&c->cfg));
    CW_TRY(gv_counts_load(&c->counts));
    c->counts_before = c->counts;
    CW_TRY(EXEC_TABLE[which].run(c, &m));
    gv_counts_save(&c->counts);
    return gv_check_identity(&c->counts_before, &c->counts);
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    gv_ctx c = {0};
    c.env = env;
    c.info = info;
    c.res = res;
    c.now = env->time_ns / 1000000000u;
    gv_call_ledger = (gv_ledger){0};
    cw_error *err = dispatch(&c, msg);
    cw_release_all();
    return err;
}

/* --- Migrate: {} upgrades the timelock's code and keeps its state ---------------------------- */

static cw_error *migrate(const cw_env *env, cw_json msg, cw_response *res) {
    (void)env;
    gv_msg m = {0};
    gv_config cfg;
    cw_error *err = gv_parse_struct(msg, NULL, 0, &m);
    if (!err) err = gv_config_load(&cfg);
    if (!err) cw_res_attr_c(res, "action", "migrate");
    cw_release_all();
    return err;
}

/* --- Query ---------------------------------------------------------------------------------- */

static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = gv_query(env, msg, answer);
    cw_release_all();
    return err;
}

CW_CONTRACT(instantiate, execute, query)
CW_CONTRACT_MIGRATE(migrate)

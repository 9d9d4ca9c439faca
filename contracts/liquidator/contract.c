/* liquidator entry points: instantiate, the execute dispatcher (governance, engine and public
 * messages) which ends every successful execute with the accounting check, and the query entry.
 * See SPEC.md and contracts/SOLVENCY.md. */
#include "liquidator.h"

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    cw_error *err = lq_instantiate(env, info, msg, res);
    cw_release_all();
    return err;
}

typedef cw_error *(*lq_exec_fn)(lq_ctx *c, cw_json body);

static const char *const EXECS[] = {"update_config",
                                    "set_market_params",
                                    "set_circuit_breaker",
                                    "start_auction",
                                    "take",
                                    "redo",
                                    "shutdown",
                                    "cancel_auction",
                                    NULL};
static const lq_exec_fn RUN[] = {lq_exec_update_config,
                                 lq_exec_set_market_params,
                                 lq_exec_set_circuit_breaker,
                                 lq_exec_start_auction,
                                 lq_exec_take,
                                 lq_exec_redo,
                                 lq_exec_shutdown,
                                 lq_exec_cancel_auction};
enum { START_AUCTION = 3 };

static cw_error *dispatch(lq_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    CW_TRY(cw_parse_enum(msg, EXECS, &which, &body));
    if (which != START_AUCTION && c->info->n_funds)
        return cw_errorf("this message takes no funds: got %s%S", lq_u(c->info->funds[0].amount),
                         c->info->funds[0].denom);
    CW_TRY(lq_config_load(&c->cfg));
    CW_TRY(RUN[which](c, body));
    return lq_finish(c);
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    lq_ctx c = {0};
    c.env = env;
    c.info = info;
    c.res = res;
    c.now = env->time_ns / 1000000000u;
    cw_error *err = dispatch(&c, msg);
    cw_release_all();
    return err;
}

static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = lq_query(env, msg, answer);
    cw_release_all();
    return err;
}

CW_CONTRACT(instantiate, execute, query)

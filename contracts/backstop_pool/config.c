/* The backstop pool's configuration: instantiate (governance, stable_token, engine,
 * liquidator; the state starts with P = 10^36) and governance's update_config. */
#include "pool.h"

cw_error *bp_instantiate_config(const bp_msg *m, cw_response *res) {
    bp_config c = {m->governance, m->stable_token, m->engine, m->liquidator};
    bp_config_save(&c);
    bp_state s = {0};
    s.product = BP_P_START;
    bp_state_save(&s);
    cw_res_attr_c(res, "action", "instantiate");
    cw_res_attr(res, "governance", c.governance);
    cw_res_attr(res, "stable_token", c.stable_token);
    cw_res_attr(res, "engine", c.engine);
    cw_res_attr(res, "liquidator", c.liquidator);
    return NULL;
}

static void replace(bp_ctx *c, const char *old_key, const char *new_key, cw_str *field,
                    cw_str value) {
    cw_res_attr(c->res, old_key, *field);
    cw_res_attr(c->res, new_key, value);
    *field = value;
}

cw_error *bp_exec_update_config(bp_ctx *c, const bp_msg *m) {
    if (!cw_str_eq(c->info->sender, c->cfg.governance))
        return cw_errorf("unauthorized: governance only (sender %S)", c->info->sender);
    cw_res_attr_c(c->res, "action", "update_config");
    if (m->has_governance)
        replace(c, "old_governance", "new_governance", &c->cfg.governance, m->governance);
    if (m->has_engine) replace(c, "old_engine", "new_engine", &c->cfg.engine, m->engine);
    if (m->has_liquidator)
        replace(c, "old_liquidator", "new_liquidator", &c->cfg.liquidator, m->liquidator);
    bp_config_save(&c->cfg);
    return NULL;
}

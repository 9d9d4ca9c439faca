/* The engine's configuration (governance, stable_token, oracle, global debt ceiling, position
 * counter) and global totals records; instantiate and governance's update_config. */
#include "engine.h"

/* --- Records ------------------------------------------------------------------------------- */

cw_error *ve_config_load(ve_config *c) {
    cw_str v;
    if (!ve_load(CW_LIT("config"), &v)) return cw_errorf("vault_engine: config not found");
    ve_rd r = {v, 0};
    c->governance = ve_get_str(&r);
    c->stable_token = ve_get_str(&r);
    c->oracle = ve_get_str(&r);
    c->global_debt_ceiling = ve_get_u128(&r);
    c->next_position_id = ve_get_u64(&r);
    return NULL;
}

void ve_config_save(const ve_config *c) {
    cw_buf b = {0};
    ve_put_str(&b, c->governance);
    ve_put_str(&b, c->stable_token);
    ve_put_str(&b, c->oracle);
    ve_put_u128(&b, c->global_debt_ceiling);
    ve_put_u64(&b, c->next_position_id);
    cw_db_write(CW_LIT("config"), cw_buf_view(&b));
    cw_buf_free(&b);
}

cw_error *ve_totals_load(ve_totals *t) {
    cw_str v;
    if (!ve_load(CW_LIT("totals"), &v)) return cw_errorf("vault_engine: totals not found");
    ve_rd r = {v, 0};
    ve_get_raw(&r, t, sizeof *t);
    return NULL;
}

void ve_totals_save(const ve_totals *t) {
    cw_buf b = {0};
    ve_put_raw(&b, t, sizeof *t);
    cw_db_write(CW_LIT("totals"), cw_buf_view(&b));
    cw_buf_free(&b);
}

/* --- Instantiate ---------------------------------------------------------------------------- */

cw_error *ve_instantiate_config(const cw_env *env, const ve_msg *m, cw_response *res) {
    (void)env;
    ve_config c = {m->governance, m->stable_token, m->oracle, m->global_debt_ceiling, 1};
    ve_config_save(&c);
    ve_totals t = {0};
    ve_totals_save(&t);
    cw_res_attr_c(res, "action", "instantiate");
    cw_res_attr(res, "governance", c.governance);
    cw_res_attr(res, "stable_token", c.stable_token);
    cw_res_attr(res, "oracle", c.oracle);
    cw_res_attr_u128(res, "global_debt_ceiling", c.global_debt_ceiling);
    return NULL;
}

/* --- Governance ----------------------------------------------------------------------------- */

cw_error *ve_require_governance(ve_ctx *c) {
    if (!cw_str_eq(c->info->sender, c->cfg.governance))
        return cw_errorf("unauthorized: governance only (sender %S)", c->info->sender);
    return NULL;
}

static void old_new_str(cw_response *res, const char *name, cw_str old, cw_str now) {
    cw_buf k = {0};
    cw_buf_printf(&k, "old_%s%c", name, 0);
    cw_res_attr(res, k.ptr, old);
    k.len = 0;
    cw_buf_printf(&k, "new_%s%c", name, 0);
    cw_res_attr(res, k.ptr, now);
    cw_buf_free(&k);
}

cw_error *ve_exec_update_config(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_governance(c));
    cw_res_attr_c(c->res, "action", "update_config");
    if (m->has_governance) {
        old_new_str(c->res, "governance", c->cfg.governance, m->governance);
        c->cfg.governance = m->governance;
    }
    if (m->has_oracle) {
        old_new_str(c->res, "oracle", c->cfg.oracle, m->oracle);
        c->cfg.oracle = m->oracle;
    }
    if (m->has_gdc) {
        if (m->global_debt_ceiling < c->totals.total_debt && !m->force)
            return cw_errorf("invalid parameters: global_debt_ceiling %Q < current debt %Q; set "
                             "force to override",
                             m->global_debt_ceiling, c->totals.total_debt);
        cw_res_attr_u128(c->res, "old_global_debt_ceiling", c->cfg.global_debt_ceiling);
        cw_res_attr_u128(c->res, "new_global_debt_ceiling", m->global_debt_ceiling);
        c->cfg.global_debt_ceiling = m->global_debt_ceiling;
    }
    ve_config_save(&c->cfg);
    return NULL;
}

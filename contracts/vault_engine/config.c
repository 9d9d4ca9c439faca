/* The engine's configuration (governance, stable_token, oracle, the solvency contracts, global
 * debt ceiling and auction limit, keeper reward, position counter, shutdown state) and global
 * totals records; instantiate and governance's update_config. */
#include "engine.h"

/* --- Records ------------------------------------------------------------------------------- */

#define CONFIG_BLOCK                                                                               \
    (offsetof(ve_config, shutdown_time) + sizeof(uint64_t) -                                       \
     offsetof(ve_config, global_debt_ceiling))

cw_error *ve_config_load(ve_config *c) {
    cw_str v;
    if (!ve_load(CW_LIT("config"), &v)) return cw_errorf("vault_engine: config not found");
    ve_rd r = {v, 0};
    c->governance = ve_get_str(&r);
    c->stable_token = ve_get_str(&r);
    c->oracle = ve_get_str(&r);
    c->liquidator = ve_get_str(&r);
    c->backstop_pool = ve_get_str(&r);
    c->settlement = ve_get_str(&r);
    ve_get_raw(&r, &c->global_debt_ceiling, CONFIG_BLOCK);
    return NULL;
}

void ve_config_save(const ve_config *c) {
    cw_buf b = {0};
    ve_put_str(&b, c->governance);
    ve_put_str(&b, c->stable_token);
    ve_put_str(&b, c->oracle);
    ve_put_str(&b, c->liquidator);
    ve_put_str(&b, c->backstop_pool);
    ve_put_str(&b, c->settlement);
    ve_put_raw(&b, &c->global_debt_ceiling, CONFIG_BLOCK);
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

static void attr_addr(cw_response *res, const char *key, cw_str v) {
    if (v.len)
        cw_res_attr(res, key, v);
    else
        cw_res_attr_c(res, key, "none");
}

/* The solvency settings shared by instantiate and update_config; `res` gets old/new pairs when
 * `old_new`, else the new values. */
static cw_error *apply_solvency(ve_config *c, const ve_msg *m, cw_response *res, bool old_new);

cw_error *ve_instantiate_config(const cw_env *env, const ve_msg *m, cw_response *res) {
    (void)env;
    ve_config c = {0};
    c.governance = m->governance;
    c.stable_token = m->stable_token;
    c.oracle = m->oracle;
    c.global_debt_ceiling = m->global_debt_ceiling;
    c.global_auction_debt_limit = m->global_debt_ceiling; /* default: the debt ceiling */
    c.next_position_id = 1;
    cw_res_attr_c(res, "action", "instantiate");
    cw_res_attr(res, "governance", c.governance);
    cw_res_attr(res, "stable_token", c.stable_token);
    cw_res_attr(res, "oracle", c.oracle);
    cw_res_attr_u128(res, "global_debt_ceiling", c.global_debt_ceiling);
    CW_TRY(apply_solvency(&c, m, res, false));
    ve_config_save(&c);
    ve_totals t = {0};
    ve_totals_save(&t);
    return NULL;
}

/* --- Governance ----------------------------------------------------------------------------- */

cw_error *ve_require_governance(ve_ctx *c) {
    if (!cw_str_eq(c->info->sender, c->cfg.governance))
        return cw_errorf("unauthorized: governance only (sender %S)", c->info->sender);
    return NULL;
}

cw_error *ve_require_liquidator(ve_ctx *c) {
    if (!c->cfg.liquidator.len || !cw_str_eq(c->info->sender, c->cfg.liquidator))
        return cw_errorf("unauthorized: liquidator only (sender %S)", c->info->sender);
    return NULL;
}

cw_error *ve_require_running(const ve_ctx *c) {
    if (c->cfg.shut_down) return cw_errorf("system is shut down");
    return NULL;
}

uint64_t ve_accrual_time(const ve_config *cfg, uint64_t now) {
    return cfg->shut_down && cfg->shutdown_time < now ? cfg->shutdown_time : now;
}

/* An address attribute, `old_<name>`/`new_<name>` or just `<name>`; "none" when unset. */
static void old_new_str(cw_response *res, const char *name, cw_str old, cw_str now, bool old_new) {
    cw_buf k = {0};
    if (old_new) {
        cw_buf_printf(&k, "old_%s%c", name, 0);
        attr_addr(res, k.ptr, old);
        k.len = 0;
    }
    cw_buf_printf(&k, "%s%s%c", old_new ? "new_" : "", name, 0);
    attr_addr(res, k.ptr, now);
    cw_buf_free(&k);
}

static void old_new_u128(cw_response *res, const char *name, cw_u128 old, cw_u128 now,
                         bool old_new) {
    cw_buf k = {0};
    if (old_new) {
        cw_buf_printf(&k, "old_%s%c", name, 0);
        cw_res_attr_u128(res, k.ptr, old);
        k.len = 0;
    }
    cw_buf_printf(&k, "%s%s%c", old_new ? "new_" : "", name, 0);
    cw_res_attr_u128(res, k.ptr, now);
    cw_buf_free(&k);
}

static cw_error *apply_solvency(ve_config *c, const ve_msg *m, cw_response *res, bool old_new) {
    if (m->has_liquidator) {
        old_new_str(res, "liquidator", c->liquidator, m->liquidator, old_new);
        c->liquidator = m->liquidator;
    }
    if (m->has_pool) {
        old_new_str(res, "backstop_pool", c->backstop_pool, m->backstop_pool, old_new);
        c->backstop_pool = m->backstop_pool;
    }
    if (m->has_settlement) {
        old_new_str(res, "settlement", c->settlement, m->settlement, old_new);
        c->settlement = m->settlement;
    }
    if (m->has_gadl) {
        old_new_u128(res, "global_auction_debt_limit", c->global_auction_debt_limit,
                     m->global_auction_debt_limit, old_new);
        c->global_auction_debt_limit = m->global_auction_debt_limit;
    }
    if (m->has_tip) {
        old_new_u128(res, "keeper_tip", c->keeper_tip, m->keeper_tip, old_new);
        c->keeper_tip = m->keeper_tip;
    }
    if (m->has_kfee) {
        if (cw_decimal_gt(m->keeper_fee, cw_decimal_one()))
            return cw_errorf("invalid parameters: keeper_fee %s must be <= 1",
                             ve_dstr(m->keeper_fee));
        if (old_new) cw_res_attr_c(res, "old_keeper_fee", ve_dstr(c->keeper_fee));
        cw_res_attr_c(res, old_new ? "new_keeper_fee" : "keeper_fee", ve_dstr(m->keeper_fee));
        c->keeper_fee = m->keeper_fee;
    }
    if (m->has_kcap) {
        old_new_u128(res, "keeper_reward_cap", c->keeper_reward_cap, m->keeper_reward_cap, old_new);
        c->keeper_reward_cap = m->keeper_reward_cap;
    }
    return NULL;
}

cw_error *ve_exec_update_config(ve_ctx *c, const ve_msg *m) {
    CW_TRY(ve_require_governance(c));
    cw_res_attr_c(c->res, "action", "update_config");
    if (m->has_governance) {
        old_new_str(c->res, "governance", c->cfg.governance, m->governance, true);
        c->cfg.governance = m->governance;
    }
    if (m->has_oracle) {
        old_new_str(c->res, "oracle", c->cfg.oracle, m->oracle, true);
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
    CW_TRY(apply_solvency(&c->cfg, m, c->res, true));
    ve_config_save(&c->cfg);
    return NULL;
}

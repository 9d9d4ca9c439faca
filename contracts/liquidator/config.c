/* The liquidator's configuration record (addresses of its peers, settlement, circuit breaker,
 * auction counter), instantiate, governance's update_config and set_circuit_breaker, and the
 * sender and state checks every message starts with. */
#include "liquidator.h"

/* --- Record ---------------------------------------------------------------------------------- */

cw_error *lq_config_load(lq_config *c) {
    cw_str v;
    if (!lq_load(CW_LIT("config"), &v)) return cw_errorf("liquidator: config not found");
    cw_record r = {v, 0};
    c->governance = cw_record_get_str(&r);
    c->engine = cw_record_get_str(&r);
    c->stable_token = cw_record_get_str(&r);
    c->oracle = cw_record_get_str(&r);
    c->backstop_pool = cw_record_get_str(&r);
    c->settlement = cw_record_get_str(&r);
    c->circuit_breaker = cw_record_get_u64(&r);
    c->shut_down = cw_record_get_u64(&r);
    c->next_auction_id = cw_record_get_u64(&r);
    return NULL;
}

void lq_config_save(const lq_config *c) {
    cw_buf b = {0};
    cw_record_put_str(&b, c->governance);
    cw_record_put_str(&b, c->engine);
    cw_record_put_str(&b, c->stable_token);
    cw_record_put_str(&b, c->oracle);
    cw_record_put_str(&b, c->backstop_pool);
    cw_record_put_str(&b, c->settlement);
    cw_record_put_u64(&b, c->circuit_breaker);
    cw_record_put_u64(&b, c->shut_down);
    cw_record_put_u64(&b, c->next_auction_id);
    cw_db_write(CW_LIT("config"), cw_buf_view(&b));
    cw_buf_free(&b);
}

/* --- Instantiate and update_config ----------------------------------------------------------- */

typedef struct config_msg {
    cw_str governance, engine, stable_token, oracle, backstop_pool, settlement;
    bool has_governance, has_engine, has_stable_token, has_oracle, has_pool, has_settlement;
    bool remove_pool, has_remove; /* remove_backstop_pool: true */
} config_msg;

#define REQ(name, member) CW_REQ(config_msg, name, LQ_ADDR, member)
#define OPT(name, member, flag) CW_OPT(config_msg, name, LQ_ADDR, member, flag)

static const cw_field INIT[] = {REQ("governance", governance), REQ("engine", engine),
                                REQ("stable_token", stable_token), REQ("oracle", oracle),
                                OPT("backstop_pool", backstop_pool, has_pool)};
static const cw_field UPDATE[] = {
    OPT("governance", governance, has_governance),
    OPT("engine", engine, has_engine),
    OPT("stable_token", stable_token, has_stable_token),
    OPT("oracle", oracle, has_oracle),
    OPT("backstop_pool", backstop_pool, has_pool),
    OPT("settlement", settlement, has_settlement),
    CW_OPT(config_msg, "remove_backstop_pool", LQ_BOOL, remove_pool, has_remove)};

static void attr_or_none(cw_response *res, const char *key, cw_str v) {
    if (v.len)
        cw_res_attr(res, key, v);
    else
        cw_res_attr_c(res, key, "none");
}

cw_error *lq_instantiate(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    (void)env;
    (void)info;
    config_msg m = {0};
    CW_TRY(lq_parse(msg, INIT, 5, &m));
    lq_config c = {
        m.governance, m.engine, m.stable_token, m.oracle, m.backstop_pool, CW_LIT(""), 0, 0, 1};
    if (!m.has_pool) c.backstop_pool = CW_LIT("");
    lq_config_save(&c);
    cw_res_attr_c(res, "action", "instantiate");
    cw_res_attr(res, "governance", c.governance);
    cw_res_attr(res, "engine", c.engine);
    cw_res_attr(res, "stable_token", c.stable_token);
    cw_res_attr(res, "oracle", c.oracle);
    attr_or_none(res, "backstop_pool", c.backstop_pool);
    return NULL;
}

static void old_new(cw_response *res, const char *name, cw_str *field, cw_str now) {
    cw_buf k = {0};
    cw_buf_printf(&k, "old_%s%c", name, 0);
    attr_or_none(res, k.ptr, *field);
    k.len = 0;
    cw_buf_printf(&k, "new_%s%c", name, 0);
    attr_or_none(res, k.ptr, now);
    cw_buf_free(&k);
    *field = now;
}

cw_error *lq_exec_update_config(lq_ctx *c, cw_json body) {
    config_msg m = {0};
    CW_TRY(lq_parse(body, UPDATE, 7, &m));
    if (m.remove_pool && m.has_pool)
        return cw_errorf("invalid parameters: backstop_pool and remove_backstop_pool together");
    CW_TRY(lq_require_governance(c));
    cw_res_attr_c(c->res, "action", "update_config");
    if (m.has_governance) old_new(c->res, "governance", &c->cfg.governance, m.governance);
    if (m.has_engine) old_new(c->res, "engine", &c->cfg.engine, m.engine);
    if (m.has_stable_token) old_new(c->res, "stable_token", &c->cfg.stable_token, m.stable_token);
    if (m.has_oracle) old_new(c->res, "oracle", &c->cfg.oracle, m.oracle);
    if (m.has_pool) old_new(c->res, "backstop_pool", &c->cfg.backstop_pool, m.backstop_pool);
    if (m.remove_pool) old_new(c->res, "backstop_pool", &c->cfg.backstop_pool, CW_LIT(""));
    if (m.has_settlement) old_new(c->res, "settlement", &c->cfg.settlement, m.settlement);
    lq_config_save(&c->cfg);
    return NULL;
}

/* --- Circuit breaker -------------------------------------------------------------------------- */

typedef struct level_msg {
    uint64_t level;
} level_msg;
static const cw_field LEVEL[] = {CW_REQ(level_msg, "level", LQ_U64, level)};

cw_error *lq_exec_set_circuit_breaker(lq_ctx *c, cw_json body) {
    level_msg m = {0};
    CW_TRY(lq_parse(body, LEVEL, 1, &m));
    CW_TRY(lq_require_governance(c));
    if (m.level > 3)
        return cw_errorf("invalid parameters: level %llu must be 0, 1, 2 or 3",
                         (unsigned long long)m.level);
    cw_res_attr_c(c->res, "action", "set_circuit_breaker");
    cw_res_attr_u64(c->res, "old_level", c->cfg.circuit_breaker);
    cw_res_attr_u64(c->res, "new_level", m.level);
    c->cfg.circuit_breaker = m.level;
    lq_config_save(&c->cfg);
    return NULL;
}

/* --- Checks ------------------------------------------------------------------------------------
 */

cw_error *lq_require_governance(lq_ctx *c) {
    if (!cw_str_eq(c->info->sender, c->cfg.governance))
        return cw_errorf("unauthorized: governance only (sender %S)", c->info->sender);
    return NULL;
}

cw_error *lq_require_engine(lq_ctx *c) {
    if (!cw_str_eq(c->info->sender, c->cfg.engine))
        return cw_errorf("unauthorized: engine only (sender %S)", c->info->sender);
    return NULL;
}

cw_error *lq_require_running(lq_ctx *c, uint64_t level, const char *what) {
    if (c->cfg.shut_down) return cw_errorf("liquidator is shut down: %s stopped", what);
    if (c->cfg.circuit_breaker >= level)
        return cw_errorf("circuit breaker at level %llu: %s stopped (level %llu and above)",
                         (unsigned long long)c->cfg.circuit_breaker, what,
                         (unsigned long long)level);
    return NULL;
}

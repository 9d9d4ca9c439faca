/* oracle entry points: instantiate (config, feeders, assets), the execute dispatcher with the
 * accounting-identity check, and the query entry. Behaviour: SPEC.md. */
#include "oracle.h"

/* --- Instantiate ----------------------------------------------------------------------------- */

typedef struct instantiate_msg {
    or_config cfg;
    cw_json feeders, assets;
} instantiate_msg;

static const cw_field INIT_FIELDS[] = {
    CW_REQ(instantiate_msg, "governance", OR_STRING, cfg.governance),
    CW_REQ(instantiate_msg, "feeders", OR_RAW, feeders),
    CW_REQ(instantiate_msg, "quorum", OR_U64, cfg.quorum),
    CW_REQ(instantiate_msg, "max_age", OR_U64, cfg.max_age),
    CW_REQ(instantiate_msg, "max_move", OR_DECIMAL, cfg.max_move),
    CW_REQ(instantiate_msg, "delay", OR_U64, cfg.delay),
    CW_REQ(instantiate_msg, "assets", OR_RAW, assets),
};

typedef struct asset_msg {
    cw_str denom, source;
} asset_msg;

static const cw_field ASSET_FIELDS[] = {
    CW_REQ(asset_msg, "denom", OR_STRING, denom),
    CW_REQ(asset_msg, "source", OR_STRING, source),
};

static cw_error *require_array(cw_json v) {
    if (v.type == CW_JSON_ARRAY) return NULL;
    return or_parse_error("InstantiateMsg", cw_errorf("invalid type: expected a sequence"));
}

static cw_error *add_feeders(cw_json list, or_config *cfg) {
    cw_json_iter it = cw_json_iter_begin(list);
    cw_json v;
    while (cw_json_next(&it, NULL, &v)) {
        cw_str addr;
        bool found;
        CW_TRY(or_parse_error("InstantiateMsg", or_json_string(v, &addr)));
        CW_TRY(cw_addr_validate(addr));
        size_t at = or_feeder_find(cfg, addr, &found);
        if (found) return cw_errorf("duplicate %s: %S", "feeder", addr);
        or_feeder_insert(cfg, at, addr);
        cfg->totals.feeders++;
    }
    return NULL;
}

static cw_error *add_assets(cw_json list, or_config *cfg) {
    cw_json_iter it = cw_json_iter_begin(list);
    cw_json v;
    while (cw_json_next(&it, NULL, &v)) {
        asset_msg m = {0};
        uint8_t source;
        bool found;
        CW_TRY(or_parse_error("InstantiateMsg", or_parse_struct(v, ASSET_FIELDS, 2, &m)));
        CW_TRY(or_denom_validate(m.denom));
        CW_TRY(or_source_parse(m.source, &source));
        size_t at = or_asset_find(cfg, m.denom, &found);
        if (found) return cw_errorf("duplicate %s: %S", "asset", m.denom);
        or_asset_insert(cfg, at, m.denom, source);
        cfg->totals.assets++;
    }
    return NULL;
}

static cw_error *instantiate(cw_json msg, cw_response *res) {
    instantiate_msg m = {0};
    CW_TRY(or_parse_error("InstantiateMsg", or_parse_struct(msg, INIT_FIELDS, 7, &m)));
    CW_TRY(require_array(m.feeders));
    CW_TRY(require_array(m.assets));
    CW_TRY(cw_addr_validate(m.cfg.governance));
    or_config *cfg = &m.cfg;
    or_config_alloc(cfg, cw_json_len(m.feeders), cw_json_len(m.assets));
    CW_TRY(add_feeders(m.feeders, cfg));
    CW_TRY(or_config_validate(cfg, cfg->n_feeders));
    CW_TRY(add_assets(m.assets, cfg));
    or_config_save(cfg);
    cw_res_attr(res, "action", CW_LIT("instantiate"));
    cw_res_attr(res, "governance", cfg->governance);
    cw_res_attr_u64(res, "feeder_count", cfg->n_feeders);
    cw_res_attr_u64(res, "asset_count", cfg->n_assets);
    or_totals before = {0};
    return or_ledger_check(&before, cfg);
}

static cw_error *or_instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                                cw_response *res) {
    (void)env, (void)info;
    cw_error *err = instantiate(msg, res);
    cw_release_all();
    return err;
}

/* --- Execute --------------------------------------------------------------------------------- */

#define DENOM CW_REQ(or_msg, "denom", OR_STRING, denom)
#define PRICE CW_REQ(or_msg, "price", OR_DECIMAL, price)
#define ADDRESS CW_REQ(or_msg, "address", OR_STRING, address)

static const cw_field DENOM_PRICE[] = {DENOM, PRICE};
static const cw_field DENOM_ONLY[] = {DENOM};
static const cw_field ADDRESS_ONLY[] = {ADDRESS};
static const cw_field DENOM_SOURCE[] = {DENOM, CW_REQ(or_msg, "source", OR_STRING, source)};
static const cw_field CONFIG_FIELDS[] = {
    CW_OPT(or_msg, "quorum", OR_U64, quorum, has_quorum),
    CW_OPT(or_msg, "max_age", OR_U64, max_age, has_max_age),
    CW_OPT(or_msg, "max_move", OR_DECIMAL, max_move, has_max_move),
    CW_OPT(or_msg, "delay", OR_U64, delay, has_delay),
};

typedef struct exec_variant {
    const cw_field *fields;
    uint8_t n_fields;
    bool writes_config; /* besides counter changes */
    or_exec_fn run;
} exec_variant;

static const char *const VARIANTS[] = {
    "submit_price", "confirm_price", "set_price", "update_config",     "set_asset", "remove_asset",
    "add_feeder",   "remove_feeder", "poke",      "update_governance", NULL};
static const exec_variant EXECS[] = {
    {DENOM_PRICE, 2, false, or_exec_submit_price},
    {DENOM_ONLY, 1, false, or_exec_confirm_price},
    {DENOM_PRICE, 2, false, or_exec_set_price},
    {CONFIG_FIELDS, 4, true, or_exec_update_config},
    {DENOM_SOURCE, 2, true, or_exec_set_asset},
    {DENOM_ONLY, 1, true, or_exec_remove_asset},
    {ADDRESS_ONLY, 1, true, or_exec_add_feeder},
    {ADDRESS_ONLY, 1, true, or_exec_remove_feeder},
    {DENOM_ONLY, 1, false, or_exec_poke},
    {ADDRESS_ONLY, 1, true, or_exec_update_governance},
};

static cw_error *execute(or_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    or_msg m = {0};
    CW_TRY(or_parse_error("ExecuteMsg", or_parse_enum(msg, VARIANTS, &which, &body)));
    const exec_variant *v = &EXECS[which];
    CW_TRY(or_parse_error("ExecuteMsg", or_parse_struct(body, v->fields, v->n_fields, &m)));
    CW_TRY(or_config_load(&c->cfg));
    or_totals before = c->cfg.totals;
    CW_TRY(v->run(c, &m));
    if (memcmp(&before, &c->cfg.totals, sizeof before) || v->writes_config) or_config_save(&c->cfg);
    return or_ledger_check(&before, &c->cfg);
}

static cw_error *or_execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    or_ctx c = {env, info, res, {0}};
    cw_error *err = execute(&c, msg);
    cw_release_all();
    return err;
}

/* --- Query ----------------------------------------------------------------------------------- */

static cw_error *or_query_entry(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = or_query(env, msg, answer);
    cw_release_all();
    return err;
}

CW_CONTRACT_IGNORING_FUNDS(or_instantiate, or_execute, or_query_entry)

/* oracle entry points: instantiate (config, feeders, assets), the execute dispatcher with the
 * accounting-identity check, and the query entry. Behaviour: SPEC.md. */
#include "oracle.h"

/* --- Instantiate ----------------------------------------------------------------------------- */

typedef struct instantiate_msg {
    or_config cfg;
    cw_json feeders, assets;
} instantiate_msg;

static const or_field INIT_FIELDS[] = {
    OR_REQ(instantiate_msg, "governance", OR_STRING, cfg.governance),
    OR_REQ(instantiate_msg, "feeders", OR_RAW, feeders),
    OR_REQ(instantiate_msg, "quorum", OR_U64, cfg.quorum),
    OR_REQ(instantiate_msg, "max_age", OR_U64, cfg.max_age),
    OR_REQ(instantiate_msg, "max_move", OR_DECIMAL, cfg.max_move),
    OR_REQ(instantiate_msg, "delay", OR_U64, cfg.delay),
    OR_REQ(instantiate_msg, "assets", OR_RAW, assets),
};

typedef struct asset_msg {
    cw_str denom, source;
} asset_msg;

static const or_field ASSET_FIELDS[] = {
    OR_REQ(asset_msg, "denom", OR_STRING, denom),
    OR_REQ(asset_msg, "source", OR_STRING, source),
};

static cw_error *require_array(cw_json v) {
    if (v.type == CW_JSON_ARRAY) return NULL;
    return or_parse_error("InstantiateMsg", cw_errorf("invalid type: expected a sequence"));
}

static cw_error *add_feeders(cw_json list, or_totals *t) {
    cw_json_iter it = cw_json_iter_begin(list);
    cw_json v;
    while (cw_json_next(&it, NULL, &v)) {
        cw_str addr;
        CW_TRY(or_parse_error("InstantiateMsg", or_json_string(v, &addr)));
        CW_TRY(cw_addr_validate(addr));
        if (or_is_feeder(addr)) return cw_errorf("duplicate feeder: %S", addr);
        or_feeder_add(addr);
        t->feeders++;
    }
    return NULL;
}

static cw_error *add_assets(cw_json list, or_totals *t) {
    cw_json_iter it = cw_json_iter_begin(list);
    cw_json v;
    while (cw_json_next(&it, NULL, &v)) {
        asset_msg m = {0};
        CW_TRY(or_parse_error("InstantiateMsg", or_parse_struct(v, ASSET_FIELDS, 2, &m)));
        CW_TRY(or_denom_validate(m.denom));
        or_asset a = {0};
        CW_TRY(or_source_parse(m.source, &a.source));
        or_asset existing;
        if (or_asset_find(m.denom, &existing)) return cw_errorf("duplicate asset: %S", m.denom);
        or_asset_save(m.denom, &a);
        t->assets++;
    }
    return NULL;
}

static cw_error *instantiate(cw_json msg, cw_response *res) {
    instantiate_msg m = {0};
    CW_TRY(or_parse_error("InstantiateMsg", or_parse_struct(msg, INIT_FIELDS, 7, &m)));
    CW_TRY(require_array(m.feeders));
    CW_TRY(require_array(m.assets));
    CW_TRY(cw_addr_validate(m.cfg.governance));
    or_totals before = {0}, t = {0};
    CW_TRY(add_feeders(m.feeders, &t));
    CW_TRY(or_config_validate(&m.cfg, t.feeders));
    CW_TRY(add_assets(m.assets, &t));
    or_config_save(&m.cfg);
    or_totals_save(&t);
    cw_res_attr(res, "action", CW_LIT("instantiate"));
    cw_res_attr(res, "governance", m.cfg.governance);
    cw_res_attr_u64(res, "feeder_count", t.feeders);
    cw_res_attr_u64(res, "asset_count", t.assets);
    return or_ledger_check(&before, &t, &m.cfg);
}

static cw_error *or_instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                                cw_response *res) {
    (void)env, (void)info;
    cw_error *err = instantiate(msg, res);
    or_release_all();
    return err;
}

/* --- Execute --------------------------------------------------------------------------------- */

#define DENOM OR_REQ(or_msg, "denom", OR_STRING, denom)
#define PRICE OR_REQ(or_msg, "price", OR_DECIMAL, price)
#define ADDRESS OR_REQ(or_msg, "address", OR_STRING, address)

static const or_field DENOM_PRICE[] = {DENOM, PRICE};
static const or_field DENOM_ONLY[] = {DENOM};
static const or_field ADDRESS_ONLY[] = {ADDRESS};
static const or_field DENOM_SOURCE[] = {DENOM, OR_REQ(or_msg, "source", OR_STRING, source)};
static const or_field CONFIG_FIELDS[] = {
    OR_OPT(or_msg, "quorum", OR_U64, quorum, has_quorum),
    OR_OPT(or_msg, "max_age", OR_U64, max_age, has_max_age),
    OR_OPT(or_msg, "max_move", OR_DECIMAL, max_move, has_max_move),
    OR_OPT(or_msg, "delay", OR_U64, delay, has_delay),
};

typedef struct exec_variant {
    const or_field *fields;
    uint8_t n_fields;
    or_exec_fn run;
} exec_variant;

static const char *const VARIANTS[] = {
    "submit_price", "confirm_price", "set_price", "update_config",     "set_asset", "remove_asset",
    "add_feeder",   "remove_feeder", "poke",      "update_governance", NULL};
static const exec_variant EXECS[] = {
    {DENOM_PRICE, 2, or_exec_submit_price}, {DENOM_ONLY, 1, or_exec_confirm_price},
    {DENOM_PRICE, 2, or_exec_set_price},    {CONFIG_FIELDS, 4, or_exec_update_config},
    {DENOM_SOURCE, 2, or_exec_set_asset},   {DENOM_ONLY, 1, or_exec_remove_asset},
    {ADDRESS_ONLY, 1, or_exec_add_feeder},  {ADDRESS_ONLY, 1, or_exec_remove_feeder},
    {DENOM_ONLY, 1, or_exec_poke},          {ADDRESS_ONLY, 1, or_exec_update_governance},
};

static cw_error *execute(or_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    or_msg m = {0};
    CW_TRY(or_parse_error("ExecuteMsg", or_parse_enum(msg, VARIANTS, &which, &body)));
    const exec_variant *v = &EXECS[which];
    CW_TRY(or_parse_error("ExecuteMsg", or_parse_struct(body, v->fields, v->n_fields, &m)));
    CW_TRY(or_config_load(&c->cfg));
    CW_TRY(or_totals_load(&c->totals));
    or_totals before = c->totals;
    CW_TRY(v->run(c, &m));
    or_totals_save(&c->totals);
    if (c->cfg_changed) or_config_save(&c->cfg);
    return or_ledger_check(&before, &c->totals, &c->cfg);
}

static cw_error *or_execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    or_ctx c = {env, info, res, {0}, {0}, false};
    cw_error *err = execute(&c, msg);
    or_release_all();
    return err;
}

/* --- Query ----------------------------------------------------------------------------------- */

static cw_error *or_query_entry(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = or_query(env, msg, answer);
    or_release_all();
    return err;
}

CW_CONTRACT(or_instantiate, or_execute, or_query_entry)

/* Governance's parameter changes (SPEC.md §3): config, assets and their sources, the feeder
 * set and the governance address. Each emits the old and new values and keeps the counters. */
#include "oracle.h"

static void attr_change_u64(cw_response *res, const char *old_key, const char *new_key,
                            uint64_t old_v, uint64_t new_v) {
    cw_res_attr_u64(res, old_key, old_v);
    cw_res_attr_u64(res, new_key, new_v);
}

cw_error *or_exec_update_config(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    or_config next = c->cfg;
    if (m->has_quorum) next.quorum = m->quorum;
    if (m->has_max_age) next.max_age = m->max_age;
    if (m->has_max_move) next.max_move = m->max_move;
    if (m->has_delay) next.delay = m->delay;
    CW_TRY(or_config_validate(&next, next.n_feeders));
    cw_response *res = c->res;
    cw_res_attr(res, "action", CW_LIT("update_config"));
    if (m->has_quorum) attr_change_u64(res, "old_quorum", "new_quorum", c->cfg.quorum, next.quorum);
    if (m->has_max_age)
        attr_change_u64(res, "old_max_age", "new_max_age", c->cfg.max_age, next.max_age);
    if (m->has_max_move) {
        or_attr_dec(res, "old_max_move", c->cfg.max_move);
        or_attr_dec(res, "new_max_move", next.max_move);
    }
    if (m->has_delay) attr_change_u64(res, "old_delay", "new_delay", c->cfg.delay, next.delay);
    if (next.delay != c->cfg.delay) or_delay_reset_all(&next);
    c->cfg = next;
    return NULL;
}

cw_error *or_exec_set_asset(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    CW_TRY(or_denom_validate(m->denom));
    uint8_t source;
    CW_TRY(or_source_parse(m->source, &source));
    or_config *cfg = &c->cfg;
    bool exists;
    size_t at = or_asset_find(cfg, m->denom, &exists);
    cw_response *res = c->res;
    cw_res_attr(res, "action", CW_LIT("set_asset"));
    cw_res_attr(res, "denom", m->denom);
    cw_res_attr_c(res, "old_source", exists ? or_source_name(cfg->assets[at].source) : "none");
    cw_res_attr_c(res, "new_source", or_source_name(source));
    uint64_t removed = 0;
    if (!exists) {
        or_asset_insert(cfg, at, m->denom, source);
        cfg->totals.assets++;
    } else if (cfg->assets[at].source != source) {
        /* A new source starts from nothing: price slots and submissions go. */
        or_asset a;
        CW_TRY(or_asset_load(cfg, m->denom, &a));
        removed = a.n_subs;
        cfg->totals.submissions -= removed;
        or_asset_remove(m->denom, &a);
        cfg->assets[at].source = source;
    }
    cw_res_attr_u64(res, "submissions_removed", removed);
    return NULL;
}

cw_error *or_exec_remove_asset(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    or_config *cfg = &c->cfg;
    or_asset a;
    CW_TRY(or_asset_load(cfg, m->denom, &a));
    bool listed;
    or_asset_delete(cfg, or_asset_find(cfg, m->denom, &listed));
    cfg->totals.assets--;
    cfg->totals.submissions -= a.n_subs;
    or_asset_remove(m->denom, &a);
    cw_res_attr(c->res, "action", CW_LIT("remove_asset"));
    cw_res_attr(c->res, "denom", m->denom);
    cw_res_attr_c(c->res, "old_source", or_source_name(a.source));
    cw_res_attr_u64(c->res, "submissions_removed", a.n_subs);
    return NULL;
}

static void attr_feeder_change(or_ctx *c, const char *action, cw_str address, uint64_t old_n) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "address", address);
    cw_res_attr_u64(c->res, "old_feeder_count", old_n);
    cw_res_attr_u64(c->res, "new_feeder_count", c->cfg.totals.feeders);
}

cw_error *or_exec_add_feeder(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    CW_TRY(cw_addr_validate(m->address));
    bool found;
    size_t at = or_feeder_find(&c->cfg, m->address, &found);
    if (found) return cw_errorf("feeder already registered: %S", m->address);
    or_feeder_insert(&c->cfg, at, m->address);
    c->cfg.totals.feeders++;
    attr_feeder_change(c, "add_feeder", m->address, c->cfg.totals.feeders - 1);
    return NULL;
}

/* Delete `feeder`'s submission from every asset; returns how many there were. */
static uint64_t drop_feeder_submissions(or_config *cfg, cw_str feeder) {
    uint64_t removed = 0;
    for (size_t i = 0; i < cfg->n_assets; i++) {
        or_asset a;
        bool found;
        if (or_asset_load(cfg, cfg->assets[i].denom, &a)) cw_abort("oracle: listed asset");
        size_t at = or_submission_find(&a, feeder, &found);
        if (!found) continue;
        or_submission_delete(&a, at);
        or_asset_save(cfg->assets[i].denom, &a);
        removed++;
    }
    return removed;
}

cw_error *or_exec_remove_feeder(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    or_config *cfg = &c->cfg;
    bool found;
    size_t at = or_feeder_find(cfg, m->address, &found);
    if (!found) return cw_errorf("not a feeder: %S", m->address);
    if (cfg->n_feeders - 1 < cfg->quorum)
        return cw_errorf("cannot remove feeder: quorum %llu would exceed feeder count %llu",
                         (unsigned long long)cfg->quorum, (unsigned long long)(cfg->n_feeders - 1));
    uint64_t removed = drop_feeder_submissions(cfg, m->address);
    cfg->totals.submissions -= removed;
    or_feeder_delete(cfg, at);
    cfg->totals.feeders--;
    attr_feeder_change(c, "remove_feeder", m->address, cfg->totals.feeders + 1);
    cw_res_attr_u64(c->res, "submissions_removed", removed);
    return NULL;
}

cw_error *or_exec_update_governance(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    CW_TRY(cw_addr_validate(m->address));
    cw_res_attr(c->res, "action", CW_LIT("update_governance"));
    cw_res_attr(c->res, "old_governance", c->cfg.governance);
    cw_res_attr(c->res, "new_governance", m->address);
    c->cfg.governance = m->address;
    return NULL;
}

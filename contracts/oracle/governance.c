/* Governance's parameter changes (SPEC.md §3): config, assets and their sources, the feeder
 * set and the governance address. Each emits the old and new values and keeps the totals. */
#include "oracle.h"

/* Delete every submission for denom, keeping the totals; returns how many. */
static uint64_t drop_submissions(or_ctx *c, cw_str denom) {
    size_t n;
    or_submission *subs = or_submissions_load(denom, &n);
    for (size_t i = 0; i < n; i++) or_submission_remove(denom, subs[i].feeder);
    c->totals.submissions -= n;
    return n;
}

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
    CW_TRY(or_config_validate(&next, c->totals.feeders));
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
    if (next.delay != c->cfg.delay) or_delay_reset_all();
    c->cfg = next;
    c->cfg_changed = true;
    return NULL;
}

cw_error *or_exec_set_asset(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    CW_TRY(or_denom_validate(m->denom));
    uint8_t source;
    CW_TRY(or_source_parse(m->source, &source));
    or_asset a;
    bool exists = or_asset_find(m->denom, &a);
    cw_response *res = c->res;
    cw_res_attr(res, "action", CW_LIT("set_asset"));
    cw_res_attr(res, "denom", m->denom);
    cw_res_attr_c(res, "old_source", exists ? or_source_name(a.source) : "none");
    cw_res_attr_c(res, "new_source", or_source_name(source));
    uint64_t removed = 0;
    if (!exists || a.source != source) {
        if (exists) {
            removed = drop_submissions(c, m->denom);
        } else {
            c->totals.assets++;
        }
        a = (or_asset){.source = source};
        or_asset_save(m->denom, &a);
    }
    cw_res_attr_u64(res, "submissions_removed", removed);
    return NULL;
}

cw_error *or_exec_remove_asset(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    or_asset a;
    CW_TRY(or_asset_load(m->denom, &a));
    uint64_t removed = drop_submissions(c, m->denom);
    or_asset_remove(m->denom);
    c->totals.assets--;
    cw_res_attr(c->res, "action", CW_LIT("remove_asset"));
    cw_res_attr(c->res, "denom", m->denom);
    cw_res_attr_c(c->res, "old_source", or_source_name(a.source));
    cw_res_attr_u64(c->res, "submissions_removed", removed);
    return NULL;
}

static void attr_feeder_change(or_ctx *c, const char *action, cw_str address, uint64_t old_n) {
    cw_res_attr_c(c->res, "action", action);
    cw_res_attr(c->res, "address", address);
    cw_res_attr_u64(c->res, "old_feeder_count", old_n);
    cw_res_attr_u64(c->res, "new_feeder_count", c->totals.feeders);
}

cw_error *or_exec_add_feeder(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    CW_TRY(cw_addr_validate(m->address));
    if (or_is_feeder(m->address)) return cw_errorf("feeder already registered: %S", m->address);
    or_feeder_add(m->address);
    c->totals.feeders++;
    attr_feeder_change(c, "add_feeder", m->address, c->totals.feeders - 1);
    return NULL;
}

cw_error *or_exec_remove_feeder(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    if (!or_is_feeder(m->address)) return cw_errorf("not a feeder: %S", m->address);
    if (c->totals.feeders - 1 < c->cfg.quorum)
        return cw_errorf("cannot remove feeder: quorum %llu would exceed feeder count %llu",
                         (unsigned long long)c->cfg.quorum,
                         (unsigned long long)(c->totals.feeders - 1));
    size_t n;
    cw_str *denoms = or_asset_denoms(&n);
    uint64_t removed = 0;
    for (size_t i = 0; i < n; i++) removed += or_submission_remove(denoms[i], m->address);
    c->totals.submissions -= removed;
    or_feeder_remove(m->address);
    c->totals.feeders--;
    attr_feeder_change(c, "remove_feeder", m->address, c->totals.feeders + 1);
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
    c->cfg_changed = true;
    return NULL;
}

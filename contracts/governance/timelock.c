/* The timelock proper (SPEC.md §4): the proposer queues a list of wasm messages with an ETA,
 * anyone executes it inside [eta, eta + grace_period) as plain messages (any failure reverts
 * the whole transaction, and the proposal stays queued), the guardian or the proposer cancels. */
#include "governance.h"

static void emit_msgs(gv_ctx *c, cw_str canonical) {
    cw_json arr, item;
    if (cw_json_parse(canonical, &arr)) cw_abort("governance: corrupt record");
    cw_json_iter it = cw_json_iter_begin(arr);
    while (cw_json_next(&it, NULL, &item)) cw_res_message(c->res, item.text);
}

static uint64_t max_u64(uint64_t a, uint64_t b) {
    return a > b ? a : b;
}

cw_error *gv_exec_queue(gv_ctx *c, const gv_msg *m) {
    if (!cw_str_eq(c->info->sender, c->cfg.proposer))
        return cw_errorf("unauthorized: proposer only (sender %S)", c->info->sender);
    if (m->title.len < 1 || m->title.len > GV_MAX_TITLE)
        return cw_errorf("invalid title: must be 1 to %u bytes, got %u", (unsigned)GV_MAX_TITLE,
                         (unsigned)m->title.len);
    if (m->has_description && m->description.len > GV_MAX_DESCRIPTION)
        return cw_errorf("invalid description: at most %u bytes, got %u",
                         (unsigned)GV_MAX_DESCRIPTION, (unsigned)m->description.len);
    if (m->has_delay && m->delay > c->cfg.max_delay)
        return cw_errorf("invalid delay: %s > max_delay %s", gv_u64_str(m->delay),
                         gv_u64_str(c->cfg.max_delay));
    uint64_t delay = max_u64(m->has_delay ? m->delay : 0, c->cfg.min_delay);

    cw_buf canonical = {0};
    uint32_t count = 0;
    cw_error *err = gv_canonical_msgs(m->msgs, false, &c->cfg, &canonical, &count, NULL);
    gv_proposal p = {0};
    p.msgs = cw_hold_buf(&canonical);
    if (err) return err;
    p.id = c->counts.next_id++;
    p.status = GV_QUEUED;
    p.queued_at = c->now;
    p.eta = c->now + delay;
    p.expires = p.eta + c->cfg.grace_period;
    p.title = m->title;
    p.description = m->has_description ? m->description : (cw_str){NULL, 0};
    p.msgs_hash = gv_hash_hex(p.msgs);
    gv_proposal_save(&p, GV_NEW);
    c->counts.queued++;

    const char *id = gv_u64_str(p.id);
    cw_res_data(c->res, cw_cstr(id));
    cw_res_attr_c(c->res, "action", "queue");
    cw_res_attr_c(c->res, "proposal_id", id);
    cw_res_attr(c->res, "proposer", c->info->sender);
    cw_res_attr(c->res, "title", p.title);
    cw_res_attr_u64(c->res, "msgs", count);
    cw_res_attr_u64(c->res, "delay", delay);
    cw_res_attr_u64(c->res, "eta", p.eta);
    cw_res_attr_u64(c->res, "expires", p.expires);
    cw_res_attr(c->res, "msgs_hash", p.msgs_hash);
    return NULL;
}

cw_error *gv_exec_execute_proposal(gv_ctx *c, const gv_msg *m) {
    gv_proposal p;
    CW_TRY(gv_proposal_load(m->id, &p));
    const char *id = gv_u64_str(p.id);
    if (p.status != GV_QUEUED)
        return cw_errorf("cannot execute proposal %s: it is %s", id, gv_status_name(p.status));
    if (c->now < p.eta)
        return cw_errorf("too early: proposal %s eta %s, now %s", id, gv_u64_str(p.eta),
                         gv_u64_str(c->now));
    if (c->now >= p.expires)
        return cw_errorf("expired: proposal %s expired at %s, now %s", id, gv_u64_str(p.expires),
                         gv_u64_str(c->now));
    p.status = GV_EXECUTED;
    p.closed_at = c->now;
    gv_proposal_save(&p, GV_QUEUED);
    c->counts.queued--;
    c->counts.executed++;
    emit_msgs(c, p.msgs);
    cw_res_attr_c(c->res, "action", "execute_proposal");
    cw_res_attr_c(c->res, "proposal_id", id);
    cw_res_attr(c->res, "executor", c->info->sender);
    cw_res_attr(c->res, "msgs_hash", p.msgs_hash);
    return NULL;
}

cw_error *gv_exec_cancel(gv_ctx *c, const gv_msg *m) {
    cw_str sender = c->info->sender;
    bool guardian = c->cfg.guardian.len && cw_str_eq(sender, c->cfg.guardian);
    if (!guardian && !cw_str_eq(sender, c->cfg.proposer))
        return cw_errorf("unauthorized: guardian or proposer only (sender %S)", sender);
    gv_proposal p;
    CW_TRY(gv_proposal_load(m->id, &p));
    const char *id = gv_u64_str(p.id);
    uint32_t now_status = gv_status_at(&p, c->now);
    if (now_status != GV_QUEUED)
        return cw_errorf("cannot cancel proposal %s: it is %s", id, gv_status_name(now_status));
    p.status = GV_CANCELLED;
    p.closed_at = c->now;
    gv_proposal_save(&p, GV_QUEUED);
    c->counts.queued--;
    c->counts.cancelled++;
    cw_res_attr_c(c->res, "action", "cancel");
    cw_res_attr_c(c->res, "proposal_id", id);
    cw_res_attr(c->res, "cancelled_by", sender);
    cw_res_attr_c(c->res, "role", guardian ? "guardian" : "proposer");
    cw_res_attr(c->res, "msgs_hash", p.msgs_hash);
    return NULL;
}

/* Queries (SPEC.md §6): config, counts (with the identity), one proposal, and proposals in id
 * order, optionally by status. A queued proposal reads as expired from its `expires` time on. */
#include "governance.h"

static void key_u64(cw_jw *w, const char *key, uint64_t v) {
    cw_jw_key(w, key);
    cw_jw_u64(w, v);
}

static void key_role(cw_jw *w, const char *key, cw_str addr) {
    cw_jw_key(w, key);
    if (addr.len)
        cw_jw_str(w, addr);
    else
        cw_jw_null(w);
}

static void write_proposal(cw_jw *w, const gv_proposal *p, uint64_t now) {
    cw_jw_obj_begin(w);
    key_u64(w, "id", p->id);
    cw_jw_key(w, "title");
    cw_jw_str(w, p->title);
    cw_jw_key(w, "description");
    if (p->description.ptr)
        cw_jw_str(w, p->description);
    else
        cw_jw_null(w);
    cw_jw_key(w, "msgs");
    cw_jw_raw(w, p->msgs);
    cw_jw_key(w, "msgs_hash");
    cw_jw_str(w, p->msgs_hash);
    key_u64(w, "queued_at", p->queued_at);
    key_u64(w, "eta", p->eta);
    key_u64(w, "expires", p->expires);
    cw_jw_key(w, "status");
    cw_jw_cstr(w, gv_status_name(gv_status_at(p, now)));
    cw_jw_key(w, "closed_at");
    if (p->status == GV_QUEUED)
        cw_jw_null(w);
    else
        cw_jw_u64(w, p->closed_at);
    cw_jw_obj_end(w);
}

static cw_error *status_from(cw_str s, uint32_t *out) {
    for (uint32_t i = 0; i < 4; i++) {
        if (cw_str_eq_c(s, gv_status_name(i))) {
            *out = i;
            return NULL;
        }
    }
    return cw_errorf("unknown status `%S`, expected one of `queued`, `executed`, `cancelled`, "
                     "`expired`",
                     s);
}

/* Proposals after `start_after` in id order; with a status, through the status index (queued
 * and expired both walk the stored-queued entries and keep those matching at `now`). */
static cw_error *write_list(cw_jw *w, const gv_msg *m, uint64_t now) {
    uint32_t want = 0;
    if (m->has_status) CW_TRY(status_from(m->status, &want));
    uint32_t limit = cw_page_limit(m->has_limit, m->limit, 10, 30), n = 0;
    char be[8];
    cw_range_opts opts = {0};
    if (m->has_start_after) opts.min = cw_bound_exclusive(cw_be_u64(m->start_after, be));
    cw_range r;
    cw_str stored = cw_cstr(gv_status_name(want == GV_EXPIRED ? GV_QUEUED : want));
    if (m->has_status)
        cw_map_range_begin(&r, "status", &stored, 1, &opts);
    else
        cw_map_range_begin(&r, "proposal", NULL, 0, &opts);
    cw_jw_obj_begin(w);
    cw_jw_key(w, "proposals");
    cw_jw_arr_begin(w);
    cw_str key, value;
    uint64_t id;
    while (n < limit && cw_range_next(&r, &key, &value)) {
        if (!cw_key_u64(key, &id)) cw_abort("governance: corrupt key");
        gv_proposal p;
        CW_TRY(gv_proposal_load(id, &p));
        if (m->has_status && gv_status_at(&p, now) != want) continue;
        write_proposal(w, &p, now);
        n++;
    }
    cw_range_end(&r);
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return NULL;
}

static const char *const QUERIES[] = {"config", "counts", "proposal", "proposals", NULL};
static const cw_field Q_ID[] = {CW_REQ(gv_msg, "id", GV_U64, id)};
static const cw_field Q_LIST[] = {
    CW_OPT(gv_msg, "start_after", GV_U64, start_after, has_start_after),
    CW_OPT(gv_msg, "limit", GV_U64, limit, has_limit),
    CW_OPT(gv_msg, "status", GV_STR, status, has_status),
};

static cw_error *run_query(const cw_env *env, cw_json msg, cw_jw *w) {
    size_t which;
    cw_json body;
    gv_msg m = {0};
    CW_TRY(cw_parse_enum(msg, QUERIES, &which, &body));
    static const uint8_t n_fields[] = {0, 0, 1, 3};
    CW_TRY(gv_parse_struct(body, which == 2 ? Q_ID : Q_LIST, n_fields[which], &m));
    uint64_t now = env->time_ns / 1000000000u;
    if (which == 0) {
        gv_config c;
        CW_TRY(gv_config_load(&c));
        cw_jw_obj_begin(w);
        cw_jw_key(w, "proposer");
        cw_jw_str(w, c.proposer);
        key_role(w, "guardian", c.guardian);
        key_role(w, "emergency", c.emergency);
        key_u64(w, "min_delay", c.min_delay);
        key_u64(w, "max_delay", c.max_delay);
        key_u64(w, "grace_period", c.grace_period);
        cw_jw_key(w, "emergency_actions");
        cw_jw_arr_begin(w);
        for (uint32_t i = 0; i < c.n_actions; i++) cw_jw_str(w, c.actions[i]);
        cw_jw_arr_end(w);
        cw_jw_obj_end(w);
        return NULL;
    }
    if (which == 1) {
        gv_counts c;
        CW_TRY(gv_counts_load(&c));
        cw_jw_obj_begin(w);
        key_u64(w, "next_id", c.next_id);
        key_u64(w, "queued", c.queued);
        key_u64(w, "executed", c.executed);
        key_u64(w, "cancelled", c.cancelled);
        key_u64(w, "emergency_runs", c.emergency_runs);
        cw_jw_key(w, "identity_holds");
        cw_jw_bool(w, c.queued + c.executed + c.cancelled + 1 == c.next_id);
        cw_jw_obj_end(w);
        return NULL;
    }
    if (which == 2) {
        gv_proposal p;
        CW_TRY(gv_proposal_load(m.id, &p));
        write_proposal(w, &p, now);
        return NULL;
    }
    return write_list(w, &m, now);
}

cw_error *gv_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_jw w;
    cw_jw_init(&w, answer);
    return run_query(env, msg, &w);
}

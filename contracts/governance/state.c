/* The timelock's stored records (SPEC.md §8): Item "config", Item "counts", Map "proposal"
 * by be64(id) and the status index Map "status" (status, be64(id)); binary encoding with
 * little-endian integers and u32-length strings, loads held in the per-call arena. */
#include "governance.h"

/* --- Encoding -------------------------------------------------------------------------------- */

void gv_put_u64(cw_buf *b, uint64_t v) {
    for (int i = 0; i < 8; i++) cw_buf_putc(b, (char)(v >> (8 * i)));
}

void gv_put_str(cw_buf *b, cw_str s) {
    for (int i = 0; i < 4; i++) cw_buf_putc(b, (char)((uint32_t)s.len >> (8 * i)));
    cw_buf_put(b, s.ptr, s.len);
}

static const unsigned char *take(gv_rd *r, size_t n) {
    if (r->s.len - r->pos < n) cw_abort("governance: corrupt record");
    const unsigned char *p = (const unsigned char *)r->s.ptr + r->pos;
    r->pos += n;
    return p;
}

uint64_t gv_get_u64(gv_rd *r) {
    const unsigned char *p = take(r, 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

cw_str gv_get_str(gv_rd *r) {
    const unsigned char *p = take(r, 4);
    size_t n = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
    return (cw_str){(const char *)take(r, n), n};
}

const char *gv_u64_str(uint64_t v) {
    char *s = cw_hold(cw_alloc(24));
    s[cw_u64_to_dec(v, s)] = '\0';
    return s;
}

static bool load(cw_str key, gv_rd *r) {
    cw_str v;
    if (!cw_db_read(key, &v)) return false;
    cw_hold((void *)v.ptr);
    *r = (gv_rd){v, 0};
    return true;
}

static void save(cw_str key, cw_buf *b) {
    cw_db_write(key, cw_buf_view(b));
    cw_buf_free(b);
}

/* --- Config and counts ------------------------------------------------------------------------ */

cw_error *gv_config_load(gv_config *c) {
    gv_rd r;
    if (!load(CW_LIT("config"), &r)) return cw_errorf("governance: config not found");
    c->proposer = gv_get_str(&r);
    c->guardian = gv_get_str(&r);
    c->emergency = gv_get_str(&r);
    c->min_delay = gv_get_u64(&r);
    c->max_delay = gv_get_u64(&r);
    c->grace_period = gv_get_u64(&r);
    c->n_actions = (uint32_t)gv_get_u64(&r);
    if (c->n_actions > GV_MAX_ACTIONS) cw_abort("governance: corrupt record");
    c->actions = cw_hold(cw_alloc(sizeof(cw_str) * (c->n_actions + 1)));
    for (uint32_t i = 0; i < c->n_actions; i++) c->actions[i] = gv_get_str(&r);
    return NULL;
}

void gv_config_save(const gv_config *c) {
    cw_buf b = {0};
    gv_put_str(&b, c->proposer);
    gv_put_str(&b, c->guardian);
    gv_put_str(&b, c->emergency);
    gv_put_u64(&b, c->min_delay);
    gv_put_u64(&b, c->max_delay);
    gv_put_u64(&b, c->grace_period);
    gv_put_u64(&b, c->n_actions);
    for (uint32_t i = 0; i < c->n_actions; i++) gv_put_str(&b, c->actions[i]);
    save(CW_LIT("config"), &b);
}

cw_error *gv_counts_load(gv_counts *c) {
    gv_rd r;
    if (!load(CW_LIT("counts"), &r)) return cw_errorf("governance: counts not found");
    c->next_id = gv_get_u64(&r);
    c->queued = gv_get_u64(&r);
    c->executed = gv_get_u64(&r);
    c->cancelled = gv_get_u64(&r);
    c->emergency_runs = gv_get_u64(&r);
    return NULL;
}

void gv_counts_save(const gv_counts *c) {
    cw_buf b = {0};
    gv_put_u64(&b, c->next_id);
    gv_put_u64(&b, c->queued);
    gv_put_u64(&b, c->executed);
    gv_put_u64(&b, c->cancelled);
    gv_put_u64(&b, c->emergency_runs);
    save(CW_LIT("counts"), &b);
}

/* --- Proposals -------------------------------------------------------------------------------- */

const char *gv_status_name(uint32_t status) {
    static const char *const names[] = {"queued", "executed", "cancelled", "expired"};
    return names[status & 3];
}

uint32_t gv_status_at(const gv_proposal *p, uint64_t now) {
    return p->status == GV_QUEUED && now >= p->expires ? GV_EXPIRED : p->status;
}

static cw_str proposal_key(uint64_t id) {
    cw_buf k = {0};
    cw_key_map(&k, "proposal");
    cw_key_last_u64(&k, id);
    return cw_hold_buf(&k);
}

static cw_str status_key(uint32_t status, uint64_t id) {
    cw_buf k = {0};
    cw_key_map(&k, "status");
    cw_key_push(&k, cw_cstr(gv_status_name(status)));
    cw_key_last_u64(&k, id);
    return cw_hold_buf(&k);
}

cw_error *gv_proposal_load(uint64_t id, gv_proposal *p) {
    gv_rd r;
    if (!load(proposal_key(id), &r)) return cw_errorf("proposal not found: %s", gv_u64_str(id));
    p->id = id;
    p->status = (uint32_t)gv_get_u64(&r);
    p->queued_at = gv_get_u64(&r);
    p->eta = gv_get_u64(&r);
    p->expires = gv_get_u64(&r);
    p->closed_at = gv_get_u64(&r);
    bool has_description = gv_get_u64(&r) != 0;
    p->title = gv_get_str(&r);
    p->description = gv_get_str(&r);
    if (!has_description) p->description = (cw_str){NULL, 0};
    p->msgs = gv_get_str(&r);
    p->msgs_hash = gv_get_str(&r);
    if (p->status > GV_CANCELLED) cw_abort("governance: corrupt record");
    return NULL;
}

gv_ledger gv_call_ledger;

void gv_proposal_save(const gv_proposal *p, uint32_t old_status) {
    cw_buf b = {0};
    gv_put_u64(&b, p->status);
    gv_put_u64(&b, p->queued_at);
    gv_put_u64(&b, p->eta);
    gv_put_u64(&b, p->expires);
    gv_put_u64(&b, p->closed_at);
    gv_put_u64(&b, p->description.ptr != NULL);
    gv_put_str(&b, p->title);
    gv_put_str(&b, p->description);
    gv_put_str(&b, p->msgs);
    gv_put_str(&b, p->msgs_hash);
    save(proposal_key(p->id), &b);
    if (old_status == p->status) return;
    if (old_status == GV_NEW) {
        gv_call_ledger.created++;
    } else {
        cw_db_remove(status_key(old_status, p->id));
        gv_call_ledger.status_delta[old_status]--;
    }
    cw_db_write(status_key(p->status, p->id), CW_LIT("1"));
    gv_call_ledger.status_delta[p->status]++;
}

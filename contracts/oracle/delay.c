/* The delayed price (SPEC.md §3 poke, §4): like Maker's OSM, `current` is served to the
 * engine and `next` is queued; a poke at most once per `delay` seconds shifts next into
 * current and queues the live price. */
#include "oracle.h"

#define NS_PER_SECOND 1000000000ull

cw_error *or_exec_poke(or_ctx *c, const or_msg *m) {
    or_asset a;
    CW_TRY(or_asset_load(&c->cfg, m->denom, &a));
    if (c->cfg.delay == 0) return cw_errorf("nothing to poke: delay is 0");
    uint64_t now = c->env->time_ns;
    uint64_t due = a.poked_at + c->cfg.delay * NS_PER_SECOND; /* delay ≤ OR_MAX_SECONDS */
    if (a.poked_at != 0 && now < due)
        return cw_errorf("poke too early for %S: next poke at %llu (in %llus)", m->denom,
                         (unsigned long long)due, (unsigned long long)or_age_seconds(due, now));
    or_quote live;
    cw_error *err = or_live_price(m->denom, &a, &c->cfg, now, &live);
    if (err) {
        cw_error *e = cw_errorf("poke refused: %s", err->msg);
        cw_error_free(err);
        return e;
    }
    cw_res_attr(c->res, "action", CW_LIT("poke"));
    cw_res_attr(c->res, "denom", m->denom);
    or_attr_quote(c->res, "old_price", &a.current);
    a.current = a.current.set ? a.next : live;
    a.next = live;
    a.poked_at = now;
    or_attr_quote(c->res, "new_price", &a.current);
    or_attr_quote(c->res, "next_price", &a.next);
    or_asset_save(m->denom, &a);
    return NULL;
}

void or_delay_reset_all(const or_config *cfg) {
    for (size_t i = 0; i < cfg->n_assets; i++) {
        or_asset a;
        if (or_asset_load(cfg, cfg->assets[i].denom, &a)) cw_abort("oracle: listed asset");
        if (!a.current.set && !a.next.set && !a.poked_at) continue;
        a.current = a.next = (or_quote){0};
        a.poked_at = 0;
        or_asset_save(cfg->assets[i].denom, &a);
    }
}

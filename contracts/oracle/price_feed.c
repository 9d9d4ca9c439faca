/* Feeder prices (SPEC.md §3): submissions, the median of fresh ones once a quorum exists,
 * the max_move rule with pending moves and their confirmation (by a later median from another
 * feeder, or by governance), and governance's emergency override. */
#include "oracle.h"

/* The lower median (index (n − 1) / 2 of the sorted values) of n ≥ 1 prices; sorts in place. */
static cw_decimal lower_median(cw_decimal *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        cw_decimal x = v[i];
        size_t j = i;
        for (; j > 0 && cw_decimal_gt(v[j - 1], x); j--) v[j] = v[j - 1];
        v[j] = x;
    }
    return v[(n - 1) / 2];
}

static void accept(or_ctx *c, or_asset *a, cw_decimal price) {
    or_attr_quote(c->res, "old_price", &a->live);
    or_attr_dec(c->res, "new_price", price);
    a->live = (or_quote){true, price, c->env->time_ns};
    a->pending = (or_quote){0};
    a->pending_by = (cw_str){0};
}

/* Judge a new median against the live price and any pending move (SPEC.md §3 step 4). */
static void judge_median(or_ctx *c, or_asset *a, cw_decimal m) {
    cw_response *res = c->res;
    cw_str sender = c->info->sender;
    if (!a->live.set) {
        cw_res_attr(res, "outcome", CW_LIT("accepted"));
        accept(c, a, m);
    } else if (a->pending.set && !cw_str_eq(a->pending_by, sender) &&
               or_within_move(a->pending.price, m, c->cfg.max_move)) {
        cw_res_attr(res, "outcome", CW_LIT("confirmed"));
        accept(c, a, m);
    } else if (or_within_move(a->live.price, m, c->cfg.max_move)) {
        bool had_pending = a->pending.set;
        cw_res_attr(res, "outcome", CW_LIT("accepted"));
        accept(c, a, m);
        if (had_pending) cw_res_attr(res, "pending_cleared", CW_LIT("true"));
    } else {
        cw_res_attr(res, "outcome", CW_LIT("pending"));
        or_attr_dec(res, "pending_price", m);
        or_attr_quote(res, "current_price", &a->live);
        a->pending = (or_quote){true, m, c->env->time_ns};
        a->pending_by = sender;
    }
}

cw_error *or_exec_submit_price(or_ctx *c, const or_msg *m) {
    or_config *cfg = &c->cfg;
    cw_str sender = c->info->sender;
    uint64_t now = c->env->time_ns;
    bool found;
    or_feeder_find(cfg, sender, &found);
    if (!found) return cw_errorf("unauthorized: %S is not a feeder", sender);
    or_asset a;
    CW_TRY(or_load_feeders_asset(cfg, m->denom, "submit_price", &a));
    CW_TRY(or_require_positive(m->price));

    size_t at = or_submission_find(&a, sender, &found);
    if (!found) {
        or_submission_insert(&a, at, sender);
        cfg->totals.submissions++;
    }
    a.subs[at].quote = (or_quote){true, m->price, now};

    cw_decimal *fresh = cw_hold(cw_alloc(sizeof *fresh * a.n_subs));
    size_t n_fresh = 0;
    for (size_t i = 0; i < a.n_subs; i++)
        if (or_age_seconds(now, a.subs[i].quote.at) <= cfg->max_age)
            fresh[n_fresh++] = a.subs[i].quote.price;

    cw_response *res = c->res;
    cw_res_attr(res, "action", CW_LIT("submit_price"));
    cw_res_attr(res, "denom", m->denom);
    cw_res_attr(res, "feeder", sender);
    or_attr_dec(res, "price", m->price);
    cw_res_attr_u64(res, "fresh", n_fresh);
    cw_res_attr_u64(res, "quorum", cfg->quorum);
    if (n_fresh < cfg->quorum) {
        cw_res_attr(res, "outcome", CW_LIT("no_quorum"));
    } else {
        cw_decimal median = lower_median(fresh, n_fresh);
        or_attr_dec(res, "median", median);
        if (a.live.set) or_attr_dec(res, "move", or_move_ratio(a.live.price, median));
        judge_median(c, &a, median);
    }
    or_asset_save(m->denom, &a);
    return NULL;
}

cw_error *or_exec_confirm_price(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    or_asset a;
    CW_TRY(or_load_feeders_asset(&c->cfg, m->denom, "confirm_price", &a));
    if (!a.pending.set) return cw_errorf("no pending price for %S", m->denom);
    cw_res_attr(c->res, "action", CW_LIT("confirm_price"));
    cw_res_attr(c->res, "denom", m->denom);
    accept(c, &a, a.pending.price);
    or_asset_save(m->denom, &a);
    return NULL;
}

cw_error *or_exec_set_price(or_ctx *c, const or_msg *m) {
    CW_TRY(or_require_governance(c));
    or_asset a;
    CW_TRY(or_load_feeders_asset(&c->cfg, m->denom, "set_price", &a));
    CW_TRY(or_require_positive(m->price));
    bool had_pending = a.pending.set;
    cw_res_attr(c->res, "action", CW_LIT("set_price"));
    cw_res_attr(c->res, "denom", m->denom);
    accept(c, &a, m->price);
    cw_res_attr(c->res, "pending_cleared", had_pending ? CW_LIT("true") : CW_LIT("false"));
    if (c->cfg.delay > 0) {
        a.current = a.next = a.live;
        a.poked_at = c->env->time_ns;
    }
    or_asset_save(m->denom, &a);
    return NULL;
}

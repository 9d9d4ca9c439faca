/* The oracle's queries (SPEC.md §4): price (what the engine uses), next_price, config,
 * assets, submissions and accounting. */
#include "oracle.h"

#define NS_PER_SECOND 1000000000ull

typedef struct query_msg {
    cw_str denom;
} query_msg;

static const or_field DENOM_FIELD[] = {OR_REQ(query_msg, "denom", OR_STRING, denom)};

static const char *const VARIANTS[] = {"price",       "next_price", "config", "assets",
                                       "submissions", "accounting", NULL};

static void put_time(cw_jw *w, const char *key, uint64_t t) {
    cw_jw_key(w, key);
    cw_jw_str(w, or_u64_str(t));
}

static void put_dec(cw_jw *w, const char *key, cw_decimal d) {
    cw_jw_key(w, key);
    cw_jw_str(w, or_dec_str(d));
}

/* {"denom","price","updated_at","source"[,"valid_from"]} */
static void write_price(cw_jw *w, cw_str denom, const or_asset *a, const or_quote *q,
                        bool with_valid_from, uint64_t valid_from) {
    cw_jw_obj_begin(w);
    cw_jw_key(w, "denom");
    cw_jw_str(w, denom);
    put_dec(w, "price", q->price);
    put_time(w, "updated_at", q->at);
    cw_jw_key(w, "source");
    cw_jw_cstr(w, or_source_name(a->source));
    if (with_valid_from) put_time(w, "valid_from", valid_from);
    cw_jw_obj_end(w);
}

static cw_error *query_price(const cw_env *env, cw_jw *w, cw_str denom, bool next) {
    or_config cfg;
    or_asset a;
    CW_TRY(or_config_load(&cfg));
    CW_TRY(or_asset_load(denom, &a));
    or_quote q;
    if (!next || cfg.delay == 0) {
        CW_TRY(or_served_price(denom, &a, &cfg, env->time_ns, &q));
        write_price(w, denom, &a, &q, next, q.at);
        return NULL;
    }
    if (!a.next.set)
        return cw_errorf("no valid price for %S: no next price yet (poke to start)", denom);
    write_price(w, denom, &a, &a.next, true, a.poked_at + cfg.delay * NS_PER_SECOND);
    return NULL;
}

static void query_config(cw_jw *w, const or_config *cfg) {
    cw_jw_obj_begin(w);
    cw_jw_key(w, "governance");
    cw_jw_str(w, cfg->governance);
    cw_jw_key(w, "feeders");
    cw_jw_arr_begin(w);
    size_t n;
    cw_str *feeders = or_feeder_list(&n);
    for (size_t i = 0; i < n; i++) cw_jw_str(w, feeders[i]);
    cw_jw_arr_end(w);
    cw_jw_key(w, "quorum");
    cw_jw_u64(w, cfg->quorum);
    cw_jw_key(w, "max_age");
    cw_jw_u64(w, cfg->max_age);
    put_dec(w, "max_move", cfg->max_move);
    cw_jw_key(w, "delay");
    cw_jw_u64(w, cfg->delay);
    cw_jw_obj_end(w);
}

static void query_assets(cw_jw *w) {
    cw_jw_obj_begin(w);
    cw_jw_key(w, "assets");
    cw_jw_arr_begin(w);
    size_t n;
    cw_str *denoms = or_asset_denoms(&n);
    for (size_t i = 0; i < n; i++) {
        or_asset a;
        if (!or_asset_find(denoms[i], &a)) continue;
        cw_jw_obj_begin(w);
        cw_jw_key(w, "denom");
        cw_jw_str(w, denoms[i]);
        cw_jw_key(w, "source");
        cw_jw_cstr(w, or_source_name(a.source));
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
}

static cw_error *query_submissions(const cw_env *env, cw_jw *w, cw_str denom) {
    or_config cfg;
    or_asset a;
    CW_TRY(or_config_load(&cfg));
    CW_TRY(or_asset_load(denom, &a));
    size_t n;
    or_submission *subs = or_submissions_load(denom, &n);
    cw_jw_obj_begin(w);
    cw_jw_key(w, "denom");
    cw_jw_str(w, denom);
    cw_jw_key(w, "submissions");
    cw_jw_arr_begin(w);
    for (size_t i = 0; i < n; i++) {
        cw_jw_obj_begin(w);
        cw_jw_key(w, "feeder");
        cw_jw_str(w, subs[i].feeder);
        put_dec(w, "price", subs[i].quote.price);
        put_time(w, "submitted_at", subs[i].quote.at);
        cw_jw_key(w, "fresh");
        cw_jw_bool(w, or_age_seconds(env->time_ns, subs[i].quote.at) <= cfg.max_age);
        cw_jw_obj_end(w);
    }
    cw_jw_arr_end(w);
    cw_jw_key(w, "pending");
    if (a.pending.set) {
        cw_jw_obj_begin(w);
        put_dec(w, "price", a.pending.price);
        put_time(w, "since", a.pending.at);
        cw_jw_key(w, "by");
        cw_jw_str(w, a.pending_by);
        cw_jw_obj_end(w);
    } else {
        cw_jw_null(w);
    }
    cw_jw_obj_end(w);
    return NULL;
}

static cw_error *dispatch(const cw_env *env, cw_json msg, cw_jw *w) {
    size_t which;
    cw_json body;
    CW_TRY(or_parse_error("QueryMsg", or_parse_enum(msg, VARIANTS, &which, &body)));
    query_msg q = {0};
    bool has_denom = which == 0 || which == 1 || which == 4;
    CW_TRY(or_parse_error("QueryMsg", or_parse_struct(body, DENOM_FIELD, has_denom, &q)));
    switch (which) {
    case 0:
    case 1:
        return query_price(env, w, q.denom, which == 1);
    case 2: {
        or_config cfg;
        CW_TRY(or_config_load(&cfg));
        query_config(w, &cfg);
        return NULL;
    }
    case 3:
        query_assets(w);
        return NULL;
    case 4:
        return query_submissions(env, w, q.denom);
    default: {
        or_totals t;
        CW_TRY(or_totals_load(&t));
        cw_buf_printf(w->out, "{\"feeders\":%llu,\"assets\":%llu,\"submissions\":%llu}",
                      (unsigned long long)t.feeders, (unsigned long long)t.assets,
                      (unsigned long long)t.submissions);
        return NULL;
    }
    }
}

cw_error *or_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_jw w;
    cw_jw_init(&w, answer);
    return dispatch(env, msg, &w);
}

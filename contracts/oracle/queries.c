/* The oracle's queries (SPEC.md §4): price (what the engine uses), next_price, config,
 * assets, submissions and accounting. Answers are written with cw_buf_printf: every string
 * in them is a validated address or denom, so none needs JSON escaping. */
#include "oracle.h"

#define NS_PER_SECOND 1000000000ull

typedef struct query_msg {
    cw_str denom;
} query_msg;

static const cw_field DENOM_FIELD[] = {CW_REQ(query_msg, "denom", OR_STRING, denom)};

static const char *const VARIANTS[] = {"price",       "next_price", "config", "assets",
                                       "submissions", "accounting", NULL};

/* {"denom","price","updated_at","source"[,"valid_from"]} */
static void write_price(cw_buf *out, cw_str denom, const or_asset *a, const or_quote *q, bool next,
                        uint64_t valid_from) {
    cw_buf_printf(
        out, "{\"denom\":\"%S\",\"price\":\"%S\",\"updated_at\":\"%llu\",\"source\":\"%s\"", denom,
        or_dec_str(q->price), (unsigned long long)q->at, or_source_name(a->source));
    if (next) cw_buf_printf(out, ",\"valid_from\":\"%llu\"", (unsigned long long)valid_from);
    cw_buf_putc(out, '}');
}

static cw_error *query_price(const cw_env *env, const or_config *cfg, cw_buf *out, cw_str denom,
                             bool next) {
    or_asset a;
    CW_TRY(or_asset_load(cfg, denom, &a));
    or_quote q;
    if (!next || cfg->delay == 0) {
        CW_TRY(or_served_price(denom, &a, cfg, env->time_ns, &q));
        write_price(out, denom, &a, &q, next, q.at);
        return NULL;
    }
    if (!a.next.set)
        return cw_errorf("no valid price for %S: no next price yet (poke to start)", denom);
    write_price(out, denom, &a, &a.next, true, a.poked_at + cfg->delay * NS_PER_SECOND);
    return NULL;
}

static void query_config(cw_buf *out, const or_config *cfg) {
    cw_buf_printf(out, "{\"governance\":\"%S\",\"feeders\":[", cfg->governance);
    for (size_t i = 0; i < cfg->n_feeders; i++)
        cw_buf_printf(out, "%s\"%S\"", i ? "," : "", cfg->feeders[i]);
    cw_buf_printf(out, "],\"quorum\":%llu,\"max_age\":%llu,\"max_move\":\"%S\",\"delay\":%llu}",
                  (unsigned long long)cfg->quorum, (unsigned long long)cfg->max_age,
                  or_dec_str(cfg->max_move), (unsigned long long)cfg->delay);
}

static void query_assets(cw_buf *out, const or_config *cfg) {
    cw_buf_puts(out, "{\"assets\":[");
    for (size_t i = 0; i < cfg->n_assets; i++)
        cw_buf_printf(out, "%s{\"denom\":\"%S\",\"source\":\"%s\"}", i ? "," : "",
                      cfg->assets[i].denom, or_source_name(cfg->assets[i].source));
    cw_buf_puts(out, "]}");
}

static cw_error *query_submissions(const cw_env *env, const or_config *cfg, cw_buf *out,
                                   cw_str denom) {
    or_asset a;
    CW_TRY(or_asset_load(cfg, denom, &a));
    cw_buf_printf(out, "{\"denom\":\"%S\",\"submissions\":[", denom);
    for (size_t i = 0; i < a.n_subs; i++) {
        const or_submission *s = &a.subs[i];
        bool fresh = or_age_seconds(env->time_ns, s->quote.at) <= cfg->max_age;
        cw_buf_printf(
            out, "%s{\"feeder\":\"%S\",\"price\":\"%S\",\"submitted_at\":\"%llu\",\"fresh\":%s}",
            i ? "," : "", s->feeder, or_dec_str(s->quote.price), (unsigned long long)s->quote.at,
            fresh ? "true" : "false");
    }
    cw_buf_puts(out, "],\"pending\":");
    if (a.pending.set)
        cw_buf_printf(out, "{\"price\":\"%S\",\"since\":\"%llu\",\"by\":\"%S\"}}",
                      or_dec_str(a.pending.price), (unsigned long long)a.pending.at, a.pending_by);
    else
        cw_buf_puts(out, "null}");
    return NULL;
}

cw_error *or_query(const cw_env *env, cw_json msg, cw_buf *out) {
    size_t which;
    cw_json body;
    CW_TRY(or_parse_error("QueryMsg", or_parse_enum(msg, VARIANTS, &which, &body)));
    query_msg q = {0};
    bool has_denom = which == 0 || which == 1 || which == 4;
    CW_TRY(or_parse_error("QueryMsg", or_parse_struct(body, DENOM_FIELD, has_denom, &q)));
    or_config cfg;
    CW_TRY(or_config_load(&cfg));
    switch (which) {
    case 0:
    case 1:
        return query_price(env, &cfg, out, q.denom, which == 1);
    case 2:
        query_config(out, &cfg);
        return NULL;
    case 3:
        query_assets(out, &cfg);
        return NULL;
    case 4:
        return query_submissions(env, &cfg, out, q.denom);
    default:
        cw_buf_printf(out, "{\"feeders\":%llu,\"assets\":%llu,\"submissions\":%llu}",
                      (unsigned long long)cfg.totals.feeders, (unsigned long long)cfg.totals.assets,
                      (unsigned long long)cfg.totals.submissions);
        return NULL;
    }
}

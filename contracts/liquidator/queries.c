/* Queries: config, market_params, auction (with its current price and whether it needs a
 * reset), auctions (live ones, paginated), totals (debt in auction) and accounting (stored
 * totals against a recount of live auctions and the balances) (SPEC.md §8). */
#include "liquidator.h"

static void key_u128(cw_jw *w, const char *key, cw_u128 v) {
    cw_jw_key(w, key);
    cw_jw_u128_str(w, v);
}

static void key_dec(cw_jw *w, const char *key, cw_decimal d) {
    cw_jw_key(w, key);
    cw_jw_cstr(w, lq_dstr(d));
}

static void key_str_or_null(cw_jw *w, const char *key, cw_str s) {
    cw_jw_key(w, key);
    if (s.len)
        cw_jw_str(w, s);
    else
        cw_jw_null(w);
}

static void key_u64(cw_jw *w, const char *key, uint64_t v) {
    cw_jw_key(w, key);
    cw_jw_u64(w, v);
}

/* One auction with its price at `now`; the oracle's failure leaves oracle_price null and
 * needs_reset judged by time alone. */
static cw_error *write_auction(cw_jw *w, const lq_config *cfg, const lq_auction *a, uint64_t now) {
    lq_params p;
    CW_TRY(lq_params_load(a->market, &p));
    cw_decimal oracle, price = lq_price_at(a, &p, now);
    cw_error *err = lq_oracle_price(cfg, a->oracle_denom, &oracle);
    bool has_oracle = err == NULL;
    if (err) cw_error_free(err);
    const char *reason = lq_reset_reason(a, &p, now, has_oracle ? &oracle : NULL, price);
    cw_jw_obj_begin(w);
    key_u64(w, "auction_id", a->id);
    key_u64(w, "position_id", a->position_id);
    key_str_or_null(w, "owner", a->owner);
    key_str_or_null(w, "market", a->market);
    key_str_or_null(w, "asset", a->asset);
    cw_jw_key(w, "kind");
    cw_jw_cstr(w, a->kind == LQ_CW20 ? "cw20" : "native");
    key_str_or_null(w, "oracle_denom", a->oracle_denom);
    key_str_or_null(w, "keeper", a->keeper);
    key_u128(w, "lot", a->lot);
    key_u128(w, "debt", a->debt);
    key_u128(w, "tab", a->tab);
    key_dec(w, "top", a->top);
    key_u64(w, "started_at", a->started_at);
    key_u64(w, "elapsed", now > a->started_at ? now - a->started_at : 0);
    key_u64(w, "resets", a->resets);
    key_dec(w, "price", price);
    cw_jw_key(w, "oracle_price");
    if (has_oracle)
        cw_jw_cstr(w, lq_dstr(oracle));
    else
        cw_jw_null(w);
    cw_jw_key(w, "needs_reset");
    cw_jw_bool(w, reason != NULL || cw_decimal_is_zero(price));
    cw_jw_obj_end(w);
    return NULL;
}

static void write_config(cw_jw *w, const lq_config *c) {
    cw_jw_obj_begin(w);
    key_str_or_null(w, "governance", c->governance);
    key_str_or_null(w, "engine", c->engine);
    key_str_or_null(w, "stable_token", c->stable_token);
    key_str_or_null(w, "oracle", c->oracle);
    key_str_or_null(w, "backstop_pool", c->backstop_pool);
    key_str_or_null(w, "settlement", c->settlement);
    key_u64(w, "circuit_breaker", c->circuit_breaker);
    cw_jw_key(w, "shut_down");
    cw_jw_bool(w, c->shut_down != 0);
    key_u64(w, "next_auction_id", c->next_auction_id);
    cw_jw_obj_end(w);
}

static void write_total(cw_jw *w, const char *live_key, const lq_market_total *t) {
    key_u64(w, live_key, t->live);
    key_u128(w, "debt_in_auction", t->debt);
}

static cw_error *write_totals(cw_jw *w) {
    cw_range r;
    cw_str key, value;
    lq_market_total sum = {0};
    cw_jw_obj_begin(w);
    cw_jw_key(w, "markets");
    cw_jw_arr_begin(w);
    cw_map_range_begin(&r, "market_debt", NULL, 0, NULL);
    while (cw_range_next(&r, &key, &value)) {
        lq_market_total t;
        CW_TRY(lq_market_total_load(lq_copy(key), &t));
        sum.debt += t.debt;
        sum.live += t.live;
        cw_jw_obj_begin(w);
        cw_jw_key(w, "market");
        cw_jw_str(w, key);
        write_total(w, "live_auctions", &t);
        cw_jw_obj_end(w);
    }
    cw_range_end(&r);
    cw_jw_arr_end(w);
    write_total(w, "live_auctions", &sum);
    cw_jw_obj_end(w);
    return NULL;
}

/* Stored totals against a recount over every live auction (a diagnostic: O(markets ×
 * auctions + assets × auctions)). */
static cw_error *write_accounting(cw_jw *w, const cw_env *env) {
    cw_range r, ar;
    cw_str key, value, akey, avalue;
    bool holds = true;
    cw_jw_obj_begin(w);
    cw_jw_key(w, "markets");
    cw_jw_arr_begin(w);
    cw_map_range_begin(&r, "market_debt", NULL, 0, NULL);
    while (cw_range_next(&r, &key, &value)) {
        cw_str market = lq_copy(key);
        lq_market_total t, re = {0};
        CW_TRY(lq_market_total_load(market, &t));
        cw_map_range_begin(&ar, "auction", NULL, 0, NULL);
        while (cw_range_next(&ar, &akey, &avalue)) {
            uint64_t id;
            lq_auction a;
            if (!cw_key_u64(akey, &id)) continue;
            CW_TRY(lq_auction_load(id, &a));
            if (!cw_str_eq(a.market, market)) continue;
            re.debt += a.debt;
            re.live++;
        }
        cw_range_end(&ar);
        holds = holds && re.debt == t.debt && re.live == t.live;
        cw_jw_obj_begin(w);
        cw_jw_key(w, "market");
        cw_jw_str(w, market);
        write_total(w, "live_auctions", &t);
        key_u128(w, "debt_recounted", re.debt);
        key_u64(w, "live_recounted", re.live);
        cw_jw_obj_end(w);
    }
    cw_range_end(&r);
    cw_jw_arr_end(w);
    cw_jw_key(w, "assets");
    cw_jw_arr_begin(w);
    cw_map_range_begin(&r, "held", NULL, 0, NULL);
    while (cw_range_next(&r, &key, &value)) {
        cw_str asset = lq_copy(key);
        uint64_t kind;
        bool found;
        cw_u128 held = lq_held_load(asset, &kind, &found), lots = 0, balance;
        cw_map_range_begin(&ar, "auction", NULL, 0, NULL);
        while (cw_range_next(&ar, &akey, &avalue)) {
            uint64_t id;
            lq_auction a;
            if (!cw_key_u64(akey, &id)) continue;
            CW_TRY(lq_auction_load(id, &a));
            if (cw_str_eq(a.asset, asset)) lots += a.lot;
        }
        cw_range_end(&ar);
        CW_TRY(lq_balance_of(env, asset, kind, &balance));
        holds = holds && held == lots && held <= balance;
        cw_jw_obj_begin(w);
        cw_jw_key(w, "asset");
        cw_jw_str(w, asset);
        cw_jw_key(w, "kind");
        cw_jw_cstr(w, kind == LQ_CW20 ? "cw20" : "native");
        key_u128(w, "held", held);
        key_u128(w, "lots", lots);
        key_u128(w, "balance", balance);
        cw_jw_obj_end(w);
    }
    cw_range_end(&r);
    cw_jw_arr_end(w);
    cw_jw_key(w, "identity_holds");
    cw_jw_bool(w, holds);
    cw_jw_obj_end(w);
    return NULL;
}

/* --- Dispatch ----------------------------------------------------------------------------------
 */

typedef struct query_msg {
    cw_str market;
    uint64_t auction_id, start_after, limit;
    bool has_start_after, has_limit;
} query_msg;
static const cw_field Q_MARKET[] = {CW_REQ(query_msg, "market", LQ_STR, market)};
static const cw_field Q_AUCTION[] = {CW_REQ(query_msg, "auction_id", LQ_U64, auction_id)};
static const cw_field Q_AUCTIONS[] = {
    CW_OPT(query_msg, "start_after", LQ_U64, start_after, has_start_after),
    CW_OPT(query_msg, "limit", LQ_U64, limit, has_limit)};
static const char *const QUERIES[] = {"config", "market_params", "auction", "auctions",
                                      "totals", "accounting",    NULL};
static const struct {
    const cw_field *fields;
    uint8_t n;
} Q_FIELDS[] = {{NULL, 0}, {Q_MARKET, 1}, {Q_AUCTION, 1}, {Q_AUCTIONS, 2}, {NULL, 0}, {NULL, 0}};

static cw_error *run_query(const cw_env *env, cw_json msg, cw_jw *w) {
    size_t which;
    cw_json body;
    query_msg m = {0};
    CW_TRY(cw_parse_enum(msg, QUERIES, &which, &body));
    CW_TRY(lq_parse(body, Q_FIELDS[which].fields, Q_FIELDS[which].n, &m));
    uint64_t now = env->time_ns / 1000000000u;
    lq_config cfg;
    CW_TRY(lq_config_load(&cfg));
    switch (which) {
    case 0:
        write_config(w, &cfg);
        return NULL;
    case 1: {
        lq_params p;
        CW_TRY(lq_params_load(m.market, &p));
        lq_write_params(w, m.market, &p);
        return NULL;
    }
    case 2: {
        lq_auction a;
        CW_TRY(lq_auction_load(m.auction_id, &a));
        return write_auction(w, &cfg, &a, now);
    }
    case 3: {
        char be[8];
        cw_range r;
        cw_str key, value;
        cw_range_opts opts = {.limit = cw_page_limit(m.has_limit, m.limit, 10, 30)};
        if (m.has_start_after) opts.min = cw_bound_exclusive(cw_be_u64(m.start_after, be));
        cw_jw_obj_begin(w);
        cw_jw_key(w, "auctions");
        cw_jw_arr_begin(w);
        cw_map_range_begin(&r, "auction", NULL, 0, &opts);
        while (opts.limit && cw_range_next(&r, &key, &value)) { /* limit 0: none (not all) */
            uint64_t id;
            lq_auction a;
            if (!cw_key_u64(key, &id)) continue;
            CW_TRY(lq_auction_load(id, &a));
            CW_TRY(write_auction(w, &cfg, &a, now));
        }
        cw_range_end(&r);
        cw_jw_arr_end(w);
        cw_jw_obj_end(w);
        return NULL;
    }
    case 4:
        return write_totals(w);
    default:
        return write_accounting(w, env);
    }
}

cw_error *lq_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_jw w;
    cw_jw_init(&w, answer);
    return run_query(env, msg, &w);
}

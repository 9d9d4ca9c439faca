/* keeper.c — the keeper agent (hs_keeper.h): one round finds liquidatable positions through the
 * engine's indexed `liquidatable` query, liquidates them until the engine refuses for room,
 * restarts auctions that need it and takes profitable auctions within a stable budget, all as
 * ordinary transactions through hostsim.h. Messages: contracts/SOLVENCY.md §2 and §5, the
 * engine's and the liquidator's SPEC.md.
 *
 * Debt liquidated is the engine's `debt_seized` attribute; stable paid and collateral bought are
 * measured, not trusted: the keeper's balance changes around each take. */
#define _GNU_SOURCE /* asprintf */
#include "hs_keeper.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDR_CAP 128
#define ERR_CAP 1024
#define ONE HS_DECIMAL_ONE
#define U128_MAX (~(hs_u128)0)
/* The allowance the keeper gives the liquidator when it has too little (1e35). */
#define ALLOWANCE_GRANT "100000000000000000000000000000000000"

struct hs_keeper {
    hs_chain *chain;
    char *name;
    char account[ADDR_CAP], engine[ADDR_CAP], liquidator[ADDR_CAP];
    char token[ADDR_CAP], oracle[ADDR_CAP]; /* from the engine's config, at the first round */
    bool has_liquidator, wired;
    hs_u128 min_discount; /* atomics */
    hs_u128 max_take;     /* U128_MAX: no limit */
    hs_keeper_config cfg;
    hs_keeper_report totals;
    uint64_t query_gas; /* gas of the queries of the current round */
    char error[ERR_CAP];
};

/* --- Numbers ------------------------------------------------------------------------------- */

/* 256-bit product of two u128, as (hi, lo). */
static void mul_wide(hs_u128 a, hs_u128 b, hs_u128 *hi, hs_u128 *lo) {
    uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64), b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
    hs_u128 p00 = (hs_u128)a0 * b0, p01 = (hs_u128)a0 * b1, p10 = (hs_u128)a1 * b0,
            p11 = (hs_u128)a1 * b1;
    hs_u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    *lo = (mid << 64) | (uint64_t)p00;
    *hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

/* a·b ≤ c·d, exactly. */
static bool product_le(hs_u128 a, hs_u128 b, hs_u128 c, hs_u128 d) {
    hs_u128 h1, l1, h2, l2;
    mul_wide(a, b, &h1, &l1);
    mul_wide(c, d, &h2, &l2);
    return h1 < h2 || (h1 == h2 && l1 <= l2);
}

/* floor(a·b / d) for d < 2^64, saturating at U128_MAX. */
static hs_u128 mul_div(hs_u128 a, hs_u128 b, uint64_t d) {
    hs_u128 hi, lo;
    mul_wide(a, b, &hi, &lo);
    if (hi >= d) return U128_MAX;
    uint64_t limbs[4] = {(uint64_t)(hi >> 64), (uint64_t)hi, (uint64_t)(lo >> 64), (uint64_t)lo};
    hs_u128 rem = 0, q = 0;
    for (int i = 0; i < 4; i++) {
        hs_u128 cur = (rem << 64) | limbs[i];
        uint64_t qi = (uint64_t)(cur / d);
        rem = cur % d;
        if (i >= 2) q = (q << 64) | qi;
    }
    return q;
}

static hs_u128 mul_div_ceil(hs_u128 a, hs_u128 b, uint64_t d) {
    hs_u128 q = mul_div(a, b, d);
    if (q == U128_MAX) return q;
    hs_u128 hi, lo;
    mul_wide(q, d, &hi, &lo);
    hs_u128 ph, pl;
    mul_wide(a, b, &ph, &pl);
    return (hi == ph && lo == pl) ? q : q + 1;
}

/* floor(num · 10^18 / den) for num ≤ den (a ratio in [0, 1] as atomics); exact unless num
 * exceeds 2^128 / 10^18, where both are scaled down first (reports only). */
static hs_u128 fraction(hs_u128 num, hs_u128 den) {
    while (num > U128_MAX / ONE) {
        num >>= 1;
        den >>= 1;
    }
    return den ? num * ONE / den : 0;
}

/* floor(stable · 10^18 / price): collateral that `stable` buys at `price` (atomics). */
static hs_u128 floor_div_price(hs_u128 stable, hs_u128 price) {
    if (stable <= U128_MAX / ONE) return stable * ONE / price;
    return stable / price * ONE + (stable % price) * ONE / price;
}

/* --- Errors and chain helpers ------------------------------------------------------------- */

static int fail(hs_keeper *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(hs_keeper *k, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->error, sizeof k->error, fmt, ap);
    va_end(ap);
    return -1;
}

static char *vfmt(const char *fmt, va_list ap) {
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        fprintf(stderr, "hs_keeper: out of memory\n");
        abort();
    }
    return s;
}

/* A smart query's answer, parsed; NULL with k->error set when it fails. */
static json_t *query(hs_keeper *k, const char *contract, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static json_t *query(hs_keeper *k, const char *contract, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_query(k->chain, contract, msg);
    k->query_gas += r.gas_used;
    json_t *j = NULL;
    if (!r.ok)
        fail(k, "keeper %s: query %s failed: %s", k->name, msg, r.error ? r.error : "?");
    else if (!(j = json_loads(r.answer, 0, NULL)))
        fail(k, "keeper %s: query %s: answer is not JSON: %s", k->name, msg, r.answer);
    hs_result_free(&r);
    free(msg);
    return j;
}

/* Send a transaction as the keeper; counts it in rep. */
static hs_result execute(hs_keeper *k, hs_keeper_report *rep, const char *contract, const char *fmt,
                         ...) __attribute__((format(printf, 4, 5)));
static hs_result execute(hs_keeper *k, hs_keeper_report *rep, const char *contract, const char *fmt,
                         ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = vfmt(fmt, ap);
    va_end(ap);
    hs_result r = hs_execute(k->chain, contract, k->account, msg, NULL, 0);
    free(msg);
    rep->txs++;
    rep->gas_used += r.gas_used;
    return r;
}

static const char *jstr(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A member that is an amount: a Uint128 string (or a JSON integer). */
static bool jamount(json_t *o, const char *key, hs_u128 *out) {
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (hs_u128)json_integer_value(v);
        return true;
    }
    return json_is_string(v) && hs_u128_from_text(json_string_value(v), out);
}

/* A member that is an id: a JSON integer (or a digit string). */
static bool jid(json_t *o, const char *key, uint64_t *out) {
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    hs_u128 x;
    if (json_is_string(v) && hs_u128_from_text(json_string_value(v), &x) && x <= UINT64_MAX) {
        *out = (uint64_t)x;
        return true;
    }
    return false;
}

/* The page's items: the array member `key` of an answer, or NULL. */
static json_t *page_items(json_t *answer, const char *key) {
    json_t *v = json_object_get(answer, key);
    return json_is_array(v) ? v : NULL;
}

/* The keeper's stable balance (CW20 query). */
static int stable_balance(hs_keeper *k, hs_u128 *out) {
    json_t *j = query(k, k->token, "{\"balance\":{\"address\":\"%s\"}}", k->account);
    if (!j) return -1;
    bool ok = jamount(j, "balance", out);
    json_decref(j);
    return ok ? 0 : fail(k, "keeper %s: stable_token balance answer has no balance", k->name);
}

/* The keeper's balance of a collateral: a bank balance (native) or a CW20 balance. */
static int collateral_balance(hs_keeper *k, const char *asset, bool cw20, hs_u128 *out) {
    if (!cw20) {
        char amount[64];
        if (hs_balance(k->chain, k->account, asset, amount, sizeof amount) ||
            !hs_u128_from_text(amount, out))
            return fail(k, "keeper %s: bank balance of %s failed", k->name, asset);
        return 0;
    }
    json_t *j = query(k, asset, "{\"balance\":{\"address\":\"%s\"}}", k->account);
    if (!j) return -1;
    bool ok = jamount(j, "balance", out);
    json_decref(j);
    return ok ? 0 : fail(k, "keeper %s: CW20 %s balance answer has no balance", k->name, asset);
}

/* Learn the stable token and the oracle from the engine's config (once). */
static int wire(hs_keeper *k) {
    if (k->wired) return 0;
    json_t *j = query(k, k->engine, "{\"config\":{}}");
    if (!j) return -1;
    const char *token = jstr(j, "stable_token"), *oracle = jstr(j, "oracle");
    if (!token || !oracle) {
        json_decref(j);
        return fail(k, "keeper %s: engine config lacks stable_token or oracle", k->name);
    }
    snprintf(k->token, sizeof k->token, "%s", token);
    snprintf(k->oracle, sizeof k->oracle, "%s", oracle);
    json_decref(j);
    k->wired = true;
    return 0;
}

/* --- Liquidation ------------------------------------------------------------------------------ */

/* Σ of the values of attribute `key` over the wasm events of a transaction (the engine's
 * `debt_seized`). */
static hs_u128 event_sum(const char *events, const char *key) {
    json_t *all = events ? json_loads(events, 0, NULL) : NULL;
    hs_u128 sum = 0;
    size_t i, j;
    json_t *ev, *attr;
    json_array_foreach(all, i, ev) {
        const char *type = jstr(ev, "type");
        if (!type || strcmp(type, "wasm") != 0) continue;
        json_array_foreach(json_object_get(ev, "attributes"), j, attr) {
            const char *k = jstr(attr, "key"), *v = jstr(attr, "value");
            hs_u128 x;
            if (k && v && strcmp(k, key) == 0 && hs_u128_from_text(v, &x)) sum += x;
        }
    }
    json_decref(all);
    return sum;
}

/* The engine's refusal when the auction caps have no room left (stop liquidating the market). */
static bool refused_for_room(const char *error) {
    return error && (strstr(error, "room") || strstr(error, "auction debt limit") ||
                     strstr(error, "auction_debt_limit"));
}

static bool tried_before(uint64_t **tried, size_t *n, size_t *cap, uint64_t id) {
    for (size_t t = 0; t < *n; t++)
        if ((*tried)[t] == id) return true;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *tried = realloc(*tried, *cap * sizeof **tried);
        if (!*tried) abort();
    }
    (*tried)[(*n)++] = id;
    return false;
}

/* Liquidate what the engine lists in one market: the riskiest page, liquidate each, read the
 * page again (liquidated positions have left the index), until the engine refuses for room or a
 * page lists nothing not tried this round. */
static int liquidate_market(hs_keeper *k, const char *market, hs_keeper_report *rep) {
    uint64_t *tried = NULL; /* ids sent this round: a refused one is not retried */
    size_t n_tried = 0, cap_tried = 0;
    int rc = 0;
    bool stop = false;
    while (rc == 0 && !stop) {
        json_t *j = query(k, k->engine, "{\"liquidatable\":{\"market\":\"%s\",\"limit\":%u}}",
                          market, k->cfg.page_limit);
        if (!j) {
            rc = -1;
            break;
        }
        rep->pages++;
        json_t *items = page_items(j, "positions");
        if (!items) rc = fail(k, "keeper %s: liquidatable answer has no positions", k->name);
        size_t fresh = 0;
        for (size_t i = 0; rc == 0 && !stop && i < json_array_size(items); i++) {
            json_t *it = json_array_get(items, i);
            uint64_t id;
            if (!jid(it, "position_id", &id)) {
                rc = fail(k, "keeper %s: liquidatable item without position_id", k->name);
                break;
            }
            if (tried_before(&tried, &n_tried, &cap_tried, id)) continue;
            fresh++;
            if (rep->txs >= k->cfg.max_txs_per_round) {
                stop = true;
                break;
            }
            hs_result r =
                execute(k, rep, k->engine, "{\"liquidate\":{\"position_id\":%llu,\"keeper\":null}}",
                        (unsigned long long)id);
            if (r.ok) {
                rep->liquidations++;
                rep->debt_liquidated += event_sum(r.events, "debt_seized");
            } else {
                rep->liquidations_refused++;
                if (refused_for_room(r.error)) stop = true;
            }
            hs_result_free(&r);
        }
        json_decref(j);
        if (fresh == 0) stop = true;
    }
    free(tried);
    return rc;
}

/* Every market of the engine, page by page. */
static int liquidate_all(hs_keeper *k, hs_keeper_report *rep) {
    char after[96] = "";
    for (;;) {
        json_t *j;
        if (after[0])
            j = query(k, k->engine, "{\"markets\":{\"start_after\":\"%s\",\"limit\":%u}}", after,
                      k->cfg.page_limit);
        else
            j = query(k, k->engine, "{\"markets\":{\"limit\":%u}}", k->cfg.page_limit);
        if (!j) return -1;
        rep->pages++;
        json_t *items = json_object_get(j, "markets");
        size_t n = json_array_size(items);
        for (size_t i = 0; i < n; i++) {
            const char *id = jstr(json_array_get(items, i), "id");
            if (!id) {
                json_decref(j);
                return fail(k, "keeper %s: market without id", k->name);
            }
            snprintf(after, sizeof after, "%s", id);
            if (liquidate_market(k, id, rep)) {
                json_decref(j);
                return -1;
            }
        }
        json_decref(j);
        if (n < k->cfg.page_limit) return 0;
    }
}

/* --- Auctions --------------------------------------------------------------------------------- */

typedef struct auction {
    uint64_t id;
    char asset[ADDR_CAP], oracle_denom[ADDR_CAP];
    bool cw20, needs_redo;
    hs_u128 lot;   /* collateral left */
    hs_u128 tab;   /* stable still to raise (a take never costs more); U128_MAX if unknown */
    hs_u128 price; /* current auction price, atomics */
    hs_u128 oracle_price;
    hs_u128 discount; /* atomics; 0 when at or above the oracle price */
} auction;

typedef struct auction_list {
    auction *items;
    size_t n, cap;
} auction_list;

static int oracle_price(hs_keeper *k, const char *denom, hs_u128 *out) {
    json_t *j = query(k, k->oracle, "{\"price\":{\"denom\":\"%s\"}}", denom);
    if (!j) return -1;
    const char *p = jstr(j, "price");
    bool ok = p && hs_decimal_from_text(p, out);
    json_decref(j);
    return ok ? 0 : fail(k, "keeper %s: oracle price of %s unreadable", k->name, denom);
}

/* One auction object of the `auctions` answer. Returns 0, 1 (not live: skip) or -1. */
static int read_auction(hs_keeper *k, json_t *a, auction *out) {
    memset(out, 0, sizeof *out);
    if (!jid(a, "auction_id", &out->id))
        return fail(k, "keeper %s: auction without auction_id", k->name);
    const char *asset = jstr(a, "asset"), *odenom = jstr(a, "oracle_denom"),
               *kind = jstr(a, "kind"), *price = jstr(a, "price");
    if (!asset || !price || !hs_decimal_from_text(price, &out->price))
        return fail(k, "keeper %s: auction %llu lacks asset or price", k->name,
                    (unsigned long long)out->id);
    if (!jamount(a, "lot", &out->lot))
        return fail(k, "keeper %s: auction %llu lacks its lot", k->name,
                    (unsigned long long)out->id);
    if (!jamount(a, "tab", &out->tab)) out->tab = U128_MAX;
    snprintf(out->asset, sizeof out->asset, "%s", asset);
    snprintf(out->oracle_denom, sizeof out->oracle_denom, "%s", odenom ? odenom : asset);
    out->cw20 = kind && strcmp(kind, "cw20") == 0;
    out->needs_redo = json_is_true(json_object_get(a, "needs_reset"));
    const char *op = jstr(a, "oracle_price");
    if (op && !hs_decimal_from_text(op, &out->oracle_price)) op = NULL;
    /* No oracle price (the liquidator's answer says null and the oracle refuses): the auction
     * cannot be judged, nor taken (take needs the price too); it is skipped, not an error. */
    if (!op && oracle_price(k, out->oracle_denom, &out->oracle_price)) {
        out->oracle_price = 0;
        k->error[0] = '\0';
    }
    if (out->oracle_price > 0 && out->price < out->oracle_price)
        out->discount = fraction(out->oracle_price - out->price, out->oracle_price);
    return out->lot == 0 ? 1 : 0;
}

/* Every live auction, page by page (start_after = the last id). */
static int list_auctions(hs_keeper *k, hs_keeper_report *rep, auction_list *list) {
    list->n = 0;
    uint64_t after = 0;
    bool first = true;
    for (;;) {
        json_t *j;
        if (first)
            j = query(k, k->liquidator, "{\"auctions\":{\"limit\":%u}}", k->cfg.page_limit);
        else
            j = query(k, k->liquidator, "{\"auctions\":{\"start_after\":%llu,\"limit\":%u}}",
                      (unsigned long long)after, k->cfg.page_limit);
        if (!j) return -1;
        first = false;
        rep->pages++;
        json_t *items = page_items(j, "auctions");
        if (!items) {
            json_decref(j);
            return fail(k, "keeper %s: auctions answer has no auctions", k->name);
        }
        size_t n = json_array_size(items);
        for (size_t i = 0; i < n; i++) {
            if (list->n == list->cap) {
                list->cap = list->cap ? list->cap * 2 : 32;
                list->items = realloc(list->items, list->cap * sizeof *list->items);
                if (!list->items) abort();
            }
            auction *a = &list->items[list->n];
            int rc = read_auction(k, json_array_get(items, i), a);
            if (rc < 0) {
                json_decref(j);
                return -1;
            }
            after = a->id;
            if (rc == 0) list->n++;
        }
        json_decref(j);
        if (n < k->cfg.page_limit) return 0;
    }
}

static int redo_auctions(hs_keeper *k, auction_list *list, hs_keeper_report *rep) {
    for (size_t i = 0; i < list->n; i++) {
        if (!list->items[i].needs_redo || rep->txs >= k->cfg.max_txs_per_round) continue;
        hs_result r =
            execute(k, rep, k->liquidator, "{\"redo\":{\"auction_id\":%llu,\"keeper\":null}}",
                    (unsigned long long)list->items[i].id);
        if (r.ok)
            rep->redos++;
        else
            rep->redos_refused++;
        hs_result_free(&r);
    }
    return 0;
}

static int by_discount_desc(const void *a, const void *b) {
    const auction *x = a, *y = b;
    if (x->discount != y->discount) return x->discount > y->discount ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Make sure the liquidator may pull `need` stable from the keeper. */
static int ensure_allowance(hs_keeper *k, hs_u128 need, hs_keeper_report *rep) {
    json_t *j = query(k, k->token, "{\"allowance\":{\"owner\":\"%s\",\"spender\":\"%s\"}}",
                      k->account, k->liquidator);
    if (!j) return -1;
    hs_u128 have = 0;
    bool ok = jamount(j, "allowance", &have);
    json_decref(j);
    if (!ok) return fail(k, "keeper %s: allowance answer unreadable", k->name);
    if (have >= need) return 0;
    hs_result r =
        execute(k, rep, k->token, "{\"increase_allowance\":{\"spender\":\"%s\",\"amount\":\"%s\"}}",
                k->liquidator, ALLOWANCE_GRANT);
    int rc = r.ok ? 0 : fail(k, "keeper %s: increase_allowance failed: %s", k->name, r.error);
    hs_result_free(&r);
    return rc;
}

static int take_one(hs_keeper *k, const auction *a, hs_u128 *budget, hs_keeper_report *rep) {
    /* Buy the whole lot when the budget allows, else what the budget pays for. The whole lot
     * never costs more than the tab (the liquidator then sells only what covers it). */
    hs_u128 amount = a->lot;
    hs_u128 cost = mul_div_ceil(a->lot, a->price, (uint64_t)ONE);
    if (cost > a->tab) cost = a->tab;
    if (cost > *budget) amount = a->price ? floor_div_price(*budget, a->price) : a->lot;
    if (amount == 0) {
        rep->skipped_budget++;
        return 0;
    }
    hs_u128 stable0, stable1, coll0, coll1;
    if (stable_balance(k, &stable0) || collateral_balance(k, a->asset, a->cw20, &coll0)) return -1;
    char amount_s[40], price_s[64];
    hs_u128_format(amount, amount_s);
    hs_decimal_format(a->price, price_s);
    hs_result r = execute(k, rep, k->liquidator,
                          "{\"take\":{\"auction_id\":%llu,\"max_amount\":\"%s\",\"max_price\":"
                          "\"%s\",\"recipient\":null,\"callback\":null}}",
                          (unsigned long long)a->id, amount_s, price_s);
    uint64_t gas = r.gas_used;
    bool ok = r.ok;
    hs_result_free(&r);
    if (!ok) {
        rep->takes_refused++;
        return 0;
    }
    if (stable_balance(k, &stable1) || collateral_balance(k, a->asset, a->cw20, &coll1)) return -1;
    hs_u128 paid = stable0 > stable1 ? stable0 - stable1 : 0;
    hs_u128 bought = coll1 > coll0 ? coll1 - coll0 : 0;
    rep->takes++;
    rep->stable_paid += paid;
    rep->collateral_bought += bought;
    rep->collateral_value += mul_div(bought, a->oracle_price, (uint64_t)ONE);
    uint64_t d = (uint64_t)a->discount;
    if (rep->takes == 1 || d < rep->discount_min) rep->discount_min = d;
    if (d > rep->discount_max) rep->discount_max = d;
    *budget = paid < *budget ? *budget - paid : 0;
    if (k->cfg.on_take) {
        hs_keeper_take t = {k->name, a->id, a->asset, a->price, a->oracle_price, bought, paid, gas};
        k->cfg.on_take(k->cfg.on_take_ctx, &t);
    }
    return 0;
}

static int take_profitable(hs_keeper *k, auction_list *list, hs_keeper_report *rep) {
    hs_u128 budget;
    if (stable_balance(k, &budget)) return -1;
    if (k->max_take < budget) budget = k->max_take;
    if (list->n > 1) qsort(list->items, list->n, sizeof *list->items, by_discount_desc);
    bool allowance_checked = false;
    for (size_t i = 0; i < list->n; i++) {
        auction *a = &list->items[i];
        /* discount ≥ min ⇔ price · 1 ≤ oracle · (1 − min), exactly */
        if (a->oracle_price == 0 ||
            !product_le(a->price, ONE, a->oracle_price, ONE - k->min_discount)) {
            rep->skipped_unprofitable++;
            continue;
        }
        if (budget == 0 || rep->txs >= k->cfg.max_txs_per_round) {
            rep->skipped_budget++;
            continue;
        }
        if (!allowance_checked) {
            if (ensure_allowance(k, budget, rep)) return -1;
            allowance_checked = true;
        }
        if (take_one(k, a, &budget, rep)) return -1;
    }
    return 0;
}

/* --- Public API ------------------------------------------------------------------------------- */

void hs_keeper_config_default(hs_keeper_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->name = "keeper";
    cfg->min_discount = "0";
    cfg->liquidate = true;
    cfg->bid = true;
    cfg->redo = true;
    cfg->page_limit = 10;
    cfg->max_txs_per_round = 100000;
}

int hs_keeper_new(hs_chain *chain, const hs_keeper_config *cfg, hs_keeper **out, char **err) {
    *out = NULL;
    const char *why = NULL;
    hs_u128 min_discount = 0, max_take = U128_MAX;
    if (!cfg->account || !*cfg->account)
        why = "a keeper needs an account";
    else if (!cfg->engine || !*cfg->engine)
        why = "a keeper needs the engine's address";
    else if (cfg->min_discount &&
             (!hs_decimal_from_text(cfg->min_discount, &min_discount) || min_discount > ONE))
        why = "min_discount must be a Decimal in [0, 1]";
    else if (cfg->max_take_per_round && !hs_u128_from_text(cfg->max_take_per_round, &max_take))
        why = "max_take_per_round must be a Uint128 string";
    if (why) {
        if (err && asprintf(err, "%s", why) < 0) *err = NULL;
        return -1;
    }
    hs_keeper *k = calloc(1, sizeof *k);
    if (!k) abort();
    k->chain = chain;
    k->cfg = *cfg;
    k->name = strdup(cfg->name ? cfg->name : "keeper");
    if (!k->name) abort();
    k->cfg.name = k->name;
    if (k->cfg.page_limit == 0) k->cfg.page_limit = 10;
    if (k->cfg.page_limit > 30) k->cfg.page_limit = 30; /* the contracts' page maximum */
    if (k->cfg.max_txs_per_round == 0) k->cfg.max_txs_per_round = 100000;
    hs_address(chain, cfg->account, k->account, sizeof k->account);
    hs_address(chain, cfg->engine, k->engine, sizeof k->engine);
    k->has_liquidator = cfg->liquidator && *cfg->liquidator;
    if (k->has_liquidator) hs_address(chain, cfg->liquidator, k->liquidator, sizeof k->liquidator);
    k->cfg.account = k->account;
    k->cfg.engine = k->engine;
    k->cfg.liquidator = k->has_liquidator ? k->liquidator : NULL;
    k->cfg.min_discount = NULL;
    k->cfg.max_take_per_round = NULL;
    k->min_discount = min_discount;
    k->max_take = max_take;
    *out = k;
    return 0;
}

void hs_keeper_free(hs_keeper *k) {
    if (!k) return;
    free(k->name);
    free(k);
}

const char *hs_keeper_name(const hs_keeper *k) {
    return k->name;
}

const char *hs_keeper_address(const hs_keeper *k) {
    return k->account;
}

const char *hs_keeper_error(const hs_keeper *k) {
    return k->error;
}

int hs_keeper_round(hs_keeper *k, hs_keeper_report *report) {
    hs_keeper_report rep = {0};
    rep.rounds = 1;
    k->error[0] = '\0';
    k->query_gas = 0;
    int rc = wire(k);
    if (rc == 0 && k->cfg.liquidate) rc = liquidate_all(k, &rep);
    if (rc == 0 && k->has_liquidator && (k->cfg.redo || k->cfg.bid)) {
        auction_list list = {0};
        rc = list_auctions(k, &rep, &list);
        if (rc == 0 && k->cfg.redo) {
            size_t before = rep.redos;
            rc = redo_auctions(k, &list, &rep);
            if (rc == 0 && rep.redos > before) rc = list_auctions(k, &rep, &list);
        }
        if (rc == 0 && k->cfg.bid) rc = take_profitable(k, &list, &rep);
        free(list.items);
    }
    rep.query_gas = k->query_gas;
    hs_keeper_report_add(&k->totals, &rep);
    if (report) *report = rep;
    return rc;
}

void hs_keeper_totals(const hs_keeper *k, hs_keeper_report *out) {
    *out = k->totals;
}

void hs_keeper_report_add(hs_keeper_report *a, const hs_keeper_report *b) {
    if (b->takes && (a->takes == 0 || b->discount_min < a->discount_min))
        a->discount_min = b->discount_min;
    if (b->discount_max > a->discount_max) a->discount_max = b->discount_max;
    a->rounds += b->rounds;
    a->pages += b->pages;
    a->liquidations += b->liquidations;
    a->liquidations_refused += b->liquidations_refused;
    a->takes += b->takes;
    a->takes_refused += b->takes_refused;
    a->redos += b->redos;
    a->redos_refused += b->redos_refused;
    a->skipped_unprofitable += b->skipped_unprofitable;
    a->skipped_budget += b->skipped_budget;
    a->debt_liquidated += b->debt_liquidated;
    a->stable_paid += b->stable_paid;
    a->collateral_bought += b->collateral_bought;
    a->collateral_value += b->collateral_value;
    a->gas_used += b->gas_used;
    a->query_gas += b->query_gas;
    a->txs += b->txs;
}

uint64_t hs_keeper_report_average_discount(const hs_keeper_report *r) {
    if (r->collateral_value == 0 || r->stable_paid >= r->collateral_value) return 0;
    return (uint64_t)fraction(r->collateral_value - r->stable_paid, r->collateral_value);
}

char *hs_keeper_report_json(const hs_keeper_report *r) {
    char paid[40], debt[40], bought[40], value[40], avg[64], dmin[64], dmax[64];
    hs_u128_format(r->debt_liquidated, debt);
    hs_u128_format(r->stable_paid, paid);
    hs_u128_format(r->collateral_bought, bought);
    hs_u128_format(r->collateral_value, value);
    hs_decimal_format(hs_keeper_report_average_discount(r), avg);
    hs_decimal_format(r->discount_min, dmin);
    hs_decimal_format(r->discount_max, dmax);
    json_t *j = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
        "rounds", (json_int_t)r->rounds, "pages", (json_int_t)r->pages, "txs", (json_int_t)r->txs,
        "gas_used", (json_int_t)r->gas_used, "query_gas", (json_int_t)r->query_gas, "liquidations",
        (json_int_t)r->liquidations, "liquidations_refused", (json_int_t)r->liquidations_refused,
        "takes", (json_int_t)r->takes, "takes_refused", (json_int_t)r->takes_refused, "redos",
        (json_int_t)r->redos, "redos_refused", (json_int_t)r->redos_refused, "skipped_unprofitable",
        (json_int_t)r->skipped_unprofitable, "skipped_budget", (json_int_t)r->skipped_budget,
        "debt_liquidated", debt, "stable_paid", paid, "collateral_bought", bought,
        "collateral_value", value, "average_discount", avg, "min_discount", dmin, "max_discount",
        dmax);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return s;
}

/* chain_oracle.c — the oracle stub of the simulated chain: per-denom prices set directly or by a
 * price path (step, linear, seeded GBM, CSV replay) that advances with block time; contracts
 * read them through the custom query {"custom":{"oracle":{"price":{"denom":…}}}}.
 *
 * State (so snapshots and persistence cover it):
 *   0x30 ‖ denom                  → {"price":"<decimal>","updated_at":"<ns>"}
 *   0x40 ‖ "oracle_path/" ‖ denom → the path, with its start time t0 and (GBM) its position
 * Prices are decimals with up to 18 fractional digits, printed like cosmwasm Decimal (no
 * trailing zeros). Path times are seconds after the block time at which the path was set.
 *   step:   the price of the last point with t ≤ elapsed (the first point before it);
 *           updated_at = t0 + that point's t.
 *   linear: exact interpolation on 18-digit fixed point between the surrounding points
 *           (truncated), constant outside; updated_at = the block time.
 *   csv:    lines "seconds,price" (a non-numeric first line is a header) replayed as step.
 *   gbm:    log-price steps every step_seconds: ln p += (drift − volatility²/2)·dt +
 *           volatility·√dt·Z with dt = step_seconds / 31,536,000 (a 365-day year) and Z a
 *           standard normal from Box–Muller over splitmix64(seed) uniforms (53-bit). Doubles:
 *           reproducible for a seed on the same libm (glibc); the price is printed with 9
 *           fractional digits; updated_at = t0 + k·step_seconds. */
#define _GNU_SOURCE /* asprintf, vasprintf */
#include "chain_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRICE_DIGITS 18
#define PATH_PREFIX "oracle_path/"

__extension__ typedef __int128 i128;

static const hs_u128 ONE = (hs_u128)1000000000000000000ull; /* 10^18 */

/* --- Decimals --------------------------------------------------------------------------------- */

/* Parse "12.345" (≤ 18 fractional digits) into atomics (× 10^18). */
static bool dec_parse(const char *s, hs_u128 *out) {
    hs_u128 v = 0;
    int frac = -1;
    if (!s || !*s) return false;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (frac >= 0 || p == s || !p[1]) return false;
            frac = 0;
            continue;
        }
        if (*p < '0' || *p > '9') return false;
        if (frac >= 0 && ++frac > PRICE_DIGITS) return false;
        if (v > ((~(hs_u128)0) - 9) / 10) return false;
        v = v * 10 + (hs_u128)(*p - '0');
    }
    for (int i = frac < 0 ? 0 : frac; i < PRICE_DIGITS; i++) {
        if (v > (~(hs_u128)0) / 10) return false;
        v *= 10;
    }
    *out = v;
    return true;
}

/* Print atomics as a cosmwasm Decimal string (no trailing fractional zeros). */
static void dec_format(hs_u128 v, char *out) {
    char ip[HS_U128_DEC_CAP];
    hs_u128_format(v / ONE, ip);
    uint64_t frac = (uint64_t)(v % ONE);
    if (!frac) {
        strcpy(out, ip);
        return;
    }
    char f[PRICE_DIGITS + 1];
    snprintf(f, sizeof f, "%018llu", (unsigned long long)frac);
    int n = PRICE_DIGITS;
    while (n > 0 && f[n - 1] == '0') n--;
    f[n] = 0;
    sprintf(out, "%s.%s", ip, f);
}

/* --- State ------------------------------------------------------------------------------------ */

static size_t price_key(uint8_t *k, const char *denom) {
    size_t n = strlen(denom);
    k[0] = HS_KEY_ORACLE;
    memcpy(k + 1, denom, n);
    return n + 1;
}

static size_t path_key(uint8_t *k, const char *denom) {
    size_t n = strlen(denom), p = strlen(PATH_PREFIX);
    k[0] = HS_KEY_META;
    memcpy(k + 1, PATH_PREFIX, p);
    memcpy(k + 1 + p, denom, n);
    return 1 + p + n;
}

static int store_price(hs_chain *c, const char *denom, hs_u128 v, uint64_t at) {
    char p[64], ts[24];
    dec_format(v, p);
    snprintf(ts, sizeof ts, "%llu", (unsigned long long)at);
    json_t *j = json_pack("{s:s,s:s}", "price", p, "updated_at", ts);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s) return hs_fail(c, NULL, 0, "out of memory");
    uint8_t k[HS_DENOM_CAP + 2];
    int rc = hs_state_set(c, k, price_key(k, denom), s, strlen(s));
    free(s);
    return rc;
}

int hs_oracle_price(hs_chain *c, const char *denom, char **price, uint64_t *updated_at) {
    if (strlen(denom) > HS_DENOM_MAX)
        return hs_fail(c, "oracle", 1, "oracle: no price for denom %s", denom);
    uint8_t k[HS_DENOM_CAP + 2];
    size_t vl;
    const uint8_t *v = hs_state_get(c, k, price_key(k, denom), &vl);
    json_t *j = v ? json_loadb((const char *)v, vl, 0, NULL) : NULL;
    const char *p = json_string_value(json_object_get(j, "price"));
    const char *at = json_string_value(json_object_get(j, "updated_at"));
    if (!p || !at) {
        json_decref(j);
        return hs_fail(c, "oracle", 1, "oracle: no price for denom %s", denom);
    }
    *price = strdup(p);
    *updated_at = strtoull(at, NULL, 10);
    json_decref(j);
    return *price ? 0 : hs_fail(c, NULL, 0, "out of memory");
}

/* --- Paths ------------------------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double uniform53(uint64_t *state) {
    return (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* One standard normal (Box–Muller, cosine branch; two uniforms per draw). */
static double normal(uint64_t *state) {
    double u1 = 1.0 - uniform53(state); /* (0, 1] */
    double u2 = uniform53(state);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

static uint64_t json_u64(json_t *j) {
    if (json_is_integer(j)) return (uint64_t)json_integer_value(j);
    if (json_is_string(j)) return strtoull(json_string_value(j), NULL, 10);
    return 0;
}

static hs_u128 point_price(json_t *pt) {
    hs_u128 v = 0;
    (void)dec_parse(json_string_value(json_array_get(pt, 1)), &v);
    return v;
}

/* Apply a path at the current block time; `path` may be updated (GBM position). */
static int apply_path(hs_chain *c, const char *denom, json_t *path, bool *changed) {
    const char *kind = json_string_value(json_object_get(path, "kind"));
    uint64_t t0 = json_u64(json_object_get(path, "t0"));
    uint64_t elapsed = c->time_ns > t0 ? (c->time_ns - t0) / 1000000000ull : 0;
    *changed = false;
    if (!strcmp(kind, "step") || !strcmp(kind, "linear")) {
        json_t *pts = json_object_get(path, "points");
        size_t n = json_array_size(pts), i = 0;
        while (i + 1 < n && json_u64(json_array_get(json_array_get(pts, i + 1), 0)) <= elapsed) i++;
        json_t *a = json_array_get(pts, i);
        uint64_t ta = json_u64(json_array_get(a, 0));
        hs_u128 pa = point_price(a);
        if (!strcmp(kind, "step") || i + 1 >= n || elapsed < ta)
            return store_price(c, denom, pa,
                               !strcmp(kind, "step") ? t0 + ta * 1000000000ull : c->time_ns);
        json_t *b = json_array_get(pts, i + 1);
        uint64_t tb = json_u64(json_array_get(b, 0));
        hs_u128 pb = point_price(b);
        i128 diff = (i128)pb - (i128)pa;
        i128 v = (i128)pa + diff * (i128)(elapsed - ta) / (i128)(tb - ta);
        return store_price(c, denom, (hs_u128)v, c->time_ns);
    }
    /* gbm */
    uint64_t step = json_u64(json_object_get(path, "step_seconds"));
    uint64_t k = json_u64(json_object_get(path, "k"));
    uint64_t target = elapsed / step;
    if (k >= target && json_object_get(path, "k")) return 0;
    uint64_t rng = json_u64(json_object_get(path, "rng"));
    uint64_t bits = json_u64(json_object_get(path, "logp_bits"));
    double logp, mu = json_real_value(json_object_get(path, "drift_f")),
                 sigma = json_real_value(json_object_get(path, "volatility_f"));
    memcpy(&logp, &bits, sizeof logp);
    double dt = (double)step / 31536000.0;
    double a = (mu - 0.5 * sigma * sigma) * dt, b = sigma * sqrt(dt);
    for (; k < target; k++) logp += a + b * normal(&rng);
    memcpy(&bits, &logp, sizeof bits);
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)rng);
    json_object_set_new(path, "rng", json_string(buf));
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)bits);
    json_object_set_new(path, "logp_bits", json_string(buf));
    json_object_set_new(path, "k", json_integer((json_int_t)k));
    *changed = true;
    char ps[64];
    snprintf(ps, sizeof ps, "%.9f", exp(logp));
    hs_u128 v = 0;
    if (!dec_parse(ps, &v)) return hs_fail(c, "oracle", 2, "gbm price out of range: %s", ps);
    return store_price(c, denom, v, t0 + k * step * 1000000000ull);
}

static int save_path(hs_chain *c, const char *denom, json_t *path) {
    char *s = json_dumps(path, JSON_COMPACT | JSON_REAL_PRECISION(17));
    if (!s) return hs_fail(c, NULL, 0, "out of memory");
    uint8_t k[HS_DENOM_CAP + 32];
    int rc = hs_state_set(c, k, path_key(k, denom), s, strlen(s));
    free(s);
    return rc;
}

int hs_oracle_advance(hs_chain *c) {
    uint8_t lo[32], hi[32];
    size_t pl = path_key(lo, "");
    memcpy(hi, lo, pl);
    hi[pl - 1]++; /* "oracle_path/" → "oracle_path0": the end of the prefix range */
    hs_txc_iter *it;
    if (hs_txc_iter_open(c->txc, lo, pl, hi, pl, HS_ASCENDING, &it) != HS_STATE_OK)
        return hs_fail(c, NULL, 0, "out of memory");
    json_t *denoms = json_array(), *paths = json_array();
    const uint8_t *k, *v;
    size_t kl, vl;
    while (hs_txc_iter_next(it, &k, &kl, &v, &vl) == HS_STATE_OK) {
        json_array_append_new(denoms, json_stringn((const char *)k + pl, kl - pl));
        json_array_append_new(paths, json_loadb((const char *)v, vl, 0, NULL));
    }
    hs_txc_iter_close(it);
    int rc = 0;
    for (size_t i = 0; i < json_array_size(denoms) && !rc; i++) {
        json_t *path = json_array_get(paths, i);
        const char *denom = json_string_value(json_array_get(denoms, i));
        bool changed;
        if (!path || !denom) continue;
        rc = apply_path(c, denom, path, &changed);
        if (!rc && changed) rc = save_path(c, denom, path);
    }
    json_decref(denoms);
    json_decref(paths);
    return rc;
}

/* --- Public API ------------------------------------------------------------------------------- */

static int set_err(hs_chain *c, char **err) {
    if (err) *err = hs_fail_take(c);
    return -1;
}

int hs_oracle_set_price(hs_chain *c, const char *denom, const char *price, char **err) {
    if (err) *err = NULL;
    hs_u128 v;
    if (!denom || hs_bank_validate_denom(denom) != HS_STATE_OK) {
        hs_fail(c, "oracle", 3, "invalid denom: %s", denom ? denom : "");
        return set_err(c, err);
    }
    if (!dec_parse(price, &v)) {
        hs_fail(c, "oracle", 3, "invalid price: %s (a decimal with at most 18 fractional digits)",
                price ? price : "");
        return set_err(c, err);
    }
    uint8_t k[HS_DENOM_CAP + 32];
    if (hs_tx_begin(c) || store_price(c, denom, v, c->time_ns) ||
        hs_state_delete(c, k, path_key(k, denom)) || hs_tx_end(c, true)) {
        hs_tx_end(c, false);
        return set_err(c, err);
    }
    c->last_gas = 0;
    return 0;
}

static json_t *parse_points(hs_chain *c, json_t *pts) {
    json_t *out = json_array();
    uint64_t last = 0;
    size_t i;
    json_t *p;
    if (!json_array_size(pts)) {
        hs_fail(c, "oracle", 3, "price path: points must be a non-empty array");
        goto fail;
    }
    json_array_foreach(pts, i, p) {
        json_t *t = json_array_get(p, 0), *pr = json_array_get(p, 1);
        hs_u128 v;
        if (!json_is_integer(t) || json_integer_value(t) < 0 || !json_is_string(pr) ||
            !dec_parse(json_string_value(pr), &v)) {
            hs_fail(c, "oracle", 3, "price path: point %zu must be [seconds, \"price\"]", i);
            goto fail;
        }
        uint64_t ts = (uint64_t)json_integer_value(t);
        if (i && ts <= last) {
            hs_fail(c, "oracle", 3, "price path: point %zu: times must increase", i);
            goto fail;
        }
        last = ts;
        char norm[64];
        dec_format(v, norm);
        json_array_append_new(out, json_pack("[I,s]", (json_int_t)ts, norm));
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

static json_t *read_csv(hs_chain *c, const char *file) {
    FILE *f = file ? fopen(file, "r") : NULL;
    if (!f) {
        hs_fail(c, "oracle", 3, "price path: cannot open csv %s", file ? file : "(none)");
        return NULL;
    }
    json_t *pts = json_array();
    char line[512];
    size_t lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *nl = strpbrk(line, "\r\n");
        if (nl) *nl = 0;
        if (!line[0]) continue;
        char *comma = strchr(line, ',');
        char *end = NULL;
        unsigned long long ts = strtoull(line, &end, 10);
        if (!comma || end != comma) {
            if (lineno == 1) continue; /* header */
            hs_fail(c, "oracle", 3, "%s:%zu: expected seconds,price", file, lineno);
            fclose(f);
            json_decref(pts);
            return NULL;
        }
        char *price = comma + 1;
        while (*price == ' ') price++;
        json_array_append_new(pts, json_pack("[I,s]", (json_int_t)ts, price));
    }
    fclose(f);
    json_t *out = parse_points(c, pts);
    json_decref(pts);
    return out;
}

int hs_oracle_set_path(hs_chain *c, const char *denom, const char *path_json, char **err) {
    if (err) *err = NULL;
    if (!denom || hs_bank_validate_denom(denom) != HS_STATE_OK) {
        hs_fail(c, "oracle", 3, "invalid denom: %s", denom ? denom : "");
        return set_err(c, err);
    }
    json_error_t je;
    json_t *in = json_loads(path_json ? path_json : "", 0, &je);
    const char *kind = json_string_value(json_object_get(in, "kind"));
    json_t *path = NULL;
    char ts[24];
    snprintf(ts, sizeof ts, "%llu", (unsigned long long)c->time_ns);
    if (!kind) {
        hs_fail(c, "oracle", 3, "price path: expected {\"kind\":…}%s%s", in ? "" : ": ",
                in ? "" : je.text);
    } else if (!strcmp(kind, "step") || !strcmp(kind, "linear") || !strcmp(kind, "csv")) {
        json_t *pts = !strcmp(kind, "csv")
                          ? read_csv(c, json_string_value(json_object_get(in, "file")))
                          : parse_points(c, json_object_get(in, "points"));
        if (pts)
            path = json_pack("{s:s,s:s,s:o}", "kind", !strcmp(kind, "linear") ? "linear" : "step",
                             "t0", ts, "points", pts);
    } else if (!strcmp(kind, "gbm")) {
        hs_u128 start;
        const char *s = json_string_value(json_object_get(in, "start"));
        const char *d = json_string_value(json_object_get(in, "drift"));
        const char *v = json_string_value(json_object_get(in, "volatility"));
        json_t *seed = json_object_get(in, "seed"), *step = json_object_get(in, "step_seconds");
        char *de = NULL, *ve = NULL;
        double drift = d ? strtod(d, &de) : 0, vol = v ? strtod(v, &ve) : 0;
        if (!s || !dec_parse(s, &start) || start == 0 || !d || *de || !v || *ve || vol < 0 ||
            !json_is_integer(seed) || !json_is_integer(step) || json_integer_value(step) <= 0) {
            hs_fail(c, "oracle", 3,
                    "price path gbm: needs start (decimal > 0), drift, volatility (decimal "
                    "strings), seed and step_seconds > 0 (integers)");
        } else {
            double logp = log((double)(start / ONE) + (double)(start % ONE) / 1e18);
            uint64_t bits;
            memcpy(&bits, &logp, sizeof bits);
            char bs[24], rs[24], ss[24];
            snprintf(bs, sizeof bs, "%llu", (unsigned long long)bits);
            snprintf(rs, sizeof rs, "%llu", (unsigned long long)json_integer_value(seed));
            snprintf(ss, sizeof ss, "%llu", (unsigned long long)json_integer_value(step));
            path =
                json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:s,s:s,s:I,s:s}", "kind", "gbm", "t0", ts,
                          "start", s, "drift", d, "volatility", v, "drift_f", drift, "volatility_f",
                          vol, "seed", rs, "step_seconds", ss, "k", (json_int_t)0, "rng", rs);
            json_object_set_new(path, "logp_bits", json_string(bs));
        }
    } else {
        hs_fail(c, "oracle", 3, "price path: unknown kind %s (step, linear, gbm, csv)", kind);
    }
    json_decref(in);
    if (!path) return set_err(c, err);
    bool changed;
    /* GBM: k = 0 is applied (the start price) by forcing one evaluation. */
    int rc = hs_tx_begin(c);
    if (!rc) {
        json_t *k0 = json_object_get(path, "k");
        if (k0) json_object_del(path, "k");
        rc = apply_path(c, denom, path, &changed);
        if (!json_object_get(path, "k") && k0) json_object_set_new(path, "k", json_integer(0));
    }
    if (!rc) rc = save_path(c, denom, path);
    json_decref(path);
    if (rc || hs_tx_end(c, true)) {
        hs_tx_end(c, false);
        return set_err(c, err);
    }
    c->last_gas = 0;
    return 0;
}

/* Reading prices with every validity check of SPEC.md §4: ages, the max_move figures, the
 * feeders' live median, the chain oracle's price, and the delayed price the engine sees. */
#include "oracle.h"

#define NS_PER_SECOND 1000000000ull

uint64_t or_age_seconds(uint64_t now_ns, uint64_t t_ns) {
    if (t_ns >= now_ns) return 0;
    uint64_t d = now_ns - t_ns;
    return d / NS_PER_SECOND + (d % NS_PER_SECOND != 0);
}

static cw_u128 abs_diff(cw_decimal a, cw_decimal b) {
    return a.atomics > b.atomics ? a.atomics - b.atomics : b.atomics - a.atomics;
}

/* ceil(n / d) for a 256-bit n and d > 0, saturating at 2^128 − 1: binary long division
 * (shifts and subtractions only, no 128-bit division helper). */
static cw_u128 div_ceil_256(cw_u256 n, cw_u128 d) {
    cw_u128 q = 0, r = 0;
    bool overflow = false;
    for (int i = 255; i >= 0; i--) {
        bool carry = (bool)(r >> 127);
        r = (r << 1) | ((n.limb[i / 64] >> (i % 64)) & 1);
        overflow |= (bool)(q >> 127);
        q <<= 1;
        if (carry || r >= d) {
            r -= d;
            q |= 1;
        }
    }
    if (r && !overflow) overflow = ++q == 0;
    return overflow ? CW_U128_MAX : q;
}

cw_decimal or_move_ratio(cw_decimal from, cw_decimal to) {
    return cw_decimal_raw(
        div_ceil_256(cw_u128_full_mul(abs_diff(from, to), CW_DECIMAL_FRACTIONAL), from.atomics));
}

/* ceil(x) ≤ n ⟺ x ≤ n for an integer n, so comparing the rounded-up ratio is exact. */
bool or_within_move(cw_decimal from, cw_decimal to, cw_decimal max_move) {
    return cw_decimal_le(or_move_ratio(from, to), max_move);
}

size_t or_count_fresh(const or_asset *a, const or_config *cfg, uint64_t now) {
    size_t fresh = 0;
    for (size_t i = 0; i < a->n_subs; i++)
        fresh += or_age_seconds(now, a->subs[i].quote.at) <= cfg->max_age;
    return fresh;
}

static cw_error *no_price(cw_str denom, cw_str why) {
    return cw_errorf("no valid price for %S: %S", denom, why);
}

static cw_error *quorum_error(cw_str denom, size_t fresh, const or_config *cfg) {
    return cw_errorf("no valid price for %S: quorum not met (%llu fresh of %llu required)", denom,
                     (unsigned long long)fresh, (unsigned long long)cfg->quorum);
}

static cw_error *stale_error(cw_str denom, uint64_t age, uint64_t max_age) {
    return cw_errorf("no valid price for %S: stale (age %llus > max_age %llus)", denom,
                     (unsigned long long)age, (unsigned long long)max_age);
}

static cw_error *feeders_live(cw_str denom, const or_asset *a, const or_config *cfg, uint64_t now,
                              or_quote *out) {
    if (!a->live.set) {
        size_t fresh = or_count_fresh(a, cfg, now);
        if (fresh < cfg->quorum) return quorum_error(denom, fresh, cfg);
        return no_price(denom, CW_LIT("no price yet"));
    }
    if (a->pending.set)
        return cw_errorf("no valid price for %S: pending move to %S from %S (move %S > max_move "
                         "%S)",
                         denom, or_dec_str(a->pending.price), or_dec_str(a->live.price),
                         or_dec_str(or_move_ratio(a->live.price, a->pending.price)),
                         or_dec_str(cfg->max_move));
    uint64_t age = or_age_seconds(now, a->live.at);
    if (age > cfg->max_age) return stale_error(denom, age, cfg->max_age);
    *out = a->live;
    return NULL;
}

/* A string value's body (no unescaping: base64, prices and times have no escapes). */
static cw_str string_body(cw_json v) {
    if (v.type != CW_JSON_STRING) return (cw_str){0};
    return (cw_str){v.text.ptr + 1, v.text.len - 2};
}

/* Standard base64 (the query answer's Binary) decoded in place, stopping at padding; false on
 * a character outside the alphabet. The decoded JSON is then validated in full. */
static bool base64_decode_in_place(cw_str *s) {
    char *out = (char *)s->ptr;
    uint32_t acc = 0;
    size_t bits = 0, n = 0;
    for (size_t i = 0; i < s->len && s->ptr[i] != '='; i++) {
        char c = s->ptr[i];
        int v = c >= 'A' && c <= 'Z'   ? c - 'A'
                : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52
                : c == '+'             ? 62
                : c == '/'             ? 63
                                       : -1;
        if (v < 0) return false;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (char)(acc >> bits);
        }
    }
    s->len = n;
    return true;
}

/* {"custom":{"oracle":{"price":{"denom":…}}}} → {"price":"9.75","updated_at":"<ns>"}
 * (ARCHITECTURE §4), read from the raw SystemResult {"ok":{"ok":"<base64>"}}; any other
 * result is reported as `query failed: <the result JSON>`. The answer is decoded over the
 * held result; bad base64 or a bad updated_at is `invalid answer`. */
static cw_error *chain_query(cw_str denom, or_quote *out) {
    cw_buf req = {0};
    cw_buf_printf(&req, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":%J}}}}", denom);
    cw_str result = cw_query_chain_raw(cw_buf_view(&req));
    cw_buf_free(&req);
    cw_hold((void *)result.ptr);
    cw_json root;
    CW_TRY(cw_json_parse(result, &root));
    cw_str answer = string_body(cw_json_get(cw_json_get(root, "ok"), "ok"));
    if (!answer.ptr) return cw_errorf("query failed: %S", result);
    if (!base64_decode_in_place(&answer)) return cw_errorf("invalid answer");
    CW_TRY(cw_json_parse(answer, &root));
    CW_TRY(cw_decimal_parse(string_body(cw_json_get(root, "price")), &out->price));
    cw_str t = string_body(cw_json_get(root, "updated_at"));
    uint64_t at = 0;
    bool ok = t.len > 0 && t.len <= 19;
    for (size_t i = 0; ok && i < t.len; i++) {
        ok = t.ptr[i] >= '0' && t.ptr[i] <= '9';
        at = at * 10 + (uint64_t)(t.ptr[i] - '0');
    }
    if (!ok) return cw_errorf("invalid answer");
    out->at = at;
    return NULL;
}

static cw_error *chain_live(cw_str denom, const or_config *cfg, uint64_t now, or_quote *out) {
    cw_error *err = chain_query(denom, out);
    if (err) {
        cw_error *e = cw_errorf("no valid price for %S: chain oracle error: %s", denom, err->msg);
        cw_error_free(err);
        return e;
    }
    if (cw_decimal_is_zero(out->price)) return no_price(denom, CW_LIT("chain price is zero"));
    uint64_t age = or_age_seconds(now, out->at);
    if (age > cfg->max_age) return stale_error(denom, age, cfg->max_age);
    out->set = true;
    return NULL;
}

cw_error *or_live_price(cw_str denom, const or_asset *a, const or_config *cfg, uint64_t now,
                        or_quote *out) {
    if (a->source == OR_SRC_CHAIN) return chain_live(denom, cfg, now, out);
    return feeders_live(denom, a, cfg, now, out);
}

cw_error *or_served_price(cw_str denom, const or_asset *a, const or_config *cfg, uint64_t now,
                          or_quote *out) {
    if (cfg->delay == 0) return or_live_price(denom, a, cfg, now, out);
    if (!a->current.set) return no_price(denom, CW_LIT("no delayed price yet (poke to start)"));
    /* Fresh when queued, up to one delay in `next`, served up to one more delay. */
    cw_u128 limit = (cw_u128)cfg->max_age + 2 * (cw_u128)cfg->delay;
    uint64_t age = or_age_seconds(now, a->current.at);
    if (age > limit)
        return cw_errorf("no valid price for %S: stale (age %llus > max_age %llus + 2 x delay "
                         "%llus)",
                         denom, (unsigned long long)age, (unsigned long long)cfg->max_age,
                         (unsigned long long)cfg->delay);
    *out = a->current;
    return NULL;
}

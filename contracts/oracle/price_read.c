/* Reading prices with every validity check of SPEC.md §4: ages, the max_move figures, the
 * feeders' live median, the chain oracle's price, and the delayed price the engine sees. */
#include "oracle.h"

#include "cw_query.h"

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

static cw_error *chain_live(cw_str denom, const or_config *cfg, uint64_t now, or_quote *out) {
    cw_buf text = {0};
    uint64_t at = 0;
    cw_error *err = cw_query_oracle_price(denom, &text, &at);
    cw_str price_text = or_hold_buf(&text);
    if (!err) err = cw_decimal_parse(price_text, &out->price);
    if (err) {
        cw_error *e = cw_errorf("no valid price for %S: chain oracle error: %s", denom, err->msg);
        cw_error_free(err);
        return e;
    }
    if (cw_decimal_is_zero(out->price)) return no_price(denom, CW_LIT("chain price is zero"));
    uint64_t age = or_age_seconds(now, at);
    if (age > cfg->max_age) return stale_error(denom, age, cfg->max_age);
    out->set = true;
    out->at = at;
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

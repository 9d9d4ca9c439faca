/* Liquity-style product–sum accounting in integers (SPEC.md §3): the running product P with
 * epochs and scale changes, the per-asset sums S, and every depositor's compounded deposit and
 * collateral gains from its snapshot. Every division rounds down, so depositors never get more
 * than the exact share of what the pool holds (the proof is SPEC.md §4). */
#include "pool.h"

/* SCALE^k as a Uint256, k ≤ 3 (10^54 < 2^256). */
static cw_u256 scale_pow(unsigned k) {
    cw_u256 v = cw_u256_one();
    for (unsigned i = 0; i < k; i++) v = cw_u256_mul(v, cw_u256_from_u128(BP_SCALE));
    return v;
}

static cw_u256 u256(cw_u128 v) {
    return cw_u256_from_u128(v);
}

cw_u128 bp_compounded(const bp_state *s, const bp_deposit *d) {
    if (d->amount == 0 || d->epoch != s->epoch || s->scale - d->scale > 2) return 0;
    cw_u256 divisor = cw_u256_mul(u256(d->product), scale_pow((unsigned)(s->scale - d->scale)));
    return cw_u256_to_u128(
        cw_u256_mul_div(u256(d->amount), u256(s->product), divisor, CW_ROUND_FLOOR));
}

static cw_u256 snapshot_of(const bp_deposit *d, uint32_t id) {
    for (uint32_t i = 0; i < d->n; i++)
        if (d->snap[i].asset_id == id) return d->snap[i].sum;
    return cw_u256_zero();
}

cw_error *bp_gain(const bp_deposit *d, uint32_t id, cw_u128 *gain) {
    *gain = 0;
    if (d->amount == 0) return NULL;
    cw_u256 total = cw_u256_zero();
    for (unsigned k = 0; k < 3; k++) {
        cw_u256 sum = bp_sum_load(id, d->epoch, d->scale + k);
        if (k == 0) sum = cw_u256_sub(sum, snapshot_of(d, id));
        if (cw_u256_is_zero(sum)) continue;
        cw_u256 part, divisor = cw_u256_mul(u256(d->product), scale_pow(k));
        if (!cw_u256_try_mul_div(u256(d->amount), sum, divisor, CW_ROUND_FLOOR, &part) ||
            !cw_u256_try_add(total, part, &total))
            return cw_errorf("backstop_pool: gain overflow (asset %u)", (unsigned)id);
    }
    if (!cw_u256_try_to_u128(total, gain))
        return cw_errorf("backstop_pool: gain overflow (asset %u)", (unsigned)id);
    return NULL;
}

void bp_snapshot_take(const bp_state *s, bp_deposit *d) {
    d->product = s->product;
    d->epoch = s->epoch;
    d->scale = s->scale;
    d->n = 0;
    for (uint32_t id = 0; id < s->n_assets; id++) {
        cw_u256 sum = bp_sum_load(id, s->epoch, s->scale);
        if (!cw_u256_is_zero(sum)) d->snap[d->n++] = (bp_snapshot){id, sum};
    }
}

cw_error *bp_absorb_update(bp_state *s, uint32_t id, cw_u128 amount, cw_u128 debt) {
    cw_u128 total = s->total_deposits;
    if (total == 0 || debt > total) cw_abort("backstop_pool: absorb beyond deposits");
    /* Gains first, at the current epoch and scale with the P before this absorption. */
    if (amount) {
        cw_u256 add = cw_u256_mul_div(u256(amount), u256(s->product), u256(total), CW_ROUND_FLOOR);
        cw_u256 sum = bp_sum_load(id, s->epoch, s->scale);
        if (!cw_u256_try_add(sum, add, &sum))
            return cw_errorf("backstop_pool: sum overflow (asset %u, epoch %llu, scale %llu)",
                             (unsigned)id, (unsigned long long)s->epoch,
                             (unsigned long long)s->scale);
        bp_sum_save(id, s->epoch, s->scale, sum);
    }
    if (debt == total) { /* the pool is emptied exactly: every deposit is now 0 */
        s->epoch++;
        s->scale = 0;
        s->product = BP_P_START;
        s->total_deposits = 0;
        return NULL;
    }
    /* P' = floor(P · (T − debt) · SCALE^j / T) with the least j that keeps P' ≥ 10^18
     * (j ≤ 3: P ≥ 10^18 and (T − debt) / T ≥ 1/T > 2^-128). */
    cw_u256 x = cw_u256_mul(u256(s->product), u256(total - debt));
    unsigned j = 0;
    cw_u256 next = cw_u256_div(x, u256(total));
    while (cw_u256_lt(next, u256(BP_P_MIN))) {
        j++;
        next = cw_u256_mul_div(x, scale_pow(j), u256(total), CW_ROUND_FLOOR);
    }
    s->product = cw_u256_to_u128(next);
    s->scale += j;
    s->total_deposits = total - debt;
    return NULL;
}

/* Decimal27 (27 fractional digits on a Uint256, a "ray"): text, conversions, floor/ceil
 * arithmetic, powers with a proven rounding direction, and per-period rates from compounded
 * factors (annual stability fee -> per-second rate). See cw_math.h. */
#include "cw_math.h"
#include "cw_math_int.h"

#define ONE cw_decimal27_fractional()

/* --- Text ----------------------------------------------------------------------------------- */

size_t cw_decimal27_to_str(cw_decimal27 d, char *out) {
    char digits[CW_U256_DEC_MAX];
    size_t n = cw_u256_to_dec(d.atomics, digits);
    size_t len = 0;
    if (n > CW_DECIMAL27_PLACES) {
        for (size_t i = 0; i < n - CW_DECIMAL27_PLACES; i++) out[len++] = digits[i];
    } else {
        out[len++] = '0';
    }
    char frac[CW_DECIMAL27_PLACES];
    for (size_t i = 0; i < CW_DECIMAL27_PLACES; i++) {
        size_t from_right = CW_DECIMAL27_PLACES - i;
        frac[i] = from_right <= n ? digits[n - from_right] : '0';
    }
    size_t frac_len = CW_DECIMAL27_PLACES;
    while (frac_len > 0 && frac[frac_len - 1] == '0') frac_len--;
    if (frac_len > 0) {
        out[len++] = '.';
        for (size_t i = 0; i < frac_len; i++) out[len++] = frac[i];
    }
    out[len] = '\0';
    return len;
}

void cw_decimal27_write(cw_buf *b, cw_decimal27 d) {
    char s[CW_DECIMAL27_STR_MAX];
    cw_buf_put(b, s, cw_decimal27_to_str(d, s));
}

static cw_u256 pow10_u256(unsigned k) {
    cw_u256 r = cw_u256_one();
    const cw_u256 ten = cw_u256_from_u64(10);
    while (k--) r = cw_u256_mul(r, ten);
    return r;
}

/* Same structure and order of checks as cosmwasm's Decimal::from_str. */
static const char *parse_decimal27(cw_str s, cw_decimal27 *out) {
    size_t dot = 0;
    while (dot < s.len && s.ptr[dot] != '.') dot++;
    cw_u256 whole, atomics;
    if (cw_u256_from_dec((cw_str){s.ptr, dot}, &whole) != CW_PARSE_OK) return "Error parsing whole";
    if (!cw_u256_try_mul(whole, ONE, &atomics)) return "Value too big";
    if (dot < s.len) {
        size_t start = dot + 1, end = start;
        while (end < s.len && s.ptr[end] != '.') end++;
        cw_u256 fractional;
        if (cw_u256_from_dec((cw_str){s.ptr + start, end - start}, &fractional) != CW_PARSE_OK)
            return "Error parsing fractional";
        if (end - start > CW_DECIMAL27_PLACES) return "Cannot parse more than 27 fractional digits";
        cw_u256 part =
            cw_u256_mul(fractional, pow10_u256((unsigned)(CW_DECIMAL27_PLACES - (end - start))));
        if (!cw_u256_try_add(atomics, part, &atomics)) return "Value too big";
        if (end < s.len) return "Unexpected number of dots";
    }
    out->atomics = atomics;
    return NULL;
}

cw_error *cw_decimal27_parse(cw_str s, cw_decimal27 *out) {
    const char *reason = parse_decimal27(s, out);
    if (!reason) return NULL;
    return cw_errorf("Error parsing decimal27 '%S': %s", s, reason);
}

/* --- Messages ------------------------------------------------------------------------------- */

static _Noreturn void d27_overflow(const char *op, cw_decimal27 a, cw_decimal27 b) {
    char sa[CW_DECIMAL27_STR_MAX], sb[CW_DECIMAL27_STR_MAX];
    cw_decimal27_to_str(a, sa);
    cw_decimal27_to_str(b, sb);
    cw_math_abort_overflow(op, sa, sb);
}

static _Noreturn void d27_div_zero(cw_decimal27 a) {
    char sa[CW_DECIMAL27_STR_MAX];
    cw_decimal27_to_str(a, sa);
    cw_math_abort_div_zero(sa);
}

static _Noreturn void uint_div_zero(cw_u128 a) {
    char sa[CW_U128_DEC_MAX];
    sa[cw_u128_to_dec(a, sa)] = '\0';
    cw_math_abort_div_zero(sa);
}

static _Noreturn void uint_d27_overflow(const char *op, cw_u128 a, cw_decimal27 b) {
    char sa[CW_U128_DEC_MAX], sb[CW_DECIMAL27_STR_MAX];
    sa[cw_u128_to_dec(a, sa)] = '\0';
    cw_decimal27_to_str(b, sb);
    cw_math_abort_overflow(op, sa, sb);
}

/* --- Conversion ----------------------------------------------------------------------------- */

#define DECIMAL_TO_27 1000000000u /* 10^(27-18) */

cw_decimal27 cw_decimal27_from_decimal(cw_decimal d) {
    return (cw_decimal27){cw_u128_full_mul(d.atomics, DECIMAL_TO_27)};
}

static bool to_decimal(cw_decimal27 d, cw_rounding rounding, cw_decimal *out) {
    cw_u256 q, r;
    if (!cw_u256_try_divrem(d.atomics, cw_u256_from_u64(DECIMAL_TO_27), &q, &r)) return false;
    if (rounding == CW_ROUND_CEIL && !cw_u256_is_zero(r)) {
        if (!cw_u256_try_add(q, cw_u256_one(), &q)) return false;
    }
    return cw_u256_try_to_u128(q, &out->atomics);
}

static cw_decimal to_decimal_or_abort(cw_decimal27 d, cw_rounding rounding) {
    cw_decimal r;
    if (!to_decimal(d, rounding, &r)) {
        char s[CW_DECIMAL27_STR_MAX];
        cw_decimal27_to_str(d, s);
        const char *parts[] = {"Overflow: Cannot convert ", s, " to Decimal"};
        cw_math_abort_parts(parts, 3);
    }
    return r;
}

bool cw_decimal27_try_to_decimal_floor(cw_decimal27 d, cw_decimal *out) {
    return to_decimal(d, CW_ROUND_FLOOR, out);
}

bool cw_decimal27_try_to_decimal_ceil(cw_decimal27 d, cw_decimal *out) {
    return to_decimal(d, CW_ROUND_CEIL, out);
}

cw_decimal cw_decimal27_to_decimal_floor(cw_decimal27 d) {
    return to_decimal_or_abort(d, CW_ROUND_FLOOR);
}

cw_decimal cw_decimal27_to_decimal_ceil(cw_decimal27 d) {
    return to_decimal_or_abort(d, CW_ROUND_CEIL);
}

cw_decimal27 cw_decimal27_from_uint(cw_u128 whole) {
    /* whole < 2^128 and 10^27 < 2^90: the product fits in 256 bits. */
    cw_u128 one = (cw_u128)ONE.limb[0] | ((cw_u128)ONE.limb[1] << 64);
    return (cw_decimal27){cw_u128_full_mul(whole, one)};
}

static cw_decimal27 from_ratio(cw_u128 n, cw_u128 d, cw_rounding rounding) {
    if (d == 0) uint_div_zero(n);
    /* n * 10^27 / d <= n * 10^27 fits in 256 bits, so this cannot overflow. */
    return (cw_decimal27){
        cw_u256_mul_div(cw_u256_from_u128(n), ONE, cw_u256_from_u128(d), rounding)};
}

cw_decimal27 cw_decimal27_from_ratio_floor(cw_u128 numerator, cw_u128 denominator) {
    return from_ratio(numerator, denominator, CW_ROUND_FLOOR);
}

cw_decimal27 cw_decimal27_from_ratio_ceil(cw_u128 numerator, cw_u128 denominator) {
    return from_ratio(numerator, denominator, CW_ROUND_CEIL);
}

/* --- Add, sub ------------------------------------------------------------------------------- */

bool cw_decimal27_try_add(cw_decimal27 a, cw_decimal27 b, cw_decimal27 *out) {
    return cw_u256_try_add(a.atomics, b.atomics, &out->atomics);
}

bool cw_decimal27_try_sub(cw_decimal27 a, cw_decimal27 b, cw_decimal27 *out) {
    return cw_u256_try_sub(a.atomics, b.atomics, &out->atomics);
}

cw_decimal27 cw_decimal27_add(cw_decimal27 a, cw_decimal27 b) {
    cw_decimal27 r;
    if (!cw_decimal27_try_add(a, b, &r)) d27_overflow("Add", a, b);
    return r;
}

cw_decimal27 cw_decimal27_sub(cw_decimal27 a, cw_decimal27 b) {
    cw_decimal27 r;
    if (!cw_decimal27_try_sub(a, b, &r)) d27_overflow("Sub", a, b);
    return r;
}

/* --- Mul, div ------------------------------------------------------------------------------- */

bool cw_decimal27_try_mul(cw_decimal27 a, cw_decimal27 b, cw_rounding rounding, cw_decimal27 *out) {
    return cw_u256_try_mul_div(a.atomics, b.atomics, ONE, rounding, &out->atomics);
}

bool cw_decimal27_try_div(cw_decimal27 a, cw_decimal27 b, cw_rounding rounding, cw_decimal27 *out) {
    return cw_u256_try_mul_div(a.atomics, ONE, b.atomics, rounding, &out->atomics);
}

static cw_decimal27 mul_or_abort(cw_decimal27 a, cw_decimal27 b, cw_rounding rounding) {
    cw_decimal27 r;
    if (!cw_decimal27_try_mul(a, b, rounding, &r)) d27_overflow("Mul", a, b);
    return r;
}

static cw_decimal27 div_or_abort(cw_decimal27 a, cw_decimal27 b, cw_rounding rounding) {
    cw_decimal27 r;
    if (cw_decimal27_is_zero(b)) d27_div_zero(a);
    if (!cw_decimal27_try_div(a, b, rounding, &r)) d27_overflow("Div", a, b);
    return r;
}

cw_decimal27 cw_decimal27_mul_floor(cw_decimal27 a, cw_decimal27 b) {
    return mul_or_abort(a, b, CW_ROUND_FLOOR);
}

cw_decimal27 cw_decimal27_mul_ceil(cw_decimal27 a, cw_decimal27 b) {
    return mul_or_abort(a, b, CW_ROUND_CEIL);
}

cw_decimal27 cw_decimal27_div_floor(cw_decimal27 a, cw_decimal27 b) {
    return div_or_abort(a, b, CW_ROUND_FLOOR);
}

cw_decimal27 cw_decimal27_div_ceil(cw_decimal27 a, cw_decimal27 b) {
    return div_or_abort(a, b, CW_ROUND_CEIL);
}

/* --- With integer amounts ------------------------------------------------------------------- */

bool cw_decimal27_try_mul_uint(cw_u128 amount, cw_decimal27 d, cw_rounding rounding, cw_u128 *out) {
    cw_u256 r;
    if (!cw_u256_try_mul_div(cw_u256_from_u128(amount), d.atomics, ONE, rounding, &r)) return false;
    return cw_u256_try_to_u128(r, out);
}

bool cw_uint_try_div_decimal27(cw_u128 amount, cw_decimal27 d, cw_rounding rounding, cw_u128 *out) {
    cw_u256 r;
    if (!cw_u256_try_mul_div(cw_u256_from_u128(amount), ONE, d.atomics, rounding, &r)) return false;
    return cw_u256_try_to_u128(r, out);
}

static cw_u128 mul_uint_or_abort(cw_u128 amount, cw_decimal27 d, cw_rounding rounding) {
    cw_u128 r;
    if (!cw_decimal27_try_mul_uint(amount, d, rounding, &r)) uint_d27_overflow("Mul", amount, d);
    return r;
}

static cw_u128 div_uint_or_abort(cw_u128 amount, cw_decimal27 d, cw_rounding rounding) {
    cw_u128 r;
    if (cw_decimal27_is_zero(d)) uint_div_zero(amount);
    if (!cw_uint_try_div_decimal27(amount, d, rounding, &r)) uint_d27_overflow("Div", amount, d);
    return r;
}

cw_u128 cw_decimal27_mul_uint_floor(cw_u128 amount, cw_decimal27 d) {
    return mul_uint_or_abort(amount, d, CW_ROUND_FLOOR);
}

cw_u128 cw_decimal27_mul_uint_ceil(cw_u128 amount, cw_decimal27 d) {
    return mul_uint_or_abort(amount, d, CW_ROUND_CEIL);
}

cw_u128 cw_uint_div_decimal27_floor(cw_u128 amount, cw_decimal27 d) {
    return div_uint_or_abort(amount, d, CW_ROUND_FLOOR);
}

cw_u128 cw_uint_div_decimal27_ceil(cw_u128 amount, cw_decimal27 d) {
    return div_uint_or_abort(amount, d, CW_ROUND_CEIL);
}

/* --- Powers --------------------------------------------------------------------------------- */

bool cw_decimal27_try_pow(cw_decimal27 base, uint64_t exponent, cw_rounding rounding,
                          cw_decimal27 *out) {
    if (exponent == 0) {
        *out = cw_decimal27_one();
        return true;
    }
    int top = 63;
    while (!((exponent >> top) & 1u)) top--;
    /* Left to right: result = base^prefix; square, then multiply by the exact base. Each
     * step is monotone in its inputs, so FLOOR stays below and CEIL above the exact power. */
    cw_decimal27 result = base;
    for (int bit = top - 1; bit >= 0; bit--) {
        if (!cw_decimal27_try_mul(result, result, rounding, &result)) return false;
        if ((exponent >> bit) & 1u) {
            if (!cw_decimal27_try_mul(result, base, rounding, &result)) return false;
        }
    }
    *out = result;
    return true;
}

cw_decimal27 cw_decimal27_pow(cw_decimal27 base, uint64_t exponent, cw_rounding rounding) {
    cw_decimal27 r;
    if (!cw_decimal27_try_pow(base, exponent, rounding, &r)) {
        char sb[CW_DECIMAL27_STR_MAX], se[CW_U128_DEC_MAX];
        cw_decimal27_to_str(base, sb);
        se[cw_u64_to_dec(exponent, se)] = '\0';
        cw_math_abort_overflow("Pow", sb, se);
    }
    return r;
}

/* --- Per-period rates ----------------------------------------------------------------------- */

/* r^periods rounded as asked; the range check in the caller keeps every power in range. */
static cw_u256 power(cw_u256 r, uint64_t periods, cw_rounding rounding) {
    return cw_decimal27_pow((cw_decimal27){r}, periods, rounding).atomics;
}

cw_error *cw_decimal27_rate_per_period(cw_decimal27 factor, uint64_t periods, cw_rounding rounding,
                                       cw_decimal27 *out) {
    const cw_u256 one = ONE, f = factor.atomics;
    if (cw_u256_lt(f, one) || cw_u256_lt(cw_u256_mul(one, cw_u256_from_u64(100)), f)) {
        char s[CW_DECIMAL27_STR_MAX];
        cw_decimal27_to_str(factor, s);
        return cw_errorf("rate factor must be between 1 and 100, got %s", s);
    }
    if (periods == 0) return cw_errorf("rate periods must be positive");
    if (periods == 1 || cw_u256_eq(f, one)) {
        *out = factor;
        return NULL;
    }
    const cw_u256 n = cw_u256_from_u64(periods), unit = cw_u256_one();

    /* Start above the root: (1 + x/n)^n >= 1 + x, so r0 = 1 + ceil((F - 1) / n) has
     * r0^n >= F. Newton's method on r^n - F (convex, increasing) then descends towards the
     * root without crossing it (in exact arithmetic); each step is
     *     r -= r * (p - F) / (n * p),   p = r^n,
     * rounded down. Quadratic near the root; for large F the first steps shrink p by ~e. */
    cw_u256 excess = cw_u256_sub(f, one), r;
    r = cw_u256_add(one, cw_u256_mul_div(excess, unit, n, CW_ROUND_CEIL));
    for (int iter = 0; iter < 400; iter++) {
        cw_u256 p = power(r, periods, CW_ROUND_FLOOR);
        if (cw_u256_le(p, f)) break;
        cw_u256 delta = cw_u256_mul_div(r, cw_u256_sub(p, f), p, CW_ROUND_FLOOR);
        delta = cw_u256_div(delta, n);
        if (cw_u256_is_zero(delta)) break;
        r = cw_u256_sub(r, delta);
    }

    /* Exact fix-up. power(., FLOOR) and power(., CEIL) are monotone in r, and bound the exact
     * power from below and above, so these loops find the promised neighbour exactly. */
    if (rounding == CW_ROUND_CEIL) {
        while (cw_u256_lt(power(r, periods, CW_ROUND_FLOOR), f)) r = cw_u256_add(r, unit);
        while (cw_u256_lt(one, r) &&
               cw_u256_le(f, power(cw_u256_sub(r, unit), periods, CW_ROUND_FLOOR)))
            r = cw_u256_sub(r, unit);
    } else {
        while (cw_u256_lt(one, r) && cw_u256_lt(f, power(r, periods, CW_ROUND_CEIL)))
            r = cw_u256_sub(r, unit);
        while (cw_u256_le(power(cw_u256_add(r, unit), periods, CW_ROUND_CEIL), f))
            r = cw_u256_add(r, unit);
    }
    out->atomics = r;
    return NULL;
}

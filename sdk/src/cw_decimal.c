/* Decimal (cosmwasm_std::Decimal, 18 fractional digits): parsing and text form identical to
 * cosmwasm-std, and arithmetic with explicit floor/ceil rounding. See cw_math.h. */
#include "cw_math.h"
#include "cw_math_int.h"

#define ONE CW_DECIMAL_FRACTIONAL

/* --- Text ----------------------------------------------------------------------------------- */

size_t cw_decimal_to_str(cw_decimal d, char *out) {
    char digits[CW_U128_DEC_MAX];
    size_t n = cw_u128_to_dec(d.atomics, digits);
    size_t len = 0;
    /* Whole part: the digits left of the last 18, or "0". */
    if (n > CW_DECIMAL_PLACES) {
        for (size_t i = 0; i < n - CW_DECIMAL_PLACES; i++) out[len++] = digits[i];
    } else {
        out[len++] = '0';
    }
    /* Fractional part: the last 18 digits, left-padded with zeros, trailing zeros trimmed. */
    char frac[CW_DECIMAL_PLACES];
    for (size_t i = 0; i < CW_DECIMAL_PLACES; i++) {
        size_t from_right = CW_DECIMAL_PLACES - i; /* 18 .. 1 */
        frac[i] = from_right <= n ? digits[n - from_right] : '0';
    }
    size_t frac_len = CW_DECIMAL_PLACES;
    while (frac_len > 0 && frac[frac_len - 1] == '0') frac_len--;
    if (frac_len > 0) {
        out[len++] = '.';
        for (size_t i = 0; i < frac_len; i++) out[len++] = frac[i];
    }
    out[len] = '\0';
    return len;
}

void cw_decimal_write(cw_buf *b, cw_decimal d) {
    char s[CW_DECIMAL_STR_MAX];
    cw_buf_put(b, s, cw_decimal_to_str(d, s));
}

/* 10^k for k <= 38 (here k <= 18). */
static cw_u128 pow10_u128(unsigned k) {
    cw_u128 r = 1;
    while (k--) r = (r << 3) + (r << 1);
    return r;
}

/* Decimal::from_str: returns NULL or the reason text. */
static const char *parse_decimal(cw_str s, cw_decimal *out) {
    size_t dot = 0;
    while (dot < s.len && s.ptr[dot] != '.') dot++;
    cw_u128 whole, atomics;
    if (cw_u128_from_dec((cw_str){s.ptr, dot}, &whole) != CW_PARSE_OK) return "Error parsing whole";
    if (!cw_u128_try_mul(whole, ONE, &atomics)) return "Value too big";
    if (dot < s.len) {
        size_t start = dot + 1, end = start;
        while (end < s.len && s.ptr[end] != '.') end++;
        cw_u128 fractional;
        if (cw_u128_from_dec((cw_str){s.ptr + start, end - start}, &fractional) != CW_PARSE_OK)
            return "Error parsing fractional";
        if (end - start > CW_DECIMAL_PLACES) return "Cannot parse more than 18 fractional digits";
        /* fractional < 10^len, so the product stays below 10^18. */
        cw_u128 part = fractional * pow10_u128((unsigned)(CW_DECIMAL_PLACES - (end - start)));
        if (!cw_u128_try_add(atomics, part, &atomics)) return "Value too big";
        if (end < s.len) return "Unexpected number of dots";
    }
    out->atomics = atomics;
    return NULL;
}

cw_error *cw_decimal_parse(cw_str s, cw_decimal *out) {
    const char *reason = parse_decimal(s, out);
    if (!reason) return NULL;
    return cw_errorf("Error parsing decimal '%S': Generic error: %s", s, reason);
}

/* --- Messages ------------------------------------------------------------------------------- */

static _Noreturn void dec_overflow(const char *op, cw_decimal a, cw_decimal b) {
    char sa[CW_DECIMAL_STR_MAX], sb[CW_DECIMAL_STR_MAX];
    cw_decimal_to_str(a, sa);
    cw_decimal_to_str(b, sb);
    cw_math_abort_overflow(op, sa, sb);
}

static _Noreturn void uint_dec_overflow(const char *op, cw_u128 a, cw_decimal b) {
    char sa[CW_U128_DEC_MAX], sb[CW_DECIMAL_STR_MAX];
    sa[cw_u128_to_dec(a, sa)] = '\0';
    cw_decimal_to_str(b, sb);
    cw_math_abort_overflow(op, sa, sb);
}

static _Noreturn void uint_uint_overflow(const char *op, cw_u128 a, cw_u128 b) {
    char sa[CW_U128_DEC_MAX], sb[CW_U128_DEC_MAX];
    sa[cw_u128_to_dec(a, sa)] = '\0';
    sb[cw_u128_to_dec(b, sb)] = '\0';
    cw_math_abort_overflow(op, sa, sb);
}

static _Noreturn void uint_div_zero(cw_u128 a) {
    char sa[CW_U128_DEC_MAX];
    sa[cw_u128_to_dec(a, sa)] = '\0';
    cw_math_abort_div_zero(sa);
}

static _Noreturn void dec_div_zero(cw_decimal a) {
    char sa[CW_DECIMAL_STR_MAX];
    cw_decimal_to_str(a, sa);
    cw_math_abort_div_zero(sa);
}

/* --- Conversion ----------------------------------------------------------------------------- */

bool cw_decimal_try_from_uint(cw_u128 whole, cw_decimal *out) {
    return cw_u128_try_mul(whole, ONE, &out->atomics);
}

cw_decimal cw_decimal_from_uint(cw_u128 whole) {
    cw_decimal d;
    if (!cw_decimal_try_from_uint(whole, &d)) uint_uint_overflow("Mul", whole, ONE);
    return d;
}

cw_u128 cw_decimal_to_uint_floor(cw_decimal d) {
    return d.atomics / ONE;
}

cw_u128 cw_decimal_to_uint_ceil(cw_decimal d) {
    cw_u128 q = d.atomics / ONE;
    return q + (q * ONE != d.atomics);
}

bool cw_decimal_try_from_ratio_floor(cw_u128 n, cw_u128 d, cw_decimal *out) {
    return cw_u128_try_mul_div_floor(n, ONE, d, &out->atomics);
}

bool cw_decimal_try_from_ratio_ceil(cw_u128 n, cw_u128 d, cw_decimal *out) {
    return cw_u128_try_mul_div_ceil(n, ONE, d, &out->atomics);
}

cw_decimal cw_decimal_from_ratio_floor(cw_u128 numerator, cw_u128 denominator) {
    cw_decimal r;
    if (cw_decimal_try_from_ratio_floor(numerator, denominator, &r)) return r;
    if (denominator == 0) uint_div_zero(numerator);
    uint_uint_overflow("FromRatio", numerator, denominator);
}

cw_decimal cw_decimal_from_ratio_ceil(cw_u128 numerator, cw_u128 denominator) {
    cw_decimal r;
    if (cw_decimal_try_from_ratio_ceil(numerator, denominator, &r)) return r;
    if (denominator == 0) uint_div_zero(numerator);
    uint_uint_overflow("FromRatio", numerator, denominator);
}

/* --- Add, sub ------------------------------------------------------------------------------- */

bool cw_decimal_try_add(cw_decimal a, cw_decimal b, cw_decimal *out) {
    return cw_u128_try_add(a.atomics, b.atomics, &out->atomics);
}

bool cw_decimal_try_sub(cw_decimal a, cw_decimal b, cw_decimal *out) {
    return cw_u128_try_sub(a.atomics, b.atomics, &out->atomics);
}

cw_decimal cw_decimal_add(cw_decimal a, cw_decimal b) {
    cw_decimal r;
    if (!cw_decimal_try_add(a, b, &r)) dec_overflow("Add", a, b);
    return r;
}

cw_decimal cw_decimal_sub(cw_decimal a, cw_decimal b) {
    cw_decimal r;
    if (!cw_decimal_try_sub(a, b, &r)) dec_overflow("Sub", a, b);
    return r;
}

/* --- Mul, div ------------------------------------------------------------------------------- */

bool cw_decimal_try_mul_floor(cw_decimal a, cw_decimal b, cw_decimal *out) {
    return cw_u128_try_mul_div_floor(a.atomics, b.atomics, ONE, &out->atomics);
}

bool cw_decimal_try_mul_ceil(cw_decimal a, cw_decimal b, cw_decimal *out) {
    return cw_u128_try_mul_div_ceil(a.atomics, b.atomics, ONE, &out->atomics);
}

bool cw_decimal_try_div_floor(cw_decimal a, cw_decimal b, cw_decimal *out) {
    return cw_u128_try_mul_div_floor(a.atomics, ONE, b.atomics, &out->atomics);
}

bool cw_decimal_try_div_ceil(cw_decimal a, cw_decimal b, cw_decimal *out) {
    return cw_u128_try_mul_div_ceil(a.atomics, ONE, b.atomics, &out->atomics);
}

cw_decimal cw_decimal_mul_floor(cw_decimal a, cw_decimal b) {
    cw_decimal r;
    if (!cw_decimal_try_mul_floor(a, b, &r)) dec_overflow("Mul", a, b);
    return r;
}

cw_decimal cw_decimal_mul_ceil(cw_decimal a, cw_decimal b) {
    cw_decimal r;
    if (!cw_decimal_try_mul_ceil(a, b, &r)) dec_overflow("Mul", a, b);
    return r;
}

cw_decimal cw_decimal_div_floor(cw_decimal a, cw_decimal b) {
    cw_decimal r;
    if (b.atomics == 0) dec_div_zero(a);
    if (!cw_decimal_try_div_floor(a, b, &r)) dec_overflow("Div", a, b);
    return r;
}

cw_decimal cw_decimal_div_ceil(cw_decimal a, cw_decimal b) {
    cw_decimal r;
    if (b.atomics == 0) dec_div_zero(a);
    if (!cw_decimal_try_div_ceil(a, b, &r)) dec_overflow("Div", a, b);
    return r;
}

/* --- With integer amounts ------------------------------------------------------------------- */

bool cw_decimal_try_mul_uint_floor(cw_u128 amount, cw_decimal d, cw_u128 *out) {
    return cw_u128_try_mul_div_floor(amount, d.atomics, ONE, out);
}

bool cw_decimal_try_mul_uint_ceil(cw_u128 amount, cw_decimal d, cw_u128 *out) {
    return cw_u128_try_mul_div_ceil(amount, d.atomics, ONE, out);
}

bool cw_uint_try_div_decimal_floor(cw_u128 amount, cw_decimal d, cw_u128 *out) {
    return cw_u128_try_mul_div_floor(amount, ONE, d.atomics, out);
}

bool cw_uint_try_div_decimal_ceil(cw_u128 amount, cw_decimal d, cw_u128 *out) {
    return cw_u128_try_mul_div_ceil(amount, ONE, d.atomics, out);
}

cw_u128 cw_decimal_mul_uint_floor(cw_u128 amount, cw_decimal d) {
    cw_u128 r;
    if (!cw_decimal_try_mul_uint_floor(amount, d, &r)) uint_dec_overflow("Mul", amount, d);
    return r;
}

cw_u128 cw_decimal_mul_uint_ceil(cw_u128 amount, cw_decimal d) {
    cw_u128 r;
    if (!cw_decimal_try_mul_uint_ceil(amount, d, &r)) uint_dec_overflow("Mul", amount, d);
    return r;
}

cw_u128 cw_uint_div_decimal_floor(cw_u128 amount, cw_decimal d) {
    cw_u128 r;
    if (d.atomics == 0) uint_div_zero(amount);
    if (!cw_uint_try_div_decimal_floor(amount, d, &r)) uint_dec_overflow("Div", amount, d);
    return r;
}

cw_u128 cw_uint_div_decimal_ceil(cw_u128 amount, cw_decimal d) {
    cw_u128 r;
    if (d.atomics == 0) uint_div_zero(amount);
    if (!cw_uint_try_div_decimal_ceil(amount, d, &r)) uint_dec_overflow("Div", amount, d);
    return r;
}

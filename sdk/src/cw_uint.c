/* Uint128 arithmetic: checked (aborting), try_ and saturating operations, a*b/c with a
 * 256-bit intermediate, and parsing with Rust's u128::from_str rules. See cw_math.h. */
#include "cw_math.h"
#include "cw_math_int.h"

/* --- Abort messages (shared by all cw_math files) ------------------------------------------ */

_Noreturn void cw_math_abort_parts(const char *const *parts, size_t n) {
    char msg[512];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        for (const char *p = parts[i]; *p && len < sizeof msg - 1; p++) msg[len++] = *p;
    }
    msg[len] = '\0';
    cw_abort(msg);
}

_Noreturn void cw_math_abort_overflow(const char *op, const char *a, const char *b) {
    const char *parts[] = {"Overflow: Cannot ", op, " with ", a, " and ", b};
    cw_math_abort_parts(parts, sizeof parts / sizeof parts[0]);
}

_Noreturn void cw_math_abort_mul_div(const char *a, const char *b, const char *c) {
    const char *parts[] = {"Overflow: Cannot MulDiv with ", a, ", ", b, " and ", c};
    cw_math_abort_parts(parts, sizeof parts / sizeof parts[0]);
}

_Noreturn void cw_math_abort_div_zero(const char *a) {
    const char *parts[] = {"Divide by zero: Cannot divide ", a, " by zero"};
    cw_math_abort_parts(parts, sizeof parts / sizeof parts[0]);
}

static _Noreturn void u128_overflow(const char *op, cw_u128 a, cw_u128 b) {
    char da[CW_U128_DEC_MAX], db[CW_U128_DEC_MAX];
    da[cw_u128_to_dec(a, da)] = '\0';
    db[cw_u128_to_dec(b, db)] = '\0';
    cw_math_abort_overflow(op, da, db);
}

static _Noreturn void u128_div_zero(cw_u128 a) {
    char da[CW_U128_DEC_MAX];
    da[cw_u128_to_dec(a, da)] = '\0';
    cw_math_abort_div_zero(da);
}

/* --- Try ------------------------------------------------------------------------------------ */

bool cw_u128_try_add(cw_u128 a, cw_u128 b, cw_u128 *out) {
    cw_u128 r = a + b;
    if (r < a) return false;
    *out = r;
    return true;
}

bool cw_u128_try_sub(cw_u128 a, cw_u128 b, cw_u128 *out) {
    if (b > a) return false;
    *out = a - b;
    return true;
}

bool cw_u128_try_mul(cw_u128 a, cw_u128 b, cw_u128 *out) {
    /* The full product in 32-bit digits keeps wasm32 free of 128-bit multiply helpers. */
    cw_u256 p = cw_u128_full_mul(a, b);
    if (!cw_u256_fits_u128(p)) return false;
    *out = (cw_u128)p.limb[0] | ((cw_u128)p.limb[1] << 64);
    return true;
}

bool cw_u128_try_div(cw_u128 a, cw_u128 b, cw_u128 *out) {
    if (b == 0) return false;
    *out = a / b;
    return true;
}

bool cw_u128_try_rem(cw_u128 a, cw_u128 b, cw_u128 *out) {
    if (b == 0) return false;
    *out = a % b;
    return true;
}

bool cw_u128_try_pow(cw_u128 base, uint32_t exp, cw_u128 *out) {
    cw_u128 result = 1;
    /* Left to right: every intermediate divides the final result, so none overflows early. */
    for (int bit = 31; bit >= 0; bit--) {
        if (!cw_u128_try_mul(result, result, &result)) return false;
        if ((exp >> bit) & 1u) {
            if (!cw_u128_try_mul(result, base, &result)) return false;
        }
    }
    *out = result;
    return true;
}

/* --- Checked -------------------------------------------------------------------------------- */

cw_u128 cw_u128_add(cw_u128 a, cw_u128 b) {
    cw_u128 r;
    if (!cw_u128_try_add(a, b, &r)) u128_overflow("Add", a, b);
    return r;
}

cw_u128 cw_u128_sub(cw_u128 a, cw_u128 b) {
    cw_u128 r;
    if (!cw_u128_try_sub(a, b, &r)) u128_overflow("Sub", a, b);
    return r;
}

cw_u128 cw_u128_mul(cw_u128 a, cw_u128 b) {
    cw_u128 r;
    if (!cw_u128_try_mul(a, b, &r)) u128_overflow("Mul", a, b);
    return r;
}

cw_u128 cw_u128_div(cw_u128 a, cw_u128 b) {
    if (b == 0) u128_div_zero(a);
    return a / b;
}

cw_u128 cw_u128_rem(cw_u128 a, cw_u128 b) {
    if (b == 0) u128_div_zero(a);
    return a % b;
}

cw_u128 cw_u128_pow(cw_u128 base, uint32_t exp) {
    cw_u128 r;
    if (!cw_u128_try_pow(base, exp, &r)) u128_overflow("Pow", base, exp);
    return r;
}

/* --- Saturating ----------------------------------------------------------------------------- */

cw_u128 cw_u128_saturating_add(cw_u128 a, cw_u128 b) {
    cw_u128 r;
    return cw_u128_try_add(a, b, &r) ? r : CW_U128_MAX;
}

cw_u128 cw_u128_saturating_sub(cw_u128 a, cw_u128 b) {
    return b > a ? 0 : a - b;
}

cw_u128 cw_u128_saturating_mul(cw_u128 a, cw_u128 b) {
    cw_u128 r;
    return cw_u128_try_mul(a, b, &r) ? r : CW_U128_MAX;
}

/* --- a * b / c ------------------------------------------------------------------------------ */

static bool u128_mul_div(cw_u128 a, cw_u128 b, cw_u128 c, cw_rounding rounding, cw_u128 *out) {
    if (c == 0) return false;
    cw_u256 q, r;
    if (!cw_u256_try_divrem(cw_u128_full_mul(a, b), cw_u256_from_u128(c), &q, &r)) return false;
    if (!cw_u256_fits_u128(q)) return false;
    cw_u128 result = (cw_u128)q.limb[0] | ((cw_u128)q.limb[1] << 64);
    if (rounding == CW_ROUND_CEIL && !cw_u256_is_zero(r)) {
        if (result == CW_U128_MAX) return false;
        result++;
    }
    *out = result;
    return true;
}

static cw_u128 u128_mul_div_or_abort(cw_u128 a, cw_u128 b, cw_u128 c, cw_rounding rounding) {
    cw_u128 r;
    if (u128_mul_div(a, b, c, rounding, &r)) return r;
    char da[CW_U128_DEC_MAX], db[CW_U128_DEC_MAX], dc[CW_U128_DEC_MAX];
    da[cw_u128_to_dec(a, da)] = '\0';
    db[cw_u128_to_dec(b, db)] = '\0';
    if (c == 0) {
        const char *parts[] = {"Divide by zero: Cannot divide ", da, " * ", db, " by zero"};
        cw_math_abort_parts(parts, sizeof parts / sizeof parts[0]);
    }
    dc[cw_u128_to_dec(c, dc)] = '\0';
    cw_math_abort_mul_div(da, db, dc);
}

cw_u128 cw_u128_mul_div_floor(cw_u128 a, cw_u128 b, cw_u128 c) {
    return u128_mul_div_or_abort(a, b, c, CW_ROUND_FLOOR);
}

cw_u128 cw_u128_mul_div_ceil(cw_u128 a, cw_u128 b, cw_u128 c) {
    return u128_mul_div_or_abort(a, b, c, CW_ROUND_CEIL);
}

bool cw_u128_try_mul_div_floor(cw_u128 a, cw_u128 b, cw_u128 c, cw_u128 *out) {
    return u128_mul_div(a, b, c, CW_ROUND_FLOOR, out);
}

bool cw_u128_try_mul_div_ceil(cw_u128 a, cw_u128 b, cw_u128 c, cw_u128 *out) {
    return u128_mul_div(a, b, c, CW_ROUND_CEIL, out);
}

/* --- Parsing -------------------------------------------------------------------------------- */

const char *cw_parse_strerror(cw_parse_status status) {
    switch (status) {
    case CW_PARSE_OK:
        return "";
    case CW_PARSE_EMPTY:
        return "cannot parse integer from empty string";
    case CW_PARSE_INVALID_DIGIT:
        return "invalid digit found in string";
    case CW_PARSE_OVERFLOW:
        return "number too large to fit in target type";
    }
    return "unknown parse error";
}

/* The one decimal parser behind Uint64/Uint128 (and, via cw_decimal.c, Decimal): Rust's
 * from_str loop on two 64-bit limbs, so wasm32 needs no 128-bit multiply helper (__multi3).
 * `narrow` bounds the value to 64 bits. Errors come in Rust's order: a bad digit is reported
 * when reached, an overflow as soon as the digits so far exceed the bound. */
static cw_parse_status parse_dec(cw_str s, bool narrow, uint64_t *hi_out, uint64_t *lo_out) {
    size_t i = 0;
    if (s.len == 0) return CW_PARSE_EMPTY;
    if (s.ptr[0] == '+' && s.len > 1) i = 1; /* Rust: a lone sign is a bad digit */
    uint64_t hi = 0, lo = 0;
    for (; i < s.len; i++) {
        uint64_t d = (uint64_t)(unsigned char)s.ptr[i] - '0';
        if (d > 9) return CW_PARSE_INVALID_DIGIT;
        /* (hi, lo) * 10 + d: lo's product split at 32 bits gives the carry into hi. */
        uint64_t low = (lo & 0xFFFFFFFFu) * 10 + d, mid = (lo >> 32) * 10 + (low >> 32);
        lo = mid << 32 | (low & 0xFFFFFFFFu);
        uint64_t next = hi * 10 + (mid >> 32);
        if (hi > UINT64_MAX / 10 || next < hi * 10 || (narrow && next)) return CW_PARSE_OVERFLOW;
        hi = next;
    }
    *hi_out = hi;
    *lo_out = lo;
    return CW_PARSE_OK;
}

cw_parse_status cw_u128_from_dec(cw_str s, cw_u128 *out) {
    uint64_t hi, lo;
    cw_parse_status st = parse_dec(s, false, &hi, &lo);
    if (st == CW_PARSE_OK) *out = (cw_u128)hi << 64 | lo;
    return st;
}

cw_parse_status cw_u64_from_dec(cw_str s, uint64_t *out) {
    uint64_t hi;
    return parse_dec(s, true, &hi, out);
}

cw_error *cw_u128_parse(cw_str s, cw_u128 *out) {
    cw_parse_status st = cw_u128_from_dec(s, out);
    if (st == CW_PARSE_OK) return NULL;
    return cw_errorf("invalid Uint128 '%S' - %s", s, cw_parse_strerror(st));
}

/* Uint256 arithmetic on four 64-bit limbs, plus the 128x128->256 product and a*b/c with a
 * 512-bit intermediate. Multiplication and division work on 32-bit digits with 64-bit
 * intermediates (schoolbook and Knuth's algorithm D), so wasm32 needs no 128-bit helpers. */
#include "cw_math.h"
#include "cw_math_int.h"

/* --- 32-bit digit helpers ------------------------------------------------------------------- */

static void to_digits(cw_u256 a, uint32_t d[8]) {
    for (int i = 0; i < 4; i++) {
        d[2 * i] = (uint32_t)a.limb[i];
        d[2 * i + 1] = (uint32_t)(a.limb[i] >> 32);
    }
}

static cw_u256 from_digits(const uint32_t d[8]) {
    cw_u256 r;
    for (int i = 0; i < 4; i++) r.limb[i] = (uint64_t)d[2 * i] | ((uint64_t)d[2 * i + 1] << 32);
    return r;
}

/* Number of significant digits (0 for zero). */
static int digits_len(const uint32_t *d, int n) {
    while (n > 0 && d[n - 1] == 0) n--;
    return n;
}

/* out[0..na+nb) = a * b (schoolbook). */
static void mul_digits(uint32_t *out, const uint32_t *a, int na, const uint32_t *b, int nb) {
    for (int i = 0; i < na + nb; i++) out[i] = 0;
    for (int i = 0; i < na; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < nb; j++) {
            uint64_t t = (uint64_t)a[i] * b[j] + out[i + j] + carry;
            out[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        out[i + nb] = (uint32_t)carry;
    }
}

static int clz32(uint32_t x) {
    int n = 0;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

/* Knuth, TAOCP vol. 2, 4.3.1 algorithm D (after Hacker's Delight divmnu). u has m digits,
 * v has n digits with v[n-1] != 0 and m >= n. Writes q[0..m-n] and r[0..n-1]. */
#define DIV_MAX_DIGITS 16
static void divmod_digits(uint32_t *q, uint32_t *r, const uint32_t *u, int m, const uint32_t *v,
                          int n) {
    if (n == 1) {
        uint64_t k = 0;
        for (int j = m - 1; j >= 0; j--) {
            uint64_t t = (k << 32) | u[j];
            q[j] = (uint32_t)(t / v[0]);
            k = t - (uint64_t)q[j] * v[0];
        }
        r[0] = (uint32_t)k;
        return;
    }
    uint32_t un[DIV_MAX_DIGITS + 1], vn[DIV_MAX_DIGITS];
    int s = clz32(v[n - 1]);
    /* Normalise so the divisor's top bit is set; (uint64_t)x >> 32 is 0, so s == 0 works. */
    for (int i = n - 1; i > 0; i--)
        vn[i] = (uint32_t)(((uint64_t)v[i] << s) | ((uint64_t)v[i - 1] >> (32 - s)));
    vn[0] = (uint32_t)((uint64_t)v[0] << s);
    un[m] = (uint32_t)((uint64_t)u[m - 1] >> (32 - s));
    for (int i = m - 1; i > 0; i--)
        un[i] = (uint32_t)(((uint64_t)u[i] << s) | ((uint64_t)u[i - 1] >> (32 - s)));
    un[0] = (uint32_t)((uint64_t)u[0] << s);

    const uint64_t base = (uint64_t)1 << 32;
    for (int j = m - n; j >= 0; j--) {
        uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
        uint64_t qhat = num / vn[n - 1];
        uint64_t rhat = num - qhat * vn[n - 1];
        while (qhat >= base || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
            qhat--;
            rhat += vn[n - 1];
            if (rhat >= base) break;
        }
        /* Multiply and subtract qhat * vn from un[j..j+n]. */
        uint64_t borrow = 0, carry = 0;
        for (int i = 0; i < n; i++) {
            uint64_t p = qhat * vn[i] + carry;
            carry = p >> 32;
            uint64_t sub = (uint64_t)un[i + j] - (uint32_t)p - borrow;
            un[i + j] = (uint32_t)sub;
            borrow = (sub >> 32) ? 1 : 0;
        }
        uint64_t top = (uint64_t)un[j + n] - carry - borrow;
        un[j + n] = (uint32_t)top;
        if (top >> 32) {
            /* qhat was one too large (rare): add the divisor back. */
            qhat--;
            uint64_t c = 0;
            for (int i = 0; i < n; i++) {
                uint64_t t = (uint64_t)un[i + j] + vn[i] + c;
                un[i + j] = (uint32_t)t;
                c = t >> 32;
            }
            un[j + n] = (uint32_t)((uint64_t)un[j + n] + c);
        }
        q[j] = (uint32_t)qhat;
    }
    for (int i = 0; i < n - 1; i++)
        r[i] = (uint32_t)(((uint64_t)un[i] >> s) | ((uint64_t)un[i + 1] << (32 - s)));
    r[n - 1] = (uint32_t)((uint64_t)un[n - 1] >> s);
}

/* Divide a digit number by a digit number of at most 8 digits. u has m <= 16 digits and q
 * room for m digits, r for 8; both are zero-filled past the significant part. */
static bool divmod_any(uint32_t *q, uint32_t r[8], const uint32_t *u, int m, const uint32_t d[8]) {
    int n = digits_len(d, 8);
    if (n == 0) return false;
    for (int i = 0; i < m; i++) q[i] = 0;
    for (int i = 0; i < 8; i++) r[i] = 0;
    int mu = digits_len(u, m);
    if (mu < n) {
        for (int i = 0; i < mu; i++) r[i] = u[i];
        return true;
    }
    divmod_digits(q, r, u, mu, d, n);
    return true;
}

/* --- Messages ------------------------------------------------------------------------------- */

static _Noreturn void u256_overflow(const char *op, cw_u256 a, cw_u256 b) {
    char da[CW_U256_DEC_MAX], db[CW_U256_DEC_MAX];
    cw_u256_to_dec(a, da);
    cw_u256_to_dec(b, db);
    cw_math_abort_overflow(op, da, db);
}

static _Noreturn void u256_div_zero(cw_u256 a) {
    char da[CW_U256_DEC_MAX];
    cw_u256_to_dec(a, da);
    cw_math_abort_div_zero(da);
}

/* --- Comparison and conversion -------------------------------------------------------------- */

int cw_u256_cmp(cw_u256 a, cw_u256 b) {
    for (int i = 3; i >= 0; i--) {
        if (a.limb[i] != b.limb[i]) return a.limb[i] < b.limb[i] ? -1 : 1;
    }
    return 0;
}

bool cw_u256_try_to_u128(cw_u256 a, cw_u128 *out) {
    if (!cw_u256_fits_u128(a)) return false;
    *out = (cw_u128)a.limb[0] | ((cw_u128)a.limb[1] << 64);
    return true;
}

cw_u128 cw_u256_to_u128(cw_u256 a) {
    cw_u128 r;
    if (!cw_u256_try_to_u128(a, &r)) {
        char da[CW_U256_DEC_MAX];
        cw_u256_to_dec(a, da);
        const char *parts[] = {"Overflow: Cannot convert ", da, " to Uint128"};
        cw_math_abort_parts(parts, 3);
    }
    return r;
}

/* --- Add, sub ------------------------------------------------------------------------------- */

bool cw_u256_try_add(cw_u256 a, cw_u256 b, cw_u256 *out) {
    cw_u256 r;
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t s = a.limb[i] + carry;
        uint64_t c1 = s < carry;
        r.limb[i] = s + b.limb[i];
        carry = c1 | (r.limb[i] < s);
    }
    if (carry) return false;
    *out = r;
    return true;
}

bool cw_u256_try_sub(cw_u256 a, cw_u256 b, cw_u256 *out) {
    cw_u256 r;
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t d = a.limb[i] - b.limb[i];
        uint64_t b1 = a.limb[i] < b.limb[i];
        r.limb[i] = d - borrow;
        borrow = b1 | (d < borrow);
    }
    if (borrow) return false;
    *out = r;
    return true;
}

cw_u256 cw_u256_add(cw_u256 a, cw_u256 b) {
    cw_u256 r;
    if (!cw_u256_try_add(a, b, &r)) u256_overflow("Add", a, b);
    return r;
}

cw_u256 cw_u256_sub(cw_u256 a, cw_u256 b) {
    cw_u256 r;
    if (!cw_u256_try_sub(a, b, &r)) u256_overflow("Sub", a, b);
    return r;
}

cw_u256 cw_u256_saturating_add(cw_u256 a, cw_u256 b) {
    cw_u256 r;
    return cw_u256_try_add(a, b, &r) ? r : cw_u256_max();
}

cw_u256 cw_u256_saturating_sub(cw_u256 a, cw_u256 b) {
    cw_u256 r;
    return cw_u256_try_sub(a, b, &r) ? r : cw_u256_zero();
}

/* --- Mul ------------------------------------------------------------------------------------ */

cw_u256 cw_u128_full_mul(cw_u128 a, cw_u128 b) {
    uint64_t alo = (uint64_t)a, ahi = (uint64_t)(a >> 64);
    uint64_t blo = (uint64_t)b, bhi = (uint64_t)(b >> 64);
    uint32_t da[4] = {(uint32_t)alo, (uint32_t)(alo >> 32), (uint32_t)ahi, (uint32_t)(ahi >> 32)};
    uint32_t db[4] = {(uint32_t)blo, (uint32_t)(blo >> 32), (uint32_t)bhi, (uint32_t)(bhi >> 32)};
    uint32_t p[8];
    mul_digits(p, da, digits_len(da, 4), db, digits_len(db, 4));
    int used = digits_len(da, 4) + digits_len(db, 4);
    for (int i = used; i < 8; i++) p[i] = 0;
    return from_digits(p);
}

/* The full 512-bit product as 16 digits. */
static void full_mul_256(cw_u256 a, cw_u256 b, uint32_t p[16]) {
    uint32_t da[8], db[8];
    to_digits(a, da);
    to_digits(b, db);
    int na = digits_len(da, 8), nb = digits_len(db, 8);
    mul_digits(p, da, na, db, nb);
    for (int i = na + nb; i < 16; i++) p[i] = 0;
}

bool cw_u256_try_mul(cw_u256 a, cw_u256 b, cw_u256 *out) {
    uint32_t p[16];
    full_mul_256(a, b, p);
    if (digits_len(p, 16) > 8) return false;
    *out = from_digits(p);
    return true;
}

cw_u256 cw_u256_mul(cw_u256 a, cw_u256 b) {
    cw_u256 r;
    if (!cw_u256_try_mul(a, b, &r)) u256_overflow("Mul", a, b);
    return r;
}

/* --- Div, rem ------------------------------------------------------------------------------- */

bool cw_u256_try_divrem(cw_u256 a, cw_u256 b, cw_u256 *quot, cw_u256 *rem) {
    uint32_t da[8], db[8], q[8], r[8];
    to_digits(a, da);
    to_digits(b, db);
    if (!divmod_any(q, r, da, 8, db)) return false;
    if (quot) *quot = from_digits(q);
    if (rem) *rem = from_digits(r);
    return true;
}

bool cw_u256_try_div(cw_u256 a, cw_u256 b, cw_u256 *out) {
    return cw_u256_try_divrem(a, b, out, NULL);
}

bool cw_u256_try_rem(cw_u256 a, cw_u256 b, cw_u256 *out) {
    return cw_u256_try_divrem(a, b, NULL, out);
}

cw_u256 cw_u256_div(cw_u256 a, cw_u256 b) {
    cw_u256 r;
    if (!cw_u256_try_divrem(a, b, &r, NULL)) u256_div_zero(a);
    return r;
}

cw_u256 cw_u256_rem(cw_u256 a, cw_u256 b) {
    cw_u256 r;
    if (!cw_u256_try_divrem(a, b, NULL, &r)) u256_div_zero(a);
    return r;
}

/* --- a * b / c ------------------------------------------------------------------------------ */

bool cw_u256_try_mul_div(cw_u256 a, cw_u256 b, cw_u256 c, cw_rounding rounding, cw_u256 *out) {
    uint32_t p[16], dc[8], q[16], r[8];
    full_mul_256(a, b, p);
    to_digits(c, dc);
    if (!divmod_any(q, r, p, 16, dc)) return false;
    if (digits_len(q, 16) > 8) return false;
    cw_u256 result = from_digits(q);
    if (rounding == CW_ROUND_CEIL && digits_len(r, 8) != 0) {
        if (!cw_u256_try_add(result, cw_u256_one(), &result)) return false;
    }
    *out = result;
    return true;
}

cw_u256 cw_u256_mul_div(cw_u256 a, cw_u256 b, cw_u256 c, cw_rounding rounding) {
    cw_u256 r;
    if (cw_u256_try_mul_div(a, b, c, rounding, &r)) return r;
    char da[CW_U256_DEC_MAX], db[CW_U256_DEC_MAX], dc[CW_U256_DEC_MAX];
    cw_u256_to_dec(a, da);
    cw_u256_to_dec(b, db);
    if (cw_u256_is_zero(c)) {
        const char *parts[] = {"Divide by zero: Cannot divide ", da, " * ", db, " by zero"};
        cw_math_abort_parts(parts, sizeof parts / sizeof parts[0]);
    }
    cw_u256_to_dec(c, dc);
    cw_math_abort_mul_div(da, db, dc);
}

/* --- Shifts --------------------------------------------------------------------------------- */

static cw_u256 shl_unchecked(cw_u256 a, unsigned n) {
    cw_u256 r = cw_u256_zero();
    unsigned limbs = n / 64, bits = n % 64;
    for (int i = 3; i >= (int)limbs; i--) {
        uint64_t v = a.limb[i - limbs] << bits;
        if (bits && i - (int)limbs - 1 >= 0) v |= a.limb[i - limbs - 1] >> (64 - bits);
        r.limb[i] = v;
    }
    return r;
}

static cw_u256 shr_unchecked(cw_u256 a, unsigned n) {
    cw_u256 r = cw_u256_zero();
    unsigned limbs = n / 64, bits = n % 64;
    for (unsigned i = 0; i + limbs < 4; i++) {
        uint64_t v = a.limb[i + limbs] >> bits;
        if (bits && i + limbs + 1 < 4) v |= a.limb[i + limbs + 1] << (64 - bits);
        r.limb[i] = v;
    }
    return r;
}

cw_u256 cw_u256_shl(cw_u256 a, unsigned n) {
    if (n >= 256) u256_overflow("Shl", a, cw_u256_from_u64(n));
    return shl_unchecked(a, n);
}

cw_u256 cw_u256_shr(cw_u256 a, unsigned n) {
    if (n >= 256) u256_overflow("Shr", a, cw_u256_from_u64(n));
    return shr_unchecked(a, n);
}

/* --- Decimal text --------------------------------------------------------------------------- */

cw_parse_status cw_u256_from_dec(cw_str s, cw_u256 *out) {
    size_t i = 0;
    if (s.len == 0) return CW_PARSE_EMPTY;
    if (s.ptr[0] == '+') {
        if (s.len == 1) return CW_PARSE_INVALID_DIGIT;
        i = 1;
    }
    uint32_t d[8] = {0};
    for (; i < s.len; i++) {
        unsigned digit = (unsigned)(unsigned char)s.ptr[i] - '0';
        if (digit > 9) return CW_PARSE_INVALID_DIGIT;
        uint64_t carry = digit;
        for (int k = 0; k < 8; k++) {
            uint64_t t = (uint64_t)d[k] * 10 + carry;
            d[k] = (uint32_t)t;
            carry = t >> 32;
        }
        if (carry) return CW_PARSE_OVERFLOW;
    }
    *out = from_digits(d);
    return CW_PARSE_OK;
}

cw_error *cw_u256_parse(cw_str s, cw_u256 *out) {
    cw_parse_status st = cw_u256_from_dec(s, out);
    if (st == CW_PARSE_OK) return NULL;
    return cw_errorf("invalid Uint256 '%S' - %s", s, cw_parse_strerror(st));
}

size_t cw_u256_to_dec(cw_u256 v, char *out) {
    uint32_t d[8];
    char tmp[CW_U256_DEC_MAX];
    size_t n = 0;
    to_digits(v, d);
    int len = digits_len(d, 8);
    /* Peel off nine decimal digits at a time (10^9 < 2^32). */
    while (len > 0) {
        uint64_t k = 0;
        for (int j = len - 1; j >= 0; j--) {
            uint64_t t = (k << 32) | d[j];
            d[j] = (uint32_t)(t / 1000000000u);
            k = t - (uint64_t)d[j] * 1000000000u;
        }
        len = digits_len(d, len);
        uint32_t chunk = (uint32_t)k;
        for (int i = 0; i < 9 && (len > 0 || chunk != 0); i++) {
            tmp[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    if (n == 0) tmp[n++] = '0';
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

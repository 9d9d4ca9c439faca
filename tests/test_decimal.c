/* Tests for Decimal and Decimal27 (sdk/src/cw_decimal.c, cw_decimal27.c): cosmwasm-std's
 * parsing and Display byte for byte, every operation against GMP with floor/ceil checked
 * separately, exact abort texts, powers against exact rational bounds, and the CDP
 * requirement: 5 %/yr compounded per second matches 1.05 within 1e-12 over a year. */
#include <criterion/criterion.h>
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_math.h"
#include "cw_mock.h"

#define RANDOM_ROUNDS 40000
#define ONE18 CW_DECIMAL_FRACTIONAL

static cw_str S(const char *s) {
    return (cw_str){s, strlen(s)};
}

/* --- Seeded randomness ---------------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static cw_u128 pow10_128(int k) {
    cw_u128 r = 1;
    while (k-- > 0) r *= 10;
    return r;
}

/* Amounts and atomics: full range, random bit length, powers of ten and their neighbours,
 * and "realistic" values (prices/ratios between 1e-9 and 1e9, token amounts up to 1e30). */
static cw_u128 rnd_u128(void) {
    cw_u128 full = ((cw_u128)rnd() << 64) | rnd();
    switch (rnd() % 7) {
    case 0:
        return full;
    case 1: {
        unsigned bits = (unsigned)(rnd() % 129);
        return bits == 0 ? 0 : full >> (128 - bits);
    }
    case 2:
        return pow10_128((int)(rnd() % 39)) + (rnd() % 3) - 1;
    case 3:
        return (cw_u128[]){0,
                           1,
                           2,
                           CW_U128_MAX,
                           CW_U128_MAX - 1,
                           (cw_u128)1 << 127,
                           (cw_u128)UINT64_MAX,
                           (cw_u128)UINT64_MAX + 1}[rnd() % 8];
    case 4:
        return full % pow10_128(9 + (int)(rnd() % 19)); /* 1e-9 .. 1e9 as Decimal */
    case 5:
        return full % pow10_128(1 + (int)(rnd() % 30));
    default:
        return (cw_u128)(rnd() >> (rnd() % 64));
    }
}

/* --- GMP helpers ---------------------------------------------------------------------------- */

static void z_u128(mpz_t z, cw_u128 v) {
    uint64_t limbs[2] = {(uint64_t)v, (uint64_t)(v >> 64)};
    mpz_import(z, 2, -1, sizeof(uint64_t), 0, 0, limbs);
}

static void z_u256(mpz_t z, cw_u256 v) {
    mpz_import(z, 4, -1, sizeof(uint64_t), 0, 0, v.limb);
}

static bool z_fits_bits(const mpz_t z, unsigned bits) {
    return mpz_sgn(z) >= 0 && mpz_sizeinbase(z, 2) <= bits;
}

static cw_u128 u128_of_z(const mpz_t z) {
    uint64_t limbs[2] = {0, 0};
    cr_assert(z_fits_bits(z, 128));
    mpz_export(limbs, NULL, -1, sizeof(uint64_t), 0, 0, z);
    return (cw_u128)limbs[0] | ((cw_u128)limbs[1] << 64);
}

static cw_u256 u256_of_z(const mpz_t z) {
    cw_u256 r = cw_u256_zero();
    cr_assert(z_fits_bits(z, 256));
    mpz_export(r.limb, NULL, -1, sizeof(uint64_t), 0, 0, z);
    return r;
}

/* Reference text form: digits of atomics with the point `places` from the right, trailing
 * fractional zeros and a bare point removed (cosmwasm's Display). */
static void ref_format(const mpz_t atomics, int places, char *out) {
    char digits[200];
    mpz_get_str(digits, 10, atomics);
    int n = (int)strlen(digits), o = 0;
    if (n <= places) {
        out[o++] = '0';
    } else {
        memcpy(out, digits, (size_t)(n - places));
        o = n - places;
    }
    char frac[100];
    for (int i = 0; i < places; i++) {
        int from_right = places - i;
        frac[i] = from_right <= n ? digits[n - from_right] : '0';
    }
    int fl = places;
    while (fl > 0 && frac[fl - 1] == '0') fl--;
    if (fl) {
        out[o++] = '.';
        memcpy(out + o, frac, (size_t)fl);
        o += fl;
    }
    out[o] = '\0';
}

static const char *dstr(cw_decimal d, char buf[CW_DECIMAL_STR_MAX]) {
    cw_decimal_to_str(d, buf);
    return buf;
}

static void check_u128_result(const char *what, bool ok, cw_u128 got, const mpz_t want) {
    bool fits = z_fits_bits(want, 128);
    cr_assert_eq(ok, fits, "%s: ok=%d, expected %d", what, ok, fits);
    if (fits) cr_assert(got == u128_of_z(want), "%s: wrong value", what);
}

static void check_u256_result(const char *what, bool ok, cw_u256 got, const mpz_t want) {
    bool fits = z_fits_bits(want, 256);
    cr_assert_eq(ok, fits, "%s: ok=%d, expected %d", what, ok, fits);
    if (fits) cr_assert(cw_u256_eq(got, u256_of_z(want)), "%s: wrong value", what);
}

/* floor and ceil of num/den (den > 0) into f and c. */
static void z_floor_ceil(mpz_t f, mpz_t c, const mpz_t num, const mpz_t den) {
    mpz_cdiv_q(c, num, den);
    mpz_fdiv_q(f, num, den);
}

/* ===========================================================================================
 * Decimal
 * =========================================================================================== */

static void expect_parse(const char *text, cw_u128 atomics) {
    cw_decimal d = {777};
    cw_error *e = cw_decimal_parse(S(text), &d);
    cr_assert_null(e, "'%s' rejected: %s", text, e ? e->msg : "");
    char buf[CW_DECIMAL_STR_MAX];
    cr_assert(d.atomics == atomics, "'%s' parsed as %s", text, dstr(d, buf));
}

static void expect_reject(const char *text, const char *reason) {
    cw_decimal d = {777};
    cw_error *e = cw_decimal_parse(S(text), &d);
    cr_assert_not_null(e, "'%s' accepted", text);
    char want[300];
    snprintf(want, sizeof want, "Error parsing decimal '%s': Generic error: %s", text, reason);
    cr_assert_str_eq(e->msg, want);
    cr_assert(d.atomics == 777, "output written on error");
    cw_error_free(e);
}

Test(decimal, parse_accepts_like_cosmwasm) {
    expect_parse("0", 0);
    expect_parse("1", ONE18);
    expect_parse("10", 10 * ONE18);
    expect_parse("1.5", ONE18 + ONE18 / 2);
    expect_parse("000012", 12 * ONE18);
    expect_parse("1.123000000", 1123000000000000000ull);
    expect_parse("0.000000000000000001", 1);
    expect_parse("0.000000000000000000", 0);
    expect_parse("0.1", ONE18 / 10);
    expect_parse("123.456", 123456 * (ONE18 / 1000));
    expect_parse("340282366920938463463.374607431768211455", CW_U128_MAX);
    expect_parse("00340282366920938463463.374607431768211455", CW_U128_MAX);
    /* Each part is parsed as a Rust u128, which takes a leading '+'; the '+' counts as a
     * fractional digit's position, so "+1.+5" is 1.05, exactly as in cosmwasm-std. */
    expect_parse("+1.+5", ONE18 + 5 * (ONE18 / 100));
    expect_parse("+1", ONE18);
}

Test(decimal, parse_rejects_like_cosmwasm) {
    expect_reject("", "Error parsing whole");
    expect_reject(".5", "Error parsing whole");
    expect_reject("-1", "Error parsing whole");
    expect_reject(" 1", "Error parsing whole");
    expect_reject("1 ", "Error parsing whole");
    expect_reject("1e5", "Error parsing whole");
    expect_reject("abc", "Error parsing whole");
    expect_reject("+", "Error parsing whole");
    expect_reject("1.", "Error parsing fractional");
    expect_reject("1..2", "Error parsing fractional");
    expect_reject("1.a", "Error parsing fractional");
    expect_reject("1.-5", "Error parsing fractional");
    expect_reject("1.5 ", "Error parsing fractional");
    expect_reject("1.9999999999999999999999999999999999999999", "Error parsing fractional");
    expect_reject("0.0000000000000000001", "Cannot parse more than 18 fractional digits");
    expect_reject("0.0000000000000000000", "Cannot parse more than 18 fractional digits");
    expect_reject("1.1234567890123456789", "Cannot parse more than 18 fractional digits");
    expect_reject("340282366920938463464", "Value too big");
    expect_reject("340282366920938463463.374607431768211456", "Value too big");
    expect_reject("99999999999999999999999999999999999999", "Value too big");
    expect_reject("1.2.3", "Unexpected number of dots");
    expect_reject("1.2.", "Unexpected number of dots");
    expect_reject("0.5.x", "Unexpected number of dots");
    /* whole checked before dots, fractional before digit count */
    expect_reject("x.1.2", "Error parsing whole");
    expect_reject("1.x.2", "Error parsing fractional");
}

Test(decimal, display_like_cosmwasm) {
    struct {
        cw_u128 atomics;
        const char *text;
    } cases[] = {{0, "0"},
                 {1, "0.000000000000000001"},
                 {ONE18, "1"},
                 {ONE18 / 2 * 3, "1.5"},
                 {ONE18 / 10, "0.1"},
                 {105 * (ONE18 / 100), "1.05"},
                 {100 * ONE18, "100"},
                 {101 * (ONE18 / 10), "10.1"},
                 {123456789, "0.000000000123456789"},
                 {ONE18 + 1, "1.000000000000000001"},
                 {CW_U128_MAX, "340282366920938463463.374607431768211455"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[CW_DECIMAL_STR_MAX];
        size_t n = cw_decimal_to_str(cw_decimal_raw(cases[i].atomics), buf);
        cr_assert_str_eq(buf, cases[i].text);
        cr_assert_eq(n, strlen(cases[i].text));
        cw_buf b = {0};
        cw_buf_puts(&b, "x=");
        cw_decimal_write(&b, cw_decimal_raw(cases[i].atomics));
        cr_assert_eq(b.len, 2 + n);
        cr_assert_eq(memcmp(b.ptr + 2, buf, n), 0);
        cw_buf_free(&b);
    }
    cr_assert_eq(cw_decimal_percent(5).atomics, 5 * (ONE18 / 100));
    cr_assert_eq(cw_decimal_permille(125).atomics, ONE18 / 8);
}

Test(decimal, text_roundtrip_matches_reference) {
    rng_state = 11;
    mpz_t z;
    mpz_init(z);
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_decimal d = cw_decimal_raw(rnd_u128());
        char buf[CW_DECIMAL_STR_MAX], ref[100];
        size_t n = cw_decimal_to_str(d, buf);
        z_u128(z, d.atomics);
        ref_format(z, 18, ref);
        cr_assert_str_eq(buf, ref);
        cw_decimal back = {0};
        cw_error *e = cw_decimal_parse((cw_str){buf, n}, &back);
        cr_assert_null(e);
        cr_assert(back.atomics == d.atomics);
        /* A padded form with all 18 fractional digits parses to the same value. */
        char padded[80], w[48], f[48];
        size_t wl = cw_u128_to_dec(d.atomics / ONE18, w);
        size_t fl = cw_u128_to_dec(d.atomics % ONE18, f);
        memcpy(padded, w, wl);
        padded[wl] = '.';
        memset(padded + wl + 1, '0', 18 - fl);
        memcpy(padded + wl + 1 + 18 - fl, f, fl);
        padded[wl + 19] = '\0';
        back.atomics = 0;
        e = cw_decimal_parse(S(padded), &back);
        cr_assert_null(e, "%s", padded);
        cr_assert(back.atomics == d.atomics, "%s", padded);
    }
    mpz_clear(z);
}

Test(decimal, arithmetic_matches_gmp) {
    rng_state = 12;
    mpz_t za, zb, zone, w, f, c;
    mpz_inits(za, zb, zone, w, f, c, NULL);
    z_u128(zone, ONE18);
    int inexact_seen = 0;
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_decimal a = cw_decimal_raw(rnd_u128()), b = cw_decimal_raw(rnd_u128());
        cw_decimal r1 = {0}, r2 = {0};
        cw_u128 u1 = 0, u2 = 0;
        z_u128(za, a.atomics);
        z_u128(zb, b.atomics);

        mpz_add(w, za, zb);
        bool ok = cw_decimal_try_add(a, b, &r1);
        check_u128_result("add", ok, r1.atomics, w);
        if (ok) cr_assert(cw_decimal_add(a, b).atomics == r1.atomics);
        mpz_sub(w, za, zb);
        ok = cw_decimal_try_sub(a, b, &r1);
        check_u128_result("sub", ok, r1.atomics, w);
        if (ok) cr_assert(cw_decimal_sub(a, b).atomics == r1.atomics);

        /* a * b = atomics_a * atomics_b / 10^18 */
        mpz_mul(w, za, zb);
        z_floor_ceil(f, c, w, zone);
        bool okf = cw_decimal_try_mul_floor(a, b, &r1), okc = cw_decimal_try_mul_ceil(a, b, &r2);
        check_u128_result("mul_floor", okf, r1.atomics, f);
        check_u128_result("mul_ceil", okc, r2.atomics, c);
        if (okf) cr_assert(cw_decimal_mul_floor(a, b).atomics == r1.atomics);
        if (okc) cr_assert(cw_decimal_mul_ceil(a, b).atomics == r2.atomics);
        if (okf && okc) {
            cr_assert(r2.atomics - r1.atomics == (mpz_cmp(f, c) != 0));
            inexact_seen += mpz_cmp(f, c) != 0;
        }

        /* amount * d as an integer: the same formula */
        okf = cw_decimal_try_mul_uint_floor(a.atomics, b, &u1);
        okc = cw_decimal_try_mul_uint_ceil(a.atomics, b, &u2);
        check_u128_result("mul_uint_floor", okf, u1, f);
        check_u128_result("mul_uint_ceil", okc, u2, c);
        if (okf) cr_assert(cw_decimal_mul_uint_floor(a.atomics, b) == u1);
        if (okc) cr_assert(cw_decimal_mul_uint_ceil(a.atomics, b) == u2);

        /* a / b = atomics_a * 10^18 / atomics_b; amount / d and from_ratio likewise */
        okf = cw_decimal_try_div_floor(a, b, &r1);
        okc = cw_decimal_try_div_ceil(a, b, &r2);
        bool okuf = cw_uint_try_div_decimal_floor(a.atomics, b, &u1);
        bool okuc = cw_uint_try_div_decimal_ceil(a.atomics, b, &u2);
        cw_decimal q1 = {0}, q2 = {0};
        bool okrf = cw_decimal_try_from_ratio_floor(a.atomics, b.atomics, &q1);
        bool okrc = cw_decimal_try_from_ratio_ceil(a.atomics, b.atomics, &q2);
        if (b.atomics == 0) {
            cr_assert(!okf && !okc && !okuf && !okuc && !okrf && !okrc);
        } else {
            mpz_mul(w, za, zone);
            z_floor_ceil(f, c, w, zb);
            check_u128_result("div_floor", okf, r1.atomics, f);
            check_u128_result("div_ceil", okc, r2.atomics, c);
            check_u128_result("uint_div_floor", okuf, u1, f);
            check_u128_result("uint_div_ceil", okuc, u2, c);
            check_u128_result("from_ratio_floor", okrf, q1.atomics, f);
            check_u128_result("from_ratio_ceil", okrc, q2.atomics, c);
            if (okf) cr_assert(cw_decimal_div_floor(a, b).atomics == r1.atomics);
            if (okc) cr_assert(cw_decimal_div_ceil(a, b).atomics == r2.atomics);
            if (okuf) cr_assert(cw_uint_div_decimal_floor(a.atomics, b) == u1);
            if (okuc) cr_assert(cw_uint_div_decimal_ceil(a.atomics, b) == u2);
            if (okrf)
                cr_assert(cw_decimal_from_ratio_floor(a.atomics, b.atomics).atomics == q1.atomics);
            if (okrc)
                cr_assert(cw_decimal_from_ratio_ceil(a.atomics, b.atomics).atomics == q2.atomics);
            if (okf && okc) cr_assert(r2.atomics - r1.atomics == (mpz_cmp(f, c) != 0));
        }

        /* integer conversions */
        z_floor_ceil(f, c, za, zone);
        cr_assert(cw_decimal_to_uint_floor(a) == u128_of_z(f));
        cr_assert(cw_decimal_to_uint_ceil(a) == u128_of_z(c));
        mpz_mul(w, za, zone);
        ok = cw_decimal_try_from_uint(a.atomics, &r1);
        check_u128_result("from_uint", ok, r1.atomics, w);
        if (ok) cr_assert(cw_decimal_from_uint(a.atomics).atomics == r1.atomics);

        cr_assert_eq(cw_decimal_cmp(a, b), (a.atomics > b.atomics) - (a.atomics < b.atomics));
    }
    cr_assert_gt(inexact_seen, 1000);
    mpz_clears(za, zb, zone, w, f, c, NULL);
}

Test(decimal, known_values) {
    cw_decimal third_f = cw_decimal_from_ratio_floor(1, 3),
               third_c = cw_decimal_from_ratio_ceil(1, 3);
    char buf[CW_DECIMAL_STR_MAX];
    cr_assert_str_eq(dstr(third_f, buf), "0.333333333333333333");
    cr_assert_str_eq(dstr(third_c, buf), "0.333333333333333334");
    cr_assert_str_eq(dstr(cw_decimal_from_ratio_floor(3, 2), buf), "1.5");
    cr_assert_str_eq(dstr(cw_decimal_from_ratio_ceil(3, 2), buf), "1.5");
    /* 1000 tokens at a price of 1.5, collateral value floors, debt ceils */
    cw_decimal p = cw_decimal_from_ratio_floor(2, 3); /* 0.666666666666666666 */
    cr_assert(cw_decimal_mul_uint_floor(1000, p) == 666);
    cr_assert(cw_decimal_mul_uint_ceil(1000, p) == 667);
    cr_assert(cw_uint_div_decimal_floor(1000, cw_decimal_percent(150)) == 666);
    cr_assert(cw_uint_div_decimal_ceil(1000, cw_decimal_percent(150)) == 667);
    cr_assert_str_eq(dstr(cw_decimal_mul_floor(third_f, cw_decimal_from_uint(3)), buf),
                     "0.999999999999999999");
    cr_assert_str_eq(dstr(cw_decimal_mul_ceil(third_c, cw_decimal_from_uint(3)), buf),
                     "1.000000000000000002");
    cr_assert_str_eq(dstr(cw_decimal_div_floor(cw_decimal_one(), cw_decimal_from_uint(3)), buf),
                     "0.333333333333333333");
    cr_assert_str_eq(dstr(cw_decimal_div_ceil(cw_decimal_one(), cw_decimal_from_uint(3)), buf),
                     "0.333333333333333334");
    cr_assert(cw_decimal_to_uint_ceil(cw_decimal_raw(1)) == 1);
    cr_assert(cw_decimal_to_uint_floor(cw_decimal_raw(ONE18 - 1)) == 0);
    cw_decimal d;
    cr_assert(cw_decimal_try_from_uint((cw_u128)340282366920938463ull * 1000 + 463, &d));
    cr_assert(!cw_decimal_try_from_uint((cw_u128)340282366920938463ull * 1000 + 464, &d));
}

/* --- Decimal abort messages ----------------------------------------------------------------- */

static struct {
    cw_decimal a, b;
    cw_u128 u, v;
    cw_decimal27 x, y;
    uint64_t n;
} g;
static volatile cw_u128 sink;

static void expect_abort(void (*fn)(void *), const char *want) {
    char *msg = cw_mock_catch_abort(fn, NULL);
    cr_assert_not_null(msg, "expected abort \"%s\"", want);
    cr_assert_str_eq(msg, want);
    free(msg);
}

#define ABORT_CASE(name, expr)                                                                     \
    static void name(void *ctx) {                                                                  \
        (void)ctx;                                                                                 \
        sink = (expr);                                                                             \
    }
ABORT_CASE(d_add, cw_decimal_add(g.a, g.b).atomics)
ABORT_CASE(d_sub, cw_decimal_sub(g.a, g.b).atomics)
ABORT_CASE(d_mul_floor, cw_decimal_mul_floor(g.a, g.b).atomics)
ABORT_CASE(d_mul_ceil, cw_decimal_mul_ceil(g.a, g.b).atomics)
ABORT_CASE(d_div_floor, cw_decimal_div_floor(g.a, g.b).atomics)
ABORT_CASE(d_div_ceil, cw_decimal_div_ceil(g.a, g.b).atomics)
ABORT_CASE(d_mul_uint, cw_decimal_mul_uint_ceil(g.u, g.b))
ABORT_CASE(d_uint_div, cw_uint_div_decimal_floor(g.u, g.b))
ABORT_CASE(d_from_ratio, cw_decimal_from_ratio_ceil(g.u, g.v).atomics)
ABORT_CASE(d_from_uint, cw_decimal_from_uint(g.u).atomics)
ABORT_CASE(x_add, cw_decimal27_add(g.x, g.y).atomics.limb[0])
ABORT_CASE(x_sub, cw_decimal27_sub(g.x, g.y).atomics.limb[0])
ABORT_CASE(x_mul, cw_decimal27_mul_floor(g.x, g.y).atomics.limb[0])
ABORT_CASE(x_div, cw_decimal27_div_ceil(g.x, g.y).atomics.limb[0])
ABORT_CASE(x_pow, cw_decimal27_pow(g.x, g.n, CW_ROUND_CEIL).atomics.limb[0])
ABORT_CASE(x_to_dec, cw_decimal27_to_decimal_ceil(g.x).atomics)
ABORT_CASE(x_mul_uint, cw_decimal27_mul_uint_ceil(g.u, g.x))
ABORT_CASE(x_uint_div, cw_uint_div_decimal27_floor(g.u, g.x))
ABORT_CASE(x_from_ratio, cw_decimal27_from_ratio_floor(g.u, g.v).atomics.limb[0])

Test(decimal, abort_messages) {
    g.a = cw_decimal_max(), g.b = cw_decimal_one();
    expect_abort(d_add, "Overflow: Cannot Add with 340282366920938463463.374607431768211455 and 1");
    g.a = cw_decimal_one(), g.b = cw_decimal_percent(150);
    expect_abort(d_sub, "Overflow: Cannot Sub with 1 and 1.5");
    g.a = cw_decimal_from_uint(1000000000000ull), g.b = cw_decimal_from_uint(1000000000000ull);
    expect_abort(d_mul_floor, "Overflow: Cannot Mul with 1000000000000 and 1000000000000");
    expect_abort(d_mul_ceil, "Overflow: Cannot Mul with 1000000000000 and 1000000000000");
    g.a = cw_decimal_percent(150), g.b = cw_decimal_zero();
    expect_abort(d_div_floor, "Divide by zero: Cannot divide 1.5 by zero");
    expect_abort(d_div_ceil, "Divide by zero: Cannot divide 1.5 by zero");
    g.a = cw_decimal_from_uint(1000000000000ull), g.b = cw_decimal_raw(1);
    expect_abort(d_div_floor, "Overflow: Cannot Div with 1000000000000 and 0.000000000000000001");
    g.u = CW_U128_MAX, g.b = cw_decimal_percent(101);
    expect_abort(d_mul_uint,
                 "Overflow: Cannot Mul with 340282366920938463463374607431768211455 and 1.01");
    g.u = 7, g.b = cw_decimal_zero();
    expect_abort(d_uint_div, "Divide by zero: Cannot divide 7 by zero");
    g.u = CW_U128_MAX, g.b = cw_decimal_percent(50);
    expect_abort(d_uint_div,
                 "Overflow: Cannot Div with 340282366920938463463374607431768211455 and 0.5");
    g.u = 9, g.v = 0;
    expect_abort(d_from_ratio, "Divide by zero: Cannot divide 9 by zero");
    g.u = (cw_u128)1 << 100, g.v = 1;
    expect_abort(d_from_ratio,
                 "Overflow: Cannot FromRatio with 1267650600228229401496703205376 and 1");
    g.u = (cw_u128)340282366920938463ull * 1000 + 464;
    expect_abort(d_from_uint,
                 "Overflow: Cannot Mul with 340282366920938463464 and 1000000000000000000");
}

/* ===========================================================================================
 * Decimal27
 * =========================================================================================== */

static cw_decimal27 d27(const char *text) {
    cw_decimal27 d = cw_decimal27_zero();
    cw_error *e = cw_decimal27_parse(S(text), &d);
    cr_assert_null(e, "'%s': %s", text, e ? e->msg : "");
    return d;
}

static const char *d27str(cw_decimal27 d, char buf[CW_DECIMAL27_STR_MAX]) {
    cw_decimal27_to_str(d, buf);
    return buf;
}

static void expect_reject27(const char *text, const char *reason) {
    cw_decimal27 d = cw_decimal27_raw(cw_u256_from_u64(777));
    cw_error *e = cw_decimal27_parse(S(text), &d);
    cr_assert_not_null(e, "'%s' accepted", text);
    char want[300];
    snprintf(want, sizeof want, "Error parsing decimal27 '%s': %s", text, reason);
    cr_assert_str_eq(e->msg, want);
    cr_assert(cw_u256_eq(d.atomics, cw_u256_from_u64(777)));
    cw_error_free(e);
}

static cw_u256 rnd_u256_of_bits(unsigned bits) {
    cw_u256 r = {{rnd(), rnd(), rnd(), rnd()}};
    return bits == 0 ? cw_u256_zero() : cw_u256_shr(r, 256 - bits);
}

static cw_decimal27 rnd_d27(void) {
    switch (rnd() % 4) {
    case 0:
        return cw_decimal27_raw(rnd_u256_of_bits((unsigned)(rnd() % 257)));
    case 1:
        return cw_decimal27_from_decimal(cw_decimal_raw(rnd_u128()));
    case 2:
        return cw_decimal27_raw(cw_u256_from_u128(rnd_u128()));
    default: /* near one: 1 +- up to 1e-3 */
        return cw_decimal27_raw(cw_u256_add(
            cw_u256_sub(cw_decimal27_fractional(), cw_u256_from_u64(1000000000000000000ull)),
            cw_u256_from_u128(rnd_u128() % ((cw_u128)2 * 1000000 * ONE18))));
    }
}

Test(decimal27, text) {
    char buf[CW_DECIMAL27_STR_MAX];
    cr_assert_str_eq(d27str(cw_decimal27_one(), buf), "1");
    cr_assert_str_eq(d27str(cw_decimal27_zero(), buf), "0");
    cr_assert_str_eq(d27str(cw_decimal27_raw(cw_u256_one()), buf), "0.000000000000000000000000001");
    cr_assert_str_eq(d27str(d27("1.000000001547125957863212448"), buf),
                     "1.000000001547125957863212448");
    cr_assert_str_eq(d27str(d27("1.050"), buf), "1.05");
    cr_assert_str_eq(d27str(d27("+2.+5"), buf), "2.05");
    cr_assert_str_eq(
        d27str(cw_decimal27_raw(cw_u256_max()), buf),
        "115792089237316195423570985008687907853269984665640.564039457584007913129639935");
    cr_assert(cw_u256_eq(
        d27("115792089237316195423570985008687907853269984665640.564039457584007913129639935")
            .atomics,
        cw_u256_max()));
    expect_reject27("", "Error parsing whole");
    expect_reject27(".1", "Error parsing whole");
    expect_reject27("1.", "Error parsing fractional");
    expect_reject27("1.0000000000000000000000000001",
                    "Cannot parse more than 27 fractional digits");
    expect_reject27("115792089237316195423570985008687907853269984665641", "Value too big");
    expect_reject27(
        "115792089237316195423570985008687907853269984665640.564039457584007913129639936",
        "Value too big");
    expect_reject27("1.2.3", "Unexpected number of dots");

    rng_state = 21;
    mpz_t z;
    mpz_init(z);
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_decimal27 d = rnd_d27();
        char ref[120];
        size_t n = cw_decimal27_to_str(d, buf);
        z_u256(z, d.atomics);
        ref_format(z, 27, ref);
        cr_assert_str_eq(buf, ref);
        cw_decimal27 back = cw_decimal27_zero();
        cr_assert_null(cw_decimal27_parse((cw_str){buf, n}, &back));
        cr_assert(cw_decimal27_eq(back, d));
        cw_buf b = {0};
        cw_decimal27_write(&b, d);
        cr_assert_eq(b.len, n);
        cr_assert_eq(memcmp(b.ptr, buf, n), 0);
        cw_buf_free(&b);
    }
    mpz_clear(z);
}

Test(decimal27, arithmetic_matches_gmp) {
    rng_state = 22;
    mpz_t za, zb, zone, w, f, c, z9;
    mpz_inits(za, zb, zone, w, f, c, z9, NULL);
    mpz_ui_pow_ui(zone, 10, 27);
    mpz_ui_pow_ui(z9, 10, 9);
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_decimal27 a = rnd_d27(), b = rnd_d27(), r1 = cw_decimal27_zero(), r2 = r1;
        z_u256(za, a.atomics);
        z_u256(zb, b.atomics);

        mpz_add(w, za, zb);
        bool ok = cw_decimal27_try_add(a, b, &r1);
        check_u256_result("add", ok, r1.atomics, w);
        if (ok) cr_assert(cw_decimal27_eq(cw_decimal27_add(a, b), r1));
        mpz_sub(w, za, zb);
        ok = cw_decimal27_try_sub(a, b, &r1);
        check_u256_result("sub", ok, r1.atomics, w);
        if (ok) cr_assert(cw_decimal27_eq(cw_decimal27_sub(a, b), r1));

        mpz_mul(w, za, zb);
        z_floor_ceil(f, c, w, zone);
        bool okf = cw_decimal27_try_mul(a, b, CW_ROUND_FLOOR, &r1);
        bool okc = cw_decimal27_try_mul(a, b, CW_ROUND_CEIL, &r2);
        check_u256_result("mul floor", okf, r1.atomics, f);
        check_u256_result("mul ceil", okc, r2.atomics, c);
        if (okf) cr_assert(cw_decimal27_eq(cw_decimal27_mul_floor(a, b), r1));
        if (okc) cr_assert(cw_decimal27_eq(cw_decimal27_mul_ceil(a, b), r2));

        if (!cw_decimal27_is_zero(b)) {
            mpz_mul(w, za, zone);
            z_floor_ceil(f, c, w, zb);
            okf = cw_decimal27_try_div(a, b, CW_ROUND_FLOOR, &r1);
            okc = cw_decimal27_try_div(a, b, CW_ROUND_CEIL, &r2);
            check_u256_result("div floor", okf, r1.atomics, f);
            check_u256_result("div ceil", okc, r2.atomics, c);
            if (okf) cr_assert(cw_decimal27_eq(cw_decimal27_div_floor(a, b), r1));
            if (okc) cr_assert(cw_decimal27_eq(cw_decimal27_div_ceil(a, b), r2));
        } else {
            cr_assert(!cw_decimal27_try_div(a, b, CW_ROUND_FLOOR, &r1));
        }

        /* with integer amounts */
        cw_u128 amount = rnd_u128(), u1 = 0, u2 = 0;
        mpz_t zam;
        mpz_init(zam);
        z_u128(zam, amount);
        mpz_mul(w, zam, za);
        z_floor_ceil(f, c, w, zone);
        okf = cw_decimal27_try_mul_uint(amount, a, CW_ROUND_FLOOR, &u1);
        okc = cw_decimal27_try_mul_uint(amount, a, CW_ROUND_CEIL, &u2);
        check_u128_result("mul_uint floor", okf, u1, f);
        check_u128_result("mul_uint ceil", okc, u2, c);
        if (okf) cr_assert(cw_decimal27_mul_uint_floor(amount, a) == u1);
        if (okc) cr_assert(cw_decimal27_mul_uint_ceil(amount, a) == u2);
        if (!cw_decimal27_is_zero(a)) {
            mpz_mul(w, zam, zone);
            z_floor_ceil(f, c, w, za);
            okf = cw_uint_try_div_decimal27(amount, a, CW_ROUND_FLOOR, &u1);
            okc = cw_uint_try_div_decimal27(amount, a, CW_ROUND_CEIL, &u2);
            check_u128_result("uint_div floor", okf, u1, f);
            check_u128_result("uint_div ceil", okc, u2, c);
            if (okf) cr_assert(cw_uint_div_decimal27_floor(amount, a) == u1);
            if (okc) cr_assert(cw_uint_div_decimal27_ceil(amount, a) == u2);
        }
        /* from_ratio and from_uint */
        cw_u128 den = rnd_u128();
        if (den) {
            mpz_t zd;
            mpz_init(zd);
            z_u128(zd, den);
            mpz_mul(w, zam, zone);
            z_floor_ceil(f, c, w, zd);
            check_u256_result("from_ratio floor", true,
                              cw_decimal27_from_ratio_floor(amount, den).atomics, f);
            check_u256_result("from_ratio ceil", true,
                              cw_decimal27_from_ratio_ceil(amount, den).atomics, c);
            mpz_clear(zd);
        }
        mpz_mul(w, zam, zone);
        check_u256_result("from_uint", true, cw_decimal27_from_uint(amount).atomics, w);
        mpz_clear(zam);

        /* Decimal <-> Decimal27 */
        cw_decimal dd = cw_decimal_raw(rnd_u128()), back = {0};
        cw_decimal27 wide = cw_decimal27_from_decimal(dd);
        cr_assert(cw_decimal27_try_to_decimal_floor(wide, &back) && back.atomics == dd.atomics);
        cr_assert(cw_decimal27_try_to_decimal_ceil(wide, &back) && back.atomics == dd.atomics);
        z_floor_ceil(f, c, za, z9);
        okf = cw_decimal27_try_to_decimal_floor(a, &back);
        check_u128_result("to_decimal floor", okf, back.atomics, f);
        if (okf) cr_assert(cw_decimal27_to_decimal_floor(a).atomics == back.atomics);
        okc = cw_decimal27_try_to_decimal_ceil(a, &back);
        check_u128_result("to_decimal ceil", okc, back.atomics, c);
        if (okc) cr_assert(cw_decimal27_to_decimal_ceil(a).atomics == back.atomics);
    }
    mpz_clears(za, zb, zone, w, f, c, z9, NULL);
}

Test(decimal27, abort_messages) {
    g.x = cw_decimal27_raw(cw_u256_max()), g.y = cw_decimal27_raw(cw_u256_one());
    expect_abort(x_add, "Overflow: Cannot Add with "
                        "115792089237316195423570985008687907853269984665640."
                        "564039457584007913129639935 and 0.000000000000000000000000001");
    g.x = cw_decimal27_one(), g.y = d27("1.5");
    expect_abort(x_sub, "Overflow: Cannot Sub with 1 and 1.5");
    g.x = cw_decimal27_from_uint((cw_u128)1 << 100), g.y = g.x;
    expect_abort(x_mul, "Overflow: Cannot Mul with 1267650600228229401496703205376 and "
                        "1267650600228229401496703205376");
    g.x = d27("2.5"), g.y = cw_decimal27_zero();
    expect_abort(x_div, "Divide by zero: Cannot divide 2.5 by zero");
    g.x = d27("2"), g.n = 200;
    expect_abort(x_pow, "Overflow: Cannot Pow with 2 and 200");
    g.x = cw_decimal27_from_uint((cw_u128)1 << 100);
    expect_abort(x_to_dec, "Overflow: Cannot convert 1267650600228229401496703205376 to Decimal");
    g.u = CW_U128_MAX, g.x = d27("1.000000000000000000000000001");
    expect_abort(x_mul_uint, "Overflow: Cannot Mul with 340282366920938463463374607431768211455 "
                             "and 1.000000000000000000000000001");
    g.u = 3, g.x = cw_decimal27_zero();
    expect_abort(x_uint_div, "Divide by zero: Cannot divide 3 by zero");
    g.u = 3, g.v = 0;
    expect_abort(x_from_ratio, "Divide by zero: Cannot divide 3 by zero");
}

/* --- Powers --------------------------------------------------------------------------------- */

/* GMP reference for the SDK's algorithm at higher precision: x is base scaled by `scale`; the
 * same left-to-right square-and-multiply, each step floored (or ceiled), so lo <= exact <= hi
 * with a gap of at most ~2n units of 1/scale. */
static void z_pow_fixed(mpz_t out, const mpz_t x, uint64_t n, const mpz_t scale, bool ceil) {
    if (n == 0) {
        mpz_set(out, scale);
        return;
    }
    int top = 63;
    while (!((n >> top) & 1)) top--;
    mpz_t t;
    mpz_init(t);
    mpz_set(out, x);
    for (int bit = top - 1; bit >= 0; bit--) {
        mpz_mul(t, out, out);
        (ceil ? mpz_cdiv_q : mpz_fdiv_q)(out, t, scale);
        if ((n >> bit) & 1) {
            mpz_mul(t, out, x);
            (ceil ? mpz_cdiv_q : mpz_fdiv_q)(out, t, scale);
        }
    }
    mpz_clear(t);
}

/* Assert |got - exact| <= (n - 1) * max(1, exact) ulps (+1% for second-order terms), with
 * exact given in units of 10^-27 * 10^-extra as [lo, hi]. */
static void check_pow_bound(cw_decimal27 got, uint64_t n, const mpz_t lo, const mpz_t hi,
                            unsigned extra_digits, bool is_ceil) {
    mpz_t g_, ulp, err, bound, one;
    mpz_inits(g_, ulp, err, bound, one, NULL);
    z_u256(g_, got.atomics);
    mpz_ui_pow_ui(ulp, 10, extra_digits);
    mpz_mul(g_, g_, ulp);
    /* direction */
    if (is_ceil)
        cr_assert(mpz_cmp(g_, lo) >= 0, "ceil power below the exact value");
    else
        cr_assert(mpz_cmp(g_, hi) <= 0, "floor power above the exact value");
    /* size of the error */
    if (is_ceil)
        mpz_sub(err, g_, lo);
    else
        mpz_sub(err, hi, g_);
    mpz_abs(err, err);
    mpz_ui_pow_ui(one, 10, 27 + extra_digits);
    mpz_set(bound, hi);
    if (mpz_cmp(bound, one) < 0) mpz_set(bound, one);
    /* bound = (n - 1) * max(1, exact) * 10^-27 (in the scaled units) * 1.01 + 2 ulps */
    mpz_mul_ui(bound, bound, n > 1 ? n - 1 : 0);
    mpz_mul_ui(bound, bound, 101);
    mpz_fdiv_q_ui(bound, bound, 100);
    mpz_fdiv_q(bound, bound, one);
    mpz_mul(bound, bound, ulp);
    mpz_addmul_ui(bound, ulp, 2);
    cr_assert(mpz_cmp(err, bound) <= 0, "pow error above the documented bound (n=%lu)",
              (unsigned long)n);
    mpz_clears(g_, ulp, err, bound, one, NULL);
}

Test(decimal27, pow_exact_small_exponents) {
    rng_state = 23;
    mpz_t zb, num, den, lo, hi, w;
    mpz_inits(zb, num, den, lo, hi, w, NULL);
    int inexact = 0;
    for (int i = 0; i < 4000; i++) {
        /* bases in [0, 1.3), exponents up to 300: results stay in range */
        cw_u128 b128 = rnd_u128() % ((cw_u128)13 * 100000000000000000ull * 1000000000ull);
        if (i % 4 == 0) /* near one */
            b128 = (cw_u128)1000000000000000000ull * 1000000000ull - 1000000000000ull +
                   (rnd() % 2000000000000ull);
        cw_decimal27 base = cw_decimal27_raw(cw_u256_from_u128(b128));
        uint64_t n = rnd() % 301;
        cw_decimal27 pf = cw_decimal27_pow(base, n, CW_ROUND_FLOOR);
        cw_decimal27 pc = cw_decimal27_pow(base, n, CW_ROUND_CEIL);
        /* exact = b^n / 10^(27(n-1)) atomics */
        z_u128(zb, b128);
        mpz_pow_ui(num, zb, n);
        if (n == 0) {
            cr_assert(cw_decimal27_eq(pf, cw_decimal27_one()) && cw_decimal27_eq(pc, pf));
            continue;
        }
        mpz_ui_pow_ui(den, 10, 27 * (n - 1));
        mpz_fdiv_q(lo, num, den);
        mpz_cdiv_q(hi, num, den);
        /* floor <= exact <= ceil */
        z_u256(w, pf.atomics);
        cr_assert(mpz_cmp(w, lo) <= 0, "floor pow above exact");
        z_u256(w, pc.atomics);
        cr_assert(mpz_cmp(w, hi) >= 0, "ceil pow below exact");
        inexact += mpz_cmp(lo, hi) != 0;
        check_pow_bound(pf, n, lo, hi, 0, false);
        check_pow_bound(pc, n, lo, hi, 0, true);
        if (n == 1) cr_assert(cw_decimal27_eq(pf, base) && cw_decimal27_eq(pc, base));
    }
    cr_assert_gt(inexact, 2000);
    /* exact cases */
    char buf[CW_DECIMAL27_STR_MAX];
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("2"), 10, CW_ROUND_FLOOR), buf), "1024");
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("1.5"), 3, CW_ROUND_CEIL), buf), "3.375");
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("0"), 0, CW_ROUND_CEIL), buf), "1");
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("0"), 5, CW_ROUND_CEIL), buf), "0");
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("1"), UINT64_MAX, CW_ROUND_CEIL), buf), "1");
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("0.1"), 27, CW_ROUND_FLOOR), buf),
                     "0.000000000000000000000000001");
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("0.1"), 28, CW_ROUND_FLOOR), buf), "0");
    cr_assert_str_eq(d27str(cw_decimal27_pow(d27("0.1"), 28, CW_ROUND_CEIL), buf),
                     "0.000000000000000000000000001");
    mpz_clears(zb, num, den, lo, hi, w, NULL);
}

#define EXTRA 60 /* reference precision: 27 + 60 digits */

/* [lo, hi] bounds of base^n in units of 10^-(27+EXTRA). */
static void z_pow_bounds(mpz_t lo, mpz_t hi, cw_decimal27 base, uint64_t n) {
    mpz_t x, scale, e;
    mpz_inits(x, scale, e, NULL);
    mpz_ui_pow_ui(e, 10, EXTRA);
    mpz_ui_pow_ui(scale, 10, 27 + EXTRA);
    z_u256(x, base.atomics);
    mpz_mul(x, x, e);
    z_pow_fixed(lo, x, n, scale, false);
    z_pow_fixed(hi, x, n, scale, true);
    mpz_clears(x, scale, e, NULL);
}

Test(decimal27, pow_large_exponents_within_bound) {
    rng_state = 24;
    mpz_t lo, hi;
    mpz_inits(lo, hi, NULL);
    for (int i = 0; i < 300; i++) {
        /* per-second style rates: 1 + up to 1e-7, and some below one */
        cw_u256 one = cw_decimal27_fractional();
        cw_u256 delta = cw_u256_from_u128(rnd_u128() % ((cw_u128)100000000000ull * 1000000000ull));
        cw_decimal27 base =
            cw_decimal27_raw(i % 5 == 0 ? cw_u256_sub(one, delta) : cw_u256_add(one, delta));
        uint64_t n = 1 + rnd() % (4 * (uint64_t)CW_SECONDS_PER_YEAR);
        cw_decimal27 pf, pc;
        if (!cw_decimal27_try_pow(base, n, CW_ROUND_FLOOR, &pf)) continue;
        cr_assert(cw_decimal27_try_pow(base, n, CW_ROUND_CEIL, &pc));
        z_pow_bounds(lo, hi, base, n);
        check_pow_bound(pf, n, lo, hi, EXTRA, false);
        check_pow_bound(pc, n, lo, hi, EXTRA, true);
    }
    mpz_clears(lo, hi, NULL);
}

/* --- Per-second rates ----------------------------------------------------------------------- */

/* Relative difference |x - target| / target, written as a decimal string in units of 1e-24. */
static void rel_err_e24(const mpz_t x, const mpz_t target, char *out) {
    mpz_t d;
    mpz_init(d);
    mpz_sub(d, x, target);
    mpz_abs(d, d);
    mpz_t s;
    mpz_init(s);
    mpz_ui_pow_ui(s, 10, 24);
    mpz_mul(d, d, s);
    mpz_fdiv_q(d, d, target);
    mpz_get_str(out, 10, d);
    mpz_clears(d, s, NULL);
}

/* Distance in ulps from r to the exact boundary: for CEIL the smallest r* with r*^n >= F
 * exactly, for FLOOR the largest r* with r*^n <= F. Returns |r - r*| (small). */
static int rate_distance(cw_decimal27 r, cw_decimal27 factor, uint64_t n, cw_rounding rounding) {
    mpz_t lo, hi, f;
    mpz_inits(lo, hi, f, NULL);
    z_u256(f, factor.atomics);
    mpz_t e;
    mpz_init(e);
    mpz_ui_pow_ui(e, 10, EXTRA);
    mpz_mul(f, f, e);
    int dist = 0;
    z_pow_bounds(lo, hi, r, n);
    if (rounding == CW_ROUND_CEIL) {
        cr_assert(mpz_cmp(lo, f) >= 0, "ceil rate: r^n < factor");
        /* step down while the exact power is provably still >= F */
        for (;;) {
            cw_decimal27 s = cw_decimal27_raw(cw_u256_sub(r.atomics, cw_u256_from_u64(dist + 1)));
            z_pow_bounds(lo, hi, s, n);
            if (mpz_cmp(lo, f) < 0) break;
            dist++;
            cr_assert_lt(dist, 10);
        }
        cr_assert(mpz_cmp(hi, f) < 0, "reference too coarse to decide");
    } else {
        cr_assert(mpz_cmp(hi, f) <= 0, "floor rate: r^n > factor");
        for (;;) {
            cw_decimal27 s = cw_decimal27_raw(cw_u256_add(r.atomics, cw_u256_from_u64(dist + 1)));
            z_pow_bounds(lo, hi, s, n);
            if (mpz_cmp(hi, f) > 0) break;
            dist++;
            cr_assert_lt(dist, 10);
        }
        cr_assert(mpz_cmp(lo, f) > 0, "reference too coarse to decide");
    }
    mpz_clears(lo, hi, f, e, NULL);
    return dist;
}

Test(decimal27, rate_per_period_is_tight_and_directed) {
    const char *factors[] = {"1",   "1.0000001", "1.01", "1.02", "1.05",
                             "1.1", "1.5",       "2",    "10",   "100"};
    uint64_t periods[] = {
        1, 2, 12, 365, 8760, 86400, CW_SECONDS_PER_YEAR, 4 * (uint64_t)CW_SECONDS_PER_YEAR};
    int worst = 0;
    for (size_t i = 0; i < sizeof factors / sizeof *factors; i++) {
        for (size_t j = 0; j < sizeof periods / sizeof *periods; j++) {
            cw_decimal27 f = d27(factors[i]), rc, rf;
            cr_assert_null(cw_decimal27_rate_per_period(f, periods[j], CW_ROUND_CEIL, &rc));
            cr_assert_null(cw_decimal27_rate_per_period(f, periods[j], CW_ROUND_FLOOR, &rf));
            cr_assert(cw_decimal27_le(rf, rc));
            int dc = rate_distance(rc, f, periods[j], CW_ROUND_CEIL);
            int df = rate_distance(rf, f, periods[j], CW_ROUND_FLOOR);
            if (dc > worst) worst = dc;
            if (df > worst) worst = df;
            cr_assert_leq(dc, 2, "factor %s periods %lu: ceil rate %d ulps off", factors[i],
                          (unsigned long)periods[j], dc);
            cr_assert_leq(df, 2, "factor %s periods %lu: floor rate %d ulps off", factors[i],
                          (unsigned long)periods[j], df);
        }
    }
    cr_log_info("rate_per_period: worst distance from the exact directed root = %d ulp", worst);
    char buf[CW_DECIMAL27_STR_MAX];
    cw_decimal27 r;
    cr_assert_null(cw_decimal27_rate_per_period(d27("1.05"), 1, CW_ROUND_CEIL, &r));
    cr_assert_str_eq(d27str(r, buf), "1.05");
    cr_assert_null(cw_decimal27_rate_per_period(d27("4"), 2, CW_ROUND_FLOOR, &r));
    cr_assert_str_eq(d27str(r, buf), "2");
    cr_assert_null(cw_decimal27_rate_per_period(d27("4"), 2, CW_ROUND_CEIL, &r));
    cr_assert_str_eq(d27str(r, buf), "2");
    cw_error *e = cw_decimal27_rate_per_period(d27("0.99"), 10, CW_ROUND_CEIL, &r);
    cr_assert_str_eq(e->msg, "rate factor must be between 1 and 100, got 0.99");
    cw_error_free(e);
    e = cw_decimal27_rate_per_period(d27("100.000000000000000000000000001"), 10, CW_ROUND_CEIL, &r);
    cr_assert_str_eq(e->msg,
                     "rate factor must be between 1 and 100, got 100.000000000000000000000000001");
    cw_error_free(e);
    e = cw_decimal27_rate_per_period(d27("1.05"), 0, CW_ROUND_CEIL, &r);
    cr_assert_str_eq(e->msg, "rate periods must be positive");
    cw_error_free(e);
}

/* The CDP issue's requirement: a 5 %/yr stability fee, turned into a per-second rate and
 * compounded for 31,536,000 s, accrues debt matching 1.05 to within 1e-12 relative. */
Test(decimal27, five_percent_a_year_compounded_per_second) {
    const uint64_t year = CW_SECONDS_PER_YEAR;
    cw_decimal27 annual = d27("1.05"), rate;
    cr_assert_null(cw_decimal27_rate_per_period(annual, year, CW_ROUND_CEIL, &rate));
    char buf[CW_DECIMAL27_STR_MAX];
    cr_log_info("per-second rate for 5%%/yr (ceil): %s", d27str(rate, buf));
    /* the exact root is 1.000000001547125957863212449045...: the smallest 27-digit r with
     * r^n >= 1.05 */
    cr_assert_str_eq(buf, "1.00000000154712595786321245");

    mpz_t target, acc, lo, hi, ulp, tol, d, debt, want;
    mpz_inits(target, acc, lo, hi, ulp, tol, d, debt, want, NULL);
    z_u256(target, annual.atomics);

    /* 1. The accumulator as the contract computes it: rate^31536000 in one rpow call. */
    cw_decimal27 accum = cw_decimal27_pow(rate, year, CW_ROUND_CEIL);
    z_u256(acc, accum.atomics);
    char e24[100];
    rel_err_e24(acc, target, e24);
    cr_log_info("accumulator after a year (pow, ceil): %s; |acc/1.05 - 1| = %s e-24",
                d27str(accum, buf), e24);
    /* |acc - F| * 10^12 < F */
    mpz_sub(d, acc, target);
    mpz_abs(d, d);
    mpz_mul_ui(tol, d, 1000000000000ul);
    cr_assert(mpz_cmp(tol, target) < 0, "accumulator off by more than 1e-12 relative");
    cr_assert(mpz_cmp(acc, target) >= 0, "fees must not round below the annual factor");

    /* 2. The exact value of rate^year (GMP at 87 digits) is >= 1.05 and within 1e-12. */
    z_pow_bounds(lo, hi, rate, year);
    mpz_ui_pow_ui(ulp, 10, EXTRA);
    mpz_mul(tol, target, ulp);
    cr_assert(mpz_cmp(lo, tol) >= 0);
    mpz_fdiv_q(hi, hi, ulp);
    rel_err_e24(hi, target, e24);
    cr_log_info("exact rate^31536000 vs 1.05: relative error %s e-24", e24);

    /* 3. Debt of a position: normalised debt x accumulator, rounded up. */
    cw_u128 normalised[] = {1, 999, 1000000, 123456789012345678ull,
                            (cw_u128)1000000000000000000ull * 1000000000ull};
    for (size_t i = 0; i < sizeof normalised / sizeof *normalised; i++) {
        cw_u128 debt_now = cw_decimal27_mul_uint_ceil(normalised[i], accum);
        z_u128(debt, debt_now);
        z_u128(want, normalised[i]);
        mpz_mul_ui(want, want, 105); /* exact 1.05 x normalised, in hundredths */
        mpz_mul_ui(debt, debt, 100);
        cr_assert(mpz_cmp(debt, want) >= 0, "debt below 1.05 x normalised");
        mpz_sub(d, debt, want);
        mpz_mul_ui(d, d, 1000000000000ul);
        /* relative 1e-12, plus the one unit of integer rounding (x100) */
        mpz_t slack;
        mpz_init_set(slack, want);
        mpz_add_ui(slack, slack, 100ul * 1000000000000ul);
        cr_assert(mpz_cmp(d, slack) < 0, "debt of %s off by more than 1e-12",
                  mpz_get_str(NULL, 10, want));
        mpz_clear(slack);
    }

    /* 4. Compounding literally once per second: 31,536,000 multiplications, rounded up. */
    cw_decimal27 step = cw_decimal27_one();
    for (uint64_t s = 0; s < year; s++) step = cw_decimal27_mul_ceil(step, rate);
    z_u256(acc, step.atomics);
    rel_err_e24(acc, target, e24);
    cr_log_info("accumulator compounded second by second: %s; error %s e-24", d27str(step, buf),
                e24);
    mpz_sub(d, acc, target);
    mpz_abs(d, d);
    mpz_mul_ui(tol, d, 1000000000000ul);
    cr_assert(mpz_cmp(tol, target) < 0);

    /* 5. Irregular updates (random gaps up to an hour) as blocks arrive. */
    rng_state = 25;
    cw_decimal27 irregular = cw_decimal27_one();
    uint64_t t = 0;
    int updates = 0;
    while (t < year) {
        uint64_t dt = 1 + rnd() % 3600;
        if (dt > year - t) dt = year - t;
        irregular = cw_decimal27_mul_ceil(irregular, cw_decimal27_pow(rate, dt, CW_ROUND_CEIL));
        t += dt;
        updates++;
    }
    z_u256(acc, irregular.atomics);
    rel_err_e24(acc, target, e24);
    cr_log_info("accumulator over %d irregular updates: %s; error %s e-24", updates,
                d27str(irregular, buf), e24);
    mpz_sub(d, acc, target);
    mpz_abs(d, d);
    mpz_mul_ui(tol, d, 1000000000000ul);
    cr_assert(mpz_cmp(tol, target) < 0);
    cr_assert(mpz_cmp(acc, target) >= 0);
    mpz_clears(target, acc, lo, hi, ulp, tol, d, debt, want, NULL);
}

/* Tests for Uint128 and Uint256 (sdk/src/cw_uint.c, cw_u256.c): every operation against GMP on
 * boundary values and tens of thousands of seeded random operands, parsing with Rust's rules
 * and exact messages, and the exact abort texts. */
#include <criterion/criterion.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "cw_math.h"
#include "cw_mock.h"

#define RANDOM_ROUNDS 50000

static cw_str S(const char *s) {
    return (cw_str){s, strlen(s)};
}

/* --- Seeded randomness (splitmix64) --------------------------------------------------------- */

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

/* 0, 1, 2, 2^32 +- 1, 2^64 +- 1, 2^127, 2^128 - 1, powers of ten and their neighbours... */
static cw_u128 boundaries[128];
static size_t n_boundaries;
static void init_boundaries(void) {
    n_boundaries = 0;
    cw_u128 fixed[] = {0,
                       1,
                       2,
                       3,
                       (cw_u128)1 << 32,
                       ((cw_u128)1 << 32) - 1,
                       ((cw_u128)1 << 32) + 1,
                       (cw_u128)UINT64_MAX,
                       (cw_u128)UINT64_MAX + 1,
                       (cw_u128)UINT64_MAX + 2,
                       (cw_u128)UINT64_MAX - 1,
                       (cw_u128)1 << 96,
                       (cw_u128)1 << 127,
                       ((cw_u128)1 << 127) - 1,
                       ((cw_u128)1 << 127) + 1,
                       CW_U128_MAX,
                       CW_U128_MAX - 1,
                       CW_U128_MAX / 2,
                       CW_U128_MAX / 10,
                       CW_U128_MAX / 10 + 1};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) boundaries[n_boundaries++] = fixed[i];
    for (int k = 1; k <= 38; k += (k < 20 ? 1 : 3)) {
        boundaries[n_boundaries++] = pow10_128(k);
        boundaries[n_boundaries++] = pow10_128(k) - 1;
        boundaries[n_boundaries++] = pow10_128(k) + 1;
    }
}

static cw_u128 rnd_u128(void) {
    cw_u128 full = ((cw_u128)rnd() << 64) | rnd();
    switch (rnd() % 6) {
    case 0:
        return full;
    case 1:
    case 2: {
        unsigned bits = (unsigned)(rnd() % 129);
        return bits == 0 ? 0 : full >> (128 - bits);
    }
    case 3:
        return boundaries[rnd() % n_boundaries];
    case 4:
        return boundaries[rnd() % n_boundaries] + (rnd() % 5) - 2;
    default:
        return (cw_u128)(rnd() >> (rnd() % 64));
    }
}

/* 32-bit digits from a small set that stresses long division (qhat corrections, add-back). */
static uint32_t rnd_digit(void) {
    static const uint32_t special[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};
    return (rnd() & 1) ? special[rnd() % 7] : (uint32_t)rnd();
}

static cw_u256 rnd_u256(void) {
    cw_u256 r = cw_u256_zero();
    switch (rnd() % 4) {
    case 0:
        for (int i = 0; i < 4; i++) r.limb[i] = rnd();
        break;
    case 1: { /* random length */
        int digits = (int)(rnd() % 9);
        for (int i = 0; i < digits; i++)
            r.limb[i / 2] |= (uint64_t)(uint32_t)rnd() << (32 * (i % 2));
        break;
    }
    case 2: { /* special digit patterns */
        int digits = 1 + (int)(rnd() % 8);
        for (int i = 0; i < digits; i++) r.limb[i / 2] |= (uint64_t)rnd_digit() << (32 * (i % 2));
        break;
    }
    default:
        r = cw_u256_from_u128(rnd_u128());
    }
    return r;
}

/* --- GMP conversions ------------------------------------------------------------------------ */

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

static const char *dec128(cw_u128 v, char buf[48]) {
    buf[cw_u128_to_dec(v, buf)] = '\0';
    return buf;
}

/* Compare a try_ result with the exact value: it must succeed iff the value fits. */
static void check128(const char *op, cw_u128 a, cw_u128 b, bool ok, cw_u128 got, const mpz_t want) {
    char sa[48], sb[48], sg[48];
    bool fits = z_fits_bits(want, 128);
    cr_assert_eq(ok, fits, "%s(%s, %s): ok=%d, expected %d", op, dec128(a, sa), dec128(b, sb), ok,
                 fits);
    if (fits) cr_assert(got == u128_of_z(want), "%s(%s, %s) = %s", op, sa, sb, dec128(got, sg));
}

static void check256(const char *op, bool ok, cw_u256 got, const mpz_t want) {
    bool fits = z_fits_bits(want, 256);
    cr_assert_eq(ok, fits, "%s: ok=%d, expected %d", op, ok, fits);
    if (fits) cr_assert(cw_u256_eq(got, u256_of_z(want)), "%s: wrong value", op);
}

/* --- Uint128 arithmetic --------------------------------------------------------------------- */

static void check_u128_pair(cw_u128 a, cw_u128 b, mpz_t za, mpz_t zb, mpz_t w) {
    cw_u128 r = 0;
    bool ok;
    z_u128(za, a);
    z_u128(zb, b);

    mpz_add(w, za, zb);
    ok = cw_u128_try_add(a, b, &r);
    check128("add", a, b, ok, r, w);
    if (ok) cr_assert(cw_u128_add(a, b) == r);
    cr_assert(cw_u128_saturating_add(a, b) == (ok ? r : CW_U128_MAX));

    mpz_sub(w, za, zb);
    ok = cw_u128_try_sub(a, b, &r);
    check128("sub", a, b, ok, r, w);
    if (ok) cr_assert(cw_u128_sub(a, b) == r);
    cr_assert(cw_u128_saturating_sub(a, b) == (ok ? r : 0));

    mpz_mul(w, za, zb);
    ok = cw_u128_try_mul(a, b, &r);
    check128("mul", a, b, ok, r, w);
    if (ok) cr_assert(cw_u128_mul(a, b) == r);
    cr_assert(cw_u128_saturating_mul(a, b) == (ok ? r : CW_U128_MAX));

    if (b == 0) {
        cr_assert(!cw_u128_try_div(a, b, &r));
        cr_assert(!cw_u128_try_rem(a, b, &r));
    } else {
        mpz_fdiv_q(w, za, zb);
        cr_assert(cw_u128_try_div(a, b, &r));
        check128("div", a, b, true, r, w);
        cr_assert(cw_u128_div(a, b) == r);
        mpz_fdiv_r(w, za, zb);
        cr_assert(cw_u128_try_rem(a, b, &r));
        check128("rem", a, b, true, r, w);
        cr_assert(cw_u128_rem(a, b) == r);
    }
}

Test(uint, u128_boundary_pairs_match_gmp) {
    init_boundaries();
    mpz_t za, zb, w;
    mpz_inits(za, zb, w, NULL);
    for (size_t i = 0; i < n_boundaries; i++)
        for (size_t j = 0; j < n_boundaries; j++)
            check_u128_pair(boundaries[i], boundaries[j], za, zb, w);
    mpz_clears(za, zb, w, NULL);
}

Test(uint, u128_random_match_gmp) {
    init_boundaries();
    rng_state = 1;
    mpz_t za, zb, w;
    mpz_inits(za, zb, w, NULL);
    for (int i = 0; i < RANDOM_ROUNDS; i++) check_u128_pair(rnd_u128(), rnd_u128(), za, zb, w);
    mpz_clears(za, zb, w, NULL);
}

Test(uint, u128_pow_matches_gmp) {
    init_boundaries();
    rng_state = 2;
    mpz_t zb, w;
    mpz_inits(zb, w, NULL);
    for (int i = 0; i < 20000; i++) {
        cw_u128 base = (i % 3 == 0) ? rnd_u128() : (cw_u128)(rnd() % 1000);
        uint32_t exp = (uint32_t)(i % 5 == 0 ? rnd() : rnd() % 130);
        if (base > 1 && exp > 200) exp %= 200; /* keep GMP small */
        z_u128(zb, base);
        mpz_pow_ui(w, zb, exp);
        cw_u128 r = 0;
        bool ok = cw_u128_try_pow(base, exp, &r);
        check128("pow", base, exp, ok, r, w);
        if (ok) cr_assert(cw_u128_pow(base, exp) == r);
    }
    cw_u128 r;
    cr_assert(cw_u128_try_pow(0, 0, &r) && r == 1);
    cr_assert(cw_u128_try_pow(2, 127, &r) && r == (cw_u128)1 << 127);
    cr_assert(!cw_u128_try_pow(2, 128, &r));
    cr_assert(cw_u128_try_pow(10, 38, &r) && r == pow10_128(38));
    cr_assert(!cw_u128_try_pow(10, 39, &r));
    mpz_clears(zb, w, NULL);
}

static void check_mul_div(cw_u128 a, cw_u128 b, cw_u128 c, mpz_t za, mpz_t zb, mpz_t zc, mpz_t wf,
                          mpz_t wc) {
    z_u128(za, a);
    z_u128(zb, b);
    z_u128(zc, c);
    cw_u128 f = 0, g = 0;
    bool okf = cw_u128_try_mul_div_floor(a, b, c, &f);
    bool okc = cw_u128_try_mul_div_ceil(a, b, c, &g);
    if (c == 0) {
        cr_assert(!okf && !okc);
        return;
    }
    mpz_mul(wf, za, zb);
    mpz_cdiv_q(wc, wf, zc);
    mpz_fdiv_q(wf, wf, zc);
    check128("mul_div_floor", a, b, okf, f, wf);
    check128("mul_div_ceil", a, b, okc, g, wc);
    if (okf) cr_assert(cw_u128_mul_div_floor(a, b, c) == f);
    if (okc) {
        cr_assert(cw_u128_mul_div_ceil(a, b, c) == g);
        /* floor and ceil agree when exact and differ by one unit otherwise */
        mpz_mul(wf, za, zb);
        bool exact = mpz_divisible_p(wf, zc);
        cr_assert(g - f == (exact ? 0 : 1));
    }
}

Test(uint, u128_mul_div_matches_gmp) {
    init_boundaries();
    rng_state = 3;
    mpz_t za, zb, zc, wf, wc;
    mpz_inits(za, zb, zc, wf, wc, NULL);
    for (int i = 0; i < RANDOM_ROUNDS; i++)
        check_mul_div(rnd_u128(), rnd_u128(), rnd_u128(), za, zb, zc, wf, wc);
    for (size_t i = 0; i < n_boundaries; i++)
        for (size_t j = 0; j < n_boundaries; j += 3)
            check_mul_div(boundaries[i], boundaries[j], boundaries[(i + j) % n_boundaries], za, zb,
                          zc, wf, wc);
    /* Results that land exactly on the maximum, and one past it. */
    cw_u128 r;
    cr_assert(cw_u128_try_mul_div_floor(CW_U128_MAX, CW_U128_MAX, CW_U128_MAX, &r) &&
              r == CW_U128_MAX);
    cr_assert(cw_u128_try_mul_div_ceil(CW_U128_MAX, 3, 3, &r) && r == CW_U128_MAX);
    cr_assert(!cw_u128_try_mul_div_floor(CW_U128_MAX, 3, 2, &r));
    cr_assert(cw_u128_try_mul_div_floor(CW_U128_MAX, CW_U128_MAX - 1, CW_U128_MAX, &r) &&
              r == CW_U128_MAX - 1);
    /* (2^128-1)(2^128-2)/(2^128-1) is exact; (2^128-1)*2^127 / (2^127 - 1) overflows. */
    cr_assert(
        !cw_u128_try_mul_div_ceil(CW_U128_MAX, (cw_u128)1 << 127, ((cw_u128)1 << 127) - 1, &r));
    cr_assert(cw_u128_mul_div_floor(5, 99, 100) == 4);
    cr_assert(cw_u128_mul_div_ceil(5, 99, 100) == 5);
    mpz_clears(za, zb, zc, wf, wc, NULL);
}

/* --- Uint128 text --------------------------------------------------------------------------- */

static void expect_u128_parse(const char *text, cw_u128 want) {
    cw_u128 got = 12345;
    cw_error *e = cw_u128_parse(S(text), &got);
    cr_assert_null(e, "'%s' rejected: %s", text, e ? e->msg : "");
    char a[48], b[48];
    cr_assert(got == want, "'%s' parsed as %s, expected %s", text, dec128(got, a), dec128(want, b));
}

static void expect_u128_reject(const char *text, size_t len, const char *msg) {
    cw_u128 got = 12345;
    cw_error *e = cw_u128_parse((cw_str){text, len}, &got);
    cr_assert_not_null(e, "'%.*s' accepted", (int)len, text);
    cr_assert_str_eq(e->msg, msg);
    cr_assert(got == 12345, "output written on error");
    cw_error_free(e);
}
#define REJECT128(lit, msg) expect_u128_reject((lit), sizeof(lit) - 1, (msg))

Test(uint, u128_parse_follows_rust) {
    expect_u128_parse("0", 0);
    expect_u128_parse("1", 1);
    expect_u128_parse("000000000000000000000000000000000000000000000000000123", 123);
    expect_u128_parse("+7", 7); /* Rust's from_str accepts a leading plus for unsigned types */
    expect_u128_parse("340282366920938463463374607431768211455", CW_U128_MAX);
    expect_u128_parse("0340282366920938463463374607431768211455", CW_U128_MAX);
    expect_u128_parse("18446744073709551616", (cw_u128)1 << 64);
    REJECT128("", "invalid Uint128 '' - cannot parse integer from empty string");
    REJECT128("+", "invalid Uint128 '+' - invalid digit found in string");
    REJECT128("-", "invalid Uint128 '-' - invalid digit found in string");
    REJECT128("-0", "invalid Uint128 '-0' - invalid digit found in string");
    REJECT128("-1", "invalid Uint128 '-1' - invalid digit found in string");
    REJECT128("++1", "invalid Uint128 '++1' - invalid digit found in string");
    REJECT128(" 1", "invalid Uint128 ' 1' - invalid digit found in string");
    REJECT128("1 ", "invalid Uint128 '1 ' - invalid digit found in string");
    REJECT128("1.0", "invalid Uint128 '1.0' - invalid digit found in string");
    REJECT128("0x10", "invalid Uint128 '0x10' - invalid digit found in string");
    REJECT128("1e3", "invalid Uint128 '1e3' - invalid digit found in string");
    REJECT128("12\0003", "invalid Uint128 '12\0003' - invalid digit found in string");
    REJECT128("340282366920938463463374607431768211456",
              "invalid Uint128 '340282366920938463463374607431768211456' - number too large to "
              "fit in target type");
    REJECT128("999999999999999999999999999999999999999999",
              "invalid Uint128 '999999999999999999999999999999999999999999' - number too large "
              "to fit in target type");
    /* Rust checks each character for a digit before checking for overflow. */
    REJECT128("34028236692093846346337460743176821145x",
              "invalid Uint128 '34028236692093846346337460743176821145x' - invalid digit found "
              "in string");
    REJECT128("3402823669209384634633746074317682114560x",
              "invalid Uint128 '3402823669209384634633746074317682114560x' - number too large "
              "to fit in target type");
    cr_assert_str_eq(cw_parse_strerror(CW_PARSE_OVERFLOW),
                     "number too large to fit in target type");
}

Test(uint, u64_parse_follows_rust) {
    uint64_t v = 0;
    cr_assert_eq(cw_u64_from_dec(S("18446744073709551615"), &v), CW_PARSE_OK);
    cr_assert_eq(v, UINT64_MAX);
    cr_assert_eq(cw_u64_from_dec(S("+0042"), &v), CW_PARSE_OK);
    cr_assert_eq(v, 42);
    cr_assert_eq(cw_u64_from_dec(S("18446744073709551616"), &v), CW_PARSE_OVERFLOW);
    cr_assert_eq(cw_u64_from_dec(S("18446744073709551616x"), &v), CW_PARSE_OVERFLOW);
    cr_assert_eq(cw_u64_from_dec(S("1844674407370955161x"), &v), CW_PARSE_INVALID_DIGIT);
    cr_assert_eq(cw_u64_from_dec(S(""), &v), CW_PARSE_EMPTY);
    cr_assert_eq(cw_u64_from_dec(S("+"), &v), CW_PARSE_INVALID_DIGIT);
}

Test(uint, u128_format_roundtrip_matches_gmp) {
    init_boundaries();
    rng_state = 4;
    mpz_t z;
    mpz_init(z);
    char buf[48], ref[64];
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_u128 v = rnd_u128();
        size_t n = cw_u128_to_dec(v, buf);
        buf[n] = '\0';
        z_u128(z, v);
        mpz_get_str(ref, 10, z);
        cr_assert_str_eq(buf, ref);
        cw_u128 back = 0;
        cr_assert_eq(cw_u128_from_dec((cw_str){buf, n}, &back), CW_PARSE_OK);
        cr_assert(back == v);
    }
    mpz_clear(z);
}

/* --- Uint256 -------------------------------------------------------------------------------- */

static void check_u256_pair(cw_u256 a, cw_u256 b, mpz_t za, mpz_t zb, mpz_t w, mpz_t w2) {
    cw_u256 r = cw_u256_zero(), q, m;
    bool ok;
    z_u256(za, a);
    z_u256(zb, b);

    cr_assert_eq(cw_u256_cmp(a, b), (mpz_cmp(za, zb) > 0) - (mpz_cmp(za, zb) < 0));

    mpz_add(w, za, zb);
    ok = cw_u256_try_add(a, b, &r);
    check256("u256 add", ok, r, w);
    if (ok) cr_assert(cw_u256_eq(cw_u256_add(a, b), r));
    cr_assert(cw_u256_eq(cw_u256_saturating_add(a, b), ok ? r : cw_u256_max()));

    mpz_sub(w, za, zb);
    ok = cw_u256_try_sub(a, b, &r);
    check256("u256 sub", ok, r, w);
    if (ok) cr_assert(cw_u256_eq(cw_u256_sub(a, b), r));
    cr_assert(cw_u256_eq(cw_u256_saturating_sub(a, b), ok ? r : cw_u256_zero()));

    mpz_mul(w, za, zb);
    ok = cw_u256_try_mul(a, b, &r);
    check256("u256 mul", ok, r, w);
    if (ok) cr_assert(cw_u256_eq(cw_u256_mul(a, b), r));

    if (cw_u256_is_zero(b)) {
        cr_assert(!cw_u256_try_divrem(a, b, &q, &m));
        cr_assert(!cw_u256_try_div(a, b, &q));
        cr_assert(!cw_u256_try_rem(a, b, &q));
    } else {
        mpz_fdiv_qr(w, w2, za, zb);
        cr_assert(cw_u256_try_divrem(a, b, &q, &m));
        check256("u256 div", true, q, w);
        check256("u256 rem", true, m, w2);
        cr_assert(cw_u256_eq(cw_u256_div(a, b), q));
        cr_assert(cw_u256_eq(cw_u256_rem(a, b), m));
    }

    /* Shifts by a random amount (bits shifted out are lost). */
    unsigned s = (unsigned)(b.limb[0] % 256);
    mpz_mul_2exp(w, za, s);
    mpz_fdiv_r_2exp(w, w, 256);
    check256("u256 shl", true, cw_u256_shl(a, s), w);
    mpz_fdiv_q_2exp(w, za, s);
    check256("u256 shr", true, cw_u256_shr(a, s), w);
}

Test(uint, u256_random_match_gmp) {
    init_boundaries();
    rng_state = 5;
    mpz_t za, zb, w, w2;
    mpz_inits(za, zb, w, w2, NULL);
    for (int i = 0; i < RANDOM_ROUNDS; i++) check_u256_pair(rnd_u256(), rnd_u256(), za, zb, w, w2);
    /* Divisions where the divisor is just below the dividend's scale (qhat corrections). */
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_u256 b = rnd_u256();
        cw_u256 q = cw_u256_from_u64(rnd() >> (rnd() % 64)), a;
        if (!cw_u256_try_mul(b, q, &a)) continue;
        cw_u256 extra = cw_u256_from_u64(rnd() % 3);
        if (!cw_u256_try_add(a, extra, &a)) continue;
        check_u256_pair(a, b, za, zb, w, w2);
        if (cw_u256_try_sub(a, cw_u256_from_u64(rnd() % 3), &a))
            check_u256_pair(a, b, za, zb, w, w2);
    }
    cw_u256 edges[] = {cw_u256_zero(),
                       cw_u256_one(),
                       cw_u256_max(),
                       cw_u256_from_u128(CW_U128_MAX),
                       cw_u256_from_u64(UINT64_MAX),
                       {{0, 0, 0, 1}},
                       {{0, 0, 0, 0x8000000000000000ull}},
                       {{0, 0, 0x80000000ull, 0}},
                       {{1, 0, 0x8000000000000000ull, 0}},
                       {{0, 0x8000000000000000ull, 0x7fffffffffffffffull, 0}},
                       {{UINT64_MAX, UINT64_MAX, UINT64_MAX, 0}},
                       cw_decimal27_fractional()};
    size_t ne = sizeof edges / sizeof *edges;
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < ne; j++) check_u256_pair(edges[i], edges[j], za, zb, w, w2);
    mpz_clears(za, zb, w, w2, NULL);
}

Test(uint, u256_full_mul_and_mul_div_match_gmp) {
    init_boundaries();
    rng_state = 6;
    mpz_t za, zb, zc, w, wc;
    mpz_inits(za, zb, zc, w, wc, NULL);
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_u128 x = rnd_u128(), y = rnd_u128();
        z_u128(za, x);
        z_u128(zb, y);
        mpz_mul(w, za, zb);
        check256("full_mul", true, cw_u128_full_mul(x, y), w);

        cw_u256 a = rnd_u256(), b = rnd_u256(), c = rnd_u256(), f, g;
        z_u256(za, a);
        z_u256(zb, b);
        z_u256(zc, c);
        bool okf = cw_u256_try_mul_div(a, b, c, CW_ROUND_FLOOR, &f);
        bool okc = cw_u256_try_mul_div(a, b, c, CW_ROUND_CEIL, &g);
        if (cw_u256_is_zero(c)) {
            cr_assert(!okf && !okc);
            continue;
        }
        mpz_mul(w, za, zb);
        mpz_cdiv_q(wc, w, zc);
        mpz_fdiv_q(w, w, zc);
        check256("u256 mul_div floor", okf, f, w);
        check256("u256 mul_div ceil", okc, g, wc);
        if (okf) cr_assert(cw_u256_eq(cw_u256_mul_div(a, b, c, CW_ROUND_FLOOR), f));
        if (okc) cr_assert(cw_u256_eq(cw_u256_mul_div(a, b, c, CW_ROUND_CEIL), g));
    }
    mpz_clears(za, zb, zc, w, wc, NULL);
}

Test(uint, u256_text_roundtrip_matches_gmp) {
    init_boundaries();
    rng_state = 7;
    mpz_t z;
    mpz_init(z);
    char buf[CW_U256_DEC_MAX], ref[100];
    for (int i = 0; i < RANDOM_ROUNDS; i++) {
        cw_u256 v = rnd_u256();
        size_t n = cw_u256_to_dec(v, buf);
        z_u256(z, v);
        mpz_get_str(ref, 10, z);
        cr_assert_str_eq(buf, ref);
        cr_assert_eq(n, strlen(ref));
        cw_u256 back;
        cr_assert_eq(cw_u256_from_dec((cw_str){buf, n}, &back), CW_PARSE_OK);
        cr_assert(cw_u256_eq(back, v));
    }
    cr_assert_eq(cw_u256_to_dec(cw_u256_max(), buf), 78);
    cr_assert_str_eq(
        buf, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    cw_u256_to_dec(cw_u256_from_u64(1000000000), buf);
    cr_assert_str_eq(buf, "1000000000");
    cw_u256 v;
    cr_assert_eq(cw_u256_from_dec(S("115792089237316195423570985008687907853269984665640564039457"
                                    "584007913129639936"),
                                  &v),
                 CW_PARSE_OVERFLOW);
    cr_assert_eq(cw_u256_from_dec(S("+0012"), &v), CW_PARSE_OK);
    cr_assert(cw_u256_eq(v, cw_u256_from_u64(12)));
    cw_error *e = cw_u256_parse(S("1_000"), &v);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->msg, "invalid Uint256 '1_000' - invalid digit found in string");
    cw_error_free(e);
    e = cw_u256_parse(S(""), &v);
    cr_assert_str_eq(e->msg, "invalid Uint256 '' - cannot parse integer from empty string");
    cw_error_free(e);
    mpz_clear(z);
}

Test(uint, u256_conversions) {
    cw_u128 r;
    cr_assert(cw_u256_try_to_u128(cw_u256_from_u128(CW_U128_MAX), &r) && r == CW_U128_MAX);
    cr_assert(!cw_u256_try_to_u128((cw_u256){{0, 0, 1, 0}}, &r));
    cr_assert(cw_u256_to_u128(cw_u256_from_u64(42)) == 42);
    cr_assert(cw_u256_eq(cw_u256_shl(cw_u256_one(), 255), (cw_u256){{0, 0, 0, 1ull << 63}}));
    cr_assert(cw_u256_eq(cw_u256_shr(cw_u256_max(), 255), cw_u256_one()));
    cr_assert(cw_u256_eq(cw_u256_shl(cw_u256_max(), 0), cw_u256_max()));
}

/* --- Abort messages ------------------------------------------------------------------------- */

static struct {
    cw_u128 a, b, c;
    cw_u256 x, y, z;
    unsigned n;
} g;
static volatile cw_u128 sink128;
static volatile uint64_t sink64;

static void do_add(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_add(g.a, g.b);
}
static void do_sub(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_sub(g.a, g.b);
}
static void do_mul(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_mul(g.a, g.b);
}
static void do_div(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_div(g.a, g.b);
}
static void do_rem(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_rem(g.a, g.b);
}
static void do_pow(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_pow(g.a, (uint32_t)g.b);
}
static void do_mul_div_floor(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_mul_div_floor(g.a, g.b, g.c);
}
static void do_mul_div_ceil(void *ctx) {
    (void)ctx;
    sink128 = cw_u128_mul_div_ceil(g.a, g.b, g.c);
}
static void do_u256_add(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_add(g.x, g.y).limb[0];
}
static void do_u256_sub(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_sub(g.x, g.y).limb[0];
}
static void do_u256_mul(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_mul(g.x, g.y).limb[0];
}
static void do_u256_div(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_div(g.x, g.y).limb[0];
}
static void do_u256_rem(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_rem(g.x, g.y).limb[0];
}
static void do_u256_shl(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_shl(g.x, g.n).limb[0];
}
static void do_u256_shr(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_shr(g.x, g.n).limb[0];
}
static void do_u256_to_u128(void *ctx) {
    (void)ctx;
    sink128 = cw_u256_to_u128(g.x);
}
static void do_u256_mul_div(void *ctx) {
    (void)ctx;
    sink64 = cw_u256_mul_div(g.x, g.y, g.z, CW_ROUND_CEIL).limb[0];
}

static void expect_abort(void (*fn)(void *), const char *want) {
    char *msg = cw_mock_catch_abort(fn, NULL);
    cr_assert_not_null(msg, "expected abort \"%s\"", want);
    cr_assert_str_eq(msg, want);
    free(msg);
}

Test(uint, u128_abort_messages) {
    g.a = CW_U128_MAX, g.b = 1;
    expect_abort(do_add, "Overflow: Cannot Add with 340282366920938463463374607431768211455 and 1");
    g.a = 1, g.b = 2;
    expect_abort(do_sub, "Overflow: Cannot Sub with 1 and 2");
    g.a = (cw_u128)1 << 64, g.b = (cw_u128)1 << 64;
    expect_abort(do_mul, "Overflow: Cannot Mul with 18446744073709551616 and 18446744073709551616");
    g.a = 5, g.b = 0;
    expect_abort(do_div, "Divide by zero: Cannot divide 5 by zero");
    expect_abort(do_rem, "Divide by zero: Cannot divide 5 by zero");
    g.a = 2, g.b = 128;
    expect_abort(do_pow, "Overflow: Cannot Pow with 2 and 128");
    g.a = 7, g.b = 3, g.c = 0;
    expect_abort(do_mul_div_floor, "Divide by zero: Cannot divide 7 * 3 by zero");
    expect_abort(do_mul_div_ceil, "Divide by zero: Cannot divide 7 * 3 by zero");
    g.a = CW_U128_MAX, g.b = 3, g.c = 2;
    expect_abort(do_mul_div_floor,
                 "Overflow: Cannot MulDiv with 340282366920938463463374607431768211455, 3 and 2");
    /* Ceil overflows where floor does not: (2^128 - 1) * 2 / 2 + nothing, vs an inexact max. */
    g.a = CW_U128_MAX, g.b = CW_U128_MAX, g.c = CW_U128_MAX - 1;
    expect_abort(do_mul_div_ceil,
                 "Overflow: Cannot MulDiv with 340282366920938463463374607431768211455, "
                 "340282366920938463463374607431768211455 and "
                 "340282366920938463463374607431768211454");
    /* and nothing aborts on the valid side of each boundary */
    g.a = CW_U128_MAX - 1, g.b = 1;
    cr_assert_null(cw_mock_catch_abort(do_add, NULL));
    g.a = 2, g.b = 2;
    cr_assert_null(cw_mock_catch_abort(do_sub, NULL));
}

Test(uint, u256_abort_messages) {
    g.x = cw_u256_max(), g.y = cw_u256_one();
    expect_abort(do_u256_add, "Overflow: Cannot Add with "
                              "115792089237316195423570985008687907853269984665640564039457584007"
                              "913129639935 and 1");
    g.x = cw_u256_one(), g.y = cw_u256_from_u64(2);
    expect_abort(do_u256_sub, "Overflow: Cannot Sub with 1 and 2");
    g.x = (cw_u256){{0, 0, 1, 0}}, g.y = (cw_u256){{0, 0, 1, 0}};
    expect_abort(do_u256_mul, "Overflow: Cannot Mul with 340282366920938463463374607431768211456 "
                              "and 340282366920938463463374607431768211456");
    g.x = cw_u256_from_u64(5), g.y = cw_u256_zero();
    expect_abort(do_u256_div, "Divide by zero: Cannot divide 5 by zero");
    expect_abort(do_u256_rem, "Divide by zero: Cannot divide 5 by zero");
    g.x = cw_u256_one(), g.n = 256;
    expect_abort(do_u256_shl, "Overflow: Cannot Shl with 1 and 256");
    expect_abort(do_u256_shr, "Overflow: Cannot Shr with 1 and 256");
    g.x = (cw_u256){{0, 0, 1, 0}};
    expect_abort(do_u256_to_u128,
                 "Overflow: Cannot convert 340282366920938463463374607431768211456 to Uint128");
    g.x = cw_u256_max(), g.y = cw_u256_from_u64(2), g.z = cw_u256_from_u64(1);
    expect_abort(do_u256_mul_div, "Overflow: Cannot MulDiv with "
                                  "1157920892373161954235709850086879078532699846656405640394575"
                                  "84007913129639935, 2 and 1");
    g.z = cw_u256_zero();
    expect_abort(do_u256_mul_div, "Divide by zero: Cannot divide "
                                  "1157920892373161954235709850086879078532699846656405640394575"
                                  "84007913129639935 * 2 by zero");
}

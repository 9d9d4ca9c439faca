/* Checked integer and fixed-point arithmetic for contracts: Uint128, Uint256, Decimal (18
 * fractional digits, cosmwasm_std::Decimal) and Decimal27 (27 digits, for per-second rates).
 * Implementation: sdk/src/cw_uint.c, cw_u256.c, cw_decimal.c, cw_decimal27.c. Integer only. */
#ifndef CW_MATH_H
#define CW_MATH_H

#include "cw_base.h"

/* Conventions for the whole header
 *
 * - Plain functions (cw_u128_add, cw_decimal_mul_floor, ...) abort the call through cw_abort
 *   on overflow, underflow or division by zero: these are bugs or impossible states in a
 *   contract, and the transaction must fail. Messages follow cosmwasm-std 1.x's StdError
 *   texts with the operands written out in decimal:
 *       "Overflow: Cannot Add with 340282366920938463463374607431768211455 and 1"
 *       "Overflow: Cannot Sub with 1 and 2"
 *       "Divide by zero: Cannot divide 5 by zero"
 *   Decimal operands are written like cw_decimal_to_str ("Overflow: Cannot Mul with 1.5 and
 *   340282366920938463463"). The operation names used are Add, Sub, Mul, Div, Pow, Shl, Shr,
 *   MulDiv (three operands: "Overflow: Cannot MulDiv with A, B and C") and FromRatio.
 * - cw_*_try_* variants never abort: they return false (and leave *out untouched) where the
 *   plain function would abort. Their result must be checked.
 * - Rounding is never implicit. Every operation that can lose precision exists as _floor
 *   (towards zero) and _ceil (away from zero) and the caller picks per the rounding policy
 *   (ARCHITECTURE.md §5: debt and fees round up, collateral value and payouts round down).
 *   When the exact result is representable, floor and ceil return the same value;
 *   otherwise ceil = floor + 1 atomic unit.
 * - Parsing returns a cw_error (NULL on success, caller owns the error) because its input
 *   comes from users. Texts match cosmwasm-std's serde messages, see each parser. */

#define CW_MATH_MUST_USE __attribute__((warn_unused_result))

/* Rounding direction for functions that take it as a parameter. */
typedef enum cw_rounding { CW_ROUND_FLOOR = 0, CW_ROUND_CEIL = 1 } cw_rounding;

/* Result of the low-level decimal integer parsers (Rust's ParseIntError kinds). */
typedef enum cw_parse_status {
    CW_PARSE_OK = 0,
    CW_PARSE_EMPTY,         /* "cannot parse integer from empty string" */
    CW_PARSE_INVALID_DIGIT, /* "invalid digit found in string" */
    CW_PARSE_OVERFLOW       /* "number too large to fit in target type" */
} cw_parse_status;

/* Rust's ParseIntError text for a status (static string; "" for CW_PARSE_OK). */
const char *cw_parse_strerror(cw_parse_status status);

/* ===========================================================================================
 * Uint128 (cw_u128 from cw_base.h)
 * =========================================================================================== */

#define CW_U128_MAX (~(cw_u128)0)

/* Checked arithmetic; aborts as described at the top ("Overflow: Cannot Add with a and b",
 * "... Sub ...", "... Mul ...", "... Pow with base and exp", "Divide by zero: Cannot divide
 * a by zero"). div and rem truncate (floor for unsigned values). */
cw_u128 cw_u128_add(cw_u128 a, cw_u128 b);
cw_u128 cw_u128_sub(cw_u128 a, cw_u128 b);
cw_u128 cw_u128_mul(cw_u128 a, cw_u128 b);
cw_u128 cw_u128_div(cw_u128 a, cw_u128 b);
cw_u128 cw_u128_rem(cw_u128 a, cw_u128 b);
cw_u128 cw_u128_pow(cw_u128 base, uint32_t exp); /* 0^0 = 1 */

/* Non-aborting variants: false on overflow/underflow/division by zero. */
CW_MATH_MUST_USE bool cw_u128_try_add(cw_u128 a, cw_u128 b, cw_u128 *out);
CW_MATH_MUST_USE bool cw_u128_try_sub(cw_u128 a, cw_u128 b, cw_u128 *out);
CW_MATH_MUST_USE bool cw_u128_try_mul(cw_u128 a, cw_u128 b, cw_u128 *out);
CW_MATH_MUST_USE bool cw_u128_try_div(cw_u128 a, cw_u128 b, cw_u128 *out);
CW_MATH_MUST_USE bool cw_u128_try_rem(cw_u128 a, cw_u128 b, cw_u128 *out);
CW_MATH_MUST_USE bool cw_u128_try_pow(cw_u128 base, uint32_t exp, cw_u128 *out);

/* Saturating variants: clamp to 0 or CW_U128_MAX. */
cw_u128 cw_u128_saturating_add(cw_u128 a, cw_u128 b);
cw_u128 cw_u128_saturating_sub(cw_u128 a, cw_u128 b);
cw_u128 cw_u128_saturating_mul(cw_u128 a, cw_u128 b);

/* a * b / c with a 256-bit intermediate (never overflows in the product), rounded down or
 * up. Aborts when c == 0 ("Divide by zero: Cannot divide a * b by zero") or when the
 * rounded result exceeds CW_U128_MAX ("Overflow: Cannot MulDiv with a, b and c"). The
 * workhorse for prices and shares: e.g. shares = cw_u128_mul_div_floor(deposit,
 * total_shares, total_assets) pays out no more than is backed. */
cw_u128 cw_u128_mul_div_floor(cw_u128 a, cw_u128 b, cw_u128 c);
cw_u128 cw_u128_mul_div_ceil(cw_u128 a, cw_u128 b, cw_u128 c);
CW_MATH_MUST_USE bool cw_u128_try_mul_div_floor(cw_u128 a, cw_u128 b, cw_u128 c, cw_u128 *out);
CW_MATH_MUST_USE bool cw_u128_try_mul_div_ceil(cw_u128 a, cw_u128 b, cw_u128 c, cw_u128 *out);

/* Parse a decimal integer with Rust's u128::from_str rules (what serde uses for Uint128):
 * an optional leading '+', then one or more ASCII digits; leading zeros allowed; no
 * spaces, no '-', no other characters; values above CW_U128_MAX rejected. */
cw_parse_status cw_u128_from_dec(cw_str s, cw_u128 *out);
/* The same rules bounded by u64::MAX (Uint64, Timestamp nanoseconds). */
cw_parse_status cw_u64_from_dec(cw_str s, uint64_t *out);
/* The same, as a contract error with cosmwasm-std's deserializer text:
 *   "invalid Uint128 '<s>' - invalid digit found in string"
 *   "invalid Uint128 '' - cannot parse integer from empty string"
 *   "invalid Uint128 '<s>' - number too large to fit in target type"
 * Formatting: cw_u128_to_dec (cw_base.h) or %Q in cw_buf_printf. */
cw_error *cw_u128_parse(cw_str s, cw_u128 *out);

/* ===========================================================================================
 * Uint256: little-endian 64-bit limbs (limb[0] least significant)
 * =========================================================================================== */

typedef struct cw_u256 {
    uint64_t limb[4];
} cw_u256;

/* Longest decimal form of a Uint256 (78 digits) plus the terminating NUL. */
#define CW_U256_DEC_MAX 79

static inline cw_u256 cw_u256_zero(void) {
    return (cw_u256){{0, 0, 0, 0}};
}
static inline cw_u256 cw_u256_one(void) {
    return (cw_u256){{1, 0, 0, 0}};
}
static inline cw_u256 cw_u256_max(void) {
    return (cw_u256){{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
}
static inline cw_u256 cw_u256_from_u64(uint64_t v) {
    return (cw_u256){{v, 0, 0, 0}};
}
static inline cw_u256 cw_u256_from_u128(cw_u128 v) {
    return (cw_u256){{(uint64_t)v, (uint64_t)(v >> 64), 0, 0}};
}
static inline bool cw_u256_is_zero(cw_u256 a) {
    return (a.limb[0] | a.limb[1] | a.limb[2] | a.limb[3]) == 0;
}
/* True when a fits in 128 bits. */
static inline bool cw_u256_fits_u128(cw_u256 a) {
    return (a.limb[2] | a.limb[3]) == 0;
}
/* Narrowing: aborts with "Overflow: Cannot convert <a> to Uint128" when a does not fit. */
cw_u128 cw_u256_to_u128(cw_u256 a);
CW_MATH_MUST_USE bool cw_u256_try_to_u128(cw_u256 a, cw_u128 *out);

/* -1, 0 or 1 as a <, ==, > b. */
int cw_u256_cmp(cw_u256 a, cw_u256 b);
static inline bool cw_u256_eq(cw_u256 a, cw_u256 b) {
    return cw_u256_cmp(a, b) == 0;
}
static inline bool cw_u256_lt(cw_u256 a, cw_u256 b) {
    return cw_u256_cmp(a, b) < 0;
}
static inline bool cw_u256_le(cw_u256 a, cw_u256 b) {
    return cw_u256_cmp(a, b) <= 0;
}

/* Checked arithmetic with the same messages as Uint128 (operands in decimal). */
cw_u256 cw_u256_add(cw_u256 a, cw_u256 b);
cw_u256 cw_u256_sub(cw_u256 a, cw_u256 b);
cw_u256 cw_u256_mul(cw_u256 a, cw_u256 b);
cw_u256 cw_u256_div(cw_u256 a, cw_u256 b);
cw_u256 cw_u256_rem(cw_u256 a, cw_u256 b);
CW_MATH_MUST_USE bool cw_u256_try_add(cw_u256 a, cw_u256 b, cw_u256 *out);
CW_MATH_MUST_USE bool cw_u256_try_sub(cw_u256 a, cw_u256 b, cw_u256 *out);
CW_MATH_MUST_USE bool cw_u256_try_mul(cw_u256 a, cw_u256 b, cw_u256 *out);
CW_MATH_MUST_USE bool cw_u256_try_div(cw_u256 a, cw_u256 b, cw_u256 *out);
CW_MATH_MUST_USE bool cw_u256_try_rem(cw_u256 a, cw_u256 b, cw_u256 *out);
/* Quotient and remainder in one division (either pointer may be NULL); false if b == 0. */
CW_MATH_MUST_USE bool cw_u256_try_divrem(cw_u256 a, cw_u256 b, cw_u256 *quot, cw_u256 *rem);

cw_u256 cw_u256_saturating_add(cw_u256 a, cw_u256 b);
cw_u256 cw_u256_saturating_sub(cw_u256 a, cw_u256 b);

/* Shifts by 0..255 bits; bits shifted out are lost (as Rust's checked_shl/shr). A shift of
 * 256 or more aborts: "Overflow: Cannot Shl with <a> and <n>" (Shr likewise). */
cw_u256 cw_u256_shl(cw_u256 a, unsigned n);
cw_u256 cw_u256_shr(cw_u256 a, unsigned n);

/* Full 128 x 128 -> 256-bit product (never overflows). */
cw_u256 cw_u128_full_mul(cw_u128 a, cw_u128 b);

/* a * b / c with a 512-bit intermediate, rounded as asked. false if c == 0 or the result
 * exceeds 256 bits. The aborting form says "Overflow: Cannot MulDiv with a, b and c" or
 * "Divide by zero: Cannot divide a * b by zero". */
CW_MATH_MUST_USE bool cw_u256_try_mul_div(cw_u256 a, cw_u256 b, cw_u256 c, cw_rounding rounding,
                                          cw_u256 *out);
cw_u256 cw_u256_mul_div(cw_u256 a, cw_u256 b, cw_u256 c, cw_rounding rounding);

/* Decimal text: same rules and messages as Uint128 ("invalid Uint256 '<s>' - ..."). */
cw_parse_status cw_u256_from_dec(cw_str s, cw_u256 *out);
cw_error *cw_u256_parse(cw_str s, cw_u256 *out);
/* Writes the decimal form and a NUL into out (at least CW_U256_DEC_MAX bytes); returns the
 * length without the NUL. */
size_t cw_u256_to_dec(cw_u256 v, char *out);

/* ===========================================================================================
 * Decimal: cosmwasm_std::Decimal, value = atomics / 10^18
 * =========================================================================================== */

typedef struct cw_decimal {
    cw_u128 atomics;
} cw_decimal;

#define CW_DECIMAL_PLACES 18
#define CW_DECIMAL_FRACTIONAL ((cw_u128)1000000000000000000ull) /* 10^18 */
/* Longest text form ("340282366920938463463.374607431768211455") plus the NUL. */
#define CW_DECIMAL_STR_MAX 41

static inline cw_decimal cw_decimal_raw(cw_u128 atomics) {
    return (cw_decimal){atomics};
}
static inline cw_decimal cw_decimal_zero(void) {
    return (cw_decimal){0};
}
static inline cw_decimal cw_decimal_one(void) {
    return (cw_decimal){CW_DECIMAL_FRACTIONAL};
}
static inline cw_decimal cw_decimal_max(void) {
    return (cw_decimal){CW_U128_MAX};
}
/* x % and x ‰ (exact; x up to 2^64-1 always fits). */
static inline cw_decimal cw_decimal_percent(uint64_t x) {
    return (cw_decimal){(cw_u128)x * 10000000000000000ull};
}
static inline cw_decimal cw_decimal_permille(uint64_t x) {
    return (cw_decimal){(cw_u128)x * 1000000000000000ull};
}
static inline bool cw_decimal_is_zero(cw_decimal d) {
    return d.atomics == 0;
}
static inline int cw_decimal_cmp(cw_decimal a, cw_decimal b) {
    return a.atomics < b.atomics ? -1 : a.atomics > b.atomics;
}
static inline bool cw_decimal_eq(cw_decimal a, cw_decimal b) {
    return a.atomics == b.atomics;
}
static inline bool cw_decimal_lt(cw_decimal a, cw_decimal b) {
    return a.atomics < b.atomics;
}
static inline bool cw_decimal_le(cw_decimal a, cw_decimal b) {
    return a.atomics <= b.atomics;
}
static inline bool cw_decimal_gt(cw_decimal a, cw_decimal b) {
    return a.atomics > b.atomics;
}
static inline bool cw_decimal_ge(cw_decimal a, cw_decimal b) {
    return a.atomics >= b.atomics;
}
static inline cw_decimal cw_decimal_min(cw_decimal a, cw_decimal b) {
    return a.atomics <= b.atomics ? a : b;
}
static inline cw_decimal cw_decimal_max_of(cw_decimal a, cw_decimal b) {
    return a.atomics >= b.atomics ? a : b;
}

/* The integer `whole` as a Decimal (exact). Aborts "Overflow: Cannot Mul with <whole> and
 * 1000000000000000000" above 340282366920938463463. */
cw_decimal cw_decimal_from_uint(cw_u128 whole);
CW_MATH_MUST_USE bool cw_decimal_try_from_uint(cw_u128 whole, cw_decimal *out);
/* Integer part (floor) and smallest integer >= d (ceil). */
cw_u128 cw_decimal_to_uint_floor(cw_decimal d);
cw_u128 cw_decimal_to_uint_ceil(cw_decimal d);

/* Parse with cosmwasm-std's Decimal::from_str rules, byte for byte: split at '.', the whole
 * part and the optional fractional part each parsed as a Uint128 (so "+" prefixes pass, as
 * in Rust: "+1.+5" = 1.05); at most 18 fractional digits (even zeros); at most one dot.
 * Accepted: "1", "1.5", "000012", "1.123000000", "0.000000000000000001".
 * Rejected, with the deserializer's message "Error parsing decimal '<s>': Generic error: X":
 *   X = "Error parsing whole"       ("", ".5", "-1", " 1", "a")
 *   X = "Error parsing fractional"  ("1.", "1.a", "1. 5")
 *   X = "Cannot parse more than 18 fractional digits"  ("0.0000000000000000001")
 *   X = "Value too big"             (above 340282366920938463463.374607431768211455)
 *   X = "Unexpected number of dots" ("1.2.3")
 * Errors are checked in this order, as cosmwasm does. */
cw_error *cw_decimal_parse(cw_str s, cw_decimal *out);
/* Text form exactly as cosmwasm's Display: no trailing fractional zeros, no dot for whole
 * values ("0", "1", "1.5", "0.000000000000000001"). Writes a NUL; out must hold
 * CW_DECIMAL_STR_MAX bytes. Returns the length without the NUL. */
size_t cw_decimal_to_str(cw_decimal d, char *out);
/* Append the text form to a buffer. */
void cw_decimal_write(cw_buf *b, cw_decimal d);

/* numerator / denominator as a Decimal. Aborts "Divide by zero: Cannot divide <n> by zero"
 * or "Overflow: Cannot FromRatio with <n> and <d>". */
cw_decimal cw_decimal_from_ratio_floor(cw_u128 numerator, cw_u128 denominator);
cw_decimal cw_decimal_from_ratio_ceil(cw_u128 numerator, cw_u128 denominator);
CW_MATH_MUST_USE bool cw_decimal_try_from_ratio_floor(cw_u128 n, cw_u128 d, cw_decimal *out);
CW_MATH_MUST_USE bool cw_decimal_try_from_ratio_ceil(cw_u128 n, cw_u128 d, cw_decimal *out);

/* Exact sums and differences ("Overflow: Cannot Add with 1.5 and ..."). */
cw_decimal cw_decimal_add(cw_decimal a, cw_decimal b);
cw_decimal cw_decimal_sub(cw_decimal a, cw_decimal b);
CW_MATH_MUST_USE bool cw_decimal_try_add(cw_decimal a, cw_decimal b, cw_decimal *out);
CW_MATH_MUST_USE bool cw_decimal_try_sub(cw_decimal a, cw_decimal b, cw_decimal *out);

/* a * b and a / b, rounded down or up to the 18th digit. Aborts "Overflow: Cannot Mul with
 * a and b", "Overflow: Cannot Div with a and b", "Divide by zero: Cannot divide a by zero". */
cw_decimal cw_decimal_mul_floor(cw_decimal a, cw_decimal b);
cw_decimal cw_decimal_mul_ceil(cw_decimal a, cw_decimal b);
cw_decimal cw_decimal_div_floor(cw_decimal a, cw_decimal b);
cw_decimal cw_decimal_div_ceil(cw_decimal a, cw_decimal b);
CW_MATH_MUST_USE bool cw_decimal_try_mul_floor(cw_decimal a, cw_decimal b, cw_decimal *out);
CW_MATH_MUST_USE bool cw_decimal_try_mul_ceil(cw_decimal a, cw_decimal b, cw_decimal *out);
CW_MATH_MUST_USE bool cw_decimal_try_div_floor(cw_decimal a, cw_decimal b, cw_decimal *out);
CW_MATH_MUST_USE bool cw_decimal_try_div_ceil(cw_decimal a, cw_decimal b, cw_decimal *out);

/* amount * d as an integer, rounded down (payouts, collateral value) or up (debt, fees).
 * Aborts "Overflow: Cannot Mul with <amount> and <d>". */
cw_u128 cw_decimal_mul_uint_floor(cw_u128 amount, cw_decimal d);
cw_u128 cw_decimal_mul_uint_ceil(cw_u128 amount, cw_decimal d);
CW_MATH_MUST_USE bool cw_decimal_try_mul_uint_floor(cw_u128 amount, cw_decimal d, cw_u128 *out);
CW_MATH_MUST_USE bool cw_decimal_try_mul_uint_ceil(cw_u128 amount, cw_decimal d, cw_u128 *out);

/* amount / d as an integer, rounded down or up. Aborts "Divide by zero: Cannot divide
 * <amount> by zero" or "Overflow: Cannot Div with <amount> and <d>". */
cw_u128 cw_uint_div_decimal_floor(cw_u128 amount, cw_decimal d);
cw_u128 cw_uint_div_decimal_ceil(cw_u128 amount, cw_decimal d);
CW_MATH_MUST_USE bool cw_uint_try_div_decimal_floor(cw_u128 amount, cw_decimal d, cw_u128 *out);
CW_MATH_MUST_USE bool cw_uint_try_div_decimal_ceil(cw_u128 amount, cw_decimal d, cw_u128 *out);

/* ===========================================================================================
 * Decimal27: value = atomics / 10^27 (a "ray"), for per-second rates and rate accumulators
 * =========================================================================================== */

/* Stability-fee accounting with these functions (fees and debt round up):
 *
 *     cw_decimal27 rate; // per-second factor, from governance's annual factor (e.g. 1.05)
 *     CW_TRY(cw_decimal27_rate_per_period(annual, CW_SECONDS_PER_YEAR, CW_ROUND_CEIL, &rate));
 *     // on each update, dt seconds after the previous one:
 *     accumulator = cw_decimal27_mul_ceil(accumulator, cw_decimal27_pow(rate, dt, CW_ROUND_CEIL));
 *     // a position's debt, from its normalised debt (debt / accumulator at borrow time):
 *     cw_u128 debt = cw_decimal27_mul_uint_ceil(normalised_debt, accumulator);
 *
 * Over a year at 1.05 this accrues 1.05 * (1 + 4.5e-20) (tests/test_decimal.c). */
typedef struct cw_decimal27 {
    cw_u256 atomics;
} cw_decimal27;

#define CW_DECIMAL27_PLACES 27
/* Longest text form (78 digits, a dot, NUL). */
#define CW_DECIMAL27_STR_MAX 80
#define CW_SECONDS_PER_YEAR 31536000u /* 365 days */

/* 10^27 as a Uint256. */
static inline cw_u256 cw_decimal27_fractional(void) {
    return (cw_u256){{0x9fd0803ce8000000ull, 0x33b2e3cull, 0, 0}}; /* 10^27 */
}
static inline cw_decimal27 cw_decimal27_raw(cw_u256 atomics) {
    return (cw_decimal27){atomics};
}
static inline cw_decimal27 cw_decimal27_zero(void) {
    return (cw_decimal27){cw_u256_zero()};
}
static inline cw_decimal27 cw_decimal27_one(void) {
    return (cw_decimal27){cw_decimal27_fractional()};
}
static inline bool cw_decimal27_is_zero(cw_decimal27 d) {
    return cw_u256_is_zero(d.atomics);
}
static inline int cw_decimal27_cmp(cw_decimal27 a, cw_decimal27 b) {
    return cw_u256_cmp(a.atomics, b.atomics);
}
static inline bool cw_decimal27_eq(cw_decimal27 a, cw_decimal27 b) {
    return cw_u256_cmp(a.atomics, b.atomics) == 0;
}
static inline bool cw_decimal27_lt(cw_decimal27 a, cw_decimal27 b) {
    return cw_u256_cmp(a.atomics, b.atomics) < 0;
}
static inline bool cw_decimal27_le(cw_decimal27 a, cw_decimal27 b) {
    return cw_u256_cmp(a.atomics, b.atomics) <= 0;
}

/* Exact widening from Decimal (atomics * 10^9; always fits). */
cw_decimal27 cw_decimal27_from_decimal(cw_decimal d);
/* Narrowing to 18 digits, rounded down or up. Aborts "Overflow: Cannot convert <d> to
 * Decimal" when the result exceeds Decimal's range. */
cw_decimal cw_decimal27_to_decimal_floor(cw_decimal27 d);
cw_decimal cw_decimal27_to_decimal_ceil(cw_decimal27 d);
CW_MATH_MUST_USE bool cw_decimal27_try_to_decimal_floor(cw_decimal27 d, cw_decimal *out);
CW_MATH_MUST_USE bool cw_decimal27_try_to_decimal_ceil(cw_decimal27 d, cw_decimal *out);
/* The integer `whole` (exact, always fits) and numerator / denominator (rounded; aborts
 * "Divide by zero: Cannot divide <n> by zero"). */
cw_decimal27 cw_decimal27_from_uint(cw_u128 whole);
cw_decimal27 cw_decimal27_from_ratio_floor(cw_u128 numerator, cw_u128 denominator);
cw_decimal27 cw_decimal27_from_ratio_ceil(cw_u128 numerator, cw_u128 denominator);

/* Same rules as cw_decimal_parse with 27 fractional digits and a Uint256 range; message
 * "Error parsing decimal27 '<s>': X" with X as for Decimal ("Cannot parse more than 27
 * fractional digits", ...). */
cw_error *cw_decimal27_parse(cw_str s, cw_decimal27 *out);
/* Text form in Decimal's style (trailing zeros trimmed); out holds CW_DECIMAL27_STR_MAX. */
size_t cw_decimal27_to_str(cw_decimal27 d, char *out);
void cw_decimal27_write(cw_buf *b, cw_decimal27 d);

/* Exact sums and differences; checked as for Decimal. */
cw_decimal27 cw_decimal27_add(cw_decimal27 a, cw_decimal27 b);
cw_decimal27 cw_decimal27_sub(cw_decimal27 a, cw_decimal27 b);
CW_MATH_MUST_USE bool cw_decimal27_try_add(cw_decimal27 a, cw_decimal27 b, cw_decimal27 *out);
CW_MATH_MUST_USE bool cw_decimal27_try_sub(cw_decimal27 a, cw_decimal27 b, cw_decimal27 *out);

/* a * b and a / b rounded down or up to the 27th digit (512-bit intermediates, so only the
 * final result can overflow). Messages as for Decimal. */
cw_decimal27 cw_decimal27_mul_floor(cw_decimal27 a, cw_decimal27 b);
cw_decimal27 cw_decimal27_mul_ceil(cw_decimal27 a, cw_decimal27 b);
cw_decimal27 cw_decimal27_div_floor(cw_decimal27 a, cw_decimal27 b);
cw_decimal27 cw_decimal27_div_ceil(cw_decimal27 a, cw_decimal27 b);
CW_MATH_MUST_USE bool cw_decimal27_try_mul(cw_decimal27 a, cw_decimal27 b, cw_rounding rounding,
                                           cw_decimal27 *out);
CW_MATH_MUST_USE bool cw_decimal27_try_div(cw_decimal27 a, cw_decimal27 b, cw_rounding rounding,
                                           cw_decimal27 *out);

/* amount * d and amount / d as integers, rounded down or up. E.g. a position's debt is
 * cw_decimal27_mul_uint_ceil(normalised_debt, accumulator); the normalised debt added for a
 * new borrow is cw_uint_div_decimal27_ceil(borrow, accumulator). Messages as for Decimal. */
cw_u128 cw_decimal27_mul_uint_floor(cw_u128 amount, cw_decimal27 d);
cw_u128 cw_decimal27_mul_uint_ceil(cw_u128 amount, cw_decimal27 d);
cw_u128 cw_uint_div_decimal27_floor(cw_u128 amount, cw_decimal27 d);
cw_u128 cw_uint_div_decimal27_ceil(cw_u128 amount, cw_decimal27 d);
CW_MATH_MUST_USE bool cw_decimal27_try_mul_uint(cw_u128 amount, cw_decimal27 d,
                                                cw_rounding rounding, cw_u128 *out);
CW_MATH_MUST_USE bool cw_uint_try_div_decimal27(cw_u128 amount, cw_decimal27 d,
                                                cw_rounding rounding, cw_u128 *out);

/* base^exponent by left-to-right binary exponentiation: ~log2(exponent) squarings and as
 * many multiplications by the exact base, each rounded as asked (x^0 = 1, 0^0 = 1).
 * Guarantees: with CW_ROUND_FLOOR the result is <= the exact power, with CW_ROUND_CEIL it
 * is >= (every step is monotone). Error bound: each step adds at most one unit in the 27th
 * digit and squaring doubles the error carried in, so
 *     |result - base^n| <= (n - 1) * max(1, base^n) * 10^-27   (to first order in n*10^-27);
 * for base >= 1 that is a relative error <= (n - 1) * 10^-27, e.g. <= 3.2e-20 for a year of
 * seconds. No intermediate exceeds max(1, result), so only a result beyond the Uint256
 * range overflows ("Overflow: Cannot Pow with <base> and <n>"). */
cw_decimal27 cw_decimal27_pow(cw_decimal27 base, uint64_t exponent, cw_rounding rounding);
CW_MATH_MUST_USE bool cw_decimal27_try_pow(cw_decimal27 base, uint64_t exponent,
                                           cw_rounding rounding, cw_decimal27 *out);

/* Per-period rate from a compounded factor: finds r with r^periods ~= factor (e.g. an annual
 * factor 1.05 and periods = CW_SECONDS_PER_YEAR give the per-second stability fee rate).
 *   CW_ROUND_CEIL:  the smallest r whose power, computed with cw_decimal27_pow(..., FLOOR),
 *                   is >= factor; so the exact r^periods >= factor (fees round up).
 *   CW_ROUND_FLOOR: the largest r whose power computed with CEIL is <= factor; so the exact
 *                   r^periods <= factor.
 * Both are within 2 units of the 27th digit of the exact directed root (1 in all tests), so
 * r^periods is within ~(2 * periods) * factor * 10^-27 of factor (measured for 1.05 per year
 * of seconds: the exact r^31536000 exceeds 1.05 by 3.0e-20 relative). Integer Newton
 * iteration from above plus an exact monotone fix-up: ~6 cw_decimal27_pow calls for 1.05,
 * ~10 for 2, ~100 for 100. Meant for configuration changes, not for every block.
 * Errors: "rate factor must be between 1 and 100, got <factor>", "rate periods must be
 * positive". */
cw_error *cw_decimal27_rate_per_period(cw_decimal27 factor, uint64_t periods, cw_rounding rounding,
                                       cw_decimal27 *out);

#endif

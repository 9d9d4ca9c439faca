/* units.h — exact conversion of the manifest's human units into the contracts' on-chain forms:
 * percentages and annual rates into Decimal (18 fractional digits), whole token amounts into
 * Uint128 base units, durations into seconds. Integer arithmetic only (no floating point).
 * Formats and bounds: deploy/MANIFEST.md §2. */
#ifndef DEP_UNITS_H
#define DEP_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 dep_u128;

/* Largest Uint128 (2^128 − 1) and the Decimal scale 10^18. */
#define DEP_U128_MAX (~(dep_u128)0)
#define DEP_DECIMAL_SCALE ((dep_u128)1000000000000000000ull)
/* Room for any Uint128 or Decimal text (39 digits, a point and NUL), and for error texts. */
#define DEP_NUM_CAP 48
#define DEP_UNIT_ERR_CAP 160

/* Result of a conversion: DEP_UNIT_OK, or the reason; the converters also write an English text
 * (the rule broken, without the field path) into err[DEP_UNIT_ERR_CAP]. */
typedef enum dep_unit_result {
    DEP_UNIT_OK = 0,
    DEP_UNIT_ERR_SYNTAX,    /* not a number of the expected form */
    DEP_UNIT_ERR_NEGATIVE,  /* a leading minus sign */
    DEP_UNIT_ERR_UNIT,      /* missing or wrong unit suffix */
    DEP_UNIT_ERR_PRECISION, /* more fractional digits than the on-chain form holds */
    DEP_UNIT_ERR_OVERFLOW   /* does not fit the on-chain integer */
} dep_unit_result;

/* A plain decimal text "12", "0.25" (digits, at most one point with digits on both sides; no
 * sign, exponent or spaces) as mantissa / 10^scale. Fails with SYNTAX, NEGATIVE or OVERFLOW
 * (mantissa above 2^128 − 1). */
dep_unit_result dep_parse_plain(const char *text, size_t len, dep_u128 *mantissa, unsigned *scale,
                                char *err);

/* "60%" → Decimal atomics 6·10^17 (value = atomics / 10^18). At most 16 fractional digits
 * before the percent sign. */
dep_unit_result dep_parse_percent(const char *text, dep_u128 *atomics, char *err);

/* "2.5%/yr" → Decimal atomics of the annual fraction (0.025). */
dep_unit_result dep_parse_annual_rate(const char *text, dep_u128 *atomics, char *err);

/* A plain decimal ratio "0.95" → Decimal atomics; at most 18 fractional digits. */
dep_unit_result dep_parse_ratio(const char *text, dep_u128 *atomics, char *err);

/* A token amount in whole units "1500.25" with `decimals` (0..18) → base units
 * (1500250000 for 6 decimals); at most `decimals` fractional digits; ≤ 2^128 − 1. */
dep_unit_result dep_parse_amount(const char *text, unsigned decimals, dep_u128 *base, char *err);

/* A duration "90s", "30m", "2h", "7d" (whole number and one unit) → seconds (≤ 2^64 − 1). */
dep_unit_result dep_parse_duration(const char *text, uint64_t *seconds, char *err);

/* Uint128 as its decimal text into out[DEP_NUM_CAP]; returns out. */
char *dep_u128_format(dep_u128 v, char *out);

/* Decimal atomics as cosmwasm_std::Decimal's text (no trailing zeros, no point for whole
 * numbers: "0.6", "1", "0.025") into out[DEP_NUM_CAP]; returns out. */
char *dep_decimal_format(dep_u128 atomics, char *out);

#endif

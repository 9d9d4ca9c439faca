/* hs_u128.h — unsigned 128-bit amounts as decimal text: CosmWasm Uint128 strings and 18-digit
 * Decimal strings, for host-sim, its keeper and the tools and tests built on it. */
#ifndef HS_U128_H
#define HS_U128_H

#include <stdbool.h>
#include <stddef.h>

/* Unsigned 128-bit amount (Uint128). */
__extension__ typedef unsigned __int128 hs_u128;

/* Buffer size for a u128 in decimal with its NUL (2^128-1 has 39 digits). */
#define HS_U128_DEC_CAP 40
/* Buffer size for a Decimal from hs_decimal_format with its NUL. */
#define HS_DECIMAL_CAP 64
/* Decimal atomics of 1 (10^18). */
#define HS_DECIMAL_ONE ((hs_u128)1000000000000000000ull)

/* Write v in decimal into out (capacity >= HS_U128_DEC_CAP); returns the length. */
size_t hs_u128_format(hs_u128 v, char *out);

/* Parse a Uint128 string (digits only, leading zeros allowed). False for NULL, empty, any
 * other character or a value above 2^128 - 1. */
bool hs_u128_from_text(const char *s, hs_u128 *out);

/* Parse a Decimal string ("9.75", "10", at most 18 fractional digits) into atomics (value ×
 * 10^18). False for anything else or a value that does not fit. */
bool hs_decimal_from_text(const char *s, hs_u128 *atomics);

/* Write atomics as a Decimal string without trailing zeros ("9.75", "10") into out (capacity
 * >= HS_DECIMAL_CAP); returns the length. */
size_t hs_decimal_format(hs_u128 atomics, char *out);

#endif /* HS_U128_H */

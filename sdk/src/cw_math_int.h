/* Private helpers shared by the arithmetic files (cw_uint.c, cw_u256.c, cw_decimal.c,
 * cw_decimal27.c): abort messages built on the stack. Not part of the SDK's public API. */
#ifndef CW_MATH_INT_H
#define CW_MATH_INT_H

#include "cw_math.h"

/* Abort with the concatenation of n NUL-terminated parts (cut at 511 bytes). */
_Noreturn void cw_math_abort_parts(const char *const *parts, size_t n);
/* "Overflow: Cannot <op> with <a> and <b>" */
_Noreturn void cw_math_abort_overflow(const char *op, const char *a, const char *b);
/* "Overflow: Cannot MulDiv with <a>, <b> and <c>" */
_Noreturn void cw_math_abort_mul_div(const char *a, const char *b, const char *c);
/* "Divide by zero: Cannot divide <a> by zero" */
_Noreturn void cw_math_abort_div_zero(const char *a);

/* Length of the decimal digits of v (no sign, at least "0") written by cw_u128_to_dec. */
#define CW_U128_DEC_MAX 40

#endif

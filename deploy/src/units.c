/* units.c — exact human-unit conversions for the deploy manifest (percentages, annual rates,
 * ratios, whole-unit token amounts, durations) with 128-bit integer arithmetic. See units.h. */
#include "units.h"

#include "hs_u128.h"

#include <stdio.h>
#include <string.h>

/* Texts in errors are quoted and cut to a readable length. */
#define QUOTE_MAX 60

static void quote(const char *text, char *out, size_t cap) {
    size_t n = strlen(text);
    if (n > QUOTE_MAX)
        snprintf(out, cap, "\"%.*s…\"", QUOTE_MAX, text);
    else
        snprintf(out, cap, "\"%s\"", text);
}

#define FAIL(code, ...)                                                                            \
    do {                                                                                           \
        snprintf(err, DEP_UNIT_ERR_CAP, __VA_ARGS__);                                              \
        return code;                                                                               \
    } while (0)

static bool mul_add(dep_u128 *v, dep_u128 mul, dep_u128 add) {
    if (*v > (DEP_U128_MAX - add) / mul) return false;
    *v = *v * mul + add;
    return true;
}

static dep_u128 pow10_u128(unsigned n) {
    dep_u128 p = 1;
    while (n--) p *= 10;
    return p;
}

dep_unit_result dep_parse_plain(const char *text, size_t len, dep_u128 *mantissa, unsigned *scale,
                                char *err) {
    char q[QUOTE_MAX + 8];
    char whole[QUOTE_MAX + 8];
    snprintf(whole, sizeof whole, "%.*s", (int)(len > QUOTE_MAX ? QUOTE_MAX : len), text);
    quote(whole, q, sizeof q);
    if (len > 0 && text[0] == '-') FAIL(DEP_UNIT_ERR_NEGATIVE, "%s is negative", q);
    dep_u128 v = 0;
    unsigned digits_before = 0, digits_after = 0;
    bool point = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9') FAIL(DEP_UNIT_ERR_SYNTAX, "%s is not a decimal number", q);
        if (point)
            digits_after++;
        else
            digits_before++;
        if (!mul_add(&v, 10, (dep_u128)(c - '0')))
            FAIL(DEP_UNIT_ERR_OVERFLOW, "%s has too many digits (above 2^128 - 1)", q);
    }
    if (digits_before == 0 || (point && digits_after == 0))
        FAIL(DEP_UNIT_ERR_SYNTAX, "%s is not a decimal number", q);
    *mantissa = v;
    *scale = digits_after;
    return DEP_UNIT_OK;
}

/* mantissa / 10^scale / 10^shift as Decimal atomics (18 digits), at most max_frac digits. */
static dep_unit_result to_atomics(const char *text, size_t len, unsigned shift, unsigned max_frac,
                                  const char *what, dep_u128 *atomics, char *err) {
    dep_u128 m;
    unsigned scale;
    dep_unit_result r = dep_parse_plain(text, len, &m, &scale, err);
    if (r) return r;
    char q[QUOTE_MAX + 8];
    quote(text, q, sizeof q);
    if (scale > max_frac)
        FAIL(DEP_UNIT_ERR_PRECISION, "%s has %u fractional digits (at most %u for %s)", q, scale,
             max_frac, what);
    dep_u128 p = pow10_u128(18 - scale - shift);
    if (m > DEP_U128_MAX / p) FAIL(DEP_UNIT_ERR_OVERFLOW, "%s overflows Decimal", q);
    *atomics = m * p;
    return DEP_UNIT_OK;
}

static dep_unit_result percent_with_suffix(const char *text, const char *suffix,
                                           const char *example, const char *what, dep_u128 *atomics,
                                           char *err) {
    size_t n = strlen(text), sn = strlen(suffix);
    char q[QUOTE_MAX + 8];
    quote(text, q, sizeof q);
    if (n > 0 && text[0] == '-') FAIL(DEP_UNIT_ERR_NEGATIVE, "%s is negative", q);
    if (n <= sn || strcmp(text + n - sn, suffix) != 0)
        FAIL(DEP_UNIT_ERR_UNIT, "%s must be %s like \"%s\"", q, what, example);
    char body[DEP_UNIT_ERR_CAP];
    dep_unit_result r = to_atomics(text, n - sn, 2, 16, what, atomics, body);
    if (r == DEP_UNIT_ERR_PRECISION || r == DEP_UNIT_ERR_OVERFLOW) {
        /* to_atomics quoted the number without its suffix: quote the whole text instead. */
        dep_u128 m;
        unsigned scale;
        (void)dep_parse_plain(text, n - sn, &m, &scale, body);
        if (r == DEP_UNIT_ERR_PRECISION)
            FAIL(r, "%s has %u fractional digits (at most 16 for %s)", q, scale, what);
        FAIL(r, "%s overflows Decimal", q);
    }
    if (r) FAIL(r, "%s must be %s like \"%s\"", q, what, example);
    return DEP_UNIT_OK;
}

dep_unit_result dep_parse_percent(const char *text, dep_u128 *atomics, char *err) {
    return percent_with_suffix(text, "%", "60%", "a percentage", atomics, err);
}

dep_unit_result dep_parse_annual_rate(const char *text, dep_u128 *atomics, char *err) {
    return percent_with_suffix(text, "%/yr", "2.5%/yr", "an annual rate", atomics, err);
}

dep_unit_result dep_parse_ratio(const char *text, dep_u128 *atomics, char *err) {
    char q[QUOTE_MAX + 8];
    quote(text, q, sizeof q);
    size_t n = strlen(text);
    if (n > 0 && text[n - 1] == '%')
        FAIL(DEP_UNIT_ERR_UNIT, "%s must be a plain decimal ratio like \"0.95\"", q);
    dep_unit_result r = to_atomics(text, n, 0, 18, "a Decimal", atomics, err);
    if (r == DEP_UNIT_ERR_SYNTAX) FAIL(r, "%s must be a plain decimal ratio like \"0.95\"", q);
    return r;
}

dep_unit_result dep_parse_amount(const char *text, unsigned decimals, dep_u128 *base, char *err) {
    char q[QUOTE_MAX + 8];
    quote(text, q, sizeof q);
    dep_u128 m;
    unsigned scale;
    dep_unit_result r = dep_parse_plain(text, strlen(text), &m, &scale, err);
    if (r == DEP_UNIT_ERR_SYNTAX)
        FAIL(r, "%s must be an amount in whole tokens like \"1500\" or \"0.25\"", q);
    if (r == DEP_UNIT_ERR_OVERFLOW) FAIL(r, "%s overflows Uint128", q);
    if (r) return r;
    if (scale > decimals)
        FAIL(DEP_UNIT_ERR_PRECISION, "%s has %u fractional digits (at most %u for %u decimals)", q,
             scale, decimals, decimals);
    dep_u128 p = pow10_u128(decimals - scale);
    if (m > DEP_U128_MAX / p)
        FAIL(DEP_UNIT_ERR_OVERFLOW, "%s overflows Uint128 in base units (%u decimals)", q,
             decimals);
    *base = m * p;
    return DEP_UNIT_OK;
}

dep_unit_result dep_parse_duration(const char *text, uint64_t *seconds, char *err) {
    char q[QUOTE_MAX + 8];
    quote(text, q, sizeof q);
    size_t n = strlen(text);
    if (n > 0 && text[0] == '-') FAIL(DEP_UNIT_ERR_NEGATIVE, "%s is negative", q);
    uint64_t unit = 0;
    if (n >= 2) {
        switch (text[n - 1]) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        default:
            break;
        }
    }
    bool digits = unit != 0 && n <= 21;
    for (size_t i = 0; digits && i + 1 < n; i++)
        if (text[i] < '0' || text[i] > '9') digits = false;
    if (!digits)
        FAIL(DEP_UNIT_ERR_UNIT,
             "%s must be a whole number of s, m, h or d like \"90s\", \"30m\", \"2h\", \"7d\"", q);
    dep_u128 v = 0;
    for (size_t i = 0; i + 1 < n; i++) v = v * 10 + (dep_u128)(text[i] - '0');
    v *= unit;
    if (v > UINT64_MAX) FAIL(DEP_UNIT_ERR_OVERFLOW, "%s overflows 64-bit seconds", q);
    *seconds = (uint64_t)v;
    return DEP_UNIT_OK;
}

char *dep_u128_format(dep_u128 v, char *out) {
    hs_u128_format(v, out);
    return out;
}

char *dep_decimal_format(dep_u128 atomics, char *out) {
    hs_decimal_format(atomics, out);
    return out;
}

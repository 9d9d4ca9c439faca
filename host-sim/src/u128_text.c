/* u128_text.c — Uint128 and Decimal amounts as decimal text (API in hs_u128.h). */
#include "hs_u128.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t hs_u128_format(hs_u128 v, char *out) {
    char tmp[HS_U128_DEC_CAP];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

bool hs_u128_from_text(const char *s, hs_u128 *out) {
    if (!s || !*s) return false;
    const hs_u128 max = ~(hs_u128)0;
    hs_u128 v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool hs_decimal_from_text(const char *s, hs_u128 *atomics) {
    if (!s || !*s) return false;
    const char *dot = strchr(s, '.');
    char whole[48], frac[19] = "000000000000000000";
    size_t wl = dot ? (size_t)(dot - s) : strlen(s);
    if (wl == 0 || wl >= sizeof whole) return false;
    memcpy(whole, s, wl);
    whole[wl] = '\0';
    if (dot) {
        size_t fl = strlen(dot + 1);
        if (fl == 0 || fl > 18) return false;
        for (size_t i = 0; i < fl; i++) {
            if (dot[1 + i] < '0' || dot[1 + i] > '9') return false;
            frac[i] = dot[1 + i];
        }
    }
    hs_u128 w, f;
    if (!hs_u128_from_text(whole, &w) || !hs_u128_from_text(frac, &f) ||
        w > ~(hs_u128)0 / HS_DECIMAL_ONE || w * HS_DECIMAL_ONE > ~(hs_u128)0 - f)
        return false;
    *atomics = w * HS_DECIMAL_ONE + f;
    return true;
}

size_t hs_decimal_format(hs_u128 atomics, char *out) {
    size_t n = hs_u128_format(atomics / HS_DECIMAL_ONE, out);
    uint64_t f = (uint64_t)(atomics % HS_DECIMAL_ONE);
    if (f == 0) return n;
    char frac[20];
    snprintf(frac, sizeof frac, "%018llu", (unsigned long long)f);
    size_t k = 18;
    while (frac[k - 1] == '0') k--;
    out[n++] = '.';
    memcpy(out + n, frac, k);
    n += k;
    out[n] = '\0';
    return n;
}

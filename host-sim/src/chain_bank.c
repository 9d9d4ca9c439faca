/* chain_bank.c — native-denom balances and supplies on the layered chain state, with x/bank's
 * rules and error texts. See chain_bank.h. Each mutating call runs in its own nested tx_cache
 * layer, so a failure part-way through a coin list leaves nothing behind. */
#include "chain_bank.h"
#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_CAP (2 + 255 + HS_DENOM_MAX)

hs_state_result hs_u128_parse(const char *s, hs_u128 *out) {
    if (hs_u128_from_text(s, out)) return HS_STATE_OK;
    return *s && strspn(s, "0123456789") == strlen(s) ? HS_STATE_OVERFLOW : HS_STATE_INVALID;
}

hs_state_result hs_bank_validate_denom(const char *denom) {
    size_t n = strlen(denom);
    if (n < 3 || n > HS_DENOM_MAX) return HS_STATE_BAD_DENOM;
    char c = denom[0];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return HS_STATE_BAD_DENOM;
    for (size_t i = 1; i < n; i++) {
        c = denom[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '/' || c == ':' || c == '.' || c == '_' || c == '-';
        if (!ok) return HS_STATE_BAD_DENOM;
    }
    return HS_STATE_OK;
}

static size_t balance_key(uint8_t *k, const uint8_t *addr, size_t alen, const char *denom) {
    size_t dl = strlen(denom);
    k[0] = HS_KEY_BANK_BALANCE;
    k[1] = (uint8_t)alen;
    memcpy(k + 2, addr, alen);
    memcpy(k + 2 + alen, denom, dl);
    return 2 + alen + dl;
}

static size_t supply_key(uint8_t *k, const char *denom) {
    size_t dl = strlen(denom);
    k[0] = HS_KEY_BANK_SUPPLY;
    memcpy(k + 1, denom, dl);
    return 1 + dl;
}

static hs_state_result decode_amount(const uint8_t *v, size_t vl, hs_u128 *out) {
    if (vl != 16) return HS_STATE_CORRUPT;
    hs_u128 x = 0;
    for (int i = 0; i < 16; i++) x = (x << 8) | v[i];
    *out = x;
    return HS_STATE_OK;
}

static hs_state_result read_amount(const hs_txc *c, const uint8_t *k, size_t kl, hs_u128 *out) {
    const uint8_t *v;
    size_t vl;
    if (hs_txc_get(c, k, kl, &v, &vl) != HS_STATE_OK) {
        *out = 0;
        return HS_STATE_OK;
    }
    return decode_amount(v, vl, out);
}

static hs_state_result write_amount(hs_txc *c, const uint8_t *k, size_t kl, hs_u128 x) {
    if (x == 0) return hs_txc_delete(c, k, kl);
    uint8_t v[16];
    for (int i = 15; i >= 0; i--) {
        v[i] = (uint8_t)x;
        x >>= 8;
    }
    return hs_txc_set(c, k, kl, v, sizeof v);
}

static bool addr_ok(const uint8_t *addr, size_t alen) {
    return addr && alen >= 1 && alen <= 255;
}

hs_state_result hs_bank_balance(const hs_txc *c, const uint8_t *addr, size_t alen,
                                const char *denom, hs_u128 *out) {
    if (!addr_ok(addr, alen)) return HS_STATE_INVALID;
    if (hs_bank_validate_denom(denom) != HS_STATE_OK) return HS_STATE_BAD_DENOM;
    uint8_t k[KEY_CAP];
    return read_amount(c, k, balance_key(k, addr, alen, denom), out);
}

hs_state_result hs_bank_supply(const hs_txc *c, const char *denom, hs_u128 *out) {
    if (hs_bank_validate_denom(denom) != HS_STATE_OK) return HS_STATE_BAD_DENOM;
    uint8_t k[KEY_CAP];
    return read_amount(c, k, supply_key(k, denom), out);
}

hs_state_result hs_bank_all_balances(hs_txc *c, const uint8_t *addr, size_t alen,
                                     hs_bank_coin **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!addr_ok(addr, alen)) return HS_STATE_INVALID;
    uint8_t start[2 + 255], end[2 + 255];
    start[0] = HS_KEY_BANK_BALANCE;
    start[1] = (uint8_t)alen;
    memcpy(start + 2, addr, alen);
    /* end = the prefix incremented: prefixes of equal length never end in 0xff carries past
     * byte 0 since byte 0 is 0x11. */
    size_t plen = 2 + alen;
    memcpy(end, start, plen);
    size_t i = plen;
    while (i > 0 && end[i - 1] == 0xff) i--;
    end[i - 1]++;
    size_t elen = i;
    hs_txc_iter *it;
    hs_state_result r = hs_txc_iter_open(c, start, plen, end, elen, HS_ASCENDING, &it);
    if (r != HS_STATE_OK) return r;
    hs_bank_coin *coins = NULL;
    size_t cnt = 0, cap = 0;
    const uint8_t *k, *v;
    size_t kl, vl;
    while (hs_txc_iter_next(it, &k, &kl, &v, &vl) == HS_STATE_OK) {
        size_t dl = kl - plen;
        if (dl > HS_DENOM_MAX) {
            r = HS_STATE_CORRUPT;
            break;
        }
        if (cnt == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            hs_bank_coin *nc = realloc(coins, ncap * sizeof *nc);
            if (!nc) {
                r = HS_STATE_NOMEM;
                break;
            }
            coins = nc;
            cap = ncap;
        }
        memcpy(coins[cnt].denom, k + plen, dl);
        coins[cnt].denom[dl] = '\0';
        r = decode_amount(v, vl, &coins[cnt].amount);
        if (r != HS_STATE_OK) break;
        cnt++;
    }
    hs_txc_iter_close(it);
    if (r != HS_STATE_OK) {
        free(coins);
        return r;
    }
    *out = coins;
    *n = cnt;
    return HS_STATE_OK;
}

/* --- Mutations ------------------------------------------------------------------------------- */

static hs_state_result check_coins(const hs_bank_coin *coins, size_t n, char *err, size_t errlen) {
    for (size_t i = 0; i < n; i++) {
        if (hs_bank_validate_denom(coins[i].denom) != HS_STATE_OK) {
            hs_set_err(err, errlen, "invalid denom: %s", coins[i].denom);
            return HS_STATE_BAD_DENOM;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(coins[i].denom, coins[j].denom) == 0) {
                hs_set_err(err, errlen, "duplicate denomination %s: invalid coins", coins[i].denom);
                return HS_STATE_INVALID;
            }
        }
    }
    return HS_STATE_OK;
}

static hs_state_result add_to(hs_txc *c, const uint8_t *k, size_t kl, hs_u128 amount,
                              const char *what, const char *denom, char *err, size_t errlen) {
    hs_u128 cur;
    hs_state_result r = read_amount(c, k, kl, &cur);
    if (r != HS_STATE_OK) return r;
    if (cur > ~(hs_u128)0 - amount) {
        char a[HS_U128_DEC_CAP], b[HS_U128_DEC_CAP];
        hs_u128_format(cur, a);
        hs_u128_format(amount, b);
        hs_set_err(err, errlen, "amount overflow: %s %s%s + %s%s exceeds 2^128-1", what, a, denom,
                   b, denom);
        return HS_STATE_OVERFLOW;
    }
    return write_amount(c, k, kl, cur + amount);
}

static hs_state_result sub_from(hs_txc *c, const uint8_t *k, size_t kl, hs_u128 amount,
                                const char *denom, char *err, size_t errlen) {
    hs_u128 cur;
    hs_state_result r = read_amount(c, k, kl, &cur);
    if (r != HS_STATE_OK) return r;
    if (cur < amount) {
        char a[HS_U128_DEC_CAP], b[HS_U128_DEC_CAP];
        hs_u128_format(cur, a);
        hs_u128_format(amount, b);
        hs_set_err(err, errlen, "spendable balance %s%s is smaller than %s%s: insufficient funds",
                   a, denom, b, denom);
        return HS_STATE_INSUFFICIENT;
    }
    return write_amount(c, k, kl, cur - amount);
}

enum bank_op { OP_MINT, OP_BURN, OP_SEND };

static hs_state_result apply(hs_txc *c, enum bank_op op, const uint8_t *from, size_t flen,
                             const uint8_t *to, size_t tlen, const hs_bank_coin *coins, size_t n,
                             char *err, size_t errlen) {
    if (err && errlen) err[0] = '\0';
    if (!addr_ok(from, flen) || (op == OP_SEND && !addr_ok(to, tlen))) {
        hs_set_err(err, errlen, "invalid address length: must be 1..255 bytes");
        return HS_STATE_INVALID;
    }
    if (hs_txc_depth(c) == 0) {
        hs_set_err(err, errlen, "bank: no open transaction");
        return HS_STATE_INVALID;
    }
    hs_state_result r = check_coins(coins, n, err, errlen);
    if (r != HS_STATE_OK) return r;
    r = hs_txc_begin(c);
    if (r != HS_STATE_OK) goto fail;
    uint8_t k[KEY_CAP];
    for (size_t i = 0; i < n && r == HS_STATE_OK; i++) {
        const hs_bank_coin *co = &coins[i];
        if (co->amount == 0) continue; /* sdk.NewCoins drops zero coins */
        size_t kl;
        switch (op) {
        case OP_MINT:
            kl = supply_key(k, co->denom);
            r = add_to(c, k, kl, co->amount, "supply", co->denom, err, errlen);
            if (r != HS_STATE_OK) break;
            kl = balance_key(k, from, flen, co->denom);
            r = add_to(c, k, kl, co->amount, "balance", co->denom, err, errlen);
            break;
        case OP_BURN:
            kl = balance_key(k, from, flen, co->denom);
            r = sub_from(c, k, kl, co->amount, co->denom, err, errlen);
            if (r != HS_STATE_OK) break;
            kl = supply_key(k, co->denom);
            r = sub_from(c, k, kl, co->amount, co->denom, err, errlen);
            if (r == HS_STATE_INSUFFICIENT) r = HS_STATE_CORRUPT; /* supply < a balance */
            break;
        case OP_SEND:
            kl = balance_key(k, from, flen, co->denom);
            r = sub_from(c, k, kl, co->amount, co->denom, err, errlen);
            if (r != HS_STATE_OK) break;
            kl = balance_key(k, to, tlen, co->denom);
            r = add_to(c, k, kl, co->amount, "balance", co->denom, err, errlen);
            break;
        }
    }
    if (r != HS_STATE_OK) {
        hs_txc_discard(c);
        goto fail;
    }
    r = hs_txc_commit(c);
    if (r == HS_STATE_OK) return HS_STATE_OK;
fail:
    if (err && errlen && !err[0]) hs_set_err(err, errlen, "bank: %s", hs_state_strerror(r));
    return r;
}

hs_state_result hs_bank_mint(hs_txc *c, const uint8_t *addr, size_t alen, const hs_bank_coin *coins,
                             size_t n, char *err, size_t errlen) {
    return apply(c, OP_MINT, addr, alen, NULL, 0, coins, n, err, errlen);
}

hs_state_result hs_bank_burn(hs_txc *c, const uint8_t *addr, size_t alen, const hs_bank_coin *coins,
                             size_t n, char *err, size_t errlen) {
    return apply(c, OP_BURN, addr, alen, NULL, 0, coins, n, err, errlen);
}

hs_state_result hs_bank_send(hs_txc *c, const uint8_t *from, size_t flen, const uint8_t *to,
                             size_t tlen, const hs_bank_coin *coins, size_t n, char *err,
                             size_t errlen) {
    return apply(c, OP_SEND, from, flen, to, tlen, coins, n, err, errlen);
}

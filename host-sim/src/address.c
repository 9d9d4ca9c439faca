/* address.c — bech32 (BIP-173) codec, wasmd-style address validation, script aliases and the
 * classic contract address derivation. See address.h for the rules and their sources. */
#include "address.h"

#include <sodium.h>
#include <string.h>

static const char CHARSET[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

const char *hs_addr_strerror(hs_addr_result r) {
    switch (r) {
    case HS_ADDR_OK:
        return "ok";
    case HS_ADDR_ERR_LENGTH:
        return "invalid length";
    case HS_ADDR_ERR_CHAR:
        return "invalid character";
    case HS_ADDR_ERR_MIXED_CASE:
        return "mixed case";
    case HS_ADDR_ERR_NO_SEPARATOR:
        return "missing separator '1'";
    case HS_ADDR_ERR_HRP:
        return "invalid human-readable part";
    case HS_ADDR_ERR_CHECKSUM:
        return "invalid checksum";
    case HS_ADDR_ERR_PREFIX:
        return "wrong address prefix";
    case HS_ADDR_ERR_PADDING:
        return "invalid padding";
    case HS_ADDR_ERR_NOT_NORMALIZED:
        return "address is not normalized";
    case HS_ADDR_ERR_DATA_LENGTH:
        return "invalid address length";
    case HS_ADDR_ERR_BUFFER:
        return "buffer too small";
    }
    return "unknown address error";
}

/* BIP-173 generator terms, indexed by the five bits shifted out of the checksum state: entry b
 * is the XOR of GEN[i] for every set bit i of b (one lookup instead of five masked XORs). */
static const uint32_t POLYMOD_GEN[32] = {
    0x00000000u, 0x3b6a57b2u, 0x26508e6du, 0x1d3ad9dfu, 0x1ea119fau, 0x25cb4e48u, 0x38f19797u,
    0x039bc025u, 0x3d4233ddu, 0x0628646fu, 0x1b12bdb0u, 0x2078ea02u, 0x23e32a27u, 0x18897d95u,
    0x05b3a44au, 0x3ed9f3f8u, 0x2a1462b3u, 0x117e3501u, 0x0c44ecdeu, 0x372ebb6cu, 0x34b57b49u,
    0x0fdf2cfbu, 0x12e5f524u, 0x298fa296u, 0x1756516eu, 0x2c3c06dcu, 0x3106df03u, 0x0a6c88b1u,
    0x09f74894u, 0x329d1f26u, 0x2fa7c6f9u, 0x14cd914bu,
};

static uint32_t polymod_step(uint32_t pre) {
    return ((pre & 0x1ffffff) << 5) ^ POLYMOD_GEN[pre >> 25];
}

/* Checksum state after the expanded hrp (which must be lower case). */
static uint32_t hrp_polymod(const char *hrp, size_t hlen) {
    uint32_t chk = 1;
    for (size_t i = 0; i < hlen; i++) chk = polymod_step(chk) ^ ((unsigned char)hrp[i] >> 5);
    chk = polymod_step(chk);
    for (size_t i = 0; i < hlen; i++) chk = polymod_step(chk) ^ ((unsigned char)hrp[i] & 31);
    return chk;
}

hs_addr_result hs_bech32_encode(const char *hrp, const uint8_t *data5, size_t n, char *out,
                                size_t out_cap) {
    size_t hlen = strlen(hrp);
    if (hlen < 1 || hlen > HS_BECH32_HRP_CAP - 1) return HS_ADDR_ERR_HRP;
    for (size_t i = 0; i < hlen; i++) {
        unsigned char ch = (unsigned char)hrp[i];
        if (ch < 33 || ch > 126 || (ch >= 'A' && ch <= 'Z')) return HS_ADDR_ERR_CHAR;
    }
    size_t total = hlen + 1 + n + 6;
    if (total > HS_BECH32_MAX_LEN) return HS_ADDR_ERR_LENGTH;
    if (total + 1 > out_cap) return HS_ADDR_ERR_BUFFER;
    uint32_t chk = hrp_polymod(hrp, hlen);
    memcpy(out, hrp, hlen);
    out[hlen] = '1';
    char *p = out + hlen + 1;
    for (size_t i = 0; i < n; i++) {
        if (data5[i] >> 5) return HS_ADDR_ERR_CHAR;
        chk = polymod_step(chk) ^ data5[i];
        *p++ = CHARSET[data5[i]];
    }
    for (int i = 0; i < 6; i++) chk = polymod_step(chk);
    chk ^= 1;
    for (int i = 0; i < 6; i++) *p++ = CHARSET[(chk >> (5 * (5 - i))) & 31];
    *p = '\0';
    return HS_ADDR_OK;
}

/* CHARSET position of each ASCII character (either case), -1 when not in the charset. */
static const int8_t CHARSET_REV[128] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, 15, -1, 10, 17, 21, 20, 26, 30, 7,  5,  -1, -1, -1, -1, -1, -1, -1, 29,
    -1, 24, 13, 25, 9,  8,  23, -1, 18, 22, 31, 27, 19, -1, 1,  0,  3,  16, 11, 28, 12, 14,
    6,  4,  2,  -1, -1, -1, -1, -1, -1, 29, -1, 24, 13, 25, 9,  8,  23, -1, 18, 22, 31, 27,
    19, -1, 1,  0,  3,  16, 11, 28, 12, 14, 6,  4,  2,  -1, -1, -1, -1, -1,
};

static int charset_rev(unsigned char c) {
    return c < 128 ? CHARSET_REV[c] : -1;
}

hs_addr_result hs_bech32_decode(const char *s, char *hrp, uint8_t *data5, size_t data_cap,
                                size_t *n) {
    size_t len = strlen(s);
    if (len > HS_BECH32_MAX_LEN) return HS_ADDR_ERR_LENGTH;
    bool lower = false, upper = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 33 || ch > 126) return HS_ADDR_ERR_CHAR;
        if (ch >= 'a' && ch <= 'z') lower = true;
        if (ch >= 'A' && ch <= 'Z') upper = true;
    }
    if (lower && upper) return HS_ADDR_ERR_MIXED_CASE;
    const char *sep = strrchr(s, '1');
    if (!sep) return HS_ADDR_ERR_NO_SEPARATOR;
    size_t hlen = (size_t)(sep - s);
    if (hlen < 1 || hlen > HS_BECH32_HRP_CAP - 1) return HS_ADDR_ERR_HRP;
    size_t dlen = len - hlen - 1;
    if (dlen < 6) return HS_ADDR_ERR_LENGTH; /* too short for the checksum */
    for (size_t i = 0; i < hlen; i++) {
        char ch = s[i];
        hrp[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    hrp[hlen] = '\0';
    if (dlen - 6 > data_cap) return HS_ADDR_ERR_BUFFER;
    uint32_t chk = hrp_polymod(hrp, hlen);
    for (size_t i = 0; i < dlen; i++) {
        int v = charset_rev((unsigned char)sep[1 + i]);
        if (v < 0) return HS_ADDR_ERR_CHAR;
        chk = polymod_step(chk) ^ (uint32_t)v;
        if (i < dlen - 6) data5[i] = (uint8_t)v;
    }
    if (chk != 1) return HS_ADDR_ERR_CHECKSUM;
    *n = dlen - 6;
    return HS_ADDR_OK;
}

hs_addr_result hs_addr_humanize(const char *prefix, const uint8_t *canon, size_t len, char *out,
                                size_t out_cap) {
    if (len < 1 || len > HS_ADDR_MAX_CANONICAL) return HS_ADDR_ERR_DATA_LENGTH;
    uint8_t data5[(HS_ADDR_MAX_CANONICAL * 8 + 4) / 5];
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | canon[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            data5[n++] = (acc >> bits) & 31;
        }
    }
    if (bits) data5[n++] = (acc << (5 - bits)) & 31;
    return hs_bech32_encode(prefix, data5, n, out, out_cap);
}

hs_addr_result hs_addr_canonicalize(const char *prefix, const char *human, uint8_t *out,
                                    size_t out_cap, size_t *len) {
    char hrp[HS_BECH32_HRP_CAP];
    uint8_t data5[HS_BECH32_MAX_LEN];
    size_t n;
    hs_addr_result r = hs_bech32_decode(human, hrp, data5, sizeof data5, &n);
    if (r != HS_ADDR_OK) return r;
    if (strcmp(hrp, prefix) != 0) return HS_ADDR_ERR_PREFIX;
    size_t m = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = ((acc << 5) | data5[i]) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (m == out_cap) return HS_ADDR_ERR_BUFFER;
            out[m++] = (uint8_t)(acc >> bits);
        }
    }
    /* BIP-173 / Cosmos ConvertBits(5, 8, false): at most 4 padding bits, all zero. */
    if (bits >= 5 || ((acc << (8 - bits)) & 0xff)) return HS_ADDR_ERR_PADDING;
    if (m < 1 || m > HS_ADDR_MAX_CANONICAL) return HS_ADDR_ERR_DATA_LENGTH;
    *len = m;
    return HS_ADDR_OK;
}

hs_addr_result hs_addr_validate(const char *prefix, const char *human) {
    uint8_t canon[64];
    size_t len;
    hs_addr_result r = hs_addr_canonicalize(prefix, human, canon, sizeof canon, &len);
    if (r != HS_ADDR_OK) return r;
    /* Humanizing again gives back `human` exactly unless it had upper case: the decode checked
     * the checksum and the padding (so the 8-to-5 bit conversion reproduces the data), and the
     * encoder writes the lower-cased hrp and data. So the round trip reduces to that test. */
    for (const char *p = human; *p; p++)
        if (*p >= 'A' && *p <= 'Z') return HS_ADDR_ERR_NOT_NORMALIZED;
    return HS_ADDR_OK;
}

hs_addr_result hs_addr_alias(const char *prefix, const char *name, char *out, size_t out_cap) {
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)name, strlen(name));
    return hs_addr_humanize(prefix, h, HS_ADDR_ACCOUNT_LEN, out, out_cap);
}

void hs_addr_module(const char *module, const uint8_t *key, size_t klen, uint8_t out[32]) {
    uint8_t th[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(th, (const unsigned char *)"module", 6);
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, th, sizeof th);
    crypto_hash_sha256_update(&st, (const unsigned char *)module, strlen(module) + 1); /* ‖ 0x00 */
    if (klen) crypto_hash_sha256_update(&st, key, klen);
    crypto_hash_sha256_final(&st, out);
}

void hs_addr_contract_classic(uint64_t code_id, uint64_t instance_id, uint8_t out[32]) {
    uint8_t key[16];
    for (int i = 0; i < 8; i++) {
        key[i] = (uint8_t)(code_id >> (56 - 8 * i));
        key[8 + i] = (uint8_t)(instance_id >> (56 - 8 * i));
    }
    hs_addr_module("wasm", key, sizeof key, out);
}

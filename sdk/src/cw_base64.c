/* Base64 for CosmWasm's Binary (contract in sdk/include/cw_json.h): RFC 4648 standard alphabet
 * with padding. Decoding is as strict as Rust's base64 STANDARD engine that cosmwasm-std uses:
 * canonical padding required, no whitespace, non-zero trailing bits rejected. */
#include "cw_json.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void cw_base64_encode(cw_buf *out, cw_str bytes) {
    const unsigned char *s = (const unsigned char *)bytes.ptr;
    size_t n = bytes.len;
    cw_buf_reserve(out, (n + 2) / 3 * 4);
    /* Three bytes (missing ones as zero) become four characters; '=' replaces the characters
     * that only carry missing bytes. */
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n) v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n) v |= s[i + 2];
        char q[4];
        for (int k = 0; k < 4; k++) q[k] = alphabet[(v >> (18 - 6 * k)) & 63];
        if (i + 1 >= n) q[2] = '=';
        if (i + 2 >= n) q[3] = '=';
        cw_buf_put(out, q, 4);
    }
}

/* 0..63 for an alphabet character, -1 otherwise. */
static int sextet(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* 'c' for printable ASCII, 0xNN otherwise, into buf (at least 5 bytes). */
static const char *describe_byte(unsigned char c, char *buf) {
    static const char hex[] = "0123456789abcdef";
    if (c >= 0x20 && c < 0x7F) {
        buf[0] = '\'';
        buf[1] = (char)c;
        buf[2] = '\'';
        buf[3] = 0;
    } else {
        buf[0] = '0';
        buf[1] = 'x';
        buf[2] = hex[c >> 4];
        buf[3] = hex[c & 15];
        buf[4] = 0;
    }
    return buf;
}

cw_error *cw_base64_decode(cw_str text, cw_buf *out) {
    const unsigned char *s = (const unsigned char *)text.ptr;
    size_t n = text.len;
    char desc[5];
    /* Validate everything first so that `out` is untouched on error. */
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=') {
            if (i + 2 < n || (i + 2 == n && s[n - 1] != '='))
                return cw_errorf("invalid base64 at byte %lu: padding '=' before the end",
                                 (unsigned long)i);
            continue;
        }
        if (sextet(s[i]) < 0)
            return cw_errorf("invalid base64 at byte %lu: invalid character %s", (unsigned long)i,
                             describe_byte(s[i], desc));
    }
    if (n % 4 != 0)
        return cw_errorf("invalid base64: length %lu is not a multiple of 4", (unsigned long)n);
    if (n == 0) return NULL;
    size_t pad = (s[n - 1] == '=') + (s[n - 2] == '=');
    if (pad == 2 && (sextet(s[n - 3]) & 0x0F) != 0)
        return cw_errorf("invalid base64 at byte %lu: non-zero trailing bits in %s",
                         (unsigned long)(n - 3), describe_byte(s[n - 3], desc));
    if (pad == 1 && (sextet(s[n - 2]) & 0x03) != 0)
        return cw_errorf("invalid base64 at byte %lu: non-zero trailing bits in %s",
                         (unsigned long)(n - 2), describe_byte(s[n - 2], desc));

    /* Six bits per character into an accumulator, a byte out whenever eight are there; the
     * trailing bits left over are zero (checked above). */
    cw_buf_reserve(out, n / 4 * 3);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n - pad; i++) {
        acc = acc << 6 | (uint32_t)sextet(s[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            cw_buf_putc(out, (char)(acc >> bits));
        }
    }
    return NULL;
}

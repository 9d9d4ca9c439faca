/* test_address.c — Criterion tests of host-sim's addresses: BIP-173 bech32 vectors, wasmd-style
 * validation failures, script aliases and wasmd's classic contract address derivation. */
#include <criterion/criterion.h>
#include <string.h>
#include <strings.h>

#include "address.h"

/* BIP-173 valid bech32 strings. */
static const char *VALID[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11"
    "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
};

Test(address, bip173_valid_vectors_decode_and_reencode) {
    for (size_t i = 0; i < sizeof VALID / sizeof *VALID; i++) {
        char hrp[HS_BECH32_HRP_CAP];
        uint8_t data[HS_BECH32_MAX_LEN];
        size_t n;
        cr_assert_eq(hs_bech32_decode(VALID[i], hrp, data, sizeof data, &n), HS_ADDR_OK, "%s",
                     VALID[i]);
        char again[HS_ADDR_HUMAN_CAP];
        cr_assert_eq(hs_bech32_encode(hrp, data, n, again, sizeof again), HS_ADDR_OK);
        cr_assert_eq(strcasecmp(again, VALID[i]), 0, "%s vs %s", again, VALID[i]);
    }
}

Test(address, bip173_invalid_vectors_fail_for_the_right_reason) {
    struct {
        const char *s;
        hs_addr_result want;
    } cases[] = {
        {"\x20"
         "1nwldj5",
         HS_ADDR_ERR_CHAR}, /* HRP character out of range */
        {"\x7f"
         "1axkwrx",
         HS_ADDR_ERR_CHAR},
        {"\x80"
         "1eym55h",
         HS_ADDR_ERR_CHAR},
        {"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1"
         "569pvx",
         HS_ADDR_ERR_LENGTH},                       /* overall max length exceeded */
        {"pzry9x0s0muk", HS_ADDR_ERR_NO_SEPARATOR}, /* no separator */
        {"1pzry9x0s0muk", HS_ADDR_ERR_HRP},         /* empty HRP */
        {"x1b4n0q5v", HS_ADDR_ERR_CHAR},            /* invalid data character */
        {"li1dgmt3", HS_ADDR_ERR_LENGTH},           /* too short checksum */
        {"de1lg7wt\xff", HS_ADDR_ERR_CHAR},         /* invalid character in checksum */
        {"A1G7SGD8", HS_ADDR_ERR_CHECKSUM},         /* checksum with upper-case HRP */
        {"10a06t8", HS_ADDR_ERR_HRP},               /* empty HRP */
        {"1qzzfhee", HS_ADDR_ERR_HRP},              /* empty HRP */
        {"a12UEL5L", HS_ADDR_ERR_MIXED_CASE},       /* mixed case */
        {"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx", HS_ADDR_ERR_CHECKSUM},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char hrp[HS_BECH32_HRP_CAP];
        uint8_t data[HS_BECH32_MAX_LEN];
        size_t n;
        hs_addr_result r = hs_bech32_decode(cases[i].s, hrp, data, sizeof data, &n);
        cr_assert_eq(r, cases[i].want, "case %zu: got %s", i, hs_addr_strerror(r));
    }
}

static const char *CONTRACT_1_1 = "wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d";

Test(address, classic_contract_address_matches_wasmd) {
    uint8_t a[32];
    char out[HS_ADDR_HUMAN_CAP];
    /* wasmd: first contract (code 1, instance 1) on a "wasm" chain; then code 2, instance 2 */
    hs_addr_contract_classic(1, 1, a);
    cr_assert_eq(hs_addr_humanize("wasm", a, 32, out, sizeof out), HS_ADDR_OK);
    cr_assert_str_eq(out, CONTRACT_1_1);
    hs_addr_contract_classic(2, 2, a);
    cr_assert_eq(hs_addr_humanize("wasm", a, 32, out, sizeof out), HS_ADDR_OK);
    cr_assert_str_eq(out, "wasm1nc5tatafv6eyq7llkr2gv50ff9e22mnf70qgjlv737ktmt4eswrqr5j2ht");
    /* cw-multi-test's constant for the same derivation under the "cosmwasm" prefix */
    hs_addr_contract_classic(1, 1, a);
    cr_assert_eq(hs_addr_humanize("cosmwasm", a, 32, out, sizeof out), HS_ADDR_OK);
    cr_assert_str_eq(out, "cosmwasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s8jef58");
}

Test(address, canonicalize_humanize_roundtrip) {
    uint8_t canon[64];
    size_t len;
    cr_assert_eq(hs_addr_canonicalize("wasm", CONTRACT_1_1, canon, sizeof canon, &len), HS_ADDR_OK);
    cr_assert_eq(len, 32);
    uint8_t want[32];
    hs_addr_contract_classic(1, 1, want);
    cr_assert_eq(memcmp(canon, want, 32), 0);
    uint8_t acct[20];
    for (int i = 0; i < 20; i++) acct[i] = (uint8_t)(i * 13);
    char h[HS_ADDR_HUMAN_CAP];
    cr_assert_eq(hs_addr_humanize("wasm", acct, 20, h, sizeof h), HS_ADDR_OK);
    cr_assert_eq(strlen(h), 4 + 1 + 32 + 6);
    cr_assert_eq(hs_addr_canonicalize("wasm", h, canon, sizeof canon, &len), HS_ADDR_OK);
    cr_assert_eq(len, 20);
    cr_assert_eq(memcmp(canon, acct, 20), 0);
    cr_assert_eq(hs_addr_validate("wasm", h), HS_ADDR_OK);
}

Test(address, validate_rejects_like_wasmd) {
    char upper[HS_ADDR_HUMAN_CAP];
    for (size_t i = 0; i <= strlen(CONTRACT_1_1); i++)
        upper[i] = (char)(CONTRACT_1_1[i] >= 'a' && CONTRACT_1_1[i] <= 'z' ? CONTRACT_1_1[i] - 32
                                                                           : CONTRACT_1_1[i]);
    uint8_t canon[64];
    size_t len;
    /* all upper case: valid bech32, canonicalizes, but is not the normalized form */
    cr_assert_eq(hs_addr_canonicalize("wasm", upper, canon, sizeof canon, &len), HS_ADDR_OK);
    cr_assert_eq(hs_addr_validate("wasm", upper), HS_ADDR_ERR_NOT_NORMALIZED);
    char mixed[HS_ADDR_HUMAN_CAP];
    strcpy(mixed, CONTRACT_1_1);
    mixed[10] = (char)(mixed[10] - 32);
    cr_assert_eq(hs_addr_validate("wasm", mixed), HS_ADDR_ERR_MIXED_CASE);
    cr_assert_eq(hs_addr_validate("osmo", CONTRACT_1_1), HS_ADDR_ERR_PREFIX);
    char bad[HS_ADDR_HUMAN_CAP];
    strcpy(bad, CONTRACT_1_1);
    bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'd' ? 'e' : 'd';
    cr_assert_eq(hs_addr_validate("wasm", bad), HS_ADDR_ERR_CHECKSUM);
    cr_assert_eq(hs_addr_validate("wasm", ""), HS_ADDR_ERR_NO_SEPARATOR);
    cr_assert_eq(hs_addr_validate("wasm", "alice"), HS_ADDR_ERR_NO_SEPARATOR);
    cr_assert_eq(hs_addr_validate("wasm", "wasm1"), HS_ADDR_ERR_LENGTH);
    /* valid checksum over zero data bytes: the canonical address would be empty */
    char empty[HS_ADDR_HUMAN_CAP];
    cr_assert_eq(hs_bech32_encode("wasm", NULL, 0, empty, sizeof empty), HS_ADDR_OK);
    cr_assert_eq(hs_addr_validate("wasm", empty), HS_ADDR_ERR_DATA_LENGTH);
    /* non-zero padding bits: one 5-bit group 0b00001 leaves 5 bits, so excess padding */
    uint8_t d5[] = {1};
    char pad[HS_ADDR_HUMAN_CAP];
    cr_assert_eq(hs_bech32_encode("wasm", d5, 1, pad, sizeof pad), HS_ADDR_OK);
    cr_assert_eq(hs_addr_validate("wasm", pad), HS_ADDR_ERR_PADDING);
    /* 2 groups = 10 bits → 1 byte + 2 padding bits that must be zero */
    uint8_t d5b[] = {0, 1};
    cr_assert_eq(hs_bech32_encode("wasm", d5b, 2, pad, sizeof pad), HS_ADDR_OK);
    cr_assert_eq(hs_addr_validate("wasm", pad), HS_ADDR_ERR_PADDING);
    uint8_t d5c[] = {0, 4}; /* padding 00: valid one-byte address */
    cr_assert_eq(hs_bech32_encode("wasm", d5c, 2, pad, sizeof pad), HS_ADDR_OK);
    cr_assert_eq(hs_addr_validate("wasm", pad), HS_ADDR_OK);
}

Test(address, alias_is_sha256_of_name_truncated_to_20_bytes) {
    char out[HS_ADDR_HUMAN_CAP];
    /* sha256("alice")[0..20] = 2bd806c97f0e00af1a1fc3328fa763a9269723c8 */
    cr_assert_eq(hs_addr_alias("wasm", "alice", out, sizeof out), HS_ADDR_OK);
    cr_assert_str_eq(out, "wasm190vqdjtlpcq27xslcveglfmr4ynfwg7g28fzec");
    cr_assert_eq(hs_addr_alias("wasm", "bob", out, sizeof out), HS_ADDR_OK);
    cr_assert_str_eq(out, "wasm1sxmr0k8u6trd5c6eu6trzyapzux7090ymq9c5c");
    cr_assert_eq(hs_addr_alias("osmo", "alice", out, sizeof out), HS_ADDR_OK);
    cr_assert_str_eq(out, "osmo190vqdjtlpcq27xslcveglfmr4ynfwg7ggqt8xp");
    uint8_t canon[64];
    size_t len;
    cr_assert_eq(hs_addr_canonicalize("osmo", out, canon, sizeof canon, &len), HS_ADDR_OK);
    cr_assert_eq(len, 20);
    cr_assert_eq(canon[0], 0x2b);
    cr_assert_eq(canon[19], 0xc8);
}

Test(address, encode_errors) {
    char out[HS_ADDR_HUMAN_CAP];
    uint8_t d[1] = {0};
    cr_assert_eq(hs_bech32_encode("", d, 1, out, sizeof out), HS_ADDR_ERR_HRP);
    cr_assert_eq(hs_bech32_encode("Wasm", d, 1, out, sizeof out), HS_ADDR_ERR_CHAR);
    uint8_t big[1] = {32};
    cr_assert_eq(hs_bech32_encode("wasm", big, 1, out, sizeof out), HS_ADDR_ERR_CHAR);
    cr_assert_eq(hs_bech32_encode("wasm", d, 1, out, 8), HS_ADDR_ERR_BUFFER);
    uint8_t a[60] = {0};
    cr_assert_eq(hs_addr_humanize("wasm", a, 60, out, sizeof out), HS_ADDR_ERR_LENGTH);
    cr_assert_eq(hs_addr_humanize("wasm", a, 0, out, sizeof out), HS_ADDR_ERR_DATA_LENGTH);
}

Test(address, module_address_prefix_is_sha256_of_module) {
    /* address.Module("wasm", key) differs from a plain sha256(key): checks the hashing
     * structure through a second route (classic == Module with be64 ‖ be64). */
    uint8_t key[16] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, m[32], c[32];
    hs_addr_module("wasm", key, sizeof key, m);
    hs_addr_contract_classic(1, 1, c);
    cr_assert_eq(memcmp(m, c, 32), 0);
}

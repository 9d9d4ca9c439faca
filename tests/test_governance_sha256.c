/* test_governance_sha256.c — the governance contract's own SHA-256 (contracts/governance/
 * sha256.c, behind msgs_hash) natively: FIPS 180-4 example vectors, every length 0..300 across the
 * padding boundaries (55/56/63/64 bytes mod 64) and a million bytes, against libsodium. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "governance/governance.h"

static void hex(const uint8_t sum[32], char out[65]) {
    sodium_bin2hex(out, 65, sum, 32);
}

Test(governance_sha256, fips_examples) {
    uint8_t sum[32];
    char h[65];
    gv_sha256("abc", 3, sum);
    hex(sum, h);
    cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    gv_sha256("", 0, sum);
    hex(sum, h);
    cr_assert_str_eq(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    gv_sha256(two_blocks, strlen(two_blocks), sum);
    hex(sum, h);
    cr_assert_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(governance_sha256, every_length_matches_libsodium) {
    cr_assert(sodium_init() >= 0);
    static uint8_t data[1000000];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 131 + 7);
    for (size_t n = 0; n <= 300; n++) {
        uint8_t mine[32], ref[32];
        gv_sha256(data, n, mine);
        crypto_hash_sha256(ref, data, n);
        cr_assert_eq(memcmp(mine, ref, 32), 0, "length %zu", n);
    }
    uint8_t mine[32], ref[32];
    gv_sha256(data, sizeof data, mine);
    crypto_hash_sha256(ref, data, sizeof data);
    cr_assert_eq(memcmp(mine, ref, 32), 0);
}

Test(governance_sha256, hex_form_is_lowercase_and_held) {
    cw_str h = gv_hash_hex(CW_LIT("abc"));
    cr_assert_eq(h.len, 64);
    cr_assert_eq(
        strncmp(h.ptr, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 64), 0);
    cw_release_all();
}

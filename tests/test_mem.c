/* Tests for the SDK's own memory functions (sdk/src/cw_mem.c), which only wasm builds use:
 * the file is included here with CW_MEM_TEST defined so the same code is compiled natively as
 * cw_test_memcpy, cw_test_memmove, cw_test_memset, cw_test_memcmp and cw_test_strlen, and
 * compared with straightforward reference loops and libc. */
#include <criterion/criterion.h>
#include <string.h>

#define CW_MEM_TEST 1
#include "../sdk/src/cw_mem.c"

enum { BUF = 256 };

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed * 31u + i * 17u + (i >> 3));
}

/* memmove reference: through a temporary copy. */
static void ref_move(unsigned char *buf, size_t dst, size_t src, size_t n) {
    unsigned char tmp[BUF];
    for (size_t i = 0; i < n; i++) tmp[i] = buf[src + i];
    for (size_t i = 0; i < n; i++) buf[dst + i] = tmp[i];
}

Test(mem, memmove_overlap_forward_and_backward) {
    unsigned char buf[BUF], want[BUF];
    for (size_t src = 0; src < 24; src++) {
        for (size_t dst = 0; dst < 24; dst++) {
            for (size_t n = 0; n <= 100; n++) {
                fill(buf, BUF, (unsigned)(src + dst + n));
                memcpy(want, buf, BUF);
                ref_move(want, dst, src, n);
                void *r = cw_test_memmove(buf + dst, buf + src, n);
                cr_assert_eq(r, buf + dst);
                cr_assert_arr_eq(buf, want, BUF, "memmove(dst=%zu, src=%zu, n=%zu)", dst, src, n);
            }
        }
    }
}

Test(mem, memmove_random_against_reference) {
    unsigned char buf[BUF], want[BUF];
    uint32_t x = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        x = x * 1103515245u + 12345u;
        size_t n = (x >> 8) % 120;
        x = x * 1103515245u + 12345u;
        size_t src = (x >> 8) % (BUF - n + 1);
        x = x * 1103515245u + 12345u;
        size_t dst = (x >> 8) % (BUF - n + 1);
        fill(buf, BUF, (unsigned)iter);
        memcpy(want, buf, BUF);
        ref_move(want, dst, src, n);
        cw_test_memmove(buf + dst, buf + src, n);
        cr_assert_arr_eq(buf, want, BUF, "iteration %d", iter);
    }
}

Test(mem, memcpy_all_alignments_and_lengths) {
    unsigned char src[BUF], dst[BUF], want[BUF];
    fill(src, BUF, 7);
    for (size_t so = 0; so < 16; so++) {
        for (size_t d_off = 0; d_off < 16; d_off++) {
            for (size_t n = 0; n <= 130; n++) {
                memset(dst, 0xEE, BUF);
                memset(want, 0xEE, BUF);
                memcpy(want + d_off, src + so, n);
                void *r = cw_test_memcpy(dst + d_off, src + so, n);
                cr_assert_eq(r, dst + d_off);
                cr_assert_arr_eq(dst, want, BUF, "memcpy(+%zu, +%zu, %zu)", d_off, so, n);
            }
        }
    }
}

Test(mem, memset_all_alignments_lengths_and_values) {
    unsigned char buf[BUF], want[BUF];
    const int values[] = {0, 1, 0x7F, 0x80, 0xAB, 0xFF, 0x1AB, -1};
    for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
        for (size_t off = 0; off < 16; off++) {
            for (size_t n = 0; n <= 100; n++) {
                fill(buf, BUF, 3);
                memcpy(want, buf, BUF);
                for (size_t i = 0; i < n; i++) want[off + i] = (unsigned char)values[v];
                void *r = cw_test_memset(buf + off, values[v], n);
                cr_assert_eq(r, buf + off);
                cr_assert_arr_eq(buf, want, BUF, "memset(+%zu, %d, %zu)", off, values[v], n);
            }
        }
    }
}

Test(mem, memcmp_sign_and_length) {
    unsigned char a[64], b[64];
    fill(a, 64, 9);
    memcpy(b, a, 64);
    cr_assert_eq(cw_test_memcmp(a, b, 64), 0);
    cr_assert_eq(cw_test_memcmp(a, b, 0), 0);
    for (size_t i = 0; i < 64; i++) {
        memcpy(b, a, 64);
        b[i] = (unsigned char)(a[i] + 1);
        cr_assert_lt(cw_test_memcmp(a, b, 64), 0, "a < b at %zu", i);
        cr_assert_gt(cw_test_memcmp(b, a, 64), 0, "b > a at %zu", i);
        cr_assert_eq(cw_test_memcmp(a, b, i), 0, "equal prefix of %zu", i);
    }
    /* Bytes compare as unsigned: 0x80 > 0x01. */
    unsigned char hi = 0x80, lo = 0x01;
    cr_assert_gt(cw_test_memcmp(&hi, &lo, 1), 0);
    cr_assert_lt(cw_test_memcmp(&lo, &hi, 1), 0);
}

Test(mem, strlen_counts_to_nul) {
    cr_assert_eq(cw_test_strlen(""), 0);
    cr_assert_eq(cw_test_strlen("a"), 1);
    cr_assert_eq(cw_test_strlen("hello, world"), 12);
    char buf[300];
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n < 280; n += 7) {
            memset(buf, 'x', sizeof buf);
            buf[off + n] = 0;
            cr_assert_eq(cw_test_strlen(buf + off), n);
        }
    }
}

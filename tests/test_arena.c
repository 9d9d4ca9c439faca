/* Tests for the per-call arena (sdk/src/cw_arena.c, cw_arena.h): held pointers stay valid
 * until cw_release_all, which frees every one of them (checked with the allocator's live-block
 * count), the list grows past its first capacity, NULL is not held, and held buffers keep
 * their bytes. */
#include <criterion/criterion.h>
#include <string.h>

#include "cw_arena.h"
#include "cw_mock.h"

static size_t live_blocks(void) {
    size_t live = 0;
    cw_mock_alloc_stats(&live, NULL, NULL);
    return live;
}

Test(arena, release_all_frees_every_held_block) {
    size_t before = live_blocks();
    for (int i = 0; i < 100; i++) { /* beyond the first capacity (16) and two doublings */
        char *p = cw_hold(cw_alloc(8));
        memset(p, i, 8);
    }
    cr_assert_gt(live_blocks(), before + 100 - 1);
    cw_release_all();
    cr_assert_eq(live_blocks(), before);
    cr_assert_null(cw_mock_alloc_check());
}

Test(arena, null_is_not_held) {
    size_t before = live_blocks();
    cr_assert_null(cw_hold(NULL));
    cw_release_all();
    cr_assert_eq(live_blocks(), before);
}

Test(arena, hold_returns_its_argument) {
    void *p = cw_alloc(4);
    cr_assert_eq(cw_hold(p), p);
    cw_release_all();
}

Test(arena, hold_buf_takes_the_bytes) {
    size_t before = live_blocks();
    cw_buf b = {0};
    cw_buf_puts(&b, "held text");
    cw_str s = cw_hold_buf(&b);
    cr_assert_eq(b.ptr, NULL);
    cr_assert_eq(b.len, 0);
    cr_assert_eq(s.len, 9);
    cr_assert_eq(memcmp(s.ptr, "held text", 9), 0);
    cr_assert_eq(s.ptr[9], '\0');
    cw_buf empty = {0};
    cw_str e = cw_hold_buf(&empty);
    cr_assert_eq(e.len, 0);
    cw_release_all();
    cr_assert_eq(live_blocks(), before);
}

Test(arena, usable_again_after_release) {
    size_t before = live_blocks();
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 20; i++) cw_hold(cw_alloc(16));
        cw_release_all();
        cr_assert_eq(live_blocks(), before, "round %d", round);
    }
}

/* The per-call arena of cw_arena.h: a growable list of held pointers, freed together by
 * cw_release_all when an entry point returns. */
#include "cw_arena.h"

static void **held;
static size_t n_held, cap_held;

void *cw_hold(void *p) {
    if (!p) return p;
    if (n_held == cap_held) {
        cap_held = cap_held ? cap_held * 2 : 16;
        held = cw_realloc(held, cap_held * sizeof *held);
    }
    held[n_held++] = p;
    return p;
}

void cw_release_all(void) {
    while (n_held) cw_free(held[--n_held]);
    cw_free(held);
    held = NULL;
    cap_held = 0;
}

cw_str cw_hold_buf(cw_buf *b) {
    size_t len;
    char *p = cw_buf_take(b, &len);
    cw_hold(p);
    return (cw_str){p, len};
}

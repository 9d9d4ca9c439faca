/* Per-call memory for stable_token: allocations that must live until the entry point returns
 * (unescaped strings, loaded values) are held here and freed together by st_release_all. */
#include "token.h"

static void **held;
static size_t n_held, cap_held;

void *st_hold(void *p) {
    if (!p) return p;
    if (n_held == cap_held) {
        cap_held = cap_held ? cap_held * 2 : 16;
        held = cw_realloc(held, cap_held * sizeof *held);
    }
    held[n_held++] = p;
    return p;
}

void st_release_all(void) {
    while (n_held) cw_free(held[--n_held]);
    cw_free(held);
    held = NULL;
    cap_held = 0;
}

cw_str st_hold_buf(cw_buf *b) {
    size_t len;
    char *p = cw_buf_take(b, &len);
    st_hold(p);
    return (cw_str){p, len};
}

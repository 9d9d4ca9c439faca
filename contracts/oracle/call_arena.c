/* Per-call memory for the oracle: allocations that must live until the entry point returns
 * (unescaped strings, loaded records, formatted numbers) are held here and freed together. */
#include "oracle.h"

static void **held;
static size_t n_held, cap_held;

void *or_hold(void *p) {
    if (!p) return p;
    if (n_held == cap_held) {
        cap_held = cap_held ? cap_held * 2 : 16;
        held = cw_realloc(held, cap_held * sizeof *held);
    }
    held[n_held++] = p;
    return p;
}

void or_release_all(void) {
    while (n_held) cw_free(held[--n_held]);
    cw_free(held);
    held = NULL;
    cap_held = 0;
}

cw_str or_hold_buf(cw_buf *b) {
    size_t len;
    char *p = cw_buf_take(b, &len);
    or_hold(p);
    return (cw_str){p, len};
}

cw_str or_dec_str(cw_decimal d) {
    char *p = or_hold(cw_alloc(CW_DECIMAL_STR_MAX));
    return (cw_str){p, cw_decimal_to_str(d, p)};
}

cw_str or_u64_str(uint64_t v) {
    char *p = or_hold(cw_alloc(24));
    return (cw_str){p, cw_u64_to_dec(v, p)};
}

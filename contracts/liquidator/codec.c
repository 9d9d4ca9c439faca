/* The liquidator's record storage (encoding: cw_record.h, SPEC.md §9), map keys, and held
 * texts for numbers. Everything loaded during a call is held in the
 * SDK's per-call arena (cw_arena.h) until the entry point returns. */
#include "liquidator.h"

bool lq_load(cw_str key, cw_str *value) {
    if (!cw_db_read(key, value)) return false;
    cw_hold((void *)value->ptr);
    return true;
}

cw_str lq_key(const char *ns, cw_str part) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last(&k, part);
    return cw_hold_buf(&k);
}

cw_str lq_key_id(const char *ns, uint64_t id) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last_u64(&k, id);
    return cw_hold_buf(&k);
}

/* A Uint128's decimal text (held). Passed with %s: a cw_u128 after a narrower vararg is read
 * from the wrong offset by %Q on wasm32. */
const char *lq_u(cw_u128 v) {
    char *s = cw_hold(cw_alloc(40));
    s[cw_u128_to_dec(v, s)] = '\0';
    return s;
}

const char *lq_dstr(cw_decimal d) {
    char *s = cw_hold(cw_alloc(CW_DECIMAL_STR_MAX));
    cw_decimal_to_str(d, s);
    return s;
}

cw_str lq_copy(cw_str s) {
    cw_buf b = {0};
    cw_buf_put_str(&b, s);
    return cw_hold_buf(&b);
}

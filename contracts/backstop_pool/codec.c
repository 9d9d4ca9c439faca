/* The backstop pool's record storage (encoding: cw_record.h, SPEC.md §8), keys and number
 * texts. Loaded values live in the per-call arena. */
#include "pool.h"

bool bp_load(cw_str key, cw_str *value) {
    if (!cw_db_read(key, value)) return false;
    cw_hold((void *)value->ptr);
    return true;
}

void bp_save(cw_str key, cw_buf *b) {
    cw_db_write(key, cw_buf_view(b));
    cw_buf_free(b);
}

const char *bp_u(cw_u128 v) {
    char *s = cw_hold(cw_alloc(40));
    s[cw_u128_to_dec(v, s)] = '\0';
    return s;
}

const char *bp_u256(cw_u256 v) {
    char *s = cw_hold(cw_alloc(CW_U256_DEC_MAX));
    cw_u256_to_dec(v, s);
    return s;
}

cw_str bp_key1(const char *ns, cw_str part) {
    cw_buf k = {0};
    cw_key_map(&k, ns);
    cw_key_last(&k, part);
    return cw_hold_buf(&k);
}

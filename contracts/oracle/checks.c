/* Checks and attribute helpers shared by the execute handlers: governance and feeders-asset
 * authorisation, price and config validation, decimal and quote attributes. */
#include "oracle.h"

void or_attr_dec(cw_response *res, const char *key, cw_decimal d) {
    cw_res_attr(res, key, or_dec_str(d));
}

void or_attr_quote(cw_response *res, const char *key, const or_quote *q) {
    if (q->set)
        or_attr_dec(res, key, q->price);
    else
        cw_res_attr(res, key, CW_LIT("none"));
}

cw_error *or_require_governance(const or_ctx *c) {
    if (cw_str_eq(c->info->sender, c->cfg.governance)) return NULL;
    return cw_errorf("unauthorized: %S is not governance", c->info->sender);
}

cw_error *or_load_feeders_asset(const or_config *cfg, cw_str denom, const char *action,
                                or_asset *a) {
    CW_TRY(or_asset_load(cfg, denom, a));
    if (a->source == OR_SRC_CHAIN)
        return cw_errorf("asset %S is chain-sourced: %s needs a feeders asset", denom, action);
    return NULL;
}

cw_error *or_require_positive(cw_decimal price) {
    if (!cw_decimal_is_zero(price)) return NULL;
    return cw_errorf("invalid price: 0 (must be positive)");
}

cw_error *or_config_validate(const or_config *cfg, uint64_t feeder_count) {
    if (cfg->quorum < 1 || cfg->quorum > feeder_count)
        return cw_errorf("invalid quorum: %llu (must be between 1 and feeder count %llu)",
                         (unsigned long long)cfg->quorum, (unsigned long long)feeder_count);
    if (cfg->max_age < 1 || cfg->max_age > OR_MAX_SECONDS)
        return cw_errorf("invalid max_age: %llu (must be 1..31536000 seconds)",
                         (unsigned long long)cfg->max_age);
    if (cw_decimal_is_zero(cfg->max_move))
        return cw_errorf("invalid max_move: 0 (must be positive)");
    if (cfg->delay > OR_MAX_SECONDS)
        return cw_errorf("invalid delay: %llu (must be 0..31536000 seconds)",
                         (unsigned long long)cfg->delay);
    return NULL;
}

cw_str or_dec_str(cw_decimal d) {
    char *p = cw_hold(cw_alloc(CW_DECIMAL_STR_MAX));
    return (cw_str){p, cw_decimal_to_str(d, p)};
}

cw_str or_u64_str(uint64_t v) {
    char *p = cw_hold(cw_alloc(24));
    return (cw_str){p, cw_u64_to_dec(v, p)};
}

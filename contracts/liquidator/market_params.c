/* Per-market auction parameters set by governance (curve, start buffer, reset rules, dust,
 * backstop health): the record, set_market_params with validation (SPEC.md §2), and the JSON
 * form the market_params query answers. */
#include "liquidator.h"

/* --- Record ---------------------------------------------------------------------------------- */

cw_error *lq_params_load(cw_str market, lq_params *p) {
    cw_str v;
    if (!lq_load(lq_key("params", market), &v))
        return cw_errorf("no auction parameters for market %S", market);
    cw_record r = {v, 0};
    p->curve = cw_record_get_u64(&r);
    p->duration = cw_record_get_u64(&r);
    p->step = cw_record_get_u64(&r);
    p->cut.atomics = cw_record_get_u128(&r);
    p->start_buffer.atomics = cw_record_get_u128(&r);
    p->max_duration = cw_record_get_u64(&r);
    p->reset_threshold.atomics = cw_record_get_u128(&r);
    p->dust = cw_record_get_u128(&r);
    p->backstop_health.atomics = cw_record_get_u128(&r);
    return NULL;
}

static void params_save(cw_str market, const lq_params *p) {
    cw_buf b = {0};
    cw_record_put_u64(&b, p->curve);
    cw_record_put_u64(&b, p->duration);
    cw_record_put_u64(&b, p->step);
    cw_record_put_u128(&b, p->cut.atomics);
    cw_record_put_u128(&b, p->start_buffer.atomics);
    cw_record_put_u64(&b, p->max_duration);
    cw_record_put_u128(&b, p->reset_threshold.atomics);
    cw_record_put_u128(&b, p->dust);
    cw_record_put_u128(&b, p->backstop_health.atomics);
    cw_db_write(lq_key("params", market), cw_buf_view(&b));
    cw_buf_free(&b);
}

/* --- Messages -------------------------------------------------------------------------------- */

typedef struct params_msg {
    cw_str market;
    cw_json curve;
    cw_decimal start_buffer, reset_threshold, backstop_health;
    cw_u128 dust;
    uint64_t max_duration;
} params_msg;
static const cw_field PARAMS[] = {
    CW_REQ(params_msg, "market", LQ_STR, market),
    CW_REQ(params_msg, "curve", LQ_RAW, curve),
    CW_REQ(params_msg, "start_buffer", LQ_DEC, start_buffer),
    CW_REQ(params_msg, "max_duration", LQ_U64, max_duration),
    CW_REQ(params_msg, "reset_threshold", LQ_DEC, reset_threshold),
    CW_REQ(params_msg, "dust", LQ_U128, dust),
    CW_REQ(params_msg, "backstop_health", LQ_DEC, backstop_health),
};

typedef struct curve_msg {
    uint64_t duration, step;
    cw_decimal cut;
} curve_msg;
static const cw_field LINEAR[] = {CW_REQ(curve_msg, "duration", LQ_U64, duration)};
static const cw_field EXPONENTIAL[] = {CW_REQ(curve_msg, "step", LQ_U64, step),
                                       CW_REQ(curve_msg, "cut", LQ_DEC, cut)};
static const char *const CURVES[] = {"linear", "exponential", NULL};

static bool valid_market_id(cw_str id) {
    if (id.len < 1 || id.len > 32) return false;
    for (size_t i = 0; i < id.len; i++) {
        char ch = id.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

static cw_error *bad(const char *field, cw_decimal v, const char *rule) {
    return cw_errorf("invalid parameters: %s %s must be %s", field, lq_dstr(v), rule);
}

static cw_error *check(const params_msg *m, const lq_params *p) {
    if (!valid_market_id(m->market))
        return cw_errorf("invalid parameters: market '%S' must match [a-z0-9_-]{1,32}", m->market);
    if (p->curve == LQ_LINEAR && p->duration == 0)
        return cw_errorf("invalid parameters: curve.linear.duration must be > 0");
    if (p->curve == LQ_EXPONENTIAL) {
        if (p->step == 0)
            return cw_errorf("invalid parameters: curve.exponential.step must be > 0");
        if (cw_decimal_is_zero(p->cut) || !cw_decimal_lt(p->cut, cw_decimal_one()))
            return bad("curve.exponential.cut", p->cut, "> 0 and < 1");
    }
    if (cw_decimal_lt(p->start_buffer, cw_decimal_one()) ||
        cw_decimal_gt(p->start_buffer, cw_decimal_from_uint(10)))
        return bad("start_buffer", p->start_buffer, ">= 1 and <= 10");
    if (p->max_duration == 0) return cw_errorf("invalid parameters: max_duration must be > 0");
    if (cw_decimal_is_zero(p->reset_threshold) ||
        !cw_decimal_lt(p->reset_threshold, cw_decimal_one()))
        return bad("reset_threshold", p->reset_threshold, "> 0 and < 1");
    if (cw_decimal_gt(p->backstop_health, cw_decimal_one()))
        return bad("backstop_health", p->backstop_health, "<= 1");
    return NULL;
}

cw_error *lq_exec_set_market_params(lq_ctx *c, cw_json body) {
    params_msg m = {0};
    CW_TRY(lq_parse(body, PARAMS, 7, &m));
    CW_TRY(lq_require_governance(c));
    size_t which;
    cw_json curve_body;
    curve_msg cm = {0};
    CW_TRY(cw_parse_enum(m.curve, CURVES, &which, &curve_body));
    CW_TRY(lq_parse(curve_body, which == LQ_LINEAR ? LINEAR : EXPONENTIAL, which + 1, &cm));
    lq_params p = {which,          cm.duration,       cm.step, cm.cut,           m.start_buffer,
                   m.max_duration, m.reset_threshold, m.dust,  m.backstop_health};
    CW_TRY(check(&m, &p));
    cw_str old;
    bool replaced = lq_load(lq_key("params", m.market), &old);
    params_save(m.market, &p);
    cw_res_attr_c(c->res, "action", "set_market_params");
    cw_res_attr(c->res, "market", m.market);
    cw_res_attr_c(c->res, "replaced", replaced ? "true" : "false");
    cw_res_attr_c(c->res, "curve", CURVES[which]);
    if (which == LQ_LINEAR) {
        cw_res_attr_u64(c->res, "duration", p.duration);
    } else {
        cw_res_attr_u64(c->res, "step", p.step);
        cw_res_attr_c(c->res, "cut", lq_dstr(p.cut));
    }
    cw_res_attr_c(c->res, "start_buffer", lq_dstr(p.start_buffer));
    cw_res_attr_u64(c->res, "max_duration", p.max_duration);
    cw_res_attr_c(c->res, "reset_threshold", lq_dstr(p.reset_threshold));
    cw_res_attr_u128(c->res, "dust", p.dust);
    cw_res_attr_c(c->res, "backstop_health", lq_dstr(p.backstop_health));
    return NULL;
}

/* --- Query form ------------------------------------------------------------------------------ */

void lq_write_params(cw_jw *w, cw_str market, const lq_params *p) {
    cw_jw_obj_begin(w);
    cw_jw_key(w, "market");
    cw_jw_str(w, market);
    cw_jw_key(w, "curve");
    cw_jw_obj_begin(w);
    cw_jw_key(w, CURVES[p->curve]);
    cw_jw_obj_begin(w);
    if (p->curve == LQ_LINEAR) {
        cw_jw_key(w, "duration");
        cw_jw_u64(w, p->duration);
    } else {
        cw_jw_key(w, "step");
        cw_jw_u64(w, p->step);
        cw_jw_key(w, "cut");
        cw_jw_cstr(w, lq_dstr(p->cut));
    }
    cw_jw_obj_end(w);
    cw_jw_obj_end(w);
    cw_jw_key(w, "start_buffer");
    cw_jw_cstr(w, lq_dstr(p->start_buffer));
    cw_jw_key(w, "max_duration");
    cw_jw_u64(w, p->max_duration);
    cw_jw_key(w, "reset_threshold");
    cw_jw_cstr(w, lq_dstr(p->reset_threshold));
    cw_jw_key(w, "dust");
    cw_jw_u128_str(w, p->dust);
    cw_jw_key(w, "backstop_health");
    cw_jw_cstr(w, lq_dstr(p->backstop_health));
    cw_jw_obj_end(w);
}

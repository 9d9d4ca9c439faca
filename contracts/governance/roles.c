/* The timelock's configuration rules (instantiate and update_config), self-administration
 * (update_config is accepted only from the timelock itself, i.e. from an executed proposal) and
 * the emergency role (allow-listed execute messages sent at once). SPEC.md §3, §5, §6. */
#include "governance.h"

static const char *const DEFAULT_ACTIONS[] = {"set_circuit_breaker", "shutdown", "pause"};

static bool valid_action(cw_str s) {
    if (s.len < 1 || s.len > 64) return false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    }
    return true;
}

static cw_error *actions_from(cw_json list, bool given, gv_config *c) {
    c->actions = cw_hold(cw_alloc(sizeof(cw_str) * (GV_MAX_ACTIONS + 1)));
    c->n_actions = 0;
    if (!given) {
        for (uint32_t i = 0; i < 3; i++) c->actions[i] = cw_cstr(DEFAULT_ACTIONS[i]);
        c->n_actions = 3;
        return NULL;
    }
    if (list.type != CW_JSON_ARRAY)
        return cw_errorf("invalid type for `emergency_actions`: expected an array, got %S",
                         list.text);
    if (cw_json_len(list) > GV_MAX_ACTIONS)
        return cw_errorf("invalid config: at most %u emergency_actions, got %u",
                         (unsigned)GV_MAX_ACTIONS, (unsigned)cw_json_len(list));
    cw_json_iter it = cw_json_iter_begin(list);
    cw_json v;
    while (cw_json_next(&it, NULL, &v)) {
        cw_str name;
        CW_TRY(cw_parse_string(v, "emergency_actions", "a string", &name));
        if (!valid_action(name))
            return cw_errorf("invalid config: emergency action `%S` must match [a-z0-9_]{1,64}",
                             name);
        for (uint32_t i = 0; i < c->n_actions; i++)
            if (cw_str_eq(c->actions[i], name))
                return cw_errorf("invalid config: duplicate emergency action `%S`", name);
        c->actions[c->n_actions++] = name;
    }
    return NULL;
}

cw_error *gv_config_from_msg(const gv_msg *m, gv_config *c) {
    c->proposer = m->proposer;
    c->guardian = m->guardian;
    c->emergency = m->emergency;
    c->min_delay = m->min_delay;
    c->max_delay = m->max_delay;
    c->grace_period = m->grace_period;
    if (c->min_delay > c->max_delay)
        return cw_errorf("invalid config: min_delay %s > max_delay %s", gv_u64_str(c->min_delay),
                         gv_u64_str(c->max_delay));
    if (c->max_delay > GV_MAX_SECONDS)
        return cw_errorf("invalid config: max_delay %s > %s (365 days)", gv_u64_str(c->max_delay),
                         gv_u64_str(GV_MAX_SECONDS));
    if (c->grace_period == 0) return cw_errorf("invalid config: grace_period must be > 0");
    if (c->grace_period > GV_MAX_SECONDS)
        return cw_errorf("invalid config: grace_period %s > %s (365 days)",
                         gv_u64_str(c->grace_period), gv_u64_str(GV_MAX_SECONDS));
    return actions_from(m->emergency_actions, m->has_actions, c);
}

static void attr_role(cw_response *res, const char *key, cw_str addr) {
    cw_res_attr(res, key, addr.len ? addr : CW_LIT("none"));
}

void gv_config_attrs(cw_response *res, const gv_config *c) {
    cw_res_attr(res, "proposer", c->proposer);
    attr_role(res, "guardian", c->guardian);
    attr_role(res, "emergency", c->emergency);
    cw_res_attr_u64(res, "min_delay", c->min_delay);
    cw_res_attr_u64(res, "max_delay", c->max_delay);
    cw_res_attr_u64(res, "grace_period", c->grace_period);
    cw_buf b = {0};
    for (uint32_t i = 0; i < c->n_actions; i++)
        cw_buf_printf(&b, "%s%S", i ? "," : "", c->actions[i]);
    cw_res_attr(res, "emergency_actions", cw_buf_view(&b));
    cw_buf_free(&b);
}

/* --- Self-administration --------------------------------------------------------------------- */

cw_error *gv_exec_update_config(gv_ctx *c, const gv_msg *m) {
    if (!cw_str_eq(c->info->sender, c->env->contract_address))
        return cw_errorf("unauthorized: update_config only through an executed proposal "
                         "(sender %S)",
                         c->info->sender);
    gv_config next;
    CW_TRY(gv_config_from_msg(m, &next));
    c->cfg = next;
    gv_config_save(&c->cfg);
    cw_res_attr_c(c->res, "action", "update_config");
    gv_config_attrs(c->res, &c->cfg);
    return NULL;
}

/* --- Emergency -------------------------------------------------------------------------------- */

cw_error *gv_exec_emergency(gv_ctx *c, const gv_msg *m) {
    if (!c->cfg.emergency.len) return cw_errorf("unauthorized: no emergency role is configured");
    if (!cw_str_eq(c->info->sender, c->cfg.emergency))
        return cw_errorf("unauthorized: emergency role only (sender %S)", c->info->sender);
    cw_buf canonical = {0}, variants = {0};
    uint32_t count = 0;
    cw_error *err = gv_canonical_msgs(m->msgs, true, &c->cfg, &canonical, &count, &variants);
    cw_str text = cw_hold_buf(&canonical), actions = cw_hold_buf(&variants);
    if (err) return err;
    cw_json arr, item;
    CW_TRY(cw_json_parse(text, &arr));
    cw_json_iter it = cw_json_iter_begin(arr);
    while (cw_json_next(&it, NULL, &item)) cw_res_message(c->res, item.text);
    c->counts.emergency_runs++;
    cw_res_attr_c(c->res, "action", "emergency");
    cw_res_attr(c->res, "sender", c->info->sender);
    cw_res_attr_u64(c->res, "msgs", count);
    cw_res_attr(c->res, "emergency_actions", actions);
    cw_res_attr(c->res, "msgs_hash", gv_hash_hex(text));
    cw_res_attr_u64(c->res, "emergency_runs", c->counts.emergency_runs);
    return NULL;
}

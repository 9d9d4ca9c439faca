/* Emergency shutdown (SOLVENCY.md §4): the engine's shutdown stops new auctions, takes and
 * resets; then anyone cancels each live auction, sending its lot to settlement and telling the
 * engine to move its uncovered debt to `settled` (SPEC.md §7). */
#include "liquidator.h"

typedef struct shutdown_msg {
    cw_str settlement;
    uint64_t auction_id;
    bool has_settlement;
} shutdown_msg;
/* The engine sends its settlement address, or null when it has none yet (governance then sets
 * it here with update_config before lots can be cancelled). */
static const cw_field SHUTDOWN[] = {
    CW_OPT(shutdown_msg, "settlement", LQ_ADDR, settlement, has_settlement)};
static const cw_field CANCEL[] = {CW_REQ(shutdown_msg, "auction_id", LQ_U64, auction_id)};

cw_error *lq_exec_shutdown(lq_ctx *c, cw_json body) {
    shutdown_msg m = {0};
    CW_TRY(lq_parse(body, SHUTDOWN, 1, &m));
    CW_TRY(lq_require_engine(c));
    if (c->cfg.shut_down) return cw_errorf("liquidator is already shut down");
    c->cfg.shut_down = 1;
    if (m.has_settlement) c->cfg.settlement = m.settlement;
    lq_config_save(&c->cfg);
    cw_res_attr_c(c->res, "action", "shutdown");
    if (c->cfg.settlement.len)
        cw_res_attr(c->res, "settlement", c->cfg.settlement);
    else
        cw_res_attr_c(c->res, "settlement", "none");
    return NULL;
}

cw_error *lq_exec_cancel_auction(lq_ctx *c, cw_json body) {
    shutdown_msg m = {0};
    CW_TRY(lq_parse(body, CANCEL, 1, &m));
    if (!c->cfg.shut_down)
        return cw_errorf("liquidator is not shut down: cancel_auction needs the engine's shutdown");
    if (!c->cfg.settlement.len)
        return cw_errorf("settlement not configured: governance sets it with update_config");
    lq_auction a;
    CW_TRY(lq_auction_load(m.auction_id, &a));
    lq_touch_auction(c, &a);
    lq_auction_attrs(c, "cancel_auction", &a);
    cw_res_attr(c->res, "settlement", c->cfg.settlement);
    cw_res_attr_u128(c->res, "lot", a.lot);
    cw_res_attr_u128(c->res, "debt", a.debt);
    cw_res_attr_u128(c->res, "penalty_forgiven", a.tab - a.debt);
    lq_send_collateral(c, &a, c->cfg.settlement, a.lot);
    if (a.debt) {
        cw_buf w = {0};
        cw_buf_printf(&w, "{\"auction_cancelled\":{\"market\":%J,\"debt\":\"%s\"}}", a.market,
                      lq_u(a.debt));
        lq_engine_exec(c, cw_hold_buf(&w));
        c->ledger.debt_out = cw_u128_add(c->ledger.debt_out, a.debt);
    }
    lq_auction_done(c, &a, true);
    return NULL;
}

/* vault_engine entry points: instantiate, the execute dispatcher (user and governance messages,
 * the CW20 Receive hook routing repayments and CW20 deposits) which ends every successful
 * execute with the accounting check, and the query entry. See SPEC.md. */
#include "engine.h"
#include "cw_parse.h"

/* --- Instantiate ---------------------------------------------------------------------------- */

/* Optional solvency settings of instantiate and update_config (SOLVENCY.md). */
#define SOLVENCY_FIELDS                                                                            \
    VE_OPT("liquidator", VE_ADDR, liquidator, has_liquidator),                                     \
        VE_OPT("backstop_pool", VE_ADDR, backstop_pool, has_pool),                                 \
        VE_OPT("settlement", VE_ADDR, settlement, has_settlement),                                 \
        VE_OPT("global_auction_debt_limit", VE_U128, global_auction_debt_limit, has_gadl),         \
        VE_OPT("keeper_tip", VE_U128, keeper_tip, has_tip),                                        \
        VE_OPT("keeper_fee", VE_DEC, keeper_fee, has_kfee),                                        \
        VE_OPT("keeper_reward_cap", VE_U128, keeper_reward_cap, has_kcap)

static const ve_field INIT[] = {
    VE_REQ("governance", VE_ADDR, governance),
    VE_REQ("stable_token", VE_ADDR, stable_token),
    VE_REQ("oracle", VE_ADDR, oracle),
    VE_REQ("global_debt_ceiling", VE_U128, global_debt_ceiling),
    SOLVENCY_FIELDS,
};

static cw_error *ve_instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                                cw_response *res) {
    (void)info;
    ve_msg m = {0};
    cw_error *err = ve_parse(msg, INIT, 11, &m);
    if (!err) err = ve_instantiate_config(env, &m, res);
    cw_release_all();
    return err;
}

/* --- Execute -------------------------------------------------------------------------------- */

#define POSITION_ID VE_REQ("position_id", VE_U64, position_id)
#define AMOUNT VE_REQ("amount", VE_U128, amount)
#define RECIPIENT VE_OPT("recipient", VE_ADDR, recipient, has_recipient)
#define FORCE VE_OPT("force", VE_BOOL, force, has_force)

static const ve_field OPEN[] = {VE_REQ("market", VE_STR, market)};
static const ve_field BY_ID[] = {POSITION_ID};
static const ve_field WITHDRAW[] = {POSITION_ID, VE_REQ("asset", VE_STR, asset), AMOUNT, RECIPIENT};
static const ve_field BORROW[] = {POSITION_ID, AMOUNT, RECIPIENT};
static const ve_field TRANSFER[] = {POSITION_ID, VE_REQ("new_owner", VE_ADDR, new_owner)};
static const ve_field RECEIVE[] = {VE_REQ("sender", VE_STR, sender), AMOUNT,
                                   VE_REQ("msg", VE_RAW, msg)};
static const ve_field UPDATE_CONFIG[] = {
    VE_OPT("governance", VE_ADDR, governance, has_governance),
    VE_OPT("oracle", VE_ADDR, oracle, has_oracle),
    VE_OPT("global_debt_ceiling", VE_U128, global_debt_ceiling, has_gdc), FORCE, SOLVENCY_FIELDS};
#define AUCTION_LIMIT VE_OPT("auction_debt_limit", VE_U128, auction_debt_limit, has_adl)
static const ve_field CREATE_MARKET[] = {VE_REQ("id", VE_STR, id),
                                         VE_REQ("stability_fee", VE_DEC, stability_fee),
                                         VE_REQ("debt_ceiling", VE_U128, debt_ceiling),
                                         VE_REQ("min_debt", VE_U128, min_debt), AUCTION_LIMIT};
static const ve_field UPDATE_MARKET[] = {VE_REQ("id", VE_STR, id),
                                         VE_OPT("stability_fee", VE_DEC, stability_fee, has_fee),
                                         VE_OPT("debt_ceiling", VE_U128, debt_ceiling, has_dc),
                                         VE_OPT("min_debt", VE_U128, min_debt, has_md),
                                         FORCE,
                                         AUCTION_LIMIT};
static const ve_field LIQUIDATE[] = {POSITION_ID, VE_OPT("keeper", VE_ADDR, keeper, has_keeper)};
#define MARKET VE_REQ("market", VE_STR, market)
#define DEBT VE_REQ("debt", VE_U128, debt)
static const ve_field WRITE_OFF[] = {MARKET, AMOUNT};
static const ve_field KEEPER_REWARD[] = {VE_REQ("keeper", VE_ADDR, keeper), MARKET, DEBT};
static const ve_field MARKET_DEBT[] = {MARKET, DEBT};
static const ve_field FIX_PRICE[] = {MARKET, VE_REQ("asset", VE_STR, asset)};
static const ve_field ADD_COLLATERAL[] = {
    VE_REQ("market", VE_STR, market),
    VE_REQ("asset", VE_STR, asset),
    VE_REQ("kind", VE_STR, kind),
    VE_REQ("oracle_denom", VE_STR, oracle_denom),
    VE_REQ("max_ltv", VE_DEC, max_ltv),
    VE_REQ("liquidation_threshold", VE_DEC, liquidation_threshold),
    VE_REQ("liquidation_penalty", VE_DEC, liquidation_penalty),
    VE_REQ("supply_cap", VE_U128, supply_cap)};
static const ve_field UPDATE_COLLATERAL[] = {
    VE_REQ("market", VE_STR, market),
    VE_REQ("asset", VE_STR, asset),
    VE_OPT("oracle_denom", VE_STR, oracle_denom, has_od),
    VE_OPT("max_ltv", VE_DEC, max_ltv, has_ltv),
    VE_OPT("liquidation_threshold", VE_DEC, liquidation_threshold, has_lt),
    VE_OPT("liquidation_penalty", VE_DEC, liquidation_penalty, has_lp),
    VE_OPT("supply_cap", VE_U128, supply_cap, has_cap),
    FORCE};

typedef cw_error *(*ve_exec_fn)(ve_ctx *c, const ve_msg *m);
static cw_error *exec_receive(ve_ctx *c, const ve_msg *m);

static const char *const EXECS[] = {
    "open_position",     "deposit",           "withdraw",      "borrow",          "close",
    "transfer_position", "receive",           "update_config", "create_market",   "update_market",
    "add_collateral",    "update_collateral", "liquidate",     "write_off",       "keeper_reward",
    "auction_cancelled", "shutdown",          "fix_price",     "settle_position", NULL};
static const struct {
    const ve_field *fields;
    uint8_t n;
    bool takes_funds;
    ve_exec_fn run;
} EXEC_TABLE[] = {
    {OPEN, 1, true, ve_exec_open_position},
    {BY_ID, 1, true, ve_exec_deposit},
    {WITHDRAW, 4, false, ve_exec_withdraw},
    {BORROW, 3, false, ve_exec_borrow},
    {BY_ID, 1, false, ve_exec_close},
    {TRANSFER, 2, false, ve_exec_transfer_position},
    {RECEIVE, 3, false, exec_receive},
    {UPDATE_CONFIG, 11, false, ve_exec_update_config},
    {CREATE_MARKET, 5, false, ve_exec_create_market},
    {UPDATE_MARKET, 6, false, ve_exec_update_market},
    {ADD_COLLATERAL, 8, false, ve_exec_add_collateral},
    {UPDATE_COLLATERAL, 8, false, ve_exec_update_collateral},
    {LIQUIDATE, 2, false, ve_exec_liquidate},
    {WRITE_OFF, 2, false, ve_exec_write_off},
    {KEEPER_REWARD, 3, false, ve_exec_keeper_reward},
    {MARKET_DEBT, 2, false, ve_exec_auction_cancelled},
    {NULL, 0, false, ve_exec_shutdown},
    {FIX_PRICE, 2, false, ve_exec_fix_price},
    {BY_ID, 1, false, ve_exec_settle_position},
};

/* The Receive hook: stable_token pays debt (repay / close), auction proceeds (from the liquidator
 * or the backstop pool) and donations (recapitalize); any other CW20 deposits itself. */
static const char *const STABLE_MSGS[] = {"repay", "close", "auction_proceeds", "recapitalize",
                                          NULL};
static const char *const TOKEN_MSGS[] = {"deposit", NULL};

static cw_error *exec_receive(ve_ctx *c, const ve_msg *m) {
    cw_json inner, body;
    CW_TRY(cw_parse_receive_msg(m->msg, &inner));
    bool stable = cw_str_eq(c->info->sender, c->cfg.stable_token);
    size_t which;
    CW_TRY(ve_parse_enum(inner, stable ? STABLE_MSGS : TOKEN_MSGS, &which, &body));
    ve_msg in = {0};
    if (stable && which == 2) {
        CW_TRY(ve_parse(body, MARKET_DEBT, 2, &in));
        return ve_auction_proceeds(c, m->sender, m->amount, in.market, in.debt);
    }
    if (stable && which == 3) {
        CW_TRY(ve_parse(body, NULL, 0, &in));
        return ve_recapitalize(c, m->sender, m->amount);
    }
    CW_TRY(ve_parse(body, BY_ID, 1, &in));
    if (stable) return ve_stable_received(c, m->sender, m->amount, in.position_id, which == 1);
    return ve_cw20_deposit(c, c->info->sender, m->amount, in.position_id);
}

static cw_error *dispatch(ve_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    ve_msg m = {0};
    CW_TRY(ve_parse_enum(msg, EXECS, &which, &body));
    CW_TRY(ve_parse(body, EXEC_TABLE[which].fields, EXEC_TABLE[which].n, &m));
    if (!EXEC_TABLE[which].takes_funds && c->info->n_funds)
        return cw_errorf("this message takes no funds: got %Q%S", c->info->funds[0].amount,
                         c->info->funds[0].denom);
    CW_TRY(ve_config_load(&c->cfg));
    CW_TRY(ve_totals_load(&c->totals));
    c->ledger.totals_before = c->totals;
    CW_TRY(EXEC_TABLE[which].run(c, &m));
    return ve_finish(c);
}

static cw_error *ve_execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    static ve_ctx c; /* large; one call per instance */
    c = (ve_ctx){0};
    c.env = env;
    c.info = info;
    c.res = res;
    c.now = env->time_ns / 1000000000u;
    cw_error *err = dispatch(&c, msg);
    cw_release_all();
    return err;
}

/* --- Query ---------------------------------------------------------------------------------- */

static cw_error *ve_query_entry(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = ve_query(env, msg, answer);
    cw_release_all();
    return err;
}

CW_CONTRACT(ve_instantiate, ve_execute, ve_query_entry)

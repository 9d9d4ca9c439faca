/* stable_token entry points: instantiate (token info, initial balances, minter, marketing),
 * the execute dispatcher with the supply-identity check, and the query entry. A drop-in for
 * cw20-base 1.1.x; see SPEC.md. */
#include "token.h"

#define INIT_MSG "cw20_base::msg::InstantiateMsg"
#define EXEC_MSG "cw20::msg::Cw20ExecuteMsg"

/* --- Instantiate ----------------------------------------------------------------------------- */

typedef struct initial_balance {
    cw_str address;
    cw_u128 amount;
} initial_balance;

typedef struct instantiate_msg {
    st_token_info info; /* name, symbol, decimals, minter, cap */
    cw_json balances, mint, marketing;
    bool has_mint, has_marketing;
    initial_balance *rows;
    size_t n_rows;
    st_marketing_init marketing_init;
} instantiate_msg;

static const cw_field INIT_FIELDS[] = {
    CW_REQ(instantiate_msg, "name", ST_STRING, info.name),
    CW_REQ(instantiate_msg, "symbol", ST_STRING, info.symbol),
    CW_REQ(instantiate_msg, "decimals", ST_U8, info.decimals),
    CW_REQ(instantiate_msg, "initial_balances", ST_RAW, balances),
    CW_OPT(instantiate_msg, "mint", ST_RAW, mint, has_mint),
    CW_OPT(instantiate_msg, "marketing", ST_RAW, marketing, has_marketing),
};

static const cw_field COIN_FIELDS[] = {
    CW_REQ(initial_balance, "address", ST_STRING, address),
    CW_REQ(initial_balance, "amount", ST_U128, amount),
};

static cw_error *parse_instantiate(cw_json msg, instantiate_msg *m) {
    CW_TRY(st_parse_struct(msg, "InstantiateMsg", INIT_FIELDS, 6, m));
    if (m->balances.type != CW_JSON_ARRAY)
        return cw_errorf("invalid type: %S, expected a sequence", m->balances.text);
    m->n_rows = cw_json_len(m->balances);
    m->rows = cw_hold(cw_alloc(sizeof *m->rows * (m->n_rows + 1)));
    cw_json_iter it = cw_json_iter_begin(m->balances);
    cw_json row;
    for (size_t i = 0; cw_json_next(&it, NULL, &row); i++)
        CW_TRY(st_parse_struct(row, "Cw20Coin", COIN_FIELDS, 2, &m->rows[i]));
    m->info.has_minter = m->has_mint;
    if (m->has_mint)
        CW_TRY(st_parse_struct(m->mint, "MinterResponse", st_minter_fields, 2, &m->info));
    if (m->has_marketing) CW_TRY(st_marketing_parse(m->marketing, &m->marketing_init));
    return NULL;
}

static bool valid_symbol(cw_str s) {
    if (s.len < 3 || s.len > 12) return false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        if (ch != '-' && !(ch >= 'A' && ch <= 'Z') && !(ch >= 'a' && ch <= 'z')) return false;
    }
    return true;
}

/* Shell sort of the address strings (Ciura's gaps extended by ×9/4: O(n^1.3) comparisons in
 * practice, so thousands of initial balances stay cheap), then one pass for equal neighbours. */
static bool has_duplicate(const initial_balance *rows, size_t n) {
    cw_str *a = cw_alloc(sizeof *a * (n + 1));
    for (size_t i = 0; i < n; i++) a[i] = rows[i].address;
    size_t gap = 1;
    while (gap < n / 2) gap = gap * 9 / 4 + 1;
    for (; gap; gap = gap == 1 ? 0 : gap * 4 / 9) {
        for (size_t i = gap; i < n; i++) {
            cw_str t = a[i];
            size_t j = i;
            for (; j >= gap && cw_str_cmp(a[j - gap], t) > 0; j -= gap) a[j] = a[j - gap];
            a[j] = t;
        }
    }
    bool dup = false;
    for (size_t i = 1; i < n && !dup; i++) dup = cw_str_eq(a[i - 1], a[i]);
    cw_free(a);
    return dup;
}

static cw_error *instantiate(const instantiate_msg *m) {
    cw_item_save("contract_info",
                 CW_LIT("{\"contract\":\"crates.io:cw20-base\",\"version\":\"1.1.2\"}"));
    st_token_info ti = m->info;
    const char *invalid = ti.name.len < 3 || ti.name.len > 50
                              ? "Name is not in the expected format (3-50 UTF-8 bytes)"
                          : !valid_symbol(ti.symbol)
                              ? "Ticker symbol is not in expected format [a-zA-Z\\-]{3,12}"
                          : ti.decimals > 18 ? "Decimals must not exceed 18"
                                             : NULL;
    if (invalid) return cw_errorf("Generic error: %s", invalid);
    if (has_duplicate(m->rows, m->n_rows)) return cw_errorf("Duplicate initial balance addresses");
    cw_u128 supply = 0;
    for (size_t i = 0; i < m->n_rows; i++) {
        CW_TRY(cw_addr_validate(m->rows[i].address));
        st_balance_save(m->rows[i].address, m->rows[i].amount);
        if (supply + m->rows[i].amount < supply) cw_abort("attempt to add with overflow");
        supply += m->rows[i].amount;
    }
    if (ti.has_minter && ti.has_cap && supply > ti.cap)
        return cw_errorf("Generic error: Initial supply greater than cap");
    if (ti.has_minter) CW_TRY(cw_addr_validate(ti.minter));
    ti.total_supply = supply;
    st_token_info_save(&ti);
    if (m->has_marketing) CW_TRY(st_marketing_instantiate(&m->marketing_init));
    return NULL;
}

static cw_error *st_instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                                cw_response *res) {
    (void)env, (void)info, (void)res;
    instantiate_msg m = {0};
    cw_error *err = st_parse_error(INIT_MSG, parse_instantiate(msg, &m));
    if (!err) err = instantiate(&m);
    cw_release_all();
    return err;
}

/* --- Execute --------------------------------------------------------------------------------- */

#define M_REQ(name, kind, member) CW_REQ(st_msg, name, kind, member)
#define AMOUNT M_REQ("amount", ST_U128, amount)
#define MSG M_REQ("msg", ST_BINARY, binary)
#define EXPIRES CW_OPT(st_msg, "expires", ST_EXPIRATION, expires, has_expires)

static const cw_field TRANSFER[] = {M_REQ("recipient", ST_STRING, who), AMOUNT};
static const cw_field BURN[] = {AMOUNT};
static const cw_field SEND[] = {M_REQ("contract", ST_STRING, who), AMOUNT, MSG};
static const cw_field ALLOWANCE[] = {M_REQ("spender", ST_STRING, who), AMOUNT, EXPIRES};
static const cw_field TRANSFER_FROM[] = {M_REQ("owner", ST_STRING, who),
                                         M_REQ("recipient", ST_STRING, to), AMOUNT};
static const cw_field SEND_FROM[] = {M_REQ("owner", ST_STRING, who),
                                     M_REQ("contract", ST_STRING, to), AMOUNT, MSG};
static const cw_field BURN_FROM[] = {M_REQ("owner", ST_STRING, who), AMOUNT};
static const cw_field MINT[] = {M_REQ("recipient", ST_STRING, who), AMOUNT};
static const cw_field UPDATE_MINTER[] = {CW_OPT(st_msg, "new_minter", ST_STRING, who, has_who)};

typedef struct exec_variant {
    const cw_field *fields;
    uint8_t n_fields;
    st_exec_fn run;
} exec_variant;

/* cw20::msg::Cw20ExecuteMsg in declaration order (serde lists variants in this order), then
 * the marketing extension's variants, which are refused (ST_OMITTED). */
#define N_EXECS 10
static const char *const VARIANTS[] = {"transfer",
                                       "burn",
                                       "send",
                                       "increase_allowance",
                                       "decrease_allowance",
                                       "transfer_from",
                                       "send_from",
                                       "burn_from",
                                       "mint",
                                       "update_minter",
                                       NULL,
                                       "update_marketing",
                                       "upload_logo",
                                       NULL};
static const exec_variant EXECS[] = {
    {TRANSFER, 2, st_exec_transfer},
    {BURN, 1, st_exec_burn},
    {SEND, 3, st_exec_send},
    {ALLOWANCE, 3, st_exec_increase_allowance},
    {ALLOWANCE, 3, st_exec_decrease_allowance},
    {TRANSFER_FROM, 3, st_exec_transfer_from},
    {SEND_FROM, 4, st_exec_send_from},
    {BURN_FROM, 2, st_exec_burn_from},
    {MINT, 2, st_exec_mint},
    {UPDATE_MINTER, 1, st_exec_update_minter},
};

static cw_error *dispatch(st_ctx *c, cw_json msg) {
    size_t which;
    cw_json body;
    CW_TRY(st_parse_error(EXEC_MSG,
                          st_parse_enum(msg, "enum Cw20ExecuteMsg", VARIANTS, &which, &body)));
    if (which > N_EXECS) return cw_errorf(ST_OMITTED, VARIANTS[which]);
    st_msg m = {0};
    const exec_variant *v = &EXECS[which];
    CW_TRY(st_parse_error(EXEC_MSG, st_parse_variant(body, "struct variant Cw20ExecuteMsg::",
                                                     VARIANTS[which], v->fields, v->n_fields, &m)));
    CW_TRY(v->run(c, &m));
    return st_ledger_check(&c->ledger);
}

static cw_error *st_execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    st_ctx c = {env, info, res, {0}};
    cw_error *err = dispatch(&c, msg);
    cw_release_all();
    return err;
}

/* --- Query ----------------------------------------------------------------------------------- */

static cw_error *st_query_entry(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = st_query(env, msg, answer);
    cw_release_all();
    return err;
}

/* cw20-base never reads info.funds (tokens sent along stay with the contract). */
CW_CONTRACT_IGNORING_FUNDS(st_instantiate, st_execute, st_query_entry)

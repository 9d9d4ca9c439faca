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
    initial_balance *balances;
    size_t n_balances;
    bool has_marketing;
    st_marketing_init marketing;
} instantiate_msg;

static cw_error *parse_instantiate(cw_json msg, instantiate_msg *m) {
    cw_json balances, mint = {0}, marketing = {0};
    bool has_mint = false;
    *m = (instantiate_msg){0};
    const st_field fields[] = {
        {"name", ST_STRING, false, &m->info.name, NULL},
        {"symbol", ST_STRING, false, &m->info.symbol, NULL},
        {"decimals", ST_U8, false, &m->info.decimals, NULL},
        {"initial_balances", ST_RAW, false, &balances, NULL},
        {"mint", ST_RAW, true, &mint, &has_mint},
        {"marketing", ST_RAW, true, &marketing, &m->has_marketing},
    };
    CW_TRY(st_parse_struct(msg, "InstantiateMsg", fields, 6));
    if (balances.type != CW_JSON_ARRAY)
        return cw_errorf("invalid type: %S, expected a sequence", balances.text);
    m->n_balances = cw_json_len(balances);
    m->balances = st_hold(cw_alloc(sizeof *m->balances * (m->n_balances + 1)));
    cw_json_iter it = cw_json_iter_begin(balances);
    cw_json row;
    for (size_t i = 0; cw_json_next(&it, NULL, &row); i++) {
        const st_field coin[] = {
            {"address", ST_STRING, false, &m->balances[i].address, NULL},
            {"amount", ST_U128, false, &m->balances[i].amount, NULL},
        };
        CW_TRY(st_parse_struct(row, "Cw20Coin", coin, 2));
    }
    m->info.has_minter = has_mint;
    if (has_mint) {
        const st_field mf[] = {
            {"minter", ST_STRING, false, &m->info.minter, NULL},
            {"cap", ST_U128, true, &m->info.cap, &m->info.has_cap},
        };
        CW_TRY(st_parse_struct(mint, "MinterResponse", mf, 2));
    }
    if (m->has_marketing) CW_TRY(st_marketing_parse(marketing, &m->marketing));
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

/* In-place heapsort of address strings (instantiate may carry thousands of rows). */
static void sift_down(cw_str *a, size_t root, size_t n) {
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && cw_str_cmp(a[child], a[child + 1]) < 0) child++;
        if (cw_str_cmp(a[root], a[child]) >= 0) return;
        cw_str t = a[root];
        a[root] = a[child];
        a[child] = t;
    }
}

static bool has_duplicate(const initial_balance *rows, size_t n) {
    cw_str *a = cw_alloc(sizeof *a * (n + 1));
    for (size_t i = 0; i < n; i++) a[i] = rows[i].address;
    for (size_t i = n / 2; i-- > 0;) sift_down(a, i, n);
    for (size_t end = n; end > 1; end--) {
        cw_str t = a[0];
        a[0] = a[end - 1];
        a[end - 1] = t;
        sift_down(a, 0, end - 1);
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
    if (ti.name.len < 3 || ti.name.len > 50)
        return cw_errorf("Generic error: Name is not in the expected format (3-50 UTF-8 bytes)");
    if (!valid_symbol(ti.symbol))
        return cw_errorf(
            "Generic error: Ticker symbol is not in expected format [a-zA-Z\\-]{3,12}");
    if (ti.decimals > 18) return cw_errorf("Generic error: Decimals must not exceed 18");
    if (has_duplicate(m->balances, m->n_balances))
        return cw_errorf("Duplicate initial balance addresses");
    cw_u128 supply = 0;
    for (size_t i = 0; i < m->n_balances; i++) {
        CW_TRY(st_addr_validate(m->balances[i].address));
        st_balance_save(m->balances[i].address, m->balances[i].amount);
        if (supply + m->balances[i].amount < supply) cw_abort("attempt to add with overflow");
        supply += m->balances[i].amount;
    }
    if (ti.has_minter && ti.has_cap && supply > ti.cap)
        return cw_errorf("Generic error: Initial supply greater than cap");
    if (ti.has_minter) CW_TRY(st_addr_validate(ti.minter));
    ti.total_supply = supply;
    st_token_info_save(&ti);
    if (m->has_marketing) CW_TRY(st_marketing_instantiate(&m->marketing));
    return NULL;
}

static cw_error *st_instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                                cw_response *res) {
    (void)env, (void)info, (void)res;
    instantiate_msg m;
    cw_error *err = st_parse_error(INIT_MSG, parse_instantiate(msg, &m));
    if (!err) err = instantiate(&m);
    st_release_all();
    return err;
}

/* --- Execute --------------------------------------------------------------------------------- */

typedef cw_error *(*exec_fn)(st_ctx *c, cw_json body);

static cw_error *dispatch(st_ctx *c, cw_json msg) {
    /* Cw20ExecuteMsg's variants in declaration order (serde lists them in this order). */
    static const char *const variants[] = {"transfer",
                                           "burn",
                                           "send",
                                           "increase_allowance",
                                           "decrease_allowance",
                                           "transfer_from",
                                           "send_from",
                                           "burn_from",
                                           "mint",
                                           "update_minter",
                                           "update_marketing",
                                           "upload_logo",
                                           NULL};
    static const exec_fn handlers[] = {
        st_exec_transfer,
        st_exec_burn,
        st_exec_send,
        st_exec_increase_allowance,
        st_exec_decrease_allowance,
        st_exec_transfer_from,
        st_exec_send_from,
        st_exec_burn_from,
        st_exec_mint,
        st_exec_update_minter,
        st_exec_update_marketing,
        st_exec_upload_logo,
    };
    size_t which;
    cw_json body;
    CW_TRY(st_parse_error(EXEC_MSG,
                          st_parse_enum(msg, "enum Cw20ExecuteMsg", variants, &which, &body)));
    CW_TRY(handlers[which](c, body));
    return st_ledger_check(&c->ledger);
}

static cw_error *st_execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    st_ctx c = {env, info, res, {0}};
    cw_error *err = dispatch(&c, msg);
    st_release_all();
    return err;
}

/* --- Query ----------------------------------------------------------------------------------- */

static cw_error *st_query_entry(const cw_env *env, cw_json msg, cw_buf *answer) {
    cw_error *err = st_query(env, msg, answer);
    st_release_all();
    return err;
}

CW_CONTRACT(st_instantiate, st_execute, st_query_entry)

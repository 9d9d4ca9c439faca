/* stable_token's queries: balance, token info, minter, allowances (single, by owner, by
 * spender), accounts, and the marketing ones. cw20-base contract.rs/enumerable.rs semantics
 * (SPEC.md §5): pagination default 10, at most 30, start_after exclusive on raw key bytes. */
#include "token.h"

#define QUERY_MSG "cw20_base::msg::QueryMsg"
#define DEFAULT_LIMIT 10
#define MAX_LIMIT 30

static cw_error *query_balance(cw_json body, cw_jw *w) {
    cw_str address;
    const st_field fields[] = {{"address", ST_STRING, false, &address, NULL}};
    CW_TRY(
        st_parse_error(QUERY_MSG, st_parse_struct(body, "variant QueryMsg::Balance", fields, 1)));
    CW_TRY(st_addr_validate(address));
    cw_u128 balance;
    CW_TRY(st_balance_load(address, &balance));
    cw_jw_obj_begin(w);
    cw_jw_key(w, "balance");
    cw_jw_u128_str(w, balance);
    cw_jw_obj_end(w);
    return NULL;
}

static cw_error *query_token_info(cw_jw *w) {
    st_token_info ti;
    CW_TRY(st_token_info_load(&ti));
    cw_jw_obj_begin(w);
    cw_jw_key(w, "name");
    cw_jw_str(w, ti.name);
    cw_jw_key(w, "symbol");
    cw_jw_str(w, ti.symbol);
    cw_jw_key(w, "decimals");
    cw_jw_u64(w, ti.decimals);
    cw_jw_key(w, "total_supply");
    cw_jw_u128_str(w, ti.total_supply);
    cw_jw_obj_end(w);
    return NULL;
}

static cw_error *query_minter(cw_jw *w) {
    st_token_info ti;
    CW_TRY(st_token_info_load(&ti));
    if (!ti.has_minter) {
        cw_jw_null(w);
        return NULL;
    }
    cw_jw_obj_begin(w);
    cw_jw_key(w, "minter");
    cw_jw_str(w, ti.minter);
    cw_jw_key(w, "cap");
    if (ti.has_cap)
        cw_jw_u128_str(w, ti.cap);
    else
        cw_jw_null(w);
    cw_jw_obj_end(w);
    return NULL;
}

static cw_error *query_allowance(cw_json body, cw_jw *w) {
    cw_str owner, spender;
    const st_field fields[] = {
        {"owner", ST_STRING, false, &owner, NULL},
        {"spender", ST_STRING, false, &spender, NULL},
    };
    CW_TRY(
        st_parse_error(QUERY_MSG, st_parse_struct(body, "variant QueryMsg::Allowance", fields, 2)));
    CW_TRY(st_addr_validate(owner));
    CW_TRY(st_addr_validate(spender));
    st_allowance a;
    bool found;
    CW_TRY(st_allowance_load(owner, spender, &a, &found));
    cw_jw_obj_begin(w);
    st_write_allowance_members(w, &a);
    cw_jw_obj_end(w);
    return NULL;
}

/* all_allowances (by owner, listing spenders) and all_spender_allowances (by spender, listing
 * owners): one prefix range over "allowance" or its mirror "allowance_spender". */
static cw_error *query_allowance_page(cw_json body, cw_jw *w, bool by_spender) {
    cw_str who, start_after = {0};
    uint32_t limit = 0;
    bool has_limit = false;
    const st_field fields[] = {
        {by_spender ? "spender" : "owner", ST_STRING, false, &who, NULL},
        {"start_after", ST_STRING, true, &start_after, NULL},
        {"limit", ST_U32, true, &limit, &has_limit},
    };
    CW_TRY(st_parse_error(QUERY_MSG,
                          st_parse_struct(body,
                                          by_spender ? "variant QueryMsg::AllSpenderAllowances"
                                                     : "variant QueryMsg::AllAllowances",
                                          fields, 3)));
    CW_TRY(st_addr_validate(who));
    uint32_t n = cw_page_limit(has_limit, limit, DEFAULT_LIMIT, MAX_LIMIT);
    cw_jw_obj_begin(w);
    cw_jw_key(w, "allowances");
    cw_jw_arr_begin(w);
    cw_error *err = NULL;
    if (n > 0) {
        cw_range_opts opts = {.min = cw_bound_exclusive(start_after), .limit = n};
        cw_range r;
        cw_map_range_begin(&r, by_spender ? "allowance_spender" : "allowance", &who, 1, &opts);
        cw_str key, value;
        while (!err && cw_range_next(&r, &key, &value)) {
            st_allowance a;
            err = st_allowance_parse(value, &a);
            if (err) break;
            cw_jw_obj_begin(w);
            cw_jw_key(w, by_spender ? "owner" : "spender");
            cw_jw_str(w, key);
            st_write_allowance_members(w, &a);
            cw_jw_obj_end(w);
        }
        cw_range_end(&r);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return err;
}

static cw_error *query_all_accounts(cw_json body, cw_jw *w) {
    cw_str start_after = {0};
    uint32_t limit = 0;
    bool has_limit = false;
    const st_field fields[] = {
        {"start_after", ST_STRING, true, &start_after, NULL},
        {"limit", ST_U32, true, &limit, &has_limit},
    };
    CW_TRY(st_parse_error(QUERY_MSG,
                          st_parse_struct(body, "variant QueryMsg::AllAccounts", fields, 2)));
    uint32_t n = cw_page_limit(has_limit, limit, DEFAULT_LIMIT, MAX_LIMIT);
    cw_jw_obj_begin(w);
    cw_jw_key(w, "accounts");
    cw_jw_arr_begin(w);
    if (n > 0) {
        cw_range_opts opts = {.min = cw_bound_exclusive(start_after), .limit = n};
        cw_range r;
        cw_map_range_begin(&r, "balance", NULL, 0, &opts);
        cw_str key, value;
        while (cw_range_next(&r, &key, &value)) cw_jw_str(w, key);
        cw_range_end(&r);
    }
    cw_jw_arr_end(w);
    cw_jw_obj_end(w);
    return NULL;
}

/* A variant with no fields ({} only). */
static cw_error *no_fields(cw_json body, const char *what) {
    return st_parse_error(QUERY_MSG, st_parse_struct(body, what, NULL, 0));
}

cw_error *st_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    static const char *const variants[] = {"balance",        "token_info",
                                           "minter",         "allowance",
                                           "all_allowances", "all_spender_allowances",
                                           "all_accounts",   "marketing_info",
                                           "download_logo",  NULL};
    size_t which;
    cw_json body;
    CW_TRY(st_parse_error(QUERY_MSG, st_parse_enum(msg, "enum QueryMsg", variants, &which, &body)));
    cw_jw w;
    cw_jw_init(&w, answer);
    switch (which) {
    case 0:
        return query_balance(body, &w);
    case 1:
        CW_TRY(no_fields(body, "variant QueryMsg::TokenInfo"));
        return query_token_info(&w);
    case 2:
        CW_TRY(no_fields(body, "variant QueryMsg::Minter"));
        return query_minter(&w);
    case 3:
        return query_allowance(body, &w);
    case 4:
        return query_allowance_page(body, &w, false);
    case 5:
        return query_allowance_page(body, &w, true);
    case 6:
        return query_all_accounts(body, &w);
    case 7:
        CW_TRY(no_fields(body, "variant QueryMsg::MarketingInfo"));
        return st_query_marketing_info(answer);
    default:
        CW_TRY(no_fields(body, "variant QueryMsg::DownloadLogo"));
        return st_query_download_logo(answer);
    }
}

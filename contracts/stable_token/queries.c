/* stable_token's queries: balance, token info, minter, allowances (single, by owner, by
 * spender), accounts, and marketing_info (download_logo is refused). cw20-base
 * contract.rs/enumerable.rs semantics (SPEC.md §5): pagination default 10, at most 30, start_after
 * exclusive on raw key bytes. */
#include "token.h"

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 30

/* Every query's fields; which a variant uses is in its field table below. */
typedef struct query_msg {
    cw_str who;         /* address / owner / spender */
    cw_str spender;     /* allowance's spender */
    cw_str start_after; /* NULL ptr = None */
    uint32_t limit;
    bool has_start_after, has_limit;
} query_msg;

static cw_error *query_balance(const query_msg *q, cw_buf *b) {
    CW_TRY(cw_addr_validate(q->who));
    cw_u128 balance;
    CW_TRY(st_balance_load(q->who, &balance));
    cw_buf_printf(b, "{\"balance\":\"%Q\"}", balance);
    return NULL;
}

static cw_error *query_token_info(const query_msg *q, cw_buf *b) {
    (void)q;
    st_token_info ti;
    CW_TRY(st_token_info_load(&ti));
    st_write_token_info(b, &ti, false);
    return NULL;
}

static cw_error *query_minter(const query_msg *q, cw_buf *b) {
    (void)q;
    st_token_info ti;
    CW_TRY(st_token_info_load(&ti));
    st_write_minter(b, &ti);
    return NULL;
}

static cw_error *query_allowance(const query_msg *q, cw_buf *b) {
    CW_TRY(cw_addr_validate(q->who));
    CW_TRY(cw_addr_validate(q->spender));
    st_allowance a;
    bool found;
    CW_TRY(st_allowance_load(q->who, q->spender, &a, &found));
    st_write_allowance(b, NULL, (cw_str){0}, &a);
    return NULL;
}

/* One page of a map under `prefix_part` (NULL: the whole map, listing its keys), as
 * {"<list>":[…]}. With a prefix, each value is an allowance written with its key as `name`.
 * The scan is [prefix ‖ start_after ‖ 0x00, prefix with its last byte + 1): keys start with a
 * namespace or an address, so that last byte is never 0xFF. */
static cw_error *page(const query_msg *q, cw_buf *b, const char *list, const char *ns,
                      const cw_str *prefix_part, const char *name) {
    uint32_t n = cw_page_limit(q->has_limit, q->limit, DEFAULT_LIMIT, MAX_LIMIT);
    cw_error *err = NULL;
    cw_buf start = {0}, end = {0};
    cw_key_map(&start, ns);
    if (prefix_part) cw_key_push(&start, *prefix_part);
    size_t prefix_len = start.len;
    cw_buf_put_str(&end, cw_buf_view(&start));
    end.ptr[prefix_len - 1]++;
    if (q->has_start_after) {
        cw_buf_put_str(&start, q->start_after);
        cw_buf_putc(&start, 0);
    }
    cw_buf_printf(b, "{\"%s\":[", list);
    if (n > 0) {
        cw_str s = cw_buf_view(&start), e = cw_buf_view(&end), key, value;
        cw_iter it = cw_db_scan(&s, &e, CW_ORDER_ASC);
        for (uint32_t i = 0; !err && i < n && cw_db_next(it, &key, &value); i++) {
            cw_hold((void *)key.ptr);
            cw_hold((void *)value.ptr);
            key = (cw_str){key.ptr + prefix_len, key.len - prefix_len};
            st_allowance a;
            if (i) cw_buf_putc(b, ',');
            if (!prefix_part)
                cw_buf_printf(b, "%J", key);
            else if (!(err = st_allowance_parse(value, &a)))
                st_write_allowance(b, name, key, &a);
        }
    }
    cw_buf_free(&start);
    cw_buf_free(&end);
    cw_buf_puts(b, "]}");
    return err;
}

/* all_allowances: by owner, listing spenders. */
static cw_error *query_all_allowances(const query_msg *q, cw_buf *b) {
    CW_TRY(cw_addr_validate(q->who));
    return page(q, b, "allowances", "allowance", &q->who, "spender");
}

/* all_spender_allowances: by spender, listing owners (the "allowance_spender" mirror). */
static cw_error *query_all_spender_allowances(const query_msg *q, cw_buf *b) {
    CW_TRY(cw_addr_validate(q->who));
    return page(q, b, "allowances", "allowance_spender", &q->who, "owner");
}

static cw_error *query_all_accounts(const query_msg *q, cw_buf *b) {
    return page(q, b, "accounts", "balance", NULL, NULL);
}

static cw_error *query_marketing_info(const query_msg *q, cw_buf *b) {
    (void)q;
    return st_query_marketing_info(b);
}

/* --- Dispatch -------------------------------------------------------------------------------- */

#define Q_REQ(name, member) CW_REQ(query_msg, name, ST_STRING, member)
#define Q_PAGE                                                                                     \
    CW_OPT(query_msg, "start_after", ST_STRING, start_after, has_start_after),                     \
        CW_OPT(query_msg, "limit", ST_U32, limit, has_limit)

static const cw_field BALANCE_FIELDS[] = {Q_REQ("address", who)};
static const cw_field ALLOWANCE_FIELDS[] = {Q_REQ("owner", who), Q_REQ("spender", spender)};
static const cw_field OWNER_PAGE_FIELDS[] = {Q_REQ("owner", who), Q_PAGE};
static const cw_field SPENDER_PAGE_FIELDS[] = {Q_REQ("spender", who), Q_PAGE};
static const cw_field ACCOUNTS_FIELDS[] = {Q_PAGE};

typedef struct query_variant {
    const cw_field *fields;
    uint8_t n_fields;
    cw_error *(*run)(const query_msg *q, cw_buf *answer);
} query_variant;

/* cw20_base::msg::QueryMsg, in declaration order (serde lists variants in this order). */
/* download_logo (the marketing extension) is recognised and refused (ST_OMITTED). */
#define N_QUERIES 8
static const char *const VARIANTS[] = {"balance",
                                       "token_info",
                                       "minter",
                                       "allowance",
                                       "all_allowances",
                                       "all_spender_allowances",
                                       "all_accounts",
                                       "marketing_info",
                                       NULL,
                                       "download_logo",
                                       NULL};
static const query_variant QUERIES[] = {
    {BALANCE_FIELDS, 1, query_balance},
    {NULL, 0, query_token_info},
    {NULL, 0, query_minter},
    {ALLOWANCE_FIELDS, 2, query_allowance},
    {OWNER_PAGE_FIELDS, 3, query_all_allowances},
    {SPENDER_PAGE_FIELDS, 3, query_all_spender_allowances},
    {ACCOUNTS_FIELDS, 2, query_all_accounts},
    {NULL, 0, query_marketing_info},
};

cw_error *st_query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    size_t which;
    cw_json body;
    query_msg q = {0};
    cw_error *err = st_parse_enum(msg, "enum QueryMsg", VARIANTS, &which, &body);
    if (!err && which > N_QUERIES) return cw_errorf(ST_OMITTED, VARIANTS[which]);
    if (!err)
        err = st_parse_variant(body, "struct variant QueryMsg::", VARIANTS[which],
                               QUERIES[which].fields, QUERIES[which].n_fields, &q);
    CW_TRY(st_parse_error("cw20_base::msg::QueryMsg", err));
    return QUERIES[which].run(&q, answer);
}

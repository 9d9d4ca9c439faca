/* stable_token's stored records in cw20-base's exact layout (SPEC.md §2): token_info, balances,
 * allowances and their spender mirror, and the cw_utils::Expiration they carry. */
#include "token.h"

static const char NS_TOKEN_INFO[] = "token_info";
static const char NS_BALANCE[] = "balance";
static const char NS_ALLOWANCE[] = "allowance";
static const char NS_ALLOWANCE_SPENDER[] = "allowance_spender";

/* --- Expiration ------------------------------------------------------------------------------ */

bool st_expired(const st_expiration *e, const cw_env *env) {
    switch (e->kind) {
    case ST_EXP_AT_HEIGHT:
        return env->height >= e->value;
    case ST_EXP_AT_TIME:
        return env->time_ns >= e->value;
    default:
        return false;
    }
}

void st_write_expiration(cw_buf *b, const st_expiration *e) {
    cw_buf_printf(b,
                  e->kind == ST_EXP_AT_HEIGHT ? "{\"at_height\":%llu}"
                  : e->kind == ST_EXP_AT_TIME ? "{\"at_time\":\"%llu\"}"
                                              : "{\"never\":{}}",
                  (unsigned long long)e->value);
}

cw_error *st_parse_expiration(cw_json v, st_expiration *e) {
    static const char *const variants[] = {"at_height", "at_time", "never", NULL, NULL};
    size_t which;
    cw_json body;
    CW_TRY(st_parse_enum(v, "enum Expiration", variants, &which, &body));
    if (which == 0) {
        CW_TRY(st_parse_json_uint(body, "u64", UINT64_MAX, &e->value));
        e->kind = ST_EXP_AT_HEIGHT;
    } else if (which == 1) {
        cw_u128 t;
        CW_TRY(st_parse_uint_value(body, true, &t));
        e->kind = ST_EXP_AT_TIME;
        e->value = (uint64_t)t;
    } else {
        CW_TRY(st_parse_struct(body, "Never", NULL, 0, NULL));
        e->kind = ST_EXP_NEVER;
        e->value = 0;
    }
    return NULL;
}

/* --- TokenInfo ------------------------------------------------------------------------------- */

/* TokenInfo as stored, with the nested MinterData still raw. */
typedef struct stored_token_info {
    st_token_info ti;
    cw_json mint;
    bool has_mint;
} stored_token_info;

static const cw_field TOKEN_INFO_FIELDS[] = {
    CW_REQ(stored_token_info, "name", ST_STRING, ti.name),
    CW_REQ(stored_token_info, "symbol", ST_STRING, ti.symbol),
    CW_REQ(stored_token_info, "decimals", ST_U8, ti.decimals),
    CW_REQ(stored_token_info, "total_supply", ST_U128, ti.total_supply),
    CW_OPT(stored_token_info, "mint", ST_RAW, mint, has_mint),
};

const cw_field st_minter_fields[2] = {
    CW_REQ(st_token_info, "minter", ST_STRING, minter),
    CW_OPT(st_token_info, "cap", ST_U128, cap, has_cap),
};

cw_error *st_token_info_load(st_token_info *ti) {
    cw_str raw;
    if (!cw_item_load(NS_TOKEN_INFO, &raw))
        return cw_errorf("cw20_base::state::TokenInfo not found");
    cw_hold((void *)raw.ptr);
    cw_json root;
    stored_token_info s = {0};
    CW_TRY(cw_json_parse(raw, &root));
    CW_TRY(st_parse_struct(root, "TokenInfo", TOKEN_INFO_FIELDS, 5, &s));
    *ti = s.ti;
    ti->has_minter = s.has_mint;
    if (s.has_mint) CW_TRY(st_parse_struct(s.mint, "MinterData", st_minter_fields, 2, ti));
    return NULL;
}

void st_write_token_info(cw_buf *b, const st_token_info *ti, bool with_mint) {
    cw_buf_printf(b, "{\"name\":%J,\"symbol\":%J,\"decimals\":%u,\"total_supply\":\"%Q\"", ti->name,
                  ti->symbol, (unsigned)ti->decimals, ti->total_supply);
    if (with_mint) {
        cw_buf_puts(b, ",\"mint\":");
        st_write_minter(b, ti);
    }
    cw_buf_putc(b, '}');
}

void st_write_minter(cw_buf *b, const st_token_info *ti) {
    if (!ti->has_minter) {
        cw_buf_puts(b, "null");
        return;
    }
    cw_buf_printf(b, "{\"minter\":%J,\"cap\":", ti->minter);
    if (ti->has_cap)
        cw_buf_printf(b, "\"%Q\"}", ti->cap);
    else
        cw_buf_puts(b, "null}");
}

void st_token_info_save(const st_token_info *ti) {
    cw_buf out = {0};
    st_write_token_info(&out, ti, true);
    cw_item_save(NS_TOKEN_INFO, cw_buf_view(&out));
    cw_buf_free(&out);
}

/* --- Balances -------------------------------------------------------------------------------- */

/* The stored value is a Uint128 JSON string, read with the message parser's rule and texts. */
cw_error *st_balance_load(cw_str addr, cw_u128 *out) {
    cw_str raw;
    cw_json v;
    *out = 0;
    if (!cw_map_load(NS_BALANCE, addr, &raw)) return NULL;
    cw_hold((void *)raw.ptr);
    CW_TRY(cw_json_parse(raw, &v));
    return st_parse_u128_value(v, out);
}

void st_balance_save(cw_str addr, cw_u128 v) {
    cw_map_save_u128(NS_BALANCE, addr, v);
}

/* --- Allowances ------------------------------------------------------------------------------ */

static void pair_key(cw_buf *key, const char *ns, cw_str first, cw_str second) {
    cw_key_map(key, ns);
    cw_key_push(key, first);
    cw_key_last(key, second);
}

cw_error *st_allowance_parse(cw_str json, st_allowance *a) {
    cw_json root;
    CW_TRY(cw_json_parse(json, &root));
    static const cw_field fields[] = {
        CW_REQ(st_allowance, "allowance", ST_U128, allowance),
        CW_REQ(st_allowance, "expires", ST_EXPIRATION, expires),
    };
    return st_parse_struct(root, "AllowanceResponse", fields, 2, a);
}

cw_error *st_allowance_load(cw_str owner, cw_str spender, st_allowance *a, bool *found) {
    cw_buf key = {0};
    pair_key(&key, NS_ALLOWANCE, owner, spender);
    cw_str raw;
    *found = cw_db_read(cw_buf_view(&key), &raw);
    cw_buf_free(&key);
    a->allowance = 0;
    a->expires = (st_expiration){ST_EXP_NEVER, 0};
    if (!*found) return NULL;
    cw_hold((void *)raw.ptr);
    return st_allowance_parse(raw, a);
}

void st_write_allowance(cw_buf *b, const char *key, cw_str name, const st_allowance *a) {
    cw_buf_putc(b, '{');
    if (key) cw_buf_printf(b, "\"%s\":%J,", key, name);
    cw_buf_printf(b, "\"allowance\":\"%Q\",\"expires\":", a->allowance);
    st_write_expiration(b, &a->expires);
    cw_buf_putc(b, '}');
}

void st_allowance_save(cw_str owner, cw_str spender, const st_allowance *a) {
    cw_buf value = {0}, key = {0};
    st_write_allowance(&value, NULL, (cw_str){0}, a);
    pair_key(&key, NS_ALLOWANCE, owner, spender);
    cw_db_write(cw_buf_view(&key), cw_buf_view(&value));
    key.len = 0;
    pair_key(&key, NS_ALLOWANCE_SPENDER, spender, owner);
    cw_db_write(cw_buf_view(&key), cw_buf_view(&value));
    cw_buf_free(&key);
    cw_buf_free(&value);
}

void st_allowance_remove(cw_str owner, cw_str spender) {
    cw_buf key = {0};
    pair_key(&key, NS_ALLOWANCE, owner, spender);
    cw_db_remove(cw_buf_view(&key));
    key.len = 0;
    pair_key(&key, NS_ALLOWANCE_SPENDER, spender, owner);
    cw_db_remove(cw_buf_view(&key));
    cw_buf_free(&key);
}

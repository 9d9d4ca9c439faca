/* Typed chain queries: builds QueryRequest JSON as cosmwasm-std does and decodes the answers
 * of the bank, wasm and oracle queries. See cw_query.h. */
#include "cw_query.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_math.h"
#include "cw_storage.h"

static void put_string(cw_buf *out, cw_str s) {
    cw_buf_putc(out, '"');
    cw_json_escape(out, s);
    cw_buf_putc(out, '"');
}

static void put_binary(cw_buf *out, cw_str bytes) {
    cw_buf_putc(out, '"');
    if (bytes.len) cw_base64_encode(out, bytes);
    cw_buf_putc(out, '"');
}

/* Sends the request in `req` (freed here) and returns the answer. */
static cw_error *query_send(cw_buf *req, cw_str *answer) {
    cw_error *err = cw_query_chain(cw_buf_view(req), answer);
    cw_buf_free(req);
    return err;
}

/* A decoding error for a query answer, named like cosmwasm-std's QuerierWrapper errors. */
static cw_error *parse_error(const char *what, cw_error *cause) {
    cw_error *err;
    if (cause) {
        err = cw_errorf("Querier response parse error: %s: %s", what, cause->msg);
        cw_error_free(cause);
    } else {
        err = cw_errorf("Querier response parse error: %s", what);
    }
    return err;
}

/* A string member decoded into an owned buffer. */
static cw_error *get_string(cw_json obj, const char *key, cw_buf *out) {
    cw_json v = cw_json_get(obj, key);
    if (v.type != CW_JSON_STRING) return cw_errorf("missing field `%s`", key);
    cw_str s;
    bool owned;
    CW_TRY(cw_json_string(v, &s, &owned));
    if (s.len) cw_buf_put(out, s.ptr, s.len);
    if (owned) cw_free((void *)s.ptr);
    return NULL;
}

/* --- Bank ------------------------------------------------------------------------------------ */

static cw_error *parse_balance(cw_str answer, cw_u128 *amount) {
    cw_json root;
    CW_TRY(cw_json_parse(answer, &root));
    cw_json coin = cw_json_get(root, "amount");
    if (coin.type != CW_JSON_OBJECT) return cw_errorf("missing field `amount`");
    cw_json value = cw_json_get(coin, "amount");
    if (value.type == CW_JSON_MISSING) return cw_errorf("missing field `amount`");
    return cw_u128_parse_json(value.text, amount);
}

cw_error *cw_query_bank_balance(cw_str address, cw_str denom, cw_u128 *amount) {
    cw_buf req = {0};
    cw_buf_puts(&req, "{\"bank\":{\"balance\":{\"address\":");
    put_string(&req, address);
    cw_buf_puts(&req, ",\"denom\":");
    put_string(&req, denom);
    cw_buf_puts(&req, "}}}");
    cw_str answer;
    CW_TRY(query_send(&req, &answer));
    cw_error *err = parse_balance(answer, amount);
    cw_free((void *)answer.ptr);
    return err ? parse_error("BalanceResponse", err) : NULL;
}

/* --- Wasm ------------------------------------------------------------------------------------ */

cw_error *cw_query_wasm_smart(cw_str contract_addr, cw_str msg_json, cw_str *answer) {
    cw_buf req = {0};
    cw_buf_puts(&req, "{\"wasm\":{\"smart\":{\"contract_addr\":");
    put_string(&req, contract_addr);
    cw_buf_puts(&req, ",\"msg\":");
    put_binary(&req, msg_json);
    cw_buf_puts(&req, "}}}");
    return query_send(&req, answer);
}

cw_error *cw_query_wasm_raw(cw_str contract_addr, cw_str key, cw_str *value, bool *found) {
    cw_buf req = {0};
    cw_buf_puts(&req, "{\"wasm\":{\"raw\":{\"contract_addr\":");
    put_string(&req, contract_addr);
    cw_buf_puts(&req, ",\"key\":");
    put_binary(&req, key);
    cw_buf_puts(&req, "}}}");
    CW_TRY(query_send(&req, value));
    if (found) *found = value->len > 0;
    return NULL;
}

/* --- Custom and oracle ----------------------------------------------------------------------- */

cw_error *cw_query_custom(cw_str custom_json, cw_str *answer) {
    cw_buf req = {0};
    cw_buf_puts(&req, "{\"custom\":");
    if (custom_json.len) cw_buf_put(&req, custom_json.ptr, custom_json.len);
    cw_buf_putc(&req, '}');
    return query_send(&req, answer);
}

/* cosmwasm_std::Decimal's string form: digits, optionally '.' and 1..18 digits. */
static bool is_decimal(cw_str s) {
    size_t i = 0, int_digits = 0, frac_digits = 0;
    while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') i++, int_digits++;
    if (i < s.len && s.ptr[i] == '.') {
        i++;
        while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') i++, frac_digits++;
        if (frac_digits == 0 || frac_digits > 18) return false;
    }
    return int_digits > 0 && i == s.len;
}

static cw_error *parse_oracle_price(cw_str answer, cw_buf *price, uint64_t *updated_at_ns) {
    cw_json root;
    CW_TRY(cw_json_parse(answer, &root));
    if (root.type != CW_JSON_OBJECT) return cw_errorf("expected an object");
    size_t start = price->len;
    CW_TRY(get_string(root, "price", price));
    cw_str p = {price->ptr + start, price->len - start};
    if (!is_decimal(p)) {
        cw_error *err = cw_errorf("invalid price '%S'", p);
        price->len = start;
        return err;
    }
    cw_buf time = {0};
    cw_error *err = get_string(root, "updated_at", &time);
    cw_u128 t = 0;
    if (!err) err = cw_u128_parse(cw_buf_view(&time), &t);
    if (!err && t > UINT64_MAX) err = cw_errorf("updated_at out of range");
    cw_buf_free(&time);
    if (err) {
        price->len = start;
        return err;
    }
    *updated_at_ns = (uint64_t)t;
    return NULL;
}

cw_error *cw_query_oracle_price(cw_str denom, cw_buf *price, uint64_t *updated_at_ns) {
    cw_buf req = {0};
    cw_buf_puts(&req, "{\"custom\":{\"oracle\":{\"price\":{\"denom\":");
    put_string(&req, denom);
    cw_buf_puts(&req, "}}}}");
    cw_str answer;
    CW_TRY(query_send(&req, &answer));
    cw_error *err = parse_oracle_price(answer, price, updated_at_ns);
    cw_free((void *)answer.ptr);
    return err ? parse_error("oracle PriceResponse", err) : NULL;
}

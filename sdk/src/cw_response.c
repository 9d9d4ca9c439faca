/* Builds a contract's Response and the CosmosMsg values it carries, writing JSON byte for byte
 * as cosmwasm-std's serde serialisation does (field order and names from packages/std
 * results/response.rs, submessages.rs, cosmos_msg.rs, events.rs). See cw_response.h. */
#include "cw_response.h"
#include "cw_json.h"

/* --- JSON fragments ------------------------------------------------------------------------ */

static void put_string(cw_buf *out, cw_str s) {
    cw_buf_putc(out, '"');
    cw_json_escape(out, s);
    cw_buf_putc(out, '"');
}

static void put_u64(cw_buf *out, uint64_t v) {
    char digits[24];
    size_t n = cw_u64_to_dec(v, digits);
    cw_buf_put(out, digits, n);
}

/* Uint128 is serialised as a decimal string. */
static void put_u128_string(cw_buf *out, cw_u128 v) {
    char digits[48];
    size_t n = cw_u128_to_dec(v, digits);
    cw_buf_putc(out, '"');
    cw_buf_put(out, digits, n);
    cw_buf_putc(out, '"');
}

/* Appends a buffer's bytes; an empty buffer may have a NULL pointer, so it is skipped. */
static void put_buf(cw_buf *out, const cw_buf *b) {
    if (b->len) cw_buf_put(out, b->ptr, b->len);
}

/* Binary: a base64 string. */
static void put_binary(cw_buf *out, cw_str bytes) {
    cw_buf_putc(out, '"');
    if (bytes.len) cw_base64_encode(out, bytes);
    cw_buf_putc(out, '"');
}

/* Vec<Coin>: [{"denom":"…","amount":"…"}, …] */
static void put_coins(cw_buf *out, const cw_coin *coins, size_t n) {
    cw_buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) cw_buf_putc(out, ',');
        cw_buf_puts(out, "{\"denom\":");
        put_string(out, coins[i].denom);
        cw_buf_puts(out, ",\"amount\":");
        put_u128_string(out, coins[i].amount);
        cw_buf_putc(out, '}');
    }
    cw_buf_putc(out, ']');
}

/* Attribute: {"key":"…","value":"…"} */
static void put_attribute(cw_buf *out, const char *key, cw_str value) {
    cw_buf_puts(out, "{\"key\":");
    put_string(out, cw_cstr(key));
    cw_buf_puts(out, ",\"value\":");
    put_string(out, value);
    cw_buf_putc(out, '}');
}

/* --- Response -------------------------------------------------------------------------------- */

void cw_response_free(cw_response *res) {
    cw_buf_free(&res->messages);
    cw_buf_free(&res->attributes);
    cw_buf_free(&res->events);
    cw_buf_free(&res->data);
    *res = (cw_response){0};
}

void cw_res_attr(cw_response *res, const char *key, cw_str value) {
    if (res->n_attributes++) cw_buf_putc(&res->attributes, ',');
    put_attribute(&res->attributes, key, value);
}

void cw_res_attr_c(cw_response *res, const char *key, const char *value) {
    cw_res_attr(res, key, cw_cstr(value));
}

void cw_res_attr_u128(cw_response *res, const char *key, cw_u128 value) {
    char digits[48];
    size_t n = cw_u128_to_dec(value, digits);
    cw_res_attr(res, key, (cw_str){digits, n});
}

void cw_res_attr_u64(cw_response *res, const char *key, uint64_t value) {
    char digits[24];
    size_t n = cw_u64_to_dec(value, digits);
    cw_res_attr(res, key, (cw_str){digits, n});
}

/* Event: {"type":"…","attributes":[…]}. The open event is written straight into `events`;
 * cw_res_event_end closes it. */
void cw_res_event_begin(cw_response *res, const char *type) {
    if (res->event_open) cw_abort("cw_res_event_begin: previous event not ended");
    if (res->n_events++) cw_buf_putc(&res->events, ',');
    cw_buf_puts(&res->events, "{\"type\":");
    put_string(&res->events, cw_cstr(type));
    cw_buf_puts(&res->events, ",\"attributes\":[");
    res->event_open = true;
    res->n_event_attributes = 0;
}

void cw_res_event_attr(cw_response *res, const char *key, cw_str value) {
    if (!res->event_open) cw_abort("cw_res_event_attr: no event begun");
    if (res->n_event_attributes++) cw_buf_putc(&res->events, ',');
    put_attribute(&res->events, key, value);
}

void cw_res_event_end(cw_response *res) {
    if (!res->event_open) cw_abort("cw_res_event_end: no event begun");
    cw_buf_puts(&res->events, "]}");
    res->event_open = false;
}

static const char *reply_on_name(cw_reply_on reply_on) {
    switch (reply_on) {
    case CW_REPLY_NEVER:
        return "never";
    case CW_REPLY_SUCCESS:
        return "success";
    case CW_REPLY_ERROR:
        return "error";
    case CW_REPLY_ALWAYS:
        return "always";
    }
    cw_abort("cw_res_submessage: invalid reply_on");
}

/* SubMsg: {"id":N,"msg":…,"gas_limit":null|N,"reply_on":"…"}. cosmwasm-std 2.x also writes
 * "payload":"" after id; it is omitted here because the payload is always empty and 1.x
 * deserialisers (cosmwasm-std 1.5's SubMsg) do not know the field. wasmd's Go types treat
 * a missing payload as empty. */
void cw_res_submessage(cw_response *res, uint64_t id, cw_reply_on reply_on, cw_str cosmos_msg,
                       uint64_t gas_limit) {
    const char *reply = reply_on_name(reply_on);
    cw_buf *out = &res->messages;
    if (res->n_messages++) cw_buf_putc(out, ',');
    cw_buf_puts(out, "{\"id\":");
    put_u64(out, id);
    cw_buf_puts(out, ",\"msg\":");
    cw_buf_put_str(out, cosmos_msg);
    cw_buf_puts(out, ",\"gas_limit\":");
    if (gas_limit)
        put_u64(out, gas_limit);
    else
        cw_buf_puts(out, "null");
    cw_buf_puts(out, ",\"reply_on\":\"");
    cw_buf_puts(out, reply);
    cw_buf_puts(out, "\"}");
}

void cw_res_message(cw_response *res, cw_str cosmos_msg) {
    cw_res_submessage(res, 0, CW_REPLY_NEVER, cosmos_msg, 0);
}

void cw_res_data(cw_response *res, cw_str bytes) {
    res->data.len = 0;
    if (bytes.len) cw_buf_put(&res->data, bytes.ptr, bytes.len);
    res->has_data = true;
}

void cw_response_write_json(const cw_response *res, cw_buf *out) {
    if (res->event_open) cw_abort("cw_response_write_json: event not ended");
    cw_buf_puts(out, "{\"messages\":[");
    put_buf(out, &res->messages);
    cw_buf_puts(out, "],\"attributes\":[");
    put_buf(out, &res->attributes);
    cw_buf_puts(out, "],\"events\":[");
    put_buf(out, &res->events);
    cw_buf_puts(out, "],\"data\":");
    if (res->has_data)
        put_binary(out, cw_buf_view(&res->data));
    else
        cw_buf_puts(out, "null");
    cw_buf_putc(out, '}');
}

/* --- CosmosMsg builders ---------------------------------------------------------------------- */

void cw_msg_bank_send(cw_buf *out, cw_str to_address, const cw_coin *coins, size_t n_coins) {
    cw_buf_puts(out, "{\"bank\":{\"send\":{\"to_address\":");
    put_string(out, to_address);
    cw_buf_puts(out, ",\"amount\":");
    put_coins(out, coins, n_coins);
    cw_buf_puts(out, "}}}");
}

void cw_msg_bank_burn(cw_buf *out, const cw_coin *coins, size_t n_coins) {
    cw_buf_puts(out, "{\"bank\":{\"burn\":{\"amount\":");
    put_coins(out, coins, n_coins);
    cw_buf_puts(out, "}}}");
}

void cw_msg_wasm_execute(cw_buf *out, cw_str contract_addr, cw_str msg_json, const cw_coin *funds,
                         size_t n_funds) {
    cw_buf_puts(out, "{\"wasm\":{\"execute\":{\"contract_addr\":");
    put_string(out, contract_addr);
    cw_buf_puts(out, ",\"msg\":");
    put_binary(out, msg_json);
    cw_buf_puts(out, ",\"funds\":");
    put_coins(out, funds, n_funds);
    cw_buf_puts(out, "}}}");
}

void cw_msg_wasm_instantiate(cw_buf *out, cw_str admin, uint64_t code_id, cw_str msg_json,
                             const cw_coin *funds, size_t n_funds, cw_str label) {
    cw_buf_puts(out, "{\"wasm\":{\"instantiate\":{\"admin\":");
    if (admin.ptr)
        put_string(out, admin);
    else
        cw_buf_puts(out, "null");
    cw_buf_puts(out, ",\"code_id\":");
    put_u64(out, code_id);
    cw_buf_puts(out, ",\"msg\":");
    put_binary(out, msg_json);
    cw_buf_puts(out, ",\"funds\":");
    put_coins(out, funds, n_funds);
    cw_buf_puts(out, ",\"label\":");
    put_string(out, label);
    cw_buf_puts(out, "}}}");
}

void cw_msg_wasm_migrate(cw_buf *out, cw_str contract_addr, uint64_t new_code_id, cw_str msg_json) {
    cw_buf_puts(out, "{\"wasm\":{\"migrate\":{\"contract_addr\":");
    put_string(out, contract_addr);
    cw_buf_puts(out, ",\"new_code_id\":");
    put_u64(out, new_code_id);
    cw_buf_puts(out, ",\"msg\":");
    put_binary(out, msg_json);
    cw_buf_puts(out, "}}}");
}

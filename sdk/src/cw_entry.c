/* Entry-point glue (cw_entry.h): parses Env and MessageInfo, runs a contract handler and
 * encodes {"ok":<Response>} / {"ok":"<base64 answer>"} / {"error":"…"}; in wasm builds also
 * the Region plumbing behind the instantiate/execute/query/migrate/sudo/reply exports. */
#include "cw_entry.h"
#include "cw_math.h"
#include "cw_region.h"

/* --- Parsing helpers ------------------------------------------------------------------------ */

/* A string member that must not contain escapes (addresses, chain ids, denoms), so the slice
 * can point into the input. */
static cw_error *plain_string(cw_json obj, const char *key, const char *what, cw_str *out) {
    cw_json v = cw_json_get(obj, key);
    if (v.type != CW_JSON_STRING)
        return cw_errorf("%s: missing or non-string field `%s`", what, key);
    bool owned;
    CW_TRY(cw_json_string(v, out, &owned));
    if (owned) {
        cw_free((void *)out->ptr);
        return cw_errorf("%s: field `%s` must not contain escape sequences", what, key);
    }
    return NULL;
}

/* Decimal digits only (Uint64/Uint128 strings as cosmwasm-std writes them), into a u128
 * (`narrow`: bounded by u64::MAX). The SDK's one decimal parser, without the '+' it allows. */
static cw_error *parse_uint(cw_str s, bool narrow, cw_u128 *out, const char *what) {
    uint64_t lo;
    cw_parse_status st = s.len && s.ptr[0] == '+' ? CW_PARSE_INVALID_DIGIT
                         : narrow                 ? cw_u64_from_dec(s, &lo)
                                                  : cw_u128_from_dec(s, out);
    if (st == CW_PARSE_EMPTY) return cw_errorf("%s: empty number string", what);
    if (st == CW_PARSE_INVALID_DIGIT) return cw_errorf("%s: invalid digit in \"%S\"", what, s);
    if (st) return cw_errorf("%s: number too large: \"%S\"", what, s);
    if (narrow) *out = lo;
    return NULL;
}

/* --- Env and MessageInfo -------------------------------------------------------------------- */

cw_error *cw_env_parse(cw_str json, cw_env *env) {
    cw_json root;
    CW_TRY(cw_json_parse(json, &root));
    if (root.type != CW_JSON_OBJECT) return cw_errorf("env: expected an object");
    cw_json block = cw_json_get(root, "block");
    if (block.type != CW_JSON_OBJECT) return cw_errorf("env: missing `block`");
    CW_TRY(cw_json_u64(cw_json_get(block, "height"), &env->height));
    cw_str time;
    CW_TRY(plain_string(block, "time", "env.block", &time));
    cw_u128 t;
    CW_TRY(parse_uint(time, true, &t, "env.block.time"));
    env->time_ns = (uint64_t)t;
    CW_TRY(plain_string(block, "chain_id", "env.block", &env->chain_id));

    cw_json tx = cw_json_get(root, "transaction");
    env->has_transaction = false;
    env->transaction_index = 0;
    if (tx.type == CW_JSON_OBJECT) {
        uint64_t index;
        CW_TRY(cw_json_u64(cw_json_get(tx, "index"), &index));
        if (index > UINT32_MAX) return cw_errorf("env.transaction.index too large");
        env->has_transaction = true;
        env->transaction_index = (uint32_t)index;
    } else if (tx.type != CW_JSON_NULL && tx.type != CW_JSON_MISSING) {
        return cw_errorf("env: `transaction` must be an object or null");
    }

    cw_json contract = cw_json_get(root, "contract");
    if (contract.type != CW_JSON_OBJECT) return cw_errorf("env: missing `contract`");
    CW_TRY(plain_string(contract, "address", "env.contract", &env->contract_address));
    return NULL;
}

/* MessageInfo; without `with_funds` the funds array is only checked to be an array (for
 * contracts declared with CW_CONTRACT_IGNORING_FUNDS). */
static cw_error *info_parse(cw_str json, cw_info *info, bool with_funds) {
    info->funds = NULL;
    info->n_funds = 0;
    cw_json root;
    CW_TRY(cw_json_parse(json, &root));
    if (root.type != CW_JSON_OBJECT) return cw_errorf("info: expected an object");
    CW_TRY(plain_string(root, "sender", "info", &info->sender));
    cw_json funds = cw_json_get(root, "funds");
    if (funds.type != CW_JSON_ARRAY) return cw_errorf("info: missing or non-array `funds`");
    size_t n = with_funds ? cw_json_len(funds) : 0;
    if (n == 0) return NULL;
    cw_coin *coins = cw_alloc(n * sizeof *coins);
    cw_json_iter it = cw_json_iter_begin(funds);
    cw_json coin;
    size_t i = 0;
    cw_error *err = NULL;
    while (!err && i < n && cw_json_next(&it, NULL, &coin)) {
        if (coin.type != CW_JSON_OBJECT) {
            err = cw_errorf("info.funds[%lu]: expected an object", (unsigned long)i);
            break;
        }
        err = plain_string(coin, "denom", "info.funds", &coins[i].denom);
        cw_str amount;
        if (!err) err = plain_string(coin, "amount", "info.funds", &amount);
        if (!err) err = parse_uint(amount, false, &coins[i].amount, "info.funds.amount");
        i++;
    }
    if (err) {
        cw_free(coins);
        return err;
    }
    info->funds = coins;
    info->n_funds = n;
    return NULL;
}

cw_error *cw_info_parse(cw_str json, cw_info *info) {
    return info_parse(json, info, true);
}

/* --- One runner for every entry point -------------------------------------------------------- */

/* What an entry point takes and answers: MessageInfo or not, a Response or query bytes. */
typedef enum entry_kind { ENTRY_INSTANTIATE, ENTRY_EXECUTE, ENTRY_QUERY, ENTRY_ENV_MSG } entry_kind;

/* Parse the inputs, call the handler and encode {"ok":<Response>}, {"ok":"<base64 answer>"} or
 * {"error":"…"}. `info` is only read for instantiate and execute, its funds only `with_funds`
 * (entry points without MessageInfo pass false, so that in a contract declared with
 * CW_CONTRACT_IGNORING_FUNDS every caller passes false and LTO drops the funds parser). Kept
 * out of line: the wasm exports and the mock all share this one copy. */
static __attribute__((noinline)) char *entry_run(entry_kind kind, bool with_funds, const char *name,
                                                 void (*fn)(void), cw_str env, cw_str info,
                                                 cw_str msg, size_t *len_out) {
    cw_env e;
    cw_info i = {0};
    cw_json m;
    cw_response res = {0};
    cw_buf answer = {0}, out = {0};
    cw_error *err = fn ? NULL : cw_errorf("contract has no %s entry point", name);
    if (!err) err = cw_env_parse(env, &e);
    if (!err && kind <= ENTRY_EXECUTE) err = info_parse(info, &i, with_funds);
    if (!err) err = cw_json_parse(msg, &m);
    if (!err) {
        if (kind <= ENTRY_EXECUTE)
            err = ((cw_execute_fn)fn)(&e, &i, m, &res);
        else if (kind == ENTRY_QUERY)
            err = ((cw_query_fn)fn)(&e, m, &answer);
        else
            err = ((cw_env_msg_fn)fn)(&e, m, &res);
    }
    if (err) {
        cw_buf_puts(&out, "{\"error\":\"");
        cw_json_escape(&out, (cw_str){err->msg, err->len});
        cw_buf_puts(&out, "\"}");
        cw_error_free(err);
    } else if (kind == ENTRY_QUERY) {
        cw_buf_puts(&out, "{\"ok\":\"");
        cw_base64_encode(&out, cw_buf_view(&answer));
        cw_buf_puts(&out, "\"}");
    } else {
        cw_buf_puts(&out, "{\"ok\":");
        cw_response_write_json(&res, &out);
        cw_buf_putc(&out, '}');
    }
    cw_response_free(&res);
    cw_buf_free(&answer);
    cw_free((void *)i.funds);
    return cw_buf_take(&out, len_out);
}

char *cw_entry_run_instantiate(cw_instantiate_fn fn, cw_str env, cw_str info, cw_str msg,
                               size_t *len_out) {
    return entry_run(ENTRY_INSTANTIATE, true, "instantiate", (void (*)(void))fn, env, info, msg,
                     len_out);
}

char *cw_entry_run_execute(cw_execute_fn fn, cw_str env, cw_str info, cw_str msg, size_t *len_out) {
    return entry_run(ENTRY_EXECUTE, true, "execute", (void (*)(void))fn, env, info, msg, len_out);
}

char *cw_entry_run_query(cw_query_fn fn, cw_str env, cw_str msg, size_t *len_out) {
    return entry_run(ENTRY_QUERY, false, "query", (void (*)(void))fn, env, msg, msg, len_out);
}

char *cw_entry_run_env_msg(cw_env_msg_fn fn, cw_str env, cw_str msg, size_t *len_out) {
    return entry_run(ENTRY_ENV_MSG, false, "migrate/sudo/reply", (void (*)(void))fn, env, msg, msg,
                     len_out);
}

/* --- Wasm exports' glue --------------------------------------------------------------------- */
#ifdef __wasm__

/* The host allocated the argument regions through `allocate`; the contract owns and frees
 * them (after the handler: parsed values point into them). The result goes back in a new
 * region that the host may release with `deallocate`. `info` is 0 for entry points without
 * MessageInfo. */
static __attribute__((noinline)) uint32_t entry_wasm(entry_kind kind, bool with_funds,
                                                     const char *name, void (*fn)(void),
                                                     uint32_t env, uint32_t info, uint32_t msg) {
    cw_str e = cw_region_consume(env), i = info ? cw_region_consume(info) : (cw_str){NULL, 0},
           m = cw_region_consume(msg);
    size_t len;
    char *out = entry_run(kind, with_funds, name, fn, e, i, m, &len);
    cw_free((void *)e.ptr);
    cw_free((void *)i.ptr);
    cw_free((void *)m.ptr);
    return cw_region_from_owned(out, (uint32_t)len, (uint32_t)len);
}

uint32_t cw_entry_wasm_instantiate(cw_instantiate_fn fn, uint32_t env, uint32_t info,
                                   uint32_t msg) {
    return entry_wasm(ENTRY_INSTANTIATE, true, "instantiate", (void (*)(void))fn, env, info, msg);
}

uint32_t cw_entry_wasm_instantiate_ignoring_funds(cw_instantiate_fn fn, uint32_t env, uint32_t info,
                                                  uint32_t msg) {
    return entry_wasm(ENTRY_INSTANTIATE, false, "instantiate", (void (*)(void))fn, env, info, msg);
}

uint32_t cw_entry_wasm_execute(cw_execute_fn fn, uint32_t env, uint32_t info, uint32_t msg) {
    return entry_wasm(ENTRY_EXECUTE, true, "execute", (void (*)(void))fn, env, info, msg);
}

uint32_t cw_entry_wasm_execute_ignoring_funds(cw_execute_fn fn, uint32_t env, uint32_t info,
                                              uint32_t msg) {
    return entry_wasm(ENTRY_EXECUTE, false, "execute", (void (*)(void))fn, env, info, msg);
}

uint32_t cw_entry_wasm_query(cw_query_fn fn, uint32_t env, uint32_t msg) {
    return entry_wasm(ENTRY_QUERY, false, "query", (void (*)(void))fn, env, 0, msg);
}

uint32_t cw_entry_wasm_env_msg(cw_env_msg_fn fn, uint32_t env, uint32_t msg) {
    return entry_wasm(ENTRY_ENV_MSG, false, "migrate/sudo/reply", (void (*)(void))fn, env, 0, msg);
}

#endif

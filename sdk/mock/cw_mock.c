/* The native mock chain (see cw_mock.h): implements the cw_host.h functions and cw_abort for
 * native builds over an in-memory sorted key-value array with an undo log for rollback, a mock
 * bank, pluggable queriers and setjmp/longjmp abort capture, and runs contracts through the
 * same entry glue (cw_entry_run_*) the wasm exports use. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/cw_host_internal.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_mock.h"

/* The contract under test, defined by CW_CONTRACT* in native builds (NULL when absent). */
extern const cw_contract_entries cw_native_entries __attribute__((weak));
extern const cw_env_msg_fn cw_native_migrate __attribute__((weak));
extern const cw_env_msg_fn cw_native_sudo __attribute__((weak));
extern const cw_env_msg_fn cw_native_reply __attribute__((weak));

/* --- Small libc helpers --------------------------------------------------------------------- */

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "cw_mock: out of memory\n");
        abort();
    }
    return p;
}

static char *xmemdup(const void *p, size_t n) {
    char *d = xmalloc(n + 1);
    if (n) memcpy(d, p, n);
    d[n] = 0;
    return d;
}

static char *xstrdup(const char *s) {
    return xmemdup(s, strlen(s));
}

static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen) {
    return cw_str_cmp((cw_str){a, alen}, (cw_str){b, blen});
}

/* --- Aborts --------------------------------------------------------------------------------- */

static jmp_buf *abort_target; /* innermost active catcher, NULL outside */
static char *abort_message;   /* malloc'd message of the last caught abort */

_Noreturn void cw_abort_str(cw_str msg) {
    if (!abort_target) {
        fprintf(stderr, "cw_abort: %.*s\n", (int)msg.len, msg.ptr);
        abort();
    }
    free(abort_message);
    abort_message = xmemdup(msg.ptr, msg.len);
    longjmp(*abort_target, 1);
}

_Noreturn void cw_abort(const char *msg) {
    cw_abort_str(cw_cstr(msg));
}

char *cw_mock_catch_abort(void (*fn)(void *ctx), void *ctx) {
    jmp_buf here;
    jmp_buf *volatile saved = abort_target;
    if (setjmp(here) == 0) {
        abort_target = &here;
        fn(ctx);
        abort_target = saved;
        return NULL;
    }
    abort_target = saved;
    char *msg = abort_message;
    abort_message = NULL;
    return msg;
}

/* --- Storage: a sorted array plus an undo log ----------------------------------------------- */

typedef struct entry {
    char *key, *value;
    size_t key_len, value_len;
} entry;

static entry *store;
static size_t store_len, store_cap;

/* One undone change: the key's previous value, or its absence. */
typedef struct undo {
    char *key, *old_value;
    size_t key_len, old_len;
    bool existed;
} undo;

static undo *undo_log;
static size_t undo_len, undo_cap;
static bool logging;   /* inside a mock call: record changes for rollback */
static bool read_only; /* inside a query */

/* Index of the first entry with key >= k (ascending); *found when equal. */
static size_t lower_bound(const char *k, size_t klen, bool *found) {
    size_t lo = 0, hi = store_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bytes_cmp(store[mid].key, store[mid].key_len, k, klen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (found) *found = lo < store_len && bytes_cmp(store[lo].key, store[lo].key_len, k, klen) == 0;
    return lo;
}

static void record_undo(const char *k, size_t klen) {
    if (!logging) return;
    bool found;
    size_t i = lower_bound(k, klen, &found);
    if (undo_len == undo_cap) {
        undo_cap = undo_cap ? undo_cap * 2 : 16;
        undo_log = realloc(undo_log, undo_cap * sizeof *undo_log);
        if (!undo_log) abort();
    }
    undo *u = &undo_log[undo_len++];
    u->key = xmemdup(k, klen);
    u->key_len = klen;
    u->existed = found;
    u->old_value = found ? xmemdup(store[i].value, store[i].value_len) : NULL;
    u->old_len = found ? store[i].value_len : 0;
}

static void raw_set(const char *k, size_t klen, const char *v, size_t vlen) {
    bool found;
    size_t i = lower_bound(k, klen, &found);
    if (found) {
        free(store[i].value);
        store[i].value = xmemdup(v, vlen);
        store[i].value_len = vlen;
        return;
    }
    if (store_len == store_cap) {
        store_cap = store_cap ? store_cap * 2 : 64;
        store = realloc(store, store_cap * sizeof *store);
        if (!store) abort();
    }
    memmove(&store[i + 1], &store[i], (store_len - i) * sizeof *store);
    store[i] = (entry){xmemdup(k, klen), xmemdup(v, vlen), klen, vlen};
    store_len++;
}

static void raw_remove(const char *k, size_t klen) {
    bool found;
    size_t i = lower_bound(k, klen, &found);
    if (!found) return;
    free(store[i].key);
    free(store[i].value);
    memmove(&store[i], &store[i + 1], (store_len - i - 1) * sizeof *store);
    store_len--;
}

static void undo_clear(void) {
    for (size_t i = 0; i < undo_len; i++) {
        free(undo_log[i].key);
        free(undo_log[i].old_value);
    }
    undo_len = 0;
}

static void undo_rollback(void) {
    for (size_t i = undo_len; i-- > 0;) {
        undo *u = &undo_log[i];
        if (u->existed)
            raw_set(u->key, u->key_len, u->old_value, u->old_len);
        else
            raw_remove(u->key, u->key_len);
    }
    undo_clear();
}

static void store_clear(void) {
    for (size_t i = 0; i < store_len; i++) {
        free(store[i].key);
        free(store[i].value);
    }
    store_len = 0;
}

static char *cw_copy(const char *p, size_t n) {
    char *d = cw_alloc(n);
    if (n) memcpy(d, p, n);
    return d;
}

bool cw_db_read(cw_str key, cw_str *value) {
    bool found;
    size_t i = lower_bound(key.ptr, key.len, &found);
    if (!found) return false;
    *value = (cw_str){cw_copy(store[i].value, store[i].value_len), store[i].value_len};
    return true;
}

static void check_writable(void) {
    if (read_only) cw_abort("Write access denied: storage is read-only in queries");
}

void cw_db_write(cw_str key, cw_str value) {
    if (value.len == 0) cw_abort("cw_db_write: value must not be empty (use cw_db_remove)");
    check_writable();
    record_undo(key.ptr, key.len);
    raw_set(key.ptr, key.len, value.ptr, value.len);
}

void cw_db_remove(cw_str key) {
    check_writable();
    record_undo(key.ptr, key.len);
    raw_remove(key.ptr, key.len);
}

/* --- Iterators: each remembers its bounds and the last key returned, and re-seeks on every
 * step, so writes between steps are harmless. Ids start at 1. */

typedef struct iterator {
    char *start, *end, *last;
    size_t start_len, end_len, last_len;
    bool has_start, has_end, has_last, done;
    int order;
} iterator;

static iterator *iters;
static size_t n_iters, iters_cap;

static void iters_clear(void) {
    for (size_t i = 0; i < n_iters; i++) {
        free(iters[i].start);
        free(iters[i].end);
        free(iters[i].last);
    }
    n_iters = 0;
}

cw_iter cw_db_scan(const cw_str *start, const cw_str *end, int order) {
    if (order != CW_ORDER_ASC && order != CW_ORDER_DESC) cw_abort("cw_db_scan: invalid order");
    if (n_iters == iters_cap) {
        iters_cap = iters_cap ? iters_cap * 2 : 8;
        iters = realloc(iters, iters_cap * sizeof *iters);
        if (!iters) abort();
    }
    iterator *it = &iters[n_iters++];
    memset(it, 0, sizeof *it);
    it->order = order;
    if (start) {
        it->has_start = true;
        it->start = xmemdup(start->ptr, start->len);
        it->start_len = start->len;
    }
    if (end) {
        it->has_end = true;
        it->end = xmemdup(end->ptr, end->len);
        it->end_len = end->len;
    }
    return (cw_iter)n_iters;
}

bool cw_db_next(cw_iter id, cw_str *key, cw_str *value) {
    if (id == 0 || id > n_iters) cw_abort("cw_db_next: iterator does not exist");
    iterator *it = &iters[id - 1];
    if (it->done) return false;
    size_t i;
    bool ok;
    if (it->order == CW_ORDER_ASC) {
        bool found = false;
        if (it->has_last) {
            i = lower_bound(it->last, it->last_len, &found);
            if (found) i++;
        } else {
            i = it->has_start ? lower_bound(it->start, it->start_len, NULL) : 0;
        }
        ok = i < store_len &&
             (!it->has_end || bytes_cmp(store[i].key, store[i].key_len, it->end, it->end_len) < 0);
    } else {
        /* The entry before the first key >= the upper limit (last returned key, else end). */
        if (it->has_last)
            i = lower_bound(it->last, it->last_len, NULL);
        else
            i = it->has_end ? lower_bound(it->end, it->end_len, NULL) : store_len;
        ok = i > 0;
        if (ok) {
            i--;
            ok = !it->has_start ||
                 bytes_cmp(store[i].key, store[i].key_len, it->start, it->start_len) >= 0;
        }
    }
    if (!ok) {
        it->done = true;
        return false;
    }
    free(it->last);
    it->last = xmemdup(store[i].key, store[i].key_len);
    it->last_len = store[i].key_len;
    it->has_last = true;
    *key = (cw_str){cw_copy(store[i].key, store[i].key_len), store[i].key_len};
    *value = (cw_str){cw_copy(store[i].value, store[i].value_len), store[i].value_len};
    return true;
}

bool cw_mock_storage_get(const void *key, size_t key_len, cw_str *out) {
    bool found;
    size_t i = lower_bound(key, key_len, &found);
    if (found) *out = (cw_str){store[i].value, store[i].value_len};
    return found;
}

void cw_mock_storage_set(const void *key, size_t key_len, const void *value, size_t value_len) {
    raw_set(key, key_len, value, value_len);
}

size_t cw_mock_storage_count(void) {
    return store_len;
}

void cw_mock_storage_at(size_t i, cw_str *key, cw_str *value) {
    if (i >= store_len) {
        fprintf(stderr, "cw_mock_storage_at: index %zu out of range (%zu entries)\n", i, store_len);
        abort();
    }
    *key = (cw_str){store[i].key, store[i].key_len};
    *value = (cw_str){store[i].value, store[i].value_len};
}

/* --- Addresses: valid iff 3..=90 bytes of lowercase ASCII letters and digits; canonical form
 * is the same bytes. Messages follow cosmwasm's MockApi and VM. */

static const char *mock_addr_problem(cw_str a) {
    if (a.len == 0) return "Input is empty";
    if (a.len < 3)
        return "Invalid input: human address too short for this mock implementation (must be >= "
               "3).";
    if (a.len > 90)
        return "Invalid input: human address too long for this mock implementation (must be <= "
               "90).";
    for (size_t i = 0; i < a.len; i++) {
        char c = a.ptr[i];
        if (c >= 'A' && c <= 'Z') return "Invalid input: address not normalized";
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return "Invalid input: address contains characters other than a-z and 0-9";
    }
    return NULL;
}

cw_error *cw_addr_validate(cw_str addr) {
    if (addr.len > CW_MAX_HUMAN_ADDRESS) return cw_error_str(CW_LIT(CW_ADDR_VALIDATE_TOO_LONG));
    const char *problem = mock_addr_problem(addr);
    return problem ? cw_host_addr_error(CW_ADDR_VALIDATE_OP, cw_cstr(problem)) : NULL;
}

cw_error *cw_addr_canonicalize(cw_str human, cw_buf *out) {
    if (human.len > CW_MAX_HUMAN_ADDRESS)
        return cw_error_str(CW_LIT("input too long for addr_canonicalize"));
    const char *problem = mock_addr_problem(human);
    if (problem) return cw_host_addr_error("addr_canonicalize", cw_cstr(problem));
    cw_buf_put_str(out, human);
    return NULL;
}

cw_error *cw_addr_humanize(cw_str canonical, cw_buf *out) {
    const char *problem = mock_addr_problem(canonical);
    if (problem) return cw_host_addr_error("addr_humanize", cw_cstr(problem));
    cw_buf_put_str(out, canonical);
    return NULL;
}

/* --- Crypto: not available in the mock ------------------------------------------------------ */

bool cw_secp256k1_verify(cw_str message_hash, cw_str signature, cw_str public_key) {
    (void)message_hash, (void)signature, (void)public_key;
    cw_abort("secp256k1_verify: not supported in mock");
}

cw_error *cw_secp256k1_recover_pubkey(cw_str message_hash, cw_str signature, uint8_t recovery,
                                      cw_buf *out) {
    (void)message_hash, (void)signature, (void)recovery, (void)out;
    cw_abort("secp256k1_recover_pubkey: not supported in mock");
}

bool cw_ed25519_verify(cw_str message, cw_str signature, cw_str public_key) {
    (void)message, (void)signature, (void)public_key;
    cw_abort("ed25519_verify: not supported in mock");
}

bool cw_ed25519_batch_verify(const cw_str *messages, size_t n_messages, const cw_str *signatures,
                             size_t n_signatures, const cw_str *public_keys, size_t n_keys) {
    (void)messages, (void)n_messages, (void)signatures, (void)n_signatures, (void)public_keys,
        (void)n_keys;
    cw_abort("ed25519_batch_verify: not supported in mock");
}

void cw_debug(cw_str msg) {
    if (getenv("CW_MOCK_DEBUG")) fprintf(stderr, "[contract] %.*s\n", (int)msg.len, msg.ptr);
}

/* --- Chain queries -------------------------------------------------------------------------- */

typedef struct balance {
    char *address, *denom;
    cw_u128 amount;
} balance;

static balance *balances;
static size_t n_balances, balances_cap;
static cw_mock_wasm_query_fn wasm_querier;
static void *wasm_querier_ctx;
static cw_mock_custom_query_fn custom_querier;
static void *custom_querier_ctx;

void cw_mock_set_balance(const char *address, const char *denom, cw_u128 amount) {
    for (size_t i = 0; i < n_balances; i++) {
        if (!strcmp(balances[i].address, address) && !strcmp(balances[i].denom, denom)) {
            balances[i].amount = amount;
            return;
        }
    }
    if (n_balances == balances_cap) {
        balances_cap = balances_cap ? balances_cap * 2 : 8;
        balances = realloc(balances, balances_cap * sizeof *balances);
        if (!balances) abort();
    }
    balances[n_balances++] = (balance){xstrdup(address), xstrdup(denom), amount};
}

static int balance_by_denom(const void *a, const void *b) {
    return strcmp(((const balance *)a)->denom, ((const balance *)b)->denom);
}

void cw_mock_set_wasm_querier(cw_mock_wasm_query_fn fn, void *ctx) {
    wasm_querier = fn;
    wasm_querier_ctx = ctx;
}

void cw_mock_set_custom_querier(cw_mock_custom_query_fn fn, void *ctx) {
    custom_querier = fn;
    custom_querier_ctx = ctx;
}

static void write_coin(cw_jw *w, cw_str denom, cw_u128 amount) {
    cw_jw_obj_begin(w);
    cw_jw_key(w, "denom");
    cw_jw_str(w, denom);
    cw_jw_key(w, "amount");
    cw_jw_u128_str(w, amount);
    cw_jw_obj_end(w);
}

/* A string field of a query body; false if missing. */
static bool query_field(cw_json body, const char *key, cw_str *out, bool *owned) {
    cw_json v = cw_json_get(body, key);
    return v.type == CW_JSON_STRING && !cw_json_string(v, out, owned);
}

/* Answer a bank query into `answer`; false if the request is not one the mock bank knows. */
static bool bank_query(cw_json bank, cw_buf *answer) {
    cw_str variant;
    cw_json body;
    cw_error *err = cw_json_enum(bank, &variant, &body);
    if (err) {
        cw_error_free(err);
        return false;
    }
    cw_str address, denom = {0};
    bool address_owned = false, denom_owned = false;
    if (!query_field(body, "address", &address, &address_owned)) return false;
    bool handled = true;
    cw_jw w;
    cw_jw_init(&w, answer);
    if (cw_str_eq_c(variant, "balance") && query_field(body, "denom", &denom, &denom_owned)) {
        cw_u128 amount = 0;
        for (size_t i = 0; i < n_balances; i++) {
            if (cw_str_eq_c(address, balances[i].address) && cw_str_eq_c(denom, balances[i].denom))
                amount = balances[i].amount;
        }
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "amount");
        write_coin(&w, denom, amount);
        cw_jw_obj_end(&w);
    } else if (cw_str_eq_c(variant, "all_balances")) {
        balance *sorted = xmalloc(n_balances * sizeof *sorted);
        if (n_balances) memcpy(sorted, balances, n_balances * sizeof *sorted);
        qsort(sorted, n_balances, sizeof *sorted, balance_by_denom);
        cw_jw_obj_begin(&w);
        cw_jw_key(&w, "amount");
        cw_jw_arr_begin(&w);
        for (size_t i = 0; i < n_balances; i++) {
            if (cw_str_eq_c(address, sorted[i].address) && sorted[i].amount != 0)
                write_coin(&w, cw_cstr(sorted[i].denom), sorted[i].amount);
        }
        cw_jw_arr_end(&w);
        cw_jw_obj_end(&w);
        free(sorted);
    } else {
        handled = false;
    }
    if (address_owned) cw_free((void *)address.ptr);
    if (denom_owned) cw_free((void *)denom.ptr);
    return handled;
}

/* Build the SystemResult JSON a VM would return for `request`. */
static void mock_query(cw_str request, cw_buf *result) {
    cw_json root, body;
    cw_str kind;
    cw_buf answer = {0};
    cw_error *err = cw_json_parse(request, &root);
    if (!err) err = cw_json_enum(root, &kind, &body);
    if (err) {
        cw_buf_puts(result, "{\"error\":{\"invalid_request\":{\"error\":\"");
        cw_json_escape(result, (cw_str){err->msg, err->len});
        cw_buf_puts(result, "\",\"request\":\"");
        cw_base64_encode(result, request);
        cw_buf_puts(result, "\"}}}");
        cw_error_free(err);
        return;
    }
    cw_error *contract_err = NULL;
    bool handled = false;
    if (cw_str_eq_c(kind, "bank")) {
        handled = bank_query(body, &answer);
    } else if (cw_str_eq_c(kind, "wasm") && wasm_querier) {
        cw_str variant;
        cw_json smart;
        cw_error *e = cw_json_enum(body, &variant, &smart);
        cw_str addr, msg_b64;
        bool addr_owned = false, msg_owned = false;
        if (!e && cw_str_eq_c(variant, "smart") &&
            query_field(smart, "contract_addr", &addr, &addr_owned) &&
            query_field(smart, "msg", &msg_b64, &msg_owned)) {
            cw_buf msg = {0};
            cw_error *de = cw_base64_decode(msg_b64, &msg);
            if (de)
                contract_err = de;
            else
                contract_err = wasm_querier(wasm_querier_ctx, addr, cw_buf_view(&msg), &answer);
            cw_buf_free(&msg);
            handled = true;
        }
        if (addr_owned) cw_free((void *)addr.ptr);
        if (msg_owned) cw_free((void *)msg_b64.ptr);
        cw_error_free(e);
    } else if (cw_str_eq_c(kind, "wasm")) {
        cw_json smart = cw_json_get(body, "smart");
        cw_json addr = cw_json_get(smart, "contract_addr");
        if (addr.type == CW_JSON_STRING) {
            cw_buf_puts(result, "{\"error\":{\"no_such_contract\":{\"addr\":");
            cw_buf_put_str(result, addr.text);
            cw_buf_puts(result, "}}}");
            return;
        }
    }
    if (!handled && custom_querier) {
        contract_err = custom_querier(custom_querier_ctx, request, &answer);
        handled = true;
    }
    if (!handled) {
        cw_buf_puts(result, "{\"error\":{\"unsupported_request\":{\"kind\":\"");
        cw_json_escape(result, kind);
        cw_buf_puts(result, "\"}}}");
    } else if (contract_err) {
        cw_buf_puts(result, "{\"ok\":{\"error\":\"");
        cw_json_escape(result, (cw_str){contract_err->msg, contract_err->len});
        cw_buf_puts(result, "\"}}");
        cw_error_free(contract_err);
    } else {
        cw_buf_puts(result, "{\"ok\":{\"ok\":\"");
        cw_base64_encode(result, cw_buf_view(&answer));
        cw_buf_puts(result, "\"}}");
    }
    cw_buf_free(&answer);
}

cw_str cw_query_chain_raw(cw_str request) {
    cw_buf result = {0};
    mock_query(request, &result);
    size_t len;
    char *p = cw_buf_take(&result, &len);
    return (cw_str){p, len};
}

cw_error *cw_query_chain(cw_str request, cw_str *answer) {
    cw_buf result = {0};
    mock_query(request, &result);
    cw_error *err = cw_host_query_result(cw_buf_view(&result), answer);
    cw_buf_free(&result);
    return err;
}

/* --- Env ------------------------------------------------------------------------------------ */

static uint64_t env_height, env_time_ns;
static char *env_chain_id, *env_contract;
static bool env_has_tx;
static uint32_t env_tx_index;

static void set_string(char **dst, const char *s) {
    free(*dst);
    *dst = xstrdup(s);
}

void cw_mock_set_block(uint64_t height, uint64_t time_ns) {
    env_height = height;
    env_time_ns = time_ns;
}

void cw_mock_set_chain_id(const char *chain_id) {
    set_string(&env_chain_id, chain_id);
}

void cw_mock_set_contract_address(const char *address) {
    set_string(&env_contract, address);
}

void cw_mock_set_transaction(bool has, uint32_t index) {
    env_has_tx = has;
    env_tx_index = index;
}

static bool env_initialised;

void cw_mock_reset(void) {
    store_clear();
    undo_clear();
    iters_clear();
    for (size_t i = 0; i < n_balances; i++) {
        free(balances[i].address);
        free(balances[i].denom);
    }
    n_balances = 0;
    wasm_querier = NULL;
    custom_querier = NULL;
    logging = read_only = false;
    cw_mock_set_block(12345, 1571797419879305533ull);
    cw_mock_set_chain_id("cosmos-testnet-14002");
    cw_mock_set_contract_address("cosmos2contract");
    cw_mock_set_transaction(true, 3);
    env_initialised = true;
}

static void ensure_init(void) {
    if (!env_initialised) cw_mock_reset();
}

/* Append a JSON string literal (escaped) using libc memory. */
static void json_string(FILE *f, const char *s) {
    cw_buf b = {0};
    cw_json_escape(&b, cw_cstr(s));
    fputc('"', f);
    fwrite(cw_buf_view(&b).ptr, 1, b.len, f);
    fputc('"', f);
    cw_buf_free(&b);
}

char *cw_mock_env_json(void) {
    ensure_init();
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) abort();
    fprintf(f, "{\"block\":{\"height\":%llu,\"time\":\"%llu\",\"chain_id\":",
            (unsigned long long)env_height, (unsigned long long)env_time_ns);
    json_string(f, env_chain_id);
    fputs("},\"transaction\":", f);
    if (env_has_tx)
        fprintf(f, "{\"index\":%u}", (unsigned)env_tx_index);
    else
        fputs("null", f);
    fputs(",\"contract\":{\"address\":", f);
    json_string(f, env_contract);
    fputs("}}", f);
    fclose(f);
    return out;
}

static char *info_json(const char *sender, const char *funds_json) {
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) abort();
    fputs("{\"sender\":", f);
    json_string(f, sender);
    fprintf(f, ",\"funds\":%s}", funds_json ? funds_json : "[]");
    fclose(f);
    return out;
}

/* --- Calls ---------------------------------------------------------------------------------- */

void cw_mock_result_free(cw_mock_result *r) {
    free(r->error);
    free(r->response_json);
    free(r->answer_json);
    *r = (cw_mock_result){0};
}

typedef enum call_kind { CALL_INSTANTIATE, CALL_EXECUTE, CALL_QUERY, CALL_ENV_MSG } call_kind;

typedef struct call {
    call_kind kind;
    const char *name; /* entry point, for the missing-entry error */
    cw_execute_fn exec_fn;
    cw_query_fn query_fn;
    cw_env_msg_fn env_msg_fn;
    cw_str env, info, msg;
    char *out; /* result JSON (cw_alloc'd) */
    size_t out_len;
} call;

static void run_entry(void *ctx) {
    call *c = ctx;
    switch (c->kind) {
    case CALL_INSTANTIATE:
        c->out = cw_entry_run_instantiate(c->exec_fn, c->env, c->info, c->msg, &c->out_len);
        break;
    case CALL_EXECUTE:
        c->out = cw_entry_run_execute(c->exec_fn, c->env, c->info, c->msg, &c->out_len);
        break;
    case CALL_QUERY:
        c->out = cw_entry_run_query(c->query_fn, c->env, c->msg, &c->out_len);
        break;
    case CALL_ENV_MSG:
        c->out = cw_entry_run_env_msg(c->env_msg_fn, c->env, c->msg, &c->out_len);
        break;
    }
}

/* Turn the entry glue's result JSON into a cw_mock_result. */
static void decode_result(const call *c, cw_mock_result *r) {
    cw_json root;
    cw_error *err = cw_json_parse((cw_str){c->out, c->out_len}, &root);
    if (err) {
        r->error = xmemdup(err->msg, err->len);
        cw_error_free(err);
        return;
    }
    cw_json ok = cw_json_get(root, "ok");
    cw_json error = cw_json_get(root, "error");
    cw_str s;
    bool owned;
    if (error.type == CW_JSON_STRING && !cw_json_string(error, &s, &owned)) {
        r->error = xmemdup(s.ptr, s.len);
        if (owned) cw_free((void *)s.ptr);
        return;
    }
    if (ok.type == CW_JSON_MISSING) {
        r->error = xstrdup("cw_mock: malformed result JSON");
        return;
    }
    if (c->kind != CALL_QUERY) {
        r->ok = true;
        r->response_json = xmemdup(ok.text.ptr, ok.text.len);
        return;
    }
    cw_buf answer = {0};
    err = ok.type == CW_JSON_STRING ? cw_json_string(ok, &s, &owned)
                                    : cw_errorf("cw_mock: query result is not a string");
    if (!err) {
        err = cw_base64_decode(s, &answer);
        if (owned) cw_free((void *)s.ptr);
    }
    if (err) {
        r->error = xmemdup(err->msg, err->len);
        cw_error_free(err);
    } else {
        r->ok = true;
        r->answer_json = xmemdup(cw_buf_view(&answer).ptr, answer.len);
    }
    cw_buf_free(&answer);
}

static cw_mock_result run_call(call *c, const char *sender, const char *funds_json,
                               const char *msg_json) {
    ensure_init();
    cw_mock_result r = {0};
    if (!c->exec_fn && !c->query_fn && !c->env_msg_fn) {
        size_t n = strlen(c->name) + 40;
        r.error = xmalloc(n);
        snprintf(r.error, n, "contract has no %s entry point", c->name);
        return r;
    }
    char *env = cw_mock_env_json();
    char *info = c->kind <= CALL_EXECUTE ? info_json(sender, funds_json) : NULL;
    c->env = cw_cstr(env);
    c->info = cw_cstr(info ? info : "");
    c->msg = cw_cstr(msg_json);
    c->out = NULL;
    iters_clear();
    undo_clear();
    logging = true;
    read_only = c->kind == CALL_QUERY;
    char *abort_msg = cw_mock_catch_abort(run_entry, c);
    logging = read_only = false;
    iters_clear();
    if (abort_msg) {
        r.aborted = true;
        r.error = abort_msg;
    } else {
        decode_result(c, &r);
        cw_free(c->out);
    }
    if (r.ok)
        undo_clear();
    else
        undo_rollback();
    free(env);
    free(info);
    return r;
}

cw_mock_result cw_mock_instantiate(const char *sender, const char *funds_json,
                                   const char *msg_json) {
    call c = {.kind = CALL_INSTANTIATE,
              .name = "instantiate",
              .exec_fn = &cw_native_entries ? cw_native_entries.instantiate : NULL};
    return run_call(&c, sender, funds_json, msg_json);
}

cw_mock_result cw_mock_execute(const char *sender, const char *funds_json, const char *msg_json) {
    call c = {.kind = CALL_EXECUTE,
              .name = "execute",
              .exec_fn = &cw_native_entries ? cw_native_entries.execute : NULL};
    return run_call(&c, sender, funds_json, msg_json);
}

cw_mock_result cw_mock_query(const char *msg_json) {
    call c = {.kind = CALL_QUERY,
              .name = "query",
              .query_fn = &cw_native_entries ? cw_native_entries.query : NULL};
    return run_call(&c, NULL, NULL, msg_json);
}

cw_mock_result cw_mock_migrate(const char *msg_json) {
    call c = {.kind = CALL_ENV_MSG,
              .name = "migrate",
              .env_msg_fn = &cw_native_migrate ? cw_native_migrate : NULL};
    return run_call(&c, NULL, NULL, msg_json);
}

cw_mock_result cw_mock_sudo(const char *msg_json) {
    call c = {.kind = CALL_ENV_MSG,
              .name = "sudo",
              .env_msg_fn = &cw_native_sudo ? cw_native_sudo : NULL};
    return run_call(&c, NULL, NULL, msg_json);
}

cw_mock_result cw_mock_reply(const char *msg_json) {
    call c = {.kind = CALL_ENV_MSG,
              .name = "reply",
              .env_msg_fn = &cw_native_reply ? cw_native_reply : NULL};
    return run_call(&c, NULL, NULL, msg_json);
}

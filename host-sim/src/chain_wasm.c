/* chain_wasm.c — the wasm module of the simulated chain, following wasmd's keeper: store code,
 * instantiate (classic addresses), execute, migrate, sudo and queries; calling contract exports
 * with Env/MessageInfo JSON (ARCHITECTURE §1), dispatching each Response's messages and
 * submessages in nested cache layers with replies, emitting wasmd-format events; plus the
 * QueryRequest router behind query_chain (bank, wasm, custom oracle).
 *
 * State (tx_cache.h layout):
 *   0x01 ‖ be64(code_id)  → {"checksum":"<hex>","creator":"<addr>"}
 *   0x40 ‖ "code/" ‖ be64 → the wasm as uploaded (metered again when loaded)
 *   0x02 ‖ contract(32)   → {"code_id":N,"creator":"…","admin":"…","label":"…","created":H}
 * Compiled modules are cached in memory by checksum for the chain's life.
 *
 * Replies: every contract (cosmwasm-std 1.x and 2.x) gets wasmvm 2.x's Reply shape,
 *   {"id":N,["payload":"<b64>",]"gas_used":G,"result":{"ok":{"events":[…],"data":…,
 *    "msg_responses":[{"type_url":…,"value":…}]}}} or {…,"result":{"error":"…"}},
 * as wasmd 0.5x does: cosmwasm-std 1.x's Reply/SubMsgResponse are plain serde derives without
 * deny_unknown_fields, so 1.x contracts ignore payload, gas_used and msg_responses. gas_used is
 * in SDK gas. As in wasmd, a failed submessage's error reaches `reply` redacted to
 * "codespace: <cs>, code: <n>" (the full text is printed with trace), and so do errors of
 * contract queries made through query_chain.
 *
 * Gas beyond the instances' own: wasmd's per-call instance cost and compile cost (see
 * chain_internal.h). Not charged: the SDK's ante handler (signatures, tx size) and wasmd's
 * per-event/attribute costs. */
#define _GNU_SOURCE /* asprintf, vasprintf */
#include "chain_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "gas_inject.h"
#include "wasm_check.h"

/* Largest result a contract may return (cosmwasm-vm's default result limit is in this range). */
#define MAX_RESULT_LEN (64u * 1024u * 1024u)

typedef enum entry_kind { E_INSTANTIATE, E_EXECUTE, E_MIGRATE, E_SUDO, E_REPLY } entry_kind;

static const struct {
    const char *export_name, *event, *fail_suffix;
    uint32_t code;
} ENTRY[] = {
    [E_INSTANTIATE] = {"instantiate", "instantiate", "instantiate wasm contract failed",
                       HS_WASMD_ERR_INSTANTIATE},
    [E_EXECUTE] = {"execute", "execute", "execute wasm contract failed", HS_WASMD_ERR_EXECUTE},
    [E_MIGRATE] = {"migrate", "migrate", "migrate wasm contract failed", HS_WASMD_ERR_MIGRATION},
    [E_SUDO] = {"sudo", "sudo", "execute wasm contract failed", HS_WASMD_ERR_EXECUTE},
    [E_REPLY] = {"reply", "reply", "execute wasm contract failed", HS_WASMD_ERR_EXECUTE},
};

/* --- Small helpers ------------------------------------------------------------------------------
 */

static char *b64_encode(const uint8_t *data, size_t len) {
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(cap);
    if (s) sodium_bin2base64(s, cap, data, len, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

/* Decode standard base64 (padding required, as cosmwasm Binary); NULL on error. */
static uint8_t *b64_decode(const char *s, size_t *len) {
    size_t n = strlen(s);
    uint8_t *out = malloc(n / 4 * 3 + 3);
    if (!out) return NULL;
    const char *end;
    if (sodium_base642bin(out, n / 4 * 3 + 3, s, n, NULL, len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        *end) {
        free(out);
        return NULL;
    }
    return out;
}

static char *hex(const uint8_t *b, size_t n) {
    char *s = malloc(n * 2 + 1);
    if (s) sodium_bin2hex(s, n * 2 + 1, b, n);
    return s;
}

/* --- JSON text -------------------------------------------------------------------------------
 * Events, MessageInfo and Reply are written as text directly, byte for byte what json_dumps
 * (JSON_COMPACT) gives for the same values: building and dumping jansson trees was most of the
 * chain's cost per transaction. */

typedef struct jtext {
    char *s;
    size_t len, cap;
    bool failed; /* out of memory: the text is incomplete */
} jtext;

static void jt_putn(jtext *t, const char *s, size_t n) {
    if (t->failed) return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1) cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->failed = true;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void jt_puts(jtext *t, const char *s) {
    jt_putn(t, s, strlen(s));
}

/* A JSON string as jansson dumps it (valid UTF-8 in, as every string here is: addresses, coins,
 * and strings of JSON that jansson parsed): `"` and `\` escaped, \b \f \n \r \t, other
 * control characters as \u00XX (upper-case hex), everything else as is. */
static void jt_strn(jtext *t, const char *s, size_t n) {
    jt_putn(t, "\"", 1);
    const char *run = s, *end = s + n;
    for (; s < end; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
        jt_putn(t, run, (size_t)(s - run));
        run = s + 1;
        char esc[8];
        switch (ch) {
        case '"':
            jt_putn(t, "\\\"", 2);
            break;
        case '\\':
            jt_putn(t, "\\\\", 2);
            break;
        case '\b':
            jt_putn(t, "\\b", 2);
            break;
        case '\f':
            jt_putn(t, "\\f", 2);
            break;
        case '\n':
            jt_putn(t, "\\n", 2);
            break;
        case '\r':
            jt_putn(t, "\\r", 2);
            break;
        case '\t':
            jt_putn(t, "\\t", 2);
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", ch);
            jt_putn(t, esc, 6);
        }
    }
    jt_putn(t, run, (size_t)(s - run));
    jt_putn(t, "\"", 1);
}

static void jt_str(jtext *t, const char *s) {
    jt_strn(t, s, strlen(s));
}

/* The events of a transaction or submessage: the text of a JSON array's elements, wasmd events
 * {"type":…,"attributes":[{"key":…,"value":…},…]}, written one at a time with ev_open, ev_attr…,
 * ev_close. A failing call may leave an event open: its list is then discarded (the transaction
 * or submessage failed). */
typedef struct ev_list {
    jtext t;
    size_t n_attrs; /* attributes of the open event */
} ev_list;

static void ev_open(ev_list *l, const char *type) {
    jt_puts(&l->t, l->t.len ? ",{\"type\":" : "{\"type\":");
    jt_str(&l->t, type);
    jt_puts(&l->t, ",\"attributes\":[");
    l->n_attrs = 0;
}

static void ev_attr_n(ev_list *l, const char *k, size_t kl, const char *v, size_t vl) {
    jt_puts(&l->t, l->n_attrs++ ? ",{\"key\":" : "{\"key\":");
    jt_strn(&l->t, k, kl);
    jt_puts(&l->t, ",\"value\":");
    jt_strn(&l->t, v, vl);
    jt_putn(&l->t, "}", 1);
}

static void ev_attr(ev_list *l, const char *k, const char *v) {
    ev_attr_n(l, k, strlen(k), v, strlen(v));
}

static void ev_close(ev_list *l) {
    jt_putn(&l->t, "]}", 2);
}

/* Append the events of `from` to `to`. */
static void ev_append(ev_list *to, const ev_list *from) {
    if (!from->t.len) return;
    if (to->t.len) jt_putn(&to->t, ",", 1);
    jt_putn(&to->t, from->t.s, from->t.len);
    to->t.failed |= from->t.failed;
}

static void ev_free(ev_list *l) {
    free(l->t.s);
}

/* Skip one JSON value starting at s[i] (no validation beyond nesting and strings). */
static size_t skip_value(const char *s, size_t n, size_t i) {
    int depth = 0;
    bool in_str = false;
    for (; i < n; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"') {
                in_str = false;
                if (depth == 0) return i + 1;
            }
            continue;
        }
        if (ch == '"')
            in_str = true;
        else if (ch == '{' || ch == '[')
            depth++;
        else if (ch == '}' || ch == ']') {
            if (depth == 0) return i;
            if (--depth == 0) return i + 1;
        } else if (depth == 0 && (ch == ',' || ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r'))
            return i;
    }
    return n;
}

/* The raw text of top-level member `name` of the JSON object in s (already known to parse). */
static bool raw_member(const char *s, size_t n, const char *name, size_t *start, size_t *end) {
    size_t i = 0, nl = strlen(name);
    while (i < n && s[i] != '{') i++;
    i++;
    while (i < n) {
        while (i < n &&
               (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == ','))
            i++;
        if (i >= n || s[i] != '"') return false;
        size_t ks = i + 1, ke = skip_value(s, n, i) - 1;
        i = ke + 1;
        while (i < n && s[i] != ':') i++;
        i++;
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) i++;
        size_t vs = i, ve = skip_value(s, n, i);
        if (ke - ks == nl && !memcmp(s + ks, name, nl)) {
            *start = vs;
            *end = ve;
            return true;
        }
        i = ve;
    }
    return false;
}

static char *dump(const json_t *j) {
    return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* Protobuf: field `num` with length-delimited bytes (omitted when empty, like proto3). */
static size_t proto_bytes(uint8_t *out, int num, const uint8_t *b, size_t len) {
    if (!len) return 0;
    size_t o = 0;
    out[o++] = (uint8_t)(num << 3 | 2);
    size_t l = len;
    do {
        out[o++] = (uint8_t)((l & 0x7f) | (l > 0x7f ? 0x80 : 0));
        l >>= 7;
    } while (l);
    memcpy(out + o, b, len);
    return o + len;
}

/* --- Codes and contracts --------------------------------------------------------------------- */

static size_t code_key(uint8_t *k, uint64_t code_id) {
    k[0] = HS_KEY_CODE;
    hs_put_be64(k + 1, code_id);
    return 9;
}

static size_t code_bytes_key(uint8_t *k, uint64_t code_id) {
    k[0] = HS_KEY_META;
    memcpy(k + 1, "code/", 5);
    hs_put_be64(k + 6, code_id);
    return 14;
}

static size_t contract_key(uint8_t *k, const uint8_t addr[32]) {
    k[0] = HS_KEY_CONTRACT;
    memcpy(k + 1, addr, 32);
    return 33;
}

static json_t *load_json(hs_chain *c, const uint8_t *key, size_t klen) {
    size_t vlen;
    const uint8_t *v = hs_state_get(c, key, klen, &vlen);
    return v ? json_loadb((const char *)v, vlen, 0, NULL) : NULL;
}

static int save_json(hs_chain *c, const uint8_t *key, size_t klen, json_t *j) {
    char *s = dump(j);
    if (!s) return hs_fail(c, NULL, 0, "out of memory");
    int rc = hs_state_set(c, key, klen, s, strlen(s));
    free(s);
    return rc;
}

static json_t *code_info(hs_chain *c, uint64_t code_id) {
    uint8_t k[16];
    return load_json(c, k, code_key(k, code_id));
}

/* Contract info JSON (caller decrefs) or NULL with "contract: not found" recorded. */
static json_t *contract_info(hs_chain *c, const uint8_t addr[32]) {
    uint8_t k[40];
    json_t *j = load_json(c, k, contract_key(k, addr));
    if (!j) hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "contract: not found");
    return j;
}

/* The memo slot holding exactly this stored value, or NULL. */
static hs_info_memo *memo_find(hs_info_memo *memo, const uint8_t *v, size_t len) {
    for (size_t i = 0; i < HS_INFO_MEMO_SLOTS; i++)
        if (memo[i].val && memo[i].len == len && !memcmp(memo[i].val, v, len)) return &memo[i];
    return NULL;
}

/* Remember a value (best effort: nothing is remembered when out of memory). */
static hs_info_memo *memo_put(hs_info_memo *memo, unsigned *next, const uint8_t *v, size_t len) {
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) return NULL;
    memcpy(copy, v, len);
    hs_info_memo *m = &memo[*next % HS_INFO_MEMO_SLOTS];
    *next += 1;
    free(m->val);
    *m = (hs_info_memo){.val = copy, .len = len};
    return m;
}

static void memo_clear(hs_info_memo *memo) {
    for (size_t i = 0; i < HS_INFO_MEMO_SLOTS; i++) {
        free(memo[i].val);
        memo[i] = (hs_info_memo){0};
    }
}

/* The code_id of a contract, as json_integer_value of its info's "code_id" (the hot path of
 * every call; contract_info when the whole info is needed). 0, or -1 with "contract: not found"
 * recorded, as contract_info. */
static int contract_code_id(hs_chain *c, const uint8_t addr[32], uint64_t *code_id) {
    uint8_t k[40];
    size_t klen = contract_key(k, addr), vlen;
    const uint8_t *v = hs_state_get(c, k, klen, &vlen);
    hs_info_memo *m = v ? memo_find(c->contract_memo, v, vlen) : NULL;
    if (m) {
        *code_id = m->code_id;
        return 0;
    }
    json_t *ci = contract_info(c, addr);
    if (!ci) return -1;
    *code_id = (uint64_t)json_integer_value(json_object_get(ci, "code_id"));
    json_decref(ci);
    if ((m = memo_put(c->contract_memo, &c->contract_memo_next, v, vlen))) m->code_id = *code_id;
    return 0;
}

static int code_module_uncached(hs_chain *c, uint64_t code_id, hs_module **out);

/* The module of a code (loaded and cached on first use; memoised by the code info's bytes). */
static int code_module(hs_chain *c, uint64_t code_id, hs_module **out) {
    uint8_t k[16];
    size_t vlen;
    const uint8_t *v = hs_state_get(c, k, code_key(k, code_id), &vlen);
    hs_info_memo *m = v ? memo_find(c->code_memo, v, vlen) : NULL;
    if (m) {
        *out = m->mod;
        return 0;
    }
    if (code_module_uncached(c, code_id, out)) return -1;
    v = hs_state_get(c, k, code_key(k, code_id), &vlen); /* loading may have moved it */
    if (v && (m = memo_put(c->code_memo, &c->code_memo_next, v, vlen))) m->mod = *out;
    return 0;
}

static int code_module_uncached(hs_chain *c, uint64_t code_id, hs_module **out) {
    json_t *ci = code_info(c, code_id);
    if (!ci)
        return hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "no such code: %llu",
                       (unsigned long long)code_id);
    uint8_t sum[32];
    size_t sl = 0;
    const char *hexsum = json_string_value(json_object_get(ci, "checksum"));
    int bad =
        !hexsum || sodium_hex2bin(sum, 32, hexsum, strlen(hexsum), NULL, &sl, NULL) || sl != 32;
    json_decref(ci);
    if (bad)
        return hs_fail(c, NULL, 0, "code %llu: corrupt code info", (unsigned long long)code_id);
    for (size_t i = 0; i < c->n_mods; i++)
        if (!memcmp(c->mods[i].checksum, sum, 32)) {
            *out = c->mods[i].mod;
            return 0;
        }
    uint8_t k[16];
    size_t wl;
    const uint8_t *w = hs_state_get(c, k, code_bytes_key(k, code_id), &wl);
    if (!w)
        return hs_fail(c, NULL, 0, "code %llu: wasm bytes missing", (unsigned long long)code_id);
    uint8_t *metered = NULL;
    size_t ml;
    char err[256];
    if (hs_gas_inject(w, wl, &metered, &ml, err, sizeof err) != HS_GAS_OK)
        return hs_fail(c, "wasm", HS_WASMD_ERR_CREATE, "gas metering: %s", err);
    hs_module *mod;
    hs_engine_result er = hs_module_load(c->eng, metered, ml, &mod, err, sizeof err);
    free(metered);
    if (er != HS_ENGINE_OK)
        return hs_fail(c, "wasm", HS_WASMD_ERR_CREATE, "Error compiling Wasm: %s", err);
    if (c->n_mods == c->cap_mods) {
        size_t cap = c->cap_mods ? c->cap_mods * 2 : 8;
        hs_code_module *m = realloc(c->mods, cap * sizeof *m);
        if (!m) {
            hs_module_free(mod);
            return hs_fail(c, NULL, 0, "out of memory");
        }
        c->mods = m;
        c->cap_mods = cap;
    }
    memcpy(c->mods[c->n_mods].checksum, sum, 32);
    c->mods[c->n_mods++].mod = mod;
    *out = mod;
    return 0;
}

void hs_wasm_free_modules(hs_chain *c) {
    memo_clear(c->contract_memo);
    memo_clear(c->code_memo);
    for (size_t i = 0; i < c->n_mods; i++) hs_module_free(c->mods[i].mod);
    free(c->mods);
    c->mods = NULL;
    c->n_mods = c->cap_mods = 0;
}

/* --- Calling a contract -------------------------------------------------------------------- */

static char *env_json(hs_chain *c, const char *contract_h, bool in_tx) {
    char *s = NULL;
    if (asprintf(&s,
                 "{\"block\":{\"height\":%llu,\"time\":\"%llu\",\"chain_id\":\"%s\"},"
                 "\"transaction\":%s,\"contract\":{\"address\":\"%s\"}}",
                 (unsigned long long)c->height, (unsigned long long)c->time_ns, c->chain_id,
                 in_tx ? "{\"index\":0}" : "null", contract_h) < 0)
        return NULL;
    return s;
}

/* MessageInfo: {"sender":…,"funds":[{"denom":…,"amount":…},…]}. */
static char *info_json(const char *sender_h, const hs_bank_coin *funds, size_t n) {
    jtext t = {0};
    jt_puts(&t, "{\"sender\":");
    jt_str(&t, sender_h);
    jt_puts(&t, ",\"funds\":[");
    for (size_t i = 0; i < n; i++) {
        char amt[HS_U128_DEC_CAP];
        hs_u128_format(funds[i].amount, amt);
        jt_puts(&t, i ? ",{\"denom\":" : "{\"denom\":");
        jt_str(&t, funds[i].denom);
        jt_puts(&t, ",\"amount\":");
        jt_str(&t, amt);
        jt_puts(&t, "}");
    }
    jt_puts(&t, "]}");
    if (t.failed) {
        free(t.s);
        return NULL;
    }
    return t.s;
}

/* Run export `name` of the contract with up to three JSON arguments; *out gets the result
 * bytes (malloc'd). Gas: the instance runs on what is left of the current frame. */
static int call_export(hs_chain *c, const uint8_t addr[32], uint64_t code_id, const char *name,
                       const char *const *args, int nargs, bool readonly, char **out,
                       size_t *out_len) {
    hs_module *mod;
    if (code_module(c, code_id, &mod)) return -1;
    if (hs_gas_charge(c, (uint64_t)HS_GAS_SDK_INSTANCE_COST * HS_GAS_MULTIPLIER)) return -1;
    hs_call call = {.chain = c, .readonly = readonly};
    memcpy(call.contract, addr, 32);
    hs_instance *inst;
    char err[512];
    hs_engine_result er = hs_instance_new(mod, &hs_host_env_imports, &call, &inst, err, sizeof err);
    if (er != HS_ENGINE_OK)
        return hs_fail(c, "wasm", HS_WASMD_ERR_EXECUTE, "Error calling the VM: %s", err);
    uint64_t avail = c->gas_limit - c->gas_used;
    hs_instance_set_gas(inst, avail);
    uint64_t ptrs[3], res = 0;
    int rc = 0;
    for (int i = 0; i < nargs && er == HS_ENGINE_OK; i++) {
        uint32_t p;
        if (hs_region_write_new(inst, args[i], strlen(args[i]), &p, &er, err, sizeof err)) {
            if (er == HS_ENGINE_OK) er = HS_ENGINE_TRAP_HOST;
        }
        ptrs[i] = p;
    }
    if (er == HS_ENGINE_OK) er = hs_instance_call(inst, name, ptrs, (uint32_t)nargs, &res);
    uint64_t left = hs_instance_gas(inst);
    c->gas_used += avail - (left > avail ? avail : left);
    if (er == HS_ENGINE_TRAP_OUT_OF_GAS) {
        c->gas_used = c->gas_limit;
        rc = hs_fail_out_of_gas(c);
    } else if (er == HS_ENGINE_ERR_NO_EXPORT) {
        rc = hs_fail(c, "wasm", ENTRY[E_EXECUTE].code,
                     "Error calling the VM: Error resolving Wasm function: Could not get export: "
                     "Missing export %s",
                     name);
    } else if (er != HS_ENGINE_OK) {
        rc = hs_fail(c, "wasm", ENTRY[E_EXECUTE].code,
                     "Error calling the VM: Error executing Wasm: Wasmer runtime error: "
                     "RuntimeError: %s",
                     hs_instance_error(inst));
    } else {
        uint8_t *buf;
        size_t len;
        if (hs_region_read_checked(inst, (uint32_t)res, MAX_RESULT_LEN, &buf, &len, err,
                                   sizeof err))
            rc = hs_fail(c, "wasm", ENTRY[E_EXECUTE].code,
                         "Error calling the VM: Error executing Wasm: %s", err);
        else {
            *out = (char *)buf;
            *out_len = len;
        }
    }
    hs_call_cleanup(&call);
    hs_instance_free(inst);
    return rc;
}

/* Parse {"ok":X}/{"error":"…"}: *ok the parsed X, *raw its exact text (malloc'd, may be NULL
 * when not wanted). -1 with the contract's error (or a parse error) recorded. */
static int contract_result(hs_chain *c, const char *buf, size_t len, uint32_t code, json_t **ok,
                           char **raw) {
    json_error_t je;
    json_t *j = json_loadb(buf, len, JSON_DECODE_ANY, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return hs_fail(c, "wasm", code, "Error parsing into type ContractResult: %s", je.text);
    }
    json_t *e = json_object_get(j, "error");
    if (e) {
        int rc = hs_fail(c, "wasm", code, "%s", json_is_string(e) ? json_string_value(e) : "?");
        json_decref(j);
        return rc;
    }
    json_t *o = json_object_get(j, "ok");
    if (!o) {
        json_decref(j);
        return hs_fail(c, "wasm", code, "Error parsing into type ContractResult: no ok/error");
    }
    *ok = json_incref(o);
    json_decref(j);
    if (raw) {
        size_t s, en;
        *raw = raw_member(buf, len, "ok", &s, &en) ? strndup(buf + s, en - s) : dump(*ok);
    }
    return 0;
}

/* --- Bank transfers with events ------------------------------------------------------------ */

static int bank_send(hs_chain *c, const uint8_t *from, size_t fl, const uint8_t *to, size_t tl,
                     const hs_bank_coin *coins, size_t n, ev_list *events) {
    char *amount = hs_coins_string(coins, n);
    if (!amount) return hs_fail(c, NULL, 0, "out of memory");
    if (!amount[0]) {
        free(amount);
        return 0;
    }
    char msg[256] = "";
    hs_state_result r = hs_bank_send(c->txc, from, fl, to, tl, coins, n, msg, sizeof msg);
    if (r != HS_STATE_OK) {
        free(amount);
        return hs_fail(c, "sdk",
                       r == HS_STATE_INSUFFICIENT ? HS_SDK_ERR_INSUFFICIENT_FUNDS
                                                  : HS_SDK_ERR_INVALID_COINS,
                       "%s", msg[0] ? msg : hs_state_strerror(r));
    }
    char fh[HS_ADDR_HUMAN_CAP], th[HS_ADDR_HUMAN_CAP];
    hs_human(c, from, fl, fh);
    hs_human(c, to, tl, th);
    ev_open(events, "coin_spent");
    ev_attr(events, "spender", fh);
    ev_attr(events, "amount", amount);
    ev_close(events);
    ev_open(events, "coin_received");
    ev_attr(events, "receiver", th);
    ev_attr(events, "amount", amount);
    ev_close(events);
    ev_open(events, "transfer");
    ev_attr(events, "recipient", th);
    ev_attr(events, "sender", fh);
    ev_attr(events, "amount", amount);
    ev_close(events);
    free(amount);
    return 0;
}

/* --- Responses and messages ------------------------------------------------------------------ */

static int run_entry(hs_chain *c, entry_kind kind, const uint8_t addr[32], uint64_t code_id,
                     const char *sender_h, const hs_bank_coin *funds, size_t n_funds,
                     const char *msg, ev_list *events, char **data_out, char **raw_out);

static bool is_trim_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static char *trim_dup(const char *s) {
    while (is_trim_space(*s)) s++;
    size_t n = strlen(s);
    while (n && is_trim_space(s[n - 1])) n--;
    return strndup(s, n);
}

/* wasmd contractSDKEventAttributes for one attribute: trimmed, non-empty key not starting with
 * '_'. k and v are kl and vl bytes without NUL. */
static int add_attribute(hs_chain *c, ev_list *ev, const char *k, size_t kl, const char *v,
                         size_t vl) {
    while (kl && is_trim_space(*k)) k++, kl--;
    while (kl && is_trim_space(k[kl - 1])) kl--;
    while (vl && is_trim_space(*v)) v++, vl--;
    while (vl && is_trim_space(v[vl - 1])) vl--;
    if (!kl)
        return hs_fail(c, "wasm", HS_WASMD_ERR_EMPTY,
                       "Empty attribute key. Value: %.*s: attribute key must not be empty", (int)vl,
                       v);
    if (k[0] == '_')
        return hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_EVENT,
                       "attribute key starts with reserved prefix _: %.*s", (int)kl, k);
    ev_attr_n(ev, k, kl, v, vl);
    return 0;
}

static int add_attributes(hs_chain *c, ev_list *ev, json_t *attrs) {
    size_t i;
    json_t *a;
    json_array_foreach(attrs, i, a) {
        const char *k = json_string_value(json_object_get(a, "key"));
        const char *v = json_string_value(json_object_get(a, "value"));
        if (!k || !v)
            return hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_EVENT, "invalid attribute: %s",
                           "key and value must be strings");
        if (add_attribute(c, ev, k, strlen(k), v, strlen(v))) return -1;
    }
    return 0;
}

/* --- Responses without submessages ----------------------------------------------------------
 * Most calls return {"ok":{"messages":[],"attributes":[{"key":…,"value":…},…],"events":[],
 * "data":…}} as serde-json-wasm writes it. resp_scan recognises exactly that form (compact, each
 * member at most once, strings of printable ASCII without escapes, data null or a string) and
 * hands it over without a JSON tree; anything else — submessages, events, escapes, non-ASCII,
 * whitespace, errors, invalid JSON — takes the jansson path, which gives the same result for
 * what resp_scan accepts. */

typedef struct resp_scan {
    const char *ok;
    size_t ok_len;                 /* the raw text of the "ok" value */
    const char *attrs, *attrs_end; /* inside the attributes array's brackets */
    const char *data;              /* NULL: no data */
    size_t data_len;
} resp_scan;

/* A string at *p of printable ASCII without escapes: its bytes and length, *p past it. */
static bool scan_str(const char **p, const char *end, const char **s, size_t *n) {
    const char *q = *p;
    if (q >= end || *q != '"') return false;
    const char *start = ++q;
    while (q < end && *q != '"') {
        unsigned char ch = (unsigned char)*q;
        if (ch < 0x20 || ch >= 0x7f || ch == '\\') return false;
        q++;
    }
    if (q >= end) return false;
    *s = start;
    *n = (size_t)(q - start);
    *p = q + 1;
    return true;
}

static bool scan_lit(const char **p, const char *end, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(end - *p) < n || memcmp(*p, lit, n)) return false;
    *p += n;
    return true;
}

/* One {"key":…,"value":…} at *p (after a ',' when not first), *p past it; false (and *p
 * unchanged) for anything else, e.g. the closing bracket. */
static bool scan_attr(const char **p, const char *end, bool first, const char **k, size_t *kl,
                      const char **v, size_t *vl) {
    const char *q = *p;
    if ((first || scan_lit(&q, end, ",")) && scan_lit(&q, end, "{\"key\":") &&
        scan_str(&q, end, k, kl) && scan_lit(&q, end, ",\"value\":") && scan_str(&q, end, v, vl) &&
        scan_lit(&q, end, "}")) {
        *p = q;
        return true;
    }
    return false;
}

static bool resp_scan_parse(const char *buf, size_t len, resp_scan *r) {
    const char *p = buf, *end = buf + len;
    memset(r, 0, sizeof *r);
    if (!scan_lit(&p, end, "{\"ok\":{")) return false;
    r->ok = p - 1;
    bool seen[4] = {false, false, false, false};
    for (bool first = true;; first = false) {
        if (scan_lit(&p, end, "}")) break;
        if (!first && !scan_lit(&p, end, ",")) return false;
        const char *key;
        size_t kl;
        if (!scan_str(&p, end, &key, &kl) || !scan_lit(&p, end, ":")) return false;
        int which = kl == 8 && !memcmp(key, "messages", 8)       ? 0
                    : kl == 10 && !memcmp(key, "attributes", 10) ? 1
                    : kl == 6 && !memcmp(key, "events", 6)       ? 2
                    : kl == 4 && !memcmp(key, "data", 4)         ? 3
                                                                 : -1;
        if (which < 0 || seen[which]) return false;
        seen[which] = true;
        if (which == 0 || which == 2) {
            if (!scan_lit(&p, end, "[]")) return false;
        } else if (which == 1) {
            if (!scan_lit(&p, end, "[")) return false;
            r->attrs = p;
            const char *k, *v;
            size_t kn, vn;
            for (bool f = true; scan_attr(&p, end, f, &k, &kn, &v, &vn); f = false) {
            }
            r->attrs_end = p;
            if (!scan_lit(&p, end, "]")) return false;
        } else if (!scan_lit(&p, end, "null") && !scan_str(&p, end, &r->data, &r->data_len)) {
            return false;
        }
    }
    r->ok_len = (size_t)(p - r->ok);
    return scan_lit(&p, end, "}") && p == end;
}

/* handle_response for a scanned Response: the wasm event and the data (no messages). */
static int handle_scanned(hs_chain *c, const char *addr_h, const resp_scan *r, ev_list *events,
                          char **data_out) {
    if (r->attrs_end > r->attrs) {
        ev_open(events, "wasm");
        ev_attr(events, "_contract_address", addr_h);
        const char *p = r->attrs, *k, *v;
        size_t kl, vl;
        for (bool f = true; scan_attr(&p, r->attrs_end, f, &k, &kl, &v, &vl); f = false)
            if (add_attribute(c, events, k, kl, v, vl)) return -1;
        ev_close(events);
    }
    *data_out = NULL;
    if (r->data && !(*data_out = strndup(r->data, r->data_len)))
        return hs_fail(c, NULL, 0, "out of memory");
    return 0;
}

static int dispatch_submsg(hs_chain *c, const uint8_t addr[32], const char *addr_h, json_t *sub,
                           ev_list *events, char **data);

/* wasmd handleContractResponse: the wasm / wasm-<type> events, then the messages; the data is
 * the contract's, or the last non-empty reply data. */
static int handle_response(hs_chain *c, const uint8_t addr[32], const char *addr_h, json_t *resp,
                           ev_list *events, char **data_out) {
    json_t *attrs = json_object_get(resp, "attributes");
    if (json_array_size(attrs)) {
        ev_open(events, "wasm");
        ev_attr(events, "_contract_address", addr_h);
        if (add_attributes(c, events, attrs)) return -1;
        ev_close(events);
    }
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(resp, "events"), i, e) {
        const char *type = json_string_value(json_object_get(e, "type"));
        char *tt = trim_dup(type ? type : "");
        if (!tt) return hs_fail(c, NULL, 0, "out of memory");
        if (strlen(tt) < 2) {
            free(tt);
            return hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_EVENT, "Event type too short: %s",
                           type ? type : "");
        }
        char *full = NULL;
        int n = asprintf(&full, "wasm-%s", tt);
        free(tt);
        if (n < 0) return hs_fail(c, NULL, 0, "out of memory");
        ev_open(events, full);
        free(full);
        ev_attr(events, "_contract_address", addr_h);
        if (add_attributes(c, events, json_object_get(e, "attributes"))) return -1;
        ev_close(events);
    }
    json_t *d = json_object_get(resp, "data");
    *data_out = json_is_string(d) ? strdup(json_string_value(d)) : NULL;
    json_array_foreach(json_object_get(resp, "messages"), i, e) {
        if (dispatch_submsg(c, addr, addr_h, e, events, data_out)) return -1;
    }
    return 0;
}

static int resolve_contract(hs_chain *c, const char *h, uint8_t out[32]) {
    uint8_t canon[64];
    size_t len;
    if (!h || hs_addr_canonicalize(c->prefix, h, canon, sizeof canon, &len) != HS_ADDR_OK ||
        len != 32)
        return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_ADDRESS, "invalid contract address: %s",
                       h ? h : "(none)");
    memcpy(out, canon, 32);
    return 0;
}

static void msg_response(json_t *responses, const char *type_url, const uint8_t *val, size_t len) {
    char *b = b64_encode(val, len);
    json_array_append_new(responses,
                          json_pack("{s:s,s:s}", "type_url", type_url, "value", b ? b : ""));
    free(b);
}

/* Set *data to base64(proto) of a Msg*Response with the contract's data (field 1 or 2). */
static void proto_response(const char *address, const char *contract_data_b64, char **data,
                           json_t *responses, const char *type_url) {
    size_t dl = 0, al = address ? strlen(address) : 0;
    uint8_t *d = contract_data_b64 ? b64_decode(contract_data_b64, &dl) : NULL;
    uint8_t *buf = malloc(al + dl + 32);
    size_t n = 0;
    if (buf) {
        if (address) n += proto_bytes(buf + n, 1, (const uint8_t *)address, al);
        n += proto_bytes(buf + n, address ? 2 : 1, d, dl);
        msg_response(responses, type_url, buf, n);
        *data = n ? b64_encode(buf, n) : NULL;
    }
    free(buf);
    free(d);
}

static int instantiate_core(hs_chain *c, uint64_t code_id, const uint8_t *sender, size_t sl,
                            const char *msg, const hs_bank_coin *funds, size_t nf,
                            const char *label, const char *admin_h, ev_list *events,
                            uint8_t addr_out[32], char **data, char **raw);

static int dispatch_wasm(hs_chain *c, const uint8_t sender[32], const char *sender_h, json_t *w,
                         ev_list *events, char **data, json_t *responses) {
    json_t *m;
    uint8_t target[32];
    if ((m = json_object_get(w, "execute")) || (m = json_object_get(w, "migrate"))) {
        bool exec = json_object_get(w, "execute") != NULL;
        if (resolve_contract(c, json_string_value(json_object_get(m, "contract_addr")), target))
            return -1;
        const char *mb = json_string_value(json_object_get(m, "msg"));
        size_t ml;
        uint8_t *msg = mb ? b64_decode(mb, &ml) : NULL;
        if (!msg) return hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_MSG, "msg: invalid base64");
        char *msgs = strndup((const char *)msg, ml);
        free(msg);
        hs_bank_coin *funds = NULL;
        size_t nf = 0;
        int rc = -1;
        char *cdata = NULL;
        json_t *ci = contract_info(c, target);
        if (!msgs || !ci) goto done;
        if (exec) {
            if (hs_coins_from_json(c, json_object_get(m, "funds"), &funds, &nf)) goto done;
            if (bank_send(c, sender, 32, target, 32, funds, nf, events)) goto done;
            rc = run_entry(c, E_EXECUTE, target,
                           (uint64_t)json_integer_value(json_object_get(ci, "code_id")), sender_h,
                           funds, nf, msgs, events, &cdata, NULL);
            if (!rc)
                proto_response(NULL, cdata, data, responses,
                               "/cosmwasm.wasm.v1.MsgExecuteContractResponse");
        } else {
            const char *admin = json_string_value(json_object_get(ci, "admin"));
            uint64_t new_code = (uint64_t)json_integer_value(json_object_get(m, "new_code_id"));
            if (!admin || strcmp(admin, sender_h)) {
                rc = hs_fail(c, "sdk", HS_SDK_ERR_UNAUTHORIZED, "can not migrate: unauthorized");
                goto done;
            }
            json_t *nci = code_info(c, new_code);
            if (!nci) {
                rc = hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "no such code: %llu",
                             (unsigned long long)new_code);
                goto done;
            }
            json_decref(nci);
            json_object_set_new(ci, "code_id", json_integer((json_int_t)new_code));
            uint8_t k[40];
            if (save_json(c, k, contract_key(k, target), ci)) goto done;
            rc = run_entry(c, E_MIGRATE, target, new_code, NULL, NULL, 0, msgs, events, &cdata,
                           NULL);
            if (!rc)
                proto_response(NULL, cdata, data, responses,
                               "/cosmwasm.wasm.v1.MsgMigrateContractResponse");
        }
    done:
        free(cdata);
        free(funds);
        free(msgs);
        json_decref(ci);
        return rc;
    }
    if ((m = json_object_get(w, "instantiate"))) {
        const char *mb = json_string_value(json_object_get(m, "msg"));
        size_t ml;
        uint8_t *msg = mb ? b64_decode(mb, &ml) : NULL;
        if (!msg) return hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_MSG, "msg: invalid base64");
        char *msgs = strndup((const char *)msg, ml);
        free(msg);
        hs_bank_coin *funds = NULL;
        size_t nf = 0;
        char *cdata = NULL;
        int rc = -1;
        const char *label = json_string_value(json_object_get(m, "label"));
        if (msgs && !hs_coins_from_json(c, json_object_get(m, "funds"), &funds, &nf)) {
            rc = instantiate_core(c, (uint64_t)json_integer_value(json_object_get(m, "code_id")),
                                  sender, 32, msgs, funds, nf, label ? label : "",
                                  json_string_value(json_object_get(m, "admin")), events, target,
                                  &cdata, NULL);
            if (!rc) {
                char th[HS_ADDR_HUMAN_CAP];
                hs_human(c, target, 32, th);
                proto_response(th, cdata, data, responses,
                               "/cosmwasm.wasm.v1.MsgInstantiateContractResponse");
            }
        }
        free(cdata);
        free(funds);
        free(msgs);
        return rc;
    }
    bool update = (m = json_object_get(w, "update_admin")) != NULL;
    if (update || (m = json_object_get(w, "clear_admin"))) {
        if (resolve_contract(c, json_string_value(json_object_get(m, "contract_addr")), target))
            return -1;
        json_t *ci = contract_info(c, target);
        if (!ci) return -1;
        const char *admin = json_string_value(json_object_get(ci, "admin"));
        int rc;
        if (!admin || strcmp(admin, sender_h)) {
            rc =
                hs_fail(c, "sdk", HS_SDK_ERR_UNAUTHORIZED, "can not modify contract: unauthorized");
        } else {
            const char *na = update ? json_string_value(json_object_get(m, "admin")) : NULL;
            if (update && (!na || hs_addr_validate(c->prefix, na) != HS_ADDR_OK)) {
                rc = hs_fail(c, "sdk", HS_SDK_ERR_INVALID_ADDRESS, "invalid admin address: %s",
                             na ? na : "");
            } else {
                json_object_set_new(ci, "admin", na ? json_string(na) : json_null());
                uint8_t k[40];
                rc = save_json(c, k, contract_key(k, target), ci);
                char th[HS_ADDR_HUMAN_CAP];
                hs_human(c, target, 32, th);
                ev_open(events, update ? "update_contract_admin" : "clear_contract_admin");
                ev_attr(events, "_contract_address", th);
                if (update) ev_attr(events, "new_admin_address", na);
                ev_close(events);
                msg_response(responses,
                             update ? "/cosmwasm.wasm.v1.MsgUpdateAdminResponse"
                                    : "/cosmwasm.wasm.v1.MsgClearAdminResponse",
                             NULL, 0);
            }
        }
        json_decref(ci);
        return rc;
    }
    return hs_fail(c, "wasm", HS_WASMD_ERR_UNKNOWN_MSG,
                   "unsupported wasm message: unknown message from the contract");
}

/* One CosmosMsg from contract `sender`. */
static int dispatch_msg(hs_chain *c, const uint8_t sender[32], const char *sender_h, json_t *msg,
                        ev_list *events, char **data, json_t *responses) {
    json_t *b = json_object_get(msg, "bank"), *m;
    if (b && (m = json_object_get(b, "send"))) {
        uint8_t to[64];
        size_t tl;
        const char *to_h = json_string_value(json_object_get(m, "to_address"));
        if (!to_h || hs_addr_canonicalize(c->prefix, to_h, to, sizeof to, &tl) != HS_ADDR_OK)
            return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_ADDRESS, "invalid to address: %s",
                           to_h ? to_h : "");
        hs_bank_coin *coins;
        size_t n;
        if (hs_coins_from_json(c, json_object_get(m, "amount"), &coins, &n)) return -1;
        int rc = bank_send(c, sender, 32, to, tl, coins, n, events);
        free(coins);
        if (!rc) msg_response(responses, "/cosmos.bank.v1beta1.MsgSendResponse", NULL, 0);
        return rc;
    }
    if (b && (m = json_object_get(b, "burn"))) {
        hs_bank_coin *coins;
        size_t n;
        if (hs_coins_from_json(c, json_object_get(m, "amount"), &coins, &n)) return -1;
        char msgbuf[256] = "";
        char *amount = hs_coins_string(coins, n);
        hs_state_result r = hs_bank_burn(c->txc, sender, 32, coins, n, msgbuf, sizeof msgbuf);
        free(coins);
        if (r != HS_STATE_OK) {
            free(amount);
            return hs_fail(c, "sdk",
                           r == HS_STATE_INSUFFICIENT ? HS_SDK_ERR_INSUFFICIENT_FUNDS
                                                      : HS_SDK_ERR_INVALID_COINS,
                           "%s", msgbuf[0] ? msgbuf : hs_state_strerror(r));
        }
        if (amount && amount[0]) {
            ev_open(events, "coin_spent");
            ev_attr(events, "spender", sender_h);
            ev_attr(events, "amount", amount);
            ev_close(events);
            ev_open(events, "burn");
            ev_attr(events, "burner", sender_h);
            ev_attr(events, "amount", amount);
            ev_close(events);
        }
        free(amount);
        msg_response(responses, "/cosmos.bank.v1beta1.MsgBurnResponse", NULL, 0);
        return 0;
    }
    json_t *w = json_object_get(msg, "wasm");
    if (w) return dispatch_wasm(c, sender, sender_h, w, events, data, responses);
    const char *kind = json_object_iter_key(json_object_iter(msg));
    return hs_fail(c, "wasm", HS_WASMD_ERR_UNKNOWN_MSG,
                   "unsupported message type %s: unknown message from the contract",
                   kind ? kind : "(none)");
}

/* wasmd dispatchSubmessages for one SubMsg: its own cache layer, gas limit, reply_on. */
static int dispatch_submsg(hs_chain *c, const uint8_t addr[32], const char *addr_h, json_t *sub,
                           ev_list *events, char **data) {
    if (c->dispatch_depth >= HS_MAX_DISPATCH_DEPTH)
        return hs_fail(c, "wasm", HS_WASMD_ERR_LIMIT, "message dispatch depth %d exceeded",
                       HS_MAX_DISPATCH_DEPTH);
    json_t *idj = json_object_get(sub, "id");
    uint64_t id = (uint64_t)json_integer_value(idj);
    const char *reply_on = json_string_value(json_object_get(sub, "reply_on"));
    if (!reply_on) reply_on = "never";
    bool on_success = !strcmp(reply_on, "success") || !strcmp(reply_on, "always");
    bool on_error = !strcmp(reply_on, "error") || !strcmp(reply_on, "always");
    if (!on_success && !on_error && strcmp(reply_on, "never"))
        return hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_MSG, "unknown reply_on: %s", reply_on);
    json_t *gl = json_object_get(sub, "gas_limit");
    const char *payload = json_string_value(json_object_get(sub, "payload"));

    if (hs_txc_begin(c->txc) != HS_STATE_OK) return hs_fail(c, NULL, 0, "out of memory");
    uint64_t used_before = c->gas_used;
    hs_gas_frame frame;
    bool limited = false;
    if (json_is_integer(gl)) {
        uint64_t lim = (uint64_t)json_integer_value(gl);
        uint64_t remaining = c->gas_limit - c->gas_used;
        if (lim < remaining / HS_GAS_MULTIPLIER) {
            hs_gas_frame_push(c, &frame, lim * HS_GAS_MULTIPLIER);
            limited = true;
        }
    }
    ev_list sub_events = {0};
    json_t *responses = json_array();
    char *sub_data = NULL;
    c->dispatch_depth++;
    int rc = dispatch_msg(c, addr, addr_h, json_object_get(sub, "msg"), &sub_events, &sub_data,
                          responses);
    c->dispatch_depth--;
    if (limited) c->gas_used += hs_gas_frame_pop(c, &frame);
    uint64_t sub_gas = c->gas_used - used_before;
    bool out_of_gas_outer = !limited && c->gas_used >= c->gas_limit && rc;

    if (rc == 0) {
        if (hs_txc_commit(c->txc) != HS_STATE_OK) {
            rc = hs_fail(c, NULL, 0, "nested commit failed");
            hs_txc_discard(c->txc);
        } else {
            ev_append(events, &sub_events);
        }
    } else {
        hs_txc_discard(c->txc);
    }

    jtext reply = {0}; /* the Reply's "result" when there is a reply */
    int result = 0;
    if (rc != 0) {
        if (!on_error || out_of_gas_outer) {
            result = -1; /* the error stays recorded and aborts the whole transaction */
        } else {
            char *redacted = hs_fail_redacted(c);
            char *full = hs_fail_take(c);
            if (c->trace)
                fprintf(stderr, "[submsg %llu of %s failed] %s\n", (unsigned long long)id, addr_h,
                        full ? full : "?");
            free(full);
            jt_puts(&reply, "{\"error\":");
            jt_str(&reply, redacted ? redacted : "");
            jt_puts(&reply, "}");
            free(redacted);
        }
    } else if (on_success) {
        char *resp_text = dump(responses);
        jt_puts(&reply, "{\"ok\":{\"events\":[");
        if (sub_events.t.s) jt_puts(&reply, sub_events.t.s);
        jt_puts(&reply, "],\"data\":");
        if (sub_data)
            jt_str(&reply, sub_data);
        else
            jt_puts(&reply, "null");
        jt_puts(&reply, ",\"msg_responses\":");
        if (resp_text) jt_puts(&reply, resp_text);
        reply.failed |= !resp_text || sub_events.t.failed;
        jt_puts(&reply, "}}");
        free(resp_text);
    }
    if (reply.len && result == 0) {
        /* {"id":…,["payload":…,]"gas_used":…,"result":…}; integers as jansson's json_int_t. */
        jtext r = {0};
        char num[32];
        snprintf(num, sizeof num, "{\"id\":%lld", (long long)id);
        jt_puts(&r, num);
        if (payload && payload[0]) {
            jt_puts(&r, ",\"payload\":");
            jt_str(&r, payload);
        }
        snprintf(num, sizeof num, ",\"gas_used\":%lld",
                 (long long)((sub_gas + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER));
        jt_puts(&r, num);
        jt_puts(&r, ",\"result\":");
        jt_putn(&r, reply.s, reply.len);
        jt_puts(&r, "}");
        char *rs = r.failed || reply.failed ? NULL : r.s;
        if (!rs) free(r.s);
        uint64_t code_id = 0;
        char *rdata = NULL;
        if (!rs) {
            result = hs_fail(c, NULL, 0, "out of memory");
        } else if (contract_code_id(c, addr, &code_id)) {
            result = -1;
        } else {
            c->dispatch_depth++;
            result = run_entry(c, E_REPLY, addr, code_id, NULL, NULL, 0, rs, events, &rdata, NULL);
            c->dispatch_depth--;
        }
        free(rs);
        if (result == 0 && rdata) {
            free(*data);
            *data = rdata;
        } else {
            free(rdata);
        }
    }
    free(reply.s);
    free(sub_data);
    ev_free(&sub_events);
    json_decref(responses);
    return result;
}

/* Call an entry point (with its bank transfer already done) and handle the Response. */
static int run_entry(hs_chain *c, entry_kind kind, const uint8_t addr[32], uint64_t code_id,
                     const char *sender_h, const hs_bank_coin *funds, size_t n_funds,
                     const char *msg, ev_list *events, char **data_out, char **raw_out) {
    char addr_h[HS_ADDR_HUMAN_CAP];
    hs_human(c, addr, 32, addr_h);
    *data_out = NULL;
    char *env = env_json(c, addr_h, true);
    char *info = sender_h ? info_json(sender_h, funds, n_funds) : NULL;
    if (!env || (sender_h && !info)) {
        free(env);
        free(info);
        return hs_fail(c, NULL, 0, "out of memory");
    }
    const char *args[3] = {env, info ? info : msg, msg};
    char *out = NULL;
    size_t out_len = 0;
    int rc = call_export(c, addr, code_id, ENTRY[kind].export_name, args, info ? 3 : 2, false, &out,
                         &out_len);
    free(env);
    free(info);
    json_t *resp = NULL;
    resp_scan scanned;
    bool fast = rc == 0 && resp_scan_parse(out, out_len, &scanned);
    if (fast) {
        if (raw_out) *raw_out = strndup(scanned.ok, scanned.ok_len);
    } else if (rc == 0) {
        rc = contract_result(c, out, out_len, ENTRY[kind].code, &resp, raw_out);
    }
    if (rc) {
        free(out);
        if (c->err_codespace && !strcmp(c->err_codespace, "wasm"))
            hs_fail_wrap_suffix(c, ENTRY[kind].fail_suffix);
        return -1;
    }
    ev_open(events, ENTRY[kind].event);
    ev_attr(events, "_contract_address", addr_h);
    if (kind == E_INSTANTIATE || kind == E_MIGRATE) {
        char id[24];
        snprintf(id, sizeof id, "%llu", (unsigned long long)code_id);
        ev_attr(events, "code_id", id);
    }
    ev_close(events);
    rc = fast ? handle_scanned(c, addr_h, &scanned, events, data_out)
              : handle_response(c, addr, addr_h, resp, events, data_out);
    json_decref(resp);
    free(out);
    if (rc) {
        free(*data_out);
        *data_out = NULL;
        if (raw_out) {
            free(*raw_out);
            *raw_out = NULL;
        }
    }
    return rc;
}

static int instantiate_core(hs_chain *c, uint64_t code_id, const uint8_t *sender, size_t sl,
                            const char *msg, const hs_bank_coin *funds, size_t nf,
                            const char *label, const char *admin_h, ev_list *events,
                            uint8_t addr_out[32], char **data, char **raw) {
    json_t *ci = code_info(c, code_id);
    if (!ci)
        return hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "no such code: %llu",
                       (unsigned long long)code_id);
    json_decref(ci);
    if (!label || !label[0])
        return hs_fail(c, "wasm", HS_WASMD_ERR_INVALID, "label is required: invalid");
    if (admin_h && admin_h[0] && hs_addr_validate(c->prefix, admin_h) != HS_ADDR_OK)
        return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_ADDRESS, "invalid admin address: %s", admin_h);
    uint64_t instance = hs_seq_get(c, "lastContractId") + 1;
    if (hs_seq_set(c, "lastContractId", instance)) return -1;
    hs_addr_contract_classic(code_id, instance, addr_out);
    uint8_t k[40];
    size_t klen = contract_key(k, addr_out), vl;
    if (hs_state_get(c, k, klen, &vl))
        return hs_fail(c, "wasm", 3, "contract address already exists: account already exists");
    if (bank_send(c, sender, sl, addr_out, 32, funds, nf, events)) return -1;
    char sender_h[HS_ADDR_HUMAN_CAP];
    hs_human(c, sender, sl, sender_h);
    /* Contract info before the call (wasmd stores it right after the call, before dispatching
     * the messages; this only differs for a contract querying its own info in instantiate). */
    json_t *info = json_pack("{s:I,s:s,s:s?,s:s,s:I}", "code_id", (json_int_t)code_id, "creator",
                             sender_h, "admin", admin_h && admin_h[0] ? admin_h : NULL, "label",
                             label, "created", (json_int_t)c->height);
    int rc = save_json(c, k, klen, info);
    json_decref(info);
    if (rc) return -1;
    return run_entry(c, E_INSTANTIATE, addr_out, code_id, sender_h, funds, nf, msg, events, data,
                     raw);
}

/* --- Public transactions ---------------------------------------------------------------------- */

static void finish(hs_chain *c, hs_result *r, bool ok, ev_list *events, char *data, char *raw) {
    if (hs_tx_end(c, ok) == 0) {
        r->ok = true;
        r->events = NULL;
        if (!events) {
            r->events = strdup("[]");
        } else if (!events->t.failed && (r->events = malloc(events->t.len + 3))) {
            r->events[0] = '[';
            if (events->t.len) memcpy(r->events + 1, events->t.s, events->t.len);
            memcpy(r->events + 1 + events->t.len, "]", 2);
        }
        r->data = data;
        r->response = raw;
    } else {
        r->ok = false;
        r->error = hs_fail_take(c);
        if (!r->error) r->error = strdup("transaction failed");
        free(data);
        free(raw);
        free(r->address);
        r->address = NULL;
    }
    if (events) ev_free(events);
    r->gas_used = c->last_gas;
    r->sdk_gas_used = (c->last_gas + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER;
}

static hs_result begin_failed(hs_chain *c) {
    hs_result r = {0};
    r.error = hs_fail_take(c);
    if (!r.error) r.error = strdup("transaction failed");
    return r;
}

hs_result hs_store_code(hs_chain *c, const char *sender, const uint8_t *wasm, size_t len) {
    hs_result r = {0};
    if (hs_tx_begin(c)) return begin_failed(c);
    uint8_t s[64];
    size_t sl;
    bool ok = false;
    hs_check_report rep;
    memset(&rep, 0, sizeof rep);
    if (hs_resolve(c, sender, s, &sl)) goto out;
    if (hs_gas_charge(c, (uint64_t)HS_GAS_SDK_COMPILE_PER_BYTE * len * HS_GAS_MULTIPLIER)) goto out;
    int nv = hs_wasm_check(wasm, len, &rep);
    if (nv != 0) {
        size_t total = 64;
        for (size_t i = 0; i < rep.count; i++) total += strlen(rep.lines[i]) + 1;
        char *msg = malloc(total), *p = msg;
        if (!msg) {
            hs_fail(c, NULL, 0, "out of memory");
            goto out;
        }
        p += sprintf(p, "Error during static Wasm validation:");
        for (size_t i = 0; i < rep.count; i++) p += sprintf(p, "\n%s", rep.lines[i]);
        hs_fail(c, "wasm", HS_WASMD_ERR_CREATE, "%s: create wasm contract failed", msg);
        free(msg);
        goto out;
    }
    uint8_t sum[32];
    crypto_hash_sha256(sum, wasm, len);
    uint64_t code_id = hs_seq_get(c, "lastCodeId") + 1;
    uint8_t k[16];
    char sender_h[HS_ADDR_HUMAN_CAP];
    hs_human(c, s, sl, sender_h);
    char *sum_hex = hex(sum, 32);
    json_t *ci = json_pack("{s:s,s:s}", "checksum", sum_hex ? sum_hex : "", "creator", sender_h);
    int rc = hs_seq_set(c, "lastCodeId", code_id) || save_json(c, k, code_key(k, code_id), ci) ||
             hs_state_set(c, k, code_bytes_key(k, code_id), wasm, len);
    json_decref(ci);
    hs_module *mod;
    if (rc || code_module(c, code_id, &mod)) {
        free(sum_hex);
        if (c->err_codespace && !strcmp(c->err_codespace, "wasm"))
            hs_fail_wrap_suffix(c, "create wasm contract failed");
        goto out;
    }
    r.code_id = code_id;
    r.checksum = sum_hex;
    ok = true;
out:
    hs_check_report_free(&rep);
    ev_list events = {0};
    if (ok) {
        ev_open(&events, "store_code");
        ev_attr(&events, "code_checksum", r.checksum);
        char id[24];
        snprintf(id, sizeof id, "%llu", (unsigned long long)r.code_id);
        ev_attr(&events, "code_id", id);
        ev_close(&events);
    }
    finish(c, &r, ok, ok ? &events : NULL, NULL, NULL);
    if (!r.ok) {
        free(r.checksum);
        r.checksum = NULL;
        r.code_id = 0;
    }
    return r;
}

hs_result hs_instantiate(hs_chain *c, uint64_t code_id, const char *sender, const char *msg,
                         const hs_coin *funds, size_t n_funds, const char *label,
                         const char *admin) {
    hs_result r = {0};
    if (hs_tx_begin(c)) return begin_failed(c);
    uint8_t s[64], addr[32];
    size_t sl;
    hs_bank_coin *bf = NULL;
    char *data = NULL, *raw = NULL, admin_h[HS_ADDR_HUMAN_CAP] = "";
    ev_list events = {0};
    bool ok = false;
    if (hs_resolve(c, sender, s, &sl) || hs_coins_parse(c, funds, n_funds, &bf)) goto out;
    if (admin && admin[0]) {
        uint8_t a[64];
        size_t al;
        if (hs_resolve(c, admin, a, &al)) goto out;
        hs_human(c, a, al, admin_h);
    }
    if (instantiate_core(c, code_id, s, sl, msg ? msg : "{}", bf, n_funds, label,
                         admin_h[0] ? admin_h : NULL, &events, addr, &data, &raw))
        goto out;
    char h[HS_ADDR_HUMAN_CAP];
    hs_human(c, addr, 32, h);
    r.address = strdup(h);
    ok = true;
out:
    free(bf);
    finish(c, &r, ok, &events, data, raw);
    return r;
}

hs_result hs_execute(hs_chain *c, const char *contract, const char *sender, const char *msg,
                     const hs_coin *funds, size_t n_funds) {
    hs_result r = {0};
    if (hs_tx_begin(c)) return begin_failed(c);
    uint8_t s[64], addr[64];
    size_t sl, al;
    hs_bank_coin *bf = NULL;
    char *data = NULL, *raw = NULL, sender_h[HS_ADDR_HUMAN_CAP];
    ev_list events = {0};
    uint64_t code_id;
    bool ok = false;
    if (hs_resolve(c, sender, s, &sl) || hs_resolve(c, contract, addr, &al) ||
        hs_coins_parse(c, funds, n_funds, &bf))
        goto out;
    if (al != 32 || contract_code_id(c, addr, &code_id)) {
        if (al != 32) hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "contract: not found");
        goto out;
    }
    hs_human(c, s, sl, sender_h);
    if (bank_send(c, s, sl, addr, 32, bf, n_funds, &events)) goto out;
    if (run_entry(c, E_EXECUTE, addr, code_id, sender_h, bf, n_funds, msg ? msg : "{}", &events,
                  &data, &raw))
        goto out;
    ok = true;
out:
    free(bf);
    finish(c, &r, ok, &events, data, raw);
    return r;
}

hs_result hs_migrate(hs_chain *c, const char *contract, const char *sender, uint64_t new_code_id,
                     const char *msg) {
    hs_result r = {0};
    if (hs_tx_begin(c)) return begin_failed(c);
    uint8_t s[64], addr[64];
    size_t sl, al;
    char *data = NULL, *raw = NULL, sender_h[HS_ADDR_HUMAN_CAP];
    ev_list events = {0};
    json_t *ci = NULL, *nci = NULL;
    bool ok = false;
    if (hs_resolve(c, sender, s, &sl) || hs_resolve(c, contract, addr, &al)) goto out;
    if (al != 32 || !(ci = contract_info(c, addr))) {
        if (al != 32) hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "contract: not found");
        goto out;
    }
    hs_human(c, s, sl, sender_h);
    const char *admin = json_string_value(json_object_get(ci, "admin"));
    if (!admin || strcmp(admin, sender_h)) {
        hs_fail(c, "sdk", HS_SDK_ERR_UNAUTHORIZED, "can not migrate: unauthorized");
        goto out;
    }
    if (!(nci = code_info(c, new_code_id))) {
        hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "no such code: %llu",
                (unsigned long long)new_code_id);
        goto out;
    }
    json_object_set_new(ci, "code_id", json_integer((json_int_t)new_code_id));
    uint8_t k[40];
    if (save_json(c, k, contract_key(k, addr), ci)) goto out;
    if (run_entry(c, E_MIGRATE, addr, new_code_id, NULL, NULL, 0, msg ? msg : "{}", &events, &data,
                  &raw))
        goto out;
    ok = true;
out:
    json_decref(ci);
    json_decref(nci);
    finish(c, &r, ok, &events, data, raw);
    return r;
}

hs_result hs_sudo(hs_chain *c, const char *contract, const char *msg) {
    hs_result r = {0};
    if (hs_tx_begin(c)) return begin_failed(c);
    uint8_t addr[64];
    size_t al;
    char *data = NULL, *raw = NULL;
    ev_list events = {0};
    uint64_t code_id;
    bool ok = false;
    if (hs_resolve(c, contract, addr, &al)) goto out;
    if (al != 32 || contract_code_id(c, addr, &code_id)) {
        if (al != 32) hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "contract: not found");
        goto out;
    }
    if (run_entry(c, E_SUDO, addr, code_id, NULL, NULL, 0, msg ? msg : "{}", &events, &data, &raw))
        goto out;
    ok = true;
out:
    finish(c, &r, ok, &events, data, raw);
    return r;
}

/* --- Queries ---------------------------------------------------------------------------------- */

/* Smart query: the decoded answer bytes (malloc'd) or -1 with the error recorded. */
static int query_smart(hs_chain *c, const uint8_t addr[32], const char *msg, size_t msg_len,
                       char **answer, size_t *answer_len) {
    uint64_t code_id;
    if (contract_code_id(c, addr, &code_id)) return -1;
    char addr_h[HS_ADDR_HUMAN_CAP];
    hs_human(c, addr, 32, addr_h);
    char *env = env_json(c, addr_h, false);
    char *m = strndup(msg, msg_len);
    if (!env || !m) {
        free(env);
        free(m);
        return hs_fail(c, NULL, 0, "out of memory");
    }
    const char *args[2] = {env, m};
    char *out = NULL;
    size_t out_len;
    c->query_depth++;
    int rc = c->query_depth > HS_MAX_QUERY_DEPTH
                 ? hs_fail(c, "wasm", HS_WASMD_ERR_QUERY, "max query stack size %d exceeded",
                           HS_MAX_QUERY_DEPTH)
                 : call_export(c, addr, code_id, "query", args, 2, true, &out, &out_len);
    c->query_depth--;
    free(env);
    free(m);
    json_t *ok = NULL;
    if (rc == 0) rc = contract_result(c, out, out_len, HS_WASMD_ERR_QUERY, &ok, NULL);
    free(out);
    if (rc == 0) {
        size_t len = 0;
        uint8_t *bin = json_is_string(ok) ? b64_decode(json_string_value(ok), &len) : NULL;
        json_decref(ok);
        if (!bin)
            rc = hs_fail(c, "wasm", HS_WASMD_ERR_QUERY, "query result is not base64");
        else {
            *answer = (char *)bin;
            bin[len] = 0; /* b64_decode leaves room */
            *answer_len = len;
        }
    }
    if (rc && c->err_codespace && !strcmp(c->err_codespace, "wasm"))
        hs_fail_wrap_suffix(c, "query wasm contract failed");
    return rc;
}

static char *system_error(const char *kind_json) {
    char *s = NULL;
    if (asprintf(&s, "{\"error\":%s}", kind_json) < 0) return NULL;
    return s;
}

static char *ok_binary(const void *bin, size_t len) {
    char *b = b64_encode(bin, len), *s = NULL;
    if (b && asprintf(&s, "{\"ok\":{\"ok\":\"%s\"}}", b) < 0) s = NULL;
    free(b);
    return s;
}

static char *ok_json(json_t *j) {
    char *t = dump(j);
    json_decref(j);
    if (!t) return NULL;
    char *s = ok_binary(t, strlen(t));
    free(t);
    return s;
}

static char *contract_err(hs_chain *c, bool redact) {
    char *msg = redact ? hs_fail_redacted(c) : NULL;
    char *full = hs_fail_take(c);
    if (redact && c->trace) fprintf(stderr, "[query error] %s\n", full ? full : "?");
    json_t *j =
        json_pack("{s:{s:s}}", "ok", "error", redact ? (msg ? msg : "") : (full ? full : ""));
    free(msg);
    free(full);
    char *s = dump(j);
    json_decref(j);
    return s;
}

static char *unsupported(const char *kind) {
    char *s = NULL;
    if (asprintf(&s, "{\"error\":{\"unsupported_request\":{\"kind\":\"%s\"}}}", kind) < 0)
        return NULL;
    return s;
}

static char *query_bank(hs_chain *c, json_t *b, bool redact) {
    json_t *m;
    uint8_t a[64];
    size_t al;
    hs_u128 v;
    char amt[HS_U128_DEC_CAP];
    if ((m = json_object_get(b, "balance")) || (m = json_object_get(b, "all_balances"))) {
        bool all = json_object_get(b, "all_balances") != NULL;
        const char *addr = json_string_value(json_object_get(m, "address"));
        if (!addr || hs_addr_canonicalize(c->prefix, addr, a, sizeof a, &al) != HS_ADDR_OK) {
            hs_fail(c, "sdk", HS_SDK_ERR_INVALID_ADDRESS, "invalid address: %s", addr ? addr : "");
            return contract_err(c, redact);
        }
        if (all) {
            hs_bank_coin *coins = NULL;
            size_t n = 0;
            if (hs_bank_all_balances(c->txc, a, al, &coins, &n) != HS_STATE_OK) {
                hs_fail(c, NULL, 0, "bank: all balances failed");
                return contract_err(c, redact);
            }
            json_t *j = json_pack("{s:o}", "amount", hs_coins_to_json(coins, n));
            free(coins);
            return ok_json(j);
        }
        const char *denom = json_string_value(json_object_get(m, "denom"));
        if (!denom || hs_bank_balance(c->txc, a, al, denom, &v) != HS_STATE_OK) {
            hs_fail(c, "sdk", HS_SDK_ERR_INVALID_COINS, "invalid denom: %s", denom ? denom : "");
            return contract_err(c, redact);
        }
        hs_u128_format(v, amt);
        return ok_json(json_pack("{s:{s:s,s:s}}", "amount", "denom", denom, "amount", amt));
    }
    if ((m = json_object_get(b, "supply"))) {
        const char *denom = json_string_value(json_object_get(m, "denom"));
        if (!denom || hs_bank_supply(c->txc, denom, &v) != HS_STATE_OK) {
            hs_fail(c, "sdk", HS_SDK_ERR_INVALID_COINS, "invalid denom: %s", denom ? denom : "");
            return contract_err(c, redact);
        }
        hs_u128_format(v, amt);
        return ok_json(json_pack("{s:{s:s,s:s}}", "amount", "denom", denom, "amount", amt));
    }
    return unsupported("bank");
}

static char *no_such_contract(const char *addr) {
    json_t *j = json_pack("{s:{s:{s:s}}}", "error", "no_such_contract", "addr", addr ? addr : "");
    char *s = dump(j);
    json_decref(j);
    return s;
}

static char *query_wasm(hs_chain *c, json_t *w, bool redact) {
    json_t *m;
    uint8_t addr[32];
    const char *kind = json_object_iter_key(json_object_iter(w));
    if (!kind) return unsupported("wasm");
    if (!strcmp(kind, "code_info")) {
        m = json_object_get(w, kind);
        uint64_t id = (uint64_t)json_integer_value(json_object_get(m, "code_id"));
        json_t *ci = code_info(c, id);
        if (!ci) {
            char buf[96];
            snprintf(buf, sizeof buf, "{\"no_such_code\":{\"code_id\":%llu}}",
                     (unsigned long long)id);
            return system_error(buf);
        }
        json_t *j =
            json_pack("{s:I,s:O,s:O}", "code_id", (json_int_t)id, "creator",
                      json_object_get(ci, "creator"), "checksum", json_object_get(ci, "checksum"));
        json_decref(ci);
        return ok_json(j);
    }
    m = json_object_get(w, kind);
    const char *ca = json_string_value(json_object_get(m, "contract_addr"));
    if (resolve_contract(c, ca, addr)) {
        free(hs_fail_take(c));
        return no_such_contract(ca);
    }
    json_t *ci = contract_info(c, addr);
    if (!ci) {
        free(hs_fail_take(c));
        return no_such_contract(ca);
    }
    char *res = NULL;
    if (!strcmp(kind, "smart")) {
        const char *mb = json_string_value(json_object_get(m, "msg"));
        size_t ml;
        uint8_t *msg = mb ? b64_decode(mb, &ml) : NULL;
        if (!msg) {
            hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_MSG, "msg: invalid base64");
            res = contract_err(c, redact);
        } else {
            char *ans = NULL;
            size_t al;
            if (query_smart(c, addr, (const char *)msg, ml, &ans, &al))
                res = contract_err(c, redact);
            else
                res = ok_binary(ans, al);
            free(ans);
            free(msg);
        }
    } else if (!strcmp(kind, "raw")) {
        const char *kb = json_string_value(json_object_get(m, "key"));
        size_t kl = 0;
        uint8_t *key = kb ? b64_decode(kb, &kl) : NULL;
        if (!key) {
            hs_fail(c, "wasm", HS_WASMD_ERR_INVALID_MSG, "key: invalid base64");
            res = contract_err(c, redact);
        } else {
            uint8_t *fk = malloc(kl + 33);
            size_t fl = fk ? hs_key_contract_store(fk, kl + 33, addr, key, kl) : 0, vl = 0;
            const uint8_t *v = fk ? hs_state_get(c, fk, fl, &vl) : NULL;
            hs_gas_charge(c, ((uint64_t)HS_GAS_SDK_READ_FLAT +
                              HS_GAS_SDK_READ_PER_BYTE * ((uint64_t)fl + vl)) *
                                 HS_GAS_MULTIPLIER);
            res = ok_binary(v ? v : (const uint8_t *)"", v ? vl : 0);
            free(fk);
            free(key);
        }
    } else if (!strcmp(kind, "contract_info")) {
        json_t *j =
            json_pack("{s:O,s:O,s:O,s:b,s:n}", "code_id", json_object_get(ci, "code_id"), "creator",
                      json_object_get(ci, "creator"), "admin",
                      json_object_get(ci, "admin") ? json_object_get(ci, "admin") : json_null(),
                      "pinned", 0, "ibc_port");
        res = ok_json(j);
    } else {
        res = unsupported("wasm");
    }
    json_decref(ci);
    return res;
}

char *hs_chain_query(hs_chain *c, const uint8_t *req, size_t len, bool redact) {
    json_error_t je;
    json_t *j = json_loadb((const char *)req, len, 0, &je);
    char *res;
    if (!j || !json_is_object(j) || json_object_size(j) != 1) {
        char *b = b64_encode(req, len);
        json_t *e =
            json_pack("{s:{s:{s:s,s:s}}}", "error", "invalid_request", "error",
                      j ? "expected an object with one key" : je.text, "request", b ? b : "");
        free(b);
        res = dump(e);
        json_decref(e);
        json_decref(j);
        return res;
    }
    const char *kind = json_object_iter_key(json_object_iter(j));
    json_t *body = json_object_iter_value(json_object_iter(j));
    if (!strcmp(kind, "bank")) {
        res = query_bank(c, body, redact);
    } else if (!strcmp(kind, "wasm")) {
        res = query_wasm(c, body, redact);
    } else if (!strcmp(kind, "custom")) {
        json_t *p = json_object_get(json_object_get(body, "oracle"), "price");
        const char *denom = json_string_value(json_object_get(p, "denom"));
        if (!denom) {
            res = unsupported("custom");
        } else {
            char *price = NULL;
            uint64_t at = 0;
            if (hs_oracle_price(c, denom, &price, &at)) {
                res = contract_err(c, false);
            } else {
                char ts[24];
                snprintf(ts, sizeof ts, "%llu", (unsigned long long)at);
                res = ok_json(json_pack("{s:s,s:s}", "price", price, "updated_at", ts));
                free(price);
            }
        }
    } else {
        res = unsupported(kind);
    }
    json_decref(j);
    return res;
}

hs_result hs_query_request(hs_chain *c, const char *request_json) {
    hs_result r = {0};
    free(hs_fail_take(c));
    hs_gas_frame frame;
    hs_gas_frame_push(c, &frame, (uint64_t)HS_GAS_SDK_QUERY_LIMIT * HS_GAS_MULTIPLIER);
    char *res = hs_chain_query(c, (const uint8_t *)request_json, strlen(request_json), false);
    uint64_t used = hs_gas_frame_pop(c, &frame);
    c->last_gas = used;
    r.gas_used = used;
    r.sdk_gas_used = (used + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER;
    json_t *j = res ? json_loads(res, 0, NULL) : NULL;
    json_t *ok = json_object_get(json_object_get(j, "ok"), "ok");
    json_t *err = json_object_get(json_object_get(j, "ok"), "error");
    if (ok && json_is_string(ok)) {
        size_t len;
        uint8_t *bin = b64_decode(json_string_value(ok), &len);
        if (bin) {
            bin[len] = 0;
            r.ok = true;
            r.answer = (char *)bin;
            r.data = strdup(json_string_value(ok));
        }
    } else if (err) {
        r.error = strdup(json_string_value(err) ? json_string_value(err) : "query failed");
    } else if (json_object_get(j, "error")) {
        r.error = dump(json_object_get(j, "error"));
    }
    if (!r.ok && !r.error) r.error = strdup("query failed");
    json_decref(j);
    free(res);
    return r;
}

hs_result hs_query(hs_chain *c, const char *contract, const char *msg) {
    hs_result r = {0};
    free(hs_fail_take(c));
    uint8_t addr[64];
    size_t al;
    hs_gas_frame frame;
    hs_gas_frame_push(c, &frame, (uint64_t)HS_GAS_SDK_QUERY_LIMIT * HS_GAS_MULTIPLIER);
    char *ans = NULL;
    size_t len;
    int rc = hs_resolve(c, contract, addr, &al);
    if (!rc && al != 32) rc = hs_fail(c, "wasm", HS_WASMD_ERR_NOT_FOUND, "contract: not found");
    if (!rc) rc = query_smart(c, addr, msg ? msg : "{}", msg ? strlen(msg) : 2, &ans, &len);
    uint64_t used = hs_gas_frame_pop(c, &frame);
    c->last_gas = used;
    r.gas_used = used;
    r.sdk_gas_used = (used + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER;
    if (rc) {
        r.error = hs_fail_take(c);
        free(ans);
    } else {
        r.ok = true;
        r.answer = ans;
    }
    return r;
}

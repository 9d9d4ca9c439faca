/* chain.c — the simulated chain's lifecycle and transaction context (hostsim.h): open/close with
 * optional SQLite persistence, atomic transactions over the tx_cache, gas accounting, blocks,
 * snapshots/revert, bank entry points and the chain metadata kept in the state keyspace.
 *
 * State kept besides the modules' own keys (layout in tx_cache.h):
 *   0x04‖"lastCodeId", 0x04‖"lastContractId"  → be64 sequences (wasmd's names)
 *   0x20‖"block"                               → be64 height ‖ be64 time_ns
 *   0x20‖"chain_id"                            → chain id of the state (first open wins)
 * Snapshots copy the committed keyspace; revert applies the difference as one transaction, so
 * a persisted chain reverts on disk too. */
#define _GNU_SOURCE /* asprintf, vasprintf */
#include "chain_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

/* --- Errors ----------------------------------------------------------------------------------- */

int hs_fail(hs_chain *c, const char *codespace, uint32_t code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    va_end(ap);
    free(c->err);
    c->err = msg ? msg : strdup("out of memory");
    c->err_codespace = codespace;
    c->err_code = code;
    return -1;
}

int hs_fail_wrap_suffix(hs_chain *c, const char *suffix) {
    char *msg = NULL;
    if (asprintf(&msg, "%s: %s", c->err ? c->err : "error", suffix) < 0) return -1;
    free(c->err);
    c->err = msg;
    return -1;
}

char *hs_fail_take(hs_chain *c) {
    char *e = c->err;
    c->err = NULL;
    return e;
}

char *hs_fail_redacted(hs_chain *c) {
    char *msg = NULL;
    if (!c->err_codespace) {
        if (asprintf(&msg, "codespace: undefined, code: 1") < 0) return NULL;
    } else if (asprintf(&msg, "codespace: %s, code: %u", c->err_codespace, c->err_code) < 0) {
        return NULL;
    }
    return msg;
}

int hs_fail_out_of_gas(hs_chain *c) {
    return hs_fail(c, "sdk", HS_SDK_ERR_OUT_OF_GAS,
                   "out of gas: gasWanted: %llu, gasUsed: %llu (SDK gas): out of gas",
                   (unsigned long long)(c->gas_limit / HS_GAS_MULTIPLIER),
                   (unsigned long long)((c->gas_used + HS_GAS_MULTIPLIER - 1) / HS_GAS_MULTIPLIER));
}

/* --- Gas ----------------------------------------------------------------------------------------
 */

int hs_gas_charge(hs_chain *c, uint64_t amount) {
    if (amount > c->gas_limit - c->gas_used) {
        c->gas_used = c->gas_limit;
        return hs_fail_out_of_gas(c);
    }
    c->gas_used += amount;
    return 0;
}

void hs_gas_frame_push(hs_chain *c, hs_gas_frame *saved, uint64_t limit) {
    saved->limit = c->gas_limit;
    saved->used = c->gas_used;
    c->gas_limit = limit;
    c->gas_used = 0;
}

uint64_t hs_gas_frame_pop(hs_chain *c, const hs_gas_frame *saved) {
    uint64_t used = c->gas_used;
    c->gas_limit = saved->limit;
    c->gas_used = saved->used;
    return used;
}

/* --- State helpers ------------------------------------------------------------------------------
 */

void hs_put_be64(uint8_t *p, uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

uint64_t hs_get_be64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

int hs_state_set(hs_chain *c, const void *key, size_t klen, const void *val, size_t vlen) {
    hs_state_result r = hs_txc_set(c->txc, key, klen, val, vlen);
    if (r != HS_STATE_OK) return hs_fail(c, NULL, 0, "state write: %s", hs_state_strerror(r));
    return 0;
}

int hs_state_delete(hs_chain *c, const void *key, size_t klen) {
    hs_state_result r = hs_txc_delete(c->txc, key, klen);
    if (r != HS_STATE_OK) return hs_fail(c, NULL, 0, "state delete: %s", hs_state_strerror(r));
    return 0;
}

const uint8_t *hs_state_get(hs_chain *c, const void *key, size_t klen, size_t *vlen) {
    const uint8_t *v;
    if (hs_txc_get(c->txc, key, klen, &v, vlen) != HS_STATE_OK) return NULL;
    return v;
}

static size_t seq_key(uint8_t *k, const char *name) {
    size_t n = strlen(name);
    k[0] = HS_KEY_SEQUENCE;
    memcpy(k + 1, name, n);
    return n + 1;
}

uint64_t hs_seq_get(hs_chain *c, const char *name) {
    uint8_t k[64];
    size_t vlen, klen = seq_key(k, name);
    const uint8_t *v = hs_state_get(c, k, klen, &vlen);
    return v && vlen == 8 ? hs_get_be64(v) : 0;
}

int hs_seq_set(hs_chain *c, const char *name, uint64_t v) {
    uint8_t k[64], b[8];
    size_t klen = seq_key(k, name);
    hs_put_be64(b, v);
    return hs_state_set(c, k, klen, b, 8);
}

static const uint8_t BLOCK_KEY[] = {HS_KEY_BLOCK, 'b', 'l', 'o', 'c', 'k'};
static const uint8_t CHAIN_ID_KEY[] = {HS_KEY_BLOCK, 'c', 'h', 'a', 'i', 'n', '_', 'i', 'd'};

int hs_block_store(hs_chain *c) {
    uint8_t b[16];
    hs_put_be64(b, c->height);
    hs_put_be64(b + 8, c->time_ns);
    return hs_state_set(c, BLOCK_KEY, sizeof BLOCK_KEY, b, 16);
}

static void block_load(hs_chain *c) {
    size_t vlen;
    const uint8_t *v = hs_state_get(c, BLOCK_KEY, sizeof BLOCK_KEY, &vlen);
    if (v && vlen == 16) {
        c->height = hs_get_be64(v);
        c->time_ns = hs_get_be64(v + 8);
    }
}

/* --- Addresses and coins -------------------------------------------------------------------------
 */

/* FNV-1a, picking a memo slot. */
static size_t memo_slot(const void *data, size_t n) {
    const uint8_t *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return (h ^ h >> 16) % HS_ADDR_MEMO_SLOTS;
}

static int resolve_uncached(hs_chain *c, const char *name, uint8_t *out, size_t *len) {
    if (hs_addr_validate(c->prefix, name) == HS_ADDR_OK &&
        hs_addr_canonicalize(c->prefix, name, out, 64, len) == HS_ADDR_OK)
        return 0;
    char alias[HS_ADDR_HUMAN_CAP];
    if (hs_addr_alias(c->prefix, name, alias, sizeof alias) != HS_ADDR_OK ||
        hs_addr_canonicalize(c->prefix, alias, out, 64, len) != HS_ADDR_OK)
        return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_ADDRESS, "invalid address %s", name);
    return 0;
}

/* Resolution (bech32 decode or SHA-256 of an alias) is memoised per name: every transaction
 * resolves its sender and contract. */
int hs_resolve(hs_chain *c, const char *name, uint8_t *out, size_t *len) {
    if (!name || !*name) return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_ADDRESS, "empty address");
    size_t n = strlen(name);
    hs_addr_memo *m = NULL;
    if (n < sizeof m->text) {
        m = &c->resolve_memo[memo_slot(name, n)];
        if (!strcmp(m->text, name)) {
            memcpy(out, m->canon, m->len);
            *len = m->len;
            return 0;
        }
    }
    if (resolve_uncached(c, name, out, len)) return -1;
    if (m && *len <= sizeof m->canon) {
        memcpy(m->text, name, n + 1);
        memcpy(m->canon, out, *len);
        m->len = (uint8_t)*len;
    }
    return 0;
}

void hs_human(hs_chain *c, const uint8_t *canon, size_t len, char *out) {
    hs_addr_memo *m = NULL;
    if (len >= 1 && len <= HS_ADDR_MEMO_CANON) {
        m = &c->human_memo[memo_slot(canon, len)];
        if (m->text[0] && m->len == len && !memcmp(m->canon, canon, len)) {
            memcpy(out, m->text, strlen(m->text) + 1);
            return;
        }
    }
    if (hs_addr_humanize(c->prefix, canon, len, out, HS_ADDR_HUMAN_CAP) != HS_ADDR_OK) {
        out[0] = 0;
        return;
    }
    if (m) {
        memcpy(m->text, out, strlen(out) + 1);
        memcpy(m->canon, canon, len);
        m->len = (uint8_t)len;
    }
}

void hs_address(hs_chain *chain, const char *name, char *out, size_t out_len) {
    uint8_t canon[64];
    size_t len;
    char h[HS_ADDR_HUMAN_CAP] = "";
    if (hs_resolve(chain, name, canon, &len) == 0) hs_human(chain, canon, len, h);
    free(hs_fail_take(chain));
    snprintf(out, out_len, "%s", h);
}

/* The classic address (wasmd BuildContractAddressClassic) of instance lastContractId + 1. */
int hs_next_contract_address(hs_chain *chain, uint64_t code_id, char *out, size_t out_len) {
    uint8_t raw[32];
    hs_addr_contract_classic(code_id, hs_seq_get(chain, "lastContractId") + 1, raw);
    return hs_addr_humanize(chain->prefix, raw, sizeof raw, out, out_len) == HS_ADDR_OK ? 0 : -1;
}

int hs_coins_parse(hs_chain *c, const hs_coin *in, size_t n, hs_bank_coin **out) {
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out) return hs_fail(c, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!in[i].denom || strlen(in[i].denom) > HS_DENOM_MAX ||
            hs_bank_validate_denom(in[i].denom) != HS_STATE_OK) {
            free(*out);
            *out = NULL;
            return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_COINS, "invalid denom: %s",
                           in[i].denom ? in[i].denom : "");
        }
        strcpy((*out)[i].denom, in[i].denom);
        if (!in[i].amount || hs_u128_parse(in[i].amount, &(*out)[i].amount) != HS_STATE_OK) {
            free(*out);
            *out = NULL;
            return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_COINS, "invalid coin amount: %s",
                           in[i].amount ? in[i].amount : "");
        }
    }
    return 0;
}

int hs_coins_from_json(hs_chain *c, json_t *arr, hs_bank_coin **out, size_t *n) {
    *out = NULL;
    *n = 0;
    if (!arr || json_is_null(arr)) return 0;
    if (!json_is_array(arr))
        return hs_fail(c, "sdk", HS_SDK_ERR_INVALID_COINS, "invalid coins: not an array");
    size_t cnt = json_array_size(arr);
    hs_coin *tmp = calloc(cnt ? cnt : 1, sizeof *tmp);
    if (!tmp) return hs_fail(c, NULL, 0, "out of memory");
    for (size_t i = 0; i < cnt; i++) {
        json_t *e = json_array_get(arr, i);
        tmp[i].denom = json_string_value(json_object_get(e, "denom"));
        tmp[i].amount = json_string_value(json_object_get(e, "amount"));
    }
    int rc = hs_coins_parse(c, tmp, cnt, out);
    free(tmp);
    if (rc == 0) *n = cnt;
    return rc;
}

json_t *hs_coins_to_json(const hs_bank_coin *coins, size_t n) {
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char amt[HS_U128_DEC_CAP];
        hs_u128_format(coins[i].amount, amt);
        json_array_append_new(arr, json_pack("{s:s,s:s}", "denom", coins[i].denom, "amount", amt));
    }
    return arr;
}

char *hs_coins_string(const hs_bank_coin *coins, size_t n) {
    size_t cap = 1 + n * (HS_U128_DEC_CAP + HS_DENOM_CAP + 1), len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    s[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (coins[i].amount == 0) continue;
        char amt[HS_U128_DEC_CAP];
        hs_u128_format(coins[i].amount, amt);
        len += (size_t)snprintf(s + len, cap - len, "%s%s%s", len ? "," : "", amt, coins[i].denom);
    }
    return s;
}

/* --- Transactions ------------------------------------------------------------------------------
 */

int hs_tx_begin(hs_chain *c) {
    free(hs_fail_take(c));
    if (hs_txc_depth(c->txc) != 0)
        return hs_fail(c, NULL, 0, "a transaction is already running (re-entrant hostsim call)");
    if (hs_txc_begin(c->txc) != HS_STATE_OK) return hs_fail(c, NULL, 0, "out of memory");
    c->gas_limit = c->tx_gas_limit;
    c->gas_used = 0;
    c->query_depth = 0;
    c->dispatch_depth = 0;
    return 0;
}

int hs_tx_end(hs_chain *c, bool ok) {
    c->last_gas = c->gas_used;
    if (!ok) {
        while (hs_txc_depth(c->txc)) hs_txc_discard(c->txc);
        return -1;
    }
    hs_state_result r = hs_txc_commit(c->txc);
    if (r != HS_STATE_OK) {
        const char *why = c->db ? hs_sqlite_errmsg(c->db) : hs_state_strerror(r);
        while (hs_txc_depth(c->txc)) hs_txc_discard(c->txc);
        return hs_fail(c, NULL, 0, "commit failed: %s", why);
    }
    return 0;
}

/* --- Lifecycle ----------------------------------------------------------------------------------
 */

void hs_chain_config_default(hs_chain_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->chain_id = "ballast-local";
    cfg->bech32_prefix = HS_ADDR_DEFAULT_PREFIX;
    cfg->state_dir = NULL;
    cfg->cache_dir = "build/cache";
    cfg->genesis_height = 1;
    cfg->genesis_time_ns = 1700000000000000000ull;
    cfg->block_time_seconds = 5;
    cfg->tx_gas_limit = 100000000ull * HS_GAS_MULTIPLIER;
    cfg->trace = false;
    cfg->tcc_only = false;
}

/* HOSTSIM_TIER2=0 in the environment: no tier-2 compiles (hs_chain_config.tcc_only). */
static bool env_tcc_only(void) {
    const char *v = getenv("HOSTSIM_TIER2");
    return v && strcmp(v, "0") == 0;
}

static char *dup_or_null(const char *s) {
    return s ? strdup(s) : NULL;
}

void hs_chain_close(hs_chain *c) {
    if (!c) return;
    hs_wasm_free_modules(c);
    for (size_t i = 0; i < c->n_snaps; i++) hs_kv_free(c->snaps[i].kv);
    free(c->snaps);
    hs_txc_free(c->txc);
    hs_sqlite_close(c->db);
    hs_kv_free(c->kv);
    hs_engine_free(c->eng);
    free(c->chain_id);
    free(c->prefix);
    free(c->state_dir);
    free(c->cache_dir);
    free(c->err);
    free(c);
}

static int open_fail(hs_chain *c, char **err, const char *fmt, const char *detail) {
    if (err && asprintf(err, fmt, detail) < 0) *err = NULL;
    hs_chain_close(c);
    return -1;
}

int hs_chain_open(const hs_chain_config *cfg_in, hs_chain **out, char **err) {
    hs_chain_config defaults;
    hs_chain_config_default(&defaults);
    const hs_chain_config *cfg = cfg_in ? cfg_in : &defaults;
    *out = NULL;
    if (err) *err = NULL;
    if (sodium_init() < 0) {
        if (err) *err = strdup("libsodium initialisation failed");
        return -1;
    }
    hs_chain *c = calloc(1, sizeof *c);
    if (!c) {
        if (err) *err = strdup("out of memory");
        return -1;
    }
    c->chain_id = strdup(cfg->chain_id ? cfg->chain_id : defaults.chain_id);
    c->prefix = strdup(cfg->bech32_prefix ? cfg->bech32_prefix : defaults.bech32_prefix);
    c->state_dir = dup_or_null(cfg->state_dir);
    c->cache_dir = dup_or_null(cfg->cache_dir);
    c->block_time_seconds = cfg->block_time_seconds;
    c->tx_gas_limit = cfg->tx_gas_limit ? cfg->tx_gas_limit : defaults.tx_gas_limit;
    c->trace = cfg->trace;
    c->next_snap = 1;
    c->kv = hs_kv_new();
    if (!c->chain_id || !c->prefix || !c->kv) return open_fail(c, err, "%s", "out of memory");

    char msg[512];
    if (c->state_dir) {
        if (hs_sqlite_open(c->state_dir, HS_SQLITE_SYNC_NORMAL, c->kv, &c->db, msg, sizeof msg) !=
            HS_STATE_OK)
            return open_fail(c, err, "%s", msg);
    }
    c->txc = hs_txc_new(c->kv);
    if (!c->txc) return open_fail(c, err, "%s", "out of memory");
    if (c->db) hs_txc_set_commit_hook(c->txc, hs_sqlite_commit, c->db);

    hs_engine_config ecfg;
    hs_engine_config_default(&ecfg);
    ecfg.cache_dir = c->cache_dir;
    if (cfg->tcc_only || env_tcc_only()) ecfg.tiers = HS_TIERS_TCC_CACHED;
    /* HOSTSIM_TIER1_UNITS=N: build tier 1 from N parallel units (engine.h tier1_units; 0 or
     * unset: automatic). For measurements and for running suites on the split build. */
    const char *units = getenv("HOSTSIM_TIER1_UNITS");
    if (units && *units) ecfg.tier1_units = (uint32_t)strtoul(units, NULL, 10);
    if (c->cache_dir) mkdir(c->cache_dir, 0777);
    if (hs_engine_new(&ecfg, &c->eng, msg, sizeof msg) != HS_ENGINE_OK)
        return open_fail(c, err, "engine: %s", msg);

    /* Genesis, or continue a persisted chain. */
    size_t vlen;
    if (hs_state_get(c, BLOCK_KEY, sizeof BLOCK_KEY, &vlen)) {
        block_load(c);
        const uint8_t *id = hs_state_get(c, CHAIN_ID_KEY, sizeof CHAIN_ID_KEY, &vlen);
        if (id) {
            char *s = strndup((const char *)id, vlen);
            if (s) {
                free(c->chain_id);
                c->chain_id = s;
            }
        }
    } else {
        c->height = cfg->genesis_height;
        c->time_ns = cfg->genesis_time_ns;
        if (hs_tx_begin(c) || hs_block_store(c) ||
            hs_state_set(c, CHAIN_ID_KEY, sizeof CHAIN_ID_KEY, c->chain_id, strlen(c->chain_id)) ||
            hs_tx_end(c, true)) {
            char *e = hs_fail_take(c);
            hs_tx_end(c, false);
            int rc = open_fail(c, err, "genesis: %s", e ? e : "failed");
            free(e);
            return rc;
        }
    }
    c->last_gas = 0;
    *out = c;
    return 0;
}

/* --- Results ---------------------------------------------------------------------------------- */

void hs_result_free(hs_result *r) {
    if (!r) return;
    free(r->error);
    free(r->address);
    free(r->data);
    free(r->events);
    free(r->response);
    free(r->answer);
    free(r->checksum);
    memset(r, 0, sizeof *r);
}

/* --- Bank ------------------------------------------------------------------------------------- */

int hs_mint(hs_chain *c, const char *to, const hs_coin *coins, size_t n, char **err) {
    uint8_t addr[64];
    size_t alen;
    hs_bank_coin *bc = NULL;
    char msg[256] = "";
    if (err) *err = NULL;
    if (hs_tx_begin(c)) goto fail;
    if (hs_resolve(c, to, addr, &alen) || hs_coins_parse(c, coins, n, &bc)) {
        hs_tx_end(c, false);
        goto fail;
    }
    hs_state_result r = hs_bank_mint(c->txc, addr, alen, bc, n, msg, sizeof msg);
    free(bc);
    if (r != HS_STATE_OK) {
        hs_fail(c, "sdk", HS_SDK_ERR_INVALID_COINS, "%s", msg[0] ? msg : hs_state_strerror(r));
        hs_tx_end(c, false);
        goto fail;
    }
    if (hs_tx_end(c, true)) goto fail;
    c->last_gas = 0;
    return 0;
fail:
    if (err) *err = hs_fail_take(c);
    c->last_gas = 0;
    return -1;
}

int hs_balance(hs_chain *c, const char *address, const char *denom, char *out, size_t out_len) {
    uint8_t addr[64];
    size_t alen;
    hs_u128 v = 0;
    int rc = -1;
    if (hs_resolve(c, address, addr, &alen) == 0 &&
        hs_bank_balance(c->txc, addr, alen, denom, &v) == HS_STATE_OK)
        rc = 0;
    free(hs_fail_take(c));
    char buf[HS_U128_DEC_CAP];
    hs_u128_format(rc == 0 ? v : 0, buf);
    snprintf(out, out_len, "%s", buf);
    return rc;
}

/* --- Blocks -------------------------------------------------------------------------------------
 */

void hs_block_advance(hs_chain *c, uint64_t blocks, uint64_t seconds) {
    if (seconds == 0) seconds = blocks * c->block_time_seconds;
    uint64_t old_h = c->height, old_t = c->time_ns;
    c->height += blocks;
    c->time_ns += seconds * 1000000000ull;
    if (hs_tx_begin(c) || hs_block_store(c) || hs_oracle_advance(c) || hs_tx_end(c, true)) {
        char *e = hs_fail_take(c);
        fprintf(stderr, "host-sim: block advance failed: %s\n", e ? e : "?");
        free(e);
        hs_tx_end(c, false);
        c->height = old_h;
        c->time_ns = old_t;
    }
    c->last_gas = 0;
}

const char *hs_chain_id(const hs_chain *c) {
    return c->chain_id;
}

uint64_t hs_block_height(const hs_chain *c) {
    return c->height;
}

uint64_t hs_block_time_ns(const hs_chain *c) {
    return c->time_ns;
}

uint64_t hs_last_gas_used(const hs_chain *c) {
    return c->last_gas;
}

/* --- Snapshots ----------------------------------------------------------------------------------
 */

static hs_kv *kv_copy(const hs_kv *src) {
    hs_kv *dst = hs_kv_new();
    if (!dst) return NULL;
    hs_kv_iter it;
    hs_kv_iter_init(&it, src, NULL, 0, NULL, 0, HS_ASCENDING);
    const uint8_t *k, *v;
    size_t kl, vl;
    while (hs_kv_iter_next(&it, &k, &kl, &v, &vl)) {
        if (hs_kv_set(dst, k, kl, v, vl) != HS_STATE_OK) {
            hs_kv_free(dst);
            return NULL;
        }
    }
    return dst;
}

uint64_t hs_snapshot(hs_chain *c) {
    if (c->n_snaps == c->cap_snaps) {
        size_t cap = c->cap_snaps ? c->cap_snaps * 2 : 8;
        hs_snap *s = realloc(c->snaps, cap * sizeof *s);
        if (!s) return 0;
        c->snaps = s;
        c->cap_snaps = cap;
    }
    hs_kv *kv = kv_copy(c->kv);
    if (!kv) return 0;
    c->snaps[c->n_snaps].id = c->next_snap++;
    c->snaps[c->n_snaps].kv = kv;
    return c->snaps[c->n_snaps++].id;
}

int hs_revert(hs_chain *c, uint64_t snapshot, char **err) {
    if (err) *err = NULL;
    hs_kv *snap = NULL;
    for (size_t i = 0; i < c->n_snaps; i++)
        if (c->snaps[i].id == snapshot) snap = c->snaps[i].kv;
    if (!snap) {
        if (err && asprintf(err, "no snapshot %llu", (unsigned long long)snapshot) < 0) *err = NULL;
        return -1;
    }
    if (hs_tx_begin(c)) goto fail;
    /* Delete keys absent from the snapshot, then write every snapshot entry that differs. */
    hs_kv_iter it;
    const uint8_t *k, *v, *sv;
    size_t kl, vl, svl;
    hs_kv_iter_init(&it, c->kv, NULL, 0, NULL, 0, HS_ASCENDING);
    while (hs_kv_iter_next(&it, &k, &kl, &v, &vl))
        if (hs_kv_get(snap, k, kl, NULL, NULL) != HS_STATE_OK && hs_state_delete(c, k, kl))
            goto fail_tx;
    hs_kv_iter_init(&it, snap, NULL, 0, NULL, 0, HS_ASCENDING);
    while (hs_kv_iter_next(&it, &k, &kl, &v, &vl)) {
        if (hs_kv_get(c->kv, k, kl, &sv, &svl) == HS_STATE_OK && svl == vl && !memcmp(sv, v, vl))
            continue;
        if (hs_state_set(c, k, kl, v, vl)) goto fail_tx;
    }
    if (hs_tx_end(c, true)) goto fail;
    block_load(c);
    c->last_gas = 0;
    return 0;
fail_tx:
    hs_tx_end(c, false);
fail:
    if (err) *err = hs_fail_take(c);
    return -1;
}

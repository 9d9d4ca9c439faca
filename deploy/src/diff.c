/* diff.c — what differs between a manifest and the chain: every parameter (queried from the
 * live contracts), markets and collaterals not yet listed, and code whose checksum changed;
 * each difference as a table row and the governance message that removes it (deploy.h). */
#define _GNU_SOURCE
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deploy.h"
#include "manifest_msgs.h"

/* --- Helpers ----------------------------------------------------------------------------- */

json_t *dep_query_json(dep_chain *t, const char *contract, const char *msg, char **err) {
    dep_call c = t->ops->query(t, contract, msg);
    json_t *j = NULL;
    if (c.ok) j = json_loads(c.answer, 0, NULL);
    if (!j && err &&
        asprintf(err, "query %s on %s: %s", msg, contract, c.ok ? "answer is not JSON" : c.error) <
            0)
        *err = NULL;
    dep_call_free(&c);
    return j;
}

char *dep_base64(const char *text) {
    size_t n = strlen(text);
    size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *b = malloc(cap);
    if (b)
        sodium_bin2base64(b, cap, (const unsigned char *)text, n, sodium_base64_VARIANT_ORIGINAL);
    return b;
}

char *dep_sha256_file(const char *path, uint8_t **bytes, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *w = malloc(n > 0 ? (size_t)n : 1);
    if (!w || n < 0 || fread(w, 1, (size_t)n, f) != (size_t)n) {
        free(w);
        fclose(f);
        return NULL;
    }
    fclose(f);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, w, (unsigned long long)n);
    char *hex = malloc(65);
    if (hex) sodium_bin2hex(hex, 65, h, sizeof h);
    if (bytes) {
        *bytes = w;
        *len = (size_t)n;
    } else {
        free(w);
    }
    return hex;
}

const char *dep_instance_source(const char *name) {
    return strncmp(name, "token:", 6) == 0 ? "cw20_base" : name;
}

static char *text_of(json_t *v) {
    if (!v || json_is_null(v)) return strdup("-");
    if (json_is_string(v)) return strdup(json_string_value(v));
    return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

static void add_change(dep_diff *d, const char *kind, const char *path, json_t *old, json_t *new,
                       const char *human) {
    if (d->count == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->changes = realloc(d->changes, d->cap * sizeof *d->changes);
        if (!d->changes) abort();
    }
    d->changes[d->count++] = (dep_change){strdup(kind), strdup(path), text_of(old), text_of(new),
                                          human ? strdup(human) : NULL};
}

static void add_msg(dep_diff *d, const char *contract, json_t *msg) {
    if (d->msg_count == d->msg_cap) {
        d->msg_cap = d->msg_cap ? 2 * d->msg_cap : 8;
        d->msgs = realloc(d->msgs, d->msg_cap * sizeof *d->msgs);
        if (!d->msgs) abort();
    }
    d->msgs[d->msg_count++] = (dep_wasm_msg){.contract = strdup(contract), .msg = msg};
}

static int diff_fail(dep_diff *d, char *err) {
    if (!d->error)
        d->error = err ? err : strdup("query failed");
    else
        free(err);
    return -1;
}

/* Values equal as JSON (strings compared as text, numbers as numbers). */
static bool same(json_t *a, json_t *b) {
    return a && b && json_equal(a, b);
}

/* Compare want[key] with have[key]; record a change and copy the field into body. */
static void compare(dep_diff *d, const char *path_prefix, json_t *have, json_t *want,
                    const char *key, const char *human, json_t *body) {
    json_t *h = json_object_get(have, key), *w = json_object_get(want, key);
    if (same(h, w)) return;
    char path[256];
    snprintf(path, sizeof path, "%s.%s", path_prefix, key);
    add_change(d, "parameter", path, h, w, human);
    json_object_set(body, key, w);
}

static json_t *wrap(const char *variant, json_t *body) {
    json_t *o = json_object();
    json_object_set_new(o, variant, body);
    return o;
}

/* --- Sections ---------------------------------------------------------------------------- */

static int diff_engine(const dep_manifest *m, dep_chain *t, const char *engine, dep_diff *d,
                       const dep_system_addresses *a) {
    char *err = NULL;
    json_t *have = dep_query_json(t, engine, "{\"config\":{}}", &err);
    if (!have) return diff_fail(d, err);
    json_t *want = dep_msg_engine_instantiate(m, a);
    json_t *body = json_object();
    const dep_engine *e = &m->engine;
    compare(d, "engine", have, want, "global_debt_ceiling", e->global_debt_ceiling.text, body);
    compare(d, "engine", have, want, "global_auction_debt_limit", e->global_auction_debt_limit.text,
            body);
    compare(d, "engine", have, want, "keeper_tip", e->keeper_tip.text, body);
    compare(d, "engine", have, want, "keeper_fee", e->keeper_fee.text, body);
    compare(d, "engine", have, want, "keeper_reward_cap", e->keeper_reward_cap.text, body);
    if (json_object_size(body)) {
        json_object_set_new(body, "force", json_true());
        add_msg(d, engine, wrap("update_config", body));
    } else {
        json_decref(body);
    }
    json_decref(have);
    json_decref(want);
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* A sorted copy of an array of strings (anything else: a copy as is). */
static json_t *sorted_strings(json_t *arr) {
    size_t n = json_array_size(arr);
    json_t **items = calloc(n + 1, sizeof *items), *out = json_array();
    for (size_t i = 0; i < n; i++) {
        items[i] = json_array_get(arr, i);
        if (!json_is_string(items[i])) {
            free(items);
            json_decref(out);
            return json_deep_copy(arr);
        }
    }
    qsort(items, n, sizeof *items, cmp_str);
    for (size_t i = 0; i < n; i++) json_array_append(out, items[i]);
    free(items);
    return out;
}

static int diff_oracle(const dep_manifest *m, dep_chain *t, const char *oracle, dep_diff *d,
                       const dep_system_addresses *a) {
    char *err = NULL;
    json_t *have = dep_query_json(t, oracle, "{\"config\":{}}", &err);
    if (!have) return diff_fail(d, err);
    json_t *want = dep_msg_oracle_instantiate(m, a);
    json_t *body = json_object();
    compare(d, "oracle", have, want, "quorum", NULL, body);
    compare(d, "oracle", have, want, "max_age", m->oracle.max_age.text, body);
    compare(d, "oracle", have, want, "max_move", m->oracle.max_move.text, body);
    compare(d, "oracle", have, want, "delay", m->oracle.delay.text, body);
    if (json_object_size(body))
        add_msg(d, oracle, wrap("update_config", body));
    else
        json_decref(body);
    /* Feeders are a set (the oracle keeps them sorted); cdp-deploy lists a change but cannot
     * propose it yet (the oracle has no message to replace them). */
    json_t *hf = sorted_strings(json_object_get(have, "feeders"));
    json_t *wf = sorted_strings(json_object_get(want, "feeders"));
    if (!same(hf, wf)) add_change(d, "unsupported", "oracle.feeders", hf, wf, NULL);
    json_decref(hf), json_decref(wf);
    json_decref(have);
    json_decref(want);
    return 0;
}

static json_t *find_collateral(json_t *market, const char *asset) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(market, "collaterals"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "asset")), asset) == 0) return c;
    }
    return NULL;
}

static int diff_market(const dep_manifest *m, size_t mi, dep_chain *t, const char *engine,
                       const char *liquidator, dep_diff *d, const dep_system_addresses *a) {
    const dep_market *mk = &m->markets[mi];
    char q[256], path[192];
    snprintf(q, sizeof q, "{\"market\":{\"id\":\"%s\"}}", mk->id);
    snprintf(path, sizeof path, "markets[%s]", mk->id);
    dep_call c = t->ops->query(t, engine, q);
    json_t *have = c.ok ? json_loads(c.answer, 0, NULL) : NULL;
    dep_call_free(&c);
    json_t *create = dep_msg_create_market(m, mi);
    json_t *want = json_object_get(create, "create_market");
    if (!have) { /* a new market: create it and list every collateral */
        add_change(d, "market", path, NULL, json_object_get(want, "id"), NULL);
        add_msg(d, engine, create);
        for (size_t k = 0; k < mk->collateral_count; k++) {
            json_t *add = dep_msg_add_collateral(m, mi, k, a);
            if (!add) return diff_fail(d, strdup("a new collateral's token is not deployed"));
            add_msg(d, engine, add);
        }
    } else {
        json_t *body = json_object();
        json_object_set_new(body, "id", json_string(mk->id));
        compare(d, path, have, want, "stability_fee", mk->stability_fee.text, body);
        compare(d, path, have, want, "debt_ceiling", mk->debt_ceiling.text, body);
        compare(d, path, have, want, "min_debt", mk->min_debt.text, body);
        compare(d, path, have, want, "auction_debt_limit", mk->auction_debt_limit.text, body);
        if (json_object_size(body) > 1) {
            json_object_set_new(body, "force", json_true());
            add_msg(d, engine, wrap("update_market", body));
        } else {
            json_decref(body);
        }
        json_decref(create);
        for (size_t k = 0; k < mk->collateral_count; k++) {
            const dep_collateral *col = &mk->collaterals[k];
            json_t *add = dep_msg_add_collateral(m, mi, k, a);
            if (!add) return diff_fail(d, strdup("a collateral's token is not deployed"));
            json_t *cw = json_object_get(add, "add_collateral");
            const char *asset = json_string_value(json_object_get(cw, "asset"));
            char cpath[256];
            snprintf(cpath, sizeof cpath, "%s.%s", path, col->asset);
            json_t *ch = find_collateral(have, asset);
            if (!ch) {
                add_change(d, "collateral", cpath, NULL, json_string(asset), NULL);
                add_msg(d, engine, add);
                continue;
            }
            json_t *cb = json_object();
            json_object_set_new(cb, "market", json_string(mk->id));
            json_object_set_new(cb, "asset", json_string(asset));
            compare(d, cpath, ch, cw, "oracle_denom", NULL, cb);
            compare(d, cpath, ch, cw, "max_ltv", col->max_ltv.text, cb);
            compare(d, cpath, ch, cw, "liquidation_threshold", col->liquidation_threshold.text, cb);
            compare(d, cpath, ch, cw, "liquidation_penalty", col->liquidation_penalty.text, cb);
            compare(d, cpath, ch, cw, "supply_cap", col->supply_cap.text, cb);
            if (json_object_size(cb) > 2) {
                json_object_set_new(cb, "force", json_true());
                add_msg(d, engine, wrap("update_collateral", cb));
            } else {
                json_decref(cb);
            }
            json_decref(add);
        }
        json_decref(have);
    }
    /* The liquidator's auction parameters: market_params answers in the message's own form. */
    if (!liquidator) return 0;
    json_t *set = dep_msg_set_market_params(m, mi);
    json_t *ws = json_object_get(set, "set_market_params");
    snprintf(q, sizeof q, "{\"market_params\":{\"market\":\"%s\"}}", mk->id);
    c = t->ops->query(t, liquidator, q);
    json_t *hs = c.ok ? json_loads(c.answer, 0, NULL) : NULL;
    dep_call_free(&c);
    char apath[256];
    snprintf(apath, sizeof apath, "%s.auction", path);
    bool differs = false;
    const char *key;
    json_t *v;
    json_object_foreach(ws, key, v) {
        json_t *h = hs ? json_object_get(hs, key) : NULL;
        if (same(h, v)) continue;
        char p2[300];
        snprintf(p2, sizeof p2, "%s.%s", apath, key);
        add_change(d, "parameter", p2, h, v, NULL);
        differs = true;
    }
    if (differs)
        add_msg(d, liquidator, set);
    else
        json_decref(set);
    json_decref(hs);
    return 0;
}

static int diff_liquidator(const dep_manifest *m, dep_chain *t, const char *liquidator,
                           dep_diff *d) {
    char *err = NULL;
    json_t *have = dep_query_json(t, liquidator, "{\"config\":{}}", &err);
    if (!have) return diff_fail(d, err);
    json_t *set = dep_msg_set_circuit_breaker(m);
    json_t *want = json_object_get(json_object_get(set, "set_circuit_breaker"), "level");
    json_t *h = json_object_get(have, "circuit_breaker");
    if (!same(h, want)) {
        add_change(d, "parameter", "liquidator.circuit_breaker", h, want, NULL);
        add_msg(d, liquidator, set);
    } else {
        json_decref(set);
    }
    json_decref(have);
    return 0;
}

static int diff_governance(const dep_manifest *m, dep_chain *t, const char *timelock, dep_diff *d) {
    char *err = NULL;
    json_t *have = dep_query_json(t, timelock, "{\"config\":{}}", &err);
    if (!have) return diff_fail(d, err);
    json_t *want = dep_msg_governance_instantiate(m);
    if (!json_object_get(want, "emergency_actions"))
        json_object_set(want, "emergency_actions", json_object_get(have, "emergency_actions"));
    bool differs = false;
    const char *key;
    json_t *v;
    json_object_foreach(want, key, v) {
        json_t *h = json_object_get(have, key);
        if (same(h, v)) continue;
        char p[128];
        snprintf(p, sizeof p, "governance.%s", key);
        add_change(d, "parameter", p, h, v, NULL);
        differs = true;
    }
    if (differs) add_msg(d, timelock, wrap("update_config", json_incref(want)));
    json_decref(want);
    json_decref(have);
    return 0;
}

/* Code: an instance whose running checksum differs from the manifest source's. */
static void diff_code(const dep_manifest *m, const dep_record *r, dep_diff *d) {
    json_t *contracts = json_object_get(r->doc, "contracts");
    const char *name;
    json_t *c;
    json_object_foreach(contracts, name, c) {
        const char *source = dep_instance_source(name);
        const char *path = NULL;
        for (int i = 0; i < DEP_CONTRACT_COUNT; i++)
            if (strcmp(dep_contract_name((dep_contract_id)i), source) == 0) path = m->sources[i];
        if (!path) continue;
        char *sum = dep_sha256_file(path, NULL, NULL);
        const char *running = json_string_value(json_object_get(c, "checksum"));
        if (sum && strcmp(sum, running) != 0) {
            char p[160];
            snprintf(p, sizeof p, "code.%s", name);
            json_t *o = json_string(running), *n = json_string(sum);
            add_change(d, "migration", p, o, n, path);
            json_decref(o), json_decref(n);
            json_t *code = dep_record_code(r, source);
            const char *stored = json_string_value(json_object_get(code, "checksum"));
            dep_wasm_msg w = {
                .contract = strdup(json_string_value(json_object_get(c, "address"))),
                .msg = json_object(),
                .migrate = true,
                .new_code_id = stored && strcmp(stored, sum) == 0
                                   ? (uint64_t)json_integer_value(json_object_get(code, "code_id"))
                                   : 0,
                .migrate_name = strdup(name),
                .migrate_checksum = strdup(sum)};
            if (d->msg_count == d->msg_cap) {
                d->msg_cap = d->msg_cap ? 2 * d->msg_cap : 8;
                d->msgs = realloc(d->msgs, d->msg_cap * sizeof *d->msgs);
                if (!d->msgs) abort();
            }
            d->msgs[d->msg_count++] = w;
        }
        free(sum);
    }
}

int dep_diff_compute(const dep_manifest *m, dep_chain *t, const dep_record *r, dep_diff *d) {
    memset(d, 0, sizeof *d);
    const char *timelock = dep_record_address(r, "governance");
    const char *engine = dep_record_address(r, "vault_engine");
    const char *oracle = dep_record_address(r, "oracle");
    const char *liquidator = dep_record_address(r, "liquidator");
    const char **tokens = calloc(m->token_count + 1, sizeof *tokens);
    for (size_t i = 0; i < m->token_count; i++) {
        char name[160];
        snprintf(name, sizeof name, "token:%s", m->tokens[i].id);
        tokens[i] = dep_record_address(r, name);
    }
    dep_system_addresses a = {.governance = timelock,
                              .stable_token = dep_record_address(r, "stable_token"),
                              .oracle = oracle,
                              .vault_engine = engine,
                              .liquidator = liquidator,
                              .backstop_pool = dep_record_address(r, "backstop_pool"),
                              .settlement = dep_record_address(r, "settlement"),
                              .tokens = tokens};
    int rc = 0;
    if (oracle && timelock) rc |= diff_oracle(m, t, oracle, d, &a);
    if (engine && timelock) rc |= diff_engine(m, t, engine, d, &a);
    for (size_t i = 0; engine && i < m->market_count; i++)
        rc |= diff_market(m, i, t, engine, liquidator, d, &a);
    if (liquidator) rc |= diff_liquidator(m, t, liquidator, d);
    diff_code(m, r, d);
    if (timelock) rc |= diff_governance(m, t, timelock, d);
    free(tokens);
    return rc ? -1 : 0;
}

void dep_diff_free(dep_diff *d) {
    for (size_t i = 0; i < d->count; i++) {
        free(d->changes[i].kind), free(d->changes[i].path);
        free(d->changes[i].old), free(d->changes[i].new), free(d->changes[i].human);
    }
    for (size_t i = 0; i < d->msg_count; i++) {
        free(d->msgs[i].contract);
        json_decref(d->msgs[i].msg);
        free(d->msgs[i].migrate_name), free(d->msgs[i].migrate_checksum);
    }
    free(d->changes);
    free(d->msgs);
    free(d->error);
    memset(d, 0, sizeof *d);
}

void dep_diff_print(const dep_diff *d, FILE *out) {
    fprintf(out, "  %-10s %-44s %-22s    %s\n", "change", "path", "on chain", "manifest");
    for (size_t i = 0; i < d->count; i++) {
        const dep_change *c = &d->changes[i];
        char newv[256];
        if (c->human && strcmp(c->human, c->new) != 0 && strchr(c->human, '/') == NULL)
            snprintf(newv, sizeof newv, "%s (%s)", c->new, c->human);
        else
            snprintf(newv, sizeof newv, "%s", c->new);
        fprintf(out, "  %-10s %-44s %-22s -> %s\n", c->kind, c->path, c->old, newv);
    }
}

/* --- The proposal's canonical messages ---------------------------------------------------- */

json_t *dep_proposal_msgs(const dep_diff *d, char **canonical, char hash_hex[65]) {
    json_t *arr = json_array();
    size_t cap = 64, len = 0;
    char *text = malloc(cap);
    if (!text) abort();
    text[len++] = '[';
    for (size_t i = 0; i < d->msg_count; i++) {
        const dep_wasm_msg *w = &d->msgs[i];
        char *inner = json_dumps(w->msg, JSON_COMPACT);
        char *b64 = dep_base64(inner);
        char *one = NULL;
        json_t *cm;
        int n;
        if (w->migrate) {
            n = asprintf(&one,
                         "{\"wasm\":{\"migrate\":{\"contract_addr\":\"%s\",\"new_code_id\":%llu,"
                         "\"msg\":\"%s\"}}}",
                         w->contract, (unsigned long long)w->new_code_id, b64);
            cm = json_pack("{s:{s:{s:s,s:I,s:s}}}", "wasm", "migrate", "contract_addr", w->contract,
                           "new_code_id", (json_int_t)w->new_code_id, "msg", b64);
        } else {
            n = asprintf(&one,
                         "{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\","
                         "\"funds\":[]}}}",
                         w->contract, b64);
            cm = json_pack("{s:{s:{s:s,s:s,s:[]}}}", "wasm", "execute", "contract_addr",
                           w->contract, "msg", b64, "funds");
        }
        if (n < 0) abort();
        json_array_append_new(arr, cm);
        size_t ol = strlen(one);
        while (len + ol + 3 > cap) cap *= 2;
        text = realloc(text, cap);
        if (!text) abort();
        if (i) text[len++] = ',';
        memcpy(text + len, one, ol);
        len += ol;
        free(one), free(inner), free(b64);
    }
    text[len++] = ']';
    text[len] = 0;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(hash_hex, 65, h, sizeof h);
    if (canonical)
        *canonical = text;
    else
        free(text);
    return arr;
}

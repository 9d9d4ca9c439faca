/* manifest.c — reads a deploy manifest (jansson) into dep_manifest: every section's fields
 * with their types, units and own ranges, unknown/missing fields, address resolution; then
 * runs the cross-field rules (manifest_rules.c) and the canonical hash (manifest_hash.c).
 * Format: deploy/MANIFEST.md. */
#include "manifest_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h" /* host-sim/src: bech32, validation, aliases */

/* --- Errors and paths ------------------------------------------------------------------------ */

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("cdp-deploy: out of memory\n", stderr);
        abort();
    }
    return q;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

void dep_errors_add(dep_errors *e, const char *path, const char *fmt, ...) {
    char body[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t n = strlen(path) + strlen(body) + 3;
    char *line = xrealloc(NULL, n);
    snprintf(line, n, "%s: %s", path, body);
    if (e->count == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 16;
        e->items = xrealloc(e->items, e->cap * sizeof *e->items);
    }
    e->items[e->count++] = line;
}

void dep_errors_free(dep_errors *e) {
    for (size_t i = 0; i < e->count; i++) free(e->items[i]);
    free(e->items);
    *e = (dep_errors){0};
}

/* Append text at out[*n] within DEP_PATH_CAP (a longer path is cut, never overflows). */
static void path_put(char *out, size_t *n, const char *text) {
    size_t k = strlen(text);
    if (k > DEP_PATH_CAP - 1 - *n) k = DEP_PATH_CAP - 1 - *n;
    memmove(out + *n, text, k);
    *n += k;
    out[*n] = 0;
}

void dep_path_field(char *out, const char *parent, const char *name) {
    char copy[DEP_PATH_CAP];
    path_put(copy, &(size_t){0}, parent);
    size_t n = 0;
    out[0] = 0;
    path_put(out, &n, copy);
    if (copy[0]) path_put(out, &n, ".");
    path_put(out, &n, name);
}

void dep_path_index(char *out, const char *parent, size_t i) {
    char copy[DEP_PATH_CAP], index[32];
    path_put(copy, &(size_t){0}, parent);
    snprintf(index, sizeof index, "[%zu]", i);
    size_t n = 0;
    out[0] = 0;
    path_put(out, &n, copy);
    path_put(out, &n, index);
}

/* NULL-terminated: also the allowed keys of "contracts". */
static const char *const CONTRACT_NAMES[DEP_CONTRACT_COUNT + 1] = {
    "stable_token", "oracle",     "vault_engine", "liquidator", "backstop_pool",
    "settlement",   "governance", "cw20_base",    NULL};

const char *dep_contract_name(dep_contract_id id) {
    return (unsigned)id < DEP_CONTRACT_COUNT ? CONTRACT_NAMES[id] : NULL;
}

/* --- Parse context and field access ---------------------------------------------------------- */

typedef struct parse_ctx {
    dep_errors *errs;
    dep_manifest *m;
    bool stable_decimals_ok; /* stable amounts can be converted */
    bool prefix_ok;
} parse_ctx;

static const char *json_kind(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* Is v an object? If so, refuse every key not in `allowed` (NULL-terminated). */
static bool object_with(parse_ctx *c, const json_t *v, const char *path,
                        const char *const *allowed) {
    if (!json_is_object(v)) {
        dep_errors_add(c->errs, path[0] ? path : "(document)", "expected an object, got %s",
                       json_kind(v));
        return false;
    }
    const char *key;
    json_t *val;
    /* Keys in sorted order so the error order does not depend on jansson's hash order. */
    size_t n = json_object_size(v), k = 0;
    const char **keys = xrealloc(NULL, n * sizeof *keys);
    json_object_foreach((json_t *)v, key, val) keys[k++] = key;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++) known = strcmp(*a, keys[i]) == 0;
        if (!known) {
            char p[DEP_PATH_CAP];
            dep_path_field(p, path, keys[i]);
            dep_errors_add(c->errs, p, "unknown field");
        }
    }
    free(keys);
    return true;
}

/* The value of a required field, or NULL after a "missing field" error. */
static json_t *required(parse_ctx *c, const json_t *obj, const char *path, const char *name) {
    json_t *v = json_object_get(obj, name);
    if (!v) {
        char p[DEP_PATH_CAP];
        dep_path_field(p, path, name);
        dep_errors_add(c->errs, p, "missing field");
    }
    return v;
}

/* A required string field (owned copy), or NULL after an error. `like` shows an example. */
static char *get_string(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                        const char *like) {
    json_t *v = required(c, obj, path, name);
    if (!v) return NULL;
    if (!json_is_string(v)) {
        char p[DEP_PATH_CAP];
        dep_path_field(p, path, name);
        dep_errors_add(c->errs, p, "expected a string like \"%s\", got %s", like, json_kind(v));
        return NULL;
    }
    return xstrdup(json_string_value(v));
}

/* A required integer field in [lo, hi]; false after an error. */
static bool get_uint(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                     unsigned long long lo, unsigned long long hi, unsigned long long *out) {
    json_t *v = required(c, obj, path, name);
    if (!v) return false;
    char p[DEP_PATH_CAP];
    dep_path_field(p, path, name);
    if (!json_is_integer(v)) {
        dep_errors_add(c->errs, p, "expected an integer, got %s", json_kind(v));
        return false;
    }
    json_int_t x = json_integer_value(v);
    if (x < 0 || (unsigned long long)x < lo || (unsigned long long)x > hi) {
        dep_errors_add(c->errs, p, "%lld must be between %llu and %llu", (long long)x, lo, hi);
        return false;
    }
    *out = (unsigned long long)x;
    return true;
}

static bool get_bool(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                     bool *out) {
    json_t *v = required(c, obj, path, name);
    if (!v) return false;
    if (!json_is_boolean(v)) {
        char p[DEP_PATH_CAP];
        dep_path_field(p, path, name);
        dep_errors_add(c->errs, p, "expected true or false, got %s", json_kind(v));
        return false;
    }
    *out = json_is_true(v);
    return true;
}

/* One of `names` (NULL-terminated); its index, or −1 after an error. */
static int get_choice(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                      const char *const *names, const char *expected) {
    char *s = get_string(c, obj, path, name, names[0]);
    if (!s) return -1;
    int found = -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0) found = i;
    if (found < 0) {
        char p[DEP_PATH_CAP];
        dep_path_field(p, path, name);
        dep_errors_add(c->errs, p, "\"%s\" must be %s", s, expected);
    }
    free(s);
    return found;
}

/* A required array field; NULL after an error. */
static json_t *get_array(parse_ctx *c, const json_t *obj, const char *path, const char *name) {
    json_t *v = required(c, obj, path, name);
    if (v && !json_is_array(v)) {
        char p[DEP_PATH_CAP];
        dep_path_field(p, path, name);
        dep_errors_add(c->errs, p, "expected an array, got %s", json_kind(v));
        return NULL;
    }
    return v;
}

/* --- Unit-bearing values --------------------------------------------------------------------- */

typedef enum dec_form { FORM_PERCENT, FORM_ANNUAL, FORM_RATIO } dec_form;

/* A decimal-valued field: the text, then its on-chain Decimal; the own range is checked by
 * the caller with dec_range. */
static void get_decimal(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                        dec_form form, dep_decimal *out) {
    static const char *const LIKE[] = {"60%", "2.5%/yr", "0.95"};
    out->ok = false;
    out->text = get_string(c, obj, path, name, LIKE[form]);
    if (!out->text) return;
    char err[DEP_UNIT_ERR_CAP];
    dep_unit_result r = form == FORM_PERCENT  ? dep_parse_percent(out->text, &out->atomics, err)
                        : form == FORM_ANNUAL ? dep_parse_annual_rate(out->text, &out->atomics, err)
                                              : dep_parse_ratio(out->text, &out->atomics, err);
    char p[DEP_PATH_CAP];
    dep_path_field(p, path, name);
    if (r) {
        dep_errors_add(c->errs, p, "%s", err);
        return;
    }
    dep_decimal_format(out->atomics, out->onchain);
    out->ok = true;
}

/* Bounds of a decimal's own range: a value in atomics, inclusive or not, and its text. */
typedef struct dec_bound {
    bool set;
    dep_u128 atomics;
    bool inclusive;
    const char *text;
} dec_bound;

#define PCT(x) ((dep_u128)(x) * (DEP_DECIMAL_SCALE / 100))
#define NO_BOUND ((dec_bound){false, 0, false, NULL})
#define ABOVE(a, t) ((dec_bound){true, (a), false, (t)})
#define AT_LEAST(a, t) ((dec_bound){true, (a), true, (t)})
#define BELOW(a, t) ((dec_bound){true, (a), false, (t)})
#define AT_MOST(a, t) ((dec_bound){true, (a), true, (t)})

static void dec_range(parse_ctx *c, const char *path, const char *name, dep_decimal *d,
                      dec_bound lo, dec_bound hi) {
    if (!d->ok) return;
    char p[DEP_PATH_CAP];
    dep_path_field(p, path, name);
    if (lo.set && (d->atomics < lo.atomics || (!lo.inclusive && d->atomics == lo.atomics))) {
        dep_errors_add(c->errs, p, "%s must be %s %s", d->text, lo.inclusive ? ">=" : ">", lo.text);
        d->ok = false;
    } else if (hi.set && (d->atomics > hi.atomics || (!hi.inclusive && d->atomics == hi.atomics))) {
        dep_errors_add(c->errs, p, "%s must be %s %s", d->text, hi.inclusive ? "<=" : "<", hi.text);
        d->ok = false;
    }
}

/* An amount in whole units of a token with `decimals` (decimals_ok false: the scale is itself
 * invalid, so only the text is kept and no further error is reported). */
static void get_amount(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                       unsigned decimals, bool decimals_ok, dep_amount *out) {
    out->ok = false;
    out->text = get_string(c, obj, path, name, "1000000");
    if (!out->text || !decimals_ok) return;
    char err[DEP_UNIT_ERR_CAP];
    if (dep_parse_amount(out->text, decimals, &out->value, err)) {
        char p[DEP_PATH_CAP];
        dep_path_field(p, path, name);
        dep_errors_add(c->errs, p, "%s", err);
        return;
    }
    dep_u128_format(out->value, out->onchain);
    out->ok = true;
}

static void get_stable(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                       dep_amount *out) {
    get_amount(c, obj, path, name, c->m->stable_token.decimals, c->stable_decimals_ok, out);
}

/* A duration within [lo, hi] seconds. */
static void get_duration(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                         uint64_t lo, uint64_t hi, const char *lo_text, const char *hi_text,
                         dep_duration *out) {
    out->ok = false;
    out->text = get_string(c, obj, path, name, "2h");
    if (!out->text) return;
    char err[DEP_UNIT_ERR_CAP];
    char p[DEP_PATH_CAP];
    dep_path_field(p, path, name);
    if (dep_parse_duration(out->text, &out->seconds, err)) {
        dep_errors_add(c->errs, p, "%s", err);
        return;
    }
    if (out->seconds < lo) {
        dep_errors_add(c->errs, p, "%s must be >= %s", out->text, lo_text);
        return;
    }
    if (out->seconds > hi) {
        dep_errors_add(c->errs, p, "%s must be <= %s", out->text, hi_text);
        return;
    }
    out->ok = true;
}

/* --- Names and addresses --------------------------------------------------------------------- */

static bool chars_in(const char *s, const char *set_extra, bool lower, bool upper, bool digit) {
    for (; *s; s++) {
        char ch = *s;
        bool ok = (lower && ch >= 'a' && ch <= 'z') || (upper && ch >= 'A' && ch <= 'Z') ||
                  (digit && ch >= '0' && ch <= '9') || (ch && strchr(set_extra, ch));
        if (!ok) return false;
    }
    return true;
}

/* Cosmos SDK denom: [a-zA-Z][a-zA-Z0-9/:._-]{2,127}. */
static bool valid_denom(const char *s) {
    size_t n = strlen(s);
    if (n < 3 || n > 128) return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
    return chars_in(s + 1, "/:._-", true, true, true);
}

/* Ids of markets and tokens: [a-z0-9_-]{1,32} (vault_engine's market id rule). */
static bool valid_id(const char *s) {
    size_t n = strlen(s);
    return n >= 1 && n <= 32 && chars_in(s, "_-", true, false, true);
}

/* Aliases: [a-z][a-z0-9_-]{0,31} (shorter than any bech32 account address, ≥ 39 chars). */
static bool valid_alias(const char *s) {
    size_t n = strlen(s);
    return n >= 1 && n <= 32 && s[0] >= 'a' && s[0] <= 'z' && chars_in(s, "_-", true, false, true);
}

static void get_address(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                        bool contract, dep_address *out) {
    out->ok = false;
    out->alias = false;
    out->address = NULL;
    out->text = NULL;
    out->text = get_string(c, obj, path, name, contract ? "wasm1…" : "alice");
    if (!out->text || !c->prefix_ok) return;
    char p[DEP_PATH_CAP];
    dep_path_field(p, path, name);
    const char *prefix = c->m->address_prefix;
    const char *t = out->text;
    hs_addr_result r = hs_addr_validate(prefix, t);
    if (r == HS_ADDR_OK) {
        out->address = xstrdup(t);
        out->ok = true;
        return;
    }
    char hrp[HS_BECH32_HRP_CAP];
    uint8_t data[96];
    size_t n;
    hs_addr_result dr = hs_bech32_decode(t, hrp, data, sizeof data, &n);
    if (dr == HS_ADDR_OK && strcmp(hrp, prefix)) {
        dep_errors_add(c->errs, p, "\"%s\" has prefix %s, expected %s", t, hrp, prefix);
        return;
    }
    /* Longer than any alias and with a separator: a mistyped address, not a name. */
    if (strlen(t) > 32 && strchr(t, '1')) {
        dep_errors_add(c->errs, p, "\"%s\" is not a valid address: %s", t,
                       hs_addr_strerror(dr == HS_ADDR_OK ? r : dr));
        return;
    }
    if (contract) {
        dep_errors_add(c->errs, p, "\"%s\" is not a bech32 contract address with prefix %s", t,
                       prefix);
        return;
    }
    if (!valid_alias(t)) {
        dep_errors_add(c->errs, p,
                       "\"%s\" is neither a bech32 address with prefix %s nor an alias "
                       "[a-z][a-z0-9_-]{0,31}",
                       t, prefix);
        return;
    }
    if (c->m->target.kind != DEP_TARGET_LOCAL) {
        dep_errors_add(c->errs, p,
                       "\"%s\" is an alias; the network target needs a bech32 address with "
                       "prefix %s",
                       t, prefix);
        return;
    }
    char human[HS_ADDR_HUMAN_CAP];
    if (hs_addr_alias(prefix, t, human, sizeof human) != HS_ADDR_OK) {
        dep_errors_add(c->errs, p, "\"%s\": alias cannot be resolved", t);
        return;
    }
    out->address = xstrdup(human);
    out->alias = true;
    out->ok = true;
}

/* --- Sections -------------------------------------------------------------------------------- */

static void parse_target(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"kind", "state_dir", "rpc", "grpc", "gas_price", NULL};
    static const char *const LOCAL[] = {"kind", "state_dir", NULL};
    static const char *const KINDS[] = {"local", "network", NULL};
    dep_target *t = &c->m->target;
    t->kind = DEP_TARGET_LOCAL;
    json_t *v = required(c, doc, "", "target");
    if (!v) return;
    if (!json_is_object(v)) {
        dep_errors_add(c->errs, "target", "expected an object, got %s", json_kind(v));
        return;
    }
    int kind = get_choice(c, v, "target", "kind", KINDS, "\"local\" or \"network\"");
    if (kind < 0) {
        (void)object_with(c, v, "target", FIELDS);
        return;
    }
    t->kind = (dep_target_kind)kind;
    if (kind == DEP_TARGET_LOCAL) {
        (void)object_with(c, v, "target", LOCAL);
        t->state_dir = get_string(c, v, "target", "state_dir", "build/devnet");
        if (t->state_dir && !t->state_dir[0])
            dep_errors_add(c->errs, "target.state_dir", "must not be empty");
        t->supported = true;
        return;
    }
    static const char *const NETWORK[] = {"kind", "rpc", "grpc", "gas_price", NULL};
    (void)object_with(c, v, "target", NETWORK);
    t->rpc = get_string(c, v, "target", "rpc", "https://rpc.example.org:443");
    t->grpc = get_string(c, v, "target", "grpc", "grpc.example.org:9090");
    t->gas_price = get_string(c, v, "target", "gas_price", "0.025uatom");
    if (t->rpc && strncmp(t->rpc, "http://", 7) && strncmp(t->rpc, "https://", 8))
        dep_errors_add(c->errs, "target.rpc", "\"%s\" must start with http:// or https://", t->rpc);
    if (t->grpc && !t->grpc[0]) dep_errors_add(c->errs, "target.grpc", "must not be empty");
    if (t->gas_price) {
        const char *s = t->gas_price;
        size_t k = strspn(s, "0123456789.");
        dep_u128 m;
        unsigned scale;
        char err[DEP_UNIT_ERR_CAP];
        if (k == 0 || dep_parse_plain(s, k, &m, &scale, err) || !valid_denom(s + k))
            dep_errors_add(c->errs, "target.gas_price",
                           "\"%s\" must be an amount and a denom like \"0.025uatom\"", s);
    }
    t->supported = false;
}

static void parse_contracts(parse_ctx *c, const json_t *doc) {
    json_t *v = required(c, doc, "", "contracts");
    if (!v) return;
    if (!object_with(c, v, "contracts", CONTRACT_NAMES)) return;
    for (int i = 0; i < DEP_CONTRACT_COUNT; i++) {
        json_t *s = json_object_get(v, CONTRACT_NAMES[i]);
        if (!s) {
            if (i != DEP_CONTRACT_CW20_BASE) required(c, v, "contracts", CONTRACT_NAMES[i]);
            continue;
        }
        char p[DEP_PATH_CAP];
        dep_path_field(p, "contracts", CONTRACT_NAMES[i]);
        char *path = get_string(c, v, "contracts", CONTRACT_NAMES[i], "build/contracts/x.wasm");
        if (!path) continue;
        size_t n = strlen(path);
        if (n < 6 || strcmp(path + n - 5, ".wasm")) {
            dep_errors_add(c->errs, p, "\"%s\" must be a path to a .wasm file", path);
            free(path);
            continue;
        }
        c->m->sources[i] = path;
    }
}

static void parse_stable_token(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"name", "symbol", "decimals", NULL};
    dep_stable_token *s = &c->m->stable_token;
    json_t *v = required(c, doc, "", "stable_token");
    if (!v || !object_with(c, v, "stable_token", FIELDS)) return;
    s->name = get_string(c, v, "stable_token", "name", "Ballast USD");
    s->symbol = get_string(c, v, "stable_token", "symbol", "BUSD");
    unsigned long long d;
    if (get_uint(c, v, "stable_token", "decimals", 0, DEP_MAX_DECIMALS, &d)) {
        s->decimals = (unsigned)d;
        c->stable_decimals_ok = true;
    }
}

/* cw20-base's name and symbol rules (contracts/stable_token/SPEC.md §3). */
static void check_cw20_metadata(parse_ctx *c, const char *path, const char *name,
                                const char *symbol) {
    char p[DEP_PATH_CAP];
    if (name && (strlen(name) < 3 || strlen(name) > 50)) {
        dep_path_field(p, path, "name");
        dep_errors_add(c->errs, p, "\"%s\" must be 3 to 50 bytes long", name);
    }
    if (symbol && (strlen(symbol) < 3 || strlen(symbol) > 12 || !chars_in(symbol, "-", 1, 1, 0))) {
        dep_path_field(p, path, "symbol");
        dep_errors_add(c->errs, p, "\"%s\" must match [a-zA-Z-]{3,12}", symbol);
    }
}

static void parse_oracle(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"feeders", "quorum", "max_age", "max_move",
                                         "delay",   "assets", NULL};
    static const char *const ASSET_FIELDS[] = {"denom", "source", NULL};
    static const char *const SOURCES[] = {"feeders", "chain", NULL};
    dep_oracle *o = &c->m->oracle;
    json_t *v = required(c, doc, "", "oracle");
    if (!v || !object_with(c, v, "oracle", FIELDS)) return;
    json_t *feeders = get_array(c, v, "oracle", "feeders");
    if (feeders) {
        o->feeder_count = json_array_size(feeders);
        o->feeders = xrealloc(NULL, o->feeder_count * sizeof *o->feeders);
        for (size_t i = 0; i < o->feeder_count; i++) {
            /* Array elements go through a one-field wrapper so they share get_address. */
            char p[DEP_PATH_CAP];
            dep_path_index(p, "oracle.feeders", i);
            json_t *wrap = json_pack("{sO}", p, json_array_get(feeders, i));
            get_address(c, wrap, "", p, false, &o->feeders[i]);
            json_decref(wrap);
        }
    }
    unsigned long long q;
    if (get_uint(c, v, "oracle", "quorum", 1, 1000, &q)) o->quorum = (uint32_t)q;
    get_duration(c, v, "oracle", "max_age", 1, DEP_SECONDS_PER_YEAR, "1s", "365d", &o->max_age);
    get_decimal(c, v, "oracle", "max_move", FORM_PERCENT, &o->max_move);
    dec_range(c, "oracle", "max_move", &o->max_move, ABOVE(0, "0%"), NO_BOUND);
    get_duration(c, v, "oracle", "delay", 0, DEP_SECONDS_PER_YEAR, "0s", "365d", &o->delay);
    json_t *assets = get_array(c, v, "oracle", "assets");
    if (!assets) return;
    o->asset_count = json_array_size(assets);
    o->assets = xrealloc(NULL, o->asset_count * sizeof *o->assets);
    memset(o->assets, 0, o->asset_count * sizeof *o->assets);
    for (size_t i = 0; i < o->asset_count; i++) {
        char p[DEP_PATH_CAP];
        dep_path_index(p, "oracle.assets", i);
        json_t *a = json_array_get(assets, i);
        if (!object_with(c, a, p, ASSET_FIELDS)) continue;
        o->assets[i].denom = get_string(c, a, p, "denom", "uatom");
        if (o->assets[i].denom && !valid_denom(o->assets[i].denom)) {
            char pd[DEP_PATH_CAP];
            dep_path_field(pd, p, "denom");
            dep_errors_add(c->errs, pd, "\"%s\" must match [a-zA-Z][a-zA-Z0-9/:._-]{2,127}",
                           o->assets[i].denom);
        }
        int s = get_choice(c, a, p, "source", SOURCES, "\"feeders\" or \"chain\"");
        o->assets[i].source = s == 1 ? DEP_SOURCE_CHAIN : DEP_SOURCE_FEEDERS;
    }
}

static void parse_engine(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"global_debt_ceiling", "global_auction_debt_limit",
                                         "keeper_tip",          "keeper_fee",
                                         "keeper_reward_cap",   NULL};
    dep_engine *e = &c->m->engine;
    json_t *v = required(c, doc, "", "engine");
    if (!v || !object_with(c, v, "engine", FIELDS)) return;
    get_stable(c, v, "engine", "global_debt_ceiling", &e->global_debt_ceiling);
    get_stable(c, v, "engine", "global_auction_debt_limit", &e->global_auction_debt_limit);
    get_stable(c, v, "engine", "keeper_tip", &e->keeper_tip);
    get_decimal(c, v, "engine", "keeper_fee", FORM_PERCENT, &e->keeper_fee);
    dec_range(c, "engine", "keeper_fee", &e->keeper_fee, NO_BOUND, AT_MOST(PCT(100), "100%"));
    get_stable(c, v, "engine", "keeper_reward_cap", &e->keeper_reward_cap);
}

static void parse_tokens(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"id", "name", "symbol", "decimals", "initial_balances",
                                         NULL};
    static const char *const BALANCE[] = {"address", "amount", NULL};
    json_t *v = json_object_get(doc, "tokens");
    if (!v) return; /* optional */
    if (!json_is_array(v)) {
        dep_errors_add(c->errs, "tokens", "expected an array, got %s", json_kind(v));
        return;
    }
    dep_manifest *m = c->m;
    m->token_count = json_array_size(v);
    m->tokens = xrealloc(NULL, m->token_count * sizeof *m->tokens);
    memset(m->tokens, 0, m->token_count * sizeof *m->tokens);
    for (size_t i = 0; i < m->token_count; i++) {
        dep_token *t = &m->tokens[i];
        char p[DEP_PATH_CAP];
        dep_path_index(p, "tokens", i);
        json_t *o = json_array_get(v, i);
        if (!object_with(c, o, p, FIELDS)) continue;
        t->id = get_string(c, o, p, "id", "wbtc");
        if (t->id && !valid_id(t->id)) {
            char pi[DEP_PATH_CAP];
            dep_path_field(pi, p, "id");
            dep_errors_add(c->errs, pi, "\"%s\" must match [a-z0-9_-]{1,32}", t->id);
        }
        t->name = get_string(c, o, p, "name", "Wrapped Bitcoin");
        t->symbol = get_string(c, o, p, "symbol", "WBTC");
        check_cw20_metadata(c, p, t->name, t->symbol);
        unsigned long long d = 0;
        bool dok = get_uint(c, o, p, "decimals", 0, DEP_MAX_DECIMALS, &d);
        t->decimals = (unsigned)d;
        char pb[DEP_PATH_CAP];
        dep_path_field(pb, p, "initial_balances");
        json_t *bal = get_array(c, o, p, "initial_balances");
        if (!bal) continue;
        t->balance_count = json_array_size(bal);
        t->initial_balances = xrealloc(NULL, t->balance_count * sizeof *t->initial_balances);
        memset(t->initial_balances, 0, t->balance_count * sizeof *t->initial_balances);
        for (size_t k = 0; k < t->balance_count; k++) {
            char pk[DEP_PATH_CAP];
            dep_path_index(pk, pb, k);
            json_t *b = json_array_get(bal, k);
            if (!object_with(c, b, pk, BALANCE)) continue;
            get_address(c, b, pk, "address", false, &t->initial_balances[k].address);
            get_amount(c, b, pk, "amount", t->decimals, dok, &t->initial_balances[k].amount);
        }
    }
}

static void parse_collateral(parse_ctx *c, const json_t *o, const char *p, dep_collateral *col) {
    static const char *const FIELDS[] = {"asset",
                                         "kind",
                                         "decimals",
                                         "oracle_denom",
                                         "max_ltv",
                                         "liquidation_threshold",
                                         "liquidation_penalty",
                                         "supply_cap",
                                         NULL};
    static const char *const KINDS[] = {"native", "cw20", NULL};
    col->token = -1;
    if (!object_with(c, o, p, FIELDS)) return;
    int kind = get_choice(c, o, p, "kind", KINDS, "\"native\" or \"cw20\"");
    col->kind = kind == 1 ? DEP_KIND_CW20 : DEP_KIND_NATIVE;
    char pa[DEP_PATH_CAP];
    dep_path_field(pa, p, "asset");
    if (kind == DEP_KIND_CW20) {
        json_t *a = json_object_get(o, "asset");
        if (a && json_is_string(a) && strncmp(json_string_value(a), "token:", 6) == 0) {
            col->asset = xstrdup(json_string_value(a));
            for (size_t i = 0; i < c->m->token_count; i++)
                if (c->m->tokens[i].id && strcmp(c->m->tokens[i].id, col->asset + 6) == 0)
                    col->token = (int)i;
            if (col->token < 0)
                dep_errors_add(c->errs, pa, "\"%s\" names no entry of tokens", col->asset);
        } else {
            dep_address addr;
            get_address(c, o, p, "asset", true, &addr);
            col->asset = addr.text;
            free(addr.address);
        }
    } else {
        col->asset = get_string(c, o, p, "asset", "uatom");
        if (col->asset && kind == DEP_KIND_NATIVE && !valid_denom(col->asset))
            dep_errors_add(c->errs, pa,
                           "\"%s\" must be a native denom [a-zA-Z][a-zA-Z0-9/:._-]{2,127}",
                           col->asset);
    }
    unsigned long long d = 0;
    bool dok = get_uint(c, o, p, "decimals", 0, DEP_MAX_DECIMALS, &d);
    col->decimals = (unsigned)d;
    col->oracle_denom = get_string(c, o, p, "oracle_denom", "uatom");
    get_decimal(c, o, p, "max_ltv", FORM_PERCENT, &col->max_ltv);
    dec_range(c, p, "max_ltv", &col->max_ltv, ABOVE(0, "0%"), BELOW(PCT(100), "100%"));
    get_decimal(c, o, p, "liquidation_threshold", FORM_PERCENT, &col->liquidation_threshold);
    dec_range(c, p, "liquidation_threshold", &col->liquidation_threshold, ABOVE(0, "0%"),
              BELOW(PCT(100), "100%"));
    get_decimal(c, o, p, "liquidation_penalty", FORM_PERCENT, &col->liquidation_penalty);
    dec_range(c, p, "liquidation_penalty", &col->liquidation_penalty, NO_BOUND,
              AT_MOST(PCT(50), "50%"));
    get_amount(c, o, p, "supply_cap", col->decimals, dok, &col->supply_cap);
}

static void parse_auction(parse_ctx *c, const json_t *o, const char *p, dep_auction *a) {
    static const char *const FIELDS[] = {
        "curve", "start_buffer", "max_duration", "reset_threshold", "dust", "backstop_health",
        NULL};
    static const char *const LINEAR[] = {"kind", "duration", NULL};
    static const char *const EXPONENTIAL[] = {"kind", "step", "cut", NULL};
    static const char *const CURVES[] = {"linear", "exponential", NULL};
    if (!object_with(c, o, p, FIELDS)) return;
    char pc[DEP_PATH_CAP];
    dep_path_field(pc, p, "curve");
    json_t *curve = required(c, o, p, "curve");
    if (curve && !json_is_object(curve)) {
        dep_errors_add(c->errs, pc, "expected an object, got %s", json_kind(curve));
    } else if (curve) {
        int kind = get_choice(c, curve, pc, "kind", CURVES, "\"linear\" or \"exponential\"");
        if (kind == DEP_CURVE_LINEAR) {
            a->curve = DEP_CURVE_LINEAR;
            (void)object_with(c, curve, pc, LINEAR);
            get_duration(c, curve, pc, "duration", 1, UINT64_MAX, "1s", "", &a->duration);
        } else if (kind == DEP_CURVE_EXPONENTIAL) {
            a->curve = DEP_CURVE_EXPONENTIAL;
            (void)object_with(c, curve, pc, EXPONENTIAL);
            get_duration(c, curve, pc, "step", 1, UINT64_MAX, "1s", "", &a->step);
            get_decimal(c, curve, pc, "cut", FORM_PERCENT, &a->cut);
            dec_range(c, pc, "cut", &a->cut, ABOVE(0, "0%"), BELOW(PCT(100), "100%"));
        }
    }
    get_decimal(c, o, p, "start_buffer", FORM_PERCENT, &a->start_buffer);
    dec_range(c, p, "start_buffer", &a->start_buffer, AT_LEAST(PCT(100), "100%"),
              AT_MOST(PCT(1000), "1000%"));
    get_duration(c, o, p, "max_duration", 1, UINT64_MAX, "1s", "", &a->max_duration);
    get_decimal(c, o, p, "reset_threshold", FORM_PERCENT, &a->reset_threshold);
    dec_range(c, p, "reset_threshold", &a->reset_threshold, ABOVE(0, "0%"),
              BELOW(PCT(100), "100%"));
    get_stable(c, o, p, "dust", &a->dust);
    get_decimal(c, o, p, "backstop_health", FORM_RATIO, &a->backstop_health);
    dec_range(c, p, "backstop_health", &a->backstop_health, NO_BOUND,
              AT_MOST(DEP_DECIMAL_SCALE, "1"));
}

static void parse_markets(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"id",
                                         "stability_fee",
                                         "debt_ceiling",
                                         "min_debt",
                                         "auction_debt_limit",
                                         "collaterals",
                                         "auction",
                                         NULL};
    dep_manifest *m = c->m;
    json_t *v = get_array(c, doc, "", "markets");
    if (!v) return;
    m->market_count = json_array_size(v);
    if (m->market_count == 0) dep_errors_add(c->errs, "markets", "must list at least one market");
    m->markets = xrealloc(NULL, m->market_count * sizeof *m->markets);
    memset(m->markets, 0, m->market_count * sizeof *m->markets);
    for (size_t i = 0; i < m->market_count; i++) {
        dep_market *mk = &m->markets[i];
        char p[DEP_PATH_CAP];
        dep_path_index(p, "markets", i);
        json_t *o = json_array_get(v, i);
        if (!object_with(c, o, p, FIELDS)) continue;
        mk->id = get_string(c, o, p, "id", "atom");
        if (mk->id && !valid_id(mk->id)) {
            char pi[DEP_PATH_CAP];
            dep_path_field(pi, p, "id");
            dep_errors_add(c->errs, pi, "\"%s\" must match [a-z0-9_-]{1,32}", mk->id);
        }
        get_decimal(c, o, p, "stability_fee", FORM_ANNUAL, &mk->stability_fee);
        dec_range(c, p, "stability_fee", &mk->stability_fee, NO_BOUND,
                  AT_MOST(PCT(100), "100%/yr"));
        get_stable(c, o, p, "debt_ceiling", &mk->debt_ceiling);
        get_stable(c, o, p, "min_debt", &mk->min_debt);
        get_stable(c, o, p, "auction_debt_limit", &mk->auction_debt_limit);
        char pc[DEP_PATH_CAP];
        dep_path_field(pc, p, "collaterals");
        json_t *cols = get_array(c, o, p, "collaterals");
        if (cols) {
            mk->collateral_count = json_array_size(cols);
            if (mk->collateral_count < 1 || mk->collateral_count > DEP_MAX_COLLATERALS)
                dep_errors_add(c->errs, pc, "%zu collaterals, must be 1 to %d",
                               mk->collateral_count, DEP_MAX_COLLATERALS);
            mk->collaterals = xrealloc(NULL, mk->collateral_count * sizeof *mk->collaterals);
            memset(mk->collaterals, 0, mk->collateral_count * sizeof *mk->collaterals);
            for (size_t k = 0; k < mk->collateral_count; k++) {
                char pk[DEP_PATH_CAP];
                dep_path_index(pk, pc, k);
                parse_collateral(c, json_array_get(cols, k), pk, &mk->collaterals[k]);
            }
        }
        char pa[DEP_PATH_CAP];
        dep_path_field(pa, p, "auction");
        json_t *auction = required(c, o, p, "auction");
        if (auction) parse_auction(c, auction, pa, &mk->auction);
    }
}

static void parse_liquidator(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"circuit_breaker", NULL};
    static const char *const LEVELS[] = {"none", "stop_auctions", "stop_redo", "stop_take", NULL};
    json_t *v = required(c, doc, "", "liquidator");
    if (!v || !object_with(c, v, "liquidator", FIELDS)) return;
    int level = get_choice(c, v, "liquidator", "circuit_breaker", LEVELS,
                           "\"none\", \"stop_auctions\", \"stop_redo\" or \"stop_take\"");
    c->m->circuit_breaker = level < 0 ? DEP_BREAKER_NONE : (dep_breaker)level;
}

static void parse_backstop_pool(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"enabled", NULL};
    json_t *v = required(c, doc, "", "backstop_pool");
    if (!v || !object_with(c, v, "backstop_pool", FIELDS)) return;
    (void)get_bool(c, v, "backstop_pool", "enabled", &c->m->backstop_pool_enabled);
}

/* A role that may be null (no such role). */
static void get_optional_role(parse_ctx *c, const json_t *obj, const char *path, const char *name,
                              dep_address *out) {
    json_t *v = json_object_get(obj, name);
    if (v && json_is_null(v)) {
        *out = (dep_address){NULL, NULL, false, true};
        return;
    }
    get_address(c, obj, path, name, false, out);
}

static void parse_emergency_actions(parse_ctx *c, const json_t *v, dep_governance *g) {
    json_t *list = json_object_get(v, "emergency_actions");
    if (!list || json_is_null(list)) return; /* optional: the contract's default */
    const char *path = "governance.emergency_actions";
    if (!json_is_array(list)) {
        dep_errors_add(c->errs, path, "expected an array or null, got %s", json_kind(list));
        return;
    }
    g->emergency_actions_set = true;
    g->emergency_action_count = json_array_size(list);
    if (g->emergency_action_count > 16)
        dep_errors_add(c->errs, path, "%zu actions, at most 16", g->emergency_action_count);
    g->emergency_actions = xrealloc(NULL, g->emergency_action_count * sizeof(char *));
    for (size_t i = 0; i < g->emergency_action_count; i++) {
        char p[DEP_PATH_CAP];
        dep_path_index(p, path, i);
        json_t *a = json_array_get(list, i);
        g->emergency_actions[i] = NULL;
        if (!json_is_string(a)) {
            dep_errors_add(c->errs, p, "expected a string like \"shutdown\", got %s", json_kind(a));
            continue;
        }
        const char *s = json_string_value(a);
        g->emergency_actions[i] = xstrdup(s);
        if (!s[0] || strlen(s) > 64 || !chars_in(s, "_", true, false, true)) {
            dep_errors_add(c->errs, p, "\"%s\" must match [a-z0-9_]{1,64}", s);
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (g->emergency_actions[j] && strcmp(g->emergency_actions[j], s) == 0) {
                char q[DEP_PATH_CAP];
                dep_path_index(q, path, j);
                dep_errors_add(c->errs, p, "\"%s\" is a duplicate of %s", s, q);
                break;
            }
    }
}

static void parse_governance(parse_ctx *c, const json_t *doc) {
    static const char *const FIELDS[] = {"proposer",          "guardian",  "emergency",
                                         "min_delay",         "max_delay", "grace_period",
                                         "emergency_actions", NULL};
    dep_governance *g = &c->m->governance;
    json_t *v = required(c, doc, "", "governance");
    if (!v || !object_with(c, v, "governance", FIELDS)) return;
    get_address(c, v, "governance", "proposer", false, &g->proposer);
    get_optional_role(c, v, "governance", "guardian", &g->guardian);
    get_optional_role(c, v, "governance", "emergency", &g->emergency);
    get_duration(c, v, "governance", "min_delay", 0, DEP_SECONDS_PER_YEAR, "0s", "365d",
                 &g->min_delay);
    get_duration(c, v, "governance", "max_delay", 0, DEP_SECONDS_PER_YEAR, "0s", "365d",
                 &g->max_delay);
    get_duration(c, v, "governance", "grace_period", 1, DEP_SECONDS_PER_YEAR, "1s", "365d",
                 &g->grace_period);
    parse_emergency_actions(c, v, g);
}

static void parse_header(parse_ctx *c, const json_t *doc) {
    dep_manifest *m = c->m;
    unsigned long long ver;
    if (get_uint(c, doc, "", "manifest_version", 0, 1000000, &ver)) {
        m->version = (unsigned)ver;
        if (ver != DEP_MANIFEST_VERSION)
            dep_errors_add(c->errs, "manifest_version", "%llu is not supported (expected %d)", ver,
                           DEP_MANIFEST_VERSION);
    }
    m->chain_id = get_string(c, doc, "", "chain_id", "ballast-local-1");
    if (m->chain_id &&
        (!m->chain_id[0] || strlen(m->chain_id) > 50 || !chars_in(m->chain_id, "._-", 1, 1, 1)))
        dep_errors_add(c->errs, "chain_id", "\"%s\" must match [a-zA-Z0-9._-]{1,50}", m->chain_id);
    m->address_prefix = get_string(c, doc, "", "address_prefix", "wasm");
    if (m->address_prefix) {
        size_t n = strlen(m->address_prefix);
        if (n < 1 || n > 20 || m->address_prefix[0] < 'a' || m->address_prefix[0] > 'z' ||
            !chars_in(m->address_prefix, "", 1, 0, 1))
            dep_errors_add(c->errs, "address_prefix", "\"%s\" must match [a-z][a-z0-9]{0,19}",
                           m->address_prefix);
        else
            c->prefix_ok = true;
    }
}

/* --- Entry points ---------------------------------------------------------------------------- */

static const char *const TOP_FIELDS[] = {
    "manifest_version", "chain_id", "target", "address_prefix", "contracts",  "stable_token",
    "oracle",           "engine",   "tokens", "markets",        "liquidator", "backstop_pool",
    "governance",       NULL};

dep_manifest *dep_manifest_parse(const char *text, size_t len, dep_errors *errs) {
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        dep_errors_add(errs, "(document)", "invalid JSON at line %d, column %d: %s", jerr.line,
                       jerr.column, jerr.text);
        return NULL;
    }
    size_t before = errs->count;
    dep_manifest *m = xrealloc(NULL, sizeof *m);
    memset(m, 0, sizeof *m);
    m->backstop_pool_enabled = true; /* until read: no rule cascades from a bad value */
    parse_ctx c = {errs, m, false, false};
    if (object_with(&c, doc, "", TOP_FIELDS)) {
        parse_header(&c, doc);
        parse_target(&c, doc);
        parse_contracts(&c, doc);
        parse_stable_token(&c, doc);
        if (m->stable_token.name || m->stable_token.symbol)
            check_cw20_metadata(&c, "stable_token", m->stable_token.name, m->stable_token.symbol);
        parse_oracle(&c, doc);
        parse_engine(&c, doc);
        parse_tokens(&c, doc);
        parse_markets(&c, doc);
        parse_liquidator(&c, doc);
        parse_backstop_pool(&c, doc);
        parse_governance(&c, doc);
        dep_manifest_check_rules(m, errs);
        dep_manifest_hash(doc, m);
    }
    json_decref(doc);
    if (errs->count > before) {
        dep_manifest_free(m);
        return NULL;
    }
    return m;
}

dep_manifest *dep_manifest_load(const char *path, dep_errors *errs) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        dep_errors_add(errs, path, "cannot open the manifest");
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len + 65536 > cap) buf = xrealloc(buf, cap = (len + 65536) * 2);
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    bool failed = ferror(f);
    fclose(f);
    dep_manifest *m = NULL;
    if (failed)
        dep_errors_add(errs, path, "cannot read the manifest");
    else
        m = dep_manifest_parse(buf, len, errs);
    free(buf);
    return m;
}

static void free_address(dep_address *a) {
    free(a->text);
    free(a->address);
}

void dep_manifest_free(dep_manifest *m) {
    if (!m) return;
    free(m->chain_id);
    free(m->target.state_dir);
    free(m->target.rpc);
    free(m->target.grpc);
    free(m->target.gas_price);
    free(m->address_prefix);
    for (int i = 0; i < DEP_CONTRACT_COUNT; i++) free(m->sources[i]);
    free(m->stable_token.name);
    free(m->stable_token.symbol);
    dep_oracle *o = &m->oracle;
    for (size_t i = 0; i < o->feeder_count; i++) free_address(&o->feeders[i]);
    free(o->feeders);
    free(o->max_age.text);
    free(o->delay.text);
    free(o->max_move.text);
    for (size_t i = 0; i < o->asset_count; i++) free(o->assets[i].denom);
    free(o->assets);
    dep_engine *e = &m->engine;
    free(e->global_debt_ceiling.text);
    free(e->global_auction_debt_limit.text);
    free(e->keeper_tip.text);
    free(e->keeper_reward_cap.text);
    free(e->keeper_fee.text);
    for (size_t i = 0; i < m->token_count; i++) {
        dep_token *t = &m->tokens[i];
        free(t->id);
        free(t->name);
        free(t->symbol);
        for (size_t k = 0; k < t->balance_count; k++) {
            free_address(&t->initial_balances[k].address);
            free(t->initial_balances[k].amount.text);
        }
        free(t->initial_balances);
    }
    free(m->tokens);
    for (size_t i = 0; i < m->market_count; i++) {
        dep_market *mk = &m->markets[i];
        free(mk->id);
        free(mk->stability_fee.text);
        free(mk->debt_ceiling.text);
        free(mk->min_debt.text);
        free(mk->auction_debt_limit.text);
        for (size_t k = 0; k < mk->collateral_count; k++) {
            dep_collateral *col = &mk->collaterals[k];
            free(col->asset);
            free(col->oracle_denom);
            free(col->max_ltv.text);
            free(col->liquidation_threshold.text);
            free(col->liquidation_penalty.text);
            free(col->supply_cap.text);
        }
        free(mk->collaterals);
        dep_auction *a = &mk->auction;
        free(a->duration.text);
        free(a->step.text);
        free(a->cut.text);
        free(a->start_buffer.text);
        free(a->max_duration.text);
        free(a->reset_threshold.text);
        free(a->dust.text);
        free(a->backstop_health.text);
    }
    free(m->markets);
    dep_governance *g = &m->governance;
    free_address(&g->proposer);
    free_address(&g->guardian);
    free_address(&g->emergency);
    free(g->min_delay.text);
    free(g->max_delay.text);
    free(g->grace_period.text);
    for (size_t i = 0; i < g->emergency_action_count; i++) free(g->emergency_actions[i]);
    free(g->emergency_actions);
    free(m->canonical);
    free(m);
}

const dep_market *dep_manifest_market(const dep_manifest *m, const char *id) {
    for (size_t i = 0; i < m->market_count; i++)
        if (m->markets[i].id && strcmp(m->markets[i].id, id) == 0) return &m->markets[i];
    return NULL;
}

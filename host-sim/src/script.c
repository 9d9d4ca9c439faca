/* script.c — `host-sim run SCRIPT.jsonl`: runs a transaction script (one JSON
 * step per line, ARCHITECTURE.md §3) against the chain's C API (hostsim.h),
 * prints one result line per step, checks `expect` / `expect_error`, and keeps
 * a gas table per contract and message kind.
 *
 * Flow per line: parse (jansson) → check the op's keys → substitute "${alias}"
 * strings → resolve names (aliases bound with `as`, other names through
 * hs_address) → call the chain → result line on stdout → expectations. The
 * first failing line stops the run with exit 1. */
#include "script.h"

#include "hostsim.h"
#include "hs_keeper.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ADDR_CAP 128
#define WHY_CAP 1024

/* --- Aliases: names bound with `as`
 * ----------------------------------------------------------- */

typedef struct alias {
    char *name;
    bool is_code; /* true: a code id; false: a contract address */
    uint64_t code_id;
    char *address;
} alias;

/* --- Gas statistics: one row per (contract, op, message kind)
 * ------------------------------- */

typedef struct gas_row {
    char *contract;
    char *op;
    char *kind;
    uint64_t calls, min, max;
    double sum;
} gas_row;

typedef struct runner {
    hs_chain *chain;
    const hs_script_options *opts;
    FILE *out, *err;
    size_t line_no;
    alias *aliases;
    size_t n_aliases, cap_aliases;
    gas_row *gas;
    size_t n_gas, cap_gas;
    hs_keeper **keepers; /* `keeper` ops, in the order they were declared */
    size_t n_keepers, cap_keepers;
} runner;

static char *xstrdup(const char *s) {
    char *d = strdup(s ? s : "");
    if (!d) {
        fprintf(stderr, "host-sim run: out of memory\n");
        exit(1);
    }
    return d;
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return p;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need) nc *= 2;
    void *np = realloc(p, nc * elem);
    if (!np) {
        fprintf(stderr, "host-sim run: out of memory\n");
        exit(1);
    }
    *cap = nc;
    return np;
}

static alias *alias_find(runner *r, const char *name) {
    for (size_t i = 0; i < r->n_aliases; i++)
        if (strcmp(r->aliases[i].name, name) == 0) return &r->aliases[i];
    return NULL;
}

/* Bind name to a code id (address NULL) or a contract address; rebinding
 * replaces. */
static void alias_bind(runner *r, const char *name, uint64_t code_id, const char *address) {
    alias *a = alias_find(r, name);
    if (!a) {
        r->aliases = grow(r->aliases, &r->cap_aliases, r->n_aliases + 1, sizeof *r->aliases);
        a = &r->aliases[r->n_aliases++];
        a->name = xstrdup(name);
    } else {
        free(a->address);
    }
    a->is_code = address == NULL;
    a->code_id = code_id;
    a->address = address ? xstrdup(address) : NULL;
}

/* The address of a name: a contract alias, else hs_address (bech32 as is, or
 * account alias). */
static void resolve_address(runner *r, const char *name, char out[ADDR_CAP]) {
    alias *a = alias_find(r, name);
    if (a && !a->is_code) {
        snprintf(out, ADDR_CAP, "%s", a->address);
        return;
    }
    hs_address(r->chain, name, out, ADDR_CAP);
}

/* The label of an address in the gas report: its alias, else the address
 * itself. */
static const char *address_label(runner *r, const char *address) {
    for (size_t i = 0; i < r->n_aliases; i++)
        if (!r->aliases[i].is_code && strcmp(r->aliases[i].address, address) == 0)
            return r->aliases[i].name;
    return address;
}

static void gas_add(runner *r, const char *contract, const char *op, const char *kind,
                    uint64_t gas) {
    gas_row *row = NULL;
    for (size_t i = 0; i < r->n_gas; i++)
        if (strcmp(r->gas[i].contract, contract) == 0 && strcmp(r->gas[i].op, op) == 0 &&
            strcmp(r->gas[i].kind, kind) == 0) {
            row = &r->gas[i];
            break;
        }
    if (!row) {
        r->gas = grow(r->gas, &r->cap_gas, r->n_gas + 1, sizeof *r->gas);
        row = &r->gas[r->n_gas++];
        *row = (gas_row){xstrdup(contract), xstrdup(op), xstrdup(kind), 0, UINT64_MAX, 0, 0};
    }
    row->calls++;
    if (gas < row->min) row->min = gas;
    if (gas > row->max) row->max = gas;
    row->sum += (double)gas;
}

static void gas_report(runner *r) {
    FILE *f = r->err;
    fprintf(f, "\ngas report (CosmWasm gas units; SDK gas = CosmWasm gas / %u)\n",
            HS_GAS_MULTIPLIER);
    fprintf(f, "%-24s %-12s %-24s %6s %14s %14s %14s %10s\n", "contract", "op", "msg", "calls",
            "min", "avg", "max", "avg SDK");
    for (size_t i = 0; i < r->n_gas; i++) {
        gas_row *g = &r->gas[i];
        double avg = g->sum / (double)g->calls;
        fprintf(f, "%-24s %-12s %-24s %6" PRIu64 " %14" PRIu64 " %14.0f %14" PRIu64 " %10.1f\n",
                g->contract, g->op, g->kind, g->calls, g->min, avg, g->max,
                avg / (double)HS_GAS_MULTIPLIER);
    }
    if (r->n_gas == 0) fprintf(f, "(no contract calls)\n");
}

/* --- JSON subset
 * ----------------------------------------------------------------------------
 */

static void path_join(char *dst, size_t cap, const char *base, const char *key) {
    if (!base || !*base)
        snprintf(dst, cap, "%s", key);
    else if (key[0] == '[')
        snprintf(dst, cap, "%s%s", base, key);
    else
        snprintf(dst, cap, "%s.%s", base, key);
}

static bool subset_at(const json_t *want, const json_t *have, const char *path, char *why,
                      size_t why_len) {
    if (json_is_object(want)) {
        if (!json_is_object(have)) {
            char *h = json_dumps(have, JSON_COMPACT | JSON_ENCODE_ANY);
            if (why)
                snprintf(why, why_len, "%s: expected an object, got %s", *path ? path : "(top)",
                         h ? h : "?");
            free(h);
            return false;
        }
        const char *key;
        json_t *w;
        json_object_foreach((json_t *)want, key, w) {
            char sub[512];
            path_join(sub, sizeof sub, path, key);
            json_t *h = json_object_get(have, key);
            if (!h) {
                if (why) snprintf(why, why_len, "%s: missing", sub);
                return false;
            }
            if (!subset_at(w, h, sub, why, why_len)) return false;
        }
        return true;
    }
    if (json_equal((json_t *)want, (json_t *)have)) return true;
    if (why) {
        char *w = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
        char *h = json_dumps(have, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(why, why_len, "%s: expected %s, got %s", *path ? path : "(top)", w ? w : "?",
                 h ? h : "?");
        free(w);
        free(h);
    }
    return false;
}

bool hs_json_subset(const json_t *want, const json_t *have, char *why, size_t why_len) {
    if (why && why_len) why[0] = '\0';
    return subset_at(want, have, "", why, why_len);
}

/* --- Step checking helpers
 * -------------------------------------------------------------------- */

typedef struct step_error {
    char msg[WHY_CAP];
} step_error;

static int fail(step_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(step_error *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* Keys allowed on every step besides the op's own. */
static const char *const common_keys[] = {"op", "expect", "expect_error", "comment", NULL};

static bool in_list(const char *const *list, const char *key) {
    for (; *list; list++)
        if (strcmp(*list, key) == 0) return true;
    return false;
}

static int check_keys(json_t *step, const char *const *allowed, step_error *e) {
    const char *key;
    json_t *v;
    json_object_foreach(step, key, v) {
        if (!in_list(common_keys, key) && !in_list(allowed, key))
            return fail(e, "unknown key \"%s\" for this op", key);
    }
    return 0;
}

static int get_string(json_t *step, const char *key, bool required, const char **out,
                      step_error *e) {
    json_t *v = json_object_get(step, key);
    *out = NULL;
    if (!v) return required ? fail(e, "missing \"%s\"", key) : 0;
    if (!json_is_string(v)) return fail(e, "\"%s\" must be a string", key);
    *out = json_string_value(v);
    return 0;
}

static int get_u64(json_t *step, const char *key, uint64_t dflt, uint64_t *out, step_error *e) {
    json_t *v = json_object_get(step, key);
    *out = dflt;
    if (!v) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return fail(e, "\"%s\" must be a non-negative integer", key);
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

/* A code: a number, a string of digits, or an alias bound to a code id. */
static int get_code(runner *r, json_t *step, const char *key, uint64_t *out, step_error *e) {
    json_t *v = json_object_get(step, key);
    if (!v) return fail(e, "missing \"%s\"", key);
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = (uint64_t)json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v)) return fail(e, "\"%s\" must be a code id or a code alias", key);
    const char *s = json_string_value(v);
    alias *a = alias_find(r, s);
    if (a && a->is_code) {
        *out = a->code_id;
        return 0;
    }
    if (a) return fail(e, "\"%s\": \"%s\" names a contract, not a code", key, s);
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (*s && *end == '\0' && errno == 0 && n > 0) {
        *out = n;
        return 0;
    }
    return fail(e, "\"%s\": unknown code alias \"%s\"", key, s);
}

/* A message: any JSON value, serialised compactly (malloc'd). Missing: "{}". */
static int get_msg(json_t *step, char **out, step_error *e) {
    json_t *v = json_object_get(step, "msg");
    *out = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup("{}");
    if (!*out) return fail(e, "\"msg\" cannot be serialised");
    return 0;
}

/* The top-level variant name of a message, for the gas report. */
static const char *msg_kind(json_t *step) {
    json_t *v = json_object_get(step, "msg");
    if (json_is_object(v) && json_object_size(v) > 0)
        return json_object_iter_key(json_object_iter(v));
    if (json_is_string(v)) return json_string_value(v);
    return "-";
}

typedef struct coins {
    hs_coin *items;
    char (*amounts)[48];
    size_t n;
} coins;

static void coins_free(coins *c) {
    free(c->items);
    free(c->amounts);
    *c = (coins){0};
}

/* Coins: [{"denom":"…","amount":"…"|N},…], or one such object. */
static int get_coins(json_t *step, const char *key, bool required, coins *c, step_error *e) {
    *c = (coins){0};
    json_t *v = json_object_get(step, key);
    if (!v) return required ? fail(e, "missing \"%s\"", key) : 0;
    json_t *one = NULL;
    if (json_is_object(v)) {
        one = json_array();
        json_array_append(one, v);
        v = one;
    }
    if (!json_is_array(v)) return fail(e, "\"%s\" must be a list of coins", key);
    size_t n = json_array_size(v);
    c->items = calloc(n ? n : 1, sizeof *c->items);
    c->amounts = calloc(n ? n : 1, sizeof *c->amounts);
    if (!c->items || !c->amounts) {
        fprintf(stderr, "host-sim run: out of memory\n");
        exit(1);
    }
    c->n = n;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_t *coin = json_array_get(v, i);
        json_t *denom = json_object_get(coin, "denom"), *amount = json_object_get(coin, "amount");
        if (!json_is_object(coin) || !json_is_string(denom) || !amount)
            rc = fail(e, "\"%s\"[%zu] must be {\"denom\":\"…\",\"amount\":\"…\"}", key, i);
        else if (json_is_string(amount))
            snprintf(c->amounts[i], sizeof c->amounts[i], "%s", json_string_value(amount));
        else if (json_is_integer(amount) && json_integer_value(amount) >= 0)
            snprintf(c->amounts[i], sizeof c->amounts[i], "%" JSON_INTEGER_FORMAT,
                     json_integer_value(amount));
        else
            rc = fail(e, "\"%s\"[%zu].amount must be a decimal string", key, i);
        if (rc == 0) {
            c->items[i].denom = json_string_value(denom);
            c->items[i].amount = c->amounts[i];
        }
    }
    json_decref(one); /* the coin objects stay owned by the step */
    if (rc) coins_free(c);
    return rc;
}

/* Replace "${name}" inside every string of v (in place) by the alias's address
 * or code id, or the account address of the name. */
static int substitute(runner *r, json_t *v, step_error *e) {
    if (json_is_object(v)) {
        const char *key;
        json_t *child;
        json_object_foreach(v, key, child) {
            if (substitute(r, child, e)) return -1;
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            if (substitute(r, json_array_get(v, i), e)) return -1;
    } else if (json_is_string(v) && strstr(json_string_value(v), "${")) {
        const char *s = json_string_value(v);
        size_t cap = strlen(s) * 2 + 256, len = 0;
        char *buf = malloc(cap);
        if (!buf) exit(1);
        while (*s) {
            const char *open = strstr(s, "${");
            const char *close = open ? strchr(open, '}') : NULL;
            if (!open || !close) {
                size_t n = strlen(s);
                buf = grow(buf, &cap, len + n + 1, 1);
                memcpy(buf + len, s, n);
                len += n;
                break;
            }
            char name[256], value[ADDR_CAP];
            size_t nl = (size_t)(close - open - 2);
            if (nl == 0 || nl >= sizeof name) {
                free(buf);
                return fail(e, "bad \"${…}\" reference in \"%s\"", json_string_value(v));
            }
            memcpy(name, open + 2, nl);
            name[nl] = '\0';
            alias *a = alias_find(r, name);
            if (a && a->is_code)
                snprintf(value, sizeof value, "%" PRIu64, a->code_id);
            else
                resolve_address(r, name, value);
            size_t pre = (size_t)(open - s), vl = strlen(value);
            buf = grow(buf, &cap, len + pre + vl + 1, 1);
            memcpy(buf + len, s, pre);
            len += pre;
            memcpy(buf + len, value, vl);
            len += vl;
            s = close + 1;
        }
        buf[len] = '\0';
        json_string_set(v, buf);
        free(buf);
    }
    return 0;
}

/* Parse a JSON string the chain returned; on failure keep it as a JSON string.
 */
static json_t *decode_or_string(const char *s) {
    if (!s) return json_null();
    json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
    return v ? v : json_string(s);
}

/* The `ok` object of a transaction that ran a contract. */
static json_t *tx_ok(const hs_result *res, bool with_address) {
    json_t *ok = json_object();
    if (with_address)
        json_object_set_new(ok, "address", json_string(res->address ? res->address : ""));
    json_object_set_new(ok, "data", res->data ? json_string(res->data) : json_null());
    json_object_set_new(ok, "events", res->events ? decode_or_string(res->events) : json_array());
    json_object_set_new(ok, "response", decode_or_string(res->response));
    return ok;
}

/* --- Ops
 * ------------------------------------------------------------------------------------
 */

/* What one op produced: ok (owned) or error text, and gas when it applies. */
typedef struct outcome {
    json_t *ok;
    char *error;
    bool has_gas;
    uint64_t gas;
} outcome;

static void outcome_from(outcome *o, hs_result *res, json_t *ok_if_ok) {
    o->has_gas = true;
    o->gas = res->gas_used;
    if (res->ok) {
        o->ok = ok_if_ok;
    } else {
        json_decref(ok_if_ok);
        o->error = xstrdup(res->error ? res->error : "unknown error");
    }
}

static uint8_t *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (n == cap) buf = grow(buf, &cap, cap * 2, 1);
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int op_store(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"wasm", "sender", "as", NULL};
    const char *wasm, *sender, *as;
    if (check_keys(step, keys, e) || get_string(step, "wasm", true, &wasm, e) ||
        get_string(step, "sender", false, &sender, e) || get_string(step, "as", false, &as, e))
        return -1;
    size_t len = 0;
    uint8_t *bytes = read_all(wasm, &len);
    if (!bytes) return fail(e, "cannot read wasm \"%s\": %s", wasm, strerror(errno));
    char addr[ADDR_CAP];
    resolve_address(r, sender ? sender : "creator", addr);
    hs_result res = hs_store_code(r->chain, addr, bytes, len);
    free(bytes);
    json_t *ok = json_object();
    json_object_set_new(ok, "code_id", json_integer((json_int_t)res.code_id));
    json_object_set_new(ok, "checksum", json_string(res.checksum ? res.checksum : ""));
    outcome_from(o, &res, ok);
    if (res.ok && as) alias_bind(r, as, res.code_id, NULL);
    hs_result_free(&res);
    return 0;
}

static int op_instantiate(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"code",  "sender", "msg", "funds",
                                       "label", "admin",  "as",  NULL};
    const char *sender, *label, *admin, *as;
    uint64_t code;
    if (check_keys(step, keys, e) || get_code(r, step, "code", &code, e) ||
        get_string(step, "sender", true, &sender, e) ||
        get_string(step, "label", false, &label, e) ||
        get_string(step, "admin", false, &admin, e) || get_string(step, "as", false, &as, e))
        return -1;
    coins funds;
    char *msg = NULL;
    if (get_coins(step, "funds", false, &funds, e) || get_msg(step, &msg, e)) {
        coins_free(&funds);
        return -1;
    }
    char sender_addr[ADDR_CAP], admin_addr[ADDR_CAP];
    resolve_address(r, sender, sender_addr);
    if (admin) resolve_address(r, admin, admin_addr);
    hs_result res =
        hs_instantiate(r->chain, code, sender_addr, msg, funds.items, funds.n,
                       label ? label : (as ? as : "contract"), admin ? admin_addr : NULL);
    outcome_from(o, &res, tx_ok(&res, true));
    if (res.ok && as && res.address) alias_bind(r, as, 0, res.address);
    char code_label[64];
    snprintf(code_label, sizeof code_label, "code %" PRIu64, code);
    for (size_t i = 0; i < r->n_aliases; i++)
        if (r->aliases[i].is_code && r->aliases[i].code_id == code)
            snprintf(code_label, sizeof code_label, "%s", r->aliases[i].name);
    gas_add(r, as ? as : code_label, "instantiate", "-", res.gas_used);
    hs_result_free(&res);
    free(msg);
    coins_free(&funds);
    return 0;
}

static int op_execute(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"contract", "sender", "msg", "funds", NULL};
    const char *contract, *sender;
    if (check_keys(step, keys, e) || get_string(step, "contract", true, &contract, e) ||
        get_string(step, "sender", true, &sender, e))
        return -1;
    coins funds;
    char *msg = NULL;
    if (get_coins(step, "funds", false, &funds, e) || get_msg(step, &msg, e)) {
        coins_free(&funds);
        return -1;
    }
    char contract_addr[ADDR_CAP], sender_addr[ADDR_CAP];
    resolve_address(r, contract, contract_addr);
    resolve_address(r, sender, sender_addr);
    hs_result res = hs_execute(r->chain, contract_addr, sender_addr, msg, funds.items, funds.n);
    outcome_from(o, &res, tx_ok(&res, false));
    gas_add(r, address_label(r, contract_addr), "execute", msg_kind(step), res.gas_used);
    hs_result_free(&res);
    free(msg);
    coins_free(&funds);
    return 0;
}

static int op_query(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"contract", "msg", NULL};
    const char *contract;
    char *msg = NULL;
    if (check_keys(step, keys, e) || get_string(step, "contract", true, &contract, e) ||
        get_msg(step, &msg, e))
        return -1;
    char contract_addr[ADDR_CAP];
    resolve_address(r, contract, contract_addr);
    hs_result res = hs_query(r->chain, contract_addr, msg);
    outcome_from(o, &res, res.ok ? decode_or_string(res.answer) : NULL);
    gas_add(r, address_label(r, contract_addr), "query", msg_kind(step), res.gas_used);
    hs_result_free(&res);
    free(msg);
    return 0;
}

static int op_migrate(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"contract", "sender", "code", "msg", NULL};
    const char *contract, *sender;
    uint64_t code;
    char *msg = NULL;
    if (check_keys(step, keys, e) || get_string(step, "contract", true, &contract, e) ||
        get_string(step, "sender", true, &sender, e) || get_code(r, step, "code", &code, e) ||
        get_msg(step, &msg, e))
        return -1;
    char contract_addr[ADDR_CAP], sender_addr[ADDR_CAP];
    resolve_address(r, contract, contract_addr);
    resolve_address(r, sender, sender_addr);
    hs_result res = hs_migrate(r->chain, contract_addr, sender_addr, code, msg);
    outcome_from(o, &res, tx_ok(&res, false));
    gas_add(r, address_label(r, contract_addr), "migrate", "-", res.gas_used);
    hs_result_free(&res);
    free(msg);
    return 0;
}

static int op_sudo(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"contract", "msg", NULL};
    const char *contract;
    char *msg = NULL;
    if (check_keys(step, keys, e) || get_string(step, "contract", true, &contract, e) ||
        get_msg(step, &msg, e))
        return -1;
    char contract_addr[ADDR_CAP];
    resolve_address(r, contract, contract_addr);
    hs_result res = hs_sudo(r->chain, contract_addr, msg);
    outcome_from(o, &res, tx_ok(&res, false));
    gas_add(r, address_label(r, contract_addr), "sudo", msg_kind(step), res.gas_used);
    hs_result_free(&res);
    free(msg);
    return 0;
}

static int op_block(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"blocks", "seconds", NULL};
    uint64_t blocks, seconds;
    if (check_keys(step, keys, e) || get_u64(step, "blocks", 1, &blocks, e) ||
        get_u64(step, "seconds", 0, &seconds, e))
        return -1;
    hs_block_advance(r->chain, blocks, seconds);
    char time[32];
    snprintf(time, sizeof time, "%" PRIu64, hs_block_time_ns(r->chain));
    o->ok = json_object();
    json_object_set_new(o->ok, "height", json_integer((json_int_t)hs_block_height(r->chain)));
    json_object_set_new(o->ok, "time", json_string(time));
    return 0;
}

static int op_oracle(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"denom", "price", "path", NULL};
    const char *denom, *price;
    if (check_keys(step, keys, e) || get_string(step, "denom", true, &denom, e) ||
        get_string(step, "price", false, &price, e))
        return -1;
    json_t *path = json_object_get(step, "path");
    if (!price == !path) return fail(e, "oracle needs exactly one of \"price\" and \"path\"");
    if (path && !json_is_object(path)) return fail(e, "\"path\" must be an object");
    char *err = NULL;
    int rc;
    if (price) {
        rc = hs_oracle_set_price(r->chain, denom, price, &err);
    } else {
        char *p = json_dumps(path, JSON_COMPACT);
        rc = hs_oracle_set_path(r->chain, denom, p, &err);
        free(p);
    }
    if (rc) {
        o->error = xstrdup(err ? err : "oracle update failed");
    } else {
        o->ok = json_object();
        json_object_set_new(o->ok, "denom", json_string(denom));
        if (price)
            json_object_set_new(o->ok, "price", json_string(price));
        else
            json_object_set(o->ok, "path", path);
    }
    free(err);
    return 0;
}

static int op_mint(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"to", "amount", NULL};
    const char *to;
    coins amount;
    if (check_keys(step, keys, e) || get_string(step, "to", true, &to, e) ||
        get_coins(step, "amount", true, &amount, e))
        return -1;
    char addr[ADDR_CAP];
    resolve_address(r, to, addr);
    char *err = NULL;
    if (hs_mint(r->chain, addr, amount.items, amount.n, &err)) {
        o->error = xstrdup(err ? err : "mint failed");
    } else {
        o->ok = json_object();
        json_object_set_new(o->ok, "to", json_string(addr));
        json_t *list = json_array();
        for (size_t i = 0; i < amount.n; i++)
            json_array_append_new(list, json_pack("{s:s,s:s}", "denom", amount.items[i].denom,
                                                  "amount", amount.items[i].amount));
        json_object_set_new(o->ok, "amount", list);
    }
    free(err);
    coins_free(&amount);
    return 0;
}

static int op_balance(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"address", "denom", NULL};
    const char *address, *denom;
    if (check_keys(step, keys, e) || get_string(step, "address", true, &address, e) ||
        get_string(step, "denom", true, &denom, e))
        return -1;
    char addr[ADDR_CAP], amount[64];
    resolve_address(r, address, addr);
    if (hs_balance(r->chain, addr, denom, amount, sizeof amount)) {
        o->error = xstrdup("balance query failed");
        return 0;
    }
    o->ok = json_object();
    json_object_set_new(o->ok, "address", json_string(addr));
    json_object_set_new(o->ok, "denom", json_string(denom));
    json_object_set_new(o->ok, "amount", json_string(amount));
    return 0;
}

/* --- Keepers (hs_keeper.h) ------------------------------------------------------------------ */

static int get_bool(json_t *step, const char *key, bool dflt, bool *out, step_error *e) {
    json_t *v = json_object_get(step, key);
    *out = dflt;
    if (!v) return 0;
    if (!json_is_boolean(v)) return fail(e, "\"%s\" must be true or false", key);
    *out = json_is_true(v);
    return 0;
}

static hs_keeper *keeper_find(runner *r, const char *name) {
    for (size_t i = 0; i < r->n_keepers; i++)
        if (strcmp(hs_keeper_name(r->keepers[i]), name) == 0) return r->keepers[i];
    return NULL;
}

/* {"op":"keeper","name","account","engine","liquidator"?,"min_discount"?,"max_take"?,"bid"?,
 *  "liquidate"?,"redo"?,"page"?}: declare a keeper (a name declared again is replaced). */
static int op_keeper(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"name",         "account",  "engine", "liquidator",
                                       "min_discount", "max_take", "bid",    "liquidate",
                                       "redo",         "page",     NULL};
    hs_keeper_config kc;
    hs_keeper_config_default(&kc);
    const char *name, *account, *engine, *liquidator, *min_discount, *max_take;
    uint64_t page;
    if (check_keys(step, keys, e) || get_string(step, "name", true, &name, e) ||
        get_string(step, "account", true, &account, e) ||
        get_string(step, "engine", true, &engine, e) ||
        get_string(step, "liquidator", false, &liquidator, e) ||
        get_string(step, "min_discount", false, &min_discount, e) ||
        get_string(step, "max_take", false, &max_take, e) ||
        get_bool(step, "bid", true, &kc.bid, e) ||
        get_bool(step, "liquidate", true, &kc.liquidate, e) ||
        get_bool(step, "redo", true, &kc.redo, e) || get_u64(step, "page", 10, &page, e))
        return -1;
    if (page == 0 || page > 100) return fail(e, "\"page\" must be 1..100");
    char account_addr[ADDR_CAP], engine_addr[ADDR_CAP], liquidator_addr[ADDR_CAP];
    resolve_address(r, account, account_addr);
    resolve_address(r, engine, engine_addr);
    if (liquidator) resolve_address(r, liquidator, liquidator_addr);
    kc.name = name;
    kc.account = account_addr;
    kc.engine = engine_addr;
    kc.liquidator = liquidator ? liquidator_addr : NULL;
    if (min_discount) kc.min_discount = min_discount;
    kc.max_take_per_round = max_take;
    kc.page_limit = (uint32_t)page;
    hs_keeper *k = NULL;
    char *err = NULL;
    if (hs_keeper_new(r->chain, &kc, &k, &err)) {
        int rc = fail(e, "keeper %s: %s", name, err ? err : "invalid configuration");
        free(err);
        return rc;
    }
    for (size_t i = 0; i < r->n_keepers; i++)
        if (strcmp(hs_keeper_name(r->keepers[i]), name) == 0) {
            hs_keeper_free(r->keepers[i]);
            r->keepers[i] = k;
            k = NULL;
        }
    if (k) {
        r->keepers = grow(r->keepers, &r->cap_keepers, r->n_keepers + 1, sizeof *r->keepers);
        r->keepers[r->n_keepers++] = k;
    }
    o->ok = json_pack("{s:s,s:s}", "name", name, "account", account_addr);
    return 0;
}

static json_t *report_json(const hs_keeper_report *rep) {
    char *s = hs_keeper_report_json(rep);
    json_t *j = s ? json_loads(s, 0, NULL) : NULL;
    free(s);
    return j ? j : json_object();
}

/* {"op":"keepers","rounds"?,"names"?,"blocks"?,"seconds"?}: run `rounds` rounds (default 1);
 * in each, every keeper (or the named ones) in declaration order runs hs_keeper_round, then the
 * chain advances `blocks` blocks / `seconds` seconds when given. ok: {"rounds","keepers":
 * {name: report summed over the rounds},"total": all keepers summed}; gas_used: the keepers'
 * transactions. */
static int op_keepers(runner *r, json_t *step, outcome *o, step_error *e) {
    static const char *const keys[] = {"rounds", "names", "blocks", "seconds", NULL};
    uint64_t rounds, blocks, seconds;
    if (check_keys(step, keys, e) || get_u64(step, "rounds", 1, &rounds, e) ||
        get_u64(step, "blocks", 0, &blocks, e) || get_u64(step, "seconds", 0, &seconds, e))
        return -1;
    json_t *names = json_object_get(step, "names");
    if (names && !json_is_array(names)) return fail(e, "\"names\" must be a list of keeper names");
    hs_keeper **run = calloc(r->n_keepers + json_array_size(names) + 1, sizeof *run);
    if (!run) exit(1);
    size_t n_run = 0;
    if (names) {
        for (size_t i = 0; i < json_array_size(names); i++) {
            json_t *n = json_array_get(names, i);
            hs_keeper *k = json_is_string(n) ? keeper_find(r, json_string_value(n)) : NULL;
            if (!k) {
                free(run);
                return fail(e, "\"names\"[%zu]: no keeper of that name", i);
            }
            run[n_run++] = k;
        }
    } else {
        for (size_t i = 0; i < r->n_keepers; i++) run[n_run++] = r->keepers[i];
    }
    if (n_run == 0) {
        free(run);
        return fail(e, "no keepers declared (use the keeper op first)");
    }
    hs_keeper_report *sum = calloc(n_run, sizeof *sum);
    if (!sum) exit(1);
    const char *error = NULL;
    for (uint64_t round = 0; round < rounds && !error; round++) {
        for (size_t i = 0; i < n_run && !error; i++) {
            hs_keeper_report rep;
            if (hs_keeper_round(run[i], &rep)) error = hs_keeper_error(run[i]);
            hs_keeper_report_add(&sum[i], &rep);
        }
        if (!error && (blocks || seconds)) hs_block_advance(r->chain, blocks ? blocks : 1, seconds);
    }
    hs_keeper_report total = {0};
    json_t *per = json_object();
    for (size_t i = 0; i < n_run; i++) {
        json_object_set_new(per, hs_keeper_name(run[i]), report_json(&sum[i]));
        hs_keeper_report_add(&total, &sum[i]);
    }
    total.rounds = rounds;
    o->has_gas = true;
    o->gas = total.gas_used;
    if (error) {
        o->error = xstrdup(error);
        json_decref(per);
    } else {
        o->ok = json_object();
        json_object_set_new(o->ok, "rounds", json_integer((json_int_t)rounds));
        json_object_set_new(o->ok, "keepers", per);
        json_object_set_new(o->ok, "total", report_json(&total));
    }
    free(sum);
    free(run);
    return 0;
}

typedef struct op_entry {
    const char *name;
    int (*run)(runner *r, json_t *step, outcome *o, step_error *e);
} op_entry;

static const op_entry ops[] = {
    {"store", op_store},     {"instantiate", op_instantiate}, {"execute", op_execute},
    {"query", op_query},     {"migrate", op_migrate},         {"sudo", op_sudo},
    {"block", op_block},     {"oracle", op_oracle},           {"mint", op_mint},
    {"balance", op_balance}, {"keeper", op_keeper},           {"keepers", op_keepers},
};

/* --- One line
 * -------------------------------------------------------------------------------
 */

/* 0: ran and expectations held; -1: malformed or an expectation failed
 * (reported on err). */
static int run_line(runner *r, const char *text) {
    const char *path = r->opts->path;
    json_error_t jerr;
    step_error e = {{0}};
    json_t *step = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!step) {
        fprintf(r->err, "%s:%zu: malformed step: %s (column %d)\n", path, r->line_no, jerr.text,
                jerr.column);
        return -1;
    }
    int rc = -1;
    outcome o = {0};
    const char *op_name = NULL, *expect_error = NULL;
    json_t *expect = NULL, *line = NULL;
    if (!json_is_object(step)) {
        fail(&e, "a step must be a JSON object");
        goto malformed;
    }
    if (get_string(step, "op", true, &op_name, &e) ||
        get_string(step, "expect_error", false, &expect_error, &e))
        goto malformed;
    expect = json_object_get(step, "expect");
    if (expect && expect_error) {
        fail(&e, "\"expect\" and \"expect_error\" exclude each other");
        goto malformed;
    }
    const op_entry *op = NULL;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, op_name) == 0) op = &ops[i];
    if (!op) {
        fail(&e,
             "unknown op \"%s\" (store, instantiate, execute, query, migrate, "
             "sudo, block, "
             "oracle, mint, balance, keeper, keepers)",
             op_name);
        goto malformed;
    }
    /* Substitute ${name} everywhere but in op and as. */
    const char *key;
    json_t *v;
    json_object_foreach(step, key, v) {
        if (strcmp(key, "op") != 0 && strcmp(key, "as") != 0 && substitute(r, v, &e))
            goto malformed;
    }
    if (op->run(r, step, &o, &e)) goto malformed;

    line = json_object();
    json_object_set_new(line, "op", json_string(op_name));
    if (o.ok)
        json_object_set(line, "ok", o.ok);
    else
        json_object_set_new(line, "error", json_string(o.error ? o.error : "unknown error"));
    if (o.has_gas) json_object_set_new(line, "gas_used", json_integer((json_int_t)o.gas));
    char *dump = json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII);
    fprintf(r->out, "%s\n", dump ? dump : "{}");
    fflush(r->out);
    free(dump);

    rc = 0;
    if (expect_error) {
        if (o.ok) {
            fprintf(r->err,
                    "%s:%zu: expectation failed: expected an error containing \"%s\", "
                    "but the step succeeded\n",
                    path, r->line_no, expect_error);
            rc = -1;
        } else if (!strstr(o.error, expect_error)) {
            fprintf(r->err,
                    "%s:%zu: expectation failed: expected an error containing "
                    "\"%s\", got "
                    "\"%s\"\n",
                    path, r->line_no, expect_error, o.error);
            rc = -1;
        }
    } else if (expect) {
        char why[WHY_CAP];
        if (!o.ok) {
            fprintf(r->err, "%s:%zu: expectation failed: expected success, got error \"%s\"\n",
                    path, r->line_no, o.error);
            rc = -1;
        } else if (!hs_json_subset(expect, o.ok, why, sizeof why)) {
            fprintf(r->err, "%s:%zu: expectation failed: %s\n", path, r->line_no, why);
            rc = -1;
        }
    }
    goto done;
malformed:
    fprintf(r->err, "%s:%zu: malformed step: %s\n", path, r->line_no, e.msg);
done:
    json_decref(line);
    json_decref(o.ok);
    free(o.error);
    json_decref(step);
    return rc;
}

/* --- Aliases across runs (--state DIR)
 * ------------------------------------------------------ */

static char *aliases_path(const char *dir) {
    size_t n = strlen(dir) + 32;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/script-aliases.json", dir);
    return p;
}

static void aliases_load(runner *r, const char *dir) {
    char *p = aliases_path(dir);
    json_t *all = p ? json_load_file(p, 0, NULL) : NULL;
    const char *name;
    json_t *v;
    json_object_foreach(all, name, v) {
        json_t *code = json_object_get(v, "code_id"), *addr = json_object_get(v, "address");
        if (json_is_integer(code)) alias_bind(r, name, (uint64_t)json_integer_value(code), NULL);
        if (json_is_string(addr)) alias_bind(r, name, 0, json_string_value(addr));
    }
    json_decref(all);
    free(p);
}

static void aliases_save(runner *r, const char *dir) {
    json_t *all = json_object();
    for (size_t i = 0; i < r->n_aliases; i++) {
        alias *a = &r->aliases[i];
        json_object_set_new(all, a->name,
                            a->is_code ? json_pack("{s:I}", "code_id", (json_int_t)a->code_id)
                                       : json_pack("{s:s}", "address", a->address));
    }
    char *p = aliases_path(dir);
    if (!p || json_dump_file(all, p, JSON_INDENT(1)) != 0)
        fprintf(r->err, "host-sim run: cannot save aliases in %s\n", dir);
    free(p);
    json_decref(all);
}

/* --- Runner
 * ---------------------------------------------------------------------------------
 */

int hs_script_run(const hs_script_options *opts, FILE *out, FILE *err) {
    FILE *in = strcmp(opts->path, "-") == 0 ? stdin : fopen(opts->path, "r");
    if (!in) {
        fprintf(err, "host-sim run: cannot open %s: %s\n", opts->path, strerror(errno));
        return 1;
    }
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.state_dir = opts->state_dir;
    cfg.trace = opts->trace;
    runner r = {.opts = opts, .out = out, .err = err};
    char *cerr = NULL;
    if (hs_chain_open(&cfg, &r.chain, &cerr)) {
        fprintf(err, "host-sim run: cannot open the chain: %s\n", cerr ? cerr : "unknown error");
        free(cerr);
        if (in != stdin) fclose(in);
        return 1;
    }
    if (opts->state_dir) aliases_load(&r, opts->state_dir);

    int status = 0;
    char *text = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&text, &cap, in)) >= 0) {
        r.line_no++;
        while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r')) text[--n] = '\0';
        const char *s = text;
        while (*s == ' ' || *s == '\t') s++;
        if (*s == '\0' || *s == '#') continue; /* blank lines and # comments */
        if (run_line(&r, s)) {
            status = 1;
            break;
        }
    }
    if (status == 0 && ferror(in)) {
        fprintf(err, "host-sim run: error reading %s\n", opts->path);
        status = 1;
    }
    free(text);
    if (in != stdin) fclose(in);
    if (opts->gas_report) gas_report(&r);
    if (opts->state_dir) aliases_save(&r, opts->state_dir);
    hs_chain_close(r.chain);
    for (size_t i = 0; i < r.n_aliases; i++) {
        free(r.aliases[i].name);
        free(r.aliases[i].address);
    }
    free(r.aliases);
    for (size_t i = 0; i < r.n_gas; i++) {
        free(r.gas[i].contract);
        free(r.gas[i].op);
        free(r.gas[i].kind);
    }
    free(r.gas);
    for (size_t i = 0; i < r.n_keepers; i++) hs_keeper_free(r.keepers[i]);
    free(r.keepers);
    return status;
}

int hs_script_cmd(int argc, char **argv) {
    hs_script_options opts = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--gas-report") == 0) {
            opts.gas_report = true;
        } else if (strcmp(argv[i], "--trace") == 0) {
            opts.trace = true;
        } else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc) {
            opts.state_dir = argv[++i];
        } else if (strncmp(argv[i], "--state=", 8) == 0) {
            opts.state_dir = argv[i] + 8;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "host-sim run: unknown option %s\n", argv[i]);
            goto usage;
        } else if (opts.path) {
            fprintf(stderr, "host-sim run: more than one script given\n");
            goto usage;
        } else {
            opts.path = argv[i];
        }
    }
    if (!opts.path) {
        fprintf(stderr, "host-sim run: no script given\n");
        goto usage;
    }
    return hs_script_run(&opts, stdout, stderr);
usage:
    fprintf(stderr, "usage: host-sim run SCRIPT.jsonl [--state DIR] "
                    "[--gas-report] [--trace]\n");
    return 2;
}

/* demo_chain.c — the demo's chain helpers: transactions through hostsim.h with per-operation
 * SDK gas statistics (gas.md), queries, CW20 sends with a Receive hook, faucet, numbers. */
#define _GNU_SOURCE
#include "demo.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void demo_die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "demo: FAILED: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

double demo_u128_double(demo_u128 v) {
    return (double)v;
}

demo_u128 demo_json_u128(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    demo_u128 x = 0;
    if (json_is_string(v)) {
        if (!hs_u128_from_text(json_string_value(v), &x)) demo_die("%s is not a Uint128", key);
    } else if (json_is_integer(v))
        x = (demo_u128)json_integer_value(v);
    return x;
}

double demo_json_decimal(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? strtod(json_string_value(v), NULL) : 0.0;
}

demo_op_stat *demo_op(demo *d, const char *op) {
    for (size_t i = 0; i < d->op_count; i++)
        if (strcmp(d->ops[i].name, op) == 0) return &d->ops[i];
    if (d->op_count == DEMO_MAX_OPS) demo_die("too many operation kinds");
    demo_op_stat *s = &d->ops[d->op_count++];
    memset(s, 0, sizeof *s);
    s->name = op;
    return s;
}

void demo_gas_sample(demo *d, const char *op, uint64_t sdk_gas) {
    demo_op_stat *s = demo_op(d, op);
    if (s->calls == 0 || sdk_gas < s->min) s->min = sdk_gas;
    if (sdk_gas > s->max) s->max = sdk_gas;
    s->sum += (double)sdk_gas;
    s->calls++;
}

hs_result demo_exec_result(demo *d, const char *op, const char *contract, const char *sender,
                           const char *msg, const hs_coin *funds, size_t n_funds) {
    hs_result r = hs_execute(d->chain, contract, sender, msg, funds, n_funds);
    if (r.ok)
        demo_gas_sample(d, op, r.sdk_gas_used);
    else
        demo_op(d, op)->refused++;
    return r;
}

bool demo_exec(demo *d, const char *op, bool must, const char *contract, const char *sender,
               const char *msg, const hs_coin *funds, size_t n_funds) {
    hs_result r = demo_exec_result(d, op, contract, sender, msg, funds, n_funds);
    bool ok = r.ok;
    if (!ok && must) demo_die("%s by %s: %s\n  message: %s", op, sender, r.error, msg);
    if (!ok && d->verbose) fprintf(stderr, "demo: %s refused: %s\n", op, r.error);
    hs_result_free(&r);
    return ok;
}

bool demo_send_cw20(demo *d, const char *op, bool must, const char *token, const char *sender,
                    const char *contract, demo_u128 amount, const char *hook) {
    size_t len = strlen(hook);
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(cap);
    sodium_bin2base64(b64, cap, (const unsigned char *)hook, len, sodium_base64_VARIANT_ORIGINAL);
    char amt[40];
    hs_u128_format(amount, amt);
    char *msg;
    if (asprintf(&msg, "{\"send\":{\"contract\":\"%s\",\"amount\":\"%s\",\"msg\":\"%s\"}}",
                 contract, amt, b64) < 0)
        demo_die("out of memory");
    free(b64);
    bool ok = demo_exec(d, op, must, token, sender, msg, NULL, 0);
    free(msg);
    return ok;
}

json_t *demo_query(demo *d, const char *contract, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg;
    if (vasprintf(&msg, fmt, ap) < 0) demo_die("out of memory");
    va_end(ap);
    hs_result r = hs_query(d->chain, contract, msg);
    if (!r.ok) demo_die("query %s: %s", msg, r.error);
    json_error_t e;
    json_t *v = json_loads(r.answer, 0, &e);
    if (!v) demo_die("query %s: answer is not JSON: %s", msg, r.answer);
    hs_result_free(&r);
    free(msg);
    return v;
}

void demo_mint(demo *d, const char *to, const char *denom, demo_u128 amount) {
    char amt[40];
    hs_u128_format(amount, amt);
    hs_coin c = {denom, amt};
    char *err = NULL;
    if (hs_mint(d->chain, to, &c, 1, &err)) demo_die("mint %s %s to %s: %s", amt, denom, to, err);
    size_t i = 0;
    while (i < d->faucet_count && strcmp(d->faucet[i].denom, denom) != 0) i++;
    if (i == d->faucet_count) {
        if (i == DEMO_MAX_DENOMS) demo_die("too many denoms");
        d->faucet[d->faucet_count++].denom = denom;
    }
    d->faucet[i].amount += amount;
}

demo_u128 demo_cw20_balance(demo *d, const char *token, const char *who) {
    char addr[DEMO_ADDR];
    hs_address(d->chain, who, addr, sizeof addr);
    json_t *b = demo_query(d, token, "{\"balance\":{\"address\":\"%s\"}}", addr);
    demo_u128 v = demo_json_u128(b, "balance");
    json_decref(b);
    return v;
}

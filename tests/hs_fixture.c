/* hs_fixture.c — the shared fixture of the host suites (see hs_fixture.h): chain open/close,
 * code upload, instantiate/execute/query with printf-style JSON, result and balance checks. */
#define _GNU_SOURCE
#include "hs_fixture.h"

#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

hs_chain *C;
static const char *deployer_name = "alice";

void open_chain(const char *deployer) {
    deployer_name = deployer;
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.cache_dir = "build/cache";
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &C, &err), 0, "open: %s", err ? err : "");
}

void close_chain(void) {
    hs_chain_close(C);
    C = NULL;
}

uint8_t *read_all(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run make first)", path);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    rewind(f);
    uint8_t *b = malloc(*n);
    cr_assert(fread(b, 1, *n, f) == *n);
    fclose(f);
    return b;
}

uint64_t store_code(const char *path) {
    size_t n;
    uint8_t *w = read_all(path, &n);
    hs_result r = hs_store_code(C, deployer_name, w, n);
    free(w);
    cr_assert(r.ok, "store %s: %s", path, r.error);
    uint64_t id = r.code_id;
    hs_result_free(&r);
    return id;
}

char *vfmt(const char *format, va_list ap) {
    char *s;
    cr_assert(vasprintf(&s, format, ap) > 0);
    return s;
}

char *fmt(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *s = vfmt(format, ap);
    va_end(ap);
    return s;
}

static hs_result instantiate_text(uint64_t code, const char *admin, const char *msg) {
    return hs_instantiate(C, code, deployer_name, msg, NULL, 0, "c", admin);
}

hs_result try_instantiate(uint64_t code, const char *admin, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *msg = vfmt(format, ap);
    va_end(ap);
    hs_result r = instantiate_text(code, admin, msg);
    free(msg);
    return r;
}

static void instantiate_into(uint64_t code, const char *admin, char *out, const char *msg) {
    hs_result r = instantiate_text(code, admin, msg);
    cr_assert(r.ok, "instantiate %s: %s", msg, r.error);
    snprintf(out, 128, "%s", r.address);
    hs_result_free(&r);
}

void instantiate_with_admin(uint64_t code, const char *admin, char *out, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *msg = vfmt(format, ap);
    va_end(ap);
    instantiate_into(code, admin, out, msg);
    free(msg);
}

void instantiate(uint64_t code, char *out, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *msg = vfmt(format, ap);
    va_end(ap);
    instantiate_into(code, NULL, out, msg);
    free(msg);
}

hs_result exf(const char *sender, const char *contract, const char *denom, const char *amount,
              const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *msg = vfmt(format, ap);
    va_end(ap);
    hs_coin coin = {denom, amount};
    hs_result r = hs_execute(C, contract, sender, msg, denom ? &coin : NULL, denom ? 1 : 0);
    free(msg);
    return r;
}

void ok(hs_result r) {
    cr_assert(r.ok, "expected success, got: %s", r.error);
    hs_result_free(&r);
}

void fails(hs_result r, const char *want) {
    cr_assert(!r.ok, "expected failure with '%s'", want);
    cr_assert(strstr(r.error, want), "error '%s' lacks '%s'", r.error, want);
    hs_result_free(&r);
}

json_t *qj(const char *contract, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    char *msg = vfmt(format, ap);
    va_end(ap);
    hs_result r = hs_query(C, contract, msg);
    cr_assert(r.ok, "query %s: %s", msg, r.error);
    json_error_t e;
    json_t *j = json_loads(r.answer, 0, &e);
    cr_assert(j, "bad answer %s", r.answer);
    hs_result_free(&r);
    free(msg);
    return j;
}

char *jtext(json_t *j, const char *path) {
    char *p = strdup(path), *save = NULL;
    json_t *v = j;
    for (char *tok = strtok_r(p, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok)) : json_object_get(v, tok);
        cr_assert(v, "no %s in %s", path, json_dumps(j, JSON_COMPACT));
    }
    free(p);
    static char buf[8][4096];
    static int slot;
    char *out = buf[slot++ % 8];
    if (json_is_string(v)) {
        snprintf(out, 4096, "%s", json_string_value(v));
    } else {
        char *d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(out, 4096, "%s", d);
        free(d);
    }
    return out;
}

char *b64(const char *s) {
    size_t len = strlen(s), cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(cap);
    sodium_bin2base64(out, cap, (const uint8_t *)s, len, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

char *unb64(const char *s) {
    size_t cap = strlen(s) + 1, n = 0;
    char *out = calloc(1, cap);
    cr_assert_eq(sodium_base642bin((unsigned char *)out, cap, s, strlen(s), NULL, &n, NULL,
                                   sodium_base64_VARIANT_ORIGINAL),
                 0);
    out[n] = 0;
    return out;
}

int data_int(const hs_result *r) {
    cr_assert(r->data, "no data in the result");
    char *text = unb64(r->data);
    int value = atoi(text);
    free(text);
    return value;
}

void mint_native(const char *to, const char *denom, const char *amount) {
    hs_coin coin = {denom, amount};
    char *err = NULL;
    cr_assert_eq(hs_mint(C, to, &coin, 1, &err), 0, "%s", err ? err : "");
}

void bank_is(const char *who, const char *denom, const char *want) {
    char out[64];
    cr_assert_eq(hs_balance(C, who, denom, out, sizeof out), 0);
    cr_assert_str_eq(out, want, "%s %s", who, denom);
}

void cw20_balance_is(const char *token, const char *who, const char *want) {
    json_t *j = qj(token, "{\"balance\":{\"address\":\"%s\"}}", who);
    expect_eq(j, "balance", want);
    json_decref(j);
}

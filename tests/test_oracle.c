/* test_oracle.c — contracts/oracle's real .wasm on the host simulator (hostsim.h): every
 * message and refusal, medians, quorum, staleness, max_move pending moves and their
 * confirmation, the delayed price with poke, chain-sourced prices, governance changes with
 * their attributes, and the accounting counters. Behaviour: contracts/oracle/SPEC.md. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsim.h"

#define ORACLE_WASM "build/contracts/oracle.wasm"
#define T0 1700000000ull /* genesis block time, seconds */

/* --- Fixture: a chain with the oracle, governance "gov" and feeders f1..f4 ------------------- */

static hs_chain *chain;
static uint64_t code_id;
static char oracle[128];
#define N_ALIASES 7
static const char *const alias_names[N_ALIASES] = {"gov", "f1", "f2", "f3", "f4", "eve", "newgov"};
static char alias_addrs[N_ALIASES][128];

static const char *addr(const char *alias) {
    for (int i = 0; i < N_ALIASES; i++)
        if (!strcmp(alias_names[i], alias)) return alias_addrs[i];
    cr_assert_fail("unknown alias %s", alias);
    return NULL;
}

/* Replace every alias address in s (malloc'd) by its alias name; returns s. */
static char *unalias(char *s) {
    for (int i = 0; i < N_ALIASES; i++) {
        size_t alen = strlen(alias_addrs[i]), nlen = strlen(alias_names[i]);
        for (char *p; (p = strstr(s, alias_addrs[i]));) {
            memcpy(p, alias_names[i], nlen);
            memmove(p + nlen, p + alen, strlen(p + alen) + 1);
        }
    }
    return s;
}

/* Replace every "{name}" in fmt by the alias's address; malloc'd. */
static char *expand(const char *fmt, va_list ap) {
    char *s;
    cr_assert(vasprintf(&s, fmt, ap) > 0);
    for (int i = 0; i < N_ALIASES; i++) {
        char pat[32];
        snprintf(pat, sizeof pat, "{%s}", alias_names[i]);
        for (char *p; (p = strstr(s, pat));) {
            char *n;
            *p = 0;
            cr_assert(asprintf(&n, "%s%s%s", s, alias_addrs[i], p + strlen(pat)) > 0);
            free(s);
            s = n;
        }
    }
    return s;
}

static void open_chain(void) {
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.cache_dir = "build/cache";
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &chain, &err), 0, "open: %s", err ? err : "");
    for (int i = 0; i < N_ALIASES; i++)
        hs_address(chain, alias_names[i], alias_addrs[i], sizeof alias_addrs[i]);
    FILE *f = fopen(ORACLE_WASM, "rb");
    cr_assert(f, "cannot open %s (run make first)", ORACLE_WASM);
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    rewind(f);
    uint8_t *w = malloc(n);
    cr_assert(fread(w, 1, n, f) == n);
    fclose(f);
    hs_result r = hs_store_code(chain, "gov", w, n);
    free(w);
    cr_assert(r.ok, "store: %s", r.error);
    code_id = r.code_id;
    hs_result_free(&r);
}

static hs_result instantiate_raw(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = expand(fmt, ap);
    va_end(ap);
    hs_result r = hs_instantiate(chain, code_id, "gov", msg, NULL, 0, "oracle", "gov");
    free(msg);
    return r;
}

/* The standard instantiate with `feeders` (e.g. "\"{f1}\",\"{f2}\""), quorum and delay. */
static void setup_oracle(const char *feeders, int quorum, int delay) {
    open_chain();
    char *fmt;
    cr_assert(asprintf(&fmt,
                       "{\"governance\":\"{gov}\",\"feeders\":[%s],\"quorum\":%d,\"max_age\":600,"
                       "\"max_move\":\"0.2\",\"delay\":%d,\"assets\":[{\"denom\":\"uatom\","
                       "\"source\":\"feeders\"},{\"denom\":\"uosmo\",\"source\":\"chain\"}]}",
                       feeders, quorum, delay) > 0);
    hs_result r = instantiate_raw(fmt);
    free(fmt);
    cr_assert(r.ok, "instantiate: %s", r.error);
    snprintf(oracle, sizeof oracle, "%s", r.address);
    hs_result_free(&r);
}

#define THREE "\"{f1}\",\"{f2}\",\"{f3}\""
static void setup3(void) {
    setup_oracle(THREE, 2, 0);
}

static void teardown(void) {
    if (chain) hs_chain_close(chain);
    chain = NULL;
}

/* --- Calls and exact checks ----------------------------------------------------------------- */

/* The response's attributes as "k=v k=v …" with addresses shown as aliases (malloc'd). */
static char *attr_line(const char *response) {
    json_error_t je;
    json_t *root = json_loads(response, 0, &je);
    cr_assert(root, "response JSON: %s", je.text);
    char *out = calloc(1, 1);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(root, "attributes"), i, a) {
        char *n;
        cr_assert(asprintf(&n, "%s%s%s=%s", out, i ? " " : "",
                           json_string_value(json_object_get(a, "key")),
                           json_string_value(json_object_get(a, "value"))) > 0);
        free(out);
        out = n;
    }
    json_decref(root);
    return unalias(out);
}

static hs_result exec_v(const char *who, const char *fmt, va_list ap) {
    char *msg = expand(fmt, ap);
    hs_result r = hs_execute(chain, oracle, who, msg, NULL, 0);
    free(msg);
    return r;
}

/* Execute as `who` and require success with exactly these attributes. */
static void ok(const char *who, const char *want_attrs, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hs_result r = exec_v(who, fmt, ap);
    va_end(ap);
    cr_assert(r.ok, "execute: %s", r.error);
    char *got = attr_line(r.response);
    cr_assert_str_eq(got, want_attrs);
    free(got);
    hs_result_free(&r);
}

/* The contract's own message out of a failed call's error (host suffix removed). */
static char *contract_error(const char *error) {
    char *e = unalias(strdup(error));
    const char *suffixes[] = {": execute wasm contract failed",
                              ": instantiate wasm contract failed", ": query wasm contract failed"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(e), m = strlen(suffixes[i]);
        if (n > m && !strcmp(e + n - m, suffixes[i])) e[n - m] = 0;
    }
    return e;
}

/* Execute as `who` and require exactly this error. */
static void fails(const char *who, const char *want_error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hs_result r = exec_v(who, fmt, ap);
    va_end(ap);
    cr_assert(!r.ok, "expected failure: %s", want_error);
    char *e = contract_error(r.error);
    cr_assert_str_eq(e, want_error);
    free(e);
    hs_result_free(&r);
}

/* Query and require exactly this answer (addresses as aliases). */
static void answer(const char *want, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = expand(fmt, ap);
    va_end(ap);
    hs_result r = hs_query(chain, oracle, msg);
    free(msg);
    cr_assert(r.ok, "query: %s", r.error);
    char *got = unalias(strdup(r.answer));
    cr_assert_str_eq(got, want);
    free(got);
    hs_result_free(&r);
}

static void query_fails(const char *want_error, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = expand(fmt, ap);
    va_end(ap);
    hs_result r = hs_query(chain, oracle, msg);
    free(msg);
    cr_assert(!r.ok, "expected query failure: %s", want_error);
    char *e = contract_error(r.error);
    cr_assert_str_eq(e, want_error);
    free(e);
    hs_result_free(&r);
}

/* The block time in ns as a string, seconds after genesis. */
static const char *ns(uint64_t seconds_after_genesis) {
    static char bufs[8][32];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, 32, "%llu000000000", (unsigned long long)(T0 + seconds_after_genesis));
    return b;
}

static uint64_t now_s(void) {
    return hs_block_time_ns(chain) / 1000000000ull - T0;
}

static void advance(uint64_t seconds) {
    hs_block_advance(chain, 1, seconds);
}

static void submit(const char *feeder, const char *price, const char *want_attrs) {
    ok(feeder, want_attrs, "{\"submit_price\":{\"denom\":\"uatom\",\"price\":\"%s\"}}", price);
}

/* The price answer for uatom at `price` updated `at` seconds after genesis. */
static void price_is(const char *price, uint64_t at) {
    char want[256];
    snprintf(want, sizeof want,
             "{\"denom\":\"uatom\",\"price\":\"%s\",\"updated_at\":\"%s\",\"source\":\"feeders\"}",
             price, ns(at));
    answer(want, "{\"price\":{\"denom\":\"uatom\"}}");
}

static void price_fails(const char *why) {
    char want[256];
    snprintf(want, sizeof want, "no valid price for uatom: %s", why);
    query_fails(want, "{\"price\":{\"denom\":\"uatom\"}}");
}

static void accounting_is(int feeders, int assets, int submissions) {
    char want[128];
    snprintf(want, sizeof want, "{\"feeders\":%d,\"assets\":%d,\"submissions\":%d}", feeders,
             assets, submissions);
    answer(want, "{\"accounting\":{}}");
}

/* "\"fA\",\"fB\",…" for the space-separated aliases, sorted by address (static buffer). */
static const char *sorted_feeders(const char *aliases) {
    static char out[256];
    char copy[64], *names[8];
    int n = 0;
    snprintf(copy, sizeof copy, "%s", aliases);
    for (char *t = strtok(copy, " "); t; t = strtok(NULL, " ")) names[n++] = t;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(addr(names[j - 1]), addr(names[j])) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    out[0] = 0;
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s\"%s\"", i ? "," : "", names[i]);
    return out;
}

#define SUBMIT_ATTRS(f, p, fresh)                                                                  \
    "action=submit_price denom=uatom feeder=" f " price=" p " fresh=" fresh " quorum=2"
#define SUBMIT(p) "{\"submit_price\":{\"denom\":\"uatom\",\"price\":\"" p "\"}}"

TestSuite(oracle, .fini = teardown, .timeout = 120);

/* --- Instantiate and configuration queries -------------------------------------------------- */

Test(oracle, instantiate_config_assets_accounting) {
    open_chain();
    hs_result r = instantiate_raw(
        "{\"governance\":\"{gov}\",\"feeders\":[\"{f2}\",\"{f1}\"],\"quorum\":2,\"max_age\":600,"
        "\"max_move\":\"0.20\",\"delay\":0,\"assets\":[{\"denom\":\"uosmo\",\"source\":\"chain\"},"
        "{\"denom\":\"uatom\",\"source\":\"feeders\"}]}");
    cr_assert(r.ok, "%s", r.error);
    snprintf(oracle, sizeof oracle, "%s", r.address);
    char *a = attr_line(r.response);
    cr_assert_str_eq(a, "action=instantiate governance=gov feeder_count=2 asset_count=2");
    free(a);
    hs_result_free(&r);
    /* Feeders sorted by address, assets by denom. */
    char want[512];
    snprintf(want, sizeof want,
             "{\"governance\":\"gov\",\"feeders\":[%s],\"quorum\":2,\"max_age\":600,"
             "\"max_move\":\"0.2\",\"delay\":0}",
             sorted_feeders("f1 f2"));
    answer(want, "{\"config\":{}}");
    answer("{\"assets\":[{\"denom\":\"uatom\",\"source\":\"feeders\"},{\"denom\":\"uosmo\","
           "\"source\":\"chain\"}]}",
           "{\"assets\":{}}");
    accounting_is(2, 2, 0);
    answer("{\"denom\":\"uatom\",\"submissions\":[],\"pending\":null}",
           "{\"submissions\":{\"denom\":\"uatom\"}}");
    price_fails("quorum not met (0 fresh of 2 required)");
}

static void instantiate_fails(const char *want, const char *feeders, const char *quorum,
                              const char *max_age, const char *max_move, const char *assets) {
    hs_result r = instantiate_raw("{\"governance\":\"{gov}\",\"feeders\":[%s],\"quorum\":%s,"
                                  "\"max_age\":%s,\"max_move\":%s,\"delay\":0,\"assets\":[%s]}",
                                  feeders, quorum, max_age, max_move, assets);
    cr_assert(!r.ok, "expected: %s", want);
    char *e = contract_error(r.error);
    cr_assert_str_eq(e, want);
    free(e);
    hs_result_free(&r);
}

#define ATOM "{\"denom\":\"uatom\",\"source\":\"feeders\"}"

Test(oracle, instantiate_refusals) {
    open_chain();
    instantiate_fails("duplicate feeder: f1", "\"{f1}\",\"{f1}\"", "1", "600", "\"0.2\"", ATOM);
    instantiate_fails("invalid quorum: 0 (must be between 1 and feeder count 2)",
                      "\"{f1}\",\"{f2}\"", "0", "600", "\"0.2\"", ATOM);
    instantiate_fails("invalid quorum: 3 (must be between 1 and feeder count 2)",
                      "\"{f1}\",\"{f2}\"", "3", "600", "\"0.2\"", ATOM);
    instantiate_fails("invalid max_age: 0 (must be 1..31536000 seconds)", "\"{f1}\"", "1", "0",
                      "\"0.2\"", ATOM);
    instantiate_fails("invalid max_move: 0 (must be positive)", "\"{f1}\"", "1", "600", "\"0\"",
                      ATOM);
    instantiate_fails("invalid denom: u (3-128 characters [a-zA-Z0-9/:._-], starting with a "
                      "letter)",
                      "\"{f1}\"", "1", "600", "\"0.2\"", "{\"denom\":\"u\",\"source\":\"chain\"}");
    instantiate_fails("duplicate asset: uatom", "\"{f1}\"", "1", "600", "\"0.2\"", ATOM "," ATOM);
    instantiate_fails("invalid source: oracle (expected feeders or chain)", "\"{f1}\"", "1", "600",
                      "\"0.2\"", "{\"denom\":\"uatom\",\"source\":\"oracle\"}");
    instantiate_fails("Error parsing into type oracle::msg::InstantiateMsg: Error parsing decimal "
                      "'x': Generic error: Error parsing whole",
                      "\"{f1}\"", "1", "600", "\"x\"", ATOM);
    instantiate_fails("Error parsing into type oracle::msg::InstantiateMsg: invalid type: number "
                      "0.2, expected a decimal string",
                      "\"{f1}\"", "1", "600", "0.2", ATOM);
    instantiate_fails("Error parsing into type oracle::msg::InstantiateMsg: unknown field `x`",
                      "\"{f1}\"", "1", "600", "\"0.2\"", "{\"x\":1}");
    instantiate_fails("Error parsing into type oracle::msg::InstantiateMsg: missing field `source`",
                      "\"{f1}\"", "1", "600", "\"0.2\"", "{\"denom\":\"uatom\"}");
    hs_result r = instantiate_raw("{\"governance\":\"nope\",\"feeders\":[],\"quorum\":1,"
                                  "\"max_age\":1,\"max_move\":\"1\",\"delay\":0,\"assets\":[]}");
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "Generic error: addr_validate errored: "), "%s", r.error);
    hs_result_free(&r);
}

/* --- Submissions, median, quorum ------------------------------------------------------------ */

Test(oracle, median_odd_count_and_quorum) {
    setup3();
    submit("f1", "10", SUBMIT_ATTRS("f1", "10", "1") " outcome=no_quorum");
    price_fails("quorum not met (1 fresh of 2 required)");
    accounting_is(3, 2, 1);
    advance(10);
    /* Two fresh: the lower middle of {10, 11} is 10. */
    submit("f2", "11",
           SUBMIT_ATTRS("f2", "11", "2") " median=10 outcome=accepted old_price=none "
                                         "new_price=10");
    price_is("10", 10);
    advance(10);
    /* Three fresh: the middle of {10, 10.5, 11}. move = 0.5 / 10 = 0.05. */
    submit("f3", "10.5",
           SUBMIT_ATTRS("f3", "10.5", "3") " median=10.5 move=0.05 outcome=accepted "
                                           "old_price=10 new_price=10.5");
    price_is("10.5", 20);
    /* A feeder's new submission replaces its old one. */
    advance(10);
    submit("f1", "10.75",
           SUBMIT_ATTRS("f1", "10.75", "3") " median=10.75 move=0.02380952380952381 "
                                            "outcome=accepted old_price=10.5 "
                                            "new_price=10.75");
    accounting_is(3, 2, 3);
    price_is("10.75", 30);
}

Test(oracle, median_even_count_is_lower_middle) {
    setup_oracle("\"{f1}\",\"{f2}\",\"{f3}\",\"{f4}\"", 2, 0);
    submit("f1", "10", SUBMIT_ATTRS("f1", "10", "1") " outcome=no_quorum");
    submit("f2", "10.8",
           SUBMIT_ATTRS("f2", "10.8", "2") " median=10 outcome=accepted "
                                           "old_price=none new_price=10");
    submit("f3", "10.4",
           SUBMIT_ATTRS("f3", "10.4", "3") " median=10.4 move=0.04 "
                                           "outcome=accepted old_price=10 "
                                           "new_price=10.4");
    /* {10, 10.2, 10.4, 10.8}: the lower middle is 10.2 (not the average 10.3). */
    submit(
        "f4", "10.2",
        SUBMIT_ATTRS("f4", "10.2",
                     "4") " median=10.2 move=0.019230769230769231 outcome=accepted old_price=10.4 "
                          "new_price=10.2");
    price_is("10.2", 0);
    accounting_is(4, 2, 4);
}

Test(oracle, staleness_and_quorum_over_time) {
    setup3();
    submit("f1", "10", SUBMIT_ATTRS("f1", "10", "1") " outcome=no_quorum");
    advance(300);
    submit("f2", "10",
           SUBMIT_ATTRS("f2", "10", "2") " median=10 outcome=accepted old_price=none "
                                         "new_price=10");
    price_is("10", 300);
    /* At 600 s f1's submission is exactly max_age old: still fresh. */
    advance(300);
    price_is("10", 300);
    /* One second later f1's submission is stale; the price (300 s old) stays valid. */
    advance(1);
    price_is("10", 300);
    /* A stale submission does not count towards a new median. */
    submit("f2", "10.1", SUBMIT_ATTRS("f2", "10.1", "1") " outcome=no_quorum");
    price_is("10", 300);
    advance(300);
    price_fails("stale (age 601s > max_age 600s)");
    /* Fresh submissions bring it back: {10.1, 10.2} → 10.1. */
    submit("f3", "10.2",
           SUBMIT_ATTRS("f3", "10.2", "2") " median=10.1 move=0.01 "
                                           "outcome=accepted old_price=10 "
                                           "new_price=10.1");
    price_is("10.1", 901);
}

Test(oracle, submissions_query) {
    setup3();
    submit("f1", "10", SUBMIT_ATTRS("f1", "10", "1") " outcome=no_quorum");
    advance(5);
    submit("f2", "12.5",
           SUBMIT_ATTRS("f2", "12.5", "2") " median=10 outcome=accepted "
                                           "old_price=none new_price=10");
    advance(596);
    bool f1_first = strcmp(addr("f1"), addr("f2")) < 0;
    char e1[256], e2[256], want[700];
    snprintf(e1, sizeof e1,
             "{\"feeder\":\"f1\",\"price\":\"10\",\"submitted_at\":\"%s\",\"fresh\":false}", ns(0));
    snprintf(e2, sizeof e2,
             "{\"feeder\":\"f2\",\"price\":\"12.5\",\"submitted_at\":\"%s\",\"fresh\":true}",
             ns(5));
    snprintf(want, sizeof want, "{\"denom\":\"uatom\",\"submissions\":[%s,%s],\"pending\":null}",
             f1_first ? e1 : e2, f1_first ? e2 : e1);
    answer(want, "{\"submissions\":{\"denom\":\"uatom\"}}");
    query_fails("unknown asset: ubtc", "{\"submissions\":{\"denom\":\"ubtc\"}}");
}

Test(oracle, submit_refusals) {
    setup3();
    fails("eve", "unauthorized: eve is not a feeder", SUBMIT("10"));
    fails("gov", "unauthorized: gov is not a feeder", SUBMIT("10"));
    fails("f1", "unknown asset: ubtc", "{\"submit_price\":{\"denom\":\"ubtc\",\"price\":\"1\"}}");
    fails("f1", "asset uosmo is chain-sourced: submit_price needs a feeders asset",
          "{\"submit_price\":{\"denom\":\"uosmo\",\"price\":\"1\"}}");
    fails("f1", "invalid price: 0 (must be positive)", SUBMIT("0.000"));
    fails("f1",
          "Error parsing into type oracle::msg::ExecuteMsg: Error parsing decimal '1.2.3': Generic "
          "error: Unexpected number of dots",
          SUBMIT("1.2.3"));
    fails("f1",
          "Error parsing into type oracle::msg::ExecuteMsg: Error parsing decimal "
          "'0.0000000000000000001': Generic error: Cannot parse more than 18 fractional digits",
          SUBMIT("0.0000000000000000001"));
    fails("f1", "Error parsing into type oracle::msg::ExecuteMsg: missing field `price`",
          "{\"submit_price\":{\"denom\":\"uatom\"}}");
    fails("f1", "Error parsing into type oracle::msg::ExecuteMsg: duplicate field `denom`",
          "{\"submit_price\":{\"denom\":\"uatom\",\"denom\":\"uatom\",\"price\":\"1\"}}");
    fails("f1", "Error parsing into type oracle::msg::ExecuteMsg: unknown variant `submit`",
          "{\"submit\":{}}");
    fails("f1",
          "Error parsing into type oracle::msg::ExecuteMsg: invalid type: number 5, expected a "
          "decimal string",
          "{\"submit_price\":{\"denom\":\"uatom\",\"price\":5}}");
    accounting_is(3, 2, 0);
}

/* --- max_move: pending moves and confirmations ---------------------------------------------- */

/* uatom accepted at 10 (f1 and f2 at 10). */
static void price_at_10(void) {
    setup3();
    submit("f1", "10", SUBMIT_ATTRS("f1", "10", "1") " outcome=no_quorum");
    submit("f2", "10",
           SUBMIT_ATTRS("f2", "10", "2") " median=10 outcome=accepted old_price=none "
                                         "new_price=10");
}

Test(oracle, move_within_max_move_is_accepted_at_the_boundary) {
    price_at_10();
    /* {10, 12, 12}: median 12, exactly +20 %: accepted. */
    submit("f1", "12",
           SUBMIT_ATTRS("f1", "12", "2") " median=10 move=0 outcome=accepted "
                                         "old_price=10 new_price=10");
    submit("f3", "12",
           SUBMIT_ATTRS("f3", "12", "3") " median=12 move=0.2 outcome=accepted "
                                         "old_price=10 new_price=12");
    price_is("12", 0);
}

Test(oracle, pending_move_confirmed_by_governance) {
    price_at_10();
    submit("f1", "12.5",
           SUBMIT_ATTRS("f1", "12.5", "2") " median=10 move=0 outcome=accepted "
                                           "old_price=10 new_price=10");
    /* {10, 12.5, 12.5}: median 12.5 is +25 % > 20 %: pending. */
    submit("f3", "12.5",
           SUBMIT_ATTRS("f3", "12.5", "3") " median=12.5 move=0.25 outcome=pending "
                                           "pending_price=12.5 current_price=10");
    price_fails("pending move to 12.5 from 10 (move 0.25 > max_move 0.2)");
    fails("f1", "unauthorized: f1 is not governance", "{\"confirm_price\":{\"denom\":\"uatom\"}}");
    fails("gov", "unknown asset: ubtc", "{\"confirm_price\":{\"denom\":\"ubtc\"}}");
    fails("gov", "asset uosmo is chain-sourced: confirm_price needs a feeders asset",
          "{\"confirm_price\":{\"denom\":\"uosmo\"}}");
    advance(7);
    ok("gov", "action=confirm_price denom=uatom old_price=10 new_price=12.5",
       "{\"confirm_price\":{\"denom\":\"uatom\"}}");
    price_is("12.5", 7);
    fails("gov", "no pending price for uatom", "{\"confirm_price\":{\"denom\":\"uatom\"}}");
}

Test(oracle, pending_move_confirmed_by_a_later_median_from_another_feeder) {
    price_at_10();
    submit("f1", "13",
           SUBMIT_ATTRS("f1", "13", "2") " median=10 move=0 outcome=accepted "
                                         "old_price=10 new_price=10");
    submit("f3", "13",
           SUBMIT_ATTRS("f3", "13", "3") " median=13 move=0.3 outcome=pending "
                                         "pending_price=13 current_price=10");
    /* The same feeder again cannot confirm its own pending move. */
    submit("f3", "13.1",
           SUBMIT_ATTRS("f3", "13.1", "3") " median=13 move=0.3 outcome=pending "
                                           "pending_price=13 current_price=10");
    /* Another feeder's submission: {13, 13.1, 13.2} → 13.1, within 20 % of 13: confirmed. */
    submit("f2", "13.2",
           SUBMIT_ATTRS("f2", "13.2", "3") " median=13.1 move=0.31 "
                                           "outcome=confirmed old_price=10 "
                                           "new_price=13.1");
    price_is("13.1", 0);
}

Test(oracle, pending_move_dropped_when_the_median_returns) {
    price_at_10();
    submit("f1", "5",
           SUBMIT_ATTRS("f1", "5", "2") " median=5 move=0.5 outcome=pending "
                                        "pending_price=5 current_price=10");
    /* f3 at 10: {5, 10, 10} → 10, within max_move of the live 10: accepted, pending dropped. */
    submit("f3", "10",
           SUBMIT_ATTRS("f3", "10", "3") " median=10 move=0 outcome=accepted "
                                         "old_price=10 new_price=10 "
                                         "pending_cleared=true");
    price_is("10", 0);
}

Test(oracle, set_price_override) {
    price_at_10();
    submit("f1", "20",
           SUBMIT_ATTRS("f1", "20", "2") " median=10 move=0 outcome=accepted "
                                         "old_price=10 new_price=10");
    submit("f3", "20",
           SUBMIT_ATTRS("f3", "20", "3") " median=20 move=1 outcome=pending "
                                         "pending_price=20 current_price=10");
    fails("f1", "unauthorized: f1 is not governance",
          "{\"set_price\":{\"denom\":\"uatom\",\"price\":\"19\"}}");
    fails("gov", "invalid price: 0 (must be positive)",
          "{\"set_price\":{\"denom\":\"uatom\",\"price\":\"0\"}}");
    fails("gov", "asset uosmo is chain-sourced: set_price needs a feeders asset",
          "{\"set_price\":{\"denom\":\"uosmo\",\"price\":\"1\"}}");
    advance(30);
    ok("gov", "action=set_price denom=uatom old_price=10 new_price=19 pending_cleared=true",
       "{\"set_price\":{\"denom\":\"uatom\",\"price\":\"19\"}}");
    price_is("19", 30);
    ok("gov", "action=set_price denom=uatom old_price=19 new_price=18.5 pending_cleared=false",
       "{\"set_price\":{\"denom\":\"uatom\",\"price\":\"18.50\"}}");
}

/* --- Delayed price -------------------------------------------------------------------------- */

Test(oracle, delayed_price_with_poke) {
    setup_oracle(THREE, 2, 3600);
    fails("eve", "unknown asset: ubtc", "{\"poke\":{\"denom\":\"ubtc\"}}");
    fails("eve", "poke refused: no valid price for uatom: quorum not met (0 fresh of 2 required)",
          "{\"poke\":{\"denom\":\"uatom\"}}");
    submit("f1", "10", SUBMIT_ATTRS("f1", "10", "1") " outcome=no_quorum");
    submit("f2", "10",
           SUBMIT_ATTRS("f2", "10", "2") " median=10 outcome=accepted old_price=none "
                                         "new_price=10");
    /* The live median exists, the delayed price does not yet. */
    price_fails("no delayed price yet (poke to start)");
    query_fails("no valid price for uatom: no next price yet (poke to start)",
                "{\"next_price\":{\"denom\":\"uatom\"}}");
    advance(10);
    /* The first poke starts the queue: current = next = live. Anyone may poke. */
    ok("eve", "action=poke denom=uatom old_price=none new_price=10 next_price=10",
       "{\"poke\":{\"denom\":\"uatom\"}}");
    price_is("10", 0);
    char want[256];
    snprintf(want, sizeof want,
             "{\"denom\":\"uatom\",\"price\":\"10\",\"updated_at\":\"%s\",\"source\":\"feeders\","
             "\"valid_from\":\"%s\"}",
             ns(0), ns(3610));
    answer(want, "{\"next_price\":{\"denom\":\"uatom\"}}");
    /* Feeders move to 11; the engine keeps seeing 10. */
    submit("f1", "11",
           SUBMIT_ATTRS("f1", "11", "2") " median=10 move=0 outcome=accepted "
                                         "old_price=10 new_price=10");
    submit("f3", "11",
           SUBMIT_ATTRS("f3", "11", "3") " median=11 move=0.1 outcome=accepted "
                                         "old_price=10 new_price=11");
    price_is("10", 0);
    advance(3599);
    fails("eve", "poke too early for uatom: next poke at 1700003610000000000 (in 1s)",
          "{\"poke\":{\"denom\":\"uatom\"}}");
    /* Keep the live price fresh (f1 and f3 submitted 3599 s ago: stale), then poke. */
    submit("f2", "11", SUBMIT_ATTRS("f2", "11", "1") " outcome=no_quorum");
    submit("f1", "11",
           SUBMIT_ATTRS("f1", "11", "2") " median=11 move=0 outcome=accepted "
                                         "old_price=11 new_price=11");
    advance(1);
    ok("eve", "action=poke denom=uatom old_price=10 new_price=10 next_price=11",
       "{\"poke\":{\"denom\":\"uatom\"}}");
    snprintf(want, sizeof want,
             "{\"denom\":\"uatom\",\"price\":\"11\",\"updated_at\":\"%s\",\"source\":\"feeders\","
             "\"valid_from\":\"%s\"}",
             ns(3609), ns(7210));
    answer(want, "{\"next_price\":{\"denom\":\"uatom\"}}");
    advance(3600);
    submit("f2", "11", SUBMIT_ATTRS("f2", "11", "1") " outcome=no_quorum");
    submit("f3", "11",
           SUBMIT_ATTRS("f3", "11", "2") " median=11 move=0 outcome=accepted "
                                         "old_price=11 new_price=11");
    ok("eve", "action=poke denom=uatom old_price=10 new_price=11 next_price=11",
       "{\"poke\":{\"denom\":\"uatom\"}}");
    price_is("11", 3609);
    /* Unpoked, the delayed price goes stale after max_age + 2 x delay = 7800 s. */
    advance(7800 - (now_s() - 3609));
    price_is("11", 3609);
    advance(1);
    price_fails("stale (age 7801s > max_age 600s + 2 x delay 3600s)");
}

Test(oracle, delayed_set_price_and_delay_changes) {
    setup_oracle(THREE, 2, 60);
    ok("gov", "action=set_price denom=uatom old_price=none new_price=3 pending_cleared=false",
       "{\"set_price\":{\"denom\":\"uatom\",\"price\":\"3\"}}");
    /* The override is served immediately, also in delayed mode. */
    price_is("3", 0);
    fails("eve", "poke too early for uatom: next poke at 1700000060000000000 (in 60s)",
          "{\"poke\":{\"denom\":\"uatom\"}}");
    /* Switching delay off serves the live price; back on, the queue restarts. */
    ok("gov", "action=update_config old_delay=60 new_delay=0", "{\"update_config\":{\"delay\":0}}");
    price_is("3", 0);
    fails("eve", "nothing to poke: delay is 0", "{\"poke\":{\"denom\":\"uatom\"}}");
    char want[256];
    snprintf(want, sizeof want,
             "{\"denom\":\"uatom\",\"price\":\"3\",\"updated_at\":\"%s\",\"source\":\"feeders\","
             "\"valid_from\":\"%s\"}",
             ns(0), ns(0));
    answer(want, "{\"next_price\":{\"denom\":\"uatom\"}}");
    ok("gov", "action=update_config old_delay=0 new_delay=60",
       "{\"update_config\":{\"delay\":60}}");
    price_fails("no delayed price yet (poke to start)");
    ok("eve", "action=poke denom=uatom old_price=none new_price=3 next_price=3",
       "{\"poke\":{\"denom\":\"uatom\"}}");
    price_is("3", 0);
}

/* --- Governance ----------------------------------------------------------------------------- */

Test(oracle, update_config) {
    setup3();
    fails("f1", "unauthorized: f1 is not governance", "{\"update_config\":{\"quorum\":3}}");
    fails("gov", "invalid quorum: 4 (must be between 1 and feeder count 3)",
          "{\"update_config\":{\"quorum\":4}}");
    fails("gov", "invalid max_age: 0 (must be 1..31536000 seconds)",
          "{\"update_config\":{\"max_age\":0}}");
    fails("gov", "invalid max_move: 0 (must be positive)",
          "{\"update_config\":{\"max_move\":\"0\"}}");
    fails("gov", "invalid delay: 31536001 (must be 0..31536000 seconds)",
          "{\"update_config\":{\"delay\":31536001}}");
    fails("gov", "Error parsing into type oracle::msg::ExecuteMsg: unknown field `governance`",
          "{\"update_config\":{\"governance\":\"x\"}}");
    ok("gov", "action=update_config", "{\"update_config\":{}}");
    ok("gov",
       "action=update_config old_quorum=2 new_quorum=3 old_max_age=600 new_max_age=120 "
       "old_max_move=0.2 new_max_move=0.05 old_delay=0 new_delay=30",
       "{\"update_config\":{\"quorum\":3,\"max_age\":120,\"max_move\":\"0.050\",\"delay\":30}}");
    ok("gov", "action=update_config old_max_age=120 new_max_age=300",
       "{\"update_config\":{\"quorum\":null,\"max_age\":300}}");
    char want[512];
    snprintf(want, sizeof want,
             "{\"governance\":\"gov\",\"feeders\":[%s],\"quorum\":3,\"max_age\":300,"
             "\"max_move\":\"0.05\",\"delay\":30}",
             sorted_feeders("f1 f2 f3"));
    answer(want, "{\"config\":{}}");
}

Test(oracle, set_asset_and_remove_asset) {
    price_at_10();
    fails("f1", "unauthorized: f1 is not governance",
          "{\"set_asset\":{\"denom\":\"ubtc\",\"source\":\"chain\"}}");
    fails("gov", "invalid denom: 1btc (3-128 characters [a-zA-Z0-9/:._-], starting with a letter)",
          "{\"set_asset\":{\"denom\":\"1btc\",\"source\":\"chain\"}}");
    fails("gov", "invalid source: both (expected feeders or chain)",
          "{\"set_asset\":{\"denom\":\"ubtc\",\"source\":\"both\"}}");
    ok("gov",
       "action=set_asset denom=ibc/27AB old_source=none new_source=feeders submissions_removed=0",
       "{\"set_asset\":{\"denom\":\"ibc/27AB\",\"source\":\"feeders\"}}");
    accounting_is(3, 3, 2);
    /* The same source changes nothing. */
    ok("gov",
       "action=set_asset denom=uatom old_source=feeders new_source=feeders submissions_removed=0",
       "{\"set_asset\":{\"denom\":\"uatom\",\"source\":\"feeders\"}}");
    price_is("10", 0);
    /* A new source drops the price state and the submissions. */
    ok("gov",
       "action=set_asset denom=uatom old_source=feeders new_source=chain submissions_removed=2",
       "{\"set_asset\":{\"denom\":\"uatom\",\"source\":\"chain\"}}");
    accounting_is(3, 3, 0);
    answer("{\"assets\":[{\"denom\":\"ibc/27AB\",\"source\":\"feeders\"},{\"denom\":\"uatom\","
           "\"source\":\"chain\"},{\"denom\":\"uosmo\",\"source\":\"chain\"}]}",
           "{\"assets\":{}}");
    ok("gov",
       "action=set_asset denom=uatom old_source=chain new_source=feeders submissions_removed=0",
       "{\"set_asset\":{\"denom\":\"uatom\",\"source\":\"feeders\"}}");
    price_fails("quorum not met (0 fresh of 2 required)");
    submit("f1", "7", SUBMIT_ATTRS("f1", "7", "1") " outcome=no_quorum");
    fails("f1", "unauthorized: f1 is not governance", "{\"remove_asset\":{\"denom\":\"uatom\"}}");
    fails("gov", "unknown asset: ubtc", "{\"remove_asset\":{\"denom\":\"ubtc\"}}");
    ok("gov", "action=remove_asset denom=uatom old_source=feeders submissions_removed=1",
       "{\"remove_asset\":{\"denom\":\"uatom\"}}");
    accounting_is(3, 2, 0);
    query_fails("unknown asset: uatom", "{\"price\":{\"denom\":\"uatom\"}}");
    fails("f1", "unknown asset: uatom", SUBMIT("7"));
}

Test(oracle, add_and_remove_feeders) {
    price_at_10();
    fails("f1", "unauthorized: f1 is not governance", "{\"add_feeder\":{\"address\":\"{f4}\"}}");
    fails("gov", "feeder already registered: f1", "{\"add_feeder\":{\"address\":\"{f1}\"}}");
    ok("gov", "action=add_feeder address=f4 old_feeder_count=3 new_feeder_count=4",
       "{\"add_feeder\":{\"address\":\"{f4}\"}}");
    submit("f4", "10",
           SUBMIT_ATTRS("f4", "10", "3") " median=10 move=0 outcome=accepted "
                                         "old_price=10 new_price=10");
    accounting_is(4, 2, 3);
    fails("gov", "not a feeder: eve", "{\"remove_feeder\":{\"address\":\"{eve}\"}}");
    ok("gov",
       "action=remove_feeder address=f1 old_feeder_count=4 new_feeder_count=3 "
       "submissions_removed=1",
       "{\"remove_feeder\":{\"address\":\"{f1}\"}}");
    fails("f1", "unauthorized: f1 is not a feeder", SUBMIT("10"));
    ok("gov",
       "action=remove_feeder address=f3 old_feeder_count=3 new_feeder_count=2 "
       "submissions_removed=0",
       "{\"remove_feeder\":{\"address\":\"{f3}\"}}");
    accounting_is(2, 2, 2);
    fails("gov", "cannot remove feeder: quorum 2 would exceed feeder count 1",
          "{\"remove_feeder\":{\"address\":\"{f2}\"}}");
    char want[512];
    snprintf(want, sizeof want,
             "{\"governance\":\"gov\",\"feeders\":[%s],\"quorum\":2,\"max_age\":600,"
             "\"max_move\":\"0.2\",\"delay\":0}",
             sorted_feeders("f2 f4"));
    answer(want, "{\"config\":{}}");
}

Test(oracle, update_governance) {
    setup3();
    fails("f1", "unauthorized: f1 is not governance",
          "{\"update_governance\":{\"address\":\"{f1}\"}}");
    hs_result r =
        hs_execute(chain, oracle, "gov", "{\"update_governance\":{\"address\":\"bad\"}}", NULL, 0);
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "Generic error: addr_validate errored: "), "%s", r.error);
    hs_result_free(&r);
    ok("gov", "action=update_governance old_governance=gov new_governance=newgov",
       "{\"update_governance\":{\"address\":\"{newgov}\"}}");
    fails("gov", "unauthorized: gov is not governance", "{\"update_config\":{\"quorum\":1}}");
    ok("newgov", "action=update_config old_quorum=2 new_quorum=1",
       "{\"update_config\":{\"quorum\":1}}");
}

/* --- Chain-sourced prices ------------------------------------------------------------------- */

static void chain_price_is(const char *price, uint64_t at) {
    char want[256];
    snprintf(want, sizeof want,
             "{\"denom\":\"uosmo\",\"price\":\"%s\",\"updated_at\":\"%s\",\"source\":\"chain\"}",
             price, ns(at));
    answer(want, "{\"price\":{\"denom\":\"uosmo\"}}");
}

Test(oracle, chain_sourced_price) {
    setup3();
    hs_result r = hs_query(chain, oracle, "{\"price\":{\"denom\":\"uosmo\"}}");
    cr_assert(!r.ok);
    cr_assert(strstr(r.error, "no valid price for uosmo: chain oracle error: "), "%s", r.error);
    hs_result_free(&r);
    char *err = NULL;
    advance(20);
    cr_assert_eq(hs_oracle_set_price(chain, "uosmo", "2.50", &err), 0, "%s", err ? err : "");
    chain_price_is("2.5", 20);
    advance(600);
    chain_price_is("2.5", 20);
    advance(1);
    query_fails("no valid price for uosmo: stale (age 601s > max_age 600s)",
                "{\"price\":{\"denom\":\"uosmo\"}}");
    cr_assert_eq(hs_oracle_set_price(chain, "uosmo", "0", &err), 0, "%s", err ? err : "");
    query_fails("no valid price for uosmo: chain price is zero",
                "{\"price\":{\"denom\":\"uosmo\"}}");
    fails("gov", "asset uosmo is chain-sourced: set_price needs a feeders asset",
          "{\"set_price\":{\"denom\":\"uosmo\",\"price\":\"1\"}}");
}

Test(oracle, chain_sourced_price_delayed) {
    setup_oracle(THREE, 2, 100);
    char *err = NULL;
    cr_assert_eq(hs_oracle_set_price(chain, "uosmo", "2", &err), 0, "%s", err ? err : "");
    query_fails("no valid price for uosmo: no delayed price yet (poke to start)",
                "{\"price\":{\"denom\":\"uosmo\"}}");
    ok("eve", "action=poke denom=uosmo old_price=none new_price=2 next_price=2",
       "{\"poke\":{\"denom\":\"uosmo\"}}");
    advance(100);
    cr_assert_eq(hs_oracle_set_price(chain, "uosmo", "3", &err), 0, "%s", err ? err : "");
    ok("eve", "action=poke denom=uosmo old_price=2 new_price=2 next_price=3",
       "{\"poke\":{\"denom\":\"uosmo\"}}");
    chain_price_is("2", 0);
    advance(100);
    ok("eve", "action=poke denom=uosmo old_price=2 new_price=3 next_price=3",
       "{\"poke\":{\"denom\":\"uosmo\"}}");
    chain_price_is("3", 100);
}

/* --- Queries ---------------------------------------------------------------------------------- */

Test(oracle, query_refusals) {
    setup3();
    query_fails("unknown asset: ubtc", "{\"price\":{\"denom\":\"ubtc\"}}");
    query_fails("unknown asset: ubtc", "{\"next_price\":{\"denom\":\"ubtc\"}}");
    query_fails("Error parsing into type oracle::msg::QueryMsg: unknown variant `prices`",
                "{\"prices\":{}}");
    query_fails("Error parsing into type oracle::msg::QueryMsg: unknown field `denom`",
                "{\"config\":{\"denom\":\"uatom\"}}");
    query_fails("Error parsing into type oracle::msg::QueryMsg: missing field `denom`",
                "{\"price\":{}}");
}

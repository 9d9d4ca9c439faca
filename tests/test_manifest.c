/* test_manifest.c — the deploy manifest (deploy/src/manifest*.c, units.c): exact unit
 * conversions and their edge cases, every validation rule with its exact text and JSON path,
 * all errors reported at once, the shipped deploy/networks/local.json, the canonical hash, and
 * the `cdp-deploy validate` command. Reference: deploy/MANIFEST.md. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "manifest.h"
#include "units.h"

#define LOCAL_JSON "deploy/networks/local.json"

static bool starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* --- Units ----------------------------------------------------------------------------------- */

static char ERR[DEP_UNIT_ERR_CAP];

static const char *percent(const char *text) {
    static char out[DEP_NUM_CAP];
    dep_u128 a;
    cr_assert_eq(dep_parse_percent(text, &a, ERR), DEP_UNIT_OK, "%s: %s", text, ERR);
    return dep_decimal_format(a, out);
}

static void percent_fails(const char *text, dep_unit_result code, const char *msg) {
    dep_u128 a;
    cr_assert_eq(dep_parse_percent(text, &a, ERR), code, "%s", text);
    cr_assert_str_eq(ERR, msg);
}

Test(units, percentages_convert_exactly) {
    cr_assert_str_eq(percent("0%"), "0");
    cr_assert_str_eq(percent("100%"), "1");
    cr_assert_str_eq(percent("60%"), "0.6");
    cr_assert_str_eq(percent("13%"), "0.13");
    cr_assert_str_eq(percent("2.5%"), "0.025");
    cr_assert_str_eq(percent("0.1%"), "0.001");
    cr_assert_str_eq(percent("250%"), "2.5");
    cr_assert_str_eq(percent("007%"), "0.07");
    cr_assert_str_eq(percent("0.0000000000000001%"), "0.000000000000000001");
    cr_assert_str_eq(percent("33.3333333333333333%"), "0.333333333333333333");
    dep_u128 a;
    cr_assert_eq(dep_parse_percent("60%", &a, ERR), DEP_UNIT_OK);
    cr_assert(a == (dep_u128)600000000000000000ull);
}

Test(units, percentages_refused) {
    percent_fails("0.00000000000000001%", DEP_UNIT_ERR_PRECISION,
                  "\"0.00000000000000001%\" has 17 fractional digits (at most 16 for a "
                  "percentage)");
    percent_fails("-5%", DEP_UNIT_ERR_NEGATIVE, "\"-5%\" is negative");
    percent_fails("0.6", DEP_UNIT_ERR_UNIT, "\"0.6\" must be a percentage like \"60%\"");
    percent_fails("%", DEP_UNIT_ERR_UNIT, "\"%\" must be a percentage like \"60%\"");
    percent_fails(".5%", DEP_UNIT_ERR_SYNTAX, "\".5%\" must be a percentage like \"60%\"");
    percent_fails("5.%", DEP_UNIT_ERR_SYNTAX, "\"5.%\" must be a percentage like \"60%\"");
    percent_fails("1e2%", DEP_UNIT_ERR_SYNTAX, "\"1e2%\" must be a percentage like \"60%\"");
    percent_fails("60 %", DEP_UNIT_ERR_SYNTAX, "\"60 %\" must be a percentage like \"60%\"");
    percent_fails("+5%", DEP_UNIT_ERR_SYNTAX, "\"+5%\" must be a percentage like \"60%\"");
    percent_fails("1.2.3%", DEP_UNIT_ERR_SYNTAX, "\"1.2.3%\" must be a percentage like \"60%\"");
    /* 10^24 % = 10^22 does not fit a Decimal (at most ~3.4·10^20). */
    percent_fails("1000000000000000000000000%", DEP_UNIT_ERR_OVERFLOW,
                  "\"1000000000000000000000000%\" overflows Decimal");
    percent_fails("340282366920938463463374607431768211456%", DEP_UNIT_ERR_OVERFLOW,
                  "\"340282366920938463463374607431768211456%\" overflows Decimal");
}

Test(units, annual_rates) {
    dep_u128 a;
    char out[DEP_NUM_CAP];
    cr_assert_eq(dep_parse_annual_rate("2.5%/yr", &a, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_decimal_format(a, out), "0.025");
    cr_assert_eq(dep_parse_annual_rate("0%/yr", &a, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_decimal_format(a, out), "0");
    cr_assert_eq(dep_parse_annual_rate("100%/yr", &a, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_decimal_format(a, out), "1");
    cr_assert_eq(dep_parse_annual_rate("2.5%", &a, ERR), DEP_UNIT_ERR_UNIT);
    cr_assert_str_eq(ERR, "\"2.5%\" must be an annual rate like \"2.5%/yr\"");
    cr_assert_eq(dep_parse_annual_rate("2.5%/y", &a, ERR), DEP_UNIT_ERR_UNIT);
    cr_assert_eq(dep_parse_annual_rate("-1%/yr", &a, ERR), DEP_UNIT_ERR_NEGATIVE);
    cr_assert_str_eq(ERR, "\"-1%/yr\" is negative");
    cr_assert_eq(dep_parse_annual_rate("1.12345678901234567%/yr", &a, ERR), DEP_UNIT_ERR_PRECISION);
    cr_assert_str_eq(ERR, "\"1.12345678901234567%/yr\" has 17 fractional digits (at most 16 for "
                          "an annual rate)");
}

Test(units, ratios) {
    dep_u128 a;
    char out[DEP_NUM_CAP];
    cr_assert_eq(dep_parse_ratio("0.95", &a, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_decimal_format(a, out), "0.95");
    cr_assert_eq(dep_parse_ratio("1", &a, ERR), DEP_UNIT_OK);
    cr_assert(a == DEP_DECIMAL_SCALE);
    cr_assert_eq(dep_parse_ratio("0.123456789012345678", &a, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_decimal_format(a, out), "0.123456789012345678");
    cr_assert_eq(dep_parse_ratio("0.1234567890123456789", &a, ERR), DEP_UNIT_ERR_PRECISION);
    cr_assert_str_eq(ERR, "\"0.1234567890123456789\" has 19 fractional digits (at most 18 for a "
                          "Decimal)");
    cr_assert_eq(dep_parse_ratio("95%", &a, ERR), DEP_UNIT_ERR_UNIT);
    cr_assert_str_eq(ERR, "\"95%\" must be a plain decimal ratio like \"0.95\"");
    cr_assert_eq(dep_parse_ratio("", &a, ERR), DEP_UNIT_ERR_SYNTAX);
    cr_assert_str_eq(ERR, "\"\" must be a plain decimal ratio like \"0.95\"");
    /* The largest Decimal and one atomic unit above it. */
    cr_assert_eq(dep_parse_ratio("340282366920938463463.374607431768211455", &a, ERR), DEP_UNIT_OK);
    cr_assert(a == DEP_U128_MAX);
    cr_assert_str_eq(dep_decimal_format(a, out), "340282366920938463463.374607431768211455");
    cr_assert_eq(dep_parse_ratio("340282366920938463463.374607431768211456", &a, ERR),
                 DEP_UNIT_ERR_OVERFLOW);
}

Test(units, amounts_to_base_units) {
    dep_u128 v;
    char out[DEP_NUM_CAP];
    cr_assert_eq(dep_parse_amount("10000000", 6, &v, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_u128_format(v, out), "10000000000000");
    cr_assert_eq(dep_parse_amount("1500.25", 6, &v, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_u128_format(v, out), "1500250000");
    cr_assert_eq(dep_parse_amount("0.000001", 6, &v, ERR), DEP_UNIT_OK);
    cr_assert(v == 1);
    cr_assert_eq(dep_parse_amount("0", 6, &v, ERR), DEP_UNIT_OK);
    cr_assert(v == 0);
    cr_assert_eq(dep_parse_amount("1", 18, &v, ERR), DEP_UNIT_OK);
    cr_assert(v == DEP_DECIMAL_SCALE);
    cr_assert_eq(dep_parse_amount("250", 8, &v, ERR), DEP_UNIT_OK);
    cr_assert_str_eq(dep_u128_format(v, out), "25000000000");
    cr_assert_eq(dep_parse_amount("340282366920938463463374607431768211455", 0, &v, ERR),
                 DEP_UNIT_OK);
    cr_assert(v == DEP_U128_MAX);
    cr_assert_str_eq(dep_u128_format(v, out), "340282366920938463463374607431768211455");
    cr_assert_eq(dep_parse_amount("340282366920938463463374607431768.211455", 6, &v, ERR),
                 DEP_UNIT_OK);
    cr_assert(v == DEP_U128_MAX);
}

Test(units, amounts_refused) {
    dep_u128 v;
    cr_assert_eq(dep_parse_amount("0.0000001", 6, &v, ERR), DEP_UNIT_ERR_PRECISION);
    cr_assert_str_eq(ERR, "\"0.0000001\" has 7 fractional digits (at most 6 for 6 decimals)");
    cr_assert_eq(dep_parse_amount("1.5", 0, &v, ERR), DEP_UNIT_ERR_PRECISION);
    cr_assert_str_eq(ERR, "\"1.5\" has 1 fractional digits (at most 0 for 0 decimals)");
    cr_assert_eq(dep_parse_amount("-1", 6, &v, ERR), DEP_UNIT_ERR_NEGATIVE);
    cr_assert_str_eq(ERR, "\"-1\" is negative");
    cr_assert_eq(dep_parse_amount("1e6", 6, &v, ERR), DEP_UNIT_ERR_SYNTAX);
    cr_assert_str_eq(ERR, "\"1e6\" must be an amount in whole tokens like \"1500\" or \"0.25\"");
    cr_assert_eq(dep_parse_amount("10 000", 6, &v, ERR), DEP_UNIT_ERR_SYNTAX);
    cr_assert_eq(dep_parse_amount("340282366920938463463374607431768211456", 0, &v, ERR),
                 DEP_UNIT_ERR_OVERFLOW);
    cr_assert_str_eq(ERR, "\"340282366920938463463374607431768211456\" overflows Uint128");
    cr_assert_eq(dep_parse_amount("340282366920938463463374607431768.211456", 6, &v, ERR),
                 DEP_UNIT_ERR_OVERFLOW);
    cr_assert_eq(dep_parse_amount("340282366920938463463374607431769", 6, &v, ERR),
                 DEP_UNIT_ERR_OVERFLOW);
    cr_assert_str_eq(ERR, "\"340282366920938463463374607431769\" overflows Uint128 in base units "
                          "(6 decimals)");
}

Test(units, durations) {
    uint64_t s;
    cr_assert_eq(dep_parse_duration("90s", &s, ERR), DEP_UNIT_OK);
    cr_assert_eq(s, 90);
    cr_assert_eq(dep_parse_duration("30m", &s, ERR), DEP_UNIT_OK);
    cr_assert_eq(s, 1800);
    cr_assert_eq(dep_parse_duration("2h", &s, ERR), DEP_UNIT_OK);
    cr_assert_eq(s, 7200);
    cr_assert_eq(dep_parse_duration("7d", &s, ERR), DEP_UNIT_OK);
    cr_assert_eq(s, 604800);
    cr_assert_eq(dep_parse_duration("0s", &s, ERR), DEP_UNIT_OK);
    cr_assert_eq(s, 0);
    cr_assert_eq(dep_parse_duration("18446744073709551615s", &s, ERR), DEP_UNIT_OK);
    cr_assert_eq(s, UINT64_MAX);
    cr_assert_eq(dep_parse_duration("213503982334601d", &s, ERR), DEP_UNIT_OK);
    cr_assert_eq(s, 213503982334601ull * 86400);
    cr_assert_eq(dep_parse_duration("213503982334602d", &s, ERR), DEP_UNIT_ERR_OVERFLOW);
    cr_assert_str_eq(ERR, "\"213503982334602d\" overflows 64-bit seconds");
    cr_assert_eq(dep_parse_duration("18446744073709551616s", &s, ERR), DEP_UNIT_ERR_OVERFLOW);
    const char *bad[] = {"1.5h", "90", "h", "",    "2 h",
                         "2H",   "1w", "s", "+5s", "123456789012345678901s"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(dep_parse_duration(bad[i], &s, ERR), DEP_UNIT_ERR_UNIT, "%s", bad[i]);
    dep_parse_duration("1.5h", &s, ERR);
    cr_assert_str_eq(ERR, "\"1.5h\" must be a whole number of s, m, h or d like \"90s\", \"30m\", "
                          "\"2h\", \"7d\"");
    cr_assert_eq(dep_parse_duration("-5s", &s, ERR), DEP_UNIT_ERR_NEGATIVE);
    cr_assert_str_eq(ERR, "\"-5s\" is negative");
}

Test(units, decimal_text_has_no_trailing_zeros) {
    char out[DEP_NUM_CAP];
    cr_assert_str_eq(dep_decimal_format(0, out), "0");
    cr_assert_str_eq(dep_decimal_format(1, out), "0.000000000000000001");
    cr_assert_str_eq(dep_decimal_format(DEP_DECIMAL_SCALE * 12 + DEP_DECIMAL_SCALE / 2, out),
                     "12.5");
    cr_assert_str_eq(dep_decimal_format(DEP_DECIMAL_SCALE * 10, out), "10");
}

/* --- Manifest documents ---------------------------------------------------------------------- */

static json_t *local_doc(void) {
    json_error_t e;
    json_t *doc = json_load_file(LOCAL_JSON, 0, &e);
    cr_assert(doc, "%s: %s", LOCAL_JSON, e.text);
    return doc;
}

/* The parent of a path like "markets[1].collaterals[0].max_ltv" and its last key (or index,
 * with *key NULL). */
static json_t *walk(json_t *doc, const char *path, char *key, size_t *index, bool *is_index) {
    json_t *cur = doc;
    const char *s = path;
    for (;;) {
        size_t n = strcspn(s, ".[");
        bool idx = false;
        char part[128];
        if (*s == '[') {
            idx = true;
            n = strcspn(s, "]");
            snprintf(part, sizeof part, "%.*s", (int)n - 1, s + 1);
            s += n + 1;
        } else {
            snprintf(part, sizeof part, "%.*s", (int)n, s);
            s += n;
        }
        if (*s == '.') s++;
        if (!*s) {
            strcpy(key, part);
            *is_index = idx;
            *index = idx ? (size_t)atoi(part) : 0;
            return cur;
        }
        cur = idx ? json_array_get(cur, (size_t)atoi(part)) : json_object_get(cur, part);
        cr_assert(cur, "no %s in the document (at %s)", path, part);
    }
}

/* Set (steal value) or, with value NULL, delete the element at path. */
static void set(json_t *doc, const char *path, json_t *value) {
    char key[128];
    size_t index;
    bool is_index;
    json_t *parent = walk(doc, path, key, &index, &is_index);
    if (is_index) {
        if (value)
            cr_assert_eq(json_array_set_new(parent, index, value), 0);
        else
            cr_assert_eq(json_array_remove(parent, index), 0);
    } else if (value) {
        cr_assert_eq(json_object_set_new(parent, key, value), 0);
    } else {
        cr_assert_eq(json_object_del(parent, key), 0, "no %s to delete", path);
    }
}

static void set_str(json_t *doc, const char *path, const char *s) {
    set(doc, path, json_string(s));
}

/* Parse doc; returns the manifest (or NULL) and fills errs. */
static dep_manifest *parse_doc(json_t *doc, dep_errors *errs) {
    char *text = json_dumps(doc, JSON_INDENT(2));
    dep_manifest *m = dep_manifest_parse(text, strlen(text), errs);
    free(text);
    return m;
}

/* The document must be refused with exactly these errors (NULL-terminated), in this order. */
static void expect_errors(json_t *doc, ...) {
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_null(m, "the manifest was accepted");
    va_list ap;
    va_start(ap, doc);
    size_t i = 0;
    for (const char *want; (want = va_arg(ap, const char *)); i++) {
        cr_assert(i < errs.count, "missing error %zu: %s", i, want);
        cr_assert_str_eq(errs.items[i], want, "error %zu: got %s", i, errs.items[i]);
    }
    va_end(ap);
    cr_assert_eq(errs.count, i, "%zu errors, expected %zu; extra: %s", errs.count, i,
                 errs.count > i ? errs.items[i] : "");
    dep_errors_free(&errs);
    json_decref(doc);
}

/* A one-change document must be refused with exactly one error. */
static void expect_one(const char *path, const char *value, const char *error) {
    json_t *doc = local_doc();
    set_str(doc, path, value);
    expect_errors(doc, error, NULL);
}

/* --- The shipped manifest -------------------------------------------------------------------- */

Test(manifest, local_json_is_valid_with_onchain_values) {
    dep_errors errs = {0};
    dep_manifest *m = dep_manifest_load(LOCAL_JSON, &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    cr_assert_eq(errs.count, 0);
    cr_assert_str_eq(m->chain_id, "ballast-local");
    cr_assert_eq(m->target.kind, DEP_TARGET_LOCAL);
    cr_assert(m->target.supported);
    cr_assert_str_eq(m->target.state_dir, "build/devnet");
    cr_assert_str_eq(m->sources[DEP_CONTRACT_VAULT_ENGINE], "build/contracts/vault_engine.wasm");
    cr_assert_eq(m->stable_token.decimals, 6);
    cr_assert_eq(m->market_count, 3);
    const dep_market *atom = dep_manifest_market(m, "atom");
    cr_assert_not_null(atom);
    cr_assert_str_eq(atom->stability_fee.onchain, "0.025");
    cr_assert_str_eq(atom->stability_fee.text, "2.5%/yr");
    cr_assert_str_eq(atom->debt_ceiling.onchain, "20000000000000");
    cr_assert_str_eq(atom->collaterals[0].max_ltv.onchain, "0.6");
    cr_assert_str_eq(atom->collaterals[0].liquidation_threshold.onchain, "0.7");
    cr_assert_str_eq(atom->collaterals[0].liquidation_penalty.onchain, "0.13");
    cr_assert_eq(atom->auction.curve, DEP_CURVE_LINEAR);
    cr_assert_eq(atom->auction.duration.seconds, 7200);
    cr_assert_eq(atom->auction.max_duration.seconds, 5400);
    cr_assert_str_eq(atom->auction.start_buffer.onchain, "1.2");
    const dep_market *osmo = dep_manifest_market(m, "osmo");
    cr_assert_eq(osmo->collateral_count, 2);
    cr_assert_eq(osmo->auction.curve, DEP_CURVE_EXPONENTIAL);
    cr_assert_eq(osmo->auction.step.seconds, 90);
    cr_assert_str_eq(osmo->auction.cut.onchain, "0.99");
    const dep_market *wbtc = dep_manifest_market(m, "wbtc");
    cr_assert_eq(wbtc->collaterals[0].kind, DEP_KIND_CW20);
    cr_assert_eq(wbtc->collaterals[0].token, 0);
    cr_assert_str_eq(wbtc->collaterals[0].supply_cap.onchain, "25000000000");
    cr_assert_null(dep_manifest_market(m, "usd"));
    cr_assert_str_eq(m->engine.keeper_fee.onchain, "0.001");
    cr_assert_str_eq(m->engine.keeper_tip.onchain, "10000000");
    cr_assert_eq(m->oracle.max_age.seconds, 600);
    cr_assert_str_eq(m->oracle.max_move.onchain, "0.2");
    cr_assert_eq(m->oracle.quorum, 2);
    cr_assert_eq(m->oracle.assets[1].source, DEP_SOURCE_CHAIN);
    /* Aliases resolve like host-sim scripts: bech32("wasm", sha256(name)[0..20]). */
    cr_assert(m->oracle.feeders[0].alias);
    cr_assert_str_eq(m->oracle.feeders[0].address, "wasm1x7nxkx9krx3hsk70g6t4wv7hj057xdehmrmwjs");
    cr_assert_eq(m->governance.min_delay.seconds, 172800);
    cr_assert_eq(m->circuit_breaker, DEP_BREAKER_NONE);
    cr_assert(m->backstop_pool_enabled);
    cr_assert_eq(strlen(m->hash_hex), 64);
    dep_manifest_free(m);
}

/* --- Structure: unknown, missing, wrong types ------------------------------------------------ */

Test(manifest, unknown_fields_refused_everywhere) {
    json_t *doc = local_doc();
    set_str(doc, "markets[0].debt_cieling", "1");
    set_str(doc, "colour", "blue");
    set(doc, "markets[2].collaterals[0].price", json_string("1"));
    set(doc, "markets[1].auction.curve.duration", json_string("2h"));
    set(doc, "contracts.treasury", json_string("build/contracts/treasury.wasm"));
    expect_errors(doc, "colour: unknown field", "contracts.treasury: unknown field",
                  "markets[0].debt_cieling: unknown field",
                  "markets[1].auction.curve.duration: unknown field",
                  "markets[2].collaterals[0].price: unknown field", NULL);
}

Test(manifest, missing_fields_named_by_path) {
    json_t *doc = local_doc();
    set(doc, "markets[0].min_debt", NULL);
    set(doc, "oracle.quorum", NULL);
    set(doc, "governance.grace_period", NULL);
    set(doc, "markets[1].auction.curve.cut", NULL);
    set(doc, "contracts.settlement", NULL);
    expect_errors(doc, "contracts.settlement: missing field", "oracle.quorum: missing field",
                  "markets[0].min_debt: missing field",
                  "markets[1].auction.curve.cut: missing field",
                  "governance.grace_period: missing field", NULL);
}

Test(manifest, wrong_types) {
    json_t *doc = local_doc();
    set(doc, "oracle.quorum", json_string("2"));
    set(doc, "markets[0].collaterals[0].max_ltv", json_real(0.6));
    set(doc, "stable_token.decimals", json_real(6.0));
    set(doc, "backstop_pool.enabled", json_string("yes"));
    set(doc, "markets[1].collaterals", json_object());
    set(doc, "liquidator", json_array());
    expect_errors(doc, "stable_token.decimals: expected an integer, got a number",
                  "oracle.quorum: expected an integer, got a string",
                  "markets[0].collaterals[0].max_ltv: expected a string like \"60%\", got a "
                  "number",
                  "markets[1].collaterals: expected an array, got an object",
                  "liquidator: expected an object, got an array",
                  "backstop_pool.enabled: expected true or false, got a string", NULL);
}

Test(manifest, json_syntax_and_duplicate_keys) {
    dep_errors errs = {0};
    const char *bad = "{\"chain_id\": \"x\",\n \"chain_id\": \"y\"}";
    cr_assert_null(dep_manifest_parse(bad, strlen(bad), &errs));
    cr_assert_eq(errs.count, 1);
    cr_assert_str_eq(
        errs.items[0],
        "(document): invalid JSON at line 2, column 11: duplicate object key near '\"chain_id\"'");
    dep_errors_free(&errs);
    const char *cut = "{\"chain_id\": ";
    cr_assert_null(dep_manifest_parse(cut, strlen(cut), &errs));
    cr_assert_eq(errs.count, 1);
    cr_assert(strncmp(errs.items[0], "(document): invalid JSON at line 1", 34) == 0, "%s",
              errs.items[0]);
    dep_errors_free(&errs);
    const char *array = "[]";
    cr_assert_null(dep_manifest_parse(array, 2, &errs));
    cr_assert_str_eq(errs.items[0], "(document): expected an object, got an array");
    dep_errors_free(&errs);
}

Test(manifest, load_missing_file) {
    dep_errors errs = {0};
    cr_assert_null(dep_manifest_load("deploy/networks/nope.json", &errs));
    cr_assert_eq(errs.count, 1);
    cr_assert_str_eq(errs.items[0], "deploy/networks/nope.json: cannot open the manifest");
    dep_errors_free(&errs);
}

/* --- Header, target, contracts --------------------------------------------------------------- */

Test(manifest, header_rules) {
    json_t *doc = local_doc();
    set(doc, "manifest_version", json_integer(2));
    set_str(doc, "chain_id", "ballast local");
    set_str(doc, "address_prefix", "Wasm");
    expect_errors(doc, "manifest_version: 2 is not supported (expected 1)",
                  "chain_id: \"ballast local\" must match [a-zA-Z0-9._-]{1,50}",
                  "address_prefix: \"Wasm\" must match [a-z][a-z0-9]{0,19}", NULL);
}

Test(manifest, network_target_accepted_but_not_supported) {
    json_t *doc = local_doc();
    json_t *t = json_pack("{ssssssss}", "kind", "network", "rpc", "https://rpc.example.org:443",
                          "grpc", "grpc.example.org:9090", "gas_price", "0.025uatom");
    set(doc, "target", t);
    /* Aliases are for the local devnet only: a network needs real addresses. */
    set_str(doc, "oracle.feeders[0]", "wasm1x7nxkx9krx3hsk70g6t4wv7hj057xdehmrmwjs");
    set_str(doc, "oracle.feeders[1]", "wasm10e5nm5n70eju9pc764rqke63fqpmnsqz8ym4ph");
    set_str(doc, "oracle.feeders[2]", "wasm14rsus6hqe57m5vx0l8jy2v0jpqp57w6wsumnj9");
    set_str(doc, "governance.proposer", "wasm1d3ce49qrpfkysj7xu2dsftzvd5ntt7jsn8n90p");
    set_str(doc, "governance.guardian", "wasm1mhnw396tg6s7mhxhagamhzvngt6getvfhvf9sa");
    set_str(doc, "governance.emergency", "wasm1h927dnggpp6yeawt5fsfqms4d26vgvrkyq0sla");
    set_str(doc, "tokens[0].initial_balances[0].address",
            "wasm1d3ce49qrpfkysj7xu2dsftzvd5ntt7jsn8n90p");
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    cr_assert_eq(m->target.kind, DEP_TARGET_NETWORK);
    cr_assert_not(m->target.supported);
    cr_assert_str_eq(m->target.gas_price, "0.025uatom");
    cr_assert_not(m->oracle.feeders[0].alias);
    dep_manifest_free(m);
    /* The same with an alias left in and bad endpoints. */
    set_str(doc, "governance.guardian", "guardian");
    set_str(doc, "target.rpc", "rpc.example.org");
    set_str(doc, "target.gas_price", "cheap");
    set_str(doc, "target.state_dir", "x");
    expect_errors(doc, "target.state_dir: unknown field",
                  "target.rpc: \"rpc.example.org\" must start with http:// or https://",
                  "target.gas_price: \"cheap\" must be an amount and a denom like \"0.025uatom\"",
                  "governance.guardian: \"guardian\" is an alias; the network target needs a "
                  "bech32 address with prefix wasm",
                  NULL);
}

Test(manifest, target_kind_and_state_dir) {
    json_t *doc = local_doc();
    set_str(doc, "target.kind", "mainnet");
    expect_errors(doc, "target.kind: \"mainnet\" must be \"local\" or \"network\"", NULL);
    doc = local_doc();
    set(doc, "target.state_dir", NULL);
    set(doc, "target.rpc", json_string("http://x"));
    expect_errors(doc, "target.rpc: unknown field", "target.state_dir: missing field", NULL);
    expect_one("target.state_dir", "", "target.state_dir: must not be empty");
}

Test(manifest, contract_sources) {
    expect_one("contracts.oracle", "build/contracts/oracle",
               "contracts.oracle: \"build/contracts/oracle\" must be a path to a .wasm file");
    json_t *doc = local_doc();
    set(doc, "contracts.cw20_base", NULL);
    expect_errors(doc, "contracts.cw20_base: missing field (the tokens are instantiated from it)",
                  NULL);
    /* Without tokens, cw20_base is optional. */
    doc = local_doc();
    set(doc, "contracts.cw20_base", NULL);
    set(doc, "tokens", NULL);
    set_str(doc, "markets[2].collaterals[0].asset",
            "wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d");
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    cr_assert_null(m->sources[DEP_CONTRACT_CW20_BASE]);
    cr_assert_eq(m->markets[2].collaterals[0].token, -1);
    dep_manifest_free(m);
    json_decref(doc);
}

Test(manifest, section_shapes) {
    json_t *doc = local_doc();
    set(doc, "tokens", json_object());
    set(doc, "markets[0].auction.curve", json_string("linear"));
    set_str(doc, "target.kind", "network");
    set(doc, "target.state_dir", NULL);
    set_str(doc, "target.rpc", "https://rpc.example.org");
    set_str(doc, "target.grpc", "");
    set_str(doc, "target.gas_price", "0.025uatom");
    expect_errors(doc, "target.grpc: must not be empty",
                  /* aliases on a network target */
                  "oracle.feeders[0]: \"feeder_a\" is an alias; the network target needs a bech32 "
                  "address with prefix wasm",
                  "oracle.feeders[1]: \"feeder_b\" is an alias; the network target needs a bech32 "
                  "address with prefix wasm",
                  "oracle.feeders[2]: \"feeder_c\" is an alias; the network target needs a bech32 "
                  "address with prefix wasm",
                  "tokens: expected an array, got an object",
                  "markets[0].auction.curve: expected an object, got a string",
                  "markets[2].collaterals[0].asset: \"token:wbtc\" names no entry of tokens",
                  "governance.proposer: \"proposer\" is an alias; the network target needs a "
                  "bech32 address with prefix wasm",
                  "governance.guardian: \"guardian\" is an alias; the network target needs a "
                  "bech32 address with prefix wasm",
                  "governance.emergency: \"emergency\" is an alias; the network target needs a "
                  "bech32 address with prefix wasm",
                  NULL);
}

/* --- stable_token and tokens ----------------------------------------------------------------- */

Test(manifest, cw20_metadata_rules) {
    json_t *doc = local_doc();
    set_str(doc, "stable_token.name", "US");
    set_str(doc, "stable_token.symbol", "BUSD1");
    set(doc, "stable_token.decimals", json_integer(19));
    set_str(doc, "tokens[0].symbol", "WB");
    expect_errors(doc, "stable_token.decimals: 19 must be between 0 and 18",
                  "stable_token.name: \"US\" must be 3 to 50 bytes long",
                  "stable_token.symbol: \"BUSD1\" must match [a-zA-Z-]{3,12}",
                  "tokens[0].symbol: \"WB\" must match [a-zA-Z-]{3,12}", NULL);
}

Test(manifest, stable_amounts_use_stable_decimals) {
    json_t *doc = local_doc();
    set(doc, "stable_token.decimals", json_integer(2));
    set_str(doc, "markets[0].min_debt", "0.5");
    set_str(doc, "markets[0].auction.dust", "0.125");
    expect_errors(doc,
                  "markets[0].auction.dust: \"0.125\" has 3 fractional digits (at most 2 for 2 "
                  "decimals)",
                  NULL);
    doc = local_doc();
    set(doc, "stable_token.decimals", json_integer(2));
    set_str(doc, "markets[0].min_debt", "0.5");
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m);
    cr_assert_str_eq(m->markets[0].min_debt.onchain, "50");
    cr_assert_str_eq(m->engine.global_debt_ceiling.onchain, "5000000000");
    dep_manifest_free(m);
    json_decref(doc);
}

Test(manifest, token_rules) {
    json_t *doc = local_doc();
    json_array_append_new(json_object_get(doc, "tokens"),
                          json_pack("{sssssssis[]}", "id", "wbtc", "name", "Other BTC", "symbol",
                                    "OBTC", "decimals", 8, "initial_balances"));
    set_str(doc, "tokens[0].initial_balances[0].amount", "0.000000001");
    expect_errors(doc,
                  "tokens[0].initial_balances[0].amount: \"0.000000001\" has 9 fractional "
                  "digits (at most 8 for 8 decimals)",
                  "tokens[1].id: \"wbtc\" is a duplicate of tokens[0]", NULL);
    doc = local_doc();
    set_str(doc, "tokens[0].id", "WBTC");
    expect_errors(doc, "tokens[0].id: \"WBTC\" must match [a-z0-9_-]{1,32}",
                  "markets[2].collaterals[0].asset: \"token:wbtc\" names no entry of tokens", NULL);
}

Test(manifest, cw20_collateral_references) {
    json_t *doc = local_doc();
    set_str(doc, "markets[2].collaterals[0].asset", "token:weth");
    set(doc, "markets[2].collaterals[0].decimals", json_integer(6));
    expect_errors(doc, "markets[2].collaterals[0].asset: \"token:weth\" names no entry of tokens",
                  NULL);
    doc = local_doc();
    set(doc, "markets[2].collaterals[0].decimals", json_integer(6));
    expect_errors(doc, "markets[2].collaterals[0].decimals: 6 must equal tokens[0].decimals 8",
                  NULL);
    expect_one("markets[2].collaterals[0].asset", "wbtc",
               "markets[2].collaterals[0].asset: \"wbtc\" is not a bech32 contract address "
               "with prefix wasm");
    expect_one("markets[0].collaterals[0].asset", "9atom",
               "markets[0].collaterals[0].asset: \"9atom\" must be a native denom "
               "[a-zA-Z][a-zA-Z0-9/:._-]{2,127}");
    expect_one("markets[0].collaterals[0].kind", "ibc",
               "markets[0].collaterals[0].kind: \"ibc\" must be \"native\" or \"cw20\"");
}

/* --- Oracle ---------------------------------------------------------------------------------- */

Test(manifest, oracle_quorum) {
    json_t *doc = local_doc();
    set(doc, "oracle.quorum", json_integer(4));
    expect_errors(doc, "oracle.quorum: 4 must be <= the number of feeders 3", NULL);
    doc = local_doc();
    set(doc, "oracle.quorum", json_integer(0));
    expect_errors(doc, "oracle.quorum: 0 must be between 1 and 1000", NULL);
    doc = local_doc();
    set(doc, "oracle.quorum", json_integer(3));
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m); /* quorum == feeders is the edge that holds */
    dep_manifest_free(m);
    json_decref(doc);
}

Test(manifest, oracle_feeders_and_assets) {
    json_t *doc = local_doc();
    set_str(doc, "oracle.feeders[2]", "feeder_a");
    set_str(doc, "oracle.assets[3].denom", "uosmo");
    set_str(doc, "oracle.assets[0].source", "band");
    expect_errors(doc, "oracle.assets[0].source: \"band\" must be \"feeders\" or \"chain\"",
                  "oracle.feeders[2]: \"feeder_a\" is a duplicate of oracle.feeders[0] "
                  "(wasm1x7nxkx9krx3hsk70g6t4wv7hj057xdehmrmwjs)",
                  "oracle.assets[3].denom: \"uosmo\" is a duplicate of oracle.assets[1]",
                  "markets[2].collaterals[0].oracle_denom: \"wbtc\" is not an asset of "
                  "oracle.assets",
                  NULL);
    doc = local_doc();
    set_str(doc, "oracle.assets[0].denom", "u1");
    expect_errors(doc, "oracle.assets[0].denom: \"u1\" must match [a-zA-Z][a-zA-Z0-9/:._-]{2,127}",
                  "markets[0].collaterals[0].oracle_denom: \"uatom\" is not an asset of "
                  "oracle.assets",
                  NULL);
}

Test(manifest, oracle_durations_and_move) {
    expect_one("oracle.max_age", "0s", "oracle.max_age: 0s must be >= 1s");
    expect_one("oracle.max_age", "366d", "oracle.max_age: 366d must be <= 365d");
    expect_one("oracle.delay", "366d", "oracle.delay: 366d must be <= 365d");
    expect_one("oracle.max_move", "0%", "oracle.max_move: 0% must be > 0%");
    expect_one("oracle.max_age", "10 minutes",
               "oracle.max_age: \"10 minutes\" must be a whole number of s, m, h or d like "
               "\"90s\", \"30m\", \"2h\", \"7d\"");
}

/* --- Addresses ------------------------------------------------------------------------------- */

Test(manifest, addresses) {
    expect_one("governance.proposer", "cosmos1x7nxkx9krx3hsk70g6t4wv7hj057xdeh3l2mmm",
               "governance.proposer: \"cosmos1x7nxkx9krx3hsk70g6t4wv7hj057xdeh3l2mmm\" has "
               "prefix cosmos, expected wasm");
    expect_one("governance.proposer", "wasm1x7nxkx9krx3hsk70g6t4wv7hj057xdehmrmwjq",
               "governance.proposer: \"wasm1x7nxkx9krx3hsk70g6t4wv7hj057xdehmrmwjq\" is not a "
               "valid address: invalid checksum");
    expect_one("governance.emergency", "Ops Team",
               "governance.emergency: \"Ops Team\" is neither a bech32 address with prefix wasm "
               "nor an alias [a-z][a-z0-9_-]{0,31}");
    json_t *doc = local_doc();
    set(doc, "oracle.feeders[1]", json_integer(7));
    expect_errors(doc, "oracle.feeders[1]: expected a string like \"alice\", got a number", NULL);
}

/* --- Engine and markets ---------------------------------------------------------------------- */

Test(manifest, keeper_rewards) {
    json_t *doc = local_doc();
    set_str(doc, "engine.keeper_tip", "600");
    expect_errors(doc, "engine.keeper_tip: 600 must be <= keeper_reward_cap 500", NULL);
    expect_one("engine.keeper_fee", "101%", "engine.keeper_fee: 101% must be <= 100%");
    doc = local_doc();
    set_str(doc, "engine.keeper_tip", "500"); /* equal: allowed */
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m);
    dep_manifest_free(m);
    json_decref(doc);
}

Test(manifest, market_ids) {
    expect_one("markets[1].id", "atom", "markets[1].id: \"atom\" is a duplicate of markets[0]");
    expect_one("markets[0].id", "Atom", "markets[0].id: \"Atom\" must match [a-z0-9_-]{1,32}");
    expect_one("markets[0].id", "", "markets[0].id: \"\" must match [a-z0-9_-]{1,32}");
    json_t *doc = local_doc();
    set(doc, "markets", json_array());
    expect_errors(doc, "markets: must list at least one market", NULL);
}

Test(manifest, market_amounts) {
    expect_one("markets[0].min_debt", "20000001",
               "markets[0].min_debt: 20000001 must be <= debt_ceiling 20000000");
    expect_one("markets[0].stability_fee", "101%/yr",
               "markets[0].stability_fee: 101%/yr must be <= 100%/yr");
    expect_one("markets[0].stability_fee", "2.5%",
               "markets[0].stability_fee: \"2.5%\" must be an annual rate like \"2.5%/yr\"");
    expect_one("markets[0].debt_ceiling", "-1", "markets[0].debt_ceiling: \"-1\" is negative");
    expect_one("engine.global_debt_ceiling", "340282366920938463463374607431769",
               "engine.global_debt_ceiling: \"340282366920938463463374607431769\" "
               "overflows Uint128 in base units (6 decimals)");
    expect_one("engine.global_debt_ceiling", "340282366920938463463374607431768211456",
               "engine.global_debt_ceiling: \"340282366920938463463374607431768211456\" "
               "overflows Uint128");
}

Test(manifest, collateral_counts) {
    json_t *doc = local_doc();
    set(doc, "markets[0].collaterals", json_array());
    expect_errors(doc, "markets[0].collaterals: 0 collaterals, must be 1 to 16", NULL);
    doc = local_doc();
    json_t *cols =
        json_object_get(json_array_get(json_object_get(doc, "markets"), 0), "collaterals");
    json_t *first = json_array_get(cols, 0);
    for (int i = 1; i < 17; i++) {
        json_t *c = json_deep_copy(first);
        char denom[32];
        snprintf(denom, sizeof denom, "uatom%d", i);
        json_object_set_new(c, "asset", json_string(denom));
        json_array_append_new(cols, c);
    }
    expect_errors(doc, "markets[0].collaterals: 17 collaterals, must be 1 to 16", NULL);
}

Test(manifest, collateral_duplicates_and_oracle_denoms) {
    json_t *doc = local_doc();
    set_str(doc, "markets[1].collaterals[1].asset", "uosmo");
    set_str(doc, "markets[1].collaterals[0].oracle_denom", "uosmo2");
    expect_errors(doc,
                  "markets[1].collaterals[0].oracle_denom: \"uosmo2\" is not an asset of "
                  "oracle.assets",
                  "markets[1].collaterals[1].asset: \"uosmo\" is a duplicate of "
                  "markets[1].collaterals[0]",
                  NULL);
    /* The same asset in two markets is two independent collaterals: allowed. */
    doc = local_doc();
    set_str(doc, "markets[1].collaterals[1].asset", "uatom");
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    dep_manifest_free(m);
    json_decref(doc);
}

Test(manifest, max_ltv_below_threshold) {
    json_t *doc = local_doc();
    set_str(doc, "markets[1].collaterals[0].max_ltv", "85%");
    set_str(doc, "markets[1].collaterals[0].liquidation_threshold", "80%");
    expect_errors(doc, "markets[1].collaterals[0].max_ltv: 85% must be < liquidation_threshold 80%",
                  NULL);
    expect_one("markets[0].collaterals[0].max_ltv", "70%",
               "markets[0].collaterals[0].max_ltv: 70% must be < liquidation_threshold 70%");
    expect_one("markets[0].collaterals[0].max_ltv", "0%",
               "markets[0].collaterals[0].max_ltv: 0% must be > 0%");
    json_t *d2 = local_doc();
    set_str(d2, "markets[0].collaterals[0].liquidation_threshold", "100%");
    expect_errors(d2, "markets[0].collaterals[0].liquidation_threshold: 100% must be < 100%", NULL);
}

Test(manifest, threshold_times_penalty_at_most_one) {
    json_t *doc = local_doc();
    set_str(doc, "markets[0].collaterals[0].liquidation_threshold", "90%");
    expect_errors(doc,
                  "markets[0].collaterals[0].liquidation_penalty: liquidation_threshold 90% × "
                  "(1 + 13%) must be <= 100%",
                  NULL);
    /* Exactly 1: 80% × 1.25 = 100% holds; one atomic unit more does not. */
    doc = local_doc();
    set_str(doc, "markets[0].collaterals[0].liquidation_threshold", "80%");
    set_str(doc, "markets[0].collaterals[0].liquidation_penalty", "25%");
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    dep_manifest_free(m);
    set_str(doc, "markets[0].collaterals[0].liquidation_penalty", "25.0000000000000001%");
    expect_errors(doc,
                  "markets[0].collaterals[0].liquidation_penalty: liquidation_threshold 80% × "
                  "(1 + 25.0000000000000001%) must be <= 100%",
                  NULL);
    expect_one("markets[0].collaterals[0].liquidation_penalty", "51%",
               "markets[0].collaterals[0].liquidation_penalty: 51% must be <= 50%");
}

Test(manifest, supply_cap_uses_collateral_decimals) {
    expect_one("markets[2].collaterals[0].supply_cap", "0.000000001",
               "markets[2].collaterals[0].supply_cap: \"0.000000001\" has 9 fractional digits "
               "(at most 8 for 8 decimals)");
    json_t *doc = local_doc();
    set_str(doc, "markets[2].collaterals[0].supply_cap", "0.00000001");
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m);
    cr_assert_str_eq(m->markets[2].collaterals[0].supply_cap.onchain, "1");
    dep_manifest_free(m);
    json_decref(doc);
}

/* --- Auctions and liquidator ----------------------------------------------------------------- */

Test(manifest, auction_ranges) {
    expect_one("markets[0].auction.start_buffer", "99%",
               "markets[0].auction.start_buffer: 99% must be >= 100%");
    expect_one("markets[0].auction.start_buffer", "1001%",
               "markets[0].auction.start_buffer: 1001% must be <= 1000%");
    expect_one("markets[0].auction.reset_threshold", "100%",
               "markets[0].auction.reset_threshold: 100% must be < 100%");
    expect_one("markets[0].auction.reset_threshold", "0%",
               "markets[0].auction.reset_threshold: 0% must be > 0%");
    expect_one("markets[1].auction.curve.cut", "100%",
               "markets[1].auction.curve.cut: 100% must be < 100%");
    expect_one("markets[1].auction.curve.cut", "0%",
               "markets[1].auction.curve.cut: 0% must be > 0%");
    expect_one("markets[0].auction.backstop_health", "1.01",
               "markets[0].auction.backstop_health: 1.01 must be <= 1");
    expect_one("markets[0].auction.backstop_health", "90%",
               "markets[0].auction.backstop_health: \"90%\" must be a plain decimal ratio like "
               "\"0.95\"");
    expect_one("markets[0].auction.max_duration", "0s",
               "markets[0].auction.max_duration: 0s must be >= 1s");
    expect_one("markets[0].auction.curve.duration", "0h",
               "markets[0].auction.curve.duration: 0h must be >= 1s");
    expect_one("markets[1].auction.curve.step", "0s",
               "markets[1].auction.curve.step: 0s must be >= 1s");
    expect_one("markets[0].auction.curve.kind", "stairs",
               "markets[0].auction.curve.kind: \"stairs\" must be \"linear\" or \"exponential\"");
}

Test(manifest, auction_cross_rules) {
    expect_one("markets[0].auction.max_duration", "121m",
               "markets[0].auction.max_duration: 121m must be <= curve.duration 2h (a linear "
               "price reaches zero at the end of its duration)");
    expect_one("markets[1].auction.curve.step", "3h",
               "markets[1].auction.curve.step: 3h must be <= max_duration 2h (the price must "
               "fall before a reset)");
    json_t *doc = local_doc();
    set(doc, "backstop_pool.enabled", json_false());
    set_str(doc, "markets[1].auction.backstop_health", "0");
    set_str(doc, "markets[2].auction.backstop_health", "0");
    expect_errors(doc,
                  "markets[0].auction.backstop_health: 0.9 needs backstop_pool.enabled (use "
                  "\"0\" without a pool)",
                  NULL);
    /* Edges that hold: max_duration == duration, step == max_duration. */
    doc = local_doc();
    set_str(doc, "markets[0].auction.max_duration", "120m");
    set_str(doc, "markets[1].auction.curve.step", "2h");
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    dep_manifest_free(m);
    json_decref(doc);
}

Test(manifest, circuit_breaker_levels) {
    const char *names[] = {"none", "stop_auctions", "stop_redo", "stop_take"};
    for (int i = 0; i < 4; i++) {
        json_t *doc = local_doc();
        set_str(doc, "liquidator.circuit_breaker", names[i]);
        dep_errors errs = {0};
        dep_manifest *m = parse_doc(doc, &errs);
        cr_assert_not_null(m);
        cr_assert_eq((int)m->circuit_breaker, i);
        dep_manifest_free(m);
        json_decref(doc);
    }
    expect_one("liquidator.circuit_breaker", "on",
               "liquidator.circuit_breaker: \"on\" must be \"none\", \"stop_auctions\", "
               "\"stop_redo\" or \"stop_take\"");
}

/* --- Governance ------------------------------------------------------------------------------ */

Test(manifest, governance_delays) {
    expect_one("governance.min_delay", "31d", "governance.min_delay: 31d must be <= max_delay 30d");
    expect_one("governance.grace_period", "0s", "governance.grace_period: 0s must be >= 1s");
    expect_one("governance.max_delay", "400d", "governance.max_delay: 400d must be <= 365d");
    json_t *doc = local_doc();
    set_str(doc, "governance.min_delay", "30d"); /* equal: allowed */
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m);
    cr_assert_eq(m->governance.min_delay.seconds, 2592000);
    dep_manifest_free(m);
    json_decref(doc);
}

Test(manifest, governance_optional_roles_and_emergency_actions) {
    json_t *doc = local_doc();
    set(doc, "governance.guardian", json_null());
    set(doc, "governance.emergency", json_null());
    set(doc, "governance.emergency_actions", NULL);
    dep_errors errs = {0};
    dep_manifest *m = parse_doc(doc, &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    cr_assert(m->governance.guardian.ok);
    cr_assert_null(m->governance.guardian.address);
    cr_assert_null(m->governance.emergency.text);
    cr_assert_not(m->governance.emergency_actions_set);
    dep_manifest_free(m);
    json_decref(doc);
    doc = local_doc();
    m = parse_doc(doc, &errs);
    cr_assert_not_null(m);
    cr_assert_eq(m->governance.emergency_action_count, 3);
    cr_assert_str_eq(m->governance.emergency_actions[1], "shutdown");
    dep_manifest_free(m);
    set(doc, "governance.proposer", json_null());
    set(doc, "governance.emergency_actions", json_pack("[sssi]", "pause", "Pause", "pause", 3));
    expect_errors(doc, "governance.proposer: expected a string like \"alice\", got null",
                  "governance.emergency_actions[1]: \"Pause\" must match [a-z0-9_]{1,64}",
                  "governance.emergency_actions[2]: \"pause\" is a duplicate of "
                  "governance.emergency_actions[0]",
                  "governance.emergency_actions[3]: expected a string like \"shutdown\", got a "
                  "number",
                  NULL);
    doc = local_doc();
    json_t *many = json_array();
    for (int i = 0; i < 17; i++) {
        char a[32];
        snprintf(a, sizeof a, "stop_%d", i);
        json_array_append_new(many, json_string(a));
    }
    set(doc, "governance.emergency_actions", many);
    expect_errors(doc, "governance.emergency_actions: 17 actions, at most 16", NULL);
    doc = local_doc();
    set(doc, "governance.emergency_actions", json_string("pause"));
    expect_errors(doc, "governance.emergency_actions: expected an array or null, got a string",
                  NULL);
}

/* --- All errors at once ---------------------------------------------------------------------- */

Test(manifest, every_error_is_reported) {
    json_t *doc = local_doc();
    set_str(doc, "markets[0].collaterals[0].max_ltv", "75%");
    set_str(doc, "markets[1].stability_fee", "4%");
    set_str(doc, "markets[2].auction.dust", "1.0000001");
    set(doc, "oracle.quorum", json_integer(5));
    set_str(doc, "governance.min_delay", "90d");
    set_str(doc, "markets[2].surprise", "!");
    /* Field errors in section order first, then the cross-field rules in section order. */
    expect_errors(doc, "markets[1].stability_fee: \"4%\" must be an annual rate like \"2.5%/yr\"",
                  "markets[2].surprise: unknown field",
                  "markets[2].auction.dust: \"1.0000001\" has 7 fractional digits (at most 6 "
                  "for 6 decimals)",
                  "oracle.quorum: 5 must be <= the number of feeders 3",
                  "markets[0].collaterals[0].max_ltv: 75% must be < liquidation_threshold 70%",
                  "governance.min_delay: 90d must be <= max_delay 30d", NULL);
}

/* --- Canonical hash -------------------------------------------------------------------------- */

/* A copy of v with every object's keys inserted in reverse order. */
static json_t *reversed(json_t *v) {
    if (json_is_array(v)) {
        json_t *a = json_array();
        for (size_t i = 0; i < json_array_size(v); i++)
            json_array_append_new(a, reversed(json_array_get(v, i)));
        return a;
    }
    if (!json_is_object(v)) return json_deep_copy(v);
    const char *keys[64];
    size_t n = 0;
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) keys[n++] = k;
    json_t *o = json_object();
    while (n--) json_object_set_new(o, keys[n], reversed(json_object_get(v, keys[n])));
    return o;
}

static char *hash_of_text(const char *text) {
    dep_errors errs = {0};
    dep_manifest *m = dep_manifest_parse(text, strlen(text), &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    char *h = strdup(m->hash_hex);
    dep_manifest_free(m);
    return h;
}

Test(manifest, hash_stable_under_key_order_and_whitespace) {
    json_t *doc = local_doc();
    char *compact = json_dumps(doc, JSON_COMPACT);
    json_t *rev = reversed(doc);
    char *rev_text = json_dumps(rev, JSON_INDENT(7));
    cr_assert(strncmp(compact, "{\"manifest_version\"", 19) == 0);
    cr_assert(strncmp(rev_text, "{\n       \"governance\"", 21) == 0, "%.40s", rev_text);
    char *file_text = NULL;
    size_t len = 0;
    FILE *f = fopen(LOCAL_JSON, "r");
    cr_assert(getdelim(&file_text, &len, 0, f) > 0);
    fclose(f);
    char *h1 = hash_of_text(file_text), *h2 = hash_of_text(compact), *h3 = hash_of_text(rev_text);
    cr_assert_str_eq(h1, h2);
    cr_assert_str_eq(h1, h3);
    /* Any value change changes it, including one that converts to the same on-chain value. */
    set_str(doc, "markets[0].collaterals[0].max_ltv", "60.0%");
    char *changed = json_dumps(doc, 0);
    char *h4 = hash_of_text(changed);
    cr_assert_str_neq(h1, h4);
    free(h1), free(h2), free(h3), free(h4), free(changed), free(file_text), free(compact),
        free(rev_text);
    json_decref(rev);
    json_decref(doc);
}

Test(manifest, hash_is_sha256_of_the_sorted_compact_form) {
    dep_errors errs = {0};
    dep_manifest *m = dep_manifest_load(LOCAL_JSON, &errs);
    cr_assert_not_null(m);
    cr_assert(starts_with(m->canonical,
                          "{\"address_prefix\":\"wasm\",\"backstop_pool\":{\"enabled\":true},"
                          "\"chain_id\":\"ballast-local\",\"contracts\":{\"backstop_pool\":"),
              "%.120s", m->canonical);
    cr_assert_null(strchr(m->canonical, '\n'));
    cr_assert_null(strstr(m->canonical, ": "));
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)m->canonical, strlen(m->canonical));
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    cr_assert_str_eq(m->hash_hex, hex);
    dep_manifest_free(m);
}

Test(manifest, canonical_form_escapes_non_ascii) {
    json_t *doc = local_doc();
    set_str(doc, "stable_token.name", "Ballast €uro");
    char *text = json_dumps(doc, 0);
    dep_errors errs = {0};
    dep_manifest *m = dep_manifest_parse(text, strlen(text), &errs);
    cr_assert_not_null(m);
    cr_assert_not_null(strstr(m->canonical, "\"name\":\"Ballast \\u20ACuro\""));
    cr_assert_str_eq(m->stable_token.name, "Ballast €uro");
    dep_manifest_free(m);
    free(text);
    json_decref(doc);
}

/* --- The command ----------------------------------------------------------------------------- */

static int run(const char *cmd, char **out) {
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t len = 0;
    *out = NULL;
    if (getdelim(out, &len, 0, p) < 0) {
        free(*out);
        *out = strdup("");
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(cli, validate_reports_every_error_and_exits_1) {
    char *out;
    cr_assert_eq(run("build/bin/cdp-deploy validate " LOCAL_JSON " 2>&1", &out), 0);
    cr_assert(starts_with(out, "ok deploy/networks/local.json: chain ballast-local, target local, "
                               "3 markets, 4 collaterals, 4 oracle assets, manifest hash "),
              "%s", out);
    free(out);
    json_t *doc = local_doc();
    set_str(doc, "markets[1].collaterals[0].max_ltv", "85%");
    set_str(doc, "markets[1].collaterals[0].liquidation_threshold", "80%");
    set(doc, "oracle.quorum", json_integer(4));
    char path[] = "/tmp/test_manifest_XXXXXX.json";
    int fd = mkstemps(path, 5);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(json_dump_file(doc, path, JSON_INDENT(2)), 0);
    json_decref(doc);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "build/bin/cdp-deploy validate %s 2>&1", path);
    cr_assert_eq(run(cmd, &out), 1);
    char want[512];
    snprintf(want, sizeof want,
             "oracle.quorum: 4 must be <= the number of feeders 3\n"
             "markets[1].collaterals[0].max_ltv: 85%% must be < liquidation_threshold 80%%\n"
             "%s: invalid manifest (2 errors)\n",
             path);
    cr_assert_str_eq(out, want);
    free(out);
    unlink(path);
    cr_assert_eq(run("build/bin/cdp-deploy show " LOCAL_JSON " 2>&1", &out), 0);
    cr_assert(starts_with(out, "parameter "), "%.60s", out);
    cr_assert_not_null(strstr(out, "\noracle.max_age                                       10m  "
                                   "          600\n"),
                       "%s", out);
    cr_assert_not_null(strstr(out, "\nmarkets[atom].stability_fee                          "
                                   "2.5%/yr        0.025\n"));
    cr_assert_not_null(strstr(out, "\nmarkets[wbtc].token:wbtc.supply_cap                  250  "
                                   "          25000000000\n"));
    free(out);
    cr_assert_eq(run("build/bin/cdp-deploy frobnicate x 2>&1", &out), 2);
    free(out);
}

/* test_deploy.c — cdp-deploy's plan/apply/proposals/execute/status on a persistent host-sim
 * devnet in a temporary directory (deploy/src/deploy.h, reference deploy/DEPLOY.md): a fresh
 * deployment and its post-state, idempotence, resume after an interruption, wrong chain id,
 * tampered records, a parameter change and a migration through the timelock, a mismatch behind
 * the tool's back, and the cw3-flex-multisig proposer flow of issue 6 point 4. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "deploy.h"
#include "hostsim.h"
#include "manifest.h"

#define LOCAL_JSON "deploy/networks/local.json"
#define CW4_GROUP "node_modules/@oraichain/common-contracts-build/data/cw4-group.wasm"
#define CW3_FLEX "node_modules/@oraichain/common-contracts-build/data/cw3-flex-multisig.wasm"
#define DELAY 172800 /* local.json governance.min_delay "2d" */

static char base[64], state[96], records[96], record_file[160];
static char *OUT, *ERR; /* output of the last command */

static void setup(void) {
    setenv("HOSTSIM_TIER2", "0", 1); /* no background gcc compiles in the suite */
    strcpy(base, "/tmp/test-deploy-XXXXXX");
    cr_assert_not_null(mkdtemp(base));
    snprintf(state, sizeof state, "%s/state", base);
    snprintf(records, sizeof records, "%s/records", base);
    snprintf(record_file, sizeof record_file, "%s/ballast-local.json", records);
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", base);
    cr_assert_eq(system(cmd), 0);
    free(OUT), free(ERR);
    OUT = ERR = NULL;
}

TestSuite(deploy, .init = setup, .fini = teardown, .timeout = 240);

/* --- Helpers ----------------------------------------------------------------------------- */

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    cr_assert(fread(s, 1, (size_t)n, f) == (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* local.json with each (from, to) replaced once. */
static dep_manifest *manifest_with(const char *const *edits, size_t n) {
    char *text = read_text(LOCAL_JSON);
    cr_assert_not_null(text);
    for (size_t i = 0; i + 1 < n; i += 2) {
        char *at = strstr(text, edits[i]);
        cr_assert_not_null(at, "`%s` not in local.json", edits[i]);
        size_t fl = strlen(edits[i]), tl = strlen(edits[i + 1]), len = strlen(text);
        char *next = malloc(len - fl + tl + 1);
        size_t pre = (size_t)(at - text);
        memcpy(next, text, pre);
        memcpy(next + pre, edits[i + 1], tl);
        strcpy(next + pre + tl, at + fl);
        free(text);
        text = next;
    }
    dep_errors errs = {0};
    dep_manifest *m = dep_manifest_parse(text, strlen(text), &errs);
    cr_assert_not_null(m, "%s", errs.count ? errs.items[0] : "");
    dep_errors_free(&errs);
    free(text);
    return m;
}

static dep_manifest *local(void) {
    return manifest_with(NULL, 0);
}

typedef enum { PLAN, APPLY, BROADCAST, PROPOSALS, EXECUTE, STATUS } command;

/* Run a command with the temp state and records; output into OUT and ERR. */
static int run_full(command c, const dep_manifest *m, uint64_t id, uint64_t advance,
                    unsigned stop_after) {
    free(OUT), free(ERR);
    size_t ol, el;
    FILE *out = open_memstream(&OUT, &ol), *err = open_memstream(&ERR, &el);
    dep_options o = {.state_dir = state,
                     .records_dir = records,
                     .broadcast = c == BROADCAST,
                     .time_advance = advance,
                     .stop_after = stop_after,
                     .out = out,
                     .err = err};
    int rc = -1;
    switch (c) {
    case PLAN:
        rc = dep_cmd_plan(m, &o);
        break;
    case APPLY:
    case BROADCAST:
        rc = dep_cmd_apply(m, &o);
        break;
    case PROPOSALS:
        rc = dep_cmd_proposals(m, &o);
        break;
    case EXECUTE:
        rc = dep_cmd_execute(m, id, &o);
        break;
    case STATUS:
        rc = dep_cmd_status(m, &o);
        break;
    }
    fclose(out);
    fclose(err);
    return rc;
}

static int run(command c, const dep_manifest *m) {
    return run_full(c, m, 0, 0, 0);
}

#define EXPECT_OUT(s) cr_assert_not_null(strstr(OUT, s), "output lacks `%s`:\n%s\n%s", s, OUT, ERR)
#define EXPECT_ERR(s) cr_assert_not_null(strstr(ERR, s), "stderr lacks `%s`:\n%s\n%s", s, ERR, OUT)

static json_t *record_doc(void) {
    json_error_t e;
    json_t *j = json_load_file(record_file, 0, &e);
    cr_assert_not_null(j, "%s", e.text);
    return j;
}

static const char *rec_address(json_t *rec, const char *name) {
    return json_string_value(
        json_object_get(json_object_get(json_object_get(rec, "contracts"), name), "address"));
}

static dep_chain CH;

static void chain_open(void) {
    char *err = NULL;
    cr_assert_eq(dep_target_open_local(state, "ballast-local", "wasm", &CH, &err), 0, "%s", err);
}

static void chain_close(void) {
    dep_target_close(&CH);
}

static json_t *q(const char *contract, const char *msg) {
    char *err = NULL;
    json_t *j = dep_query_json(&CH, contract, msg, &err);
    cr_assert_not_null(j, "%s", err);
    return j;
}

static void expect_field(json_t *obj, const char *key, const char *want) {
    json_t *v = json_object_get(obj, key);
    cr_assert(json_is_string(v), "%s missing", key);
    cr_assert_str_eq(json_string_value(v), want, "%s", key);
}

static json_t *contract_info(const char *addr) {
    char req[256];
    snprintf(req, sizeof req, "{\"wasm\":{\"contract_info\":{\"contract_addr\":\"%s\"}}}", addr);
    dep_call c = CH.ops->query_request(&CH, req);
    cr_assert(c.ok, "%s", c.error);
    json_t *j = json_loads(c.answer, 0, NULL);
    dep_call_free(&c);
    return j;
}

static void exec_as(const char *contract, const char *sender, const char *msg) {
    char who[128];
    CH.ops->address(&CH, sender, who, sizeof who);
    dep_call c = CH.ops->execute(&CH, contract, who, msg);
    cr_assert(c.ok, "execute %s as %s: %s", msg, sender, c.error);
    dep_call_free(&c);
}

static void deploy_fresh(const dep_manifest *m) {
    cr_assert_eq(run(BROADCAST, m), 0, "%s\n%s", OUT, ERR);
    EXPECT_OUT("deployed: 33 steps");
}

/* --- A fresh deployment -------------------------------------------------------------------- */

Test(deploy, fresh_apply_deploys_everything_then_nothing_to_do) {
    dep_manifest *m = local();
    cr_assert_eq(run(PLAN, m), 0);
    EXPECT_OUT("fresh devnet (no state yet): a full deployment");
    EXPECT_OUT("  + vault_engine     build/contracts/vault_engine.wasm");
    deploy_fresh(m);
    EXPECT_OUT("  store        governance       code 1");
    EXPECT_OUT("  store        backstop_pool    code 7");
    EXPECT_OUT("  execute      add_collateral wbtc token:wbtc\n");
    EXPECT_OUT("  execute      handover vault_engine\n");
    json_t *rec = record_doc();
    char *before = read_text(record_file);
    const char *timelock = rec_address(rec, "governance"),
               *engine = rec_address(rec, "vault_engine");
    const char *stable = rec_address(rec, "stable_token"), *liq = rec_address(rec, "liquidator");
    const char *pool = rec_address(rec, "backstop_pool"), *oracle = rec_address(rec, "oracle");
    cr_assert_str_eq(json_string_value(json_object_get(rec, "manifest_hash")), m->hash_hex);

    /* The post-state: roles, wiring, admins, parameters. */
    chain_open();
    json_t *e = q(engine, "{\"config\":{}}");
    expect_field(e, "governance", timelock);
    expect_field(e, "liquidator", liq);
    expect_field(e, "backstop_pool", pool);
    expect_field(e, "settlement", rec_address(rec, "settlement"));
    expect_field(e, "global_debt_ceiling", "50000000000000");
    json_decref(e);
    json_t *l = q(liq, "{\"config\":{}}");
    expect_field(l, "governance", timelock);
    expect_field(l, "backstop_pool", pool);
    json_decref(l);
    json_t *p = q(pool, "{\"config\":{}}");
    expect_field(p, "governance", timelock);
    json_decref(p);
    json_t *o = q(oracle, "{\"config\":{}}");
    expect_field(o, "governance", timelock);
    json_decref(o);
    json_t *minter = q(stable, "{\"minter\":{}}");
    expect_field(minter, "minter", engine);
    json_decref(minter);
    json_t *atom = q(engine, "{\"market\":{\"id\":\"atom\"}}");
    expect_field(json_array_get(json_object_get(atom, "collaterals"), 0), "max_ltv", "0.6");
    json_decref(atom);
    const char *names[] = {"governance",   "oracle",     "stable_token",  "token:wbtc",
                           "vault_engine", "liquidator", "backstop_pool", "settlement"};
    for (size_t i = 0; i < 8; i++) {
        json_t *ci = contract_info(rec_address(rec, names[i]));
        expect_field(ci, "admin", timelock); /* the timelock is its own admin too */
        cr_assert_eq(json_integer_value(json_object_get(ci, "code_id")), (json_int_t)i + 1);
        json_decref(ci);
    }
    chain_close();

    cr_assert_eq(run(PLAN, m), 0);
    EXPECT_OUT("nothing to change: every contract and parameter matches\n");
    cr_assert_eq(run(BROADCAST, m), 0);
    cr_assert_str_eq(OUT, "nothing to do: the chain matches the manifest\n");
    char *after = read_text(record_file);
    cr_assert_str_eq(after, before);
    cr_assert_eq(run(STATUS, m), 0);
    EXPECT_OUT("deployed, manifest ");
    EXPECT_OUT("record matches the chain (codes, addresses, code ids)\n");
    EXPECT_OUT("parameters: the chain matches the manifest\n");
    free(before), free(after);
    json_decref(rec);
    dep_manifest_free(m);
}

Test(deploy, apply_without_broadcast_publishes_nothing) {
    dep_manifest *m = local();
    cr_assert_eq(run(APPLY, m), 0, "%s", ERR);
    EXPECT_OUT("simulation on a copy of");
    EXPECT_OUT("deployed: 33 steps\nsimulation succeeded\n");
    struct stat st;
    cr_assert_neq(stat(state, &st), 0, "the simulation created the state directory");
    cr_assert_neq(stat(record_file, &st), 0, "the simulation wrote a record");
    /* On a deployed chain: the change is simulated, the chain and the record stay. */
    deploy_fresh(m);
    char *before = read_text(record_file);
    const char *edit[] = {"\"max_ltv\": \"60%\"", "\"max_ltv\": \"65%\""};
    dep_manifest *m2 = manifest_with(edit, 2);
    cr_assert_eq(run(APPLY, m2), 0);
    EXPECT_OUT("queued proposal 1: eta 1700172800");
    char *after = read_text(record_file);
    cr_assert_str_eq(after, before);
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("  parameter  markets[atom].uatom.max_ltv                  0.6                    "
               "-> 0.65 (65%)\n");
    free(before), free(after);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

Test(deploy, resume_after_interruption_repeats_nothing) {
    dep_manifest *m = local();
    /* Reference addresses from an uninterrupted deployment on another state. */
    deploy_fresh(m);
    json_t *ref = record_doc();
    char cmd[256];
    static const unsigned stops[] = {1, 2, 13, 32};
    for (size_t s = 0; s < sizeof stops / sizeof stops[0]; s++) {
        snprintf(cmd, sizeof cmd, "rm -rf %s %s", state, records);
        cr_assert_eq(system(cmd), 0);
        cr_assert_eq(run_full(BROADCAST, m, 0, 0, stops[s]), DEP_EXIT_STOPPED, "%s", ERR);
        char want[64];
        snprintf(want, sizeof want, "stopped after %u steps (stop hook)\n", stops[s]);
        EXPECT_OUT(want);
        json_t *mid = record_doc();
        cr_assert_eq(run(PLAN, m), 0);
        EXPECT_OUT("interrupted deployment");
        cr_assert_eq(run(BROADCAST, m), 0, "%s", ERR);
        /* The resumed run publishes exactly the remaining steps. */
        snprintf(want, sizeof want, "deployed: %u steps\n", 33 - stops[s]);
        EXPECT_OUT(want);
        json_t *done = record_doc();
        /* Everything recorded before the stop is unchanged, and the result equals the
         * uninterrupted one (same code ids, same addresses: nothing stored or instantiated
         * twice, or the sequences would have moved). */
        cr_assert(
            json_equal(json_object_get(done, "contracts"), json_object_get(ref, "contracts")));
        cr_assert(json_equal(json_object_get(done, "codes"), json_object_get(ref, "codes")));
        cr_assert(json_equal(json_object_get(done, "steps"), json_object_get(ref, "steps")));
        const char *name;
        json_t *c;
        json_object_foreach(json_object_get(mid, "contracts"), name, c) {
            cr_assert(json_equal(c, json_object_get(json_object_get(done, "contracts"), name)));
        }
        json_decref(mid), json_decref(done);
        cr_assert_eq(run(BROADCAST, m), 0);
        cr_assert_str_eq(OUT, "nothing to do: the chain matches the manifest\n");
    }
    json_decref(ref);
    dep_manifest_free(m);
}

Test(deploy, wrong_chain_id_refused_nothing_published) {
    dep_manifest *m = local();
    deploy_fresh(m);
    char *before = read_text(record_file);
    const char *edit[] = {"\"chain_id\": \"ballast-local\"", "\"chain_id\": \"ballast-other\""};
    dep_manifest *other = manifest_with(edit, 2);
    for (command c = PLAN; c <= STATUS; c++) {
        if (c == APPLY || c == PROPOSALS) continue;
        cr_assert_eq(run_full(c, other, 1, 0, 0), 1);
        EXPECT_ERR("chain id mismatch: the manifest says `ballast-other`, the target");
        EXPECT_ERR("is `ballast-local`; nothing published");
    }
    struct stat st;
    char other_rec[192];
    snprintf(other_rec, sizeof other_rec, "%s/ballast-other.json", records);
    cr_assert_neq(stat(other_rec, &st), 0);
    char *after = read_text(record_file);
    cr_assert_str_eq(after, before);
    /* Nothing was instantiated: the next contract address is the same as before. */
    cr_assert_eq(run(BROADCAST, m), 0);
    cr_assert_str_eq(OUT, "nothing to do: the chain matches the manifest\n");
    free(before), free(after);
    dep_manifest_free(other);
    dep_manifest_free(m);
}

/* The built governance.wasm's SHA-256 (hex, malloc'd): its code checksum on chain. */
static char *governance_checksum(void) {
    uint8_t *w = NULL;
    size_t n = 0;
    char *sum = dep_sha256_file("build/contracts/governance.wasm", &w, &n);
    cr_assert_not_null(sum, "cannot read build/contracts/governance.wasm");
    free(w);
    return sum;
}

/* Replace `from` in the record file with `to`; expect plan and apply refused with `why`. */
static void tamper(const dep_manifest *m, const char *from, const char *to, const char *why) {
    char *text = read_text(record_file);
    char *at = strstr(text, from);
    cr_assert_not_null(at, "`%s` not in the record", from);
    char *t2 = NULL;
    cr_assert(asprintf(&t2, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from)) > 0);
    write_text(record_file, t2);
    cr_assert_eq(run(PLAN, m), 1);
    EXPECT_ERR(why);
    cr_assert_eq(run(BROADCAST, m), 1);
    EXPECT_ERR(why);
    cr_assert_str_eq(OUT, "");
    write_text(record_file, text);
    free(text), free(t2);
}

Test(deploy, tampered_record_refused) {
    dep_manifest *m = local();
    deploy_fresh(m);
    json_t *rec = record_doc();
    const char *oracle = rec_address(rec, "oracle"), *stable = rec_address(rec, "stable_token");
    tamper(m, "\"record_version\": 1,", "\"record_version\": 1,,",
           "not a valid record: line 2, column");
    tamper(m, "\"record_version\": 1,", "\"record_version\": 1, \"extra\": true,",
           "not a valid record: record: unknown field `extra`");
    tamper(m, "\"code_id\": 5,", "\"code_id\": \"5\",",
           "not a valid record: record.codes.vault_engine.code_id: must be an integer");
    char *sum = governance_checksum(), bad[65], stale[300];
    snprintf(bad, sizeof bad, "%c%s", sum[0] == '0' ? '1' : '0', sum + 1);
    snprintf(stale, sizeof stale,
             "record tampered or stale: codes.governance: code 1 on chain has checksum %s, "
             "the record says %s",
             sum, bad);
    tamper(m, sum, bad, stale);
    free(sum);
    char from[160], to[160], why[400];
    snprintf(from, sizeof from, "\"address\": \"%s\"", oracle);
    snprintf(to, sizeof to, "\"address\": \"%s\"", stable);
    snprintf(why, sizeof why,
             "record tampered or stale: contracts.oracle: %s runs code 3 on chain, the record "
             "says 2",
             stable);
    tamper(m, from, to, why);
    snprintf(to, sizeof to, "\"address\": \"%s\"",
             "wasm1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqyqjhaun");
    tamper(m, from, to, "record tampered or stale: contracts.oracle: no contract at");
    /* Untouched again: accepted. */
    cr_assert_eq(run(BROADCAST, m), 0, "%s", ERR);
    json_decref(rec);
    dep_manifest_free(m);
}

/* --- Changes through the timelock ---------------------------------------------------------- */

Test(deploy, max_ltv_change_through_governance) {
    dep_manifest *m = local();
    deploy_fresh(m);
    const char *edit[] = {"\"max_ltv\": \"60%\"", "\"max_ltv\": \"65%\""};
    dep_manifest *m2 = manifest_with(edit, 2);
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("uploads: 0 (changed code, stored directly)\ninstantiations: none\n"
               "changes (1, one governance proposal of 1 messages):\n");
    EXPECT_OUT("  parameter  markets[atom].uatom.max_ltv                  0.6                    "
               "-> 0.65 (65%)\n");
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    EXPECT_OUT("queued proposal 1: eta 1700172800, msgs_hash ");
    json_t *rec = record_doc();
    json_t *p = json_array_get(json_object_get(rec, "proposals"), 0);
    cr_assert_eq(json_array_size(json_object_get(rec, "proposals")), 1);
    cr_assert_eq(json_integer_value(json_object_get(p, "id")), 1);
    cr_assert_eq(json_integer_value(json_object_get(p, "eta")), 1700000000 + DELAY);
    cr_assert_str_eq(json_string_value(json_object_get(p, "status")), "queued");
    cr_assert_str_eq(json_string_value(json_object_get(p, "manifest_hash")), m2->hash_hex);
    /* The same change again: already proposed. */
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("-> 0.65 (65%)\nalready proposed: proposal 1 (queued, eta 1700172800)\n");
    cr_assert_eq(run(BROADCAST, m2), 0);
    EXPECT_OUT("nothing to do: the change is already proposal 1 (queued");
    cr_assert_eq(run(PROPOSALS, m2), 0);
    EXPECT_OUT("  1    queued             1700172800   in 172800 s ");
    /* Early: refused by the timelock, nothing changes. */
    cr_assert_eq(run_full(EXECUTE, m2, 1, DELAY - 1, 0), 1);
    EXPECT_ERR("execute proposal 1: too early: proposal 1 eta 1700172800, now 1700172799");
    cr_assert_eq(run_full(EXECUTE, m2, 1, 1, 0), 0, "%s", ERR);
    EXPECT_OUT("executed proposal 1");
    EXPECT_OUT("post-state check passed: every on-chain value equals the manifest\n");
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("nothing to change");
    cr_assert_eq(run(BROADCAST, m2), 0);
    cr_assert_str_eq(OUT, "nothing to do: the chain matches the manifest\n");
    cr_assert_eq(run(PROPOSALS, m2), 0);
    EXPECT_OUT("  1    executed           1700172800 ");
    chain_open();
    json_t *atom = q(rec_address(rec, "vault_engine"), "{\"market\":{\"id\":\"atom\"}}");
    expect_field(json_array_get(json_object_get(atom, "collaterals"), 0), "max_ltv", "0.65");
    json_decref(atom);
    chain_close();
    /* The old manifest now differs from the chain. */
    cr_assert_eq(run(STATUS, m), 0);
    EXPECT_OUT("parameters: 1 differ from the manifest\n");
    json_decref(rec);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

Test(deploy, mismatch_behind_the_tools_back_reported) {
    dep_manifest *m = local();
    deploy_fresh(m);
    const char *edit[] = {"\"debt_ceiling\": \"20000000\"", "\"debt_ceiling\": \"25000000\""};
    dep_manifest *m2 = manifest_with(edit, 2);
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    EXPECT_OUT("  parameter  markets[atom].debt_ceiling                   20000000000000         "
               "-> 25000000000000 (25000000)\n");
    /* While the proposal waits, the emergency role stops new auctions directly. */
    json_t *rec = record_doc();
    chain_open();
    char *inner = dep_base64("{\"set_circuit_breaker\":{\"level\":1}}"), msg[512];
    snprintf(msg, sizeof msg,
             "{\"emergency\":{\"msgs\":[{\"wasm\":{\"execute\":{\"contract_addr\":\"%s\","
             "\"msg\":\"%s\",\"funds\":[]}}}]}}",
             rec_address(rec, "liquidator"), inner);
    exec_as(rec_address(rec, "governance"), "emergency", msg);
    free(inner);
    chain_close();
    cr_assert_eq(run_full(EXECUTE, m2, 1, DELAY, 0), 1);
    EXPECT_OUT("executed proposal 1");
    EXPECT_OUT("post-state check FAILED: 1 value(s) differ from the manifest:\n");
    EXPECT_OUT("  parameter  liquidator.circuit_breaker                   1                      "
               "-> 0\n");
    json_decref(rec);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

/* governance.wasm with a custom section appended: other checksum, same behaviour. */
static void write_governance_variant(const char *path) {
    char *w = NULL;
    FILE *f = fopen("build/contracts/governance.wasm", "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    w = malloc((size_t)n + 16);
    cr_assert(fread(w, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    const char section[] = {0, 6, 2, 'v', '2', 'n', 'e', 'w'}; /* custom "v2", payload "new" */
    memcpy(w + n, section, sizeof section);
    f = fopen(path, "wb");
    cr_assert(fwrite(w, 1, (size_t)n + sizeof section, f) == (size_t)n + sizeof section);
    fclose(f);
    free(w);
}

Test(deploy, migration_through_governance) {
    dep_manifest *m = local();
    deploy_fresh(m);
    char wasm[160], edit_to[200];
    snprintf(wasm, sizeof wasm, "%s/governance-v2.wasm", base);
    write_governance_variant(wasm);
    snprintf(edit_to, sizeof edit_to, "\"governance\": \"%s\"", wasm);
    const char *edit[] = {"\"governance\": \"build/contracts/governance.wasm\"", edit_to};
    dep_manifest *m2 = manifest_with(edit, 2);
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("uploads: 1 (changed code, stored directly)\n");
    char *sum = governance_checksum(), line[200];
    snprintf(line, sizeof line, "  migration  code.governance                              %s -> ",
             sum);
    free(sum);
    EXPECT_OUT(line);
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    EXPECT_OUT("  store        governance       code 9 ");
    EXPECT_OUT("queued proposal 1");
    json_t *rec = record_doc();
    json_t *mig = json_array_get(
        json_object_get(json_array_get(json_object_get(rec, "proposals"), 0), "migrations"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(mig, "contract")), "governance");
    cr_assert_eq(json_integer_value(json_object_get(mig, "code_id")), 9);
    cr_assert_eq(run(BROADCAST, m2), 0);
    EXPECT_OUT("nothing to do: the change is already proposal 1");
    cr_assert_eq(run_full(EXECUTE, m2, 1, 10, 0), 1);
    EXPECT_ERR("too early");
    cr_assert_eq(run_full(EXECUTE, m2, 1, DELAY, 0), 0, "%s\n%s", OUT, ERR);
    EXPECT_OUT("post-state check passed");
    json_decref(rec);
    rec = record_doc();
    json_t *g = json_object_get(json_object_get(rec, "contracts"), "governance");
    cr_assert_eq(json_integer_value(json_object_get(g, "code_id")), 9);
    chain_open();
    json_t *ci = contract_info(rec_address(rec, "governance"));
    cr_assert_eq(json_integer_value(json_object_get(ci, "code_id")), 9);
    json_decref(ci);
    chain_close();
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("nothing to change");
    json_decref(rec);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

Test(deploy, migration_executed_by_anyone_is_picked_up) {
    dep_manifest *m = local();
    deploy_fresh(m);
    char wasm[160], edit_to[200];
    snprintf(wasm, sizeof wasm, "%s/governance-v2.wasm", base);
    write_governance_variant(wasm);
    snprintf(edit_to, sizeof edit_to, "\"governance\": \"%s\"", wasm);
    const char *edit[] = {"\"governance\": \"build/contracts/governance.wasm\"", edit_to};
    dep_manifest *m2 = manifest_with(edit, 2);
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    json_t *rec = record_doc();
    /* Someone else executes it after the delay: the record learns the new code on next use. */
    chain_open();
    CH.ops->advance_time(&CH, DELAY);
    exec_as(rec_address(rec, "governance"), "outsider", "{\"execute_proposal\":{\"id\":1}}");
    chain_close();
    cr_assert_eq(run(STATUS, m2), 0, "%s", ERR);
    EXPECT_OUT("record matches the chain (codes, addresses, code ids)\n");
    EXPECT_OUT("parameters: the chain matches the manifest\n");
    cr_assert_eq(run(PROPOSALS, m2), 0);
    EXPECT_OUT("  1    executed ");
    json_decref(rec);
    rec = record_doc();
    cr_assert_eq(json_integer_value(json_object_get(
                     json_object_get(json_object_get(rec, "contracts"), "governance"), "code_id")),
                 9);
    json_decref(rec);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

Test(deploy, new_market_through_governance) {
    dep_manifest *m = local();
    deploy_fresh(m);
    const char *edit[] = {
        "\"markets\": [",
        "\"markets\": [\n"
        "    {\"id\": \"atom2\", \"stability_fee\": \"3%/yr\", \"debt_ceiling\": \"1000000\",\n"
        "     \"min_debt\": \"100\", \"auction_debt_limit\": \"100000\",\n"
        "     \"collaterals\": [{\"asset\": \"uatom\", \"kind\": \"native\", \"decimals\": 6,\n"
        "       \"oracle_denom\": \"uatom\", \"max_ltv\": \"50%\", \"liquidation_threshold\": "
        "\"60%\",\n"
        "       \"liquidation_penalty\": \"10%\", \"supply_cap\": \"1000\"}],\n"
        "     \"auction\": {\"curve\": {\"kind\": \"linear\", \"duration\": \"1h\"},\n"
        "       \"start_buffer\": \"110%\", \"max_duration\": \"1h\", \"reset_threshold\": "
        "\"50%\",\n"
        "       \"dust\": \"20\", \"backstop_health\": \"0.9\"}},"};
    dep_manifest *m2 = manifest_with(edit, 2);
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("changes (8, one governance proposal of 3 messages):\n");
    EXPECT_OUT("  market     markets[atom2]                               -                      "
               "-> atom2\n");
    EXPECT_OUT("  parameter  markets[atom2].auction.start_buffer          -                      "
               "-> 1.1\n");
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    cr_assert_eq(run_full(EXECUTE, m2, 1, DELAY, 0), 0, "%s\n%s", OUT, ERR);
    EXPECT_OUT("post-state check passed");
    json_t *rec = record_doc();
    chain_open();
    json_t *mk = q(rec_address(rec, "vault_engine"), "{\"market\":{\"id\":\"atom2\"}}");
    expect_field(mk, "debt_ceiling", "1000000000000");
    expect_field(json_array_get(json_object_get(mk, "collaterals"), 0), "max_ltv", "0.5");
    json_decref(mk);
    chain_close();
    json_decref(rec);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

/* --- The proposer is a cw3-flex-multisig (issue 6 point 4) --------------------------------- */

static uint64_t store_file(const char *path) {
    uint8_t *w = NULL;
    size_t n = 0;
    char *sum = dep_sha256_file(path, &w, &n);
    cr_assert_not_null(sum, "cannot read %s", path);
    dep_call c = CH.ops->store(&CH, w, n);
    cr_assert(c.ok, "store %s: %s", path, c.error);
    uint64_t id = c.code_id;
    dep_call_free(&c);
    free(w), free(sum);
    return id;
}

static void instantiate_into(uint64_t code, const char *msg, char *out) {
    dep_call c = CH.ops->instantiate(&CH, code, msg, "test", NULL);
    cr_assert(c.ok, "instantiate %s: %s", msg, c.error);
    strcpy(out, c.address);
    dep_call_free(&c);
}

/* A cw4-group of alice, bob, carol (weight 1 each) and a cw3-flex-multisig needing 2 of 3,
 * on the devnet state before anything else; its address into multisig. */
static void multisig_setup(char *multisig) {
    chain_open();
    char alice[128], bob[128], carol[128], group[128], msg[1024];
    CH.ops->address(&CH, "alice", alice, sizeof alice);
    CH.ops->address(&CH, "bob", bob, sizeof bob);
    CH.ops->address(&CH, "carol", carol, sizeof carol);
    uint64_t cw4 = store_file(CW4_GROUP), cw3 = store_file(CW3_FLEX);
    snprintf(msg, sizeof msg,
             "{\"admin\":null,\"members\":[{\"addr\":\"%s\",\"weight\":1},{\"addr\":\"%s\","
             "\"weight\":1},{\"addr\":\"%s\",\"weight\":1}]}",
             alice, bob, carol);
    instantiate_into(cw4, msg, group);
    snprintf(msg, sizeof msg,
             "{\"group_addr\":\"%s\",\"threshold\":{\"absolute_count\":{\"weight\":2}},"
             "\"max_voting_period\":{\"time\":3600}}",
             group);
    instantiate_into(cw3, msg, multisig);
    /* cw3 weighs votes at the proposal's start height: the members count from the next block. */
    CH.ops->advance_time(&CH, 5);
    chain_close();
}

/* alice proposes `propose` on the multisig, bob votes yes, alice executes it. */
static void multisig_pass(const char *multisig, const char *propose, int proposal) {
    chain_open();
    exec_as(multisig, "alice", propose);
    char msg[128];
    snprintf(msg, sizeof msg, "{\"vote\":{\"proposal_id\":%d,\"vote\":\"yes\"}}", proposal);
    exec_as(multisig, "bob", msg);
    snprintf(msg, sizeof msg, "{\"execute\":{\"proposal_id\":%d}}", proposal);
    exec_as(multisig, "alice", msg);
    chain_close();
}

static dep_manifest *multisig_manifest(const char *multisig, const char *max_ltv) {
    char proposer[160], ltv[64];
    snprintf(proposer, sizeof proposer, "\"proposer\": \"%s\"", multisig);
    snprintf(ltv, sizeof ltv, "\"max_ltv\": \"%s\"", max_ltv);
    const char *edit[] = {"\"proposer\": \"proposer\"", proposer, "\"max_ltv\": \"60%\"", ltv};
    return manifest_with(edit, 4);
}

Test(deploy, multisig_proposer_flow) {
    char multisig[128];
    multisig_setup(multisig);
    dep_manifest *m = multisig_manifest(multisig, "60%");
    cr_assert_eq(run(BROADCAST, m), 0, "%s", ERR);
    EXPECT_OUT("deployed: 33 steps");
    dep_manifest *m2 = multisig_manifest(multisig, "65%");
    cr_assert_eq(run(PLAN, m2), 0);
    EXPECT_OUT("  parameter  markets[atom].uatom.max_ltv                  0.6                    "
               "-> 0.65 (65%)\n");
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    EXPECT_OUT("is a contract (multisig): propose this there, vote, execute;");
    char *line = strstr(OUT, "{\"propose\":");
    cr_assert_not_null(line, "%s", OUT);
    char *propose = strndup(line, (size_t)(strchr(line, '\n') - line));
    json_t *rec = record_doc();
    json_t *p = json_array_get(json_object_get(rec, "proposals"), 0);
    cr_assert(json_is_null(json_object_get(p, "id")));
    cr_assert_str_eq(json_string_value(json_object_get(p, "status")), "awaiting_multisig");
    cr_assert_str_eq(json_string_value(json_object_get(p, "via")), "multisig");
    /* Asking again while the multisig has not acted: the same change is already waiting. */
    cr_assert_eq(run(BROADCAST, m2), 0);
    EXPECT_OUT("nothing to do: the change is already proposal (not yet queued) "
               "(awaiting_multisig");
    cr_assert_eq(run(PROPOSALS, m2), 0);
    EXPECT_OUT("  -    awaiting_multisig  -  ");
    multisig_pass(multisig, propose, 1);
    cr_assert_eq(run(PROPOSALS, m2), 0);
    EXPECT_OUT("  1    queued             1700172805   in 172800 s ");
    cr_assert_eq(run_full(EXECUTE, m2, 1, DELAY - 1, 0), 1);
    EXPECT_ERR("execute proposal 1: too early: proposal 1 eta 1700172805, now 1700172804");
    cr_assert_eq(run_full(EXECUTE, m2, 1, 1, 0), 0, "%s\n%s", OUT, ERR);
    EXPECT_OUT("executed proposal 1");
    EXPECT_OUT("post-state check passed: every on-chain value equals the manifest\n");
    json_decref(rec);
    rec = record_doc();
    p = json_array_get(json_object_get(rec, "proposals"), 0);
    cr_assert_eq(json_integer_value(json_object_get(p, "id")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(p, "status")), "executed");
    cr_assert_eq(run(BROADCAST, m2), 0);
    cr_assert_str_eq(OUT, "nothing to do: the chain matches the manifest\n");
    free(propose);
    json_decref(rec);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

Test(deploy, multisig_tampered_proposal_not_executed) {
    char multisig[128];
    multisig_setup(multisig);
    dep_manifest *m = multisig_manifest(multisig, "60%");
    cr_assert_eq(run(BROADCAST, m), 0, "%s", ERR);
    dep_manifest *m2 = multisig_manifest(multisig, "65%");
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    json_t *rec = record_doc();
    const char *want = json_string_value(
        json_object_get(json_array_get(json_object_get(rec, "proposals"), 0), "msgs_hash"));
    /* The multisig queues 0.66 instead of the manifest's 0.65. */
    char *inner = dep_base64("{\"update_collateral\":{\"market\":\"atom\",\"asset\":\"uatom\","
                             "\"max_ltv\":\"0.66\",\"force\":true}}");
    char queue[1024], *qb64, propose[2048];
    snprintf(queue, sizeof queue,
             "{\"queue\":{\"title\":\"max_ltv\",\"msgs\":[{\"wasm\":{\"execute\":{"
             "\"contract_addr\":\"%s\",\"msg\":\"%s\",\"funds\":[]}}}]}}",
             rec_address(rec, "vault_engine"), inner);
    qb64 = dep_base64(queue);
    snprintf(propose, sizeof propose,
             "{\"propose\":{\"title\":\"max_ltv\",\"description\":\"tampered\",\"msgs\":[{\"wasm\":"
             "{\"execute\":{\"contract_addr\":\"%s\",\"msg\":\"%s\",\"funds\":[]}}}]}}",
             rec_address(rec, "governance"), qb64);
    multisig_pass(multisig, propose, 1);
    cr_assert_eq(run_full(EXECUTE, m2, 1, DELAY, 0), 1);
    char why[256];
    snprintf(why, sizeof why,
             "matches no proposal cdp-deploy recorded; the manifest's change is %s", want);
    EXPECT_ERR(why);
    EXPECT_ERR("(tampered or foreign): not executed");
    /* Still queued on chain, nothing changed. */
    chain_open();
    json_t *pq = q(rec_address(rec, "governance"), "{\"proposal\":{\"id\":1}}");
    expect_field(pq, "status", "queued");
    json_decref(pq);
    json_t *atom = q(rec_address(rec, "vault_engine"), "{\"market\":{\"id\":\"atom\"}}");
    expect_field(json_array_get(json_object_get(atom, "collaterals"), 0), "max_ltv", "0.6");
    json_decref(atom);
    chain_close();
    free(inner), free(qb64);
    json_decref(rec);
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

/* --- The command line and the target interface --------------------------------------------- */

Test(deploy, network_target_not_supported) {
    dep_manifest *m = local();
    m->target.kind = DEP_TARGET_NETWORK; /* as a validated network manifest reads */
    for (command c = PLAN; c <= BROADCAST; c++) {
        cr_assert_eq(run(c, m), 1);
        EXPECT_ERR("error: target network: not supported yet; cdp-deploy deploys to a local "
                   "devnet only\n");
    }
    cr_assert_eq(run(PROPOSALS, m), 1);
    EXPECT_ERR("target network (no rpc): not supported yet");
    dep_chain t;
    char *err = NULL;
    cr_assert_eq(dep_target_open(m, NULL, &t, &err), -1);
    cr_assert_str_eq(err, "target network (no rpc): not supported yet; cdp-deploy deploys to a "
                          "local devnet only");
    free(err);
    struct stat st;
    cr_assert_neq(stat(state, &st), 0);
    dep_manifest_free(m);
}

static int shell(const char *cmd, char **out) {
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t len = 0, cap = 4096;
    *out = malloc(cap);
    size_t n;
    while ((n = fread(*out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) *out = realloc(*out, cap *= 2);
    }
    (*out)[len] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(deploy, command_line) {
    char cmd[512], *out;
    cr_assert_eq(shell("build/bin/cdp-deploy execute " LOCAL_JSON " 2>&1", &out), 2);
    cr_assert_not_null(strstr(out, "usage: cdp-deploy validate MANIFEST\n"));
    free(out);
    cr_assert_eq(shell("build/bin/cdp-deploy plan " LOCAL_JSON " --bogus 2>&1", &out), 2);
    free(out);
    /* The stop hook through the environment, then a resume. */
    snprintf(cmd, sizeof cmd,
             "CDP_DEPLOY_STOP_AFTER=3 build/bin/cdp-deploy apply " LOCAL_JSON
             " --broadcast --state %s --records %s 2>&1",
             state, records);
    cr_assert_eq(shell(cmd, &out), 3, "%s", out);
    cr_assert_not_null(strstr(out, "stopped after 3 steps (stop hook)\n"), "%s", out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "build/bin/cdp-deploy apply " LOCAL_JSON " --broadcast --state %s --records %s 2>&1",
             state, records);
    cr_assert_eq(shell(cmd, &out), 0, "%s", out);
    cr_assert_not_null(strstr(out, "deployed: 30 steps\n"), "%s", out);
    free(out);
    snprintf(cmd, sizeof cmd,
             "build/bin/cdp-deploy status " LOCAL_JSON " --state %s --records %s 2>&1", state,
             records);
    cr_assert_eq(shell(cmd, &out), 0, "%s", out);
    cr_assert_not_null(strstr(out, "parameters: the chain matches the manifest\n"), "%s", out);
    free(out);
}

Test(deploy, expired_proposal_not_executed_and_proposed_again) {
    dep_manifest *m = local();
    deploy_fresh(m);
    const char *edit[] = {"\"keeper_tip\": \"10\"", "\"keeper_tip\": \"12\""};
    dep_manifest *m2 = manifest_with(edit, 2);
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    EXPECT_OUT("  parameter  engine.keeper_tip                            10000000               "
               "-> 12000000 (12)\n");
    /* The window is [eta, eta + grace_period): 2d + 7d after queueing it is closed. */
    cr_assert_eq(run_full(EXECUTE, m2, 1, DELAY + 604800, 0), 1);
    EXPECT_ERR("execute proposal 1: expired: proposal 1 expired at 1700777600, now 1700777600");
    cr_assert_eq(run(PROPOSALS, m2), 0);
    EXPECT_OUT("  1    expired            1700172800 ");
    /* apply sees the expired proposal and queues the change again. */
    cr_assert_eq(run(BROADCAST, m2), 0, "%s", ERR);
    EXPECT_OUT("queued proposal 2: eta 1700950400");
    cr_assert_eq(run_full(EXECUTE, m2, 2, DELAY, 0), 0, "%s", ERR);
    EXPECT_OUT("post-state check passed");
    dep_manifest_free(m2);
    dep_manifest_free(m);
}

/* apply.c — `cdp-deploy apply`: publish a manifest. A fresh deployment stores the code and
 * instantiates and wires every contract in the order of contracts/SOLVENCY.md §1, then hands
 * the governance role to the timelock; an existing one turns every parameter and code change
 * into ONE timelock proposal. Every step is recorded at once (record.h), so a second run
 * resumes; without --broadcast the same run happens on a copy of the state and is thrown away. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "manifest_msgs.h"

/* --- The run: target, record, step counter ----------------------------------------------- */

int dep_run_fail(dep_run *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("error: ", r->o->err);
    vfprintf(r->o->err, fmt, ap);
    fputc('\n', r->o->err);
    va_end(ap);
    return -1;
}

/* After a published step: record it (atomically) and count it for the stop hook. */
static int step_done(dep_run *r, const char *step) {
    if (step) dep_record_add_step(r->rec, step);
    char *err = NULL;
    if (dep_record_save(r->rec, &err)) {
        int rc = dep_run_fail(r, "%s", err);
        free(err);
        return rc;
    }
    r->steps++;
    if (r->o->stop_after && r->steps >= r->o->stop_after) {
        r->stopped = true;
        fprintf(r->out, "stopped after %u steps (stop hook)\n", r->steps);
        return -1;
    }
    return 0;
}

static const char *source_path(const dep_manifest *m, const char *source) {
    for (int i = 0; i < DEP_CONTRACT_COUNT; i++)
        if (strcmp(dep_contract_name((dep_contract_id)i), source) == 0) return m->sources[i];
    return NULL;
}

/* Store the source's code unless the record already has code with its checksum. */
static int store_code(dep_run *r, const char *source) {
    const char *path = source_path(r->m, source);
    if (!path) return dep_run_fail(r, "contracts.%s: no source in the manifest", source);
    uint8_t *wasm = NULL;
    size_t len = 0;
    char *sum = dep_sha256_file(path, &wasm, &len);
    if (!sum) return dep_run_fail(r, "contracts.%s: cannot read %s", source, path);
    json_t *have = dep_record_code(r->rec, source);
    int rc = 0;
    if (!have || strcmp(json_string_value(json_object_get(have, "checksum")), sum) != 0) {
        dep_call c = r->t->ops->store(r->t, wasm, len);
        if (!c.ok) {
            rc = dep_run_fail(r, "store %s (%s): %s", source, path, c.error);
        } else {
            fprintf(r->out, "  store        %-16s code %llu  checksum %.16s…\n", source,
                    (unsigned long long)c.code_id, c.checksum);
            dep_record_set_code(r->rec, source, c.code_id, c.checksum);
            rc = step_done(r, NULL);
        }
        dep_call_free(&c);
    }
    free(wasm);
    free(sum);
    return rc;
}

/* Instantiate `name` from its source's stored code with msg (stolen). */
static int instantiate(dep_run *r, const char *name, json_t *msg, const char *admin) {
    if (dep_record_contract(r->rec, name)) {
        json_decref(msg);
        return 0;
    }
    if (!msg) return dep_run_fail(r, "instantiate %s: an address it needs is missing", name);
    const char *source = dep_instance_source(name);
    json_t *code = dep_record_code(r->rec, source);
    uint64_t code_id = (uint64_t)json_integer_value(json_object_get(code, "code_id"));
    char self[128];
    if (!admin) { /* the timelock administers itself */
        if (r->t->ops->next_address(r->t, code_id, self, sizeof self))
            return dep_run_fail(r, "cannot predict the timelock's address");
        admin = self;
    }
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    char label[192];
    snprintf(label, sizeof label, "ballast %s", name);
    dep_call c = r->t->ops->instantiate(r->t, code_id, text, label, admin);
    int rc;
    if (!c.ok) {
        rc = dep_run_fail(r, "instantiate %s: %s\n  message: %s", name, c.error, text);
    } else {
        fprintf(r->out, "  instantiate  %-16s %s\n", name, c.address);
        dep_record_set_contract(r->rec, name, code_id,
                                json_string_value(json_object_get(code, "checksum")), c.address);
        rc = step_done(r, NULL);
    }
    dep_call_free(&c);
    free(text);
    return rc;
}

/* A direct message from the deployer, once (the step name is recorded). msg is stolen. */
static int direct(dep_run *r, const char *step, const char *contract, json_t *msg) {
    if (dep_record_has_step(r->rec, step)) {
        json_decref(msg);
        return 0;
    }
    if (!msg || !contract) {
        json_decref(msg);
        return dep_run_fail(r, "%s: an address it needs is missing", step);
    }
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    dep_call c = r->t->ops->execute(r->t, contract, NULL, text);
    int rc;
    if (!c.ok) {
        rc = dep_run_fail(r, "%s: %s\n  message: %s", step, c.error, text);
    } else {
        fprintf(r->out, "  execute      %s\n", step);
        rc = step_done(r, step);
    }
    dep_call_free(&c);
    free(text);
    return rc;
}

static json_t *governance_update(const char *timelock) {
    return json_pack("{s:{s:s}}", "update_config", "governance", timelock);
}

bool dep_settlement_present(const dep_manifest *m) {
    const char *p = m->sources[DEP_CONTRACT_SETTLEMENT];
    return p && access(p, R_OK) == 0;
}

/* --- A fresh deployment ------------------------------------------------------------------- */

bool dep_deployed(const dep_record *rec) {
    return dep_record_has_step(rec, "handover");
}

static int deploy_system(dep_run *r) {
    const dep_manifest *m = r->m;
    dep_record *rec = r->rec;
    const char *deployer = r->t->deployer;
    /* Governance first: every other contract's admin. */
    if (store_code(r, "governance") ||
        instantiate(r, "governance", dep_msg_governance_instantiate(m), NULL))
        return -1;
    const char *timelock = dep_record_address(rec, "governance");
    /* Until the handover the deployer governs, so it can list markets at once. */
    dep_system_addresses a = {.governance = deployer};
    /* The oracle needs nothing after instantiation and cannot hand its governance over: the
     * timelock governs it from the start. */
    dep_system_addresses oracle_addrs = {.governance = timelock};
    if (store_code(r, "oracle") ||
        instantiate(r, "oracle", dep_msg_oracle_instantiate(m, &oracle_addrs), timelock))
        return -1;
    a.oracle = dep_record_address(rec, "oracle");
    if (store_code(r, "stable_token") ||
        instantiate(r, "stable_token", dep_msg_stable_token_instantiate(m, deployer), timelock))
        return -1;
    a.stable_token = dep_record_address(rec, "stable_token");
    const char **tokens = calloc(m->token_count + 1, sizeof *tokens);
    int rc = 0;
    if (m->token_count && store_code(r, "cw20_base")) rc = -1;
    for (size_t i = 0; !rc && i < m->token_count; i++) {
        char name[160];
        snprintf(name, sizeof name, "token:%s", m->tokens[i].id);
        rc = instantiate(r, name, dep_msg_token_instantiate(m, i), timelock);
        tokens[i] = dep_record_address(rec, name);
    }
    a.tokens = tokens;
    if (!rc)
        rc = store_code(r, "vault_engine") ||
             instantiate(r, "vault_engine", dep_msg_engine_instantiate(m, &a), timelock);
    a.vault_engine = dep_record_address(rec, "vault_engine");
    if (!rc)
        rc = direct(r, "update_minter", a.stable_token,
                    json_pack("{s:{s:s?}}", "update_minter", "new_minter", a.vault_engine));
    char step[256];
    for (size_t i = 0; !rc && i < m->market_count; i++) {
        snprintf(step, sizeof step, "create_market %s", m->markets[i].id);
        rc = direct(r, step, a.vault_engine, dep_msg_create_market(m, i));
        for (size_t k = 0; !rc && k < m->markets[i].collateral_count; k++) {
            snprintf(step, sizeof step, "add_collateral %s %s", m->markets[i].id,
                     m->markets[i].collaterals[k].asset);
            rc = direct(r, step, a.vault_engine, dep_msg_add_collateral(m, i, k, &a));
        }
    }
    if (!rc)
        rc = store_code(r, "liquidator") ||
             instantiate(r, "liquidator", dep_msg_liquidator_instantiate(m, &a), timelock);
    a.liquidator = dep_record_address(rec, "liquidator");
    for (size_t i = 0; !rc && i < m->market_count; i++) {
        snprintf(step, sizeof step, "set_market_params %s", m->markets[i].id);
        rc = direct(r, step, a.liquidator, dep_msg_set_market_params(m, i));
    }
    if (!rc && m->circuit_breaker != DEP_BREAKER_NONE)
        rc = direct(r, "set_circuit_breaker", a.liquidator, dep_msg_set_circuit_breaker(m));
    if (!rc && m->backstop_pool_enabled) {
        rc = store_code(r, "backstop_pool") ||
             instantiate(r, "backstop_pool", dep_msg_backstop_pool_instantiate(m, &a), timelock);
        a.backstop_pool = dep_record_address(rec, "backstop_pool");
        if (!rc)
            rc = direct(r, "liquidator backstop_pool", a.liquidator,
                        json_pack("{s:{s:s?}}", "update_config", "backstop_pool", a.backstop_pool));
    }
    if (!rc && dep_settlement_present(m)) {
        rc = store_code(r, "settlement") ||
             instantiate(
                 r, "settlement",
                 json_pack("{s:s?,s:s?}", "engine", a.vault_engine, "stable_token", a.stable_token),
                 timelock);
        a.settlement = dep_record_address(rec, "settlement");
    }
    if (!rc) {
        json_t *wire = json_object();
        json_object_set_new(wire, "liquidator", json_string(a.liquidator));
        if (a.backstop_pool)
            json_object_set_new(wire, "backstop_pool", json_string(a.backstop_pool));
        if (a.settlement) json_object_set_new(wire, "settlement", json_string(a.settlement));
        json_t *msg = json_object();
        json_object_set_new(msg, "update_config", wire);
        rc = direct(r, "engine wiring", a.vault_engine, msg);
    }
    /* Hand the governance role to the timelock (admin already is). */
    if (!rc) rc = direct(r, "handover liquidator", a.liquidator, governance_update(timelock));
    if (!rc && a.backstop_pool)
        rc = direct(r, "handover backstop_pool", a.backstop_pool, governance_update(timelock));
    if (!rc) rc = direct(r, "handover vault_engine", a.vault_engine, governance_update(timelock));
    free(tokens);
    if (rc) return -1;
    dep_record_add_step(rec, "handover");
    dep_record_set_manifest_hash(rec, m->hash_hex);
    return step_done(r, NULL) && !r->stopped ? -1 : 0;
}

/* --- Changes of an existing deployment: one proposal -------------------------------------- */

/* Stores the code of every source whose instance runs other code than the manifest's. */
static int store_changed_code(dep_run *r) {
    const char *name;
    json_t *c;
    json_object_foreach(json_object_get(r->rec->doc, "contracts"), name, c) {
        const char *source = dep_instance_source(name);
        const char *path = source_path(r->m, source);
        char *sum = path ? dep_sha256_file(path, NULL, NULL) : NULL;
        bool changed = sum && strcmp(sum, json_string_value(json_object_get(c, "checksum")));
        free(sum);
        if (changed && store_code(r, source)) return -1;
    }
    return 0;
}

/* The attribute `key` of the wasm event in an events JSON array, malloc'd, or NULL. */
char *dep_event_attr(const char *events, const char *key) {
    json_t *ev = events ? json_loads(events, 0, NULL) : NULL;
    char *out = NULL;
    size_t i, k;
    json_t *e, *at;
    json_array_foreach(ev, i, e) {
        json_array_foreach(json_object_get(e, "attributes"), k, at) {
            const char *ak = json_string_value(json_object_get(at, "key"));
            if (!out && ak && strcmp(ak, key) == 0)
                out = strdup(json_string_value(json_object_get(at, "value")));
        }
    }
    json_decref(ev);
    return out;
}

bool dep_is_contract(dep_chain *t, const char *address) {
    char q[256];
    snprintf(q, sizeof q, "{\"wasm\":{\"contract_info\":{\"contract_addr\":\"%s\"}}}", address);
    dep_call c = t->ops->query_request(t, q);
    bool ok = c.ok;
    dep_call_free(&c);
    return ok;
}

/* A token new in the manifest is instantiated directly (a new CW20, governed by nobody), so a
 * new collateral can name it in the proposal. */
static int instantiate_new_tokens(dep_run *r) {
    const char *timelock = dep_record_address(r->rec, "governance");
    for (size_t i = 0; i < r->m->token_count; i++) {
        char name[160];
        snprintf(name, sizeof name, "token:%s", r->m->tokens[i].id);
        if (dep_record_contract(r->rec, name)) continue;
        if (store_code(r, "cw20_base") ||
            instantiate(r, name, dep_msg_token_instantiate(r->m, i), timelock))
            return -1;
    }
    return 0;
}

static int propose_changes(dep_run *r) {
    if (store_changed_code(r) || instantiate_new_tokens(r)) return -1;
    dep_diff d;
    if (dep_diff_compute(r->m, r->t, r->rec, &d)) {
        int rc = dep_run_fail(r, "reading the chain: %s", d.error);
        dep_diff_free(&d);
        return rc;
    }
    int rc = 0;
    size_t unsupported = 0;
    for (size_t i = 0; i < d.count; i++)
        if (strcmp(d.changes[i].kind, "unsupported") == 0) unsupported++;
    if (d.msg_count == 0) {
        if (unsupported) {
            dep_diff_print(&d, r->out);
            rc = dep_run_fail(r, "%zu change(s) cdp-deploy cannot propose yet", unsupported);
        } else {
            fprintf(r->out, "nothing to do: the chain matches the manifest\n");
        }
        dep_record_set_manifest_hash(r->rec, r->m->hash_hex);
        dep_diff_free(&d);
        return rc ? rc : step_done(r, NULL) && !r->stopped ? -1 : 0;
    }
    if (d.msg_count > 16) {
        dep_diff_free(&d);
        return dep_run_fail(r, "%zu messages: a proposal holds at most 16; split the change",
                            d.msg_count);
    }
    char hash[65], *canonical = NULL;
    json_t *msgs = dep_proposal_msgs(&d, &canonical, hash);
    free(canonical);
    /* Already proposed and still pending (as the timelock says now): nothing to do. */
    dep_sync_proposals(r, true);
    size_t i;
    json_t *p;
    json_array_foreach(dep_record_proposals(r->rec), i, p) {
        const char *st = json_string_value(json_object_get(p, "status"));
        if (strcmp(json_string_value(json_object_get(p, "msgs_hash")), hash) == 0 &&
            (strcmp(st, "queued") == 0 || strcmp(st, "awaiting_multisig") == 0)) {
            json_t *id = json_object_get(p, "id");
            char ids[32] = "(not yet queued)";
            if (json_is_integer(id))
                snprintf(ids, sizeof ids, "%lld", (long long)json_integer_value(id));
            fprintf(r->out,
                    "nothing to do: the change is already proposal %s (%s, msgs_hash "
                    "%.16s…)\n",
                    ids, st, hash);
            json_decref(msgs);
            dep_diff_free(&d);
            return 0;
        }
    }
    fprintf(r->out, "parameter and code changes (%zu) become one governance proposal:\n", d.count);
    dep_diff_print(&d, r->out);
    json_t *migrations = json_array();
    for (size_t k = 0; k < d.msg_count; k++)
        if (d.msgs[k].migrate)
            json_array_append_new(migrations,
                                  json_pack("{s:s,s:I,s:s}", "contract", d.msgs[k].migrate_name,
                                            "code_id", (json_int_t)d.msgs[k].new_code_id,
                                            "checksum", d.msgs[k].migrate_checksum));
    char title[140];
    snprintf(title, sizeof title, "cdp-deploy manifest %.12s", r->m->hash_hex);
    char desc[256];
    snprintf(desc, sizeof desc, "%s: %zu change(s), manifest hash %s", r->m->chain_id, d.count,
             r->m->hash_hex);
    json_t *queue =
        json_pack("{s:{s:s,s:s,s:o}}", "queue", "title", title, "description", desc, "msgs", msgs);
    char *qtext = json_dumps(queue, JSON_COMPACT);
    json_decref(queue);
    const char *timelock = dep_record_address(r->rec, "governance");
    const char *proposer = r->m->governance.proposer.address;
    json_t *entry = json_pack("{s:n,s:s,s:s,s:s,s:n,s:s,s:s,s:o}", "id", "manifest_hash",
                              r->m->hash_hex, "msgs_hash", hash, "status", "queued", "eta", "via",
                              "proposer", "title", title, "migrations", migrations);
    if (dep_is_contract(r->t, proposer)) {
        /* A multisig proposes: print the cw3 propose message that wraps the queue. */
        char *b64 = dep_base64(qtext);
        json_t *prop = json_pack("{s:{s:s,s:s,s:[{s:{s:{s:s,s:s,s:[]}}}]}}", "propose", "title",
                                 title, "description", desc, "msgs", "wasm", "execute",
                                 "contract_addr", timelock, "msg", b64, "funds");
        char *ptext = json_dumps(prop, JSON_COMPACT);
        fprintf(r->out,
                "the proposer %s is a contract (multisig): propose this there, vote, execute;\n"
                "then `cdp-deploy execute` after the delay:\n%s\n  msgs_hash %s\n",
                proposer, ptext, hash);
        free(ptext), free(b64);
        json_decref(prop);
        json_object_set_new(entry, "status", json_string("awaiting_multisig"));
        json_object_set_new(entry, "via", json_string("multisig"));
    } else {
        dep_call c = r->t->ops->execute(r->t, timelock, proposer, qtext);
        if (!c.ok) {
            rc = dep_run_fail(r, "queue (as proposer %s): %s", proposer, c.error);
        } else {
            char *id = dep_event_attr(c.events, "proposal_id");
            char *eta = dep_event_attr(c.events, "eta");
            char *mh = dep_event_attr(c.events, "msgs_hash");
            if (!id || !eta || !mh || strcmp(mh, hash) != 0)
                rc = dep_run_fail(r, "queue: the timelock answered msgs_hash %s, expected %s",
                                  mh ? mh : "?", hash);
            else {
                json_object_set_new(entry, "id", json_integer(strtoll(id, NULL, 10)));
                json_object_set_new(entry, "eta", json_integer(strtoll(eta, NULL, 10)));
                fprintf(r->out, "queued proposal %s: eta %s, msgs_hash %s\n", id, eta, hash);
            }
            free(id), free(eta), free(mh);
        }
        dep_call_free(&c);
    }
    free(qtext);
    if (!rc) {
        json_array_append(dep_record_proposals(r->rec), entry);
        dep_record_set_manifest_hash(r->rec, r->m->hash_hex);
        rc = step_done(r, NULL);
        if (r->stopped) rc = 0;
    }
    json_decref(entry);
    dep_diff_free(&d);
    return rc;
}

/* --- Open, check, run --------------------------------------------------------------------- */

const char *dep_records_dir(const dep_options *o) {
    return o->records_dir ? o->records_dir : "deployments";
}

const char *dep_state_dir(const dep_manifest *m, const dep_options *o) {
    return o->state_dir ? o->state_dir : m->target.state_dir;
}

int dep_run_open(dep_run *r, const dep_manifest *m, const dep_options *o, const char *state_dir,
                 const char *records_dir) {
    memset(r, 0, sizeof *r);
    r->m = m;
    r->o = o;
    r->out = o->out;
    r->t = &r->chain;
    r->rec = &r->record;
    char *err = NULL;
    if (m->target.kind != DEP_TARGET_LOCAL && o->time_advance) {
        return dep_run_fail(r, "--time-advance works on a local devnet only");
    }
    if (dep_target_open(m, state_dir, &r->chain, &err)) {
        int rc = dep_run_fail(r, "%s", err ? err : "cannot open the target");
        free(err);
        return rc;
    }
    const char *cid = r->t->ops->chain_id(r->t);
    if (strcmp(cid, m->chain_id) != 0) {
        dep_run_fail(r,
                     "chain id mismatch: the manifest says `%s`, the target (%s) is `%s`; nothing "
                     "published",
                     m->chain_id, state_dir, cid);
        dep_target_close(&r->chain);
        return -1;
    }
    if (o->time_advance) {
        if (!r->t->ops->advance_time)
            return dep_run_fail(r, "--time-advance works on a local devnet only");
        r->t->ops->advance_time(r->t, o->time_advance);
        fprintf(r->out, "devnet time advanced by %llu s (now %llu)\n",
                (unsigned long long)o->time_advance,
                (unsigned long long)r->t->ops->block_time(r->t));
    }
    bool loaded = dep_record_load(records_dir, m->chain_id, &r->record, &err) == 0;
    /* A proposal executed by anyone since may have migrated a contract: sync first. */
    if (loaded) dep_sync_proposals(r, false);
    if (!loaded || dep_record_check(&r->record, r->t, &err)) {
        dep_run_fail(r, "%s", err ? err : "bad record");
        free(err);
        dep_run_close(r);
        return -1;
    }
    r->opened = true;
    return 0;
}

void dep_run_close(dep_run *r) {
    dep_record_free(&r->record);
    if (r->chain.ops) dep_target_close(&r->chain);
    r->opened = false;
}

static int apply_on(const dep_manifest *m, const dep_options *o, const char *state_dir,
                    const char *records_dir) {
    dep_run r;
    if (dep_run_open(&r, m, o, state_dir, records_dir)) return DEP_EXIT_FAIL;
    int rc = 0;
    if (!dep_deployed(r.rec)) {
        fprintf(r.out, "deploying %s (manifest %.16s…) to %s\n", m->chain_id, m->hash_hex,
                state_dir);
        rc = deploy_system(&r);
        if (!rc && !r.stopped) fprintf(r.out, "deployed: %u steps\n", r.steps);
    } else {
        rc = propose_changes(&r);
    }
    bool stopped = r.stopped;
    dep_run_close(&r);
    if (stopped) return DEP_EXIT_STOPPED;
    return rc ? DEP_EXIT_FAIL : DEP_EXIT_OK;
}

/* Copy the regular files of src into dst (a host-sim state directory is flat). */
static int copy_dir(const char *src, const char *dst) {
    DIR *d = opendir(src);
    if (!d) return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    int rc = 0;
    while (!rc && (e = readdir(d))) {
        char a[4096], b[4096];
        snprintf(a, sizeof a, "%s/%s", src, e->d_name);
        snprintf(b, sizeof b, "%s/%s", dst, e->d_name);
        struct stat st;
        if (stat(a, &st) || !S_ISREG(st.st_mode)) continue;
        FILE *in = fopen(a, "rb"), *out = fopen(b, "wb");
        if (!in || !out) rc = -1;
        char buf[65536];
        size_t n;
        while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, out) != n) rc = -1;
        if (in) fclose(in);
        if (out && fclose(out)) rc = -1;
    }
    closedir(d);
    return rc;
}

static void remove_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

int dep_cmd_apply(const dep_manifest *m, const dep_options *o) {
    const char *state = dep_state_dir(m, o);
    if (m->target.kind != DEP_TARGET_LOCAL) {
        fprintf(o->err, "error: target network: not supported yet; cdp-deploy deploys to a "
                        "local devnet only\n");
        return DEP_EXIT_FAIL;
    }
    if (o->broadcast) return apply_on(m, o, state, dep_records_dir(o));
    /* Simulation: the same run on copies of the state and the record, then thrown away. */
    char sim_state[] = "/tmp/cdp-deploy-state-XXXXXX", sim_rec[] = "/tmp/cdp-deploy-rec-XXXXXX";
    if (!mkdtemp(sim_state) || !mkdtemp(sim_rec)) {
        fprintf(o->err, "error: cannot create a temporary directory: %s\n", strerror(errno));
        return DEP_EXIT_FAIL;
    }
    int rc = DEP_EXIT_FAIL;
    char rec_src[4096];
    snprintf(rec_src, sizeof rec_src, "%s", dep_records_dir(o));
    if (copy_dir(state, sim_state) || copy_dir(rec_src, sim_rec)) {
        fprintf(o->err, "error: cannot copy %s and %s for the simulation\n", state, rec_src);
    } else {
        fprintf(o->out,
                "simulation on a copy of %s (nothing is published; --broadcast to "
                "publish):\n",
                state);
        dep_options so = *o;
        so.stop_after = 0;
        rc = apply_on(m, &so, sim_state, sim_rec);
        fprintf(o->out, "simulation %s\n", rc == DEP_EXIT_OK ? "succeeded" : "FAILED");
    }
    remove_dir(sim_state);
    remove_dir(sim_rec);
    return rc;
}

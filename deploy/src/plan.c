/* plan.c — `cdp-deploy plan`: what apply would do, without publishing: code to upload (by
 * checksum), contracts to instantiate, wiring steps left, and every parameter old → new against
 * the live contracts; and `cdp-deploy status`: the record next to the chain. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apply.h"

/* The sources a deployment of m uses, in deployment order. */
static size_t needed_sources(const dep_manifest *m, const char **out) {
    size_t n = 0;
    out[n++] = "governance";
    out[n++] = "oracle";
    out[n++] = "stable_token";
    if (m->token_count) out[n++] = "cw20_base";
    out[n++] = "vault_engine";
    out[n++] = "liquidator";
    if (m->backstop_pool_enabled) out[n++] = "backstop_pool";
    if (dep_settlement_present(m)) out[n++] = "settlement";
    return n;
}

static const char *path_of(const dep_manifest *m, const char *source) {
    for (int i = 0; i < DEP_CONTRACT_COUNT; i++)
        if (strcmp(dep_contract_name((dep_contract_id)i), source) == 0) return m->sources[i];
    return NULL;
}

/* Uploads and instantiations still to do (rec NULL: a fresh chain). Returns their count. */
static size_t plan_fresh(const dep_manifest *m, const dep_record *rec, FILE *out) {
    const char *sources[DEP_CONTRACT_COUNT];
    size_t n = needed_sources(m, sources), todo = 0;
    fprintf(out, "uploads (by checksum):\n");
    for (size_t i = 0; i < n; i++) {
        const char *p = path_of(m, sources[i]);
        char *sum = p ? dep_sha256_file(p, NULL, NULL) : NULL;
        json_t *code = rec ? dep_record_code(rec, sources[i]) : NULL;
        const char *have = json_string_value(json_object_get(code, "checksum"));
        if (sum && have && strcmp(sum, have) == 0) {
            fprintf(out, "  = %-16s code %lld (unchanged)\n", sources[i],
                    (long long)json_integer_value(json_object_get(code, "code_id")));
        } else {
            fprintf(out, "  + %-16s %s  checksum %.16s…\n", sources[i], p ? p : "?",
                    sum ? sum : "(unreadable)");
            todo++;
        }
        free(sum);
    }
    fprintf(out, "instantiations (in wiring order):\n");
    const char *order[32];
    size_t k = 0;
    order[k++] = "governance";
    order[k++] = "oracle";
    order[k++] = "stable_token";
    char names[8][160];
    for (size_t i = 0; i < m->token_count && i < 8; i++) {
        snprintf(names[i], sizeof names[i], "token:%s", m->tokens[i].id);
        order[k++] = names[i];
    }
    order[k++] = "vault_engine";
    order[k++] = "liquidator";
    if (m->backstop_pool_enabled) order[k++] = "backstop_pool";
    if (dep_settlement_present(m)) order[k++] = "settlement";
    for (size_t i = 0; i < k; i++) {
        const char *addr = rec ? dep_record_address(rec, order[i]) : NULL;
        if (addr) {
            fprintf(out, "  = %-16s %s\n", order[i], addr);
        } else {
            fprintf(out, "  + %-16s\n", order[i]);
            todo++;
        }
    }
    size_t collaterals = 0;
    for (size_t i = 0; i < m->market_count; i++) collaterals += m->markets[i].collateral_count;
    fprintf(out,
            "then: update_minter, %zu markets with %zu collaterals, auction parameters, engine "
            "wiring, governance handed to the timelock; every parameter as in the manifest "
            "(`cdp-deploy show`)\n",
            m->market_count, collaterals);
    if (!m->sources[DEP_CONTRACT_SETTLEMENT] || !dep_settlement_present(m))
        fprintf(out, "note: settlement not built (%s): deployed without it\n",
                m->sources[DEP_CONTRACT_SETTLEMENT] ? m->sources[DEP_CONTRACT_SETTLEMENT] : "none");
    return todo;
}

static bool dir_exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* When these changes are already a pending proposal, say which. */
static void print_pending(dep_run *r, const dep_diff *d) {
    if (!d->msg_count) return;
    char hash[65];
    json_decref(dep_proposal_msgs(d, NULL, hash));
    size_t i;
    json_t *p;
    json_array_foreach(dep_record_proposals(r->rec), i, p) {
        const char *st = json_string_value(json_object_get(p, "status"));
        if (strcmp(json_string_value(json_object_get(p, "msgs_hash")), hash) != 0) continue;
        if (strcmp(st, "queued") != 0 && strcmp(st, "awaiting_multisig") != 0) continue;
        json_t *id = json_object_get(p, "id"), *eta = json_object_get(p, "eta");
        if (json_is_integer(id))
            fprintf(r->out, "already proposed: proposal %lld (%s, eta %lld)\n",
                    (long long)json_integer_value(id), st, (long long)json_integer_value(eta));
        else
            fprintf(r->out, "already proposed: awaiting the multisig (msgs_hash %.16s…)\n", hash);
    }
}

int dep_cmd_plan(const dep_manifest *m, const dep_options *o) {
    if (m->target.kind != DEP_TARGET_LOCAL) {
        fprintf(o->err, "error: target network: not supported yet; cdp-deploy deploys to a "
                        "local devnet only\n");
        return DEP_EXIT_FAIL;
    }
    const char *state = dep_state_dir(m, o);
    fprintf(o->out, "plan for %s (manifest %.16s…), target local %s\n", m->chain_id, m->hash_hex,
            state);
    if (!dir_exists(state)) {
        fprintf(o->out, "fresh devnet (no state yet): a full deployment\n");
        plan_fresh(m, NULL, o->out);
        return DEP_EXIT_OK;
    }
    dep_run r;
    if (dep_run_open(&r, m, o, state, dep_records_dir(o))) return DEP_EXIT_FAIL;
    int rc = DEP_EXIT_OK;
    if (!dep_deployed(r.rec)) {
        size_t codes = json_object_size(json_object_get(r.rec->doc, "codes"));
        size_t contracts = json_object_size(json_object_get(r.rec->doc, "contracts"));
        size_t steps = json_array_size(json_object_get(r.rec->doc, "steps"));
        fprintf(o->out, "%s deployment: %zu codes, %zu contracts, %zu steps recorded\n",
                codes + contracts + steps ? "interrupted" : "new", codes, contracts, steps);
        plan_fresh(m, r.rec, o->out);
    } else {
        dep_diff d;
        if (dep_diff_compute(m, r.t, r.rec, &d)) {
            dep_run_fail(&r, "reading the chain: %s", d.error);
            rc = DEP_EXIT_FAIL;
        } else if (d.count == 0) {
            fprintf(o->out, "nothing to change: every contract and parameter matches\n");
        } else {
            size_t uploads = 0;
            for (size_t i = 0; i < d.count; i++)
                if (strcmp(d.changes[i].kind, "migration") == 0) uploads++;
            fprintf(o->out, "uploads: %zu (changed code, stored directly)\n", uploads);
            fprintf(o->out, "instantiations: none\n");
            fprintf(o->out, "changes (%zu, one governance proposal of %zu messages):\n", d.count,
                    d.msg_count);
            dep_diff_print(&d, o->out);
            print_pending(&r, &d);
        }
        dep_diff_free(&d);
    }
    dep_run_close(&r);
    return rc;
}

int dep_cmd_status(const dep_manifest *m, const dep_options *o) {
    const char *state = dep_state_dir(m, o);
    if (m->target.kind == DEP_TARGET_LOCAL && !dir_exists(state)) {
        fprintf(o->out, "%s: no devnet state at %s (nothing deployed)\n", m->chain_id, state);
        return DEP_EXIT_OK;
    }
    dep_run r;
    if (dep_run_open(&r, m, o, state, dep_records_dir(o))) return DEP_EXIT_FAIL;
    const char *mh = dep_record_manifest_hash(r.rec);
    fprintf(o->out, "chain %s (local %s), block time %llu\n", m->chain_id, state,
            (unsigned long long)r.t->ops->block_time(r.t));
    fprintf(o->out, "record %s: %s, manifest %s%s\n", r.rec->path,
            dep_deployed(r.rec) ? "deployed" : "not (fully) deployed", mh ? mh : "none",
            mh && strcmp(mh, m->hash_hex) == 0 ? " (this manifest)" : " (not this manifest)");
    fprintf(o->out, "  %-16s %-66s %-5s %s\n", "contract", "address", "code", "checksum");
    const char *name;
    json_t *c;
    json_object_foreach(json_object_get(r.rec->doc, "contracts"), name, c) {
        fprintf(o->out, "  %-16s %-66s %-5lld %.16s…\n", name,
                json_string_value(json_object_get(c, "address")),
                (long long)json_integer_value(json_object_get(c, "code_id")),
                json_string_value(json_object_get(c, "checksum")));
    }
    fprintf(o->out, "record matches the chain (codes, addresses, code ids)\n");
    size_t i, pending = 0;
    json_t *p;
    json_array_foreach(dep_record_proposals(r.rec), i, p) {
        const char *st = json_string_value(json_object_get(p, "status"));
        if (!strcmp(st, "queued") || !strcmp(st, "awaiting_multisig")) pending++;
    }
    fprintf(o->out, "proposals: %zu recorded, %zu pending\n",
            json_array_size(dep_record_proposals(r.rec)), pending);
    int rc = DEP_EXIT_OK;
    if (dep_deployed(r.rec)) {
        dep_diff d;
        if (dep_diff_compute(m, r.t, r.rec, &d)) {
            dep_run_fail(&r, "reading the chain: %s", d.error);
            rc = DEP_EXIT_FAIL;
        } else if (d.count == 0) {
            fprintf(o->out, "parameters: the chain matches the manifest\n");
        } else {
            fprintf(o->out, "parameters: %zu differ from the manifest\n", d.count);
            dep_diff_print(&d, o->out);
        }
        dep_diff_free(&d);
    }
    dep_run_close(&r);
    return rc;
}

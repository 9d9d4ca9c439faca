/* proposals.c — `cdp-deploy proposals` (the recorded governance proposals, synced with the
 * timelock: status, ETA) and `cdp-deploy execute ID` (execute_proposal after the delay, then the
 * expected post-state: every on-chain value must equal the manifest; each mismatch reported). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"

static json_t *chain_proposal(dep_run *r, uint64_t id) {
    char q[96];
    snprintf(q, sizeof q, "{\"proposal\":{\"id\":%llu}}", (unsigned long long)id);
    return dep_query_json(r->t, dep_record_address(r->rec, "governance"), q, NULL);
}

/* The migrations of an executed proposal took effect: the contracts run the new code. */
static void apply_migrations(dep_run *r, json_t *proposal) {
    size_t i;
    json_t *mig;
    json_array_foreach(json_object_get(proposal, "migrations"), i, mig) {
        json_t *c =
            dep_record_contract(r->rec, json_string_value(json_object_get(mig, "contract")));
        if (!c) continue;
        json_object_set(c, "code_id", json_object_get(mig, "code_id"));
        json_object_set(c, "checksum", json_object_get(mig, "checksum"));
    }
}

void dep_sync_proposals(dep_run *r, bool save) {
    const char *timelock = dep_record_address(r->rec, "governance");
    if (!timelock) return;
    json_t *all = dep_query_json(r->t, timelock, "{\"proposals\":{\"limit\":30}}", NULL);
    json_t *list = json_object_get(all, "proposals");
    size_t i;
    json_t *p;
    json_array_foreach(dep_record_proposals(r->rec), i, p) {
        json_t *id = json_object_get(p, "id");
        json_t *onchain = NULL;
        if (json_is_integer(id)) {
            onchain = chain_proposal(r, (uint64_t)json_integer_value(id));
        } else {
            size_t k;
            json_t *c;
            json_array_foreach(list, k, c) {
                if (!onchain &&
                    json_equal(json_object_get(c, "msgs_hash"), json_object_get(p, "msgs_hash")))
                    onchain = json_incref(c);
            }
            if (onchain) json_object_set(p, "id", json_object_get(onchain, "id"));
        }
        if (!onchain) continue;
        const char *was = json_string_value(json_object_get(p, "status"));
        const char *now = json_string_value(json_object_get(onchain, "status"));
        if (now && strcmp(now, "executed") == 0 && strcmp(was, "executed") != 0)
            apply_migrations(r, p); /* executed by someone else since */
        json_object_set(p, "status", json_object_get(onchain, "status"));
        json_object_set(p, "eta", json_object_get(onchain, "eta"));
        json_decref(onchain);
    }
    json_decref(all);
    char *err = NULL;
    if (save && dep_record_save(r->rec, &err)) {
        fprintf(r->o->err, "warning: %s\n", err);
        free(err);
    }
}

int dep_cmd_proposals(const dep_manifest *m, const dep_options *o) {
    dep_run r;
    if (dep_run_open(&r, m, o, dep_state_dir(m, o), dep_records_dir(o))) return DEP_EXIT_FAIL;
    dep_sync_proposals(&r, true);
    uint64_t now = r.t->ops->block_time(r.t);
    fprintf(o->out, "proposals on %s (now %llu):\n", m->chain_id, (unsigned long long)now);
    fprintf(o->out, "  %-4s %-18s %-12s %-16s %-18s %s\n", "id", "status", "eta", "", "msgs_hash",
            "title");
    size_t i;
    json_t *p;
    json_array_foreach(dep_record_proposals(r.rec), i, p) {
        json_t *id = json_object_get(p, "id"), *eta = json_object_get(p, "eta");
        const char *st = json_string_value(json_object_get(p, "status"));
        char ids[24] = "-", etas[24] = "-", when[32] = "";
        if (json_is_integer(id))
            snprintf(ids, sizeof ids, "%lld", (long long)json_integer_value(id));
        if (json_is_integer(eta)) {
            uint64_t e = (uint64_t)json_integer_value(eta);
            snprintf(etas, sizeof etas, "%llu", (unsigned long long)e);
            if (!strcmp(st, "queued"))
                snprintf(when, sizeof when, e > now ? "in %llu s" : "ready",
                         (unsigned long long)(e - now));
        }
        fprintf(o->out, "  %-4s %-18s %-12s %-16s %.16s…  %s\n", ids, st, etas, when,
                json_string_value(json_object_get(p, "msgs_hash")),
                json_string_value(json_object_get(p, "title")));
    }
    if (!json_array_size(dep_record_proposals(r.rec))) fprintf(o->out, "  (none)\n");
    dep_run_close(&r);
    return DEP_EXIT_OK;
}

/* The expected post-state: the diff must be empty. Returns the number of mismatches. */
static size_t post_state_check(dep_run *r) {
    dep_diff d;
    size_t n;
    if (dep_diff_compute(r->m, r->t, r->rec, &d)) {
        dep_run_fail(r, "post-state check: reading the chain: %s", d.error);
        n = 1;
    } else if (d.count == 0) {
        fprintf(r->out, "post-state check passed: every on-chain value equals the manifest\n");
        n = 0;
    } else {
        fprintf(r->out, "post-state check FAILED: %zu value(s) differ from the manifest:\n",
                d.count);
        dep_diff_print(&d, r->out);
        n = d.count;
    }
    dep_diff_free(&d);
    return n;
}

int dep_cmd_execute(const dep_manifest *m, uint64_t id, const dep_options *o) {
    dep_run r;
    if (dep_run_open(&r, m, o, dep_state_dir(m, o), dep_records_dir(o))) return DEP_EXIT_FAIL;
    int rc = DEP_EXIT_FAIL;
    dep_sync_proposals(&r, true);
    json_t *entry = NULL, *p;
    size_t i;
    json_array_foreach(dep_record_proposals(r.rec), i, p) {
        json_t *pid = json_object_get(p, "id");
        if (json_is_integer(pid) && (uint64_t)json_integer_value(pid) == id) entry = p;
    }
    json_t *onchain = dep_record_address(r.rec, "governance") ? chain_proposal(&r, id) : NULL;
    if (!onchain) {
        dep_run_fail(&r, "proposal %llu: not found on the timelock", (unsigned long long)id);
        goto done;
    }
    const char *hash = json_string_value(json_object_get(onchain, "msgs_hash"));
    if (!entry) {
        /* Not one of ours: name the change the record expected, if one is waiting. */
        const char *want = NULL;
        json_array_foreach(dep_record_proposals(r.rec), i, p) {
            const char *st = json_string_value(json_object_get(p, "status"));
            if (!strcmp(st, "awaiting_multisig") || !strcmp(st, "queued"))
                want = json_string_value(json_object_get(p, "msgs_hash"));
        }
        dep_run_fail(&r,
                     "proposal %llu: msgs_hash %s matches no proposal cdp-deploy recorded%s%s "
                     "(tampered or foreign): not executed",
                     (unsigned long long)id, hash, want ? "; the manifest's change is " : "",
                     want ? want : "");
        goto done;
    }
    const char *want = json_string_value(json_object_get(entry, "msgs_hash"));
    if (strcmp(hash, want) != 0) {
        dep_run_fail(&r,
                     "proposal %llu: msgs_hash %s on chain differs from the recorded %s "
                     "(tampered): not executed",
                     (unsigned long long)id, hash, want);
        goto done;
    }
    const char *status = json_string_value(json_object_get(onchain, "status"));
    if (strcmp(status, "executed") == 0) {
        fprintf(r.out, "proposal %llu is already executed\n", (unsigned long long)id);
    } else {
        char msg[96];
        snprintf(msg, sizeof msg, "{\"execute_proposal\":{\"id\":%llu}}", (unsigned long long)id);
        dep_call c = r.t->ops->execute(r.t, dep_record_address(r.rec, "governance"), NULL, msg);
        if (!c.ok) {
            dep_run_fail(&r, "execute proposal %llu: %s", (unsigned long long)id, c.error);
            dep_call_free(&c);
            goto done;
        }
        dep_call_free(&c);
        fprintf(r.out, "executed proposal %llu (msgs_hash %.16s…)\n", (unsigned long long)id, hash);
    }
    json_object_set_new(entry, "status", json_string("executed"));
    apply_migrations(&r, entry);
    char *err = NULL;
    if (dep_record_save(r.rec, &err)) {
        dep_run_fail(&r, "%s", err);
        free(err);
        goto done;
    }
    if (strcmp(json_string_value(json_object_get(entry, "manifest_hash")), m->hash_hex) != 0)
        fprintf(r.out,
                "note: proposal %llu came from manifest %.16s…, checking against this "
                "one (%.16s…)\n",
                (unsigned long long)id, json_string_value(json_object_get(entry, "manifest_hash")),
                m->hash_hex);
    rc = post_state_check(&r) ? DEP_EXIT_FAIL : DEP_EXIT_OK;
done:
    json_decref(onchain);
    dep_run_close(&r);
    return rc;
}

/* apply.h — the run shared by cdp-deploy's commands (apply.c, plan.c, proposals.c): the opened
 * target (chain id checked), the record (checked against the chain), output streams and the
 * step counter of the stop hook. Internal to the deploy tool. */
#ifndef DEP_APPLY_H
#define DEP_APPLY_H

#include "deploy.h"

typedef struct dep_run {
    const dep_manifest *m;
    const dep_options *o;
    FILE *out;
    dep_chain chain, *t;
    dep_record record, *rec;
    unsigned steps; /* published steps in this run */
    bool stopped, opened;
} dep_run;

/* Open the target at state_dir, refuse another chain id, apply --time-advance, load and check
 * the record in records_dir. 0, or −1 (reported on o->err; nothing to close). */
int dep_run_open(dep_run *r, const dep_manifest *m, const dep_options *o, const char *state_dir,
                 const char *records_dir);
void dep_run_close(dep_run *r);
/* Print "error: …" on o->err; returns −1. */
int dep_run_fail(dep_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *dep_records_dir(const dep_options *o);
const char *dep_state_dir(const dep_manifest *m, const dep_options *o);
bool dep_deployed(const dep_record *rec);
bool dep_settlement_present(const dep_manifest *m);
bool dep_is_contract(dep_chain *t, const char *address);
char *dep_event_attr(const char *events, const char *key);
/* Refresh the recorded proposals from the timelock (status, eta; a multisig's id by its
 * msgs_hash among the first 30; the migrations of a proposal executed since), and save the
 * record when asked (proposals.c). */
void dep_sync_proposals(dep_run *r, bool save);

#endif

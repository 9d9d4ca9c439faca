/* deploy.h — cdp-deploy's commands behind the command line: plan, apply (simulated or
 * --broadcast), proposals, execute, status, and the parts they share: the parameter diff
 * between a manifest and the chain (diff.c), the governance proposal it becomes (proposal.c).
 * Reference: deploy/DEPLOY.md. Prefix dep_. */
#ifndef DEP_DEPLOY_H
#define DEP_DEPLOY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "manifest.h"
#include "record.h"
#include "target.h"

/* Exit codes of the commands. */
#define DEP_EXIT_OK 0
#define DEP_EXIT_FAIL 1 /* refused, a transaction failed, or a post-state mismatch */
#define DEP_EXIT_USAGE 2
#define DEP_EXIT_STOPPED 3 /* stopped after stop_after steps (the test hook) */

typedef struct dep_options {
    const char *state_dir;   /* overrides the manifest's target.state_dir; NULL: the manifest's */
    const char *records_dir; /* where <chain-id>.json lives; NULL: "deployments" */
    bool broadcast;          /* apply: publish (else simulate on a copy) */
    uint64_t time_advance;   /* devnet only: seconds to advance before the command */
    /* Test hook (env CDP_DEPLOY_STOP_AFTER): stop apply after this many published steps,
     * as if interrupted; 0 = never. */
    unsigned stop_after;
    FILE *out, *err;
} dep_options;

int dep_cmd_plan(const dep_manifest *m, const dep_options *o);
int dep_cmd_apply(const dep_manifest *m, const dep_options *o);
int dep_cmd_proposals(const dep_manifest *m, const dep_options *o);
int dep_cmd_execute(const dep_manifest *m, uint64_t id, const dep_options *o);
int dep_cmd_status(const dep_manifest *m, const dep_options *o);

/* --- Shared by the commands --------------------------------------------------------------- */

/* One difference between the manifest and the chain: a readable row and, for a parameter, the
 * contract message that fixes it (one message may fix several rows: msg is set on the first). */
typedef struct dep_change {
    char *kind;  /* "parameter", "market", "collateral", "migration" */
    char *path;  /* "markets[atom].uatom.max_ltv" */
    char *old;   /* chain value ("-" when absent) */
    char *new;   /* manifest value */
    char *human; /* the manifest's text ("65%"), or NULL */
} dep_change;

/* A wasm message of the proposal: execute (msg set) or migrate (new_code_id set). */
typedef struct dep_wasm_msg {
    char *contract;
    json_t *msg; /* execute or migrate body */
    bool migrate;
    uint64_t new_code_id;
    char *migrate_name, *migrate_checksum; /* record bookkeeping for a migration */
} dep_wasm_msg;

typedef struct dep_diff {
    dep_change *changes;
    size_t count, cap;
    dep_wasm_msg *msgs;
    size_t msg_count, msg_cap;
    char *error; /* a query failed: the diff is incomplete */
} dep_diff;

/* Compare every manifest value with the chain (contracts from the record). Code changes are
 * found against codes stored for the manifest's sources (code_ids: per dep_contract_id, the
 * code the manifest's source would use, 0 when not stored). Returns 0, or −1 with d->error. */
int dep_diff_compute(const dep_manifest *m, dep_chain *t, const dep_record *r, dep_diff *d);
void dep_diff_free(dep_diff *d);
void dep_diff_print(const dep_diff *d, FILE *out);

/* The governance proposal's messages as the timelock stores them (SPEC §4.2) — its canonical
 * array text and SHA-256 (msgs_hash, hex). Returns the array JSON (caller decrefs). */
json_t *dep_proposal_msgs(const dep_diff *d, char **canonical, char hash_hex[65]);

/* Contract names used in records: "governance", "oracle", …, "token:<id>". */
const char *dep_instance_source(const char *name); /* source key of an instance name */

/* Helpers. */
json_t *dep_query_json(dep_chain *t, const char *contract, const char *msg, char **err);
char *dep_sha256_file(const char *path, uint8_t **bytes, size_t *len); /* hex, or NULL */
char *dep_base64(const char *text);

#endif

/* record.h — the deployment record deployments/<chain-id>.json: what cdp-deploy has published
 * on one chain (code ids and checksums, contract addresses, steps done, governance proposals,
 * the manifest hash last applied). Written atomically (temp file + rename) after every step so
 * an interrupted apply resumes; read strictly (unknown fields, wrong types refused) and checked
 * against the chain before use. Format: deploy/DEPLOY.md §2. Prefix dep_record_. */
#ifndef DEP_RECORD_H
#define DEP_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "target.h"

#define DEP_RECORD_VERSION 1

/* The record in memory: `doc` is the JSON document in the format of DEPLOY.md §2 (valid after
 * dep_record_load). Accessors below; callers may also read doc directly. */
typedef struct dep_record {
    json_t *doc;
    char *path; /* <dir>/<chain-id>.json */
} dep_record;

/* Load <dir>/<chain-id>.json, or start an empty record when the file does not exist. 0, or
 * −1 with *err (malloc'd) naming the problem: JSON syntax, an unknown or missing field, a
 * wrong type, a chain id other than chain_id. */
int dep_record_load(const char *dir, const char *chain_id, dep_record *out, char **err);

/* Compare with the chain: every code's checksum, every contract's existence and code id. 0, or
 * −1 with *err naming the first difference ("record tampered or stale: …"). */
int dep_record_check(const dep_record *r, dep_chain *t, char **err);

/* Write atomically (<path>.tmp then rename). 0, or −1 with *err. */
int dep_record_save(const dep_record *r, char **err);

void dep_record_free(dep_record *r);

/* --- Accessors --------------------------------------------------------------------------- */

bool dep_record_has_step(const dep_record *r, const char *step);
void dep_record_add_step(dep_record *r, const char *step);

/* codes[source] (NULL when not stored): {"code_id","checksum"}. */
json_t *dep_record_code(const dep_record *r, const char *source);
void dep_record_set_code(dep_record *r, const char *source, uint64_t code_id, const char *checksum);

/* contracts[name] (NULL when not instantiated): {"code_id","checksum","address"}. */
json_t *dep_record_contract(const dep_record *r, const char *name);
const char *dep_record_address(const dep_record *r, const char *name);
void dep_record_set_contract(dep_record *r, const char *name, uint64_t code_id,
                             const char *checksum, const char *address);

/* proposals: array of {"id":N|null,"manifest_hash","msgs_hash","status","eta":N|null,
 * "via":"proposer"|"multisig","migrations":[{"contract","code_id","checksum"}]}. */
json_t *dep_record_proposals(const dep_record *r);

const char *dep_record_manifest_hash(const dep_record *r);
void dep_record_set_manifest_hash(dep_record *r, const char *hash);

#endif

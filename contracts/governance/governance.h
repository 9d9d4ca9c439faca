/* governance internals shared by its source files: the timelock's stored records (config,
 * counters, proposals), strict message parsing, proposal message checks and their canonical
 * form, SHA-256, the per-call context and the accounting identity. Behaviour:
 * contracts/governance/SPEC.md. Everything here is prefixed gv_. */
#ifndef GOVERNANCE_GOVERNANCE_H
#define GOVERNANCE_GOVERNANCE_H

#include <stddef.h>

#include "cw_arena.h"
#include "cw_base.h"
#include "cw_entry.h"
#include "cw_host.h"
#include "cw_json.h"
#include "cw_parse.h"
#include "cw_response.h"
#include "cw_storage.h"

#define GV_MAX_SECONDS 31536000u /* upper bound of every delay and of grace_period: 365 days */
#define GV_MAX_MSGS 16           /* messages per proposal or emergency call */
#define GV_MAX_ACTIONS 16        /* emergency allow-list entries */
#define GV_MAX_TITLE 140         /* bytes */
#define GV_MAX_DESCRIPTION 4096  /* bytes */

/* --- Binary records (state.c): little-endian integers, strings as u32 length + bytes ------- */

typedef struct gv_rd {
    cw_str s;
    size_t pos;
} gv_rd;
void gv_put_u64(cw_buf *b, uint64_t v);
void gv_put_str(cw_buf *b, cw_str s);
uint64_t gv_get_u64(gv_rd *r); /* a short record aborts (it is corrupt) */
cw_str gv_get_str(gv_rd *r);
/* A u64's decimal text, held (cw_arena.h). */
const char *gv_u64_str(uint64_t v);

/* --- Message parsing (msg_parse.c) ---------------------------------------------------------- */

/* The SDK's standard kinds (cw_parse.h) under this contract's names, plus its own two. */
typedef enum gv_kind {
    GV_STR = CW_KIND_STRING,  /* JSON string → cw_str (unescaped, held) */
    GV_U64 = CW_KIND_U64,     /* JSON number → uint64_t */
    GV_RAW = CW_KIND_JSON,    /* any JSON value → cw_json */
    GV_ADDR = CW_KIND_CUSTOM, /* string, validated as an address */
    GV_ADDR_NULL /* address or null (null leaves the cw_str empty): Option<Addr> required */
} gv_kind;

/* A struct with deny_unknown_fields: unknown, duplicate, missing fields and bad values fail
 * (`unknown field `x`, expected one of `a`, `b``, `missing field `x``, `invalid type for `x`:
 * expected …`). Tables are built with CW_REQ / CW_OPT. */
cw_error *gv_parse_struct(cw_json obj, const cw_field *fields, size_t n, void *base);
/* Externally tagged enums: cw_parse_enum (cw_parse.h). */

/* Every message's fields (which ones a variant uses: contract.c, queries.c). */
typedef struct gv_msg {
    cw_str proposer, guardian, emergency, title, description, status;
    uint64_t min_delay, max_delay, grace_period, delay, id, start_after, limit;
    cw_json msgs, emergency_actions;
    bool has_description, has_delay, has_actions, has_start_after, has_limit, has_status;
} gv_msg;

/* --- Stored records (state.c) --------------------------------------------------------------- */

/* Item "config": the roles, the delays [s] and the emergency allow-list. */
typedef struct gv_config {
    cw_str proposer;       /* the only address that may queue (a key or a cw3 multisig) */
    cw_str guardian;       /* may cancel queued proposals; empty = none */
    cw_str emergency;      /* may run allow-listed execute messages at once; empty = none */
    uint64_t min_delay;    /* smallest eta − queue time [s] */
    uint64_t max_delay;    /* largest delay a proposer may ask for [s] */
    uint64_t grace_period; /* a proposal executes in [eta, eta + grace_period) [s] */
    cw_str *actions;       /* emergency allow-list: execute variants (held) */
    uint32_t n_actions;
} gv_config;

/* Item "counts": the identity's terms (SPEC.md §7). */
typedef struct gv_counts {
    uint64_t next_id;        /* id of the next proposal (first 1) */
    uint64_t queued;         /* proposals stored as queued (includes those now expired) */
    uint64_t executed;       /* proposals executed */
    uint64_t cancelled;      /* proposals cancelled */
    uint64_t emergency_runs; /* emergency calls made */
} gv_counts;

/* Stored statuses; "expired" is derived: queued and now ≥ expires. */
enum { GV_QUEUED = 0, GV_EXECUTED = 1, GV_CANCELLED = 2, GV_EXPIRED = 3, GV_NEW = 0xFF };
const char *gv_status_name(uint32_t status);

/* Map "proposal" be64(id); Map "status" (status name, be64(id)) → "1" indexes stored status. */
typedef struct gv_proposal {
    uint64_t id;
    uint32_t status;    /* GV_QUEUED / GV_EXECUTED / GV_CANCELLED as stored */
    uint64_t queued_at; /* block time of queue [s] */
    uint64_t eta;       /* earliest execution time [s] */
    uint64_t expires;   /* eta + grace_period: first second it can no longer execute [s] */
    uint64_t closed_at; /* block time of execution or cancellation, 0 while queued [s] */
    cw_str title;
    cw_str description; /* ptr NULL = none */
    cw_str msgs;        /* the canonical JSON array of CosmosMsg (proposal_msgs.c) */
    cw_str msgs_hash;   /* lowercase hex SHA-256 of `msgs` */
} gv_proposal;

cw_error *gv_config_load(gv_config *c);
void gv_config_save(const gv_config *c);
cw_error *gv_counts_load(gv_counts *c);
void gv_counts_save(const gv_counts *c);
/* `proposal not found: <id>`. */
cw_error *gv_proposal_load(uint64_t id, gv_proposal *p);
/* Save p and move its status index entry from `old_status` (GV_NEW: none) to p->status;
 * the change is recorded in the call's ledger. */
void gv_proposal_save(const gv_proposal *p, uint32_t old_status);
/* The status a reader sees at `now`: queued turns expired at `expires`. */
uint32_t gv_status_at(const gv_proposal *p, uint64_t now);

/* --- Proposal messages (proposal_msgs.c) ---------------------------------------------------- */

/* Check every element of the JSON array `msgs` (1..GV_MAX_MSGS CosmosMsg) and write their
 * canonical JSON array to `out`. A proposal (emergency false) takes wasm execute (no funds),
 * migrate and update_admin; an emergency call takes only wasm execute whose message variant
 * is in cfg's allow-list (its variants are appended to `variants`, comma-separated). Errors
 * name the element: `msgs[2]: bank messages are not allowed: …`. */
cw_error *gv_canonical_msgs(cw_json msgs, bool emergency, const gv_config *cfg, cw_buf *out,
                            uint32_t *count, cw_buf *variants);
/* Lowercase hex SHA-256 of `text`, held. */
cw_str gv_hash_hex(cw_str text);

/* SHA-256 (FIPS 180-4) of `n` bytes (sha256.c). */
void gv_sha256(const void *data, size_t n, uint8_t out[32]);

/* --- Per-call context and the identity (ledger.c) ------------------------------------------- */

typedef struct gv_ctx {
    const cw_env *env;
    const cw_info *info;
    cw_response *res;
    uint64_t now; /* block time [s] */
    gv_config cfg;
    gv_counts counts, counts_before;
} gv_ctx;

/* Stored-status changes written this call (gv_proposal_save), per status, and proposals
 * created: what the counters must have moved by. */
typedef struct gv_ledger {
    int64_t status_delta[3];
    uint64_t created;
} gv_ledger;
extern gv_ledger gv_call_ledger;

/* queued + executed + cancelled == next_id − 1, and each counter moved exactly as the stored
 * statuses did this call. `accounting identity violated: …` otherwise. */
cw_error *gv_check_identity(const gv_counts *before, const gv_counts *after);

/* --- Execute handlers ----------------------------------------------------------------------- */

typedef cw_error *(*gv_exec_fn)(gv_ctx *c, const gv_msg *m);

/* timelock.c */
cw_error *gv_exec_queue(gv_ctx *c, const gv_msg *m);
cw_error *gv_exec_execute_proposal(gv_ctx *c, const gv_msg *m);
cw_error *gv_exec_cancel(gv_ctx *c, const gv_msg *m);

/* roles.c */
/* The config from an instantiate / update_config body (validated: SPEC.md §3). */
cw_error *gv_config_from_msg(const gv_msg *m, gv_config *c);
void gv_config_attrs(cw_response *res, const gv_config *c);
cw_error *gv_exec_emergency(gv_ctx *c, const gv_msg *m);
cw_error *gv_exec_update_config(gv_ctx *c, const gv_msg *m);

/* queries.c */
cw_error *gv_query(const cw_env *env, cw_json msg, cw_buf *answer);

#endif

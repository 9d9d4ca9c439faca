/* target.h — the chain cdp-deploy talks to, behind one interface: store code, instantiate,
 * execute, query, chain id and time. The local target is a persistent host-sim devnet
 * (target_local.c); a network target (signing Cosmos transactions over RPC) is the next
 * implementation of the same struct. Prefix dep_target_. */
#ifndef DEP_TARGET_H
#define DEP_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

/* The outcome of one call. Strings are malloc'd and freed by dep_call_free; unused ones NULL. */
typedef struct dep_call {
    bool ok;
    char *error;    /* !ok: the chain's or contract's message */
    char *address;  /* instantiate: the new contract */
    char *checksum; /* store: hex SHA-256 of the code */
    char *answer;   /* query: the answer JSON */
    char *data;     /* execute: base64 of the response data, or NULL */
    char *events;   /* execute: JSON array of events */
    uint64_t code_id;
} dep_call;

void dep_call_free(dep_call *c);

typedef struct dep_target_ops dep_target_ops;

/* An open target: the operations plus the implementation's own state. */
typedef struct dep_chain {
    const dep_target_ops *ops;
    void *impl;
    char *deployer; /* the account that stores, instantiates and sends direct messages */
} dep_chain;

struct dep_target_ops {
    const char *kind; /* "local", "network" */
    dep_call (*store)(dep_chain *t, const uint8_t *wasm, size_t len);
    /* admin NULL: none. */
    dep_call (*instantiate)(dep_chain *t, uint64_t code_id, const char *msg, const char *label,
                            const char *admin);
    /* sender NULL: the deployer. The local target may send as any account (a devnet). */
    dep_call (*execute)(dep_chain *t, const char *contract, const char *sender, const char *msg);
    dep_call (*query)(dep_chain *t, const char *contract, const char *msg);
    /* Any QueryRequest JSON ({"wasm":{"contract_info":…}}, {"wasm":{"code_info":…}}). */
    dep_call (*query_request)(dep_chain *t, const char *request);
    const char *(*chain_id)(dep_chain *t);
    uint64_t (*block_time)(dep_chain *t); /* seconds since the epoch */
    /* The address the next instantiate of code_id gets (wasmd classic derivation), so a
     * contract can be its own admin. Into out (≥ 128 bytes); 0, or −1 when unknown. */
    int (*next_address)(dep_chain *t, uint64_t code_id, char *out, size_t cap);
    /* Resolve an alias or address (local: host-sim aliases) into out (≥ 128 bytes). */
    void (*address)(dep_chain *t, const char *name, char *out, size_t cap);
    /* Devnet only (NULL on a network): move block time forward by seconds. */
    void (*advance_time)(dep_chain *t, uint64_t seconds);
    void (*close)(dep_chain *t);
};

/* Open the manifest's target. state_dir overrides target.state_dir when not NULL. Returns 0,
 * or −1 with *err a malloc'd message (a network target: "not supported yet"). A fresh local
 * state directory starts a chain with the manifest's chain id; an existing one keeps its own. */
int dep_target_open(const dep_manifest *m, const char *state_dir, dep_chain *out, char **err);

/* Open a local devnet directly (tests, simulation copies). */
int dep_target_open_local(const char *state_dir, const char *chain_id, const char *prefix,
                          dep_chain *out, char **err);

void dep_target_close(dep_chain *t);

#endif

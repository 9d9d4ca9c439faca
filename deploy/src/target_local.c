/* target_local.c — the local target: a persistent host-sim devnet (hs_chain on a --state DIR),
 * the same chain `host-sim run --state DIR` continues. The deployer is the alias "deployer". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostsim.h"
#include "target.h"

void dep_call_free(dep_call *c) {
    free(c->error);
    free(c->address);
    free(c->checksum);
    free(c->answer);
    free(c->data);
    free(c->events);
    memset(c, 0, sizeof *c);
}

static hs_chain *chain(dep_chain *t) {
    return (hs_chain *)t->impl;
}

static char *dup_or_null(const char *s) {
    return s ? strdup(s) : NULL;
}

static dep_call from_result(hs_result *r) {
    dep_call c = {.ok = r->ok,
                  .error = dup_or_null(r->error),
                  .address = dup_or_null(r->address),
                  .checksum = dup_or_null(r->checksum),
                  .answer = dup_or_null(r->answer),
                  .data = dup_or_null(r->data),
                  .events = dup_or_null(r->events),
                  .code_id = r->code_id};
    if (!c.ok && !c.error) c.error = strdup("failed");
    hs_result_free(r);
    return c;
}

static dep_call local_store(dep_chain *t, const uint8_t *wasm, size_t len) {
    hs_result r = hs_store_code(chain(t), t->deployer, wasm, len);
    return from_result(&r);
}

static dep_call local_instantiate(dep_chain *t, uint64_t code_id, const char *msg,
                                  const char *label, const char *admin) {
    hs_result r = hs_instantiate(chain(t), code_id, t->deployer, msg, NULL, 0, label, admin);
    return from_result(&r);
}

static dep_call local_execute(dep_chain *t, const char *contract, const char *sender,
                              const char *msg) {
    hs_result r = hs_execute(chain(t), contract, sender ? sender : t->deployer, msg, NULL, 0);
    return from_result(&r);
}

static dep_call local_query(dep_chain *t, const char *contract, const char *msg) {
    hs_result r = hs_query(chain(t), contract, msg);
    return from_result(&r);
}

static dep_call local_query_request(dep_chain *t, const char *request) {
    hs_result r = hs_query_request(chain(t), request);
    return from_result(&r);
}

static const char *local_chain_id(dep_chain *t) {
    return hs_chain_id(chain(t));
}

static uint64_t local_block_time(dep_chain *t) {
    return hs_block_time_ns(chain(t)) / 1000000000u;
}

static int local_next_address(dep_chain *t, uint64_t code_id, char *out, size_t cap) {
    return hs_next_contract_address(chain(t), code_id, out, cap);
}

static void local_address(dep_chain *t, const char *name, char *out, size_t cap) {
    hs_address(chain(t), name, out, cap);
}

static void local_advance_time(dep_chain *t, uint64_t seconds) {
    hs_block_advance(chain(t), 1, seconds);
}

static void local_close(dep_chain *t) {
    hs_chain_close(chain(t));
}

static const dep_target_ops local_ops = {
    .kind = "local",
    .store = local_store,
    .instantiate = local_instantiate,
    .execute = local_execute,
    .query = local_query,
    .query_request = local_query_request,
    .chain_id = local_chain_id,
    .block_time = local_block_time,
    .next_address = local_next_address,
    .address = local_address,
    .advance_time = local_advance_time,
    .close = local_close,
};

int dep_target_open_local(const char *state_dir, const char *chain_id, const char *prefix,
                          dep_chain *out, char **err) {
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.state_dir = state_dir;
    cfg.chain_id = chain_id;
    cfg.bech32_prefix = prefix;
    hs_chain *c = NULL;
    if (hs_chain_open(&cfg, &c, err)) return -1;
    char deployer[128];
    hs_address(c, "deployer", deployer, sizeof deployer);
    *out = (dep_chain){.ops = &local_ops, .impl = c, .deployer = strdup(deployer)};
    return 0;
}

int dep_target_open(const dep_manifest *m, const char *state_dir, dep_chain *out, char **err) {
    if (m->target.kind != DEP_TARGET_LOCAL) {
        if (asprintf(err,
                     "target network (%s): not supported yet; cdp-deploy deploys to a "
                     "local devnet only",
                     m->target.rpc ? m->target.rpc : "no rpc") < 0)
            *err = NULL;
        return -1;
    }
    return dep_target_open_local(state_dir ? state_dir : m->target.state_dir, m->chain_id,
                                 m->address_prefix, out, err);
}

void dep_target_close(dep_chain *t) {
    if (t->ops) t->ops->close(t);
    free(t->deployer);
    memset(t, 0, sizeof *t);
}

/* cdp_scale.c — the scale scenario (cdp_scale.h): many positions, one crash, one keeper; gas and
 * wall time to clear every liquidatable position. */
#define _GNU_SOURCE
#include "cdp_scale.h"

#include "cdp_system.h"
#include "hs_keeper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int keeper_round(hs_keeper *k, hs_keeper_report *sum) {
    hs_keeper_report rep;
    int rc = hs_keeper_round(k, &rep);
    hs_keeper_report_add(sum, &rep);
    if (rc) fprintf(stderr, "%s\n", hs_keeper_error(k));
    return rc;
}

static int run(hs_chain *chain, uint64_t positions, uint64_t every, cdp_scale_result *out) {
    cdp_params p;
    cdp_params_default(&p);
    cdp_system s;
    if (cdp_deploy(chain, &p, &s)) return -1;
    const cdp_market *m = p.markets;
    double t0 = now_seconds();
    for (uint64_t i = 0; i < positions; i++) {
        char owner[32];
        snprintf(owner, sizeof owner, "owner%llu", (unsigned long long)(i % 100));
        uint64_t id;
        if (cdp_open(&s, owner, m, 100000, i % every == 0 ? 450000 : 300000, &id)) return -1;
    }
    out->open_seconds = now_seconds() - t0;
    /* The keeper: 10^9 uatom, 6·10^8 stable, enough to buy every lot. */
    uint64_t id;
    if (cdp_open(&s, "scale_keeper", m, 1000000000, 600000000, &id)) return -1;
    hs_keeper_config kc;
    hs_keeper_config_default(&kc);
    kc.name = "scale_keeper";
    kc.account = "scale_keeper";
    kc.engine = s.engine;
    kc.liquidator = s.liquidator;
    kc.page_limit = 30;
    hs_keeper *k = NULL;
    char *err = NULL;
    if (hs_keeper_new(chain, &kc, &k, &err)) {
        fprintf(stderr, "%s\n", err ? err : "keeper");
        free(err);
        return -1;
    }
    char *perr = NULL;
    if (hs_oracle_set_price(chain, "uatom", "6", &perr)) {
        free(perr);
        hs_keeper_free(k);
        return -1;
    }
    hs_keeper_report sum = {0};
    t0 = now_seconds();
    int rc = keeper_round(k, &sum); /* liquidate everything in the crash block */
    out->liquidate_seconds = now_seconds() - t0;
    hs_block_advance(chain, 120, 600);
    if (rc == 0) rc = keeper_round(k, &sum); /* price = oracle: buy every lot */
    out->clear_seconds = now_seconds() - t0;
    hs_keeper_free(k);
    if (rc) return -1;
    json_t *j = cdp_query(&s, s.liquidator, "{\"auctions\":{}}");
    if (!j) return -1;
    size_t left = json_array_size(json_object_get(j, "auctions"));
    json_decref(j);
    if (left) {
        fprintf(stderr, "scale: %zu auctions left\n", left);
        return -1;
    }
    out->positions = positions;
    out->liquidated = sum.liquidations;
    out->takes = sum.takes;
    out->tx_gas = sum.gas_used;
    out->query_gas = sum.query_gas;
    return 0;
}

int cdp_scale_run(uint64_t positions, uint64_t every, cdp_scale_result *out) {
    memset(out, 0, sizeof *out);
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.cache_dir = "build/cache";
    hs_chain *chain;
    char *err = NULL;
    if (hs_chain_open(&cfg, &chain, &err)) {
        fprintf(stderr, "%s\n", err ? err : "chain");
        free(err);
        return -1;
    }
    int rc = run(chain, positions, every, out);
    hs_chain_close(chain);
    return rc;
}

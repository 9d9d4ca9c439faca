/* The oracle's O(1) accounting identity (SPEC.md §6): the counters kept by the handlers must
 * match the sizes of the feeder set and asset list, and the submissions counter must move by
 * exactly the net change the storage layer wrote; the quorum must stay reachable. */
#include "oracle.h"

static cw_error *violated(const char *what, uint64_t counter, uint64_t actual) {
    return cw_errorf("accounting identity violated: %s counter %llu != %llu", what,
                     (unsigned long long)counter, (unsigned long long)actual);
}

cw_error *or_ledger_check(const or_totals *before, const or_config *cfg) {
    const or_totals *t = &cfg->totals;
    if (t->feeders != cfg->n_feeders) return violated("feeder", t->feeders, cfg->n_feeders);
    if (t->assets != cfg->n_assets) return violated("asset", t->assets, cfg->n_assets);
    uint64_t stored = before->submissions + (uint64_t)or_stored_submissions_delta;
    if (t->submissions != stored) return violated("submission", t->submissions, stored);
    if (cfg->quorum < 1 || cfg->quorum > t->feeders)
        return cw_errorf("accounting identity violated: quorum %llu outside 1..%llu feeders",
                         (unsigned long long)cfg->quorum, (unsigned long long)t->feeders);
    return NULL;
}

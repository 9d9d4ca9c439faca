/* The oracle's O(1) accounting identity (SPEC.md §6): the stored map sizes kept by the
 * handlers must equal their values before the call plus the entries the storage layer
 * created minus those it deleted, and the quorum must stay reachable. */
#include "oracle.h"

static cw_error *check_one(const char *map, uint64_t before, uint64_t after, uint64_t created,
                           uint64_t deleted) {
    if (before + created >= deleted && after == before + created - deleted) return NULL;
    return cw_errorf("accounting identity violated: %s count %llu != %llu + %llu created - %llu "
                     "deleted",
                     map, (unsigned long long)after, (unsigned long long)before,
                     (unsigned long long)created, (unsigned long long)deleted);
}

cw_error *or_ledger_check(const or_totals *before, const or_totals *after, const or_config *cfg) {
    const or_ledger *l = &or_entries;
    CW_TRY(check_one("feeder", before->feeders, after->feeders, l->created.feeders,
                     l->deleted.feeders));
    CW_TRY(check_one("asset", before->assets, after->assets, l->created.assets, l->deleted.assets));
    CW_TRY(check_one("submission", before->submissions, after->submissions, l->created.submissions,
                     l->deleted.submissions));
    if (cfg->quorum < 1 || cfg->quorum > after->feeders)
        return cw_errorf("accounting identity violated: quorum %llu outside 1..%llu feeders",
                         (unsigned long long)cfg->quorum, (unsigned long long)after->feeders);
    return NULL;
}

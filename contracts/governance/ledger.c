/* The timelock's O(1) accounting identity (SPEC.md §7), checked before every execute returns:
 * the counters partition the proposals ever queued, and each counter moved exactly as the
 * stored statuses written this call did. */
#include "governance.h"

static cw_error *violated(const char *what, uint64_t a, uint64_t b) {
    return cw_errorf("accounting identity violated: %s (%s != %s)", what, gv_u64_str(a),
                     gv_u64_str(b));
}

cw_error *gv_check_identity(const gv_counts *before, const gv_counts *after) {
    const gv_ledger *l = &gv_call_ledger;
    uint64_t total = after->queued + after->executed + after->cancelled;
    if (total + 1 != after->next_id)
        return violated("queued + executed + cancelled vs next_id - 1", total, after->next_id - 1);
    if (after->next_id != before->next_id + l->created)
        return violated("next_id vs proposals created", after->next_id,
                        before->next_id + l->created);
    const uint64_t b[3] = {before->queued, before->executed, before->cancelled};
    const uint64_t a[3] = {after->queued, after->executed, after->cancelled};
    for (int s = 0; s < 3; s++)
        if (a[s] != b[s] + (uint64_t)l->status_delta[s])
            return violated(gv_status_name((uint32_t)s), a[s], b[s] + (uint64_t)l->status_delta[s]);
    return NULL;
}

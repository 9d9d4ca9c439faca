/* script.h — `host-sim run`: the JSON-lines transaction-script runner
 * (ARCHITECTURE.md §3, "Transaction script"), plus its JSON subset rule,
 * exposed for tests. Implementation: script.c. */
#ifndef HS_SCRIPT_H
#define HS_SCRIPT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Options of one run. */
typedef struct hs_script_options {
    const char *path;      /* the script (JSON lines); "-" reads stdin */
    const char *state_dir; /* NULL: in-memory chain; else persistent state (and
                              aliases) here */
    bool gas_report;       /* print a gas table per contract and message kind at the end
                            */
    bool trace;            /* pass trace to the chain (contract debug() and call traces) */
} hs_script_options;

/* Run a script: one result line per step on `out`, diagnostics and the gas
 * report on `err`. Returns 0 when every step ran and every expectation held; 1
 * naming the failing line (an expectation that did not hold, a malformed line,
 * an unreadable script or wasm file, a chain that would not open). Stops at the
 * first failing line. */
int hs_script_run(const hs_script_options *opts, FILE *out, FILE *err);

/* The CLI entry: argv[0] is "run"; parses options and calls hs_script_run on
 * stdout/stderr. Returns the exit status (2 on a usage error). */
int hs_script_cmd(int argc, char **argv);

/* Whether `want` is a subset of `have`: objects recursively (every key of want
 * present in have with a subset value), arrays and scalars equal (json_equal).
 * On false, when why is non-NULL, writes "<path>: <reason>" (e.g. "balance:
 * expected \"100\", got \"90\""). */
bool hs_json_subset(const json_t *want, const json_t *have, char *why, size_t why_len);

#endif

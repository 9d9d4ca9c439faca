/* store_sqlite.h — persistence of the chain state in a SQLite database under a state directory
 * (`host-sim run --state DIR`), one SQLite transaction per committed chain transaction.
 *
 * Persistence model:
 * - Load-all: hs_sqlite_open() reads every key/value into the in-memory hs_kv, which then
 *   serves all reads and iteration (simulator states are megabytes, not gigabytes; reads stay
 *   in the nanosecond range and iteration needs no merge with the disk). The database is
 *   written, never read, after open.
 * - Write-through per transaction: install hs_sqlite_commit() as the tx_cache commit hook. Each
 *   outermost hs_txc_commit() then writes exactly that transaction's changed keys (upserts and
 *   deletes) in one SQLite transaction before the in-memory store is updated; if SQLite fails,
 *   the chain transaction fails and memory is untouched.
 * - Crash safety: WAL journal. A chain transaction is committed when hs_sqlite_commit()
 *   returns; killing the process at any later moment cannot lose it, and killing it earlier
 *   leaves the previous state (SQLite's atomic commit). Reopening runs WAL recovery.
 *   synchronous=NORMAL (the default here) makes a commit a write() to the WAL without fsync:
 *   safe against process death (the kernel keeps the written pages), while a power failure or
 *   OS crash may lose the last transactions but never corrupts the database. That is the right
 *   trade for a local simulator (commit ≈ µs instead of ≈ ms). HS_SQLITE_SYNC_FULL fsyncs the
 *   WAL at each commit for durability across power loss too.
 * - One writer: the database is opened in exclusive locking mode, so a second simulator on the
 *   same directory fails at open with a clear message instead of diverging.
 * - Schema (version 1): PRAGMA application_id = 0x42414C53 ("BALS");
 *   meta(name TEXT PRIMARY KEY, value TEXT) holding application = "ballast-host-sim" and
 *   schema_version = "1"; kv(k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID. A file that is
 *   not SQLite, or a SQLite database without these marks, is refused (HS_STATE_CORRUPT), as is
 *   another schema version (HS_STATE_VERSION).
 */
#ifndef HS_STORE_SQLITE_H
#define HS_STORE_SQLITE_H

#include "tx_cache.h"

/* Schema version this build reads and writes. */
#define HS_SQLITE_SCHEMA_VERSION 1

/* File name of the database inside the state directory. */
#define HS_SQLITE_FILE "state.sqlite"

/* Durability of each commit; see the header comment. */
typedef enum hs_sqlite_sync {
    HS_SQLITE_SYNC_NORMAL = 0, /* survives process kill; default */
    HS_SQLITE_SYNC_FULL = 1    /* also survives power loss (fsync per commit) */
} hs_sqlite_sync;

/* An open state database. Opaque. */
typedef struct hs_sqlite hs_sqlite;

/* Open (creating the directory and database if needed) DIR/state.sqlite and load every stored
 * key/value into `into` (which should be empty; existing keys are overwritten). On HS_STATE_OK
 * *out is the handle (close with hs_sqlite_close()). On failure *out is NULL, `into` may hold
 * part of the state, and err (capacity errlen, may be NULL) receives one line naming the path
 * and the cause, e.g. "state/state.sqlite: not a Ballast host-sim state database (no meta
 * table)". Failures: HS_STATE_IO (cannot create/open, locked by another process, read error),
 * HS_STATE_CORRUPT (not SQLite, foreign or damaged), HS_STATE_VERSION, HS_STATE_NOMEM. */
HS_STATE_MUST_USE hs_state_result hs_sqlite_open(const char *dir, hs_sqlite_sync sync, hs_kv *into,
                                                 hs_sqlite **out, char *err, size_t errlen);

/* Close the database (everything committed is already durable). NULL is allowed. */
void hs_sqlite_close(hs_sqlite *db);

/* The tx_cache commit hook: write `changes` in one SQLite transaction. `ctx` is the hs_sqlite.
 * HS_STATE_OK, or HS_STATE_IO / HS_STATE_NOMEM with nothing written (see hs_sqlite_errmsg()).
 * Usage: hs_txc_set_commit_hook(txc, hs_sqlite_commit, db); */
hs_state_result hs_sqlite_commit(void *ctx, const hs_txc_change *changes, size_t n);

/* Text of the last failure on this handle ("" when none). Owned by the handle. */
const char *hs_sqlite_errmsg(const hs_sqlite *db);

/* Number of SQLite transactions committed through this handle. */
uint64_t hs_sqlite_commit_count(const hs_sqlite *db);

#endif

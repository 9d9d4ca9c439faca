/* store_sqlite.c — the SQLite persistence backend: open/validate/load a state directory and
 * write each committed chain transaction's changes in one SQLite transaction. See
 * store_sqlite.h for the persistence model and schema. */
#include "store_sqlite.h"
#include "errbuf.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define APPLICATION_ID 0x42414C53 /* "BALS" */
#define APPLICATION_NAME "ballast-host-sim"

struct hs_sqlite {
    sqlite3 *db;
    sqlite3_stmt *upsert, *del, *begin, *commit, *rollback;
    uint64_t commits;
    char path[4096];
    char errmsg[512];
};

/* mkdir -p */
static int make_dirs(const char *dir) {
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        buf[i] = saved;
    }
    struct stat st;
    if (stat(dir, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

static hs_state_result map_rc(int rc) {
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return HS_STATE_NOMEM;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
        return HS_STATE_CORRUPT;
    default:
        return HS_STATE_IO;
    }
}

static int exec(sqlite3 *db, const char *sql) {
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Run a single-value query; *out gets a malloc'd copy of column 0 of the first row (NULL when
 * no row). */
static int query_text(sqlite3 *db, const char *sql, char **out) {
    sqlite3_stmt *st;
    *out = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        *out = strdup(t ? (const char *)t : "");
        rc = *out ? SQLITE_OK : SQLITE_NOMEM;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static const char *SCHEMA =
    "CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE kv(k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;"
    "INSERT INTO meta VALUES('application','" APPLICATION_NAME "');";

/* Create the schema in an empty database or check an existing one. Inside BEGIN IMMEDIATE. */
static hs_state_result check_schema(hs_sqlite *h, char *err, size_t errlen) {
    char *count = NULL, *appid = NULL, *has_meta = NULL, *app = NULL, *ver = NULL;
    hs_state_result r = HS_STATE_OK;
    int rc = query_text(h->db, "SELECT count(*) FROM sqlite_schema", &count);
    if (rc != SQLITE_OK) goto sqlerr;
    if (strcmp(count, "0") == 0) { /* fresh database */
        char sql[256];
        rc = exec(h->db, SCHEMA);
        if (rc != SQLITE_OK) goto sqlerr;
        snprintf(sql, sizeof sql,
                 "INSERT INTO meta VALUES('schema_version','%d'); PRAGMA application_id=%d;",
                 HS_SQLITE_SCHEMA_VERSION, APPLICATION_ID);
        rc = exec(h->db, sql);
        if (rc != SQLITE_OK) goto sqlerr;
        goto done;
    }
    rc = query_text(h->db, "PRAGMA application_id", &appid);
    if (rc != SQLITE_OK) goto sqlerr;
    rc = query_text(h->db, "SELECT 1 FROM sqlite_schema WHERE type='table' AND name='meta'",
                    &has_meta);
    if (rc != SQLITE_OK) goto sqlerr;
    if (!has_meta || atol(appid) != APPLICATION_ID) {
        hs_set_err(err, errlen, "%s: not a Ballast host-sim state database (%s)", h->path,
                   !has_meta ? "no meta table" : "foreign application_id");
        r = HS_STATE_CORRUPT;
        goto done;
    }
    rc = query_text(h->db, "SELECT value FROM meta WHERE name='application'", &app);
    if (rc == SQLITE_OK)
        rc = query_text(h->db, "SELECT value FROM meta WHERE name='schema_version'", &ver);
    if (rc != SQLITE_OK) goto sqlerr;
    if (!app || strcmp(app, APPLICATION_NAME) != 0 || !ver) {
        hs_set_err(err, errlen, "%s: not a Ballast host-sim state database (meta table lacks %s)",
                   h->path,
                   !app || strcmp(app, APPLICATION_NAME) ? "application" : "schema_version");
        r = HS_STATE_CORRUPT;
        goto done;
    }
    if (atol(ver) != HS_SQLITE_SCHEMA_VERSION) {
        hs_set_err(err, errlen, "%s: state database schema version %s; this build reads version %d",
                   h->path, ver, HS_SQLITE_SCHEMA_VERSION);
        r = HS_STATE_VERSION;
        goto done;
    }
    char *has_kv = NULL;
    rc = query_text(h->db, "SELECT 1 FROM sqlite_schema WHERE type='table' AND name='kv'", &has_kv);
    if (rc != SQLITE_OK) goto sqlerr;
    if (!has_kv) {
        hs_set_err(err, errlen, "%s: damaged state database (no kv table)", h->path);
        r = HS_STATE_CORRUPT;
    }
    free(has_kv);
    goto done;
sqlerr:
    r = map_rc(rc);
    hs_set_err(err, errlen, "%s: %s", h->path, sqlite3_errmsg(h->db));
done:
    free(count);
    free(appid);
    free(has_meta);
    free(app);
    free(ver);
    return r;
}

static hs_state_result load_all(hs_sqlite *h, hs_kv *into, char *err, size_t errlen) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(h->db, "SELECT k, v FROM kv", -1, &st, NULL);
    if (rc != SQLITE_OK) goto sqlerr;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const void *k = sqlite3_column_blob(st, 0);
        size_t kl = (size_t)sqlite3_column_bytes(st, 0);
        const void *v = sqlite3_column_blob(st, 1);
        size_t vl = (size_t)sqlite3_column_bytes(st, 1);
        if (sqlite3_column_type(st, 0) != SQLITE_BLOB &&
            sqlite3_column_type(st, 0) != SQLITE_TEXT) {
            sqlite3_finalize(st);
            hs_set_err(err, errlen, "%s: damaged state database (non-blob key)", h->path);
            return HS_STATE_CORRUPT;
        }
        hs_state_result r = hs_kv_set(into, kl ? k : "", kl, vl ? v : "", vl);
        if (r != HS_STATE_OK) {
            sqlite3_finalize(st);
            hs_set_err(err, errlen, "%s: %s while loading state", h->path, hs_state_strerror(r));
            return r;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) goto sqlerr;
    return HS_STATE_OK;
sqlerr:
    hs_set_err(err, errlen, "%s: %s", h->path, sqlite3_errmsg(h->db));
    return map_rc(rc);
}

hs_state_result hs_sqlite_open(const char *dir, hs_sqlite_sync sync, hs_kv *into, hs_sqlite **out,
                               char *err, size_t errlen) {
    *out = NULL;
    if (err && errlen) err[0] = '\0';
    hs_sqlite *h = calloc(1, sizeof *h);
    if (!h) {
        hs_set_err(err, errlen, "%s: out of memory", dir);
        return HS_STATE_NOMEM;
    }
    hs_state_result r = HS_STATE_IO;
    int rc;
    if (snprintf(h->path, sizeof h->path, "%s/%s", dir, HS_SQLITE_FILE) >= (int)sizeof h->path) {
        hs_set_err(err, errlen, "%s: path too long", dir);
        goto fail;
    }
    if (make_dirs(dir) != 0) {
        hs_set_err(err, errlen, "%s: cannot create state directory: %s", dir, strerror(errno));
        goto fail;
    }
    rc = sqlite3_open_v2(h->path, &h->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        hs_set_err(err, errlen, "%s: cannot open: %s", h->path,
                   h->db ? sqlite3_errmsg(h->db) : "out of memory");
        r = map_rc(rc);
        goto fail;
    }
    sqlite3_extended_result_codes(h->db, 0);
    sqlite3_busy_timeout(h->db, 0);
    /* The first read tells a non-database file apart (SQLITE_NOTADB). */
    char *mode = NULL;
    rc = exec(h->db, "PRAGMA locking_mode=EXCLUSIVE");
    if (rc == SQLITE_OK) rc = query_text(h->db, "PRAGMA journal_mode=WAL", &mode);
    if (rc == SQLITE_OK && (!mode || strcmp(mode, "wal") != 0)) {
        free(mode);
        hs_set_err(err, errlen, "%s: cannot switch to WAL journal mode", h->path);
        goto fail;
    }
    free(mode);
    if (rc == SQLITE_OK)
        rc = exec(h->db, sync == HS_SQLITE_SYNC_FULL ? "PRAGMA synchronous=FULL"
                                                     : "PRAGMA synchronous=NORMAL");
    /* 32 MiB page cache: commits touch leaf pages all over a large state. */
    if (rc == SQLITE_OK) rc = exec(h->db, "PRAGMA cache_size=-32768");
    if (rc == SQLITE_OK) rc = exec(h->db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
        r = map_rc(rc);
        if (rc == SQLITE_NOTADB)
            hs_set_err(err, errlen,
                       "%s: not a SQLite database (is this a Ballast state directory?)", h->path);
        else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            hs_set_err(err, errlen, "%s: state is locked by another process", h->path);
        else
            hs_set_err(err, errlen, "%s: %s", h->path, sqlite3_errmsg(h->db));
        goto fail;
    }
    r = check_schema(h, err, errlen);
    if (r != HS_STATE_OK) {
        exec(h->db, "ROLLBACK");
        goto fail;
    }
    rc = exec(h->db, "COMMIT");
    if (rc != SQLITE_OK) {
        r = map_rc(rc);
        hs_set_err(err, errlen, "%s: %s", h->path, sqlite3_errmsg(h->db));
        goto fail;
    }
    r = load_all(h, into, err, errlen);
    if (r != HS_STATE_OK) goto fail;
    rc = sqlite3_prepare_v3(h->db, "INSERT OR REPLACE INTO kv(k, v) VALUES(?1, ?2)", -1,
                            SQLITE_PREPARE_PERSISTENT, &h->upsert, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(h->db, "DELETE FROM kv WHERE k = ?1", -1, SQLITE_PREPARE_PERSISTENT,
                                &h->del, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(h->db, "BEGIN", -1, SQLITE_PREPARE_PERSISTENT, &h->begin, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(h->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &h->commit, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(h->db, "ROLLBACK", -1, SQLITE_PREPARE_PERSISTENT, &h->rollback,
                                NULL);
    if (rc != SQLITE_OK) {
        r = map_rc(rc);
        hs_set_err(err, errlen, "%s: %s", h->path, sqlite3_errmsg(h->db));
        goto fail;
    }
    *out = h;
    return HS_STATE_OK;
fail:
    hs_sqlite_close(h);
    return r;
}

void hs_sqlite_close(hs_sqlite *h) {
    if (!h) return;
    sqlite3_finalize(h->upsert);
    sqlite3_finalize(h->del);
    sqlite3_finalize(h->begin);
    sqlite3_finalize(h->commit);
    sqlite3_finalize(h->rollback);
    sqlite3_close(h->db);
    free(h);
}

static int run(sqlite3_stmt *st) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

hs_state_result hs_sqlite_commit(void *ctx, const hs_txc_change *changes, size_t n) {
    hs_sqlite *h = ctx;
    h->errmsg[0] = '\0';
    int rc = run(h->begin);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        const hs_txc_change *ch = &changes[i];
        sqlite3_stmt *st = ch->deleted ? h->del : h->upsert;
        rc = sqlite3_bind_blob(st, 1, ch->klen ? ch->key : (const void *)"", (int)ch->klen,
                               SQLITE_STATIC);
        if (rc == SQLITE_OK && !ch->deleted)
            rc = sqlite3_bind_blob(st, 2, ch->vlen ? ch->val : (const void *)"", (int)ch->vlen,
                                   SQLITE_STATIC);
        if (rc == SQLITE_OK) rc = run(st);
        sqlite3_clear_bindings(st);
    }
    if (rc == SQLITE_OK) rc = run(h->commit);
    if (rc != SQLITE_OK) {
        hs_set_err(h->errmsg, sizeof h->errmsg, "%s: commit failed: %s", h->path,
                   sqlite3_errmsg(h->db));
        if (!sqlite3_get_autocommit(h->db)) run(h->rollback);
        return map_rc(rc);
    }
    h->commits++;
    return HS_STATE_OK;
}

const char *hs_sqlite_errmsg(const hs_sqlite *h) {
    return h->errmsg;
}

uint64_t hs_sqlite_commit_count(const hs_sqlite *h) {
    return h->commits;
}

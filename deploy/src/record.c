/* record.c — deployment record: strict load, check against the chain, atomic save (record.h). */
#define _GNU_SOURCE
#include "record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0) *err = NULL;
    va_end(ap);
    return -1;
}

/* --- Schema ------------------------------------------------------------------------------ */

/* Each object's allowed keys; every one is required unless marked optional. */
typedef struct field {
    const char *name;
    int type; /* JSON_* type; JSON_NULL accepted too when nullable */
    bool nullable, optional;
} field;

static const char *type_name(int type) {
    switch (type) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    default:
        return "a value";
    }
}

static int check_fields(const char *where, json_t *obj, const field *fields, size_t n, char **err) {
    if (!json_is_object(obj)) return fail(err, "%s: must be an object", where);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (i < n && strcmp(fields[i].name, key) != 0) i++;
        if (i == n) return fail(err, "%s: unknown field `%s`", where, key);
        if (json_is_null(v) && fields[i].nullable) continue;
        if ((int)json_typeof(v) != fields[i].type ||
            (json_is_integer(v) && json_integer_value(v) < 0))
            return fail(err, "%s.%s: must be %s", where, key, type_name(fields[i].type));
    }
    for (size_t i = 0; i < n; i++)
        if (!fields[i].optional && !json_object_get(obj, fields[i].name))
            return fail(err, "%s: missing field `%s`", where, fields[i].name);
    return 0;
}

static bool is_hex64(const char *s) {
    if (strlen(s) != 64) return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))) return false;
    return true;
}

static const field top_fields[] = {
    {"record_version", JSON_INTEGER, false, false}, {"chain_id", JSON_STRING, false, false},
    {"manifest_hash", JSON_STRING, true, false},    {"codes", JSON_OBJECT, false, false},
    {"contracts", JSON_OBJECT, false, false},       {"steps", JSON_ARRAY, false, false},
    {"proposals", JSON_ARRAY, false, false},
};
static const field code_fields[] = {
    {"code_id", JSON_INTEGER, false, false},
    {"checksum", JSON_STRING, false, false},
};
static const field contract_fields[] = {
    {"code_id", JSON_INTEGER, false, false},
    {"checksum", JSON_STRING, false, false},
    {"address", JSON_STRING, false, false},
};
static const field proposal_fields[] = {
    {"id", JSON_INTEGER, true, false},        {"manifest_hash", JSON_STRING, false, false},
    {"msgs_hash", JSON_STRING, false, false}, {"status", JSON_STRING, false, false},
    {"eta", JSON_INTEGER, true, false},       {"via", JSON_STRING, false, false},
    {"title", JSON_STRING, false, false},     {"migrations", JSON_ARRAY, false, false},
};
static const field migration_fields[] = {
    {"contract", JSON_STRING, false, false},
    {"code_id", JSON_INTEGER, false, false},
    {"checksum", JSON_STRING, false, false},
};
#define N(a) (sizeof a / sizeof a[0])

static int validate(json_t *doc, const char *chain_id, char **err) {
    if (check_fields("record", doc, top_fields, N(top_fields), err)) return -1;
    if (json_integer_value(json_object_get(doc, "record_version")) != DEP_RECORD_VERSION)
        return fail(err, "record.record_version: must be %d", DEP_RECORD_VERSION);
    const char *cid = json_string_value(json_object_get(doc, "chain_id"));
    if (strcmp(cid, chain_id) != 0)
        return fail(err, "record.chain_id: `%s` is not the target's `%s`", cid, chain_id);
    json_t *mh = json_object_get(doc, "manifest_hash");
    if (json_is_string(mh) && !is_hex64(json_string_value(mh)))
        return fail(err, "record.manifest_hash: must be 64 lowercase hex digits");
    const char *key;
    json_t *v;
    char where[256];
    json_object_foreach(json_object_get(doc, "codes"), key, v) {
        snprintf(where, sizeof where, "record.codes.%s", key);
        if (check_fields(where, v, code_fields, N(code_fields), err)) return -1;
        if (!is_hex64(json_string_value(json_object_get(v, "checksum"))))
            return fail(err, "%s.checksum: must be 64 lowercase hex digits", where);
    }
    json_object_foreach(json_object_get(doc, "contracts"), key, v) {
        snprintf(where, sizeof where, "record.contracts.%s", key);
        if (check_fields(where, v, contract_fields, N(contract_fields), err)) return -1;
        if (!is_hex64(json_string_value(json_object_get(v, "checksum"))))
            return fail(err, "%s.checksum: must be 64 lowercase hex digits", where);
    }
    size_t i;
    json_array_foreach(json_object_get(doc, "steps"), i, v) {
        if (!json_is_string(v)) return fail(err, "record.steps[%zu]: must be a string", i);
    }
    json_array_foreach(json_object_get(doc, "proposals"), i, v) {
        snprintf(where, sizeof where, "record.proposals[%zu]", i);
        if (check_fields(where, v, proposal_fields, N(proposal_fields), err)) return -1;
        if (!is_hex64(json_string_value(json_object_get(v, "msgs_hash"))))
            return fail(err, "%s.msgs_hash: must be 64 lowercase hex digits", where);
        size_t k;
        json_t *mig;
        json_array_foreach(json_object_get(v, "migrations"), k, mig) {
            char w2[300];
            snprintf(w2, sizeof w2, "%s.migrations[%zu]", where, k);
            if (check_fields(w2, mig, migration_fields, N(migration_fields), err)) return -1;
        }
    }
    return 0;
}

/* --- Load, save -------------------------------------------------------------------------- */

int dep_record_load(const char *dir, const char *chain_id, dep_record *out, char **err) {
    memset(out, 0, sizeof *out);
    if (asprintf(&out->path, "%s/%s.json", dir, chain_id) < 0) return fail(err, "out of memory");
    FILE *f = fopen(out->path, "rb");
    if (!f) {
        if (errno != ENOENT) return fail(err, "%s: %s", out->path, strerror(errno));
        out->doc = json_pack("{s:i,s:s,s:n,s:{},s:{},s:[],s:[]}", "record_version",
                             DEP_RECORD_VERSION, "chain_id", chain_id, "manifest_hash", "codes",
                             "contracts", "steps", "proposals");
        return 0;
    }
    json_error_t je;
    out->doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!out->doc)
        return fail(err, "%s: not a valid record: line %d, column %d: %s", out->path, je.line,
                    je.column, je.text);
    char *why = NULL;
    if (validate(out->doc, chain_id, &why)) {
        int rc = fail(err, "%s: not a valid record: %s", out->path, why ? why : "?");
        free(why);
        return rc;
    }
    return 0;
}

static int mkdirs(const char *dir) {
    char *p = strdup(dir);
    if (!p) return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        mkdir(p, 0777);
        *s = '/';
    }
    int rc = mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : -1;
    free(p);
    return rc;
}

int dep_record_save(const dep_record *r, char **err) {
    char *dir = strdup(r->path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash) *slash = 0;
    if (slash && mkdirs(dir)) {
        free(dir);
        return fail(err, "%s: cannot create directory: %s", r->path, strerror(errno));
    }
    free(dir);
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.tmp", r->path) < 0) return fail(err, "out of memory");
    int rc = 0;
    FILE *f = fopen(tmp, "wb");
    if (!f || json_dumpf(r->doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
        fputc('\n', f) == EOF || fflush(f) || fsync(fileno(f))) {
        rc = fail(err, "%s: %s", tmp, strerror(errno));
        if (f) fclose(f);
    } else if (fclose(f) || rename(tmp, r->path)) {
        rc = fail(err, "%s: %s", r->path, strerror(errno));
    }
    free(tmp);
    return rc;
}

void dep_record_free(dep_record *r) {
    json_decref(r->doc);
    free(r->path);
    memset(r, 0, sizeof *r);
}

/* --- Check against the chain ------------------------------------------------------------- */

/* The answer of a QueryRequest as JSON, or NULL. */
static json_t *request(dep_chain *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *request(dep_chain *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *q = NULL;
    int n = vasprintf(&q, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    dep_call c = t->ops->query_request(t, q);
    free(q);
    json_t *j = c.ok && c.answer ? json_loads(c.answer, 0, NULL) : NULL;
    dep_call_free(&c);
    return j;
}

int dep_record_check(const dep_record *r, dep_chain *t, char **err) {
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(r->doc, "codes"), key, v) {
        json_int_t id = json_integer_value(json_object_get(v, "code_id"));
        const char *sum = json_string_value(json_object_get(v, "checksum"));
        json_t *ci = request(t, "{\"wasm\":{\"code_info\":{\"code_id\":%lld}}}", (long long)id);
        const char *got = ci ? json_string_value(json_object_get(ci, "checksum")) : NULL;
        int bad = !got || strcmp(got, sum) != 0;
        if (bad)
            fail(err,
                 "record tampered or stale: codes.%s: code %lld on chain has checksum %s, the "
                 "record says %s",
                 key, (long long)id, got ? got : "(no such code)", sum);
        json_decref(ci);
        if (bad) return -1;
    }
    json_object_foreach(json_object_get(r->doc, "contracts"), key, v) {
        json_int_t id = json_integer_value(json_object_get(v, "code_id"));
        const char *addr = json_string_value(json_object_get(v, "address"));
        json_t *ci = request(t, "{\"wasm\":{\"contract_info\":{\"contract_addr\":\"%s\"}}}", addr);
        json_t *cid = ci ? json_object_get(ci, "code_id") : NULL;
        int bad = 0;
        if (!cid) {
            bad = 1;
            fail(err, "record tampered or stale: contracts.%s: no contract at %s on chain", key,
                 addr);
        } else if (json_integer_value(cid) != id) {
            bad = 1;
            fail(err,
                 "record tampered or stale: contracts.%s: %s runs code %lld on chain, the record "
                 "says %lld",
                 key, addr, (long long)json_integer_value(cid), (long long)id);
        }
        json_decref(ci);
        if (bad) return -1;
    }
    return 0;
}

/* --- Accessors --------------------------------------------------------------------------- */

bool dep_record_has_step(const dep_record *r, const char *step) {
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r->doc, "steps"), i, v) {
        if (strcmp(json_string_value(v), step) == 0) return true;
    }
    return false;
}

void dep_record_add_step(dep_record *r, const char *step) {
    json_array_append_new(json_object_get(r->doc, "steps"), json_string(step));
}

json_t *dep_record_code(const dep_record *r, const char *source) {
    return json_object_get(json_object_get(r->doc, "codes"), source);
}

void dep_record_set_code(dep_record *r, const char *source, uint64_t code_id,
                         const char *checksum) {
    json_object_set_new(
        json_object_get(r->doc, "codes"), source,
        json_pack("{s:I,s:s}", "code_id", (json_int_t)code_id, "checksum", checksum));
}

json_t *dep_record_contract(const dep_record *r, const char *name) {
    return json_object_get(json_object_get(r->doc, "contracts"), name);
}

const char *dep_record_address(const dep_record *r, const char *name) {
    return json_string_value(json_object_get(dep_record_contract(r, name), "address"));
}

void dep_record_set_contract(dep_record *r, const char *name, uint64_t code_id,
                             const char *checksum, const char *address) {
    json_object_set_new(json_object_get(r->doc, "contracts"), name,
                        json_pack("{s:I,s:s,s:s}", "code_id", (json_int_t)code_id, "checksum",
                                  checksum, "address", address));
}

json_t *dep_record_proposals(const dep_record *r) {
    return json_object_get(r->doc, "proposals");
}

const char *dep_record_manifest_hash(const dep_record *r) {
    return json_string_value(json_object_get(r->doc, "manifest_hash"));
}

void dep_record_set_manifest_hash(dep_record *r, const char *hash) {
    json_object_set_new(r->doc, "manifest_hash", json_string(hash));
}

/* The oracle's stored records in cw-storage-plus layout (SPEC.md §5): config, the totals
 * counters, the feeder set, assets with their price slots, and submissions. Every map entry
 * created or deleted here is counted in or_entries for the accounting identity. */
#include "oracle.h"

#include "cw_storage.h"

or_ledger or_entries;

#define NS_FEEDER "feeder"
#define NS_ASSET "asset"
#define NS_SUBMISSION "submission"

/* --- Reading stored JSON (written by this contract; malformed means a bug) ------------------- */

static cw_json parse_stored(cw_str value) {
    cw_json root;
    cw_error *err = cw_json_parse(value, &root);
    if (err) cw_abort("oracle: corrupt stored value");
    return root;
}

static cw_str get_str(cw_json obj, const char *key) {
    cw_str s;
    if (or_json_string(cw_json_get(obj, key), &s)) cw_abort("oracle: corrupt stored string");
    return s;
}

static uint64_t get_u64(cw_json obj, const char *key) {
    uint64_t v;
    if (cw_json_u64(cw_json_get(obj, key), &v)) cw_abort("oracle: corrupt stored number");
    return v;
}

static uint64_t get_time(cw_json obj, const char *key) {
    cw_u128 v;
    if (cw_u128_from_dec(get_str(obj, key), &v) || v > UINT64_MAX)
        cw_abort("oracle: corrupt stored time");
    return (uint64_t)v;
}

static cw_decimal get_dec(cw_json obj, const char *key) {
    cw_decimal d;
    if (cw_decimal_parse(get_str(obj, key), &d)) cw_abort("oracle: corrupt stored decimal");
    return d;
}

static or_quote get_quote(cw_json obj, const char *key) {
    cw_json q = cw_json_get(obj, key);
    if (q.type != CW_JSON_OBJECT) return (or_quote){0};
    return (or_quote){true, get_dec(q, "price"), get_time(q, "at")};
}

/* --- Writing -------------------------------------------------------------------------------- */

static void put_time(cw_jw *w, const char *key, uint64_t t) {
    cw_jw_key(w, key);
    cw_jw_str(w, or_u64_str(t));
}

static void put_dec(cw_jw *w, const char *key, cw_decimal d) {
    cw_jw_key(w, key);
    cw_jw_str(w, or_dec_str(d));
}

/* {"price","at"[,"by"]} or null. */
static void put_quote(cw_jw *w, const char *key, const or_quote *q, const cw_str *by) {
    cw_jw_key(w, key);
    if (!q->set) {
        cw_jw_null(w);
        return;
    }
    cw_jw_obj_begin(w);
    put_dec(w, "price", q->price);
    put_time(w, "at", q->at);
    if (by) {
        cw_jw_key(w, "by");
        cw_jw_str(w, *by);
    }
    cw_jw_obj_end(w);
}

/* --- Config and totals ---------------------------------------------------------------------- */

cw_error *or_config_load(or_config *cfg) {
    cw_str v;
    if (!cw_item_load("config", &v)) return cw_errorf("oracle config not found");
    or_hold((void *)v.ptr);
    cw_json o = parse_stored(v);
    cfg->governance = get_str(o, "governance");
    cfg->quorum = get_u64(o, "quorum");
    cfg->max_age = get_u64(o, "max_age");
    cfg->max_move = get_dec(o, "max_move");
    cfg->delay = get_u64(o, "delay");
    return NULL;
}

void or_config_save(const or_config *cfg) {
    cw_buf b = {0};
    cw_jw w;
    cw_jw_init(&w, &b);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "governance");
    cw_jw_str(&w, cfg->governance);
    cw_jw_key(&w, "quorum");
    cw_jw_u64(&w, cfg->quorum);
    cw_jw_key(&w, "max_age");
    cw_jw_u64(&w, cfg->max_age);
    put_dec(&w, "max_move", cfg->max_move);
    cw_jw_key(&w, "delay");
    cw_jw_u64(&w, cfg->delay);
    cw_jw_obj_end(&w);
    cw_item_save("config", cw_buf_view(&b));
    cw_buf_free(&b);
}

cw_error *or_totals_load(or_totals *t) {
    cw_str v;
    if (!cw_item_load("totals", &v)) return cw_errorf("oracle totals not found");
    or_hold((void *)v.ptr);
    cw_json o = parse_stored(v);
    t->feeders = get_u64(o, "feeders");
    t->assets = get_u64(o, "assets");
    t->submissions = get_u64(o, "submissions");
    return NULL;
}

void or_totals_save(const or_totals *t) {
    cw_buf b = {0};
    cw_buf_printf(&b, "{\"feeders\":%llu,\"assets\":%llu,\"submissions\":%llu}",
                  (unsigned long long)t->feeders, (unsigned long long)t->assets,
                  (unsigned long long)t->submissions);
    cw_item_save("totals", cw_buf_view(&b));
    cw_buf_free(&b);
}

/* --- Names ---------------------------------------------------------------------------------- */

const char *or_source_name(uint8_t source) {
    return source == OR_SRC_CHAIN ? "chain" : "feeders";
}

cw_error *or_source_parse(cw_str s, uint8_t *out) {
    if (cw_str_eq_c(s, "feeders")) {
        *out = OR_SRC_FEEDERS;
    } else if (cw_str_eq_c(s, "chain")) {
        *out = OR_SRC_CHAIN;
    } else {
        return cw_errorf("invalid source: %S (expected feeders or chain)", s);
    }
    return NULL;
}

cw_error *or_denom_validate(cw_str d) {
    bool ok = d.len >= 3 && d.len <= 128;
    for (size_t i = 0; ok && i < d.len; i++) {
        char ch = d.ptr[i];
        bool letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        bool other = (ch >= '0' && ch <= '9') || ch == '/' || ch == ':' || ch == '.' || ch == '_' ||
                     ch == '-';
        ok = letter || (i > 0 && other);
    }
    if (ok) return NULL;
    return cw_errorf("invalid denom: %S (3-128 characters [a-zA-Z0-9/:._-], starting with a "
                     "letter)",
                     d);
}

/* --- Map entries with creation/deletion counting --------------------------------------------- */

static void entry_save(const char *ns, cw_str key, cw_str value, uint64_t *created) {
    if (!cw_map_has(ns, key)) (*created)++;
    cw_map_save(ns, key, value);
}

static bool entry_remove(const char *ns, cw_str key, uint64_t *deleted) {
    if (!cw_map_has(ns, key)) return false;
    cw_map_remove(ns, key);
    (*deleted)++;
    return true;
}

/* Every key of a one-part map, in order (held array). */
static cw_str *map_keys(const char *ns, size_t *n) {
    cw_str *keys = NULL;
    size_t cap = 0;
    *n = 0;
    cw_range r;
    cw_map_range_begin(&r, ns, NULL, 0, NULL);
    cw_str k, v;
    while (cw_range_next(&r, &k, &v)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            keys = cw_realloc(keys, cap * sizeof *keys);
        }
        cw_buf b = {0};
        cw_buf_put_str(&b, k);
        keys[(*n)++] = or_hold_buf(&b);
    }
    cw_range_end(&r);
    return or_hold(keys);
}

/* --- Assets --------------------------------------------------------------------------------- */

bool or_asset_find(cw_str denom, or_asset *a) {
    cw_str v;
    if (!cw_map_load(NS_ASSET, denom, &v)) return false;
    or_hold((void *)v.ptr);
    cw_json o = parse_stored(v);
    cw_str src = get_str(o, "source");
    a->source = cw_str_eq_c(src, "chain") ? OR_SRC_CHAIN : OR_SRC_FEEDERS;
    a->live = get_quote(o, "live");
    a->pending = get_quote(o, "pending");
    a->pending_by = a->pending.set ? get_str(cw_json_get(o, "pending"), "by") : (cw_str){0};
    a->current = get_quote(o, "current");
    a->next = get_quote(o, "next");
    a->poked_at = get_time(o, "poked_at");
    return true;
}

cw_error *or_asset_load(cw_str denom, or_asset *a) {
    if (!or_asset_find(denom, a)) return cw_errorf("unknown asset: %S", denom);
    return NULL;
}

void or_asset_save(cw_str denom, const or_asset *a) {
    cw_buf b = {0};
    cw_jw w;
    cw_jw_init(&w, &b);
    cw_jw_obj_begin(&w);
    cw_jw_key(&w, "source");
    cw_jw_cstr(&w, or_source_name(a->source));
    put_quote(&w, "live", &a->live, NULL);
    put_quote(&w, "pending", &a->pending, &a->pending_by);
    put_quote(&w, "current", &a->current, NULL);
    put_quote(&w, "next", &a->next, NULL);
    put_time(&w, "poked_at", a->poked_at);
    cw_jw_obj_end(&w);
    entry_save(NS_ASSET, denom, cw_buf_view(&b), &or_entries.created.assets);
    cw_buf_free(&b);
}

void or_asset_remove(cw_str denom) {
    entry_remove(NS_ASSET, denom, &or_entries.deleted.assets);
}

cw_str *or_asset_denoms(size_t *n) {
    return map_keys(NS_ASSET, n);
}

/* --- Feeders -------------------------------------------------------------------------------- */

bool or_is_feeder(cw_str addr) {
    return cw_map_has(NS_FEEDER, addr);
}

void or_feeder_add(cw_str addr) {
    entry_save(NS_FEEDER, addr, CW_LIT("{}"), &or_entries.created.feeders);
}

void or_feeder_remove(cw_str addr) {
    entry_remove(NS_FEEDER, addr, &or_entries.deleted.feeders);
}

cw_str *or_feeder_list(size_t *n) {
    return map_keys(NS_FEEDER, n);
}

/* --- Submissions: Map "submission" keyed (denom, feeder) ------------------------------------- */

static cw_str submission_key(cw_str denom, cw_str feeder) {
    cw_buf k = {0};
    cw_key_map(&k, NS_SUBMISSION);
    cw_key_push(&k, denom);
    cw_key_last(&k, feeder);
    return or_hold_buf(&k);
}

void or_submission_save(cw_str denom, cw_str feeder, or_quote q) {
    cw_str key = submission_key(denom, feeder);
    cw_str old;
    if (cw_db_read(key, &old))
        cw_free((void *)old.ptr);
    else
        or_entries.created.submissions++;
    cw_buf b = {0};
    cw_jw w;
    cw_jw_init(&w, &b);
    cw_jw_obj_begin(&w);
    put_dec(&w, "price", q.price);
    put_time(&w, "at", q.at);
    cw_jw_obj_end(&w);
    cw_db_write(key, cw_buf_view(&b));
    cw_buf_free(&b);
}

bool or_submission_remove(cw_str denom, cw_str feeder) {
    cw_str key = submission_key(denom, feeder), old;
    if (!cw_db_read(key, &old)) return false;
    cw_free((void *)old.ptr);
    cw_db_remove(key);
    or_entries.deleted.submissions++;
    return true;
}

or_submission *or_submissions_load(cw_str denom, size_t *n) {
    or_submission *subs = NULL;
    size_t cap = 0;
    *n = 0;
    cw_range r;
    cw_map_range_begin(&r, NS_SUBMISSION, &denom, 1, NULL);
    cw_str k, v;
    while (cw_range_next(&r, &k, &v)) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            subs = cw_realloc(subs, cap * sizeof *subs);
        }
        cw_buf kb = {0}, vb = {0};
        cw_buf_put_str(&kb, k);
        cw_buf_put_str(&vb, v);
        cw_json o = parse_stored(or_hold_buf(&vb));
        subs[*n].feeder = or_hold_buf(&kb);
        subs[*n].quote = (or_quote){true, get_dec(o, "price"), get_time(o, "at")};
        (*n)++;
    }
    cw_range_end(&r);
    return or_hold(subs);
}

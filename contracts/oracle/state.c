/* The oracle's stored records (SPEC.md §5): Item "config" (parameters, feeder set, asset list,
 * counters) and Map "asset" (an asset's price slots and submissions), in a compact
 * little-endian binary encoding. Loading needs no range scan: every execute touches at most
 * the config and the records of the assets it names (all assets for remove_feeder/delay). */
#include "oracle.h"

#include "cw_storage.h"

int64_t or_stored_submissions_delta;

#define NS_ASSET "asset"

/* --- Encoding: integers little-endian, strings as u32 length + bytes ------------------------- */

typedef struct reader {
    cw_str in;
    size_t pos;
} reader;

static const char *take(reader *r, size_t n) {
    if (r->in.len - r->pos < n) cw_abort("oracle: corrupt record");
    const char *p = r->in.ptr + r->pos;
    r->pos += n;
    return p;
}

static uint64_t get_u64(reader *r) {
    uint64_t v;
    memcpy(&v, take(r, 8), 8);
    return v;
}

static uint32_t get_u32(reader *r) {
    uint32_t v;
    memcpy(&v, take(r, 4), 4);
    return v;
}

static cw_str get_str(reader *r) {
    uint32_t n = get_u32(r);
    return (cw_str){take(r, n), n};
}

/* A quote: u128 price (0 = none), u64 time. */
static or_quote get_quote(reader *r) {
    or_quote q;
    memcpy(&q.price.atomics, take(r, 16), 16);
    q.at = get_u64(r);
    q.set = q.price.atomics != 0;
    return q;
}

static void put_u64(cw_buf *b, uint64_t v) {
    cw_buf_put(b, &v, 8);
}

static void put_u32(cw_buf *b, uint32_t v) {
    cw_buf_put(b, &v, 4);
}

static void put_str(cw_buf *b, cw_str s) {
    put_u32(b, (uint32_t)s.len);
    cw_buf_put(b, s.ptr, s.len);
}

static void put_quote(cw_buf *b, const or_quote *q) {
    cw_u128 price = q->set ? q->price.atomics : 0;
    cw_buf_put(b, &price, 16);
    put_u64(b, q->set ? q->at : 0);
}

/* Load a stored value (held) into a reader; false when absent. */
static bool open_value(bool found, cw_str v, reader *r) {
    if (!found) return false;
    cw_hold((void *)v.ptr);
    *r = (reader){v, 0};
    return true;
}

static void save_value(cw_buf *b, const char *ns, cw_str key) {
    if (key.ptr)
        cw_map_save(ns, key, cw_buf_view(b));
    else
        cw_item_save(ns, cw_buf_view(b));
    cw_buf_free(b);
}

/* --- Config --------------------------------------------------------------------------------- */

void or_config_alloc(or_config *cfg, size_t n_feeders, size_t n_assets) {
    cfg->feeders = cw_hold(cw_alloc(sizeof *cfg->feeders * (n_feeders + 1)));
    cfg->assets = cw_hold(cw_alloc(sizeof *cfg->assets * (n_assets + 1)));
}

cw_error *or_config_load(or_config *cfg) {
    cw_str v;
    reader r;
    if (!open_value(cw_item_load("config", &v), v, &r)) return cw_errorf("oracle: no config");
    cfg->governance = get_str(&r);
    cfg->quorum = get_u64(&r);
    cfg->max_age = get_u64(&r);
    memcpy(&cfg->max_move.atomics, take(&r, 16), 16);
    cfg->delay = get_u64(&r);
    cfg->totals.feeders = get_u64(&r);
    cfg->totals.assets = get_u64(&r);
    cfg->totals.submissions = get_u64(&r);
    cfg->n_feeders = get_u32(&r);
    cfg->n_assets = get_u32(&r);
    or_config_alloc(cfg, cfg->n_feeders, cfg->n_assets);
    for (size_t i = 0; i < cfg->n_feeders; i++) cfg->feeders[i] = get_str(&r);
    for (size_t i = 0; i < cfg->n_assets; i++) {
        cfg->assets[i].denom = get_str(&r);
        cfg->assets[i].source = (uint8_t)*take(&r, 1);
    }
    return NULL;
}

void or_config_save(const or_config *cfg) {
    cw_buf b = {0};
    put_str(&b, cfg->governance);
    put_u64(&b, cfg->quorum);
    put_u64(&b, cfg->max_age);
    cw_buf_put(&b, &cfg->max_move.atomics, 16);
    put_u64(&b, cfg->delay);
    put_u64(&b, cfg->totals.feeders);
    put_u64(&b, cfg->totals.assets);
    put_u64(&b, cfg->totals.submissions);
    put_u32(&b, (uint32_t)cfg->n_feeders);
    put_u32(&b, (uint32_t)cfg->n_assets);
    for (size_t i = 0; i < cfg->n_feeders; i++) put_str(&b, cfg->feeders[i]);
    for (size_t i = 0; i < cfg->n_assets; i++) {
        put_str(&b, cfg->assets[i].denom);
        cw_buf_putc(&b, (char)cfg->assets[i].source);
    }
    save_value(&b, "config", (cw_str){0});
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

/* --- Sorted arrays -------------------------------------------------------------------------- */

/* Index of key in `n` sorted elements of `size` bytes whose first member is a cw_str. */
static size_t sorted_find(const void *base, size_t n, size_t size, cw_str key, bool *found) {
    size_t i = 0;
    int cmp = -1;
    while (i < n && (cmp = cw_str_cmp(*(const cw_str *)((const char *)base + i * size), key)) < 0)
        i++;
    *found = i < n && cmp == 0;
    return i;
}

/* Open (insert) or close (delete) a gap at `at`. */
static void shift(void *base, size_t n, size_t size, size_t at, bool insert) {
    char *p = (char *)base + at * size;
    if (insert)
        memmove(p + size, p, (n - at) * size);
    else
        memmove(p, p + size, (n - at - 1) * size);
}

size_t or_feeder_find(const or_config *cfg, cw_str addr, bool *found) {
    return sorted_find(cfg->feeders, cfg->n_feeders, sizeof *cfg->feeders, addr, found);
}

size_t or_asset_find(const or_config *cfg, cw_str denom, bool *found) {
    return sorted_find(cfg->assets, cfg->n_assets, sizeof *cfg->assets, denom, found);
}

void or_feeder_insert(or_config *cfg, size_t at, cw_str addr) {
    shift(cfg->feeders, cfg->n_feeders++, sizeof *cfg->feeders, at, true);
    cfg->feeders[at] = addr;
}

void or_feeder_delete(or_config *cfg, size_t at) {
    shift(cfg->feeders, cfg->n_feeders--, sizeof *cfg->feeders, at, false);
}

void or_asset_insert(or_config *cfg, size_t at, cw_str denom, uint8_t source) {
    shift(cfg->assets, cfg->n_assets++, sizeof *cfg->assets, at, true);
    cfg->assets[at] = (or_listing){denom, source};
}

void or_asset_delete(or_config *cfg, size_t at) {
    shift(cfg->assets, cfg->n_assets--, sizeof *cfg->assets, at, false);
}

/* --- Asset records -------------------------------------------------------------------------- */

cw_error *or_asset_load(const or_config *cfg, cw_str denom, or_asset *a) {
    bool listed;
    size_t at = or_asset_find(cfg, denom, &listed);
    if (!listed) return cw_errorf("unknown asset: %S", denom);
    *a = (or_asset){.source = cfg->assets[at].source};
    cw_str v;
    reader r;
    size_t n = 0;
    if (open_value(cw_map_load(NS_ASSET, denom, &v), v, &r)) {
        a->live = get_quote(&r);
        a->pending = get_quote(&r);
        a->pending_by = get_str(&r);
        a->current = get_quote(&r);
        a->next = get_quote(&r);
        a->poked_at = get_u64(&r);
        n = get_u32(&r);
    }
    a->subs = cw_hold(cw_alloc(sizeof *a->subs * (n + 1)));
    for (size_t i = 0; i < n; i++) {
        a->subs[i].feeder = get_str(&r);
        a->subs[i].quote = get_quote(&r);
    }
    a->n_subs = a->n_subs_stored = n;
    return NULL;
}

void or_asset_save(cw_str denom, or_asset *a) {
    cw_buf b = {0};
    put_quote(&b, &a->live);
    put_quote(&b, &a->pending);
    put_str(&b, a->pending.set ? a->pending_by : (cw_str){0});
    put_quote(&b, &a->current);
    put_quote(&b, &a->next);
    put_u64(&b, a->poked_at);
    put_u32(&b, (uint32_t)a->n_subs);
    for (size_t i = 0; i < a->n_subs; i++) {
        put_str(&b, a->subs[i].feeder);
        put_quote(&b, &a->subs[i].quote);
    }
    save_value(&b, NS_ASSET, denom);
    or_stored_submissions_delta += (int64_t)a->n_subs - (int64_t)a->n_subs_stored;
    a->n_subs_stored = a->n_subs;
}

void or_asset_remove(cw_str denom, const or_asset *a) {
    cw_map_remove(NS_ASSET, denom);
    or_stored_submissions_delta -= (int64_t)a->n_subs_stored;
}

size_t or_submission_find(const or_asset *a, cw_str feeder, bool *found) {
    return sorted_find(a->subs, a->n_subs, sizeof *a->subs, feeder, found);
}

void or_submission_delete(or_asset *a, size_t at) {
    shift(a->subs, a->n_subs--, sizeof *a->subs, at, false);
}

void or_submission_insert(or_asset *a, size_t at, cw_str feeder) {
    shift(a->subs, a->n_subs++, sizeof *a->subs, at, true);
    a->subs[at].feeder = feeder;
}

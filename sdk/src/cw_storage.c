/* cw-storage-plus compatible keys, typed values and prefix range iteration over the host's
 * key-value store. Layout and bound rules are documented in cw_storage.h. */
#include "cw_storage.h"
#include "cw_json.h"
#include "cw_math.h"

/* --- Key building ---------------------------------------------------------------------------- */

/* 2-byte big-endian length, as helpers.rs encode_length. */
static void put_len16(cw_buf *key, size_t n) {
    if (n > 0xFFFF) cw_abort("storage key: only supports namespaces up to length 0xFFFF");
    char len[2] = {(char)(n >> 8), (char)(n & 0xFF)};
    cw_buf_put(key, len, 2);
}

static void put_bytes(cw_buf *key, cw_str part) {
    if (part.len) cw_buf_put(key, part.ptr, part.len);
}

void cw_key_map(cw_buf *key, const char *ns) {
    cw_key_push(key, cw_cstr(ns));
}

void cw_key_push(cw_buf *key, cw_str part) {
    put_len16(key, part.len);
    put_bytes(key, part);
}

void cw_key_last(cw_buf *key, cw_str part) {
    put_bytes(key, part);
}

cw_str cw_be_u64(uint64_t v, char out[8]) {
    for (int i = 7; i >= 0; i--) {
        out[i] = (char)(v & 0xFF);
        v >>= 8;
    }
    return (cw_str){out, 8};
}

cw_str cw_be_u32(uint32_t v, char out[4]) {
    for (int i = 3; i >= 0; i--) {
        out[i] = (char)(v & 0xFF);
        v >>= 8;
    }
    return (cw_str){out, 4};
}

void cw_key_push_u64(cw_buf *key, uint64_t v) {
    char b[8];
    cw_key_push(key, cw_be_u64(v, b));
}

void cw_key_last_u64(cw_buf *key, uint64_t v) {
    char b[8];
    cw_key_last(key, cw_be_u64(v, b));
}

void cw_key_push_u32(cw_buf *key, uint32_t v) {
    char b[4];
    cw_key_push(key, cw_be_u32(v, b));
}

void cw_key_last_u32(cw_buf *key, uint32_t v) {
    char b[4];
    cw_key_last(key, cw_be_u32(v, b));
}

/* int_key.rs: (v as u64 ^ i64::MIN as u64).to_be_bytes(), so negative keys sort first. */
void cw_key_last_i64(cw_buf *key, int64_t v) {
    char b[8];
    cw_key_last(key, cw_be_u64((uint64_t)v ^ 0x8000000000000000u, b));
}

void cw_key_map_parts(cw_buf *key, const char *ns, const cw_str *parts, size_t n_parts) {
    cw_key_map(key, ns);
    for (size_t i = 0; i < n_parts; i++) {
        if (i + 1 < n_parts)
            cw_key_push(key, parts[i]);
        else
            cw_key_last(key, parts[i]);
    }
}

bool cw_key_take_part(cw_str *rest, cw_str *part) {
    if (rest->len < 2) return false;
    const uint8_t *p = (const uint8_t *)rest->ptr;
    size_t n = ((size_t)p[0] << 8) | p[1];
    if (rest->len - 2 < n) return false;
    *part = (cw_str){rest->ptr + 2, n};
    *rest = (cw_str){rest->ptr + 2 + n, rest->len - 2 - n};
    return true;
}

bool cw_key_u64(cw_str part, uint64_t *out) {
    if (part.len != 8) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < 8; i++) v = (v << 8) | (uint8_t)part.ptr[i];
    *out = v;
    return true;
}

bool cw_key_u32(cw_str part, uint32_t *out) {
    if (part.len != 4) return false;
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++) v = (v << 8) | (uint8_t)part.ptr[i];
    *out = v;
    return true;
}

/* --- Raw values ------------------------------------------------------------------------------ */

bool cw_item_load(const char *ns, cw_str *value) {
    return cw_db_read(cw_cstr(ns), value);
}

void cw_item_save(const char *ns, cw_str value) {
    cw_db_write(cw_cstr(ns), value);
}

void cw_item_remove(const char *ns) {
    cw_db_remove(cw_cstr(ns));
}

static bool key_exists(cw_str key) {
    cw_str value;
    if (!cw_db_read(key, &value)) return false;
    cw_free((void *)value.ptr);
    return true;
}

bool cw_item_exists(const char *ns) {
    return key_exists(cw_cstr(ns));
}

/* Builds a one-part map key in `key` (which the caller frees). */
static cw_str map_key(cw_buf *key, const char *ns, cw_str k) {
    cw_key_map(key, ns);
    cw_key_last(key, k);
    return cw_buf_view(key);
}

bool cw_map_load(const char *ns, cw_str key, cw_str *value) {
    cw_buf k = {0};
    bool found = cw_db_read(map_key(&k, ns, key), value);
    cw_buf_free(&k);
    return found;
}

void cw_map_save(const char *ns, cw_str key, cw_str value) {
    cw_buf k = {0};
    cw_db_write(map_key(&k, ns, key), value);
    cw_buf_free(&k);
}

void cw_map_remove(const char *ns, cw_str key) {
    cw_buf k = {0};
    cw_db_remove(map_key(&k, ns, key));
    cw_buf_free(&k);
}

bool cw_map_has(const char *ns, cw_str key) {
    cw_buf k = {0};
    bool found = key_exists(map_key(&k, ns, key));
    cw_buf_free(&k);
    return found;
}

/* --- Typed values ---------------------------------------------------------------------------- */

cw_error *cw_u128_parse_json(cw_str json, cw_u128 *out) {
    cw_json v;
    CW_TRY(cw_json_parse(json, &v));
    if (v.type != CW_JSON_STRING) return cw_errorf("invalid Uint128 %S: expected a string", v.text);
    cw_str digits;
    bool owned;
    CW_TRY(cw_json_string(v, &digits, &owned));
    cw_error *err = cw_u128_parse(digits, out);
    if (owned) cw_free((void *)digits.ptr);
    return err;
}

/* Writes "hex of key" for error messages: keys are binary. */
static cw_error *stored_value_error(cw_str key, const char *type, cw_error *cause) {
    static const char hex[] = "0123456789abcdef";
    cw_buf kh = {0};
    for (size_t i = 0; i < key.len; i++) {
        uint8_t b = (uint8_t)key.ptr[i];
        cw_buf_putc(&kh, hex[b >> 4]);
        cw_buf_putc(&kh, hex[b & 15]);
    }
    cw_error *err =
        cw_errorf("Parse error for stored %s at key 0x%S: %s", type, cw_buf_view(&kh), cause->msg);
    cw_buf_free(&kh);
    cw_error_free(cause);
    return err;
}

cw_error *cw_store_load_u128(cw_str key, cw_u128 *out, bool *found) {
    cw_str raw;
    *out = 0;
    if (found) *found = false;
    if (!cw_db_read(key, &raw)) return NULL;
    cw_error *err = cw_u128_parse_json(raw, out);
    cw_free((void *)raw.ptr);
    if (err) return stored_value_error(key, "Uint128", err);
    if (found) *found = true;
    return NULL;
}

void cw_store_save_u128(cw_str key, cw_u128 v) {
    char json[48];
    json[0] = '"';
    size_t n = cw_u128_to_dec(v, json + 1);
    json[n + 1] = '"';
    cw_db_write(key, (cw_str){json, n + 2});
}

cw_error *cw_store_load_u64(cw_str key, uint64_t *out, bool *found) {
    cw_str raw;
    *out = 0;
    if (found) *found = false;
    if (!cw_db_read(key, &raw)) return NULL;
    cw_json v;
    cw_error *err = cw_json_parse(raw, &v);
    if (!err) err = cw_json_u64(v, out);
    cw_free((void *)raw.ptr);
    if (err) return stored_value_error(key, "u64", err);
    if (found) *found = true;
    return NULL;
}

void cw_store_save_u64(cw_str key, uint64_t v) {
    char json[24];
    size_t n = cw_u64_to_dec(v, json);
    cw_db_write(key, (cw_str){json, n});
}

cw_error *cw_item_load_u128(const char *ns, cw_u128 *out) {
    return cw_store_load_u128(cw_cstr(ns), out, NULL);
}

void cw_item_save_u128(const char *ns, cw_u128 v) {
    cw_store_save_u128(cw_cstr(ns), v);
}

cw_error *cw_item_load_u64(const char *ns, uint64_t *out) {
    return cw_store_load_u64(cw_cstr(ns), out, NULL);
}

void cw_item_save_u64(const char *ns, uint64_t v) {
    cw_store_save_u64(cw_cstr(ns), v);
}

cw_error *cw_map_load_u128(const char *ns, cw_str key, cw_u128 *out) {
    cw_buf k = {0};
    cw_error *err = cw_store_load_u128(map_key(&k, ns, key), out, NULL);
    cw_buf_free(&k);
    return err;
}

void cw_map_save_u128(const char *ns, cw_str key, cw_u128 v) {
    cw_buf k = {0};
    cw_store_save_u128(map_key(&k, ns, key), v);
    cw_buf_free(&k);
}

/* --- Range iteration ------------------------------------------------------------------------- */

cw_bound cw_bound_inclusive(cw_str key) {
    return (cw_bound){key.ptr ? CW_BOUND_INCLUSIVE : CW_BOUND_NONE, key};
}

cw_bound cw_bound_exclusive(cw_str key) {
    return (cw_bound){key.ptr ? CW_BOUND_EXCLUSIVE : CW_BOUND_NONE, key};
}

/* prefix ‖ bound key, plus a 0x00 byte when `extend` (the smallest key after it). */
static void bound_key(cw_buf *out, cw_str prefix, cw_str key, bool extend) {
    put_bytes(out, prefix);
    put_bytes(out, key);
    if (extend) cw_buf_putc(out, 0);
}

/* The smallest key greater than every key starting with `prefix` (prefix.rs
 * increment_last_byte, with trailing 0xFF bytes dropped rather than wrapped). False when no
 * such key exists (empty or all-0xFF prefix): the range is then unbounded above. */
static bool prefix_end(cw_buf *out, cw_str prefix) {
    size_t n = prefix.len;
    while (n > 0 && (uint8_t)prefix.ptr[n - 1] == 0xFF) n--;
    if (n == 0) return false;
    cw_buf_put(out, prefix.ptr, n);
    out->ptr[n - 1] = (char)((uint8_t)out->ptr[n - 1] + 1);
    return true;
}

void cw_range_begin(cw_range *r, cw_str prefix, const cw_range_opts *opts) {
    static const cw_range_opts all = {0};
    if (!opts) opts = &all;
    if (opts->order != 0 && opts->order != CW_ORDER_ASC && opts->order != CW_ORDER_DESC)
        cw_abort("cw_range_begin: invalid order");
    *r = (cw_range){0};
    r->prefix_len = prefix.len;
    r->limit = opts->limit;

    cw_buf start = {0}, end = {0};
    bool has_start = true, has_end = true;
    switch (opts->min.kind) {
    case CW_BOUND_NONE:
        put_bytes(&start, prefix);
        break;
    case CW_BOUND_INCLUSIVE:
        bound_key(&start, prefix, opts->min.key, false);
        break;
    case CW_BOUND_EXCLUSIVE:
        bound_key(&start, prefix, opts->min.key, true);
        break;
    default:
        cw_abort("cw_range_begin: invalid min bound");
    }
    switch (opts->max.kind) {
    case CW_BOUND_NONE:
        has_end = prefix_end(&end, prefix);
        break;
    case CW_BOUND_INCLUSIVE:
        bound_key(&end, prefix, opts->max.key, true);
        break;
    case CW_BOUND_EXCLUSIVE:
        bound_key(&end, prefix, opts->max.key, false);
        break;
    default:
        cw_abort("cw_range_begin: invalid max bound");
    }
    if (start.len == 0) has_start = false; /* "" is the lowest key: same as unbounded */

    int order = opts->order == CW_ORDER_DESC ? CW_ORDER_DESC : CW_ORDER_ASC;

    /* An empty or inverted range scans nothing; do not ask the host for it. */
    if (has_start && has_end && cw_str_cmp(cw_buf_view(&start), cw_buf_view(&end)) >= 0) {
        r->done = true;
    } else {
        cw_str s = cw_buf_view(&start), e = cw_buf_view(&end);
        r->it = cw_db_scan(has_start ? &s : NULL, has_end ? &e : NULL, order);
    }
    cw_buf_free(&start);
    cw_buf_free(&end);
}

void cw_map_range_begin(cw_range *r, const char *ns, const cw_str *prefix_parts,
                        size_t n_prefix_parts, const cw_range_opts *opts) {
    cw_buf prefix = {0};
    cw_key_map(&prefix, ns);
    for (size_t i = 0; i < n_prefix_parts; i++) cw_key_push(&prefix, prefix_parts[i]);
    cw_range_begin(r, cw_buf_view(&prefix), opts);
    cw_buf_free(&prefix);
}

static void range_release(cw_range *r) {
    cw_free(r->raw_key);
    cw_free(r->raw_value);
    r->raw_key = r->raw_value = NULL;
}

bool cw_range_next(cw_range *r, cw_str *key, cw_str *value) {
    range_release(r);
    if (r->done) return false;
    if (r->limit && r->count >= r->limit) {
        r->done = true;
        return false;
    }
    cw_str k, v;
    if (!cw_db_next(r->it, &k, &v)) {
        r->done = true;
        return false;
    }
    r->raw_key = (char *)k.ptr;
    r->raw_value = (char *)v.ptr;
    /* The bounds keep every key inside the prefix; a shorter key is a host bug. */
    if (k.len < r->prefix_len) cw_abort("cw_range_next: key outside the scanned prefix");
    *key = (cw_str){k.ptr + r->prefix_len, k.len - r->prefix_len};
    *value = v;
    r->count++;
    return true;
}

void cw_range_end(cw_range *r) {
    range_release(r);
    r->done = true;
}

uint32_t cw_page_limit(bool has_limit, uint64_t limit, uint32_t default_limit, uint32_t max_limit) {
    uint64_t l = has_limit ? limit : default_limit;
    return l < max_limit ? (uint32_t)l : max_limit;
}

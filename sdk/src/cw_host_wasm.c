/* The portable host layer (cw_host.h) over the CosmWasm `env` imports (cw_imports.h): slices
 * become Regions, host-returned Regions are consumed into cw_alloc'd bytes; plus cw_abort.
 * The SystemResult decoding at the top is shared with the native mock (cw_host_internal.h). */
#include "cw_host.h"
#include "cw_host_internal.h"
#include "cw_imports.h"
#include "cw_json.h"
#include "cw_region.h"

/* --- Shared with the mock ------------------------------------------------------------------- */

cw_error *cw_host_query_result(cw_str json, cw_str *answer) {
    cw_json root;
    cw_error *err = cw_json_parse(json, &root);
    if (err) {
        cw_error *e = cw_errorf("Querier system error: invalid response: %s", err->msg);
        cw_error_free(err);
        return e;
    }
    cw_json ok = cw_json_get(root, "ok");
    cw_json sys = cw_json_get(root, "error");
    if (root.type == CW_JSON_OBJECT && cw_json_len(root) == 1 && ok.type == CW_JSON_OBJECT &&
        cw_json_len(ok) == 1) {
        cw_json value = cw_json_get(ok, "ok");
        cw_json cerr = cw_json_get(ok, "error");
        cw_str s;
        bool owned;
        if (value.type == CW_JSON_STRING && !cw_json_string(value, &s, &owned)) {
            cw_buf out = {0};
            err = cw_base64_decode(s, &out);
            if (owned) cw_free((void *)s.ptr);
            if (err) {
                cw_error *e = cw_errorf("Querier system error: invalid response: %s", err->msg);
                cw_error_free(err);
                cw_buf_free(&out);
                return e;
            }
            size_t len;
            char *bytes = cw_buf_take(&out, &len);
            *answer = (cw_str){bytes, len};
            return NULL;
        }
        if (cerr.type == CW_JSON_STRING && !cw_json_string(cerr, &s, &owned)) {
            cw_error *e = cw_errorf("Querier contract error: %S", s);
            if (owned) cw_free((void *)s.ptr);
            return e;
        }
    }
    if (root.type == CW_JSON_OBJECT && cw_json_len(root) == 1 && sys.type != CW_JSON_MISSING)
        return cw_errorf("Querier system error: %S", sys.text);
    return cw_errorf("Querier system error: invalid response: %S", json);
}

cw_error *cw_host_addr_error(const char *op, cw_str msg) {
    return cw_errorf("%s errored: %S", op, msg);
}

cw_error *cw_host_recover_error(uint32_t code) {
    switch (code) {
    case 3:
        return cw_error_str(CW_LIT("Invalid hash format"));
    case 4:
        return cw_error_str(CW_LIT("Invalid signature format"));
    case 6:
        return cw_error_str(CW_LIT("Invalid recovery parameter. Supported values: 0 and 1."));
    default:
        return cw_errorf("Unknown error: %u", code);
    }
}

#ifdef __wasm__

/* --- Abort ---------------------------------------------------------------------------------- */

_Noreturn void cw_abort_str(cw_str msg) {
    cw_region r;
    cw_env_abort(cw_region_for(&r, msg));
    __builtin_trap();
}

_Noreturn void cw_abort(const char *msg) {
    cw_abort_str(cw_cstr(msg));
}

/* --- Storage -------------------------------------------------------------------------------- */

bool cw_db_read(cw_str key, cw_str *value) {
    cw_region k;
    uint32_t r = cw_env_db_read(cw_region_for(&k, key));
    if (r == 0) return false;
    *value = cw_region_consume(r);
    return true;
}

void cw_db_write(cw_str key, cw_str value) {
    if (value.len == 0) cw_abort("cw_db_write: value must not be empty (use cw_db_remove)");
    cw_region k, v;
    cw_env_db_write(cw_region_for(&k, key), cw_region_for(&v, value));
}

void cw_db_remove(cw_str key) {
    cw_region k;
    cw_env_db_remove(cw_region_for(&k, key));
}

cw_iter cw_db_scan(const cw_str *start, const cw_str *end, int order) {
    if (order != CW_ORDER_ASC && order != CW_ORDER_DESC) cw_abort("cw_db_scan: invalid order");
    cw_region s, e;
    uint32_t sp = start ? cw_region_for(&s, *start) : 0;
    uint32_t ep = end ? cw_region_for(&e, *end) : 0;
    return cw_env_db_scan(sp, ep, order);
}

static uint32_t be32_at(const char *p) {
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* db_next's region holds key ‖ be32(key_len) ‖ value ‖ be32(value_len). The key is copied
 * out; the value is moved to the front of the region's buffer, which the caller then owns. */
bool cw_db_next(cw_iter it, cw_str *key, cw_str *value) {
    cw_str kv = cw_region_consume(cw_env_db_next(it));
    char *data = (char *)kv.ptr;
    if (kv.len < 8) cw_abort("cw_db_next: malformed db_next sections");
    uint32_t value_len = be32_at(data + kv.len - 4);
    if (value_len > kv.len - 8) cw_abort("cw_db_next: malformed db_next sections");
    size_t key_end = kv.len - 8 - value_len; /* key ‖ be32 occupy [0, key_end + 4) */
    uint32_t key_len = be32_at(data + key_end);
    if (key_len != key_end) cw_abort("cw_db_next: malformed db_next sections");
    if (key_len == 0) {
        cw_free(data);
        return false;
    }
    char *k = cw_alloc(key_len);
    memcpy(k, data, key_len);
    memmove(data, data + key_len + 4, value_len);
    *key = (cw_str){k, key_len};
    *value = (cw_str){data, value_len};
    return true;
}

/* --- Addresses ------------------------------------------------------------------------------ */

static cw_error *consume_error(const char *op, uint32_t region) {
    cw_str msg = cw_region_consume(region);
    cw_error *e = cw_host_addr_error(op, msg);
    cw_free((void *)msg.ptr);
    return e;
}

cw_error *cw_addr_validate(cw_str addr) {
    if (addr.len > CW_MAX_HUMAN_ADDRESS) return cw_error_str(CW_LIT(CW_ADDR_VALIDATE_TOO_LONG));
    cw_region a;
    uint32_t r = cw_env_addr_validate(cw_region_for(&a, addr));
    return r ? consume_error(CW_ADDR_VALIDATE_OP, r) : NULL;
}

/* Run addr_canonicalize/addr_humanize into a fresh destination region of `capacity` bytes. */
static cw_error *addr_convert(uint32_t (*fn)(uint32_t, uint32_t), const char *op, cw_str in,
                              uint32_t capacity, cw_buf *out) {
    cw_region a;
    uint32_t dest = cw_region_with_capacity(capacity);
    uint32_t r = fn(cw_region_for(&a, in), dest);
    if (r) {
        cw_region_free(dest);
        return consume_error(op, r);
    }
    cw_str s = cw_region_consume(dest);
    cw_buf_put_str(out, s);
    cw_free((void *)s.ptr);
    return NULL;
}

cw_error *cw_addr_canonicalize(cw_str human, cw_buf *out) {
    if (human.len > CW_MAX_HUMAN_ADDRESS)
        return cw_error_str(CW_LIT("input too long for addr_canonicalize"));
    return addr_convert(cw_env_addr_canonicalize, "addr_canonicalize", human, 64, out);
}

cw_error *cw_addr_humanize(cw_str canonical, cw_buf *out) {
    return addr_convert(cw_env_addr_humanize, "addr_humanize", canonical, 90, out);
}

/* --- Crypto --------------------------------------------------------------------------------- */

/* 0 → true, 1 → false, anything else aborts naming the VerificationError. */
static bool verification_result(const char *op, uint32_t code) {
    if (code == 0) return true;
    if (code == 1) return false;
    cw_buf b = {0};
    cw_buf_printf(&b, "%s: ", op);
    switch (code) {
    case 3:
        cw_buf_puts(&b, "Invalid hash format");
        break;
    case 4:
        cw_buf_puts(&b, "Invalid signature format");
        break;
    case 5:
        cw_buf_puts(&b, "Invalid public key format");
        break;
    case 10:
        cw_buf_puts(&b, "Generic error");
        break;
    default:
        cw_buf_printf(&b, "Unknown error: %u", code);
        break;
    }
    cw_abort_str(cw_buf_view(&b));
}

bool cw_secp256k1_verify(cw_str message_hash, cw_str signature, cw_str public_key) {
    cw_region h, s, p;
    uint32_t code =
        cw_env_secp256k1_verify(cw_region_for(&h, message_hash), cw_region_for(&s, signature),
                                cw_region_for(&p, public_key));
    return verification_result("secp256k1_verify", code);
}

cw_error *cw_secp256k1_recover_pubkey(cw_str message_hash, cw_str signature, uint8_t recovery,
                                      cw_buf *out) {
    cw_region h, s;
    uint64_t result = cw_env_secp256k1_recover_pubkey(cw_region_for(&h, message_hash),
                                                      cw_region_for(&s, signature), recovery);
    uint32_t code = (uint32_t)(result >> 32);
    if (code != 0) return cw_host_recover_error(code);
    cw_str key = cw_region_consume((uint32_t)result);
    cw_buf_put_str(out, key);
    cw_free((void *)key.ptr);
    return NULL;
}

bool cw_ed25519_verify(cw_str message, cw_str signature, cw_str public_key) {
    cw_region m, s, p;
    uint32_t code = cw_env_ed25519_verify(cw_region_for(&m, message), cw_region_for(&s, signature),
                                          cw_region_for(&p, public_key));
    return verification_result("ed25519_verify", code);
}

/* Sections encoding: every item followed by its big-endian u32 length. */
static void encode_sections(cw_buf *out, const cw_str *items, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)items[i].len;
        char be[4] = {(char)(len >> 24), (char)(len >> 16), (char)(len >> 8), (char)len};
        cw_buf_put_str(out, items[i]);
        cw_buf_put(out, be, 4);
    }
}

bool cw_ed25519_batch_verify(const cw_str *messages, size_t n_messages, const cw_str *signatures,
                             size_t n_signatures, const cw_str *public_keys, size_t n_keys) {
    cw_buf m = {0}, s = {0}, p = {0};
    encode_sections(&m, messages, n_messages);
    encode_sections(&s, signatures, n_signatures);
    encode_sections(&p, public_keys, n_keys);
    cw_region mr, sr, pr;
    uint32_t code = cw_env_ed25519_batch_verify(cw_region_for(&mr, cw_buf_view(&m)),
                                                cw_region_for(&sr, cw_buf_view(&s)),
                                                cw_region_for(&pr, cw_buf_view(&p)));
    cw_buf_free(&m);
    cw_buf_free(&s);
    cw_buf_free(&p);
    return verification_result("ed25519_batch_verify", code);
}

/* --- Debug and queries ---------------------------------------------------------------------- */

void cw_debug(cw_str msg) {
    cw_region r;
    cw_env_debug(cw_region_for(&r, msg));
}

cw_str cw_query_chain_raw(cw_str request) {
    cw_region r;
    return cw_region_consume(cw_env_query_chain(cw_region_for(&r, request)));
}

cw_error *cw_query_chain(cw_str request, cw_str *answer) {
    cw_str response = cw_query_chain_raw(request);
    cw_error *err = cw_host_query_result(response, answer);
    cw_free((void *)response.ptr);
    return err;
}

#endif

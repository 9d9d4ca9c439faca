/* host_env.c — the `env` imports a contract calls (hs_host_env_imports), with wasmvm 2.2's
 * semantics, limits and error conventions: storage through the transaction cache, iterators,
 * bech32 addresses, secp256k1/ed25519 crypto, debug/abort and query_chain.
 *
 * Limits (cosmwasm-vm packages/vm/src/imports.rs): key 64 KiB, value 128 KiB, human address 256,
 * canonical address 64, query request 64 KiB, debug/abort message 2 MiB, hash 32, signature 64,
 * pubkey 65, ed25519 message 128 KiB, ed25519 batch 256 items. A region above its limit, an
 * invalid region (offset 0, length > capacity, outside memory) or an unknown iterator traps the
 * call, as wasmvm turns those into VmErrors. User-level failures (a bad address) come back as
 * error regions, crypto failures as wasmvm's error codes.
 *
 * Gas (all in CosmWasm gas; constants in chain_internal.h): every import HS_GAS_HOST_CALL plus
 * HS_GAS_REGION_READ_PER_BYTE per byte read from regions; storage as Cosmos SDK's KVGasConfig on
 * the full store key (0x03 ‖ contract ‖ key, as wasmd's prefix store sees it) × 140,000; address
 * functions as wasmd's API costs; crypto as cosmwasm-vm's GasConfig. Deviation: ed25519 uses
 * libsodium, whose verification is stricter than ed25519-zebra's ZIP-215 rules (it rejects
 * non-canonical and small-order encodings zebra accepts); ordinary signatures agree. */
#define _GNU_SOURCE /* asprintf, vasprintf */
#include "chain_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#define KI 1024u
#define MI (1024u * 1024u)
#define MAX_LENGTH_DB_KEY (64 * KI)
#define MAX_LENGTH_DB_VALUE (128 * KI)
#define MAX_LENGTH_CANONICAL_ADDRESS 64
#define MAX_LENGTH_HUMAN_ADDRESS 256
#define MAX_LENGTH_QUERY_CHAIN_REQUEST (64 * KI)
#define MAX_LENGTH_DEBUG (2 * MI)
#define MAX_LENGTH_ABORT (2 * MI)
#define MAX_LENGTH_MESSAGE_HASH 32
#define MAX_LENGTH_SIGNATURE 64
#define MAX_LENGTH_PUBKEY 65
#define MAX_LENGTH_ED25519_MESSAGE (128 * KI)
#define MAX_COUNT_ED25519_BATCH 256
/* Iterators one call may open (a guard; wasmvm has none but gas). */
#define MAX_ITERATORS_PER_CALL 10000

/* cosmwasm-crypto CryptoError codes. */
enum {
    CRYPTO_OK = 0,
    CRYPTO_INVALID = 1,
    CRYPTO_BATCH_ERR = 2,
    CRYPTO_INVALID_HASH = 3,
    CRYPTO_INVALID_SIGNATURE = 4,
    CRYPTO_INVALID_PUBKEY = 5,
    CRYPTO_INVALID_RECOVERY = 6,
    CRYPTO_GENERIC = 10,
};

/* --- Regions -----------------------------------------------------------------------------------
 */

typedef struct region {
    uint32_t offset, capacity, length;
} region;

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool region_load(hs_instance *inst, uint32_t ptr, region *r, char *err, size_t errlen) {
    uint8_t b[12];
    if (!hs_instance_read(inst, ptr, b, 12)) {
        snprintf(err, errlen, "Region pointer %u out of bounds", ptr);
        return false;
    }
    r->offset = le32(b);
    r->capacity = le32(b + 4);
    r->length = le32(b + 8);
    if (r->offset == 0) {
        snprintf(err, errlen, "Region validation error: Got a zero Wasm address in the offset");
        return false;
    }
    if (r->length > r->capacity) {
        snprintf(err, errlen, "Region validation error: length %u exceeds capacity %u", r->length,
                 r->capacity);
        return false;
    }
    if (r->capacity > UINT32_MAX - r->offset) {
        snprintf(err, errlen, "Region validation error: region out of range");
        return false;
    }
    return true;
}

/* Non-trapping region read (used by chain_wasm for results too). */
int hs_region_read_checked(hs_instance *inst, uint32_t ptr, size_t max, uint8_t **out, size_t *len,
                           char *err, size_t errlen) {
    region r;
    *out = NULL;
    if (!region_load(inst, ptr, &r, err, errlen)) return -1;
    if (r.length > max) {
        snprintf(err, errlen, "Region length too big. Got %u, limit %zu", r.length, max);
        return -1;
    }
    uint8_t *buf = malloc((size_t)r.length + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!hs_instance_read(inst, r.offset, buf, r.length)) {
        free(buf);
        snprintf(err, errlen, "Region out of bounds: offset %u length %u", r.offset, r.length);
        return -1;
    }
    buf[r.length] = 0;
    *out = buf;
    *len = r.length;
    return 0;
}

/* Write data into the existing region at ptr (capacity must suffice), setting its length. */
static int region_fill(hs_instance *inst, uint32_t ptr, const void *data, size_t len, char *err,
                       size_t errlen) {
    region r;
    if (!region_load(inst, ptr, &r, err, errlen)) return -1;
    if (len > r.capacity) {
        snprintf(err, errlen, "Region too small. Got %u, required %zu", r.capacity, len);
        return -1;
    }
    uint8_t lb[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
    if (!hs_instance_write(inst, r.offset, data, len) || !hs_instance_write(inst, ptr + 8, lb, 4)) {
        snprintf(err, errlen, "Region out of bounds: offset %u length %zu", r.offset, len);
        return -1;
    }
    return 0;
}

/* Non-trapping: allocate a region in the guest and fill it. On a trap inside `allocate` the
 * engine result is returned through *trap (HS_ENGINE_OK otherwise). */
int hs_region_write_new(hs_instance *inst, const void *data, size_t len, uint32_t *ptr,
                        hs_engine_result *trap, char *err, size_t errlen) {
    *trap = HS_ENGINE_OK;
    if (len > UINT32_MAX) {
        snprintf(err, errlen, "data too large for a region: %zu bytes", len);
        return -1;
    }
    uint64_t arg = len, res = 0;
    hs_engine_result rc = hs_instance_call(inst, "allocate", &arg, 1, &res);
    if (rc != HS_ENGINE_OK) {
        *trap = rc;
        snprintf(err, errlen, "allocate: %s", hs_instance_error(inst));
        return -1;
    }
    if (region_fill(inst, (uint32_t)res, data, len, err, errlen)) return -1;
    *ptr = (uint32_t)res;
    return 0;
}

/* Trapping wrappers for use inside imports. */
static uint8_t *read_region(hs_instance *inst, uint32_t ptr, size_t max, size_t *len) {
    char err[160];
    uint8_t *buf;
    if (hs_region_read_checked(inst, ptr, max, &buf, len, err, sizeof err))
        hs_instance_trap(inst, "%s", err);
    uint64_t cost = (uint64_t)*len * HS_GAS_REGION_READ_PER_BYTE;
    if (cost > hs_instance_gas(inst)) free(buf); /* the charge below traps */
    hs_instance_charge_gas(inst, cost);
    return buf;
}

static uint8_t *read_region_freeing(hs_instance *inst, uint32_t ptr, size_t max, size_t *len,
                                    void *to_free) {
    char err[160];
    uint8_t *buf;
    if (hs_region_read_checked(inst, ptr, max, &buf, len, err, sizeof err)) {
        free(to_free);
        hs_instance_trap(inst, "%s", err);
    }
    return buf;
}

static uint32_t write_new(hs_instance *inst, const void *data, size_t len) {
    char err[160];
    uint32_t ptr;
    hs_engine_result trap;
    if (hs_region_write_new(inst, data, len, &ptr, &trap, err, sizeof err)) {
        if (trap == HS_ENGINE_TRAP_OUT_OF_GAS) hs_instance_charge_gas(inst, UINT64_MAX);
        hs_instance_trap(inst, "%s", err);
    }
    return ptr;
}

/* write_new for a malloc'd buffer that must be freed whatever happens. */
static uint32_t write_new_owned(hs_instance *inst, uint8_t *data, size_t len) {
    char err[160];
    uint32_t ptr;
    hs_engine_result trap;
    int rc = hs_region_write_new(inst, data, len, &ptr, &trap, err, sizeof err);
    free(data);
    if (rc) {
        if (trap == HS_ENGINE_TRAP_OUT_OF_GAS) hs_instance_charge_gas(inst, UINT64_MAX);
        hs_instance_trap(inst, "%s", err);
    }
    return ptr;
}

static void fill_region(hs_instance *inst, uint32_t ptr, const void *data, size_t len) {
    char err[160];
    if (region_fill(inst, ptr, data, len, err, sizeof err)) hs_instance_trap(inst, "%s", err);
}

static hs_call *call_of(hs_instance *inst) {
    hs_call *call = hs_instance_user(inst);
    hs_instance_charge_gas(inst, HS_GAS_HOST_CALL);
    return call;
}

static void charge_sdk(hs_instance *inst, uint64_t sdk_gas) {
    hs_instance_charge_gas(inst, sdk_gas * HS_GAS_MULTIPLIER);
}

/* --- Storage -----------------------------------------------------------------------------------
 */

/* Full store key 0x03 ‖ contract ‖ key (malloc'd). */
static uint8_t *store_key(hs_call *call, const uint8_t *key, size_t klen, size_t *out_len) {
    uint8_t *fk = malloc(klen + 1 + HS_CONTRACT_ADDR_LEN);
    if (!fk) return NULL;
    *out_len =
        hs_key_contract_store(fk, klen + 1 + HS_CONTRACT_ADDR_LEN, call->contract, key, klen);
    return fk;
}

static uint32_t env_db_read(hs_instance *inst, uint32_t key_ptr) {
    hs_call *call = call_of(inst);
    size_t klen, fklen, vlen;
    uint8_t *key = read_region(inst, key_ptr, MAX_LENGTH_DB_KEY, &klen);
    uint8_t *fk = store_key(call, key, klen, &fklen);
    free(key);
    if (!fk) hs_instance_trap(inst, "out of memory");
    const uint8_t *v;
    hs_state_result r = hs_txc_get(call->chain->txc, fk, fklen, &v, &vlen);
    free(fk);
    uint64_t gas = HS_GAS_SDK_READ_FLAT + HS_GAS_SDK_READ_PER_BYTE * (uint64_t)fklen;
    if (r != HS_STATE_OK) {
        charge_sdk(inst, gas);
        return 0;
    }
    charge_sdk(inst, gas + HS_GAS_SDK_READ_PER_BYTE * (uint64_t)vlen);
    uint8_t *copy = malloc(vlen ? vlen : 1);
    if (!copy) hs_instance_trap(inst, "out of memory");
    memcpy(copy, v, vlen);
    return write_new_owned(inst, copy, vlen);
}

static void env_db_write(hs_instance *inst, uint32_t key_ptr, uint32_t value_ptr) {
    hs_call *call = call_of(inst);
    if (call->readonly) hs_instance_trap(inst, "Write access denied: db_write in a read-only call");
    size_t klen, vlen, fklen;
    uint8_t *key = read_region(inst, key_ptr, MAX_LENGTH_DB_KEY, &klen);
    uint8_t *val = read_region_freeing(inst, value_ptr, MAX_LENGTH_DB_VALUE, &vlen, key);
    uint8_t *fk = store_key(call, key, klen, &fklen);
    free(key);
    if (!fk) {
        free(val);
        hs_instance_trap(inst, "out of memory");
    }
    uint64_t gas =
        HS_GAS_SDK_WRITE_FLAT + HS_GAS_SDK_WRITE_PER_BYTE * ((uint64_t)fklen + (uint64_t)vlen);
    hs_state_result r = hs_txc_set(call->chain->txc, fk, fklen, val, vlen);
    free(fk);
    free(val);
    if (r != HS_STATE_OK) hs_instance_trap(inst, "db_write: %s", hs_state_strerror(r));
    hs_instance_charge_gas(inst, (uint64_t)vlen * HS_GAS_REGION_READ_PER_BYTE);
    charge_sdk(inst, gas);
}

static void env_db_remove(hs_instance *inst, uint32_t key_ptr) {
    hs_call *call = call_of(inst);
    if (call->readonly)
        hs_instance_trap(inst, "Write access denied: db_remove in a read-only call");
    size_t klen, fklen;
    uint8_t *key = read_region(inst, key_ptr, MAX_LENGTH_DB_KEY, &klen);
    uint8_t *fk = store_key(call, key, klen, &fklen);
    free(key);
    if (!fk) hs_instance_trap(inst, "out of memory");
    hs_state_result r = hs_txc_delete(call->chain->txc, fk, fklen);
    free(fk);
    if (r != HS_STATE_OK) hs_instance_trap(inst, "db_remove: %s", hs_state_strerror(r));
    charge_sdk(inst, HS_GAS_SDK_DELETE);
}

static uint32_t env_db_scan(hs_instance *inst, uint32_t start_ptr, uint32_t end_ptr,
                            int32_t order) {
    hs_call *call = call_of(inst);
    if (order != HS_ASCENDING && order != HS_DESCENDING)
        hs_instance_trap(inst, "Invalid order value %d", (int)order);
    if (call->n_iters >= MAX_ITERATORS_PER_CALL)
        hs_instance_trap(inst, "Too many iterators: limit %d per call", MAX_ITERATORS_PER_CALL);
    size_t slen = 0, elen = 0, lo_len = 0, hi_len = 0;
    uint8_t *start = start_ptr ? read_region(inst, start_ptr, MAX_LENGTH_DB_KEY, &slen) : NULL;
    uint8_t *end =
        end_ptr ? read_region_freeing(inst, end_ptr, MAX_LENGTH_DB_KEY, &elen, start) : NULL;
    uint8_t *lo = store_key(call, start, slen, &lo_len);
    uint8_t *hi = store_key(call, end, elen, &hi_len);
    free(start);
    if (!end_ptr && hi) {
        /* Unbounded above: the end of this contract's range, 0x03 ‖ (contract + 1). */
        hi_len = 1 + HS_CONTRACT_ADDR_LEN;
        size_t i = hi_len;
        while (i > 1 && hi[i - 1] == 0xff) hi[--i] = 0;
        if (i > 1) {
            hi[i - 1]++;
        } else {
            hi[0]++; /* all-0xff contract: the next module prefix */
            hi_len = 1;
        }
    }
    free(end);
    if (call->n_iters == call->cap_iters) {
        size_t cap = call->cap_iters ? call->cap_iters * 2 : 8;
        hs_txc_iter **n = realloc(call->iters, cap * sizeof *n);
        if (!n) {
            free(lo);
            free(hi);
            hs_instance_trap(inst, "out of memory");
        }
        call->iters = n;
        call->cap_iters = cap;
    }
    hs_txc_iter *it = NULL;
    hs_state_result r =
        lo && hi ? hs_txc_iter_open(call->chain->txc, lo, lo_len, hi, hi_len, (hs_order)order, &it)
                 : HS_STATE_NOMEM;
    free(lo);
    free(hi);
    if (r != HS_STATE_OK) hs_instance_trap(inst, "db_scan: %s", hs_state_strerror(r));
    call->iters[call->n_iters++] = it;
    return (uint32_t)call->n_iters;
}

/* Step iterator `id`; false at the end. Key without the contract prefix. */
static bool iter_step(hs_instance *inst, hs_call *call, uint32_t id, const uint8_t **k, size_t *kl,
                      const uint8_t **v, size_t *vl) {
    if (id == 0 || id > call->n_iters)
        hs_instance_trap(inst, "Iterator with ID %u does not exist", id);
    if (hs_txc_iter_next(call->iters[id - 1], k, kl, v, vl) != HS_STATE_OK) return false;
    charge_sdk(inst, HS_GAS_SDK_ITER_NEXT_FLAT + HS_GAS_SDK_READ_PER_BYTE * (*kl + *vl));
    *k += 1 + HS_CONTRACT_ADDR_LEN;
    *kl -= 1 + HS_CONTRACT_ADDR_LEN;
    return true;
}

static void put_be32(uint8_t *p, size_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t env_db_next(hs_instance *inst, uint32_t id) {
    hs_call *call = call_of(inst);
    const uint8_t *k, *v;
    size_t kl, vl;
    if (!iter_step(inst, call, id, &k, &kl, &v, &vl)) {
        static const uint8_t zeros[8] = {0};
        return write_new(inst, zeros, 8);
    }
    uint8_t *out = malloc(kl + vl + 8);
    if (!out) hs_instance_trap(inst, "out of memory");
    memcpy(out, k, kl);
    put_be32(out + kl, kl);
    memcpy(out + kl + 4, v, vl);
    put_be32(out + kl + 4 + vl, vl);
    return write_new_owned(inst, out, kl + vl + 8);
}

static uint32_t next_part(hs_instance *inst, uint32_t id, bool want_key) {
    hs_call *call = call_of(inst);
    const uint8_t *k, *v;
    size_t kl, vl;
    if (!iter_step(inst, call, id, &k, &kl, &v, &vl)) return 0;
    size_t n = want_key ? kl : vl;
    uint8_t *out = malloc(n ? n : 1);
    if (!out) hs_instance_trap(inst, "out of memory");
    memcpy(out, want_key ? k : v, n);
    return write_new_owned(inst, out, n);
}

static uint32_t env_db_next_key(hs_instance *inst, uint32_t id) {
    return next_part(inst, id, true);
}

static uint32_t env_db_next_value(hs_instance *inst, uint32_t id) {
    return next_part(inst, id, false);
}

void hs_call_cleanup(hs_call *call) {
    for (size_t i = 0; i < call->n_iters; i++) hs_txc_iter_close(call->iters[i]);
    free(call->iters);
    call->iters = NULL;
    call->n_iters = call->cap_iters = 0;
}

/* --- Addresses ----------------------------------------------------------------------------------
 */

/* The Cosmos SDK's words for an address that fails AccAddressFromBech32 (+ round trip). */
static void addr_error(hs_chain *c, const char *human, hs_addr_result r, char *out, size_t n) {
    char hrp[HS_BECH32_HRP_CAP];
    uint8_t d5[96];
    size_t nd;
    switch (r) {
    case HS_ADDR_ERR_PREFIX:
        if (hs_bech32_decode(human, hrp, d5, sizeof d5, &nd) == HS_ADDR_OK) {
            snprintf(out, n, "invalid Bech32 prefix; expected %s, got %s", c->prefix, hrp);
            return;
        }
        break;
    case HS_ADDR_ERR_NOT_NORMALIZED:
        snprintf(out, n, "address not normalized");
        return;
    case HS_ADDR_ERR_DATA_LENGTH:
        snprintf(out, n, "address length invalid: unknown address");
        return;
    default:
        break;
    }
    snprintf(out, n, "decoding bech32 failed: %s", hs_addr_strerror(r));
}

static bool is_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t b = s[i];
        size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (!len || i + len > n) return false;
        for (size_t j = 1; j < len; j++)
            if ((s[i + j] & 0xc0) != 0x80) return false;
        i += len;
    }
    return true;
}

/* Read a human address; returns NULL after writing an error region into *err_region. */
static char *read_human(hs_instance *inst, uint32_t ptr, uint32_t *err_region) {
    size_t len;
    uint8_t *s = read_region(inst, ptr, MAX_LENGTH_HUMAN_ADDRESS, &len);
    const char *msg = NULL;
    if (len == 0)
        msg = "Input is empty";
    else if (!is_utf8(s, len) || memchr(s, 0, len))
        msg = "Input is not valid UTF-8";
    if (msg) {
        free(s);
        *err_region = write_new(inst, msg, strlen(msg));
        return NULL;
    }
    return (char *)s;
}

static uint32_t env_addr_validate(hs_instance *inst, uint32_t source) {
    hs_call *call = call_of(inst);
    uint32_t err_region = 0;
    char *human = read_human(inst, source, &err_region);
    if (!human) return err_region;
    charge_sdk(inst, HS_GAS_SDK_CANONICALIZE + HS_GAS_SDK_HUMANIZE);
    hs_addr_result r = hs_addr_validate(call->chain->prefix, human);
    if (r == HS_ADDR_OK) {
        free(human);
        return 0;
    }
    char msg[256];
    addr_error(call->chain, human, r, msg, sizeof msg);
    free(human);
    return write_new(inst, msg, strlen(msg));
}

static uint32_t env_addr_canonicalize(hs_instance *inst, uint32_t source, uint32_t destination) {
    hs_call *call = call_of(inst);
    uint32_t err_region = 0;
    char *human = read_human(inst, source, &err_region);
    if (!human) return err_region;
    charge_sdk(inst, HS_GAS_SDK_CANONICALIZE);
    uint8_t canon[128];
    size_t len;
    hs_addr_result r = hs_addr_canonicalize(call->chain->prefix, human, canon, sizeof canon, &len);
    if (r != HS_ADDR_OK) {
        char msg[256];
        addr_error(call->chain, human, r, msg, sizeof msg);
        free(human);
        return write_new(inst, msg, strlen(msg));
    }
    free(human);
    fill_region(inst, destination, canon, len);
    return 0;
}

static uint32_t env_addr_humanize(hs_instance *inst, uint32_t source, uint32_t destination) {
    hs_call *call = call_of(inst);
    size_t len;
    uint8_t *canon = read_region(inst, source, MAX_LENGTH_CANONICAL_ADDRESS, &len);
    charge_sdk(inst, HS_GAS_SDK_HUMANIZE);
    if (len == 0) {
        free(canon);
        static const char msg[] = "addresses cannot be empty: unknown address";
        return write_new(inst, msg, sizeof msg - 1);
    }
    char human[HS_ADDR_HUMAN_CAP];
    hs_addr_result r = hs_addr_humanize(call->chain->prefix, canon, len, human, sizeof human);
    free(canon);
    if (r != HS_ADDR_OK) {
        char msg[128];
        snprintf(msg, sizeof msg, "humanize failed: %s", hs_addr_strerror(r));
        return write_new(inst, msg, strlen(msg));
    }
    fill_region(inst, destination, human, strlen(human));
    return 0;
}

/* --- Crypto -------------------------------------------------------------------------------------
 */

static const secp256k1_context *secp_ctx(void) {
    return secp256k1_context_static;
}

static uint32_t env_secp256k1_verify(hs_instance *inst, uint32_t hash_ptr, uint32_t sig_ptr,
                                     uint32_t pk_ptr) {
    (void)call_of(inst);
    size_t hl, sl, pl;
    uint8_t *hash = read_region(inst, hash_ptr, MAX_LENGTH_MESSAGE_HASH, &hl);
    uint8_t *sig = read_region_freeing(inst, sig_ptr, MAX_LENGTH_SIGNATURE, &sl, hash);
    uint8_t *pk = NULL;
    {
        char err[160];
        if (hs_region_read_checked(inst, pk_ptr, MAX_LENGTH_PUBKEY, &pk, &pl, err, sizeof err)) {
            free(hash);
            free(sig);
            hs_instance_trap(inst, "%s", err);
        }
    }
    uint32_t rc;
    secp256k1_ecdsa_signature s;
    secp256k1_pubkey key;
    if (hl != 32)
        rc = CRYPTO_INVALID_HASH;
    else if (sl != 64 || !secp256k1_ecdsa_signature_parse_compact(secp_ctx(), &s, sig))
        rc = CRYPTO_INVALID_SIGNATURE;
    else if (!(pl == 33 || pl == 65) || !secp256k1_ec_pubkey_parse(secp_ctx(), &key, pk, pl))
        rc = CRYPTO_INVALID_PUBKEY;
    else {
        secp256k1_ecdsa_signature_normalize(secp_ctx(), &s, &s);
        rc = secp256k1_ecdsa_verify(secp_ctx(), &s, hash, &key) ? CRYPTO_OK : CRYPTO_INVALID;
    }
    free(hash);
    free(sig);
    free(pk);
    hs_instance_charge_gas(inst, HS_GAS_SECP256K1_VERIFY);
    return rc;
}

static uint64_t env_secp256k1_recover_pubkey(hs_instance *inst, uint32_t hash_ptr, uint32_t sig_ptr,
                                             uint32_t recovery_param) {
    (void)call_of(inst);
    size_t hl, sl;
    uint8_t *hash = read_region(inst, hash_ptr, MAX_LENGTH_MESSAGE_HASH, &hl);
    uint8_t *sig = read_region_freeing(inst, sig_ptr, MAX_LENGTH_SIGNATURE, &sl, hash);
    hs_instance_charge_gas(inst, HS_GAS_SECP256K1_RECOVER);
    uint64_t code = 0;
    uint8_t out[65];
    if (hl != 32)
        code = CRYPTO_INVALID_HASH;
    else if (sl != 64)
        code = CRYPTO_INVALID_SIGNATURE;
    else if (recovery_param > 3)
        code = CRYPTO_INVALID_RECOVERY;
    else {
        /* Normalise a high-S signature (flipping the y parity), as cosmwasm-crypto does. */
        secp256k1_ecdsa_signature plain, low;
        int recid = (int)recovery_param;
        uint8_t compact[64];
        memcpy(compact, sig, 64);
        if (!secp256k1_ecdsa_signature_parse_compact(secp_ctx(), &plain, sig)) {
            code = CRYPTO_INVALID_SIGNATURE;
        } else {
            if (secp256k1_ecdsa_signature_normalize(secp_ctx(), &low, &plain)) {
                secp256k1_ecdsa_signature_serialize_compact(secp_ctx(), compact, &low);
                recid ^= 1;
            }
            secp256k1_ecdsa_recoverable_signature rs;
            secp256k1_pubkey key;
            size_t ol = sizeof out;
            if (!secp256k1_ecdsa_recoverable_signature_parse_compact(secp_ctx(), &rs, compact,
                                                                     recid))
                code = CRYPTO_INVALID_SIGNATURE;
            else if (!secp256k1_ecdsa_recover(secp_ctx(), &key, &rs, hash))
                code = CRYPTO_GENERIC;
            else
                secp256k1_ec_pubkey_serialize(secp_ctx(), out, &ol, &key,
                                              SECP256K1_EC_UNCOMPRESSED);
        }
    }
    free(hash);
    free(sig);
    if (code) return code << 32;
    return write_new(inst, out, 65);
}

static uint32_t env_ed25519_verify(hs_instance *inst, uint32_t msg_ptr, uint32_t sig_ptr,
                                   uint32_t pk_ptr) {
    (void)call_of(inst);
    size_t ml, sl, pl;
    uint8_t *msg = read_region(inst, msg_ptr, MAX_LENGTH_ED25519_MESSAGE, &ml);
    uint8_t *sig = read_region_freeing(inst, sig_ptr, MAX_LENGTH_SIGNATURE, &sl, msg);
    uint8_t *pk = NULL;
    {
        char err[160];
        if (hs_region_read_checked(inst, pk_ptr, 32, &pk, &pl, err, sizeof err)) {
            free(msg);
            free(sig);
            hs_instance_trap(inst, "%s", err);
        }
    }
    uint32_t rc;
    if (sl != 64)
        rc = CRYPTO_INVALID_SIGNATURE;
    else if (pl != 32)
        rc = CRYPTO_INVALID_PUBKEY;
    else
        rc = crypto_sign_verify_detached(sig, msg, ml, pk) == 0 ? CRYPTO_OK : CRYPTO_INVALID;
    free(msg);
    free(sig);
    free(pk);
    hs_instance_charge_gas(inst, HS_GAS_ED25519_VERIFY);
    return rc;
}

/* Decode cosmwasm "sections" (each item followed by its be32 length), walking from the end.
 * Returns the count (items in order) or -1 when malformed / too many. */
static int decode_sections(const uint8_t *data, size_t len, const uint8_t **items, size_t *lens,
                           int max) {
    int n = 0;
    size_t pos = len;
    while (pos > 0) {
        if (pos < 4 || n >= max) return -1;
        size_t l = (size_t)data[pos - 4] << 24 | (size_t)data[pos - 3] << 16 |
                   (size_t)data[pos - 2] << 8 | data[pos - 1];
        pos -= 4;
        if (l > pos) return -1;
        pos -= l;
        items[n] = data + pos;
        lens[n] = l;
        n++;
    }
    for (int i = 0; i < n / 2; i++) {
        const uint8_t *t = items[i];
        items[i] = items[n - 1 - i];
        items[n - 1 - i] = t;
        size_t tl = lens[i];
        lens[i] = lens[n - 1 - i];
        lens[n - 1 - i] = tl;
    }
    return n;
}

static uint32_t env_ed25519_batch_verify(hs_instance *inst, uint32_t msgs_ptr, uint32_t sigs_ptr,
                                         uint32_t pks_ptr) {
    (void)call_of(inst);
    size_t ml, sl, pl;
    uint8_t *msgs = read_region(inst, msgs_ptr,
                                (MAX_LENGTH_ED25519_MESSAGE + 4) * MAX_COUNT_ED25519_BATCH, &ml);
    uint8_t *sigs =
        read_region_freeing(inst, sigs_ptr, (64 + 4) * MAX_COUNT_ED25519_BATCH, &sl, msgs);
    uint8_t *pks = NULL;
    {
        char err[160];
        if (hs_region_read_checked(inst, pks_ptr, (32 + 4) * MAX_COUNT_ED25519_BATCH, &pks, &pl,
                                   err, sizeof err)) {
            free(msgs);
            free(sigs);
            hs_instance_trap(inst, "%s", err);
        }
    }
    const uint8_t *mi[MAX_COUNT_ED25519_BATCH], *si[MAX_COUNT_ED25519_BATCH],
        *pi[MAX_COUNT_ED25519_BATCH];
    size_t mlen[MAX_COUNT_ED25519_BATCH], slen[MAX_COUNT_ED25519_BATCH],
        plen[MAX_COUNT_ED25519_BATCH];
    int nm = decode_sections(msgs, ml, mi, mlen, MAX_COUNT_ED25519_BATCH);
    int ns = decode_sections(sigs, sl, si, slen, MAX_COUNT_ED25519_BATCH);
    int np = decode_sections(pks, pl, pi, plen, MAX_COUNT_ED25519_BATCH);
    uint32_t rc = CRYPTO_OK;
    uint64_t per_sig = HS_GAS_ED25519_BATCH_PER_SIG;
    if (nm < 0 || ns < 0 || np < 0) {
        rc = CRYPTO_BATCH_ERR;
    } else if (!((nm == ns || nm == 1) && (np == ns || np == 1))) {
        rc = CRYPTO_BATCH_ERR;
    } else {
        if (np == 1 && ns > 1) per_sig = HS_GAS_ED25519_BATCH_ONE_PUBKEY_PER_SIG;
        for (int i = 0; i < ns && rc == CRYPTO_OK; i++) {
            int m = nm == 1 ? 0 : i, p = np == 1 ? 0 : i;
            if (slen[i] != 64)
                rc = CRYPTO_INVALID_SIGNATURE;
            else if (plen[p] != 32)
                rc = CRYPTO_INVALID_PUBKEY;
            else if (crypto_sign_verify_detached(si[i], mi[m], mlen[m], pi[p]) != 0)
                rc = CRYPTO_INVALID;
        }
        if (ns == 0 && (nm > 1 || np > 1)) rc = CRYPTO_BATCH_ERR;
    }
    free(msgs);
    free(sigs);
    free(pks);
    hs_instance_charge_gas(inst, per_sig * (uint64_t)(ns > 0 ? ns : 0));
    return rc;
}

/* --- Debug, abort, queries ----------------------------------------------------------------------
 */

static void env_debug(hs_instance *inst, uint32_t msg_ptr) {
    hs_call *call = call_of(inst);
    size_t len;
    uint8_t *msg = read_region(inst, msg_ptr, MAX_LENGTH_DEBUG, &len);
    if (call->chain->trace) {
        char addr[HS_ADDR_HUMAN_CAP];
        hs_human(call->chain, call->contract, HS_CONTRACT_ADDR_LEN, addr);
        fprintf(stderr, "[debug %s] %.*s\n", addr, (int)len, (const char *)msg);
    }
    free(msg);
}

static void env_abort(hs_instance *inst, uint32_t msg_ptr) {
    (void)call_of(inst);
    size_t len;
    uint8_t *msg = read_region(inst, msg_ptr, MAX_LENGTH_ABORT, &len);
    char *text = strndup((const char *)msg, len);
    free(msg);
    if (!text) hs_instance_trap(inst, "Aborted: (out of memory)");
    /* The message is copied into the engine's buffer by hs_instance_trap before it unwinds. */
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", text);
    free(text);
    hs_instance_trap(inst, "Aborted: %s", buf);
}

static uint32_t env_query_chain(hs_instance *inst, uint32_t req_ptr) {
    hs_call *call = call_of(inst);
    size_t len;
    uint8_t *req = read_region(inst, req_ptr, MAX_LENGTH_QUERY_CHAIN_REQUEST, &len);
    hs_chain *c = call->chain;
    hs_gas_frame frame;
    hs_gas_frame_push(c, &frame, hs_instance_gas(inst));
    char *res = hs_chain_query(c, req, len, true);
    uint64_t used = hs_gas_frame_pop(c, &frame);
    free(req);
    if (!res) hs_instance_trap(inst, "query_chain: out of memory");
    if (used > hs_instance_gas(inst)) free(res);
    hs_instance_charge_gas(inst, used);
    return write_new_owned(inst, (uint8_t *)res, strlen(res));
}

const hs_host_imports hs_host_env_imports = {
    .db_read = env_db_read,
    .db_write = env_db_write,
    .db_remove = env_db_remove,
    .db_scan = env_db_scan,
    .db_next = env_db_next,
    .db_next_key = env_db_next_key,
    .db_next_value = env_db_next_value,
    .addr_validate = env_addr_validate,
    .addr_canonicalize = env_addr_canonicalize,
    .addr_humanize = env_addr_humanize,
    .secp256k1_verify = env_secp256k1_verify,
    .secp256k1_recover_pubkey = env_secp256k1_recover_pubkey,
    .ed25519_verify = env_ed25519_verify,
    .ed25519_batch_verify = env_ed25519_batch_verify,
    .debug = env_debug,
    .abort = env_abort,
    .query_chain = env_query_chain,
};

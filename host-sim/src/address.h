/* address.h — chain addresses: bech32 (BIP-173) encoding and decoding, wasmd-style address
 * validation, script aliases and wasmd's classic contract address derivation.
 *
 * Facts this follows (checked against the sources):
 * - Human form: bech32(prefix, canonical bytes), lower case. Accounts are 20 bytes, contracts
 *   32 bytes; the default prefix of the simulator is "wasm".
 * - addr_validate (cosmwasm-vm do_addr_validate): canonicalize, humanize again, and require the
 *   result to equal the input — so an all-uppercase address, though valid bech32, is refused as
 *   not normalized; mixed case, a wrong prefix or a bad checksum fail canonicalization.
 * - Contract address, wasmd BuildContractAddressClassic: address.Module("wasm",
 *   be64(code_id) ‖ be64(instance_id))[:32], where Cosmos SDK address.Module(name, key) =
 *   sha256(sha256("module") ‖ name ‖ 0x00 ‖ key). Code 1 / instance 1 with prefix "wasm" gives
 *   wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d.
 * - Script aliases (ARCHITECTURE §3): a name that is not a valid address is the account
 *   bech32(prefix, sha256(name)[0..20]).
 */
#ifndef HS_ADDRESS_H
#define HS_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define HS_ADDR_MUST_USE __attribute__((warn_unused_result))
#else
#define HS_ADDR_MUST_USE
#endif

/* BIP-173 limit on a bech32 string, and so the buffer size (plus NUL) for any human address. */
#define HS_BECH32_MAX_LEN 90
#define HS_ADDR_HUMAN_CAP (HS_BECH32_MAX_LEN + 1)
/* Longest HRP (BIP-173: 1..83 characters), buffer size with NUL. */
#define HS_BECH32_HRP_CAP 84
/* Canonical lengths used by the simulator. */
#define HS_ADDR_ACCOUNT_LEN 20
#define HS_ADDR_CONTRACT_LEN 32
/* Largest canonical address accepted (Cosmos SDK VerifyAddressFormat). */
#define HS_ADDR_MAX_CANONICAL 255
/* Default bech32 prefix of the simulator. */
#define HS_ADDR_DEFAULT_PREFIX "wasm"

/* Result of an address operation; HS_ADDR_OK is 0, hs_addr_strerror() gives the text. */
typedef enum hs_addr_result {
    HS_ADDR_OK = 0,
    HS_ADDR_ERR_LENGTH,         /* string longer than 90 characters or too short */
    HS_ADDR_ERR_CHAR,           /* character outside US-ASCII 33..126 or not in the charset */
    HS_ADDR_ERR_MIXED_CASE,     /* both upper and lower case letters */
    HS_ADDR_ERR_NO_SEPARATOR,   /* no '1' separator */
    HS_ADDR_ERR_HRP,            /* empty or too long human-readable part */
    HS_ADDR_ERR_CHECKSUM,       /* checksum does not match */
    HS_ADDR_ERR_PREFIX,         /* valid bech32 with another prefix than the chain's */
    HS_ADDR_ERR_PADDING,        /* 5-to-8 bit conversion left invalid padding */
    HS_ADDR_ERR_NOT_NORMALIZED, /* valid but not in canonical (lower case) form */
    HS_ADDR_ERR_DATA_LENGTH,    /* canonical address empty or longer than 255 bytes */
    HS_ADDR_ERR_BUFFER          /* output buffer too small */
} hs_addr_result;

/* Static English text for a result, e.g. "invalid checksum"; never NULL. */
const char *hs_addr_strerror(hs_addr_result r);

/* --- Raw bech32 (BIP-173), 5-bit groups ------------------------------------------------------ */

/* Encode hrp (lower case, 1..83 chars of US-ASCII 33..126) and n 5-bit values into out
 * (NUL-terminated, capacity out_cap). HS_ADDR_OK, HS_ADDR_ERR_HRP, HS_ADDR_ERR_CHAR (a value
 * >= 32 or an upper-case hrp), HS_ADDR_ERR_LENGTH (over 90 chars), HS_ADDR_ERR_BUFFER. */
HS_ADDR_MUST_USE hs_addr_result hs_bech32_encode(const char *hrp, const uint8_t *data5, size_t n,
                                                 char *out, size_t out_cap);

/* Decode a bech32 string: on HS_ADDR_OK, hrp (capacity HS_BECH32_HRP_CAP) gets the lower-case
 * human-readable part and data5 (capacity data_cap, 90 is always enough) the 5-bit values
 * without the checksum, *n their count. Upper-case input is accepted (BIP-173) — see
 * hs_addr_validate() for the stricter rule. */
HS_ADDR_MUST_USE hs_addr_result hs_bech32_decode(const char *s, char *hrp, uint8_t *data5,
                                                 size_t data_cap, size_t *n);

/* --- Addresses ------------------------------------------------------------------------------- */

/* Human address of canonical bytes (1..255) under prefix; out capacity >= HS_ADDR_HUMAN_CAP is
 * always enough for 20- and 32-byte addresses. */
HS_ADDR_MUST_USE hs_addr_result hs_addr_humanize(const char *prefix, const uint8_t *canon,
                                                 size_t len, char *out, size_t out_cap);

/* Canonical bytes of a human address that must carry `prefix`; out capacity out_cap (>= 64 is
 * enough for anything of <= 90 characters), *len the byte count. Accepts all-upper-case input
 * (like Cosmos SDK AccAddressFromBech32); use hs_addr_validate() for contract-facing checks. */
HS_ADDR_MUST_USE hs_addr_result hs_addr_canonicalize(const char *prefix, const char *human,
                                                     uint8_t *out, size_t out_cap, size_t *len);

/* wasmd/cosmwasm addr_validate: canonicalize, then humanize must give back `human` exactly.
 * HS_ADDR_OK or the reason (HS_ADDR_ERR_NOT_NORMALIZED for upper-case input). */
hs_addr_result hs_addr_validate(const char *prefix, const char *human);

/* Script alias: bech32(prefix, sha256(name)[0..20]) into out (capacity >= HS_ADDR_HUMAN_CAP). */
HS_ADDR_MUST_USE hs_addr_result hs_addr_alias(const char *prefix, const char *name, char *out,
                                              size_t out_cap);

/* Cosmos SDK address.Module(module, key) with one derivation key: the 32-byte
 * sha256(sha256("module") ‖ module ‖ 0x00 ‖ key). */
void hs_addr_module(const char *module, const uint8_t *key, size_t klen, uint8_t out[32]);

/* wasmd BuildContractAddressClassic(code_id, instance_id): 32 canonical bytes. */
void hs_addr_contract_classic(uint64_t code_id, uint64_t instance_id, uint8_t out[32]);

#endif

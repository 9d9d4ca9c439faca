/* manifest_hash.c — the manifest's canonical serialisation (compact JSON, object keys sorted,
 * non-ASCII escaped) and its SHA-256, the "manifest hash" of deployment records: the same
 * document with keys reordered or whitespace changed gives the same hash. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest_internal.h"

void dep_manifest_hash(const json_t *doc, dep_manifest *m) {
    m->canonical = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (!m->canonical) {
        fputs("cdp-deploy: out of memory\n", stderr);
        abort();
    }
    if (sodium_init() < 0) abort();
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)m->canonical, strlen(m->canonical));
    sodium_bin2hex(m->hash_hex, sizeof m->hash_hex, h, sizeof h);
}

/* engine.c — wasm2c-based execution engine: translation, two-tier compilation, pooled fresh
 * instances and trap handling (API and contracts in engine.h).
 *
 * Design:
 * - Translation: `wasm2c -n m` runs as a subprocess in a temporary directory. The generated C
 *   is wrapped: a prelude (before it) redirects every wasm-rt runtime call (wasm_rt_trap,
 *   wasm_rt_allocate_memory, ...) through a table of host functions (hs_glue_rt), and an
 *   epilogue (after it) defines the module's `env` imports as forwarders to the host, one
 *   uniform trampoline per exported function, and hs_glue_bind(), the only entry point the
 *   host looks up. So compiled modules need nothing from libwasm-rt-impl and nothing from the
 *   host executable's symbol table: the same source works in libtcc memory and in a dlopen'd
 *   .so, and any number of them coexist.
 * - Memory checks are explicit (WASM_RT_MEMCHECK_SIGNAL_HANDLER=0): no SIGSEGV handler, so the
 *   engine coexists with sanitizers, debuggers and test runners, and a memory only needs
 *   max_memory_pages of address space. Memories come from a per-engine pool of 32 MiB
 *   reservations; freeing an instance returns its memory to the pool after
 *   madvise(MADV_DONTNEED) over the bytes it used, which makes the pages read as zero again.
 *   A fresh instance therefore costs the wasm2c instantiate (globals, data segments copied,
 *   table filled) plus the page faults of the pages it touches.
 * - Traps: wasm_rt_trap() becomes a longjmp to the innermost hs_frame of this thread;
 *   run_guarded() is the only setjmp. Host aborts (hs_instance_trap) and gas exhaustion from
 *   imports (hs_instance_charge_gas) use the same path with their own codes.
 * - Call depth: wasm2c's depth counter (per compiled module, restored on every trap) with a
 *   limit that is the same for both tiers; the prologue also compares the frame address with the
 *   calling thread's stack bottom plus a margin, so a small thread stack traps instead of
 *   crashing.
 * - Tiers: tcc (in process, ~0.1 s for a 300 KB contract) gives the first code; gcc -O2 runs
 *   in a background thread into <cache_dir>/<key>.so, and new instances use it once loaded.
 *   <key> is the SHA-256 of the wasm, the glue version and the compiler flags.
 * - Cold start of large modules (build_split): tier 1 from units translated and compiled in
 *   parallel (w2c_units.h): wasm2c on each unit at once, unit 0 in libtcc while the others run
 *   through the tcc command, linked in one TCCState. The glue's state (call depth, stack limit,
 *   runtime table) is defined in unit 0 and shared, so limits and traps are those of one unit.
 *   The units' output is stitched into the one-unit full.c for tier 2 (same text, same key).
 *   Any failure on that path falls back to the one-unit build. */
#define _GNU_SOURCE
#include "engine.h"
#include "errbuf.h"

#include "w2c_units.h"
#include "wasm_parse.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libtcc.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 0
#include <wasm-rt.h>

#define PAGE_BYTES 65536u
/* Bumped whenever the glue changes, so cached .so files from older glue are not reused. */
#define GLUE_VERSION "ballast-engine-glue-2"
/* Free memories kept in the pool beyond this are unmapped. */
#define POOL_KEEP 32

/* ------------------------------------------------------------------------------------------ */
/* Glue shared by the host and the generated code. The same text is compiled here and pasted
 * into every module's C source (HS_GLUE_TYPES is stringified), so the layouts always agree. */

#define HS_GLUE_TYPES                                                                              \
    typedef struct hs_glue_rt {                                                                    \
        void (*trap)(wasm_rt_trap_t code);                                                         \
        uint32_t (*register_func_type)(uint32_t params, uint32_t results, ...);                    \
        void (*allocate_memory)(wasm_rt_memory_t * mem, uint32_t initial, uint32_t max);           \
        uint32_t (*grow_memory)(wasm_rt_memory_t * mem, uint32_t delta);                           \
        void (*free_memory)(wasm_rt_memory_t * mem);                                               \
        void (*allocate_funcref_table)(wasm_rt_funcref_table_t * t, uint32_t n, uint32_t max);     \
        void (*free_funcref_table)(wasm_rt_funcref_table_t * t);                                   \
        uint32_t (*grow_funcref_table)(wasm_rt_funcref_table_t * t, uint32_t delta,                \
                                       wasm_rt_funcref_t init);                                    \
        void (*allocate_externref_table)(wasm_rt_externref_table_t * t, uint32_t n, uint32_t max); \
        void (*free_externref_table)(wasm_rt_externref_table_t * t);                               \
        uint32_t (*grow_externref_table)(wasm_rt_externref_table_t * t, uint32_t delta,            \
                                         wasm_rt_externref_t init);                                \
        uint64_t (*call_import)(void *env, uint32_t index, const uint64_t *args);                  \
    } hs_glue_rt;                                                                                  \
    typedef struct hs_glue_export {                                                                \
        const char *name;                                                                          \
        void (*call)(void *inst, const uint64_t *args, uint64_t *result);                          \
    } hs_glue_export;                                                                              \
    typedef struct hs_glue_info {                                                                  \
        size_t instance_size;                                                                      \
        void (*init_module)(void);                                                                 \
        void (*instantiate)(void *inst, void *env);                                                \
        void (*free)(void *inst);                                                                  \
        wasm_rt_memory_t *(*memory)(void *inst);                                                   \
        uint64_t *(*gas_left)(void *inst);                                                         \
        uint32_t *(*gas_exhausted)(void *inst);                                                    \
        const hs_glue_export *exports;                                                             \
        uint32_t num_exports;                                                                      \
        uint32_t *depth;                                                                           \
        uint32_t *max_depth;                                                                       \
        uintptr_t *stack_limit;                                                                    \
    } hs_glue_info;

HS_GLUE_TYPES

#define GLUE_STR_(...) #__VA_ARGS__
#define GLUE_STR(...) GLUE_STR_(__VA_ARGS__)

typedef void (*glue_bind_fn)(const hs_glue_rt *rt, hs_glue_info *info);

static const char glue_prelude_head[] =
    "/* Ballast host-sim engine glue (engine.c): runtime redirection for wasm2c output. */\n"
    "#define NDEBUG 1\n"
    "#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 0\n"
    "#define WASM_RT_USE_STACK_DEPTH_COUNT 1\n"
    "#define WASM_RT_MAX_CALL_STACK_DEPTH \\\n"
    "    ((uintptr_t)__builtin_frame_address(0) < hs_glue_stack_limit ? 0u : hs_glue_max_depth)\n"
    "#include <stddef.h>\n"
    "#include <stdint.h>\n"
    "#include <string.h>\n"
    "#include <wasm-rt.h>\n";

static const char glue_types_text[] = GLUE_STR(HS_GLUE_TYPES);

/* The glue's state: private to the module's C (one translation unit, as tier 2 compiles it),
 * or shared by the units of a split tier-1 compile (defined in unit 0, external in the others:
 * one call-depth counter for the whole module). */
static const char glue_state_static[] = "\nstatic const hs_glue_rt *hs_glue_rt_p;\n"
                                        "static uint32_t hs_glue_depth;\n"
                                        "static uint32_t hs_glue_max_depth = 1000;\n"
                                        "static uintptr_t hs_glue_stack_limit;\n";
static const char glue_state_global[] = "\nconst hs_glue_rt *hs_glue_rt_p;\n"
                                        "uint32_t hs_glue_depth;\n"
                                        "uint32_t hs_glue_max_depth = 1000;\n"
                                        "uintptr_t hs_glue_stack_limit;\n";
static const char glue_state_extern[] = "\nextern const hs_glue_rt *hs_glue_rt_p;\n"
                                        "extern uint32_t hs_glue_depth;\n"
                                        "extern uint32_t hs_glue_max_depth;\n"
                                        "extern uintptr_t hs_glue_stack_limit;\n";

static const char glue_prelude_tail[] =
    "#define wasm_rt_call_stack_depth hs_glue_depth\n"
    "#define wasm_rt_trap hs_glue_rt_p->trap\n"
    "#define wasm_rt_register_func_type hs_glue_rt_p->register_func_type\n"
    "#define wasm_rt_allocate_memory hs_glue_rt_p->allocate_memory\n"
    "#define wasm_rt_grow_memory hs_glue_rt_p->grow_memory\n"
    "#define wasm_rt_free_memory hs_glue_rt_p->free_memory\n"
    "#define wasm_rt_allocate_funcref_table hs_glue_rt_p->allocate_funcref_table\n"
    "#define wasm_rt_free_funcref_table hs_glue_rt_p->free_funcref_table\n"
    "#define wasm_rt_grow_funcref_table hs_glue_rt_p->grow_funcref_table\n"
    "#define wasm_rt_allocate_externref_table hs_glue_rt_p->allocate_externref_table\n"
    "#define wasm_rt_free_externref_table hs_glue_rt_p->free_externref_table\n"
    "#define wasm_rt_grow_externref_table hs_glue_rt_p->grow_externref_table\n"
    "#define wasm_rt_is_initialized() 1\n"
    "/* Dirty-page map: one byte per 4 KiB page, stored downwards just below the memory base\n"
    " * (byte -1 - page). Every guest write marks its pages; freeing an instance zeroes only "
    "those\n"
    " * pages. Addresses are bounds-checked before marking. */\n"
    "#define HS_GLUE_DIRTY(mem, addr, n) \\\n"
    "    ((mem)->data[-1 - (ptrdiff_t)((addr) >> 12)] = 1, \\\n"
    "     (mem)->data[-1 - (ptrdiff_t)(((addr) + (n)-1) >> 12)] = 1)\n"
    "static void hs_glue_dirty_range(wasm_rt_memory_t *mem, uint64_t d, uint64_t n) {\n"
    "  if (n) for (uint64_t p = d >> 12; p <= (d + n - 1) >> 12; p++) mem->data[-1 - (ptrdiff_t)p] "
    "= 1;\n"
    "}\n"
    "static float hs_glue_u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }\n"
    "static double hs_glue_u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }\n"
    "static uint64_t hs_glue_f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }\n"
    "static uint64_t hs_glue_d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }\n"
    "#ifdef __TINYC__\n"
    "/* tcc has no bit-counting builtins; wasm2c only calls them with x != 0. */\n"
    "static int hs_glue_clz(uint32_t x) { int n = 0; while (!(x & 0x80000000u)) { x <<= 1; "
    "n++; } return n; }\n"
    "static int hs_glue_clzll(uint64_t x) { int n = 0; while (!(x & 0x8000000000000000ull)) { "
    "x <<= 1; n++; } return n; }\n"
    "static int hs_glue_ctz(uint32_t x) { int n = 0; while (!(x & 1)) { x >>= 1; n++; } return "
    "n; }\n"
    "static int hs_glue_ctzll(uint64_t x) { int n = 0; while (!(x & 1)) { x >>= 1; n++; } "
    "return n; }\n"
    "static int hs_glue_popcount(uint32_t x) { int n = 0; while (x) { x &= x - 1; n++; } "
    "return n; }\n"
    "static int hs_glue_popcountll(uint64_t x) { int n = 0; while (x) { x &= x - 1; n++; } "
    "return n; }\n"
    "#define __builtin_clz hs_glue_clz\n"
    "#define __builtin_clzll hs_glue_clzll\n"
    "#define __builtin_ctz hs_glue_ctz\n"
    "#define __builtin_ctzll hs_glue_ctzll\n"
    "#define __builtin_popcount hs_glue_popcount\n"
    "#define __builtin_popcountll hs_glue_popcountll\n"
    "/* tcc does not inline memcpy: loads and stores of 1/2/4/8 bytes become plain moves. */\n"
    "#undef wasm_rt_memcpy\n"
    "#define wasm_rt_memcpy(d, s, n) \\\n"
    "    ((n) == 4 ? (void)(*(uint32_t *)(d) = *(const uint32_t *)(s)) \\\n"
    "   : (n) == 8 ? (void)(*(uint64_t *)(d) = *(const uint64_t *)(s)) \\\n"
    "   : (n) == 1 ? (void)(*(uint8_t *)(d) = *(const uint8_t *)(s)) \\\n"
    "   : (n) == 2 ? (void)(*(uint16_t *)(d) = *(const uint16_t *)(s)) \\\n"
    "   : (void)memcpy((d), (s), (n)))\n"
    "#define HS_GLUE_EXPORT\n"
    "#else\n"
    "#define HS_GLUE_EXPORT __attribute__((visibility(\"default\")))\n"
    "#endif\n"
    "/* --- wasm2c output follows --- */\n";

/* ------------------------------------------------------------------------------------------ */
/* Small utilities                                                                              */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A growable text buffer. Failures are sticky (failed = true). */
typedef struct text {
    char *data;
    size_t len, cap;
    bool failed;
} text;

static void text_put(text *t, const char *s, size_t n) {
    if (t->failed) return;
    if (n + 1 > t->cap - t->len) {
        size_t cap = t->cap ? t->cap : 4096;
        while (n + 1 > cap - t->len) cap *= 2;
        char *p = realloc(t->data, cap);
        if (!p) {
            t->failed = true;
            return;
        }
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void text_puts(text *t, const char *s) {
    text_put(t, s, strlen(s));
}

static void text_printf(text *t, const char *fmt, ...) HS_ENGINE_PRINTF(2, 3);
static void text_printf(text *t, const char *fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf) {
        t->failed = true;
        return;
    }
    text_put(t, buf, (size_t)n);
}

/* --- SHA-256 (FIPS 180-4), for module checksums and cache keys ---------------------------- */

typedef struct sha256_ctx {
    uint32_t h[8];
    uint8_t block[64];
    size_t used;
    uint64_t total;
} sha256_ctx;

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror32(uint32_t x, unsigned n) {
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(sha256_ctx *c, const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4], f = c->h[5],
             g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha256_k[i] + w[i];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = cc;
        cc = b;
        b = a;
        a = t1 + t2;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
    c->h[5] += f;
    c->h[6] += g;
    c->h[7] += h;
}

static void sha256_init(sha256_ctx *c) {
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->used = 0;
    c->total = 0;
}

static void sha256_update(sha256_ctx *c, const void *data, size_t n) {
    const uint8_t *p = data;
    c->total += n;
    while (n) {
        size_t take = 64 - c->used < n ? 64 - c->used : n;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        n -= take;
        if (c->used == 64) {
            sha256_block(c, c->block);
            c->used = 0;
        }
    }
}

static void sha256_final(sha256_ctx *c, uint8_t out[32]) {
    uint64_t bits = c->total * 8;
    uint8_t pad = 0x80;
    sha256_update(c, &pad, 1);
    pad = 0;
    while (c->used != 56) sha256_update(c, &pad, 1);
    uint8_t len[8];
    for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(c, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                        */

/* The env imports the host provides, in hs_host_imports order, with their wasm signatures:
 * params then ':' then result ('i' i32, 'I' i64). */
typedef enum import_id {
    IMP_DB_READ,
    IMP_DB_WRITE,
    IMP_DB_REMOVE,
    IMP_DB_SCAN,
    IMP_DB_NEXT,
    IMP_DB_NEXT_KEY,
    IMP_DB_NEXT_VALUE,
    IMP_ADDR_VALIDATE,
    IMP_ADDR_CANONICALIZE,
    IMP_ADDR_HUMANIZE,
    IMP_SECP256K1_VERIFY,
    IMP_SECP256K1_RECOVER_PUBKEY,
    IMP_SECP256R1_VERIFY,
    IMP_SECP256R1_RECOVER_PUBKEY,
    IMP_ED25519_VERIFY,
    IMP_ED25519_BATCH_VERIFY,
    IMP_BLS12_381_AGGREGATE_G1,
    IMP_BLS12_381_AGGREGATE_G2,
    IMP_BLS12_381_PAIRING_EQUALITY,
    IMP_BLS12_381_HASH_TO_G1,
    IMP_BLS12_381_HASH_TO_G2,
    IMP_DEBUG,
    IMP_ABORT,
    IMP_QUERY_CHAIN,
    IMP_COUNT
} import_id;

static const struct {
    const char *name;
    const char *sig;
} import_specs[IMP_COUNT] = {
    [IMP_DB_READ] = {"db_read", "i:i"},
    [IMP_DB_WRITE] = {"db_write", "ii:"},
    [IMP_DB_REMOVE] = {"db_remove", "i:"},
    [IMP_DB_SCAN] = {"db_scan", "iii:i"},
    [IMP_DB_NEXT] = {"db_next", "i:i"},
    [IMP_DB_NEXT_KEY] = {"db_next_key", "i:i"},
    [IMP_DB_NEXT_VALUE] = {"db_next_value", "i:i"},
    [IMP_ADDR_VALIDATE] = {"addr_validate", "i:i"},
    [IMP_ADDR_CANONICALIZE] = {"addr_canonicalize", "ii:i"},
    [IMP_ADDR_HUMANIZE] = {"addr_humanize", "ii:i"},
    [IMP_SECP256K1_VERIFY] = {"secp256k1_verify", "iii:i"},
    [IMP_SECP256K1_RECOVER_PUBKEY] = {"secp256k1_recover_pubkey", "iii:I"},
    [IMP_SECP256R1_VERIFY] = {"secp256r1_verify", "iii:i"},
    [IMP_SECP256R1_RECOVER_PUBKEY] = {"secp256r1_recover_pubkey", "iii:I"},
    [IMP_ED25519_VERIFY] = {"ed25519_verify", "iii:i"},
    [IMP_ED25519_BATCH_VERIFY] = {"ed25519_batch_verify", "iii:i"},
    [IMP_BLS12_381_AGGREGATE_G1] = {"bls12_381_aggregate_g1", "ii:i"},
    [IMP_BLS12_381_AGGREGATE_G2] = {"bls12_381_aggregate_g2", "ii:i"},
    [IMP_BLS12_381_PAIRING_EQUALITY] = {"bls12_381_pairing_equality", "iiii:i"},
    [IMP_BLS12_381_HASH_TO_G1] = {"bls12_381_hash_to_g1", "iiii:i"},
    [IMP_BLS12_381_HASH_TO_G2] = {"bls12_381_hash_to_g2", "iiii:i"},
    [IMP_DEBUG] = {"debug", "i:"},
    [IMP_ABORT] = {"abort", "i:"},
    [IMP_QUERY_CHAIN] = {"query_chain", "i:i"},
};

/* One compiled form of a module (tier 1 or tier 2). */
typedef struct hs_code {
    int tier;
    TCCState *tcc; /* tier 1 */
    void *dl;      /* tier 2 */
    hs_glue_info info;
    /* Serialises guest execution: the glue's depth counter and stack limit are per code. */
    pthread_mutex_t lock;
} hs_code;

typedef struct export_info {
    char *name;
    uint32_t num_params;
} export_info;

struct hs_module {
    hs_engine *eng;
    int refs; /* guarded by eng->lock */
    struct hs_module *next;
    uint8_t checksum[32];
    char key[65]; /* hex cache key */
    export_info *exports;
    uint32_t num_exports;
    uint8_t *import_ids; /* per imported function: import_id */
    uint32_t num_imports;
    bool metered;
    hs_code *tier1, *tier2;
    _Atomic(hs_code *) active;
    char *tmpdir; /* translation directory, removed when the background compile ends */
    hs_module_timings timings;
    /* Background tier-2 compile (see tier2_job). */
    struct tier2_job *job;
    pthread_mutex_t bg_lock;
    pthread_cond_t bg_cond;
    bool bg_done;
    hs_engine_result bg_rc;
    char bg_err[256];
};

/* A reserved linear memory. */
typedef struct hs_slot {
    uint8_t *base;
    size_t used; /* bytes that may be non-zero */
    struct hs_slot *next;
} hs_slot;

struct hs_engine {
    hs_engine_config cfg; /* strings owned */
    pthread_mutex_t lock; /* modules list, pool */
    hs_module *modules;
    hs_slot *free_slots;
    unsigned num_free_slots;
    size_t slot_bytes;  /* max_memory_pages * 64 KiB */
    size_t map_bytes;   /* dirty map below each memory: one byte per 4 KiB, page-rounded */
    bool own_cache_dir; /* cfg.cache_dir is a private temporary directory, removed on free */
};

struct hs_instance {
    hs_module *mod;
    hs_code *code;
    const hs_host_imports *imports;
    void *user;
    void *w2c; /* the wasm2c instance struct */
    wasm_rt_memory_t *mem;
    uint64_t *gas_left;
    uint32_t *gas_exhausted;
    hs_slot *slot;
    char err[256];
};

/* ------------------------------------------------------------------------------------------ */
/* Runtime for generated code (hs_glue_rt) and the one trap catcher                            */

/* Trap codes beyond wasm_rt_trap_t. */
enum { TRAP_OUT_OF_GAS = 100, TRAP_HOST, TRAP_NOMEM };

typedef struct hs_frame {
    jmp_buf jb;
    struct hs_frame *prev;
} hs_frame;

static _Thread_local hs_frame *tls_frame;        /* innermost guarded call */
static _Thread_local hs_instance *tls_mem_owner; /* instance being created or freed */
static _Thread_local uintptr_t tls_stack_limit;  /* lowest frame address allowed */

static HS_ENGINE_NORETURN void raise_trap(int code) {
    if (!tls_frame) {
        fprintf(stderr, "host-sim engine: trap %d outside a guarded call\n", code);
        abort();
    }
    longjmp(tls_frame->jb, code);
}

static void rt_trap(wasm_rt_trap_t code) {
    raise_trap((int)code);
}

/* Function types are compared by value across modules (as in wasm-rt-impl); ids start at 1. */
typedef struct func_type {
    uint32_t params, results;
    wasm_rt_type_t *types;
} func_type;
static pthread_mutex_t types_lock = PTHREAD_MUTEX_INITIALIZER;
static func_type *types;
static uint32_t num_types, cap_types;

static uint32_t rt_register_func_type(uint32_t params, uint32_t results, ...) {
    wasm_rt_type_t local[64];
    uint32_t n = params + results;
    wasm_rt_type_t *t = n <= 64 ? local : malloc(n * sizeof *t);
    if (!t) raise_trap(TRAP_NOMEM);
    va_list ap;
    va_start(ap, results);
    for (uint32_t i = 0; i < n; i++) t[i] = (wasm_rt_type_t)va_arg(ap, int);
    va_end(ap);
    pthread_mutex_lock(&types_lock);
    uint32_t id = 0;
    for (uint32_t i = 0; i < num_types && !id; i++)
        if (types[i].params == params && types[i].results == results &&
            (n == 0 || memcmp(types[i].types, t, n * sizeof *t) == 0))
            id = i + 1;
    if (!id && num_types == cap_types) {
        uint32_t cap = cap_types ? cap_types * 2 : 64;
        func_type *nt = realloc(types, cap * sizeof *nt);
        if (nt) {
            types = nt;
            cap_types = cap;
        }
    }
    if (!id && num_types < cap_types) {
        wasm_rt_type_t *copy = malloc(n ? n * sizeof *t : 1);
        if (copy) {
            if (n) memcpy(copy, t, n * sizeof *t);
            types[num_types] = (func_type){params, results, copy};
            id = ++num_types;
        }
    }
    pthread_mutex_unlock(&types_lock);
    if (t != local) free(t);
    if (!id) raise_trap(TRAP_NOMEM);
    return id;
}

static hs_slot *pool_get(hs_engine *eng) {
    pthread_mutex_lock(&eng->lock);
    hs_slot *s = eng->free_slots;
    if (s) {
        eng->free_slots = s->next;
        eng->num_free_slots--;
    }
    pthread_mutex_unlock(&eng->lock);
    if (s) return s;
    s = calloc(1, sizeof *s);
    if (!s) return NULL;
    /* [dirty map][memory]: the map sits just below the base (see the glue's HS_GLUE_DIRTY). */
    void *p = mmap(NULL, eng->map_bytes + eng->slot_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        free(s);
        return NULL;
    }
    s->base = (uint8_t *)p + eng->map_bytes;
    return s;
}

static void slot_unmap(hs_engine *eng, hs_slot *s) {
    munmap(s->base - eng->map_bytes, eng->map_bytes + eng->slot_bytes);
    free(s);
}

/* Zero every page the guest (or the host through hs_instance_write) wrote. Pages stay
 * resident: no page faults next time, and no TLB shootdown as madvise would cost. */
static void slot_reset(hs_slot *s) {
    const size_t pages = (s->used + 4095) / 4096;
    uint8_t *map_end = s->base; /* page p's flag is map_end[-1 - p] */
    size_t p = 0;
    while (p < pages) {
        /* Skip 8 clean flags at a time. */
        if (p + 8 <= pages) {
            uint64_t word;
            memcpy(&word, map_end - p - 8, 8);
            if (!word) {
                p += 8;
                continue;
            }
        }
        if (map_end[-1 - (ptrdiff_t)p]) {
            memset(s->base + p * 4096, 0, 4096);
            map_end[-1 - (ptrdiff_t)p] = 0;
        }
        p++;
    }
    s->used = 0;
}

static void pool_put(hs_engine *eng, hs_slot *s) {
    slot_reset(s);
    pthread_mutex_lock(&eng->lock);
    if (eng->num_free_slots < POOL_KEEP) {
        s->next = eng->free_slots;
        eng->free_slots = s;
        eng->num_free_slots++;
        s = NULL;
    }
    pthread_mutex_unlock(&eng->lock);
    if (s) slot_unmap(eng, s);
}

static void rt_allocate_memory(wasm_rt_memory_t *mem, uint32_t initial, uint32_t max) {
    hs_instance *inst = tls_mem_owner;
    hs_engine *eng = inst->mod->eng;
    uint32_t limit = eng->cfg.max_memory_pages < max ? eng->cfg.max_memory_pages : max;
    if (inst->slot || initial > limit) raise_trap(TRAP_NOMEM); /* rejected at load already */
    inst->slot = pool_get(eng);
    if (!inst->slot) raise_trap(TRAP_NOMEM);
    mem->data = inst->slot->base;
    mem->pages = initial;
    mem->max_pages = limit;
    mem->size = initial * PAGE_BYTES;
}

static uint32_t rt_grow_memory(wasm_rt_memory_t *mem, uint32_t delta) {
    uint32_t old = mem->pages;
    if (delta > mem->max_pages - old) return UINT32_MAX;
    mem->pages = old + delta;
    mem->size = mem->pages * PAGE_BYTES; /* the reservation is mapped and zero already */
    return old;
}

static void rt_free_memory(wasm_rt_memory_t *mem) {
    hs_instance *inst = tls_mem_owner;
    if (!inst || !inst->slot) return;
    inst->slot->used = mem->size; /* memories never shrink: this is the high-water mark */
    pool_put(inst->mod->eng, inst->slot);
    inst->slot = NULL;
    mem->data = NULL;
    mem->size = 0;
}

static void rt_allocate_funcref_table(wasm_rt_funcref_table_t *t, uint32_t n, uint32_t max) {
    t->data = n ? calloc(n, sizeof *t->data) : NULL;
    if (n && !t->data) raise_trap(TRAP_NOMEM);
    t->size = n;
    t->max_size = max;
}

static void rt_free_funcref_table(wasm_rt_funcref_table_t *t) {
    free(t->data);
    t->data = NULL;
    t->size = 0;
}

static uint32_t rt_grow_funcref_table(wasm_rt_funcref_table_t *t, uint32_t delta,
                                      wasm_rt_funcref_t init) {
    uint32_t old = t->size;
    if (delta > t->max_size - old || delta > 100000) return UINT32_MAX;
    if (delta == 0) return old;
    wasm_rt_funcref_t *p = realloc(t->data, (size_t)(old + delta) * sizeof *p);
    if (!p) return UINT32_MAX;
    for (uint32_t i = old; i < old + delta; i++) p[i] = init;
    t->data = p;
    t->size = old + delta;
    return old;
}

static void rt_allocate_externref_table(wasm_rt_externref_table_t *t, uint32_t n, uint32_t max) {
    t->data = n ? calloc(n, sizeof *t->data) : NULL;
    if (n && !t->data) raise_trap(TRAP_NOMEM);
    t->size = n;
    t->max_size = max;
}

static void rt_free_externref_table(wasm_rt_externref_table_t *t) {
    free(t->data);
    t->data = NULL;
    t->size = 0;
}

static uint32_t rt_grow_externref_table(wasm_rt_externref_table_t *t, uint32_t delta,
                                        wasm_rt_externref_t init) {
    uint32_t old = t->size;
    if (delta > t->max_size - old || delta > 100000) return UINT32_MAX;
    if (delta == 0) return old;
    wasm_rt_externref_t *p = realloc(t->data, (size_t)(old + delta) * sizeof *p);
    if (!p) return UINT32_MAX;
    for (uint32_t i = old; i < old + delta; i++) p[i] = init;
    t->data = p;
    t->size = old + delta;
    return old;
}

static HS_ENGINE_NORETURN void import_missing(hs_instance *inst, import_id id) {
    hs_instance_trap(inst, "env.%s is not available", import_specs[id].name);
}

#define NEED(field, id)                                                                            \
    if (!imp || !imp->field) import_missing(inst, id)

/* Dispatch of an `env` import called by guest code. */
static uint64_t rt_call_import(void *env, uint32_t index, const uint64_t *a) {
    hs_instance *inst = env;
    const hs_host_imports *imp = inst->imports;
    const import_id id = (import_id)inst->mod->import_ids[index];
    const uint32_t a0 = (uint32_t)a[0], a1 = (uint32_t)a[1], a2 = (uint32_t)a[2],
                   a3 = (uint32_t)a[3];
    switch (id) {
    case IMP_DB_READ:
        NEED(db_read, id);
        return imp->db_read(inst, a0);
    case IMP_DB_WRITE:
        NEED(db_write, id);
        imp->db_write(inst, a0, a1);
        return 0;
    case IMP_DB_REMOVE:
        NEED(db_remove, id);
        imp->db_remove(inst, a0);
        return 0;
    case IMP_DB_SCAN:
        NEED(db_scan, id);
        return imp->db_scan(inst, a0, a1, (int32_t)a2);
    case IMP_DB_NEXT:
        NEED(db_next, id);
        return imp->db_next(inst, a0);
    case IMP_DB_NEXT_KEY:
        NEED(db_next_key, id);
        return imp->db_next_key(inst, a0);
    case IMP_DB_NEXT_VALUE:
        NEED(db_next_value, id);
        return imp->db_next_value(inst, a0);
    case IMP_ADDR_VALIDATE:
        NEED(addr_validate, id);
        return imp->addr_validate(inst, a0);
    case IMP_ADDR_CANONICALIZE:
        NEED(addr_canonicalize, id);
        return imp->addr_canonicalize(inst, a0, a1);
    case IMP_ADDR_HUMANIZE:
        NEED(addr_humanize, id);
        return imp->addr_humanize(inst, a0, a1);
    case IMP_SECP256K1_VERIFY:
        NEED(secp256k1_verify, id);
        return imp->secp256k1_verify(inst, a0, a1, a2);
    case IMP_SECP256K1_RECOVER_PUBKEY:
        NEED(secp256k1_recover_pubkey, id);
        return imp->secp256k1_recover_pubkey(inst, a0, a1, a2);
    case IMP_SECP256R1_VERIFY:
        NEED(secp256r1_verify, id);
        return imp->secp256r1_verify(inst, a0, a1, a2);
    case IMP_SECP256R1_RECOVER_PUBKEY:
        NEED(secp256r1_recover_pubkey, id);
        return imp->secp256r1_recover_pubkey(inst, a0, a1, a2);
    case IMP_ED25519_VERIFY:
        NEED(ed25519_verify, id);
        return imp->ed25519_verify(inst, a0, a1, a2);
    case IMP_ED25519_BATCH_VERIFY:
        NEED(ed25519_batch_verify, id);
        return imp->ed25519_batch_verify(inst, a0, a1, a2);
    case IMP_BLS12_381_AGGREGATE_G1:
        NEED(bls12_381_aggregate_g1, id);
        return imp->bls12_381_aggregate_g1(inst, a0, a1);
    case IMP_BLS12_381_AGGREGATE_G2:
        NEED(bls12_381_aggregate_g2, id);
        return imp->bls12_381_aggregate_g2(inst, a0, a1);
    case IMP_BLS12_381_PAIRING_EQUALITY:
        NEED(bls12_381_pairing_equality, id);
        return imp->bls12_381_pairing_equality(inst, a0, a1, a2, a3);
    case IMP_BLS12_381_HASH_TO_G1:
        NEED(bls12_381_hash_to_g1, id);
        return imp->bls12_381_hash_to_g1(inst, a0, a1, a2, a3);
    case IMP_BLS12_381_HASH_TO_G2:
        NEED(bls12_381_hash_to_g2, id);
        return imp->bls12_381_hash_to_g2(inst, a0, a1, a2, a3);
    case IMP_DEBUG:
        NEED(debug, id);
        imp->debug(inst, a0);
        return 0;
    case IMP_ABORT:
        NEED(abort, id);
        imp->abort(inst, a0);
        return 0;
    case IMP_QUERY_CHAIN:
        NEED(query_chain, id);
        return imp->query_chain(inst, a0);
    case IMP_COUNT:
        break;
    }
    hs_instance_trap(inst, "unknown import %u", index);
}

#undef NEED

static const hs_glue_rt glue_rt = {
    .trap = rt_trap,
    .register_func_type = rt_register_func_type,
    .allocate_memory = rt_allocate_memory,
    .grow_memory = rt_grow_memory,
    .free_memory = rt_free_memory,
    .allocate_funcref_table = rt_allocate_funcref_table,
    .free_funcref_table = rt_free_funcref_table,
    .grow_funcref_table = rt_grow_funcref_table,
    .allocate_externref_table = rt_allocate_externref_table,
    .free_externref_table = rt_free_externref_table,
    .grow_externref_table = rt_grow_externref_table,
    .call_import = rt_call_import,
};

/* Lowest frame address guest code may use on this thread: stack bottom plus a margin for the
 * host code (imports) that runs on top of guest frames. */
static uintptr_t thread_stack_limit(void) {
    if (tls_stack_limit) return tls_stack_limit;
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) != 0) size = 0;
        pthread_attr_destroy(&attr);
    }
    if (!size) {
        /* Unknown stack: allow 1 MiB below the current frame. */
        uintptr_t here = (uintptr_t)__builtin_frame_address(0);
        tls_stack_limit = here > (1u << 20) ? here - (1u << 20) : 1;
        return tls_stack_limit;
    }
    size_t margin = size >= (4u << 20) ? (512u << 10) : size / 4;
    tls_stack_limit = (uintptr_t)addr + margin;
    return tls_stack_limit;
}

static const char *trap_message(int code) {
    switch (code) {
    case WASM_RT_TRAP_OOB:
        return "out of bounds memory or table access";
    case WASM_RT_TRAP_INT_OVERFLOW:
        return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO:
        return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION:
        return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE:
        return "unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT:
        return "indirect call: null, out of range or type mismatch";
    case WASM_RT_TRAP_EXHAUSTION:
        return "call stack exhausted";
    case TRAP_OUT_OF_GAS:
        return "out of gas";
    case TRAP_NOMEM:
        return "out of memory";
    default:
        return "unknown trap";
    }
}

/* The one place where traps are caught. Runs fn(ctx) with `inst`'s code locked; any trap
 * raised meanwhile (wasm2c, host abort, gas) lands here and becomes a result code with a
 * message in inst->err. */
static hs_engine_result run_guarded(hs_instance *inst, void (*fn)(void *), void *ctx) {
    hs_code *const code = inst->code;
    pthread_mutex_lock(&code->lock);
    const uint32_t saved_depth = *code->info.depth;
    *code->info.stack_limit = thread_stack_limit();
    *code->info.max_depth = inst->mod->eng->cfg.max_call_depth;
    hs_frame frame;
    frame.prev = tls_frame;
    int trap = setjmp(frame.jb);
    if (trap == 0) {
        tls_frame = &frame;
        fn(ctx);
    }
    tls_frame = frame.prev;
    *code->info.depth = saved_depth;
    pthread_mutex_unlock(&code->lock);
    if (trap == 0) return HS_ENGINE_OK;

    hs_engine_result rc;
    switch (trap) {
    case WASM_RT_TRAP_OOB:
        rc = HS_ENGINE_TRAP_OOB;
        break;
    case WASM_RT_TRAP_INT_OVERFLOW:
        rc = HS_ENGINE_TRAP_INT_OVERFLOW;
        break;
    case WASM_RT_TRAP_DIV_BY_ZERO:
        rc = HS_ENGINE_TRAP_DIV_BY_ZERO;
        break;
    case WASM_RT_TRAP_INVALID_CONVERSION:
        rc = HS_ENGINE_TRAP_INVALID_CONVERSION;
        break;
    case WASM_RT_TRAP_UNREACHABLE:
        rc = HS_ENGINE_TRAP_UNREACHABLE;
        break;
    case WASM_RT_TRAP_CALL_INDIRECT:
        rc = HS_ENGINE_TRAP_CALL_INDIRECT;
        break;
    case WASM_RT_TRAP_EXHAUSTION:
        rc = HS_ENGINE_TRAP_STACK_EXHAUSTED;
        break;
    case TRAP_OUT_OF_GAS:
        rc = HS_ENGINE_TRAP_OUT_OF_GAS;
        break;
    case TRAP_HOST:
        rc = HS_ENGINE_TRAP_HOST;
        break;
    case TRAP_NOMEM:
        rc = HS_ENGINE_ERR_NOMEM;
        break;
    default:
        rc = HS_ENGINE_TRAP_UNREACHABLE;
        break;
    }
    /* The injected out-of-gas function sets the flag before `unreachable`. */
    if (rc == HS_ENGINE_TRAP_UNREACHABLE && inst->gas_exhausted && *inst->gas_exhausted) {
        rc = HS_ENGINE_TRAP_OUT_OF_GAS;
        trap = TRAP_OUT_OF_GAS;
    }
    if (rc != HS_ENGINE_TRAP_HOST) {
        if (rc == HS_ENGINE_TRAP_STACK_EXHAUSTED)
            snprintf(inst->err, sizeof inst->err,
                     "call stack exhausted (depth limit %u or native stack)",
                     inst->mod->eng->cfg.max_call_depth);
        else
            snprintf(inst->err, sizeof inst->err, "%s", trap_message(trap));
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Module inspection and glue generation                                                        */

static bool name_eq(const hs_wasm_name *n, const char *s) {
    return n->len == strlen(s) && memcmp(n->str, s, n->len) == 0;
}

/* wasm2c 1.0.32's MangleName: "Z_" then each byte kept if [A-Za-y0-9_] (not 'Z'), else "Z%02X". */
static void put_mangled(text *t, const char *s, size_t n) {
    text_puts(t, "Z_");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if ((alnum && c != 'Z') || c == '_') {
            char ch = (char)c;
            text_put(t, &ch, 1);
        } else {
            text_printf(t, "Z%02X", c);
        }
    }
}

/* A C string literal for arbitrary bytes. */
static void put_c_string(text *t, const char *s, size_t n) {
    text_puts(t, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_') {
            char ch = (char)c;
            text_put(t, &ch, 1);
        } else {
            text_printf(t, "\\%03o", c);
        }
    }
    text_puts(t, "\"");
}

static const char *c_type(uint8_t valtype) {
    switch (valtype) {
    case HS_WASM_I32:
        return "u32";
    case HS_WASM_I64:
        return "u64";
    case HS_WASM_F32:
        return "f32";
    case HS_WASM_F64:
        return "f64";
    default:
        return NULL;
    }
}

/* Check the module's shape and record exports and imports in `mod`. */
static hs_engine_result inspect_module(hs_module *mod, const hs_wasm_module *m, char *err,
                                       size_t errlen) {
    const hs_engine_config *cfg = &mod->eng->cfg;
    if (m->num_imported_memories || m->num_imported_tables || m->num_imported_globals ||
        m->num_imported_tags) {
        hs_set_err(err, errlen, "only function imports are supported");
        return HS_ENGINE_ERR_MODULE;
    }
    if (m->num_memories > 1) {
        hs_set_err(err, errlen, "more than one memory (%u)", m->num_memories);
        return HS_ENGINE_ERR_MODULE;
    }
    if (m->num_memories == 1 && m->memories[0].min > cfg->max_memory_pages) {
        hs_set_err(err, errlen, "memory of %llu initial pages exceeds the limit of %u pages",
                   (unsigned long long)m->memories[0].min, cfg->max_memory_pages);
        return HS_ENGINE_ERR_MODULE;
    }
    if (m->num_memories == 1 && (m->memories[0].flags & ~1u)) {
        hs_set_err(err, errlen, "shared or 64-bit memories are not supported");
        return HS_ENGINE_ERR_MODULE;
    }
    mod->num_imports = m->num_imported_funcs;
    mod->import_ids = calloc(m->num_imported_funcs + 1, 1);
    if (!mod->import_ids) return HS_ENGINE_ERR_NOMEM;
    uint32_t fi = 0;
    for (uint32_t i = 0; i < m->num_imports; i++) {
        const hs_wasm_import *im = &m->imports[i];
        if (im->kind != HS_WASM_EXTERN_FUNC) continue;
        if (!name_eq(&im->module, "env")) {
            hs_set_err(err, errlen, "import from module \"%.*s\": only env is provided",
                       (int)(im->module.len > 64 ? 64 : im->module.len), im->module.str);
            return HS_ENGINE_ERR_MODULE;
        }
        int id = -1;
        for (int k = 0; k < IMP_COUNT; k++)
            if (name_eq(&im->field, import_specs[k].name)) id = k;
        if (id < 0) {
            hs_set_err(err, errlen, "import env.%.*s is not provided by the host",
                       (int)(im->field.len > 64 ? 64 : im->field.len), im->field.str);
            return HS_ENGINE_ERR_MODULE;
        }
        for (uint32_t j = 0; j < fi; j++)
            if (mod->import_ids[j] == id) {
                hs_set_err(err, errlen, "import env.%s appears twice", import_specs[id].name);
                return HS_ENGINE_ERR_MODULE;
            }
        const hs_wasm_functype *ft =
            im->desc.func_type < m->num_types ? &m->types[im->desc.func_type] : NULL;
        const char *sig = import_specs[id].sig;
        const char *colon = strchr(sig, ':');
        bool ok =
            ft && ft->num_params == (uint32_t)(colon - sig) && ft->num_results == strlen(colon + 1);
        for (uint32_t p = 0; ok && p < ft->num_params; p++)
            ok = ft->params[p] == (sig[p] == 'I' ? HS_WASM_I64 : HS_WASM_I32);
        if (ok && ft->num_results)
            ok = ft->results[0] == (colon[1] == 'I' ? HS_WASM_I64 : HS_WASM_I32);
        if (!ok) {
            hs_set_err(err, errlen, "import env.%s has the wrong signature (expected %s)",
                       import_specs[id].name, sig);
            return HS_ENGINE_ERR_MODULE;
        }
        mod->import_ids[fi++] = (uint8_t)id;
    }
    /* Exported functions. */
    mod->exports = calloc(m->num_exports + 1, sizeof *mod->exports);
    if (!mod->exports) return HS_ENGINE_ERR_NOMEM;
    bool has_left = false, has_exhausted = false;
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const hs_wasm_export *ex = &m->exports[i];
        if (ex->kind == HS_WASM_EXTERN_GLOBAL) {
            const hs_wasm_globaltype *gt = hs_wasm_global_type(m, ex->index);
            if (name_eq(&ex->name, "hs_gas_left") && gt && gt->valtype == HS_WASM_I64)
                has_left = true;
            if (name_eq(&ex->name, "hs_gas_exhausted") && gt && gt->valtype == HS_WASM_I32)
                has_exhausted = true;
        }
        if (ex->kind != HS_WASM_EXTERN_FUNC) continue;
        const hs_wasm_functype *ft = hs_wasm_func_type(m, ex->index);
        if (!ft) return HS_ENGINE_ERR_MODULE;
        if (ft->num_results > 1) {
            hs_set_err(err, errlen, "export %s returns %u values; at most 1 is supported",
                       ex->name.str, ft->num_results);
            return HS_ENGINE_ERR_MODULE;
        }
        for (uint32_t p = 0; p < ft->num_params + ft->num_results; p++) {
            uint8_t vt = p < ft->num_params ? ft->params[p] : ft->results[0];
            if (!c_type(vt)) {
                hs_set_err(err, errlen, "export %s uses value type %s", ex->name.str,
                           hs_wasm_valtype_name(vt));
                return HS_ENGINE_ERR_MODULE;
            }
        }
        export_info *e = &mod->exports[mod->num_exports++];
        e->name = strdup(ex->name.str);
        if (!e->name) return HS_ENGINE_ERR_NOMEM;
        e->num_params = ft->num_params;
    }
    mod->metered = has_left && has_exhausted;
    return HS_ENGINE_OK;
}

/* The epilogue appended to the wasm2c output: imports, trampolines, hs_glue_bind. */
static void gen_epilogue(text *t, const hs_wasm_module *m, bool metered, uint32_t units) {
    text_puts(t, "\n/* --- Ballast host-sim engine glue: imports, exports, bind --- */\n");
    /* Imports: forward to the host with the import's index. */
    uint32_t fi = 0;
    for (uint32_t i = 0; i < m->num_imports; i++) {
        const hs_wasm_import *im = &m->imports[i];
        if (im->kind != HS_WASM_EXTERN_FUNC) continue;
        const hs_wasm_functype *ft = &m->types[im->desc.func_type];
        text_puts(t, ft->num_results ? c_type(ft->results[0]) : "void");
        text_puts(t, " ");
        put_mangled(t, "env", 3);
        put_mangled(t, im->field.str, im->field.len);
        text_puts(t, "(struct Z_env_instance_t *env");
        for (uint32_t p = 0; p < ft->num_params; p++)
            text_printf(t, ", %s p%u", c_type(ft->params[p]), p);
        text_printf(t, ") {\n  uint64_t a[%u] = {0};\n", ft->num_params > 4 ? ft->num_params : 4);
        for (uint32_t p = 0; p < ft->num_params; p++) text_printf(t, "  a[%u] = p%u;\n", p, p);
        text_printf(t, "  %shs_glue_rt_p->call_import(env, %u, a);\n}\n",
                    ft->num_results ? (ft->results[0] == HS_WASM_I32 ? "return (u32)" : "return ")
                                    : "",
                    fi);
        fi++;
    }
    /* Exports: one uniform trampoline each. */
    uint32_t xi = 0;
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const hs_wasm_export *ex = &m->exports[i];
        if (ex->kind != HS_WASM_EXTERN_FUNC) continue;
        const hs_wasm_functype *ft = hs_wasm_func_type(m, ex->index);
        text_printf(t, "static void hs_glue_x%u(void *inst, const uint64_t *a, uint64_t *r) {\n  ",
                    xi);
        const char *close = ";\n";
        if (ft->num_results) {
            switch (ft->results[0]) {
            case HS_WASM_F32:
                text_puts(t, "r[0] = hs_glue_f2u(");
                close = ");\n";
                break;
            case HS_WASM_F64:
                text_puts(t, "r[0] = hs_glue_d2u(");
                close = ");\n";
                break;
            default:
                text_puts(t, "r[0] = (uint64_t)");
                break;
            }
        } else {
            text_puts(t, "(void)r; ");
        }
        text_puts(t, "Z_m"); /* wasm2c's export symbol: MangleName("m") MangleName(name) */
        put_mangled(t, ex->name.str, ex->name.len);
        text_puts(t, "((Z_m_instance_t *)inst");
        for (uint32_t p = 0; p < ft->num_params; p++) {
            switch (ft->params[p]) {
            case HS_WASM_I32:
                text_printf(t, ", (u32)a[%u]", p);
                break;
            case HS_WASM_I64:
                text_printf(t, ", (u64)a[%u]", p);
                break;
            case HS_WASM_F32:
                text_printf(t, ", hs_glue_u2f((uint32_t)a[%u])", p);
                break;
            default:
                text_printf(t, ", hs_glue_u2d(a[%u])", p);
                break;
            }
        }
        text_puts(t, ")");
        text_puts(t, close);
        text_puts(t, "  (void)a;\n}\n");
        xi++;
    }
    text_printf(t, "static const hs_glue_export hs_glue_exports[%u] = {\n", xi ? xi : 1);
    xi = 0;
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const hs_wasm_export *ex = &m->exports[i];
        if (ex->kind != HS_WASM_EXTERN_FUNC) continue;
        text_puts(t, "  {");
        put_c_string(t, ex->name.str, ex->name.len);
        text_printf(t, ", hs_glue_x%u},\n", xi++);
    }
    if (!xi) text_puts(t, "  {0, 0},\n");
    text_puts(t, "};\n");
    /* Lifecycle wrappers. */
    text_printf(t,
                "static void hs_glue_instantiate(void *i, void *env) {\n"
                "  %s;\n  (void)env;\n}\n"
                "static void hs_glue_free(void *i) { Z_m_free((Z_m_instance_t *)i); }\n",
                m->num_imported_funcs
                    ? "Z_m_instantiate((Z_m_instance_t *)i, (struct Z_env_instance_t *)env)"
                    : "Z_m_instantiate((Z_m_instance_t *)i)");
    const hs_wasm_export *mem_export = NULL;
    for (uint32_t i = 0; i < m->num_exports && !mem_export; i++)
        if (m->exports[i].kind == HS_WASM_EXTERN_MEMORY) mem_export = &m->exports[i];
    if (mem_export) {
        text_puts(t, "static wasm_rt_memory_t *hs_glue_memory(void *i) { return Z_m");
        put_mangled(t, mem_export->name.str, mem_export->name.len);
        text_puts(t, "((Z_m_instance_t *)i); }\n");
    }
    /* A split module: every unit registers its function types (each has its own table). */
    if (units > 1) {
        for (uint32_t k = 1; k < units; k++) text_printf(t, "void Z_m%u_init_module(void);\n", k);
        text_puts(t, "static void hs_glue_init_units(void) {\n  Z_m_init_module();\n");
        for (uint32_t k = 1; k < units; k++) text_printf(t, "  Z_m%u_init_module();\n", k);
        text_puts(t, "}\n");
    }
    if (metered)
        text_puts(t, "static uint64_t *hs_glue_gas_left(void *i) {\n"
                     "  return Z_mZ_hs_gas_left((Z_m_instance_t *)i);\n}\n"
                     "static uint32_t *hs_glue_gas_exhausted(void *i) {\n"
                     "  return Z_mZ_hs_gas_exhausted((Z_m_instance_t *)i);\n}\n");
    text_printf(t,
                "HS_GLUE_EXPORT void hs_glue_bind(const hs_glue_rt *rt, hs_glue_info *info) {\n"
                "  hs_glue_rt_p = rt;\n"
                "  info->instance_size = sizeof(Z_m_instance_t);\n"
                "  info->init_module = %s;\n"
                "  info->instantiate = hs_glue_instantiate;\n"
                "  info->free = hs_glue_free;\n"
                "  info->memory = %s;\n"
                "  info->gas_left = %s;\n"
                "  info->gas_exhausted = %s;\n"
                "  info->exports = hs_glue_exports;\n"
                "  info->num_exports = %u;\n"
                "  info->depth = &hs_glue_depth;\n"
                "  info->max_depth = &hs_glue_max_depth;\n"
                "  info->stack_limit = &hs_glue_stack_limit;\n"
                "}\n",
                units > 1 ? "hs_glue_init_units" : "Z_m_init_module",
                mem_export ? "hs_glue_memory" : "0", metered ? "hs_glue_gas_left" : "0",
                metered ? "hs_glue_gas_exhausted" : "0", xi);
}

/* ------------------------------------------------------------------------------------------ */
/* Files and subprocesses                                                                      */

static bool write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static bool make_dirs(const char *path) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return false;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return false;
        *p = '/';
    }
    return mkdir(buf, 0755) == 0 || errno == EEXIST;
}

/* First line of a log file mentioning "error" (or its first line), for messages. */
static void log_summary(const char *log_path, char *out, size_t outlen) {
    size_t len = 0;
    char *log = read_file(log_path, &len);
    if (!log || !len) {
        snprintf(out, outlen, "no output");
        free(log);
        return;
    }
    char *line = strstr(log, "error");
    if (line)
        while (line > log && line[-1] != '\n') line--;
    else
        line = log;
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    snprintf(out, outlen, "%s", line);
    free(log);
}

extern char **environ;

/* Start argv with stdout and stderr into log_path; returns its pid, or -1. */
static pid_t spawn_command(char *const argv[], const char *log_path) {
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0) return -1;
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

/* Wait for a spawned command; its exit status, or -1. */
static int wait_command(pid_t pid) {
    if (pid < 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Run argv with stdout and stderr into log_path; returns the exit status (-1 if it could not
 * run). */
static int run_command(char *const argv[], const char *log_path) {
    return wait_command(spawn_command(argv, log_path));
}

/* ------------------------------------------------------------------------------------------ */
/* Compilation                                                                                  */

static pthread_mutex_t tcc_lock = PTHREAD_MUTEX_INITIALIZER; /* libtcc 0.9.27 is not reentrant */

/* Math and libc functions the generated code may call, resolved explicitly for tcc (so the
 * host need not export them dynamically). glibc's isnan() falls back to __isnan under tcc. */
static int hs_isnan_d(double x) {
    return isnan(x);
}
static int hs_isnan_f(float x) {
    return isnan(x);
}

static const struct {
    const char *name;
    void *addr;
} tcc_symbols[] = {
    {"__isnan", (void *)hs_isnan_d},  {"__isnanf", (void *)hs_isnan_f},
    {"ceil", (void *)ceil},           {"ceilf", (void *)ceilf},
    {"floor", (void *)floor},         {"floorf", (void *)floorf},
    {"trunc", (void *)trunc},         {"truncf", (void *)truncf},
    {"nearbyint", (void *)nearbyint}, {"nearbyintf", (void *)nearbyintf},
    {"sqrt", (void *)sqrt},           {"sqrtf", (void *)sqrtf},
    {"fabs", (void *)fabs},           {"fabsf", (void *)fabsf},
    {"copysign", (void *)copysign},   {"copysignf", (void *)copysignf},
    {"fmin", (void *)fmin},           {"fminf", (void *)fminf},
    {"fmax", (void *)fmax},           {"fmaxf", (void *)fmaxf},
    {"memcpy", (void *)memcpy},       {"memmove", (void *)memmove},
    {"memset", (void *)memset},       {"memcmp", (void *)memcmp},
};

typedef struct tcc_errors {
    char msg[256];
} tcc_errors;

static void tcc_error_cb(void *opaque, const char *msg) {
    tcc_errors *e = opaque;
    if (!e->msg[0] && !strstr(msg, "warning")) snprintf(e->msg, sizeof e->msg, "%s", msg);
}

static hs_code *code_new(int tier) {
    hs_code *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->tier = tier;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&c->lock, &a);
    pthread_mutexattr_destroy(&a);
    return c;
}

static void code_free(hs_code *c) {
    if (!c) return;
    if (c->tcc) {
        pthread_mutex_lock(&tcc_lock);
        tcc_delete(c->tcc);
        pthread_mutex_unlock(&tcc_lock);
    }
    if (c->dl) dlclose(c->dl);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Bind a compiled module to the runtime and check it matches the inspected exports. */
static hs_engine_result code_bind(hs_module *mod, hs_code *c, glue_bind_fn bind, char *err,
                                  size_t errlen) {
    if (!bind) {
        hs_set_err(err, errlen, "compiled module has no hs_glue_bind");
        return HS_ENGINE_ERR_COMPILE;
    }
    bind(&glue_rt, &c->info);
    if (c->info.num_exports != mod->num_exports) {
        hs_set_err(err, errlen, "compiled module has %u exports, expected %u", c->info.num_exports,
                   mod->num_exports);
        return HS_ENGINE_ERR_COMPILE;
    }
    if (mod->metered != (c->info.gas_left != NULL)) {
        hs_set_err(err, errlen, "compiled module disagrees on metering");
        return HS_ENGINE_ERR_COMPILE;
    }
    /* init_module registers function types; it cannot trap except on allocation failure. */
    hs_frame frame;
    frame.prev = tls_frame;
    if (setjmp(frame.jb) == 0) {
        tls_frame = &frame;
        c->info.init_module();
        tls_frame = frame.prev;
        return HS_ENGINE_OK;
    }
    tls_frame = frame.prev;
    hs_set_err(err, errlen, "out of memory registering function types");
    return HS_ENGINE_ERR_NOMEM;
}

/* Compile `source` with libtcc in memory, call before_link (if any: it may add the object files
 * of the module's other units) and link, then bind the result. */
static hs_engine_result compile_tcc(hs_module *mod, const char *source, const char *incdir,
                                    bool (*before_link)(void *ctx, TCCState *s), void *ctx,
                                    hs_code **out, char *err, size_t errlen) {
    hs_code *c = code_new(1);
    if (!c) return HS_ENGINE_ERR_NOMEM;
    tcc_errors errors = {{0}};
    hs_engine_result rc = HS_ENGINE_OK;
    glue_bind_fn bind = NULL;
    pthread_mutex_lock(&tcc_lock);
    c->tcc = tcc_new();
    if (!c->tcc) {
        pthread_mutex_unlock(&tcc_lock);
        code_free(c);
        return HS_ENGINE_ERR_NOMEM;
    }
    tcc_set_error_func(c->tcc, &errors, tcc_error_cb);
    tcc_set_options(c->tcc, "-w");
    tcc_set_output_type(c->tcc, TCC_OUTPUT_MEMORY);
    tcc_add_include_path(c->tcc, incdir);
    for (size_t i = 0; i < sizeof tcc_symbols / sizeof tcc_symbols[0]; i++)
        tcc_add_symbol(c->tcc, tcc_symbols[i].name, tcc_symbols[i].addr);
    bool ok = tcc_compile_string(c->tcc, source) >= 0;
    if (before_link && !before_link(ctx, c->tcc)) ok = false;
    if (!ok || tcc_relocate(c->tcc, TCC_RELOCATE_AUTO) < 0) {
        hs_set_err(err, errlen, "tcc: %s", errors.msg[0] ? errors.msg : "compile failed");
        rc = HS_ENGINE_ERR_COMPILE;
    } else {
        void *sym = tcc_get_symbol(c->tcc, "hs_glue_bind");
        memcpy(&bind, &sym, sizeof bind);
    }
    pthread_mutex_unlock(&tcc_lock);
    if (rc == HS_ENGINE_OK) rc = code_bind(mod, c, bind, err, errlen);
    if (rc != HS_ENGINE_OK) {
        code_free(c);
        return rc;
    }
    *out = c;
    return HS_ENGINE_OK;
}

static hs_engine_result load_so(hs_module *mod, const char *path, hs_code **out, char *err,
                                size_t errlen) {
    hs_code *c = code_new(2);
    if (!c) return HS_ENGINE_ERR_NOMEM;
    double t0 = now_seconds();
    c->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!c->dl) {
        hs_set_err(err, errlen, "dlopen %s: %s", path, dlerror());
        code_free(c);
        return HS_ENGINE_ERR_COMPILE;
    }
    void *sym = dlsym(c->dl, "hs_glue_bind");
    glue_bind_fn bind;
    memcpy(&bind, &sym, sizeof bind);
    hs_engine_result rc = code_bind(mod, c, bind, err, errlen);
    if (rc != HS_ENGINE_OK) {
        code_free(c);
        return rc;
    }
    mod->timings.load2 = now_seconds() - t0;
    *out = c;
    return HS_ENGINE_OK;
}

/* Path of the cached shared object for `mod`. */
static void so_path(const hs_module *mod, char *buf, size_t len) {
    snprintf(buf, len, "%s/%s.so", mod->eng->cfg.cache_dir, mod->key);
}

/* A tier-2 compile. It outlives its module if needed: when the module is freed first, the job
 * is "orphaned", finishes for the cache only, and frees itself. Everything on disk is handled
 * by the compile's shell (tier2_script), which also survives this process: so a compile still
 * running when the process exits completes the cache entry and removes its directory. */
typedef struct tier2_job {
    pthread_mutex_t lock;
    bool orphaned; /* module freed; do not touch mod */
    bool finished; /* the thread no longer needs mod */
    hs_module *mod;
    pthread_t thread;
    bool has_thread;
    char *tmpdir; /* translation directory: the script removes it */
    char so[4096];
    char log[4200];
    pid_t child; /* the compile script, started by start_tier2 */
} tier2_job;

/* The compile, as a shell script run with: dir out final key_lock log cc args...
 * - <final>.lock (flock) makes it one compile per cache entry across processes: others wait,
 *   then find <final> and compile nothing;
 * - <cache>/.gcc.lock runs one gcc at a time per cache directory (tier 1 keeps running
 *   meanwhile, and these machines have few cores);
 * - the output appears atomically (mv), the translation directory is always removed and the
 *   log is kept only on failure. */
static const char tier2_script[] = "dir=$1; out=$2; final=$3; lock=$4; log=$5; shift 5\n"
                                   "exec 9>\"$lock\"; flock 9\n"
                                   "st=0\n"
                                   "if [ ! -e \"$final\" ]; then\n"
                                   "  exec 8>\"${final%/*}/.gcc.lock\"; flock 8\n"
                                   "  \"$@\" >\"$log\" 2>&1 && mv -f \"$out\" \"$final\"; st=$?\n"
                                   "  rm -f \"$out\"\n"
                                   "fi\n"
                                   "rm -rf \"$dir\"\n"
                                   "[ $st = 0 ] && rm -f \"$log\"\n"
                                   "exit $st\n";

static void job_free(tier2_job *job) {
    free(job->tmpdir);
    pthread_mutex_destroy(&job->lock);
    free(job);
}

/* Start the compile of tmpdir/full.c into job->so (see tier2_script). The script runs on its
 * own from here: it finishes even if this process exits. */
static bool job_spawn(tier2_job *job, const hs_engine_config *cfg) {
    char src[4200], tmp_so[4200], inc[4200], lock[4200];
    snprintf(src, sizeof src, "%s/full.c", job->tmpdir);
    snprintf(tmp_so, sizeof tmp_so, "%s.%ld.tmp", job->so, (long)getpid());
    snprintf(inc, sizeof inc, "-I%s", job->tmpdir);
    snprintf(job->log, sizeof job->log, "%s.%ld.log", job->so, (long)getpid());
    snprintf(lock, sizeof lock, "%s.lock", job->so);
    char *argv[] = {"/bin/sh",
                    "-c",
                    (char *)tier2_script,
                    "sh",
                    job->tmpdir,
                    tmp_so,
                    job->so,
                    lock,
                    job->log,
                    (char *)cfg->cc,
                    (char *)cfg->cc_opt,
                    "-std=gnu11",
                    "-w",
                    "-fPIC",
                    "-shared",
                    "-fvisibility=hidden",
                    "-fno-strict-aliasing",
                    inc,
                    "-o",
                    tmp_so,
                    src,
                    "-lm",
                    NULL};
    job->child = spawn_command(argv, "/dev/null");
    return job->child > 0;
}

/* Wait for the compile script; on failure the message comes from its log. */
static hs_engine_result job_compile(tier2_job *job, char *err, size_t errlen) {
    int status = wait_command(job->child);
    if (status != 0) {
        char summary[200];
        log_summary(job->log, summary, sizeof summary);
        unlink(job->log);
        hs_set_err(err, errlen, "tier-2 compile failed (status %d): %s", status, summary);
        return HS_ENGINE_ERR_COMPILE;
    }
    return HS_ENGINE_OK;
}

/* Compile, then (unless orphaned) load the result into the module and make it active. */
static hs_engine_result job_run(tier2_job *job, char *err, size_t errlen) {
    double t0 = now_seconds();
    hs_engine_result rc = job_compile(job, err, errlen);
    double elapsed = now_seconds() - t0;
    pthread_mutex_lock(&job->lock);
    if (!job->orphaned) {
        hs_module *mod = job->mod;
        mod->timings.tier2 = elapsed;
        hs_code *c = NULL;
        if (rc == HS_ENGINE_OK) rc = load_so(mod, job->so, &c, err, errlen);
        if (rc == HS_ENGINE_OK) {
            mod->tier2 = c;
            atomic_store(&mod->active, c);
        }
        pthread_mutex_lock(&mod->bg_lock);
        mod->bg_rc = rc;
        snprintf(mod->bg_err, sizeof mod->bg_err, "%s", rc ? err : "");
        mod->bg_done = true;
        pthread_cond_broadcast(&mod->bg_cond);
        pthread_mutex_unlock(&mod->bg_lock);
    }
    pthread_mutex_unlock(&job->lock);
    return rc;
}

static void *job_main(void *arg) {
    tier2_job *job = arg;
    char err[256] = "";
    (void)job_run(job, err, sizeof err);
    pthread_mutex_lock(&job->lock);
    job->finished = true;
    bool orphaned = job->orphaned;
    pthread_mutex_unlock(&job->lock);
    if (orphaned) job_free(job); /* nobody joins an orphaned job's thread */
    return NULL;
}

/* Take over mod->tmpdir and prepare a job; `background` starts its thread. */
static hs_engine_result start_tier2(hs_module *mod, bool background, char *err, size_t errlen) {
    hs_engine *eng = mod->eng;
    if (!make_dirs(eng->cfg.cache_dir)) {
        hs_set_err(err, errlen, "cannot create cache directory %s: %s", eng->cfg.cache_dir,
                   strerror(errno));
        return HS_ENGINE_ERR_IO;
    }
    tier2_job *job = calloc(1, sizeof *job);
    if (!job) return HS_ENGINE_ERR_NOMEM;
    pthread_mutex_init(&job->lock, NULL);
    job->mod = mod;
    so_path(mod, job->so, sizeof job->so);
    job->tmpdir = mod->tmpdir; /* from now on the script removes the translation directory */
    mod->tmpdir = NULL;
    if (!job_spawn(job, &eng->cfg)) {
        remove_tree(job->tmpdir);
        job_free(job);
        hs_set_err(err, errlen, "cannot run /bin/sh for the tier-2 compile");
        return HS_ENGINE_ERR_IO;
    }
    if (!background) {
        hs_engine_result rc = job_run(job, err, errlen);
        job->finished = true;
        mod->job = job;
        return rc;
    }
    mod->job = job;
    job->has_thread = true;
    if (pthread_create(&job->thread, NULL, job_main, job) != 0) {
        /* The compile still fills the cache; this process just will not load it. */
        job->has_thread = false;
        mod->job = NULL;
        pthread_mutex_destroy(&job->lock);
        free(job->tmpdir);
        free(job); /* the child is reaped by nobody: it becomes a zombie until exit */
        hs_set_err(err, errlen, "cannot start the tier-2 thread");
        return HS_ENGINE_ERR_IO;
    }
    return HS_ENGINE_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Engine                                                                                       */

const char *hs_engine_strerror(hs_engine_result r) {
    switch (r) {
    case HS_ENGINE_OK:
        return "ok";
    case HS_ENGINE_ERR_NOMEM:
        return "out of memory";
    case HS_ENGINE_ERR_IO:
        return "i/o error";
    case HS_ENGINE_ERR_MODULE:
        return "unsupported module";
    case HS_ENGINE_ERR_TRANSLATE:
        return "wasm2c translation failed";
    case HS_ENGINE_ERR_COMPILE:
        return "compilation failed";
    case HS_ENGINE_ERR_NO_EXPORT:
        return "no such export";
    case HS_ENGINE_ERR_SIGNATURE:
        return "wrong number of arguments";
    case HS_ENGINE_ERR_BUSY:
        return "tier 2 not available";
    case HS_ENGINE_TRAP_UNREACHABLE:
        return "unreachable executed";
    case HS_ENGINE_TRAP_OOB:
        return "out of bounds memory access";
    case HS_ENGINE_TRAP_INT_OVERFLOW:
        return "integer overflow";
    case HS_ENGINE_TRAP_DIV_BY_ZERO:
        return "integer divide by zero";
    case HS_ENGINE_TRAP_INVALID_CONVERSION:
        return "invalid conversion to integer";
    case HS_ENGINE_TRAP_CALL_INDIRECT:
        return "invalid indirect call";
    case HS_ENGINE_TRAP_STACK_EXHAUSTED:
        return "call stack exhausted";
    case HS_ENGINE_TRAP_OUT_OF_GAS:
        return "out of gas";
    case HS_ENGINE_TRAP_HOST:
        return "aborted by host";
    }
    return "unknown error";
}

void hs_engine_config_default(hs_engine_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->cache_dir = "build/cache";
    cfg->tiers = HS_TIERS_BOTH;
    cfg->wasm2c = "wasm2c";
    cfg->cc = "gcc";
    cfg->cc_opt = "-O2";
    cfg->tcc = "tcc";
    cfg->tier1_units = 0;
    cfg->max_memory_pages = 512;
    cfg->max_call_depth = 5000;
}

void hs_engine_free(hs_engine *eng) {
    if (!eng) return;
    while (eng->free_slots) {
        hs_slot *s = eng->free_slots;
        eng->free_slots = s->next;
        slot_unmap(eng, s);
    }
    if (eng->own_cache_dir && eng->cfg.cache_dir) remove_tree(eng->cfg.cache_dir);
    free((char *)eng->cfg.cache_dir);
    free((char *)eng->cfg.wasm2c);
    free((char *)eng->cfg.cc);
    free((char *)eng->cfg.cc_opt);
    free((char *)eng->cfg.tcc);
    pthread_mutex_destroy(&eng->lock);
    free(eng);
}

hs_engine_result hs_engine_new(const hs_engine_config *cfg, hs_engine **out, char *err,
                               size_t errlen) {
    *out = NULL;
    hs_engine_config def;
    hs_engine_config_default(&def);
    if (!cfg) cfg = &def;
    if (cfg->max_memory_pages == 0 || cfg->max_memory_pages > 65536 || cfg->max_call_depth == 0) {
        hs_set_err(err, errlen, "invalid engine limits");
        return HS_ENGINE_ERR_MODULE;
    }
    hs_engine *eng = calloc(1, sizeof *eng);
    if (!eng) return HS_ENGINE_ERR_NOMEM;
    eng->cfg = *cfg;
    if (cfg->cache_dir) {
        eng->cfg.cache_dir = strdup(cfg->cache_dir);
    } else {
        /* No cache wanted: tier-2 objects go to a private directory removed on free. */
        const char *tmp = getenv("TMPDIR");
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/hs-cache-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        eng->cfg.cache_dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
        eng->own_cache_dir = eng->cfg.cache_dir != NULL;
    }
    eng->cfg.wasm2c = strdup(cfg->wasm2c ? cfg->wasm2c : def.wasm2c);
    eng->cfg.cc = strdup(cfg->cc ? cfg->cc : def.cc);
    eng->cfg.cc_opt = strdup(cfg->cc_opt ? cfg->cc_opt : def.cc_opt);
    eng->cfg.tcc = strdup(cfg->tcc ? cfg->tcc : def.tcc);
    pthread_mutex_init(&eng->lock, NULL);
    eng->slot_bytes = (size_t)eng->cfg.max_memory_pages * PAGE_BYTES;
    eng->map_bytes =
        ((size_t)eng->cfg.max_memory_pages * (PAGE_BYTES / 4096) + 4095) & ~(size_t)4095;
    if (!eng->cfg.cache_dir || !eng->cfg.wasm2c || !eng->cfg.cc || !eng->cfg.cc_opt ||
        !eng->cfg.tcc) {
        hs_engine_free(eng);
        return HS_ENGINE_ERR_NOMEM;
    }
    *out = eng;
    return HS_ENGINE_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Modules                                                                                      */

static void module_destroy(hs_module *mod) {
    tier2_job *job = mod->job;
    if (job) {
        pthread_mutex_lock(&job->lock);
        bool finished = job->finished;
        if (!finished) job->orphaned = true; /* it completes the cache entry on its own */
        pthread_mutex_unlock(&job->lock);
        if (finished) {
            if (job->has_thread) pthread_join(job->thread, NULL);
            job_free(job);
        } else {
            pthread_detach(job->thread);
        }
    }
    code_free(mod->tier1);
    code_free(mod->tier2);
    if (mod->tmpdir) {
        remove_tree(mod->tmpdir);
        free(mod->tmpdir);
    }
    for (uint32_t i = 0; i < mod->num_exports; i++) free(mod->exports[i].name);
    free(mod->exports);
    free(mod->import_ids);
    pthread_mutex_destroy(&mod->bg_lock);
    pthread_cond_destroy(&mod->bg_cond);
    free(mod);
}

void hs_module_free(hs_module *mod) {
    if (!mod) return;
    hs_engine *eng = mod->eng;
    pthread_mutex_lock(&eng->lock);
    bool last = --mod->refs == 0;
    if (last)
        for (hs_module **p = &eng->modules; *p; p = &(*p)->next)
            if (*p == mod) {
                *p = mod->next;
                break;
            }
    pthread_mutex_unlock(&eng->lock);
    if (last) module_destroy(mod);
}

static void hex(const uint8_t *in, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Edits to wasm2c 1.0.32 output so that every write to linear memory marks the dirty map
 * (stores, memory.fill/copy/init, data segments). Each must match exactly once. */
static const struct {
    const char *find, *replace;
} w2c_patches[] = {
    {"wasm_rt_memcpy(&mem->data[addr], &wrapped, sizeof(t1));",
     "HS_GLUE_DIRTY(mem, addr, sizeof(t1)); wasm_rt_memcpy(&mem->data[addr], &wrapped, "
     "sizeof(t1));"},
    {"  memset(mem->data + d, val, n);",
     "  hs_glue_dirty_range(mem, d, n);\n  memset(mem->data + d, val, n);"},
    {"  memmove(dest->data + dest_addr, src->data + src_addr, n);",
     "  hs_glue_dirty_range(dest, dest_addr, n);\n"
     "  memmove(dest->data + dest_addr, src->data + src_addr, n);"},
    {"    load_data(&(m.data[o]), i, s); \\",
     "    hs_glue_dirty_range(&(m), o, s); load_data(&(m.data[o]), i, s); \\"},
};

/* The injected charge function (gas_inject.h) as wasm2c writes it, and what replaces it: the
 * same semantics (check, then subtract; on failure left = 0, exhausted = 1, trap "unreachable")
 * as a macro, with no call-depth accounting, and a charge function gcc inlines. %s is the
 * module's instance type (Z_m_instance_t; Z_m1_instance_t... in the units of a split compile). */
static const char charge_head_fmt[] = "static void w2c_hs_gas_charge(%s* instance, u64 w2c_p0) {\n";
static const char charge_inline_fmt[] =
    "#define HS_GAS_CHARGE(inst, cost) do { \\\n"
    "    if (UNLIKELY((inst)->w2c_hs_gas_left < (cost))) { \\\n"
    "      (inst)->w2c_hs_gas_left = 0; \\\n"
    "      (inst)->w2c_hs_gas_exhausted = 1; \\\n"
    "      TRAP(UNREACHABLE); \\\n"
    "    } \\\n"
    "    (inst)->w2c_hs_gas_left -= (cost); \\\n"
    "  } while (0)\n"
    "static inline __attribute__((always_inline)) void w2c_hs_gas_charge(%s* instance,"
    " u64 cost) {\n"
    "  HS_GAS_CHARGE(instance, cost);\n"
    "}\n";
/* A tick function (gas_inject.h: i64.const cost; call $charge) as wasm2c writes it, in three
 * pieces around its name and its cost, and what replaces it: the check itself, with the cost
 * as a constant, so a metered block costs one call in tcc code and none in gcc code. */
static const char tick_mid_fmt[] = "(%s* instance) {\n  FUNC_PROLOGUE;\n  u64 w2c_j0;\n  w2c_j0 = ";
static const char tick_tail[] =
    "ull;\n  w2c_hs_gas_charge(instance, w2c_j0);\n  FUNC_EPILOGUE;\n}\n";
static const char tick_inline_fmt[] =
    "static inline __attribute__((always_inline)) void %.*s(%s* instance) {\n"
    "  HS_GAS_CHARGE(instance, %.*sull);\n"
    "}\n";

/* Replace, in `t` (from `from` on), the charge function and the `ticks` tick functions that
 * follow it (wasm2c writes definitions in index order, and the injector appends them last) with
 * their inline forms. The injector drops the name section, so wasm2c names the charge function
 * after its export and no function of the module can take that name. A metered module is
 * expected to be hs_gas_inject's output: any other function after the charge function fails
 * here as an unexpected tick. */
static bool patch_charge(text *t, size_t from, const char *inst_type, uint32_t ticks, char *err,
                         size_t errlen) {
    char charge_head[256], mid[256];
    snprintf(charge_head, sizeof charge_head, charge_head_fmt, inst_type);
    int mid_len = snprintf(mid, sizeof mid, tick_mid_fmt, inst_type);
    char *head = strstr(t->data + from, charge_head);
    if (!head) return true; /* metered without the exported charge function: left as is */
    char *end = strstr(head, "\n}\n");
    if (!end || strstr(head + 1, charge_head)) {
        hs_set_err(err, errlen, "unexpected wasm2c output for the gas charge function");
        return false;
    }
    end += 3; /* "\n}\n" */
    text rep = {0};
    text_printf(&rep, charge_inline_fmt, inst_type);
    static const char st[] = "\nstatic void ";
    const size_t tail_len = sizeof tick_tail - 1;
    for (uint32_t k = 0; k < ticks; k++) {
        /* "\nstatic void NAME" MID "DIGITS" TAIL */
        const char *p = end, *lim = t->data + t->len;
        bool ok = (size_t)(lim - p) > sizeof st && !memcmp(p, st, sizeof st - 1);
        const char *name = p + sizeof st - 1, *q = name;
        while (ok && q < lim && *q != '(' && *q != '\n') q++;
        ok = ok && q < lim && (size_t)(lim - q) > (size_t)mid_len && !memcmp(q, mid, mid_len);
        const char *digits = q + mid_len, *d = digits;
        while (ok && d < lim && *d >= '0' && *d <= '9') d++;
        ok = ok && d > digits && (size_t)(lim - d) >= tail_len && !memcmp(d, tick_tail, tail_len);
        if (!ok) {
            free(rep.data);
            hs_set_err(err, errlen, "unexpected wasm2c output for gas tick function %u", k);
            return false;
        }
        text_printf(&rep, "\n");
        text_printf(&rep, tick_inline_fmt, (int)(q - name), name, inst_type, (int)(d - digits),
                    digits);
        end = (char *)d + tail_len;
    }
    if (rep.failed) {
        free(rep.data);
        t->failed = true; /* out of memory: the caller reports it as such */
        return false;
    }
    /* Splice: [head, end) becomes rep. */
    size_t at = (size_t)(head - t->data), old_len = (size_t)(end - head), new_len = rep.len;
    if (new_len > old_len) {
        size_t extra = new_len - old_len;
        char pad[256] = {0};
        while (extra) {
            size_t n = extra < sizeof pad ? extra : sizeof pad;
            text_put(t, pad, n);
            extra -= n;
        }
        if (t->failed) {
            free(rep.data);
            return false;
        }
        memmove(t->data + at + new_len, t->data + at + old_len,
                t->len - (new_len - old_len) - at - old_len);
    } else {
        memmove(t->data + at + new_len, t->data + at + old_len, t->len - at - old_len);
        t->len -= old_len - new_len;
        t->data[t->len] = '\0';
    }
    memcpy(t->data + at, rep.data, new_len);
    free(rep.data);
    return true;
}

/* Search `find` in the first `limit` bytes of the NUL-terminated `c` (SIZE_MAX: all of it). */
static const char *find_before(const char *c, size_t limit, const char *find) {
    if (limit == SIZE_MAX) return strstr(c, find);
    size_t n = strlen(find);
    for (const char *p = c; limit >= n && (size_t)(p - c) <= limit - n; p++) {
        p = memchr(p, find[0], limit - n + 1 - (size_t)(p - c));
        if (!p) return NULL;
        if (!memcmp(p, find, n)) return p;
    }
    return NULL;
}

/* Append `c` to `out` with w2c_patches applied; false if a pattern is missing or repeated. The
 * patterns are in wasm2c's runtime helpers, before the first function: `helpers_end` (offset of
 * the first function declaration, or SIZE_MAX if unknown) bounds the search. */
static bool patch_wasm2c_output(const char *c, size_t helpers_end, text *out, char *err,
                                size_t errlen) {
    const size_t n = sizeof w2c_patches / sizeof w2c_patches[0];
    const char *at[sizeof w2c_patches / sizeof w2c_patches[0]];
    for (size_t i = 0; i < n; i++) {
        at[i] = find_before(c, helpers_end, w2c_patches[i].find);
        if (!at[i] ||
            find_before(at[i] + 1,
                        helpers_end == SIZE_MAX ? SIZE_MAX : helpers_end - (size_t)(at[i] + 1 - c),
                        w2c_patches[i].find)) {
            hs_set_err(err, errlen, "unexpected wasm2c output (pattern %zu); wabt 1.0.32 expected",
                       i);
            return false;
        }
    }
    const char *p = c;
    for (;;) {
        size_t next = n;
        for (size_t i = 0; i < n; i++)
            if (at[i] && at[i] >= p && (next == n || at[i] < at[next])) next = i;
        if (next == n) break;
        text_put(out, p, (size_t)(at[next] - p));
        text_puts(out, w2c_patches[next].replace);
        p = at[next] + strlen(w2c_patches[next].find);
    }
    text_puts(out, p);
    return true;
}

/* The defined index of the exported gas charge function (gas_inject.h), or UINT32_MAX. */
static uint32_t charge_defined_index(const hs_wasm_module *m) {
    const hs_wasm_export *charge = hs_wasm_find_export(m, "hs_gas_charge");
    if (!charge || charge->kind != HS_WASM_EXTERN_FUNC || charge->index < m->num_imported_funcs ||
        charge->index - m->num_imported_funcs >= m->num_defined_funcs)
        return UINT32_MAX;
    return charge->index - m->num_imported_funcs;
}

/* The number of gas tick functions (gas_inject.h): the defined functions after the charge
 * function, which the injector appends last. 0 if the module has no charge function. */
static uint32_t gas_ticks(const hs_wasm_module *m) {
    uint32_t charge = charge_defined_index(m);
    return charge == UINT32_MAX ? 0 : m->num_defined_funcs - 1 - charge;
}

typedef enum glue_state { GLUE_STATE_STATIC, GLUE_STATE_GLOBAL, GLUE_STATE_EXTERN } glue_state;

/* Append to `source` the compilable C of one translation unit: the prelude (with the glue's
 * state as `state` says), the wasm2c output `c` (NUL-terminated, module name `module`) with the
 * w2c_patches and the inline gas charge, then, if `epilogue_units` > 0, the epilogue (imports,
 * export trampolines, hs_glue_bind) of a module split into that many units. */
static hs_engine_result assemble_source(text *source, const char *c, size_t helpers_end,
                                        glue_state state, const char *module, bool metered,
                                        const hs_wasm_module *m, uint32_t epilogue_units, char *err,
                                        size_t errlen) {
    text_puts(source, glue_prelude_head);
    text_puts(source, glue_types_text);
    text_puts(source, state == GLUE_STATE_STATIC   ? glue_state_static
                      : state == GLUE_STATE_GLOBAL ? glue_state_global
                                                   : glue_state_extern);
    text_puts(source, glue_prelude_tail);
    size_t body_at = source->len;
    bool patched = patch_wasm2c_output(c, helpers_end, source, err, errlen);
    char inst_type[64];
    snprintf(inst_type, sizeof inst_type, "Z_%s_instance_t", module);
    if (patched && metered)
        patched = patch_charge(source, body_at, inst_type, gas_ticks(m), err, errlen);
    if (!patched) return source->failed ? HS_ENGINE_ERR_NOMEM : HS_ENGINE_ERR_TRANSLATE;
    if (epilogue_units) gen_epilogue(source, m, metered, epilogue_units);
    return source->failed ? HS_ENGINE_ERR_NOMEM : HS_ENGINE_OK;
}

/* Translate with wasm2c in a fresh temporary directory and assemble the full C source. */
static hs_engine_result translate(hs_module *mod, const hs_wasm_module *m, const uint8_t *wasm,
                                  size_t len, text *source, char *err, size_t errlen) {
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/hs-engine-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        hs_set_err(err, errlen, "mkdtemp %s: %s", tmpl, strerror(errno));
        return HS_ENGINE_ERR_IO;
    }
    mod->tmpdir = strdup(tmpl);
    if (!mod->tmpdir) {
        rmdir(tmpl);
        return HS_ENGINE_ERR_NOMEM;
    }
    char wasm_path[4200], c_path[4200], log_path[4200], full_path[4200];
    snprintf(wasm_path, sizeof wasm_path, "%s/m.wasm", tmpl);
    snprintf(c_path, sizeof c_path, "%s/m.c", tmpl);
    snprintf(log_path, sizeof log_path, "%s/wasm2c.log", tmpl);
    snprintf(full_path, sizeof full_path, "%s/full.c", tmpl);
    if (!write_file(wasm_path, wasm, len)) {
        hs_set_err(err, errlen, "write %s: %s", wasm_path, strerror(errno));
        return HS_ENGINE_ERR_IO;
    }
    /* wasm2c 1.0.32 rejects SIMD and (by default) threads, whose stores would bypass the dirty map.
     */
    char *argv[] = {(char *)mod->eng->cfg.wasm2c, wasm_path, "-n", "m", "-o", c_path, NULL};
    double t0 = now_seconds();
    int status = run_command(argv, log_path);
    mod->timings.translate = now_seconds() - t0;
    if (status != 0) {
        char summary[200];
        log_summary(log_path, summary, sizeof summary);
        hs_set_err(err, errlen, "wasm2c failed (status %d): %s", status, summary);
        return status < 0 ? HS_ENGINE_ERR_IO : HS_ENGINE_ERR_TRANSLATE;
    }
    size_t clen = 0;
    char *c = read_file(c_path, &clen);
    if (!c) {
        hs_set_err(err, errlen, "read %s: %s", c_path, strerror(errno));
        return HS_ENGINE_ERR_IO;
    }
    hs_engine_result rc = assemble_source(source, c, SIZE_MAX, GLUE_STATE_STATIC, "m", mod->metered,
                                          m, 1, err, errlen);
    free(c);
    if (rc != HS_ENGINE_OK) return rc;
    if (!write_file(full_path, source->data, source->len)) {
        hs_set_err(err, errlen, "write %s: %s", full_path, strerror(errno));
        return HS_ENGINE_ERR_IO;
    }
    unlink(c_path); /* full.c and m.h are all the compilers need */
    unlink(wasm_path);
    return HS_ENGINE_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Split tier-1 build (w2c_units.h)                                                             */

/* Code size from which a module is split when cfg.tier1_units is 0 (automatic): below it the
 * extra wasm2c and tcc start-up costs more than the parallelism gains. */
#define SPLIT_MIN_CODE_BYTES (64u << 10)

/* Automatic choice: 2 units for a large module when a second CPU is likely idle (1-minute load
 * average below CPUs - 0.5). Splitting costs ~10 % more CPU in total (a second wasm2c and tcc
 * start, the object file), which only pays when the two halves really run side by side; on a
 * busy machine one unit is faster. Either way the code, results and gas are the same. */
static uint32_t tier1_units(const hs_engine *eng, const hs_wasm_module *m) {
    if (eng->cfg.tier1_units) return eng->cfg.tier1_units;
    size_t code = 0;
    for (uint32_t i = 0; i < m->num_defined_funcs; i++) code += m->funcs[i].body.size;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    double load = 0;
    if (getloadavg(&load, 1) != 1) load = 0;
    return code >= SPLIT_MIN_CODE_BYTES && cpus >= 2 && load < (double)cpus - 0.5 ? 2 : 1;
}

typedef struct split_unit {
    char name[16];
    char wasm[4200], c[4200], log[4200], src[4200], obj[4200];
    pid_t wasm2c, tcc;
    char *raw; /* wasm2c output */
    size_t raw_len;
    hs_w2c_func *funcs;
} split_unit;

typedef struct split_build {
    hs_module *mod;
    const hs_wasm_module *m;
    hs_w2c_plan plan;
    split_unit *u;
    bool need_full;  /* write full.c (the one-unit source) for tier 2 */
    bool full_ready; /* full.c written */
} split_build;

/* Reap every child still running (after a failure). */
static void split_reap(split_build *b) {
    for (uint32_t k = 0; k < b->plan.units; k++) {
        if (b->u[k].wasm2c > 0) wait_command(b->u[k].wasm2c);
        if (b->u[k].tcc > 0) wait_command(b->u[k].tcc);
        b->u[k].wasm2c = b->u[k].tcc = 0;
    }
}

static void split_free(split_build *b) {
    split_reap(b);
    for (uint32_t k = 0; k < b->plan.units; k++) {
        free(b->u[k].raw);
        free(b->u[k].funcs);
    }
    free(b->u);
}

/* Stitch the units' output into full.c, as translate() writes it. */
static void split_write_full(split_build *b) {
    const uint32_t units = b->plan.units;
    const char *texts[HS_W2C_MAX_UNITS];
    size_t lens[HS_W2C_MAX_UNITS];
    hs_w2c_func *funcs[HS_W2C_MAX_UNITS];
    for (uint32_t k = 0; k < units; k++) {
        texts[k] = b->u[k].raw;
        lens[k] = b->u[k].raw_len;
        funcs[k] = b->u[k].funcs;
    }
    hs_wbuf raw;
    hs_wbuf_init(&raw);
    bool ok = hs_w2c_stitch(texts, lens, funcs, &b->plan, &raw);
    hs_wbuf_byte(&raw, 0);
    text source = {0};
    char err[256];
    ok = ok && !raw.failed &&
         assemble_source(&source, (const char *)raw.data, b->u[0].funcs[0].decl, GLUE_STATE_STATIC,
                         "m", b->mod->metered, b->m, 1, err, sizeof err) == HS_ENGINE_OK;
    hs_wbuf_free(&raw);
    char path[4200];
    snprintf(path, sizeof path, "%s/full.c", b->mod->tmpdir);
    b->full_ready = ok && write_file(path, source.data, source.len);
    free(source.data);
}

/* Called by compile_tcc between unit 0's compile and the link (holding the libtcc lock): write
 * full.c if needed while the other units compile, then wait for them and add their objects. */
static bool split_link_hook(void *ctx, TCCState *s) {
    split_build *b = ctx;
    if (b->need_full) split_write_full(b);
    bool ok = true;
    for (uint32_t k = 1; k < b->plan.units; k++) {
        int st = wait_command(b->u[k].tcc);
        b->u[k].tcc = 0;
        ok = ok && st == 0 && tcc_add_file(s, b->u[k].obj) >= 0;
    }
    return ok;
}

/* Tier 1 from a module split into units: wasm2c on every unit at once; units 1.. compiled by the
 * tcc command while unit 0 compiles in process; then linked into one code. Returns false (having
 * removed mod->tmpdir and changed nothing else) when the split cannot be used for any reason:
 * the caller then builds from one unit, which reports real errors exactly as before. On success
 * mod->tier1 is set and, when need_full, *full_ready says whether full.c was written. */
static bool build_split(hs_module *mod, const hs_wasm_module *m, bool need_full, bool *full_ready) {
    hs_engine *eng = mod->eng;
    *full_ready = false;
    /* The charge and tick functions stay in every unit. */
    uint32_t keep = mod->metered ? charge_defined_index(m) : UINT32_MAX;
    split_build b = {.mod = mod, .m = m, .need_full = need_full};
    if (hs_w2c_plan_units(m, tier1_units(eng, m), keep, &b.plan) < 2) return false;
    const uint32_t units = b.plan.units, n = m->num_defined_funcs;
    b.u = calloc(units, sizeof *b.u);
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/hs-engine-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!b.u || !mkdtemp(dir)) {
        free(b.u);
        return false;
    }
    bool ok = true;
    double t0 = now_seconds();
    for (uint32_t k = 0; ok && k < units; k++) {
        split_unit *u = &b.u[k];
        hs_w2c_unit_name(k, u->name, sizeof u->name);
        snprintf(u->wasm, sizeof u->wasm, "%s/u%u.wasm", dir, k);
        /* Unit 0 is m.c so that its header is m.h, as in the one-unit translation. */
        if (k == 0)
            snprintf(u->c, sizeof u->c, "%s/m.c", dir);
        else
            snprintf(u->c, sizeof u->c, "%s/u%u.c", dir, k);
        snprintf(u->log, sizeof u->log, "%s/u%u.log", dir, k);
        snprintf(u->src, sizeof u->src, "%s/u%u.t1.c", dir, k);
        snprintf(u->obj, sizeof u->obj, "%s/u%u.o", dir, k);
        size_t ulen = 0;
        uint8_t *bytes = hs_w2c_unit_module(m, &b.plan, k, &ulen);
        ok = bytes && write_file(u->wasm, bytes, ulen);
        free(bytes);
        char *argv[] = {(char *)eng->cfg.wasm2c, u->wasm, "-n", u->name, "-o", u->c, NULL};
        if (ok) u->wasm2c = spawn_command(argv, u->log);
        ok = ok && u->wasm2c > 0;
    }
    /* Units last to first: as soon as unit k (k >= 1) is translated, edit it for linking and
     * start its compile with the tcc command, while the other units are still translating. */
    double translated = t0;
    for (uint32_t j = units; j-- > 0;) {
        split_unit *u = &b.u[j];
        if (u->wasm2c > 0) ok = wait_command(u->wasm2c) == 0 && ok;
        u->wasm2c = 0;
        if (!ok) continue; /* keep reaping the others */
        translated = now_seconds();
        u->raw = read_file(u->c, &u->raw_len);
        u->funcs = calloc(n ? n : 1, sizeof *u->funcs);
        ok = u->raw && u->funcs && hs_w2c_scan(u->raw, u->raw_len, u->name, n, u->funcs);
        if (!ok || j == 0) continue;
        hs_wbuf linked;
        hs_wbuf_init(&linked);
        ok = hs_w2c_link_unit(u->raw, u->raw_len, u->funcs, &b.plan, j, &linked);
        hs_wbuf_byte(&linked, 0);
        text src = {0};
        char err[256];
        ok = ok && !linked.failed &&
             assemble_source(&src, (const char *)linked.data, u->funcs[0].decl, GLUE_STATE_EXTERN,
                             u->name, mod->metered, m, 0, err, sizeof err) == HS_ENGINE_OK &&
             write_file(u->src, src.data, src.len);
        hs_wbuf_free(&linked);
        free(src.data);
        char inc[4200];
        snprintf(inc, sizeof inc, "-I%s", dir);
        char *argv[] = {(char *)eng->cfg.tcc, "-w", inc, "-c", u->src, "-o", u->obj, NULL};
        if (ok) u->tcc = spawn_command(argv, u->log);
        ok = ok && u->tcc > 0;
    }
    const double t1 = translated; /* the last translation finished */
    /* Unit 0 in process; the hook links the others. */
    text src0 = {0};
    if (ok) {
        hs_wbuf linked;
        hs_wbuf_init(&linked);
        ok = hs_w2c_link_unit(b.u[0].raw, b.u[0].raw_len, b.u[0].funcs, &b.plan, 0, &linked);
        hs_wbuf_byte(&linked, 0);
        char err[256];
        ok = ok && !linked.failed &&
             assemble_source(&src0, (const char *)linked.data, b.u[0].funcs[0].decl,
                             GLUE_STATE_GLOBAL, "m", mod->metered, m, units, err,
                             sizeof err) == HS_ENGINE_OK;
        hs_wbuf_free(&linked);
    }
    mod->tmpdir = strdup(dir); /* full.c and m.h stay there for tier 2 */
    ok = ok && mod->tmpdir;
    if (ok) {
        char err[256];
        ok = compile_tcc(mod, src0.data, dir, split_link_hook, &b, &mod->tier1, err, sizeof err) ==
             HS_ENGINE_OK;
    }
    free(src0.data);
    split_free(&b);
    if (!ok) {
        remove_tree(dir);
        free(mod->tmpdir);
        mod->tmpdir = NULL;
        return false;
    }
    mod->timings.translate = t1 - t0;
    mod->timings.tier1 = now_seconds() - t1;
    mod->timings.tier1_units = units;
    /* Only full.c and m.h are needed from here on. */
    for (uint32_t k = 0; k < units; k++) {
        unlink(b.u[k].wasm);
        unlink(b.u[k].c);
        unlink(b.u[k].log);
        unlink(b.u[k].src);
        unlink(b.u[k].obj);
    }
    *full_ready = b.full_ready;
    return true;
}

static hs_engine_result module_build(hs_module *mod, const uint8_t *wasm, size_t len, char *err,
                                     size_t errlen) {
    hs_engine *eng = mod->eng;
    hs_wasm_module m;
    char perr[256];
    if (hs_wasm_parse(wasm, len, &m, perr, sizeof perr) != HS_WASM_OK) {
        hs_set_err(err, errlen, "%s", perr);
        return HS_ENGINE_ERR_MODULE;
    }
    hs_engine_result rc = inspect_module(mod, &m, err, errlen);
    text source = {0};
    if (rc != HS_ENGINE_OK) goto done;

    /* Tier 2 straight from the cache? */
    if (eng->cfg.tiers != HS_TIERS_TCC_ONLY) {
        char so[4096];
        so_path(mod, so, sizeof so);
        if (access(so, R_OK) == 0 && load_so(mod, so, &mod->tier2, perr, sizeof perr) == 0) {
            atomic_store(&mod->active, mod->tier2);
            mod->bg_done = true;
            goto done;
        }
    }
    /* Tier 1 from parallel units when the module is large enough (w2c_units.h); full.c for
     * tier 2 is stitched from them. Any trouble there: the one-unit build below. */
    bool full_ready = false;
    if (eng->cfg.tiers != HS_TIERS_GCC_ONLY &&
        build_split(mod, &m, eng->cfg.tiers == HS_TIERS_BOTH, &full_ready)) {
        atomic_store(&mod->active, mod->tier1);
        if (eng->cfg.tiers == HS_TIERS_BOTH && !full_ready) {
            /* Stitching failed: translate the whole module for tier 2 (slower, same text). */
            remove_tree(mod->tmpdir);
            free(mod->tmpdir);
            mod->tmpdir = NULL;
            double translated = mod->timings.translate;
            rc = translate(mod, &m, wasm, len, &source, err, errlen);
            mod->timings.translate += translated;
            if (rc != HS_ENGINE_OK) goto done;
        }
        goto tier2;
    }
    rc = translate(mod, &m, wasm, len, &source, err, errlen);
    if (rc != HS_ENGINE_OK) goto done;
    if (eng->cfg.tiers != HS_TIERS_GCC_ONLY) {
        double t0 = now_seconds();
        rc = compile_tcc(mod, source.data, mod->tmpdir, NULL, NULL, &mod->tier1, err, errlen);
        mod->timings.tier1 = now_seconds() - t0;
        mod->timings.tier1_units = 1;
        if (rc != HS_ENGINE_OK) goto done;
        atomic_store(&mod->active, mod->tier1);
    }
tier2:
    if (eng->cfg.tiers == HS_TIERS_TCC_ONLY || eng->cfg.tiers == HS_TIERS_TCC_CACHED) {
        /* the translation is no longer needed */
        remove_tree(mod->tmpdir);
        free(mod->tmpdir);
        mod->tmpdir = NULL;
    }
    if (eng->cfg.tiers == HS_TIERS_GCC_ONLY) {
        rc = start_tier2(mod, false, err, errlen);
    } else if (eng->cfg.tiers == HS_TIERS_BOTH) {
        char bg_err[256] = "";
        if (start_tier2(mod, true, bg_err, sizeof bg_err) != HS_ENGINE_OK) {
            /* Tier 1 still works; remember why tier 2 will not come. */
            mod->bg_done = true;
            mod->bg_rc = HS_ENGINE_ERR_IO;
            snprintf(mod->bg_err, sizeof mod->bg_err, "%s", bg_err);
        }
    }
done:
    free(source.data);
    hs_wasm_module_free(&m);
    return rc;
}

hs_engine_result hs_module_load(hs_engine *eng, const uint8_t *wasm, size_t len, hs_module **out,
                                char *err, size_t errlen) {
    *out = NULL;
    if (err && errlen) err[0] = '\0';
    uint8_t sum[32], keybin[32];
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, wasm, len);
    sha256_final(&c, sum);
    /* The cache key covers everything that shapes the shared object. */
    sha256_init(&c);
    sha256_update(&c, sum, sizeof sum);
    sha256_update(&c, GLUE_VERSION, sizeof GLUE_VERSION);
    sha256_update(&c, glue_prelude_head, sizeof glue_prelude_head);
    sha256_update(&c, glue_types_text, sizeof glue_types_text);
    sha256_update(&c, glue_state_static, sizeof glue_state_static - 1);
    sha256_update(&c, glue_prelude_tail, sizeof glue_prelude_tail);
    sha256_update(&c, eng->cfg.cc, strlen(eng->cfg.cc) + 1);
    sha256_update(&c, eng->cfg.cc_opt, strlen(eng->cfg.cc_opt) + 1);
    sha256_update(&c, &eng->cfg.max_memory_pages, sizeof eng->cfg.max_memory_pages);
    sha256_final(&c, keybin);

    pthread_mutex_lock(&eng->lock);
    for (hs_module *m = eng->modules; m; m = m->next)
        if (memcmp(m->checksum, sum, 32) == 0) {
            m->refs++;
            pthread_mutex_unlock(&eng->lock);
            *out = m;
            return HS_ENGINE_OK;
        }
    pthread_mutex_unlock(&eng->lock);

    hs_module *mod = calloc(1, sizeof *mod);
    if (!mod) return HS_ENGINE_ERR_NOMEM;
    mod->eng = eng;
    mod->refs = 1;
    memcpy(mod->checksum, sum, 32);
    hex(keybin, 32, mod->key);
    pthread_mutex_init(&mod->bg_lock, NULL);
    pthread_cond_init(&mod->bg_cond, NULL);
    atomic_init(&mod->active, NULL);
    hs_engine_result rc = module_build(mod, wasm, len, err, errlen);
    if (rc != HS_ENGINE_OK) {
        module_destroy(mod);
        return rc;
    }
    pthread_mutex_lock(&eng->lock);
    mod->next = eng->modules;
    eng->modules = mod;
    pthread_mutex_unlock(&eng->lock);
    *out = mod;
    return HS_ENGINE_OK;
}

int hs_module_tier(const hs_module *mod) {
    hs_code *c = atomic_load(&((hs_module *)mod)->active);
    return c ? c->tier : 0;
}

hs_engine_result hs_module_wait_tier2(hs_module *mod, char *err, size_t errlen) {
    if (hs_module_tier(mod) == 2) return HS_ENGINE_OK;
    if (mod->eng->cfg.tiers == HS_TIERS_TCC_ONLY || mod->eng->cfg.tiers == HS_TIERS_TCC_CACHED) {
        hs_set_err(err, errlen, "tier 2 is disabled");
        return HS_ENGINE_ERR_BUSY;
    }
    pthread_mutex_lock(&mod->bg_lock);
    while (!mod->bg_done) pthread_cond_wait(&mod->bg_cond, &mod->bg_lock);
    hs_engine_result rc = mod->bg_rc;
    hs_set_err(err, errlen, "%s", mod->bg_err);
    pthread_mutex_unlock(&mod->bg_lock);
    if (rc == HS_ENGINE_OK && hs_module_tier(mod) != 2) rc = HS_ENGINE_ERR_BUSY;
    return rc;
}

const uint8_t *hs_module_checksum(const hs_module *mod) {
    return mod->checksum;
}

bool hs_module_metered(const hs_module *mod) {
    return mod->metered;
}

void hs_module_get_timings(const hs_module *mod, hs_module_timings *out) {
    *out = mod->timings;
}

/* ------------------------------------------------------------------------------------------ */
/* Instances                                                                                    */

static void instantiate_thunk(void *p) {
    hs_instance *inst = p;
    inst->code->info.instantiate(inst->w2c, inst);
}

/* Free the wasm2c instance (tables, memory back to the pool). */
static void release_w2c(hs_instance *inst) {
    if (!inst->w2c) return;
    hs_instance *saved = tls_mem_owner;
    tls_mem_owner = inst;
    inst->code->info.free(inst->w2c);
    tls_mem_owner = saved;
    if (inst->slot) { /* instantiate trapped before the memory was recorded */
        pool_put(inst->mod->eng, inst->slot);
        inst->slot = NULL;
    }
    free(inst->w2c);
    inst->w2c = NULL;
}

hs_engine_result hs_instance_new(hs_module *mod, const hs_host_imports *imports, void *user,
                                 hs_instance **out, char *err, size_t errlen) {
    *out = NULL;
    hs_instance *inst = calloc(1, sizeof *inst);
    if (!inst) return HS_ENGINE_ERR_NOMEM;
    inst->mod = mod;
    inst->code = atomic_load(&mod->active);
    inst->imports = imports;
    inst->user = user;
    inst->w2c = calloc(1, inst->code->info.instance_size);
    if (!inst->w2c) {
        free(inst);
        return HS_ENGINE_ERR_NOMEM;
    }
    hs_instance *saved = tls_mem_owner;
    tls_mem_owner = inst;
    hs_engine_result rc = run_guarded(inst, instantiate_thunk, inst);
    tls_mem_owner = saved;
    if (rc != HS_ENGINE_OK) {
        hs_set_err(err, errlen, "instantiation failed: %s", inst->err);
        release_w2c(inst);
        free(inst);
        return rc;
    }
    const hs_glue_info *info = &inst->code->info;
    inst->mem = info->memory ? info->memory(inst->w2c) : NULL;
    if (info->gas_left) {
        inst->gas_left = info->gas_left(inst->w2c);
        inst->gas_exhausted = info->gas_exhausted(inst->w2c);
    }
    *out = inst;
    return HS_ENGINE_OK;
}

void hs_instance_free(hs_instance *inst) {
    if (!inst) return;
    release_w2c(inst);
    free(inst);
}

void *hs_instance_user(const hs_instance *inst) {
    return inst->user;
}

int hs_instance_tier(const hs_instance *inst) {
    return inst->code->tier;
}

typedef struct call_ctx {
    hs_instance *inst;
    const hs_glue_export *ex;
    const uint64_t *args;
    uint64_t result;
} call_ctx;

static void call_thunk(void *p) {
    call_ctx *c = p;
    c->ex->call(c->inst->w2c, c->args, &c->result);
}

hs_engine_result hs_instance_call(hs_instance *inst, const char *name, const uint64_t *args,
                                  uint32_t nargs, uint64_t *result) {
    const hs_module *mod = inst->mod;
    inst->err[0] = '\0';
    uint32_t i = 0;
    while (i < mod->num_exports && strcmp(mod->exports[i].name, name) != 0) i++;
    if (i == mod->num_exports) {
        snprintf(inst->err, sizeof inst->err, "no exported function \"%.64s\"", name);
        return HS_ENGINE_ERR_NO_EXPORT;
    }
    if (nargs != mod->exports[i].num_params || (nargs && !args)) {
        snprintf(inst->err, sizeof inst->err, "export %.64s takes %u arguments, got %u", name,
                 mod->exports[i].num_params, nargs);
        return HS_ENGINE_ERR_SIGNATURE;
    }
    uint64_t padded[4] = {0};
    call_ctx ctx = {inst, &inst->code->info.exports[i], args ? args : padded, 0};
    hs_engine_result rc = run_guarded(inst, call_thunk, &ctx);
    if (rc == HS_ENGINE_OK && result) *result = ctx.result;
    return rc;
}

const char *hs_instance_error(const hs_instance *inst) {
    return inst->err;
}

void hs_instance_trap(hs_instance *inst, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(inst->err, sizeof inst->err, fmt, ap);
    va_end(ap);
    if (!tls_frame) {
        fprintf(stderr, "host-sim engine: hs_instance_trap outside a call: %s\n", inst->err);
        abort();
    }
    raise_trap(TRAP_HOST);
}

const uint8_t *hs_instance_memory(const hs_instance *inst, uint32_t *size) {
    if (!inst->mem) {
        if (size) *size = 0;
        return NULL;
    }
    if (size) *size = inst->mem->size;
    return inst->mem->data;
}

bool hs_instance_read(hs_instance *inst, uint32_t offset, void *dst, size_t len) {
    if (!inst->mem || offset > inst->mem->size || len > inst->mem->size - offset) return false;
    if (len) memcpy(dst, inst->mem->data + offset, len);
    return true;
}

bool hs_instance_write(hs_instance *inst, uint32_t offset, const void *src, size_t len) {
    if (!inst->mem || offset > inst->mem->size || len > inst->mem->size - offset) return false;
    if (!len) return true;
    memcpy(inst->mem->data + offset, src, len);
    for (size_t p = offset >> 12; p <= (offset + len - 1) >> 12; p++)
        inst->mem->data[-1 - (ptrdiff_t)p] = 1; /* dirty map, see slot_reset */
    return true;
}

void hs_instance_set_gas(hs_instance *inst, uint64_t gas) {
    if (!inst->gas_left) return;
    *inst->gas_left = gas;
    *inst->gas_exhausted = 0;
}

uint64_t hs_instance_gas(const hs_instance *inst) {
    return inst->gas_left ? *inst->gas_left : UINT64_MAX;
}

bool hs_instance_charge_gas(hs_instance *inst, uint64_t amount) {
    if (!inst->gas_left) return true;
    if (*inst->gas_left >= amount) {
        *inst->gas_left -= amount;
        return true;
    }
    *inst->gas_left = 0;
    *inst->gas_exhausted = 1;
    snprintf(inst->err, sizeof inst->err, "out of gas");
    if (tls_frame) raise_trap(TRAP_OUT_OF_GAS);
    return false;
}

/* engine.h — runs WebAssembly contracts natively: wasm2c translation, two-tier compilation
 * (libtcc in process for a fast first run, then gcc -O2 into a shared object cached by checksum
 * and swapped in when ready), cheap "fresh instance per call" instances on pooled memories, and
 * the one place where every wasm trap becomes an error code. Design notes: engine.c, top.
 *
 * Typical use (host_env supplies the imports, gas_inject has metered the bytes):
 *     hs_engine_config cfg;
 *     hs_engine_config_default(&cfg);
 *     hs_engine *eng;  hs_module *mod;  hs_instance *inst;  char err[256];
 *     if (hs_engine_new(&cfg, &eng, err, sizeof err)) ...;
 *     if (hs_module_load(eng, metered, metered_len, &mod, err, sizeof err)) ...;
 *     if (hs_instance_new(mod, &my_imports, my_ctx, &inst, err, sizeof err)) ...;
 *     hs_instance_set_gas(inst, 500000000000);
 *     uint64_t arg = 42, ptr;
 *     hs_engine_result rc = hs_instance_call(inst, "allocate", &arg, 1, &ptr);
 *     if (rc) printf("%s: %s\n", hs_engine_strerror(rc), hs_instance_error(inst));
 *     hs_instance_free(inst);   // next call: a fresh instance (a few µs)
 *     hs_module_free(mod);
 *     hs_engine_free(eng);
 *
 * Threads: engines, modules and instances may be used from several threads; calls into one
 * module are serialised (a per-module lock), calls into different modules run in parallel. An
 * instance must not be used by two threads at once. Guest code runs on the calling thread's
 * stack; the engine traps with HS_ENGINE_TRAP_STACK_EXHAUSTED before that stack runs out. */
#ifndef HS_ENGINE_H
#define HS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define HS_ENGINE_MUST_USE __attribute__((warn_unused_result))
#define HS_ENGINE_NORETURN __attribute__((noreturn))
#define HS_ENGINE_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HS_ENGINE_MUST_USE
#define HS_ENGINE_NORETURN
#define HS_ENGINE_PRINTF(a, b)
#endif

typedef struct hs_engine hs_engine;
typedef struct hs_module hs_module;
typedef struct hs_instance hs_instance;

/* Result codes. HS_ENGINE_OK is 0. Codes from HS_ENGINE_TRAP_UNREACHABLE on are traps raised
 * while guest code ran (the call was aborted, the instance stays usable). */
typedef enum hs_engine_result {
    HS_ENGINE_OK = 0,
    HS_ENGINE_ERR_NOMEM,         /* allocation or address-space reservation failed */
    HS_ENGINE_ERR_IO,            /* temporary directory, cache directory or subprocess failure */
    HS_ENGINE_ERR_MODULE,        /* not a module the engine runs (parse error, import other than an
                                    env function, more than one memory, memory above the limit...) */
    HS_ENGINE_ERR_TRANSLATE,     /* wasm2c rejected the module */
    HS_ENGINE_ERR_COMPILE,       /* tcc, gcc or dlopen failed on the generated C */
    HS_ENGINE_ERR_NO_EXPORT,     /* no exported function with that name */
    HS_ENGINE_ERR_SIGNATURE,     /* wrong number of arguments for the export */
    HS_ENGINE_ERR_BUSY,          /* tier 2 not available (disabled, failed or still compiling) */
    HS_ENGINE_TRAP_UNREACHABLE,  /* `unreachable` executed */
    HS_ENGINE_TRAP_OOB,          /* memory or table access out of bounds */
    HS_ENGINE_TRAP_INT_OVERFLOW, /* signed division overflow, float→int out of range */
    HS_ENGINE_TRAP_DIV_BY_ZERO,  /* integer division or remainder by zero */
    HS_ENGINE_TRAP_INVALID_CONVERSION, /* float→int conversion of NaN */
    HS_ENGINE_TRAP_CALL_INDIRECT,      /* call_indirect: null, out of range or wrong type */
    HS_ENGINE_TRAP_STACK_EXHAUSTED,    /* call depth or native stack limit reached */
    HS_ENGINE_TRAP_OUT_OF_GAS,         /* metering ran out (gas left is now 0) */
    HS_ENGINE_TRAP_HOST,               /* an import called hs_instance_trap() */
} hs_engine_result;

/* Static English description of a code ("out of gas", "integer divide by zero", ...); never
 * NULL. */
const char *hs_engine_strerror(hs_engine_result r);

/* ------------------------------------------------------------------------------------------ */
/* Engine                                                                                       */

/* Which compilers hs_module_load uses. */
typedef enum hs_engine_tiers {
    HS_TIERS_BOTH = 0,  /* tcc now, gcc in the background, swap when ready (default) */
    HS_TIERS_TCC_ONLY,  /* tcc only; never runs gcc */
    HS_TIERS_GCC_ONLY,  /* gcc only; hs_module_load waits for it (or a cached .so) */
    HS_TIERS_TCC_CACHED /* tier 2 if <cache_dir>/<key>.so exists, else tcc only; never runs gcc */
} hs_engine_tiers;

typedef struct hs_engine_config {
    /* Directory of the tier-2 cache (<key>.so files, <key>.so.lock); created if missing. Shared
     * safely by concurrent processes: each entry is compiled once, by whoever starts first.
     * NULL: a private temporary directory, removed by hs_engine_free. Default "build/cache". */
    const char *cache_dir;
    hs_engine_tiers tiers; /* default HS_TIERS_BOTH */
    const char *wasm2c;    /* translator command, default "wasm2c" */
    const char *cc;        /* tier-2 compiler, default "gcc" */
    const char *cc_opt;    /* tier-2 optimisation flag, default "-O2" */
    /* Tier 1 of a large module is built from units translated and compiled in parallel
     * (w2c_units.h): wasm2c on every unit at once, unit 0 in libtcc, the others by this command
     * (`tcc -c`), then linked; the same code as from one unit. Default "tcc". */
    const char *tcc;
    /* Number of such units: 0 (default) = 2 when the module has at least 64 KiB of code and a
     * second CPU is likely idle (1-minute load average below CPUs - 0.5; splitting costs ~10 %
     * more CPU in total), else 1; 1 = never split; 2..8 = always (if the module has that many
     * functions). If the split fails for any reason, the module is built from one unit. */
    uint32_t tier1_units;
    uint32_t max_memory_pages; /* per instance, 64 KiB pages; default 512 (32 MiB) */
    /* Maximum nesting of guest function calls, default 5000. The same for both tiers, so that
     * recursion fails at the same depth whichever tier runs. A native-stack guard (the calling
     * thread's stack minus a margin) traps earlier if a thread's stack is too small. */
    uint32_t max_call_depth;
} hs_engine_config;

/* Fill *cfg with the defaults above. */
void hs_engine_config_default(hs_engine_config *cfg);

/* Create an engine. `cfg` NULL means defaults; the strings are copied. On failure *out is NULL
 * and err (if non-NULL, errlen > 0) holds a message. Free with hs_engine_free() after every
 * module created from it has been freed. */
HS_ENGINE_MUST_USE hs_engine_result hs_engine_new(const hs_engine_config *cfg, hs_engine **out,
                                                  char *err, size_t errlen);

/* Free the engine and its memory pool. Accepts NULL. */
void hs_engine_free(hs_engine *eng);

/* ------------------------------------------------------------------------------------------ */
/* Modules                                                                                      */

/* Load a module from `len` bytes of wasm (normally the output of hs_gas_inject; the engine does
 * not validate CosmWasm rules, run hs_wasm_check first). A module counts as metered when it
 * exports the gas globals; its functions after the exported charge function must be the
 * injector's tick functions (else _TRANSLATE). The bytes are copied.
 * Modules are shared by checksum: loading the same bytes twice in one engine returns the same
 * module with its reference count raised; each load needs one hs_module_free().
 * With HS_TIERS_BOTH, returns once tier 1 (tcc) is ready, or at once with tier 2 if
 * <cache_dir>/<key>.so exists; otherwise gcc then runs in the background (a child process
 * started before this returns, watched by a thread) and new instances use its code as soon as
 * it is loaded. <key> is the SHA-256 of the bytes, the glue version and the compiler flags. Errors:
 * HS_ENGINE_ERR_MODULE, _TRANSLATE, _COMPILE, _IO, _NOMEM with a one-line message in err. */
HS_ENGINE_MUST_USE hs_engine_result hs_module_load(hs_engine *eng, const uint8_t *wasm, size_t len,
                                                   hs_module **out, char *err, size_t errlen);

/* Drop one reference; the last one frees the code. Every instance of the module must have been
 * freed. A tier-2 compile still running is not waited for: it completes the cache entry on its
 * own (also if the process exits), so the next load of the same bytes gets tier 2 at once.
 * Accepts NULL. */
void hs_module_free(hs_module *mod);

/* Tier that new instances of the module use now: 1 (tcc) or 2 (gcc). */
int hs_module_tier(const hs_module *mod);

/* Wait until the tier-2 code is loaded. Returns HS_ENGINE_OK when new instances use tier 2,
 * HS_ENGINE_ERR_BUSY if tier 2 is disabled, or the compile error (message in err). */
HS_ENGINE_MUST_USE hs_engine_result hs_module_wait_tier2(hs_module *mod, char *err, size_t errlen);

/* SHA-256 of the wasm bytes the module was loaded from (32 bytes, owned by the module). */
const uint8_t *hs_module_checksum(const hs_module *mod);

/* Whether the module carries gas metering (exports hs_gas_left / hs_gas_exhausted). */
bool hs_module_metered(const hs_module *mod);

/* Compile timings of the module in seconds (0 when that step did not run in this process:
 * e.g. tier 2 taken from the cache). */
typedef struct hs_module_timings {
    double translate;     /* wasm2c (all units, in parallel) */
    double tier1;         /* tcc compile + relocate */
    double tier2;         /* gcc compile to .so (background) */
    double load2;         /* dlopen of the .so */
    uint32_t tier1_units; /* units tier 1 was built from (0: no tier 1 in this process) */
} hs_module_timings;
void hs_module_get_timings(const hs_module *mod, hs_module_timings *out);

/* ------------------------------------------------------------------------------------------ */
/* Host imports                                                                                 */

/* The `env` functions a contract may import, with wasmvm 2.2's signatures: every pointer
 * argument is a u32 offset of a Region in guest memory. host_env fills this table; a NULL entry
 * makes the import trap with "env.<name> is not available". An imported name that is not in
 * this table, or that has another signature, makes hs_module_load fail.
 * Imports may call hs_instance_call() (e.g. "allocate"), hs_instance_charge_gas(),
 * hs_instance_read/_write() and hs_instance_trap() on the instance they receive. */
typedef struct hs_host_imports {
    uint32_t (*db_read)(hs_instance *inst, uint32_t key);
    void (*db_write)(hs_instance *inst, uint32_t key, uint32_t value);
    void (*db_remove)(hs_instance *inst, uint32_t key);
    uint32_t (*db_scan)(hs_instance *inst, uint32_t start, uint32_t end, int32_t order);
    uint32_t (*db_next)(hs_instance *inst, uint32_t iterator_id);
    uint32_t (*db_next_key)(hs_instance *inst, uint32_t iterator_id);
    uint32_t (*db_next_value)(hs_instance *inst, uint32_t iterator_id);
    uint32_t (*addr_validate)(hs_instance *inst, uint32_t source);
    uint32_t (*addr_canonicalize)(hs_instance *inst, uint32_t source, uint32_t destination);
    uint32_t (*addr_humanize)(hs_instance *inst, uint32_t source, uint32_t destination);
    uint32_t (*secp256k1_verify)(hs_instance *inst, uint32_t hash, uint32_t signature,
                                 uint32_t public_key);
    /* Returns (error code << 32) | region pointer. */
    uint64_t (*secp256k1_recover_pubkey)(hs_instance *inst, uint32_t hash, uint32_t signature,
                                         uint32_t recovery_param);
    uint32_t (*secp256r1_verify)(hs_instance *inst, uint32_t hash, uint32_t signature,
                                 uint32_t public_key);
    uint64_t (*secp256r1_recover_pubkey)(hs_instance *inst, uint32_t hash, uint32_t signature,
                                         uint32_t recovery_param);
    uint32_t (*ed25519_verify)(hs_instance *inst, uint32_t message, uint32_t signature,
                               uint32_t public_key);
    uint32_t (*ed25519_batch_verify)(hs_instance *inst, uint32_t messages, uint32_t signatures,
                                     uint32_t public_keys);
    uint32_t (*bls12_381_aggregate_g1)(hs_instance *inst, uint32_t g1s, uint32_t out);
    uint32_t (*bls12_381_aggregate_g2)(hs_instance *inst, uint32_t g2s, uint32_t out);
    uint32_t (*bls12_381_pairing_equality)(hs_instance *inst, uint32_t ps, uint32_t qs, uint32_t r,
                                           uint32_t s);
    uint32_t (*bls12_381_hash_to_g1)(hs_instance *inst, uint32_t hash_function, uint32_t msg,
                                     uint32_t dst, uint32_t out);
    uint32_t (*bls12_381_hash_to_g2)(hs_instance *inst, uint32_t hash_function, uint32_t msg,
                                     uint32_t dst, uint32_t out);
    void (*debug)(hs_instance *inst, uint32_t message);
    void (*abort)(hs_instance *inst, uint32_t message);
    uint32_t (*query_chain)(hs_instance *inst, uint32_t request);
} hs_host_imports;

/* ------------------------------------------------------------------------------------------ */
/* Instances                                                                                    */

/* Create a fresh instance: globals, memory (data segments copied into a pooled, zeroed memory)
 * and table as the module declares them, on the module's best tier at this moment. `imports`
 * (may be NULL if the module imports nothing; must outlive the instance) and `user` (any
 * pointer, see hs_instance_user) are stored. A trap while initialising (a data segment out of
 * bounds) is returned as its code. Gas starts at 0 on metered modules: set it before calling
 * (so a metered module's start function, if it has one, runs out of gas at once; CosmWasm
 * contracts have none). */
HS_ENGINE_MUST_USE hs_engine_result hs_instance_new(hs_module *mod, const hs_host_imports *imports,
                                                    void *user, hs_instance **out, char *err,
                                                    size_t errlen);

/* Release the instance; its memory goes back to the pool (reset to zero). Accepts NULL. */
void hs_instance_free(hs_instance *inst);

/* The `user` pointer given to hs_instance_new. */
void *hs_instance_user(const hs_instance *inst);

/* Tier of the code this instance runs (1 or 2). */
int hs_instance_tier(const hs_instance *inst);

/* Call exported function `name` with `nargs` arguments (i32 in the low 32 bits, i64 as is,
 * f32/f64 as their bit patterns). If the function returns a value and `result` is non-NULL,
 * *result receives it (i32 zero-extended). Returns HS_ENGINE_OK, HS_ENGINE_ERR_NO_EXPORT,
 * HS_ENGINE_ERR_SIGNATURE, or the trap that aborted the call; hs_instance_error() then has
 * the message. Re-entrant: an import may call back into the same instance. */
HS_ENGINE_MUST_USE hs_engine_result hs_instance_call(hs_instance *inst, const char *name,
                                                     const uint64_t *args, uint32_t nargs,
                                                     uint64_t *result);

/* Message of the last failed hs_instance_call / hs_instance_new on this instance, e.g.
 * "out of gas" or "host: abort: panicked at src/contract.rs:12"; "" after a success. Valid until
 * the next call. */
const char *hs_instance_error(const hs_instance *inst);

/* Abort the current call from inside an import: the innermost hs_instance_call() on this thread
 * returns HS_ENGINE_TRAP_HOST with the formatted message. Must only be called while guest code
 * of `inst` is running (i.e. from an import); otherwise the process aborts. */
HS_ENGINE_NORETURN void hs_instance_trap(hs_instance *inst, const char *fmt, ...)
    HS_ENGINE_PRINTF(2, 3);

/* The guest's linear memory, read-only: base address and size in bytes (NULL/0 if the module
 * exports no memory). The base stays valid for the instance's life (memories never move), the
 * size grows with memory.grow. Write only through hs_instance_write(): it records the pages
 * written, which is how freeing an instance knows what to zero. */
const uint8_t *hs_instance_memory(const hs_instance *inst, uint32_t *size);

/* Copy `len` bytes between guest memory at `offset` and host memory. Return false, copying
 * nothing, if [offset, offset + len) is not inside the memory. */
HS_ENGINE_MUST_USE bool hs_instance_read(hs_instance *inst, uint32_t offset, void *dst, size_t len);
HS_ENGINE_MUST_USE bool hs_instance_write(hs_instance *inst, uint32_t offset, const void *src,
                                          size_t len);

/* Gas (metered modules only; on others set is ignored, get returns UINT64_MAX and charge does
 * nothing). Set the remaining gas before a call, read it after to compute gas used. */
void hs_instance_set_gas(hs_instance *inst, uint64_t gas);
uint64_t hs_instance_gas(const hs_instance *inst);

/* Charge `amount` from an import. If less gas is left, the remaining gas becomes 0 and the
 * current call traps with HS_ENGINE_TRAP_OUT_OF_GAS (this function does not return). Outside a
 * call it only subtracts (saturating at 0) and returns false when gas ran out. */
bool hs_instance_charge_gas(hs_instance *inst, uint64_t amount);

#endif /* HS_ENGINE_H */

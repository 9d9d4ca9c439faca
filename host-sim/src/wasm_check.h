/* wasm_check.h — static validation of a contract .wasm against CosmWasm's upload rules
 * (cosmwasm-vm's check_wasm, as run by `cosmwasm-check` and wasmd) plus Ballast's own rules
 * (no floats, 800 KiB wasmd upload limit). Rule sources and deviations: wasm_check.c. */
#ifndef HS_WASM_CHECK_H
#define HS_WASM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits applied by hs_wasm_check_with(). hs_check_limits_default() fills in the values of
 * cosmwasm-vm 2.x (WasmLimits defaults) and Ballast's rules. */
typedef struct hs_check_limits {
    size_t max_module_bytes;            /* wasmd MaxWasmSize: 800 KiB = 819200 */
    uint32_t max_memory_pages;          /* initial pages of the one memory: 512 */
    uint32_t max_table_elements;        /* maximum of the one table: 2500 */
    uint32_t max_imports;               /* 100 */
    uint32_t max_functions;             /* defined functions: 20000 */
    uint32_t max_function_params;       /* params of any type: 100 */
    uint32_t max_total_function_params; /* sum over defined functions: 10000 */
    uint32_t max_function_results;      /* results of any type: 1 */
    bool allow_floats;                  /* Ballast: false (no f32/f64 anywhere) */
    /* Operator violations of one kind (e.g. every float operator) are listed up to this many
     * times, then summarised in one line "<kind> lines truncated: N more not listed". */
    uint32_t max_lines_per_kind; /* 50 */
} hs_check_limits;

/* Fill *limits with the defaults described above. */
void hs_check_limits_default(hs_check_limits *limits);

/* Violations found by a check, one line of text each, in a stable order (size, parse error,
 * tables, memories, exports, imports, function limits, section contents, then function bodies
 * in index order). Each line starts with a stable phrase, e.g.
 *   "import env.foo is not supported"
 *   "float operator f64.add in function 12 at offset 0x1a3"
 * Function numbers are indices in the function index space (imports first), offsets are byte
 * offsets from the start of the file. The report owns `lines` and every string in it. */
typedef struct hs_check_report {
    char **lines;
    size_t count;
    size_t cap;
    bool out_of_memory; /* some lines could not be recorded */
} hs_check_report;

/* Check `size` bytes at `bytes` with the default limits. *report is initialised by the call
 * (previous contents are not freed) and must be released with hs_check_report_free().
 * Returns the number of violations (0 = valid), or -1 if memory ran out (the report then holds
 * the lines recorded so far). Never reads outside the buffer; any input is accepted. */
int hs_wasm_check(const uint8_t *bytes, size_t size, hs_check_report *report);

/* As hs_wasm_check() with explicit limits (NULL = defaults). */
int hs_wasm_check_with(const uint8_t *bytes, size_t size, const hs_check_limits *limits,
                       hs_check_report *report);

/* Free every line and zero *report. Accepts a zeroed report. */
void hs_check_report_free(hs_check_report *report);

/* The imports CosmWasm 2.2 provides ("env.db_read", ...), NULL-terminated; static storage. */
extern const char *const hs_check_supported_imports[];

#endif /* HS_WASM_CHECK_H */

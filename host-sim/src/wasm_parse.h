/* wasm_parse.h — decoder for the WebAssembly binary format (MVP plus the post-MVP encodings it
 * recognises and reports), shared by the validator, the gas injector and the engine.
 *
 * Design: hs_wasm_parse() decodes every section into an hs_wasm_module whose arrays it owns but
 * whose byte ranges (function bodies, constant expressions, data) point into the caller's buffer.
 * Function bodies are not decoded eagerly: walk them one instruction at a time with
 * hs_wasm_op_iter_init_func() / hs_wasm_op_next(). All offsets are byte offsets from the start of
 * the module, so a rewriter can copy untouched ranges verbatim.
 *
 * Example:
 *     hs_wasm_module m;
 *     char err[256];
 *     if (hs_wasm_parse(bytes, size, &m, err, sizeof err) != HS_WASM_OK) { puts(err); return; }
 *     for (uint32_t i = 0; i < m.num_defined_funcs; i++) {
 *         hs_wasm_op_iter it;
 *         hs_wasm_op op;
 *         hs_wasm_op_iter_init_func(&it, &m, i);
 *         while (!it.done && hs_wasm_op_next(&it, &op) == HS_WASM_OK) printf("%s\n", op.name);
 *     }
 *     hs_wasm_module_free(&m);
 */
#ifndef HS_WASM_PARSE_H
#define HS_WASM_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define HS_WASM_MUST_USE __attribute__((warn_unused_result))
#else
#define HS_WASM_MUST_USE
#endif

/* Result of a parser call. HS_WASM_OK is 0; every failure also leaves a one-line message. */
typedef enum hs_wasm_result {
    HS_WASM_OK = 0,
    HS_WASM_ERR_TRUNCATED,   /* input ends inside a section, vector, LEB128 or function body */
    HS_WASM_ERR_MALFORMED,   /* bytes that no wasm encoding allows (bad magic, bad opcode, ...) */
    HS_WASM_ERR_UNSUPPORTED, /* well-formed but outside what this parser decodes (version 2, ...) */
    HS_WASM_ERR_LIMIT,       /* a count above the parser's safety limits (e.g. locals) */
    HS_WASM_ERR_NOMEM        /* allocation failed */
} hs_wasm_result;

/* Static English name of a result code ("truncated", "malformed", ...); never NULL. */
const char *hs_wasm_strerror(hs_wasm_result r);

/* Value types, by their binary encoding. */
enum {
    HS_WASM_I32 = 0x7F,
    HS_WASM_I64 = 0x7E,
    HS_WASM_F32 = 0x7D,
    HS_WASM_F64 = 0x7C,
    HS_WASM_V128 = 0x7B,      /* SIMD */
    HS_WASM_FUNCREF = 0x70,   /* reference types (and the MVP table element type) */
    HS_WASM_EXTERNREF = 0x6F, /* reference types */
};

/* Static text name of a value type byte ("i32", "f64", "v128", ...; "0x??" → "unknown"). */
const char *hs_wasm_valtype_name(uint8_t valtype);

/* Section ids. */
enum {
    HS_WASM_SEC_CUSTOM = 0,
    HS_WASM_SEC_TYPE = 1,
    HS_WASM_SEC_IMPORT = 2,
    HS_WASM_SEC_FUNCTION = 3,
    HS_WASM_SEC_TABLE = 4,
    HS_WASM_SEC_MEMORY = 5,
    HS_WASM_SEC_GLOBAL = 6,
    HS_WASM_SEC_EXPORT = 7,
    HS_WASM_SEC_START = 8,
    HS_WASM_SEC_ELEMENT = 9,
    HS_WASM_SEC_CODE = 10,
    HS_WASM_SEC_DATA = 11,
    HS_WASM_SEC_DATA_COUNT = 12,
    HS_WASM_SEC_TAG = 13, /* exception handling; recorded, contents skipped */
};

/* Static name of a section id ("code", "data count", ...; "unknown" otherwise). */
const char *hs_wasm_section_name(uint8_t id);

/* Import/export kinds, by their binary encoding. */
enum {
    HS_WASM_EXTERN_FUNC = 0,
    HS_WASM_EXTERN_TABLE = 1,
    HS_WASM_EXTERN_MEMORY = 2,
    HS_WASM_EXTERN_GLOBAL = 3,
    HS_WASM_EXTERN_TAG = 4, /* exception handling */
};

/* Post-MVP features the decoder recognises. The parser accepts their encodings so that the
 * validator can name them; it does not judge whether they are allowed. Bit flags. */
typedef enum hs_wasm_feature {
    HS_WASM_FEAT_MVP = 0,
    HS_WASM_FEAT_SIGN_EXT = 1u << 0,
    HS_WASM_FEAT_SAT_TRUNC = 1u << 1,       /* 0xFC 0..7 (also float operators) */
    HS_WASM_FEAT_BULK_MEMORY = 1u << 2,     /* 0xFC 8..14, passive segments, data count */
    HS_WASM_FEAT_REFERENCE_TYPES = 1u << 3, /* 0xD0-0xD2, 0x1C, 0x25, 0x26, 0xFC 15..17 */
    HS_WASM_FEAT_SIMD = 1u << 4,            /* 0xFD prefix, v128 */
    HS_WASM_FEAT_THREADS = 1u << 5,         /* 0xFE prefix, shared memories */
    HS_WASM_FEAT_TAIL_CALL = 1u << 6,       /* return_call, return_call_indirect */
    HS_WASM_FEAT_MULTI_VALUE = 1u << 7,     /* block types given by type index */
    HS_WASM_FEAT_EXCEPTIONS = 1u << 8,      /* try/catch/throw/..., tag section */
    HS_WASM_FEAT_MULTI_MEMORY = 1u << 9,    /* memory index immediates other than 0 */
    HS_WASM_FEAT_MEMORY64 = 1u << 10,       /* 64-bit memory limits */
    HS_WASM_FEAT_MUTABLE_GLOBALS = 1u << 11 /* imported/exported mutable globals */
} hs_wasm_feature;

/* Static name of a single feature bit as used in validator messages ("bulk-memory", "simd",
 * "reference-types", ...); "mvp" for 0. */
const char *hs_wasm_feature_name(unsigned feature);

/* A name from the module: a NUL-terminated copy owned by the module. `len` excludes the NUL; a
 * name may itself contain NUL bytes (valid UTF-8), so use `len` when that matters. */
typedef struct hs_wasm_name {
    char *str;
    uint32_t len;
} hs_wasm_name;

/* Size limits of a table or memory. `flags` is the raw flags byte (bit0 has_max, bit1 shared,
 * bit2 memory64). */
typedef struct hs_wasm_limits {
    uint64_t min;
    uint64_t max; /* valid only when has_max */
    bool has_max;
    uint8_t flags;
} hs_wasm_limits;

/* A function signature. `params` and `results` point into module-owned storage. */
typedef struct hs_wasm_functype {
    uint32_t num_params;
    uint32_t num_results;
    const uint8_t *params;  /* value type bytes */
    const uint8_t *results; /* value type bytes */
} hs_wasm_functype;

typedef struct hs_wasm_tabletype {
    uint8_t elem_type; /* HS_WASM_FUNCREF or HS_WASM_EXTERNREF */
    hs_wasm_limits limits;
} hs_wasm_tabletype;

typedef struct hs_wasm_globaltype {
    uint8_t valtype;
    bool mutable_;
} hs_wasm_globaltype;

/* One import; which member of the union is valid depends on `kind`. */
typedef struct hs_wasm_import {
    hs_wasm_name module;
    hs_wasm_name field;
    uint8_t kind; /* HS_WASM_EXTERN_* */
    union {
        uint32_t func_type; /* FUNC: type index */
        hs_wasm_tabletype table;
        hs_wasm_limits memory;
        hs_wasm_globaltype global;
        uint32_t tag_type; /* TAG: type index */
    } desc;
    size_t offset; /* file offset of the import entry */
} hs_wasm_import;

/* A contiguous byte range of the module: [offset, offset + size). */
typedef struct hs_wasm_range {
    size_t offset;
    size_t size;
} hs_wasm_range;

/* A group of `count` locals of type `valtype` as declared at the top of a function body. */
typedef struct hs_wasm_local_group {
    uint32_t count;
    uint8_t valtype;
} hs_wasm_local_group;

/* A function defined in the module (index space: num_imported_funcs + i). */
typedef struct hs_wasm_func {
    uint32_t type_index;
    hs_wasm_range body;         /* whole body after its size LEB: locals declaration + code */
    size_t code_offset;         /* first instruction (just after the locals declaration) */
    uint32_t local_group_first; /* index into module->local_groups */
    uint32_t num_local_groups;
    uint32_t num_locals; /* declared locals, excluding parameters */
} hs_wasm_func;

typedef struct hs_wasm_global {
    hs_wasm_globaltype type;
    hs_wasm_range init; /* constant expression, including its final `end` */
} hs_wasm_global;

typedef struct hs_wasm_export {
    hs_wasm_name name;
    uint8_t kind; /* HS_WASM_EXTERN_* */
    uint32_t index;
} hs_wasm_export;

/* An element segment. MVP segments have flags 0; other flags are the bulk-memory /
 * reference-types encodings. For flags with function indices, `func_indices` holds them; for
 * expression forms, `exprs` covers the raw vector of expressions. */
typedef struct hs_wasm_elem {
    uint32_t flags;
    bool passive;
    bool declarative;
    uint32_t table_index;
    hs_wasm_range offset_expr; /* active segments only */
    uint8_t elem_type;         /* HS_WASM_FUNCREF unless given */
    uint32_t num_elems;
    uint32_t *func_indices; /* owned; NULL for expression forms */
    hs_wasm_range exprs;    /* expression forms: the element expressions */
} hs_wasm_elem;

/* A data segment: flags 0 (active, memory 0), 1 (passive), 2 (active, explicit memory). */
typedef struct hs_wasm_data {
    uint32_t flags;
    bool passive;
    uint32_t memory_index;
    hs_wasm_range offset_expr; /* active segments only */
    hs_wasm_range bytes;
} hs_wasm_data;

typedef struct hs_wasm_custom {
    hs_wasm_name name;
    hs_wasm_range payload;
} hs_wasm_custom;

/* Where each section sits in the file, in file order (custom sections included). */
typedef struct hs_wasm_section {
    uint8_t id;
    size_t header_offset; /* the id byte */
    hs_wasm_range content;
} hs_wasm_section;

/* A parsed module. Every pointer member is owned by the module and released by
 * hs_wasm_module_free(); `bytes` is borrowed from the caller and must outlive the module. */
typedef struct hs_wasm_module {
    const uint8_t *bytes;
    size_t size;

    hs_wasm_section *sections;
    uint32_t num_sections;

    hs_wasm_functype *types;
    uint32_t num_types;
    uint8_t *valtype_pool; /* storage behind types[].params/results */

    hs_wasm_import *imports;
    uint32_t num_imports;
    uint32_t num_imported_funcs, num_imported_tables, num_imported_memories, num_imported_globals,
        num_imported_tags;

    /* Defined functions; function section and code section merged. */
    hs_wasm_func *funcs;
    uint32_t num_defined_funcs;
    bool has_code_section;
    uint32_t num_code_bodies; /* as declared in the code section */

    hs_wasm_local_group *local_groups;
    uint32_t num_local_groups;

    hs_wasm_tabletype *tables; /* defined tables */
    uint32_t num_tables;
    hs_wasm_limits *memories; /* defined memories */
    uint32_t num_memories;
    hs_wasm_global *globals; /* defined globals */
    uint32_t num_globals;
    hs_wasm_export *exports;
    uint32_t num_exports;

    bool has_start;
    uint32_t start_func;

    hs_wasm_elem *elems;
    uint32_t num_elems;

    bool has_data_count;
    uint32_t data_count;
    hs_wasm_data *datas;
    uint32_t num_datas;

    hs_wasm_custom *customs;
    uint32_t num_customs;

    bool has_tag_section;
    /* Features seen outside function bodies (segment encodings, value types, memory flags...).
     * Function bodies are reported per operator by hs_wasm_op_next(). Bitmask of
     * hs_wasm_feature. */
    unsigned section_features;
} hs_wasm_module;

/* Decode `size` bytes at `bytes` into *out.
 * On HS_WASM_OK, *out holds the module; release it with hs_wasm_module_free(). On failure,
 * *out is left freed and zeroed (hs_wasm_module_free on it is harmless), and `err` (if non-NULL,
 * `errlen` > 0) holds a one-line message such as
 * "truncated: section 10 (code) at offset 1234". Never reads outside [bytes, bytes + size). */
HS_WASM_MUST_USE hs_wasm_result hs_wasm_parse(const uint8_t *bytes, size_t size,
                                              hs_wasm_module *out, char *err, size_t errlen);

/* Release everything hs_wasm_parse() allocated and zero *m. Accepts a zeroed module. */
void hs_wasm_module_free(hs_wasm_module *m);

/* Signature of function `func_index` in the function index space (imports first), or NULL if
 * the index or its type index is out of range. */
const hs_wasm_functype *hs_wasm_func_type(const hs_wasm_module *m, uint32_t func_index);

/* Total number of functions / globals in the index space (imported + defined). */
uint32_t hs_wasm_num_funcs(const hs_wasm_module *m);
uint32_t hs_wasm_num_globals(const hs_wasm_module *m);

/* Type of global `global_index` in the index space, or NULL if out of range. */
const hs_wasm_globaltype *hs_wasm_global_type(const hs_wasm_module *m, uint32_t global_index);

/* Find an export by name (exact byte match); NULL if absent. */
const hs_wasm_export *hs_wasm_find_export(const hs_wasm_module *m, const char *name);

/* ------------------------------------------------------------------------------------------ */
/* Instruction decoding                                                                         */

/* What an operator's immediates are. */
typedef enum hs_wasm_imm_kind {
    HS_WASM_IMM_NONE,
    HS_WASM_IMM_BLOCK,         /* block_type */
    HS_WASM_IMM_LABEL,         /* index = relative depth */
    HS_WASM_IMM_BR_TABLE,      /* br_count, br_targets_offset, br_default */
    HS_WASM_IMM_FUNC,          /* index = function index */
    HS_WASM_IMM_CALL_INDIRECT, /* index = type index, index2 = table index */
    HS_WASM_IMM_LOCAL,         /* index = local index */
    HS_WASM_IMM_GLOBAL,        /* index = global index */
    HS_WASM_IMM_TABLE,         /* index = table index */
    HS_WASM_IMM_TABLE2,        /* table.copy: index = dst table, index2 = src table */
    HS_WASM_IMM_MEMARG,        /* align, mem_offset, index = memory index */
    HS_WASM_IMM_MEMARG_LANE,   /* memarg plus lane */
    HS_WASM_IMM_MEMORY,        /* index = memory index (memory.size/grow/fill) */
    HS_WASM_IMM_MEMORY2,       /* memory.copy: index = dst memory, index2 = src memory */
    HS_WASM_IMM_SEGMENT,       /* index = data/elem segment (data.drop, elem.drop) */
    HS_WASM_IMM_SEGMENT_INIT,  /* memory.init/table.init: index = segment, index2 = mem/table */
    HS_WASM_IMM_I32,           /* value = sign-extended i32 as uint64 bits */
    HS_WASM_IMM_I64,           /* value = i64 bits */
    HS_WASM_IMM_F32,           /* value = f32 bit pattern */
    HS_WASM_IMM_F64,           /* value = f64 bit pattern */
    HS_WASM_IMM_V128,          /* 16 bytes at imm_offset */
    HS_WASM_IMM_SHUFFLE,       /* 16 lane bytes at imm_offset */
    HS_WASM_IMM_LANE,          /* lane */
    HS_WASM_IMM_SELECT_T,      /* index = number of types, types at imm_offset */
    HS_WASM_IMM_HEAP_TYPE,     /* index = heap type byte */
    HS_WASM_IMM_TAG,           /* index = tag index */
    HS_WASM_IMM_ATOMIC_FENCE   /* one reserved 0x00 byte */
} hs_wasm_imm_kind;

/* Block types are kept as the signed 33-bit value of their encoding. */
#define HS_WASM_BLOCK_EMPTY (-64) /* 0x40 */
/* A block type >= 0 is a type index (multi-value); -1..-17 are value types: the valtype byte is
 * (uint8_t)(0x80 + block_type), e.g. -1 → 0x7F i32. */

/* One decoded instruction. */
typedef struct hs_wasm_op {
    size_t offset;         /* file offset of the opcode (its prefix byte, if any) */
    uint32_t length;       /* encoded length in bytes, immediates included */
    uint8_t prefix;        /* 0 for one-byte opcodes, else 0xFC, 0xFD or 0xFE */
    uint32_t code;         /* opcode byte, or the sub-opcode after the prefix */
    const char *name;      /* static text name, e.g. "i32.add", "memory.copy" */
    unsigned feature;      /* one hs_wasm_feature bit (HS_WASM_FEAT_MVP = 0 for MVP operators) */
    bool is_float;         /* reads, writes or converts f32/f64 values (scalar float ops only) */
    bool is_const_expr_op; /* allowed in an MVP constant expression */
    hs_wasm_imm_kind imm;
    int64_t block_type;
    uint32_t index;
    uint32_t index2;
    uint32_t align; /* memarg alignment exponent (flags with the memory-index bit removed) */
    uint64_t mem_offset;
    uint64_t value;
    uint8_t lane;
    uint32_t br_count;        /* br_table: number of targets excluding the default */
    size_t br_targets_offset; /* br_table: file offset of the first target LEB */
    uint32_t br_default;      /* br_table: default target */
    size_t imm_offset;        /* V128/SHUFFLE/SELECT_T: file offset of the raw immediate */
} hs_wasm_op;

/* Instruction cursor over a function body or a constant expression. Treat the fields as
 * read-only. `depth` is the current nesting depth (0 = function level); `done` becomes true
 * after the final `end` has been returned. */
typedef struct hs_wasm_op_iter {
    const uint8_t *bytes;
    size_t pos;
    size_t end;
    uint32_t depth;
    bool done;
    bool failed;
    bool exact_end;         /* the final `end` must be the last byte of the range */
    hs_wasm_result fail_rc; /* result repeated by every call after a failure */
    uint32_t func_index;    /* function index space, or UINT32_MAX for constant expressions */
    char err[160];          /* message after a failure */
} hs_wasm_op_iter;

/* Start iterating defined function `defined_index` (0-based among defined functions, i.e.
 * function index num_imported_funcs + defined_index). Out-of-range indices give an iterator
 * whose first hs_wasm_op_next() fails. */
void hs_wasm_op_iter_init_func(hs_wasm_op_iter *it, const hs_wasm_module *m,
                               uint32_t defined_index);

/* Start iterating an arbitrary instruction sequence [range.offset, range.offset + range.size)
 * of `m->bytes` that ends with the `end` closing depth 0 (constant expressions). */
void hs_wasm_op_iter_init_range(hs_wasm_op_iter *it, const hs_wasm_module *m, hs_wasm_range range);

/* Decode the next instruction into *op.
 * Returns HS_WASM_OK with *op filled (check it->done afterwards: true once the final `end` was
 * decoded and the range fully consumed). Calling again when done returns HS_WASM_OK with
 * op->length 0. On failure returns TRUNCATED / MALFORMED (unknown opcode, bad immediate,
 * unbalanced `end`, trailing bytes) with a message in it->err, e.g.
 * "malformed: unknown opcode 0xd7 at offset 0x1a3"; further calls keep failing. */
HS_WASM_MUST_USE hs_wasm_result hs_wasm_op_next(hs_wasm_op_iter *it, hs_wasm_op *op);

/* Decode up to `cap` br_table targets of `op` into `out`; returns the number of targets
 * (op->br_count) or 0 if op is not a br_table. The default target is op->br_default. */
uint32_t hs_wasm_br_table_targets(const hs_wasm_module *m, const hs_wasm_op *op, uint32_t *out,
                                  uint32_t cap);

/* Bounds-checked LEB128 decoders, exposed for rewriters. Each reads at bytes[*pos], stops at
 * `end`, advances *pos and returns true; returns false (and leaves *pos unchanged) when the
 * value is truncated, longer than the type allows (5 bytes for 32-bit, 10 for 64-bit) or has
 * unused high bits set. Padded encodings within the byte limit are accepted, as the spec says. */
bool hs_wasm_read_u32(const uint8_t *bytes, size_t end, size_t *pos, uint32_t *out);
bool hs_wasm_read_s32(const uint8_t *bytes, size_t end, size_t *pos, int32_t *out);
bool hs_wasm_read_s33(const uint8_t *bytes, size_t end, size_t *pos, int64_t *out);
bool hs_wasm_read_u64(const uint8_t *bytes, size_t end, size_t *pos, uint64_t *out);
bool hs_wasm_read_s64(const uint8_t *bytes, size_t end, size_t *pos, int64_t *out);

#endif /* HS_WASM_PARSE_H */

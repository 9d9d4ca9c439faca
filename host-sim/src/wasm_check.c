/* wasm_check.c — the CosmWasm static validator ("host-sim check"): parses a module with
 * wasm_parse and lists every rule it breaks, one line per violation.
 *
 * Rules follow cosmwasm-vm 2.x packages/vm/src/compatibility.rs (check_wasm_tables,
 * check_wasm_memories, check_interface_version, check_wasm_exports, check_wasm_imports,
 * check_wasm_functions), config.rs (WasmLimits defaults) and parsed_wasm.rs (the wasmparser
 * feature set). Where they differ from ARCHITECTURE.md §1 the source wins:
 *   - max params per function type is 100 (DEFAULT_MAX_FUNCTION_PARAMS), not 50, and
 *     max functions is 20,000; a total of 10,000 params over all defined functions also applies;
 *   - the only required exports are allocate and deallocate (functions) plus exactly one
 *     interface_version_* export that must be interface_version_8; no entry point is required;
 *   - at most one table, and if present it must have a maximum <= 2500;
 *   - imports beyond §1's list are allowed (abort, db_next_key, db_next_value, addr_validate,
 *     secp256r1_*, bls12_381_*), and every import must be a function;
 *   - a start section is not rejected.
 * cosmwasm-vm's parser enables saturating-float-to-int and multi-value; Ballast rejects both
 * anyway (the first is a float operator, the second is outside ARCHITECTURE §1's feature set of
 * MVP + sign-ext + mutable-globals). Ballast's own rules: no floats anywhere, module size at most
 * 800 KiB (wasmd upload limit), and a `memory` export (the VM reads the contract's memory by
 * that name). Full type-checking of function bodies is not done; index ranges are. */
#include "wasm_check.h"

#include "wasm_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const hs_check_supported_imports[] = {
    "env.abort",
    "env.db_read",
    "env.db_write",
    "env.db_remove",
    "env.addr_validate",
    "env.addr_canonicalize",
    "env.addr_humanize",
    "env.bls12_381_aggregate_g1",
    "env.bls12_381_aggregate_g2",
    "env.bls12_381_pairing_equality",
    "env.bls12_381_hash_to_g1",
    "env.bls12_381_hash_to_g2",
    "env.secp256k1_verify",
    "env.secp256k1_recover_pubkey",
    "env.secp256r1_verify",
    "env.secp256r1_recover_pubkey",
    "env.ed25519_verify",
    "env.ed25519_batch_verify",
    "env.debug",
    "env.query_chain",
    "env.db_scan",
    "env.db_next",
    "env.db_next_key",
    "env.db_next_value",
    NULL,
};

#define REQUIRED_INTERFACE_VERSION "interface_version_8"
#define INTERFACE_VERSION_PREFIX "interface_version_"

void hs_check_limits_default(hs_check_limits *limits) {
    limits->max_module_bytes = 800u * 1024u;
    limits->max_memory_pages = 512;
    limits->max_table_elements = 2500;
    limits->max_imports = 100;
    limits->max_functions = 20000;
    limits->max_function_params = 100;
    limits->max_total_function_params = 10000;
    limits->max_function_results = 1;
    limits->allow_floats = false;
    limits->max_lines_per_kind = 50;
}

void hs_check_report_free(hs_check_report *report) {
    if (!report) return;
    for (size_t i = 0; i < report->count; i++) free(report->lines[i]);
    free(report->lines);
    memset(report, 0, sizeof *report);
}

/* ------------------------------------------------------------------------------------------ */
/* Report building                                                                              */

/* Kinds of repeated per-operator violations, each capped at max_lines_per_kind lines. */
enum {
    KIND_FLOAT = 0,
    KIND_INVALID = 1,
    KIND_FEATURE0 = 2, /* + bit position of the feature */
    KIND_COUNT = KIND_FEATURE0 + 16
};

typedef struct checker {
    const hs_wasm_module *m;
    const hs_check_limits *lim;
    hs_check_report *report;
    uint32_t kind_lines[KIND_COUNT];
    uint32_t kind_dropped[KIND_COUNT];
} checker;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void
add_line(hs_check_report *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        r->out_of_memory = true;
        return;
    }
    char *line = malloc((size_t)n + 1);
    if (!line) {
        r->out_of_memory = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(line, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (r->count == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 16;
        char **nl = realloc(r->lines, ncap * sizeof *nl);
        if (!nl) {
            free(line);
            r->out_of_memory = true;
            return;
        }
        r->lines = nl;
        r->cap = ncap;
    }
    r->lines[r->count++] = line;
}

/* True if another line of `kind` may be listed; counts the ones that may not. */
static bool kind_allows(checker *c, unsigned kind) {
    if (c->kind_lines[kind] < c->lim->max_lines_per_kind) {
        c->kind_lines[kind]++;
        return true;
    }
    c->kind_dropped[kind]++;
    return false;
}

static unsigned feature_bit(unsigned feature) {
    unsigned bit = 0;
    while (feature > 1u && bit < 15) {
        feature >>= 1;
        bit++;
    }
    return bit;
}

/* A printable copy of a wasm name for messages: control bytes and quotes become '?', long
 * names are cut. */
static const char *printable(const hs_wasm_name *n, char *buf, size_t len) {
    size_t j = 0;
    for (uint32_t i = 0; i < n->len && j + 4 < len; i++) {
        unsigned char ch = (unsigned char)n->str[i];
        buf[j++] = (ch < 0x20 || ch == 0x7f || ch == '"') ? '?' : (char)ch;
    }
    if (j + 4 >= len && j < n->len) {
        memcpy(buf + j, "...", 3);
        j += 3;
    }
    buf[j] = '\0';
    return buf;
}

static bool is_float_type(uint8_t t) {
    return t == HS_WASM_F32 || t == HS_WASM_F64;
}

/* Report a value type that is not MVP (v128, references) or is a float under Ballast's rule.
 * `what` names the use ("type", "global", "local"), `where` completes the sentence, e.g.
 * "in type 3". Returns true if something was reported. */
static bool check_valtype(checker *c, uint8_t t, const char *what, const char *where) {
    if (t == HS_WASM_V128) {
        add_line(c->report, "simd value type v128 %s", where);
        return true;
    }
    if (t == HS_WASM_FUNCREF || t == HS_WASM_EXTERNREF) {
        add_line(c->report, "reference-types value type %s %s", hs_wasm_valtype_name(t), where);
        return true;
    }
    if (is_float_type(t) && !c->lim->allow_floats) {
        add_line(c->report, "float %s %s %s", what, hs_wasm_valtype_name(t), where);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------------------------------ */
/* Module-level rules                                                                           */

static void check_tables(checker *c) {
    const hs_wasm_module *m = c->m;
    if (m->num_tables > 1) add_line(c->report, "%u tables (at most one allowed)", m->num_tables);
    for (uint32_t i = 0; i < m->num_tables; i++) {
        const hs_wasm_tabletype *t = &m->tables[i];
        const uint32_t idx = m->num_imported_tables + i;
        if (t->elem_type != HS_WASM_FUNCREF)
            add_line(c->report, "reference-types table %u element type %s", idx,
                     hs_wasm_valtype_name(t->elem_type));
        if (!t->limits.has_max)
            add_line(c->report, "table %u has no maximum (must be bounded)", idx);
        else if (t->limits.max > c->lim->max_table_elements)
            add_line(c->report, "table %u maximum %llu exceeds limit %u", idx,
                     (unsigned long long)t->limits.max, c->lim->max_table_elements);
        if (t->limits.has_max && t->limits.min > t->limits.max)
            add_line(c->report, "invalid wasm: table %u minimum %llu exceeds its maximum %llu", idx,
                     (unsigned long long)t->limits.min, (unsigned long long)t->limits.max);
    }
}

static void check_memories(checker *c) {
    const hs_wasm_module *m = c->m;
    if (m->num_memories != 1)
        add_line(c->report, "%u memories (exactly one required)", m->num_memories);
    for (uint32_t i = 0; i < m->num_memories; i++) {
        const hs_wasm_limits *l = &m->memories[i];
        const uint32_t idx = m->num_imported_memories + i;
        if (l->flags & 0x04) add_line(c->report, "memory64 memory %u", idx);
        if (l->flags & 0x02) add_line(c->report, "threads shared memory %u", idx);
        if (l->min > c->lim->max_memory_pages)
            add_line(c->report, "memory %u initial size %llu pages exceeds limit %u", idx,
                     (unsigned long long)l->min, c->lim->max_memory_pages);
        if (l->has_max) add_line(c->report, "memory %u has a maximum (must be unset)", idx);
        if (!(l->flags & 0x04) && l->min > 65536)
            add_line(c->report, "invalid wasm: memory %u minimum %llu pages exceeds 65536", idx,
                     (unsigned long long)l->min);
        if (l->has_max && l->min > l->max)
            add_line(c->report, "invalid wasm: memory %u minimum %llu exceeds its maximum %llu",
                     idx, (unsigned long long)l->min, (unsigned long long)l->max);
    }
}

static bool starts_with(const hs_wasm_name *n, const char *prefix) {
    size_t len = strlen(prefix);
    return n->len >= len && memcmp(n->str, prefix, len) == 0;
}

static bool name_is(const hs_wasm_name *n, const char *s) {
    size_t len = strlen(s);
    return n->len == len && memcmp(n->str, s, len) == 0;
}

static void check_exports(checker *c) {
    const hs_wasm_module *m = c->m;
    char buf[128];
    const uint32_t nfuncs = hs_wasm_num_funcs(m);

    /* Index ranges and duplicate names (wasm validity). */
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const hs_wasm_export *e = &m->exports[i];
        uint32_t limit = 0;
        const char *what = "function";
        switch (e->kind) {
        case HS_WASM_EXTERN_FUNC:
            limit = nfuncs;
            break;
        case HS_WASM_EXTERN_TABLE:
            limit = m->num_imported_tables + m->num_tables;
            what = "table";
            break;
        case HS_WASM_EXTERN_MEMORY:
            limit = m->num_imported_memories + m->num_memories;
            what = "memory";
            break;
        case HS_WASM_EXTERN_GLOBAL:
            limit = hs_wasm_num_globals(m);
            what = "global";
            break;
        default:
            limit = 0;
            what = "tag";
            add_line(c->report, "exceptions tag export %s", printable(&e->name, buf, sizeof buf));
            break;
        }
        if (e->index >= limit && e->kind <= HS_WASM_EXTERN_GLOBAL)
            add_line(c->report, "invalid wasm: export %s refers to %s %u (only %u)",
                     printable(&e->name, buf, sizeof buf), what, e->index, limit);
        for (uint32_t k = 0; k < i; k++) {
            if (m->exports[k].name.len == e->name.len &&
                memcmp(m->exports[k].name.str, e->name.str, e->name.len) == 0) {
                add_line(c->report, "invalid wasm: duplicate export name %s",
                         printable(&e->name, buf, sizeof buf));
                break;
            }
        }
    }

    /* check_interface_version: exactly one exported function interface_version_*, = _8. */
    uint32_t versions = 0;
    const hs_wasm_export *version = NULL;
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const hs_wasm_export *e = &m->exports[i];
        if (e->kind == HS_WASM_EXTERN_FUNC && starts_with(&e->name, INTERFACE_VERSION_PREFIX)) {
            versions++;
            version = e;
        }
    }
    if (versions == 0)
        add_line(c->report, "missing export " REQUIRED_INTERFACE_VERSION);
    else if (versions > 1)
        add_line(c->report, "multiple interface_version_* exports (exactly one required)");
    else if (!name_is(&version->name, REQUIRED_INTERFACE_VERSION))
        add_line(c->report,
                 "unsupported interface version export %s (only " REQUIRED_INTERFACE_VERSION
                 " is supported)",
                 printable(&version->name, buf, sizeof buf));

    /* check_wasm_exports: allocate and deallocate must be exported functions. */
    static const char *const required[] = {"allocate", "deallocate"};
    for (size_t r = 0; r < sizeof required / sizeof required[0]; r++) {
        const hs_wasm_export *e = hs_wasm_find_export(m, required[r]);
        if (!e)
            add_line(c->report, "missing export %s", required[r]);
        else if (e->kind != HS_WASM_EXTERN_FUNC)
            add_line(c->report, "export %s is not a function", required[r]);
    }
    /* Not in check_wasm, but the VM cannot run a contract without it. */
    const hs_wasm_export *mem = hs_wasm_find_export(m, "memory");
    if (!mem)
        add_line(c->report, "missing export memory");
    else if (mem->kind != HS_WASM_EXTERN_MEMORY)
        add_line(c->report, "export memory is not a memory");
}

static bool import_supported(const hs_wasm_import *im) {
    for (size_t i = 0; hs_check_supported_imports[i]; i++) {
        const char *full = hs_check_supported_imports[i];
        const char *dot = strchr(full, '.');
        const size_t mlen = (size_t)(dot - full);
        if (im->module.len == mlen && memcmp(im->module.str, full, mlen) == 0 &&
            name_is(&im->field, dot + 1))
            return true;
    }
    return false;
}

static void check_imports(checker *c) {
    const hs_wasm_module *m = c->m;
    char mod[96], field[96];
    if (m->num_imports > c->lim->max_imports)
        add_line(c->report, "too many imports: %u (limit %u)", m->num_imports, c->lim->max_imports);
    for (uint32_t i = 0; i < m->num_imports; i++) {
        const hs_wasm_import *im = &m->imports[i];
        printable(&im->module, mod, sizeof mod);
        printable(&im->field, field, sizeof field);
        if (!import_supported(im))
            add_line(c->report, "import %s.%s is not supported", mod, field);
        else if (im->kind != HS_WASM_EXTERN_FUNC)
            add_line(c->report,
                     "import %s.%s is not a function (only function imports are "
                     "supported)",
                     mod, field);
        if (im->kind == HS_WASM_EXTERN_FUNC && im->desc.func_type >= m->num_types)
            add_line(c->report, "invalid wasm: import %s.%s has type index %u (only %u types)", mod,
                     field, im->desc.func_type, m->num_types);
    }
}

static void check_function_limits(checker *c) {
    const hs_wasm_module *m = c->m;
    if (m->num_defined_funcs > c->lim->max_functions)
        add_line(c->report, "too many functions: %u (limit %u)", m->num_defined_funcs,
                 c->lim->max_functions);
    for (uint32_t i = 0; i < m->num_types; i++) {
        const hs_wasm_functype *t = &m->types[i];
        if (t->num_params > c->lim->max_function_params)
            add_line(c->report, "type %u has %u params (limit %u)", i, t->num_params,
                     c->lim->max_function_params);
        if (t->num_results > c->lim->max_function_results)
            add_line(c->report, "type %u has %u results (limit %u)", i, t->num_results,
                     c->lim->max_function_results);
    }
    uint64_t total = 0;
    for (uint32_t i = 0; i < m->num_defined_funcs; i++) {
        const uint32_t ti = m->funcs[i].type_index;
        if (ti < m->num_types)
            total += m->types[ti].num_params;
        else
            add_line(c->report, "invalid wasm: function %u has type index %u (only %u types)",
                     m->num_imported_funcs + i, ti, m->num_types);
    }
    if (total > c->lim->max_total_function_params)
        add_line(c->report, "total function params %llu exceeds limit %u",
                 (unsigned long long)total, c->lim->max_total_function_params);
}

/* Value types, globals, segments, start: everything outside function bodies. */
static void check_sections(checker *c) {
    const hs_wasm_module *m = c->m;
    char where[64];
    for (uint32_t i = 0; i < m->num_types; i++) {
        const hs_wasm_functype *t = &m->types[i];
        snprintf(where, sizeof where, "in type %u", i);
        bool reported_float = false;
        for (uint32_t k = 0; k < t->num_params + t->num_results; k++) {
            uint8_t vt = k < t->num_params ? t->params[k] : t->results[k - t->num_params];
            if (is_float_type(vt) && reported_float) continue;
            if (check_valtype(c, vt, "type", where) && is_float_type(vt)) reported_float = true;
        }
    }
    for (uint32_t i = 0; i < m->num_globals; i++) {
        snprintf(where, sizeof where, "in global %u", m->num_imported_globals + i);
        check_valtype(c, m->globals[i].type.valtype, "global", where);
    }
    for (uint32_t i = 0; i < m->num_defined_funcs; i++) {
        const hs_wasm_func *f = &m->funcs[i];
        snprintf(where, sizeof where, "in function %u", m->num_imported_funcs + i);
        bool reported_float = false;
        for (uint32_t g = 0; g < f->num_local_groups; g++) {
            uint8_t vt = m->local_groups[f->local_group_first + g].valtype;
            if (is_float_type(vt) && reported_float) continue;
            if (check_valtype(c, vt, "local", where) && is_float_type(vt)) reported_float = true;
        }
    }
    if (m->num_imported_tags || m->has_tag_section) add_line(c->report, "exceptions tag section");
    if (m->has_data_count) add_line(c->report, "bulk-memory data count section");
    for (uint32_t i = 0; i < m->num_datas; i++) {
        const hs_wasm_data *d = &m->datas[i];
        if (d->flags == 1)
            add_line(c->report, "bulk-memory passive data segment %u", i);
        else if (d->flags == 2)
            add_line(c->report, "bulk-memory data segment %u with explicit memory index %u", i,
                     d->memory_index);
    }
    const uint32_t nfuncs = hs_wasm_num_funcs(m);
    for (uint32_t i = 0; i < m->num_elems; i++) {
        const hs_wasm_elem *e = &m->elems[i];
        if (e->flags == 1)
            add_line(c->report, "bulk-memory passive element segment %u", i);
        else if (e->flags != 0)
            add_line(c->report, "reference-types element segment %u (flags 0x%x)", i, e->flags);
        for (uint32_t k = 0; e->func_indices && k < e->num_elems; k++) {
            if (e->func_indices[k] >= nfuncs) {
                add_line(c->report,
                         "invalid wasm: element segment %u refers to function %u (only %u)", i,
                         e->func_indices[k], nfuncs);
                break;
            }
        }
        if (!(e->flags & 1u) && e->table_index >= m->num_imported_tables + m->num_tables)
            add_line(c->report, "invalid wasm: element segment %u uses table %u (only %u)", i,
                     e->table_index, m->num_imported_tables + m->num_tables);
    }
    if (m->num_datas && m->num_imported_memories + m->num_memories == 0)
        add_line(c->report, "invalid wasm: data segments without a memory");
    if (m->has_start) {
        const hs_wasm_functype *t = hs_wasm_func_type(m, m->start_func);
        if (!t)
            add_line(c->report, "invalid wasm: start function %u does not exist", m->start_func);
        else if (t->num_params || t->num_results)
            add_line(c->report, "invalid wasm: start function %u must take and return nothing",
                     m->start_func);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Function bodies                                                                              */

static bool op_uses_memory(const hs_wasm_op *op) {
    switch (op->imm) {
    case HS_WASM_IMM_MEMARG:
    case HS_WASM_IMM_MEMARG_LANE:
    case HS_WASM_IMM_MEMORY:
    case HS_WASM_IMM_MEMORY2:
        return true;
    case HS_WASM_IMM_SEGMENT_INIT:
        return op->prefix == 0xFC && op->code == 8;
    default:
        return false;
    }
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
static void
invalid_op(checker *c, uint32_t fidx, const hs_wasm_op *op, const char *fmt, ...) {
    if (!kind_allows(c, KIND_INVALID)) return;
    char what[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    add_line(c->report, "invalid wasm: %s in function %u at offset 0x%zx", what, fidx, op->offset);
}

static void check_body(checker *c, uint32_t defined_index) {
    const hs_wasm_module *m = c->m;
    const uint32_t fidx = m->num_imported_funcs + defined_index;
    const hs_wasm_func *f = &m->funcs[defined_index];
    const uint32_t nparams = f->type_index < m->num_types ? m->types[f->type_index].num_params : 0;
    const uint64_t nlocals = (uint64_t)nparams + f->num_locals;
    const uint32_t nfuncs = hs_wasm_num_funcs(m);
    const uint32_t nglobals = hs_wasm_num_globals(m);
    const uint32_t ntables = m->num_imported_tables + m->num_tables;
    const bool has_memory = m->num_imported_memories + m->num_memories > 0;

    hs_wasm_op_iter it;
    hs_wasm_op op;
    hs_wasm_op_iter_init_func(&it, m, defined_index);
    while (!it.done) {
        const uint32_t depth = it.depth; /* labels visible to this op: 0..depth */
        if (hs_wasm_op_next(&it, &op) != HS_WASM_OK) {
            if (kind_allows(c, KIND_INVALID)) add_line(c->report, "invalid wasm: %s", it.err);
            return;
        }
        /* Features outside MVP + sign-ext + mutable-globals. */
        if (op.feature == HS_WASM_FEAT_MULTI_VALUE) {
            if (kind_allows(c, KIND_FEATURE0 + feature_bit(op.feature)))
                add_line(c->report,
                         "multi-value block type (type %lld) on %s in function %u at offset "
                         "0x%zx",
                         (long long)op.block_type, op.name, fidx, op.offset);
        } else if (op.feature != HS_WASM_FEAT_MVP && op.feature != HS_WASM_FEAT_SIGN_EXT &&
                   op.feature != HS_WASM_FEAT_SAT_TRUNC) {
            if (kind_allows(c, KIND_FEATURE0 + feature_bit(op.feature)))
                add_line(c->report, "%s operator %s in function %u at offset 0x%zx",
                         hs_wasm_feature_name(op.feature), op.name, fidx, op.offset);
        } else if (op.is_float && !c->lim->allow_floats) {
            if (kind_allows(c, KIND_FLOAT))
                add_line(c->report, "float operator %s in function %u at offset 0x%zx", op.name,
                         fidx, op.offset);
        } else if (op.imm == HS_WASM_IMM_BLOCK && !c->lim->allow_floats &&
                   (op.block_type == (int64_t)HS_WASM_F32 - 0x80 ||
                    op.block_type == (int64_t)HS_WASM_F64 - 0x80)) {
            if (kind_allows(c, KIND_FLOAT))
                add_line(c->report, "float block type %s on %s in function %u at offset 0x%zx",
                         hs_wasm_valtype_name((uint8_t)(op.block_type + 0x80)), op.name, fidx,
                         op.offset);
        }

        /* Index ranges. */
        switch (op.imm) {
        case HS_WASM_IMM_LOCAL:
            if (op.index >= nlocals) invalid_op(c, fidx, &op, "local %u out of range", op.index);
            break;
        case HS_WASM_IMM_GLOBAL:
            if (op.index >= nglobals) invalid_op(c, fidx, &op, "global %u out of range", op.index);
            break;
        case HS_WASM_IMM_FUNC:
            if (op.index >= nfuncs) invalid_op(c, fidx, &op, "function %u out of range", op.index);
            break;
        case HS_WASM_IMM_CALL_INDIRECT:
            if (op.index >= m->num_types)
                invalid_op(c, fidx, &op, "type %u out of range", op.index);
            if (op.index2 >= ntables)
                invalid_op(c, fidx, &op, "%s without table %u", op.name, op.index2);
            break;
        case HS_WASM_IMM_LABEL:
            if (op.index > depth)
                invalid_op(c, fidx, &op, "branch depth %u out of range", op.index);
            break;
        case HS_WASM_IMM_BR_TABLE: {
            uint32_t bad = op.br_default > depth ? op.br_default : UINT32_MAX;
            size_t pos = op.br_targets_offset;
            for (uint32_t i = 0; i < op.br_count && bad == UINT32_MAX; i++) {
                uint32_t t = 0;
                if (hs_wasm_read_u32(m->bytes, op.offset + op.length, &pos, &t) && t > depth)
                    bad = t;
            }
            if (bad != UINT32_MAX) invalid_op(c, fidx, &op, "branch depth %u out of range", bad);
            break;
        }
        default:
            break;
        }
        if (op_uses_memory(&op) && !has_memory)
            invalid_op(c, fidx, &op, "%s without a memory", op.name);
    }
}

/* ------------------------------------------------------------------------------------------ */

int hs_wasm_check_with(const uint8_t *bytes, size_t size, const hs_check_limits *limits,
                       hs_check_report *report) {
    hs_check_limits defaults;
    if (!limits) {
        hs_check_limits_default(&defaults);
        limits = &defaults;
    }
    memset(report, 0, sizeof *report);

    if (size > limits->max_module_bytes)
        add_line(report, "module size %zu bytes exceeds %zu (wasmd upload limit)", size,
                 limits->max_module_bytes);

    hs_wasm_module m;
    char err[320];
    if (hs_wasm_parse(bytes, size, &m, err, sizeof err) != HS_WASM_OK) {
        add_line(report, "invalid wasm: %s", err);
        return report->out_of_memory ? -1 : (int)report->count;
    }

    checker c = {.m = &m, .lim = limits, .report = report};
    check_tables(&c);
    check_memories(&c);
    check_exports(&c);
    check_imports(&c);
    check_function_limits(&c);
    check_sections(&c);
    for (uint32_t i = 0; i < m.num_defined_funcs; i++) check_body(&c, i);

    static const char *const kind_names[KIND_FEATURE0] = {"float operator", "invalid wasm"};
    for (unsigned k = 0; k < KIND_COUNT; k++) {
        if (!c.kind_dropped[k]) continue;
        if (k < KIND_FEATURE0)
            add_line(report, "%s lines truncated: %u more not listed", kind_names[k],
                     c.kind_dropped[k]);
        else
            add_line(report, "%s operator lines truncated: %u more not listed",
                     hs_wasm_feature_name(1u << (k - KIND_FEATURE0)), c.kind_dropped[k]);
    }
    hs_wasm_module_free(&m);
    if (report->out_of_memory) return -1;
    return report->count > (size_t)0x7fffffff ? 0x7fffffff : (int)report->count;
}

int hs_wasm_check(const uint8_t *bytes, size_t size, hs_check_report *report) {
    return hs_wasm_check_with(bytes, size, NULL, report);
}

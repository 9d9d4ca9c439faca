/* wasm_parse.c — bounds-checked decoder for the WebAssembly binary format: sections into an
 * hs_wasm_module, function bodies one instruction at a time. See wasm_parse.h for the API. */
#include "wasm_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Safety limit: locals per function (wasmparser uses the same figure). */
#define HS_WASM_MAX_LOCALS 50000u

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                        */

const char *hs_wasm_strerror(hs_wasm_result r) {
    switch (r) {
    case HS_WASM_OK:
        return "ok";
    case HS_WASM_ERR_TRUNCATED:
        return "truncated";
    case HS_WASM_ERR_MALFORMED:
        return "malformed";
    case HS_WASM_ERR_UNSUPPORTED:
        return "unsupported";
    case HS_WASM_ERR_LIMIT:
        return "limit exceeded";
    case HS_WASM_ERR_NOMEM:
        return "out of memory";
    }
    return "unknown error";
}

const char *hs_wasm_valtype_name(uint8_t valtype) {
    switch (valtype) {
    case HS_WASM_I32:
        return "i32";
    case HS_WASM_I64:
        return "i64";
    case HS_WASM_F32:
        return "f32";
    case HS_WASM_F64:
        return "f64";
    case HS_WASM_V128:
        return "v128";
    case HS_WASM_FUNCREF:
        return "funcref";
    case HS_WASM_EXTERNREF:
        return "externref";
    default:
        return "unknown";
    }
}

const char *hs_wasm_section_name(uint8_t id) {
    static const char *const names[] = {"custom", "type",   "import",     "function", "table",
                                        "memory", "global", "export",     "start",    "element",
                                        "code",   "data",   "data count", "tag"};
    return id < sizeof names / sizeof names[0] ? names[id] : "unknown";
}

const char *hs_wasm_feature_name(unsigned feature) {
    switch (feature) {
    case HS_WASM_FEAT_MVP:
        return "mvp";
    case HS_WASM_FEAT_SIGN_EXT:
        return "sign-ext";
    case HS_WASM_FEAT_SAT_TRUNC:
        return "saturating-float-to-int";
    case HS_WASM_FEAT_BULK_MEMORY:
        return "bulk-memory";
    case HS_WASM_FEAT_REFERENCE_TYPES:
        return "reference-types";
    case HS_WASM_FEAT_SIMD:
        return "simd";
    case HS_WASM_FEAT_THREADS:
        return "threads";
    case HS_WASM_FEAT_TAIL_CALL:
        return "tail-call";
    case HS_WASM_FEAT_MULTI_VALUE:
        return "multi-value";
    case HS_WASM_FEAT_EXCEPTIONS:
        return "exceptions";
    case HS_WASM_FEAT_MULTI_MEMORY:
        return "multi-memory";
    case HS_WASM_FEAT_MEMORY64:
        return "memory64";
    case HS_WASM_FEAT_MUTABLE_GLOBALS:
        return "mutable-globals";
    default:
        return "unknown-feature";
    }
}

/* ------------------------------------------------------------------------------------------ */
/* LEB128                                                                                       */

/* Shared LEB128 core. `bits` is the width of the target type. Returns 1 on success, 0 when the
 * input ends first (truncated), -1 when the encoding is too long or has stray high bits. */
static int leb_decode(const uint8_t *b, size_t end, size_t *pos, unsigned bits, bool is_signed,
                      uint64_t *out) {
    const unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    unsigned shift = 0;
    size_t p = *pos;
    uint8_t byte = 0;
    for (unsigned i = 0;; i++) {
        if (p >= end) return 0;
        byte = b[p++];
        if (i == max_bytes - 1) {
            const unsigned used = bits - shift; /* value bits carried by this last byte */
            if (byte & 0x80) return -1;
            if (used < 7) {
                const uint8_t high = (uint8_t)(0x7f & ~((1u << used) - 1u));
                if (!is_signed) {
                    if (byte & high) return -1;
                } else {
                    const bool negative = (byte >> (used - 1)) & 1u;
                    if ((byte & high) != (negative ? high : 0)) return -1;
                }
            }
            result |= (uint64_t)(byte & 0x7f) << shift;
            shift += 7;
            break;
        }
        result |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80)) break;
    }
    if (is_signed && shift < 64 && (byte & 0x40)) result |= ~(uint64_t)0 << shift;
    *pos = p;
    *out = result;
    return 1;
}

static int64_t u64_as_s64(uint64_t v) {
    int64_t s;
    memcpy(&s, &v, sizeof s);
    return s;
}

bool hs_wasm_read_u32(const uint8_t *bytes, size_t end, size_t *pos, uint32_t *out) {
    uint64_t v;
    if (leb_decode(bytes, end, pos, 32, false, &v) != 1) return false;
    *out = (uint32_t)v;
    return true;
}

bool hs_wasm_read_s32(const uint8_t *bytes, size_t end, size_t *pos, int32_t *out) {
    uint64_t v;
    if (leb_decode(bytes, end, pos, 32, true, &v) != 1) return false;
    *out = (int32_t)u64_as_s64(v);
    return true;
}

bool hs_wasm_read_s33(const uint8_t *bytes, size_t end, size_t *pos, int64_t *out) {
    uint64_t v;
    if (leb_decode(bytes, end, pos, 33, true, &v) != 1) return false;
    *out = u64_as_s64(v);
    return true;
}

bool hs_wasm_read_u64(const uint8_t *bytes, size_t end, size_t *pos, uint64_t *out) {
    return leb_decode(bytes, end, pos, 64, false, out) == 1;
}

bool hs_wasm_read_s64(const uint8_t *bytes, size_t end, size_t *pos, int64_t *out) {
    uint64_t v;
    if (leb_decode(bytes, end, pos, 64, true, &v) != 1) return false;
    *out = u64_as_s64(v);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Operator tables                                                                              */

enum { OPF_FLOAT = 1, OPF_CONST = 2 };

typedef struct op_info {
    const char *name;
    uint8_t imm;      /* hs_wasm_imm_kind */
    uint16_t feature; /* hs_wasm_feature bit */
    uint8_t flags;    /* OPF_* */
} op_info;

#define OP(n, i)                                                                                   \
    { n, HS_WASM_IMM_##i, 0, 0 }
#define OPF(n, i)                                                                                  \
    { n, HS_WASM_IMM_##i, 0, OPF_FLOAT }
#define OPC(n, i)                                                                                  \
    { n, HS_WASM_IMM_##i, 0, OPF_CONST }
#define OPFC(n, i)                                                                                 \
    { n, HS_WASM_IMM_##i, 0, OPF_FLOAT | OPF_CONST }
#define OPX(n, i, f)                                                                               \
    { n, HS_WASM_IMM_##i, HS_WASM_FEAT_##f, 0 }
#define OPXC(n, i, f)                                                                              \
    { n, HS_WASM_IMM_##i, HS_WASM_FEAT_##f, OPF_CONST }

static const op_info single_ops[256] = {
    [0x00] = OP("unreachable", NONE),
    [0x01] = OP("nop", NONE),
    [0x02] = OP("block", BLOCK),
    [0x03] = OP("loop", BLOCK),
    [0x04] = OP("if", BLOCK),
    [0x05] = OP("else", NONE),
    [0x06] = OPX("try", BLOCK, EXCEPTIONS),
    [0x07] = OPX("catch", TAG, EXCEPTIONS),
    [0x08] = OPX("throw", TAG, EXCEPTIONS),
    [0x09] = OPX("rethrow", LABEL, EXCEPTIONS),
    [0x0B] = OPC("end", NONE),
    [0x0C] = OP("br", LABEL),
    [0x0D] = OP("br_if", LABEL),
    [0x0E] = OP("br_table", BR_TABLE),
    [0x0F] = OP("return", NONE),
    [0x10] = OP("call", FUNC),
    [0x11] = OP("call_indirect", CALL_INDIRECT),
    [0x12] = OPX("return_call", FUNC, TAIL_CALL),
    [0x13] = OPX("return_call_indirect", CALL_INDIRECT, TAIL_CALL),
    [0x18] = OPX("delegate", LABEL, EXCEPTIONS),
    [0x19] = OPX("catch_all", NONE, EXCEPTIONS),
    [0x1A] = OP("drop", NONE),
    [0x1B] = OP("select", NONE),
    [0x1C] = OPX("select", SELECT_T, REFERENCE_TYPES),
    [0x20] = OP("local.get", LOCAL),
    [0x21] = OP("local.set", LOCAL),
    [0x22] = OP("local.tee", LOCAL),
    [0x23] = OPC("global.get", GLOBAL),
    [0x24] = OP("global.set", GLOBAL),
    [0x25] = OPX("table.get", TABLE, REFERENCE_TYPES),
    [0x26] = OPX("table.set", TABLE, REFERENCE_TYPES),
    [0x28] = OP("i32.load", MEMARG),
    [0x29] = OP("i64.load", MEMARG),
    [0x2A] = OPF("f32.load", MEMARG),
    [0x2B] = OPF("f64.load", MEMARG),
    [0x2C] = OP("i32.load8_s", MEMARG),
    [0x2D] = OP("i32.load8_u", MEMARG),
    [0x2E] = OP("i32.load16_s", MEMARG),
    [0x2F] = OP("i32.load16_u", MEMARG),
    [0x30] = OP("i64.load8_s", MEMARG),
    [0x31] = OP("i64.load8_u", MEMARG),
    [0x32] = OP("i64.load16_s", MEMARG),
    [0x33] = OP("i64.load16_u", MEMARG),
    [0x34] = OP("i64.load32_s", MEMARG),
    [0x35] = OP("i64.load32_u", MEMARG),
    [0x36] = OP("i32.store", MEMARG),
    [0x37] = OP("i64.store", MEMARG),
    [0x38] = OPF("f32.store", MEMARG),
    [0x39] = OPF("f64.store", MEMARG),
    [0x3A] = OP("i32.store8", MEMARG),
    [0x3B] = OP("i32.store16", MEMARG),
    [0x3C] = OP("i64.store8", MEMARG),
    [0x3D] = OP("i64.store16", MEMARG),
    [0x3E] = OP("i64.store32", MEMARG),
    [0x3F] = OP("memory.size", MEMORY),
    [0x40] = OP("memory.grow", MEMORY),
    [0x41] = OPC("i32.const", I32),
    [0x42] = OPC("i64.const", I64),
    [0x43] = OPFC("f32.const", F32),
    [0x44] = OPFC("f64.const", F64),
    [0x45] = OP("i32.eqz", NONE),
    [0x46] = OP("i32.eq", NONE),
    [0x47] = OP("i32.ne", NONE),
    [0x48] = OP("i32.lt_s", NONE),
    [0x49] = OP("i32.lt_u", NONE),
    [0x4A] = OP("i32.gt_s", NONE),
    [0x4B] = OP("i32.gt_u", NONE),
    [0x4C] = OP("i32.le_s", NONE),
    [0x4D] = OP("i32.le_u", NONE),
    [0x4E] = OP("i32.ge_s", NONE),
    [0x4F] = OP("i32.ge_u", NONE),
    [0x50] = OP("i64.eqz", NONE),
    [0x51] = OP("i64.eq", NONE),
    [0x52] = OP("i64.ne", NONE),
    [0x53] = OP("i64.lt_s", NONE),
    [0x54] = OP("i64.lt_u", NONE),
    [0x55] = OP("i64.gt_s", NONE),
    [0x56] = OP("i64.gt_u", NONE),
    [0x57] = OP("i64.le_s", NONE),
    [0x58] = OP("i64.le_u", NONE),
    [0x59] = OP("i64.ge_s", NONE),
    [0x5A] = OP("i64.ge_u", NONE),
    [0x5B] = OPF("f32.eq", NONE),
    [0x5C] = OPF("f32.ne", NONE),
    [0x5D] = OPF("f32.lt", NONE),
    [0x5E] = OPF("f32.gt", NONE),
    [0x5F] = OPF("f32.le", NONE),
    [0x60] = OPF("f32.ge", NONE),
    [0x61] = OPF("f64.eq", NONE),
    [0x62] = OPF("f64.ne", NONE),
    [0x63] = OPF("f64.lt", NONE),
    [0x64] = OPF("f64.gt", NONE),
    [0x65] = OPF("f64.le", NONE),
    [0x66] = OPF("f64.ge", NONE),
    [0x67] = OP("i32.clz", NONE),
    [0x68] = OP("i32.ctz", NONE),
    [0x69] = OP("i32.popcnt", NONE),
    [0x6A] = OP("i32.add", NONE),
    [0x6B] = OP("i32.sub", NONE),
    [0x6C] = OP("i32.mul", NONE),
    [0x6D] = OP("i32.div_s", NONE),
    [0x6E] = OP("i32.div_u", NONE),
    [0x6F] = OP("i32.rem_s", NONE),
    [0x70] = OP("i32.rem_u", NONE),
    [0x71] = OP("i32.and", NONE),
    [0x72] = OP("i32.or", NONE),
    [0x73] = OP("i32.xor", NONE),
    [0x74] = OP("i32.shl", NONE),
    [0x75] = OP("i32.shr_s", NONE),
    [0x76] = OP("i32.shr_u", NONE),
    [0x77] = OP("i32.rotl", NONE),
    [0x78] = OP("i32.rotr", NONE),
    [0x79] = OP("i64.clz", NONE),
    [0x7A] = OP("i64.ctz", NONE),
    [0x7B] = OP("i64.popcnt", NONE),
    [0x7C] = OP("i64.add", NONE),
    [0x7D] = OP("i64.sub", NONE),
    [0x7E] = OP("i64.mul", NONE),
    [0x7F] = OP("i64.div_s", NONE),
    [0x80] = OP("i64.div_u", NONE),
    [0x81] = OP("i64.rem_s", NONE),
    [0x82] = OP("i64.rem_u", NONE),
    [0x83] = OP("i64.and", NONE),
    [0x84] = OP("i64.or", NONE),
    [0x85] = OP("i64.xor", NONE),
    [0x86] = OP("i64.shl", NONE),
    [0x87] = OP("i64.shr_s", NONE),
    [0x88] = OP("i64.shr_u", NONE),
    [0x89] = OP("i64.rotl", NONE),
    [0x8A] = OP("i64.rotr", NONE),
    [0x8B] = OPF("f32.abs", NONE),
    [0x8C] = OPF("f32.neg", NONE),
    [0x8D] = OPF("f32.ceil", NONE),
    [0x8E] = OPF("f32.floor", NONE),
    [0x8F] = OPF("f32.trunc", NONE),
    [0x90] = OPF("f32.nearest", NONE),
    [0x91] = OPF("f32.sqrt", NONE),
    [0x92] = OPF("f32.add", NONE),
    [0x93] = OPF("f32.sub", NONE),
    [0x94] = OPF("f32.mul", NONE),
    [0x95] = OPF("f32.div", NONE),
    [0x96] = OPF("f32.min", NONE),
    [0x97] = OPF("f32.max", NONE),
    [0x98] = OPF("f32.copysign", NONE),
    [0x99] = OPF("f64.abs", NONE),
    [0x9A] = OPF("f64.neg", NONE),
    [0x9B] = OPF("f64.ceil", NONE),
    [0x9C] = OPF("f64.floor", NONE),
    [0x9D] = OPF("f64.trunc", NONE),
    [0x9E] = OPF("f64.nearest", NONE),
    [0x9F] = OPF("f64.sqrt", NONE),
    [0xA0] = OPF("f64.add", NONE),
    [0xA1] = OPF("f64.sub", NONE),
    [0xA2] = OPF("f64.mul", NONE),
    [0xA3] = OPF("f64.div", NONE),
    [0xA4] = OPF("f64.min", NONE),
    [0xA5] = OPF("f64.max", NONE),
    [0xA6] = OPF("f64.copysign", NONE),
    [0xA7] = OP("i32.wrap_i64", NONE),
    [0xA8] = OPF("i32.trunc_f32_s", NONE),
    [0xA9] = OPF("i32.trunc_f32_u", NONE),
    [0xAA] = OPF("i32.trunc_f64_s", NONE),
    [0xAB] = OPF("i32.trunc_f64_u", NONE),
    [0xAC] = OP("i64.extend_i32_s", NONE),
    [0xAD] = OP("i64.extend_i32_u", NONE),
    [0xAE] = OPF("i64.trunc_f32_s", NONE),
    [0xAF] = OPF("i64.trunc_f32_u", NONE),
    [0xB0] = OPF("i64.trunc_f64_s", NONE),
    [0xB1] = OPF("i64.trunc_f64_u", NONE),
    [0xB2] = OPF("f32.convert_i32_s", NONE),
    [0xB3] = OPF("f32.convert_i32_u", NONE),
    [0xB4] = OPF("f32.convert_i64_s", NONE),
    [0xB5] = OPF("f32.convert_i64_u", NONE),
    [0xB6] = OPF("f32.demote_f64", NONE),
    [0xB7] = OPF("f64.convert_i32_s", NONE),
    [0xB8] = OPF("f64.convert_i32_u", NONE),
    [0xB9] = OPF("f64.convert_i64_s", NONE),
    [0xBA] = OPF("f64.convert_i64_u", NONE),
    [0xBB] = OPF("f64.promote_f32", NONE),
    [0xBC] = OPF("i32.reinterpret_f32", NONE),
    [0xBD] = OPF("i64.reinterpret_f64", NONE),
    [0xBE] = OPF("f32.reinterpret_i32", NONE),
    [0xBF] = OPF("f64.reinterpret_i64", NONE),
    [0xC0] = OPX("i32.extend8_s", NONE, SIGN_EXT),
    [0xC1] = OPX("i32.extend16_s", NONE, SIGN_EXT),
    [0xC2] = OPX("i64.extend8_s", NONE, SIGN_EXT),
    [0xC3] = OPX("i64.extend16_s", NONE, SIGN_EXT),
    [0xC4] = OPX("i64.extend32_s", NONE, SIGN_EXT),
    [0xD0] = OPXC("ref.null", HEAP_TYPE, REFERENCE_TYPES),
    [0xD1] = OPX("ref.is_null", NONE, REFERENCE_TYPES),
    [0xD2] = OPXC("ref.func", FUNC, REFERENCE_TYPES),
};

/* 0xFC prefix: saturating truncation (0..7), bulk memory (8..14), reference types (15..17). */
static const op_info fc_ops[18] = {
    [0] = {"i32.trunc_sat_f32_s", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [1] = {"i32.trunc_sat_f32_u", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [2] = {"i32.trunc_sat_f64_s", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [3] = {"i32.trunc_sat_f64_u", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [4] = {"i64.trunc_sat_f32_s", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [5] = {"i64.trunc_sat_f32_u", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [6] = {"i64.trunc_sat_f64_s", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [7] = {"i64.trunc_sat_f64_u", HS_WASM_IMM_NONE, HS_WASM_FEAT_SAT_TRUNC, OPF_FLOAT},
    [8] = OPX("memory.init", SEGMENT_INIT, BULK_MEMORY),
    [9] = OPX("data.drop", SEGMENT, BULK_MEMORY),
    [10] = OPX("memory.copy", MEMORY2, BULK_MEMORY),
    [11] = OPX("memory.fill", MEMORY, BULK_MEMORY),
    [12] = OPX("table.init", SEGMENT_INIT, BULK_MEMORY),
    [13] = OPX("elem.drop", SEGMENT, BULK_MEMORY),
    [14] = OPX("table.copy", TABLE2, BULK_MEMORY),
    [15] = OPX("table.grow", TABLE, REFERENCE_TYPES),
    [16] = OPX("table.size", TABLE, REFERENCE_TYPES),
    [17] = OPX("table.fill", TABLE, REFERENCE_TYPES),
};

/* Highest SIMD sub-opcode (relaxed SIMD included). */
#define SIMD_MAX_SUBOP 0x113u

static const char *simd_name(uint32_t sub) {
    static const char *const names[] = {
        [0] = "v128.load",
        [1] = "v128.load8x8_s",
        [2] = "v128.load8x8_u",
        [3] = "v128.load16x4_s",
        [4] = "v128.load16x4_u",
        [5] = "v128.load32x2_s",
        [6] = "v128.load32x2_u",
        [7] = "v128.load8_splat",
        [8] = "v128.load16_splat",
        [9] = "v128.load32_splat",
        [10] = "v128.load64_splat",
        [11] = "v128.store",
        [12] = "v128.const",
        [13] = "i8x16.shuffle",
        [14] = "i8x16.swizzle",
        [15] = "i8x16.splat",
        [16] = "i16x8.splat",
        [17] = "i32x4.splat",
        [18] = "i64x2.splat",
        [19] = "f32x4.splat",
        [20] = "f64x2.splat",
        [21] = "i8x16.extract_lane_s",
        [22] = "i8x16.extract_lane_u",
        [23] = "i8x16.replace_lane",
        [24] = "i16x8.extract_lane_s",
        [25] = "i16x8.extract_lane_u",
        [26] = "i16x8.replace_lane",
        [27] = "i32x4.extract_lane",
        [28] = "i32x4.replace_lane",
        [29] = "i64x2.extract_lane",
        [30] = "i64x2.replace_lane",
        [31] = "f32x4.extract_lane",
        [32] = "f32x4.replace_lane",
        [33] = "f64x2.extract_lane",
        [34] = "f64x2.replace_lane",
        [77] = "v128.not",
        [78] = "v128.and",
        [79] = "v128.andnot",
        [80] = "v128.or",
        [81] = "v128.xor",
        [82] = "v128.bitselect",
        [83] = "v128.any_true",
        [84] = "v128.load8_lane",
        [85] = "v128.load16_lane",
        [86] = "v128.load32_lane",
        [87] = "v128.load64_lane",
        [88] = "v128.store8_lane",
        [89] = "v128.store16_lane",
        [90] = "v128.store32_lane",
        [91] = "v128.store64_lane",
        [92] = "v128.load32_zero",
        [93] = "v128.load64_zero",
        [110] = "i8x16.add",
        [142] = "i16x8.add",
        [174] = "i32x4.add",
        [206] = "i64x2.add",
        [228] = "f32x4.add",
        [240] = "f64x2.add",
    };
    if (sub < sizeof names / sizeof names[0] && names[sub]) return names[sub];
    return "simd.op";
}

static hs_wasm_imm_kind simd_imm(uint32_t sub) {
    if (sub <= 11) return HS_WASM_IMM_MEMARG;
    if (sub == 12) return HS_WASM_IMM_V128;
    if (sub == 13) return HS_WASM_IMM_SHUFFLE;
    if (sub >= 21 && sub <= 34) return HS_WASM_IMM_LANE;
    if (sub >= 84 && sub <= 91) return HS_WASM_IMM_MEMARG_LANE;
    if (sub == 92 || sub == 93) return HS_WASM_IMM_MEMARG;
    return HS_WASM_IMM_NONE;
}

static const char *atomic_name(uint32_t sub) {
    switch (sub) {
    case 0x00:
        return "memory.atomic.notify";
    case 0x01:
        return "memory.atomic.wait32";
    case 0x02:
        return "memory.atomic.wait64";
    case 0x03:
        return "atomic.fence";
    case 0x10:
        return "i32.atomic.load";
    case 0x11:
        return "i64.atomic.load";
    case 0x17:
        return "i32.atomic.store";
    case 0x18:
        return "i64.atomic.store";
    case 0x1E:
        return "i32.atomic.rmw.add";
    case 0x1F:
        return "i64.atomic.rmw.add";
    case 0x48:
        return "i32.atomic.rmw.cmpxchg";
    case 0x49:
        return "i64.atomic.rmw.cmpxchg";
    default:
        return "atomic.op";
    }
}

static bool is_valtype_byte(uint8_t b) {
    return (b >= HS_WASM_V128 && b <= HS_WASM_I32) || b == HS_WASM_FUNCREF ||
           b == HS_WASM_EXTERNREF;
}

static unsigned valtype_feature(uint8_t b) {
    if (b == HS_WASM_V128) return HS_WASM_FEAT_SIMD;
    if (b == HS_WASM_FUNCREF || b == HS_WASM_EXTERNREF) return HS_WASM_FEAT_REFERENCE_TYPES;
    return HS_WASM_FEAT_MVP;
}

/* ------------------------------------------------------------------------------------------ */
/* Instruction iterator                                                                         */

static void iter_setup(hs_wasm_op_iter *it, const uint8_t *bytes, size_t start, size_t end,
                       uint32_t func_index, bool exact_end) {
    memset(it, 0, sizeof *it);
    it->bytes = bytes;
    it->pos = start;
    it->end = end;
    it->func_index = func_index;
    it->exact_end = exact_end;
}

static void iter_where(const hs_wasm_op_iter *it, char *buf, size_t len) {
    if (it->func_index == UINT32_MAX)
        snprintf(buf, len, "in constant expression");
    else
        snprintf(buf, len, "in function %u", it->func_index);
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static hs_wasm_result
iter_fail(hs_wasm_op_iter *it, hs_wasm_result rc, const char *fmt, ...) {
    char what[96];
    char where[48];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    iter_where(it, where, sizeof where);
    snprintf(it->err, sizeof it->err, "%s: %s %s", hs_wasm_strerror(rc), what, where);
    it->failed = true;
    it->fail_rc = rc;
    return rc;
}

void hs_wasm_op_iter_init_func(hs_wasm_op_iter *it, const hs_wasm_module *m,
                               uint32_t defined_index) {
    if (!m || defined_index >= m->num_defined_funcs || !m->funcs) {
        iter_setup(it, m ? m->bytes : NULL, 0, 0, UINT32_MAX, true);
        snprintf(it->err, sizeof it->err, "malformed: no defined function %u", defined_index);
        it->failed = true;
        it->fail_rc = HS_WASM_ERR_MALFORMED;
        return;
    }
    const hs_wasm_func *f = &m->funcs[defined_index];
    iter_setup(it, m->bytes, f->code_offset, f->body.offset + f->body.size,
               m->num_imported_funcs + defined_index, true);
}

void hs_wasm_op_iter_init_range(hs_wasm_op_iter *it, const hs_wasm_module *m, hs_wasm_range range) {
    if (!m || range.offset > m->size || range.size > m->size - range.offset) {
        iter_setup(it, m ? m->bytes : NULL, 0, 0, UINT32_MAX, true);
        snprintf(it->err, sizeof it->err, "malformed: range outside the module");
        it->failed = true;
        it->fail_rc = HS_WASM_ERR_MALFORMED;
        return;
    }
    iter_setup(it, m->bytes, range.offset, range.offset + range.size, UINT32_MAX, true);
}

/* Read a LEB128 immediate for the iterator, turning failures into messages. */
static hs_wasm_result iter_leb(hs_wasm_op_iter *it, unsigned bits, bool is_signed, uint64_t *out,
                               const char *what) {
    size_t at = it->pos;
    int r = leb_decode(it->bytes, it->end, &it->pos, bits, is_signed, out);
    if (r == 1) return HS_WASM_OK;
    if (r == 0)
        return iter_fail(it, HS_WASM_ERR_TRUNCATED, "%s at offset 0x%zx runs past the end", what,
                         at);
    return iter_fail(it, HS_WASM_ERR_MALFORMED, "bad LEB128 %s at offset 0x%zx", what, at);
}

static hs_wasm_result iter_u32(hs_wasm_op_iter *it, uint32_t *out, const char *what) {
    uint64_t v = 0;
    hs_wasm_result rc = iter_leb(it, 32, false, &v, what);
    *out = (uint32_t)v;
    return rc;
}

static hs_wasm_result iter_bytes(hs_wasm_op_iter *it, size_t n, const char *what) {
    if (it->end - it->pos < n)
        return iter_fail(it, HS_WASM_ERR_TRUNCATED, "%s at offset 0x%zx runs past the end", what,
                         it->pos);
    it->pos += n;
    return HS_WASM_OK;
}

static hs_wasm_result iter_memarg(hs_wasm_op_iter *it, hs_wasm_op *op) {
    uint32_t flags = 0, offset = 0;
    hs_wasm_result rc = iter_u32(it, &flags, "memarg alignment");
    if (rc) return rc;
    op->index = 0;
    if (flags & 0x40u) { /* multi-memory: explicit memory index follows */
        rc = iter_u32(it, &op->index, "memarg memory index");
        if (rc) return rc;
        op->feature = HS_WASM_FEAT_MULTI_MEMORY;
        flags &= ~0x40u;
    }
    rc = iter_u32(it, &offset, "memarg offset");
    if (rc) return rc;
    op->align = flags;
    op->mem_offset = offset;
    return HS_WASM_OK;
}

static hs_wasm_result iter_block_type(hs_wasm_op_iter *it, hs_wasm_op *op) {
    if (it->pos >= it->end)
        return iter_fail(it, HS_WASM_ERR_TRUNCATED, "block type at offset 0x%zx runs past the end",
                         it->pos);
    uint8_t b = it->bytes[it->pos];
    if (b == 0x40) {
        it->pos++;
        op->block_type = HS_WASM_BLOCK_EMPTY;
        return HS_WASM_OK;
    }
    if (is_valtype_byte(b)) {
        it->pos++;
        op->block_type = (int64_t)b - 0x80;
        if (valtype_feature(b)) op->feature = valtype_feature(b);
        return HS_WASM_OK;
    }
    uint64_t v = 0;
    size_t at = it->pos;
    hs_wasm_result rc = iter_leb(it, 33, true, &v, "block type");
    if (rc) return rc;
    int64_t s = u64_as_s64(v);
    if (s < 0)
        return iter_fail(it, HS_WASM_ERR_MALFORMED, "invalid block type 0x%02x at offset 0x%zx", b,
                         at);
    op->block_type = s;
    op->feature = HS_WASM_FEAT_MULTI_VALUE;
    return HS_WASM_OK;
}

static hs_wasm_result iter_immediates(hs_wasm_op_iter *it, hs_wasm_op *op) {
    hs_wasm_result rc = HS_WASM_OK;
    uint64_t v = 0;
    switch (op->imm) {
    case HS_WASM_IMM_NONE:
        break;
    case HS_WASM_IMM_BLOCK:
        rc = iter_block_type(it, op);
        break;
    case HS_WASM_IMM_LABEL:
        rc = iter_u32(it, &op->index, "label index");
        break;
    case HS_WASM_IMM_BR_TABLE: {
        rc = iter_u32(it, &op->br_count, "br_table target count");
        if (rc) break;
        if (op->br_count > it->end - it->pos)
            return iter_fail(it, HS_WASM_ERR_TRUNCATED,
                             "br_table with %u targets at offset 0x%zx runs past the end",
                             op->br_count, op->offset);
        op->br_targets_offset = it->pos;
        for (uint32_t i = 0; i < op->br_count && !rc; i++) {
            uint32_t target;
            rc = iter_u32(it, &target, "br_table target");
        }
        if (!rc) rc = iter_u32(it, &op->br_default, "br_table default target");
        break;
    }
    case HS_WASM_IMM_FUNC:
        rc = iter_u32(it, &op->index, "function index");
        break;
    case HS_WASM_IMM_CALL_INDIRECT:
        rc = iter_u32(it, &op->index, "type index");
        if (!rc) rc = iter_u32(it, &op->index2, "table index");
        if (!rc && op->index2 != 0 && op->feature == HS_WASM_FEAT_MVP)
            op->feature = HS_WASM_FEAT_REFERENCE_TYPES;
        break;
    case HS_WASM_IMM_LOCAL:
        rc = iter_u32(it, &op->index, "local index");
        break;
    case HS_WASM_IMM_GLOBAL:
        rc = iter_u32(it, &op->index, "global index");
        break;
    case HS_WASM_IMM_TABLE:
        rc = iter_u32(it, &op->index, "table index");
        break;
    case HS_WASM_IMM_TABLE2:
        rc = iter_u32(it, &op->index, "table index");
        if (!rc) rc = iter_u32(it, &op->index2, "table index");
        break;
    case HS_WASM_IMM_MEMARG:
        rc = iter_memarg(it, op);
        break;
    case HS_WASM_IMM_MEMARG_LANE:
        rc = iter_memarg(it, op);
        if (!rc) {
            size_t at = it->pos;
            rc = iter_bytes(it, 1, "lane index");
            if (!rc) op->lane = it->bytes[at];
        }
        break;
    case HS_WASM_IMM_MEMORY:
        rc = iter_u32(it, &op->index, "memory index");
        if (!rc && op->index != 0 && op->feature == HS_WASM_FEAT_MVP)
            op->feature = HS_WASM_FEAT_MULTI_MEMORY;
        break;
    case HS_WASM_IMM_MEMORY2:
        rc = iter_u32(it, &op->index, "memory index");
        if (!rc) rc = iter_u32(it, &op->index2, "memory index");
        break;
    case HS_WASM_IMM_SEGMENT:
        rc = iter_u32(it, &op->index, "segment index");
        break;
    case HS_WASM_IMM_SEGMENT_INIT:
        rc = iter_u32(it, &op->index, "segment index");
        if (!rc) rc = iter_u32(it, &op->index2, "memory/table index");
        break;
    case HS_WASM_IMM_I32:
        rc = iter_leb(it, 32, true, &v, "i32 constant");
        op->value = v;
        break;
    case HS_WASM_IMM_I64:
        rc = iter_leb(it, 64, true, &v, "i64 constant");
        op->value = v;
        break;
    case HS_WASM_IMM_F32: {
        size_t at = it->pos;
        rc = iter_bytes(it, 4, "f32 constant");
        if (!rc) {
            uint32_t bits = 0;
            for (int i = 3; i >= 0; i--) bits = (bits << 8) | it->bytes[at + (size_t)i];
            op->value = bits;
        }
        break;
    }
    case HS_WASM_IMM_F64: {
        size_t at = it->pos;
        rc = iter_bytes(it, 8, "f64 constant");
        if (!rc) {
            uint64_t bits = 0;
            for (int i = 7; i >= 0; i--) bits = (bits << 8) | it->bytes[at + (size_t)i];
            op->value = bits;
        }
        break;
    }
    case HS_WASM_IMM_V128:
    case HS_WASM_IMM_SHUFFLE:
        op->imm_offset = it->pos;
        rc = iter_bytes(it, 16, "128-bit immediate");
        break;
    case HS_WASM_IMM_LANE: {
        size_t at = it->pos;
        rc = iter_bytes(it, 1, "lane index");
        if (!rc) op->lane = it->bytes[at];
        break;
    }
    case HS_WASM_IMM_SELECT_T:
        rc = iter_u32(it, &op->index, "select type count");
        if (rc) break;
        op->imm_offset = it->pos;
        rc = iter_bytes(it, op->index, "select types");
        for (uint32_t i = 0; !rc && i < op->index; i++) {
            if (!is_valtype_byte(it->bytes[op->imm_offset + i]))
                rc = iter_fail(it, HS_WASM_ERR_MALFORMED,
                               "invalid value type 0x%02x at offset 0x%zx",
                               it->bytes[op->imm_offset + i], op->imm_offset + i);
        }
        break;
    case HS_WASM_IMM_HEAP_TYPE: {
        size_t at = it->pos;
        rc = iter_bytes(it, 1, "heap type");
        if (!rc) op->index = it->bytes[at];
        break;
    }
    case HS_WASM_IMM_TAG:
        rc = iter_u32(it, &op->index, "tag index");
        break;
    case HS_WASM_IMM_ATOMIC_FENCE: {
        size_t at = it->pos;
        rc = iter_bytes(it, 1, "atomic.fence flags");
        if (!rc && it->bytes[at] != 0)
            rc = iter_fail(it, HS_WASM_ERR_MALFORMED,
                           "atomic.fence flags must be 0 at offset 0x%zx", at);
        break;
    }
    }
    return rc;
}

hs_wasm_result hs_wasm_op_next(hs_wasm_op_iter *it, hs_wasm_op *op) {
    memset(op, 0, sizeof *op);
    if (it->failed) return it->fail_rc;
    if (it->done) {
        op->offset = it->pos;
        op->name = "";
        return HS_WASM_OK;
    }
    op->offset = it->pos;
    if (it->pos >= it->end)
        return iter_fail(it, HS_WASM_ERR_TRUNCATED, "missing final end at offset 0x%zx", it->pos);
    const uint8_t byte = it->bytes[it->pos++];
    const op_info *info = NULL;
    op_info dyn = {0};
    if (byte == 0xFC || byte == 0xFD || byte == 0xFE) {
        uint32_t sub = 0;
        hs_wasm_result rc = iter_u32(it, &sub, "sub-opcode");
        if (rc) return rc;
        op->prefix = byte;
        op->code = sub;
        if (byte == 0xFC) {
            if (sub < sizeof fc_ops / sizeof fc_ops[0]) info = &fc_ops[sub];
        } else if (byte == 0xFD) {
            if (sub <= SIMD_MAX_SUBOP) {
                dyn.name = simd_name(sub);
                dyn.imm = (uint8_t)simd_imm(sub);
                dyn.feature = HS_WASM_FEAT_SIMD;
                info = &dyn;
            }
        } else {
            if (sub <= 0x03 || (sub >= 0x10 && sub <= 0x4E)) {
                dyn.name = atomic_name(sub);
                dyn.imm = (uint8_t)(sub == 0x03 ? HS_WASM_IMM_ATOMIC_FENCE : HS_WASM_IMM_MEMARG);
                dyn.feature = HS_WASM_FEAT_THREADS;
                info = &dyn;
            }
        }
        if (!info || !info->name)
            return iter_fail(it, HS_WASM_ERR_MALFORMED,
                             "unknown opcode 0x%02x 0x%x at offset 0x%zx", byte, sub, op->offset);
    } else {
        op->code = byte;
        info = &single_ops[byte];
        if (!info->name)
            return iter_fail(it, HS_WASM_ERR_MALFORMED, "unknown opcode 0x%02x at offset 0x%zx",
                             byte, op->offset);
    }
    op->name = info->name;
    op->imm = (hs_wasm_imm_kind)info->imm;
    op->feature = info->feature;
    op->is_float = (info->flags & OPF_FLOAT) != 0;
    op->is_const_expr_op = (info->flags & OPF_CONST) != 0;

    hs_wasm_result rc = iter_immediates(it, op);
    if (rc) return rc;
    op->length = (uint32_t)(it->pos - op->offset);

    if (op->prefix == 0) {
        switch (op->code) {
        case 0x02: /* block */
        case 0x03: /* loop */
        case 0x04: /* if */
        case 0x06: /* try */
            if (it->depth == UINT32_MAX)
                return iter_fail(it, HS_WASM_ERR_LIMIT, "blocks nested too deeply at offset 0x%zx",
                                 op->offset);
            it->depth++;
            break;
        case 0x05: /* else */
        case 0x07: /* catch */
        case 0x19: /* catch_all */
            if (it->depth == 0)
                return iter_fail(it, HS_WASM_ERR_MALFORMED, "%s outside a block at offset 0x%zx",
                                 op->name, op->offset);
            break;
        case 0x18: /* delegate closes a try */
            if (it->depth == 0)
                return iter_fail(it, HS_WASM_ERR_MALFORMED,
                                 "delegate outside a try at offset 0x%zx", op->offset);
            it->depth--;
            break;
        case 0x0B: /* end */
            if (it->depth == 0) {
                it->done = true;
                if (it->exact_end && it->pos != it->end)
                    return iter_fail(it, HS_WASM_ERR_MALFORMED,
                                     "%zu bytes after the final end at offset 0x%zx",
                                     it->end - it->pos, it->pos);
            } else {
                it->depth--;
            }
            break;
        default:
            break;
        }
    }
    return HS_WASM_OK;
}

uint32_t hs_wasm_br_table_targets(const hs_wasm_module *m, const hs_wasm_op *op, uint32_t *out,
                                  uint32_t cap) {
    if (!m || !op || op->imm != HS_WASM_IMM_BR_TABLE) return 0;
    size_t pos = op->br_targets_offset;
    const size_t end = op->offset + op->length;
    if (end > m->size) return 0;
    for (uint32_t i = 0; i < op->br_count; i++) {
        uint32_t t;
        if (!hs_wasm_read_u32(m->bytes, end, &pos, &t)) return 0;
        if (i < cap && out) out[i] = t;
    }
    return op->br_count;
}

/* ------------------------------------------------------------------------------------------ */
/* Module parser                                                                                */

typedef struct parser {
    const uint8_t *b;
    size_t size;
    size_t pos;
    size_t end; /* end of the current section (or of the file) */
    int sec;    /* current section id, -1 for the header */
    size_t sec_offset;
    hs_wasm_module *m;
    char *err;
    size_t errlen;
    hs_wasm_result rc;
} parser;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
static bool
fail(parser *p, hs_wasm_result rc, const char *fmt, ...) {
    if (p->rc != HS_WASM_OK) return false; /* keep the first error */
    p->rc = rc;
    if (p->err && p->errlen) {
        char what[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        if (p->sec >= 0)
            snprintf(p->err, p->errlen, "%s: section %d (%s) at offset %zu: %s",
                     hs_wasm_strerror(rc), p->sec, hs_wasm_section_name((uint8_t)p->sec),
                     p->sec_offset, what);
        else
            snprintf(p->err, p->errlen, "%s: %s", hs_wasm_strerror(rc), what);
    }
    return false;
}

static bool fail_nomem(parser *p) {
    return fail(p, HS_WASM_ERR_NOMEM, "out of memory");
}

static void *alloc_array(parser *p, size_t n, size_t elem) {
    if (n != 0 && elem > SIZE_MAX / n) {
        fail_nomem(p);
        return NULL;
    }
    void *ptr = calloc(n ? n : 1, elem);
    if (!ptr) fail_nomem(p);
    return ptr;
}

static bool rd_u8(parser *p, uint8_t *out, const char *what) {
    if (p->pos >= p->end)
        return fail(p, HS_WASM_ERR_TRUNCATED, "%s at offset %zu runs past the end", what, p->pos);
    *out = p->b[p->pos++];
    return true;
}

static bool rd_leb(parser *p, unsigned bits, uint64_t *out, const char *what) {
    size_t at = p->pos;
    int r = leb_decode(p->b, p->end, &p->pos, bits, false, out);
    if (r == 1) return true;
    if (r == 0)
        return fail(p, HS_WASM_ERR_TRUNCATED, "%s at offset %zu runs past the end", what, at);
    return fail(p, HS_WASM_ERR_MALFORMED, "bad LEB128 %s at offset %zu (too long or too large)",
                what, at);
}

static bool rd_u32(parser *p, uint32_t *out, const char *what) {
    uint64_t v = 0;
    if (!rd_leb(p, 32, &v, what)) return false;
    *out = (uint32_t)v;
    return true;
}

/* A vector length; each element needs at least `min_bytes` bytes, so a count that cannot fit
 * in the rest of the section is reported before anything is allocated. */
static bool rd_count(parser *p, uint32_t *out, size_t min_bytes, const char *what) {
    size_t at = p->pos;
    if (!rd_u32(p, out, what)) return false;
    if ((uint64_t)*out * min_bytes > (uint64_t)(p->end - p->pos))
        return fail(p, HS_WASM_ERR_TRUNCATED,
                    "%s %u at offset %zu cannot fit in the %zu bytes that remain", what, *out, at,
                    p->end - p->pos);
    return true;
}

static bool utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

static bool rd_name(parser *p, hs_wasm_name *out, const char *what) {
    uint32_t len = 0;
    size_t at = p->pos;
    if (!rd_u32(p, &len, what)) return false;
    if (len > p->end - p->pos)
        return fail(p, HS_WASM_ERR_TRUNCATED, "%s of %u bytes at offset %zu runs past the end",
                    what, len, at);
    if (!utf8_valid(p->b + p->pos, len))
        return fail(p, HS_WASM_ERR_MALFORMED, "%s at offset %zu is not valid UTF-8", what, at);
    out->str = malloc((size_t)len + 1);
    if (!out->str) return fail_nomem(p);
    memcpy(out->str, p->b + p->pos, len);
    out->str[len] = '\0';
    out->len = len;
    p->pos += len;
    return true;
}

static bool rd_valtype(parser *p, uint8_t *out, const char *what) {
    size_t at = p->pos;
    if (!rd_u8(p, out, what)) return false;
    if (!is_valtype_byte(*out))
        return fail(p, HS_WASM_ERR_MALFORMED, "invalid value type 0x%02x for %s at offset %zu",
                    *out, what, at);
    p->m->section_features |= valtype_feature(*out);
    return true;
}

static bool rd_limits(parser *p, hs_wasm_limits *out, bool is_memory, const char *what) {
    uint8_t flags = 0;
    size_t at = p->pos;
    if (!rd_u8(p, &flags, what)) return false;
    if (flags > 0x07 || (!is_memory && flags > 0x01))
        return fail(p, HS_WASM_ERR_MALFORMED, "invalid limits flags 0x%02x for %s at offset %zu",
                    flags, what, at);
    out->flags = flags;
    out->has_max = flags & 0x01;
    const bool is64 = (flags & 0x04) != 0;
    if (flags & 0x02) p->m->section_features |= HS_WASM_FEAT_THREADS;
    if (is64) p->m->section_features |= HS_WASM_FEAT_MEMORY64;
    if (!rd_leb(p, is64 ? 64 : 32, &out->min, what)) return false;
    if (out->has_max && !rd_leb(p, is64 ? 64 : 32, &out->max, what)) return false;
    return true;
}

/* Skip over a constant expression, checking it only uses constant operators; *out gets its
 * byte range including the final `end`. */
static bool rd_const_expr(parser *p, hs_wasm_range *out, const char *what) {
    hs_wasm_op_iter it;
    hs_wasm_op op;
    iter_setup(&it, p->b, p->pos, p->end, UINT32_MAX, false);
    out->offset = p->pos;
    while (!it.done) {
        hs_wasm_result rc = hs_wasm_op_next(&it, &op);
        if (rc != HS_WASM_OK) return fail(p, rc, "%s: %s", what, it.err);
        if (!op.is_const_expr_op)
            return fail(p, HS_WASM_ERR_MALFORMED, "%s: non-constant instruction %s at offset %zu",
                        what, op.name, op.offset);
        if (op.feature) p->m->section_features |= op.feature;
    }
    out->size = it.pos - p->pos;
    p->pos = it.pos;
    return true;
}

static bool parse_types(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 3, "type count")) return false;
    m->types = alloc_array(p, n, sizeof *m->types);
    m->valtype_pool = alloc_array(p, p->end - p->pos, 1);
    if (!m->types || !m->valtype_pool) return false;
    size_t pool_used = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t form = 0;
        size_t at = p->pos;
        if (!rd_u8(p, &form, "type form")) return false;
        if (form != 0x60)
            return fail(p, HS_WASM_ERR_UNSUPPORTED,
                        "type %u at offset %zu has form 0x%02x (only function types, 0x60)", i, at,
                        form);
        hs_wasm_functype *t = &m->types[i];
        uint32_t np = 0, nr = 0;
        if (!rd_count(p, &np, 1, "parameter count")) return false;
        t->params = m->valtype_pool + pool_used;
        for (uint32_t k = 0; k < np; k++)
            if (!rd_valtype(p, &m->valtype_pool[pool_used++], "parameter")) return false;
        t->num_params = np;
        if (!rd_count(p, &nr, 1, "result count")) return false;
        t->results = m->valtype_pool + pool_used;
        for (uint32_t k = 0; k < nr; k++)
            if (!rd_valtype(p, &m->valtype_pool[pool_used++], "result")) return false;
        t->num_results = nr;
        if (nr > 1) m->section_features |= HS_WASM_FEAT_MULTI_VALUE;
        m->num_types = i + 1;
    }
    return true;
}

static bool parse_imports(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 4, "import count")) return false;
    m->imports = alloc_array(p, n, sizeof *m->imports);
    if (!m->imports) return false;
    for (uint32_t i = 0; i < n; i++) {
        hs_wasm_import *im = &m->imports[i];
        m->num_imports = i + 1;
        im->offset = p->pos;
        if (!rd_name(p, &im->module, "import module name")) return false;
        if (!rd_name(p, &im->field, "import field name")) return false;
        size_t at = p->pos;
        if (!rd_u8(p, &im->kind, "import kind")) return false;
        switch (im->kind) {
        case HS_WASM_EXTERN_FUNC:
            if (!rd_u32(p, &im->desc.func_type, "import type index")) return false;
            m->num_imported_funcs++;
            break;
        case HS_WASM_EXTERN_TABLE:
            if (!rd_valtype(p, &im->desc.table.elem_type, "table element type")) return false;
            if (!rd_limits(p, &im->desc.table.limits, false, "table limits")) return false;
            m->num_imported_tables++;
            break;
        case HS_WASM_EXTERN_MEMORY:
            if (!rd_limits(p, &im->desc.memory, true, "memory limits")) return false;
            m->num_imported_memories++;
            break;
        case HS_WASM_EXTERN_GLOBAL: {
            uint8_t mut = 0;
            if (!rd_valtype(p, &im->desc.global.valtype, "global type")) return false;
            if (!rd_u8(p, &mut, "global mutability")) return false;
            if (mut > 1)
                return fail(p, HS_WASM_ERR_MALFORMED, "invalid global mutability 0x%02x", mut);
            im->desc.global.mutable_ = mut;
            if (mut) m->section_features |= HS_WASM_FEAT_MUTABLE_GLOBALS;
            m->num_imported_globals++;
            break;
        }
        case HS_WASM_EXTERN_TAG: {
            uint8_t attr = 0;
            if (!rd_u8(p, &attr, "tag attribute")) return false;
            if (!rd_u32(p, &im->desc.tag_type, "tag type index")) return false;
            m->section_features |= HS_WASM_FEAT_EXCEPTIONS;
            m->num_imported_tags++;
            break;
        }
        default:
            return fail(p, HS_WASM_ERR_MALFORMED, "import %u has invalid kind 0x%02x at offset %zu",
                        i, im->kind, at);
        }
    }
    return true;
}

static bool parse_functions(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 1, "function count")) return false;
    m->funcs = alloc_array(p, n, sizeof *m->funcs);
    if (!m->funcs) return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!rd_u32(p, &m->funcs[i].type_index, "function type index")) return false;
        m->num_defined_funcs = i + 1;
    }
    m->num_defined_funcs = n;
    return true;
}

static bool parse_tables(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 3, "table count")) return false;
    m->tables = alloc_array(p, n, sizeof *m->tables);
    if (!m->tables) return false;
    for (uint32_t i = 0; i < n; i++) {
        size_t at = p->pos;
        if (!rd_valtype(p, &m->tables[i].elem_type, "table element type")) return false;
        if (m->tables[i].elem_type != HS_WASM_FUNCREF &&
            m->tables[i].elem_type != HS_WASM_EXTERNREF)
            return fail(p, HS_WASM_ERR_MALFORMED, "table %u at offset %zu has element type %s", i,
                        at, hs_wasm_valtype_name(m->tables[i].elem_type));
        if (!rd_limits(p, &m->tables[i].limits, false, "table limits")) return false;
        m->num_tables = i + 1;
    }
    return true;
}

static bool parse_memories(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 2, "memory count")) return false;
    m->memories = alloc_array(p, n, sizeof *m->memories);
    if (!m->memories) return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!rd_limits(p, &m->memories[i], true, "memory limits")) return false;
        m->num_memories = i + 1;
    }
    return true;
}

static bool parse_globals(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 3, "global count")) return false;
    m->globals = alloc_array(p, n, sizeof *m->globals);
    if (!m->globals) return false;
    for (uint32_t i = 0; i < n; i++) {
        hs_wasm_global *g = &m->globals[i];
        uint8_t mut = 0;
        if (!rd_valtype(p, &g->type.valtype, "global type")) return false;
        if (!rd_u8(p, &mut, "global mutability")) return false;
        if (mut > 1) return fail(p, HS_WASM_ERR_MALFORMED, "invalid global mutability 0x%02x", mut);
        g->type.mutable_ = mut;
        if (!rd_const_expr(p, &g->init, "global initializer")) return false;
        m->num_globals = i + 1;
    }
    return true;
}

static bool parse_exports(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 3, "export count")) return false;
    m->exports = alloc_array(p, n, sizeof *m->exports);
    if (!m->exports) return false;
    for (uint32_t i = 0; i < n; i++) {
        hs_wasm_export *e = &m->exports[i];
        m->num_exports = i + 1;
        if (!rd_name(p, &e->name, "export name")) return false;
        size_t at = p->pos;
        if (!rd_u8(p, &e->kind, "export kind")) return false;
        if (e->kind > HS_WASM_EXTERN_TAG)
            return fail(p, HS_WASM_ERR_MALFORMED, "export %u has invalid kind 0x%02x at offset %zu",
                        i, e->kind, at);
        if (!rd_u32(p, &e->index, "export index")) return false;
    }
    return true;
}

static bool parse_start(parser *p) {
    p->m->has_start = true;
    return rd_u32(p, &p->m->start_func, "start function index");
}

static bool parse_elements(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 3, "element segment count")) return false;
    m->elems = alloc_array(p, n, sizeof *m->elems);
    if (!m->elems) return false;
    for (uint32_t i = 0; i < n; i++) {
        hs_wasm_elem *e = &m->elems[i];
        m->num_elems = i + 1;
        size_t at = p->pos;
        if (!rd_u32(p, &e->flags, "element segment flags")) return false;
        if (e->flags > 7)
            return fail(p, HS_WASM_ERR_MALFORMED,
                        "element segment %u has invalid flags 0x%x at offset %zu", i, e->flags, at);
        if (e->flags == 1)
            m->section_features |= HS_WASM_FEAT_BULK_MEMORY;
        else if (e->flags != 0)
            m->section_features |= HS_WASM_FEAT_REFERENCE_TYPES;
        e->passive = (e->flags & 1u) && !(e->flags & 2u);
        e->declarative = (e->flags & 3u) == 3u;
        const bool active = !(e->flags & 1u);
        const bool uses_exprs = (e->flags & 4u) != 0;
        e->elem_type = HS_WASM_FUNCREF;
        if (active && (e->flags & 2u) && !rd_u32(p, &e->table_index, "element table index"))
            return false;
        if (active && !rd_const_expr(p, &e->offset_expr, "element segment offset")) return false;
        if (e->flags & 3u) { /* element kind or reference type given explicitly */
            uint8_t kind = 0;
            size_t kat = p->pos;
            if (!rd_u8(p, &kind, "element kind")) return false;
            if (uses_exprs) {
                if (kind != HS_WASM_FUNCREF && kind != HS_WASM_EXTERNREF)
                    return fail(p, HS_WASM_ERR_MALFORMED,
                                "invalid element reference type 0x%02x at offset %zu", kind, kat);
                e->elem_type = kind;
            } else if (kind != 0x00) {
                return fail(p, HS_WASM_ERR_MALFORMED, "invalid element kind 0x%02x at offset %zu",
                            kind, kat);
            }
        }
        if (!rd_count(p, &e->num_elems, 1, "element count")) return false;
        if (!uses_exprs) {
            e->func_indices = alloc_array(p, e->num_elems, sizeof *e->func_indices);
            if (!e->func_indices) return false;
            for (uint32_t k = 0; k < e->num_elems; k++)
                if (!rd_u32(p, &e->func_indices[k], "element function index")) return false;
        } else {
            e->exprs.offset = p->pos;
            for (uint32_t k = 0; k < e->num_elems; k++) {
                hs_wasm_range r;
                if (!rd_const_expr(p, &r, "element expression")) return false;
            }
            e->exprs.size = p->pos - e->exprs.offset;
        }
    }
    return true;
}

static bool parse_data_count(parser *p) {
    p->m->has_data_count = true;
    p->m->section_features |= HS_WASM_FEAT_BULK_MEMORY;
    return rd_u32(p, &p->m->data_count, "data count");
}

static bool push_local_group(parser *p, hs_wasm_local_group g, uint32_t *cap) {
    hs_wasm_module *m = p->m;
    if (m->num_local_groups == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 64;
        hs_wasm_local_group *ng = realloc(m->local_groups, (size_t)ncap * sizeof *ng);
        if (!ng) return fail_nomem(p);
        m->local_groups = ng;
        *cap = ncap;
    }
    m->local_groups[m->num_local_groups++] = g;
    return true;
}

static bool parse_code(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    uint32_t cap = 0;
    m->has_code_section = true;
    if (!rd_count(p, &n, 2, "function body count")) return false;
    m->num_code_bodies = n;
    if (n != m->num_defined_funcs)
        return fail(p, HS_WASM_ERR_MALFORMED,
                    "%u function bodies but the function section declares %u functions", n,
                    m->num_defined_funcs);
    for (uint32_t i = 0; i < n; i++) {
        hs_wasm_func *f = &m->funcs[i];
        const uint32_t fidx = m->num_imported_funcs + i;
        uint32_t body_size = 0;
        size_t at = p->pos;
        if (!rd_u32(p, &body_size, "function body size")) return false;
        if (body_size > p->end - p->pos)
            return fail(p, HS_WASM_ERR_TRUNCATED,
                        "body of function %u at offset %zu declares %u bytes but only %zu remain",
                        fidx, at, body_size, p->end - p->pos);
        f->body.offset = p->pos;
        f->body.size = body_size;
        const size_t section_end = p->end;
        p->end = p->pos + body_size; /* locals must fit inside the body */
        uint32_t ngroups = 0;
        if (!rd_count(p, &ngroups, 2, "local group count")) return false;
        f->local_group_first = m->num_local_groups;
        uint64_t total = 0;
        for (uint32_t g = 0; g < ngroups; g++) {
            hs_wasm_local_group lg;
            if (!rd_u32(p, &lg.count, "local count")) return false;
            if (!rd_valtype(p, &lg.valtype, "local type")) return false;
            total += lg.count;
            if (total > HS_WASM_MAX_LOCALS)
                return fail(p, HS_WASM_ERR_LIMIT,
                            "function %u declares more than %u locals (parser limit)", fidx,
                            HS_WASM_MAX_LOCALS);
            if (!push_local_group(p, lg, &cap)) return false;
        }
        f->num_local_groups = ngroups;
        f->num_locals = (uint32_t)total;
        f->code_offset = p->pos;
        p->pos = p->end;
        p->end = section_end;
    }
    return true;
}

static bool parse_data(parser *p) {
    hs_wasm_module *m = p->m;
    uint32_t n = 0;
    if (!rd_count(p, &n, 1, "data segment count")) return false;
    m->datas = alloc_array(p, n, sizeof *m->datas);
    if (!m->datas) return false;
    for (uint32_t i = 0; i < n; i++) {
        hs_wasm_data *d = &m->datas[i];
        m->num_datas = i + 1;
        size_t at = p->pos;
        if (!rd_u32(p, &d->flags, "data segment flags")) return false;
        if (d->flags > 2)
            return fail(p, HS_WASM_ERR_MALFORMED,
                        "data segment %u has invalid flags 0x%x at offset %zu", i, d->flags, at);
        if (d->flags != 0) m->section_features |= HS_WASM_FEAT_BULK_MEMORY;
        d->passive = d->flags == 1;
        if (d->flags == 2) {
            if (!rd_u32(p, &d->memory_index, "data memory index")) return false;
            if (d->memory_index != 0) m->section_features |= HS_WASM_FEAT_MULTI_MEMORY;
        }
        if (!d->passive && !rd_const_expr(p, &d->offset_expr, "data segment offset")) return false;
        uint32_t len = 0;
        size_t lat = p->pos;
        if (!rd_u32(p, &len, "data segment size")) return false;
        if (len > p->end - p->pos)
            return fail(p, HS_WASM_ERR_TRUNCATED,
                        "data segment %u at offset %zu declares %u bytes but only %zu remain", i,
                        lat, len, p->end - p->pos);
        d->bytes.offset = p->pos;
        d->bytes.size = len;
        p->pos += len;
    }
    return true;
}

static bool parse_custom(parser *p) {
    hs_wasm_module *m = p->m;
    hs_wasm_custom *nc = realloc(m->customs, ((size_t)m->num_customs + 1) * sizeof *nc);
    if (!nc) return fail_nomem(p);
    m->customs = nc;
    hs_wasm_custom *c = &m->customs[m->num_customs];
    memset(c, 0, sizeof *c);
    m->num_customs++;
    if (!rd_name(p, &c->name, "custom section name")) return false;
    c->payload.offset = p->pos;
    c->payload.size = p->end - p->pos;
    p->pos = p->end;
    return true;
}

/* Position of each known section in the required order (custom sections go anywhere). */
static int section_rank(uint8_t id) {
    switch (id) {
    case HS_WASM_SEC_TYPE:
        return 1;
    case HS_WASM_SEC_IMPORT:
        return 2;
    case HS_WASM_SEC_FUNCTION:
        return 3;
    case HS_WASM_SEC_TABLE:
        return 4;
    case HS_WASM_SEC_MEMORY:
        return 5;
    case HS_WASM_SEC_TAG:
        return 6;
    case HS_WASM_SEC_GLOBAL:
        return 7;
    case HS_WASM_SEC_EXPORT:
        return 8;
    case HS_WASM_SEC_START:
        return 9;
    case HS_WASM_SEC_ELEMENT:
        return 10;
    case HS_WASM_SEC_DATA_COUNT:
        return 11;
    case HS_WASM_SEC_CODE:
        return 12;
    case HS_WASM_SEC_DATA:
        return 13;
    default:
        return -1;
    }
}

static bool parse_sections(parser *p) {
    hs_wasm_module *m = p->m;
    int last_rank = 0;
    uint32_t sec_cap = 0;
    while (p->pos < p->size) {
        const size_t header = p->pos;
        const uint8_t id = p->b[p->pos++];
        p->sec = id;
        p->sec_offset = header;
        const int rank = section_rank(id);
        if (id != HS_WASM_SEC_CUSTOM && rank < 0) {
            p->sec = -1;
            return fail(p, HS_WASM_ERR_MALFORMED, "unknown section id %u at offset %zu", id,
                        header);
        }
        uint32_t size = 0;
        if (!rd_u32(p, &size, "section size")) return false;
        if (size > p->size - p->pos)
            return fail(p, HS_WASM_ERR_TRUNCATED, "declares %u bytes but only %zu remain", size,
                        p->size - p->pos);
        if (id != HS_WASM_SEC_CUSTOM) {
            if (rank <= last_rank)
                return fail(p, HS_WASM_ERR_MALFORMED, "section out of order or repeated");
            last_rank = rank;
        }
        if (m->num_sections == sec_cap) {
            uint32_t ncap = sec_cap ? sec_cap * 2 : 16;
            hs_wasm_section *ns = realloc(m->sections, (size_t)ncap * sizeof *ns);
            if (!ns) return fail_nomem(p);
            m->sections = ns;
            sec_cap = ncap;
        }
        hs_wasm_section *s = &m->sections[m->num_sections++];
        s->id = id;
        s->header_offset = header;
        s->content.offset = p->pos;
        s->content.size = size;

        p->end = p->pos + size;
        bool ok = true;
        switch (id) {
        case HS_WASM_SEC_CUSTOM:
            ok = parse_custom(p);
            break;
        case HS_WASM_SEC_TYPE:
            ok = parse_types(p);
            break;
        case HS_WASM_SEC_IMPORT:
            ok = parse_imports(p);
            break;
        case HS_WASM_SEC_FUNCTION:
            ok = parse_functions(p);
            break;
        case HS_WASM_SEC_TABLE:
            ok = parse_tables(p);
            break;
        case HS_WASM_SEC_MEMORY:
            ok = parse_memories(p);
            break;
        case HS_WASM_SEC_GLOBAL:
            ok = parse_globals(p);
            break;
        case HS_WASM_SEC_EXPORT:
            ok = parse_exports(p);
            break;
        case HS_WASM_SEC_START:
            ok = parse_start(p);
            break;
        case HS_WASM_SEC_ELEMENT:
            ok = parse_elements(p);
            break;
        case HS_WASM_SEC_DATA_COUNT:
            ok = parse_data_count(p);
            break;
        case HS_WASM_SEC_CODE:
            ok = parse_code(p);
            break;
        case HS_WASM_SEC_DATA:
            ok = parse_data(p);
            break;
        case HS_WASM_SEC_TAG:
            m->has_tag_section = true;
            m->section_features |= HS_WASM_FEAT_EXCEPTIONS;
            p->pos = p->end;
            break;
        default:
            break;
        }
        if (!ok) return false;
        if (p->pos != p->end)
            return fail(p, HS_WASM_ERR_MALFORMED, "%zu bytes left over after the section contents",
                        p->end - p->pos);
        p->end = p->size;
    }
    p->sec = -1;
    if (m->num_defined_funcs != 0 && !m->has_code_section)
        return fail(p, HS_WASM_ERR_MALFORMED,
                    "function section declares %u functions but there is no code section",
                    m->num_defined_funcs);
    if (m->has_data_count && m->data_count != m->num_datas)
        return fail(p, HS_WASM_ERR_MALFORMED,
                    "data count section says %u segments but there are %u", m->data_count,
                    m->num_datas);
    return true;
}

hs_wasm_result hs_wasm_parse(const uint8_t *bytes, size_t size, hs_wasm_module *out, char *err,
                             size_t errlen) {
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    parser p = {
        .b = bytes, .size = size, .end = size, .sec = -1, .m = out, .err = err, .errlen = errlen};
    if (err && errlen) err[0] = '\0';
    if (!out) return HS_WASM_ERR_MALFORMED;
    memset(out, 0, sizeof *out);
    out->bytes = bytes;
    out->size = size;
    if (!bytes && size) {
        fail(&p, HS_WASM_ERR_MALFORMED, "no input buffer");
        goto failed;
    }
    const size_t have = size < 4 ? size : 4;
    if (size == 0 || (have && memcmp(bytes, magic, have) != 0)) {
        if (size == 0)
            fail(&p, HS_WASM_ERR_TRUNCATED, "empty file (expected the wasm header 00 61 73 6d)");
        else
            fail(&p, HS_WASM_ERR_MALFORMED,
                 "bad magic number: not a wasm binary (expected 00 61 73 6d)");
        goto failed;
    }
    if (size < 8) {
        fail(&p, HS_WASM_ERR_TRUNCATED, "header at offset 0: need 8 bytes, file has %zu", size);
        goto failed;
    }
    const uint32_t version = (uint32_t)bytes[4] | (uint32_t)bytes[5] << 8 |
                             (uint32_t)bytes[6] << 16 | (uint32_t)bytes[7] << 24;
    if (version != 1) {
        fail(&p, HS_WASM_ERR_UNSUPPORTED, "binary version %u is not supported (expected 1)",
             version);
        goto failed;
    }
    p.pos = 8;
    if (parse_sections(&p)) return HS_WASM_OK;
failed:
    hs_wasm_module_free(out);
    return p.rc != HS_WASM_OK ? p.rc : HS_WASM_ERR_MALFORMED;
}

static void free_name(hs_wasm_name *n) {
    free(n->str);
    n->str = NULL;
}

void hs_wasm_module_free(hs_wasm_module *m) {
    if (!m) return;
    for (uint32_t i = 0; m->imports && i < m->num_imports; i++) {
        free_name(&m->imports[i].module);
        free_name(&m->imports[i].field);
    }
    for (uint32_t i = 0; m->exports && i < m->num_exports; i++) free_name(&m->exports[i].name);
    for (uint32_t i = 0; m->customs && i < m->num_customs; i++) free_name(&m->customs[i].name);
    for (uint32_t i = 0; m->elems && i < m->num_elems; i++) free(m->elems[i].func_indices);
    free(m->sections);
    free(m->types);
    free(m->valtype_pool);
    free(m->imports);
    free(m->funcs);
    free(m->local_groups);
    free(m->tables);
    free(m->memories);
    free(m->globals);
    free(m->exports);
    free(m->elems);
    free(m->datas);
    free(m->customs);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------------------------------ */
/* Index-space helpers                                                                          */

uint32_t hs_wasm_num_funcs(const hs_wasm_module *m) {
    return m->num_imported_funcs + m->num_defined_funcs;
}

uint32_t hs_wasm_num_globals(const hs_wasm_module *m) {
    return m->num_imported_globals + m->num_globals;
}

const hs_wasm_functype *hs_wasm_func_type(const hs_wasm_module *m, uint32_t func_index) {
    uint32_t type_index;
    if (func_index < m->num_imported_funcs) {
        uint32_t seen = 0;
        type_index = UINT32_MAX;
        for (uint32_t i = 0; i < m->num_imports; i++) {
            if (m->imports[i].kind != HS_WASM_EXTERN_FUNC) continue;
            if (seen++ == func_index) {
                type_index = m->imports[i].desc.func_type;
                break;
            }
        }
    } else if (func_index - m->num_imported_funcs < m->num_defined_funcs) {
        type_index = m->funcs[func_index - m->num_imported_funcs].type_index;
    } else {
        return NULL;
    }
    return type_index < m->num_types ? &m->types[type_index] : NULL;
}

const hs_wasm_globaltype *hs_wasm_global_type(const hs_wasm_module *m, uint32_t global_index) {
    if (global_index < m->num_imported_globals) {
        uint32_t seen = 0;
        for (uint32_t i = 0; i < m->num_imports; i++) {
            if (m->imports[i].kind != HS_WASM_EXTERN_GLOBAL) continue;
            if (seen++ == global_index) return &m->imports[i].desc.global;
        }
        return NULL;
    }
    if (global_index - m->num_imported_globals < m->num_globals)
        return &m->globals[global_index - m->num_imported_globals].type;
    return NULL;
}

const hs_wasm_export *hs_wasm_find_export(const hs_wasm_module *m, const char *name) {
    const size_t len = strlen(name);
    for (uint32_t i = 0; i < m->num_exports; i++) {
        const hs_wasm_export *e = &m->exports[i];
        if (e->name.len == len && memcmp(e->name.str, name, len) == 0) return e;
    }
    return NULL;
}

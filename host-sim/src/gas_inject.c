/* gas_inject.c — rewrites a wasm module so that it meters its own gas the way wasmvm 2.2 does.
 * The cost model, the placement of checks and the shape of the rewrite are described in
 * gas_inject.h; this file is the section-by-section re-encoder. */
#include "gas_inject.h"

#include "wasm_write.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opcodes emitted by the injector. */
enum {
    OP_UNREACHABLE = 0x00,
    OP_IF = 0x04,
    OP_END = 0x0B,
    OP_CALL = 0x10,
    OP_LOCAL_GET = 0x20,
    OP_GLOBAL_GET = 0x23,
    OP_GLOBAL_SET = 0x24,
    OP_I32_CONST = 0x41,
    OP_I64_CONST = 0x42,
    OP_I64_LT_U = 0x54,
    OP_I64_SUB = 0x7D,
    BLOCK_EMPTY = 0x40,
    FUNC_TYPE_TAG = 0x60,
};

const char *hs_gas_strerror(hs_gas_result r) {
    switch (r) {
    case HS_GAS_OK:
        return "ok";
    case HS_GAS_ERR_PARSE:
        return "invalid module";
    case HS_GAS_ERR_RESERVED:
        return "reserved export name";
    case HS_GAS_ERR_LIMIT:
        return "limit exceeded";
    case HS_GAS_ERR_NOMEM:
        return "out of memory";
    }
    return "unknown error";
}

bool hs_gas_is_accounting(const hs_wasm_op *op) {
    if (op->prefix == 0xFB) return op->code == 24 || op->code == 25; /* br_on_cast(_fail) */
    if (op->prefix != 0) return false;
    switch (op->code) {
    case 0x03: /* loop */
    case 0x0B: /* end */
    case 0x04: /* if */
    case 0x05: /* else */
    case 0x0C: /* br */
    case 0x0E: /* br_table */
    case 0x0D: /* br_if */
    case 0x10: /* call */
    case 0x11: /* call_indirect */
    case 0x0F: /* return */
    case 0x08: /* throw */
    case 0x0A: /* throw_ref */
    case 0x09: /* rethrow */
    case 0x18: /* delegate */
    case 0x07: /* catch */
    case 0x12: /* return_call */
    case 0x13: /* return_call_indirect */
    case 0x14: /* call_ref */
    case 0x15: /* return_call_ref */
    case 0xD5: /* br_on_null */
    case 0xD6: /* br_on_non_null */
        return true;
    default:
        return false;
    }
}

uint64_t hs_gas_operator_cost(const hs_wasm_op *op) {
    return hs_gas_is_accounting(op) ? (uint64_t)HS_GAS_PER_OPERATION * HS_GAS_ACCOUNTING_MULTIPLIER
                                    : HS_GAS_PER_OPERATION;
}

/* State of one rewrite. */
typedef struct injector {
    const hs_wasm_module *m;
    uint32_t gas_global;       /* index of hs_gas_left */
    uint32_t exhausted_global; /* index of hs_gas_exhausted */
    uint32_t charge_func;      /* index of the appended charge function */
    uint32_t charge_type;      /* type index of (i64) -> () */
    uint32_t tick_type;        /* type index of () -> () */
    uint64_t *costs;           /* cost of tick function k (charge_func + 1 + k), first use order */
    uint32_t num_costs, cap_costs;
    uint32_t *slots; /* open-addressing table of tick numbers + 1 (0: empty), by cost */
    uint32_t num_slots;
    bool failed; /* out of memory while collecting costs */
    char *err;
    size_t errlen;
} injector;

static hs_gas_result fail(injector *in, hs_gas_result rc, const char *fmt, ...) {
    if (in->err && in->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(in->err, in->errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* The section with id `id`, or NULL. */
static const hs_wasm_section *find_section(const hs_wasm_module *m, uint8_t id) {
    for (uint32_t i = 0; i < m->num_sections; i++)
        if (m->sections[i].id == id) return &m->sections[i];
    return NULL;
}

/* Start a vector section: new count, then the original entries (bytes after the count). */
static bool copy_vector(const injector *in, hs_wbuf *out, uint8_t id, uint32_t extra) {
    const hs_wasm_section *s = find_section(in->m, id);
    if (!s) {
        hs_wbuf_u32(out, extra);
        return true;
    }
    size_t pos = s->content.offset, end = s->content.offset + s->content.size;
    uint32_t count = 0;
    if (!hs_wasm_read_u32(in->m->bytes, end, &pos, &count)) return false;
    if (count > UINT32_MAX - extra) return false;
    hs_wbuf_u32(out, count + extra);
    hs_wbuf_bytes(out, in->m->bytes + pos, end - pos);
    return true;
}

static uint32_t cost_hash(uint64_t cost, uint32_t mask) {
    return (uint32_t)((cost * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* The tick function number of `cost` (a new one on first use), or UINT32_MAX if out of memory. */
static uint32_t tick_of(injector *in, uint64_t cost) {
    if (in->num_costs * 2 >= in->num_slots) { /* grow: keep the table at most half full */
        uint32_t n = in->num_slots ? in->num_slots * 2 : 256;
        uint32_t *slots = calloc(n, sizeof *slots);
        if (!slots) return UINT32_MAX;
        for (uint32_t k = 0; k < in->num_costs; k++) {
            uint32_t h = cost_hash(in->costs[k], n - 1);
            while (slots[h]) h = (h + 1) & (n - 1);
            slots[h] = k + 1;
        }
        free(in->slots);
        in->slots = slots;
        in->num_slots = n;
    }
    uint32_t h = cost_hash(cost, in->num_slots - 1);
    for (; in->slots[h]; h = (h + 1) & (in->num_slots - 1))
        if (in->costs[in->slots[h] - 1] == cost) return in->slots[h] - 1;
    if (in->num_costs == in->cap_costs) {
        uint32_t cap = in->cap_costs ? in->cap_costs * 2 : 128;
        uint64_t *costs = realloc(in->costs, cap * sizeof *costs);
        if (!costs) return UINT32_MAX;
        in->costs = costs;
        in->cap_costs = cap;
    }
    in->costs[in->num_costs] = cost;
    in->slots[h] = ++in->num_costs;
    return in->num_costs - 1;
}

/* Emit the charge of `cost` before an accounting operator: call $tick_k, the function that
 * charges exactly `cost` (see gas_inject.h). */
static void emit_charge(injector *in, hs_wbuf *b, uint64_t cost) {
    uint32_t k = tick_of(in, cost);
    if (k == UINT32_MAX) {
        in->failed = true;
        return;
    }
    hs_wbuf_byte(b, OP_CALL);
    hs_wbuf_u32(b, in->charge_func + 1 + k);
}

/* Rewrite defined function `index` into `body` (locals declaration + metered code). */
static hs_gas_result rewrite_body(injector *in, uint32_t index, hs_wbuf *body) {
    const hs_wasm_module *m = in->m;
    const hs_wasm_func *f = &m->funcs[index];
    hs_wbuf_bytes(body, m->bytes + f->body.offset, f->code_offset - f->body.offset);
    hs_wasm_op_iter it;
    hs_wasm_op_iter_init_func(&it, m, index);
    uint64_t accumulated = 0;
    while (!it.done) {
        hs_wasm_op op;
        if (hs_wasm_op_next(&it, &op) != HS_WASM_OK)
            return fail(in, HS_GAS_ERR_PARSE, "function %u: %s", m->num_imported_funcs + index,
                        it.err);
        accumulated += hs_gas_operator_cost(&op);
        if (hs_gas_is_accounting(&op) && accumulated > 0) {
            emit_charge(in, body, accumulated);
            accumulated = 0;
        }
        hs_wbuf_bytes(body, m->bytes + op.offset, op.length);
    }
    return HS_GAS_OK;
}

/* The body of the charge function (param $cost i64), wasmer's check then subtract:
 *   if (left < cost) { left = 0; exhausted = 1; unreachable }  left -= cost */
static void emit_charge_body(const injector *in, hs_wbuf *code) {
    hs_wbuf body;
    hs_wbuf_init(&body);
    hs_wbuf_u32(&body, 0); /* no locals beyond the parameter */
    hs_wbuf_byte(&body, OP_GLOBAL_GET);
    hs_wbuf_u32(&body, in->gas_global);
    hs_wbuf_byte(&body, OP_LOCAL_GET);
    hs_wbuf_u32(&body, 0);
    hs_wbuf_byte(&body, OP_I64_LT_U);
    hs_wbuf_byte(&body, OP_IF);
    hs_wbuf_byte(&body, BLOCK_EMPTY);
    hs_wbuf_byte(&body, OP_I64_CONST);
    hs_wbuf_s64(&body, 0);
    hs_wbuf_byte(&body, OP_GLOBAL_SET);
    hs_wbuf_u32(&body, in->gas_global);
    hs_wbuf_byte(&body, OP_I32_CONST);
    hs_wbuf_s32(&body, 1);
    hs_wbuf_byte(&body, OP_GLOBAL_SET);
    hs_wbuf_u32(&body, in->exhausted_global);
    hs_wbuf_byte(&body, OP_UNREACHABLE);
    hs_wbuf_byte(&body, OP_END);
    hs_wbuf_byte(&body, OP_GLOBAL_GET);
    hs_wbuf_u32(&body, in->gas_global);
    hs_wbuf_byte(&body, OP_LOCAL_GET);
    hs_wbuf_u32(&body, 0);
    hs_wbuf_byte(&body, OP_I64_SUB);
    hs_wbuf_byte(&body, OP_GLOBAL_SET);
    hs_wbuf_u32(&body, in->gas_global);
    hs_wbuf_byte(&body, OP_END);
    if (body.failed) code->failed = true;
    hs_wbuf_u32(code, (uint32_t)body.len);
    hs_wbuf_bytes(code, body.data, body.len);
    hs_wbuf_free(&body);
}

/* Append one function body (its size, then `body`) to the code section `code`. */
static void put_body(hs_wbuf *code, const hs_wbuf *body) {
    if (body->failed || body->len > UINT32_MAX) code->failed = true;
    hs_wbuf_u32(code, (uint32_t)body->len);
    hs_wbuf_bytes(code, body->data, body->len);
}

/* The code section: the rewritten bodies, $charge, then one tick function per distinct cost
 * (i64.const cost; call $charge). The count comes first, so the bodies are rewritten (which
 * numbers the ticks) before anything is written to `code`. */
static hs_gas_result build_code(injector *in, hs_wbuf *code) {
    const hs_wasm_module *m = in->m;
    hs_wbuf bodies, body;
    hs_wbuf_init(&bodies);
    hs_wbuf_init(&body);
    hs_gas_result rc = HS_GAS_OK;
    for (uint32_t i = 0; i < m->num_defined_funcs && rc == HS_GAS_OK; i++) {
        body.len = 0;
        rc = rewrite_body(in, i, &body);
        if (rc == HS_GAS_OK && (body.failed || in->failed))
            rc = fail(in, HS_GAS_ERR_NOMEM, "out of memory rewriting function %u", i);
        put_body(&bodies, &body);
    }
    if (rc == HS_GAS_OK && in->num_costs > UINT32_MAX - 1 - in->charge_func)
        rc = fail(in, HS_GAS_ERR_LIMIT, "too many functions to add metering");
    if (rc == HS_GAS_OK) {
        hs_wbuf_u32(code, m->num_defined_funcs + 1 + in->num_costs);
        hs_wbuf_bytes(code, bodies.data, bodies.len);
        if (bodies.failed) code->failed = true;
        emit_charge_body(in, code);
        for (uint32_t k = 0; k < in->num_costs; k++) {
            body.len = 0;
            hs_wbuf_u32(&body, 0); /* no locals */
            hs_wbuf_byte(&body, OP_I64_CONST);
            hs_wbuf_s64(&body, (int64_t)in->costs[k]);
            hs_wbuf_byte(&body, OP_CALL);
            hs_wbuf_u32(&body, in->charge_func);
            hs_wbuf_byte(&body, OP_END);
            put_body(code, &body);
        }
    }
    hs_wbuf_free(&body);
    hs_wbuf_free(&bodies);
    return rc;
}

/* Whether custom section `sec` is the "name" section. The metered module goes without it:
 * wasm2c then names the charge function after its reserved export and the ticks by index,
 * whatever names the module gives its own functions (the engine finds both by name). */
static bool is_name_section(const uint8_t *wasm, const hs_wasm_section *sec) {
    size_t pos = sec->content.offset, end = sec->content.offset + sec->content.size;
    uint32_t len = 0;
    return hs_wasm_read_u32(wasm, end, &pos, &len) && len == 4 && end - pos >= 4 &&
           memcmp(wasm + pos, "name", 4) == 0;
}

/* Position of a section id in the required section order (custom sections: 0). */
static int section_rank(uint8_t id) {
    static const int rank[] = {
        [1] = 1, [2] = 2, [3] = 3,  [4] = 4,   [5] = 5,   [13] = 6,  [6] = 7,
        [7] = 8, [8] = 9, [9] = 10, [12] = 11, [10] = 12, [11] = 13,
    };
    return id < sizeof rank / sizeof rank[0] ? rank[id] : 0;
}

/* The sections this injector replaces, with their new contents. */
typedef struct replacement {
    uint8_t id;
    hs_wbuf content;
    bool emitted;
} replacement;

hs_gas_result hs_gas_inject(const uint8_t *wasm, size_t size, uint8_t **out, size_t *out_size,
                            char *err, size_t errlen) {
    *out = NULL;
    *out_size = 0;
    injector in = {.err = err, .errlen = errlen};
    if (err && errlen) err[0] = '\0';
    hs_wasm_module m;
    char perr[256];
    if (hs_wasm_parse(wasm, size, &m, perr, sizeof perr) != HS_WASM_OK)
        return fail(&in, HS_GAS_ERR_PARSE, "%s", perr);
    in.m = &m;

    enum { R_TYPE, R_FUNC, R_GLOBAL, R_EXPORT, R_CODE, R_COUNT };
    replacement rep[R_COUNT] = {{.id = HS_WASM_SEC_TYPE},
                                {.id = HS_WASM_SEC_FUNCTION},
                                {.id = HS_WASM_SEC_GLOBAL},
                                {.id = HS_WASM_SEC_EXPORT},
                                {.id = HS_WASM_SEC_CODE}};
    hs_wbuf result;
    hs_wbuf_init(&result);
    hs_gas_result rc = HS_GAS_OK;

    if (hs_wasm_find_export(&m, HS_GAS_EXPORT_LEFT) ||
        hs_wasm_find_export(&m, HS_GAS_EXPORT_EXHAUSTED) ||
        hs_wasm_find_export(&m, HS_GAS_EXPORT_CHARGE)) {
        rc = fail(&in, HS_GAS_ERR_RESERVED,
                  "export names %s, %s and %s are reserved for gas metering", HS_GAS_EXPORT_LEFT,
                  HS_GAS_EXPORT_EXHAUSTED, HS_GAS_EXPORT_CHARGE);
        goto done;
    }
    if (hs_wasm_num_funcs(&m) >= UINT32_MAX - 1 || hs_wasm_num_globals(&m) >= UINT32_MAX - 2 ||
        m.num_types >= UINT32_MAX - 1) {
        rc = fail(&in, HS_GAS_ERR_LIMIT, "too many functions, globals or types to add metering");
        goto done;
    }
    in.gas_global = hs_wasm_num_globals(&m);
    in.exhausted_global = in.gas_global + 1;
    in.charge_func = hs_wasm_num_funcs(&m);
    rc = build_code(&in, &rep[R_CODE].content);
    if (rc != HS_GAS_OK) goto done;

    /* Types of $charge, (i64) -> (), and of the ticks, () -> () (if there are any): the first
     * existing ones, else appended. Bodies name functions, not types: this can come last. */
    uint32_t new_types = 0;
    in.charge_type = in.tick_type = UINT32_MAX;
    for (uint32_t i = m.num_types; i-- > 0;) {
        const hs_wasm_functype *t = &m.types[i];
        if (t->num_results != 0) continue;
        if (t->num_params == 1 && t->params[0] == HS_WASM_I64) in.charge_type = i;
        if (t->num_params == 0) in.tick_type = i;
    }
    if (in.charge_type == UINT32_MAX) in.charge_type = m.num_types + new_types++;
    if (in.tick_type == UINT32_MAX && in.num_costs) in.tick_type = m.num_types + new_types++;

    /* Type section: the appended types, in the order numbered above. */
    bool ok = true;
    if (new_types) {
        ok = copy_vector(&in, &rep[R_TYPE].content, HS_WASM_SEC_TYPE, new_types);
        const uint8_t charge_type[] = {FUNC_TYPE_TAG, 1, HS_WASM_I64, 0};
        const uint8_t tick_type[] = {FUNC_TYPE_TAG, 0, 0};
        for (uint32_t t = m.num_types; t < m.num_types + new_types; t++) {
            if (t == in.charge_type)
                hs_wbuf_bytes(&rep[R_TYPE].content, charge_type, sizeof charge_type);
            else
                hs_wbuf_bytes(&rep[R_TYPE].content, tick_type, sizeof tick_type);
        }
    } else {
        rep[R_TYPE].emitted = true; /* copied unchanged */
    }
    /* Function section: $charge, then the ticks. */
    ok = ok && copy_vector(&in, &rep[R_FUNC].content, HS_WASM_SEC_FUNCTION, 1 + in.num_costs);
    hs_wbuf_u32(&rep[R_FUNC].content, in.charge_type);
    for (uint32_t k = 0; k < in.num_costs; k++) hs_wbuf_u32(&rep[R_FUNC].content, in.tick_type);
    /* Global section: hs_gas_left (mut i64 = 0), hs_gas_exhausted (mut i32 = 0). */
    ok = ok && copy_vector(&in, &rep[R_GLOBAL].content, HS_WASM_SEC_GLOBAL, 2);
    const uint8_t globals[] = {HS_WASM_I64, 1, OP_I64_CONST, 0, OP_END,
                               HS_WASM_I32, 1, OP_I32_CONST, 0, OP_END};
    hs_wbuf_bytes(&rep[R_GLOBAL].content, globals, sizeof globals);
    /* Export section: both globals and the charge function. */
    ok = ok && copy_vector(&in, &rep[R_EXPORT].content, HS_WASM_SEC_EXPORT, 3);
    hs_wbuf_name(&rep[R_EXPORT].content, HS_GAS_EXPORT_LEFT, strlen(HS_GAS_EXPORT_LEFT));
    hs_wbuf_byte(&rep[R_EXPORT].content, HS_WASM_EXTERN_GLOBAL);
    hs_wbuf_u32(&rep[R_EXPORT].content, in.gas_global);
    hs_wbuf_name(&rep[R_EXPORT].content, HS_GAS_EXPORT_EXHAUSTED, strlen(HS_GAS_EXPORT_EXHAUSTED));
    hs_wbuf_byte(&rep[R_EXPORT].content, HS_WASM_EXTERN_GLOBAL);
    hs_wbuf_u32(&rep[R_EXPORT].content, in.exhausted_global);
    hs_wbuf_name(&rep[R_EXPORT].content, HS_GAS_EXPORT_CHARGE, strlen(HS_GAS_EXPORT_CHARGE));
    hs_wbuf_byte(&rep[R_EXPORT].content, HS_WASM_EXTERN_FUNC);
    hs_wbuf_u32(&rep[R_EXPORT].content, in.charge_func);
    if (!ok) {
        rc = fail(&in, HS_GAS_ERR_PARSE, "malformed section count");
        goto done;
    }

    /* Re-encode: header, then every section in order, replacements in place, new sections at
     * their required position. */
    hs_wbuf_bytes(&result, wasm, 8);
    for (uint32_t s = 0; s <= m.num_sections; s++) {
        const hs_wasm_section *sec = s < m.num_sections ? &m.sections[s] : NULL;
        int rank = sec ? section_rank(sec->id) : 100;
        if (sec && rank == 0) { /* custom section: copy, but for the name section */
            if (!is_name_section(wasm, sec))
                hs_wbuf_bytes(&result, wasm + sec->header_offset,
                              sec->content.offset + sec->content.size - sec->header_offset);
            continue;
        }
        /* Sections that did not exist and must come before this one. */
        for (int r = 0; r < R_COUNT; r++) {
            if (!rep[r].emitted && section_rank(rep[r].id) < rank &&
                (!sec || sec->id != rep[r].id) && !find_section(&m, rep[r].id)) {
                hs_wbuf_section(&result, rep[r].id, &rep[r].content);
                rep[r].emitted = true;
            }
        }
        if (!sec) break;
        bool replaced = false;
        for (int r = 0; r < R_COUNT; r++) {
            if (rep[r].id == sec->id && !rep[r].emitted) {
                hs_wbuf_section(&result, rep[r].id, &rep[r].content);
                rep[r].emitted = true;
                replaced = true;
            }
        }
        if (!replaced)
            hs_wbuf_bytes(&result, wasm + sec->header_offset,
                          sec->content.offset + sec->content.size - sec->header_offset);
    }
    for (int r = 0; r < R_COUNT; r++)
        if (rep[r].content.failed) result.failed = true;
    *out = hs_wbuf_take(&result, out_size);
    if (!*out) rc = fail(&in, HS_GAS_ERR_NOMEM, "out of memory writing the metered module");

done:
    for (int r = 0; r < R_COUNT; r++) hs_wbuf_free(&rep[r].content);
    hs_wbuf_free(&result);
    free(in.costs);
    free(in.slots);
    hs_wasm_module_free(&m);
    return rc;
}

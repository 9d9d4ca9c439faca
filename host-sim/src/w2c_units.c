/* w2c_units.c — parallel wasm2c units: split plan, stubbed unit modules, linkage edits on the
 * generated C and stitching back into the one-unit translation (see w2c_units.h). */
#include "w2c_units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OP_UNREACHABLE 0x00
#define OP_END 0x0B

uint32_t hs_w2c_plan_units(const hs_wasm_module *m, uint32_t units, uint32_t keep,
                           hs_w2c_plan *plan) {
    memset(plan, 0, sizeof *plan);
    plan->keep = keep;
    /* Only the functions before `keep` are shared out. */
    const uint32_t n = keep < m->num_defined_funcs ? keep : m->num_defined_funcs;
    if (units > HS_W2C_MAX_UNITS) units = HS_W2C_MAX_UNITS;
    if (units < 2 || n < units) {
        plan->units = 1;
        plan->first[1] = n;
        return 1;
    }
    size_t total = 0;
    for (uint32_t i = 0; i < n; i++) total += m->funcs[i].body.size;
    /* Unit k starts at the first function whose preceding code reaches k/units of the total. */
    uint32_t k = 1;
    size_t acc = 0;
    for (uint32_t i = 0; i < n && k < units; i++) {
        if (acc * units >= total * k && i > plan->first[k - 1]) plan->first[k++] = i;
        acc += m->funcs[i].body.size;
    }
    while (k < units) { /* tiny tail: give each remaining unit one function */
        uint32_t prev = plan->first[k - 1];
        plan->first[k++] = prev + 1 < n ? prev + 1 : n;
    }
    plan->first[units] = n;
    for (uint32_t u = 0; u < units; u++)
        if (plan->first[u] >= plan->first[u + 1]) {
            plan->units = 1; /* an empty unit: do not split */
            plan->first[0] = 0;
            plan->first[1] = n;
            return 1;
        }
    plan->units = units;
    return units;
}

void hs_w2c_unit_name(uint32_t k, char *buf, size_t len) {
    if (k == 0)
        snprintf(buf, len, "m");
    else
        snprintf(buf, len, "m%u", k);
}

/* The unit owning defined function i. */
static uint32_t owner(const hs_w2c_plan *plan, uint32_t i) {
    uint32_t k = 0;
    while (k + 1 < plan->units && i >= plan->first[k + 1]) k++;
    return k;
}

uint8_t *hs_w2c_unit_module(const hs_wasm_module *m, const hs_w2c_plan *plan, uint32_t k,
                            size_t *len) {
    hs_wbuf out, code;
    hs_wbuf_init(&out);
    hs_wbuf_init(&code);
    hs_wbuf_bytes(&out, m->bytes, 8); /* magic and version */
    for (uint32_t s = 0; s < m->num_sections; s++) {
        const hs_wasm_section *sec = &m->sections[s];
        if (sec->id != HS_WASM_SEC_CODE) {
            hs_wbuf_bytes(&out, m->bytes + sec->header_offset,
                          sec->content.offset + sec->content.size - sec->header_offset);
            continue;
        }
        hs_wbuf_u32(&code, m->num_defined_funcs);
        for (uint32_t i = 0; i < m->num_defined_funcs; i++) {
            const hs_wasm_range *b = &m->funcs[i].body;
            if (i >= plan->keep || owner(plan, i) == k) {
                hs_wbuf_u32(&code, (uint32_t)b->size);
                hs_wbuf_bytes(&code, m->bytes + b->offset, b->size);
            } else {
                static const uint8_t stub[] = {0 /* no locals */, OP_UNREACHABLE, OP_END};
                hs_wbuf_u32(&code, sizeof stub);
                hs_wbuf_bytes(&code, stub, sizeof stub);
            }
        }
        hs_wbuf_section(&out, HS_WASM_SEC_CODE, &code);
    }
    bool failed = code.failed;
    hs_wbuf_free(&code);
    if (failed) {
        hs_wbuf_free(&out);
        return NULL;
    }
    return hs_wbuf_take(&out, len);
}

/* --- Reading wasm2c output ------------------------------------------------------------------ */

static bool ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* If the line at `p` is "static RET w2c_NAME(INST*" (INST the instance type), return the
 * position just after the '*' and set *name and *name_len; else NULL. */
static const char *match_func_line(const char *p, const char *end, const char *inst,
                                   const char **name, size_t *name_len) {
    static const char st[] = "static ";
    if ((size_t)(end - p) < sizeof st || memcmp(p, st, sizeof st - 1) != 0) return NULL;
    p += sizeof st - 1;
    const char *q = p;
    while (q < end && ident_char(*q)) q++;
    if (q == p || q >= end || *q != ' ') return NULL; /* return type */
    p = q + 1;
    q = p;
    while (q < end && ident_char(*q)) q++;
    if ((size_t)(q - p) < 5 || memcmp(p, "w2c_", 4) != 0) return NULL;
    *name = p;
    *name_len = (size_t)(q - p);
    size_t il = strlen(inst);
    if ((size_t)(end - q) < il + 2 || q[0] != '(' || memcmp(q + 1, inst, il) != 0 ||
        q[1 + il] != '*')
        return NULL;
    return q + 2 + il;
}

bool hs_w2c_scan(const char *c, size_t len, const char *module, uint32_t num_funcs,
                 hs_w2c_func *out) {
    char inst[64];
    snprintf(inst, sizeof inst, "Z_%s_instance_t", module);
    const char *end = c + len;
    uint32_t ndecl = 0, ndef = 0;
    /* Names of the declarations, to check the definitions come in the same order. */
    const char **names = calloc(num_funcs ? num_funcs : 1, sizeof *names);
    size_t *name_lens = calloc(num_funcs ? num_funcs : 1, sizeof *name_lens);
    bool ok = names && name_lens;
    for (const char *p = c; ok && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        const char *name;
        size_t nlen;
        const char *after = match_func_line(p, line_end, inst, &name, &nlen);
        if (after && after < line_end && (*after == ',' || *after == ')')) {
            if (ndecl >= num_funcs) {
                ok = false;
                break;
            }
            names[ndecl] = name;
            name_lens[ndecl] = nlen;
            out[ndecl++].decl = (size_t)(p - c);
        } else if (after && (size_t)(line_end - after) >= 9 && memcmp(after, " instance", 9) == 0) {
            if (ndef >= ndecl || name_lens[ndef] != nlen || memcmp(names[ndef], name, nlen) != 0) {
                ok = false;
                break;
            }
            const char *close = strstr(p, "\n}\n");
            if (!close) {
                ok = false;
                break;
            }
            out[ndef].def = (size_t)(p - c);
            out[ndef++].def_end = (size_t)(close + 3 - c);
            p = close + 3;
            continue;
        }
        p = nl ? nl + 1 : end;
    }
    ok = ok && ndecl == num_funcs && ndef == num_funcs &&
         (num_funcs == 0 || out[num_funcs - 1].decl < out[0].def);
    free(names);
    free(name_lens);
    return ok;
}

/* Whether the definition [def, def_end) is wasm2c's translation of `unreachable` alone. */
static bool is_stub(const char *c, size_t def, size_t def_end) {
    const char *body = strstr(c + def, ") {\n");
    if (!body || (size_t)(body - c) >= def_end) return false;
    const char *p = body + 4, *end = c + def_end - 2; /* "}\n" */
    static const char *const exact[] = {"  FUNC_PROLOGUE;", "  UNREACHABLE;", "  FUNC_EPILOGUE;"};
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return false;
        size_t n = (size_t)(nl - p);
        bool ok = false;
        for (size_t i = 0; i < 3 && !ok; i++) ok = n == strlen(exact[i]) && !memcmp(p, exact[i], n);
        /* "  u32 w2c_i0;" (the result variable) and "  return w2c_i0;" */
        if (!ok && n > 8 && p[n - 1] == ';' && !memchr(p, '=', n) && !memchr(p, '(', n))
            ok = !memcmp(p, "  return w2c_", 13) ||
                 ((!memcmp(p, "  u32 ", 6) || !memcmp(p, "  u64 ", 6) || !memcmp(p, "  f32 ", 6) ||
                   !memcmp(p, "  f64 ", 6)) &&
                  !memcmp(p + 6, "w2c_", 4));
        if (!ok) return false;
        p = nl + 1;
    }
    return true;
}

bool hs_w2c_link_unit(const char *c, size_t len, const hs_w2c_func *funcs, const hs_w2c_plan *plan,
                      uint32_t k, hs_wbuf *out) {
    static const size_t st = 7; /* "static " */
    const uint32_t n = plan->first[plan->units];
    size_t pos = 0;
    /* Declarations: every shared-out function becomes external (kept ones stay static). */
    for (uint32_t i = 0; i < n; i++) {
        hs_wbuf_bytes(out, c + pos, funcs[i].decl - pos);
        pos = funcs[i].decl + st;
    }
    /* Definitions: owned ones become global, the others (stubs) are dropped. */
    for (uint32_t i = 0; i < n; i++) {
        hs_wbuf_bytes(out, c + pos, funcs[i].def - pos);
        if (owner(plan, i) == k) {
            pos = funcs[i].def + st;
        } else {
            if (!is_stub(c, funcs[i].def, funcs[i].def_end)) return false;
            pos = funcs[i].def_end;
        }
    }
    hs_wbuf_bytes(out, c + pos, len - pos);
    return !out->failed;
}

bool hs_w2c_stitch(const char *const *texts, const size_t *lens, hs_w2c_func *const *funcs,
                   const hs_w2c_plan *plan, hs_wbuf *out) {
    const uint32_t n = plan->first[plan->units];
    const char *c0 = texts[0];
    size_t pos = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = owner(plan, i);
        if (k == 0) continue;
        hs_wbuf_bytes(out, c0 + pos, funcs[0][i].def - pos);
        pos = funcs[0][i].def_end;
        /* The owner's definition, with Z_m<k>_instance_t renamed Z_m_instance_t. */
        char mod[16], from[48];
        hs_w2c_unit_name(k, mod, sizeof mod);
        int fl = snprintf(from, sizeof from, "Z_%s", mod);
        static const char inst_suffix[] = "_instance_t", to[] = "Z_m_instance_t";
        const char *p = texts[k] + funcs[k][i].def, *end = texts[k] + funcs[k][i].def_end;
        while (p < end) {
            const char *hit = NULL;
            for (const char *q = p; q + fl <= end; q++) {
                q = memchr(q, 'Z', (size_t)(end - q));
                if (!q || q + fl > end) break;
                if (!memcmp(q, from, (size_t)fl)) {
                    hit = q;
                    break;
                }
            }
            if (!hit) {
                hs_wbuf_bytes(out, p, (size_t)(end - p));
                break;
            }
            if ((size_t)(end - hit) < fl + sizeof inst_suffix - 1 ||
                memcmp(hit + fl, inst_suffix, sizeof inst_suffix - 1) != 0)
                return false;
            hs_wbuf_bytes(out, p, (size_t)(hit - p));
            hs_wbuf_bytes(out, to, sizeof to - 1);
            p = hit + fl + sizeof inst_suffix - 1;
        }
    }
    hs_wbuf_bytes(out, c0 + pos, lens[0] - pos);
    return !out->failed;
}

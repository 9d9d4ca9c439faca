/* w2c_units.h — splits one module's wasm2c translation into units that are translated and
 * compiled in parallel (the engine's cold start), links them, and stitches the units' output
 * back into exactly the text wasm2c gives for the whole module (the tier-2 source).
 *
 * How: unit k is the module itself with every function body outside its share replaced by
 * `unreachable` (same indices, types, tables, data: wasm2c emits the same declarations, instance
 * struct and runtime helpers for every unit). wasm2c runs on each unit with its own module name
 * (m, m1, m2, ...) so the units' public symbols do not clash. Before compiling, each unit's C is
 * edited so that the functions it owns are global and the others are external declarations (the
 * unit's stub definitions are dropped); the stub shape is checked, so a mismatch between function
 * indices and wasm2c's names is detected rather than linked. A function body's C text does not
 * depend on the other bodies, so putting each owner's definitions into unit 0's text gives the
 * one-unit translation byte for byte (tests/test_engine.c checks it against wasm2c). */
#ifndef HS_W2C_UNITS_H
#define HS_W2C_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm_parse.h"
#include "wasm_write.h"

#define HS_W2C_MAX_UNITS 8

/* A split: unit k owns the defined functions [first[k], first[k + 1]) (0-based among defined
 * functions); the functions from `keep` on (a defined index, or UINT32_MAX for none) keep their
 * bodies in every unit, owned by none (the gas charge and tick functions, which the injector
 * appends last and the engine inlines in every unit); first[units] is where they start. */
typedef struct hs_w2c_plan {
    uint32_t units;
    uint32_t first[HS_W2C_MAX_UNITS + 1];
    uint32_t keep;
} hs_w2c_plan;

/* Split `m` into at most `units` contiguous shares of about equal code size. Returns the number
 * of units planned: 1 means "do not split" (fewer functions than units, or units < 2). */
uint32_t hs_w2c_plan_units(const hs_wasm_module *m, uint32_t units, uint32_t keep,
                           hs_w2c_plan *plan);

/* The wasm of unit k: `m`'s bytes with the bodies outside unit k replaced by `unreachable`.
 * Returns a malloc'd buffer (*len bytes), or NULL when out of memory. */
uint8_t *hs_w2c_unit_module(const hs_wasm_module *m, const hs_w2c_plan *plan, uint32_t k,
                            size_t *len);

/* Where each defined function sits in a wasm2c 1.0.32 output: its forward declaration and its
 * definition [def, def_end). Index i is defined function i. */
typedef struct hs_w2c_func {
    size_t decl;
    size_t def, def_end;
} hs_w2c_func;

/* Find the declarations and definitions of all `num_funcs` defined functions in `c` (a wasm2c
 * output for module name `module`, "m", "m1", ...). `out` has num_funcs entries. False if the
 * text does not have the expected shape (the caller then does not split). */
bool hs_w2c_scan(const char *c, size_t len, const char *module, uint32_t num_funcs,
                 hs_w2c_func *out);

/* Append unit k's C (raw wasm2c output `c`, scanned into `funcs`) to `out`, edited for linking:
 * owned functions become global, the others external (their stub definitions, checked to be
 * stubs, are dropped). False if a function outside the unit is not a stub. */
bool hs_w2c_link_unit(const char *c, size_t len, const hs_w2c_func *funcs, const hs_w2c_plan *plan,
                      uint32_t k, hs_wbuf *out);

/* Append the one-unit translation to `out`: unit 0's raw text with each other unit's
 * definitions put in place of its stubs (instance type renamed from Z_m<k>_instance_t).
 * `texts[k]`, `lens[k]`, `funcs[k]`: unit k's raw output and scan. False if an owner's
 * definition mentions its module name elsewhere than in the instance type. */
bool hs_w2c_stitch(const char *const *texts, const size_t *lens, hs_w2c_func *const *funcs,
                   const hs_w2c_plan *plan, hs_wbuf *out);

/* The wasm2c module name of unit k ("m", "m1", ...), in buf (at least 8 bytes). */
void hs_w2c_unit_name(uint32_t k, char *buf, size_t len);

#endif /* HS_W2C_UNITS_H */

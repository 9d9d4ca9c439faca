/* The Region ABI (see cw_region.h) and the exports every CosmWasm contract carries:
 * allocate, deallocate and the interface_version_8 marker. Only meaningful in wasm builds; the
 * native mock passes bytes directly. */
#include "cw_region.h"

#ifdef __wasm__

static const char empty_bytes[1];

static inline cw_region *region_at(uint32_t ptr) {
    return (cw_region *)(uintptr_t)ptr;
}

uint32_t cw_region_for(cw_region *r, cw_str s) {
    r->offset = (uint32_t)(uintptr_t)(s.len ? s.ptr : empty_bytes);
    if (r->offset == 0) r->offset = (uint32_t)(uintptr_t)empty_bytes;
    r->capacity = (uint32_t)s.len;
    r->length = (uint32_t)s.len;
    return (uint32_t)(uintptr_t)r;
}

uint32_t cw_region_from_owned(char *data, uint32_t len, uint32_t capacity) {
    cw_region *r = cw_alloc(sizeof *r);
    r->offset = (uint32_t)(uintptr_t)data;
    r->capacity = capacity;
    r->length = len;
    return (uint32_t)(uintptr_t)r;
}

uint32_t cw_region_with_capacity(uint32_t capacity) {
    return cw_region_from_owned(cw_alloc(capacity), 0, capacity);
}

void cw_region_validate(const cw_region *r) {
    if (r->offset == 0) cw_abort("region: offset is 0");
    if (r->length > r->capacity) cw_abort("region: length exceeds capacity");
    if (r->capacity > 0xFFFFFFFFu - r->offset) cw_abort("region: buffer wraps around memory");
}

cw_str cw_region_consume(uint32_t region_ptr) {
    if (region_ptr == 0) cw_abort("region: null region pointer");
    cw_region *r = region_at(region_ptr);
    cw_region_validate(r);
    cw_str s = {(const char *)(uintptr_t)r->offset, r->length};
    cw_free(r);
    return s;
}

void cw_region_free(uint32_t region_ptr) {
    cw_str s = cw_region_consume(region_ptr);
    cw_free((void *)s.ptr);
}

/* --- Exports -------------------------------------------------------------------------------- */

/* Called by the host to place arguments in contract memory: a fresh buffer of `size` bytes and
 * a region describing it (length 0). The contract frees it (the entry glue does). */
__attribute__((export_name("allocate"))) uint32_t cw_export_allocate(uint32_t size) {
    return cw_region_with_capacity(size);
}

/* Frees a region and its buffer, e.g. the result region after the host has read it. */
__attribute__((export_name("deallocate"))) void cw_export_deallocate(uint32_t region_ptr) {
    cw_region_free(region_ptr);
}

/* Marker export: this contract speaks CosmWasm's interface version 8 (CosmWasm 1.x/2.x). */
__attribute__((export_name("interface_version_8"))) void cw_export_interface_version_8(void) {}

#endif

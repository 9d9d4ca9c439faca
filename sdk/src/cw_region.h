/* The CosmWasm Region ABI (private to the SDK): a 12-byte {offset, capacity, length}
 * descriptor of a buffer in linear memory, how contract and host pass bytes to each other.
 * Implementation and the allocate/deallocate/interface_version_8 exports: cw_region.c. */
#ifndef CW_REGION_H
#define CW_REGION_H

#include "cw_base.h"

/* Little-endian u32 fields, exactly as the VM reads them. */
typedef struct cw_region {
    uint32_t offset;   /* address of the first byte; never 0 */
    uint32_t capacity; /* bytes allocated at offset */
    uint32_t length;   /* bytes in use, <= capacity */
} cw_region;

_Static_assert(sizeof(cw_region) == 12, "a Region is 12 bytes");

#ifdef __wasm__
/* Describe a slice for an import argument (the host only reads it). `r` is caller storage,
 * typically a local; an empty slice still gets a non-zero offset. Returns the region's address
 * as the u32 the imports take. */
uint32_t cw_region_for(cw_region *r, cw_str s);

/* A heap region with an empty buffer of `capacity` bytes, for imports that write into a
 * region the contract provides (addr_canonicalize, addr_humanize). Consume or free it with
 * cw_region_consume / cw_region_free. */
uint32_t cw_region_with_capacity(uint32_t capacity);

/* Check a region's invariants; aborts "region: …" when offset is 0, length > capacity or the
 * buffer wraps around the address space. */
void cw_region_validate(const cw_region *r);

/* Take ownership of a heap region's bytes (a region the host returned or one from
 * cw_region_with_capacity): validates it, frees the 12-byte struct and returns the data, a
 * cw_alloc'd block the caller frees with cw_free((void *)s.ptr). */
cw_str cw_region_consume(uint32_t region_ptr);

/* Free a heap region and its buffer (what the `deallocate` export does). */
void cw_region_free(uint32_t region_ptr);

/* A new heap region owning `data` (a cw_alloc'd block of `len` bytes and at least that
 * capacity), for returning results to the host. */
uint32_t cw_region_from_owned(char *data, uint32_t len, uint32_t capacity);
#endif

#endif

/* Binary records for contract storage: little-endian integers (u64, Uint128, Uint256) and
 * strings as a u16 little-endian length + bytes, written into a cw_buf and read back with a
 * bounds-checked cursor (a short or corrupt record aborts). Implementation: sdk/src/cw_record.c. */
#ifndef CW_RECORD_H
#define CW_RECORD_H

#include "cw_base.h"
#include "cw_math.h"

void cw_record_put_u64(cw_buf *b, uint64_t v);
void cw_record_put_u128(cw_buf *b, cw_u128 v);
void cw_record_put_u256(cw_buf *b, cw_u256 v);
/* Aborts ("string too long for a record") past 65535 bytes. */
void cw_record_put_str(cw_buf *b, cw_str s);

/* A read cursor over a stored record: start with (cw_record){value, 0}. */
typedef struct cw_record {
    cw_str s;
    size_t pos;
} cw_record;

/* Each read aborts ("corrupt record") when the record is shorter than the value. */
uint64_t cw_record_get_u64(cw_record *r);
cw_u128 cw_record_get_u128(cw_record *r);
cw_u256 cw_record_get_u256(cw_record *r);
/* The string's bytes inside the record (not copied). */
cw_str cw_record_get_str(cw_record *r);

#endif

/* Per-call memory for contracts: allocations that must live until the entry point returns
 * (unescaped strings, loaded records, formatted numbers) are held in one list and freed
 * together. Every contract's entry points call cw_release_all once before returning, so the
 * handlers below them can return slices into held memory without tracking ownership.
 * Implementation: sdk/src/cw_arena.c. */
#ifndef CW_ARENA_H
#define CW_ARENA_H

#include "cw_base.h"

/* Keep `p` (from cw_alloc/cw_realloc or any SDK call that returns owned memory) until
 * cw_release_all; returns p. NULL is returned as is and not held. Example:
 *     char *text = cw_hold(cw_alloc(CW_DECIMAL_STR_MAX));
 * Growing the list cannot fail (cw_realloc aborts when memory runs out). */
void *cw_hold(void *p);

/* Free everything held, newest first, and the list itself; the arena is then empty and can
 * be used again (the native test suites run many calls in one process). */
void cw_release_all(void);

/* A buffer's bytes as a held string: taken from `b` (left empty) with cw_buf_take, so they
 * are NUL-terminated (not counted in len); an empty buffer gives an empty held string. */
cw_str cw_hold_buf(cw_buf *b);

#endif

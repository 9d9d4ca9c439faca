/* The SDK heap allocator behind cw_alloc/cw_realloc/cw_free: blocks with checked headers
 * tiling the heap, one best-fit free list whose blocks are split on reuse, a bump pointer at
 * the top that freed top blocks give back to and that realloc extends in place. No neighbour
 * coalescing: a contract call is short and its instance fresh, so a small allocator (wasm
 * bytes count against the contract budget) beats a fragmentation-proof one. A double free or a
 * foreign pointer aborts. In wasm the heap starts at __heap_base and grows with memory.grow;
 * natively the same code runs over a static 64 MiB arena (test hooks in sdk/mock/cw_mock.h),
 * poisoned for ASan. */
#include "cw_base.h"

/* --- Layout ---------------------------------------------------------------------------------
 * Every block starts with a 16-byte header; payloads are 16-byte aligned. Blocks tile the heap
 * from heap_start to heap_top without gaps (the next block is at b + size). A free block's
 * payload starts with its free-list link; its header keeps CW_MAGIC_FREE, also after it was
 * given back to the top, so a second free of it is named as a double free. */
typedef struct cw_blk {
    uint32_t magic; /* CW_MAGIC_USED or CW_MAGIC_FREE; anything else is not a block */
    uint32_t size;  /* whole block in bytes, header included, multiple of CW_ALIGN */
    uint32_t req;   /* bytes requested by the user (used blocks) */
    uint32_t pad;
} cw_blk;

#define CW_ALIGN 16u
#define CW_HDR ((uint32_t)sizeof(cw_blk))
#define CW_MIN_BLOCK 32u
#define CW_MAGIC_USED 0xA110CA7Eu
#define CW_MAGIC_FREE 0xF4EEB10Cu
#define CW_MAX_REQUEST (0xFFFFFFFFu - 2 * CW_ALIGN - CW_HDR)

_Static_assert(sizeof(cw_blk) == 16, "block header must be 16 bytes");
_Static_assert(sizeof(cw_blk *) <= CW_MIN_BLOCK - sizeof(cw_blk), "link must fit a min block");

static unsigned char *heap_start; /* first block; NULL until the first allocation */
static unsigned char *heap_top;   /* end of the last block */
static unsigned char *heap_end;   /* end of the memory the heap may use without growing */
static cw_blk *free_list;         /* free blocks below heap_top, most recently freed first */

/* --- AddressSanitizer poisoning (native ASan builds only) ------------------------------------
 * Free payloads and the slack after each requested size are poisoned, so a contract's
 * use-after-free or overflow in a native ASan test is reported like one on malloc. */
#if !defined(__wasm__) && defined(__SANITIZE_ADDRESS__)
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define CW_POISON(p, n) __asan_poison_memory_region((p), (n))
#define CW_UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define CW_POISON(p, n) ((void)(p), (void)(n))
#define CW_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* --- Heap memory: wasm linear memory or the native arena ------------------------------------ */

#ifdef __wasm__
extern unsigned char __heap_base;

static void heap_init(void) {
    uintptr_t base = ((uintptr_t)&__heap_base + CW_ALIGN - 1) & ~(uintptr_t)(CW_ALIGN - 1);
    heap_start = heap_top = (unsigned char *)base;
    heap_end = (unsigned char *)(__builtin_wasm_memory_size(0) * 65536u);
}

/* Make [heap_top, heap_top + n) usable; false if memory cannot grow that far. */
static bool heap_grow(uint32_t n) {
    uintptr_t top = (uintptr_t)heap_top, end = (uintptr_t)heap_end;
    if (n <= end - top) return true;
    uintptr_t missing = n - (end - top);
    uintptr_t pages = (missing + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return false;
    heap_end += pages * 65536u;
    return true;
}
#else
#define CW_ARENA_SIZE (64u << 20)
static _Alignas(16) unsigned char cw_arena[CW_ARENA_SIZE];

static void heap_init(void) {
    heap_start = heap_top = cw_arena;
    heap_end = cw_arena + CW_ARENA_SIZE;
    CW_POISON(cw_arena, CW_ARENA_SIZE);
}

static bool heap_grow(uint32_t n) {
    return n <= (size_t)(heap_end - heap_top);
}
#endif

/* --- Messages (no allocation: the allocator may be what failed) ----------------------------- */

static char msg_buf[112];

/* Abort with "<op><middle>0x<hex address of p><after>". */
_Noreturn static void alloc_abort_ptr(const char *op, const char *middle, const void *p,
                                      const char *after) {
    char hex[2 * sizeof(uintptr_t) + 1];
    size_t i = sizeof hex - 1, n = 0;
    hex[i] = 0;
    for (uintptr_t v = (uintptr_t)p; i == sizeof hex - 1 || v; v >>= 4)
        hex[--i] = "0123456789abcdef"[v & 15];
    const char *parts[] = {op, middle, "0x", hex + i, after};
    for (size_t k = 0; k < 5; k++)
        for (const char *s = parts[k]; *s; s++) msg_buf[n++] = *s;
    msg_buf[n] = 0;
    cw_abort(msg_buf);
}

/* --- Blocks and the free list --------------------------------------------------------------- */

/* A free block's link, read and written with the payload poisoned in between, so that even
 * the first bytes of a freed payload trap under ASan. */
static cw_blk **link_of(cw_blk *b) {
    return (cw_blk **)(void *)(b + 1);
}
static cw_blk *link_get(cw_blk *b) {
    CW_UNPOISON(b + 1, sizeof(cw_blk *));
    cw_blk *next = *link_of(b);
    CW_POISON(b + 1, sizeof(cw_blk *));
    return next;
}
static void link_set(cw_blk *b, cw_blk *next) {
    CW_UNPOISON(b + 1, sizeof(cw_blk *));
    *link_of(b) = next;
    CW_POISON(b + 1, sizeof(cw_blk *));
}

static void mark_used(cw_blk *b, uint32_t req) {
    b->magic = CW_MAGIC_USED;
    b->req = req;
    CW_UNPOISON(b, b->size);
    CW_POISON((unsigned char *)(b + 1) + req, b->size - CW_HDR - req);
}

/* b becomes free: given back to the top when it ends there, else pushed on the free list. */
static void release(cw_blk *b) {
    b->magic = CW_MAGIC_FREE;
    CW_POISON(b + 1, b->size - CW_HDR);
    if ((unsigned char *)b + b->size == heap_top) {
        heap_top = (unsigned char *)b;
        return;
    }
    link_set(b, free_list);
    free_list = b;
}

/* Bytes of block needed for a request: header + payload rounded up, at least CW_MIN_BLOCK. */
static uint32_t block_size_for(size_t req) {
    if (req > CW_MAX_REQUEST) cw_abort("out of memory: allocation too large");
    uint32_t size = ((uint32_t)req + CW_HDR + CW_ALIGN - 1) & ~(CW_ALIGN - 1);
    return size < CW_MIN_BLOCK ? CW_MIN_BLOCK : size;
}

/* --- Public API ----------------------------------------------------------------------------- */

void *cw_alloc(size_t req) {
    if (!heap_start) heap_init();
    uint32_t size = block_size_for(req);
    /* Best fit: the smallest free block that is large enough. */
    cw_blk *best = NULL, *best_prev = NULL;
    for (cw_blk *prev = NULL, *f = free_list; f; prev = f, f = link_get(f)) {
        if (f->size >= size && (!best || f->size < best->size)) {
            best = f;
            best_prev = prev;
        }
    }
    cw_blk *b;
    if (best) {
        b = best;
        if (best_prev)
            link_set(best_prev, link_get(b));
        else
            free_list = link_get(b);
        uint32_t rest = b->size - size;
        if (rest >= CW_MIN_BLOCK) { /* the tail stays free */
            cw_blk *t = (cw_blk *)(void *)((unsigned char *)b + size);
            CW_UNPOISON(t, CW_HDR);
            t->size = rest;
            b->size = size;
            release(t);
        }
    } else {
        if (!heap_grow(size)) cw_abort("out of memory");
        b = (cw_blk *)(void *)heap_top;
        CW_UNPOISON(b, CW_HDR);
        heap_top += size;
        b->size = size;
    }
    mark_used(b, (uint32_t)req);
    return b + 1;
}

/* The header of a pointer handed out by cw_alloc, or an abort naming what is wrong:
 * "<op>: double free at 0x…" or "<op>: pointer 0x… was not allocated by cw_alloc". */
static cw_blk *checked_header(void *ptr, const char *op) {
    unsigned char *p = ptr;
    cw_blk *b = (cw_blk *)(void *)p - 1;
    if (heap_start && ((uintptr_t)p & (CW_ALIGN - 1)) == 0 && p >= heap_start + CW_HDR &&
        p <= heap_end) {
        CW_UNPOISON(b, CW_HDR); /* a stale header may sit inside a poisoned free payload */
        if (b->magic == CW_MAGIC_FREE) alloc_abort_ptr(op, ": double free at ", ptr, "");
        if (b->magic == CW_MAGIC_USED && p < heap_top && b->size >= CW_MIN_BLOCK &&
            b->size <= (size_t)(heap_top - (unsigned char *)b))
            return b;
    }
    alloc_abort_ptr(op, ": pointer ", ptr, " was not allocated by cw_alloc");
}

void cw_free(void *ptr) {
    if (ptr) release(checked_header(ptr, "cw_free"));
}

void *cw_realloc(void *ptr, size_t req) {
    if (!ptr) return cw_alloc(req);
    cw_blk *b = checked_header(ptr, "cw_realloc");
    uint32_t size = block_size_for(req);
    if (size > b->size) {
        /* The block at the top grows in place; any other moves. */
        if ((unsigned char *)b + b->size != heap_top || !heap_grow(size - b->size)) {
            void *fresh = cw_alloc(req);
            memcpy(fresh, ptr, b->req);
            cw_free(ptr);
            return fresh;
        }
        heap_top += size - b->size;
        b->size = size;
    }
    mark_used(b, (uint32_t)req); /* shrinking keeps the block */
    return ptr;
}

/* --- Native test hooks (declared in sdk/mock/cw_mock.h) ------------------------------------- */
#ifndef __wasm__

void cw_mock_alloc_reset(void) {
    heap_start = heap_top = heap_end = NULL;
    free_list = NULL;
}

void cw_mock_alloc_stats(size_t *live_blocks, size_t *live_bytes, size_t *heap_bytes) {
    size_t blocks = 0, bytes = 0;
    for (unsigned char *p = heap_start; p && p < heap_top; p += ((cw_blk *)(void *)p)->size) {
        cw_blk *b = (cw_blk *)(void *)p;
        CW_UNPOISON(b, CW_HDR);
        if (b->magic == CW_MAGIC_USED) {
            blocks++;
            bytes += b->req;
        }
    }
    if (live_blocks) *live_blocks = blocks;
    if (live_bytes) *live_bytes = bytes;
    if (heap_bytes) *heap_bytes = heap_start ? (size_t)(heap_top - heap_start) : 0;
}

/* Walk the heap and the free list; returns NULL when every invariant holds, otherwise a
 * static description of the first violation. */
const char *cw_mock_alloc_check(void) {
    if (!heap_start) return heap_top || free_list ? "empty heap has a top or free blocks" : NULL;
    size_t free_blocks = 0;
    unsigned char *p = heap_start;
    while (p < heap_top) {
        cw_blk *b = (cw_blk *)(void *)p;
        CW_UNPOISON(b, CW_HDR);
        if (b->magic != CW_MAGIC_USED && b->magic != CW_MAGIC_FREE) return "bad magic";
        if (b->size < CW_MIN_BLOCK || b->size % CW_ALIGN) return "bad block size";
        if (p + b->size > heap_top) return "block beyond heap top";
        if (b->magic == CW_MAGIC_USED && b->req > b->size - CW_HDR)
            return "request larger than block";
        if (b->magic == CW_MAGIC_FREE) free_blocks++;
        p += b->size;
    }
    size_t listed = 0;
    for (cw_blk *f = free_list; f; f = link_get(f)) {
        if ((unsigned char *)f < heap_start || (unsigned char *)f >= heap_top)
            return "free block outside the heap";
        if (f->magic != CW_MAGIC_FREE) return "used block in the free list";
        if (++listed > free_blocks) return "free list longer than free blocks";
    }
    if (listed != free_blocks) return "free block missing from the free list";
    return NULL;
}

#endif

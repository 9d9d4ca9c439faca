/* The SDK heap allocator behind cw_alloc/cw_realloc/cw_free: boundary-tagged blocks with
 * segregated free lists (power-of-two size classes, first fit within a class), immediate
 * coalescing of neighbours, and checked headers so a double free or a foreign pointer aborts.
 * In wasm the heap starts at __heap_base and grows with memory.grow; natively the same code
 * runs over a static 64 MiB arena (test hooks in sdk/mock/cw_mock.h), poisoned for ASan. */
#include "cw_base.h"

/* --- Layout ---------------------------------------------------------------------------------
 * Every block starts with a 16-byte header; payloads are 16-byte aligned. Blocks tile the heap
 * from heap_start to heap_top without gaps, so the next block is at b + size and the previous
 * at b - prev_size (prev_size 0 for the first block). A free block's payload starts with its
 * free-list links. Two free blocks are never adjacent (they are merged at once). */
typedef struct cw_blk {
    uint32_t magic;     /* CW_MAGIC_USED or CW_MAGIC_FREE; anything else is not a block */
    uint32_t size;      /* whole block in bytes, header included, multiple of CW_ALIGN */
    uint32_t prev_size; /* size of the physically previous block, 0 for the first block */
    uint32_t req;       /* bytes requested by the user (used blocks) */
} cw_blk;

typedef struct cw_links {
    cw_blk *next, *prev;
} cw_links;

#define CW_ALIGN 16u
#define CW_HDR ((uint32_t)sizeof(cw_blk))
#define CW_MIN_BLOCK 32u
#define CW_MAGIC_USED 0xA110CA7Eu
#define CW_MAGIC_FREE 0xF4EEB10Cu
#define CW_NBINS 27
#define CW_MAX_REQUEST (0xFFFFFFFFu - 2 * CW_ALIGN - CW_HDR)

_Static_assert(sizeof(cw_blk) == 16, "block header must be 16 bytes");
_Static_assert(sizeof(cw_links) <= CW_MIN_BLOCK - sizeof(cw_blk), "links must fit a min block");

static unsigned char *heap_start; /* first block; NULL until the first allocation */
static unsigned char *heap_top;   /* end of the last block */
static unsigned char *heap_end;   /* end of the memory the heap may use without growing */
static cw_blk *last_blk;          /* the block ending at heap_top, NULL when the heap is empty */
static cw_blk *bins[CW_NBINS];    /* free lists by size class */

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

/* --- Blocks and free lists ------------------------------------------------------------------ */

/* A free block's links, read and written with the payload poisoned in between, so that even
 * the first bytes of a freed payload trap under ASan. */
static inline cw_links links_get(cw_blk *b) {
    CW_UNPOISON(b + 1, sizeof(cw_links));
    cw_links l = *(cw_links *)(void *)(b + 1);
    CW_POISON(b + 1, sizeof(cw_links));
    return l;
}
static inline void links_set(cw_blk *b, cw_links l) {
    CW_UNPOISON(b + 1, sizeof(cw_links));
    *(cw_links *)(void *)(b + 1) = l;
    CW_POISON(b + 1, sizeof(cw_links));
}
static inline void set_next(cw_blk *b, cw_blk *next) {
    cw_links l = links_get(b);
    l.next = next;
    links_set(b, l);
}
static inline void set_prev(cw_blk *b, cw_blk *prev) {
    cw_links l = links_get(b);
    l.prev = prev;
    links_set(b, l);
}
static inline cw_blk *next_blk(cw_blk *b) {
    return b == last_blk ? NULL : (cw_blk *)(void *)((unsigned char *)b + b->size);
}
static inline cw_blk *prev_blk(cw_blk *b) {
    return b->prev_size ? (cw_blk *)(void *)((unsigned char *)b - b->prev_size) : NULL;
}

static int bin_of(uint32_t size) {
    int bin = 31 - __builtin_clz(size) - 5; /* size >= 32: bin 0 holds [32, 64) */
    return bin < CW_NBINS ? bin : CW_NBINS - 1;
}

/* Header at p becomes writable (it may lie inside a poisoned free payload). */
static inline void touch_header(void *p) {
    CW_UNPOISON(p, CW_HDR);
}

static void mark_used(cw_blk *b, uint32_t req) {
    b->magic = CW_MAGIC_USED;
    b->req = req;
    CW_UNPOISON(b, b->size);
    CW_POISON((unsigned char *)(b + 1) + req, b->size - CW_HDR - req);
}

static void bin_insert(cw_blk *b) {
    b->magic = CW_MAGIC_FREE;
    b->req = 0;
    CW_UNPOISON(b, CW_HDR);
    CW_POISON(b + 1, b->size - CW_HDR);
    int bin = bin_of(b->size);
    links_set(b, (cw_links){.next = bins[bin], .prev = NULL});
    if (bins[bin]) set_prev(bins[bin], b);
    bins[bin] = b;
}

static void bin_remove(cw_blk *b) {
    cw_links l = links_get(b);
    if (l.prev)
        set_next(l.prev, l.next);
    else
        bins[bin_of(b->size)] = l.next;
    if (l.next) set_prev(l.next, l.prev);
}

/* Set b's size and fix the prev_size of the block after it. */
static void set_size(cw_blk *b, uint32_t size) {
    b->size = size;
    cw_blk *n = next_blk(b);
    if (n) n->prev_size = size;
}

/* Cut a used block b down to `size` bytes; the tail becomes a free block (merged with a free
 * successor). Does nothing when the tail would be smaller than a minimal block. */
static void split_tail(cw_blk *b, uint32_t size) {
    uint32_t rest = b->size - size;
    if (rest < CW_MIN_BLOCK) return;
    cw_blk *t = (cw_blk *)(void *)((unsigned char *)b + size);
    touch_header(t);
    bool was_last = b == last_blk;
    cw_blk *n = next_blk(b);
    b->size = size;
    t->prev_size = size;
    t->size = rest;
    if (was_last) {
        last_blk = t;
    } else if (n->magic == CW_MAGIC_FREE) {
        bin_remove(n);
        bool n_last = n == last_blk;
        t->size += n->size;
        if (n_last) last_blk = t;
    }
    if (t != last_blk) next_blk(t)->prev_size = t->size;
    bin_insert(t);
}

/* Bytes of block needed for a request: header + payload rounded up, at least CW_MIN_BLOCK. */
static uint32_t block_size_for(size_t req) {
    if (req > CW_MAX_REQUEST) cw_abort("out of memory: allocation too large");
    uint32_t size = ((uint32_t)req + CW_HDR + CW_ALIGN - 1) & ~(CW_ALIGN - 1);
    return size < CW_MIN_BLOCK ? CW_MIN_BLOCK : size;
}

static cw_blk *find_free(uint32_t size) {
    int bin = bin_of(size);
    for (cw_blk *b = bins[bin]; b; b = links_get(b).next) {
        if (b->size >= size) return b;
    }
    /* Every block in a higher class is large enough (the last class is open-ended). */
    for (int i = bin + 1; i < CW_NBINS; i++) {
        for (cw_blk *b = bins[i]; b; b = links_get(b).next) {
            if (b->size >= size) return b;
        }
    }
    return NULL;
}

/* Carve a new block of `size` bytes at heap_top, growing memory if needed. If the last block
 * is free it is extended instead. */
static cw_blk *take_from_top(uint32_t size) {
    if (last_blk && last_blk->magic == CW_MAGIC_FREE) {
        cw_blk *b = last_blk;
        uint32_t more = size - b->size;
        if (!heap_grow(more)) cw_abort("out of memory");
        bin_remove(b);
        CW_UNPOISON(heap_top, more);
        heap_top += more;
        b->size = size;
        return b;
    }
    if (!heap_grow(size)) cw_abort("out of memory");
    cw_blk *b = (cw_blk *)(void *)heap_top;
    touch_header(b);
    b->size = size;
    b->prev_size = last_blk ? last_blk->size : 0;
    heap_top += size;
    last_blk = b;
    return b;
}

/* --- Public API ----------------------------------------------------------------------------- */

void *cw_alloc(size_t req) {
    if (!heap_start) heap_init();
    uint32_t size = block_size_for(req);
    cw_blk *b = find_free(size);
    if (b) {
        bin_remove(b);
        mark_used(b, (uint32_t)req);
        split_tail(b, size);
    } else {
        b = take_from_top(size);
        mark_used(b, (uint32_t)req);
    }
    return b + 1;
}

/* The header of a pointer handed out by cw_alloc, or an abort naming what is wrong:
 * "<op>: double free at 0x…" or "<op>: pointer 0x… was not allocated by cw_alloc". */
static cw_blk *checked_header(void *ptr, const char *op) {
    unsigned char *p = ptr;
    if (!heap_start || ((uintptr_t)p & (CW_ALIGN - 1)) != 0 || p < heap_start + CW_HDR ||
        p >= heap_top) {
        alloc_abort_ptr(op, ": pointer ", ptr, " was not allocated by cw_alloc");
    }
    cw_blk *b = (cw_blk *)(void *)p - 1;
    CW_UNPOISON(b, CW_HDR); /* a stale header may sit inside a poisoned free payload */
    if (b->magic == CW_MAGIC_FREE) alloc_abort_ptr(op, ": double free at ", ptr, "");
    if (b->magic != CW_MAGIC_USED || b->size < CW_MIN_BLOCK ||
        b->size > (size_t)(heap_top - (unsigned char *)b)) {
        alloc_abort_ptr(op, ": pointer ", ptr, " was not allocated by cw_alloc");
    }
    return b;
}

void cw_free(void *ptr) {
    if (!ptr) return;
    cw_blk *b = checked_header(ptr, "cw_free");
    cw_blk *n = next_blk(b);
    if (n && n->magic == CW_MAGIC_FREE) {
        bin_remove(n);
        if (n == last_blk) last_blk = b;
        set_size(b, b->size + n->size);
    }
    cw_blk *p = prev_blk(b);
    if (p && p->magic == CW_MAGIC_FREE) {
        bin_remove(p);
        if (b == last_blk) last_blk = p;
        b->magic = CW_MAGIC_FREE; /* stays readable for double-free detection */
        set_size(p, p->size + b->size);
        b = p;
    }
    bin_insert(b);
}

void *cw_realloc(void *ptr, size_t req) {
    if (!ptr) return cw_alloc(req);
    cw_blk *b = checked_header(ptr, "cw_realloc");
    uint32_t size = block_size_for(req);
    uint32_t old_req = b->req;
    if (size <= b->size) { /* shrink in place */
        mark_used(b, (uint32_t)req);
        split_tail(b, size);
        return ptr;
    }
    cw_blk *n = next_blk(b);
    if (n && n->magic == CW_MAGIC_FREE && b->size + n->size >= size) { /* absorb the neighbour */
        bin_remove(n);
        if (n == last_blk) last_blk = b;
        set_size(b, b->size + n->size);
        mark_used(b, (uint32_t)req);
        split_tail(b, size);
        return ptr;
    }
    if (b == last_blk) { /* extend at the top */
        uint32_t more = size - b->size;
        if (heap_grow(more)) {
            CW_UNPOISON(heap_top, more);
            heap_top += more;
            b->size = size;
            mark_used(b, (uint32_t)req);
            return ptr;
        }
    }
    void *fresh = cw_alloc(req);
    memcpy(fresh, ptr, old_req < req ? old_req : req);
    cw_free(ptr);
    return fresh;
}

/* --- Native test hooks (declared in sdk/mock/cw_mock.h) ------------------------------------- */
#ifndef __wasm__

void cw_mock_alloc_reset(void) {
    heap_start = heap_top = heap_end = NULL;
    last_blk = NULL;
    for (int i = 0; i < CW_NBINS; i++) bins[i] = NULL;
}

void cw_mock_alloc_stats(size_t *live_blocks, size_t *live_bytes, size_t *heap_bytes) {
    size_t blocks = 0, bytes = 0;
    for (cw_blk *b = heap_start && last_blk ? (cw_blk *)(void *)heap_start : NULL; b;
         b = next_blk(b)) {
        if (b->magic == CW_MAGIC_USED) {
            blocks++;
            bytes += b->req;
        }
    }
    if (live_blocks) *live_blocks = blocks;
    if (live_bytes) *live_bytes = bytes;
    if (heap_bytes) *heap_bytes = heap_start ? (size_t)(heap_top - heap_start) : 0;
}

/* Walk the heap and the free lists; returns NULL when every invariant holds, otherwise a
 * static description of the first violation. */
const char *cw_mock_alloc_check(void) {
    if (!heap_start || !last_blk) return heap_top == heap_start ? NULL : "empty heap has a top";
    size_t free_blocks = 0;
    uint32_t prev_size = 0;
    bool prev_free = false;
    cw_blk *b = (cw_blk *)(void *)heap_start;
    for (;;) {
        if (b->magic != CW_MAGIC_USED && b->magic != CW_MAGIC_FREE) return "bad magic";
        if (b->size < CW_MIN_BLOCK || b->size % CW_ALIGN) return "bad block size";
        if (b->prev_size != prev_size) return "prev_size mismatch";
        if ((unsigned char *)b + b->size > heap_top) return "block beyond heap top";
        bool is_free = b->magic == CW_MAGIC_FREE;
        if (is_free && prev_free) return "two adjacent free blocks";
        if (!is_free && b->req > b->size - CW_HDR) return "request larger than block";
        if (is_free) free_blocks++;
        prev_free = is_free;
        prev_size = b->size;
        if (b == last_blk) break;
        b = (cw_blk *)(void *)((unsigned char *)b + b->size);
    }
    if ((unsigned char *)last_blk + last_blk->size != heap_top) return "last block not at top";
    size_t listed = 0;
    for (int i = 0; i < CW_NBINS; i++) {
        cw_blk *prev = NULL;
        for (cw_blk *f = bins[i]; f; f = links_get(f).next) {
            if (f->magic != CW_MAGIC_FREE) return "used block in a free list";
            if (bin_of(f->size) != i) return "free block in the wrong size class";
            if (links_get(f).prev != prev) return "broken free-list back link";
            prev = f;
            if (++listed > free_blocks) return "free list longer than free blocks";
        }
    }
    if (listed != free_blocks) return "free block missing from the free lists";
    return NULL;
}

#endif

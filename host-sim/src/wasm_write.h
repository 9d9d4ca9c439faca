/* wasm_write.h — a growable byte buffer with the WebAssembly binary encodings (LEB128 integers,
 * sections) needed by rewriters such as the gas injector. Allocation failures are sticky: every
 * append after one is ignored and hs_wbuf.failed stays true, so callers check once at the end. */
#ifndef HS_WASM_WRITE_H
#define HS_WASM_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A byte buffer. Zero-initialise it (or call hs_wbuf_init); release it with hs_wbuf_free(). */
typedef struct hs_wbuf {
    uint8_t *data; /* owned; NULL until the first append */
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; contents are incomplete */
} hs_wbuf;

/* Empty *b without allocating. */
void hs_wbuf_init(hs_wbuf *b);

/* Free the storage and re-initialise *b. */
void hs_wbuf_free(hs_wbuf *b);

/* Make room for `extra` more bytes; returns false (and sets failed) if that is impossible. */
bool hs_wbuf_reserve(hs_wbuf *b, size_t extra);

/* Append raw bytes / one byte. */
void hs_wbuf_bytes(hs_wbuf *b, const void *bytes, size_t n);
void hs_wbuf_byte(hs_wbuf *b, uint8_t v);

/* Append LEB128 encodings: unsigned 32-bit, signed 32-bit, signed 64-bit (minimal length). */
void hs_wbuf_u32(hs_wbuf *b, uint32_t v);
void hs_wbuf_s32(hs_wbuf *b, int32_t v);
void hs_wbuf_s64(hs_wbuf *b, int64_t v);

/* Append a wasm name: u32 length then the bytes. */
void hs_wbuf_name(hs_wbuf *b, const char *s, size_t len);

/* Append a section: id byte, u32 size of `content`, then the content. */
void hs_wbuf_section(hs_wbuf *b, uint8_t id, const hs_wbuf *content);

/* Hand the buffer's storage to the caller (who frees it with free()) and re-initialise *b.
 * Returns NULL if the buffer failed or is empty; *len receives the length. */
uint8_t *hs_wbuf_take(hs_wbuf *b, size_t *len);

#endif /* HS_WASM_WRITE_H */

/* wasm_write.c — growable byte buffer and WebAssembly binary encoders (see wasm_write.h). */
#include "wasm_write.h"

#include <stdlib.h>
#include <string.h>

void hs_wbuf_init(hs_wbuf *b) {
    memset(b, 0, sizeof *b);
}

void hs_wbuf_free(hs_wbuf *b) {
    free(b->data);
    hs_wbuf_init(b);
}

bool hs_wbuf_reserve(hs_wbuf *b, size_t extra) {
    if (b->failed) return false;
    if (extra <= b->cap - b->len) return true;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void hs_wbuf_bytes(hs_wbuf *b, const void *bytes, size_t n) {
    if (n == 0 || !hs_wbuf_reserve(b, n)) return;
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
}

void hs_wbuf_byte(hs_wbuf *b, uint8_t v) {
    if (!hs_wbuf_reserve(b, 1)) return;
    b->data[b->len++] = v;
}

void hs_wbuf_u32(hs_wbuf *b, uint32_t v) {
    uint8_t tmp[5];
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        if (v) byte |= 0x80;
        tmp[n++] = byte;
    } while (v);
    hs_wbuf_bytes(b, tmp, n);
}

void hs_wbuf_s64(hs_wbuf *b, int64_t v) {
    uint8_t tmp[10];
    size_t n = 0;
    for (;;) {
        uint8_t byte = (uint8_t)(v & 0x7F);
        /* Arithmetic shift of a negative value, written portably. */
        v = v >= 0 ? v >> 7 : ~(~v >> 7);
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        if (!done) byte |= 0x80;
        tmp[n++] = byte;
        if (done) break;
    }
    hs_wbuf_bytes(b, tmp, n);
}

void hs_wbuf_s32(hs_wbuf *b, int32_t v) {
    hs_wbuf_s64(b, v);
}

void hs_wbuf_name(hs_wbuf *b, const char *s, size_t len) {
    hs_wbuf_u32(b, (uint32_t)len);
    hs_wbuf_bytes(b, s, len);
}

void hs_wbuf_section(hs_wbuf *b, uint8_t id, const hs_wbuf *content) {
    if (content->failed || content->len > UINT32_MAX) {
        b->failed = true;
        return;
    }
    hs_wbuf_byte(b, id);
    hs_wbuf_u32(b, (uint32_t)content->len);
    hs_wbuf_bytes(b, content->data, content->len);
}

uint8_t *hs_wbuf_take(hs_wbuf *b, size_t *len) {
    uint8_t *p = NULL;
    *len = 0;
    if (!b->failed && b->len) {
        p = b->data;
        *len = b->len;
        hs_wbuf_init(b);
    } else {
        hs_wbuf_free(b);
    }
    return p;
}

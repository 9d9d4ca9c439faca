/* JSON reader and writer for contracts (contract in sdk/include/cw_json.h): a strict RFC 8259
 * validator that runs once per document, zero-copy lookups that re-scan validated text, and a
 * streaming writer that escapes strings exactly as serde_json does. */
#include "cw_json.h"

/* --- Character classes ------------------------------------------------------------------- */

static bool is_ws(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

static int hex_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static cw_json_type type_of(unsigned char c) {
    switch (c) {
    case '{':
        return CW_JSON_OBJECT;
    case '[':
        return CW_JSON_ARRAY;
    case '"':
        return CW_JSON_STRING;
    case 't':
        return CW_JSON_TRUE;
    case 'f':
        return CW_JSON_FALSE;
    case 'n':
        return CW_JSON_NULL;
    default:
        return CW_JSON_NUMBER;
    }
}

/* "a string", "an object", … for error messages. */
static const char *type_name(cw_json_type t) {
    switch (t) {
    case CW_JSON_NULL:
        return "null";
    case CW_JSON_FALSE:
    case CW_JSON_TRUE:
        return "a boolean";
    case CW_JSON_NUMBER:
        return "a number";
    case CW_JSON_STRING:
        return "a string";
    case CW_JSON_ARRAY:
        return "an array";
    case CW_JSON_OBJECT:
        return "an object";
    default:
        return "a missing value";
    }
}

/* --- Validation -------------------------------------------------------------------------- */
/* One pass over the bytes. at() reads past the end as 256, which no check accepts, so the
 * scanner needs no separate bounds tests. */

/* On an error the scanner stops with `pos` at the offending byte and returns the message;
 * success is NULL. */
typedef struct parser {
    const unsigned char *s;
    size_t len;
    size_t pos;
} parser;

#define END_OF_INPUT 256

static int at(const parser *p, size_t i) {
    return i < p->len ? p->s[i] : END_OF_INPUT;
}

/* Stop at byte `where` with message `what`. */
static const char *fail(parser *p, size_t where, const char *what) {
    p->pos = where;
    return what;
}

static int skip_ws_p(parser *p) {
    while (is_ws((unsigned char)at(p, p->pos))) p->pos++;
    return at(p, p->pos);
}

/* Four hex digits at i; -1 if any is missing or not a hex digit. */
static long hex4_at(const parser *p, size_t i) {
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int c = at(p, i + (size_t)k);
        int h = c < 256 ? hex_value((unsigned char)c) : -1;
        if (h < 0) return -1;
        v = (v << 4) | h;
    }
    return v;
}

/* Length of the well-formed UTF-8 sequence at i, lead byte c >= 0x80 (Unicode Table 3-7: no
 * overlong forms, no encoded surrogates, nothing above U+10FFFF), or 0 if it is malformed. */
static size_t utf8_seq_len(const parser *p, size_t i, int c) {
    int lo = 0x80, hi = 0xBF;
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (c < 0xC2 || c > 0xF4) return 0;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    for (size_t k = 1; k < len; k++, lo = 0x80, hi = 0xBF) {
        int b = at(p, i + k);
        if (b < lo || b > hi) return 0;
    }
    return len;
}

/* A string starting at the opening quote; leaves pos after the closing quote. */
static const char *parse_string(parser *p) {
    size_t i = p->pos + 1;
    for (;;) {
        int c = at(p, i);
        if (c == END_OF_INPUT) return fail(p, i, "unexpected end of input in string");
        if (c == '"') break;
        if (c < 0x20) return fail(p, i, "control character in string (must be escaped)");
        if (c == '\\') {
            int e = at(p, i + 1);
            if (e == END_OF_INPUT) return fail(p, i + 1, "unexpected end of input in string");
            i += 2;
            if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                e == 't')
                continue;
            i -= 2;
            if (e != 'u') return fail(p, i, "invalid escape in string");
            long u = hex4_at(p, i + 2);
            if (u < 0) return fail(p, i, "invalid \\u escape (expected 4 hex digits)");
            if (u >= 0xDC00 && u <= 0xDFFF)
                return fail(p, i, "lone trailing surrogate in \\u escape");
            if (u >= 0xD800 && u <= 0xDBFF) {
                long u2 = at(p, i + 6) == '\\' && at(p, i + 7) == 'u' ? hex4_at(p, i + 8) : -1;
                if (u2 < 0xDC00 || u2 > 0xDFFF)
                    return fail(p, i, "lone leading surrogate in \\u escape");
                i += 6;
            }
            i += 6;
            continue;
        }
        size_t k = c < 0x80 ? 1 : utf8_seq_len(p, i, c);
        if (k == 0) return fail(p, i, "invalid UTF-8 in string");
        i += k;
    }
    p->pos = i + 1;
    return NULL;
}

/* One or more digits at i; returns the index after them, or 0 (never a valid end) if none. */
static size_t digits_at(const parser *p, size_t i) {
    if (!is_digit((unsigned char)at(p, i))) return 0;
    while (is_digit((unsigned char)at(p, i))) i++;
    return i;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static const char *parse_number(parser *p) {
    size_t i = p->pos, j;
    if (at(p, i) == '-') i++;
    if (at(p, i) == '0' && is_digit((unsigned char)at(p, i + 1)))
        return fail(p, i + 1, "invalid number: leading zero");
    if (!(j = digits_at(p, i))) return fail(p, i, "invalid number: expected a digit");
    i = j;
    if (at(p, i) == '.') {
        if (!(j = digits_at(p, ++i)))
            return fail(p, i, "invalid number: expected a digit after '.'");
        i = j;
    }
    if ((at(p, i) | 0x20) == 'e') {
        i++;
        if (at(p, i) == '+' || at(p, i) == '-') i++;
        if (!(j = digits_at(p, i)))
            return fail(p, i, "invalid number: expected a digit in the exponent");
        i = j;
    }
    p->pos = i;
    return NULL;
}

/* The whole document, iteratively: `open` records each open container (1 = object). */
static const char *parse_document(parser *p) {
    uint8_t open[CW_JSON_MAX_DEPTH];
    size_t depth = 0;
    int c;
    const char *err;

value:
    c = skip_ws_p(p);
    if (c == END_OF_INPUT) return "unexpected end of input, expected a value";
    if (c == '{' || c == '[') {
        if (depth == CW_JSON_MAX_DEPTH) return "nesting deeper than 64 levels";
        open[depth++] = (c == '{');
        p->pos++;
        if (skip_ws_p(p) == c + 2) { /* '{' + 2 == '}', '[' + 2 == ']' */
            p->pos++;
            depth--;
            goto after_value;
        }
        if (c == '{') goto key;
        goto value;
    }
    if (c == '"') {
        if ((err = parse_string(p))) return err;
        goto after_value;
    }
    if (c == 't' || c == 'f' || c == 'n') {
        const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
        size_t i = 0;
        for (; word[i]; i++)
            if (at(p, p->pos + i) != word[i])
                return "invalid literal (expected true, false or null)";
        p->pos += i;
        goto after_value;
    }
    if (c == '-' || is_digit((unsigned char)c)) {
        if ((err = parse_number(p))) return err;
        goto after_value;
    }
    return "expected a value";

key: /* after '{' or after ',' in an object */
    c = skip_ws_p(p);
    if (c == END_OF_INPUT) return "unexpected end of input, expected an object key";
    if (c == '}') return "trailing comma in object";
    if (c != '"') return "expected a string as object key";
    if ((err = parse_string(p))) return err;
    if (skip_ws_p(p) != ':') return "expected ':' after object key";
    p->pos++;
    goto value;

after_value:
    c = skip_ws_p(p);
    if (depth == 0) {
        if (c != END_OF_INPUT) return "trailing characters after the JSON value";
        return NULL;
    }
    if (c == (open[depth - 1] ? '}' : ']')) {
        p->pos++;
        depth--;
        goto after_value;
    }
    if (c != ',')
        return open[depth - 1] ? "expected ',' or '}' after object member"
                               : "expected ',' or ']' after array element";
    p->pos++;
    if (open[depth - 1]) goto key;
    if (skip_ws_p(p) == ']') return "trailing comma in array";
    goto value;
}

cw_error *cw_json_parse(cw_str text, cw_json *root) {
    parser p = {(const unsigned char *)text.ptr, text.len, 0};
    *root = (cw_json){CW_JSON_MISSING, {text.ptr, 0}};
    const char *err = parse_document(&p);
    if (err) return cw_errorf("invalid JSON at byte %lu: %s", (unsigned long)p.pos, err);
    size_t start = 0, end = text.len;
    while (is_ws((unsigned char)text.ptr[start])) start++;
    while (is_ws((unsigned char)text.ptr[end - 1])) end--;
    root->type = type_of((unsigned char)text.ptr[start]);
    root->text = (cw_str){text.ptr + start, end - start};
    return NULL;
}

/* --- Walking validated text -------------------------------------------------------------- */
/* These trust the validation above; they still stay inside the slice they are given. */

static size_t skip_ws(const char *s, size_t n, size_t i) {
    while (i < n && is_ws((unsigned char)s[i])) i++;
    return i;
}

/* i at an opening quote; returns the index after the closing quote. */
static size_t skip_string(const char *s, size_t n, size_t i) {
    for (i++; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return n;
}

static size_t skip_value(const char *s, size_t n, size_t i) {
    if (i >= n) return n;
    char c = s[i];
    if (c == '"') return skip_string(s, n, i);
    if (c == '{' || c == '[') {
        size_t depth = 0;
        while (i < n) {
            c = s[i];
            if (c == '"') {
                i = skip_string(s, n, i);
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) return i + 1;
            }
            i++;
        }
        return n;
    }
    while (i < n && !is_ws((unsigned char)s[i]) && s[i] != ',' && s[i] != ']' && s[i] != '}') i++;
    return i;
}

cw_json_iter cw_json_iter_begin(cw_json container) {
    cw_json_iter it = {container, container.text.len};
    if (container.type == CW_JSON_ARRAY || container.type == CW_JSON_OBJECT) it.pos = 1;
    return it;
}

bool cw_json_next(cw_json_iter *it, cw_str *key, cw_json *value) {
    const char *s = it->container.text.ptr;
    size_t n = it->container.text.len;
    size_t i = skip_ws(s, n, it->pos);
    if (i < n && s[i] == ',') i = skip_ws(s, n, i + 1);
    if (i >= n || s[i] == ']' || s[i] == '}') {
        it->pos = n;
        return false;
    }
    cw_str k = {NULL, 0};
    if (it->container.type == CW_JSON_OBJECT) {
        size_t kend = skip_string(s, n, i);
        k = (cw_str){s + i + 1, kend - i - 2};
        i = skip_ws(s, n, kend);
        i = skip_ws(s, n, i + 1); /* the ':' */
    }
    size_t vend = skip_value(s, n, i);
    if (key) *key = k;
    if (value) *value = (cw_json){type_of((unsigned char)s[i]), {s + i, vend - i}};
    it->pos = vend;
    return true;
}

size_t cw_json_len(cw_json container) {
    cw_json_iter it = cw_json_iter_begin(container);
    size_t count = 0;
    while (cw_json_next(&it, NULL, NULL)) count++;
    return count;
}

/* --- Unescaping -------------------------------------------------------------------------- */

/* Encode a code point as UTF-8 into out[0..4); returns the length. The lead byte of an n-byte
 * sequence is the low byte of 0xF00 >> n (0xC0, 0xE0, 0xF0) with the remaining high bits. */
static size_t utf8_encode(uint32_t cp, unsigned char *out) {
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (size_t k = n; --k > 0; cp >>= 6) out[k] = (unsigned char)(0x80 | (cp & 0x3F));
    out[0] = (unsigned char)((0xF00u >> n) | cp);
    return n;
}

/* Decode one escape at raw[*i] == '\\' (validated) into out; advances *i past it. */
static size_t decode_escape(cw_str raw, size_t *i, unsigned char *out) {
    static const char pairs[] = "b\bf\fn\nr\rt\t"; /* escape letter, byte */
    const unsigned char *s = (const unsigned char *)raw.ptr;
    size_t n = raw.len, j = *i;
    if (j + 1 >= n) {
        *i = n;
        return 0;
    }
    unsigned char e = s[j + 1];
    *i = j + 2;
    if (e != 'u') {
        out[0] = e; /* " \ / */
        for (const char *p = pairs; *p; p += 2)
            if ((unsigned char)*p == e) out[0] = (unsigned char)p[1];
        return 1;
    }
    const parser text = {s, n, 0}; /* for hex4_at's bounds-checked reads */
    long u = hex4_at(&text, j + 2);
    if (u < 0) {
        *i = n;
        return 0;
    }
    *i = j + 6;
    uint32_t cp = (uint32_t)u;
    if (u >= 0xD800 && u <= 0xDBFF && j + 12 <= n && s[j + 6] == '\\' && s[j + 7] == 'u') {
        long lo = hex4_at(&text, j + 8);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + (((uint32_t)u - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            *i = j + 12;
        }
    }
    return utf8_encode(cp, out);
}

static bool has_backslash(cw_str s) {
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] == '\\') return true;
    return false;
}

void cw_json_unescape(cw_str raw, cw_buf *out) {
    size_t i = 0, run = 0;
    while (i < raw.len) {
        if (raw.ptr[i] != '\\') {
            i++;
            continue;
        }
        cw_buf_put(out, raw.ptr + run, i - run);
        unsigned char tmp[4];
        size_t k = decode_escape(raw, &i, tmp);
        cw_buf_put(out, tmp, k);
        run = i;
    }
    cw_buf_put(out, raw.ptr + run, raw.len - run);
}

/* Does the escaped key body `raw` unescape to exactly key[0..klen)? No allocation. */
static bool key_equals(cw_str raw, const char *key, size_t klen) {
    if (!has_backslash(raw)) return raw.len == klen && memcmp(raw.ptr, key, klen) == 0;
    size_t i = 0, k = 0;
    while (i < raw.len) {
        if (raw.ptr[i] != '\\') {
            if (k >= klen || raw.ptr[i] != key[k]) return false;
            i++;
            k++;
            continue;
        }
        unsigned char tmp[4];
        size_t m = decode_escape(raw, &i, tmp);
        if (klen - k < m || memcmp(key + k, tmp, m) != 0) return false;
        k += m;
    }
    return k == klen;
}

/* --- Lookups and typed accessors --------------------------------------------------------- */

cw_json cw_json_get(cw_json obj, const char *key) {
    cw_json found = {CW_JSON_MISSING, {NULL, 0}};
    if (obj.type != CW_JSON_OBJECT) return found;
    size_t klen = strlen(key);
    cw_json_iter it = cw_json_iter_begin(obj);
    cw_str k;
    cw_json v;
    while (cw_json_next(&it, &k, &v))
        if (key_equals(k, key, klen)) found = v; /* the last duplicate wins */
    return found;
}

static cw_str string_body(cw_json v) {
    return (cw_str){v.text.ptr + 1, v.text.len - 2};
}

cw_error *cw_json_string(cw_json v, cw_str *out, bool *owned) {
    *out = (cw_str){NULL, 0};
    *owned = false;
    if (v.type != CW_JSON_STRING || v.text.len < 2)
        return cw_errorf("expected a string, got %s", type_name(v.type));
    cw_str body = string_body(v);
    if (!has_backslash(body)) {
        *out = body;
        return NULL;
    }
    cw_buf b = {0};
    cw_json_unescape(body, &b);
    size_t len;
    char *p = cw_buf_take(&b, &len);
    *out = (cw_str){p, len};
    *owned = true;
    return NULL;
}

cw_error *cw_json_enum(cw_json v, cw_str *variant, cw_json *body) {
    *variant = (cw_str){NULL, 0};
    *body = (cw_json){CW_JSON_MISSING, {NULL, 0}};
    cw_str name;
    if (v.type == CW_JSON_STRING) {
        name = string_body(v);
    } else if (v.type == CW_JSON_OBJECT) {
        size_t members = cw_json_len(v);
        if (members != 1)
            return cw_errorf("expected an enum object with exactly one member, got %lu members",
                             (unsigned long)members);
        cw_json_iter it = cw_json_iter_begin(v);
        cw_json_next(&it, &name, body);
    } else {
        return cw_errorf("expected an enum (a string or an object with one member), got %s",
                         type_name(v.type));
    }
    if (has_backslash(name)) {
        *body = (cw_json){CW_JSON_MISSING, {NULL, 0}};
        return cw_errorf("enum variant name must not contain escapes");
    }
    *variant = name;
    return NULL;
}

/* Quote a number's text in messages, shortened if very long. */
static cw_str number_excerpt(cw_json v) {
    cw_str t = v.text;
    if (t.len > 40) t.len = 40;
    return t;
}

cw_error *cw_json_u64(cw_json v, uint64_t *out) {
    *out = 0;
    if (v.type != CW_JSON_NUMBER)
        return cw_errorf("expected a u64 number, got %s", type_name(v.type));
    const char *s = v.text.ptr;
    size_t n = v.text.len;
    const char *why = NULL;
    if (n > 0 && s[0] == '-') why = "negative number";
    for (size_t i = 0; !why && i < n; i++) {
        if (s[i] == '.') why = "fraction not allowed";
        if (s[i] == 'e' || s[i] == 'E') why = "exponent not allowed";
    }
    uint64_t acc = 0;
    for (size_t i = 0; !why && i < n; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (d > 9)
            why = "not a number";
        else if (acc > (UINT64_MAX - d) / 10)
            why = "out of range (max 18446744073709551615)";
        acc = acc * 10 + d;
    }
    if (why)
        return cw_errorf("invalid u64 `%S%s`: %s", number_excerpt(v), n > 40 ? "..." : "", why);
    if (n == 0) return cw_errorf("expected a u64 number, got an empty value");
    *out = acc;
    return NULL;
}

cw_error *cw_json_bool(cw_json v, bool *out) {
    *out = false;
    if (v.type == CW_JSON_TRUE)
        *out = true;
    else if (v.type != CW_JSON_FALSE)
        return cw_errorf("expected a boolean, got %s", type_name(v.type));
    return NULL;
}

cw_error *cw_json_deny_unknown(cw_json obj, const char *const *allowed) {
    if (obj.type != CW_JSON_OBJECT)
        return cw_errorf("expected an object, got %s", type_name(obj.type));
    cw_json_iter it = cw_json_iter_begin(obj);
    cw_str k;
    while (cw_json_next(&it, &k, NULL)) {
        size_t count = 0;
        bool known = false;
        for (; allowed[count]; count++)
            if (key_equals(k, allowed[count], strlen(allowed[count]))) known = true;
        if (known) continue;
        /* serde's de::Error::unknown_field wording, including its OneOf forms. */
        cw_buf name = {0};
        cw_json_unescape(k, &name);
        cw_buf msg = {0};
        cw_buf_puts(&msg, "unknown field `");
        cw_buf_put(&msg, name.ptr, name.len);
        cw_buf_free(&name);
        if (count == 0) {
            cw_buf_puts(&msg, "`, there are no fields");
        } else if (count == 1) {
            cw_buf_printf(&msg, "`, expected `%s`", allowed[0]);
        } else if (count == 2) {
            cw_buf_printf(&msg, "`, expected `%s` or `%s`", allowed[0], allowed[1]);
        } else {
            cw_buf_puts(&msg, "`, expected one of ");
            for (size_t i = 0; i < count; i++)
                cw_buf_printf(&msg, "%s`%s`", i ? ", " : "", allowed[i]);
        }
        cw_error *e = cw_error_str(cw_buf_view(&msg));
        cw_buf_free(&msg);
        return e;
    }
    return NULL;
}

/* --- Writer ------------------------------------------------------------------------------ */
/* need_comma[d] holds flags for the container at depth d (0 is the top level). */

#define JW_HAS_ITEMS 1u /* a value (or key) was written: the next one needs a comma */
#define JW_IN_OBJECT 2u /* the container is an object: values need a key first */

void cw_jw_init(cw_jw *w, cw_buf *out) {
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* Separator before a value; checks that the value is allowed here. */
static void jw_before_value(cw_jw *w) {
    uint8_t *f = &w->need_comma[w->depth];
    if (*f & JW_IN_OBJECT) {
        if (!w->after_key) cw_abort("cw_jw: value without key");
        w->after_key = 0;
        return;
    }
    if (*f & JW_HAS_ITEMS) {
        if (w->depth == 0) cw_abort("cw_jw: two top-level values");
        cw_buf_putc(w->out, ',');
    }
    *f |= JW_HAS_ITEMS;
}

static void jw_begin(cw_jw *w, uint8_t kind, char open) {
    jw_before_value(w);
    if (w->depth >= CW_JSON_MAX_DEPTH) cw_abort("cw_jw: too deep");
    w->depth++;
    w->need_comma[w->depth] = kind;
    cw_buf_putc(w->out, open);
}

static void jw_end(cw_jw *w, uint8_t kind, char close) {
    if (w->depth == 0) cw_abort("cw_jw: end without begin");
    if ((w->need_comma[w->depth] & JW_IN_OBJECT) != kind) cw_abort("cw_jw: mismatched end");
    if (w->after_key) cw_abort("cw_jw: key without value");
    w->depth--;
    cw_buf_putc(w->out, close);
}

void cw_jw_obj_begin(cw_jw *w) {
    jw_begin(w, JW_IN_OBJECT, '{');
}

void cw_jw_obj_end(cw_jw *w) {
    jw_end(w, JW_IN_OBJECT, '}');
}

void cw_jw_arr_begin(cw_jw *w) {
    jw_begin(w, 0, '[');
}

void cw_jw_arr_end(cw_jw *w) {
    jw_end(w, 0, ']');
}

void cw_jw_key_str(cw_jw *w, cw_str key) {
    uint8_t *f = &w->need_comma[w->depth];
    if (!(*f & JW_IN_OBJECT)) cw_abort("cw_jw: key outside object");
    if (w->after_key) cw_abort("cw_jw: two keys");
    if (*f & JW_HAS_ITEMS) cw_buf_putc(w->out, ',');
    *f |= JW_HAS_ITEMS;
    cw_buf_putc(w->out, '"');
    cw_json_escape(w->out, key);
    cw_buf_put(w->out, "\":", 2);
    w->after_key = 1;
}

void cw_jw_key(cw_jw *w, const char *key) {
    cw_jw_key_str(w, (cw_str){key, strlen(key)});
}

void cw_jw_str(cw_jw *w, cw_str s) {
    jw_before_value(w);
    cw_buf_putc(w->out, '"');
    cw_json_escape(w->out, s);
    cw_buf_putc(w->out, '"');
}

void cw_jw_cstr(cw_jw *w, const char *s) {
    cw_jw_str(w, (cw_str){s, strlen(s)});
}

void cw_jw_u64(cw_jw *w, uint64_t v) {
    char digits[40];
    size_t n = cw_u64_to_dec(v, digits);
    jw_before_value(w);
    cw_buf_put(w->out, digits, n);
}

void cw_jw_u128_str(cw_jw *w, cw_u128 v) {
    char digits[48];
    size_t n = cw_u128_to_dec(v, digits + 1);
    digits[0] = '"';
    digits[n + 1] = '"';
    jw_before_value(w);
    cw_buf_put(w->out, digits, n + 2);
}

void cw_jw_bool(cw_jw *w, bool v) {
    jw_before_value(w);
    if (v)
        cw_buf_put(w->out, "true", 4);
    else
        cw_buf_put(w->out, "false", 5);
}

void cw_jw_null(cw_jw *w) {
    jw_before_value(w);
    cw_buf_put(w->out, "null", 4);
}

void cw_jw_raw(cw_jw *w, cw_str json) {
    jw_before_value(w);
    cw_buf_put_str(w->out, json);
}

void cw_jw_base64(cw_jw *w, cw_str bytes) {
    jw_before_value(w);
    cw_buf_putc(w->out, '"');
    cw_base64_encode(w->out, bytes);
    cw_buf_putc(w->out, '"');
}

void cw_json_escape(cw_buf *out, cw_str s) {
    static const char hex[] = "0123456789abcdef";
    static const char pairs[] = "\"\"\\\\\bb\ff\nn\rr\tt"; /* byte, escape letter */
    size_t run = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        cw_buf_put(out, s.ptr + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        size_t k = 6;
        for (const char *p = pairs; *p; p += 2)
            if ((unsigned char)*p == c) {
                esc[1] = p[1];
                k = 2;
            }
        cw_buf_put(out, esc, k);
    }
    cw_buf_put(out, s.ptr + run, s.len - run);
}

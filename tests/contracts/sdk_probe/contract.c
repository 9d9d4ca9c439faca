/* sdk_probe — a test-only contract that runs SDK functions inside wasm and answers their output,
 * so tests/test_sdk_wasm.c can compare the wasm build of the SDK with the native one byte for
 * byte: a fixed table of cw_buf_printf/cw_errorf calls, cw_math operations (checked, aborting,
 * u256, Decimal, Decimal27), JSON validation, base64, cw_storage key encoding and an execute
 * that writes, reads and iterates storage through cw_db_* in both orders. */
#include "cw_entry.h"
#include "cw_host.h"
#include "cw_math.h"
#include "cw_storage.h"

/* --- Message helpers -------------------------------------------------------------------------- */

/* A string member, copied into `out` (unescaped); false when absent or not a string. */
static bool member_str(cw_json obj, const char *key, cw_buf *out) {
    cw_json v = cw_json_get(obj, key);
    if (v.type != CW_JSON_STRING) return false;
    cw_json_unescape((cw_str){v.text.ptr + 1, v.text.len - 2}, out);
    return true;
}

static uint64_t member_u64(cw_json obj, const char *key) {
    uint64_t v = 0;
    cw_error *err = cw_json_u64(cw_json_get(obj, key), &v);
    if (err) cw_error_free(err);
    return v;
}

static void put_err(cw_buf *out, cw_error *err) {
    cw_buf_printf(out, "{\"err\":%J}", (cw_str){err->msg, err->len});
    cw_error_free(err);
}

/* --- printf table ------------------------------------------------------------------------------
 */

static const cw_u128 TEN19 = (cw_u128)10000000000000000000ull;

/* Case n formatted into out; false for an unknown case. Via cw_errorf when `errorf`. The
 * expected texts are in tests/test_sdk_wasm.c (PRINTF_EXPECTED), same order. */
#define PROBE_FMT(...)                                                                             \
    do {                                                                                           \
        if (errorf) {                                                                              \
            cw_error *e_ = cw_errorf(__VA_ARGS__);                                                 \
            cw_buf_put(out, e_->msg, e_->len);                                                     \
            cw_error_free(e_);                                                                     \
        } else {                                                                                   \
            cw_buf_printf(out, __VA_ARGS__);                                                       \
        }                                                                                          \
    } while (0)

static bool printf_case(uint64_t n, bool errorf, cw_buf *out) {
    const cw_u128 max = CW_U128_MAX;
    const cw_u128 e20 = TEN19 * 10;
    const cw_u128 e38 = TEN19 * TEN19;
    const cw_str none = {NULL, 0};
    switch (n) {
    case 0:
        PROBE_FMT("%s %S %c", "abc", CW_LIT("xyz"), 'Q');
        break;
    case 1:
        PROBE_FMT("%Q", max);
        break;
    case 2:
        PROBE_FMT("%d %Q", -7, (cw_u128)1 << 64);
        break;
    case 3:
        PROBE_FMT("%lld %Q", -1LL, (cw_u128)12345);
        break;
    case 4:
        PROBE_FMT("%S %Q", CW_LIT("amount"), e20);
        break;
    case 5:
        PROBE_FMT("%Q %Q %Q", (cw_u128)0, (cw_u128)1, max);
        break;
    case 6:
        PROBE_FMT("%c%Q%c", '[', (cw_u128)42, ']');
        break;
    case 7:
        PROBE_FMT("%u %Q %llu %Q", 4000000000u, (cw_u128)5, 18446744073709551615ull, e38);
        break;
    case 8:
        PROBE_FMT("%ld %lu %Q", -123456L, 4000000000UL, (cw_u128)77);
        break;
    case 9:
        PROBE_FMT("%Q %s", (cw_u128)7, "end");
        break;
    case 10:
        PROBE_FMT("%J %Q %J", CW_LIT("a\"b\\c\n"), (cw_u128)99, none);
        break;
    case 11:
        PROBE_FMT("100%% %d%%", 50);
        break;
    case 12:
        PROBE_FMT("%d %d %d %d %Q", 1, 2, 3, 4, max);
        break;
    case 13:
        PROBE_FMT("%d %d %d %Q", 1, 2, 3, max - 1);
        break;
    case 14:
        PROBE_FMT("%lld %d %Q", 8LL, 4, e20 + 1);
        break;
    case 15:
        PROBE_FMT("%d %lld %Q %d", 4, -8LL, e20 * 3, -4);
        break;
    case 16:
        PROBE_FMT("%S %S %Q %S", CW_LIT("p"), CW_LIT("qq"), (cw_u128)123, CW_LIT("rrr"));
        break;
    case 17:
        PROBE_FMT("%Q%Q", e38, (cw_u128)1);
        break;
    case 18:
        PROBE_FMT("%c %Q %c %Q %c", 'a', (cw_u128)1, 'b', (cw_u128)2, 'c');
        break;
    case 19:
        PROBE_FMT("%s", "");
        break;
    case 20:
        PROBE_FMT("<%s|%S>", "", CW_LIT(""));
        break;
    case 21:
        PROBE_FMT("%J", CW_LIT("\x01\t/\xc3\xa9"));
        break;
    case 22:
        PROBE_FMT("%d %d", -2147483647 - 1, 2147483647);
        break;
    case 23:
        PROBE_FMT("%llu %lld", 18446744073709551615ull, -9223372036854775807LL - 1);
        break;
    case 24:
        PROBE_FMT("%u %Q %u", 0u, (cw_u128)18446744073709551615ull + 1, 4294967295u);
        break;
    case 25:
        PROBE_FMT("%s=%Q;%c;%llu;%S;%Q;%d;%J;%Q", "k", max, 'x', 1ull, CW_LIT("s"), e20, -1,
                  CW_LIT("j"), (cw_u128)0);
        break;
    case 26:
        PROBE_FMT("%S %Q %S %Q", CW_LIT("a"), (cw_u128)10, CW_LIT("b"), (cw_u128)20);
        break;
    case 27:
        PROBE_FMT("%c %Q", 'z', e38);
        break;
    case 28:
        PROBE_FMT("%lu %Q %lu", 1UL, max, 2UL);
        break;
    case 29:
        PROBE_FMT("%Q %d %Q %lld %Q", (cw_u128)1, 2, (cw_u128)3, 4LL, (cw_u128)5);
        break;
    case 30:
        PROBE_FMT("%s %d %s %Q", "x", 1, "y", e20);
        break;
    case 31:
        PROBE_FMT("%J%J", CW_LIT(""), none);
        break;
    default:
        return false;
    }
    return true;
}

/* --- Math ---------------------------------------------------------------------------------------
 */

static bool op_is(cw_str op, const char *name) {
    return cw_str_eq_c(op, name);
}

/* The value is passed by pointer: the callers compute `ok` by a try_ call in the same argument
 * list, and only the call itself sequences that write before the read. */
static void put_u128(cw_buf *out, bool ok, const cw_u128 *v) {
    if (ok)
        cw_buf_printf(out, "{\"ok\":\"%Q\"}", *v);
    else
        cw_buf_puts(out, "{\"ok\":null}");
}

static void put_u256(cw_buf *out, bool ok, const cw_u256 *v) {
    char s[CW_U256_DEC_MAX];
    if (!ok) {
        cw_buf_puts(out, "{\"ok\":null}");
        return;
    }
    size_t n = cw_u256_to_dec(*v, s);
    cw_buf_printf(out, "{\"ok\":\"%S\"}", (cw_str){s, n});
}

static void put_dec(cw_buf *out, bool ok, const cw_decimal *v) {
    if (!ok) {
        cw_buf_puts(out, "{\"ok\":null}");
        return;
    }
    cw_buf_puts(out, "{\"ok\":\"");
    cw_decimal_write(out, *v);
    cw_buf_puts(out, "\"}");
}

static void put_dec27(cw_buf *out, bool ok, const cw_decimal27 *v) {
    if (!ok) {
        cw_buf_puts(out, "{\"ok\":null}");
        return;
    }
    cw_buf_puts(out, "{\"ok\":\"");
    cw_decimal27_write(out, *v);
    cw_buf_puts(out, "\"}");
}

/* Operands "a", "b", "c" of a math request, as text. */
typedef struct operands {
    cw_buf op, a, b, c;
} operands;

static void operands_read(cw_json body, operands *o) {
    *o = (operands){0};
    member_str(body, "op", &o->op);
    member_str(body, "a", &o->a);
    member_str(body, "b", &o->b);
    member_str(body, "c", &o->c);
}

static void operands_free(operands *o) {
    cw_buf_free(&o->op);
    cw_buf_free(&o->a);
    cw_buf_free(&o->b);
    cw_buf_free(&o->c);
}

/* {"u128":{"op","a","b","c"}}: the try_ forms (null on failure); {"u128_abort":…} uses the
 * aborting forms, so an overflow aborts the whole query. "rem" links compiler-rt's __umodti3,
 * which needs the SDK's stack-protector symbols (sdk/src/cw_mem.c): a regression check. */
static cw_error *probe_u128(cw_json body, bool abort_forms, cw_buf *out) {
    operands o;
    operands_read(body, &o);
    cw_str op = cw_buf_view(&o.op);
    cw_u128 a = 0, b = 0, c = 0, r = 0;
    cw_error *err = cw_u128_parse(cw_buf_view(&o.a), &a);
    if (!err && o.b.len) err = cw_u128_parse(cw_buf_view(&o.b), &b);
    if (!err && o.c.len) err = cw_u128_parse(cw_buf_view(&o.c), &c);
    if (err) {
        put_err(out, err);
        goto done;
    }
    bool ok = true;
    if (abort_forms) {
        if (op_is(op, "add"))
            r = cw_u128_add(a, b);
        else if (op_is(op, "sub"))
            r = cw_u128_sub(a, b);
        else if (op_is(op, "mul"))
            r = cw_u128_mul(a, b);
        else if (op_is(op, "div"))
            r = cw_u128_div(a, b);
        else if (op_is(op, "rem"))
            r = cw_u128_rem(a, b);
        else if (op_is(op, "pow"))
            r = cw_u128_pow(a, (uint32_t)b);
        else if (op_is(op, "mul_div_floor"))
            r = cw_u128_mul_div_floor(a, b, c);
        else if (op_is(op, "mul_div_ceil"))
            r = cw_u128_mul_div_ceil(a, b, c);
        else
            ok = false;
    } else {
        if (op_is(op, "add"))
            ok = cw_u128_try_add(a, b, &r);
        else if (op_is(op, "sub"))
            ok = cw_u128_try_sub(a, b, &r);
        else if (op_is(op, "mul"))
            ok = cw_u128_try_mul(a, b, &r);
        else if (op_is(op, "div"))
            ok = cw_u128_try_div(a, b, &r);
        else if (op_is(op, "rem"))
            ok = cw_u128_try_rem(a, b, &r);
        else if (op_is(op, "pow"))
            ok = cw_u128_try_pow(a, (uint32_t)b, &r);
        else if (op_is(op, "mul_div_floor"))
            ok = cw_u128_try_mul_div_floor(a, b, c, &r);
        else if (op_is(op, "mul_div_ceil"))
            ok = cw_u128_try_mul_div_ceil(a, b, c, &r);
        else if (op_is(op, "saturating_add"))
            r = cw_u128_saturating_add(a, b);
        else if (op_is(op, "saturating_sub"))
            r = cw_u128_saturating_sub(a, b);
        else if (op_is(op, "saturating_mul"))
            r = cw_u128_saturating_mul(a, b);
        else {
            put_err(out, cw_errorf("unknown u128 op %J", op));
            goto done;
        }
    }
    put_u128(out, ok, &r);
done:
    operands_free(&o);
    return NULL;
}

/* {"u256":{"op","a","b","c"}} with the try_ forms; shl/shr take b as the bit count. */
static cw_error *probe_u256(cw_json body, cw_buf *out) {
    operands o;
    operands_read(body, &o);
    cw_str op = cw_buf_view(&o.op);
    cw_u256 a = cw_u256_zero(), b = cw_u256_zero(), c = cw_u256_zero(), r = cw_u256_zero();
    cw_error *err = cw_u256_parse(cw_buf_view(&o.a), &a);
    if (!err && o.b.len) err = cw_u256_parse(cw_buf_view(&o.b), &b);
    if (!err && o.c.len) err = cw_u256_parse(cw_buf_view(&o.c), &c);
    if (err) {
        put_err(out, err);
        goto done;
    }
    bool ok = true;
    if (op_is(op, "add"))
        ok = cw_u256_try_add(a, b, &r);
    else if (op_is(op, "sub"))
        ok = cw_u256_try_sub(a, b, &r);
    else if (op_is(op, "mul"))
        ok = cw_u256_try_mul(a, b, &r);
    else if (op_is(op, "div"))
        ok = cw_u256_try_div(a, b, &r);
    else if (op_is(op, "rem"))
        ok = cw_u256_try_rem(a, b, &r);
    else if (op_is(op, "mul_div_floor"))
        ok = cw_u256_try_mul_div(a, b, c, CW_ROUND_FLOOR, &r);
    else if (op_is(op, "mul_div_ceil"))
        ok = cw_u256_try_mul_div(a, b, c, CW_ROUND_CEIL, &r);
    else if (op_is(op, "shl") && b.limb[0] < 256 && cw_u256_fits_u128(b) && !b.limb[1])
        r = cw_u256_shl(a, (unsigned)b.limb[0]);
    else if (op_is(op, "shr") && b.limb[0] < 256 && cw_u256_fits_u128(b) && !b.limb[1])
        r = cw_u256_shr(a, (unsigned)b.limb[0]);
    else if (op_is(op, "full_mul") && cw_u256_fits_u128(a) && cw_u256_fits_u128(b))
        r = cw_u128_full_mul(cw_u256_to_u128(a), cw_u256_to_u128(b));
    else {
        put_err(out, cw_errorf("unknown u256 op %J", op));
        goto done;
    }
    put_u256(out, ok, &r);
done:
    operands_free(&o);
    return NULL;
}

/* {"decimal":{"op","a","b"}}: Decimal operands; from_ratio takes integers, mul_uint and
 * uint_div take the integer as a. */
static cw_error *probe_decimal(cw_json body, cw_buf *out) {
    operands o;
    operands_read(body, &o);
    cw_str op = cw_buf_view(&o.op);
    bool ints = op_is(op, "from_ratio_floor") || op_is(op, "from_ratio_ceil");
    bool int_a = ints || op_is(op, "mul_uint_floor") || op_is(op, "mul_uint_ceil") ||
                 op_is(op, "uint_div_floor") || op_is(op, "uint_div_ceil");
    cw_decimal a = cw_decimal_zero(), b = cw_decimal_zero(), r = cw_decimal_zero();
    cw_u128 ia = 0, ib = 0, ir = 0;
    cw_error *err =
        int_a ? cw_u128_parse(cw_buf_view(&o.a), &ia) : cw_decimal_parse(cw_buf_view(&o.a), &a);
    if (!err && o.b.len)
        err =
            ints ? cw_u128_parse(cw_buf_view(&o.b), &ib) : cw_decimal_parse(cw_buf_view(&o.b), &b);
    if (err) {
        put_err(out, err);
        goto done;
    }
    if (op_is(op, "parse"))
        put_dec(out, true, &a);
    else if (op_is(op, "add"))
        put_dec(out, cw_decimal_try_add(a, b, &r), &r);
    else if (op_is(op, "sub"))
        put_dec(out, cw_decimal_try_sub(a, b, &r), &r);
    else if (op_is(op, "mul_floor"))
        put_dec(out, cw_decimal_try_mul_floor(a, b, &r), &r);
    else if (op_is(op, "mul_ceil"))
        put_dec(out, cw_decimal_try_mul_ceil(a, b, &r), &r);
    else if (op_is(op, "div_floor"))
        put_dec(out, cw_decimal_try_div_floor(a, b, &r), &r);
    else if (op_is(op, "div_ceil"))
        put_dec(out, cw_decimal_try_div_ceil(a, b, &r), &r);
    else if (op_is(op, "from_ratio_floor"))
        put_dec(out, cw_decimal_try_from_ratio_floor(ia, ib, &r), &r);
    else if (op_is(op, "from_ratio_ceil"))
        put_dec(out, cw_decimal_try_from_ratio_ceil(ia, ib, &r), &r);
    else if (op_is(op, "mul_uint_floor"))
        put_u128(out, cw_decimal_try_mul_uint_floor(ia, b, &ir), &ir);
    else if (op_is(op, "mul_uint_ceil"))
        put_u128(out, cw_decimal_try_mul_uint_ceil(ia, b, &ir), &ir);
    else if (op_is(op, "uint_div_floor"))
        put_u128(out, cw_uint_try_div_decimal_floor(ia, b, &ir), &ir);
    else if (op_is(op, "uint_div_ceil"))
        put_u128(out, cw_uint_try_div_decimal_ceil(ia, b, &ir), &ir);
    else if (op_is(op, "to_uint_floor")) {
        ir = cw_decimal_to_uint_floor(a);
        put_u128(out, true, &ir);
    } else if (op_is(op, "to_uint_ceil")) {
        ir = cw_decimal_to_uint_ceil(a);
        put_u128(out, true, &ir);
    } else
        put_err(out, cw_errorf("unknown decimal op %J", op));
done:
    operands_free(&o);
    return NULL;
}

/* {"decimal27":{"op","a","b"}}: pow and rate_per_period take b as a u64 (exponent, periods);
 * mul_uint takes the integer as a. */
static cw_error *probe_decimal27(cw_json body, cw_buf *out) {
    operands o;
    operands_read(body, &o);
    cw_str op = cw_buf_view(&o.op);
    bool int_b = op_is(op, "pow_floor") || op_is(op, "pow_ceil") || op_is(op, "rate_floor") ||
                 op_is(op, "rate_ceil");
    bool int_a = op_is(op, "mul_uint_floor") || op_is(op, "mul_uint_ceil") ||
                 op_is(op, "uint_div_floor") || op_is(op, "uint_div_ceil");
    cw_rounding rnd = o.op.len >= 5 && cw_str_eq_c((cw_str){o.op.ptr + o.op.len - 5, 5}, "_ceil")
                          ? CW_ROUND_CEIL
                          : CW_ROUND_FLOOR;
    cw_decimal27 a = cw_decimal27_zero(), b = cw_decimal27_zero(), r = cw_decimal27_zero();
    cw_u128 ia = 0, ir = 0;
    uint64_t nb = 0;
    cw_error *err =
        int_a ? cw_u128_parse(cw_buf_view(&o.a), &ia) : cw_decimal27_parse(cw_buf_view(&o.a), &a);
    if (!err && o.b.len) {
        if (int_b) {
            if (cw_u64_from_dec(cw_buf_view(&o.b), &nb) != CW_PARSE_OK)
                err = cw_errorf("bad u64 %S", cw_buf_view(&o.b));
        } else {
            err = cw_decimal27_parse(cw_buf_view(&o.b), &b);
        }
    }
    if (err) {
        put_err(out, err);
        goto done;
    }
    cw_decimal d = cw_decimal_zero();
    if (op_is(op, "parse"))
        put_dec27(out, true, &a);
    else if (op_is(op, "add"))
        put_dec27(out, cw_decimal27_try_add(a, b, &r), &r);
    else if (op_is(op, "sub"))
        put_dec27(out, cw_decimal27_try_sub(a, b, &r), &r);
    else if (op_is(op, "mul_floor") || op_is(op, "mul_ceil"))
        put_dec27(out, cw_decimal27_try_mul(a, b, rnd, &r), &r);
    else if (op_is(op, "div_floor") || op_is(op, "div_ceil"))
        put_dec27(out, cw_decimal27_try_div(a, b, rnd, &r), &r);
    else if (op_is(op, "pow_floor") || op_is(op, "pow_ceil"))
        put_dec27(out, cw_decimal27_try_pow(a, nb, rnd, &r), &r);
    else if (op_is(op, "mul_uint_floor") || op_is(op, "mul_uint_ceil"))
        put_u128(out, cw_decimal27_try_mul_uint(ia, b, rnd, &ir), &ir);
    else if (op_is(op, "uint_div_floor") || op_is(op, "uint_div_ceil"))
        put_u128(out, cw_uint_try_div_decimal27(ia, b, rnd, &ir), &ir);
    else if (op_is(op, "to_decimal_floor"))
        put_dec(out, cw_decimal27_try_to_decimal_floor(a, &d), &d);
    else if (op_is(op, "to_decimal_ceil"))
        put_dec(out, cw_decimal27_try_to_decimal_ceil(a, &d), &d);
    else if (op_is(op, "rate_floor") || op_is(op, "rate_ceil")) {
        err = cw_decimal27_rate_per_period(a, nb, rnd, &r);
        if (err)
            put_err(out, err);
        else
            put_dec27(out, true, &r);
    } else
        put_err(out, cw_errorf("unknown decimal27 op %J", op));
done:
    operands_free(&o);
    return NULL;
}

/* --- JSON, base64, storage keys ------------------------------------------------------------------
 */

/* {"json":{"text":"…"}} → {"type":N,"len":N,"first":<first member or element>} or {"err":…}. */
static cw_error *probe_json(cw_json body, cw_buf *out) {
    cw_buf text = {0};
    member_str(body, "text", &text);
    cw_json root;
    cw_error *err = cw_json_parse(cw_buf_view(&text), &root);
    if (err) {
        put_err(out, err);
    } else {
        cw_buf_printf(out, "{\"type\":%d,\"len\":%u,\"text\":%J", (int)root.type,
                      (unsigned)(root.type >= CW_JSON_ARRAY ? cw_json_len(root) : 0), root.text);
        cw_json_iter it = cw_json_iter_begin(root);
        cw_str key = {NULL, 0};
        cw_json v;
        if (root.type >= CW_JSON_ARRAY && cw_json_next(&it, &key, &v))
            cw_buf_printf(out, ",\"first\":{\"key\":%J,\"value\":%J}",
                          root.type == CW_JSON_OBJECT ? key : (cw_str){NULL, 0}, v.text);
        cw_buf_putc(out, '}');
    }
    cw_buf_free(&text);
    return NULL;
}

/* {"base64":{"encode":"…"}} or {"base64":{"decode":"…"}} → {"out":"…"} or {"err":…}. */
static cw_error *probe_base64(cw_json body, cw_buf *out) {
    cw_buf in = {0}, res = {0};
    if (member_str(body, "encode", &in)) {
        cw_base64_encode(&res, cw_buf_view(&in));
        cw_buf_printf(out, "{\"out\":%J}", cw_buf_view(&res));
    } else if (member_str(body, "decode", &in)) {
        cw_error *err = cw_base64_decode(cw_buf_view(&in), &res);
        if (err)
            put_err(out, err);
        else
            cw_buf_printf(out, "{\"out\":%J}", cw_buf_view(&res));
    } else {
        put_err(out, cw_errorf("base64: expected encode or decode"));
    }
    cw_buf_free(&in);
    cw_buf_free(&res);
    return NULL;
}

static void put_b64_member(cw_buf *out, const char *name, cw_str bytes) {
    cw_buf b64 = {0};
    cw_base64_encode(&b64, bytes);
    cw_buf_printf(out, "\"%s\":\"%S\"", name, cw_buf_view(&b64));
    cw_buf_free(&b64);
}

/* {"key":{"ns":"…","parts":["…",…],"n":N}} → the keys (base64) built by cw_key_map_parts,
 * by cw_key_map + cw_key_push + cw_key_last_u64(n), by push_u64/push_u32/last_u32 and
 * last_i64(-n), and by cw_be_u64/cw_be_u32. */
static cw_error *probe_key(cw_json body, cw_buf *out) {
    cw_buf ns = {0};
    member_str(body, "ns", &ns);
    cw_buf_putc(&ns, 0);
    const char *nsz = ns.ptr;
    uint64_t n = member_u64(body, "n");
    cw_json parts_json = cw_json_get(body, "parts");
    cw_buf texts[8] = {{0}};
    cw_str parts[8];
    size_t n_parts = 0;
    cw_json_iter it = cw_json_iter_begin(parts_json);
    cw_json v;
    while (n_parts < 8 && cw_json_next(&it, NULL, &v) && v.type == CW_JSON_STRING) {
        cw_json_unescape((cw_str){v.text.ptr + 1, v.text.len - 2}, &texts[n_parts]);
        parts[n_parts] = cw_buf_view(&texts[n_parts]);
        n_parts++;
    }
    cw_buf k1 = {0}, k2 = {0}, k3 = {0};
    cw_key_map_parts(&k1, nsz, parts, n_parts);
    cw_key_map(&k2, nsz);
    for (size_t i = 0; i < n_parts; i++) cw_key_push(&k2, parts[i]);
    cw_key_last_u64(&k2, n);
    cw_key_map(&k3, nsz);
    cw_key_push_u64(&k3, n);
    cw_key_push_u32(&k3, (uint32_t)n);
    cw_key_last_u32(&k3, (uint32_t)(n >> 32));
    cw_key_last_i64(&k3, -(int64_t)n);
    char b8[8], b4[4];
    cw_buf be = {0};
    cw_buf_put_str(&be, cw_be_u64(n, b8));
    cw_buf_put_str(&be, cw_be_u32((uint32_t)n, b4));
    cw_buf_putc(out, '{');
    put_b64_member(out, "parts", cw_buf_view(&k1));
    cw_buf_putc(out, ',');
    put_b64_member(out, "pushed", cw_buf_view(&k2));
    cw_buf_putc(out, ',');
    put_b64_member(out, "ints", cw_buf_view(&k3));
    cw_buf_putc(out, ',');
    put_b64_member(out, "be", cw_buf_view(&be));
    /* Split k2 back into its parts. */
    cw_str rest = cw_buf_view(&k2), part;
    cw_buf_puts(out, ",\"split\":[");
    for (size_t i = 0; i <= n_parts && cw_key_take_part(&rest, &part); i++)
        cw_buf_printf(out, "%s%J", i ? "," : "", part);
    uint64_t last = 0;
    cw_buf_printf(out, "],\"last\":\"%llu\",\"last_ok\":%s}",
                  (unsigned long long)(cw_key_u64(rest, &last) ? last : 0),
                  cw_key_u64(rest, &last) ? "true" : "false");
    for (size_t i = 0; i < n_parts; i++) cw_buf_free(&texts[i]);
    cw_buf_free(&k1);
    cw_buf_free(&k2);
    cw_buf_free(&k3);
    cw_buf_free(&be);
    cw_buf_free(&ns);
    return NULL;
}

/* --- Storage -------------------------------------------------------------------------------------
 */

static void row_key(cw_buf *key, uint64_t i) {
    cw_key_map(key, "row");
    cw_key_last_u64(key, i);
}

/* Iterate [start, end) of the "row" map in `order`; "i=value" pairs joined by ','. */
static void scan_rows(cw_buf *out, const cw_str *start, const cw_str *end, int order) {
    cw_iter it = cw_db_scan(start, end, order);
    cw_str k, v;
    bool first = true;
    while (cw_db_next(it, &k, &v)) {
        cw_str rest = k, ns;
        uint64_t i = 0;
        bool ok = cw_key_take_part(&rest, &ns) && cw_str_eq_c(ns, "row") && cw_key_u64(rest, &i);
        cw_buf_printf(out, "%s%llu=%S", first ? "" : ",", ok ? (unsigned long long)i : 999999ull,
                      v);
        first = false;
        cw_free((void *)k.ptr);
        cw_free((void *)v.ptr);
    }
}

/* {"storage":{"n":N}}: writes rows 0, 3, …, 3(N-1) (values "v<i>"), removes row 3, reads row 6
 * back, iterates [row 3, row 3(N-2)) ascending and descending and the whole store descending,
 * and saves/loads typed values; every result becomes an attribute. */
static cw_error *exec_storage(cw_json body, cw_response *res) {
    uint64_t n = member_u64(body, "n");
    cw_buf key = {0}, val = {0}, tmp = {0};
    for (uint64_t i = 0; i < n; i++) {
        key.len = val.len = 0;
        row_key(&key, 3 * i);
        cw_buf_printf(&val, "v%llu", (unsigned long long)i);
        cw_db_write(cw_buf_view(&key), cw_buf_view(&val));
    }
    key.len = 0;
    row_key(&key, 3);
    cw_db_remove(cw_buf_view(&key));
    key.len = 0;
    row_key(&key, 6);
    cw_str got;
    if (cw_db_read(cw_buf_view(&key), &got)) {
        cw_res_attr(res, "read", got);
        cw_free((void *)got.ptr);
    } else {
        cw_res_attr_c(res, "read", "absent");
    }
    key.len = 0;
    row_key(&key, 3);
    cw_buf end = {0};
    row_key(&end, n >= 2 ? 3 * (n - 2) : 0);
    cw_str lo = cw_buf_view(&key), hi = cw_buf_view(&end);
    scan_rows(&tmp, &lo, &hi, CW_ORDER_ASC);
    cw_res_attr(res, "asc", cw_buf_view(&tmp));
    tmp.len = 0;
    scan_rows(&tmp, &lo, &hi, CW_ORDER_DESC);
    cw_res_attr(res, "desc", cw_buf_view(&tmp));
    tmp.len = 0;
    scan_rows(&tmp, &lo, NULL, CW_ORDER_DESC);
    cw_res_attr(res, "desc_open", cw_buf_view(&tmp));
    cw_item_save_u64("counter", n * 1000003);
    cw_map_save_u128("balance", CW_LIT("alice"), CW_U128_MAX - n);
    uint64_t counter = 0;
    cw_u128 bal = 0;
    CW_TRY(cw_item_load_u64("counter", &counter));
    CW_TRY(cw_map_load_u128("balance", CW_LIT("alice"), &bal));
    cw_res_attr_u64(res, "counter", counter);
    cw_res_attr_u128(res, "balance", bal);
    /* Whole store, descending: raw keys (base64) and values. */
    tmp.len = 0;
    cw_iter it = cw_db_scan(NULL, NULL, CW_ORDER_DESC);
    cw_str k, v;
    while (cw_db_next(it, &k, &v)) {
        cw_base64_encode(&tmp, k);
        cw_buf_printf(&tmp, "=%S;", v);
        cw_free((void *)k.ptr);
        cw_free((void *)v.ptr);
    }
    cw_res_attr(res, "all_desc", cw_buf_view(&tmp));
    cw_buf_free(&key);
    cw_buf_free(&end);
    cw_buf_free(&val);
    cw_buf_free(&tmp);
    return NULL;
}

/* --- Entry points
 * --------------------------------------------------------------------------------- */

static cw_error *instantiate(const cw_env *env, const cw_info *info, cw_json msg,
                             cw_response *res) {
    (void)env;
    (void)info;
    (void)msg;
    (void)res;
    return NULL;
}

static cw_error *execute(const cw_env *env, const cw_info *info, cw_json msg, cw_response *res) {
    (void)env;
    (void)info;
    cw_str variant;
    cw_json body;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    if (cw_str_eq_c(variant, "storage")) return exec_storage(body, res);
    return cw_errorf("sdk_probe: unknown execute %S", variant);
}

/* One request into `out` (a JSON value). */
static cw_error *probe_one(cw_json msg, cw_buf *out) {
    cw_str variant;
    cw_json body;
    CW_TRY(cw_json_enum(msg, &variant, &body));
    if (cw_str_eq_c(variant, "printf")) {
        bool errorf = cw_json_get(body, "errorf").type == CW_JSON_TRUE;
        cw_buf text = {0};
        if (!printf_case(member_u64(body, "case"), errorf, &text)) {
            cw_buf_free(&text);
            return cw_errorf("sdk_probe: unknown printf case");
        }
        cw_buf_printf(out, "{\"out\":%J}", cw_buf_view(&text));
        cw_buf_free(&text);
        return NULL;
    }
    if (cw_str_eq_c(variant, "u128")) return probe_u128(body, false, out);
    if (cw_str_eq_c(variant, "u128_abort")) return probe_u128(body, true, out);
    if (cw_str_eq_c(variant, "u256")) return probe_u256(body, out);
    if (cw_str_eq_c(variant, "decimal")) return probe_decimal(body, out);
    if (cw_str_eq_c(variant, "decimal27")) return probe_decimal27(body, out);
    if (cw_str_eq_c(variant, "json")) return probe_json(body, out);
    if (cw_str_eq_c(variant, "base64")) return probe_base64(body, out);
    if (cw_str_eq_c(variant, "key")) return probe_key(body, out);
    return cw_errorf("sdk_probe: unknown query %S", variant);
}

/* A request, or {"batch":[request, …]} → [answer, …]. */
static cw_error *query(const cw_env *env, cw_json msg, cw_buf *answer) {
    (void)env;
    cw_json batch = cw_json_get(msg, "batch");
    if (batch.type != CW_JSON_ARRAY) return probe_one(msg, answer);
    cw_buf_putc(answer, '[');
    cw_json_iter it = cw_json_iter_begin(batch);
    cw_json item;
    for (size_t i = 0; cw_json_next(&it, NULL, &item); i++) {
        if (i) cw_buf_putc(answer, ',');
        CW_TRY(probe_one(item, answer));
    }
    cw_buf_putc(answer, ']');
    return NULL;
}

CW_CONTRACT(instantiate, execute, query)

/* hs_fixture.h — the shared fixture of the host suites that run real .wasm on host-sim: the chain
 * under test, code upload, instantiate/execute/query helpers taking printf-style JSON, result
 * checks, JSON and base64 helpers, bank/CW20 balance checks. Used by tests/test_*.c host suites. */
#ifndef BALLAST_TESTS_HS_FIXTURE_H
#define BALLAST_TESTS_HS_FIXTURE_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "hostsim.h"

#define PRINTF_LIKE(fmt_index) __attribute__((format(printf, fmt_index, fmt_index + 1)))

/* The chain under test: opened by the suite's setup with open_chain, closed by close_chain. */
extern hs_chain *C;

/* Opens C with the compile cache in build/cache; `deployer` uploads and instantiates code. */
void open_chain(const char *deployer);
void close_chain(void);

/* The whole file at `path` (caller frees); fails the test when it cannot be read. */
uint8_t *read_all(const char *path, size_t *n);
/* Uploads the .wasm at `path` as the deployer; returns its code id. */
uint64_t store_code(const char *path);

/* printf into a fresh string (caller frees). */
char *vfmt(const char *format, va_list ap);
char *fmt(const char *format, ...) PRINTF_LIKE(1);

/* Instantiates `code` as the deployer with label "c" and `admin` (NULL: none); the raw result. */
hs_result try_instantiate(uint64_t code, const char *admin, const char *format, ...) PRINTF_LIKE(3);
/* Instantiates and stores the new address in `out` (128 bytes); fails the test on an error. */
void instantiate_with_admin(uint64_t code, const char *admin, char *out, const char *format, ...)
    PRINTF_LIKE(4);
void instantiate(uint64_t code, char *out, const char *format, ...) PRINTF_LIKE(3);

/* Executes on `contract` as `sender`, with one coin when `denom` is not NULL. */
hs_result exf(const char *sender, const char *contract, const char *denom, const char *amount,
              const char *format, ...) PRINTF_LIKE(5);
#define ex(sender, contract, ...) exf(sender, contract, NULL, NULL, __VA_ARGS__)

/* The result succeeded / failed with an error containing `want`; frees it. */
void ok(hs_result r);
void fails(hs_result r, const char *want);

/* Smart query, answer parsed (caller json_decref's); fails the test on an error. */
json_t *qj(const char *contract, const char *format, ...) PRINTF_LIKE(2);
/* A member by a dotted path ("collateral.0.amount"), as text: strings unquoted, other values
 * compact JSON. Returns one of 8 rotating 4096-byte buffers. */
char *jtext(json_t *j, const char *path);
#define expect_eq(j, path, want) cr_assert_str_eq(jtext(j, path), want, "%s", path)

/* Standard base64 of a text / the text of a base64 string (caller frees either). */
char *b64(const char *s);
char *unb64(const char *s);
/* A result's data (base64 of a decimal number, e.g. a new position's id) as an int. */
int data_int(const hs_result *r);

/* Mints a native coin to `to`; balance checks of a native denom and of a CW20 token. */
void mint_native(const char *to, const char *denom, const char *amount);
void bank_is(const char *who, const char *denom, const char *want);
void cw20_balance_is(const char *token, const char *who, const char *want);

#endif

/* test_vault_random.c — a fixed-seed randomized sequence of user actions, governance tweaks and
 * price moves against the real vault_engine, stable_token, oracle and cw20-base .wasm on host-sim,
 * checking the engine's invariants after every step (issue 4 §4); plus the contracts/README.md
 * worked example and the governance-set_price-only pricing regression. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <gmp.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hostsim.h"

#define ENGINE_WASM "build/contracts/vault_engine.wasm"
#define TOKEN_WASM "build/contracts/stable_token.wasm"
#define ORACLE_WASM "build/contracts/oracle.wasm"
#define CW20_WASM "node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm"

/* Step count of the randomized run; VAULT_RANDOM_STEPS overrides it (e.g. for a longer soak). */
#define DEFAULT_STEPS 6000
#define SEED 0xba11a57u

/* --- Chain helpers ---------------------------------------------------------------------------- */

static hs_chain *C;
static char ENGINE[128], TOKEN[128], ORACLE[128], CWA[128], CWB[128], GOV[128];
static char USER[4][128], FEEDER[3][128];

static char *vfmt(const char *fmt, va_list ap) {
    char *s;
    cr_assert(vasprintf(&s, fmt, ap) > 0);
    return s;
}

static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *s = vfmt(f, ap);
    va_end(ap);
    return s;
}

static uint64_t store(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run make first)", path);
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    rewind(f);
    uint8_t *w = malloc(n);
    cr_assert(fread(w, 1, n, f) == n);
    fclose(f);
    hs_result r = hs_store_code(C, "alice", w, n);
    free(w);
    cr_assert(r.ok, "store %s: %s", path, r.error);
    uint64_t id = r.code_id;
    hs_result_free(&r);
    return id;
}

static void instantiate(uint64_t code, char *out, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *msg = vfmt(f, ap);
    va_end(ap);
    hs_result r = hs_instantiate(C, code, GOV, msg, NULL, 0, "c", NULL);
    cr_assert(r.ok, "instantiate %s: %s", msg, r.error);
    snprintf(out, 128, "%s", r.address);
    hs_result_free(&r);
    free(msg);
}

/* Execute `msg` (owned, freed here) with at most one native coin. */
static hs_result exm(const char *sender, const char *contract, const char *denom, uint64_t amount,
                     char *msg) {
    char amt[32];
    snprintf(amt, sizeof amt, "%llu", (unsigned long long)amount);
    hs_coin coin = {denom, amt};
    hs_result r = hs_execute(C, contract, sender, msg, denom ? &coin : NULL, denom ? 1 : 0);
    free(msg);
    return r;
}

static void ok(hs_result r) {
    cr_assert(r.ok, "expected success, got: %s", r.error);
    hs_result_free(&r);
}

static json_t *qj(const char *contract, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *msg = vfmt(f, ap);
    va_end(ap);
    hs_result r = hs_query(C, contract, msg);
    cr_assert(r.ok, "query %s: %s", msg, r.error);
    json_t *j = json_loads(r.answer, 0, NULL);
    cr_assert(j, "bad answer %s", r.answer);
    hs_result_free(&r);
    free(msg);
    return j;
}

static const char *js(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    cr_assert(json_is_string(v), "no string %s in %s", key, json_dumps(o, JSON_COMPACT));
    return json_string_value(v);
}

static uint64_t ju(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v)) return (uint64_t)json_integer_value(v);
    cr_assert(json_is_string(v), "no number %s in %s", key, json_dumps(o, JSON_COMPACT));
    return strtoull(json_string_value(v), NULL, 10);
}

static char *b64(const char *s) {
    size_t len = strlen(s), cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(cap);
    sodium_bin2base64(out, cap, (const uint8_t *)s, len, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

/* A CW20 `send` of `amount` of `token` from `sender` to the engine with hook msg `inner`. */
static hs_result send_cw20(const char *token, const char *sender, uint64_t amount,
                           const char *inner) {
    char *m = b64(inner);
    hs_result r = exm(sender, token, NULL, 0,
                      fmt("{\"send\":{\"contract\":\"%s\",\"amount\":\"%llu\",\"msg\":\"%s\"}}",
                          ENGINE, (unsigned long long)amount, m));
    free(m);
    return r;
}

static void mint_native(const char *to, const char *denom, uint64_t amount) {
    char amt[32];
    snprintf(amt, sizeof amt, "%llu", (unsigned long long)amount);
    hs_coin coin = {denom, amt};
    char *err = NULL;
    cr_assert_eq(hs_mint(C, to, &coin, 1, &err), 0, "%s", err ? err : "");
}

/* Decimal text ("1.05", "10") → atomics with `frac` fractional digits. */
static void dec_atomics(mpz_t out, const char *s, int frac) {
    char digits[128] = {0};
    const char *dot = strchr(s, '.');
    int have = 0;
    if (dot) {
        memcpy(digits, s, (size_t)(dot - s));
        strcat(digits, dot + 1);
        have = (int)strlen(dot + 1);
    } else {
        strcpy(digits, s);
    }
    cr_assert(have <= frac, "%s has more than %d fractional digits", s, frac);
    for (; have < frac; have++) strcat(digits, "0");
    cr_assert_eq(mpz_set_str(out, digits, 10), 0, "bad decimal %s", s);
}

/* ceil(n · A / 10^27) as u64. */
static uint64_t debt_of(uint64_t n, const mpz_t acc) {
    mpz_t t, one;
    mpz_inits(t, one, NULL);
    mpz_ui_pow_ui(one, 10, 27);
    mpz_set_ui(t, n);
    mpz_mul(t, t, acc);
    mpz_cdiv_q(t, t, one);
    cr_assert(mpz_fits_ulong_p(t));
    uint64_t d = mpz_get_ui(t);
    mpz_clears(t, one, NULL);
    return d;
}

/* ceil(x · 10^27 / A) (borrow) or floor (repay), as u64. */
static uint64_t norm_of(uint64_t x, const mpz_t acc, bool ceil) {
    mpz_t t;
    mpz_init(t);
    mpz_ui_pow_ui(t, 10, 27);
    mpz_mul_ui(t, t, x);
    if (ceil)
        mpz_cdiv_q(t, t, acc);
    else
        mpz_fdiv_q(t, t, acc);
    uint64_t n = mpz_get_ui(t);
    mpz_clear(t);
    return n;
}

/* --- Fixture: users, three feeders (quorum 2), two cw20-base collaterals, two markets ----------
 */

enum { UATOM, UOSMO, UJUNO, A_CWA, A_CWB, STABLE, NA }; /* assets */
enum { NU = 4, NH = 5, ENG = 4, NM = 2, ND = 5, MAXP = 2048 };
static const char *NATIVE[3] = {"uatom", "uosmo", "ujuno"};
static const char *ODENOM[ND] = {"uatom", "uosmo", "ujuno", "ucwa", "ucwb"}; /* per asset */
static const char *MARKET[NM] = {"alpha", "beta"};
static const uint64_t STABLE_INITIAL = 4000000000ull; /* stable_token: 10^9 for each user */

static const char *asset_name(int a) {
    return a < 3 ? NATIVE[a] : a == A_CWA ? CWA : a == A_CWB ? CWB : TOKEN;
}

static const char *holder(int h) {
    return h == ENG ? ENGINE : USER[h];
}

static void setup(void) {
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    cfg.cache_dir = "build/cache";
    char *err = NULL;
    cr_assert_eq(hs_chain_open(&cfg, &C, &err), 0, "open: %s", err ? err : "");
    hs_address(C, "gov", GOV, sizeof GOV);
    for (int u = 0; u < NU; u++) {
        char name[16];
        snprintf(name, sizeof name, "user%d", u);
        hs_address(C, name, USER[u], sizeof USER[u]);
    }
    for (int f = 0; f < 3; f++) {
        char name[16];
        snprintf(name, sizeof name, "feeder%d", f);
        hs_address(C, name, FEEDER[f], sizeof FEEDER[f]);
    }
    uint64_t token = store(TOKEN_WASM), engine = store(ENGINE_WASM), oracle = store(ORACLE_WASM),
             cw20 = store(CW20_WASM);
    instantiate(oracle, ORACLE,
                "{\"governance\":\"%s\",\"feeders\":[\"%s\",\"%s\",\"%s\"],\"quorum\":2,"
                "\"max_age\":600,\"max_move\":\"0.2\",\"delay\":0,\"assets\":["
                "{\"denom\":\"uatom\",\"source\":\"feeders\"},{\"denom\":\"uosmo\",\"source\":"
                "\"feeders\"},{\"denom\":\"ujuno\",\"source\":\"feeders\"},{\"denom\":\"ucwa\","
                "\"source\":\"feeders\"},{\"denom\":\"ucwb\",\"source\":\"feeders\"}]}",
                GOV, FEEDER[0], FEEDER[1], FEEDER[2]);
    instantiate(token, TOKEN,
                "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,"
                "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"1000000000\"},"
                "{\"address\":\"%s\",\"amount\":\"1000000000\"},{\"address\":\"%s\","
                "\"amount\":\"1000000000\"},{\"address\":\"%s\",\"amount\":\"1000000000\"}],"
                "\"mint\":{\"minter\":\"%s\"}}",
                USER[0], USER[1], USER[2], USER[3], GOV);
    instantiate(engine, ENGINE,
                "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
                "\"global_debt_ceiling\":\"7000000000\"}",
                GOV, TOKEN, ORACLE);
    ok(exm(GOV, TOKEN, NULL, 0, fmt("{\"update_minter\":{\"new_minter\":\"%s\"}}", ENGINE)));
    const char *init = "{\"name\":\"Collateral %c\",\"symbol\":\"CW%c\",\"decimals\":6,"
                       "\"initial_balances\":[{\"address\":\"%s\",\"amount\":\"10000000000\"},"
                       "{\"address\":\"%s\",\"amount\":\"10000000000\"},{\"address\":\"%s\","
                       "\"amount\":\"10000000000\"},{\"address\":\"%s\",\"amount\":"
                       "\"10000000000\"}]}";
    instantiate(cw20, CWA, init, 'A', 'A', USER[0], USER[1], USER[2], USER[3]);
    instantiate(cw20, CWB, init, 'B', 'B', USER[0], USER[1], USER[2], USER[3]);
    for (int u = 0; u < NU; u++)
        for (int a = 0; a < 3; a++) mint_native(USER[u], NATIVE[a], 10000000000ull);
}

static void teardown(void) {
    hs_chain_close(C);
    C = NULL;
}

TestSuite(vault_random, .init = setup, .fini = teardown);

static hs_result gov_engine(char *msg) {
    return exm(GOV, ENGINE, NULL, 0, msg);
}

static void submit(int feeder, const char *denom, const char *price) {
    ok(exm(FEEDER[feeder], ORACLE, NULL, 0,
           fmt("{\"submit_price\":{\"denom\":\"%s\",\"price\":\"%s\"}}", denom, price)));
}

/* Position id from an open_position result's data (base64 of the JSON number). */
static uint64_t opened_id(const hs_result *r) {
    cr_assert(r->data, "open_position returned no data");
    unsigned char raw[32];
    size_t n = 0;
    cr_assert_eq(sodium_base642bin(raw, sizeof raw - 1, r->data, strlen(r->data), NULL, &n, NULL,
                                   sodium_base64_VARIANT_ORIGINAL),
                 0);
    raw[n] = 0;
    return strtoull((char *)raw, NULL, 10);
}

/* --- The model ----------------------------------------------------------------------------------
 */

typedef struct coll_param {
    bool listed, cw20;
    mpz_t ltv;    /* max_ltv atomics (18) */
    uint64_t cap; /* supply_cap */
    char ltv_s[24], lt_s[24], lp_s[24];
} coll_param;

typedef struct market_model {
    uint64_t min_debt, ceiling;
    coll_param coll[NA];
} market_model;

typedef struct pos_model {
    bool alive;
    int owner, market;
    uint64_t n;       /* normalised debt */
    uint64_t amt[NA]; /* collateral */
} pos_model;

/* Everything read from the chain after a step. */
typedef struct snap {
    char *digest;        /* every answer concatenated: equal before/after a refused action */
    int64_t bal[NH][NA]; /* balances of the users and the engine */
    uint64_t total_debt, minted, burned, surplus, open_positions, next_id, global_ceiling;
    uint64_t stored_debt[NM]; /* accounting: each market's stored aggregate debt */
    mpz_t acc[NM];            /* accumulator accrued to now (market query) */
    uint64_t debt_now[NM];    /* market debt accrued to now */
    uint64_t pos_debt[MAXP];  /* position debt accrued to now */
    bool price_ok[ND];
    mpz_t price[ND]; /* 18-digit atomics */
} snap;

static market_model M[NM];
static pos_model P[MAXP];
static uint64_t next_id = 1, minted, burned;
static int64_t donated[NA]; /* tokens sent to the engine outside deposits */

static void set_coll(int m, int a, bool cw20, const char *ltv, const char *lt, const char *lp,
                     uint64_t cap) {
    coll_param *c = &M[m].coll[a];
    c->listed = true;
    c->cw20 = cw20;
    snprintf(c->ltv_s, sizeof c->ltv_s, "%s", ltv);
    snprintf(c->lt_s, sizeof c->lt_s, "%s", lt);
    snprintf(c->lp_s, sizeof c->lp_s, "%s", lp);
    dec_atomics(c->ltv, ltv, 18);
    c->cap = cap;
}

static void add_collateral(int m, int a, const char *ltv, const char *lt, const char *lp,
                           uint64_t cap) {
    bool cw20 = a == A_CWA || a == A_CWB;
    ok(gov_engine(fmt("{\"add_collateral\":{\"market\":\"%s\",\"asset\":\"%s\",\"kind\":\"%s\","
                      "\"oracle_denom\":\"%s\",\"max_ltv\":\"%s\",\"liquidation_threshold\":\"%s\","
                      "\"liquidation_penalty\":\"%s\",\"supply_cap\":\"%llu\"}}",
                      MARKET[m], asset_name(a), cw20 ? "cw20" : "native", ODENOM[a], ltv, lt, lp,
                      (unsigned long long)cap)));
    set_coll(m, a, cw20, ltv, lt, lp, cap);
}

/* Markets alpha (5 %/yr, min_debt 1000: uatom, uosmo, CWA) and beta (10 %/yr, min_debt 0: uosmo,
 * ujuno, CWA, CWB); uosmo and CWA are listed in both (independent collaterals). */
static void setup_markets(void) {
    ok(gov_engine(fmt("{\"create_market\":{\"id\":\"alpha\",\"stability_fee\":\"0.05\","
                      "\"debt_ceiling\":\"5000000000\",\"min_debt\":\"1000\"}}")));
    ok(gov_engine(fmt("{\"create_market\":{\"id\":\"beta\",\"stability_fee\":\"0.1\","
                      "\"debt_ceiling\":\"3000000000\",\"min_debt\":\"0\"}}")));
    M[0] = (market_model){.min_debt = 1000, .ceiling = 5000000000ull, .coll = {{0}}};
    M[1] = (market_model){.min_debt = 0, .ceiling = 3000000000ull, .coll = {{0}}};
    for (int m = 0; m < NM; m++)
        for (int a = 0; a < NA; a++) mpz_init(M[m].coll[a].ltv);
    add_collateral(0, UATOM, "0.5", "0.6", "0.1", 2000000000ull);
    add_collateral(0, UOSMO, "0.4", "0.5", "0.1", 2000000000ull);
    add_collateral(0, A_CWA, "0.8", "0.85", "0.05", 2000000000ull);
    add_collateral(1, UOSMO, "0.6", "0.7", "0.1", 1000000000ull);
    add_collateral(1, UJUNO, "0.3", "0.4", "0.2", 1000000000ull);
    add_collateral(1, A_CWA, "0.7", "0.8", "0.1", 1000000000ull);
    add_collateral(1, A_CWB, "0.55", "0.65", "0.15", 1000000000ull);
}

/* --- Snapshot and invariant checks --------------------------------------------------------------
 */

static void snap_init(snap *s) {
    memset(s, 0, sizeof *s);
    for (int m = 0; m < NM; m++) mpz_init(s->acc[m]);
    for (int d = 0; d < ND; d++) mpz_init(s->price[d]);
}

static void snap_clear(snap *s) {
    free(s->digest);
    s->digest = NULL;
    for (int m = 0; m < NM; m++) mpz_clear(s->acc[m]);
    for (int d = 0; d < ND; d++) mpz_clear(s->price[d]);
}

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s) {
    size_t n = strlen(s);
    if (b->len + n + 2 > b->cap) {
        b->cap = (b->len + n + 2) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len++] = '\n';
    b->p[b->len] = 0;
}

/* A query whose raw answer (or error) goes into the digest; returns the parsed answer or NULL. */
static json_t *dq(sbuf *b, const char *contract, char *msg) {
    hs_result r = hs_query(C, contract, msg);
    json_t *j = NULL;
    if (r.ok) {
        sb_add(b, r.answer);
        j = json_loads(r.answer, 0, NULL);
        cr_assert(j, "bad answer %s", r.answer);
    } else {
        sb_add(b, r.error);
    }
    hs_result_free(&r);
    free(msg);
    return j;
}

static int asset_index(const char *name) {
    for (int a = 0; a < NA; a++)
        if (strcmp(name, asset_name(a)) == 0) return a;
    cr_assert_fail("unknown asset %s", name);
    return -1;
}

static int market_index(const char *name) {
    for (int m = 0; m < NM; m++)
        if (strcmp(name, MARKET[m]) == 0) return m;
    cr_assert_fail("unknown market %s", name);
    return -1;
}

static long step_no;
#define check(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            char *why_ = fmt(__VA_ARGS__);                                                         \
            cr_assert_fail("step %ld: %s", step_no, why_);                                         \
        }                                                                                          \
    } while (0)

/* Read the whole observable state into `s` and check every invariant against the model. */
static void take_snapshot(snap *s) {
    sbuf b = {0};
    mpz_t one27, t;
    mpz_inits(one27, t, NULL);
    mpz_ui_pow_ui(one27, 10, 27);

    /* balances */
    for (int h = 0; h < NH; h++)
        for (int a = 0; a < NA; a++) {
            if (a < 3) {
                char out[64];
                cr_assert_eq(hs_balance(C, holder(h), NATIVE[a], out, sizeof out), 0);
                sb_add(&b, out);
                s->bal[h][a] = (int64_t)strtoull(out, NULL, 10);
            } else {
                json_t *j =
                    dq(&b, asset_name(a), fmt("{\"balance\":{\"address\":\"%s\"}}", holder(h)));
                s->bal[h][a] = (int64_t)ju(j, "balance");
                json_decref(j);
            }
        }
    check(s->bal[ENG][STABLE] == 0, "engine holds %lld stable", (long long)s->bal[ENG][STABLE]);

    /* oracle prices */
    for (int d = 0; d < ND; d++) {
        json_t *j = dq(&b, ORACLE, fmt("{\"price\":{\"denom\":\"%s\"}}", ODENOM[d]));
        s->price_ok[d] = j != NULL;
        if (j) dec_atomics(s->price[d], js(j, "price"), 18);
        json_decref(j);
    }

    /* accounting: I1 in the contract's own terms and recomputed */
    json_t *acc = dq(&b, ENGINE, fmt("{\"accounting\":{}}"));
    cr_assert(acc);
    check(json_is_true(json_object_get(acc, "identity_holds")), "identity_holds false: %s",
          json_dumps(acc, JSON_COMPACT));
    s->total_debt = ju(acc, "total_debt");
    s->minted = ju(acc, "minted");
    s->burned = ju(acc, "burned");
    s->surplus = ju(acc, "surplus");
    check(s->total_debt + s->burned == s->minted + s->surplus,
          "I1: total_debt %llu + burned %llu != minted %llu + surplus %llu",
          (unsigned long long)s->total_debt, (unsigned long long)s->burned,
          (unsigned long long)s->minted, (unsigned long long)s->surplus);
    check(s->minted == minted && s->burned == burned,
          "minted/burned %llu/%llu, the test counted %llu/%llu", (unsigned long long)s->minted,
          (unsigned long long)s->burned, (unsigned long long)minted, (unsigned long long)burned);
    json_t *ms = json_object_get(acc, "markets");
    check(json_array_size(ms) == NM, "accounting lists %zu markets", json_array_size(ms));
    uint64_t sum_debt = 0, sum_n[NM] = {0};
    for (int i = 0; i < MAXP; i++)
        if (P[i].alive) sum_n[P[i].market] += P[i].n;
    for (size_t i = 0; i < NM; i++) {
        json_t *mj = json_array_get(ms, i);
        int m = market_index(js(mj, "id"));
        uint64_t n = ju(mj, "normalised_debt"), d = ju(mj, "debt");
        dec_atomics(t, js(mj, "accumulator"), 27);
        check(d == debt_of(n, t) && d == ju(mj, "debt_recomputed"),
              "market %s stored debt %llu != ceil(N·A) %llu", MARKET[m], (unsigned long long)d,
              (unsigned long long)debt_of(n, t));
        check(n == sum_n[m], "market %s N %llu != Σ positions' n %llu", MARKET[m],
              (unsigned long long)n, (unsigned long long)sum_n[m]);
        s->stored_debt[m] = d;
        sum_debt += d;
    }
    check(sum_debt == s->total_debt, "Σ market debt %llu != total_debt %llu",
          (unsigned long long)sum_debt, (unsigned long long)s->total_debt);

    /* collateral: engine holdings = Σ positions (+ donations) */
    uint64_t sum_amt[NM][NA] = {{0}};
    for (int i = 0; i < MAXP; i++)
        if (P[i].alive)
            for (int a = 0; a < NA; a++) sum_amt[P[i].market][a] += P[i].amt[a];
    bool listed[NA] = {0};
    json_t *as = json_object_get(acc, "assets");
    for (size_t i = 0; i < json_array_size(as); i++) {
        json_t *aj = json_array_get(as, i);
        int a = asset_index(js(aj, "asset"));
        listed[a] = true;
        uint64_t held = ju(aj, "held"), bal = ju(aj, "balance"), unrec = ju(aj, "unrecorded");
        check(held == sum_amt[0][a] + sum_amt[1][a], "asset %s held %llu != Σ positions %llu",
              NATIVE[a < 3 ? a : 0], (unsigned long long)held,
              (unsigned long long)(sum_amt[0][a] + sum_amt[1][a]));
        check((int64_t)bal == s->bal[ENG][a], "asset %d accounting balance %llu != chain %lld", a,
              (unsigned long long)bal, (long long)s->bal[ENG][a]);
        check(unrec == bal - held && (int64_t)unrec == donated[a],
              "asset %d unrecorded %llu, balance − held %llu, donated %lld", a,
              (unsigned long long)unrec, (unsigned long long)(bal - held), (long long)donated[a]);
    }
    for (int a = 0; a < STABLE; a++) {
        check(s->bal[ENG][a] == (int64_t)(sum_amt[0][a] + sum_amt[1][a]) + donated[a],
              "asset %d: engine balance %lld != Σ positions %llu + donations %lld", a,
              (long long)s->bal[ENG][a], (unsigned long long)(sum_amt[0][a] + sum_amt[1][a]),
              (long long)donated[a]);
        if (!listed[a])
            check(sum_amt[0][a] + sum_amt[1][a] == 0, "asset %d held but not in accounting", a);
    }
    json_decref(acc);

    /* totals and config agree with accounting and the model */
    json_t *tot = dq(&b, ENGINE, fmt("{\"totals\":{}}"));
    check(ju(tot, "total_debt") == s->total_debt && ju(tot, "minted") == s->minted &&
              ju(tot, "burned") == s->burned && ju(tot, "surplus") == s->surplus,
          "totals differ from accounting");
    s->open_positions = ju(tot, "open_positions");
    s->global_ceiling = ju(tot, "global_debt_ceiling");
    json_decref(tot);
    json_t *cfg = dq(&b, ENGINE, fmt("{\"config\":{}}"));
    s->next_id = ju(cfg, "next_position_id");
    check(s->next_id == next_id, "next_position_id %llu, model %llu",
          (unsigned long long)s->next_id, (unsigned long long)next_id);
    json_decref(cfg);

    /* stable supply = initial + minted − burned */
    json_t *ti = dq(&b, TOKEN, fmt("{\"token_info\":{}}"));
    check(ju(ti, "total_supply") + s->burned == STABLE_INITIAL + s->minted,
          "stable supply %llu != %llu + minted %llu − burned %llu",
          (unsigned long long)ju(ti, "total_supply"), (unsigned long long)STABLE_INITIAL,
          (unsigned long long)s->minted, (unsigned long long)s->burned);
    int64_t stable_held = 0;
    for (int h = 0; h < NH; h++) stable_held += s->bal[h][STABLE];
    check(stable_held == (int64_t)ju(ti, "total_supply"), "stable balances %lld != supply %llu",
          (long long)stable_held, (unsigned long long)ju(ti, "total_supply"));
    json_decref(ti);

    /* markets accrued to now: N, per-collateral totals, parameters */
    json_t *mk = dq(&b, ENGINE, fmt("{\"markets\":{}}"));
    json_t *mlist = json_object_get(mk, "markets");
    check(json_array_size(mlist) == NM, "markets query lists %zu", json_array_size(mlist));
    for (size_t i = 0; i < NM; i++) {
        json_t *mj = json_array_get(mlist, i);
        int m = market_index(js(mj, "id"));
        dec_atomics(s->acc[m], js(mj, "accumulator"), 27);
        uint64_t n = ju(mj, "total_normalised_debt");
        s->debt_now[m] = ju(mj, "debt");
        check(n == sum_n[m] && s->debt_now[m] == debt_of(n, s->acc[m]),
              "market %s: N %llu (model %llu), debt %llu != ceil(N·A)", MARKET[m],
              (unsigned long long)n, (unsigned long long)sum_n[m],
              (unsigned long long)s->debt_now[m]);
        check(ju(mj, "min_debt") == M[m].min_debt && ju(mj, "debt_ceiling") == M[m].ceiling,
              "market %s parameters differ from the model", MARKET[m]);
        json_t *cs = json_object_get(mj, "collaterals");
        for (size_t k = 0; k < json_array_size(cs); k++) {
            json_t *cj = json_array_get(cs, k);
            int a = asset_index(js(cj, "asset"));
            check(M[m].coll[a].listed, "unexpected collateral %d in %s", a, MARKET[m]);
            check(ju(cj, "total") == sum_amt[m][a], "%s collateral %d total %llu != Σ %llu",
                  MARKET[m], a, (unsigned long long)ju(cj, "total"),
                  (unsigned long long)sum_amt[m][a]);
            check(ju(cj, "supply_cap") == M[m].coll[a].cap &&
                      strcmp(js(cj, "max_ltv"), M[m].coll[a].ltv_s) == 0,
                  "%s collateral %d parameters differ from the model", MARKET[m], a);
        }
    }
    json_decref(mk);

    /* positions, through each owner's index: exactly the model's, debts ceil(n·A) */
    int seen = 0, alive = 0;
    for (int i = 0; i < MAXP; i++) alive += P[i].alive;
    for (int u = 0; u < NU; u++) {
        uint64_t after = 0;
        for (;;) {
            json_t *pj = dq(
                &b, ENGINE,
                after ? fmt("{\"positions_by_owner\":{\"owner\":\"%s\",\"start_after\":"
                            "%llu,\"limit\":30}}",
                            USER[u], (unsigned long long)after)
                      : fmt("{\"positions_by_owner\":{\"owner\":\"%s\",\"limit\":30}}", USER[u]));
            json_t *pl = json_object_get(pj, "positions");
            size_t cnt = json_array_size(pl);
            for (size_t k = 0; k < cnt; k++) {
                json_t *p = json_array_get(pl, k);
                uint64_t id = ju(p, "id");
                check(id < MAXP && P[id].alive && P[id].owner == u,
                      "position %llu listed for user %d, model disagrees", (unsigned long long)id,
                      u);
                check(strcmp(js(p, "owner"), USER[u]) == 0, "owner mismatch");
                int m = market_index(js(p, "market"));
                check(m == P[id].market, "position %llu market", (unsigned long long)id);
                uint64_t n = ju(p, "normalised_debt");
                check(n == P[id].n, "position %llu n %llu, model %llu", (unsigned long long)id,
                      (unsigned long long)n, (unsigned long long)P[id].n);
                s->pos_debt[id] = ju(p, "debt");
                check(s->pos_debt[id] == debt_of(n, s->acc[m]),
                      "position %llu debt %llu != ceil(n·A) %llu", (unsigned long long)id,
                      (unsigned long long)s->pos_debt[id],
                      (unsigned long long)debt_of(n, s->acc[m]));
                uint64_t got[NA] = {0};
                json_t *cl = json_object_get(p, "collateral");
                for (size_t c = 0; c < json_array_size(cl); c++) {
                    json_t *cj = json_array_get(cl, c);
                    uint64_t amt = ju(cj, "amount");
                    check(amt > 0, "zero collateral listed");
                    got[asset_index(js(cj, "asset"))] = amt;
                }
                check(memcmp(got, P[id].amt, sizeof got) == 0, "position %llu collateral differs",
                      (unsigned long long)id);
                after = id;
                seen++;
            }
            json_decref(pj);
            if (cnt < 30) break;
        }
    }
    check(seen == alive && s->open_positions == (uint64_t)alive,
          "%d positions listed, open_positions %llu, model %d", seen,
          (unsigned long long)s->open_positions, alive);
    s->digest = b.p;
    mpz_clears(one27, t, NULL);
}

/* Borrow limit of a collateral set at the snapshot's prices; false when a held collateral has no
 * valid price. */
static bool limit_of(const snap *s, int m, const uint64_t amt[NA], uint64_t *limit) {
    mpz_t t, one36, sum;
    mpz_inits(t, one36, sum, NULL);
    mpz_ui_pow_ui(one36, 10, 36);
    bool okp = true;
    for (int a = 0; a < STABLE; a++) {
        if (!amt[a]) continue;
        if (!s->price_ok[a]) okp = false;
        mpz_set_ui(t, amt[a]);
        mpz_mul(t, t, s->price[a]);
        mpz_mul(t, t, M[m].coll[a].ltv);
        mpz_fdiv_q(t, t, one36);
        mpz_add(sum, sum, t);
    }
    *limit = mpz_fits_ulong_p(sum) ? mpz_get_ui(sum) : UINT64_MAX;
    mpz_clears(t, one36, sum, NULL);
    return okp;
}

/* --- Random actions -------------------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static uint64_t below(uint64_t n) {
    return n ? rnd() % n : 0;
}
static bool chance(int percent) {
    return below(100) < (uint64_t)percent;
}

/* The expected outcome of one action: the rules it breaks (empty: must succeed), the balance
 * changes if it succeeds, and the model update to apply. */
typedef struct expect {
    const char *why[8];
    int n_why;
    bool unsure;         /* the model does not predict success (oracle actions) */
    int64_t d[NH][NA];   /* balance deltas on success */
    int64_t donate[NA];  /* donation deltas on success */
    pos_model new_pos;   /* the position after success (when pos >= 0) */
    int64_t pos;         /* affected position id, -1 none */
    bool close, opened;  /* success deletes / creates the position */
    uint64_t mint, burn; /* stable minted / burned on success */
    bool check_limit;    /* after success: position within its borrow limit */
    int gov;             /* governance model update on success: 0 none */
    int g_m, g_a;
    uint64_t g_u1, g_u2;
    const char *g_s[3];
    char label[160];
} expect;

static void refuse(expect *e, const char *why) {
    if (e->n_why < 8) e->why[e->n_why++] = why;
}

/* What an action prefers to act on (most of the time): any position, one holding collateral,
 * or one with debt. */
enum { ANY, WITH_COLLATERAL, WITH_DEBT, WITH_ROOM };
static int prefer = ANY;
static const snap *current; /* the snapshot actions are chosen from */

static bool preferred(int i) {
    if (prefer == WITH_DEBT) return P[i].n > 0;
    if (prefer == WITH_ROOM) {
        uint64_t lim;
        return limit_of(current, P[i].market, P[i].amt, &lim) &&
               lim > current->pos_debt[i] + M[P[i].market].min_debt;
    }
    if (prefer == WITH_COLLATERAL)
        for (int a = 0; a < STABLE; a++)
            if (P[i].amt[a]) return true;
    return prefer == ANY;
}

static int pick_position(void) {
    int ids[MAXP], n = 0;
    bool narrow = prefer != ANY && chance(85);
    for (int i = 0; i < MAXP; i++)
        if (P[i].alive && (!narrow || preferred(i))) ids[n++] = i;
    if (n == 0 && narrow)
        for (int i = 0; i < MAXP; i++)
            if (P[i].alive) ids[n++] = i;
    if (n == 0 || chance(3)) return (int)(next_id + below(3)); /* missing or closed */
    return ids[below((uint64_t)n)];
}

static int pick_user_for(int id) {
    if (id < MAXP && P[id].alive && chance(88)) return P[id].owner;
    return (int)below(NU);
}

/* A random amount of the shape that finds boundaries: exact, one over, a fraction, small. */
static uint64_t shaped(uint64_t edge) {
    switch (below(6)) {
    case 0:
        return edge;
    case 1:
        return edge + 1;
    case 2:
        return edge > 1 ? edge - 1 : 1;
    case 3:
        return 1 + below(edge ? edge : 1000);
    case 4:
        return 1 + below(2000);
    default:
        return 1 + below(edge / 3 + 1);
    }
}

static bool owns(expect *e, int u, int id) {
    if (id >= MAXP || !P[id].alive) {
        refuse(e, "position not found");
        return false;
    }
    if (u != P[id].owner) refuse(e, "is not the owner of position");
    return true;
}

static hs_result act_open(const snap *s, expect *e) {
    int u = (int)below(NU), m = (int)below(NM);
    int a = chance(30) ? -1 : (int)below(3);
    uint64_t amt = a < 0 ? 0 : 1 + below(chance(5) ? 3000000000ull : 50000000ull);
    snprintf(e->label, sizeof e->label, "open user%d %s %llu%s", u, MARKET[m],
             (unsigned long long)amt, a < 0 ? "" : NATIVE[a]);
    e->pos = (int64_t)next_id;
    e->opened = true;
    e->new_pos = (pos_model){.alive = true, .owner = u, .market = m, .n = 0, .amt = {0}};
    if (a >= 0) {
        if (!M[m].coll[a].listed || M[m].coll[a].cw20) refuse(e, "is not a collateral of market");
        uint64_t total = 0;
        for (int i = 0; i < MAXP; i++)
            if (P[i].alive && P[i].market == m) total += P[i].amt[a];
        if (total + amt > M[m].coll[a].cap) refuse(e, "supply cap exceeded");
        if ((int64_t)amt > s->bal[u][a]) refuse(e, "insufficient");
        e->new_pos.amt[a] = amt;
        e->d[u][a] -= (int64_t)amt;
        e->d[ENG][a] += (int64_t)amt;
    }
    return exm(USER[u], ENGINE, a < 0 ? NULL : NATIVE[a], amt,
               fmt("{\"open_position\":{\"market\":\"%s\"}}", MARKET[m]));
}

static uint64_t market_total(int m, int a) {
    uint64_t total = 0;
    for (int i = 0; i < MAXP; i++)
        if (P[i].alive && P[i].market == m) total += P[i].amt[a];
    return total;
}

static hs_result act_deposit(const snap *s, expect *e, bool cw20) {
    int id = pick_position(), u = pick_user_for(id); /* anyone may deposit */
    int a = cw20 ? A_CWA + (int)below(2) : (int)below(3);
    int m = id < MAXP && P[id].alive ? P[id].market : 0;
    uint64_t cap = M[m].coll[a].cap, held = market_total(m, a), room = cap > held ? cap - held : 0;
    uint64_t amt = chance(10) ? shaped(room) : 1 + below(50000000);
    snprintf(e->label, sizeof e->label, "deposit user%d pos %d %llu asset %d", u, id,
             (unsigned long long)amt, a);
    e->pos = id;
    if (id >= MAXP || !P[id].alive) {
        refuse(e, "position not found");
    } else {
        e->new_pos = P[id];
        if (amt == 0) refuse(e, "zero amount");
        if (!M[m].coll[a].listed) refuse(e, "is not a collateral of market");
        if (market_total(m, a) + amt > cap) refuse(e, "supply cap exceeded");
        e->new_pos.amt[a] += amt;
    }
    if ((int64_t)amt > s->bal[u][a]) refuse(e, cw20 ? "Cannot Sub" : "insufficient");
    e->d[u][a] -= (int64_t)amt;
    e->d[ENG][a] += (int64_t)amt;
    if (!cw20)
        return exm(USER[u], ENGINE, NATIVE[a], amt, fmt("{\"deposit\":{\"position_id\":%d}}", id));
    char inner[64];
    snprintf(inner, sizeof inner, "{\"deposit\":{\"position_id\":%d}}", id);
    return send_cw20(asset_name(a), USER[u], amt, inner);
}

/* The largest w with limit(amounts − w of asset a) ≥ debt (binary search on the exact limit). */
static uint64_t max_withdraw(const snap *s, int id, int a, uint64_t debt) {
    uint64_t lo = 0, hi = P[id].amt[a];
    uint64_t amt[NA];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2, lim;
        memcpy(amt, P[id].amt, sizeof amt);
        amt[a] -= mid;
        limit_of(s, P[id].market, amt, &lim);
        if (lim >= debt)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static hs_result act_withdraw(const snap *s, expect *e) {
    int id = pick_position(), u = pick_user_for(id);
    int a = (int)below(STABLE), rcpt = chance(20) ? (int)below(NU) : -1;
    uint64_t amt = 1 + below(1000);
    if (id < MAXP && P[id].alive) {
        for (int tries = 0; tries < 4 && !P[id].amt[a]; tries++) a = (int)below(STABLE);
        uint64_t debt = s->pos_debt[id];
        uint64_t edge = debt ? max_withdraw(s, id, a, debt) : P[id].amt[a];
        amt = chance(50) ? shaped(edge) : shaped(P[id].amt[a]);
        if (amt == 0) amt = 1;
    }
    snprintf(e->label, sizeof e->label, "withdraw user%d pos %d %llu asset %d", u, id,
             (unsigned long long)amt, a);
    e->pos = id;
    if (owns(e, u, id)) {
        e->new_pos = P[id];
        if (amt > P[id].amt[a]) {
            refuse(e, "insufficient collateral");
        } else {
            e->new_pos.amt[a] -= amt;
            uint64_t debt = s->pos_debt[id], lim;
            if (debt > 0) {
                /* a price is needed for every collateral still held after the withdrawal
                 * (withdrawing all of an unpriced collateral only lowers the limit) */
                if (!limit_of(s, P[id].market, e->new_pos.amt, &lim)) refuse(e, "no valid price");
                limit_of(s, P[id].market, e->new_pos.amt, &lim);
                if (debt > lim) refuse(e, "borrow limit exceeded");
                e->check_limit = true;
            }
        }
    }
    int to = rcpt < 0 ? (id < MAXP && P[id].alive ? P[id].owner : u) : rcpt;
    e->d[to][a] += (int64_t)amt;
    e->d[ENG][a] -= (int64_t)amt;
    if (rcpt < 0)
        return exm(USER[u], ENGINE, NULL, 0,
                   fmt("{\"withdraw\":{\"position_id\":%d,\"asset\":\"%s\",\"amount\":\"%llu\"}}",
                       id, asset_name(a), (unsigned long long)amt));
    return exm(USER[u], ENGINE, NULL, 0,
               fmt("{\"withdraw\":{\"position_id\":%d,\"asset\":\"%s\",\"amount\":\"%llu\","
                   "\"recipient\":\"%s\"}}",
                   id, asset_name(a), (unsigned long long)amt, USER[rcpt]));
}

static hs_result act_borrow(const snap *s, expect *e) {
    int id = pick_position(), u = pick_user_for(id), rcpt = chance(20) ? (int)below(NU) : -1;
    uint64_t x = 1 + below(100000);
    int m = 0;
    if (id < MAXP && P[id].alive) {
        m = P[id].market;
        uint64_t lim, debt = s->pos_debt[id];
        limit_of(s, m, P[id].amt, &lim);
        uint64_t room = lim > debt ? lim - debt : 0;
        uint64_t mroom = M[m].ceiling > s->debt_now[m] ? M[m].ceiling - s->debt_now[m] : 0;
        if (chance(15) && mroom < room) room = mroom;
        uint64_t least = debt < M[m].min_debt ? M[m].min_debt - debt : 1;
        switch (below(10)) {
        case 0:
            x = room;
            break;
        case 1:
            x = room + 1;
            break;
        case 2:
            x = least > 1 ? least - 1 : 0;
            break; /* just under min_debt, or zero */
        case 3:
            x = shaped(room);
            break;
        default:
            x = least + (room > least ? below(room - least + 1) : 0);
            break;
        }
    }
    snprintf(e->label, sizeof e->label, "borrow user%d pos %d %llu", u, id, (unsigned long long)x);
    e->pos = id;
    if (owns(e, u, id)) {
        const mpz_t *A = &s->acc[m];
        e->new_pos = P[id];
        if (x == 0) refuse(e, "zero amount");
        uint64_t dn = norm_of(x, *A, true);
        e->new_pos.n += dn;
        uint64_t new_debt = debt_of(e->new_pos.n, *A), lim;
        if (!limit_of(s, m, P[id].amt, &lim)) refuse(e, "no valid price");
        if (new_debt > lim) refuse(e, "borrow limit exceeded");
        if (new_debt < M[m].min_debt) refuse(e, "debt below min_debt");
        uint64_t n_mkt = 0;
        for (int i = 0; i < MAXP; i++)
            if (P[i].alive && P[i].market == m) n_mkt += P[i].n;
        uint64_t new_mkt = debt_of(n_mkt + dn, *A);
        if (new_mkt > M[m].ceiling) refuse(e, "market debt ceiling exceeded");
        if (s->total_debt - s->stored_debt[m] + new_mkt > s->global_ceiling)
            refuse(e, "global debt ceiling exceeded");
        e->check_limit = true;
        e->mint = x;
    }
    int to = rcpt < 0 ? (id < MAXP && P[id].alive ? P[id].owner : u) : rcpt;
    e->d[to][STABLE] += (int64_t)x;
    if (rcpt < 0)
        return exm(USER[u], ENGINE, NULL, 0,
                   fmt("{\"borrow\":{\"position_id\":%d,\"amount\":\"%llu\"}}", id,
                       (unsigned long long)x));
    return exm(USER[u], ENGINE, NULL, 0,
               fmt("{\"borrow\":{\"position_id\":%d,\"amount\":\"%llu\",\"recipient\":\"%s\"}}", id,
                   (unsigned long long)x, USER[rcpt]));
}

/* Repay through a CW20 send of stable; with `close`, the hook's close variant. */
static hs_result act_repay(const snap *s, expect *e, bool close) {
    int id = pick_position(), u = pick_user_for(id);
    uint64_t debt = id < MAXP && P[id].alive ? s->pos_debt[id] : 0, x;
    int m = id < MAXP && P[id].alive ? P[id].market : 0;
    /* amounts around the debt, and around the min_debt edge */
    uint64_t edge = debt > M[m].min_debt ? debt - M[m].min_debt : debt;
    x = chance(50) ? shaped(debt) : shaped(edge);
    if (chance(3)) x = 0;
    snprintf(e->label, sizeof e->label, "%s user%d pos %d %llu (debt %llu)",
             close ? "close-send" : "repay", u, id, (unsigned long long)x,
             (unsigned long long)debt);
    e->pos = id;
    if ((int64_t)x > s->bal[u][STABLE]) refuse(e, "Cannot Sub");
    if (id >= MAXP || !P[id].alive) {
        refuse(e, "position not found");
        if (x == 0) refuse(e, "zero amount");
    } else if (x == 0) {
        refuse(e, "zero amount");
        if (close && u != P[id].owner) refuse(e, "is not the owner");
        if (!close && debt == 0) refuse(e, "nothing to repay");
    } else if (close) {
        if (u != P[id].owner) refuse(e, "is not the owner of position");
        if (x < debt) refuse(e, "insufficient repayment");
        e->close = true;
        e->burn = debt;
        e->d[u][STABLE] -= (int64_t)debt;
        for (int a = 0; a < STABLE; a++) {
            e->d[P[id].owner][a] += (int64_t)P[id].amt[a];
            e->d[ENG][a] -= (int64_t)P[id].amt[a];
        }
    } else if (debt == 0) {
        refuse(e, "nothing to repay");
    } else {
        e->new_pos = P[id];
        if (x >= debt) {
            e->new_pos.n = 0;
            e->burn = debt;
        } else {
            e->new_pos.n -= norm_of(x, s->acc[m], false);
            uint64_t nd = debt_of(e->new_pos.n, s->acc[m]);
            if (nd > 0 && nd < M[m].min_debt) refuse(e, "debt below min_debt");
            e->burn = x;
        }
        e->d[u][STABLE] -= (int64_t)e->burn;
    }
    char inner[64];
    snprintf(inner, sizeof inner, "{\"%s\":{\"position_id\":%d}}", close ? "close" : "repay", id);
    return send_cw20(TOKEN, USER[u], x, inner);
}

static hs_result act_close(const snap *s, expect *e) {
    int id = pick_position(), u = pick_user_for(id);
    snprintf(e->label, sizeof e->label, "close user%d pos %d", u, id);
    e->pos = id;
    if (owns(e, u, id)) {
        if (s->pos_debt[id] > 0) refuse(e, "position has debt");
        e->close = true;
        for (int a = 0; a < STABLE; a++) {
            e->d[P[id].owner][a] += (int64_t)P[id].amt[a];
            e->d[ENG][a] -= (int64_t)P[id].amt[a];
        }
    }
    return exm(USER[u], ENGINE, NULL, 0, fmt("{\"close\":{\"position_id\":%d}}", id));
}

static hs_result act_transfer(expect *e) {
    int id = pick_position(), u = pick_user_for(id), to = (int)below(NU);
    snprintf(e->label, sizeof e->label, "transfer user%d pos %d to user%d", u, id, to);
    e->pos = id;
    if (owns(e, u, id)) {
        e->new_pos = P[id];
        e->new_pos.owner = to;
    }
    return exm(
        USER[u], ENGINE, NULL, 0,
        fmt("{\"transfer_position\":{\"position_id\":%d,\"new_owner\":\"%s\"}}", id, USER[to]));
}

/* Risk parameter sets: valid (0 < ltv < lt < 1, lp ≤ 0.5, lt·(1+lp) ≤ 1), then invalid ones. */
static const char *RISK[][3] = {{"0.5", "0.6", "0.1"},   {"0.4", "0.5", "0.1"},
                                {"0.8", "0.85", "0.05"}, {"0.65", "0.8", "0.25"},
                                {"0.3", "0.4", "0.5"},   {"0.75", "0.75", "0.1"},
                                {"0.5", "0.95", "0.1"},  {"0.5", "0.6", "0.6"}};

static hs_result act_governance(const snap *s, expect *e) {
    int m = (int)below(NM);
    bool by_gov = !chance(5);
    const char *sender = by_gov ? GOV : USER[below(NU)];
    if (!by_gov) refuse(e, "unauthorized: governance only");
    char *msg;
    switch (below(4)) {
    case 0: { /* market fee, ceiling, min_debt */
        static const char *fees[] = {"0", "0.01", "0.05", "0.1", "0.2"};
        const char *fee = fees[below(5)];
        uint64_t floor_debt = s->debt_now[m];
        uint64_t ceiling = chance(20) ? floor_debt + below(1000) : 1000000000ull + below(5) * 1e9;
        bool force = chance(50);
        if (chance(10)) ceiling = floor_debt > 0 ? floor_debt - 1 : 0;
        if (ceiling < floor_debt && !force) refuse(e, "debt_ceiling");
        uint64_t min_debt = below(4) * 500;
        snprintf(e->label, sizeof e->label, "update_market %s fee %s ceiling %llu min %llu%s",
                 MARKET[m], fee, (unsigned long long)ceiling, (unsigned long long)min_debt,
                 force ? " force" : "");
        msg = fmt("{\"update_market\":{\"id\":\"%s\",\"stability_fee\":\"%s\",\"debt_ceiling\":"
                  "\"%llu\",\"min_debt\":\"%llu\",\"force\":%s}}",
                  MARKET[m], fee, (unsigned long long)ceiling, (unsigned long long)min_debt,
                  force ? "true" : "false");
        e->gov = 1;
        e->g_m = m;
        e->g_u1 = ceiling;
        e->g_u2 = min_debt;
        break;
    }
    case 1:
    case 2: { /* collateral risk parameters and cap */
        int a;
        do a = (int)below(STABLE);
        while (!M[m].coll[a].listed);
        int r = (int)below(8);
        if (r >= 5) refuse(e, "invalid parameters");
        uint64_t total = market_total(m, a);
        uint64_t cap = chance(30) ? total + below(100000000) : 500000000ull + below(2000000000);
        bool force = chance(50);
        if (cap < total && !force) refuse(e, "supply_cap");
        snprintf(e->label, sizeof e->label, "update_collateral %s %d %s/%s/%s cap %llu%s",
                 MARKET[m], a, RISK[r][0], RISK[r][1], RISK[r][2], (unsigned long long)cap,
                 force ? " force" : "");
        msg = fmt("{\"update_collateral\":{\"market\":\"%s\",\"asset\":\"%s\",\"max_ltv\":\"%s\","
                  "\"liquidation_threshold\":\"%s\",\"liquidation_penalty\":\"%s\","
                  "\"supply_cap\":\"%llu\",\"force\":%s}}",
                  MARKET[m], asset_name(a), RISK[r][0], RISK[r][1], RISK[r][2],
                  (unsigned long long)cap, force ? "true" : "false");
        e->gov = 2;
        e->g_m = m;
        e->g_a = a;
        e->g_u1 = cap;
        for (int k = 0; k < 3; k++) e->g_s[k] = RISK[r][k];
        break;
    }
    default: { /* global debt ceiling */
        uint64_t c = chance(25) ? s->total_debt + below(100000) : 2000000000ull + below(8) * 1e9;
        bool force = chance(50);
        if (c < s->total_debt && !force) refuse(e, "global_debt_ceiling");
        snprintf(e->label, sizeof e->label, "update_config global ceiling %llu%s",
                 (unsigned long long)c, force ? " force" : "");
        msg = fmt("{\"update_config\":{\"global_debt_ceiling\":\"%llu\",\"force\":%s}}",
                  (unsigned long long)c, force ? "true" : "false");
        e->gov = 3;
        e->g_u1 = c;
        break;
    }
    }
    return exm(sender, ENGINE, NULL, 0, msg);
}

/* Reference prices in micro-units, moved by feeders within max_move (sometimes beyond it). */
static uint64_t ref_price[ND] = {10000000, 2000000, 3000000, 1000000, 500000};
static const uint64_t INIT_PRICE[ND] = {10000000, 2000000, 3000000, 1000000, 500000};

static char *price_text(uint64_t micro) {
    return fmt("%llu.%06llu", (unsigned long long)(micro / 1000000),
               (unsigned long long)(micro % 1000000));
}

static hs_result act_oracle(expect *e) {
    int d = (int)below(ND);
    e->unsure = true;
    if (chance(6)) { /* governance: confirm a pending move, or override */
        if (chance(50)) {
            snprintf(e->label, sizeof e->label, "oracle confirm_price %s", ODENOM[d]);
            return exm(GOV, ORACLE, NULL, 0,
                       fmt("{\"confirm_price\":{\"denom\":\"%s\"}}", ODENOM[d]));
        }
        char *p = price_text(ref_price[d]);
        snprintf(e->label, sizeof e->label, "oracle set_price %s %s", ODENOM[d], p);
        hs_result r = exm(GOV, ORACLE, NULL, 0,
                          fmt("{\"set_price\":{\"denom\":\"%s\",\"price\":\"%s\"}}", ODENOM[d], p));
        free(p);
        return r;
    }
    int64_t move = chance(4) ? (chance(50) ? 400 : -300) : (int64_t)below(201) - 100; /* ‰ */
    uint64_t next = (uint64_t)((int64_t)ref_price[d] + (int64_t)ref_price[d] * move / 1000);
    if (next < INIT_PRICE[d] / 5) next = INIT_PRICE[d] / 5;
    if (next > INIT_PRICE[d] * 5) next = INIT_PRICE[d] * 5;
    ref_price[d] = next;
    int f = (int)below(3);
    char *p = price_text(next);
    snprintf(e->label, sizeof e->label, "oracle feeder%d %s %s", f, ODENOM[d], p);
    hs_result r = exm(FEEDER[f], ORACLE, NULL, 0,
                      fmt("{\"submit_price\":{\"denom\":\"%s\",\"price\":\"%s\"}}", ODENOM[d], p));
    free(p);
    return r;
}

static hs_result act_donate(expect *e) {
    int a = (int)below(5), u = (int)below(NU);
    uint64_t amt = 1 + below(1000);
    snprintf(e->label, sizeof e->label, "donate user%d %llu asset %d", u, (unsigned long long)amt,
             a);
    e->donate[a] = (int64_t)amt;
    e->d[ENG][a] += (int64_t)amt;
    if (a < 3) { /* minted straight to the engine: a transaction of its own, cannot fail */
        mint_native(ENGINE, NATIVE[a], amt);
        return (hs_result){.ok = true};
    }
    e->d[u][a] -= (int64_t)amt;
    return exm(USER[u], asset_name(a), NULL, 0,
               fmt("{\"transfer\":{\"recipient\":\"%s\",\"amount\":\"%llu\"}}", ENGINE,
                   (unsigned long long)amt));
}

static void apply_governance(const expect *e) {
    if (e->gov == 1) {
        M[e->g_m].ceiling = e->g_u1;
        M[e->g_m].min_debt = e->g_u2;
    } else if (e->gov == 2) {
        coll_param *c = &M[e->g_m].coll[e->g_a];
        set_coll(e->g_m, e->g_a, c->cw20, e->g_s[0], e->g_s[1], e->g_s[2], e->g_u1);
    }
}

/* Position health answers the limit the test recomputes, and the position is within it. */
static void check_within_limit(const snap *s, int id) {
    uint64_t lim;
    cr_assert(limit_of(s, P[id].market, P[id].amt, &lim));
    json_t *h = qj(ENGINE, "{\"position_health\":{\"position_id\":%d}}", id);
    check(ju(h, "borrow_limit") == lim, "position %d health borrow_limit %llu, recomputed %llu", id,
          (unsigned long long)ju(h, "borrow_limit"), (unsigned long long)lim);
    check(ju(h, "debt") == s->pos_debt[id] && s->pos_debt[id] <= lim,
          "position %d over its limit after success: debt %llu > limit %llu", id,
          (unsigned long long)s->pos_debt[id], (unsigned long long)lim);
    check(json_is_true(json_object_get(h, "within_borrow_limit")), "within_borrow_limit false");
    json_decref(h);
}

typedef struct stats {
    long ok, refused, by_kind[16][2];
    char reason[64][48]; /* refusal leading phrases (text before the first ':' or '(') */
    long reason_n[64];
    int n_reasons;
} stats;

static void tally_refusal(stats *st, int kind, const char *error) {
    char key[48];
    size_t n = strcspn(error, ":(0123456789");
    if (n > 30) n = 30;
    snprintf(key, sizeof key, "%d %.*s", kind, (int)n, error);
    for (int i = 0; i < st->n_reasons; i++)
        if (strcmp(st->reason[i], key) == 0) {
            st->reason_n[i]++;
            return;
        }
    if (st->n_reasons < 64) {
        snprintf(st->reason[st->n_reasons], sizeof st->reason[0], "%s", key);
        st->reason_n[st->n_reasons++] = 1;
    }
}

Test(vault_random, sequence_keeps_every_invariant, .timeout = 600) {
    setup_markets();
    for (int f = 0; f < 3; f++)
        for (int d = 0; d < ND; d++) {
            char *p = price_text(INIT_PRICE[d]);
            submit(f, ODENOM[d], p);
            free(p);
        }
    rng_state = SEED;
    const char *env = getenv("VAULT_RANDOM_STEPS");
    long steps = env ? atol(env) : DEFAULT_STEPS;
    static const char *KIND[] = {"open",     "deposit",  "deposit_cw20", "withdraw",
                                 "borrow",   "repay",    "close_send",   "close",
                                 "transfer", "gov",      "oracle",       "time",
                                 "donate",   "(unused)", "(unused)",     "(unused)"};
    static const int WEIGHT[] = {7, 9, 7, 10, 20, 11, 3, 3, 3, 5, 18, 8, 2};
    int total_w = 0;
    for (size_t k = 0; k < sizeof WEIGHT / sizeof *WEIGHT; k++) total_w += WEIGHT[k];
    stats st = {0};
    snap before, after;
    snap_init(&before);
    snap_init(&after);
    step_no = 0;
    take_snapshot(&before);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (step_no = 1; step_no <= steps; step_no++) {
        int kind = 0, w = (int)below((uint64_t)total_w);
        while (w >= WEIGHT[kind]) w -= WEIGHT[kind++];
        expect *e = calloc(1, sizeof *e);
        e->pos = -1;
        int alive = 0;
        for (int i = 0; i < MAXP; i++) alive += P[i].alive;
        if (kind == 0 && (alive > 40 || next_id + 4 >= MAXP)) kind = 7; /* keep the set bounded */
        hs_result r;
        prefer = kind == 3                ? WITH_COLLATERAL
                 : kind == 4              ? WITH_ROOM
                 : kind == 5 || kind == 6 ? WITH_DEBT
                                          : ANY;
        current = &before;
        switch (kind) {
        case 0:
            r = act_open(&before, e);
            break;
        case 1:
            r = act_deposit(&before, e, false);
            break;
        case 2:
            r = act_deposit(&before, e, true);
            break;
        case 3:
            r = act_withdraw(&before, e);
            break;
        case 4:
            r = act_borrow(&before, e);
            break;
        case 5:
            r = act_repay(&before, e, false);
            break;
        case 6:
            r = act_repay(&before, e, true);
            break;
        case 7:
            r = act_close(&before, e);
            break;
        case 8:
            r = act_transfer(e);
            break;
        case 9:
            r = act_governance(&before, e);
            break;
        case 10:
            r = act_oracle(e);
            break;
        case 12:
            r = act_donate(e);
            break;
        default: { /* time: blocks, sometimes past max_age (stale), sometimes days of fees */
            uint64_t secs = chance(60)   ? 5
                            : chance(50) ? 60 + below(600)
                            : chance(60) ? 700
                                         : 86400 * (1 + below(40));
            snprintf(e->label, sizeof e->label, "advance %llu s", (unsigned long long)secs);
            hs_block_advance(C, 1, secs);
            r = (hs_result){.ok = true};
            break;
        }
        }
        st.by_kind[kind][r.ok ? 0 : 1]++;
        if (!e->unsure && kind != 11) {
            if (e->n_why == 0)
                check(r.ok, "%s: expected success, got: %s", e->label, r.error);
            else if (r.ok)
                check(false, "%s: expected refusal (%s), but it succeeded", e->label, e->why[0]);
            else {
                bool named = false;
                for (int k = 0; k < e->n_why; k++) named |= strstr(r.error, e->why[k]) != NULL;
                check(named, "%s: refused with '%s', expected one of '%s'%s%s", e->label, r.error,
                      e->why[0], e->n_why > 1 ? ", '" : "", e->n_why > 1 ? e->why[1] : "");
            }
        }
        if (r.ok) {
            st.ok++;
            if (e->opened) {
                cr_assert_eq(opened_id(&r), next_id);
                P[next_id++] = e->new_pos;
            } else if (e->close) {
                P[e->pos].alive = false;
            } else if (e->pos >= 0 && e->pos < MAXP && P[e->pos].alive) {
                P[e->pos] = e->new_pos;
            }
            minted += e->mint;
            burned += e->burn;
            for (int a = 0; a < NA; a++) donated[a] += e->donate[a];
            apply_governance(e);
        } else {
            st.refused++;
            tally_refusal(&st, kind, r.error);
        }
        snap_clear(&after);
        snap_init(&after);
        take_snapshot(&after);
        if (kind != 11) {
            if (r.ok && !e->unsure) {
                for (int h = 0; h < NH; h++)
                    for (int a = 0; a < NA; a++)
                        check(after.bal[h][a] == before.bal[h][a] + e->d[h][a],
                              "%s: holder %d asset %d balance %lld, expected %lld + %lld", e->label,
                              h, a, (long long)after.bal[h][a], (long long)before.bal[h][a],
                              (long long)e->d[h][a]);
                if (e->check_limit) check_within_limit(&after, (int)e->pos);
            } else if (!r.ok) {
                check(strcmp(before.digest, after.digest) == 0,
                      "%s: refused (%s) but the state changed", e->label, r.error);
            }
        }
        hs_result_free(&r);
        free(e);
        snap tmp = before;
        before = after;
        after = tmp;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int alive = 0;
    for (int i = 0; i < MAXP; i++) alive += P[i].alive;
    cr_log_info("vault_random: %ld steps in %.1f s (%.2f ms/step): %ld succeeded, %ld refused; "
                "%llu positions opened, %d open; minted %llu, burned %llu, surplus %llu",
                steps, secs, secs * 1e3 / (double)steps, st.ok, st.refused,
                (unsigned long long)(next_id - 1), alive, (unsigned long long)minted,
                (unsigned long long)burned, (unsigned long long)before.surplus);
    for (int k = 0; k < 13; k++)
        cr_log_info("  %-13s ok %5ld  refused %5ld", KIND[k], st.by_kind[k][0], st.by_kind[k][1]);
    for (int i = 0; i < st.n_reasons; i++) {
        int k = atoi(st.reason[i]);
        cr_log_info("  refused %-13s %5ld x %s", KIND[k], st.reason_n[i],
                    strchr(st.reason[i], ' ') + 1);
    }
    /* the run must have exercised both outcomes of the main actions */
    for (int k = 0; k <= 5; k++)
        cr_expect(st.by_kind[k][0] > 0 && st.by_kind[k][1] > 0, "%s: ok %ld refused %ld", KIND[k],
                  st.by_kind[k][0], st.by_kind[k][1]);
    snap_clear(&before);
    snap_clear(&after);
}

/* --- contracts/README.md worked example ------------------------------------------------------ */

static char *attr(const hs_result *r, const char *key) {
    char want[64];
    snprintf(want, sizeof want, "{\"key\":\"%s\",\"value\":\"", key);
    const char *p = strstr(r->events, want);
    cr_assert(p, "no attribute %s in %s", key, r->events);
    p += strlen(want);
    return strndup(p, strcspn(p, "\""));
}

static void answer_is(json_t *j, const char *key, const char *want) {
    json_t *v = json_object_get(j, key);
    char *d = json_is_string(v) ? strdup(json_string_value(v))
                                : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    cr_assert_str_eq(d, want, "%s in %s", key, json_dumps(j, JSON_COMPACT));
    free(d);
}

static void both_feeders(const char *denom, const char *price) {
    submit(0, denom, price);
    submit(1, denom, price);
}

/* Every number of contracts/README.md §4 comes from here: keep them in step. */
Test(vault_random, readme_worked_example) {
    ok(gov_engine(fmt("{\"create_market\":{\"id\":\"usd\",\"stability_fee\":\"0.05\","
                      "\"debt_ceiling\":\"1000000000000\",\"min_debt\":\"1000000\"}}")));
    ok(gov_engine(fmt("{\"add_collateral\":{\"market\":\"usd\",\"asset\":\"uatom\",\"kind\":"
                      "\"native\",\"oracle_denom\":\"uatom\",\"max_ltv\":\"0.5\","
                      "\"liquidation_threshold\":\"0.6\",\"liquidation_penalty\":\"0.1\","
                      "\"supply_cap\":\"1000000000000\"}}")));
    both_feeders("uatom", "10");
    json_t *j = qj(ENGINE, "{\"market\":{\"id\":\"usd\"}}");
    answer_is(j, "rate_per_second", "1.00000000154712595786321245");
    json_decref(j);

    /* 1. open with 4,000,000 uatom, 2. deposit 6,000,000 more */
    hs_result r =
        exm(USER[0], ENGINE, "uatom", 4000000, fmt("{\"open_position\":{\"market\":\"usd\"}}"));
    cr_assert(r.ok, "%s", r.error);
    cr_assert_eq(opened_id(&r), 1);
    hs_result_free(&r);
    ok(exm(USER[0], ENGINE, "uatom", 6000000, fmt("{\"deposit\":{\"position_id\":1}}")));

    /* 3. borrow 20,000,000 (limit floor(10,000,000 · 10 · 0.5) = 50,000,000) */
    r = exm(USER[0], ENGINE, NULL, 0,
            fmt("{\"borrow\":{\"position_id\":1,\"amount\":\"20000000\"}}"));
    cr_assert(r.ok, "%s", r.error);
    char *v = attr(&r, "normalised_debt");
    cr_assert_str_eq(v, "20000000");
    free(v);
    hs_result_free(&r);
    j = qj(ENGINE, "{\"position_health\":{\"position_id\":1}}");
    answer_is(j, "debt", "20000000");
    answer_is(j, "borrow_limit", "50000000");
    answer_is(j, "liquidation_value", "60000000");
    answer_is(j, "health", "3");
    json_decref(j);

    /* 4. one year (31,536,000 s) at 5 %/yr */
    hs_block_advance(C, 1, 31536000);
    both_feeders("uatom", "10"); /* the old price is stale after max_age 600 s */
    j = qj(ENGINE, "{\"market\":{\"id\":\"usd\"}}");
    answer_is(j, "accumulator", "1.050000000000000000046687778");
    answer_is(j, "debt", "21000001");
    answer_is(j, "surplus", "1000001");
    json_decref(j);
    j = qj(ENGINE, "{\"position_health\":{\"position_id\":1}}");
    answer_is(j, "debt", "21000001");
    answer_is(j, "health", "2.857142721088441852");
    json_decref(j);

    /* 5. repay 1,000,000 through a CW20 send: normalised debt −floor(1,000,000 / A) */
    char *m = b64("{\"repay\":{\"position_id\":1}}");
    r = exm(
        USER[0], TOKEN, NULL, 0,
        fmt("{\"send\":{\"contract\":\"%s\",\"amount\":\"1000000\",\"msg\":\"%s\"}}", ENGINE, m));
    free(m);
    cr_assert(r.ok, "%s", r.error);
    v = attr(&r, "normalised_debt");
    cr_assert_str_eq(v, "19047620");
    free(v);
    v = attr(&r, "debt");
    cr_assert_str_eq(v, "20000002"); /* ceil(19,047,620 · A): 20,000,001.00000000000088… */
    free(v);
    hs_result_free(&r);
    j = qj(ENGINE, "{\"totals\":{}}");
    answer_is(j, "total_debt", "20000002");
    answer_is(j, "minted", "20000000");
    answer_is(j, "burned", "1000000");
    answer_is(j, "surplus", "1000002"); /* + 1 unit of rounding dust from the repay */
    json_decref(j);

    /* 6. close: send 20,100,000 with {"close":…}; the debt is burned, the rest refunded */
    m = b64("{\"close\":{\"position_id\":1}}");
    r = exm(
        USER[0], TOKEN, NULL, 0,
        fmt("{\"send\":{\"contract\":\"%s\",\"amount\":\"20100000\",\"msg\":\"%s\"}}", ENGINE, m));
    free(m);
    cr_assert(r.ok, "%s", r.error);
    v = attr(&r, "repaid");
    cr_assert_str_eq(v, "20000002");
    free(v);
    v = attr(&r, "refund");
    cr_assert_str_eq(v, "99998");
    free(v);
    hs_result_free(&r);
    j = qj(ENGINE, "{\"accounting\":{}}");
    answer_is(j, "total_debt", "0");
    answer_is(j, "minted", "20000000");
    answer_is(j, "burned", "21000002");
    answer_is(j, "surplus", "1000002");
    answer_is(j, "identity_holds", "true");
    json_decref(j);
    char out[64];
    cr_assert_eq(hs_balance(C, USER[0], "uatom", out, sizeof out), 0);
    cr_assert_str_eq(out, "10000000000"); /* all collateral back */
    j = qj(TOKEN, "{\"balance\":{\"address\":\"%s\"}}", USER[0]);
    answer_is(j, "balance", "998999998"); /* 10^9 + 20,000,000 − 21,000,002 */
    json_decref(j);
}

/* --- Regression: a governance set_price alone prices a collateral ------------------------------
 */

/* Helper reports said the oracle's `price` query answered "quorum not met (0 fresh of 1
 * required)" after a governance set_price with no feeder submission (fixed by 83efe4d?). */
Test(vault_random, governance_set_price_alone_prices_positions) {
    ok(exm(GOV, ORACLE, NULL, 0,
           fmt("{\"set_asset\":{\"denom\":\"ugov\",\"source\":\"feeders\"}}")));
    ok(exm(GOV, ORACLE, NULL, 0, fmt("{\"set_price\":{\"denom\":\"ugov\",\"price\":\"4\"}}")));
    json_t *j = qj(ORACLE, "{\"price\":{\"denom\":\"ugov\"}}");
    answer_is(j, "price", "4");
    json_decref(j);
    ok(gov_engine(fmt("{\"create_market\":{\"id\":\"gov\",\"stability_fee\":\"0\","
                      "\"debt_ceiling\":\"1000000000\",\"min_debt\":\"0\"}}")));
    ok(gov_engine(fmt("{\"add_collateral\":{\"market\":\"gov\",\"asset\":\"ugov\",\"kind\":"
                      "\"native\",\"oracle_denom\":\"ugov\",\"max_ltv\":\"0.5\","
                      "\"liquidation_threshold\":\"0.6\",\"liquidation_penalty\":\"0.1\","
                      "\"supply_cap\":\"1000000000\"}}")));
    mint_native(USER[0], "ugov", 1000);
    hs_result r =
        exm(USER[0], ENGINE, "ugov", 1000, fmt("{\"open_position\":{\"market\":\"gov\"}}"));
    cr_assert(r.ok, "%s", r.error);
    uint64_t id = opened_id(&r);
    hs_result_free(&r);
    ok(exm(USER[0], ENGINE, NULL, 0,
           fmt("{\"borrow\":{\"position_id\":%llu,\"amount\":\"2000\"}}", (unsigned long long)id)));
    j = qj(ENGINE, "{\"position_health\":{\"position_id\":%llu}}", (unsigned long long)id);
    answer_is(j, "borrow_limit", "2000"); /* floor(1000 · 4 · 0.5) */
    answer_is(j, "liquidation_value", "2400");
    answer_is(j, "health", "1.2");
    answer_is(j, "within_borrow_limit", "true");
    json_decref(j);
    /* the override stays valid for max_age (600 s) without submissions, then goes stale */
    hs_block_advance(C, 1, 600);
    json_decref(qj(ENGINE, "{\"position_health\":{\"position_id\":%llu}}", (unsigned long long)id));
    hs_block_advance(C, 1, 1);
    r = hs_query(C, ENGINE, "{\"position_health\":{\"position_id\":1}}");
    cr_assert(!r.ok && strstr(r.error, "no valid price for ugov"), "%s", r.ok ? r.answer : r.error);
    hs_result_free(&r);
}

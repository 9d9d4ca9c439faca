/* bench_vault.c — `make bench`: gas per vault_engine borrow and repay (CosmWasm gas and Cosmos SDK
 * gas, whole transaction, metered) on host-sim with the real vault_engine, stable_token, oracle and
 * cw20-base .wasm; one small table, with the mean time per transaction.
 *
 * usage: bench_vault [N]   (N positions per row, default 50) */
#include <errno.h>
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
#define BENCH_CACHE "build/bench/cache"

static hs_chain *C;
static char ENGINE[128], TOKEN[128], ORACLE[128], CW20[128], GOV[128], ALICE[128];

static void die(const char *what, const char *why) {
    fprintf(stderr, "bench_vault: %s: %s\n", what, why ? why : "unknown error");
    exit(1);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static uint64_t store(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *w = malloc((size_t)n);
    if (!w || fread(w, 1, (size_t)n, f) != (size_t)n) die(path, "read failed");
    fclose(f);
    hs_result r = hs_store_code(C, GOV, w, (size_t)n);
    free(w);
    if (!r.ok) die(path, r.error);
    uint64_t id = r.code_id;
    hs_result_free(&r);
    return id;
}

static void instantiate(uint64_t code, char *out, const char *msg) {
    hs_result r = hs_instantiate(C, code, GOV, msg, NULL, 0, "bench", NULL);
    if (!r.ok) die(msg, r.error);
    snprintf(out, 128, "%s", r.address);
    hs_result_free(&r);
}

/* Execute; dies on failure; returns the result for its gas figures (caller frees). */
static hs_result run(const char *sender, const char *contract, const hs_coin *coin, const char *fmt,
                     ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hs_result r = hs_execute(C, contract, sender, msg, coin, coin ? 1 : 0);
    if (!r.ok) die(msg, r.error);
    return r;
}

static void done(hs_result r) {
    hs_result_free(&r);
}

static void send_stable(const char *hook, int id, const char *amount, hs_result *out) {
    char inner[96], b64[160];
    snprintf(inner, sizeof inner, "{\"%s\":{\"position_id\":%d}}", hook, id);
    sodium_bin2base64(b64, sizeof b64, (const uint8_t *)inner, strlen(inner),
                      sodium_base64_VARIANT_ORIGINAL);
    *out =
        run(ALICE, TOKEN, NULL, "{\"send\":{\"contract\":\"%s\",\"amount\":\"%s\",\"msg\":\"%s\"}}",
            ENGINE, amount, b64);
}

typedef struct row {
    const char *what;
    double gas, sdk, us;
    int n;
} row;

static void add(row *w, const hs_result *r, double us) {
    w->gas += (double)r->gas_used;
    w->sdk += (double)r->sdk_gas_used;
    w->us += us;
    w->n++;
}

static void setup(void) {
    hs_chain_config cfg;
    hs_chain_config_default(&cfg);
    if (system("mkdir -p " BENCH_CACHE) != 0) die("mkdir", BENCH_CACHE);
    cfg.cache_dir = BENCH_CACHE;
    char *err = NULL;
    if (hs_chain_open(&cfg, &C, &err)) die("hs_chain_open", err);
    hs_address(C, "gov", GOV, sizeof GOV);
    hs_address(C, "alice", ALICE, sizeof ALICE);
    uint64_t token = store(TOKEN_WASM), engine = store(ENGINE_WASM), oracle = store(ORACLE_WASM),
             cw20 = store(CW20_WASM);
    char msg[1024];
    snprintf(msg, sizeof msg,
             "{\"governance\":\"%s\",\"feeders\":[\"%s\"],\"quorum\":1,\"max_age\":3600,"
             "\"max_move\":\"0.2\",\"delay\":0,\"assets\":[{\"denom\":\"uatom\",\"source\":"
             "\"feeders\"},{\"denom\":\"uosmo\",\"source\":\"feeders\"},{\"denom\":\"ucw\","
             "\"source\":\"feeders\"}]}",
             GOV, GOV);
    instantiate(oracle, ORACLE, msg);
    snprintf(msg, sizeof msg,
             "{\"name\":\"Ballast USD\",\"symbol\":\"BUSD\",\"decimals\":6,\"initial_balances\":"
             "[{\"address\":\"%s\",\"amount\":\"1000000000000\"}],\"mint\":{\"minter\":\"%s\"}}",
             ALICE, GOV);
    instantiate(token, TOKEN, msg);
    snprintf(msg, sizeof msg,
             "{\"governance\":\"%s\",\"stable_token\":\"%s\",\"oracle\":\"%s\","
             "\"global_debt_ceiling\":\"1000000000000000\"}",
             GOV, TOKEN, ORACLE);
    instantiate(engine, ENGINE, msg);
    done(run(GOV, TOKEN, NULL, "{\"update_minter\":{\"new_minter\":\"%s\"}}", ENGINE));
    snprintf(msg, sizeof msg,
             "{\"name\":\"Collateral\",\"symbol\":\"CWT\",\"decimals\":6,\"initial_balances\":"
             "[{\"address\":\"%s\",\"amount\":\"1000000000000\"}]}",
             ALICE);
    instantiate(cw20, CW20, msg);
    done(run(GOV, ENGINE, NULL,
             "{\"create_market\":{\"id\":\"atom\",\"stability_fee\":\"0.05\",\"debt_ceiling\":"
             "\"1000000000000000\",\"min_debt\":\"100\"}}"));
    const char *assets[3][3] = {
        {"uatom", "native", "uatom"}, {"uosmo", "native", "uosmo"}, {CW20, "cw20", "ucw"}};
    for (int i = 0; i < 3; i++)
        done(run(GOV, ENGINE, NULL,
                 "{\"add_collateral\":{\"market\":\"atom\",\"asset\":\"%s\",\"kind\":\"%s\","
                 "\"oracle_denom\":\"%s\",\"max_ltv\":\"0.5\",\"liquidation_threshold\":\"0.6\","
                 "\"liquidation_penalty\":\"0.1\",\"supply_cap\":\"1000000000000000\"}}",
                 assets[i][0], assets[i][1], assets[i][2]));
    const char *prices[3][2] = {{"uatom", "10"}, {"uosmo", "2"}, {"ucw", "1"}};
    for (int i = 0; i < 3; i++)
        done(run(GOV, ORACLE, NULL, "{\"submit_price\":{\"denom\":\"%s\",\"price\":\"%s\"}}",
                 prices[i][0], prices[i][1]));
    hs_coin coins[2] = {{"uatom", "1000000000000"}, {"uosmo", "1000000000000"}};
    if (hs_mint(C, ALICE, coins, 2, &err)) die("mint", err);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 50;
    if (n <= 0) die("N", "must be positive");
    if (sodium_init() < 0) die("sodium_init", NULL);
    setup();
    row rows[] = {{"borrow (first, 1 collateral)", 0, 0, 0, 0},
                  {"borrow (again, 1 collateral)", 0, 0, 0, 0},
                  {"borrow (basket of 3: 2 native + cw20)", 0, 0, 0, 0},
                  {"repay part (CW20 send, hook repay)", 0, 0, 0, 0},
                  {"repay all + refund (CW20 send, hook repay)", 0, 0, 0, 0},
                  {"repay all + close (CW20 send, hook close)", 0, 0, 0, 0}};
    hs_coin atom = {"uatom", "1000000"}, osmo = {"uosmo", "1000000"};
    char b64[96];
    for (int i = 0; i < n; i++) {
        /* a one-collateral position and a three-collateral basket */
        done(run(ALICE, ENGINE, &atom, "{\"open_position\":{\"market\":\"atom\"}}"));
        int single = 2 * i + 1;
        done(run(ALICE, ENGINE, &atom, "{\"open_position\":{\"market\":\"atom\"}}"));
        int basket = 2 * i + 2;
        done(run(ALICE, ENGINE, &osmo, "{\"deposit\":{\"position_id\":%d}}", basket));
        char inner[64];
        snprintf(inner, sizeof inner, "{\"deposit\":{\"position_id\":%d}}", basket);
        sodium_bin2base64(b64, sizeof b64, (const uint8_t *)inner, strlen(inner),
                          sodium_base64_VARIANT_ORIGINAL);
        done(run(ALICE, CW20, NULL,
                 "{\"send\":{\"contract\":\"%s\",\"amount\":\"1000000\",\"msg\":\"%s\"}}", ENGINE,
                 b64));
        hs_block_advance(C, 1, 5);
        double t0 = now_us();
        hs_result r = run(ALICE, ENGINE, NULL,
                          "{\"borrow\":{\"position_id\":%d,\"amount\":\"1000000\"}}", single);
        add(&rows[0], &r, now_us() - t0);
        hs_result_free(&r);
        t0 = now_us();
        r = run(ALICE, ENGINE, NULL, "{\"borrow\":{\"position_id\":%d,\"amount\":\"1000000\"}}",
                single);
        add(&rows[1], &r, now_us() - t0);
        hs_result_free(&r);
        t0 = now_us();
        r = run(ALICE, ENGINE, NULL, "{\"borrow\":{\"position_id\":%d,\"amount\":\"3000000\"}}",
                basket);
        add(&rows[2], &r, now_us() - t0);
        hs_result_free(&r);
        hs_block_advance(C, 1, 5);
        t0 = now_us();
        send_stable("repay", single, "500000", &r);
        add(&rows[3], &r, now_us() - t0);
        hs_result_free(&r);
        t0 = now_us();
        send_stable("repay", single, "2000000", &r);
        add(&rows[4], &r, now_us() - t0);
        hs_result_free(&r);
        t0 = now_us();
        send_stable("close", basket, "3100000", &r);
        add(&rows[5], &r, now_us() - t0);
        hs_result_free(&r);
    }
    printf("\nvault_engine gas per transaction (mean of %d; whole tx incl. stable_token mint/burn "
           "and refunds)\n\n",
           n);
    printf("%-44s %18s %10s %10s\n", "operation", "CosmWasm gas", "SDK gas", "us/tx");
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        printf("%-44s %18.0f %10.0f %10.1f\n", rows[i].what, rows[i].gas / rows[i].n,
               rows[i].sdk / rows[i].n, rows[i].us / rows[i].n);
    printf("(SDK gas = CosmWasm gas / %u, rounded up; us/tx on whichever tier the engine has "
           "compiled by then)\n\n",
           HS_GAS_MULTIPLIER);
    hs_chain_close(C);
    return 0;
}

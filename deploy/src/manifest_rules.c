/* manifest_rules.c — the deploy manifest's cross-field rules: the contracts' own checks that
 * involve several fields (max_ltv < liquidation_threshold, threshold · (1 + penalty) <= 1,
 * quorum <= feeders, …), uniqueness, references (oracle denoms, tokens, the cw20 code) and the
 * manifest's safety rules on auctions. List and texts: deploy/MANIFEST.md §4. */
#include <string.h>

#include "manifest_internal.h"

static bool same(const char *a, const char *b) {
    return a && b && strcmp(a, b) == 0;
}

static void check_contracts(const dep_manifest *m, dep_errors *e) {
    if (m->token_count > 0 && !m->sources[DEP_CONTRACT_CW20_BASE])
        dep_errors_add(e, "contracts.cw20_base",
                       "missing field (the tokens are instantiated "
                       "from it)");
}

static void check_oracle(const dep_manifest *m, dep_errors *e) {
    const dep_oracle *o = &m->oracle;
    char p[DEP_PATH_CAP], q[DEP_PATH_CAP];
    for (size_t i = 0; i < o->feeder_count; i++)
        for (size_t j = 0; j < i; j++)
            if (o->feeders[i].ok && o->feeders[j].ok &&
                same(o->feeders[i].address, o->feeders[j].address)) {
                dep_path_index(p, "oracle.feeders", i);
                dep_path_index(q, "oracle.feeders", j);
                dep_errors_add(e, p, "\"%s\" is a duplicate of %s (%s)", o->feeders[i].text, q,
                               o->feeders[i].address);
                break;
            }
    if (o->quorum > 0 && o->feeders && o->quorum > o->feeder_count)
        dep_errors_add(e, "oracle.quorum", "%u must be <= the number of feeders %zu", o->quorum,
                       o->feeder_count);
    for (size_t i = 0; i < o->asset_count; i++)
        for (size_t j = 0; j < i; j++)
            if (same(o->assets[i].denom, o->assets[j].denom)) {
                dep_path_index(q, "oracle.assets", i);
                dep_path_field(p, q, "denom");
                dep_path_index(q, "oracle.assets", j);
                dep_errors_add(e, p, "\"%s\" is a duplicate of %s", o->assets[i].denom, q);
                break;
            }
}

static void check_engine(const dep_manifest *m, dep_errors *e) {
    const dep_engine *g = &m->engine;
    if (g->keeper_tip.ok && g->keeper_reward_cap.ok &&
        g->keeper_tip.value > g->keeper_reward_cap.value)
        dep_errors_add(e, "engine.keeper_tip", "%s must be <= keeper_reward_cap %s",
                       g->keeper_tip.text, g->keeper_reward_cap.text);
}

static void check_tokens(const dep_manifest *m, dep_errors *e) {
    char p[DEP_PATH_CAP], q[DEP_PATH_CAP];
    for (size_t i = 0; i < m->token_count; i++)
        for (size_t j = 0; j < i; j++)
            if (same(m->tokens[i].id, m->tokens[j].id)) {
                dep_path_index(q, "tokens", i);
                dep_path_field(p, q, "id");
                dep_path_index(q, "tokens", j);
                dep_errors_add(e, p, "\"%s\" is a duplicate of %s", m->tokens[i].id, q);
                break;
            }
}

static bool oracle_has(const dep_manifest *m, const char *denom) {
    for (size_t i = 0; i < m->oracle.asset_count; i++)
        if (same(m->oracle.assets[i].denom, denom)) return true;
    return false;
}

static void check_collateral(const dep_manifest *m, const dep_market *mk, size_t k,
                             const char *path, dep_errors *e) {
    const dep_collateral *c = &mk->collaterals[k];
    char p[DEP_PATH_CAP], q[DEP_PATH_CAP], base[DEP_PATH_CAP];
    for (size_t j = 0; j < k; j++)
        if (same(c->asset, mk->collaterals[j].asset)) {
            dep_path_field(p, path, "asset");
            /* The earlier collateral's path: the same with the last index replaced. */
            dep_path_field(base, path, "");
            char *bracket = strrchr(base, '[');
            if (bracket) *bracket = 0;
            dep_path_index(q, base, j);
            dep_errors_add(e, p, "\"%s\" is a duplicate of %s", c->asset, q);
            break;
        }
    if (c->oracle_denom && m->oracle.assets && !oracle_has(m, c->oracle_denom)) {
        dep_path_field(p, path, "oracle_denom");
        dep_errors_add(e, p, "\"%s\" is not an asset of oracle.assets", c->oracle_denom);
    }
    if (c->token >= 0 && c->decimals != m->tokens[c->token].decimals) {
        dep_path_field(p, path, "decimals");
        dep_path_index(q, "tokens", (size_t)c->token);
        dep_errors_add(e, p, "%u must equal %s.decimals %u", c->decimals, q,
                       m->tokens[c->token].decimals);
    }
    if (c->max_ltv.ok && c->liquidation_threshold.ok &&
        c->max_ltv.atomics >= c->liquidation_threshold.atomics) {
        dep_path_field(p, path, "max_ltv");
        dep_errors_add(e, p, "%s must be < liquidation_threshold %s", c->max_ltv.text,
                       c->liquidation_threshold.text);
    }
    /* threshold · (1 + penalty) <= 1, exactly: thr · (10^18 + pen) <= 10^36 (thr < 10^18 and
     * pen <= 5·10^17 keep the product below 1.5·10^36 < 2^128). */
    if (c->liquidation_threshold.ok && c->liquidation_penalty.ok &&
        c->liquidation_threshold.atomics * (DEP_DECIMAL_SCALE + c->liquidation_penalty.atomics) >
            DEP_DECIMAL_SCALE * DEP_DECIMAL_SCALE) {
        dep_path_field(p, path, "liquidation_penalty");
        dep_errors_add(e, p, "liquidation_threshold %s × (1 + %s) must be <= 100%%",
                       c->liquidation_threshold.text, c->liquidation_penalty.text);
    }
}

static void check_auction(const dep_manifest *m, const dep_auction *a, const char *path,
                          dep_errors *e) {
    char p[DEP_PATH_CAP];
    if (a->curve == DEP_CURVE_LINEAR && a->duration.ok && a->max_duration.ok &&
        a->max_duration.seconds > a->duration.seconds) {
        dep_path_field(p, path, "max_duration");
        dep_errors_add(e, p,
                       "%s must be <= curve.duration %s (a linear price reaches zero at the "
                       "end of its duration)",
                       a->max_duration.text, a->duration.text);
    }
    if (a->curve == DEP_CURVE_EXPONENTIAL && a->step.ok && a->max_duration.ok &&
        a->step.seconds > a->max_duration.seconds) {
        dep_path_field(p, path, "curve.step");
        dep_errors_add(e, p, "%s must be <= max_duration %s (the price must fall before a reset)",
                       a->step.text, a->max_duration.text);
    }
    if (!m->backstop_pool_enabled && a->backstop_health.ok && a->backstop_health.atomics > 0) {
        dep_path_field(p, path, "backstop_health");
        dep_errors_add(e, p, "%s needs backstop_pool.enabled (use \"0\" without a pool)",
                       a->backstop_health.text);
    }
}

static void check_markets(const dep_manifest *m, dep_errors *e) {
    char p[DEP_PATH_CAP], q[DEP_PATH_CAP], base[DEP_PATH_CAP];
    for (size_t i = 0; i < m->market_count; i++) {
        const dep_market *mk = &m->markets[i];
        dep_path_index(base, "markets", i);
        for (size_t j = 0; j < i; j++)
            if (same(mk->id, m->markets[j].id)) {
                dep_path_field(p, base, "id");
                dep_path_index(q, "markets", j);
                dep_errors_add(e, p, "\"%s\" is a duplicate of %s", mk->id, q);
                break;
            }
        if (mk->min_debt.ok && mk->debt_ceiling.ok && mk->min_debt.value > mk->debt_ceiling.value) {
            dep_path_field(p, base, "min_debt");
            dep_errors_add(e, p, "%s must be <= debt_ceiling %s", mk->min_debt.text,
                           mk->debt_ceiling.text);
        }
        for (size_t k = 0; k < mk->collateral_count; k++) {
            dep_path_field(q, base, "collaterals");
            dep_path_index(p, q, k);
            check_collateral(m, mk, k, p, e);
        }
        dep_path_field(p, base, "auction");
        check_auction(m, &mk->auction, p, e);
    }
}

static void check_governance(const dep_manifest *m, dep_errors *e) {
    const dep_governance *g = &m->governance;
    if (g->min_delay.ok && g->max_delay.ok && g->min_delay.seconds > g->max_delay.seconds)
        dep_errors_add(e, "governance.min_delay", "%s must be <= max_delay %s", g->min_delay.text,
                       g->max_delay.text);
}

void dep_manifest_check_rules(const dep_manifest *m, dep_errors *errs) {
    check_contracts(m, errs);
    check_oracle(m, errs);
    check_engine(m, errs);
    check_tokens(m, errs);
    check_markets(m, errs);
    check_governance(m, errs);
}

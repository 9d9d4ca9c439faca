/* demo_prices.c — the demo's seeded randomness: a splitmix64 generator and the price paths of
 * the stress scenario (geometric Brownian motion per market, times a crash on market 0 — −depth
 * spread geometrically over crash_hours — and a linear slide on market 1). */
#include "demo.h"

#include <math.h>
#include <stdlib.h>

uint64_t demo_rng_next(demo_rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double demo_rng_unit(demo_rng *r) {
    return (double)(demo_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double demo_rng_normal(demo_rng *r) {
    double u1 = demo_rng_unit(r), u2 = demo_rng_unit(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* The crash factor at hour h: 1 before, (1 − depth) after, geometric in between. */
static double crash_factor(double h, double at, double depth, double hours) {
    if (depth <= 0 || h <= at) return 1.0;
    double f = h >= at + hours ? 1.0 : (h - at) / hours;
    return pow(1.0 - depth, f);
}

static double slide_factor(double h, double at, double depth, double hours) {
    if (depth <= 0 || h <= at) return 1.0;
    double f = h >= at + hours ? 1.0 : (h - at) / hours;
    return 1.0 - depth * f;
}

double **demo_paths_make(const demo_path_config *cfg, size_t markets) {
    double **out = calloc(markets, sizeof *out);
    double dt = (double)cfg->step_seconds / 31536000.0;
    double sigma = cfg->volatility;
    for (size_t i = 0; i < markets; i++) {
        demo_rng r = {cfg->seed * 1000003u + i * 7919u + 1};
        out[i] = calloc(cfg->steps + 1, sizeof **out);
        double gbm = 1.0;
        out[i][0] = 1.0;
        for (uint64_t s = 1; s <= cfg->steps; s++) {
            gbm *= exp(-0.5 * sigma * sigma * dt + sigma * sqrt(dt) * demo_rng_normal(&r));
            double h = (double)(s * cfg->step_seconds) / 3600.0;
            double f = 1.0;
            if (i == 0)
                f = crash_factor(h, cfg->crash_at_hours, cfg->crash_depth, cfg->crash_hours);
            if (i == 1)
                f = slide_factor(h, cfg->slide_at_hours, cfg->slide_depth, cfg->slide_hours);
            out[i][s] = gbm * f;
        }
    }
    return out;
}

void demo_paths_free(double **paths, size_t markets) {
    for (size_t i = 0; i < markets; i++) free(paths[i]);
    free(paths);
}

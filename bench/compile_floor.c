/* compile_floor.c — `make bench`: the CPU time the mandated tools alone (wabt's wasm2c, tcc) take
 * on one contract, and the cold-start lower bound that follows on this machine's CPUs.
 * No host-sim code runs here beyond gas injection: the figures are the tools' own cost. */
#define _DEFAULT_SOURCE
#include "compile_floor.h"

#include "gas_inject.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Run argv (output to /dev/null); its user + system CPU time in ms, or -1 if it failed. */
static double child_cpu_ms(char *const argv[]) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* The least CPU time of `runs` runs (the machine is shared: the least is the tool's cost). */
static double min_cpu_ms(char *const argv[], int runs) {
    double best = -1;
    for (int i = 0; i < runs; i++) {
        double t = child_cpu_ms(argv);
        if (t < 0) return -1;
        if (best < 0 || t < best) best = t;
    }
    return best;
}

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static bool write_all(const char *path, const uint8_t *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

bool compile_floor_report(const uint8_t *wasm, size_t len, const char *label, long cpus) {
    char dir[] = "/tmp/hs-bench-floorXXXXXX";
    if (!mkdtemp(dir)) return false;
    char raw[64], metered[64], raw_c[64], metered_c[64], obj[64];
    snprintf(raw, sizeof raw, "%s/raw.wasm", dir);
    snprintf(metered, sizeof metered, "%s/metered.wasm", dir);
    snprintf(raw_c, sizeof raw_c, "%s/raw.c", dir);
    snprintf(metered_c, sizeof metered_c, "%s/metered.c", dir);
    snprintf(obj, sizeof obj, "%s/metered.o", dir);
    uint8_t *m = NULL;
    size_t mlen = 0;
    char err[256];
    bool ok = write_all(raw, wasm, len) &&
              hs_gas_inject(wasm, len, &m, &mlen, err, sizeof err) == HS_GAS_OK &&
              write_all(metered, m, mlen);
    free(m);
    enum { RUNS = 5 };
    char *w2c_raw[] = {"wasm2c", raw, "-o", raw_c, NULL};
    char *w2c_met[] = {"wasm2c", metered, "-o", metered_c, NULL};
    char *tcc_raw[] = {"tcc", "-w", "-c", raw_c, "-o", obj, NULL};
    char *tcc_met[] = {"tcc", "-w", "-c", metered_c, "-o", obj, NULL};
    double t_w2c_raw = ok ? min_cpu_ms(w2c_raw, RUNS) : -1;
    double t_w2c_met = ok ? min_cpu_ms(w2c_met, RUNS) : -1;
    double t_tcc_raw = t_w2c_raw >= 0 ? min_cpu_ms(tcc_raw, RUNS) : -1;
    double t_tcc_met = t_w2c_met >= 0 ? min_cpu_ms(tcc_met, RUNS) : -1;
    ok = ok && t_w2c_raw >= 0 && t_w2c_met >= 0 && t_tcc_raw >= 0 && t_tcc_met >= 0;
    if (ok) {
        long n = cpus > 0 ? cpus : 1;
        printf("cold-start floor, %s: CPU time of the tools alone (least of %d runs)\n", label,
               RUNS);
        printf("  %-34s %10s %12s %12s %10s\n", "module", "wasm bytes", "C bytes", "wasm2c ms",
               "tcc ms");
        printf("  %-34s %10zu %12ld %12.1f %10.1f\n", "as stored (no metering)", len,
               file_size(raw_c), t_w2c_raw, t_tcc_raw);
        printf("  %-34s %10zu %12ld %12.1f %10.1f\n", "gas-metered (what host-sim runs)", mlen,
               file_size(metered_c), t_w2c_met, t_tcc_met);
        printf("  whole module on %ld CPUs, perfectly parallel, nothing else: >= %.1f ms "
               "(unmetered: >= %.1f ms)\n\n",
               n, (t_w2c_met + t_tcc_met) / (double)n, (t_w2c_raw + t_tcc_raw) / (double)n);
    }
    unlink(raw);
    unlink(metered);
    unlink(raw_c);
    unlink(metered_c);
    unlink(obj);
    char header[64];
    snprintf(header, sizeof header, "%s/raw.h", dir);
    unlink(header);
    snprintf(header, sizeof header, "%s/metered.h", dir);
    unlink(header);
    rmdir(dir);
    return ok;
}

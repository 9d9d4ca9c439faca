/* main.c — the host-sim command line: a table of subcommands (`check` for now; `run` and others
 * are added by appending to `commands`), each a function taking the arguments after its name. */
#include "script.h"
#include "wasm_check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hs_command {
    const char *name;
    const char *args;                  /* argument synopsis for the usage text */
    const char *summary;               /* one line for the usage text */
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name; returns exit status */
} hs_command;

static int cmd_check(int argc, char **argv);

static const hs_command commands[] = {
    {"check", "FILE.wasm...", "validate contracts against CosmWasm's static rules", cmd_check},
    {"run", "SCRIPT.jsonl [--state DIR] [--gas-report] [--trace]",
     "run a transaction script (JSON lines) on the local chain", hs_script_cmd},
};

static void usage(FILE *out) {
    fprintf(out, "usage: host-sim COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s %s\n      %s\n", commands[i].name, commands[i].args,
                commands[i].summary);
}

/* Read a whole file into a malloc'd buffer. Returns NULL with errno set on failure. */
static uint8_t *read_file(const char *path, size_t *size_out) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        free(buf);
        errno = saved ? saved : EIO;
        return NULL;
    }
    *size_out = len;
    return buf;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* host-sim check FILE.wasm... — "ok <basename> <bytes>" per valid file, otherwise one
 * "<file>: <violation>" line per violation; exit 1 if any file failed or was unreadable. */
static int cmd_check(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "host-sim check: no files given\n");
        usage(stderr);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *path = argv[i];
        size_t size = 0;
        uint8_t *bytes = read_file(path, &size);
        if (!bytes) {
            printf("%s: cannot read file: %s\n", path, strerror(errno));
            status = 1;
            continue;
        }
        hs_check_report report;
        int n = hs_wasm_check(bytes, size, &report);
        if (n == 0) {
            printf("ok %s %zu\n", base_name(path), size);
        } else {
            for (size_t k = 0; k < report.count; k++) printf("%s: %s\n", path, report.lines[k]);
            if (n < 0) printf("%s: out of memory while checking\n", path);
            status = 1;
        }
        hs_check_report_free(&report);
        free(bytes);
    }
    return status;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "host-sim: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}

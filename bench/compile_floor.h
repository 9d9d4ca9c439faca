/* compile_floor.h — the cold-start lower bound of the wasm2c + tcc pipeline, measured on the
 * tools alone (bench/compile_floor.c). */
#ifndef BENCH_COMPILE_FLOOR_H
#define BENCH_COMPILE_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Time wasm2c and `tcc -c` (least CPU of 5 runs each) on `wasm` as stored and gas-metered, and
 * print a table with the bound (wasm2c + tcc) / cpus for compiling the whole module. False (and
 * nothing printed) if a tool is missing or fails. */
bool compile_floor_report(const uint8_t *wasm, size_t len, const char *label, long cpus);

#endif /* BENCH_COMPILE_FLOOR_H */

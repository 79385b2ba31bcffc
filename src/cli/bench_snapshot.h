/*
 * b2b bench book — the snapshot part (bench_snapshot.c): write the loaded
 * book as a snapshot, open it, and compare with the CSV load.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CLI_BENCH_SNAPSHOT_H
#define B2B_CLI_BENCH_SNAPSHOT_H

#include <stdint.h>

#include "jsonout.h"

struct b2b_book;

/*
 * Write `book` to DIR/book.b2bsnap, open it `runs` times with and without
 * the checksum, check that it gives the same fingerprint and batch prices,
 * measure the private memory a second process adds by opening it, remove
 * the file, and write the figures as the object "snapshot" into `w`.
 * `load_ns` / `load_cpu_ns` are the median CSV load (wall, CPU) of the
 * same book in the same run. Returns 0, or -1 after a message on stderr.
 */
int bench_snapshot(jout *w, const struct b2b_book *book, const char *dir, int runs,
                   int64_t load_ns, int64_t load_cpu_ns);

#endif

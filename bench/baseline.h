/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `unitune bench http --baseline linux`: the same measurement (http.h)
 * of the unikernel and of a Linux VM serving the same page with nginx
 * (scripts/linux-guest.sh), on the same QEMU, accelerator, memory and
 * network path, in alternating rounds: each round boots the unikernel,
 * measures one repetition (after its warm-up), stops it, then does the
 * same with the Linux guest (ABAB, a boot per repetition for both), so
 * drift on a shared machine falls on both sides of a round. Then, when
 * asked, each side's smallest memory: the least --mem with which it
 * still answers its first HTTP 200 (host/min_mem.h's bisection).
 *
 * The first round checks that both serve the same bytes at the
 * requested path. Summaries and the ratio column are the caller's
 * (figures.h, stats_paired_ratio()).
 */
#ifndef UNITUNE_BENCH_BASELINE_H
#define UNITUNE_BENCH_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "figures.h"
#include "http.h"

enum bench_side_id { BENCH_SIDE_UNIKERNEL, BENCH_SIDE_LINUX, BENCH_SIDES };

/* "unikernel", "linux". */
const char *bench_side_name(enum bench_side_id s);

struct bench_pair_opts {
	/* The unikernel's bench; repetitions is the number of rounds. The
	 * Linux side uses the same options but for its boot. */
	const struct bench_http_opts *uk;
	/* The Linux guest's boot: image (bzImage) and initrd; everything
	 * else (QEMU, accelerator, memory, echo, log, timeout) is copied
	 * from uk->run so the two cannot differ. */
	const char *linux_kernel;
	const char *linux_initrd;
	/* The smallest memory's resolution; 0: not measured. */
	uint64_t min_mem_resolution_kib;
};

struct bench_side {
	/* The rounds' repetitions (nreps of them), and the last round's
	 * URL, accelerator and metrics note. */
	struct bench_http_result r;
	double first_200_ms[BENCH_FIGURES_MAX_REPS];	/* one per round */
	uint64_t min_mem_kib;	/* 0: not measured */
	unsigned min_mem_probes;
};

struct bench_pair_result {
	struct bench_side side[BENCH_SIDES];
	/* The side whose bench failed (valid when bench_pair_run failed
	 * with a bench error; its r has the boot_* fields). */
	enum bench_side_id failed;
	size_t page_bytes;	/* the page both served */
};

/*
 * Run the rounds and the memory searches into *r (free with
 * bench_pair_result_free() in every case). 0, or bench_http_run()'s
 * errors with why naming the side, and -EPROTO when the two pages
 * differ.
 */
int bench_pair_run(const struct bench_pair_opts *o,
		   struct bench_pair_result *r, char *why, size_t why_len);

void bench_pair_result_free(struct bench_pair_result *r);

#endif

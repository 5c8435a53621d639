/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `unitune bench http --push URL`: a bench's figures as one Pushgateway
 * group (host/prom_results.h's metrics), PUT at
 *	URL/metrics/job/unitune_bench/commit/C/config_hash/H
 * so a second bench of the same commit and configuration replaces the
 * first. Every figure of the table (bench/figures.h: wrk's and the
 * guest's) is one result with its median, mean, min, max, standard
 * deviation and repetitions; first_200_ms is one more (one sample)
 * unless the summary has it (a baseline's side: one a round);
 * unitune_status says "done" or "unstable" (requests/s spread above 5%).
 * With --baseline linux each side is pushed this way, the Linux VM's
 * with config_hash "linux".
 */
#ifndef UNITUNE_BENCH_BENCH_PUSH_H
#define UNITUNE_BENCH_BENCH_PUSH_H

#include <stddef.h>

#include "bench_report.h"

#define BENCH_PUSH_JOB "unitune_bench"

/*
 * Push b to the Pushgateway at url. 0, or push_put()'s errors (host/push.h)
 * with why: -ECONNREFUSED, -EPROTO (the gateway's status and body: a 4xx
 * says what it refused), -EIO, -EINVAL, -ENOMEM.
 */
int bench_push(const char *url, const struct bench_report *b, char *why,
	       size_t why_len);

#endif

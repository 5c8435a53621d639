/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The unikernel against a Linux VM, round by round (bench/baseline.h).
 */
#include "baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "guest.h"
#include "min_mem.h"
#include "spawn.h"
#include "strbuf.h"

/* A page check's GET answers within this. */
#define PAGE_TIMEOUT_NS (10 * 1000000000LL)
/* The least a memory probe waits for its first 200, and how many of the
 * side's slowest first 200 it waits beyond that: enough for a boot in
 * little memory, which is slower, without waiting out the full ready
 * timeout for a guest that hangs. */
#define PROBE_MIN_NS (10 * 1000000000LL)
#define PROBE_FIRST_200S 4

const char *bench_side_name(enum bench_side_id s)
{
	return s == BENCH_SIDE_LINUX ? "linux" : "unikernel";
}

/* The two pages, fetched in the first round. */
struct page_check {
	struct strbuf page[BENCH_SIDES];
	enum bench_side_id side;	/* the one being measured */
	bool done;
};

static int check_page(void *ctx, const char *url, char *why, size_t why_len)
{
	struct page_check *p = ctx;
	struct strbuf *mine = &p->page[p->side];
	const struct strbuf *uk = &p->page[BENCH_SIDE_UNIKERNEL];
	long status = 0;
	char msg[256];
	int err;

	if (p->done)
		return 0;
	err = fetch_get(url, PAGE_TIMEOUT_NS, &status, mine, msg, sizeof(msg));
	if (!err && status != 200) {
		snprintf(msg, sizeof(msg), "HTTP %ld", status);
		err = -EIO;
	}
	if (err) {
		snprintf(why, why_len, "cannot fetch the page %s: %s", url, msg);
		return err;
	}
	if (p->side != BENCH_SIDE_LINUX)
		return 0;
	p->done = true;
	if (mine->len != uk->len || (mine->len &&
				     memcmp(mine->buf, uk->buf, mine->len))) {
		snprintf(why, why_len, "the Linux guest's page (%zu bytes) is "
			 "not the unikernel's (%zu bytes): the baseline serves "
			 "httpd's default page (scripts/linux-guest.sh); leave "
			 "out APP ARGS that change the page", mine->len,
			 uk->len);
		return -EPROTO;
	}
	return 0;
}

/* The boot options of a side: Linux copies the unikernel's but the
 * image, initrd, kernel options and application arguments. */
static struct runner_opts side_run(const struct bench_pair_opts *o,
				   enum bench_side_id s)
{
	struct runner_opts run = o->uk->run;

	if (s == BENCH_SIDE_LINUX) {
		run.image = o->linux_kernel;
		run.initrd = o->linux_initrd;
		run.kernel_opts = NULL;
		run.app_argv = NULL;
		run.app_argc = 0;
	}
	return run;
}

/* One round of one side: a boot, its warm-up and one repetition,
 * appended to the side's results. */
static int one_round(const struct bench_pair_opts *o, enum bench_side_id s,
		     struct page_check *pc, struct bench_pair_result *pr,
		     char *why, size_t why_len)
{
	struct bench_side *side = &pr->side[s];
	struct bench_http_opts ho = *o->uk;
	struct bench_http_result one;
	char msg[512];
	int err;

	ho.run = side_run(o, s);
	ho.repetitions = 1;
	ho.on_ready = check_page;
	ho.on_ready_ctx = pc;
	pc->side = s;
	err = bench_http_run(&ho, &one, msg, sizeof(msg));
	if (err) {
		snprintf(why, why_len, "%s: %s", bench_side_name(s), msg);
		pr->failed = s;
		side->r.boot_failed = one.boot_failed;
		side->r.boot_outcome = one.boot_outcome;
		side->r.boot_status = one.boot_status;
		bench_http_result_free(&one);
		return err;
	}
	side->r.reps[side->r.nreps] = one.reps[0];
	side->first_200_ms[side->r.nreps] = one.first_200_ms;
	side->r.nreps++;
	memcpy(side->r.url, one.url, sizeof(one.url));
	side->r.host_port = one.host_port;
	side->r.accel = one.accel;
	side->r.metrics = one.metrics;
	memcpy(side->r.metrics_note, one.metrics_note,
	       sizeof(one.metrics_note));
	bench_http_result_free(&one);
	return 0;
}

/* The min_mem oracle: does the side answer its first 200 in mem_kib? */
struct probe {
	const struct bench_pair_opts *o;
	struct runner_opts run;
	int64_t timeout_ns;
	FILE *progress;
};

static bool probe_running(void *ctx)
{
	return !bench_guest_ended(ctx);
}

static int probe_runs(void *ctx, uint64_t mem_kib, bool *runs)
{
	struct probe *p = ctx;
	struct bench_guest g;
	struct runner_opts run = p->run;
	char why[512], url[96];
	int64_t at;
	int err;

	run.mem_kib = mem_kib;
	run.timeout_ns = p->timeout_ns + 30 * 1000000000LL;
	run.echo = NULL;
	run.log = NULL;
	err = bench_guest_start(&g, &run, p->o->uk->guest_port, why,
				sizeof(why));
	if (err)
		return err;
	*runs = false;
	err = bench_guest_await_published(&g, p->timeout_ns, why, sizeof(why));
	if (!err) {
		snprintf(url, sizeof(url), "http://127.0.0.1:%u%s",
			 (unsigned)g.host_port, p->o->uk->path);
		*runs = !fetch_await_200(url, p->timeout_ns, probe_running, &g,
					 &at, why, sizeof(why));
	}
	bench_guest_stop(&g);
	/* A guest that could not start for want of memory is an answer;
	 * a host that cannot start QEMU at all is not. */
	err = g.run_err;
	bench_guest_free(&g);
	if (p->progress)
		fprintf(p->progress, "unitune bench http: %llu KiB: %s\n",
			(unsigned long long)mem_kib,
			*runs ? "serves" : "does not serve");
	return err;
}

static int smallest_memory(const struct bench_pair_opts *o,
			   enum bench_side_id s, struct bench_side *side,
			   char *why, size_t why_len)
{
	const struct runner_opts *uk_run = &o->uk->run;
	uint64_t hi = uk_run->mem_kib ? uk_run->mem_kib :
					RUNNER_MEM_DEFAULT_KIB;
	struct probe p = { .o = o, .run = side_run(o, s),
			   .progress = o->uk->progress };
	struct min_mem_query q = { .lo_kib = 0, .hi_kib = hi,
				   .resolution_kib = o->min_mem_resolution_kib,
				   .runs = probe_runs, .ctx = &p };
	struct min_mem_answer a;
	double slowest = 0;
	size_t i;
	int err;

	for (i = 0; i < side->r.nreps; i++)
		if (side->first_200_ms[i] > slowest)
			slowest = side->first_200_ms[i];
	p.timeout_ns = PROBE_MIN_NS + (int64_t)(PROBE_FIRST_200S * slowest *
						1e6);
	if (p.timeout_ns > o->uk->ready_timeout_ns)
		p.timeout_ns = o->uk->ready_timeout_ns;
	if (o->uk->progress)
		fprintf(o->uk->progress, "unitune bench http: %s: smallest "
			"memory, to %llu KiB\n", bench_side_name(s),
			(unsigned long long)q.resolution_kib);
	err = min_mem_bisect(&q, &a);
	if (err) {
		snprintf(why, why_len, "%s: smallest memory: %s",
			 bench_side_name(s), strerror(-err));
		return err;
	}
	side->min_mem_kib = a.kib;
	side->min_mem_probes = a.probes;
	return 0;
}

int bench_pair_run(const struct bench_pair_opts *o,
		   struct bench_pair_result *r, char *why, size_t why_len)
{
	struct page_check pc = { .page = { STRBUF_INIT, STRBUF_INIT } };
	unsigned rounds = o->uk->repetitions, i;
	int err = 0, s;

	memset(r, 0, sizeof(*r));
	if (!rounds || rounds > BENCH_FIGURES_MAX_REPS || !o->linux_kernel ||
	    !o->linux_initrd) {
		snprintf(why, why_len, "need 1 to %d rounds, a Linux kernel and "
			 "an initrd", BENCH_FIGURES_MAX_REPS);
		return -EINVAL;
	}
	for (s = 0; s < BENCH_SIDES; s++) {
		r->side[s].r.reps = calloc(rounds, sizeof(*r->side[s].r.reps));
		if (!r->side[s].r.reps) {
			snprintf(why, why_len, "out of memory");
			return -ENOMEM;
		}
	}
	for (i = 0; !err && i < rounds; i++) {
		for (s = 0; !err && s < BENCH_SIDES; s++) {
			if (o->uk->progress)
				fprintf(o->uk->progress, "unitune bench http: "
					"round %u/%u: %s\n", i + 1, rounds,
					bench_side_name(s));
			err = one_round(o, s, &pc, r, why, why_len);
		}
	}
	r->page_bytes = pc.page[BENCH_SIDE_UNIKERNEL].len;
	for (s = 0; !err && o->min_mem_resolution_kib && s < BENCH_SIDES; s++)
		err = smallest_memory(o, s, &r->side[s], why, why_len);
	strbuf_release(&pc.page[0]);
	strbuf_release(&pc.page[1]);
	return err;
}

void bench_pair_result_free(struct bench_pair_result *r)
{
	int s;

	for (s = 0; s < BENCH_SIDES; s++)
		bench_http_result_free(&r->side[s].r);
}

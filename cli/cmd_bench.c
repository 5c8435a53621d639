/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune bench http: measure an image's HTTP server with wrk (bench/),
 * print one table or a JSON document, and keep everything in the store
 * (tuner/store_bench.h).
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_cmds.h"
#include "config.h"
#include "count.h"
#include "duration.h"
#include "env.h"
#include "fetch.h"
#include "figures.h"
#include "http.h"
#include "output.h"
#include "per_request.h"
#include "paths.h"
#include "baseline.h"
#include "bench_push.h"
#include "bench_report.h"
#include "compare.h"
#include "linux_boot.h"
#include "push.h"
#include "run_args.h"
#include "size.h"
#include "store.h"
#include "store_bench.h"
#include "why.h"

#define PROG "unitune bench http"
#define EXIT_FAILED 1
#define EXIT_MISSING 127

enum {
	OPT_JSON = RUN_ARGS_OPT_VERB,
	OPT_DB,
	OPT_PATH,
	OPT_GUEST_PORT,
	OPT_READY,
	OPT_SETUP,
	OPT_WRK,
	OPT_BASELINE,
	OPT_LINUX_KERNEL,
	OPT_LINUX_INITRD,
	OPT_MIN_MEM,
	OPT_PUSH,
	OPT_PER_REQUEST,
	OPT_IDLE,
};

/* With --baseline linux: both sides' memory unless --mem says otherwise
 * (the Linux guest needs about 85 MiB to serve), and the smallest
 * memory's resolution. */
#define BASELINE_MEM "256M"
#define BASELINE_MIN_MEM_RES "256K"
#define LINUX_GUEST_DIR "build/linux-guest"

static const struct argp_option options[] = {
	{ "threads", 't', "N", 0, "wrk threads (-t). Default 1.", 0 },
	{ "connections", 'c', "N", 0,
	  "Connections kept open (-c), at least the threads. Default 32.", 0 },
	{ "duration", 'd', "TIME", 0,
	  "Each measured repetition (-d): seconds, or a number with ms, s, m "
	  "or h as wrk takes it (10s, 1.5m); at least 1 s. Default 10s.", 0 },
	{ "repetitions", 'n', "N", 0,
	  "Measured repetitions, 1 to 64. Default 5.", 0 },
	{ "warmup", 'w', "TIME", 0,
	  "The warm-up run before them, discarded; 0 for none. Default: the "
	  "duration.", 0 },
	{ "path", OPT_PATH, "PATH", 0, "The page wrk requests. Default /.", 0 },
	{ "guest-port", OPT_GUEST_PORT, "PORT", 0,
	  "The guest's HTTP port, published on a free port of 127.0.0.1. "
	  "Default 80.", 0 },
	{ "ready-timeout", OPT_READY, "SECS", 0,
	  "Longest wait from QEMU's start to the first HTTP 200. Default 60.",
	  0 },
	{ "setup", OPT_SETUP, "SECS", 0,
	  "How long each run sets its connections up before timing starts "
	  "(requests leave one at a time, 20 ms apart, meanwhile). Default "
	  "1.5 + 0.02 x connections.", 0 },
	{ "wrk", OPT_WRK, "PATH", 0, "The wrk program. Default wrk in PATH.",
	  0 },
	{ "baseline", OPT_BASELINE, "linux", 0,
	  "Measure a Linux VM serving the same page with nginx too, in "
	  "alternating rounds (a boot each), and add the ratio column "
	  "unikernel/Linux (docs/linux-baseline.md). Memory defaults to "
	  BASELINE_MEM " for both.", 0 },
	{ "linux-kernel", OPT_LINUX_KERNEL, "FILE", 0,
	  "The baseline's kernel. Default " LINUX_GUEST_DIR "/vmlinuz "
	  "(scripts/linux-guest.sh builds it).", 0 },
	{ "linux-initrd", OPT_LINUX_INITRD, "FILE", 0,
	  "The baseline's initramfs. Default " LINUX_GUEST_DIR "/initrd.gz.",
	  0 },
	{ "min-mem", OPT_MIN_MEM, "SIZE", 0,
	  "With --baseline: find each side's smallest memory (the least "
	  "--mem that still serves its first HTTP 200) to SIZE; 0 skips it. "
	  "Default " BASELINE_MIN_MEM_RES ".", 0 },
	{ "json", OPT_JSON, NULL, 0,
	  "Print one JSON document instead of the table "
	  "(docs/json-output.md).", 0 },
	{ "push", OPT_PUSH, "URL", 0,
	  "Also push the figures to the Prometheus Pushgateway at URL (job "
	  "unitune_bench, grouped by commit and config hash; "
	  "docs/prometheus.md). A failed push is exit status 1; the run is "
	  "stored and printed all the same.", 0 },
	{ "per-request", OPT_PER_REQUEST, "N", 0,
	  "Instead of wrk: boot deterministically (-icount), GET the page N "
	  "times in turn on one keep-alive connection between scrapes of "
	  "/metrics, and print the guest's cost per request (instructions "
	  "outside idle, executed, event loop busy, latency, frames, halts, "
	  "wake-ups). Not stored; no --json or --push.", 0 },
	{ "idle", OPT_IDLE, "MODE", 0,
	  "With --per-request: real (the default: idle time passes as the "
	  "host's, -icount sleep=on) or skip (the guest's clock jumps to its "
	  "next timer), as for run --deterministic.", 0 },
	{ "db", OPT_DB, "PATH", 0,
	  "The results store the run is added to (as for tune). Default "
	  STORE_DEFAULT_PATH ".", 0 },
	{ "mem", 'm', "SIZE", 0, "Guest memory, as for run. Default 32M.", 0 },
	{ "accel", 'a', "MODE", 0, "auto, tcg or kvm, as for run. Default "
	  "auto.", 0 },
	{ "kernel-args", 'k', "OPTIONS", 0, "Kernel options, as for run.", 0 },
	{ "qemu", RUN_ARGS_OPT_QEMU, "PATH", 0, "QEMU binary, as for run.", 0 },
	{ "verbose", 'v', NULL, 0,
	  "Show the guest's console, the QEMU command and each step on "
	  "stderr.", 0 },
	RUN_ARGS_OPTION_H,
	{ 0 }
};

static const char doc[] =
	"Measure the HTTP server of a unikernel IMAGE with wrk: boot it with "
	"its port published, wait for the first HTTP 200 (the time from "
	"QEMU's start is reported), run wrk once to warm up (discarded), "
	"then N measured repetitions, scraping the guest's /metrics before "
	"and after each. Print one table: the median, the bootstrap 95% "
	"interval of the median, min-max and the run-to-run spread of every "
	"figure; the run is unstable when requests/s spreads more than 5%. "
	"The run is added to the results store with its environment."
	"\v"
	"Timing starts only after the connections are set up (slirp listens "
	"with a backlog of 1 and stalls handshakes for seconds): for --setup "
	"seconds after wrk opens them, requests leave one at a time, which "
	"completes the handshakes; the table says how many were set up. "
	"See docs/bench.md. APP ARGS after '--' go to the guest, as for run.\n"
	"\n"
	"Exit status:\n"
	"  0       measured (unstable or not)\n"
	"  1       the bench failed: no HTTP 200 in time, the guest ended,\n"
	"          wrk failed, or the store could not be written\n"
	"  2       usage error\n"
	"  125     QEMU failed\n"
	"  126     image missing or not bootable\n"
	"  127     wrk or QEMU not installed\n"
	"\n"
	"Examples:\n"
	"  unitune bench http -d 1s -n 2 -w 1s build/httpd/httpd.elf\n"
	"  unitune bench http -d 1s -n 2 --json build/httpd/httpd.elf | jq .unstable\n"
	"  unitune bench http --per-request 1000 build/httpd/httpd.elf\n"
	"  unitune bench http -c 0 build/httpd/httpd.elf   # exit status 2\n"
	"  unitune bench http --wrk /no/wrk build/httpd/httpd.elf"
	"   # exit status 127";

struct bench_args {
	struct run_args vm;
	struct bench_http_opts o;
	const char *db;
	const char *push;	/* a Pushgateway, or NULL */
	unsigned per_request;	/* --per-request N; 0: wrk */
	const char *idle;	/* --idle, NULL when not given */
	bool json;
	bool baseline;		/* --baseline linux */
	bool mem_given;
	const char *linux_kernel, *linux_initrd;
	uint64_t min_mem_kib;	/* resolution; 0: not measured */
	bool min_mem_set;	/* --min-mem given */
};

static unsigned parse_count(struct argp_state *state, const char *opt,
			    const char *arg, unsigned long min,
			    unsigned long max)
{
	unsigned long n;

	if (count_parse(arg, max, &n) || n < min)
		argp_error(state, "%s '%s' is not a number from %lu to %lu",
			   opt, arg, min, max);
	return (unsigned)n;
}

static int64_t parse_time(struct argp_state *state, const char *opt,
			  const char *arg, bool units)
{
	int64_t ns;

	if (units ? duration_parse_units_ns(arg, &ns) :
		    duration_parse_ns(arg, &ns))
		argp_error(state, "%s '%s' is not a duration (%s)", opt, arg,
			   units ? "10s, 500ms, 1.5m" : "seconds: 30, 2.5");
	return ns;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct bench_args *a = state->input;
	struct bench_http_opts *o = &a->o;

	switch (key) {
	case 't':
		o->threads = parse_count(state, "--threads", arg, 1, 1024);
		return 0;
	case 'c':
		o->connections = parse_count(state, "--connections", arg, 1,
					     100000);
		return 0;
	case 'd':
		o->duration_ns = parse_time(state, "--duration", arg, true);
		if (o->duration_ns < 1000000000LL)
			argp_error(state, "--duration '%s' is shorter than 1 s",
				   arg);
		return 0;
	case 'n':
		o->repetitions = parse_count(state, "--repetitions", arg, 1,
					     BENCH_FIGURES_MAX_REPS);
		return 0;
	case 'w':
		o->warmup_ns = parse_time(state, "--warmup", arg, true);
		return 0;
	case OPT_PATH:
		if (arg[0] != '/' || strpbrk(arg, " \t\r\n"))
			argp_error(state, "--path '%s' must start with '/' and "
				   "hold no space", arg);
		o->path = arg;
		return 0;
	case OPT_GUEST_PORT:
		o->guest_port = (uint16_t)parse_count(state, "--guest-port",
						      arg, 1, 65535);
		return 0;
	case OPT_READY:
		o->ready_timeout_ns = parse_time(state, "--ready-timeout", arg,
						 false);
		return 0;
	case OPT_SETUP:
		o->setup_ns = parse_time(state, "--setup", arg, false);
		return 0;
	case OPT_WRK:
		o->wrk = arg;
		return 0;
	case OPT_JSON:
		a->json = true;
		return 0;
	case OPT_DB:
		a->db = arg;
		return 0;
	case OPT_BASELINE:
		if (strcmp(arg, "linux"))
			argp_error(state, "--baseline '%s': the only baseline "
				   "is linux", arg);
		a->baseline = true;
		return 0;
	case OPT_LINUX_KERNEL:
		a->linux_kernel = arg;
		return 0;
	case OPT_LINUX_INITRD:
		a->linux_initrd = arg;
		return 0;
	case OPT_MIN_MEM:
		if (size_parse_mem_kib(arg, &a->min_mem_kib) &&
		    strcmp(arg, "0"))
			argp_error(state, "--min-mem '%s' is not a size (256K, "
				   "1M) or 0", arg);
		if (!strcmp(arg, "0"))
			a->min_mem_kib = 0;
		a->min_mem_set = true;
		return 0;
	case 'm':
		a->mem_given = true;
		break;
	case OPT_PUSH: {
		char why[UNITUNE_WHY_MAX];

		if (push_url_check(arg, why, sizeof(why)))
			argp_error(state, "--push '%s': %s", arg, why);
		a->push = arg;
		return 0;
	}
	case OPT_PER_REQUEST:
		a->per_request = parse_count(state, "--per-request", arg, 1,
					     10000000);
		return 0;
	case OPT_IDLE:
		if (strcmp(arg, "real") && strcmp(arg, "skip"))
			argp_error(state, "--idle '%s' is not real or skip", arg);
		a->idle = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->baseline && a->json)
			argp_error(state, "--json is not available with "
				   "--baseline yet: read both sides from the "
				   "store (docs/linux-baseline.md)");
		if (!a->baseline && (a->linux_kernel || a->linux_initrd ||
				     a->min_mem_set))
			argp_error(state, "--linux-kernel, --linux-initrd and "
				   "--min-mem need --baseline linux");
		if (a->baseline && !a->mem_given)
			a->vm.mem = BASELINE_MEM;
		if (a->idle && !a->per_request)
			argp_error(state, "--idle needs --per-request (wrk runs "
				   "on the wall clock)");
		if (a->per_request && (a->json || a->push))
			argp_error(state, "--per-request prints one line: "
				   "neither --json nor --push applies");
		if (a->baseline && a->per_request)
			argp_error(state, "--per-request is not available "
				   "with --baseline yet");
		if (o->connections < o->threads)
			argp_error(state, "--connections %u is fewer than "
				   "--threads %u", o->connections, o->threads);
		if (!o->ready_timeout_ns)
			argp_error(state, "--ready-timeout must be above 0");
		break;
	}
	return run_args_parse_opt(key, arg, state, &a->vm);
}

/* The safety net over QEMU: every wait the bench can make, and a minute. */
static int64_t guest_limit(const struct bench_http_opts *o)
{
	return o->ready_timeout_ns + o->warmup_ns + o->setup_ns +
	       (int64_t)o->repetitions * (o->duration_ns + o->setup_ns +
					  30000000000LL) +
	       60000000000LL;
}

/* The .config beside the image (`unitune build -o DIR`), or "unknown". */
static void image_config_hash(const char *image, char out[65])
{
	char path[PATH_MAX], why[UNITUNE_WHY_MAX];
	const char *slash = strrchr(image, '/');
	int n = slash ? snprintf(path, sizeof(path), "%.*s/.config",
				 (int)(slash - image), image)
		      : snprintf(path, sizeof(path), ".config");

	if (n < 0 || (size_t)n >= sizeof(path) ||
	    config_file_hash(path, out, why, sizeof(why)))
		snprintf(out, 65, "unknown");
}

/* One bench row with its samples and figures, inside the caller's
 * transaction; side and baseline_of as store_bench has them. */
static int store_rows(struct store *st, const struct bench_args *a,
		      const struct bench_report *b, const char *side,
		      int64_t baseline_of, int64_t *id)
{
	const struct bench_http_result *r = b->result;
	const struct env_facts *e = b->env;
	struct store_bench row = {
		.kind = "http", .image_path = b->image,
		.config_hash = b->config_hash, .url_path = a->o.path,
		.threads = a->o.threads, .connections = a->o.connections,
		.repetitions = (int64_t)r->nreps,
		.duration_s = (double)a->o.duration_ns / 1e9,
		.warmup_s = (double)a->o.warmup_ns / 1e9,
		.first_200_ms = r->first_200_ms,
		.unstable = b->summary->unstable,
		.git_commit = e->git_commit, .host = e->host,
		.cpu_model = e->cpu_model, .qemu_version = e->qemu_version,
		.accelerator = runner_accel_name(r->accel), .side = side,
		.baseline_of = baseline_of };
	size_t i, k;
	int err = store_bench_add(st, &row, id);

	for (i = 0; !err && i < b->summary->n; i++) {
		const struct bench_figure *f = &b->summary->f[i];
		struct store_bench_stat s = {
			.metric = f->name, .unit = f->unit, .n = (int64_t)f->n,
			.median = f->s.median, .min = f->s.min,
			.max = f->s.max, .ci_low = f->s.ci_low,
			.ci_high = f->s.ci_high, .spread = f->s.spread,
			.unstable = f->s.unstable };

		for (k = 0; !err && k < f->n; k++)
			err = store_bench_add_sample(st, *id, f->name, f->unit,
						     (int64_t)k, f->samples[k]);
		if (!err)
			err = store_bench_add_stat(st, *id, &s);
	}
	return err;
}

static int store_run(const struct bench_args *a, const struct bench_report *b,
		     int64_t *id)
{
	struct store *st = NULL;
	int err = store_open(a->db, &st);

	if (!err)
		err = store_begin(st);
	if (!err)
		err = store_rows(st, a, b, NULL, 0, id);
	if (!err)
		err = store_commit(st);
	if (err)
		fprintf(stderr, PROG ": cannot store the run in %s: %s\n",
			a->db, store_errmsg(st));
	store_close(st);
	return err;
}

/* The exit status of a bench that could not measure. */
static int failed(int err, const struct bench_http_result *r, const char *why)
{
	fprintf(stderr, PROG ": %s\n", why);
	if (err == -ENOENT)
		return EXIT_MISSING;
	if (err == -EINVAL)
		return UNITUNE_EXIT_USAGE;
	if (err == BENCH_EBOOT && (r->boot_status == UNITUNE_EXIT_QEMU_FAILED ||
				   r->boot_status == UNITUNE_EXIT_IMAGE_BAD ||
				   r->boot_status == UNITUNE_EXIT_NO_QEMU))
		return r->boot_status;
	return EXIT_FAILED;
}

/* --push: after the table, so a refused push still leaves the figures. */
static int push(const struct bench_args *a, const struct bench_report *b)
{
	char why[UNITUNE_WHY_MAX];

	if (bench_push(a->push, b, why, sizeof(why))) {
		fprintf(stderr, PROG ": error: push to %s: %s\n", a->push, why);
		return -1;
	}
	fprintf(stderr, PROG ": pushed to %s (job " BENCH_PUSH_JOB
		", commit %s, config_hash %s)\n", a->push,
		b->env->git_commit[0] ? b->env->git_commit : "unknown",
		b->config_hash);
	return 0;
}

static int report(struct bench_args *a, struct bench_http_result *r)
{
	char root[PATH_MAX], hash[65];
	struct env_facts env;
	struct bench_summary s;
	struct bench_report b = { .image = a->vm.image, .config_hash = hash,
				  .env = &env, .opts = &a->o, .result = r,
				  .summary = &s, .db_path = a->db };
	int status = 0;

	if (bench_figures_summarize(r, &s)) {
		fprintf(stderr, PROG ": error: out of memory\n");
		return EXIT_FAILED;
	}
	image_config_hash(a->vm.image, hash);
	env_collect(paths_root(root, sizeof(root)) ? "." : root, a->vm.qemu,
		    &env);
	if (store_run(a, &b, &b.bench_id))
		status = EXIT_FAILED;
	if (a->json)
		bench_report_json(stdout, &b);
	else
		bench_report_table(stdout, &b);
	if (output_finish_stdout(PROG))
		status = EXIT_FAILED;
	if (a->push && push(a, &b))
		status = EXIT_FAILED;
	bench_summary_free(&s);
	return status;
}

/* A side's summary: its rounds' figures, each round's first 200 and the
 * smallest memory. 0 or -ENOMEM. */
static int side_summary(const struct bench_side *side, struct bench_summary *s)
{
	double mem = (double)side->min_mem_kib;
	int err = bench_figures_summarize(&side->r, s);

	if (!err)
		err = bench_summary_add(s, "first_200_ms", "first HTTP 200",
					"ms", true, side->first_200_ms,
					side->r.nreps);
	if (!err && side->min_mem_kib)
		err = bench_summary_add(s, "min_mem_kib", "smallest memory",
					"KiB", false, &mem, 1);
	return err == -EINVAL ? 0 : err;
}

/* Both sides, the unikernel first, and the ratios against both rows. */
static int store_pair(const struct bench_args *a, struct bench_report *b,
		      const struct bench_compare *c)
{
	struct store *st = NULL;
	size_t i;
	int err = store_open(a->db, &st);

	if (!err)
		err = store_begin(st);
	if (!err)
		err = store_rows(st, a, &b[0], "unikernel", 0, &b[0].bench_id);
	if (!err)
		err = store_rows(st, a, &b[1], "linux", b[0].bench_id,
				 &b[1].bench_id);
	for (i = 0; !err && i < c->n; i++) {
		const struct bench_compare_row *row = &c->row[i];
		struct store_bench_ratio sr = {
			.metric = row->name, .n = (int64_t)row->r.n,
			.ratio = row->r.ratio, .ci_low = row->r.ci_low,
			.ci_high = row->r.ci_high };

		if (row->ok)
			err = store_bench_add_ratio(st, b[0].bench_id,
						    b[1].bench_id, &sr);
	}
	if (!err)
		err = store_commit(st);
	if (err) {
		fprintf(stderr, PROG ": cannot store the run in %s: %s\n",
			a->db, store_errmsg(st));
		b[0].bench_id = b[1].bench_id = 0;
	}
	store_close(st);
	return err;
}

static int report_pair(struct bench_args *a, struct bench_pair_result *pr)
{
	char root[PATH_MAX], hash[65];
	struct env_facts env;
	struct bench_summary s[BENCH_SIDES] = { 0 };
	struct bench_report b[BENCH_SIDES];
	struct bench_compare c;
	const char *images[BENCH_SIDES] = { a->vm.image, a->linux_kernel };
	int status = 0, err = 0, i;

	image_config_hash(a->vm.image, hash);
	env_collect(paths_root(root, sizeof(root)) ? "." : root, a->vm.qemu,
		    &env);
	for (i = 0; !err && i < BENCH_SIDES; i++) {
		struct bench_side *side = &pr->side[i];

		/* The table's and the row's first 200: the rounds' median. */
		err = side_summary(side, &s[i]);
		if (!err) {
			const struct bench_figure *f =
				bench_summary_find(&s[i], "first_200_ms");
			side->r.first_200_ms = f ? f->s.median : 0;
		}
		b[i] = (struct bench_report){
			.image = images[i],
			.config_hash = i == BENCH_SIDE_LINUX ? "linux" : hash,
			.env = &env, .opts = &a->o, .result = &side->r,
			.summary = &s[i], .db_path = a->db };
	}
	if (!err)
		err = bench_compare_make(&s[0], &s[1], a->min_mem_kib, &c);
	if (err) {
		fprintf(stderr, PROG ": error: out of memory\n");
		status = EXIT_FAILED;
		goto out;
	}
	if (store_pair(a, b, &c))
		status = EXIT_FAILED;
	for (i = 0; i < BENCH_SIDES; i++) {
		printf("== %s%s ==\n", bench_side_name(i),
		       i == BENCH_SIDE_LINUX ? " (nginx, scripts/linux-guest.sh)"
					     : "");
		bench_report_table(stdout, &b[i]);
		printf("\n");
	}
	printf("== unikernel / linux: %zu rounds, alternating (ABAB), "
	       "a boot each; both %llu KiB, same QEMU and network path; the "
	       "same %zu-byte page ==\n", pr->side[0].r.nreps,
	       (unsigned long long)a->o.run.mem_kib, pr->page_bytes);
	bench_compare_table(stdout, &c);
	if (a->min_mem_kib)
		printf("smallest memory: to %llu KiB (%u and %u boots)\n",
		       (unsigned long long)a->min_mem_kib,
		       pr->side[0].min_mem_probes, pr->side[1].min_mem_probes);
	if (output_finish_stdout(PROG))
		status = EXIT_FAILED;
	/* Each side its own group: the Linux VM's config hash is "linux". */
	for (i = 0; a->push && i < BENCH_SIDES; i++)
		if (push(a, &b[i]))
			status = EXIT_FAILED;
out:
	for (i = 0; i < BENCH_SIDES; i++)
		bench_summary_free(&s[i]);
	return status;
}

/* The Linux guest's files: the options' or scripts/linux-guest.sh's. */
static int baseline_files(struct bench_args *a, char *kernel, char *initrd,
			  size_t len)
{
	char root[PATH_MAX - 64], why[UNITUNE_WHY_MAX];
	bool built = !a->linux_kernel && !a->linux_initrd;

	if (paths_root(root, sizeof(root)))
		snprintf(root, sizeof(root), ".");
	if (!a->linux_kernel)
		snprintf(kernel, len, "%s/" LINUX_GUEST_DIR "/vmlinuz", root);
	else
		snprintf(kernel, len, "%s", a->linux_kernel);
	if (!a->linux_initrd)
		snprintf(initrd, len, "%s/" LINUX_GUEST_DIR "/initrd.gz", root);
	else
		snprintf(initrd, len, "%s", a->linux_initrd);
	a->linux_kernel = kernel;
	a->linux_initrd = initrd;
	if (!linux_boot_check(kernel, initrd, why, sizeof(why)))
		return 0;
	fprintf(stderr, PROG ": the Linux baseline: %s%s\n", why,
		built ? " (build it with scripts/linux-guest.sh)" : "");
	return UNITUNE_EXIT_IMAGE_BAD;
}

static int bench_baseline(struct bench_args *a)
{
	static char kernel[PATH_MAX], initrd[PATH_MAX];
	struct bench_pair_opts po = { .uk = &a->o,
				      .min_mem_resolution_kib = a->min_mem_kib };
	struct bench_pair_result pr;
	char why[UNITUNE_WHY_MAX];
	int status, err;

	status = baseline_files(a, kernel, initrd, sizeof(kernel));
	if (status)
		return status;
	po.linux_kernel = kernel;
	po.linux_initrd = initrd;
	err = bench_pair_run(&po, &pr, why, sizeof(why));
	status = err ? failed(err, &pr.side[pr.failed].r, why) :
		       report_pair(a, &pr);
	bench_pair_result_free(&pr);
	return status;
}

/* A figure of --per-request's line: "missing" for a family the guest's
 * /metrics lacks. */
static void print_per(const char *name, double v)
{
	if (isnan(v))
		printf(" %s=missing", name);
	else
		printf(" %s=%.3f", name, v);
}

/* --per-request N: bench/per_request.h, one line of figures. */
static int per_request(const struct bench_args *a)
{
	struct bench_per_request_opts po = {
		.run = a->o.run, .guest_port = a->o.guest_port,
		.path = a->o.path, .requests = a->per_request,
		.real_idle = !a->idle || !strcmp(a->idle, "real"),
		.ready_timeout_ns = a->o.ready_timeout_ns,
		.progress = a->o.progress,
	};
	struct bench_per_request r;
	char why[UNITUNE_WHY_MAX];
	int err;

	/* No wrk: the deadline is the page requests' (a second each is
	 * far beyond what -icount needs) and the wait for the first 200. */
	po.run.timeout_ns = a->o.ready_timeout_ns +
			    (int64_t)a->per_request * 1000000000LL +
			    60000000000LL;
	err = bench_per_request_run(&po, &r, why, sizeof(why));
	if (err) {
		fprintf(stderr, PROG ": %s\n", why);
		return err == -EINVAL ? UNITUNE_EXIT_USAGE : EXIT_FAILED;
	}
	printf("unitune bench http --per-request %u %s\n", r.requests,
	       a->vm.image);
	printf("  %u GETs of %s in turn on one keep-alive connection, "
	       "deterministic (-icount, --idle %s), one scrape's own work "
	       "subtracted\n", r.requests, a->o.path,
	       po.real_idle ? "real" : "skip");
	printf("per request:");
	print_per("busy", r.busy);
	print_per("executed", r.executed);
	print_per("loop_busy", r.loop_busy);
	print_per("latency", r.latency);
	print_per("frames", r.frames);
	print_per("halts", r.halts);
	print_per("wakeups", r.wakeups);
	printf("\n");
	return output_finish_stdout(PROG) ? EXIT_FAILED : 0;
}

static int bench_http(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt,
					  "IMAGE [-- APP ARGS...]", doc,
					  NULL, NULL, NULL };
	struct bench_args a = {
		.vm = RUN_ARGS_INIT("0"),
		.o = { .threads = BENCH_HTTP_THREADS,
		       .connections = BENCH_HTTP_CONNECTIONS,
		       .repetitions = BENCH_HTTP_REPETITIONS,
		       .duration_ns = BENCH_HTTP_DURATION_S * 1000000000LL,
		       .warmup_ns = -1,
		       .guest_port = BENCH_HTTP_GUEST_PORT,
		       .path = "/", .wrk = "wrk",
		       .ready_timeout_ns = BENCH_HTTP_READY_TIMEOUT_S *
					   1000000000LL,
		       .setup_ns = -1 },
		.db = STORE_DEFAULT_PATH,
	};
	uint64_t min_mem_default;
	struct bench_http_result r;
	char why[UNITUNE_WHY_MAX];
	int status, err;

	status = run_args_parse(&argp, argc, argv, PROG, &a, &a.vm);
	if (status)
		return status;
	status = run_args_check_cmdline(&a.vm, a.vm.kernel_args, PROG);
	if (status)
		return status;
	if (a.o.warmup_ns < 0)
		a.o.warmup_ns = a.o.duration_ns;
	if (a.o.setup_ns < 0)
		a.o.setup_ns = WRK_SETUP_NS(a.o.connections);
	if (!size_parse_mem_kib(BASELINE_MIN_MEM_RES, &min_mem_default) &&
	    !a.min_mem_set)
		a.min_mem_kib = min_mem_default;
	run_args_fill(&a.vm, &a.o.run);
	a.o.run.echo = a.vm.verbose ? stderr : NULL;
	a.o.run.on_published = NULL;
	a.o.run.timeout_ns = guest_limit(&a.o);
	a.o.progress = a.vm.verbose ? stderr : NULL;
	if (fetch_global_init()) {
		fprintf(stderr, PROG ": error: libcurl cannot start\n");
		return EXIT_FAILED;
	}
	if (a.per_request) {
		status = per_request(&a);
	} else if (a.baseline) {
		status = bench_baseline(&a);
	} else {
		err = bench_http_run(&a.o, &r, why, sizeof(why));
		status = err ? failed(err, &r, why) : report(&a, &r);
		bench_http_result_free(&r);
	}
	fetch_global_cleanup();
	return status;
}

int cmd_bench(int argc, char **argv)
{
	int i;

	if (argc >= 2 && !strcmp(argv[1], "http"))
		return bench_http(argc - 1, argv + 1);
	/* Only one kind yet: its help is the verb's. */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-?") ||
		    !strcmp(argv[i], "-h"))
			return bench_http(argc, argv);
	fprintf(stderr, "unitune bench: %s (the only one is http: unitune "
		"bench http [OPTION...] IMAGE)\n",
		argc < 2 ? "missing the kind of bench" : "unknown kind of bench");
	return UNITUNE_EXIT_USAGE;
}

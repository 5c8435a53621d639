/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run-time control: which trace points are on (uk.trace=), how often the
 * sampler fires (uk.sample_hz=), how often the buffer drains on a timer
 * (uk.trace_drain_ms=), and where the stream goes (the host's
 * virtio-serial port). Tracing starts only when the port exists: an image
 * booted without `unitune record` pays one branch per trace point.
 */
#include <uk/boot.h>
#include <uk/errno.h>
#include <uk/exit.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/string.h>
#include <uk/trace.h>
#include <uk/trap.h>
#include <uk/virtio_console.h>

extern struct uk_tracepoint _uk_tracepoints_start[], _uk_tracepoints_end[];

static uint32_t sample_hz = CONFIG_UKTRACE_SAMPLE_HZ;
static uint32_t drain_ms = CONFIG_UKTRACE_DRAIN_MS;
static bool drain_on_half = true;
static struct plat_periodic sampler, drainer;

bool uk_trace_drain_policy_half(void)
{
	return drain_on_half;
}

static int param_trace_drain(const char *value)
{
	if (!strcmp(value, "half"))
		drain_on_half = true;
	else if (!strcmp(value, "idle"))
		drain_on_half = false;
	else
		return -EINVAL;
	uk_trace_set_drain_on_half(drain_on_half);
	return 0;
}
UK_PARAM("trace_drain", param_trace_drain, "half (default) or idle: when the trace buffer is sent");

/* '*' matches any run of characters; nothing else is special. */
static int glob_match(const char *pat, size_t plen, const char *s)
{
	if (!plen)
		return !*s;
	if (*pat == '*')
		return glob_match(pat + 1, plen - 1, s) ||
		       (*s && glob_match(pat, plen, s + 1));
	return *s && *pat == *s && glob_match(pat + 1, plen - 1, s + 1);
}

static int parse_hex(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned d = (*s >= '0' && *s <= '9')	? (unsigned)(*s - '0')
			     : (*s >= 'a' && *s <= 'f') ? (unsigned)(*s - 'a' + 10)
			     : (*s >= 'A' && *s <= 'F') ? (unsigned)(*s - 'A' + 10)
							: 16;
		if (d > 15 || v >> 60)
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

int uk_trace_enable(const char *spec)
{
	int matches = 0;

	if (spec[0] == '0' && spec[1] == 'x') {
		uint64_t mask;
		if (parse_hex(spec + 2, &mask))
			return -EINVAL;
		for (struct uk_tracepoint *tp = _uk_tracepoints_start;
		     tp < _uk_tracepoints_end; tp++) {
			size_t id = (size_t)(tp - _uk_tracepoints_start);
			tp->enabled = id < 64 && (mask >> id & 1);
			matches += tp->enabled;
		}
		return matches;
	}
	while (*spec) {
		const char *end = strchr(spec, ',');
		size_t len = end ? (size_t)(end - spec) : strlen(spec);
		const char *pat = spec;
		size_t plen = len;
		int any = 0;
		if (len == 3 && !strncmp(spec, "all", 3))
			pat = "*", plen = 1;
		for (struct uk_tracepoint *tp = _uk_tracepoints_start;
		     tp < _uk_tracepoints_end; tp++)
			if (glob_match(pat, plen, tp->name)) {
				matches += !tp->enabled;
				tp->enabled = true;
				any = 1;
			}
		if (!any && len)
			return -ENOENT;
		spec += len + (end ? 1 : 0);
	}
	return matches;
}

static int param_trace(const char *value)
{
	int n = uk_trace_enable(value);
	if (n < 0)
		uk_pr_warn("uk.trace=%s: no such trace point\n", value);
	return n < 0 ? n : 0;
}
UK_PARAM("trace", param_trace, "trace points to enable: names with * globs, all, or 0xMASK");

/* Decimal digits up to max (below UINT32_MAX / 10) into *out: 0, -EINVAL
 * or -ERANGE. */
static int parse_u32(const char *value, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;

	if (!*value)
		return -EINVAL;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (v > max)
			return -ERANGE;
		v = v * 10 + (uint32_t)(*p - '0');
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int param_sample_hz(const char *value)
{
	int err = parse_u32(value, 100000, &sample_hz);

	/* The parameters are parsed after tracing started. */
	if (!err)
		uk_trace_sampler_configure();
	return err;
}
UK_PARAM("sample_hz", param_sample_hz, "sampling frequency in Hz (0: off, at most 100000)");

static void on_sample(struct trap_frame *frame, uint64_t missed, void *arg)
{
	(void)arg;
	uk_trace_sample(frame, missed);
}

void uk_trace_sampler_configure(void)
{
	if (!uk_trace_active())
		return;
	uk_trace_set_sample_hz(sample_hz);
	if (!sample_hz)
		plat_periodic_stop(&sampler);
	else if (plat_periodic_start(&sampler, 1000000000ULL / sample_hz, true,
				     on_sample, NULL) < 0)
		uk_pr_warn("sampling needs the LAPIC timer, which does not run\n");
}

static void on_drain_timer(struct trap_frame *frame, uint64_t missed,
			   void *arg)
{
	(void)frame, (void)missed, (void)arg;
	uk_trace_drain();
}

static void drain_timer_configure(void)
{
	if (!uk_trace_active())
		return;
	if (drain_ms && plat_periodic_start(&drainer, drain_ms * 1000000ULL,
					    false, on_drain_timer, NULL) < 0) {
		uk_pr_warn("the periodic trace drain needs the LAPIC timer, "
			   "which does not run\n");
		drain_ms = 0;
	}
	if (!drain_ms)
		plat_periodic_stop(&drainer);
	uk_trace_set_drain_ms(drain_ms);
}

static int param_trace_drain_ms(const char *value)
{
	int err = parse_u32(value, 3600000, &drain_ms);

	if (!err)
		drain_timer_configure();
	return err;
}
UK_PARAM("trace_drain_ms", param_trace_drain_ms, "send the trace buffer every N ms from the timer (0: never; at most 3600000)");

static long port_write(void *ctx, const void *buf, size_t len)
{
	return uk_vcon_port_write(ctx, buf, len);
}

void uk_trace_init(void)
{
	struct uk_vcon_port *port = uk_vcon_port_find(UNITUNE_TRACE_PORT);

	if (!port)
		return;
	struct uk_trace_sink sink = { port_write, port };
	uk_trace_start(&sink);
	uk_trace_sampler_configure();
	drain_timer_configure();
}

/* Exit or crash: stop sampling, send the end record and everything
 * before it, so the samples taken just before a crash reach the host. */
static void trace_at_exit(int status)
{
	if (!uk_trace_active())
		return;
	plat_periodic_stop(&sampler);
	plat_periodic_stop(&drainer);
	uk_trace_finish(status, status < 0);
}
UK_EXIT_HOOK(trace_at_exit);

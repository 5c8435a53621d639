/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One wrk run held until its connections are set up, and its result
 * line (bench/wrk.h).
 */
#include "wrk.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conns.h"
#include "count.h"
#include "spawn.h"
#include "strbuf.h"

#define LINE_TAG "unitune-wrk "
/* wrk gets SIGINT at the end of the timed part; it sums up within its
 * 100 ms sampling tick. Past this, it is killed. */
#define WRK_EXIT_NS (30 * 1000000000LL)
/* wrk's own -d stays out of the way: longer than the setup and the
 * timed part together. */
#define WRK_SLACK_S 30

struct field {
	const char *key;
	size_t off;	/* offset of a uint64_t or a double in the parsed */
	bool is_real;
};

struct parsed {
	int64_t open_us, end_us;
	uint64_t requests, pre_requests, bytes;
	double p50, p90, p99, max;
	uint64_t connect, read, write, status, timeout;
};

#define U(k, m) { k, offsetof(struct parsed, m), false }
#define R(k, m) { k, offsetof(struct parsed, m), true }
static const struct field fields[] = {
	U("requests", requests), U("pre_requests", pre_requests),
	U("bytes", bytes),
	R("latency_p50_us", p50), R("latency_p90_us", p90),
	R("latency_p99_us", p99), R("latency_max_us", max),
	U("errors_connect", connect), U("errors_read", read),
	U("errors_write", write), U("errors_status", status),
	U("errors_timeout", timeout),
};
#undef U
#undef R

/* The value of " KEY=" in line[0..len) as its text. */
static const char *find_value(const char *line, size_t len, const char *key,
			      size_t *vlen)
{
	size_t k = strlen(key), i;

	for (i = 0; i + k + 1 <= len; i++) {
		if ((i == 0 || line[i - 1] == ' ') &&
		    !strncmp(line + i, key, k) && line[i + k] == '=') {
			const char *v = line + i + k + 1;

			*vlen = strcspn(v, " \n");
			if (v + *vlen > line + len)
				*vlen = (size_t)(line + len - v);
			return v;
		}
	}
	return NULL;
}

static int parse_signed(const char *line, size_t len, const char *key,
			int64_t *out, char *why, size_t why_len)
{
	char buf[32];
	size_t n;
	const char *v = find_value(line, len, key, &n);

	if (!v || n >= sizeof(buf)) {
		snprintf(why, why_len, "wrk's result line has no %s=", key);
		return -EINVAL;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (count_parse_signed(buf, out)) {
		snprintf(why, why_len, "wrk's result line: %s=%s is not a number",
			 key, buf);
		return -EINVAL;
	}
	return 0;
}

static int parse_field(const char *line, size_t len, const struct field *fd,
		       struct parsed *p, char *why, size_t why_len)
{
	size_t n = 0, used;
	const char *v = find_value(line, len, fd->key, &n);
	uint64_t u = 0;
	double d = 0;

	if (!v || !n) {
		snprintf(why, why_len, "wrk's result line has no %s=", fd->key);
		return -EINVAL;
	}
	if (fd->is_real ? count_parse_real(v, n, &d)
			: count_scan(v, n, UINT64_MAX, &u, &used) || used != n) {
		snprintf(why, why_len, "wrk's result line: %s=%.*s is not a "
			 "number", fd->key, (int)n, v);
		return -EINVAL;
	}
	if (fd->is_real)
		*(double *)((char *)p + fd->off) = d;
	else
		*(uint64_t *)((char *)p + fd->off) = u;
	return 0;
}

/* The last line starting with LINE_TAG. */
static const char *find_line(const char *text, size_t len, size_t *line_len)
{
	const char *p = text, *end = text + len, *found = NULL, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if ((size_t)(nl - p) >= strlen(LINE_TAG) &&
		    !strncmp(p, LINE_TAG, strlen(LINE_TAG))) {
			found = p;
			*line_len = (size_t)(nl - p);
		}
		p = nl + 1;
	}
	return found;
}

int wrk_parse(const char *text, size_t len, struct wrk_figures *f, char *why,
	      size_t why_len)
{
	struct parsed p = { 0 };
	size_t n, i;
	const char *line = find_line(text, len, &n);
	int err;

	if (!line) {
		snprintf(why, why_len, "wrk printed no '%.11s' line (was the "
			 "script loaded?)", LINE_TAG);
		return -EINVAL;
	}
	err = parse_signed(line, n, "open_us", &p.open_us, why, why_len);
	if (!err)
		err = parse_signed(line, n, "end_us", &p.end_us, why, why_len);
	for (i = 0; !err && i < sizeof(fields) / sizeof(fields[0]); i++)
		err = parse_field(line, n, &fields[i], &p, why, why_len);
	if (err)
		return err;
	if (p.open_us < 0) {
		snprintf(why, why_len, "wrk's result line has no start time "
			 "(open_us)");
		return -EINVAL;
	}
	if (p.end_us <= p.open_us) {
		snprintf(why, why_len, "wrk's result line: end_us %" PRId64
			 " is not after open_us %" PRId64, p.end_us, p.open_us);
		return -EINVAL;
	}
	/* The requests sent before the start are not timed; their bytes are
	 * taken out in proportion. */
	f->requests = p.requests > p.pre_requests ?
		      p.requests - p.pre_requests : 0;
	f->bytes = p.requests ? (uint64_t)((double)p.bytes * (double)f->requests /
					   (double)p.requests) : 0;
	f->window_s = (double)(p.end_us - p.open_us) / 1e6;
	f->requests_per_s = (double)f->requests / f->window_s;
	f->bytes_per_s = (double)f->bytes / f->window_s;
	f->latency_p50_us = p.p50;
	f->latency_p90_us = p.p90;
	f->latency_p99_us = p.p99;
	f->latency_max_us = p.max;
	f->errors_connect = p.connect;
	f->errors_read = p.read;
	f->errors_write = p.write;
	f->errors_timeout = p.timeout;
	f->non_2xx = p.status;
	return 0;
}

/* Sleep until the CLOCK_MONOTONIC time t (spawn_now_ns()). */
static void sleep_until(int64_t t)
{
	int64_t left = t - spawn_now_ns();

	if (left > 0)
		spawn_sleep_ns(left);
}

/* The first line of text, for a message. */
static void first_line(const struct strbuf *sb, char *out, size_t len)
{
	const char *s = sb->buf ? sb->buf : "";

	snprintf(out, len, "%.*s", (int)strcspn(s, "\n"), s);
}

struct capture {
	struct strbuf out, err;
};

static int sink_out(void *ctx, const char *buf, size_t n)
{
	return strbuf_add(&((struct capture *)ctx)->out, buf, n);
}

static int sink_err(void *ctx, const char *buf, size_t n)
{
	struct strbuf *err = &((struct capture *)ctx)->err;

	/* wrk says little on stderr; a flood is not worth keeping. */
	return err->len > 65536 ? 0 : strbuf_add(err, buf, n);
}

_Static_assert(SPAWN_PASS_FD == 3, "WRK_SCRIPT_PASSED names SPAWN_PASS_FD");

int wrk_run(const struct wrk_run_opts *o, struct wrk_figures *f, char *why,
	    size_t why_len)
{
	char t[24], c[24], d[24], go_arg[24], gap_arg[24], msg[256];
	char status[64];
	const char *argv[] = { o->wrk, "-t", t, "-c", c, "-d", d, "-s",
			       o->script, o->url, "--", go_arg, gap_arg,
			       NULL };
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL, .out = SPAWN_PIPE,
				       .err = SPAWN_PIPE,
				       .pass_fd = o->script_fd };
	struct capture cap = { STRBUF_INIT, STRBUF_INIT };
	struct spawn_wait_cfg wc = { .timeout_ns = WRK_EXIT_NS,
				     .on_out = sink_out,
				     .on_err = sink_err,
				     .ctx = &cap };
	struct spawn_exit ex;
	struct conns_state cs = { 0 };
	struct spawn sp;
	int64_t go;
	int err;

	memset(f, 0, sizeof(*f));
	snprintf(t, sizeof(t), "%u", o->threads);
	snprintf(c, sizeof(c), "%u", o->connections);
	snprintf(d, sizeof(d), "%llds",
		 (long long)((o->setup_ns + o->duration_ns) / 1000000000LL +
			     WRK_SLACK_S));
	go = spawn_now_ns() + o->setup_ns;
	snprintf(go_arg, sizeof(go_arg), "%lld", (long long)(go / 1000));
	/* Each thread paces its own connections: one request every
	 * WRK_SETUP_SPACING_NS from all of them together. */
	snprintf(gap_arg, sizeof(gap_arg), "%lld",
		 (long long)(WRK_SETUP_SPACING_NS * o->threads / 1000));
	err = spawn_cmd(&sp, argv, &cfg);
	if (err == -ENOENT) {
		snprintf(why, why_len, "%s not found; install it with "
			 "scripts/deps.sh or apt-get install wrk", o->wrk);
		return err;
	}
	if (err) {
		snprintf(why, why_len, "cannot start %s: %s", o->wrk,
			 strerror(-err));
		return -EIO;
	}
	/* Just before the start: how many connections the host has set up
	 * (those still in slirp's accept queue are not). */
	sleep_until(go - 1000000LL);
	if (!conns_read(o->port, &cs))
		f->connections_ready = cs.established >= cs.accept_queue ?
				       cs.established - cs.accept_queue : 0;
	sleep_until(go + o->duration_ns);
	kill(sp.pid, SIGINT);
	/* The wait's limit counts from wrk's start. */
	wc.timeout_ns = spawn_now_ns() - sp.start_ns + WRK_EXIT_NS;
	err = spawn_wait(&sp, &wc, &ex);
	if (err) {
		snprintf(why, why_len, "wrk's output: %s", strerror(-err));
		err = -EIO;
	} else if (!WIFEXITED(ex.wstatus) || WEXITSTATUS(ex.wstatus)) {
		spawn_describe(ex.wstatus, status, sizeof(status));
		first_line(cap.err.len ? &cap.err : &cap.out, msg, sizeof(msg));
		snprintf(why, why_len, "wrk %s%s%s", status, *msg ? ": " : "",
			 msg);
		err = -EIO;
	} else if (wrk_parse(cap.out.buf ? cap.out.buf : "", cap.out.len, f,
			     msg, sizeof(msg))) {
		snprintf(why, why_len, "%s", msg);
		err = -EIO;
	}
	strbuf_release(&cap.out);
	strbuf_release(&cap.err);
	return err;
}

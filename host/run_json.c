/* SPDX-License-Identifier: BSD-3-Clause */
#include "run_json.h"

#include <errno.h>
#include <string.h>

#include "console.h"
#include "strbuf.h"

static void boot_json(struct json *w, const struct runner_result *r)
{
	struct console_boot b;

	json_key(w, "boot");
	if (console_find_boot(r->console, r->console_len, &b)) {
		json_null(w);
		return;
	}
	json_begin_object(w);
	json_key(w, "cycles");
	json_u64(w, b.cycles);
	json_key(w, "tsc_first");
	json_u64(w, b.tsc_first);
	json_key(w, "tsc_main");
	json_u64(w, b.tsc_main);
	json_key(w, "tsc_hz");
	if (b.tsc_hz)
		json_u64(w, b.tsc_hz);
	else
		json_null(w);
	json_end_object(w);
}

/* bench.pattern.field, the tuner's name of the metric. */
static void metric_name(struct json *w, const struct console_result *res,
			const struct console_kv *f)
{
	struct strbuf name = STRBUF_INIT;

	if (strbuf_addf(&name, "%.*s.%.*s.%.*s", (int)res->bench_len,
			res->bench, (int)res->pattern_len, res->pattern,
			(int)f->key_len, f->key))
		json_fail(w, -ENOMEM);
	else
		json_string_n(w, name.buf, name.len);
	strbuf_release(&name);
}

/* One result line: its numeric fields as metrics, a failed=<reason>
 * as "failed", other text fields under "text". */
static void result_json(struct json *w, const struct console_result *res)
{
	size_t i;
	double v;

	json_begin_object(w);
	json_key(w, "bench");
	json_string_n(w, res->bench, res->bench_len);
	json_key(w, "pattern");
	json_string_n(w, res->pattern, res->pattern_len);
	json_key(w, "failed");
	for (i = 0; i < res->n; i++)
		if (res->f[i].key_len == 6 && !memcmp(res->f[i].key, "failed", 6))
			break;
	if (i < res->n)
		json_string_n(w, res->f[i].val, res->f[i].val_len);
	else
		json_null(w);
	json_key(w, "metrics");
	json_begin_array(w);
	for (i = 0; i < res->n; i++) {
		const struct console_kv *f = &res->f[i];

		if (console_field_number(f->val, f->val_len, &v))
			continue;
		json_begin_object(w);
		json_key(w, "metric");
		metric_name(w, res, f);
		json_key(w, "value");
		json_double(w, v);
		json_key(w, "unit");
		json_string(w, console_field_unit(f->key, f->key_len));
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "text");
	json_begin_object(w);
	for (i = 0; i < res->n; i++) {
		const struct console_kv *f = &res->f[i];

		if (!console_field_number(f->val, f->val_len, &v) ||
		    (f->key_len == 6 && !memcmp(f->key, "failed", 6)))
			continue;
		json_key_n(w, f->key, f->key_len);
		json_string_n(w, f->val, f->val_len);
	}
	json_end_object(w);
	json_end_object(w);
}

static void results_json(struct json *w, const struct runner_result *r)
{
	const char *line;
	size_t pos = 0, n;

	json_key(w, "results");
	json_begin_array(w);
	while (console_next_line(r->console, r->console_len, &pos, &line,
				 &n)) {
		struct console_result res;

		if (!console_parse_result(line, n, &res))
			result_json(w, &res);
	}
	json_end_array(w);
}

/* The forwards QEMU was given; before QEMU started, those asked for,
 * with null for a host port still to be picked. */
static void publish_json(struct json *w, const struct runner_opts *o,
			 const struct runner_result *r)
{
	const struct runner_publish *p = r->npublished ? r->published
							: o->publish;
	size_t i, n = r->npublished ? r->npublished : o->npublish;

	json_key(w, "net");
	json_string(w, runner_net_name(o->net));
	json_key(w, "publish");
	json_begin_array(w);
	for (i = 0; i < n; i++) {
		json_begin_object(w);
		json_key(w, "host_address");
		json_string(w, PUBLISH_ADDRESS);
		json_key(w, "host_port");
		if (p[i].host)
			json_u64(w, p[i].host);
		else
			json_null(w);
		json_key(w, "guest_port");
		json_u64(w, p[i].guest);
		json_end_object(w);
	}
	json_end_array(w);
	json_key(w, "publish_failed");
	if (r->publish_failed)
		json_u64(w, r->publish_failed);
	else
		json_null(w);
}

void run_json_write(struct json *w, const struct runner_opts *o,
		    const struct runner_result *r, int exit_status)
{
	bool exited = r->outcome == RUNNER_EXITED;

	json_begin_object(w);
	json_key(w, "image");
	json_string(w, o->image);
	json_key(w, "outcome");
	json_string(w, outcome_name(r->outcome));
	json_key(w, "exit_status");
	json_i64(w, exit_status);
	json_key(w, "app_status");
	if (exited)
		json_i64(w, r->app_status);
	else
		json_null(w);
	json_key(w, "reason");
	json_string(w, exited ? NULL : r->reason);
	json_key(w, "clock");
	json_string(w, !o->deterministic ? "wall"
		       : o->real_idle ? "instructions" : "deterministic");
	json_key(w, "accel");
	json_string(w, r->qemu_ran ? runner_accel_name(r->accel) : NULL);
	json_key(w, "wall_s");
	if (r->qemu_ran)
		json_double(w, (double)r->wall_ns / 1e9);
	else
		json_null(w);
	publish_json(w, o, r);
	boot_json(w, r);
	results_json(w, r);
	json_key(w, "console_bytes");
	json_u64(w, r->console_len);
	json_key(w, "console_dropped");
	json_u64(w, r->console_dropped);
	json_end_object(w);
}

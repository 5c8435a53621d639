/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the whole path of `unitune report` after the file is
 * read. A fuzzed stream is decoded, its samples symbolized against a
 * small fixed ELF (views_image.c, linked where the corpus's PCs land),
 * and every view is rendered: top functions (text and JSON), trace
 * points, folded stacks, the flame graph (plain, and differential and
 * two-column folded against the profile itself), the speedscope and pprof
 * exports and the timeline's plot data (gnuplot itself is not run: it is
 * another program, and slow). Output goes to /dev/null; any crash,
 * sanitizer report, leak or misuse of the JSON writer is a finding.
 *
 * The input reaches trace_load() as a file, /proc/self/fd/N of a memfd,
 * so the code under test is exactly the verb's. FUZZ_VIEWS_IMAGE names
 * the ELF (the build passes its absolute path).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "json.h"
#include "pprof.h"
#include "report.h"
#include "strbuf.h"
#include "trace.h"
#include "why.h"

#ifndef FUZZ_VIEWS_IMAGE
#error "FUZZ_VIEWS_IMAGE must name the ELF to symbolize against"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_file(const uint8_t *data, size_t size, char *path,
		      size_t len)
{
	int fd = memfd_create("fuzz-views", 0);

	if (fd < 0)
		return -1;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

static void render_json(struct trace *t, FILE *sink)
{
	struct json w;

	json_init(&w, sink);
	json_begin_object(&w);
	trace_summary_json(t, "fuzz.uttr", &w);
	report_top_json(t->prof, &w, 0);
	json_end_object(&w);
	if (json_finish(&w) == -EINVAL)
		abort();	/* unbalanced document: a bug, not bad input */
}

static void render(struct trace *t, FILE *sink)
{
	render_json(t, sink);
	speedscope_write(t->prof, sink, "fuzz");
	pprof_write(t, sink);
	trace_print_summary(t, sink);
	trace_print_lost(t, sink);
	report_top(t->prof, sink, 0);
	report_top(t->prof, sink, 3);
	tpstats_print(t->tps, sink, stream_info(t->stream)->tsc_hz);
	folded_write(t->prof, sink);
	flame_write(t->prof, sink, "fuzz");
	/* The pair views against the profile itself: every frame matched. */
	flame_diff_write(t->prof, t->prof, sink, "fuzz");
	folded_diff_write(t->prof, t->prof, sink);
	timeline_write_data(t->tl, sink, TIMELINE_BINS_DEFAULT);
	timeline_write_data(t->tl, sink, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct trace_opts o = { .image = FUZZ_VIEWS_IMAGE,
				.profile = true, .tracepoints = true,
				.timeline = true, .force = true };
	struct strbuf diag = STRBUF_INIT;
	char why[UNITUNE_WHY_MAX] = "";
	struct trace t;
	FILE *sink = fopen("/dev/null", "w");
	int fd = input_file(data, size, path, sizeof(path));

	if (!sink || fd < 0)
		abort();	/* the harness itself failed */
	o.path = path;
	/* Half the inputs without inlined frames: the other lookup path. */
	o.no_inline = size && (data[size - 1] & 1);
	if (!trace_load(&t, &o, &diag, why, sizeof(why)))
		render(&t, sink);
	else if (!*why || strchr(why, '\n'))
		abort();	/* one line saying what is wrong, always */
	if (diag.len && diag.buf[diag.len - 1] != '\n')
		abort();	/* whole lines */
	strbuf_release(&diag);
	trace_close(&t);
	close(fd);
	fclose(sink);
	return 0;
}

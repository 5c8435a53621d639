/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Symbolization against a real ELF: this test program itself, which has
 * a symbol table, DWARF (-g) and a GNU build-id. Its functions' link-time
 * addresses are their run-time addresses minus the load bias (the test
 * is a PIE), which is what a trace of a static image would carry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profiler_cmds.h"
#include "link_addr.h"
#include "meta.h"
#include "report.h"
#include "strbuf.h"
#include "stream_writer.h"
#include "symbols.h"
#include "trace.h"
#include "why.h"

#define SELF "/proc/self/exe"

/* Global and noinline so the compiler neither clones nor inlines them. */
int prof_test_known_function(volatile int *p);
int prof_test_outer(volatile int *p, int n);

enum { KNOWN_FIRST_LINE = __LINE__ + 1 };
__attribute__((noinline)) int prof_test_known_function(volatile int *p)
{
	return *p + 1;
}

static inline __attribute__((always_inline)) int prof_test_inlined(int x)
{
	return x * 7 + (x >> 3);
}

enum { CALL_LINE = __LINE__ + 6 };
__attribute__((noinline)) int prof_test_outer(volatile int *p, int n)
{
	int s = 0, i;

	for (i = 0; i < n; i++)
		s += prof_test_inlined(p[i]) ^ i;
	return s;
}

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "";
}

static void test_named_with_line(void **state)
{
	struct symbolizer *s;
	const struct sym_loc *l;
	char err[512];
	uint64_t a = link_addr((const void *)prof_test_known_function), sa, sz;

	(void)state;
	assert_int_equal(symbolizer_open(&s, SELF, err, sizeof(err)), 0);
	assert_int_equal(symbolizer_function(s, "prof_test_known_function",
					     &sa, &sz), 0);
	assert_true(sa == a);
	assert_true(sz > 0);
	l = symbolizer_lookup(s, a);
	assert_non_null(l);
	assert_int_equal(l->nframes, 1);
	assert_string_equal(l->frames[0].func, "prof_test_known_function");
	assert_string_equal(base(l->frames[0].file), "test_prof_symbols.c");
	assert_true(l->frames[0].line >= KNOWN_FIRST_LINE &&
		    l->frames[0].line <= KNOWN_FIRST_LINE + 2);
	assert_string_equal(base(l->frames[0].decl_file),
			    "test_prof_symbols.c");
	/* Inside the function, still the same name. */
	l = symbolizer_lookup(s, a + sz - 1);
	assert_string_equal(l->frames[0].func, "prof_test_known_function");
	symbolizer_close(s);
}

/* Somewhere in prof_test_outer the inlined helper's code runs: that
 * address has two frames, the outer one at the call's line. */
static void test_inlined_frames(void **state)
{
	struct symbolizer *s;
	const struct sym_loc *l;
	char err[512];
	uint64_t a = link_addr((const void *)prof_test_outer), sa, sz, pc;
	int found = 0;

	(void)state;
	assert_int_equal(symbolizer_open(&s, SELF, err, sizeof(err)), 0);
	assert_int_equal(symbolizer_function(s, "prof_test_outer", &sa, &sz),
			 0);
	assert_true(sa == a);
	for (pc = a; pc < a + sz && !found; pc++) {
		l = symbolizer_lookup(s, pc);
		assert_non_null(l);
		assert_string_equal(l->frames[0].func, "prof_test_outer");
		if (l->nframes < 2)
			continue;
		assert_string_equal(l->frames[1].func, "prof_test_inlined");
		assert_true(l->frames[1].inlined);
		assert_false(l->frames[0].inlined);
		assert_int_equal(l->frames[0].line, CALL_LINE);
		assert_string_equal(base(l->frames[1].file),
				    "test_prof_symbols.c");
		found = 1;
	}
	assert_true(found);
	symbolizer_close(s);
}

static void test_unknown_and_cache(void **state)
{
	struct symbolizer *s;
	const struct sym_loc *l, *l2;
	uint64_t hits, lookups;
	char err[512];

	(void)state;
	assert_int_equal(symbolizer_open(&s, SELF, err, sizeof(err)), 0);
	l = symbolizer_lookup(s, 8);
	assert_string_equal(l->frames[0].func, SYM_UNKNOWN);
	assert_null(l->frames[0].file);
	l2 = symbolizer_lookup(s, 8);
	assert_ptr_equal(l, l2);
	symbolizer_cache_stats(s, &hits, &lookups);
	assert_true(hits == 1 && lookups == 2);
	symbolizer_close(s);
}

static void test_build_id(void **state)
{
	struct symbolizer *s;
	const uint8_t *id;
	uint8_t other[20], id2[20];
	char err[512], hex[41];
	size_t len, len2;

	(void)state;
	assert_int_equal(symbolizer_open(&s, SELF, err, sizeof(err)), 0);
	id = symbolizer_build_id(s, &len);
	assert_true(len >= 8 && len <= 20);
	assert_int_equal(symbols_read_build_id(SELF, id2, sizeof(id2), &len2,
					       err, sizeof(err)), 0);
	assert_int_equal(len2, len);
	assert_memory_equal(id, id2, len);
	assert_int_equal(symbolizer_check_build_id(s, id, len, err,
						   sizeof(err)), 0);
	memcpy(other, id, len);
	other[0] ^= 0xff;
	assert_int_equal(symbolizer_check_build_id(s, other, len, err,
						   sizeof(err)), -ESRCH);
	stream_build_id_hex(other, len, hex, sizeof(hex));
	assert_non_null(strstr(err, "trace was recorded from build-id "));
	assert_non_null(strstr(err, hex));
	assert_non_null(strstr(err, SELF " has "));
	assert_int_equal(symbolizer_check_build_id(s, other, 0, err,
						   sizeof(err)), -ESRCH);
	assert_non_null(strstr(err, "trace carries no build-id"));
	symbolizer_close(s);
}

static void test_not_an_elf(void **state)
{
	struct symbolizer *s;
	char err[512];

	(void)state;
	assert_int_equal(symbolizer_open(&s, "/nonexistent/x.elf", err,
					 sizeof(err)), -ENOENT);
	assert_null(s);
	assert_non_null(strstr(err, "cannot open /nonexistent/x.elf"));
	assert_int_equal(symbolizer_open(&s, "/proc/self/status", err,
					 sizeof(err)), -ENOEXEC);
	assert_non_null(strstr(err, "is not an ELF file"));
}

/* Without DWARF (a copy with its debug sections stripped) names still
 * come from the symbol table, without lines. */
static void test_no_dwarf(void **state)
{
	struct symbolizer *s;
	const struct sym_loc *l;
	char path[] = "/tmp/test_prof_nodwarf.XXXXXX", cmd[8300], err[512];
	char self[4096];
	ssize_t n;
	uint64_t a = link_addr((const void *)prof_test_known_function);
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	/* Resolved here: in the shell, /proc/self is the shell. */
	n = readlink(SELF, self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	snprintf(cmd, sizeof(cmd), "objcopy --strip-debug '%s' '%s'", self,
		 path);
	if (system(cmd)) {
		unlink(path);
		skip();
	}
	assert_int_equal(symbolizer_open(&s, path, err, sizeof(err)), 0);
	l = symbolizer_lookup(s, a + 1);
	assert_string_equal(l->frames[0].func, "prof_test_known_function");
	assert_null(l->frames[0].file);
	assert_int_equal(l->frames[0].line, 0);
	symbolizer_close(s);
	unlink(path);
}

/* A stream whose samples land in this program's functions. */
static void write_trace(const char *path, const uint8_t *id, size_t idlen)
{
	uint64_t leaf = link_addr((const void *)prof_test_known_function);
	uint64_t caller = link_addr((const void *)prof_test_outer);
	uint64_t pcs[2];
	struct sw w = SW_INIT;
	FILE *f;
	int i;

	sw_header(&w, 1000000, 100, id, (uint8_t)idlen, 0, 0);
	for (i = 0; i < 3; i++) {
		/* A return address just past the start: pc - 1 is inside. */
		pcs[0] = leaf + 2;
		pcs[1] = caller + 1;
		sw_sample(&w, 100 + (uint64_t)i, 0, pcs, 2);
	}
	pcs[0] = caller + 3;
	sw_sample(&w, 200, UT_SAMPLE_TRUNCATED, pcs, 1);
	sw_end(&w, 300, 0, 0, 4, 0, 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(w.buf, 1, w.len, f), w.len);
	assert_int_equal(fclose(f), 0);
	sw_free(&w);
}

/* What trace_load() said: its lines for the caller to show, its reason. */
struct said {
	struct strbuf diag;
	char why[UNITUNE_WHY_MAX];
};

static int load(struct trace *t, const struct trace_opts *o, struct said *s)
{
	strbuf_release(&s->diag);
	snprintf(s->why, sizeof(s->why), "(untouched)");
	return trace_load(t, o, &s->diag, s->why, sizeof(s->why));
}

static const char *diag_text(const struct said *s)
{
	return s->diag.buf ? s->diag.buf : "";
}

static int lines(const char *text)
{
	int n = 0;

	for (; (text = strchr(text, '\n')); text++)
		n++;
	return n;
}

/* Load o->path and check what trace_load() says: its return, its reason
 * (why; "(untouched)" on success) and its lines (diag). */
static void expect_said(const struct trace_opts *o, int rc, const char *why,
			const char *diag)
{
	struct said said = { STRBUF_INIT, "" };
	struct trace t;

	assert_int_equal(load(&t, o, &said), rc);
	assert_string_equal(said.why, why);
	assert_string_equal(diag_text(&said), diag);
	trace_close(&t);
	strbuf_release(&said.diag);
}

static void test_trace_load(void **state)
{
	char path[] = "/tmp/test_prof_trace.XXXXXX", meta[64];
	struct trace_opts o = { .profile = true };
	struct said said = { STRBUF_INIT, "" };
	struct symbolizer *s;
	struct trace t;
	const struct prof_func **v;
	const uint8_t *id;
	uint8_t bad[20];
	char err[512], *out = NULL;
	size_t len, n, outlen;
	FILE *mem;
	int fd;

	(void)state;
	assert_int_equal(symbolizer_open(&s, SELF, err, sizeof(err)), 0);
	id = symbolizer_build_id(s, &len);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_trace(path, id, len);
	o.path = path;

	/* No --image and no sidecar: a clear refusal. */
	snprintf(err, sizeof(err), "%s: which image? pass --image IMAGE (no "
		 "image= line in %s.meta, which `unitune record` writes)",
		 path, path);
	expect_said(&o, -EINVAL, err, "");

	/* The sidecar names the image. */
	assert_int_equal(meta_write(path, SELF, "", "exited", META_CLOCK_WALL), 0);
	assert_int_equal(load(&t, &o, &said), 0);
	assert_string_equal(said.why, "(untouched)");
	assert_string_equal(diag_text(&said), "");
	assert_string_equal(t.image, SELF);
	assert_true(profile_samples(t.prof) == 4);
	v = profile_by_self(t.prof, &n);
	assert_non_null(v);
	assert_string_equal(v[0]->name, "prof_test_known_function");
	assert_true(v[0]->self == 3);
	assert_string_equal(v[1]->name, "prof_test_outer");
	assert_true(v[1]->self == 1 && v[1]->total == 4);
	free(v);
	mem = open_memstream(&out, &outlen);
	assert_int_equal(folded_write(t.prof, mem), 0);
	fclose(mem);
	assert_string_equal(out, "[truncated];prof_test_outer 1\n"
				 "prof_test_outer;prof_test_known_function 3\n");
	free(out);
	trace_close(&t);

	/* Another build-id: refused, unless forced. */
	memcpy(bad, id, len);
	bad[len - 1] ^= 1;
	write_trace(path, bad, len);
	o.image = SELF;
	assert_int_equal(load(&t, &o, &said), -ESRCH);
	assert_true(!strncmp(said.why, "trace was recorded from build-id ",
			     33));
	assert_non_null(strstr(said.why, ", " SELF " has "));
	assert_non_null(strstr(said.why,
			       "; pass the image that was recorded"));
	assert_null(strstr(said.why, "--image"));
	trace_close(&t);
	o.force = true;
	assert_int_equal(load(&t, &o, &said), 0);
	assert_true(!strncmp(diag_text(&said),
			     "warning: trace was recorded from build-id ", 42));
	assert_non_null(strstr(diag_text(&said),
			       " (--force: symbolizing anyway)\n"));
	assert_int_equal(lines(diag_text(&said)), 1);
	trace_close(&t);
	strbuf_release(&said.diag);

	symbolizer_close(s);
	unlink(path);
	snprintf(meta, sizeof(meta), "%s.meta", path);
	unlink(meta);
}

/* Lost records are printed in the summary of every view, and said to be
 * a lower bound when the end record is missing. */
static void test_lost_summary(void **state)
{
	char path[] = "/tmp/test_prof_lost.XXXXXX", *out = NULL;
	struct trace_opts o = { .tracepoints = true };
	char why[UNITUNE_WHY_MAX];
	struct sw w = SW_INIT;
	struct trace t;
	size_t len;
	FILE *f;
	int fd;

	(void)state;
	sw_header(&w, 0, 0, NULL, 0, 0, 0);
	sw_lost(&w, 10, 4, 1, 9);
	sw_lost(&w, 20, 3, 11, 19);
	sw_end(&w, 30, 0, 9, 0, 0, 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, w.buf, w.len), (ssize_t)w.len);
	close(fd);
	o.path = path;
	assert_int_equal(trace_load(&t, &o, NULL, why, sizeof(why)), 0);
	f = open_memstream(&out, &len);
	trace_print_summary(&t, f);
	fclose(f);
	assert_non_null(strstr(out, "lost: 9 records in all (end record); 7 "
				    "reported in 2 gap markers"));
	free(out);
	trace_close(&t);

	/* Cut before the end record. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, w.buf, w.len - 56), (ssize_t)w.len - 56);
	close(fd);
	assert_int_equal(trace_load(&t, &o, NULL, why, sizeof(why)), 0);
	f = open_memstream(&out, &len);
	assert_int_equal(trace_print_lost(&t, f), 1);
	fclose(f);
	assert_string_equal(out, "lost: 7 records in 2 gap markers (no end "
				 "record: the total may be higher)\n");
	free(out);
	trace_close(&t);
	unlink(path);
	sw_free(&w);
}

static void write_bytes(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/*
 * Damaged and unusable traces: what trace_load() returns says what is
 * wrong and where, the decoder's lesser errors come as lines beside it,
 * and --strict turns those into a refusal.
 */
static void test_trace_load_damage(void **state)
{
	char path[] = "/tmp/test_prof_damage.XXXXXX", why[512], diag[512];
	struct trace_opts o = { .tracepoints = true };
	struct said said = { STRBUF_INIT, "" };
	char garbage[100];
	struct sw w = SW_INIT;
	struct trace t;
	int fd, i;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	o.path = path;

	/* Not a trace at all. */
	memset(garbage, 'x', sizeof(garbage));
	write_bytes(path, garbage, sizeof(garbage));
	snprintf(why, sizeof(why), "%s: offset 0: bad stream magic "
		 "0x78787878 (expected 0x%08x, \"UTTR\"): not a Unitune trace",
		 path, UT_TRACE_MAGIC);
	expect_said(&o, -EBADMSG, why, "");

	/* Shorter than a header. */
	write_bytes(path, garbage, 10);
	snprintf(why, sizeof(why), "%s: offset 0: stream header truncated: "
		 "10 of %u bytes", path, STREAM_HEADER_SIZE);
	expect_said(&o, -EBADMSG, why, "");

	/* A value no guest writes, then a fatal one: the first is a line,
	 * the second the reason. */
	sw_header(&w, STREAM_TSC_HZ_MAX + 1, 100, NULL, 0, 0, 0);
	w.buf[40] = UT_BUILD_ID_MAX + 1;
	write_bytes(path, w.buf, w.len);
	snprintf(why, sizeof(why), "%s: offset 40: build-id length %u "
		 "exceeds %u", path, UT_BUILD_ID_MAX + 1, UT_BUILD_ID_MAX);
	snprintf(diag, sizeof(diag), "%s: offset 8: TSC rate %llu Hz is above "
		 "%llu Hz: impossible, taken as unknown\n", path,
		 STREAM_TSC_HZ_MAX + 1, STREAM_TSC_HZ_MAX);
	expect_said(&o, -EBADMSG, why, diag);
	sw_free(&w);

	/* Cut after the header: it loads, and says where the end is
	 * missing; --strict refuses it. */
	sw_header(&w, 1000000, 100, NULL, 0, 0, 0);
	write_bytes(path, w.buf, w.len);
	snprintf(diag, sizeof(diag), "%s: offset %u: stream truncated: no end "
		 "record\n", path, STREAM_HEADER_SIZE);
	expect_said(&o, 0, "(untouched)", diag);
	o.strict = true;
	snprintf(why, sizeof(why), "%s: refused: 1 stream errors "
		 "(--strict)", path);
	expect_said(&o, -EBADMSG, why, diag);
	o.strict = false;

	/* More errors than are kept: the rest are counted on one line. */
	for (i = 0; i < STREAM_ERRORS_KEPT + 5; i++)
		sw_event(&w, 100 + (uint64_t)i, 7, NULL, 0);
	write_bytes(path, w.buf, w.len);
	assert_int_equal(load(&t, &o, &said), 0);
	assert_int_equal(lines(diag_text(&said)), STREAM_ERRORS_KEPT + 1);
	snprintf(diag, sizeof(diag), "%s: ... and 6 more errors\n", path);
	assert_string_equal(diag_text(&said) + strlen(diag_text(&said)) -
			    strlen(diag), diag);
	trace_close(&t);
	strbuf_release(&said.diag);
	sw_free(&w);

	/* No file. */
	unlink(path);
	snprintf(why, sizeof(why), "cannot read %s: No such file or "
		 "directory", path);
	expect_said(&o, -ENOENT, why, "");
}

/* Run a verb with stdout and stderr sent to /dev/null. */
static int quiet(int (*verb)(int, char **), int argc, char **argv)
{
	int out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
	int rc;

	fflush(stdout);
	fflush(stderr);
	dup2(null, 1);
	dup2(null, 2);
	rc = verb(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return rc;
}

static int file_starts_with(const char *path, const char *prefix)
{
	char buf[64] = { 0 };
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	return n >= strlen(prefix) && !strncmp(buf, prefix, strlen(prefix));
}

/* The verbs, in process: exit statuses and the files they write. */
static void test_verbs(void **state)
{
	char dir[] = "/tmp/test_prof_cli.XXXXXX", trace[128], svg[128],
	     folded[128], folded_opt[140], cut[128];
	struct symbolizer *s;
	const uint8_t *id;
	char err[512];
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(trace, sizeof(trace), "%s/t.uttr", dir);
	snprintf(svg, sizeof(svg), "%s/t.svg", dir);
	snprintf(folded, sizeof(folded), "%s/t.folded", dir);
	snprintf(folded_opt, sizeof(folded_opt), "--folded=%s", folded);
	snprintf(cut, sizeof(cut), "%s/cut.uttr", dir);
	assert_int_equal(symbolizer_open(&s, SELF, err, sizeof(err)), 0);
	id = symbolizer_build_id(s, &len);
	write_trace(trace, id, len);
	symbolizer_close(s);
	{
		char *argv[] = { "report", "--image", SELF, "--flame", svg,
				 folded_opt, "--tracepoints", "--top", trace,
				 NULL };
		assert_int_equal(quiet(cmd_report_trace, 9, argv), 0);
	}
	assert_true(file_starts_with(svg, "<svg "));
	assert_true(file_starts_with(folded, "[truncated];prof_test_outer 1"));
	{
		char *argv[] = { "diff", "--image-a", SELF, "--image-b", SELF,
				 trace, trace, NULL };
		assert_int_equal(quiet(cmd_diff, 7, argv), 0);
	}
	{
		char *argv[] = { "report", "--image", SELF, "/nonexistent.uttr",
				 NULL };
		assert_int_equal(quiet(cmd_report_trace, 4, argv), 1);
	}
	/* A damaged stream still reports, unless --strict. */
	f = fopen(trace, "ab");
	assert_non_null(f);
	fputs("garbage!", f);
	fclose(f);
	{
		char *argv[] = { "report", "--tracepoints", trace, NULL };
		assert_int_equal(quiet(cmd_report_trace, 3, argv), 0);
	}
	{
		char *argv[] = { "report", "--tracepoints", "--strict", trace,
				 NULL };
		assert_int_equal(quiet(cmd_report_trace, 4, argv), 1);
	}
	unlink(svg);
	unlink(folded);
	unlink(trace);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_with_line),
		cmocka_unit_test(test_inlined_frames),
		cmocka_unit_test(test_unknown_and_cache),
		cmocka_unit_test(test_build_id),
		cmocka_unit_test(test_not_an_elf),
		cmocka_unit_test(test_no_dwarf),
		cmocka_unit_test(test_trace_load),
		cmocka_unit_test(test_lost_summary),
		cmocka_unit_test(test_trace_load_damage),
		cmocka_unit_test(test_verbs),
	};
	volatile int v[4] = { 1, 2, 3, 4 };

	/* Keep the functions under test alive and called. */
	if (prof_test_known_function(v) + prof_test_outer(v, 4) == -12345)
		return 99;
	return cmocka_run_group_tests_name("prof_symbols", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replay tests/corpus/: every stream listed in MANIFEST decodes with its
 * first error at the listed offset with the listed text (or none), and
 * every stream in the folder is listed, so none goes untested.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "tracepoints.h"

#ifndef UT_CORPUS
#error "UT_CORPUS must name tests/corpus"
#endif

#define MAX_ENTRIES 256

struct entry {
	char name[128];
	long offset;		/* -1: no error expected */
	char message[256];
};

static size_t read_manifest(struct entry *e, size_t max)
{
	char line[512], off[32];
	FILE *f = fopen(UT_CORPUS "/MANIFEST", "r");
	size_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *tab1, *tab2, *nl;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_true(n < max);
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		tab1 = strchr(line, '\t');
		assert_non_null(tab1);
		tab2 = strchr(tab1 + 1, '\t');
		assert_non_null(tab2);
		*tab1 = *tab2 = '\0';
		assert_true(strlen(line) < sizeof(e[n].name));
		strcpy(e[n].name, line);
		assert_true(strlen(tab1 + 1) < sizeof(off));
		strcpy(off, tab1 + 1);
		e[n].offset = strcmp(off, "-") ? strtol(off, NULL, 10) : -1;
		assert_true(strlen(tab2 + 1) < sizeof(e[n].message));
		strcpy(e[n].message, tab2 + 1);
		n++;
	}
	fclose(f);
	return n;
}

static void test_manifest_covers_corpus(void **state)
{
	static struct entry e[MAX_ENTRIES];
	size_t n = read_manifest(e, MAX_ENTRIES), i, files = 0;
	DIR *d = opendir(UT_CORPUS);
	struct dirent *de;
	int found;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 5, ".uttr"))
			continue;
		files++;
		for (found = 0, i = 0; i < n; i++)
			found |= !strcmp(e[i].name, de->d_name);
		if (!found)
			fail_msg("%s is not in MANIFEST", de->d_name);
	}
	closedir(d);
	assert_int_equal(files, n);
	assert_true(n >= 20);
}

static void test_replay(void **state)
{
	static struct entry e[MAX_ENTRIES];
	size_t n = read_manifest(e, MAX_ENTRIES), i;
	char path[512], text[512];
	const struct stream_error *err;
	struct stream_rec rec;
	struct stream *s;
	struct tpstats *tps;
	int rc;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", UT_CORPUS, e[i].name);
		rc = stream_open_file(&s, path);
		if (rc && rc != -EBADMSG)
			fail_msg("%s: cannot read (%d)", e[i].name, rc);
		/* The consumers run too: a fatal header must leave info
		 * they can use (this once crashed the pairing). */
		tps = tpstats_new(stream_info(s));
		assert_non_null(tps);
		while (stream_next(s, &rec) > 0)
			assert_int_equal(tpstats_add(tps, &rec), 0);
		assert_int_equal(tpstats_finish(tps), 0);
		tpstats_free(tps);
		err = stream_error_at(s, 0);
		if (e[i].offset < 0) {
			if (err) {
				stream_error_format(err, text, sizeof(text));
				fail_msg("%s: unexpected error: %s", e[i].name,
					 text);
			}
			assert_true(stream_stats(s)->have_end);
		} else {
			if (!err)
				fail_msg("%s: no error, expected one at %ld",
					 e[i].name, e[i].offset);
			stream_error_format(err, text, sizeof(text));
			if ((long)err->offset != e[i].offset ||
			    !strstr(text, e[i].message))
				fail_msg("%s: got '%s', expected offset %ld "
					 "with '%s'",
					 e[i].name, text, e[i].offset,
					 e[i].message);
		}
		stream_close(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest_covers_corpus),
		cmocka_unit_test(test_replay),
	};

	return cmocka_run_group_tests_name("prof_corpus", tests, NULL, NULL);
}

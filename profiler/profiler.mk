# SPDX-License-Identifier: BSD-3-Clause
#
# Profiler: the trace-stream decoder, symbolizer, aggregation and views,
# and the record/report/diff verbs of bin/unitune (profiler_cmds.h; the
# CLI links the library: cli/cli.mk). Included by the top
# Makefile after host/host.mk (it uses that fragment's variables); paths
# are relative to the tree root.
#
# Outputs:
#   build/profiler/libprofiler.a       linked into bin/unitune by cli/cli.mk
#   build/profiler-asan/libprofiler.a  the same under ASan/UBSan, for tests
#   build/host-asan/tests/test_prof_*  unit tests (tests/unit/test_prof_*.c)
# Targets: prof-lib, prof-unit-test, prof-corpus
# (regenerates tests/corpus/), prof-clean.

PROF_PKG_LIBS := $(or $(shell pkg-config --libs libdw libelf libprotobuf-c zlib 2>/dev/null),-ldw -lelf -lprotobuf-c -lz)
PROF_LDLIBS := $(PROF_PKG_LIBS) -lm
# The pprof encoder's C code is generated from profiler/profile.proto by
# protoc-c (Debian's protobuf-c-compiler) into build/profiler/gen/.
PROF_GEN := build/profiler/gen
PROF_CPPFLAGS := $(HOST_CPPFLAGS) -Iprofiler -I$(PROF_GEN)

PROF_SRCS := $(wildcard profiler/*.c) $(PROF_GEN)/profile.pb-c.c
PROF_LIB := build/profiler/libprofiler.a
PROF_ASAN_LIB := build/profiler-asan/libprofiler.a
PROF_OBJS := $(patsubst %.c,build/profiler/%.o,$(notdir $(PROF_SRCS)))
PROF_ASAN_OBJS := $(patsubst %.c,build/profiler-asan/%.o,$(notdir $(PROF_SRCS)))

PROF_UNIT_SRCS := $(wildcard tests/unit/test_prof_*.c)
PROF_UNIT_BINS := $(PROF_UNIT_SRCS:tests/unit/%.c=build/host-asan/tests/%)
PROF_CORPUS := $(abspath tests/corpus)

.PHONY: prof-lib prof-unit-test prof-corpus prof-clean
.SECONDARY: $(PROF_UNIT_BINS:=.o)

prof-lib: $(PROF_LIB)

$(PROF_LIB): $(PROF_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(PROF_ASAN_LIB): $(PROF_ASAN_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(PROF_GEN)/profile.pb-c.c $(PROF_GEN)/profile.pb-c.h &: profiler/profile.proto
	@mkdir -p $(@D)
	protoc-c --c_out=$(PROF_GEN) -Iprofiler $<

# Every profiler object may include the generated header: it must exist
# before the first compile (the .d files track it afterwards).
build/profiler/%.o: profiler/%.c | $(PROF_GEN)/profile.pb-c.h
	@mkdir -p $(@D)
	$(HOST_CC) $(PROF_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/profiler-asan/%.o: profiler/%.c | $(PROF_GEN)/profile.pb-c.h
	@mkdir -p $(@D)
	$(HOST_CC) $(PROF_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) \
		$(HOST_ASAN_FLAGS) -c -o $@ $<

build/profiler/%.o: $(PROF_GEN)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(PROF_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/profiler-asan/%.o: $(PROF_GEN)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(PROF_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) \
		$(HOST_ASAN_FLAGS) -c -o $@ $<

# Unit tests: host.mk's wildcard (tests/unit/test_*.c) already lists
# these in HOST_UNIT_BINS and runs them in host-unit-test; these rules,
# with shorter stems, win over host.mk's for them and add the profiler
# library, its include path and the corpus location.
build/host-asan/tests/test_prof_%.o: tests/unit/test_prof_%.c | $(PROF_GEN)/profile.pb-c.h
	@mkdir -p $(@D)
	$(HOST_CC) $(PROF_CPPFLAGS) -Iprofiler/tests $(HOST_CFLAGS) \
		$(HOST_DEPFLAGS) $(HOST_ASAN_FLAGS) \
		-DUT_CORPUS='"$(PROF_CORPUS)"' -c -o $@ $<

build/host-asan/tests/test_prof_%: build/host-asan/tests/test_prof_%.o \
		$(PROF_ASAN_LIB) $(HOST_ASAN_LIB)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN_FLAGS) -o $@ $< \
		$(PROF_ASAN_LIB) $(HOST_ASAN_LIB) -lcmocka $(PROF_LDLIBS) \
		$(HOST_LDLIBS)

# The profiler's tests alone. unit-test runs those host-unit-test does
# not already run (none while host.mk's wildcard covers them), so no
# test runs twice and none is left out if that wildcard changes.
PROF_UNIT_EXTRA := $(filter-out $(HOST_UNIT_BINS),$(PROF_UNIT_BINS))

define prof_run_tests
	@failed=""; \
	for t in $(1); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		./$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "profiler unit tests FAILED:$$failed"; exit 1; fi
endef

prof-unit-test: $(PROF_UNIT_BINS)
	$(call prof_run_tests,$(PROF_UNIT_BINS))

.PHONY: prof-unit-test-extra
prof-unit-test-extra: $(PROF_UNIT_EXTRA)
	$(if $(PROF_UNIT_EXTRA),$(call prof_run_tests,$(PROF_UNIT_EXTRA)),@:)

unit-test: prof-unit-test-extra

# The corpus of damaged streams replayed by test_prof_corpus.c, written
# by a small generator so it can be remade (and reviewed) from source.
build/profiler/mkcorpus: profiler/tests/mkcorpus.c profiler/tests/stream_writer.h
	@mkdir -p $(@D)
	$(HOST_CC) $(PROF_CPPFLAGS) $(HOST_CFLAGS) -o $@ $<

prof-corpus: build/profiler/mkcorpus
	build/profiler/mkcorpus tests/corpus

# The libFuzzer targets (the decoder, the views) are built by
# tests/fuzz.mk with the tuner's.

prof-clean:
	rm -rf build/profiler build/profiler-asan

-include $(PROF_OBJS:.o=.d) $(PROF_ASAN_OBJS:.o=.d)

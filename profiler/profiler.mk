# SPDX-License-Identifier: BSD-3-Clause
#
# Profiler: the trace-stream decoder, symbolizer, aggregation and views,
# and the record/report/diff verbs of bin/unitune (profiler_cmds.h; the
# CLI links the library: cli/cli.mk), by the recipe of every host library
# (mk/hostlib.mk). Included by the top Makefile after host/host.mk (it
# links libunitune); paths are relative to the tree root.
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
# protoc-c (Debian's protobuf-c-compiler) into build/profiler/gen/. Every
# profiler object may include the generated header: it must exist before
# the first compile (the .d files track it afterwards).
PROF_GEN := build/profiler/gen
PROF_GEN_SRCS := $(PROF_GEN)/profile.pb-c.c
PROF_GEN_HDRS := $(PROF_GEN)/profile.pb-c.h
PROF_CPPFLAGS := $(HOST_CPPFLAGS) -Iprofiler -I$(PROF_GEN)
PROF_USES := HOST
PROF_UNIT_SRCS := $(wildcard tests/unit/test_prof_*.c)
PROF_CORPUS := $(abspath tests/corpus)
PROF_TEST_CPPFLAGS := -Iprofiler/tests -DUT_CORPUS='"$(PROF_CORPUS)"'

$(eval $(call HOST_LIBRARY,PROF,prof,profiler,libprofiler.a))

$(PROF_GEN)/profile.pb-c.c $(PROF_GEN)/profile.pb-c.h &: profiler/profile.proto
	@mkdir -p $(@D)
	protoc-c --c_out=$(PROF_GEN) -Iprofiler $<

# The corpus of damaged streams replayed by test_prof_corpus.c, written
# by a small generator so it can be remade (and reviewed) from source.
build/profiler/mkcorpus: profiler/tests/mkcorpus.c profiler/tests/stream_writer.h
	@mkdir -p $(@D)
	$(HOST_CC) $(PROF_CPPFLAGS) $(HOST_CFLAGS) -o $@ $<

.PHONY: prof-corpus
prof-corpus: build/profiler/mkcorpus
	build/profiler/mkcorpus tests/corpus

# The libFuzzer targets (the decoder, the views) are built by
# tests/fuzz.mk with the tuner's.

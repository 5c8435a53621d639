# SPDX-License-Identifier: BSD-3-Clause
#
# libFuzzer targets. Included by the top Makefile after the library
# fragments (it uses their source lists and flags); paths are relative to
# the tree root.
#
# Each target is linked against fuzzer-instrumented copies of the whole
# host, profiler and tuner libraries (build/fuzz/lib*.a), never against a
# hand-picked list of sources, so a new dependency between library files
# cannot break the link again.
#
#   build/fuzz/fuzz_stream   the trace decoder and trace-point pairing
#                            (profiler/fuzz/fuzz_stream.c)
#   build/fuzz/fuzz_views    decode, symbolize against a fixed ELF
#                            (profiler/fuzz/views_image.c), render top,
#                            folded, flame, trace points and timeline data
#   build/fuzz/fuzz_space    the space-file parser against the unikernel's
#                            Kconfig table (tuner/fuzz/fuzz_space.c)
#   build/fuzz/fuzz_http     httpd's request parser (its rule and seeds are
#                            in unikernel/apps/httpd/httpd.mk)
#
# Targets:
#   fuzz-build       every target (tests/run.sh builds it: `make test`)
#   fuzz             each target for FUZZ_SECONDS (default 60) from its
#                    seeds; new inputs go to build/fuzz/corpus/TARGET, a
#                    crash leaves crash-* in build/fuzz/
#   fuzz-replay      each target once over its seeds (what `make test`
#                    counts, one test per seed file)
# Seeds: FUZZ_SEEDS_<target>, files in the repository. A reproducer of a
# fixed crash goes into the target's corpus folder there.

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_TARGETS := fuzz_stream fuzz_views fuzz_space fuzz_http
FUZZ_BINS := $(FUZZ_TARGETS:%=build/fuzz/%)

FUZZ_SEEDS_fuzz_stream := tests/corpus profiler/fuzz/corpus/stream
FUZZ_SEEDS_fuzz_views := tests/corpus profiler/fuzz/corpus/views
FUZZ_SEEDS_fuzz_space := tests/unit/fixtures/spaces benchmarks/spaces \
	tuner/fuzz/corpus/space

FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
# Libraries: instrumented for coverage, without libFuzzer's main().
FUZZ_LIB_CFLAGS := $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link
FUZZ_LINK_CFLAGS := $(FUZZ_CFLAGS) -fsanitize=fuzzer

# notdir: a library's sources include generated ones (build/DIR/gen/).
FUZZ_HOST_OBJS := $(patsubst %.c,build/fuzz/obj/host/%.o,$(notdir $(HOST_SRCS)))
FUZZ_PROF_OBJS := $(patsubst %.c,build/fuzz/obj/profiler/%.o,\
	$(notdir $(PROF_SRCS)))
FUZZ_TUNER_OBJS := $(patsubst %.c,build/fuzz/obj/tuner/%.o,\
	$(notdir $(TUNER_SRCS)))
FUZZ_BENCH_OBJS := $(patsubst %.c,build/fuzz/obj/bench/%.o,\
	$(notdir $(BENCH_SRCS)))
FUZZ_HOST_LIB := build/fuzz/libunitune.a
FUZZ_BENCH_LIB := build/fuzz/libbench.a
FUZZ_PROF_LIB := build/fuzz/libprofiler.a
FUZZ_TUNER_LIB := build/fuzz/libtuner.a
FUZZ_VIEWS_IMAGE := build/fuzz/views_image.elf

.PHONY: fuzz fuzz-build fuzz-replay fuzz-seeds fuzz-clean

fuzz-build: $(FUZZ_BINS)

build/fuzz/obj/host/%.o: host/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HOST_CPPFLAGS) $(FUZZ_LIB_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/fuzz/obj/profiler/%.o: profiler/%.c | $(PROF_GEN)/profile.pb-c.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(PROF_CPPFLAGS) $(FUZZ_LIB_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/fuzz/obj/profiler/%.o: $(PROF_GEN)/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(PROF_CPPFLAGS) $(FUZZ_LIB_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/fuzz/obj/tuner/%.o: tuner/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(TUNER_CPPFLAGS) $(FUZZ_LIB_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/fuzz/obj/tuner/schema_sql.o: $(TUNER_SCHEMA_C)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_LIB_CFLAGS) -c -o $@ $<

build/fuzz/obj/bench/%.o: bench/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BENCH_CPPFLAGS) $(FUZZ_LIB_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/fuzz/obj/bench/wrk_script.o: $(BENCH_SCRIPT_C)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_LIB_CFLAGS) -c -o $@ $<

$(FUZZ_HOST_LIB): $(FUZZ_HOST_OBJS)
$(FUZZ_PROF_LIB): $(FUZZ_PROF_OBJS)
$(FUZZ_TUNER_LIB): $(FUZZ_TUNER_OBJS)
$(FUZZ_BENCH_LIB): $(FUZZ_BENCH_OBJS)
$(FUZZ_HOST_LIB) $(FUZZ_PROF_LIB) $(FUZZ_TUNER_LIB) $(FUZZ_BENCH_LIB):
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

# Never run: linked at 0x100000 like a unikernel image, with DWARF and a
# build-id, so the symbolizer takes every path it takes on a real image.
$(FUZZ_VIEWS_IMAGE): profiler/fuzz/views_image.c
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -g -O1 -Wall -Wextra -Werror -ffreestanding \
		-fno-pie -no-pie -nostdlib -static -Wl,--build-id \
		-Wl,-Ttext=0x100000 -Wl,-e,views_entry -o $@ $<

build/fuzz/fuzz_stream: profiler/fuzz/fuzz_stream.c $(FUZZ_PROF_LIB) \
		$(FUZZ_HOST_LIB)
	$(FUZZ_CC) $(PROF_CPPFLAGS) $(FUZZ_LINK_CFLAGS) -o $@ $< \
		$(FUZZ_PROF_LIB) $(FUZZ_HOST_LIB) $(PROF_LDLIBS) $(HOST_LDLIBS)

build/fuzz/fuzz_views: profiler/fuzz/fuzz_views.c $(FUZZ_PROF_LIB) \
		$(FUZZ_HOST_LIB) $(FUZZ_VIEWS_IMAGE)
	$(FUZZ_CC) $(PROF_CPPFLAGS) $(FUZZ_LINK_CFLAGS) \
		-DFUZZ_VIEWS_IMAGE='"$(abspath $(FUZZ_VIEWS_IMAGE))"' -o $@ $< \
		$(FUZZ_PROF_LIB) $(FUZZ_HOST_LIB) $(PROF_LDLIBS) $(HOST_LDLIBS)

build/fuzz/fuzz_space: tuner/fuzz/fuzz_space.c $(FUZZ_TUNER_LIB) \
		$(FUZZ_BENCH_LIB) $(FUZZ_HOST_LIB)
	$(FUZZ_CC) $(TUNER_CPPFLAGS) $(FUZZ_LINK_CFLAGS) \
		-DFUZZ_UNIKERNEL='"$(abspath unikernel)"' -o $@ $< \
		$(FUZZ_TUNER_LIB) $(FUZZ_BENCH_LIB) $(FUZZ_HOST_LIB) \
		$(TUNER_LDLIBS) $(BENCH_LDLIBS) $(HOST_LDLIBS)

# The seed files of a target (folders that do not exist are skipped).
fuzz_seed_files = $(filter-out %/MANIFEST %/README.md,\
	$(wildcard $(addsuffix /*,$(FUZZ_SEEDS_$(1)))))

define fuzz_run
	mkdir -p build/fuzz/corpus/$(1)
	cp $(call fuzz_seed_files,$(1)) build/fuzz/corpus/$(1)/
	cd build/fuzz && ./$(1) -max_total_time=$(FUZZ_SECONDS) \
		-print_final_stats=1 -max_len=65536 corpus/$(1)

endef

fuzz: $(FUZZ_BINS)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t)))

define fuzz_replay
	build/fuzz/$(1) $(call fuzz_seed_files,$(1))

endef

fuzz-replay: $(FUZZ_BINS)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_replay,$(t)))

# One line per target, "TARGET SEED...", for tests/run.sh.
fuzz-seeds:
	@$(foreach t,$(FUZZ_TARGETS),echo "$(t) $(call fuzz_seed_files,$(t))";)

fuzz-clean:
	rm -rf build/fuzz

-include $(FUZZ_HOST_OBJS:.o=.d) $(FUZZ_PROF_OBJS:.o=.d) \
	$(FUZZ_TUNER_OBJS:.o=.d)

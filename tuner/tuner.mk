# SPDX-License-Identifier: BSD-3-Clause
#
# Tuner: the results store (SQLite), the space file, the sweep and the
# tune/show/best/export/report --experiment verbs of bin/unitune
# (tuner_cmds.h; the CLI links the library: cli/cli.mk).
# Included by the top Makefile after host/host.mk and profiler/profiler.mk
# (it uses host.mk's variables); paths are relative to the tree root.
#
# Outputs:
#   build/tuner/libtuner.a             every tuner/*.c plus the embedded
#                                      schema (results/schema.sql)
#   build/tuner-asan/libtuner.a        the same under ASan/UBSan, for tests
#   build/host-asan/tests/test_tuner_* unit tests (tests/unit/test_tuner_*.c)
# Targets: tuner-lib, tuner-unit-test, tuner-clean.
#
# Other fragments link the library with:
#   $(TUNER_LIB) $(HOST_LIB) $(TUNER_LDLIBS), compiling with
#   $(TUNER_CPPFLAGS)

TUNER_PKGS := sqlite3 yaml-0.1 nettle
TUNER_PKG_CFLAGS := $(shell pkg-config --cflags $(TUNER_PKGS) 2>/dev/null)
TUNER_PKG_LIBS := $(or $(shell pkg-config --libs $(TUNER_PKGS) 2>/dev/null),-lsqlite3 -lyaml -lnettle)
TUNER_LDLIBS := $(TUNER_PKG_LIBS) -lm
TUNER_CPPFLAGS := $(HOST_CPPFLAGS) -Ituner $(TUNER_PKG_CFLAGS)

# The schema is compiled in, so bin/unitune does not need the source tree
# at run time: a C string generated from results/schema.sql (sed only,
# nothing beyond what the build already needs).
TUNER_SCHEMA := results/schema.sql
TUNER_SCHEMA_C := build/tuner/gen/schema_sql.c

TUNER_SRCS := $(wildcard tuner/*.c)
TUNER_LIB := build/tuner/libtuner.a
TUNER_ASAN_LIB := build/tuner-asan/libtuner.a
TUNER_OBJS := $(TUNER_SRCS:tuner/%.c=build/tuner/%.o) build/tuner/schema_sql.o
TUNER_ASAN_OBJS := $(TUNER_SRCS:tuner/%.c=build/tuner-asan/%.o) \
	build/tuner-asan/schema_sql.o

TUNER_UNIT_SRCS := $(wildcard tests/unit/test_tuner_*.c)
TUNER_UNIT_BINS := $(TUNER_UNIT_SRCS:tests/unit/%.c=build/host-asan/tests/%)

.PHONY: tuner-lib tuner-unit-test tuner-unit-test-extra tuner-clean
.SECONDARY: $(TUNER_UNIT_BINS:=.o) $(TUNER_SCHEMA_C)

tuner-lib: $(TUNER_LIB)

$(TUNER_LIB): $(TUNER_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(TUNER_ASAN_LIB): $(TUNER_ASAN_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

# Each line becomes "...\n" with backslashes and quotes escaped; the
# function (not a global array) keeps the library free of exported data.
$(TUNER_SCHEMA_C): $(TUNER_SCHEMA) tuner/tuner.mk
	@mkdir -p $(@D)
	{ echo '/* Generated from $(TUNER_SCHEMA) by tuner/tuner.mk. */'; \
	  echo 'const char *tuner_schema_sql(void);'; \
	  echo 'const char *tuner_schema_sql(void)'; \
	  echo '{'; \
	  echo '	return'; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$$/\\n"/' $<; \
	  echo '	;'; \
	  echo '}'; } >$@.tmp
	mv $@.tmp $@

build/tuner/schema_sql.o: $(TUNER_SCHEMA_C)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<

build/tuner-asan/schema_sql.o: $(TUNER_SCHEMA_C)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN_FLAGS) -c -o $@ $<

build/tuner/%.o: tuner/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(TUNER_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/tuner-asan/%.o: tuner/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(TUNER_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) \
		$(HOST_ASAN_FLAGS) -c -o $@ $<

# Unit tests: host.mk's wildcard (tests/unit/test_*.c) already lists
# these in HOST_UNIT_BINS and runs them in host-unit-test; these rules,
# with shorter stems, win over host.mk's for them and add the tuner
# library, its include path and libraries.
build/host-asan/tests/test_tuner_%.o: tests/unit/test_tuner_%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(TUNER_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) \
		$(HOST_ASAN_FLAGS) -DUT_FIXTURES='"$(HOST_UNIT_FIXTURES)"' \
		-c -o $@ $<

build/host-asan/tests/test_tuner_%: build/host-asan/tests/test_tuner_%.o \
		$(TUNER_ASAN_LIB) $(HOST_ASAN_LIB)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN_FLAGS) -o $@ $< \
		$(TUNER_ASAN_LIB) $(HOST_ASAN_LIB) -lcmocka $(TUNER_LDLIBS) \
		$(HOST_LDLIBS)

# The tuner's tests alone. unit-test runs those host-unit-test does not
# already run (none while host.mk's wildcard covers them), so no test
# runs twice and none is left out if that wildcard changes.
TUNER_UNIT_EXTRA := $(filter-out $(HOST_UNIT_BINS),$(TUNER_UNIT_BINS))

define tuner_run_tests
	@failed=""; \
	for t in $(1); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		./$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "tuner unit tests FAILED:$$failed"; exit 1; fi
endef

tuner-unit-test: $(TUNER_UNIT_BINS)
	$(call tuner_run_tests,$(TUNER_UNIT_BINS))

tuner-unit-test-extra: $(TUNER_UNIT_EXTRA)
	$(if $(TUNER_UNIT_EXTRA),$(call tuner_run_tests,$(TUNER_UNIT_EXTRA)),@:)

unit-test: tuner-unit-test-extra

tuner-clean:
	rm -rf build/tuner build/tuner-asan

# The generated schema source has no .d (it includes nothing).
-include $(filter-out %/schema_sql.d,$(TUNER_OBJS:.o=.d) $(TUNER_ASAN_OBJS:.o=.d))

# benchmarks/strategy_replay.c: evaluations each search strategy needs to
# reach the best point of a known landscape (benchmarks/strategies.sh).
TUNER_REPLAY := build/tuner/strategy-replay

.PHONY: strategy-replay
strategy-replay: $(TUNER_REPLAY)

$(TUNER_REPLAY): benchmarks/strategy_replay.c $(TUNER_LIB) $(HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(TUNER_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -o $@ $< \
		$(TUNER_LIB) $(HOST_LIB) $(TUNER_LDLIBS) $(HOST_LDLIBS)

-include $(TUNER_REPLAY).d

# SPDX-License-Identifier: BSD-3-Clause
#
# Tuner: the results store (SQLite), the space file, the sweep and the
# tune/show/best/export/report --experiment verbs of bin/unitune
# (tuner_cmds.h; the CLI links the library: cli/cli.mk), by the recipe of
# every host library (mk/hostlib.mk). Included by the top Makefile after
# host/host.mk and bench/bench.mk (it links libbench, which measures the
# http benchmark kind, and libunitune); paths are relative to the tree
# root.
#
# Outputs:
#   build/tuner/libtuner.a             every tuner/*.c plus the embedded
#                                      schema (tuner/schema.sql)
#   build/tuner-asan/libtuner.a        the same under ASan/UBSan, for tests
#   build/host-asan/tests/test_tuner_* unit tests (tests/unit/test_tuner_*.c)
#   build/tuner/strategy-replay        benchmarks/strategy_replay.c
#   build/tuner/race-replay            benchmarks/race_replay.c
# Targets: tuner-lib, tuner-unit-test, tuner-clean, strategy-replay,
# race-replay.
#
# Other fragments link the library with:
#   $(TUNER_LIB) $(BENCH_LIB) $(HOST_LIB) $(TUNER_LDLIBS) $(BENCH_LDLIBS),
#   compiling with
#   $(TUNER_CPPFLAGS)

TUNER_PKGS := sqlite3 yaml-0.1 nettle
TUNER_PKG_CFLAGS := $(shell pkg-config --cflags $(TUNER_PKGS) 2>/dev/null)
TUNER_PKG_LIBS := $(or $(shell pkg-config --libs $(TUNER_PKGS) 2>/dev/null),-lsqlite3 -lyaml -lnettle)
TUNER_LDLIBS := $(TUNER_PKG_LIBS) -lm
# It measures HTTP servers through libbench (tuner/measure_http.c).
TUNER_CPPFLAGS := $(HOST_CPPFLAGS) -Ituner -Ibench $(TUNER_PKG_CFLAGS) \
	$(BENCH_PKG_CFLAGS)
TUNER_USES := BENCH HOST
TUNER_UNIT_SRCS := $(wildcard tests/unit/test_tuner_*.c)

# The schema is compiled in, so bin/unitune does not need the source tree
# at run time (mk/hostlib.mk's text_as_c_function).
TUNER_SCHEMA := tuner/schema.sql
TUNER_SCHEMA_C := build/tuner/gen/schema_sql.c
TUNER_GEN_SRCS := $(TUNER_SCHEMA_C)

$(eval $(call HOST_LIBRARY,TUNER,tuner,tuner,libtuner.a))

$(TUNER_SCHEMA_C): $(TUNER_SCHEMA) tuner/tuner.mk
	$(call text_as_c_function,tuner_schema_sql,tuner/tuner.mk)

# Replays of the tuner's decisions, built from benchmarks/NAME_replay.c:
#   strategy-replay  evaluations each search strategy needs to reach the
#                    best point of a known landscape (benchmarks/strategies.sh)
#   race-replay      repetitions a race saves against a fixed count on
#                    simulated noisy landscapes (benchmarks/race.sh)
TUNER_REPLAY := build/tuner/strategy-replay
TUNER_RACE_REPLAY := build/tuner/race-replay

.PHONY: strategy-replay race-replay
strategy-replay: $(TUNER_REPLAY)
race-replay: $(TUNER_RACE_REPLAY)

build/tuner/%-replay: benchmarks/%_replay.c $(TUNER_LIB) $(BENCH_LIB) \
		$(HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(TUNER_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -o $@ $< \
		$(TUNER_LIB) $(BENCH_LIB) $(HOST_LIB) $(TUNER_LDLIBS) \
		$(BENCH_LDLIBS) $(HOST_LDLIBS)

-include $(TUNER_REPLAY).d $(TUNER_RACE_REPLAY).d

# SPDX-License-Identifier: BSD-3-Clause
#
# Bench: `unitune bench http` underneath the CLI: the background guest,
# readiness and /metrics scrapes with libcurl, the paced wrk runs and
# their Lua script, the figures, their statistics (host/stats.c) and the
# table and JSON, by the recipe of every host library (mk/hostlib.mk).
# Included by the top Makefile after host/host.mk and before
# tuner/tuner.mk (it links libunitune and nothing else, so the tuner
# measures its http benchmark kind through it); the verb is
# cli/cmd_bench.c, which also stores the results through the tuner's
# store.
#
# Outputs:
#   build/bench/libbench.a             every bench/*.c plus the embedded
#                                      wrk script (bench/wrk_report.lua)
#   build/bench-asan/libbench.a        the same under ASan/UBSan, for tests
#   build/host-asan/tests/test_bench_* unit tests (tests/unit/test_bench_*.c)
# Targets: bench-lib, bench-unit-test, bench-clean.
#
# Other fragments link the library with:
#   $(BENCH_LIB) $(HOST_LIB) $(BENCH_LDLIBS), compiling with
#   $(BENCH_CPPFLAGS)

BENCH_PKG_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
BENCH_PKG_LIBS := $(or $(shell pkg-config --libs libcurl 2>/dev/null),-lcurl)
BENCH_LDLIBS := $(BENCH_PKG_LIBS) -lpthread -lm
BENCH_CPPFLAGS := $(HOST_CPPFLAGS) -Ibench $(BENCH_PKG_CFLAGS)
BENCH_USES := HOST
BENCH_UNIT_SRCS := $(wildcard tests/unit/test_bench_*.c)

# The script is compiled in, as the tuner's schema is (mk/hostlib.mk's
# text_as_c_function): bin/unitune finds it wherever it is installed, and
# writes it to a temporary file for wrk.
BENCH_SCRIPT := bench/wrk_report.lua
BENCH_SCRIPT_C := build/bench/gen/wrk_script.c
BENCH_GEN_SRCS := $(BENCH_SCRIPT_C)

$(eval $(call HOST_LIBRARY,BENCH,bench,bench,libbench.a))

$(BENCH_SCRIPT_C): $(BENCH_SCRIPT) bench/bench.mk
	$(call text_as_c_function,bench_wrk_script,bench/bench.mk)

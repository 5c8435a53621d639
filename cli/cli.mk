# SPDX-License-Identifier: BSD-3-Clause
#
# The unitune CLI: the dispatcher (cli/unitune.c) and the verbs that
# belong to no library (build, run, doctor). Included by the top Makefile
# after the library fragments, whose variables it reads; paths are
# relative to the tree root. This is the only fragment that names
# bin/unitune: the libraries never include anything from cli/.
#
# Outputs:
#   bin/unitune          the CLI (-O2, warnings are errors)
#   build/cli/*.o        its objects
# Targets: bin/unitune, cli-clean.

CLI_SRCS := $(wildcard cli/*.c)
CLI_OBJS := $(CLI_SRCS:cli/%.c=build/cli/%.o)
# The verbs' headers are in each library's folder; `unitune run` adds
# source lines to crash backtraces (profiler/btlines.h).
CLI_CPPFLAGS := $(HOST_CPPFLAGS) -Icli -Iprofiler -Ituner -Inightly -Ibench $(TUNER_PKG_CFLAGS) \
	$(BENCH_PKG_CFLAGS)

# Every library once, each before those it uses.
CLI_LIBS := $(NIGHTLY_LIB) $(TUNER_LIB) $(PROF_LIB) $(BENCH_LIB) $(HOST_LIB)
CLI_LDLIBS := $(TUNER_LDLIBS) $(PROF_LDLIBS) $(BENCH_LDLIBS) $(HOST_LDLIBS)

.PHONY: cli-clean

bin/unitune: $(CLI_OBJS) $(CLI_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(CLI_OBJS) $(CLI_LIBS) $(CLI_LDLIBS)

build/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(CLI_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

cli-clean:
	rm -rf build/cli bin/unitune

-include $(CLI_OBJS:.o=.d)

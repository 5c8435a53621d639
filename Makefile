# SPDX-License-Identifier: BSD-3-Clause
#
#   make demo    install what is missing, build, boot the default image
#   make test    every test: host unit tests (ASan+UBSan), guest tests,
#                system tests through the CLI; ends with
#                "N passed, N failed, N skipped"
#   make bench   measured figures (build/bench/*.txt)
#   make fuzz    the trace decoder under libFuzzer (FUZZ_SECONDS=60)
#   make         the host CLI, bin/unitune

ROOT := $(CURDIR)
.DEFAULT_GOAL := all
.PHONY: all deps demo test bench clean fuzz-deps

all: bin/unitune

include host/host.mk
include profiler/profiler.mk
include tuner/tuner.mk

deps:
	@scripts/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run.sh

# clang and libFuzzer only for `make fuzz` (profiler/profiler.mk).
fuzz-deps:
	@scripts/deps.sh --fuzz
build/fuzz/fuzz_stream: | fuzz-deps

bench:
	@scripts/deps.sh --bench
	@$(MAKE) --no-print-directory all
	@benchmarks/run.sh

clean:
	rm -rf build bin

# SPDX-License-Identifier: BSD-3-Clause
#
#   make demo    install what is missing, build, boot the default image
#   make test    every test: host unit tests (ASan+UBSan), guest tests,
#                system tests through the CLI; ends with
#                "N passed, N failed, N skipped"
#   make bench   measured figures (build/bench/*.txt)
#   make fuzz    every libFuzzer target (tests/fuzz.mk), FUZZ_SECONDS=60 each
#   make         the host CLI, bin/unitune

ROOT := $(CURDIR)
.DEFAULT_GOAL := all
.PHONY: all deps demo test bench clean

all: bin/unitune

# Each library by one recipe (mk/hostlib.mk), each after those it links;
# cli/cli.mk alone links bin/unitune, tests/fuzz.mk uses every library.
include mk/hostlib.mk
include host/host.mk
include profiler/profiler.mk
include bench/bench.mk
include tuner/tuner.mk
include nightly/nightly.mk
include cli/cli.mk
include unikernel/apps/httpd/httpd.mk
include tests/fuzz.mk

deps:
	@scripts/deps.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run.sh

fuzz: | deps

bench:
	@scripts/deps.sh --bench
	@$(MAKE) --no-print-directory all
	@benchmarks/run.sh

clean:
	rm -rf build bin

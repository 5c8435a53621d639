# SPDX-License-Identifier: BSD-3-Clause
#
# Host side: libunitune (the shared host library) and the cmocka unit
# tests. The CLI that links it is cli/cli.mk's. Included by the top-level Makefile, which runs in the
# tree root (ROOT := $(CURDIR)); paths here are relative to it.
#
# Outputs:
#   build/host/libunitune.a           the library, for profiler/, tuner/
#                                     and cli/
#   build/host-asan/libunitune.a      the same under ASan/UBSan, for tests
#   $(HOST_UNIT_BINS)                 unit test programs (ASan/UBSan)
# Targets: host-lib, unit-test (builds and runs the tests;
# fails if any fails), host-clean.
#
# Other fragments link the library with:
#   $(HOST_LIB) $(HOST_LDLIBS), compiling with $(HOST_CPPFLAGS)

HOST_CC ?= cc
HOST_PKGS := kconfig-parser libelf
HOST_PKG_CFLAGS := $(shell pkg-config --cflags $(HOST_PKGS) 2>/dev/null)
HOST_PKG_LIBS := $(or $(shell pkg-config --libs $(HOST_PKGS) 2>/dev/null),-lkconfig-parser -lelf)

HOST_CPPFLAGS := -D_GNU_SOURCE -Iinclude -Ihost $(HOST_PKG_CFLAGS)
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
HOST_DEPFLAGS := -MMD -MP
HOST_ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
HOST_LDLIBS := $(HOST_PKG_LIBS)

HOST_LIB_SRCS := $(wildcard host/*.c)

HOST_LIB := build/host/libunitune.a
HOST_ASAN_LIB := build/host-asan/libunitune.a

HOST_LIB_OBJS := $(HOST_LIB_SRCS:host/%.c=build/host/%.o)
HOST_ASAN_OBJS := $(HOST_LIB_SRCS:host/%.c=build/host-asan/%.o)

HOST_UNIT_SRCS := $(wildcard tests/unit/test_*.c)
HOST_UNIT_BINS := $(HOST_UNIT_SRCS:tests/unit/%.c=build/host-asan/tests/%)
HOST_UNIT_FIXTURES := $(abspath tests/unit/fixtures)

.PHONY: host-lib host-unit-test unit-test host-clean
# Keep test objects: make would delete them as intermediates.
.SECONDARY: $(HOST_UNIT_BINS:=.o)

host-lib: $(HOST_LIB)

$(HOST_LIB): $(HOST_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(HOST_ASAN_LIB): $(HOST_ASAN_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

build/host/%.o: host/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/host-asan/%.o: host/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) $(HOST_ASAN_FLAGS) -c -o $@ $<

build/host-asan/tests/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) $(HOST_ASAN_FLAGS) \
		-DUT_FIXTURES='"$(HOST_UNIT_FIXTURES)"' -c -o $@ $<

build/host-asan/tests/%: build/host-asan/tests/%.o $(HOST_ASAN_LIB)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN_FLAGS) -o $@ $< $(HOST_ASAN_LIB) \
		-lcmocka $(HOST_LDLIBS)

# Run every test program even when one fails, then fail if any did, so
# one broken suite does not hide the others' results.
host-unit-test: $(HOST_UNIT_BINS)
	@failed=""; \
	for t in $(HOST_UNIT_BINS); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		./$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "host unit tests FAILED:$$failed"; exit 1; fi; \
	echo "host unit tests: all $(words $(HOST_UNIT_BINS)) programs passed"

unit-test: host-unit-test

host-clean:
	rm -rf build/host build/host-asan

-include $(HOST_LIB_OBJS:.o=.d) $(HOST_ASAN_OBJS:.o=.d) \
	$(HOST_UNIT_BINS:=.d)

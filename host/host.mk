# SPDX-License-Identifier: BSD-3-Clause
#
# Host side: libunitune, the shared host library, and its cmocka unit
# tests, by the recipe of every host library (mk/hostlib.mk). Included by
# the top Makefile, which runs in the tree root (ROOT := $(CURDIR)); paths
# here are relative to it. The CLI that links it is cli/cli.mk's.
#
# Outputs:
#   build/host/libunitune.a           the library, for profiler/, tuner/
#                                     and cli/
#   build/host-asan/libunitune.a      the same under ASan/UBSan, for tests
#   $(HOST_UNIT_BINS)                 unit test programs (ASan/UBSan):
#                                     tests/unit/test_*.c but the
#                                     profiler's and the tuner's
# Targets: host-lib, host-unit-test, host-clean (and unit-test, every
# library's tests).
#
# Other fragments link the library with:
#   $(HOST_LIB) $(HOST_LDLIBS), compiling with $(HOST_CPPFLAGS)

# libcurl pushes to a Pushgateway (push.c), nettle's base64url encodes
# its grouping key.
HOST_PKGS := kconfig-parser libelf libcurl nettle
HOST_PKG_CFLAGS := $(shell pkg-config --cflags $(HOST_PKGS) 2>/dev/null)
HOST_PKG_LIBS := $(or $(shell pkg-config --libs $(HOST_PKGS) 2>/dev/null),-lkconfig-parser -lelf -lcurl -lnettle)

HOST_CPPFLAGS := -D_GNU_SOURCE -Iinclude -Ihost $(HOST_PKG_CFLAGS)
HOST_LDLIBS := $(HOST_PKG_LIBS) -lm
HOST_USES :=
HOST_UNIT_SRCS := $(filter-out tests/unit/test_prof_% tests/unit/test_tuner_% tests/unit/test_nightly_% \
	tests/unit/test_bench_%,\
	$(wildcard tests/unit/test_*.c))

$(eval $(call HOST_LIBRARY,HOST,host,host,libunitune.a))

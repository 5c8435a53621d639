# SPDX-License-Identifier: BSD-3-Clause
#
# Nightly: the `unitune nightly` verb (nightly_cmds.h) and what it is made
# of: the regression detector (detect.h), the per-commit measurement over
# git worktrees, confirmation, bisection and the night's report
# (report.h), by the recipe of every host library (mk/hostlib.mk).
# Included by the top Makefile after tuner/tuner.mk: it measures through
# the tuner (measure_image, the suite file, the history store) and records
# profiles through the profiler. Paths are relative to the tree root.
#
# Outputs:
#   build/nightly/libnightly.a           every nightly/*.c
#   build/nightly-asan/libnightly.a      the same under ASan/UBSan
#   build/host-asan/tests/test_nightly_* unit tests (tests/unit/test_nightly_*.c)
# Targets: nightly-lib, nightly-unit-test, nightly-clean.

NIGHTLY_LDLIBS := $(TUNER_LDLIBS) $(PROF_LDLIBS)
NIGHTLY_CPPFLAGS := $(TUNER_CPPFLAGS) $(PROF_CPPFLAGS) -Inightly
NIGHTLY_USES := TUNER PROF BENCH HOST
NIGHTLY_UNIT_SRCS := $(wildcard tests/unit/test_nightly_*.c)

$(eval $(call HOST_LIBRARY,NIGHTLY,nightly,nightly,libnightly.a))

# The detector's sensitivity and false alarms on synthetic histories
# (benchmarks/nightly_sensitivity.sh), built with `make all` so that it
# keeps compiling as the detector changes.
NIGHTLY_REPLAY := build/nightly/nightly-replay

.PHONY: nightly-replay
nightly-replay: $(NIGHTLY_REPLAY)
all: $(NIGHTLY_REPLAY)

$(NIGHTLY_REPLAY): benchmarks/nightly_replay.c $(NIGHTLY_LIB) $(HOST_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(NIGHTLY_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -o $@ $< \
		$(NIGHTLY_LIB) $(HOST_LIB) -lm

-include $(NIGHTLY_REPLAY).d

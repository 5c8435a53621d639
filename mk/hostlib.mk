# SPDX-License-Identifier: BSD-3-Clause
#
# The recipe of a host library, written once: each library's fragment
# sets a few variables and instantiates it with
#
#   $(eval $(call HOST_LIBRARY,VAR,NAME,DIR,ARCHIVE))
#
#   VAR      prefix of the library's variables (HOST, PROF, TUNER)
#   NAME     prefix of its targets (NAME-lib, NAME-unit-test, NAME-clean)
#   DIR      its source folder; objects go to build/DIR and build/DIR-asan
#   ARCHIVE  file name of the archive (libunitune.a)
#
# Set before the call (paths relative to the tree root):
#   VAR_CPPFLAGS       flags of every compile of the library and its tests
#   VAR_LDLIBS         the system libraries it needs
#   VAR_USES           VARs of the libraries it links against, each
#                      instantiated before it (PROF_USES := HOST)
#   VAR_GEN_SRCS       optional: generated sources in build/DIR/gen/
#   VAR_GEN_HDRS       optional: generated headers every object may include
#   VAR_UNIT_SRCS      its unit tests (tests/unit/test_*.c)
#   VAR_TEST_CPPFLAGS  optional: more flags for its unit tests
#
# Defines VAR_SRCS, VAR_LIB, VAR_ASAN_LIB, VAR_OBJS, VAR_ASAN_OBJS and
# VAR_UNIT_BINS, and the recipes of: the archive (-O2, warnings are
# errors), its ASan/UBSan twin, the unit-test programs (cmocka, linked
# with the twins of the library and of those it uses) and NAME-unit-test,
# which runs them all and fails if any failed. `make unit-test` runs
# every library's. Nothing here names bin/unitune: cli/cli.mk links it.

HOST_CC ?= cc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
HOST_DEPFLAGS := -MMD -MP
HOST_ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
HOST_UNIT_FIXTURES := $(abspath tests/unit/fixtures)

.PHONY: unit-test

# Run every test program even when one fails, then fail if any did, so
# one broken suite does not hide the others' results.
# $(call host_run_unit_tests,NAME,PROGRAMS)
define host_run_unit_tests
	@failed=""; \
	for t in $(2); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		./$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "$(1) unit tests FAILED:$$failed"; exit 1; fi; \
	echo "$(1) unit tests: all $(words $(2)) programs passed"
endef

# A text file compiled into a library as `const char *FUNCTION(void)`
# returning its bytes (the tuner's schema, the bench's wrk script), so
# bin/unitune needs nothing from the source tree at run time. Each line
# becomes "...\n" with backslashes and quotes escaped (sed only); a
# function, not a global array, keeps the library free of exported data.
# As a rule's recipe, with the text file as its first prerequisite:
#	$(call text_as_c_function,FUNCTION,FRAGMENT)
define text_as_c_function
	@mkdir -p $(@D)
	{ echo '/* Generated from $< by $(2). */'; \
	  echo 'const char *$(1)(void);'; \
	  echo 'const char *$(1)(void)'; \
	  echo '{'; \
	  echo '	return'; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$$/\\n"/' $<; \
	  echo '	;'; \
	  echo '}'; } >$@.tmp
	mv $@.tmp $@
endef

define HOST_LIBRARY
$(1)_SRCS := $$(wildcard $(3)/*.c) $$($(1)_GEN_SRCS)
$(1)_LIB := build/$(3)/$(4)
$(1)_ASAN_LIB := build/$(3)-asan/$(4)
$(1)_OBJS := $$(patsubst %.c,build/$(3)/%.o,$$(notdir $$($(1)_SRCS)))
$(1)_ASAN_OBJS := $$(patsubst %.c,build/$(3)-asan/%.o,$$(notdir $$($(1)_SRCS)))
$(1)_UNIT_BINS := $$($(1)_UNIT_SRCS:tests/unit/%.c=build/host-asan/tests/%)
# What a test program links after the library's own twin.
$(1)_USES_ASAN_LIBS := $$(foreach u,$$($(1)_USES),$$($$(u)_ASAN_LIB))
$(1)_USES_LDLIBS := $$(foreach u,$$($(1)_USES),$$($$(u)_LDLIBS))

.PHONY: $(2)-lib $(2)-unit-test $(2)-clean
# Keep test objects: make would delete them as intermediates.
.SECONDARY: $$($(1)_UNIT_BINS:=.o) $$($(1)_GEN_SRCS)

$(2)-lib: $$($(1)_LIB)

$$($(1)_LIB): $$($(1)_OBJS)
	@mkdir -p $$(@D)
	rm -f $$@
	ar rcs $$@ $$^

$$($(1)_ASAN_LIB): $$($(1)_ASAN_OBJS)
	@mkdir -p $$(@D)
	rm -f $$@
	ar rcs $$@ $$^

build/$(3)/%.o: $(3)/%.c | $$($(1)_GEN_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$($(1)_CPPFLAGS) $$(HOST_CFLAGS) $$(HOST_DEPFLAGS) -c -o $$@ $$<

build/$(3)-asan/%.o: $(3)/%.c | $$($(1)_GEN_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$($(1)_CPPFLAGS) $$(HOST_CFLAGS) $$(HOST_DEPFLAGS) \
		$$(HOST_ASAN_FLAGS) -c -o $$@ $$<

build/$(3)/%.o: build/$(3)/gen/%.c | $$($(1)_GEN_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$($(1)_CPPFLAGS) $$(HOST_CFLAGS) $$(HOST_DEPFLAGS) -c -o $$@ $$<

build/$(3)-asan/%.o: build/$(3)/gen/%.c | $$($(1)_GEN_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$($(1)_CPPFLAGS) $$(HOST_CFLAGS) $$(HOST_DEPFLAGS) \
		$$(HOST_ASAN_FLAGS) -c -o $$@ $$<

$$($(1)_UNIT_BINS:=.o): build/host-asan/tests/%.o: tests/unit/%.c | $$($(1)_GEN_HDRS)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$($(1)_CPPFLAGS) $$($(1)_TEST_CPPFLAGS) $$(HOST_CFLAGS) \
		$$(HOST_DEPFLAGS) $$(HOST_ASAN_FLAGS) \
		-DUT_FIXTURES='"$$(HOST_UNIT_FIXTURES)"' -c -o $$@ $$<

$$($(1)_UNIT_BINS): %: %.o $$($(1)_ASAN_LIB) $$($(1)_USES_ASAN_LIBS)
	$$(HOST_CC) $$(HOST_CFLAGS) $$(HOST_ASAN_FLAGS) -o $$@ $$< \
		$$($(1)_ASAN_LIB) $$($(1)_USES_ASAN_LIBS) -lcmocka \
		$$($(1)_LDLIBS) $$($(1)_USES_LDLIBS)

$(2)-unit-test: $$($(1)_UNIT_BINS)
	$$(call host_run_unit_tests,$(2),$$($(1)_UNIT_BINS))

unit-test: $(2)-unit-test

$(2)-clean:
	rm -rf build/$(3) build/$(3)-asan $$($(1)_UNIT_BINS) $$($(1)_UNIT_BINS:=.o) \
		$$($(1)_UNIT_BINS:=.d)

-include $$($(1)_OBJS:.o=.d) $$($(1)_ASAN_OBJS:.o=.d) $$($(1)_UNIT_BINS:=.d)
endef

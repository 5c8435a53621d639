# SPDX-License-Identifier: BSD-3-Clause
#
# httpd built as a native Linux program, from the same sources as the
# guest app (Makefile.uk) but with stats_linux.c: its behaviour is tested
# on the host (tests/system/test_httpd.sh). Included by the top Makefile
# before tests/fuzz.mk; paths are relative to the tree root.
#
# Outputs:
#   build/httpd/httpd              -O2, warnings are errors
#   build/httpd-asan/httpd         the same under ASan+UBSan (what the
#                                  tests run)
#   build/httpd/httpload           the load client of the tests
#   build/httpd-asan/test_http_parse  the parser's unit tests (cmocka),
#                                  run by `make unit-test`
#   build/fuzz/fuzz_http           the parser's libFuzzer target (the
#                                  rule is here, the list in tests/fuzz.mk)
# Targets: httpd-native, httpd-unit-test, httpd-clean.

HTTPD_DIR := unikernel/apps/httpd
HTTPD_SRCS := $(addprefix $(HTTPD_DIR)/,main.c server.c conn.c respond.c \
	http_parse.c metrics.c prom.c textbuf.c page.c selftest.c stats_linux.c)
HTTPD_CPPFLAGS := -DHTTPD_NATIVE
HTTPD_OBJS := $(patsubst $(HTTPD_DIR)/%.c,build/httpd/%.o,$(HTTPD_SRCS))
HTTPD_ASAN_OBJS := $(patsubst $(HTTPD_DIR)/%.c,build/httpd-asan/%.o,\
	$(HTTPD_SRCS))
HTTPD_BIN := build/httpd/httpd
HTTPD_ASAN_BIN := build/httpd-asan/httpd
HTTPD_LOAD_BIN := build/httpd/httpload
HTTPD_UNIT_BIN := build/httpd-asan/test_http_parse
# The seeds of fuzz_http, which tests/run.sh also replays one by one.
FUZZ_SEEDS_fuzz_http := $(HTTPD_DIR)/fuzz/corpus

.PHONY: httpd-native httpd-unit-test httpd-clean

httpd-native: $(HTTPD_BIN) $(HTTPD_ASAN_BIN) $(HTTPD_LOAD_BIN)

build/httpd/%.o: $(HTTPD_DIR)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HTTPD_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) -c -o $@ $<

build/httpd-asan/%.o: $(HTTPD_DIR)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HTTPD_CPPFLAGS) $(HOST_CFLAGS) $(HOST_DEPFLAGS) \
		$(HOST_ASAN_FLAGS) -c -o $@ $<

$(HTTPD_BIN): $(HTTPD_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

$(HTTPD_ASAN_BIN): $(HTTPD_ASAN_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_ASAN_FLAGS) -o $@ $^

$(HTTPD_LOAD_BIN): $(HTTPD_DIR)/test/httpload.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $<

$(HTTPD_UNIT_BIN): $(HTTPD_DIR)/test/test_http_parse.c \
		build/httpd-asan/http_parse.o
	$(HOST_CC) -I$(HTTPD_DIR) $(HOST_CFLAGS) $(HOST_ASAN_FLAGS) \
		-DHTTPD_CORPUS='"$(abspath $(HTTPD_DIR)/fuzz/corpus)"' \
		-o $@ $^ -lcmocka

httpd-unit-test: $(HTTPD_UNIT_BIN)
	$(call host_run_unit_tests,httpd,$(HTTPD_UNIT_BIN))

unit-test: httpd-unit-test

build/fuzz/fuzz_http: $(HTTPD_DIR)/fuzz/fuzz_http.c \
		$(HTTPD_DIR)/http_parse.c $(HTTPD_DIR)/http_parse.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -I$(HTTPD_DIR) $(FUZZ_LINK_CFLAGS) -o $@ \
		$(HTTPD_DIR)/fuzz/fuzz_http.c $(HTTPD_DIR)/http_parse.c

httpd-clean:
	rm -rf build/httpd build/httpd-asan build/fuzz/fuzz_http

-include $(HTTPD_OBJS:.o=.d) $(HTTPD_ASAN_OBJS:.o=.d)

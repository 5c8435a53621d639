# SPDX-License-Identifier: BSD-3-Clause
# lwIP's library (unikernel/lib/lwip) as a build sees it: its source from
# Debian through scripts/deps.sh, the errors a missing source or a bad
# option gives, and hello staying free of it. Its behaviour is tested in
# the guest (the selftest image's lwip.* cases, both modes).

test_lwip_off_by_default_so_hello_has_none_of_it() {
	img=$(test_image hello)
	expect_no_grep '^CONFIG_LWIP=y' "$(dirname "$img")/.config"
	nm "$img" >syms
	expect_no_grep ' (tcp_input|lwip_init|sys_now)$' syms
}

test_lwip_missing_source_names_lwip_src_and_deps() {
	expect_eq 1 "$(run_status env LWIP_SRC="$PWD/nowhere" "$UNITUNE" build --app hello -o v --set CONFIG_LWIP=y)" "exit status"
	expect_grep "LWIP_SRC=$PWD/nowhere" err
	expect_grep 'make deps|scripts/deps.sh' err
}

test_lwip_out_of_range_option_is_refused() {
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o v --set CONFIG_LWIP=y --set CONFIG_LWIP_TCP_MSL=50)" "exit status"
	expect_grep 'CONFIG_LWIP_TCP_MSL' err
	expect_grep 'range|100' err
}

# Relations a Kconfig range cannot state stop the build with a message
# naming the options (here: the window does not fit in the pbuf pool).
test_lwip_option_relation_error_names_the_options() {
	expect_eq 1 "$(run_status "$UNITUNE" build --app hello -o v --set CONFIG_LWIP=y \
		--set CONFIG_LWIP_PBUF_POOL_SIZE=2 --set CONFIG_LWIP_TCP_WND=60000)" "exit status"
	expect_grep 'CONFIG_LWIP_TCP_WND must be at most CONFIG_LWIP_PBUF_POOL_SIZE' err
}

test_lwip_threaded_mode_needs_the_cooperative_scheduler() {
	# hello runs to completion: asking for threads is reported, and
	# kconfig falls back to run to completion.
	expect_eq 0 "$(run_status "$UNITUNE" build --app hello -o v --set CONFIG_LWIP=y \
		--set CONFIG_UKSCHED_NONE=y --set CONFIG_LWIP_THREADED=y)" "exit status"
	expect_grep 'CONFIG_LWIP_THREADED' err
	expect_grep '^CONFIG_LWIP_RTC=y' v/.config
}

test_lwip_deps_sources_is_quiet_when_present() {
	src=${LWIP_SRC:-$ROOT/third_party/lwip}
	[ -f "$src/src/core/tcp.c" ] || fail "no lwIP source in $src (make deps)"
	expect_eq 0 "$(run_status env LWIP_SRC="$src" "$ROOT/scripts/deps.sh" --sources)" "exit status"
	[ ! -s out ] && [ ! -s err ] || fail "deps.sh --sources printed something with the source present"
}

test_lwip_deps_refuses_a_folder_that_is_not_lwip() {
	mkdir junk && touch junk/file
	expect_eq 1 "$(run_status env LWIP_SRC="$PWD/junk" "$ROOT/scripts/deps.sh" --sources)" "exit status"
	expect_grep "$PWD/junk .*no src/core/tcp.c" err
	[ -f junk/file ] || fail "deps.sh touched the folder"
	expect_eq 2 "$(run_status "$ROOT/scripts/deps.sh" --no-such-option)" "unknown option"
	expect_grep 'no-such-option' err
}

# SPDX-License-Identifier: BSD-3-Clause
# Incremental rebuilds in one build directory: a changed option recompiles
# only the objects whose sources or headers mention it
# (unikernel/scripts/fixdep.awk), and the image is the one a clean build of
# the same configuration gives.

# Objects under DIR/obj newer than FILE, relative to DIR/obj, sorted, on
# one line.
rebuilt_since() { # dir file
	local since
	if ! since=$(realpath -e "$2") || [ ! -d "$1/obj" ]; then
		fail "no $2 or no $1/obj"
		return 1
	fi
	(cd "$1/obj" && find . -name '*.o' -newer "$since" | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')
}

# Builds APP into DIR with the given options (on top of the defconfig).
build_into() { # dir app [build options...]
	local dir=$1 app=$2
	shift 2
	"$UNITUNE" build --app "$app" -o "$dir" "$@" >build.out 2>build.err || {
		cat build.err >&2
		fail "unitune build --app $app -o $dir $* failed"
	}
}

# DIR's image must be byte-identical to a clean build of the same options at
# the same path (the path is in the debug information).
expect_same_as_clean() { # dir app [build options...]
	local dir=$1 app=$2
	shift 2
	mv "$dir" "$dir.incremental"
	build_into "$dir" "$app" "$@"
	cmp "$dir.incremental/$app.elf" "$dir/$app.elf" ||
		fail "incremental $app.elf ($*) differs from a clean build"
	rm -rf "$dir"
	mv "$dir.incremental" "$dir"
}

test_option_change_rebuilds_only_its_users() {
	build_into v allocbench --set CONFIG_UKALLOC_TLSF_SL_LOG2=5
	n=$(find v/obj -name '*.o' | wc -l)
	[ "$n" -ge 20 ] || fail "expected a full build, found $n objects"
	# Building the same configuration again compiles and links nothing.
	touch same
	build_into v allocbench --set CONFIG_UKALLOC_TLSF_SL_LOG2=5
	got=$(rebuilt_since v same)
	expect_eq "" "$got" "objects rebuilt for an unchanged configuration"
	[ ! v/allocbench.elf -nt same ] || fail "image relinked for an unchanged configuration"
	# Only tlsf.c reads the second-level split; ksyms.S.o follows every link.
	touch changed
	build_into v allocbench --set CONFIG_UKALLOC_TLSF_SL_LOG2=3
	expect_grep '^CONFIG_UKALLOC_TLSF_SL_LOG2=3$' v/.config
	got=$(rebuilt_since v changed)
	expect_eq "ksyms.S.o lib/ukalloc/tlsf.c.o" "$got" "objects rebuilt"
	expect_same_as_clean v allocbench --set CONFIG_UKALLOC_TLSF_SL_LOG2=3
}

test_incremental_images_match_clean_builds() {
	# Then each step changes what the previous one built: a choice, the symbol
	# table (a second link or not), then an option that also removes
	# objects from the link (SRCS-$(CONFIG_UKTRACE)).
	# First an option no source reads, which only drops objects from the
	# link (SRCS-$(CONFIG_UKALLOC_TEST)): nothing compiles, yet the image
	# must be linked again.
	build_into v allocbench --set CONFIG_UKTEST=y --set CONFIG_UKALLOC_TEST=y
	[ -f v/obj/lib/ukalloc/tests/test_tlsf.c.o ] || fail "CONFIG_UKALLOC_TEST=y built no test objects"
	touch before
	build_into v allocbench --set CONFIG_UKTEST=y --set CONFIG_UKALLOC_TEST=n
	expect_grep '^# CONFIG_UKALLOC_TEST is not set$' v/.config
	[ v/allocbench.elf -nt before ] || fail "image not relinked without the allocator tests"
	expect_same_as_clean v allocbench --set CONFIG_UKTEST=y --set CONFIG_UKALLOC_TEST=n
	set -- --set CONFIG_UKALLOC_BUDDY=y
	build_into v allocbench "$@"
	expect_grep '^CONFIG_UKALLOC_BUDDY=y$' v/.config
	expect_same_as_clean v allocbench "$@"
	set -- "$@" --set CONFIG_UKDEBUG_KSYMS=n
	touch before
	build_into v allocbench "$@"
	expect_grep '^# CONFIG_UKDEBUG_KSYMS is not set$' v/.config
	[ v/allocbench.elf -nt before ] || fail "image not relinked without the symbol table"
	expect_same_as_clean v allocbench "$@"
	set -- "$@" --set CONFIG_UKTRACE=n
	build_into v allocbench "$@"
	expect_grep '^# CONFIG_UKTRACE is not set$' v/.config
	expect_same_as_clean v allocbench "$@"
	# And back to the defconfig, whose objects are still in v/obj.
	build_into v allocbench
	expect_same_as_clean v allocbench
}

test_header_option_rebuilds_every_includer() {
	# CONFIG_UKTRACE is read in uk/trace.h: every object including it must
	# be compiled again, though its own source never names the option.
	build_into v hello
	includers=0
	for src in $(cd "$ROOT/unikernel" && grep -rl --include='*.c' '<uk/trace.h>' .); do
		src=${src#./}
		[ -f "v/obj/$src.o" ] || continue
		grep -q CONFIG_UKTRACE "$ROOT/unikernel/$src" && continue
		set -- "$@" "$src.o"
		includers=$((includers + 1))
	done
	[ "$includers" -ge 3 ] || fail "expected at least 3 objects including uk/trace.h, found $includers"
	touch changed
	build_into v hello --set CONFIG_UKTRACE=n
	expect_grep '^# CONFIG_UKTRACE is not set$' v/.config
	for obj in "$@"; do
		[ "v/obj/$obj" -nt changed ] || fail "$obj includes uk/trace.h but was not recompiled"
	done
	# An object reading neither the option nor the header stays as it was.
	[ -f v/obj/lib/ukalloc/tlsf.c.o ] || fail "no v/obj/lib/ukalloc/tlsf.c.o"
	[ ! v/obj/lib/ukalloc/tlsf.c.o -nt changed ] || fail "tlsf.c.o recompiled though it does not use CONFIG_UKTRACE"
	expect_same_as_clean v hello --set CONFIG_UKTRACE=n
}

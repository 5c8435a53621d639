#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Install what Unitune needs from Debian, and nothing that is already there.
# Safe to run again. Needs root (or sudo) only when something is missing.
#
#   scripts/deps.sh            build, run and test dependencies (jq parses
#                              the --json output in tests; chromium renders
#                              the experiment report headless in a test;
#                              clang and libFuzzer build the fuzz targets,
#                              which make test builds and replays;
#                              iproute2's ss shows where QEMU listens in
#                              the --publish tests; dpkg-dev unpacks source
#                              packages; curl, promtool from prometheus
#                              and python3 drive httpd's tests;
#                              libcurl4-openssl-dev pushes to a
#                              Pushgateway and serves `unitune bench
#                              http` with wrk; prometheus-pushgateway is
#                              the one test_push.sh pushes to; cpio,
#                              busybox-static and nginx's libraries let
#                              scripts/linux-guest.sh build the Linux
#                              baseline, whose kernel and nginx it
#                              downloads with apt-get download), then the
#                              lwIP source (below)
#   scripts/deps.sh --bench    also the benchmark tools (hyperfine)
#   scripts/deps.sh --sources  only the source packages (lwIP)
#
# lwIP is built into the unikernel unchanged from Debian's source package:
# `apt-get source lwip` into third_party/lwip (git-ignored). apt needs a
# deb-src entry for the machine's own suite; when no deb-src entry exists,
# one is written to /etc/apt/sources.list.d/unitune-src.sources, copied
# from the machine's deb entries for that suite. Nothing happens when the
# source is already there. LWIP_SRC=DIR names another folder to fill (the
# unikernel build reads the same variable).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)

packages="make gcc libc6-dev binutils pkg-config qemu-system-x86 musl-dev \
kconfig-frontends libcmocka-dev libelf-dev libdw-dev gnuplot-nox \
libsqlite3-dev libyaml-dev nettle-dev ccache sqlite3 \
libprotobuf-c-dev protobuf-c-compiler protobuf-compiler zlib1g-dev python3 \
jq chromium iproute2 \
clang libclang-rt-14-dev dpkg-dev curl prometheus \
libcurl4-openssl-dev prometheus-pushgateway wrk \
cpio busybox-static libcrypt1 libpcre2-8-0 libssl3 zlib1g"
bench_packages="hyperfine"

only_sources=0
case "${1:-}" in
--bench) packages="$packages $bench_packages" ;;
--sources) only_sources=1 ;;
"") ;;
*)
	echo "deps.sh: unknown option '$1' (use --bench or --sources)" >&2
	exit 2
	;;
esac

sudo=""
need_root() { # what
	[ "$(id -u)" = 0 ] && return 0
	command -v sudo >/dev/null 2>&1 || {
		echo "deps.sh: need root to $1" >&2
		exit 1
	}
	sudo=sudo
}

install_packages() {
	missing=""
	for p in $packages; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$status" in
		*"install ok installed"*) ;;
		*) missing="$missing $p" ;;
		esac
	done

	if [ -z "$missing" ]; then
		echo "deps.sh: all dependencies are installed"
		return 0
	fi

	echo "deps.sh: installing:$missing"
	need_root "install:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing
}

# True when apt already knows a deb-src entry (either file format).
have_deb_src() {
	grep -Eqs '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
		grep -Eqs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list \
			/etc/apt/sources.list.d/*.list
}

# deb822 stanzas of type deb-src for SUITE, copied from the deb entries
# that name it (so a machine on a mirror keeps its mirror).
deb_src_stanzas() { # suite
	awk -v suite="$1" '
	function flush() {
		if (is_deb && has_suite)
			printf "Types: deb-src\n%s\n", body
		body = ""; is_deb = 0; has_suite = 0
	}
	/^[[:space:]]*$/ { flush(); next }
	/^[[:space:]]*#/ { next }
	/^Types:/ { is_deb = ($0 ~ /[[:space:]]deb([[:space:]]|$)/); next }
	/^Suites:/ {
		n = split($0, w, /[[:space:]]+/)
		for (i = 2; i <= n; i++) if (w[i] == suite) has_suite = 1
	}
	/^Enabled:[[:space:]]*no/ { is_deb = 0 }
	{ body = body (body == "" ? "" : "\n") $0 }
	END { flush() }' /etc/apt/sources.list.d/*.sources 2>/dev/null
	# One-line format: "deb [opts] URI SUITE COMPONENTS...".
	awk -v suite="$1" '$1 == "deb" {
		i = 2; opts = ""
		if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
		if ($(i + 1) != suite) next
		comps = ""; for (j = i + 2; j <= NF; j++) comps = comps " " $j
		printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:%s\n", $i, suite, comps
	}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
}

add_deb_src() {
	suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$suite" ] || {
		echo "deps.sh: /etc/os-release names no VERSION_CODENAME; add a deb-src entry for your Debian suite by hand" >&2
		exit 1
	}
	stanzas=$(deb_src_stanzas "$suite" | awk 'NR > 1 && /^Types:/ { print "" } { print }')
	[ -n "$stanzas" ] || {
		echo "deps.sh: no deb entry for suite $suite in /etc/apt to copy as deb-src; add one by hand" >&2
		exit 1
	}
	need_root "add a deb-src entry for $suite"
	echo "deps.sh: adding deb-src for $suite (/etc/apt/sources.list.d/unitune-src.sources)"
	printf '# Written by Unitune scripts/deps.sh: apt-get source needs it.\n%s\n' "$stanzas" |
		$sudo tee /etc/apt/sources.list.d/unitune-src.sources >/dev/null
	$sudo apt-get update -qq
}

lwip_source() {
	dest=${LWIP_SRC:-$ROOT/third_party/lwip}
	[ -f "$dest/src/core/tcp.c" ] && return 0
	if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
		echo "deps.sh: $dest exists but holds no lwIP source (no src/core/tcp.c); remove it or set LWIP_SRC" >&2
		exit 1
	fi
	if ! apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip'; then
		if have_deb_src; then
			need_root "update apt's package lists"
			$sudo apt-get update -qq
		else
			add_deb_src
		fi
	fi
	parent=$(dirname "$dest")
	mkdir -p "$parent"
	tmp=$(mktemp -d "$parent/.lwip-src.XXXXXX")
	echo "deps.sh: apt-get source lwip into $dest"
	if ! (cd "$tmp" && apt-get source -qq lwip >apt-source.log 2>&1); then
		cat "$tmp/apt-source.log" >&2
		rm -rf "$tmp"
		echo "deps.sh: apt-get source lwip failed (is there a deb-src entry apt can reach?)" >&2
		exit 1
	fi
	unpacked=$(find "$tmp" -mindepth 4 -maxdepth 4 -path '*/src/core/tcp.c' | head -n 1)
	[ -n "$unpacked" ] || {
		rm -rf "$tmp"
		echo "deps.sh: apt-get source lwip unpacked no src/core/tcp.c" >&2
		exit 1
	}
	rmdir "$dest" 2>/dev/null || true
	mv "$(dirname "$(dirname "$(dirname "$unpacked")")")" "$dest"
	rm -rf "$tmp"
}

[ "$only_sources" = 1 ] || install_packages
lwip_source

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
#                              the --publish tests)
#   scripts/deps.sh --bench    also the benchmark tools
set -eu

packages="make gcc libc6-dev binutils pkg-config qemu-system-x86 musl-dev \
kconfig-frontends libcmocka-dev libelf-dev libdw-dev gnuplot-nox \
libsqlite3-dev libyaml-dev nettle-dev ccache sqlite3 \
libprotobuf-c-dev protobuf-c-compiler protobuf-compiler zlib1g-dev python3 \
jq chromium iproute2 \
clang libclang-rt-14-dev"
bench_packages="hyperfine"

case "${1:-}" in
--bench) packages="$packages $bench_packages" ;;
esac

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
	exit 0
fi

echo "deps.sh: installing:$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps.sh: need root to install:$missing" >&2
		exit 1
	}
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing

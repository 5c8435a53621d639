#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# One night, for cron, a systemd timer or a CI job (docs/nightly.md):
# build the harness, measure the suite on every commit since the last
# night (or HEAD on the first), bisect confirmed regressions, and write
# the report to STATE/YYYY-MM-DD (STATE/latest points at it).
#
#   scripts/nightly.sh [extra unitune nightly options...]
#
# Settings (environment):
#   UNITUNE_NIGHTLY_REPO    the git repository measured (default: this tree)
#   UNITUNE_NIGHTLY_REV     the revision measured up to (default: HEAD)
#   UNITUNE_NIGHTLY_SUITE   the suite (default: benchmarks/suites/nightly.yaml)
#   UNITUNE_NIGHTLY_STATE   store, reports, the last commit measured
#                           (default: results/nightly in this tree)
#   UNITUNE_NIGHTLY_PUSH    a Pushgateway URL, or unset
#
# Exit status: unitune nightly's (0 no confirmed regression, 1 a confirmed
# regression, 2 the tool failed). The last commit measured is remembered
# only when the night did not fail, so a failed night is measured again.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPO=${UNITUNE_NIGHTLY_REPO:-$ROOT}
REV=${UNITUNE_NIGHTLY_REV:-HEAD}
SUITE=${UNITUNE_NIGHTLY_SUITE:-$ROOT/benchmarks/suites/nightly.yaml}
STATE=${UNITUNE_NIGHTLY_STATE:-$ROOT/results/nightly}

make -C "$ROOT" --no-print-directory -s all >&2 || exit 2
mkdir -p "$STATE" || exit 2
head=$(git -C "$REPO" rev-parse --verify "$REV^{commit}") || exit 2
last=$(cat "$STATE/last-commit" 2>/dev/null || true)
if [ -n "$last" ] && [ "$last" != "$head" ] &&
	git -C "$REPO" merge-base --is-ancestor "$last" "$head" 2>/dev/null; then
	set -- --commits "$last..$head" "$@"
else
	# First night, nothing new, or history rewritten: the head alone.
	set -- --commit "$head" "$@"
fi
[ -n "${UNITUNE_NIGHTLY_PUSH:-}" ] && set -- --push "$UNITUNE_NIGHTLY_PUSH" "$@"
day=$(date -u +%Y-%m-%d)
"$ROOT/bin/unitune" nightly "$SUITE" --repo "$REPO" --db "$STATE/nightly.db" \
	--work "$STATE/work" -o "$STATE/$day" --bisect "$@"
status=$?
if [ "$status" -le 1 ]; then
	echo "$head" >"$STATE/last-commit"
	ln -sfn "$day" "$STATE/latest"
fi
exit "$status"

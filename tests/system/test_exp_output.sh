# SPDX-License-Identifier: BSD-3-Clause
# Machine-readable output of the tuner's read side: show --json,
# best --json and export --csv on a database written by sqlite3
# (synth_experiment in tests/lib.sh), each parsed back (jq, sqlite3's
# CSV import) and checked against the rows.

test_show_json_matches_the_database() {
	synth_experiment
	"$UNITUNE" show --db synth.db --json deps >show.json
	jq -e . show.json >/dev/null || fail "show --json is not valid JSON"
	expect_eq deps "$(jq -r .experiment show.json)" "experiment"
	expect_eq 'Test "CPU", 2 GHz' "$(jq -r .environment.cpu_model show.json)" "escaped string"
	expect_eq "4 1" "$(jq -r '"\(.counts.done) \(.counts.crashed)"' show.json)" "counts"
	# Ranked best first, then the rest by id.
	expect_eq "4:1 2:2 1:3 3:4 5:null" "$(jq -r '[.variants[] | "\(.id):\(.rank)"] | join(" ")' show.json)" "ranking"
	expect_eq "$(sqlite3 synth.db "SELECT count(*) FROM variants")" "$(jq '.variants | length' show.json)" "variants"
	mean=$(sqlite3 synth.db "SELECT avg(value) FROM runs WHERE variant_id = 3 AND metric = 'boot_cycles'")
	expect_eq true "$(jq --argjson m "$mean" '.variants[] | select(.id == 3) | .metrics.boot_cycles.mean == $m' show.json)" "v3 mean is $mean"
	expect_eq 2 "$(jq '.variants[] | select(.id == 3) | .metrics.boot_cycles.n' show.json)" "v3 repetitions"
	expect_eq null "$(jq '.variants[] | select(.id == 1) | .options.CONFIG_UKALLOC_TLSF_SL_LOG2.resolved' show.json)" "dropped option"
	expect_eq '"64" "128"' "$(jq -r '.variants[] | select(.id == 2) | .options.CONFIG_UKBOOT_STACK_KB | "\"\(.requested)\" \"\(.resolved)\""' show.json)" "changed option"
	expect_eq 'panic: "page fault", at 0x10' "$(jq -r '.variants[] | select(.id == 5) | .reason' show.json)" "failure reason"
	expect_eq '{}' "$(jq -c '.variants[] | select(.id == 5) | .metrics' show.json)" "no metrics for a crash"
	"$UNITUNE" show --db synth.db --json >list.json
	expect_eq "deps done 4 1 0" "$(jq -r '.experiments[] | "\(.name) \(.status) \(.done) \(.failed) \(.pending)"' list.json)" "list"
}

test_best_json_matches_the_database() {
	synth_experiment
	"$UNITUNE" best --db synth.db --json --export b.config deps >best.json
	jq -e . best.json >/dev/null || fail "best --json is not valid JSON"
	expect_eq "$(sqlite3 synth.db "SELECT v.id FROM variants v JOIN runs r ON r.variant_id = v.id WHERE r.metric = 'boot_cycles' AND v.status = 'done' GROUP BY v.id ORDER BY avg(r.value) LIMIT 1")" \
		"$(jq .best.id best.json)" "best variant"
	expect_eq h4 "$(jq -r .best.config_hash best.json)" "hash"
	expect_eq 4 "$(jq .ranked best.json)" "ranked"
	expect_eq 6500 "$(jq .best.metrics.image_size.mean best.json)" "image_size"
	expect_eq b.config "$(jq -r .export best.json)" "export"
	# The fragment in the JSON is the exported file after its three
	# comment lines.
	jq -j .fragment best.json >frag
	tail -n +4 b.config >file_lines
	cmp frag file_lines || fail "the fragment differs from the exported file"
	expect_no_grep '^wrote' best.json
}

test_export_csv_is_one_record_per_run() {
	synth_experiment
	# A unit that needs quoting (comma and double quote).
	sqlite3 synth.db "INSERT INTO runs (variant_id, metric, value, unit, repetition, kind, accelerator) VALUES (4, 'alloc.ns', 7.25, 'ns, \"avg\"', 0, 'wall', 'kvm')"
	"$UNITUNE" export --db synth.db deps --csv -o runs.csv
	# RFC 4180: CRLF after every record.
	expect_eq "$(wc -l <runs.csv)" "$(grep -c $'\r$' runs.csv)" "CRLF records"
	sqlite3 synth.db ".import --csv runs.csv exported"
	expect_eq "$(sqlite3 synth.db "SELECT count(*) FROM runs")" \
		"$(sqlite3 synth.db "SELECT count(*) FROM exported WHERE metric <> ''")" "one record per run"
	expect_eq "deps,v5,crashed" "$(sqlite3 synth.db "SELECT experiment || ',' || variant || ',' || status FROM exported WHERE metric = ''")" "the failure without runs"
	# Every run comes back with its variant, hash, value, unit and kind.
	expect_eq "" "$(sqlite3 synth.db "SELECT r.id FROM runs r JOIN variants v ON v.id = r.variant_id LEFT JOIN exported e ON e.variant = 'v' || v.id AND e.config_hash = v.config_hash AND e.status = v.status AND e.metric = r.metric AND e.repetition = CAST(r.repetition AS TEXT) AND CAST(e.value AS REAL) = r.value AND e.unit = r.unit AND e.kind = r.kind AND e.accelerator = r.accelerator WHERE e.variant IS NULL")" "runs missing from the export"
	expect_eq 'ns, "avg"' "$(sqlite3 synth.db "SELECT unit FROM exported WHERE metric = 'alloc.ns'")" "quoted field"
	# Options as resolved: dropped is empty, the clamp shows its result.
	expect_eq "UKALLOC_REGION||128" "$(sqlite3 synth.db "SELECT DISTINCT CONFIG_UKALLOC_BACKEND || '|' || CONFIG_UKALLOC_TLSF_SL_LOG2 || '|' || CONFIG_UKBOOT_STACK_KB FROM exported WHERE variant = 'v2'")" "v2 options"
	# Without --csv: a usage error, and no output.
	expect_eq 2 "$(run_status "$UNITUNE" export --db synth.db deps)" "no format"
	expect_grep 'say which format: --csv' err
	expect_eq 2 "$(run_status "$UNITUNE" export --db synth.db nope --csv)" "unknown experiment"
	expect_grep "no experiment 'nope'" err
}

test_show_sorts_kconfig_changes() {
	synth_experiment
	"$UNITUNE" show --db synth.db deps >out
	expect_grep '^  v2     CONFIG_UKBOOT_STACK_KB: 64 -> 128$' out
	expect_grep '^  CONFIG_UKALLOC_TLSF_SL_LOG2: not applicable in 2 variants because CONFIG_UKALLOC_TLSF=n$' out
	expect_no_grep 'CONFIG_UKALLOC_TLSF_SL_LOG2: 2 -> ' out
	# Only a surprise flags a variant's row.
	expect_grep '^2 +v2 .* done \(changed by kconfig\)$' out
	expect_grep '^3 +v1 .* done$' out
}

-- SPDX-License-Identifier: BSD-3-Clause
--
-- Schema of the results store (results/unitune.db), as versioned
-- migrations. Each migration starts with a line "-- migration: N" (N = 1,
-- 2, ... in order) and runs up to the next such line. tuner/store.c,
-- which embeds this file at build time, applies every migration newer
-- than the database's PRAGMA user_version in one transaction and then
-- sets user_version to the last one; a database newer than the code is
-- refused. Never edit a released migration: append a new one.
--
-- Traceability: a run row leads to its variant (resolved config hash),
-- the variant to its experiment, the experiment to its environment (git
-- commit, host, QEMU version, CPU); the run itself holds the accelerator
-- and whether the number is deterministic (-icount) or wall-clock.

-- migration: 1
CREATE TABLE experiments (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE CHECK (name <> ''),
	space_path TEXT NOT NULL,
	space_text TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	status TEXT NOT NULL DEFAULT 'running'
		CHECK (status IN ('running', 'done', 'stopped'))
);

-- One row per distinct resolved configuration of an experiment: identical
-- resolved configs (same hash) are built and measured once.
CREATE TABLE variants (
	id INTEGER PRIMARY KEY,
	experiment_id INTEGER NOT NULL
		REFERENCES experiments(id) ON DELETE CASCADE,
	config_hash TEXT NOT NULL CHECK (config_hash <> ''),
	requested TEXT NOT NULL,
	resolved TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'built', 'done', 'build_failed',
				  'boot_failed', 'crashed', 'timeout',
				  'bench_failed')),
	log_tail TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	UNIQUE (experiment_id, config_hash)
);
CREATE INDEX variants_by_status ON variants(experiment_id, status);

CREATE TABLE builds (
	id INTEGER PRIMARY KEY,
	variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
	image_path TEXT NOT NULL,
	image_size INTEGER NOT NULL CHECK (image_size >= 0),
	build_seconds REAL NOT NULL CHECK (build_seconds >= 0),
	log_tail TEXT,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX builds_by_variant ON builds(variant_id);

-- A repetition of a metric is measured once: a resumed sweep that re-runs
-- a variant cannot silently double its samples.
CREATE TABLE runs (
	id INTEGER PRIMARY KEY,
	variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
	metric TEXT NOT NULL CHECK (metric <> ''),
	value REAL NOT NULL,
	unit TEXT NOT NULL,
	repetition INTEGER NOT NULL CHECK (repetition >= 0),
	kind TEXT NOT NULL CHECK (kind IN ('deterministic', 'wall')),
	accelerator TEXT NOT NULL CHECK (accelerator <> ''),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	UNIQUE (variant_id, metric, repetition)
);

CREATE TABLE environment (
	experiment_id INTEGER PRIMARY KEY
		REFERENCES experiments(id) ON DELETE CASCADE,
	git_commit TEXT NOT NULL,
	host TEXT NOT NULL,
	qemu_version TEXT NOT NULL,
	cpu_model TEXT NOT NULL,
	updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- migration: 2
-- Every point a strategy proposed (its requested options, as .config
-- lines) and the variant it resolved to. kconfig folds points whose
-- options have unmet dependencies into one variant, so several points can
-- share a variant; this is how a resumed sweep or a replay of the search
-- maps each point back without running olddefconfig again.
CREATE TABLE points (
	id INTEGER PRIMARY KEY,
	experiment_id INTEGER NOT NULL
		REFERENCES experiments(id) ON DELETE CASCADE,
	requested TEXT NOT NULL,
	variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
	UNIQUE (experiment_id, requested)
);
INSERT INTO points (experiment_id, requested, variant_id)
	SELECT experiment_id, requested, id FROM variants;

-- migration: 3
-- What an experiment's points were resolved from besides its space text,
-- as SHA-256 hex digests: its base_config file ('' when it has none), the
-- app's defconfig, and every Kconfig file of the tree (paths and bytes).
-- A resumed sweep compares them with the tree's and refuses to mix
-- variants resolved from different inputs. Experiments begun before this
-- migration have no row until their next resume records one.
CREATE TABLE inputs (
	experiment_id INTEGER PRIMARY KEY
		REFERENCES experiments(id) ON DELETE CASCADE,
	base_config TEXT NOT NULL,
	defconfig TEXT NOT NULL CHECK (defconfig <> ''),
	kconfig TEXT NOT NULL CHECK (kconfig <> '')
);

-- migration: 4
-- A build row's image file size was named image_size, like the metric
-- image_size (bytes QEMU loads, tuner/host_metrics.c), which is another
-- figure: the column says what it holds.
ALTER TABLE builds RENAME COLUMN image_size TO file_bytes;

-- migration: 5
-- `unitune bench`: one row per bench run (its image, the resolved
-- configuration's hash, the parameters, the environment it ran in and
-- whether requests/s was unstable), every figure of every repetition,
-- and each figure's summary as printed (median, range, the bootstrap
-- 95% interval of the median, spread; host/stats.c recomputes it from
-- the samples exactly: the bootstrap's seed is fixed).
CREATE TABLE benches (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('http')),
	image_path TEXT NOT NULL CHECK (image_path <> ''),
	config_hash TEXT NOT NULL CHECK (config_hash <> ''),
	url_path TEXT NOT NULL,
	threads INTEGER NOT NULL CHECK (threads > 0),
	connections INTEGER NOT NULL CHECK (connections > 0),
	duration_s REAL NOT NULL CHECK (duration_s > 0),
	warmup_s REAL NOT NULL CHECK (warmup_s >= 0),
	repetitions INTEGER NOT NULL CHECK (repetitions > 0),
	first_200_ms REAL NOT NULL,
	unstable INTEGER NOT NULL CHECK (unstable IN (0, 1)),
	git_commit TEXT NOT NULL,
	host TEXT NOT NULL,
	cpu_model TEXT NOT NULL,
	qemu_version TEXT NOT NULL,
	accelerator TEXT NOT NULL CHECK (accelerator <> ''),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE bench_samples (
	id INTEGER PRIMARY KEY,
	bench_id INTEGER NOT NULL REFERENCES benches(id) ON DELETE CASCADE,
	metric TEXT NOT NULL CHECK (metric <> ''),
	unit TEXT NOT NULL,
	repetition INTEGER NOT NULL CHECK (repetition >= 0),
	value REAL NOT NULL,
	UNIQUE (bench_id, metric, repetition)
);

CREATE TABLE bench_stats (
	bench_id INTEGER NOT NULL REFERENCES benches(id) ON DELETE CASCADE,
	metric TEXT NOT NULL CHECK (metric <> ''),
	unit TEXT NOT NULL,
	n INTEGER NOT NULL CHECK (n > 0),
	median REAL NOT NULL,
	min REAL NOT NULL,
	max REAL NOT NULL,
	ci_low REAL NOT NULL,
	ci_high REAL NOT NULL,
	spread REAL,		-- NULL: median 0 and samples that differ
	unstable INTEGER NOT NULL CHECK (unstable IN (0, 1)),
	PRIMARY KEY (bench_id, metric)
);

-- migration: 6
-- `unitune bench http --baseline linux`: each side is a bench row. The
-- Linux VM's row says so (side) and names the unikernel row it was
-- measured against, round by round (baseline_of); the ratio column
-- (unikernel / Linux, the ratio of the medians and its bootstrap 95%
-- interval over whole rounds, host/stats.c) is kept against both rows.
ALTER TABLE benches ADD COLUMN side TEXT NOT NULL DEFAULT 'unikernel'
	CHECK (side IN ('unikernel', 'linux'));
ALTER TABLE benches ADD COLUMN baseline_of INTEGER
	REFERENCES benches(id) ON DELETE CASCADE;

CREATE TABLE bench_ratios (
	bench_id INTEGER NOT NULL REFERENCES benches(id) ON DELETE CASCADE,
	baseline_id INTEGER NOT NULL REFERENCES benches(id) ON DELETE CASCADE,
	metric TEXT NOT NULL CHECK (metric <> ''),
	n INTEGER NOT NULL CHECK (n > 0),
	ratio REAL NOT NULL,
	ci_low REAL NOT NULL,
	ci_high REAL NOT NULL,
	PRIMARY KEY (bench_id, metric)
);

-- migration: 7
-- `unitune nightly` (tuner/store_history.h): a suite's history, commit
-- by commit. Results are compared only within one environment, named by
-- its fingerprint (the SHA-256 of host, CPU model, QEMU version and
-- accelerator), which is part of every key. history_commits holds each
-- commit's outcome per (fingerprint, suite, benchmark): a commit that did
-- not build or run has its row and no samples. Its id is the order the
-- commits were first stored, which orders commits made in the same
-- second. A sample is one repetition of one metric of a commit row
-- (the row's key repeated, so a sample reads alone); measuring a commit
-- again adds repetitions (numbered on), and the unique key keeps a
-- repetition from being stored twice. phase says why it was measured:
-- the night itself, a confirmation's re-measurement, a bisection step.
CREATE TABLE history_envs (
	fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) = 64),
	host TEXT NOT NULL,
	cpu_model TEXT NOT NULL,
	qemu_version TEXT NOT NULL,
	accelerator TEXT NOT NULL CHECK (accelerator <> ''),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE history_commits (
	id INTEGER PRIMARY KEY,
	fingerprint TEXT NOT NULL
		REFERENCES history_envs(fingerprint) ON DELETE CASCADE,
	suite TEXT NOT NULL CHECK (suite <> ''),
	benchmark TEXT NOT NULL CHECK (benchmark <> ''),
	git_commit TEXT NOT NULL CHECK (length(git_commit) = 40),
	commit_time INTEGER NOT NULL,
	subject TEXT NOT NULL,
	status TEXT NOT NULL
		CHECK (status IN ('pending', 'built', 'done', 'build_failed',
				  'boot_failed', 'crashed', 'timeout',
				  'bench_failed')),
	reason TEXT NOT NULL DEFAULT '',
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	UNIQUE (fingerprint, suite, benchmark, git_commit)
);
-- A series in history order.
CREATE INDEX history_commits_by_time
	ON history_commits(fingerprint, suite, benchmark, commit_time, id);

CREATE TABLE history_samples (
	id INTEGER PRIMARY KEY,
	fingerprint TEXT NOT NULL,
	suite TEXT NOT NULL,
	benchmark TEXT NOT NULL,
	git_commit TEXT NOT NULL,
	metric TEXT NOT NULL CHECK (metric <> ''),
	repetition INTEGER NOT NULL CHECK (repetition >= 0),
	value REAL NOT NULL,
	unit TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('deterministic', 'wall')),
	phase TEXT NOT NULL CHECK (phase IN ('nightly', 'confirm', 'bisect')),
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	-- Also the index of a series and of a suite's metrics.
	UNIQUE (fingerprint, suite, benchmark, metric, git_commit, repetition),
	FOREIGN KEY (fingerprint, suite, benchmark, git_commit)
		REFERENCES history_commits(fingerprint, suite, benchmark,
					   git_commit) ON DELETE CASCADE
);

-- The text of each version of a suite file a night ran (its SHA-256
-- hex), so a history can be read against the settings that made it.
CREATE TABLE history_suites (
	suite TEXT NOT NULL CHECK (suite <> ''),
	text_sha256 TEXT NOT NULL CHECK (length(text_sha256) = 64),
	text TEXT NOT NULL,
	created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
	PRIMARY KEY (suite, text_sha256)
);

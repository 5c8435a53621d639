/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The work on one variant, done in a child process so several variants
 * proceed in parallel and a wedged build or guest cannot take the sweep
 * with it. The child writes what it found to DIR/result (atomically,
 * through a rename) and exits; the sweep reads it back with
 * worker_result_read() and stores it. Only the sweep writes the database.
 *
 * Phases: BUILD copies the resolved .config into a build slot (a
 * directory shared by successive variants, so ccache sees identical
 * command lines and reuses every object whose preprocessed source did not
 * change), makes the image and copies it into DIR; MEASURE runs it
 * (measure.h). Deterministic sweeps do both in one child; wall-clock
 * sweeps build in parallel and measure one variant at a time.
 *
 * A slot is held with flock() on SLOT/.lock through a descriptor make and
 * the compiler inherit, so a slot whose build outlived a killed sweep is
 * not reused until that build is gone.
 */
#ifndef UNITUNE_WORKER_H
#define UNITUNE_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "measure.h"
#include "store.h"

#define WORKER_RESULT "result"
#define WORKER_BUILD_LOG "build.log"
#define WORKER_MEASURE_LOG "measure.log"
/* Bytes of a log kept with a failed variant or a build. */
#define WORKER_LOG_TAIL 4000

enum worker_phase {
	WORKER_BUILD = 1,
	WORKER_MEASURE = 2,
};

struct worker_task {
	unsigned phases;		/* WORKER_BUILD | WORKER_MEASURE */
	const char *unikernel;		/* the unikernel source tree */
	const char *dir;		/* the variant's directory */
	const char *resolved;		/* the resolved .config text */
	const char *slot_root;		/* slots are SLOT_ROOT/slot-N */
	long make_jobs;
	bool ccache;			/* build with CC="ccache gcc" */
	int64_t build_timeout_ns;
	const char *image;		/* MEASURE without BUILD: DIR/app.elf */
	struct measure_opts measure;	/* image filled in by the worker */
	/* The sweep's lock descriptors, which the forked worker inherits:
	 * it closes them first, so a sweep killed with -9 releases its
	 * locks when it dies, not when its last worker does. */
	const int *sweep_locks;
	size_t n_sweep_locks;
};

/* Run task in this (child) process, in a process group of its own;
 * returns the exit status. Failures of the host (QEMU missing) end it
 * without a result. */
int worker_main(void *task);

struct worker_result {
	enum store_status status;	/* DONE, BUILT or a failure class */
	char reason[256];
	char image[4096];		/* set once built */
	int64_t file_bytes;		/* bytes of the ELF file */
	double build_seconds;		/* -1 when this task built nothing */
	struct measure_result m;
};

/*
 * Read DIR/result. -ENOENT when there is none (the child died before
 * writing it), -EINVAL when it is malformed, -ENOMEM. Free with
 * worker_result_free.
 */
int worker_result_read(const char *dir, struct worker_result *r);
void worker_result_free(struct worker_result *r);

/* The last WORKER_LOG_TAIL bytes of DIR/name, from a line start; "" if
 * there is no such file. The caller frees. NULL on -ENOMEM. */
char *worker_log_tail(const char *dir, const char *name);

#endif

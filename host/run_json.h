/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One boot of an image as a JSON document (`unitune run --json`): how it
 * ended, the exit status, the boot line's figures and every result line
 * of the console (docs/result-lines.md) as metrics with units. The
 * schema is in docs/json-output.md; keys are only ever added.
 */
#ifndef UNITUNE_RUN_JSON_H
#define UNITUNE_RUN_JSON_H

#include "json.h"
#include "runner.h"

/*
 * Write the document for a run of o that gave r (runner_run() returned
 * 0), and exit_status, the status `unitune run` exits with, to w as one
 * top-level object.
 */
void run_json_write(struct json *w, const struct runner_opts *o,
		    const struct runner_result *r, int exit_status);

#endif

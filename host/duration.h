/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Durations as users type them: decimal seconds with an optional
 * fraction ("30", "1.5", "0.25", ".5" is rejected). No sign, exponent,
 * spaces or unit suffix. Digits past nanosecond precision are accepted
 * and truncated.
 */
#ifndef UNITUNE_DURATION_H
#define UNITUNE_DURATION_H

#include <stdint.h>

/* 0, -EINVAL (malformed) or -ERANGE (above INT64_MAX ns, ~292 years). */
int duration_parse_ns(const char *s, int64_t *ns);

/*
 * A duration as wrk writes one: the number above with an optional unit,
 * "ms", "s", "m" or "h" ("10s", "500ms", "1.5m"); no unit is seconds.
 * 0, -EINVAL or -ERANGE.
 */
int duration_parse_units_ns(const char *s, int64_t *ns);

#endif

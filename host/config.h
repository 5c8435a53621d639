/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kconfig assignments as users write them, in .config files and on the
 * command line, and their validation against a symbol table.
 *
 * Accepted lines:
 *   CONFIG_NAME=VALUE          NAME is [A-Za-z0-9_]+
 *   # CONFIG_NAME is not set   same as CONFIG_NAME=n (bool/tristate only)
 *   blank lines and other '#' comments (ignored in files)
 * Values, by the symbol's type:
 *   bool y or n; tristate y, m or n; int decimal with optional '-', no
 *   leading zeros; hex 0x followed by hex digits; string "..." with '"'
 *   and '\' escaped by '\'.
 */
#ifndef UNITUNE_CONFIG_H
#define UNITUNE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kconfig.h"
#include "strbuf.h"

#define CONFIG_PREFIX "CONFIG_"

struct config_assign {
	char *name;		/* without CONFIG_ */
	char *value;		/* as written; "n" for "is not set" */
	const char *source;	/* "--set" or a file name; not owned */
	unsigned line;		/* 1-based line in source, 0 for --set */
};

/*
 * Parse one line (len bytes, no newline needed; a trailing '\r' is
 * dropped). Returns 1 and fills *a (caller frees with
 * config_assign_release) for an assignment, 0 for a line to ignore, or
 * -EINVAL with a message in why for a malformed line. -ENOMEM.
 */
int config_parse_line(const char *line, size_t len, struct config_assign *a,
		      char *why, size_t why_len);

void config_assign_release(struct config_assign *a);

/*
 * Is value acceptable for sym: right syntax for its type and inside its
 * active range? 0, or -EINVAL with the reason in why ("expected y or n",
 * "outside the range 1..64", ...).
 */
int config_check_value(const struct kconfig_sym *sym, const char *value,
		       char *why, size_t why_len);

/*
 * Check one assignment against the tree: a known symbol, and a value
 * config_check_value() accepts. 0, or -EINVAL with why holding
 * "SOURCE:LINE: CONFIG_X: unknown symbol (not in the Kconfig tree)" or
 * "SOURCE:LINE: CONFIG_X (int): 99 is outside the range 1..64" ("--set"
 * in place of SOURCE:LINE for an assignment from the command line). One
 * validator for `unitune build --config`/`--set` and the tuner's
 * base_config.
 */
int config_check_assign(const struct kconfig *kc, const struct config_assign *a,
			char *why, size_t why_len);

/*
 * Do two values of a symbol of type t mean the same thing? NULL stands
 * for "not in the .config" (dependencies unmet), which equals "n" for
 * bool and tristate. Numbers compare by value ("0x0A" == "0xa").
 */
bool config_values_equal(enum kconfig_type t, const char *a, const char *b);

/*
 * A strict decimal integer, as an int symbol's value is written: optional
 * '-', no '+', no leading zeros. 0, -EINVAL, or -ERANGE beyond 64 bits.
 */
int config_parse_int(const char *s, int64_t *out);

/*
 * An ordered set of assignments where a later one for the same symbol
 * replaces the earlier value (keeping the earlier position).
 */
struct config_set {
	struct config_assign *v;
	size_t n, cap;
};

/* Takes ownership of a's strings (a is cleared). 0 or -ENOMEM. */
int config_set_put(struct config_set *s, struct config_assign *a);
/* Like config_set_put but always appends, keeping duplicates (a plain
 * list, for validating every line). */
int config_set_push(struct config_set *s, struct config_assign *a);
/* Copy a (strings duplicated) into s with config_set_put semantics. */
int config_set_put_copy(struct config_set *s, const struct config_assign *a);
const struct config_assign *config_set_get(const struct config_set *s,
					   const char *name);
void config_set_release(struct config_set *s);

/*
 * Parse a whole .config text into s (later wins). Malformed lines are
 * reported through errs (one "SOURCE:LINE: message" line each) when errs
 * is not NULL and then skipped. Returns the number of malformed lines, or
 * -ENOMEM.
 */
int config_parse_text(const char *text, size_t len, const char *source,
		      struct config_set *s, struct strbuf *errs);

/* Like config_parse_text, but every assignment is kept in file order,
 * duplicates too (config_set_push): for validating every line. */
int config_parse_text_all(const char *text, size_t len, const char *source,
			  struct config_set *s, struct strbuf *errs);

/* Append "CONFIG_X=V\n" or "# CONFIG_X is not set\n" for each entry. */
int config_set_write(const struct config_set *s, struct strbuf *out);

/*
 * The SHA-256 (64 hex digits) of config_set_write()'s text of s: the
 * config hash that names a resolved configuration, a tuner variant's and
 * an image's alike. 0 or -ENOMEM.
 */
int config_set_hash(const struct config_set *s, char out[65]);

/*
 * config_set_hash() of the .config file at path (a build directory's
 * resolved configuration, as `unitune build -o DIR` leaves it beside the
 * image). 0, or -errno with why ("PATH: ...") when the file cannot be
 * read or holds a malformed line.
 */
int config_file_hash(const char *path, char out[65], char *why,
		     size_t why_len);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Limits of a space file that protect the tools rather than describe the
 * space: how deep its YAML may nest and which experiment names are
 * usable as file names. See space.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "space.h"

bool space_name_valid(const char *name)
{
	static const char *const reserved[] = { "slots" };
	const char *p;
	size_t i;

	if (!name || !*name || *name == '.' || *name == '-' ||
	    strlen(name) > SPACE_NAME_MAX)
		return false;
	for (p = name; *p; p++)
		if (!(*p == '.' || *p == '_' || *p == '-' ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return false;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(name, reserved[i]))
			return false;
	return true;
}

/* Lists and mappings open at ev: +1, -1 or 0. */
static int depth_step(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return 1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return -1;
	default:
		return 0;
	}
}

int space_check_nesting(const char *text, size_t len, const char *path,
			char *why, size_t why_len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0;
	bool end = false;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!r && !end) {
		/* A syntax error is the document loader's to report. */
		if (!yaml_parser_parse(&parser, &ev)) {
			if (parser.error == YAML_MEMORY_ERROR)
				r = -ENOMEM;
			break;
		}
		end = ev.type == YAML_STREAM_END_EVENT;
		depth += depth_step(&ev);
		if (depth > SPACE_MAX_DEPTH) {
			snprintf(why, why_len, "%s:%zu: lists and mappings "
				 "nest deeper than %d levels", path,
				 ev.start_mark.line + 1, SPACE_MAX_DEPTH);
			r = -EINVAL;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	if (r == -ENOMEM)
		snprintf(why, why_len, "%s", strerror(ENOMEM));
	return r;
}

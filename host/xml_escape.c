/* SPDX-License-Identifier: BSD-3-Clause */
/* Escaping text for XML and HTML (xml_escape.h). */
#include "xml_escape.h"

#include <string.h>

#include "json.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

/* The code point of the valid UTF-8 sequence s[0..len-1] (len 2 to 4). */
static unsigned long utf8_decode(const unsigned char *s, size_t len)
{
	static const unsigned char lead_mask[5] = { 0, 0, 0x1f, 0x0f, 0x07 };
	unsigned long cp = s[0] & lead_mask[len];
	size_t i;

	for (i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/* An ASCII byte: its entity, its character reference or itself. */
static void escape_ascii(FILE *f, unsigned char c)
{
	switch (c) {
	case '<':
		fputs("&lt;", f);
		break;
	case '>':
		fputs("&gt;", f);
		break;
	case '&':
		fputs("&amp;", f);
		break;
	case '"':
		fputs("&quot;", f);
		break;
	case '\'':
		fputs("&#39;", f);
		break;
	case '\t':
	case '\n':
	case '\r':
		fprintf(f, "&#%d;", c);
		break;
	default:
		if (c < 0x20 || c == 0x7f)
			fputs(REPLACEMENT, f);
		else
			fputc(c, f);
	}
}

void xml_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = s ? strlen(s) : 0, len;
	unsigned long cp;

	while (left) {
		if (*p < 0x80) {
			escape_ascii(f, *p);
			p++;
			left--;
			continue;
		}
		len = json_utf8_len(p, left);
		if (!len) {
			fputs(REPLACEMENT, f);
			p++;
			left--;
			continue;
		}
		cp = utf8_decode(p, len);
		if ((cp >= 0x80 && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff)
			fputs(REPLACEMENT, f);
		else
			fwrite(p, 1, len, f);
		p += len;
		left -= len;
	}
}

/*
 * The one sanitiser for text that comes from other processes. Everything
 * that could steer a terminal (ESC, CSI, OSC, BEL, C1 controls such as 0x9b)
 * or mislead a reader (U+202E and the other bidi controls) is replaced by a
 * visible, ASCII escape; valid UTF-8 otherwise passes unchanged.
 */
#include "config.h"

#include "sanitize.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* True for code points that must not reach a terminal as they are. */
static int
is_dangerous(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||	/* C1 controls */
	    (cp >= 0x200e && cp <= 0x200f) ||	/* LRM, RLM */
	    (cp >= 0x202a && cp <= 0x202e) ||	/* bidi embeddings, overrides */
	    (cp >= 0x2066 && cp <= 0x2069) ||	/* bidi isolates */
	    cp == 0x061c || cp == 0xfeff ||	/* ALM, BOM */
	    (cp >= 0x200b && cp <= 0x200d) ||	/* zero-width space, joiners */
	    (cp >= 0x2060 && cp <= 0x2064) ||	/* word joiner, invisibles */
	    cp == 0x2028 || cp == 0x2029 ||	/* line, paragraph separators */
	    (cp >= 0xe0000 && cp <= 0xe007f);	/* tag characters */
}

size_t
sanitize_text(const char *in, size_t inlen, char *out, size_t outlen,
    int keep_tabs)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0;

	if (outlen == 0)
		return 0;
	while (i < inlen) {
		char esc[16];
		const char *piece;
		size_t plen, n;
		uint32_t cp = 0;

		n = utf8_decode(s + i, inlen - i, &cp);
		if (n == 0) {
			snprintf(esc, sizeof esc, "\\x%02x", s[i]);
			piece = esc;
			plen = strlen(esc);
			n = 1;
		} else if (cp == 0x1b) {
			piece = "\\e";
			plen = 2;
		} else if (cp == '\t' && keep_tabs) {
			piece = "\t";
			plen = 1;
		} else if (cp < 0x20 || cp == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
			piece = esc;
			plen = strlen(esc);
		} else if (is_dangerous(cp)) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			piece = esc;
			plen = strlen(esc);
		} else {
			piece = (const char *)s + i;
			plen = n;
		}
		if (o + plen >= outlen)
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		i += n;
	}
	out[o] = '\0';
	return o;
}

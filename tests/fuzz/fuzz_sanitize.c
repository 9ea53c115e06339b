/*
 * libFuzzer target for the sanitiser (sanitize_text): whatever the input,
 * the output is NUL-terminated within the buffer, as long as returned, valid
 * UTF-8 with no C0 control (but a tab when keep_tabs), no DEL, no C1 control
 * and no bidirectional control, no longer than four bytes per input byte
 * and a cut at a small buffer is a prefix of the whole result.
 *
 * Input: one byte of options (bit 0: keep_tabs; the rest picks the output
 * size), then the text.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

#define FUZZ_BIG	(64 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	whole[FUZZ_BIG * 6 + 1];

/* Length of the valid UTF-8 character at s, its code point in *cp; 0 if bad. */
static size_t
fuzz_utf8(const unsigned char *s, uint32_t *cp)
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
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* the NUL stops here too */
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* Aborts unless out[0..len) is inert text ending in a NUL at out[len]. */
static void
fuzz_check_inert(const char *out, size_t len, int keep_tabs)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i = 0, n;
	uint32_t cp;

	if (out[len] != '\0' || strlen(out) != len)
		abort();
	while (i < len) {
		n = fuzz_utf8(s + i, &cp);
		if (n == 0)				/* invalid UTF-8 */
			abort();
		if (cp < 0x20 && !(cp == '\t' && keep_tabs))
			abort();
		if (cp >= 0x7f && cp <= 0x9f)		/* DEL, C1 */
			abort();
		if ((cp >= 0x200e && cp <= 0x200f) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) ||
		    cp == 0x061c || cp == 0xfeff)	/* bidi controls */
			abort();
		i += n;
	}
}

/* One input: sanitised whole and into a small buffer. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text;
	size_t textlen, len, cut, outlen;
	int keep_tabs;
	char *small;

	if (size < 1 || size > FUZZ_BIG)
		return 0;
	keep_tabs = data[0] & 1;
	outlen = (size_t)(data[0] >> 1) + 1;	/* 1..128 */
	text = (const char *)data + 1;
	textlen = size - 1;

	len = sanitize_text(text, textlen, whole, sizeof whole, keep_tabs);
	if (len >= sizeof whole || len > 4 * textlen)
		abort();
	/* Every byte shows, a NUL too. */
	if (textlen > 0 && len == 0)
		abort();
	fuzz_check_inert(whole, len, keep_tabs);

	/* An exact-size buffer, so ASan sees any write past its end. */
	small = malloc(outlen);
	if (small == NULL)
		return 0;
	cut = sanitize_text(text, textlen, small, outlen, keep_tabs);
	if (cut >= outlen)
		abort();
	fuzz_check_inert(small, cut, keep_tabs);
	/* Cut at a whole character: a prefix of the whole result. */
	if (cut > len || memcmp(small, whole, cut) != 0)
		abort();
	free(small);
	return 0;
}

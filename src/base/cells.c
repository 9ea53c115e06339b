/*
 * Terminal cells: how wide a string shows, counted with wcwidth in the
 * current locale, and cutting or wrapping it at a width without splitting
 * a character. In a non-UTF-8 locale bytes above 0x7f come out as '?', so
 * columns stay aligned whatever a name or a translation holds. The one
 * rule for every pane and the lab's tables.
 */
#include "config.h"

#include "cells.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Decodes one character of s; sets *width to its columns, returns bytes. */
static size_t
next_char(const char *s, mbstate_t *st, int *width, bool *bad)
{
	wchar_t wc;
	size_t n;
	int w;

	/*
	 * Printable ASCII is one column in every locale ptmon runs in
	 * (UTF-8 and C): most of a frame's text, without mbrtowc and
	 * wcwidth for each byte.
	 */
	if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f) {
		*width = 1;
		*bad = false;
		return 1;
	}
	n = mbrtowc(&wc, s, MB_CUR_MAX, st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof *st);
		*width = 1;
		*bad = true;
		return 1;
	}
	w = wcwidth(wc);
	*bad = w < 0;
	*width = w < 0 ? 1 : w;
	return n;
}

int
cells_fit(char *dst, size_t len, const char *src, int width, bool pad)
{
	mbstate_t st;
	size_t out = 0;
	int used = 0;

	if (len == 0)
		return 0;
	memset(&st, 0, sizeof st);
	while (*src != '\0') {
		int w;
		bool bad;
		size_t n = next_char(src, &st, &w, &bad);

		if (used + w > width)
			break;
		if (bad) {
			if (out + 1 >= len)
				break;
			dst[out++] = '?';
		} else {
			if (out + n >= len)
				break;
			memcpy(dst + out, src, n);
			out += n;
		}
		used += w;
		src += n;
	}
	while (pad && used < width && out + 1 < len) {
		dst[out++] = ' ';
		used++;
	}
	dst[out] = '\0';
	return used;
}

size_t
cells_wrap(const char *src, int width)
{
	mbstate_t st;
	size_t at = 0, brk = 0;
	int used = 0;

	memset(&st, 0, sizeof st);
	while (src[at] != '\0') {
		int w;
		bool bad;
		size_t n = next_char(src + at, &st, &w, &bad);

		if (used + w > width && at > 0)
			return brk > 0 ? brk : at;
		used += w;
		at += n;
		if (src[at - 1] == ' ')
			brk = at;
	}
	return at;
}

int
cells_width(const char *s)
{
	mbstate_t st;
	int total = 0;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		int w;
		bool bad;

		s += next_char(s, &st, &w, &bad);
		total += w;
	}
	return total;
}

void
cells_append(char *buf, size_t len, size_t *out, const char *src, int width,
    enum cells_align align)
{
	int gap;

	if (*out >= len || width <= 0)
		return;
	gap = align == CELLS_RIGHT ? width - cells_width(src) : 0;
	while (gap-- > 0 && *out + 1 < len)
		buf[(*out)++] = ' ';
	cells_fit(buf + *out, len - *out, src, width, align == CELLS_LEFT);
	*out += strlen(buf + *out);
}

/*
 * JSON output. Strings are escaped per RFC 8259: quote, backslash and every
 * control character; bytes that are not valid UTF-8 become U+FFFD, so the
 * output stays valid JSON whatever a process name holds.
 */
#include "config.h"

#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "xalloc.h"

static void
put(struct json *j, const char *s, size_t n)
{
	if (j->len + n + 1 > j->cap) {
		j->cap = (j->len + n + 1) * 2;
		j->buf = xrealloc(j->buf, j->cap);
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
puts_(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Writes the comma that separates this value from the previous one. */
static void
separate(struct json *j)
{
	if (j->need_comma)
		put(j, ",", 1);
	j->need_comma = true;
}

void
json_reset(struct json *j)
{
	j->len = 0;
	j->need_comma = false;
	if (j->buf != NULL)
		j->buf[0] = '\0';
}

void
json_free(struct json *j)
{
	free(j->buf);
	memset(j, 0, sizeof *j);
}

void
json_open(struct json *j, char brace)
{
	separate(j);
	put(j, &brace, 1);
	j->need_comma = false;
}

void
json_close(struct json *j, char brace)
{
	put(j, &brace, 1);
	j->need_comma = true;
}

void
json_key(struct json *j, const char *key)
{
	json_string(j, key);
	put(j, ":", 1);
	j->need_comma = false;
}

void
json_string(struct json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;
	uint32_t cp;

	separate(j);
	put(j, "\"", 1);
	while (i < n) {
		char esc[8];
		size_t len;

		if (s[i] == '"' || s[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)s[i];
			put(j, esc, 2);
			i++;
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", s[i]);
			puts_(j, esc);
			i++;
		} else if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			puts_(j, "\\ufffd");
			i++;
		} else {
			put(j, (const char *)s + i, len);
			i += len;
		}
	}
	put(j, "\"", 1);
}

void
json_int(struct json *j, long long v)
{
	char num[32];

	separate(j);
	snprintf(num, sizeof num, "%lld", v);
	puts_(j, num);
}

void
json_number(struct json *j, double v, int decimals)
{
	char num[64];

	separate(j);
	if (!isfinite(v))
		v = 0;
	snprintf(num, sizeof num, "%.*f", decimals, v);
	puts_(j, num);
}

void
json_bool(struct json *j, bool v)
{
	separate(j);
	puts_(j, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	separate(j);
	puts_(j, "null");
}

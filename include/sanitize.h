/*
 * Makes text from other processes (names, command lines, output) inert
 * before ptmon keeps it: control characters, escape sequences, C1 controls,
 * bidirectional overrides and invalid UTF-8 become visible escapes such as
 * \e, \x07 or \u202e. Pure and bounded: the input length is capped first.
 */
#ifndef PTMON_SANITIZE_H
#define PTMON_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes the inert form of in[0..inlen) into out (always NUL-terminated,
 * outlen >= 1), cutting at a whole character when out is full. A NUL byte
 * in the input is a character like any other control (\x00): nothing after
 * it is hidden. Tabs are kept when keep_tabs is nonzero. Returns the length
 * written.
 */
size_t		 sanitize_text(const char *in, size_t inlen, char *out,
		    size_t outlen, int keep_tabs);

/*
 * The length of the valid UTF-8 character at s (at most len bytes), its code
 * point in *cp; 0 for an invalid or cut sequence (overlong forms and
 * surrogates included).
 */
size_t		 utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

#endif

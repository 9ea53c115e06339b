/*
 * libFuzzer target for schedule files (schedule_parse): the input is the
 * file's text. Parsing returns -1 with one non-empty line of cause, or 0
 * with steps that are short task names of letters, digits, '-', '_' and
 * '.' on increasing line numbers; a parsed schedule written out with
 * schedule_write parses back to the same steps.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"

#define FUZZ_MAX	(64 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless every step of s is a valid name on a later line. */
static void
fuzz_check_steps(const struct schedule *s)
{
	size_t i, len;
	int last = 0;

	if (s->n > SCHEDULE_MAX_STEPS || s->n > s->cap)
		abort();
	for (i = 0; i < s->n; i++) {
		len = strnlen(s->names[i], SCHEDULE_NAME_LEN);
		if (len == 0 || len >= SCHEDULE_NAME_LEN)
			abort();
		if (strspn(s->names[i], "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != len)
			abort();
		if (s->lines[i] <= last)
			abort();
		last = s->lines[i];
	}
}

/* One input: parsed, checked, written and parsed again. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct schedule s = { 0 }, again = { 0 };
	char names[8][SCHEDULE_NAME_LEN];
	char cause[256], *text = NULL;
	size_t textlen = 0, i;
	FILE *f;
	int rc, n;

	if (size > FUZZ_MAX)
		return 0;
	memset(cause, 0x55, sizeof cause);
	rc = schedule_parse((const char *)data, size, &s, cause,
	    sizeof cause);
	if (rc != 0) {
		if (rc != -1 || memchr(cause, '\0', sizeof cause) == NULL ||
		    cause[0] == '\0' || strchr(cause, '\n') != NULL)
			abort();
		schedule_free(&s);
		return 0;
	}
	fuzz_check_steps(&s);
	n = schedule_names(&s, names, 8);
	if (n < 0 || n > 8 || (s.n > 0 && n == 0))
		abort();

	f = open_memstream(&text, &textlen);
	if (f == NULL)
		abort();
	if (schedule_write(f, &s, "fuzz") != 0)
		abort();
	fclose(f);
	if (schedule_parse(text, textlen, &again, cause, sizeof cause) != 0)
		abort();
	if (again.n != s.n)
		abort();
	for (i = 0; i < s.n; i++)
		if (strcmp(again.names[i], s.names[i]) != 0)
			abort();
	free(text);
	schedule_free(&again);
	schedule_free(&s);
	return 0;
}

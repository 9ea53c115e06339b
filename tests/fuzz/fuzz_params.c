/*
 * libFuzzer target for NAME=VALUE parameters (params_parse), against every
 * scenario's definitions: the input is split into words at NUL bytes and
 * newlines. Parsing returns -1 with one non-empty line of cause, or 0 with
 * every value within its definition's bounds.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "scenario.h"

#define FUZZ_ARGS	32
#define FUZZ_MAX	4096

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless every value of p is one its definition allows. */
static void
fuzz_check_params(const struct params *p)
{
	const struct param_value *v;
	const struct param_def *d;
	int i, k;

	if (p->n < 0 || p->n > PARAMS_MAX)
		abort();
	for (i = 0; i < p->n; i++) {
		v = &p->v[i];
		d = v->def;
		if (d == NULL || memchr(v->text, '\0', sizeof v->text) == NULL)
			abort();
		if (params_get(p, d->name) != v)
			abort();
		switch (d->kind) {
		case PARAM_INT:
			/* An optional INT left out (multicore's threads=). */
			if (!v->set && d->def[0] == '\0')
				break;
			if (!v->set || v->num < d->min || v->num > d->max)
				abort();
			break;
		case PARAM_NUMBER:
			if (!(v->real >= d->min && v->real <= d->max))
				abort();
			break;
		case PARAM_TEXT:
			if ((long)strlen(v->text) > d->max)
				abort();
			break;
		case PARAM_INT_LIST:
		case PARAM_WORD_LIST:
			if (v->nitems < d->min_items ||
			    v->nitems > d->max_items ||
			    v->nitems > PARAM_LIST_MAX)
				abort();
			for (k = 0; k < v->nitems; k++) {
				if (d->kind == PARAM_WORD_LIST &&
				    (v->words[k][0] == '\0' ||
				    memchr(v->words[k], '\0',
				    sizeof v->words[k]) == NULL))
					abort();
				if (d->kind == PARAM_INT_LIST &&
				    (v->ints[k] < d->min || v->ints[k] > d->max))
					abort();
			}
			break;
		}
	}
}

/* One input: split into words, parsed for each scenario. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_ARGS + 1];
	char cause[256];
	struct params params;
	char *copy, *p, *end;
	int argc = 0, i, rc;
	size_t len;

	if (size > FUZZ_MAX)
		return 0;
	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	end = copy + size;
	for (p = copy; p < end && argc < FUZZ_ARGS; p += len + 1) {
		len = strcspn(p, "\n");
		p[len] = '\0';
		argv[argc++] = p;
	}
	argv[argc] = NULL;

	for (i = 0; scenarios[i] != NULL; i++) {
		memset(cause, 0x55, sizeof cause);
		rc = params_parse(scenarios[i]->params, argc, argv, &params,
		    cause, sizeof cause);
		if (rc == 0)
			fuzz_check_params(&params);
		else if (rc != -1 ||
		    memchr(cause, '\0', sizeof cause) == NULL ||
		    cause[0] == '\0' || strchr(cause, '\n') != NULL)
			abort();
	}
	free(copy);
	return 0;
}

/*
 * Parsing of NAME=VALUE scenario parameters. Every value is checked against
 * its definition before a scenario runs, so a scenario never sees bad input.
 */
#include "config.h"

#include "params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "xalloc.h"

/* Parses a whole decimal integer; -1 if it is not one. */
static int
parse_long(const char *s, long *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

static int
parse_double(const char *s, double *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*out))
		return -1;
	return 0;
}

/* Checks and stores one value according to its definition. */
static int
set_value(struct param_value *v, const char *text, char *cause,
    size_t causelen)
{
	const struct param_def *d = v->def;
	char copy[PARAM_VALUE_LEN];
	char *item, *save;

	if (strlen(text) >= sizeof v->text)
		return failf(cause, causelen, _("%s: value too long"), d->name);
	strcpy(v->text, text);
	v->set = true;
	if (*text == '\0' && *d->def == '\0' && d->kind == PARAM_INT) {
		v->set = false;		/* optional, not given */
		return 0;
	}
	switch (d->kind) {
	case PARAM_INT:
		if (parse_long(text, &v->num) < 0)
			return failf(cause, causelen,
			    _("%s: '%s' is not a whole number"), d->name, text);
		if (v->num < d->min || v->num > d->max)
			return failf(cause, causelen,
			    _("%s: %ld is out of range (%ld to %ld)"), d->name,
			    v->num, d->min, d->max);
		break;
	case PARAM_NUMBER:
		if (parse_double(text, &v->real) < 0)
			return failf(cause, causelen,
			    _("%s: '%s' is not a number"), d->name, text);
		if (v->real < d->min || v->real > d->max)
			return failf(cause, causelen,
			    _("%s: %s is out of range (%ld to %ld)"), d->name,
			    text, d->min, d->max);
		break;
	case PARAM_TEXT:
		if ((long)strlen(text) > d->max)
			return failf(cause, causelen,
			    _("%s: longer than %ld characters"), d->name, d->max);
		break;
	case PARAM_INT_LIST:
	case PARAM_WORD_LIST:
		strcpy(copy, text);
		v->nitems = 0;
		/* strtok would skip empty items; walk by hand to reject them. */
		for (item = copy; item != NULL; item = save) {
			save = strchr(item, ',');
			if (save != NULL)
				*save++ = '\0';
			if (*item == '\0')
				return failf(cause, causelen,
				    _("%s: empty item in '%s'"), d->name, text);
			if (v->nitems == d->max_items)
				return failf(cause, causelen,
				    _("%s: more than %d items"), d->name,
				    d->max_items);
			if (d->kind == PARAM_WORD_LIST) {
				if (strlen(item) > 15)
					return failf(cause, causelen,
					    _("%s: item '%s' longer than 15 "
					    "characters"), d->name, item);
				strcpy(v->words[v->nitems], item);
			} else {
				long n;

				if (parse_long(item, &n) < 0)
					return failf(cause, causelen,
					    _("%s: '%s' is not a whole number"),
					    d->name, item);
				if (n < d->min || n > d->max)
					return failf(cause, causelen,
					    _("%s: %ld is out of range "
					    "(%ld to %ld)"), d->name, n,
					    d->min, d->max);
				v->ints[v->nitems] = n;
			}
			v->nitems++;
		}
		if (v->nitems < d->min_items)
			return failf(cause, causelen,
			    _("%s: needs %d items, got %d"), d->name,
			    d->min_items, v->nitems);
		break;
	}
	return 0;
}

const char *
params_default_shown(const struct param_def *d, char *buf, size_t len)
{
	if (*d->def == '\0' && d->unset != NULL)
		snprintf(buf, len, "(%s)", _(d->unset));
	else
		snprintf(buf, len, "%s", d->def);
	return buf;
}

int
params_parse(const struct param_def *defs, int argc, char *const argv[],
    struct params *out, char *cause, size_t causelen)
{
	const struct param_def *d;
	int i;

	memset(out, 0, sizeof *out);
	for (d = defs; d != NULL && d->name != NULL; d++) {
		struct param_value *v;

		if (out->n == PARAMS_MAX)
			return failf(cause, causelen, _("too many parameters"));
		v = &out->v[out->n++];
		v->def = d;
		if (set_value(v, d->def, cause, causelen) < 0)
			return -1;
	}
	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t len;
		int k;

		if (eq == NULL || eq == argv[i])
			return failf(cause, causelen,
			    _("'%.64s' is not NAME=VALUE"), argv[i]);
		len = (size_t)(eq - argv[i]);
		for (k = 0; k < out->n; k++)
			if (strlen(out->v[k].def->name) == len &&
			    strncmp(out->v[k].def->name, argv[i], len) == 0)
				break;
		if (k == out->n)
			return failf(cause, causelen, _("unknown parameter '%.*s'"),
			    (int)(len > 64 ? 64 : len), argv[i]);
		if (set_value(&out->v[k], eq + 1, cause, causelen) < 0)
			return -1;
	}
	return 0;
}

const struct param_value *
params_get(const struct params *p, const char *name)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].def->name, name) == 0)
			return &p->v[i];
	return NULL;
}

long
params_int(const struct params *p, const char *name)
{
	const struct param_value *v = params_get(p, name);

	return v != NULL ? v->num : 0;
}

double
params_number(const struct params *p, const char *name)
{
	const struct param_value *v = params_get(p, name);

	return v != NULL ? v->real : 0;
}

const char *
params_text(const struct params *p, const char *name)
{
	const struct param_value *v = params_get(p, name);

	return v != NULL ? v->text : "";
}

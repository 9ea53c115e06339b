/*
 * Schedule files: parsing, loading and writing. A schedule is the list of
 * steps a run took or should take, one task name per step.
 */
#include "config.h"

#include "schedule.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "i18n.h"

static int
name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static void
add_line(struct schedule *s, const char *name, size_t len, int line)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->names = xrealloc(s->names, s->cap * sizeof *s->names);
		s->lines = xrealloc(s->lines, s->cap * sizeof *s->lines);
	}
	memcpy(s->names[s->n], name, len);
	s->names[s->n][len] = '\0';
	s->lines[s->n++] = line;
}

void
schedule_add(struct schedule *s, const char *name)
{
	size_t len = strnlen(name, SCHEDULE_NAME_LEN - 1);

	add_line(s, name, len, 0);
}

int
schedule_parse(const char *text, size_t len, struct schedule *out,
    char *cause, size_t causelen)
{
	size_t i = 0;
	int line = 0;

	out->n = 0;
	while (i < len) {
		size_t start, end, k;

		line++;
		start = i;
		while (i < len && text[i] != '\n')
			i++;
		end = i;
		if (i < len)
			i++;	/* the newline */
		/* A comment runs to the end of the line. */
		for (k = start; k < end; k++)
			if (text[k] == '#')
				break;
		end = k;
		while (start < end && (text[start] == ' ' ||
		    text[start] == '\t' || text[start] == '\r'))
			start++;
		while (end > start && (text[end - 1] == ' ' ||
		    text[end - 1] == '\t' || text[end - 1] == '\r'))
			end--;
		if (start == end)
			continue;
		if (end - start > SCHEDULE_NAME_LEN - 1)
			return failf(cause, causelen, _("line %d: task name longer "
			    "than %d characters"), line, SCHEDULE_NAME_LEN - 1);
		for (k = start; k < end; k++)
			if (!name_char((unsigned char)text[k]))
				return failf(cause, causelen, _("line %d: '%.*s' is "
				    "not a task name (letters, digits, - _ .)"),
				    line, (int)(end - start), text + start);
		if (out->n == SCHEDULE_MAX_STEPS)
			return failf(cause, causelen, _("line %d: more than %d "
			    "steps"), line, SCHEDULE_MAX_STEPS);
		add_line(out, text + start, end - start, line);
	}
	return 0;
}

int
schedule_load(const char *path, struct schedule *out, char *cause,
    size_t causelen)
{
	char reason[256];
	char *buf;
	size_t len = 0;
	FILE *f;
	int rc;

	f = fopen(path, "r");
	if (f == NULL)
		return failf(cause, causelen, "%.200s: %s", path,
		    strerror(errno));
	buf = xmalloc(SCHEDULE_MAX_BYTES + 1);
	len = fread(buf, 1, SCHEDULE_MAX_BYTES + 1, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return failf(cause, causelen, _("%.200s: cannot read"), path);
	}
	fclose(f);
	if (len > SCHEDULE_MAX_BYTES) {
		free(buf);
		return failf(cause, causelen, _("%.200s: larger than %d bytes"),
		    path, SCHEDULE_MAX_BYTES);
	}
	rc = schedule_parse(buf, len, out, reason, sizeof reason);
	free(buf);
	if (rc < 0)
		return failf(cause, causelen, "%.200s: %s", path, reason);
	return 0;
}

int
schedule_write(FILE *f, const struct schedule *s, const char *comment)
{
	size_t i;

	if (comment != NULL && fprintf(f, "# %s\n", comment) < 0)
		return -1;
	for (i = 0; i < s->n; i++)
		if (fprintf(f, "%s\n", s->names[i]) < 0)
			return -1;
	return fflush(f) == EOF ? -1 : 0;
}

int
schedule_names(const struct schedule *s, char names[][SCHEDULE_NAME_LEN],
    int max)
{
	size_t i;
	int n = 0, k;

	for (i = 0; i < s->n; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(names[k], s->names[i]) == 0)
				break;
		if (k == n && n < max)
			strcpy(names[n++], s->names[i]);
	}
	return n;
}

void
schedule_free(struct schedule *s)
{
	free(s->names);
	free(s->lines);
	memset(s, 0, sizeof *s);
}

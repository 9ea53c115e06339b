/*
 * Schedule files: plain text, one task name per line, each line one step of
 * that task; `#` starts a comment; blank lines are ignored. Parsing is pure
 * (no I/O besides schedule_load) so it can be unit-tested and fuzzed.
 */
#ifndef PTMON_SCHEDULE_H
#define PTMON_SCHEDULE_H

#include <stddef.h>
#include <stdio.h>

#define SCHEDULE_NAME_LEN	16	/* as a task's role: 15 bytes + NUL */
#define SCHEDULE_MAX_STEPS	1000000
#define SCHEDULE_MAX_BYTES	(16 * 1024 * 1024)

struct schedule {
	size_t		  n, cap;
	char		(*names)[SCHEDULE_NAME_LEN];
	int		 *lines;	/* line number of each step in its file */
};

/*
 * Parses len bytes of text into out (which it empties first). Returns 0,
 * or -1 with one line in cause, naming the line number, for a name that is
 * too long or holds characters other than letters, digits, '-', '_', '.'.
 */
int		 schedule_parse(const char *text, size_t len,
		    struct schedule *out, char *cause, size_t causelen);
/* Reads and parses a file; -1 with cause (file name included) on error. */
int		 schedule_load(const char *path, struct schedule *out,
		    char *cause, size_t causelen);
/* Appends one step of `name` (line number 0). */
void		 schedule_add(struct schedule *, const char *name);
/* Writes the schedule as a file: an optional comment, then a name a line. */
int		 schedule_write(FILE *, const struct schedule *,
		    const char *comment);
/* The distinct names in order of first appearance; returns how many. */
int		 schedule_names(const struct schedule *,
		    char names[][SCHEDULE_NAME_LEN], int max);
/* Empties the schedule and frees its memory. */
void		 schedule_free(struct schedule *);

#endif

/*
 * One line of a watched program's output, as the runner hands it on: the
 * bytes as written (NULs and all, for plain batch output and JSON) and
 * their sanitised form (for a screen). A line longer than the runner's
 * buffer comes in pieces cut at character boundaries; only the last piece
 * is `ended`.
 */
#ifndef PTMON_OUTPUT_LINE_H
#define PTMON_OUTPUT_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct output_line {
	pid_t		 pid;		/* the process that wrote it; 0: unknown */
	int		 stream;	/* 1 stdout, 2 stderr */
	const char	*text;		/* sanitised, NUL-terminated */
	const char	*raw;		/* as written, without the newline */
	size_t		 rawlen;
	bool		 ended;		/* a newline ended it */
};

#endif

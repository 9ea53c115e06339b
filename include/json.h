/*
 * A small JSON Lines writer: values appended to a growing buffer, strings
 * escaped whatever bytes they hold, one object per line.
 */
#ifndef PTMON_JSON_H
#define PTMON_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct json {
	char	*buf;
	size_t	 len, cap;
	bool	 need_comma;
};

/* Empties the buffer (keeps its memory). */
void		 json_reset(struct json *);
/* Frees the buffer. */
void		 json_free(struct json *);

void		 json_open(struct json *, char brace);	/* '{' or '[' */
void		 json_close(struct json *, char brace);	/* '}' or ']' */
/* A key inside an object; the value comes next. */
void		 json_key(struct json *, const char *key);
void		 json_string(struct json *, const char *s);
void		 json_int(struct json *, long long v);
void		 json_number(struct json *, double v, int decimals);
void		 json_bool(struct json *, bool v);
void		 json_null(struct json *);

#endif

/*
 * Allocation that never returns NULL, and fatal errors that clean up first:
 * before ptmon prints its last line and exits, every registered cleanup hook
 * runs (leave curses, end the scenario's tree), so no failure leaves the
 * terminal broken or a process behind.
 */
#ifndef PTMON_XALLOC_H
#define PTMON_XALLOC_H

#include <stddef.h>

void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);

/* A function fatal() runs before it exits; at most a few are kept. */
typedef void (*cleanup_cb)(void);
void		 cleanup_push(cleanup_cb);
/* Runs the cleanup hooks once, newest first. */
void		 cleanup_run(void);

/* Cleans up, prints "ptmon: MESSAGE: strerror(errno)" and exits 1. */
void		 fatal(const char *fmt, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));
/* Like fatal, without errno. */
void		 fatalx(const char *fmt, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));
/* Writes one line into cause[causelen] for a caller to show; returns -1. */
int		 failf(char *cause, size_t causelen, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Bad usage: prints "ptmon: MESSAGE" and exits 2. */
void		 usage_error(const char *fmt, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));

#endif

/* Allocation that cannot fail, fatal errors, and the cleanup hooks. */
#include "config.h"

#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"

#define CLEANUP_MAX	8

static cleanup_cb	 cleanups[CLEANUP_MAX];
static int		 ncleanups;

void
cleanup_push(cleanup_cb cb)
{
	if (ncleanups < CLEANUP_MAX)
		cleanups[ncleanups++] = cb;
}

void
cleanup_run(void)
{
	while (ncleanups > 0)
		cleanups[--ncleanups]();
}

static void __attribute__((noreturn))
die(int status, int errnum, const char *fmt, va_list ap)
{
	char raw[1024], msg[4096];

	/* Messages quote the command line: keep its escapes off the terminal. */
	vsnprintf(raw, sizeof raw, fmt, ap);
	sanitize_text(raw, strlen(raw), msg, sizeof msg, 0);
	cleanup_run();
	if (errnum != 0)
		fprintf(stderr, "ptmon: %s: %s\n", msg, strerror(errnum));
	else
		fprintf(stderr, "ptmon: %s\n", msg);
	exit(status);
}

void
fatal(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	die(1, errnum, fmt, ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die(1, 0, fmt, ap);
}

void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die(2, 0, fmt, ap);
}

int
failf(char *cause, size_t causelen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, causelen, fmt, ap);
	va_end(ap);
	return -1;
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

void *
xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size == 0 ? 1 : size);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

/* The batch writer: buffered, poll()ed, and deaf to no ending signal. */
#include "config.h"

#include "outfd.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define OUTFD_FLUSH_AT	(64 * 1024)
/* How long one wait for a writable fd lasts before signals are checked. */
#define OUTFD_SLICE_MS	50

void
outfd_init(struct outfd *o, int fd)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
}

int
outfd_ending_signal(void)
{
	static const int ending[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
	sigset_t pending;
	size_t i;

	if (sigpending(&pending) < 0)
		return 0;
	for (i = 0; i < sizeof ending / sizeof ending[0]; i++)
		if (sigismember(&pending, ending[i]) == 1)
			return ending[i];
	return 0;
}

void
outfd_put(struct outfd *o, const void *p, size_t n)
{
	if (o->error != 0 || n == 0)
		return;
	if (o->len + n > o->cap) {
		size_t cap = o->cap > 0 ? o->cap : 4096;

		while (cap < o->len + n)
			cap *= 2;
		o->buf = xrealloc(o->buf, cap);
		o->cap = cap;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	if (o->len >= OUTFD_FLUSH_AT)
		(void)outfd_flush(o);
}

void
outfd_puts(struct outfd *o, const char *s)
{
	outfd_put(o, s, strlen(s));
}

void
outfd_printf(struct outfd *o, const char *fmt, ...)
{
	char small[512], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		outfd_put(o, small, (size_t)n);
		return;
	}
	big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	outfd_put(o, big, (size_t)n);
	free(big);
}

int
outfd_flush(struct outfd *o)
{
	size_t done = 0;

	while (o->error == 0 && done < o->len) {
		struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
		size_t chunk = o->len - done;
		ssize_t n;
		int ready;

		/* A full pipe takes at most PIPE_BUF bytes without blocking. */
		if (chunk > PIPE_BUF)
			chunk = PIPE_BUF;
		ready = poll(&pfd, 1, OUTFD_SLICE_MS);
		if (ready < 0 && errno != EINTR) {
			o->error = errno;
			break;
		}
		if (ready <= 0 || !(pfd.revents & (POLLOUT | POLLERR |
		    POLLHUP))) {
			if (outfd_ending_signal() != 0)
				o->error = EINTR;
			continue;
		}
		n = write(o->fd, o->buf + done, chunk);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			o->error = errno;
			break;
		}
		done += (size_t)n;
	}
	o->len = 0;
	return o->error == 0 ? 0 : -1;
}

void
outfd_free(struct outfd *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

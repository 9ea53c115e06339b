/*
 * A buffered writer to a file descriptor that never leaves ptmon deaf to a
 * signal: stdio blocks in write() on a full pipe with every signal routed
 * to a signalfd nobody reads meanwhile. This one waits with poll() in
 * short slices and gives up when SIGINT, SIGTERM, SIGHUP or SIGQUIT is
 * pending, so `ptmon --batch ... | sleep 15` still ends on SIGTERM.
 */
#ifndef PTMON_OUTFD_H
#define PTMON_OUTFD_H

#include <stdbool.h>
#include <stddef.h>

struct outfd {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
	int	 error;		/* errno of the first failure; 0 */
};

void	 outfd_init(struct outfd *, int fd);
/* Appends n bytes; flushes when the buffer holds 64 KiB. */
void	 outfd_put(struct outfd *, const void *p, size_t n);
void	 outfd_puts(struct outfd *, const char *s);
void	 outfd_printf(struct outfd *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Writes everything buffered. Returns 0, or -1 with o->error set: EPIPE
 * and the like, or EINTR when a signal that ends ptmon arrived while the
 * reader did not read; what is left is then dropped, as is all that
 * follows.
 */
int	 outfd_flush(struct outfd *);
void	 outfd_free(struct outfd *);
/* The signal that ends ptmon (INT, TERM, HUP, QUIT) now pending, or 0. */
int	 outfd_ending_signal(void);

#endif

/*
 * Batch mode: a poll() loop over the session, printing its output on stdout.
 */
#include "config.h"

#include "batch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "scenario.h"
#include "session.h"
#include "xalloc.h"

struct batch {
	const struct cli	*cli;
	int			 stop_signal;	/* set when ptmon must end */
	int			 write_error;
};

static void
on_output(void *arg, pid_t pid, const char *text)
{
	struct batch *b = arg;

	(void)pid;
	if (fputs(text, stdout) == EOF || putchar('\n') == EOF)
		b->write_error = errno;
}

static void
on_signal(void *arg, int sig)
{
	struct batch *b = arg;

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)
		b->stop_signal = sig;
}

int
batch_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	struct batch b = { .cli = cli };
	struct session_hooks hooks = {
		.output = on_output, .signal = on_signal, .arg = &b,
	};
	struct session *s;
	const char *cause = NULL;
	int status;

	s = session_start(cli, sc, params, &hooks, &cause);
	if (s == NULL)
		fatal("%s", cause);
	while (!session_done(s) && b.stop_signal == 0 && b.write_error == 0) {
		struct pollfd fds[SESSION_POLLFDS];
		int n = session_pollfds(s, fds);

		if (poll(fds, (nfds_t)n, -1) < 0 && errno != EINTR)
			fatal("poll");
		session_handle(s, fds, n);
		if (fflush(stdout) == EOF)
			b.write_error = errno;
	}
	status = session_status(s);
	session_free(s);
	if (b.stop_signal != 0)
		return 128 + b.stop_signal;
	if (b.write_error != 0 && b.write_error != EPIPE) {
		errno = b.write_error;
		fatal("writing output");
	}
	return status;
}

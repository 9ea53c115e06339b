/*
 * One run of a scenario: control block + runner + signalfd, driven by the
 * caller's poll() loop.
 */
#include "config.h"

#include "session.h"

#include <sys/signalfd.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ctl.h"
#include "runner.h"
#include "scenario.h"
#include "xalloc.h"

struct session {
	const struct scenario	*scenario;
	struct ctl		*ctl;
	struct runner		*runner;
	struct session_hooks	 hooks;
};

static int	 signal_fd = -1;

/* The signals ptmon takes through its signalfd rather than a handler. */
static void
handled_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGWINCH);
	sigaddset(set, SIGTSTP);
	sigaddset(set, SIGCONT);
}

int
session_init_process(void)
{
	sigset_t set;

	handled_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (signal_fd < 0)
		return -1;
	/* A closed stdout must be an error we see, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	return runner_become_subreaper();
}

static void
on_output(void *arg, pid_t pid, const char *text)
{
	struct session *s = arg;

	if (s->hooks.output != NULL)
		s->hooks.output(s->hooks.arg, pid, text);
}

static void
on_exit_(void *arg, pid_t pid, int status)
{
	struct session *s = arg;

	if (s->hooks.exit != NULL)
		s->hooks.exit(s->hooks.arg, pid, status);
}

/* A seed from the clock when --seed was not given. */
static uint64_t
clock_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
	    (uint64_t)getpid() << 20;
}

struct session *
session_start(const struct cli *cli, const struct scenario *sc,
    const struct params *params, const struct session_hooks *hooks,
    const char **cause)
{
	struct runner_hooks rh = {
		.output = on_output, .exit = on_exit_,
	};
	struct session *s;

	s = xcalloc(1, sizeof *s);
	s->scenario = sc;
	s->hooks = *hooks;
	s->ctl = ctl_new(cli->speed, cli->seeded ? cli->seed : clock_seed());
	if (s->ctl == NULL) {
		free(s);
		*cause = "cannot map the control block";
		return NULL;
	}
	if (cli->paused)
		ctl_pause_all(s->ctl);
	rh.arg = s;
	s->runner = runner_start(sc, params, s->ctl, &rh, cause);
	if (s->runner == NULL) {
		ctl_free(s->ctl);
		free(s);
		return NULL;
	}
	return s;
}

int
session_pollfds(struct session *s, struct pollfd *fds)
{
	int n = 0;

	fds[n].fd = signal_fd;
	fds[n].events = POLLIN;
	fds[n++].revents = 0;
	if (runner_fd(s->runner) >= 0) {
		fds[n].fd = runner_fd(s->runner);
		fds[n].events = POLLIN;
		fds[n++].revents = 0;
	}
	return n;
}

/* Reads every pending signal; SIGCHLD reaps, the rest go to the hook. */
static void
read_signals(struct session *s)
{
	struct signalfd_siginfo si;

	while (read(signal_fd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			runner_reap(s->runner);
		else if (s->hooks.signal != NULL)
			s->hooks.signal(s->hooks.arg, (int)si.ssi_signo);
	}
}

void
session_handle(struct session *s, const struct pollfd *fds, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		if (fds[i].fd == signal_fd)
			read_signals(s);
		else if (fds[i].fd == runner_fd(s->runner))
			runner_read(s->runner);
	}
	/* A SIGCHLD may have merged with one already read: reap anyway. */
	runner_reap(s->runner);
}

bool
session_done(const struct session *s)
{
	return runner_done(s->runner);
}

int
session_status(const struct session *s)
{
	return runner_status(s->runner);
}

double
session_elapsed(const struct session *s)
{
	return runner_elapsed(s->runner);
}

struct ctl *
session_ctl(struct session *s)
{
	return s->ctl;
}

pid_t
session_root(const struct session *s)
{
	return runner_root(s->runner);
}

const struct scenario *
session_scenario(const struct session *s)
{
	return s->scenario;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	runner_free(s->runner);
	ctl_free(s->ctl);
	free(s);
}

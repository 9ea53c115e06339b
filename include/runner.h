/*
 * Starts and ends what ptmon watches: a scenario root forked into its own
 * process group with PR_SET_PDEATHSIG, its output on a pipe, and ptmon as
 * child subreaper so that every process of the tree is reaped by ptmon.
 * The runner never blocks: the caller polls runner_fd() and calls
 * runner_read() when it is readable and runner_reap() on SIGCHLD.
 */
#ifndef PTMON_RUNNER_H
#define PTMON_RUNNER_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

#include "output_line.h"

struct ctl;
struct params;
struct runner;
struct scenario;

/* A line of output (or a piece of a long one): see output_line.h. */
typedef void (*runner_output_cb)(void *arg, const struct output_line *);
/* A process of the tree ended; status as from waitpid. */
typedef void (*runner_exit_cb)(void *arg, pid_t pid, int status);

struct runner_hooks {
	runner_output_cb	 output;
	runner_exit_cb		 exit;
	void			*arg;
};

/*
 * Forks the scenario root; it runs sc->main(params) bound to ctl. Signals
 * ptmon blocks (for its signalfd) are unblocked in the child. Returns NULL
 * and sets *cause (static text) when a system call fails.
 */
struct runner	*runner_start(const struct scenario *sc,
		    const struct params *params, struct ctl *ctl,
		    const struct runner_hooks *hooks, const char **cause);

/*
 * Starts COMMAND (argv, looked up in PATH) in a session of its own, its
 * stdout and stderr on pipes, stdin kept from ptmon when keep_stdin, else
 * /dev/null. When the command cannot be run, returns NULL with *exec_errno
 * set (ENOENT: not found) or, when a system call failed, with only *cause.
 */
struct runner_trace;
struct runner	*runner_start_command(char *const argv[], bool keep_stdin,
		    const struct runner_trace *trace,
		    const struct runner_hooks *hooks, int *exec_errno,
		    const char **cause);

/*
 * What a traced Python command gets (NULL: nothing): the control block's
 * memfd, kept open across exec and named in PTMON_CTL_FD with its size in
 * PTMON_CTL_SIZE, and the tracer's directory first on PYTHONPATH.
 */
struct runner_trace {
	int		 ctl_fd;
	size_t		 ctl_size;
	const char	*dir;
};

/* The most fds runner_pollfds fills. */
#define RUNNER_POLLFDS	2
/* Fills fds with the output pipes still open; returns how many. */
int		 runner_pollfds(const struct runner *, struct pollfd *fds);
/* Reads what pipe fd holds and calls hooks->output per whole line. */
void		 runner_handle(struct runner *, int fd);
/* Reaps every ended child (WNOHANG) and calls hooks->exit for each. */
void		 runner_reap(struct runner *);
/* The root's pid. */
pid_t		 runner_root(const struct runner *);
/* True once the root has ended and its output is drained. */
bool		 runner_done(const struct runner *);
/* The root's exit status as a shell reports it (128+N when killed by N). */
int		 runner_status(const struct runner *);
/* Kills the whole tree (SIGKILL), reaps it, closes the pipe; then frees. */
void		 runner_free(struct runner *);

/* Makes ptmon a child subreaper; call once at start. -1 on failure. */
int		 runner_become_subreaper(void);

#endif

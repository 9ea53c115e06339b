/*
 * A session: one run of a scenario under watch. It owns the control block,
 * the runner and ptmon's signalfd, and turns what happens on their fds into
 * calls of the caller's event hooks. Batch mode and the UI each drive a
 * session from their own poll() loop; neither needs to know how a scenario
 * is started or reaped.
 */
#ifndef PTMON_SESSION_H
#define PTMON_SESSION_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

struct cli;
struct ctl;
struct params;
struct scenario;
struct session;

struct session_hooks {
	/* A line of output (sanitised) from process pid. */
	void	(*output)(void *arg, pid_t pid, const char *text);
	/* A process of the tree ended; status as from waitpid. */
	void	(*exit)(void *arg, pid_t pid, int status);
	/* ptmon got a signal other than SIGCHLD (SIGINT, SIGWINCH…). */
	void	(*signal)(void *arg, int sig);
	void	 *arg;
};

/* The most fds session_pollfds fills. */
#define SESSION_POLLFDS	2

/*
 * Blocks the signals ptmon handles through its signalfd and makes ptmon a
 * child subreaper. Call once, before any session. -1 with errno on failure.
 */
int		 session_init_process(void);

/*
 * Starts scenario sc with params, as the options ask (speed, seed,
 * --paused). Returns NULL with *cause set when it cannot.
 */
struct session	*session_start(const struct cli *, const struct scenario *sc,
		    const struct params *params,
		    const struct session_hooks *hooks, const char **cause);
/* Fills fds[0..SESSION_POLLFDS) for poll(); returns how many. */
int		 session_pollfds(struct session *, struct pollfd *fds);
/* Handles what poll() reported on the fds session_pollfds filled. */
void		 session_handle(struct session *, const struct pollfd *fds,
		    int n);
/* True when the scenario has ended and its output is drained. */
bool		 session_done(const struct session *);
/* The scenario root's exit status (128+N if killed by N); -1 if running. */
int		 session_status(const struct session *);
/* Seconds since the session started. */
double		 session_elapsed(const struct session *);
/* The control block, for reading and for pause/step commands. */
struct ctl	*session_ctl(struct session *);
/* The scenario root's pid. */
pid_t		 session_root(const struct session *);
/* The scenario being run. */
const struct scenario *session_scenario(const struct session *);
/* Ends the tree if still running, reaps it and frees everything. */
void		 session_free(struct session *);

#endif

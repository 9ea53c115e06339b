/*
 * A session: one run under watch, of a scenario, of a command (ptmon --
 * COMMAND) or of an existing process (ptmon -p PID). It owns the control
 * block, the runner and ptmon's signalfd, and turns what happens on their
 * fds into calls of the caller's event hooks. Batch mode and the UI each
 * drive a session from their own poll() loop; neither needs to know how a
 * scenario is started or reaped. Commands to tasks (pause, step, signals)
 * go through here too, so the UI never asks what kind of task it has.
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
struct schedule;
struct snap_task;
struct snapshot;

enum session_kind {
	SESSION_SCENARIO,
	SESSION_COMMAND,
	SESSION_ATTACHED,
};

struct session_hooks {
	/* A line of output (sanitised) from process pid. */
	void	(*output)(void *arg, pid_t pid, const char *text);
	/* A line a command wrote on stderr; NULL: it goes to output. */
	void	(*error)(void *arg, pid_t pid, const char *text);
	/* A process of the tree ended; status as from waitpid. */
	void	(*exit)(void *arg, pid_t pid, int status);
	/* ptmon got a signal other than SIGCHLD (SIGINT, SIGWINCH…). */
	void	(*signal)(void *arg, int sig);
	/* A scenario's control block is ready, before its root starts. */
	void	(*prepare)(void *arg, struct ctl *ctl);
	void	 *arg;
};

/* The most fds session_pollfds fills. */
#define SESSION_POLLFDS	4

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
/*
 * Starts cli->argv in a session of its own (stdin kept in batch mode).
 * When it cannot be run, returns NULL with *exec_errno set (ENOENT when not
 * found) and *cause.
 */
struct session	*session_start_command(const struct cli *,
		    const struct session_hooks *hooks, int *exec_errno,
		    const char **cause);
/* Watches cli->pid and its descendants; NULL with *cause if it is gone. */
struct session	*session_attach(const struct cli *,
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
/* The control block of a scenario; NULL for a command or attach. */
struct ctl	*session_ctl(struct session *);
/* What is watched, and its name: scenario, command line or "pid N". */
enum session_kind session_kind(const struct session *);
const char	*session_title(const struct session *);
/* MODEL_QUEUE and MODEL_BALANCE when the scenario has them. */
unsigned	 session_panes(const struct session *);

/*
 * Commands to one task of the current snapshot. Scenario tasks are gated
 * (a step runs to the next checkpoint; stepping a running task pauses it);
 * other processes get SIGSTOP/SIGCONT through a pidfd after a check that
 * the pid was not recycled (a step lets them run until session_tick). A
 * thread of a foreign process cannot be stopped alone. Each returns 0, or
 * -1 with *why set to one line for the user. ptmon never signals itself.
 */
int		 session_pause(struct session *, const struct snap_task *,
		    const char **why);
int		 session_resume(struct session *, const struct snap_task *,
		    const char **why);
int		 session_step(struct session *, const struct snap_task *,
		    const char **why);
int		 session_signal(struct session *, const struct snap_task *,
		    int sig, const char **why);
/* Pauses or resumes every task of the snapshot (and, for a scenario,
 * tasks not yet started). */
void		 session_pause_all(struct session *, const struct snapshot *);
void		 session_resume_all(struct session *, const struct snapshot *);
/* Call once per refresh: stops foreign processes again after a step. */
void		 session_tick(struct session *);
/*
 * The steps taken by session_step on gated tasks so far, as a schedule
 * (for --record); valid until session_free.
 */
const struct schedule *session_taken(const struct session *);
/* The scenario root's pid. */
pid_t		 session_root(const struct session *);
/* The scenario being run. */
const struct scenario *session_scenario(const struct session *);
/* Ends the tree if still running, reaps it and frees everything. */
void		 session_free(struct session *);

#endif

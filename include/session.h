/*
 * A session: one run under watch, of a scenario, of a command (ptmon --
 * COMMAND) or of an existing process (ptmon -p PID). It owns the control
 * block and the runner, and turns what happens on their fds into calls of
 * the caller's hooks; the driver (driver.h) polls it. Commands to tasks
 * (pause, step, signals) are decided here too, so no front end asks what
 * kind of task it has.
 */
#ifndef PTMON_SESSION_H
#define PTMON_SESSION_H

#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <sys/types.h>

#include "output_line.h"

struct cli;
struct ctl;
struct params;
struct scenario;
struct session;
struct schedule;
struct snap_task;
struct snapshot;

struct session_hooks {
	/* A line of output: see output_line.h. */
	void	(*output)(void *arg, const struct output_line *);
	/* A process of the tree ended; status as from waitpid. */
	void	(*exit)(void *arg, pid_t pid, int status);
	/* A control block is ready, before its root (or program) starts. */
	void	(*prepare)(void *arg, struct ctl *ctl);
	void	 *arg;
};

/* The most fds session_pollfds fills. */
#define SESSION_POLLFDS	3

/*
 * Starts the keeper, blocks the signals ptmon takes through a signalfd
 * (session_signals), ignores SIGPIPE and makes ptmon a child subreaper.
 * Call once, before any session. -1 with errno on failure.
 */
int		 session_init_process(void);
/* The signals ptmon blocks and reads through its one signalfd. */
void		 session_signals(sigset_t *set);

/*
 * Starts scenario sc with params, as the options ask (speed, seed,
 * --paused). Returns NULL with *cause set when it cannot.
 */
struct session	*session_start(const struct cli *, const struct scenario *sc,
		    const struct params *params,
		    const struct session_hooks *hooks, const char **cause);
/* True when argv0 names a Python 3 interpreter: python3, python3.11. */
bool		 session_python_command(const char *argv0);
/*
 * Starts cli->argv in a session of its own (stdin kept in batch mode).
 * A Python 3 interpreter (python3, python3.N) gets a control block and
 * ptmon's tracer, unless cli->no_trace: its threads are gated tasks.
 * When it cannot be run, returns NULL with *exec_errno set (ENOENT when not
 * found) and *cause. The hooks' prepare sees a Python's block before the
 * program starts; a schedule (--replay, --record, --explore) steps its
 * threads by instruction.
 */
struct session	*session_start_command(const struct cli *,
		    const struct session_hooks *hooks, int *exec_errno,
		    const char **cause);
/*
 * What ptmon has to say about how the run started, one line, "" none:
 * that a Python command runs untraced, and why.
 */
const char	*session_note(const struct session *);
/* Watches cli->pid and its descendants; NULL with *cause if it is gone. */
struct session	*session_attach(const struct cli *,
		    const struct session_hooks *hooks, const char **cause);

/* Fills fds[0..SESSION_POLLFDS) for poll(); returns how many. */
int		 session_pollfds(struct session *, struct pollfd *fds);
/* Handles what poll() reported on the fds session_pollfds filled. */
void		 session_handle(struct session *, const struct pollfd *fds,
		    int n);
/* Reaps every ended process of the tree (on SIGCHLD). */
void		 session_reap(struct session *);
/* True when the root has ended and its output is drained. */
bool		 session_done(const struct session *);
/* The root's exit status (128+N if killed by N); -1 if running. */
int		 session_status(const struct session *);
/* How it ended: "exited with status 1", "was killed by SIGTERM"... */
void		 session_end_text(const struct session *, char *buf,
		    size_t len);
/* The signal that killed the root, or 0 (running, exited, attached). */
int		 session_end_signal(const struct session *);
/* Seconds since the session started. */
double		 session_elapsed(const struct session *);
/* The control block of a scenario; NULL for a command or attach. */
struct ctl	*session_ctl(struct session *);
/* What is watched: scenario name, command line or "pid N". */
const char	*session_title(const struct session *);
/* "the scenario", "the command" or "the process". */
const char	*session_noun(const struct session *);
/* True when ptmon started it, so it can start it again. */
bool		 session_restartable(const struct session *);
/*
 * MODEL_QUEUE and MODEL_BALANCE when the scenario has them; MODEL_QUEUE
 * for a traced Python command once it has a queue in the block.
 */
unsigned	 session_panes(const struct session *);
/* The root's pid. */
pid_t		 session_root(const struct session *);

/*
 * Commands to one task of the current snapshot; the session decides how.
 * Scenario tasks are gated (a step runs to the next checkpoint; stepping
 * a running task pauses it); a scenario process that has not reached its
 * first checkpoint has no gate yet and is refused. Other processes get
 * SIGSTOP/SIGCONT through a pidfd after a check that the pid was not
 * recycled (a step lets them run until session_tick), and the call
 * returns once the kernel shows the new state. A thread of a foreign
 * process cannot be stopped alone. Each returns 0, or -1 with *why set to
 * one line for the user. ptmon never signals itself.
 */
int		 session_pause(struct session *, const struct snap_task *,
		    const char **why);
int		 session_resume(struct session *, const struct snap_task *,
		    const char **why);
int		 session_step(struct session *, const struct snap_task *,
		    const char **why);
int		 session_signal(struct session *, const struct snap_task *,
		    int sig, const char **why);
/*
 * Pauses or resumes every task of the snapshot (and, for a scenario,
 * tasks not yet started; for others, processes that appear while all are
 * held, at each session_tick). Returns how many refused, *why the first
 * reason.
 */
size_t		 session_pause_all(struct session *, const struct snapshot *,
		    bool pause, const char **why);
/* Steps every paused task of the snapshot once; returns how many. */
size_t		 session_step_all(struct session *, const struct snapshot *);
/* True while P holds everything. */
bool		 session_all_paused(const struct session *);
/* True when a step of t runs it for a refresh, not to a checkpoint. */
bool		 session_steps_by_time(const struct session *,
		    const struct snap_task *t);
/*
 * Call once per refresh with the new snapshot: stops processes again
 * after a step, and holds new ones while all are held.
 */
void		 session_tick(struct session *, const struct snapshot *);
/*
 * The watched run is over (its root has ended): its clock stops, and
 * every process ptmon stopped that still lives (an attached root's
 * children) goes on.
 */
void		 session_ended(struct session *);
/*
 * The steps taken by session_step on gated tasks so far, as a schedule
 * (for --record); valid until session_free.
 */
const struct schedule *session_taken(const struct session *);
/*
 * Ends the tree if ptmon started it (an attached process that ptmon
 * stopped is continued), reaps it and frees everything.
 */
void		 session_free(struct session *);

#endif

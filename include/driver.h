/*
 * The driver: owns everything that happens between "start" and "the end"
 * of what ptmon watches, for every front end alike. It starts the target (a
 * scenario, a command, an attached pid), runs the one poll() loop over the
 * signalfd, the session's fds, a front end's input fd and the refresh
 * tick, samples the tree into the snapshot, plays schedules (--replay,
 * --explore) through the stepper, writes --record, and knows the exit
 * status. The full-screen UI, batch text, batch JSON and explore are sinks
 * plugged into it: they read the snapshot and the events below, and send
 * commands back through the driver_* verbs, which resample at once.
 */
#ifndef PTMON_DRIVER_H
#define PTMON_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "output_line.h"
#include "stepper.h"

struct cli;
struct driver;
struct timeline;
struct params;
struct scenario;
struct snap_task;
struct snapshot;

/* What a front end hears from the driver; every hook may be NULL. */
struct driver_sink {
	/* A run has started: its root exists, nothing was sampled yet. */
	void	(*started)(void *arg);
	/* A line of output (or a piece of a long one): output_line.h. */
	void	(*output)(void *arg, const struct output_line *);
	/* A task was seen for the first time (control block or sample). */
	void	(*spawn)(void *arg, pid_t pid, pid_t tid, pid_t ppid,
		    const char *name);
	/* A task ended; status as from waitpid, -1 when not known. */
	void	(*exit)(void *arg, pid_t pid, pid_t tid, int status);
	/* A new snapshot: each tick, after each verb, and at the end. */
	void	(*snapshot)(void *arg, const struct snapshot *);
	/* The replay or exploration changed state (done, or an error). */
	void	(*lab)(void *arg, enum stepper_state);
	/*
	 * ptmon's own word on the run just started, one line (that a
	 * Python command runs untraced, and why).
	 */
	void	(*note)(void *arg, const char *text);
	/* The run has ended, its output drained, its last snapshot sent. */
	void	(*ended)(void *arg);
	/*
	 * A pause-all or resume-all (driver_pause_all) has gone out: how
	 * many tasks refused it and the first reason (NULL when none did).
	 */
	void	(*paused)(void *arg, bool pause, size_t refused,
		    const char *why);
	/*
	 * ptmon got a signal other than SIGCHLD. Without this hook SIGINT,
	 * SIGTERM, SIGHUP and SIGQUIT end the loop with 128+N.
	 */
	void	(*signal)(void *arg, int sig);
	/* input_fd is readable (or hung up: revents says). */
	void	(*input)(void *arg, short revents);
	/*
	 * Before the loop sleeps (a front end draws here). Returns the
	 * milliseconds it wants to sleep at most, or -1 for no limit.
	 */
	long	(*idle)(void *arg);
	int	  input_fd;	/* -1: none */
	void	 *arg;
};

/* How a run ends or stands, for headers and messages. */
enum driver_phase {
	DRIVER_IDLE,		/* nothing started (the picker) */
	DRIVER_RUNNING,
	DRIVER_ENDED,
};

/*
 * Sets up ptmon's process (keeper, signals, subreaper) and a driver for
 * the command line's options; loads --replay's schedule (bad file: one
 * line and status 2). tick_ms is the refresh (0: sample only on demand and
 * at the end). Exits with a message when the system refuses.
 */
struct driver	*driver_new(const struct cli *, const struct driver_sink *,
		    long tick_ms);
/* Ends the run if any (killing its tree), then frees the driver. */
void		 driver_free(struct driver *);

/*
 * Starts scenario sc with params (copied), ending the current run first.
 * Replays the --replay schedule when driver_replay_on; explores with
 * driver_explore's seed when set. Returns 0, or -1 with *cause.
 */
int		 driver_start_scenario(struct driver *,
		    const struct scenario *sc, const struct params *params,
		    const char **cause);
/*
 * Starts what the command line watches: its COMMAND, or attaches to -p
 * PID. Returns 0, or -1 with *cause (and *exec_errno when COMMAND could
 * not be run: ENOENT when not found).
 */
int		 driver_start_watch(struct driver *, int *exec_errno,
		    const char **cause);
/*
 * At ptmon's start: starts sc (if not NULL) or what the command line
 * watches, or ends ptmon as a shell would: one line on stderr and status
 * 127 (not found), 126 (not runnable), 2 (-p of no such process) or 1.
 */
void		 driver_start_or_exit(struct driver *,
		    const struct scenario *sc, const struct params *params);
/* Starts the same thing again (a scenario with the same parameters). */
int		 driver_restart(struct driver *, const char **cause);
/* Ends the current run, if any, and writes --record for it. */
void		 driver_stop(struct driver *);
/* Whether scenario runs replay the --replay schedule (on with it). */
void		 driver_set_replay(struct driver *, bool on);
/* The next scenario run explores schedules at random from seed. */
void		 driver_explore(struct driver *, uint64_t seed);
/*
 * How a schedule plays: steps per refresh tick (the UI takes one, so a
 * person can watch), or 0, the default: as fast as the tasks move.
 */
void		 driver_set_lab_pace(struct driver *, int steps_per_tick);
/*
 * Frames on events: while a scenario runs, sample again (and send a
 * snapshot) when one of its tasks starts, reaches a statement, blocks,
 * parks or ends, at most once per min_ms (0, the default: on the tick
 * and after verbs only).
 */
void		 driver_set_event_frames(struct driver *, long min_ms);
/* Whether the next runs start with every task paused (as --paused). */
void		 driver_set_start_paused(struct driver *, bool paused);
/* Whether runs write --record by themselves when they end (default on). */
void		 driver_set_autorecord(struct driver *, bool on);

/* Runs the loop until driver_quit; returns the status given there. */
int		 driver_run(struct driver *);
/* Ends the loop after this pass; driver_run returns status. */
void		 driver_quit(struct driver *, int status);
/* Samples now and sends the snapshot to the sink. */
void		 driver_resample(struct driver *);

/* The last snapshot (empty before the first sample). */
const struct snapshot *driver_snapshot(const struct driver *);
/* Each task's states, one cell per refresh (timeline.h). */
const struct timeline *driver_timeline(const struct driver *);
enum driver_phase driver_phase(const struct driver *);
/* The scenario running, or NULL for a command, a pid or nothing. */
const struct scenario *driver_scenario(const struct driver *);
/* Its parameters (valid while driver_scenario is not NULL). */
const struct params *driver_params(const struct driver *);
/* What is watched: scenario name, command line or "pid N". */
const char	*driver_title(const struct driver *);
/* How a message names it: "the scenario", "the command", "the process". */
const char	*driver_noun(const struct driver *);
/* True when r can start it again (not an attached process). */
bool		 driver_restartable(const struct driver *);
pid_t		 driver_root(const struct driver *);
/* Seconds since the run started. */
double		 driver_elapsed(const struct driver *);
/* The root's status as a shell gives it (128+N if killed); -1 running. */
int		 driver_status(const struct driver *);
/*
 * How the run ended, as a sentence's end: "exited with status 1", "was
 * killed by SIGTERM", "has ended".
 */
void		 driver_end_text(const struct driver *, char *buf, size_t len);
/* The signal that killed the root, or 0. */
int		 driver_end_signal(const struct driver *);
/* The scenario's speed (sleeps divided by it); 0 when not a scenario. */
double		 driver_speed(const struct driver *);
/* Sets it live; -1 when what runs is not a scenario. */
int		 driver_set_speed(struct driver *, double speed);
/* The scenario's pace (seconds per statement, 0: full speed). */
double		 driver_pace(const struct driver *);
/* Sets it live, for this run and the next; -1 when not a scenario. */
int		 driver_set_pace(struct driver *, double seconds);
/*
 * A traced Python program's threads step one bytecode instruction (true)
 * or one source line: -1 when the run has no traced Python.
 */
int		 driver_set_py_by_op(struct driver *, bool by_op);
/* The run's seed (scenarios); 0 otherwise. */
uint64_t	 driver_seed(const struct driver *);

/*
 * Verbs on one task of the snapshot, each followed by a fresh snapshot.
 * The session decides how (a futex gate, SIGSTOP/SIGCONT, a signal
 * through a pidfd). Each returns 0, or -1 with *why set to one line.
 */
int		 driver_pause(struct driver *, const struct snap_task *,
		    const char **why);
int		 driver_resume(struct driver *, const struct snap_task *,
		    const char **why);
int		 driver_step(struct driver *, const struct snap_task *,
		    const char **why);
int		 driver_signal(struct driver *, const struct snap_task *,
		    int sig, const char **why);
/*
 * Pauses or resumes every task (and, for a scenario, those not started
 * yet), on the loop's next pass, once the sink has drawn what the key
 * did: stopping thousands of threads takes longer than a frame.
 * driver_all_paused says what was asked at once; the sink's paused hook
 * tells how it went, then the fresh snapshot follows. Returns 0, or -1
 * with *why when nothing runs.
 */
int		 driver_pause_all(struct driver *, bool pause,
		    const char **why);
/* Steps every paused task once; returns how many stepped. */
size_t		 driver_step_all(struct driver *);
/*
 * True while everything is held (P): new tasks are held too; from the
 * moment a pause-all is asked.
 */
bool		 driver_all_paused(const struct driver *);
/* True when stepping a task of this run runs it for one refresh. */
bool		 driver_steps_by_time(const struct driver *,
		    const struct snap_task *);

/* The replay of this run, or NULL; its state and the plan's length. */
const struct stepper *driver_stepper(const struct driver *);
enum stepper_state driver_stepper_state(const struct driver *);
size_t		 driver_plan_length(const struct driver *);
/* Steps taken in this run: by the replay or exploration, else by keys. */
const struct schedule *driver_taken(const struct driver *);
/*
 * Writes the steps taken to --record with a comment line. Returns 0
 * (also without --record), or -1 with errno.
 */
int		 driver_write_record(struct driver *, const char *comment);
/*
 * The run's control block (a scenario's, or a traced Python program's:
 * written by the program, read it with ctl.h's bounded views), or NULL.
 */
struct ctl	*driver_ctl(const struct driver *);
/* errno of the last automatic --record write that failed, else 0. */
int		 driver_record_error(const struct driver *);

#endif

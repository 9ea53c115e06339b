/*
 * The snapshot: one refresh's view of the watched tree, built from the
 * sampler's samples and the control block. Plain data and no I/O, so tests
 * and batch.c can build and read one, and the UI only draws it.
 */
#ifndef PTMON_MODEL_H
#define PTMON_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ctl.h"
#include "sampler.h"

enum snap_gate {
	SNAP_GATE_NONE = 0,	/* not a scenario task: no gate */
	SNAP_GATE_RUNNING,
	SNAP_GATE_PAUSED,
	SNAP_GATE_STEPPING,	/* paused, with a step granted and not taken */
};

struct snap_task {
	struct sample		 s;		/* what the kernel says */
	int			 depth;		/* 0 for the root */
	bool			 is_thread;	/* tid != tgid */
	bool			 last_sibling;	/* for the tree guides */
	/* From the control block; slot < 0 when the task has none. */
	int			 slot;
	char			 role[CTL_ROLE_LEN];
	enum ctl_doing		 doing;
	enum snap_gate		 gate;
	enum checkpoint		 at;		/* where it stands; CP_NONE
						   without a slot */
	long long		 local;		/* value the task holds */
	long long		 arg;		/* the n of change_it(n) */
	unsigned long long	 iterations;
	char			 text[CTL_TEXT_LEN];	/* its local, "" none */
	char			 where[CTL_WHERE_LEN];	/* "race.py:12", "" none */
	/* In the tree kept after a run: the task has ended, and how. */
	bool			 ended;
	int			 end_status;	/* as from waitpid; -1 unknown */
	/*
	 * When it began and when it was seen gone, in seconds on the
	 * snapshot's clock (t); NAN when not known. Set with the end.
	 */
	double			 born;
	double			 died;
};

struct snap_queue {
	bool			 present;
	char			 name[CTL_QUEUE_NAME_LEN];
	unsigned		 nitems;
	char			 items[CTL_QUEUE_CAP][CTL_ITEM_LEN];
	unsigned		 puts, gets;
	unsigned		 getters_waiting, putters_waiting;
	unsigned		 hidden;	/* mirrored items not shown */
};

struct snap_balance {
	bool			 present;
	long long		 value, expected;
	pid_t			 owner;		/* tid holding the lock, 0 none */
	unsigned		 waiters;
	unsigned long long	 lost;
};

/* A traced Python thread's lab fields (ctl.h's view, made inert). */
struct snap_py_task {
	char			 path[CTL_PY_PATH_LEN];
	int			 line;		/* 0: none */
	int			 offset;	/* next instruction's, -1 none */
	char			 ops[CTL_PY_OPS_LEN];	/* pylab.h's record */
	int			 held;		/* watch index it loaded, -1 */
	unsigned long long	 held_seq;
	char			 held_repr[CTL_PY_REPR_LEN];
};

struct snap_py_watch {
	int			 index;		/* in the block */
	char			 name[CTL_PY_NAME_LEN];
	char			 repr[CTL_PY_REPR_LEN];
	bool			 picked, is_int;
	long long		 value, lost_sum;
	unsigned long long	 writers, stores, lost;
};

/* A traced Python program's lab: present only for one. */
struct snap_py {
	bool			 present;
	bool			 by_op;		/* s steps one instruction */
	struct snap_py_task	 tasks[CTL_MAX_TASKS];	/* by slot */
	int			 nwatch;
	struct snap_py_watch	 watch[CTL_PY_WATCH];
};

struct snapshot {
	double			 t;		/* seconds since the session began */
	pid_t			 root;
	size_t			 ntasks;
	size_t			 cap;
	struct snap_task	*tasks;		/* tree order, owned */
	/* The scenario's named queues, present ones first, in block order. */
	struct snap_queue	 queues[CTL_QUEUES];
	struct snap_balance	 balance;
	struct snap_py		 py;
};

/* What the scenario shows besides its tree. */
#define MODEL_QUEUE	0x1
#define MODEL_BALANCE	0x2
#define MODEL_PY	0x4	/* a traced Python program's lab */

/*
 * Builds snap from n samples and, when ctl is not NULL, the control block:
 * tasks in tree order (parent before children, a process's threads right
 * under it, before its child processes), siblings by pid. Tasks whose parent
 * is not among the samples (the scenario's orphans, adopted by ptmon) follow
 * the root's tree at depth 1. Reuses snap->tasks' memory.
 */
void		 model_build(struct snapshot *snap, pid_t root,
		    const struct sample *samples, size_t n,
		    struct ctl *ctl, unsigned panes, double t);

/*
 * Where a task's kernel start time (start_ticks clock ticks after boot,
 * hz ticks a second) falls on the snapshot's clock, given that the boot
 * clock reads boot_now when the snapshot's reads t_now. NAN when it cannot
 * tell (no start time, no hz). A task older than the session gets a
 * negative time; none gets one later than t_now.
 */
double		 model_born_at(unsigned long long start_ticks, long hz,
		    double boot_now, double t_now);
/*
 * Marks a task of a kept tree ended: its status (as from waitpid, -1 not
 * known), when it began and when it was seen gone (NAN: not known). An
 * ended task runs, uses and waits on nothing.
 */
void		 model_task_ended(struct snap_task *, int status, double born,
		    double died);
/*
 * How long an ended task lived, in *secs: true when both its start and
 * its end are known (an end seen a little before the start, which
 * coarse kernel ticks can make, counts as 0).
 */
bool		 model_lifetime(const struct snap_task *, double *secs);
/*
 * Makes the snapshot agree with its tasks once some have ended: the queue
 * has nobody waiting when no live task of the tree waits on it (a reader
 * terminated while it waited is counted by the control block still).
 * model_build calls it; call it again after model_task_ended.
 */
void		 model_settle(struct snapshot *);

/*
 * Reads the panes (queues, balance, the Python lab) of snap again from the
 * control block, leaving its tasks as they are: the last tree of a watched
 * command stays, its queues as the program left them. model_build ends so.
 */
void		 model_read_panes(struct snapshot *snap, struct ctl *ctl,
		    unsigned panes);

/* Frees the tasks of a snapshot built by model_build. */
void		 model_free(struct snapshot *snap);

/*
 * True when sample s is a task the scenario has just created that has not
 * named itself yet: it has no slot in `tasks` (the control block's, as
 * ctl_task_next gives them) and still bears the name of a task with a slot
 * in the process that made it, for a fork or a new thread inherits its
 * maker's name until its first statement renames it. Shown in that moment
 * it would be a second "MainProcess"; a driver leaves it out of the sample.
 * So too a traced Python's watcher thread (CTL_WATCHER_NAME): ptmon's own.
 */
bool		 model_is_unnamed(const struct sample *s,
		    const struct ctl_task_view *tasks, size_t ntasks);

/* The name a task shows: its role from the control block, else its comm. */
const char	*model_task_name(const struct snap_task *);

/*
 * Where a task stands, as the AT column and JSON's `at` say it: a traced
 * Python thread's "file.py:LINE", else its checkpoint's label; "" without
 * a slot.
 */
const char	*model_task_at(const struct snap_task *);

/* The task with that tid, or NULL. */
const struct snap_task *model_find(const struct snapshot *, pid_t tid);

#endif

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
	/* In the tree kept after a run: the task has ended, and how. */
	bool			 ended;
	int			 end_status;	/* as from waitpid; -1 unknown */
};

struct snap_queue {
	bool			 present;
	unsigned		 nitems;
	char			 items[CTL_QUEUE_CAP][CTL_ITEM_LEN];
	unsigned		 puts, gets;
	unsigned		 getters_waiting, putters_waiting;
};

struct snap_balance {
	bool			 present;
	long long		 value, expected;
	pid_t			 owner;		/* tid holding the lock, 0 none */
	unsigned		 waiters;
	unsigned long long	 lost;
};

struct snapshot {
	double			 t;		/* seconds since the session began */
	pid_t			 root;
	size_t			 ntasks;
	size_t			 cap;
	struct snap_task	*tasks;		/* tree order, owned */
	struct snap_queue	 queue;
	struct snap_balance	 balance;
};

/* What the scenario shows besides its tree. */
#define MODEL_QUEUE	0x1
#define MODEL_BALANCE	0x2

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

/* Frees the tasks of a snapshot built by model_build. */
void		 model_free(struct snapshot *snap);

/* The name a task shows: its role from the control block, else its comm. */
const char	*model_task_name(const struct snap_task *);

/* The task with that tid, or NULL. */
const struct snap_task *model_find(const struct snapshot *, pid_t tid);

#endif

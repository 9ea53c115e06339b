/*
 * The tutorial's scenarios: what --list shows, the parameters each takes,
 * and the function the scenario root process runs. Scenario code uses only
 * tutorial.h (and through it the control block); it knows nothing of the UI.
 */
#ifndef PTMON_SCENARIO_H
#define PTMON_SCENARIO_H

#include "model.h"
#include "params.h"

struct scenario {
	const char		*name;
	const char		*summary;	/* one line for --list */
	const char		*watch_for;	/* what to look at, for the UI */
	const char		*root_role;	/* the root's name in the tree */
	const struct param_def	*params;	/* ends with a NULL name */
	unsigned		 panes;		/* MODEL_QUEUE, MODEL_BALANCE */
	/*
	 * With MODEL_QUEUE, the names of its queues in the control block;
	 * none given: the one queue "queue".
	 */
	const char		*queues[CTL_QUEUES];
	/*
	 * With --paused the root still runs (to its join), so the tasks it
	 * starts all stand at their first checkpoint: the race's threads
	 * before their first read of balance.
	 */
	bool			 root_runs_when_paused;
	/*
	 * Its threads take the one lock (lock_acquire) around change_it:
	 * the lab shows lock.acquire()/release() and who holds the lock.
	 */
	bool			 has_lock;
	/* Runs in the scenario root; returns its exit status. */
	int			(*main)(const struct params *);
};

/* Every scenario, in the tutorial's order, ending with NULL. */
extern const struct scenario *const scenarios[];

/* How many queues the scenario shows: 0 without MODEL_QUEUE. */
int			 scenario_nqueues(const struct scenario *);

/* The scenario of that name, or NULL. */
const struct scenario	*scenario_find(const char *name);

#endif

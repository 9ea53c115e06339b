/*
 * The timeline: each task's state over the last refreshes, one letter per
 * refresh (a "cell"), for the timeline pane, the JSON stream's `states`
 * and `--batch --timeline`.
 *
 *	R running   r runnable (ready, no CPU yet)   S sleeping
 *	W waiting (a queue, a lock, a join, a pipe, the disk)
 *	P paused    Z exited    . not started yet
 *
 * A cell begins on each tick of the refresh interval; samples taken
 * between ticks (frames on events) fold into the current cell, the
 * busiest state winning, so a short wait or run between ticks still shows.
 */
#ifndef PTMON_TIMELINE_H
#define PTMON_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model.h"
#include "tidmap.h"

/* Cells each task keeps, and the most `states` carries. */
#define TIMELINE_CELLS	200

struct timeline_task {
	pid_t		 tid;
	char		 uniform;	/* every cell's letter, while no ring */
	unsigned long	 first;		/* the cell it was first seen in */
	unsigned long	 seen;		/* the last cell it was seen in */
	char		*ring;		/* cell c at c % CELLS; NULL until
					   its letter first changes */
};

struct timeline {
	struct timeline_task	*tasks;
	size_t			 n, cap;
	struct tidmap		 by_tid;	/* tid -> index in tasks */
	unsigned long		 cells;		/* begun so far */
};

/* The letter of a task's state in this snapshot. */
char		 timeline_letter(const struct snap_task *);

/*
 * Records a snapshot: in a new cell when new_cell (a tick, or the first
 * sample), else folded into the current one. Tasks known before and
 * missing from a new cell have exited; TIMELINE_CELLS cells later they
 * are forgotten, so watching a busy tree does not grow without end.
 */
void		 timeline_record(struct timeline *, const struct snapshot *,
		    bool new_cell);

/*
 * The task's last min(cells, max) letters, oldest first, NUL-terminated
 * in buf (max + 1 bytes); "" for a task it does not know. Returns the
 * length written.
 */
size_t		 timeline_states(const struct timeline *, pid_t tid,
		    size_t max, char *buf);

/* Forgets every task and cell: a new run. Keeps the memory. */
void		 timeline_clear(struct timeline *);
void		 timeline_free(struct timeline *);

#endif

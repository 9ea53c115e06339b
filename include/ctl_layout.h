/*
 * The control block's layout: private to the code that owns it.
 *
 * Only src/scenario/ctl.c (the block itself) and the task-side runtimes,
 * the tutorial's (src/scenario/tutorial.c) and the Python tracer's
 * (src/pytrace/ptmon_trace.c), may include this header. Everyone else, the
 * monitor, the lab, batch output, the UI, the tests, goes through the
 * accessors of ctl.h, so the layout can change without them and no front
 * end writes a field the scenario processes read without synchronisation.
 *
 * Fixed layout, no pointers: every process maps it at its own address.
 */
#ifndef PTMON_CTL_LAYOUT_H
#define PTMON_CTL_LAYOUT_H

#include <stdatomic.h>
#include <stdint.h>

#include "ctl.h"

#define CTL_MAGIC	0x70746d6fu	/* "ptmo" */
#define CTL_VERSION	6

/*
 * One task (process or thread) of the scenario. The task writes its own
 * fields; the monitor reads them, and writes only the gate.
 * Aligned to a cache line so two racing threads do not share one.
 */
struct ctl_slot {
	_Atomic uint32_t	used;		/* 0 free, 1 taken */
	_Atomic int32_t		pid;
	_Atomic int32_t		tid;
	_Atomic int32_t		ppid;		/* of the process */
	char			role[CTL_ROLE_LEN];
	_Atomic uint32_t	doing;		/* enum ctl_doing */
	_Atomic uint32_t	at;		/* enum checkpoint */
	_Atomic int64_t		local;		/* value the task holds */
	_Atomic uint64_t	passed;		/* checkpoints passed gated */
	_Atomic uint64_t	iterations;
	_Atomic int64_t		arg;		/* the n of change_it(n) */
	_Atomic uint32_t	looping;	/* counted in ctl->loopers */
	/*
	 * What the task's threading.local() holds, as "student=Alice"
	 * (threadlocal): written by the task, read by the monitor, each
	 * byte on its own (a torn read shows a mixed name for a refresh).
	 */
	_Atomic char		text[CTL_TEXT_LEN];
	/* A traced Python thread's "file.py:LINE", written like text. */
	_Atomic char		where[CTL_WHERE_LEN];

	/* The gate. seq is the futex word: bumped on every change. */
	_Atomic uint32_t	seq;
	_Atomic uint32_t	paused;
	_Atomic uint32_t	credits;	/* steps granted, not yet taken */
} __attribute__((aligned(64)));

/*
 * A bounded FIFO of short strings, shared between processes. Its name ("",
 * not in use) is written before the scenario starts and read under the
 * lock.
 */
struct ctl_queue {
	_Atomic uint32_t	lock;		/* futex lock: 0 free, tid of holder */
	char			name[CTL_QUEUE_NAME_LEN];
	_Atomic uint32_t	put_seq;	/* futex word, bumped by put */
	_Atomic uint32_t	get_seq;	/* futex word, bumped by get */
	uint32_t		head;
	uint32_t		count;
	_Atomic uint32_t	puts;
	_Atomic uint32_t	gets;
	_Atomic uint32_t	getters_waiting;
	_Atomic uint32_t	putters_waiting;
	/*
	 * A traced program's queue mirrored (ctl_queue_mirror_put): items
	 * at its head that no longer fit in items[], not shown.
	 */
	_Atomic uint32_t	hidden;
	char			items[CTL_QUEUE_CAP][CTL_ITEM_LEN];
};

/* The race's shared balance and the lock scenario's mutex. */
struct ctl_balance {
	_Atomic int64_t		value;
	_Atomic int64_t		expected;
	_Atomic uint32_t	owner;		/* futex word: tid holding the lock */
	_Atomic uint32_t	waiters;
	_Atomic uint64_t	lost;		/* lost updates seen (stepping) */
};

/*
 * The Python lab's fields of a traced thread (see ctl.h): written by the
 * tracer at its slow path only (something is paused), byte by byte as
 * text is.
 */
struct ctl_pyslot {
	_Atomic char		path[CTL_PY_PATH_LEN];
	_Atomic int32_t		line;
	_Atomic int32_t		offset;
	_Atomic char		ops[CTL_PY_OPS_LEN];
	_Atomic int32_t		held;
	_Atomic uint64_t	held_seq;
	_Atomic char		held_repr[CTL_PY_REPR_LEN];
};

/* A watched module global of the traced program's __main__. */
struct ctl_pywatch {
	_Atomic uint32_t	used;		/* 0 free, 1 found, 2 picked */
	_Atomic char		name[CTL_PY_NAME_LEN];
	_Atomic char		repr[CTL_PY_REPR_LEN];
	_Atomic uint32_t	is_int;
	_Atomic int64_t		value;
	_Atomic uint64_t	writers;
	_Atomic uint64_t	stores;
	_Atomic uint64_t	lost;
	_Atomic int64_t		lost_sum;
};

struct ctl_py {
	_Atomic uint32_t	by_op;		/* step by instruction */
	_Atomic uint32_t	want;		/* the monitor wants values */
	struct ctl_pywatch	watch[CTL_PY_WATCH];
	struct ctl_pyslot	slots[CTL_MAX_TASKS];
};

struct ctl {
	uint32_t		magic;
	uint32_t		version;
	uint32_t		size;
	/*
	 * The speed sleeps are divided by, as the bits of a double: the
	 * UI writes it while scenario processes read it at every sleep.
	 */
	_Atomic uint64_t	speed_bits;
	/*
	 * The pace: seconds a task dwells at each statement-level
	 * checkpoint, as the bits of a double (0: full speed). Written by
	 * the UI, read at every statement.
	 */
	_Atomic uint64_t	pace_bits;
	/*
	 * Hot loops under a pace meet before each burst: how many tasks
	 * loop, and which tick of the grid the arrivals count (high 32
	 * bits) with how many have arrived at it (low 32).
	 */
	_Atomic uint32_t	loopers;
	_Atomic uint64_t	loop_arrivals;
	uint64_t		seed;
	_Atomic uint32_t	gated;		/* nonzero: some gate may be shut */
	_Atomic uint32_t	pause_new;	/* enum ctl_pause_mode */
	_Atomic uint32_t	ntasks;		/* slots ever taken */
	char			pause_names[CTL_NAMES_MAX][CTL_ROLE_LEN];
	/*
	 * The monitor's doorbell: bumped (futex word) whenever a task parks,
	 * blocks or ends while someone waits, so a schedule can step without
	 * polling.
	 */
	_Atomic uint32_t	doorbell;
	_Atomic uint32_t	doorbell_waiters;
	struct ctl_queue	queues[CTL_QUEUES];
	struct ctl_balance	balance;
	struct ctl_slot		slots[CTL_MAX_TASKS];
	struct ctl_py		py;		/* a traced Python program's */
};

/* Records where a task is about to block (sleep, join, queue, lock). */
static inline void
ctl_note_at(struct ctl *ctl, int slot, enum checkpoint at)
{
	atomic_store_explicit(&ctl->slots[slot].at, at, memory_order_relaxed);
}

#endif

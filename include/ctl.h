/*
 * The control block: one MAP_SHARED|MAP_ANONYMOUS mapping that ptmon makes
 * before it forks a scenario, inherited by every scenario process and
 * thread. It lets the monitor see inside the scenario (what each task is
 * doing, the checkpoint it stands at, the queue, the balance) and steer it
 * (pause, resume, step) through a futex gate per task.
 *
 * Fixed layout, no pointers: every process maps it at its own address.
 */
#ifndef PTMON_CTL_H
#define PTMON_CTL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "checkpoint.h"

#define CTL_MAGIC	0x70746d6fu	/* "ptmo" */
#define CTL_VERSION	1
#define CTL_MAX_TASKS	64
#define CTL_ROLE_LEN	16
#define CTL_QUEUE_CAP	16
#define CTL_ITEM_LEN	16
#define CTL_NAMES_MAX	8

/* Which new tasks start paused (ctl->pause_new). */
enum ctl_pause_mode {
	CTL_PAUSE_NONE = 0,
	CTL_PAUSE_ALL,			/* --paused, pause-all */
	CTL_PAUSE_ALL_BUT_ROOT,		/* the root sets up, the rest wait */
	CTL_PAUSE_NAMED,		/* tasks a schedule names */
};

/* What a task is doing, as the monitor shows it. */
enum ctl_doing {
	CTL_RUNNING = 0,
	CTL_SLEEPING,
	CTL_WAIT_QUEUE,
	CTL_WAIT_LOCK,
	CTL_WAIT_JOIN,
	CTL_PAUSED,
	CTL_DONE,
};

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

	/* The gate. seq is the futex word: bumped on every change. */
	_Atomic uint32_t	seq;
	_Atomic uint32_t	paused;
	_Atomic uint32_t	credits;	/* steps granted, not yet taken */
} __attribute__((aligned(64)));

/* A bounded FIFO of short strings, shared between processes. */
struct ctl_queue {
	_Atomic uint32_t	lock;		/* futex lock: 0 free, tid of holder */
	_Atomic uint32_t	put_seq;	/* futex word, bumped by put */
	_Atomic uint32_t	get_seq;	/* futex word, bumped by get */
	uint32_t		head;
	uint32_t		count;
	_Atomic uint32_t	puts;
	_Atomic uint32_t	gets;
	_Atomic uint32_t	getters_waiting;
	_Atomic uint32_t	putters_waiting;
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

struct ctl {
	uint32_t		magic;
	uint32_t		version;
	uint32_t		size;
	double			speed;		/* sleeps are divided by this */
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
	struct ctl_queue	queue;
	struct ctl_balance	balance;
	struct ctl_slot		slots[CTL_MAX_TASKS];
};

/* Maps a fresh control block; returns NULL and sets errno on failure. */
struct ctl	*ctl_new(double speed, uint64_t seed);
/* Unmaps a control block made by ctl_new. */
void		 ctl_free(struct ctl *);

/* Takes a free slot for the calling task; returns its index or -1 if full. */
int		 ctl_slot_take(struct ctl *, const char *role);
/* Marks a slot done; the monitor keeps showing it until it is reused. */
void		 ctl_slot_done(struct ctl *, int slot);

/* Gives a slot back: its task is about to exec another program. */
void		 ctl_slot_release(struct ctl *, int slot);

/*
 * Slow path of ctl_checkpoint: records that the task stands at `at` and
 * waits there while its gate is shut.
 */
void		 ctl_gate_wait(struct ctl *, int slot, enum checkpoint at);

/*
 * The task stands at checkpoint `at`, and waits there while its gate is
 * shut. While nothing is paused this is one relaxed load and nothing else,
 * so the race races at full speed; what the task stands at is recorded on
 * the slow path only, where the monitor can see it stand still.
 */
static inline void
ctl_checkpoint(struct ctl *ctl, int slot, enum checkpoint at)
{
	if (atomic_load_explicit(&ctl->gated, memory_order_relaxed))
		ctl_gate_wait(ctl, slot, at);
}

/*
 * Before `*target = value + n`: like ctl_checkpoint_holding, and when gated
 * also counts a lost update if *target changed since the task read `value`
 * (its write will overwrite another task's).
 */
void		 ctl_write_gate(struct ctl *, int slot, enum checkpoint at,
		    int64_t value, _Atomic int64_t *target);

static inline void
ctl_checkpoint_write(struct ctl *ctl, int slot, enum checkpoint at,
    int64_t value, _Atomic int64_t *target)
{
	if (atomic_load_explicit(&ctl->gated, memory_order_relaxed))
		ctl_write_gate(ctl, slot, at, value, target);
}

/* Like ctl_checkpoint, and shows `value` as what the task holds. */
static inline void
ctl_checkpoint_holding(struct ctl *ctl, int slot, enum checkpoint at,
    int64_t value)
{
	if (atomic_load_explicit(&ctl->gated, memory_order_relaxed)) {
		atomic_store_explicit(&ctl->slots[slot].local, value,
		    memory_order_relaxed);
		ctl_gate_wait(ctl, slot, at);
	}
}

/* Records where a task is about to block (sleep, join, queue, lock). */
static inline void
ctl_note_at(struct ctl *ctl, int slot, enum checkpoint at)
{
	atomic_store_explicit(&ctl->slots[slot].at, at, memory_order_relaxed);
}

/* Sleeps `seconds`/speed; a paused task's sleep clock stops. */
void		 ctl_sleep(struct ctl *, int slot, double seconds);

/*
 * Monitor side: pause, resume, or step one checkpoint. -1 on a bad slot;
 * a step is refused (-1) for a task that is not paused, that waits on a
 * queue, lock or join (it stays waiting), or that has ended.
 */
int		 ctl_pause(struct ctl *, int slot);
int		 ctl_resume(struct ctl *, int slot);
int		 ctl_step(struct ctl *, int slot);
/* Pauses or resumes every task, including tasks not yet started. */
void		 ctl_pause_all(struct ctl *);
void		 ctl_resume_all(struct ctl *);
/*
 * Before the scenario starts: which tasks start paused. For
 * CTL_PAUSE_NAMED, names[0..n) are the roles (at most CTL_NAMES_MAX).
 */
void		 ctl_pause_new(struct ctl *, enum ctl_pause_mode,
		    const char names[][CTL_ROLE_LEN], int n);
/* The slot of the (last started) task with that role, or -1. */
int		 ctl_find_role(const struct ctl *, const char *role);

/* Task side: the task blocks (queue, lock, join) or goes on again. */
void		 ctl_block(struct ctl *, int slot, enum ctl_doing doing);
void		 ctl_unblock(struct ctl *, int slot);
/* Monitor side: the doorbell's value now, and a wait for it to change. */
uint32_t	 ctl_doorbell(struct ctl *);
void		 ctl_wait_doorbell(struct ctl *, uint32_t seen, double seconds);
/* True when the task waits on a queue, a lock or a join. */
bool		 ctl_is_blocked(const struct ctl *, int slot);
/* True when the slot's task is parked at its gate. */
bool		 ctl_is_parked(const struct ctl *, int slot);

/* Puts a copy of `item` (truncated) at the tail; blocks while full. */
void		 ctl_queue_put(struct ctl *, int slot, const char *item);
/* Takes the head into buf (CTL_ITEM_LEN bytes); blocks while empty. */
void		 ctl_queue_get(struct ctl *, int slot, char *buf);
/* Copies the queue's items in order; returns how many (<= CTL_QUEUE_CAP). */
unsigned	 ctl_queue_peek(struct ctl *, char items[][CTL_ITEM_LEN]);

/* Takes and gives back the balance mutex (a futex keyed by tid). */
void		 ctl_lock(struct ctl *, int slot);
void		 ctl_unlock(struct ctl *, int slot);

/* Name of a doing state, for display: "running", "sleeping"… */
const char	*ctl_doing_name(enum ctl_doing);

/* --- Monitor side: what the control block says, read through these. --- */

/* Sleeps are divided by the speed; read by scenario processes at each sleep. */
double		 ctl_speed(const struct ctl *);
void		 ctl_set_speed(struct ctl *, double speed);
uint64_t	 ctl_seed(const struct ctl *);
/* True while new tasks start paused (--paused, or pause-all is on). */
bool		 ctl_pausing_new(const struct ctl *);

struct ctl_balance_view {
	long long		 value, expected;
	pid_t			 owner;		/* tid holding the lock, 0 none */
	unsigned		 waiters;
	unsigned long long	 lost;
};
void		 ctl_balance_read(const struct ctl *, struct ctl_balance_view *);

struct ctl_queue_view {
	unsigned	 nitems;
	char		 items[CTL_QUEUE_CAP][CTL_ITEM_LEN];
	unsigned	 puts, gets, getters_waiting, putters_waiting;
};
void		 ctl_queue_read(struct ctl *, struct ctl_queue_view *);

/* One task of the scenario as the monitor sees it. */
struct ctl_task_view {
	int			 slot;
	pid_t			 pid, tid, ppid;
	char			 role[CTL_ROLE_LEN];	/* NUL-terminated */
	enum ctl_doing		 doing;
	enum checkpoint		 at;
	bool			 paused;	/* its gate is shut */
	bool			 stepping;	/* paused, a step granted and not taken */
	long long		 local, arg;
	unsigned long long	 iterations;
};
/*
 * Walks the used slots: start with *cursor = 0; fills *out and returns true
 * while there is one more task, false at the end.
 */
bool		 ctl_task_next(const struct ctl *, int *cursor,
		    struct ctl_task_view *out);

#endif

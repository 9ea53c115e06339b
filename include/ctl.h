/*
 * The control block: one MAP_SHARED|MAP_ANONYMOUS mapping that ptmon makes
 * before it forks a scenario, inherited by every scenario process and
 * thread. It lets the monitor see inside the scenario (what each task is
 * doing, the checkpoint it stands at, the queue, the balance) and steer it
 * (pause, resume, step) through a futex gate per task.
 *
 * The block is closed: its layout is private (ctl_layout.h). The monitor
 * reads it through the views below, copies taken field by field with
 * atomic loads, and steers it through the functions that follow.
 */
#ifndef PTMON_CTL_H
#define PTMON_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "checkpoint.h"

#define CTL_MAX_TASKS	64
#define CTL_ROLE_LEN	16
#define CTL_QUEUE_CAP	16
/* A queue item, with its NUL: holds "10000 * 10000 = 100000000". */
#define CTL_ITEM_LEN	32
/* What a task's local holds, shown beside it ("student=Alice"). */
#define CTL_TEXT_LEN	16
/* Named queues in the block: "queue", or task_queue and result_queue. */
#define CTL_QUEUES	2
#define CTL_QUEUE_NAME_LEN	16
#define CTL_NAMES_MAX	8
/* "race.py:12": where a traced Python thread stands (see ctl_set_where). */
#define CTL_WHERE_LEN	32

struct ctl;

/* Which new tasks start paused (see ctl_pause_new). */
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

/* Maps a fresh control block; returns NULL and sets errno on failure. */
struct ctl	*ctl_new(double speed, uint64_t seed);
/*
 * The same, on a sealed memfd (it cannot shrink or grow), for a program
 * ptmon execs: *fd is the memfd (close-on-exec; the caller hands it on
 * and closes it), ctl_size() its length. Such a block is written by a
 * process ptmon does not control: every view below bounds what it reads.
 */
struct ctl	*ctl_new_shared(double speed, uint64_t seed, int *fd);
size_t		 ctl_size(void);
/*
 * Task side, in an exec'd program: maps the block behind fd (size bytes,
 * as the monitor said). NULL with a one-line *why when fd is not one.
 */
struct ctl	*ctl_attach(int fd, size_t size, const char **why);
/* Unmaps a control block made by ctl_new, ctl_new_shared or ctl_attach. */
void		 ctl_free(struct ctl *);

/* Sleeps are divided by the speed; atomic, read by scenario processes at each sleep. */
double		 ctl_speed(const struct ctl *);
void		 ctl_set_speed(struct ctl *, double speed);
uint64_t	 ctl_seed(const struct ctl *);
/*
 * The pace: seconds each statement-level checkpoint takes (a visible beat),
 * 0 for full speed. Setting it wakes every beat in progress, so a change
 * shows at once.
 */
double		 ctl_pace(const struct ctl *);
void		 ctl_set_pace(struct ctl *, double seconds);
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
	char		 name[CTL_QUEUE_NAME_LEN];	/* NUL-terminated */
	unsigned	 nitems;
	char		 items[CTL_QUEUE_CAP][CTL_ITEM_LEN];
	unsigned	 puts, gets, getters_waiting, putters_waiting;
	/* A mirrored queue's items ahead of items[0] that are not shown. */
	unsigned	 hidden;
};
/*
 * Queue q as it is now; false when q is out of range or has no name (the
 * scenario does not use it).
 */
bool		 ctl_queue_read(struct ctl *, int q, struct ctl_queue_view *);
/*
 * Names queue q (cut to fit), before the scenario starts; "" takes it out
 * of use. A fresh block has one queue, 0, named "queue".
 */
void		 ctl_queue_name(struct ctl *, int q, const char *name);

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
	char			 text[CTL_TEXT_LEN];	/* its local, "" none */
	char			 where[CTL_WHERE_LEN];	/* "race.py:12", "" none */
};
/*
 * Walks the used slots: start with *cursor = 0; fills *out and returns true
 * while there is one more task, false at the end.
 */
bool		 ctl_task_next(const struct ctl *, int *cursor, struct ctl_task_view *out);
/* The task in that slot; false when the slot is free or out of range. */
bool		 ctl_task(const struct ctl *, int slot, struct ctl_task_view *out);
/*
 * How many checkpoints the slot's task has got through while gated: it
 * grows by one when a step is taken, which tells the lab a step is done.
 */
uint64_t	 ctl_checkpoints_passed(const struct ctl *, int slot);

/*
 * Task side: takes a free slot for the calling task; its index or -1.
 * When every slot is taken, the slot of a task that is done is reused.
 */
int		 ctl_slot_take(struct ctl *, const char *role);
/* Marks a slot done; the monitor keeps showing it until it is reused. */
void		 ctl_slot_done(struct ctl *, int slot);
/* Gives a slot back: its task is about to exec another program. */
void		 ctl_slot_release(struct ctl *, int slot);

/*
 * Task side, the slow path of a checkpoint (tutorial.h's checkpoint()):
 * records that the task stands at `at` and waits there while its gate is
 * shut.
 */
void		 ctl_gate_wait(struct ctl *, int slot, enum checkpoint at);
/*
 * The slow path of tutorial.h's checkpoint_write(), before `*target =
 * value ± n`: shows `value` as what the task holds, waits like
 * ctl_gate_wait, then counts a lost update if *target changed since the
 * task read `value` (its write will overwrite another task's).
 */
void		 ctl_write_gate(struct ctl *, int slot, enum checkpoint at,
		    int64_t value, _Atomic int64_t *target);

/*
 * Task side: the beat of a statement-level checkpoint. The task shows `at`
 * and dwells there for the pace, unless it is being stepped (its gate is
 * shut: the person sets the pace). Paused during the beat, it parks at
 * `at`; resumed or stepped, it goes on at once.
 */
void		 ctl_beat(struct ctl *, int slot, enum checkpoint at);
/*
 * A hot loop under a pace runs in bursts of a fixed number of rounds at
 * full speed (tutorial.h's LOOP_BEAT_EVERY), each started on a tick of a
 * grid of CTL_LOOP_TICKS_PER_BEAT ticks per beat, on a clock every task
 * shares, once every looping task is there. Two looping threads so burst
 * at the same instant and really race, and a loop of two million rounds
 * is spread over seconds a person can watch.
 */
#define CTL_LOOP_TICKS_PER_BEAT		5
/* The longest a looping task waits for the others before its burst. */
#define CTL_LOOP_MEET			0.005

/*
 * Task side, between two bursts of a hot loop: shows `at` and
 * `iterations` and, when a pace is set, waits for the next burst's start.
 */
void		 ctl_loop_beat(struct ctl *, int slot, enum checkpoint at,
		    uint64_t iterations);
/* Task side: the task's loop is over; the others no longer meet it. */
void		 ctl_loop_end(struct ctl *, int slot);

/* Task side: sleeps `seconds`/speed; a paused task's sleep clock stops. */
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

/* Task side: shows `text` (cut to fit) as what the task's local holds. */
void		 ctl_set_text(struct ctl *, int slot, const char *text);
/*
 * Task side: shows `where` (cut to fit), the source line a traced Python
 * thread stands at; the monitor shows it for checkpoint CP_LINE.
 */
void		 ctl_set_where(struct ctl *, int slot, const char *where);
/*
 * Task side: the task of this slot is named `role` from now on (a
 * multiprocessing child learns its name after the fork).
 */
void		 ctl_set_role(struct ctl *, int slot, const char *role);

/* Task side: the task blocks (queue, lock, join) or goes on again. */
void		 ctl_block(struct ctl *, int slot, enum ctl_doing doing);
void		 ctl_unblock(struct ctl *, int slot);
/* Monitor side: the doorbell's value now, and a wait for it to change. */
uint32_t	 ctl_doorbell(struct ctl *);
void		 ctl_wait_doorbell(struct ctl *, uint32_t seen, double seconds);
/*
 * The OS name of a traced Python's watcher thread (ptmon_trace.c): the
 * driver leaves it out of the samples (model_is_unnamed).
 */
#define CTL_WATCHER_NAME	"ptmon-watcher"
/*
 * Task side: waits while the gated word is `seen`, at most `seconds`
 * (the word is woken whenever it changes).
 */
void		 ctl_wait_gated(struct ctl *, uint32_t seen, double seconds);
/* True when the task waits on a queue, a lock or a join. */
bool		 ctl_is_blocked(const struct ctl *, int slot);
/* True when the slot's task is parked at its gate. */
bool		 ctl_is_parked(const struct ctl *, int slot);

/*
 * Puts a copy of `item` (cut to CTL_ITEM_LEN - 1 bytes) at the tail of
 * queue q; blocks while it is full. -1 when q is not a queue in use.
 */
int		 ctl_queue_put(struct ctl *, int slot, int q, const char *item);
/*
 * Takes the head of queue q into buf (len bytes, NUL-terminated, cut to
 * fit); blocks while it is empty, at most `timeout` seconds when timeout
 * >= 0 (real seconds: the caller divides by the speed), for ever when it is
 * negative. False, with buf "", when the time ran out or q is not in use.
 */
bool		 ctl_queue_get(struct ctl *, int slot, int q, char *buf,
		    size_t len, double timeout);

/*
 * A traced program's own queues (a Python queue.Queue or
 * multiprocessing.Queue), mirrored in the block's queues as the program
 * puts and gets: the program's queue holds the items, the block only
 * shows them, so nothing here blocks the program. Every one of these
 * waits at most a few milliseconds for the queue's lock (a process
 * killed holding it gives it up) and then does nothing.
 *
 * ctl_queue_claim takes a queue not in use and names it `name`, or
 * "Queue-N" (N its index + 1) when name is "": its index, or -1 when
 * every queue is taken.
 */
int		 ctl_queue_claim(struct ctl *, const char *name);
/*
 * An item (cut to CTL_ITEM_LEN - 1 bytes) is put at the tail of mirrored
 * queue q; when the mirror is full, its head item is counted in `hidden`
 * instead. ctl_queue_mirror_unput takes back the newest item equal to
 * `item` (a put that failed after it was shown).
 */
void		 ctl_queue_mirror_put(struct ctl *, int q, const char *item);
void		 ctl_queue_mirror_unput(struct ctl *, int q, const char *item);
/*
 * An item was got from mirrored queue q: a hidden one if any, else the
 * first shown item equal to `item`, else the head.
 */
void		 ctl_queue_mirror_got(struct ctl *, int q, const char *item);
/*
 * The slot's task starts (on) or stops waiting to put (put) or to get
 * from mirrored queue q: the queue's waiter counts and the task's doing.
 */
void		 ctl_queue_mirror_wait(struct ctl *, int slot, int q, bool put,
		    bool on);
/* How many of the block's queues are in use (named): 0 to CTL_QUEUES. */
int		 ctl_queues_named(const struct ctl *);

/* Takes and gives back the balance mutex (a futex keyed by tid). */
void		 ctl_lock(struct ctl *, int slot);
void		 ctl_unlock(struct ctl *, int slot);

/*
 * The Python lab: what a traced program's tracer (src/pytrace/) tells of
 * its threads beyond a line (the file, the line's instructions, the one
 * each thread runs next, the value it holds between a load and a store of
 * a watched name) and of the watched module globals of its __main__.
 * Written by a program ptmon does not control: the views bound, clamp and
 * NUL-terminate every field; model.c sanitises the text.
 */
#define CTL_PY_PATH_LEN		192	/* the source file's path */
#define CTL_PY_OPS_LEN		320	/* the line's instructions, a record */
#define CTL_PY_NAME_LEN		24	/* a watched name */
#define CTL_PY_REPR_LEN		24	/* a short repr of a value */
#define CTL_PY_WATCH		8	/* watched names */
#define CTL_PY_LINE_MAX		10000000	/* lines and offsets above: none */

struct ctl_py_task_view {
	char			 path[CTL_PY_PATH_LEN];	/* "" none */
	int			 line;		/* 0 none */
	int			 offset;	/* its next instruction's, -1 none */
	/* "OFFSET OPNAME ARGREPR\n" per instruction of the line (pylab.h). */
	char			 ops[CTL_PY_OPS_LEN];
	int			 held;		/* the watched name it loaded, -1 */
	unsigned long long	 held_seq;	/* the name's stores at its load */
	char			 held_repr[CTL_PY_REPR_LEN];
};
/* A traced Python thread's lab fields; false when it has none. */
bool		 ctl_py_task(const struct ctl *, int slot,
		    struct ctl_py_task_view *out);

struct ctl_py_watch_view {
	char			 name[CTL_PY_NAME_LEN];
	char			 repr[CTL_PY_REPR_LEN];	/* "" not yet seen */
	bool			 picked;	/* --watch named it */
	bool			 is_int;	/* value holds it */
	long long		 value;
	unsigned long long	 writers;	/* bit per slot that stored it */
	unsigned long long	 stores;	/* stores seen */
	unsigned long long	 lost;		/* stores from a stale load */
	long long		 lost_sum;	/* what those overwrote (ints) */
};
/* Watched name i; false when i is out of range or unused. */
bool		 ctl_py_watch(const struct ctl *, int i,
		    struct ctl_py_watch_view *out);
/*
 * The index of the watched `name` (a Python identifier, cut to fit),
 * taking a free entry for it when it has none (picked: named by --watch);
 * -1 when every entry is taken.
 */
int		 ctl_py_watch_add(struct ctl *, const char *name, bool picked);
/* Monitor side: Python threads step one instruction (true) or one line. */
void		 ctl_py_set_by_op(struct ctl *, bool by_op);
bool		 ctl_py_by_op(const struct ctl *);
/*
 * Monitor side: asks the tracer for the watched values' reprs now (the
 * next line event of any thread publishes them); task side: true once
 * per request.
 */
void		 ctl_py_want(struct ctl *);
bool		 ctl_py_wanted(struct ctl *);
/* Task side: its line (path, line, the line's instructions record). */
void		 ctl_py_set_line(struct ctl *, int slot, const char *path,
		    int line, const char *ops);
/* Task side: the offset of the instruction it runs next, -1 none. */
void		 ctl_py_set_offset(struct ctl *, int slot, int offset);
/* Task side: it holds what it loaded of watched name i (-1: nothing). */
void		 ctl_py_set_held(struct ctl *, int slot, int i,
		    unsigned long long seq, const char *repr);
/* Task side: watched name i's value now. */
void		 ctl_py_set_value(struct ctl *, int i, const char *repr,
		    bool is_int, long long value);
/*
 * Task side: the task of `slot` stores watched name i. Stale (another
 * store since its load): a lost update, which overwrote `lost` (ints).
 * Returns the name's stores before this one.
 */
unsigned long long ctl_py_store(struct ctl *, int slot, int i, bool stale,
		    long long lost);

/* Name of a doing state, for display: "running", "sleeping"… */
const char	*ctl_doing_name(enum ctl_doing);

#endif

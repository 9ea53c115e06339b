/*
 * What the tutorial's Python gives its programs, in C, so that scenario code
 * reads like the tutorial: print, os.fork, multiprocessing.Process with join
 * and terminate, threading.Thread, time.sleep, random.random, and the
 * checkpoints ptmon steps through. Every call here is gate-aware: it goes
 * through the control block, so the monitor can see and pause it.
 */
#ifndef PTMON_TUTORIAL_H
#define PTMON_TUTORIAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "checkpoint.h"

struct ctl;

/* A child process, as multiprocessing.Process. */
struct process {
	pid_t		 pid;
	int		 pidfd;
};

/* A thread, as threading.Thread. */
struct thread {
	pthread_t	 handle;
	char		 name[16];
	void		(*target)(void *);
	void		*arg;
};

/* Binds the calling (scenario root) process to the block and output fd. */
void		 tutorial_begin(struct ctl *, int out_fd, const char *role);
/* Marks the calling task done; the root calls it before it returns. */
void		 tutorial_end(void);

/* Gives up the task's slot before it execs another program. */
void		 tutorial_leave(void);

/*
 * The scenario's shared balance, zeroed with its count of lost updates. It
 * lives in the control block, so the monitor sees it.
 */
_Atomic int64_t	*tutorial_new_balance(void);

/* print(): one line, written whole, tagged with the caller's pid. */
void		 print(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
/* Like print, tagged with another pid (output of a command we ran). */
void		 print_as(pid_t pid, const char *text);

/*
 * What the inline checkpoints below touch, set when the task binds to the
 * block: its "some gate may be shut" word, the pace (nonzero bits: a beat
 * per statement), and the calling task's iteration counter. Pointers into
 * the block, so this header needs no layout of it.
 */
extern _Atomic uint32_t			*tutorial_gated_word;
extern _Atomic uint64_t			*tutorial_pace_word;
extern __thread _Atomic uint64_t	*tutorial_my_iterations;

/* The slow paths of the checkpoints below, out of line. */
void		 tutorial_gate(enum checkpoint at) __attribute__((cold));
void		 tutorial_beat(enum checkpoint at) __attribute__((cold));
void		 tutorial_loop_beat(uint64_t i) __attribute__((cold));
void		 tutorial_gate_write(enum checkpoint at, int64_t value,
		    _Atomic int64_t *target) __attribute__((cold));

/* True while some gate may be shut: the one load of the fast path. */
static inline bool
tutorial_gated(void)
{
#ifndef PTMON_CHECKPOINTS_OFF
	return atomic_load_explicit(tutorial_gated_word,
	    memory_order_relaxed) != 0;
#else
	return false;
#endif
}

/* True while statements take a visible beat (the UI's pace). */
static inline bool
tutorial_pacing(void)
{
	return atomic_load_explicit(tutorial_pace_word,
	    memory_order_relaxed) != 0;
}

/*
 * A statement: stands at checkpoint `at`, waits there while paused, and
 * takes the pace's beat, so a person can see it happen. For statements
 * outside hot loops (print, fork, start, join, put, get…).
 */
static inline void
checkpoint(enum checkpoint at)
{
	if (tutorial_gated())
		tutorial_gate(at);
	if (tutorial_pacing())
		tutorial_beat(at);
}

/*
 * A checkpoint inside a hot loop (change_it, the lock): waits while paused,
 * takes no beat. Inline: the race calls it eight million times and must
 * still race at full speed. Compiled out with PTMON_CHECKPOINTS_OFF, for
 * the benchmark's plain loop.
 */
static inline void
loop_checkpoint(enum checkpoint at)
{
#ifndef PTMON_CHECKPOINTS_OFF
	if (tutorial_gated())
		tutorial_gate(at);
#else
	(void)at;
#endif
}

/*
 * Stands at `at` before writing `value`-based data to *target, showing
 * `value` as what the task holds; while gated it counts a lost update when
 * *target changed since the task read it. A hot-loop checkpoint.
 */
static inline void
checkpoint_write(enum checkpoint at, int64_t value, _Atomic int64_t *target)
{
#ifndef PTMON_CHECKPOINTS_OFF
	if (tutorial_gated())
		tutorial_gate_write(at, value, target);
#else
	(void)at;
	(void)value;
	(void)target;
#endif
}

/* Rounds of a hot loop in one burst (a power of two), see ctl.h. */
#define LOOP_BEAT_EVERY	(1L << 17)

/*
 * Shows which time round its loop the task is (i of range()). Like a
 * checkpoint it costs one relaxed load while nothing is paused: the count
 * only matters to someone watching a paused task. With a pace set, the
 * loop runs in short bursts at full speed that start at the same instants
 * in every thread (ctl_loop_beat): spread over seconds a person can
 * watch, and still a race.
 */
static inline void
loop_iteration(long i)
{
#ifndef PTMON_CHECKPOINTS_OFF
	if (tutorial_gated())
		atomic_store_explicit(tutorial_my_iterations, (uint64_t)i,
		    memory_order_relaxed);
	if ((i & (LOOP_BEAT_EVERY - 1)) == 0 && tutorial_pacing())
		tutorial_loop_beat((uint64_t)i);
#else
	(void)i;
#endif
}

/*
 * Shows what the calling thread's threading.local() holds for `name`
 * ("student=Alice"), so the monitor can show it beside the thread.
 */
void		 show_local(const char *name, const char *value);

/* Shows `value` as what the task holds (LoopThread's n). */
void		 hold(int64_t value);

/* time.sleep(): gate-aware and divided by --speed. */
void		 time_sleep(double seconds);
/* time.time(): seconds, monotonic. */
double		 time_time(void);
/* random.random(): [0, 1), seeded by --seed and the task's slot. */
double		 random_random(void);

/* os.fork(): a child that dies with its parent and has its own slot. */
pid_t		 os_fork(const char *child_role);
/* Process(target=…).start(); the child runs target(arg) and exits 0. */
void		 process_start(struct process *, const char *role,
		    void (*target)(void *), void *arg);
/* p.join(): waits for the child; returns its exit status or -signal. */
int		 process_join(struct process *);
/* sys.exit(status) in a child process: its task ends, the process exits. */
void		 sys_exit(int status) __attribute__((noreturn));
/* p.terminate(): sends SIGTERM through the child's pidfd. */
void		 process_terminate(struct process *);

/* q.put(value): appends to the scenario's shared queue. */
void		 queue_put(const char *value);
/* q.get(True): takes the head into value[16], waiting while empty. */
void		 queue_get(char value[16]);
/* True when the queue is empty and someone waits in get. */
bool		 queue_drained(void);

/*
 * The named queues of the control block (a scenario's .queues), for a
 * process that keeps queues for others, as a manager's server does: the
 * index of the queue of that name or -1; a put; a get that waits at most
 * `timeout` seconds (divided by --speed; negative: for ever) and returns
 * false when nothing came (queue.Empty).
 */
int		 shared_queue_find(const char *name);
int		 shared_queue_put(int q, const char *value);
bool		 shared_queue_get(int q, char *value, size_t len,
		    double timeout);
/*
 * The calling task waits on a queue another process keeps (a proxy's
 * call, waiting for the manager's answer), standing at `at`; and goes on.
 */
void		 queue_wait_begin(enum checkpoint at);
void		 queue_wait_end(void);

/* lock.acquire() and lock.release() of the one threading.Lock. */
void		 lock_acquire(void);
void		 lock_release(void);

/*
 * For a lock of the scenario's own (multicore's GIL): the calling task
 * stands at `at` and shows as waiting on a lock until lock_wait_end(),
 * so the tree shows it waiting. A step is refused while it waits.
 */
void		 lock_wait_begin(enum checkpoint at);
void		 lock_wait_end(void);

/*
 * The calling task stands at `at` (what the monitor's AT column shows),
 * with no gate and no beat: for a hot loop, said once as it is entered.
 */
void		 stand_at(enum checkpoint at);

/* threading.Thread(target=…, name=…).start(). */
void		 thread_start(struct thread *, const char *name,
		    void (*target)(void *), void *arg);
/* t.join(). */
void		 thread_join(struct thread *);
/* threading.current_thread().name. */
const char	*current_thread_name(void);

#endif

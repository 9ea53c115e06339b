/*
 * Multicore: the tutorial's dead loop, one thread per CPU core.
 *
 *	import threading, multiprocessing
 *
 *	def loop():
 *	    x = 0
 *	    while True:
 *	        x = x ^ 1
 *
 *	for i in range(multiprocessing.cpu_count()):
 *	    t = threading.Thread(target=loop)
 *	    t.start()
 *
 * CPython runs one thread at a time under its global interpreter lock, so on
 * 4 cores the tutorial saw only 102% CPU. C threads have no such lock: each
 * runs on a core of its own, near 100% each. gil=1 adds one, as CPython's,
 * and the same tree shows about one core's worth in all.
 *
 * The tutorial's loop never ends; here MainThread lets it run `seconds`
 * (divided by --speed, as time.sleep), then tells the loops to stop and
 * joins them.
 */
#include "config.h"	/* _GNU_SOURCE: sched_getaffinity, CPU_COUNT */

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

#define MULTICORE_MAX_THREADS	32

/* The longest a thread waits for the GIL before it asks for it (5 ms). */
#define GIL_SWITCH_INTERVAL_NS	5000000L

/* while True: until MainThread's `seconds` are up. */
static atomic_bool	stop;
static bool		use_gil;

/*
 * The GIL, as CPython's (Python/ceval_gil.c) in miniature. A thread runs
 * loop() only while it holds the lock. A thread that wants it sleeps on a
 * condition variable; when it has waited a switch interval (5 ms,
 * sys.getswitchinterval()) and the lock has not changed hands, it sets
 * drop_request. The holder looks at drop_request between "bytecodes" (the
 * eval breaker) and, when set, drops the lock and queues for it again.
 *
 * Fair by tickets: each take draws the next ticket and waits until it is
 * served, so the lock goes round the threads in turn and the one that
 * dropped it cannot take it straight back (CPython's FORCE_SWITCHING).
 * Waiters sleep: the whole process uses about one core.
 */
static struct {
	pthread_mutex_t	 mutex;
	pthread_cond_t	 turn;		/* now_serving moved on */
	unsigned long	 next_ticket;	/* under mutex */
	unsigned long	 now_serving;	/* under mutex */
	atomic_bool	 drop_request;	/* read by the holder, unlocked */
} gil = { .mutex = PTHREAD_MUTEX_INITIALIZER };

/* A pthread call that must not fail; if it does, say so and exit. */
static void
must(int err, const char *what)
{
	if (err != 0) {
		dprintf(STDERR_FILENO, "ptmon: multicore: %s: %s\n", what,
		    strerror(err));
		_exit(71);
	}
}

/* The GIL's condition variable times its waits on the monotonic clock. */
static void
gil_init(void)
{
	pthread_condattr_t attr;

	must(pthread_condattr_init(&attr), "pthread_condattr_init");
	must(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC),
	    "pthread_condattr_setclock");
	must(pthread_cond_init(&gil.turn, &attr), "pthread_cond_init");
	must(pthread_condattr_destroy(&attr), "pthread_condattr_destroy");
	gil.next_ticket = gil.now_serving = 0;
	atomic_store(&gil.drop_request, false);
}

static void
gil_destroy(void)
{
	must(pthread_cond_destroy(&gil.turn), "pthread_cond_destroy");
}

/* take_gil(): waits for our turn, asking for it after each interval. */
static void
gil_take(void)
{
	unsigned long ticket;

	must(pthread_mutex_lock(&gil.mutex), "pthread_mutex_lock");
	ticket = gil.next_ticket++;
	if (ticket != gil.now_serving) {
		lock_wait_begin(CP_TAKE_GIL);
		while (ticket != gil.now_serving) {
			unsigned long serving = gil.now_serving;
			struct timespec until;
			int err;

			if (clock_gettime(CLOCK_MONOTONIC, &until) < 0)
				must(errno, "clock_gettime");
			until.tv_nsec += GIL_SWITCH_INTERVAL_NS;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			err = pthread_cond_timedwait(&gil.turn, &gil.mutex,
			    &until);
			if (err == ETIMEDOUT && gil.now_serving == serving)
				atomic_store(&gil.drop_request, true);
			else if (err != ETIMEDOUT)
				must(err, "pthread_cond_timedwait");
		}
		lock_wait_end();
		stand_at(CP_XOR);	/* back in the loop */
	}
	/* Ours now: a request made of the last holder is answered. */
	atomic_store(&gil.drop_request, false);
	must(pthread_mutex_unlock(&gil.mutex), "pthread_mutex_unlock");
}

/* drop_gil(): serves the next ticket and wakes the waiters. */
static void
gil_drop(void)
{
	must(pthread_mutex_lock(&gil.mutex), "pthread_mutex_lock");
	gil.now_serving++;
	if (gil.next_ticket != gil.now_serving)
		must(pthread_cond_broadcast(&gil.turn),
		    "pthread_cond_broadcast");
	must(pthread_mutex_unlock(&gil.mutex), "pthread_mutex_unlock");
}

/*
 * Between two "bytecodes" of loop(): where ptmon can pause the thread,
 * and with gil=1 where the holder gives the GIL to a thread that asked.
 * A loop_checkpoint, not a checkpoint: no beat, so the loop stays at full
 * speed whatever the UI's pace. While some gate may be shut, a thread
 * stands at its gate without the GIL (as a Python thread blocked in C
 * code), so pausing one thread does not stop the others.
 */
static inline void
eval_breaker(void)
{
	if (!use_gil) {
		loop_checkpoint(CP_XOR);
	} else if (tutorial_gated()) {
		gil_drop();
		loop_checkpoint(CP_XOR);
		gil_take();
	} else if (atomic_load_explicit(&gil.drop_request,
	    memory_order_relaxed)) {
		gil_drop();
		gil_take();
	}
}

static void
loop(void *unused)
{
	unsigned x;

	(void)unused;
	checkpoint(CP_PRINT);
	print("thread %s is running...", current_thread_name());
	if (use_gil)
		gil_take();
	x = 0;
	stand_at(CP_XOR);
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		eval_breaker();
		x = x ^ 1;
	}
	if (use_gil)
		gil_drop();
	/* x is observable: the loop's work cannot be optimised away. */
	hold(x);
}

/* multiprocessing.cpu_count(): the cores this process may run on. */
static long
cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n < MULTICORE_MAX_THREADS ? n : MULTICORE_MAX_THREADS;
}

static int
multicore_main(const struct params *params)
{
	const struct param_value *threads = params_get(params, "threads");
	struct thread t[MULTICORE_MAX_THREADS];
	char name[16];
	double start, together;
	long i, n;

	n = threads->set ? threads->num : cpu_count();
	use_gil = params_int(params, "gil") != 0;
	atomic_store(&stop, false);
	if (use_gil)
		gil_init();
	/* for i in range(multiprocessing.cpu_count()): */
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "Thread-%d", (int)(i + 1));
		/* t = threading.Thread(target=loop); t.start() */
		thread_start(&t[i], name, loop, NULL);
	}
	start = time_time();	/* all of them loop from here */
	time_sleep((double)params_int(params, "seconds"));
	atomic_store(&stop, true);
	together = time_time() - start;
	for (i = 0; i < n; i++)
		thread_join(&t[i]);
	if (use_gil)
		gil_destroy();
	checkpoint(CP_PRINT);
	print("%ld threads looped together for %.1f seconds%s.", n, together,
	    use_gil ? ", one at a time (gil=1)" : "");
	return 0;
}

static const struct param_def multicore_params[] = {
	{ .name = "threads", .kind = PARAM_INT, .def = "", .min = 1,
	  .max = MULTICORE_MAX_THREADS, .unset = N_("one per core"),
	  .help = N_("threads running loop() (default multiprocessing."
	  "cpu_count(), at most 32)") },
	{ .name = "seconds", .kind = PARAM_INT, .def = "10", .min = 0,
	  .max = 3600, .help = N_("how long the loops run (divided by --speed)") },
	{ .name = "gil", .kind = PARAM_INT, .def = "0", .min = 0, .max = 1,
	  .help = N_("1: one global lock, as CPython's GIL, handed round") },
	{ .name = NULL },
};

const struct scenario scenario_multicore = {
	.name = "multicore",
	.summary = N_("x = x ^ 1 in one thread per core; gil=1 adds CPython's GIL"),
	.watch_for = N_("each Thread-N near 100%; gil=1: about one core in all, "
	    "as CPython"),
	.root_role = "MainThread",
	.panes = 0,
	.params = multicore_params,
	.main = multicore_main,
};

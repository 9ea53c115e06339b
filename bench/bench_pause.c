/*
 * bench_pause: how long pause-all takes to hold every cooperative task.
 * A control block as a scenario has it, threads that loop over a hot-loop
 * checkpoint (as the race does) and threads asleep in time_sleep(); then,
 * many times: ctl_pause_all(), and the time until ctl_is_parked() is true
 * of every thread (waiting on the doorbell, as ptmon's driver does, not
 * spinning on a core the threads need); ctl_resume_all() and a short run
 * between tries.
 *
 *	bench_pause [TRIES]
 *
 * Prints, per mix of threads, the median, 90th percentile and largest
 * time in microseconds (the target is at most 1 ms).
 */
#include "config.h"

#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "tutorial.h"
#include "clock.h"

#define PAUSE_MAX_THREADS	16
#define PAUSE_TIMEOUT_NS	2000000000LL

static atomic_bool	pause_stop;
static int		pause_tries = 300;

/* Nanoseconds on the monotonic clock. */

/* A thread of the race's kind: a hot loop over a checkpoint. */
static void
looper(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	while (!atomic_load_explicit(&pause_stop, memory_order_relaxed)) {
		loop_checkpoint(CP_LOOP);
		n = n + 1;
	}
}

/* A thread that sleeps, as most of the tutorial's tasks do. */
static void
sleeper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&pause_stop, memory_order_relaxed))
		time_sleep(0.05);
}

static int
cmp_ll(const void *va, const void *vb)
{
	long long a = *(const long long *)va, b = *(const long long *)vb;

	return (a > b) - (a < b);
}

/* The slots of every task but the caller's, once all `want` are up. */
static int
worker_slots(struct ctl *ctl, int want, int *slots)
{
	struct ctl_task_view v;
	int cursor, n, tries;

	for (tries = 0; tries < 2000; tries++) {
		cursor = 0;
		n = 0;
		while (ctl_task_next(ctl, &cursor, &v))
			if (strcmp(v.role, "MainThread") != 0 &&
			    n < PAUSE_MAX_THREADS)
				slots[n++] = v.slot;
		if (n == want)
			return n;
		usleep(1000);
	}
	fprintf(stderr, "bench_pause: %d of %d threads started\n", n, want);
	exit(1);
}

/* True when every slot's task is parked (or, with `parked` false, none). */
static bool
all_parked(struct ctl *ctl, const int *slots, int n, bool parked)
{
	int i;

	for (i = 0; i < n; i++)
		if (ctl_is_parked(ctl, slots[i]) != parked)
			return false;
	return true;
}

/* One mix: loops looping threads and sleeps sleeping ones. */
static void
measure(int loops, int sleeps, int devnull)
{
	struct thread t[PAUSE_MAX_THREADS];
	int slots[PAUSE_MAX_THREADS], n = loops + sleeps, i, k;
	long long *took, start, limit;
	uint32_t bell;
	struct ctl *ctl;
	char name[16];

	if ((ctl = ctl_new(1, 1)) == NULL) {
		perror("ctl_new");
		exit(1);
	}
	took = calloc((size_t)pause_tries, sizeof *took);
	if (took == NULL) {
		perror("calloc");
		exit(1);
	}
	tutorial_begin(ctl, devnull, "MainThread");
	atomic_store(&pause_stop, false);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "Thread-%d", i + 1);
		thread_start(&t[i], name, i < loops ? looper : sleeper, NULL);
	}
	worker_slots(ctl, n, slots);
	for (k = 0; k < pause_tries; k++) {
		start = clock_ns();
		limit = start + PAUSE_TIMEOUT_NS;
		ctl_pause_all(ctl);
		/* A parking task rings the doorbell: wait as the driver does. */
		for (;;) {
			bell = ctl_doorbell(ctl);
			if (all_parked(ctl, slots, n, true))
				break;
			if (clock_ns() > limit) {
				fprintf(stderr, "bench_pause: a thread did not "
				    "park in 2 s\n");
				exit(1);
			}
			ctl_wait_doorbell(ctl, bell, 0.01);
		}
		took[k] = clock_ns() - start;
		ctl_resume_all(ctl);
		while (!all_parked(ctl, slots, n, false))
			sched_yield();
		/* Let them run a moment, at a random phase. */
		usleep(200 + rand() % 800);
	}
	atomic_store(&pause_stop, true);
	for (i = 0; i < n; i++)
		thread_join(&t[i]);
	tutorial_end();
	ctl_free(ctl);

	qsort(took, (size_t)pause_tries, sizeof *took, cmp_ll);
	printf("%2d looping + %2d sleeping %10.1f %10.1f %10.1f\n", loops,
	    sleeps, took[pause_tries / 2] / 1e3,
	    took[pause_tries * 9 / 10] / 1e3, took[pause_tries - 1] / 1e3);
	fflush(stdout);
	free(took);
}

int
main(int argc, char **argv)
{
	int devnull;

	if (argc > 1 && (pause_tries = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: bench_pause [TRIES]\n");
		return 2;
	}
	if ((devnull = open("/dev/null", O_WRONLY)) < 0) {
		perror("/dev/null");
		return 1;
	}
	srand(1);
	printf("pause-all to every thread parked, us, %d tries, %ld cpus\n",
	    pause_tries, sysconf(_SC_NPROCESSORS_ONLN));
	printf("%-25s %10s %10s %10s\n", "threads", "median", "p90", "max");
	measure(2, 0, devnull);
	measure(2, 2, devnull);
	measure(8, 0, devnull);
	return 0;
}

/*
 * What checkpoints cost the race: the real change_it (src/scenario/
 * balance.c) with its four checkpoints, gates open as when nothing is
 * paused, against the same file compiled with PTMON_CHECKPOINTS_OFF, run by
 * one and by two threads, alternately, in one run. Prints the medians and
 * their ratio (the target is at most 1.10x).
 */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "balance.h"
#include "ctl.h"
#include "tutorial.h"

#define RUNS	15

/* change_it as compiled without checkpoints (see Makefile.am). */
void	change_it_plain(long n);
void	balance_reset_plain(void);

static long	iterations = 2000000;
static int	devnull = -1;

static void
run_thread(void *n)
{
	long i;

	for (i = 0; i < iterations; i++)
		change_it((long)(intptr_t)n);
}

static void
run_thread_plain(void *n)
{
	long i;

	for (i = 0; i < iterations; i++)
		change_it_plain((long)(intptr_t)n);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs the loop in `threads` threads once; returns the wall time. */
static double
run_once(int threads, int with_checkpoints)
{
	void (*loop)(void *) = with_checkpoints ? run_thread : run_thread_plain;
	struct ctl *ctl = ctl_new(1, 1);
	struct thread t[2];
	double start, took;
	int i;

	if (ctl == NULL) {
		perror("ctl_new");
		exit(1);
	}
	/* A fresh block each run, so slots never run out. */
	tutorial_begin(ctl, devnull, "MainThread");
	balance_reset();
	balance_reset_plain();
	start = now();
	for (i = 0; i < threads; i++)
		thread_start(&t[i], i ? "Thread-2" : "Thread-1", loop,
		    (void *)(intptr_t)(i ? 8 : 5));
	for (i = 0; i < threads; i++)
		thread_join(&t[i]);
	took = now() - start;
	ctl_free(ctl);
	return took;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of RUNS, alternating with and without so drift hits both. */
static void
measure(int threads)
{
	double with[RUNS], without[RUNS];
	int i;

	for (i = 0; i < RUNS; i++) {
		without[i] = run_once(threads, 0);
		with[i] = run_once(threads, 1);
	}
	qsort(with, RUNS, sizeof with[0], by_value);
	qsort(without, RUNS, sizeof without[0], by_value);
	printf("%-8d %14.1f %17.1f %8.2fx\n", threads,
	    without[RUNS / 2] * 1e3, with[RUNS / 2] * 1e3,
	    with[RUNS / 2] / without[RUNS / 2]);
}

int
main(int argc, char *argv[])
{
	devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0) {
		perror("bench_race");
		return 1;
	}
	if (argc > 1)
		iterations = atol(argv[1]);
	printf("race loop (change_it), %ld iterations per thread, "
	    "median of %d runs\n", iterations, RUNS);
	printf("%-8s %14s %17s %9s\n", "threads", "plain (ms)",
	    "checkpoints (ms)", "ratio");
	measure(1);
	measure(2);
	return 0;
}

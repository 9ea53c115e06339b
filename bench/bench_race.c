/*
 * What checkpoints cost the race: change_it's loop with its four checkpoints
 * (gates open, as when nothing is paused) against the same loop without
 * them, two threads each, in one run. Prints the medians and their ratio.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctl.h"

#define RUNS	7

static struct ctl	*ctl;
static long		 iterations = 2000000;
static _Atomic int64_t	 plain_balance;

struct worker {
	long	 n;
	int	 with_checkpoints;
};

/* change_it as src/scenario/balance.c has it, minus the tutorial layer. */
static void *
run_thread(void *opaque)
{
	struct worker *w = opaque;
	_Atomic int64_t *balance;
	int slot = -1;
	long i;

	if (w->with_checkpoints) {
		slot = ctl_slot_take(ctl, "bench");
		balance = &ctl->balance.value;
	} else
		balance = &plain_balance;
	for (i = 0; i < iterations; i++) {
		int64_t local;

		if (slot >= 0)
			ctl_checkpoint(ctl, slot, CP_READ_ADD);
		local = atomic_load_explicit(balance, memory_order_relaxed);
		if (slot >= 0) {
			atomic_store_explicit(&ctl->slots[slot].local, local,
			    memory_order_relaxed);
			ctl_checkpoint(ctl, slot, CP_WRITE_ADD);
		}
		atomic_store_explicit(balance, local + w->n,
		    memory_order_relaxed);
		if (slot >= 0)
			ctl_checkpoint(ctl, slot, CP_READ_SUB);
		local = atomic_load_explicit(balance, memory_order_relaxed);
		if (slot >= 0) {
			atomic_store_explicit(&ctl->slots[slot].local, local,
			    memory_order_relaxed);
			ctl_checkpoint(ctl, slot, CP_WRITE_SUB);
		}
		atomic_store_explicit(balance, local - w->n,
		    memory_order_relaxed);
	}
	return NULL;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs `threads` threads of the loop once; returns the wall time. */
static double
run_once(int threads, int with_checkpoints)
{
	struct worker w[2] = { { 5, with_checkpoints }, { 8, with_checkpoints } };
	pthread_t t[2];
	double start;
	int i;

	ctl_free(ctl);
	ctl = ctl_new(1, 1);
	if (ctl == NULL) {
		perror("ctl_new");
		exit(1);
	}
	start = now();
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, run_thread, &w[i]);
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return now() - start;
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
	printf("%-8d %14.1f %14.1f %8.2fx\n", threads,
	    without[RUNS / 2] * 1e3, with[RUNS / 2] * 1e3,
	    with[RUNS / 2] / without[RUNS / 2]);
}

int
main(int argc, char *argv[])
{
	if (argc > 1)
		iterations = atol(argv[1]);
	printf("race loop, %ld iterations per thread, median of %d runs\n",
	    iterations, RUNS);
	printf("%-8s %14s %14s %9s\n", "threads", "plain (ms)",
	    "checkpoints (ms)", "ratio");
	measure(1);
	measure(2);
	ctl_free(ctl);
	return 0;
}

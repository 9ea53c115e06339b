/*
 * The race made safe: a lock around change_it.
 *
 *	def run_thread(n):
 *	    for i in range(2000000):
 *	        lock.acquire()
 *	        try:
 *	            change_it(n)
 *	        finally:
 *	            lock.release()
 */
#include "config.h"

#include <stdint.h>

#include "i18n.h"
#include "balance.h"
#include "scenario.h"
#include "tutorial.h"

static long iterations;

static void
run_thread(void *n)
{
	long i;

	for (i = 0; i < iterations; i++) {
		loop_iteration(i + 1);
		lock_acquire();
		change_it((long)(intptr_t)n);
		lock_release();
	}
}

static int
lock_main(const struct params *params)
{
	iterations = params_int(params, "iterations");
	return run_two_threads(params, run_thread);
}

const struct scenario scenario_lock = {
	.name = "lock",
	.summary = N_("the race with lock.acquire()/release() around change_it"),
	.watch_for = N_("one thread holds the lock, the other waits: always 0"),
	.root_role = "MainThread",
	.panes = MODEL_BALANCE,
	.root_runs_when_paused = true,
	.has_lock = true,
	.params = balance_params,
	.main = lock_main,
};

/*
 * Two threads change one balance with no lock:
 *
 *	def run_thread(n):
 *	    for i in range(2000000):
 *	        change_it(n)
 *
 * The result should be 0; on a multi-core machine it usually is not.
 */
#include "config.h"

#include <inttypes.h>

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
		change_it((long)(intptr_t)n);
	}
}

static int
race_main(const struct params *params)
{
	const struct param_value *amounts = params_get(params, "amounts");
	struct thread t1, t2;

	iterations = params_int(params, "iterations");
	balance_reset();
	thread_start(&t1, "Thread-1", run_thread,
	    (void *)(intptr_t)amounts->ints[0]);
	thread_start(&t2, "Thread-2", run_thread,
	    (void *)(intptr_t)amounts->ints[1]);
	thread_join(&t1);
	thread_join(&t2);
	checkpoint(CP_PRINT);
	print("%" PRId64, balance_value());
	return 0;
}

const struct scenario scenario_race = {
	.name = "race",
	.summary = "two threads run change_it on one balance, with no lock",
	.watch_for = "balance = balance + n is a read then a write: updates get lost",
	.root_role = "MainThread",
	.panes = MODEL_BALANCE,
	.root_runs_when_paused = true,
	.params = balance_params,
	.main = race_main,
};

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
		change_it((long)(intptr_t)n);
	}
}

static int
race_main(const struct params *params)
{
	iterations = params_int(params, "iterations");
	return run_two_threads(params, run_thread);
}

const struct scenario scenario_race = {
	.name = "race",
	.summary = N_("two threads run change_it on one balance, with no lock"),
	.watch_for = N_("balance = balance + n is a read then a write: updates get lost"),
	.root_role = "MainThread",
	.panes = MODEL_BALANCE,
	.root_runs_when_paused = true,
	.params = balance_params,
	.main = race_main,
};

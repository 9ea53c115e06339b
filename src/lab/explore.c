/*
 * Exploration of schedules, as a sink of the driver: each try is one run
 * of the scenario in which every task but the root starts paused and the
 * stepper steps a task chosen at random, seeded by --seed and the try's
 * number, so a found schedule can be found again. The scenario's own
 * output is not shown.
 */
#include "config.h"

#include "explore.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "driver.h"
#include "model.h"
#include "params.h"
#include "scenario.h"
#include "schedule.h"
#include "xalloc.h"

#define FINALS_MAX	64

struct explore {
	struct driver	*d;
	int		 stop_signal;
	bool		 lab_failed;
};

static void
on_lab(void *arg, enum stepper_state st)
{
	struct explore *x = arg;

	if (st == STEPPER_ERROR) {
		x->lab_failed = true;
		driver_quit(x->d, 1);
	}
}

static void
on_ended(void *arg)
{
	struct explore *x = arg;

	driver_quit(x->d, 0);
}

static void
on_signal(void *arg, int sig)
{
	struct explore *x = arg;

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
	    sig == SIGQUIT) {
		x->stop_signal = sig;
		driver_quit(x->d, 128 + sig);
	}
}

static int
by_value(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Prints the distinct final balances seen, in order. */
static void
print_finals(long long *finals, int n)
{
	int i;

	qsort(finals, (size_t)n, sizeof *finals, by_value);
	printf("# final balances seen:");
	for (i = 0; i < n; i++)
		printf(" %lld", finals[i]);
	printf("\n");
}

int
explore_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	struct explore x = { 0 };
	struct driver_sink sink = {
		.lab = on_lab, .ended = on_ended, .signal = on_signal,
		.input_fd = -1, .arg = &x,
	};
	const struct param_value *target = params_get(params, "target");
	bool want_target = target != NULL && target->set;
	uint64_t seed = cli->seeded ? cli->seed : 1;
	long long finals[FINALS_MAX], balance;
	const char *cause = NULL;
	int nfinals = 0, k;
	long tries;

	x.d = driver_new(cli, &sink, 0);
	/* Only the schedule found is kept, with its own comment. */
	driver_set_autorecord(x.d, false);
	for (tries = 1; tries <= cli->explore; tries++) {
		bool found;

		driver_explore(x.d, seed * 1000003 + (uint64_t)tries);
		if (driver_start_scenario(x.d, sc, params, &cause) < 0)
			fatal("%s", cause);
		driver_run(x.d);
		if (x.lab_failed)
			fatalx("explore: %s",
			    stepper_error(driver_stepper(x.d)));
		if (x.stop_signal != 0) {
			driver_free(x.d);
			return 128 + x.stop_signal;
		}
		balance = driver_snapshot(x.d)->balance.value;
		for (k = 0; k < nfinals && finals[k] != balance; k++)
			;
		if (k == nfinals && nfinals < FINALS_MAX)
			finals[nfinals++] = balance;
		/* Every change_it adds n and takes it away again: expect 0. */
		found = want_target ? balance == target->num : balance != 0;
		if (found) {
			char comment[160];

			snprintf(comment, sizeof comment, "ptmon --explore: "
			    "schedule %ld of %s: final balance %lld, expected "
			    "0 (%zu steps)", tries, sc->name, balance,
			    driver_taken(x.d)->n);
			schedule_write(stdout, driver_taken(x.d), comment);
			if (driver_write_record(x.d, comment) < 0)
				fatal("%s", cli->record);
			printf("# tried %ld schedule%s\n", tries,
			    tries == 1 ? "" : "s");
			print_finals(finals, nfinals);
			driver_free(x.d);
			return 0;
		}
	}
	if (want_target)
		printf("# no schedule of %ld reached target %ld\n", cli->explore,
		    target->num);
	else
		printf("# no schedule of %ld lost an update\n", cli->explore);
	printf("# tried %ld schedule%s\n", cli->explore,
	    cli->explore == 1 ? "" : "s");
	print_finals(finals, nfinals);
	driver_free(x.d);
	return 1;
}

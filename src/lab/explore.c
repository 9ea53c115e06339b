/*
 * Exploration of schedules: each try is one run of the scenario in which
 * every task but the root starts paused and the lab steps a task chosen at
 * random, seeded by --seed and the try's number, so a found schedule can be
 * found again. The scenario's own output is not shown.
 */
#include "config.h"

#include "explore.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ctl.h"
#include "stepper.h"
#include "params.h"
#include "scenario.h"
#include "schedule.h"
#include "session.h"
#include "xalloc.h"

#define FINALS_MAX	64

struct explore_try {
	struct stepper	*lab;
	int		 stop_signal;
};

static void
on_prepare(void *arg, struct ctl *ctl)
{
	struct explore_try *x = arg;

	stepper_prepare(x->lab, ctl);
}

static void
on_signal(void *arg, int sig)
{
	struct explore_try *x = arg;

	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)
		x->stop_signal = sig;
}

/* One run under a random schedule; its final balance in *balance. */
static int
run_try(const struct cli *cli, const struct scenario *sc,
    const struct params *params, struct explore_try *x, int64_t *balance)
{
	struct session_hooks hooks = {
		.signal = on_signal, .prepare = on_prepare, .arg = x,
	};
	const char *cause = NULL;
	struct ctl_balance_view end;
	struct session *s;

	s = session_start(cli, sc, params, &hooks, &cause);
	if (s == NULL)
		fatal("%s", cause);
	while (!session_done(s) && x->stop_signal == 0) {
		struct pollfd fds[SESSION_POLLFDS];
		int n = session_pollfds(s, fds);
		enum stepper_state st;

		st = stepper_advance(x->lab, session_ctl(s),
		    session_status(s) >= 0);
		if (st == STEPPER_ERROR)
			fatalx("explore: %s", stepper_error(x->lab));
		if (poll(fds, (nfds_t)n, st == STEPPER_STEPPING ? 0 : -1) < 0 &&
		    errno != EINTR)
			fatal("poll");
		session_handle(s, fds, n);
	}
	ctl_balance_read(session_ctl(s), &end);
	*balance = end.value;
	session_free(s);
	return x->stop_signal;
}

static int
by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Prints the distinct final balances seen, in order. */
static void
print_finals(int64_t *finals, int n)
{
	int i;

	qsort(finals, (size_t)n, sizeof *finals, by_value);
	printf("# final balances seen:");
	for (i = 0; i < n; i++)
		printf(" %lld", (long long)finals[i]);
	printf("\n");
}

int
explore_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	const struct param_value *target = params_get(params, "target");
	bool want_target = target != NULL && target->set;
	uint64_t seed = cli->seeded ? cli->seed : 1;
	int64_t finals[FINALS_MAX];
	int nfinals = 0, k;
	long tries;

	for (tries = 1; tries <= cli->explore; tries++) {
		struct explore_try x = { .lab = stepper_explore(seed * 1000003 +
		    (uint64_t)tries) };
		int64_t balance = 0;
		bool found;
		int sig = run_try(cli, sc, params, &x, &balance);

		if (sig != 0) {
			stepper_free(x.lab);
			return 128 + sig;
		}
		for (k = 0; k < nfinals && finals[k] != balance; k++)
			;
		if (k == nfinals && nfinals < FINALS_MAX)
			finals[nfinals++] = balance;
		/* Every change_it adds n and takes it away again: expect 0. */
		found = want_target ? balance == target->num : balance != 0;
		if (found) {
			char comment[160];
			FILE *f;

			snprintf(comment, sizeof comment, "ptmon --explore: "
			    "schedule %ld of %s: final balance %lld, expected "
			    "0 (%zu steps)", tries, sc->name, (long long)balance,
			    stepper_taken(x.lab)->n);
			schedule_write(stdout, stepper_taken(x.lab), comment);
			if (cli->record != NULL) {
				f = fopen(cli->record, "w");
				if (f == NULL || schedule_write(f,
				    stepper_taken(x.lab), comment) < 0)
					fatal("%s", cli->record);
				fclose(f);
			}
			printf("# tried %ld schedule%s\n", tries,
			    tries == 1 ? "" : "s");
			print_finals(finals, nfinals);
			stepper_free(x.lab);
			return 0;
		}
		stepper_free(x.lab);
	}
	if (want_target)
		printf("# no schedule of %ld reached target %ld\n", cli->explore,
		    target->num);
	else
		printf("# no schedule of %ld lost an update\n", cli->explore);
	printf("# tried %ld schedule%s\n", cli->explore,
	    cli->explore == 1 ? "" : "s");
	print_finals(finals, nfinals);
	return 1;
}

/*
 * Exploration of schedules, as a sink of the driver: each try is one run
 * of the scenario in which every task but the root starts paused and the
 * stepper steps a task chosen at random, seeded by --seed and the try's
 * number, so a found schedule can be found again. The scenario's own
 * output is not shown.
 *
 * A traced Python program is explored the same way: MainThread (the root)
 * runs freely, every other thread is stepped an instruction at a time,
 * and a try loses when a watched global of __main__ ends off what its
 * stores should have made it (the lab's expected vs actual: a lost update
 * that the later stores did not happen to cancel).
 */
#include "config.h"

#include "explore.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ctl.h"
#include "driver.h"
#include "model.h"
#include "params.h"
#include "sanitize.h"
#include "scenario.h"
#include "schedule.h"
#include "xalloc.h"

#define FINALS_MAX	64

struct explore {
	struct driver	*d;
	int		 stop_signal;
	bool		 lab_failed;
	char		 note[256];	/* why a program runs untraced */
};

static void
on_note(void *arg, const char *note)
{
	struct explore *x = arg;

	snprintf(x->note, sizeof x->note, "%s", note);
}

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

/* Prints the distinct final balances (or values) seen, in order. */
static void
print_finals(const char *what, long long *finals, int n)
{
	int i;

	qsort(finals, (size_t)n, sizeof *finals, by_value);
	printf("# final %s seen:", what);
	for (i = 0; i < n; i++)
		printf(" %lld", finals[i]);
	printf("\n");
}

/*
 * After a try of a traced Python program: the first watched int global of
 * __main__ that was stored. *final is its value; true, with `what` said,
 * when it is not what it should be. Read from the block the program
 * writes: ctl_py_watch bounds it, the name is made inert to be printed.
 */
static bool
py_lost(struct driver *d, long long *final, bool *stored, char *what,
    size_t len)
{
	struct ctl *ctl = driver_ctl(d);
	struct ctl_py_watch_view w;
	char name[CTL_PY_NAME_LEN];
	long long expected;
	int i;

	*stored = false;
	for (i = 0; ctl != NULL && i < CTL_PY_WATCH; i++) {
		if (!ctl_py_watch(ctl, i, &w) || !w.is_int || w.stores == 0)
			continue;
		if (!*stored) {
			*stored = true;
			*final = w.value;
		}
		if (w.lost == 0 || w.lost_sum == 0)
			continue;
		/* As the lab pane has it; the program may make it wrap. */
		expected = (long long)((unsigned long long)w.value +
		    (unsigned long long)w.lost_sum);
		sanitize_text(w.name, strnlen(w.name, sizeof w.name), name,
		    sizeof name, 0);
		snprintf(what, len, "%s = %lld, expected %lld (%llu lost "
		    "update%s)", name, w.value, expected, w.lost,
		    w.lost == 1 ? "" : "s");
		*final = w.value;
		return true;
	}
	return false;
}

/* The command line, made inert and cut, for a comment. */
static void
command_text(const struct cli *cli, char *out, size_t len)
{
	char raw[256];
	size_t n = 0;
	int i;

	raw[0] = '\0';
	for (i = 0; i < cli->argc && n < sizeof raw - 1; i++)
		n += (size_t)snprintf(raw + n, sizeof raw - n, "%s%s",
		    i ? " " : "", cli->argv[i]);
	sanitize_text(raw, strlen(raw), out, len, 0);
}

/* --explore for a traced Python program (see the top of this file). */
static int
explore_python(struct explore *x, const struct cli *cli)
{
	uint64_t seed = cli->seeded ? cli->seed : 1;
	long long finals[FINALS_MAX], final = 0;
	char what[160], cmd[96], comment[400];
	const char *cause = NULL;
	int nfinals = 0, k, exec_errno;
	bool stored;
	long tries;

	command_text(cli, cmd, sizeof cmd);
	for (tries = 1; tries <= cli->explore; tries++) {
		bool found;

		driver_explore(x->d, seed * 1000003 + (uint64_t)tries);
		if (driver_start_watch(x->d, &exec_errno, &cause) < 0)
			fatalx("%s", cause);
		if (driver_ctl(x->d) == NULL) {
			driver_free(x->d);
			fatalx("explore: %s", x->note[0] != '\0' ? x->note :
			    "the program runs untraced");
		}
		driver_run(x->d);
		if (x->lab_failed)
			fatalx("explore: %s",
			    stepper_error(driver_stepper(x->d)));
		if (x->stop_signal != 0) {
			driver_free(x->d);
			return 128 + x->stop_signal;
		}
		found = py_lost(x->d, &final, &stored, what, sizeof what);
		for (k = 0; k < nfinals && finals[k] != final; k++)
			;
		if (stored && k == nfinals && nfinals < FINALS_MAX)
			finals[nfinals++] = final;
		if (!found)
			continue;
		snprintf(comment, sizeof comment, "ptmon --explore: schedule "
		    "%ld: %s in %zu steps, one instruction each; replay: "
		    "ptmon --batch --replay FILE -- %s", tries, what,
		    driver_taken(x->d)->n, cmd);
		schedule_write(stdout, driver_taken(x->d), comment);
		if (driver_write_record(x->d, comment) < 0)
			fatal("%s", cli->record);
		printf("# tried %ld schedule%s\n", tries,
		    tries == 1 ? "" : "s");
		print_finals("values", finals, nfinals);
		driver_free(x->d);
		return 0;
	}
	printf("# no schedule of %ld lost an update\n", cli->explore);
	printf("# tried %ld schedule%s\n", cli->explore,
	    cli->explore == 1 ? "" : "s");
	print_finals("values", finals, nfinals);
	driver_free(x->d);
	return 1;
}

int
explore_run(const struct cli *cli, const struct scenario *sc,
    const struct params *params)
{
	struct explore x = { 0 };
	struct driver_sink sink = {
		.lab = on_lab, .ended = on_ended, .signal = on_signal,
		.note = on_note, .input_fd = -1, .arg = &x,
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
	if (sc == NULL)
		return explore_python(&x, cli);
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
			print_finals("balances", finals, nfinals);
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
	print_finals("balances", finals, nfinals);
	driver_free(x.d);
	return 1;
}

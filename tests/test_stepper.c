/*
 * Unit tests of the interleaving lab's driver (src/lab/stepper.c) on the
 * race's own change_it, run by two real threads bound to a control block
 * as the scenario's are: a schedule replays the lost update step by step,
 * bad schedules stop with the line at fault, and an explored schedule,
 * replayed, gives the same balance (what --explore promises).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "balance.h"
#include "clock.h"
#include "ctl.h"
#include "schedule.h"
#include "stepper.h"
#include "tutorial.h"

/* Runs change_it(n) once, as each of the race's threads does. */
static void
run_change_it(void *n)
{
	change_it((long)(intptr_t)n);
}

/* True when the task with that role has started and ended. */
static bool
ended(const struct ctl *ctl, const char *role)
{
	struct ctl_task_view v;
	int slot = ctl_find_role(ctl, role);

	return slot >= 0 && ctl_task(ctl, slot, &v) && v.doing == CTL_DONE;
}

/*
 * True when the task with that role has started and stands still: parked
 * at its first checkpoint (the lab gates it) or ended (it runs freely).
 */
static bool
stands_still(const struct ctl *ctl, const char *role)
{
	struct ctl_task_view v;
	int slot = ctl_find_role(ctl, role);

	return slot >= 0 && ctl_task(ctl, slot, &v) &&
	    (v.doing == CTL_PAUSED || v.doing == CTL_DONE);
}

struct outcome {
	enum stepper_state	 state;
	int64_t			 balance;
	unsigned long long	 lost;
	struct schedule		 taken;
	char			 error[256];
};

/*
 * One race of two threads (Thread-1 adds 5, Thread-2 adds 8) driven by
 * `lab` until it lets go of them or fails. With two_first, Thread-2 is
 * started first and takes the lower slot of the control block.
 */
static struct outcome
race_under_order(struct stepper *lab, bool two_first)
{
	struct ctl *ctl = ctl_new(1, 1);
	struct ctl_balance_view b;
	struct outcome out = { 0 };
	struct thread t1, t2;
	double deadline = clock_seconds() + 20;

	assert_non_null(ctl);
	stepper_prepare(lab, ctl);
	tutorial_begin(ctl, -1, "MainThread");
	balance_reset();
	if (two_first) {
		thread_start(&t2, "Thread-2", run_change_it,
		    (void *)(intptr_t)8);
		while (ctl_find_role(ctl, "Thread-2") < 0) {
			if (clock_seconds() > deadline)
				fail_msg("Thread-2 did not start in 20 s");
			ctl_wait_doorbell(ctl, ctl_doorbell(ctl), 0.005);
		}
	}
	thread_start(&t1, "Thread-1", run_change_it, (void *)(intptr_t)5);
	if (!two_first)
		thread_start(&t2, "Thread-2", run_change_it,
		    (void *)(intptr_t)8);
	/*
	 * Exploring chooses among the tasks parked at the time: a thread late
	 * to start (a loaded machine) would find the other's steps all taken
	 * and no order would interleave. Both stand still before the lab runs.
	 */
	for (;;) {
		uint32_t bell = ctl_doorbell(ctl);

		if (stands_still(ctl, "Thread-1") &&
		    stands_still(ctl, "Thread-2"))
			break;
		if (clock_seconds() > deadline)
			fail_msg("the threads did not start in 20 s");
		ctl_wait_doorbell(ctl, bell, 0.005);
	}
	do {
		bool over = (ended(ctl, "Thread-1") && ended(ctl, "Thread-2"));

		out.state = stepper_advance(lab, ctl, over);
		if (clock_seconds() > deadline)
			fail_msg("the lab did not finish in 20 s");
	} while (out.state == STEPPER_STEPPING);
	/* Whatever the lab did, let the threads end. */
	ctl_pause_new(ctl, CTL_PAUSE_NONE, NULL, 0);
	ctl_resume_all(ctl);
	thread_join(&t1);
	thread_join(&t2);
	ctl_balance_read(ctl, &b);
	out.balance = b.value;
	out.lost = b.lost;
	schedule_free(&out.taken);
	for (size_t i = 0; i < stepper_taken(lab)->n; i++)
		schedule_add(&out.taken, stepper_taken(lab)->names[i]);
	snprintf(out.error, sizeof out.error, "%s", stepper_error(lab));
	ctl_free(ctl);
	return out;
}

static struct outcome
race_under(struct stepper *lab)
{
	return race_under_order(lab, false);
}

static void
parse_plan(const char *text, struct schedule *plan)
{
	char cause[256];

	memset(plan, 0, sizeof *plan);
	assert_int_equal(schedule_parse(text, strlen(text), plan, cause,
	    sizeof cause), 0);
}

/*
 * read, read, write, write: Thread-2 writes 8 over Thread-1's 5. After
 * the plan the lab lets Thread-1 run to its end (it subtracts 5 from 8),
 * then Thread-2 (3 - 8): -5, the same on every run.
 */
static void
test_replay_loses_the_update(void **state)
{
	struct schedule plan;
	struct stepper *lab;
	struct outcome out;

	(void)state;
	parse_plan("# lose an update\nThread-1\nThread-2\nThread-1\n"
	    "Thread-2\n", &plan);
	lab = stepper_replay(&plan);
	out = race_under(lab);
	assert_int_equal(out.state, STEPPER_FREE);
	assert_string_equal(out.error, "");
	assert_int_equal(out.lost, 1);
	assert_int_equal(out.balance, -5);
	assert_int_equal(out.taken.n, 4);
	assert_string_equal(out.taken.names[0], "Thread-1");
	assert_string_equal(out.taken.names[1], "Thread-2");
	assert_string_equal(out.taken.names[2], "Thread-1");
	assert_string_equal(out.taken.names[3], "Thread-2");
	schedule_free(&out.taken);
	stepper_free(lab);
	schedule_free(&plan);
}

/* One thread's whole change_it before the other's: nothing is lost. */
static void
test_replay_in_turn_loses_nothing(void **state)
{
	struct schedule plan;
	struct stepper *lab;
	struct outcome out;

	(void)state;
	parse_plan("Thread-1\nThread-1\nThread-1\nThread-1\n"
	    "Thread-2\nThread-2\n", &plan);
	lab = stepper_replay(&plan);
	out = race_under(lab);
	assert_int_equal(out.state, STEPPER_FREE);
	assert_int_equal(out.lost, 0);
	assert_int_equal(out.balance, 0);
	schedule_free(&out.taken);
	stepper_free(lab);
	schedule_free(&plan);
}

static void
test_unknown_name_names_its_line(void **state)
{
	struct schedule plan;
	struct stepper *lab;
	struct outcome out;

	(void)state;
	parse_plan("Thread-1\n\nThread-9\n", &plan);
	lab = stepper_replay(&plan);
	out = race_under(lab);	/* waits a few seconds for it */
	assert_int_equal(out.state, STEPPER_ERROR);
	assert_string_equal(out.error, "line 3: no task named 'Thread-9'");
	schedule_free(&out.taken);
	stepper_free(lab);
	schedule_free(&plan);
}

/* change_it has four checkpoints: a fifth step of Thread-1 has none. */
static void
test_step_past_the_end_names_its_line(void **state)
{
	struct schedule plan;
	struct stepper *lab;
	struct outcome out;

	(void)state;
	parse_plan("Thread-1\nThread-1\nThread-1\nThread-1\nThread-1\n",
	    &plan);
	lab = stepper_replay(&plan);
	out = race_under(lab);
	assert_int_equal(out.state, STEPPER_ERROR);
	assert_string_equal(out.error,
	    "line 5: Thread-1 has ended: it has no step left");
	schedule_free(&out.taken);
	stepper_free(lab);
	schedule_free(&plan);
}

/*
 * Exploring takes every step of both threads (4 each) in a random order;
 * replaying what it took gives the same balance and the same lost updates.
 */
static void
test_explore_is_replayable(void **state)
{
	struct stepper *lab, *replay;
	struct outcome a, r;
	uint64_t seed;
	bool lost_one = false;

	(void)state;
	for (seed = 1; seed <= 12; seed++) {
		lab = stepper_explore(seed);
		a = race_under(lab);
		assert_int_equal(a.state, STEPPER_FREE);
		assert_int_equal(a.taken.n, 8);

		replay = stepper_replay(&a.taken);
		r = race_under(replay);
		assert_int_equal(r.state, STEPPER_FREE);
		assert_int_equal(r.balance, a.balance);
		assert_int_equal(r.lost, a.lost);
		/* A balance off zero means an update was lost. */
		if (a.balance != 0)
			assert_true(a.lost > 0);
		lost_one |= a.lost > 0;

		schedule_free(&a.taken);
		schedule_free(&r.taken);
		stepper_free(lab);
		stepper_free(replay);
	}
	/* Twelve random orders of eight steps: some interleave. */
	assert_true(lost_one);
}

/*
 * The same seed explores the same schedule whichever thread took the lower
 * slot: the lab chooses among the parked by name, and a schedule found by
 * --explore --seed can be found again.
 */
static void
test_explore_ignores_slot_order(void **state)
{
	struct stepper *a_lab, *b_lab;
	struct outcome a, b;
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 6; seed++) {
		a_lab = stepper_explore(seed);
		a = race_under_order(a_lab, false);
		b_lab = stepper_explore(seed);
		b = race_under_order(b_lab, true);
		assert_int_equal(a.taken.n, 8);
		assert_int_equal(b.taken.n, 8);
		for (size_t i = 0; i < a.taken.n; i++)
			assert_string_equal(a.taken.names[i], b.taken.names[i]);
		assert_int_equal(a.balance, b.balance);
		schedule_free(&a.taken);
		schedule_free(&b.taken);
		stepper_free(a_lab);
		stepper_free(b_lab);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_loses_the_update),
		cmocka_unit_test(test_replay_in_turn_loses_nothing),
		cmocka_unit_test(test_unknown_name_names_its_line),
		cmocka_unit_test(test_step_past_the_end_names_its_line),
		cmocka_unit_test(test_explore_is_replayable),
		cmocka_unit_test(test_explore_ignores_slot_order),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

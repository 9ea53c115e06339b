/*
 * Unit tests of the timeline: the letter each state gets, one cell per
 * tick with the samples between folded in, tasks not yet started and
 * exited, and forgetting tasks gone for a whole ring.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "timeline.h"

static struct snap_task
task(pid_t tid, char state, double cpu)
{
	struct snap_task t;

	memset(&t, 0, sizeof t);
	t.s.tid = t.s.tgid = tid;
	t.s.state = state;
	t.s.cpu = cpu;
	t.slot = -1;
	return t;
}

static void
test_letters(void **state)
{
	struct snap_task t = task(1, 'R', 50);

	(void)state;
	assert_int_equal(timeline_letter(&t), 'R');
	t.s.cpu = 0;
	assert_int_equal(timeline_letter(&t), 'r');
	t.s.state = 'S';
	assert_int_equal(timeline_letter(&t), 'S');
	strcpy(t.s.wchan, "do_wait");
	assert_int_equal(timeline_letter(&t), 'W');	/* a join */
	t.s.wchan[0] = '\0';
	t.s.state = 'D';
	assert_int_equal(timeline_letter(&t), 'W');
	t.s.state = 'T';
	assert_int_equal(timeline_letter(&t), 'P');	/* SIGSTOP */
	t.s.state = 'Z';
	assert_int_equal(timeline_letter(&t), 'Z');
	/* What the control block says of a scenario task comes first. */
	t.s.state = 'S';
	t.slot = 0;
	t.doing = CTL_WAIT_QUEUE;
	assert_int_equal(timeline_letter(&t), 'W');
	t.doing = CTL_PAUSED;
	assert_int_equal(timeline_letter(&t), 'P');
	t.doing = CTL_SLEEPING;
	assert_int_equal(timeline_letter(&t), 'S');
	t.ended = true;
	assert_int_equal(timeline_letter(&t), 'Z');
}

/* Records one snapshot of the given tasks. */
static void
record(struct timeline *tl, struct snap_task *tasks, size_t n, bool cell)
{
	struct snapshot snap;

	memset(&snap, 0, sizeof snap);
	snap.tasks = tasks;
	snap.ntasks = snap.cap = n;
	timeline_record(tl, &snap, cell);
}

static void
test_cells(void **state)
{
	struct timeline tl;
	struct snap_task a[2] = { task(10, 'S', 0), task(11, 'R', 90) };
	char buf[TIMELINE_CELLS + 1];

	(void)state;
	memset(&tl, 0, sizeof tl);
	record(&tl, a, 1, true);		/* cell 0: only 10, asleep */
	record(&tl, a, 2, true);		/* cell 1: 11 starts, runs */
	a[0].slot = 0;
	a[0].doing = CTL_WAIT_JOIN;
	record(&tl, a, 2, false);		/* folded: 10 waits */
	a[0].doing = CTL_SLEEPING;
	record(&tl, a, 2, false);		/* sleeping loses to waiting */
	record(&tl, a, 1, true);		/* cell 2: 11 has exited */
	assert_int_equal(timeline_states(&tl, 10, 200, buf), 3);
	assert_string_equal(buf, "SWS");
	timeline_states(&tl, 11, 200, buf);
	assert_string_equal(buf, ".RZ");
	/* The last few only, and nothing for a task it never saw. */
	timeline_states(&tl, 10, 2, buf);
	assert_string_equal(buf, "WS");
	assert_int_equal(timeline_states(&tl, 99, 200, buf), 0);
	assert_string_equal(buf, "");
	timeline_clear(&tl);
	assert_int_equal(timeline_states(&tl, 10, 200, buf), 0);
	timeline_free(&tl);
}

/* A long watch: the ring keeps the last cells; the gone are forgotten. */
static void
test_ring(void **state)
{
	struct timeline tl;
	struct snap_task a[2] = { task(10, 'S', 0), task(11, 'R', 90) };
	char buf[TIMELINE_CELLS + 1];
	int i;

	(void)state;
	memset(&tl, 0, sizeof tl);
	record(&tl, a, 2, true);
	for (i = 0; i < 2 * TIMELINE_CELLS; i++)
		record(&tl, a, 1, true);
	assert_int_equal(timeline_states(&tl, 10, 500, buf), TIMELINE_CELLS);
	assert_int_equal(strspn(buf, "S"), TIMELINE_CELLS);
	assert_int_equal(tl.n, 1);		/* 11 is forgotten */
	assert_int_equal(timeline_states(&tl, 11, 200, buf), 0);
	timeline_free(&tl);
}

/*
 * A task that sleeps through many cells keeps one letter, no ring: its
 * first change, a return after cells away and a busier fold in its
 * first cell still read as if every cell had been stored.
 */
static void
test_sleepers_keep_no_ring(void **state)
{
	struct timeline tl;
	struct snap_task a[3] = { task(10, 'S', 0), task(11, 'S', 0),
	    task(12, 'S', 0) };
	char buf[TIMELINE_CELLS + 1];
	int i;

	(void)state;
	memset(&tl, 0, sizeof tl);
	for (i = 0; i < 5; i++)
		record(&tl, a, 3, true);		/* cells 0-4 */
	for (i = 0; i < 3; i++)
		assert_null(tl.tasks[i].ring);
	a[0].s.state = 'R';
	a[0].s.cpu = 10;
	record(&tl, a, 1, true);		/* cell 5: 10 runs, 11, 12 gone */
	a[1].s.state = 'T';
	record(&tl, a, 2, true);		/* cell 6: 11 is back, stopped */
	record(&tl, a, 2, true);		/* cell 7 */
	timeline_states(&tl, 10, 200, buf);
	assert_string_equal(buf, "SSSSSRRR");
	timeline_states(&tl, 11, 200, buf);
	assert_string_equal(buf, "SSSSSZPP");
	timeline_states(&tl, 12, 200, buf);
	assert_string_equal(buf, "SSSSSZZZ");
	assert_null(tl.tasks[2].ring);		/* exiting needs no ring */
	/* A new task's first cell takes the busiest fold, still no ring. */
	a[2] = task(13, 'S', 0);
	record(&tl, a, 3, true);		/* cell 8 */
	a[2].s.state = 'D';
	record(&tl, a, 3, false);
	record(&tl, a, 3, true);		/* cell 9 */
	timeline_states(&tl, 13, 200, buf);
	assert_string_equal(buf, "........WW");
	timeline_free(&tl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letters),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_sleepers_keep_no_ring),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

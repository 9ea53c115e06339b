/*
 * Unit tests of the interleaving lab's view model on hand-built snapshots
 * of the race and the lock: the code view with a marker per thread on the
 * statement it stands at, the thread rows (each one's local, where it
 * stands, a write that would lose an update), the balance, the lock's
 * holder, the lost updates, the target and the hint.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "labview.h"
#include "model.h"
#include "params.h"

#define NTASKS	4

static struct snap_task tasks[NTASKS];
static struct snapshot snap;

/* The amounts parameter as race and lock define it. */
static struct param_def amounts_def = {
	.name = "amounts", .kind = PARAM_INT_LIST, .def = "5,8",
};

/* Fills task i of the fixture: a scenario task with a slot. */
static void
set_task(size_t i, pid_t tid, pid_t tgid, pid_t ppid, int depth, bool last,
    const char *role)
{
	struct snap_task *t = &tasks[i];

	memset(t, 0, sizeof *t);
	t->s.tid = tid;
	t->s.tgid = tgid;
	t->s.ppid = ppid;
	t->s.state = 'S';
	snprintf(t->s.name, sizeof t->s.name, "ptmon");
	t->depth = depth;
	t->is_thread = tid != tgid;
	t->last_sibling = last;
	t->slot = (int)i;
	snprintf(t->role, sizeof t->role, "%s", role);
	t->gate = SNAP_GATE_RUNNING;
}

/* The race as the lab sees it: MainThread in its join, two threads. */
static int
setup_race(void **state)
{
	(void)state;
	set_task(0, 200, 200, 1, 0, true, "MainThread");
	set_task(1, 201, 200, 1, 1, false, "Thread-1");
	set_task(2, 202, 200, 1, 1, true, "Thread-2");
	tasks[0].at = CP_JOIN;
	tasks[0].doing = CTL_WAIT_JOIN;
	tasks[1].arg = 5;
	tasks[2].arg = 8;
	for (size_t i = 1; i <= 2; i++) {
		tasks[i].at = CP_READ_ADD;
		tasks[i].gate = SNAP_GATE_PAUSED;
		tasks[i].doing = CTL_PAUSED;
		tasks[i].iterations = 1;
	}
	memset(&snap, 0, sizeof snap);
	snap.root = 200;
	snap.ntasks = 3;
	snap.cap = NTASKS;
	snap.tasks = tasks;
	snap.balance.present = true;
	return 0;
}

static void
test_lab_code(void **state)
{
	const struct labview_code *code;
	size_t idx[LABVIEW_THREADS_MAX], n;
	char buf[256];

	(void)state;
	code = labview_code(false, &n);
	assert_int_equal(n, 5);
	assert_string_equal(code[0].code, "def change_it(n):");
	assert_int_equal(code[1].cp, CP_READ_ADD);
	assert_int_equal(code[4].cp, CP_WRITE_SUB);
	code = labview_code(true, &n);
	assert_int_equal(n, 6);
	assert_int_equal(code[0].cp, CP_ACQUIRE);
	assert_int_equal(code[5].cp, CP_RELEASE);

	/* The root is not one of change_it's threads. */
	assert_int_equal(labview_threads(&snap, idx, 4), 2);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 2);
	assert_int_equal(labview_number(&tasks[2], 0), 2);
	snprintf(tasks[2].role, sizeof tasks[2].role, "Worker");
	assert_int_equal(labview_number(&tasks[2], 1), 2);
	snprintf(tasks[2].role, sizeof tasks[2].role, "Thread-2");

	/* Both stand before their first read: two markers on line 1. */
	assert_int_equal(labview_line_of(&tasks[1], false), 1);
	labview_code_line(&snap, false, 1, buf, sizeof buf);
	assert_string_equal(buf,
	    "1> 2>      local = balance      # read balance");
	labview_code_line(&snap, false, 0, buf, sizeof buf);
	assert_string_equal(buf, "       def change_it(n):");
	/* Thread-1 read: it stands before its write, its column kept. */
	tasks[1].at = CP_WRITE_ADD;
	labview_code_line(&snap, false, 1, buf, sizeof buf);
	assert_string_equal(buf,
	    "   2>      local = balance      # read balance");
	labview_code_line(&snap, false, 2, buf, sizeof buf);
	assert_string_equal(buf,
	    "1>         balance = local + n  # write local+n");
	/* A thread that runs freely stands nowhere. */
	tasks[1].gate = SNAP_GATE_RUNNING;
	assert_int_equal(labview_line_of(&tasks[1], false), -1);
	labview_code_line(&snap, false, 2, buf, sizeof buf);
	assert_string_equal(buf,
	    "           balance = local + n  # write local+n");
	/* Out of range: an empty line. */
	labview_code_line(&snap, false, 9, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void
test_lab_threads(void **state)
{
	char buf[256];

	(void)state;
	labview_header(buf, sizeof buf);
	assert_string_equal(buf,
	    "   thread        n   iteration local  stands at");
	assert_int_equal(labview_thread(&snap, &tasks[1], 1, 1, buf,
	    sizeof buf), LABVIEW_HERE);
	assert_string_equal(buf,
	    "1> Thread-1      5         1/1     -  read balance (+n)");
	/* Thread-1 read 0 and wrote 5; Thread-2 read 0 before that. */
	snap.balance.value = 5;
	tasks[2].at = CP_WRITE_ADD;
	tasks[2].local = 0;
	assert_int_equal(labview_thread(&snap, &tasks[2], 2, 1, buf,
	    sizeof buf), LABVIEW_HERE | LABVIEW_STALE);
	assert_string_equal(buf, "2> Thread-2      8         1/1     0  "
	    "write 0+8 = 8 over 5: lost!");
	/* Its read up to date, a write loses nothing. */
	tasks[2].local = 5;
	tasks[2].at = CP_WRITE_SUB;
	assert_int_equal(labview_thread(&snap, &tasks[2], 2, 0, buf,
	    sizeof buf), LABVIEW_HERE);
	assert_string_equal(buf, "2> Thread-2      8           1     5  "
	    "write 5-8 = -3");
	/* Running, done, waiting for the lock. */
	tasks[1].gate = SNAP_GATE_RUNNING;
	tasks[1].iterations = 0;
	assert_int_equal(labview_thread(&snap, &tasks[1], 1, 2000000,
	    buf, sizeof buf), 0);
	assert_string_equal(buf,
	    "1  Thread-1      5           -     -  running");
	/* A thread that returned ran its whole loop, whatever it last wrote. */
	tasks[1].doing = CTL_DONE;
	tasks[1].iterations = 1966080;
	labview_thread(&snap, &tasks[1], 1, 2000000, buf, sizeof buf);
	assert_string_equal(buf,
	    "1  Thread-1      5 2000000/2000000     -  done");
	tasks[1].iterations = 0;
	tasks[1].doing = CTL_WAIT_LOCK;
	tasks[1].at = CP_ACQUIRE;
	assert_int_equal(labview_line_of(&tasks[1], true), 0);
	assert_int_equal(labview_thread(&snap, &tasks[1], 1, 1, buf,
	    sizeof buf), LABVIEW_HERE);
	assert_string_equal(buf,
	    "1> Thread-1      5           -     -  waits in lock.acquire()");
	/* The root: no marker, where it waits, in the table's columns. */
	labview_bystander(&tasks[0], "p.join(), waits in join", buf,
	    sizeof buf);
	assert_string_equal(buf, "   MainThread                         "
	    "p.join(), waits in join");
}

static void
test_lab_target_hint(void **state)
{
	struct param_value amounts = { 0 };
	char buf[256];

	(void)state;
	assert_int_equal(labview_target(-5, false, 8, 4, buf,
	    sizeof buf), 0);
	assert_string_equal(buf,
	    "target -5: 4 steps so far, the final balance decides");
	assert_int_equal(labview_target(-5, true, -5, 1, buf,
	    sizeof buf), 1);
	assert_string_equal(buf,
	    "target -5 reached: final balance -5 in 1 step");
	assert_int_equal(labview_target(-8, true, 0, 4, buf,
	    sizeof buf), -1);
	assert_string_equal(buf, "target -8 not reached: final balance 0 "
	    "after 4 steps (r tries again)");
	/* The amounts are named only when they are not the default. */
	amounts.def = &amounts_def;
	snprintf(amounts.text, sizeof amounts.text, "5,8");
	labview_hint("race", 2000000, &amounts, buf, sizeof buf);
	assert_string_equal(buf, "which final balances can happen? ptmon "
	    "--batch --explore 300 race iterations=1");
	labview_hint("race", 2, NULL, buf, sizeof buf);
	assert_string_equal(buf, "which final balances can happen? ptmon "
	    "--batch --explore 300 race iterations=2");
	snprintf(amounts.text, sizeof amounts.text, "3,4");
	labview_hint("lock", 2, &amounts, buf, sizeof buf);
	assert_string_equal(buf, "which final balances can happen? ptmon "
	    "--batch --explore 300 lock iterations=2 amounts=3,4");
	/* Another default is another scenario's: 5,8 is then named. */
	amounts_def.def = "1,2";
	snprintf(amounts.text, sizeof amounts.text, "5,8");
	labview_hint("lock", 3, &amounts, buf, sizeof buf);
	assert_string_equal(buf, "which final balances can happen? ptmon "
	    "--batch --explore 300 lock iterations=3 amounts=5,8");
	amounts_def.def = "5,8";
}

static void
test_lab_balance_lock_lost(void **state)
{
	struct snap_balance b = { .present = true };
	char buf[256];

	(void)state;
	assert_false(labview_balance(&b, buf, sizeof buf));
	assert_string_equal(buf, "balance 0  expected 0  ok");
	b.value = 13;
	assert_true(labview_balance(&b, buf, sizeof buf));
	assert_string_equal(buf, "balance 13  expected 0  off by +13");
	b.expected = 20;
	assert_true(labview_balance(&b, buf, sizeof buf));
	assert_string_equal(buf, "balance 13  expected 20  off by -7");

	assert_false(labview_lost(&b, buf, sizeof buf));
	assert_string_equal(buf, "lost while stepping: 0");
	b.lost = 2;
	assert_true(labview_lost(&b, buf, sizeof buf));
	assert_string_equal(buf, "lost while stepping: 2");

	labview_lock_holder(&snap, buf, sizeof buf);
	assert_string_equal(buf, "lock: free");
	snap.balance.owner = 202;
	labview_lock_holder(&snap, buf, sizeof buf);
	assert_string_equal(buf, "lock: held by Thread-2 (202)");
	/* A holder that is not in the snapshot (it just ended). */
	snap.balance.owner = 999;
	labview_lock_holder(&snap, buf, sizeof buf);
	assert_string_equal(buf, "lock: held by ? (999)");
}

/* The note the log gets when a lost update is counted. */
static void
test_lab_stale_note(void **state)
{
	char buf[256];

	(void)state;
	/* Both before their first read: no write is about to be lost. */
	assert_false(labview_stale_note(&snap, buf, sizeof buf));
	assert_string_equal(buf, "");
	/* Thread-2 read 0, then Thread-1 wrote 5: Thread-2's 8 loses it. */
	snap.balance.value = 5;
	tasks[1].at = CP_READ_SUB;
	tasks[2].at = CP_WRITE_ADD;
	tasks[2].local = 0;
	assert_true(labview_stale_note(&snap, buf, sizeof buf));
	assert_string_equal(buf, "Thread-2 wrote 8 over 5");
	/* The same on the way down: 5 - 8 over a balance of 13. */
	snap.balance.value = 13;
	tasks[2].at = CP_WRITE_SUB;
	tasks[2].local = 5;
	assert_true(labview_stale_note(&snap, buf, sizeof buf));
	assert_string_equal(buf, "Thread-2 wrote -3 over 13");
	/* Running freely, it stands nowhere: no note. */
	tasks[2].gate = SNAP_GATE_RUNNING;
	tasks[2].doing = CTL_RUNNING;
	assert_false(labview_stale_note(&snap, buf, sizeof buf));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lab_code, setup_race),
		cmocka_unit_test_setup(test_lab_threads, setup_race),
		cmocka_unit_test_setup(test_lab_target_hint, setup_race),
		cmocka_unit_test_setup(test_lab_balance_lock_lost, setup_race),
		cmocka_unit_test_setup(test_lab_stale_note, setup_race),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

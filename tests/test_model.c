/*
 * Unit tests of the model: snapshots built from fixed samples and a control
 * block, checked for tree order, depths, threads under their process,
 * adopted orphans and vanished tasks.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "balance.h"
#include "ctl.h"
#include "model.h"
#include "tutorial.h"

static struct sample
task(pid_t tid, pid_t tgid, pid_t ppid, const char *name)
{
	struct sample s;

	memset(&s, 0, sizeof s);
	s.tid = tid;
	s.tgid = tgid;
	s.ppid = ppid;
	s.state = 'S';
	strncpy(s.name, name, sizeof s.name - 1);
	return s;
}

/* The tids of the snapshot, in order, as "tid:depth tid:depth …". */
static const char *
order(const struct snapshot *snap)
{
	static char buf[512];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < snap->ntasks; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%d:%d",
		    i ? " " : "", snap->tasks[i].s.tid, snap->tasks[i].depth);
	return buf;
}

/* A pool: root 100 with workers 104, 101, 103, 102 given out of order. */
static void
test_tree_order(void **state)
{
	struct sample in[] = {
		task(104, 104, 100, "ForkPoolWorker-4"),
		task(101, 101, 100, "ForkPoolWorker-1"),
		task(100, 100, 1, "MainProcess"),
		task(103, 103, 100, "ForkPoolWorker-3"),
		task(102, 102, 100, "ForkPoolWorker-2"),
	};
	struct snapshot snap = { 0 };

	(void)state;
	model_build(&snap, 100, in, 5, NULL, 0, 1.5);
	assert_string_equal(order(&snap), "100:0 101:1 102:1 103:1 104:1");
	assert_int_equal(snap.root, 100);
	assert_true(snap.t == 1.5);
	assert_true(snap.tasks[4].last_sibling);
	assert_false(snap.tasks[3].last_sibling);
	assert_false(snap.queues[0].present);
	model_free(&snap);
}

/* Threads come right under their process, before its child processes. */
static void
test_threads_under_process(void **state)
{
	struct sample in[] = {
		task(200, 200, 1, "MainThread"),
		task(205, 205, 200, "child"),
		task(202, 200, 1, "Thread-2"),
		task(201, 200, 1, "Thread-1"),
		task(206, 205, 200, "child-thread"),
	};
	struct snapshot snap = { 0 };

	(void)state;
	model_build(&snap, 200, in, 5, NULL, 0, 0);
	assert_string_equal(order(&snap), "200:0 201:1 202:1 205:1 206:2");
	assert_true(snap.tasks[1].is_thread);
	assert_false(snap.tasks[3].is_thread);
	assert_true(snap.tasks[4].is_thread);
	assert_non_null(model_find(&snap, 206));
	assert_null(model_find(&snap, 999));
	model_free(&snap);
}

/* Orphans adopted by ptmon (ppid = ptmon) follow the root's tree. */
static void
test_reparented_orphans(void **state)
{
	struct sample in[] = {
		task(310, 310, 50, "orphan"),	/* 50 is ptmon */
		task(300, 300, 50, "root"),
		task(311, 311, 310, "orphan-child"),
		task(301, 301, 300, "child"),
	};
	struct snapshot snap = { 0 };

	(void)state;
	model_build(&snap, 300, in, 4, NULL, 0, 0);
	assert_string_equal(order(&snap), "300:0 301:1 310:1 311:2");
	model_free(&snap);
}

/* A root that is gone leaves its children as top trees; nothing is lost. */
static void
test_vanished_tasks(void **state)
{
	struct sample in[] = {
		task(402, 402, 400, "child"),
		task(403, 400, 1, "thread-of-gone"),
		task(401, 401, 400, "child"),
	};
	struct snapshot snap = { 0 };

	(void)state;
	model_build(&snap, 400, in, 3, NULL, 0, 0);
	assert_int_equal(snap.ntasks, 3);
	assert_string_equal(order(&snap), "401:1 402:1 403:1");
	/* Rebuilding into the same snapshot reuses it and drops old tasks. */
	model_build(&snap, 400, in, 1, NULL, 0, 0);
	assert_int_equal(snap.ntasks, 1);
	model_build(&snap, 400, in, 0, NULL, 0, 0);
	assert_int_equal(snap.ntasks, 0);
	model_free(&snap);
}

/* Runs change_it(n) once, as the race's threads do. */
static void
run_change_it(void *n)
{
	change_it((long)(intptr_t)n);
}

/* Waits up to 5 s until the slot's task parks at its gate, at `at`. */
static void
wait_parked_at(struct ctl *ctl, int slot, enum checkpoint at)
{
	struct timespec nap = { 0, 1000000 };
	struct ctl_task_view v;
	int tries;

	for (tries = 0; tries < 5000; tries++) {
		if (ctl_task(ctl, slot, &v) && v.doing == CTL_PAUSED &&
		    v.at == at && !v.stepping)
			return;
		nanosleep(&nap, NULL);
	}
	fail_msg("slot %d never parked at %s", slot, checkpoint_label(at));
}

/* Waits up to 5 s for the task named role to take a slot; returns it. */
static int
slot_of(struct ctl *ctl, const char *role)
{
	struct timespec nap = { 0, 1000000 };
	int tries, slot = -1;

	for (tries = 0; tries < 5000 && slot < 0; tries++) {
		slot = ctl_find_role(ctl, role);
		if (slot < 0)
			nanosleep(&nap, NULL);
	}
	if (slot < 0)
		fail_msg("%s never took a slot", role);
	return slot;
}

/* The tid of the slot's task. */
static pid_t
tid_of(struct ctl *ctl, int slot)
{
	struct ctl_task_view v;

	assert_true(ctl_task(ctl, slot, &v));
	return v.tid;
}

/*
 * Control-block fields reach the tasks with the same tid: two threads run
 * change_it as in the race, stepped to a lost update in the making.
 */
static void
test_control_block(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	struct thread t1, t2;
	struct sample in[3];
	struct snapshot snap = { 0 };
	const struct snap_task *one, *two, *root;
	pid_t me = getpid();
	int s1, s2;

	(void)state;
	assert_non_null(ctl);
	/* The root (this thread, slot 0) runs; the threads start paused. */
	ctl_pause_new(ctl, CTL_PAUSE_ALL_BUT_ROOT, NULL, 0);
	tutorial_begin(ctl, -1, "MainThread");
	balance_reset();
	thread_start(&t1, "Thread-1", run_change_it, (void *)(intptr_t)5);
	thread_start(&t2, "Thread-2", run_change_it, (void *)(intptr_t)8);
	/* Each thread takes its own slot as it starts: in either order. */
	s1 = slot_of(ctl, "Thread-1");
	s2 = slot_of(ctl, "Thread-2");
	wait_parked_at(ctl, s1, CP_READ_ADD);
	wait_parked_at(ctl, s2, CP_READ_ADD);
	/* Thread-1 reads 0 and writes 5; Thread-2 then reads 5. */
	assert_int_equal(ctl_step(ctl, s1), 0);
	wait_parked_at(ctl, s1, CP_WRITE_ADD);
	assert_int_equal(ctl_step(ctl, s1), 0);
	wait_parked_at(ctl, s1, CP_READ_SUB);
	assert_int_equal(ctl_step(ctl, s2), 0);
	wait_parked_at(ctl, s2, CP_WRITE_ADD);
	queue_put("A");
	queue_put("B");

	in[0] = task(me, me, 1, "test_model");
	in[1] = task(tid_of(ctl, s1), me, 1, "test_model");
	in[2] = task(tid_of(ctl, s2), me, 1, "test_model");
	model_build(&snap, me, in, 3, ctl, MODEL_QUEUE | MODEL_BALANCE, 0);
	assert_int_equal(snap.ntasks, 3);
	root = model_find(&snap, me);
	one = model_find(&snap, in[1].tid);
	two = model_find(&snap, in[2].tid);
	assert_non_null(root);
	assert_non_null(one);
	assert_non_null(two);
	assert_string_equal(root->role, "MainThread");
	assert_int_equal(root->gate, SNAP_GATE_RUNNING);
	assert_string_equal(two->role, "Thread-2");
	assert_int_equal(two->at, CP_WRITE_ADD);
	assert_int_equal(two->local, 5);
	assert_int_equal(two->arg, 8);
	assert_int_equal(two->doing, CTL_PAUSED);
	assert_int_equal(two->gate, SNAP_GATE_PAUSED);
	assert_int_equal(one->at, CP_READ_SUB);
	assert_true(snap.queues[0].present);
	assert_int_equal(snap.queues[0].nitems, 2);
	assert_string_equal(snap.queues[0].items[0], "A");
	assert_string_equal(snap.queues[0].items[1], "B");
	assert_int_equal(snap.queues[0].puts, 2);
	assert_true(snap.balance.present);
	assert_int_equal(snap.balance.value, 5);
	/* Thread-1 stands between its +5 and its -5: 5 is expected. */
	assert_int_equal(snap.balance.expected, 5);
	assert_int_equal(snap.balance.owner, 0);

	/* A step granted and not taken: the root passes no checkpoint. */
	assert_int_equal(ctl_pause(ctl, 0), 0);
	assert_int_equal(ctl_step(ctl, 0), 0);
	model_build(&snap, me, in, 3, ctl, 0, 0);
	assert_int_equal(model_find(&snap, me)->gate, SNAP_GATE_STEPPING);
	assert_false(snap.queues[0].present);
	assert_false(snap.balance.present);
	ctl_resume(ctl, 0);

	/* A task without a slot has no gate. */
	in[2].tid = 999999;
	model_build(&snap, me, in, 3, ctl, 0, 0);
	assert_int_equal(model_find(&snap, 999999)->slot, -1);
	assert_int_equal(model_find(&snap, 999999)->gate, SNAP_GATE_NONE);

	ctl_pause_new(ctl, CTL_PAUSE_NONE, NULL, 0);
	ctl_resume_all(ctl);
	thread_join(&t1);
	thread_join(&t2);
	model_free(&snap);
	ctl_free(ctl);
}

/*
 * A task's lifetime: from its start (first seen, or the kernel's start
 * time placed on the snapshot's clock) to when it was seen gone.
 */
static void
test_lifetime(void **state)
{
	struct sample in[] = {
		task(100, 100, 1, "MainProcess"),
		task(101, 101, 100, "child"),
	};
	struct snapshot snap = { 0 };
	struct snap_task *t;
	double secs = -1;

	(void)state;
	model_build(&snap, 100, in, 2, NULL, 0, 1.0);
	t = &snap.tasks[1];
	/* A live task has no lifetime, whatever it knows. */
	assert_false(t->ended);
	assert_false(model_lifetime(t, &secs));

	model_task_ended(t, 3 << 8, 0.25, 1.5);
	assert_true(t->ended);
	assert_int_equal(t->end_status, 3 << 8);
	assert_int_equal(t->s.state, 'X');
	assert_true(model_lifetime(t, &secs));
	assert_float_equal(secs, 1.25, 1e-9);

	/* An end seen before a start rounded up by ticks lasted 0. */
	model_task_ended(t, 0, 2.0, 1.99);
	assert_true(model_lifetime(t, &secs));
	assert_float_equal(secs, 0, 1e-9);

	/* Without a start or an end there is no lifetime to tell. */
	model_task_ended(t, 0, NAN, 1.5);
	assert_false(model_lifetime(t, &secs));
	model_task_ended(t, 0, 0.5, NAN);
	assert_false(model_lifetime(t, &secs));
	model_free(&snap);
}

/* The kernel's start time (ticks after boot) on the snapshot's clock. */
static void
test_born_at(void **state)
{
	(void)state;
	/* Booted 1000 s ago, session at 5 s: started 2 s ago is t = 3. */
	assert_float_equal(model_born_at(99800, 100, 1000.0, 5.0), 3.0,
	    1e-9);
	/* Before the session began: a negative time. */
	assert_float_equal(model_born_at(99000, 100, 1000.0, 5.0), -5.0,
	    1e-9);
	/* Ticks a little ahead of the boot clock: not in the future. */
	assert_float_equal(model_born_at(100001, 100, 1000.0, 5.0), 5.0,
	    1e-9);
	assert_true(isnan(model_born_at(0, 100, 1000.0, 5.0)));
	assert_true(isnan(model_born_at(99800, 0, 1000.0, 5.0)));
}

/*
 * A reader terminated while it waited on the queue is still counted as a
 * waiter by the control block: once it has ended nobody waits.
 */
static void
test_settle_queue(void **state)
{
	struct sample in[] = { task(100, 100, 1, "reader") };
	struct snapshot snap = { 0 };

	(void)state;
	model_build(&snap, 100, in, 1, NULL, 0, 0);
	snap.queues[0].present = true;
	snap.queues[0].getters_waiting = 1;
	snap.tasks[0].slot = 0;
	snap.tasks[0].doing = CTL_WAIT_QUEUE;
	model_settle(&snap);
	assert_int_equal(snap.queues[0].getters_waiting, 1);

	model_task_ended(&snap.tasks[0], 15, 0, 1);
	model_settle(&snap);
	assert_int_equal(snap.queues[0].getters_waiting, 0);
	assert_int_equal(snap.queues[0].putters_waiting, 0);
	model_free(&snap);
}

/* A fork or new thread still named as its maker is not shown until named. */
static void
test_unnamed(void **state)
{
	struct ctl_task_view tasks[2];
	struct sample fresh_fork = task(101, 101, 100, "MainProcess");
	struct sample fresh_thread = task(102, 100, 99, "MainProcess");
	struct sample named = task(103, 103, 100, "PoolWorker-1");
	struct sample exec_d = task(104, 104, 100, "nslookup");
	struct sample other = task(105, 105, 7, "MainProcess");
	struct sample watcher = task(106, 100, 99, CTL_WATCHER_NAME);
	struct sample watcher_process = task(107, 107, 100, CTL_WATCHER_NAME);

	(void)state;
	memset(tasks, 0, sizeof tasks);
	tasks[0].slot = 0;
	tasks[0].pid = tasks[0].tid = 100;
	tasks[0].doing = CTL_RUNNING;
	strcpy(tasks[0].role, "MainProcess");
	tasks[1].slot = 1;
	tasks[1].pid = tasks[1].tid = 103;
	strcpy(tasks[1].role, "PoolWorker-1");

	assert_true(model_is_unnamed(&fresh_fork, tasks, 2));
	assert_true(model_is_unnamed(&fresh_thread, tasks, 2));
	/* With a slot of its own it is itself, whatever its comm says. */
	assert_false(model_is_unnamed(&named, tasks, 2));
	tasks[1].tid = 101;
	assert_false(model_is_unnamed(&fresh_fork, tasks, 2));
	/* Another name, or a maker outside the scenario, is shown. */
	assert_false(model_is_unnamed(&exec_d, tasks, 2));
	assert_false(model_is_unnamed(&other, tasks, 2));
	/* A traced Python's watcher thread is the tracer's: never shown. */
	assert_true(model_is_unnamed(&watcher, tasks, 2));
	assert_false(model_is_unnamed(&watcher_process, tasks, 2));
	/* A maker that has ended names nothing. */
	tasks[0].doing = CTL_DONE;
	assert_false(model_is_unnamed(&fresh_thread, tasks, 2));
	/* Command mode: no control block, nothing hidden. */
	assert_false(model_is_unnamed(&fresh_thread, NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_order),
		cmocka_unit_test(test_threads_under_process),
		cmocka_unit_test(test_reparented_orphans),
		cmocka_unit_test(test_vanished_tasks),
		cmocka_unit_test(test_control_block),
		cmocka_unit_test(test_lifetime),
		cmocka_unit_test(test_born_at),
		cmocka_unit_test(test_settle_queue),
		cmocka_unit_test(test_unnamed),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

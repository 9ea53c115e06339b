/*
 * Unit tests of the model: snapshots built from fixed samples and a control
 * block, checked for tree order, depths, threads under their process,
 * adopted orphans and vanished tasks.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ctl.h"
#include "model.h"

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
	assert_false(snap.queue.present);
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

/* Control-block fields reach the tasks with the same tid. */
static void
test_control_block(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	struct sample in[2];
	struct snapshot snap = { 0 };
	char items[CTL_QUEUE_CAP][CTL_ITEM_LEN];
	int a, b;

	(void)state;
	(void)items;
	a = ctl_slot_take(ctl, "Thread-1");
	b = ctl_slot_take(ctl, "Thread-2");
	/* Both slots were taken by this thread: give them distinct tids. */
	atomic_store(&ctl->slots[a].tid, 501);
	atomic_store(&ctl->slots[b].tid, 502);
	atomic_store(&ctl->slots[a].at, CP_WRITE_ADD);
	atomic_store(&ctl->slots[a].local, 5);
	ctl_pause(ctl, b);
	ctl_queue_put(ctl, a, "A");
	ctl_queue_put(ctl, a, "B");
	atomic_store(&ctl->balance.value, 13);
	in[0] = task(501, 500, 1, "Thread-1");
	in[1] = task(502, 500, 1, "Thread-2");
	model_build(&snap, 500, in, 2, ctl, MODEL_QUEUE | MODEL_BALANCE, 0);
	assert_int_equal(snap.ntasks, 2);
	assert_string_equal(snap.tasks[0].role, "Thread-1");
	assert_string_equal(snap.tasks[0].at, "balance = local + n");
	assert_int_equal(snap.tasks[0].local, 5);
	assert_int_equal(snap.tasks[0].gate, SNAP_GATE_RUNNING);
	assert_int_equal(snap.tasks[1].gate, SNAP_GATE_PAUSED);
	ctl_step(ctl, b);
	model_build(&snap, 500, in, 2, ctl, 0, 0);
	assert_int_equal(snap.tasks[1].gate, SNAP_GATE_STEPPING);
	assert_false(snap.queue.present);
	model_build(&snap, 500, in, 2, ctl, MODEL_QUEUE | MODEL_BALANCE, 0);
	assert_true(snap.queue.present);
	assert_int_equal(snap.queue.nitems, 2);
	assert_string_equal(snap.queue.items[0], "A");
	assert_string_equal(snap.queue.items[1], "B");
	assert_int_equal(snap.queue.puts, 2);
	assert_true(snap.balance.present);
	assert_int_equal(snap.balance.value, 13);
	assert_int_equal(snap.balance.expected, 0);
	/* A task without a slot has no gate. */
	in[1].tid = 503;
	model_build(&snap, 500, in, 2, ctl, 0, 0);
	assert_int_equal(snap.tasks[1].slot, -1);
	assert_int_equal(snap.tasks[1].gate, SNAP_GATE_NONE);
	model_free(&snap);
	ctl_free(ctl);
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
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

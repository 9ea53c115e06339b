/*
 * Unit tests of the control block: gates across fork and threads, steps,
 * gate-aware sleep, the shared queue and the balance mutex. The gates are
 * driven through the checkpoints scenario code calls (tutorial.h's
 * checkpoint, checkpoint_write, time_sleep), on tasks bound to the block
 * as the scenario's are (tutorial_begin, os_fork, thread_start).
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "balance.h"
#include "ctl.h"
#include "model.h"
#include "tutorial.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

/* Waits up to 5 s for cond(ctl, slot); fails the test if it never holds. */
static void
wait_until(bool (*cond)(struct ctl *, int), struct ctl *ctl, int slot)
{
	double deadline = now() + 5;

	while (!cond(ctl, slot)) {
		if (now() > deadline)
			fail_msg("condition not reached in 5 s");
		nap(0.001);
	}
}

static bool
parked(struct ctl *ctl, int slot)
{
	return ctl_is_parked(ctl, slot);
}

static bool
slot_taken(struct ctl *ctl, int slot)
{
	struct ctl_task_view v;

	return ctl_task(ctl, slot, &v);
}

/* The checkpoint the slot's task stands at. */
static enum checkpoint
at_of(struct ctl *ctl, int slot)
{
	struct ctl_task_view v;

	assert_true(ctl_task(ctl, slot, &v));
	return v.at;
}

/* Per-slot progress counters, shared across fork like the block. */
static _Atomic uint64_t *progress;

static void
setup_progress(void)
{
	if (progress == NULL)
		progress = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(progress != MAP_FAILED);
	memset((void *)progress, 0, 4096);
}

/* Statements run by a task: one per checkpoint it got through. */
static uint64_t
passed(struct ctl *ctl, int slot)
{
	(void)ctl;
	return atomic_load(&progress[slot]);
}

/*
 * A scenario process that runs checkpoints forever, counting each it gets
 * through: bound to the block as runner.c binds a scenario's root.
 */
static void
checkpoint_loop(struct ctl *ctl)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	tutorial_begin(ctl, -1, "child");
	for (;;) {
		checkpoint(CP_LOOP);
		atomic_fetch_add(&progress[0], 1);
	}
}

/* CPU ticks (utime + stime) a task has used, from /proc. */
static unsigned long long
cpu_ticks(pid_t pid, pid_t tid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, tid);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	p = strrchr(buf, ')');
	assert_non_null(p);
	/* Fields after the name: state is 3rd; utime 14th, stime 15th. */
	assert_int_equal(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
	    "%*u %*u %llu %llu", &ut, &st), 2);
	return ut + st;
}

/*
 * Pause stops progress, a step advances exactly one, resume goes on. `bound`:
 * this process is bound to the block (tutorial_begin), so it can see the
 * checkpoints' fast path open again.
 */
static void
check_gate(struct ctl *ctl, int slot, pid_t pid, pid_t tid, bool bound)
{
	uint64_t before, after, gated_before;
	unsigned long long ticks;
	int i;

	while (passed(ctl, slot) < 1000)
		nap(0.001);
	assert_int_equal(ctl_pause(ctl, slot), 0);
	wait_until(parked, ctl, slot);
	before = passed(ctl, slot);
	gated_before = ctl_checkpoints_passed(ctl, slot);
	assert_int_equal(at_of(ctl, slot), CP_LOOP);
	ticks = cpu_ticks(pid, tid);
	nap(0.3);
	assert_int_equal(passed(ctl, slot), before);
	/* Paused means blocked in the kernel: at most a tick of CPU. */
	assert_true(cpu_ticks(pid, tid) - ticks <= 1);

	for (i = 1; i <= 3; i++) {
		assert_int_equal(ctl_step(ctl, slot), 0);
		while (passed(ctl, slot) == before + (uint64_t)i - 1 ||
		    !ctl_is_parked(ctl, slot))
			nap(0.001);
		nap(0.05);
		assert_int_equal(passed(ctl, slot), before + (uint64_t)i);
		assert_int_equal(ctl_checkpoints_passed(ctl, slot),
		    gated_before + (uint64_t)i);
	}
	after = passed(ctl, slot);
	assert_int_equal(ctl_resume(ctl, slot), 0);
	nap(0.05);
	assert_true(passed(ctl, slot) > after + 100);
	/* Nothing is paused any more: the fast path is open again. */
	if (bound)
		assert_false(tutorial_gated());
}

static void
test_gate_across_fork(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	pid_t pid;

	(void)state;
	assert_non_null(ctl);
	setup_progress();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		checkpoint_loop(ctl);
	wait_until(slot_taken, ctl, 0);
	check_gate(ctl, 0, pid, pid, false);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ctl_free(ctl);
}

static atomic_bool	 loop_stop;
static _Atomic pid_t	 loop_tid;

/* A scenario thread that runs checkpoints until told to stop. */
static void
thread_loop(void *unused)
{
	(void)unused;
	atomic_store(&loop_tid, (pid_t)syscall(SYS_gettid));
	while (!atomic_load(&loop_stop)) {
		checkpoint(CP_LOOP);
		atomic_fetch_add(&progress[1], 1);
	}
}

static void
test_gate_across_threads(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	struct thread t;

	(void)state;
	setup_progress();
	atomic_store(&loop_stop, false);
	atomic_store(&loop_tid, 0);
	/* This thread is the root (slot 0), the loop Thread-1 (slot 1). */
	tutorial_begin(ctl, -1, "MainThread");
	thread_start(&t, "Thread-1", thread_loop, NULL);
	while (atomic_load(&loop_tid) == 0)
		nap(0.001);
	check_gate(ctl, 1, getpid(), atomic_load(&loop_tid), true);
	atomic_store(&loop_stop, true);
	thread_join(&t);
	ctl_free(ctl);
}

/* With pause-all first, a new task waits at its very first checkpoint. */
static void
test_paused_from_start(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	pid_t pid;

	(void)state;
	setup_progress();
	ctl_pause_all(ctl);
	pid = fork();
	if (pid == 0)
		checkpoint_loop(ctl);
	wait_until(slot_taken, ctl, 0);
	wait_until(parked, ctl, 0);
	assert_int_equal(passed(ctl, 0), 0);
	assert_int_equal(at_of(ctl, 0), CP_LOOP);
	ctl_resume_all(ctl);
	while (passed(ctl, 0) < 100)
		nap(0.001);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ctl_free(ctl);
}

/* --speed divides sleeps, and can change; a paused task's sleep clock stops. */
static void
test_gate_aware_sleep(void **state)
{
	struct ctl *ctl = ctl_new(10, 1);
	double t0, took;
	pid_t pid;

	(void)state;
	tutorial_begin(ctl, -1, "MainThread");
	assert_true(ctl_speed(ctl) == 10);
	t0 = now();
	time_sleep(2.0);	/* 2 s at speed 10 */
	took = now() - t0;
	assert_true(took >= 0.19 && took < 0.6);
	/* What the UI's speed keys do: the next sleep goes at the new speed. */
	ctl_set_speed(ctl, 40);
	assert_true(ctl_speed(ctl) == 40);
	t0 = now();
	time_sleep(4.0);	/* 0.1 s */
	took = now() - t0;
	assert_true(took >= 0.09 && took < 0.4);
	ctl_set_speed(ctl, 10);

	pid = os_fork("sleeper");
	if (pid == 0) {
		time_sleep(3.0);	/* 0.3 s */
		_exit(0);
	}
	wait_until(slot_taken, ctl, 1);
	t0 = now();
	nap(0.1);
	ctl_pause(ctl, 1);
	nap(0.4);
	/* Still asleep: the 0.4 s paused did not count. */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
	ctl_resume(ctl, 1);
	waitpid(pid, NULL, 0);
	took = now() - t0;
	assert_true(took >= 0.65);
	ctl_free(ctl);
}

/* Runs change_it(n) once, as each of the race's threads does. */
static void
run_change_it(void *n)
{
	change_it((long)(intptr_t)n);
}

/* Waits until the slot's task has taken its step and parked at `at`. */
static void
step_to(struct ctl *ctl, int slot, enum checkpoint at)
{
	double deadline = now() + 5;
	struct ctl_task_view v;

	assert_int_equal(ctl_step(ctl, slot), 0);
	for (;;) {
		assert_true(ctl_task(ctl, slot, &v));
		if (v.doing == CTL_PAUSED && !v.stepping && v.at == at)
			return;
		if (now() > deadline)
			fail_msg("slot %d did not reach %s", slot,
			    checkpoint_label(at));
		nap(0.001);
	}
}

/*
 * change_it's checkpoints step its read and its write apart: the schedule
 * read, read, write, write loses Thread-1's update, and the block counts it
 * (checkpoint_write) while each task shows the value it holds.
 */
/* A statement takes the pace's beat; a hot-loop checkpoint does not. */
static void
test_pace_beat(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	double t0, took;
	pid_t pid;

	(void)state;
	tutorial_begin(ctl, -1, "MainThread");
	assert_true(ctl_pace(ctl) == 0);
	ctl_set_pace(ctl, 0.2);
	assert_true(ctl_pace(ctl) == 0.2);
	t0 = now();
	checkpoint(CP_PRINT);
	took = now() - t0;
	assert_true(took >= 0.19 && took < 0.6);
	assert_int_equal(at_of(ctl, 0), CP_PRINT);
	t0 = now();
	loop_checkpoint(CP_READ_ADD);
	checkpoint_write(CP_WRITE_ADD, 0, tutorial_new_balance());
	assert_true(now() - t0 < 0.1);

	/* A beat in progress hears a new pace at once: 0 ends it. */
	ctl_set_pace(ctl, 5);
	pid = os_fork("child");
	if (pid == 0) {
		checkpoint(CP_PRINT);
		tutorial_end();
		_exit(0);
	}
	wait_until(slot_taken, ctl, 1);
	nap(0.2);
	t0 = now();
	ctl_set_pace(ctl, 0);
	waitpid(pid, NULL, 0);
	assert_true(now() - t0 < 1.0);

	/* Paused during its beat, a task parks there, before the statement. */
	ctl_set_pace(ctl, 0.5);
	pid = os_fork("child2");
	if (pid == 0) {
		checkpoint(CP_PUT);
		_exit(0);
	}
	wait_until(slot_taken, ctl, 2);
	nap(0.1);
	ctl_pause(ctl, 2);
	wait_until(parked, ctl, 2);
	assert_int_equal(at_of(ctl, 2), CP_PUT);
	nap(0.6);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
	ctl_resume(ctl, 2);
	waitpid(pid, NULL, 0);

	/* Stepped, a task takes no beat: each step is one. */
	ctl_set_pace(ctl, 5);
	ctl_pause_new(ctl, CTL_PAUSE_ALL_BUT_ROOT, NULL, 0);
	pid = os_fork("child3");
	if (pid == 0) {
		checkpoint(CP_PRINT);
		checkpoint(CP_PUT);
		_exit(0);
	}
	wait_until(parked, ctl, 3);
	assert_int_equal(at_of(ctl, 3), CP_PRINT);
	t0 = now();
	assert_int_equal(ctl_step(ctl, 3), 0);
	while (at_of(ctl, 3) != CP_PUT || !ctl_is_parked(ctl, 3)) {
		if (now() - t0 > 2)
			fail_msg("the step took the 5 s beat");
		nap(0.001);
	}
	ctl_pause_new(ctl, CTL_PAUSE_NONE, NULL, 0);
	ctl_resume(ctl, 3);
	ctl_set_pace(ctl, 0);
	waitpid(pid, NULL, 0);
	ctl_free(ctl);
}

static long loop_rounds;

/* A thread's hot loop, as run_thread's in the race. */
static void
looping_thread(void *arg)
{
	long i;

	(void)arg;
	for (i = 0; i < loop_rounds; i++)
		loop_iteration(i + 1);
}

/*
 * Under a pace a hot loop runs in bursts, one per tick of a fifth of the
 * beat, and shows its progress at each; at full speed it takes none.
 */
static void
test_pace_loop(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	struct thread t1, t2;
	struct ctl_task_view v;
	double t0, took;

	(void)state;
	tutorial_begin(ctl, -1, "MainThread");
	loop_rounds = 16 * LOOP_BEAT_EVERY;
	t0 = now();
	thread_start(&t1, "Thread-1", looping_thread, NULL);
	thread_join(&t1);
	assert_true(now() - t0 < 0.5);

	ctl_set_pace(ctl, 0.5);	/* a tick every 0.1 s */
	t0 = now();
	thread_start(&t1, "Thread-1", looping_thread, NULL);
	thread_start(&t2, "Thread-2", looping_thread, NULL);
	nap(0.25);
	/* Thread-1 is under way, and says how far it is. */
	assert_true(ctl_task(ctl, ctl_find_role(ctl, "Thread-1"), &v));
	assert_true(v.iterations >= (unsigned long long)LOOP_BEAT_EVERY);
	assert_true(v.iterations < (unsigned long long)loop_rounds);
	assert_int_equal(v.at, CP_CHANGE_IT);
	thread_join(&t1);
	thread_join(&t2);
	took = now() - t0;
	/*
	 * Thread-1 starts after a beat, then bursts 16 times a tick apart;
	 * Thread-2 starts a beat later.
	 */
	assert_true(took >= 0.5 + 1.5 && took < 5.0);
	ctl_free(ctl);
}

static void
test_lost_update(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	struct ctl_balance_view b;
	struct ctl_task_view v;
	struct thread t1, t2;
	int s1, s2;

	(void)state;
	ctl_pause_new(ctl, CTL_PAUSE_ALL_BUT_ROOT, NULL, 0);
	assert_true(ctl_pausing_new(ctl));
	tutorial_begin(ctl, -1, "MainThread");
	balance_reset();
	thread_start(&t1, "Thread-1", run_change_it, (void *)(intptr_t)5);
	thread_start(&t2, "Thread-2", run_change_it, (void *)(intptr_t)8);
	wait_until(slot_taken, ctl, 2);
	wait_until(parked, ctl, 1);
	wait_until(parked, ctl, 2);
	/* Each thread takes its slot as it starts: in either order. */
	s1 = ctl_find_role(ctl, "Thread-1");
	s2 = ctl_find_role(ctl, "Thread-2");
	assert_true(s1 > 0 && s2 > 0);
	assert_int_equal(at_of(ctl, s1), CP_READ_ADD);
	step_to(ctl, s1, CP_WRITE_ADD);		/* Thread-1 reads 0 */
	step_to(ctl, s2, CP_WRITE_ADD);		/* Thread-2 reads 0 */
	assert_true(ctl_task(ctl, s2, &v));
	assert_int_equal(v.local, 0);
	assert_int_equal(v.arg, 8);
	step_to(ctl, s1, CP_READ_SUB);		/* Thread-1 writes 5 */
	ctl_balance_read(ctl, &b);
	assert_int_equal(b.value, 5);
	assert_int_equal(b.lost, 0);
	step_to(ctl, s2, CP_READ_SUB);		/* Thread-2 writes 8 over it */
	ctl_balance_read(ctl, &b);
	assert_int_equal(b.value, 8);
	assert_int_equal(b.lost, 1);
	/* Let both finish: the fast path opens once nothing is paused. */
	ctl_pause_new(ctl, CTL_PAUSE_NONE, NULL, 0);
	assert_false(ctl_pausing_new(ctl));
	ctl_resume_all(ctl);
	assert_false(tutorial_gated());
	thread_join(&t1);
	thread_join(&t2);
	ctl_free(ctl);
}

/* The queue's counts and items, as the monitor reads them. */
static struct ctl_queue_view
queue_now(struct ctl *ctl)
{
	struct ctl_queue_view q;

	assert_true(ctl_queue_read(ctl, 0, &q));
	return q;
}

/* The doing of the slot's task. */
static enum ctl_doing
doing_of(struct ctl *ctl, int slot)
{
	struct ctl_task_view v;

	assert_true(ctl_task(ctl, slot, &v));
	return v.doing;
}

/* The queue is FIFO across processes, get blocks, counts add up. */
static void
test_queue_across_processes(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	int me = ctl_slot_take(ctl, "parent");
	char got[CTL_ITEM_LEN];
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	if (pid == 0) {
		int slot = ctl_slot_take(ctl, "reader");
		char buf[CTL_ITEM_LEN];
		const char *want[] = { "A", "B", "C" };
		int i;

		for (i = 0; i < 3; i++) {
			ctl_queue_get(ctl, slot, 0, buf, sizeof buf, -1);
			if (strcmp(buf, want[i]) != 0)
				_exit(1);
		}
		ctl_queue_put(ctl, slot, 0, "done");
		_exit(0);
	}
	/* The reader blocks on the empty queue. */
	while (queue_now(ctl).getters_waiting == 0)
		nap(0.001);
	assert_int_equal(doing_of(ctl, 1), CTL_WAIT_QUEUE);
	ctl_queue_put(ctl, me, 0, "A");
	ctl_queue_put(ctl, me, 0, "B");
	ctl_queue_put(ctl, me, 0, "C");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(ctl_queue_get(ctl, me, 0, got, sizeof got, -1));
	assert_string_equal(got, "done");
	assert_int_equal(queue_now(ctl).puts, 4);
	assert_int_equal(queue_now(ctl).gets, 4);
	ctl_free(ctl);
}

/* A full queue blocks put until a get frees a place; reads keep order. */
static void
test_queue_bounded(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	int me = ctl_slot_take(ctl, "parent");
	struct ctl_queue_view q;
	char name[CTL_ITEM_LEN];
	pid_t pid;
	int i;

	(void)state;
	for (i = 0; i < CTL_QUEUE_CAP; i++) {
		snprintf(name, sizeof name, "%d", i);
		ctl_queue_put(ctl, me, 0, name);
	}
	q = queue_now(ctl);
	assert_int_equal(q.nitems, CTL_QUEUE_CAP);
	assert_string_equal(q.items[0], "0");
	assert_string_equal(q.items[CTL_QUEUE_CAP - 1], "15");
	pid = fork();
	if (pid == 0) {
		ctl_queue_put(ctl, ctl_slot_take(ctl, "writer"), 0, "last");
		_exit(0);
	}
	while (queue_now(ctl).putters_waiting == 0)
		nap(0.001);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
	assert_true(ctl_queue_get(ctl, me, 0, name, sizeof name, -1));
	assert_string_equal(name, "0");
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	q = queue_now(ctl);
	assert_int_equal(q.nitems, CTL_QUEUE_CAP);
	assert_string_equal(q.items[0], "1");
	assert_string_equal(q.items[CTL_QUEUE_CAP - 1], "last");
	ctl_free(ctl);
}

/* A get with a timeout returns false on an empty queue, after the time. */
static void
test_queue_get_timeout(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	int me = ctl_slot_take(ctl, "worker");
	char got[CTL_ITEM_LEN] = "stale";
	double start;
	pid_t pid;

	(void)state;
	start = now();
	assert_false(ctl_queue_get(ctl, me, 0, got, sizeof got, 0.1));
	assert_true(now() - start >= 0.09);
	assert_string_equal(got, "");
	/* Gave up: runs again, nobody counted as waiting, nothing taken. */
	assert_int_equal(doing_of(ctl, me), CTL_RUNNING);
	assert_int_equal(queue_now(ctl).getters_waiting, 0);
	assert_int_equal(queue_now(ctl).gets, 0);
	/* Zero: a look without a wait. */
	assert_false(ctl_queue_get(ctl, me, 0, got, sizeof got, 0));
	/* An item put while it waits comes out long before the time. */
	pid = fork();
	if (pid == 0) {
		int slot = ctl_slot_take(ctl, "master");

		while (queue_now(ctl).getters_waiting == 0)
			nap(0.001);
		ctl_queue_put(ctl, slot, 0, "3411");
		_exit(0);
	}
	start = now();
	assert_true(ctl_queue_get(ctl, me, 0, got, sizeof got, 10));
	assert_true(now() - start < 5);
	assert_string_equal(got, "3411");
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	/* A short buffer gets the item cut, NUL-terminated. */
	ctl_queue_put(ctl, me, 0, "3411 * 3411 = 11634921");
	assert_true(ctl_queue_get(ctl, me, 0, got, 5, -1));
	assert_string_equal(got, "3411");
	ctl_free(ctl);
}

/*
 * Queues are named: a fresh block has "queue" only; a second one, once
 * named, keeps its own items and counts; an unnamed one is not in use.
 */
static void
test_queue_named(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	int me = ctl_slot_take(ctl, "master");
	struct ctl_queue_view q;
	char got[CTL_ITEM_LEN];

	(void)state;
	assert_true(ctl_queue_read(ctl, 0, &q));
	assert_string_equal(q.name, "queue");
	assert_false(ctl_queue_read(ctl, 1, &q));
	assert_false(ctl_queue_read(ctl, CTL_QUEUES, &q));
	assert_false(ctl_queue_read(ctl, -1, &q));
	assert_int_equal(ctl_queue_put(ctl, me, 1, "x"), -1);
	assert_false(ctl_queue_get(ctl, me, 1, got, sizeof got, -1));

	ctl_queue_name(ctl, 0, "task_queue");
	ctl_queue_name(ctl, 1, "result_queue");
	assert_int_equal(ctl_queue_put(ctl, me, 0, "3411"), 0);
	assert_int_equal(ctl_queue_put(ctl, me, 0, "42"), 0);
	assert_int_equal(ctl_queue_put(ctl, me, 1,
	    "10000 * 10000 = 100000000"), 0);
	assert_true(ctl_queue_read(ctl, 0, &q));
	assert_string_equal(q.name, "task_queue");
	assert_int_equal(q.nitems, 2);
	assert_int_equal(q.puts, 2);
	assert_true(ctl_queue_read(ctl, 1, &q));
	assert_string_equal(q.name, "result_queue");
	assert_int_equal(q.nitems, 1);
	assert_int_equal(q.puts, 1);
	/* A whole result fits in an item. */
	assert_string_equal(q.items[0], "10000 * 10000 = 100000000");
	assert_true(ctl_queue_get(ctl, me, 1, got, sizeof got, 0));
	assert_string_equal(got, "10000 * 10000 = 100000000");
	assert_false(ctl_queue_get(ctl, me, 1, got, sizeof got, 0));
	assert_true(ctl_queue_get(ctl, me, 0, got, sizeof got, 0));
	assert_string_equal(got, "3411");
	/* A name too long is cut; "" takes the queue out of use. */
	ctl_queue_name(ctl, 1, "a_name_longer_than_sixteen");
	assert_true(ctl_queue_read(ctl, 1, &q));
	assert_int_equal(strlen(q.name), CTL_QUEUE_NAME_LEN - 1);
	ctl_queue_name(ctl, 1, "");
	assert_false(ctl_queue_read(ctl, 1, &q));
	ctl_free(ctl);
}

struct lock_arg {
	struct ctl	*ctl;
	long		 counter;
};

static void *
locked_adder(void *opaque)
{
	struct lock_arg *a = opaque;
	int slot = ctl_slot_take(a->ctl, "adder");
	int i;

	for (i = 0; i < 200000; i++) {
		ctl_lock(a->ctl, slot);
		/* Not atomic: only the lock keeps this exact. */
		a->counter = a->counter + 1;
		ctl_unlock(a->ctl, slot);
	}
	return NULL;
}

static void
test_balance_lock(void **state)
{
	struct lock_arg a = { .ctl = ctl_new(1, 1) };
	struct ctl_balance_view b;
	pthread_t t1, t2;

	(void)state;
	pthread_create(&t1, NULL, locked_adder, &a);
	pthread_create(&t2, NULL, locked_adder, &a);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	assert_int_equal(a.counter, 400000);
	ctl_balance_read(a.ctl, &b);
	assert_int_equal(b.owner, 0);
	assert_int_equal(b.waiters, 0);
	ctl_free(a.ctl);
}

/* Slots are fixed: the 65th task gets none; bad slots are refused. */
static void
test_slots(void **state)
{
	struct ctl *ctl = ctl_new(1, 1234);
	struct ctl_task_view v;
	int i, cursor = 0;

	(void)state;
	assert_int_equal(ctl_seed(ctl), 1234);
	for (i = 0; i < CTL_MAX_TASKS; i++)
		assert_int_equal(ctl_slot_take(ctl, "a-rather-long-role-name"),
		    i);
	assert_int_equal(ctl_slot_take(ctl, "x"), -1);
	assert_true(ctl_task(ctl, 0, &v));
	assert_string_equal(v.role, "a-rather-long-r");
	assert_int_equal(v.tid, (pid_t)syscall(SYS_gettid));
	/* The walk sees every used slot once, in order. */
	for (i = 0; ctl_task_next(ctl, &cursor, &v); i++)
		assert_int_equal(v.slot, i);
	assert_int_equal(i, CTL_MAX_TASKS);
	ctl_slot_release(ctl, 1);
	cursor = 0;
	assert_true(ctl_task_next(ctl, &cursor, &v));
	assert_true(ctl_task_next(ctl, &cursor, &v));
	assert_int_equal(v.slot, 2);
	assert_int_equal(ctl_pause(ctl, -1), -1);
	assert_int_equal(ctl_step(ctl, CTL_MAX_TASKS), -1);
	/* A step is only for a paused task. */
	assert_int_equal(ctl_step(ctl, 0), -1);
	assert_string_equal(checkpoint_label(CP_READ_ADD), "read balance (+n)");
	assert_string_equal(checkpoint_label(9999), "?");
	ctl_free(ctl);
}

/* True when s is NUL-terminated within n bytes and holds no control. */
static bool
inert(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return i < n;
}

/*
 * A block shared with a traced program is the program's to write: filled
 * with garbage (names without NULs, escape sequences, indices and counts
 * out of range, the queue's lock held for ever), it must neither crash,
 * hang nor let an escape through the views and the snapshot.
 */
static void
test_hostile_block(void **state)
{
	struct ctl_queue_view q;
	struct ctl_task_view v;
	struct sample samples[CTL_MAX_TASKS];
	struct snapshot snap = { 0 };
	struct ctl *ctl;
	unsigned char *raw;
	size_t i, n = 0;
	int fd, round, cursor, k;
	double t0;

	(void)state;
	ctl = ctl_new_shared(1.0, 1, &fd);
	assert_non_null(ctl);
	/* Sealed: the program cannot shrink it under ptmon's mapping. */
	assert_int_equal(ftruncate(fd, 16), -1);
	raw = mmap(NULL, ctl_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	assert_true(raw != MAP_FAILED);
	srand(7);
	for (round = 0; round < 200; round++) {
		/* Keep the header (magic, version, size): garbage after it. */
		for (i = 16; i < ctl_size(); i++)
			raw[i] = (unsigned char)(round % 3 == 0 ? 0x1b :
			    round % 3 == 1 ? 0xff : rand());
		t0 = now();
		for (k = 0; k < CTL_QUEUES; k++) {
			(void)ctl_queue_read(ctl, k, &q);
			assert_true(q.nitems <= CTL_QUEUE_CAP);
			assert_true(memchr(q.name, '\0', sizeof q.name));
			for (i = 0; i < q.nitems; i++)
				assert_true(memchr(q.items[i], '\0',
				    CTL_ITEM_LEN));
		}
		assert_true(now() - t0 < 0.5);
		cursor = 0;
		n = 0;
		while (ctl_task_next(ctl, &cursor, &v)) {
			assert_true(v.slot >= 0 && v.slot < CTL_MAX_TASKS);
			assert_true(v.doing <= CTL_DONE);
			assert_true(v.at < CP_COUNT);
			assert_true(memchr(v.role, '\0', sizeof v.role));
			assert_true(memchr(v.text, '\0', sizeof v.text));
			assert_true(memchr(v.where, '\0', sizeof v.where));
			if (n < CTL_MAX_TASKS) {
				memset(&samples[n], 0, sizeof samples[n]);
				samples[n].tid = samples[n].tgid = v.tid;
				samples[n].ppid = n == 0 ? 0 : samples[0].tid;
				samples[n].state = 'S';
				n++;
			}
		}
		model_build(&snap, n > 0 ? samples[0].tid : 1, samples, n, ctl,
		    MODEL_QUEUE | MODEL_BALANCE, 0);
		for (i = 0; i < snap.ntasks; i++) {
			const struct snap_task *t = &snap.tasks[i];

			assert_true(inert(t->role, sizeof t->role));
			assert_true(inert(t->text, sizeof t->text));
			assert_true(inert(t->where, sizeof t->where));
			assert_true(inert(model_task_at(t), 64));
		}
		for (k = 0; k < CTL_QUEUES; k++) {
			const struct snap_queue *sq = &snap.queues[k];

			assert_true(sq->nitems <= CTL_QUEUE_CAP);
			assert_true(inert(sq->name, sizeof sq->name));
			for (i = 0; i < sq->nitems; i++)
				assert_true(inert(sq->items[i],
				    sizeof sq->items[i]));
		}
		/* The Python lab's fields: in range, terminated, inert. */
		for (k = -1; k <= CTL_MAX_TASKS; k++) {
			struct ctl_py_task_view pv;

			if (!ctl_py_task(ctl, k, &pv))
				continue;
			assert_true(k >= 0 && k < CTL_MAX_TASKS);
			assert_true(pv.line > 0 && pv.line <= CTL_PY_LINE_MAX);
			assert_true(pv.offset >= -1 &&
			    pv.offset <= CTL_PY_LINE_MAX);
			assert_true(pv.held >= -1 && pv.held < CTL_PY_WATCH);
			assert_true(memchr(pv.path, '\0', sizeof pv.path));
			assert_true(memchr(pv.ops, '\0', sizeof pv.ops));
			assert_true(memchr(pv.held_repr, '\0',
			    sizeof pv.held_repr));
		}
		for (k = -1; k <= CTL_PY_WATCH; k++) {
			struct ctl_py_watch_view wv;

			if (!ctl_py_watch(ctl, k, &wv))
				continue;
			assert_true(k >= 0 && k < CTL_PY_WATCH);
			assert_true(wv.name[0] != '\0');
			assert_true(memchr(wv.name, '\0', sizeof wv.name));
			assert_true(memchr(wv.repr, '\0', sizeof wv.repr));
		}
		model_build(&snap, n > 0 ? samples[0].tid : 1, samples, n, ctl,
		    MODEL_PY, 0);
		assert_true(snap.py.present);
		assert_true(snap.py.nwatch >= 0 &&
		    snap.py.nwatch <= CTL_PY_WATCH);
		for (k = 0; k < CTL_MAX_TASKS; k++) {
			const struct snap_py_task *pt = &snap.py.tasks[k];
			const char *l = pt->ops;

			assert_true(inert(pt->path, sizeof pt->path));
			assert_true(inert(pt->held_repr, sizeof pt->held_repr));
			assert_true(memchr(pt->ops, '\0', sizeof pt->ops));
			/* The record's lines, each inert. */
			for (l = pt->ops; *l != '\0'; l++)
				assert_true(*l == '\n' ||
				    ((unsigned char)*l >= 0x20 && *l != 0x7f));
		}
		for (k = 0; k < snap.py.nwatch; k++) {
			assert_true(inert(snap.py.watch[k].name,
			    sizeof snap.py.watch[k].name));
			assert_true(inert(snap.py.watch[k].repr,
			    sizeof snap.py.watch[k].repr));
		}
		assert_true(ctl_queues_named(ctl) >= 0 &&
		    ctl_queues_named(ctl) <= CTL_QUEUES);
		for (k = 0; k < CTL_QUEUES; k++)
			assert_true(snap.queues[k].hidden == 0 ||
			    snap.queues[k].present);
		/*
		 * The queue mirror on garbage: in bounds, and done, not stuck
		 * (a bound far above the microseconds it takes, so that a
		 * sanitizer build beside the rest of the suite passes too).
		 */
		if (round % 20 == 0) {
			t0 = now();
			ctl_queue_mirror_put(ctl, round % CTL_QUEUES, "x");
			ctl_queue_mirror_got(ctl, round % CTL_QUEUES, "y");
			ctl_queue_mirror_unput(ctl, round % CTL_QUEUES, "x");
			assert_true(now() - t0 < 5.0);
		}
		/* The monitor's verbs on any slot, in range or not. */
		ctl_pause(ctl, round % (CTL_MAX_TASKS + 4) - 2);
		ctl_step(ctl, round % CTL_MAX_TASKS);
		ctl_resume(ctl, round % CTL_MAX_TASKS);
	}
	model_free(&snap);
	munmap(raw, ctl_size());
	close(fd);
	ctl_free(ctl);
}

/* The items of queue k, as the monitor reads them, "|"-joined. */
static const char *
mirror_items(struct ctl *ctl, int k, struct ctl_queue_view *q)
{
	static char buf[CTL_QUEUE_CAP * CTL_ITEM_LEN + CTL_QUEUE_CAP];
	unsigned i;

	assert_true(ctl_queue_read(ctl, k, q));
	buf[0] = '\0';
	for (i = 0; i < q->nitems; i++) {
		if (i > 0)
			strcat(buf, "|");
		strcat(buf, q->items[i]);
	}
	return buf;
}

/*
 * A traced program's queues: claimed and named as the program makes
 * them, mirrored as it puts and gets, never blocking it.
 */
static void
test_queue_mirror(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	int me = ctl_slot_take(ctl, "MainThread");
	struct ctl_queue_view q;
	char item[8];
	pid_t pid;
	int i, status;

	(void)state;
	ctl_queue_name(ctl, 0, "");
	assert_int_equal(ctl_queues_named(ctl), 0);
	assert_false(ctl_queue_read(ctl, 0, &q));
	/* Not claimed: nothing happens. */
	ctl_queue_mirror_put(ctl, 0, "A");
	ctl_queue_mirror_put(ctl, -1, "A");
	ctl_queue_mirror_got(ctl, CTL_QUEUES, "A");
	assert_false(ctl_queue_read(ctl, 0, &q));

	assert_int_equal(ctl_queue_claim(ctl, "q"), 0);
	assert_int_equal(ctl_queue_claim(ctl, ""), 1);
	assert_int_equal(ctl_queue_claim(ctl, "third"), -1);
	assert_int_equal(ctl_queues_named(ctl), 2);
	assert_true(ctl_queue_read(ctl, 1, &q));
	assert_string_equal(q.name, "Queue-2");

	/* Puts at the tail; a failed put taken back; gets at the head. */
	ctl_queue_mirror_put(ctl, 0, "'A'");
	ctl_queue_mirror_put(ctl, 0, "'B'");
	ctl_queue_mirror_put(ctl, 0, "'X'");
	ctl_queue_mirror_unput(ctl, 0, "'X'");
	ctl_queue_mirror_put(ctl, 0, "'C'");
	assert_string_equal(mirror_items(ctl, 0, &q), "'A'|'B'|'C'");
	assert_int_equal(q.puts, 3);
	assert_int_equal(q.hidden, 0);
	/* Another process gets (the block is shared across fork). */
	pid = fork();
	if (pid == 0) {
		ctl_queue_mirror_got(ctl, 0, "'A'");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* Two writers' puts mirrored out of order: the one got goes. */
	ctl_queue_mirror_got(ctl, 0, "'C'");
	assert_string_equal(mirror_items(ctl, 0, &q), "'B'");
	assert_int_equal(q.gets, 2);
	/* Not found at all: the head. */
	ctl_queue_mirror_got(ctl, 0, "'?'");
	assert_string_equal(mirror_items(ctl, 0, &q), "");
	ctl_queue_mirror_got(ctl, 0, "'?'");
	assert_int_equal(q.gets, 3);

	/* More than the block holds: the oldest hidden, got first. */
	for (i = 0; i < CTL_QUEUE_CAP + 4; i++) {
		snprintf(item, sizeof item, "%d", i);
		ctl_queue_mirror_put(ctl, 1, item);
	}
	(void)mirror_items(ctl, 1, &q);
	assert_int_equal(q.nitems, CTL_QUEUE_CAP);
	assert_int_equal(q.hidden, 4);
	assert_string_equal(q.items[0], "4");
	for (i = 0; i < 5; i++) {
		snprintf(item, sizeof item, "%d", i);
		ctl_queue_mirror_got(ctl, 1, item);
	}
	(void)mirror_items(ctl, 1, &q);
	assert_int_equal(q.hidden, 0);
	assert_int_equal(q.nitems, CTL_QUEUE_CAP - 1);
	assert_string_equal(q.items[0], "5");

	/* A waiter is counted, and its task shows it. */
	ctl_queue_mirror_wait(ctl, me, 1, false, true);
	assert_true(ctl_queue_read(ctl, 1, &q));
	assert_int_equal(q.getters_waiting, 1);
	assert_int_equal(doing_of(ctl, me), CTL_WAIT_QUEUE);
	ctl_queue_mirror_wait(ctl, me, 1, false, false);
	ctl_queue_mirror_wait(ctl, me, 1, false, false);
	assert_true(ctl_queue_read(ctl, 1, &q));
	assert_int_equal(q.getters_waiting, 0);
	assert_int_equal(doing_of(ctl, me), CTL_RUNNING);

	/*
	 * Processes killed as they mirror puts, some inside the queue's
	 * lock (as pr.terminate() may end a reader): the next put takes a
	 * dead holder's lock over and shows at once.
	 */
	for (i = 0; i < 20; i++) {
		pid = fork();
		if (pid == 0)
			for (;;)
				ctl_queue_mirror_put(ctl, 0, "'spin'");
		nap(0.002 + 0.0005 * i);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		ctl_queue_mirror_put(ctl, 0, "'D'");
		assert_true(ctl_queue_read(ctl, 0, &q));
		assert_true(q.nitems > 0);
		assert_string_equal(q.items[q.nitems - 1], "'D'");
	}
	ctl_free(ctl);
}

/* An exec'd program maps the block from its fd, and only a real one. */
static void
test_attach(void **state)
{
	struct ctl_task_view v;
	struct ctl *ctl, *mine;
	const char *why = NULL;
	int fd, other, slot, cursor = 0;

	(void)state;
	ctl = ctl_new_shared(1.0, 1, &fd);
	assert_non_null(ctl);
	assert_null(ctl_attach(fd, ctl_size() + 8, &why));
	assert_non_null(why);
	assert_null(ctl_attach(-1, ctl_size(), &why));
	other = memfd_create("not-ctl", 0);
	assert_true(other >= 0);
	assert_int_equal(ftruncate(other, (off_t)ctl_size()), 0);
	assert_null(ctl_attach(other, ctl_size(), &why));
	close(other);
	mine = ctl_attach(fd, ctl_size(), &why);
	assert_non_null(mine);
	slot = ctl_slot_take(mine, "MainThread");
	assert_true(slot >= 0);
	ctl_set_where(mine, slot, "a_rather_long_file_name_here.py:1234");
	assert_true(ctl_task_next(ctl, &cursor, &v));
	assert_string_equal(v.role, "MainThread");
	assert_int_equal(strlen(v.where), CTL_WHERE_LEN - 1);
	ctl_set_role(mine, slot, "PoolWorker-1");
	assert_true(ctl_task(ctl, slot, &v));
	assert_string_equal(v.role, "PoolWorker-1");
	ctl_free(mine);
	close(fd);
	ctl_free(ctl);
}

/* Done slots are taken again once every slot has been used. */
static void
test_slot_reuse(void **state)
{
	struct ctl *ctl = ctl_new(1.0, 1);
	int i, slot;

	(void)state;
	for (i = 0; i < CTL_MAX_TASKS; i++) {
		slot = ctl_slot_take(ctl, "Thread");
		assert_int_equal(slot, i);
		if (i % 2 == 1)
			ctl_slot_done(ctl, slot);
	}
	assert_int_equal(ctl_slot_take(ctl, "Thread-99"), 1);
	ctl_free(ctl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_gate_across_fork),
		cmocka_unit_test(test_gate_across_threads),
		cmocka_unit_test(test_paused_from_start),
		cmocka_unit_test(test_gate_aware_sleep),
		cmocka_unit_test(test_pace_beat),
		cmocka_unit_test(test_pace_loop),
		cmocka_unit_test(test_lost_update),
		cmocka_unit_test(test_queue_across_processes),
		cmocka_unit_test(test_queue_bounded),
		cmocka_unit_test(test_queue_get_timeout),
		cmocka_unit_test(test_queue_named),
		cmocka_unit_test(test_queue_mirror),
		cmocka_unit_test(test_balance_lock),
		cmocka_unit_test(test_hostile_block),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_slot_reuse),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

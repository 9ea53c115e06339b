/*
 * Unit tests of the control block: gates across fork and threads, steps,
 * gate-aware sleep, the shared queue and the balance mutex.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctl.h"

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
	return atomic_load(&ctl->slots[slot].used) != 0;
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

/* A task that runs checkpoints forever, counting each it gets through. */
static void
checkpoint_loop(struct ctl *ctl, int slot)
{
	for (;;) {
		ctl_checkpoint(ctl, slot, CP_LOOP);
		atomic_fetch_add(&progress[slot], 1);
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

/* Pause stops progress, a step advances exactly one, resume goes on. */
static void
check_gate(struct ctl *ctl, int slot, pid_t pid, pid_t tid)
{
	uint64_t before, after, gated_before;
	unsigned long long ticks;
	int i;

	while (passed(ctl, slot) < 1000)
		nap(0.001);
	assert_int_equal(ctl_pause(ctl, slot), 0);
	wait_until(parked, ctl, slot);
	before = passed(ctl, slot);
	gated_before = atomic_load(&ctl->slots[slot].passed);
	assert_int_equal(atomic_load(&ctl->slots[slot].at), CP_LOOP);
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
		assert_int_equal(atomic_load(&ctl->slots[slot].passed),
		    gated_before + (uint64_t)i);
	}
	after = passed(ctl, slot);
	assert_int_equal(ctl_resume(ctl, slot), 0);
	nap(0.05);
	assert_true(passed(ctl, slot) > after + 100);
	/* Nothing is paused any more: the fast path is open again. */
	assert_int_equal(atomic_load(&ctl->gated), 0);
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
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		checkpoint_loop(ctl, ctl_slot_take(ctl, "child"));
	}
	wait_until(slot_taken, ctl, 0);
	check_gate(ctl, 0, pid, pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ctl_free(ctl);
}

struct thread_arg {
	struct ctl	*ctl;
	_Atomic pid_t	 tid;
};

static void *
thread_loop(void *opaque)
{
	struct thread_arg *a = opaque;
	int slot = ctl_slot_take(a->ctl, "Thread-1");

	atomic_store(&a->tid, atomic_load(&a->ctl->slots[slot].tid));
	for (;;) {
		ctl_checkpoint(a->ctl, slot, CP_LOOP);
		atomic_fetch_add(&progress[slot], 1);
		if (atomic_load(&a->ctl->slots[slot].doing) == CTL_DONE)
			return NULL;
	}
}

static void
test_gate_across_threads(void **state)
{
	struct thread_arg a = { .ctl = ctl_new(1, 1) };
	pthread_t t;

	(void)state;
	setup_progress();
	assert_int_equal(pthread_create(&t, NULL, thread_loop, &a), 0);
	while (atomic_load(&a.tid) == 0)
		nap(0.001);
	check_gate(a.ctl, 0, getpid(), atomic_load(&a.tid));
	ctl_slot_done(a.ctl, 0);
	pthread_join(t, NULL);
	ctl_free(a.ctl);
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
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		checkpoint_loop(ctl, ctl_slot_take(ctl, "child"));
	}
	wait_until(slot_taken, ctl, 0);
	wait_until(parked, ctl, 0);
	assert_int_equal(passed(ctl, 0), 0);
	assert_int_equal(atomic_load(&ctl->slots[0].at), CP_LOOP);
	ctl_resume_all(ctl);
	while (passed(ctl, 0) < 100)
		nap(0.001);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ctl_free(ctl);
}

/* --speed divides sleeps; a paused task's sleep clock stops. */
static void
test_gate_aware_sleep(void **state)
{
	struct ctl *ctl = ctl_new(10, 1);
	int slot = ctl_slot_take(ctl, "main");
	double t0 = now(), took;
	pid_t pid;

	(void)state;
	ctl_sleep(ctl, slot, 2.0);	/* 2 s at speed 10 */
	took = now() - t0;
	assert_true(took >= 0.19 && took < 0.6);

	pid = fork();
	if (pid == 0) {
		int me = ctl_slot_take(ctl, "sleeper");

		ctl_sleep(ctl, me, 3.0);	/* 0.3 s */
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
			ctl_queue_get(ctl, slot, buf);
			if (strcmp(buf, want[i]) != 0)
				_exit(1);
		}
		ctl_queue_put(ctl, slot, "done");
		_exit(0);
	}
	/* The reader blocks on the empty queue. */
	while (atomic_load(&ctl->queue.getters_waiting) == 0)
		nap(0.001);
	assert_int_equal(atomic_load(&ctl->slots[1].doing), CTL_WAIT_QUEUE);
	ctl_queue_put(ctl, me, "A");
	ctl_queue_put(ctl, me, "B");
	ctl_queue_put(ctl, me, "C");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	ctl_queue_get(ctl, me, got);
	assert_string_equal(got, "done");
	assert_int_equal(atomic_load(&ctl->queue.puts), 4);
	assert_int_equal(atomic_load(&ctl->queue.gets), 4);
	ctl_free(ctl);
}

/* A full queue blocks put until a get frees a place; peek keeps order. */
static void
test_queue_bounded(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	int me = ctl_slot_take(ctl, "parent");
	char items[CTL_QUEUE_CAP][CTL_ITEM_LEN];
	char name[CTL_ITEM_LEN];
	pid_t pid;
	int i;

	(void)state;
	for (i = 0; i < CTL_QUEUE_CAP; i++) {
		snprintf(name, sizeof name, "%d", i);
		ctl_queue_put(ctl, me, name);
	}
	assert_int_equal(ctl_queue_peek(ctl, items), CTL_QUEUE_CAP);
	assert_string_equal(items[0], "0");
	assert_string_equal(items[CTL_QUEUE_CAP - 1], "15");
	pid = fork();
	if (pid == 0) {
		ctl_queue_put(ctl, ctl_slot_take(ctl, "writer"), "last");
		_exit(0);
	}
	while (atomic_load(&ctl->queue.putters_waiting) == 0)
		nap(0.001);
	assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);
	ctl_queue_get(ctl, me, name);
	assert_string_equal(name, "0");
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(ctl_queue_peek(ctl, items), CTL_QUEUE_CAP);
	assert_string_equal(items[CTL_QUEUE_CAP - 1], "last");
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
	pthread_t t1, t2;

	(void)state;
	pthread_create(&t1, NULL, locked_adder, &a);
	pthread_create(&t2, NULL, locked_adder, &a);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	assert_int_equal(a.counter, 400000);
	assert_int_equal(atomic_load(&a.ctl->balance.owner), 0);
	ctl_free(a.ctl);
}

/* Slots are fixed: the 65th task gets none; bad slots are refused. */
static void
test_slots(void **state)
{
	struct ctl *ctl = ctl_new(1, 1);
	int i;

	(void)state;
	assert_int_equal(ctl->magic, CTL_MAGIC);
	assert_int_equal(ctl->version, CTL_VERSION);
	for (i = 0; i < CTL_MAX_TASKS; i++)
		assert_int_equal(ctl_slot_take(ctl, "a-rather-long-role-name"),
		    i);
	assert_int_equal(ctl_slot_take(ctl, "x"), -1);
	assert_string_equal(ctl->slots[0].role, "a-rather-long-r");
	assert_int_equal(ctl_pause(ctl, -1), -1);
	assert_int_equal(ctl_step(ctl, CTL_MAX_TASKS), -1);
	/* A step is only for a paused task. */
	assert_int_equal(ctl_step(ctl, 0), -1);
	assert_string_equal(checkpoint_label(CP_READ_ADD), "read balance (+n)");
	assert_string_equal(checkpoint_label(9999), "?");
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
		cmocka_unit_test(test_queue_across_processes),
		cmocka_unit_test(test_queue_bounded),
		cmocka_unit_test(test_balance_lock),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

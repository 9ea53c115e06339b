/*
 * change_it: `balance = balance + n` is two statements for the CPU, a read of
 * balance and a write of the value read plus n. Each is a separate relaxed
 * atomic access (not an atomic add), so two threads can interleave between
 * them and lose an update, and the compiler cannot fold them away.
 * A checkpoint stands before each, so ptmon can step them one by one.
 */
#include "config.h"

#include "balance.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdint.h>

#include "tutorial.h"
#include "i18n.h"

/* The balance lives in the control block, so the monitor sees it. */
static _Atomic int64_t *balance;

void
balance_reset(void)
{
	balance = tutorial_new_balance();
}

int64_t
balance_value(void)
{
	return atomic_load(balance);
}

void
change_it(long n)
{
	_Atomic int64_t *b = balance;	/* global balance */
	int64_t local;

	/* balance = balance + n */
	loop_checkpoint(CP_READ_ADD);
	local = atomic_load_explicit(b, memory_order_relaxed);
	hold(local);
	checkpoint_write(CP_WRITE_ADD, local, b);
	atomic_store_explicit(b, local + n, memory_order_relaxed);
	/* balance = balance - n */
	loop_checkpoint(CP_READ_SUB);
	local = atomic_load_explicit(b, memory_order_relaxed);
	hold(local);
	checkpoint_write(CP_WRITE_SUB, local, b);
	atomic_store_explicit(b, local - n, memory_order_relaxed);
}

int
run_two_threads(const struct params *params, void (*run_thread)(void *))
{
	const struct param_value *amounts = params_get(params, "amounts");
	struct thread t1, t2;

	balance_reset();
	/* t1 = threading.Thread(target=run_thread, args=(5,)) … */
	thread_start(&t1, "Thread-1", run_thread,
	    (void *)(intptr_t)amounts->ints[0]);
	thread_start(&t2, "Thread-2", run_thread,
	    (void *)(intptr_t)amounts->ints[1]);
	thread_join(&t1);
	thread_join(&t2);
	checkpoint(CP_PRINT);
	print("%" PRId64, balance_value());	/* print(balance) */
	return 0;
}

const struct param_def balance_params[] = {
	{ .name = "iterations", .kind = PARAM_INT, .def = "2000000",
	  .min = 0, .max = 1000000000L,
	  .help = N_("times each thread runs change_it") },
	{ .name = "amounts", .kind = PARAM_INT_LIST, .def = "5,8",
	  .min = -1000000, .max = 1000000, .min_items = 2, .max_items = 2,
	  .help = N_("n of Thread-1 and Thread-2") },
	{ .name = "target", .kind = PARAM_INT, .def = "",
	  .min = -1000000000L, .max = 1000000000L,
	  .help = N_("a final balance to reach by stepping (a challenge)") },
	{ .name = NULL },
};

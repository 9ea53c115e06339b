/*
 * multiprocessing.Pool(4) with five long_time_tasks: tasks 0-3 start at
 * once, task 4 waits in the pool's queue until a worker is free.
 *
 * The pool is what Python builds under the hood: worker processes that take
 * task numbers from a shared queue, and one "None" per worker after close().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "scenario.h"
#include "tutorial.h"

#define POOL_MAX_WORKERS	8
#define POOL_CLOSED		"None"

static void
long_time_task(int name)
{
	double start, end;

	checkpoint(CP_TASK_START);
	print("Run task %d (%d)...", name, getpid());
	start = time_time();
	time_sleep(random_random() * 3);
	end = time_time();
	checkpoint(CP_TASK_END);
	print("Task %d runs %0.2f seconds.", name, (end - start));
}

/* A pool worker: runs tasks until the pool is closed. */
static void
worker(void *unused)
{
	char task[16];

	(void)unused;
	for (;;) {
		checkpoint(CP_WAIT_TASK);
		queue_get(task);
		if (strcmp(task, POOL_CLOSED) == 0)
			break;
		long_time_task(atoi(task));
	}
}

static int
pool_main(const struct params *params)
{
	struct process p[POOL_MAX_WORKERS];
	int workers = (int)params_int(params, "workers");
	int tasks = (int)params_int(params, "tasks");
	char name[32];
	int i;

	checkpoint(CP_PRINT);
	print("Parent process %d.", getpid());
	/* p = Pool(4) */
	for (i = 0; i < workers; i++) {
		snprintf(name, sizeof name, "PoolWorker-%d", i + 1);
		process_start(&p[i], name, worker, NULL);
	}
	for (i = 0; i < tasks; i++) {
		checkpoint(CP_APPLY_ASYNC);
		snprintf(name, sizeof name, "%d", i);
		queue_put(name);	/* p.apply_async(long_time_task, args=(i,)) */
	}
	checkpoint(CP_PRINT);
	print("Waiting for all subprocesses done...");
	checkpoint(CP_POOL_CLOSE);
	for (i = 0; i < workers; i++)
		queue_put(POOL_CLOSED);	/* p.close() */
	for (i = 0; i < workers; i++)
		process_join(&p[i]);	/* p.join() */
	checkpoint(CP_PRINT);
	print("All subprocesses done.");
	return 0;
}

static const struct param_def pool_params[] = {
	{ .name = "workers", .kind = PARAM_INT, .def = "4", .min = 1,
	  .max = POOL_MAX_WORKERS, .help = N_("size of the pool, Pool(N)") },
	{ .name = "tasks", .kind = PARAM_INT, .def = "5", .min = 0,
	  .max = 100, .help = N_("long_time_tasks submitted") },
	{ .name = NULL },
};

const struct scenario scenario_pool = {
	.name = "pool",
	.summary = N_("multiprocessing.Pool(4) running 5 long_time_tasks"),
	.watch_for = N_("task 4 waits for a free worker: the pool has 4"),
	.root_role = "MainProcess",
	.panes = MODEL_QUEUE,
	.params = pool_params,
	.main = pool_main,
};

/*
 * 分布式进程 (distributed processes): the tutorial's task_master.py and
 * task_worker.py. The master registers a task queue and a result queue
 * with a QueueManager, starts it (a server process on 127.0.0.1), puts ten
 * random numbers and waits for their squares; each worker connects with
 * the authkey, takes tasks until the task queue stays empty for a second,
 * and puts back "n * n = n²". Here the workers are the master's children,
 * so the tree shows all three: master, server and workers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "managers.h"
#include "scenario.h"
#include "tutorial.h"

#define TASKS		10
#define WORKERS_MAX	8

/* The master's manager: a forked worker closes what it inherits of it. */
static struct manager manager;

struct worker_args {
	int		 port;
	const char	*authkey;
};

/* task_worker.py */
static void
task_worker(void *arg)
{
	const struct worker_args *args = arg;
	struct manager m;
	struct queue_proxy task, result;
	char n_text[MANAGER_ITEM_LEN], r[MANAGER_ITEM_LEN], *end;
	int status = 0, got;
	long n;

	manager_forget(&manager);
	/* m = QueueManager(address=(server_addr, 5000), authkey=b'abc') */
	manager_init(&m, args->port, args->authkey);
	checkpoint(CP_PRINT);
	print("Connect to server %s...", MANAGER_HOST);
	checkpoint(CP_CONNECT);
	if (manager_connect(&m) < 0)
		sys_exit(1);
	task = manager_queue(&m, "task_queue", CP_TASK_PUT, CP_TASK_GET);
	result = manager_queue(&m, "result_queue", CP_RESULT_PUT,
	    CP_RESULT_GET);
	for (;;) {
		checkpoint(CP_TASK_GET);
		got = proxy_get(&task, n_text, sizeof n_text, 1);
		if (got == 0) {
			/* except queue.Empty: */
			checkpoint(CP_PRINT);
			print("task queue is empty.");
			break;
		}
		if (got < 0) {
			status = 1;
			break;
		}
		n = strtol(n_text, &end, 10);
		if (end == n_text || *end != '\0' || n < 0 || n > 10000) {
			/* Checked printable by the proxy: safe to show. */
			print("not a task: '%s'", n_text);
			continue;
		}
		checkpoint(CP_PRINT);
		print("run task %ld * %ld...", n, n);
		snprintf(r, sizeof r, "%ld * %ld = %ld", n, n, n * n);
		time_sleep(1);
		checkpoint(CP_RESULT_PUT);
		if (proxy_put(&result, r) < 0) {
			status = 1;
			break;
		}
	}
	manager_disconnect(&m);
	checkpoint(CP_PRINT);
	print("worker exit.");
	if (status != 0)
		sys_exit(status);
}

/* task_master.py */
static int
manager_main(const struct params *params)
{
	struct process workers[WORKERS_MAX];
	struct worker_args args;
	struct queue_proxy task, result;
	char item[MANAGER_ITEM_LEN], r[MANAGER_ITEM_LEN], name[32];
	const char *worker_key = params_text(params, "worker_authkey");
	int nworkers = (int)params_int(params, "workers");
	int i, got, status = 0;

	/* manager = QueueManager(address=('', 5000), authkey=b'abc') */
	manager_init(&manager, (int)params_int(params, "port"),
	    params_text(params, "authkey"));
	checkpoint(CP_MANAGER_START);
	if (manager_start(&manager, "QueueManager") < 0)
		return 1;
	checkpoint(CP_PRINT);
	print("Manager listens on %s:%d", MANAGER_HOST, manager.port);
	/* task = manager.get_task_queue(); result = manager.get_result_queue() */
	checkpoint(CP_CONNECT);
	if (manager_connect(&manager) < 0) {
		manager_shutdown(&manager);
		return 1;
	}
	task = manager_queue(&manager, "task_queue", CP_TASK_PUT,
	    CP_TASK_GET);
	result = manager_queue(&manager, "result_queue", CP_RESULT_PUT,
	    CP_RESULT_GET);
	for (i = 0; i < TASKS; i++) {
		long n = (long)(random_random() * 10001);	/* randint(0, 10000) */

		checkpoint(CP_PRINT);
		print("Put task %ld...", n);
		snprintf(item, sizeof item, "%ld", n);
		checkpoint(CP_TASK_PUT);
		if (proxy_put(&task, item) < 0)
			break;
	}
	checkpoint(CP_PRINT);
	print("Try get results...");
	/* The workers: python3 task_worker.py, run here as our children. */
	args.port = manager.port;
	args.authkey = worker_key[0] != '\0' ? worker_key :
	    params_text(params, "authkey");
	for (i = 0; i < nworkers; i++) {
		snprintf(name, sizeof name, "task_worker-%d", i + 1);
		process_start(&workers[i], name, task_worker, &args);
	}
	for (i = 0; i < TASKS; i++) {
		checkpoint(CP_RESULT_GET);
		got = proxy_get(&result, r, sizeof r, 10);
		if (got == 0) {
			checkpoint(CP_PRINT);
			print("result.get(timeout=10): queue.Empty, no result "
			    "came");
			status = 1;
			break;
		}
		if (got < 0) {
			status = 1;
			break;
		}
		checkpoint(CP_PRINT);
		print("Result: %s", r);	/* printable, checked by the proxy */
	}
	for (i = 0; i < nworkers; i++)
		if (process_join(&workers[i]) != 0)
			status = 1;
	checkpoint(CP_SHUTDOWN);
	manager_shutdown(&manager);
	checkpoint(CP_PRINT);
	print("master exit.");
	return status;
}

static const struct param_def manager_params[] = {
	{ .name = "port", .kind = PARAM_INT, .def = "0", .min = 0,
	  .max = 65535, .help = N_("port on 127.0.0.1, 0 for any free one") },
	{ .name = "workers", .kind = PARAM_INT, .def = "1", .min = 1,
	  .max = WORKERS_MAX, .help = N_("worker processes sharing the tasks") },
	{ .name = "authkey", .kind = PARAM_TEXT, .def = "abc", .max = 32,
	  .help = N_("the key the server checks on connect") },
	{ .name = "worker_authkey", .kind = PARAM_TEXT, .def = "", .max = 32,
	  .help = N_("the key the workers use (default: authkey)") },
	{ .name = NULL },
};

const struct scenario scenario_manager = {
	.name = "manager",
	.summary = N_("managers: a task queue and a result queue over TCP"),
	.watch_for = N_("tasks cross the server's task_queue, squares come back "
	    "in result_queue"),
	.root_role = "task_master",
	.panes = MODEL_QUEUE,
	.queues = { "task_queue", "result_queue" },
	.params = manager_params,
	.main = manager_main,
};
